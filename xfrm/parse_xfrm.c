/*
 * parse_xfrm.c: NETLINK_XFRM messages from the kernel (GETSA replies and
 * dumps, policy dumps, EXPIRE and ACQUIRE events) into the plain structs
 * of xfrm.h.  Everything is length-checked; key material is never read.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include <string.h>
#include <sys/socket.h>

#include "xfrm/codec.h"

/* Payload rules for the attributes we read; the rest pass unread. */
static const struct xfrm_attr_rule xfrm_rules[XFRMA_MAX + 1] = {
    [XFRMA_ALG_AUTH] = {sizeof(struct xfrm_algo), 0},
    [XFRMA_ALG_CRYPT] = {sizeof(struct xfrm_algo), 0},
    [XFRMA_ALG_AEAD] = {sizeof(struct xfrm_algo_aead), 0},
    [XFRMA_ALG_AUTH_TRUNC] = {sizeof(struct xfrm_algo_auth), 0},
    [XFRMA_ENCAP] = {sizeof(struct xfrm_encap_tmpl), 0},
    [XFRMA_TMPL] = {sizeof(struct xfrm_user_tmpl), 0},
    [XFRMA_REPLAY_VAL] = {sizeof(struct xfrm_replay_state), 0},
    [XFRMA_REPLAY_ESN_VAL] = {sizeof(struct xfrm_replay_state_esn), 0},
    [XFRMA_POLICY_TYPE] = {1, 0},
    [XFRMA_IF_ID] = {4, 4},
    [XFRMA_MARK] = {sizeof(struct xfrm_mark), 0},
};

static void
xfrm_ip_get(struct xfrm_ip *ip, const xfrm_address_t *a, int family)
{
	memset(ip, 0, sizeof(*ip));
	if (xfrm_ip_len(family) == 0)
		return;
	ip->family = (uint8_t)family;
	memcpy(ip->raw, a, xfrm_ip_len(family));
}

static uint64_t
xfrm_unlim(uint64_t v)
{
	return v == XFRM_INF ? 0 : v;
}

static uint32_t
xfrm_if_id_get(const struct nlattr **tb)
{
	return tb[XFRMA_IF_ID] ? mnl_attr_get_u32(tb[XFRMA_IF_ID]) : 0;
}

static void
xfrm_sa_info_get(struct xfrm_sa_status *st, const struct xfrm_usersa_info *p)
{
	memset(st, 0, sizeof(*st));
	xfrm_ip_get(&st->src, &p->saddr, p->family);
	xfrm_ip_get(&st->dst, &p->id.daddr, p->family);
	st->spi = ntohl(p->id.spi);
	st->reqid = p->reqid;
	st->proto = p->id.proto;
	st->mode = p->mode;
	st->flags = p->flags;
	st->bytes = p->curlft.bytes;
	st->packets = p->curlft.packets;
	st->add_time = p->curlft.add_time;
	st->use_time = p->curlft.use_time;
	st->replay_drops = p->stats.replay;
	st->integrity_failed = p->stats.integrity_failed;
	st->replay_window = p->replay_window;
	st->life.soft_bytes = xfrm_unlim(p->lft.soft_byte_limit);
	st->life.hard_bytes = xfrm_unlim(p->lft.hard_byte_limit);
	st->life.soft_packets = xfrm_unlim(p->lft.soft_packet_limit);
	st->life.hard_packets = xfrm_unlim(p->lft.hard_packet_limit);
	st->life.soft_secs = p->lft.soft_add_expires_seconds;
	st->life.hard_secs = p->lft.hard_add_expires_seconds;
}

/* The ESN state: the bitmap the header announces must be there. */
static int
xfrm_replay_get(struct xfrm_sa_status *st, const struct nlattr **tb)
{
	if (tb[XFRMA_REPLAY_ESN_VAL]) {
		struct xfrm_replay_state_esn r;
		size_t plen =
		    mnl_attr_get_payload_len(tb[XFRMA_REPLAY_ESN_VAL]);

		memcpy(&r, mnl_attr_get_payload(tb[XFRMA_REPLAY_ESN_VAL]),
		    sizeof(r));
		if (r.bmp_len > XFRMA_REPLAY_ESN_MAX / 32 ||
		    plen < sizeof(r) + r.bmp_len * sizeof(uint32_t)) {
			errno = ERANGE;
			return -1;
		}
		st->replay_window = r.replay_window;
		st->oseq = (uint64_t)r.oseq_hi << 32 | r.oseq;
		st->seq = (uint64_t)r.seq_hi << 32 | r.seq;
	} else if (tb[XFRMA_REPLAY_VAL]) {
		struct xfrm_replay_state r;

		memcpy(
		    &r, mnl_attr_get_payload(tb[XFRMA_REPLAY_VAL]), sizeof(r));
		st->oseq = r.oseq;
		st->seq = r.seq;
	}
	return 0;
}

/* XFRM_MSG_NEWSA: a GETSA/ALLOCSPI reply or one entry of a dump. */
int
xfrm_parse_sa(const struct nlmsghdr *nlh, struct xfrm_sa_status *st)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xfrm_usersa_info p;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA &&
	    nlh->nlmsg_type != XFRM_MSG_UPDSA) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &p, sizeof(p)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(p), xfrm_rules, XFRMA_MAX, tb) == -1)
		return -1;
	xfrm_sa_info_get(st, &p);
	st->if_id = xfrm_if_id_get(tb);
	if (xfrm_replay_get(st, tb) == -1)
		return -1;
	if (tb[XFRMA_ENCAP]) {
		struct xfrm_encap_tmpl t;

		memcpy(&t, mnl_attr_get_payload(tb[XFRMA_ENCAP]), sizeof(t));
		st->encap_sport = ntohs(t.encap_sport);
		st->encap_dport = ntohs(t.encap_dport);
	}
	st->larval = !tb[XFRMA_ALG_AEAD] && !tb[XFRMA_ALG_CRYPT] &&
	             !tb[XFRMA_ALG_AUTH] && !tb[XFRMA_ALG_AUTH_TRUNC];
	return 0;
}

int
xfrm_parse_expire(const struct nlmsghdr *nlh, struct xfrm_expire_event *ev)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xfrm_user_expire ue;
	struct xfrm_sa_status st;

	if (nlh->nlmsg_type != XFRM_MSG_EXPIRE) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &ue, sizeof(ue)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(ue), xfrm_rules, XFRMA_MAX, tb) == -1)
		return -1;
	xfrm_sa_info_get(&st, &ue.state);
	memset(ev, 0, sizeof(*ev));
	ev->src = st.src;
	ev->dst = st.dst;
	ev->spi = st.spi;
	ev->reqid = st.reqid;
	ev->proto = st.proto;
	ev->hard = ue.hard != 0;
	ev->bytes = st.bytes;
	ev->packets = st.packets;
	ev->if_id = xfrm_if_id_get(tb);
	return 0;
}

static void
xfrm_sel_get(struct xfrm_prefix *src, struct xfrm_prefix *dst,
    const struct xfrm_selector *sel)
{
	size_t bits = xfrm_ip_len(sel->family) * 8;

	xfrm_ip_get(&src->ip, &sel->saddr, sel->family);
	xfrm_ip_get(&dst->ip, &sel->daddr, sel->family);
	src->len = sel->prefixlen_s <= bits ? sel->prefixlen_s : (uint8_t)bits;
	dst->len = sel->prefixlen_d <= bits ? sel->prefixlen_d : (uint8_t)bits;
}

/* Templates come as an array; its length must be whole templates. */
static int
xfrm_tmpl_count(const struct nlattr *a)
{
	size_t plen = mnl_attr_get_payload_len(a);

	if (plen % sizeof(struct xfrm_user_tmpl) != 0) {
		errno = ERANGE;
		return -1;
	}
	return (int)(plen / sizeof(struct xfrm_user_tmpl));
}

static void
xfrm_tmpl_get(const struct nlattr *a, int i, struct xfrm_user_tmpl *t)
{
	memcpy(t, (const uint8_t *)mnl_attr_get_payload(a) + i * sizeof(*t),
	    sizeof(*t));
}

int
xfrm_parse_acquire(const struct nlmsghdr *nlh, struct xfrm_acquire_event *ev)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xfrm_user_acquire ua;
	struct xfrm_user_tmpl t;
	int family;

	if (nlh->nlmsg_type != XFRM_MSG_ACQUIRE) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &ua, sizeof(ua)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(ua), xfrm_rules, XFRMA_MAX, tb) == -1)
		return -1;
	memset(ev, 0, sizeof(*ev));
	family = ua.policy.sel.family;
	if (tb[XFRMA_TMPL]) {
		if (xfrm_tmpl_count(tb[XFRMA_TMPL]) < 1)
			return -1;
		xfrm_tmpl_get(tb[XFRMA_TMPL], 0, &t);
		family = t.family;
		ev->reqid = t.reqid;
	}
	xfrm_ip_get(&ev->src, &ua.saddr, family);
	xfrm_ip_get(&ev->dst, &ua.id.daddr, family);
	xfrm_sel_get(&ev->sel_src, &ev->sel_dst, &ua.sel);
	ev->sel_proto = ua.sel.proto;
	ev->dir = (enum xfrm_dir)ua.policy.dir;
	ev->policy_index = ua.policy.index;
	ev->seq = ua.seq;
	ev->if_id = xfrm_if_id_get(tb);
	return 0;
}

/* XFRM_MSG_NEWPOLICY from a dump: what cleanup needs to decide and delete. */
int
xfrm_parse_policy(const struct nlmsghdr *nlh, struct xfrm_policy_status *ps)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xfrm_userpolicy_info p;
	struct xfrm_user_tmpl t;
	int i, n;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY &&
	    nlh->nlmsg_type != XFRM_MSG_UPDPOLICY) {
		errno = EPROTO;
		return -1;
	}
	if (xfrm_nlmsg_fixed(nlh, &p, sizeof(p)) == -1 ||
	    xfrm_attr_parse(nlh, sizeof(p), xfrm_rules, XFRMA_MAX, tb) == -1)
		return -1;
	memset(ps, 0, sizeof(*ps));
	xfrm_sel_get(&ps->pol.sel_src, &ps->pol.sel_dst, &p.sel);
	ps->pol.dir = (enum xfrm_dir)p.dir;
	ps->pol.priority = p.priority;
	ps->pol.if_id = xfrm_if_id_get(tb);
	ps->index = p.index;
	ps->action = p.action;
	if (tb[XFRMA_POLICY_TYPE] &&
	    *(const uint8_t *)mnl_attr_get_payload(tb[XFRMA_POLICY_TYPE]) !=
	        XFRM_POLICY_TYPE_MAIN) {
		errno = EOPNOTSUPP; /* sub policies: never ours */
		return -1;
	}
	if (!tb[XFRMA_TMPL])
		return 0;
	if ((n = xfrm_tmpl_count(tb[XFRMA_TMPL])) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		xfrm_tmpl_get(tb[XFRMA_TMPL], i, &t);
		if (i == 0 || xfrm_reqid_ours(t.reqid)) {
			ps->pol.reqid = t.reqid;
			xfrm_ip_get(&ps->pol.src, &t.saddr, t.family);
			xfrm_ip_get(&ps->pol.dst, &t.id.daddr, t.family);
		}
		if (xfrm_reqid_ours(t.reqid))
			ps->reqid_ours = 1;
	}
	return 0;
}
