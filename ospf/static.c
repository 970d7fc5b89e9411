/*
 * static.c: the configuration's static routes ("ip route", "ipv6 route")
 * as entries of the route table (rib.c), and the module hooks.  Reload
 * keeps the entries that did not change, so their routes stay in the
 * kernel without a gap.
 */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/log.h"
#include "ospf/ospf.h"
#include "ospf/rib.h"
#include "ospf/watch.h"

static struct {
	struct ospf_rib_entry **e;
	const struct conf *conf; /* whose routes e[] holds, in order */
	size_t n;
} st;

/*
 * Each entry shut while a watch-group that is down holds an
 * "ip shutdown-route" on it, and open again when none does.
 */
static void
static_shut(void)
{
	const struct conf_route *r;
	size_t i;

	for (i = 0; i < st.n; i++) {
		r = &st.conf->routes[i];
		ospf_rib_shut(
		    st.e[i], r->ifname[0] != '\0' &&
		                 ospf_watch_holds(CONF_ACTION_SHUTDOWN_ROUTE,
		                     &r->prefix, r->ifname));
	}
}

static void
static_on_watch(const struct conf_watch *w, int down, void *arg)
{
	(void)w, (void)down, (void)arg;
	static_shut();
}

static void
static_want(const struct conf *conf, const struct conf_route *r,
    struct ospf_rib_want *w)
{
	const struct conf_tunnel *t = NULL;

	memset(w, 0, sizeof(*w));
	w->source = OSPF_RIB_STATIC;
	w->prefix = r->prefix;
	snprintf(w->ifname, sizeof(w->ifname), "%s", r->ifname);
	w->nexthop = r->nexthop;
	if (r->ifname[0] != '\0')
		t = conf_tunnel_find(conf, r->ifname);
	w->tunnel = t != NULL;
	w->distance = (uint32_t)r->distance;
	w->line = r->line;
}

/* The index of an unclaimed old entry that asks for w, or -1. */
static long
static_match(const char *claimed, const struct ospf_rib_want *w)
{
	size_t i;

	for (i = 0; i < st.n; i++)
		if (!claimed[i] && ospf_rib_same(st.e[i], w))
			return (long)i;
	return -1;
}

/*
 * The new set of entries: unchanged ones kept (their routes stay in the
 * kernel), the rest made anew, the old rest withdrawn.  Out of memory
 * leaves the old set as it was.
 */
static int
static_apply(const struct conf *conf)
{
	struct ospf_rib_entry **ne;
	struct ospf_rib_want w;
	char *claimed, *fresh;
	size_t i, n = conf->nroutes;
	long j;

	ne = calloc(n + 1, sizeof(*ne));
	claimed = calloc(st.n + 1, 1);
	fresh = calloc(n + 1, 1);
	if (ne == NULL || claimed == NULL || fresh == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		static_want(conf, &conf->routes[i], &w);
		if ((j = static_match(claimed, &w)) >= 0) {
			claimed[j] = 1;
			ne[i] = st.e[j];
		} else if ((ne[i] = ospf_rib_add(&w)) == NULL)
			goto fail;
		else
			fresh[i] = 1;
	}
	/* The new ones go in before the old ones come out. */
	for (i = 0; i < st.n; i++)
		if (claimed[i])
			st.e[i] = NULL;
	ospf_rib_del_many(st.e, st.n);
	free(st.e);
	st.e = ne;
	st.n = n;
	st.conf = conf;
	free(claimed);
	free(fresh);
	static_shut();
	return 0;
fail:
	log_warn("ospf: static routes");
	for (i = 0; ne != NULL && fresh != NULL && i < n; i++)
		if (!fresh[i])
			ne[i] = NULL;
	if (ne != NULL && fresh != NULL)
		ospf_rib_del_many(ne, n);
	free(ne);
	free(claimed);
	free(fresh);
	return -1;
}

static int
static_start(const struct conf *conf)
{
	if (ospf_watch_listen(static_on_watch, NULL) == -1)
		return -1;
	if (static_apply(conf) == -1) {
		ospf_watch_unlisten(static_on_watch, NULL);
		return -1;
	}
	return 0;
}

static int
static_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	return static_apply(new);
}

static void
static_stop(void)
{
	ospf_watch_unlisten(static_on_watch, NULL);
	ospf_rib_del_many(st.e, st.n);
	free(st.e);
	st.e = NULL;
	st.conf = NULL;
	st.n = 0;
}

const struct tsunagi_module ospf_static_module = {
    .name = "static",
    .start = static_start,
    .reload = static_reload,
    .stop = static_stop,
};
