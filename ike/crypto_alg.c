/*
 * crypto_alg.c: the transforms we implement and what each needs (key,
 * salt, IV and ICV sizes; RFC 7296 3.3.2, RFC 4868, RFC 5282, RFC 7634,
 * RFC 5903, RFC 8031).  A transform absent here is never selected.
 */
#include <stddef.h>

#include "ike/crypto.h"
#include "ike/wire.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct ike_encr encrs[] = {
	{ IKE_ENCR_AES_CBC, 128, 16, 0, 16, 0, 16, "AES-128-CBC" },
	{ IKE_ENCR_AES_CBC, 192, 24, 0, 16, 0, 16, "AES-192-CBC" },
	{ IKE_ENCR_AES_CBC, 256, 32, 0, 16, 0, 16, "AES-256-CBC" },
	/* RFC 5282: 4 bytes of salt follow the key; 8-byte explicit IV.
	 * No alignment is needed, so the padding unit is one byte. */
	{ IKE_ENCR_AES_GCM_16, 128, 20, 4, 8, 16, 1, "AES-128-GCM" },
	{ IKE_ENCR_AES_GCM_16, 192, 28, 4, 8, 16, 1, "AES-192-GCM" },
	{ IKE_ENCR_AES_GCM_16, 256, 36, 4, 8, 16, 1, "AES-256-GCM" },
	/* RFC 7634: fixed 256-bit key, no Key Length attribute. */
	{ IKE_ENCR_CHACHA20_POLY1305, 0, 36, 4, 8, 16, 1,
	    "ChaCha20-Poly1305" },
};

static const struct ike_integ integs[] = {
	{ IKE_INTEG_HMAC_SHA1_96, 20, 12, "SHA1" },
	{ IKE_INTEG_HMAC_SHA2_256_128, 32, 16, "SHA256" },
	{ IKE_INTEG_HMAC_SHA2_384_192, 48, 24, "SHA384" },
	{ IKE_INTEG_HMAC_SHA2_512_256, 64, 32, "SHA512" },
};

static const struct ike_prf prfs[] = {
	{ IKE_PRF_HMAC_SHA1, 20, 20, "SHA1" },
	{ IKE_PRF_HMAC_SHA2_256, 32, 32, "SHA256" },
	{ IKE_PRF_HMAC_SHA2_384, 48, 48, "SHA384" },
	{ IKE_PRF_HMAC_SHA2_512, 64, 64, "SHA512" },
};

static const struct ike_dhgrp dhs[] = {
	{ IKE_DH_MODP1536, IKE_DHK_MODP, 192, 192, "modp_1536" },
	{ IKE_DH_MODP2048, IKE_DHK_MODP, 256, 256, "modp_2048" },
	{ IKE_DH_MODP3072, IKE_DHK_MODP, 384, 384, "modp_3072" },
	{ IKE_DH_MODP4096, IKE_DHK_MODP, 512, 512, "modp_4096" },
	{ IKE_DH_ECP256, IKE_DHK_ECP, 64, 32, "prime256v1" },
	{ IKE_DH_ECP384, IKE_DHK_ECP, 96, 48, "secp384r1" },
	{ IKE_DH_ECP521, IKE_DHK_ECP, 132, 66, "secp521r1" },
	{ IKE_DH_CURVE25519, IKE_DHK_X25519, 32, 32, "X25519" },
};

const struct ike_encr *
ike_encr_find(uint16_t id, uint16_t keybits)
{
	size_t i;

	for (i = 0; i < NELEM(encrs); i++)
		if (encrs[i].id == id && encrs[i].keybits == keybits)
			return &encrs[i];
	return NULL;
}

const struct ike_integ *
ike_integ_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < NELEM(integs); i++)
		if (integs[i].id == id)
			return &integs[i];
	return NULL;
}

const struct ike_prf *
ike_prf_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < NELEM(prfs); i++)
		if (prfs[i].id == id)
			return &prfs[i];
	return NULL;
}

const struct ike_dhgrp *
ike_dh_find(uint16_t id)
{
	size_t i;

	for (i = 0; i < NELEM(dhs); i++)
		if (dhs[i].id == id)
			return &dhs[i];
	return NULL;
}
