/*
 * test_secret.c: secrets go to guarded memory, print masked unless asked,
 * compare by value, and never show up in a diagnostic, whatever is wrong
 * with them.  Also the loud warning for a file others may read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "tests/unit/tap.h"
#include "tests/unit/conf/util.h"

#define PSK "Sup3r-s3cret-example-PSK"

#define BASE(key)                                                              \
	"ikev2 authentication psk id keyid a key " key "\n"                    \
	"ikev2 default-profile\n  local-authentication psk id keyid a\n"       \
	"interface wan6\ninterface Tunnel1.0\n  tunnel mode ipsec-ikev2\n"     \
	"  ikev2 peer 2001:db8::1 authentication psk id keyid a\n"

static void
test_guarded(void)
{
	struct conf *c = test_parse(BASE("char " PSK), NULL);
	const unsigned char *k;

	ok(c != NULL, "a config with a PSK");
	if (c == NULL)
		return;
	is_int(c->psks[0].key.len, strlen(PSK), "key length");
	k = conf_secret_unlock(&c->psks[0].key);
	ok(k != NULL && memcmp(k, PSK, strlen(PSK)) == 0,
	    "readable after conf_secret_unlock");
	conf_secret_lock(&c->psks[0].key);
	conf_free(c);
}

static void
test_masking(void)
{
	struct conf *c = test_parse(
	    BASE("char " PSK) "ddns profile d\n"
	                      "  hostname d.example.net\n  server dyndns2 "
	                      "https://x.example.net/u"
	                      " username u password pass-word-1234\n"
	                      "  notify interface wan6 protocol ipv6\n",
	    NULL);
	char *masked, *shown, *d = NULL;
	struct conf *back;

	ok(c != NULL, "PSK and dyndns2 password");
	if (c == NULL)
		return;
	masked = test_print(c, 0);
	shown = test_print(c, CONF_PRINT_SECRETS);
	ok(strstr(masked, PSK) == NULL && strstr(masked, "pass-word") == NULL,
	    "no secret in the default printout");
	ok(strstr(masked, "key char <hidden>") != NULL, "the PSK is masked");
	ok(strstr(masked, "password <hidden>") != NULL,
	    "the password is masked");
	ok(strstr(shown, PSK) != NULL, "CONF_PRINT_SECRETS shows the PSK");
	back = test_parse(masked, &d);
	ok(back == NULL, "a masked printout does not load");
	ok(strstr(d, "the secret is masked") != NULL, "and says why");
	conf_free(back);
	free(d);
	free(masked);
	free(shown);
	conf_free(c);
}

static void
test_equal(void)
{
	struct conf *a = test_parse(BASE("char " PSK), NULL);
	struct conf *b = test_parse(BASE("char " PSK "x"), NULL);
	struct conf *h = test_parse(BASE("hex 53757033722d73336372"
	                                 "65742d6578616d706c652d50534b"),
	    NULL);
	struct conf *h2 = test_parse(BASE("hex 53757033722D73336372"
	                                  "65742D6578616D706C652D50534B"),
	    NULL);

	ok(a && b && h && h2, "four variants parse");
	if (a && b && h && h2) {
		ok(!conf_equal(a, b), "a different key is a difference");
		ok(!conf_equal(a, h), "the same bytes as hex: form differs");
		ok(conf_equal(h, h2), "hex digits in either case");
		is_int(h->psks[0].key.len, strlen(PSK), "hex decoded");
		ok(test_round_trip(h), "hex keys print back as hex");
	}
	conf_free(a);
	conf_free(b);
	conf_free(h);
	conf_free(h2);
}

/* Wrong secrets of each kind: the messages must not contain them. */
static void
test_no_echo(void)
{
	static const char *const bad[] = {
	    "ikev2 authentication psk id keyid a key hex Sup3rs3cretXYZ\n",
	    "ikev2 authentication psk id keyid a key char Sup3r s3cret\n",
	    "ddns profile p\n  server rfc2136 192.0.2.1 zone z key-name k "
	    "key-algorithm hmac-sha256 key-secret Sup3r$s3cret\n",
	    "interface lan\n  ip ospf authentication-key Sup3rs3cret\n",
	    "interface lan\n  ip ospf message-digest-key 1 md5 "
	    "Sup3r-s3cret-way-too-long\n",
	    "ikev2 authentication psk id keyid a key char \"Sup3r\"s3cret\n",
	    "ikev2 authentication psk id keyid a key char \"Sup3r s3cret\n",
	    "ikev2 authentication psk id keyid a key Sup3rs3cret\n",
	    "ikev2 authentication psk id keyid a Sup3rs3cret\n",
	    "ikev2 authentication psk id ipv4 key char Sup3rs3cret\n",
	    "ddns profile p\n  server dyndns2 https://d.example.net/ username "
	    "u "
	    "Sup3rs3cret\n",
	};
	char *d;
	struct conf *c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = test_parse(bad[i], &d);
		ok(c == NULL && strstr(d, "error") != NULL &&
		        strstr(d, "s3cret") == NULL &&
		        strstr(d, "Sup3r") == NULL,
		    "bad secret %zu: refused without echoing it", i);
		if (strstr(d, "s3cret") != NULL)
			printf("# %s", d);
		free(d);
		conf_free(c);
	}
}

static void
test_private(void)
{
	char path[] = "/tmp/tsunagi-conf-XXXXXX", *d;
	struct conf_diags diags;
	int fd = mkstemp(path);

	ok(fd >= 0, "a temporary file");
	if (fd < 0)
		return;
	close(fd);
	conf_diags_init(&diags);
	chmod(path, 0600);
	is_int(conf_file_is_private(path, &diags), 1, "0600 is private");
	is_int(diags.warnings, 0, "and draws no warning");
	chmod(path, 0640);
	is_int(conf_file_is_private(path, &diags), 0, "0640 is not");
	chmod(path, 0604);
	is_int(conf_file_is_private(path, &diags), 0, "0604 is not");
	is_int(diags.warnings, 2, "two loud warnings");
	d = test_diags_str(&diags);
	ok(strstr(d, "ITS GROUP") && strstr(d, "EVERY USER") &&
	        strstr(d, "chmod 600"),
	    "they say who and what to do");
	free(d);
	unlink(path);
	is_int(conf_file_is_private(path, &diags), -1, "a missing file");
	is_int(diags.errors, 1, "is an error");
	conf_diags_free(&diags);
}

int
main(void)
{
	if (sodium_init() < 0) {
		printf("Bail out! sodium_init\n");
		return 1;
	}
	test_guarded();
	test_masking();
	test_equal();
	test_no_echo();
	test_private();
	return tap_done();
}
