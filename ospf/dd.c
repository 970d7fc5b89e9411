/*
 * dd.c: the database exchange (RFC 2328 10.6 and 10.8).  In ExStart both
 * routers claim to be master with an empty DD (I, M and MS set); the
 * higher router-id wins.  In Exchange the master sends DDs of LSA
 * headers with rising sequence numbers, retransmitted until the slave
 * echoes each one; the slave answers each with its own headers.  Headers
 * of LSAs we lack or hold older go on the request list (lsreq.c).
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

#define DD_FLAGS (OSPF_DD_I | OSPF_DD_M | OSPF_DD_MS)

/* Sends the DD in the speaker's buffer and keeps a copy to send again. */
static void
dd_send(struct ospf_nbr *n, struct ospf_w *w)
{
	uint8_t *copy;

	/* Kept even when the send failed: the retransmission sends it. */
	ospf_send(n->oif, w);
	if (w->full)
		return;
	copy = malloc(w->len);
	if (!copy)
		return; /* nothing to send again: the exchange times out */
	memcpy(copy, w->p, w->len);
	free(n->last_tx);
	n->last_tx = copy;
	n->last_tx_len = w->len;
}

static void
dd_resend(struct ospf_nbr *n)
{
	struct ospf_w w;

	if (!n->last_tx)
		return;
	ospf_w_init(&w, ospf_sp.pkt, sizeof(ospf_sp.pkt));
	ospf_w_mem(&w, n->last_tx, n->last_tx_len);
	ospf_send(n->oif, &w);
}

static void
dd_header(struct ospf_w *w, const struct ospf_nbr *n, uint8_t flags)
{
	struct ospf_dd d = {
	    .mtu = (uint16_t)(n->oif->mtu > 0xffff ? 0xffff : n->oif->mtu),
	    .options = OSPF_OPT_E,
	    .flags = flags,
	    .seq = n->dd_seq,
	};

	ospf_pkt_begin(w, n->oif, OSPF_DD);
	ospf_dd_put(w, &d);
}

void
ospf_dd_start(struct ospf_nbr *n)
{
	struct ospf_w w;

	/* A fresh number each time (10.8): the clock, then one more. */
	n->dd_seq = n->dd_seq ? n->dd_seq + 1 : (uint32_t)ev_clock() | 1;
	n->master = 1;
	n->sent_more = 1;
	dd_header(&w, n, DD_FLAGS);
	dd_send(n, &w);
	ev_timer_add(&n->dd_rxmt, OSPF_RXMT_MS);
}

void
ospf_dd_rxmt(void *arg)
{
	struct ospf_nbr *n = arg;

	if (n->state == NBR_EXSTART ||
	    (n->state == NBR_EXCHANGE && n->master)) {
		dd_resend(n);
		ev_timer_add(&n->dd_rxmt, OSPF_RXMT_MS);
	}
}

/* The next DD of the exchange, with as many headers as fit. */
static void
dd_send_next(struct ospf_nbr *n)
{
	struct ospf_w w;
	size_t room = (ospf_if_pkt_max(n->oif) - OSPF_HDR_LEN - OSPF_DD_LEN) /
	              OSPF_LSA_HDR_LEN;
	uint64_t now = ev_now();
	uint8_t *flags;

	dd_header(&w, n, n->master ? OSPF_DD_MS : 0);
	flags = w.full ? NULL : w.p + OSPF_HDR_LEN + 3;
	while (room-- > 0 && n->summary_at < n->nsummary) {
		struct ospf_lsa *l = n->summary[n->summary_at++];

		ospf_lsa_hdr_add(&w, l->data, ospf_lsa_age(l, now));
		ospf_lsa_unref(l);
	}
	n->sent_more = n->summary_at < n->nsummary;
	if (flags && n->sent_more)
		*flags |= OSPF_DD_M;
	dd_send(n, &w);
	if (n->master)
		ev_timer_add(&n->dd_rxmt, OSPF_RXMT_MS);
}

/*
 * NegotiationDone: the summary list is the database as it is now; LSAs
 * at MaxAge go on the retransmission list instead (10.3).  A slave
 * answers the master's first DD with its first headers at once.
 */
void
ospf_dd_summary(struct ospf_nbr *n)
{
	const struct ospf_lsdb *db = &ospf_sp.db;
	uint64_t now = ev_now();
	size_t i;

	n->summary = db->n ? calloc(db->n, sizeof(*n->summary)) : NULL;
	n->nsummary = n->summary_at = 0;
	for (i = 0; n->summary && i < db->n; i++) {
		struct ospf_lsa *l = db->v[i];

		if (ospf_lsa_age(l, now) >= OSPF_MAX_AGE) {
			ospf_nbr_rxmt_add(n, l);
			continue;
		}
		ospf_lsa_ref(l);
		n->summary[n->nsummary++] = l;
	}
	if (!n->master)
		dd_send_next(n);
}

static int
dd_is_dup(const struct ospf_nbr *n, const struct ospf_dd *d)
{
	return n->last_rx.valid && n->last_rx.seq == d->seq &&
	       n->last_rx.flags == (d->flags & DD_FLAGS) &&
	       n->last_rx.options == d->options;
}

static void
dd_remember(struct ospf_nbr *n, const struct ospf_dd *d)
{
	n->last_rx.flags = d->flags & DD_FLAGS;
	n->last_rx.options = d->options;
	n->last_rx.seq = d->seq;
	n->last_rx.valid = 1;
}

/* The headers of an accepted DD onto the request list; -1: mismatch. */
static int
dd_headers(struct ospf_nbr *n, const struct ospf_dd *d)
{
	uint64_t now = ev_now();
	size_t i;

	for (i = 0; i < d->nhdrs; i++) {
		struct ospf_lsa_hdr h, cur;
		struct ospf_lsa_key k;
		struct ospf_lsa *l;

		ospf_lsa_hdr_get(d->hdrs + i * OSPF_LSA_HDR_LEN, &h);
		if (h.type < OSPF_LSA_ROUTER || h.type > OSPF_LSA_EXTERNAL)
			return -1;
		k = (struct ospf_lsa_key){h.type, h.id, h.adv};
		l = ospf_lsdb_find(&ospf_sp.db, &k);
		if (l) {
			cur = l->hdr;
			cur.age = ospf_lsa_age(l, now);
		}
		if ((!l || ospf_lsa_newer(&h, &cur) > 0) &&
		    ospf_nbr_req_add(n, &h) < 0)
			return -1;
	}
	return 0;
}

/* An accepted DD of the exchange: its headers, then our next move. */
static void
dd_take(struct ospf_nbr *n, const struct ospf_dd *d)
{
	int peer_more = (d->flags & OSPF_DD_M) != 0;

	dd_remember(n, d);
	if (dd_headers(n, d) < 0) {
		ospf_nbr_event(n, NBR_EV_SEQ_MISMATCH);
		return;
	}
	if (n->master) {
		ev_timer_del(&n->dd_rxmt);
		n->dd_seq++;
		if (!n->sent_more && !peer_more)
			ospf_nbr_event(n, NBR_EV_EXCH_DONE);
		else
			dd_send_next(n);
	} else {
		n->dd_seq = d->seq;
		dd_send_next(n);
		if (!n->sent_more && !peer_more) {
			ev_timer_add(
			    &n->hold, (uint64_t)ospf_if_dead_s(n->oif) * 1000);
			ospf_nbr_event(n, NBR_EV_EXCH_DONE);
		}
	}
	if (n->state == NBR_EXCHANGE || n->state == NBR_LOADING)
		ospf_lsr_send(n);
}

/* ExStart: who is master (10.6). */
static void
dd_exstart(struct ospf_nbr *n, const struct ospf_dd *d)
{
	if ((d->flags & DD_FLAGS) == DD_FLAGS && d->nhdrs == 0 &&
	    n->rid > ospf_sp.rid) {
		ev_timer_del(&n->dd_rxmt);
		n->master = 0;
		n->dd_seq = d->seq;
		dd_remember(n, d);
		ospf_nbr_event(n, NBR_EV_NEG_DONE);
		return;
	}
	if (!(d->flags & (OSPF_DD_I | OSPF_DD_MS)) && d->seq == n->dd_seq &&
	    n->rid < ospf_sp.rid) {
		ospf_nbr_event(n, NBR_EV_NEG_DONE);
		dd_take(n, d);
		return;
	}
	/* Not yet for us: our own ExStart DD answers for itself. */
}

static void
dd_exchange(struct ospf_nbr *n, const struct ospf_dd *d)
{
	uint32_t want = n->master ? n->dd_seq : n->dd_seq + 1;

	if (dd_is_dup(n, d)) {
		if (!n->master)
			dd_resend(n);
		return;
	}
	if (((d->flags & OSPF_DD_MS) != 0) == n->master ||
	    (d->flags & OSPF_DD_I) || d->options != n->last_rx.options ||
	    d->seq != want) {
		n->oif->drop[OSPF_DROP_DD]++;
		ospf_nbr_event(n, NBR_EV_SEQ_MISMATCH);
		return;
	}
	dd_take(n, d);
}

void
ospf_dd_recv(struct ospf_nbr *n, const struct ospf_pkt *pk)
{
	const struct ospf_dd *d = &pk->u.dd;

	if (d->mtu > n->oif->mtu && !n->oif->cf->mtu_ignore) {
		n->oif->drop[OSPF_DROP_MTU]++;
		log_debug("ospf: %s: DD from %08x with MTU %u above ours (%u)",
		    n->oif->name, n->rid, d->mtu, n->oif->mtu);
		return;
	}
	switch (n->state) {
	case NBR_INIT:
		ospf_nbr_event(n, NBR_EV_2WAY);
		if (n->state != NBR_EXSTART)
			return;
		/* FALLTHROUGH */
	case NBR_EXSTART:
		dd_exstart(n, d);
		return;
	case NBR_EXCHANGE:
		dd_exchange(n, d);
		return;
	case NBR_LOADING:
	case NBR_FULL:
		if (dd_is_dup(n, d)) {
			if (!n->master)
				dd_resend(n);
			return;
		}
		n->oif->drop[OSPF_DROP_DD]++;
		ospf_nbr_event(n, NBR_EV_SEQ_MISMATCH);
		return;
	default:
		n->oif->drop[OSPF_DROP_NBR]++;
	}
}
