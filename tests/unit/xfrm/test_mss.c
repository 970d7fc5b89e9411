/*
 * test_mss: what "ip tcp adjust-mss" turns into (auto from the tunnel's
 * MTU, a number for IPv4 and 20 less for IPv6, nothing for tunnels off)
 * and the nft script, written out whole.  tests/netns/mss.sh hands the
 * script to the real nft and sends SYNs through it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "tests/unit/tap.h"
#include "xfrm/mss.h"

static struct conf_tunnel
tun(const char *name, int mss, unsigned mtu, int peer_type)
{
	struct conf_tunnel t;

	memset(&t, 0, sizeof(t));
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.mode_ikev2 = 1;
	t.adjust_mss = mss;
	t.mtu = mtu;
	t.peer_type = peer_type;
	return t;
}

static void
test_from_conf(void)
{
	struct conf_tunnel t[6];
	struct conf c;
	struct xfrm_mss v[XFRM_MSS_MAX];
	size_t n;

	memset(&c, 0, sizeof(c));
	t[0] = tun("Tunnel1.0", CONF_MSS_AUTO, 1400, CONF_PEER_FQDN6);
	t[1] = tun("Tunnel2.0", 1300, 0, CONF_PEER_FQDN4);
	t[2] = tun("Tunnel3.0", CONF_MSS_OFF, 1400, CONF_PEER_FQDN4);
	t[3] = tun("Tunnel4.0", CONF_MSS_AUTO, 1400, CONF_PEER_FQDN4);
	t[3].shutdown = 1;
	t[4] = tun("Tunnel5.0", CONF_MSS_AUTO, 1400, CONF_PEER_FQDN4);
	t[4].mode_ikev2 = 0;
	/* No "ip mtu", uplink unknown: 1500 less our largest ESP. */
	t[5] = tun("Tunnel6.0", CONF_MSS_AUTO, 0, CONF_PEER_FQDN4);
	c.tunnels = t;
	c.ntunnels = 6;
	n = xfrm_mss_from_conf(&c, v, XFRM_MSS_MAX);
	is_int(n, 3, "three tunnels clamp: off, shut down, not IKEv2 skipped");
	is_str(v[0].ifname, "Tunnel1.0", "auto: the tunnel");
	is_int(v[0].mss4, 1360, "auto: MTU 1400 - 40 for IPv4");
	is_int(v[0].mss6, 1340, "auto: MTU 1400 - 60 for IPv6");
	is_int(v[0].mtu, 1400, "auto: the MTU is ip mtu's");
	is_str(v[1].ifname, "Tunnel2.0", "a number: the tunnel");
	is_int(v[1].mss4, 1300, "a number: as written for IPv4");
	is_int(v[1].mss6, 1280, "a number: 20 less for IPv6 (same size)");
	is_str(v[2].ifname, "Tunnel6.0", "auto without ip mtu: the tunnel");
	/* 1500 - 20 - 8 - 8 - 16 - 32 = 1416 -> 1408 - 2 = 1406 */
	is_int(v[2].mtu, 1406, "auto without ip mtu: the interface's MTU");
	is_int(v[2].mss4, 1366, "auto without ip mtu: IPv4 MSS");
	n = xfrm_mss_from_conf(&c, v, 1);
	is_int(n, 1, "at most max entries");
	c.ntunnels = 0;
	is_int(xfrm_mss_from_conf(&c, v, XFRM_MSS_MAX), 0, "no tunnels");
}

static const char want_one[] =
    "table inet tsunagi\n"
    "delete table inet tsunagi\n"
    "table inet tsunagi {\n"
    "\tchain mss {\n"
    "\t\ttype filter hook forward priority mangle; policy accept;\n"
    "\t\toifname \"Tunnel1.0\" meta nfproto ipv4 tcp flags syn "
    "tcp option maxseg size > 1360 tcp option maxseg size set 1360\n"
    "\t\toifname \"Tunnel1.0\" meta nfproto ipv6 tcp flags syn "
    "tcp option maxseg size > 1340 tcp option maxseg size set 1340\n"
    "\t\tiifname \"Tunnel1.0\" meta nfproto ipv4 tcp flags syn "
    "tcp option maxseg size > 1360 tcp option maxseg size set 1360\n"
    "\t\tiifname \"Tunnel1.0\" meta nfproto ipv6 tcp flags syn "
    "tcp option maxseg size > 1340 tcp option maxseg size set 1340\n"
    "\t}\n"
    "}\n";

static void
test_script(void)
{
	struct xfrm_mss v[2] = {
	    {"Tunnel1.0", 1400, 1360, 1340}, {"Tunnel2.0", 1400, 1300, 1280}};
	char buf[4096], small[64];
	int n;

	n = xfrm_mss_script(v, 1, buf, sizeof(buf));
	is_str(buf, want_one, "one tunnel: the table, replaced whole");
	is_int(n, (int)strlen(want_one), "the length written");
	n = xfrm_mss_script(v, 0, buf, sizeof(buf));
	is_str(buf, "table inet tsunagi\ndelete table inet tsunagi\n",
	    "nothing to clamp: the table goes (and a leftover with it)");
	n = xfrm_mss_script(v, 2, buf, sizeof(buf));
	ok(n > 0 && strstr(buf, "iifname \"Tunnel2.0\" meta nfproto ipv6 "
	                        "tcp flags syn tcp option maxseg size > 1280 "
	                        "tcp option maxseg size set 1280\n") != NULL,
	    "two tunnels: both in one table");
	is_int(xfrm_mss_script(v, 1, small, sizeof(small)), -1,
	    "a buffer too small: -1, not a cut script");
	snprintf(v[0].ifname, sizeof(v[0].ifname), "a\" drop");
	is_int(xfrm_mss_script(v, 1, buf, sizeof(buf)), -1,
	    "a name that would leave its quotes: refused");
	v[0].ifname[0] = '\0';
	is_int(xfrm_mss_script(v, 1, buf, sizeof(buf)), -1,
	    "an empty name: refused");
	snprintf(v[0].ifname, sizeof(v[0].ifname), "Tunnel1.0");
	v[0].mss6 = 0;
	is_int(xfrm_mss_script(v, 1, buf, sizeof(buf)), -1,
	    "an MSS of 0: refused");
}

int
main(void)
{
	test_from_conf();
	test_script();
	return tap_done();
}
