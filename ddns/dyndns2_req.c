/*
 * dyndns2_req.c: the dyndns2 side that we write: the update URL taken
 * apart once at configuration time, and the GET request with its Basic
 * credentials.  The credentials are base64-encoded straight into the
 * caller's (guarded) buffer, so "user:password" never exists anywhere else.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ddns/dyndns2.h"

/* --- the URL --------------------------------------------------------------
 */

int
ddns_dd2_decimal(const char *s, size_t n, size_t maxdigits, long *v)
{
	size_t i;

	if (n == 0 || n > maxdigits)
		return -1;
	for (*v = 0, i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
url_port(const char *s, size_t n, uint16_t *port)
{
	long v;

	if (ddns_dd2_decimal(s, n, 5, &v) == -1 || v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* A DNS name, or an IPv4 literal (which inet_pton tells apart). */
static int
url_name(struct ddns_dd2_url *u)
{
	const char *s = u->host;

	if (inet_pton(AF_INET, s, u->host_addr) == 1) {
		u->host_af = AF_INET;
		return 0;
	}
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' &&
		    *s != '_')
			return -1;
	return 0;
}

/* host, [v6], host:port or [v6]:port: the authority without user info. */
static int
url_authority(const char *a, size_t n, struct ddns_dd2_url *u)
{
	const char *hs = a, *he, *rest;

	if (memchr(a, '@', n) != NULL)
		return -1; /* credentials belong in "username ... password" */
	if (n > 0 && a[0] == '[') {
		hs = a + 1;
		if ((he = memchr(hs, ']', n - 1)) == NULL)
			return -1;
		rest = he + 1;
	} else {
		he = memchr(a, ':', n);
		if (he == NULL)
			he = a + n;
		rest = he;
	}
	if (he == hs || (size_t)(he - hs) >= sizeof(u->host))
		return -1;
	memcpy(u->host, hs, (size_t)(he - hs));
	u->host[he - hs] = '\0';
	if (rest < a + n &&
	    (*rest != ':' ||
	        url_port(rest + 1, n - (size_t)(rest + 1 - a), &u->port) == -1))
		return -1;
	if (hs == a)
		return url_name(u);
	u->host_af = AF_INET6;
	return inet_pton(AF_INET6, u->host, u->host_addr) == 1 ? 0 : -1;
}

int
ddns_dd2_url_parse(const char *url, struct ddns_dd2_url *u)
{
	const char *p, *path;
	size_t n, plen;

	memset(u, 0, sizeof(*u));
	if (strncasecmp(url, "https://", 8) == 0) {
		u->tls = 1;
		u->port = 443;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		u->port = 80;
		p = url + 7;
	} else
		return -1;
	n = strcspn(p, "/?#");
	if (url_authority(p, n, u) == -1)
		return -1;
	path = p + n;
	plen = strcspn(path, "#"); /* a fragment is never sent */
	for (n = 0; n < plen; n++)
		if ((unsigned char)path[n] <= ' ' ||
		    (unsigned char)path[n] >= 0x7f)
			return -1;
	/* No path, or only "/": the conventional one. */
	if (plen == 0 || path[0] == '?' || (plen == 1 && path[0] == '/'))
		n = (size_t)snprintf(u->path, sizeof(u->path), "%s%.*s",
		    DDNS_DD2_PATH_DEF, (int)(path[0] == '?' ? plen : 0), path);
	else
		n = (size_t)snprintf(
		    u->path, sizeof(u->path), "%.*s", (int)plen, path);
	return n < sizeof(u->path) ? 0 : -1;
}

int
ddns_dd2_user_ok(const char *user)
{
	size_t n = strlen(user);
	const unsigned char *s = (const unsigned char *)user;

	if (n == 0 || n >= DDNS_DD2_USER_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (*s < ' ' || *s == 0x7f || *s == ':')
			return 0;
	return 1;
}

/* --- the request ----------------------------------------------------------
 */

/* Appends to a fixed buffer; the first overflow sticks. */
struct sbuf {
	char *p;
	size_t len, max;
	int full;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->full || n >= b->max - b->len) {
		b->full = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

/* Query-component encoding: unreserved characters as they are. */
static void
sb_query(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3] = {'%', 0, 0};

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || strchr("-._~:", c) != NULL) {
			sb_put(b, s, 1);
			continue;
		}
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		sb_put(b, e, 3);
	}
}

/* Streaming base64 (RFC 4648 section 4, padded). */
struct b64 {
	struct sbuf *out;
	unsigned char in[3];
	size_t n;
};

static void
b64_flush(struct b64 *e)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	q[0] = abc[e->in[0] >> 2];
	q[1] = abc[(e->in[0] & 3) << 4 | e->in[1] >> 4];
	q[2] = e->n > 1 ? abc[(e->in[1] & 15) << 2 | e->in[2] >> 6] : '=';
	q[3] = e->n > 2 ? abc[e->in[2] & 63] : '=';
	sb_put(e->out, q, 4);
	explicit_bzero(q, sizeof(q));
	memset(e->in, 0, sizeof(e->in));
	e->n = 0;
}

static void
b64_feed(struct b64 *e, const void *data, size_t len)
{
	const unsigned char *d = data;
	size_t i;

	for (i = 0; i < len; i++) {
		e->in[e->n++] = d[i];
		if (e->n == 3)
			b64_flush(e);
	}
}

static void
req_auth(struct sbuf *b, const struct ddns_dd2_req *r)
{
	struct b64 e = {b, {0, 0, 0}, 0};

	sb_str(b, "Authorization: Basic ");
	b64_feed(&e, r->user, strlen(r->user));
	b64_feed(&e, ":", 1);
	b64_feed(&e, r->pass, r->pass_len);
	if (e.n > 0)
		b64_flush(&e);
	sb_str(b, "\r\n");
}

/* Host: as RFC 9110 7.2 wants it, the port only when not the default. */
static void
req_host(struct sbuf *b, const struct ddns_dd2_url *u)
{
	char port[8];

	sb_str(b, "Host: ");
	sb_str(b, u->host_af == AF_INET6 ? "[" : "");
	sb_str(b, u->host);
	sb_str(b, u->host_af == AF_INET6 ? "]" : "");
	if (u->port != (u->tls ? 443 : 80)) {
		snprintf(port, sizeof(port), ":%u", u->port);
		sb_str(b, port);
	}
	sb_str(b, "\r\n");
}

static int
text_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f)
			return 0;
	return 1;
}

static void
req_target(struct sbuf *b, const struct ddns_dd2_req *r, const char *ip)
{
	const char *path = r->url->path;
	size_t pl = strlen(path);
	char name[DDNS_DD2_HOST_MAX];

	/* A dyndns2 server wants the name without the root's dot. */
	snprintf(name, sizeof(name), "%s", r->hostname);
	if (name[0] != '\0' && name[strlen(name) - 1] == '.')
		name[strlen(name) - 1] = '\0';
	sb_str(b, "GET ");
	sb_str(b, path);
	if (strchr(path, '?') == NULL)
		sb_str(b, "?");
	else if (path[pl - 1] != '?' && path[pl - 1] != '&')
		sb_str(b, "&");
	sb_str(b, "hostname=");
	sb_query(b, name);
	sb_str(b, "&myip=");
	sb_str(b, ip);
	sb_str(b, " HTTP/1.1\r\n");
}

int
ddns_dd2_request(const struct ddns_dd2_req *r, char *out, size_t max)
{
	struct sbuf b = {out, 0, max, 0};
	char ip[INET6_ADDRSTRLEN];

	if (max == 0 || r->hostname[0] == '\0' ||
	    strlen(r->hostname) >= DDNS_DD2_HOST_MAX ||
	    !ddns_dd2_user_ok(r->user) || !text_ok(r->agent) ||
	    inet_ntop(r->af, r->addr, ip, sizeof(ip)) == NULL)
		return -1;
	out[0] = '\0';
	req_target(&b, r, ip);
	req_host(&b, r->url);
	req_auth(&b, r);
	sb_str(&b, "User-Agent: ");
	sb_str(&b, r->agent);
	sb_str(&b, "\r\nConnection: close\r\n\r\n");
	if (b.full) {
		explicit_bzero(out, max);
		return -1;
	}
	return (int)b.len;
}
