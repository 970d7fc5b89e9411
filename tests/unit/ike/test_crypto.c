/*
 * test_crypto: the PRFs against RFC 4868 (section 2.7), truncated HMACs
 * against RFC 4868's AUTH vectors, and prf+, SKEYSEED/SK_*, KEYMAT and PSK
 * AUTH against a second, independent computation with OpenSSL's one-shot
 * HMAC() written straight from RFC 7296 2.13-2.17 in this file.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "ike/crypto.h"
#include "ike/wire.h"
#include "tests/unit/ike/hex.h"
#include "tests/unit/tap.h"

/* The reference: HMAC() over one flat buffer. */
static void
ref_hmac(const char *md, const uint8_t *k, size_t kl, const uint8_t *d,
    size_t dl, uint8_t *out)
{
	unsigned int n = 0;

	HMAC(EVP_get_digestbyname(md), k, (int)kl, d, dl, out, &n);
}

static void
ref_prf_plus(const char *md, size_t hl, const uint8_t *k, size_t kl,
    const uint8_t *s, size_t sl, uint8_t *out, size_t outlen)
{
	uint8_t in[1024], t[64];
	size_t done = 0, n;
	int i;

	for (i = 1; done < outlen; i++) {
		n = 0;
		if (i > 1) {
			memcpy(in, t, hl);
			n = hl;
		}
		memcpy(in + n, s, sl);
		n += sl;
		in[n++] = (uint8_t)i;
		ref_hmac(md, k, kl, in, n, t);
		memcpy(out + done, t, outlen - done < hl ? outlen - done : hl);
		done += outlen - done < hl ? outlen - done : hl;
	}
}

struct prf_vec {
	const char	*name;
	const char	*key;		/* hex, or NULL: repeated byte */
	uint8_t		 rep;
	size_t		 replen;
	const char	*data;		/* ASCII */
	const char	*out[3];	/* SHA-256, -384, -512 */
};

/* RFC 4868 2.7.1 (the PRF test cases; same as RFC 4231 cases 1, 2, 6). */
static const struct prf_vec prf_vecs[] = {
	{ "PRF-1", NULL, 0x0b, 20, "Hi There",
	    { "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
		"afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		"faea9ea9076ede7f4af152e8b2fa9cb6",
		"87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		"daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" } },
	{ "PRF-2", "4a656665", 0, 0, "what do ya want for nothing?",
	    { "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
		"af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		"8e2240ca5e69e2c78b3239ecfab21649",
		"164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		"9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" } },
	{ "PRF-5", NULL, 0xaa, 131,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    { "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
		"4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		"0c2ef6ab4030fe8296248df163f44952",
		"80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		"6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" } },
};

static void
test_prf_vectors(void)
{
	static const uint16_t ids[3] = { IKE_PRF_HMAC_SHA2_256,
		IKE_PRF_HMAC_SHA2_384, IKE_PRF_HMAC_SHA2_512 };
	uint8_t key[256], want[64], got[64];
	size_t i, j, kl, wl;

	for (i = 0; i < sizeof(prf_vecs) / sizeof(prf_vecs[0]); i++) {
		const struct prf_vec *v = &prf_vecs[i];

		if (v->key)
			kl = unhex(v->key, key, sizeof(key));
		else {
			kl = v->replen;
			memset(key, v->rep, kl);
		}
		for (j = 0; j < 3; j++) {
			const struct ike_prf *prf = ike_prf_find(ids[j]);
			struct ike_iov iov = { v->data, strlen(v->data) };

			wl = unhex(v->out[j], want, sizeof(want));
			is_int(prf->outlen, wl, "%s: output length", v->name);
			ok(ike_prf_v(prf, key, kl, &iov, 1, got) == 0 &&
				memcmp(got, want, wl) == 0,
			    "RFC 4868 %s, PRF_HMAC_SHA2_%d", v->name,
			    (int)wl * 8);
		}
	}
}

/* RFC 4868 2.7.2.1-3, test case AUTH-1: keys sized for each transform. */
static void
test_auth_vectors(void)
{
	static const struct {
		uint16_t	 id;
		const char	*icv;
	} v[] = {
		{ IKE_INTEG_HMAC_SHA2_256_128,
		    "198a607eb44bfbc69903a0f1cf2bbdc5" },
		{ IKE_INTEG_HMAC_SHA2_384_192,
		    "b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee973" },
		{ IKE_INTEG_HMAC_SHA2_512_256,
		    "637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8" },
	};
	uint8_t key[64], want[32], got[32];
	struct ike_iov iov = { "Hi There", 8 };
	size_t i, wl;

	for (i = 0; i < 3; i++) {
		const struct ike_integ *in = ike_integ_find(v[i].id);

		memset(key, 0x0b, in->keylen);
		wl = unhex(v[i].icv, want, sizeof(want));
		is_int(in->icvlen, wl, "integ %u: ICV length", v[i].id);
		ok(ike_hmac_v(in->md, key, in->keylen, &iov, 1, got,
			in->icvlen) == 0 && memcmp(got, want, wl) == 0,
		    "RFC 4868 AUTH%zu-1 (%zu-byte key, truncated to %zu)",
		    in->keylen * 8, in->keylen, wl);
	}
}

static void
test_prf_plus(void)
{
	const struct ike_prf *prf = ike_prf_find(IKE_PRF_HMAC_SHA2_256);
	uint8_t key[40], seed[100], got[600], want[600];
	struct ike_iov iov[2] = { { seed, 60 }, { seed + 60, 40 } };
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(0xa0 ^ i);
	/* 600 bytes: 19 blocks, the last one partial. */
	ok(ike_prf_plus(prf, key, sizeof(key), iov, 2, got, 600) == 0,
	    "prf+ 600 bytes");
	ref_prf_plus("SHA256", 32, key, sizeof(key), seed, sizeof(seed), want,
	    600);
	is_mem(got, want, 600, "prf+ equals T1 | T2 | ... from HMAC()");
	ok(ike_prf_plus(prf, key, sizeof(key), iov, 2, got,
	       255 * 32 + 1) == -1,
	    "prf+ refuses more than 255 blocks");
}

static const uint8_t ni[32] = { 0x11, 0x22, 0x33, 1, 2, 3, 4, 5 };
static const uint8_t nr[48] = { 0x44, 0x55, 0x66, 9, 8, 7, 6 };

static void
flat_seed(uint8_t *s, uint64_t spii, uint64_t spir)
{
	int i;

	memcpy(s, ni, sizeof(ni));
	memcpy(s + 32, nr, sizeof(nr));
	for (i = 0; i < 8; i++) {
		s[80 + i] = (uint8_t)(spii >> (56 - 8 * i));
		s[88 + i] = (uint8_t)(spir >> (56 - 8 * i));
	}
}

/* One suite through 2.14 against the reference. */
static void
check_ike_keys(uint16_t encr, uint16_t keybits, uint16_t integ, uint16_t prfid,
    const char *md, size_t hl, size_t elen, size_t alen)
{
	struct ike_suite s = { ike_encr_find(encr, keybits),
		integ ? ike_integ_find(integ) : NULL, ike_prf_find(prfid), NULL,
		0 };
	struct ike_secret gir;
	struct ike_keys k;
	uint8_t g[256], nonces[80], seed[96], skeyseed[64], want[600];
	uint64_t spii = 0x0123456789abcdefULL, spir = 0xfedcba9876543210ULL;
	size_t i, total = hl + 2 * (alen + elen + hl), off;

	for (i = 0; i < sizeof(g); i++)
		g[i] = (uint8_t)(i ^ 0x5c);
	ike_secret_set(&gir, g, sizeof(g));
	ok(ike_derive_ike_keys(&s, &gir, ni, sizeof(ni), nr, sizeof(nr), spii,
	       spir, NULL, &k) == 0,
	    "derive %s/%u/%u/%u", s.encr->evp, keybits, integ, prfid);
	is_int(k.elen, elen, "SK_e length %zu (salt included for AEADs)",
	    elen);
	is_int(k.alen, alen, "SK_a length %zu", alen);
	is_int(k.dlen, hl, "SK_d length = PRF output");
	memcpy(nonces, ni, 32);
	memcpy(nonces + 32, nr, 48);
	ref_hmac(md, nonces, 80, g, sizeof(g), skeyseed);
	flat_seed(seed, spii, spir);
	ref_prf_plus(md, hl, skeyseed, hl, seed, 96, want, total);
	off = 0;
	is_mem(k.d, want + off, hl, "SK_d");
	off += hl;
	ok(memcmp(k.ai, want + off, alen) == 0 &&
		memcmp(k.ar, want + off + alen, alen) == 0,
	    "SK_ai, SK_ar");
	off += 2 * alen;
	ok(memcmp(k.ei, want + off, elen) == 0 &&
		memcmp(k.er, want + off + elen, elen) == 0,
	    "SK_ei, SK_er");
	off += 2 * elen;
	ok(memcmp(k.pi, want + off, hl) == 0 &&
		memcmp(k.pr, want + off + hl, hl) == 0,
	    "SK_pi, SK_pr");
	ike_keys_free(&k);
	ike_secret_free(&gir);
}

static void
test_rekey_and_child(void)
{
	const struct ike_prf *prf = ike_prf_find(IKE_PRF_HMAC_SHA2_256);
	struct ike_suite s = { ike_encr_find(IKE_ENCR_AES_GCM_16, 256), NULL,
		prf, NULL, 0 };
	struct ike_suite child = { ike_encr_find(IKE_ENCR_AES_CBC, 128),
		ike_integ_find(IKE_INTEG_HMAC_SHA2_256_128), NULL, NULL, 0 };
	struct ike_secret gir, skd;
	struct ike_rekey_base base;
	struct ike_keys k;
	struct ike_child_keys ck;
	uint8_t g[32], in[200], seed[64], want[200], d[32];
	uint64_t spii = 1, spir = 2;
	size_t i;

	for (i = 0; i < sizeof(g); i++)
		g[i] = (uint8_t)(0x80 + i);
	for (i = 0; i < sizeof(d); i++)
		d[i] = (uint8_t)(0x30 + i);
	ike_secret_set(&gir, g, sizeof(g));
	ike_secret_set(&skd, d, sizeof(d));
	/* 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	base.skd = skd;
	base.prf = prf;
	ok(ike_derive_ike_keys(&s, &gir, ni, 32, nr, 48, spii, spir, &base,
	       &k) == 0,
	    "rekey derivation");
	memcpy(in, g, 32);
	memcpy(in + 32, ni, 32);
	memcpy(in + 64, nr, 48);
	ref_hmac("SHA256", d, 32, in, 112, seed);
	flat_seed(in, spii, spir);
	ref_prf_plus("SHA256", 32, seed, 32, in, 96, want, 32);
	is_mem(k.d, want, 32, "rekeyed SK_d from the old SK_d");
	ike_keys_free(&k);
	/* The old SA used SHA-512, the new one SHA-256: SKEYSEED with the
	 * old PRF, prf+ with the new one (2.18). */
	base.prf = ike_prf_find(IKE_PRF_HMAC_SHA2_512);
	ok(ike_derive_ike_keys(&s, &gir, ni, 32, nr, 48, spii, spir, &base,
	       &k) == 0,
	    "rekey derivation, PRF changed");
	memcpy(in, g, 32);
	memcpy(in + 32, ni, 32);
	memcpy(in + 64, nr, 48);
	ref_hmac("SHA512", d, 32, in, 112, seed);
	flat_seed(in, spii, spir);
	ref_prf_plus("SHA256", 32, seed, 64, in, 96, want, 32);
	is_mem(k.d, want, 32, "SKEYSEED from the old SA's PRF");
	ike_keys_free(&k);

	/* 2.17 with PFS: KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) */
	ok(ike_derive_child_keys(prf, d, 32, &child, &gir, ni, 32, nr, 48,
	       &ck) == 0,
	    "child KEYMAT with PFS");
	memcpy(in, g, 32);
	memcpy(in + 32, ni, 32);
	memcpy(in + 64, nr, 48);
	ref_prf_plus("SHA256", 32, d, 32, in, 112, want, 96);
	ok(memcmp(ck.ei, want, 16) == 0 && memcmp(ck.ai, want + 16, 32) == 0 &&
		memcmp(ck.er, want + 48, 16) == 0 &&
		memcmp(ck.ar, want + 64, 32) == 0,
	    "KEYMAT split: encr_i, integ_i, encr_r, integ_r");
	ike_child_keys_free(&ck);
	child.encr = ike_encr_find(IKE_ENCR_AES_GCM_16, 128);
	child.integ = NULL;
	ok(ike_derive_child_keys(prf, d, 32, &child, NULL, ni, 32, nr, 48,
	       &ck) == 0,
	    "child KEYMAT without PFS");
	ref_prf_plus("SHA256", 32, d, 32, in + 32, 80, want, 40);
	ok(ck.elen == 20 && ck.alen == 0 && memcmp(ck.ei, want, 20) == 0 &&
		memcmp(ck.er, want + 20, 20) == 0,
	    "AES-GCM-128 child keys are 20 bytes (4 of salt) each");
	ike_child_keys_free(&ck);
	ike_secret_free(&gir);
	ike_secret_free(&skd);
}

static void
test_psk_auth(void)
{
	const struct ike_prf *prf = ike_prf_find(IKE_PRF_HMAC_SHA2_384);
	static const uint8_t msg[] = "pretend this is the IKE_SA_INIT request";
	static const uint8_t idbody[] = { IKE_ID_FQDN, 0, 0, 0, 'h', 'o',
		'm', 'e' };
	uint8_t skp[48], pad[48], macid[48], flat[200], want[48], got[48];
	struct ike_secret psk, bad;
	struct ike_auth_input in;
	size_t n;

	memset(skp, 0x42, sizeof(skp));
	ike_secret_set(&psk, "correct horse battery staple", 28);
	ike_secret_set(&bad, "correct horse battery stapl3", 28);
	in = (struct ike_auth_input){ msg, sizeof(msg), nr, sizeof(nr), skp,
		sizeof(skp), idbody, sizeof(idbody) };
	ok(ike_psk_auth(prf, &psk, &in, got) == 0, "PSK AUTH computed");
	ref_hmac("SHA384", psk.p, psk.len,
	    (const uint8_t *)"Key Pad for IKEv2", 17, pad);
	ref_hmac("SHA384", skp, 48, idbody, sizeof(idbody), macid);
	n = 0;
	memcpy(flat, msg, sizeof(msg));
	n += sizeof(msg);
	memcpy(flat + n, nr, sizeof(nr));
	n += sizeof(nr);
	memcpy(flat + n, macid, 48);
	n += 48;
	ref_hmac("SHA384", pad, 48, flat, n, want);
	is_mem(got, want, 48,
	    "AUTH = prf(prf(PSK, \"Key Pad for IKEv2\"), SignedOctets)");
	is_int(ike_psk_verify(prf, &psk, &in, want, 48), 1, "verify: match");
	is_int(ike_psk_verify(prf, &bad, &in, want, 48), 0,
	    "verify: wrong PSK");
	is_int(ike_psk_verify(prf, &psk, &in, want, 47), 0,
	    "verify: short AUTH data");
	want[47] ^= 1;
	is_int(ike_psk_verify(prf, &psk, &in, want, 48), 0,
	    "verify: one bit flipped");
	ike_secret_free(&psk);
	ike_secret_free(&bad);
}

static void
test_tables(void)
{
	ok(ike_encr_find(IKE_ENCR_AES_CBC, 0) == NULL,
	    "AES-CBC needs a key length");
	ok(ike_encr_find(IKE_ENCR_AES_GCM_16, 512) == NULL,
	    "no 512-bit AES");
	ok(ike_encr_find(IKE_ENCR_CHACHA20_POLY1305, 256) == NULL,
	    "ChaCha20-Poly1305 takes no Key Length attribute");
	ok(ike_dh_find(IKE_DH_ECP256)->publen == 64 &&
		ike_dh_find(IKE_DH_ECP384)->publen == 96 &&
		ike_dh_find(IKE_DH_CURVE25519)->publen == 32 &&
		ike_dh_find(IKE_DH_MODP2048)->publen == 256,
	    "KE sizes: 64, 96, 32, 256");
	ok(ike_random_spi() != 0, "random SPI is non-zero");
}

int
main(void)
{
	if (ike_crypto_init() == -1)
		return 1;
	test_prf_vectors();
	test_auth_vectors();
	test_prf_plus();
	check_ike_keys(IKE_ENCR_AES_GCM_16, 256, 0, IKE_PRF_HMAC_SHA2_256,
	    "SHA256", 32, 36, 0);
	check_ike_keys(IKE_ENCR_AES_GCM_16, 128, 0, IKE_PRF_HMAC_SHA2_512,
	    "SHA512", 64, 20, 0);
	check_ike_keys(IKE_ENCR_CHACHA20_POLY1305, 0, 0, IKE_PRF_HMAC_SHA2_256,
	    "SHA256", 32, 36, 0);
	check_ike_keys(IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192,
	    IKE_PRF_HMAC_SHA2_384, "SHA384", 48, 32, 48);
	check_ike_keys(IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
	    IKE_PRF_HMAC_SHA2_256, "SHA256", 32, 16, 32);
	test_rekey_and_child();
	test_psk_auth();
	test_tables();
	return tap_done();
}
