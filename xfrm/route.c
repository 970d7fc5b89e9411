/*
 * route.c: routes and policy-routing rules, all tagged with XFRM_RTPROT.
 * The kernel itself refuses to delete a route or rule of another protocol
 * when ours is given, and a replace first checks that what it would
 * overwrite is ours: routes we did not install are never touched.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

static int
xfrm_rt_fail(void)
{
	int saved = errno;

	log_warnx("%s", xfrm_last_error());
	errno = saved;
	return -1;
}

static const char *
xfrm_route_what(
    char *buf, size_t size, const char *op, const struct xfrm_route *rt)
{
	char d[64];

	snprintf(buf, size, "xfrm: %s route %s/%u table %u metric %u", op,
	    xfrm_ip_fmt(&rt->dst.ip, d, sizeof(d)), rt->dst.len,
	    rt->table ? rt->table : RT_TABLE_MAIN, rt->metric);
	return buf;
}

static int
xfrm_route_send(uint16_t type, uint16_t flags, const struct xfrm_route *rt,
    const char *what)
{
	struct nlmsghdr *nlh;

	if (xfrm_ready() == -1)
		return -1;
	nlh =
	    xfrm_msg_route(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), type, flags, rt);
	if (nlh == NULL) {
		xfrm_set_error(
		    "%s: bad route (family, gateway or device)", what);
		errno = EINVAL;
		return -1;
	}
	return xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL);
}

int
xfrm_route_add(const struct xfrm_route *rt)
{
	char what[160];

	xfrm_route_what(what, sizeof(what), "add", rt);
	if (xfrm_route_send(
	        RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, rt, what) == -1)
		return xfrm_rt_fail();
	return 0;
}

int
xfrm_route_eq(const struct xfrm_route *a, const struct xfrm_route *b)
{
	return a->dst.len == b->dst.len && xfrm_ip_eq(&a->dst.ip, &b->dst.ip) &&
	       xfrm_ip_eq(&a->gateway, &b->gateway) && a->oif == b->oif &&
	       a->metric == b->metric && a->table == b->table;
}

/* The kernel's identity of a route: where replace would land. */
static int
xfrm_route_same(const struct xfrm_route *a, const struct xfrm_route *b)
{
	uint32_t ta = a->table ? a->table : RT_TABLE_MAIN;
	uint32_t tb = b->table ? b->table : RT_TABLE_MAIN;
	uint32_t ma = a->metric, mb = b->metric;

	if (a->dst.ip.family == AF_INET6) {
		ma = ma ? ma : 1024; /* IP6_RT_PRIO_USER */
		mb = mb ? mb : 1024;
	}
	return a->dst.ip.family == b->dst.ip.family &&
	       a->dst.len == b->dst.len && xfrm_ip_eq(&a->dst.ip, &b->dst.ip) &&
	       ta == tb && ma == mb;
}

struct xfrm_route_find {
	const struct xfrm_route *want;
	int found;
};

static int
xfrm_route_find_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_route_find *f = arg;
	struct xfrm_route_status rs;

	if (xfrm_parse_route(nlh, &rs) == -1)
		return errno == EAFNOSUPPORT ? 0 : -1;
	if (rs.protocol == XFRM_RTPROT && !(rs.rtm_flags & RTM_F_CLONED) &&
	    xfrm_route_same(&rs.rt, f->want))
		f->found = 1;
	return 0;
}

/* Adds, or replaces a route of ours with the same destination and metric. */
int
xfrm_route_replace(const struct xfrm_route *rt)
{
	struct xfrm_route_find f = {rt, 0};
	struct nlmsghdr *nlh;
	char what[160];

	xfrm_route_what(what, sizeof(what), "replace", rt);
	if (xfrm_route_send(
	        RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, rt, what) == 0)
		return 0;
	if (errno != EEXIST)
		return xfrm_rt_fail();
	nlh = xfrm_msg_rt_dump(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_GETROUTE,
	    rt->dst.ip.family, XFRM_RTPROT);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, xfrm_route_find_cb, &f) == -1)
		return xfrm_rt_fail();
	if (!f.found) {
		xfrm_set_error(
		    "%s: a route tsunagi did not install is there", what);
		errno = EEXIST;
		return xfrm_rt_fail();
	}
	if (xfrm_route_send(
	        RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, rt, what) == -1)
		return xfrm_rt_fail();
	return 0;
}

int
xfrm_route_delete(const struct xfrm_route *rt)
{
	char what[160];

	xfrm_route_what(what, sizeof(what), "delete", rt);
	if (xfrm_route_send(RTM_DELROUTE, 0, rt, what) == -1) {
		/* Already gone (its interface went down or away): what the
		 * caller wanted, so no warning; the caller sees ESRCH. */
		if (errno == ESRCH)
			return -1;
		return xfrm_rt_fail();
	}
	return 0;
}

struct xfrm_route_got {
	struct xfrm_route rt;
	int n;
};

static int
xfrm_route_got_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_route_got *g = arg;
	struct xfrm_route_status rs;

	if (xfrm_parse_route(nlh, &rs) == -1)
		return -1;
	if (g->n++ == 0)
		g->rt = rs.rt;
	return 0;
}

int
xfrm_route_get(const struct xfrm_ip *dst, int oif, struct xfrm_route *rt)
{
	struct xfrm_route_got g;
	struct nlmsghdr *nlh;
	char what[96], a[64];

	if (xfrm_ready() == -1)
		return -1;
	snprintf(what, sizeof(what), "xfrm: look up the route to %s",
	    xfrm_ip_fmt(dst, a, sizeof(a)));
	memset(&g, 0, sizeof(g));
	nlh = xfrm_msg_route_get(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), dst, oif);
	/* No route is an answer, not a fault: the caller decides. */
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, xfrm_route_got_cb, &g) == -1)
		return -1;
	if (g.n == 0) {
		xfrm_set_error("%s: no answer", what);
		errno = ENOENT;
		return -1;
	}
	memset(rt, 0, sizeof(*rt));
	rt->gateway = g.rt.gateway;
	rt->oif = g.rt.oif;
	rt->prefsrc = g.rt.prefsrc;
	return 0;
}

/* Routes of ours, collected from a dump and deleted after it. */
struct xfrm_route_list {
	struct xfrm_route rt[256];
	size_t n;
	uint32_t table;
	int more;
};

static int
xfrm_route_list_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_route_list *l = arg;
	struct xfrm_route_status rs;

	if (xfrm_parse_route(nlh, &rs) == -1)
		return errno == EAFNOSUPPORT ? 0 : -1;
	if (rs.protocol != XFRM_RTPROT || (rs.rtm_flags & RTM_F_CLONED) ||
	    (l->table != 0 && rs.rt.table != l->table))
		return 0;
	if (l->n == sizeof(l->rt) / sizeof(l->rt[0])) {
		l->more = 1;
		return 0;
	}
	l->rt[l->n++] = rs.rt;
	return 0;
}

static int
xfrm_route_flush_family(int family, uint32_t table, unsigned *count)
{
	static struct xfrm_route_list l;
	struct nlmsghdr *nlh;
	char what[96];
	size_t i;
	int rc = 0;

	snprintf(what, sizeof(what), "xfrm: flush tsunagi's IPv%d routes",
	    family == AF_INET ? 4 : 6);
	do {
		memset(&l, 0, sizeof(l));
		l.table = table;
		nlh = xfrm_msg_rt_dump(xfrm_ctx.buf, sizeof(xfrm_ctx.buf),
		    RTM_GETROUTE, family, XFRM_RTPROT);
		if (nlh == NULL || xfrm_nl_talk(&xfrm_ctx.rt, nlh, what,
		                       xfrm_route_list_cb, &l) == -1)
			return xfrm_rt_fail();
		for (i = 0; i < l.n; i++) {
			if (xfrm_route_delete(&l.rt[i]) == 0)
				(*count)++;
			else if (errno != ESRCH)
				rc = -1;
		}
	} while (l.more && l.n > 0 && rc == 0);
	return rc;
}

/* Deletes every route of ours (family AF_UNSPEC: both; table 0: all). */
int
xfrm_route_flush_count(int family, uint32_t table, unsigned *count)
{
	int rc = 0;

	if (xfrm_ready() == -1)
		return xfrm_rt_fail();
	if (family != AF_INET6 &&
	    xfrm_route_flush_family(AF_INET, table, count) == -1)
		rc = -1;
	if (family != AF_INET &&
	    xfrm_route_flush_family(AF_INET6, table, count) == -1)
		rc = -1;
	return rc;
}

int
xfrm_route_flush(int family, uint32_t table)
{
	unsigned n = 0;

	return xfrm_route_flush_count(family, table, &n);
}

/* --- rules ------------------------------------------------------------- */

static const char *
xfrm_rule_what(
    char *buf, size_t size, const char *op, const struct xfrm_rule *r)
{
	char s[64];

	snprintf(buf, size, "xfrm: %s rule from %s/%u lookup %u priority %u",
	    op, xfrm_ip_fmt(&r->src.ip, s, sizeof(s)), r->src.len, r->table,
	    r->priority);
	return buf;
}

static int
xfrm_rule_send(
    uint16_t type, uint16_t flags, const struct xfrm_rule *r, const char *what)
{
	struct nlmsghdr *nlh;

	if (xfrm_ready() == -1)
		return -1;
	nlh = xfrm_msg_rule(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), type, flags, r);
	if (nlh == NULL) {
		xfrm_set_error(
		    "%s: bad rule (family, table or priority 0)", what);
		errno = EINVAL;
		return -1;
	}
	return xfrm_nl_talk(&xfrm_ctx.rt, nlh, what, NULL, NULL);
}

int
xfrm_rule_add(const struct xfrm_rule *rule)
{
	char what[160];

	xfrm_rule_what(what, sizeof(what), "add", rule);
	if (xfrm_rule_send(
	        RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule, what) == -1)
		return xfrm_rt_fail();
	return 0;
}

/* FRA_PROTOCOL makes the kernel match rules of ours only. */
int
xfrm_rule_delete(const struct xfrm_rule *rule)
{
	char what[160];

	xfrm_rule_what(what, sizeof(what), "delete", rule);
	if (xfrm_rule_send(RTM_DELRULE, 0, rule, what) == -1)
		return xfrm_rt_fail();
	return 0;
}

struct xfrm_rule_list {
	struct xfrm_rule_status r[128];
	size_t n;
	int more;
};

static int
xfrm_rule_list_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_rule_list *l = arg;
	struct xfrm_rule_status rs;

	if (xfrm_parse_rule(nlh, &rs) == -1)
		return errno == EAFNOSUPPORT ? 0 : -1;
	if (rs.protocol != XFRM_RTPROT)
		return 0;
	if (l->n == sizeof(l->r) / sizeof(l->r[0])) {
		l->more = 1;
		return 0;
	}
	l->r[l->n++] = rs;
	return 0;
}

/* Rules of ours of one family (AF_INET, AF_INET6). */
int
xfrm_rule_list(
    int family, struct xfrm_rule_status *out, size_t max, size_t *n, int *more)
{
	static struct xfrm_rule_list l;
	struct nlmsghdr *nlh;

	memset(&l, 0, sizeof(l));
	nlh = xfrm_msg_rt_dump(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), RTM_GETRULE, family, 0);
	if (nlh == NULL || xfrm_nl_talk(&xfrm_ctx.rt, nlh, "xfrm: list rules",
	                       xfrm_rule_list_cb, &l) == -1)
		return -1;
	*n = l.n < max ? l.n : max;
	memcpy(out, l.r, *n * sizeof(*out));
	*more = l.more || l.n > max;
	return 0;
}

/* --- source routing ------------------------------------------------------ */

static void
xfrm_source_route_fill(struct xfrm_rule *rule, struct xfrm_route *rt,
    const struct xfrm_ip *src, int ifindex, uint32_t table, uint32_t priority)
{
	memset(rule, 0, sizeof(*rule));
	rule->src.ip = *src;
	rule->src.len = (uint8_t)(xfrm_ip_len(src->family) * 8);
	rule->table = table;
	rule->priority = priority;
	memset(rt, 0, sizeof(*rt));
	rt->dst.ip.family = src->family;
	rt->oif = ifindex;
	rt->table = table;
}

/*
 * Replies to what came in over the PPPoE link must leave by it, even when
 * the default route points at the other uplink: "from ADDR lookup TABLE",
 * and in TABLE a default route out of the link.  Idempotent.
 */
int
xfrm_source_route_add(
    const struct xfrm_ip *src, int ifindex, uint32_t table, uint32_t priority)
{
	struct xfrm_rule rule;
	struct xfrm_route rt;
	char what[160];

	xfrm_source_route_fill(&rule, &rt, src, ifindex, table, priority);
	if (xfrm_route_replace(&rt) == -1)
		return -1;
	xfrm_rule_what(what, sizeof(what), "add", &rule);
	if (xfrm_rule_send(
	        RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, &rule, what) == -1 &&
	    errno != EEXIST)
		return xfrm_rt_fail();
	return 0;
}

/* Is TABLE still named by a rule of ours (another address's)? */
static int
xfrm_table_in_use(int family, uint32_t table)
{
	static struct xfrm_rule_status r[128];
	size_t i, n;
	int more;

	if (xfrm_rule_list(family, r, 128, &n, &more) == -1)
		return 1; /* when in doubt, keep the route */
	for (i = 0; i < n; i++)
		if (r[i].rule.table == table)
			return 1;
	return more;
}

/*
 * Removes the rule for `src`; the table's default route goes too unless a
 * rule for another address (the new one, after a renumbering) still uses it.
 */
int
xfrm_source_route_delete(
    const struct xfrm_ip *src, int ifindex, uint32_t table, uint32_t priority)
{
	struct xfrm_rule rule;
	struct xfrm_route rt;
	int rc = 0;

	xfrm_source_route_fill(&rule, &rt, src, ifindex, table, priority);
	if (xfrm_rule_delete(&rule) == -1)
		rc = -1;
	if (!xfrm_table_in_use(src->family, table)) {
		rt.oif = 0; /* the link may be gone and back with a new index */
		if (xfrm_route_delete(&rt) == -1 && errno != ESRCH)
			rc = -1;
	}
	return rc;
}
