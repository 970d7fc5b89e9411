/*
 * linkcheck.c: what the file says of the Linux interfaces, against the
 * kernel, while tsunagid runs.  At start and on reload: every name the
 * file uses (conf_check_links) and every address a block writes
 * (conf_check_addrs).  After that, a change of a link's addresses checks
 * that link again once the kernel has been quiet for a moment, so a
 * renumbering (delete then add) draws one warning, not two.  A warning is
 * said once: again only when another written line becomes wrong, or after
 * the addresses matched in between (not when the kernel's list changes).  The
 * kernel's addresses are the ones in use; the file's only document them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/event.h"
#include "daemon/linkcheck.h"
#include "daemon/log.h"
#include "daemon/tsunagid.h"
#include "xfrm/iftab.h"

/* How long the kernel must be quiet before a link is checked again. */
#define LINKCHECK_SETTLE_MS 1000

static struct {
	const struct conf *conf;
	char **said; /* per conf->ifaces[i]: lines said wrong, or NULL */
	char *dirty; /* per conf->ifaces[i]: check when the timer fires */
	struct ev_timer timer;
	int listening;
} lc;

/* 1 if the line `token` names is among those said wrong in `said`. */
static int
lc_said(const char *said, const char *token)
{
	size_t n = strlen(token);
	const char *p;

	for (p = said; p != NULL && (p = strstr(p, token)) != NULL; p += n)
		if ((p == said || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* The warnings in d, but those about a line already said wrong. */
static void
lc_log(struct conf_diags *d, const char *said)
{
	const struct conf_diag *g;
	char where[CONF_DIAG_WHERE];

	for (g = d->head; g; g = g->next)
		if (g->token == NULL || !lc_said(said, g->token))
			log_warnx("%s: %s",
			    conf_diag_where(g, where, sizeof(where)), g->msg);
}

/* What makes a warning news: which written lines are wrong.  NULL: none. */
static char *
lc_key(const struct conf_diags *d)
{
	const struct conf_diag *g;
	char *key = NULL, *next;

	for (g = d->head; g; g = g->next) {
		if (asprintf(&next, "%s %s", key ? key : "",
		        g->token ? g->token : "?") == -1) {
			free(key);
			return NULL;
		}
		free(key);
		key = next;
	}
	return key;
}

/* The kernel's addresses of one link now, as conf values; count or -1. */
static ssize_t
lc_kernel_addrs(const char *name, struct conf_addr **out)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_name(name);
	struct xfrm_iftab_addr *a;
	size_t n, i;

	*out = NULL;
	if (l == NULL)
		return -1;
	n = xfrm_iftab_addrs(l->ifindex, 0, NULL, 0);
	if (n == 0)
		return 0;
	a = calloc(n, sizeof(*a));
	*out = calloc(n, sizeof(**out));
	if (a == NULL || *out == NULL) {
		free(a);
		free(*out);
		*out = NULL;
		return -1;
	}
	n = xfrm_iftab_addrs(l->ifindex, 0, a, n);
	for (i = 0; i < n; i++) {
		(*out)[i].af = a[i].addr.family;
		memcpy((*out)[i].a, a[i].addr.raw, sizeof((*out)[i].a));
		(*out)[i].plen = a[i].prefixlen;
	}
	free(a);
	return (ssize_t)n;
}

/*
 * One block's addresses.  A link the kernel does not have is left to the
 * name check, and forgets what was said: if it comes back different, that
 * is news.
 */
static void
lc_check(size_t i)
{
	const struct conf_linkif *li = &lc.conf->ifaces[i];
	struct conf_diags d;
	struct conf_addr *k;
	ssize_t n;
	char *key = NULL;

	if (li->naddrs == 0)
		return;
	if ((n = lc_kernel_addrs(li->name, &k)) == -1) {
		free(lc.said[i]);
		lc.said[i] = NULL;
		return;
	}
	conf_diags_init(&d);
	conf_check_addrs(li, tsunagid.conf_path, k, (size_t)n, &d);
	free(k);
	if (d.head != NULL && (key = lc_key(&d)) == NULL) {
		conf_diags_free(&d);
		return;
	}
	if (key != NULL)
		lc_log(&d, lc.said[i]);
	else if (lc.said[i] != NULL)
		log_info("interface %s: the kernel's addresses match %s again",
		    li->name, tsunagid.conf_path);
	free(lc.said[i]);
	lc.said[i] = key;
	conf_diags_free(&d);
}

static void
lc_timer(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; lc.conf != NULL && i < lc.conf->nifaces; i++)
		if (lc.dirty[i]) {
			lc.dirty[i] = 0;
			lc_check(i);
		}
}

static void
lc_touch(const char *name)
{
	size_t i;

	for (i = 0; lc.conf != NULL && i < lc.conf->nifaces; i++)
		if (lc.conf->ifaces[i].naddrs > 0 &&
		    strcmp(lc.conf->ifaces[i].name, name) == 0) {
			lc.dirty[i] = 1;
			ev_timer_add(&lc.timer, LINKCHECK_SETTLE_MS);
		}
}

static void
lc_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change change, void *arg)
{
	(void)a, (void)change, (void)arg;
	if (l != NULL)
		lc_touch(l->name);
}

/* A link that appears or goes (ppp0) or is renamed. */
static void
lc_link(
    const struct xfrm_iftab_link *l, enum xfrm_iftab_change change, void *arg)
{
	(void)change, (void)arg;
	lc_touch(l->name);
}

static const struct xfrm_iftab_cbs lc_cbs = {.link = lc_link, .addr = lc_addr};

static void
lc_forget(void)
{
	size_t i;

	ev_timer_del(&lc.timer);
	for (i = 0; lc.conf != NULL && i < lc.conf->nifaces; i++)
		free(lc.said[i]);
	free(lc.said);
	free(lc.dirty);
	lc.said = NULL;
	lc.dirty = NULL;
	lc.conf = NULL;
}

static void
lc_names(const struct conf *c)
{
	struct conf_diags d;
	size_t n = xfrm_iftab_link_count(), i;
	const char **names = calloc(n + 1, sizeof(*names));

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		names[i] = xfrm_iftab_link_at(i)->name;
	conf_diags_init(&d);
	conf_check_links(c, tsunagid.conf_path, names, n, &d);
	lc_log(&d, NULL);
	conf_diags_free(&d);
	free(names);
}

static int
lc_use(const struct conf *c)
{
	size_t i;

	lc_forget();
	lc.said = calloc(c->nifaces + 1, sizeof(*lc.said));
	lc.dirty = calloc(c->nifaces + 1, 1);
	if (lc.said == NULL || lc.dirty == NULL) {
		free(lc.said);
		free(lc.dirty);
		lc.said = NULL;
		lc.dirty = NULL;
		return -1;
	}
	lc.conf = c;
	lc_names(c);
	for (i = 0; i < c->nifaces; i++)
		lc_check(i);
	return 0;
}

static int
lc_start(const struct conf *c)
{
	ev_timer_set(&lc.timer, lc_timer, NULL);
	if (xfrm_iftab_listen(&lc_cbs, NULL) == -1)
		return -1;
	lc.listening = 1;
	return lc_use(c);
}

/* Checks never fail a reload: the warnings are for the person. */
static int
lc_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	if (lc_use(new) == -1)
		log_warnx("interface checks: out of memory");
	return 0;
}

static void
lc_stop(void)
{
	lc_forget();
	if (lc.listening)
		xfrm_iftab_unlisten(&lc_cbs, NULL);
	lc.listening = 0;
}

const struct tsunagi_module linkcheck_module = {
    .name = "linkcheck",
    .start = lc_start,
    .reload = lc_reload,
    .stop = lc_stop,
};
