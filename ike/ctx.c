/*
 * ctx.c: one IKE engine: its tunnels, its SAs, and the door every
 * datagram comes in by.  The daemon has one (module.c); the unit tests
 * make two and wire them back to back.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/log.h"
#include "ike/sa.h"

static void
ike_ctx_reap_cb(void *arg)
{
	ike_ctx_reap(arg);
}

void
ike_ctx_init(struct ike_ctx *ctx, const struct ike_ops *ops, void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ops = ops;
	ctx->ops_arg = arg;
	ev_timer_set(&ctx->reap, ike_ctx_reap_cb, ctx);
}

/* Free the SAs that died; never from inside their own call chains. */
void
ike_ctx_reap(struct ike_ctx *ctx)
{
	struct ike_sa *sa, *next;

	ev_timer_del(&ctx->reap);
	for (sa = ctx->sas; sa != NULL; sa = next) {
		next = sa->next;
		if (sa->state == IKE_ST_DEAD)
			ike_sa_free(sa);
	}
}

void
ike_ctx_reap_later(struct ike_ctx *ctx)
{
	if (!ev_timer_pending(&ctx->reap))
		ev_timer_add(&ctx->reap, 0);
}

void
ike_ctx_fini(struct ike_ctx *ctx)
{
	while (ctx->tunnels != NULL)
		ike_tunnel_free(ctx->tunnels);
	ike_ctx_reap(ctx);
	ike_cookie_fini(ctx);
}

static int
ike_ctx_add(struct ike_ctx *ctx, const struct conf *conf,
    const struct conf_tunnel *ct)
{
	struct ike_tunnel *t;

	if (!ct->mode_ikev2 || ct->shutdown)
		return 0;
	if ((t = ike_tunnel_new(ctx, conf, ct)) == NULL) {
		log_warnx("ike: %s: cannot set the tunnel up", ct->name);
		return -1;
	}
	ike_tunnel_start(t);
	return 0;
}

int
ike_ctx_load(struct ike_ctx *ctx, const struct conf *conf)
{
	size_t i;
	int r = 0;

	for (i = 0; i < conf->ntunnels; i++)
		if (ike_ctx_add(ctx, conf, &conf->tunnels[i]) == -1)
			r = -1;
	return r;
}

/*
 * Tunnels that left the configuration or changed go (their SAs deleted),
 * new and changed ones start; untouched ones keep their SAs.
 */
int
ike_ctx_reload(struct ike_ctx *ctx, const struct conf *conf)
{
	struct ike_tunnel *t, *next;
	const struct conf_tunnel *ct;
	struct ike_tcfg c;
	size_t i;
	int r = 0, same;

	for (t = ctx->tunnels; t != NULL; t = next) {
		next = t->next;
		ct = conf_tunnel_find(conf, t->cfg.name);
		same = ct != NULL && ct->mode_ikev2 && !ct->shutdown &&
		    ike_tcfg_from_conf(&c, conf, ct) == 0;
		if (same) {
			same = ike_tunnel_cfg_equal(&t->cfg, &c);
			ike_tcfg_clear(&c);
		}
		if (!same)
			ike_tunnel_free(t);
	}
	for (i = 0; i < conf->ntunnels; i++)
		if (ike_tunnel_find(ctx, conf->tunnels[i].name) == NULL &&
		    ike_ctx_add(ctx, conf, &conf->tunnels[i]) == -1)
			r = -1;
	return r;
}

/* The tunnel a new IKE_SA_INIT is for: by the peer's address. */
static struct ike_tunnel *
ike_ctx_tunnel_for(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer)
{
	struct ike_tunnel *t, *any = NULL;

	for (t = ctx->tunnels; t != NULL; t = t->next) {
		if (!t->have_peer || !ike_ss_eq_addr(&t->peer, peer))
			continue;
		if (t->local.ss_family == 0 || ike_ss_eq_addr(&t->local, local))
			return t;
		any = t;
	}
	return any;
}

/* A retransmitted IKE_SA_INIT request: same SPI, same peer. */
static struct ike_sa *
ike_ctx_halfopen(struct ike_ctx *ctx, uint64_t ispi,
    const struct sockaddr_storage *peer)
{
	struct ike_sa *sa;

	for (sa = ctx->sas; sa != NULL; sa = sa->next)
		if (!sa->initiator && sa->ispi == ispi &&
		    sa->state != IKE_ST_DEAD && ike_ss_eq_addr(&sa->peer, peer))
			return sa;
	return NULL;
}

/* An unknown address knocks: perhaps a peer known by name moved. */
static void
ike_ctx_stale_names(struct ike_ctx *ctx, int family)
{
	struct ike_tunnel *t;

	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (t->cfg.family == family)
			ike_tunnel_refresh(t);
}

/*
 * The first tunnel a request from an address no peer has may be for
 * (ike_tunnel_may_roam).  It answers IKE_SA_INIT; the identity the peer
 * proves in IKE_AUTH then picks the tunnel among all such.
 */
static struct ike_tunnel *
ike_ctx_roam_first(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer)
{
	struct ike_tunnel *t;

	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (ike_tunnel_may_roam(t, local, peer))
			return t;
	return NULL;
}

static void
ike_ctx_new_sa(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const struct ike_msg *m)
{
	struct ike_tunnel *t;
	struct ike_sa *sa;
	char a[64];

	if ((sa = ike_ctx_halfopen(ctx, m->hdr.ispi, peer)) != NULL) {
		ike_sa_recv(sa, m, local, peer);
		return;
	}
	if ((t = ike_ctx_tunnel_for(ctx, local, peer)) != NULL) {
		ike_init_respond(ctx, t, local, peer, m, 0);
		return;
	}
	/* Perhaps a peer known by name that was renumbered: answered at
	 * once rather than when our resolver has caught up (docs/ike.md,
	 * "Renumbering"), and the names are asked again meanwhile. */
	ike_ctx_stale_names(ctx, peer->ss_family);
	if ((t = ike_ctx_roam_first(ctx, local, peer)) == NULL) {
		log_debug("ike: IKE_SA_INIT from %s: no tunnel for it",
		    ike_ss_fmt(peer, a, sizeof(a)));
		return;
	}
	log_debug("ike: IKE_SA_INIT from %s, no peer's address: answered "
		  "for the peers known by name",
	    ike_ss_fmt(peer, a, sizeof(a)));
	ike_init_respond(ctx, t, local, peer, m, 1);
}

/*
 * A message that does not parse is dropped, except an IKE_SA_INIT request
 * from a configured peer with a payload we must understand but do not,
 * or a major version above ours: that one is told why (RFC 7296 2.5, an
 * unprotected answer that keeps no state).
 */
static void
ike_ctx_bad(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const struct ike_msg *m,
    enum ike_msg_err e)
{
	struct ike_tunnel *t;
	uint8_t d = m->bad_critical;

	log_debug("ike: bad message: %s", ike_msg_err_str(e));
	if ((e != IKE_MSG_ECRITICAL && e != IKE_MSG_EVERSION) ||
	    m->hdr.exchange != IKE_EXCH_IKE_SA_INIT ||
	    (m->hdr.flags & IKE_FLAG_RESPONSE) || m->hdr.msgid != 0 ||
	    m->hdr.rspi != 0 ||
	    (t = ike_ctx_tunnel_for(ctx, local, peer)) == NULL)
		return;
	ike_init_refuse(ctx, t, local, peer, m, ike_msg_err_notify(e),
	    e == IKE_MSG_ECRITICAL ? &d : NULL, e == IKE_MSG_ECRITICAL);
}

void
ike_ctx_recv(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const uint8_t *buf, size_t len)
{
	struct ike_msg m;
	struct ike_sa *sa;
	enum ike_msg_err e;
	uint64_t our;
	int resp;

	if ((e = ike_msg_parse(buf, len, &m)) != IKE_MSG_OK) {
		ike_ctx_bad(ctx, local, peer, &m, e);
		return;
	}
	resp = (m.hdr.flags & IKE_FLAG_RESPONSE) != 0;
	if (m.hdr.exchange == IKE_EXCH_IKE_SA_INIT && !resp &&
	    m.hdr.rspi == 0 && (m.hdr.flags & IKE_FLAG_INITIATOR) &&
	    m.hdr.msgid == 0) {
		ike_ctx_new_sa(ctx, local, peer, &m);
		return;
	}
	/* The I flag says who sent it, hence which SPI is ours (2.6). */
	our = (m.hdr.flags & IKE_FLAG_INITIATOR) ? m.hdr.rspi : m.hdr.ispi;
	/* A peer behind a NAT may come from a new mapping: the ICV decides. */
	if ((sa = ike_sa_find(ctx, our)) == NULL ||
	    (!sa->nat_peer && !ike_ss_eq_addr(&sa->peer, peer)) ||
	    (sa->initiator && sa->rspi != 0 && sa->rspi != m.hdr.rspi) ||
	    (!sa->initiator && sa->ispi != m.hdr.ispi) ||
	    sa->initiator == !!(m.hdr.flags & IKE_FLAG_INITIATOR)) {
		log_debug("ike: message for an unknown SA dropped");
		return;
	}
	ike_sa_recv(sa, &m, local, peer);
}
