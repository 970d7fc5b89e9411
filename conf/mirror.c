/*
 * mirror.c: the other house's configuration, made from this house's
 * (tsunagid -x).  The two files of a pair differ only in who is
 * who: the identities and names swap, each side's addresses swap, and the
 * routes to the other house's LAN become routes to this one's.  What the
 * file does not say (this house's LAN prefixes, the outer address of a
 * tunnel with a fixed peer) comes from the addresses the caller read from
 * the kernel.  The conf is changed in place; nothing is half-changed on
 * an error, because the caller throws it away then.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

struct mirror {
	struct conf *c;
	const char *file;
	const struct conf_hostaddr *ha;
	size_t nha;
	const char *me, *peer; /* the two identities' values */
	char *peer_fqdn;       /* the name the tunnels find the peer by */
	struct conf_diags *d;
	int errors;
};

static void mirror_error(struct mirror *m, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
mirror_error(struct mirror *m, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_diag_vadd(m->d, CONF_ERROR, m->file, line, 0, NULL, fmt, ap);
	va_end(ap);
	m->errors++;
}

/*
 * s with every "me" made "peer" and every "peer" made "me", in one pass
 * ("home-gw" -> "jikka-gw", "to jikka over IPv6" -> "to home over IPv6").
 * A new string, or NULL when out of memory.
 */
static char *
mirror_swap(const struct mirror *m, const char *s)
{
	size_t lm = strlen(m->me), lp = strlen(m->peer), n = 0;
	char *out, *w;

	if (lm == 0 || lp == 0)
		return strdup(s);
	/* At worst every byte starts a match of the shorter name. */
	if ((out = malloc(strlen(s) * (lm > lp ? lm : lp) + 1)) == NULL)
		return NULL;
	for (w = out; s[n] != '\0';) {
		if (lm && strncmp(s + n, m->me, lm) == 0) {
			memcpy(w, m->peer, lp);
			w += lp, n += lm;
		} else if (lp && strncmp(s + n, m->peer, lp) == 0) {
			memcpy(w, m->me, lm);
			w += lm, n += lp;
		} else
			*w++ = s[n++];
	}
	*w = '\0';
	return out;
}

static int
mirror_swap_str(struct mirror *m, char **s)
{
	char *n;

	if (*s == NULL)
		return 0;
	if ((n = mirror_swap(m, *s)) == NULL) {
		mirror_error(m, 0, "out of memory");
		return -1;
	}
	free(*s);
	*s = n;
	return 0;
}

static int
mirror_set_str(struct mirror *m, char **s, const char *v)
{
	char *n = strdup(v);

	if (n == NULL) {
		mirror_error(m, 0, "out of memory");
		return -1;
	}
	free(*s);
	*s = n;
	return 0;
}

/* 1 if the interface is some tunnel's way out (an uplink, not a LAN). */
static int
mirror_is_uplink(const struct conf *c, const char *ifname)
{
	size_t i;

	for (i = 0; i < c->ntunnels; i++)
		if (strcmp(c->tunnels[i].outgoing, ifname) == 0)
			return 1;
	return 0;
}

/* 1 if the file names the Linux interface (a block, or any command). */
static int
mirror_names(const struct conf *c, const char *ifname)
{
	size_t i;

	for (i = 0; i < c->noslinks; i++)
		if (strcmp(c->oslinks[i].name, ifname) == 0)
			return 1;
	return 0;
}

/*
 * This house's LAN addresses of a family: those of the Linux interfaces
 * the file names that are no tunnel's uplink, the interface blocks' first,
 * then the kernel's.  Returns how many went into out (max at most).
 */
static size_t
mirror_lan(const struct mirror *m, int af, struct conf_addr *out, size_t max)
{
	const struct conf *c = m->c;
	size_t n = 0, i, j;

	for (i = 0; i < c->nifaces; i++)
		for (j = 0; j < c->ifaces[i].naddrs && n < max; j++)
			if (c->ifaces[i].addrs[j].af == af &&
			    !mirror_is_uplink(c, c->ifaces[i].name))
				out[n++] = c->ifaces[i].addrs[j];
	for (i = 0; i < m->nha && n < max; i++) {
		if (m->ha[i].addr.af != af ||
		    mirror_is_uplink(c, m->ha[i].ifname) ||
		    !mirror_names(c, m->ha[i].ifname))
			continue;
		for (j = 0; j < n; j++)
			if (memcmp(out[j].a, m->ha[i].addr.a, 16) == 0)
				break;
		if (j == n)
			out[n++] = m->ha[i].addr;
	}
	return n;
}

/* The network of an address: its host bits cleared. */
static struct conf_addr
mirror_net(struct conf_addr a)
{
	int bits = a.af == AF_INET ? 32 : 128, i;

	for (i = a.plen; i < bits; i++)
		a.a[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	return a;
}

/*
 * The one LAN prefix of a family this house has, for the other house's
 * routes back.  More than one or none is an error that says what to do.
 */
static int
mirror_lan_net(struct mirror *m, int af, int line, struct conf_addr *out)
{
	struct conf_addr lan[8];
	size_t n = mirror_lan(m, af, lan, 8);

	if (n == 1) {
		*out = mirror_net(lan[0]);
		return 0;
	}
	if (n == 0)
		mirror_error(m, line,
		    "the other house routes this house's %s LAN through the "
		    "tunnel, but no LAN interface of this house has an %s "
		    "address here: run \"tsunagid -x\" on this house's box, or "
		    "write the address in the LAN's interface block",
		    af == AF_INET ? "IPv4" : "IPv6",
		    af == AF_INET ? "IPv4" : "IPv6");
	else
		mirror_error(m, line,
		    "this house has %zu %s LAN prefixes: \"tsunagid -x\" "
		    "routes "
		    "one per family back; write the one to route in the LAN's "
		    "interface block",
		    n, af == AF_INET ? "IPv4" : "IPv6");
	return -1;
}

/* The value of the one identity every tunnel authenticates its peer as. */
static int
mirror_identities(struct mirror *m)
{
	const struct conf *c = m->c;
	size_t i;

	if (c->ntunnels == 0) {
		mirror_error(m, 0, "no tunnel: nothing to mirror");
		return -1;
	}
	if (c->local_id.value == NULL) {
		mirror_error(m, 0,
		    "no local-authentication in the ikev2 "
		    "default-profile: the other house would not "
		    "know whom it talks to");
		return -1;
	}
	m->me = c->local_id.value;
	for (i = 0; i < c->ntunnels; i++) {
		const struct conf_ident *p = &c->tunnels[i].peer_id;

		if (p->value == NULL)
			continue;
		if (m->peer == NULL)
			m->peer = p->value;
		else if (strcmp(m->peer, p->value) != 0) {
			mirror_error(m, c->tunnels[i].line,
			    "%s's peer is %s, another tunnel's is %s: a mirror "
			    "is for two houses",
			    c->tunnels[i].name, p->value, m->peer);
			return -1;
		}
	}
	if (m->peer == NULL) {
		mirror_error(m, 0, "no tunnel names its peer's identity");
		return -1;
	}
	return 0;
}

/* The name this house publishes for the records of a family, or NULL. */
static const char *
mirror_my_name(const struct conf *c, int af)
{
	size_t i, j;

	for (i = 0; i < c->nddns; i++)
		for (j = 0; j < c->ddns[i].nnotify; j++)
			if (c->ddns[i].notify[j].af == af)
				return c->ddns[i].hostname;
	return NULL;
}

/* The address the kernel gives this house's interface, of a family. */
static const struct conf_addr *
mirror_if_addr(const struct mirror *m, const char *ifname, int af)
{
	size_t i;

	for (i = 0; i < m->nha; i++)
		if (m->ha[i].addr.af == af &&
		    strcmp(m->ha[i].ifname, ifname) == 0)
			return &m->ha[i].addr;
	return NULL;
}

/*
 * A numbered tunnel's address: the other end of its /30 or /31 (/126,
 * /127), the only ones whose other end the file tells.
 */
static int
mirror_tunnel_addr(struct mirror *m, struct conf_tunnel *t)
{
	struct conf_addr *a = &t->addr;
	int bits = a->af == AF_INET ? 32 : 128, last = bits / 8 - 1;

	if (a->af == 0)
		return 0;
	if (a->plen == bits - 1) {
		a->a[last] ^= 1;
		return 0;
	}
	if (a->plen == bits - 2 && (a->a[last] & 3) != 0 &&
	    (a->a[last] & 3) != 3) {
		a->a[last] ^= 3; /* .1 <-> .2 */
		return 0;
	}
	mirror_error(m, t->line,
	    "%s has its own address: \"tsunagid -x\" knows the other end only "
	    "of a /30 or /31 (/126, /127); write the other house's there",
	    t->name);
	return -1;
}

/* How the other house finds this one: the name it publishes. */
static int
mirror_tunnel_fqdn(struct mirror *m, struct conf_tunnel *t, int af)
{
	const char *name;

	if (m->peer_fqdn != NULL && strcmp(m->peer_fqdn, t->peer_fqdn) != 0) {
		mirror_error(m, t->line,
		    "%s finds the other house as %s, another tunnel as %s: the "
		    "other house publishes one name",
		    t->name, t->peer_fqdn, m->peer_fqdn);
		return -1;
	}
	if (m->peer_fqdn == NULL &&
	    (m->peer_fqdn = strdup(t->peer_fqdn)) == NULL) {
		mirror_error(m, 0, "out of memory");
		return -1;
	}
	if ((name = mirror_my_name(m->c, af)) == NULL) {
		mirror_error(m, t->line,
		    "%s finds the other house by name, but this house "
		    "publishes "
		    "no %s record (a ddns profile with \"notify interface ... "
		    "protocol %s\"): the other house could not find it",
		    t->name, af == AF_INET ? "A" : "AAAA",
		    af == AF_INET ? "ip" : "ipv6");
		return -1;
	}
	return mirror_set_str(m, &t->peer_fqdn, name);
}

/* How the other house reaches a fixed address: this house's own. */
static int
mirror_tunnel_peer_addr(struct mirror *m, struct conf_tunnel *t, int af)
{
	const char *from = t->source_if[0] ? t->source_if : t->outgoing;
	const struct conf_addr *a;

	if (t->source_addr.af != 0)
		t->peer_addr = t->source_addr;
	else if (from[0] && (a = mirror_if_addr(m, from, af)) != NULL)
		t->peer_addr = *a;
	else {
		mirror_error(m, t->line,
		    "%s's peer is a fixed address; the other house needs this "
		    "house's, but %s has no %s address here (write \"ikev2 "
		    "source-address ADDR\")",
		    t->name, from[0] ? from : "no outgoing-interface",
		    af == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	t->peer_addr.plen = af == AF_INET ? 32 : 128;
	return 0;
}

/* The tunnel as the other house has it: its peer is this house. */
static int
mirror_tunnel(struct mirror *m, struct conf_tunnel *t)
{
	int af = conf_tunnel_af(t);

	if ((t->peer_type == CONF_PEER_FQDN4 ||
	        t->peer_type == CONF_PEER_FQDN6) &&
	    mirror_tunnel_fqdn(m, t, af) == -1)
		return -1;
	if (t->peer_type == CONF_PEER_ADDR &&
	    mirror_tunnel_peer_addr(m, t, af) == -1)
		return -1;
	/* A written source address is this house's: the other picks its own. */
	memset(&t->source_addr, 0, sizeof(t->source_addr));
	if (mirror_tunnel_addr(m, t) == -1)
		return -1;
	t->peer_id.type = m->c->local_id.type;
	if (mirror_set_str(m, &t->peer_id.value, m->me) == -1)
		return -1;
	return mirror_swap_str(m, &t->description);
}

/* Routes through a tunnel lead to the other house's LAN: now to ours. */
static int
mirror_routes(struct mirror *m)
{
	struct conf *c = m->c;
	size_t i, n = 0;

	for (i = 0; i < c->nroutes; i++) {
		struct conf_route r = c->routes[i];

		if (r.ifname[0] == '\0' ||
		    conf_tunnel_find(c, r.ifname) == NULL)
			continue; /* this house's own way: not the other's */
		if (mirror_lan_net(m, r.prefix.af, r.line, &r.prefix) == -1)
			return -1;
		c->routes[n++] = r;
	}
	c->nroutes = n;
	return 0;
}

/* A probe from this house to the other's LAN: now the other way. */
static int
mirror_event(struct mirror *m, struct conf_watch_event *e)
{
	struct conf_addr lan[1];

	if (e->src_addr.af != 0) {
		struct conf_addr t = e->target;

		e->target = e->src_addr;
		e->src_addr = t;
		return 0;
	}
	if (mirror_lan(m, e->target.af, lan, 1) == 0) {
		mirror_error(m, e->line,
		    "the other house's probe needs this house's LAN address "
		    "to ping: write \"source ADDR\" here, or give the LAN "
		    "interface's block its address");
		return -1;
	}
	e->target = lan[0];
	e->target.plen = e->target.af == AF_INET ? 32 : 128;
	return 0;
}

static int
mirror_watches(struct mirror *m)
{
	struct conf *c = m->c;
	size_t i, j;

	for (i = 0; i < c->nwatches; i++) {
		struct conf_watch *w = &c->watches[i];

		if (mirror_swap_str(m, &w->name) == -1)
			return -1;
		for (j = 0; j < w->nevents; j++)
			if (mirror_event(m, &w->events[j]) == -1)
				return -1;
		for (j = 0; j < w->nactions; j++)
			if (w->actions[j].type == CONF_ACTION_SHUTDOWN_ROUTE &&
			    conf_tunnel_find(c, w->actions[j].ifname) != NULL &&
			    mirror_lan_net(m, w->actions[j].prefix.af,
			        w->actions[j].line,
			        &w->actions[j].prefix) == -1)
				return -1;
	}
	for (i = 0; i < c->nmonitors; i++)
		if (mirror_swap_str(m, &c->monitors[i]) == -1)
			return -1;
	return 0;
}

/*
 * The router-id: when it is this house's end of a probe (its LAN
 * address), the other end; else the other house picks its own.
 */
static void
mirror_router_id(struct mirror *m)
{
	struct conf *c = m->c;
	uint32_t rid = htonl(c->ospf.router_id), a;
	size_t i, j;

	for (i = 0; i < c->nwatches; i++)
		for (j = 0; j < c->watches[i].nevents; j++) {
			const struct conf_watch_event *e =
			    &c->watches[i].events[j];

			/* Already mirrored: the target is this house's now. */
			if (e->target.af != AF_INET ||
			    e->src_addr.af != AF_INET)
				continue;
			memcpy(&a, e->target.a, 4);
			if (a == rid) {
				memcpy(&a, e->src_addr.a, 4);
				c->ospf.router_id = ntohl(a);
				return;
			}
		}
	c->ospf.router_id = 0;
}

/*
 * The other house publishes the name this house's tunnels look for; the
 * server, zone and credentials stay (one key that may update both names,
 * or the other house's own, edited in).
 */
static int
mirror_ddns(struct mirror *m)
{
	const char *peer_fqdn = m->peer_fqdn;
	struct conf *c = m->c;
	size_t i;

	if (c->nddns > 0 && peer_fqdn == NULL) {
		mirror_error(m, c->ddns[0].line,
		    "this house publishes its addresses, but no tunnel finds "
		    "the other house by name: which name should it publish?");
		return -1;
	}
	if (c->nddns > 1) {
		mirror_error(m, c->ddns[1].line,
		    "more than one ddns profile: the other house publishes "
		    "one name");
		return -1;
	}
	for (i = 0; i < c->nddns; i++)
		if (mirror_swap_str(m, &c->ddns[i].name) == -1 ||
		    mirror_set_str(m, &c->ddns[i].hostname, peer_fqdn) == -1)
			return -1;
	return 0;
}

/* Hostname, identity, interface blocks: the other house's. */
static int
mirror_house(struct mirror *m)
{
	struct conf *c = m->c;
	char *peer = strdup(m->peer);
	size_t i;

	if (peer == NULL) {
		mirror_error(m, 0, "out of memory");
		return -1;
	}
	if ((c->hostname != NULL && strstr(c->hostname, m->me) == NULL
	            ? mirror_set_str(m, &c->hostname, m->peer)
	            : mirror_swap_str(m, &c->hostname)) == -1) {
		free(peer);
		return -1;
	}
	for (i = 0; i < c->nifaces; i++) {
		/* Written addresses are this house's: the other has its own. */
		free(c->ifaces[i].addrs);
		c->ifaces[i].addrs = NULL;
		c->ifaces[i].naddrs = 0;
		if (mirror_swap_str(m, &c->ifaces[i].description) == -1) {
			free(peer);
			return -1;
		}
	}
	c->local_id.type = c->tunnels[0].peer_id.type;
	free(c->local_id.value);
	c->local_id.value = peer;
	return 0;
}

int
conf_mirror(struct conf *c, const char *file, const struct conf_hostaddr *ha,
    size_t nha, struct conf_diags *d)
{
	struct mirror m = {.c = c, .file = file, .ha = ha, .nha = nha, .d = d};
	char *me = NULL, *peer = NULL;
	size_t i;
	int r = -1;

	if (mirror_identities(&m) == -1)
		return -1;
	/* Copies: the identities' strings are replaced on the way. */
	if ((me = strdup(m.me)) == NULL || (peer = strdup(m.peer)) == NULL) {
		mirror_error(&m, 0, "out of memory");
		goto out;
	}
	m.me = me, m.peer = peer;
	if (mirror_routes(&m) == -1 || mirror_watches(&m) == -1)
		goto out;
	mirror_router_id(&m);
	for (i = 0; i < c->ntunnels; i++)
		if (mirror_tunnel(&m, &c->tunnels[i]) == -1)
			goto out;
	if (mirror_ddns(&m) == -1 || mirror_house(&m) == -1)
		goto out;
	r = 0;
out:
	free(me);
	free(peer);
	free(m.peer_fqdn);
	return r;
}
