/*
 * nbr.c: a neighbour: its life, the actions of its state machine (the
 * table is nbr_fsm.c), and its three lists (10): the summary list of the
 * database exchange, the LSAs it still has to send us (request list),
 * and those we sent it and wait to see acknowledged (retransmission
 * list).  Lists hold LSA instances by reference, so an instance replaced
 * in the database lives on until every list let go of it.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

/* The neighbour is gone: the link may get another one. */
static void
nbr_inactive(void *arg)
{
	struct ospf_nbr *n = arg;

	ospf_nbr_event(n, NBR_EV_INACTIVITY);
	n->oif->nbr = NULL;
	ospf_nbr_free(n);
}

/* The slave keeps its last DD a dead interval after the exchange (10.8). */
static void
nbr_hold_done(void *arg)
{
	struct ospf_nbr *n = arg;

	free(n->last_tx);
	n->last_tx = NULL;
	n->last_tx_len = 0;
}

/* Ask again; or, the list answered in full, see whether Loading is done. */
static void
nbr_req_rxmt(void *arg)
{
	struct ospf_nbr *n = arg;

	if (n->nreq == 0)
		ospf_lsr_check_done(n);
	else
		ospf_lsr_send(n);
}

struct ospf_nbr *
ospf_nbr_new(struct ospf_if *oif, uint32_t rid)
{
	struct ospf_nbr *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->oif = oif;
	n->rid = rid;
	n->state = NBR_DOWN;
	n->since = ev_now();
	ev_timer_set(&n->inact, nbr_inactive, n);
	ev_timer_set(&n->dd_rxmt, ospf_dd_rxmt, n);
	ev_timer_set(&n->req_rxmt, nbr_req_rxmt, n);
	ev_timer_set(&n->lsu_rxmt, ospf_lsu_rxmt, n);
	ev_timer_set(&n->hold, nbr_hold_done, n);
	return n;
}

void
ospf_nbr_clear_lists(struct ospf_nbr *n)
{
	size_t i;

	for (i = n->summary_at; i < n->nsummary; i++)
		ospf_lsa_unref(n->summary[i]);
	free(n->summary);
	n->summary = NULL;
	n->nsummary = n->summary_at = 0;
	n->nreq = 0;
	for (i = 0; i < n->nrxmt; i++)
		ospf_lsa_unref(n->rxmt[i]);
	n->nrxmt = 0;
	ev_timer_del(&n->dd_rxmt);
	ev_timer_del(&n->req_rxmt);
	ev_timer_del(&n->lsu_rxmt);
}

static void
nbr_stop(struct ospf_nbr *n)
{
	ospf_nbr_clear_lists(n);
	ev_timer_del(&n->inact);
	ev_timer_del(&n->hold);
	nbr_hold_done(n);
	n->last_rx.valid = 0;
}

void
ospf_nbr_free(struct ospf_nbr *n)
{
	if (!n)
		return;
	nbr_stop(n);
	free(n->req);
	free(n->rxmt);
	free(n);
}

static void
nbr_act(struct ospf_nbr *n, int action, int *next)
{
	switch (action) {
	case NBR_ACT_START_INACT:
		ev_timer_add(
		    &n->inact, (uint64_t)ospf_if_dead_s(n->oif) * 1000);
		break;
	case NBR_ACT_ADJ_START:
	case NBR_ACT_RESTART:
		ospf_nbr_clear_lists(n);
		n->last_rx.valid = 0;
		ev_timer_del(&n->hold); /* a past exchange's: not this one's */
		ospf_dd_start(n);
		break;
	case NBR_ACT_EXCHANGE:
		ospf_dd_summary(n);
		break;
	case NBR_ACT_EXCH_DONE:
		*next = n->nreq ? NBR_LOADING : NBR_FULL;
		break;
	case NBR_ACT_CLEAR:
		ospf_nbr_clear_lists(n);
		ev_timer_del(&n->hold);
		break;
	case NBR_ACT_KILL:
		nbr_stop(n);
		break;
	}
}

/* The events by which a live neighbour leaves Full: it starts over. */
static int
nbr_starts_over(int event)
{
	return event == NBR_EV_1WAY || event == NBR_EV_SEQ_MISMATCH ||
	       event == NBR_EV_BAD_LSREQ;
}

/*
 * Runs one event.  The state is set before the action runs, so that what
 * the action sends already speaks for the new state; an action that
 * picks the next state itself (ExchangeDone) sets it after.
 */
void
ospf_nbr_event(struct ospf_nbr *n, int event)
{
	int action, next, from = n->state;

	if (ospf_nbr_fsm(n->state, event, &action, &next) < 0) {
		log_debug("ospf: %s: neighbour %08x: %s ignored in %s",
		    n->oif->name, n->rid, ospf_nbr_event_name(event),
		    ospf_nbr_state_name(n->state));
		return;
	}
	if (next != NBR_NEXT_BY_ACTION)
		n->state = next;
	nbr_act(n, action, &next);
	if (next != NBR_NEXT_BY_ACTION)
		n->state = next;
	if (n->state != from) {
		n->since = ev_now();
		n->events++;
		ospf_nbr_log(n, from, n->state, event);
	}
	/* Our router-LSA lists the links with a Full neighbour (12.4.1);
	 * one that starts over while alive may be back at once (orig.c). */
	if ((from == NBR_FULL) != (n->state == NBR_FULL)) {
		if (from == NBR_FULL && nbr_starts_over(event))
			ospf_orig_router_soon();
		else
			ospf_orig_router();
		ospf_route_schedule(); /* a way out opened or closed */
	}
	/* Loading with nothing left to ask: Full at once (10.4). */
	if (n->state == NBR_LOADING)
		ospf_lsr_check_done(n);
}

static int
key_eq(const struct ospf_lsa_key *k, uint8_t type, uint32_t id, uint32_t adv)
{
	return k->type == type && k->id == id && k->adv == adv;
}

int
ospf_nbr_req_find(const struct ospf_nbr *n, const struct ospf_lsa_key *k)
{
	size_t i;

	for (i = 0; i < n->nreq; i++)
		if (key_eq(
		        k, n->req[i].h.type, n->req[i].h.id, n->req[i].h.adv))
			return (int)i;
	return -1;
}

void
ospf_nbr_req_del(struct ospf_nbr *n, size_t i)
{
	memmove(
	    n->req + i, n->req + i + 1, (n->nreq - i - 1) * sizeof(*n->req));
	n->nreq--;
}

int
ospf_nbr_req_add(struct ospf_nbr *n, const struct ospf_lsa_hdr *h)
{
	struct ospf_lsa_key k = {h->type, h->id, h->adv};
	int i = ospf_nbr_req_find(n, &k);

	if (i >= 0) { /* the newer of two headers for one LSA is asked */
		if (ospf_lsa_newer(h, &n->req[i].h) > 0)
			n->req[i].h = *h;
		return 0;
	}
	if (n->nreq >= OSPF_MAX_REQ)
		return -1; /* the caller's SeqNumberMismatch starts over */
	if (n->nreq == n->capreq) {
		size_t cap = n->capreq ? 2 * n->capreq : 16;
		struct ospf_req *v = realloc(n->req, cap * sizeof(*v));

		if (!v)
			return -1;
		n->req = v;
		n->capreq = cap;
	}
	n->req[n->nreq].h = *h;
	n->req[n->nreq++].asked = 0;
	return 0;
}

int
ospf_nbr_rxmt_find(const struct ospf_nbr *n, const struct ospf_lsa_key *k)
{
	size_t i;

	for (i = 0; i < n->nrxmt; i++)
		if (ospf_lsa_key_cmp(&n->rxmt[i]->key, k) == 0)
			return (int)i;
	return -1;
}

void
ospf_nbr_rxmt_del(struct ospf_nbr *n, size_t i)
{
	ospf_lsa_unref(n->rxmt[i]);
	memmove(n->rxmt + i, n->rxmt + i + 1,
	    (n->nrxmt - i - 1) * sizeof(*n->rxmt));
	if (--n->nrxmt == 0)
		ev_timer_del(&n->lsu_rxmt);
}

/* One instance per LSA: a newer one takes the older's place. */
int
ospf_nbr_rxmt_add(struct ospf_nbr *n, struct ospf_lsa *l)
{
	int i = ospf_nbr_rxmt_find(n, &l->key);

	ospf_lsa_ref(l); /* first: the entry let go below may be l */
	if (i >= 0)
		ospf_nbr_rxmt_del(n, (size_t)i);
	if (n->nrxmt == n->caprxmt) {
		size_t cap = n->caprxmt ? 2 * n->caprxmt : 16;
		struct ospf_lsa **v = realloc(n->rxmt, cap * sizeof(*v));

		if (!v) {
			ospf_lsa_unref(l);
			return -1;
		}
		n->rxmt = v;
		n->caprxmt = cap;
	}
	n->rxmt[n->nrxmt++] = l;
	if (!ev_timer_pending(&n->lsu_rxmt))
		ev_timer_add(&n->lsu_rxmt, OSPF_RXMT_MS);
	return 0;
}

int
ospf_nbr_any_exchanging(void)
{
	struct ospf_if *oif;

	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if (oif->nbr && (oif->nbr->state == NBR_EXCHANGE ||
		                    oif->nbr->state == NBR_LOADING))
			return 1;
	return 0;
}
