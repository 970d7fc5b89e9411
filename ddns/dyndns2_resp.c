/*
 * dyndns2_resp.c: the dyndns2 side that we read: one HTTP/1.x response
 * (status line, headers, a body framed by Content-Length, chunks or the
 * end of the connection), then the answer code in the body's first line,
 * sorted here into published, retry later and permanent.  Everything the
 * server sends is untrusted: only printable ASCII of it reaches a message.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ddns/dyndns2.h"

#define BODY_KEEP 256 /* of the body, only the start says anything */

/* What the answer codes mean (the dyndns2 "return codes"). */
static const struct answer_def {
	const char *word;
	int answer, ok, permanent;
	const char *why;
} answers[] = {
    {"good", DDNS_DD2_GOOD, 1, 0, NULL},
    {"nochg", DDNS_DD2_NOCHG, 1, 0, NULL},
    {"badauth", DDNS_DD2_BADAUTH, 0, 1, "user name or password not accepted"},
    {"!donator", DDNS_DD2_NOTDONATOR, 0, 1, "the request needs a paid account"},
    {"notfqdn", DDNS_DD2_NOTFQDN, 0, 1,
        "the host name is not a fully qualified domain name"},
    {"nohost", DDNS_DD2_NOHOST, 0, 1, "no such host name in this account"},
    {"numhost", DDNS_DD2_NUMHOST, 0, 1, "too many host names"},
    {"abuse", DDNS_DD2_ABUSE, 0, 1, "the host name is blocked for abuse"},
    {"badagent", DDNS_DD2_BADAGENT, 0, 1,
        "the server refuses this client or request"},
    {"dnserr", DDNS_DD2_DNSERR, 0, 0, "DNS error at the server"},
    {"911", DDNS_DD2_911, 0, 0, "server trouble or maintenance"},
};
#define NANSWERS (sizeof(answers) / sizeof(answers[0]))

/* A read position in what has arrived. */
struct rd {
	const uint8_t *b;
	size_t len, off;
};

struct frame {
	int status;
	char reason[48];
	long clen; /* -1 none */
	int chunked;
	char body[BODY_KEEP];
	size_t blen;
};

/* Printable ASCII only, '?' for the rest, always terminated. */
static void
safe_copy(char *dst, size_t max, const void *src, size_t n)
{
	const unsigned char *s = src;
	size_t i;

	if (n >= max)
		n = max - 1;
	for (i = 0; i < n; i++)
		dst[i] = s[i] >= ' ' && s[i] < 0x7f ? (char)s[i] : '?';
	dst[n] = '\0';
}

/* One line without its CRLF (a bare LF is tolerated).  1, 0 more, -1. */
static int
rd_line(struct rd *r, const char **line, size_t *n)
{
	const uint8_t *s = r->b + r->off, *lf;
	size_t i;

	if ((lf = memchr(s, '\n', r->len - r->off)) == NULL)
		return 0;
	*line = (const char *)s;
	*n = (size_t)(lf - s);
	r->off += *n + 1;
	if (*n > 0 && s[*n - 1] == '\r')
		(*n)--;
	for (i = 0; i < *n; i++)
		if ((s[i] < ' ' && s[i] != '\t') || s[i] == 0x7f)
			return -1;
	return 1;
}

static int
is_tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* "HTTP/1.x NNN reason" (RFC 9112 4). */
static int
parse_status(const char *s, size_t n, struct frame *f)
{
	if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 ||
	    !isdigit((unsigned char)s[7]) || s[8] != ' ' ||
	    !isdigit((unsigned char)s[9]) || !isdigit((unsigned char)s[10]) ||
	    !isdigit((unsigned char)s[11]) || (n > 12 && s[12] != ' '))
		return -1;
	f->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (f->status < 100 || f->status > 599)
		return -1;
	if (n > 13)
		safe_copy(f->reason, sizeof(f->reason), s + 13, n - 13);
	else
		f->reason[0] = '\0';
	return 0;
}

static int
parse_clen(const char *v, size_t n, struct frame *f)
{
	long x;

	if (ddns_dd2_decimal(v, n, 9, &x) == -1)
		return -1;
	if (f->clen != -1 && f->clen != x)
		return -1; /* two lengths: which one would the body have? */
	f->clen = x;
	return 0;
}

static int
parse_header(const char *s, size_t n, struct frame *f)
{
	const char *colon = memchr(s, ':', n), *v;
	size_t nl, vl, i;

	if (colon == NULL || colon == s)
		return -1; /* also an obsolete folded line */
	nl = (size_t)(colon - s);
	for (i = 0; i < nl; i++)
		if (!is_tchar((unsigned char)s[i]))
			return -1;
	v = colon + 1;
	vl = n - nl - 1;
	while (vl > 0 && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	if (nl == 14 && strncasecmp(s, "content-length", 14) == 0)
		return parse_clen(v, vl, f);
	if (nl == 17 && strncasecmp(s, "transfer-encoding", 17) == 0) {
		if (vl != 7 || strncasecmp(v, "chunked", 7) != 0)
			return -1; /* no other coding was asked for */
		f->chunked = 1;
	}
	return 0;
}

/* The status line and headers of one response.  1, 0 more, -1. */
static int
parse_head(struct rd *r, struct frame *f)
{
	const char *s;
	size_t n;
	int k;

	if ((k = rd_line(r, &s, &n)) != 1)
		return k;
	if (parse_status(s, n, f) == -1)
		return -1;
	f->clen = -1;
	f->chunked = 0;
	while ((k = rd_line(r, &s, &n)) == 1 && n > 0)
		if (parse_header(s, n, f) == -1)
			return -1;
	if (k != 1)
		return k;
	return f->chunked && f->clen != -1 ? -1 : 1;
}

static void
body_add(struct frame *f, const uint8_t *p, size_t n)
{
	if (n > sizeof(f->body) - f->blen)
		n = sizeof(f->body) - f->blen;
	memcpy(f->body + f->blen, p, n);
	f->blen += n;
}

/* A chunk-size line: hex digits, then extensions we ignore. */
static int
chunk_size(const char *s, size_t n, size_t *size)
{
	size_t i, v = 0;

	for (i = 0; i < n && isxdigit((unsigned char)s[i]); i++) {
		if (i == 6)
			return -1; /* far beyond DDNS_DD2_RESP_MAX */
		v = v * 16 +
		    (size_t)(isdigit((unsigned char)s[i])
		                 ? s[i] - '0'
		                 : tolower((unsigned char)s[i]) - 'a' + 10);
	}
	if (i == 0 || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
		return -1;
	*size = v;
	return 0;
}

/* RFC 9112 7.1: chunks, the last one empty, then trailer lines. */
static int
body_chunked(struct rd *r, struct frame *f)
{
	const char *s;
	size_t n, size;
	int k;

	for (;;) {
		if ((k = rd_line(r, &s, &n)) != 1)
			return k;
		if (chunk_size(s, n, &size) == -1)
			return -1;
		if (size == 0)
			break;
		if (r->len - r->off < size + 1)
			return 0;
		body_add(f, r->b + r->off, size);
		r->off += size;
		if ((k = rd_line(r, &s, &n)) != 1 || n != 0)
			return k == 0 ? 0 : -1;
	}
	while ((k = rd_line(r, &s, &n)) == 1 && n > 0)
		;
	return k;
}

/* The body's framing: 1 all there, 0 more to come, -1 broken. */
static int
parse_body(struct rd *r, struct frame *f, int eof)
{
	size_t left = r->len - r->off;

	if (f->status == 204 || f->status == 304)
		return 1;
	if (f->chunked)
		return body_chunked(r, f);
	if (f->clen >= 0) {
		if (left < (size_t)f->clen)
			return 0;
		body_add(f, r->b + r->off, (size_t)f->clen);
		return 1;
	}
	if (!eof)
		return 0; /* delimited by the end of the connection */
	body_add(f, r->b + r->off, left);
	return 1;
}

/* Skips 1xx interim responses; the final one's head and body. */
static int
parse_frame(struct rd *r, struct frame *f, int eof)
{
	int k;

	for (;;) {
		if ((k = parse_head(r, f)) != 1)
			return k;
		if (f->status >= 200)
			break;
		if (f->status == 101 || f->clen > 0 || f->chunked)
			return -1; /* we asked for no upgrade, 1xx has no body
			            */
	}
	f->blen = 0;
	return parse_body(r, f, eof);
}

static const struct answer_def *
answer_find(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < NANSWERS; i++)
		if (strlen(answers[i].word) == n &&
		    strncasecmp(answers[i].word, w, n) == 0)
			return &answers[i];
	return NULL;
}

/* The next word on the body's first line, after blanks. */
static size_t
body_word(const struct frame *f, size_t *pos, int any_space)
{
	size_t start;

	while (*pos < f->blen &&
	       (f->body[*pos] == ' ' || f->body[*pos] == '\t' ||
	           (any_space &&
	               (f->body[*pos] == '\r' || f->body[*pos] == '\n'))))
		(*pos)++;
	start = *pos;
	while (*pos < f->blen && !isspace((unsigned char)f->body[*pos]))
		(*pos)++;
	return *pos - start;
}

static void
answer_addr(const struct frame *f, size_t pos, struct ddns_dd2_result *res)
{
	char w[64];
	size_t n = body_word(f, &pos, 0);

	if (n == 0 || n >= sizeof(w))
		return;
	memcpy(w, f->body + pos - n, n);
	w[n] = '\0';
	if (inet_pton(AF_INET, w, res->addr) == 1)
		res->af = AF_INET;
	else if (inet_pton(AF_INET6, w, res->addr) == 1)
		res->af = AF_INET6;
}

static void
answer_known(const struct frame *f, size_t pos, const struct answer_def *d,
    struct ddns_dd2_result *res)
{
	char ab[INET6_ADDRSTRLEN];

	res->answer = d->answer;
	res->ok = d->ok;
	res->permanent = d->permanent;
	if (d->ok)
		answer_addr(f, pos, res);
	if (res->af != 0 && inet_ntop(res->af, res->addr, ab, sizeof(ab)))
		snprintf(res->msg, sizeof(res->msg), "%s %s", d->word, ab);
	else if (d->why == NULL)
		snprintf(res->msg, sizeof(res->msg), "%s", d->word);
	else
		snprintf(res->msg, sizeof(res->msg), "%s: %s", d->word, d->why);
}

/* 5xx, timeouts and "too many requests" pass; the rest is a wrong URL,
 * account or method, which asking again will not mend. */
static int
status_permanent(int st)
{
	return st < 500 && st != 408 && st != 429;
}

static void
answer_of(const struct frame *f, struct ddns_dd2_result *res)
{
	const struct answer_def *d;
	char text[48];
	size_t pos = 0, n = body_word(f, &pos, 1);

	res->status = f->status;
	d = answer_find(f->body + pos - n, n);
	/* "good" under an error status is no success. */
	if (d != NULL && !(d->ok && f->status >= 300)) {
		answer_known(f, pos, d, res);
		return;
	}
	safe_copy(text, sizeof(text), f->body + pos - n, n);
	if (f->status >= 300) {
		res->answer = DDNS_DD2_HTTP;
		res->permanent = status_permanent(f->status);
		snprintf(res->msg, sizeof(res->msg), "HTTP %d%s%s", f->status,
		    f->reason[0] ? " " : "", f->reason);
	} else {
		res->answer = DDNS_DD2_UNKNOWN;
		snprintf(res->msg, sizeof(res->msg),
		    n ? "unexpected answer (HTTP %d): %s"
		      : "empty answer (HTTP %d)%s",
		    f->status, text);
	}
}

int
ddns_dd2_response(
    const uint8_t *buf, size_t len, int eof, struct ddns_dd2_result *res)
{
	struct rd r = {buf, len, 0};
	struct frame f;
	int k;

	memset(res, 0, sizeof(*res));
	memset(&f, 0, sizeof(f));
	k = parse_frame(&r, &f, eof);
	if (k == 1) {
		answer_of(&f, res);
		return 1;
	}
	if (k == 0 && !eof && len < DDNS_DD2_RESP_MAX)
		return 0;
	snprintf(res->msg, sizeof(res->msg), "%s",
	    k == -1    ? "malformed HTTP response"
	    : len == 0 ? "connection closed without an answer"
	    : !eof     ? "HTTP response too long"
	               : "truncated HTTP response");
	return -1;
}
