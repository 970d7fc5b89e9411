/*
 * rib.h: the routes tsunagi puts in the kernel, whoever asks for them
 * (static routes today, OSPF and watch-groups next).  An entry says where
 * a prefix goes; the table installs it while its way out is usable (the
 * interface exists and is up, a tunnel has its CHILD SA, no watch-group
 * shut it) and withdraws it otherwise.  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_RIB_H
#define TSUNAGI_OSPF_RIB_H

#include <stdint.h>

#include "conf/conf.h"

struct ctl_conn;

enum ospf_rib_source {
	OSPF_RIB_STATIC = 0,
};

struct ospf_rib_entry;

/* What an entry asks for; copied by ospf_rib_add(). */
struct ospf_rib_want {
	int source;                 /* enum ospf_rib_source */
	struct conf_addr prefix;    /* masked to plen by the table */
	char ifname[CONF_IFNAMSIZ]; /* "" if via nexthop only */
	struct conf_addr nexthop;   /* af 0 if on-link via ifname */
	int tunnel;                 /* ifname is a tsunagi tunnel */
	uint32_t distance;          /* the kernel metric */
	int line;                   /* in the configuration, for show */
};

/* The table's life: start subscribes to links and tunnels. */
int ospf_rib_start(void);
void ospf_rib_stop(void);

/* NULL on allocation failure.  Installs at once when usable. */
struct ospf_rib_entry *ospf_rib_add(const struct ospf_rib_want *w);
/* Withdraws the route (if installed) and frees the entry. */
void ospf_rib_del(struct ospf_rib_entry *e);
/* 1 if both ask for the same route. */
int ospf_rib_same(const struct ospf_rib_entry *e, const struct ospf_rib_want *w);
/* A watch-group action: shut = 1 withdraws, 0 restores. */
void ospf_rib_shut(struct ospf_rib_entry *e, int shut);
/* Look at every entry again (after a batch of adds and deletes). */
void ospf_rib_update(void);

/* One "route" record per entry of the source. */
void ospf_rib_show(struct ctl_conn *c, int source);

#endif
