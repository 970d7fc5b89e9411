/*
 * alg.c: the ESP algorithms tsunagi offers, their kernel names and key
 * sizes, the checks an SA or policy must pass before it is built, and the
 * tunnel MTU that follows from the ESP overhead.
 */
#include <string.h>
#include <sys/socket.h>

#include "xfrm/codec.h"

int
xfrm_alg_enc(enum xfrm_enc enc, unsigned bits, struct xfrm_alg *out)
{
	memset(out, 0, sizeof(*out));
	switch (enc) {
	case XFRM_ENC_AES_GCM_16:
		if (bits != 128 && bits != 256)
			return -1;
		*out = (struct xfrm_alg){
		    "rfc4106(gcm(aes))", bits / 8, 4, 128, 8, 4, 1};
		return 0;
	case XFRM_ENC_CHACHA20_POLY1305:
		if (bits != 256 && bits != 0)
			return -1;
		*out = (struct xfrm_alg){
		    "rfc7539esp(chacha20,poly1305)", 32, 4, 128, 8, 4, 1};
		return 0;
	case XFRM_ENC_AES_CBC:
		if (bits != 128 && bits != 256)
			return -1;
		*out = (struct xfrm_alg){"cbc(aes)", bits / 8, 0, 0, 16, 16, 0};
		return 0;
	case XFRM_ENC_NONE:
		break;
	}
	return -1;
}

int
xfrm_alg_integ(enum xfrm_integ integ, struct xfrm_alg *out)
{
	memset(out, 0, sizeof(*out));
	switch (integ) {
	case XFRM_INTEG_HMAC_SHA2_256_128:
		*out = (struct xfrm_alg){"hmac(sha256)", 32, 0, 128, 0, 0, 0};
		return 0;
	case XFRM_INTEG_HMAC_SHA2_384_192:
		*out = (struct xfrm_alg){"hmac(sha384)", 48, 0, 192, 0, 0, 0};
		return 0;
	case XFRM_INTEG_HMAC_SHA2_512_256:
		*out = (struct xfrm_alg){"hmac(sha512)", 64, 0, 256, 0, 0, 0};
		return 0;
	case XFRM_INTEG_NONE:
		break;
	}
	return -1;
}

static const char *
xfrm_sa_keys_invalid(const struct xfrm_sa *sa)
{
	struct xfrm_alg e, i;

	if (xfrm_alg_enc(sa->enc, sa->enc_bits, &e) == -1)
		return "unknown encryption algorithm or key size";
	if (sa->enc_key == NULL ||
	    sa->enc_key_len != e.key_bytes + e.salt_bytes)
		return "encryption key has the wrong length";
	if (e.aead) {
		if (sa->integ != XFRM_INTEG_NONE)
			return "an AEAD takes no separate integrity algorithm";
		return NULL;
	}
	if (xfrm_alg_integ(sa->integ, &i) == -1)
		return "cbc(aes) needs an integrity algorithm";
	if (sa->integ_key == NULL || sa->integ_key_len != i.key_bytes)
		return "integrity key has the wrong length";
	return NULL;
}

static int
xfrm_limit_bad(uint64_t soft, uint64_t hard)
{
	return soft != 0 && hard != 0 && soft > hard;
}

const char *
xfrm_sa_invalid(const struct xfrm_sa *sa)
{
	if (sa->src.family != sa->dst.family ||
	    (sa->src.family != AF_INET && sa->src.family != AF_INET6))
		return "outer addresses must be of one family";
	if (sa->spi == 0 || sa->spi < 256)
		return "SPIs 0-255 are reserved";
	if (!xfrm_reqid_ours(sa->reqid))
		return "reqid outside tsunagi's range";
	if (!xfrm_ifid_ours(sa->if_id))
		return "if_id outside tsunagi's range";
	if (sa->replay_window > 4096)
		return "replay window larger than 4096";
	if (sa->esn && sa->replay_window == 0)
		return "ESN needs a replay window";
	if (xfrm_limit_bad(sa->life.soft_bytes, sa->life.hard_bytes) ||
	    xfrm_limit_bad(sa->life.soft_packets, sa->life.hard_packets) ||
	    xfrm_limit_bad(sa->life.soft_secs, sa->life.hard_secs))
		return "soft lifetime beyond the hard one";
	if ((sa->encap_sport == 0) != (sa->encap_dport == 0))
		return "UDP encapsulation needs both ports";
	return xfrm_sa_keys_invalid(sa);
}

const char *
xfrm_policy_invalid(const struct xfrm_policy *pol)
{
	size_t bits = xfrm_ip_len(pol->sel_src.ip.family) * 8;

	if (pol->dir != XFRM_DIR_IN && pol->dir != XFRM_DIR_OUT &&
	    pol->dir != XFRM_DIR_FWD)
		return "bad direction";
	if (bits == 0 || pol->sel_src.ip.family != pol->sel_dst.ip.family)
		return "selector prefixes must be of one family";
	if (pol->sel_src.len > bits || pol->sel_dst.len > bits)
		return "selector prefix too long";
	if (pol->src.family != pol->dst.family ||
	    (pol->src.family != AF_INET && pol->src.family != AF_INET6))
		return "outer addresses must be of one family";
	if (!xfrm_reqid_ours(pol->reqid))
		return "reqid outside tsunagi's range";
	if (!xfrm_ifid_ours(pol->if_id))
		return "if_id outside tsunagi's range";
	return NULL;
}

/*
 * The largest inner packet whose ESP tunnel packet fits the uplink:
 *
 *   outer = IP (20|40) + UDP (8 if NAT-T) + ESP header (8) + IV
 *           + align(inner + 2, block) + ICV
 *
 * (2 = pad length and next header; block 4 for the AEADs, 16 for AES-CBC).
 * Solving for inner: floor(A / block) * block - 2 with
 * A = uplink - IP - UDP - 8 - IV - ICV.  This is what the kernel's
 * esp4_get_mtu()/esp6_get_mtu() compute.  PPPoE 1454, IPv4, AES-GCM: 1398.
 * 0 if less than 68 (IPv4's minimum) would remain.
 */
unsigned
xfrm_mtu(unsigned uplink_mtu, int outer_family, enum xfrm_enc enc,
    enum xfrm_integ integ, int udp_encap)
{
	struct xfrm_alg e, i;
	unsigned over, icv, avail;

	if (xfrm_alg_enc(
	        enc, enc == XFRM_ENC_CHACHA20_POLY1305 ? 256 : 128, &e) == -1)
		return 0;
	if (e.aead)
		icv = e.icv_bits / 8;
	else if (xfrm_alg_integ(integ, &i) == 0)
		icv = i.icv_bits / 8;
	else
		return 0;
	if (outer_family == AF_INET)
		over = 20;
	else if (outer_family == AF_INET6)
		over = 40;
	else
		return 0;
	over += (udp_encap ? 8 : 0) + 8 + e.iv_bytes + icv;
	if (uplink_mtu < over + e.block)
		return 0;
	avail = uplink_mtu - over;
	avail = avail / e.block * e.block - 2;
	/* Below IPv4's minimum MTU no tunnel is of use. */
	return avail < 68 ? 0 : avail;
}
