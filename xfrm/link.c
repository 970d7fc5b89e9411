/*
 * link.c: XFRM interfaces (one per tunnel, bound to its SAs and policies by
 * if_id), their MTU, state and the host addresses they borrow from the LAN.
 * Only interfaces of kind "xfrm" with an if_id in tsunagi's range are ever
 * changed or deleted.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

static int
xfrm_link_fail(void)
{
	int saved = errno;

	log_warnx("%s", xfrm_last_error());
	errno = saved;
	return -1;
}

static int
xfrm_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	return xfrm_parse_link(nlh, arg);
}

/* Fails (EPERM) unless `ifindex` is an XFRM interface in our if_id range. */
static int
xfrm_link_ours(int ifindex, const char *what)
{
	struct xfrm_link_event ev;
	struct nlmsghdr *nlh;

	if (xfrm_ready() == -1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	nlh = xfrm_msg_link_simple(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_GETLINK, ifindex);
	if (nlh == NULL) {
		xfrm_set_error("%s: bad interface index %d", what, ifindex);
		errno = EINVAL;
		return -1;
	}
	if (xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, xfrm_link_cb, &ev) == -1)
		return -1;
	if (ev.ifindex != ifindex || strcmp(ev.kind, "xfrm") != 0 ||
	    !xfrm_ifid_ours(ev.xfrm_if_id)) {
		xfrm_set_error("%s: %s (kind \"%s\", if_id 0x%x) is not "
		               "tsunagi's",
		    what, ev.ifname, ev.kind, ev.xfrm_if_id);
		errno = EPERM;
		return -1;
	}
	return 0;
}

int
xfrm_link_add(const char *name, uint32_t if_id, int link_ifindex, unsigned mtu,
    int *ifindex)
{
	struct xfrm_link_event ev;
	struct nlmsghdr *nlh;
	char what[96];

	snprintf(what, sizeof(what), "xfrm: create interface %s if_id 0x%x",
	    name, if_id);
	if (xfrm_ready() == -1)
		return xfrm_link_fail();
	nlh = xfrm_msg_link_add(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), name, if_id, link_ifindex, mtu);
	if (nlh == NULL) {
		xfrm_set_error("%s: bad name, if_id or link", what);
		return xfrm_link_fail();
	}
	if (xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL) == -1)
		return xfrm_link_fail();
	if (ifindex == NULL)
		return 0;
	/* The index: ask for the interface by name. */
	memset(&ev, 0, sizeof(ev));
	nlh = xfrm_nlmsg_start(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_GETLINK,
	    NLM_F_REQUEST | NLM_F_ACK, &(struct ifinfomsg){0},
	    sizeof(struct ifinfomsg));
	if (nlh == NULL ||
	    xfrm_attr_put(nlh, sizeof(xfrm_ctx.buf), IFLA_IFNAME, name,
	        strlen(name) + 1) == -1 ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, xfrm_link_cb, &ev) == -1)
		return xfrm_link_fail();
	*ifindex = ev.ifindex;
	return 0;
}

int
xfrm_link_delete(int ifindex)
{
	struct nlmsghdr *nlh;
	char what[64];

	snprintf(what, sizeof(what), "xfrm: delete interface %d", ifindex);
	if (xfrm_link_ours(ifindex, what) == -1)
		return xfrm_link_fail();
	nlh = xfrm_msg_link_simple(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_DELLINK, ifindex);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL) == -1)
		return xfrm_link_fail();
	return 0;
}

static int
xfrm_link_set(int ifindex, int up, unsigned mtu, const char *what)
{
	struct nlmsghdr *nlh;

	if (xfrm_link_ours(ifindex, what) == -1)
		return xfrm_link_fail();
	nlh = xfrm_msg_link_set(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), ifindex, up, mtu);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL) == -1)
		return xfrm_link_fail();
	return 0;
}

int
xfrm_link_set_up(int ifindex, int up)
{
	char what[64];

	snprintf(what, sizeof(what), "xfrm: set interface %d %s", ifindex,
	    up ? "up" : "down");
	return xfrm_link_set(ifindex, up ? 1 : 0, 0, what);
}

int
xfrm_link_set_mtu(int ifindex, unsigned mtu)
{
	char what[64];

	snprintf(
	    what, sizeof(what), "xfrm: set interface %d mtu %u", ifindex, mtu);
	if (mtu == 0) {
		xfrm_set_error("%s: MTU 0", what);
		errno = EINVAL;
		return xfrm_link_fail();
	}
	return xfrm_link_set(ifindex, -1, mtu, what);
}

static int
xfrm_link_addr(uint16_t type, int ifindex, const struct xfrm_ip *addr)
{
	struct nlmsghdr *nlh;
	char what[128], a[64];

	snprintf(what, sizeof(what), "xfrm: %s address %s on interface %d",
	    type == RTM_NEWADDR ? "add" : "delete",
	    xfrm_ip_fmt(addr, a, sizeof(a)), ifindex);
	if (xfrm_link_ours(ifindex, what) == -1)
		return xfrm_link_fail();
	nlh = xfrm_msg_addr(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), type, ifindex, addr);
	if (nlh == NULL) {
		xfrm_set_error("%s: bad address", what);
		errno = EINVAL;
		return xfrm_link_fail();
	}
	if (xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL) == -1)
		return xfrm_link_fail();
	return 0;
}

/* The tunnel is unnumbered: it borrows the LAN's address as /32 or /128. */
int
xfrm_link_addr_add(int ifindex, const struct xfrm_ip *addr)
{
	return xfrm_link_addr(RTM_NEWADDR, ifindex, addr);
}

int
xfrm_link_addr_delete(int ifindex, const struct xfrm_ip *addr)
{
	return xfrm_link_addr(RTM_DELADDR, ifindex, addr);
}

struct xfrm_link_got {
	struct xfrm_link_stats st;
	int n;
};

static int
xfrm_link_got_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_link_got *g = arg;

	if (xfrm_parse_link_stats(nlh, &g->st) == -1)
		return -1;
	g->n++;
	return 0;
}

int
xfrm_link_stats(int ifindex, struct xfrm_link_stats *st)
{
	struct xfrm_link_got g = {.n = 0};
	struct nlmsghdr *nlh;
	char what[64];

	if (xfrm_ready() == -1)
		return -1;
	snprintf(what, sizeof(what), "xfrm: counters of interface %d", ifindex);
	nlh = xfrm_msg_link_simple(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_GETLINK, ifindex);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, xfrm_link_got_cb, &g) == -1)
		return -1;
	if (g.n == 0) {
		xfrm_set_error("%s: no answer", what);
		errno = ENOENT;
		return -1;
	}
	*st = g.st;
	return 0;
}
