/*
 * ctl_proto.c: encode and decode control records.  Strings are escaped so a
 * record is always one line of printable ASCII whatever a value holds (an
 * interface description, a DNS name from the wire, ...).
 */
#include <stdio.h>
#include <string.h>

#include "daemon/ctl_proto.h"

static int
ctl_word_char(int c)
{
	return c > 0x20 && c < 0x7f;
}

/*
 * Split a request line (NUL-terminated, no newline) in place.  Only
 * printable ASCII and blanks are allowed: a request is typed by a person or
 * a script, never binary.
 */
int
ctl_req_split(char *line, int *argc, char **argv, const char **why)
{
	char *p = line;
	int n = 0;

	if (strlen(line) >= CTL_REQ_MAX) {
		*why = "request too long";
		return -1;
	}
	for (;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		if (!ctl_word_char((unsigned char)*p)) {
			*why = "request contains a non-printable character";
			return -1;
		}
		if (n == CTL_MAXWORDS) {
			*why = "too many words in request";
			return -1;
		}
		argv[n++] = p;
		while (ctl_word_char((unsigned char)*p))
			p++;
	}
	if (n == 0) {
		*why = "empty request";
		return -1;
	}
	*argc = n;
	return 0;
}

static int
ctl_key_ok(const char *k)
{
	size_t n = 0;

	for (; *k; k++, n++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '_' || *k == '-'))
			return 0;
	return n > 0 && n <= 64;
}

int
ctl_enc_begin(struct buf *b, const char *type)
{
	if (!ctl_key_ok(type))
		return -1;
	return buf_addstr(b, type);
}

static int
ctl_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int r;

		if (c == '\\')
			r = buf_add(b, "\\\\", 2);
		else if (c == '\t')
			r = buf_add(b, "\\t", 2);
		else if (c == '\n')
			r = buf_add(b, "\\n", 2);
		else if (c < 0x20 || c >= 0x7f)
			r = buf_printf(b, "\\x%02x", c);
		else
			r = buf_addc(b, (char)c);
		if (r == -1)
			return -1;
	}
	return 0;
}

int
ctl_enc_str(struct buf *b, const char *key, const char *val)
{
	if (!ctl_key_ok(key) || buf_addc(b, '\t') == -1 ||
	    buf_addstr(b, key) == -1 || buf_addc(b, '=') == -1)
		return -1;
	return ctl_escape(b, val ? val : "");
}

/* A run of decimal digits, at least one; its end, or NULL. */
static const char *
ctl_digits(const char *s)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

/* true, false, or a decimal number: -?[0-9]+(\.[0-9]+)? (JSON's too). */
static int
ctl_lit_ok(const char *s)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
		return 1;
	if (*s == '-')
		s++;
	if ((s = ctl_digits(s)) == NULL)
		return 0;
	if (*s == '.' && (s = ctl_digits(s + 1)) == NULL)
		return 0;
	return *s == '\0';
}

int
ctl_enc_lit(struct buf *b, const char *key, const char *lit)
{
	if (!ctl_key_ok(key) || !ctl_lit_ok(lit))
		return -1;
	return buf_printf(b, "\t%s:%s", key, lit);
}

int
ctl_enc_end(struct buf *b)
{
	return buf_addc(b, '\n');
}

int
ctl_enc_ok(struct buf *b)
{
	return buf_addstr(b, ".ok\n");
}

int
ctl_enc_error(struct buf *b, const char *code, const char *msg)
{
	if (buf_addstr(b, ".error\tcode=") == -1 || ctl_escape(b, code) == -1 ||
	    buf_addstr(b, "\tmsg=") == -1 || ctl_escape(b, msg) == -1)
		return -1;
	return buf_addc(b, '\n');
}

static int
ctl_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo ctl_escape in place; -1 on a malformed escape. */
static int
ctl_unescape(char *s)
{
	char *w = s;

	while (*s) {
		if (*s != '\\') {
			*w++ = *s++;
			continue;
		}
		s++;
		if (*s == '\\' || *s == 't' || *s == 'n') {
			*w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : '\\';
			s++;
		} else if (*s == 'x' && ctl_hex(s[1]) >= 0 &&
		    ctl_hex(s[2]) >= 0 && (s[1] != '0' || s[2] != '0')) {
			*w++ = (char)(ctl_hex(s[1]) << 4 | ctl_hex(s[2]));
			s += 3;
		} else
			return -1;
	}
	*w = '\0';
	return 0;
}

static int
ctl_field_parse(char *tok, struct ctl_field *f)
{
	char *sep = tok + strcspn(tok, "=:");

	if (*sep == '\0')
		return -1;
	f->literal = *sep == ':';
	*sep = '\0';
	f->key = tok;
	f->val = sep + 1;
	if (!ctl_key_ok(f->key))
		return -1;
	if (f->literal)
		return ctl_lit_ok(f->val) ? 0 : -1;
	return ctl_unescape(f->val);
}

/* Parse one response line (NUL-terminated, newline removed) in place. */
int
ctl_rec_parse(char *line, struct ctl_rec *r)
{
	char *tok, *save = NULL;

	memset(r, 0, sizeof(*r));
	tok = strtok_r(line, "\t", &save);
	if (tok == NULL)
		return -1;
	r->type = tok;
	if (strcmp(tok, ".ok") == 0)
		r->kind = CTL_OK;
	else if (strcmp(tok, ".error") == 0)
		r->kind = CTL_ERROR;
	else if (!ctl_key_ok(tok))
		return -1;
	while ((tok = strtok_r(NULL, "\t", &save)) != NULL) {
		if (r->nfields == CTL_MAXFIELDS ||
		    ctl_field_parse(tok, &r->f[r->nfields]) == -1)
			return -1;
		r->nfields++;
	}
	return 0;
}

const char *
ctl_rec_get(const struct ctl_rec *r, const char *key)
{
	int i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return r->f[i].val;
	return NULL;
}
