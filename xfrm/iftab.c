/*
 * iftab.c: the one table of the kernel's links and addresses.  The monitor
 * fills it by a dump at start and again whenever events were lost, and
 * keeps it by events in between; what listeners hear are the differences,
 * so a resynchronisation that finds nothing new is silent.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "xfrm/iftab.h"

#define IFTAB_MAX       1024 /* a bound against a hostile number of either */
#define IFTAB_SETTLE_MS 5000 /* a dump takes microseconds; give up after */
#define IFTAB_LFT_SLACK 1000 /* ms: two reports of one deadline differ by */

struct iftab_listener {
	struct iftab_listener *next;
	const struct xfrm_iftab_cbs *cbs;
	void *arg;
};

struct iftab_link_ent {
	struct xfrm_iftab_link l;
	int stale; /* not seen in the running resynchronisation */
};

struct iftab_addr_ent {
	struct xfrm_iftab_addr a;
	int stale;
};

static struct {
	struct iftab_link_ent *links;
	size_t nlinks, caplinks;
	struct iftab_addr_ent *addrs;
	size_t naddrs, capaddrs;
	struct iftab_listener *ls;
	int dispatching; /* unlisten only marks while a dispatch walks ls */
	int mon;
} tab = {.mon = -1};

/* --- listeners --------------------------------------------------------- */

int
xfrm_iftab_listen(const struct xfrm_iftab_cbs *cbs, void *arg)
{
	struct iftab_listener *n, **pp;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		log_warn("xfrm: interface table listener");
		return -1;
	}
	n->cbs = cbs;
	n->arg = arg;
	for (pp = &tab.ls; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = n;
	return 0;
}

static void
iftab_reap(void)
{
	struct iftab_listener **pp = &tab.ls, *n;

	while ((n = *pp) != NULL) {
		if (n->cbs == NULL) {
			*pp = n->next;
			free(n);
		} else
			pp = &n->next;
	}
}

void
xfrm_iftab_unlisten(const struct xfrm_iftab_cbs *cbs, void *arg)
{
	struct iftab_listener *n;

	for (n = tab.ls; n != NULL; n = n->next)
		if (n->cbs == cbs && n->arg == arg)
			n->cbs = NULL;
	if (!tab.dispatching)
		iftab_reap();
}

static void
iftab_tell_link(const struct xfrm_iftab_link *l, enum xfrm_iftab_change c)
{
	struct iftab_listener *n;

	tab.dispatching++;
	for (n = tab.ls; n != NULL; n = n->next)
		if (n->cbs != NULL && n->cbs->link != NULL)
			n->cbs->link(l, c, n->arg);
	if (--tab.dispatching == 0)
		iftab_reap();
}

static void
iftab_tell_addr(const struct xfrm_iftab_addr *a, enum xfrm_iftab_change c)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_index(a->ifindex);
	struct iftab_listener *n;

	tab.dispatching++;
	for (n = tab.ls; n != NULL; n = n->next)
		if (n->cbs != NULL && n->cbs->addr != NULL)
			n->cbs->addr(l, a, c, n->arg);
	if (--tab.dispatching == 0)
		iftab_reap();
}

/* --- lookups ----------------------------------------------------------- */

static struct iftab_link_ent *
iftab_link_find(int ifindex)
{
	size_t i;

	for (i = 0; i < tab.nlinks; i++)
		if (tab.links[i].l.ifindex == ifindex)
			return &tab.links[i];
	return NULL;
}

const struct xfrm_iftab_link *
xfrm_iftab_link_by_index(int ifindex)
{
	struct iftab_link_ent *e = iftab_link_find(ifindex);

	return e != NULL ? &e->l : NULL;
}

const struct xfrm_iftab_link *
xfrm_iftab_link_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < tab.nlinks; i++)
		if (strcmp(tab.links[i].l.name, name) == 0)
			return &tab.links[i].l;
	return NULL;
}

/*
 * Without "ip mtu": the worst case of our ESP (AES-CBC with
 * HMAC-SHA-512, inside UDP), so no tunnel packet ever needs fragments
 * whatever the negotiation picks.
 */
unsigned
xfrm_iftab_tunnel_mtu(unsigned mtu, const char *outgoing, int af)
{
	const struct xfrm_iftab_link *l;
	unsigned uplink = 1500;

	if (mtu != 0)
		return mtu;
	if (outgoing[0] != '\0' &&
	    (l = xfrm_iftab_link_by_name(outgoing)) != NULL && l->mtu > 0)
		uplink = l->mtu;
	return xfrm_mtu(
	    uplink, af, XFRM_ENC_AES_CBC, XFRM_INTEG_HMAC_SHA2_512_256, 1);
}

size_t
xfrm_iftab_link_count(void)
{
	return tab.nlinks;
}

const struct xfrm_iftab_link *
xfrm_iftab_link_at(size_t i)
{
	return i < tab.nlinks ? &tab.links[i].l : NULL;
}

size_t
xfrm_iftab_addrs(int ifindex, int af, struct xfrm_iftab_addr *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < tab.naddrs; i++) {
		const struct xfrm_iftab_addr *a = &tab.addrs[i].a;

		if (a->ifindex != ifindex || (af != 0 && a->addr.family != af))
			continue;
		if (n < max)
			out[n] = *a;
		n++;
	}
	return n;
}

static int
iftab_source_ok(const struct xfrm_iftab_addr *a)
{
	const struct in6_addr *v6 = &a->addr.v6;

	if (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return 0;
	return a->addr.family == AF_INET ||
	    (!IN6_IS_ADDR_LINKLOCAL(v6) && !IN6_IS_ADDR_LOOPBACK(v6) &&
		!IN6_IS_ADDR_MULTICAST(v6));
}

int
xfrm_iftab_source(const char *name, int af, struct xfrm_ip *out)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_name(name);
	size_t i;

	for (i = 0; l != NULL && i < tab.naddrs; i++) {
		const struct xfrm_iftab_addr *a = &tab.addrs[i].a;

		if (a->ifindex == l->ifindex && a->addr.family == af &&
		    iftab_source_ok(a)) {
			*out = a->addr;
			return 0;
		}
	}
	return -1;
}

/* --- changes ----------------------------------------------------------- */

static void *
iftab_grow(void *v, size_t n, size_t *cap, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;

	if (n < *cap)
		return v;
	if (c > IFTAB_MAX || (v = realloc(v, c * size)) == NULL) {
		log_warnx("xfrm: interface table full");
		return NULL;
	}
	*cap = c;
	return v;
}

static void
iftab_addr_remove(size_t i)
{
	struct xfrm_iftab_addr gone = tab.addrs[i].a;

	/* Order kept: "the first address" must not change by a removal. */
	memmove(&tab.addrs[i], &tab.addrs[i + 1],
	    (tab.naddrs - i - 1) * sizeof(tab.addrs[0]));
	tab.naddrs--;
	iftab_tell_addr(&gone, XFRM_IFTAB_GONE);
}

/* A link and, first, its addresses leave the table. */
static void
iftab_link_remove(struct iftab_link_ent *e)
{
	struct xfrm_iftab_link gone = e->l;
	size_t i = 0;

	while (i < tab.naddrs)
		if (tab.addrs[i].a.ifindex == gone.ifindex)
			iftab_addr_remove(i);
		else
			i++;
	/* The hooks above cannot add or remove links: find it again. */
	e = iftab_link_find(gone.ifindex);
	*e = tab.links[--tab.nlinks];
	iftab_tell_link(&gone, XFRM_IFTAB_GONE);
}

static void
iftab_on_link(const struct xfrm_link_event *ev, void *arg)
{
	struct iftab_link_ent *e = iftab_link_find(ev->ifindex), *v;
	struct xfrm_iftab_link l;
	enum xfrm_iftab_change c = XFRM_IFTAB_NEW;

	(void)arg;
	if (ev->type == XFRM_EVENT_DEL) {
		if (e != NULL)
			iftab_link_remove(e);
		return;
	}
	memset(&l, 0, sizeof(l));
	l.ifindex = ev->ifindex;
	memcpy(l.name, ev->ifname, sizeof(l.name));
	l.name[sizeof(l.name) - 1] = '\0';
	l.flags = ev->flags;
	l.mtu = ev->mtu;
	l.operstate = ev->operstate;
	memcpy(l.kind, ev->kind, sizeof(l.kind));
	l.kind[sizeof(l.kind) - 1] = '\0';
	l.xfrm_if_id = ev->xfrm_if_id;
	if (e != NULL) {
		e->stale = 0;
		if (memcmp(&e->l, &l, sizeof(l)) == 0)
			return;
		c = XFRM_IFTAB_CHANGED;
	} else {
		if ((v = iftab_grow(tab.links, tab.nlinks, &tab.caplinks,
			 sizeof(*v))) == NULL)
			return;
		tab.links = v;
		e = &tab.links[tab.nlinks++];
	}
	e->l = l;
	e->stale = 0;
	iftab_tell_link(&e->l, c);
}

static uint64_t
iftab_deadline(uint32_t lft, uint64_t now)
{
	return lft == XFRM_LFT_FOREVER ? XFRM_IFTAB_FOREVER
	                               : now + (uint64_t)lft * 1000;
}

static int
iftab_near(uint64_t a, uint64_t b)
{
	return (a > b ? a - b : b - a) <= IFTAB_LFT_SLACK;
}

/* 1 if b says something a did not (a deadline moving by rounding does not) */
static int
iftab_addr_differs(const struct xfrm_iftab_addr *a,
    const struct xfrm_iftab_addr *b)
{
	return !xfrm_ip_eq(&a->peer, &b->peer) ||
	    a->prefixlen != b->prefixlen || a->scope != b->scope ||
	    a->flags != b->flags || !iftab_near(a->valid_until, b->valid_until) ||
	    !iftab_near(a->preferred_until, b->preferred_until);
}

static struct iftab_addr_ent *
iftab_addr_find(int ifindex, const struct xfrm_ip *ip, size_t *at)
{
	size_t i;

	for (i = 0; i < tab.naddrs; i++)
		if (tab.addrs[i].a.ifindex == ifindex &&
		    xfrm_ip_eq(&tab.addrs[i].a.addr, ip)) {
			*at = i;
			return &tab.addrs[i];
		}
	return NULL;
}

static void
iftab_on_addr(const struct xfrm_addr_event *ev, void *arg)
{
	struct iftab_addr_ent *e, *v;
	struct xfrm_iftab_addr a;
	enum xfrm_iftab_change c = XFRM_IFTAB_NEW;
	size_t at;

	(void)arg;
	e = iftab_addr_find(ev->ifindex, &ev->addr, &at);
	if (ev->type == XFRM_EVENT_DEL) {
		if (e != NULL)
			iftab_addr_remove(at);
		return;
	}
	memset(&a, 0, sizeof(a));
	a.ifindex = ev->ifindex;
	a.addr = ev->addr;
	a.peer = ev->peer;
	a.prefixlen = ev->prefixlen;
	a.scope = ev->scope;
	a.flags = ev->flags;
	a.valid_until = iftab_deadline(ev->valid_lft, ev_now());
	a.preferred_until = iftab_deadline(ev->preferred_lft, ev_now());
	if (e != NULL) {
		e->stale = 0;
		if (!iftab_addr_differs(&e->a, &a))
			return;
		c = XFRM_IFTAB_CHANGED;
	} else {
		if ((v = iftab_grow(tab.addrs, tab.naddrs, &tab.capaddrs,
			 sizeof(*v))) == NULL)
			return;
		tab.addrs = v;
		e = &tab.addrs[tab.naddrs++];
	}
	e->a = a;
	e->stale = 0;
	iftab_tell_addr(&e->a, c);
}

static void
iftab_sync_begin(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < tab.nlinks; i++)
		tab.links[i].stale = 1;
	for (i = 0; i < tab.naddrs; i++)
		tab.addrs[i].stale = 1;
}

/* What the dump did not show is gone (its events were lost). */
static void
iftab_sync_end(void *arg)
{
	size_t i = 0;

	(void)arg;
	while (i < tab.naddrs)
		if (tab.addrs[i].stale)
			iftab_addr_remove(i);
		else
			i++;
	i = 0;
	while (i < tab.nlinks)
		if (tab.links[i].stale)
			iftab_link_remove(&tab.links[i]);
		else
			i++;
}

/* --- life -------------------------------------------------------------- */

static const struct xfrm_monitor_cbs iftab_mon_cbs = {
    .sync_begin = iftab_sync_begin,
    .sync_end = iftab_sync_end,
    .link = iftab_on_link,
    .addr = iftab_on_addr,
};

/*
 * The modules that start after xfrm read the table at once (the source
 * address of a tunnel, a route's way out), so the first dump is waited
 * for here, once, instead of every reader coping with an empty table.
 */
int
xfrm_iftab_start(void)
{
	if (tab.mon >= 0)
		return 0;
	if ((tab.mon = xfrm_monitor_add(&iftab_mon_cbs, NULL)) < 0) {
		log_warnx("xfrm: no link/address monitor");
		return -1;
	}
	if (xfrm_monitor_settle(IFTAB_SETTLE_MS) == -1)
		log_warn("xfrm: the first link/address dump did not complete; "
		         "the table fills as it retries");
	return 0;
}

void
xfrm_iftab_stop(void)
{
	struct iftab_listener *n;

	if (tab.mon >= 0)
		xfrm_monitor_del(tab.mon);
	while ((n = tab.ls) != NULL) {
		tab.ls = n->next;
		free(n);
	}
	free(tab.links);
	free(tab.addrs);
	memset(&tab, 0, sizeof(tab));
	tab.mon = -1;
}
