/*
 * external.c: AS-external LSAs (RFC 2328 12.4.4) for "redistribute
 * connected" (the IPv4 prefixes of the links that are up and are not
 * OSPF interfaces: those are announced as stubs already) and
 * "redistribute static" (the configuration's IPv4 static routes that
 * are in the kernel now), type 2 with metric 20 as FRR announces them.
 * What is no longer to be announced is flushed.  The set is looked at
 * again when addresses change and after every update of the route table
 * (a static route comes or goes with its tunnel).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ospf/rib.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"
#include "xfrm/iftab.h"

#define EXT_METRIC 20 /* FRR's default for redistributed routes */
#define EXT_MAX    256

struct ext {
	uint32_t prefix, mask;
};

static struct {
	struct ext v[EXT_MAX];
	size_t n;
	struct ev_timer soon;
	int started;
} ex;

static int
ext_has(const struct ext *v, size_t n, uint32_t prefix)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].prefix == prefix)
			return 1;
	return 0;
}

/*
 * One LSA per link-state ID: of two prefixes of one network and different
 * masks the first keeps it (appendix E's host-bit trick is not used).
 */
static void
ext_add(struct ext *v, size_t *n, uint32_t prefix, uint32_t mask)
{
	prefix &= mask;
	if (*n >= EXT_MAX || ext_has(v, *n, prefix))
		return;
	v[*n].prefix = prefix;
	v[(*n)++].mask = mask;
}

static int
ospf_link(const char *name)
{
	const struct ospf_if *oif;

	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if (strcmp(oif->name, name) == 0)
			return 1;
	return 0;
}

/* Not loopback 127/8 nor link-local 169.254/16: no one routes those. */
static int
ext_routable(uint32_t a)
{
	return (a >> 24) != 127 && (a >> 16) != 0xa9fe;
}

static void
ext_connected(struct ext *v, size_t *n)
{
	size_t i, k, na;

	for (i = 0; i < xfrm_iftab_link_count(); i++) {
		const struct xfrm_iftab_link *l = xfrm_iftab_link_at(i);
		struct xfrm_iftab_addr a[16];

		if (!(l->flags & IFF_UP) || ospf_link(l->name) ||
		    strcmp(l->kind, "xfrm") == 0)
			continue;
		na = xfrm_iftab_addrs(l->ifindex, AF_INET, a, 16);
		for (k = 0; k < na && k < 16; k++) {
			uint32_t ip = ntohl(a[k].addr.v4.s_addr);
			unsigned plen = a[k].prefixlen;

			if (a[k].peer.family == AF_INET) { /* PPP: the peer */
				ip = ntohl(a[k].peer.v4.s_addr);
				plen = 32;
			}
			if (ext_routable(ip))
				ext_add(v, n, ip, ospf_mask(plen));
		}
	}
}

static void
ext_static(struct ext *v, size_t *n)
{
	const struct conf *c = ospf_sp.conf;
	size_t i;

	for (i = 0; i < c->nroutes; i++) {
		const struct conf_route *r = &c->routes[i];
		uint32_t p;

		if (r->prefix.af != AF_INET ||
		    !ospf_rib_installed(OSPF_RIB_STATIC, &r->prefix))
			continue;
		memcpy(&p, r->prefix.a, 4);
		ext_add(v, n, ntohl(p), ospf_mask((unsigned)r->prefix.plen));
	}
}

static void
ext_originate(const struct ext *e, int force)
{
	struct ospf_lsa_hdr h = {
	    .options = OSPF_OPT_E,
	    .type = OSPF_LSA_EXTERNAL,
	    .id = e->prefix,
	    .adv = ospf_sp.rid,
	};
	struct ospf_ext x = {.mask = e->mask, .ebit = 1, .metric = EXT_METRIC};
	uint8_t buf[OSPF_LSA_HDR_LEN + OSPF_EXT_LEN];
	size_t len = ospf_ext_build(buf, sizeof(buf), &h, &x);

	if (len)
		ospf_orig_put(buf, len, force);
}

/* Ours that are no longer wanted leave at MaxAge (14.1). */
static void
ext_flush_others(void)
{
	struct ospf_lsdb *db = &ospf_sp.db;
	size_t i;

	for (i = 0; i < db->n; i++) {
		struct ospf_lsa *l = db->v[i];

		if (l->key.type == OSPF_LSA_EXTERNAL && l->self &&
		    !l->told_maxage && !ext_has(ex.v, ex.n, l->key.id))
			ospf_lsdb_flush(db, l, ev_now());
	}
}

void
ospf_ext_update(void)
{
	size_t i, was;

	if (!ospf_sp.running || !ospf_sp.conf)
		return;
	was = ex.n;
	ex.n = 0;
	if (ospf_sp.conf->ospf.redist_connected)
		ext_connected(ex.v, &ex.n);
	if (ospf_sp.conf->ospf.redist_static)
		ext_static(ex.v, &ex.n);
	for (i = 0; i < ex.n; i++)
		ext_originate(&ex.v[i], 0);
	ext_flush_others();
	if ((was > 0) != (ex.n > 0))
		ospf_orig_router(); /* the E flag */
}

static void
ext_soon_cb(void *arg)
{
	(void)arg;
	ospf_ext_update();
}

void
ospf_ext_soon(void)
{
	if (ex.started && !ev_timer_pending(&ex.soon))
		ev_timer_add(&ex.soon, 0);
}

static void
ext_on_rib(void *arg)
{
	(void)arg;
	ospf_ext_soon();
}

size_t
ospf_ext_count(void)
{
	return ex.n;
}

int
ospf_ext_wanted(uint32_t id)
{
	return ext_has(ex.v, ex.n, id);
}

/* Made anew from what we announce, not from the copy a neighbour had. */
void
ospf_ext_refresh(uint32_t id)
{
	size_t i;

	for (i = 0; i < ex.n; i++)
		if (ex.v[i].prefix == id)
			ext_originate(&ex.v[i], 1);
}

int
ospf_ext_start(void)
{
	ev_timer_set(&ex.soon, ext_soon_cb, NULL);
	if (ospf_rib_listen(ext_on_rib, NULL) < 0)
		return -1;
	ex.started = 1;
	ex.n = 0;
	return 0;
}

void
ospf_ext_stop(void)
{
	if (!ex.started)
		return;
	ospf_rib_unlisten(ext_on_rib, NULL);
	ev_timer_del(&ex.soon);
	ex.started = 0;
	ex.n = 0;
}
