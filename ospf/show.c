/*
 * show.c: "show ip ospf", "show ip ospf neighbor", "show ip ospf
 * interface" and "show ip ospf database": flat records for the control
 * socket (text or JSON is tsunagictl's business).  Every counter is
 * shown, zero or not, so a script can rely on the keys.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "daemon/ctl.h"
#include "daemon/metrics.h"
#include "ike/ike.h"
#include "ospf/speaker.h"
#include "ospf/spf.h"
#include "ospf/wire.h"

static const char *
ip4(uint32_t a, char *buf)
{
	struct in_addr in = {.s_addr = htonl(a)};

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

const char *
ospf_drop_name(int d)
{
	static const char *const s[OSPF_NDROP] = {
	    [OSPF_DROP_CODEC] = "codec",
	    [OSPF_DROP_IPHDR] = "ip-header",
	    [OSPF_DROP_AREA] = "wrong-area",
	    [OSPF_DROP_SELF] = "own-router-id",
	    [OSPF_DROP_AUTH] = "authentication",
	    [OSPF_DROP_REPLAY] = "replay",
	    [OSPF_DROP_HELLO] = "hello-mismatch",
	    [OSPF_DROP_NBR] = "unknown-neighbor",
	    [OSPF_DROP_MTU] = "mtu-mismatch",
	    [OSPF_DROP_DD] = "dd-sequence",
	    [OSPF_DROP_LSA] = "lsa-refused",
	};

	return d >= 0 && d < OSPF_NDROP ? s[d] : "?";
}

/* "not running" is an answer with an exit code, not an empty success. */
static int
show_running(struct ctl_conn *c)
{
	if (ospf_sp.running)
		return 1;
	if (ospf_sp.ifs || ospf_sp.rid)
		ctl_not_running(c, "ospf: not running yet: no router-id (write "
		            "router-id, or give a LAN interface an IPv4 "
		            "address)");
	else
		ctl_not_running(c, "ospf: not running: the configuration has no "
		            "ip router ospf");
	return 0;
}

static int
show_ospf(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct ospf_lsdb *db = &ospf_sp.db;
	const struct ospf_if *oif;
	char a[INET_ADDRSTRLEN];
	unsigned nifs = 0, full = 0;

	(void)argc, (void)argv, (void)arg;
	if (!show_running(c))
		return -1;
	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		nifs++;
		full += oif->nbr && oif->nbr->state == NBR_FULL;
	}
	ctl_rec_begin(c, "ospf");
	ctl_rec_str(c, "router-id", ip4(ospf_sp.rid, a));
	ctl_rec_str(c, "area", "0.0.0.0");
	ctl_rec_uint(c, "uptime", (ev_now() - ospf_sp.started) / 1000);
	ctl_rec_uint(c, "interfaces", nifs);
	ctl_rec_uint(c, "neighbors-full", full);
	ctl_rec_uint(c, "lsas", db->n);
	ctl_rec_uint(c, "lsas-router", ospf_lsdb_count(db, OSPF_LSA_ROUTER));
	ctl_rec_uint(c, "lsas-network", ospf_lsdb_count(db, OSPF_LSA_NETWORK));
	ctl_rec_uint(c, "lsas-summary",
	    ospf_lsdb_count(db, OSPF_LSA_SUMMARY) +
	        ospf_lsdb_count(db, OSPF_LSA_ASBR));
	ctl_rec_uint(
	    c, "lsas-external", ospf_lsdb_count(db, OSPF_LSA_EXTERNAL));
	ctl_rec_uint(c, "spf-runs", ospf_route_stats.runs);
	ctl_rec_uint(c, "spf-last-ms", ospf_route_stats.last_ms);
	ctl_rec_uint(c, "routers-reached", ospf_route_stats.reached);
	ctl_rec_uint(c, "routes", ospf_route_stats.routes);
	ctl_rec_end(c);
	return 0;
}

static void
show_nbr(struct ctl_conn *c, const struct ospf_nbr *n)
{
	char a[INET_ADDRSTRLEN];
	uint64_t now = ev_now();

	ctl_rec_begin(c, "neighbor");
	ctl_rec_str(c, "neighbor-id", ip4(n->rid, a));
	ctl_rec_str(c, "state", ospf_nbr_state_name(n->state));
	ctl_rec_str(c, "interface", n->oif->name);
	ctl_rec_str(c, "address", ip4(n->addr, a));
	if (ev_timer_pending(&n->inact))
		ctl_rec_uint(c, "dead-ms",
		    n->inact.when > now ? n->inact.when - now : 0);
	ctl_rec_uint(c, "since", (now - n->since) / 1000);
	ctl_rec_uint(c, "state-changes", n->events);
	if (n->state >= NBR_EXSTART && n->state < NBR_FULL)
		ctl_rec_str(c, "role", n->master ? "master" : "slave");
	ctl_rec_uint(c, "requests", n->nreq);
	ctl_rec_uint(c, "retransmissions", n->nrxmt);
	ctl_rec_end(c);
}

static int
show_neighbors(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct ospf_if *oif;

	(void)argc, (void)argv, (void)arg;
	if (!show_running(c))
		return -1;
	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if (oif->nbr)
			show_nbr(c, oif->nbr);
	return 0;
}

static void
show_if_counts(struct ctl_conn *c, const struct ospf_if *oif)
{
	char k[48];
	int i;

	for (i = 1; i < OSPF_NTYPES; i++) {
		snprintf(k, sizeof(k), "rx-%s", ospf_pkt_type_name((uint8_t)i));
		ctl_rec_uint(c, k, oif->rx[i]);
		snprintf(k, sizeof(k), "tx-%s", ospf_pkt_type_name((uint8_t)i));
		ctl_rec_uint(c, k, oif->tx[i]);
	}
	for (i = 1; i < OSPF_PKT_NERR; i++) {
		snprintf(k, sizeof(k), "drop-%s", ospf_pkt_strerror(i));
		for (char *p = k; *p; p++)
			if (*p == ' ')
				*p = '-';
		ctl_rec_uint(c, k, oif->drop_codec[i]);
	}
	for (i = 1; i < OSPF_NDROP; i++) {
		snprintf(k, sizeof(k), "drop-%s", ospf_drop_name(i));
		ctl_rec_uint(c, k, oif->drop[i]);
	}
}

static void
show_if(struct ctl_conn *c, const struct ospf_if *oif)
{
	char a[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN + 4];

	ctl_rec_begin(c, "interface");
	ctl_rec_str(c, "name", oif->name);
	ctl_rec_str(c, "state", ospf_if_state_name(oif->state));
	ctl_rec_str(c, "type", oif->passive ? "passive" : "point-to-point");
	if (oif->addr) {
		snprintf(p, sizeof(p), "%s/%d", ip4(oif->addr, a),
		    __builtin_popcount(oif->mask));
		ctl_rec_str(c, "address", p);
	}
	if (!oif->passive)
		ctl_rec_bool(c, "unnumbered", oif->unnumbered);
	if (oif->tunnel) /* down without a CHILD SA, whatever its link */
		ctl_rec_str(
		    c, "tunnel", ike_tunnel_is_up(oif->name) ? "up" : "down");
	if (oif->held)
		ctl_rec_str(c, "held-down", "by a watch-group");
	ctl_rec_uint(c, "cost", oif->cf->cost);
	ctl_rec_uint(c, "hello-ms",
	    oif->cf->hello_multiplier > 0
	        ? 1000u / (unsigned)oif->cf->hello_multiplier
	        : oif->cf->hello * 1000u);
	ctl_rec_uint(c, "dead", ospf_if_dead_s(oif));
	ctl_rec_uint(c, "mtu", oif->mtu);
	ctl_rec_bool(c, "mtu-ignore", oif->cf->mtu_ignore);
	if (oif->nbr) {
		ctl_rec_str(c, "neighbor", ip4(oif->nbr->rid, a));
		ctl_rec_str(
		    c, "neighbor-state", ospf_nbr_state_name(oif->nbr->state));
	}
	if (!oif->passive)
		show_if_counts(c, oif);
	ctl_rec_end(c);
}

static int
show_interfaces(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct ospf_if *oif;

	(void)arg;
	if (!show_running(c))
		return -1;
	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if (argc < 1 || strcmp(argv[0], oif->name) == 0)
			show_if(c, oif);
	return 0;
}

static void
show_lsa(struct ctl_conn *c, const struct ospf_lsa *l, uint64_t now)
{
	char a[INET_ADDRSTRLEN], hex[16];

	ctl_rec_begin(c, "lsa");
	ctl_rec_str(c, "type", ospf_lsa_type_name(l->key.type));
	ctl_rec_str(c, "link-id", ip4(l->key.id, a));
	ctl_rec_str(c, "adv-router", ip4(l->key.adv, a));
	ctl_rec_uint(c, "age", ospf_lsa_age(l, now));
	snprintf(hex, sizeof(hex), "0x%08x", (uint32_t)l->hdr.seq);
	ctl_rec_str(c, "seq", hex);
	snprintf(hex, sizeof(hex), "0x%04x", l->hdr.cksum);
	ctl_rec_str(c, "checksum", hex);
	ctl_rec_uint(c, "length", l->len);
	ctl_rec_bool(c, "self", l->self);
	ctl_rec_end(c);
}

static int
show_database(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	uint64_t now = ev_now();
	size_t i;

	(void)argc, (void)argv, (void)arg;
	if (!show_running(c))
		return -1;
	for (i = 0; i < ospf_sp.db.n; i++)
		show_lsa(c, ospf_sp.db.v[i], now);
	return 0;
}

static void
show_route(struct ctl_conn *c, const struct ospf_spf_route *r)
{
	char a[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN + 4];

	snprintf(p, sizeof(p), "%s/%d", ip4(r->prefix, a),
	    __builtin_popcount(r->mask));
	ctl_rec_begin(c, "ospf-route");
	ctl_rec_str(c, "prefix", p);
	ctl_rec_str(c, "kind", ospf_rt_kind_name(r->kind));
	ctl_rec_uint(c, "cost", r->cost);
	if (r->kind == OSPF_RT_EXT2)
		ctl_rec_uint(c, "external-cost", r->cost2);
	if (r->ifi >= 0) {
		ctl_rec_str(c, "interface", ospf_route_ifname(r->ifi));
		if (r->nexthop) /* none: out of an unnumbered link */
			ctl_rec_str(c, "nexthop", ip4(r->nexthop, a));
	}
	ctl_rec_str(c, "adv-router", ip4(r->adv, a));
	ctl_rec_end(c);
}

static int
show_routes(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct ospf_spf *s = ospf_route_result();
	size_t i;

	(void)argc, (void)argv, (void)arg;
	if (!show_running(c))
		return -1;
	for (i = 0; i < s->n; i++)
		show_route(c, &s->rt[i]);
	return 0;
}

int
ospf_show_register(void)
{
	static int done;

	if (done)
		return 0;
	if (ctl_register("show ip ospf", 0,
	        "the OSPF speaker: router-id, "
	        "database size",
	        show_ospf, NULL) < 0 ||
	    ctl_register("show ip ospf neighbor", 0,
	        "OSPF neighbours and their state", show_neighbors, NULL) < 0 ||
	    ctl_register("show ip ospf interface", 1,
	        "OSPF interfaces, timers and packet counters", show_interfaces,
	        NULL) < 0 ||
	    ctl_register("show ip ospf database", 0, "the link-state database",
	        show_database, NULL) < 0 ||
	    ctl_register("show ip ospf route", 0,
	        "what the last SPF run computed, and which way each goes",
	        show_routes, NULL) < 0)
		return -1;
	done = 1;
	return 0;
}

/* Gauges and counters of the speaker; nothing while it does not run. */
void
ospf_metrics(struct ctl_conn *c)
{
	const struct ospf_if *oif;
	unsigned full = 0;

	if (!ospf_sp.running)
		return;
	metric_family(c, "tsunagi_ospf_neighbor_full", "gauge",
	    "1 while the interface's OSPF neighbour is Full.");
	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		full += oif->nbr && oif->nbr->state == NBR_FULL;
		metric_begin(c, "tsunagi_ospf_neighbor_full");
		ctl_rec_str(c, "interface", oif->name);
		metric_uint(c, oif->nbr && oif->nbr->state == NBR_FULL);
	}
	metric_single(c, "tsunagi_ospf_neighbors_full", "gauge",
	    "OSPF neighbours in state Full.",
	    full);
	metric_single(c, "tsunagi_ospf_lsas", "gauge",
	    "LSAs in the link-state database.",
	    ospf_sp.db.n);
	metric_single(c, "tsunagi_ospf_spf_runs", "counter",
	    "Shortest-path-first runs.",
	    ospf_route_stats.runs);
	metric_single(c, "tsunagi_ospf_routes", "gauge",
	    "Routes the last SPF run gave to the route table.",
	    ospf_route_stats.routes);
}
