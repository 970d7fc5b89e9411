/* fuzz-libs: */
/*
 * fuzz_dyndns2: what the dyndns2 updater reads and what it builds from the
 * configuration.  The first byte picks the path: even, the server's
 * answer (whole, at EOF, and cut at a point the second byte picks: an
 * answer complete in a prefix must stay the same answer with more bytes
 * after it); odd, a URL, host name, user and password (split on NUL) into
 * a request, which must stay six CRLF-ended lines whatever they hold.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_dyndns2.c
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ddns/dyndns2_req.c"
#include "ddns/dyndns2_resp.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_msg(const struct ddns_dd2_result *r)
{
	size_t i, n = strnlen(r->msg, sizeof(r->msg));

	if (n == sizeof(r->msg))
		abort();
	for (i = 0; i < n; i++)
		if (r->msg[i] < ' ' || r->msg[i] == 0x7f)
			abort(); /* server bytes must not reach a log raw */
	if (r->ok && r->permanent)
		abort();
}

static void
fuzz_response(const uint8_t *d, size_t n, size_t cut)
{
	struct ddns_dd2_result whole, part, end;
	int kw, kp, ke;

	kw = ddns_dd2_response(d, n, 0, &whole);
	ke = ddns_dd2_response(d, n, 1, &end);
	check_msg(&whole);
	check_msg(&end);
	if (ke == 0 || (kw == 1 && (ke != 1 || end.answer != whole.answer)))
		abort(); /* at EOF there is nothing left to wait for */
	if (cut > n)
		cut = n;
	kp = ddns_dd2_response(d, cut, 0, &part);
	check_msg(&part);
	if (kp == 1 && (kw != 1 || part.answer != whole.answer ||
	                   part.ok != whole.ok || part.af != whole.af))
		abort();
}

/* Next NUL-separated field, at most max-1 bytes. */
static const uint8_t *
field(const uint8_t *d, const uint8_t *end, char *out, size_t max)
{
	const uint8_t *z = memchr(d, 0, (size_t)(end - d));
	size_t n = (size_t)((z ? z : end) - d);

	if (n >= max)
		n = max - 1;
	memcpy(out, d, n);
	out[n] = '\0';
	return z ? z + 1 : end;
}

static void
check_request(const char *out, int n)
{
	int i, crlf = 0;

	if ((size_t)n != strlen(out) || n < 4 ||
	    memcmp(out + n - 4, "\r\n\r\n", 4) != 0)
		abort();
	for (i = 0; i < n; i++) {
		if (out[i] == '\r' && out[i + 1] == '\n') {
			crlf++;
			i++;
		} else if ((unsigned char)out[i] < ' ' || out[i] == 0x7f)
			abort(); /* a header injected through a field */
	}
	if (crlf != 6)
		abort();
}

static void
fuzz_request(const uint8_t *d, size_t n)
{
	static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 7};
	const uint8_t *end = d + n;
	char url[1100], host[300], user[200], pass[300];
	char out[DDNS_DD2_REQ_MAX];
	struct ddns_dd2_url u;
	struct ddns_dd2_req r = {
	    &u, host, AF_INET6, a6, "tsunagi/fuzz", user, NULL, 0};
	int k;

	d = field(d, end, url, sizeof(url));
	d = field(d, end, host, sizeof(host));
	d = field(d, end, user, sizeof(user));
	r.pass_len =
	    (size_t)(end - d) < sizeof(pass) ? (size_t)(end - d) : sizeof(pass);
	memcpy(pass, d, r.pass_len);
	r.pass = (const uint8_t *)pass;
	if (ddns_dd2_url_parse(url, &u) == -1)
		return;
	if (strlen(u.host) == 0 || u.path[0] != '/' || u.port == 0)
		abort();
	if ((k = ddns_dd2_request(&r, out, sizeof(out))) >= 0)
		check_request(out, k);
	else if (ddns_dd2_user_ok(user) && host[0] != '\0' &&
	         strlen(url) < 200 && strlen(host) < 200)
		abort(); /* small valid input must fit */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > DDNS_DD2_RESP_MAX + 2)
		return 0;
	if (data[0] & 1)
		fuzz_request(data + 1, size - 1);
	else
		fuzz_response(data + 2, size - 2, (size_t)data[1] * 64);
	return 0;
}
