/*
 * test_proposal: our proposals from conf values, and the choice among a
 * peer's (RFC 7296 2.7): strongSwan-shaped and NEC IX-shaped offers, the
 * KE group preference, ESP with and without PFS, and the initiator's
 * check of the responder's answer.
 */
#include <string.h>

#include "conf/conf.h"
#include "ike/proposal.h"
#include "tests/unit/ike/hex.h"
#include "tests/unit/ike/msgs.h"
#include "tests/unit/tap.h"

static struct ike_prop ours_ike[IKE_PROP_MAX_OURS];
static struct ike_prop ours_esp[IKE_PROP_MAX_OURS];
static int n_ike, n_esp;

static void
xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t keylen)
{
	p->xf[p->nxf++] = (struct ike_xf){ type, id, keylen, 0 };
}

static void
test_defaults(void)
{
	n_ike = ike_props_default(IKE_PROTO_IKE, ours_ike);
	n_esp = ike_props_default(IKE_PROTO_ESP, ours_esp);
	is_int(n_ike, 2, "default IKE: two proposals");
	is_int(n_esp, 2, "default ESP: two proposals");
	/* AEAD: 2 ENCR + 3 PRF + 4 DH; CBC: 2 ENCR + 3 INTEG + 3 PRF + 4 DH */
	ok(ours_ike[0].nxf == 9 && ours_ike[0].xf[0].id == IKE_ENCR_AES_GCM_16 &&
		ours_ike[0].xf[0].keylen == 256 &&
		ours_ike[0].xf[5].id == IKE_DH_ECP256 &&
		ours_ike[0].xf[6].id == IKE_DH_MODP2048 &&
		ours_ike[0].xf[7].id == IKE_DH_CURVE25519 &&
		ours_ike[0].xf[8].id == IKE_DH_ECP384,
	    "IKE #1: GCM-256/128, SHA2 PRFs, groups 19 14 31 20");
	ok(ours_ike[1].nxf == 12 && ours_ike[1].xf[0].id == IKE_ENCR_AES_CBC &&
		ours_ike[1].xf[2].type == IKE_XF_PRF &&
		ours_ike[1].xf[5].type == IKE_XF_INTEG && ours_ike[1].num == 2,
	    "IKE #2: CBC-256/128 with SHA2 integrity");
	ok(ours_esp[0].nxf == 3 && ours_esp[0].xf[2].type == IKE_XF_ESN &&
		ours_esp[0].xf[2].id == IKE_ESN_NO,
	    "ESP #1: GCM-256/128, ESN off, no DH");
}

static void
test_strongswan_init(void)
{
	uint8_t b[512];
	size_t n = unhex(ike_sa_init_hex, b, sizeof(b));
	struct ike_msg m;
	struct ike_sa_pl sa;
	struct ike_prop c;
	struct ike_suite s;

	ike_msg_parse(b, n, &m);
	ike_pl_sa(&m.pl[0], &sa);
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 19, &c,
	       &s) == 0,
	    "strongSwan-shaped IKE_SA_INIT: a proposal is chosen");
	ok(c.num == 1 && c.nxf == 3 && s.encr->id == IKE_ENCR_AES_GCM_16 &&
		s.encr->keybits == 256 && s.integ == NULL &&
		s.prf->id == IKE_PRF_HMAC_SHA2_256 && s.dh->id == 19,
	    "-> #1, AES-GCM-16-256, PRF SHA2-256, ECP-256, no INTEG");
	/* Drop proposal 1: CBC with the KE group 14 preferred over 19. */
	sa.prop[0] = sa.prop[1];
	sa.nprop = 1;
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 14, &c,
	       &s) == 0 &&
		c.num == 2 && s.encr->id == IKE_ENCR_AES_CBC &&
		s.integ->id == IKE_INTEG_HMAC_SHA2_256_128 && s.dh->id == 14,
	    "KE group 14 preferred though 19 comes first");
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 0, &c,
	       &s) == 0 &&
		s.dh->id == 19,
	    "without a KE hint, the peer's first group");
	ok(ike_prop_check_reply(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE,
	       &s) == -1,
	    "reply with two DH groups refused");
}

static void
test_ix_and_odd(void)
{
	struct ike_sa_pl sa = { 0 };
	struct ike_prop c;
	struct ike_suite s;

	/* NEC IX style: one proposal, CBC-256, SHA2-256, group 14. */
	sa.nprop = 1;
	sa.prop[0].num = 1;
	sa.prop[0].proto = IKE_PROTO_IKE;
	xf(&sa.prop[0], IKE_XF_ENCR, IKE_ENCR_AES_CBC, 256);
	xf(&sa.prop[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	xf(&sa.prop[0], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	xf(&sa.prop[0], IKE_XF_DH, IKE_DH_MODP2048, 0);
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 14, &c,
	       &s) == 0 &&
		s.encr->keybits == 256 && s.dh->id == 14,
	    "NEC IX: aes-cbc-256 / sha2-256 / 2048-bit accepted");
	ok(ike_prop_check_reply(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE,
	       &s) == -1,
	    "as initiator: CBC numbered #1 (our AEAD proposal) refused");
	sa.prop[0].num = 2;
	ok(ike_prop_check_reply(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE,
	       &s) == 0,
	    "... and numbered #2 against our CBC proposal");
	/* 3DES and SHA1: nothing in common. */
	memset(&sa.prop[0], 0, sizeof(sa.prop[0]));
	sa.prop[0].num = 1;
	sa.prop[0].proto = IKE_PROTO_IKE;
	xf(&sa.prop[0], IKE_XF_ENCR, 3, 0);
	xf(&sa.prop[0], IKE_XF_PRF, IKE_PRF_HMAC_SHA1, 0);
	xf(&sa.prop[0], IKE_XF_INTEG, IKE_INTEG_HMAC_SHA1_96, 0);
	xf(&sa.prop[0], IKE_XF_DH, IKE_DH_MODP2048, 0);
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 14, &c,
	       &s) == -1,
	    "3DES/SHA1 only: NO_PROPOSAL_CHOSEN");
	/* A second proposal that fits is found after the first. */
	sa.nprop = 2;
	sa.prop[1].num = 2;
	sa.prop[1].proto = IKE_PROTO_IKE;
	xf(&sa.prop[1], IKE_XF_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0);
	xf(&sa.prop[1], IKE_XF_ENCR, IKE_ENCR_AES_GCM_16, 128);
	xf(&sa.prop[1], IKE_XF_PRF, IKE_PRF_HMAC_SHA2_512, 0);
	xf(&sa.prop[1], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 31, &c,
	       &s) == 0 &&
		c.num == 2 && s.encr->id == IKE_ENCR_AES_GCM_16 &&
		s.encr->keybits == 128 && s.prf->id == IKE_PRF_HMAC_SHA2_512,
	    "ChaCha20 not in our defaults: GCM-128 from #2");
	sa.prop[1].xf[1].unknown_attr = 1;
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 31, &c,
	       &s) == -1,
	    "transform with an unknown attribute is not acceptable");
	sa.prop[1].xf[1].unknown_attr = 0;
	sa.prop[1].proto = IKE_PROTO_ESP;
	ok(ike_prop_select(ours_ike, (size_t)n_ike, &sa, IKE_PROTO_IKE, 31, &c,
	       &s) == -1,
	    "ESP proposal in an IKE SA payload ignored");
}

static void
test_esp(void)
{
	uint8_t b[512];
	size_t n = unhex(ike_auth_inner_hex, b, sizeof(b));
	struct ike_msg m;
	struct ike_sa_pl sa;
	struct ike_prop c, pfs[IKE_PROP_MAX_OURS];
	struct ike_suite s;
	struct conf_ike_params cp = { 0 };

	ike_msg_parse_chain(IKE_PL_IDI, b, n, &m);
	ike_pl_sa(&m.pl[4], &sa);
	ok(ike_prop_select(ours_esp, (size_t)n_esp, &sa, IKE_PROTO_ESP, 0, &c,
	       &s) == 0 &&
		s.encr->keybits == 256 && s.dh == NULL && !s.esn &&
		c.spi_size == 4 && c.spi[3] == 0x01,
	    "ESP: GCM-256, no PFS, ESN off; peer's SPI kept");
	sa.prop[0].xf[2].id = IKE_ESN_YES;
	ok(ike_prop_select(ours_esp, (size_t)n_esp, &sa, IKE_PROTO_ESP, 0, &c,
	       &s) == -1,
	    "ESP with ESN only: refused (we run without)");
	sa.prop[0].xf[2].id = IKE_ESN_NO;
	/* Our side wants PFS with group 31. */
	cp.child_enc = (struct conf_alglist){ 1, { CONF_ENC_AES_GCM16_256 } };
	cp.child_integ = (struct conf_alglist){ 1, { CONF_INTEG_SHA2_256 } };
	cp.child_pfs = CONF_DH_CURVE25519;
	is_int(ike_props_from_conf(&cp, IKE_PROTO_ESP, pfs), 1,
	    "conf with GCM only: one ESP proposal");
	ok(ike_prop_select(pfs, 1, &sa, IKE_PROTO_ESP, 0, &c, &s) == -1,
	    "our PFS against a peer without DH: refused");
	xf(&sa.prop[0], IKE_XF_DH, IKE_DH_CURVE25519, 0);
	ok(ike_prop_select(pfs, 1, &sa, IKE_PROTO_ESP, 31, &c, &s) == 0 &&
		s.dh && s.dh->id == 31,
	    "PFS group 31 on both sides");
	ok(ike_prop_select(ours_esp, (size_t)n_esp, &sa, IKE_PROTO_ESP, 31, &c,
	       &s) == -1,
	    "peer's PFS against ours without: refused");
}

static void
test_from_conf(void)
{
	struct conf_ike_params cp = { 0 };
	struct ike_prop p[IKE_PROP_MAX_OURS];

	cp.sa_enc = (struct conf_alglist){ 2, { CONF_ENC_AES_CBC_128,
				  CONF_ENC_CHACHA20_POLY1305 } };
	cp.sa_integ = (struct conf_alglist){ 1, { CONF_INTEG_SHA2_512 } };
	cp.sa_prf = (struct conf_alglist){ 1, { CONF_INTEG_SHA2_384 } };
	cp.sa_dh = (struct conf_alglist){ 2, { CONF_DH_MODP1024,
				 CONF_DH_MODP2048 } };
	is_int(ike_props_from_conf(&cp, IKE_PROTO_IKE, p), 2,
	    "CBC first, then ChaCha20: two proposals");
	ok(p[0].xf[0].id == IKE_ENCR_AES_CBC && p[0].nxf == 4 &&
		p[1].xf[0].id == IKE_ENCR_CHACHA20_POLY1305 && p[1].nxf == 3,
	    "CBC proposal first; MODP-1024 (not implemented) left out");
	cp.sa_dh = (struct conf_alglist){ 1, { CONF_DH_MODP1024 } };
	is_int(ike_props_from_conf(&cp, IKE_PROTO_IKE, p), -1,
	    "no implemented DH group: no proposal");
}

int
main(void)
{
	if (ike_crypto_init() == -1)
		return 1;
	test_defaults();
	test_strongswan_init();
	test_ix_and_odd();
	test_esp();
	test_from_conf();
	return tap_done();
}
