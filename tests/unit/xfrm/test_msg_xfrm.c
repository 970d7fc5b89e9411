/*
 * test_msg_xfrm: NETLINK_XFRM requests, byte for byte against messages
 * written by hand from <linux/xfrm.h>'s layouts (x86-64: xfrm_usersa_info
 * is 224 bytes, xfrm_userpolicy_info 168, xfrm_user_tmpl 64).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"
#include "xfrm/codec.h"

#define INF 0xffffffffffffffffull

static uint8_t buf[XFRM_MSG_SIZE];

static void
ip(const char *s, struct xfrm_ip *a)
{
	xfrm_ip_parse(s, a);
}

/* sel (56 bytes) all zero: family 0, prefixes 0. */
static void
e_sel_zero(struct exp *e)
{
	e_zero(e, 56);
}

static void
test_sa_gcm_v4(void)
{
	static const uint8_t key[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15, 16, 0xa1, 0xa2, 0xa3, 0xa4};
	struct xfrm_sa sa = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	ip("198.51.100.1", &sa.src);
	ip("198.51.100.2", &sa.dst);
	sa.spi = 0xc0000001;
	sa.reqid = 0x74730001;
	sa.if_id = 0x74730001;
	sa.enc = XFRM_ENC_AES_GCM_16;
	sa.enc_bits = 128;
	sa.enc_key = key;
	sa.enc_key_len = sizeof(key);
	sa.replay_window = 64;
	sa.esn = 1;
	sa.life.soft_bytes = 1000000;
	sa.life.soft_secs = 3000;
	sa.life.hard_secs = 3600;
	sa.encap_sport = 4500;
	sa.encap_dport = 4500;
	nlh = xfrm_msg_sa(buf, sizeof(buf), &sa, 0);
	ok(nlh != NULL, "GCM-128 IPv4 SA builds");

	e_nlh(&e, 408, 0x10 /* XFRM_MSG_NEWSA */, 0x5 /* REQUEST|ACK */);
	/* xfrm_usersa_info */
	e_sel_zero(&e);               /* 0: sel */
	e_a4_16(&e, 198, 51, 100, 2); /* 56: id.daddr */
	e_be32(&e, 0xc0000001);       /* 72: id.spi */
	e_u8(&e, 50);                 /* 76: id.proto ESP */
	e_zero(&e, 3);
	e_a4_16(&e, 198, 51, 100, 1); /* 80: saddr */
	e_u64(&e, 1000000);           /* 96: lft.soft_byte_limit */
	e_u64(&e, INF);               /* hard_byte_limit */
	e_u64(&e, INF);               /* soft_packet_limit */
	e_u64(&e, INF);               /* hard_packet_limit */
	e_u64(&e, 3000);              /* soft_add_expires_seconds */
	e_u64(&e, 3600);              /* hard_add_expires_seconds */
	e_u64(&e, 0);                 /* soft_use_expires_seconds */
	e_u64(&e, 0);                 /* hard_use_expires_seconds */
	e_zero(&e, 32);               /* 160: curlft */
	e_zero(&e, 12);               /* 192: stats */
	e_u32(&e, 0);                 /* 204: seq */
	e_u32(&e, 0x74730001);        /* 208: reqid */
	e_u16(&e, 2);                 /* 212: family AF_INET */
	e_u8(&e, 1);                  /* 214: mode tunnel */
	e_u8(&e, 0);                  /* 215: replay_window (in ESN attr) */
	e_u8(&e, 0x80 | 0x20);        /* 216: flags ESN|AF_UNSPEC */
	e_zero(&e, 7);                /* 217: padding to 224 */
	/* XFRMA_ALG_AEAD: xfrm_algo_aead (72) + 20 key bytes */
	e_attr(&e, 96, 18);
	e_str(&e, "rfc4106(gcm(aes))", 64);
	e_u32(&e, 160); /* alg_key_len bits: 128 + 32 salt */
	e_u32(&e, 128); /* alg_icv_len */
	e_mem(&e, key, 20);
	/* XFRMA_REPLAY_ESN_VAL: 24 + bmp_len 2 words */
	e_attr(&e, 36, 23);
	e_u32(&e, 2);   /* bmp_len */
	e_zero(&e, 16); /* oseq seq oseq_hi seq_hi */
	e_u32(&e, 64);  /* replay_window */
	e_zero(&e, 8);  /* bmp */
	/* XFRMA_ENCAP: xfrm_encap_tmpl (24) */
	e_attr(&e, 28, 4);
	e_u16(&e, 2);     /* UDP_ENCAP_ESPINUDP */
	e_be16(&e, 4500); /* sport */
	e_be16(&e, 4500); /* dport */
	e_zero(&e, 2);    /* padding before encap_oa */
	e_zero(&e, 16);   /* encap_oa */
	/* XFRMA_IF_ID */
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730001);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "GCM-128 IPv4 SA with ESN, lifetimes, NAT-T and if_id: bytes");

	nlh = xfrm_msg_sa(buf, sizeof(buf), &sa, 1);
	ok(nlh != NULL && nlh->nlmsg_type == 0x1a, "update is XFRM_MSG_UPDSA");
	e.b[4] = 0x1a;
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "UPDSA body equals NEWSA body");
}

static void
test_sa_cbc_v6(void)
{
	uint8_t ekey[32], ikey[64];
	struct xfrm_sa sa = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};
	struct in6_addr s6, d6;

	memset(ekey, 0x11, sizeof(ekey));
	memset(ikey, 0x22, sizeof(ikey));
	ip("2001:db8:1::2", &sa.src);
	ip("2001:db8:2::2", &sa.dst);
	inet_pton(AF_INET6, "2001:db8:1::2", &s6);
	inet_pton(AF_INET6, "2001:db8:2::2", &d6);
	sa.spi = 0xc0000102;
	sa.reqid = 0x74730002;
	sa.if_id = 0x74730003;
	sa.enc = XFRM_ENC_AES_CBC;
	sa.enc_bits = 256;
	sa.enc_key = ekey;
	sa.enc_key_len = 32;
	sa.integ = XFRM_INTEG_HMAC_SHA2_512_256;
	sa.integ_key = ikey;
	sa.integ_key_len = 64;
	sa.life.hard_bytes = 5000000000ull;
	sa.life.hard_packets = 100;
	nlh = xfrm_msg_sa(buf, sizeof(buf), &sa, 0);

	e_nlh(&e, 492, 0x10, 0x5);
	e_sel_zero(&e);
	e_mem(&e, &d6, 16);
	e_be32(&e, 0xc0000102);
	e_u8(&e, 50);
	e_zero(&e, 3);
	e_mem(&e, &s6, 16);
	e_u64(&e, INF);
	e_u64(&e, 5000000000ull);
	e_u64(&e, INF);
	e_u64(&e, 100);
	e_zero(&e, 32); /* add/use expiries */
	e_zero(&e, 32 + 12 + 4);
	e_u32(&e, 0x74730002);
	e_u16(&e, 10); /* AF_INET6 */
	e_u8(&e, 1);
	e_u8(&e, 0);
	e_u8(&e, 0x20); /* AF_UNSPEC only: no ESN */
	e_zero(&e, 7);
	/* XFRMA_ALG_CRYPT: xfrm_algo (68) + 32 */
	e_attr(&e, 104, 2);
	e_str(&e, "cbc(aes)", 64);
	e_u32(&e, 256);
	e_mem(&e, ekey, 32);
	/* XFRMA_ALG_AUTH_TRUNC: xfrm_algo_auth (72) + 64 */
	e_attr(&e, 140, 20);
	e_str(&e, "hmac(sha512)", 64);
	e_u32(&e, 512);
	e_u32(&e, 256);
	e_mem(&e, ikey, 64);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730003);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "AES-CBC-256/HMAC-SHA-512 IPv6 SA, no replay window: bytes");
}

static void
test_sa_chacha(void)
{
	uint8_t key[36];
	struct xfrm_sa sa = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	memset(key, 0x33, sizeof(key));
	ip("192.0.2.1", &sa.src);
	ip("192.0.2.2", &sa.dst);
	sa.spi = 0x1000;
	sa.reqid = XFRM_REQID_MIN;
	sa.if_id = XFRM_IFID_MAX;
	sa.enc = XFRM_ENC_CHACHA20_POLY1305;
	sa.enc_bits = 256;
	sa.enc_key = key;
	sa.enc_key_len = 36;
	sa.replay_window = 32;
	nlh = xfrm_msg_sa(buf, sizeof(buf), &sa, 0);
	ok(nlh != NULL, "ChaCha20-Poly1305 SA builds");
	if (nlh == NULL)
		return;
	/* Only the attributes: the fixed part was checked above. */
	e_attr(&e, 112, 18);
	e_str(&e, "rfc7539esp(chacha20,poly1305)", 64);
	e_u32(&e, 288);
	e_u32(&e, 128);
	e_mem(&e, key, 36);
	e_attr(&e, 32, 23);
	e_u32(&e, 1);
	e_zero(&e, 16);
	e_u32(&e, 32);
	e_zero(&e, 4);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x7473ffff);
	is_int(nlh->nlmsg_len, 16 + 224 + e.n, "ChaCha SA length");
	ok(mem_same((uint8_t *)nlh + 240, nlh->nlmsg_len - 240, &e),
	    "ChaCha20-Poly1305 SA attributes: bytes");
	is_int(((uint8_t *)nlh)[16 + 216], 0x20, "no ESN flag without esn");
}

static void
test_sa_invalid(void)
{
	static const uint8_t key[20];
	struct xfrm_sa good = {0}, sa;

	ip("192.0.2.1", &good.src);
	ip("192.0.2.2", &good.dst);
	good.spi = 0x1000;
	good.reqid = XFRM_REQID_MIN;
	good.if_id = XFRM_IFID_MIN;
	good.enc = XFRM_ENC_AES_GCM_16;
	good.enc_bits = 128;
	good.enc_key = key;
	good.enc_key_len = 20;
	ok(xfrm_sa_invalid(&good) == NULL, "reference SA is valid");

#define BAD(field_change, name)                                                \
	do {                                                                   \
		sa = good;                                                     \
		field_change;                                                  \
		ok(xfrm_sa_invalid(&sa) != NULL &&                             \
		        xfrm_msg_sa(buf, sizeof(buf), &sa, 0) == NULL,         \
		    "refused: %s (%s)", name,                                  \
		    xfrm_sa_invalid(&sa) ? xfrm_sa_invalid(&sa) : "-");        \
	} while (0)
	BAD(sa.reqid = 5, "reqid outside our range");
	BAD(sa.if_id = 0, "if_id 0");
	BAD(sa.if_id = XFRM_IFID_MAX + 1, "if_id above our range");
	BAD(sa.enc_key_len = 16, "GCM key without salt");
	BAD(sa.enc_bits = 192, "AES-192");
	BAD(sa.integ = XFRM_INTEG_HMAC_SHA2_256_128, "AEAD with integ");
	BAD(sa.enc = XFRM_ENC_AES_CBC;
	    sa.enc_key_len = 16, "CBC without integ");
	BAD(sa.enc = XFRM_ENC_AES_CBC; sa.enc_key_len = 16;
	    sa.integ = XFRM_INTEG_HMAC_SHA2_384_192; sa.integ_key = key;
	    sa.integ_key_len = 20, "SHA-384 with a 20-byte key");
	BAD(sa.esn = 1, "ESN without a window");
	BAD(sa.replay_window = 4097, "window beyond 4096");
	BAD(ip("2001:db8::1", &sa.dst), "mixed outer families");
	BAD(sa.spi = 255, "reserved SPI");
	BAD(sa.life.soft_secs = 10; sa.life.hard_secs = 5, "soft after hard");
	BAD(sa.encap_sport = 4500, "one encap port");
#undef BAD
	ok(xfrm_msg_sa(buf, 300, &good, 0) == NULL && errno == ENOSPC,
	    "a too small buffer is refused, not overrun");
	{
		size_t i;
		int clean = 1;

		for (i = 0; i < 300; i++)
			clean &= buf[i] == 0;
		ok(clean, "a refused SA leaves no key bytes in the buffer");
	}
}

static void
test_allocspi(void)
{
	struct xfrm_ip src, dst;
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	ip("203.0.113.10", &src);
	ip("198.51.100.10", &dst);
	nlh = xfrm_msg_allocspi(buf, sizeof(buf), &src, &dst, 0x74730009,
	    0x7473000a, 0xc0000000, 0xcfffffff);
	e_nlh(&e, 256, 0x16 /* XFRM_MSG_ALLOCSPI */, 0x5);
	e_sel_zero(&e);
	e_a4_16(&e, 198, 51, 100, 10); /* id.daddr: us */
	e_be32(&e, 0);
	e_u8(&e, 50);
	e_zero(&e, 3);
	e_a4_16(&e, 203, 0, 113, 10); /* saddr: the peer */
	e_zero(&e, 64 + 32 + 12 + 4);
	e_u32(&e, 0x74730009);
	e_u16(&e, 2);
	e_u8(&e, 1);
	e_zero(&e, 1 + 1 + 7);
	e_u32(&e, 0xc0000000); /* 224: min */
	e_u32(&e, 0xcfffffff); /* 228: max */
	e_attr(&e, 8, 31);
	e_u32(&e, 0x7473000a);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "ALLOCSPI with reqid and if_id: bytes");
	ok(xfrm_msg_allocspi(
	       buf, sizeof(buf), &src, &dst, 1, 0x7473000a, 1, 2) == NULL,
	    "ALLOCSPI refuses a foreign reqid");
}

static void
test_sa_id(void)
{
	struct xfrm_ip dst;
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};
	struct in6_addr d6;

	ip("2001:db8:2::2", &dst);
	inet_pton(AF_INET6, "2001:db8:2::2", &d6);
	nlh = xfrm_msg_sa_id(buf, sizeof(buf), 0x12, &dst, 0xc1234567);
	e_nlh(&e, 40, 0x12 /* XFRM_MSG_GETSA */, 0x5);
	e_mem(&e, &d6, 16); /* daddr */
	e_be32(&e, 0xc1234567);
	e_u16(&e, 10);
	e_u8(&e, 50);
	e_zero(&e, 1);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "GETSA (dst, spi, family, proto): bytes");
	nlh = xfrm_msg_sa_id(buf, sizeof(buf), 0x11, &dst, 0xc1234567);
	e.b[4] = 0x11;
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e), "DELSA: bytes");
}

static void
test_policy(void)
{
	struct xfrm_policy pol = {0};
	struct nlmsghdr *nlh;
	struct exp e = {.n = 0};

	pol.dir = XFRM_DIR_OUT;
	xfrm_prefix_parse("192.168.1.0/24", &pol.sel_src);
	xfrm_prefix_parse("192.168.2.0/24", &pol.sel_dst);
	ip("198.51.100.10", &pol.src);
	ip("203.0.113.10", &pol.dst);
	pol.reqid = 0x74730001;
	pol.if_id = 0x74730002;
	pol.priority = 1000;
	nlh = xfrm_msg_policy(buf, sizeof(buf), &pol);

	e_nlh(&e, 260, 0x19 /* XFRM_MSG_UPDPOLICY */, 0x5);
	/* xfrm_userpolicy_info.sel */
	e_a4_16(&e, 192, 168, 2, 0); /* daddr */
	e_a4_16(&e, 192, 168, 1, 0); /* saddr */
	e_zero(&e, 8);               /* ports and masks */
	e_u16(&e, 2);                /* family */
	e_u8(&e, 24);                /* prefixlen_d */
	e_u8(&e, 24);                /* prefixlen_s */
	e_u8(&e, 0);                 /* proto */
	e_zero(&e, 3);
	e_u32(&e, 0); /* ifindex */
	e_u32(&e, 0); /* user */
	/* 56: lft: byte and packet limits infinite, no expiry */
	e_u64(&e, INF);
	e_u64(&e, INF);
	e_u64(&e, INF);
	e_u64(&e, INF);
	e_zero(&e, 32);
	e_zero(&e, 32);  /* 120: curlft */
	e_u32(&e, 1000); /* 152: priority */
	e_u32(&e, 0);    /* 156: index */
	e_u8(&e, 1);     /* 160: dir out */
	e_u8(&e, 0);     /* action allow */
	e_u8(&e, 0);     /* flags */
	e_u8(&e, 0);     /* share */
	e_zero(&e, 4);   /* padding to 168 */
	/* XFRMA_TMPL: one xfrm_user_tmpl */
	e_attr(&e, 68, 5);
	e_a4_16(&e, 203, 0, 113, 10); /* 0: id.daddr */
	e_be32(&e, 0);                /* 16: id.spi */
	e_u8(&e, 50);                 /* 20: id.proto */
	e_zero(&e, 3);
	e_u16(&e, 2); /* 24: family */
	e_zero(&e, 2);
	e_a4_16(&e, 198, 51, 100, 10); /* 28: saddr */
	e_u32(&e, 0x74730001);         /* 44: reqid */
	e_u8(&e, 1);                   /* 48: mode tunnel */
	e_u8(&e, 0);                   /* share */
	e_u8(&e, 0);                   /* optional */
	e_zero(&e, 1);
	e_u32(&e, 0xffffffff); /* 52: aalgos */
	e_u32(&e, 0xffffffff); /* ealgos */
	e_u32(&e, 0xffffffff); /* calgos */
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730002);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "UPDPOLICY out, IPv4 selector, tunnel template, if_id: bytes");

	/* delete of the IPv6 "any" policy */
	memset(&pol, 0, sizeof(pol));
	pol.dir = XFRM_DIR_FWD;
	xfrm_prefix_parse("::/0", &pol.sel_src);
	xfrm_prefix_parse("::/0", &pol.sel_dst);
	ip("2001:db8:2::2", &pol.src);
	ip("2001:db8:1::2", &pol.dst);
	pol.reqid = 0x74730001;
	pol.if_id = 0x74730001;
	nlh = xfrm_msg_policy_del(buf, sizeof(buf), &pol);
	e.n = 0;
	e_nlh(&e, 88, 0x14 /* XFRM_MSG_DELPOLICY */, 0x5);
	e_zero(&e, 40); /* addresses, ports */
	e_u16(&e, 10);
	e_zero(&e, 14); /* prefixes 0, proto, pad, ifindex, user */
	e_u32(&e, 0);   /* index */
	e_u8(&e, 2);    /* dir fwd */
	e_zero(&e, 3);
	e_attr(&e, 8, 31);
	e_u32(&e, 0x74730001);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "DELPOLICY fwd ::/0 by selector and if_id: bytes");

	nlh =
	    xfrm_msg_policy_del_index(buf, sizeof(buf), XFRM_DIR_IN, 0x108, 0);
	e.n = 0;
	e_nlh(&e, 80, 0x14, 0x5);
	e_zero(&e, 56);
	e_u32(&e, 0x108);
	e_u8(&e, 0);
	e_zero(&e, 3);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "DELPOLICY by index, if_id 0 (no attribute): bytes");

	pol.if_id = 7;
	ok(xfrm_msg_policy(buf, sizeof(buf), &pol) == NULL,
	    "a policy with a foreign if_id is refused");
	pol.if_id = 0x74730001;
	xfrm_prefix_parse("10.0.0.0/8", &pol.sel_src);
	ok(xfrm_msg_policy(buf, sizeof(buf), &pol) == NULL,
	    "a selector of two families is refused");
}

static void
test_dump(void)
{
	struct nlmsghdr *nlh = xfrm_msg_dump(buf, sizeof(buf), 0x12);
	struct exp e = {.n = 0};

	e_nlh(&e, 16, 0x12, 0x301 /* REQUEST|DUMP */);
	ok(nlh != NULL && mem_same(nlh, nlh->nlmsg_len, &e),
	    "GETSA dump request: bytes");
}

int
main(void)
{
	test_sa_gcm_v4();
	test_sa_cbc_v6();
	test_sa_chacha();
	test_sa_invalid();
	test_allocspi();
	test_sa_id();
	test_policy();
	test_dump();
	return tap_done();
}
