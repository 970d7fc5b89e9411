/*
 * flood.c: Link State Updates and Acknowledgements (RFC 2328 13): each
 * LSA of an update is checked, compared with the database copy and
 * installed, flooded to the other neighbours and acknowledged, or
 * answered with our newer copy; retransmission lists are sent again
 * every RxmtInterval until acknowledged.  On a point-to-point link every
 * packet goes to AllSPFRouters, as FRR and BIRD send them there too.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

static uint16_t
age_on_wire(const struct ospf_lsa *l, uint64_t now)
{
	unsigned age = ospf_lsa_age(l, now) + OSPF_TRANS_DELAY;

	return age > OSPF_MAX_AGE ? OSPF_MAX_AGE : (uint16_t)age;
}

void
ospf_lsu_send(struct ospf_if *oif, struct ospf_lsa *const *v, size_t n)
{
	size_t max = ospf_if_pkt_max(oif), i = 0;
	uint64_t now = ev_now();

	while (i < n) {
		struct ospf_w w;
		size_t put = 0;

		ospf_pkt_begin(&w, oif, OSPF_LSU);
		ospf_lsu_start(&w);
		/* As many as fit; a lone LSA larger than the MTU goes alone. */
		while (i < n && (put == 0 || w.len + v[i]->len <= max)) {
			ospf_lsu_add(
			    &w, v[i]->data, v[i]->len, age_on_wire(v[i], now));
			i++, put++;
		}
		ospf_send(oif, &w);
	}
}

void
ospf_lsu_rxmt(void *arg)
{
	struct ospf_nbr *n = arg;

	if (n->nrxmt == 0 || n->state < NBR_EXCHANGE)
		return;
	ospf_lsu_send(n->oif, n->rxmt, n->nrxmt);
	ev_timer_add(&n->lsu_rxmt, OSPF_RXMT_MS);
}

static void
ack_add(struct ospf_if *oif, const uint8_t *lsa)
{
	uint8_t *v = realloc(oif->ack, (oif->nack + 1) * OSPF_LSA_HDR_LEN);

	if (!v)
		return; /* the neighbour sends it again */
	oif->ack = v;
	memcpy(v + oif->nack * OSPF_LSA_HDR_LEN, lsa, OSPF_LSA_HDR_LEN);
	oif->nack++;
}

void
ospf_ack_flush(struct ospf_if *oif)
{
	size_t room = (ospf_if_pkt_max(oif) - OSPF_HDR_LEN) / OSPF_LSA_HDR_LEN;
	size_t i = 0;

	while (i < oif->nack) {
		struct ospf_w w;
		size_t put;

		ospf_pkt_begin(&w, oif, OSPF_LSACK);
		for (put = 0; put < room && i < oif->nack; put++, i++) {
			const uint8_t *h = oif->ack + i * OSPF_LSA_HDR_LEN;

			ospf_lsa_hdr_add(&w, h, ospf_get16(h));
		}
		ospf_send(oif, &w);
	}
	free(oif->ack);
	oif->ack = NULL;
	oif->nack = 0;
}

/* The current header of a database copy, its age brought up to now. */
static struct ospf_lsa_hdr
hdr_now(const struct ospf_lsa *l, uint64_t now)
{
	struct ospf_lsa_hdr h = l->hdr;

	h.age = ospf_lsa_age(l, now);
	return h;
}

/*
 * 13.3 (1) for a neighbour still exchanging: the LSA may answer one of
 * its requests.  0 when it is not to be sent to it.
 */
static int
flood_req(struct ospf_nbr *n, const struct ospf_lsa *l, uint64_t now)
{
	struct ospf_lsa_hdr h = hdr_now(l, now);
	int i = ospf_nbr_req_find(n, &l->key), c;

	if (i < 0)
		return 1;
	c = ospf_lsa_newer(&h, &n->req[i].h);
	if (c < 0)
		return 0;
	ospf_nbr_req_del(n, (size_t)i);
	/*
	 * Not LoadingDone from here: Full re-originates our router-LSA,
	 * which may be the very LSA being flooded.  The request timer,
	 * at once, sees whether the list is done.
	 */
	ev_timer_del(&n->req_rxmt);
	ev_timer_add(&n->req_rxmt, 0);
	return c > 0;
}

void
ospf_flood(struct ospf_lsa *l, const struct ospf_nbr *from)
{
	uint64_t now = ev_now();
	struct ospf_if *oif;

	ospf_lsa_ref(l); /* whatever the loop sets off, l stays */
	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		struct ospf_nbr *n = oif->nbr;

		if (oif->state != OIF_P2P || !n || n->state < NBR_EXCHANGE)
			continue;
		if (n->state < NBR_FULL && !flood_req(n, l, now))
			continue;
		if (n == from)
			continue;
		if (ospf_nbr_rxmt_add(n, l) < 0)
			continue;
		ospf_lsu_send(oif, &l, 1);
	}
	ospf_lsa_unref(l);
}

/* Our copy is dropped from every retransmission list (13.2 (5c)). */
static void
rxmt_forget(const struct ospf_lsa_key *k)
{
	struct ospf_if *oif;

	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		int i;

		if (oif->nbr && (i = ospf_nbr_rxmt_find(oif->nbr, k)) >= 0)
			ospf_nbr_rxmt_del(oif->nbr, (size_t)i);
	}
}

/* 13 (5): a newer instance than ours, or one we do not have. */
static void
lsu_newer(struct ospf_nbr *n, const uint8_t *lsa, size_t len,
    const struct ospf_lsa_key *k, struct ospf_lsa *cur, uint64_t now)
{
	struct ospf_lsa *l;
	int changed, i, asked = ospf_nbr_req_find(n, k) >= 0;

	/*
	 * (5a): too soon after the last one: dropped, no ack.  Not an answer
	 * to our request, though: the request would wait for its own
	 * retransmission, and the adjacency in Loading with it.  Nor when
	 * the last one was such an answer: that was our pace, not the
	 * originator's, which re-originates as the adjacency comes up
	 * (a dropped instance comes back only RxmtInterval, 5 s, later).
	 */
	if (cur && now - cur->installed < OSPF_MIN_ARRIVAL_MS && !cur->asked &&
	    !asked) {
		log_debug("ospf: %s: %s LSA %08x of %08x too soon after the "
		          "last: dropped",
		    n->oif->name, ospf_lsa_type_name(cur->key.type),
		    cur->key.id, cur->key.adv);
		return;
	}
	if (cur)
		rxmt_forget(&cur->key);
	l = ospf_lsdb_install(&ospf_sp.db, lsa, len, now, &changed);
	if (!l)
		return;
	l->asked = asked; /* the flooding below may take it off the list */
	log_debug("ospf: %s: %s LSA %08x of %08x seq %08x installed%s",
	    n->oif->name, ospf_lsa_type_name(l->key.type), l->key.id,
	    l->key.adv, l->hdr.seq, changed ? "" : " (same contents)");
	ospf_lsa_ref(l); /* held until we are done with it */
	ospf_flood(l, n);
	ack_add(n->oif, lsa);
	i = ospf_nbr_req_find(n, &l->key);
	if (i >= 0) {
		struct ospf_lsa_hdr h = hdr_now(l, now);

		if (ospf_lsa_newer(&h, &n->req[i].h) >= 0)
			ospf_nbr_req_del(n, (size_t)i);
	}
	if (changed)
		ospf_lsdb_changed();
	if (l->self && l->in_db)
		ospf_orig_self(l);
	ospf_lsa_unref(l);
}

/* 13 (7) and (8): the same instance, or ours is newer. */
static void
lsu_not_newer(struct ospf_nbr *n, const uint8_t *lsa, struct ospf_lsa *cur,
    int cmp, uint64_t now)
{
	int i;

	if (cmp == 0) {
		i = ospf_nbr_rxmt_find(n, &cur->key);
		if (i >= 0 && n->rxmt[i] == cur)
			ospf_nbr_rxmt_del(n, (size_t)i); /* implied ack */
		else
			ack_add(n->oif, lsa);
		return;
	}
	if (ospf_lsa_age(cur, now) >= OSPF_MAX_AGE &&
	    cur->hdr.seq == OSPF_SEQ_MAX)
		return;
	if (cur->sent_back && now - cur->sent_back < OSPF_MIN_ARRIVAL_MS)
		return;
	cur->sent_back = now;
	ospf_lsu_send(n->oif, &cur, 1);
}

/* One LSA of an update; -1 stops the packet (BadLSReq). */
static int
lsu_one(struct ospf_nbr *n, const uint8_t *lsa, size_t len, uint64_t now)
{
	enum ospf_lsa_err e = ospf_lsa_check(lsa, len);
	struct ospf_lsa_hdr h, cur_h;
	struct ospf_lsa_key k;
	struct ospf_lsa *cur;
	int cmp;

	if (e != OSPF_LSA_OK) {
		n->oif->lsa_err[e]++;
		n->oif->drop[OSPF_DROP_LSA]++;
		return 0;
	}
	ospf_lsa_hdr_get(lsa, &h);
	ospf_lsa_key_get(lsa, &k);
	len = h.len;
	cur = ospf_lsdb_find(&ospf_sp.db, &k);
	if (!cur && h.age >= OSPF_MAX_AGE && !ospf_nbr_any_exchanging()) {
		ack_add(n->oif, lsa); /* (4): nothing to flush here */
		return 0;
	}
	if (cur)
		cur_h = hdr_now(cur, now);
	cmp = cur ? ospf_lsa_newer(&h, &cur_h) : 1;
	if (cmp > 0) {
		lsu_newer(n, lsa, len, &k, cur, now);
		return 0;
	}
	if (ospf_nbr_req_find(n, &k) >= 0) {
		ospf_nbr_event(n, NBR_EV_BAD_LSREQ); /* (6) */
		return -1;
	}
	lsu_not_newer(n, lsa, cur, cmp, now);
	return 0;
}

void
ospf_lsu_recv(struct ospf_nbr *n, const struct ospf_pkt *pk)
{
	struct ospf_lsu_iter it;
	const uint8_t *lsa;
	uint64_t now = ev_now();
	size_t len;

	if (n->state < NBR_EXCHANGE) {
		n->oif->drop[OSPF_DROP_NBR]++;
		return;
	}
	ospf_lsu_iter(&pk->u.lsu, &it);
	while (ospf_lsu_next(&it, &lsa, &len))
		if (lsu_one(n, lsa, len, now) < 0)
			break;
	ospf_ack_flush(n->oif);
	if (n->state == NBR_EXCHANGE || n->state == NBR_LOADING)
		ospf_lsr_check_done(n);
}

void
ospf_lsack_recv(struct ospf_nbr *n, const struct ospf_pkt *pk)
{
	uint64_t now = ev_now();
	size_t i;

	if (n->state < NBR_EXCHANGE) {
		n->oif->drop[OSPF_DROP_NBR]++;
		return;
	}
	for (i = 0; i < pk->u.ack.nhdrs; i++) {
		struct ospf_lsa_hdr h, cur;
		struct ospf_lsa_key k;
		int j;

		ospf_lsa_hdr_get(pk->u.ack.hdrs + i * OSPF_LSA_HDR_LEN, &h);
		k = (struct ospf_lsa_key){h.type, h.id, h.adv};
		j = ospf_nbr_rxmt_find(n, &k);
		if (j < 0)
			continue;
		cur = hdr_now(n->rxmt[j], now);
		if (ospf_lsa_newer(&h, &cur) == 0)
			ospf_nbr_rxmt_del(n, (size_t)j);
	}
}
