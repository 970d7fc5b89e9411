/*
 * test_lsdb: the link-state database without a network.  Time is passed
 * in, so hours of aging take no time: installs and what counts as a
 * change (13.2), key order, our own originations (sequence numbers,
 * MinLSInterval, unchanged contents, the wrap at MaxSequenceNumber, an
 * instance from our previous life, 13.4), refresh at LSRefreshTime,
 * MaxAge and removal only when nobody holds the LSA and no neighbour
 * exchanges databases (14), and references that outlive the database.
 */
#include "ospf/lsa.c"
#include "ospf/lsdb.c"

#include "ospf/wire.h"
#include "tests/unit/tap.h"

#define S     1000ull /* ms per second */
#define RID   0x0aff0001u
#define OTHER 0x0aff0002u

static struct {
	int refresh, maxage, removed;
	int may_remove;
	struct ospf_lsa *last;
	struct ospf_lsdb *db;
	uint64_t now;
	int reoriginate; /* the refresh hook originates again */
} h;

static void
on_refresh(void *arg, struct ospf_lsa *l)
{
	struct ospf_lsa *out;
	uint64_t wait;

	(void)arg;
	h.refresh++;
	h.last = l;
	if (h.reoriginate)
		ospf_lsdb_originate(
		    h.db, l->data, l->len, h.now, 1, &out, &wait);
}

static void
on_maxage(void *arg, struct ospf_lsa *l)
{
	(void)arg;
	h.maxage++;
	h.last = l;
}

static int
on_may_remove(void *arg)
{
	(void)arg;
	return h.may_remove;
}

static void
on_removed(void *arg, const struct ospf_lsa *l)
{
	(void)arg, (void)l;
	h.removed++;
}

static const struct ospf_lsdb_hooks hooks = {
    .refresh = on_refresh,
    .maxage = on_maxage,
    .may_remove = on_may_remove,
    .removed = on_removed,
};

/* A router-LSA of adv with one stub link of the given metric. */
static size_t
rtr(uint8_t *buf, uint32_t adv, int32_t seq, uint16_t age, uint16_t metric)
{
	struct ospf_lsa_hdr hd = {
	    .age = age,
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_ROUTER,
	    .id = adv,
	    .adv = adv,
	    .seq = seq,
	};
	struct ospf_rtr_link l = {
	    .id = 0xc0a80100,
	    .data = 0xffffff00,
	    .type = OSPF_LINK_STUB,
	    .metric = metric,
	};

	return ospf_rtr_build(buf, 256, &hd, 0, &l, 1);
}

static size_t
ext(uint8_t *buf, uint32_t adv, uint32_t id, int32_t seq)
{
	struct ospf_lsa_hdr hd = {
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_EXTERNAL,
	    .id = id,
	    .adv = adv,
	    .seq = seq,
	};
	struct ospf_ext e = {.mask = 0xffffff00, .ebit = 1, .metric = 20};

	return ospf_ext_build(buf, 256, &hd, &e);
}

static void
reset(struct ospf_lsdb *db)
{
	memset(&h, 0, sizeof(h));
	h.may_remove = 1;
	h.db = db;
	ospf_lsdb_init(db, RID, &hooks, NULL);
}

static void
test_install(void)
{
	struct ospf_lsdb db;
	struct ospf_lsa *l, *l2;
	struct ospf_lsa_key k = {OSPF_LSA_ROUTER, OTHER, OTHER};
	uint8_t b[256];
	size_t n;
	int changed;

	reset(&db);
	n = rtr(b, OTHER, OSPF_SEQ_INITIAL, 10, 10);
	l = ospf_lsdb_install(&db, b, n, 100 * S, &changed);
	ok(l && changed, "a first instance is installed and is a change");
	ok(ospf_lsdb_find(&db, &k) == l, "found by its key");
	ok(!l->self && !l->mine, "a neighbour's LSA is not ours");
	is_int(ospf_lsa_age(l, 100 * S), 10, "age as received");
	is_int(ospf_lsa_age(l, 150 * S + 999), 60, "ages one a second");
	is_int(ospf_lsa_age(l, 9999 * S), OSPF_MAX_AGE, "never above MaxAge");

	n = rtr(b, OTHER, OSPF_SEQ_INITIAL + 1, 0, 10);
	ospf_lsa_ref(l);
	l2 = ospf_lsdb_install(&db, b, n, 200 * S, &changed);
	ok(l2 && !changed, "a new instance with the same contents: no change");
	ok(!l->in_db && l->refs == 1, "the old copy left the database, "
	                              "still held by its holder");
	ospf_lsa_unref(l);
	n = rtr(b, OTHER, OSPF_SEQ_INITIAL + 2, 0, 20);
	l = ospf_lsdb_install(&db, b, n, 300 * S, &changed);
	ok(l && changed, "another metric is a change");
	n = rtr(b, OTHER, OSPF_SEQ_INITIAL + 3, OSPF_MAX_AGE, 20);
	l = ospf_lsdb_install(&db, b, n, 300 * S, &changed);
	ok(l && changed && l->told_maxage, "a MaxAge instance is a change, "
	                                   "and is to leave the database");
	is_int(h.maxage, 0,
	    "received MaxAge LSAs are flooded by the receiver, "
	    "not told again");
	is_int(db.n, 1, "one copy per key");
	ospf_lsdb_clear(&db);
}

static void
test_order(void)
{
	struct ospf_lsdb db;
	uint8_t b[256];
	int changed, sorted = 1;
	size_t i;
	static const uint32_t ids[] = {0x0a000300, 0x0a000100, 0x0a000200};

	reset(&db);
	for (i = 0; i < 3; i++)
		ospf_lsdb_install(
		    &db, b, ext(b, OTHER, ids[i], 1), 0, &changed);
	ospf_lsdb_install(&db, b, rtr(b, OTHER, 1, 0, 1), 0, &changed);
	ospf_lsdb_install(&db, b, rtr(b, RID, 1, 0, 1), 0, &changed);
	for (i = 1; i < db.n; i++)
		sorted &=
		    ospf_lsa_key_cmp(&db.v[i - 1]->key, &db.v[i]->key) < 0;
	ok(sorted && db.n == 5, "kept in (type, id, adv) order");
	is_int(ospf_lsdb_at(&db, 0)->key.type, OSPF_LSA_ROUTER,
	    "router-LSAs first");
	is_int(ospf_lsdb_count(&db, OSPF_LSA_EXTERNAL), 3, "counted by type");
	ok(ospf_lsdb_at(&db, 5) == NULL, "nothing past the end");
	ospf_lsdb_clear(&db);
}

static void
test_originate(void)
{
	struct ospf_lsdb db;
	struct ospf_lsa *l;
	uint8_t b[256];
	uint64_t wait;
	size_t n;

	reset(&db);
	n = rtr(b, RID, 1234, 777, 10);
	is_int(ospf_lsdb_originate(&db, b, n, 10 * S, 0, &l, &wait),
	    OSPF_ORIG_NEW, "a first origination");
	ok(l && l->mine && l->self, "it is ours");
	is_int(l->hdr.seq, OSPF_SEQ_INITIAL,
	    "InitialSequenceNumber, "
	    "whatever the caller wrote");
	is_int(ospf_lsa_age(l, 10 * S), 0, "age 0");
	ok(ospf_lsa_check(l->data, l->len) == OSPF_LSA_OK, "a valid checksum");
	is_int(ospf_lsdb_originate(&db, b, n, 11 * S, 0, &l, &wait),
	    OSPF_ORIG_SAME, "the same contents again: nothing new");
	n = rtr(b, RID, 0, 0, 20);
	is_int(ospf_lsdb_originate(&db, b, n, 12 * S, 0, &l, &wait),
	    OSPF_ORIG_WAIT, "a change within MinLSInterval waits");
	is_int(wait, 3 * S, "for the rest of the 5 s");
	is_int(ospf_lsdb_originate(&db, b, n, 15 * S, 0, &l, &wait),
	    OSPF_ORIG_NEW, "and goes out after it");
	is_int(l->hdr.seq, OSPF_SEQ_INITIAL + 1, "with the next number");

	/* 13.4: a neighbour still has our LSA from before a restart. */
	ospf_lsdb_clear(&db);
	reset(&db);
	n = rtr(b, RID, 0x80000123, 50, 20);
	{
		int changed;
		l = ospf_lsdb_install(&db, b, n, 20 * S, &changed);
	}
	ok(l && l->self && !l->mine, "our LSA from a previous life is ours "
	                             "but not this process's");
	is_int(ospf_lsdb_originate(&db, b, n, 20 * S, 0, &l, &wait),
	    OSPF_ORIG_NEW,
	    "the same contents are originated anew, "
	    "without waiting");
	is_int(l->hdr.seq, (int32_t)0x80000124, "one past the old number");

	/* 12.1.6: the number wraps by flushing first. */
	n = rtr(b, RID, OSPF_SEQ_MAX, 0, 30);
	{
		int changed;
		ospf_lsdb_install(&db, b, n, 30 * S, &changed);
	}
	h.may_remove = 0;
	is_int(ospf_lsdb_originate(&db, b, n, 40 * S, 1, &l, &wait),
	    OSPF_ORIG_WRAP, "after MaxSequenceNumber: wrap");
	is_int(h.maxage, 1, "the old instance is flushed (flooded at MaxAge)");
	is_int(ospf_lsa_age(l, 40 * S), OSPF_MAX_AGE, "at MaxAge");
	ospf_lsdb_tick(&db, 41 * S);
	is_int(db.n, 1, "kept while a neighbour exchanges databases");
	h.may_remove = 1;
	ospf_lsa_ref(l);
	ospf_lsdb_tick(&db, 42 * S);
	is_int(db.n, 1, "kept while a retransmission list holds it");
	ospf_lsa_unref(l);
	ospf_lsdb_tick(&db, 43 * S);
	is_int(db.n, 0, "removed when nobody holds it");
	is_int(h.removed, 1, "and the removal is told");
	is_int(ospf_lsdb_originate(&db, b, n, 44 * S, 1, &l, &wait),
	    OSPF_ORIG_NEW, "then the origination goes through");
	is_int(l->hdr.seq, OSPF_SEQ_INITIAL, "from InitialSequenceNumber");
	ospf_lsdb_clear(&db);
}

static void
test_aging(void)
{
	struct ospf_lsdb db;
	struct ospf_lsa *mine, *theirs;
	uint8_t b[256];
	uint64_t wait, next;
	int changed;

	reset(&db);
	ospf_lsdb_originate(&db, b, rtr(b, RID, 0, 0, 10), 0, 0, &mine, &wait);
	theirs =
	    ospf_lsdb_install(&db, b, rtr(b, OTHER, 7, 600, 10), 0, &changed);
	next = ospf_lsdb_tick(&db, 0);
	is_int(next, OSPF_LS_REFRESH_TIME * S, "next: our refresh at 30 min");
	ospf_lsdb_tick(&db, OSPF_LS_REFRESH_TIME * S - 1);
	is_int(h.refresh, 0, "not a millisecond early");
	h.reoriginate = 1;
	h.now = OSPF_LS_REFRESH_TIME * S;
	next = ospf_lsdb_tick(&db, h.now);
	is_int(h.refresh, 1, "refreshed at LSRefreshTime");
	mine = ospf_lsdb_find(&db, &(struct ospf_lsa_key){1, RID, RID});
	is_int(mine->hdr.seq, OSPF_SEQ_INITIAL + 1,
	    "a new instance, "
	    "same contents");
	is_int(ospf_lsa_age(mine, h.now), 0, "of age 0");
	is_int(next, (OSPF_MAX_AGE - 600) * S,
	    "next: the neighbour's LSA reaches MaxAge");
	ospf_lsdb_tick(&db, (OSPF_MAX_AGE - 600) * S);
	is_int(h.maxage, 1, "the neighbour's LSA reached MaxAge");
	ok(h.last == theirs, "it is the one told");
	is_int(db.n, 1, "and left the database, nobody holding it");
	ospf_lsdb_tick(&db, 2 * OSPF_LS_REFRESH_TIME * S - 1);
	is_int(h.maxage, 1, "told once");
	is_int(h.refresh, 1, "ours not refreshed early");
	h.now = 2 * OSPF_LS_REFRESH_TIME * S;
	ospf_lsdb_tick(&db, h.now);
	is_int(h.refresh, 2, "ours refreshed again at 30 min of age");

	/* Premature aging of our own (14.1). */
	mine = ospf_lsdb_find(&db, &(struct ospf_lsa_key){1, RID, RID});
	ospf_lsdb_flush(&db, mine, 4000 * S);
	is_int(h.maxage, 2, "a flush floods at MaxAge");
	ospf_lsdb_flush(&db, mine, 4001 * S);
	is_int(h.maxage, 2, "once");
	ospf_lsdb_tick(&db, 4002 * S);
	is_int(db.n, 0, "then it leaves");
	ospf_lsdb_clear(&db);
}

static void
test_hold(void)
{
	struct ospf_lsdb db;
	struct ospf_lsa *l;
	uint8_t b[256];
	int changed;

	reset(&db);
	l = ospf_lsdb_install(&db, b, rtr(b, OTHER, 7, 0, 10), 0, &changed);
	ospf_lsa_ref(l);
	ospf_lsdb_clear(&db);
	ok(!l->in_db && l->refs == 1, "a held instance outlives the database");
	is_int(l->hdr.seq, 7, "and is intact");
	ospf_lsa_unref(l);
	ok(1, "released by its last holder");
}

int
main(void)
{
	test_install();
	test_order();
	test_originate();
	test_aging();
	test_hold();
	return tap_done();
}
