/*
 * internal.h: what the files of the ddns module share: one UPDATE
 * transaction on the wire (update.c), the publishing profiles and their
 * address table (profile.c), and the resolver (resolve.c).  Other modules
 * read only ddns/ddns.h.
 */
#ifndef TSUNAGI_DDNS_INTERNAL_H
#define TSUNAGI_DDNS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "daemon/event.h"
#include "ddns/addrsel.h"
#include "ddns/ddns.h"
#include "ddns/dns_msg.h"

#define DDNS_IFNAMSIZ   16
#define DDNS_MAX_NOTIFY 8

/* --- one RFC 2136 server (update.c) ------------------------------------ */

/*
 * Where and how to send.  The TSIG secret is our own copy in libsodium
 * guarded memory, readable only while a message is signed or checked.
 */
struct ddns_server {
	int af;
	uint8_t addr[16];
	uint16_t port;
	char zone[DDNS_TEXT_NAME_MAX];
	char name[DDNS_TEXT_NAME_MAX]; /* the name we publish */
	uint32_t ttl;
	struct ddns_tsig_key key; /* key.secret = guarded below */
	unsigned char *secret;    /* sodium_malloc'd, PROT_NONE */
	size_t secret_len;
};

int ddns_server_set_secret(
    struct ddns_server *s, const uint8_t *secret, size_t len);
void ddns_server_clear(struct ddns_server *s);
/* 1 if both send the same thing to the same place with the same key. */
int ddns_server_equal(const struct ddns_server *a, const struct ddns_server *b);

struct ddns_txn_result {
	int ok;
	int permanent; /* retrying cannot help: config or server policy */
	int tries;     /* datagrams sent (UDP) plus TCP connections */
	int tcp;       /* the answer came over TCP */
	char msg[192]; /* for the log and for "show ddns" */
};

typedef void ddns_txn_cb(const struct ddns_txn_result *r, void *arg);
struct ddns_txn;

/*
 * Sends one signed UPDATE replacing the RRset with `addr` and calls cb once
 * with the outcome (never from inside this call).  NULL on local failure.
 */
struct ddns_txn *ddns_txn_start(const struct ddns_server *s, int af,
    const uint8_t *addr, ddns_txn_cb *cb, void *arg);
/* Abandons a transaction; its callback is not called. */
void ddns_txn_cancel(struct ddns_txn *t);

/* UDP retransmits (ms) and the TCP deadline. */
#define DDNS_UDP_TIMEOUTS                                                      \
	{                                                                      \
		1000, 2000, 4000                                               \
	}
#define DDNS_TCP_TIMEOUT 10000

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
#define DDNS_BACKOFF_MAX 300000
#define DDNS_REFRESH_MS  300000
#define DDNS_HOLD_MS     3600000 /* after a permanent error */

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

/* The address table, fed by the netlink monitor (module.c). */
void ddns_addrtab_sync_begin(void);
void ddns_addrtab_sync_end(void);
/* new: 1 add/replace, 0 delete. */
void ddns_addrtab_event(
    int ifindex, const char *ifname, const struct ddns_addr *a, int new);
void ddns_addrtab_link(int ifindex, const char *ifname, int gone);
size_t ddns_addrtab_get(
    const char *ifname, int af, struct ddns_addr *out, size_t max);
void ddns_addrtab_clear(void);
/* Subscribes the table to xfrm's address/link monitor (module.c). */
int ddns_monitor_start(void);
void ddns_monitor_stop(void);

/* --- resolver (resolve.c) ---------------------------------------------- */

void ddns_peers_show(struct ctl_conn *c);

#endif
