/*
 * test_links.c: the Linux interfaces a file names against the kernel's
 * (conf_check_links): declared and present, undeclared but present,
 * absent (ppp0 before its first connection), and a near miss.
 */
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

/* The warnings for a kernel that has these links. */
static char *
check(const struct conf *c, const char *const *links, size_t n, int *count)
{
	struct conf_diags d;
	char *s;

	conf_diags_init(&d);
	*count = conf_check_links(c, "t.conf", links, n, &d);
	s = test_diags_str(&d);
	conf_diags_free(&d);
	return s;
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
	return tap_done();
}
