/*
 * test_parse.c: what the parser stores, field by field: the two example
 * houses, defaults, the effective IKE settings, block rules, the lexer's
 * columns, and the near-miss suggestions.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/conf/util.h"
#include "conf/internal.h"

static struct conf *
load_example(const char *name)
{
	struct conf_diags d;
	struct conf *c;
	char path[1024];

	snprintf(path, sizeof(path), "%s/examples/%s", test_srcdir(), name);
	conf_diags_init(&d);
	c = conf_parse_file(path, &d);
	conf_diags_print(&d, stdout);
	conf_diags_free(&d);
	if (c == NULL) {
		printf("Bail out! %s does not parse\n", path);
		exit(1);
	}
	return c;
}

static void
test_home_tunnels(const struct conf *c)
{
	const struct conf_tunnel *t1 = conf_tunnel_find(c, "Tunnel1.0");
	const struct conf_tunnel *t2 = conf_tunnel_find(c, "Tunnel2.0");

	is_int(c->ntunnels, 2, "home: two tunnels");
	ok(t1 != NULL && t2 != NULL, "home: Tunnel1.0 and Tunnel2.0");
	if (t1 == NULL || t2 == NULL)
		return;
	is_int(t1->peer_type, CONF_PEER_FQDN6, "Tunnel1.0 resolves AAAA");
	is_str(t1->peer_fqdn, "jikka.example.net", "Tunnel1.0 peer name");
	is_int(t1->peer_id.type, CONF_ID_KEYID, "peer id is a keyid");
	is_str(t1->peer_id.value, "jikka", "peer keyid");
	is_str(t1->outgoing, "wan6", "Tunnel1.0 goes out on wan6");
	is_str(t1->source_if, "lan", "Tunnel1.0 sources from the LAN");
	is_str(t1->unnumbered, "lan", "Tunnel1.0 borrows the LAN address");
	is_int(t1->ospf.cost, CONF_DEF_OSPF_COST, "Tunnel1.0 default cost");
	is_int(t1->adjust_mss, CONF_MSS_AUTO, "Tunnel1.0 MSS auto");
	is_int(t1->mtu, 1400, "Tunnel1.0 mtu");
	is_int(t1->shutdown, 0, "Tunnel1.0 is up");
	is_int(t2->peer_type, CONF_PEER_FQDN4, "Tunnel2.0 resolves A");
	is_int(t2->ospf.cost, 100, "Tunnel2.0 is the cost-100 backup");
	is_int(t2->ospf.mtu_ignore, 1, "Tunnel2.0 mtu-ignore");
	is_str(t2->outgoing, "ppp0", "Tunnel2.0 goes out on ppp0");
	is_int(t2->outgoing_auto, 1, "Tunnel2.0 outgoing ... auto");
	is_int(t2->natt_force, 0, "Tunnel2.0 NAT-T only when a NAT is seen");
	is_int(t2->natt_keepalive, 20, "Tunnel2.0 NAT-T keepalive 20 s");
	is_int(t2->ospf.dead, 40, "dead-interval defaults to 4 x hello");
	is_str(t1->description, "to jikka over IPv6 IPoE (primary)",
	    "a quoted description");
}

static void
test_home_rest(const struct conf *c)
{
	const struct conf_linkif *lan = conf_linkif_find(c, "lan");
	struct conf_ident id = {CONF_ID_KEYID, "jikka"};

	is_str(c->hostname, "home-gw", "hostname");
	is_int(c->npsks, 2, "two keys");
	ok(conf_psk_find(c, &id) != NULL, "the peer's key is found");
	is_str(c->local_id.value, "home", "local identity");
	is_int(c->nifaces, 3, "three Linux interfaces");
	ok(lan != NULL && lan->naddrs == 0,
	    "the LAN's addresses are the kernel's: none written twice");
	is_int(c->noslinks, 3, "three Linux interfaces named");
	is_int(c->ospf.enabled, 1, "OSPF on");
	is_int(c->ospf.router_id, 0xc0a80101, "router-id, host order");
	is_int(c->ospf.distance, 110, "OSPF's routes: distance 110 by default");
	is_int(c->ospf.nnetworks, 3, "three OSPF networks");
	is_int(c->ospf.npassive, 1, "one passive interface");
	is_int(c->nwatches, 2, "two watch-group entries");
	is_int(c->watches[0].enabled, 1, "network-monitor enables it");
	is_int(c->watches[1].enabled, 1, "...both entries");
	is_int(c->watches[0].timer_wait, 10, "probe-timer wait, in ms");
	is_int(c->watches[0].timer_restorer, 50, "probe-timer restorer 0.05");
	is_int(c->watches[0].count_restorer, 20, "probe-counter restorer 20");
	is_int(c->watches[0].count_watch, CONF_DEF_COUNT_WATCH,
	    "probe-counter watch default");
	is_int(c->watches[0].nactions, 2, "the fast entry: two actions");
	is_int(c->watches[0].actions[0].type, CONF_ACTION_OSPF_DOWN,
	    "action ip ospf shutdown-interface");
	is_int(c->watches[0].actions[1].type, CONF_ACTION_SHUTDOWN_ROUTE,
	    "action ipv6 shutdown-route");
	is_int(c->watches[0].actions[1].prefix.af, AF_INET6,
	    "...of an IPv6 prefix");
	is_int(c->watches[1].timer_wait, 1000, "the slow entry: every second");
	is_int(c->watches[1].timer_restorer, 200, "probe-timer restorer 0.2");
	is_int(c->watches[1].nactions, 1, "...one action");
	is_int(c->watches[1].actions[0].type, CONF_ACTION_CLEAR_SA,
	    "action clear-sa");
	is_int(c->nddns, 1, "one DDNS profile");
	is_int(c->ddns[0].type, CONF_DDNS_RFC2136, "RFC 2136");
	is_int(c->ddns[0].port, 53, "default port");
	is_int(c->ddns[0].ttl, 60, "ttl 60");
	is_int(c->ddns[0].key_secret.len, 32, "TSIG key decoded");
	is_int(c->ddns[0].nnotify, 2, "publishes A and AAAA");
	is_int(c->ddns[0].notify[0].af, AF_INET, "ppp0 -> A");
	is_int(c->ddns[0].notify[1].af, AF_INET6, "lan -> AAAA");
	is_int(c->nnameservers, 2, "two name servers");
	ok(c->trust_anchor_file == NULL, "no trust anchor (test zone unsigned)");
	is_int(c->nroutes, 2, "two static routes (IPv6: primary, backup)");
	is_int(c->routes[0].prefix.af, AF_INET6, "IPv6 only: OSPF has IPv4");
	is_int(c->routes[1].distance, 100, "the backup route has distance 100");
}

static void
test_examples(void)
{
	struct conf *h = load_example("home.conf");
	struct conf *j = load_example("jikka.conf");

	test_home_tunnels(h);
	test_home_rest(h);
	ok(!conf_equal(h, j), "the two houses differ");
	ok(conf_equal(h, h), "a conf equals itself");
	is_str(j->local_id.value, "jikka", "jikka's local identity");
	is_str(j->tunnels[0].peer_fqdn, "home.example.net", "jikka's peer");
	conf_free(h);
	conf_free(j);
}

#define MINI                                                                   \
	"ikev2 authentication psk id keyid a key char 0123456789abcdef\n"      \
	"ikev2 default-profile\n"                                              \
	"  local-authentication psk id keyid a\n"                              \
	"interface wan6\n"                                                     \
	"interface Tunnel1.0\n"                                                \
	"  tunnel mode ipsec-ikev2\n"                                          \
	"  ikev2 outgoing-interface wan6\n"                                    \
	"  ikev2 peer 2001:db8::1 authentication psk id keyid a\n"

static void
test_ike_defaults(void)
{
	struct conf *c = test_parse(MINI, NULL);
	const struct conf_ike_params *k;

	ok(c != NULL, "minimal tunnel config");
	if (c == NULL)
		return;
	k = &c->tunnels[0].ike;
	is_int(c->tunnels[0].ike_set.set, 0, "nothing written on the tunnel");
	is_int(k->sa_enc.n, 4, "default IKE enc list");
	is_int(k->sa_enc.v[0], CONF_ENC_AES_GCM16_256, "aes-gcm-256 first");
	is_int(k->sa_dh.v[0], CONF_DH_ECP256, "ecp-256 first");
	is_int(k->sa_dh.v[2], CONF_DH_MODP2048, "2048-bit last");
	is_int(k->child_pfs, CONF_PFS_OFF, "no PFS by default");
	is_int(k->sa_lifetime, CONF_DEF_SA_LIFETIME, "default sa-lifetime");
	is_int(k->child_lifetime, CONF_DEF_CHILD_LIFETIME,
	    "default child-lifetime");
	is_int(k->dpd_interval, CONF_DEF_DPD_INTERVAL, "default DPD");
	is_int(c->tunnels[0].natt_keepalive, 20, "NAT-T keepalive 20 s");
	is_int(c->tunnels[0].connect, CONF_CONNECT_AUTO, "connect-type auto");
	conf_free(c);
}

static void
test_ike_override(void)
{
	struct conf *c = test_parse(MINI "  ikev2 sa-lifetime 600\n"
	                                 "  ikev2 sa-proposal dh curve25519\n"
	                                 "ikev2 default-profile\n",
	    NULL);
	const char *text =
	    "ikev2 authentication psk id keyid a key char "
	    "0123456789abcdef\nikev2 default-profile\n  local-authentication "
	    "psk id keyid a\n  sa-lifetime 7200\n  dpd interval 5\n"
	    "  child-pfs 3072-bit\ninterface wan6\ninterface Tunnel1.0\n"
	    "  tunnel mode ipsec-ikev2\n  ikev2 peer 192.0.2.1 authentication "
	    "psk id keyid a\n  ikev2 dpd-interval 0\n";

	ok(c == NULL, "a second default-profile is refused");
	conf_free(c);
	c = test_parse(text, NULL);
	ok(c != NULL, "profile plus tunnel settings");
	if (c == NULL)
		return;
	is_int(c->tunnels[0].ike.sa_lifetime, 7200, "profile value inherited");
	is_int(c->tunnels[0].ike.child_pfs, CONF_DH_MODP3072,
	    "profile child-pfs inherited");
	is_int(c->tunnels[0].ike.dpd_interval, 0, "tunnel turns DPD off");
	is_int(c->profile.dpd_interval, 5, "IX spelling \"dpd interval\"");
	ok(test_round_trip(c), "round trip keeps profile and overrides apart");
	conf_free(c);
}

static void
test_blocks(void)
{
	char *d;
	struct conf *c;

	c = test_parse("interface lan\n  ip address 192.168.1.1/24\n"
	               "hostname x\ninterface wan\n   ! an indented comment\n"
	               "ip address 10.0.0.1/8\nexit\nhostname y\n",
	    &d);
	ok(c == NULL, "hostname twice is refused");
	is_str(d, "t.conf:8:1: error: \"hostname\" is already set on line 3\n",
	    "a top-level command leaves the block; indented ! does not");
	free(d);
	conf_free(c);
	c = test_parse("interface wan\n  ip address 10.0.0.1/8\n", NULL);
	ok(c != NULL && c->ifaces[0].naddrs == 1, "indentation is optional");
	conf_free(c);
	c = test_parse("interface eth/1\n  ip address 10.0.0.1/8\n"
	               "  ipv6 address 2001:db8::1/64\nhostname ok\n",
	    &d);
	is_str(d,
	    "t.conf:1:11: error: \"eth/1\" is not a valid interface name "
	    "(letters, digits, \"_\", \".\" and \"-\")\n",
	    "a bad block header skips its lines quietly");
	free(d);
	conf_free(c);
	c = test_parse("ddns profile x\n  hostname x.example.net\n!\n"
	               "hostname gw\n",
	    NULL);
	ok(c == NULL, "(the profile has no server)");
	conf_free(c);
}

static void
test_lexer(void)
{
	char *d;
	struct conf *c;

	c = test_parse("  hostname   \"a b\"  \n", &d);
	is_str(d,
	    "t.conf:1:14: error: hostname: \"a b\" is not a valid DNS "
	    "name\n",
	    "columns count from 1, quotes included");
	free(d);
	conf_free(c);
	c = test_parse("interface lan\n\tdescription \"say \\\"hi\\\" \\\\o/\""
	               "\r\n",
	    NULL);
	ok(c != NULL, "escapes and CRLF");
	if (c != NULL)
		is_str(c->ifaces[0].description, "say \"hi\" \\o/",
		    "\\\" and \\\\ unescaped");
	conf_free(c);
	c = test_parse("hostname a\"b\n", &d);
	is_str(d,
	    "t.conf:1:11: error: a quote inside a word (quote the whole "
	    "word instead)\n",
	    "stray quote");
	free(d);
	conf_free(c);
	c = test_parse("hostname \"ab\"c\n", &d);
	is_str(d, "t.conf:1:14: error: a blank must follow the closing quote\n",
	    "closing quote glued to a word");
	free(d);
	conf_free(c);
	c = test_parse("\xef\xbb\xbfhostname bom\n", NULL);
	ok(c != NULL && strcmp(c->hostname, "bom") == 0, "UTF-8 BOM skipped");
	conf_free(c);
}

static void
test_suggest(void)
{
	const char *cand[] = {"interface", "hostname", "watch-group"};

	is_int(suggest_distance("abc", "abc", 3), 0, "distance 0");
	is_int(suggest_distance("hostnmae", "hostname", 3), 1,
	    "a swapped pair costs 1");
	is_int(suggest_distance("kitten", "sitting", 5), 3, "kitten/sitting");
	is_int(suggest_distance("a", "abcdef", 2), 3, "capped at max + 1");
	is_str(suggest("intreface", cand, 3), "interface", "suggests");
	ok(suggest("zzz", cand, 3) == NULL, "nothing close: no guess");
	ok(suggest("hostname", cand, 3) == NULL, "never itself");
}

static void
test_messages(void)
{
	char *d;
	struct conf *c;

	c = test_parse("ip router ospf 1\n  redistribute conected\n", &d);
	is_str(d,
	    "t.conf:2:16: error: unknown command \"redistribute "
	    "conected\"; did you mean \"redistribute connected\"?\n",
	    "near miss in the second word");
	free(d);
	conf_free(c);
	c = test_parse("watch-group w 1\n  action 1 ip shutdown\n", &d);
	is_str(d,
	    "t.conf:2:15: error: unknown command \"action 1 ip "
	    "shutdown\"; expected one of: shutdown-route, ospf\n",
	    "candidates listed when none is close");
	free(d);
	conf_free(c);
	c = test_parse("interface Tunnel1.0\n  ip ospf dead-interval minimal "
	               "hello-multiplier 2\n",
	    &d);
	is_str(d,
	    "t.conf:2:50: error: ip ospf dead-interval minimal "
	    "hello-multiplier: \"2\" is out of range (3-20)\n",
	    "the longest command wins");
	free(d);
	conf_free(c);
	c = test_parse("ddns profile p\n  server rfc2136 192.0.2.1 port 0 zone "
	               "z\n",
	    &d);
	is_str(d,
	    "t.conf:2:33: error: server rfc2136: (a word not shown: this line "
	    "holds a secret) is out of range (1-65535)\n",
	    "optional group values are checked");
	free(d);
	conf_free(c);
}

/* tsunagid -n's last screen: tsunagi's part, then the OS's by owner. */
static void
test_summary(void)
{
	static const char text[] =
	    "ikev2 authentication psk id keyid home key char "
	    "\"0123456789abcdef-home\"\n"
	    "ikev2 authentication psk id keyid jikka key char "
	    "\"0123456789abcdef-home\"\n"
	    "ikev2 default-profile\n"
	    "  local-authentication psk id keyid home\n"
	    "ip route default GigaEthernet0.1\n"
	    "ppp profile isp\n"
	    "  authentication myname user@example.net\n"
	    "  keepalive interval 30\n"
	    "proxy-dns ip enable\n"
	    "interface lan\n"
	    "  proxy-dns ip enable\n"
	    "interface Tunnel1.0\n"
	    "  tunnel mode ipsec-ikev2\n"
	    "  ip unnumbered lan\n"
	    "  ikev2 outgoing-interface ppp0\n"
	    "  ikev2 peer-fqdn-ipv4 jikka.example.net authentication psk "
	    "id keyid jikka\n"
	    "ip router ospf 1\n"
	    "  area 0\n"
	    "  network Tunnel1.0 area 0\n"
	    "  network lan area 0\n"
	    "  passive-interface lan\n";
	struct conf *c = test_parse(text, NULL);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ok(c != NULL && fp != NULL && conf_print_summary(c, fp) == 0,
	    "a summary is printed");
	if (fp != NULL)
		fclose(fp);
	is_str(buf,
	    "What tsunagi runs:\n"
	    "  Tunnel1.0   IKEv2 with jikka.example.net over IPv4, out of ppp0\n"
	    "  OSPF        Tunnel1.0, lan (passive) in area 0\n"
	    "Left to the OS, by what does it on Linux (3 parts in 6 lines):\n"
	    "  pppd: ppp profile isp (6)\n"
	    "  unbound, dnsmasq or systemd-resolved; /etc/hosts: proxy-dns "
	    "(9)\n"
	    "  whatever brings the interface up: systemd-networkd, pppd, a "
	    "DHCP client:\n"
	    "    ip route default GigaEthernet0.1 (5)\n",
	    "the summary: tsunagi's part, then the OS's by what does it");
	free(buf);
	conf_free(c);
}

int
main(void)
{
	test_examples();
	test_ike_defaults();
	test_ike_override();
	test_blocks();
	test_lexer();
	test_suggest();
	test_messages();
	test_summary();
	return tap_done();
}
