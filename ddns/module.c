/*
 * module.c: ddns as a tsunagid module.  Turns struct conf into profiles
 * (copying TSIG keys and dyndns2 passwords into our own guarded memory,
 * so a reload can free the old conf at any time), starts the address
 * monitor (monitor.c) and answers "show ddns".
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "daemon/ctl.h"
#include "daemon/log.h"
#include "daemon/module.h"
#include "ddns/internal.h"

#define MAX_PROFILES 16

static struct {
	struct ddns_profile *p[MAX_PROFILES];
	size_t np;
	int registered;
} mod;

/* --- configuration ----------------------------------------------------------
 */

static int
pconf_secret(const struct conf_secret *cs, struct ddns_server *s)
{
	const unsigned char *sec;
	int r;

	if (cs->len == 0 || (sec = conf_secret_unlock(cs)) == NULL)
		return -1;
	r = ddns_server_set_secret(s, sec, cs->len);
	conf_secret_lock(cs);
	return r;
}

static int
pconf_rfc2136(const struct conf_ddns *d, struct ddns_server *s)
{
	int alg = d->key_alg == CONF_TSIG_HMAC_SHA512 ? DDNS_TSIG_SHA512
	                                              : DDNS_TSIG_SHA256;

	if (d->zone == NULL || d->key_name == NULL ||
	    (d->server.af != AF_INET && d->server.af != AF_INET6))
		return -1;
	s->proto = &ddns_rfc2136;
	s->af = d->server.af;
	memcpy(s->addr, d->server.a, 16);
	s->port = (uint16_t)d->port;
	s->ttl = d->ttl;
	if (snprintf(s->zone, sizeof(s->zone), "%s", d->zone) >=
	        (int)sizeof(s->zone) ||
	    ddns_tsig_key_init(&s->key, d->key_name, alg) == -1)
		return -1;
	return pconf_secret(&d->key_secret, s);
}

static int
pconf_dyndns2(const struct conf_ddns *d, struct ddns_server *s)
{
	if (d->url == NULL || d->username == NULL)
		return -1;
	if (ddns_dd2_url_parse(d->url, &s->url) == -1) {
		/* Not quoted: user info in it would be a password. */
		log_warnx("ddns %s: cannot use the dyndns2 URL (user info, "
		          "host or port)",
		    d->name);
		return -1;
	}
	if (!ddns_dd2_user_ok(d->username)) {
		log_warnx("ddns %s: a dyndns2 user name must be 1-%d "
		          "printable characters without ':'",
		    d->name, DDNS_DD2_USER_MAX - 1);
		return -1;
	}
	s->proto = &ddns_dyndns2;
	snprintf(s->user, sizeof(s->user), "%s", d->username);
	return pconf_secret(&d->password, s);
}

/* The secret is copied into our own guarded memory: the conf may go. */
static int
pconf_server(const struct conf_ddns *d, struct ddns_server *s)
{
	if (d->hostname == NULL || snprintf(s->name, sizeof(s->name), "%s",
	                               d->hostname) >= (int)sizeof(s->name))
		return -1;
	if (d->type == CONF_DDNS_RFC2136)
		return pconf_rfc2136(d, s);
	if (d->type == CONF_DDNS_DYNDNS2)
		return pconf_dyndns2(d, s);
	return -1;
}

static struct ddns_profile *
profile_from_conf(const struct conf_ddns *d)
{
	struct ddns_pconf pc;
	size_t i;

	memset(&pc, 0, sizeof(pc));
	snprintf(pc.name, sizeof(pc.name), "%s", d->name);
	if (pconf_server(d, &pc.srv) == -1) {
		log_warnx("ddns %s: incomplete or unusable %s settings; "
		          "profile ignored",
		    d->name,
		    d->type == CONF_DDNS_DYNDNS2 ? "dyndns2" : "rfc2136");
		ddns_server_clear(&pc.srv);
		return NULL;
	}
	for (i = 0; i < d->nnotify && i < DDNS_MAX_NOTIFY; i++) {
		snprintf(pc.notify[i].ifname, DDNS_IFNAMSIZ, "%s",
		    d->notify[i].ifname);
		pc.notify[i].af = d->notify[i].af;
	}
	pc.nnotify = i;
	return ddns_profile_new(&pc);
}

static int
resolver_from_conf(const struct conf *conf)
{
	char bufs[8][INET6_ADDRSTRLEN];
	const char *fwd[8];
	size_t i, n = 0;

	for (i = 0; i < conf->nnameservers && n < 8; i++) {
		const struct conf_addr *a = &conf->nameservers[i];

		if (inet_ntop(a->af, a->a, bufs[n], sizeof(bufs[n])) != NULL) {
			fwd[n] = bufs[n];
			n++;
		}
	}
	return ddns_resolver_setup(fwd, n, conf->trust_anchor_file);
}

static void
profiles_load(const struct conf *conf, struct ddns_profile **old, size_t nold)
{
	struct ddns_profile *p;
	size_t i, j;

	mod.np = 0;
	for (i = 0; i < conf->nddns && mod.np < MAX_PROFILES; i++) {
		if ((p = profile_from_conf(&conf->ddns[i])) == NULL)
			continue;
		for (j = 0; j < nold; j++)
			if (strcmp(ddns_profile_name(old[j]),
			        ddns_profile_name(p)) == 0)
				ddns_profile_inherit(p, old[j]);
		mod.p[mod.np++] = p;
	}
}

/* --- hooks ---------------------------------------------------------------- */

int
ddns_show(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	(void)argc, (void)argv, (void)arg;
	if (mod.np == 0 && !ddns_peers_any())
		return ctl_not_running(c, "ddns: not running: the configuration "
		    "has no ddns profile and no tunnel with a peer-fqdn");
	ddns_profiles_show(c);
	ddns_peers_show(c);
	return 0;
}

static int
ddns_mod_start(const struct conf *conf)
{
	if (resolver_from_conf(conf) == -1)
		return -1;
	profiles_load(conf, NULL, 0);
	if (mod.np > 0)
		ddns_monitor_start(); /* without it: logged, the rest runs */
	if (!mod.registered && ctl_register("show ddns", 0,
	                           "published addresses and resolved "
	                           "peer names",
	                           ddns_show, NULL) == 0)
		mod.registered = 1;
	return 0;
}

static int
ddns_mod_reload(const struct conf *old, const struct conf *new)
{
	struct ddns_profile *prev[MAX_PROFILES];
	size_t i, nprev = mod.np;
	int r = 0;

	(void)old;
	if (resolver_from_conf(new) == -1)
		r = -1; /* the old resolver stays */
	memcpy(prev, mod.p, sizeof(prev));
	profiles_load(new, prev, nprev);
	for (i = 0; i < nprev; i++)
		ddns_profile_free(prev[i]);
	if (mod.np > 0)
		ddns_monitor_start();
	return r;
}

static void
ddns_mod_stop(void)
{
	size_t i;

	for (i = 0; i < mod.np; i++)
		ddns_profile_free(mod.p[i]);
	mod.np = 0;
	ddns_monitor_stop();
	ddns_resolver_fini();
}

const struct tsunagi_module ddns_module = {
    .name = "ddns",
    .start = ddns_mod_start,
    .reload = ddns_mod_reload,
    .stop = ddns_mod_stop,
    .metrics = ddns_profiles_metrics,
};
