/*
 * pkt.c: the OSPFv2 packet codec (RFC 2328 A.3).  See pkt.h.
 */
#include "ospf/pkt.h"

#include <string.h>

#include "ospf/wire.h"

const char *
ospf_pkt_strerror(enum ospf_pkt_err e)
{
	static const char *const s[OSPF_PKT_NERR] = {
	    [OSPF_PKT_OK] = "ok",
	    [OSPF_PKT_ETRUNC] = "truncated",
	    [OSPF_PKT_EVERSION] = "bad version",
	    [OSPF_PKT_ETYPE] = "bad packet type",
	    [OSPF_PKT_ECKSUM] = "bad checksum",
	    [OSPF_PKT_ESYNTAX] = "malformed body",
	};

	return (unsigned)e < OSPF_PKT_NERR ? s[e] : "?";
}

const char *
ospf_pkt_type_name(uint8_t type)
{
	static const char *const s[OSPF_NTYPES] = {
	    [OSPF_HELLO] = "hello",
	    [OSPF_DD] = "db-description",
	    [OSPF_LSR] = "ls-request",
	    [OSPF_LSU] = "ls-update",
	    [OSPF_LSACK] = "ls-ack",
	};

	return type > 0 && type < OSPF_NTYPES ? s[type] : "unknown";
}

/* One's complement sum of 16-bit words; an odd last byte is padded. */
static uint32_t
sum16(const uint8_t *p, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Bytes 0-11 and 14-15 of the header, the checksum skipped, no auth. */
uint16_t
ospf_pkt_cksum(const uint8_t *p, size_t len)
{
	uint32_t sum = sum16(p, 12, 0);

	sum = sum16(p + 14, 2, sum);
	sum = sum16(p + OSPF_HDR_LEN, len - OSPF_HDR_LEN, sum);
	return (uint16_t)~fold(sum);
}

static enum ospf_pkt_err
parse_hello(const uint8_t *b, size_t n, struct ospf_pkt *pk)
{
	struct ospf_hello *h = &pk->u.hello;

	if (n < OSPF_HELLO_LEN || (n - OSPF_HELLO_LEN) % 4)
		return OSPF_PKT_ESYNTAX;
	h->mask = ospf_get32(b);
	h->hello_ival = ospf_get16(b + 4);
	h->options = b[6];
	h->prio = b[7];
	h->dead_ival = ospf_get32(b + 8);
	h->dr = ospf_get32(b + 12);
	h->bdr = ospf_get32(b + 16);
	h->nbr = b + OSPF_HELLO_LEN;
	h->nnbr = (n - OSPF_HELLO_LEN) / 4;
	return OSPF_PKT_OK;
}

static enum ospf_pkt_err
parse_dd(const uint8_t *b, size_t n, struct ospf_pkt *pk)
{
	struct ospf_dd *d = &pk->u.dd;

	if (n < OSPF_DD_LEN || (n - OSPF_DD_LEN) % OSPF_LSA_HDR_LEN)
		return OSPF_PKT_ESYNTAX;
	d->mtu = ospf_get16(b);
	d->options = b[2];
	d->flags = b[3];
	d->seq = ospf_get32(b + 4);
	d->hdrs = b + OSPF_DD_LEN;
	d->nhdrs = (n - OSPF_DD_LEN) / OSPF_LSA_HDR_LEN;
	return OSPF_PKT_OK;
}

static enum ospf_pkt_err
parse_lsr(const uint8_t *b, size_t n, struct ospf_pkt *pk)
{
	if (n % OSPF_LSR_ENTRY_LEN)
		return OSPF_PKT_ESYNTAX;
	pk->u.lsr.ent = b;
	pk->u.lsr.n = n / OSPF_LSR_ENTRY_LEN;
	return OSPF_PKT_OK;
}

/*
 * Every LSA of the count must fit, each at least a header long, so that
 * the walk never leaves the packet.  Bytes after the last one are let be:
 * the count says where the update ends.
 */
static enum ospf_pkt_err
parse_lsu(const uint8_t *b, size_t n, struct ospf_pkt *pk)
{
	struct ospf_lsu *u = &pk->u.lsu;
	const uint8_t *p;
	uint32_t i;

	if (n < OSPF_LSU_LEN)
		return OSPF_PKT_ESYNTAX;
	u->n = ospf_get32(b);
	u->lsas = b + OSPF_LSU_LEN;
	u->len = n - OSPF_LSU_LEN;
	/* Each LSA takes 20 bytes at least: a count beyond that lies. */
	if (u->n > u->len / OSPF_LSA_HDR_LEN)
		return OSPF_PKT_ESYNTAX;
	for (i = 0, p = u->lsas; i < u->n; i++) {
		size_t room = (size_t)(u->lsas + u->len - p);
		uint16_t l;

		if (room < OSPF_LSA_HDR_LEN)
			return OSPF_PKT_ESYNTAX;
		l = ospf_get16(p + 18);
		if (l < OSPF_LSA_HDR_LEN || l > room)
			return OSPF_PKT_ESYNTAX;
		p += l;
	}
	return OSPF_PKT_OK;
}

static enum ospf_pkt_err
parse_lsack(const uint8_t *b, size_t n, struct ospf_pkt *pk)
{
	if (n % OSPF_LSA_HDR_LEN)
		return OSPF_PKT_ESYNTAX;
	pk->u.ack.hdrs = b;
	pk->u.ack.nhdrs = n / OSPF_LSA_HDR_LEN;
	return OSPF_PKT_OK;
}

typedef enum ospf_pkt_err body_parser(
    const uint8_t *, size_t, struct ospf_pkt *);
static body_parser *const parsers[OSPF_NTYPES] = {
    [OSPF_HELLO] = parse_hello,
    [OSPF_DD] = parse_dd,
    [OSPF_LSR] = parse_lsr,
    [OSPF_LSU] = parse_lsu,
    [OSPF_LSACK] = parse_lsack,
};

static void
hdr_get(const uint8_t *p, struct ospf_hdr *h)
{
	h->version = p[0];
	h->type = p[1];
	h->len = ospf_get16(p + 2);
	h->rid = ospf_get32(p + 4);
	h->area = ospf_get32(p + 8);
	h->cksum = ospf_get16(p + 12);
	h->autype = ospf_get16(p + 14);
	h->auth = p + 16;
}

enum ospf_pkt_err
ospf_pkt_parse(const uint8_t *p, size_t n, struct ospf_pkt *pk)
{
	struct ospf_hdr *h = &pk->h;

	memset(pk, 0, sizeof(*pk));
	if (n < OSPF_HDR_LEN)
		return OSPF_PKT_ETRUNC;
	hdr_get(p, h);
	if (h->version != OSPF_VERSION)
		return OSPF_PKT_EVERSION;
	if (h->type == 0 || h->type >= OSPF_NTYPES)
		return OSPF_PKT_ETYPE;
	if (h->len < OSPF_HDR_LEN || h->len > n)
		return OSPF_PKT_ETRUNC;
	h->trail = p + h->len;
	h->trail_len = n - h->len;
	if (h->autype != OSPF_AUTH_CRYPT &&
	    ospf_pkt_cksum(p, h->len) != h->cksum)
		return OSPF_PKT_ECKSUM;
	return parsers[h->type](p + OSPF_HDR_LEN, h->len - OSPF_HDR_LEN, pk);
}

uint32_t
ospf_hello_nbr(const struct ospf_hello *h, size_t i)
{
	return ospf_get32(h->nbr + 4 * i);
}

void
ospf_lsr_get(const struct ospf_lsr *r, size_t i, struct ospf_lsa_key *k)
{
	const uint8_t *e = r->ent + OSPF_LSR_ENTRY_LEN * i;

	/* The type is a 32-bit field; only its low byte can be valid. */
	k->type = ospf_get32(e) > 0xff ? 0 : e[3];
	k->id = ospf_get32(e + 4);
	k->adv = ospf_get32(e + 8);
}

void
ospf_lsu_iter(const struct ospf_lsu *u, struct ospf_lsu_iter *it)
{
	it->p = u->lsas;
	it->end = u->lsas + u->len;
	it->left = u->n;
}

int
ospf_lsu_next(struct ospf_lsu_iter *it, const uint8_t **lsa, size_t *len)
{
	size_t l;

	if (it->left == 0)
		return 0;
	/* parse_lsu checked every length: this holds for a parsed update. */
	l = ospf_get16(it->p + 18);
	*lsa = it->p;
	*len = l;
	it->p += l;
	it->left--;
	return 1;
}

void
ospf_w_init(struct ospf_w *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->full = 0;
}

uint8_t *
ospf_w_reserve(struct ospf_w *w, size_t n)
{
	uint8_t *r;

	if (w->full || n > w->cap - w->len) {
		w->full = 1;
		return NULL;
	}
	r = w->p + w->len;
	w->len += n;
	return r;
}

void
ospf_w_u8(struct ospf_w *w, uint8_t v)
{
	uint8_t *p = ospf_w_reserve(w, 1);

	if (p)
		*p = v;
}

void
ospf_w_u16(struct ospf_w *w, uint16_t v)
{
	uint8_t *p = ospf_w_reserve(w, 2);

	if (p)
		ospf_put16(p, v);
}

void
ospf_w_u32(struct ospf_w *w, uint32_t v)
{
	uint8_t *p = ospf_w_reserve(w, 4);

	if (p)
		ospf_put32(p, v);
}

void
ospf_w_mem(struct ospf_w *w, const void *src, size_t n)
{
	uint8_t *p = ospf_w_reserve(w, n);

	if (p)
		memcpy(p, src, n);
}

void
ospf_pkt_start(struct ospf_w *w, uint8_t type, uint32_t rid, uint32_t area)
{
	uint8_t *p = ospf_w_reserve(w, OSPF_HDR_LEN);

	if (!p)
		return;
	memset(p, 0, OSPF_HDR_LEN);
	p[0] = OSPF_VERSION;
	p[1] = type;
	ospf_put32(p + 4, rid);
	ospf_put32(p + 8, area);
}

int
ospf_pkt_finish(struct ospf_w *w, uint16_t autype, const uint8_t auth[8])
{
	if (w->full || w->len < OSPF_HDR_LEN || w->len > 0xffff)
		return -1;
	ospf_put16(w->p + 2, (uint16_t)w->len);
	ospf_put16(w->p + 12, 0);
	ospf_put16(w->p + 14, autype);
	if (auth)
		memcpy(w->p + 16, auth, OSPF_AUTH_LEN);
	else
		memset(w->p + 16, 0, OSPF_AUTH_LEN);
	if (autype != OSPF_AUTH_CRYPT)
		ospf_put16(w->p + 12, ospf_pkt_cksum(w->p, w->len));
	return 0;
}

void
ospf_hello_put(struct ospf_w *w, const struct ospf_hello *h)
{
	ospf_w_u32(w, h->mask);
	ospf_w_u16(w, h->hello_ival);
	ospf_w_u8(w, h->options);
	ospf_w_u8(w, h->prio);
	ospf_w_u32(w, h->dead_ival);
	ospf_w_u32(w, h->dr);
	ospf_w_u32(w, h->bdr);
}

void
ospf_dd_put(struct ospf_w *w, const struct ospf_dd *d)
{
	ospf_w_u16(w, d->mtu);
	ospf_w_u8(w, d->options);
	ospf_w_u8(w, d->flags);
	ospf_w_u32(w, d->seq);
}

void
ospf_lsa_hdr_add(struct ospf_w *w, const uint8_t *lsa, uint16_t age)
{
	uint8_t *p = ospf_w_reserve(w, OSPF_LSA_HDR_LEN);

	if (!p)
		return;
	memcpy(p, lsa, OSPF_LSA_HDR_LEN);
	ospf_lsa_set_age(p, age);
}

void
ospf_lsr_add(struct ospf_w *w, const struct ospf_lsa_key *k)
{
	ospf_w_u32(w, k->type);
	ospf_w_u32(w, k->id);
	ospf_w_u32(w, k->adv);
}

void
ospf_lsu_start(struct ospf_w *w)
{
	ospf_w_u32(w, 0);
}

void
ospf_lsu_add(struct ospf_w *w, const uint8_t *lsa, size_t len, uint16_t age)
{
	uint8_t *p = ospf_w_reserve(w, len);
	uint8_t *count = w->p + OSPF_HDR_LEN;

	if (!p)
		return;
	memcpy(p, lsa, len);
	ospf_lsa_set_age(p, age);
	ospf_put32(count, ospf_get32(count) + 1);
}
