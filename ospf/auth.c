/*
 * auth.c: MD5 authentication of OSPFv2 packets (RFC 2328 D.4.3).  See
 * auth.h.  MD5 because the RFC and every OSPFv2 router speak it; the
 * digest is compared in constant time.
 */
#include "ospf/auth.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

#include "ospf/lsa.h"
#include "ospf/wire.h"

/* MD5(packet || key zero-padded to 16 bytes). */
static int
auth_md5(const uint8_t *p, size_t len, const uint8_t *key, size_t keylen,
    uint8_t out[OSPF_MD5_LEN])
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

int
ospf_auth_md5_sign(uint8_t *p, size_t len, size_t cap, uint8_t keyid,
    uint32_t seq, const uint8_t *key, size_t keylen)
{
	if (len < OSPF_HDR_LEN || cap < len + OSPF_MD5_LEN)
		return -1;
	ospf_put16(p + 12, 0); /* no checksum (D.4.3) */
	ospf_put16(p + 14, OSPF_AUTH_CRYPT);
	ospf_put16(p + 16, 0);
	p[18] = keyid;
	p[19] = OSPF_MD5_LEN;
	ospf_put32(p + 20, seq);
	return auth_md5(p, len, key, keylen, p + len);
}

int
ospf_auth_md5_ok(const uint8_t *p, size_t len, const uint8_t *digest,
    const uint8_t *key, size_t keylen)
{
	uint8_t d[OSPF_MD5_LEN];
	int ok;

	if (auth_md5(p, len, key, keylen, d) < 0)
		return 0;
	ok = sodium_memcmp(d, digest, OSPF_MD5_LEN) == 0;
	sodium_memzero(d, sizeof(d));
	return ok;
}
