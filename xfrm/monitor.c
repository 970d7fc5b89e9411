/*
 * monitor.c: kernel events to listeners, driven by the event loop.  One
 * non-blocking NETLINK_ROUTE socket for links and addresses (state first
 * learnt by a dump, learnt again by a dump whenever the kernel says it
 * dropped events), one NETLINK_XFRM socket for EXPIRE and ACQUIRE.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <poll.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

#define XFRM_MON_MAX      8
#define XFRM_MON_RCVBUF   (4 * 1024 * 1024)
#define XFRM_MON_RETRY_MS 1000

enum xfrm_sync { SYNC_IDLE, SYNC_LINKS, SYNC_ADDRS };

struct xfrm_ifname {
	int ifindex;
	char name[XFRM_IFNAMSIZ];
};

static struct {
	int open;
	struct xfrm_nl rt, x;
	struct ev_io *rt_io, *x_io;
	struct {
		const struct xfrm_monitor_cbs *cbs;
		void *arg;
	} l[XFRM_MON_MAX];
	enum xfrm_sync sync;
	uint32_t dump_seq;
	int resync_pending;
	struct ev_timer retry;
	uint8_t req[64];
	int busy, close_pending; /* a listener left during a dispatch */
	/* ifindex -> name, for IPv6 address events (they carry no label) */
	struct xfrm_ifname *names;
	size_t nnames, capnames;
} mon;

/* --- dispatch --------------------------------------------------------------
 */

#define XFRM_MON_EACH(i)       for ((i) = 0; (i) < XFRM_MON_MAX; (i)++)
#define XFRM_MON_HOOK(i, hook) (mon.l[i].cbs != NULL && mon.l[i].cbs->hook)

static void
xfrm_mon_sync_begin(void)
{
	int i;

	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, sync_begin))
		mon.l[i].cbs->sync_begin(mon.l[i].arg);
}

static void
xfrm_mon_sync_end(void)
{
	int i;

	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, sync_end))
		mon.l[i].cbs->sync_end(mon.l[i].arg);
}

static void
xfrm_mon_lost(void)
{
	int i;

	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, lost))
		mon.l[i].cbs->lost(mon.l[i].arg);
}

/* --- interface names ----------------------------------------------------- */

static struct xfrm_ifname *
xfrm_name_find(int ifindex)
{
	size_t i;

	for (i = 0; i < mon.nnames; i++)
		if (mon.names[i].ifindex == ifindex)
			return &mon.names[i];
	return NULL;
}

static void
xfrm_name_set(int ifindex, const char *name)
{
	struct xfrm_ifname *n = xfrm_name_find(ifindex);

	if (n == NULL) {
		if (mon.nnames == mon.capnames) {
			size_t cap = mon.capnames ? mon.capnames * 2 : 16;
			void *p = realloc(mon.names, cap * sizeof(*mon.names));

			if (p == NULL)
				return; /* names are a nicety */
			mon.names = p;
			mon.capnames = cap;
		}
		n = &mon.names[mon.nnames++];
		n->ifindex = ifindex;
	}
	memcpy(n->name, name, sizeof(n->name));
	n->name[sizeof(n->name) - 1] = '\0';
}

static void
xfrm_name_drop(int ifindex)
{
	struct xfrm_ifname *n = xfrm_name_find(ifindex);

	if (n != NULL)
		*n = mon.names[--mon.nnames];
}

/* --- rtnetlink -------------------------------------------------------------
 */

static void
xfrm_mon_link(const struct nlmsghdr *nlh)
{
	struct xfrm_link_event ev;
	uint8_t family;
	int i;

	/* Bridge ports and IPv6 per-device info share the group. */
	if (xfrm_nlmsg_fixed(nlh, &family, 1) == -1 || family != AF_UNSPEC)
		return;
	if (xfrm_parse_link(nlh, &ev) == -1) {
		log_warn("xfrm: malformed link message");
		return;
	}
	if (ev.type == XFRM_EVENT_NEW)
		xfrm_name_set(ev.ifindex, ev.ifname);
	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, link))
		mon.l[i].cbs->link(&ev, mon.l[i].arg);
	if (ev.type == XFRM_EVENT_DEL)
		xfrm_name_drop(ev.ifindex);
}

static void
xfrm_mon_addr(const struct nlmsghdr *nlh)
{
	struct xfrm_addr_event ev;
	struct xfrm_ifname *n;
	int i;

	if (xfrm_parse_addr(nlh, &ev) == -1) {
		if (errno != EAFNOSUPPORT)
			log_warn("xfrm: malformed address message");
		return;
	}
	/* IFA_LABEL may be an alias ("eth0:1"): the link's name rules. */
	if ((n = xfrm_name_find(ev.ifindex)) != NULL)
		memcpy(ev.ifname, n->name, sizeof(ev.ifname));
	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, addr))
		mon.l[i].cbs->addr(&ev, mon.l[i].arg);
}

static void xfrm_mon_resync(void);
static void xfrm_mon_close(void);

static void
xfrm_mon_retry_cb(void *arg)
{
	(void)arg;
	xfrm_mon_resync();
}

static void
xfrm_mon_retry_later(void)
{
	mon.sync = SYNC_IDLE;
	mon.dump_seq = 0;
	if (mon.open)
		ev_timer_add(&mon.retry, XFRM_MON_RETRY_MS);
}

static int
xfrm_mon_dump(uint16_t type)
{
	struct nlmsghdr *nlh =
	    xfrm_msg_rt_dump(mon.req, sizeof(mon.req), type, AF_UNSPEC, 0);

	if (nlh == NULL || (mon.dump_seq = xfrm_nl_send(&mon.rt, nlh)) == 0) {
		log_warn("xfrm: link/address dump request");
		xfrm_mon_retry_later();
		return -1;
	}
	return 0;
}

/* Starts a full link + address dump, or queues one behind the running one. */
static void
xfrm_mon_resync(void)
{
	if (!mon.open)
		return;
	if (mon.sync != SYNC_IDLE) {
		mon.resync_pending = 1;
		return;
	}
	mon.resync_pending = 0;
	xfrm_mon_sync_begin();
	if (!mon.open || mon.close_pending)
		return; /* the last listener left in sync_begin */
	mon.sync = SYNC_LINKS;
	xfrm_mon_dump(RTM_GETLINK);
}

static void
xfrm_mon_dump_done(void)
{
	if (mon.sync == SYNC_LINKS) {
		mon.sync = SYNC_ADDRS;
		xfrm_mon_dump(RTM_GETADDR);
		return;
	}
	mon.sync = SYNC_IDLE;
	mon.dump_seq = 0;
	xfrm_mon_sync_end();
	if (mon.resync_pending)
		xfrm_mon_resync();
}

static void
xfrm_mon_rt_msg(const struct nlmsghdr *nlh)
{
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		xfrm_mon_link(nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		xfrm_mon_addr(nlh);
		break;
	}
}

/* A dump answer: DONE moves the sync on, an error retries it later. */
static void
xfrm_mon_rt_dump_msg(const struct nlmsghdr *nlh)
{
	struct xfrm_nlerr e;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		xfrm_mon_dump_done();
		return;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (xfrm_parse_nlerr(nlh, NETLINK_ROUTE, NULL, &e) == 0 &&
		    e.error == 0)
			return;
		log_warnx("xfrm: link/address dump failed: %s",
		    strerror(e.error ? e.error : EPROTO));
		xfrm_mon_retry_later();
		return;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		mon.resync_pending = 1;
	xfrm_mon_rt_msg(nlh);
}

/* One datagram from the rtnetlink monitor socket (no I/O here). */
static void
xfrm_mon_rt_input(const uint8_t *buf, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = n;

	/*
	 * Events carry the portid and sequence number of whoever caused
	 * them (0 for the kernel); only our dumps' answers carry ours.
	 */
	for (; xfrm_nlmsg_ok(nlh, len); nlh = xfrm_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_pid != mon.rt.portid || nlh->nlmsg_pid == 0)
			xfrm_mon_rt_msg(nlh);
		else if (mon.sync != SYNC_IDLE &&
		         nlh->nlmsg_seq == mon.dump_seq)
			xfrm_mon_rt_dump_msg(nlh);
	}
}

static void
xfrm_mon_rt_readable(int fd, int events, void *arg)
{
	ssize_t n;

	(void)fd, (void)events, (void)arg;
	mon.busy = 1;
	while (!mon.close_pending) {
		if ((n = xfrm_nl_recv(&mon.rt)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				log_warnx("xfrm: kernel dropped link/address "
				          "events, resynchronising");
				xfrm_mon_resync();
				continue;
			}
			log_warn("xfrm: link/address monitor");
			break;
		}
		xfrm_mon_rt_input(mon.rt.rx, (size_t)n);
	}
	mon.busy = 0;
	if (mon.close_pending)
		xfrm_mon_close();
}

/* --- XFRM events -----------------------------------------------------------
 */

static void
xfrm_mon_expire(const struct nlmsghdr *nlh)
{
	struct xfrm_expire_event ev;
	int i;

	if (xfrm_parse_expire(nlh, &ev) == -1) {
		log_warn("xfrm: malformed EXPIRE");
		return;
	}
	if (!xfrm_reqid_ours(ev.reqid) && !xfrm_ifid_ours(ev.if_id))
		return; /* another IKE daemon's SA */
	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, expire))
		mon.l[i].cbs->expire(&ev, mon.l[i].arg);
}

static void
xfrm_mon_acquire(const struct nlmsghdr *nlh)
{
	struct xfrm_acquire_event ev;
	int i;

	if (xfrm_parse_acquire(nlh, &ev) == -1) {
		log_warn("xfrm: malformed ACQUIRE");
		return;
	}
	if (!xfrm_reqid_ours(ev.reqid) && !xfrm_ifid_ours(ev.if_id))
		return;
	XFRM_MON_EACH(i)
	if (XFRM_MON_HOOK(i, acquire))
		mon.l[i].cbs->acquire(&ev, mon.l[i].arg);
}

static void
xfrm_mon_x_input(const uint8_t *buf, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = n;

	for (; xfrm_nlmsg_ok(nlh, len); nlh = xfrm_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type == XFRM_MSG_EXPIRE)
			xfrm_mon_expire(nlh);
		else if (nlh->nlmsg_type == XFRM_MSG_ACQUIRE)
			xfrm_mon_acquire(nlh);
	}
}

static void
xfrm_mon_x_readable(int fd, int events, void *arg)
{
	ssize_t n;

	(void)fd, (void)events, (void)arg;
	mon.busy = 1;
	while (!mon.close_pending) {
		if ((n = xfrm_nl_recv(&mon.x)) == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				log_warnx("xfrm: kernel dropped XFRM events");
				xfrm_mon_lost();
				continue;
			}
			log_warn("xfrm: XFRM event monitor");
			break;
		}
		xfrm_mon_x_input(mon.x.rx, (size_t)n);
	}
	mon.busy = 0;
	if (mon.close_pending)
		xfrm_mon_close();
}

/* --- sockets -----------------------------------------------------------------
 */

static void
xfrm_mon_rcvbuf(struct xfrm_nl *nl)
{
	int size = XFRM_MON_RCVBUF, fd = xfrm_nl_fd(nl);

	/* FORCE needs CAP_NET_ADMIN, which we have; else take what we get. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) ==
	    -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static void
xfrm_mon_close(void)
{
	ev_timer_del(&mon.retry);
	if (mon.rt_io != NULL)
		ev_io_del(mon.rt_io);
	if (mon.x_io != NULL)
		ev_io_del(mon.x_io);
	xfrm_nl_close(&mon.rt);
	xfrm_nl_close(&mon.x);
	free(mon.names);
	memset(&mon, 0, sizeof(mon));
}

static int
xfrm_mon_open(void)
{
	memset(&mon, 0, sizeof(mon));
	ev_timer_set(&mon.retry, xfrm_mon_retry_cb, NULL);
	if (xfrm_nl_open(&mon.rt, NETLINK_ROUTE, XFRM_NL_NONBLOCK) == -1 ||
	    xfrm_nl_open(&mon.x, NETLINK_XFRM, XFRM_NL_NONBLOCK) == -1 ||
	    xfrm_nl_join(&mon.rt, RTNLGRP_LINK) == -1 ||
	    xfrm_nl_join(&mon.rt, RTNLGRP_IPV4_IFADDR) == -1 ||
	    xfrm_nl_join(&mon.rt, RTNLGRP_IPV6_IFADDR) == -1 ||
	    xfrm_nl_join(&mon.x, XFRMNLGRP_EXPIRE) == -1 ||
	    xfrm_nl_join(&mon.x, XFRMNLGRP_ACQUIRE) == -1) {
		log_warnx("%s", xfrm_last_error());
		xfrm_mon_close();
		return -1;
	}
	xfrm_mon_rcvbuf(&mon.rt);
	xfrm_mon_rcvbuf(&mon.x);
	mon.rt_io =
	    ev_io_add(xfrm_nl_fd(&mon.rt), EV_READ, xfrm_mon_rt_readable, NULL);
	mon.x_io =
	    ev_io_add(xfrm_nl_fd(&mon.x), EV_READ, xfrm_mon_x_readable, NULL);
	if (mon.rt_io == NULL || mon.x_io == NULL) {
		xfrm_mon_close();
		return -1;
	}
	mon.open = 1;
	return 0;
}

/*
 * Adds a listener; returns its id.  Every new listener triggers a dump so
 * it learns the current links and addresses (the others see a harmless
 * extra sync round).
 */
int
xfrm_monitor_add(const struct xfrm_monitor_cbs *cbs, void *arg)
{
	int i;

	if (!mon.open && xfrm_mon_open() == -1)
		return -1;
	mon.close_pending = 0;
	XFRM_MON_EACH(i)
	if (mon.l[i].cbs == NULL) {
		mon.l[i].cbs = cbs;
		mon.l[i].arg = arg;
		xfrm_mon_resync();
		return i;
	}
	log_warnx("xfrm: too many monitor listeners");
	errno = ENOSPC;
	return -1;
}

void
xfrm_monitor_del(int id)
{
	int i;

	if (id < 0 || id >= XFRM_MON_MAX)
		return;
	mon.l[id].cbs = NULL;
	mon.l[id].arg = NULL;
	XFRM_MON_EACH(i)
	if (mon.l[i].cbs != NULL)
		return;
	/* Closing frees the buffer a dispatch may still be walking. */
	if (mon.busy)
		mon.close_pending = 1;
	else if (mon.open)
		xfrm_mon_close();
}

/*
 * Start-up only: blocks until the link/address dump under way is done, so
 * that what starts next finds every link and address already known.
 */
int
xfrm_monitor_settle(int timeout_ms)
{
	uint64_t end = ev_clock() + (uint64_t)timeout_ms, now;
	struct pollfd pfd;
	int r;

	while (mon.open && mon.sync != SYNC_IDLE) {
		if ((now = ev_clock()) >= end) {
			errno = ETIMEDOUT;
			return -1;
		}
		pfd.fd = xfrm_nl_fd(&mon.rt);
		pfd.events = POLLIN;
		if ((r = poll(&pfd, 1, (int)(end - now))) == -1 &&
		    errno != EINTR)
			return -1;
		if (r > 0)
			xfrm_mon_rt_readable(pfd.fd, EV_READ, NULL);
	}
	if (!mon.open || ev_timer_pending(&mon.retry)) {
		errno = EAGAIN; /* the dump failed; the retry timer has it */
		return -1;
	}
	return 0;
}
