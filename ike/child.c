/*
 * child.c: a CHILD SA's life in the kernel: the inbound SPI reserved
 * before we offer it, traffic selectors (we offer everything, 0.0.0.0/0
 * and ::/0, and take what the peer narrows it to), KEYMAT (2.17) turned
 * into the two ESP SAs bound to the tunnel's if_id, and their removal.
 * The policies are the tunnel's (tunnel.c): they outlive a rekey.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

int
ike_child_spi(struct ike_sa *sa, struct ike_child *c)
{
	struct ike_ctx *ctx = sa->ctx;

	ike_ss_to_ip(&sa->local, &c->src);
	ike_ss_to_ip(&sa->peer, &c->dst);
	c->spi_in = 0;
	return ctx->ops->spi_alloc(ctx->ops_arg, sa->t, &c->dst, &c->src,
	    &c->spi_in);
}

static void
ike_ts_any(struct ike_ts *ts, int v6)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = v6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->eport = 0xffff;
	memset(ts->end, 0xff, v6 ? 16 : 4);
}

void
ike_child_put_ts(struct ike_wbuf *w)
{
	struct ike_ts ts[2];

	ike_ts_any(&ts[0], 0);
	ike_ts_any(&ts[1], 1);
	ike_put_ts(w, IKE_PL_TSI, ts, 2);
	ike_put_ts(w, IKE_PL_TSR, ts, 2);
}

/* The responder's answer: the selectors as accepted, initiator's first. */
void
ike_child_put_ts_of(struct ike_wbuf *w, const struct ike_child *c)
{
	ike_put_ts(w, IKE_PL_TSI, c->ts_r, c->nts_r);
	ike_put_ts(w, IKE_PL_TSR, c->ts_l, c->nts_l);
}

/* Address selectors only: a port or protocol range is not ours to
 * enforce on a route-based tunnel, so it is widened back to "any". */
static size_t
ike_ts_take(const struct ike_ts_pl *in, struct ike_ts *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < in->nts && n < max; i++) {
		out[n] = in->ts[i];
		out[n].ipproto = 0;
		out[n].sport = 0;
		out[n].eport = 0xffff;
		n++;
	}
	return n;
}

int
ike_child_ts(struct ike_child *c, const struct ike_msg *m, int initiator)
{
	const struct ike_pl *pi, *pr;
	struct ike_ts_pl tsi, tsr;
	size_t max = sizeof(c->ts_l) / sizeof(c->ts_l[0]);

	if ((pi = ike_msg_find(m, IKE_PL_TSI, NULL)) == NULL ||
	    (pr = ike_msg_find(m, IKE_PL_TSR, NULL)) == NULL ||
	    ike_pl_ts(pi, &tsi) == -1 || ike_pl_ts(pr, &tsr) == -1)
		return -1;
	if (initiator) {
		c->nts_l = ike_ts_take(&tsi, c->ts_l, max);
		c->nts_r = ike_ts_take(&tsr, c->ts_r, max);
	} else {
		c->nts_l = ike_ts_take(&tsr, c->ts_l, max);
		c->nts_r = ike_ts_take(&tsi, c->ts_r, max);
	}
	return c->nts_l > 0 && c->nts_r > 0 ? 0 : -1;
}

static int
ike_child_alg(const struct ike_suite *s, struct xfrm_sa *x)
{
	switch (s->encr->id) {
	case IKE_ENCR_AES_GCM_16:
		x->enc = XFRM_ENC_AES_GCM_16;
		x->enc_bits = s->encr->keybits;
		break;
	case IKE_ENCR_CHACHA20_POLY1305:
		x->enc = XFRM_ENC_CHACHA20_POLY1305;
		x->enc_bits = 256;
		break;
	case IKE_ENCR_AES_CBC:
		x->enc = XFRM_ENC_AES_CBC;
		x->enc_bits = s->encr->keybits;
		break;
	default:
		return -1;
	}
	if (s->integ == NULL)
		return x->enc == XFRM_ENC_AES_CBC ? -1 : 0;
	switch (s->integ->id) {
	case IKE_INTEG_HMAC_SHA2_256_128:
		x->integ = XFRM_INTEG_HMAC_SHA2_256_128;
		return 0;
	case IKE_INTEG_HMAC_SHA2_384_192:
		x->integ = XFRM_INTEG_HMAC_SHA2_384_192;
		return 0;
	case IKE_INTEG_HMAC_SHA2_512_256:
		x->integ = XFRM_INTEG_HMAC_SHA2_512_256;
		return 0;
	}
	return -1;
}

/* One direction: keys from KEYMAT, lifetimes as a kernel backstop. */
static int
ike_child_add(struct ike_sa *sa, struct ike_child *c, int inbound,
    const uint8_t *ekey, const uint8_t *akey, size_t elen, size_t alen)
{
	struct ike_ctx *ctx = sa->ctx;
	struct xfrm_sa x;

	memset(&x, 0, sizeof(x));
	if (ike_child_alg(&c->suite, &x) == -1)
		return -1;
	x.src = inbound ? c->dst : c->src;
	x.dst = inbound ? c->src : c->dst;
	x.spi = inbound ? c->spi_in : c->spi_out;
	x.reqid = sa->t->reqid;
	x.if_id = sa->t->if_id;
	x.enc_key = ekey;
	x.enc_key_len = elen;
	x.integ_key = akey;
	x.integ_key_len = alen;
	x.replay_window = 64;
	if (ike_natt_on(sa)) {
		/* ESP in UDP (RFC 3948), from and to the IKE ports. */
		x.encap_sport = ike_ss_port(inbound ? &sa->peer : &sa->local);
		x.encap_dport = ike_ss_port(inbound ? &sa->local : &sa->peer);
	}
	/* We rekey well before; the kernel's hard limit only catches a
	 * daemon that died without cleaning up. */
	x.life.hard_secs = (uint64_t)c->life + IKE_CHILD_GRACE_S;
	return ctx->ops->sa_add(ctx->ops_arg, sa->t, &x, inbound);
}

/* The outbound keys of a pair whose outbound SA waits (guarded copy). */
static int
ike_child_keep_out(struct ike_child *c, const uint8_t *ekey,
    const uint8_t *akey, size_t elen, size_t alen)
{
	if (ike_secret_alloc(&c->out_keys, elen + alen + 1) == -1)
		return -1;
	memcpy(c->out_keys.p, ekey, elen);
	if (alen)
		memcpy(c->out_keys.p + elen, akey, alen);
	c->out_elen = elen;
	c->out_alen = alen;
	c->out_pending = 1;
	c->out_since = ev_now();
	return 0;
}

void
ike_child_out_now(struct ike_sa *sa, struct ike_child *c)
{
	int r;

	if (!c->out_pending || c->out_keys.p == NULL)
		return;
	r = ike_child_add(sa, c, 0, c->out_keys.p, c->out_keys.p + c->out_elen,
	    c->out_elen, c->out_alen);
	ike_secret_free(&c->out_keys);
	c->out_pending = 0;
	if (r == -1)
		log_warnx("ike: %s: outbound ESP SA 0x%08x refused by the "
			  "kernel",
		    sa->t->cfg.name, c->spi_out);
}

/* A pair we will not send on (the loser of a rekey collision): its
 * outbound SA goes now, its inbound one with its DELETE. */
void
ike_child_drop_out(struct ike_sa *sa, struct ike_child *c)
{
	struct ike_ctx *ctx = sa->ctx;

	if (!c->installed || c->out_pending)
		return;
	ctx->ops->sa_del(ctx->ops_arg, sa->t, &c->dst, c->spi_out);
	c->out_pending = 1; /* no keys: never sent on again */
}

/*
 * RFC 7296 2.8: the initiator has the new pair once it sends on it.  A
 * packet on our new inbound SA says so; the DELETE of the old pair says
 * so too (task_info.c); whatever the peer does, the new pair carries our
 * traffic after IKE_OUTBOUND_WAIT_MS.
 */
static void
ike_child_out_timer(void *arg)
{
	struct ike_sa *sa = arg;
	struct ike_child *c = &sa->child;
	struct ike_ctx *ctx = sa->ctx;
	struct xfrm_sa_status st;

	if (!c->out_pending || c->out_keys.p == NULL)
		return;
	memset(&st, 0, sizeof(st));
	if (ev_now() - c->out_since >= IKE_OUTBOUND_WAIT_MS ||
	    (ctx->ops->sa_get(ctx->ops_arg, sa->t, &c->src, c->spi_in, &st) ==
		    0 &&
		st.packets > 0)) {
		ike_child_out_now(sa, c);
		return;
	}
	ev_timer_add(&sa->outbound, IKE_OUTBOUND_POLL_MS);
}

void
ike_child_out_later(struct ike_sa *sa)
{
	ev_timer_set(&sa->outbound, ike_child_out_timer, sa);
}

/*
 * Both SAs of a pair into the kernel.  A rekey's responder puts the
 * inbound one in at once and keeps the outbound one back until the
 * initiator, which installs both when our answer comes, sends on the new
 * pair or deletes the old one (or IKE_OUTBOUND_WAIT_MS pass): sending on
 * it earlier would lose what we send while our answer travels, or while
 * the initiator asks again for an answer it lost (RFC 7296 2.8).
 */
int
ike_child_install(struct ike_sa *sa, struct ike_child *c, const uint8_t *ni,
    size_t nilen, const uint8_t *nr, size_t nrlen,
    const struct ike_secret *gir, int initiator, int mode)
{
	struct ike_child_keys k;
	const uint8_t *oe, *oa;
	int r;

	c->life = sa->t->cfg.child_life;
	if (ike_derive_child_keys(sa->suite.prf, sa->keys.d, sa->keys.dlen,
		&c->suite, gir, ni, nilen, nr, nrlen, &k) == -1)
		return -1;
	/* Initiator-to-responder keys come first (2.17). */
	oe = initiator ? k.ei : k.er;
	oa = initiator ? k.ai : k.ar;
	r = ike_child_add(sa, c, 1, initiator ? k.er : k.ei,
		initiator ? k.ar : k.ai, k.elen, k.alen) == -1 ||
	    (mode == IKE_CHILD_IN_FIRST ?
		    ike_child_keep_out(c, oe, oa, k.elen, k.alen) :
		    ike_child_add(sa, c, 0, oe, oa, k.elen, k.alen)) == -1 ?
	    -1 : 0;
	ike_child_keys_free(&k);
	if (r == -1) {
		ike_child_remove(sa, c);
		return -1;
	}
	c->installed = 1;
	c->since = ev_now();
	if (ike_tunnel_policies(sa->t, c) == -1) {
		ike_child_remove(sa, c);
		return -1;
	}
	log_info("ike: %s: CHILD SA in 0x%08x out 0x%08x installed",
	    sa->t->cfg.name, c->spi_in, c->spi_out);
	return 0;
}

/* Both ESP SAs out of the kernel (the inbound one may be only an SPI). */
void
ike_child_remove(struct ike_sa *sa, struct ike_child *c)
{
	struct ike_ctx *ctx = sa->ctx;

	if (c->spi_in != 0)
		ctx->ops->sa_del(ctx->ops_arg, sa->t, &c->src, c->spi_in);
	if (c->installed && c->spi_out != 0 && !c->out_pending)
		ctx->ops->sa_del(ctx->ops_arg, sa->t, &c->dst, c->spi_out);
	ike_secret_free(&c->out_keys);
	memset(c, 0, sizeof(*c));
}
