/*
 * cmd_ddns.c: "ddns profile NAME": which name this site publishes, where
 * (an RFC 2136 server with a TSIG key, or a dyndns2 HTTP service), and
 * which interface's address goes into the A and AAAA records.
 */
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define MAX_DDNS   16
#define MAX_NOTIFY 8
#define B64_MAX    (4 * ((CONF_MAX_SECRET + 2) / 3))

static int
h_ddns_profile(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf *c = p->conf;
	struct conf_ddns *d;
	size_t i;

	for (i = 0; i < c->nddns; i++)
		if (strcmp(c->ddns[i].name, a[0].tok->s) == 0) {
			conf_error(p, a[0].tok,
			    "ddns profile %s is already "
			    "defined on line %d",
			    conf_q(a[0].tok->s), c->ddns[i].line);
			return -1;
		}
	d = conf_grow(
	    p, &c->ddns, &c->nddns, sizeof(*d), MAX_DDNS, "ddns profiles");
	if (d == NULL || (d->name = conf_strdup(p, a[0].tok->s)) == NULL)
		return -1;
	d->ttl = CONF_DEF_DDNS_TTL;
	d->port = CONF_DEF_DDNS_PORT;
	d->line = p->ln->line;
	conf_enter(p, M_DDNS, c->nddns - 1);
	return 0;
}

static struct conf_ddns *
cur_ddns(struct conf_parse *p)
{
	return &p->conf->ddns[p->cur];
}

static int
h_ddns_hostname(struct conf_parse *p, struct conf_arg *a, int neg)
{
	return (cur_ddns(p)->hostname = conf_strdup(p, a[0].tok->s)) ? 0 : -1;
}

static int
tsig_secret(struct conf_parse *p, struct conf_ddns *d, const struct conf_tok *t)
{
	if (t->len <= B64_MAX &&
	    conf_secret_from_base64(&d->key_secret, t->s, t->len) == 0) {
		if (d->key_secret.len < 16)
			conf_warn_at(p, t->line, t->col,
			    "%s: key-secret is only "
			    "%zu bytes; tsig-keygen makes 32 or more",
			    conf_cmd_name(p), d->key_secret.len);
		return 0;
	}
	conf_error_at(p, t->line, t->col,
	    "%s: key-secret is not valid base64 "
	    "(as tsig-keygen prints it, up to %d bytes)",
	    conf_cmd_name(p), CONF_MAX_SECRET);
	return -1;
}

/* a: addr, [port], port, zone, key-name, algorithm, secret */
static int
h_rfc2136(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ddns *d = cur_ddns(p);

	if (tsig_secret(p, d, a[6].tok) == -1)
		return -1;
	d->type = CONF_DDNS_RFC2136;
	d->server = a[0].addr;
	if (a[1].tok != NULL)
		d->port = (int)a[2].num;
	d->key_alg =
	    a[5].num == 0 ? CONF_TSIG_HMAC_SHA256 : CONF_TSIG_HMAC_SHA512;
	if ((d->zone = conf_strdup(p, a[3].tok->s)) == NULL ||
	    (d->key_name = conf_strdup(p, a[4].tok->s)) == NULL)
		return -1;
	return 0;
}

/* a: url, username, password */
static int
h_dyndns2(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ddns *d = cur_ddns(p);
	const struct conf_tok *t = a[2].tok;

	if (t->len > CONF_MAX_SECRET) {
		conf_error_at(p, t->line, t->col,
		    "%s: the password is longer "
		    "than %d bytes",
		    conf_cmd_name(p), CONF_MAX_SECRET);
		return -1;
	}
	if (conf_secret_set(&d->password, t->s, t->len) == -1) {
		conf_oom(p);
		return -1;
	}
	d->type = CONF_DDNS_DYNDNS2;
	if ((d->url = conf_strdup(p, a[0].tok->s)) == NULL ||
	    (d->username = conf_strdup(p, a[1].tok->s)) == NULL)
		return -1;
	return 0;
}

/* One address per family: a name gets one A and one AAAA record. */
static int
h_notify(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ddns *d = cur_ddns(p);
	struct conf_ddns_notify *n;
	int af = a[1].num == 0 ? AF_INET : AF_INET6;
	size_t i;

	for (i = 0; i < d->nnotify; i++)
		if (d->notify[i].af == af) {
			conf_error(p, a[1].tok,
			    "notify: protocol %s is already "
			    "published from %s (line %d)",
			    a[1].tok->s, conf_q(d->notify[i].ifname),
			    d->notify[i].line);
			return -1;
		}
	if (conf_add_ref(p, REF_LINUXIF, a[0].tok->s, a[0].tok) == -1)
		return -1;
	n = conf_grow(
	    p, &d->notify, &d->nnotify, sizeof(*n), MAX_NOTIFY, "notify lines");
	if (n == NULL)
		return -1;
	strcpy(n->ifname, a[0].tok->s);
	n->af = af;
	n->line = p->ln->line;
	return 0;
}

static int
h_ttl(struct conf_parse *p, struct conf_arg *a, int neg)
{
	cur_ddns(p)->ttl = neg ? CONF_DEF_DDNS_TTL : (uint32_t)a[0].num;
	return 0;
}

const struct conf_cmd conf_cmds_ddns[] = {
    {M_GLOBAL, "ddns profile", "<name>", h_ddns_profile, NULL, CMD_OPENS},
    {M_DDNS, "hostname", "<fqdn>", h_ddns_hostname, "hostname", 0},
    {M_DDNS, "server rfc2136",
        "<addr> [port <n:1-65535>] zone <fqdn> "
        "key-name <fqdn> key-algorithm {hmac-sha256|hmac-sha512} "
        "key-secret <secret>",
        h_rfc2136, "server", 0},
    {M_DDNS, "server dyndns2", "<url> username <word> password <secret>",
        h_dyndns2, "server", 0},
    {M_DDNS, "notify interface", "<ifname> protocol {ip|ipv6}", h_notify, NULL,
        0},
    {M_DDNS, "ttl", "<n:1-86400>", h_ttl, "ttl", CMD_NEG},
    {0, NULL, NULL, NULL, NULL, 0},
};
