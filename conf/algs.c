/*
 * algs.c: the algorithm keywords of sa-proposal, child-proposal and
 * child-pfs.  Names follow NEC IX ("aes-cbc-256", "sha2-256", "2048-bit");
 * the first row of a value is the name printed back, later rows are
 * accepted aliases.
 */
#include <stddef.h>
#include <string.h>

#include "conf/internal.h"

struct alg {
	int kind;
	const char *name;
	int value;
	int weak; /* accepted with a warning */
};

static const struct alg algs[] = {
    {CONF_ALG_ENC, "aes-cbc-128", CONF_ENC_AES_CBC_128, 0},
    {CONF_ALG_ENC, "aes-cbc-192", CONF_ENC_AES_CBC_192, 0},
    {CONF_ALG_ENC, "aes-cbc-256", CONF_ENC_AES_CBC_256, 0},
    {CONF_ALG_ENC, "aes-gcm-128-16", CONF_ENC_AES_GCM16_128, 0},
    {CONF_ALG_ENC, "aes-gcm-192-16", CONF_ENC_AES_GCM16_192, 0},
    {CONF_ALG_ENC, "aes-gcm-256-16", CONF_ENC_AES_GCM16_256, 0},
    {CONF_ALG_ENC, "chacha20-poly1305", CONF_ENC_CHACHA20_POLY1305, 0},
    {CONF_ALG_ENC, "aes-gcm-128", CONF_ENC_AES_GCM16_128, 0},
    {CONF_ALG_ENC, "aes-gcm-256", CONF_ENC_AES_GCM16_256, 0},
    {CONF_ALG_INTEG, "sha1", CONF_INTEG_SHA1, 0},
    {CONF_ALG_INTEG, "sha2-256", CONF_INTEG_SHA2_256, 0},
    {CONF_ALG_INTEG, "sha2-384", CONF_INTEG_SHA2_384, 0},
    {CONF_ALG_INTEG, "sha2-512", CONF_INTEG_SHA2_512, 0},
    {CONF_ALG_PRF, "sha1", CONF_INTEG_SHA1, 0},
    {CONF_ALG_PRF, "sha2-256", CONF_INTEG_SHA2_256, 0},
    {CONF_ALG_PRF, "sha2-384", CONF_INTEG_SHA2_384, 0},
    {CONF_ALG_PRF, "sha2-512", CONF_INTEG_SHA2_512, 0},
    {CONF_ALG_DH, "1024-bit", CONF_DH_MODP1024, 1},
    {CONF_ALG_DH, "1536-bit", CONF_DH_MODP1536, 1},
    {CONF_ALG_DH, "2048-bit", CONF_DH_MODP2048, 0},
    {CONF_ALG_DH, "3072-bit", CONF_DH_MODP3072, 0},
    {CONF_ALG_DH, "4096-bit", CONF_DH_MODP4096, 0},
    {CONF_ALG_DH, "ecp-256", CONF_DH_ECP256, 0},
    {CONF_ALG_DH, "ecp-384", CONF_DH_ECP384, 0},
    {CONF_ALG_DH, "ecp-521", CONF_DH_ECP521, 0},
    {CONF_ALG_DH, "curve25519", CONF_DH_CURVE25519, 0},
};

#define NALGS (sizeof(algs) / sizeof(algs[0]))

const char *
conf_alg_name(int kind, int value)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].kind == kind && algs[i].value == value)
			return algs[i].name;
	return NULL;
}

int
conf_enc_is_aead(int enc)
{
	return enc == CONF_ENC_AES_GCM16_128 || enc == CONF_ENC_AES_GCM16_192 ||
	       enc == CONF_ENC_AES_GCM16_256 ||
	       enc == CONF_ENC_CHACHA20_POLY1305;
}

/* The value, or -1; -2 - value for a weak one the caller warns about. */
int
conf_alg_lookup(int kind, const char *name)
{
	size_t i;

	for (i = 0; i < NALGS; i++)
		if (algs[i].kind == kind && strcmp(algs[i].name, name) == 0)
			return algs[i].weak ? -2 - algs[i].value
			                    : algs[i].value;
	return -1;
}

const char *
conf_alg_suggest(int kind, const char *name)
{
	const char *cand[NALGS];
	size_t i, n = 0;

	for (i = 0; i < NALGS; i++)
		if (algs[i].kind == kind)
			cand[n++] = algs[i].name;
	return suggest(name, cand, n);
}

/* "aes-cbc-128, aes-cbc-192, ..." for messages. */
void
conf_alg_list(int kind, char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NALGS; i++) {
		if (algs[i].kind != kind ||
		    conf_alg_name(kind, algs[i].value) != algs[i].name)
			continue;
		if (buf[0] != '\0')
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, algs[i].name, len - strlen(buf) - 1);
	}
}
