/*
 * msg_parse.c: split an IKEv2 message (or the plaintext of its SK payload)
 * into payload views.  Every length is checked against what is left of the
 * buffer before it is used; the result is a bounded array, no allocation.
 */
#include <string.h>

#include "ike/msg.h"

static int
pl_known(uint8_t t)
{
	return (t >= IKE_PL_SA && t <= IKE_PL_GSPM) || t == IKE_PL_SKF;
}

enum ike_msg_err
ike_msg_parse_hdr(const uint8_t *buf, size_t len, struct ike_hdr *h)
{
	if (len < IKE_HDR_LEN)
		return IKE_MSG_ETRUNC;
	h->ispi = ike_get64(buf);
	h->rspi = ike_get64(buf + 8);
	h->next = buf[16];
	h->version = buf[17];
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msgid = ike_get32(buf + 20);
	h->length = ike_get32(buf + 24);
	/* 3.1: a higher major version gets INVALID_MAJOR_VERSION; IKEv1
	 * (major 1) is simply not ours. */
	if (h->version >> 4 > 2)
		return IKE_MSG_EVERSION;
	if (h->version >> 4 != 2)
		return IKE_MSG_ESYNTAX;
	if (h->length < IKE_HDR_LEN)
		return IKE_MSG_ESYNTAX;
	if (h->length > len)
		return IKE_MSG_ETRUNC;
	/* A datagram carries exactly one message: trailing bytes are not an
	 * IKE message and would escape the integrity check. */
	if (h->length != len)
		return IKE_MSG_ESYNTAX;
	return IKE_MSG_OK;
}

/* Record one known payload; SK/SKF end the outer chain (3.14). */
static enum ike_msg_err
chain_add(struct ike_msg *m, uint8_t type, const uint8_t *p, size_t off,
    size_t plen)
{
	struct ike_pl *pl;

	if (m->npl == IKE_MSG_MAX_PL)
		return IKE_MSG_ELIMIT;
	pl = &m->pl[m->npl++];
	pl->type = type;
	pl->critical = (p[1] & IKE_PL_CRITICAL) != 0;
	pl->next = p[0];
	pl->off = off;
	pl->body = p + IKE_GENHDR_LEN;
	pl->len = plen - IKE_GENHDR_LEN;
	return IKE_MSG_OK;
}

static enum ike_msg_err
chain_walk(struct ike_msg *m, uint8_t first, size_t base, int inner)
{
	const uint8_t *buf = m->buf;
	size_t off = base, plen;
	uint8_t type = first;
	enum ike_msg_err e;

	while (type != IKE_PL_NONE) {
		const uint8_t *p = buf + off;

		if (m->len - off < IKE_GENHDR_LEN)
			return IKE_MSG_ETRUNC;
		plen = ike_get16(p + 2);
		if (plen < IKE_GENHDR_LEN)
			return IKE_MSG_ESYNTAX;
		if (plen > m->len - off)
			return IKE_MSG_ETRUNC;
		if (!pl_known(type)) {
			/* 2.5: skip unknown payloads unless critical. */
			if (p[1] & IKE_PL_CRITICAL) {
				m->bad_critical = type;
				return IKE_MSG_ECRITICAL;
			}
		} else if ((e = chain_add(m, type, p, off, plen)) != IKE_MSG_OK)
			return e;
		if (type == IKE_PL_SK || type == IKE_PL_SKF) {
			/* Must be last, and never nested inside another. */
			if (inner || off + plen != m->len)
				return IKE_MSG_ESYNTAX;
			if (type == IKE_PL_SKF && m->npl != 1)
				return IKE_MSG_ESYNTAX;
			m->sk = (int)(m->npl - 1);
			return IKE_MSG_OK;
		}
		type = p[0];
		off += plen;
	}
	return off == m->len ? IKE_MSG_OK : IKE_MSG_ESYNTAX;
}

static void
msg_reset(struct ike_msg *m, const uint8_t *buf, size_t len)
{
	memset(&m->hdr, 0, sizeof(m->hdr));
	m->buf = buf;
	m->len = len;
	m->npl = 0;
	m->bad_critical = 0;
	m->sk = -1;
}

enum ike_msg_err
ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *m)
{
	enum ike_msg_err e;

	msg_reset(m, buf, len);
	if ((e = ike_msg_parse_hdr(buf, len, &m->hdr)) != IKE_MSG_OK)
		return e;
	return chain_walk(m, m->hdr.next, IKE_HDR_LEN, 0);
}

enum ike_msg_err
ike_msg_parse_chain(uint8_t first, const uint8_t *buf, size_t len,
    struct ike_msg *m)
{
	msg_reset(m, buf, len);
	return chain_walk(m, first, 0, 1);
}

uint16_t
ike_msg_err_notify(enum ike_msg_err e)
{
	switch (e) {
	case IKE_MSG_ESYNTAX:
		return IKE_N_INVALID_SYNTAX;
	case IKE_MSG_EVERSION:
		return IKE_N_INVALID_MAJOR_VERSION;
	case IKE_MSG_ECRITICAL:
		return IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;
	default:
		return 0;
	}
}

const char *
ike_msg_err_str(enum ike_msg_err e)
{
	static const char *const s[] = {
		[IKE_MSG_OK] = "ok",
		[IKE_MSG_ETRUNC] = "truncated message",
		[IKE_MSG_ESYNTAX] = "invalid syntax",
		[IKE_MSG_EVERSION] = "unsupported major version",
		[IKE_MSG_ECRITICAL] = "unsupported critical payload",
		[IKE_MSG_ELIMIT] = "too many payloads",
		[IKE_MSG_EAUTH] = "integrity check failed",
	};

	if ((unsigned)e < sizeof(s) / sizeof(s[0]))
		return s[e];
	return "unknown error";
}

const struct ike_pl *
ike_msg_find(const struct ike_msg *m, uint8_t type, size_t *from)
{
	size_t i;

	for (i = from ? *from : 0; i < m->npl; i++)
		if (m->pl[i].type == type) {
			if (from)
				*from = i + 1;
			return &m->pl[i];
		}
	if (from)
		*from = m->npl;
	return NULL;
}

const struct ike_pl *
ike_msg_find_notify(const struct ike_msg *m, uint16_t ntype)
{
	struct ike_notify_pl n;
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    ike_pl_notify(&m->pl[i], &n) == 0 && n.type == ntype)
			return &m->pl[i];
	return NULL;
}
