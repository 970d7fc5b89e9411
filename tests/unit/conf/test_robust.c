/*
 * test_robust.c: hostile input.  NUL bytes, endless lines, unterminated
 * quotes, CRLF, no final newline, a file of exactly the size limit and one
 * byte over, floods of errors and warnings, random bytes.  Nothing may
 * crash or leak (run under valgrind and ASan), and each refusal says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/tap.h"
#include "tests/unit/conf/util.h"

static struct conf *
parse_mem(const char *text, size_t len, struct conf_diags *d)
{
	conf_diags_init(d);
	return conf_parse_text("r.conf", text, len, d);
}

static void
test_nul_and_quotes(void)
{
	static const char nul[] = "hostname a\0b\nhostname c\n";
	struct conf_diags d;
	struct conf *c;
	char *s;

	c = parse_mem(nul, sizeof(nul) - 1, &d);
	s = test_diags_str(&d);
	ok(c == NULL, "a NUL byte fails the file");
	is_str(s, "r.conf:1:11: error: NUL byte in the line\n",
	    "...at its column, and the next line still parses");
	free(s);
	conf_diags_free(&d);
	c = parse_mem("hostname \"abc", 13, &d);
	s = test_diags_str(&d);
	is_str(s, "r.conf:1:10: error: unterminated quoted string\n",
	    "an unterminated quote at the end of the file");
	free(s);
	conf_free(c);
	conf_diags_free(&d);
	c = parse_mem("hostname gw", 11, &d);
	ok(c != NULL && strcmp(c->hostname, "gw") == 0, "no final newline");
	conf_free(c);
	conf_diags_free(&d);
	c = parse_mem("hostname gw\r\n\r\n", 15, &d);
	ok(c != NULL && strcmp(c->hostname, "gw") == 0, "CRLF");
	conf_free(c);
	conf_diags_free(&d);
	c = parse_mem("", 0, &d);
	ok(c != NULL && d.errors == 0, "an empty file is a valid empty conf");
	conf_free(c);
	conf_diags_free(&d);
}

static void
test_long_lines(void)
{
	size_t n = 100000;
	char *big = malloc(n + 32);
	struct conf_diags d;
	struct conf *c;
	char *s;

	memcpy(big, "hostname ", 9);
	memset(big + 9, 'a', n - 9);
	memcpy(big + n, "\nhostname ok\n", 14);
	c = parse_mem(big, strlen(big), &d);
	s = test_diags_str(&d);
	ok(c == NULL, "a 100 kB line is refused");
	is_str(s,
	    "r.conf:1: error: line too long (100000 bytes; 4096 at "
	    "most)\n",
	    "with its size");
	free(s);
	conf_diags_free(&d);
	memset(big, 'x', 4096);
	memcpy(big, "description ", 12);
	big[4096] = '\0';
	c = parse_mem(big, 4096, &d);
	ok(c == NULL && d.errors == 1, "a 4096-byte line is lexed (and then "
	                               "refused for what it says)");
	conf_diags_free(&d);
	free(big);
}

/* Exactly CONF_MAX_FILE bytes of comments parse; one more byte does not. */
static void
test_file_size(void)
{
	size_t n = CONF_MAX_FILE, i;
	char *buf = malloc(n + 2), *s;
	struct conf_diags d;
	struct conf *c;

	for (i = 0; i < n; i += 64) {
		memset(buf + i, ' ', 64);
		buf[i] = '!';
		buf[i + 63] = '\n';
	}
	c = parse_mem(buf, n, &d);
	ok(c != NULL && d.errors == 0, "a 1 MiB file parses");
	conf_free(c);
	conf_diags_free(&d);
	buf[n] = '\n';
	c = parse_mem(buf, n + 1, &d);
	s = test_diags_str(&d);
	ok(c == NULL, "1 MiB + 1 byte is refused");
	is_str(s,
	    "r.conf: error: file too large (1048577 bytes; 1048576 at "
	    "most)\n",
	    "and says so");
	free(s);
	conf_diags_free(&d);
	free(buf);
}

static void
test_floods(void)
{
	size_t n = 20000, i, len = 0;
	char *buf = malloc(n * 32 + 1), *s;
	struct conf_diags d;
	struct conf *c;

	for (i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "bogus %zu\n", i);
	c = parse_mem(buf, len, &d);
	s = test_diags_str(&d);
	ok(c == NULL, "20000 bad lines are refused");
	ok(d.errors == 51 && strstr(s, "too many errors (50); giving up"),
	    "parsing stops after 50 errors");
	free(s);
	conf_diags_free(&d);
	for (i = 0, len = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "ppp profile p%zu\n", i);
	c = parse_mem(buf, len, &d);
	s = test_diags_str(&d);
	ok(c != NULL && d.warnings == (int)n, "20000 warnings are counted");
	ok(strstr(s, "19800 more warnings not shown") != NULL,
	    "but only 200 are kept");
	free(s);
	conf_free(c);
	conf_diags_free(&d);
	for (i = 0, len = 0; i < 1100; i++)
		len += (size_t)sprintf(buf + len,
		    "ip route 10.%zu.%zu.0/24 "
		    "192.0.2.1\n",
		    i / 256, i % 256);
	c = parse_mem(buf, len, &d);
	s = test_diags_str(&d);
	ok(c == NULL && strstr(s, "r.conf:1025:1: error: too many static "
	                          "routes (1024 at most)") != NULL,
	    "lists have a limit");
	free(s);
	conf_diags_free(&d);
	free(buf);
}

/* Random bytes and random keyword salads: only clean refusals. */
static void
test_random(void)
{
	static const char *const words[] = {"interface", "Tunnel1.0", "ip",
	    "ospf", "no", "ikev2", "peer", "\"", "!", "watch-group", "1",
	    "event", "action", "ddns", "profile", "key", "char", "hex",
	    "192.0.2.1", "::1", "lan", "\n", "\r\n", "\t", "exit",
	    "authentication", "psk", "id", "keyid", "a", "0123456789abcdef"};
	unsigned long x = 12345;
	char buf[2048];
	struct conf_diags d;
	struct conf *c;
	size_t i, j, len;
	int crashed = 0;

	for (i = 0; i < 3000; i++) {
		len = 0;
		for (j = 0; j < 200 && len < sizeof(buf) - 32; j++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			if (i % 2)
				buf[len++] = (char)(x >> 56);
			else
				len += (size_t)sprintf(buf + len, "%s ",
				    words[(x >> 33) %
				          (sizeof(words) / sizeof(words[0]))]);
		}
		c = parse_mem(buf, len, &d);
		if (c != NULL && !test_round_trip(c))
			crashed++;
		conf_free(c);
		conf_diags_free(&d);
	}
	is_int(crashed, 0, "3000 random inputs: no round-trip failure");
}

static void
test_files(void)
{
	struct conf_diags d;
	struct conf *c;
	char *s;

	conf_diags_init(&d);
	c = conf_parse_file("/nonexistent/tsunagi.conf", &d);
	s = test_diags_str(&d);
	ok(c == NULL && strstr(s, "/nonexistent/tsunagi.conf: error: cannot "
	                          "open: ") == s,
	    "a missing file");
	free(s);
	conf_diags_free(&d);
	c = conf_parse_file("/tmp", &d);
	s = test_diags_str(&d);
	is_str(s, "/tmp: error: not a regular file\n", "a directory");
	free(s);
	conf_diags_free(&d);
}

int
main(void)
{
	test_nul_and_quotes();
	test_long_lines();
	test_file_size();
	test_floods();
	test_random();
	test_files();
	return tap_done();
}
