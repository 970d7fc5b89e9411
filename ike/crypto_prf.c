/*
 * crypto_prf.c: HMAC as the IKEv2 PRF, prf+ (RFC 7296 2.13), the IKE SA
 * keys (2.14, 2.18), CHILD_SA KEYMAT (2.17) and PSK AUTH (2.15).  Every
 * intermediate that is a key lives in guarded memory and is freed wiped.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto.h"

int
ike_hmac_v(const char *md, const uint8_t *key, size_t keylen,
    const struct ike_iov *iov, size_t niov, uint8_t *out, size_t outlen)
{
	uint8_t full[IKE_PRF_MAX];
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	size_t i, n = 0;
	int r = -1;

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* A zero-length key is legal HMAC; OpenSSL wants a non-NULL one. */
	if ((ctx = EVP_MAC_CTX_new(mac)) == NULL ||
	    !EVP_MAC_init(ctx, keylen ? key : (const uint8_t *)"", keylen,
		params))
		goto out;
	for (i = 0; i < niov; i++)
		if (iov[i].len && !EVP_MAC_update(ctx, iov[i].p, iov[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, full, &n, sizeof(full)) || outlen > n)
		goto out;
	memcpy(out, full, outlen);
	r = 0;
out:
	sodium_memzero(full, sizeof(full));
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return r;
}

int
ike_digest_v(const char *md, const struct ike_iov *iov, size_t niov,
    uint8_t *out, size_t outlen)
{
	uint8_t full[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx;
	unsigned n = 0;
	size_t i;
	int r = -1;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex2(ctx, EVP_get_digestbyname(md), NULL))
		goto out;
	for (i = 0; i < niov; i++)
		if (iov[i].len && !EVP_DigestUpdate(ctx, iov[i].p, iov[i].len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, full, &n) || outlen > n)
		goto out;
	memcpy(out, full, outlen);
	r = 0;
out:
	EVP_MD_CTX_free(ctx);
	return r;
}

int
ike_prf_v(const struct ike_prf *prf, const uint8_t *key, size_t keylen,
    const struct ike_iov *iov, size_t niov, uint8_t *out)
{
	return ike_hmac_v(prf->md, key, keylen, iov, niov, out, prf->outlen);
}

#define PRF_PLUS_MAX_SEED 6

int
ike_prf_plus(const struct ike_prf *prf, const uint8_t *key, size_t keylen,
    const struct ike_iov *seed, size_t nseed, uint8_t *out, size_t outlen)
{
	struct ike_iov iov[PRF_PLUS_MAX_SEED + 2];
	uint8_t t[IKE_PRF_MAX], ctr;
	size_t done = 0, n, i;
	int r = -1;

	/* The counter is one octet: 255 blocks at most. */
	if (nseed > PRF_PLUS_MAX_SEED || outlen > 255 * prf->outlen)
		return -1;
	for (ctr = 1; done < outlen; ctr++) {
		n = 0;
		/* T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n) */
		if (ctr > 1)
			iov[n++] = (struct ike_iov){ t, prf->outlen };
		for (i = 0; i < nseed; i++)
			iov[n++] = seed[i];
		iov[n++] = (struct ike_iov){ &ctr, 1 };
		if (ike_prf_v(prf, key, keylen, iov, n, t) == -1)
			goto out;
		n = outlen - done < prf->outlen ? outlen - done : prf->outlen;
		memcpy(out + done, t, n);
		done += n;
	}
	r = 0;
out:
	sodium_memzero(t, sizeof(t));
	return r;
}

static uint8_t *
carve(uint8_t **p, size_t len)
{
	uint8_t *r = *p;

	*p += len;
	return r;
}

/*
 * SKEYSEED (2.14, or 2.18 for a rekey) into a guarded buffer.  A rekey's
 * SKEYSEED comes from the old SA's PRF: the exchange belongs to it.
 */
static int
skeyseed(const struct ike_suite *s, const struct ike_secret *gir,
    const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
    const struct ike_rekey_base *old, struct ike_secret *seed)
{
	const struct ike_prf *prf = old != NULL ? old->prf : s->prf;
	struct ike_iov iov[3];
	uint8_t *nonces;
	int r;

	if (ike_secret_alloc(seed, prf->outlen) == -1)
		return -1;
	if (old != NULL) {
		iov[0] = (struct ike_iov){ gir->p, gir->len };
		iov[1] = (struct ike_iov){ ni, nilen };
		iov[2] = (struct ike_iov){ nr, nrlen };
		r = ike_prf_v(prf, old->skd.p, old->skd.len, iov, 3, seed->p);
	} else {
		/* The key is Ni | Nr: public values, plain memory. */
		if ((nonces = malloc(nilen + nrlen)) == NULL)
			return ike_secret_free(seed), -1;
		memcpy(nonces, ni, nilen);
		memcpy(nonces + nilen, nr, nrlen);
		iov[0] = (struct ike_iov){ gir->p, gir->len };
		r = ike_prf_v(s->prf, nonces, nilen + nrlen, iov, 1, seed->p);
		free(nonces);
	}
	if (r == -1)
		ike_secret_free(seed);
	return r;
}

int
ike_derive_ike_keys(const struct ike_suite *s, const struct ike_secret *gir,
    const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
    uint64_t spii, uint64_t spir, const struct ike_rekey_base *old,
    struct ike_keys *k)
{
	struct ike_secret seed;
	struct ike_iov iov[4];
	uint8_t spis[16], *p;
	int r;

	memset(k, 0, sizeof(*k));
	k->dlen = k->plen = s->prf->outlen;
	k->alen = s->integ ? s->integ->keylen : 0;
	k->elen = s->encr->keylen;
	if (skeyseed(s, gir, ni, nilen, nr, nrlen, old, &seed) == -1)
		return -1;
	if (ike_secret_alloc(&k->mem,
		k->dlen + 2 * (k->alen + k->elen + k->plen)) == -1) {
		ike_secret_free(&seed);
		return -1;
	}
	for (int i = 0; i < 8; i++) {
		spis[i] = (uint8_t)(spii >> (56 - 8 * i));
		spis[8 + i] = (uint8_t)(spir >> (56 - 8 * i));
	}
	iov[0] = (struct ike_iov){ ni, nilen };
	iov[1] = (struct ike_iov){ nr, nrlen };
	iov[2] = (struct ike_iov){ spis, 8 };
	iov[3] = (struct ike_iov){ spis + 8, 8 };
	r = ike_prf_plus(s->prf, seed.p, seed.len, iov, 4, k->mem.p,
	    k->mem.len);
	ike_secret_free(&seed);
	if (r == -1) {
		ike_keys_free(k);
		return -1;
	}
	p = k->mem.p;
	k->d = carve(&p, k->dlen);
	k->ai = carve(&p, k->alen);
	k->ar = carve(&p, k->alen);
	k->ei = carve(&p, k->elen);
	k->er = carve(&p, k->elen);
	k->pi = carve(&p, k->plen);
	k->pr = carve(&p, k->plen);
	return 0;
}

void
ike_keys_free(struct ike_keys *k)
{
	ike_secret_free(&k->mem);
	memset(k, 0, sizeof(*k));
}

int
ike_derive_child_keys(const struct ike_prf *prf, const uint8_t *skd,
    size_t skdlen, const struct ike_suite *child,
    const struct ike_secret *gir, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen, struct ike_child_keys *k)
{
	struct ike_iov iov[3];
	size_t n = 0;
	uint8_t *p;

	memset(k, 0, sizeof(*k));
	k->elen = child->encr->keylen;
	k->alen = child->integ ? child->integ->keylen : 0;
	if (ike_secret_alloc(&k->mem, 2 * (k->elen + k->alen)) == -1)
		return -1;
	if (gir != NULL)
		iov[n++] = (struct ike_iov){ gir->p, gir->len };
	iov[n++] = (struct ike_iov){ ni, nilen };
	iov[n++] = (struct ike_iov){ nr, nrlen };
	if (ike_prf_plus(prf, skd, skdlen, iov, n, k->mem.p, k->mem.len) ==
	    -1) {
		ike_child_keys_free(k);
		return -1;
	}
	/* 2.17: encryption key then integrity key, initiator's first. */
	p = k->mem.p;
	k->ei = carve(&p, k->elen);
	k->ai = carve(&p, k->alen);
	k->er = carve(&p, k->elen);
	k->ar = carve(&p, k->alen);
	return 0;
}

void
ike_child_keys_free(struct ike_child_keys *k)
{
	ike_secret_free(&k->mem);
	memset(k, 0, sizeof(*k));
}

static const char key_pad[] = "Key Pad for IKEv2";

int
ike_psk_auth(const struct ike_prf *prf, const struct ike_secret *psk,
    const struct ike_auth_input *in, uint8_t *out)
{
	struct ike_secret padkey;
	struct ike_iov iov[3];
	uint8_t macid[IKE_PRF_MAX];
	int r = -1;

	if (ike_secret_alloc(&padkey, prf->outlen) == -1)
		return -1;
	/* The pad string goes in without its NUL (17 octets). */
	iov[0] = (struct ike_iov){ key_pad, sizeof(key_pad) - 1 };
	if (ike_prf_v(prf, psk->p, psk->len, iov, 1, padkey.p) == -1)
		goto out;
	iov[0] = (struct ike_iov){ in->idbody, in->idlen };
	if (ike_prf_v(prf, in->skp, in->skplen, iov, 1, macid) == -1)
		goto out;
	iov[0] = (struct ike_iov){ in->msg, in->msglen };
	iov[1] = (struct ike_iov){ in->nonce, in->noncelen };
	iov[2] = (struct ike_iov){ macid, prf->outlen };
	r = ike_prf_v(prf, padkey.p, padkey.len, iov, 3, out);
out:
	ike_secret_free(&padkey);
	return r;
}

int
ike_psk_verify(const struct ike_prf *prf, const struct ike_secret *psk,
    const struct ike_auth_input *in, const uint8_t *auth, size_t authlen)
{
	uint8_t want[IKE_PRF_MAX];
	int r;

	if (ike_psk_auth(prf, psk, in, want) == -1)
		return -1;
	/* The length is public (it is the PRF's); the bytes are not. */
	r = authlen == prf->outlen && ike_ct_equal(want, auth, authlen);
	sodium_memzero(want, sizeof(want));
	return r;
}
