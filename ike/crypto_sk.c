/*
 * crypto_sk.c: the Encrypted payload (RFC 7296 3.14) and its fragments
 * (RFC 7383).  AEADs (AES-GCM-16 per RFC 5282, ChaCha20-Poly1305 per RFC
 * 7634) authenticate the message up to the IV as AAD; AES-CBC is paired
 * with a truncated HMAC over the whole message up to the ICV, checked
 * before anything is decrypted.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>

#include "ike/crypto.h"

#define AEAD_NONCE_LEN 12

static size_t
icv_len(const struct ike_sk_dir *d)
{
	return ike_encr_aead(d->encr) ? d->encr->icvlen : d->integ->icvlen;
}

static size_t
ct_len(const struct ike_sk_dir *d, size_t ptlen)
{
	size_t b = d->encr->block;

	/* Payloads, padding, then the Pad Length byte: whole blocks. */
	return (ptlen + 1 + b - 1) / b * b;
}

size_t
ike_sk_len(const struct ike_sk_dir *d, size_t ptlen)
{
	return d->encr->ivlen + ct_len(d, ptlen) + icv_len(d);
}

/*
 * One pass of a cipher over in[0..n) to out; for an AEAD, aad first and
 * the tag after (written when encrypting, checked when decrypting).
 */
struct cipher_op {
	const struct ike_encr	*encr;
	const uint8_t		*key, *iv;
	const uint8_t		*aad;
	size_t			 aadlen;
	uint8_t			*tag;
	int			 enc;
};

static int
cipher_run(const struct cipher_op *op, const uint8_t *in, size_t n,
    uint8_t *out)
{
	EVP_CIPHER *c;
	EVP_CIPHER_CTX *ctx = NULL;
	int aead = ike_encr_aead(op->encr), l, r = -1;

	if ((c = EVP_CIPHER_fetch(NULL, op->encr->evp, NULL)) == NULL)
		return -1;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    !EVP_CipherInit_ex2(ctx, c, op->key, op->iv, op->enc, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	if (aead && !op->enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
		(int)op->encr->icvlen, op->tag))
		goto out;
	if (aead && op->aadlen &&
	    !EVP_CipherUpdate(ctx, NULL, &l, op->aad, (int)op->aadlen))
		goto out;
	if (!EVP_CipherUpdate(ctx, out, &l, in, (int)n) || (size_t)l != n ||
	    !EVP_CipherFinal_ex(ctx, out + l, &l) || l != 0)
		goto out;
	if (aead && op->enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
		(int)op->encr->icvlen, op->tag))
		goto out;
	r = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return r;
}

/* AEAD nonce (RFC 5282 4, RFC 7634 2): salt from the key material | IV. */
static void
aead_nonce(const struct ike_encr *e, const uint8_t *key, const uint8_t *iv,
    uint8_t *nonce)
{
	memcpy(nonce, key + e->keylen - e->saltlen, e->saltlen);
	memcpy(nonce + e->saltlen, iv, e->ivlen);
}

static int
mac(const struct ike_sk_dir *d, const uint8_t *msg, size_t n, uint8_t *icv)
{
	struct ike_iov iov = { msg, n };

	return ike_hmac_v(d->integ->md, d->akey, d->integ->keylen, &iov, 1,
	    icv, d->integ->icvlen);
}

static void
choose_iv(struct ike_sk_dir *d, uint8_t *iv)
{
	uint64_t s;
	size_t i;

	if (!ike_encr_aead(d->encr)) {
		/* CBC needs an unpredictable IV (3.14). */
		ike_random(iv, d->encr->ivlen);
		return;
	}
	/* An AEAD needs a unique one: a counter never repeats under a key. */
	s = d->iv_seq++;
	for (i = 0; i < d->encr->ivlen; i++)
		iv[i] = (uint8_t)(s >> (8 * (d->encr->ivlen - 1 - i)));
}

int
ike_sk_seal(struct ike_sk_dir *d, uint8_t *msg, size_t aad, const uint8_t *pt,
    size_t ptlen, const uint8_t *iv)
{
	const struct ike_encr *e = d->encr;
	size_t ctlen = ct_len(d, ptlen);
	uint8_t *body = msg + aad, *ct = body + e->ivlen, *tmp;
	uint8_t nonce[AEAD_NONCE_LEN];
	struct cipher_op op = { e, d->ekey, body, msg, aad, ct + ctlen, 1 };
	int r;

	if (!ike_encr_aead(e) && d->integ == NULL)
		return -1;
	if (iv != NULL)
		memcpy(body, iv, e->ivlen);
	else
		choose_iv(d, body);
	/* Plaintext with zero padding and the Pad Length byte last. */
	if ((tmp = sodium_malloc(ctlen)) == NULL)
		return -1;
	if (ptlen)
		memcpy(tmp, pt, ptlen);
	memset(tmp + ptlen, 0, ctlen - ptlen - 1);
	tmp[ctlen - 1] = (uint8_t)(ctlen - ptlen - 1);
	if (ike_encr_aead(e)) {
		aead_nonce(e, d->ekey, body, nonce);
		op.iv = nonce;
	}
	r = cipher_run(&op, tmp, ctlen, ct);
	sodium_free(tmp);
	if (r == 0 && !ike_encr_aead(e))
		r = mac(d, msg, aad + e->ivlen + ctlen, ct + ctlen);
	return r;
}

int
ike_sk_open(const struct ike_sk_dir *d, const uint8_t *msg, size_t aad,
    size_t bodylen, uint8_t *pt, size_t *ptlen)
{
	const struct ike_encr *e = d->encr;
	const uint8_t *body = msg + aad, *ct = body + e->ivlen;
	uint8_t nonce[AEAD_NONCE_LEN], icv[IKE_ICV_MAX];
	struct cipher_op op = { e, d->ekey, body, msg, aad, NULL, 0 };
	size_t icvl, ctlen, pad;

	if (!ike_encr_aead(e) && d->integ == NULL)
		return -1;
	icvl = icv_len(d);
	if (bodylen < e->ivlen + icvl + 1)
		return -1;
	ctlen = bodylen - e->ivlen - icvl;
	if (ctlen % e->block != 0)
		return -1;
	op.tag = (uint8_t *)(ct + ctlen);
	if (ike_encr_aead(e)) {
		aead_nonce(e, d->ekey, body, nonce);
		op.iv = nonce;
	} else if (mac(d, msg, aad + e->ivlen + ctlen, icv) == -1 ||
	    !ike_ct_equal(icv, ct + ctlen, icvl))
		return -1;
	if (cipher_run(&op, ct, ctlen, pt) == -1) {
		sodium_memzero(pt, ctlen);
		return -1;
	}
	/* 3.14: padding is whatever the sender chose; only its length
	 * matters, and it must fit. */
	pad = pt[ctlen - 1];
	if (pad + 1 > ctlen) {
		sodium_memzero(pt, ctlen);
		return -1;
	}
	*ptlen = ctlen - pad - 1;
	return 0;
}
