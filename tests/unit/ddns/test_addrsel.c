/*
 * test_addrsel: one case per publishing rule of ddns/addrsel.c.
 */
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "ddns/addrsel.h"
#include "tests/unit/tap.h"

#define NOW   100000ull
#define FOREV 0xffffffffu

static struct ddns_addr
mk(const char *s, uint32_t flags, uint32_t valid, uint32_t pref)
{
	struct ddns_addr a;

	memset(&a, 0, sizeof(a));
	a.af = strchr(s, ':') ? AF_INET6 : AF_INET;
	inet_pton(a.af, s, a.a);
	a.plen = a.af == AF_INET ? 32 : 64;
	a.scope = RT_SCOPE_UNIVERSE;
	if (strncmp(s, "fe80", 4) == 0)
		a.scope = RT_SCOPE_LINK;
	a.flags = flags;
	ddns_addr_set_lft(&a, valid, pref, NOW);
	return a;
}

static const char *
pick(const struct ddns_addr *v, size_t n, int af, const char *cur)
{
	static char buf[64];
	uint8_t c[16];
	const struct ddns_addr *a;

	if (cur != NULL)
		inet_pton(af, cur, c);
	a = ddns_addr_select(v, n, af, NOW, cur ? c : NULL);
	if (a == NULL)
		return "none";
	return inet_ntop(af, a->a, buf, sizeof(buf));
}

static void
test_v6(void)
{
	struct ddns_addr v[8];

	v[0] = mk("fe80::1", IFA_F_PERMANENT, FOREV, FOREV);
	v[1] = mk("fd00::1", IFA_F_PERMANENT, FOREV, FOREV);
	is_str(pick(v, 2, AF_INET6, NULL), "none", "link-local and ULA never");
	v[2] = mk("fc12::1", 0, FOREV, FOREV);
	is_str(pick(v, 3, AF_INET6, NULL), "none", "fc00::/7 both halves");
	v[3] = mk("2001:db8::aaaa", IFA_F_TEMPORARY, 3600, 1800);
	is_str(pick(v, 4, AF_INET6, NULL), "none", "temporary never");
	v[4] = mk("2001:db8::bbbb", IFA_F_DEPRECATED, 3600, 0);
	is_str(pick(v, 5, AF_INET6, NULL), "none", "deprecated flag never");
	v[5] = mk("2001:db8::cccc", 0, 3600, 0);
	is_str(pick(v, 6, AF_INET6, NULL), "none",
	    "preferred lifetime 0 is deprecated too");
	v[6] = mk("2001:db8::dddd", IFA_F_TENTATIVE, FOREV, FOREV);
	is_str(pick(v, 7, AF_INET6, NULL), "none", "tentative (DAD) not yet");
	v[6] = mk("2001:db8::1", 0, 7200, 3600);
	is_str(pick(v, 7, AF_INET6, NULL), "2001:db8::1", "global dynamic ok");
	v[7] = mk("2001:db8::2", 0, 86400, 3600);
	is_str(pick(v, 8, AF_INET6, NULL), "2001:db8::2",
	    "longer valid lifetime wins");
	v[6] = mk("2001:db8::ffff", IFA_F_PERMANENT, FOREV, FOREV);
	is_str(pick(v, 8, AF_INET6, NULL), "2001:db8::ffff",
	    "valid_lft forever beats any finite one");
	is_str(pick(v, 8, AF_INET, NULL), "none", "family filter");

	v[0] = mk("2001:db8::9", 0, FOREV, FOREV);
	v[1] = mk("2001:db8::5", 0, FOREV, FOREV);
	is_str(
	    pick(v, 2, AF_INET6, NULL), "2001:db8::5", "ties: lowest address");
	is_str(pick(v, 2, AF_INET6, "2001:db8::9"), "2001:db8::9",
	    "ties: the published one stays (no flapping)");
	v[0] = mk("2001:db8::9", 0, 10, 10);
	ok(ddns_addr_select(v, 1, AF_INET6, NOW + 10000, NULL) == NULL,
	    "expired lifetime no longer usable");
	v[0] = mk("::1", 0, FOREV, FOREV);
	v[1] = mk("::ffff:192.0.2.1", 0, FOREV, FOREV);
	v[2] = mk("ff02::1", 0, FOREV, FOREV);
	is_str(pick(v, 3, AF_INET6, NULL), "none",
	    "loopback, v4-mapped, multicast never");
	v[0] = mk("2001:db8::77", 0, FOREV, FOREV);
	v[0].scope = RT_SCOPE_SITE;
	is_str(pick(v, 1, AF_INET6, NULL), "none", "global scope only");
}

static void
test_v4(void)
{
	struct ddns_addr v[4];

	v[0] = mk("127.0.0.1", 0, FOREV, FOREV);
	v[1] = mk("169.254.3.4", 0, FOREV, FOREV);
	v[2] = mk("0.0.0.0", 0, FOREV, FOREV);
	is_str(pick(v, 3, AF_INET, NULL), "none", "loopback, link-local, 0/8");
	v[0] = mk("203.0.113.9", 0, FOREV, FOREV);
	v[0].has_peer = 1;
	is_str(pick(v, 3, AF_INET, NULL), "203.0.113.9",
	    "PPPoE /32 local address");
	v[1] = mk("198.51.100.1", IFA_F_SECONDARY, FOREV, FOREV);
	v[2] = mk("198.51.100.2", 0, FOREV, FOREV);
	is_str(pick(v + 1, 2, AF_INET, NULL), "198.51.100.2",
	    "primary beats secondary");
	is_str(pick(v, 3, AF_INET, NULL), "203.0.113.9",
	    "first primary in kernel order");
	is_str(pick(v, 3, AF_INET, "198.51.100.2"), "198.51.100.2",
	    "published one stays among primaries");
	v[3] = mk("224.0.0.1", 0, FOREV, FOREV);
	is_str(pick(v + 3, 1, AF_INET, NULL), "none", "multicast never");
}

int
main(void)
{
	test_v6();
	test_v4();
	return tap_done();
}
