/*
 * nl.c: netlink sockets and the request/answer exchange.  Every failure
 * leaves a sentence in xfrm_last_error(): the operation, the errno text,
 * and the kernel's extended-ack message and attribute when it sent them.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

/* Dump answers come in skbs of up to 32 KiB. */
#define XFRM_NL_RXSIZE 65536
/* The kernel answers configuration requests at once; this is a backstop. */
#define XFRM_NL_TIMEOUT_S 5

struct xfrm_ctx xfrm_ctx;
static char xfrm_errbuf[512];

void
xfrm_set_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(xfrm_errbuf, sizeof(xfrm_errbuf), fmt, ap);
	va_end(ap);
}

const char *
xfrm_last_error(void)
{
	return xfrm_errbuf[0] ? xfrm_errbuf : "no error";
}

int
xfrm_ready(void)
{
	if (xfrm_ctx.ready)
		return 0;
	xfrm_set_error("xfrm: not initialised");
	errno = ENOTCONN;
	return -1;
}

static void
xfrm_nl_opts(struct xfrm_nl *nl, int flags)
{
	int one = 1, fd = mnl_socket_get_fd(nl->sk);

	/*
	 * Extended acks name the bad attribute; capped acks keep the kernel
	 * from echoing our request (with its keys) back at us.  Strict
	 * checking lets the kernel filter route dumps.  Old kernels lack
	 * some of these: carry on without.
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (nl->proto == NETLINK_ROUTE)
		setsockopt(
		    fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	if (!(flags & XFRM_NL_NONBLOCK)) {
		struct timeval tv = {XFRM_NL_TIMEOUT_S, 0};

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
}

int
xfrm_nl_open(struct xfrm_nl *nl, int proto, int flags)
{
	memset(nl, 0, sizeof(*nl));
	nl->proto = proto;
	nl->secret = (flags & XFRM_NL_SECRET) != 0;
	nl->rxsize = XFRM_NL_RXSIZE;
	nl->rx = nl->secret ? sodium_malloc(nl->rxsize) : malloc(nl->rxsize);
	if (nl->rx == NULL) {
		xfrm_set_error("xfrm: netlink buffer: %s", strerror(errno));
		return -1;
	}
	nl->sk = mnl_socket_open2(proto,
	    SOCK_CLOEXEC | ((flags & XFRM_NL_NONBLOCK) ? SOCK_NONBLOCK : 0));
	if (nl->sk == NULL ||
	    mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) == -1) {
		xfrm_set_error("xfrm: netlink socket (protocol %d): %s", proto,
		    strerror(errno));
		xfrm_nl_close(nl);
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	xfrm_nl_opts(nl, flags);
	return 0;
}

void
xfrm_nl_close(struct xfrm_nl *nl)
{
	if (nl->sk != NULL)
		mnl_socket_close(nl->sk);
	if (nl->rx != NULL) {
		if (nl->secret)
			sodium_free(nl->rx);
		else
			free(nl->rx);
	}
	memset(nl, 0, sizeof(*nl));
}

int
xfrm_nl_fd(const struct xfrm_nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

int
xfrm_nl_join(struct xfrm_nl *nl, unsigned group)
{
	if (mnl_socket_setsockopt(
	        nl->sk, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) == -1) {
		xfrm_set_error(
		    "xfrm: join netlink group %u: %s", group, strerror(errno));
		return -1;
	}
	return 0;
}

void
xfrm_nl_wipe(struct xfrm_nl *nl, size_t len)
{
	if (nl->secret && len > 0)
		sodium_memzero(nl->rx, len < nl->rxsize ? len : nl->rxsize);
}

/* Sends `req` with a fresh sequence number; returns it, 0 on failure. */
uint32_t
xfrm_nl_send(struct xfrm_nl *nl, struct nlmsghdr *req)
{
	if (++nl->seq == 0)
		nl->seq = 1;
	req->nlmsg_seq = nl->seq;
	req->nlmsg_pid = 0;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) == -1)
		return 0;
	return nl->seq;
}

ssize_t
xfrm_nl_recv(struct xfrm_nl *nl)
{
	ssize_t n;

	do
		n = mnl_socket_recvfrom(nl->sk, nl->rx, nl->rxsize);
	while (n == -1 && errno == EINTR);
	return n;
}

static void
xfrm_nl_nack(struct xfrm_nl *nl, const struct nlmsghdr *req,
    const struct xfrm_nlerr *e, const char *what)
{
	char detail[300] = "";
	size_t n;

	if (e->msg[0] != '\0')
		snprintf(detail, sizeof(detail), "; kernel: \"%s\"", e->msg);
	n = strlen(detail);
	if (e->attr[0] != '\0')
		snprintf(
		    detail + n, sizeof(detail) - n, "; attribute %s", e->attr);
	xfrm_set_error("%s (%s): %s%s", what,
	    xfrm_msg_name(nl->proto, req->nlmsg_type)
	        ? xfrm_msg_name(nl->proto, req->nlmsg_type)
	        : "netlink",
	    strerror(e->error), detail);
}

struct xfrm_talk {
	const struct nlmsghdr *req;
	const char *what;
	xfrm_nl_cb *cb;
	void *arg;
	int done, error, cb_errno, intr;
};

/* A dump that failed half-way says so in DONE's payload (-errno). */
static void
xfrm_nl_done(const struct nlmsghdr *nlh, struct xfrm_talk *t)
{
	int e;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(e))
		return;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e < 0 && e > -4096) {
		t->error = -e;
		xfrm_set_error("%s: dump failed: %s", t->what, strerror(-e));
	}
}

/* One message of the answer; sets t->done on ACK, NACK or DONE. */
static void
xfrm_nl_one(struct xfrm_nl *nl, const struct nlmsghdr *nlh, struct xfrm_talk *t)
{
	struct xfrm_nlerr e;

	if (nlh->nlmsg_seq != t->req->nlmsg_seq ||
	    !mnl_nlmsg_portid_ok(nlh, nl->portid))
		return; /* a late answer to an earlier, timed-out request */
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return;
	case NLMSG_ERROR:
		t->done = 1;
		if (xfrm_parse_nlerr(nlh, nl->proto, t->req, &e) == -1) {
			t->error = EPROTO;
			xfrm_set_error("%s: malformed netlink error", t->what);
		} else if (e.error != 0) {
			t->error = e.error;
			xfrm_nl_nack(nl, t->req, &e, t->what);
		}
		return;
	case NLMSG_DONE:
		t->done = 1;
		xfrm_nl_done(nlh, t);
		return;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		t->intr = 1;
	if (t->cb != NULL && t->cb_errno == 0 && t->cb(nlh, t->arg) == -1)
		t->cb_errno = errno ? errno : EPROTO;
}

static int
xfrm_nl_collect(struct xfrm_nl *nl, struct xfrm_talk *t)
{
	while (!t->done) {
		ssize_t n = xfrm_nl_recv(nl);
		const struct nlmsghdr *nlh;
		size_t len;

		if (n == -1) {
			t->error = (errno == EAGAIN) ? ETIMEDOUT : errno;
			xfrm_set_error(
			    "%s: receive: %s", t->what, strerror(t->error));
			return -1;
		}
		len = (size_t)n;
		for (nlh = (const struct nlmsghdr *)nl->rx;
		     !t->done && xfrm_nlmsg_ok(nlh, len);
		     nlh = xfrm_nlmsg_next(nlh, &len))
			xfrm_nl_one(nl, nlh, t);
		xfrm_nl_wipe(nl, (size_t)n);
	}
	return 0;
}

/*
 * Sends `req` and reads until the kernel's ACK, NACK, or (dumps) DONE,
 * handing each data message to `cb`.  -1 with errno and
 * xfrm_last_error() set on any failure.
 */
int
xfrm_nl_talk(struct xfrm_nl *nl, struct nlmsghdr *req, const char *what,
    xfrm_nl_cb *cb, void *arg)
{
	struct xfrm_talk t = {req, what, cb, arg, 0, 0, 0, 0};

	if (xfrm_nl_send(nl, req) == 0) {
		t.error = errno;
		xfrm_set_error("%s: send: %s", what, strerror(errno));
		errno = t.error;
		return -1;
	}
	if (xfrm_nl_collect(nl, &t) == -1 || t.error != 0) {
		errno = t.error;
		return -1;
	}
	if (t.cb_errno != 0) {
		xfrm_set_error(
		    "%s: unexpected answer: %s", what, strerror(t.cb_errno));
		errno = t.cb_errno;
		return -1;
	}
	if (t.intr) {
		xfrm_set_error("%s: dump interrupted by a change", what);
		errno = EINTR;
		return -1;
	}
	return 0;
}

int
xfrm_init(void)
{
	if (xfrm_ctx.ready)
		return 0;
	if (sodium_init() == -1) {
		log_warnx("xfrm: libsodium did not initialise");
		return -1;
	}
	xfrm_ctx.keybuf = sodium_malloc(XFRM_MSG_SIZE);
	if (xfrm_ctx.keybuf == NULL) {
		log_warn("xfrm: key buffer");
		return -1;
	}
	if (xfrm_nl_open(&xfrm_ctx.x, NETLINK_XFRM, XFRM_NL_SECRET) == -1 ||
	    xfrm_nl_open(&xfrm_ctx.rt, NETLINK_ROUTE, 0) == -1) {
		log_warnx("%s", xfrm_last_error());
		xfrm_fini();
		return -1;
	}
	xfrm_ctx.ready = 1;
	return 0;
}

void
xfrm_fini(void)
{
	xfrm_nl_close(&xfrm_ctx.x);
	xfrm_nl_close(&xfrm_ctx.rt);
	if (xfrm_ctx.keybuf != NULL)
		sodium_free(xfrm_ctx.keybuf);
	memset(&xfrm_ctx, 0, sizeof(xfrm_ctx));
}
