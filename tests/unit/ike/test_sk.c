/*
 * test_sk: the Encrypted payload.  Published AEAD vectors are fed to
 * ike_sk_open() laid out as an SK body (AAD = the message before the IV,
 * nonce = salt | IV): RFC 8439 2.8.2 for ChaCha20-Poly1305 (RFC 7634),
 * GCM spec test cases 4 and 16 for AES-GCM (RFC 5282), RFC 3602 case 2
 * for AES-CBC.  Sealing is checked against a direct EVP computation of
 * the layout RFC 7296 3.14 describes, then whole messages round-trip and
 * every tampered byte is refused.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "ike/crypto.h"
#include "ike/sk.h"
#include "tests/unit/ike/hex.h"
#include "tests/unit/tap.h"

struct aead_vec {
	const char	*name;
	uint16_t	 id, keybits;
	const char	*key, *nonce, *aad, *pt, *ct, *tag;
};

static const struct aead_vec aead_vecs[] = {
	{ "RFC 8439 2.8.2 ChaCha20-Poly1305", IKE_ENCR_CHACHA20_POLY1305, 0,
	    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
	    "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
	    /* "Ladies and Gentlemen of the class of '99: If I could offer
	     * you only one tip for the future, sunscreen would be it." */
	    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
	    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
	    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
	    "637265656e20776f756c642062652069742e",
	    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	    "3ff4def08e4b7a9de576d26586cec64b6116",
	    "1ae10b594f09e26a7e902ecbd0600691" },
	{ "GCM spec test case 4 (AES-128)", IKE_ENCR_AES_GCM_16, 128,
	    "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
	    "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	    "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "GCM spec test case 16 (AES-256)", IKE_ENCR_AES_GCM_16, 256,
	    "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	    "cafebabefacedbaddecaf888",
	    "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	    "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* The vector as an SK body: AAD | IV | ciphertext | tag; key | salt. */
static void
test_aead_vec(const struct aead_vec *v)
{
	uint8_t km[36], nonce[12], msg[400], pt[400], want[200];
	struct ike_sk_dir d = { 0 };
	size_t kl, aad, ctl, ptl = 0, wl;

	d.encr = ike_encr_find(v->id, v->keybits);
	kl = unhex(v->key, km, sizeof(km));
	unhex(v->nonce, nonce, sizeof(nonce));
	memcpy(km + kl, nonce, 4);		/* the salt */
	is_int(kl + 4, d.encr->keylen, "%s: key material = key + salt",
	    v->name);
	d.ekey = km;
	aad = unhex(v->aad, msg, sizeof(msg));
	memcpy(msg + aad, nonce + 4, 8);	/* the explicit IV */
	ctl = unhex(v->ct, msg + aad + 8, sizeof(msg) - aad - 8);
	unhex(v->tag, msg + aad + 8 + ctl, 16);
	wl = unhex(v->pt, want, sizeof(want));
	ok(ike_sk_open(&d, msg, aad, 8 + ctl + 16, pt, &ptl) == 0,
	    "%s: tag verifies", v->name);
	is_mem(pt, want, wl, "%s: plaintext", v->name);
	/* The last plaintext byte reads as the Pad Length. */
	is_int(ptl, wl - 1 - want[wl - 1], "%s: pad length honoured",
	    v->name);
	msg[0] ^= 0x80;
	ok(ike_sk_open(&d, msg, aad, 8 + ctl + 16, pt, &ptl) == -1,
	    "%s: AAD bit flip refused", v->name);
}

/* RFC 3602 case 2 as an AES-CBC SK body with an HMAC-SHA2-256-128 ICV. */
static void
test_cbc_vec(void)
{
	uint8_t key[16], akey[32], msg[200], pt[200], want[32], full[32];
	struct ike_sk_dir d = { ike_encr_find(IKE_ENCR_AES_CBC, 128),
		ike_integ_find(IKE_INTEG_HMAC_SHA2_256_128), key, akey, 0 };
	unsigned int n;
	size_t aad = 32, ptl = 99;

	unhex("c286696d887c9aa0611bbb3e2025a45a", key, 16);
	memset(akey, 0x5a, sizeof(akey));
	memset(msg, 0x77, aad);
	unhex("562e17996d093d28ddb3ba695a2e6f58", msg + aad, 16);
	unhex("d296cd94c2cccf8a3a863028b5e1dc0a"
	      "7586602d253cfff91b8266bea6d61ab1",
	    msg + aad + 16, 32);
	unhex("000102030405060708090a0b0c0d0e0f"
	      "101112131415161718191a1b1c1d1e1f",
	    want, 32);
	HMAC(EVP_sha256(), akey, 32, msg, aad + 48, full, &n);
	memcpy(msg + aad + 48, full, 16);
	ok(ike_sk_open(&d, msg, aad, 64, pt, &ptl) == 0,
	    "RFC 3602 case 2: ICV verifies");
	is_mem(pt, want, 32, "RFC 3602 case 2: plaintext");
	is_int(ptl, 0, "RFC 3602 case 2: 0x1f pads the whole 32 bytes");
	msg[aad + 20] ^= 1;
	ok(ike_sk_open(&d, msg, aad, 64, pt, &ptl) == -1,
	    "CBC: ciphertext bit flip refused before decrypting");
}

/* Seal with a fixed IV and compare with EVP used directly. */
static void
test_seal_layout(void)
{
	uint8_t km[64], msg[300], exp[300], tmp[64], iv[8], full[64];
	static const uint8_t pt[21] = "twenty-one bytes here";
	struct ike_sk_dir d = { ike_encr_find(IKE_ENCR_AES_GCM_16, 256), NULL,
		km, NULL, 0 };
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t nonce[12];
	unsigned int hn;
	int l;

	for (l = 0; l < 64; l++)
		km[l] = (uint8_t)(l * 3);
	memset(iv, 0xab, 8);
	memset(msg, 0x33, 40);
	is_int(ike_sk_len(&d, 21), 8 + 22 + 16,
	    "GCM: IV 8 + payloads 21 + Pad Length 1 + ICV 16");
	ok(ike_sk_seal(&d, msg, 40, pt, 21, iv) == 0, "GCM seal");
	memcpy(nonce, km + 32, 4);
	memcpy(nonce + 4, iv, 8);
	memcpy(tmp, pt, 21);
	tmp[21] = 0;
	EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, km, nonce);
	EVP_EncryptUpdate(c, NULL, &l, msg, 40);
	EVP_EncryptUpdate(c, exp, &l, tmp, 22);
	EVP_EncryptFinal_ex(c, exp + l, &l);
	EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, exp + 22);
	ok(memcmp(msg + 40, iv, 8) == 0 && memcmp(msg + 48, exp, 38) == 0,
	    "GCM: IV, then AES-GCM(key, salt | IV, AAD = message head, "
	    "payloads | 0x00), then tag");
	EVP_CIPHER_CTX_reset(c);

	d.encr = ike_encr_find(IKE_ENCR_AES_CBC, 256);
	d.integ = ike_integ_find(IKE_INTEG_HMAC_SHA2_512_256);
	d.akey = km;
	uint8_t iv16[16];
	memset(iv16, 0xcd, 16);
	is_int(ike_sk_len(&d, 21), 16 + 32 + 32,
	    "CBC: IV 16 + two blocks + ICV 32");
	ok(ike_sk_seal(&d, msg, 40, pt, 21, iv16) == 0, "CBC seal");
	memcpy(tmp, pt, 21);
	memset(tmp + 21, 0, 10);
	tmp[31] = 10;
	EVP_EncryptInit_ex(c, EVP_aes_256_cbc(), NULL, km, iv16);
	EVP_CIPHER_CTX_set_padding(c, 0);
	EVP_EncryptUpdate(c, exp, &l, tmp, 32);
	ok(memcmp(msg + 56, exp, 32) == 0,
	    "CBC: payloads | zero padding | Pad Length 10, encrypted");
	HMAC(EVP_sha512(), km, 64, msg, 40 + 16 + 32, full, &hn);
	ok(memcmp(msg + 88, full, 32) == 0,
	    "CBC: ICV = HMAC-SHA-512 over header..ciphertext, first 32");
	EVP_CIPHER_CTX_free(c);
}

struct suite_case {
	uint16_t	encr, keybits, integ;
};

static const struct suite_case suites[] = {
	{ IKE_ENCR_AES_GCM_16, 128, 0 },
	{ IKE_ENCR_AES_GCM_16, 256, 0 },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, 0 },
	{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128 },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192 },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256 },
};

/* Whole message: build inner chain, seal, parse, open, compare. */
static void
test_roundtrip(const struct suite_case *sc)
{
	uint8_t ek[36], ak[64], inner[128], msg[512], pt[512];
	struct ike_sk_dir d = { ike_encr_find(sc->encr, sc->keybits),
		sc->integ ? ike_integ_find(sc->integ) : NULL, ek, ak, 0 };
	struct ike_hdr h = { 0x1111, 0x2222, 0, IKE_VERSION,
		IKE_EXCH_INFORMATIONAL, IKE_FLAG_INITIATOR, 7, 0 };
	struct ike_msg m, in;
	struct ike_notify_pl n;
	struct ike_wbuf w;
	long len, il, i, bad = 0;
	const char *name = d.encr->evp;

	memset(ek, 0x21, sizeof(ek));
	memset(ak, 0x43, sizeof(ak));
	ike_wbuf_chain(&w, inner, sizeof(inner));
	ike_put_notify(&w, IKE_PROTO_IKE, NULL, 0, IKE_N_INITIAL_CONTACT, NULL,
	    0);
	ike_put_delete(&w, IKE_PROTO_IKE, 0, NULL, 0);
	il = ike_wbuf_finish(&w);
	len = ike_sk_build(&d, &h, ike_wbuf_first(&w), inner, (size_t)il, 0, 0,
	    msg, sizeof(msg));
	ok(len > 0 && ike_msg_parse(msg, (size_t)len, &m) == IKE_MSG_OK &&
		m.sk == 0 && m.pl[0].next == IKE_PL_NOTIFY,
	    "%s/%u: sealed message parses; SK names N first", name,
	    sc->integ);
	ok(ike_sk_open_msg(&d, &m, pt, sizeof(pt), &in) == IKE_MSG_OK &&
		in.npl == 2 && in.pl[0].type == IKE_PL_NOTIFY &&
		in.pl[1].type == IKE_PL_DELETE &&
		ike_pl_notify(&in.pl[0], &n) == 0 &&
		n.type == IKE_N_INITIAL_CONTACT,
	    "%s/%u: opens to N(INITIAL_CONTACT), D", name, sc->integ);
	for (i = 0; i < len; i++) {
		msg[i] ^= 0x01;
		/* The Length fields fail the parse; the rest the ICV. */
		if (ike_msg_parse(msg, (size_t)len, &m) == IKE_MSG_OK &&
		    ike_sk_open_msg(&d, &m, pt, sizeof(pt), &in) == IKE_MSG_OK)
			bad++;
		msg[i] ^= 0x01;
	}
	is_int(bad, 0, "%s/%u: each of %ld flipped bits is refused", name,
	    sc->integ, len);
	ek[0] ^= 1;
	ak[0] ^= 1;
	ike_msg_parse(msg, (size_t)len, &m);
	is_int(ike_sk_open_msg(&d, &m, pt, sizeof(pt), &in), IKE_MSG_EAUTH,
	    "%s/%u: wrong key refused", name, sc->integ);
}

static void
test_misc(void)
{
	uint8_t ek[36] = { 0 }, msg[200], pt[200];
	struct ike_sk_dir d = { ike_encr_find(IKE_ENCR_AES_GCM_16, 128), NULL,
		ek, NULL, 0 };
	struct ike_hdr h = { 1, 2, 0, 0, IKE_EXCH_INFORMATIONAL, 0, 1, 0 };
	uint8_t iv1[8], iv2[8];
	size_t ptl;
	long len;

	len = ike_sk_build(&d, &h, 0, NULL, 0, 0, 0, msg, sizeof(msg));
	memcpy(iv1, msg + 32, 8);
	ike_sk_build(&d, &h, 0, NULL, 0, 0, 0, msg, sizeof(msg));
	memcpy(iv2, msg + 32, 8);
	ok(len == 28 + 4 + 8 + 1 + 16 && memcmp(iv1, iv2, 8) != 0,
	    "empty INFORMATIONAL (liveness): 57 bytes, fresh AEAD IV each "
	    "time");
	ok(ike_sk_open(&d, msg, 32, 8 + 16, pt, &ptl) == -1,
	    "AEAD body without room for the Pad Length refused");
	ok(ike_sk_build(&d, &h, 0, NULL, 0, 0, 0, msg, 56) == -1,
	    "build into a buffer one byte short fails");
	d.encr = ike_encr_find(IKE_ENCR_AES_CBC, 128);
	ok(ike_sk_seal(&d, msg, 32, pt, 1, NULL) == -1,
	    "CBC without an integrity algorithm refused");
}

int
main(void)
{
	size_t i;

	if (ike_crypto_init() == -1)
		return 1;
	for (i = 0; i < sizeof(aead_vecs) / sizeof(aead_vecs[0]); i++)
		test_aead_vec(&aead_vecs[i]);
	test_cbc_vec();
	test_seal_layout();
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		test_roundtrip(&suites[i]);
	test_misc();
	return tap_done();
}
