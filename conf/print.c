/*
 * print.c: the normalized configuration, in the order and indentation of
 * NEC IX "show running-config".  Parsing the output gives an equal conf;
 * only settings that differ from the defaults are printed, and secrets
 * print as <hidden> unless CONF_PRINT_SECRETS is given.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define IND "  "

void
conf_addr_ntop(const struct conf_addr *a, int with_plen, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	if (a->af == 0 || inet_ntop(a->af, a->a, s, sizeof(s)) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	if (with_plen)
		snprintf(buf, len, "%s/%d", s, a->plen);
	else
		snprintf(buf, len, "%s", s);
}

static void
pr_addr(FILE *fp, const struct conf_addr *a, int with_plen)
{
	char buf[INET6_ADDRSTRLEN + 8];

	conf_addr_ntop(a, with_plen, buf, sizeof(buf));
	fputs(buf, fp);
}

static void
pr_route_prefix(FILE *fp, const struct conf_addr *a)
{
	if (a->plen == 0)
		fputs("default", fp);
	else
		pr_addr(fp, a, 1);
}

static void
pr_ident(FILE *fp, const struct conf_ident *id)
{
	fprintf(fp, "%s ", conf_idtype_name(id->type));
	conf_print_word(fp, id->value, 0);
}

/* The list-valued IKE fields, in the order they print. */
static const struct {
	unsigned bit;
	const char *name;
	int kind;
	size_t off;
} ike_lists[] = {
    {CONF_IKE_SA_ENC, "sa-proposal enc", CONF_ALG_ENC,
        offsetof(struct conf_ike_params, sa_enc)},
    {CONF_IKE_SA_INTEG, "sa-proposal integrity", CONF_ALG_INTEG,
        offsetof(struct conf_ike_params, sa_integ)},
    {CONF_IKE_SA_PRF, "sa-proposal prf", CONF_ALG_PRF,
        offsetof(struct conf_ike_params, sa_prf)},
    {CONF_IKE_SA_DH, "sa-proposal dh", CONF_ALG_DH,
        offsetof(struct conf_ike_params, sa_dh)},
    {CONF_IKE_CHILD_ENC, "child-proposal enc", CONF_ALG_ENC,
        offsetof(struct conf_ike_params, child_enc)},
    {CONF_IKE_CHILD_INTEG, "child-proposal integrity", CONF_ALG_INTEG,
        offsetof(struct conf_ike_params, child_integ)},
};

/* Rows [from, to) of ike_lists. */
static void
pr_algs(FILE *fp, const struct conf_ike_params *k, const char *pfx, size_t from,
    size_t to)
{
	const struct conf_alglist *l;
	size_t i;
	int j;

	for (i = from; i < to; i++) {
		if (!(k->set & ike_lists[i].bit))
			continue;
		l = (const void *)((const char *)k + ike_lists[i].off);
		fprintf(fp, IND "%s%s", pfx, ike_lists[i].name);
		for (j = 0; j < l->n; j++)
			fprintf(fp, " %s",
			    conf_alg_name(ike_lists[i].kind, l->v[j]));
		fputc('\n', fp);
	}
}

/* pfx: "" in the profile, "ikev2 " on a tunnel. */
static void
pr_ike(FILE *fp, const struct conf_ike_params *k, const char *pfx)
{
	pr_algs(fp, k, pfx, 0, 4);
	if (k->set & CONF_IKE_SA_LIFETIME)
		fprintf(fp, IND "%ssa-lifetime %u\n", pfx, k->sa_lifetime);
	pr_algs(fp, k, pfx, 4, 6);
	if (k->set & CONF_IKE_CHILD_PFS)
		fprintf(fp, IND "%schild-pfs %s\n", pfx,
		    k->child_pfs == CONF_PFS_OFF
		        ? "off"
		        : conf_alg_name(CONF_ALG_DH, k->child_pfs));
	if (k->set & CONF_IKE_CHILD_LIFETIME)
		fprintf(
		    fp, IND "%schild-lifetime %u\n", pfx, k->child_lifetime);
	if (k->set & CONF_IKE_DPD)
		fprintf(fp, IND "%sdpd-interval %u\n", pfx, k->dpd_interval);
}

static void
pr_globals(FILE *fp, const struct conf *c, int flags)
{
	size_t i;

	if (c->hostname != NULL)
		fprintf(fp, "hostname %s\n!\n", c->hostname);
	for (i = 0; i < c->nnameservers; i++) {
		fputs("ip name-server ", fp);
		pr_addr(fp, &c->nameservers[i], 0);
		fputc('\n', fp);
	}
	if (c->trust_anchor_file != NULL) {
		fputs("dns trust-anchor-file ", fp);
		conf_print_word(fp, c->trust_anchor_file, 0);
		fputc('\n', fp);
	}
	if (c->nnameservers > 0 || c->trust_anchor_file != NULL)
		fputs("!\n", fp);
	for (i = 0; i < c->npsks; i++) {
		fputs("ikev2 authentication psk id ", fp);
		pr_ident(fp, &c->psks[i].id);
		fprintf(fp, " key %s ",
		    c->psks[i].form == CONF_KEY_HEX ? "hex" : "char");
		conf_secret_print(fp, &c->psks[i].key, c->psks[i].form, flags);
		fputc('\n', fp);
	}
	if (c->npsks > 0)
		fputs("!\n", fp);
}

static void
pr_profile(FILE *fp, const struct conf *c)
{
	if (!c->profile_present)
		return;
	fputs("ikev2 default-profile\n", fp);
	if (c->local_id.type != CONF_ID_NONE) {
		fputs(IND "local-authentication psk id ", fp);
		pr_ident(fp, &c->local_id);
		fputc('\n', fp);
	}
	pr_ike(fp, &c->profile, "");
	fputs("!\n", fp);
}

static void
pr_ospf(FILE *fp, const struct conf_ospf *o)
{
	struct conf_addr rid = {AF_INET, {0}, 32};
	size_t i;

	if (!o->enabled)
		return;
	fprintf(fp, "ip router ospf %u\n", o->process_id);
	if (o->router_id != 0) {
		rid.a[0] = o->router_id >> 24;
		rid.a[1] = o->router_id >> 16;
		rid.a[2] = o->router_id >> 8;
		rid.a[3] = o->router_id;
		fputs(IND "router-id ", fp);
		pr_addr(fp, &rid, 0);
		fputc('\n', fp);
	}
	if (o->distance != CONF_DEF_OSPF_DISTANCE)
		fprintf(fp, IND "distance %u\n", o->distance);
	if (o->redist_connected)
		fputs(IND "redistribute connected\n", fp);
	if (o->redist_static)
		fputs(IND "redistribute static\n", fp);
	for (i = 0; i < o->nareas; i++)
		fprintf(fp, IND "area %u\n", o->areas[i]);
	for (i = 0; i < o->nnetworks; i++)
		fprintf(fp, IND "network %s area %u\n", o->networks[i].ifname,
		    o->networks[i].area);
	for (i = 0; i < o->npassive; i++)
		fprintf(fp, IND "passive-interface %s\n", o->passive[i]);
	fputs("!\n", fp);
}

static void
pr_routes(FILE *fp, const struct conf *c)
{
	const struct conf_route *r;
	size_t i;

	for (i = 0; i < c->nroutes; i++) {
		r = &c->routes[i];
		fputs(
		    r->prefix.af == AF_INET ? "ip route " : "ipv6 route ", fp);
		pr_route_prefix(fp, &r->prefix);
		fputc(' ', fp);
		if (r->ifname[0] != '\0')
			fputs(r->ifname, fp);
		else
			pr_addr(fp, &r->nexthop, 0);
		if (r->distance != 1)
			fprintf(fp, " distance %d", r->distance);
		fputc('\n', fp);
	}
	if (c->nroutes > 0)
		fputs("!\n", fp);
}

static void
pr_event(FILE *fp, const struct conf_watch_event *e)
{
	fprintf(fp, IND "event %d %s unreach-host ", e->seq,
	    e->target.af == AF_INET ? "ip" : "ipv6");
	pr_addr(fp, &e->target, 0);
	fprintf(fp, " %s", e->ifname);
	if (e->src_addr.af != 0) {
		fputs(" source ", fp);
		pr_addr(fp, &e->src_addr, 0);
	} else if (e->src_if[0] != '\0')
		fprintf(fp, " source %s", e->src_if);
	fputc('\n', fp);
}

static void
pr_action(FILE *fp, const struct conf_watch_action *x)
{
	if (x->type == CONF_ACTION_CLEAR_SA) {
		fprintf(
		    fp, IND "action %d ikev2 clear-sa %s\n", x->seq, x->ifname);
		return;
	}
	if (x->type == CONF_ACTION_OSPF_DOWN) {
		fprintf(fp, IND "action %d ip ospf shutdown-interface %s\n",
		    x->seq, x->ifname);
		return;
	}
	fprintf(fp, IND "action %d %s shutdown-route ", x->seq,
	    x->prefix.af == AF_INET6 ? "ipv6" : "ip");
	pr_route_prefix(fp, &x->prefix);
	fprintf(fp, " %s\n", x->ifname);
}

static void
pr_probe(FILE *fp, const char *what, uint32_t v, uint32_t def)
{
	if (v != def)
		fprintf(fp, IND "%s %u\n", what, v);
}

/* Milliseconds as the seconds they were written in: 5, 0.5, 0.05. */
static void
pr_probe_timer(FILE *fp, const char *what, uint32_t ms, uint32_t def)
{
	if (ms == def)
		return;
	fprintf(fp, IND "%s %u", what, ms / 1000);
	if (ms % 1000 != 0)
		fprintf(fp, ms % 100 ? ".%02u" : ".%u",
		    ms % 100 ? ms % 1000 / 10 : ms % 1000 / 100);
	fputc('\n', fp);
}

static void
pr_watch(FILE *fp, const struct conf *c)
{
	const struct conf_watch *w;
	size_t i, j;

	for (i = 0; i < c->nwatches; i++) {
		w = &c->watches[i];
		fprintf(fp, "watch-group %s %d\n", w->name, w->seq);
		for (j = 0; j < w->nevents; j++)
			pr_event(fp, &w->events[j]);
		for (j = 0; j < w->nactions; j++)
			pr_action(fp, &w->actions[j]);
		pr_probe_timer(
		    fp, "probe-timer wait", w->timer_wait, CONF_DEF_TIMER_WAIT);
		pr_probe_timer(fp, "probe-timer variance", w->timer_variance,
		    CONF_DEF_TIMER_VARIANCE);
		pr_probe_timer(fp, "probe-timer restorer", w->timer_restorer,
		    CONF_DEF_TIMER_RESTORER);
		pr_probe(fp, "probe-counter watch", w->count_watch,
		    CONF_DEF_COUNT_WATCH);
		pr_probe(fp, "probe-counter variance", w->count_variance,
		    CONF_DEF_COUNT_VARIANCE);
		pr_probe(fp, "probe-counter restorer", w->count_restorer,
		    CONF_DEF_COUNT_RESTORER);
		fputs("!\n", fp);
	}
	for (i = 0; i < c->nmonitors; i++)
		fprintf(fp, "network-monitor %s enable\n", c->monitors[i]);
	if (c->nmonitors > 0)
		fputs("!\n", fp);
}

static void
pr_ddns_server(FILE *fp, const struct conf_ddns *d, int flags)
{
	if (d->type == CONF_DDNS_RFC2136) {
		fputs(IND "server rfc2136 ", fp);
		pr_addr(fp, &d->server, 0);
		if (d->port != CONF_DEF_DDNS_PORT)
			fprintf(fp, " port %d", d->port);
		fprintf(fp, " zone %s key-name %s key-algorithm %s key-secret ",
		    d->zone, d->key_name,
		    d->key_alg == CONF_TSIG_HMAC_SHA256 ? "hmac-sha256"
		                                        : "hmac-sha512");
		conf_secret_print(fp, &d->key_secret, -1, flags);
		fputc('\n', fp);
	} else if (d->type == CONF_DDNS_DYNDNS2) {
		fputs(IND "server dyndns2 ", fp);
		conf_print_word(fp, d->url, 0);
		fputs(" username ", fp);
		conf_print_word(fp, d->username, 0);
		fputs(" password ", fp);
		conf_secret_print(fp, &d->password, CONF_KEY_CHAR, flags);
		fputc('\n', fp);
	}
}

static void
pr_ddns(FILE *fp, const struct conf *c, int flags)
{
	const struct conf_ddns *d;
	size_t i, j;

	for (i = 0; i < c->nddns; i++) {
		d = &c->ddns[i];
		fprintf(fp, "ddns profile %s\n", d->name);
		if (d->hostname != NULL)
			fprintf(fp, IND "hostname %s\n", d->hostname);
		pr_ddns_server(fp, d, flags);
		for (j = 0; j < d->nnotify; j++)
			fprintf(fp, IND "notify interface %s protocol %s\n",
			    d->notify[j].ifname,
			    d->notify[j].af == AF_INET ? "ip" : "ipv6");
		if (d->ttl != CONF_DEF_DDNS_TTL)
			fprintf(fp, IND "ttl %u\n", d->ttl);
		fputs("!\n", fp);
	}
}

static void
pr_description(FILE *fp, const char *d)
{
	if (d != NULL) {
		fputs(IND "description ", fp);
		conf_print_word(fp, d, 0);
		fputc('\n', fp);
	}
}

static void
pr_ospf_if(FILE *fp, const struct conf_ospf_if *o, int flags)
{
	if (o->cost != CONF_DEF_OSPF_COST)
		fprintf(fp, IND "ip ospf cost %u\n", o->cost);
	if (o->mtu_ignore)
		fputs(IND "ip ospf mtu-ignore\n", fp);
	if (o->network == CONF_OSPF_NET_P2P)
		fputs(IND "ip ospf network point-to-point\n", fp);
	else if (o->network == CONF_OSPF_NET_BROADCAST)
		fputs(IND "ip ospf network broadcast\n", fp);
	if (o->hello != CONF_DEF_OSPF_HELLO)
		fprintf(fp, IND "ip ospf hello-interval %u\n", o->hello);
	if (o->dead_set && o->hello_multiplier > 0)
		fprintf(fp,
		    IND "ip ospf dead-interval minimal "
		        "hello-multiplier %d\n",
		    o->hello_multiplier);
	else if (o->dead_set)
		fprintf(fp, IND "ip ospf dead-interval %u\n", o->dead);
	if (o->auth == CONF_OSPF_AUTH_SIMPLE)
		fputs(IND "ip ospf authentication\n", fp);
	else if (o->auth == CONF_OSPF_AUTH_MD5)
		fputs(IND "ip ospf authentication message-digest\n", fp);
	if (o->auth_key.buf != NULL) {
		fputs(IND "ip ospf authentication-key ", fp);
		conf_secret_print(fp, &o->auth_key, CONF_KEY_CHAR, flags);
		fputc('\n', fp);
	}
	if (o->md5_key.buf != NULL) {
		fprintf(fp, IND "ip ospf message-digest-key %d %s ",
		    o->md5_key_id,
		    o->md5_alg == CONF_OSPF_DIGEST_HMAC_SHA256 ? "hmac-sha-256"
		                                               : "md5");
		conf_secret_print(fp, &o->md5_key, CONF_KEY_CHAR, flags);
		fputc('\n', fp);
	}
}

static void
pr_linkifs(FILE *fp, const struct conf *c, int flags)
{
	const struct conf_linkif *li;
	size_t i, j;

	for (i = 0; i < c->nifaces; i++) {
		li = &c->ifaces[i];
		fprintf(fp, "interface %s\n", li->name);
		pr_description(fp, li->description);
		for (j = 0; j < li->naddrs; j++) {
			fputs(li->addrs[j].af == AF_INET ? IND "ip address "
			                                 : IND "ipv6 address ",
			    fp);
			pr_addr(fp, &li->addrs[j], 1);
			fputc('\n', fp);
		}
		pr_ospf_if(fp, &li->ospf, flags);
		fputs("!\n", fp);
	}
}

static void
pr_tunnel_ip(FILE *fp, const struct conf_tunnel *t, int flags)
{
	if (t->mode_ikev2)
		fputs(IND "tunnel mode ipsec-ikev2\n", fp);
	if (t->unnumbered[0] != '\0')
		fprintf(fp, IND "ip unnumbered %s\n", t->unnumbered);
	if (t->addr.af != 0) {
		fputs(IND "ip address ", fp);
		pr_addr(fp, &t->addr, 1);
		fputc('\n', fp);
	}
	if (t->mtu != 0)
		fprintf(fp, IND "ip mtu %u\n", t->mtu);
	if (t->adjust_mss == CONF_MSS_AUTO)
		fputs(IND "ip tcp adjust-mss auto\n", fp);
	else if (t->adjust_mss > 0)
		fprintf(fp, IND "ip tcp adjust-mss %d\n", t->adjust_mss);
	pr_ospf_if(fp, &t->ospf, flags);
}

static void
pr_tunnel_ike(FILE *fp, const struct conf_tunnel *t)
{
	pr_ike(fp, &t->ike_set, "ikev2 ");
	if (t->connect == CONF_CONNECT_CLICK)
		fputs(IND "ikev2 connect-type click\n", fp);
	if (t->natt_keepalive != CONF_DEF_NATT_KEEPALIVE || t->natt_force)
		fprintf(fp, IND "ikev2 nat-traversal keepalive %u%s\n",
		    t->natt_keepalive, t->natt_force ? " force" : "");
	if (t->outgoing[0] != '\0')
		fprintf(fp, IND "ikev2 outgoing-interface %s%s\n", t->outgoing,
		    t->outgoing_auto ? " auto" : "");
	if (t->source_addr.af != 0) {
		fputs(IND "ikev2 source-address ", fp);
		pr_addr(fp, &t->source_addr, 0);
		fputc('\n', fp);
	} else if (t->source_if[0] != '\0')
		fprintf(fp, IND "ikev2 source-address %s\n", t->source_if);
	if (t->peer_type == CONF_PEER_NONE)
		return;
	if (t->peer_type == CONF_PEER_ADDR) {
		fputs(IND "ikev2 peer ", fp);
		pr_addr(fp, &t->peer_addr, 0);
	} else
		fprintf(fp, IND "ikev2 peer-fqdn-ipv%d %s",
		    t->peer_type == CONF_PEER_FQDN4 ? 4 : 6, t->peer_fqdn);
	fputs(" authentication psk id ", fp);
	pr_ident(fp, &t->peer_id);
	fputc('\n', fp);
}

static void
pr_tunnels(FILE *fp, const struct conf *c, int flags)
{
	const struct conf_tunnel *t;
	size_t i;

	for (i = 0; i < c->ntunnels; i++) {
		t = &c->tunnels[i];
		fprintf(fp, "interface %s\n", t->name);
		pr_description(fp, t->description);
		pr_tunnel_ip(fp, t, flags);
		pr_tunnel_ike(fp, t);
		fputs(t->shutdown ? IND "shutdown\n" : IND "no shutdown\n", fp);
		fputs("!\n", fp);
	}
}

int
conf_print(const struct conf *c, FILE *fp, int flags)
{
	pr_globals(fp, c, flags);
	pr_profile(fp, c);
	pr_ospf(fp, &c->ospf);
	pr_routes(fp, c);
	pr_watch(fp, c);
	pr_ddns(fp, c, flags);
	pr_linkifs(fp, c, flags);
	pr_tunnels(fp, c, flags);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}
