/*
 * cmd_iface.c: "interface NAME" and what goes inside.  The name decides
 * the block: TunnelN.M is an IKEv2 tunnel (its XFRM interface gets that
 * name) unless its tunnel mode says it is the OS's (ix.c), an NEC IX port
 * name is the OS's business (warned about and skipped), anything else is
 * a Linux interface tsunagi only refers to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define MAX_TUNNELS     64
#define MAX_IFACES      64
#define MAX_IFADDRS     16
#define OSPF_SIMPLE_MAX 8 /* RFC 2328 D.3 */
#define OSPF_MD5_MAX    16
#define OSPF_HMAC_MAX   64 /* RFC 5709: longer keys are hashed anyway */

void
conf_ospf_if_init(struct conf_ospf_if *o)
{
	memset(o, 0, sizeof(*o));
	o->cost = CONF_DEF_OSPF_COST;
	o->hello = CONF_DEF_OSPF_HELLO;
	o->dead = 4 * CONF_DEF_OSPF_HELLO;
}

void
conf_ospf_if_clear(struct conf_ospf_if *o)
{
	conf_secret_clear(&o->auth_key);
	conf_secret_clear(&o->md5_key);
}

/* 1 if the name is taken, after saying where. */
static int
iface_dup(struct conf_parse *p, const struct conf_tok *t)
{
	const struct conf *c = p->conf;
	const struct conf_osif *o;
	char map[CONF_IFNAMSIZ * 3 + 48] = "";
	int line = 0;
	size_t i;

	for (i = 0; i < c->ntunnels; i++)
		if (strcmp(c->tunnels[i].name, t->s) == 0)
			line = c->tunnels[i].line;
	for (i = 0; i < c->nifaces; i++)
		if (strcmp(c->ifaces[i].name, t->s) == 0)
			line = c->ifaces[i].line;
	if ((o = conf_osif_find(p, t->s)) != NULL)
		line = o->line;
	if (line == 0)
		return 0;
	if (t->ixname != NULL)
		snprintf(map, sizeof(map), " (%s is %s by port-map)", t->ixname,
		    t->s);
	conf_error(p, t,
	    "interface %s is already defined on line %d%s; put all "
	    "its settings in one block",
	    conf_q(t->s), line, map);
	return 1;
}

static int
new_tunnel(struct conf_parse *p, const struct conf_tok *t)
{
	struct conf_tunnel *tu;

	tu = conf_grow(p, &p->conf->tunnels, &p->conf->ntunnels, sizeof(*tu),
	    MAX_TUNNELS, "tunnels");
	if (tu == NULL)
		return -1;
	strcpy(tu->name, t->s);
	tu->line = t->line;
	tu->natt_keepalive = CONF_DEF_NATT_KEEPALIVE;
	conf_ospf_if_init(&tu->ospf);
	conf_enter(p, M_TUNNEL, p->conf->ntunnels - 1);
	return 0;
}

static int
new_linkif(struct conf_parse *p, const struct conf_tok *t)
{
	struct conf_linkif *li;

	li = conf_grow(p, &p->conf->ifaces, &p->conf->nifaces, sizeof(*li),
	    MAX_IFACES, "interfaces");
	if (li == NULL)
		return -1;
	strcpy(li->name, t->s);
	li->line = t->line;
	conf_ospf_if_init(&li->ospf);
	conf_enter(p, M_LINUXIF, p->conf->nifaces - 1);
	return 0;
}

static int
h_interface(struct conf_parse *p, struct conf_arg *a, int neg)
{
	const struct conf_tok *t = a[0].tok;
	char name[96]; /* as a warning names it (struct conf_ixnote) */

	if (conf_is_ixport_name(t->s)) {
		snprintf(name, sizeof(name), "interface %s", t->s);
		conf_ix_block(p, IXO_PORT, name, "an NEC IX port", M_IXPORT);
		return 0;
	}
	if (t->len >= CONF_IFNAMSIZ) {
		conf_error(p, t,
		    "interface name %s is too long (%d characters "
		    "at most on Linux)",
		    conf_q(t->s), CONF_IFNAMSIZ - 1);
		return -1;
	}
	if (!conf_valid_ifname(t->s)) {
		conf_error(p, t,
		    "%s is not a valid interface name (letters, "
		    "digits, \"_\", \".\" and \"-\")",
		    conf_q(t->s));
		return -1;
	}
	if (iface_dup(p, t))
		return -1;
	if (conf_is_tunnel_name(t->s))
		return new_tunnel(p, t);
	return new_linkif(p, t);
}

/*
 * The map itself was read first (conf_ix_portmaps); here it is checked,
 * in file order like every other line.
 */
static int
h_portmap(struct conf_parse *p, struct conf_arg *a, int neg)
{
	const struct conf_tok *ix = a[0].tok, *li = a[1].tok;
	const struct conf_portmap *m;
	size_t i;

	if (!conf_is_ixport_name(ix->s)) {
		conf_error(p, ix,
		    "port-map: %s is not an NEC IX port name "
		    "(GigaEthernetN.M, BVIN, ...)",
		    conf_q(ix->s));
		return -1;
	}
	if (conf_is_tunnel_name(li->s) || conf_is_ixport_name(li->s)) {
		conf_error(p, li,
		    "port-map: %s is no Linux interface name (the one the "
		    "port has on this box: wan6, ppp0, lan...)",
		    conf_q(li->s));
		return -1;
	}
	m = conf_portmap_find(p, ix->s);
	if (m == NULL) { /* what the first pass could not take */
		conf_error(p, ix, "port-map: %s is too long for a port name",
		    conf_q(ix->s));
		return -1;
	}
	for (i = 0; i < p->nportmaps; i++)
		if (p->portmaps[i].line < ix->line &&
		    strcmp(p->portmaps[i].linux_if, li->s) == 0) {
			conf_error(p, li,
			    "port-map: %s is already %s's, on line %d (a Linux "
			    "interface is one port)",
			    conf_q(li->s), p->portmaps[i].ix,
			    p->portmaps[i].line);
			return -1;
		}
	if (m->line != ix->line) {
		conf_error(p, ix,
		    "port-map: %s is already mapped to %s on line %d",
		    conf_q(ix->s), m->linux_if, m->line);
		return -1;
	}
	return 0;
}

static struct conf_tunnel *
cur_tunnel(struct conf_parse *p)
{
	return &p->conf->tunnels[p->cur];
}

static int
h_description(struct conf_parse *p, struct conf_arg *a, int neg)
{
	char **d = p->mode == M_TUNNEL ? &cur_tunnel(p)->description
	                               : &p->conf->ifaces[p->cur].description;
	char buf[CONF_MAX_LINE + 1] = "";
	int i;

	free(*d);
	*d = NULL;
	if (neg)
		return 0;
	for (i = 0; i < a[0].n; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, a[0].tok[i].s);
	}
	return (*d = conf_strdup(p, buf)) ? 0 : -1;
}

/* Tunnels ----------------------------------------------------------------- */

static int
h_tunnel_mode(struct conf_parse *p, struct conf_arg *a, int neg)
{
	cur_tunnel(p)->mode_ikev2 = 1;
	return 0;
}

static int
h_unnumbered(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	tu->unnumbered[0] = '\0';
	if (neg)
		return 0;
	strcpy(tu->unnumbered, a[0].tok->s);
	return conf_add_ref(p, REF_UNNUMBERED, tu->unnumbered, a[0].tok);
}

static int
h_tunnel_addr(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	memset(&tu->addr, 0, sizeof(tu->addr));
	tu->unnumbered[0] = '\0';
	if (!neg)
		tu->addr = a[0].addr;
	return 0;
}

static int
h_connect_type(struct conf_parse *p, struct conf_arg *a, int neg)
{
	cur_tunnel(p)->connect = neg ? CONF_CONNECT_AUTO : (int)a[0].num;
	return 0;
}

static int
h_outgoing(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	tu->outgoing[0] = '\0';
	tu->outgoing_auto = 0;
	if (neg)
		return 0;
	strcpy(tu->outgoing, a[0].tok->s);
	tu->outgoing_auto = a[1].tok != NULL;
	return conf_add_ref(p, REF_LINUXIF, tu->outgoing, a[0].tok);
}

static int
h_source(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	memset(&tu->source_addr, 0, sizeof(tu->source_addr));
	tu->source_if[0] = '\0';
	if (neg)
		return 0;
	if (a[0].addr.af != 0) {
		tu->source_addr = a[0].addr;
		return 0;
	}
	strcpy(tu->source_if, a[0].tok->s);
	return conf_add_ref(p, REF_LINUXIF, tu->source_if, a[0].tok);
}

/* The three peer rows share the "authentication psk id T ID" tail. */
static int
peer_ident(struct conf_parse *p, struct conf_tunnel *tu, struct conf_arg *a)
{
	struct conf_ref *r;

	if (conf_ident_parse(p, CONF_ID_KEYID + (int)a[1].num, a[2].tok,
	        &tu->peer_id) == -1 ||
	    conf_add_ref(p, REF_PSK, tu->peer_id.value, a[2].tok) == -1)
		return -1;
	r = conf_last_ref(p);
	r->idtype = tu->peer_id.type;
	return 0;
}

static int
h_peer(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);
	const char *path = p->cmd->path;

	if (strcmp(path, "ikev2 peer") == 0) {
		tu->peer_type = CONF_PEER_ADDR;
		tu->peer_addr = a[0].addr;
	} else {
		tu->peer_type = strcmp(path, "ikev2 peer-fqdn-ipv4") == 0
		                    ? CONF_PEER_FQDN4
		                    : CONF_PEER_FQDN6;
		if ((tu->peer_fqdn = conf_strdup(p, a[0].tok->s)) == NULL)
			return -1;
	}
	return peer_ident(p, tu, a);
}

static int
h_natt(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	tu->natt_keepalive = neg ? CONF_DEF_NATT_KEEPALIVE : (uint32_t)a[0].num;
	tu->natt_force = !neg && a[1].tok != NULL;
	return 0;
}

/* MSS and MTU are checked together, whichever comes second. */
static int
mss_mtu_check(struct conf_parse *p, struct conf_tunnel *tu)
{
	if (tu->adjust_mss > 0 && tu->mtu > 0 &&
	    (uint32_t)tu->adjust_mss > tu->mtu - 40) {
		conf_error(p, p->ln->tok,
		    "ip tcp adjust-mss %d does not fit "
		    "ip mtu %u (at most %u: 40 bytes go to the IPv4 and TCP "
		    "headers)",
		    tu->adjust_mss, tu->mtu, tu->mtu - 40);
		return -1;
	}
	return 0;
}

static int
h_mss(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	if (neg)
		tu->adjust_mss = CONF_MSS_OFF;
	else if (strcmp(p->cmd->path, "ip tcp adjust-mss auto") == 0)
		tu->adjust_mss = CONF_MSS_AUTO;
	else
		tu->adjust_mss = (int)a[0].num;
	return mss_mtu_check(p, tu);
}

static int
h_mtu(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_tunnel *tu = cur_tunnel(p);

	tu->mtu = neg ? 0 : (uint32_t)a[0].num;
	return mss_mtu_check(p, tu);
}

static int
h_shutdown(struct conf_parse *p, struct conf_arg *a, int neg)
{
	cur_tunnel(p)->shutdown = !neg;
	return 0;
}

/* Linux interfaces -------------------------------------------------------- */

static int
h_linkif_addr(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_linkif *li = &p->conf->ifaces[p->cur];
	struct conf_addr *ad;
	size_t i;

	if (neg) {
		free(li->addrs);
		li->addrs = NULL;
		li->naddrs = 0;
		return 0;
	}
	for (i = 0; i < li->naddrs; i++)
		if (memcmp(li->addrs[i].a, a[0].addr.a, 16) == 0 &&
		    li->addrs[i].af == a[0].addr.af) {
			conf_error(p, a[0].tok, "%s: %s is listed twice",
			    conf_cmd_name(p), conf_q(a[0].tok->s));
			return -1;
		}
	ad = conf_grow(p, &li->addrs, &li->naddrs, sizeof(*ad), MAX_IFADDRS,
	    "addresses on one interface");
	if (ad == NULL)
		return -1;
	*ad = a[0].addr;
	return 0;
}

/* OSPF interface settings (tunnels and Linux interfaces) ------------------ */

static int
h_ospf_cost(struct conf_parse *p, struct conf_arg *a, int neg)
{
	conf_cur_ospf_if(p)->cost =
	    neg ? CONF_DEF_OSPF_COST : (uint32_t)a[0].num;
	return 0;
}

static int
h_ospf_mtu_ignore(struct conf_parse *p, struct conf_arg *a, int neg)
{
	conf_cur_ospf_if(p)->mtu_ignore = !neg;
	return 0;
}

static int
h_ospf_hello(struct conf_parse *p, struct conf_arg *a, int neg)
{
	conf_cur_ospf_if(p)->hello =
	    neg ? CONF_DEF_OSPF_HELLO : (uint32_t)a[0].num;
	return 0;
}

static int
h_ospf_dead(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf_if *o = conf_cur_ospf_if(p);

	o->dead_set = !neg;
	o->hello_multiplier = 0;
	o->dead = 4 * o->hello;
	if (neg)
		return 0;
	if (strstr(p->cmd->path, "minimal") != NULL) {
		o->dead = 1;
		o->hello_multiplier = (int)a[0].num;
	} else
		o->dead = (uint32_t)a[0].num;
	return 0;
}

static int
h_ospf_auth(struct conf_parse *p, struct conf_arg *a, int neg)
{
	const char *path = p->cmd->path;

	if (neg || strstr(path, "null") != NULL)
		conf_cur_ospf_if(p)->auth = CONF_OSPF_AUTH_NULL;
	else if (strstr(path, "message-digest") != NULL)
		conf_cur_ospf_if(p)->auth = CONF_OSPF_AUTH_MD5;
	else
		conf_cur_ospf_if(p)->auth = CONF_OSPF_AUTH_SIMPLE;
	return 0;
}

static int
ospf_key(struct conf_parse *p, struct conf_secret *s, const struct conf_tok *t,
    size_t max)
{
	if (t->len > max) {
		conf_error_at(p, t->line, t->col,
		    "%s: the key is longer than "
		    "%zu bytes",
		    conf_cmd_name(p), max);
		return -1;
	}
	if (conf_secret_set(s, t->s, t->len) == -1) {
		conf_oom(p);
		return -1;
	}
	return 0;
}

static int
h_ospf_authkey(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf_if *o = conf_cur_ospf_if(p);

	conf_secret_clear(&o->auth_key);
	return neg ? 0 : ospf_key(p, &o->auth_key, a[0].tok, OSPF_SIMPLE_MAX);
}

static int
h_ospf_md5key(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ospf_if *o = conf_cur_ospf_if(p);

	conf_secret_clear(&o->md5_key);
	o->md5_key_id = 0;
	if (neg)
		return 0;
	o->md5_key_id = (int)a[0].num;
	o->md5_alg =
	    a[1].num == 0 ? CONF_OSPF_DIGEST_MD5 : CONF_OSPF_DIGEST_HMAC_SHA256;
	return ospf_key(p, &o->md5_key, a[2].tok,
	    o->md5_alg == CONF_OSPF_DIGEST_MD5 ? OSPF_MD5_MAX : OSPF_HMAC_MAX);
}

static int
h_ospf_network(struct conf_parse *p, struct conf_arg *a, int neg)
{
	static const int type[] = {CONF_OSPF_NET_P2P, CONF_OSPF_NET_BROADCAST};

	conf_cur_ospf_if(p)->network =
	    neg ? CONF_OSPF_NET_DEFAULT : type[a[0].num];
	return 0;
}

#define IDTYPES  "{keyid|fqdn|ipv4|ipv6|email}"
#define PEERTAIL " authentication psk id " IDTYPES " <ident>"
#define NEG      CMD_NEG
#define TL       M_TUNNEL
#define IF       (M_TUNNEL | M_LINUXIF)

const struct conf_cmd conf_cmds_iface[] = {
    {M_GLOBAL, "interface", "<word>", h_interface, NULL, CMD_OPENS},
    {M_ANY, "port-map", "<word> <ifname>", h_portmap, NULL, 0},
    {IF, "description", "<text>", h_description, "description", NEG},
    {TL, "tunnel mode", "{ipsec-ikev2}", h_tunnel_mode, "tunnel mode", 0},
    {TL, "ip unnumbered", "<ifname>", h_unnumbered, "ip address", NEG},
    {TL, "ip address", "<ifaddr4>", h_tunnel_addr, "ip address", NEG},
    {TL, "ikev2 connect-type", "{auto|click}", h_connect_type, "connect-type",
        NEG},
    {TL, "ikev2 outgoing-interface", "<ifname> [auto]", h_outgoing,
        "outgoing-interface", NEG},
    {TL, "ikev2 source-address", "<addr|if>", h_source, "source-address", NEG},
    {TL, "ikev2 peer", "<addr>" PEERTAIL, h_peer, "peer", 0},
    {TL, "ikev2 peer-fqdn-ipv4", "<fqdn>" PEERTAIL, h_peer, "peer", 0},
    {TL, "ikev2 peer-fqdn-ipv6", "<fqdn>" PEERTAIL, h_peer, "peer", 0},
    {TL, "ikev2 nat-traversal keepalive", "<n:1-3600> [force]", h_natt,
        "nat-traversal", NEG},
    {TL, "ip tcp adjust-mss", "<n:536-8960>", h_mss, "adjust-mss", NEG},
    {TL, "ip tcp adjust-mss auto", "", h_mss, "adjust-mss", NEG},
    {TL, "ip mtu", "<n:576-9000>", h_mtu, "ip mtu", NEG},
    {TL, "shutdown", "", h_shutdown, "shutdown", NEG | CMD_NOARGS_NEG},
    {M_LINUXIF, "ip address", "<ifaddr4>", h_linkif_addr, NULL,
        NEG | CMD_NOARGS_NEG},
    {M_LINUXIF, "ipv6 address", "<ifaddr6>", h_linkif_addr, NULL, 0},
    {IF, "ip ospf cost", "<n:1-65535>", h_ospf_cost, "ospf cost", NEG},
    {IF, "ip ospf mtu-ignore", "", h_ospf_mtu_ignore, "ospf mtu-ignore",
        NEG | CMD_NOARGS_NEG},
    {IF, "ip ospf hello-interval", "<n:1-65535>", h_ospf_hello, "ospf hello",
        NEG},
    {IF, "ip ospf dead-interval", "<n:1-65535>", h_ospf_dead, "ospf dead", NEG},
    {IF, "ip ospf dead-interval minimal hello-multiplier", "<n:3-20>",
        h_ospf_dead, "ospf dead", NEG},
    {IF, "ip ospf network", "{point-to-point|broadcast}", h_ospf_network,
        "ospf network", NEG},
    {IF, "ip ospf authentication", "", h_ospf_auth, "ospf auth", NEG},
    {IF, "ip ospf authentication message-digest", "", h_ospf_auth, "ospf auth",
        NEG},
    {IF, "ip ospf authentication null", "", h_ospf_auth, "ospf auth", NEG},
    {IF, "ip ospf authentication-key", "<secret>", h_ospf_authkey,
        "ospf auth key", NEG},
    {IF, "ip ospf message-digest-key", "<n:1-255> {md5|hmac-sha-256} <secret>",
        h_ospf_md5key, "ospf md5 key", NEG},
    {0, NULL, NULL, NULL, NULL, 0},
};
