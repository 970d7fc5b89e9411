/*
 * rib.c: tsunagi's routes in the kernel.  Each entry is installed (through
 * xfrm/, so with our rtm_protocol and the entry's distance as metric)
 * while its way out is usable and withdrawn when it is not: the kernel
 * then falls back on the next metric, which is how a backup tunnel with a
 * larger distance takes over.  Link changes (xfrm's interface table) and
 * tunnel events (ike) make the table look again; nothing polls.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ctl.h"
#include "daemon/event.h"
#include "daemon/log.h"
#include "ike/ike.h"
#include "ospf/rib.h"
#include "xfrm/iftab.h"
#include "xfrm/xfrm.h"

/* A route the kernel refused is tried again this much later. */
#define RIB_RETRY_MS 10000

struct ospf_rib_entry {
	struct ospf_rib_entry *next;
	struct ospf_rib_want w;
	int shut;
	int installed;
	struct xfrm_route krt; /* as installed */
	int usable;            /* this update's verdict ... */
	struct xfrm_route want; /* ... and the route it wants */
	char why[112];         /* why not installed, for show */
	int logged;            /* the kernel's refusal is in the log */
};

static struct {
	struct ospf_rib_entry *head;
	int started;
	struct ev_timer retry;
} rib;

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
rib_on_link(const struct xfrm_iftab_link *l, enum xfrm_iftab_change change,
    void *arg)
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

/* The kernel route e wants now, or 0 and why not. */
static int
rib_want_route(const struct ospf_rib_entry *e, struct xfrm_route *rt,
    char *why, size_t size)
{
	const struct ospf_rib_want *w = &e->w;
	const struct xfrm_iftab_link *l = NULL;

	memset(rt, 0, sizeof(*rt));
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
	rib_prefix(&w->prefix, &rt->dst);
	if (w->nexthop.af != 0) {
		rt->gateway.family = (uint8_t)w->nexthop.af;
		memcpy(rt->gateway.raw, w->nexthop.a, 16);
	}
	rt->oif = l != NULL ? l->ifindex : 0;
	rt->metric = w->distance;
	return 1;
}

/* The kernel keeps one route per prefix and metric (table main). */
static const struct ospf_rib_entry *
rib_holder(const struct xfrm_route *rt)
{
	const struct ospf_rib_entry *e;

	for (e = rib.head; e != NULL; e = e->next)
		if (e->installed && e->krt.dst.len == rt->dst.len &&
		    xfrm_ip_eq(&e->krt.dst.ip, &rt->dst.ip) &&
		    e->krt.metric == rt->metric)
			return e;
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
		log_info("ospf: route %s withdrawn (%s)",
		    rib_fmt(&e->krt, b, sizeof(b)), e->why);
}

static void
rib_install(struct ospf_rib_entry *e, const struct xfrm_route *rt)
{
	const struct ospf_rib_entry *h = rib_holder(rt);
	char b[96];

	if (h != NULL) {
		snprintf(e->why, sizeof(e->why),
		    "standby: line %d has the same prefix and distance",
		    h->w.line);
		return;
	}
	if (xfrm_route_replace(rt) == -1) {
		snprintf(e->why, sizeof(e->why), "kernel refused: %.90s",
		    xfrm_last_error());
		if (!e->logged)
			log_warnx("ospf: route of line %d: %s", e->w.line,
			    e->why);
		e->logged = 1;
		if (!ev_timer_pending(&rib.retry))
			ev_timer_add(&rib.retry, RIB_RETRY_MS);
		return;
	}
	e->installed = 1;
	e->logged = 0;
	e->krt = *rt;
	e->why[0] = '\0';
	log_info("ospf: route %s via %s installed", rib_fmt(rt, b, sizeof(b)),
	    e->w.ifname[0] ? e->w.ifname : "gateway");
}

void
ospf_rib_update(void)
{
	struct ospf_rib_entry *e;

	if (!rib.started)
		return;
	/* Withdrawals first, so a standby can take the place at once. */
	for (e = rib.head; e != NULL; e = e->next) {
		e->usable = rib_want_route(e, &e->want, e->why, sizeof(e->why));
		if (e->installed &&
		    (!e->usable || !xfrm_route_eq(&e->want, &e->krt)))
			rib_withdraw(e);
	}
	for (e = rib.head; e != NULL; e = e->next)
		if (!e->installed && e->usable)
			rib_install(e, &e->want);
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
		log_warn("ospf: route");
		return NULL;
	}
	e->w = *w;
	/* In the order given: the first of equals is the one installed. */
	for (pp = &rib.head; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = e;
	return e;
}

void
ospf_rib_del(struct ospf_rib_entry *e)
{
	struct ospf_rib_entry **pp;

	if (e == NULL)
		return;
	snprintf(e->why, sizeof(e->why), "no longer configured");
	rib_withdraw(e);
	for (pp = &rib.head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	free(e);
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
	e->shut = shut;
	ospf_rib_update();
}

/* Life ---------------------------------------------------------------------- */

static const struct xfrm_iftab_cbs rib_if_cbs = {.link = rib_on_link};

int
ospf_rib_start(void)
{
	if (rib.started)
		return 0;
	ev_timer_set(&rib.retry, rib_retry, NULL);
	if (xfrm_iftab_listen(&rib_if_cbs, NULL) == -1)
		return -1;
	if (ike_tunnel_listen(rib_on_tunnel, NULL) == -1) {
		xfrm_iftab_unlisten(&rib_if_cbs, NULL);
		return -1;
	}
	rib.started = 1;
	ospf_rib_update();
	return 0;
}

void
ospf_rib_stop(void)
{
	if (!rib.started)
		return;
	while (rib.head != NULL)
		ospf_rib_del(rib.head);
	ike_tunnel_unlisten(rib_on_tunnel, NULL);
	xfrm_iftab_unlisten(&rib_if_cbs, NULL);
	ev_timer_del(&rib.retry);
	rib.started = 0;
}

/* Show ---------------------------------------------------------------------- */

static void
rib_show_one(struct ctl_conn *c, const struct ospf_rib_entry *e)
{
	char a[64], p[80];
	struct xfrm_prefix px;

	rib_prefix(&e->w.prefix, &px);
	snprintf(p, sizeof(p), "%s/%u", xfrm_ip_fmt(&px.ip, a, sizeof(a)),
	    px.len);
	ctl_rec_begin(c, "route");
	ctl_rec_str(c, "prefix", p);
	if (e->w.ifname[0] != '\0')
		ctl_rec_str(c, "interface", e->w.ifname);
	if (e->w.nexthop.af != 0) {
		struct xfrm_ip nh = {.family = (uint8_t)e->w.nexthop.af};

		memcpy(nh.raw, e->w.nexthop.a, 16);
		ctl_rec_str(c, "nexthop", xfrm_ip_fmt(&nh, a, sizeof(a)));
	}
	ctl_rec_uint(c, "distance", e->w.distance);
	ctl_rec_str(c, "state", e->installed ? "installed" : "withdrawn");
	if (!e->installed)
		ctl_rec_str(c, "reason", e->why);
	ctl_rec_int(c, "line", e->w.line);
	ctl_rec_end(c);
}

void
ospf_rib_show(struct ctl_conn *c, int source)
{
	const struct ospf_rib_entry *e;

	for (e = rib.head; e != NULL; e = e->next)
		if (e->w.source == source)
			rib_show_one(c, e);
}
