/* fuzz-libs: -lcrypto -lsodium */
/*
 * fuzz_ike: everything ike/ reads from the network.  The first input byte
 * picks the path; the rest is the datagram:
 *   0: a whole message, then every typed decoder on every payload and the
 *      proposal choice on any SA payload;
 *   1: a decrypted inner chain (second byte: its first payload type);
 *   2, 3: a protected message opened with fixed keys (AES-GCM-16-256, or
 *      AES-CBC-256 + HMAC-SHA2-256-128), then path 0 on the plaintext.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_ike.c -lcrypto -lsodium
 */
#include "ike/crypto_alg.c"
#include "ike/crypto_dh.c"
#include "ike/crypto_prf.c"
#include "ike/crypto_secret.c"
#include "ike/crypto_sk.c"
#include "ike/msg_build.c"
#include "ike/msg_parse.c"
#include "ike/msg_payload.c"
#include "ike/msg_sa.c"
#include "ike/proposal.c"
#include "ike/sk.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ike_prop ours[2][IKE_PROP_MAX_OURS];
static int nours[2];

/* Fixed keys: seeds sealed with them open (see docs/ike.md). */
static uint8_t fuzz_ek[36], fuzz_ak[32];

static void
decode_all(const struct ike_msg *m)
{
	union {
		struct ike_sa_pl sa;
		struct ike_ke_pl ke;
		struct ike_id_pl id;
		struct ike_auth_pl auth;
		struct ike_notify_pl n;
		struct ike_delete_pl d;
		struct ike_ts_pl ts;
		struct ike_sk_pl sk;
		struct ike_cp_pl cp;
	} u;
	struct ike_prop c;
	struct ike_suite s;
	const uint8_t *p;
	size_t i, len;

	for (i = 0; i < m->npl; i++) {
		const struct ike_pl *pl = &m->pl[i];

		switch (pl->type) {
		case IKE_PL_SA:
			if (ike_pl_sa(pl, &u.sa) == 0) {
				ike_prop_select(ours[0], (size_t)nours[0],
				    &u.sa, IKE_PROTO_IKE, 19, &c, &s);
				ike_prop_select(ours[1], (size_t)nours[1],
				    &u.sa, IKE_PROTO_ESP, 0, &c, &s);
				ike_prop_check_reply(ours[0],
				    (size_t)nours[0], &u.sa, IKE_PROTO_IKE,
				    &s);
			}
			break;
		case IKE_PL_KE:
			ike_pl_ke(pl, &u.ke);
			break;
		case IKE_PL_IDI:
		case IKE_PL_IDR:
			ike_pl_id(pl, &u.id);
			break;
		case IKE_PL_AUTH:
			ike_pl_auth(pl, &u.auth);
			break;
		case IKE_PL_NONCE:
			ike_pl_nonce(pl, &p, &len);
			break;
		case IKE_PL_NOTIFY:
			ike_pl_notify(pl, &u.n);
			break;
		case IKE_PL_DELETE:
			ike_pl_delete(pl, &u.d);
			break;
		case IKE_PL_TSI:
		case IKE_PL_TSR:
			ike_pl_ts(pl, &u.ts);
			break;
		case IKE_PL_SK:
		case IKE_PL_SKF:
			if (m->hdr.length)
				ike_pl_sk(m, pl, &u.sk);
			break;
		case IKE_PL_CP:
			ike_pl_cp(pl, &u.cp);
			break;
		}
	}
	ike_msg_find_notify(m, IKE_N_COOKIE);
}

static void
open_one(const uint8_t *data, size_t size, int cbc)
{
	static uint8_t pt[65536];
	struct ike_sk_dir d = { 0 };
	struct ike_msg m, inner;
	struct ike_sk_pl sk;
	size_t ptlen;

	d.encr = cbc ? ike_encr_find(IKE_ENCR_AES_CBC, 256) :
		       ike_encr_find(IKE_ENCR_AES_GCM_16, 256);
	d.integ = cbc ? ike_integ_find(IKE_INTEG_HMAC_SHA2_256_128) : NULL;
	d.ekey = fuzz_ek;
	d.akey = fuzz_ak;
	if (ike_msg_parse(data, size, &m) != IKE_MSG_OK || m.sk < 0)
		return;
	if (m.pl[m.sk].type == IKE_PL_SKF) {
		ike_sk_decrypt(&d, &m, pt, sizeof(pt), &ptlen, &sk);
		return;
	}
	if (ike_sk_open_msg(&d, &m, pt, sizeof(pt), &inner) == IKE_MSG_OK)
		decode_all(&inner);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct ike_msg m;

	if (!init) {
		ike_crypto_init();
		nours[0] = ike_props_default(IKE_PROTO_IKE, ours[0]);
		nours[1] = ike_props_default(IKE_PROTO_ESP, ours[1]);
		memset(fuzz_ek, 0x21, sizeof(fuzz_ek));
		memset(fuzz_ak, 0x43, sizeof(fuzz_ak));
		init = 1;
	}
	if (size < 1 || size > 65536)
		return 0;
	switch (data[0] & 3) {
	case 0:
		if (ike_msg_parse(data + 1, size - 1, &m) == IKE_MSG_OK)
			decode_all(&m);
		break;
	case 1:
		if (size >= 2 && ike_msg_parse_chain(data[1], data + 2,
				     size - 2, &m) == IKE_MSG_OK)
			decode_all(&m);
		break;
	default:
		open_one(data + 1, size - 1, (data[0] & 3) == 3);
		break;
	}
	return 0;
}
