/*
 * xfrmctl: the xfrm module's API as a command line, for the netns and VM
 * test scenarios (and for poking at a kernel by hand).  One command per
 * run; `monitor` runs the daemon's event loop and prints events as lines.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_addr.h>

#include <sodium.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "xfrm/xfrm.h"

#define KEYMAX 64

static struct opts {
	struct xfrm_ip src, dst, via, prefsrc, addr;
	struct xfrm_prefix sel_src, sel_dst, pfx;
	int have_src, have_dst, have_sel_src, have_sel_dst, have_pfx;
	uint32_t spi, reqid, if_id, prio, table, metric, replay;
	int esn, dir, family, encap, count;
	uint16_t encap_sport, encap_dport, port;
	unsigned mtu, uplink, timeout, hold;
	enum xfrm_enc enc;
	uint16_t enc_bits;
	enum xfrm_integ integ;
	uint8_t key[KEYMAX], ikey[KEYMAX];
	size_t keylen, ikeylen;
	struct xfrm_limits life;
	const char *name, *dev, *link;
	enum xfrm_route_type rtype;
} o;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: xfrmctl COMMAND [options]\n"
	    "  spi-alloc --src A --dst B --reqid N --if-id N\n"
	    "  sa-add|sa-update --src A --dst B --spi N --alg ALG --key HEX\n"
	    "      [--integ-key HEX] --reqid N --if-id N [--replay N] [--esn]\n"
	    "      [--encap SPORT:DPORT] [--soft-bytes N] [--hard-bytes N]\n"
	    "      [--soft-packets N] [--hard-packets N] [--soft-secs N]\n"
	    "      [--hard-secs N]\n"
	    "      ALG: gcm-aes-128 gcm-aes-256 chacha20-poly1305\n"
	    "           cbc-aes-{128,256}-sha{256,384,512}\n"
	    "  sa-get|counters|sa-del --dst B --spi N\n"
	    "  policy-add|policy-del --dir in|out|fwd --sel-src P --sel-dst P\n"
	    "      --src A --dst B --reqid N --if-id N [--prio N]\n"
	    "  link-add --name NAME --if-id N [--link IFNAME] [--mtu N]\n"
	    "  link-del|link-up|link-down --name NAME\n"
	    "  link-mtu --name NAME --mtu N\n"
	    "  mtu --uplink N --family 4|6 --alg ALG [--encap 4500:4500]\n"
	    "  addr-add|addr-del --dev NAME --addr A\n"
	    "  route-add|route-replace|route-del --dst P [--via G] [--dev "
	    "NAME]\n"
	    "      [--table N] [--metric N] [--src A] [--type "
	    "unicast|blackhole|"
	    "unreachable]\n"
	    "  route-flush [--family 4|6] [--table N]\n"
	    "  rule-add|rule-del --from P --table N --prio N\n"
	    "  srcroute-add|srcroute-del --from A --dev NAME --table N --prio "
	    "N\n"
	    "  monitor [--timeout S] [--count N]\n"
	    "  encap-listen --port N [--family 4|6] [--hold S]\n"
	    "  cleanup\n"
	    "  batch  (commands as above, one per line on stdin)\n");
	exit(2);
}

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xfrmctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static uint64_t
num(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno != 0)
		die("bad number \"%s\"", s);
	return v;
}

static uint32_t
num32(const char *s)
{
	uint64_t v = num(s);

	if (v > UINT32_MAX)
		die("number too large: %s", s);
	return (uint32_t)v;
}

static void
ip(const char *s, struct xfrm_ip *a)
{
	if (xfrm_ip_parse(s, a) == -1)
		die("bad address \"%s\"", s);
}

static void
prefix(const char *s, struct xfrm_prefix *p)
{
	if (xfrm_prefix_parse(s, p) == -1)
		die("bad prefix \"%s\"", s);
}

static size_t
hex(const char *s, uint8_t *out)
{
	size_t bin_len;

	if (strncmp(s, "0x", 2) == 0)
		s += 2;
	if (sodium_hex2bin(out, KEYMAX, s, strlen(s), NULL, &bin_len, NULL) !=
	        0 ||
	    bin_len * 2 != strlen(s))
		die("bad hex key \"%s\"", "(not shown)");
	return bin_len;
}

static void
alg(const char *s)
{
	unsigned bits, sha;

	o.integ = XFRM_INTEG_NONE;
	if (strcmp(s, "gcm-aes-128") == 0 || strcmp(s, "gcm-aes-256") == 0) {
		o.enc = XFRM_ENC_AES_GCM_16;
		o.enc_bits = (uint16_t)atoi(s + 8);
	} else if (strcmp(s, "chacha20-poly1305") == 0) {
		o.enc = XFRM_ENC_CHACHA20_POLY1305;
		o.enc_bits = 256;
	} else if (sscanf(s, "cbc-aes-%u-sha%u", &bits, &sha) == 2) {
		o.enc = XFRM_ENC_AES_CBC;
		o.enc_bits = (uint16_t)bits;
		if (sha == 256)
			o.integ = XFRM_INTEG_HMAC_SHA2_256_128;
		else if (sha == 384)
			o.integ = XFRM_INTEG_HMAC_SHA2_384_192;
		else if (sha == 512)
			o.integ = XFRM_INTEG_HMAC_SHA2_512_256;
		else
			die("bad integrity algorithm in \"%s\"", s);
	} else
		die("unknown algorithm \"%s\"", s);
}

static void
ports(const char *s)
{
	unsigned a, b;

	if (sscanf(s, "%u:%u", &a, &b) != 2 || a == 0 || b == 0 || a > 65535 ||
	    b > 65535)
		die("bad --encap \"%s\" (SPORT:DPORT)", s);
	o.encap = 1;
	o.encap_sport = (uint16_t)a;
	o.encap_dport = (uint16_t)b;
}

static int
ifindex_of(const char *name)
{
	unsigned i;

	if (name == NULL)
		return 0;
	if ((i = if_nametoindex(name)) == 0)
		die("no interface \"%s\"", name);
	return (int)i;
}

enum {
	O_SRC = 256,
	O_DST,
	O_SPI,
	O_ALG,
	O_KEY,
	O_IKEY,
	O_REQID,
	O_IFID,
	O_REPLAY,
	O_ESN,
	O_ENCAP,
	O_SB,
	O_HB,
	O_SP,
	O_HP,
	O_SS,
	O_HS,
	O_DIR,
	O_SELS,
	O_SELD,
	O_PRIO,
	O_NAME,
	O_LINK,
	O_MTU,
	O_UPLINK,
	O_FAMILY,
	O_DEV,
	O_ADDR,
	O_VIA,
	O_TABLE,
	O_METRIC,
	O_TYPE,
	O_FROM,
	O_TIMEOUT,
	O_COUNT,
	O_PORT,
	O_HOLD,
	O_RSRC,
};

static const struct option longopts[] = {
    {"src", 1, NULL, O_SRC},
    {"dst", 1, NULL, O_DST},
    {"spi", 1, NULL, O_SPI},
    {"alg", 1, NULL, O_ALG},
    {"key", 1, NULL, O_KEY},
    {"integ-key", 1, NULL, O_IKEY},
    {"reqid", 1, NULL, O_REQID},
    {"if-id", 1, NULL, O_IFID},
    {"replay", 1, NULL, O_REPLAY},
    {"esn", 0, NULL, O_ESN},
    {"encap", 1, NULL, O_ENCAP},
    {"soft-bytes", 1, NULL, O_SB},
    {"hard-bytes", 1, NULL, O_HB},
    {"soft-packets", 1, NULL, O_SP},
    {"hard-packets", 1, NULL, O_HP},
    {"soft-secs", 1, NULL, O_SS},
    {"hard-secs", 1, NULL, O_HS},
    {"dir", 1, NULL, O_DIR},
    {"sel-src", 1, NULL, O_SELS},
    {"sel-dst", 1, NULL, O_SELD},
    {"prio", 1, NULL, O_PRIO},
    {"name", 1, NULL, O_NAME},
    {"link", 1, NULL, O_LINK},
    {"mtu", 1, NULL, O_MTU},
    {"uplink", 1, NULL, O_UPLINK},
    {"family", 1, NULL, O_FAMILY},
    {"dev", 1, NULL, O_DEV},
    {"addr", 1, NULL, O_ADDR},
    {"via", 1, NULL, O_VIA},
    {"table", 1, NULL, O_TABLE},
    {"metric", 1, NULL, O_METRIC},
    {"type", 1, NULL, O_TYPE},
    {"from", 1, NULL, O_FROM},
    {"timeout", 1, NULL, O_TIMEOUT},
    {"count", 1, NULL, O_COUNT},
    {"port", 1, NULL, O_PORT},
    {"hold", 1, NULL, O_HOLD},
    {"route-src", 1, NULL, O_RSRC},
    {NULL, 0, NULL, 0},
};

static void
opt_dir(const char *s)
{
	if (strcmp(s, "in") == 0)
		o.dir = XFRM_DIR_IN;
	else if (strcmp(s, "out") == 0)
		o.dir = XFRM_DIR_OUT;
	else if (strcmp(s, "fwd") == 0)
		o.dir = XFRM_DIR_FWD;
	else
		die("bad --dir \"%s\"", s);
}

static void
opt_type(const char *s)
{
	if (strcmp(s, "unicast") == 0)
		o.rtype = XFRM_ROUTE_UNICAST;
	else if (strcmp(s, "blackhole") == 0)
		o.rtype = XFRM_ROUTE_BLACKHOLE;
	else if (strcmp(s, "unreachable") == 0)
		o.rtype = XFRM_ROUTE_UNREACHABLE;
	else
		die("bad --type \"%s\"", s);
}

static void
opt_one(int c, const char *arg)
{
	switch (c) {
	case O_SRC:
		ip(arg, &o.src);
		o.have_src = 1;
		break;
	case O_DST:
		/* an address (SAs, policies) or a prefix (routes) */
		prefix(arg, &o.pfx);
		o.have_pfx = 1;
		o.dst = o.pfx.ip;
		o.have_dst = 1;
		break;
	case O_SPI:
		o.spi = num32(arg);
		break;
	case O_ALG:
		alg(arg);
		break;
	case O_KEY:
		o.keylen = hex(arg, o.key);
		break;
	case O_IKEY:
		o.ikeylen = hex(arg, o.ikey);
		break;
	case O_REQID:
		o.reqid = num32(arg);
		break;
	case O_IFID:
		o.if_id = num32(arg);
		break;
	case O_REPLAY:
		o.replay = num32(arg);
		break;
	case O_ESN:
		o.esn = 1;
		break;
	case O_ENCAP:
		ports(arg);
		break;
	case O_SB:
		o.life.soft_bytes = num(arg);
		break;
	case O_HB:
		o.life.hard_bytes = num(arg);
		break;
	case O_SP:
		o.life.soft_packets = num(arg);
		break;
	case O_HP:
		o.life.hard_packets = num(arg);
		break;
	case O_SS:
		o.life.soft_secs = num(arg);
		break;
	case O_HS:
		o.life.hard_secs = num(arg);
		break;
	case O_DIR:
		opt_dir(arg);
		break;
	case O_SELS:
		prefix(arg, &o.sel_src);
		o.have_sel_src = 1;
		break;
	case O_SELD:
		prefix(arg, &o.sel_dst);
		o.have_sel_dst = 1;
		break;
	case O_PRIO:
		o.prio = num32(arg);
		break;
	case O_NAME:
		o.name = arg;
		break;
	case O_LINK:
		o.link = arg;
		break;
	case O_MTU:
		o.mtu = num32(arg);
		break;
	case O_UPLINK:
		o.uplink = num32(arg);
		break;
	case O_FAMILY:
		o.family = num32(arg) == 6 ? AF_INET6 : AF_INET;
		break;
	case O_DEV:
		o.dev = arg;
		break;
	case O_ADDR:
		ip(arg, &o.addr);
		break;
	case O_VIA:
		ip(arg, &o.via);
		break;
	case O_TABLE:
		o.table = num32(arg);
		break;
	case O_METRIC:
		o.metric = num32(arg);
		break;
	case O_TYPE:
		opt_type(arg);
		break;
	case O_FROM:
		prefix(arg, &o.pfx);
		o.have_pfx = 1;
		break;
	case O_TIMEOUT:
		o.timeout = num32(arg);
		break;
	case O_COUNT:
		o.count = (int)num32(arg);
		break;
	case O_PORT:
		o.port = (uint16_t)num32(arg);
		break;
	case O_HOLD:
		o.hold = num32(arg);
		break;
	case O_RSRC:
		ip(arg, &o.prefsrc);
		break;
	default:
		usage();
	}
}

static void
need(int cond, const char *what)
{
	if (!cond)
		die("missing %s", what);
}

/* --- commands ------------------------------------------------------------- */

/* The module has logged xfrm_last_error() to stderr already. */
static int
fail(void)
{
	return 1;
}

static int
cmd_spi_alloc(void)
{
	uint32_t spi;

	need(o.have_src && o.have_dst, "--src/--dst");
	if (xfrm_spi_alloc(&o.src, &o.dst, o.reqid, o.if_id, &spi) == -1)
		return fail();
	printf("0x%08x\n", spi);
	return 0;
}

static int
cmd_sa_add(int update)
{
	struct xfrm_sa sa;
	int rc;

	need(o.have_src && o.have_dst && o.spi && o.enc && o.keylen,
	    "--src/--dst/--spi/--alg/--key");
	memset(&sa, 0, sizeof(sa));
	sa.src = o.src;
	sa.dst = o.dst;
	sa.spi = o.spi;
	sa.reqid = o.reqid;
	sa.if_id = o.if_id;
	sa.enc = o.enc;
	sa.enc_bits = o.enc_bits;
	sa.enc_key = o.key;
	sa.enc_key_len = o.keylen;
	sa.integ = o.integ;
	sa.integ_key = o.ikeylen ? o.ikey : NULL;
	sa.integ_key_len = o.ikeylen;
	sa.replay_window = o.replay;
	sa.esn = o.esn;
	sa.life = o.life;
	sa.encap_sport = o.encap_sport;
	sa.encap_dport = o.encap_dport;
	rc = update ? xfrm_sa_update(&sa) : xfrm_sa_add(&sa);
	sodium_memzero(o.key, sizeof(o.key));
	sodium_memzero(o.ikey, sizeof(o.ikey));
	return rc == -1 ? fail() : 0;
}

static int
cmd_sa_get(int brief)
{
	struct xfrm_sa_status st;
	char s[64], d[64];

	need(o.have_dst && o.spi, "--dst/--spi");
	if (xfrm_sa_get(&o.dst, o.spi, &st) == -1)
		return fail();
	if (brief) {
		printf("bytes=%" PRIu64 " packets=%" PRIu64
		       " replay_drops=%u integrity_failed=%u oseq=%" PRIu64
		       " seq=%" PRIu64 "\n",
		    st.bytes, st.packets, st.replay_drops, st.integrity_failed,
		    st.oseq, st.seq);
		return 0;
	}
	printf("src=%s dst=%s spi=0x%08x proto=%u mode=%u reqid=0x%x "
	       "if_id=0x%x flags=0x%x replay_window=%u esn=%d larval=%d\n",
	    xfrm_ip_fmt(&st.src, s, sizeof(s)),
	    xfrm_ip_fmt(&st.dst, d, sizeof(d)), st.spi, st.proto, st.mode,
	    st.reqid, st.if_id, st.flags, st.replay_window,
	    (st.flags & 128) != 0, st.larval);
	printf("bytes=%" PRIu64 " packets=%" PRIu64 " add_time=%" PRIu64
	       " use_time=%" PRIu64 " oseq=%" PRIu64 " seq=%" PRIu64 "\n",
	    st.bytes, st.packets, st.add_time, st.use_time, st.oseq, st.seq);
	printf("soft_bytes=%" PRIu64 " hard_bytes=%" PRIu64
	       " soft_secs=%" PRIu64 " hard_secs=%" PRIu64 " encap=%u:%u\n",
	    st.life.soft_bytes, st.life.hard_bytes, st.life.soft_secs,
	    st.life.hard_secs, st.encap_sport, st.encap_dport);
	return 0;
}

static int
cmd_sa_del(void)
{
	need(o.have_dst && o.spi, "--dst/--spi");
	return xfrm_sa_delete(&o.dst, o.spi) == -1 ? fail() : 0;
}

static int
cmd_policy(int add)
{
	struct xfrm_policy pol;

	need(o.have_sel_src && o.have_sel_dst && o.have_src && o.have_dst,
	    "--sel-src/--sel-dst/--src/--dst");
	memset(&pol, 0, sizeof(pol));
	pol.dir = (enum xfrm_dir)o.dir;
	pol.sel_src = o.sel_src;
	pol.sel_dst = o.sel_dst;
	pol.src = o.src;
	pol.dst = o.dst;
	pol.reqid = o.reqid;
	pol.if_id = o.if_id;
	pol.priority = o.prio;
	if ((add ? xfrm_policy_add(&pol) : xfrm_policy_delete(&pol)) == -1)
		return fail();
	return 0;
}

static int
cmd_link(const char *cmd)
{
	int ifindex;

	need(o.name != NULL, "--name");
	if (strcmp(cmd, "link-add") == 0) {
		if (xfrm_link_add(o.name, o.if_id, ifindex_of(o.link), o.mtu,
		        &ifindex) == -1)
			return fail();
		printf("%d\n", ifindex);
		return 0;
	}
	ifindex = ifindex_of(o.name);
	if (strcmp(cmd, "link-del") == 0)
		return xfrm_link_delete(ifindex) == -1 ? fail() : 0;
	if (strcmp(cmd, "link-up") == 0 || strcmp(cmd, "link-down") == 0)
		return xfrm_link_set_up(ifindex, cmd[5] == 'u') == -1 ? fail()
		                                                      : 0;
	need(o.mtu != 0, "--mtu");
	return xfrm_link_set_mtu(ifindex, o.mtu) == -1 ? fail() : 0;
}

static int
cmd_mtu(void)
{
	unsigned m;

	need(o.uplink && o.enc, "--uplink/--alg");
	m = xfrm_mtu(
	    o.uplink, o.family ? o.family : AF_INET, o.enc, o.integ, o.encap);
	if (m == 0)
		die("%s", "no MTU fits");
	printf("%u\n", m);
	return 0;
}

static int
cmd_addr(int add)
{
	int ifindex;

	need(o.dev != NULL && o.addr.family != 0, "--dev/--addr");
	ifindex = ifindex_of(o.dev);
	if ((add ? xfrm_link_addr_add(ifindex, &o.addr)
	         : xfrm_link_addr_delete(ifindex, &o.addr)) == -1)
		return fail();
	return 0;
}

static int
cmd_route(const char *cmd)
{
	struct xfrm_route rt;
	int rc;

	need(o.have_pfx, "--dst");
	memset(&rt, 0, sizeof(rt));
	rt.dst = o.pfx;
	rt.gateway = o.via;
	rt.prefsrc = o.prefsrc;
	rt.oif = ifindex_of(o.dev);
	rt.table = o.table;
	rt.metric = o.metric;
	rt.type = o.rtype;
	if (strcmp(cmd, "route-add") == 0)
		rc = xfrm_route_add(&rt);
	else if (strcmp(cmd, "route-replace") == 0)
		rc = xfrm_route_replace(&rt);
	else if ((rc = xfrm_route_delete(&rt)) == -1 && errno == ESRCH)
		/* The module keeps quiet about a route already gone. */
		fprintf(stderr, "%s\n", xfrm_last_error());
	return rc == -1 ? fail() : 0;
}

static int
cmd_rule(int add)
{
	struct xfrm_rule r;

	need(o.have_pfx && o.table && o.prio, "--from/--table/--prio");
	memset(&r, 0, sizeof(r));
	r.src = o.pfx;
	r.table = o.table;
	r.priority = o.prio;
	return (add ? xfrm_rule_add(&r) : xfrm_rule_delete(&r)) == -1 ? fail()
	                                                              : 0;
}

static int
cmd_srcroute(int add)
{
	int ifindex;

	need(o.have_pfx && o.dev && o.table && o.prio,
	    "--from/--dev/--table/--prio");
	ifindex = ifindex_of(o.dev);
	if ((add ? xfrm_source_route_add(&o.pfx.ip, ifindex, o.table, o.prio)
	         : xfrm_source_route_delete(
	               &o.pfx.ip, ifindex, o.table, o.prio)) == -1)
		return fail();
	return 0;
}

static int
cmd_cleanup(void)
{
	struct xfrm_cleanup_counts c;
	int rc = xfrm_cleanup(&c);

	printf("sa=%u policy=%u route=%u rule=%u link=%u\n", c.sa, c.policy,
	    c.route, c.rule, c.link);
	return rc == -1 ? 1 : 0;
}

/* --- monitor ----------------------------------------------------------------
 */

static int mon_events;

static void
mon_counted(void)
{
	if (o.count > 0 && ++mon_events >= o.count)
		ev_break();
}

static void
mon_sync_begin(void *arg)
{
	printf("sync begin\n");
}

static void
mon_sync_end(void *arg)
{
	printf("sync end\n");
}

static void
mon_link(const struct xfrm_link_event *ev, void *arg)
{
	printf("link %s ifindex=%d ifname=%s flags=0x%x mtu=%u operstate=%u "
	       "kind=%s if_id=0x%x link=%d\n",
	    ev->type == XFRM_EVENT_NEW ? "new" : "del", ev->ifindex, ev->ifname,
	    ev->flags, ev->mtu, ev->operstate, ev->kind[0] ? ev->kind : "-",
	    ev->xfrm_if_id, ev->link);
	mon_counted();
}

static const char *
lft(uint32_t v, char *buf, size_t size)
{
	if (v == XFRM_LFT_FOREVER)
		return "forever";
	snprintf(buf, size, "%u", v);
	return buf;
}

static void
mon_addr(const struct xfrm_addr_event *ev, void *arg)
{
	char a[64], p[64], v[16], pr[16];

	printf("addr %s ifindex=%d ifname=%s family=%s addr=%s/%u peer=%s "
	       "scope=%u flags=0x%x%s%s%s valid=%s preferred=%s\n",
	    ev->type == XFRM_EVENT_NEW ? "new" : "del", ev->ifindex,
	    ev->ifname[0] ? ev->ifname : "-",
	    ev->addr.family == AF_INET ? "inet" : "inet6",
	    xfrm_ip_fmt(&ev->addr, a, sizeof(a)), ev->prefixlen,
	    xfrm_ip_fmt(&ev->peer, p, sizeof(p)), ev->scope, ev->flags,
	    (ev->flags & IFA_F_DEPRECATED) ? " deprecated" : "",
	    (ev->flags & IFA_F_TEMPORARY) && ev->addr.family == AF_INET6
	        ? " temporary"
	        : "",
	    (ev->flags & IFA_F_PERMANENT) ? " permanent" : "",
	    lft(ev->valid_lft, v, sizeof(v)),
	    lft(ev->preferred_lft, pr, sizeof(pr)));
	mon_counted();
}

static void
mon_expire(const struct xfrm_expire_event *ev, void *arg)
{
	char s[64], d[64];

	printf("expire %s spi=0x%08x src=%s dst=%s reqid=0x%x if_id=0x%x "
	       "bytes=%" PRIu64 " packets=%" PRIu64 "\n",
	    ev->hard ? "hard" : "soft", ev->spi,
	    xfrm_ip_fmt(&ev->src, s, sizeof(s)),
	    xfrm_ip_fmt(&ev->dst, d, sizeof(d)), ev->reqid, ev->if_id,
	    ev->bytes, ev->packets);
	mon_counted();
}

static void
mon_acquire(const struct xfrm_acquire_event *ev, void *arg)
{
	char s[64], d[64], ss[64], sd[64];

	printf("acquire src=%s dst=%s sel=%s/%u->%s/%u proto=%u reqid=0x%x "
	       "if_id=0x%x dir=%d\n",
	    xfrm_ip_fmt(&ev->src, s, sizeof(s)),
	    xfrm_ip_fmt(&ev->dst, d, sizeof(d)),
	    xfrm_ip_fmt(&ev->sel_src.ip, ss, sizeof(ss)), ev->sel_src.len,
	    xfrm_ip_fmt(&ev->sel_dst.ip, sd, sizeof(sd)), ev->sel_dst.len,
	    ev->sel_proto, ev->reqid, ev->if_id, ev->dir);
	mon_counted();
}

static void
mon_lost(void *arg)
{
	printf("lost\n");
}

static void
mon_timeout(void *arg)
{
	ev_break();
}

static int
cmd_monitor(void)
{
	static const struct xfrm_monitor_cbs cbs = {mon_sync_begin,
	    mon_sync_end, mon_link, mon_addr, mon_expire, mon_acquire,
	    mon_lost};
	struct ev_timer t;
	int id;

	if (ev_init() == -1)
		return 1;
	if ((id = xfrm_monitor_add(&cbs, NULL)) == -1) {
		ev_fini();
		return 1;
	}
	printf("ready\n");
	if (o.timeout > 0) {
		ev_timer_set(&t, mon_timeout, NULL);
		ev_timer_add(&t, (uint64_t)o.timeout * 1000);
	}
	ev_run();
	if (o.timeout > 0)
		ev_timer_del(&t);
	xfrm_monitor_del(id);
	ev_fini();
	return 0;
}

/* A UDP socket as IKE's port-4500 socket: ESP-in-UDP on, IPsec bypassed. */
static int
cmd_encap_listen(void)
{
	int family = o.family ? o.family : AF_INET, fd;
	struct sockaddr_storage ss;
	socklen_t len;

	need(o.port != 0, "--port");
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(o.port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(o.port);
		len = sizeof(*sin6);
	}
	if ((fd = socket(family, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&ss, len) == -1) {
		perror("xfrmctl: socket/bind");
		return 1;
	}
	if (xfrm_udp_encap_enable(fd) == -1 ||
	    xfrm_socket_bypass(fd, family) == -1)
		return fail();
	printf("listening\n");
	fflush(stdout);
	sleep(o.hold ? o.hold : 1);
	close(fd);
	return 0;
}

static int
run(const char *cmd)
{
	if (strcmp(cmd, "mtu") == 0)
		return cmd_mtu();
	if (strcmp(cmd, "encap-listen") == 0)
		return cmd_encap_listen();
	if (strcmp(cmd, "monitor") == 0)
		return cmd_monitor();
	if (xfrm_init() == -1)
		return 1;
	if (strcmp(cmd, "spi-alloc") == 0)
		return cmd_spi_alloc();
	if (strcmp(cmd, "sa-add") == 0 || strcmp(cmd, "sa-update") == 0)
		return cmd_sa_add(cmd[3] == 'u');
	if (strcmp(cmd, "sa-get") == 0 || strcmp(cmd, "counters") == 0)
		return cmd_sa_get(cmd[0] == 'c');
	if (strcmp(cmd, "sa-del") == 0)
		return cmd_sa_del();
	if (strcmp(cmd, "policy-add") == 0 || strcmp(cmd, "policy-del") == 0)
		return cmd_policy(cmd[7] == 'a');
	if (strncmp(cmd, "link-", 5) == 0)
		return cmd_link(cmd);
	if (strcmp(cmd, "addr-add") == 0 || strcmp(cmd, "addr-del") == 0)
		return cmd_addr(cmd[5] == 'a');
	if (strcmp(cmd, "route-flush") == 0)
		return xfrm_route_flush(o.family, o.table) == -1 ? fail() : 0;
	if (strncmp(cmd, "route-", 6) == 0)
		return cmd_route(cmd);
	if (strcmp(cmd, "rule-add") == 0 || strcmp(cmd, "rule-del") == 0)
		return cmd_rule(cmd[5] == 'a');
	if (strcmp(cmd, "srcroute-add") == 0 ||
	    strcmp(cmd, "srcroute-del") == 0)
		return cmd_srcroute(cmd[9] == 'a');
	if (strcmp(cmd, "cleanup") == 0)
		return cmd_cleanup();
	usage();
	return 2;
}

/* One command: argv[0] is its name, options follow. */
static int
run_args(int argc, char **argv)
{
	int c;

	memset(&o, 0, sizeof(o));
	optind = 0; /* GNU getopt: start afresh (batch runs many) */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		opt_one(c, optarg);
	if (optind != argc)
		usage();
	return run(argv[0]);
}

/*
 * batch: one command per line on stdin, run in this one process (the VM
 * spawns processes slowly).  Stops at the first failing line.  Lines may
 * hold keys: wiped after use.
 */
static int
cmd_batch(void)
{
	char *line = NULL, *args[64], *p;
	size_t cap = 0;
	ssize_t len;
	int n, lineno = 0, rc = 0;

	while (rc == 0 && (len = getline(&line, &cap, stdin)) != -1) {
		lineno++;
		n = 0;
		for (p = strtok(line, " \t\n"); p != NULL && n < 63;
		     p = strtok(NULL, " \t\n"))
			args[n++] = p;
		args[n] = NULL;
		if (n == 0 || args[0][0] == '#')
			continue;
		if (strcmp(args[0], "monitor") == 0 ||
		    strcmp(args[0], "batch") == 0 ||
		    strcmp(args[0], "encap-listen") == 0)
			die("\"%s\" cannot run in a batch", args[0]);
		if ((rc = run_args(n, args)) != 0)
			fprintf(stderr, "xfrmctl: batch line %d (%s) failed\n",
			    lineno, args[0]);
		sodium_memzero(line, cap);
	}
	if (line != NULL) {
		sodium_memzero(line, cap);
		free(line);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	int rc;

	if (argc < 2 || argv[1][0] == '-')
		usage();
	if (sodium_init() == -1)
		return 1;
	log_init("xfrmctl", 1, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "batch") == 0)
		rc = argc == 2 ? cmd_batch() : 2;
	else
		rc = run_args(argc - 1, argv + 1);
	xfrm_fini();
	return rc;
}
