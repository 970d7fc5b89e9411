/*
 * iftab.h: the kernel's links and addresses, kept once for all of
 * tsunagid.  xfrm's netlink monitor feeds it; every other module reads it
 * here and hears of changes through xfrm_iftab_listen(), never by asking
 * the kernel itself (no getifaddrs, no ioctl, no table of its own).
 */
#ifndef TSUNAGI_XFRM_IFTAB_H
#define TSUNAGI_XFRM_IFTAB_H

#include <stddef.h>
#include <stdint.h>

#include "xfrm/xfrm.h"

#define XFRM_IFTAB_FOREVER UINT64_MAX

struct xfrm_iftab_link {
	int ifindex;
	char name[XFRM_IFNAMSIZ];
	unsigned flags; /* IFF_UP, IFF_RUNNING, IFF_LOWER_UP ... */
	uint32_t mtu;
	uint8_t operstate;        /* IF_OPER_* */
	char kind[XFRM_IFNAMSIZ]; /* "xfrm", "veth", "" ... */
	uint32_t xfrm_if_id;      /* kind "xfrm" only */
};

/*
 * One address.  The kernel reports the lifetime left at the moment of each
 * message; the table keeps absolute deadlines (ev_now() ms) so that two
 * reports of the same address compare and are not a change.
 */
struct xfrm_iftab_addr {
	int ifindex;
	struct xfrm_ip addr;
	struct xfrm_ip peer; /* point-to-point (PPP) peer, family 0 if none */
	uint8_t prefixlen;
	uint8_t scope;
	uint32_t flags; /* IFA_F_* */
	uint64_t valid_until, preferred_until; /* ms or XFRM_IFTAB_FOREVER */
};

enum xfrm_iftab_change {
	XFRM_IFTAB_NEW = 0,
	XFRM_IFTAB_CHANGED,
	XFRM_IFTAB_GONE,
};

/*
 * Change notifications, after the table itself has changed (a lookup from
 * a hook sees the new state; on GONE the entry passed is a copy of the
 * last one).  A link's addresses go before the link does.  In an address
 * hook, `l` is the address's link, NULL if the kernel never described it.
 * Either hook may be NULL; a hook may listen or unlisten.
 */
struct xfrm_iftab_cbs {
	void (*link)(const struct xfrm_iftab_link *l,
	    enum xfrm_iftab_change change, void *arg);
	void (*addr)(const struct xfrm_iftab_link *l,
	    const struct xfrm_iftab_addr *a, enum xfrm_iftab_change change,
	    void *arg);
};

/* xfrm's module: fills the table (blocking on the first dump) or -1. */
int xfrm_iftab_start(void);
void xfrm_iftab_stop(void);

/* 0, or -1 on allocation failure.  (cbs, arg) names the listener. */
int xfrm_iftab_listen(const struct xfrm_iftab_cbs *cbs, void *arg);
void xfrm_iftab_unlisten(const struct xfrm_iftab_cbs *cbs, void *arg);

/* Valid until the table next changes: copy what you keep.  NULL if none. */
const struct xfrm_iftab_link *xfrm_iftab_link_by_name(const char *name);

/*
 * The MTU a tunnel's XFRM interface gets: mtu ("ip mtu") when not 0,
 * else what our largest ESP overhead leaves of the MTU of the uplink
 * named outgoing (1500 when it is unknown), for outer addresses of
 * family af.  The interface and its MSS clamping both take it from here.
 */
unsigned xfrm_iftab_tunnel_mtu(unsigned mtu, const char *outgoing, int af);
const struct xfrm_iftab_link *xfrm_iftab_link_by_index(int ifindex);
/* The i-th link (0 .. count-1), in no particular order. */
size_t xfrm_iftab_link_count(void);
const struct xfrm_iftab_link *xfrm_iftab_link_at(size_t i);

/*
 * The addresses of a link of family af (0: both) in the order the kernel
 * reported them; returns how many there are (at most max are copied).
 */
size_t xfrm_iftab_addrs(
    int ifindex, int af, struct xfrm_iftab_addr *out, size_t max);
/*
 * The first address of the named link a packet can leave from: for IPv6
 * not link-local, loopback or multicast, and never a tentative or
 * duplicate one.  0, or -1 if there is none.
 */
int xfrm_iftab_source(const char *name, int af, struct xfrm_ip *out);

#endif
