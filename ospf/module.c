/*
 * module.c: the OSPF speaker as a tsunagid module.  It makes one OSPF
 * interface per "network NAME area 0", follows their links and
 * addresses in xfrm's interface table, picks the router-id, runs the
 * database's timers, and applies a reload in place: cost, timers and
 * networks change without a restart, a new router-id restarts the
 * speaker.  A tunnel is an unnumbered point-to-point interface that is
 * up only while it has a CHILD SA: ike tells us at once when it comes
 * (Hellos start) and goes (the neighbour is dropped and SPF runs,
 * without waiting for the dead interval).
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/ike.h"
#include "ospf/ospf.h"
#include "ospf/speaker.h"
#include "ospf/watch.h"
#include "ospf/wire.h"
#include "xfrm/iftab.h"

#define LSDB_TICK_MS 1000
/* An interface whose socket could not be opened tries again, 1 s after
 * the failure, then twice as long each time, up to a minute. */
#define IF_RETRY_MS     1000
#define IF_RETRY_MAX_MS 60000

struct ospf_speaker ospf_sp;

static const struct conf_ospf_if cf_default = {
    .cost = CONF_DEF_OSPF_COST,
    .hello = CONF_DEF_OSPF_HELLO,
    .dead = 4 * CONF_DEF_OSPF_HELLO,
};

static struct {
	const struct conf *conf; /* while running: the one applied */
	int waiting_rid;         /* no router-id yet: waits for an address */
	uint64_t changes;        /* database changes, for show (SPF: next) */
} md;

static const struct conf_ospf_if *
cf_of(const struct conf *c, const char *name)
{
	const struct conf_tunnel *t = conf_tunnel_find(c, name);
	const struct conf_linkif *li = conf_linkif_find(c, name);

	if (t)
		return &t->ospf;
	return li ? &li->ospf : &cf_default;
}

static struct ospf_if *
if_find(const char *name)
{
	struct ospf_if *oif;

	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if (strcmp(oif->name, name) == 0)
			return oif;
	return NULL;
}

/* The link's first IPv4 address into oif; 0 if it has none. */
static void
if_addr(struct ospf_if *oif)
{
	struct xfrm_iftab_addr a;

	oif->addr = oif->mask = 0;
	oif->unnumbered = 0;
	if (xfrm_iftab_addrs(oif->ifindex, AF_INET, &a, 1) == 0)
		return;
	oif->addr = ntohl(a.addr.v4.s_addr);
	oif->mask = ospf_mask(a.prefixlen);
	oif->unnumbered = a.prefixlen == 32 && a.peer.family != AF_INET;
}

static void if_sync(struct ospf_if *oif);

static void
if_retry(void *arg)
{
	if (ospf_sp.running)
		if_sync(arg);
}

/*
 * oif should be up and is not (its socket failed): a tunnel hears of
 * its SA once, and its link rarely changes, so no event may come to
 * try again.
 */
static void
if_retry_later(struct ospf_if *oif)
{
	if (!oif->retry_set) {
		ev_timer_set(&oif->retry_t, if_retry, oif);
		oif->retry_set = 1;
	}
	if (ev_timer_pending(&oif->retry_t))
		return;
	oif->retry_ms = oif->retry_ms ? oif->retry_ms * 2 : IF_RETRY_MS;
	if (oif->retry_ms > IF_RETRY_MAX_MS)
		oif->retry_ms = IF_RETRY_MAX_MS;
	ev_timer_add(&oif->retry_t, oif->retry_ms);
}

/* Brings oif to what its link says now. */
static void
if_sync(struct ospf_if *oif)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_name(oif->name);
	uint32_t old_addr = oif->addr, old_mask = oif->mask;
	int old_unnum = oif->unnumbered, up;

	if (l && oif->state != OIF_DOWN && l->ifindex != oif->ifindex)
		ospf_if_down(oif); /* the link was made anew */
	oif->ifindex = l ? l->ifindex : 0;
	oif->mtu = l ? l->mtu : 0;
	oif->noarp = l && (l->flags & IFF_NOARP);
	if (l)
		if_addr(oif);
	else
		oif->addr = oif->mask = 0;
	/* A tunnel's interface is up with or without SAs: only a CHILD SA
	 * carries anything.  A watch-group that is down may hold any
	 * interface out ("ip ospf shutdown-interface"). */
	oif->held = ospf_watch_holds(CONF_ACTION_OSPF_DOWN, NULL, oif->name);
	up = l && (l->flags & IFF_UP) && (l->flags & IFF_RUNNING) &&
	     (oif->passive || oif->addr) && !oif->held &&
	     (!oif->tunnel || ike_tunnel_is_up(oif->name));
	if (!up) {
		ospf_if_down(oif);
	} else if (oif->state == OIF_DOWN) {
		ospf_if_up(oif);
	} else if (oif->unnumbered != old_unnum && !oif->passive) {
		ospf_if_down(oif); /* another link data: start over */
		ospf_if_up(oif);
	} else if (oif->addr != old_addr || oif->mask != old_mask) {
		ospf_orig_router();
	}
	if (up && oif->state == OIF_DOWN) {
		if_retry_later(oif);
	} else {
		oif->retry_ms = 0;
		if (oif->retry_set)
			ev_timer_del(&oif->retry_t);
	}
}

static struct ospf_if *
if_new(const struct conf *c, const char *name)
{
	struct ospf_if *oif = calloc(1, sizeof(*oif));

	if (!oif)
		return NULL;
	snprintf(oif->name, sizeof(oif->name), "%s", name);
	oif->fd = -1;
	oif->cf = cf_of(c, name);
	oif->passive = conf_ospf_passive(c, name);
	oif->tunnel = conf_tunnel_find(c, name) != NULL;
	oif->next = ospf_sp.ifs;
	ospf_sp.ifs = oif;
	return oif;
}

static void
if_free(struct ospf_if *oif)
{
	struct ospf_if **pp;

	ospf_if_down(oif);
	if (oif->retry_set)
		ev_timer_del(&oif->retry_t);
	for (pp = &ospf_sp.ifs; *pp; pp = &(*pp)->next)
		if (*pp == oif) {
			*pp = oif->next;
			break;
		}
	free(oif);
}

/* The interfaces of c's networks. */
static int
ifs_make(const struct conf *c)
{
	size_t i;

	for (i = 0; i < c->ospf.nnetworks; i++) {
		const char *name = c->ospf.networks[i].ifname;

		if (!if_find(name) && !if_new(c, name))
			return -1;
	}
	return 0;
}

/* router-id, else the highest IPv4 address of a passive (LAN) interface,
 * else of any OSPF interface; 0 while there is none. */
static uint32_t
rid_pick(const struct conf *c)
{
	const struct ospf_if *oif;
	uint32_t best = 0;
	int pass;

	if (c->ospf.router_id)
		return c->ospf.router_id;
	for (pass = 0; pass < 2 && !best; pass++)
		for (oif = ospf_sp.ifs; oif; oif = oif->next) {
			struct xfrm_iftab_addr a[16];
			const struct xfrm_iftab_link *l =
			    xfrm_iftab_link_by_name(oif->name);
			size_t n, i;

			if (!l || (pass == 0 && !oif->passive))
				continue;
			n = xfrm_iftab_addrs(l->ifindex, AF_INET, a, 16);
			for (i = 0; i < n && i < 16; i++)
				if (ntohl(a[i].addr.v4.s_addr) > best)
					best = ntohl(a[i].addr.v4.s_addr);
		}
	return best;
}

static void
on_refresh(void *arg, struct ospf_lsa *l)
{
	(void)arg;
	ospf_orig_refresh(l);
}

static void
on_maxage(void *arg, struct ospf_lsa *l)
{
	(void)arg;
	ospf_flood(l, NULL);
	ospf_lsdb_changed();
}

static int
on_may_remove(void *arg)
{
	(void)arg;
	return !ospf_nbr_any_exchanging();
}

static void
on_removed(void *arg, const struct ospf_lsa *l)
{
	(void)arg;
	if (l->self && l->key.type == OSPF_LSA_ROUTER) /* a wrap ended */
		ospf_orig_router();
	else if (l->self && l->key.type == OSPF_LSA_EXTERNAL)
		ospf_ext_soon();
}

static const struct ospf_lsdb_hooks lsdb_hooks = {
    .refresh = on_refresh,
    .maxage = on_maxage,
    .may_remove = on_may_remove,
    .removed = on_removed,
};

static void
lsdb_tick(void *arg)
{
	(void)arg;
	ospf_lsdb_tick(&ospf_sp.db, ev_now());
	ev_timer_add(&ospf_sp.lsdb_t, LSDB_TICK_MS);
}

void
ospf_lsdb_changed(void)
{
	md.changes++;
	ospf_route_schedule();
}

void
ospf_nbr_log(const struct ospf_nbr *n, int from, int to, int event)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr id = {.s_addr = htonl(n->rid)};

	inet_ntop(AF_INET, &id, a, sizeof(a));
	if (to == NBR_FULL || from == NBR_FULL || to == NBR_DOWN) {
		log_info("ospf: %s: neighbour %s: %s -> %s (%s)", n->oif->name,
		    a, ospf_nbr_state_name(from), ospf_nbr_state_name(to),
		    ospf_nbr_event_name(event));
		evlog("ospf-neighbor", n->oif->name, "%s: %s -> %s (%s)", a,
		    ospf_nbr_state_name(from), ospf_nbr_state_name(to),
		    ospf_nbr_event_name(event));
	} else
		log_debug("ospf: %s: neighbour %s: %s -> %s (%s)", n->oif->name,
		    a, ospf_nbr_state_name(from), ospf_nbr_state_name(to),
		    ospf_nbr_event_name(event));
}

/* Runs once a router-id is known. */
static void
sp_run(void)
{
	struct ospf_if *oif;
	char a[INET_ADDRSTRLEN];
	struct in_addr id;

	ospf_sp.rid = rid_pick(md.conf);
	if (!ospf_sp.rid) {
		if (!md.waiting_rid)
			log_warnx("ospf: no router-id: waiting for an IPv4 "
			          "address on a LAN interface (or write "
			          "router-id under ip router ospf)");
		md.waiting_rid = 1;
		return;
	}
	md.waiting_rid = 0;
	id.s_addr = htonl(ospf_sp.rid);
	inet_ntop(AF_INET, &id, a, sizeof(a));
	log_info("ospf: router-id %s", a);
	ospf_lsdb_init(&ospf_sp.db, ospf_sp.rid, &lsdb_hooks, NULL);
	ospf_sp.db.min_ls_interval_ms = OSPF_ORIG_INTERVAL_MS;
	ev_timer_set(&ospf_sp.lsdb_t, lsdb_tick, NULL);
	ev_timer_add(&ospf_sp.lsdb_t, LSDB_TICK_MS);
	ospf_sp.running = 1;
	ospf_sp.started = ev_now();
	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		if_sync(oif);
	ospf_orig_router();
	ospf_ext_update();
}

static void
on_link(const struct xfrm_iftab_link *l, enum xfrm_iftab_change ch, void *arg)
{
	struct ospf_if *oif = if_find(l->name);

	(void)ch, (void)arg;
	if (!ospf_sp.running) {
		if (md.waiting_rid)
			sp_run();
		return;
	}
	if (oif)
		if_sync(oif);
	ospf_ext_soon(); /* connected prefixes */
}

static void
on_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change ch, void *arg)
{
	(void)a;
	if (l)
		on_link(l, ch, arg);
}

static const struct xfrm_iftab_cbs if_cbs = {.link = on_link, .addr = on_addr};

/* A tunnel got its first CHILD SA, or lost its last. */
static void
on_tunnel(const char *tunnel, int up, void *arg)
{
	struct ospf_if *oif = if_find(tunnel);

	(void)arg;
	if (!ospf_sp.running || !oif)
		return;
	if_sync(oif);
	if (!up && oif->state == OIF_DOWN)
		ospf_route_now();
}

/*
 * A watch-group went down or came back: the interfaces it holds leave
 * OSPF at once (neighbour dropped, SPF run now, not at the next
 * Hello) or come back.
 */
static void
on_watch(const struct conf_watch *w, int down, void *arg)
{
	struct ospf_if *oif;
	int dropped = 0;

	(void)w, (void)down, (void)arg;
	if (!ospf_sp.running)
		return;
	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		int was = oif->state != OIF_DOWN;

		if_sync(oif);
		dropped |= was && oif->state == OIF_DOWN;
	}
	if (dropped)
		ospf_route_now();
}

/* Says goodbye: our LSAs flushed, a last Hello that lists nobody. */
static void
sp_goodbye(void)
{
	struct ospf_if *oif;
	size_t i;

	for (i = 0; i < ospf_sp.db.n; i++)
		if (ospf_sp.db.v[i]->self)
			ospf_lsdb_flush(&ospf_sp.db, ospf_sp.db.v[i], ev_now());
	for (oif = ospf_sp.ifs; oif; oif = oif->next) {
		if (oif->state != OIF_P2P)
			continue;
		ospf_nbr_free(oif->nbr);
		oif->nbr = NULL;
		ospf_hello_send(oif);
	}
}

static void
sp_stop(void)
{
	ospf_route_stop(); /* routes out first: nothing may go stale */
	if (ospf_sp.running)
		sp_goodbye();
	ospf_sp.running = 0; /* no more originations on the way down */
	while (ospf_sp.ifs)
		if_free(ospf_sp.ifs);
	ospf_orig_stop();
	ospf_ext_stop();
	ev_timer_del(&ospf_sp.lsdb_t);
	ospf_lsdb_clear(&ospf_sp.db);
	xfrm_iftab_unlisten(&if_cbs, NULL);
	ike_tunnel_unlisten(on_tunnel, NULL);
	ospf_watch_unlisten(on_watch, NULL);
	md.conf = ospf_sp.conf = NULL;
	md.waiting_rid = 0;
}

static int
sp_start(const struct conf *c)
{
	if (ospf_show_register() < 0)
		return -1;
	if (!c->ospf.enabled)
		return 0;
	md.conf = ospf_sp.conf = c;
	if (ifs_make(c) < 0 || xfrm_iftab_listen(&if_cbs, NULL) < 0 ||
	    ike_tunnel_listen(on_tunnel, NULL) < 0 ||
	    ospf_watch_listen(on_watch, NULL) < 0 || ospf_ext_start() < 0) {
		log_warnx("ospf: out of memory");
		sp_stop();
		return -1;
	}
	sp_run();
	return 0;
}

/* Moves the interfaces to new in place. */
static int
sp_apply(const struct conf *new)
{
	struct ospf_if *oif, *next;

	for (oif = ospf_sp.ifs; oif; oif = oif->next)
		oif->mark = 0;
	if (ifs_make(new) < 0)
		return -1;
	md.conf = ospf_sp.conf = new;
	for (oif = ospf_sp.ifs; oif; oif = next) {
		size_t i;

		next = oif->next;
		for (i = 0; i < new->ospf.nnetworks; i++)
			if (strcmp(new->ospf.networks[i].ifname, oif->name) ==
			    0)
				oif->mark = 1;
		if (!oif->mark) {
			if_free(oif);
			continue;
		}
		if (oif->tunnel != (conf_tunnel_find(new, oif->name) != NULL)) {
			ospf_if_down(oif); /* a tunnel now, or no longer */
			oif->tunnel = !oif->tunnel;
		}
		ospf_if_reconf(oif, cf_of(new, oif->name),
		    conf_ospf_passive(new, oif->name));
		if (ospf_sp.running)
			if_sync(oif);
	}
	ospf_orig_router();
	ospf_ext_update();     /* redistribute changed, or the interfaces */
	ospf_route_schedule(); /* a new distance, or interfaces gone */
	return 0;
}

static int
sp_reload(const struct conf *old, const struct conf *new)
{
	if (!old->ospf.enabled || !new->ospf.enabled ||
	    old->ospf.router_id != new->ospf.router_id) {
		sp_stop();
		return sp_start(new);
	}
	/*
	 * Out of memory half-way: start over on new rather than keep
	 * interfaces that point into old, which the daemon frees.
	 */
	if (sp_apply(new) < 0) {
		sp_stop();
		return sp_start(new);
	}
	return 0;
}

const struct tsunagi_module ospf_speaker_module = {
    .name = "ospf",
    .start = sp_start,
    .reload = sp_reload,
    .stop = sp_stop,
    .metrics = ospf_metrics,
};
