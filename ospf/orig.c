/*
 * orig.c: the LSAs this router originates (RFC 2328 12.4): its
 * router-LSA, made again whenever what it says changes (a neighbour
 * reaches or leaves Full, an interface comes or goes, an address or a
 * cost changes), no more often than MinLSInterval, and flooded at once.
 * Our LSAs a neighbour still holds from before a restart are taken back
 * (13.4).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"
#include "xfrm/iftab.h"

#define ORIG_MAX_LINKS 256

/*
 * Some news is most often followed at once by more: a neighbour that
 * starts its adjacency over while alive (its Hello no longer lists us,
 * as after its SA or its daemon was replaced; a DD sequence mismatch) is
 * Full again tens of milliseconds later, and so is the neighbour of an
 * interface that just came up.  Saying the first at once would spend
 * MinLSInterval: the instance that says the link is there would wait a
 * second behind it, and with it every route through the link, in both
 * houses.  So such news waits this long; if the neighbour is Full by
 * then, one instance says it all (or none, if it says what it said).
 * Losing a link or an interface is told at once.
 */
#define ORIG_BOUNCE_MS 200

static struct {
	struct ev_timer wait;   /* MinLSInterval */
	struct ev_timer bounce; /* ORIG_BOUNCE_MS */
	int timer_set;
} orig;

/* Stub links for the IPv4 prefixes of oif (12.4.1.1 option 1, 12.4.1.4). */
static size_t
orig_stubs(const struct ospf_if *oif, struct ospf_rtr_link *l, size_t room)
{
	struct xfrm_iftab_addr a[16];
	size_t n = xfrm_iftab_addrs(oif->ifindex, AF_INET, a, 16), i, k = 0;

	for (i = 0; i < n && i < 16 && k < room; i++) {
		uint32_t addr = ntohl(a[i].addr.v4.s_addr);
		uint32_t mask = ospf_mask(a[i].prefixlen);

		if (a[i].peer.family ==
		    AF_INET) { /* PPP-style: the peer's host */
			addr = ntohl(a[i].peer.v4.s_addr);
			mask = 0xffffffffu;
		}
		l[k].id = addr & mask;
		l[k].data = mask;
		l[k].type = OSPF_LINK_STUB;
		l[k].metric = (uint16_t)oif->cf->cost;
		k++;
	}
	return k;
}

static size_t
orig_links(struct ospf_rtr_link *l, size_t room)
{
	struct ospf_if *oif;
	size_t k = 0;

	for (oif = ospf_sp.ifs; oif && k < room; oif = oif->next) {
		if (oif->state == OIF_DOWN)
			continue;
		if (oif->state == OIF_P2P && oif->nbr &&
		    oif->nbr->state == NBR_FULL) {
			l[k].id = oif->nbr->rid;
			l[k].data = ospf_if_link_data(oif);
			l[k].type = OSPF_LINK_P2P;
			l[k].metric = (uint16_t)oif->cf->cost;
			k++;
		}
		/* An unnumbered link's address is its lender's, announced
		 * there (12.4.1.1: no stub for an unnumbered link). */
		if (oif->state == OIF_PASSIVE || !oif->unnumbered)
			k += orig_stubs(oif, l + k, room - k);
	}
	return k;
}

/* MinLSInterval is over: whatever waited goes out now. */
static void
orig_retry(void *arg)
{
	(void)arg;
	ospf_orig_router();
	ospf_ext_update();
}

static void
orig_timers(void)
{
	if (!orig.timer_set) {
		ev_timer_set(&orig.wait, orig_retry, NULL);
		ev_timer_set(&orig.bounce, orig_retry, NULL);
		orig.timer_set = 1;
	}
}

void
ospf_orig_put(const uint8_t *lsa, size_t len, int force)
{
	struct ospf_lsa *l;
	uint64_t wait;

	switch (ospf_lsdb_originate(
	    &ospf_sp.db, lsa, len, ev_now(), force, &l, &wait)) {
	case OSPF_ORIG_NEW:
		log_debug("ospf: %s LSA %08x originated, seq %08x",
		    ospf_lsa_type_name(l->key.type), l->key.id, l->hdr.seq);
		ospf_flood(l, NULL);
		ospf_lsdb_changed();
		break;
	case OSPF_ORIG_WAIT:
		log_debug("ospf: %s LSA %08x held %llu ms (MinLSInterval)",
		    ospf_lsa_type_name(l->key.type), l->key.id,
		    (unsigned long long)wait);
		orig_timers();
		if (!ev_timer_pending(&orig.wait))
			ev_timer_add(&orig.wait, wait);
		break;
	case OSPF_ORIG_ENOMEM:
		log_warnx("ospf: out of memory originating an LSA");
		break;
	default: /* SAME; WRAP: the removed hook brings us back */
		break;
	}
}

/* Our router-LSA as it is now, into buf: its length, 0 if none. */
static size_t
orig_router_build(uint8_t *buf, size_t cap)
{
	static struct ospf_rtr_link links[ORIG_MAX_LINKS];
	struct ospf_lsa_hdr h = {
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_ROUTER,
	    .id = ospf_sp.rid,
	    .adv = ospf_sp.rid,
	};
	size_t n = orig_links(links, ORIG_MAX_LINKS);

	/* E: we announce AS-external LSAs (an ASBR, A.4.2). */
	return ospf_rtr_build(
	    buf, cap, &h, ospf_ext_count() ? OSPF_RTR_E : 0, links, n);
}

#define ORIG_RTR_MAX                                                           \
	(OSPF_LSA_HDR_LEN + OSPF_RTR_LEN + ORIG_MAX_LINKS * OSPF_RTR_LINK_LEN)

static void
orig_router_force(int force)
{
	uint8_t buf[ORIG_RTR_MAX];
	size_t len;

	if (!ospf_sp.running)
		return;
	len = orig_router_build(buf, sizeof(buf));
	if (len)
		ospf_orig_put(buf, len, force);
}

struct ospf_lsa *
ospf_orig_router_now(void)
{
	uint8_t buf[ORIG_RTR_MAX];
	size_t len = orig_router_build(buf, sizeof(buf));

	return len ? ospf_lsa_dup(buf, len, ev_now()) : NULL;
}

void
ospf_orig_router(void)
{
	orig_router_force(0);
}

void
ospf_orig_router_soon(void)
{
	if (!ospf_sp.running)
		return;
	orig_timers();
	if (!ev_timer_pending(&orig.bounce))
		ev_timer_add(&orig.bounce, ORIG_BOUNCE_MS);
}

void
ospf_orig_refresh(struct ospf_lsa *l)
{
	if (l->key.type == OSPF_LSA_ROUTER && l->key.id == ospf_sp.rid)
		orig_router_force(1);
	else if (l->key.type == OSPF_LSA_EXTERNAL && ospf_ext_wanted(l->key.id))
		ospf_ext_refresh(l->key.id);
	else
		ospf_lsdb_flush(&ospf_sp.db, l, ev_now());
}

void
ospf_orig_self(struct ospf_lsa *l)
{
	/* Ours again one past its number, or flushed if we no longer say it. */
	ospf_orig_refresh(l);
}

void
ospf_orig_stop(void)
{
	if (orig.timer_set) {
		ev_timer_del(&orig.wait);
		ev_timer_del(&orig.bounce);
	}
}
