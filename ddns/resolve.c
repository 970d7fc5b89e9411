/*
 * resolve.c: libunbound inside the daemon's loop (ub_fd + ub_process; the
 * library's own worker does the network side).  Forwarders come from the
 * configuration or /etc/resolv.conf; with a trust anchor file answers are
 * validated and a bogus one is rejected, never used.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <unbound.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ddns/internal.h"

#define RESOLVE_TIMEOUT_MS 10000

struct ddns_query {
	struct ddns_query *next;
	char *fqdn;
	int af;
	ddns_resolve_cb *cb;
	void *arg;
	int async_id;
	int submitted;
	struct ev_timer timeout;
	struct ev_timer deliver; /* failures found before submitting */
	struct ddns_answer ans;
};

/* A flush (a fresh context) at most this often. */
#define RS_FLUSH_MS 3000
#define RS_FWD_MAX  8

static struct {
	struct ub_ctx *ctx;
	struct ev_io *io;
	struct ddns_query *queries;
	/* What setup was given, to build the same context again. */
	char *fwd[RS_FWD_MAX];
	size_t nfwd;
	char *ta;
	uint64_t flushed;
} rs;

const char *
ddns_status_str(int st)
{
	static const char *const s[] = {"ok", "NXDOMAIN", "no data", "SERVFAIL",
	    "timeout", "DNSSEC bogus", "error"};

	return st >= 0 && st <= DDNS_ST_ERROR ? s[st] : "?";
}

static void
rs_readable(int fd, int events, void *arg)
{
	(void)fd, (void)events, (void)arg;
	if (rs.ctx != NULL && ub_process(rs.ctx) != 0)
		log_warnx("ddns: resolver: processing results failed");
}

static struct ub_ctx *
rs_new_ctx(const char *const *fwd, size_t nfwd, const char *ta)
{
	struct ub_ctx *ctx;
	size_t i;
	int e = 0;

	if ((ctx = ub_ctx_create()) == NULL)
		return NULL;
	/* resolv.conf often names 127.0.0.53 or a local unbound. */
	e = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no");
	for (i = 0; e == 0 && i < nfwd; i++)
		if ((e = ub_ctx_set_fwd(ctx, fwd[i])) != 0)
			log_warnx(
			    "ddns: name server %s: %s", fwd[i], ub_strerror(e));
	if (e == 0 && nfwd == 0 && (e = ub_ctx_resolvconf(ctx, NULL)) != 0)
		log_warnx("ddns: /etc/resolv.conf: %s", ub_strerror(e));
	if (e == 0 && ta != NULL && (e = ub_ctx_add_ta_file(ctx, ta)) != 0)
		log_warnx("ddns: trust anchor file %s: %s", ta, ub_strerror(e));
	if (e != 0) {
		ub_ctx_delete(ctx);
		return NULL;
	}
	return ctx;
}

static void rs_callback(void *arg, int err, struct ub_result *r);

static int
rs_submit(struct ddns_query *q)
{
	int e;

	e = ub_resolve_async(rs.ctx, q->fqdn, q->af == AF_INET ? 1 : 28, 1, q,
	    rs_callback, &q->async_id);
	if (e != 0) {
		log_warnx("ddns: resolve %s: %s", q->fqdn, ub_strerror(e));
		return -1;
	}
	q->submitted = 1;
	if (rs.io == NULL && (rs.io = ev_io_add(ub_fd(rs.ctx), EV_READ,
	                          rs_readable, NULL)) == NULL)
		return -1;
	return 0;
}

static void
rs_params_free(void)
{
	size_t i;

	for (i = 0; i < rs.nfwd; i++)
		free(rs.fwd[i]);
	free(rs.ta);
	rs.nfwd = 0;
	rs.ta = NULL;
}

/* Keep the parameters for ddns_resolver_flush(). */
static void
rs_params_keep(const char *const *fwd, size_t nfwd, const char *ta)
{
	size_t i;

	if (fwd == (const char *const *)rs.fwd)
		return; /* a flush: they are ours already */
	rs_params_free();
	for (i = 0; i < nfwd && i < RS_FWD_MAX; i++)
		if ((rs.fwd[rs.nfwd] = strdup(fwd[i])) != NULL)
			rs.nfwd++;
	rs.ta = ta != NULL ? strdup(ta) : NULL;
}

int
ddns_resolver_setup(const char *const *fwd, size_t nfwd, const char *ta)
{
	struct ub_ctx *ctx;
	struct ddns_query *q;

	if ((ctx = rs_new_ctx(fwd, nfwd, ta)) == NULL)
		return -1;
	rs_params_keep(fwd, nfwd, ta);
	if (rs.io != NULL)
		ev_io_del(rs.io);
	rs.io = NULL;
	if (rs.ctx != NULL)
		ub_ctx_delete(rs.ctx); /* drops its queries without callbacks */
	rs.ctx = ctx;
	for (q = rs.queries; q != NULL; q = q->next)
		if (q->submitted && rs_submit(q) == -1)
			q->submitted = 0; /* the timeout reports it */
	return 0;
}

static void
q_unlink(struct ddns_query *q)
{
	struct ddns_query **qq;

	for (qq = &rs.queries; *qq != NULL; qq = &(*qq)->next)
		if (*qq == q) {
			*qq = q->next;
			break;
		}
}

static void
q_free(struct ddns_query *q)
{
	q_unlink(q);
	ev_timer_del(&q->timeout);
	ev_timer_del(&q->deliver);
	free(q->fqdn);
	free(q);
}

static void
q_deliver(void *arg)
{
	struct ddns_query *q = arg;
	struct ddns_answer a = q->ans;
	ddns_resolve_cb *cb = q->cb;
	void *cbarg = q->arg;

	q_free(q);
	cb(&a, cbarg);
}

static void
q_fail(struct ddns_query *q, int st, const char *why)
{
	memset(&q->ans, 0, sizeof(q->ans));
	q->ans.status = st;
	q->ans.af = q->af;
	snprintf(q->ans.why, sizeof(q->ans.why), "%s", why);
	ev_timer_add(&q->deliver, 0);
}

static void
q_timeout(void *arg)
{
	struct ddns_query *q = arg;

	if (q->submitted && rs.ctx != NULL)
		ub_cancel(rs.ctx, q->async_id);
	q->submitted = 0;
	q_fail(q, DDNS_ST_TIMEOUT, "no answer from the name servers");
}

static void
rs_answer(struct ddns_answer *a, int af, int err, const struct ub_result *r)
{
	memset(a, 0, sizeof(*a));
	a->af = af;
	if (err != 0) {
		a->status = DDNS_ST_ERROR;
		snprintf(a->why, sizeof(a->why), "%s", ub_strerror(err));
	} else if (r->bogus) {
		a->status = DDNS_ST_BOGUS;
		snprintf(a->why, sizeof(a->why), "%s",
		    r->why_bogus ? r->why_bogus : "validation failed");
	} else if (r->nxdomain || r->rcode == 3) {
		a->status = DDNS_ST_NXDOMAIN;
	} else if (r->rcode != 0) {
		a->status = r->rcode == 2 ? DDNS_ST_SERVFAIL : DDNS_ST_ERROR;
		snprintf(a->why, sizeof(a->why), "rcode %d", r->rcode);
	} else {
		a->naddrs = ddns_rdata_addrs(
		    af, r->data, r->len, a->addrs, DDNS_MAX_ADDRS);
		a->status = a->naddrs > 0 ? DDNS_ST_OK : DDNS_ST_NODATA;
		a->ttl = a->naddrs > 0 && r->ttl > 0 ? (uint32_t)r->ttl : 0;
	}
	a->secure = err == 0 && r->secure;
}

static void
rs_callback(void *arg, int err, struct ub_result *r)
{
	struct ddns_query *q = arg;
	struct ddns_answer a;
	ddns_resolve_cb *cb = q->cb;
	void *cbarg = q->arg;

	rs_answer(&a, q->af, err, r);
	if (r != NULL)
		ub_resolve_free(r);
	q->submitted = 0;
	q_free(q);
	cb(&a, cbarg);
}

struct ddns_query *
ddns_resolve(const char *fqdn, int af, ddns_resolve_cb *cb, void *arg)
{
	struct ddns_query *q;

	if ((af != AF_INET && af != AF_INET6) ||
	    (rs.ctx == NULL && ddns_resolver_setup(NULL, 0, NULL) == -1))
		return NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->fqdn = strdup(fqdn)) == NULL) {
		free(q);
		log_warn("ddns: resolve");
		return NULL;
	}
	q->af = af;
	q->cb = cb;
	q->arg = arg;
	ev_timer_set(&q->timeout, q_timeout, q);
	ev_timer_set(&q->deliver, q_deliver, q);
	q->next = rs.queries;
	rs.queries = q;
	ev_timer_add(&q->timeout, RESOLVE_TIMEOUT_MS);
	if (rs_submit(q) == -1)
		q_fail(q, DDNS_ST_ERROR, "resolver not available");
	return q;
}

void
ddns_resolve_cancel(struct ddns_query *q)
{
	if (q == NULL)
		return;
	if (q->submitted && rs.ctx != NULL)
		ub_cancel(rs.ctx, q->async_id);
	q_free(q);
}

/*
 * Forget every cached answer: a fresh libunbound context with the same
 * forwarders (queries in flight are sent again).  libunbound has no way
 * to drop one name from its cache, and a peer that was just renumbered
 * must not be looked up in the cache until its old record's TTL runs out.
 */
void
ddns_resolver_flush(void)
{
	uint64_t now = ev_now();

	if (rs.ctx == NULL || (rs.flushed != 0 && now - rs.flushed < RS_FLUSH_MS))
		return;
	rs.flushed = now;
	if (ddns_resolver_setup((const char *const *)rs.fwd, rs.nfwd, rs.ta) ==
	    -1)
		log_warnx("ddns: resolver: cannot start afresh; the cache stays");
}

void
ddns_resolver_fini(void)
{
	while (rs.queries != NULL)
		ddns_resolve_cancel(rs.queries);
	rs_params_free();
	if (rs.io != NULL)
		ev_io_del(rs.io);
	if (rs.ctx != NULL)
		ub_ctx_delete(rs.ctx);
	memset(&rs, 0, sizeof(rs));
}
