/*
 * hello.c: Hellos (RFC 2328 9.5, 10.5) on point-to-point links, where
 * the neighbour is known by its router-id and the network mask is not
 * compared.  Both intervals must match ours, as must the E option (area
 * 0 carries AS-external LSAs).  A Hello that does not list us (the
 * neighbour is new, or restarted: a renumbered tunnel's peer) gets one of
 * ours at once, so that the adjacency forms again without waiting for
 * our next Hello, up to 10 s away.
 */
#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

void
ospf_hello_send(struct ospf_if *oif)
{
	struct ospf_w w;
	struct ospf_hello h = {
	    .mask = oif->unnumbered ? 0 : oif->mask, /* 9.5 */
	    .hello_ival = ospf_if_hello_field(oif),
	    .options = OSPF_OPT_E,
	    .prio = 1,
	    .dead_ival = ospf_if_dead_s(oif),
	};

	ospf_pkt_begin(&w, oif, OSPF_HELLO);
	ospf_hello_put(&w, &h);
	if (oif->nbr && oif->nbr->state >= NBR_INIT)
		ospf_w_u32(&w, oif->nbr->rid);
	ospf_send(oif, &w);
}

static int
hello_lists_us(const struct ospf_hello *h)
{
	size_t i;

	for (i = 0; i < h->nnbr; i++)
		if (ospf_hello_nbr(h, i) == ospf_sp.rid)
			return 1;
	return 0;
}

/* Intervals and options as ours; one log line per interface while not. */
static int
hello_agrees(struct ospf_if *oif, uint32_t rid, const struct ospf_hello *h)
{
	if (h->hello_ival == ospf_if_hello_field(oif) &&
	    h->dead_ival == ospf_if_dead_s(oif) &&
	    (h->options & OSPF_OPT_E) == OSPF_OPT_E) {
		oif->mismatch_said = 0;
		return 1;
	}
	oif->drop[OSPF_DROP_HELLO]++;
	if (!oif->mismatch_said)
		log_warnx("ospf: %s: Hellos of %u.%u.%u.%u do not agree with "
		          "ours (hello %u/%u, dead %u/%u, E option %s): no "
		          "adjacency",
		    oif->name, rid >> 24, rid >> 16 & 0xff, rid >> 8 & 0xff,
		    rid & 0xff, h->hello_ival, ospf_if_hello_field(oif),
		    h->dead_ival, ospf_if_dead_s(oif),
		    h->options & OSPF_OPT_E ? "set" : "not set");
	oif->mismatch_said = 1;
	return 0;
}

void
ospf_hello_recv(struct ospf_if *oif, uint32_t src, const struct ospf_pkt *pk)
{
	const struct ospf_hello *h = &pk->u.hello;
	struct ospf_nbr *n = oif->nbr;

	if (oif->state != OIF_P2P || !hello_agrees(oif, pk->h.rid, h))
		return;
	/*
	 * Another router on a point-to-point link.  While ours is alive and
	 * two-way it is a stray (or a forgery) and counted; a neighbour
	 * still in Init, or whose router-id changed, gives way to it.
	 */
	if (n && n->rid != pk->h.rid && n->state >= NBR_2WAY &&
	    ev_timer_pending(&n->inact)) {
		oif->drop[OSPF_DROP_NBR]++;
		return;
	}
	if (n && n->rid != pk->h.rid) {
		ospf_nbr_event(n, NBR_EV_KILL);
		ospf_nbr_free(n);
		oif->nbr = n = NULL;
	}
	if (!n && !(oif->nbr = n = ospf_nbr_new(oif, pk->h.rid)))
		return;
	n->addr = src;
	n->options = h->options;
	n->prio = h->prio;
	ospf_nbr_event(n, NBR_EV_HELLO);
	if (!hello_lists_us(h)) {
		/* Rate-limited: it lists us once it hears this one. */
		if (oif->hello_answered == 0 ||
		    ev_now() - oif->hello_answered >= OSPF_HELLO_ANSWER_MS) {
			oif->hello_answered = ev_now();
			ospf_hello_send(oif);
		}
		ospf_nbr_event(n, NBR_EV_1WAY);
	} else
		ospf_nbr_event(n, NBR_EV_2WAY);
}
