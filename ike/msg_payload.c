/*
 * msg_payload.c: decoders for the payloads other than SA (RFC 7296 3.4 to
 * 3.15, RFC 7383 2.5).  Each takes a view from ike_msg_parse(), checks
 * every inner length against the payload's own, and returns 0 or -1 (the
 * caller answers INVALID_SYNTAX).  Results point into the message.
 */
#include <string.h>

#include "ike/msg.h"

int
ike_pl_ke(const struct ike_pl *p, struct ike_ke_pl *ke)
{
	if (p->len <= 4)
		return -1;
	ke->group = ike_get16(p->body);
	ke->data = p->body + 4;
	ke->len = p->len - 4;
	return 0;
}

int
ike_pl_id(const struct ike_pl *p, struct ike_id_pl *id)
{
	if (p->len <= 4)
		return -1;
	id->type = p->body[0];
	id->data = p->body + 4;
	id->len = p->len - 4;
	id->body = p->body;
	id->bodylen = p->len;
	if (id->type == IKE_ID_IPV4_ADDR && id->len != 4)
		return -1;
	if (id->type == IKE_ID_IPV6_ADDR && id->len != 16)
		return -1;
	return 0;
}

int
ike_pl_auth(const struct ike_pl *p, struct ike_auth_pl *a)
{
	if (p->len <= 4)
		return -1;
	a->method = p->body[0];
	a->data = p->body + 4;
	a->len = p->len - 4;
	return 0;
}

int
ike_pl_nonce(const struct ike_pl *p, const uint8_t **n, size_t *len)
{
	/* 3.9: between 16 and 256 octets. */
	if (p->len < IKE_NONCE_MIN || p->len > IKE_NONCE_MAX)
		return -1;
	*n = p->body;
	*len = p->len;
	return 0;
}

int
ike_pl_notify(const struct ike_pl *p, struct ike_notify_pl *n)
{
	if (p->len < 4)
		return -1;
	n->proto = p->body[0];
	n->spi_size = p->body[1];
	n->type = ike_get16(p->body + 2);
	if (n->spi_size > p->len - 4)
		return -1;
	n->spi = n->spi_size ? p->body + 4 : NULL;
	n->data = p->body + 4 + n->spi_size;
	n->len = p->len - 4 - n->spi_size;
	return 0;
}

int
ike_pl_delete(const struct ike_pl *p, struct ike_delete_pl *d)
{
	if (p->len < 4)
		return -1;
	d->proto = p->body[0];
	d->spi_size = p->body[1];
	d->nspi = ike_get16(p->body + 2);
	d->spis = p->body + 4;
	/* 3.11: exactly the SPIs announced, nothing after them. */
	if ((size_t)d->spi_size * d->nspi != p->len - 4)
		return -1;
	if (d->proto == IKE_PROTO_IKE && (d->spi_size != 0 || d->nspi != 0))
		return -1;
	if ((d->proto == IKE_PROTO_ESP || d->proto == IKE_PROTO_AH) &&
	    d->spi_size != 4)
		return -1;
	return 0;
}

/* One selector at p (3.13.1); its length is already known to fit. */
static int
ts_one(const uint8_t *p, size_t sellen, struct ike_ts_pl *out)
{
	struct ike_ts *t;
	size_t alen;

	if (p[0] == IKE_TS_IPV4_ADDR_RANGE)
		alen = 4;
	else if (p[0] == IKE_TS_IPV6_ADDR_RANGE)
		alen = 16;
	else {
		out->nunknown++;
		return 0;
	}
	if (sellen != 8 + 2 * alen || out->nts == IKE_MSG_MAX_TS)
		return -1;
	t = &out->ts[out->nts++];
	memset(t, 0, sizeof(*t));
	t->type = p[0];
	t->ipproto = p[1];
	t->sport = ike_get16(p + 4);
	t->eport = ike_get16(p + 6);
	memcpy(t->start, p + 8, alen);
	memcpy(t->end, p + 8 + alen, alen);
	return 0;
}

int
ike_pl_ts(const struct ike_pl *p, struct ike_ts_pl *ts)
{
	size_t off = 4, n, i, sellen;

	ts->nts = ts->nunknown = 0;
	if (p->len < 4 || (n = p->body[0]) == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (p->len - off < 8)
			return -1;
		sellen = ike_get16(p->body + off + 2);
		if (sellen < 8 || sellen > p->len - off)
			return -1;
		if (ts_one(p->body + off, sellen, ts) == -1)
			return -1;
		off += sellen;
	}
	return off == p->len ? 0 : -1;
}

int
ike_pl_sk(const struct ike_msg *m, const struct ike_pl *p,
    struct ike_sk_pl *sk)
{
	size_t head = 0;

	if (p->type == IKE_PL_SKF) {
		/* RFC 7383 2.5: numbers start at 1, none above the total. */
		if (p->len < 4)
			return -1;
		sk->fragnum = ike_get16(p->body);
		sk->nfrags = ike_get16(p->body + 2);
		if (sk->fragnum == 0 || sk->fragnum > sk->nfrags)
			return -1;
		head = 4;
	} else if (p->type == IKE_PL_SK) {
		sk->fragnum = sk->nfrags = 1;
	} else
		return -1;
	sk->data = p->body + head;
	sk->len = p->len - head;
	sk->aad_len = (size_t)(sk->data - m->buf);
	return 0;
}

int
ike_pl_cp(const struct ike_pl *p, struct ike_cp_pl *cp)
{
	size_t off = 4, alen;

	if (p->len < 4)
		return -1;
	cp->type = p->body[0];
	cp->nattr = 0;
	while (off < p->len) {
		if (p->len - off < 4)
			return -1;
		alen = ike_get16(p->body + off + 2);
		if (alen > p->len - off - 4)
			return -1;
		off += 4 + alen;
		cp->nattr++;
	}
	return 0;
}
