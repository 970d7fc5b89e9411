/*
 * test_mirror.c: tsunagid -x's transform.  examples/home.conf, mirrored
 * with home's LAN addresses, is examples/jikka.conf but for the DDNS key
 * (the mirror keeps home's); mirrored again with jikka's, it is home.conf;
 * what the mirror prints parses back.  Then the cases it must refuse,
 * each with its reason, and those it fills from the kernel's addresses.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "tests/unit/conf/util.h"
#include "tests/unit/tap.h"

static struct conf_hostaddr
ha(const char *ifname, const char *addr, int plen)
{
	struct conf_hostaddr h;

	memset(&h, 0, sizeof(h));
	snprintf(h.ifname, sizeof(h.ifname), "%s", ifname);
	h.addr.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(h.addr.af, addr, h.addr.a);
	h.addr.plen = plen;
	return h;
}

static struct conf *
load(const char *name)
{
	char path[1024];
	struct conf_diags d;
	struct conf *c;

	snprintf(path, sizeof(path), "%s/examples/%s", test_srcdir(), name);
	conf_diags_init(&d);
	c = conf_parse_file(path, &d);
	conf_diags_free(&d);
	if (c == NULL) {
		printf("Bail out! %s does not parse\n", path);
		exit(1);
	}
	return c;
}

/* Mirror c; the diagnostics into *msg (to free) when asked for. */
static int
mirror(struct conf *c, const struct conf_hostaddr *h, size_t n, char **msg)
{
	struct conf_diags d;
	int r;

	conf_diags_init(&d);
	r = conf_mirror(c, "t.conf", h, n, &d);
	if (msg != NULL)
		*msg = test_diags_str(&d);
	conf_diags_free(&d);
	return r;
}

/* The printout without the DDNS server line (its key is the house's). */
static char *
print_but_key(const struct conf *c)
{
	char *p = test_print(c, 0), *s = strstr(p, "  server rfc2136"), *e;

	if (s != NULL && (e = strchr(s, '\n')) != NULL)
		memmove(s, e + 1, strlen(e + 1) + 1);
	return p;
}

static void
test_examples(void)
{
	struct conf_hostaddr home[] = {ha("lan", "192.168.1.1", 24),
	    ha("lan", "2001:db8:1:1::1", 64), ha("wan6", "2001:db8:1::2", 64),
	    ha("ppp0", "198.51.100.10", 32)};
	struct conf_hostaddr jikka[] = {
	    ha("lan", "192.168.2.1", 24), ha("lan", "2001:db8:2:1::1", 64)};
	struct conf *c = load("home.conf"), *j = load("jikka.conf");
	struct conf *h = load("home.conf");
	char *a, *b, *msg;

	is_int(mirror(c, home, 4, &msg), 0, "home.conf mirrors");
	printf("%s", msg);
	free(msg);
	a = print_but_key(c);
	b = print_but_key(j);
	ok(strcmp(a, b) == 0, "the mirror of home.conf is jikka.conf");
	if (strcmp(a, b) != 0)
		printf("# mirror:\n%s# jikka.conf:\n%s", a, b);
	free(a);
	free(b);
	a = test_print(c, 0);
	ok(strstr(a, "key-name home-gw.example.net") != NULL,
	    "...with home's DDNS key, as said");
	free(a);
	ok(test_round_trip(c), "the mirror prints and parses back");
	is_int(mirror(c, jikka, 2, NULL), 0, "and mirrors again");
	ok(conf_equal(c, h), "the mirror of the mirror is home.conf");
	conf_free(c);
	conf_free(j);
	conf_free(h);
}

static const char head[] =
    "hostname home\n"
    "ikev2 authentication psk id keyid home key char \"a key long enough\"\n"
    "ikev2 authentication psk id keyid jikka key char \"a key long enough\"\n"
    "ikev2 default-profile\n"
    "  local-authentication psk id keyid home\n";

/* head + body mirrored with h; the printout (to free), or NULL. */
static char *
mirror_text(
    const char *body, const struct conf_hostaddr *h, size_t n, char **msg)
{
	char text[4096];
	struct conf *c;
	char *p = NULL;

	snprintf(text, sizeof(text), "%s%s", head, body);
	if ((c = test_parse(text, msg)) == NULL)
		return NULL;
	free(*msg);
	if (mirror(c, h, n, msg) == 0)
		p = test_print(c, 0);
	conf_free(c);
	return p;
}

static void
refuses(const char *body, const char *why, const char *name)
{
	char *msg = NULL, *p = mirror_text(body, NULL, 0, &msg);

	ok(p == NULL && msg != NULL && strstr(msg, why) != NULL, "%s", name);
	if (p != NULL || msg == NULL || strstr(msg, why) == NULL)
		printf("# got: %s\n", msg ? msg : "(nothing)");
	free(p);
	free(msg);
}

static const char tun_fqdn[] =
    "interface Tunnel1.0\n"
    "  tunnel mode ipsec-ikev2\n"
    "  ikev2 outgoing-interface wan6\n"
    "  ikev2 peer-fqdn-ipv6 jikka.example.net authentication psk id keyid "
    "jikka\n";

static void
test_refusals(void)
{
	char body[2048];

	refuses("", "no tunnel", "no tunnel: refused");
	snprintf(body, sizeof(body),
	    "ikev2 authentication psk id keyid other key char \"another "
	    "key\"\n%sinterface Tunnel2.0\n  tunnel mode ipsec-ikev2\n"
	    "  ikev2 peer 203.0.113.9 authentication psk id keyid other\n",
	    tun_fqdn);
	refuses(body, "a mirror is for two houses", "two peers: refused");
	refuses(tun_fqdn, "publishes no AAAA record",
	    "found by name, but publishes none: refused");
	snprintf(body, sizeof(body),
	    "ipv6 route 2001:db8:2:1::/64 Tunnel1.0\n%s", tun_fqdn);
	refuses(body, "no LAN interface of this house has an IPv6 address",
	    "a route back, but no LAN prefix: refused");
	refuses(
	    "interface Tunnel1.0\n  tunnel mode ipsec-ikev2\n"
	    "  ikev2 outgoing-interface wan6\n"
	    "  ikev2 peer 2001:db8:2::2 authentication psk id keyid jikka\n",
	    "has no IPv6 address here",
	    "a fixed peer, no address here: refused");
	refuses(
	    "interface Tunnel1.0\n  tunnel mode ipsec-ikev2\n"
	    "  ip address 10.255.0.1/24\n"
	    "  ikev2 source-address 2001:db8:1::2\n"
	    "  ikev2 peer 2001:db8:2::2 authentication psk id keyid jikka\n",
	    "knows the other end only of a /30",
	    "a numbered /24 tunnel: refused");
}

static void
test_filled(void)
{
	struct conf_hostaddr h[] = {ha("wan6", "2001:db8:1::2", 64),
	    ha("lan", "2001:db8:1:1::1", 64), ha("lan", "192.168.1.1", 24)};
	char *msg = NULL, *p;

	p = mirror_text("interface lan\n"
	                "interface Tunnel1.0\n"
	                "  tunnel mode ipsec-ikev2\n"
	                "  ip address 10.255.0.1/30\n"
	                "  ikev2 outgoing-interface wan6\n"
	                "  ikev2 peer 2001:db8:2::2 authentication psk id "
	                "keyid jikka\n"
	                "ipv6 route 2001:db8:2:1::/64 Tunnel1.0\n"
	                "ip route 10.1.0.0/16 lan\n",
	    h, 3, &msg);
	ok(p != NULL, "a fixed peer, a numbered tunnel, a route: mirrors");
	if (p == NULL)
		printf("# %s\n", msg);
	else {
		ok(strstr(p, "ikev2 peer 2001:db8:1::2 ") != NULL,
		    "the peer is this house's uplink address");
		ok(strstr(p, "ip address 10.255.0.2/30") != NULL,
		    "the tunnel's address is the other end of the /30");
		ok(strstr(p, "ipv6 route 2001:db8:1:1::/64 Tunnel1.0") != NULL,
		    "the route back goes to this house's LAN prefix");
		ok(strstr(p, "10.1.0.0/16") == NULL,
		    "this house's own route is not the other's");
		ok(strstr(p, "local-authentication psk id keyid jikka") !=
		            NULL &&
		        strstr(p, "authentication psk id keyid home") != NULL,
		    "the identities swap");
		ok(strstr(p, "hostname jikka") != NULL, "so does the hostname");
	}
	free(p);
	free(msg);
	/* A LAN the file names only as a lender, with no block of its own. */
	msg = NULL;
	p = mirror_text("interface Tunnel1.0\n"
	                "  tunnel mode ipsec-ikev2\n"
	                "  ip unnumbered lan\n"
	                "  ikev2 outgoing-interface wan6\n"
	                "  ikev2 source-address 2001:db8:1::2\n"
	                "  ikev2 peer 2001:db8:2::2 authentication psk id "
	                "keyid jikka\n"
	                "ip route 192.168.2.0/24 Tunnel1.0 distance 200\n",
	    h, 3, &msg);
	ok(p != NULL && strstr(p, "ip route 192.168.1.0/24 Tunnel1.0 "
	                          "distance 200") != NULL,
	    "a LAN named only by ip unnumbered: its kernel prefix");
	if (p == NULL)
		printf("# %s\n", msg);
	free(p);
	free(msg);
}

int
main(void)
{
	test_examples();
	test_refusals();
	test_filled();
	return tap_done();
}
