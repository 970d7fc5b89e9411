/*
 * test_pkt: the OSPFv2 packet codec against packets FRR and BIRD sent
 * each other (vectors.h, captured by tests/tools/ospf-capture): each is
 * read with the fields its capture shows, and our builders write it
 * again byte for byte.  Then what must be dropped: every truncation of
 * every vector, every bit flipped outside the authentication field, and
 * bodies no type can have, each with its reason.
 */
#include "ospf/lsa.c"
#include "ospf/pkt.c"

#include "ospf/wire.h"
#include "tests/unit/ospf/rebuild.h"
#include "tests/unit/ospf/vectors.h"
#include "tests/unit/tap.h"

#define NVECS (sizeof(ospf_vecs) / sizeof(ospf_vecs[0]))

/* The packet type its file name says: frr-hello-1, bird-lsu-2, ... */
static int
named_type(const char *name)
{
	static const struct {
		const char *word;
		int type;
	} words[] = {
	    {"-hello", OSPF_HELLO},
	    {"-dd", OSPF_DD},
	    {"-lsr", OSPF_LSR},
	    {"-lsu", OSPF_LSU},
	    {"-lsack", OSPF_LSACK},
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i].word))
			return words[i].type;
	return 0;
}

static const struct ospf_vec *
vec(const char *prefix)
{
	size_t i;

	for (i = 0; i < NVECS; i++)
		if (strncmp(ospf_vecs[i].name, prefix, strlen(prefix)) == 0)
			return &ospf_vecs[i];
	return NULL;
}

static void
test_vectors(void)
{
	size_t i, types = 0;
	int seen[OSPF_NTYPES] = {0};

	for (i = 0; i < NVECS; i++) {
		const struct ospf_vec *v = &ospf_vecs[i];
		struct ospf_pkt pk;
		enum ospf_pkt_err e = ospf_pkt_parse(v->p, v->len, &pk);

		is_int(e, OSPF_PKT_OK, "%s: read (%zu bytes)", v->name, v->len);
		is_int(pk.h.type, named_type(v->name), "%s: a %s", v->name,
		    ospf_pkt_type_name(pk.h.type));
		is_int(rebuild_same(v->p, &pk), 1,
		    "%s: our builders write "
		    "the same bytes",
		    v->name);
		if (e == OSPF_PKT_OK)
			seen[pk.h.type]++;
	}
	for (i = 1; i < OSPF_NTYPES; i++)
		types += seen[i] > 0;
	is_int(types, 5, "all five packet types are among the vectors");
}

static void
test_fields(void)
{
	const struct ospf_vec *v;
	struct ospf_pkt pk;

	v = vec("frr-hello");
	if (ok(v && ospf_pkt_parse(v->p, v->len, &pk) == 0, "FRR's hello")) {
		is_int(pk.h.area, OSPF_BACKBONE, "area 0");
		is_int(pk.h.autype, OSPF_AUTH_NONE, "no authentication");
		ok(pk.u.hello.options & OSPF_OPT_E, "the E option");
		ok(pk.u.hello.hello_ival > 0 &&
		        pk.u.hello.dead_ival > pk.u.hello.hello_ival,
		    "HelloInterval %u, "
		    "RouterDeadInterval %u",
		    pk.u.hello.hello_ival, pk.u.hello.dead_ival);
	}
	v = vec("frr-fast-hello");
	if (ok(v && ospf_pkt_parse(v->p, v->len, &pk) == 0,
	        "FRR's hello with dead-interval minimal")) {
		is_int(pk.u.hello.hello_ival, 0, "HelloInterval 0 on the wire");
		is_int(pk.u.hello.dead_ival, 1, "RouterDeadInterval 1");
	}
	v = vec("frr-dd");
	if (ok(v && ospf_pkt_parse(v->p, v->len, &pk) == 0, "FRR's first "
	                                                    "DD")) {
		ok(pk.u.dd.flags & OSPF_DD_I, "the I bit");
		ok(pk.u.dd.mtu >= 1280 && pk.u.dd.mtu <= 65535,
		    "an interface MTU (%u)", pk.u.dd.mtu);
	}
}

/* No prefix shorter than the length field is a packet. */
static void
test_truncated(void)
{
	size_t i, n, bad = 0, total = 0;
	struct ospf_pkt pk;

	for (i = 0; i < NVECS; i++)
		for (n = 0; n < ospf_vecs[i].len; n++, total++)
			bad += ospf_pkt_parse(ospf_vecs[i].p, n, &pk) !=
			       OSPF_PKT_ETRUNC;
	is_int(bad, 0, "every one of %zu truncations is refused as truncated",
	    total);
}

/*
 * One bit flipped anywhere in the packet but its authentication fields
 * (type and data, which the receiver checks against the interface's) and
 * an LLS block after it: dropped.
 */
static void
test_flipped(void)
{
	static uint8_t b[65536];
	size_t i, bit, passed = 0, total = 0;
	struct ospf_pkt pk;

	for (i = 0; i < NVECS; i++) {
		const struct ospf_vec *v = &ospf_vecs[i];

		size_t len = ospf_get16(v->p + 2);

		memcpy(b, v->p, v->len);
		for (bit = 0; bit < 8 * len; bit++) {
			if (bit / 8 >= 14 && bit / 8 < 24)
				continue;
			b[bit / 8] ^= 1 << (bit % 8);
			passed += ospf_pkt_parse(b, v->len, &pk) == OSPF_PKT_OK;
			b[bit / 8] ^= 1 << (bit % 8);
			total++;
		}
	}
	is_int(
	    passed, 0, "every one of %zu single-bit errors is dropped", total);
}

/* A packet of the type with the body given, checksum right. */
static size_t
packet(uint8_t *b, uint8_t type, const uint8_t *body, size_t n)
{
	struct ospf_w w;

	ospf_w_init(&w, b, 512);
	ospf_pkt_start(&w, type, 0x0aff0002, 0);
	ospf_w_mem(&w, body, n);
	return ospf_pkt_finish(&w, OSPF_AUTH_NONE, NULL) ? 0 : w.len;
}

static void
test_malformed(void)
{
	uint8_t b[512], body[128] = {0};
	struct ospf_pkt pk;
	size_t n;

	n = packet(b, OSPF_HELLO, body, 21);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "a hello with a partial neighbour");
	n = packet(b, OSPF_HELLO, body, 19);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "a hello shorter than its fixed part");
	n = packet(b, OSPF_DD, body, 8 + 19);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "a DD with a partial LSA header");
	n = packet(b, OSPF_LSR, body, 13);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "a request with a partial entry");
	n = packet(b, OSPF_LSACK, body, 21);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "an ack with a partial header");
	ospf_put32(body, 1);
	n = packet(b, OSPF_LSU, body, 4 + 20);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "an update whose LSA says length 0");
	ospf_put16(body + 4 + 18, 40);
	n = packet(b, OSPF_LSU, body, 4 + 20);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "an update whose LSA runs past the end");
	ospf_put16(body + 4 + 18, 20);
	ospf_put32(body, 2);
	n = packet(b, OSPF_LSU, body, 4 + 20);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "an update counting more LSAs than it holds");
	ospf_put32(body, 0xffffffff);
	n = packet(b, OSPF_LSU, body, 4 + 20);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ESYNTAX,
	    "an update counting 2^32-1 LSAs");
	ospf_put32(body, 1);
	n = packet(b, OSPF_LSU, body, 4 + 20 + 3);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_OK,
	    "bytes after the counted LSAs are let be");
	n = packet(b, OSPF_LSACK, body, 0);
	b[0] = 3;
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_EVERSION, "OSPFv3");
	b[0] = 2;
	b[1] = 6;
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ETYPE, "packet type 6");
	b[1] = 0;
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ETYPE, "packet type 0");
	n = packet(b, OSPF_LSACK, body, 0);
	ospf_put16(b + 2, 23);
	is_int(ospf_pkt_parse(b, n, &pk), OSPF_PKT_ETRUNC,
	    "a length field below the header");
	is_str(ospf_pkt_strerror(OSPF_PKT_ECKSUM), "bad checksum",
	    "errors have names");
}

/* With cryptographic authentication the checksum is not ours to check. */
static void
test_crypt(void)
{
	uint8_t b[128], auth[8] = {0, 0, 1, 16, 0, 0, 0, 9};
	struct ospf_w w;
	struct ospf_pkt pk;
	struct ospf_hello h = {.mask = 0xffffff00,
	    .hello_ival = 10,
	    .options = OSPF_OPT_E,
	    .dead_ival = 40};

	ospf_w_init(&w, b, sizeof(b));
	ospf_pkt_start(&w, OSPF_HELLO, 0x0aff0001, 0);
	ospf_hello_put(&w, &h);
	ok(ospf_pkt_finish(&w, OSPF_AUTH_CRYPT, auth) == 0, "built");
	is_int(ospf_get16(b + 12), 0, "the checksum is left zero (D.4.3)");
	memset(b + w.len, 0xaa, 16); /* the digest */
	is_int(ospf_pkt_parse(b, w.len + 16, &pk), OSPF_PKT_OK,
	    "read without a checksum");
	is_int(pk.h.trail_len, 16, "the digest follows the packet");
	ok(pk.h.trail == b + w.len && pk.h.auth[3] == 16,
	    "the digest and the auth field are in view");
	ospf_w_init(&w, b, 30);
	ospf_pkt_start(&w, OSPF_HELLO, 1, 0);
	ospf_hello_put(&w, &h);
	is_int(ospf_pkt_finish(&w, OSPF_AUTH_NONE, NULL), -1,
	    "a packet too big for its buffer is refused whole");
}

/* FRR's packets with MD5: checksum 0, the digest in view after them. */
static void
test_md5_vectors(void)
{
	size_t i;

	for (i = 0; i < sizeof(ospf_vecs_md5) / sizeof(ospf_vecs_md5[0]); i++) {
		const struct ospf_vec *v = &ospf_vecs_md5[i];
		struct ospf_pkt pk;

		is_int(ospf_pkt_parse(v->p, v->len, &pk), OSPF_PKT_OK,
		    "%s: read", v->name);
		ok(pk.h.autype == OSPF_AUTH_CRYPT && pk.h.cksum == 0 &&
		        pk.h.auth[2] == OSPF_VEC_MD5_KEYID &&
		        pk.h.auth[3] == 16,
		    "%s: cryptographic, key id 1, a 16-byte digest", v->name);
		is_int(pk.h.trail_len, 16, "%s: the digest follows", v->name);
		is_int(
		    rebuild_same(v->p, &pk), 1, "%s: rebuilt alike", v->name);
	}
}

int
main(void)
{
	test_vectors();
	test_fields();
	test_truncated();
	test_flipped();
	test_malformed();
	test_crypt();
	test_md5_vectors();
	return tap_done();
}
