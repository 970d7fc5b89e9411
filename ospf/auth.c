/*
 * auth.c: cryptographic authentication of OSPFv2 packets: keyed MD5
 * (RFC 2328 D.4.3), as every OSPFv2 router speaks it, and HMAC-SHA-256
 * (RFC 5709).  See auth.h.  Digests are compared in constant time.
 */
#include "ospf/auth.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

#include "ospf/lsa.h"
#include "ospf/wire.h"

/* RFC 5709 3.3: what stands in the digest's place while it is made. */
#define APAD 0x878fe1f3u

size_t
ospf_auth_len(int alg)
{
	return alg == OSPF_ALG_HMAC_SHA256 ? OSPF_SHA256_LEN : OSPF_MD5_LEN;
}

/* D.4.3: MD5(packet || key zero-padded to 16 bytes). */
static int
auth_md5(const uint8_t *p, size_t len, const uint8_t *key, size_t keylen,
    uint8_t *out)
{
	uint8_t k[OSPF_MD5_LEN] = {0};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned n = 0;
	int ok;

	if (!ctx)
		return -1;
	memcpy(k, key, keylen < sizeof(k) ? keylen : sizeof(k));
	ok = EVP_DigestInit_ex2(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, p, len) &&
	     EVP_DigestUpdate(ctx, k, sizeof(k)) &&
	     EVP_DigestFinal_ex(ctx, out, &n) && n == OSPF_MD5_LEN;
	EVP_MD_CTX_free(ctx);
	sodium_memzero(k, sizeof(k));
	return ok ? 0 : -1;
}

/*
 * RFC 5709 3.3: the key made L (32) bytes long, padded with zeros or
 * hashed if longer; HMAC-SHA-256 over the packet and Apad.
 */
static int
auth_sha256(const uint8_t *p, size_t len, const uint8_t *key, size_t keylen,
    uint8_t *out)
{
	uint8_t ko[OSPF_SHA256_LEN] = {0}, apad[OSPF_SHA256_LEN];
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(
	        OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
	    OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	size_t n = 0, i;
	int ok = 0;

	if (keylen > sizeof(ko)) {
		unsigned hl = 0;

		if (!EVP_Digest(key, keylen, ko, &hl, EVP_sha256(), NULL))
			goto out;
	} else
		memcpy(ko, key, keylen);
	for (i = 0; i < sizeof(apad); i += 4)
		ospf_put32(apad + i, APAD);
	ok = ctx && EVP_MAC_init(ctx, ko, sizeof(ko), params) &&
	     EVP_MAC_update(ctx, p, len) &&
	     EVP_MAC_update(ctx, apad, sizeof(apad)) &&
	     EVP_MAC_final(ctx, out, &n, OSPF_SHA256_LEN) &&
	     n == OSPF_SHA256_LEN;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	sodium_memzero(ko, sizeof(ko));
	return ok ? 0 : -1;
}

static int
auth_digest(int alg, const uint8_t *p, size_t len, const uint8_t *key,
    size_t keylen, uint8_t *out)
{
	if (alg == OSPF_ALG_HMAC_SHA256)
		return auth_sha256(p, len, key, keylen, out);
	return auth_md5(p, len, key, keylen, out);
}

int
ospf_auth_sign(int alg, uint8_t *p, size_t len, size_t cap, uint8_t keyid,
    uint32_t seq, const uint8_t *key, size_t keylen)
{
	size_t dlen = ospf_auth_len(alg);

	if (len < OSPF_HDR_LEN || cap < len + dlen)
		return -1;
	ospf_put16(p + 12, 0); /* no checksum (D.4.3) */
	ospf_put16(p + 14, OSPF_AUTH_CRYPT);
	ospf_put16(p + 16, 0);
	p[18] = keyid;
	p[19] = (uint8_t)dlen;
	ospf_put32(p + 20, seq);
	return auth_digest(alg, p, len, key, keylen, p + len);
}

int
ospf_auth_ok(int alg, const uint8_t *p, size_t len, const uint8_t *digest,
    const uint8_t *key, size_t keylen)
{
	uint8_t d[OSPF_DIGEST_MAX];
	size_t dlen = ospf_auth_len(alg);
	int ok;

	if (auth_digest(alg, p, len, key, keylen, d) < 0)
		return 0;
	ok = sodium_memcmp(d, digest, dlen) == 0;
	sodium_memzero(d, sizeof(d));
	return ok;
}
