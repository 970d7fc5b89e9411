/*
 * msg_xfrm.c: NETLINK_XFRM requests (SAs, SPI allocation, policies, dumps).
 * Tunnel mode, ESP, route-based: every SA and policy carries an if_id.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include <string.h>
#include <sys/socket.h>

#include "xfrm/codec.h"

#define XFRM_REQ (NLM_F_REQUEST | NLM_F_ACK)

static void
xfrm_addr_put(xfrm_address_t *a, const struct xfrm_ip *ip)
{
	memset(a, 0, sizeof(*a));
	memcpy(a, ip->raw, xfrm_ip_len(ip->family));
}

/* 0 means "no limit" to our callers, XFRM_INF to the kernel. */
static uint64_t
xfrm_lim(uint64_t v)
{
	return v == 0 ? XFRM_INF : v;
}

static void
xfrm_sa_info(struct xfrm_usersa_info *p, const struct xfrm_sa *sa)
{
	memset(p, 0, sizeof(*p));
	/*
	 * An empty selector plus XFRM_STATE_AF_UNSPEC lets one SA carry both
	 * IPv4 and IPv6 inner packets; the if_id does the selecting.
	 */
	xfrm_addr_put(&p->id.daddr, &sa->dst);
	p->id.spi = htonl(sa->spi);
	p->id.proto = IPPROTO_ESP;
	xfrm_addr_put(&p->saddr, &sa->src);
	p->lft.soft_byte_limit = xfrm_lim(sa->life.soft_bytes);
	p->lft.hard_byte_limit = xfrm_lim(sa->life.hard_bytes);
	p->lft.soft_packet_limit = xfrm_lim(sa->life.soft_packets);
	p->lft.hard_packet_limit = xfrm_lim(sa->life.hard_packets);
	p->lft.soft_add_expires_seconds = sa->life.soft_secs;
	p->lft.hard_add_expires_seconds = sa->life.hard_secs;
	p->reqid = sa->reqid;
	p->family = sa->dst.family;
	p->mode = XFRM_MODE_TUNNEL;
	/* The window travels in XFRMA_REPLAY_ESN_VAL, which wants 0 here. */
	p->replay_window = 0;
	p->flags = XFRM_STATE_AF_UNSPEC | (sa->esn ? XFRM_STATE_ESN : 0);
}

static int
xfrm_put_algs(struct nlmsghdr *nlh, size_t size, const struct xfrm_sa *sa)
{
	struct xfrm_alg e, i;

	xfrm_alg_enc(sa->enc, sa->enc_bits, &e);
	if (e.aead) {
		struct xfrm_algo_aead a;

		memset(&a, 0, sizeof(a));
		strncpy(a.alg_name, e.kname, sizeof(a.alg_name) - 1);
		a.alg_key_len = (unsigned)sa->enc_key_len * 8;
		a.alg_icv_len = e.icv_bits;
		return xfrm_attr_put2(nlh, size, XFRMA_ALG_AEAD, &a, sizeof(a),
		    sa->enc_key, sa->enc_key_len);
	} else {
		struct xfrm_algo c;
		struct xfrm_algo_auth h;

		memset(&c, 0, sizeof(c));
		strncpy(c.alg_name, e.kname, sizeof(c.alg_name) - 1);
		c.alg_key_len = (unsigned)sa->enc_key_len * 8;
		if (xfrm_attr_put2(nlh, size, XFRMA_ALG_CRYPT, &c, sizeof(c),
		        sa->enc_key, sa->enc_key_len) == -1)
			return -1;
		xfrm_alg_integ(sa->integ, &i);
		memset(&h, 0, sizeof(h));
		strncpy(h.alg_name, i.kname, sizeof(h.alg_name) - 1);
		h.alg_key_len = (unsigned)sa->integ_key_len * 8;
		h.alg_trunc_len = i.icv_bits;
		return xfrm_attr_put2(nlh, size, XFRMA_ALG_AUTH_TRUNC, &h,
		    sizeof(h), sa->integ_key, sa->integ_key_len);
	}
}

/* The replay state with an all-zero bitmap of ceil(window / 32) words. */
static int
xfrm_put_replay(struct nlmsghdr *nlh, size_t size, const struct xfrm_sa *sa)
{
	static const uint32_t zero[4096 / 32];
	struct xfrm_replay_state_esn r;

	if (sa->replay_window == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	r.bmp_len = (sa->replay_window + 31) / 32;
	r.replay_window = sa->replay_window;
	return xfrm_attr_put2(nlh, size, XFRMA_REPLAY_ESN_VAL, &r, sizeof(r),
	    zero, r.bmp_len * sizeof(uint32_t));
}

static int
xfrm_put_encap(struct nlmsghdr *nlh, size_t size, const struct xfrm_sa *sa)
{
	struct xfrm_encap_tmpl t;

	if (sa->encap_sport == 0)
		return 0;
	memset(&t, 0, sizeof(t));
	t.encap_type = 2; /* UDP_ENCAP_ESPINUDP (RFC 3948) */
	t.encap_sport = htons(sa->encap_sport);
	t.encap_dport = htons(sa->encap_dport);
	return xfrm_attr_put(nlh, size, XFRMA_ENCAP, &t, sizeof(t));
}

/*
 * XFRM_MSG_NEWSA, or XFRM_MSG_UPDSA when the SA replaces the larval state
 * XFRM_MSG_ALLOCSPI left behind.
 */
struct nlmsghdr *
xfrm_msg_sa(void *buf, size_t size, const struct xfrm_sa *sa, int update)
{
	struct xfrm_usersa_info p;
	struct nlmsghdr *nlh;

	if (xfrm_sa_invalid(sa) != NULL) {
		errno = EINVAL;
		return NULL;
	}
	xfrm_sa_info(&p, sa);
	nlh = xfrm_nlmsg_start(buf, size,
	    update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, XFRM_REQ, &p, sizeof(p));
	if (nlh == NULL || xfrm_put_algs(nlh, size, sa) == -1 ||
	    xfrm_put_replay(nlh, size, sa) == -1 ||
	    xfrm_put_encap(nlh, size, sa) == -1 ||
	    xfrm_attr_put_u32(nlh, size, XFRMA_IF_ID, sa->if_id) == -1) {
		/* The key may be half in the buffer already. */
		memset(buf, 0, size);
		errno = ENOSPC;
		return NULL;
	}
	return nlh;
}

/* XFRM_MSG_GETSA or XFRM_MSG_DELSA: an ESP SA is (dst, SPI). */
struct nlmsghdr *
xfrm_msg_sa_id(void *buf, size_t size, uint16_t type, const struct xfrm_ip *dst,
    uint32_t spi)
{
	struct xfrm_usersa_id id;

	if (xfrm_ip_len(dst->family) == 0) {
		errno = EINVAL;
		return NULL;
	}
	memset(&id, 0, sizeof(id));
	xfrm_addr_put(&id.daddr, dst);
	id.spi = htonl(spi);
	id.family = dst->family;
	id.proto = IPPROTO_ESP;
	return xfrm_nlmsg_start(buf, size, type, XFRM_REQ, &id, sizeof(id));
}

struct nlmsghdr *
xfrm_msg_allocspi(void *buf, size_t size, const struct xfrm_ip *src,
    const struct xfrm_ip *dst, uint32_t reqid, uint32_t if_id, uint32_t min,
    uint32_t max)
{
	struct xfrm_userspi_info u;
	struct nlmsghdr *nlh;

	if (src->family != dst->family || xfrm_ip_len(dst->family) == 0 ||
	    !xfrm_reqid_ours(reqid) || !xfrm_ifid_ours(if_id) || min > max) {
		errno = EINVAL;
		return NULL;
	}
	memset(&u, 0, sizeof(u));
	xfrm_addr_put(&u.info.id.daddr, dst);
	u.info.id.proto = IPPROTO_ESP;
	xfrm_addr_put(&u.info.saddr, src);
	u.info.reqid = reqid;
	u.info.family = dst->family;
	u.info.mode = XFRM_MODE_TUNNEL;
	u.min = min;
	u.max = max;
	nlh = xfrm_nlmsg_start(
	    buf, size, XFRM_MSG_ALLOCSPI, XFRM_REQ, &u, sizeof(u));
	if (nlh == NULL ||
	    xfrm_attr_put_u32(nlh, size, XFRMA_IF_ID, if_id) == -1)
		return NULL;
	return nlh;
}

static void
xfrm_sel_put(struct xfrm_selector *sel, const struct xfrm_policy *pol)
{
	memset(sel, 0, sizeof(*sel));
	xfrm_addr_put(&sel->daddr, &pol->sel_dst.ip);
	xfrm_addr_put(&sel->saddr, &pol->sel_src.ip);
	sel->family = pol->sel_src.ip.family;
	sel->prefixlen_d = pol->sel_dst.len;
	sel->prefixlen_s = pol->sel_src.len;
}

/*
 * XFRM_MSG_UPDPOLICY: add, or replace the same (selector, dir, if_id), so
 * that installing a policy twice is not an error.
 */
struct nlmsghdr *
xfrm_msg_policy(void *buf, size_t size, const struct xfrm_policy *pol)
{
	struct xfrm_userpolicy_info p;
	struct xfrm_user_tmpl t;
	struct nlmsghdr *nlh;

	if (xfrm_policy_invalid(pol) != NULL) {
		errno = EINVAL;
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	xfrm_sel_put(&p.sel, pol);
	p.lft.soft_byte_limit = XFRM_INF;
	p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = XFRM_INF;
	p.lft.hard_packet_limit = XFRM_INF;
	p.priority = pol->priority;
	p.dir = (uint8_t)pol->dir;
	p.action = XFRM_POLICY_ALLOW;
	p.share = XFRM_SHARE_ANY;

	memset(&t, 0, sizeof(t));
	xfrm_addr_put(&t.id.daddr, &pol->dst);
	t.id.proto = IPPROTO_ESP;
	t.family = pol->dst.family;
	xfrm_addr_put(&t.saddr, &pol->src);
	t.reqid = pol->reqid;
	t.mode = XFRM_MODE_TUNNEL;
	t.aalgos = t.ealgos = t.calgos = ~0u; /* whatever the SA has */

	nlh = xfrm_nlmsg_start(
	    buf, size, XFRM_MSG_UPDPOLICY, XFRM_REQ, &p, sizeof(p));
	if (nlh == NULL ||
	    xfrm_attr_put(nlh, size, XFRMA_TMPL, &t, sizeof(t)) == -1 ||
	    xfrm_attr_put_u32(nlh, size, XFRMA_IF_ID, pol->if_id) == -1)
		return NULL;
	return nlh;
}

/* XFRM_MSG_DELPOLICY by (selector, dir, if_id). */
struct nlmsghdr *
xfrm_msg_policy_del(void *buf, size_t size, const struct xfrm_policy *pol)
{
	struct xfrm_userpolicy_id id;
	struct nlmsghdr *nlh;

	if (xfrm_policy_invalid(pol) != NULL) {
		errno = EINVAL;
		return NULL;
	}
	memset(&id, 0, sizeof(id));
	xfrm_sel_put(&id.sel, pol);
	id.dir = (uint8_t)pol->dir;
	nlh = xfrm_nlmsg_start(
	    buf, size, XFRM_MSG_DELPOLICY, XFRM_REQ, &id, sizeof(id));
	if (nlh == NULL ||
	    xfrm_attr_put_u32(nlh, size, XFRMA_IF_ID, pol->if_id) == -1)
		return NULL;
	return nlh;
}

/* XFRM_MSG_DELPOLICY by the index a dump reported (cleanup). */
struct nlmsghdr *
xfrm_msg_policy_del_index(
    void *buf, size_t size, enum xfrm_dir dir, uint32_t index, uint32_t if_id)
{
	struct xfrm_userpolicy_id id;
	struct nlmsghdr *nlh;

	memset(&id, 0, sizeof(id));
	id.index = index;
	id.dir = (uint8_t)dir;
	nlh = xfrm_nlmsg_start(
	    buf, size, XFRM_MSG_DELPOLICY, XFRM_REQ, &id, sizeof(id));
	if (nlh == NULL || (if_id != 0 && xfrm_attr_put_u32(nlh, size,
	                                      XFRMA_IF_ID, if_id) == -1))
		return NULL;
	return nlh;
}

/* XFRM_MSG_GETSA or XFRM_MSG_GETPOLICY over the whole table. */
struct nlmsghdr *
xfrm_msg_dump(void *buf, size_t size, uint16_t type)
{
	return xfrm_nlmsg_start(
	    buf, size, type, NLM_F_REQUEST | NLM_F_DUMP, NULL, 0);
}
