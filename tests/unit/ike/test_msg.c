/*
 * test_msg: the codec against messages written by hand from RFC 7296's
 * layouts (msgs.h): every field decoded, the builders reproducing the same
 * bytes, and each malformation the parser must catch (truncation at every
 * byte, bad lengths, versions, unknown critical payloads, limits).
 */
#include <string.h>

#include "ike/msg.h"
#include "tests/unit/ike/hex.h"
#include "tests/unit/ike/msgs.h"
#include "tests/unit/tap.h"

static uint8_t init_msg[512], auth_inner[512];
static size_t init_len, auth_len;

static void
test_parse_init(void)
{
	static const uint8_t types[] = { IKE_PL_SA, IKE_PL_KE, IKE_PL_NONCE,
		IKE_PL_NOTIFY, IKE_PL_NOTIFY, IKE_PL_NOTIFY, IKE_PL_NOTIFY };
	struct ike_msg m;
	struct ike_sa_pl sa;
	struct ike_ke_pl ke;
	struct ike_notify_pl n;
	const uint8_t *nonce;
	size_t nlen, i;
	int same = 1;

	is_int(ike_msg_parse(init_msg, init_len, &m), IKE_MSG_OK,
	    "IKE_SA_INIT request parses");
	ok(m.hdr.ispi == 0x5f3a2b1c4d6e7f80ULL && m.hdr.rspi == 0 &&
		m.hdr.version == 0x20 && m.hdr.exchange == 34 &&
		m.hdr.flags == IKE_FLAG_INITIATOR && m.hdr.msgid == 0 &&
		m.hdr.length == 320,
	    "header fields");
	is_int(m.npl, 7, "seven payloads");
	for (i = 0; i < 7 && i < m.npl; i++)
		same &= m.pl[i].type == types[i];
	ok(same, "payload order SA KE Ni N N N N");
	is_int(m.sk, -1, "no SK payload");
	ok(ike_pl_sa(&m.pl[0], &sa) == 0 && sa.nprop == 2, "SA: 2 proposals");
	ok(sa.prop[0].num == 1 && sa.prop[0].proto == IKE_PROTO_IKE &&
		sa.prop[0].nxf == 4 && sa.prop[0].xf[0].type == IKE_XF_ENCR &&
		sa.prop[0].xf[0].id == IKE_ENCR_AES_GCM_16 &&
		sa.prop[0].xf[0].keylen == 256 &&
		sa.prop[0].xf[1].keylen == 128 &&
		sa.prop[0].xf[2].type == IKE_XF_PRF &&
		sa.prop[0].xf[3].id == IKE_DH_ECP256,
	    "proposal 1: GCM-256, GCM-128, PRF SHA2-256, DH 19");
	ok(sa.prop[1].num == 2 && sa.prop[1].nxf == 5 &&
		sa.prop[1].xf[0].id == IKE_ENCR_AES_CBC &&
		sa.prop[1].xf[1].type == IKE_XF_INTEG &&
		sa.prop[1].xf[1].id == IKE_INTEG_HMAC_SHA2_256_128 &&
		sa.prop[1].xf[4].id == IKE_DH_MODP2048 &&
		!sa.prop[1].xf[4].unknown_attr,
	    "proposal 2: CBC-256, SHA2-256-128, PRF, DH 19, DH 14");
	ok(ike_pl_ke(&m.pl[1], &ke) == 0 && ke.group == 19 && ke.len == 64 &&
		ke.data[0] == 0xda,
	    "KE: group 19, 64 bytes of x | y");
	ok(ike_pl_nonce(&m.pl[2], &nonce, &nlen) == 0 && nlen == 32 &&
		nonce[31] == 0x1f,
	    "Ni: 32 bytes");
	ok(ike_pl_notify(&m.pl[3], &n) == 0 &&
		n.type == IKE_N_NAT_DETECTION_SOURCE_IP && n.len == 20 &&
		n.spi_size == 0 && n.data[0] == 0x11,
	    "N(NAT_DETECTION_SOURCE_IP), 20 bytes");
	ok(ike_msg_find_notify(&m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) ==
		&m.pl[5],
	    "find N(IKEV2_FRAGMENTATION_SUPPORTED)");
	ok(ike_msg_find_notify(&m, IKE_N_COOKIE) == NULL, "no COOKIE");
	ok(ike_pl_notify(&m.pl[6], &n) == 0 && n.len == 8 &&
		ike_get16(n.data + 6) == 5,
	    "N(SIGNATURE_HASH_ALGORITHMS) data");
}

/* The same message from the builders: byte for byte. */
static void
test_build_init(void)
{
	struct ike_hdr h = { 0x5f3a2b1c4d6e7f80ULL, 0, 0, IKE_VERSION,
		IKE_EXCH_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0, 0 };
	struct ike_prop p[2] = { 0 };
	uint8_t out[512], sig[8] = { 0, 2, 0, 3, 0, 4, 0, 5 };
	uint8_t nat1[20], nat2[20];
	struct ike_wbuf w;
	long len;

	p[0].num = 1;
	p[0].proto = IKE_PROTO_IKE;
	p[0].nxf = 4;
	p[0].xf[0] = (struct ike_xf){ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 256, 0 };
	p[0].xf[1] = (struct ike_xf){ IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128, 0 };
	p[0].xf[2] = (struct ike_xf){ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0 };
	p[0].xf[3] = (struct ike_xf){ IKE_XF_DH, IKE_DH_ECP256, 0, 0 };
	p[1].num = 2;
	p[1].proto = IKE_PROTO_IKE;
	p[1].nxf = 5;
	p[1].xf[0] = (struct ike_xf){ IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256, 0 };
	p[1].xf[1] = (struct ike_xf){ IKE_XF_INTEG,
		IKE_INTEG_HMAC_SHA2_256_128, 0, 0 };
	p[1].xf[2] = (struct ike_xf){ IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0, 0 };
	p[1].xf[3] = (struct ike_xf){ IKE_XF_DH, IKE_DH_ECP256, 0, 0 };
	p[1].xf[4] = (struct ike_xf){ IKE_XF_DH, IKE_DH_MODP2048, 0, 0 };
	memset(nat1, 0x11, 20);
	memset(nat2, 0x22, 20);
	ike_wbuf_msg(&w, out, sizeof(out), &h);
	ike_put_sa(&w, p, 2);
	ike_put_ke(&w, 19, init_msg + 28 + 104 + 8, 64);
	ike_put_nonce(&w, init_msg + 28 + 104 + 72 + 4, 32);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, nat1,
	    20);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP,
	    nat2, 20);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED,
	    NULL, 0);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS, sig,
	    8);
	len = ike_wbuf_finish(&w);
	is_int(len, 320, "built IKE_SA_INIT is 320 bytes");
	ok(len == 320 && memcmp(out, init_msg, 320) == 0,
	    "built IKE_SA_INIT equals the hand-written bytes");
	/* Too small a buffer: every size short of the message fails. */
	ike_wbuf_msg(&w, out, 319, &h);
	ike_put_sa(&w, p, 2);
	ike_put_ke(&w, 19, init_msg, 64);
	ike_put_nonce(&w, init_msg, 32);
	ike_put_notify(&w, 0, NULL, 0, 16388, nat1, 20);
	ike_put_notify(&w, 0, NULL, 0, 16389, nat2, 20);
	ike_put_notify(&w, 0, NULL, 0, 16430, NULL, 0);
	ike_put_notify(&w, 0, NULL, 0, 16431, sig, 8);
	is_int(ike_wbuf_finish(&w), -1, "319-byte buffer: overflow reported");
}

static void
test_auth_inner(void)
{
	struct ike_msg m;
	struct ike_id_pl id;
	struct ike_auth_pl a;
	struct ike_sa_pl sa;
	struct ike_ts_pl ts;
	struct ike_wbuf w;
	struct ike_ts sel[2];
	uint8_t out[512];
	long len;

	is_int(ike_msg_parse_chain(IKE_PL_IDI, auth_inner, auth_len, &m),
	    IKE_MSG_OK, "IKE_AUTH inner chain parses");
	is_int(m.npl, 9, "nine inner payloads");
	ok(ike_pl_id(&m.pl[0], &id) == 0 && id.type == IKE_ID_FQDN &&
		id.len == 12 && memcmp(id.data, "home.example", 12) == 0 &&
		id.bodylen == 16 && id.body[0] == IKE_ID_FQDN,
	    "IDi FQDN home.example; AUTH signs the 16-byte body");
	ok(ike_pl_id(&m.pl[2], &id) == 0 && id.type == IKE_ID_KEY_ID &&
		id.len == 12,
	    "IDr KEY_ID, 12 bytes");
	ok(ike_pl_auth(&m.pl[3], &a) == 0 &&
		a.method == IKE_AUTH_SHARED_KEY_MIC && a.len == 32,
	    "AUTH: shared key MIC, 32 bytes");
	ok(ike_pl_sa(&m.pl[4], &sa) == 0 && sa.nprop == 1 &&
		sa.prop[0].proto == IKE_PROTO_ESP &&
		sa.prop[0].spi_size == 4 && sa.prop[0].spi[0] == 0xc0 &&
		sa.prop[0].nxf == 3 && sa.prop[0].xf[2].type == IKE_XF_ESN,
	    "SA: ESP, SPI c0ffee01, GCM-256, GCM-128, ESN");
	ok(ike_pl_ts(&m.pl[5], &ts) == 0 && ts.nts == 2 &&
		ts.ts[0].type == IKE_TS_IPV4_ADDR_RANGE &&
		ts.ts[0].eport == 0xffff && ts.ts[0].end[3] == 0xff &&
		ts.ts[1].type == IKE_TS_IPV6_ADDR_RANGE &&
		ts.ts[1].end[15] == 0xff && ts.ts[1].start[0] == 0,
	    "TSi: 0.0.0.0-255.255.255.255 and ::-ffff:..:ffff");
	/* Rebuild the selectors alone and compare with the hand bytes. */
	memset(sel, 0, sizeof(sel));
	sel[0].type = IKE_TS_IPV4_ADDR_RANGE;
	sel[0].eport = 0xffff;
	memset(sel[0].end, 0xff, 4);
	sel[1].type = IKE_TS_IPV6_ADDR_RANGE;
	sel[1].eport = 0xffff;
	memset(sel[1].end, 0xff, 16);
	ike_wbuf_chain(&w, out, sizeof(out));
	ike_put_id(&w, IKE_PL_IDI, IKE_ID_FQDN,
	    (const uint8_t *)"home.example", 12);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_id(&w, IKE_PL_IDR, IKE_ID_KEY_ID, m.pl[2].body + 4, 12);
	ike_put_auth(&w, IKE_AUTH_SHARED_KEY_MIC, m.pl[3].body + 4, 32);
	ike_put_sa(&w, sa.prop, 1);
	ike_put_ts(&w, IKE_PL_TSI, sel, 2);
	ike_put_ts(&w, IKE_PL_TSR, sel, 2);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED,
	    NULL, 0);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_NON_FIRST_FRAGMENTS_ALSO, NULL,
	    0);
	len = ike_wbuf_finish(&w);
	ok(len == (long)auth_len && memcmp(out, auth_inner, auth_len) == 0 &&
		ike_wbuf_first(&w) == IKE_PL_IDI,
	    "built IKE_AUTH inner chain equals the hand-written bytes");
}

static void
test_delete(void)
{
	uint8_t buf[64];
	size_t n = unhex(ike_delete_inner_hex, buf, sizeof(buf));
	struct ike_msg m;
	struct ike_delete_pl d;
	struct ike_wbuf w;
	uint8_t out[64];

	ok(ike_msg_parse_chain(IKE_PL_DELETE, buf, n, &m) == IKE_MSG_OK &&
		ike_pl_delete(&m.pl[0], &d) == 0 && d.proto == IKE_PROTO_ESP &&
		d.nspi == 2 && d.spis[7] == 0x02,
	    "D: ESP, two SPIs");
	ike_wbuf_chain(&w, out, sizeof(out));
	ike_put_delete(&w, IKE_PROTO_ESP, 4, d.spis, 2);
	ok(ike_wbuf_finish(&w) == (long)n && memcmp(out, buf, n) == 0,
	    "D rebuilt byte for byte");
	buf[7] = 3;	/* claims three SPIs */
	ike_msg_parse_chain(IKE_PL_DELETE, buf, n, &m);
	is_int(ike_pl_delete(&m.pl[0], &d), -1, "D: SPI count mismatch");
	buf[4] = IKE_PROTO_IKE;
	buf[5] = 0;
	buf[7] = 2;
	is_int(ike_pl_delete(&m.pl[0], &d), -1, "D: IKE with SPIs refused");
}

/* Every prefix of a message is refused, both ways of cutting it. */
static void
test_truncation(void)
{
	uint8_t b[512];
	struct ike_msg m;
	size_t i;
	int bad = 0, bad2 = 0;

	for (i = 0; i < init_len; i++) {
		if (ike_msg_parse(init_msg, i, &m) == IKE_MSG_OK)
			bad++;
		memcpy(b, init_msg, i);
		if (i >= 28) {
			ike_set32(b + 24, (uint32_t)i);
			if (ike_msg_parse(b, i, &m) == IKE_MSG_OK)
				bad2++;
		}
	}
	is_int(bad, 0, "all %zu prefixes refused", init_len);
	is_int(bad2, 0, "all prefixes with a matching Length refused");
	is_int(ike_msg_parse(init_msg, 27, &m), IKE_MSG_ETRUNC,
	    "27 bytes: ETRUNC");
	for (i = 0; i < auth_len; i++)
		if (ike_msg_parse_chain(IKE_PL_IDI, auth_inner, i, &m) ==
		    IKE_MSG_OK)
			bad++;
	is_int(bad, 0, "all prefixes of the inner chain refused");
}

static enum ike_msg_err
parse_mod(size_t off, uint8_t val, struct ike_msg *m, uint8_t *b)
{
	memcpy(b, init_msg, init_len);
	b[off] = val;
	return ike_msg_parse(b, init_len, m);
}

static void
test_malformed(void)
{
	static uint8_t b[512];
	struct ike_msg m;
	struct ike_sa_pl sa;

	is_int(parse_mod(17, 0x30, &m, b), IKE_MSG_EVERSION,
	    "version 3.0: EVERSION");
	is_int(ike_msg_err_notify(IKE_MSG_EVERSION),
	    IKE_N_INVALID_MAJOR_VERSION, "-> INVALID_MAJOR_VERSION");
	is_int(parse_mod(17, 0x10, &m, b), IKE_MSG_ESYNTAX,
	    "IKEv1 header refused");
	is_int(parse_mod(17, 0x21, &m, b), IKE_MSG_OK,
	    "minor version ignored (3.1)");
	is_int(parse_mod(27, 0x41, &m, b), IKE_MSG_ETRUNC,
	    "Length beyond the datagram: ETRUNC");
	is_int(parse_mod(27, 0x3f, &m, b), IKE_MSG_ESYNTAX,
	    "Length short of the datagram: ESYNTAX");
	/* SA payload length 3, then 0x6a (past its end into KE). */
	is_int(parse_mod(31, 0x03, &m, b), IKE_MSG_ESYNTAX,
	    "payload length 3: ESYNTAX");
	is_int(parse_mod(31, 0x6c, &m, b), IKE_MSG_ESYNTAX,
	    "SA length 4 bytes into KE: the next header read is garbage");
	parse_mod(31, 0x68, &m, b);
	m.pl[0].len -= 4;	/* the SA body cut short of proposal 2 */
	is_int(ike_pl_sa(&m.pl[0], &sa), -1, "proposal beyond the SA body");
	/* Last payload claims a next one: nothing follows. */
	is_int(parse_mod(init_len - 16, IKE_PL_VENDOR, &m, b), IKE_MSG_ETRUNC,
	    "next payload past the end: ETRUNC");
	/* Proposal 1's transform count 5 instead of 4. */
	parse_mod(28 + 4 + 7, 5, &m, b);
	is_int(ike_pl_sa(&m.pl[0], &sa), -1, "transform count mismatch");
	parse_mod(28 + 4, 0, &m, b);	/* proposal 1 says "last" */
	is_int(ike_pl_sa(&m.pl[0], &sa), -1, "wrong last-proposal flag");
	parse_mod(28 + 4 + 6, 9, &m, b);	/* SPI size 9 */
	is_int(ike_pl_sa(&m.pl[0], &sa), -1, "SPI size 9 refused");
	parse_mod(28 + 4 + 8 + 8, 0x00, &m, b);	/* TV -> TLV len 0x0100 */
	is_int(ike_pl_sa(&m.pl[0], &sa), -1, "attribute overruns transform");
	parse_mod(28 + 4 + 8 + 9, 0x0f, &m, b);	/* attribute type 15 */
	ok(ike_pl_sa(&m.pl[0], &sa) == 0 && sa.prop[0].xf[0].unknown_attr,
	    "unknown attribute: transform marked, not a parse error");
}

static void
test_critical(void)
{
	uint8_t b[64], out[64];
	struct ike_hdr h = { 1, 0, 0, 0, IKE_EXCH_INFORMATIONAL, 0, 5, 0 };
	struct ike_msg m;
	struct ike_wbuf w;
	long len;

	ike_wbuf_msg(&w, b, sizeof(b), &h);
	ike_put_begin(&w, 200, 1);
	ike_put_u32(&w, 0xdeadbeef);
	ike_put_end(&w);
	ike_put_notify(&w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	len = ike_wbuf_finish(&w);
	is_int(ike_msg_parse(b, (size_t)len, &m), IKE_MSG_ECRITICAL,
	    "unknown payload 200, critical: ECRITICAL");
	ok(m.bad_critical == 200 &&
		ike_msg_err_notify(IKE_MSG_ECRITICAL) ==
		    IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD,
	    "-> UNSUPPORTED_CRITICAL_PAYLOAD with type 200");
	b[28 + 1] = 0;	/* clear the critical bit */
	ok(ike_msg_parse(b, (size_t)len, &m) == IKE_MSG_OK && m.npl == 1 &&
		m.pl[0].type == IKE_PL_NOTIFY,
	    "same payload not critical: skipped, N still found");
	/* A known payload with the critical bit is simply known. */
	ike_wbuf_msg(&w, out, sizeof(out), &h);
	ike_put_begin(&w, IKE_PL_VENDOR, 1);
	ike_put_u32(&w, 1);
	ike_put_end(&w);
	len = ike_wbuf_finish(&w);
	ok(ike_msg_parse(out, (size_t)len, &m) == IKE_MSG_OK &&
		m.pl[0].critical,
	    "known payload with critical bit accepted");
}

static void
test_sk_layout(void)
{
	uint8_t b[200];
	struct ike_hdr h = { 1, 2, 0, 0, IKE_EXCH_IKE_AUTH, 0, 1, 0 };
	struct ike_msg m;
	struct ike_sk_pl sk;
	struct ike_wbuf w;
	size_t body;
	long len;

	ike_wbuf_msg(&w, b, sizeof(b), &h);
	body = ike_put_sk_head(&w, IKE_PL_IDI, 2, 3, 40);
	ike_put_vendor(&w, b, 4);	/* nothing may follow an SK */
	is_int(ike_wbuf_finish(&w), -1, "payload after SKF refused");
	ike_wbuf_msg(&w, b, sizeof(b), &h);
	body = ike_put_sk_head(&w, IKE_PL_IDI, 2, 3, 40);
	len = ike_wbuf_finish(&w);
	is_int(body, 28 + 8, "SKF body after the 8-byte head");
	ok(ike_msg_parse(b, (size_t)len, &m) == IKE_MSG_OK && m.sk == 0 &&
		ike_pl_sk(&m, &m.pl[0], &sk) == 0 && sk.fragnum == 2 &&
		sk.nfrags == 3 && sk.aad_len == 36 && sk.len == 40,
	    "SKF 2/3: AAD runs to Total Fragments (RFC 7383 2.5)");
	b[28 + 5] = 4;	/* fragment 4 of 3 */
	ike_msg_parse(b, (size_t)len, &m);
	is_int(ike_pl_sk(&m, &m.pl[0], &sk), -1, "fragment 4 of 3 refused");
	b[28 + 5] = 0;
	is_int(ike_pl_sk(&m, &m.pl[0], &sk), -1, "fragment 0 refused");
	/* An SK followed by trailing bytes is not last: ESYNTAX. */
	ike_wbuf_msg(&w, b, sizeof(b), &h);
	ike_put_sk_head(&w, IKE_PL_IDI, 0, 0, 20);
	len = ike_wbuf_finish(&w);
	ike_set16(b + 28 + 2, 10);
	ike_set32(b + 24, (uint32_t)len);
	is_int(ike_msg_parse(b, (size_t)len, &m), IKE_MSG_ESYNTAX,
	    "SK not the last payload: ESYNTAX");
	/* SK inside an inner chain. */
	b[0] = 0;
	b[1] = 0;
	ike_set16(b + 2, 8);
	is_int(ike_msg_parse_chain(IKE_PL_SK, b, 8, &m), IKE_MSG_ESYNTAX,
	    "SK nested in a decrypted chain: ESYNTAX");
}

static void
test_limits_and_small(void)
{
	uint8_t b[1024], ts[64];
	struct ike_hdr h = { 1, 0, 0, 0, IKE_EXCH_INFORMATIONAL, 0, 0, 0 };
	struct ike_msg m;
	struct ike_pl p;
	struct ike_ts_pl t;
	struct ike_id_pl id;
	struct ike_notify_pl n;
	struct ike_wbuf w;
	const uint8_t *nonce;
	size_t nlen;
	long len;
	int i;

	ike_wbuf_msg(&w, b, sizeof(b), &h);
	for (i = 0; i < IKE_MSG_MAX_PL + 1; i++)
		ike_put_vendor(&w, b, 0);
	len = ike_wbuf_finish(&w);
	is_int(ike_msg_parse(b, (size_t)len, &m), IKE_MSG_ELIMIT,
	    "%d payloads: ELIMIT", IKE_MSG_MAX_PL + 1);
	/* Typed decoders on short bodies. */
	memset(ts, 0, sizeof(ts));
	p = (struct ike_pl){ IKE_PL_TSI, 0, 0, 0, ts, 4 };
	is_int(ike_pl_ts(&p, &t), -1, "TS with zero selectors refused");
	ts[0] = 1;
	ts[4] = IKE_TS_IPV4_ADDR_RANGE;
	ike_set16(ts + 6, 16);
	p.len = 4 + 16;
	is_int(ike_pl_ts(&p, &t), 0, "TS with one IPv4 range");
	ike_set16(ts + 6, 17);
	is_int(ike_pl_ts(&p, &t), -1, "TS selector longer than payload");
	ts[4] = 9;	/* unknown type: skipped */
	ike_set16(ts + 6, 16);
	ok(ike_pl_ts(&p, &t) == 0 && t.nts == 0 && t.nunknown == 1,
	    "TS of unknown type skipped and counted");
	p = (struct ike_pl){ IKE_PL_IDI, 0, 0, 0, ts, 9 };
	ts[0] = IKE_ID_IPV4_ADDR;
	is_int(ike_pl_id(&p, &id), -1, "ID_IPV4_ADDR of 5 bytes refused");
	p.len = 8;
	is_int(ike_pl_id(&p, &id), 0, "ID_IPV4_ADDR of 4 bytes");
	p.len = 15;
	is_int(ike_pl_nonce(&p, &nonce, &nlen), -1, "15-byte nonce refused");
	p.len = 257;
	is_int(ike_pl_nonce(&p, &nonce, &nlen), -1, "257-byte nonce refused");
	ts[0] = 1;
	ts[1] = 9;	/* SPI size 9 with 4 bytes left */
	p.len = 8;
	is_int(ike_pl_notify(&p, &n), -1, "N SPI size past the payload");
	ts[1] = 4;
	ike_set16(ts + 2, IKE_N_REKEY_SA);
	ok(ike_pl_notify(&p, &n) == 0 && n.spi == ts + 4 && n.len == 0,
	    "N(REKEY_SA) with a 4-byte SPI");
}

int
main(void)
{
	init_len = unhex(ike_sa_init_hex, init_msg, sizeof(init_msg));
	auth_len = unhex(ike_auth_inner_hex, auth_inner, sizeof(auth_inner));
	is_int(init_len, 320, "hand-written IKE_SA_INIT is 320 bytes");
	is_int(auth_len, 280, "hand-written IKE_AUTH inner chain 280 bytes");
	test_parse_init();
	test_build_init();
	test_auth_inner();
	test_delete();
	test_truncation();
	test_malformed();
	test_critical();
	test_sk_layout();
	test_limits_and_small();
	return tap_done();
}
