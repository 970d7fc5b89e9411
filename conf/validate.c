/*
 * validate.c: checks that need the whole file (every name used is
 * defined, a tunnel has a peer and a key, a DDNS profile can publish,
 * OSPF stays where tsunagi can run it: area 0, point-to-point links),
 * then fills in what follows from defaults.  Runs only when the file had
 * no syntax error, so each problem is reported once, at its cause.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "conf/internal.h"

/* Lookups ----------------------------------------------------------------- */

const struct conf_tunnel *
conf_tunnel_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntunnels; i++)
		if (strcmp(c->tunnels[i].name, name) == 0)
			return &c->tunnels[i];
	return NULL;
}

int
conf_tunnel_af(const struct conf_tunnel *t)
{
	switch (t->peer_type) {
	case CONF_PEER_ADDR:
		return t->peer_addr.af;
	case CONF_PEER_FQDN4:
		return AF_INET;
	case CONF_PEER_FQDN6:
		return AF_INET6;
	}
	return 0;
}

const struct conf_linkif *
conf_linkif_find(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	return NULL;
}

const struct conf_psk *
conf_psk_find(const struct conf *c, const struct conf_ident *id)
{
	size_t i;

	for (i = 0; i < c->npsks; i++)
		if (c->psks[i].id.type == id->type &&
		    strcmp(c->psks[i].id.value, id->value) == 0)
			return &c->psks[i];
	return NULL;
}

static int
in_ospf(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ospf.nnetworks; i++)
		if (strcmp(c->ospf.networks[i].ifname, name) == 0)
			return 1;
	return 0;
}

int
conf_ospf_passive(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ospf.npassive; i++)
		if (strcmp(c->ospf.passive[i], name) == 0)
			return 1;
	return 0;
}

/* References -------------------------------------------------------------- */

/* Up to 64 names to pick a suggestion from. */
struct names {
	const char *v[64];
	size_t n;
};

static void
names_add(struct names *ns, const char *s)
{
	if (ns->n < 64)
		ns->v[ns->n++] = s;
}

static void
iface_names(const struct conf *c, int tunnels, int links, struct names *ns)
{
	size_t i;

	ns->n = 0;
	for (i = 0; tunnels && i < c->ntunnels; i++)
		names_add(ns, c->tunnels[i].name);
	for (i = 0; links && i < c->nifaces; i++)
		names_add(ns, c->ifaces[i].name);
}

static void
ref_unknown_iface(
    struct conf_parse *p, const struct conf_ref *r, int tunnels, int links)
{
	const struct conf_osif *o;
	struct names ns;
	const char *s;

	if ((o = conf_osif_find(p, r->name)) != NULL) {
		conf_error_at(p, r->line, r->col,
		    "%s: %s is the OS's %s tunnel (line %d); tsunagi runs "
		    "only ipsec-ikev2 tunnels",
		    r->what, conf_q(r->name), o->mode, o->line);
		return;
	}
	if (conf_is_ixport_name(r->name)) {
		conf_error_at(p, r->line, r->col,
		    "%s: %s is an NEC IX port; map it to its Linux "
		    "interface with \"port-map %s IFACE\"",
		    r->what, conf_q(r->name), r->name);
		return;
	}
	iface_names(p->conf, tunnels, links, &ns);
	if ((s = suggest(r->name, ns.v, ns.n)) != NULL)
		conf_error_at(p, r->line, r->col,
		    "%s: interface %s is not "
		    "declared; did you mean %s?",
		    r->what, conf_q(r->name), conf_q(s));
	else
		conf_error_at(p, r->line, r->col,
		    "%s: interface %s is not "
		    "declared (add \"interface %s\")",
		    r->what, conf_q(r->name), r->name);
}

/*
 * A Linux interface named once, declared or not: the OS configures it, so
 * it needs no block; tsunagid checks the name against the kernel.
 */
static void
oslink_note(struct conf_parse *p, const char *name, const char *what,
    int line, int col, int declared)
{
	struct conf *c = p->conf;
	struct conf_oslink *o;
	size_t i;

	for (i = 0; i < c->noslinks; i++)
		if (strcmp(c->oslinks[i].name, name) == 0)
			return;
	o = conf_grow(p, &c->oslinks, &c->noslinks, sizeof(*o), (size_t)-1,
	    "interfaces");
	if (o == NULL)
		return;
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->what, sizeof(o->what), "%s", what);
	o->line = line;
	o->col = col;
	o->declared = declared;
}

/* An interface no block declares: fine for a Linux one, not a tunnel. */
static int
ref_undeclared(struct conf_parse *p, const struct conf_ref *r, int tunnels)
{
	if (conf_is_tunnel_name(r->name) || conf_is_ixport_name(r->name)) {
		ref_unknown_iface(p, r, tunnels, 1);
		return -1;
	}
	oslink_note(p, r->name, r->what, r->line, r->col, 0);
	return 0;
}

static void
ref_linuxif(struct conf_parse *p, const struct conf_ref *r)
{
	if (conf_tunnel_find(p->conf, r->name) != NULL ||
	    conf_is_tunnel_name(r->name))
		conf_error_at(p, r->line, r->col,
		    "%s: %s is a tunnel; this "
		    "needs a Linux interface",
		    r->what, conf_q(r->name));
	else if (conf_linkif_find(p->conf, r->name) == NULL)
		ref_undeclared(p, r, 0);
}

static void
ref_psk(struct conf_parse *p, const struct conf_ref *r)
{
	struct conf_ident id = {r->idtype, r->name};
	struct names ns = {{NULL}, 0};
	const char *s;
	size_t i;

	if (conf_psk_find(p->conf, &id) != NULL)
		return;
	for (i = 0; i < p->conf->npsks; i++)
		if (p->conf->psks[i].id.type == r->idtype)
			names_add(&ns, p->conf->psks[i].id.value);
	if ((s = suggest(r->name, ns.v, ns.n)) != NULL)
		conf_error_at(p, r->line, r->col,
		    "%s: no pre-shared key for %s "
		    "%s; did you mean %s?",
		    r->what, conf_idtype_name(r->idtype), conf_q(r->name),
		    conf_q(s));
	else
		conf_error_at(p, r->line, r->col,
		    "%s: no pre-shared key for %s "
		    "%s (add \"ikev2 authentication psk id %s %s key char "
		    "...\")",
		    r->what, conf_idtype_name(r->idtype), conf_q(r->name),
		    conf_idtype_name(r->idtype), r->name);
}

static void
ref_tunnel(struct conf_parse *p, const struct conf_ref *r)
{
	if (conf_tunnel_find(p->conf, r->name) == NULL)
		ref_unknown_iface(p, r, 1, 0);
}

static void
ref_watch(struct conf_parse *p, const struct conf_ref *r)
{
	struct names ns = {{NULL}, 0};
	const char *s;
	size_t i;

	for (i = 0; i < p->conf->nwatches; i++) {
		if (strcmp(p->conf->watches[i].name, r->name) == 0)
			return;
		names_add(&ns, p->conf->watches[i].name);
	}
	if ((s = suggest(r->name, ns.v, ns.n)) != NULL)
		conf_error_at(p, r->line, r->col,
		    "%s: no watch-group %s; did "
		    "you mean %s?",
		    r->what, conf_q(r->name), conf_q(s));
	else
		conf_error_at(p, r->line, r->col, "%s: no watch-group %s",
		    r->what, conf_q(r->name));
}

static void
ref_route(struct conf_parse *p, const struct conf_ref *r)
{
	const struct conf_route *rt;
	char buf[64];
	size_t i;

	if (conf_osif_find(p, r->name) != NULL)
		return; /* the action's interface is refused for that */
	for (i = 0; i < p->conf->nroutes; i++) {
		rt = &p->conf->routes[i];
		if (rt->prefix.af == r->addr.af &&
		    rt->prefix.plen == r->addr.plen &&
		    memcmp(rt->prefix.a, r->addr.a, 16) == 0 &&
		    strcmp(rt->ifname, r->name) == 0)
			return;
	}
	conf_addr_ntop(&r->addr, 1, buf, sizeof(buf));
	conf_error_at(p, r->line, r->col,
	    "%s: there is no \"%s route %s %s\" "
	    "to shut down",
	    r->what, r->addr.af == AF_INET6 ? "ipv6" : "ip", buf, r->name);
}

/*
 * One area means no ABR, no summary LSAs and no area ranges: a two-site
 * VPN needs none of them.
 */
#define BACKBONE_ONLY "tsunagi runs OSPF in the backbone area (0) only"

static void
ref_area_line(struct conf_parse *p, const struct conf_ref *r)
{
	if (r->area != 0)
		conf_error_at(p, r->line, r->col, "%s %s: not supported: %s",
		    r->what, r->name, BACKBONE_ONLY);
}

static void
ref_area(struct conf_parse *p, const struct conf_ref *r)
{
	size_t i;

	if (r->area != 0) {
		conf_error_at(p, r->line, r->col,
		    "%s: area %s is not supported: %s", r->what, r->name,
		    BACKBONE_ONLY);
		return;
	}
	for (i = 0; i < p->conf->ospf.nareas; i++)
		if (p->conf->ospf.areas[i] == r->area)
			return;
	conf_error_at(p, r->line, r->col,
	    "%s: area %u is not declared (add "
	    "\"area %u\")",
	    r->what, r->area, r->area);
}

/*
 * tsunagi elects no DR, so a Linux interface where OSPF meets neighbours
 * must be a point-to-point link; a LAN is only announced, as passive.
 * Tunnels are point-to-point by nature.
 */
static void
ref_ospf_net(struct conf_parse *p, const struct conf_ref *r)
{
	const struct conf_linkif *li = conf_linkif_find(p->conf, r->name);
	const char *n = r->name;
	char fix[128];

	if (conf_tunnel_find(p->conf, n) != NULL ||
	    conf_ospf_passive(p->conf, n) ||
	    (li != NULL && li->ospf.network == CONF_OSPF_NET_P2P))
		return;
	if (li == NULL)
		snprintf(fix, sizeof(fix),
		    "add \"interface %s\" with \"ip ospf network "
		    "point-to-point\"",
		    n);
	else if (li->ospf.network == CONF_OSPF_NET_BROADCAST)
		snprintf(fix, sizeof(fix),
		    "make it \"ip ospf network point-to-point\" in "
		    "\"interface %s\"",
		    n);
	else
		snprintf(fix, sizeof(fix),
		    "add \"ip ospf network point-to-point\" to \"interface "
		    "%s\"",
		    n);
	conf_error_at(p, r->line, r->col,
	    "%s %s: OSPF on %s would need DR election, which tsunagi does "
	    "not do; %s (a link with one neighbour), or add "
	    "\"passive-interface %s\" (a LAN announced, no neighbours)",
	    r->what, n, n, fix, n);
}

static void
ref_check(struct conf_parse *p, const struct conf_ref *r)
{
	int known = conf_tunnel_find(p->conf, r->name) != NULL ||
	            conf_linkif_find(p->conf, r->name) != NULL;

	switch (r->kind) {
	case REF_IFACE:
	case REF_PASSIVE:
	case REF_OSPF_IF:
	case REF_OSPF_NET:
		if (!known && ref_undeclared(p, r, 1) == -1)
			break;
		if (r->kind == REF_OSPF_NET)
			ref_ospf_net(p, r);
		if ((r->kind == REF_PASSIVE || r->kind == REF_OSPF_IF) &&
		    !in_ospf(p->conf, r->name))
			conf_warn_at(p, r->line, r->col,
			    "%s: %s is in no OSPF "
			    "network, so this has no effect",
			    r->what, conf_q(r->name));
		break;
	case REF_LINUXIF:
	case REF_UNNUMBERED:
		ref_linuxif(p, r);
		break;
	case REF_TUNNEL:
		ref_tunnel(p, r);
		break;
	case REF_PSK:
		ref_psk(p, r);
		break;
	case REF_WATCH:
		ref_watch(p, r);
		break;
	case REF_ROUTE:
		ref_route(p, r);
		break;
	case REF_AREA:
		ref_area(p, r);
		break;
	case REF_AREA_LINE:
		ref_area_line(p, r);
		break;
	}
}

/* Objects ----------------------------------------------------------------- */

static int
ospf_if_custom(const struct conf_ospf_if *o)
{
	return o->cost != CONF_DEF_OSPF_COST || o->mtu_ignore ||
	       o->hello != CONF_DEF_OSPF_HELLO || o->dead_set ||
	       o->auth != CONF_OSPF_AUTH_NULL || o->auth_key.buf != NULL ||
	       o->md5_key.buf != NULL || o->network != CONF_OSPF_NET_DEFAULT;
}

static void
ospf_if_check(
    struct conf_parse *p, const char *name, int line, struct conf_ospf_if *o)
{
	if (!o->dead_set)
		o->dead = 4 * o->hello;
	if (o->hello_multiplier == 0 && o->dead <= o->hello)
		conf_error_at(p, line, 1,
		    "interface %s: ip ospf dead-interval "
		    "%u must be longer than hello-interval %u",
		    name, o->dead, o->hello);
	if (o->auth == CONF_OSPF_AUTH_SIMPLE && o->auth_key.buf == NULL)
		conf_error_at(p, line, 1,
		    "interface %s: ip ospf "
		    "authentication needs ip ospf authentication-key",
		    name);
	if (o->auth == CONF_OSPF_AUTH_MD5 && o->md5_key.buf == NULL)
		conf_error_at(p, line, 1,
		    "interface %s: ip ospf authentication "
		    "message-digest needs ip ospf message-digest-key",
		    name);
	if (ospf_if_custom(o) && !in_ospf(p->conf, name))
		conf_warn_at(p, line, 1,
		    "interface %s: its ip ospf settings "
		    "have no effect: it is in no OSPF network",
		    name);
}

static void
tunnel_ospf_check(struct conf_parse *p, struct conf_tunnel *t)
{
	if (t->addr.af == 0 && t->unnumbered[0] == '\0' &&
	    in_ospf(p->conf, t->name))
		conf_error_at(p, t->line, 1,
		    "interface %s: OSPF needs an "
		    "address here (add \"ip unnumbered IFACE\" or \"ip address "
		    "A.B.C.D/N\")",
		    t->name);
	if (t->ospf.network == CONF_OSPF_NET_BROADCAST)
		conf_error_at(p, t->line, 1,
		    "interface %s: ip ospf network broadcast: a tunnel is "
		    "point-to-point",
		    t->name);
	ospf_if_check(p, t->name, t->line, &t->ospf);
}

static void
tunnel_check(struct conf_parse *p, struct conf_tunnel *t)
{
	if (!t->mode_ikev2)
		conf_error_at(p, t->line, 1,
		    "interface %s: no \"tunnel mode "
		    "ipsec-ikev2\"",
		    t->name);
	if (t->peer_type == CONF_PEER_NONE)
		conf_error_at(p, t->line, 1,
		    "interface %s: no peer (add "
		    "\"ikev2 peer ADDRESS ...\" or \"ikev2 peer-fqdn-ipv4 FQDN "
		    "...\")",
		    t->name);
	else if (t->source_addr.af != 0 && t->source_addr.af != conf_tunnel_af(t))
		conf_error_at(p, t->line, 1,
		    "interface %s: ikev2 "
		    "source-address is IPv%d but the peer is IPv%d",
		    t->name, t->source_addr.af == AF_INET ? 4 : 6,
		    conf_tunnel_af(t) == AF_INET ? 4 : 6);
	tunnel_ospf_check(p, t);
}

/* The prefix holds the address (same family, the first plen bits). */
static int
prefix_holds(const struct conf_addr *pfx, const struct conf_addr *a)
{
	int bits = pfx->plen, i;

	if (pfx->af != a->af)
		return 0;
	for (i = 0; bits > 0; i++, bits -= 8) {
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

		if ((pfx->a[i] & m) != (a->a[i] & m))
			return 0;
	}
	return 1;
}

/*
 * An IPv6 probe needs a route through its interface (docs/watch.md): an
 * entry that withdraws the very route its own probe takes could not see
 * the path come back, and would stay down for good.
 */
static void
watch_self_blind(struct conf_parse *p, const struct conf_watch *w)
{
	const struct conf_watch_action *x;
	const struct conf_watch_event *e;
	char buf[64];
	size_t i, j;

	for (i = 0; i < w->nactions; i++) {
		x = &w->actions[i];
		if (x->type != CONF_ACTION_SHUTDOWN_ROUTE ||
		    x->prefix.af != AF_INET6)
			continue;
		for (j = 0; j < w->nevents; j++) {
			e = &w->events[j];
			if (strcmp(e->ifname, x->ifname) != 0 ||
			    !prefix_holds(&x->prefix, &e->target))
				continue;
			conf_addr_ntop(&e->target, 0, buf, sizeof(buf));
			conf_warn_at(p, x->line, 1,
			    "watch-group %s %d: action %d withdraws the "
			    "route that event %d's probe of %s takes "
			    "through %s; once down, the entry could not see "
			    "the path come back (probe an IPv4 address "
			    "through the tunnel, or keep another IPv6 route "
			    "through it)",
			    w->name, w->seq, x->seq, e->seq, buf, x->ifname);
		}
	}
}

static void
watch_check(struct conf_parse *p, struct conf_watch *w)
{
	size_t i;

	if (w->nevents == 0)
		conf_error_at(p, w->line, 1,
		    "watch-group %s %d: no event to "
		    "watch",
		    w->name, w->seq);
	if (w->nactions == 0)
		conf_error_at(p, w->line, 1,
		    "watch-group %s %d: no action to "
		    "take",
		    w->name, w->seq);
	for (i = 0; i < p->conf->nmonitors; i++)
		if (strcmp(p->conf->monitors[i], w->name) == 0)
			w->enabled = 1;
	if (!w->enabled)
		conf_warn_at(p, w->line, 1,
		    "watch-group %s %d is never enabled "
		    "(add \"network-monitor %s enable\")",
		    w->name, w->seq, w->name);
	watch_self_blind(p, w);
}

/* hostname == zone, or ends in ".zone"; case and final dots aside. */
static int
in_zone(const char *host, const char *zone)
{
	size_t hl = strlen(host), zl = strlen(zone);

	if (hl > 0 && host[hl - 1] == '.')
		hl--;
	if (zl > 0 && zone[zl - 1] == '.')
		zl--;
	if (hl < zl || strncasecmp(host + hl - zl, zone, zl) != 0)
		return 0;
	return hl == zl || host[hl - zl - 1] == '.';
}

static void
ddns_check(struct conf_parse *p, const struct conf_ddns *d)
{
	if (d->hostname == NULL)
		conf_error_at(
		    p, d->line, 1, "ddns profile %s: no hostname", d->name);
	if (d->type == CONF_DDNS_NONE)
		conf_error_at(p, d->line, 1,
		    "ddns profile %s: no server (add "
		    "\"server rfc2136 ...\" or \"server dyndns2 ...\")",
		    d->name);
	if (d->nnotify == 0)
		conf_error_at(p, d->line, 1,
		    "ddns profile %s: no \"notify "
		    "interface\" line, so nothing to publish",
		    d->name);
	if (d->type == CONF_DDNS_RFC2136 && d->hostname != NULL &&
	    !in_zone(d->hostname, d->zone))
		conf_error_at(p, d->line, 1,
		    "ddns profile %s: hostname %s is "
		    "not inside zone %s",
		    d->name, conf_q(d->hostname), conf_q(d->zone));
}

/* Effective IKE settings -------------------------------------------------- */

static void
ike_defaults(struct conf_ike_params *e)
{
	static const struct conf_alglist enc = {
	    4, {CONF_ENC_AES_GCM16_256, CONF_ENC_AES_CBC_256,
	           CONF_ENC_AES_GCM16_128, CONF_ENC_AES_CBC_128}};
	static const struct conf_alglist hash = {
	    3, {CONF_INTEG_SHA2_256, CONF_INTEG_SHA2_384, CONF_INTEG_SHA2_512}};
	static const struct conf_alglist dh = {
	    3, {CONF_DH_ECP256, CONF_DH_CURVE25519, CONF_DH_MODP2048}};

	memset(e, 0, sizeof(*e));
	e->sa_enc = e->child_enc = enc;
	e->sa_integ = e->sa_prf = e->child_integ = hash;
	e->sa_dh = dh;
	e->child_pfs = CONF_PFS_OFF;
	e->sa_lifetime = CONF_DEF_SA_LIFETIME;
	e->child_lifetime = CONF_DEF_CHILD_LIFETIME;
	e->dpd_interval = CONF_DEF_DPD_INTERVAL;
	e->set = ~0u;
}

static void
ike_merge(struct conf_ike_params *e, const struct conf_ike_params *s)
{
	unsigned b = s->set;

	if (b & CONF_IKE_SA_ENC)
		e->sa_enc = s->sa_enc;
	if (b & CONF_IKE_SA_INTEG)
		e->sa_integ = s->sa_integ;
	if (b & CONF_IKE_SA_PRF)
		e->sa_prf = s->sa_prf;
	if (b & CONF_IKE_SA_DH)
		e->sa_dh = s->sa_dh;
	if (b & CONF_IKE_SA_LIFETIME)
		e->sa_lifetime = s->sa_lifetime;
	if (b & CONF_IKE_CHILD_ENC)
		e->child_enc = s->child_enc;
	if (b & CONF_IKE_CHILD_INTEG)
		e->child_integ = s->child_integ;
	if (b & CONF_IKE_CHILD_PFS)
		e->child_pfs = s->child_pfs;
	if (b & CONF_IKE_CHILD_LIFETIME)
		e->child_lifetime = s->child_lifetime;
	if (b & CONF_IKE_DPD)
		e->dpd_interval = s->dpd_interval;
}

static void
globals_check(struct conf_parse *p)
{
	struct conf *c = p->conf;

	if (c->ntunnels > 0 && c->local_id.type == CONF_ID_NONE)
		conf_error_at(p, c->tunnels[0].line, 1,
		    "tunnels need a local "
		    "identity: add \"local-authentication psk id keyid NAME\" "
		    "to \"ikev2 default-profile\"");
	if (c->ospf.enabled && c->ospf.nnetworks == 0)
		conf_warn_at(p, c->ospf.line, 1,
		    "ip router ospf %u: no "
		    "network, so OSPF runs nowhere",
		    c->ospf.process_id);
}

void
conf_validate(struct conf_parse *p)
{
	struct conf *c = p->conf;
	size_t i;

	for (i = 0; i < c->nifaces; i++)
		oslink_note(p, c->ifaces[i].name, "interface", c->ifaces[i].line,
		    1, 1);
	for (i = 0; i < p->nrefs; i++)
		ref_check(p, &p->refs[i]);
	globals_check(p);
	for (i = 0; i < c->ntunnels; i++) {
		tunnel_check(p, &c->tunnels[i]);
		ike_defaults(&c->tunnels[i].ike);
		ike_merge(&c->tunnels[i].ike, &c->profile);
		ike_merge(&c->tunnels[i].ike, &c->tunnels[i].ike_set);
	}
	for (i = 0; i < c->nifaces; i++)
		ospf_if_check(p, c->ifaces[i].name, c->ifaces[i].line,
		    &c->ifaces[i].ospf);
	for (i = 0; i < c->nwatches; i++)
		watch_check(p, &c->watches[i]);
	for (i = 0; i < c->nddns; i++)
		ddns_check(p, &c->ddns[i]);
}
