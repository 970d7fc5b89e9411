/*
 * test_dh: Diffie-Hellman through our wrappers: RFC 7748 5.2 and 6.1
 * (X25519), RFC 5903 8.1 and 8.2 (ECP-256, ECP-384; KE data is x | y),
 * fresh key pairs agreeing in every group, and the peer values we must
 * refuse (wrong length, off the curve, 0, 1, p-1, small-order X25519).
 */
#include <string.h>

#include "ike/crypto.h"
#include "ike/wire.h"
#include "tests/unit/ike/hex.h"
#include "tests/unit/tap.h"

static void
x25519_kat(const char *name, const char *scalar, const char *u,
    const char *out)
{
	uint8_t k[32], pu[32], want[32];
	struct ike_secret s;
	struct ike_dh *dh;

	unhex(scalar, k, 32);
	unhex(u, pu, 32);
	unhex(out, want, 32);
	dh = ike_dh_new_fixed(IKE_DH_CURVE25519, k, 32, NULL, 0);
	ok(dh != NULL && ike_dh_derive(dh, pu, 32, &s) == 0 &&
		memcmp(s.p, want, 32) == 0,
	    "RFC 7748 %s", name);
	if (dh && s.p)
		ike_secret_free(&s);
	ike_dh_free(dh);
}

static void
test_x25519(void)
{
	uint8_t a[32], apub[32], bpub[32], got[64], zero[32] = { 0 };
	struct ike_secret s;
	struct ike_dh *alice;

	x25519_kat("5.2 vector 1",
	    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
	    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	x25519_kat("5.2 vector 2",
	    "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
	    "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
	/* 6.1: Alice's public key from her scalar, then the shared K. */
	unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
	    a, 32);
	unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
	    apub, 32);
	unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
	    bpub, 32);
	alice = ike_dh_new_fixed(IKE_DH_CURVE25519, a, 32, NULL, 0);
	ok(alice != NULL && ike_dh_public(alice, got, sizeof(got)) == 32 &&
		memcmp(got, apub, 32) == 0,
	    "RFC 7748 6.1: Alice's public key");
	unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
	    got, 32);
	ok(ike_dh_derive(alice, bpub, 32, &s) == 0 && s.len == 32 &&
		memcmp(s.p, got, 32) == 0,
	    "RFC 7748 6.1: shared secret K");
	ike_secret_free(&s);
	/* RFC 8031 2.3: u = 0 (and other small-order points) give 0. */
	ok(ike_dh_derive(alice, zero, 32, &s) == -1 && s.p == NULL,
	    "X25519: all-zero result refused");
	zero[0] = 1;
	ok(ike_dh_derive(alice, zero, 32, &s) == -1,
	    "X25519: u = 1 (small order) refused");
	ok(ike_dh_derive(alice, bpub, 31, &s) == -1,
	    "X25519: 31-byte KE refused");
	ike_dh_free(alice);
}

struct ecp_vec {
	const char	*name;
	uint16_t	 group;
	size_t		 len;
	const char	*i, *gix, *giy, *grx, *gry, *girx;
};

static const struct ecp_vec ecp_vecs[] = {
	{ "8.1 ECP-256", IKE_DH_ECP256, 32,
	    "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	    "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
	    "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	    "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
	    "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	    "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE" },
	{ "8.2 ECP-384", IKE_DH_ECP384, 48,
	    "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F16"
	    "0647B67414DCE655E35B538041E649EE3FAEF896783AB194",
	    "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E3"
	    "1634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA",
	    "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144AD"
	    "A024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
	    "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D"
	    "83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571",
	    "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416"
	    "DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
	    "11187331C279962D93D604243FD592CB9D0A926F422E4718"
	    "7521287E7156C5C4D603135569B9E9D09CF5D4A270F59746" },
};

static void
test_ecp(const struct ecp_vec *v)
{
	uint8_t i[48], gi[96], gr[96], want[48], got[96];
	struct ike_secret s;
	struct ike_dh *dh;
	size_t n = v->len;

	unhex(v->i, i, n);
	unhex(v->gix, gi, n);
	unhex(v->giy, gi + n, n);
	unhex(v->grx, gr, n);
	unhex(v->gry, gr + n, n);
	unhex(v->girx, want, n);
	dh = ike_dh_new_fixed(v->group, i, n, gi, 2 * n);
	ok(dh != NULL, "RFC 5903 %s: key pair loads", v->name);
	if (dh == NULL)
		return;
	ok(ike_dh_public(dh, got, sizeof(got)) == (long)(2 * n) &&
		memcmp(got, gi, 2 * n) == 0,
	    "RFC 5903 %s: KE data is gix | giy, no 0x04", v->name);
	ok(ike_dh_derive(dh, gr, 2 * n, &s) == 0 && s.len == n &&
		memcmp(s.p, want, n) == 0,
	    "RFC 5903 %s: g^ir is girx alone", v->name);
	ike_secret_free(&s);
	gr[2 * n - 1] ^= 1;
	ok(ike_dh_derive(dh, gr, 2 * n, &s) == -1,
	    "%s: point off the curve refused", v->name);
	memset(gr, 0, sizeof(gr));
	ok(ike_dh_derive(dh, gr, 2 * n, &s) == -1,
	    "%s: (0, 0) refused", v->name);
	ok(ike_dh_derive(dh, gr, 2 * n + 1, &s) == -1,
	    "%s: wrong length refused", v->name);
	ike_dh_free(dh);
}

/* Fresh pairs on both sides must agree; their KE data has the set size. */
static void
test_agree(uint16_t group, size_t publen)
{
	struct ike_dh *a = ike_dh_new(group), *b = ike_dh_new(group);
	uint8_t pa[IKE_DH_PUB_MAX], pb[IKE_DH_PUB_MAX];
	struct ike_secret sa = { 0 }, sb = { 0 };

	ok(a && b && ike_dh_public(a, pa, sizeof(pa)) == (long)publen &&
		ike_dh_public(b, pb, sizeof(pb)) == (long)publen,
	    "group %u: public values of %zu bytes", group, publen);
	ok(a && b && ike_dh_derive(a, pb, publen, &sa) == 0 &&
		ike_dh_derive(b, pa, publen, &sb) == 0 && sa.len == sb.len &&
		memcmp(sa.p, sb.p, sa.len) == 0,
	    "group %u: both sides derive the same g^ir", group);
	ike_secret_free(&sa);
	ike_secret_free(&sb);
	ike_dh_free(a);
	ike_dh_free(b);
}

static void
test_modp_bad(void)
{
	struct ike_dh *dh = ike_dh_new(IKE_DH_MODP2048);
	uint8_t y[256];
	struct ike_secret s;

	memset(y, 0, sizeof(y));
	ok(ike_dh_derive(dh, y, 256, &s) == -1, "MODP-2048: y = 0 refused");
	y[255] = 1;
	ok(ike_dh_derive(dh, y, 256, &s) == -1, "MODP-2048: y = 1 refused");
	/* p - 1: RFC 3526's prime ends in ...FFFFFFFF, so p-1 ends FE. */
	memset(y, 0xff, sizeof(y));
	y[255] = 0xfe;
	ok(ike_dh_derive(dh, y, 256, &s) == -1,
	    "MODP-2048: y = p - 1 refused");
	memset(y, 0xff, sizeof(y));
	ok(ike_dh_derive(dh, y, 256, &s) == -1, "MODP-2048: y > p refused");
	ok(ike_dh_derive(dh, y, 255, &s) == -1,
	    "MODP-2048: 255-byte KE refused (must be padded to 256)");
	ike_dh_free(dh);
	ok(ike_dh_new(IKE_DH_NONE) == NULL && ike_dh_new(2) == NULL,
	    "unknown groups refused");
}

int
main(void)
{
	if (ike_crypto_init() == -1)
		return 1;
	test_x25519();
	test_ecp(&ecp_vecs[0]);
	test_ecp(&ecp_vecs[1]);
	test_agree(IKE_DH_MODP2048, 256);
	test_agree(IKE_DH_ECP256, 64);
	test_agree(IKE_DH_ECP384, 96);
	test_agree(IKE_DH_CURVE25519, 32);
	test_agree(IKE_DH_ECP521, 132);
	test_modp_bad();
	return tap_done();
}
