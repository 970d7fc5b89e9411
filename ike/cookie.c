/*
 * cookie.c: stateless cookies (RFC 7296 2.6).  While many half-open SAs
 * wait (a flood of IKE_SA_INIT from forged addresses), a request without
 * a valid COOKIE costs us one hash and one small answer, no state and no
 * Diffie-Hellman.  cookie = version | HMAC-SHA-256(secret, Ni | IPi |
 * SPIi); the secret (libsodium guarded memory) is renewed every few
 * minutes and the previous one still accepted.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

#define IKE_COOKIE_ROTATE_MS (5 * 60 * 1000)
#define IKE_COOKIE_MAC	     32

static unsigned
ike_halfopen(const struct ike_ctx *ctx)
{
	const struct ike_sa *sa;
	unsigned n = 0;

	for (sa = ctx->sas; sa != NULL; sa = sa->next)
		n += sa->state == IKE_ST_INIT_R;
	return n;
}

int
ike_cookie_needed(const struct ike_ctx *ctx)
{
	unsigned limit = ctx->cookie.threshold_set ? ctx->cookie.threshold :
	    IKE_COOKIE_THRESHOLD;

	return ike_halfopen(ctx) >= limit;
}

/* A fresh secret when the current one is old; the old one stays one
 * period longer for cookies already handed out. */
static int
ike_cookie_rotate(struct ike_ctx *ctx)
{
	struct ike_cookie_state *c = &ctx->cookie;
	uint64_t now = ev_now();

	if (c->key[0].p != NULL && now - c->since < IKE_COOKIE_ROTATE_MS)
		return 0;
	ike_secret_free(&c->key[1]);
	c->key[1] = c->key[0];
	memset(&c->key[0], 0, sizeof(c->key[0]));
	if (ike_secret_alloc(&c->key[0], 32) == -1)
		return -1;
	ike_random(c->key[0].p, c->key[0].len);
	c->version++;
	c->since = now;
	return 0;
}

static int
ike_cookie_mac(const struct ike_secret *key, const struct ike_msg *m,
    const struct sockaddr_storage *peer, const uint8_t *ni, size_t nilen,
    uint8_t *out)
{
	uint8_t spi[8];
	struct xfrm_ip ip;
	struct ike_iov iov[3];

	ike_ss_to_ip(peer, &ip);
	ike_set64(spi, m->hdr.ispi);
	iov[0] = (struct ike_iov){ ni, nilen };
	iov[1] = (struct ike_iov){ ip.raw, xfrm_ip_len(ip.family) };
	iov[2] = (struct ike_iov){ spi, sizeof(spi) };
	return ike_hmac_v("SHA256", key->p, key->len, iov, 3, out,
	    IKE_COOKIE_MAC);
}

/* The cookie to hand out for this request; its length, or -1. */
long
ike_cookie_make(struct ike_ctx *ctx, const struct ike_msg *m,
    const struct sockaddr_storage *peer, const uint8_t *ni, size_t nilen,
    uint8_t *out)
{
	if (ike_cookie_rotate(ctx) == -1)
		return -1;
	ike_set32(out, ctx->cookie.version);
	if (ike_cookie_mac(&ctx->cookie.key[0], m, peer, ni, nilen, out + 4) ==
	    -1)
		return -1;
	return 4 + IKE_COOKIE_MAC;
}

/* 1 if the request's COOKIE notify is one we made (for this Ni, address
 * and SPI, with the current or the previous secret). */
int
ike_cookie_valid(struct ike_ctx *ctx, const struct ike_msg *m,
    const struct sockaddr_storage *peer, const uint8_t *ni, size_t nilen)
{
	const struct ike_cookie_state *c = &ctx->cookie;
	uint8_t mac[IKE_COOKIE_MAC];
	const struct ike_pl *pl;
	struct ike_notify_pl n;
	uint32_t v;
	int k;

	if ((pl = ike_msg_find_notify(m, IKE_N_COOKIE)) == NULL ||
	    ike_pl_notify(pl, &n) == -1 || n.len != 4 + IKE_COOKIE_MAC)
		return 0;
	v = ike_get32(n.data);
	k = v == c->version ? 0 : v + 1 == c->version ? 1 : -1;
	if (k < 0 || c->key[k].p == NULL ||
	    ike_cookie_mac(&c->key[k], m, peer, ni, nilen, mac) == -1)
		return 0;
	return ike_ct_equal(mac, n.data + 4, IKE_COOKIE_MAC);
}

void
ike_cookie_fini(struct ike_ctx *ctx)
{
	ike_secret_free(&ctx->cookie.key[0]);
	ike_secret_free(&ctx->cookie.key[1]);
	memset(&ctx->cookie, 0, sizeof(ctx->cookie));
}
