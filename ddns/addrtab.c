/*
 * addrtab.c: the addresses of every interface as netlink last described
 * them, with lifetimes made absolute.  A dump (sync_begin..sync_end)
 * replaces the table wholesale, so events lost to ENOBUFS cannot leave a
 * stale address behind to be published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ddns/internal.h"

struct tab_ent {
	int ifindex;
	char ifname[DDNS_IFNAMSIZ];
	struct ddns_addr a;
	int stale;
};

struct link_ent {
	int ifindex;
	char ifname[DDNS_IFNAMSIZ];
};

#define TAB_MAX 1024 /* a bound against a hostile number of addresses */

static struct {
	struct tab_ent *v;
	size_t n, cap;
	struct link_ent *links;
	size_t nlinks;
	int syncing;
} tab;

static const char *
link_name(int ifindex)
{
	size_t i;

	for (i = 0; i < tab.nlinks; i++)
		if (tab.links[i].ifindex == ifindex)
			return tab.links[i].ifname;
	return "";
}

void
ddns_addrtab_link(int ifindex, const char *ifname, int gone)
{
	size_t i;
	struct link_ent *n;

	for (i = 0; i < tab.nlinks; i++)
		if (tab.links[i].ifindex == ifindex)
			break;
	if (gone) {
		if (i < tab.nlinks)
			tab.links[i] = tab.links[--tab.nlinks];
		return;
	}
	if (i == tab.nlinks) {
		if (tab.nlinks >= TAB_MAX ||
		    (n = realloc(tab.links, (tab.nlinks + 1) * sizeof(*n))) ==
		        NULL)
			return;
		tab.links = n;
		tab.nlinks++;
	}
	tab.links[i].ifindex = ifindex;
	snprintf(tab.links[i].ifname, DDNS_IFNAMSIZ, "%s", ifname);
}

static struct tab_ent *
tab_find(int ifindex, const struct ddns_addr *a)
{
	size_t i;

	for (i = 0; i < tab.n; i++)
		if (tab.v[i].ifindex == ifindex && tab.v[i].a.af == a->af &&
		    memcmp(tab.v[i].a.a, a->a, 16) == 0)
			return &tab.v[i];
	return NULL;
}

static struct tab_ent *
tab_add(void)
{
	struct tab_ent *n;
	size_t cap;

	if (tab.n == tab.cap) {
		cap = tab.cap ? tab.cap * 2 : 16;
		if (cap > TAB_MAX ||
		    (n = realloc(tab.v, cap * sizeof(*n))) == NULL) {
			log_warnx("ddns: address table full");
			return NULL;
		}
		tab.v = n;
		tab.cap = cap;
	}
	return &tab.v[tab.n++];
}

void
ddns_addrtab_event(
    int ifindex, const char *ifname, const struct ddns_addr *a, int new)
{
	struct tab_ent *e = tab_find(ifindex, a);

	if (ifname == NULL || ifname[0] == '\0')
		ifname = link_name(ifindex);
	if (!new) {
		if (e != NULL)
			*e = tab.v[--tab.n];
	} else {
		if (e == NULL && (e = tab_add()) == NULL)
			return;
		e->ifindex = ifindex;
		snprintf(e->ifname, DDNS_IFNAMSIZ, "%s", ifname);
		e->a = *a;
		e->stale = 0;
	}
	if (!tab.syncing)
		ddns_profiles_kick(ifname);
}

void
ddns_addrtab_sync_begin(void)
{
	size_t i;

	tab.syncing = 1;
	for (i = 0; i < tab.n; i++)
		tab.v[i].stale = 1;
}

void
ddns_addrtab_sync_end(void)
{
	size_t i = 0;

	while (i < tab.n)
		if (tab.v[i].stale)
			tab.v[i] = tab.v[--tab.n];
		else
			i++;
	tab.syncing = 0;
	ddns_profiles_kick(NULL);
}

/* The interface's addresses in the order the kernel reported them. */
size_t
ddns_addrtab_get(const char *ifname, int af, struct ddns_addr *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < tab.n && n < max; i++)
		if (tab.v[i].a.af == af && strcmp(tab.v[i].ifname, ifname) == 0)
			out[n++] = tab.v[i].a;
	return n;
}

void
ddns_addrtab_clear(void)
{
	free(tab.v);
	free(tab.links);
	memset(&tab, 0, sizeof(tab));
}

void
ddns_addr_event(int ifindex, const char *ifname, int af, const uint8_t *addr,
    int prefixlen, int scope, uint32_t flags, uint32_t valid_lft,
    uint32_t preferred_lft, int has_peer, int new)
{
	struct ddns_addr a;

	if (af != AF_INET && af != AF_INET6)
		return;
	memset(&a, 0, sizeof(a));
	a.af = af;
	memcpy(a.a, addr, af == AF_INET ? 4 : 16);
	a.plen = (uint8_t)prefixlen;
	a.scope = (uint8_t)scope;
	a.flags = flags;
	a.has_peer = has_peer;
	ddns_addr_set_lft(&a, valid_lft, preferred_lft, ev_now());
	ddns_addrtab_event(ifindex, ifname, &a, new);
}
