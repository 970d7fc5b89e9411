/*
 * crypto_dh.c: Diffie-Hellman over EVP_PKEY for MODP (RFC 3526), ECP
 * (RFC 5903: the KE payload carries x | y, no 0x04 prefix, and g^ir is x
 * alone) and Curve25519 (RFC 8031).  Peer values are validated before any
 * use; a bad one is an error, never a weak key.  The private key lives in
 * OpenSSL's memory; g^ir goes straight into guarded memory.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto.h"
#include "ike/wire.h"

struct ike_dh {
	const struct ike_dhgrp	*g;
	EVP_PKEY		*key;
};

static const char *
dh_type(const struct ike_dhgrp *g)
{
	return g->kind == IKE_DHK_MODP ? "DH" : "EC";
}

/*
 * An EVP_PKEY from wire values: MODP and ECP through fromdata (which for
 * EC also checks that the point decodes onto the curve), X25519 raw.
 */
static EVP_PKEY *
pkey_from(const struct ike_dhgrp *g, const uint8_t *priv, size_t privlen,
    const uint8_t *pub, size_t publen)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	BIGNUM *bpriv = NULL, *bpub = NULL;
	uint8_t enc[1 + IKE_DH_PUB_MAX];

	if (g->kind == IKE_DHK_X25519)
		return priv ? EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519,
				  NULL, priv, privlen) :
			      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519,
				  NULL, pub, publen);
	if (publen != g->publen || (bld = OSSL_PARAM_BLD_new()) == NULL)
		return NULL;
	if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
		g->name, 0))
		goto out;
	if (g->kind == IKE_DHK_ECP) {
		enc[0] = 0x04;	/* uncompressed: RFC 5903 drops this byte */
		memcpy(enc + 1, pub, publen);
		if (!OSSL_PARAM_BLD_push_octet_string(bld,
			OSSL_PKEY_PARAM_PUB_KEY, enc, publen + 1))
			goto out;
	} else if ((bpub = BN_bin2bn(pub, (int)publen, NULL)) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, bpub))
		goto out;
	if (priv && ((bpriv = BN_bin2bn(priv, (int)privlen, NULL)) == NULL ||
			!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY,
			    bpriv)))
		goto out;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, dh_type(g), NULL)) ==
		NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk,
		priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
		pk = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(bpriv);
	BN_free(bpub);
	return pk;
}

static EVP_PKEY *
keygen(const struct ike_dhgrp *g)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pk = NULL;
	OSSL_PARAM params[2];

	if (g->kind == IKE_DHK_X25519)
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
	else
		ctx = EVP_PKEY_CTX_new_from_name(NULL, dh_type(g), NULL);
	if (ctx == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_PKEY_keygen_init(ctx) != 1 ||
	    (g->kind != IKE_DHK_X25519 &&
		EVP_PKEY_CTX_set_params(ctx, params) != 1) ||
	    EVP_PKEY_generate(ctx, &pk) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

static struct ike_dh *
dh_wrap(const struct ike_dhgrp *g, EVP_PKEY *pk)
{
	struct ike_dh *dh;

	if (pk == NULL)
		return NULL;
	if ((dh = calloc(1, sizeof(*dh))) == NULL) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	dh->g = g;
	dh->key = pk;
	return dh;
}

struct ike_dh *
ike_dh_new(uint16_t group)
{
	const struct ike_dhgrp *g = ike_dh_find(group);

	return g ? dh_wrap(g, keygen(g)) : NULL;
}

struct ike_dh *
ike_dh_new_fixed(uint16_t group, const uint8_t *priv, size_t privlen,
    const uint8_t *pub, size_t publen)
{
	const struct ike_dhgrp *g = ike_dh_find(group);

	if (g == NULL || priv == NULL || privlen == 0)
		return NULL;
	return dh_wrap(g, pkey_from(g, priv, privlen, pub, publen));
}

void
ike_dh_free(struct ike_dh *dh)
{
	if (dh == NULL)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

uint16_t
ike_dh_group(const struct ike_dh *dh)
{
	return dh->g->id;
}

long
ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap)
{
	uint8_t enc[1 + IKE_DH_PUB_MAX];
	BIGNUM *bn = NULL;
	size_t n = 0;
	int ok;

	if (cap < dh->g->publen)
		return -1;
	switch (dh->g->kind) {
	case IKE_DHK_X25519:
		n = cap;
		ok = EVP_PKEY_get_raw_public_key(dh->key, out, &n) == 1 &&
		    n == dh->g->publen;
		break;
	case IKE_DHK_ECP:
		ok = EVP_PKEY_get_octet_string_param(dh->key,
			 OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, enc, sizeof(enc),
			 &n) == 1 &&
		    n == dh->g->publen + 1 && enc[0] == 0x04;
		if (ok)
			memcpy(out, enc + 1, dh->g->publen);
		break;
	default:
		/* 3.4: MODP values are padded with zeros to the prime's
		 * length. */
		ok = EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY,
			 &bn) == 1 &&
		    BN_bn2binpad(bn, out, (int)dh->g->publen) ==
			(int)dh->g->publen;
		BN_free(bn);
		break;
	}
	return ok ? (long)dh->g->publen : -1;
}

/* Full public-key validation: on the curve, or 1 < y < p-1 of order q. */
static int
peer_check(EVP_PKEY *peer)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, peer, NULL)) == NULL)
		return 0;
	ok = EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int
ike_dh_derive(const struct ike_dh *dh, const uint8_t *peer, size_t peerlen,
    struct ike_secret *gir)
{
	const struct ike_dhgrp *g = dh->g;
	EVP_PKEY *pk;
	EVP_PKEY_CTX *ctx = NULL;
	size_t n = g->secretlen;
	int r = -1;

	gir->p = NULL;
	if (peerlen != g->publen || (pk = pkey_from(g, NULL, 0, peer,
					 peerlen)) == NULL)
		return -1;
	if (g->kind != IKE_DHK_X25519 && !peer_check(pk))
		goto out;
	if (ike_secret_alloc(gir, g->secretlen) == -1)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) == NULL ||
	    EVP_PKEY_derive_init(ctx) != 1 ||
	    (g->kind == IKE_DHK_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1) ||
	    EVP_PKEY_derive_set_peer(ctx, pk) != 1 ||
	    EVP_PKEY_derive(ctx, gir->p, &n) != 1 || n != g->secretlen)
		goto out;
	/* RFC 8031 2.3: an all-zero X25519 result means a small-order
	 * point; refuse it (OpenSSL does too, this says so here). */
	if (sodium_is_zero(gir->p, gir->len))
		goto out;
	r = 0;
out:
	if (r == -1)
		ike_secret_free(gir);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return r;
}
