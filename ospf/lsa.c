/*
 * lsa.c: the LSA codec (RFC 2328 12, 13.1, A.4).  See lsa.h.
 */
#include "ospf/lsa.h"

#include <string.h>

#include "ospf/wire.h"

void
ospf_lsa_hdr_get(const uint8_t *p, struct ospf_lsa_hdr *h)
{
	h->age = ospf_get16(p);
	h->options = p[2];
	h->type = p[3];
	h->id = ospf_get32(p + 4);
	h->adv = ospf_get32(p + 8);
	h->seq = (int32_t)ospf_get32(p + 12);
	h->cksum = ospf_get16(p + 16);
	h->len = ospf_get16(p + 18);
}

void
ospf_lsa_hdr_put(uint8_t *p, const struct ospf_lsa_hdr *h)
{
	ospf_put16(p, h->age);
	p[2] = h->options;
	p[3] = h->type;
	ospf_put32(p + 4, h->id);
	ospf_put32(p + 8, h->adv);
	ospf_put32(p + 12, (uint32_t)h->seq);
	ospf_put16(p + 16, h->cksum);
	ospf_put16(p + 18, h->len);
}

void
ospf_lsa_key_get(const uint8_t *p, struct ospf_lsa_key *k)
{
	k->type = p[3];
	k->id = ospf_get32(p + 4);
	k->adv = ospf_get32(p + 8);
}

int
ospf_lsa_key_cmp(const struct ospf_lsa_key *a, const struct ospf_lsa_key *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->adv != b->adv)
		return a->adv < b->adv ? -1 : 1;
	return 0;
}

void
ospf_lsa_set_age(uint8_t *lsa, uint16_t age)
{
	ospf_put16(lsa, age);
}

/*
 * Sums from the options byte (offset 2) to the end; the checksum bytes
 * (offsets 16 and 17) count as zero.  Over 4000 bytes c1 stays below
 * 2^31, so reducing once per block is exact and cheaper than per byte.
 */
static void
fletcher_sums(const uint8_t *lsa, size_t len, uint32_t *c0p, uint32_t *c1p)
{
	uint32_t c0 = 0, c1 = 0;
	size_t i = 2;

	while (i < len) {
		size_t end = len - i > 4000 ? i + 4000 : len;

		for (; i < end; i++) {
			c0 += (i == 16 || i == 17) ? 0 : lsa[i];
			c1 += c0;
		}
		c0 %= 255;
		c1 %= 255;
	}
	*c0p = c0;
	*c1p = c1;
}

uint16_t
ospf_lsa_fletcher(const uint8_t *lsa, size_t len)
{
	uint32_t c0, c1;
	int32_t x, y;
	/* The checksum sits 14 bytes into the summed data (from offset 2). */
	int32_t after = (int32_t)(len - 2) - 14 - 1;

	fletcher_sums(lsa, len, &c0, &c1);
	x = (int32_t)((after * (int64_t)c0 - c1) % 255);
	if (x <= 0)
		x += 255;
	y = 510 - (int32_t)c0 - x;
	if (y > 255)
		y -= 255;
	return (uint16_t)(x << 8 | y);
}

int
ospf_lsa_cksum_ok(const uint8_t *lsa, size_t len)
{
	if (len < OSPF_LSA_HDR_LEN)
		return 0;
	/* A zero is never computed: both bytes are in 1..255. */
	return ospf_get16(lsa + 16) == ospf_lsa_fletcher(lsa, len);
}

void
ospf_lsa_cksum_set(uint8_t *lsa, size_t len)
{
	ospf_put16(lsa + 16, ospf_lsa_fletcher(lsa, len));
}

int
ospf_lsa_newer(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b)
{
	int amax = a->age >= OSPF_MAX_AGE, bmax = b->age >= OSPF_MAX_AGE;

	if (a->seq != b->seq)
		return a->seq > b->seq ? 1 : -1;
	if (a->cksum != b->cksum)
		return a->cksum > b->cksum ? 1 : -1;
	if (amax != bmax)
		return amax ? 1 : -1;
	if (a->age > b->age + OSPF_MAX_AGE_DIFF)
		return -1;
	if (b->age > a->age + OSPF_MAX_AGE_DIFF)
		return 1;
	return 0;
}

/* Types an area-0-only router floods and keeps (no opaque, no NSSA). */
static int
type_known(uint8_t type)
{
	return type >= OSPF_LSA_ROUTER && type <= OSPF_LSA_EXTERNAL;
}

static int
body_ok(const uint8_t *lsa)
{
	struct ospf_rtr r;
	struct ospf_rtr_link l;
	struct ospf_net n;
	struct ospf_sum s;
	struct ospf_ext e;

	switch (lsa[3]) {
	case OSPF_LSA_ROUTER:
		if (ospf_rtr_parse(lsa, &r) < 0)
			return 0;
		while (ospf_rtr_next(&r, &l))
			;
		return r.left == 0;
	case OSPF_LSA_NETWORK:
		return ospf_net_parse(lsa, &n) == 0;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR:
		return ospf_sum_parse(lsa, &s) == 0;
	case OSPF_LSA_EXTERNAL:
		return ospf_ext_parse(lsa, &e) == 0;
	}
	return 0;
}

enum ospf_lsa_err
ospf_lsa_check(const uint8_t *lsa, size_t n)
{
	struct ospf_lsa_hdr h;

	if (n < OSPF_LSA_HDR_LEN)
		return OSPF_LSA_ELEN;
	ospf_lsa_hdr_get(lsa, &h);
	if (h.len < OSPF_LSA_HDR_LEN || h.len > n)
		return OSPF_LSA_ELEN;
	if (!ospf_lsa_cksum_ok(lsa, h.len))
		return OSPF_LSA_ECKSUM;
	if (!type_known(h.type))
		return OSPF_LSA_ETYPE;
	if (h.age > OSPF_MAX_AGE)
		return OSPF_LSA_EAGE;
	if (h.seq == OSPF_SEQ_RESERVED)
		return OSPF_LSA_ESEQ;
	if (!body_ok(lsa))
		return OSPF_LSA_EBODY;
	return OSPF_LSA_OK;
}

const char *
ospf_lsa_strerror(enum ospf_lsa_err e)
{
	static const char *const s[OSPF_LSA_NERR] = {
	    [OSPF_LSA_OK] = "ok",
	    [OSPF_LSA_ELEN] = "bad length",
	    [OSPF_LSA_ECKSUM] = "bad checksum",
	    [OSPF_LSA_ETYPE] = "unknown type",
	    [OSPF_LSA_EAGE] = "age above MaxAge",
	    [OSPF_LSA_ESEQ] = "reserved sequence number",
	    [OSPF_LSA_EBODY] = "malformed body",
	};

	return (unsigned)e < OSPF_LSA_NERR ? s[e] : "?";
}

const char *
ospf_lsa_type_name(uint8_t type)
{
	switch (type) {
	case OSPF_LSA_ROUTER:
		return "router";
	case OSPF_LSA_NETWORK:
		return "network";
	case OSPF_LSA_SUMMARY:
		return "summary";
	case OSPF_LSA_ASBR:
		return "asbr-summary";
	case OSPF_LSA_EXTERNAL:
		return "external";
	}
	return "unknown";
}

/* The body's length; callers passed ospf_lsa_check or built it. */
static size_t
lsa_len(const uint8_t *lsa)
{
	return ospf_get16(lsa + 18);
}

int
ospf_rtr_parse(const uint8_t *lsa, struct ospf_rtr *r)
{
	size_t len = lsa_len(lsa);

	if (len < OSPF_LSA_HDR_LEN + OSPF_RTR_LEN)
		return -1;
	r->flags = lsa[20];
	r->nlinks = ospf_get16(lsa + 22);
	r->next = lsa + OSPF_LSA_HDR_LEN + OSPF_RTR_LEN;
	r->end = lsa + len;
	r->left = r->nlinks;
	return 0;
}

int
ospf_rtr_next(struct ospf_rtr *r, struct ospf_rtr_link *l)
{
	size_t ntos;

	if (r->left == 0 || r->end - r->next < OSPF_RTR_LINK_LEN)
		return 0;
	ntos = r->next[9];
	if ((size_t)(r->end - r->next) < OSPF_RTR_LINK_LEN + 4 * ntos)
		return 0;
	l->id = ospf_get32(r->next);
	l->data = ospf_get32(r->next + 4);
	l->type = r->next[8];
	l->metric = ospf_get16(r->next + 10);
	r->next += OSPF_RTR_LINK_LEN + 4 * ntos;
	r->left--;
	return 1;
}

int
ospf_net_parse(const uint8_t *lsa, struct ospf_net *n)
{
	size_t len = lsa_len(lsa);

	if (len < OSPF_LSA_HDR_LEN + 4 || (len - OSPF_LSA_HDR_LEN) % 4)
		return -1;
	n->mask = ospf_get32(lsa + OSPF_LSA_HDR_LEN);
	n->rtr = lsa + OSPF_LSA_HDR_LEN + 4;
	n->nrtr = (len - OSPF_LSA_HDR_LEN - 4) / 4;
	return 0;
}

uint32_t
ospf_net_router(const struct ospf_net *n, size_t i)
{
	return ospf_get32(n->rtr + 4 * i);
}

int
ospf_sum_parse(const uint8_t *lsa, struct ospf_sum *s)
{
	if (lsa_len(lsa) < OSPF_LSA_HDR_LEN + 8)
		return -1;
	s->mask = ospf_get32(lsa + OSPF_LSA_HDR_LEN);
	s->metric = ospf_get32(lsa + OSPF_LSA_HDR_LEN + 4) & OSPF_LS_INFINITY;
	return 0;
}

int
ospf_ext_parse(const uint8_t *lsa, struct ospf_ext *e)
{
	const uint8_t *b = lsa + OSPF_LSA_HDR_LEN;
	uint32_t m;

	if (lsa_len(lsa) < OSPF_LSA_HDR_LEN + OSPF_EXT_LEN)
		return -1;
	e->mask = ospf_get32(b);
	m = ospf_get32(b + 4);
	e->ebit = (m & OSPF_EXT_E) != 0;
	e->metric = m & OSPF_LS_INFINITY;
	e->fwd = ospf_get32(b + 8);
	e->tag = ospf_get32(b + 12);
	return 0;
}

static void
finish(uint8_t *buf, const struct ospf_lsa_hdr *h, size_t len)
{
	struct ospf_lsa_hdr w = *h;

	w.len = (uint16_t)len;
	w.cksum = 0;
	ospf_lsa_hdr_put(buf, &w);
	ospf_lsa_cksum_set(buf, len);
}

size_t
ospf_rtr_build(uint8_t *buf, size_t cap, const struct ospf_lsa_hdr *h,
    uint8_t flags, const struct ospf_rtr_link *l, size_t n)
{
	size_t len = OSPF_LSA_HDR_LEN + OSPF_RTR_LEN + n * OSPF_RTR_LINK_LEN;
	uint8_t *p = buf + OSPF_LSA_HDR_LEN + OSPF_RTR_LEN;
	size_t i;

	if (len > cap || n > 0xffff || len > 0xffff)
		return 0;
	buf[20] = flags;
	buf[21] = 0;
	ospf_put16(buf + 22, (uint16_t)n);
	for (i = 0; i < n; i++, p += OSPF_RTR_LINK_LEN) {
		ospf_put32(p, l[i].id);
		ospf_put32(p + 4, l[i].data);
		p[8] = l[i].type;
		p[9] = 0; /* no TOS entries */
		ospf_put16(p + 10, l[i].metric);
	}
	finish(buf, h, len);
	return len;
}

size_t
ospf_ext_build(uint8_t *buf, size_t cap, const struct ospf_lsa_hdr *h,
    const struct ospf_ext *e)
{
	size_t len = OSPF_LSA_HDR_LEN + OSPF_EXT_LEN;
	uint8_t *b = buf + OSPF_LSA_HDR_LEN;

	if (len > cap)
		return 0;
	ospf_put32(b, e->mask);
	ospf_put32(
	    b + 4, (e->ebit ? OSPF_EXT_E : 0) | (e->metric & OSPF_LS_INFINITY));
	ospf_put32(b + 8, e->fwd);
	ospf_put32(b + 12, e->tag);
	finish(buf, h, len);
	return len;
}
