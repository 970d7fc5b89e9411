/*
 * profile.c: when to publish.  Each (profile, notify interface, family) is
 * a record with one timer: address events arm it after a short coalescing
 * delay, a token bucket bounds how often a flapping link can make us send,
 * failures back off, a periodic refresh catches anything missed.  An
 * update (either protocol: they are hooks) goes out only when the selected
 * address differs from the one the server was last told; no usable address
 * sends nothing (a link going down must not publish a wrong or empty record).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/ctl.h"
#include "daemon/event.h"
#include "daemon/evlog.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "ddns/internal.h"

struct ddns_record {
	struct ddns_profile *p;
	struct ddns_notify n;
	struct ev_timer timer;
	struct ddns_txn *txn;
	int have_pub;
	uint8_t pub[16]; /* what the server holds, as far as we know */
	uint8_t sending[16];
	int held; /* permanent error for held_addr */
	uint8_t held_addr[16];
	uint64_t hold_until; /* ms */
	uint64_t retry_at;   /* ms, after a transient failure */
	unsigned fails;
	double tokens;
	uint64_t tokens_at; /* ms */
	uint64_t next_at;   /* ms, when the timer fires */
	time_t last_time;   /* wall clock of the last answer, 0 none */
	int last_ok;
	char last_msg[192];
	uint64_t sent; /* UPDATEs started */
};

struct ddns_profile {
	struct ddns_pconf c;
	struct ddns_record rec[DDNS_MAX_NOTIFY];
	struct ddns_profile *next;
};

static struct ddns_profile *profiles;

static size_t
alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static void
rec_arm(struct ddns_record *r, uint64_t ms)
{
	r->next_at = ev_now() + ms;
	ev_timer_add(&r->timer, ms);
}

/* Refills the bucket; returns ms until a token is there (0: one is). */
static uint64_t
rec_bucket(struct ddns_record *r)
{
	uint64_t now = ev_now();

	r->tokens += (double)(now - r->tokens_at) / DDNS_BUCKET_MS;
	if (r->tokens > DDNS_BUCKET)
		r->tokens = DDNS_BUCKET;
	r->tokens_at = now;
	if (r->tokens >= 1)
		return 0;
	return (uint64_t)((1 - r->tokens) * DDNS_BUCKET_MS) + 1;
}

static const char *
fmt_addr(int af, const uint8_t *a, char *buf, size_t len)
{
	return inet_ntop(af, a, buf, (socklen_t)len) ? buf : "?";
}

static void
rec_done(const struct ddns_txn_result *res, void *arg)
{
	struct ddns_record *r = arg;
	char ab[INET6_ADDRSTRLEN];
	uint64_t backoff;

	r->txn = NULL;
	r->last_time = time(NULL);
	r->last_ok = res->ok;
	snprintf(r->last_msg, sizeof(r->last_msg), "%s", res->msg);
	fmt_addr(r->n.af, r->sending, ab, sizeof(ab));
	if (res->ok) {
		log_info("ddns %s: %s %s %s published%s", r->p->c.name,
		    r->p->c.srv.name, r->n.af == AF_INET ? "A" : "AAAA", ab,
		    res->tcp ? " (TCP)" : "");
		evlog("ddns-update", r->p->c.name, "%s %s %s published",
		    r->p->c.srv.name, r->n.af == AF_INET ? "A" : "AAAA", ab);
	} else
		evlog("ddns-error", r->p->c.name, "%s %s %s: %s%s",
		    r->p->c.srv.name, r->n.af == AF_INET ? "A" : "AAAA", ab,
		    res->msg, res->permanent ? " (not retried)" : "");
	if (res->ok) {
		memcpy(r->pub, r->sending, 16);
		r->have_pub = 1;
		r->held = 0;
		r->fails = 0;
		/* An event may have come in meanwhile: rec_eval decides. */
		rec_arm(r, DDNS_COALESCE_MS);
	} else if (res->permanent) {
		log_warnx(
		    "ddns %s: update of %s to %s refused: %s; not retrying "
		    "until the address or configuration changes",
		    r->p->c.name, r->p->c.srv.name, ab, res->msg);
		r->held = 1;
		memcpy(r->held_addr, r->sending, 16);
		r->hold_until = ev_now() + DDNS_HOLD_MS;
		rec_arm(r, DDNS_COALESCE_MS);
	} else {
		backoff = (uint64_t)DDNS_BACKOFF_MIN
		          << (r->fails < 8 ? r->fails : 8);
		if (res->local && r->fails < DDNS_LOCAL_RETRY_TRIES) {
			/* Nothing left us: the uplink's route may be a moment
			 * behind its address.  No token spent either. */
			backoff = (uint64_t)DDNS_LOCAL_RETRY_MS << r->fails;
			r->tokens += 1;
		}
		if (backoff > DDNS_BACKOFF_MAX)
			backoff = DDNS_BACKOFF_MAX;
		r->fails++;
		log_warnx("ddns %s: update of %s to %s failed: %s; retry in "
		          "%llu %s",
		    r->p->c.name, r->p->c.srv.name, ab, res->msg,
		    (unsigned long long)(backoff < 1000 ? backoff
		                                        : backoff / 1000),
		    backoff < 1000 ? "ms" : "s");
		r->retry_at = ev_now() + backoff;
		rec_arm(r, backoff);
	}
}

static void
rec_send(struct ddns_record *r, const struct ddns_addr *a)
{
	char ab[INET6_ADDRSTRLEN];

	r->tokens -= 1;
	memset(r->sending, 0, 16);
	memcpy(r->sending, a->a, alen(a->af));
	r->sent++;
	log_debug("ddns %s: sending %s %s %s", r->p->c.name,
	    r->p->c.srv.proto->what, r->p->c.srv.name,
	    fmt_addr(a->af, a->a, ab, sizeof(ab)));
	r->txn = ddns_txn_start(&r->p->c.srv, a->af, a->a, rec_done, r);
	if (r->txn == NULL)
		rec_arm(r, DDNS_BACKOFF_MAX);
}

/* The timer: decide whether anything has to go out now. */
static void
rec_eval(void *arg)
{
	struct ddns_record *r = arg;
	struct ddns_addr v[32];
	const struct ddns_addr *a;
	size_t n, l = alen(r->n.af);
	uint64_t wait;

	if (r->txn != NULL)
		return; /* rec_done re-arms */
	n = ddns_if_addrs(r->n.ifname, r->n.af, v, 32);
	a = ddns_addr_select(
	    v, n, r->n.af, ev_now(), r->have_pub ? r->pub : NULL);
	if (a == NULL) {
		log_debug("ddns %s: no usable address on %s, nothing sent",
		    r->p->c.name, r->n.ifname);
		rec_arm(r, DDNS_REFRESH_MS);
		return;
	}
	if (r->have_pub && memcmp(a->a, r->pub, l) == 0) {
		rec_arm(r, DDNS_REFRESH_MS);
		return;
	}
	/* Refused: the same address is not tried again before the hold. */
	if (r->held && memcmp(a->a, r->held_addr, l) == 0 &&
	    ev_now() < r->hold_until) {
		rec_arm(r, r->hold_until - ev_now());
		return;
	}
	/* Events that do not change the address do not cut a backoff. */
	if (r->fails > 0 && memcmp(a->a, r->sending, l) == 0 &&
	    ev_now() < r->retry_at) {
		rec_arm(r, r->retry_at - ev_now());
		return;
	}
	if ((wait = rec_bucket(r)) > 0) {
		log_debug("ddns %s: rate limited, next in %llu ms",
		    r->p->c.name, (unsigned long long)wait);
		rec_arm(r, wait);
		return;
	}
	r->held = 0;
	if (memcmp(a->a, r->sending, l) != 0)
		r->fails = 0;
	rec_send(r, a);
}

/* An address event: look again soon, but let a burst settle first. */
static void
rec_kick(struct ddns_record *r)
{
	uint64_t at = ev_now() + DDNS_COALESCE_MS;

	if (r->txn != NULL)
		return; /* rec_done re-arms, and rec_eval looks again */
	if (!ev_timer_pending(&r->timer) || r->next_at > at)
		rec_arm(r, DDNS_COALESCE_MS);
}

void
ddns_profiles_kick(const char *ifname)
{
	struct ddns_profile *p;
	size_t i;

	for (p = profiles; p != NULL; p = p->next)
		for (i = 0; i < p->c.nnotify; i++)
			if (ifname == NULL ||
			    strcmp(p->rec[i].n.ifname, ifname) == 0)
				rec_kick(&p->rec[i]);
}

struct ddns_profile *
ddns_profile_new(struct ddns_pconf *pc)
{
	struct ddns_profile *p, **pp;
	size_t i;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		log_warn("ddns");
		return NULL;
	}
	p->c = *pc;
	memset(&pc->srv.secret, 0, sizeof(pc->srv.secret));
	pc->srv.secret_len = 0;
	for (i = 0; i < p->c.nnotify; i++) {
		struct ddns_record *r = &p->rec[i];

		r->p = p;
		r->n = p->c.notify[i];
		r->tokens = DDNS_BUCKET;
		r->tokens_at = ev_now();
		ev_timer_set(&r->timer, rec_eval, r);
		rec_arm(r, DDNS_COALESCE_MS);
	}
	for (pp = &profiles; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = p;
	return p;
}

void
ddns_profile_inherit(struct ddns_profile *q, const struct ddns_profile *p)
{
	size_t i, j;

	if (!ddns_server_equal(&q->c.srv, &p->c.srv))
		return;
	for (i = 0; i < q->c.nnotify; i++)
		for (j = 0; j < p->c.nnotify; j++) {
			const struct ddns_record *o = &p->rec[j];
			struct ddns_record *r = &q->rec[i];

			if (strcmp(r->n.ifname, o->n.ifname) != 0 ||
			    r->n.af != o->n.af)
				continue;
			r->have_pub = o->have_pub;
			memcpy(r->pub, o->pub, 16);
			r->last_time = o->last_time;
			r->last_ok = o->last_ok;
			memcpy(r->last_msg, o->last_msg, sizeof(r->last_msg));
			r->sent = o->sent;
		}
}

void
ddns_profile_free(struct ddns_profile *p)
{
	struct ddns_profile **pp;
	size_t i;

	if (p == NULL)
		return;
	for (pp = &profiles; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	for (i = 0; i < p->c.nnotify; i++) {
		ddns_txn_cancel(p->rec[i].txn);
		ev_timer_del(&p->rec[i].timer);
	}
	ddns_server_clear(&p->c.srv);
	free(p);
}

const char *
ddns_profile_name(const struct ddns_profile *p)
{
	return p->c.name;
}

static void
rec_show(struct ctl_conn *c, const struct ddns_record *r)
{
	char ab[INET6_ADDRSTRLEN], tb[32];
	struct tm tm;

	ctl_rec_begin(c, "ddns-profile");
	ctl_rec_str(c, "profile", r->p->c.name);
	ctl_rec_str(c, "hostname", r->p->c.srv.name);
	ctl_rec_str(c, "type", r->n.af == AF_INET ? "A" : "AAAA");
	ctl_rec_str(c, "protocol", r->p->c.srv.proto->name);
	ctl_rec_str(c, "interface", r->n.ifname);
	ctl_rec_str(c, "published",
	    r->have_pub ? fmt_addr(r->n.af, r->pub, ab, sizeof(ab)) : "");
	if (r->last_time != 0 && gmtime_r(&r->last_time, &tm) != NULL &&
	    strftime(tb, sizeof(tb), "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
		ctl_rec_str(c, "last-update", tb);
	else
		ctl_rec_str(c, "last-update", "");
	ctl_rec_str(c, "result",
	    r->txn != NULL      ? "in progress"
	    : r->last_time == 0 ? ""
	                        : r->last_msg);
	ctl_rec_bool(c, "ok", r->last_ok);
	ctl_rec_uint(c, "updates-sent", r->sent);
	ctl_rec_uint(c, "next-check-s",
	    ev_timer_pending(&r->timer) && r->next_at > ev_now()
	        ? (r->next_at - ev_now() + 999) / 1000
	        : 0);
	ctl_rec_end(c);
}

/* A profile record's sample: its profile, name and record type. */
static void
rec_metric(struct ctl_conn *c, const char *name, const struct ddns_record *r,
    uint64_t v)
{
	metric_begin(c, name);
	ctl_rec_str(c, "profile", r->p->c.name);
	ctl_rec_str(c, "hostname", r->p->c.srv.name);
	ctl_rec_str(c, "type", r->n.af == AF_INET ? "A" : "AAAA");
	metric_uint(c, v);
}

void
ddns_profiles_metrics(struct ctl_conn *c)
{
	const struct ddns_profile *p;
	size_t i;

	if (profiles == NULL)
		return;
	metric_family(c, "tsunagi_ddns_published", "gauge",
	    "1 while the record's last update was accepted.");
	for (p = profiles; p != NULL; p = p->next)
		for (i = 0; i < p->c.nnotify; i++)
			rec_metric(c, "tsunagi_ddns_published", &p->rec[i],
			    p->rec[i].have_pub && p->rec[i].last_ok);
	metric_family(c, "tsunagi_ddns_updates", "counter",
	    "Updates sent for the record (their results: tsunagi_events).");
	for (p = profiles; p != NULL; p = p->next)
		for (i = 0; i < p->c.nnotify; i++)
			rec_metric(c, "tsunagi_ddns_updates", &p->rec[i],
			    p->rec[i].sent);
}

void
ddns_profiles_show(struct ctl_conn *c)
{
	const struct ddns_profile *p;
	size_t i;

	for (p = profiles; p != NULL; p = p->next)
		for (i = 0; i < p->c.nnotify; i++)
			rec_show(c, &p->rec[i]);
}
