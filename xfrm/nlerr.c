/*
 * nlerr.c: turn a netlink NACK into words.  The kernel's extended ack
 * carries a message and the offset of the offending attribute in our
 * request; we keep the request, so the offset becomes an attribute name
 * (nested ones as a path: IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_XFRM_IF_ID).
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>
#include <stdio.h>
#include <string.h>

#include "xfrm/codec.h"

#define N(x) [x] = #x

static const char *const xfrma_names[XFRMA_MAX + 1] = {
    N(XFRMA_ALG_AUTH),
    N(XFRMA_ALG_CRYPT),
    N(XFRMA_ALG_COMP),
    N(XFRMA_ENCAP),
    N(XFRMA_TMPL),
    N(XFRMA_SA),
    N(XFRMA_POLICY),
    N(XFRMA_SEC_CTX),
    N(XFRMA_LTIME_VAL),
    N(XFRMA_REPLAY_VAL),
    N(XFRMA_REPLAY_THRESH),
    N(XFRMA_ETIMER_THRESH),
    N(XFRMA_SRCADDR),
    N(XFRMA_COADDR),
    N(XFRMA_LASTUSED),
    N(XFRMA_POLICY_TYPE),
    N(XFRMA_MIGRATE),
    N(XFRMA_ALG_AEAD),
    N(XFRMA_KMADDRESS),
    N(XFRMA_ALG_AUTH_TRUNC),
    N(XFRMA_MARK),
    N(XFRMA_TFCPAD),
    N(XFRMA_REPLAY_ESN_VAL),
    N(XFRMA_SA_EXTRA_FLAGS),
    N(XFRMA_PROTO),
    N(XFRMA_ADDRESS_FILTER),
    N(XFRMA_PAD),
    N(XFRMA_OFFLOAD_DEV),
    N(XFRMA_SET_MARK),
    N(XFRMA_SET_MARK_MASK),
    N(XFRMA_IF_ID),
};

static const char *const ifla_names[IFLA_MAX + 1] = {
    N(IFLA_ADDRESS),
    N(IFLA_BROADCAST),
    N(IFLA_IFNAME),
    N(IFLA_MTU),
    N(IFLA_LINK),
    N(IFLA_MASTER),
    N(IFLA_OPERSTATE),
    N(IFLA_LINKMODE),
    N(IFLA_LINKINFO),
    N(IFLA_NET_NS_PID),
    N(IFLA_IFALIAS),
    N(IFLA_GROUP),
    N(IFLA_NET_NS_FD),
    N(IFLA_EXT_MASK),
};

static const char *const info_names[IFLA_INFO_MAX + 1] = {
    N(IFLA_INFO_KIND),
    N(IFLA_INFO_DATA),
    N(IFLA_INFO_XSTATS),
    N(IFLA_INFO_SLAVE_KIND),
    N(IFLA_INFO_SLAVE_DATA),
};

static const char *const xfrmi_names[IFLA_XFRM_MAX + 1] = {
    N(IFLA_XFRM_LINK),
    N(IFLA_XFRM_IF_ID),
};

static const char *const ifa_names[IFA_MAX + 1] = {
    N(IFA_ADDRESS),
    N(IFA_LOCAL),
    N(IFA_LABEL),
    N(IFA_BROADCAST),
    N(IFA_ANYCAST),
    N(IFA_CACHEINFO),
    N(IFA_MULTICAST),
    N(IFA_FLAGS),
    N(IFA_RT_PRIORITY),
};

static const char *const rta_names[RTA_MAX + 1] = {
    N(RTA_DST),
    N(RTA_SRC),
    N(RTA_IIF),
    N(RTA_OIF),
    N(RTA_GATEWAY),
    N(RTA_PRIORITY),
    N(RTA_PREFSRC),
    N(RTA_METRICS),
    N(RTA_MULTIPATH),
    N(RTA_FLOW),
    N(RTA_CACHEINFO),
    N(RTA_TABLE),
    N(RTA_MARK),
    N(RTA_PREF),
    N(RTA_VIA),
};

static const char *const fra_names[FRA_MAX + 1] = {
    N(FRA_DST),
    N(FRA_SRC),
    N(FRA_IIFNAME),
    N(FRA_GOTO),
    N(FRA_PRIORITY),
    N(FRA_FWMARK),
    N(FRA_FLOW),
    N(FRA_TUN_ID),
    N(FRA_SUPPRESS_IFGROUP),
    N(FRA_SUPPRESS_PREFIXLEN),
    N(FRA_TABLE),
    N(FRA_FWMASK),
    N(FRA_OIFNAME),
    N(FRA_L3MDEV),
    N(FRA_UID_RANGE),
    N(FRA_PROTOCOL),
};

static const char *const xfrm_msg_names[] = {
    "XFRM_MSG_NEWSA",
    "XFRM_MSG_DELSA",
    "XFRM_MSG_GETSA",
    "XFRM_MSG_NEWPOLICY",
    "XFRM_MSG_DELPOLICY",
    "XFRM_MSG_GETPOLICY",
    "XFRM_MSG_ALLOCSPI",
    "XFRM_MSG_ACQUIRE",
    "XFRM_MSG_EXPIRE",
    "XFRM_MSG_UPDPOLICY",
    "XFRM_MSG_UPDSA",
    "XFRM_MSG_POLEXPIRE",
};

static const char *const rtm_msg_names[] = {
    "RTM_NEWLINK",
    "RTM_DELLINK",
    "RTM_GETLINK",
    "RTM_SETLINK",
    "RTM_NEWADDR",
    "RTM_DELADDR",
    "RTM_GETADDR",
    NULL,
    "RTM_NEWROUTE",
    "RTM_DELROUTE",
    "RTM_GETROUTE",
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    "RTM_NEWRULE",
    "RTM_DELRULE",
    "RTM_GETRULE",
};

#undef N

/* An attribute table, and the table of the one type in it that nests. */
struct xfrm_names {
	const char *const *names;
	size_t n;
	uint16_t nested; /* 0: none */
	const struct xfrm_names *child;
};

static const struct xfrm_names xfrmi_tab = {
    xfrmi_names, IFLA_XFRM_MAX + 1, 0, NULL};
static const struct xfrm_names info_tab = {
    info_names, IFLA_INFO_MAX + 1, IFLA_INFO_DATA, &xfrmi_tab};
static const struct xfrm_names ifla_tab = {
    ifla_names, IFLA_MAX + 1, IFLA_LINKINFO, &info_tab};
static const struct xfrm_names xfrma_tab = {
    xfrma_names, XFRMA_MAX + 1, 0, NULL};
static const struct xfrm_names ifa_tab = {ifa_names, IFA_MAX + 1, 0, NULL};
static const struct xfrm_names rta_tab = {rta_names, RTA_MAX + 1, 0, NULL};
static const struct xfrm_names fra_tab = {fra_names, FRA_MAX + 1, 0, NULL};

/* The attribute table and fixed-part size of a request type. */
static const struct xfrm_names *
xfrm_msg_layout(int proto, uint16_t type, size_t *hdrlen)
{
	if (proto == NETLINK_XFRM) {
		switch (type) {
		case XFRM_MSG_NEWSA:
		case XFRM_MSG_UPDSA:
			*hdrlen = sizeof(struct xfrm_usersa_info);
			return &xfrma_tab;
		case XFRM_MSG_DELSA:
		case XFRM_MSG_GETSA:
			*hdrlen = sizeof(struct xfrm_usersa_id);
			return &xfrma_tab;
		case XFRM_MSG_ALLOCSPI:
			*hdrlen = sizeof(struct xfrm_userspi_info);
			return &xfrma_tab;
		case XFRM_MSG_NEWPOLICY:
		case XFRM_MSG_UPDPOLICY:
			*hdrlen = sizeof(struct xfrm_userpolicy_info);
			return &xfrma_tab;
		case XFRM_MSG_DELPOLICY:
		case XFRM_MSG_GETPOLICY:
			*hdrlen = sizeof(struct xfrm_userpolicy_id);
			return &xfrma_tab;
		}
		return NULL;
	}
	if (proto != NETLINK_ROUTE)
		return NULL;
	if (type >= RTM_NEWLINK && type <= RTM_SETLINK) {
		*hdrlen = sizeof(struct ifinfomsg);
		return &ifla_tab;
	}
	if (type >= RTM_NEWADDR && type <= RTM_GETADDR) {
		*hdrlen = sizeof(struct ifaddrmsg);
		return &ifa_tab;
	}
	if (type >= RTM_NEWROUTE && type <= RTM_GETROUTE) {
		*hdrlen = sizeof(struct rtmsg);
		return &rta_tab;
	}
	if (type >= RTM_NEWRULE && type <= RTM_GETRULE) {
		*hdrlen = sizeof(struct fib_rule_hdr);
		return &fra_tab;
	}
	return NULL;
}

static const char *
xfrm_names_get(const struct xfrm_names *t, uint16_t type)
{
	return type < t->n ? t->names[type] : NULL;
}

const char *
xfrm_attr_name(int proto, uint16_t msgtype, uint16_t attr)
{
	const struct xfrm_names *t;
	size_t hdrlen;

	if ((t = xfrm_msg_layout(proto, msgtype, &hdrlen)) == NULL)
		return NULL;
	return xfrm_names_get(t, attr & NLA_TYPE_MASK);
}

const char *
xfrm_msg_name(int proto, uint16_t type)
{
	size_t i;

	if (proto == NETLINK_XFRM && type >= XFRM_MSG_BASE) {
		i = type - XFRM_MSG_BASE;
		if (i < sizeof(xfrm_msg_names) / sizeof(xfrm_msg_names[0]))
			return xfrm_msg_names[i];
	} else if (proto == NETLINK_ROUTE && type >= RTM_NEWLINK) {
		i = type - RTM_NEWLINK;
		if (i < sizeof(rtm_msg_names) / sizeof(rtm_msg_names[0]))
			return rtm_msg_names[i];
	}
	return NULL;
}

/* Appends "NAME" (or "#type") of the attribute at `a` to buf. */
static void
xfrm_name_append(
    char *buf, size_t size, const struct xfrm_names *t, uint16_t type)
{
	const char *name = xfrm_names_get(t, type);
	size_t n = strlen(buf);

	if (n >= size)
		return;
	if (name != NULL)
		snprintf(buf + n, size - n, "%s%s", n ? "/" : "", name);
	else
		snprintf(buf + n, size - n, "%s#%u", n ? "/" : "", type);
}

/* Finds the attribute containing `off` in [p, p + len), descending nests. */
static int
xfrm_attr_find(const uint8_t *p, size_t len, size_t off,
    const struct xfrm_names *t, char *buf, size_t size)
{
	size_t pos = 0;

	while (len - pos >= MNL_ATTR_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)(p + pos);
		uint16_t type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len - pos)
			return -1;
		if (off >= pos && off < pos + a->nla_len) {
			xfrm_name_append(buf, size, t, type);
			if (off >= pos + MNL_ATTR_HDRLEN && t->nested != 0 &&
			    type == t->nested && t->child != NULL)
				xfrm_attr_find(p + pos + MNL_ATTR_HDRLEN,
				    a->nla_len - MNL_ATTR_HDRLEN,
				    off - pos - MNL_ATTR_HDRLEN, t->child, buf,
				    size);
			return 0;
		}
		pos += MNL_ALIGN(a->nla_len);
		if (pos >= len)
			break;
	}
	return -1;
}

/* Names what sits at `offset` bytes into our request `req`. */
int
xfrm_attr_at(int proto, const struct nlmsghdr *req, uint32_t offset, char *buf,
    size_t size)
{
	const struct xfrm_names *t;
	size_t hdrlen, start;

	if (size == 0)
		return -1;
	buf[0] = '\0';
	if (req == NULL || offset >= req->nlmsg_len ||
	    (t = xfrm_msg_layout(proto, req->nlmsg_type, &hdrlen)) == NULL)
		return -1;
	start = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);
	if (offset < MNL_NLMSG_HDRLEN) {
		snprintf(buf, size, "the netlink header");
		return 0;
	}
	if (offset < start) {
		snprintf(buf, size, "byte %zu of the fixed header",
		    (size_t)offset - MNL_NLMSG_HDRLEN);
		return 0;
	}
	return xfrm_attr_find((const uint8_t *)req + start,
	    req->nlmsg_len - start, offset - start, t, buf, size);
}

static void
xfrm_nlerr_tlvs(const struct nlmsghdr *nlh, size_t off, int proto,
    const struct nlmsghdr *req, struct xfrm_nlerr *err)
{
	static const struct xfrm_attr_rule rules[NLMSGERR_ATTR_MAX + 1] = {
	    [NLMSGERR_ATTR_MSG] = {1, 0},
	    [NLMSGERR_ATTR_OFFS] = {4, 4},
	    [NLMSGERR_ATTR_MISS_TYPE] = {4, 4},
	};
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const char *name;

	if (xfrm_attr_parse(nlh, off - MNL_NLMSG_HDRLEN, rules,
	        NLMSGERR_ATTR_MAX, tb) == -1)
		return; /* a broken TLV costs us the details, not the errno */
	if (tb[NLMSGERR_ATTR_MSG]) {
		size_t n = mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_MSG]);

		if (n >= sizeof(err->msg))
			n = sizeof(err->msg) - 1;
		memcpy(
		    err->msg, mnl_attr_get_payload(tb[NLMSGERR_ATTR_MSG]), n);
		err->msg[n] = '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS]) {
		err->has_offset = 1;
		err->offset = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		xfrm_attr_at(
		    proto, req, err->offset, err->attr, sizeof(err->attr));
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		err->has_miss = 1;
		err->miss_type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		if (err->attr[0] == '\0' && req != NULL &&
		    (name = xfrm_attr_name(proto, req->nlmsg_type,
		         (uint16_t)err->miss_type)) != NULL)
			snprintf(
			    err->attr, sizeof(err->attr), "missing %s", name);
	}
}

/*
 * NLMSG_ERROR: struct nlmsgerr (errno and the request's header), the rest
 * of the request unless NLM_F_CAPPED, then TLVs if NLM_F_ACK_TLVS.
 */
int
xfrm_parse_nlerr(const struct nlmsghdr *nlh, int proto,
    const struct nlmsghdr *req, struct xfrm_nlerr *err)
{
	struct nlmsgerr e;
	size_t off;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    xfrm_nlmsg_fixed(nlh, &e, sizeof(e)) == -1) {
		errno = EPROTO;
		return -1;
	}
	/* The kernel sends -errno; anything else is a broken message. */
	if (e.error > 0 || e.error < -4095) {
		errno = EPROTO;
		return -1;
	}
	err->error = -e.error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = MNL_NLMSG_HDRLEN + sizeof(e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e.msg.nlmsg_len < MNL_NLMSG_HDRLEN)
			return 0;
		off =
		    MNL_NLMSG_HDRLEN + sizeof(int) + MNL_ALIGN(e.msg.nlmsg_len);
	}
	if (off < nlh->nlmsg_len)
		xfrm_nlerr_tlvs(nlh, off, proto, req, err);
	return 0;
}
