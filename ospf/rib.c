/*
 * rib.c: tsunagi's routes in the kernel, as a module of its own that
 * starts before every route source and stops after them.
 *
 * Per prefix and source, one kernel route: the source's best usable entry
 * (the lowest distance, then the first added), installed through xfrm/
 * with our rtm_protocol and the distance as its metric.  The kernel keeps
 * the routes of several sources side by side and uses the lowest metric,
 * so static routes (1) win over OSPF's (110) and a floating static route
 * (200) waits under OSPF's, and falls back at once when one is withdrawn.
 * Two sources asking for the same prefix and distance would share one
 * kernel route: the one in the kernel keeps it, the other waits (of two
 * new ones, the static route goes in).
 *
 * Every change is make-before-break: an entry's replacement goes into the
 * kernel before the entry's own route comes out, so a prefix never has a
 * moment without a route while another way is usable.
 *
 * Link changes (xfrm's interface table) and tunnel events (ike) make the
 * table look again; nothing polls.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ctl.h"
#include "daemon/event.h"
#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/ike.h"
#include "ospf/ospf.h"
#include "ospf/rib.h"
#include "xfrm/iftab.h"
#include "xfrm/xfrm.h"

/* A route the kernel refused is tried again this much later. */
#define RIB_RETRY_MS 10000

struct ospf_rib_entry {
	struct ospf_rib_entry *next;
	struct ospf_rib_want w;
	struct xfrm_prefix dst; /* w.prefix, masked */
	int shut;
	int dead; /* deleted: leaves at the end of this update */
	int installed;
	struct xfrm_route krt; /* as installed */
	/* This update's verdict: */
	int usable;             /* its way out is there */
	int chosen;             /* ... and it is its source's best */
	struct xfrm_route want; /* the route it wants */
	char why[112];          /* why it is not installed, for show */
	int logged;             /* the kernel's refusal is in the log */
};

/* Who wants to hear that the table was looked at again. */
struct rib_listener {
	struct rib_listener *next;
	void (*cb)(void *arg);
	void *arg;
};

static struct {
	struct ospf_rib_entry *head;
	int started, registered;
	struct ev_timer retry;
	struct rib_listener *listeners;
} rib;

static const char *const rib_source_names[] = {
    [OSPF_RIB_STATIC] = "static",
    [OSPF_RIB_OSPF] = "ospf",
};

const char *
ospf_rib_source_name(int source)
{
	if (source < 0 || (size_t)source >= sizeof(rib_source_names) /
	                                        sizeof(rib_source_names[0]))
		return "?";
	return rib_source_names[source];
}

/* Links ------------------------------------------------------------------- */

/*
 * A link went down or away: the kernel dropped the IPv4 routes through it
 * (fib_sync_down_dev), including those via a gateway behind it, which we
 * installed without naming the link.  Those are put back (replace sees
 * whether the kernel still has them) once the table looks again.
 */
static void
rib_link_lost(int ifindex)
{
	struct ospf_rib_entry *e;

	for (e = rib.head; e != NULL; e = e->next)
		if (e->installed && e->krt.dst.ip.family == AF_INET &&
		    (e->krt.oif == ifindex || e->krt.oif == 0))
			e->installed = 0;
}

/* A link that is gone or down took the kernel's routes through it. */
static void
rib_on_link(
    const struct xfrm_iftab_link *l, enum xfrm_iftab_change change, void *arg)
{
	(void)arg;
	if (change == XFRM_IFTAB_GONE || !(l->flags & IFF_UP))
		rib_link_lost(l->ifindex);
	ospf_rib_update();
}

/* Deciding ---------------------------------------------------------------- */

static void
rib_prefix(const struct conf_addr *a, struct xfrm_prefix *p)
{
	size_t n = a->af == AF_INET ? 4 : 16, i;

	memset(p, 0, sizeof(*p));
	p->ip.family = (uint8_t)a->af;
	memcpy(p->ip.raw, a->a, n);
	p->len = (uint8_t)a->plen;
	for (i = 0; i < n * 8; i++)
		if ((int)i >= a->plen)
			p->ip.raw[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
}

static int
rib_same_prefix(const struct xfrm_prefix *a, const struct xfrm_prefix *b)
{
	return a->len == b->len && xfrm_ip_eq(&a->ip, &b->ip);
}

/* The kernel route e wants now, or 0 and why not. */
static int
rib_want_route(const struct ospf_rib_entry *e, struct xfrm_route *rt, char *why,
    size_t size)
{
	const struct ospf_rib_want *w = &e->w;
	const struct xfrm_iftab_link *l = NULL;

	memset(rt, 0, sizeof(*rt));
	if (e->dead) {
		snprintf(why, size, "no longer wanted");
		return 0;
	}
	if (w->ifname[0] != '\0') {
		if ((l = xfrm_iftab_link_by_name(w->ifname)) == NULL) {
			snprintf(why, size, "interface %s does not exist",
			    w->ifname);
			return 0;
		}
		if (!(l->flags & IFF_UP)) {
			snprintf(why, size, "interface %s is down", w->ifname);
			return 0;
		}
		if (w->tunnel && !ike_tunnel_is_up(w->ifname)) {
			snprintf(why, size, "tunnel %s is down", w->ifname);
			return 0;
		}
	}
	if (e->shut) {
		snprintf(why, size, "shut down by a watch-group");
		return 0;
	}
	rt->dst = e->dst;
	if (w->nexthop.af != 0) {
		rt->gateway.family = (uint8_t)w->nexthop.af;
		memcpy(rt->gateway.raw, w->nexthop.a, 16);
	}
	rt->oif = l != NULL ? l->ifindex : 0;
	rt->metric = w->distance;
	return 1;
}

/*
 * Each usable entry is chosen unless a usable one of its prefix and source
 * beats it: a lower distance, or the same one and added before it.  One
 * that is beaten says by which.
 */
static void
rib_choose(void)
{
	struct ospf_rib_entry *e, *f;
	int before;

	for (e = rib.head; e != NULL; e = e->next) {
		e->chosen = e->usable;
		before = 1;
		for (f = rib.head; e->chosen && f != NULL; f = f->next) {
			if (f == e) {
				before = 0;
				continue;
			}
			if (!f->usable || f->w.source != e->w.source ||
			    !rib_same_prefix(&f->dst, &e->dst) ||
			    f->w.distance > e->w.distance ||
			    (f->w.distance == e->w.distance && !before))
				continue;
			e->chosen = 0;
			if (f->w.line > 0)
				snprintf(e->why, sizeof(e->why),
				    "standby: line %d (distance %u) is "
				    "preferred",
				    f->w.line, f->w.distance);
			else
				snprintf(e->why, sizeof(e->why),
				    "standby: distance %u via %s is preferred",
				    f->w.distance,
				    f->w.ifname[0] ? f->w.ifname : "a gateway");
		}
	}
}

/* The kernel keeps one route per prefix and metric (table main). */
static int
rib_same_key(const struct xfrm_route *a, const struct xfrm_route *b)
{
	return rib_same_prefix(&a->dst, &b->dst) && a->metric == b->metric;
}

/* The entry other than e whose route holds rt's key in the kernel. */
static struct ospf_rib_entry *
rib_holder(const struct ospf_rib_entry *e, const struct xfrm_route *rt)
{
	struct ospf_rib_entry *h;

	for (h = rib.head; h != NULL; h = h->next)
		if (h != e && h->installed && rib_same_key(&h->krt, rt))
			return h;
	return NULL;
}

static const char *
rib_fmt(const struct xfrm_route *rt, char *buf, size_t size)
{
	char a[64];

	snprintf(buf, size, "%s/%u metric %u",
	    xfrm_ip_fmt(&rt->dst.ip, a, sizeof(a)), rt->dst.len, rt->metric);
	return buf;
}

static void
rib_withdraw(struct ospf_rib_entry *e)
{
	char b[96];

	if (!e->installed)
		return;
	e->installed = 0;
	if (xfrm_route_delete(&e->krt) == 0)
		log_info("route %s (%s) withdrawn: %s",
		    rib_fmt(&e->krt, b, sizeof(b)),
		    ospf_rib_source_name(e->w.source), e->why);
}

/*
 * Puts e's wanted route in the kernel.  A route of the same key is
 * replaced in one step: e's own old one, or that of an entry of the same
 * source it takes over from, or that of another source's entry that is no
 * longer chosen.  Another source's chosen route of the same prefix and
 * distance keeps its place.  e's old route under another key leaves only
 * after the new one is in.
 */
static void
rib_install(struct ospf_rib_entry *e)
{
	struct ospf_rib_entry *h = rib_holder(e, &e->want);
	struct xfrm_route old = e->krt;
	int had = e->installed;
	char b[96];

	if (h != NULL && h->chosen && h->w.source != e->w.source) {
		snprintf(e->why, sizeof(e->why),
		    "standby: the %s route has the same prefix and distance",
		    ospf_rib_source_name(h->w.source));
		rib_withdraw(e);
		return;
	}
	if (xfrm_route_replace(&e->want) == -1) {
		snprintf(e->why, sizeof(e->why), "kernel refused: %.90s",
		    xfrm_last_error());
		if (!e->logged)
			log_warnx("route %s (%s%s%.0d): %s",
			    rib_fmt(&e->want, b, sizeof(b)),
			    ospf_rib_source_name(e->w.source),
			    e->w.line > 0 ? ", line " : "", e->w.line, e->why);
		e->logged = 1;
		if (!ev_timer_pending(&rib.retry))
			ev_timer_add(&rib.retry, RIB_RETRY_MS);
		return;
	}
	if (h != NULL)
		h->installed = 0; /* its route is ours now */
	e->installed = 1;
	e->logged = 0;
	e->krt = e->want;
	e->why[0] = '\0';
	if (had && !rib_same_key(&old, &e->want) &&
	    xfrm_route_delete(&old) == -1)
		log_debug(
		    "route %s: already gone", rib_fmt(&old, b, sizeof(b)));
	log_info("route %s via %s (%s) installed",
	    rib_fmt(&e->want, b, sizeof(b)),
	    e->w.ifname[0] ? e->w.ifname : "gateway",
	    ospf_rib_source_name(e->w.source));
}

/* Listeners may leave while told: the next one is taken first. */
static void
rib_tell(void)
{
	struct rib_listener *l, *next;

	for (l = rib.listeners; l != NULL; l = next) {
		next = l->next;
		l->cb(l->arg);
	}
}

static int rib_active(const struct ospf_rib_entry *e);

/* Where a prefix's traffic goes: the way of its active route. */
struct rib_way {
	struct xfrm_prefix dst;
	char via[64];
};

#define RIB_WAYS 256

static size_t
rib_ways(struct rib_way *w)
{
	const struct ospf_rib_entry *e;
	size_t n = 0;

	/* A dead entry still counts: its route is in the kernel until this
	 * update takes it out. */
	for (e = rib.head; e != NULL && n < RIB_WAYS; e = e->next) {
		if (!rib_active(e))
			continue;
		w[n].dst = e->dst;
		if (e->w.ifname[0])
			snprintf(w[n].via, sizeof(w[n].via), "%s", e->w.ifname);
		else
			xfrm_ip_fmt(&e->krt.gateway, w[n].via, sizeof(w[n].via));
		n++;
	}
	return n;
}

static const struct rib_way *
rib_way_find(const struct rib_way *w, size_t n, const struct xfrm_prefix *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rib_same_prefix(&w[i].dst, p))
			return &w[i];
	return NULL;
}

/*
 * The events of an update, for the monitor: a prefix whose traffic
 * moved to another way (a failover, or the return), lost its last way,
 * or got its first.
 */
static void
rib_tell_moves(const struct rib_way *was, size_t nwas,
    const struct rib_way *now, size_t nnow)
{
	const struct rib_way *o;
	char a[64], p[80];
	size_t i;

	for (i = 0; i < nwas; i++) {
		snprintf(p, sizeof(p), "%s/%u",
		    xfrm_ip_fmt(&was[i].dst.ip, a, sizeof(a)), was[i].dst.len);
		if ((o = rib_way_find(now, nnow, &was[i].dst)) == NULL)
			evlog("route-lost", p, "no way left (was via %s)",
			    was[i].via);
		else if (strcmp(o->via, was[i].via) != 0)
			evlog("route-moved", p, "from %s to %s", was[i].via,
			    o->via);
	}
	for (i = 0; i < nnow; i++)
		if (rib_way_find(was, nwas, &now[i].dst) == NULL) {
			snprintf(p, sizeof(p), "%s/%u",
			    xfrm_ip_fmt(&now[i].dst.ip, a, sizeof(a)),
			    now[i].dst.len);
			evlog("route-new", p, "via %s", now[i].via);
		}
}

void
ospf_rib_update(void)
{
	static struct rib_way was[RIB_WAYS], now[RIB_WAYS];
	struct ospf_rib_entry *e, **pp;
	size_t nwas;
	int src;

	if (!rib.started)
		return;
	nwas = rib_ways(was);
	for (e = rib.head; e != NULL; e = e->next)
		e->usable = rib_want_route(e, &e->want, e->why, sizeof(e->why));
	rib_choose();
	/*
	 * Make: what is chosen goes in (or moves) first, source by source,
	 * so that of two new routes of one prefix and distance the static
	 * one takes the kernel's place ...
	 */
	for (src = 0; src < OSPF_RIB_NSOURCES; src++)
		for (e = rib.head; e != NULL; e = e->next)
			if (e->w.source == src && e->chosen &&
			    !(e->installed && xfrm_route_eq(&e->want, &e->krt)))
				rib_install(e);
	/* ... then break: what is not chosen comes out. */
	for (e = rib.head; e != NULL; e = e->next)
		if (!e->chosen)
			rib_withdraw(e);
	for (pp = &rib.head; (e = *pp) != NULL;)
		if (e->dead) {
			*pp = e->next;
			free(e);
		} else
			pp = &e->next;
	rib_tell_moves(was, nwas, now, rib_ways(now));
	rib_tell();
}

int
ospf_rib_listen(void (*cb)(void *arg), void *arg)
{
	struct rib_listener *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return -1;
	l->cb = cb;
	l->arg = arg;
	l->next = rib.listeners;
	rib.listeners = l;
	return 0;
}

void
ospf_rib_unlisten(void (*cb)(void *arg), void *arg)
{
	struct rib_listener *l, **pp;

	for (pp = &rib.listeners; (l = *pp) != NULL; pp = &l->next)
		if (l->cb == cb && l->arg == arg) {
			*pp = l->next;
			free(l);
			return;
		}
}

int
ospf_rib_installed(int source, const struct conf_addr *prefix)
{
	const struct ospf_rib_entry *e;
	struct xfrm_prefix p;

	rib_prefix(prefix, &p);
	for (e = rib.head; e != NULL; e = e->next)
		if (e->installed && !e->dead && e->w.source == source &&
		    rib_same_prefix(&e->dst, &p))
			return 1;
	return 0;
}

static void
rib_retry(void *arg)
{
	(void)arg;
	ospf_rib_update();
}

static void
rib_on_tunnel(const char *tunnel, int up, void *arg)
{
	(void)tunnel, (void)up, (void)arg;
	ospf_rib_update();
}

/* Entries ----------------------------------------------------------------- */

struct ospf_rib_entry *
ospf_rib_add(const struct ospf_rib_want *w)
{
	struct ospf_rib_entry *e, **pp;

	if ((e = calloc(1, sizeof(*e))) == NULL) {
		log_warn("route");
		return NULL;
	}
	e->w = *w;
	rib_prefix(&w->prefix, &e->dst);
	/* In the order given: the first of equals is the one installed. */
	for (pp = &rib.head; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = e;
	return e;
}

void
ospf_rib_del_many(struct ospf_rib_entry *const *v, size_t n)
{
	struct ospf_rib_entry *e, **pp;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL)
			v[i]->dead = 1;
	if (rib.started) {
		ospf_rib_update();
		return;
	}
	/* Not running: nothing of theirs is in the kernel. */
	for (pp = &rib.head; (e = *pp) != NULL;)
		if (e->dead) {
			*pp = e->next;
			free(e);
		} else
			pp = &e->next;
}

void
ospf_rib_del(struct ospf_rib_entry *e)
{
	ospf_rib_del_many(&e, 1);
}

int
ospf_rib_same(const struct ospf_rib_entry *e, const struct ospf_rib_want *w)
{
	struct ospf_rib_want a = e->w, b = *w;

	a.line = b.line = 0;
	return memcmp(&a, &b, sizeof(a)) == 0;
}

void
ospf_rib_shut(struct ospf_rib_entry *e, int shut)
{
	if (e->shut == shut)
		return;
	e->shut = shut;
	ospf_rib_update();
}

/* Show ----------------------------------------------------------------------
 */

static const char *
rib_state(const struct ospf_rib_entry *e)
{
	if (e->installed)
		return "installed";
	return e->usable ? "standby" : "withdrawn";
}

/*
 * 1 if the kernel uses e's route for its prefix: installed, and no
 * installed route of the prefix has a lower distance.
 */
static int
rib_active(const struct ospf_rib_entry *e)
{
	const struct ospf_rib_entry *f;

	if (!e->installed)
		return 0;
	for (f = rib.head; f != NULL; f = f->next)
		if (f->installed && rib_same_prefix(&f->dst, &e->dst) &&
		    f->krt.metric < e->krt.metric)
			return 0;
	return 1;
}

static void
rib_show_one(struct ctl_conn *c, const struct ospf_rib_entry *e)
{
	char a[64], p[80];

	snprintf(p, sizeof(p), "%s/%u", xfrm_ip_fmt(&e->dst.ip, a, sizeof(a)),
	    e->dst.len);
	ctl_rec_begin(c, "route");
	ctl_rec_str(c, "prefix", p);
	if (e->w.ifname[0] != '\0')
		ctl_rec_str(c, "interface", e->w.ifname);
	if (e->w.nexthop.af != 0) {
		struct xfrm_ip nh = {.family = (uint8_t)e->w.nexthop.af};

		memcpy(nh.raw, e->w.nexthop.a, 16);
		ctl_rec_str(c, "nexthop", xfrm_ip_fmt(&nh, a, sizeof(a)));
	}
	ctl_rec_str(c, "source", ospf_rib_source_name(e->w.source));
	ctl_rec_uint(c, "distance", e->w.distance);
	ctl_rec_str(c, "state", rib_state(e));
	ctl_rec_bool(c, "active", rib_active(e));
	if (!e->installed)
		ctl_rec_str(c, "reason", e->why);
	if (e->w.line > 0)
		ctl_rec_int(c, "line", e->w.line);
	ctl_rec_end(c);
}

static int
rib_ctl_show(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct ospf_rib_entry *e;

	(void)argc, (void)argv, (void)arg;
	for (e = rib.head; e != NULL; e = e->next)
		rib_show_one(c, e);
	return 0;
}

/* Life ----------------------------------------------------------------------
 */

static const struct xfrm_iftab_cbs rib_if_cbs = {.link = rib_on_link};

static int
rib_start(const struct conf *conf)
{
	(void)conf;
	if (!rib.registered &&
	    ctl_register("show ip route", 0,
	        "tsunagi's routes: source, way out, and why each is in or out",
	        rib_ctl_show, NULL) == -1)
		return -1;
	rib.registered = 1;
	ev_timer_set(&rib.retry, rib_retry, NULL);
	if (xfrm_iftab_listen(&rib_if_cbs, NULL) == -1)
		return -1;
	if (ike_tunnel_listen(rib_on_tunnel, NULL) == -1) {
		xfrm_iftab_unlisten(&rib_if_cbs, NULL);
		return -1;
	}
	rib.started = 1;
	return 0;
}

/*
 * The sources stopped before: each deleted its entries.  One left over is
 * a source's bug; its route still leaves the kernel.
 */
static void
rib_stop(void)
{
	struct ospf_rib_entry *e;

	if (!rib.started)
		return;
	for (e = rib.head; e != NULL; e = e->next) {
		log_warnx("route of %s left at stop",
		    ospf_rib_source_name(e->w.source));
		e->dead = 1;
	}
	ospf_rib_update();
	ike_tunnel_unlisten(rib_on_tunnel, NULL);
	xfrm_iftab_unlisten(&rib_if_cbs, NULL);
	ev_timer_del(&rib.retry);
	rib.started = 0;
}

const struct tsunagi_module ospf_rib_module = {
    .name = "rib",
    .start = rib_start,
    .stop = rib_stop,
};
