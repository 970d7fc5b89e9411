/*
 * test_alg: the tunnel MTU formula against figures worked out by hand
 * (docs/xfrm.md), algorithm parameters, and the address helpers.
 */
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "xfrm/codec.h"

static void
test_mtu(void)
{
	/* 1454 - 20 - 8 - 8 - 16 = 1402 -> 1400 - 2 */
	is_int(xfrm_mtu(1454, AF_INET, XFRM_ENC_AES_GCM_16, 0, 0), 1398,
	    "PPPoE 1454, IPv4, AES-GCM");
	/* + 8 UDP: 1394 -> 1392 - 2 */
	is_int(xfrm_mtu(1454, AF_INET, XFRM_ENC_AES_GCM_16, 0, 1), 1390,
	    "PPPoE 1454, IPv4, AES-GCM, NAT-T");
	is_int(xfrm_mtu(1454, AF_INET, XFRM_ENC_CHACHA20_POLY1305, 0, 0), 1398,
	    "PPPoE 1454, IPv4, ChaCha20-Poly1305 (same overhead)");
	/* 1500 - 40 - 8 - 8 - 16 = 1428 -> 1428 - 2 */
	is_int(xfrm_mtu(1500, AF_INET6, XFRM_ENC_AES_GCM_16, 0, 0), 1426,
	    "IPoE 1500, IPv6, AES-GCM");
	/* 1454 - 20 - 8 - 16 - 16 = 1394 -> 1392 - 2 */
	is_int(xfrm_mtu(1454, AF_INET, XFRM_ENC_AES_CBC,
	           XFRM_INTEG_HMAC_SHA2_256_128, 0),
	    1390, "PPPoE 1454, IPv4, AES-CBC + SHA-256");
	/* 1454 - 20 - 8 - 16 - 24 = 1386 -> 1376 - 2 */
	is_int(xfrm_mtu(1454, AF_INET, XFRM_ENC_AES_CBC,
	           XFRM_INTEG_HMAC_SHA2_384_192, 0),
	    1374, "PPPoE 1454, IPv4, AES-CBC + SHA-384");
	/* 1500 - 40 - 8 - 16 - 32 = 1404 -> 1392 - 2 */
	is_int(xfrm_mtu(1500, AF_INET6, XFRM_ENC_AES_CBC,
	           XFRM_INTEG_HMAC_SHA2_512_256, 0),
	    1390, "IPoE 1500, IPv6, AES-CBC + SHA-512");
	/* 1492 - 20 - 8 - 8 - 16 = 1440 -> 1440 - 2 */
	is_int(xfrm_mtu(1492, AF_INET, XFRM_ENC_AES_GCM_16, 0, 0), 1438,
	    "PPPoE 1492, IPv4, AES-GCM");
	is_int(xfrm_mtu(60, AF_INET, XFRM_ENC_AES_GCM_16, 0, 0), 0,
	    "an uplink too small for ESP gives 0");
	/* 124 - 52 = 72 -> 72 - 2 = 70; 120 - 52 = 68 -> 66 < 68 */
	is_int(xfrm_mtu(124, AF_INET, XFRM_ENC_AES_GCM_16, 0, 0), 70,
	    "the smallest useful uplink");
	is_int(xfrm_mtu(120, AF_INET, XFRM_ENC_AES_GCM_16, 0, 0), 0,
	    "below IPv4's minimum MTU gives 0");
	is_int(xfrm_mtu(1500, AF_INET, XFRM_ENC_AES_CBC, 0, 0), 0,
	    "CBC without integrity gives 0");
	is_int(xfrm_mtu(1500, 0, XFRM_ENC_AES_GCM_16, 0, 0), 0,
	    "no family gives 0");
}

static void
test_alg(void)
{
	struct xfrm_alg a;

	ok(xfrm_alg_enc(XFRM_ENC_AES_GCM_16, 256, &a) == 0 &&
	        strcmp(a.kname, "rfc4106(gcm(aes))") == 0 &&
	        a.key_bytes == 32 && a.salt_bytes == 4 && a.icv_bits == 128,
	    "AES-GCM-256: 32-byte key, 4-byte salt, 128-bit ICV");
	ok(xfrm_alg_enc(XFRM_ENC_AES_GCM_16, 192, &a) == -1, "no AES-192");
	ok(xfrm_alg_integ(XFRM_INTEG_HMAC_SHA2_384_192, &a) == 0 &&
	        strcmp(a.kname, "hmac(sha384)") == 0 && a.key_bytes == 48 &&
	        a.icv_bits == 192,
	    "HMAC-SHA-384: 48-byte key, 192-bit truncation");
}

static void
test_ip(void)
{
	struct xfrm_prefix p;
	struct xfrm_ip a, b;
	char s[64];

	ok(xfrm_prefix_parse("2001:db8::/32", &p) == 0 && p.len == 32 &&
	        p.ip.family == AF_INET6,
	    "IPv6 prefix");
	ok(xfrm_prefix_parse("10.1.2.3", &p) == 0 && p.len == 32,
	    "a bare address is a host prefix");
	ok(xfrm_prefix_parse("10.0.0.0/33", &p) == -1, "/33 refused");
	ok(xfrm_prefix_parse("10.0.0.0/", &p) == -1, "empty length refused");
	ok(xfrm_prefix_parse("10.0.0.0/8x", &p) == -1, "junk length refused");
	ok(xfrm_ip_parse("fe80::1%eth0", &a) == -1, "scoped address refused");
	xfrm_ip_parse("192.0.2.1", &a);
	xfrm_ip_parse("192.0.2.1", &b);
	ok(xfrm_ip_eq(&a, &b), "equal addresses");
	xfrm_ip_parse("::ffff:192.0.2.1", &b);
	ok(!xfrm_ip_eq(&a, &b), "mapped IPv6 is not the IPv4 address");
	memset(&a, 0, sizeof(a));
	is_str(xfrm_ip_fmt(&a, s, sizeof(s)), "none", "no address prints none");
}

int
main(void)
{
	test_mtu();
	test_alg();
	test_ip();
	return tap_done();
}
