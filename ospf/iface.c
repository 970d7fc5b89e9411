/*
 * iface.c: an OSPF interface (RFC 2328 9): up when its link is up and
 * has an IPv4 address or is unnumbered, down otherwise; point-to-point
 * interfaces send Hellos and have at most one neighbour, passive ones
 * are only announced.  Going down drops the neighbour at once (LLDown),
 * without waiting for the dead interval, and our router-LSA says so.
 */
#include <stdlib.h>

#include "daemon/log.h"
#include "ospf/auth.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

const char *
ospf_if_state_name(int state)
{
	switch (state) {
	case OIF_P2P:
		return "point-to-point";
	case OIF_PASSIVE:
		return "passive";
	}
	return "down";
}

/* "dead-interval minimal": 1 s dead, M Hellos a second, 0 on the wire. */
static int
if_fast(const struct ospf_if *oif)
{
	return oif->cf->hello_multiplier > 0;
}

uint16_t
ospf_if_hello_field(const struct ospf_if *oif)
{
	return if_fast(oif) ? 0 : (uint16_t)oif->cf->hello;
}

uint32_t
ospf_if_dead_s(const struct ospf_if *oif)
{
	return if_fast(oif) ? 1 : oif->cf->dead;
}

static uint64_t
if_hello_ms(const struct ospf_if *oif)
{
	if (if_fast(oif))
		return 1000 / (unsigned)oif->cf->hello_multiplier;
	return (uint64_t)oif->cf->hello * 1000;
}

uint32_t
ospf_if_link_data(const struct ospf_if *oif)
{
	/* Unnumbered: the interface's MIB-II ifIndex, as FRR writes it. */
	return oif->unnumbered || !oif->addr ? (uint32_t)oif->ifindex
	                                     : oif->addr;
}

size_t
ospf_if_pkt_max(const struct ospf_if *oif)
{
	size_t mtu = oif->mtu ? oif->mtu : 1500;

	if (mtu > OSPF_PKT_MAX)
		mtu = OSPF_PKT_MAX;
	/* Room for the IP header and a message digest after the packet. */
	return mtu - OSPF_IP_HDR -
	       (oif->cf->auth == CONF_OSPF_AUTH_MD5 ? OSPF_DIGEST_MAX : 0);
}

static void
if_hello_timer(void *arg)
{
	struct ospf_if *oif = arg;

	ospf_hello_send(oif);
	ev_timer_add(&oif->hello_t, if_hello_ms(oif));
}

/* The Hello period changed (reload): the next one goes out at once. */
void
ospf_if_timers(struct ospf_if *oif)
{
	if (oif->state != OIF_P2P)
		return;
	ev_timer_del(&oif->hello_t);
	if_hello_timer(oif);
}

void
ospf_if_up(struct ospf_if *oif)
{
	if (oif->state != OIF_DOWN)
		return;
	if (oif->passive) {
		oif->state = OIF_PASSIVE;
	} else {
		if (ospf_sock_open(oif) < 0)
			return; /* stays down; module.c tries again */
		oif->state = OIF_P2P;
		ev_timer_set(&oif->hello_t, if_hello_timer, oif);
		if_hello_timer(oif);
		/* A tunnel's first Hello may reach the peer before its
		 * inbound SA is in: another one soon. */
		if (if_hello_ms(oif) > OSPF_HELLO_AGAIN_MS) {
			ev_timer_del(&oif->hello_t);
			ev_timer_add(&oif->hello_t, OSPF_HELLO_AGAIN_MS);
		}
	}
	log_info(
	    "ospf: %s: up (%s)", oif->name, ospf_if_state_name(oif->state));
	ospf_orig_router_soon(); /* with its neighbour's Full, if quick */
}

void
ospf_if_down(struct ospf_if *oif)
{
	if (oif->state == OIF_DOWN)
		return;
	if (oif->nbr) {
		ospf_nbr_event(oif->nbr, NBR_EV_LL_DOWN);
		ospf_nbr_free(oif->nbr);
		oif->nbr = NULL;
	}
	if (oif->state == OIF_P2P)
		ev_timer_del(&oif->hello_t);
	ospf_sock_close(oif);
	free(oif->ack);
	oif->ack = NULL;
	oif->nack = 0;
	oif->state = OIF_DOWN;
	log_info("ospf: %s: down", oif->name);
	ospf_orig_router();
}

/*
 * A reload: new settings in place.  Passive or not changes what the
 * interface is, so it goes down and comes up again; new timers send a
 * Hello at once; a new cost is a new router-LSA (the caller's).
 */
void
ospf_if_reconf(struct ospf_if *oif, const struct conf_ospf_if *cf, int passive)
{
	int timers = cf->hello != oif->cf->hello || cf->dead != oif->cf->dead ||
	             cf->hello_multiplier != oif->cf->hello_multiplier;

	oif->cf = cf;
	if (passive != oif->passive) {
		ospf_if_down(oif);
		oif->passive = passive;
		return; /* the caller's sync brings it up as it now is */
	}
	if (timers)
		ospf_if_timers(oif);
}
