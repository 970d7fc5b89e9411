/*
 * task_rekey.c: CREATE_CHILD_SA rekeying the tunnel's CHILD SA (RFC 7296
 * 1.3.3, 2.8), make-before-break: the new pair is in the kernel before
 * the old one goes (the kernel sends on the newest SA of the reqid), and
 * the old inbound SA stays until the DELETE exchange that follows.
 *
 * Both ends rekey on their own timers.  When the two rekeys cross (2.8.1,
 * 2.25.1) each end answers the other's as usual, keeping the pair it made
 * aside; once its own answer is in, the pair made with the lowest of the
 * four nonces is redundant and is deleted by the end that created it, and
 * the end that created the survivor deletes the original.  New CHILD SAs
 * beyond the one per tunnel are refused (NO_ADDITIONAL_SAS); the IKE SA
 * rekey is task_ikerekey.c's, dispatched from here.
 */
#include <string.h>

#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/sa.h"

static int
ike_rekey_pfs(const struct ike_sa *sa)
{
	return sa->t->cfg.child_pfs != 0;
}

/* Nonces compare as big numbers of equal length would; shorter first. */
int
ike_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = memcmp(a, b, n);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Remember the lower of an exchange's two nonces in the pair it made. */
void
ike_nonce_min(struct ike_child *c, const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen)
{
	if (ike_nonce_cmp(a, alen, b, blen) > 0) {
		a = b;
		alen = blen;
	}
	memcpy(c->nmin, a, alen);
	c->nminlen = alen;
}

int
ike_rekey_child_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	struct ike_prop props[IKE_PROP_MAX_OURS];
	uint8_t spi[4], pub[IKE_DH_PUB_MAX];
	long publen = 0;
	size_t n;

	(void)buf, (void)cap;
	if (!sa->child.installed)
		return 2;
	ike_child_remove(sa, &sa->next_child);
	if (ike_child_spi(sa, &sa->next_child) == -1) {
		ev_timer_add(&sa->rekey, 10000); /* the kernel: soon again */
		return 2;
	}
	sa->rk_of = sa->child.spi_in;
	sa->child_from_peer = 0;
	if (ike_rekey_pfs(sa)) {
		ike_dh_free(sa->child_dh);
		if ((sa->child_dh = ike_dh_new(sa->t->cfg.child_pfs)) == NULL ||
		    (publen = ike_dh_public(sa->child_dh, pub, sizeof(pub))) <
			0)
			return -1;
	}
	sa->cnilen = IKE_NONCE_LEN;
	ike_random(sa->cni, sa->cnilen);
	ike_set32(spi, sa->child.spi_in);
	ike_put_notify(w, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
	n = ike_esp_offer(sa, props, sa->next_child.spi_in, ike_rekey_pfs(sa));
	ike_put_sa(w, props, n);
	ike_put_nonce(w, sa->cni, sa->cnilen);
	if (ike_rekey_pfs(sa))
		ike_put_ke(w, sa->t->cfg.child_pfs, pub, (size_t)publen);
	ike_child_put_ts(w);
	return 0;
}

/* g^ir of a PFS rekey, from the other side's KE (NULL: no PFS). */
static int
ike_rekey_gir(const struct ike_dh *dh, const struct ike_msg *m,
    uint16_t group, struct ike_secret *gir)
{
	const struct ike_pl *pl;
	struct ike_ke_pl ke;

	if (dh == NULL)
		return 0;
	if ((pl = ike_msg_find(m, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, &ke) == -1 || ke.group != group ||
	    ike_dh_derive(dh, ke.data, ke.len, gir) == -1)
		return -1;
	return 0;
}

/* The pair c is in: it becomes the CHILD SA, the one it replaces
 * waits for its DELETE (ours if doom). */
static void
ike_rekey_switch(struct ike_sa *sa, struct ike_child *c, int doom)
{
	ike_child_remove(sa, &sa->old_child);
	sa->old_child = sa->child;
	sa->old_child.doomed = doom;
	sa->child = *c;
	memset(c, 0, sizeof(*c));
	/* A rekey of ours still waiting to go would rekey the new pair. */
	sa->queued &= ~(1u << IKE_TASK_REKEY_CHILD);
	ike_sa_child_timer(sa);
	/* A pair we answered for: ours to send on once the peer has it. */
	if (sa->child.out_pending)
		ev_timer_add(&sa->outbound, IKE_OUTBOUND_POLL_MS);
	log_info("ike: %s: CHILD SA rekeyed: in 0x%08x out 0x%08x",
	    sa->t->cfg.name, sa->child.spi_in, sa->child.spi_out);
	evlog("child-rekey", sa->t->cfg.name, "ESP SPIs in 0x%08x out 0x%08x",
	    sa->child.spi_in, sa->child.spi_out);
}

static void
ike_rekey_drop_dh(struct ike_sa *sa)
{
	ike_dh_free(sa->child_dh);
	sa->child_dh = NULL;
}

static void
ike_rekey_later(struct ike_sa *sa, const char *why)
{
	uint32_t r;

	ike_child_remove(sa, &sa->next_child);
	ike_rekey_drop_dh(sa);
	if (sa->coll_child.installed) {
		/* The peer's rekey of the same pair went through. */
		ike_rekey_switch(sa, &sa->coll_child, 0);
		return;
	}
	if (sa->child_from_peer || sa->child.spi_in != sa->rk_of) {
		/* The peer rekeyed the pair meanwhile: nothing to redo. */
		sa->child_from_peer = 0;
		return;
	}
	log_info("ike: %s: CHILD SA rekey deferred: %s", sa->t->cfg.name, why);
	ike_random(&r, sizeof(r));
	ev_timer_add(&sa->rekey, 2000 + r % 8000);
}

/* An answer we cannot use: the peer's new pair is deleted again, or it
 * would send on a pair we do not have. */
static void
ike_rekey_unusable(struct ike_sa *sa, const char *why)
{
	if (sa->next_child.spi_in != 0 && sa->next_child.spi_out != 0) {
		sa->del_extra = sa->next_child.spi_in;
		ike_sa_queue(sa, IKE_TASK_DELETE_CHILD);
	}
	ike_rekey_later(sa, why);
}

/*
 * Our new pair is in.  Met with the peer's pair (coll_child): the one
 * made with the lowest nonce goes, deleted by its maker; the maker of the
 * survivor deletes the original.
 */
static void
ike_rekey_settle(struct ike_sa *sa)
{
	struct ike_child *theirs = sa->child_from_peer ? &sa->child :
	    sa->coll_child.installed ? &sa->coll_child : NULL;
	struct ike_child ours;

	sa->child_from_peer = 0;
	if (theirs == NULL) {
		ike_rekey_switch(sa, &sa->next_child, 1);
	} else if (ike_nonce_cmp(sa->next_child.nmin, sa->next_child.nminlen,
		       theirs->nmin, theirs->nminlen) < 0) {
		log_info("ike: %s: CHILD rekey collision: the peer's pair "
			 "stays", sa->t->cfg.name);
		ours = sa->next_child;
		memset(&sa->next_child, 0, sizeof(sa->next_child));
		if (theirs == &sa->coll_child)
			ike_rekey_switch(sa, &sa->coll_child, 0);
		/* Send on the survivor at once; ours only until it goes. */
		ike_child_out_now(sa, &sa->child);
		ike_child_drop_out(sa, &ours);
		sa->coll_child = ours;
		sa->coll_child.doomed = 1;
	} else {
		log_info("ike: %s: CHILD rekey collision: our pair stays",
		    sa->t->cfg.name);
		/* The peer's pair is redundant: the peer deletes it.  If it
		 * already took the original's place, the original is gone. */
		ike_rekey_switch(sa, &sa->next_child, theirs != &sa->child);
	}
	ike_sa_queue(sa, IKE_TASK_DELETE_CHILD);
}

int
ike_rekey_child_process(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_secret gir = { 0 };
	const struct ike_pl *pl;
	const uint8_t *nr;
	uint16_t err;
	int r;

	if (ike_error_notify(m, &err)) {
		if (err == IKE_N_CHILD_SA_NOT_FOUND && !sa->child_from_peer &&
		    !sa->coll_child.installed && sa->child.spi_in == sa->rk_of) {
			/* The peer lost our CHILD SA: start over cleanly. */
			ike_child_remove(sa, &sa->next_child);
			ike_rekey_drop_dh(sa);
			ike_sa_queue(sa, IKE_TASK_DELETE_IKE);
			return 0;
		}
		ike_rekey_later(sa, err == IKE_N_TEMPORARY_FAILURE ?
			"collision (TEMPORARY_FAILURE)" : "refused by the "
							  "peer");
		return 0;
	}
	if ((pl = ike_msg_find(m, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &nr, &sa->cnrlen) == -1 ||
	    ike_child_answer(sa, m, &sa->next_child, ike_rekey_pfs(sa)) ==
		-1 ||
	    ike_rekey_gir(sa->child_dh, m, sa->t->cfg.child_pfs, &gir) == -1) {
		ike_secret_free(&gir);
		ike_rekey_unusable(sa, "malformed answer");
		return 0;
	}
	memcpy(sa->cnr, nr, sa->cnrlen);
	r = ike_child_install(sa, &sa->next_child, sa->cni, sa->cnilen,
	    sa->cnr, sa->cnrlen, gir.p ? &gir : NULL, 1, IKE_CHILD_BOTH);
	ike_secret_free(&gir);
	if (r == -1) {
		ike_rekey_unusable(sa, "ESP SA install failed");
		return 0;
	}
	ike_nonce_min(&sa->next_child, sa->cni, sa->cnilen, sa->cnr,
	    sa->cnrlen);
	ike_rekey_drop_dh(sa);
	ike_rekey_settle(sa);
	return 0;
}

/* Responder ---------------------------------------------------------------- */

/* The CHILD SA a REKEY_SA notify names (by the peer's inbound SPI). */
static int
ike_rekey_target(struct ike_sa *sa, const struct ike_msg *req)
{
	const struct ike_pl *pl;
	struct ike_notify_pl n;

	if ((pl = ike_msg_find_notify(req, IKE_N_REKEY_SA)) == NULL ||
	    ike_pl_notify(pl, &n) == -1 || n.proto != IKE_PROTO_ESP ||
	    n.spi_size != 4)
		return IKE_N_INVALID_SYNTAX;
	if (sa->child.installed && ike_get32(n.spi) == sa->child.spi_out)
		return 0;
	/* One we are deleting (2.25.1): try again on the new one. */
	if (sa->old_child.installed && sa->old_child.doomed &&
	    ike_get32(n.spi) == sa->old_child.spi_out)
		return IKE_N_TEMPORARY_FAILURE;
	return IKE_N_CHILD_SA_NOT_FOUND;
}

/* The nonces of one responder exchange (never our own rekey's). */
struct ike_rk_nonces {
	uint8_t		 ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t		 nilen, nrlen;
	uint16_t	 want;		/* the DH group INVALID_KE asks for */
};

/* Nonce, KE and selectors of the answer; g^ir for PFS. */
static int
ike_rekey_answer(struct ike_child *c, const struct ike_msg *req,
    struct ike_wbuf *resp, struct ike_rk_nonces *n, struct ike_secret *gir)
{
	uint8_t pub[IKE_DH_PUB_MAX];
	const struct ike_pl *pl;
	const uint8_t *ni;
	struct ike_dh *dh;
	long publen;
	int r = 0;

	if ((pl = ike_msg_find(req, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &ni, &n->nilen) == -1)
		return IKE_N_INVALID_SYNTAX;
	memcpy(n->ni, ni, n->nilen);
	n->nrlen = IKE_NONCE_LEN;
	ike_random(n->nr, n->nrlen);
	ike_put_nonce(resp, n->nr, n->nrlen);
	if (c->suite.dh != NULL) {
		uint16_t g = c->suite.dh->id;

		if ((dh = ike_dh_new(g)) == NULL ||
		    (publen = ike_dh_public(dh, pub, sizeof(pub))) < 0 ||
		    ike_rekey_gir(dh, req, g, gir) == -1) {
			r = IKE_N_INVALID_KE_PAYLOAD;
			n->want = g; /* told in the notify (1.3) */
		}
		else
			ike_put_ke(resp, g, pub, (size_t)publen);
		ike_dh_free(dh);
		if (r != 0)
			return r;
	}
	ike_child_put_ts_of(resp, c);
	return 0;
}

uint16_t
ike_req_ke_group(const struct ike_msg *req)
{
	const struct ike_pl *pl;
	struct ike_ke_pl ke;

	if ((pl = ike_msg_find(req, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, &ke) == -1)
		return 0;
	return ke.group;
}

static int
ike_rekey_child_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	struct ike_secret gir = { 0 };
	struct ike_rk_nonces n;
	/* Our own rekey of this pair is in flight: settled later. */
	int cross = sa->active == IKE_TASK_REKEY_CHILD;
	struct ike_child *c = cross ? &sa->coll_child : &sa->next_child;
	int err;

	if ((err = ike_rekey_target(sa, req)) != 0)
		return err;
	ike_child_remove(sa, c);
	n.want = 0;
	if ((err = ike_child_respond(sa, req, resp, c, 0,
		 ike_req_ke_group(req))) != 0 ||
	    (err = ike_rekey_answer(c, req, resp, &n, &gir)) != 0 ||
	    (err = ike_child_install(sa, c, n.ni, n.nilen, n.nr, n.nrlen,
		 gir.p ? &gir : NULL, 0, IKE_CHILD_IN_FIRST) == -1 ?
		IKE_N_TEMPORARY_FAILURE : 0) != 0) {
		ike_secret_free(&gir);
		ike_child_remove(sa, c);
		sa->ke_want = n.want;
		return err;
	}
	ike_secret_free(&gir);
	ike_nonce_min(c, n.ni, n.nilen, n.nr, n.nrlen);
	if (!cross)
		ike_rekey_switch(sa, c, 0); /* the peer deletes the old */
	return 0;
}

/* An SA payload for the IKE protocol: the peer rekeys the IKE SA. */
static int
ike_ccs_is_ike(const struct ike_msg *req)
{
	const struct ike_pl *pl = ike_msg_find(req, IKE_PL_SA, NULL);
	struct ike_sa_pl sapl;

	return pl != NULL && ike_pl_sa(pl, &sapl) == 0 && sapl.nprop > 0 &&
	    sapl.prop[0].proto == IKE_PROTO_IKE;
}

static int
ike_ccs_dispatch(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	if (sa->state != IKE_ST_ESTABLISHED)
		return IKE_N_TEMPORARY_FAILURE; /* rekeyed or closing */
	if (ike_ccs_is_ike(req))
		return ike_rekey_ike_respond(sa, req, resp);
	if (ike_msg_find_notify(req, IKE_N_REKEY_SA) == NULL)
		return IKE_N_NO_ADDITIONAL_SAS;
	/* 2.25: no CHILD SA changes while the IKE SA is being rekeyed. */
	if (sa->active == IKE_TASK_REKEY_IKE || sa->rk_peer != NULL)
		return IKE_N_TEMPORARY_FAILURE;
	return ike_rekey_child_respond(sa, req, resp);
}

int
ike_ccs_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	uint8_t g[2];
	int err;

	sa->ke_want = 0;
	if ((err = ike_ccs_dispatch(sa, req, resp)) != 0) {
		log_info("ike: %s: CREATE_CHILD_SA refused (notify %d)",
		    sa->t->cfg.name, err);
		/* An error answer carries the notify alone. */
		ike_wbuf_chain(resp, resp->buf, resp->cap);
		ike_set16(g, sa->ke_want);
		ike_put_notify(resp, 0, NULL, 0, (uint16_t)err, g,
		    err == IKE_N_INVALID_KE_PAYLOAD && sa->ke_want ? 2 : 0);
	}
	return 0;
}
