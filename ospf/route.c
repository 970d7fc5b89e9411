/*
 * route.c: when to run the calculation (spf.c) and what of its result
 * goes into the route table (rib.c).  Runs are throttled as FRR's
 * "timers throttle spf 0 50 5000": the first after a quiet spell at
 * once, then a hold that doubles while changes keep coming, up to 5 s.
 * The table gets one entry per destination; an entry whose way out did
 * not change is kept as it is, and new entries go in before the old
 * ones leave, so a route never disappears on its way to a better one.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/rib.h"
#include "ospf/speaker.h"
#include "ospf/spf.h"
#include "ospf/wire.h"

#define SPF_HOLD_MS     50
#define SPF_MAX_HOLD_MS 5000

struct inst {
	uint32_t prefix, mask, nexthop;
	char ifname[CONF_IFNAMSIZ];
	struct ospf_rib_entry *e;
};

static struct {
	struct ev_timer t;
	int timer_set;
	uint64_t last, hold;
	struct ospf_spf cur;
	char (*ifnames)[CONF_IFNAMSIZ]; /* cur's interface indexes */
	struct inst *inst;
	size_t ninst;
} rt;

struct ospf_route_stats ospf_route_stats;

static int
mask_plen(uint32_t mask)
{
	int n = __builtin_popcount(mask);

	/* Only contiguous masks make a route. */
	return mask == ospf_mask((unsigned)n) ? n : -1;
}

static void
want_of(struct ospf_rib_want *w, const struct inst *in)
{
	uint32_t p = htonl(in->prefix), nh = htonl(in->nexthop);

	memset(w, 0, sizeof(*w));
	w->source = OSPF_RIB_OSPF;
	w->prefix.af = AF_INET;
	memcpy(w->prefix.a, &p, 4);
	w->prefix.plen = mask_plen(in->mask);
	snprintf(w->ifname, sizeof(w->ifname), "%s", in->ifname);
	/*
	 * Not marked as a tunnel's (w->tunnel): the table would withdraw
	 * the route the moment its tunnel loses its SA, before SPF puts
	 * the one through the other tunnel in, and meanwhile the LAN's
	 * packets would follow the default route out of the uplink, in
	 * clear.  SPF replaces it make-before-break at once instead
	 * (ospf_route_now); until then the XFRM interface drops them.
	 */
	if (in->nexthop) { /* else out of an unnumbered link */
		w->nexthop.af = AF_INET;
		memcpy(w->nexthop.a, &nh, 4);
	}
	w->distance =
	    ospf_sp.conf ? ospf_sp.conf->ospf.distance : CONF_DEF_OSPF_DISTANCE;
}

/* The interfaces the calculation may leave by: those with a Full one. */
static size_t
route_ifs(struct ospf_spf_if *ifs, struct ospf_if **oifs, size_t max)
{
	struct ospf_if *oif;
	size_t n = 0;

	for (oif = ospf_sp.ifs; oif && n < max; oif = oif->next) {
		if (oif->state != OIF_P2P || !oif->nbr ||
		    oif->nbr->state != NBR_FULL)
			continue;
		ifs[n].data = ospf_if_link_data(oif);
		ifs[n].nbr_rid = oif->nbr->rid;
		/*
		 * Unnumbered: the neighbour's address is on its LAN, not on
		 * the link, so a link that resolves no neighbours (a tunnel)
		 * takes the routes with no gateway.  An unnumbered Ethernet
		 * would need an on-link gateway, which the route table does
		 * not make: the kernel refuses those routes, and says so.
		 */
		ifs[n].nbr_addr =
		    oif->unnumbered && oif->noarp ? 0 : oif->nbr->addr;
		oifs[n++] = oif;
	}
	return n;
}

/* The entries the result calls for; NULL without memory. */
static struct inst *
route_wanted(const struct ospf_spf *s, struct ospf_if *const *oifs, size_t *np)
{
	struct inst *v = calloc(s->n ? s->n : 1, sizeof(*v));
	size_t i, n = 0;

	if (!v)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct ospf_spf_route *r = &s->rt[i];

		if (r->kind == OSPF_RT_CONNECTED || r->ifi < 0 ||
		    mask_plen(r->mask) < 0)
			continue;
		v[n].prefix = r->prefix;
		v[n].mask = r->mask;
		v[n].nexthop = r->nexthop;
		snprintf(
		    v[n].ifname, sizeof(v[n].ifname), "%s", oifs[r->ifi]->name);
		n++;
	}
	*np = n;
	return v;
}

/* The old entry that already asks for in, taken out of the old set. */
static struct ospf_rib_entry *
route_claim(struct inst *in)
{
	struct ospf_rib_want w;
	size_t i;

	want_of(&w, in);
	for (i = 0; i < rt.ninst; i++) {
		struct ospf_rib_entry *e = rt.inst[i].e;

		if (e && ospf_rib_same(e, &w)) {
			rt.inst[i].e = NULL;
			return e;
		}
	}
	return NULL;
}

/* New entries in, then the old ones out: make before break. */
static void
route_apply(struct inst *v, size_t n)
{
	struct ospf_rib_entry **old;
	struct ospf_rib_want w;
	size_t i;

	for (i = 0; i < n; i++) {
		v[i].e = route_claim(&v[i]);
		if (!v[i].e) {
			want_of(&w, &v[i]);
			v[i].e = ospf_rib_add(&w);
		}
	}
	ospf_rib_update();
	old = calloc(rt.ninst ? rt.ninst : 1, sizeof(*old));
	for (i = 0; old && i < rt.ninst; i++)
		old[i] = rt.inst[i].e;
	if (old)
		ospf_rib_del_many(old, rt.ninst);
	else
		for (i = 0; i < rt.ninst; i++)
			if (rt.inst[i].e)
				ospf_rib_del(rt.inst[i].e);
	free(old);
	free(rt.inst);
	rt.inst = v;
	rt.ninst = n;
}

static void
route_run(void *arg)
{
	struct ospf_spf_if ifs[64];
	struct ospf_if *oifs[64];
	struct ospf_spf s;
	struct inst *v;
	struct ospf_lsa *self;
	size_t nifs, n, i;
	uint64_t t0 = ev_clock();
	int r;

	(void)arg;
	log_debug("ospf: SPF run");
	rt.last = ev_now();
	if (!ospf_sp.running)
		return;
	nifs = route_ifs(ifs, oifs, 64);
	/* Our own links as they are, not as last flooded (MinLSInterval). */
	self = ospf_orig_router_now();
	r = ospf_spf_run(
	    &ospf_sp.db, ospf_sp.rid, self, ifs, nifs, ev_now(), &s);
	ospf_lsa_unref(self);
	if (r < 0 || !(v = route_wanted(&s, oifs, &n))) {
		ospf_spf_free(&s);
		log_warnx("ospf: out of memory computing routes; trying again");
		ospf_route_schedule();
		return;
	}
	ospf_spf_free(&rt.cur);
	rt.cur = s;
	free(rt.ifnames);
	rt.ifnames = calloc(nifs ? nifs : 1, sizeof(*rt.ifnames));
	for (i = 0; rt.ifnames && i < nifs; i++)
		memcpy(rt.ifnames[i], oifs[i]->name, CONF_IFNAMSIZ);
	route_apply(v, n);
	ospf_route_stats.runs++;
	ospf_route_stats.last_ms = ev_clock() - t0;
	ospf_route_stats.routes = n;
	ospf_route_stats.reached = s.reached;
}

void
ospf_route_schedule(void)
{
	uint64_t now = ev_now(), since;

	if (!ospf_sp.running)
		return; /* stopping: ospf_route_stop() withdrew everything */
	if (!rt.timer_set) {
		ev_timer_set(&rt.t, route_run, NULL);
		rt.timer_set = 1;
		rt.hold = SPF_HOLD_MS;
	}
	if (ev_timer_pending(&rt.t))
		return;
	since = rt.last ? now - rt.last : UINT64_MAX;
	if (since >= rt.hold) {
		/* Quiet long enough: at once (the rest of this packet's
		 * changes still make it, the timer runs after them). */
		if (since >= 2 * rt.hold)
			rt.hold = SPF_HOLD_MS;
		ev_timer_add(&rt.t, 0);
		return;
	}
	ev_timer_add(&rt.t, rt.hold - since);
	log_debug(
	    "ospf: SPF held %llu ms", (unsigned long long)(rt.hold - since));
	rt.hold = rt.hold * 2 > SPF_MAX_HOLD_MS ? SPF_MAX_HOLD_MS : rt.hold * 2;
}

/*
 * A way out closed (a tunnel lost its SA): SPF now, whatever the hold,
 * so the routes through it are replaced before the next packet.
 */
void
ospf_route_now(void)
{
	if (!ospf_sp.running)
		return;
	if (rt.timer_set)
		ev_timer_del(&rt.t);
	route_run(NULL);
}

/* Every OSPF route leaves the table (stop, reload to no OSPF). */
void
ospf_route_stop(void)
{
	if (rt.timer_set)
		ev_timer_del(&rt.t);
	route_apply(NULL, 0);
	ospf_spf_free(&rt.cur);
	free(rt.ifnames);
	rt.ifnames = NULL;
	rt.last = 0;
	memset(&ospf_route_stats, 0, sizeof(ospf_route_stats));
}

const struct ospf_spf *
ospf_route_result(void)
{
	return &rt.cur;
}

const char *
ospf_route_ifname(int ifi)
{
	return ifi >= 0 && rt.ifnames ? rt.ifnames[ifi] : "";
}
