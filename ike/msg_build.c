/*
 * msg_build.c: write IKEv2 messages into a caller's buffer.  Lengths and
 * Next Payload bytes are patched as payloads close, so a builder can never
 * emit a chain that disagrees with itself; an overflow poisons the writer.
 */
#include <string.h>

#include "ike/msg.h"

#define NO_NEXT ((size_t)-1)

static int
room(struct ike_wbuf *w, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = 1;
		return 0;
	}
	return 1;
}

void
ike_wbuf_chain(struct ike_wbuf *w, uint8_t *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	w->next_at = NO_NEXT;
	w->pl_at = NO_NEXT;
}

void
ike_wbuf_msg(struct ike_wbuf *w, uint8_t *buf, size_t cap,
    const struct ike_hdr *h)
{
	ike_wbuf_chain(w, buf, cap);
	if (!room(w, IKE_HDR_LEN))
		return;
	ike_set64(buf, h->ispi);
	ike_set64(buf + 8, h->rspi);
	buf[16] = IKE_PL_NONE;
	buf[17] = h->version ? h->version : IKE_VERSION;
	buf[18] = h->exchange;
	buf[19] = h->flags;
	ike_set32(buf + 20, h->msgid);
	ike_set32(buf + 24, 0);
	w->len = IKE_HDR_LEN;
	w->next_at = 16;
	w->has_hdr = 1;
}

long
ike_wbuf_finish(struct ike_wbuf *w)
{
	if (w->err || w->pl_at != NO_NEXT || w->len > UINT32_MAX)
		return -1;
	if (w->has_hdr)
		ike_set32(w->buf + 24, (uint32_t)w->len);
	return (long)w->len;
}

uint8_t
ike_wbuf_first(const struct ike_wbuf *w)
{
	return w->first;
}

void
ike_put_begin(struct ike_wbuf *w, uint8_t type, int critical)
{
	if (w->sealed || w->pl_at != NO_NEXT)
		w->err = 1;
	if (!room(w, IKE_GENHDR_LEN))
		return;
	if (w->next_at != NO_NEXT)
		w->buf[w->next_at] = type;
	if (w->first == IKE_PL_NONE)
		w->first = type;
	w->pl_at = w->len;
	w->next_at = w->len;
	w->buf[w->len] = IKE_PL_NONE;
	w->buf[w->len + 1] = critical ? IKE_PL_CRITICAL : 0;
	ike_set16(w->buf + w->len + 2, 0);
	w->len += IKE_GENHDR_LEN;
}

void
ike_put_end(struct ike_wbuf *w)
{
	size_t n;

	if (w->err)
		return;
	n = w->len - w->pl_at;
	if (w->pl_at == NO_NEXT || n > UINT16_MAX) {
		w->err = 1;
		return;
	}
	ike_set16(w->buf + w->pl_at + 2, (uint16_t)n);
	w->pl_at = NO_NEXT;
}

void
ike_put_bytes(struct ike_wbuf *w, const void *p, size_t n)
{
	if (n == 0 || !room(w, n))
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void
ike_put_u8(struct ike_wbuf *w, uint8_t v)
{
	ike_put_bytes(w, &v, 1);
}

void
ike_put_u16(struct ike_wbuf *w, uint16_t v)
{
	uint8_t b[2];

	ike_set16(b, v);
	ike_put_bytes(w, b, 2);
}

void
ike_put_u32(struct ike_wbuf *w, uint32_t v)
{
	uint8_t b[4];

	ike_set32(b, v);
	ike_put_bytes(w, b, 4);
}

void
ike_put_ke(struct ike_wbuf *w, uint16_t group, const uint8_t *d, size_t len)
{
	ike_put_begin(w, IKE_PL_KE, 0);
	ike_put_u16(w, group);
	ike_put_u16(w, 0);
	ike_put_bytes(w, d, len);
	ike_put_end(w);
}

/* IDi/IDr and AUTH: one type byte, three reserved, the data. */
static void
put_typed(struct ike_wbuf *w, uint8_t pltype, uint8_t type, const uint8_t *d,
    size_t len)
{
	static const uint8_t zero[3];

	ike_put_begin(w, pltype, 0);
	ike_put_u8(w, type);
	ike_put_bytes(w, zero, 3);
	ike_put_bytes(w, d, len);
	ike_put_end(w);
}

void
ike_put_id(struct ike_wbuf *w, uint8_t pltype, uint8_t idtype,
    const uint8_t *d, size_t len)
{
	if (pltype != IKE_PL_IDI && pltype != IKE_PL_IDR)
		w->err = 1;
	put_typed(w, pltype, idtype, d, len);
}

void
ike_put_auth(struct ike_wbuf *w, uint8_t method, const uint8_t *d, size_t len)
{
	put_typed(w, IKE_PL_AUTH, method, d, len);
}

void
ike_put_nonce(struct ike_wbuf *w, const uint8_t *d, size_t len)
{
	if (len < IKE_NONCE_MIN || len > IKE_NONCE_MAX)
		w->err = 1;
	ike_put_begin(w, IKE_PL_NONCE, 0);
	ike_put_bytes(w, d, len);
	ike_put_end(w);
}

void
ike_put_notify(struct ike_wbuf *w, uint8_t proto, const uint8_t *spi,
    uint8_t spi_size, uint16_t type, const uint8_t *d, size_t len)
{
	ike_put_begin(w, IKE_PL_NOTIFY, 0);
	ike_put_u8(w, proto);
	ike_put_u8(w, spi_size);
	ike_put_u16(w, type);
	ike_put_bytes(w, spi, spi_size);
	ike_put_bytes(w, d, len);
	ike_put_end(w);
}

void
ike_put_delete(struct ike_wbuf *w, uint8_t proto, uint8_t spi_size,
    const uint8_t *spis, uint16_t nspi)
{
	ike_put_begin(w, IKE_PL_DELETE, 0);
	ike_put_u8(w, proto);
	ike_put_u8(w, spi_size);
	ike_put_u16(w, nspi);
	ike_put_bytes(w, spis, (size_t)spi_size * nspi);
	ike_put_end(w);
}

void
ike_put_vendor(struct ike_wbuf *w, const uint8_t *d, size_t len)
{
	ike_put_begin(w, IKE_PL_VENDOR, 0);
	ike_put_bytes(w, d, len);
	ike_put_end(w);
}

void
ike_put_ts(struct ike_wbuf *w, uint8_t pltype, const struct ike_ts *ts,
    size_t nts)
{
	static const uint8_t zero[3];
	size_t i, alen;

	if ((pltype != IKE_PL_TSI && pltype != IKE_PL_TSR) || nts == 0 ||
	    nts > 255)
		w->err = 1;
	ike_put_begin(w, pltype, 0);
	ike_put_u8(w, (uint8_t)nts);
	ike_put_bytes(w, zero, 3);
	for (i = 0; i < nts; i++) {
		alen = ts[i].type == IKE_TS_IPV4_ADDR_RANGE ? 4 : 16;
		if (ts[i].type != IKE_TS_IPV4_ADDR_RANGE &&
		    ts[i].type != IKE_TS_IPV6_ADDR_RANGE)
			w->err = 1;
		ike_put_u8(w, ts[i].type);
		ike_put_u8(w, ts[i].ipproto);
		ike_put_u16(w, (uint16_t)(8 + 2 * alen));
		ike_put_u16(w, ts[i].sport);
		ike_put_u16(w, ts[i].eport);
		ike_put_bytes(w, ts[i].start, alen);
		ike_put_bytes(w, ts[i].end, alen);
	}
	ike_put_end(w);
}

size_t
ike_put_sk_head(struct ike_wbuf *w, uint8_t inner_first, uint16_t fragnum,
    uint16_t nfrags, size_t bodylen)
{
	size_t body;

	ike_put_begin(w, fragnum ? IKE_PL_SKF : IKE_PL_SK, 0);
	if (fragnum) {
		ike_put_u16(w, fragnum);
		ike_put_u16(w, nfrags);
	}
	if (!room(w, bodylen))
		return 0;
	/* 3.14: the SK's Next Payload names the first inner payload. */
	w->buf[w->pl_at] = inner_first;
	body = w->len;
	memset(w->buf + body, 0, bodylen);
	w->len += bodylen;
	ike_put_end(w);
	w->sealed = 1;
	return body;
}
