/*
 * test_lsa: the LSA codec.  The Fletcher checksum and the body readers
 * against LSAs that FRR and BIRD sent each other (vectors.h, captured by
 * tests/tools/ospf-capture); our builders against the same bytes; which
 * instance is newer (13.1); the checks an LSA passes before the database
 * (13), one broken field at a time.
 */
#include "ospf/lsa.c"
#include "ospf/pkt.c"

#include "ospf/wire.h"
#include "tests/unit/ospf/vectors.h"
#include "tests/unit/tap.h"

/* Every LSA of every captured update has a checksum we agree with. */
static void
test_captured_checksums(void)
{
	size_t i, lsas = 0, good = 0, agree = 0;

	for (i = 0; i < sizeof(ospf_vecs) / sizeof(ospf_vecs[0]); i++) {
		const struct ospf_vec *v = &ospf_vecs[i];
		struct ospf_pkt pk;
		struct ospf_lsu_iter it;
		const uint8_t *lsa;
		size_t len;

		if (ospf_pkt_parse(v->p, v->len, &pk) != OSPF_PKT_OK ||
		    pk.h.type != OSPF_LSU)
			continue;
		ospf_lsu_iter(&pk.u.lsu, &it);
		while (ospf_lsu_next(&it, &lsa, &len)) {
			lsas++;
			good += ospf_lsa_check(lsa, len) == OSPF_LSA_OK;
			agree +=
			    ospf_lsa_fletcher(lsa, len) == ospf_get16(lsa + 16);
		}
	}
	ok(lsas >= 4, "the captured updates hold LSAs (%zu)", lsas);
	is_int(agree, lsas,
	    "our Fletcher checksum is FRR's and BIRD's "
	    "on every one");
	is_int(good, lsas, "and every one passes the checks");
}

/* Finds the first LSA of the given type in the captured updates. */
static const uint8_t *
captured(uint8_t type, const char *prefix, size_t *lenp)
{
	size_t i;

	for (i = 0; i < sizeof(ospf_vecs) / sizeof(ospf_vecs[0]); i++) {
		struct ospf_pkt pk;
		struct ospf_lsu_iter it;
		const uint8_t *lsa;

		if (strncmp(ospf_vecs[i].name, prefix, strlen(prefix)) ||
		    ospf_pkt_parse(ospf_vecs[i].p, ospf_vecs[i].len, &pk) ||
		    pk.h.type != OSPF_LSU)
			continue;
		ospf_lsu_iter(&pk.u.lsu, &it);
		while (ospf_lsu_next(&it, &lsa, lenp))
			if (lsa[3] == type)
				return lsa;
	}
	return NULL;
}

/* Reads a captured router-LSA and writes it again with our builder. */
static void
test_router_rebuilt(const char *who)
{
	struct ospf_lsa_hdr h;
	struct ospf_rtr r;
	struct ospf_rtr_link l[16];
	uint8_t out[512];
	size_t len, n = 0, olen;
	const uint8_t *lsa = captured(OSPF_LSA_ROUTER, who, &len);

	if (!ok(lsa != NULL, "%s: a router-LSA was captured", who))
		return;
	ospf_lsa_hdr_get(lsa, &h);
	ok(ospf_rtr_parse(lsa, &r) == 0, "%s: router-LSA read", who);
	while (n < 16 && ospf_rtr_next(&r, &l[n]))
		n++;
	is_int(n, r.nlinks, "%s: all %u links walked", who, r.nlinks);
	olen = ospf_rtr_build(out, sizeof(out), &h, r.flags, l, n);
	is_int(olen, len, "%s: rebuilt to the same length", who);
	ok(olen == len && memcmp(out + 2, lsa + 2, len - 2) == 0,
	    "%s: our builder writes the same bytes, checksum included", who);
}

static void
test_external_rebuilt(void)
{
	struct ospf_lsa_hdr h;
	struct ospf_ext e;
	uint8_t out[64];
	size_t len, olen;
	const uint8_t *lsa = captured(OSPF_LSA_EXTERNAL, "", &len);

	if (!ok(lsa != NULL, "an AS-external-LSA was captured"))
		return;
	ospf_lsa_hdr_get(lsa, &h);
	ok(ospf_ext_parse(lsa, &e) == 0, "AS-external-LSA read");
	ok(e.mask != 0 && e.metric > 0, "with a mask and a metric (%u)",
	    e.metric);
	olen = ospf_ext_build(out, sizeof(out), &h, &e);
	ok(olen == len && memcmp(out + 2, lsa + 2, len - 2) == 0,
	    "our builder writes the same bytes, checksum included");
}

static void
test_newer(void)
{
	struct ospf_lsa_hdr a = {.seq = 5, .cksum = 100, .age = 10}, b;

	b = a;
	is_int(ospf_lsa_newer(&a, &b), 0, "the same instance");
	b.seq = 6;
	ok(ospf_lsa_newer(&a, &b) < 0, "a higher sequence number is newer");
	a.seq = OSPF_SEQ_INITIAL;
	b.seq = OSPF_SEQ_MAX;
	ok(ospf_lsa_newer(&a, &b) < 0, "numbers are signed: 0x80000001 is "
	                               "the oldest");
	b = a;
	b.cksum = 101;
	ok(ospf_lsa_newer(&a, &b) < 0, "same number: the larger checksum");
	b = a;
	b.age = OSPF_MAX_AGE;
	ok(ospf_lsa_newer(&a, &b) < 0, "then the one at MaxAge");
	b.age = a.age + OSPF_MAX_AGE_DIFF + 1;
	ok(ospf_lsa_newer(&a, &b) > 0, "then the younger by more than "
	                               "MaxAgeDiff");
	b.age = a.age + OSPF_MAX_AGE_DIFF;
	is_int(ospf_lsa_newer(&a, &b), 0, "within MaxAgeDiff: the same");
}

static size_t
good_ext(uint8_t *b)
{
	struct ospf_lsa_hdr h = {
	    .age = 1,
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_EXTERNAL,
	    .id = 0xac100100,
	    .adv = 0x0aff0001,
	    .seq = OSPF_SEQ_INITIAL,
	};
	struct ospf_ext e = {.mask = 0xffffff00, .ebit = 1, .metric = 20};

	return ospf_ext_build(b, 64, &h, &e);
}

static void
test_check(void)
{
	uint8_t b[64];
	size_t n = good_ext(b);

	is_int(ospf_lsa_check(b, n), OSPF_LSA_OK, "a built LSA passes");
	ospf_lsa_set_age(b, 77);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_OK,
	    "its age is outside the "
	    "checksum");
	is_int(ospf_lsa_check(b, n - 1), OSPF_LSA_ELEN, "longer than its room");
	is_int(ospf_lsa_check(b, 19), OSPF_LSA_ELEN, "shorter than a header");
	b[30] ^= 1;
	is_int(ospf_lsa_check(b, n), OSPF_LSA_ECKSUM, "one bit of the body");
	n = good_ext(b);
	ospf_lsa_set_age(b, OSPF_MAX_AGE + 1);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_EAGE, "age above MaxAge");
	n = good_ext(b);
	ospf_put32(b + 12, 0x80000000);
	ospf_lsa_cksum_set(b, n);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_ESEQ, "the reserved number");
	n = good_ext(b);
	b[3] = OSPF_LSA_OPAQUE_AREA;
	ospf_lsa_cksum_set(b, n);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_ETYPE, "an opaque LSA");
	n = good_ext(b);
	ospf_put16(b + 18, 32); /* too short for an AS-external body */
	ospf_lsa_cksum_set(b, 32);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_EBODY, "a body cut short");
	is_str(ospf_lsa_strerror(OSPF_LSA_EBODY), "malformed body",
	    "errors have names");
}

static void
test_router_links(void)
{
	struct ospf_lsa_hdr h = {.type = OSPF_LSA_ROUTER, .id = 1, .adv = 1};
	struct ospf_rtr_link in[2] =
	    {
	        {0x0aff0002, 0x0a000c01, OSPF_LINK_P2P, 10},
	        {0x0a000c00, 0xfffffffc, OSPF_LINK_STUB, 10},
	    },
	                     l;
	struct ospf_rtr r;
	uint8_t b[128];
	size_t n = ospf_rtr_build(b, sizeof(b), &h, OSPF_RTR_E, in, 2);

	is_int(n, 48, "two links: 20 + 4 + 24 bytes");
	is_int(ospf_rtr_build(b, 47, &h, 0, in, 2), 0, "no room: nothing");
	n = ospf_rtr_build(b, sizeof(b), &h, OSPF_RTR_E, in, 2);
	ospf_rtr_parse(b, &r);
	ok(r.flags == OSPF_RTR_E && r.nlinks == 2, "flags and count");
	ok(ospf_rtr_next(&r, &l) && l.type == OSPF_LINK_P2P && l.metric == 10 &&
	        l.id == 0x0aff0002,
	    "a point-to-point link");
	ok(ospf_rtr_next(&r, &l) && l.type == OSPF_LINK_STUB &&
	        l.data == 0xfffffffc,
	    "its stub");
	ok(!ospf_rtr_next(&r, &l), "and no more");
	/* A link claiming TOS entries that are not there. */
	b[20 + 4 + 12 + 9] = 3;
	ospf_lsa_cksum_set(b, n);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_EBODY,
	    "TOS entries past the "
	    "end are refused");
	b[20 + 4 + 12 + 9] = 0;
	ospf_put16(b + 22, 3);
	ospf_lsa_cksum_set(b, n);
	is_int(ospf_lsa_check(b, n), OSPF_LSA_EBODY, "more links than bytes");
}

int
main(void)
{
	test_captured_checksums();
	test_router_rebuilt("frr");
	test_router_rebuilt("bird");
	test_external_rebuilt();
	test_newer();
	test_check();
	test_router_links();
	return tap_done();
}
