/*
 * rebuild.h: writes a parsed OSPF packet again with the builders and
 * says whether the bytes are the ones received.  Shared by test_pkt and
 * the fuzzer (fuzz_ospf.c), which include pkt.c before it.  The bytes
 * an update carries after its last LSA are not rebuilt, nor a checksum
 * that cryptographic authentication leaves unchecked.
 */
#ifndef TSUNAGI_TEST_OSPF_REBUILD_H
#define TSUNAGI_TEST_OSPF_REBUILD_H

static void
rebuild_body(struct ospf_w *w, const struct ospf_pkt *pk)
{
	struct ospf_lsa_key k;
	struct ospf_lsu_iter it;
	const uint8_t *lsa;
	size_t i, len;

	switch (pk->h.type) {
	case OSPF_HELLO:
		ospf_hello_put(w, &pk->u.hello);
		for (i = 0; i < pk->u.hello.nnbr; i++)
			ospf_w_u32(w, ospf_hello_nbr(&pk->u.hello, i));
		break;
	case OSPF_DD:
		ospf_dd_put(w, &pk->u.dd);
		for (i = 0; i < pk->u.dd.nhdrs; i++) {
			lsa = pk->u.dd.hdrs + i * OSPF_LSA_HDR_LEN;
			ospf_lsa_hdr_add(w, lsa, ospf_get16(lsa));
		}
		break;
	case OSPF_LSR:
		for (i = 0; i < pk->u.lsr.n; i++) {
			ospf_lsr_get(&pk->u.lsr, i, &k);
			ospf_lsr_add(w, &k);
		}
		break;
	case OSPF_LSU:
		ospf_lsu_start(w);
		ospf_lsu_iter(&pk->u.lsu, &it);
		while (ospf_lsu_next(&it, &lsa, &len))
			ospf_lsu_add(w, lsa, len, ospf_get16(lsa));
		break;
	case OSPF_LSACK:
		for (i = 0; i < pk->u.ack.nhdrs; i++) {
			lsa = pk->u.ack.hdrs + i * OSPF_LSA_HDR_LEN;
			ospf_lsa_hdr_add(w, lsa, ospf_get16(lsa));
		}
		break;
	}
}

/* An LS request type above 255 reads as 0 and is not rebuilt alike. */
static int
rebuild_possible(const struct ospf_pkt *pk)
{
	size_t i;

	if (pk->h.type != OSPF_LSR)
		return 1;
	for (i = 0; i < pk->u.lsr.n; i++)
		if (ospf_get32(pk->u.lsr.ent + OSPF_LSR_ENTRY_LEN * i) > 0xff)
			return 0;
	return 1;
}

/* 1: the builders wrote p's bytes; 0: they did not; -1: not comparable. */
static int
rebuild_same(const uint8_t *p, const struct ospf_pkt *pk)
{
	static uint8_t out[65536];
	struct ospf_w w;

	if (!rebuild_possible(pk))
		return -1;
	ospf_w_init(&w, out, sizeof(out));
	ospf_pkt_start(&w, pk->h.type, pk->h.rid, pk->h.area);
	rebuild_body(&w, pk);
	if (ospf_pkt_finish(&w, pk->h.autype, pk->h.auth) < 0)
		return 0;
	if (w.len > pk->h.len || memcmp(out, p, 2) ||
	    memcmp(out + 4, p + 4, 8) || memcmp(out + 14, p + 14, w.len - 14))
		return 0;
	if (w.len == pk->h.len && memcmp(out + 2, p + 2, 2))
		return 0;
	if (pk->h.autype != OSPF_AUTH_CRYPT && w.len == pk->h.len &&
	    memcmp(out + 12, p + 12, 2))
		return 0;
	return 1;
}

#endif
