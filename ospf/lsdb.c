/*
 * lsdb.c: the link-state database (RFC 2328 12-14).  See lsdb.h.
 *
 * A sorted array of instance pointers: a house's area holds a few dozen
 * LSAs, so a binary search and a memmove on insert beat a tree in code
 * and in cache, and the array's order is the order "show ip ospf
 * database" and Database Description packets want.
 */
#include "ospf/lsdb.h"

#include <stdlib.h>
#include <string.h>

#include "ospf/wire.h"

/* A MaxAge LSA that may not leave yet is looked at again this often. */
#define LSDB_SWEEP_MS 1000

void
ospf_lsdb_init(struct ospf_lsdb *db, uint32_t rid,
    const struct ospf_lsdb_hooks *hooks, void *arg)
{
	memset(db, 0, sizeof(*db));
	db->rid = rid;
	db->hooks = hooks;
	db->arg = arg;
	db->min_ls_interval_ms = OSPF_MIN_LS_INTERVAL * 1000;
}

void
ospf_lsdb_clear(struct ospf_lsdb *db)
{
	size_t i;

	for (i = 0; i < db->n; i++) {
		db->v[i]->in_db = 0;
		ospf_lsa_unref(db->v[i]);
	}
	free(db->v);
	db->v = NULL;
	db->n = db->cap = 0;
}

void
ospf_lsa_ref(struct ospf_lsa *l)
{
	l->refs++;
}

void
ospf_lsa_unref(struct ospf_lsa *l)
{
	if (l && --l->refs == 0)
		free(l);
}

uint16_t
ospf_lsa_age(const struct ospf_lsa *l, uint64_t now)
{
	uint64_t age = l->hdr.age;

	if (now > l->born)
		age += (now - l->born) / 1000;
	return age > OSPF_MAX_AGE ? OSPF_MAX_AGE : (uint16_t)age;
}

/* The index of k, or where it would go (*found 0). */
static size_t
lsdb_search(
    const struct ospf_lsdb *db, const struct ospf_lsa_key *k, int *found)
{
	size_t lo = 0, hi = db->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = ospf_lsa_key_cmp(&db->v[mid]->key, k);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

struct ospf_lsa *
ospf_lsdb_find(const struct ospf_lsdb *db, const struct ospf_lsa_key *k)
{
	int found;
	size_t i = lsdb_search(db, k, &found);

	return found ? db->v[i] : NULL;
}

size_t
ospf_lsdb_count(const struct ospf_lsdb *db, uint8_t type)
{
	size_t i, c = 0;

	for (i = 0; i < db->n; i++)
		c += db->v[i]->key.type == type;
	return c;
}

struct ospf_lsa *
ospf_lsdb_at(const struct ospf_lsdb *db, size_t i)
{
	return i < db->n ? db->v[i] : NULL;
}

static struct ospf_lsa *
lsa_new(
    const struct ospf_lsdb *db, const uint8_t *bytes, size_t len, uint64_t now)
{
	struct ospf_lsa *l = calloc(1, sizeof(*l) + len);

	if (!l)
		return NULL;
	memcpy(l->data, bytes, len);
	l->len = len;
	ospf_lsa_hdr_get(l->data, &l->hdr);
	ospf_lsa_key_get(l->data, &l->key);
	l->born = l->installed = now;
	l->refs = 1;
	l->in_db = db != NULL;
	l->self = db && l->key.adv == db->rid;
	return l;
}

struct ospf_lsa *
ospf_lsa_dup(const uint8_t *lsa, size_t len, uint64_t now)
{
	return lsa_new(NULL, lsa, len, now);
}

/* Everything but age, sequence number and checksum (13.2). */
static int
contents_differ(
    const struct ospf_lsa *old, const struct ospf_lsa *new, uint64_t now)
{
	int oldmax = ospf_lsa_age(old, now) >= OSPF_MAX_AGE;
	int newmax = ospf_lsa_age(new, now) >= OSPF_MAX_AGE;

	if (oldmax != newmax || old->len != new->len ||
	    old->hdr.options != new->hdr.options)
		return 1;
	return memcmp(old->data + OSPF_LSA_HDR_LEN,
	           new->data + OSPF_LSA_HDR_LEN,
	           old->len - OSPF_LSA_HDR_LEN) != 0;
}

static int
lsdb_grow(struct ospf_lsdb *db)
{
	size_t cap = db->cap ? 2 * db->cap : 32;
	struct ospf_lsa **v;

	if (db->n < db->cap)
		return 0;
	v = realloc(db->v, cap * sizeof(*v));
	if (!v)
		return -1;
	db->v = v;
	db->cap = cap;
	return 0;
}

/* Puts l in place of the copy with its key (taking over the db's ref). */
static int
lsdb_put(struct ospf_lsdb *db, struct ospf_lsa *l, struct ospf_lsa **oldp)
{
	int found;
	size_t i = lsdb_search(db, &l->key, &found);

	*oldp = NULL;
	if (found) {
		*oldp = db->v[i];
		db->v[i] = l;
		return 0;
	}
	if (lsdb_grow(db) < 0)
		return -1;
	memmove(db->v + i + 1, db->v + i, (db->n - i) * sizeof(*db->v));
	db->v[i] = l;
	db->n++;
	return 0;
}

struct ospf_lsa *
ospf_lsdb_install(struct ospf_lsdb *db, const uint8_t *lsa, size_t len,
    uint64_t now, int *changed)
{
	struct ospf_lsa *l = lsa_new(db, lsa, len, now), *old;

	*changed = 0;
	if (!l)
		return NULL;
	if (lsdb_put(db, l, &old) < 0) {
		free(l);
		return NULL;
	}
	*changed = old ? contents_differ(old, l, now) : 1;
	if (old) {
		old->in_db = 0;
		ospf_lsa_unref(old);
	}
	/* A MaxAge instance arrives to be flooded and removed (13.5, 14). */
	if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE)
		l->told_maxage = 1;
	return l;
}

void
ospf_lsdb_flush(struct ospf_lsdb *db, struct ospf_lsa *l, uint64_t now)
{
	if (!l->in_db)
		return;
	l->hdr.age = OSPF_MAX_AGE;
	l->born = now;
	ospf_lsa_set_age(l->data, OSPF_MAX_AGE);
	if (!l->told_maxage) {
		l->told_maxage = 1;
		if (db->hooks && db->hooks->maxage)
			db->hooks->maxage(db->arg, l);
	}
}

/* The instance to install for our LSA after cur (which may be NULL). */
static struct ospf_lsa *
orig_build(struct ospf_lsdb *db, const uint8_t *lsa, size_t len,
    const struct ospf_lsa *cur, uint64_t now)
{
	struct ospf_lsa *l = lsa_new(db, lsa, len, now);

	if (!l)
		return NULL;
	l->hdr.age = 0;
	l->hdr.seq = cur ? cur->hdr.seq + 1 : OSPF_SEQ_INITIAL;
	l->hdr.len = (uint16_t)len;
	ospf_lsa_hdr_put(l->data, &l->hdr);
	ospf_lsa_cksum_set(l->data, len);
	l->hdr.cksum = ospf_get16(l->data + 16);
	l->self = l->mine = 1;
	return l;
}

/* 12.4: MinLSInterval between two of our instances, if cur was ours. */
static int
orig_too_soon(const struct ospf_lsdb *db, const struct ospf_lsa *cur,
    uint64_t now, uint64_t *wait_ms)
{
	uint64_t next;

	if (!cur || !cur->mine || cur->told_maxage)
		return 0;
	next = cur->installed + db->min_ls_interval_ms;
	if (now >= next)
		return 0;
	*wait_ms = next - now;
	return 1;
}

enum ospf_orig
ospf_lsdb_originate(struct ospf_lsdb *db, const uint8_t *lsa, size_t len,
    uint64_t now, int force, struct ospf_lsa **out, uint64_t *wait_ms)
{
	struct ospf_lsa_key k;
	struct ospf_lsa *cur, *l;

	ospf_lsa_key_get(lsa, &k);
	cur = ospf_lsdb_find(db, &k);
	*out = cur;
	*wait_ms = 0;
	if (cur && cur->hdr.seq == OSPF_SEQ_MAX) {
		ospf_lsdb_flush(db, cur, now); /* 12.1.6: wrap by flushing */
		return OSPF_ORIG_WRAP;
	}
	l = orig_build(db, lsa, len, cur, now);
	if (!l)
		return OSPF_ORIG_ENOMEM;
	if (cur && !force && cur->mine && !contents_differ(cur, l, now)) {
		free(l);
		return OSPF_ORIG_SAME;
	}
	if (orig_too_soon(db, cur, now, wait_ms)) {
		free(l);
		return OSPF_ORIG_WAIT;
	}
	if (lsdb_put(db, l, &cur) < 0) {
		free(l);
		return OSPF_ORIG_ENOMEM;
	}
	if (cur) {
		cur->in_db = 0;
		ospf_lsa_unref(cur);
	}
	*out = l;
	return OSPF_ORIG_NEW;
}

static void
lsdb_remove_at(struct ospf_lsdb *db, size_t i)
{
	struct ospf_lsa *l = db->v[i];

	memmove(db->v + i, db->v + i + 1, (db->n - i - 1) * sizeof(*db->v));
	db->n--;
	l->in_db = 0;
	if (db->hooks && db->hooks->removed)
		db->hooks->removed(db->arg, l);
	ospf_lsa_unref(l);
}

/* When l is (or was) age seconds old. */
static uint64_t
at_age(const struct ospf_lsa *l, unsigned age)
{
	if (age <= l->hdr.age)
		return l->born;
	return l->born + (uint64_t)(age - l->hdr.age) * 1000;
}

/* When l wants attention next. */
static uint64_t
lsa_deadline(const struct ospf_lsa *l, uint64_t now)
{
	if (l->told_maxage)
		return now + LSDB_SWEEP_MS;
	if (l->self && !l->told_refresh)
		return at_age(l, OSPF_LS_REFRESH_TIME);
	return at_age(l, OSPF_MAX_AGE);
}

/* Removes the MaxAge LSAs nobody else holds, if they may go now. */
static void
lsdb_sweep(struct ospf_lsdb *db)
{
	size_t i = 0;

	if (db->hooks && db->hooks->may_remove &&
	    !db->hooks->may_remove(db->arg))
		return;
	while (i < db->n) {
		if (db->v[i]->told_maxage && db->v[i]->refs == 1)
			lsdb_remove_at(db, i);
		else
			i++;
	}
}

/* Tells the hooks about l if it is due. */
static void
lsa_due(struct ospf_lsdb *db, struct ospf_lsa *l, uint64_t now)
{
	uint16_t age = ospf_lsa_age(l, now);

	if (!l->in_db || l->told_maxage)
		return;
	if (age >= OSPF_MAX_AGE) {
		l->told_maxage = 1;
		if (db->hooks && db->hooks->maxage)
			db->hooks->maxage(db->arg, l);
	} else if (l->self && !l->told_refresh && age >= OSPF_LS_REFRESH_TIME) {
		l->told_refresh = 1;
		if (db->hooks && db->hooks->refresh)
			db->hooks->refresh(db->arg, l);
	}
}

uint64_t
ospf_lsdb_tick(struct ospf_lsdb *db, uint64_t now)
{
	struct ospf_lsa **due;
	uint64_t next = UINT64_MAX;
	size_t i, n = 0;

	/*
	 * Hooks may originate, install or flush, which moves the array:
	 * collect what is due first, holding a reference to each.
	 */
	due = db->n ? malloc(db->n * sizeof(*due)) : NULL;
	if (db->n && !due)
		return now + LSDB_SWEEP_MS; /* try again, memory permitting */
	for (i = 0; i < db->n; i++) {
		if (!db->v[i]->told_maxage &&
		    lsa_deadline(db->v[i], now) <= now) {
			due[n++] = db->v[i];
			ospf_lsa_ref(db->v[i]);
		}
	}
	for (i = 0; i < n; i++) {
		lsa_due(db, due[i], now);
		ospf_lsa_unref(due[i]);
	}
	free(due);
	lsdb_sweep(db);
	for (i = 0; i < db->n; i++) {
		uint64_t d = lsa_deadline(db->v[i], now);

		if (d < next)
			next = d;
	}
	return next;
}
