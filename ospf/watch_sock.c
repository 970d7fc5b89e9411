/*
 * watch_sock.c: the two raw sockets of the watch-groups, one per family,
 * opened when an entry probes that family.  A filter in the kernel lets
 * only echo replies through; every reply of any ping on this host still
 * reaches us, so the identifier, the source, the sequence number and the
 * body decide whose it is.
 *
 * A probe must leave through its interface or not at all, never by
 * another path.  IPv4: IP_PKTINFO's interface makes the route lookup take
 * only routes through it, and failing that, the target as on-link there.
 * IPv6 honours an interface strictly only on a socket bound to it
 * (SO_BINDTODEVICE): the socket is bound for the one send and unbound
 * after, so the kernel refuses a probe with no route through the
 * interface instead of sending it elsewhere.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ike/ike.h"
#include "ospf/watch_int.h"
#include "xfrm/iftab.h"

/* From linux/icmp.h, whose linux/if.h clashes with net/if.h. */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif
struct watch_icmp_filter {
	uint32_t data; /* bit t set: ICMP type t is not delivered */
};
#define WATCH_ICMP_ECHOREPLY 0

static struct {
	int fd;
	struct ev_io *io;
} wsk[2] = {{-1, NULL}, {-1, NULL}};

#define SK(af) (&wsk[(af) == AF_INET6])

uint64_t
ospf_watch_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
sock_filter(int fd, int af)
{
	struct watch_icmp_filter f4;
	struct icmp6_filter f6;

	if (af == AF_INET) {
		f4.data = ~(1U << WATCH_ICMP_ECHOREPLY);
		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4));
	}
	ICMP6_FILTER_SETBLOCKALL(&f6);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f6);
	return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6, sizeof(f6));
}

/* One datagram: an echo reply goes to its entry, the rest is counted. */
static void
sock_one(int af, const uint8_t *pkt, size_t len, const uint8_t *src6)
{
	struct watch_sock_stats *st =
	    af == AF_INET ? &ospf_watch.st4 : &ospf_watch.st6;
	struct ospf_icmp_echo e;
	struct watch_group *g;
	uint32_t src4 = 0;
	int r;

	r = ospf_icmp_echo_parse(af, pkt, len, &e, &src4);
	if (r == OSPF_ICMP_MALFORMED)
		st->malformed++;
	if (r != OSPF_ICMP_REPLY)
		return;
	if ((g = ospf_watch_by_id(e.id)) == NULL) {
		st->foreign++;
		return;
	}
	ospf_watch_reply(
	    g, af, af == AF_INET ? (const uint8_t *)&src4 : src6, &e);
}

static void
sock_read(int fd, int events, void *arg)
{
	int af = (int)(intptr_t)arg;
	struct sockaddr_in6 from;
	uint8_t buf[2048];
	socklen_t fl;
	ssize_t n;
	int i;

	(void)events;
	/* A bounded batch: a flood of replies cannot starve the loop. */
	for (i = 0; i < 64; i++) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("watch-group: receive");
			return;
		}
		sock_one(af, buf, (size_t)n, from.sin6_addr.s6_addr);
	}
}

int
ospf_watch_sock_open(int af)
{
	int fd;

	if (SK(af)->fd != -1)
		return 0;
	fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd == -1 || sock_filter(fd, af) == -1) {
		log_warn(
		    "watch-group: ICMP%s socket", af == AF_INET ? "" : "v6");
		if (fd != -1)
			close(fd);
		return -1;
	}
	if ((SK(af)->io = ev_io_add(
	         fd, EV_READ, sock_read, (void *)(intptr_t)af)) == NULL) {
		close(fd);
		return -1;
	}
	SK(af)->fd = fd;
	return 0;
}

void
ospf_watch_sock_close(void)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		if (wsk[i].io != NULL)
			ev_io_del(wsk[i].io);
		if (wsk[i].fd != -1)
			close(wsk[i].fd);
		wsk[i].io = NULL;
		wsk[i].fd = -1;
	}
}

/* The source the event asks for, family 0 if the kernel may choose. */
static int
send_source(const struct conf_watch_event *ev, struct xfrm_ip *src,
    struct watch_ev_state *s)
{
	memset(src, 0, sizeof(*src));
	if (ev->src_addr.af != 0) {
		src->family = (uint8_t)ev->src_addr.af;
		memcpy(src->raw, ev->src_addr.a, 16);
		return 0;
	}
	if (ev->src_if[0] == '\0' ||
	    xfrm_iftab_source(ev->src_if, ev->target.af, src) == 0)
		return 0;
	snprintf(s->why, sizeof(s->why), "%s has no IPv%d address", ev->src_if,
	    ev->target.af == AF_INET ? 4 : 6);
	return -1;
}

/* Why a probe through ev's interface cannot go now, or NULL. */
static const char *
send_blocked(const struct conf_watch_event *ev, int *ifindex)
{
	const struct xfrm_iftab_link *l;

	if (conf_tunnel_find(ospf_watch.conf, ev->ifname) != NULL &&
	    !ike_tunnel_is_up(ev->ifname))
		return "the tunnel is down";
	if ((l = xfrm_iftab_link_by_name(ev->ifname)) == NULL)
		return "no such interface";
	if (!(l->flags & IFF_UP))
		return "the interface is down";
	*ifindex = l->ifindex;
	return NULL;
}

/* One datagram to `to` with one piece of ancillary data (the pktinfo). */
static ssize_t
send_cmsg(int fd, const uint8_t *msg, size_t len, void *to, socklen_t tolen,
    int level, int type, const void *data, size_t dlen)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cm;
	struct iovec iov = {(void *)msg, len};
	struct msghdr mh = {.msg_name = to,
	    .msg_namelen = tolen,
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = cm.b,
	    .msg_controllen = CMSG_SPACE(dlen)};
	struct cmsghdr *c;

	memset(&cm, 0, sizeof(cm));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(dlen);
	memcpy(CMSG_DATA(c), data, dlen);
	return sendmsg(fd, &mh, MSG_DONTWAIT);
}

static ssize_t
send4(int fd, const uint8_t *msg, size_t len, const struct conf_watch_event *ev,
    int ifindex, const struct xfrm_ip *src)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	struct in_pktinfo pi = {.ipi_ifindex = ifindex};

	memcpy(&to.sin_addr, ev->target.a, 4);
	if (src->family == AF_INET)
		pi.ipi_spec_dst = src->v4;
	return send_cmsg(fd, msg, len, &to, sizeof(to), IPPROTO_IP, IP_PKTINFO,
	    &pi, sizeof(pi));
}

static ssize_t
send6(int fd, const uint8_t *msg, size_t len, const struct conf_watch_event *ev,
    int ifindex, const struct xfrm_ip *src)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)ifindex};
	ssize_t n;
	int e;

	memcpy(&to.sin6_addr, ev->target.a, 16);
	if (IN6_IS_ADDR_LINKLOCAL(&to.sin6_addr))
		to.sin6_scope_id = (uint32_t)ifindex;
	if (src->family == AF_INET6)
		pi.ipi6_addr = src->v6;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ev->ifname,
	        (socklen_t)strlen(ev->ifname)) == -1)
		return -1;
	n = send_cmsg(fd, msg, len, &to, sizeof(to), IPPROTO_IPV6, IPV6_PKTINFO,
	    &pi, sizeof(pi));
	e = errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "", 0) == -1)
		log_warn("watch-group: unbinding the ICMPv6 socket");
	errno = e;
	return n;
}

int
ospf_watch_sock_send(struct watch_group *g, size_t i)
{
	const struct conf_watch_event *ev = &g->w->events[i];
	struct watch_ev_state *s = &g->evs[i];
	uint8_t body[OSPF_ICMP_BODY], msg[OSPF_ICMP_HDR + OSPF_ICMP_BODY];
	struct xfrm_ip src;
	const char *why;
	int fd = SK(ev->target.af)->fd, ifindex = 0;
	size_t len;
	ssize_t n;

	if ((why = send_blocked(ev, &ifindex)) != NULL) {
		snprintf(s->why, sizeof(s->why), "%s", why);
		return -1;
	}
	if (send_source(ev, &src, s) == -1)
		return -1;
	memcpy(body, g->cookie, OSPF_ICMP_COOKIE);
	memcpy(body + OSPF_ICMP_COOKIE, &g->sent_us, 8);
	len = ospf_icmp_echo_build(
	    ev->target.af, g->id, g->seq, body, sizeof(body), msg, sizeof(msg));
	n = fd == -1                   ? (errno = EBADF, -1)
	    : ev->target.af == AF_INET ? send4(fd, msg, len, ev, ifindex, &src)
	                               : send6(fd, msg, len, ev, ifindex, &src);
	if (n != (ssize_t)len) {
		snprintf(s->why, sizeof(s->why), "send: %s", strerror(errno));
		return -1;
	}
	s->why[0] = '\0';
	s->sent++;
	return 0;
}
