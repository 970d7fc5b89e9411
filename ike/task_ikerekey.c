/*
 * task_ikerekey.c: rekeying the IKE SA in place with CREATE_CHILD_SA
 * (RFC 7296 1.3.2, 2.18): a new IKE SA with fresh SPIs, nonces and DH,
 * keyed from the old SK_d; the CHILD SAs move to it untouched (no packet
 * notices), and the rekey's initiator deletes the old IKE SA.
 *
 * Both ends rekey on their own timers, so both may start at once (2.8.2):
 * each answers the other's request as usual, and when its own answer
 * comes the new SA made with the lowest of the four nonces is redundant:
 * the end that created it deletes it, the other end deletes the old SA.
 * An end that finished its rekey before it saw the peer's request answers
 * that request TEMPORARY_FAILURE (2.25.2), which settles it the same way.
 */
#include <string.h>

#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/sa.h"

/* What the new SA's keys come from: the old SA's SK_d and PRF (2.18). */
static struct ike_rekey_base
ike_old_base(const struct ike_sa *sa)
{
	struct ike_rekey_base b = { { sa->keys.d, sa->keys.dlen },
		sa->suite.prf };

	return b;
}

/* A new SA object for the tunnel, before any key exists. */
static struct ike_sa *
ike_rekey_new_sa(struct ike_sa *old, int initiator)
{
	struct ike_sa *n;

	if ((n = ike_sa_new(old->t, initiator)) == NULL)
		return NULL;
	ike_sa_set_state(n, IKE_ST_LARVAL);
	n->local = old->local;
	n->peer = old->peer;
	n->natd = old->natd;
	n->nat_local = old->nat_local;
	n->nat_peer = old->nat_peer;
	n->frag = old->frag;
	n->rk_parent = old;
	return n;
}

/* Our IKE proposals, with the new SA's SPI. */
static size_t
ike_rekey_offer(const struct ike_sa *nsa, struct ike_prop *out)
{
	const struct ike_tcfg *c = &nsa->t->cfg;
	size_t i;
	int j;

	for (i = 0; i < c->nike; i++) {
		out[i] = c->ike_props[i];
		out[i].spi_size = 8;
		for (j = 0; j < 8; j++)
			out[i].spi[j] = (uint8_t)(nsa->ispi >> (56 - 8 * j));
	}
	return c->nike;
}

int
ike_rekey_ike_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	struct ike_prop props[IKE_PROP_MAX_OURS];
	uint8_t pub[IKE_DH_PUB_MAX];
	struct ike_sa *nsa;
	long publen;

	(void)buf, (void)cap;
	if (sa->state != IKE_ST_ESTABLISHED || sa->rk_ours != NULL)
		return 2;
	if ((nsa = ike_rekey_new_sa(sa, 1)) == NULL)
		return 2;
	nsa->ke_group = sa->suite.dh->id;
	if ((nsa->dh = ike_dh_new(nsa->ke_group)) == NULL ||
	    (publen = ike_dh_public(nsa->dh, pub, sizeof(pub))) < 0) {
		ike_sa_kill(nsa, "no DH key for the IKE rekey", 0);
		return 2;
	}
	sa->rk_ours = nsa;
	ike_put_sa(w, props, ike_rekey_offer(nsa, props));
	ike_put_nonce(w, nsa->ni, nsa->nilen);
	ike_put_ke(w, nsa->ke_group, pub, (size_t)publen);
	return 0;
}

/* A new SA is keyed and takes the place of the old one. */
static void
ike_rekey_activate(struct ike_sa *nsa)
{
	ike_sa_set_state(nsa, IKE_ST_ESTABLISHED);
	nsa->established = nsa->last_in = ev_now();
	ike_sa_timers_start(nsa);
	ike_natt_start(nsa);
	log_info("ike: %s: IKE SA rekeyed: %016llx_i %016llx_r", nsa->t->cfg.name,
	    (unsigned long long)nsa->ispi, (unsigned long long)nsa->rspi);
	evlog("ike-rekey", nsa->t->cfg.name, "IKE SPIs %016llx_i %016llx_r",
	    (unsigned long long)nsa->ispi, (unsigned long long)nsa->rspi);
}

/* The CHILD SAs, their timers and the tunnel's pointer go to `to`. */
void
ike_sa_move_children(struct ike_sa *to, struct ike_sa *from)
{
	to->child = from->child;
	to->old_child = from->old_child;
	to->coll_child = from->coll_child;
	memset(&from->child, 0, sizeof(from->child));
	memset(&from->old_child, 0, sizeof(from->old_child));
	memset(&from->coll_child, 0, sizeof(from->coll_child));
	/* A CHILD rekey of the old SA is abandoned with it. */
	ike_child_remove(from, &from->next_child);
	ev_timer_del(&from->rekey);
	if (to->child.installed)
		ike_sa_child_timer(to);
	if (to->child.out_pending)
		ev_timer_add(&to->outbound, IKE_OUTBOUND_POLL_MS);
	ev_timer_del(&from->outbound);
	if (to->t->sa == from)
		to->t->sa = to;
}

/* The old (or a redundant) SA after a rekey: quiet until its DELETE,
 * ours or the peer's; the peer's may never come, so it ends anyway. */
static void
ike_rekey_retire(struct ike_sa *old, int we_delete)
{
	if (old->state == IKE_ST_DEAD)
		return;
	ev_timer_del(&old->dpd);
	ev_timer_del(&old->expire);
	ev_timer_del(&old->rekey);
	old->queued = 0;
	ike_sa_set_state(old, IKE_ST_REKEYED);
	if (we_delete)
		ike_sa_queue(old, IKE_TASK_DELETE_IKE);
	else
		ev_timer_add(&old->expire, IKE_HALFOPEN_MS);
}

/* 1 if the exchange that made a is the redundant one of a and b. */
static int
ike_rekey_loses(const struct ike_sa *a, const struct ike_sa *b)
{
	const uint8_t *amin = ike_nonce_cmp(a->ni, a->nilen, a->nr,
				  a->nrlen) < 0 ? a->ni : a->nr;
	size_t aminlen = amin == a->ni ? a->nilen : a->nrlen;
	const uint8_t *bmin = ike_nonce_cmp(b->ni, b->nilen, b->nr,
				  b->nrlen) < 0 ? b->ni : b->nr;
	size_t bminlen = bmin == b->ni ? b->nilen : b->nrlen;

	return ike_nonce_cmp(amin, aminlen, bmin, bminlen) < 0;
}

/*
 * Our new SA is keyed.  Met with the peer's (2.8.2): the one made with the
 * lowest nonce goes, deleted by its creator; the creator of the winner
 * deletes the old SA.
 */
static void
ike_rekey_settle(struct ike_sa *sa, struct ike_sa *ours)
{
	struct ike_sa *theirs = sa->rk_peer;

	sa->rk_ours = sa->rk_peer = NULL;
	if (theirs != NULL && theirs->state == IKE_ST_ESTABLISHED &&
	    ike_rekey_loses(ours, theirs)) {
		log_info("ike: %s: IKE rekey collision: the peer's SA stays",
		    sa->t->cfg.name);
		ike_sa_move_children(theirs, sa);
		ike_rekey_activate(ours);
		ike_sa_queue(ours, IKE_TASK_DELETE_IKE);
		ike_sa_run(ours);
		ike_rekey_retire(sa, 0);
		return;
	}
	if (theirs != NULL)
		log_info("ike: %s: IKE rekey collision: ours stays",
		    sa->t->cfg.name);
	ike_sa_move_children(ours, sa);
	ike_rekey_activate(ours);
	if (theirs != NULL)
		ike_rekey_retire(theirs, 0); /* the peer deletes it */
	ike_rekey_retire(sa, 1);
}

/* Our rekey failed or was refused: the peer's, if any, carries on. */
static void
ike_rekey_abandon(struct ike_sa *sa, const char *why)
{
	struct ike_sa *ours = sa->rk_ours, *theirs = sa->rk_peer;

	sa->rk_ours = sa->rk_peer = NULL;
	if (ours != NULL)
		ike_sa_kill(ours, why, 0);
	if (theirs != NULL && theirs->state == IKE_ST_ESTABLISHED) {
		ike_sa_move_children(theirs, sa);
		ike_rekey_retire(sa, 0);
		return;
	}
	log_info("ike: %s: IKE SA rekey deferred: %s", sa->t->cfg.name, why);
	ev_timer_add(&sa->expire, 10000);
}

int
ike_rekey_ike_process(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_prop offered[IKE_PROP_MAX_OURS];
	struct ike_sa *nsa = sa->rk_ours;
	struct ike_rekey_base skd = ike_old_base(sa);
	const struct ike_pl *pl;
	struct ike_sa_pl sapl;
	struct ike_ke_pl ke;
	const uint8_t *nr;
	uint16_t err;
	size_t n;

	if (nsa == NULL || nsa->state == IKE_ST_DEAD) {
		ike_rekey_abandon(sa, "rekey SA gone");
		return 0;
	}
	if (ike_error_notify(m, &err)) {
		ike_rekey_abandon(sa, err == IKE_N_TEMPORARY_FAILURE ?
			"collision (TEMPORARY_FAILURE)" : "refused by the peer");
		return 0;
	}
	n = ike_rekey_offer(nsa, offered);
	if ((pl = ike_msg_find(m, IKE_PL_SA, NULL)) == NULL ||
	    ike_pl_sa(pl, &sapl) == -1 ||
	    ike_prop_check_reply(offered, n, &sapl, IKE_PROTO_IKE,
		&nsa->suite) == -1 ||
	    sapl.prop[0].spi_size != 8 ||
	    (pl = ike_msg_find(m, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &nr, &nsa->nrlen) == -1 ||
	    (pl = ike_msg_find(m, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, &ke) == -1 || ke.group != nsa->ke_group ||
	    nsa->suite.dh == NULL || nsa->suite.dh->id != ke.group) {
		ike_rekey_abandon(sa, "malformed answer");
		return 0;
	}
	memcpy(nsa->nr, nr, nsa->nrlen);
	nsa->prop = sapl.prop[0];
	nsa->rspi = ike_get64(sapl.prop[0].spi);
	if (nsa->rspi == 0 || ike_sa_derive(nsa, ke.data, ke.len, &skd) == -1) {
		ike_rekey_abandon(sa, "key derivation failed");
		return 0;
	}
	ike_rekey_settle(sa, nsa);
	return 0;
}

/* Responder ------------------------------------------------------------------ */

/* 2.25: a rekey of the IKE SA cannot cross what we do to a CHILD SA. */
static int
ike_rekey_busy(const struct ike_sa *sa)
{
	return sa->state != IKE_ST_ESTABLISHED ||
	    sa->active == IKE_TASK_REKEY_CHILD ||
	    sa->active == IKE_TASK_DELETE_CHILD ||
	    sa->active == IKE_TASK_DELETE_IKE;
}

/* Choose, make the new SA's DH half and keys; 0 or a notify. */
static int
ike_rekey_ike_make(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_sa *nsa, struct ike_ke_pl *ke)
{
	const struct ike_pl *pl;
	struct ike_sa_pl sapl;
	const uint8_t *ni;

	if ((pl = ike_msg_find(req, IKE_PL_SA, NULL)) == NULL ||
	    ike_pl_sa(pl, &sapl) == -1 ||
	    (pl = ike_msg_find(req, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &ni, &nsa->nilen) == -1 ||
	    (pl = ike_msg_find(req, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, ke) == -1)
		return IKE_N_INVALID_SYNTAX;
	memcpy(nsa->ni, ni, nsa->nilen);
	if (ike_prop_select(sa->t->cfg.ike_props, sa->t->cfg.nike, &sapl,
		IKE_PROTO_IKE, ke->group, &nsa->prop, &nsa->suite) == -1 ||
	    nsa->prop.spi_size != 8)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (nsa->suite.dh->id != ke->group)
		return IKE_N_INVALID_KE_PAYLOAD;
	nsa->ispi = ike_get64(nsa->prop.spi);
	nsa->ke_group = ke->group;
	if (nsa->ispi == 0 || (nsa->dh = ike_dh_new(ke->group)) == NULL)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	/* The answer's SA payload carries our new SPI. */
	ike_set32(nsa->prop.spi, (uint32_t)(nsa->rspi >> 32));
	ike_set32(nsa->prop.spi + 4, (uint32_t)nsa->rspi);
	return 0;
}

int
ike_rekey_ike_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	uint8_t pub[IKE_DH_PUB_MAX], g[2];
	struct ike_rekey_base skd = ike_old_base(sa);
	struct ike_sa *nsa;
	struct ike_ke_pl ke;
	long publen;
	int err;

	if (ike_rekey_busy(sa) || sa->rk_peer != NULL)
		return IKE_N_TEMPORARY_FAILURE;
	if ((nsa = ike_rekey_new_sa(sa, 0)) == NULL)
		return IKE_N_TEMPORARY_FAILURE;
	if ((err = ike_rekey_ike_make(sa, req, nsa, &ke)) != 0 ||
	    (publen = ike_dh_public(nsa->dh, pub, sizeof(pub))) < 0 ||
	    ike_sa_derive(nsa, ke.data, ke.len, &skd) == -1) {
		if (err == IKE_N_INVALID_KE_PAYLOAD) {
			ike_set16(g, nsa->suite.dh->id);
			ike_put_notify(resp, 0, NULL, 0, (uint16_t)err, g, 2);
		}
		ike_sa_kill(nsa, "IKE rekey refused", 0);
		return err == IKE_N_INVALID_KE_PAYLOAD ? 0 :
		    (err ? err : IKE_N_NO_PROPOSAL_CHOSEN);
	}
	ike_put_sa(resp, &nsa->prop, 1);
	ike_put_nonce(resp, nsa->nr, nsa->nrlen);
	ike_put_ke(resp, nsa->ke_group, pub, (size_t)publen);
	ike_rekey_activate(nsa);
	if (sa->rk_ours != NULL) {
		/* Ours is in flight: settled when its answer comes. */
		sa->rk_peer = nsa;
		return 0;
	}
	ike_sa_move_children(nsa, sa);
	ike_rekey_retire(sa, 0);
	return 0;
}
