/*
 * dyndns2.c: one dyndns2 request on the wire.  The URL's host is looked
 * up with the module's resolver (the published record's family first,
 * then the other), each address is tried with a non-blocking connect,
 * https is TLS with the certificate checked against the system's trust
 * store and the URL's host; then one GET and one answer, all in the
 * daemon's loop under one deadline.  The request carries the password, so
 * it lives in guarded memory and is wiped as soon as it is sent.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ddns/internal.h"

#define DD2_AGENT "tsunagi/" PACKAGE_VERSION

enum dd2_state { ST_LOOKUP, ST_CONNECT, ST_TLS, ST_SEND, ST_RECV };

static const char *const state_name[] = {"looking up the server", "connecting",
    "TLS handshake", "sending", "waiting for the answer"};

struct dd2_txn {
	struct ddns_txn base; /* first: the hooks' handle */
	const struct ddns_server *srv;
	int af; /* of the record */
	uint8_t sent[16];
	int state;
	char *req; /* sodium_malloc'd: it holds the credentials */
	size_t req_len, req_off;
	uint8_t *resp;
	size_t resp_len;
	struct ddns_query *q;
	int lookups; /* done: the record's family, then the other */
	int addr_af;
	uint8_t addrs[DDNS_MAX_ADDRS][16];
	size_t naddrs, next;
	int fd;
	struct ev_io *io;
	SSL *ssl;
	struct ev_timer deadline;
	char why[DDNS_DD2_HOST_MAX + 160]; /* why the last address failed */
	int why_conn; /* ... and it was the connection, not DNS */
};

static void dd2_cancel(struct ddns_txn *bt);
static void dd2_next_addr(struct dd2_txn *t);

static size_t
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static void
dd2_close(struct dd2_txn *t)
{
	if (t->ssl != NULL)
		SSL_free(t->ssl);
	t->ssl = NULL;
	if (t->io != NULL)
		ev_io_del(t->io);
	t->io = NULL;
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
}

static void
dd2_wipe_req(struct dd2_txn *t)
{
	if (t->req != NULL)
		sodium_free(t->req); /* zeroes it */
	t->req = NULL;
}

static void dd2_finish(struct dd2_txn *t, int ok, int permanent,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
dd2_finish(struct dd2_txn *t, int ok, int permanent, const char *fmt, ...)
{
	va_list ap;

	dd2_close(t);
	dd2_wipe_req(t);
	ddns_resolve_cancel(t->q);
	t->q = NULL;
	ev_timer_del(&t->deadline);
	va_start(ap, fmt);
	ddns_txn_vfinish(&t->base, ok, permanent, fmt, ap);
	va_end(ap);
}

static void
dd2_timeout(void *arg)
{
	struct dd2_txn *t = arg;

	dd2_finish(t, 0, 0, "no answer from %s within %d s (%s)",
	    t->srv->url.host, DDNS_DD2_TIMEOUT / 1000, state_name[t->state]);
}

/* --- TLS ----------------------------------------------------------------- */

/* The reason OpenSSL gives, else the system's, for the log. */
static const char *
tls_why(int e)
{
	unsigned long ec = ERR_peek_last_error();
	const char *r = ec != 0 ? ERR_reason_error_string(ec) : NULL;

	if (r != NULL)
		return r;
	if (e == SSL_ERROR_SYSCALL && errno != 0)
		return strerror(errno);
	return e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN
	           ? "connection closed"
	           : "failed";
}

/* 1 if OpenSSL only waits for the socket (events switched); else 0. */
static int
tls_wait(struct dd2_txn *t, int r, int *err)
{
	*err = SSL_get_error(t->ssl, r);
	if (*err == SSL_ERROR_WANT_READ)
		ev_io_set(t->io, EV_READ);
	else if (*err == SSL_ERROR_WANT_WRITE)
		ev_io_set(t->io, EV_WRITE);
	else
		return 0;
	return 1;
}

/*
 * A fresh context per request, so a changed trust store (or SSL_CERT_FILE)
 * is seen without a restart; requests are minutes apart.
 */
static SSL *
tls_new(const struct ddns_dd2_url *u, int fd)
{
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int ok;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* A peer that just closes ends the answer: the parser knows when
	 * an answer is whole, and a cut one is refused. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_default_verify_paths(ctx) == 1)
		ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* ssl keeps its own reference */
	if (ssl == NULL)
		return NULL;
	SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (u->host_af != 0)
		ok = X509_VERIFY_PARAM_set1_ip(
		    SSL_get0_param(ssl), u->host_addr, alen(u->host_af));
	else /* SNI is for names only (RFC 6066 3) */
		ok = SSL_set1_host(ssl, u->host) == 1 &&
		     SSL_set_tlsext_host_name(ssl, u->host) == 1;
	if (ok != 1 || SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_connect_state(ssl);
	return ssl;
}

static void dd2_send(struct dd2_txn *t);

static void
dd2_handshake(struct dd2_txn *t)
{
	long v;
	int r, e;

	ERR_clear_error();
	if ((r = SSL_connect(t->ssl)) == 1) {
		t->state = ST_SEND;
		dd2_send(t);
		return;
	}
	if (tls_wait(t, r, &e))
		return;
	if ((v = SSL_get_verify_result(t->ssl)) != X509_V_OK)
		dd2_finish(t, 0, 0,
		    "TLS: the certificate of %s does not verify: %s",
		    t->srv->url.host, X509_verify_cert_error_string(v));
	else
		dd2_finish(t, 0, 0, "TLS handshake with %s: %s",
		    t->srv->url.host, tls_why(e));
}

/* --- the exchange -------------------------------------------------------- */

/* Bytes written, 0 when the socket is full, -1 when finished with error. */
static ssize_t
dd2_write(struct dd2_txn *t, const char *p, size_t n)
{
	ssize_t w;
	int e;

	if (t->ssl == NULL) {
		if ((w = send(t->fd, p, n, MSG_NOSIGNAL)) >= 0)
			return w;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			ev_io_set(t->io, EV_WRITE);
			return 0;
		}
		dd2_finish(t, 0, 0, "send to %s: %s", t->srv->url.host,
		    strerror(errno));
		return -1;
	}
	ERR_clear_error();
	if ((w = SSL_write(t->ssl, p, (int)n)) > 0)
		return w;
	if (tls_wait(t, (int)w, &e))
		return 0;
	dd2_finish(t, 0, 0, "TLS send to %s: %s", t->srv->url.host, tls_why(e));
	return -1;
}

static void
dd2_send(struct dd2_txn *t)
{
	ssize_t n;

	while (t->req_off < t->req_len) {
		n = dd2_write(t, t->req + t->req_off, t->req_len - t->req_off);
		if (n <= 0)
			return;
		t->req_off += (size_t)n;
	}
	dd2_wipe_req(t);
	t->state = ST_RECV;
	ev_io_set(t->io, EV_READ);
}

/* Appends what is there; 0 on data or end (*eof), -1 wait or finished. */
static int
dd2_read(struct dd2_txn *t, int *eof)
{
	size_t room = DDNS_DD2_RESP_MAX - t->resp_len;
	ssize_t n;
	int e;

	if (t->ssl == NULL) {
		n = recv(t->fd, t->resp + t->resp_len, room, 0);
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -1;
		if (n == -1) {
			dd2_finish(t, 0, 0, "receive from %s: %s",
			    t->srv->url.host, strerror(errno));
			return -1;
		}
	} else {
		ERR_clear_error();
		if ((n = SSL_read(t->ssl, t->resp + t->resp_len, (int)room)) <=
		    0) {
			if (tls_wait(t, (int)n, &e))
				return -1;
			if (e != SSL_ERROR_ZERO_RETURN) {
				dd2_finish(t, 0, 0, "TLS receive from %s: %s",
				    t->srv->url.host, tls_why(e));
				return -1;
			}
			n = 0;
		}
	}
	t->resp_len += (size_t)n;
	*eof = n == 0;
	return 0;
}

static void
dd2_answer(struct dd2_txn *t, int k, const struct ddns_dd2_result *r)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (k == -1) {
		dd2_finish(t, 0, 0, "%s: %s", t->srv->url.host, r->msg);
		return;
	}
	/* Some services publish the address they see, not the one sent. */
	if (r->ok && r->af == t->af &&
	    memcmp(r->addr, t->sent, alen(t->af)) != 0)
		log_warnx("ddns: %s answered %s for %s, which holds %s, not %s",
		    t->srv->url.host, r->msg, t->srv->name,
		    inet_ntop(r->af, r->addr, a, sizeof(a)),
		    inet_ntop(t->af, t->sent, b, sizeof(b)));
	dd2_finish(t, r->ok, r->permanent, "%s", r->msg);
}

static void
dd2_recv(struct dd2_txn *t)
{
	struct ddns_dd2_result r;
	int eof = 0, k;

	while (t->resp_len < DDNS_DD2_RESP_MAX) {
		if (dd2_read(t, &eof) == -1)
			return;
		if (eof)
			break;
		k = ddns_dd2_response(t->resp, t->resp_len, 0, &r);
		if (k != 0) {
			dd2_answer(t, k, &r);
			return;
		}
	}
	/* The end of the connection, or a buffer full: either decides. */
	dd2_answer(t, ddns_dd2_response(t->resp, t->resp_len, eof, &r), &r);
}

/* --- connecting ---------------------------------------------------------- */

static void
dd2_conn_failed(struct dd2_txn *t, int err)
{
	char ab[INET6_ADDRSTRLEN];

	snprintf(t->why, sizeof(t->why), "connect to %s port %u: %s",
	    inet_ntop(t->addr_af, t->addrs[t->next - 1], ab, sizeof(ab)),
	    t->srv->url.port, strerror(err));
	t->why_conn = 1;
	log_debug("ddns: %s", t->why);
	dd2_close(t);
	dd2_next_addr(t);
}

static void
dd2_connected(struct dd2_txn *t)
{
	int err = 0;
	socklen_t el = sizeof(err);

	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &el) == -1)
		err = errno;
	if (err != 0) {
		dd2_conn_failed(t, err);
		return;
	}
	if (!t->srv->url.tls) {
		t->state = ST_SEND;
		dd2_send(t);
		return;
	}
	if ((t->ssl = tls_new(&t->srv->url, t->fd)) == NULL) {
		dd2_finish(t, 0, 0, "TLS setup: %s", tls_why(SSL_ERROR_SSL));
		return;
	}
	t->state = ST_TLS;
	dd2_handshake(t);
}

static void
dd2_io(int fd, int events, void *arg)
{
	static void (*const step[])(struct dd2_txn *) = {
	    [ST_CONNECT] = dd2_connected,
	    [ST_TLS] = dd2_handshake,
	    [ST_SEND] = dd2_send,
	    [ST_RECV] = dd2_recv,
	};
	struct dd2_txn *t = arg;

	(void)fd, (void)events;
	step[t->state](t);
}

static int
dd2_connect(struct dd2_txn *t, const uint8_t *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = ddns_sockaddr(t->addr_af, a, t->srv->url.port, &ss);

	t->base.res.tries++;
	t->fd =
	    socket(t->addr_af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd == -1 || (connect(t->fd, (struct sockaddr *)&ss, sl) == -1 &&
	                       errno != EINPROGRESS))
		return -1;
	t->state = ST_CONNECT;
	t->io = ev_io_add(t->fd, EV_WRITE, dd2_io, t);
	return t->io == NULL ? -1 : 0;
}

/* --- finding the server --------------------------------------------------- */

static void
dd2_resolved(const struct ddns_answer *ans, void *arg)
{
	struct dd2_txn *t = arg;
	size_t i;

	t->q = NULL;
	t->naddrs = t->next = 0;
	if (ans->status == DDNS_ST_OK) {
		t->addr_af = ans->af;
		for (i = 0; i < ans->naddrs && i < DDNS_MAX_ADDRS; i++)
			memcpy(t->addrs[i], ans->addrs[i], 16);
		t->naddrs = i;
	} else if (!t->why_conn)
		snprintf(t->why, sizeof(t->why), "looking up %s %s: %s%s%s",
		    t->srv->url.host, ans->af == AF_INET ? "A" : "AAAA",
		    ddns_status_str(ans->status), ans->why[0] ? ": " : "",
		    ans->why);
	dd2_next_addr(t);
}

static void
dd2_lookup(struct dd2_txn *t)
{
	int af = (t->lookups == 0) == (t->af == AF_INET) ? AF_INET : AF_INET6;

	t->lookups++;
	t->state = ST_LOOKUP;
	t->naddrs = t->next = 0;
	if ((t->q = ddns_resolve(t->srv->url.host, af, dd2_resolved, t)) !=
	    NULL)
		return;
	if (!t->why_conn)
		snprintf(t->why, sizeof(t->why), "cannot look up %s",
		    t->srv->url.host);
	dd2_next_addr(t);
}

/* The next address; when none is left, the other family's, then give up. */
static void
dd2_next_addr(struct dd2_txn *t)
{
	if (t->next < t->naddrs) {
		if (dd2_connect(t, t->addrs[t->next++]) == -1)
			dd2_conn_failed(t, errno); /* which tries the next */
		return;
	}
	if (t->srv->url.host_af == 0 && t->lookups < 2) {
		dd2_lookup(t);
		return;
	}
	dd2_finish(t, 0, 0, "%s", t->why);
}

/* --- the hooks ------------------------------------------------------------ */

static int
dd2_build(struct dd2_txn *t, int af, const uint8_t *addr)
{
	const struct ddns_server *s = t->srv;
	struct ddns_dd2_req r = {&s->url, s->name, af, addr, DD2_AGENT, s->user,
	    NULL, s->secret_len};
	int n;

	if (s->secret == NULL ||
	    (t->req = sodium_malloc(DDNS_DD2_REQ_MAX)) == NULL ||
	    sodium_mprotect_readonly(s->secret) == -1)
		return -1;
	r.pass = s->secret;
	n = ddns_dd2_request(&r, t->req, DDNS_DD2_REQ_MAX);
	sodium_mprotect_noaccess(s->secret);
	if (n < 0)
		return -1;
	t->req_len = (size_t)n;
	return 0;
}

static struct ddns_txn *
dd2_start(const struct ddns_server *s, int af, const uint8_t *addr,
    ddns_txn_cb *cb, void *arg)
{
	struct dd2_txn *t;

	if ((t = ddns_txn_new(sizeof(*t), &ddns_dyndns2, cb, arg)) == NULL ||
	    (t->resp = malloc(DDNS_DD2_RESP_MAX)) == NULL) {
		free(t);
		log_warn("ddns: dyndns2");
		return NULL;
	}
	t->srv = s;
	t->af = af;
	t->fd = -1;
	memcpy(t->sent, addr, alen(af));
	ev_timer_set(&t->deadline, dd2_timeout, t);
	if (dd2_build(t, af, addr) == -1) {
		log_warnx(
		    "ddns: cannot build the dyndns2 request for %s", s->name);
		dd2_cancel(&t->base);
		return NULL;
	}
	snprintf(t->why, sizeof(t->why), "no address for %s", s->url.host);
	ev_timer_add(&t->deadline, DDNS_DD2_TIMEOUT);
	if (s->url.host_af == 0) {
		dd2_lookup(t);
		return &t->base;
	}
	t->addr_af = s->url.host_af;
	memcpy(t->addrs[0], s->url.host_addr, 16);
	t->naddrs = 1;
	dd2_next_addr(t);
	return &t->base;
}

static void
dd2_cancel(struct ddns_txn *bt)
{
	struct dd2_txn *t = (struct dd2_txn *)bt;

	dd2_close(t);
	dd2_wipe_req(t);
	ddns_resolve_cancel(t->q);
	ev_timer_del(&t->deadline);
	free(t->resp);
	free(t);
}

/* The dyndns2 fields; name and password are compared by the caller. */
static int
dd2_equal(const struct ddns_server *a, const struct ddns_server *b)
{
	return a->url.tls == b->url.tls && a->url.port == b->url.port &&
	       strcmp(a->url.host, b->url.host) == 0 &&
	       strcmp(a->url.path, b->url.path) == 0 &&
	       strcmp(a->user, b->user) == 0;
}

const struct ddns_proto ddns_dyndns2 = {
    .name = "dyndns2",
    .what = "dyndns2 request",
    .start = dd2_start,
    .cancel = dd2_cancel,
    .equal = dd2_equal,
};
