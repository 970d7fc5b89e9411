/*
 * update.c: one RFC 2136 UPDATE on the wire.  UDP with retransmits, TCP
 * when the answer is truncated or the request too big for a datagram, all
 * on non-blocking sockets in the daemon's loop.  The outcome is sorted
 * into "retry later" and "permanent" here, where the reason is known, so
 * the scheduler above never storms a server that said no.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ddns/internal.h"

struct upd_txn {
	struct ddns_txn base; /* first: the hooks' handle */
	const struct ddns_server *srv;
	int fd;
	struct ev_io *io;
	struct ev_timer timer; /* retransmit / deadline */
	int tcp, step;
	uint16_t id;
	uint8_t req[DDNS_MSG_MAX + 2]; /* TCP length prefix + message */
	size_t req_len, io_off;
	uint8_t mac[DDNS_MAC_MAX];
	size_t mac_len;
	uint8_t *resp;
	size_t resp_len, resp_want;
};

static const unsigned udp_timeouts[] = DDNS_UDP_TIMEOUTS;
#define NUDP (sizeof(udp_timeouts) / sizeof(udp_timeouts[0]))

static void upd_cancel(struct ddns_txn *bt);

/* The RFC 2136 fields; name and key secret are compared by the caller. */
static int
upd_equal(const struct ddns_server *a, const struct ddns_server *b)
{
	return a->af == b->af && memcmp(a->addr, b->addr, 16) == 0 &&
	       a->port == b->port && strcmp(a->zone, b->zone) == 0 &&
	       a->ttl == b->ttl && a->key.alg == b->key.alg &&
	       ddns_name_equal(
	           a->key.name, a->key.name_len, b->key.name, b->key.name_len);
}

/* The key is readable only for the length of one HMAC. */
static int
txn_sign(struct upd_txn *t, size_t *len)
{
	struct ddns_tsig_key k = t->srv->key;
	int r;

	k.secret = sodium_mprotect_readonly(t->srv->secret) == 0
	               ? t->srv->secret
	               : NULL;
	k.secret_len = t->srv->secret_len;
	r = k.secret == NULL ? -1
	                     : ddns_tsig_sign(t->req + 2, len, DDNS_MSG_MAX, &k,
	                           (uint64_t)time(NULL), t->mac, &t->mac_len);
	sodium_mprotect_noaccess(t->srv->secret);
	return r;
}

static int
txn_verify(struct upd_txn *t, const struct ddns_msg_info *mi)
{
	struct ddns_tsig_key k = t->srv->key;
	int st;

	sodium_mprotect_readonly(t->srv->secret);
	k.secret = t->srv->secret;
	k.secret_len = t->srv->secret_len;
	st = ddns_tsig_verify(t->resp, t->resp_len, mi, &k, t->mac, t->mac_len,
	    (uint64_t)time(NULL));
	sodium_mprotect_noaccess(t->srv->secret);
	return st;
}

static void
txn_close(struct upd_txn *t)
{
	if (t->io != NULL)
		ev_io_del(t->io);
	t->io = NULL;
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
	ev_timer_del(&t->timer);
}

static void txn_finish(struct upd_txn *t, int ok, int permanent,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
txn_finish(struct upd_txn *t, int ok, int permanent, const char *fmt, ...)
{
	va_list ap;

	txn_close(t);
	t->base.res.tcp = t->tcp;
	va_start(ap, fmt);
	ddns_txn_vfinish(&t->base, ok, permanent, fmt, ap);
	va_end(ap);
}

static void txn_io(int fd, int events, void *arg);

/* No route or address to send from: our side, perhaps not up yet. */
static int
errno_unroutable(int e)
{
	return e == ENETUNREACH || e == EHOSTUNREACH || e == ENETDOWN ||
	       e == EADDRNOTAVAIL;
}

static int
txn_socket(struct upd_txn *t, int type)
{
	struct sockaddr_storage ss;
	socklen_t sl =
	    ddns_sockaddr(t->srv->af, t->srv->addr, t->srv->port, &ss);

	t->fd = socket(t->srv->af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd == -1)
		return -1;
	if (connect(t->fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS)
		return -1;
	t->io = ev_io_add(
	    t->fd, type == SOCK_STREAM ? EV_WRITE : EV_READ, txn_io, t);
	return t->io == NULL ? -1 : 0;
}

static void
txn_udp_send(struct upd_txn *t)
{
	t->base.res.tries++;
	if (send(t->fd, t->req + 2, t->req_len, 0) == -1 && errno != EAGAIN) {
		t->base.res.local = errno_unroutable(errno);
		txn_finish(t, 0, 0, "send to server: %s", strerror(errno));
		return;
	}
	ev_timer_add(&t->timer, udp_timeouts[t->step]);
}

static void
txn_tcp_start(struct upd_txn *t)
{
	txn_close(t);
	t->tcp = 1;
	t->io_off = 0;
	t->resp_len = 0;
	t->resp_want = 2;
	t->base.res.tries++;
	if (txn_socket(t, SOCK_STREAM) == -1) {
		t->base.res.local = errno_unroutable(errno);
		txn_finish(t, 0, 0, "TCP to server: %s", strerror(errno));
		return;
	}
	ev_timer_add(&t->timer, DDNS_TCP_TIMEOUT);
}

static void
txn_timeout(void *arg)
{
	struct upd_txn *t = arg;

	if (!t->tcp && ++t->step < (int)NUDP) {
		txn_udp_send(t);
		return;
	}
	txn_finish(t, 0, 0, "no answer from the server (%d %s)",
	    t->base.res.tries, t->tcp ? "TCP connection" : "datagrams");
}

/* RCODEs that a retry cannot change. */
static int
rcode_permanent(int rcode)
{
	return rcode != DDNS_R_SERVFAIL;
}

/*
 * A response arrived.  Returns 1 when it was for us and settled things, 0
 * when it must be ignored (a stray or forged datagram: keep waiting).
 */
static int
txn_response(struct upd_txn *t)
{
	struct ddns_msg_info mi;
	int st;

	if (ddns_msg_parse(t->resp, t->resp_len, &mi) == -1) {
		log_debug("ddns: malformed response ignored");
		return 0;
	}
	if (mi.id != t->id || !mi.qr || mi.opcode != DDNS_OP_UPDATE)
		return 0;
	if (mi.tc && !t->tcp) {
		txn_tcp_start(t);
		return 1;
	}
	st = txn_verify(t, &mi);
	if (st >= DDNS_TSIG_ERR_BADKEY && st <= DDNS_TSIG_ERR_OTHER) {
		txn_finish(t, 0, 1, "%s: %s", ddns_rcode_name(mi.rcode),
		    ddns_tsig_status_str(st));
		return 1;
	}
	if (st == DDNS_TSIG_MISSING && mi.rcode != DDNS_R_NOERROR) {
		txn_finish(t, 0, rcode_permanent(mi.rcode),
		    "%s (unsigned response)", ddns_rcode_name(mi.rcode));
		return 1;
	}
	if (st != DDNS_TSIG_OK) {
		log_warnx("ddns: response from the server rejected: %s",
		    ddns_tsig_status_str(st));
		if (t->tcp)
			txn_finish(t, 0, 0, "response rejected: %s",
			    ddns_tsig_status_str(st));
		return t->tcp;
	}
	if (mi.rcode == DDNS_R_NOERROR)
		txn_finish(t, 1, 0, "NOERROR");
	else
		txn_finish(t, 0, rcode_permanent(mi.rcode), "%s",
		    ddns_rcode_name(mi.rcode));
	return 1;
}

static void
txn_udp_read(struct upd_txn *t)
{
	ssize_t n;

	for (;;) {
		n = recv(t->fd, t->resp, DDNS_MSG_MAX, 0);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				txn_finish(t, 0, 0, "from server: %s",
				    strerror(errno));
			return;
		}
		t->resp_len = (size_t)n;
		if (txn_response(t))
			return;
	}
}

static void
txn_tcp_write(struct upd_txn *t)
{
	int err = 0;
	socklen_t el = sizeof(err);
	ssize_t n;

	if (t->io_off == 0 &&
	    (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &el) == -1 ||
	        err != 0)) {
		txn_finish(
		    t, 0, 0, "TCP connect: %s", strerror(err ? err : errno));
		return;
	}
	n = send(t->fd, t->req + t->io_off, t->req_len + 2 - t->io_off,
	    MSG_NOSIGNAL);
	if (n == -1) {
		if (errno != EAGAIN)
			txn_finish(t, 0, 0, "TCP send: %s", strerror(errno));
		return;
	}
	t->io_off += (size_t)n;
	if (t->io_off == t->req_len + 2)
		ev_io_set(t->io, EV_READ);
}

/* Two length octets, then exactly that many (RFC 1035 4.2.2). */
static void
txn_tcp_read(struct upd_txn *t)
{
	ssize_t n;

	n = recv(t->fd, t->resp + t->resp_len, t->resp_want - t->resp_len, 0);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		txn_finish(t, 0, 0, "TCP: %s",
		    n == 0 ? "connection closed" : strerror(errno));
		return;
	}
	t->resp_len += (size_t)n;
	if (t->resp_len < t->resp_want)
		return;
	if (t->resp_want == 2) {
		t->resp_want = (size_t)(t->resp[0] << 8 | t->resp[1]);
		t->resp_len = 0;
		if (t->resp_want == 0)
			txn_finish(t, 0, 0, "TCP: empty message");
		return;
	}
	if (!txn_response(t))
		txn_finish(t, 0, 0, "TCP: response not for our request");
}

static void
txn_io(int fd, int events, void *arg)
{
	struct upd_txn *t = arg;

	(void)fd;
	if (!t->tcp)
		txn_udp_read(t);
	else if (events & EV_WRITE)
		txn_tcp_write(t);
	else
		txn_tcp_read(t);
}

static int
txn_build(struct upd_txn *t, int af, const uint8_t *addr)
{
	struct ddns_update_req r = {
	    t->id, t->srv->zone, t->srv->name, af, addr, t->srv->ttl};
	size_t len;
	int n;

	if ((n = ddns_update_build(&r, t->req + 2, DDNS_MSG_MAX)) == -1)
		return -1;
	len = (size_t)n;
	if (txn_sign(t, &len) == -1)
		return -1;
	t->req_len = len;
	t->req[0] = (uint8_t)(len >> 8);
	t->req[1] = (uint8_t)len;
	return 0;
}

static struct ddns_txn *
upd_start(const struct ddns_server *s, int af, const uint8_t *addr,
    ddns_txn_cb *cb, void *arg)
{
	struct upd_txn *t;

	if ((t = ddns_txn_new(sizeof(*t), &ddns_rfc2136, cb, arg)) == NULL ||
	    (t->resp = malloc(DDNS_MSG_MAX)) == NULL) {
		free(t);
		log_warn("ddns: update");
		return NULL;
	}
	t->srv = s;
	t->fd = -1;
	t->id = (uint16_t)randombytes_uniform(65536);
	ev_timer_set(&t->timer, txn_timeout, t);
	if (txn_build(t, af, addr) == -1) {
		log_warnx("ddns: cannot build the UPDATE for %s", s->name);
		upd_cancel(&t->base);
		return NULL;
	}
	if (t->req_len > DDNS_UDP_MAX)
		txn_tcp_start(t);
	else if (txn_socket(t, SOCK_DGRAM) == -1) {
		t->base.res.local = errno_unroutable(errno);
		txn_finish(t, 0, 0, "socket to server: %s", strerror(errno));
	} else
		txn_udp_send(t);
	return &t->base;
}

static void
upd_cancel(struct ddns_txn *bt)
{
	struct upd_txn *t = (struct upd_txn *)bt;

	txn_close(t);
	sodium_memzero(t->mac, sizeof(t->mac));
	free(t->resp);
	free(t);
}

const struct ddns_proto ddns_rfc2136 = {
    .name = "rfc2136",
    .what = "UPDATE",
    .start = upd_start,
    .cancel = upd_cancel,
    .equal = upd_equal,
};
