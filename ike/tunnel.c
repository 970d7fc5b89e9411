/*
 * tunnel.c: one configured TunnelN.M and the IKE SAs that serve it.  A
 * tunnel is up while one of its IKE SAs has a CHILD SA in the kernel; the
 * policies (in/out/fwd per address family, bound to the tunnel's if_id)
 * belong to the tunnel and outlive rekeys and re-authentications.  When
 * the last SA goes, the tunnel goes down, the listener hears it, and an
 * "auto" tunnel tries again with exponential backoff.
 *
 * Two SAs of one tunnel can meet: a re-authentication (the newer one
 * replaces the older), a peer that restarted (INITIAL_CONTACT: the new
 * one replaces every other of THIS tunnel only), or both ends initiating
 * at once, settled so both ends keep the same SA.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/sa.h"

static void ike_tunnel_retry(void *arg);

static const char *const tstate_names[] = {
	[IKE_T_IDLE] = "idle",
	[IKE_T_CONNECTING] = "connecting",
	[IKE_T_UP] = "up",
	[IKE_T_WAIT] = "down",
};

const char *
ike_tstate_str(enum ike_tstate s)
{
	return (unsigned)s <= IKE_T_WAIT ? tstate_names[s] : "?";
}

/* Configuration -------------------------------------------------------------- */

static int
ike_tcfg_psk(struct ike_secret *dst, const struct conf *conf,
    const struct conf_ident *id)
{
	const struct conf_psk *psk = conf_psk_find(conf, id);
	const unsigned char *k;
	int r;

	if (psk == NULL || (k = conf_secret_unlock(&psk->key)) == NULL)
		return -1;
	r = ike_secret_set(dst, k, psk->key.len);
	conf_secret_lock(&psk->key);
	return r;
}

static uint16_t
ike_first_group(const struct ike_prop *p)
{
	size_t i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == IKE_XF_DH)
			return p->xf[i].id;
	return 0;
}

static int
ike_tcfg_peer(struct ike_tcfg *c, const struct conf_tunnel *ct)
{
	c->peer_type = ct->peer_type;
	c->family = conf_tunnel_af(ct);
	switch (ct->peer_type) {
	case CONF_PEER_ADDR:
		return ike_ss_from_conf(&c->peer_static, ct->peer_addr.af,
		    ct->peer_addr.a, IKE_PORT);
	case CONF_PEER_FQDN4:
	case CONF_PEER_FQDN6:
		return (c->fqdn = strdup(ct->peer_fqdn)) ? 0 : -1;
	}
	return -1;
}

int
ike_tcfg_from_conf(struct ike_tcfg *c, const struct conf *conf,
    const struct conf_tunnel *ct)
{
	int n;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", ct->name);
	c->autoconnect = ct->connect == CONF_CONNECT_AUTO;
	if (ike_tcfg_peer(c, ct) == -1)
		goto fail;
	ike_id_from_conf(&c->lid, conf->local_id.type, conf->local_id.value);
	ike_id_from_conf(&c->pid, ct->peer_id.type, ct->peer_id.value);
	if (ike_tcfg_psk(&c->lpsk, conf, &conf->local_id) == -1 ||
	    ike_tcfg_psk(&c->ppsk, conf, &ct->peer_id) == -1) {
		log_warnx("ike: %s: no pre-shared key for an identity",
		    ct->name);
		goto fail;
	}
	if ((n = ike_props_from_conf(&ct->ike, IKE_PROTO_IKE,
		 c->ike_props)) < 0)
		goto fail;
	c->nike = (size_t)n;
	if ((n = ike_props_from_conf(&ct->ike, IKE_PROTO_ESP,
		 c->esp_props)) < 0)
		goto fail;
	c->nesp = (size_t)n;
	c->ke_group = ike_first_group(&c->ike_props[0]);
	c->child_pfs = (uint16_t)ct->ike.child_pfs;
	c->ike_life = ct->ike.sa_lifetime;
	c->child_life = ct->ike.child_lifetime;
	c->dpd = ct->ike.dpd_interval;
	c->natt_keepalive = ct->natt_keepalive;
	c->natt_force = ct->natt_force;
	c->src_addr = ct->source_addr;
	snprintf(c->src_if, sizeof(c->src_if), "%s", ct->source_if);
	snprintf(c->outgoing, sizeof(c->outgoing), "%s", ct->outgoing);
	snprintf(c->unnumbered, sizeof(c->unnumbered), "%s", ct->unnumbered);
	c->tun_addr = ct->addr;
	c->mtu = ct->mtu;
	return 0;
fail:
	ike_tcfg_clear(c);
	return -1;
}

void
ike_tcfg_clear(struct ike_tcfg *c)
{
	ike_secret_free(&c->lpsk);
	ike_secret_free(&c->ppsk);
	free(c->fqdn);
	memset(c, 0, sizeof(*c));
}

static int
ike_secret_eq(const struct ike_secret *a, const struct ike_secret *b)
{
	return a->len == b->len && ike_ct_equal(a->p, b->p, a->len);
}

/* 1 if nothing the running tunnel depends on changed. */
int
ike_tunnel_cfg_equal(const struct ike_tcfg *a, const struct ike_tcfg *b)
{
	struct ike_tcfg x = *a, y = *b;

	if (!ike_secret_eq(&a->lpsk, &b->lpsk) ||
	    !ike_secret_eq(&a->ppsk, &b->ppsk) ||
	    (a->fqdn == NULL) != (b->fqdn == NULL) ||
	    (a->fqdn && strcmp(a->fqdn, b->fqdn) != 0))
		return 0;
	memset(&x.lpsk, 0, sizeof(x.lpsk));
	memset(&y.lpsk, 0, sizeof(y.lpsk));
	memset(&x.ppsk, 0, sizeof(x.ppsk));
	memset(&y.ppsk, 0, sizeof(y.ppsk));
	x.fqdn = y.fqdn = NULL;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* Objects ------------------------------------------------------------------- */

struct ike_tunnel *
ike_tunnel_find(struct ike_ctx *ctx, const char *name)
{
	struct ike_tunnel *t;

	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (strcmp(t->cfg.name, name) == 0)
			return t;
	return NULL;
}

static uint32_t
ike_tunnel_id(struct ike_ctx *ctx)
{
	struct ike_tunnel *t;
	uint32_t id;

	/* The smallest free one: stable across reloads of unrelated
	 * tunnels, and never another tunnel's. */
	for (id = XFRM_IFID_MIN; id < XFRM_IFID_MAX; id++) {
		for (t = ctx->tunnels; t != NULL; t = t->next)
			if (t->if_id == id)
				break;
		if (t == NULL)
			return id;
	}
	return 0;
}

struct ike_tunnel *
ike_tunnel_new(struct ike_ctx *ctx, const struct conf *conf,
    const struct conf_tunnel *ct)
{
	struct ike_tunnel *t, **pp;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->ctx = ctx;
	if (ike_tcfg_from_conf(&t->cfg, conf, ct) == -1) {
		free(t);
		return NULL;
	}
	t->if_id = t->reqid = ike_tunnel_id(ctx);
	if (t->cfg.peer_type == CONF_PEER_ADDR) {
		t->peer = t->cfg.peer_static;
		t->have_peer = 1;
	}
	ev_timer_set(&t->retry, ike_tunnel_retry, t);
	/* In configuration order, for "show". */
	for (pp = &ctx->tunnels; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = t;
	if (ctx->ops->tunnel_add(ctx->ops_arg, t) == -1)
		log_warnx("ike: %s: no tunnel interface", t->cfg.name);
	return t;
}

/* Every SA of the tunnel deleted (told to the peer), the kernel clean. */
void
ike_tunnel_free(struct ike_tunnel *t)
{
	struct ike_ctx *ctx = t->ctx;
	struct ike_tunnel **pp;
	struct ike_sa *sa;

	t->cfg.autoconnect = 0;
	t->stopping = 1;
	for (sa = ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa->state != IKE_ST_DEAD)
			ike_sa_delete_now(sa, "tunnel removed");
	ike_ctx_reap(ctx);
	ev_timer_del(&t->retry);
	ike_tunnel_policies_del(t);
	ctx->ops->tunnel_del(ctx->ops_arg, t);
	for (pp = &ctx->tunnels; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	ike_tcfg_clear(&t->cfg);
	free(t);
}

/* Initiation and retries ------------------------------------------------------ */

static void
ike_tunnel_backoff(struct ike_tunnel *t, int failed)
{
	uint32_t r;

	if (failed && t->nsilent > 0 && t->nsilent <= IKE_RETRY_FAST_TRIES) {
		t->nfail++;
		t->retry_ms = IKE_RETRY_FAST_MS;
	} else if (failed) {
		t->nfail++;
		t->retry_ms = t->retry_ms ? t->retry_ms * 2 : IKE_RETRY_MIN_MS;
		if (t->retry_ms > IKE_RETRY_MAX_MS)
			t->retry_ms = IKE_RETRY_MAX_MS;
	} else {
		t->retry_ms = IKE_RETRY_MIN_MS;
	}
	ike_random(&r, sizeof(r));
	ev_timer_add(&t->retry, t->retry_ms + r % 1000);
}

/* A new initiator SA, whatever else the tunnel has. */
int
ike_tunnel_new_sa(struct ike_tunnel *t)
{
	struct ike_ctx *ctx = t->ctx;
	struct sockaddr_storage local;
	struct ike_sa *sa;

	if (!t->have_peer) {
		snprintf(t->last_error, sizeof(t->last_error),
		    "peer address unknown");
		if (ctx->ops->resolve)
			ctx->ops->resolve(ctx->ops_arg, t);
		return -1;
	}
	if (ctx->ops->no_carrier != NULL &&
	    ctx->ops->no_carrier(ctx->ops_arg, t)) {
		snprintf(t->last_error, sizeof(t->last_error),
		    "%s has no carrier", t->cfg.outgoing);
		return -1;
	}
	if (ctx->ops->local_addr(ctx->ops_arg, t, t->cfg.family, &local) ==
	    -1) {
		snprintf(t->last_error, sizeof(t->last_error),
		    "no local address");
		return -1;
	}
	ike_ss_set_port(&local, IKE_PORT);
	t->local = local;
	if ((sa = ike_sa_new(t, 1)) == NULL)
		return -1;
	sa->local = t->local;
	sa->peer = t->peer;
	/* While the peer is silent, attempts every second or two would
	 * flood the log: the series is reported by ike_sa_init_unanswered. */
	if (t->nsilent > 0)
		log_debug("ike: %s: initiating", t->cfg.name);
	else
		log_info("ike: %s: initiating", t->cfg.name);
	if (t->sa == NULL || t->sa->state != IKE_ST_ESTABLISHED)
		t->sa = sa;
	ike_sa_queue(sa, IKE_TASK_INIT);
	ike_sa_run(sa);
	return 0;
}

/* The peer started an exchange for this tunnel a moment ago. */
static int
ike_tunnel_halfopen_recent(const struct ike_tunnel *t)
{
	const struct ike_sa *sa;

	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa->state == IKE_ST_INIT_R &&
		    ev_now() - sa->created < IKE_HALFOPEN_YIELD_MS)
			return 1;
	return 0;
}

int
ike_tunnel_initiate(struct ike_tunnel *t)
{
	ev_timer_del(&t->retry);
	if (t->sa != NULL)
		return 0;
	/* Let the peer's exchange finish rather than cross it; not for
	 * long, since an IKE_SA_INIT proves nothing (it may be forged). */
	if (ike_tunnel_halfopen_recent(t)) {
		ev_timer_add(&t->retry, IKE_HALFOPEN_YIELD_MS);
		return 0;
	}
	if (ike_tunnel_new_sa(t) == -1) {
		t->state = IKE_T_WAIT;
		ike_tunnel_backoff(t, 1);
		return -1;
	}
	t->state = IKE_T_CONNECTING;
	return 0;
}

static void
ike_tunnel_retry(void *arg)
{
	struct ike_tunnel *t = arg;

	if (t->cfg.autoconnect)
		ike_tunnel_initiate(t);
}

void
ike_tunnel_start(struct ike_tunnel *t)
{
	struct sockaddr_storage local;
	struct ike_ctx *ctx = t->ctx;

	/* A "click" tunnel still listens: that needs its local address. */
	if (ctx->ops->local_addr(ctx->ops_arg, t, t->cfg.family, &local) ==
	    0) {
		ike_ss_set_port(&local, IKE_PORT);
		t->local = local;
	}
	if (t->cfg.autoconnect)
		ike_tunnel_initiate(t);
}

/* An SA with the peer at p under way or up for this tunnel (a request
 * from an address no peer had may be this tunnel's: ike_auth_roam). */
static int
ike_tunnel_sa_from(const struct ike_tunnel *t,
    const struct sockaddr_storage *p)
{
	const struct ike_sa *sa;

	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->state != IKE_ST_DEAD && ike_ss_eq_addr(&sa->peer, p) &&
		    (sa->t == t || sa->roaming))
			return 1;
	return 0;
}

/*
 * The peer's name resolved to another address (DDNS: the other house was
 * renumbered).  An auto tunnel goes there at once; the SA to the old
 * address is replaced when the new one is up (or dies by its liveness
 * check if the new one never comes).
 */
void
ike_tunnel_set_peer(struct ike_tunnel *t, const struct sockaddr_storage *p)
{
	int changed = !t->have_peer || !ike_ss_eq_addr(&t->peer, p);
	char a[64];

	/* The peer proved it is elsewhere (ike_tunnel_roamed): a cache
	 * still giving the address it left is behind, not news. */
	if (t->roamed_from.ss_family != 0) {
		if (ike_ss_eq_addr(&t->roamed_from, p)) {
			log_debug("ike: %s: %s still gives %s, which the peer "
				  "left",
			    t->cfg.name, t->cfg.fqdn,
			    ike_ss_fmt(p, a, sizeof(a)));
			return;
		}
		memset(&t->roamed_from, 0, sizeof(t->roamed_from));
	}
	t->peer = *p;
	ike_ss_set_port(&t->peer, IKE_PORT);
	t->have_peer = 1;
	if (!changed || !t->cfg.autoconnect || t->stopping)
		return;
	if (t->sa == NULL) {
		ike_tunnel_kick(t);
		return;
	}
	if (ike_ss_eq_addr(&t->sa->peer, p))
		return;
	/* Its own exchange from there is under way (it renumbered and
	 * initiated, which is how we may have heard): crossing it with
	 * ours would only make both ends settle a collision. */
	if (ike_tunnel_sa_from(t, p)) {
		log_info("ike: %s: the peer moved to %s, and is on its way "
			 "here from there",
		    t->cfg.name, ike_ss_fmt(p, a, sizeof(a)));
		return;
	}
	log_info("ike: %s: the peer moved to %s: a new SA there", t->cfg.name,
	    ike_ss_fmt(p, a, sizeof(a)));
	ike_tunnel_new_sa(t);
}

/* Ask the peer's name again; at most every 3 s. */
void
ike_tunnel_refresh(struct ike_tunnel *t)
{
	struct ike_ctx *ctx = t->ctx;
	uint64_t now = ev_now();

	if (t->cfg.fqdn == NULL || ctx->ops->resolve == NULL ||
	    (t->refreshed != 0 && now - t->refreshed < 3000))
		return;
	t->refreshed = now;
	ctx->ops->resolve(ctx->ops_arg, t);
}

/*
 * Renumbering without waiting for DNS.  A request from an address that
 * no tunnel's peer has may be for a tunnel whose peer is known by name
 * only (its new record may not have reached us yet), of the same family,
 * that listens on the address the request came to (the same uplink).
 * The answer commits to nothing: only the identity and key the peer
 * proves in IKE_AUTH bind the SA to a tunnel (docs/ike.md).
 */
int
ike_tunnel_may_roam(const struct ike_tunnel *t,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer)
{
	struct sockaddr_storage mine;

	if (t->cfg.fqdn == NULL || t->stopping ||
	    t->cfg.family != peer->ss_family)
		return 0;
	if (t->local.ss_family != 0)
		mine = t->local;
	else if (t->ctx->ops->local_addr(t->ctx->ops_arg, (struct ike_tunnel *)t,
		     t->cfg.family, &mine) == -1)
		return 0;
	return ike_ss_eq_addr(&mine, local);
}

/* The peer authenticated from p, not where its name pointed: the tunnel
 * follows it now, and asks the name again to catch up. */
void
ike_tunnel_roamed(struct ike_tunnel *t, const struct sockaddr_storage *p)
{
	char a[64], b[64];

	if (t->have_peer && ike_ss_eq_addr(&t->peer, p)) {
		log_info("ike: %s: the peer authenticated from %s, answered "
			 "before %s gave it (it does now)",
		    t->cfg.name, ike_ss_fmt(p, a, sizeof(a)), t->cfg.fqdn);
		return;
	}
	if (t->have_peer)
		log_info("ike: %s: the peer authenticated from %s, not from "
			 "%s where %s pointed: the tunnel follows it",
		    t->cfg.name, ike_ss_fmt(p, a, sizeof(a)),
		    ike_ss_fmt(&t->peer, b, sizeof(b)), t->cfg.fqdn);
	else
		log_info("ike: %s: the peer authenticated from %s before "
			 "%s resolved: the tunnel follows it",
		    t->cfg.name, ike_ss_fmt(p, a, sizeof(a)), t->cfg.fqdn);
	if (t->have_peer)
		t->roamed_from = t->peer;
	t->peer = *p;
	ike_ss_set_port(&t->peer, IKE_PORT);
	t->have_peer = 1;
	t->refreshed = 0;
	ike_tunnel_refresh(t);
}

/* Something changed for the better (an address appeared): an auto
 * tunnel that is down tries now instead of at the end of its backoff. */
void
ike_tunnel_kick(struct ike_tunnel *t)
{
	if (!t->cfg.autoconnect || t->stopping || t->sa != NULL)
		return;
	t->retry_ms = 0;
	ike_tunnel_initiate(t);
}

/* An address appeared where the tunnel sends from: listen there (a
 * "click" tunnel too), and an auto tunnel that is down tries at once. */
void
ike_tunnel_address_up(struct ike_tunnel *t)
{
	struct sockaddr_storage local;

	if (t->stopping)
		return;
	if (t->ctx->ops->local_addr(t->ctx->ops_arg, t, t->cfg.family,
		&local) == 0) {
		ike_ss_set_port(&local, IKE_PORT);
		if (t->sa == NULL)
			t->local = local;
	}
	ike_tunnel_kick(t);
}

/*
 * The local address the tunnel's SAs use went away (PPPoE renumbering,
 * a prefix change): nothing can be sent from it any more, so its SAs end
 * here and now and the tunnel starts over from its new address.
 */
void
ike_tunnel_local_gone(struct ike_tunnel *t)
{
	struct ike_sa *sa;
	char a[64];

	log_info("ike: %s: local address %s gone", t->cfg.name,
	    ike_ss_fmt(&t->local, a, sizeof(a)));
	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa->state != IKE_ST_DEAD)
			ike_sa_kill(sa, "local address gone", 0);
	memset(&t->local, 0, sizeof(t->local));
	t->retry_ms = 0;
}

/*
 * The tunnel's outgoing interface lost its carrier (the line or the
 * provider's side is down) or got it back.  Lost: nothing leaves that
 * way, so the SAs end here and now, not when the liveness checks or the
 * far end find out, and the tunnel's routes and OSPF neighbour go with
 * them; no new attempt is made (ike_tunnel_new_sa asks no_carrier).
 * Back: an auto tunnel tries at once.
 */
void
ike_tunnel_carrier(struct ike_tunnel *t, int up)
{
	struct ike_sa *sa;

	if (t->stopping)
		return;
	if (up) {
		log_info("ike: %s: %s has its carrier back", t->cfg.name,
		    t->cfg.outgoing);
		ike_tunnel_address_up(t);
		return;
	}
	log_warnx("ike: %s: %s lost its carrier: the tunnel is down",
	    t->cfg.name, t->cfg.outgoing);
	/* The peer hears nothing by this path: tell it by another. */
	ike_tunnel_path_lost(t, IKE_PD_CARRIER);
	/* Before the kill: the tunnel-down event says it. */
	snprintf(t->last_error, sizeof(t->last_error), "%s has no carrier",
	    t->cfg.outgoing);
	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa->state != IKE_ST_DEAD)
			ike_sa_kill(sa, "no carrier", 0);
	t->retry_ms = 0;
}

/* SAs meeting ---------------------------------------------------------------- */

int
ike_tunnel_has_other_sa(struct ike_tunnel *t, const struct ike_sa *self)
{
	struct ike_sa *sa;

	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa != self && sa->state != IKE_ST_DEAD)
			return 1;
	return 0;
}

/* Both ends order two SAs alike: by the larger of each one's nonces. */
static int
ike_sa_rank(const struct ike_sa *a, const struct ike_sa *b)
{
	const uint8_t *na = memcmp(a->ni, a->nr, 16) > 0 ? a->ni : a->nr;
	const uint8_t *nb = memcmp(b->ni, b->nr, 16) > 0 ? b->ni : b->nr;

	return memcmp(na, nb, 16);
}

/* Which of two established SAs of a tunnel stays: 1 the new one. */
static int
ike_sa_keep_new(const struct ike_sa *nsa, const struct ike_sa *old)
{
	if (nsa->peer_initial_contact)
		return 1;
	if (old->established <= nsa->created)
		return 1; /* re-authentication or a restarted peer */
	return ike_sa_rank(nsa, old) > 0;
}

void
ike_tunnel_child_up(struct ike_tunnel *t, struct ike_sa *sa)
{
	struct ike_sa *s;
	int was_up = t->state == IKE_T_UP;

	t->sa = sa;
	t->state = IKE_T_UP;
	t->nfail = 0;
	t->nsilent = 0;
	t->retry_ms = 0;
	t->last_error[0] = '\0';
	ev_timer_del(&t->retry);
	for (s = t->ctx->sas; s != NULL; s = s->next) {
		if (s->t != t || s == sa || s->state == IKE_ST_DEAD)
			continue;
		if (s->state != IKE_ST_ESTABLISHED &&
		    s->state != IKE_ST_DELETING)
			ike_sa_kill(s, "superseded", 0);
		else if (ike_sa_keep_new(sa, s))
			ike_sa_delete_now(s, "replaced by a newer SA");
		else {
			t->sa = s;
			ike_sa_delete_now(sa, "duplicate of an older SA");
			return;
		}
	}
	if (!was_up) {
		char a[64], b[64];

		t->up_since = ev_now();
		log_info("ike: %s: tunnel up", t->cfg.name);
		evlog("tunnel-up", t->cfg.name, "with %s, from %s",
		    ike_ss_fmt(&sa->peer, a, sizeof(a)),
		    ike_ss_fmt(&sa->local, b, sizeof(b)));
		if (t->ctx->cb)
			t->ctx->cb(t->cfg.name, 1, t->ctx->cb_arg);
	}
}

static struct ike_sa *
ike_tunnel_best_sa(struct ike_tunnel *t)
{
	struct ike_sa *sa, *best = NULL;

	for (sa = t->ctx->sas; sa != NULL; sa = sa->next) {
		/* Rekey leftovers and larvae never carry the tunnel. */
		if (sa->t != t || sa->state == IKE_ST_DEAD ||
		    sa->state == IKE_ST_REKEYED || sa->state == IKE_ST_LARVAL)
			continue;
		if (best == NULL || (sa->state == IKE_ST_ESTABLISHED &&
					best->state != IKE_ST_ESTABLISHED))
			best = sa;
	}
	return best;
}

static void
ike_tunnel_down(struct ike_tunnel *t, const char *why)
{
	if (t->state != IKE_T_UP)
		return;
	t->state = IKE_T_WAIT;
	/* Where the peer went may have failed too: the name decides again. */
	memset(&t->roamed_from, 0, sizeof(t->roamed_from));
	log_info("ike: %s: tunnel down", t->cfg.name);
	/* The reason a person was given (show ikev2 sa), else the SA's. */
	evlog("tunnel-down", t->cfg.name, "%s",
	    t->last_error[0] ? t->last_error : why[0] ? why : "SA deleted");
	/* The routes first (see ike_sa_kill), then the policies. */
	if (t->ctx->cb)
		t->ctx->cb(t->cfg.name, 0, t->ctx->cb_arg);
	ike_tunnel_policies_del(t);
}

void
ike_tunnel_sa_gone(struct ike_tunnel *t, struct ike_sa *sa, int failed)
{
	struct ike_ctx *ctx = t->ctx;

	if (t->sa != sa)
		return;
	if (failed)
		snprintf(t->last_error, sizeof(t->last_error), "%s", sa->why);
	t->sa = ike_tunnel_best_sa(t);
	if (t->sa != NULL && t->sa->state == IKE_ST_ESTABLISHED)
		return;
	ike_tunnel_down(t, sa->why);
	if (t->sa != NULL) {
		t->state = IKE_T_CONNECTING;
		return;
	}
	t->state = t->cfg.autoconnect ? IKE_T_WAIT : IKE_T_IDLE;
	if (t->stopping)
		return;
	/* The peer may have moved (PPPoE renumbering, DDNS). */
	if (failed && t->cfg.fqdn != NULL && ctx->ops->resolve)
		ctx->ops->resolve(ctx->ops_arg, t);
	if (t->cfg.autoconnect)
		ike_tunnel_backoff(t, failed);
}

void
ike_tunnel_clear(struct ike_tunnel *t, const char *who)
{
	struct ike_sa *sa;

	log_info("ike: %s: cleared by %s", t->cfg.name, who);
	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && sa->state != IKE_ST_DEAD)
			ike_sa_delete_now(sa, "cleared");
	t->retry_ms = 0;
	if (t->cfg.autoconnect) {
		ev_timer_del(&t->retry);
		ev_timer_add(&t->retry, 500);
	}
}

/* Policies ------------------------------------------------------------------- */

/* The prefix a range covers exactly, else the whole family. */
static void
ike_ts_prefix(const struct ike_ts *ts, struct xfrm_prefix *p)
{
	size_t alen = ts->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
	unsigned bits = 0, i;

	memset(p, 0, sizeof(*p));
	p->ip.family = alen == 16 ? AF_INET6 : AF_INET;
	while (bits < alen * 8) {
		unsigned byte = bits / 8, mask = 0x80u >> (bits % 8);

		if ((ts->start[byte] & mask) != (ts->end[byte] & mask))
			break;
		bits++;
	}
	for (i = bits; i < alen * 8; i++) {
		unsigned byte = i / 8, mask = 0x80u >> (i % 8);

		if ((ts->start[byte] & mask) || !(ts->end[byte] & mask))
			return; /* not a prefix: 0/0 */
	}
	memcpy(p->ip.raw, ts->start, alen);
	p->len = (uint8_t)bits;
}

static const struct ike_ts *
ike_ts_of(const struct ike_ts *ts, size_t n, uint8_t type)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ts[i].type == type)
			return &ts[i];
	return NULL;
}

static void
ike_pol_family(struct ike_tunnel *t, const struct ike_child *c,
    uint8_t type)
{
	const struct ike_ts *l = ike_ts_of(c->ts_l, c->nts_l, type);
	const struct ike_ts *r = ike_ts_of(c->ts_r, c->nts_r, type);
	struct xfrm_prefix lp, rp;
	enum xfrm_dir d;

	if (l == NULL || r == NULL)
		return;
	ike_ts_prefix(l, &lp);
	ike_ts_prefix(r, &rp);
	for (d = XFRM_DIR_IN; d <= XFRM_DIR_FWD; d++) {
		struct xfrm_policy *p = &t->pols[t->npols];

		memset(p, 0, sizeof(*p));
		p->dir = d;
		p->sel_src = d == XFRM_DIR_OUT ? lp : rp;
		p->sel_dst = d == XFRM_DIR_OUT ? rp : lp;
		p->src = d == XFRM_DIR_OUT ? c->src : c->dst;
		p->dst = d == XFRM_DIR_OUT ? c->dst : c->src;
		p->reqid = t->reqid;
		p->if_id = t->if_id;
		p->priority = IKE_POLICY_PRIORITY;
		t->npols++;
	}
}

int
ike_tunnel_policies(struct ike_tunnel *t, const struct ike_child *c)
{
	struct ike_ctx *ctx = t->ctx;
	struct xfrm_policy old[IKE_POLICY_MAX];
	size_t nold = t->npols, i, j;

	/* What this CHILD SA needs; what is there already stays. */
	memcpy(old, t->pols, sizeof(old));
	t->npols = 0;
	ike_pol_family(t, c, IKE_TS_IPV4_ADDR_RANGE);
	ike_pol_family(t, c, IKE_TS_IPV6_ADDR_RANGE);
	if (nold == t->npols && memcmp(old, t->pols, nold * sizeof(old[0])) ==
	    0)
		return 0;
	for (i = 0; i < nold; i++)
		ctx->ops->pol_del(ctx->ops_arg, t, &old[i]);
	for (i = 0; i < t->npols; i++) {
		if (ctx->ops->pol_add(ctx->ops_arg, t, &t->pols[i]) == 0)
			continue;
		for (j = 0; j < i; j++)
			ctx->ops->pol_del(ctx->ops_arg, t, &t->pols[j]);
		t->npols = 0;
		return -1;
	}
	return 0;
}

void
ike_tunnel_policies_del(struct ike_tunnel *t)
{
	size_t i;

	for (i = 0; i < t->npols; i++)
		t->ctx->ops->pol_del(t->ctx->ops_arg, t, &t->pols[i]);
	t->npols = 0;
}
