/*
 * internal.h: what the files of the ddns module share: the update
 * protocols as hooks (server.c; RFC 2136 in update.c, dyndns2 in
 * dyndns2.c), the publishing profiles and their address table
 * (profile.c), and the resolver (resolve.c).  Other modules read only
 * ddns/ddns.h.
 */
#ifndef TSUNAGI_DDNS_INTERNAL_H
#define TSUNAGI_DDNS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "daemon/event.h"
#include "ddns/addrsel.h"
#include "ddns/ddns.h"
#include "ddns/dns_msg.h"
#include "ddns/dyndns2.h"

#define DDNS_IFNAMSIZ   16
#define DDNS_MAX_NOTIFY 8

/* --- where to publish, and how (server.c) ----------------------------- */

struct ddns_proto;

/*
 * Where and how to send.  The secret (TSIG key or dyndns2 password) is our
 * own copy in libsodium guarded memory, readable only while a message is
 * signed or checked or the credentials are written out.
 */
struct ddns_server {
	const struct ddns_proto *proto;
	char name[DDNS_TEXT_NAME_MAX]; /* the name we publish */
	unsigned char *secret;         /* sodium_malloc'd, PROT_NONE */
	size_t secret_len;
	/* rfc2136 */
	int af;
	uint8_t addr[16];
	uint16_t port;
	char zone[DDNS_TEXT_NAME_MAX];
	uint32_t ttl;
	struct ddns_tsig_key key; /* key.secret = guarded above */
	/* dyndns2 */
	struct ddns_dd2_url url;
	char user[DDNS_DD2_USER_MAX];
};

int ddns_server_set_secret(
    struct ddns_server *s, const uint8_t *secret, size_t len);
void ddns_server_clear(struct ddns_server *s);
/* 1 if both send the same thing to the same place with the same secret. */
int ddns_server_equal(const struct ddns_server *a, const struct ddns_server *b);

struct ddns_txn_result {
	int ok;
	int permanent; /* retrying cannot help: config or server policy */
	int tries;     /* datagrams sent (UDP) plus TCP connections */
	int tcp;       /* the answer came over TCP */
	int local;     /* it never left us: no socket, no route (yet) */
	char msg[192]; /* for the log and for "show ddns" */
};

typedef void ddns_txn_cb(const struct ddns_txn_result *r, void *arg);

/*
 * Each protocol's transaction starts with this: the hooks, the caller's
 * callback, and the outcome, which server.c delivers from the loop.
 */
struct ddns_txn {
	const struct ddns_proto *proto;
	ddns_txn_cb *cb;
	void *arg;
	struct ev_timer done_t;
	struct ddns_txn_result res;
};

/*
 * An update protocol.  start sends one update replacing the record with
 * `addr` and calls cb once with the outcome, never from inside start; NULL
 * on local failure.  cancel abandons it without a callback.  equal
 * compares the protocol's own fields of two servers.
 */
struct ddns_proto {
	const char *name; /* "show ddns" */
	const char *what; /* what one update is called in the log */
	struct ddns_txn *(*start)(const struct ddns_server *s, int af,
	    const uint8_t *addr, ddns_txn_cb *cb, void *arg);
	void (*cancel)(struct ddns_txn *t);
	int (*equal)(const struct ddns_server *a, const struct ddns_server *b);
};

extern const struct ddns_proto ddns_rfc2136; /* update.c */
extern const struct ddns_proto ddns_dyndns2; /* dyndns2.c */

/* Through s->proto and t->proto; cancel takes NULL. */
struct ddns_txn *ddns_txn_start(const struct ddns_server *s, int af,
    const uint8_t *addr, ddns_txn_cb *cb, void *arg);
void ddns_txn_cancel(struct ddns_txn *t);

/*
 * For the protocols: a zeroed transaction of `size` bytes (its struct
 * begins with struct ddns_txn); settle it (the callback runs from the
 * loop, after the caller returns, and the transaction is then freed).
 */
void *ddns_txn_new(
    size_t size, const struct ddns_proto *p, ddns_txn_cb *cb, void *arg);
void ddns_txn_vfinish(struct ddns_txn *t, int ok, int permanent,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
socklen_t ddns_sockaddr(
    int af, const uint8_t *addr, uint16_t port, struct sockaddr_storage *ss);

/* UDP retransmits (ms) and the TCP deadline. */
#define DDNS_UDP_TIMEOUTS                                                      \
	{                                                                      \
		1000, 2000, 4000                                               \
	}
#define DDNS_TCP_TIMEOUT 10000
/* One dyndns2 request: name lookup, connect, TLS, answer. */
#define DDNS_DD2_TIMEOUT 15000

/* --- profiles (profile.c) ---------------------------------------------- */

struct ddns_notify {
	char ifname[DDNS_IFNAMSIZ];
	int af;
};

/* A profile as the updater sees it, independent of struct conf. */
struct ddns_pconf {
	char name[64];
	struct ddns_server srv;
	struct ddns_notify notify[DDNS_MAX_NOTIFY];
	size_t nnotify;
};

/* Event coalescing, rate limit, backoff and refresh (ms). */
#define DDNS_COALESCE_MS 200
#define DDNS_BUCKET      5     /* UPDATEs in a burst per record */
#define DDNS_BUCKET_MS   12000 /* one more every ... */
#define DDNS_BACKOFF_MIN 2000
/*
 * An update that could not leave (ENETUNREACH: pppd adds the address a
 * moment before its default route) is tried again sooner: 250 ms,
 * doubling, for a few tries, then the usual backoff.
 */
#define DDNS_LOCAL_RETRY_MS    250
#define DDNS_LOCAL_RETRY_TRIES 4
#define DDNS_BACKOFF_MAX       300000
#define DDNS_REFRESH_MS        300000
#define DDNS_HOLD_MS           3600000 /* after a permanent error */

struct ddns_profile;

/* Takes the secret over (pc->srv is cleared).  NULL on failure. */
struct ddns_profile *ddns_profile_new(struct ddns_pconf *pc);
void ddns_profile_free(struct ddns_profile *p);
/* Keeps what p knows was published when q replaces it unchanged. */
void ddns_profile_inherit(struct ddns_profile *q, const struct ddns_profile *p);
const char *ddns_profile_name(const struct ddns_profile *p);
/* Called after the address table changed for ifname (NULL = all). */
void ddns_profiles_kick(const char *ifname);
/* Records per profile for "show ddns". */
void ddns_profiles_show(struct ctl_conn *c);

/* monitor.c: an interface's addresses, from xfrm's interface table. */
size_t ddns_if_addrs(
    const char *ifname, int af, struct ddns_addr *out, size_t max);
/* Kicks the profiles on every address change of the table. */
int ddns_monitor_start(void);
void ddns_monitor_stop(void);

/* --- resolver (resolve.c) ---------------------------------------------- */

void ddns_peers_show(struct ctl_conn *c);
void ddns_profiles_metrics(struct ctl_conn *c);
int ddns_peers_any(void); /* 1 if any tunnel resolves a name */

#endif
