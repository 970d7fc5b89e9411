/*
 * linkwatch.c: carrier and address changes of the Linux interfaces the
 * file names (uplinks, LANs), as events: "link-down wan6: no carrier",
 * "address-added ppp0: 198.51.100.23/32".  Only what a person follows:
 * addresses a packet may leave from (no link-local, tentative or
 * duplicate ones), and the carrier, not every flag.
 */
#include <linux/if.h>
#include <linux/if_addr.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/evlog.h"
#include "daemon/linkwatch.h"
#include "xfrm/iftab.h"

#define LW_LINKS 64
#define LW_ADDRS 128

static struct {
	const struct conf *conf;
	struct {
		char name[XFRM_IFNAMSIZ];
		int carrier; /* -1: not seen */
	} seen[LW_LINKS];
	size_t nseen;
	struct {
		int ifindex;
		struct xfrm_ip ip;
	} addrs[LW_ADDRS]; /* those said added and not yet removed */
	size_t naddrs;
	int listening;
} lw;

static int
lw_named(const char *name)
{
	size_t i;

	for (i = 0; lw.conf != NULL && i < lw.conf->noslinks; i++)
		if (strcmp(lw.conf->oslinks[i].name, name) == 0)
			return 1;
	return 0;
}

/* The carrier as last seen, for a change to be a change; -1: unknown. */
static int *
lw_carrier(const char *name)
{
	size_t i;

	for (i = 0; i < lw.nseen; i++)
		if (strcmp(lw.seen[i].name, name) == 0)
			return &lw.seen[i].carrier;
	if (lw.nseen == LW_LINKS)
		return NULL;
	snprintf(lw.seen[i].name, sizeof(lw.seen[i].name), "%s", name);
	lw.seen[i].carrier = -1;
	lw.nseen++;
	return &lw.seen[i].carrier;
}

static void
lw_link(
    const struct xfrm_iftab_link *l, enum xfrm_iftab_change change, void *arg)
{
	int now = change != XFRM_IFTAB_GONE && (l->flags & IFF_LOWER_UP), *was;

	(void)arg;
	if (!lw_named(l->name) || (was = lw_carrier(l->name)) == NULL)
		return;
	if (change == XFRM_IFTAB_GONE)
		evlog("link-down", l->name, "the interface is gone");
	else if (*was != -1 && *was != now)
		evlog(now ? "link-up" : "link-down", l->name, "%s",
		    now ? "carrier" : "no carrier");
	*was = change == XFRM_IFTAB_GONE ? -1 : now;
}

/* An address a packet can leave from: not link-local, not on trial. */
static int
lw_usable(const struct xfrm_iftab_addr *a)
{
	if (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return 0;
	return a->addr.family != AF_INET6 ||
	       !IN6_IS_ADDR_LINKLOCAL(&a->addr.v6);
}

/* Where a in the table of addresses said added, or naddrs. */
static size_t
lw_addr_find(const struct xfrm_iftab_addr *a)
{
	size_t i;

	for (i = 0; i < lw.naddrs; i++)
		if (lw.addrs[i].ifindex == a->ifindex &&
		    xfrm_ip_eq(&lw.addrs[i].ip, &a->addr))
			break;
	return i;
}

/*
 * Said once when an address becomes usable (an IPv6 one when its DAD is
 * over, a change after its NEW), once when it goes or becomes unusable;
 * a refreshed lifetime is no news.
 */
static void
lw_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change change, void *arg)
{
	int now = change != XFRM_IFTAB_GONE && lw_usable(a);
	size_t i = lw_addr_find(a);
	char ip[64];

	(void)arg;
	if (l == NULL || !lw_named(l->name) || now == (i < lw.naddrs))
		return;
	if (now) {
		if (lw.naddrs == LW_ADDRS)
			return;
		lw.addrs[lw.naddrs].ifindex = a->ifindex;
		lw.addrs[lw.naddrs++].ip = a->addr;
	} else
		lw.addrs[i] = lw.addrs[--lw.naddrs];
	evlog(now ? "address-added" : "address-removed", l->name, "%s/%u",
	    xfrm_ip_fmt(&a->addr, ip, sizeof(ip)), a->prefixlen);
}

static const struct xfrm_iftab_cbs lw_cbs = {.link = lw_link, .addr = lw_addr};

/* The carrier and addresses of each named link now: news is a change. */
static void
lw_use(const struct conf *c)
{
	const struct xfrm_iftab_link *l;
	int *was;
	size_t i;

	struct xfrm_iftab_addr a[16];
	size_t n, j;

	lw.conf = c;
	lw.naddrs = 0;
	for (i = 0; i < c->noslinks; i++) {
		if ((l = xfrm_iftab_link_by_name(c->oslinks[i].name)) == NULL)
			continue;
		if ((was = lw_carrier(l->name)) != NULL)
			*was = (l->flags & IFF_LOWER_UP) != 0;
		n = xfrm_iftab_addrs(l->ifindex, 0, a, 16);
		for (j = 0; j < n && j < 16 && lw.naddrs < LW_ADDRS; j++)
			if (lw_usable(&a[j])) {
				lw.addrs[lw.naddrs].ifindex = a[j].ifindex;
				lw.addrs[lw.naddrs++].ip = a[j].addr;
			}
	}
}

static int
lw_start(const struct conf *c)
{
	if (xfrm_iftab_listen(&lw_cbs, NULL) == -1)
		return -1;
	lw.listening = 1;
	lw_use(c);
	return 0;
}

static int
lw_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	lw_use(new);
	return 0;
}

static void
lw_stop(void)
{
	if (lw.listening)
		xfrm_iftab_unlisten(&lw_cbs, NULL);
	lw.listening = 0;
	lw.conf = NULL;
	lw.nseen = 0;
}

const struct tsunagi_module linkwatch_module = {
    .name = "linkwatch",
    .start = lw_start,
    .reload = lw_reload,
    .stop = lw_stop,
};
