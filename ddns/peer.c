/*
 * peer.c: a peer's name kept resolved for the tunnels.  The answer's TTL
 * decides when to ask again; failures back off.  A failed lookup forgets
 * the old addresses: a tunnel that stays down is better than one aimed at
 * an address the name no longer has.
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
#include "ddns/internal.h"

#define PEER_TTL_MIN_MS  1000
#define PEER_TTL_MAX_MS  86400000
#define PEER_BACKOFF_MIN 2000
#define PEER_BACKOFF_MAX 300000

struct ddns_peer {
	struct ddns_peer *next;
	char *fqdn;
	int af;
	ddns_peer_cb *cb;
	void *arg;
	struct ddns_query *q;
	struct ev_timer timer;
	struct ddns_answer last; /* the latest answer, good or not */
	int have_last;
	uint64_t expires_at; /* ms, of the good addresses */
	uint64_t next_at;    /* ms, the next lookup */
	unsigned fails;
};

static struct ddns_peer *peers;

static void peer_lookup(void *arg);

static void
peer_arm(struct ddns_peer *p, uint64_t ms)
{
	p->next_at = ev_now() + ms;
	ev_timer_add(&p->timer, ms);
}

static int
same_set(const struct ddns_answer *a, const struct ddns_answer *b)
{
	size_t i, j;

	if (a->naddrs != b->naddrs)
		return 0;
	for (i = 0; i < a->naddrs; i++) {
		for (j = 0; j < b->naddrs; j++)
			if (memcmp(a->addrs[i], b->addrs[j], 16) == 0)
				break;
		if (j == b->naddrs)
			return 0;
	}
	return 1;
}

#define PEER_LIST_MAX (DDNS_MAX_ADDRS * (INET6_ADDRSTRLEN + 1))

/* "a,b,c": the addresses of an answer. */
static const char *
peer_list(int af, const struct ddns_answer *a, char *list)
{
	char ab[INET6_ADDRSTRLEN];
	size_t i;

	list[0] = '\0';
	for (i = 0; i < a->naddrs; i++) {
		if (inet_ntop(af, a->addrs[i], ab, sizeof(ab)) == NULL)
			continue;
		if (list[0] != '\0')
			strcat(list, ",");
		strcat(list, ab);
	}
	return list;
}

static void
peer_answer(const struct ddns_answer *a, void *arg)
{
	struct ddns_peer *p = arg;
	uint64_t ms;
	int changed;

	p->q = NULL;
	changed = !p->have_last || !same_set(a, &p->last);
	if (a->status == DDNS_ST_OK) {
		ms = (uint64_t)a->ttl * 1000;
		ms = ms < PEER_TTL_MIN_MS   ? PEER_TTL_MIN_MS
		     : ms > PEER_TTL_MAX_MS ? PEER_TTL_MAX_MS
		                            : ms;
		p->fails = 0;
		p->expires_at = ev_now() + (uint64_t)a->ttl * 1000;
		if (changed) {
			char list[PEER_LIST_MAX];

			log_info("ddns: %s %s resolved, TTL %u%s", p->fqdn,
			    p->af == AF_INET ? "A" : "AAAA", a->ttl,
			    a->secure ? ", DNSSEC secure" : "");
			evlog("peer-address", p->fqdn, "%s %s",
			    p->af == AF_INET ? "A" : "AAAA",
			    peer_list(p->af, a, list));
		}
	} else {
		ms = (uint64_t)PEER_BACKOFF_MIN
		     << (p->fails < 8 ? p->fails : 8);
		if (ms > PEER_BACKOFF_MAX)
			ms = PEER_BACKOFF_MAX;
		p->fails++;
		p->expires_at = 0;
		evlog("peer-lookup-failed", p->fqdn, "%s: %s",
		    p->af == AF_INET ? "A" : "AAAA", ddns_status_str(a->status));
		log_warnx("ddns: %s %s: %s%s%s; retry in %llu s", p->fqdn,
		    p->af == AF_INET ? "A" : "AAAA", ddns_status_str(a->status),
		    a->why[0] ? ": " : "", a->why,
		    (unsigned long long)ms / 1000);
	}
	p->last = *a;
	p->have_last = 1;
	peer_arm(p, ms);
	if (p->cb != NULL)
		p->cb(a, changed, p->arg);
}

static void
peer_lookup(void *arg)
{
	struct ddns_peer *p = arg;

	if (p->q != NULL)
		return;
	if ((p->q = ddns_resolve(p->fqdn, p->af, peer_answer, p)) == NULL)
		peer_arm(p, PEER_BACKOFF_MAX);
}

struct ddns_peer *
ddns_peer_add(const char *fqdn, int af, ddns_peer_cb *cb, void *arg)
{
	struct ddns_peer *p;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->fqdn = strdup(fqdn)) == NULL) {
		free(p);
		log_warn("ddns: peer");
		return NULL;
	}
	p->af = af;
	p->cb = cb;
	p->arg = arg;
	ev_timer_set(&p->timer, peer_lookup, p);
	p->next = peers;
	peers = p;
	peer_arm(p, 0);
	return p;
}

void
ddns_peer_refresh(struct ddns_peer *p)
{
	/* Whoever asks suspects the cached answer (the tunnel failed, or
	 * an unknown address knocked): past the cache, to the server. */
	ddns_resolver_flush();
	if (p->q == NULL)
		peer_arm(p, 0);
}

void
ddns_peer_del(struct ddns_peer *p)
{
	struct ddns_peer **pp;

	if (p == NULL)
		return;
	for (pp = &peers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	ddns_resolve_cancel(p->q);
	ev_timer_del(&p->timer);
	free(p->fqdn);
	free(p);
}

static void
peer_show(struct ctl_conn *c, const struct ddns_peer *p)
{
	char list[PEER_LIST_MAX] = "";
	uint64_t now = ev_now();

	if (p->have_last)
		peer_list(p->af, &p->last, list);
	ctl_rec_begin(c, "ddns-peer");
	ctl_rec_str(c, "fqdn", p->fqdn);
	ctl_rec_str(c, "type", p->af == AF_INET ? "A" : "AAAA");
	ctl_rec_str(c, "status",
	    !p->have_last ? "pending" : ddns_status_str(p->last.status));
	ctl_rec_str(c, "detail", p->have_last ? p->last.why : "");
	ctl_rec_str(c, "addresses", list);
	ctl_rec_uint(c, "ttl-left-s",
	    p->expires_at > now ? (p->expires_at - now) / 1000 : 0);
	ctl_rec_str(c, "dnssec",
	    !p->have_last                     ? ""
	    : p->last.status == DDNS_ST_BOGUS ? "bogus"
	    : p->last.secure                  ? "secure"
	                                      : "insecure");
	ctl_rec_uint(c, "failures", p->fails);
	ctl_rec_uint(c, "next-lookup-s",
	    p->next_at > now ? (p->next_at - now + 999) / 1000 : 0);
	ctl_rec_end(c);
}

void
ddns_peers_show(struct ctl_conn *c)
{
	const struct ddns_peer *p;

	for (p = peers; p != NULL; p = p->next)
		peer_show(c, p);
}

int
ddns_peers_any(void)
{
	return peers != NULL;
}
