/*
 * test_dns_msg: the UPDATE/TSIG codec.  The known-answer test writes the
 * expected message out by hand and computes the expected MAC with a plain
 * one-shot HMAC over the RFC 8945 4.3.3 digest laid out byte by byte, so
 * it shares no code with tsig.c.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ddns/dns_msg.h"
#include "tests/unit/tap.h"

static const uint8_t secret[] = "0123456789abcdef0123456789abcdef";
#define SECRET_LEN 32
#define T_SIGNED   1700000000ull

/* The unsigned UPDATE for home.example.net A 192.0.2.7 TTL 60, zone
 * example.net, ID 0x1234. */
static const uint8_t want_update[] = {
    0x12,
    0x34,
    0x28,
    0x00,
    0,
    1,
    0,
    0,
    0,
    2,
    0,
    0,
    7,
    'e',
    'x',
    'a',
    'm',
    'p',
    'l',
    'e',
    3,
    'n',
    'e',
    't',
    0,
    0,
    6,
    0,
    1,
    4,
    'h',
    'o',
    'm',
    'e',
    7,
    'e',
    'x',
    'a',
    'm',
    'p',
    'l',
    'e',
    3,
    'n',
    'e',
    't',
    0,
    0,
    1,
    0,
    255,
    0,
    0,
    0,
    0,
    0,
    0,
    4,
    'h',
    'o',
    'm',
    'e',
    7,
    'e',
    'x',
    'a',
    'm',
    'p',
    'l',
    'e',
    3,
    'n',
    'e',
    't',
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    4,
    192,
    0,
    2,
    7,
};

static const uint8_t keyname[] = {3, 'k', 'e', 'y', 4, 'h', 'o', 'm', 'e', 0};
static const uint8_t algname[] = {
    11, 'h', 'm', 'a', 'c', '-', 's', 'h', 'a', '2', '5', '6', 0};

static size_t
cat(uint8_t *d, size_t n, const void *s, size_t len)
{
	memcpy(d + n, s, len);
	return n + len;
}

/* MAC = HMAC(msg || name || class || ttl || alg || time || fudge ||
 * error || other len), RFC 8945 4.3.3. */
static void
expected_mac(const uint8_t *msg, size_t len, uint8_t *mac)
{
	static const uint8_t cls_ttl[] = {0, 255, 0, 0, 0, 0};
	static const uint8_t tail[] = {
	    0, 0, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0, 0, 0, 0};
	uint8_t d[1024];
	unsigned ml = 0;
	size_t n = 0;

	n = cat(d, n, msg, len);
	n = cat(d, n, keyname, sizeof(keyname));
	n = cat(d, n, cls_ttl, sizeof(cls_ttl));
	n = cat(d, n, algname, sizeof(algname));
	n = cat(d, n, tail, sizeof(tail));
	HMAC(EVP_sha256(), secret, SECRET_LEN, d, n, mac, &ml);
}

static void
test_kat(void)
{
	static const uint8_t a[4] = {192, 0, 2, 7};
	struct ddns_update_req r = {
	    0x1234, "example.net", "home.example.net.", AF_INET, a, 60};
	struct ddns_tsig_key k;
	uint8_t msg[512], mac[64], want_mac[32], want[512];
	size_t len, ml, n = 0;
	int l;

	l = ddns_update_build(&r, msg, sizeof(msg));
	is_int(l, sizeof(want_update), "update: length");
	ok(l > 0 && memcmp(msg, want_update, sizeof(want_update)) == 0,
	    "update: bytes as RFC 2136 lays them out");
	expected_mac(want_update, sizeof(want_update), want_mac);

	ok(ddns_tsig_key_init(&k, "Key.HOME", DDNS_TSIG_SHA256) == 0,
	    "key init (name canonicalised)");
	k.secret = secret;
	k.secret_len = SECRET_LEN;
	len = (size_t)l;
	ok(ddns_tsig_sign(msg, &len, sizeof(msg), &k, T_SIGNED, mac, &ml) == 0,
	    "sign");
	is_int(ml, 32, "mac length");
	is_mem(mac, want_mac, 32, "request MAC matches the independent HMAC");

	/* The whole signed message, byte for byte. */
	static const uint8_t rr_mid[] = {0, 250, 0, 255, 0, 0, 0, 0, 0, 61};
	static const uint8_t rr_time[] = {
	    0, 0, 0x65, 0x53, 0xf1, 0x00, 0x01, 0x2c, 0, 32};
	static const uint8_t rr_tail[] = {0x12, 0x34, 0, 0, 0, 0};
	n = cat(want, n, want_update, sizeof(want_update));
	want[11] = 1; /* ARCOUNT */
	n = cat(want, n, keyname, sizeof(keyname));
	n = cat(want, n, rr_mid, sizeof(rr_mid));
	n = cat(want, n, algname, sizeof(algname));
	n = cat(want, n, rr_time, sizeof(rr_time));
	n = cat(want, n, want_mac, 32);
	n = cat(want, n, rr_tail, sizeof(rr_tail));
	is_int(len, n, "signed length");
	is_mem(msg, want, n, "signed message byte for byte");

	struct ddns_msg_info mi;
	ok(ddns_msg_parse(msg, len, &mi) == 0 && mi.has_tsig,
	    "our own request parses, TSIG found");
	is_int(mi.tsig.time_signed, T_SIGNED, "time signed read back");
	is_int(mi.tsig.fudge, 300, "fudge read back");
	is_int(mi.opcode, DDNS_OP_UPDATE, "opcode UPDATE");
}

/* A signed response: header (QR, opcode UPDATE, rcode), zone section,
 * TSIG over request MAC || message || variables. */
static size_t
make_response(uint8_t *out, const struct ddns_tsig_key *k,
    const uint8_t *req_mac, int rcode, uint64_t t, int corrupt)
{
	uint8_t d[1024], mac[64];
	uint8_t msg[] = {0x12, 0x34, 0xa8, (uint8_t)rcode, 0, 1, 0, 0, 0, 0, 0,
	    0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0, 0, 6,
	    0, 1};
	static const uint8_t cls_ttl[] = {0, 255, 0, 0, 0, 0};
	uint8_t tail[12] = {(uint8_t)(t >> 40), (uint8_t)(t >> 32),
	    (uint8_t)(t >> 24), (uint8_t)(t >> 16), (uint8_t)(t >> 8),
	    (uint8_t)t, 0x01, 0x2c, 0, 0, 0, 0};
	static const uint8_t rl[] = {0, 32};
	unsigned ml = 0;
	size_t n = 0;

	n = cat(d, n, rl, 2);
	n = cat(d, n, req_mac, 32);
	n = cat(d, n, msg, sizeof(msg));
	n = cat(d, n, k->name, k->name_len);
	n = cat(d, n, cls_ttl, 6);
	n = cat(d, n, algname, sizeof(algname));
	n = cat(d, n, tail, sizeof(tail));
	HMAC(EVP_sha256(), secret, SECRET_LEN, d, n, mac, &ml);
	if (corrupt)
		mac[5] ^= 1;
	n = 0;
	msg[11] = 1;
	n = cat(out, n, msg, sizeof(msg));
	n = cat(out, n, keyname, sizeof(keyname));
	static const uint8_t mid[] = {0, 250, 0, 255, 0, 0, 0, 0, 0, 61};
	n = cat(out, n, mid, sizeof(mid));
	n = cat(out, n, algname, sizeof(algname));
	n = cat(out, n, tail, 8);
	out[n++] = 0;
	out[n++] = 32;
	n = cat(out, n, mac, 32);
	static const uint8_t rt[] = {0x12, 0x34, 0, 0, 0, 0};
	n = cat(out, n, rt, 6);
	return n;
}

static void
test_verify(void)
{
	struct ddns_tsig_key k, other;
	struct ddns_msg_info mi;
	uint8_t req_mac[32], resp[512];
	size_t n;

	memset(req_mac, 0xab, sizeof(req_mac));
	ddns_tsig_key_init(&k, "key.home", DDNS_TSIG_SHA256);
	k.secret = secret;
	k.secret_len = SECRET_LEN;

	n = make_response(resp, &k, req_mac, 0, T_SIGNED + 10, 0);
	ok(ddns_msg_parse(resp, n, &mi) == 0 && mi.qr && mi.has_tsig,
	    "response parses");
	is_int(ddns_tsig_verify(resp, n, &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_OK, "good response verifies");
	is_int(ddns_tsig_verify(
	           resp, n, &mi, &k, req_mac, 32, T_SIGNED + 10 + 301),
	    DDNS_TSIG_BAD_TIME, "outside fudge: BADTIME");
	req_mac[0] ^= 1;
	is_int(ddns_tsig_verify(resp, n, &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_BAD_MAC, "MAC covers the request MAC");
	req_mac[0] ^= 1;

	n = make_response(resp, &k, req_mac, 0, T_SIGNED, 1);
	ddns_msg_parse(resp, n, &mi);
	is_int(ddns_tsig_verify(resp, n, &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_BAD_MAC, "flipped MAC bit rejected");

	n = make_response(resp, &k, req_mac, DDNS_R_NOTAUTH, T_SIGNED, 0);
	ddns_msg_parse(resp, n, &mi);
	is_int(mi.rcode, DDNS_R_NOTAUTH, "rcode NOTAUTH read");
	is_str(ddns_rcode_name(mi.rcode), "NOTAUTH", "rcode name");

	ddns_tsig_key_init(&other, "other.key", DDNS_TSIG_SHA256);
	other.secret = secret;
	other.secret_len = SECRET_LEN;
	n = make_response(resp, &k, req_mac, 0, T_SIGNED, 0);
	ddns_msg_parse(resp, n, &mi);
	is_int(ddns_tsig_verify(resp, n, &mi, &other, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_WRONG_KEY, "signed with another key name");

	/* Unsigned BADKEY answer, as BIND sends for an unknown key. */
	static const uint8_t badkey[] = {0x12, 0x34, 0xa8, 9, 0, 1, 0, 0, 0, 0,
	    0, 1, 0, 0, 6, 0, 1, 3, 'k', 'e', 'y', 4, 'h', 'o', 'm', 'e', 0, 0,
	    250, 0, 255, 0, 0, 0, 0, 0, 29, 11, 'h', 'm', 'a', 'c', '-', 's',
	    'h', 'a', '2', '5', '6', 0, 0, 0, 0x65, 0x53, 0xf1, 0, 1, 0x2c, 0,
	    0, 0x12, 0x34, 0, 17, 0, 0};
	ok(ddns_msg_parse(badkey, sizeof(badkey), &mi) == 0, "BADKEY parses");
	is_int(ddns_tsig_verify(
	           badkey, sizeof(badkey), &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_ERR_BADKEY, "BADKEY mapped");
	uint8_t badsig[sizeof(badkey)];
	memcpy(badsig, badkey, sizeof(badkey));
	badsig[sizeof(badsig) - 3] = 16;
	ddns_msg_parse(badsig, sizeof(badsig), &mi);
	is_int(ddns_tsig_verify(
	           badsig, sizeof(badsig), &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_ERR_BADSIG, "BADSIG mapped");
	uint8_t nosig[29];
	memcpy(nosig, resp, 29);
	nosig[11] = 0;
	ddns_msg_parse(nosig, sizeof(nosig), &mi);
	is_int(ddns_tsig_verify(nosig, 29, &mi, &k, req_mac, 32, T_SIGNED),
	    DDNS_TSIG_MISSING, "unsigned response rejected");
}

static void
test_sha512(void)
{
	static const uint8_t a6[16] = {
	    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	struct ddns_update_req r = {
	    7, "example.net", "home.example.net", AF_INET6, a6, 300};
	struct ddns_tsig_key k;
	struct ddns_msg_info mi;
	uint8_t msg[512], mac[64];
	size_t len, ml;
	int l = ddns_update_build(&r, msg, sizeof(msg));

	ok(l > 0 && msg[l - 17] == 16 && memcmp(msg + l - 16, a6, 16) == 0,
	    "AAAA update carries 16 bytes of rdata");
	ddns_tsig_key_init(&k, "k", DDNS_TSIG_SHA512);
	k.secret = secret;
	k.secret_len = 20;
	len = (size_t)l;
	ok(ddns_tsig_sign(msg, &len, sizeof(msg), &k, T_SIGNED, mac, &ml) ==
	            0 &&
	        ml == 64,
	    "hmac-sha512 MAC is 64 bytes");
	ok(ddns_msg_parse(msg, len, &mi) == 0 && mi.tsig.mac_len == 64,
	    "sha512 TSIG parses");
	len = (size_t)l;
	ok(ddns_tsig_sign(msg, &len, (size_t)l + 20, &k, T_SIGNED, mac, &ml) ==
	        -1,
	    "sign refuses when no room");
	ok(ddns_update_build(&r, msg, 40) == -1, "build refuses when no room");
}

static void
test_names(void)
{
	uint8_t w[300], out[300];
	char txt[DDNS_TEXT_NAME_MAX];
	size_t off, ol;
	char lab[70], big[300];

	is_int(ddns_name_to_wire("a.B.", w, sizeof(w), 1), 5, "a.b. wire");
	ok(w[3] == 'b', "canonical lower-cases");
	is_int(ddns_name_to_wire(".", w, sizeof(w), 0), 1, "root");
	is_int(ddns_name_to_wire("a..b", w, sizeof(w), 0), -1, "empty label");
	memset(lab, 'x', 64);
	lab[64] = 0;
	is_int(ddns_name_to_wire(lab, w, sizeof(w), 0), -1, "64-octet label");
	lab[63] = 0;
	is_int(ddns_name_to_wire(lab, w, sizeof(w), 0), 65, "63-octet label");
	memset(big, 0, sizeof(big));
	for (int i = 0; i < 128; i++)
		memcpy(big + 2 * i, "a.", 2);
	is_int(ddns_name_to_wire(big, w, sizeof(w), 0), -1, "257 octets");
	is_int(ddns_name_to_wire("a\\.b\\065", w, sizeof(w), 0), 6, "escapes");
	ok(ddns_name_to_text(w, 6, txt, sizeof(txt)) == 0 &&
	        strcmp(txt, "a\\.bA.") == 0,
	    "text form re-escapes the dot");

	/* name at 12, then a pointer to it, then a loop and a forward ptr. */
	static const uint8_t m[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a',
	    0, 1, 'b', 0xc0, 12, 0xc0, 19, 0xc0, 23, 0, 0x80};
	off = 15;
	ok(ddns_name_read(m, sizeof(m), &off, out, &ol) == 0 && ol == 5 &&
	        off == 19,
	    "pointer expands, offset after pointer");
	off = 19;
	is_int(ddns_name_read(m, sizeof(m), &off, out, &ol), -1,
	    "pointer to itself rejected");
	off = 21;
	is_int(ddns_name_read(m, sizeof(m), &off, out, &ol), -1,
	    "forward pointer rejected");
	off = 24;
	is_int(ddns_name_read(m, sizeof(m), &off, out, &ol), -1,
	    "0x80 label type rejected");
	off = 12;
	is_int(ddns_name_read(m, 13, &off, out, &ol), -1, "truncated label");
	ok(ddns_name_equal(
	       (const uint8_t *)"\1A\0", 3, (const uint8_t *)"\1a\0", 3),
	    "names compare without case");
}

static void
test_malformed(void)
{
	struct ddns_msg_info mi;
	uint8_t m[64] = {
	    0x12, 0x34, 0xa8, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 1};

	ok(ddns_msg_parse(m, 11, &mi) == -1, "short header");
	ok(ddns_msg_parse(m, 17, &mi) == 0, "minimal response");
	ok(ddns_msg_parse(m, 16, &mi) == -1, "truncated question");
	ok(ddns_msg_parse(m, 18, &mi) == -1, "trailing byte");
	m[5] = 2;
	ok(ddns_msg_parse(m, 17, &mi) == -1, "count beyond the data");
	m[5] = 1;
	m[7] = 1; /* one answer: root A IN rdlen 200 */
	static const uint8_t rr[] = {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 200};
	memcpy(m + 17, rr, sizeof(rr));
	ok(ddns_msg_parse(m, 28, &mi) == -1, "rdlength beyond the data");
	/* TSIG in the answer section is not accepted. */
	m[19] = 250;
	m[21] = 255;
	m[27] = 0;
	ok(ddns_msg_parse(m, 28, &mi) == -1, "TSIG outside additional");
}

static void
test_rdata(void)
{
	char a1[4] = {1, 2, 3, 4}, bad[3] = {0}, a6[16] = {0x20};
	char *d4[] = {a1, bad, NULL};
	int l4[] = {4, 3};
	char *d6[] = {a6, NULL};
	int l6[] = {16};
	uint8_t out[4][16];

	is_int(ddns_rdata_addrs(AF_INET, d4, l4, out, 4), 1,
	    "A: wrong-size rdata skipped");
	is_mem(out[0], a1, 4, "A: copied");
	is_int(ddns_rdata_addrs(AF_INET6, d6, l6, out, 4), 1, "AAAA");
	is_int(ddns_rdata_addrs(AF_INET6, d4, l4, out, 4), 0,
	    "A rdata is not AAAA");
}

int
main(void)
{
	test_kat();
	test_verify();
	test_sha512();
	test_names();
	test_malformed();
	test_rdata();
	return tap_done();
}
