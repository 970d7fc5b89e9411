/*
 * task_init.c: IKE_SA_INIT (RFC 7296 1.2), both roles.  The initiator
 * retries with the group a responder asks for (INVALID_KE_PAYLOAD, 1.3)
 * and echoes a COOKIE (2.6).  The responder keeps no state for a request
 * it refuses, and settles simultaneous initiation of one tunnel by nonce.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

static int ike_init_new_group(struct ike_sa *sa,
    const struct ike_notify_pl *n);

/* Notifies in an unprotected answer we act on; the first error wins. */
static int
ike_init_notifies(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_notify_pl n;
	size_t i;

	for (i = 0; i < m->npl; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY ||
		    ike_pl_notify(&m->pl[i], &n) == -1)
			continue;
		if (n.type == IKE_N_COOKIE) {
			/* Again only if the responder renewed its secret
			 * meanwhile: a few times, never in a loop. */
			if (n.len < 1 || n.len > sizeof(sa->cookie) ||
			    ++sa->cookie_tries > 3)
				goto bad;
			memcpy(sa->cookie, n.data, n.len);
			sa->cookielen = n.len;
			return 1;
		}
		if (n.type == IKE_N_INVALID_KE_PAYLOAD)
			return ike_init_new_group(sa, &n);
		if (n.type <= IKE_N_ERROR_MAX) {
			snprintf(sa->why, sizeof(sa->why),
			    "IKE_SA_INIT refused: notify %u", n.type);
			return -1;
		}
	}
	return 0;
bad:
	snprintf(sa->why, sizeof(sa->why), "bad COOKIE");
	return -1;
}

/* The responder wants another group: one we offered, once per group. */
static int
ike_init_new_group(struct ike_sa *sa, const struct ike_notify_pl *n)
{
	const struct ike_tcfg *c = &sa->t->cfg;
	uint16_t g;
	size_t i, j;

	if (n->len != 2)
		goto bad;
	g = ike_get16(n->data);
	if (g == sa->ke_group)
		goto bad;
	for (i = 0; i < c->nike; i++)
		for (j = 0; j < c->ike_props[i].nxf; j++)
			if (c->ike_props[i].xf[j].type == IKE_XF_DH &&
			    c->ike_props[i].xf[j].id == g) {
				log_info("ike: %s: responder asks for DH "
					 "group %u",
				    c->name, g);
				sa->ke_group = g;
				ike_dh_free(sa->dh);
				sa->dh = NULL;
				return 1;
			}
bad:
	snprintf(sa->why, sizeof(sa->why), "INVALID_KE_PAYLOAD for a group "
					   "we did not offer");
	return -1;
}

int
ike_init_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	uint8_t pub[IKE_DH_PUB_MAX];
	struct ike_hdr h;
	long publen, len;

	if (sa->dh == NULL && (sa->dh = ike_dh_new(sa->ke_group)) == NULL) {
		snprintf(sa->why, sizeof(sa->why), "DH group %u unavailable",
		    sa->ke_group);
		return -1;
	}
	if ((publen = ike_dh_public(sa->dh, pub, sizeof(pub))) < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	h.ispi = sa->ispi;
	h.exchange = IKE_EXCH_IKE_SA_INIT;
	h.flags = IKE_FLAG_INITIATOR;
	ike_wbuf_msg(w, buf, cap, &h);
	if (sa->cookielen)
		ike_put_notify(w, 0, NULL, 0, IKE_N_COOKIE, sa->cookie,
		    sa->cookielen);
	ike_put_sa(w, sa->t->cfg.ike_props, sa->t->cfg.nike);
	ike_put_ke(w, sa->ke_group, pub, (size_t)publen);
	ike_put_nonce(w, sa->ni, sa->nilen);
	ike_natd_put(sa, w, 0);
	ike_put_notify(w, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL,
	    0);
	if ((len = ike_wbuf_finish(w)) < 0 ||
	    ike_sa_store(&sa->init_i, &sa->init_ilen, buf, (size_t)len) == -1)
		return -1;
	return 1;
}

/* g^ir, then SKEYSEED and the seven keys (2.14). */
int
ike_sa_derive(struct ike_sa *sa, const uint8_t *peer_ke, size_t kelen,
    const struct ike_rekey_base *old)
{
	struct ike_secret gir = { 0 };
	int r;

	if (ike_dh_derive(sa->dh, peer_ke, kelen, &gir) == -1) {
		snprintf(sa->why, sizeof(sa->why), "bad KE payload");
		return -1;
	}
	r = ike_derive_ike_keys(&sa->suite, &gir, sa->ni, sa->nilen, sa->nr,
	    sa->nrlen, sa->ispi, sa->rspi, old, &sa->keys);
	ike_secret_free(&gir);
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	if (r == -1) {
		snprintf(sa->why, sizeof(sa->why), "key derivation failed");
		return -1;
	}
	ike_sa_set_keys(sa);
	return 0;
}

/* The payloads every IKE_SA_INIT carries, typed. */
struct ike_init_pls {
	struct ike_sa_pl	 sa;
	struct ike_ke_pl	 ke;
	const uint8_t		*nonce;
	size_t			 noncelen;
};

static int
ike_init_parse(const struct ike_msg *m, struct ike_init_pls *p)
{
	const struct ike_pl *pl;

	if ((pl = ike_msg_find(m, IKE_PL_SA, NULL)) == NULL ||
	    ike_pl_sa(pl, &p->sa) == -1 ||
	    (pl = ike_msg_find(m, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, &p->ke) == -1 ||
	    (pl = ike_msg_find(m, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &p->nonce, &p->noncelen) == -1)
		return -1;
	return 0;
}

int
ike_init_process(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_init_pls p;
	int r;

	if ((r = ike_init_notifies(sa, m)) != 0)
		return r;
	if (ike_init_parse(m, &p) == -1 || m->hdr.rspi == 0) {
		snprintf(sa->why, sizeof(sa->why), "malformed IKE_SA_INIT "
						   "response");
		return -1;
	}
	if (ike_prop_check_reply(sa->t->cfg.ike_props, sa->t->cfg.nike,
		&p.sa, IKE_PROTO_IKE, &sa->suite) == -1 ||
	    sa->suite.dh->id != sa->ke_group || p.ke.group != sa->ke_group) {
		snprintf(sa->why, sizeof(sa->why), "responder chose a "
						   "proposal we did not offer");
		return -1;
	}
	sa->prop = p.sa.prop[0];
	memcpy(sa->nr, p.nonce, p.noncelen);
	sa->nrlen = p.noncelen;
	sa->rspi = m->hdr.rspi;
	if (ike_sa_store(&sa->init_r, &sa->init_rlen, m->buf, m->len) == -1 ||
	    ike_sa_derive(sa, p.ke.data, p.ke.len, NULL) == -1)
		return -1;
	ike_natd_check(sa, m);
	ike_natt_float(sa);
	sa->frag = ike_msg_find_notify(m,
		       IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	ike_sa_set_state(sa, IKE_ST_AUTH_I);
	ike_sa_queue(sa, IKE_TASK_AUTH);
	return 0;
}

/* Responder ---------------------------------------------------------------- */

/* An unprotected answer that creates no state (2.6, 1.3). */
void
ike_init_refuse(struct ike_ctx *ctx, struct ike_tunnel *t,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer,
    const struct ike_msg *m, uint16_t type, const uint8_t *d, size_t dlen)
{
	uint8_t buf[256];
	struct ike_wbuf w;
	struct ike_hdr h;
	long len;

	memset(&h, 0, sizeof(h));
	h.ispi = m->hdr.ispi;
	h.exchange = IKE_EXCH_IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	ike_wbuf_msg(&w, buf, sizeof(buf), &h);
	ike_put_notify(&w, 0, NULL, 0, type, d, dlen);
	if ((len = ike_wbuf_finish(&w)) > 0)
		ctx->ops->send(ctx->ops_arg, t, local, peer, buf, (size_t)len);
}

/*
 * Both ends of a tunnel initiated at once.  Each compares the two
 * initiator nonces and the same one wins on both ends: the loser drops
 * its own attempt and answers; the winner ignores the peer's request.
 * 1: ignore the request.
 */
static int
ike_init_collision(struct ike_tunnel *t, const struct ike_init_pls *p)
{
	struct ike_sa *ours = t->sa;
	size_t n;
	int c;

	if (ours == NULL || !ours->initiator ||
	    (ours->state != IKE_ST_INIT_I && ours->state != IKE_ST_AUTH_I))
		return 0;
	n = ours->nilen < p->noncelen ? ours->nilen : p->noncelen;
	c = memcmp(ours->ni, p->nonce, n);
	if (c > 0 || (c == 0 && ours->nilen > p->noncelen)) {
		log_info("ike: %s: simultaneous initiation: ours goes on",
		    t->cfg.name);
		return 1;
	}
	log_info("ike: %s: simultaneous initiation: the peer's goes on",
	    t->cfg.name);
	t->sa = NULL;
	ike_sa_kill(ours, "simultaneous initiation, the peer's won", 0);
	return 0;
}

static int
ike_init_answer(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_init_pls *p)
{
	uint8_t buf[IKE_MSG_MAX], pub[IKE_DH_PUB_MAX];
	struct ike_wbuf w;
	struct ike_hdr h;
	long publen, len;

	if ((sa->dh = ike_dh_new(sa->ke_group)) == NULL ||
	    (publen = ike_dh_public(sa->dh, pub, sizeof(pub))) < 0)
		return -1;
	memset(&h, 0, sizeof(h));
	h.ispi = sa->ispi;
	h.rspi = sa->rspi;
	h.exchange = IKE_EXCH_IKE_SA_INIT;
	h.flags = IKE_FLAG_RESPONSE;
	ike_wbuf_msg(&w, buf, sizeof(buf), &h);
	ike_put_sa(&w, &sa->prop, 1);
	ike_put_ke(&w, sa->ke_group, pub, (size_t)publen);
	ike_put_nonce(&w, sa->nr, sa->nrlen);
	if (sa->natd)
		ike_natd_put(sa, &w, sa->rspi);
	if (sa->frag)
		ike_put_notify(&w, 0, NULL, 0,
		    IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	if ((len = ike_wbuf_finish(&w)) < 0 ||
	    ike_sa_store(&sa->init_i, &sa->init_ilen, m->buf, m->len) == -1 ||
	    ike_sa_store(&sa->init_r, &sa->init_rlen, buf, (size_t)len) ==
		-1 ||
	    ike_frames_set(&sa->resp, &sa->resplen, buf, (size_t)len) == -1 ||
	    ike_sa_derive(sa, p->ke.data, p->ke.len, NULL) == -1)
		return -1;
	sa->mid_in = 1;
	return ike_sa_send_plain(sa, buf, (size_t)len);
}

int
ike_init_respond(struct ike_ctx *ctx, struct ike_tunnel *t,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer,
    const struct ike_msg *m, int roaming)
{
	struct ike_init_pls p;
	struct ike_prop chosen;
	struct ike_suite suite;
	struct ike_sa *sa;
	uint8_t g[2], cookie[64];
	long clen;

	if (ike_init_parse(m, &p) == -1) {
		ike_init_refuse(ctx, t, local, peer, m, IKE_N_INVALID_SYNTAX,
		    NULL, 0);
		return -1;
	}
	/* Under load, no state and no DH before the peer proves it sees
	 * our answers (2.6). */
	if (ike_cookie_needed(ctx) &&
	    !ike_cookie_valid(ctx, m, peer, p.nonce, p.noncelen)) {
		if ((clen = ike_cookie_make(ctx, m, peer, p.nonce,
			 p.noncelen, cookie)) > 0)
			ike_init_refuse(ctx, t, local, peer, m, IKE_N_COOKIE,
			    cookie, (size_t)clen);
		return -1;
	}
	if (ike_prop_select(t->cfg.ike_props, t->cfg.nike, &p.sa,
		IKE_PROTO_IKE, p.ke.group, &chosen, &suite) == -1) {
		log_warnx("ike: %s: no acceptable IKE proposal from the peer",
		    t->cfg.name);
		ike_init_refuse(ctx, t, local, peer, m, IKE_N_NO_PROPOSAL_CHOSEN,
		    NULL, 0);
		return -1;
	}
	if (suite.dh->id != p.ke.group) {
		ike_set16(g, suite.dh->id);
		ike_init_refuse(ctx, t, local, peer, m, IKE_N_INVALID_KE_PAYLOAD,
		    g, 2);
		return -1;
	}
	/* From an address that is not the peer's, nothing proves the
	 * request is the peer's: it may not stop our own attempt. */
	if (!roaming && ike_init_collision(t, &p))
		return -1;
	if ((sa = ike_sa_new(t, 0)) == NULL)
		return -1;
	sa->roaming = roaming;
	sa->ispi = m->hdr.ispi;
	sa->local = *local;
	sa->peer = *peer;
	sa->prop = chosen;
	sa->suite = suite;
	sa->ke_group = suite.dh->id;
	memcpy(sa->ni, p.nonce, p.noncelen);
	sa->nilen = p.noncelen;
	ike_natd_check(sa, m);
	sa->frag = ike_msg_find_notify(m,
		       IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	if (ike_init_answer(sa, m, &p) == -1) {
		ike_sa_kill(sa, "cannot answer IKE_SA_INIT", 1);
		return -1;
	}
	/* Not the tunnel's SA until it authenticates: an unauthenticated
	 * IKE_SA_INIT must not hold up our own initiation. */
	ev_timer_add(&sa->expire, IKE_HALFOPEN_MS);
	return 0;
}
