/*
 * ddns.h: the one header other modules read.  ddns publishes this site's
 * addresses (RFC 2136 UPDATE with TSIG) and finds the peer's by name
 * (libunbound, asynchronous, TTL-driven), all inside the daemon's loop.
 */
#ifndef TSUNAGI_DDNS_H
#define TSUNAGI_DDNS_H

#include <stddef.h>
#include <stdint.h>

struct ctl_conn;

#define DDNS_MAX_ADDRS 8

enum ddns_status {
	DDNS_ST_OK = 0,
	DDNS_ST_NXDOMAIN, /* the name does not exist */
	DDNS_ST_NODATA,   /* the name exists, no record of this type */
	DDNS_ST_SERVFAIL,
	DDNS_ST_TIMEOUT,
	DDNS_ST_BOGUS, /* DNSSEC validation failed: answer rejected */
	DDNS_ST_ERROR, /* anything else (see why) */
};
const char *ddns_status_str(int st);

/* One answer.  On anything but DDNS_ST_OK, naddrs is 0. */
struct ddns_answer {
	int status;
	int af;
	size_t naddrs;
	uint8_t addrs[DDNS_MAX_ADDRS][16];
	uint32_t ttl;  /* seconds */
	int secure;    /* DNSSEC validated */
	char why[128]; /* status detail, "" if none */
};

typedef void ddns_resolve_cb(const struct ddns_answer *ans, void *arg);

/*
 * Forwarders (addresses as text; none: /etc/resolv.conf) and an optional
 * DNSSEC trust anchor file.  Called by the module hooks; the test tool
 * calls it directly.  Queries in flight are re-sent.  0 or -1.
 */
int ddns_resolver_setup(
    const char *const *fwd, size_t nfwd, const char *ta_file);
void ddns_resolver_fini(void);
/* Drop every cached answer (at most every 3 s); lookups ask the server. */
void ddns_resolver_flush(void);

/*
 * One asynchronous A (AF_INET) or AAAA (AF_INET6) lookup; cb runs once, from
 * the event loop, never inside this call.  NULL on local failure.
 */
struct ddns_query;
struct ddns_query *ddns_resolve(
    const char *fqdn, int af, ddns_resolve_cb *cb, void *arg);
void ddns_resolve_cancel(struct ddns_query *q);

/*
 * A peer name kept resolved: re-resolved when the TTL expires, with backoff
 * after failures, and at once on ddns_peer_refresh() (tunnel
 * (re)initiation, liveness failure).  cb runs after every resolution;
 * `changed` says the address set differs from the previous good one.
 */
typedef void ddns_peer_cb(
    const struct ddns_answer *ans, int changed, void *arg);
struct ddns_peer;
struct ddns_peer *ddns_peer_add(
    const char *fqdn, int af, ddns_peer_cb *cb, void *arg);
void ddns_peer_refresh(struct ddns_peer *p);
void ddns_peer_del(struct ddns_peer *p);

/* "show ddns": flat records per profile and per peer name. */
int ddns_show(struct ctl_conn *c, int argc, char **argv, void *arg);

/* tsunagid's module hooks. */
struct tsunagi_module;
extern const struct tsunagi_module ddns_module;

#endif
