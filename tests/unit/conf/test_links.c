/*
 * test_links.c: the Linux interfaces a file names against the kernel's
 * (conf_check_links): declared and present, undeclared but present,
 * absent (ppp0 before its first connection), and a near miss; and the
 * addresses a block writes against the kernel's (conf_check_addrs).
 */
#include <arpa/inet.h>

#include "tests/unit/tap.h"
#include "tests/unit/conf/util.h"

#define PSKS                                                                  \
	"ikev2 authentication psk id keyid home key char \"0123456789abcdef\"\n" \
	"ikev2 authentication psk id keyid jikka key char \"0123456789abcdef\"\n" \
	"ikev2 default-profile\n"                                             \
	"  local-authentication psk id keyid home\n"

static const char text[] = PSKS
    "interface ppp0\n"
    "  description \"PPPoE, up later\"\n"
    "interface Tunnel1.0\n"
    "  tunnel mode ipsec-ikev2\n"
    "  ip unnumbered lan0\n"
    "  ikev2 outgoing-interface wan6\n"
    "  ikev2 peer 2001:db8:2::2 authentication psk id keyid jikka\n"
    "interface Tunnel2.0\n"
    "  tunnel mode ipsec-ikev2\n"
    "  ip unnumbered lan0\n"
    "  ikev2 outgoing-interface ppp0\n"
    "  ikev2 peer 203.0.113.10 authentication psk id keyid jikka\n"
    "ip route 192.168.3.0/24 lan1\n"
    "ip route 192.168.4.0/24 lam0\n";

static struct conf_diags d;

/* The text of the warnings in d, which is emptied. */
static char *
said(void)
{
	char *s = test_diags_str(&d);

	conf_diags_free(&d);
	conf_diags_init(&d);
	return s;
}

/* The warnings for a kernel that has these links. */
static char *
check(const struct conf *c, const char *const *links, size_t n, int *count)
{
	*count = conf_check_links(c, "t.conf", links, n, &d);
	return said();
}

static const char addr_text[] = PSKS
    "interface lan0\n"
    "  ip address 192.168.1.1/24\n"
    "  ipv6 address 2001:db8:1::1/64\n";

static struct conf_addr
A(const char *s, int plen)
{
	struct conf_addr a;

	memset(&a, 0, sizeof(a));
	a.af = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	inet_pton(a.af, s, a.a);
	a.plen = plen;
	return a;
}

/* The warnings for a kernel that gives lan0 these addresses. */
static char *
check_addrs(const struct conf *c, const struct conf_addr *k, size_t n,
    int *count)
{
	*count = conf_check_addrs(&c->ifaces[0], "t.conf", k, n, &d);
	return said();
}

static void
addresses(void)
{
	struct conf_addr k[6];
	char *diags = NULL, *w;
	struct conf *c;
	int n;

	c = test_parse(addr_text, &diags);
	ok(c != NULL && c->nifaces == 1 && c->ifaces[0].naddrs == 2,
	    "a Linux block with its addresses written");
	free(diags);
	if (c == NULL)
		return;

	k[0] = A("fe80::1", 64);
	k[1] = A("2001:db8:1::1", 64);
	k[2] = A("192.168.1.1", 24);
	k[3] = A("2001:db8:1::abcd", 64);
	w = check_addrs(c, k, 4, &n);
	is_int(n, 0, "the kernel has them (and more): no warning");
	is_str(w, "", "none printed");
	free(w);

	k[2] = A("192.168.1.254", 24);
	w = check_addrs(c, k, 4, &n);
	is_int(n, 1, "LAN renumbered: one warning");
	is_str(w,
	    "t.conf:5: warning: interface lan0: \"ip address "
	    "192.168.1.1/24\" is not the kernel's (lan0 has 192.168.1.254/24); "
	    "tsunagid uses the kernel's\n",
	    "it names the written line, the kernel's address, and who wins");
	free(w);

	k[2] = A("192.168.1.1", 25);
	w = check_addrs(c, k, 4, &n);
	is_int(n, 1, "another prefix length is a mismatch too");
	free(w);

	w = check_addrs(c, k, 2, &n);
	is_int(n, 1, "no IPv4 address at all");
	ok(strstr(w, "(lan0 has none)") != NULL, "says the kernel has none");
	free(w);

	k[0] = A("2001:db8:9::1", 64);
	k[1] = A("2001:db8:9::2", 64);
	k[2] = A("2001:db8:9::3", 64);
	k[3] = A("2001:db8:9::4", 64);
	k[4] = A("2001:db8:9::5", 64);
	w = check_addrs(c, k, 5, &n);
	is_int(n, 2, "both families wrong: one warning each");
	ok(strstr(w, "has 2001:db8:9::1/64, 2001:db8:9::2/64, "
	    "2001:db8:9::3/64 and 2 more)") != NULL,
	    "a long list is cut after three");
	free(w);
	conf_free(c);
}

int
main(void)
{
	static const char *const all[] = {"lo", "lan0", "lan1", "lam0",
	    "wan6", "ppp0"};
	static const char *const now[] = {"lo", "lan0", "wan6", "eth0"};
	char *diags = NULL, *w;
	struct conf *c;
	int n;

	conf_diags_init(&d);
	c = test_parse(text, &diags);
	ok(c != NULL, "undeclared Linux interfaces are accepted");
	is_str(diags, "", "and draw nothing at parse time");
	free(diags);
	if (c == NULL)
		return tap_done();
	is_int(c->noslinks, 5, "five Linux interfaces named");
	is_str(c->oslinks[0].name, "ppp0", "the declared one first");
	ok(c->oslinks[0].declared, "ppp0 is declared");
	is_str(c->oslinks[1].name, "lan0", "then in the order named");
	ok(!c->oslinks[1].declared, "lan0 is not declared");

	w = check(c, all, 6, &n);
	is_int(n, 0, "all present: no warning");
	is_str(w, "", "none printed");
	free(w);

	w = check(c, now, 4, &n);
	is_int(n, 3, "ppp0, lan1 and lam0 missing now");
	is_str(w,
	    "t.conf:5:1: warning: interface: interface \"ppp0\" does not "
	    "exist now (used when it appears)\n"
	    "t.conf:17:25: warning: ip route: interface \"lan1\" does not "
	    "exist now; did you mean \"lan0\"?\n"
	    "t.conf:18:25: warning: ip route: interface \"lam0\" does not "
	    "exist now; did you mean \"lan0\"?\n",
	    "each said once where it is named, a near miss with a guess");
	free(w);

	w = check(c, NULL, 0, &n);
	is_int(n, 5, "no kernel links: all five warned about");
	ok(strstr(w, "\"lan1\" does not exist now; did you mean \"ppp0\"?") ==
	        NULL,
	    "a guess is never a name that is itself missing, unless declared");
	free(w);
	ok(test_round_trip(c), "print, parse back, equal");
	conf_free(c);
	addresses();
	return tap_done();
}
