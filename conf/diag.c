/*
 * diag.c: the list of errors and warnings a parse leaves behind, and the
 * helpers that add to it.  Words echoed into messages are made printable
 * and cut short here, so no caller has to care about hostile input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/internal.h"

/* Past this many stored warnings we only count them. */
#define DIAG_MAX_WARNINGS 200
#define QUOTE_MAX         64

void
conf_diags_init(struct conf_diags *d)
{
	d->head = NULL;
	d->tail = &d->head;
	d->errors = d->warnings = 0;
}

void
conf_diags_free(struct conf_diags *d)
{
	struct conf_diag *g, *next;

	for (g = d->head; g != NULL; g = next) {
		next = g->next;
		free(g->file);
		free(g->token);
		free(g->msg);
		free(g);
	}
	conf_diags_init(d);
}

const char *
conf_diag_where(const struct conf_diag *g, char *buf, size_t len)
{
	const char *sev = g->severity == CONF_ERROR ? "error" : "warning";

	if (g->line == 0)
		snprintf(buf, len, "%s: %s", g->file, sev);
	else if (g->col == 0)
		snprintf(buf, len, "%s:%d: %s", g->file, g->line, sev);
	else
		snprintf(buf, len, "%s:%d:%d: %s", g->file, g->line, g->col,
		    sev);
	return buf;
}

void
conf_diags_print(const struct conf_diags *d, FILE *fp)
{
	const struct conf_diag *g;
	char where[CONF_DIAG_WHERE];

	for (g = d->head; g != NULL; g = g->next)
		fprintf(fp, "%s: %s\n", conf_diag_where(g, where, sizeof(where)),
		    g->msg);
}

/* Escape what a terminal should not see; keep UTF-8 as it is. */
static void
diag_sanitize(char *dst, size_t dstsz, const char *s, size_t max)
{
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; s[i] != '\0' && o + 5 < dstsz; i++) {
		if (i == max) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(dst + o, dstsz - o, "\\x%02x", c);
		else if (c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

/*
 * A word in double quotes, for messages.  Four rotating buffers let one
 * message quote several words.
 */
/* Set while the words of a line that holds a secret are checked. */
static int diag_hide;

/*
 * On a line with a secret, a missing word shifts the secret into the slot
 * of a keyword or a name, and the message about that slot would quote it:
 * so while such a line's words are checked, no word is quoted.
 */
void
conf_q_hide(int on)
{
	diag_hide = on;
}

/* A word that passed its check, so it cannot be a misplaced secret. */
const char *
conf_q_checked(const char *s)
{
	static char buf[4][QUOTE_MAX * 4 + 8];
	static int n;
	char *b = buf[n++ % 4];

	b[0] = '"';
	diag_sanitize(b + 1, sizeof(buf[0]) - 2, s ? s : "", QUOTE_MAX);
	strcat(b, "\"");
	return b;
}

const char *
conf_q(const char *s)
{
	if (diag_hide)
		return "(a word not shown: this line holds a secret)";
	return conf_q_checked(s);
}

static struct conf_diag *diag_new(int, const char *, int, int, const char *,
    const char *, va_list) __attribute__((format(printf, 6, 0)));
static void parse_vdiag(struct conf_parse *, int, int, int, const char *,
    const char *, va_list) __attribute__((format(printf, 6, 0)));
static void diag_append(struct conf_diags *, int, const char *, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static struct conf_diag *
diag_new(int sev, const char *file, int line, int col, const char *token,
    const char *fmt, va_list ap)
{
	struct conf_diag *g;
	char tokbuf[QUOTE_MAX * 4 + 8];

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->severity = sev;
	g->line = line;
	g->col = col;
	g->file = strdup(file ? file : "(config)");
	if (token != NULL) {
		diag_sanitize(tokbuf, sizeof(tokbuf), token, QUOTE_MAX);
		g->token = strdup(tokbuf);
	}
	if (vasprintf(&g->msg, fmt, ap) == -1)
		g->msg = NULL;
	if (g->file == NULL || g->msg == NULL ||
	    (token != NULL && g->token == NULL)) {
		free(g->file);
		free(g->token);
		free(g->msg);
		free(g);
		return NULL;
	}
	return g;
}

void
conf_diag_vadd(struct conf_diags *d, int sev, const char *file, int line,
    int col, const char *token, const char *fmt, va_list ap)
{
	struct conf_diag *g;

	if (sev == CONF_ERROR)
		d->errors++;
	else if (++d->warnings > DIAG_MAX_WARNINGS)
		return;
	/* Out of memory: the count above still fails the parse. */
	if ((g = diag_new(sev, file, line, col, token, fmt, ap)) == NULL)
		return;
	*d->tail = g;
	d->tail = &g->next;
}

void
conf_diag_add(struct conf_diags *d, int sev, const char *file, int line,
    int col, const char *token, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_diag_vadd(d, sev, file, line, col, token, fmt, ap);
	va_end(ap);
}

static void
diag_append(
    struct conf_diags *d, int sev, const char *file, const char *fmt, ...)
{
	struct conf_diag *g;
	va_list ap;

	va_start(ap, fmt);
	g = diag_new(sev, file, 0, 0, NULL, fmt, ap);
	va_end(ap);
	if (g == NULL)
		return;
	*d->tail = g;
	d->tail = &g->next;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct conf_diag *x = *(struct conf_diag *const *)a;
	const struct conf_diag *y = *(struct conf_diag *const *)b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return 0;
}

/*
 * Put the diagnostics after *from in file order: the whole-file checks
 * run last but their findings read best beside the rest.  Equal
 * positions keep their order (the pointers are ordered by a stable
 * insertion sort: lists are short).
 */
void
conf_diags_sort(struct conf_diags *d, struct conf_diag **from)
{
	struct conf_diag *g, **v, *t;
	size_t n = 0, i, j;

	for (g = *from; g != NULL; g = g->next)
		n++;
	if (n < 2 || (v = calloc(n, sizeof(*v))) == NULL)
		return;
	for (i = 0, g = *from; g != NULL; g = g->next)
		v[i++] = g;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && diag_cmp(&v[j - 1], &v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		v[i]->next = i + 1 < n ? v[i + 1] : NULL;
	*from = v[0];
	d->tail = &v[n - 1]->next;
	free(v);
}

/* Say how many warnings were counted but not kept. */
void
conf_diags_summarize(struct conf_diags *d, const char *file)
{
	if (d->warnings > DIAG_MAX_WARNINGS)
		diag_append(d, CONF_WARNING, file, "%d more warnings not shown",
		    d->warnings - DIAG_MAX_WARNINGS);
}

static void
parse_vdiag(struct conf_parse *p, int sev, int line, int col, const char *token,
    const char *fmt, va_list ap)
{
	if (p->stop)
		return;
	conf_diag_vadd(p->diags, sev, p->file, line, col, token, fmt, ap);
	if (p->diags->errors >= CONF_MAX_ERRORS) {
		conf_diag_add(p->diags, CONF_ERROR, p->file, line, 0, NULL,
		    "too many errors (%d); giving up", p->diags->errors);
		p->stop = 1;
	}
}

void
conf_error(struct conf_parse *p, const struct conf_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_vdiag(
	    p, CONF_ERROR, t->line, t->col, diag_hide ? NULL : t->s, fmt, ap);
	va_end(ap);
}

/* For secrets and whole lines: nothing is echoed into the token field. */
void
conf_error_at(struct conf_parse *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_vdiag(p, CONF_ERROR, line, col, NULL, fmt, ap);
	va_end(ap);
}

void
conf_warn(struct conf_parse *p, const struct conf_tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_vdiag(
	    p, CONF_WARNING, t->line, t->col, diag_hide ? NULL : t->s, fmt, ap);
	va_end(ap);
}

void
conf_warn_at(struct conf_parse *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_vdiag(p, CONF_WARNING, line, col, NULL, fmt, ap);
	va_end(ap);
}

void
conf_oom(struct conf_parse *p)
{
	conf_error_at(p, p->ln ? p->ln->line : 0, 0, "out of memory");
	p->stop = 1;
}
