/*
 * crypto.h: IKEv2 cryptography over OpenSSL 3 EVP: algorithm tables, PRF
 * and prf+, key derivation (RFC 7296 2.13-2.17), Diffie-Hellman, the SK
 * payload, PSK authentication.  Secrets are kept in libsodium guarded
 * memory (struct ike_secret) and never logged; nothing here logs at all.
 * Every function returns 0 (or a length) on success, -1 on failure.
 * Private to ike/.
 */
#ifndef TSUNAGI_IKE_CRYPTO_H
#define TSUNAGI_IKE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PRF_MAX	64	/* longest PRF output (SHA-512) */
#define IKE_ICV_MAX	32	/* longest ICV */
#define IKE_DH_PUB_MAX	512	/* longest public value (MODP-4096) */
#define IKE_IV_MAX	16

/* Secrets (crypto_secret.c) ------------------------------------------------ */

/* Bytes in sodium_malloc'd memory: guard pages, mlock, wiped on free. */
struct ike_secret {
	uint8_t	*p;
	size_t	 len;
};

/* sodium_init(); call once before anything else here. */
int ike_crypto_init(void);
int ike_secret_alloc(struct ike_secret *s, size_t len);
int ike_secret_set(struct ike_secret *s, const void *p, size_t len);
void ike_secret_free(struct ike_secret *s);
/* Fill with random bytes, and a random SPI that is never zero. */
void ike_random(void *buf, size_t len);
uint64_t ike_random_spi(void);
/* Constant-time equality: 1 if equal. */
int ike_ct_equal(const void *a, const void *b, size_t len);

/* Algorithms (crypto_alg.c) ------------------------------------------------- */

struct ike_encr {
	uint16_t	 id;		/* IKE_ENCR_* */
	uint16_t	 keybits;	/* the Key Length attribute; 0 = none */
	size_t		 keylen;	/* key material, salt included */
	size_t		 saltlen;	/* AEAD: implicit nonce part (4) */
	size_t		 ivlen;		/* explicit IV on the wire */
	size_t		 icvlen;	/* AEAD tag, else 0 */
	size_t		 block;		/* padding unit */
	const char	*evp;		/* OpenSSL cipher name */
};

struct ike_integ {
	uint16_t	 id;		/* IKE_INTEG_* */
	size_t		 keylen;
	size_t		 icvlen;	/* truncated output */
	const char	*md;
};

struct ike_prf {
	uint16_t	 id;		/* IKE_PRF_* */
	size_t		 keylen;	/* preferred key size (2.13) */
	size_t		 outlen;
	const char	*md;
};

enum ike_dh_kind {
	IKE_DHK_MODP,
	IKE_DHK_ECP,
	IKE_DHK_X25519,
};

struct ike_dhgrp {
	uint16_t	 id;		/* IKE_DH_* */
	enum ike_dh_kind kind;
	size_t		 publen;	/* public value in the KE payload */
	size_t		 secretlen;	/* g^ir */
	const char	*name;		/* OpenSSL group name */
};

/* NULL when we do not implement the transform (or that key length). */
const struct ike_encr *ike_encr_find(uint16_t id, uint16_t keybits);
const struct ike_integ *ike_integ_find(uint16_t id);
const struct ike_prf *ike_prf_find(uint16_t id);
const struct ike_dhgrp *ike_dh_find(uint16_t id);
static inline int
ike_encr_aead(const struct ike_encr *e)
{
	return e->icvlen != 0;
}

/* The transforms of one negotiated SA; integ is NULL for an AEAD. */
struct ike_suite {
	const struct ike_encr	*encr;
	const struct ike_integ	*integ;
	const struct ike_prf	*prf;		/* IKE SA only */
	const struct ike_dhgrp	*dh;		/* NULL: none (child, no PFS) */
	int			 esn;		/* child SA only */
};

/* PRF and key derivation (crypto_prf.c) ----------------------------------- */

struct ike_iov {
	const void	*p;
	size_t		 len;
};

/* A plain digest ("SHA1" for NAT detection, 2.23). */
int ike_digest_v(const char *md, const struct ike_iov *iov, size_t niov,
    uint8_t *out, size_t outlen);
int ike_prf_v(const struct ike_prf *prf, const uint8_t *key, size_t keylen,
    const struct ike_iov *iov, size_t niov, uint8_t *out);
int ike_hmac_v(const char *md, const uint8_t *key, size_t keylen,
    const struct ike_iov *iov, size_t niov, uint8_t *out, size_t outlen);
/* prf+ (2.13): T1 | T2 | ... up to outlen (at most 255 * prf output). */
int ike_prf_plus(const struct ike_prf *prf, const uint8_t *key,
    size_t keylen, const struct ike_iov *seed, size_t nseed, uint8_t *out,
    size_t outlen);

/* SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr in one guarded block. */
struct ike_keys {
	struct ike_secret	 mem;
	uint8_t			*d, *ai, *ar, *ei, *er, *pi, *pr;
	size_t			 dlen, alen, elen, plen;
};

/* What an IKE SA rekey (2.18) keys from: the old SA's SK_d and PRF. */
struct ike_rekey_base {
	struct ike_secret	 skd;
	const struct ike_prf	*prf;
};

/*
 * 2.14: SKEYSEED = prf(Ni | Nr, g^ir), then the seven keys from prf+.
 * For an IKE SA rekey (2.18) pass the old SA as old:
 * SKEYSEED = prf_old(SK_d (old), g^ir (new) | Ni | Nr), prf+ the new PRF.
 */
int ike_derive_ike_keys(const struct ike_suite *s,
    const struct ike_secret *gir, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen, uint64_t spii, uint64_t spir,
    const struct ike_rekey_base *old, struct ike_keys *k);
void ike_keys_free(struct ike_keys *k);

/* 2.17: the four keys of a CHILD_SA, initiator-to-responder first. */
struct ike_child_keys {
	struct ike_secret	 mem;
	uint8_t			*ei, *ai, *er, *ar;
	size_t			 elen, alen;
};

/* KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); gir NULL without PFS. */
int ike_derive_child_keys(const struct ike_prf *prf, const uint8_t *skd,
    size_t skdlen, const struct ike_suite *child,
    const struct ike_secret *gir, const uint8_t *ni, size_t nilen,
    const uint8_t *nr, size_t nrlen, struct ike_child_keys *k);
void ike_child_keys_free(struct ike_child_keys *k);

/*
 * 2.15: AUTH = prf(prf(PSK, "Key Pad for IKEv2"), <SignedOctets>) where
 * SignedOctets = RealMessage | Nonce (of the other side) |
 * prf(SK_p, RestOfIDPayload).  out gets prf->outlen bytes.
 */
struct ike_auth_input {
	const uint8_t	*msg;		/* our first message (SA_INIT) */
	size_t		 msglen;
	const uint8_t	*nonce;		/* the peer's nonce */
	size_t		 noncelen;
	const uint8_t	*skp;		/* SK_pi or SK_pr of the signer */
	size_t		 skplen;
	const uint8_t	*idbody;	/* ID payload body: type.. data */
	size_t		 idlen;
};

int ike_psk_auth(const struct ike_prf *prf, const struct ike_secret *psk,
    const struct ike_auth_input *in, uint8_t *out);
/* 1 if the peer's AUTH data matches, 0 if not (constant time), -1. */
int ike_psk_verify(const struct ike_prf *prf, const struct ike_secret *psk,
    const struct ike_auth_input *in, const uint8_t *auth, size_t authlen);

/* Diffie-Hellman (crypto_dh.c) ---------------------------------------------- */

struct ike_dh;

/* A fresh key pair in the group, or NULL. */
struct ike_dh *ike_dh_new(uint16_t group);
/*
 * A fixed key pair, for known-answer tests: X25519 takes the 32-byte
 * scalar alone; ECP and MODP also need the public value (in KE form).
 */
struct ike_dh *ike_dh_new_fixed(uint16_t group, const uint8_t *priv,
    size_t privlen, const uint8_t *pub, size_t publen);
void ike_dh_free(struct ike_dh *dh);
uint16_t ike_dh_group(const struct ike_dh *dh);
/* Our public value as the KE payload carries it; its length, or -1. */
long ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap);
/*
 * g^ir from the peer's KE data into a guarded secret.  -1 for a value of
 * the wrong length, off the curve, outside 1 < y < p-1, or giving an
 * all-zero X25519 result.
 */
int ike_dh_derive(const struct ike_dh *dh, const uint8_t *peer,
    size_t peerlen, struct ike_secret *gir);

/* The SK payload (crypto_sk.c) ----------------------------------------------- */

/* One direction's keys: SK_ei/SK_ai when we are the initiator, ... */
struct ike_sk_dir {
	const struct ike_encr	*encr;
	const struct ike_integ	*integ;		/* NULL for an AEAD */
	const uint8_t		*ekey;
	const uint8_t		*akey;
	uint64_t		 iv_seq;	/* AEAD IVs: a counter */
};

/* Bytes of IV, ciphertext (padded) and ICV for ptlen bytes of payloads. */
size_t ike_sk_len(const struct ike_sk_dir *d, size_t ptlen);
/*
 * Encrypt in place: msg[0..aad) is the finished message up to the IV
 * (IKE header and SK head with their final lengths); the body of
 * ike_sk_len() bytes follows it.  iv: NULL to choose (a counter for an
 * AEAD, random for CBC), or fixed for tests.
 */
int ike_sk_seal(struct ike_sk_dir *d, uint8_t *msg, size_t aad,
    const uint8_t *pt, size_t ptlen, const uint8_t *iv);
/*
 * Check and decrypt the body msg[aad..aad+bodylen) into pt (room for
 * bodylen bytes); *ptlen gets the inner payloads' length, padding gone.
 */
int ike_sk_open(const struct ike_sk_dir *d, const uint8_t *msg, size_t aad,
    size_t bodylen, uint8_t *pt, size_t *ptlen);

#endif
