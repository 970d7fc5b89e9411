/*
 * test_iftab: the interface table without a kernel: link and address
 * events go in as the monitor would deliver them, lookups and change
 * notifications come out.  Checks that only differences are told, that a
 * resynchronisation sweeps what the dump did not show (addresses before
 * their link), lifetime rounding, source selection, and listeners that
 * leave during a notification.  Includes iftab.c to reach its feed.
 */
#include "xfrm/iftab.c"

#include <arpa/inet.h>
#include <net/if.h>

#include "tests/unit/tap.h"

static struct {
	int link[3], addr[3]; /* per enum xfrm_iftab_change */
	char last_link[XFRM_IFNAMSIZ], last_addr_link[XFRM_IFNAMSIZ];
	int addr_link_known_at_gone;
	char order[64]; /* "a" per address GONE, "l" per link GONE */
} got;

static void
reset(void)
{
	memset(&got, 0, sizeof(got));
}

static void
cb_link(const struct xfrm_iftab_link *l, enum xfrm_iftab_change c, void *arg)
{
	(void)arg;
	got.link[c]++;
	snprintf(got.last_link, sizeof(got.last_link), "%s", l->name);
	if (c == XFRM_IFTAB_GONE)
		strcat(got.order, "l");
}

static void
cb_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change c, void *arg)
{
	(void)a, (void)arg;
	got.addr[c]++;
	snprintf(got.last_addr_link, sizeof(got.last_addr_link), "%s",
	    l != NULL ? l->name : "");
	if (c == XFRM_IFTAB_GONE) {
		strcat(got.order, "a");
		got.addr_link_known_at_gone += l != NULL;
	}
}

static const struct xfrm_iftab_cbs cbs = {cb_link, cb_addr};

static void
link_ev(int type, int ifindex, const char *name, unsigned flags, uint32_t mtu)
{
	struct xfrm_link_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ifindex = ifindex;
	snprintf(ev.ifname, sizeof(ev.ifname), "%s", name);
	ev.flags = flags;
	ev.mtu = mtu;
	iftab_on_link(&ev, NULL);
}

static void
addr_ev(int type, int ifindex, const char *addr, uint32_t flags,
    uint32_t valid)
{
	struct xfrm_addr_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ifindex = ifindex;
	xfrm_ip_parse(addr, &ev.addr);
	ev.prefixlen = ev.addr.family == AF_INET ? 24 : 64;
	ev.flags = flags;
	ev.valid_lft = ev.preferred_lft = valid;
	iftab_on_addr(&ev, NULL);
}

static const char *
source(const char *name, int af)
{
	static char buf[64];
	struct xfrm_ip ip;

	if (xfrm_iftab_source(name, af, &ip) == -1)
		return "none";
	return xfrm_ip_fmt(&ip, buf, sizeof(buf));
}

static void
t_links(void)
{
	const struct xfrm_iftab_link *l;

	reset();
	link_ev(XFRM_EVENT_NEW, 2, "lan0", IFF_UP, 1500);
	link_ev(XFRM_EVENT_NEW, 3, "wan6", IFF_UP, 1500);
	is_int(got.link[XFRM_IFTAB_NEW], 2, "two new links told");
	is_int(xfrm_iftab_link_count(), 2, "two links kept");
	l = xfrm_iftab_link_by_name("wan6");
	ok(l != NULL && l->ifindex == 3, "wan6 found by name");
	l = xfrm_iftab_link_by_index(2);
	ok(l != NULL && strcmp(l->name, "lan0") == 0, "lan0 found by index");
	ok(xfrm_iftab_link_by_name("lan1") == NULL, "lan1 is not there");

	link_ev(XFRM_EVENT_NEW, 2, "lan0", IFF_UP, 1500);
	is_int(got.link[XFRM_IFTAB_CHANGED], 0, "the same state again is silent");
	link_ev(XFRM_EVENT_NEW, 2, "lan0", IFF_UP, 1400);
	is_int(got.link[XFRM_IFTAB_CHANGED], 1, "an MTU change is told");
	is_int(xfrm_iftab_link_by_name("lan0")->mtu, 1400, "and kept");
	link_ev(XFRM_EVENT_NEW, 2, "lan1", IFF_UP, 1400);
	is_str(got.last_link, "lan1", "a rename is a change of the same link");
	ok(xfrm_iftab_link_by_name("lan0") == NULL &&
	       xfrm_iftab_link_by_name("lan1") != NULL,
	    "the new name is found, the old one not");
	link_ev(XFRM_EVENT_NEW, 2, "lan0", IFF_UP, 1500);
}

static void
t_addrs(void)
{
	struct xfrm_iftab_addr v[8];
	uint64_t now = ev_now();

	reset();
	addr_ev(XFRM_EVENT_NEW, 2, "192.168.1.1", IFA_F_PERMANENT,
	    XFRM_LFT_FOREVER);
	addr_ev(XFRM_EVENT_NEW, 3, "fe80::2", IFA_F_PERMANENT, XFRM_LFT_FOREVER);
	addr_ev(XFRM_EVENT_NEW, 3, "2001:db8:1::2", IFA_F_TENTATIVE, 3600);
	is_int(got.addr[XFRM_IFTAB_NEW], 3, "three new addresses told");
	is_str(got.last_addr_link, "wan6", "with their link");
	is_str(source("lan0", AF_INET), "192.168.1.1", "lan0's IPv4 source");
	is_str(source("wan6", AF_INET6), "none",
	    "no IPv6 source while the global one is tentative");
	addr_ev(XFRM_EVENT_NEW, 3, "2001:db8:1::2", 0, 3600);
	is_int(got.addr[XFRM_IFTAB_CHANGED], 1, "the end of DAD is a change");
	is_str(source("wan6", AF_INET6), "2001:db8:1::2",
	    "then it is the source (never the link-local one)");
	is_str(source("wan6", AF_INET), "none", "wan6 has no IPv4 address");
	is_str(source("ppp0", AF_INET), "none", "an unknown link has none");

	is_int(xfrm_iftab_addrs(3, AF_INET6, v, 8), 2, "wan6 has two IPv6");
	ok(v[1].valid_until >= now + 3600 * 1000 &&
	       v[1].valid_until <= ev_now() + 3600 * 1000,
	    "lifetimes kept as absolute deadlines");
	is_int(xfrm_iftab_addrs(3, 0, v, 1), 2,
	    "the count is whole even where fewer are copied");
	addr_ev(XFRM_EVENT_NEW, 3, "2001:db8:1::2", 0, 3600);
	is_int(got.addr[XFRM_IFTAB_CHANGED], 1,
	    "the same deadline told again is no change");
	addr_ev(XFRM_EVENT_NEW, 3, "2001:db8:1::2", 0, 7200);
	is_int(got.addr[XFRM_IFTAB_CHANGED], 2, "a renewed lifetime is");

	addr_ev(XFRM_EVENT_NEW, 2, "192.168.1.2", IFA_F_PERMANENT,
	    XFRM_LFT_FOREVER);
	addr_ev(XFRM_EVENT_DEL, 2, "192.168.1.1", 0, 0);
	is_int(got.addr[XFRM_IFTAB_GONE], 1, "a removed address is told");
	is_str(source("lan0", AF_INET), "192.168.1.2",
	    "the source follows the renumbering");
	addr_ev(XFRM_EVENT_DEL, 2, "192.168.1.1", 0, 0);
	is_int(got.addr[XFRM_IFTAB_GONE], 1, "removing it twice is silent");
}

static void
t_link_gone(void)
{
	struct xfrm_iftab_addr v[8];

	reset();
	link_ev(XFRM_EVENT_NEW, 7, "ppp0", IFF_UP, 1492);
	addr_ev(XFRM_EVENT_NEW, 7, "198.51.100.10", 0, XFRM_LFT_FOREVER);
	link_ev(XFRM_EVENT_DEL, 7, "ppp0", 0, 0);
	is_str(got.order, "al", "a link's addresses go before the link");
	is_int(got.addr_link_known_at_gone, 1,
	    "an address leaving still names its link");
	is_int(xfrm_iftab_addrs(7, 0, v, 8), 0, "ppp0's address is gone");
	ok(xfrm_iftab_link_by_name("ppp0") == NULL, "so is ppp0");
}

static void
t_resync(void)
{
	struct xfrm_iftab_addr v[8];

	/* The kernel dropped events: lan0 lost its address, wan6 went. */
	reset();
	iftab_sync_begin(NULL);
	link_ev(XFRM_EVENT_NEW, 2, "lan0", IFF_UP, 1500);
	addr_ev(XFRM_EVENT_NEW, 2, "192.168.1.2", IFA_F_PERMANENT,
	    XFRM_LFT_FOREVER);
	link_ev(XFRM_EVENT_NEW, 9, "ppp0", IFF_UP, 1492);
	iftab_sync_end(NULL);
	is_int(got.link[XFRM_IFTAB_CHANGED], 0, "unchanged lan0 is silent");
	is_int(got.addr[XFRM_IFTAB_CHANGED] + got.addr[XFRM_IFTAB_NEW], 0,
	    "its unchanged address too");
	is_int(got.link[XFRM_IFTAB_NEW], 1, "the link the dump found is new");
	is_int(got.addr[XFRM_IFTAB_GONE], 2, "wan6's two addresses swept");
	is_int(got.link[XFRM_IFTAB_GONE], 1, "and wan6 itself");
	is_str(got.order, "aal", "addresses before their link");
	ok(xfrm_iftab_link_by_name("wan6") == NULL, "wan6 is not found");
	is_int(xfrm_iftab_addrs(2, 0, v, 8), 1, "lan0 keeps its address");
}

static int calls;

static void
cb_leave(const struct xfrm_iftab_link *l, enum xfrm_iftab_change c, void *arg)
{
	(void)l, (void)c;
	calls++;
	xfrm_iftab_unlisten(arg, arg);
}

static void
t_leave(void)
{
	static const struct xfrm_iftab_cbs leave = {.link = cb_leave};

	reset();
	calls = 0;
	ok(xfrm_iftab_listen(&leave, (void *)&leave) == 0, "a second listener");
	link_ev(XFRM_EVENT_NEW, 11, "lan2", IFF_UP, 1500);
	link_ev(XFRM_EVENT_NEW, 12, "lan3", IFF_UP, 1500);
	is_int(calls, 1, "a listener that left in its hook hears no more");
	is_int(got.link[XFRM_IFTAB_NEW], 2, "the others still hear");
}

int
main(void)
{
	ok(xfrm_iftab_listen(&cbs, NULL) == 0, "listen");
	t_links();
	t_addrs();
	t_link_gone();
	t_resync();
	t_leave();
	xfrm_iftab_unlisten(&cbs, NULL);
	reset();
	link_ev(XFRM_EVENT_NEW, 13, "lan4", IFF_UP, 1500);
	is_int(got.link[XFRM_IFTAB_NEW], 0, "unlistened: nothing heard");
	xfrm_iftab_stop();
	ok(xfrm_iftab_link_count() == 0, "stop empties the table");
	return tap_done();
}
