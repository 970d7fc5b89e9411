/*
 * msg_rt.c: NETLINK_ROUTE requests: XFRM interfaces, their addresses,
 * routes and rules tagged with tsunagi's protocol number, and dumps.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "xfrm/codec.h"

#define RT_REQ (NLM_F_REQUEST | NLM_F_ACK)

static int
xfrm_ifname_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= XFRM_IFNAMSIZ || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return 0;
	return strcspn(name, "/: \t\n") == n;
}

/* RTM_NEWLINK kind "xfrm": IFLA_LINKINFO { KIND, DATA { LINK, IF_ID } }. */
struct nlmsghdr *
xfrm_msg_link_add(void *buf, size_t size, const char *name, uint32_t if_id,
    int link, unsigned mtu)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;

	if (!xfrm_ifname_ok(name) || !xfrm_ifid_ours(if_id) || link < 0) {
		errno = EINVAL;
		return NULL;
	}
	nlh = xfrm_nlmsg_start(buf, size, RTM_NEWLINK,
	    RT_REQ | NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	if (nlh == NULL ||
	    xfrm_attr_put(nlh, size, IFLA_IFNAME, name, strlen(name) + 1) ==
	        -1 ||
	    (mtu != 0 && xfrm_attr_put_u32(nlh, size, IFLA_MTU, mtu) == -1) ||
	    (info = mnl_attr_nest_start_check(nlh, size, IFLA_LINKINFO)) ==
	        NULL ||
	    xfrm_attr_put(nlh, size, IFLA_INFO_KIND, "xfrm", 5) == -1 ||
	    (data = mnl_attr_nest_start_check(nlh, size, IFLA_INFO_DATA)) ==
	        NULL ||
	    (link > 0 && xfrm_attr_put_u32(nlh, size, IFLA_XFRM_LINK,
	                     (uint32_t)link) == -1) ||
	    xfrm_attr_put_u32(nlh, size, IFLA_XFRM_IF_ID, if_id) == -1) {
		errno = ENOSPC;
		return NULL;
	}
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

/* RTM_GETLINK or RTM_DELLINK of one interface. */
struct nlmsghdr *
xfrm_msg_link_simple(void *buf, size_t size, uint16_t type, int ifindex)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};

	if (ifindex <= 0) {
		errno = EINVAL;
		return NULL;
	}
	return xfrm_nlmsg_start(buf, size, type, RT_REQ, &ifi, sizeof(ifi));
}

/*
 * RTM_NEWLINK on an existing interface: up/down (up < 0: keep), MTU.
 * Bringing it up or down also sets MULTICAST: the kernel makes XFRM
 * interfaces without it, and FRR and BIRD run OSPF on a point-to-point
 * interface only when it has it (so does the far end's view of ours).
 */
struct nlmsghdr *
xfrm_msg_link_set(void *buf, size_t size, int ifindex, int up, unsigned mtu)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nlmsghdr *nlh;

	if (ifindex <= 0) {
		errno = EINVAL;
		return NULL;
	}
	if (up >= 0) {
		ifi.ifi_change = IFF_UP | IFF_MULTICAST;
		ifi.ifi_flags = (up ? IFF_UP : 0) | IFF_MULTICAST;
	}
	nlh =
	    xfrm_nlmsg_start(buf, size, RTM_NEWLINK, RT_REQ, &ifi, sizeof(ifi));
	if (nlh == NULL ||
	    (mtu != 0 && xfrm_attr_put_u32(nlh, size, IFLA_MTU, mtu) == -1))
		return NULL;
	return nlh;
}

/*
 * RTM_NEWADDR/RTM_DELADDR of a host address (/32, /128), as an unnumbered
 * tunnel borrows the LAN's.  IPv6: no DAD (the peer cannot answer one
 * through a tunnel) and no prefix route (a /128 needs none).
 */
struct nlmsghdr *
xfrm_msg_addr(void *buf, size_t size, uint16_t type, int ifindex,
    const struct xfrm_ip *addr)
{
	struct ifaddrmsg ifa = {0};
	size_t alen = xfrm_ip_len(addr->family);
	struct nlmsghdr *nlh;
	uint16_t flags = RT_REQ;

	if (alen == 0 || ifindex <= 0 ||
	    (type != RTM_NEWADDR && type != RTM_DELADDR)) {
		errno = EINVAL;
		return NULL;
	}
	ifa.ifa_family = addr->family;
	ifa.ifa_prefixlen = (uint8_t)(alen * 8);
	ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	ifa.ifa_index = (uint32_t)ifindex;
	if (type == RTM_NEWADDR) {
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
		if (addr->family == AF_INET6)
			ifa.ifa_flags = IFA_F_NODAD;
	}
	nlh = xfrm_nlmsg_start(buf, size, type, flags, &ifa, sizeof(ifa));
	if (nlh == NULL ||
	    xfrm_attr_put(nlh, size, IFA_LOCAL, addr->raw, alen) == -1 ||
	    xfrm_attr_put(nlh, size, IFA_ADDRESS, addr->raw, alen) == -1 ||
	    (type == RTM_NEWADDR && addr->family == AF_INET6 &&
	        xfrm_attr_put_u32(nlh, size, IFA_FLAGS,
	            IFA_F_NODAD | IFA_F_NOPREFIXROUTE) == -1))
		return NULL;
	return nlh;
}

static int
xfrm_route_ok(const struct xfrm_route *rt, uint16_t type)
{
	int family = rt->dst.ip.family;

	if (xfrm_ip_len(family) == 0 || rt->dst.len > xfrm_ip_len(family) * 8)
		return 0;
	if (rt->gateway.family != 0 && rt->gateway.family != family)
		return 0;
	if (rt->prefsrc.family != 0 && rt->prefsrc.family != family)
		return 0;
	/* A unicast route needs a way out; a delete matches without one. */
	if (rt->type == XFRM_ROUTE_UNICAST)
		return type == RTM_DELROUTE || rt->oif > 0 ||
		       rt->gateway.family != 0;
	return rt->type == XFRM_ROUTE_BLACKHOLE ||
	       rt->type == XFRM_ROUTE_UNREACHABLE;
}

static void
xfrm_rtmsg_fill(struct rtmsg *rtm, uint16_t type, const struct xfrm_route *rt)
{
	static const uint8_t kind[] = {
	    RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE};
	uint32_t table = rt->table ? rt->table : RT_TABLE_MAIN;

	memset(rtm, 0, sizeof(*rtm));
	rtm->rtm_family = rt->dst.ip.family;
	rtm->rtm_dst_len = rt->dst.len;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	/* The kernel matches the protocol on delete: ours only. */
	rtm->rtm_protocol = XFRM_RTPROT;
	rtm->rtm_type = kind[rt->type];
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE; /* any scope */
	else if (rt->dst.ip.family == AF_INET &&
	         rt->type == XFRM_ROUTE_UNICAST && rt->gateway.family == 0)
		rtm->rtm_scope = RT_SCOPE_LINK;
	else
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
}

/* RTM_NEWROUTE (flags pick add or replace) or RTM_DELROUTE. */
struct nlmsghdr *
xfrm_msg_route(void *buf, size_t size, uint16_t type, uint16_t flags,
    const struct xfrm_route *rt)
{
	size_t alen = xfrm_ip_len(rt->dst.ip.family);
	uint32_t table = rt->table ? rt->table : RT_TABLE_MAIN;
	struct nlmsghdr *nlh;
	struct rtmsg rtm;

	if (!xfrm_route_ok(rt, type) ||
	    (type != RTM_NEWROUTE && type != RTM_DELROUTE)) {
		errno = EINVAL;
		return NULL;
	}
	xfrm_rtmsg_fill(&rtm, type, rt);
	nlh = xfrm_nlmsg_start(
	    buf, size, type, RT_REQ | flags, &rtm, sizeof(rtm));
	if (nlh == NULL ||
	    xfrm_attr_put_u32(nlh, size, RTA_TABLE, table) == -1 ||
	    (rt->dst.len > 0 && xfrm_attr_put(nlh, size, RTA_DST,
	                            rt->dst.ip.raw, alen) == -1) ||
	    (rt->metric != 0 &&
	        xfrm_attr_put_u32(nlh, size, RTA_PRIORITY, rt->metric) == -1) ||
	    (rt->oif > 0 && xfrm_attr_put_u32(
	                        nlh, size, RTA_OIF, (uint32_t)rt->oif) == -1) ||
	    (rt->gateway.family != 0 && xfrm_attr_put(nlh, size, RTA_GATEWAY,
	                                    rt->gateway.raw, alen) == -1) ||
	    (rt->prefsrc.family != 0 && xfrm_attr_put(nlh, size, RTA_PREFSRC,
	                                    rt->prefsrc.raw, alen) == -1))
		return NULL;
	return nlh;
}

/* RTM_GETROUTE for one destination: the route the kernel would use,
 * leaving by interface oif when oif > 0. */
struct nlmsghdr *
xfrm_msg_route_get(
    void *buf, size_t size, const struct xfrm_ip *dst, int oif)
{
	size_t alen = xfrm_ip_len(dst->family);
	struct nlmsghdr *nlh;
	struct rtmsg rtm;

	if (alen == 0) {
		errno = EINVAL;
		return NULL;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = dst->family;
	rtm.rtm_dst_len = (uint8_t)(alen * 8);
	nlh = xfrm_nlmsg_start(
	    buf, size, RTM_GETROUTE, RT_REQ, &rtm, sizeof(rtm));
	if (nlh == NULL ||
	    xfrm_attr_put(nlh, size, RTA_DST, dst->raw, alen) == -1 ||
	    (oif > 0 &&
	        xfrm_attr_put_u32(nlh, size, RTA_OIF, (uint32_t)oif) == -1))
		return NULL;
	return nlh;
}

/* RTM_NEWRULE/RTM_DELRULE "from SRC lookup TABLE priority P proto 213". */
struct nlmsghdr *
xfrm_msg_rule(void *buf, size_t size, uint16_t type, uint16_t flags,
    const struct xfrm_rule *rule)
{
	size_t alen = xfrm_ip_len(rule->src.ip.family);
	struct fib_rule_hdr frh;
	struct nlmsghdr *nlh;
	uint8_t proto = XFRM_RTPROT;

	if (alen == 0 || rule->src.len > alen * 8 || rule->table == 0 ||
	    rule->priority == 0 ||
	    (type != RTM_NEWRULE && type != RTM_DELRULE)) {
		errno = EINVAL;
		return NULL;
	}
	memset(&frh, 0, sizeof(frh));
	frh.family = rule->src.ip.family;
	frh.src_len = rule->src.len;
	frh.table = rule->table < 256 ? (uint8_t)rule->table : RT_TABLE_UNSPEC;
	frh.action = FR_ACT_TO_TBL;
	nlh = xfrm_nlmsg_start(
	    buf, size, type, RT_REQ | flags, &frh, sizeof(frh));
	if (nlh == NULL ||
	    xfrm_attr_put_u32(nlh, size, FRA_TABLE, rule->table) == -1 ||
	    xfrm_attr_put_u32(nlh, size, FRA_PRIORITY, rule->priority) == -1 ||
	    (rule->src.len > 0 && xfrm_attr_put(nlh, size, FRA_SRC,
	                              rule->src.ip.raw, alen) == -1) ||
	    xfrm_attr_put(nlh, size, FRA_PROTOCOL, &proto, 1) == -1)
		return NULL;
	return nlh;
}

/*
 * Dump requests.  With NETLINK_GET_STRICT_CHK the kernel filters route
 * dumps by protocol itself; without it we still filter what comes back.
 */
struct nlmsghdr *
xfrm_msg_rt_dump(
    void *buf, size_t size, uint16_t type, int family, uint8_t protocol)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_DUMP;

	switch (type) {
	case RTM_GETLINK: {
		struct ifinfomsg ifi = {.ifi_family = (uint8_t)family};

		return xfrm_nlmsg_start(
		    buf, size, type, flags, &ifi, sizeof(ifi));
	}
	case RTM_GETADDR: {
		struct ifaddrmsg ifa = {.ifa_family = (uint8_t)family};

		return xfrm_nlmsg_start(
		    buf, size, type, flags, &ifa, sizeof(ifa));
	}
	case RTM_GETROUTE: {
		struct rtmsg rtm = {
		    .rtm_family = (uint8_t)family, .rtm_protocol = protocol};

		return xfrm_nlmsg_start(
		    buf, size, type, flags, &rtm, sizeof(rtm));
	}
	case RTM_GETRULE: {
		struct fib_rule_hdr frh = {.family = (uint8_t)family};

		return xfrm_nlmsg_start(
		    buf, size, type, flags, &frh, sizeof(frh));
	}
	}
	errno = EINVAL;
	return NULL;
}
