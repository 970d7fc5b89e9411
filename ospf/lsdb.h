/*
 * lsdb.h: the link-state database of area 0 and of AS-external LSAs
 * (RFC 2328 12 and 13-14): copies of LSAs kept as their wire bytes,
 * sorted by (type, id, advertising router); their aging; installing a
 * received instance (13.2); originating our own with the next sequence
 * number, no more often than MinLSInterval (12.4); refreshing them every
 * LSRefreshTime; premature aging and removing MaxAge LSAs (14).
 *
 * Time is passed in (monotonic milliseconds) and nothing here touches a
 * socket or the event loop: the speaker calls ospf_lsdb_tick() at the
 * deadline it returns and floods what the hooks hand it.  Private to
 * ospf/.
 */
#ifndef TSUNAGI_OSPF_LSDB_H
#define TSUNAGI_OSPF_LSDB_H

#include <stddef.h>
#include <stdint.h>

#include "ospf/lsa.h"

/*
 * One instance.  Retransmission lists and the flooding code hold it by
 * reference; the database holds one reference while it is the current
 * copy.  The bytes' age field is the age at `born`; read the current age
 * with ospf_lsa_age().
 */
struct ospf_lsa {
	struct ospf_lsa_hdr hdr; /* as installed: hdr.age is the age at born */
	struct ospf_lsa_key key;
	uint64_t born;      /* ms: when the age was hdr.age */
	uint64_t installed; /* ms: when this instance entered the db */
	uint64_t sent_back; /* ms: last sent to a neighbour behind (13 (8)) */
	int refs;
	unsigned self : 1;  /* advertised by this router (or its past life) */
	unsigned mine : 1;  /* originated by this process */
	unsigned in_db : 1; /* still the database's current copy */
	unsigned told_maxage : 1;
	unsigned told_refresh : 1;
	unsigned asked : 1; /* came as the answer to our LS request */
	size_t len;
	uint8_t data[];
};

struct ospf_lsdb_hooks {
	/* One of our own LSAs is LSRefreshTime old: originate it again. */
	void (*refresh)(void *arg, struct ospf_lsa *l);
	/* An LSA reached MaxAge (aged or flushed): flood it (14). */
	void (*maxage)(void *arg, struct ospf_lsa *l);
	/*
	 * May MaxAge LSAs leave the database now?  No when a neighbour is
	 * in Exchange or Loading (14).  NULL: always.
	 */
	int (*may_remove)(void *arg);
	/* A MaxAge LSA left the database (a wrapped origination waits). */
	void (*removed)(void *arg, const struct ospf_lsa *l);
};

struct ospf_lsdb {
	struct ospf_lsa **v;
	size_t n, cap;
	uint32_t rid; /* ours: its LSAs are self-originated */
	const struct ospf_lsdb_hooks *hooks;
	void *arg;
	uint64_t min_ls_interval_ms; /* 12.4; OSPF_MIN_LS_INTERVAL s */
};

void ospf_lsdb_init(struct ospf_lsdb *db, uint32_t rid,
    const struct ospf_lsdb_hooks *hooks, void *arg);
/* Drops the database's references; held instances live on until unref. */
void ospf_lsdb_clear(struct ospf_lsdb *db);

void ospf_lsa_ref(struct ospf_lsa *l);
void ospf_lsa_unref(struct ospf_lsa *l);
/* An instance outside any database (refs 1); NULL without memory. */
struct ospf_lsa *ospf_lsa_dup(const uint8_t *lsa, size_t len, uint64_t now);
/* The current age, at most MaxAge. */
uint16_t ospf_lsa_age(const struct ospf_lsa *l, uint64_t now);

struct ospf_lsa *ospf_lsdb_find(
    const struct ospf_lsdb *db, const struct ospf_lsa_key *k);
size_t ospf_lsdb_count(const struct ospf_lsdb *db, uint8_t type);
/* In key order; i < db->n. */
struct ospf_lsa *ospf_lsdb_at(const struct ospf_lsdb *db, size_t i);

/*
 * Installs an instance (already checked with ospf_lsa_check and found
 * newer) as the current copy, replacing the old one (13.2).  *changed
 * says whether its contents differ from the old copy's, which is what
 * calls for a routing table update.  NULL without memory.
 */
struct ospf_lsa *ospf_lsdb_install(struct ospf_lsdb *db, const uint8_t *lsa,
    size_t len, uint64_t now, int *changed);

/* Premature aging (14.1): the copy becomes MaxAge and is flooded. */
void ospf_lsdb_flush(struct ospf_lsdb *db, struct ospf_lsa *l, uint64_t now);

enum ospf_orig {
	OSPF_ORIG_NEW,  /* a new instance is in the database */
	OSPF_ORIG_SAME, /* the contents are those of the current copy */
	OSPF_ORIG_WAIT, /* MinLSInterval: try again after *wait_ms */
	OSPF_ORIG_WRAP, /* sequence wrapped: old flushed, retry on removed */
	OSPF_ORIG_ENOMEM,
};
/*
 * Originates one of our LSAs: lsa is its full wire form with any age,
 * sequence number and checksum; the database sets age 0, the next
 * sequence number (after whatever copy it holds, ours or a neighbour's
 * from our previous life, 13.4) and the checksum.  force makes a new
 * instance even with the same contents (refresh).  *out is the current
 * copy after the call (NULL if none).
 */
enum ospf_orig ospf_lsdb_originate(struct ospf_lsdb *db, const uint8_t *lsa,
    size_t len, uint64_t now, int force, struct ospf_lsa **out,
    uint64_t *wait_ms);

/*
 * Runs what is due at now: refresh of our LSAs, MaxAge of the others,
 * removal of MaxAge LSAs nobody holds.  Returns the next deadline (ms,
 * absolute), or UINT64_MAX when nothing is pending.
 */
uint64_t ospf_lsdb_tick(struct ospf_lsdb *db, uint64_t now);

#endif
