/*
 * test_spf: the routing table calculation on small graphs built from
 * router-LSAs in a database: a line, a ring where the long way round is
 * the cheap one, two parallel links of costs 10 and 100 (and the cheap
 * one's neighbour gone), our own stubs (never routed), a router that
 * does not link back, a MaxAge LSA, AS-external routes of both types
 * through an ASBR and through a forwarding address, and which kind of
 * route wins a prefix.
 */
#include "ospf/lsa.c"
#include "ospf/lsdb.c"
#include "ospf/spf.c"

#include "tests/unit/tap.h"

#define R(n)      (0x0aff0000u + (n)) /* router-ids 10.255.0.n */
#define NET(a, b) (0x0a000000u | (a) << 16 | (b) << 8)

static struct ospf_lsdb db;

struct lk {
	uint8_t type;
	uint32_t id, data;
	uint16_t metric;
};

/* Router n's LSA with the links given (flags: E for an ASBR). */
static void
router(uint32_t rid, uint8_t flags, const struct lk *l, size_t n, int age)
{
	struct ospf_lsa_hdr h = {.age = (uint16_t)age,
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_ROUTER,
	    .id = rid,
	    .adv = rid,
	    .seq = OSPF_SEQ_INITIAL};
	struct ospf_rtr_link v[16];
	uint8_t b[512];
	size_t i, len;
	int changed;

	for (i = 0; i < n; i++) {
		v[i].type = l[i].type;
		v[i].id = l[i].id;
		v[i].data = l[i].data;
		v[i].metric = l[i].metric;
	}
	len = ospf_rtr_build(b, sizeof(b), &h, flags, v, n);
	ospf_lsdb_install(&db, b, len, 0, &changed);
}

static void
put_external(uint32_t adv, uint32_t prefix, uint32_t mask, int ebit,
    uint32_t metric, uint32_t fwd)
{
	struct ospf_lsa_hdr h = {.options = OSPF_OPT_E,
	    .type = OSPF_LSA_EXTERNAL,
	    .id = prefix,
	    .adv = adv,
	    .seq = OSPF_SEQ_INITIAL};
	struct ospf_ext e = {
	    .mask = mask, .ebit = ebit, .metric = metric, .fwd = fwd};
	uint8_t b[64];
	int changed;
	size_t len = ospf_ext_build(b, sizeof(b), &h, &e);

	ospf_lsdb_install(&db, b, len, 0, &changed);
}

static const struct ospf_spf_route *
find(const struct ospf_spf *s, uint32_t prefix, int plen)
{
	uint32_t mask = ospf_mask((unsigned)plen);
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->rt[i].prefix == prefix && s->rt[i].mask == mask)
			return &s->rt[i];
	return NULL;
}

static void
fresh(void)
{
	ospf_lsdb_clear(&db);
	ospf_lsdb_init(&db, R(1), NULL, NULL);
}

#define P2P(r, d, m)                                                           \
	{                                                                      \
		OSPF_LINK_P2P, (r), (d), (m)                                   \
	}
#define STUB(p, m)                                                             \
	{                                                                      \
		OSPF_LINK_STUB, (p), 0xffffff00u, (m)                          \
	}

static void
test_line(void)
{
	const struct lk r1[] = {P2P(R(2), 0x0a000101, 10), STUB(NET(1, 1), 10)};
	const struct lk r2[] = {P2P(R(1), 0x0a000102, 10),
	    P2P(R(3), 0x0a000201, 10), STUB(NET(2, 2), 1)};
	const struct lk r3[] = {P2P(R(2), 0x0a000202, 10), STUB(NET(3, 3), 1)};
	struct ospf_spf_if ifs[] = {{0x0a000101, R(2), 0x0a000102}};
	struct ospf_spf s;
	const struct ospf_spf_route *r;

	fresh();
	router(R(1), 0, r1, 2, 0);
	router(R(2), 0, r2, 3, 0);
	router(R(3), 0, r3, 2, 0);
	ok(ospf_spf_run(&db, R(1), NULL, ifs, 1, 0, &s) == 0, "a line: runs");
	is_int(s.reached, 3, "a line: three routers");
	r = find(&s, NET(3, 3), 24);
	ok(r && r->kind == OSPF_RT_INTRA && r->cost == 21 && r->ifi == 0 &&
	        r->nexthop == 0x0a000102 && r->adv == R(3),
	    "a line: the far stub at 10+10+1, through R2");
	r = find(&s, NET(1, 1), 24);
	ok(r && r->kind == OSPF_RT_CONNECTED, "a line: our own stub is "
	                                      "connected, not routed");
	ospf_spf_free(&s);
}

static void
test_ring(void)
{
	const struct lk r1[] = {P2P(R(2), 1, 10), P2P(R(4), 2, 50)};
	const struct lk r2[] = {P2P(R(1), 3, 10), P2P(R(3), 4, 10)};
	const struct lk r3[] = {P2P(R(2), 5, 10), P2P(R(4), 6, 10)};
	const struct lk r4[] = {
	    P2P(R(3), 7, 10), P2P(R(1), 8, 50), STUB(NET(4, 4), 1)};
	struct ospf_spf_if ifs[] = {
	    {1, R(2), 0x0a000102}, {2, R(4), 0x0a000402}};
	struct ospf_spf s;
	const struct ospf_spf_route *r;

	fresh();
	router(R(1), 0, r1, 2, 0);
	router(R(2), 0, r2, 2, 0);
	router(R(3), 0, r3, 2, 0);
	router(R(4), 0, r4, 3, 0);
	ospf_spf_run(&db, R(1), NULL, ifs, 2, 0, &s);
	r = find(&s, NET(4, 4), 24);
	ok(r && r->cost == 31 && r->ifi == 0,
	    "a ring: the long way round (10+10+10) beats the direct 50");
	ospf_spf_free(&s);
}

static void
test_parallel(void)
{
	const struct lk r1[] = {
	    P2P(R(2), 0x0a000101, 10), P2P(R(2), 0x0a000201, 100)};
	const struct lk r2[] = {P2P(R(1), 0x0a000102, 10),
	    P2P(R(1), 0x0a000202, 100), STUB(NET(9, 9), 1)};
	struct ospf_spf_if ifs[] = {
	    {0x0a000101, R(2), 0x0a000102}, {0x0a000201, R(2), 0x0a000202}};
	struct ospf_spf s;
	const struct ospf_spf_route *r;

	fresh();
	router(R(1), 0, r1, 2, 0);
	router(R(2), 0, r2, 3, 0);
	ospf_spf_run(&db, R(1), NULL, ifs, 2, 0, &s);
	r = find(&s, NET(9, 9), 24);
	ok(r && r->cost == 11 && r->ifi == 0 && r->nexthop == 0x0a000102,
	    "parallel links: the cost-10 one carries");
	ospf_spf_free(&s);
	/* The cheap link's neighbour is gone; our LSA still says it. */
	ospf_spf_run(&db, R(1), NULL, ifs + 1, 1, 0, &s);
	r = find(&s, NET(9, 9), 24);
	ok(r && r->cost == 101 && r->ifi == 0 && r->nexthop == 0x0a000202,
	    "the cheap link's neighbour gone: the cost-100 one, at once");
	ospf_spf_free(&s);
	ospf_spf_run(&db, R(1), NULL, NULL, 0, 0, &s);
	ok(!find(&s, NET(9, 9), 24) && s.reached == 1,
	    "no neighbour at all: no route");
	ospf_spf_free(&s);
	/* Our flooded LSA still lacks the cheap link (MinLSInterval): the
	 * calculation takes our links as they are now. */
	router(R(1), 0, r1 + 1, 1, 0);
	{
		struct ospf_lsa_hdr h = {.options = OSPF_OPT_E,
		    .type = OSPF_LSA_ROUTER,
		    .id = R(1),
		    .adv = R(1),
		    .seq = OSPF_SEQ_INITIAL + 1};
		struct ospf_rtr_link v[2] = {
		    {R(2), 0x0a000101, 1, 10}, {R(2), 0x0a000201, 1, 100}};
		uint8_t b[128];
		size_t len = ospf_rtr_build(b, sizeof(b), &h, 0, v, 2);
		struct ospf_lsa *self = ospf_lsa_dup(b, len, 0);

		ospf_spf_run(&db, R(1), self, ifs, 2, 0, &s);
		r = find(&s, NET(9, 9), 24);
		ok(r && r->cost == 11 && r->nexthop == 0x0a000102,
		    "our links as they are now, not as last flooded");
		ospf_spf_free(&s);
		ospf_lsa_unref(self);
	}
}

static void
test_checks(void)
{
	const struct lk r1[] = {P2P(R(2), 1, 10)};
	const struct lk r2_noback[] = {STUB(NET(2, 2), 1)};
	const struct lk r2[] = {P2P(R(1), 3, 10), STUB(NET(2, 2), 1)};
	struct ospf_spf_if ifs[] = {{1, R(2), 0x0a000102}};
	struct ospf_spf s;

	fresh();
	router(R(1), 0, r1, 1, 0);
	router(R(2), 0, r2_noback, 1, 0);
	ospf_spf_run(&db, R(1), NULL, ifs, 1, 0, &s);
	ok(!find(&s, NET(2, 2), 24) && s.reached == 1,
	    "a router that does not link back is not reached (16.1 (2b))");
	ospf_spf_free(&s);
	router(R(2), 0, r2, 2, OSPF_MAX_AGE);
	ospf_spf_run(&db, R(1), NULL, ifs, 1, 0, &s);
	ok(!find(&s, NET(2, 2), 24), "a MaxAge router-LSA is not used");
	ospf_spf_free(&s);
	ospf_spf_run(&db, R(7), NULL, ifs, 1, 0, &s);
	ok(s.n == 0 && s.reached == 0, "without our own router-LSA: nothing");
	ospf_spf_free(&s);
}

static void
test_external(void)
{
	const struct lk r1[] = {P2P(R(2), 1, 10)};
	const struct lk r2[] = {P2P(R(1), 3, 10), P2P(R(3), 4, 5)};
	const struct lk r3[] = {P2P(R(2), 5, 5), STUB(NET(3, 3), 1)};
	struct ospf_spf_if ifs[] = {{1, R(2), 0x0a000102}};
	struct ospf_spf s;
	const struct ospf_spf_route *r;

	fresh();
	router(R(1), 0, r1, 1, 0);
	router(R(2), OSPF_RTR_E, r2, 2, 0);
	router(R(3), 0, r3, 2, 0);
	put_external(R(2), 0xac100000, 0xffff0000, 1, 20, 0);
	put_external(R(2), 0xac110000, 0xffff0000, 0, 20, 0);
	put_external(R(3), 0xac120000, 0xffff0000, 1, 20, 0);
	put_external(R(2), 0xac130000, 0xffff0000, 1, 20, NET(3, 3) | 7);
	put_external(R(2), NET(3, 3), 0xffffff00, 0, 1, 0);
	put_external(R(2), 0xac140000 | 0xff, 0xffff0000, 1, 5, 0);
	ospf_spf_run(&db, R(1), NULL, ifs, 1, 0, &s);
	r = find(&s, 0xac100000, 16);
	ok(r && r->kind == OSPF_RT_EXT2 && r->cost2 == 20 && r->cost == 10,
	    "type 2: its metric, the ASBR's distance beside it");
	r = find(&s, 0xac110000, 16);
	ok(r && r->kind == OSPF_RT_EXT1 && r->cost == 30,
	    "type 1: the ASBR's distance plus its metric");
	ok(!find(&s, 0xac120000, 16), "from a router that is no ASBR: no");
	r = find(&s, 0xac130000, 16);
	ok(r && r->cost == 16 && r->ifi == 0,
	    "through a forwarding address: the route to it (10+5+1)");
	r = find(&s, NET(3, 3), 24);
	ok(r && r->kind == OSPF_RT_INTRA, "an intra-area route beats an "
	                                  "external one for its prefix");
	ok(find(&s, 0xac140000, 16) != NULL,
	    "host bits in an external link-state ID (BIRD) are masked");
	ospf_spf_free(&s);
}

int
main(void)
{
	ospf_lsdb_init(&db, R(1), NULL, NULL);
	test_line();
	test_ring();
	test_parallel();
	test_checks();
	test_external();
	ospf_lsdb_clear(&db);
	return tap_done();
}
