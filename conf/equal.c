/*
 * equal.c: conf_equal, for reload ("did anything change?") and for the
 * print/parse round trip.  Source line numbers are not compared; secrets
 * are, in constant time.
 */
#include <string.h>

#include "conf/internal.h"

static int
eq_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
eq_addr(const struct conf_addr *a, const struct conf_addr *b)
{
	return a->af == b->af && a->plen == b->plen &&
	       memcmp(a->a, b->a, sizeof(a->a)) == 0;
}

static int
eq_ident(const struct conf_ident *a, const struct conf_ident *b)
{
	return a->type == b->type && eq_str(a->value, b->value);
}

static int
eq_algs(const struct conf_alglist *a, const struct conf_alglist *b)
{
	return a->n == b->n && memcmp(a->v, b->v, sizeof(a->v[0]) * a->n) == 0;
}

static int
eq_ike(const struct conf_ike_params *a, const struct conf_ike_params *b)
{
	return a->set == b->set && eq_algs(&a->sa_enc, &b->sa_enc) &&
	       eq_algs(&a->sa_integ, &b->sa_integ) &&
	       eq_algs(&a->sa_prf, &b->sa_prf) &&
	       eq_algs(&a->sa_dh, &b->sa_dh) &&
	       eq_algs(&a->child_enc, &b->child_enc) &&
	       eq_algs(&a->child_integ, &b->child_integ) &&
	       a->child_pfs == b->child_pfs &&
	       a->sa_lifetime == b->sa_lifetime &&
	       a->child_lifetime == b->child_lifetime &&
	       a->dpd_interval == b->dpd_interval;
}

static int
eq_ospf_if(const struct conf_ospf_if *a, const struct conf_ospf_if *b)
{
	return a->cost == b->cost && a->mtu_ignore == b->mtu_ignore &&
	       a->network == b->network && a->hello == b->hello &&
	       a->dead == b->dead && a->dead_set == b->dead_set &&
	       a->hello_multiplier == b->hello_multiplier &&
	       a->auth == b->auth && a->md5_key_id == b->md5_key_id &&
	       a->md5_alg == b->md5_alg &&
	       conf_secret_equal(&a->auth_key, &b->auth_key) &&
	       conf_secret_equal(&a->md5_key, &b->md5_key);
}

static int
eq_psk(const struct conf_psk *a, const struct conf_psk *b)
{
	return eq_ident(&a->id, &b->id) && a->form == b->form &&
	       conf_secret_equal(&a->key, &b->key);
}

static int
eq_tunnel(const struct conf_tunnel *a, const struct conf_tunnel *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       eq_str(a->description, b->description) &&
	       a->mode_ikev2 == b->mode_ikev2 &&
	       strcmp(a->unnumbered, b->unnumbered) == 0 &&
	       eq_addr(&a->addr, &b->addr) && a->connect == b->connect &&
	       strcmp(a->outgoing, b->outgoing) == 0 &&
	       a->outgoing_auto == b->outgoing_auto &&
	       eq_addr(&a->source_addr, &b->source_addr) &&
	       strcmp(a->source_if, b->source_if) == 0 &&
	       a->peer_type == b->peer_type &&
	       eq_addr(&a->peer_addr, &b->peer_addr) &&
	       eq_str(a->peer_fqdn, b->peer_fqdn) &&
	       eq_ident(&a->peer_id, &b->peer_id) &&
	       a->natt_keepalive == b->natt_keepalive &&
	       a->natt_force == b->natt_force &&
	       eq_ike(&a->ike_set, &b->ike_set) && eq_ike(&a->ike, &b->ike) &&
	       eq_ospf_if(&a->ospf, &b->ospf) &&
	       a->adjust_mss == b->adjust_mss && a->mtu == b->mtu &&
	       a->shutdown == b->shutdown;
}

static int
eq_linkif(const struct conf_linkif *a, const struct conf_linkif *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0 ||
	    !eq_str(a->description, b->description) || a->naddrs != b->naddrs ||
	    !eq_ospf_if(&a->ospf, &b->ospf))
		return 0;
	for (i = 0; i < a->naddrs; i++)
		if (!eq_addr(&a->addrs[i], &b->addrs[i]))
			return 0;
	return 1;
}

static int
eq_ospf(const struct conf_ospf *a, const struct conf_ospf *b)
{
	size_t i;

	if (a->enabled != b->enabled || a->process_id != b->process_id ||
	    a->router_id != b->router_id || a->distance != b->distance ||
	    a->redist_connected != b->redist_connected ||
	    a->redist_static != b->redist_static || a->nareas != b->nareas ||
	    a->nnetworks != b->nnetworks || a->npassive != b->npassive)
		return 0;
	for (i = 0; i < a->nareas; i++)
		if (a->areas[i] != b->areas[i])
			return 0;
	for (i = 0; i < a->nnetworks; i++)
		if (strcmp(a->networks[i].ifname, b->networks[i].ifname) != 0 ||
		    a->networks[i].area != b->networks[i].area)
			return 0;
	for (i = 0; i < a->npassive; i++)
		if (strcmp(a->passive[i], b->passive[i]) != 0)
			return 0;
	return 1;
}

static int
eq_route(const struct conf_route *a, const struct conf_route *b)
{
	return eq_addr(&a->prefix, &b->prefix) &&
	       strcmp(a->ifname, b->ifname) == 0 &&
	       eq_addr(&a->nexthop, &b->nexthop) && a->distance == b->distance;
}

static int
eq_event(const struct conf_watch_event *a, const struct conf_watch_event *b)
{
	return a->seq == b->seq && eq_addr(&a->target, &b->target) &&
	       strcmp(a->ifname, b->ifname) == 0 &&
	       eq_addr(&a->src_addr, &b->src_addr) &&
	       strcmp(a->src_if, b->src_if) == 0;
}

static int
eq_action(const struct conf_watch_action *a, const struct conf_watch_action *b)
{
	return a->seq == b->seq && a->type == b->type &&
	       eq_addr(&a->prefix, &b->prefix) &&
	       strcmp(a->ifname, b->ifname) == 0;
}

static int
eq_watch(const struct conf_watch *a, const struct conf_watch *b)
{
	size_t i;

	if (!eq_str(a->name, b->name) || a->seq != b->seq ||
	    a->nevents != b->nevents || a->nactions != b->nactions ||
	    a->timer_wait != b->timer_wait ||
	    a->timer_variance != b->timer_variance ||
	    a->timer_restorer != b->timer_restorer ||
	    a->count_watch != b->count_watch ||
	    a->count_variance != b->count_variance ||
	    a->count_restorer != b->count_restorer || a->enabled != b->enabled)
		return 0;
	for (i = 0; i < a->nevents; i++)
		if (!eq_event(&a->events[i], &b->events[i]))
			return 0;
	for (i = 0; i < a->nactions; i++)
		if (!eq_action(&a->actions[i], &b->actions[i]))
			return 0;
	return 1;
}

static int
eq_ddns(const struct conf_ddns *a, const struct conf_ddns *b)
{
	size_t i;

	if (!eq_str(a->name, b->name) || !eq_str(a->hostname, b->hostname) ||
	    a->type != b->type || !eq_addr(&a->server, &b->server) ||
	    a->port != b->port || !eq_str(a->zone, b->zone) ||
	    !eq_str(a->key_name, b->key_name) || a->key_alg != b->key_alg ||
	    !conf_secret_equal(&a->key_secret, &b->key_secret) ||
	    !eq_str(a->url, b->url) || !eq_str(a->username, b->username) ||
	    !conf_secret_equal(&a->password, &b->password) ||
	    a->nnotify != b->nnotify || a->ttl != b->ttl)
		return 0;
	for (i = 0; i < a->nnotify; i++)
		if (strcmp(a->notify[i].ifname, b->notify[i].ifname) != 0 ||
		    a->notify[i].af != b->notify[i].af)
			return 0;
	return 1;
}

/* Equal counts, then each element with eq. */
#define EQ_ARRAY(a, b, arr, n, eq)                                             \
	(eq_array(                                                             \
	    (a)->arr, (b)->arr, (a)->n, (b)->n, sizeof(*(a)->arr), eqv_##eq))

/* Typed comparators behind the one signature eq_array calls. */
#define EQV(eq, type)                                                          \
	static int eqv_##eq(const void *a, const void *b)                      \
	{                                                                      \
		return eq((const type *)a, (const type *)b);                   \
	}

static int
eq_array(const void *a, const void *b, size_t na, size_t nb, size_t sz,
    int (*eq)(const void *, const void *))
{
	size_t i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++)
		if (!eq((const char *)a + i * sz, (const char *)b + i * sz))
			return 0;
	return 1;
}

static int
eq_strp(const char *const *a, const char *const *b)
{
	return eq_str(*a, *b);
}

EQV(eq_psk, struct conf_psk)
EQV(eq_tunnel, struct conf_tunnel)
EQV(eq_linkif, struct conf_linkif)
EQV(eq_route, struct conf_route)
EQV(eq_watch, struct conf_watch)
EQV(eq_strp, char *const)
EQV(eq_addr, struct conf_addr)
EQV(eq_ddns, struct conf_ddns)

int
conf_watch_equal(const struct conf_watch *a, const struct conf_watch *b)
{
	return eq_watch(a, b);
}

int
conf_equal(const struct conf *a, const struct conf *b)
{
	return eq_str(a->hostname, b->hostname) &&
	       EQ_ARRAY(a, b, psks, npsks, eq_psk) &&
	       a->profile_present == b->profile_present &&
	       eq_ident(&a->local_id, &b->local_id) &&
	       eq_ike(&a->profile, &b->profile) &&
	       EQ_ARRAY(a, b, tunnels, ntunnels, eq_tunnel) &&
	       EQ_ARRAY(a, b, ifaces, nifaces, eq_linkif) &&
	       eq_ospf(&a->ospf, &b->ospf) &&
	       EQ_ARRAY(a, b, routes, nroutes, eq_route) &&
	       EQ_ARRAY(a, b, watches, nwatches, eq_watch) &&
	       EQ_ARRAY(a, b, monitors, nmonitors, eq_strp) &&
	       EQ_ARRAY(a, b, nameservers, nnameservers, eq_addr) &&
	       eq_str(a->trust_anchor_file, b->trust_anchor_file) &&
	       EQ_ARRAY(a, b, ddns, nddns, eq_ddns);
}
