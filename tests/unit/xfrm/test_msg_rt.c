/*
 * test_msg_rt: NETLINK_ROUTE requests, byte for byte against messages
 * written by hand from <linux/rtnetlink.h>, <linux/if_link.h>,
 * <linux/if_addr.h> and <linux/fib_rules.h>.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"
#include "xfrm/codec.h"

static uint8_t buf[XFRM_MSG_SIZE];

static void
test_link_add(void)
{
	struct nlmsghdr *nlh = xfrm_msg_link_add(
	    buf, sizeof(buf), "Tunnel1.0", 0x74730002, 3, 1398);
	struct exp e = {.n = 0};

	e_nlh(
	    &e, 92, 16 /* RTM_NEWLINK */, 0x605 /* REQUEST|ACK|EXCL|CREATE */);
	/* ifinfomsg: family, pad, type, index, flags, change */
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u16(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_attr(&e, 14, 3 /* IFLA_IFNAME */);
	e_mem(&e, "Tunnel1.0", 10);
	e_pad(&e);
	e_attr(&e, 8, 4 /* IFLA_MTU */);
	e_u32(&e, 1398);
	/* nests carry NLA_F_NESTED (0x8000), as the kernel asks of new code */
	e_attr(&e, 36, 0x8000 | 18 /* IFLA_LINKINFO */);
	e_attr(&e, 9, 1 /* IFLA_INFO_KIND */);
	e_mem(&e, "xfrm", 5);
	e_pad(&e);
	e_attr(&e, 20, 0x8000 | 2 /* IFLA_INFO_DATA */);
	e_attr(&e, 8, 1 /* IFLA_XFRM_LINK */);
	e_u32(&e, 3);
	e_attr(&e, 8, 2 /* IFLA_XFRM_IF_ID */);
	e_u32(&e, 0x74730002);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_NEWLINK kind xfrm with link, if_id and MTU: bytes");

	ok(xfrm_msg_link_add(buf, sizeof(buf), "Tunnel1.0", 7, 3, 0) == NULL,
	    "an XFRM interface with a foreign if_id is refused");
	ok(xfrm_msg_link_add(buf, sizeof(buf), "a/b", 0x74730002, 0, 0) == NULL,
	    "a name with '/' is refused");
	ok(xfrm_msg_link_add(
	       buf, sizeof(buf), "sixteen-chars-xx", 0x74730002, 0, 0) == NULL,
	    "a 16-character name is refused");
	nlh = xfrm_msg_link_add(buf, sizeof(buf), "t", 0x74730002, 0, 0);
	ok(nlh != NULL && nlh->nlmsg_len == 16 + 16 + 8 + 4 + 12 + 4 + 8,
	    "no link, no MTU: no IFLA_XFRM_LINK, no IFLA_MTU");
}

static void
test_link_set(void)
{
	struct nlmsghdr *nlh = xfrm_msg_link_set(buf, sizeof(buf), 9, 1, 1426);
	struct exp e = {.n = 0};

	e_nlh(&e, 40, 16, 0x5);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u16(&e, 0);
	e_u32(&e, 9); /* index */
	e_u32(&e, 0x1001); /* flags IFF_UP | IFF_MULTICAST */
	e_u32(&e, 0x1001); /* change IFF_UP | IFF_MULTICAST */
	e_attr(&e, 8, 4);
	e_u32(&e, 1426);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_NEWLINK up + MTU: bytes");
	nlh = xfrm_msg_link_set(buf, sizeof(buf), 9, 0, 0);
	e.n = 0;
	e_nlh(&e, 32, 16, 0x5);
	e_zero(&e, 4);
	e_u32(&e, 9);
	e_u32(&e, 0x1000); /* flags: down, MULTICAST (for OSPF) */
	e_u32(&e, 0x1001); /* change IFF_UP | IFF_MULTICAST */
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_NEWLINK down: bytes");
	nlh = xfrm_msg_link_simple(buf, sizeof(buf), 17 /* RTM_DELLINK */, 9);
	e.n = 0;
	e_nlh(&e, 32, 17, 0x5);
	e_zero(&e, 4);
	e_u32(&e, 9);
	e_zero(&e, 8);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_DELLINK by index: bytes");
	ok(xfrm_msg_link_simple(buf, sizeof(buf), 17, 0) == NULL,
	    "ifindex 0 is refused");
}

static void
test_addr(void)
{
	struct xfrm_ip a;
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};
	struct in6_addr a6;

	xfrm_ip_parse("2001:db8:1:100::1", &a);
	inet_pton(AF_INET6, "2001:db8:1:100::1", &a6);
	nlh = xfrm_msg_addr(buf, sizeof(buf), 20 /* RTM_NEWADDR */, 7, &a);
	e_nlh(&e, 72, 20, 0x505 /* REQUEST|ACK|REPLACE|CREATE */);
	/* ifaddrmsg: family, prefixlen, flags, scope, index */
	e_u8(&e, 10);
	e_u8(&e, 128);
	e_u8(&e, 0x02); /* IFA_F_NODAD */
	e_u8(&e, 0);
	e_u32(&e, 7);
	e_attr(&e, 20, 2 /* IFA_LOCAL */);
	e_mem(&e, &a6, 16);
	e_attr(&e, 20, 1 /* IFA_ADDRESS */);
	e_mem(&e, &a6, 16);
	e_attr(&e, 8, 8 /* IFA_FLAGS */);
	e_u32(&e, 0x202); /* NODAD|NOPREFIXROUTE */
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_NEWADDR /128 without DAD and prefix route: bytes");

	xfrm_ip_parse("192.168.1.1", &a);
	nlh = xfrm_msg_addr(buf, sizeof(buf), 21 /* RTM_DELADDR */, 7, &a);
	e.n = 0;
	e_nlh(&e, 40, 21, 0x5);
	e_u8(&e, 2);
	e_u8(&e, 32);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u32(&e, 7);
	e_attr(&e, 8, 2);
	e_mem(&e, "\xc0\xa8\x01\x01", 4);
	e_attr(&e, 8, 1);
	e_mem(&e, "\xc0\xa8\x01\x01", 4);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_DELADDR /32: bytes");
}

static void
test_route(void)
{
	struct xfrm_route rt = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};
	struct in6_addr d6, g6;

	xfrm_prefix_parse("192.168.2.0/24", &rt.dst);
	rt.oif = 7;
	rt.metric = 50;
	nlh = xfrm_msg_route(buf, sizeof(buf), 24 /* RTM_NEWROUTE */,
	    0x600 /* CREATE|EXCL */, &rt);
	e_nlh(&e, 60, 24, 0x605);
	/* rtmsg: family dst_len src_len tos table protocol scope type flags */
	e_u8(&e, 2);
	e_u8(&e, 24);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 254); /* RT_TABLE_MAIN */
	e_u8(&e, 213); /* tsunagi */
	e_u8(&e, 253); /* RT_SCOPE_LINK */
	e_u8(&e, 1);   /* RTN_UNICAST */
	e_u32(&e, 0);
	e_attr(&e, 8, 15 /* RTA_TABLE */);
	e_u32(&e, 254);
	e_attr(&e, 8, 1 /* RTA_DST */);
	e_mem(&e, "\xc0\xa8\x02\x00", 4);
	e_attr(&e, 8, 6 /* RTA_PRIORITY */);
	e_u32(&e, 50);
	e_attr(&e, 8, 4 /* RTA_OIF */);
	e_u32(&e, 7);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "IPv4 device route, protocol 213, metric: bytes");

	memset(&rt, 0, sizeof(rt));
	xfrm_prefix_parse("2001:db8:2::/48", &rt.dst);
	xfrm_ip_parse("fe80::1", &rt.gateway);
	inet_pton(AF_INET6, "2001:db8:2::", &d6);
	inet_pton(AF_INET6, "fe80::1", &g6);
	rt.oif = 4;
	rt.table = 1000;
	nlh = xfrm_msg_route(
	    buf, sizeof(buf), 24, 0x500 /* CREATE|REPLACE */, &rt);
	e.n = 0;
	e_nlh(&e, 84, 24, 0x505);
	e_u8(&e, 10);
	e_u8(&e, 48);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0); /* RT_TABLE_UNSPEC: the table is in RTA_TABLE */
	e_u8(&e, 213);
	e_u8(&e, 0); /* RT_SCOPE_UNIVERSE */
	e_u8(&e, 1);
	e_u32(&e, 0);
	e_attr(&e, 8, 15);
	e_u32(&e, 1000);
	e_attr(&e, 20, 1);
	e_mem(&e, &d6, 16);
	e_attr(&e, 8, 4);
	e_u32(&e, 4);
	e_attr(&e, 20, 5 /* RTA_GATEWAY */);
	e_mem(&e, &g6, 16);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "IPv6 replace via gateway in table 1000: bytes");

	memset(&rt, 0, sizeof(rt));
	rt.dst.ip.family = AF_INET;
	rt.type = XFRM_ROUTE_BLACKHOLE;
	rt.table = 300;
	nlh = xfrm_msg_route(buf, sizeof(buf), 25 /* RTM_DELROUTE */, 0, &rt);
	e.n = 0;
	e_nlh(&e, 36, 25, 0x5);
	e_u8(&e, 2);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 213); /* the kernel deletes only a route of ours */
	e_u8(&e, 255); /* RT_SCOPE_NOWHERE: any scope */
	e_u8(&e, 6);   /* RTN_BLACKHOLE */
	e_u32(&e, 0);
	e_attr(&e, 8, 15);
	e_u32(&e, 300);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "delete of a blackhole default route in table 300: bytes");

	memset(&rt, 0, sizeof(rt));
	xfrm_prefix_parse("10.0.0.0/8", &rt.dst);
	ok(xfrm_msg_route(buf, sizeof(buf), 24, 0x600, &rt) == NULL,
	    "a unicast route without device or gateway is refused");
	rt.oif = 1;
	xfrm_ip_parse("fe80::1", &rt.gateway);
	ok(xfrm_msg_route(buf, sizeof(buf), 24, 0x600, &rt) == NULL,
	    "an IPv6 gateway for an IPv4 route is refused");
}

static void
test_route_get(void)
{
	struct xfrm_ip dst;
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};
	uint8_t a6[16];

	xfrm_ip_parse("2001:db8:2:1::1", &dst);
	inet_pton(AF_INET6, "2001:db8:2:1::1", a6);
	nlh = xfrm_msg_route_get(buf, sizeof(buf), &dst, 7);
	e_nlh(&e, 56, 26 /* RTM_GETROUTE */, 0x5 /* REQUEST|ACK */);
	/* rtmsg: family, dst_len, src_len, tos, table, protocol, scope,
	 * type, flags */
	e_u8(&e, AF_INET6);
	e_u8(&e, 128);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u32(&e, 0);
	e_attr(&e, 20, 1 /* RTA_DST */);
	e_mem(&e, a6, 16);
	e_attr(&e, 8, 4 /* RTA_OIF */);
	e_u32(&e, 7);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "RTM_GETROUTE for one IPv6 address leaving by an interface: bytes");
	xfrm_ip_parse("192.0.2.1", &dst);
	nlh = xfrm_msg_route_get(buf, sizeof(buf), &dst, 0);
	ok(nlh != NULL && nlh->nlmsg_len == 16 + 12 + 8,
	    "IPv4, any interface: no RTA_OIF");
	memset(&dst, 0, sizeof(dst));
	ok(xfrm_msg_route_get(buf, sizeof(buf), &dst, 0) == NULL,
	    "an address without a family is refused");
}

static void
test_rule(void)
{
	struct xfrm_rule r = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	xfrm_prefix_parse("198.51.100.10", &r.src);
	r.table = 200;
	r.priority = 900;
	nlh = xfrm_msg_rule(buf, sizeof(buf), 32 /* RTM_NEWRULE */, 0x600, &r);
	e_nlh(&e, 60, 32, 0x605);
	/* fib_rule_hdr: family dst_len src_len tos table res1 res2 action */
	e_u8(&e, 2);
	e_u8(&e, 0);
	e_u8(&e, 32);
	e_u8(&e, 0);
	e_u8(&e, 200);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 1); /* FR_ACT_TO_TBL */
	e_u32(&e, 0);
	e_attr(&e, 8, 15 /* FRA_TABLE */);
	e_u32(&e, 200);
	e_attr(&e, 8, 6 /* FRA_PRIORITY */);
	e_u32(&e, 900);
	e_attr(&e, 8, 2 /* FRA_SRC */);
	e_mem(&e, "\xc6\x33\x64\x0a", 4);
	e_attr(&e, 5, 21 /* FRA_PROTOCOL */);
	e_u8(&e, 213);
	e_pad(&e);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "rule from 198.51.100.10 lookup 200 priority 900 proto 213: bytes");
	r.priority = 0;
	ok(xfrm_msg_rule(buf, sizeof(buf), 32, 0x600, &r) == NULL,
	    "priority 0 (the local table's) is refused");
}

static void
test_dumps(void)
{
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	nlh =
	    xfrm_msg_rt_dump(buf, sizeof(buf), 26 /* RTM_GETROUTE */, 10, 213);
	e_nlh(&e, 28, 26, 0x301);
	e_u8(&e, 10);
	e_zero(&e, 4);
	e_u8(&e, 213); /* protocol filter */
	e_zero(&e, 6);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "IPv6 route dump filtered on protocol 213: bytes");
	nlh = xfrm_msg_rt_dump(buf, sizeof(buf), 22 /* RTM_GETADDR */, 0, 0);
	e.n = 0;
	e_nlh(&e, 24, 22, 0x301);
	e_zero(&e, 8);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "address dump: bytes");
	ok(xfrm_msg_rt_dump(buf, sizeof(buf), 99, 0, 0) == NULL,
	    "unknown dump type refused");
}

int
main(void)
{
	test_link_add();
	test_link_set();
	test_addr();
	test_route();
	test_route_get();
	test_rule();
	test_dumps();
	return tap_done();
}
