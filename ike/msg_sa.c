/*
 * msg_sa.c: the SA payload (RFC 7296 3.3): proposals, transforms and their
 * attributes, decoded and built.  The only nesting in IKEv2 lives here, so
 * each level checks its length against its parent's before reading on.
 */
#include <string.h>

#include "ike/msg.h"

#define PROP_HDR_LEN	8
#define XF_HDR_LEN	8
#define LAST_PROP	0
#define MORE_PROP	2
#define LAST_XF		0
#define MORE_XF		3

/* Attributes (3.3.5): only Key Length, in TV form, means anything to us. */
static int
xf_attrs(const uint8_t *p, size_t len, struct ike_xf *xf)
{
	size_t off = 0, alen;
	uint16_t type;

	while (off < len) {
		if (len - off < 4)
			return -1;
		type = ike_get16(p + off);
		if (type & IKE_ATTR_AF) {
			if ((type & ~IKE_ATTR_AF) == IKE_ATTR_KEY_LENGTH &&
			    xf->keylen == 0)
				xf->keylen = ike_get16(p + off + 2);
			else
				xf->unknown_attr = 1;
			off += 4;
			continue;
		}
		alen = ike_get16(p + off + 2);
		if (alen > len - off - 4)
			return -1;
		xf->unknown_attr = 1;
		off += 4 + alen;
	}
	/* 3.3.5: a key length of zero is not a key length. */
	if (xf->keylen == 0 && off > 0 && !xf->unknown_attr)
		xf->unknown_attr = 1;
	return 0;
}

/* The transforms of one proposal: exactly n, filling exactly len bytes. */
static int
prop_xfs(const uint8_t *p, size_t len, size_t n, struct ike_prop *prop)
{
	size_t off = 0, i, xlen;
	struct ike_xf scratch, *xf;

	for (i = 0; i < n; i++) {
		if (len - off < XF_HDR_LEN)
			return -1;
		xlen = ike_get16(p + off + 2);
		if (xlen < XF_HDR_LEN || xlen > len - off)
			return -1;
		if (p[off] != (i + 1 == n ? LAST_XF : MORE_XF))
			return -1;
		if (prop->nxf < IKE_MSG_MAX_XF)
			xf = &prop->xf[prop->nxf++];
		else {
			prop->overflow = 1;
			xf = &scratch;
		}
		memset(xf, 0, sizeof(*xf));
		xf->type = p[off + 4];
		xf->id = ike_get16(p + off + 6);
		if (xf_attrs(p + off + XF_HDR_LEN, xlen - XF_HDR_LEN, xf) == -1)
			return -1;
		off += xlen;
	}
	return off == len ? 0 : -1;
}

static int
sa_prop(const uint8_t *p, size_t plen, struct ike_prop *prop)
{
	size_t spi_size = p[6], nxf = p[7];

	memset(prop, 0, offsetof(struct ike_prop, xf));
	prop->num = p[4];
	prop->proto = p[5];
	prop->spi_size = (uint8_t)spi_size;
	if (spi_size > IKE_MSG_MAX_SPI || PROP_HDR_LEN + spi_size > plen ||
	    nxf == 0)
		return -1;
	memcpy(prop->spi, p + PROP_HDR_LEN, spi_size);
	return prop_xfs(p + PROP_HDR_LEN + spi_size,
	    plen - PROP_HDR_LEN - spi_size, nxf, prop);
}

int
ike_pl_sa(const struct ike_pl *p, struct ike_sa_pl *sa)
{
	struct ike_prop scratch, *prop;
	size_t off = 0, plen;
	int last = 0;

	sa->nprop = 0;
	while (!last) {
		if (p->len - off < PROP_HDR_LEN)
			return -1;
		plen = ike_get16(p->body + off + 2);
		if (plen < PROP_HDR_LEN || plen > p->len - off)
			return -1;
		if (p->body[off] != LAST_PROP && p->body[off] != MORE_PROP)
			return -1;
		last = p->body[off] == LAST_PROP;
		/* Proposals past the limit are checked, then dropped: they
		 * come last in the peer's order of preference. */
		prop = sa->nprop < IKE_MSG_MAX_PROPS ?
		    &sa->prop[sa->nprop++] : &scratch;
		if (sa_prop(p->body + off, plen, prop) == -1)
			return -1;
		off += plen;
	}
	return off == p->len ? 0 : -1;
}

/* Building ---------------------------------------------------------------- */

static size_t
xf_len(const struct ike_xf *xf)
{
	return XF_HDR_LEN + (xf->keylen ? 4 : 0);
}

static size_t
prop_len(const struct ike_prop *prop)
{
	size_t n = PROP_HDR_LEN + prop->spi_size, i;

	for (i = 0; i < prop->nxf; i++)
		n += xf_len(&prop->xf[i]);
	return n;
}

static void
put_xf(struct ike_wbuf *w, const struct ike_xf *xf, int last)
{
	ike_put_u8(w, last ? LAST_XF : MORE_XF);
	ike_put_u8(w, 0);
	ike_put_u16(w, (uint16_t)xf_len(xf));
	ike_put_u8(w, xf->type);
	ike_put_u8(w, 0);
	ike_put_u16(w, xf->id);
	if (xf->keylen) {
		ike_put_u16(w, IKE_ATTR_AF | IKE_ATTR_KEY_LENGTH);
		ike_put_u16(w, xf->keylen);
	}
}

void
ike_put_sa(struct ike_wbuf *w, const struct ike_prop *props, size_t nprop)
{
	size_t i, j;

	ike_put_begin(w, IKE_PL_SA, 0);
	for (i = 0; i < nprop; i++) {
		const struct ike_prop *p = &props[i];

		if (p->spi_size > IKE_MSG_MAX_SPI || p->nxf > 255 ||
		    p->nxf > IKE_MSG_MAX_XF) {
			w->err = 1;
			return;
		}
		ike_put_u8(w, i + 1 == nprop ? LAST_PROP : MORE_PROP);
		ike_put_u8(w, 0);
		ike_put_u16(w, (uint16_t)prop_len(p));
		ike_put_u8(w, p->num);
		ike_put_u8(w, p->proto);
		ike_put_u8(w, p->spi_size);
		ike_put_u8(w, (uint8_t)p->nxf);
		ike_put_bytes(w, p->spi, p->spi_size);
		for (j = 0; j < p->nxf; j++)
			put_xf(w, &p->xf[j], j + 1 == p->nxf);
	}
	ike_put_end(w);
}
