/*
 * parse_rt.c: NETLINK_ROUTE messages from the kernel (link and address
 * events and dumps, route and rule dumps) into plain structs.  Every
 * attribute we read is length-checked first.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "xfrm/codec.h"

static const struct xfrm_attr_rule link_rules[IFLA_MAX + 1] = {
    [IFLA_IFNAME] = {1, 0},
    [IFLA_MTU] = {4, 4},
    [IFLA_LINK] = {4, 4},
    [IFLA_OPERSTATE] = {1, 1},
};

static const struct xfrm_attr_rule stats_rules[IFLA_MAX + 1] = {
    [IFLA_STATS64] = {sizeof(struct rtnl_link_stats64), 0},
};

static const struct xfrm_attr_rule info_rules[IFLA_INFO_MAX + 1] = {
    [IFLA_INFO_KIND] = {1, 0},
};

static const struct xfrm_attr_rule xfrmi_rules[IFLA_XFRM_MAX + 1] = {
    [IFLA_XFRM_LINK] = {4, 4},
    [IFLA_XFRM_IF_ID] = {4, 4},
};

static const struct xfrm_attr_rule addr_rules[IFA_MAX + 1] = {
    [IFA_ADDRESS] = {4, 16},
    [IFA_LOCAL] = {4, 16},
    [IFA_LABEL] = {1, 0},
    [IFA_FLAGS] = {4, 4},
    [IFA_CACHEINFO] = {sizeof(struct ifa_cacheinfo), 0},
};

static const struct xfrm_attr_rule route_rules[RTA_MAX + 1] = {
    [RTA_DST] = {4, 16},
    [RTA_GATEWAY] = {4, 16},
    [RTA_PREFSRC] = {4, 16},
    [RTA_OIF] = {4, 4},
    [RTA_PRIORITY] = {4, 4},
    [RTA_TABLE] = {4, 4},
};

static const struct xfrm_attr_rule rule_rules[FRA_MAX + 1] = {
    [FRA_SRC] = {4, 16},
    [FRA_DST] = {4, 16},
    [FRA_TABLE] = {4, 4},
    [FRA_PRIORITY] = {4, 4},
    [FRA_PROTOCOL] = {1, 1},
};

/* A string attribute into a fixed buffer, NUL-terminated whatever came. */
static void
xfrm_str_get(char *dst, size_t size, const struct nlattr *a)
{
	size_t n = mnl_attr_get_payload_len(a);

	if (n >= size)
		n = size - 1;
	memcpy(dst, mnl_attr_get_payload(a), n);
	dst[n] = '\0';
}

/* An address attribute must be exactly as long as the family says. */
static int
xfrm_ip_attr(struct xfrm_ip *ip, const struct nlattr *a, int family)
{
	size_t len = xfrm_ip_len(family);

	memset(ip, 0, sizeof(*ip));
	if (a == NULL)
		return 0;
	if (len == 0 || mnl_attr_get_payload_len(a) != len) {
		errno = ERANGE;
		return -1;
	}
	ip->family = (uint8_t)family;
	memcpy(ip->raw, mnl_attr_get_payload(a), len);
	return 0;
}

static int
xfrm_linkinfo_get(struct xfrm_link_event *ev, const struct nlattr *info)
{
	const struct nlattr *it[IFLA_INFO_MAX + 1], *xt[IFLA_XFRM_MAX + 1];

	if (xfrm_attr_parse_nested(info, info_rules, IFLA_INFO_MAX, it) == -1)
		return -1;
	if (it[IFLA_INFO_KIND])
		xfrm_str_get(ev->kind, sizeof(ev->kind), it[IFLA_INFO_KIND]);
	if (strcmp(ev->kind, "xfrm") != 0 || !it[IFLA_INFO_DATA])
		return 0;
	if (xfrm_attr_parse_nested(
	        it[IFLA_INFO_DATA], xfrmi_rules, IFLA_XFRM_MAX, xt) == -1)
		return -1;
	if (xt[IFLA_XFRM_IF_ID])
		ev->xfrm_if_id = mnl_attr_get_u32(xt[IFLA_XFRM_IF_ID]);
	if (xt[IFLA_XFRM_LINK])
		ev->link = (int)mnl_attr_get_u32(xt[IFLA_XFRM_LINK]);
	return 0;
}

/* RTM_NEWLINK / RTM_DELLINK. */
int
xfrm_parse_link(const struct nlmsghdr *nlh, struct xfrm_link_event *ev)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &ifi, sizeof(ifi)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(ifi), link_rules, IFLA_MAX, tb) == -1)
		return -1;
	if (ifi.ifi_index <= 0) {
		errno = EINVAL;
		return -1;
	}
	memset(ev, 0, sizeof(*ev));
	ev->type =
	    nlh->nlmsg_type == RTM_NEWLINK ? XFRM_EVENT_NEW : XFRM_EVENT_DEL;
	ev->ifindex = ifi.ifi_index;
	ev->flags = ifi.ifi_flags;
	if (tb[IFLA_IFNAME])
		xfrm_str_get(ev->ifname, sizeof(ev->ifname), tb[IFLA_IFNAME]);
	if (tb[IFLA_MTU])
		ev->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_OPERSTATE])
		ev->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_LINK])
		ev->link = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINKINFO] && xfrm_linkinfo_get(ev, tb[IFLA_LINKINFO]) == -1)
		return -1;
	return 0;
}

int
xfrm_parse_link_stats(const struct nlmsghdr *nlh, struct xfrm_link_stats *st)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	struct rtnl_link_stats64 k;
	struct ifinfomsg ifi;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    xfrm_nlmsg_fixed(nlh, &ifi, sizeof(ifi)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(ifi), stats_rules, IFLA_MAX, tb) == -1)
		return -1;
	if (tb[IFLA_STATS64] == NULL) {
		errno = EPROTO;
		return -1;
	}
	/* The payload may be longer (newer kernels add fields): copy ours. */
	memcpy(&k, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(k));
	*st = (struct xfrm_link_stats){
	    .rx_bytes = k.rx_bytes,
	    .rx_packets = k.rx_packets,
	    .rx_errors = k.rx_errors,
	    .rx_dropped = k.rx_dropped,
	    .tx_bytes = k.tx_bytes,
	    .tx_packets = k.tx_packets,
	    .tx_errors = k.tx_errors,
	    .tx_dropped = k.tx_dropped,
	};
	return 0;
}

/*
 * IFA_LOCAL is our address where there is a peer (PPP: IFA_ADDRESS is
 * then the far end); otherwise IFA_ADDRESS is.
 */
static int
xfrm_addr_get(struct xfrm_addr_event *ev, const struct nlattr **tb, int family)
{
	struct xfrm_ip local, address;

	if (xfrm_ip_attr(&local, tb[IFA_LOCAL], family) == -1 ||
	    xfrm_ip_attr(&address, tb[IFA_ADDRESS], family) == -1)
		return -1;
	if (local.family == 0 && address.family == 0) {
		errno = EINVAL;
		return -1;
	}
	if (local.family != 0) {
		ev->addr = local;
		if (address.family != 0 && !xfrm_ip_eq(&local, &address))
			ev->peer = address;
	} else
		ev->addr = address;
	return 0;
}

/* Lifetimes, for DDNS's choice among IPv6 addresses. */
static void
xfrm_addr_lft_get(struct xfrm_addr_event *ev, const struct nlattr *ci_attr)
{
	struct ifa_cacheinfo ci;

	ev->valid_lft = ev->preferred_lft = XFRM_LFT_FOREVER;
	if (ci_attr == NULL)
		return;
	memcpy(&ci, mnl_attr_get_payload(ci_attr), sizeof(ci));
	ev->valid_lft = ci.ifa_valid;
	ev->preferred_lft = ci.ifa_prefered;
}

/* RTM_NEWADDR / RTM_DELADDR. */
int
xfrm_parse_addr(const struct nlmsghdr *nlh, struct xfrm_addr_event *ev)
{
	const struct nlattr *tb[IFA_MAX + 1];
	struct ifaddrmsg ifa;

	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &ifa, sizeof(ifa)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(ifa), addr_rules, IFA_MAX, tb) == -1)
		return -1;
	if (ifa.ifa_family != AF_INET && ifa.ifa_family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (ifa.ifa_prefixlen > xfrm_ip_len(ifa.ifa_family) * 8) {
		errno = ERANGE;
		return -1;
	}
	memset(ev, 0, sizeof(*ev));
	if (xfrm_addr_get(ev, tb, ifa.ifa_family) == -1)
		return -1;
	ev->type =
	    nlh->nlmsg_type == RTM_NEWADDR ? XFRM_EVENT_NEW : XFRM_EVENT_DEL;
	ev->ifindex = (int)ifa.ifa_index;
	ev->prefixlen = ifa.ifa_prefixlen;
	ev->scope = ifa.ifa_scope;
	ev->flags =
	    tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa.ifa_flags;
	if (tb[IFA_LABEL])
		xfrm_str_get(ev->ifname, sizeof(ev->ifname), tb[IFA_LABEL]);
	xfrm_addr_lft_get(ev, tb[IFA_CACHEINFO]);
	return 0;
}

static int
xfrm_route_type_get(uint8_t rtm_type, enum xfrm_route_type *type)
{
	switch (rtm_type) {
	case RTN_UNICAST:
		*type = XFRM_ROUTE_UNICAST;
		return 0;
	case RTN_BLACKHOLE:
		*type = XFRM_ROUTE_BLACKHOLE;
		return 0;
	case RTN_UNREACHABLE:
		*type = XFRM_ROUTE_UNREACHABLE;
		return 0;
	}
	return -1;
}

/* RTM_NEWROUTE from a dump.  rtm_type outside ours: rt.type is unicast. */
int
xfrm_parse_route(const struct nlmsghdr *nlh, struct xfrm_route_status *rs)
{
	const struct nlattr *tb[RTA_MAX + 1];
	struct rtmsg rtm;
	int family;

	if (nlh->nlmsg_type != RTM_NEWROUTE &&
	    nlh->nlmsg_type != RTM_DELROUTE) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &rtm, sizeof(rtm)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(rtm), route_rules, RTA_MAX, tb) == -1)
		return -1;
	family = rtm.rtm_family;
	if (xfrm_ip_len(family) == 0 ||
	    rtm.rtm_dst_len > xfrm_ip_len(family) * 8) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memset(rs, 0, sizeof(*rs));
	if (xfrm_ip_attr(&rs->rt.dst.ip, tb[RTA_DST], family) == -1 ||
	    xfrm_ip_attr(&rs->rt.gateway, tb[RTA_GATEWAY], family) == -1 ||
	    xfrm_ip_attr(&rs->rt.prefsrc, tb[RTA_PREFSRC], family) == -1)
		return -1;
	rs->rt.dst.ip.family = (uint8_t)family; /* default route: no RTA_DST */
	rs->rt.dst.len = rtm.rtm_dst_len;
	rs->rt.table =
	    tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm.rtm_table;
	rs->rt.metric =
	    tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	rs->rt.oif = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	if (xfrm_route_type_get(rtm.rtm_type, &rs->rt.type) == -1)
		rs->rt.type = XFRM_ROUTE_UNICAST;
	rs->protocol = rtm.rtm_protocol;
	rs->scope = rtm.rtm_scope;
	rs->tos = rtm.rtm_tos;
	rs->rtm_type = rtm.rtm_type;
	rs->rtm_flags = rtm.rtm_flags;
	return 0;
}

/* RTM_NEWRULE from a dump. */
int
xfrm_parse_rule(const struct nlmsghdr *nlh, struct xfrm_rule_status *rs)
{
	const struct nlattr *tb[FRA_MAX + 1];
	struct fib_rule_hdr frh;

	if (nlh->nlmsg_type != RTM_NEWRULE && nlh->nlmsg_type != RTM_DELRULE) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &frh, sizeof(frh)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(frh), rule_rules, FRA_MAX, tb) == -1)
		return -1;
	if (xfrm_ip_len(frh.family) == 0 ||
	    frh.src_len > xfrm_ip_len(frh.family) * 8) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memset(rs, 0, sizeof(*rs));
	if (xfrm_ip_attr(&rs->rule.src.ip, tb[FRA_SRC], frh.family) == -1)
		return -1;
	rs->rule.src.ip.family = frh.family; /* "from all": no FRA_SRC */
	rs->rule.src.len = frh.src_len;
	rs->rule.table =
	    tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh.table;
	rs->rule.priority =
	    tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	rs->protocol = tb[FRA_PROTOCOL] ? mnl_attr_get_u8(tb[FRA_PROTOCOL]) : 0;
	rs->action = frh.action;
	rs->has_dst = tb[FRA_DST] != NULL || frh.dst_len != 0;
	rs->has_iif = tb[FRA_IIFNAME] != NULL || tb[FRA_OIFNAME] != NULL;
	return 0;
}
