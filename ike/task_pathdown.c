/*
 * task_pathdown.c: telling the peer at once, over a tunnel that still
 * works, that another tunnel's path is dead at our end.
 *
 * A house that loses an uplink's carrier (or whose watch-group finds a
 * path dead) ends that tunnel's SAs and moves its own traffic in
 * milliseconds.  The other house hears nothing by that path: without
 * word from us it keeps sending into the dead tunnel until its own
 * watch-group or liveness check gives up, seconds later.  So we say it
 * over the surviving tunnel's IKE SA: an INFORMATIONAL request with a
 * private-use status notify (IKE_N_TSUNAGI_PATH_DOWN) naming the dead IKE
 * SA by its SPIs, and the peer ends that SA as we did.
 *
 * Why not OSPF: two tunnels between the same two routers are parallel
 * unnumbered point-to-point links.  A router-LSA names such a link by the
 * neighbour's router ID and our own ifIndex; the peer's SPF checks the
 * link back per router (RFC 2328 16.1), not per link, and a Hello carries
 * no interface ID, so the peer cannot tell which of its two links to us
 * lost its far end.  And OSPF carries IPv4 only here.
 *
 * Security: the request is an IKE message of an authenticated SA, so it
 * comes from whoever holds the peer identity's PSK, and message IDs rule
 * out a replay.  The peer acts only on an SA of another tunnel whose peer
 * identity is the same as this SA's: what it may end is an SA it could
 * end anyway with a DELETE by that SA's own path.  Without the PSK,
 * nobody can send one; a peer that does not know the notify ignores it
 * (3.10.1: unknown status types) and answers an empty response.
 *
 * The notify's data: version (1), reason (enum ike_pd_reason), two zero
 * bytes, the dead IKE SA's initiator SPI, then its responder SPI.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

#define PD_VERSION	1
#define PD_LEN		20

/* Each reason as the log says it, and as show ikev2 sa does. */
static const struct {
	uint8_t code;
	const char *log, *show;
} pd_reasons[] = {
    {IKE_PD_CARRIER, "its uplink lost its carrier", "carrier"},
    {IKE_PD_WATCH, "its watch-group found it dead", "watch-group"},
    {0, "it says why in a way we do not know", "?"}, /* the last: others */
};

static size_t
ike_pd_reason(uint8_t code)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(pd_reasons) / sizeof(pd_reasons[0]); i++)
		if (pd_reasons[i].code == code)
			break;
	return i;
}

static int
ike_id_eq(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	    memcmp(a->data, b->data, a->len) == 0;
}

/* An SA the peer holds as established too: worth naming. */
static int
ike_pd_known_to_peer(const struct ike_sa *sa)
{
	return sa->state == IKE_ST_ESTABLISHED ||
	    sa->state == IKE_ST_DELETING || sa->state == IKE_ST_REKEYED ||
	    /* our IKE_AUTH's answer may be on its way: the peer has it */
	    sa->state == IKE_ST_AUTH_I;
}

static void
ike_pd_add(struct ike_sa *to, const struct ike_sa *dead, uint8_t reason)
{
	size_t i;

	for (i = 0; i < to->npd; i++)
		if (to->pd[i].ispi == dead->ispi &&
		    to->pd[i].rspi == dead->rspi)
			return;
	if (to->npd == IKE_PD_MAX)
		return;
	to->pd[to->npd].ispi = dead->ispi;
	to->pd[to->npd].rspi = dead->rspi;
	to->pd[to->npd].reason = reason;
	to->npd++;
}

/*
 * The path of tunnel t is dead at our end: queue the word on every other
 * tunnel's established SA with the same peer identity.  Called before t's
 * SAs end, while their SPIs are there to name.
 */
void
ike_tunnel_path_lost(struct ike_tunnel *t, enum ike_pd_reason reason)
{
	struct ike_tunnel *u;
	struct ike_sa *sa;

	for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
		if (sa->t == t && ike_pd_known_to_peer(sa))
			break;
	if (sa == NULL)
		return; /* nothing the peer holds: nothing to tell */
	for (u = t->ctx->tunnels; u != NULL; u = u->next) {
		if (u == t || u->sa == NULL ||
		    u->sa->state != IKE_ST_ESTABLISHED ||
		    !ike_id_eq(&u->cfg.pid, &t->cfg.pid))
			continue;
		for (sa = t->ctx->sas; sa != NULL; sa = sa->next)
			if (sa->t == t && ike_pd_known_to_peer(sa))
				ike_pd_add(u->sa, sa, (uint8_t)reason);
		log_info("ike: %s: telling the peer over %s that this path "
		         "is dead", t->cfg.name, u->cfg.name);
		ike_sa_queue(u->sa, IKE_TASK_PATH_DOWN);
		ike_sa_run(u->sa);
	}
}

int
ike_pathdown_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	uint8_t d[PD_LEN];
	size_t i;

	(void)buf, (void)cap;
	if (sa->npd == 0)
		return 2;
	for (i = 0; i < sa->npd; i++) {
		memset(d, 0, sizeof(d));
		d[0] = PD_VERSION;
		d[1] = sa->pd[i].reason;
		ike_set64(d + 4, sa->pd[i].ispi);
		ike_set64(d + 12, sa->pd[i].rspi);
		ike_put_notify(w, 0, NULL, 0, IKE_N_TSUNAGI_PATH_DOWN, d,
		    sizeof(d));
	}
	sa->npd = 0;
	return 0;
}

int
ike_pathdown_process(struct ike_sa *sa, const struct ike_msg *m)
{
	(void)sa, (void)m;
	return 0;
}

static struct ike_sa *
ike_pd_target(struct ike_ctx *ctx, uint64_t ispi, uint64_t rspi)
{
	struct ike_sa *sa;

	for (sa = ctx->sas; sa != NULL; sa = sa->next)
		if (sa->ispi == ispi && sa->rspi == rspi &&
		    sa->state != IKE_ST_DEAD)
			return sa;
	return NULL;
}

/* One notify of the peer's request over sa. */
static void
ike_pd_heard(struct ike_sa *sa, const struct ike_notify_pl *n)
{
	struct ike_tunnel *t;
	struct ike_sa *dead;
	size_t why;

	if (n->len != PD_LEN || n->data[0] != PD_VERSION) {
		log_debug("ike: %s: a path-down notice we cannot read "
		          "(%zu bytes)", sa->t->cfg.name, n->len);
		return;
	}
	dead = ike_pd_target(sa->ctx, ike_get64(n->data + 4),
	    ike_get64(n->data + 12));
	if (dead == NULL) {
		/* Gone already: its own DELETE or liveness check won. */
		log_debug("ike: %s: a path-down notice for an SA we no longer "
		          "have", sa->t->cfg.name);
		return;
	}
	t = dead->t;
	if (t == sa->t) {
		log_warnx("ike: %s: the peer says the path of the SA it "
		          "speaks over is dead: ignored", t->cfg.name);
		return;
	}
	if (!ike_id_eq(&t->cfg.pid, &sa->t->cfg.pid)) {
		log_warnx("ike: %s: a path-down notice over %s, whose peer "
		          "is another identity: ignored", t->cfg.name,
		    sa->t->cfg.name);
		return;
	}
	why = ike_pd_reason(n->data[1]);
	log_warnx("ike: %s: the peer says this path is dead at its end "
	          "(%s), over %s: the tunnel is down", t->cfg.name,
	    pd_reasons[why].log, sa->t->cfg.name);
	ike_sa_kill(dead, "the peer lost this path", 0);
	if (t->sa == NULL || t->sa->state != IKE_ST_ESTABLISHED)
		snprintf(t->last_error, sizeof(t->last_error),
		    "the peer lost this path (%s)", pd_reasons[why].show);
}

/*
 * The path-down notices of an INFORMATIONAL request; the answer is
 * empty (ike_info_respond).  Each names an SA of another tunnel than
 * sa's (ike_pd_heard refuses sa's own), so sa lives on.
 */
void
ike_pathdown_respond(struct ike_sa *sa, const struct ike_msg *req)
{
	struct ike_notify_pl n;
	size_t i;

	for (i = 0; i < req->npl; i++) {
		if (req->pl[i].type != IKE_PL_NOTIFY ||
		    ike_pl_notify(&req->pl[i], &n) == -1 ||
		    n.type != IKE_N_TSUNAGI_PATH_DOWN)
			continue;
		ike_pd_heard(sa, &n);
	}
}
