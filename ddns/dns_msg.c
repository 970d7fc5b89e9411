/*
 * dns_msg.c: building RFC 2136 UPDATE messages and walking responses with
 * strict bounds.  Everything read from the network passes through
 * ddns_msg_parse() first; nothing else indexes a received message blindly.
 */
#include <string.h>
#include <sys/socket.h>

#include "ddns/dns_msg.h"

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void
put(struct wbuf *b, const void *d, size_t n)
{
	if (b->err || n > b->cap - b->len) {
		b->err = 1;
		return;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void
put16(struct wbuf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, 2);
}

static void
put32(struct wbuf *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b, (uint16_t)v);
}

static void
put_name(struct wbuf *b, const char *text)
{
	uint8_t w[DDNS_NAME_MAX];
	int n;

	if ((n = ddns_name_to_wire(text, w, sizeof(w), 0)) == -1)
		b->err = 1;
	else
		put(b, w, (size_t)n);
}

/* An RR header: name, type, class, TTL and rdata length. */
static void
put_rr(struct wbuf *b, const char *name, uint16_t type, uint16_t class,
    uint32_t ttl, uint16_t rdlen)
{
	put_name(b, name);
	put16(b, type);
	put16(b, class);
	put32(b, ttl);
	put16(b, rdlen);
}

int
ddns_update_build(const struct ddns_update_req *r, uint8_t *buf, size_t cap)
{
	struct wbuf b = {buf, 0, cap, 0};
	uint16_t type = r->af == AF_INET ? DDNS_T_A : DDNS_T_AAAA;
	uint16_t alen = r->af == AF_INET ? 4 : 16;

	if (r->af != AF_INET && r->af != AF_INET6)
		return -1;
	put16(&b, r->id);
	put16(&b, DDNS_OP_UPDATE << 11);
	put16(&b, 1); /* ZOCOUNT */
	put16(&b, 0); /* PRCOUNT */
	put16(&b, 2); /* UPCOUNT */
	put16(&b, 0); /* ADCOUNT: TSIG comes later */
	put_name(&b, r->zone);
	put16(&b, DDNS_T_SOA);
	put16(&b, DDNS_C_IN);
	/* Class ANY, TTL 0, no rdata: delete the whole RRset of this type. */
	put_rr(&b, r->name, type, DDNS_C_ANY, 0, 0);
	put_rr(&b, r->name, type, DDNS_C_IN, r->ttl, alen);
	put(&b, r->addr, alen);
	return b.err ? -1 : (int)b.len;
}

/* --- parsing ------------------------------------------------------------- */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The 10 octets after an RR's owner name. */
struct rrhdr {
	uint16_t type, class, rdlen;
	size_t rdata;
};

static int
rr_skip(const uint8_t *msg, size_t len, size_t *off, struct rrhdr *h)
{
	if (ddns_name_read(msg, len, off, NULL, NULL) == -1 || len - *off < 10)
		return -1;
	h->type = get16(msg + *off);
	h->class = get16(msg + *off + 2);
	h->rdlen = get16(msg + *off + 8);
	h->rdata = *off + 10;
	if (h->rdlen > len - h->rdata)
		return -1;
	*off = h->rdata + h->rdlen;
	return 0;
}

/* TSIG RDATA (RFC 8945 4.2); the algorithm name is never compressed. */
static int
tsig_rdata(const uint8_t *msg, size_t start, size_t end, struct ddns_tsig_rr *t)
{
	size_t p = start;

	if (ddns_name_read(msg, end, &p, t->alg, &t->alg_len) == -1 ||
	    end - p < 10)
		return -1;
	t->time_signed = (uint64_t)get16(msg + p) << 32 |
	                 (uint64_t)get16(msg + p + 2) << 16 |
	                 get16(msg + p + 4);
	t->fudge = get16(msg + p + 6);
	t->mac_len = get16(msg + p + 8);
	p += 10;
	if (t->mac_len > end - p || end - p - t->mac_len < 6)
		return -1;
	t->mac = msg + p;
	p += t->mac_len;
	t->orig_id = get16(msg + p);
	t->error = get16(msg + p + 2);
	t->other_len = get16(msg + p + 4);
	p += 6;
	if (t->other_len != end - p)
		return -1;
	t->other = msg + p;
	return 0;
}

static int
rr_tsig(const uint8_t *msg, size_t len, size_t start, const struct rrhdr *h,
    struct ddns_tsig_rr *t)
{
	size_t p = start;

	if (ddns_name_read(msg, len, &p, t->name, &t->name_len) == -1 ||
	    h->class != DDNS_C_ANY)
		return -1;
	t->rr_off = start;
	return tsig_rdata(msg, h->rdata, h->rdata + h->rdlen, t);
}

static void
parse_header(const uint8_t *msg, struct ddns_msg_info *mi)
{
	uint16_t fl = get16(msg + 2);

	mi->id = get16(msg);
	mi->qr = fl >> 15;
	mi->opcode = (fl >> 11) & 0xf;
	mi->aa = (fl >> 10) & 1;
	mi->tc = (fl >> 9) & 1;
	mi->rcode = fl & 0xf;
	mi->qdcount = get16(msg + 4);
	mi->ancount = get16(msg + 6);
	mi->nscount = get16(msg + 8);
	mi->arcount = get16(msg + 10);
}

int
ddns_msg_parse(const uint8_t *msg, size_t len, struct ddns_msg_info *mi)
{
	size_t off = DDNS_HDR_LEN, start;
	unsigned i, nrr;
	struct rrhdr h;

	memset(mi, 0, sizeof(*mi));
	if (len < DDNS_HDR_LEN)
		return -1;
	parse_header(msg, mi);
	for (i = 0; i < mi->qdcount; i++)
		if (ddns_name_read(msg, len, &off, NULL, NULL) == -1 ||
		    len - off < 4)
			return -1;
		else
			off += 4;
	nrr = (unsigned)mi->ancount + mi->nscount + mi->arcount;
	for (i = 0; i < nrr; i++) {
		start = off;
		if (rr_skip(msg, len, &off, &h) == -1)
			return -1;
		if (h.type != DDNS_T_TSIG)
			continue;
		/* Only as the very last RR of the additional section. */
		if (i != nrr - 1 || mi->arcount == 0 ||
		    rr_tsig(msg, len, start, &h, &mi->tsig) == -1)
			return -1;
		mi->has_tsig = 1;
	}
	if (off != len)
		return -1; /* trailing garbage */
	return 0;
}

const char *
ddns_rcode_name(int rcode)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL",
	    "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET",
	    "NOTAUTH", "NOTZONE"};

	if (rcode >= 0 && rcode < (int)(sizeof(names) / sizeof(names[0])))
		return names[rcode];
	switch (rcode) {
	case DDNS_R_BADSIG:
		return "BADSIG";
	case DDNS_R_BADKEY:
		return "BADKEY";
	case DDNS_R_BADTIME:
		return "BADTIME";
	case DDNS_R_BADTRUNC:
		return "BADTRUNC";
	}
	return "RCODE?";
}

size_t
ddns_rdata_addrs(
    int af, char *const *data, const int *lens, uint8_t (*out)[16], size_t max)
{
	size_t n = 0, i, want = af == AF_INET ? 4 : 16;

	if (data == NULL || lens == NULL)
		return 0;
	for (i = 0; data[i] != NULL && n < max; i++) {
		if (lens[i] < 0 || (size_t)lens[i] != want)
			continue;
		memset(out[n], 0, 16);
		memcpy(out[n], data[i], want);
		n++;
	}
	return n;
}
