/*
 * rib.h: the routes tsunagi puts in the kernel, whoever asks for them
 * (static routes, the OSPF speaker; watch-groups shut entries).  A source
 * adds entries; the table installs, per prefix and source, the best usable
 * one (lowest distance, then the first added), with the distance as the
 * kernel metric, so across sources the kernel prefers the lower distance.
 * An entry is usable while its way out is: the interface exists and is up,
 * a tunnel has its CHILD SA, no watch-group shut it.  The table is a
 * module of its own (ospf_rib_module): it starts before every source and
 * stops after them.  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_RIB_H
#define TSUNAGI_OSPF_RIB_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

struct ctl_conn;

/* Of two new routes of one prefix and distance, the first goes in. */
enum ospf_rib_source { OSPF_RIB_STATIC = 0, OSPF_RIB_OSPF, OSPF_RIB_NSOURCES };

/* The administrative distances when the configuration says none. */
#define OSPF_RIB_DIST_STATIC 1
#define OSPF_RIB_DIST_OSPF   CONF_DEF_OSPF_DISTANCE

struct ospf_rib_entry;

/* What an entry asks for; copied by ospf_rib_add(). */
struct ospf_rib_want {
	int source;                 /* enum ospf_rib_source */
	struct conf_addr prefix;    /* masked to plen by the table */
	char ifname[CONF_IFNAMSIZ]; /* "" if via nexthop only */
	struct conf_addr nexthop;   /* af 0 if on-link via ifname */
	int tunnel;                 /* ifname is a tsunagi tunnel */
	uint32_t distance;          /* administrative: the kernel metric */
	int line; /* in the configuration (0: none), for show */
};

/* "static", "ospf". */
const char *ospf_rib_source_name(int source);

/* NULL on allocation failure.  Call ospf_rib_update() after a batch. */
struct ospf_rib_entry *ospf_rib_add(const struct ospf_rib_want *w);
/*
 * Frees the entry; its route leaves the kernel at once, unless another
 * entry of the same prefix and source can take its place, which it does
 * first (make before break).
 */
void ospf_rib_del(struct ospf_rib_entry *e);
/* The same for n entries at once (NULLs skipped): one update for all. */
void ospf_rib_del_many(struct ospf_rib_entry *const *v, size_t n);
/* 1 if both ask for the same route. */
int ospf_rib_same(
    const struct ospf_rib_entry *e, const struct ospf_rib_want *w);
/* A watch-group action: shut = 1 withdraws, 0 restores. */
void ospf_rib_shut(struct ospf_rib_entry *e, int shut);
/* Look at every entry again (after a batch of adds and deletes). */
void ospf_rib_update(void);
/*
 * Told after every update (OSPF redistributes what static routes are in
 * the kernel).  A listener must not update the table from the call:
 * arm a timer.  0, or -1 without memory.
 */
int ospf_rib_listen(void (*cb)(void *arg), void *arg);
void ospf_rib_unlisten(void (*cb)(void *arg), void *arg);
/* 1 if a route of source for prefix is in the kernel now. */
int ospf_rib_installed(int source, const struct conf_addr *prefix);

#endif
