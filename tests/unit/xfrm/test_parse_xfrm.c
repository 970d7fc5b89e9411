/*
 * test_parse_xfrm: canned NETLINK_XFRM messages as the kernel sends them
 * (GETSA answers, EXPIRE, ACQUIRE, policy dumps), written by hand, and
 * broken variants that must be refused without reading past the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"
#include "xfrm/codec.h"

#define INF 0xffffffffffffffffull

/* A parser sees a message in a buffer of exactly its length (for ASan). */
static struct nlmsghdr *
copy(const struct exp *e, size_t len)
{
	struct nlmsghdr *nlh = malloc(len);

	memcpy(nlh, e->b, len);
	return nlh;
}

/* xfrm_usersa_info as the kernel fills it for an installed SA. */
static void
e_usersa(struct exp *e, uint32_t spi, uint64_t bytes, uint64_t packets)
{
	e_zero(e, 40); /* sel addresses and ports */
	e_u16(e, 0);   /* sel family: AF_UNSPEC */
	e_zero(e, 14);
	e_a4_16(e, 203, 0, 113, 10); /* id.daddr */
	e_be32(e, spi);
	e_u8(e, 50);
	e_zero(e, 3);
	e_a4_16(e, 198, 51, 100, 10); /* saddr */
	e_u64(e, 1000);               /* soft bytes */
	e_u64(e, INF);
	e_u64(e, INF);
	e_u64(e, INF);
	e_u64(e, 3000); /* soft add */
	e_u64(e, 3600); /* hard add */
	e_u64(e, 0);
	e_u64(e, 0);
	e_u64(e, bytes); /* curlft */
	e_u64(e, packets);
	e_u64(e, 1700000000);
	e_u64(e, 1700000005);
	e_u32(e, 0); /* stats.replay_window */
	e_u32(e, 3); /* stats.replay */
	e_u32(e, 4); /* stats.integrity_failed */
	e_u32(e, 0); /* seq */
	e_u32(e, 0x74730001);
	e_u16(e, 2);
	e_u8(e, 1);
	e_u8(e, 0);
	e_u8(e, 0xa0);
	e_zero(e, 7);
}

static void
e_sa_attrs(struct exp *e)
{
	e_attr(e, 96, 18); /* XFRMA_ALG_AEAD, key zeroed */
	e_str(e, "rfc4106(gcm(aes))", 64);
	e_u32(e, 160);
	e_u32(e, 128);
	e_zero(e, 20);
	e_attr(e, 12, 15); /* XFRMA_LASTUSED */
	e_u64(e, 1700000005);
	e_attr(e, 36, 23); /* XFRMA_REPLAY_ESN_VAL */
	e_u32(e, 2);
	e_u32(e, 7); /* oseq */
	e_u32(e, 5); /* seq */
	e_u32(e, 1); /* oseq_hi */
	e_u32(e, 0); /* seq_hi */
	e_u32(e, 64);
	e_zero(e, 8);
	e_attr(e, 28, 4); /* XFRMA_ENCAP */
	e_u16(e, 2);
	e_be16(e, 4500);
	e_be16(e, 4501);
	e_zero(e, 18);
	e_attr(e, 8, 31);
	e_u32(e, 0x74730002);
}

static void
test_sa(void)
{
	struct exp e = {.n = 0};
	struct xfrm_sa_status st;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 0x10, 0);
	e_usersa(&e, 0xc0000001, 123456, 789);
	e_sa_attrs(&e);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == 0, "a GETSA answer parses");
	is_str(xfrm_ip_fmt(&st.src, a, sizeof(a)), "198.51.100.10", "src");
	is_str(xfrm_ip_fmt(&st.dst, a, sizeof(a)), "203.0.113.10", "dst");
	is_int(st.spi, 0xc0000001, "spi in host order");
	is_int(st.reqid, 0x74730001, "reqid");
	is_int(st.if_id, 0x74730002, "if_id from XFRMA_IF_ID");
	is_int(st.bytes, 123456, "byte counter");
	is_int(st.packets, 789, "packet counter");
	is_int(st.replay_drops, 3, "replay drops");
	is_int(st.integrity_failed, 4, "integrity failures");
	is_int(st.replay_window, 64, "window from the ESN state");
	ok(st.oseq == ((uint64_t)1 << 32 | 7), "64-bit ESN output sequence");
	is_int(st.seq, 5, "input sequence");
	is_int(st.life.soft_bytes, 1000, "soft byte limit");
	is_int(st.life.hard_bytes, 0, "XFRM_INF reads as 0 (no limit)");
	is_int(st.life.hard_secs, 3600, "hard seconds");
	is_int(st.encap_sport, 4500, "encap sport");
	is_int(st.encap_dport, 4501, "encap dport");
	is_int(st.larval, 0, "an SA with an algorithm is not larval");
	free(nlh);

	/* The same, truncated at every length: never accepted broken. */
	{
		size_t cut;
		int bad = 0;

		for (cut = 16; cut < e.n; cut++) {
			struct exp t = e;

			memcpy(t.b, &(uint32_t){(uint32_t)cut}, 4);
			nlh = copy(&t, cut);
			/* a cut between attributes is a valid shorter SA */
			if (xfrm_parse_sa(nlh, &st) == 0 && cut < 240)
				bad++;
			free(nlh);
		}
		is_int(bad, 0, "no truncation inside the fixed part parses");
	}
}

static void
test_sa_broken(void)
{
	struct exp e = {.n = 0};
	struct xfrm_sa_status st;
	struct nlmsghdr *nlh;
	size_t attrs;

	e_nlh(&e, 0, 0x10, 0);
	e_usersa(&e, 0xc0000001, 0, 0);
	attrs = e.n;
	e_attr(&e, 6, 31); /* XFRMA_IF_ID with 2 bytes */
	e_u16(&e, 1);
	e_pad(&e);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == -1 && errno == ERANGE,
	    "XFRMA_IF_ID of 2 bytes is refused");
	free(nlh);

	e.n = attrs;
	e_attr(&e, 28, 23); /* ESN state announcing 100 bitmap words */
	e_u32(&e, 100);
	e_zero(&e, 20);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == -1,
	    "ESN bitmap longer than the attribute");
	free(nlh);

	e.n = attrs;
	e_attr(&e, 200, 4); /* attribute longer than the message */
	e_zero(&e, 24);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == -1, "attribute running past the end");
	free(nlh);

	e.n = attrs;
	e_attr(&e, 2, 4); /* nla_len below the header size */
	e_zero(&e, 2);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == -1, "attribute length below 4");
	free(nlh);

	e.n = attrs;
	e_attr(&e, 20, 4); /* XFRMA_ENCAP shorter than xfrm_encap_tmpl */
	e_zero(&e, 16);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == -1, "short XFRMA_ENCAP");
	free(nlh);

	e.n = attrs;
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_sa(nlh, &st) == 0 && st.larval,
	    "no algorithm attribute: larval (SPI allocated only)");
	nlh->nlmsg_type = 0x18;
	ok(xfrm_parse_sa(nlh, &st) == -1, "an EXPIRE is not an SA");
	free(nlh);
}

static void
test_expire(void)
{
	struct exp e = {.n = 0};
	struct xfrm_expire_event ev;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 0x18 /* XFRM_MSG_EXPIRE */, 0);
	e_usersa(&e, 0xc0000002, 2000, 20);
	e_u8(&e, 1); /* hard */
	e_zero(&e, 7);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730003);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_expire(nlh, &ev) == 0, "EXPIRE parses");
	is_int(ev.hard, 1, "hard expire");
	is_int(ev.spi, 0xc0000002, "spi");
	is_int(ev.reqid, 0x74730001, "reqid");
	is_int(ev.if_id, 0x74730003, "if_id");
	is_int(ev.bytes, 2000, "bytes at expiry");
	is_str(xfrm_ip_fmt(&ev.dst, a, sizeof(a)), "203.0.113.10", "dst");
	free(nlh);
	nlh = copy(&e, 16 + 224);
	nlh->nlmsg_len = 16 + 224;
	ok(xfrm_parse_expire(nlh, &ev) == -1, "EXPIRE without its hard byte");
	free(nlh);
}

static void
e_tmpl(struct exp *e, uint32_t reqid)
{
	e_a4_16(e, 203, 0, 113, 10);
	e_be32(e, 0);
	e_u8(e, 50);
	e_zero(e, 3);
	e_u16(e, 2);
	e_zero(e, 2);
	e_a4_16(e, 198, 51, 100, 10);
	e_u32(e, reqid);
	e_u8(e, 1);
	e_zero(e, 3);
	e_u32(e, ~0u);
	e_u32(e, ~0u);
	e_u32(e, ~0u);
}

/* xfrm_userpolicy_info for "192.168.1.0/24 -> 0.0.0.0/0 out". */
static void
e_userpolicy(struct exp *e, uint32_t index)
{
	e_zero(e, 16);              /* sel.daddr */
	e_a4_16(e, 192, 168, 1, 0); /* sel.saddr */
	e_zero(e, 8);
	e_u16(e, 2);
	e_u8(e, 0);
	e_u8(e, 24);
	e_u8(e, 1); /* ICMP */
	e_zero(e, 11);
	e_u64(e, INF);
	e_u64(e, INF);
	e_u64(e, INF);
	e_u64(e, INF);
	e_zero(e, 32 + 32);
	e_u32(e, 100);   /* priority */
	e_u32(e, index); /* index */
	e_u8(e, 1);      /* dir out */
	e_zero(e, 7);
}

static void
test_acquire(void)
{
	struct exp e = {.n = 0};
	struct xfrm_acquire_event ev;
	struct nlmsghdr *nlh;
	char a[64];

	e_nlh(&e, 0, 0x17 /* XFRM_MSG_ACQUIRE */, 0);
	e_a4_16(&e, 203, 0, 113, 10); /* id.daddr */
	e_be32(&e, 0);
	e_u8(&e, 50);
	e_zero(&e, 3);
	e_a4_16(&e, 198, 51, 100, 10); /* saddr */
	/* sel: the packet, 192.168.1.2 -> 192.168.2.2 ICMP */
	e_a4_16(&e, 192, 168, 2, 2);
	e_a4_16(&e, 192, 168, 1, 2);
	e_zero(&e, 8);
	e_u16(&e, 2);
	e_u8(&e, 32);
	e_u8(&e, 32);
	e_u8(&e, 1);
	e_zero(&e, 11);
	e_userpolicy(&e, 0x1a1);
	e_u32(&e, 0); /* aalgos */
	e_u32(&e, 0);
	e_u32(&e, 0);
	e_u32(&e, 42); /* seq */
	e_attr(&e, 68, 5);
	e_tmpl(&e, 0x74730004);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730005);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_acquire(nlh, &ev) == 0, "ACQUIRE parses");
	is_int(ev.reqid, 0x74730004, "reqid from the template");
	is_int(ev.if_id, 0x74730005, "if_id");
	is_int(ev.dir, XFRM_DIR_OUT, "policy direction");
	is_int(ev.policy_index, 0x1a1, "policy index");
	is_int(ev.seq, 42, "acquire sequence");
	is_str(xfrm_ip_fmt(&ev.dst, a, sizeof(a)), "203.0.113.10", "outer dst");
	is_str(xfrm_ip_fmt(&ev.sel_dst.ip, a, sizeof(a)), "192.168.2.2",
	    "selector dst");
	is_int(ev.sel_proto, 1, "selector protocol");
	free(nlh);

	/* a template attribute that is not whole templates */
	e.n -= 8 + 68;
	e_attr(&e, 4 + 65, 5);
	e_tmpl(&e, 1);
	e_u8(&e, 0);
	e_pad(&e);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_acquire(nlh, &ev) == -1,
	    "a 65-byte XFRMA_TMPL is refused");
	free(nlh);
}

static void
test_policy(void)
{
	struct exp e = {.n = 0};
	struct xfrm_policy_status ps;
	struct nlmsghdr *nlh;
	size_t attrs;
	char a[64];

	e_nlh(&e, 0, 0x13 /* XFRM_MSG_NEWPOLICY */, 0x2 /* MULTI */);
	e_userpolicy(&e, 0x209);
	attrs = e.n;
	e_attr(&e, 4 + 128, 5); /* two templates, the second ours */
	e_tmpl(&e, 5);
	e_tmpl(&e, 0x74730007);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730001);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_policy(nlh, &ps) == 0, "a policy dump entry parses");
	is_int(ps.index, 0x209, "index");
	is_int(ps.pol.dir, XFRM_DIR_OUT, "dir");
	is_int(ps.pol.if_id, 0x74730001, "if_id");
	is_int(ps.reqid_ours, 1, "one template carries our reqid");
	is_int(ps.pol.reqid, 0x74730007, "our template's reqid reported");
	is_str(xfrm_ip_fmt(&ps.pol.sel_src.ip, a, sizeof(a)), "192.168.1.0",
	    "selector source");
	is_int(ps.pol.sel_src.len, 24, "selector source length");
	free(nlh);

	e.n = attrs;
	e_attr(&e, 4 + 6, 16); /* XFRMA_POLICY_TYPE sub */
	e_u8(&e, 1);
	e_zero(&e, 5);
	e_pad(&e);
	e_fix_len(&e);
	nlh = copy(&e, e.n);
	ok(xfrm_parse_policy(nlh, &ps) == -1 && errno == EOPNOTSUPP,
	    "a sub policy is never taken for ours");
	free(nlh);
}

int
main(void)
{
	test_sa();
	test_sa_broken();
	test_expire();
	test_acquire();
	test_policy();
	return tap_done();
}
