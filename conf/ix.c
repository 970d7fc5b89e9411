/*
 * ix.c: the lines of a pasted IX config that are the OS's job.  Each
 * draws no warning of its own: a block of the OS's (a DHCP profile, an IX
 * port, a MAP-E tunnel...) draws one for itself and all its lines, and
 * the other lines one per kind (every "proxy-dns" line, every "ip napt"
 * line...), each naming what does that job on Linux.  A whole IX file
 * thus says in a screen where its parts go, not in one line per line.
 * The warnings go out once the file is read (conf_ix_settle): only then
 * is it known which tunnels are the OS's, and what routes through them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

/* The kind every route through the OS's interfaces falls under. */
static const struct conf_ignore ix_route_kind = {
    M_GLOBAL, "ip route", 0, IXO_ROUTE};

/* The line's words as the warning names it, "no" included. */
static void
ix_words(const struct conf_tok *t, int len, int neg, char *buf, size_t size)
{
	size_t n = neg ? 3 : 0;

	snprintf(buf, size, "%s", neg ? "no " : "");
	if (n < size)
		conf_join_words(t, len, NULL, buf + n, size - n);
}

static struct conf_ixnote *
ix_note_new(struct conf_parse *p, const struct conf_ignore *kind, int owner,
    int line, int col)
{
	struct conf_ixnote *n;

	if (kind != NULL)
		n = conf_grow(p, &p->ixkinds, &p->nixkinds, sizeof(*n),
		    (size_t)-1, "warnings");
	else
		n = conf_grow(p, &p->ixnotes, &p->nixnotes, sizeof(*n),
		    (size_t)-1, "warnings");
	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->owner = owner;
	n->line = line;
	n->col = col;
	return n;
}

/*
 * The kind a row counts under: rows of one command and one owner are one
 * kind wherever they stand ("ip dhcp" at the top and in an interface),
 * and every route the OS owns is one.
 */
static int
ix_same_kind(const struct conf_ignore *x, const struct conf_ignore *y)
{
	if (x->owner == IXO_ROUTE || y->owner == IXO_ROUTE)
		return x->owner == y->owner;
	return x->owner == y->owner && strcmp(x->path, y->path) == 0;
}

/*
 * One more line of a kind.  The warning stands at the kind's first line
 * in the file, which is not always the first one met: routes through an
 * OS tunnel are known only at the end.
 */
static void
ix_note_add(struct conf_parse *p, const struct conf_ignore *kind,
    const char *name, int line, int col)
{
	struct conf_ixnote *n = NULL;
	int *more;
	size_t i;

	for (i = 0; i < p->nixkinds && n == NULL; i++)
		if (ix_same_kind(p->ixkinds[i].kind, kind))
			n = &p->ixkinds[i];
	if (n == NULL) {
		n = ix_note_new(p, kind, kind->owner, line, col);
		if (n != NULL)
			snprintf(n->name, sizeof(n->name), "%s", name);
		return;
	}
	if ((more = conf_grow(p, &n->more, &n->nmore, sizeof(*more), (size_t)-1,
	         "lines")) == NULL)
		return;
	if (line < n->line) {
		*more = n->line;
		n->line = line;
		n->col = col;
		snprintf(n->name, sizeof(n->name), "%s", name);
	} else
		*more = line;
}

static void
ix_note_kind(struct conf_parse *p, const struct conf_ignore *kind,
    const struct conf_tok *t, int len)
{
	char name[96];

	ix_words(t, len, p->neg, name, sizeof(name));
	ix_note_add(p, kind, name, t[-p->neg].line, t[-p->neg].col);
}

/*
 * A tunnel's block may yet turn out to be the OS's ("tunnel mode map-e"
 * after some lines): its IX lines wait, to count in the block then, or
 * under their kinds when the block ends as tsunagi's.
 */
static void
ix_pend(struct conf_parse *p, const struct conf_ignore *kind,
    const struct conf_tok *t, int len)
{
	struct conf_ixline *l;

	l = conf_grow(
	    p, &p->ixpend, &p->nixpend, sizeof(*l), (size_t)-1, "lines");
	if (l == NULL)
		return;
	l->kind = kind;
	ix_words(t, len, p->neg, l->name, sizeof(l->name));
	l->line = t[-p->neg].line;
	l->col = t[-p->neg].col;
}

/* The block is over: what it held back counts under its kinds. */
void
conf_ix_block_end(struct conf_parse *p)
{
	size_t i;

	for (i = 0; i < p->nixpend; i++)
		ix_note_add(p, p->ixpend[i].kind, p->ixpend[i].name,
		    p->ixpend[i].line, p->ixpend[i].col);
	p->nixpend = 0;
	p->ixblock = 0;
	p->osif_open = 0;
}

/*
 * The current block is the OS's from its first line: one warning for it
 * and every line in it, naming it by name.  mode is the block's; what
 * replaces the owner's description ("" keeps it).
 */
void
conf_ix_block(struct conf_parse *p, int owner, const char *name,
    const char *what, unsigned mode)
{
	struct conf_ixnote *n;
	int line = p->ln->line, lines = 0;

	if (p->mode != M_GLOBAL) /* a block found to be the OS's midway */
		line = p->block_line, lines = p->block_lines + 1;
	conf_enter(p, mode, 0);
	p->block_line = line;
	if ((n = ix_note_new(p, NULL, owner, line, 1)) == NULL)
		return;
	n->n = lines;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->what, sizeof(n->what), "%s", what);
	p->ixblock = p->nixnotes;
}

/*
 * "tunnel mode X" but ipsec-ikev2: this tunnel is the OS's.  What its
 * block said so far goes, with the names it used; routes through it
 * become the OS's too (conf_ix_settle).
 */
static void
ix_os_tunnel(struct conf_parse *p, const struct conf_ignore *g,
    const struct conf_tok *t, int len)
{
	struct conf *c = p->conf;
	struct conf_osif *o;
	char name[CONF_IFNAMSIZ + 16], what[48];
	size_t i;

	if (c->tunnels[p->cur].mode_ikev2) {
		conf_error(p, &t[len - 1],
		    "tunnel mode %s: this tunnel is already ipsec-ikev2 "
		    "(a tunnel has one mode)",
		    t[len - 1].s);
		return;
	}
	/* Its lines so far count in the block, not under their kinds. */
	p->nixpend = 0;
	o = conf_grow(
	    p, &p->osifs, &p->nosifs, sizeof(*o), (size_t)-1, "interfaces");
	if (o == NULL)
		return;
	snprintf(o->name, sizeof(o->name), "%s", c->tunnels[p->cur].name);
	snprintf(o->mode, sizeof(o->mode), "%s", t[len - 1].s);
	o->line = c->tunnels[p->cur].line;
	/* interface TunnelN.M made this tunnel, the last one. */
	conf_tunnel_free(&c->tunnels[p->cur]);
	c->ntunnels--;
	for (i = p->nrefs; i > 0 && p->refs[i - 1].line >= p->block_line; i--) {
		free(p->refs[i - 1].name);
		free(p->refs[i - 1].what);
	}
	p->nrefs = i;
	snprintf(name, sizeof(name), "interface %s", o->name);
	snprintf(what, sizeof(what), "tunnel mode %s", o->mode);
	conf_ix_block(p, g->owner, name, what, g->opens);
	p->osif_open = p->nosifs;
}

/* A line that a row of conf_ignores knows: counted where it belongs. */
void
conf_ix_line(struct conf_parse *p, const struct conf_ignore *g,
    const struct conf_tok *t, int len)
{
	const struct conf_osif *o;
	char name[96];

	if (g->opens && p->mode == M_TUNNEL)
		ix_os_tunnel(p, g, t, len);
	else if (p->osif_open && p->ln->ntok - p->neg > 1 &&
	         strcmp(t[0].s, "tunnel") == 0 && strcmp(t[1].s, "mode") == 0) {
		o = &p->osifs[p->osif_open - 1];
		conf_error(p, &t[1],
		    "tunnel mode: %s is already tunnel mode %s", o->name,
		    o->mode);
	} else if (g->opens) {
		/* A block is named by its whole first line. */
		ix_words(t, p->ln->ntok - p->neg, p->neg, name, sizeof(name));
		conf_ix_block(p, g->owner, name, "", g->opens);
	} else if (p->ixblock != 0)
		p->ixnotes[p->ixblock - 1].n++;
	else if (p->mode == M_TUNNEL)
		ix_pend(p, g, t, len);
	else
		ix_note_kind(p, g, t, len);
}

/* A route left to the OS: through an uplink, an IX port, an OS tunnel. */
void
conf_ix_route(struct conf_parse *p, const struct conf_tok *t, int len)
{
	ix_note_kind(p, &ix_route_kind, t, len);
}

const struct conf_osif *
conf_osif_find(const struct conf_parse *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nosifs; i++)
		if (strcmp(p->osifs[i].name, name) == 0)
			return &p->osifs[i];
	return NULL;
}

/*
 * One line of the first pass: a "port-map" line that looks right is
 * kept; the main pass says what is wrong with the others (h_portmap).
 * Lexing is quiet here, and only for lines that start so.
 */
static void
ix_portmap_line(struct conf_parse *p, const char *s, size_t len, int line)
{
	struct conf_line *ln = p->ln;
	struct conf_portmap *m;
	size_t i = 0;
	int ok;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i <= 9 || memcmp(s + i, "port-map", 8) != 0 ||
	    (s[i + 8] != ' ' && s[i + 8] != '\t'))
		return;
	p->stop = 1;
	ok = conf_lex(p, s, len, line, ln) == 0 && ln->ntok == 3 &&
	     conf_is_ixport_name(ln->tok[1].s) &&
	     conf_valid_ifname(ln->tok[2].s) &&
	     !conf_is_ixport_name(ln->tok[2].s) &&
	     !conf_is_tunnel_name(ln->tok[2].s) &&
	     ln->tok[1].len < sizeof(m->ix) &&
	     conf_portmap_find(p, ln->tok[1].s) == NULL;
	p->stop = 0;
	if (ok) {
		m = conf_grow(p, &p->portmaps, &p->nportmaps, sizeof(*m),
		    (size_t)-1, "port maps");
		if (m != NULL) { /* else out of memory: said, and p->stop */
			snprintf(m->ix, sizeof(m->ix), "%s", ln->tok[1].s);
			snprintf(m->linux_if, sizeof(m->linux_if), "%s",
			    ln->tok[2].s);
			m->line = line;
		}
	}
	conf_line_wipe(ln);
}

/*
 * "port-map IXPORT IFACE" lines are read before anything else, so that
 * they may stand anywhere (at the end of a pasted file, say).
 */
void
conf_ix_portmaps(struct conf_parse *p, const char *text, size_t len)
{
	conf_each_line(p, text, len, ix_portmap_line);
}

const struct conf_portmap *
conf_portmap_find(const struct conf_parse *p, const char *ix)
{
	size_t i;

	for (i = 0; i < p->nportmaps; i++)
		if (strcmp(p->portmaps[i].ix, ix) == 0)
			return &p->portmaps[i];
	return NULL;
}

/*
 * A mapped IX port is its Linux interface on every line but "port-map":
 * "interface GigaEthernet0.0" opens wan6's block, "ikev2
 * outgoing-interface GigaEthernet0.1" means ppp0.  Messages then quote
 * the Linux name, at the IX name's column.
 */
void
conf_ix_map_line(struct conf_parse *p, struct conf_line *ln)
{
	const struct conf_portmap *m;
	int i;

	if (ln->ntok == 0 || p->nportmaps == 0 ||
	    (!ln->tok[0].quoted && strcmp(ln->tok[0].s, "port-map") == 0))
		return;
	for (i = 0; i < ln->ntok; i++)
		if (!ln->tok[i].quoted &&
		    (m = conf_portmap_find(p, ln->tok[i].s)) != NULL) {
			ln->tok[i].ixname = m->ix;
			ln->tok[i].s = (char *)m->linux_if;
			ln->tok[i].len = strlen(m->linux_if);
		}
}

/*
 * Routes through an OS tunnel, known only now: dropped with their
 * references, one more line of the routes' warning.
 */
static void
ix_settle_routes(struct conf_parse *p)
{
	struct conf *c = p->conf;
	struct conf_route *r;
	char name[96], pfx[64];
	size_t i, j, k;

	for (i = j = 0; i < c->nroutes; i++) {
		r = &c->routes[i];
		if (r->ifname[0] == '\0' || !conf_osif_find(p, r->ifname)) {
			c->routes[j++] = *r;
			continue;
		}
		if (r->prefix.plen == 0)
			snprintf(pfx, sizeof(pfx), "default");
		else
			conf_addr_ntop(&r->prefix, 1, pfx, sizeof(pfx));
		snprintf(name, sizeof(name), "%s %s %s",
		    r->prefix.af == AF_INET6 ? "ipv6 route" : "ip route", pfx,
		    r->ifname);
		ix_note_add(p, &ix_route_kind, name, r->line, 1);
		for (k = 0; k < p->nrefs; k++)
			if (p->refs[k].kind == REF_IFACE &&
			    p->refs[k].line == r->line &&
			    strcmp(p->refs[k].name, r->ifname) == 0)
				p->refs[k].kind = 0;
	}
	c->nroutes = j;
}

static int
ix_cmp_int(const void *x, const void *y)
{
	return *(const int *)x - *(const int *)y;
}

/* " and its 5 lines", " (and lines 7, 9 and 4 more)", or "". */
static void
ix_lines(struct conf_ixnote *n, char *buf, size_t size)
{
	size_t i, shown = 5;

	buf[0] = '\0';
	if (n->kind == NULL) {
		if (n->n > 0)
			snprintf(buf, size, " and its %d line%s", n->n,
			    n->n == 1 ? "" : "s");
		return;
	}
	if (n->nmore == 0)
		return;
	qsort(n->more, n->nmore, sizeof(*n->more), ix_cmp_int);
	snprintf(buf, size, " (and line%s", n->nmore == 1 ? "" : "s");
	for (i = 0; i < n->nmore && i < shown; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s %d",
		    i ? "," : "", n->more[i]);
	if (n->nmore > shown)
		snprintf(buf + strlen(buf), size - strlen(buf), " and %zu more",
		    n->nmore - shown);
	snprintf(buf + strlen(buf), size - strlen(buf), ")");
}

static void
ix_warn(struct conf_parse *p, struct conf_ixnote *n)
{
	const struct conf_ix_owner *o = &conf_ix_owners[n->owner];
	char lines[96];

	ix_lines(n, lines, sizeof(lines));
	conf_warn_at(p, n->line, n->col,
	    "%s%s: %s, left to the OS (on Linux: %s); ignored", conf_q(n->name),
	    lines, n->what[0] ? n->what : o->what, o->on_linux);
}

static int
ix_cmp_part(const void *x, const void *y)
{
	return ((const struct conf_ospart *)x)->line -
	       ((const struct conf_ospart *)y)->line;
}

/* The notes as the conf keeps them, for the summary, in file order. */
static void
ix_keep(struct conf_parse *p, const struct conf_ixnote *n)
{
	struct conf_ospart *o;

	o = conf_grow(p, &p->conf->osparts, &p->conf->nosparts, sizeof(*o),
	    (size_t)-1, "parts");
	if (o == NULL)
		return;
	snprintf(o->name, sizeof(o->name), "%s", n->name);
	o->owner = n->owner;
	o->line = n->line;
	o->lines = n->kind ? 1 + (int)n->nmore : 1 + n->n;
}

/* Once the file is read: routes through OS tunnels, then the warnings. */
void
conf_ix_settle(struct conf_parse *p)
{
	size_t i;

	conf_ix_block_end(p); /* the last block */
	ix_settle_routes(p);
	for (i = 0; i < p->nixnotes; i++) {
		ix_warn(p, &p->ixnotes[i]);
		ix_keep(p, &p->ixnotes[i]);
	}
	for (i = 0; i < p->nixkinds; i++) {
		ix_warn(p, &p->ixkinds[i]);
		ix_keep(p, &p->ixkinds[i]);
	}
	if (p->conf->nosparts > 1)
		qsort(p->conf->osparts, p->conf->nosparts,
		    sizeof(*p->conf->osparts), ix_cmp_part);
}

void
conf_ix_free(struct conf_parse *p)
{
	size_t i;

	for (i = 0; i < p->nixkinds; i++)
		free(p->ixkinds[i].more);
	free(p->ixkinds);
	free(p->ixnotes);
	free(p->osifs);
	free(p->portmaps);
	free(p->ixpend);
}
