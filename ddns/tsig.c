/*
 * tsig.c: RFC 8945 transaction signatures, hmac-sha256 and hmac-sha512.
 * The digest is computed over pieces in place (no copy of the message);
 * the response's MAC is compared in constant time and covers our request
 * MAC, so an answer cannot be replayed onto another request.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "ddns/dns_msg.h"

const char *
ddns_tsig_alg_name(int alg)
{
	switch (alg) {
	case DDNS_TSIG_SHA256:
		return "hmac-sha256.";
	case DDNS_TSIG_SHA512:
		return "hmac-sha512.";
	}
	return NULL;
}

size_t
ddns_tsig_mac_len(int alg)
{
	return alg == DDNS_TSIG_SHA512 ? 64 : alg == DDNS_TSIG_SHA256 ? 32 : 0;
}

int
ddns_hmac(int alg, const uint8_t *key, size_t keylen,
    const struct ddns_iov *iov, size_t niov, uint8_t *mac, size_t *mac_len)
{
	char digest[16];
	OSSL_PARAM params[2];
	EVP_MAC *m;
	EVP_MAC_CTX *ctx = NULL;
	size_t i;
	int r = -1;

	if (ddns_tsig_mac_len(alg) == 0)
		return -1;
	strcpy(digest, alg == DDNS_TSIG_SHA512 ? "SHA512" : "SHA256");
	params[0] =
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((m = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (ctx = EVP_MAC_CTX_new(m)) == NULL ||
	    !EVP_MAC_init(ctx, key, keylen, params))
		goto out;
	for (i = 0; i < niov; i++)
		if (iov[i].len > 0 &&
		    !EVP_MAC_update(ctx, iov[i].p, iov[i].len))
			goto out;
	if (EVP_MAC_final(ctx, mac, mac_len, DDNS_MAC_MAX))
		r = 0;
out:
	EVP_MAC_CTX_free(ctx); /* cleanses the key schedule */
	EVP_MAC_free(m);
	return r;
}

int
ddns_tsig_key_init(struct ddns_tsig_key *k, const char *name, int alg)
{
	int n;

	memset(k, 0, sizeof(*k));
	if (ddns_tsig_alg_name(alg) == NULL ||
	    (n = ddns_name_to_wire(name, k->name, sizeof(k->name), 1)) == -1)
		return -1;
	k->name_len = (size_t)n;
	k->alg = alg;
	return 0;
}

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
be48(uint8_t *p, uint64_t v)
{
	be16(p, (uint16_t)(v >> 32));
	be16(p + 2, (uint16_t)(v >> 16));
	be16(p + 4, (uint16_t)v);
}

/*
 * The TSIG variables of RFC 8945 4.3.3, less the names: class ANY, TTL 0
 * (after the key name) and time, fudge, error, other len (after the
 * algorithm name).
 */
struct tsig_vars {
	uint8_t class_ttl[6];
	uint8_t time_err[12];
};

static void
tsig_vars(struct tsig_vars *v, uint64_t t, uint16_t fudge, uint16_t err,
    uint16_t other_len)
{
	memset(v, 0, sizeof(*v));
	be16(v->class_ttl, DDNS_C_ANY);
	be48(v->time_err, t);
	be16(v->time_err + 6, fudge);
	be16(v->time_err + 8, err);
	be16(v->time_err + 10, other_len);
}

static int
alg_wire(int alg, uint8_t *out)
{
	const char *name = ddns_tsig_alg_name(alg);

	return name ? ddns_name_to_wire(name, out, DDNS_NAME_MAX, 1) : -1;
}

int
ddns_tsig_sign(uint8_t *msg, size_t *len, size_t cap,
    const struct ddns_tsig_key *k, uint64_t now, uint8_t *mac, size_t *mac_len)
{
	uint8_t alg[DDNS_NAME_MAX], *p;
	struct tsig_vars v;
	size_t need, ml = ddns_tsig_mac_len(k->alg);
	int alen;

	if ((alen = alg_wire(k->alg, alg)) == -1 || *len < DDNS_HDR_LEN)
		return -1;
	need = k->name_len + 10 + (size_t)alen + 10 + ml + 6;
	if (need > cap - *len)
		return -1;
	tsig_vars(&v, now, DDNS_TSIG_FUDGE, 0, 0);
	struct ddns_iov iov[] = {{msg, *len}, {k->name, k->name_len},
	    {v.class_ttl, 6}, {alg, (size_t)alen}, {v.time_err, 12}};
	if (ddns_hmac(k->alg, k->secret, k->secret_len, iov, 5, mac, mac_len) ==
	        -1 ||
	    *mac_len != ml)
		return -1;
	p = msg + *len;
	memcpy(p, k->name, k->name_len);
	p += k->name_len;
	be16(p, DDNS_T_TSIG);
	memcpy(p + 2, v.class_ttl, 6);
	be16(p + 8, (uint16_t)(need - k->name_len - 10));
	p += 10;
	memcpy(p, alg, (size_t)alen);
	p += alen;
	memcpy(p, v.time_err, 8); /* time signed and fudge */
	be16(p + 8, (uint16_t)ml);
	memcpy(p + 10, mac, ml);
	p += 10 + ml;
	memcpy(p, msg, 2);   /* original ID */
	memset(p + 2, 0, 4); /* error, other len */
	*len += need;
	be16(msg + 10, (uint16_t)((msg[10] << 8 | msg[11]) + 1));
	return 0;
}

/* The response MAC: request MAC, message without its TSIG, variables. */
static int
tsig_check_mac(const uint8_t *msg, const struct ddns_tsig_rr *t,
    const struct ddns_tsig_key *k, const uint8_t *req_mac, size_t req_len)
{
	uint8_t hdr[DDNS_HDR_LEN], rlen[2], mac[DDNS_MAC_MAX],
	    alg[DDNS_NAME_MAX];
	struct tsig_vars v;
	size_t ml;
	int alen, ok;

	if ((alen = alg_wire(k->alg, alg)) == -1 || req_len > DDNS_MAC_MAX)
		return -1;
	/* The header as it was before the TSIG was added. */
	memcpy(hdr, msg, DDNS_HDR_LEN);
	be16(hdr, t->orig_id);
	be16(hdr + 10, (uint16_t)((hdr[10] << 8 | hdr[11]) - 1));
	be16(rlen, (uint16_t)req_len);
	tsig_vars(&v, t->time_signed, t->fudge, t->error, t->other_len);
	struct ddns_iov iov[] = {{rlen, 2}, {req_mac, req_len},
	    {hdr, DDNS_HDR_LEN}, {msg + DDNS_HDR_LEN, t->rr_off - DDNS_HDR_LEN},
	    {k->name, k->name_len}, {v.class_ttl, 6}, {alg, (size_t)alen},
	    {v.time_err, 12}, {t->other, t->other_len}};
	if (ddns_hmac(k->alg, k->secret, k->secret_len, iov, 9, mac, &ml) == -1)
		return -1;
	ok = ml == t->mac_len && CRYPTO_memcmp(mac, t->mac, ml) == 0;
	OPENSSL_cleanse(mac, sizeof(mac));
	return ok ? 0 : -1;
}

static int
tsig_server_error(uint16_t err)
{
	switch (err) {
	case DDNS_R_BADKEY:
		return DDNS_TSIG_ERR_BADKEY;
	case DDNS_R_BADSIG:
		return DDNS_TSIG_ERR_BADSIG;
	case DDNS_R_BADTIME:
		return DDNS_TSIG_ERR_BADTIME;
	}
	return DDNS_TSIG_ERR_OTHER;
}

int
ddns_tsig_verify(const uint8_t *msg, size_t len, const struct ddns_msg_info *mi,
    const struct ddns_tsig_key *k, const uint8_t *req_mac, size_t req_mac_len,
    uint64_t now)
{
	const struct ddns_tsig_rr *t = &mi->tsig;
	uint8_t alg[DDNS_NAME_MAX];
	int alen;
	uint64_t d;

	if (!mi->has_tsig)
		return DDNS_TSIG_MISSING;
	if (len < DDNS_HDR_LEN || t->rr_off < DDNS_HDR_LEN || t->rr_off > len)
		return DDNS_TSIG_FORMERR;
	/* BADKEY and BADSIG answers carry no MAC: report, trust nothing. */
	if (t->error == DDNS_R_BADKEY || t->error == DDNS_R_BADSIG)
		return tsig_server_error(t->error);
	if ((alen = alg_wire(k->alg, alg)) == -1 ||
	    !ddns_name_equal(t->name, t->name_len, k->name, k->name_len) ||
	    !ddns_name_equal(t->alg, t->alg_len, alg, (size_t)alen))
		return DDNS_TSIG_WRONG_KEY;
	if (tsig_check_mac(msg, t, k, req_mac, req_mac_len) == -1)
		return DDNS_TSIG_BAD_MAC;
	if (t->error != 0)
		return tsig_server_error(t->error);
	d = now > t->time_signed ? now - t->time_signed : t->time_signed - now;
	if (d > t->fudge)
		return DDNS_TSIG_BAD_TIME;
	return DDNS_TSIG_OK;
}

const char *
ddns_tsig_status_str(int st)
{
	static const char *const s[] = {"ok", "response not signed",
	    "malformed TSIG", "response signed with another key",
	    "BADKEY: the server does not know the key",
	    "BADSIG: the server rejected the signature (wrong secret?)",
	    "BADTIME: the server's clock and ours differ",
	    "TSIG error from the server", "response MAC does not verify",
	    "response time outside the fudge"};

	if (st >= 0 && st < (int)(sizeof(s) / sizeof(s[0])))
		return s[st];
	return "?";
}
