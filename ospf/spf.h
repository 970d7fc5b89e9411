/*
 * spf.h: the routing table calculation of RFC 2328 16 over the
 * database: Dijkstra from our router-LSA across router and network
 * vertices (16.1), then stub networks, summary and AS-external LSAs
 * (16.1 stage 2, 16.2, 16.4).  One next hop per destination (no ECMP):
 * of equal-cost paths the first found.  Pure: the database and our
 * interfaces in, routes out, so the unit test runs it on small graphs.
 * Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_SPF_H
#define TSUNAGI_OSPF_SPF_H

#include <stddef.h>
#include <stdint.h>

#include "ospf/lsdb.h"

/* One of our interfaces with a Full neighbour, as the calculation sees it. */
struct ospf_spf_if {
	uint32_t data;     /* our link's Link Data: address or ifindex */
	uint32_t nbr_rid;  /* the neighbour's router-id */
	uint32_t nbr_addr; /* its address: the next hop */
};

enum ospf_rt_kind {
	OSPF_RT_CONNECTED = 0, /* our own stub: the kernel's, not ours */
	OSPF_RT_INTRA,
	OSPF_RT_INTER,
	OSPF_RT_EXT1,
	OSPF_RT_EXT2,
};

struct ospf_spf_route {
	uint32_t prefix, mask; /* host order, prefix masked */
	int kind;              /* enum ospf_rt_kind */
	uint32_t cost;         /* type 2: the cost to the ASBR */
	uint32_t cost2;        /* type 2: the external metric */
	int ifi;               /* index into the interfaces given; -1 none */
	uint32_t nexthop;
	uint32_t adv; /* the router that announced it */
};

struct ospf_spf {
	struct ospf_spf_route *rt;
	size_t n, cap;
	size_t reached; /* routers in the tree, ourselves included */
};

/*
 * 0, or -1 without memory (out is then empty).  self: our router-LSA as
 * it is now, used in place of the database's copy, which may wait for
 * MinLSInterval to be flooded (NULL: the database's).
 */
int ospf_spf_run(const struct ospf_lsdb *db, uint32_t rid,
    const struct ospf_lsa *self, const struct ospf_spf_if *ifs, size_t nifs,
    uint64_t now, struct ospf_spf *out);
void ospf_spf_free(struct ospf_spf *s);
const char *ospf_rt_kind_name(int kind);

#endif
