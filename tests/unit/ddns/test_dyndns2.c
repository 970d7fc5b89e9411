/*
 * test_dyndns2: the dyndns2 codec.  The request is compared byte for byte
 * with text written out by hand, the Basic credentials against base64
 * vectors computed elsewhere (RFC 7617's own example among them), and the
 * answer parser against every return code, every framing (length, chunks,
 * end of connection), every prefix of good answers, and broken ones.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ddns/dyndns2.h"
#include "tests/unit/tap.h"

static const uint8_t a4[4] = {192, 0, 2, 7};

/* --- URL ------------------------------------------------------------------ */

static void
url_ok(const char *url, int tls, const char *host, int af, unsigned port,
    const char *path)
{
	struct ddns_dd2_url u;

	if (!ok(ddns_dd2_url_parse(url, &u) == 0, "url %s parses", url))
		return;
	ok(u.tls == tls && strcmp(u.host, host) == 0 && u.host_af == af &&
	        u.port == port && strcmp(u.path, path) == 0,
	    "url %s: tls %d host %s af %d port %u path %s", url, u.tls, u.host,
	    u.host_af, u.port, u.path);
}

static void
test_url(void)
{
	static const char *const bad[] = {"ftp://dyn.example.net/", "https://",
	    "https:///nic/update", "dyn.example.net",
	    "https://user:pw@dyn.example.net/nic/update",
	    "https://dyn.example.net:0/", "https://dyn.example.net:65536/",
	    "https://dyn.example.net:abc/", "https://dyn.example.net:/",
	    "https://[2001:db8::1/", "https://[dyn.example.net]/",
	    "https://2001:db8::1/", "https://dyn example.net/",
	    "https://dyn.example.net/a b", "https://dyn.example.net/\x7f",
	    "https://dyn!.example.net/"};
	struct ddns_dd2_url u;
	size_t i;

	url_ok("https://dyn.example.net/nic/update", 1, "dyn.example.net", 0,
	    443, "/nic/update");
	url_ok("https://dyn.example.net", 1, "dyn.example.net", 0, 443,
	    "/nic/update");
	url_ok("https://dyn.example.net/", 1, "dyn.example.net", 0, 443,
	    "/nic/update");
	url_ok("HTTP://dyn.example.net:8080/update?system=dyndns", 0,
	    "dyn.example.net", 0, 8080, "/update?system=dyndns");
	url_ok("https://dyn.example.net?system=dyndns", 1, "dyn.example.net", 0,
	    443, "/nic/update?system=dyndns");
	url_ok("https://[2001:db8::80]:8443/nic/update", 1, "2001:db8::80",
	    AF_INET6, 8443, "/nic/update");
	url_ok("http://192.0.2.80/x", 0, "192.0.2.80", AF_INET, 80, "/x");
	url_ok("https://dyn.example.net/nic/update#top", 1, "dyn.example.net",
	    0, 443, "/nic/update");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(ddns_dd2_url_parse(bad[i], &u) == -1, "url refused: %s",
		    bad[i]);
	ddns_dd2_url_parse("https://192.0.2.80/", &u);
	ok(memcmp(u.host_addr, "\xc0\x00\x02\x50", 4) == 0,
	    "IPv4 literal kept as an address");
}

static void
test_user(void)
{
	char longname[DDNS_DD2_USER_MAX + 1];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ok(ddns_dd2_user_ok("alice"), "user alice is fine");
	ok(ddns_dd2_user_ok("alice@example.net"), "user with @ is fine");
	ok(!ddns_dd2_user_ok("al:ice"), "user with ':' refused (RFC 7617)");
	ok(!ddns_dd2_user_ok(""), "empty user refused");
	ok(!ddns_dd2_user_ok("al\tice"), "user with a control char refused");
	ok(!ddns_dd2_user_ok(longname), "user of %zu chars refused",
	    strlen(longname));
}

/* --- request --------------------------------------------------------------
 */

static int
build(const char *url, const char *host, int af, const uint8_t *addr,
    const char *user, const void *pass, size_t plen, char *out, size_t max)
{
	struct ddns_dd2_url u;
	struct ddns_dd2_req r = {
	    &u, host, af, addr, "tsunagi/9.9", user, pass, plen};

	if (ddns_dd2_url_parse(url, &u) == -1)
		return -2;
	return ddns_dd2_request(&r, out, max);
}

static void
test_request(void)
{
	static const char want[] =
	    "GET /nic/update?hostname=home.example.net&myip=192.0.2.7 "
	    "HTTP/1.1\r\n"
	    "Host: dyn.example.net\r\n"
	    "Authorization: Basic YWxpY2U6czNjcmV0\r\n"
	    "User-Agent: tsunagi/9.9\r\n"
	    "Connection: close\r\n"
	    "\r\n";
	static const char want6[] =
	    "GET /u?system=dyndns&hostname=home.example.net&myip=2001:db8::7 "
	    "HTTP/1.1\r\n"
	    "Host: [2001:db8::80]:8443\r\n"
	    "Authorization: Basic YWxpY2U6czNjcmV0\r\n"
	    "User-Agent: tsunagi/9.9\r\n"
	    "Connection: close\r\n"
	    "\r\n";
	uint8_t a6[16];
	char out[DDNS_DD2_REQ_MAX];
	int n;

	inet_pton(AF_INET6, "2001:db8::7", a6);
	n = build("https://dyn.example.net/nic/update", "home.example.net.",
	    AF_INET, a4, "alice", "s3cret", 6, out, sizeof(out));
	is_int(n, (int)strlen(want), "request length");
	is_str(out, want, "request bytes, IPv4, final dot dropped");
	n = build("https://[2001:db8::80]:8443/u?system=dyndns",
	    "home.example.net", AF_INET6, a6, "alice", "s3cret", 6, out,
	    sizeof(out));
	is_str(out, want6, "request bytes, IPv6, literal host, URL query");
	build("http://dyn.example.net:8080/nic/update?", "home.example.net",
	    AF_INET, a4, "alice", "s3cret", 6, out, sizeof(out));
	ok(strncmp(out, "GET /nic/update?hostname=", 25) == 0 &&
	        strstr(out, "\r\nHost: dyn.example.net:8080\r\n") != NULL,
	    "query ending in '?' gets no separator; port in Host");
	build("https://dyn.example.net/", "h\xc3\xa9 x&y.example.net", AF_INET,
	    a4, "alice", "s3cret", 6, out, sizeof(out));
	ok(strstr(out, "hostname=h%C3%A9%20x%26y.example.net&myip=") != NULL,
	    "host name percent-encoded");
	n = build("https://dyn.example.net/", "home.example.net", AF_INET, a4,
	    "alice", "s3cret", 6, out, strlen(want));
	ok(n == -1 && out[0] == '\0' && memchr(out, 'Y', strlen(want)) == NULL,
	    "one byte short: refused and wiped");
	ok(build("https://dyn.example.net/", "home.example.net", AF_INET, a4,
	       "alice", "s3cret", 6, out,
	       strlen(want) + 1) == (int)strlen(want),
	    "exact fit (with the NUL) is fine");
	ok(build("https://dyn.example.net/", "home.example.net", AF_INET, a4,
	       "al:ice", "s3cret", 6, out, sizeof(out)) == -1,
	    "user with ':' refused");
	ok(build("https://dyn.example.net/", "", AF_INET, a4, "alice", "x", 1,
	       out, sizeof(out)) == -1,
	    "empty host name refused");
	ok(build("https://dyn.example.net/", "home.example.net", 99, a4,
	       "alice", "x", 1, out, sizeof(out)) == -1,
	    "unknown address family refused");
}

static int
auth_is(const char *user, const void *pass, size_t plen, const char *b64)
{
	char out[DDNS_DD2_REQ_MAX], want[256];

	if (build("https://dyn.example.net/", "h.example.net", AF_INET, a4,
	        user, pass, plen, out, sizeof(out)) < 0)
		return 0;
	snprintf(want, sizeof(want), "\r\nAuthorization: Basic %s\r\n", b64);
	return strstr(out, want) != NULL;
}

static void
test_basic(void)
{
	ok(auth_is(
	       "Aladdin", "open sesame", 11, "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
	    "Basic: RFC 7617 2 example");
	ok(auth_is("a", "b", 1, "YTpi"), "Basic: 3 octets, no padding");
	ok(auth_is("a", "bc", 2, "YTpiYw=="), "Basic: 4 octets, '=='");
	ok(auth_is("a", "bcd", 3, "YTpiY2Q="), "Basic: 5 octets, '='");
	ok(auth_is("u", "\x00\xff\xfe", 3, "dToA//4="),
	    "Basic: binary password, '+/' alphabet");
	ok(auth_is("alice", "", 0, "YWxpY2U6"), "Basic: empty password");
}

/* --- response -------------------------------------------------------------
 */

static int
resp(const char *s, int eof, struct ddns_dd2_result *r)
{
	return ddns_dd2_response((const uint8_t *)s, strlen(s), eof, r);
}

/* A 200 answer with Content-Length around body. */
static int
resp200(const char *body, struct ddns_dd2_result *r)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\n\r\n%s",
	    strlen(body), body);
	return resp(buf, 0, r);
}

static void
test_answers(void)
{
	static const struct {
		const char *word;
		int answer, permanent;
	} codes[] = {
	    {"badauth", DDNS_DD2_BADAUTH, 1},
	    {"!donator", DDNS_DD2_NOTDONATOR, 1},
	    {"notfqdn", DDNS_DD2_NOTFQDN, 1},
	    {"nohost", DDNS_DD2_NOHOST, 1},
	    {"numhost", DDNS_DD2_NUMHOST, 1},
	    {"abuse", DDNS_DD2_ABUSE, 1},
	    {"badagent", DDNS_DD2_BADAGENT, 1},
	    {"dnserr", DDNS_DD2_DNSERR, 0},
	    {"911", DDNS_DD2_911, 0},
	};
	struct ddns_dd2_result r;
	char body[64];
	size_t i;
	int k;

	k = resp200("good 192.0.2.7\n", &r);
	ok(k == 1 && r.answer == DDNS_DD2_GOOD && r.ok && !r.permanent &&
	        r.af == AF_INET && memcmp(r.addr, a4, 4) == 0 &&
	        r.status == 200,
	    "good 192.0.2.7: published, address kept");
	is_str(r.msg, "good 192.0.2.7", "good: message");
	k = resp200("nochg 2001:db8:0::7", &r);
	ok(k == 1 && r.answer == DDNS_DD2_NOCHG && r.ok && r.af == AF_INET6,
	    "nochg with an IPv6 address: published");
	is_str(r.msg, "nochg 2001:db8::7", "nochg: address re-printed");
	k = resp200("good", &r);
	ok(k == 1 && r.ok && r.af == 0, "good alone: published, no address");
	is_str(r.msg, "good", "good alone: message");
	k = resp200("good banana\n", &r);
	ok(k == 1 && r.ok && r.af == 0, "good with a bad address: published");
	k = resp200("\r\n  GOOD 192.0.2.7\r\n", &r);
	ok(k == 1 && r.answer == DDNS_DD2_GOOD,
	    "leading blank lines, upper case: good");
	k = resp200("nochg 192.0.2.7\nbadauth\n", &r);
	ok(k == 1 && r.answer == DDNS_DD2_NOCHG, "first line decides");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(body, sizeof(body), "%s\n", codes[i].word);
		k = resp200(body, &r);
		ok(k == 1 && r.answer == codes[i].answer && !r.ok &&
		        r.permanent == codes[i].permanent &&
		        strncmp(r.msg, codes[i].word, strlen(codes[i].word)) ==
		            0 &&
		        r.msg[strlen(codes[i].word)] == ':',
		    "%s: %s, \"%s\"", codes[i].word,
		    codes[i].permanent ? "permanent" : "retry", r.msg);
	}
	k = resp200("goodness", &r);
	ok(k == 1 && r.answer == DDNS_DD2_UNKNOWN && !r.ok && !r.permanent,
	    "goodness is not good: unknown, retry");
	k = resp200("hello\x01world", &r);
	ok(k == 1 && r.answer == DDNS_DD2_UNKNOWN &&
	        strstr(r.msg, "hello?world") != NULL,
	    "unknown answer quoted, control byte replaced: %s", r.msg);
	k = resp200("", &r);
	ok(k == 1 && r.answer == DDNS_DD2_UNKNOWN && !r.permanent &&
	        strstr(r.msg, "empty") != NULL,
	    "empty body: retry (%s)", r.msg);
}

static void
test_status(void)
{
	static const struct {
		int status, permanent;
	} st[] = {{500, 0}, {502, 0}, {503, 0}, {408, 0}, {429, 0}, {400, 1},
	    {401, 1}, {403, 1}, {404, 1}, {301, 1}, {302, 1}};
	struct ddns_dd2_result r;
	char buf[256];
	size_t i;
	int k;

	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		snprintf(buf, sizeof(buf),
		    "HTTP/1.1 %d Some Reason\r\nContent-Length: 6\r\n\r\n"
		    "<html>",
		    st[i].status);
		k = resp(buf, 0, &r);
		ok(k == 1 && r.answer == DDNS_DD2_HTTP && !r.ok &&
		        r.status == st[i].status &&
		        r.permanent == st[i].permanent,
		    "HTTP %d: %s (%s)", st[i].status,
		    st[i].permanent ? "permanent" : "retry", r.msg);
	}
	k = resp("HTTP/1.1 401 Unauthorized\r\nContent-Length: 8\r\n\r\n"
	         "badauth\n",
	    0, &r);
	ok(k == 1 && r.answer == DDNS_DD2_BADAUTH && r.permanent,
	    "401 with badauth: the dyndns2 answer wins");
	k = resp("HTTP/1.1 503 Busy\r\nContent-Length: 3\r\n\r\n911", 0, &r);
	ok(k == 1 && r.answer == DDNS_DD2_911 && !r.permanent, "503 with 911");
	k = resp("HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\ngood", 0, &r);
	ok(k == 1 && !r.ok && r.answer == DDNS_DD2_HTTP && !r.permanent,
	    "500 with good: not published");
	is_str(r.msg, "HTTP 500 Oops", "HTTP error message");
	k = resp(
	    "HTTP/1.1 404 \xff\xfeNot\r\nContent-Length: 0\r\n\r\n", 0, &r);
	ok(k == 1 && strcmp(r.msg, "HTTP 404 ??Not") == 0,
	    "reason phrase sanitised: %s", r.msg);
	k = resp("HTTP/1.1 204 No Content\r\n\r\n", 0, &r);
	ok(k == 1 && r.answer == DDNS_DD2_UNKNOWN, "204: complete, no answer");
	k = resp("HTTP/1.1 200\r\nContent-Length: 4\r\n\r\ngood", 0, &r);
	ok(k == 1 && r.ok, "status line without a reason phrase");
}

/* Every proper prefix wants more; the whole answers good. */
static void
prefixes(const char *name, const char *s)
{
	struct ddns_dd2_result r;
	size_t n, len = strlen(s), bad0 = 0, badeof = 0;

	for (n = 0; n < len; n++) {
		if (ddns_dd2_response((const uint8_t *)s, n, 0, &r) != 0)
			bad0++;
		if (ddns_dd2_response((const uint8_t *)s, n, 1, &r) != -1)
			badeof++;
	}
	ok(bad0 == 0, "%s: all %zu prefixes want more", name, len);
	ok(badeof == 0, "%s: every prefix at EOF is truncated", name);
	ok(ddns_dd2_response((const uint8_t *)s, len, 0, &r) == 1 && r.ok,
	    "%s: whole answer is good", name);
}

static void
test_framing(void)
{
	struct ddns_dd2_result r;
	int k;

	prefixes("Content-Length",
	    "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\ngood 192.0.2.7\n");
	prefixes("chunked",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\ngood \r\nA;ext=1\r\n192.0.2.7\n\r\n0\r\nX-T: 1\r\n\r\n");
	prefixes("100 Continue first",
	    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"
	    "content-length: 4\r\n\r\ngood");
	k = resp("HTTP/1.0 200 OK\r\nServer: x\r\n\r\ngood 192.0.2.7", 0, &r);
	ok(k == 0, "no length: more until the connection ends");
	k = resp("HTTP/1.0 200 OK\r\nServer: x\r\n\r\ngood 192.0.2.7", 1, &r);
	ok(k == 1 && r.ok, "no length: the end of the connection ends it");
	k = resp("HTTP/1.1 200 OK\nContent-Length: 5\n\ngood\n", 0, &r);
	ok(k == 1 && r.ok, "bare LF line ends tolerated");
	k = resp("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngoodXXXX", 0, &r);
	ok(k == 1 && r.ok && r.af == 0, "bytes after Content-Length ignored");
	k = resp("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
	         "1\r\ng\r\n3\r\nood\r\n0\r\n\r\n",
	    0, &r);
	ok(k == 1 && r.ok, "chunks joined: good");
	k = resp("HTTP/1.1 200 OK\r\nContent-Length: 04\r\n"
	         "Content-Length: 4\r\n\r\ngood",
	    0, &r);
	ok(k == 1 && r.ok, "two equal Content-Length values");
	k = resp("", 1, &r);
	ok(k == -1 && strstr(r.msg, "without") != NULL,
	    "nothing before EOF: %s", r.msg);
	k = resp("HTTP/1.1 200 OK\r\nContent-Le", 1, &r);
	ok(k == -1 && strstr(r.msg, "truncated") != NULL,
	    "cut in the headers: %s", r.msg);
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
	    "HTTP/2 200 OK\r\n\r\n",
	    "HTTP/1.1 20 OK\r\n\r\n",
	    "HTTP/1.1 200OK\r\n\r\n",
	    "HTTP/1.1 600 Odd\r\n\r\n",
	    "HTTP/1.1 099 Odd\r\n\r\n",
	    "http/1.1 200 OK\r\n\r\n",
	    "ICY 200 OK\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",
	    "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent Length: 4\r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nContent-Length: 9999999999\r\n\r\ngood",
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n"
	    "good!",
	    "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n4\r\ngood\r\n0\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nX: a\x01\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "4\r\ngoodXX\r\n0\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "1000000\r\n",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "4x\r\ngood\r\n0\r\n\r\n",
	    "HTTP/1.1 101 Switching Protocols\r\n\r\n",
	    "HTTP/1.1 100 Continue\r\nContent-Length: 4\r\n\r\ngood",
	};
	struct ddns_dd2_result r;
	size_t i;
	int k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = resp(bad[i], 1, &r);
		ok(k == -1 && strcmp(r.msg, "malformed HTTP response") == 0,
		    "malformed #%zu refused (%s)", i, r.msg);
	}
	k = ddns_dd2_response(
	    (const uint8_t *)"HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 27, 1, &r);
	ok(k == -1 && strcmp(r.msg, "malformed HTTP response") == 0,
	    "NUL in a header refused");
}

static void
test_sizes(void)
{
	struct ddns_dd2_result r;
	uint8_t *big = malloc(DDNS_DD2_RESP_MAX + 64);
	size_t n;
	int k;

	n = (size_t)snprintf((char *)big, 64, "HTTP/1.1 200 OK\r\nX-Pad: ");
	memset(big + n, 'a', DDNS_DD2_RESP_MAX + 64 - n);
	k = ddns_dd2_response(big, DDNS_DD2_RESP_MAX - 1, 0, &r);
	ok(k == 0, "headers unfinished below the limit: more");
	k = ddns_dd2_response(big, DDNS_DD2_RESP_MAX, 0, &r);
	ok(k == -1 && strstr(r.msg, "too long") != NULL,
	    "headers unfinished at the limit: %s", r.msg);
	/* A big body: only its start is looked at, the framing in full. */
	n = (size_t)snprintf((char *)big, 64,
	    "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\nnochg 192.0.2.7 ",
	    8000);
	memset(big + n, 'x', 8000 - 16);
	k = ddns_dd2_response(big, n + 8000 - 16, 0, &r);
	ok(k == 1 && r.answer == DDNS_DD2_NOCHG && r.af == AF_INET,
	    "8000-byte body: nochg read from its start");
	k = ddns_dd2_response(big, n + 8000 - 17, 0, &r);
	ok(k == 0, "8000-byte body one short: more");
	free(big);
}

int
main(void)
{
	test_url();
	test_user();
	test_request();
	test_basic();
	test_answers();
	test_status();
	test_framing();
	test_malformed();
	test_sizes();
	return tap_done();
}
