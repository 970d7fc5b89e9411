/*
 * test_auth: message-digest authentication (RFC 2328 D.4.3) against
 * FRR's own packets (vectors.h: key id 1, key "tsunagi"), a packet we
 * sign checked by the same code, and a wrong key, key length or bit.
 */
#include "ospf/auth.c"
#include "ospf/lsa.c"
#include "ospf/pkt.c"

#include "tests/unit/ospf/vectors.h"
#include "tests/unit/tap.h"

#define KEY    ((const uint8_t *)OSPF_VEC_MD5_KEY)
#define KEYLEN (sizeof(OSPF_VEC_MD5_KEY) - 1)

static void
test_frr(void)
{
	size_t i, n = sizeof(ospf_vecs_md5) / sizeof(ospf_vecs_md5[0]);

	for (i = 0; i < n; i++) {
		const struct ospf_vec *v = &ospf_vecs_md5[i];
		struct ospf_pkt pk;

		ospf_pkt_parse(v->p, v->len, &pk);
		ok(ospf_auth_ok(
		       OSPF_ALG_MD5, v->p, pk.h.len, pk.h.trail, KEY, KEYLEN),
		    "%s: FRR's digest is ours", v->name);
		ok(!ospf_auth_ok(OSPF_ALG_MD5, v->p, pk.h.len, pk.h.trail,
		       (const uint8_t *)"tsunagj", KEYLEN),
		    "%s: not with another key", v->name);
	}
}

/* A finished Hello for cryptographic authentication, not signed yet. */
static void
hello(struct ospf_w *w, uint8_t *b, size_t cap)
{
	struct ospf_hello h = {.mask = 0xfffffffc,
	    .hello_ival = 1,
	    .options = 2,
	    .prio = 1,
	    .dead_ival = 4};

	ospf_w_init(w, b, cap);
	ospf_pkt_start(w, OSPF_HELLO, 0x0aff0001, 0);
	ospf_hello_put(w, &h);
	ospf_pkt_finish(w, OSPF_AUTH_CRYPT, NULL);
}

static void
test_sign(void)
{
	uint8_t b[128];
	struct ospf_w w;
	struct ospf_pkt pk;

	hello(&w, b, sizeof(b));
	is_int(ospf_auth_sign(
	           OSPF_ALG_MD5, b, w.len, w.len + 15, 1, 7, KEY, KEYLEN),
	    -1, "no room for the digest: refused");
	ok(ospf_auth_sign(OSPF_ALG_MD5, b, w.len, sizeof(b), 3, 0x6b135798, KEY,
	       KEYLEN) == 0,
	    "signed");
	ok(ospf_pkt_parse(b, w.len + OSPF_MD5_LEN, &pk) == OSPF_PKT_OK &&
	        pk.h.autype == OSPF_AUTH_CRYPT && pk.h.auth[2] == 3 &&
	        pk.h.auth[3] == 16 && ospf_get32(pk.h.auth + 4) == 0x6b135798 &&
	        pk.h.cksum == 0 && pk.h.trail_len == OSPF_MD5_LEN,
	    "key id, length, sequence number in place; checksum 0");
	ok(ospf_auth_ok(OSPF_ALG_MD5, b, w.len, b + w.len, KEY, KEYLEN),
	    "verified");
	ok(!ospf_auth_ok(OSPF_ALG_MD5, b, w.len, b + w.len, KEY, KEYLEN - 1),
	    "not with the key one byte shorter");
	b[30] ^= 0x10;
	ok(!ospf_auth_ok(OSPF_ALG_MD5, b, w.len, b + w.len, KEY, KEYLEN),
	    "not with one bit of the packet changed");
	b[30] ^= 0x10;
	ospf_put32(b + 20, 0x6b135799);
	ok(!ospf_auth_ok(OSPF_ALG_MD5, b, w.len, b + w.len, KEY, KEYLEN),
	    "the sequence number is covered");
}

/* HMAC-SHA-256 (RFC 5709): 32 bytes; keys longer than 32 are hashed. */
static void
test_hmac(void)
{
	static const uint8_t longkey[] =
	    "a key longer than the 32 bytes of a SHA-256 digest, hashed first";
	uint8_t b[128];
	struct ospf_w w;
	struct ospf_pkt pk;

	hello(&w, b, sizeof(b));
	is_int(ospf_auth_len(OSPF_ALG_HMAC_SHA256), 32, "a 32-byte digest");
	ok(ospf_auth_sign(OSPF_ALG_HMAC_SHA256, b, w.len, sizeof(b), 1, 9, KEY,
	       KEYLEN) == 0 &&
	        ospf_pkt_parse(b, w.len + 32, &pk) == OSPF_PKT_OK &&
	        pk.h.auth[3] == 32 && pk.h.trail_len == 32,
	    "signed: length 32 in the header, 32 bytes after the packet");
	ok(ospf_auth_ok(OSPF_ALG_HMAC_SHA256, b, w.len, b + w.len, KEY, KEYLEN),
	    "verified");
	ok(!ospf_auth_ok(OSPF_ALG_MD5, b, w.len, b + w.len, KEY, KEYLEN),
	    "not as MD5");
	ok(!ospf_auth_ok(OSPF_ALG_HMAC_SHA256, b, w.len, b + w.len,
	       (const uint8_t *)"tsunagj", KEYLEN),
	    "not with another key");
	ok(ospf_auth_sign(OSPF_ALG_HMAC_SHA256, b, w.len, sizeof(b), 1, 9,
	       longkey, sizeof(longkey) - 1) == 0 &&
	        ospf_auth_ok(OSPF_ALG_HMAC_SHA256, b, w.len, b + w.len, longkey,
	            sizeof(longkey) - 1) &&
	        !ospf_auth_ok(
	            OSPF_ALG_HMAC_SHA256, b, w.len, b + w.len, longkey, 32),
	    "a long key: hashed, all of it counts");
}

int
main(void)
{
	test_frr();
	test_sign();
	test_hmac();
	return tap_done();
}
