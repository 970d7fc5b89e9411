/*
 * lsreq.c: Link State Requests (RFC 2328 10.7, 10.9).  We ask for the
 * head of the request list, as much as one packet holds, and ask again
 * every RxmtInterval; the next batch goes out as soon as the neighbour
 * has answered every entry of the last one.  Its requests are answered
 * from the database in as many updates as needed; one it cannot be
 * answered (an LSA we do not have) is BadLSReq.
 */
#include <stdlib.h>

#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

static int
lsr_pending(const struct ospf_nbr *n)
{
	size_t i;

	for (i = 0; i < n->nreq; i++)
		if (n->req[i].asked)
			return 1;
	return 0;
}

void
ospf_lsr_send(struct ospf_nbr *n)
{
	struct ospf_w w;
	size_t i, room;

	if ((n->state != NBR_EXCHANGE && n->state != NBR_LOADING) ||
	    n->nreq == 0) {
		ev_timer_del(&n->req_rxmt);
		return;
	}
	/* A retransmission (the timer) asks for the whole batch again. */
	if (!ev_timer_pending(&n->req_rxmt))
		for (i = 0; i < n->nreq; i++)
			n->req[i].asked = 0;
	else if (lsr_pending(n))
		return; /* wait for the answer to the last batch */
	room = (ospf_if_pkt_max(n->oif) - OSPF_HDR_LEN) / OSPF_LSR_ENTRY_LEN;
	ospf_pkt_begin(&w, n->oif, OSPF_LSR);
	for (i = 0; i < n->nreq && i < room; i++) {
		struct ospf_lsa_key k = {
		    n->req[i].h.type, n->req[i].h.id, n->req[i].h.adv};

		ospf_lsr_add(&w, &k);
		n->req[i].asked = 1;
	}
	ospf_send(n->oif, &w);
	ev_timer_add(&n->req_rxmt, OSPF_RXMT_MS);
}

void
ospf_lsr_check_done(struct ospf_nbr *n)
{
	if (n->nreq > 0) {
		if (!lsr_pending(n)) {
			ev_timer_del(&n->req_rxmt);
			ospf_lsr_send(n);
		}
		return;
	}
	ev_timer_del(&n->req_rxmt);
	if (n->state == NBR_LOADING)
		ospf_nbr_event(n, NBR_EV_LOAD_DONE);
}

void
ospf_lsr_recv(struct ospf_nbr *n, const struct ospf_pkt *pk)
{
	struct ospf_lsa **v;
	size_t i, nv = 0;

	if (n->state < NBR_EXCHANGE) {
		n->oif->drop[OSPF_DROP_NBR]++;
		return;
	}
	v = calloc(pk->u.lsr.n ? pk->u.lsr.n : 1, sizeof(*v));
	if (!v)
		return; /* the neighbour asks again */
	for (i = 0; i < pk->u.lsr.n; i++) {
		struct ospf_lsa_key k;

		ospf_lsr_get(&pk->u.lsr, i, &k);
		v[nv] = ospf_lsdb_find(&ospf_sp.db, &k);
		if (!v[nv]) {
			log_debug("ospf: %s: neighbour %08x asks for an LSA we "
			          "do not have",
			    n->oif->name, n->rid);
			free(v);
			ospf_nbr_event(n, NBR_EV_BAD_LSREQ);
			return;
		}
		nv++;
	}
	ospf_lsu_send(n->oif, v, nv);
	free(v);
}
