/*
 * conf.c: the front door: read a file (the only I/O in conf/), check who
 * may read it, and free what a parse built.  The parser itself works on
 * text in memory, which is what the fuzzer feeds it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "conf/internal.h"

struct conf *
conf_new(void)
{
	struct conf *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	return c;
}

void
conf_tunnel_free(struct conf_tunnel *t)
{
	free(t->description);
	free(t->peer_fqdn);
	conf_ident_clear(&t->peer_id);
	conf_ospf_if_clear(&t->ospf);
}

static void
free_linkif(struct conf_linkif *li)
{
	free(li->description);
	free(li->addrs);
	conf_ospf_if_clear(&li->ospf);
}

static void
free_watch(struct conf_watch *w)
{
	free(w->name);
	free(w->events);
	free(w->actions);
}

static void
free_ddns(struct conf_ddns *d)
{
	free(d->name);
	free(d->hostname);
	free(d->zone);
	free(d->key_name);
	conf_secret_clear(&d->key_secret);
	free(d->url);
	free(d->username);
	conf_secret_clear(&d->password);
	free(d->notify);
}

static void
free_lists(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->npsks; i++) {
		conf_ident_clear(&c->psks[i].id);
		conf_secret_clear(&c->psks[i].key);
	}
	for (i = 0; i < c->ntunnels; i++)
		conf_tunnel_free(&c->tunnels[i]);
	for (i = 0; i < c->nifaces; i++)
		free_linkif(&c->ifaces[i]);
	for (i = 0; i < c->nwatches; i++)
		free_watch(&c->watches[i]);
	for (i = 0; i < c->nmonitors; i++)
		free(c->monitors[i]);
	for (i = 0; i < c->nddns; i++)
		free_ddns(&c->ddns[i]);
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free_lists(c);
	free(c->hostname);
	free(c->psks);
	conf_ident_clear(&c->local_id);
	free(c->tunnels);
	free(c->ifaces);
	free(c->oslinks);
	free(c->ospf.areas);
	free(c->ospf.networks);
	free(c->ospf.passive);
	free(c->routes);
	free(c->watches);
	free(c->monitors);
	free(c->nameservers);
	free(c->trust_anchor_file);
	free(c->ddns);
	free(c->osparts);
	free(c);
}

/* Reads at most CONF_MAX_FILE + 1 bytes, so a huge file is refused fast. */
static char *
read_all(int fd, size_t *len)
{
	size_t cap = CONF_MAX_FILE + 1, n = 0;
	ssize_t r;
	char *buf;

	if ((buf = malloc(cap)) == NULL)
		return NULL;
	while (n < cap) {
		r = read(fd, buf + n, cap - n);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			sodium_memzero(buf, n);
			free(buf);
			return NULL;
		}
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

struct conf *
conf_parse_file(const char *path, struct conf_diags *d)
{
	struct conf *c;
	struct stat st;
	size_t len = 0;
	char *text;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		conf_diag_add(d, CONF_ERROR, path, 0, 0, NULL,
		    "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		conf_diag_add(
		    d, CONF_ERROR, path, 0, 0, NULL, "not a regular file");
		close(fd);
		return NULL;
	}
	text = read_all(fd, &len);
	close(fd);
	if (text == NULL) {
		conf_diag_add(d, CONF_ERROR, path, 0, 0, NULL,
		    "cannot read: %s", strerror(errno));
		return NULL;
	}
	c = conf_parse_text(path, text, len, d);
	sodium_memzero(text, len); /* it held the secrets in clear */
	free(text);
	return c;
}

int
conf_file_is_private(const char *path, struct conf_diags *d)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		conf_diag_add(d, CONF_ERROR, path, 0, 0, NULL,
		    "cannot stat: %s", strerror(errno));
		return -1;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
		return 1;
	conf_diag_add(d, CONF_WARNING, path, 0, 0, NULL,
	    "THIS FILE HOLDS "
	    "PRE-SHARED KEYS AND IS ACCESSIBLE TO %s (mode %04o): run "
	    "\"chmod 600 %s\"",
	    (st.st_mode & S_IRWXO) ? "EVERY USER" : "ITS GROUP",
	    (unsigned)(st.st_mode & 07777), path);
	return 0;
}
