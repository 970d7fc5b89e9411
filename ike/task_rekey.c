/*
 * task_rekey.c: CREATE_CHILD_SA rekeying the tunnel's CHILD SA (RFC 7296
 * 1.3.3, 2.8), make-before-break: the new pair is in the kernel before
 * the old one goes (the kernel sends on the newest SA of the reqid), and
 * the old inbound SA stays until the DELETE exchange that follows.
 *
 * Collisions (2.8.1) are settled the simple way: while our own rekey is
 * in flight we answer the peer's with TEMPORARY_FAILURE, and an end that
 * gets TEMPORARY_FAILURE tries again after a random few seconds.  New
 * CHILD SAs beyond the one per tunnel, and rekeying the IKE SA in place,
 * are refused (NO_ADDITIONAL_SAS); the IKE SA is renewed by a fresh
 * IKE_SA_INIT instead (tunnel.c).
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

static int
ike_rekey_pfs(const struct ike_sa *sa)
{
	return sa->t->cfg.child_pfs != 0;
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
	if (ike_child_spi(sa, &sa->next_child) == -1)
		return 2; /* try again at the next timer */
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
ike_rekey_gir(struct ike_sa *sa, const struct ike_msg *m, uint16_t group,
    struct ike_secret *gir)
{
	const struct ike_pl *pl;
	struct ike_ke_pl ke;

	if (sa->child_dh == NULL)
		return 0;
	if ((pl = ike_msg_find(m, IKE_PL_KE, NULL)) == NULL ||
	    ike_pl_ke(pl, &ke) == -1 || ke.group != group ||
	    ike_dh_derive(sa->child_dh, ke.data, ke.len, gir) == -1)
		return -1;
	return 0;
}

/* The new pair is in: it becomes the CHILD SA, the old one waits for
 * its DELETE. */
static void
ike_rekey_switch(struct ike_sa *sa)
{
	ike_child_remove(sa, &sa->old_child);
	sa->old_child = sa->child;
	sa->child = sa->next_child;
	memset(&sa->next_child, 0, sizeof(sa->next_child));
	ike_dh_free(sa->child_dh);
	sa->child_dh = NULL;
	ike_sa_child_timer(sa);
	log_info("ike: %s: CHILD SA rekeyed: in 0x%08x out 0x%08x",
	    sa->t->cfg.name, sa->child.spi_in, sa->child.spi_out);
}

static void
ike_rekey_later(struct ike_sa *sa, const char *why)
{
	uint32_t r;

	log_info("ike: %s: CHILD SA rekey deferred: %s", sa->t->cfg.name, why);
	ike_child_remove(sa, &sa->next_child);
	ike_dh_free(sa->child_dh);
	sa->child_dh = NULL;
	ike_random(&r, sizeof(r));
	ev_timer_add(&sa->rekey, 2000 + r % 8000);
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
		ike_rekey_later(sa, err == IKE_N_TEMPORARY_FAILURE ?
			"collision (TEMPORARY_FAILURE)" : "refused by the "
							  "peer");
		return 0;
	}
	if ((pl = ike_msg_find(m, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &nr, &sa->cnrlen) == -1 ||
	    ike_child_answer(sa, m, &sa->next_child, ike_rekey_pfs(sa)) ==
		-1 ||
	    ike_rekey_gir(sa, m, sa->t->cfg.child_pfs, &gir) == -1) {
		ike_rekey_later(sa, "malformed answer");
		return 0;
	}
	memcpy(sa->cnr, nr, sa->cnrlen);
	r = ike_child_install(sa, &sa->next_child, sa->cni, sa->cnilen,
	    sa->cnr, sa->cnrlen, gir.p ? &gir : NULL, 1);
	ike_secret_free(&gir);
	if (r == -1) {
		ike_rekey_later(sa, "ESP SA install failed");
		return 0;
	}
	ike_rekey_switch(sa);
	ike_sa_queue(sa, IKE_TASK_DELETE_CHILD);
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
		return -1;
	return sa->child.installed && ike_get32(n.spi) == sa->child.spi_out ?
	    0 : -1;
}

/* Nonce, KE and selectors of the answer; g^ir for PFS. */
static int
ike_rekey_answer(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp, struct ike_secret *gir)
{
	uint8_t pub[IKE_DH_PUB_MAX];
	const struct ike_pl *pl;
	const uint8_t *ni;
	long publen;

	if ((pl = ike_msg_find(req, IKE_PL_NONCE, NULL)) == NULL ||
	    ike_pl_nonce(pl, &ni, &sa->cnilen) == -1)
		return IKE_N_INVALID_SYNTAX;
	memcpy(sa->cni, ni, sa->cnilen);
	sa->cnrlen = IKE_NONCE_LEN;
	ike_random(sa->cnr, sa->cnrlen);
	ike_put_nonce(resp, sa->cnr, sa->cnrlen);
	if (sa->next_child.suite.dh != NULL) {
		uint16_t g = sa->next_child.suite.dh->id;

		if ((sa->child_dh = ike_dh_new(g)) == NULL ||
		    (publen = ike_dh_public(sa->child_dh, pub, sizeof(pub))) <
			0 ||
		    ike_rekey_gir(sa, req, g, gir) == -1)
			return IKE_N_INVALID_KE_PAYLOAD;
		ike_put_ke(resp, g, pub, (size_t)publen);
	}
	ike_child_put_ts_of(resp, &sa->next_child);
	return 0;
}

static uint16_t
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
	int err;

	if (ike_rekey_target(sa, req) == -1)
		return IKE_N_CHILD_SA_NOT_FOUND;
	if (sa->active == IKE_TASK_REKEY_CHILD)
		return IKE_N_TEMPORARY_FAILURE;
	ike_child_remove(sa, &sa->next_child);
	if ((err = ike_child_respond(sa, req, resp, &sa->next_child, 0,
		 ike_req_ke_group(req))) != 0 ||
	    (err = ike_rekey_answer(sa, req, resp, &gir)) != 0 ||
	    (err = ike_child_install(sa, &sa->next_child, sa->cni,
		 sa->cnilen, sa->cnr, sa->cnrlen, gir.p ? &gir : NULL, 0) ==
		    -1 ?
		IKE_N_TEMPORARY_FAILURE :
		0) != 0) {
		ike_secret_free(&gir);
		ike_child_remove(sa, &sa->next_child);
		ike_dh_free(sa->child_dh);
		sa->child_dh = NULL;
		return err;
	}
	ike_secret_free(&gir);
	ike_rekey_switch(sa);
	return 0;
}

int
ike_ccs_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	int err;

	if (ike_msg_find_notify(req, IKE_N_REKEY_SA) == NULL)
		err = IKE_N_NO_ADDITIONAL_SAS;
	else
		err = ike_rekey_child_respond(sa, req, resp);
	if (err != 0) {
		log_info("ike: %s: CREATE_CHILD_SA refused (notify %d)",
		    sa->t->cfg.name, err);
		/* An error answer carries the notify alone. */
		ike_wbuf_chain(resp, resp->buf, resp->cap);
		ike_put_notify(resp, 0, NULL, 0, (uint16_t)err, NULL, 0);
	}
	return 0;
}
