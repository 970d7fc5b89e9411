/* fuzz-libs: */
/*
 * fuzz_ospf: an OSPFv2 packet as it comes off the wire, through the
 * packet parser, every body reader, the LSA checks and readers, and into
 * a link-state database that then ages for an hour.  Two properties are
 * checked besides "no crash": a packet the parser accepts is rebuilt
 * byte for byte by the builders, and an LSA the checks accept keeps a
 * valid checksum through install and aging.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_ospf.c
 */
#include "ospf/lsa.c"
#include "ospf/lsdb.c"
#include "ospf/pkt.c"

#include <stdlib.h>

#include "tests/unit/ospf/rebuild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RID 0x0aff0001u

static void
read_lsa(const uint8_t *lsa)
{
	struct ospf_rtr r;
	struct ospf_rtr_link l;
	struct ospf_net n;
	struct ospf_sum s;
	struct ospf_ext e;
	volatile uint32_t sink = 0;
	size_t i;

	switch (lsa[3]) {
	case OSPF_LSA_ROUTER:
		if (ospf_rtr_parse(lsa, &r) == 0)
			while (ospf_rtr_next(&r, &l))
				sink += l.id + l.metric;
		break;
	case OSPF_LSA_NETWORK:
		if (ospf_net_parse(lsa, &n) == 0)
			for (i = 0; i < n.nrtr; i++)
				sink += ospf_net_router(&n, i);
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR:
		if (ospf_sum_parse(lsa, &s) == 0)
			sink += s.metric;
		break;
	case OSPF_LSA_EXTERNAL:
		if (ospf_ext_parse(lsa, &e) == 0)
			sink += e.metric;
		break;
	}
	(void)sink;
}

static void
into_lsdb(const struct ospf_lsu *u)
{
	struct ospf_lsdb db;
	struct ospf_lsu_iter it;
	struct ospf_lsa *l, *out;
	const uint8_t *lsa;
	size_t len, i;
	uint64_t wait, now = 1000;
	int changed;

	ospf_lsdb_init(&db, RID, NULL, NULL);
	ospf_lsu_iter(u, &it);
	while (ospf_lsu_next(&it, &lsa, &len)) {
		read_lsa(lsa);
		if (ospf_lsa_check(lsa, len) != OSPF_LSA_OK)
			continue;
		len = ospf_get16(lsa + 18);
		l = ospf_lsdb_install(&db, lsa, len, now, &changed);
		if (l && !ospf_lsa_cksum_ok(l->data, l->len))
			abort();
		if (l && l->self)
			ospf_lsdb_originate(&db, lsa, len, now, 0, &out, &wait);
	}
	for (i = 0; i < 8; i++, now += 600000) /* an hour and more */
		ospf_lsdb_tick(&db, now);
	for (i = 0; i < db.n; i++)
		if (!ospf_lsa_cksum_ok(db.v[i]->data, db.v[i]->len))
			abort();
	ospf_lsdb_clear(&db);
}

static void
one(const uint8_t *data, size_t size)
{
	struct ospf_pkt pk;
	struct ospf_lsa_hdr h;
	size_t i;

	if (ospf_pkt_parse(data, size, &pk) != OSPF_PKT_OK)
		return;
	if (rebuild_same(data, &pk) == 0)
		abort(); /* accepted, yet not what the builders write */
	switch (pk.h.type) {
	case OSPF_DD:
		for (i = 0; i < pk.u.dd.nhdrs; i++)
			ospf_lsa_hdr_get(pk.u.dd.hdrs + 20 * i, &h);
		break;
	case OSPF_LSU:
		into_lsdb(&pk.u.lsu);
		break;
	}
}

/*
 * Mutations break checksums first of all; so that they reach the bodies,
 * each input is also tried with its IP checksum and every LSA's Fletcher
 * checksum made right (the IP one after the LSAs', which it covers).
 */
static void
fix_checksums(uint8_t *p, size_t size)
{
	size_t len, off, l;

	if (size < OSPF_HDR_LEN)
		return;
	len = ospf_get16(p + 2);
	if (len < OSPF_HDR_LEN || len > size)
		return;
	if (p[1] == OSPF_LSU && len >= OSPF_HDR_LEN + OSPF_LSU_LEN) {
		for (off = OSPF_HDR_LEN + OSPF_LSU_LEN;
		     off + OSPF_LSA_HDR_LEN <= len; off += l) {
			l = ospf_get16(p + off + 18);
			if (l < OSPF_LSA_HDR_LEN || l > len - off)
				break;
			ospf_lsa_cksum_set(p + off, l);
		}
	}
	ospf_put16(p + 12, ospf_pkt_cksum(p, len));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	one(data, size);
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fix_checksums(copy, size);
	one(copy, size);
	free(copy);
	return 0;
}
