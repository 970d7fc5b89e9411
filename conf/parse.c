/*
 * parse.c: the line loop.  Each line is lexed, matched against the command
 * rows of the current mode (then the top level, which leaves the mode),
 * and handed to its row's handler; known IX commands that are the OS's
 * job get a warning instead.  Nothing here knows what a command means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "conf/internal.h"

static const struct conf_cmd *const cmd_tables[] = {
    conf_cmds_global,
    conf_cmds_iface,
    conf_cmds_ike,
    conf_cmds_ospf,
    conf_cmds_watch,
    conf_cmds_ddns,
    NULL,
};

static const struct {
	unsigned mode;
	const char *name;
} mode_names[] = {
    {M_TUNNEL | M_LINUXIF, "interface"},
    {M_GLOBAL, "the top level"},
    {M_TUNNEL, "interface TunnelN.M"},
    {M_LINUXIF, "interface IFACE (a Linux interface)"},
    {M_PROFILE, "ikev2 default-profile"},
    {M_OSPF, "ip router ospf"},
    {M_WATCH, "watch-group"},
    {M_DDNS, "ddns profile"},
    {M_IXPORT, "interface (an NEC IX port or the OS's tunnel)"},
    {M_IXPPP, "ppp profile"},
    {M_IXDHCP, "ip dhcp profile"},
    {M_IXDHCP6, "ipv6 dhcp client-profile"},
    {M_IXDEV, "device"},
    {M_IXQOS, "class-map or policy-map"},
    {M_IXRTR, "router or route-map"},
};

struct hit {
	const struct conf_cmd *cmd;
	const struct conf_ignore *ign;
	int len;
};

static const char *
mode_name(unsigned modes)
{
	size_t i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if ((modes & mode_names[i].mode) == mode_names[i].mode)
			return mode_names[i].name;
	return "?";
}

/* Shared helpers for the handlers ----------------------------------------- */

/* Capacity doubles at powers of two, so n appends cost O(n). */
void *
conf_grow(struct conf_parse *p, void *arrp, size_t *n, size_t elsz, size_t max,
    const char *what)
{
	char **arr = arrp, *na;
	size_t cap;

	if (*n >= max) {
		conf_error_at(p, p->ln->line, p->ln->indent,
		    "too many %s (%zu at most)", what, max);
		return NULL;
	}
	if (*n == 0 || (*n & (*n - 1)) == 0) {
		cap = *n == 0 ? 1 : *n * 2;
		if ((na = reallocarray(*arr, cap, elsz)) == NULL) {
			conf_oom(p);
			return NULL;
		}
		*arr = na;
	}
	na = *arr + *n * elsz;
	memset(na, 0, elsz);
	(*n)++;
	return na;
}

char *
conf_strdup(struct conf_parse *p, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		conf_oom(p);
	return d;
}

/* Remember a name to check once the whole file is known. */
int
conf_add_ref(
    struct conf_parse *p, int kind, const char *name, const struct conf_tok *t)
{
	struct conf_ref *r;

	r = conf_grow(p, &p->refs, &p->nrefs, sizeof(*r), (size_t)-1, "refs");
	if (r == NULL)
		return -1;
	r->kind = kind;
	r->line = t->line;
	r->col = t->col;
	if ((r->name = strdup(name)) == NULL ||
	    (r->what = strdup(conf_cmd_name(p))) == NULL) {
		conf_oom(p);
		return -1;
	}
	return 0;
}

struct conf_ref *
conf_last_ref(struct conf_parse *p)
{
	return &p->refs[p->nrefs - 1];
}

void
conf_enter(struct conf_parse *p, unsigned mode, size_t idx)
{
	conf_ix_block_end(p);
	p->mode = mode;
	p->cur = idx;
	p->block_line = p->ln->line;
	p->block_lines = 0;
	p->nbseen = 0;
}

void
conf_leave(struct conf_parse *p)
{
	conf_ix_block_end(p);
	p->mode = M_GLOBAL;
	p->nbseen = 0;
}

struct conf_ospf_if *
conf_cur_ospf_if(struct conf_parse *p)
{
	if (p->mode == M_TUNNEL)
		return &p->conf->tunnels[p->cur].ospf;
	return &p->conf->ifaces[p->cur].ospf;
}

struct conf_ike_params *
conf_cur_ike(struct conf_parse *p)
{
	if (p->mode == M_TUNNEL)
		return &p->conf->tunnels[p->cur].ike_set;
	return &p->conf->profile;
}

/* Lookup ------------------------------------------------------------------ */

static void
lookup(unsigned mode, const struct conf_tok *t, int nt, struct hit *h)
{
	const struct conf_cmd *const *tab, *c;
	const struct conf_ignore *g;
	int d;

	memset(h, 0, sizeof(*h));
	for (tab = cmd_tables; *tab != NULL; tab++)
		for (c = *tab; c->path != NULL; c++)
			if ((c->modes & mode) &&
			    conf_path_match(c->path, t, nt, &d) && d > h->len) {
				h->cmd = c;
				h->len = d;
			}
	/* A longer IX row wins: "ip address dhcp" is not "ip address". */
	for (g = conf_ignores; g->path != NULL; g++)
		if ((g->modes & mode) && conf_path_match(g->path, t, nt, &d) &&
		    d > h->len) {
			h->cmd = NULL;
			h->ign = g;
			h->len = d;
		}
}

/* The n words, blank-separated; the last one replaced by last if set. */
void
conf_join_words(
    const struct conf_tok *t, int n, const char *last, char *buf, size_t len)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, i == n - 1 && last ? last : t[i].s,
		    len - strlen(buf) - 1);
	}
}

/* The first word of a path after depth words, or NULL. */
static int
path_word(const char *path, int depth, char *buf, size_t len)
{
	const char *s = path, *e;

	for (; depth > 0 && *s != '\0'; depth--)
		s = (e = strchr(s, ' ')) ? e + 1 : s + strlen(s);
	if (*s == '\0' || *s == '<' || *s == '*')
		return -1;
	e = strchr(s, ' ');
	snprintf(buf, len, "%.*s", (int)(e ? (size_t)(e - s) : strlen(s)), s);
	return 0;
}

/* Candidate next words after the deepest partial match. */
#define CANDS_MAX 128
struct cands {
	char w[CANDS_MAX][40];
	const char *ptr[CANDS_MAX];
	size_t n;
	int depth;
};

static void
cands_add(struct cands *cs, const char *path, int d)
{
	char w[40];
	size_t i;

	if (d < cs->depth || path_word(path, d, w, sizeof(w)) == -1)
		return;
	if (d > cs->depth) {
		cs->depth = d;
		cs->n = 0;
	}
	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->w[i], w) == 0)
			return;
	if (cs->n < CANDS_MAX) {
		memcpy(cs->w[cs->n], w, sizeof(w));
		cs->ptr[cs->n] = cs->w[cs->n];
		cs->n++;
	}
}

static void
cands_mode(unsigned mode, const struct conf_tok *t, int nt, struct cands *cs)
{
	const struct conf_cmd *const *tab, *c;
	const struct conf_ignore *g;
	int d;

	for (tab = cmd_tables; *tab != NULL; tab++)
		for (c = *tab; c->path != NULL; c++)
			if (c->modes & mode) {
				conf_path_match(c->path, t, nt, &d);
				cands_add(cs, c->path, d);
			}
	for (g = conf_ignores; g->path != NULL; g++)
		if (g->modes & mode) {
			conf_path_match(g->path, t, nt, &d);
			cands_add(cs, g->path, d);
		}
}

/* A command of another block: say where it belongs. */
static int
report_elsewhere(struct conf_parse *p, const struct conf_tok *t, int nt)
{
	struct hit h;
	char name[160];
	unsigned modes;

	lookup(M_ANY & ~p->mode & ~M_GLOBAL, t, nt, &h);
	if (h.cmd == NULL && h.ign == NULL)
		return 0;
	modes = h.cmd ? h.cmd->modes : h.ign->modes;
	conf_join_words(t, h.len, NULL, name, sizeof(name));
	if (p->bang_line > 0 && (modes & p->bang_mode))
		conf_error(p, t,
		    "%s belongs inside %s (the \"!\" on line %d "
		    "ended that block; indent comments inside blocks)",
		    conf_q(name), mode_name(modes & p->bang_mode),
		    p->bang_line);
	else
		conf_error(p, t, "%s belongs inside %s, not %s", conf_q(name),
		    mode_name(modes), mode_name(p->mode));
	return 1;
}

static void
report_unknown(struct conf_parse *p, const struct conf_tok *t, int nt)
{
	struct cands cs;
	char name[160], sug[160], list[256] = "";
	const char *s;
	size_t i;

	/*
	 * The block's own words first: they are the likelier meaning, and
	 * one of them misspelt further on is no stranger from elsewhere.
	 */
	memset(&cs, 0, sizeof(cs));
	cands_mode(p->mode & ~M_GLOBAL, t, nt, &cs);
	if (cs.depth == 0 && report_elsewhere(p, t, nt))
		return;
	cands_mode(M_GLOBAL, t, nt, &cs);
	for (i = 0; i < cs.n && i < 10; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", i ? ", " : "", cs.w[i]);
	if (cs.depth >= nt) {
		conf_join_words(t, nt, NULL, name, sizeof(name));
		conf_error(p, &t[nt - 1],
		    "incomplete command %s; expected one "
		    "of: %s",
		    conf_q(name), list);
		return;
	}
	conf_join_words(t, cs.depth + 1, NULL, name, sizeof(name));
	if ((s = suggest(t[cs.depth].s, cs.ptr, cs.n)) != NULL) {
		conf_join_words(t, cs.depth + 1, s, sug, sizeof(sug));
		conf_error(p, &t[cs.depth],
		    "unknown command %s; did you mean "
		    "%s?",
		    conf_q(name), conf_q(sug));
	} else if (cs.depth > 0)
		conf_error(p, &t[cs.depth],
		    "unknown command %s; expected one "
		    "of: %s",
		    conf_q(name), list);
	else
		conf_error(p, &t[0], "unknown command %s", conf_q(name));
}

/* Running a row ----------------------------------------------------------- */

static struct conf_seen *
seen_find(struct conf_parse *p, const char *key)
{
	struct conf_seen *s = p->mode == M_GLOBAL ? p->gseen : p->bseen;
	int i, n = p->mode == M_GLOBAL ? p->ngseen : p->nbseen;

	for (i = 0; i < n; i++)
		if (strcmp(s[i].key, key) == 0)
			return &s[i];
	return NULL;
}

static void
seen_add(struct conf_parse *p, const struct conf_cmd *c)
{
	struct conf_seen *s = p->mode == M_GLOBAL ? p->gseen : p->bseen;
	int *n = p->mode == M_GLOBAL ? &p->ngseen : &p->nbseen;

	if (*n < CONF_MAX_SEEN) {
		s[*n].key = c->key;
		s[*n].cmd = c;
		s[*n].line = p->ln->line;
		(*n)++;
	}
}

static int
seen_check(
    struct conf_parse *p, const struct conf_cmd *c, const struct conf_tok *t)
{
	struct conf_seen *s = seen_find(p, c->key);
	char old[80];

	if (s == NULL)
		return 0;
	if (s->cmd->path == c->path || strcmp(s->cmd->path, c->path) == 0)
		conf_error(p, t, "%s is already set on line %d",
		    conf_q(conf_cmd_name(p)), s->line);
	else {
		snprintf(old, sizeof(old), "%s", conf_q(s->cmd->path));
		conf_error(p, t, "%s conflicts with %s on line %d",
		    conf_q(conf_cmd_name(p)), old, s->line);
	}
	return -1;
}

static void
run_cmd(struct conf_parse *p, const struct conf_cmd *c, struct conf_tok *t,
    int nt, int len)
{
	struct conf_arg a[CONF_MAX_ARGS];

	p->cmd = c;
	p->pathlen = len;
	if (p->neg && !(c->flags & CMD_NEG)) {
		conf_error(p, &t[-1], "\"no\" cannot be used with %s",
		    conf_q(conf_cmd_name(p)));
		return;
	}
	if (c->key != NULL && seen_check(p, c, t) == -1)
		return;
	if (p->neg && (c->flags & CMD_NOARGS_NEG) && nt > len) {
		conf_error(p, &t[len], "\"no %s\" takes no arguments",
		    conf_cmd_name(p));
		return;
	}
	memset(a, 0, sizeof(a));
	if ((!(p->neg && nt == len) && conf_parse_args(p, c, t, nt, a) == -1) ||
	    c->fn(p, a, p->neg) == -1) {
		/* Its lines would only repeat the error: skip them quietly. */
		if (c->flags & CMD_OPENS)
			conf_enter(p, M_SKIP, 0);
		return;
	}
	if (c->key != NULL)
		seen_add(p, c);
}

static void
parse_line(struct conf_parse *p, struct conf_line *ln)
{
	struct conf_tok *t = ln->tok;
	int nt = ln->ntok;
	struct hit h;

	if (ln->comment) {
		if (ln->indent == 1 && p->mode != M_GLOBAL) {
			p->bang_line = ln->line;
			p->bang_mode = p->mode;
			conf_leave(p);
		}
		return;
	}
	if (nt == 0)
		return;
	conf_ix_map_line(p, ln);
	p->neg = nt > 1 && !t[0].quoted && strcmp(t[0].s, "no") == 0;
	if (p->neg) {
		t++;
		nt--;
	}
	lookup(p->mode, t, nt, &h);
	if (h.cmd == NULL && h.ign == NULL && p->mode != M_GLOBAL) {
		lookup(M_GLOBAL, t, nt, &h);
		if (h.cmd == NULL && h.ign == NULL && p->mode == M_SKIP)
			return;
		if (h.cmd != NULL || h.ign != NULL)
			conf_leave(p);
	}
	p->pathlen = h.len;
	if (h.ign != NULL)
		conf_ix_line(p, h.ign, t, h.len);
	else if (h.cmd != NULL)
		run_cmd(p, h.cmd, t, nt, h.len);
	else
		report_unknown(p, t, nt);
	if (p->mode != M_GLOBAL && ln->line != p->block_line)
		p->block_lines++;
}

/*
 * Each line of text, without its newline, to fn, until p->stop: the main
 * pass and port-map's first one (ix.c) see the same lines and numbers.
 */
void
conf_each_line(struct conf_parse *p, const char *text, size_t len,
    void (*fn)(struct conf_parse *, const char *, size_t, int))
{
	const char *s = text, *end = text + len, *nl;
	int line = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3; /* a UTF-8 byte order mark from some editor */
	while (s < end && !p->stop) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (line == 1000000000)
			break;
		line++;
		fn(p, s, (size_t)(nl - s), line);
		s = nl + 1;
	}
}

static void
parse_one(struct conf_parse *p, const char *s, size_t len, int line)
{
	if (conf_lex(p, s, len, line, p->ln) == 0)
		parse_line(p, p->ln);
	conf_line_wipe(p->ln);
}

static void
refs_free(struct conf_parse *p)
{
	size_t i;

	for (i = 0; i < p->nrefs; i++) {
		free(p->refs[i].name);
		free(p->refs[i].what);
	}
	free(p->refs);
}

struct conf *
conf_parse_text(
    const char *name, const char *text, size_t len, struct conf_diags *d)
{
	struct conf_parse p;
	struct conf_diag **first = d->tail;
	int errors = d->errors;

	memset(&p, 0, sizeof(p));
	p.file = name;
	p.diags = d;
	p.mode = M_GLOBAL;
	if (len > CONF_MAX_FILE) {
		conf_diag_add(d, CONF_ERROR, name, 0, 0, NULL,
		    "file too large (%zu bytes; %d at most)", len,
		    CONF_MAX_FILE);
		return NULL;
	}
	if (sodium_init() < 0 || (p.conf = conf_new()) == NULL ||
	    (p.ln = calloc(1, sizeof(*p.ln))) == NULL) {
		conf_diag_add(d, CONF_ERROR, name, 0, 0, NULL, "out of memory");
		conf_free(p.conf);
		return NULL;
	}
	conf_ix_portmaps(&p, text, len);
	conf_each_line(&p, text, len, parse_one);
	conf_ix_settle(&p);
	if (d->errors == errors)
		conf_validate(&p);
	refs_free(&p);
	conf_ix_free(&p);
	free(p.ln);
	conf_diags_sort(d, first);
	conf_diags_summarize(d, name);
	if (d->errors != errors) {
		conf_free(p.conf);
		return NULL;
	}
	return p.conf;
}
