/*
 * proposal.c: turn the configuration's algorithm lists into proposals and
 * pick one of the peer's (RFC 7296 2.7).  As responder we honour the
 * peer's order of proposals and of transforms within each; the only
 * exception is the DH group, where the one the peer already sent a KE for
 * wins, since any other costs an INVALID_KE_PAYLOAD round trip.
 */
#include <string.h>

#include "conf/conf.h"
#include "ike/proposal.h"
#include "ike/wire.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct enc_map {
	int		conf;
	uint16_t	id, keybits;
};

static const struct enc_map enc_map[] = {
	{ CONF_ENC_AES_CBC_128, IKE_ENCR_AES_CBC, 128 },
	{ CONF_ENC_AES_CBC_192, IKE_ENCR_AES_CBC, 192 },
	{ CONF_ENC_AES_CBC_256, IKE_ENCR_AES_CBC, 256 },
	{ CONF_ENC_AES_GCM16_128, IKE_ENCR_AES_GCM_16, 128 },
	{ CONF_ENC_AES_GCM16_192, IKE_ENCR_AES_GCM_16, 192 },
	{ CONF_ENC_AES_GCM16_256, IKE_ENCR_AES_GCM_16, 256 },
	{ CONF_ENC_CHACHA20_POLY1305, IKE_ENCR_CHACHA20_POLY1305, 0 },
};

struct hash_map {
	int		conf;
	uint16_t	integ, prf;
};

static const struct hash_map hash_map[] = {
	{ CONF_INTEG_SHA1, IKE_INTEG_HMAC_SHA1_96, IKE_PRF_HMAC_SHA1 },
	{ CONF_INTEG_SHA2_256, IKE_INTEG_HMAC_SHA2_256_128,
	    IKE_PRF_HMAC_SHA2_256 },
	{ CONF_INTEG_SHA2_384, IKE_INTEG_HMAC_SHA2_384_192,
	    IKE_PRF_HMAC_SHA2_384 },
	{ CONF_INTEG_SHA2_512, IKE_INTEG_HMAC_SHA2_512_256,
	    IKE_PRF_HMAC_SHA2_512 },
};

static void
add_xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keybits)
{
	size_t i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].keylen == keybits)
			return;
	if (p->nxf == IKE_MSG_MAX_XF)
		return;
	memset(&p->xf[p->nxf], 0, sizeof(p->xf[0]));
	p->xf[p->nxf].type = type;
	p->xf[p->nxf].id = id;
	p->xf[p->nxf].keylen = keybits;
	p->nxf++;
}

static const struct hash_map *
hash_find(int v)
{
	size_t i;

	for (i = 0; i < NELEM(hash_map); i++)
		if (hash_map[i].conf == v)
			return &hash_map[i];
	return NULL;
}

/* Encryption algorithms of one kind (AEAD or not) into p. */
static void
add_encs(struct ike_prop *p, const struct conf_alglist *l, int aead)
{
	size_t i, j;

	for (i = 0; i < (size_t)l->n && i < CONF_MAX_ALGS; i++)
		for (j = 0; j < NELEM(enc_map); j++) {
			const struct ike_encr *e;

			if (enc_map[j].conf != l->v[i])
				continue;
			e = ike_encr_find(enc_map[j].id, enc_map[j].keybits);
			if (e != NULL && ike_encr_aead(e) == aead)
				add_xf(p, IKE_XF_ENCR, e->id, e->keybits);
		}
}

/* Everything but ENCR, which differs between the two proposals. */
static void
add_rest(struct ike_prop *p, const struct conf_ike_params *c, uint8_t proto,
    int aead)
{
	const struct conf_alglist *integ = proto == IKE_PROTO_IKE ?
	    &c->sa_integ : &c->child_integ;
	const struct hash_map *h;
	size_t i;

	if (proto == IKE_PROTO_IKE)
		for (i = 0; i < (size_t)c->sa_prf.n && i < CONF_MAX_ALGS; i++)
			if ((h = hash_find(c->sa_prf.v[i])) != NULL)
				add_xf(p, IKE_XF_PRF, h->prf, 0);
	if (!aead)
		for (i = 0; i < (size_t)integ->n && i < CONF_MAX_ALGS; i++)
			if ((h = hash_find(integ->v[i])) != NULL)
				add_xf(p, IKE_XF_INTEG, h->integ, 0);
	if (proto == IKE_PROTO_IKE) {
		for (i = 0; i < (size_t)c->sa_dh.n && i < CONF_MAX_ALGS; i++)
			if (ike_dh_find(c->sa_dh.v[i]) != NULL)
				add_xf(p, IKE_XF_DH, c->sa_dh.v[i], 0);
	} else {
		if (c->child_pfs != CONF_PFS_OFF &&
		    ike_dh_find((uint16_t)c->child_pfs) != NULL)
			add_xf(p, IKE_XF_DH, (uint16_t)c->child_pfs, 0);
		add_xf(p, IKE_XF_ESN, IKE_ESN_NO, 0);
	}
}

static int
prop_complete(const struct ike_prop *p, uint8_t proto, int aead,
    const struct conf_ike_params *c)
{
	int have[IKE_XF_NTYPES + 1] = { 0 };
	size_t i;

	for (i = 0; i < p->nxf; i++)
		have[p->xf[i].type] = 1;
	if (!have[IKE_XF_ENCR] || (!aead && !have[IKE_XF_INTEG]))
		return 0;
	if (proto == IKE_PROTO_IKE)
		return have[IKE_XF_PRF] && have[IKE_XF_DH];
	return c->child_pfs == CONF_PFS_OFF || have[IKE_XF_DH];
}

int
ike_props_from_conf(const struct conf_ike_params *c, uint8_t proto,
    struct ike_prop *out)
{
	const struct conf_alglist *enc = proto == IKE_PROTO_IKE ?
	    &c->sa_enc : &c->child_enc;
	int n = 0, k, aead, first_aead = 1;
	size_t i;

	/* The kind of the most preferred cipher goes first. */
	for (i = 0; i < NELEM(enc_map); i++)
		if (enc->n > 0 && enc_map[i].conf == enc->v[0])
			first_aead = enc_map[i].id != IKE_ENCR_AES_CBC;
	for (k = 0; k < 2; k++) {
		aead = k == 0 ? first_aead : !first_aead;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].num = (uint8_t)(n + 1);
		out[n].proto = proto;
		add_encs(&out[n], enc, aead);
		add_rest(&out[n], c, proto, aead);
		if (prop_complete(&out[n], proto, aead, c))
			n++;
	}
	return n > 0 ? n : -1;
}

int
ike_props_default(uint8_t proto, struct ike_prop *out)
{
	/* AEAD first as strongSwan does; CBC+SHA2-256 and group 14 cover
	 * NEC IX's usual settings. */
	static const struct conf_ike_params def = {
		.sa_enc = { 4, { CONF_ENC_AES_GCM16_256, CONF_ENC_AES_GCM16_128,
				   CONF_ENC_AES_CBC_256, CONF_ENC_AES_CBC_128 } },
		.sa_integ = { 3, { CONF_INTEG_SHA2_256, CONF_INTEG_SHA2_384,
				     CONF_INTEG_SHA2_512 } },
		.sa_prf = { 3, { CONF_INTEG_SHA2_256, CONF_INTEG_SHA2_384,
				   CONF_INTEG_SHA2_512 } },
		.sa_dh = { 4, { CONF_DH_ECP256, CONF_DH_MODP2048,
				  CONF_DH_CURVE25519, CONF_DH_ECP384 } },
		.child_enc = { 4, { CONF_ENC_AES_GCM16_256,
				      CONF_ENC_AES_GCM16_128,
				      CONF_ENC_AES_CBC_256,
				      CONF_ENC_AES_CBC_128 } },
		.child_integ = { 3, { CONF_INTEG_SHA2_256, CONF_INTEG_SHA2_384,
					CONF_INTEG_SHA2_512 } },
		.child_pfs = CONF_PFS_OFF,
	};

	return ike_props_from_conf(&def, proto, out);
}

/* Selection ---------------------------------------------------------------- */

static int
offers(const struct ike_prop *p, const struct ike_xf *x)
{
	size_t i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == x->type && p->xf[i].id == x->id &&
		    p->xf[i].keylen == x->keylen)
			return 1;
	return 0;
}

static int
has_type(const struct ike_prop *p, uint8_t type)
{
	size_t i;

	for (i = 0; i < p->nxf; i++)
		if (p->xf[i].type == type)
			return 1;
	return 0;
}

/* Whether we implement the transform at all (with that key length). */
static int
implemented(const struct ike_xf *x)
{
	if (x->unknown_attr)
		return 0;
	switch (x->type) {
	case IKE_XF_ENCR:
		return ike_encr_find(x->id, x->keylen) != NULL;
	case IKE_XF_PRF:
		return x->keylen == 0 && ike_prf_find(x->id) != NULL;
	case IKE_XF_INTEG:
		return x->keylen == 0 && ike_integ_find(x->id) != NULL;
	case IKE_XF_DH:
		return x->keylen == 0 &&
		    (x->id == IKE_DH_NONE || ike_dh_find(x->id) != NULL);
	case IKE_XF_ESN:
		return x->keylen == 0 && x->id == IKE_ESN_NO;
	}
	return 0;
}

/* The peer's first transform of a type that ours also offers. */
static const struct ike_xf *
pick(const struct ike_prop *peer, const struct ike_prop *ours, uint8_t type,
    uint16_t prefer)
{
	const struct ike_xf *first = NULL;
	size_t i;

	for (i = 0; i < peer->nxf; i++) {
		const struct ike_xf *x = &peer->xf[i];

		if (x->type != type || !implemented(x) || !offers(ours, x))
			continue;
		if (prefer && x->id == prefer)
			return x;
		if (first == NULL)
			first = x;
	}
	return first;
}

static void
put_choice(struct ike_prop *c, const struct ike_xf *x)
{
	if (x != NULL)
		c->xf[c->nxf++] = *x;
}

/* ENCR and INTEG go together: an AEAD takes no INTEG (RFC 5282 8). */
static int
pick_cipher(const struct ike_prop *peer, const struct ike_prop *ours,
    struct ike_prop *c)
{
	const struct ike_xf *integ;
	size_t i;

	for (i = 0; i < peer->nxf; i++) {
		const struct ike_xf *x = &peer->xf[i];
		const struct ike_encr *e;

		if (x->type != IKE_XF_ENCR || !implemented(x) ||
		    !offers(ours, x))
			continue;
		e = ike_encr_find(x->id, x->keylen);
		if (ike_encr_aead(e)) {
			put_choice(c, x);
			return 0;
		}
		if ((integ = pick(peer, ours, IKE_XF_INTEG, 0)) != NULL) {
			put_choice(c, x);
			put_choice(c, integ);
			return 0;
		}
	}
	return -1;
}

/* DH for a CHILD_SA: none on both sides, or a common group. */
static int
pick_child_dh(const struct ike_prop *peer, const struct ike_prop *ours,
    uint16_t ke_group, struct ike_prop *c)
{
	const struct ike_xf *x;
	size_t i;

	if (!has_type(ours, IKE_XF_DH)) {
		if (!has_type(peer, IKE_XF_DH))
			return 0;
		for (i = 0; i < peer->nxf; i++)
			if (peer->xf[i].type == IKE_XF_DH &&
			    peer->xf[i].id == IKE_DH_NONE) {
				put_choice(c, &peer->xf[i]);
				return 0;
			}
		return -1;
	}
	if ((x = pick(peer, ours, IKE_XF_DH, ke_group)) == NULL)
		return -1;
	put_choice(c, x);
	return 0;
}

static int
match(const struct ike_prop *peer, const struct ike_prop *ours,
    uint8_t proto, uint16_t ke_group, struct ike_prop *c)
{
	const struct ike_xf *x;

	c->nxf = 0;
	if (pick_cipher(peer, ours, c) == -1)
		return -1;
	if (proto == IKE_PROTO_IKE) {
		if ((x = pick(peer, ours, IKE_XF_PRF, 0)) == NULL)
			return -1;
		put_choice(c, x);
		if ((x = pick(peer, ours, IKE_XF_DH, ke_group)) == NULL ||
		    x->id == IKE_DH_NONE)
			return -1;
		put_choice(c, x);
		return has_type(peer, IKE_XF_ESN) ? -1 : 0;
	}
	if (has_type(peer, IKE_XF_PRF) ||
	    pick_child_dh(peer, ours, ke_group, c) == -1)
		return -1;
	/* ESN is mandatory in ESP proposals; we run without. */
	if ((x = pick(peer, ours, IKE_XF_ESN, 0)) == NULL)
		return -1;
	put_choice(c, x);
	return 0;
}

static int
spi_size_ok(uint8_t proto, uint8_t size)
{
	if (proto == IKE_PROTO_IKE)
		return size == 0 || size == IKE_SPI_LEN;
	return size == 4;
}

int
ike_prop_select(const struct ike_prop *ours, size_t nours,
    const struct ike_sa_pl *peer, uint8_t proto, uint16_t ke_group,
    struct ike_prop *chosen, struct ike_suite *suite)
{
	size_t i, j;

	for (i = 0; i < peer->nprop; i++) {
		const struct ike_prop *pp = &peer->prop[i];

		if (pp->proto != proto || pp->overflow ||
		    !spi_size_ok(proto, pp->spi_size))
			continue;
		for (j = 0; j < nours; j++) {
			memcpy(chosen, pp, offsetof(struct ike_prop, xf));
			if (match(pp, &ours[j], proto, ke_group, chosen) == 0 &&
			    ike_prop_suite(chosen, proto, suite) == 0)
				return 0;
		}
	}
	return -1;
}

int
ike_prop_suite(const struct ike_prop *p, uint8_t proto,
    struct ike_suite *suite)
{
	int seen[IKE_XF_NTYPES + 1] = { 0 };
	size_t i;

	memset(suite, 0, sizeof(*suite));
	for (i = 0; i < p->nxf; i++) {
		const struct ike_xf *x = &p->xf[i];

		if (x->type < 1 || x->type > IKE_XF_NTYPES || seen[x->type]++)
			return -1;
		if (x->type == IKE_XF_ENCR)
			suite->encr = ike_encr_find(x->id, x->keylen);
		else if (x->type == IKE_XF_PRF)
			suite->prf = ike_prf_find(x->id);
		else if (x->type == IKE_XF_INTEG && x->id != IKE_INTEG_NONE)
			suite->integ = ike_integ_find(x->id);
		else if (x->type == IKE_XF_DH && x->id != IKE_DH_NONE)
			suite->dh = ike_dh_find(x->id);
		else if (x->type == IKE_XF_ESN)
			suite->esn = x->id == IKE_ESN_YES;
	}
	if (suite->encr == NULL ||
	    (ike_encr_aead(suite->encr) != (suite->integ == NULL)))
		return -1;
	if (proto == IKE_PROTO_IKE)
		return suite->prf && suite->dh ? 0 : -1;
	return seen[IKE_XF_PRF] ? -1 : 0;
}

int
ike_prop_check_reply(const struct ike_prop *ours, size_t nours,
    const struct ike_sa_pl *reply, uint8_t proto, struct ike_suite *suite)
{
	const struct ike_prop *r;
	size_t i, j;

	if (reply->nprop != 1)
		return -1;
	r = &reply->prop[0];
	if (r->proto != proto || r->overflow || !spi_size_ok(proto, r->spi_size))
		return -1;
	for (i = 0; i < nours; i++) {
		if (ours[i].num != r->num)
			continue;
		for (j = 0; j < r->nxf; j++)
			if (!offers(&ours[i], &r->xf[j]))
				return -1;
		/* A DH we offered must come back (none for a child
		 * without PFS). */
		if (has_type(&ours[i], IKE_XF_DH) != has_type(r, IKE_XF_DH))
			return -1;
		return ike_prop_suite(r, proto, suite);
	}
	return -1;
}
