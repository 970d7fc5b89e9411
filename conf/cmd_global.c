/*
 * cmd_global.c: top-level commands that open no block: hostname, static
 * routes, name servers, the DNSSEC trust anchor, and "exit".
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define MAX_ROUTES      1024
#define MAX_NAMESERVERS 8

static int
h_hostname(struct conf_parse *p, struct conf_arg *a, int neg)
{
	return (p->conf->hostname = conf_strdup(p, a[0].tok->s)) ? 0 : -1;
}

static int
addr_equal(const struct conf_addr *x, const struct conf_addr *y)
{
	return x->af == y->af && x->plen == y->plen &&
	       memcmp(x->a, y->a, sizeof(x->a)) == 0;
}

static int
route_dup(
    struct conf_parse *p, const struct conf_route *n, const struct conf_tok *t)
{
	const struct conf_route *r;
	size_t i;

	for (i = 0; i < p->conf->nroutes; i++) {
		r = &p->conf->routes[i];
		if (addr_equal(&r->prefix, &n->prefix) &&
		    strcmp(r->ifname, n->ifname) == 0 &&
		    addr_equal(&r->nexthop, &n->nexthop)) {
			conf_error(p, t,
			    "%s: this route is already defined on "
			    "line %d",
			    conf_cmd_name(p), r->line);
			return 1;
		}
	}
	return 0;
}

/*
 * A default route through anything but a tunnel is the uplink's, which
 * the OS (DHCP, pppd, RA) owns; so is any route through an IX port
 * (Null0.0 too).  Those through a tunnel of the OS's are known at the end
 * (conf_ix_settle).
 */
static int
route_is_os(const struct conf_arg *a)
{
	if (a[1].addr.af == 0 && conf_is_ixport_name(a[1].tok->s))
		return 1;
	return a[0].addr.plen == 0 &&
	       (a[1].addr.af != 0 || !conf_is_tunnel_name(a[1].tok->s));
}

static int
h_route(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_route n, *r;
	int af = a[0].addr.af;

	if (route_is_os(a)) {
		conf_ix_route(p, p->ln->tok, (int)(a[1].tok - p->ln->tok) + 1);
		return 0;
	}
	if (a[1].addr.af != 0 && a[1].addr.af != af) {
		conf_error(p, a[1].tok, "%s: next hop %s is not an %s address",
		    conf_cmd_name(p), conf_q(a[1].tok->s),
		    af == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	memset(&n, 0, sizeof(n));
	n.prefix = a[0].addr;
	if (a[1].addr.af != 0)
		n.nexthop = a[1].addr;
	else
		strcpy(n.ifname, a[1].tok->s);
	n.distance = a[2].tok ? (int)a[3].num : 1;
	n.line = p->ln->line;
	if (route_dup(p, &n, a[0].tok))
		return -1;
	if (n.ifname[0] != '\0' &&
	    conf_add_ref(p, REF_IFACE, n.ifname, a[1].tok) == -1)
		return -1;
	r = conf_grow(p, &p->conf->routes, &p->conf->nroutes, sizeof(*r),
	    MAX_ROUTES, "static routes");
	if (r == NULL)
		return -1;
	*r = n;
	return 0;
}

static int
h_nameserver(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf *c = p->conf;
	struct conf_addr *ns;
	size_t i;

	for (i = 0; i < c->nnameservers; i++)
		if (addr_equal(&c->nameservers[i], &a[0].addr)) {
			conf_error(p, a[0].tok,
			    "ip name-server: %s is listed "
			    "twice",
			    conf_q(a[0].tok->s));
			return -1;
		}
	ns = conf_grow(p, &c->nameservers, &c->nnameservers, sizeof(*ns),
	    MAX_NAMESERVERS, "name servers");
	if (ns == NULL)
		return -1;
	*ns = a[0].addr;
	return 0;
}

static int
h_trust_anchor(struct conf_parse *p, struct conf_arg *a, int neg)
{
	p->conf->trust_anchor_file = conf_strdup(p, a[0].tok->s);
	return p->conf->trust_anchor_file ? 0 : -1;
}

static int
h_exit(struct conf_parse *p, struct conf_arg *a, int neg)
{
	conf_leave(p);
	return 0;
}

const struct conf_cmd conf_cmds_global[] = {
    {M_GLOBAL, "hostname", "<fqdn>", h_hostname, "hostname", 0},
    {M_GLOBAL, "ip route", "<route4> <addr|if> [distance <n:1-255>]", h_route,
        NULL, 0},
    {M_GLOBAL, "ipv6 route", "<route6> <addr|if> [distance <n:1-255>]", h_route,
        NULL, 0},
    {M_GLOBAL, "ip name-server", "<addr>", h_nameserver, NULL, 0},
    {M_GLOBAL, "dns trust-anchor-file", "<path>", h_trust_anchor,
        "dns trust-anchor-file", 0},
    {M_ANY, "exit", "", h_exit, NULL, 0},
    {0, NULL, NULL, NULL, NULL, 0},
};
