/*
 * test_parse_rt: canned NETLINK_ROUTE messages (link and address events,
 * route and rule dump entries) written by hand, and broken variants.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"
#include "xfrm/codec.h"

static struct nlmsghdr *
copy(const struct exp *e)
{
	struct nlmsghdr *nlh = malloc(e->n);

	memcpy(nlh, e->b, e->n);
	return nlh;
}

static void
e_ifinfo(struct exp *e, int index, unsigned flags)
{
	e_u8(e, 0);
	e_u8(e, 0);
	e_u16(e, 65534); /* ARPHRD_NONE */
	e_u32(e, (uint32_t)index);
	e_u32(e, flags);
	e_u32(e, 0);
}

static void
test_link(void)
{
	struct exp e = {.n = 0};
	struct xfrm_link_event ev;
	struct nlmsghdr *nlh;

	e_nlh(&e, 0, 16 /* RTM_NEWLINK */, 0);
	e_ifinfo(&e, 12, 0x10041);
	e_attr(&e, 14, 3);
	e_mem(&e, "Tunnel1.0", 10);
	e_pad(&e);
	e_attr(&e, 8, 4);
	e_u32(&e, 1398);
	e_attr(&e, 5, 16); /* IFLA_OPERSTATE */
	e_u8(&e, 6);       /* IF_OPER_UP */
	e_pad(&e);
	e_attr(&e, 36, 0x8000 | 18);
	e_attr(&e, 9, 1);
	e_mem(&e, "xfrm", 5);
	e_pad(&e);
	e_attr(&e, 20, 0x8000 | 2);
	e_attr(&e, 8, 1);
	e_u32(&e, 4);
	e_attr(&e, 8, 2);
	e_u32(&e, 0x74730002);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_link(nlh, &ev) == 0, "RTM_NEWLINK of an XFRM interface");
	is_int(ev.type, XFRM_EVENT_NEW, "new");
	is_int(ev.ifindex, 12, "ifindex");
	is_str(ev.ifname, "Tunnel1.0", "name");
	is_int(ev.mtu, 1398, "mtu");
	is_int(ev.operstate, 6, "operstate");
	is_str(ev.kind, "xfrm", "kind");
	is_int(ev.xfrm_if_id, 0x74730002, "if_id from IFLA_INFO_DATA");
	is_int(ev.link, 4, "underlying link");
	free(nlh);

	/* IFLA_XFRM_IF_ID of 3 bytes inside the nest */
	e.b[e.n - 8] = 7;
	e.b[e.n - 8 + 1] = 0;
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_link(nlh, &ev) == -1,
	    "a 3-byte IFLA_XFRM_IF_ID in the nest");
	free(nlh);

	/* a name of 20 bytes, no NUL: cut to 15 */
	e.n = 0;
	e_nlh(&e, 0, 17 /* RTM_DELLINK */, 0);
	e_ifinfo(&e, 3, 0);
	e_attr(&e, 24, 3);
	e_mem(&e, "abcdefghijklmnopqrst", 20);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_link(nlh, &ev) == 0 && ev.type == XFRM_EVENT_DEL,
	    "RTM_DELLINK with an overlong name parses");
	is_str(ev.ifname, "abcdefghijklmno", "overlong name cut, terminated");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 16, 0);
	e_zero(&e, 8);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_link(nlh, &ev) == -1, "short ifinfomsg refused");
	free(nlh);
}

/* PPPoE: local address, peer as IFA_ADDRESS, label, lifetimes forever. */
static void
test_addr_ppp(void)
{
	struct exp e = {.n = 0};
	struct xfrm_addr_event ev;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 20 /* RTM_NEWADDR */, 0);
	e_u8(&e, 2);
	e_u8(&e, 32);
	e_u8(&e, 0x80); /* permanent */
	e_u8(&e, 0);
	e_u32(&e, 9);
	e_attr(&e, 8, 1); /* IFA_ADDRESS: the peer */
	e_mem(&e, "\xc6\x33\x64\x01", 4);
	e_attr(&e, 8, 2); /* IFA_LOCAL */
	e_mem(&e, "\xc6\x33\x64\x0a", 4);
	e_attr(&e, 9, 3); /* IFA_LABEL */
	e_mem(&e, "ppp0", 5);
	e_pad(&e);
	e_attr(&e, 8, 8); /* IFA_FLAGS */
	e_u32(&e, 0x80);
	e_attr(&e, 20, 6); /* IFA_CACHEINFO */
	e_u32(&e, 0xffffffff);
	e_u32(&e, 0xffffffff);
	e_u32(&e, 100);
	e_u32(&e, 100);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == 0, "RTM_NEWADDR of a PPP link");
	is_str(xfrm_ip_fmt(&ev.addr, a, sizeof(a)), "198.51.100.10",
	    "address is IFA_LOCAL");
	is_str(xfrm_ip_fmt(&ev.peer, a, sizeof(a)), "198.51.100.1",
	    "peer is IFA_ADDRESS");
	is_str(ev.ifname, "ppp0", "label");
	is_int(ev.ifindex, 9, "ifindex");
	is_int(ev.prefixlen, 32, "prefix length");
	ok(ev.valid_lft == XFRM_LFT_FOREVER &&
	        ev.preferred_lft == XFRM_LFT_FOREVER,
	    "lifetimes forever");
	free(nlh);

	/* IFA_LOCAL of 5 bytes for IPv4 */
	e.n = 0;
	e_nlh(&e, 0, 20, 0);
	e_u8(&e, 2);
	e_u8(&e, 32);
	e_u16(&e, 0);
	e_u32(&e, 9);
	e_attr(&e, 9, 2);
	e_mem(&e, "\xc6\x33\x64\x0a\x00", 5);
	e_pad(&e);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == -1, "a 5-byte IPv4 address is refused");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 20, 0);
	e_u8(&e, 2);
	e_u8(&e, 24);
	e_u16(&e, 0);
	e_u32(&e, 9);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == -1,
	    "an address message without address");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 20, 0);
	e_u8(&e, 2);
	e_u8(&e, 33);
	e_u16(&e, 0);
	e_u32(&e, 9);
	e_attr(&e, 8, 2);
	e_mem(&e, "\xc6\x33\x64\x0a", 4);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == -1, "an IPv4 /33 is refused");
	free(nlh);
}

/* A SLAAC temporary address going deprecated: what DDNS must see. */
static void
test_addr_v6(void)
{
	struct exp e = {.n = 0};
	struct xfrm_addr_event ev;
	struct nlmsghdr *nlh;
	struct in6_addr a6;
	char a[64];

	inet_pton(AF_INET6, "2001:db8:1:100::abcd", &a6);
	e_nlh(&e, 0, 21 /* RTM_DELADDR */, 0);
	e_u8(&e, 10);
	e_u8(&e, 64);
	e_u8(&e, 0x21); /* ifa_flags: temporary|deprecated */
	e_u8(&e, 0);
	e_u32(&e, 5);
	e_attr(&e, 20, 1);
	e_mem(&e, &a6, 16);
	e_attr(&e, 8, 8); /* IFA_FLAGS beyond 8 bits: + managetempaddr */
	e_u32(&e, 0x121);
	e_attr(&e, 20, 6);
	e_u32(&e, 0);    /* preferred */
	e_u32(&e, 3600); /* valid */
	e_u32(&e, 1);
	e_u32(&e, 2);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == 0, "RTM_DELADDR of an IPv6 address");
	is_int(ev.type, XFRM_EVENT_DEL, "del");
	is_str(xfrm_ip_fmt(&ev.addr, a, sizeof(a)), "2001:db8:1:100::abcd",
	    "address from IFA_ADDRESS");
	is_int(ev.peer.family, 0, "no peer");
	is_int(ev.flags, 0x121, "IFA_FLAGS wins over ifa_flags");
	is_int(ev.preferred_lft, 0, "preferred lifetime");
	is_int(ev.valid_lft, 3600, "valid lifetime");
	is_str(ev.ifname, "", "no label for IPv6");
	free(nlh);

	/* short IFA_CACHEINFO */
	e.n -= 20;
	e_attr(&e, 12, 6);
	e_u32(&e, 0);
	e_u32(&e, 3600);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_addr(nlh, &ev) == -1, "short IFA_CACHEINFO is refused");
	free(nlh);
}

static void
test_route(void)
{
	struct exp e = {.n = 0};
	struct xfrm_route_status rs;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 24, 0x2);
	e_u8(&e, 2);
	e_u8(&e, 24);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 213);
	e_u8(&e, 253);
	e_u8(&e, 1);
	e_u32(&e, 0);
	e_attr(&e, 8, 15);
	e_u32(&e, 1000);
	e_attr(&e, 8, 1);
	e_mem(&e, "\xc0\xa8\x02\x00", 4);
	e_attr(&e, 8, 6);
	e_u32(&e, 50);
	e_attr(&e, 8, 4);
	e_u32(&e, 12);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_route(nlh, &rs) == 0, "a route dump entry parses");
	is_int(rs.protocol, 213, "protocol");
	is_int(rs.rt.table, 1000, "table from RTA_TABLE");
	is_int(rs.rt.metric, 50, "metric");
	is_int(rs.rt.oif, 12, "oif");
	is_str(xfrm_ip_fmt(&rs.rt.dst.ip, a, sizeof(a)), "192.168.2.0", "dst");
	is_int(rs.rt.dst.len, 24, "dst length");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 24, 0x2);
	e_u8(&e, 10);
	e_u8(&e, 0);
	e_zero(&e, 2);
	e_u8(&e, 254);
	e_u8(&e, 213);
	e_u8(&e, 0);
	e_u8(&e, 6);
	e_u32(&e, 0);
	e_attr(&e, 8, 5); /* an IPv4-sized gateway on an IPv6 route */
	e_u32(&e, 1);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_route(nlh, &rs) == -1, "gateway of the wrong size");
	free(nlh);
}

static void
test_rule(void)
{
	struct exp e = {.n = 0};
	struct xfrm_rule_status rs;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 32, 0x2);
	e_u8(&e, 2);
	e_u8(&e, 0);
	e_u8(&e, 32);
	e_u8(&e, 0);
	e_u8(&e, 200);
	e_u8(&e, 0);
	e_u8(&e, 0);
	e_u8(&e, 1);
	e_u32(&e, 0);
	e_attr(&e, 8, 15);
	e_u32(&e, 200);
	e_attr(&e, 8, 6);
	e_u32(&e, 900);
	e_attr(&e, 8, 2);
	e_mem(&e, "\xc6\x33\x64\x0a", 4);
	e_attr(&e, 5, 21);
	e_u8(&e, 213);
	e_pad(&e);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_rule(nlh, &rs) == 0, "a rule dump entry parses");
	is_int(rs.protocol, 213, "protocol");
	is_int(rs.rule.table, 200, "table");
	is_int(rs.rule.priority, 900, "priority");
	is_str(xfrm_ip_fmt(&rs.rule.src.ip, a, sizeof(a)), "198.51.100.10",
	    "from");
	free(nlh);
	e.b[e.n - 8] = 6; /* FRA_PROTOCOL of 2 bytes */
	nlh = copy(&e);
	ok(xfrm_parse_rule(nlh, &rs) == -1, "FRA_PROTOCOL of 2 bytes");
	free(nlh);
}

int
main(void)
{
	test_link();
	test_addr_ppp();
	test_addr_v6();
	test_route();
	test_rule();
	return tap_done();
}
