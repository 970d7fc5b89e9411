/*
 * args.c: runs a command row's spec over the words of a line, filling the
 * conf_arg slots its handler reads.  One interpreter for every command
 * keeps the messages alike and the handlers down to storing values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/internal.h"

enum { EL_LIT = 1, EL_VAL, EL_CHOICE, EL_OPT, EL_OPTEND };

struct el {
	int kind;
	char text[64];
	int repeat;
	long long lo, hi; /* <n:LO-HI> */
	const struct conf_vtype *vt;
};

#define MAX_EL 32

struct run {
	struct conf_parse *p;
	struct conf_tok *t;
	int nt, i;
	struct conf_arg *a;
	int slot;
	int secret; /* a secret was taken */
	const struct conf_cmd *cmd;
};

static const struct conf_vtype *
vtype_find(const char *name)
{
	const struct conf_vtype *vt;

	for (vt = conf_vtypes; vt->name != NULL; vt++)
		if (strcmp(vt->name, name) == 0)
			return vt;
	return NULL;
}

static void
el_set(struct el *e, const char *w, size_t n)
{
	const char *end;

	memset(e, 0, sizeof(*e));
	if (n >= sizeof(e->text))
		n = sizeof(e->text) - 1;
	e->kind = EL_LIT;
	if (w[0] == '<' && (end = memchr(w, '>', n)) != NULL) {
		e->kind = EL_VAL;
		memcpy(e->text, w + 1, (size_t)(end - w - 1));
		e->repeat = (size_t)(end - w) + 1 < n; /* "..." follows */
		if (strncmp(e->text, "n:", 2) == 0)
			sscanf(e->text + 2, "%lld-%lld", &e->lo, &e->hi);
		else if ((e->vt = vtype_find(e->text)) == NULL)
			abort(); /* a typo in a command table */
		return;
	}
	if (w[0] == '{') {
		e->kind = EL_CHOICE;
		memcpy(e->text, w + 1, n - 2);
		return;
	}
	memcpy(e->text, w, n);
}

/* Split a spec into elements; "[x" and "y]" give EL_OPT / EL_OPTEND. */
static int
spec_compile(const char *spec, struct el *el, int max)
{
	const char *s = spec, *e, *w;
	int n = 0, closes;

	while (*s != '\0' && n < max - 4) {
		if (*s == ' ') {
			s++;
			continue;
		}
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		for (w = s; *w == '[' && n < max - 4; w++)
			el[n++].kind = EL_OPT;
		for (closes = 0; e > w && e[-1] == ']'; e--)
			closes++;
		el_set(&el[n++], w, (size_t)(e - w));
		while (closes-- > 0 && n < max)
			el[n++].kind = EL_OPTEND;
		for (s = e; *s == ']'; s++)
			;
	}
	return n;
}

/* How an element reads in a usage line. */
static void
el_usage(const struct el *e, char *buf, size_t len)
{
	if (e->kind == EL_VAL && e->vt == NULL)
		snprintf(buf, len, "<%lld-%lld>", e->lo, e->hi);
	else if (e->kind == EL_VAL)
		snprintf(
		    buf, len, "%s%s", e->vt->label, e->repeat ? "..." : "");
	else if (e->kind == EL_CHOICE)
		snprintf(buf, len, "{%s}", e->text);
	else
		snprintf(buf, len, "%s", e->text);
}

static void
usage_append(const char *spec, char *buf, size_t len)
{
	struct el el[MAX_EL];
	char w[96];
	int i, n = spec_compile(spec, el, MAX_EL);

	for (i = 0; i < n; i++) {
		if (el[i].kind == EL_OPT)
			snprintf(w, sizeof(w), "%s[", buf[0] ? " " : "");
		else if (el[i].kind == EL_OPTEND)
			snprintf(w, sizeof(w), "]");
		else {
			snprintf(w, sizeof(w), "%s",
			    buf[0] && buf[strlen(buf) - 1] != '[' ? " " : "");
			el_usage(&el[i], w + strlen(w), sizeof(w) - strlen(w));
		}
		strncat(buf, w, len - strlen(buf) - 1);
	}
}

void
conf_usage(const struct conf_cmd *cmd, char *buf, size_t len)
{
	buf[0] = '\0';
	usage_append(cmd->path, buf, len);
	usage_append(cmd->args, buf, len);
}

/* The words naming the current command, as typed: "ip ospf cost". */
const char *
conf_cmd_name(struct conf_parse *p)
{
	static char buf[160];
	const struct conf_tok *t = p->ln->tok;
	int i, start = p->neg ? 1 : 0;

	buf[0] = '\0';
	for (i = start; i < p->ln->ntok && i < start + p->pathlen; i++) {
		if (strlen(buf) + t[i].len + 2 >= sizeof(buf))
			break;
		if (buf[0] != '\0')
			strcat(buf, " ");
		strcat(buf, t[i].s);
	}
	return buf;
}

/* Where a missing word would have gone: just after the last one. */
static int
end_col(const struct run *r)
{
	const struct conf_tok *t;

	if (r->nt == 0)
		return 1;
	t = &r->t[r->nt - 1];
	return t->col + (int)t->len + (t->quoted ? 2 : 0) + 1;
}

static int
run_missing(struct run *r, const struct el *e)
{
	char what[96], usage[512];

	el_usage(e, what, sizeof(what));
	conf_usage(r->cmd, usage, sizeof(usage));
	conf_error_at(r->p, r->p->ln->line, end_col(r),
	    "%s: missing %s%s%s; usage: %s", conf_cmd_name(r->p),
	    e->kind == EL_LIT ? "\"" : "", what, e->kind == EL_LIT ? "\"" : "",
	    usage);
	return -1;
}

static int
run_lit(struct run *r, const struct el *e)
{
	const struct conf_tok *t = &r->t[r->i];

	if (r->i >= r->nt)
		return run_missing(r, e);
	if (strcmp(t->s, e->text) != 0) {
		conf_error(r->p, t, "%s: expected %s instead of %s",
		    conf_cmd_name(r->p), conf_q(e->text), conf_q(t->s));
		return -1;
	}
	r->i++;
	return 0;
}

static int
run_choice(struct run *r, const struct el *e)
{
	const char *cand[16], *sug;
	char buf[64], list[128] = "";
	const struct conf_tok *t = &r->t[r->i];
	size_t n = 0;
	char *w, *save = NULL;

	if (r->i >= r->nt)
		return run_missing(r, e);
	snprintf(buf, sizeof(buf), "%s", e->text);
	for (w = strtok_r(buf, "|", &save); w != NULL && n < 16;
	     w = strtok_r(NULL, "|", &save)) {
		if (strcmp(w, t->s) == 0) {
			r->a[r->slot++].num = (long long)n;
			r->a[r->slot - 1].tok = t;
			r->i++;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", n ? ", " : "", w);
		cand[n++] = w;
	}
	if ((sug = suggest(t->s, cand, n)) != NULL)
		conf_error(r->p, t, "%s: %s is not one of %s; did you mean %s?",
		    conf_cmd_name(r->p), conf_q(t->s), list, conf_q(sug));
	else
		conf_error(r->p, t, "%s: %s is not one of %s",
		    conf_cmd_name(r->p), conf_q(t->s), list);
	return -1;
}

static int
run_num(struct run *r, const struct el *e, struct conf_arg *a)
{
	const struct conf_tok *t = a->tok;

	if (conf_parse_u32(t->s, &a->num) == -1) {
		conf_error(r->p, t, "%s: %s is not a number",
		    conf_cmd_name(r->p), conf_q(t->s));
		return -1;
	}
	if (a->num < e->lo || a->num > e->hi) {
		conf_error(r->p, t, "%s: %s is out of range (%lld-%lld)",
		    conf_cmd_name(r->p), conf_q(t->s), e->lo, e->hi);
		return -1;
	}
	return 0;
}

static int
run_val(struct run *r, const struct el *e)
{
	struct conf_arg *a = &r->a[r->slot++];
	int k;

	if (r->i >= r->nt)
		return run_missing(r, e);
	a->tok = &r->t[r->i];
	a->n = 1;
	if (e->vt == NULL) {
		r->i++;
		return run_num(r, e, a);
	}
	if (e->vt->flags & VT_SECRET)
		r->secret = 1;
	if (e->vt->flags & VT_REST) {
		a->n = r->nt - r->i;
		r->i = r->nt;
		return e->vt->conv(r->p, a->tok, a);
	}
	for (k = 0; k == 0 || (e->repeat && r->i < r->nt); k++)
		if (e->vt->conv(r->p, &r->t[r->i++], a) == -1)
			return -1;
	a->n = k;
	return 0;
}

/* "[word ...]": present when the next word is that literal. */
static int
run_opt(struct run *r, const struct el *el, int nel, int *k)
{
	int depth = 0;

	if (*k + 1 < nel && el[*k + 1].kind == EL_LIT && r->i < r->nt &&
	    strcmp(r->t[r->i].s, el[*k + 1].text) == 0) {
		r->a[r->slot++].tok = &r->t[r->i];
		return 0;
	}
	r->a[r->slot++].tok = NULL;
	for ((*k)++; *k < nel; (*k)++) {
		if (el[*k].kind == EL_OPT)
			depth++;
		if (el[*k].kind == EL_OPTEND && depth-- == 0)
			break;
		if (el[*k].kind == EL_VAL || el[*k].kind == EL_CHOICE ||
		    el[*k].kind == EL_OPT)
			r->slot++;
	}
	return 0;
}

static int
run_elems(struct run *r, const char *spec)
{
	struct el el[MAX_EL];
	int k, rv = 0, nel = spec_compile(spec, el, MAX_EL);

	for (k = 0; k < nel && rv == 0; k++) {
		if (r->slot >= CONF_MAX_ARGS)
			abort(); /* a command table needs more slots */
		switch (el[k].kind) {
		case EL_OPT:
			rv = run_opt(r, el, nel, &k);
			break;
		case EL_LIT:
			rv = run_lit(r, &el[k]);
			break;
		case EL_VAL:
			rv = run_val(r, &el[k]);
			break;
		case EL_CHOICE:
			rv = run_choice(r, &el[k]);
			break;
		}
	}
	return rv;
}

static int
run_extra(struct run *r)
{
	char usage[512];

	conf_usage(r->cmd, usage, sizeof(usage));
	if (r->secret) /* an unquoted secret with blanks in it */
		conf_error_at(r->p, r->t[r->i].line, r->t[r->i].col,
		    "%s: unexpected words after the secret (quote a secret "
		    "that has blanks)",
		    conf_cmd_name(r->p));
	else
		conf_error(r->p, &r->t[r->i], "%s: unexpected %s; usage: %s",
		    conf_cmd_name(r->p), conf_q(r->t[r->i].s), usage);
	return -1;
}

/*
 * t[0..nt) are the command's words ("no" already stripped).  The path
 * matched during lookup; its values still need converting.
 */
int
conf_parse_args(struct conf_parse *p, const struct conf_cmd *cmd,
    struct conf_tok *t, int nt, struct conf_arg *a)
{
	struct run r = {p, t, nt, 0, a, 0, 0, cmd};
	int rv;

	memset(a, 0, sizeof(*a) * CONF_MAX_ARGS);
	conf_q_hide(strstr(cmd->args, "<secret>") != NULL);
	rv = run_elems(&r, cmd->path) == -1 || run_elems(&r, cmd->args) == -1 ||
	             (r.i < nt && run_extra(&r) == -1)
	         ? -1
	         : 0;
	conf_q_hide(0);
	return rv;
}

/* Path matching for lookup ------------------------------------------------ */

static int
word_match(const char *pat, size_t n, const char *w)
{
	if (pat[0] == '<' || (n == 1 && pat[0] == '*'))
		return 1;
	if (n > 1 && pat[n - 1] == '*') /* "svintr-*" */
		return strncmp(pat, w, n - 1) == 0;
	return strlen(w) == n && strncmp(pat, w, n) == 0;
}

/*
 * 1 if every word of path matches t (depth = the number of path words),
 * else 0 with depth = how many leading words did match.
 */
int
conf_path_match(const char *path, const struct conf_tok *t, int nt, int *depth)
{
	const char *s = path, *e;
	int d = 0;

	while (*s != '\0') {
		for (e = s; *e != '\0' && *e != ' '; e++)
			;
		if (d >= nt || t[d].quoted ||
		    !word_match(s, (size_t)(e - s), t[d].s)) {
			*depth = d;
			return 0;
		}
		d++;
		s = *e ? e + 1 : e;
	}
	*depth = d;
	return 1;
}
