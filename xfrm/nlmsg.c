/*
 * nlmsg.c: the few steps every builder takes: a header plus fixed part, and
 * attributes that are refused (not truncated) when the buffer is full.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <string.h>

#include "xfrm/codec.h"

struct nlmsghdr *
xfrm_nlmsg_start(void *buf, size_t size, uint16_t type, uint16_t flags,
    const void *hdr, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen)) {
		errno = ENOSPC;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	if (hdrlen > 0)
		memcpy(mnl_nlmsg_put_extra_header(nlh, hdrlen), hdr, hdrlen);
	return nlh;
}

/*
 * An attribute whose payload is a fixed struct followed by variable data
 * (an algorithm and its key): written in place, so the key is never copied
 * anywhere but into the message buffer.
 */
int
xfrm_attr_put2(struct nlmsghdr *nlh, size_t size, uint16_t type, const void *a,
    size_t alen, const void *b, size_t blen)
{
	size_t len = MNL_ATTR_HDRLEN + alen + blen;
	struct nlattr *attr;
	uint8_t *p;

	if (len > UINT16_MAX || nlh->nlmsg_len > size ||
	    MNL_ALIGN(len) > size - nlh->nlmsg_len) {
		errno = ENOSPC;
		return -1;
	}
	attr = mnl_nlmsg_get_payload_tail(nlh);
	attr->nla_type = type;
	attr->nla_len = (uint16_t)len;
	p = (uint8_t *)attr + MNL_ATTR_HDRLEN;
	if (alen > 0)
		memcpy(p, a, alen);
	if (blen > 0)
		memcpy(p + alen, b, blen);
	memset(p + alen + blen, 0, MNL_ALIGN(len) - len);
	nlh->nlmsg_len += MNL_ALIGN(len);
	return 0;
}

int
xfrm_attr_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const void *data, size_t len)
{
	return xfrm_attr_put2(nlh, size, type, data, len, NULL, 0);
}

int
xfrm_attr_put_u32(struct nlmsghdr *nlh, size_t size, uint16_t type, uint32_t v)
{
	return xfrm_attr_put(nlh, size, type, &v, sizeof(v));
}

static int
xfrm_attr_walk(const void *start, size_t len,
    const struct xfrm_attr_rule *rules, uint16_t maxtype,
    const struct nlattr **tb)
{
	const uint8_t *p = start;

	memset(tb, 0, (maxtype + 1u) * sizeof(*tb));
	while (len >= MNL_ATTR_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		size_t step, plen;

		if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > len) {
			errno = EINVAL;
			return -1;
		}
		plen = a->nla_len - MNL_ATTR_HDRLEN;
		if (type <= maxtype && rules != NULL &&
		    (rules[type].min != 0 || rules[type].max != 0)) {
			if (plen < rules[type].min ||
			    (rules[type].max != 0 && plen > rules[type].max)) {
				errno = ERANGE;
				return -1;
			}
		}
		if (type <= maxtype)
			tb[type] = a;
		step = MNL_ALIGN(a->nla_len);
		if (step >= len)
			return 0;
		len -= step;
		p += step;
	}
	/* Fewer bytes than an attribute header left: the sender's padding. */
	return 0;
}

int
xfrm_attr_parse(const struct nlmsghdr *nlh, size_t hdrlen,
    const struct xfrm_attr_rule *rules, uint16_t maxtype,
    const struct nlattr **tb)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + hdrlen) {
		errno = EINVAL;
		return -1;
	}
	if (nlh->nlmsg_len <= off) {
		memset(tb, 0, (maxtype + 1u) * sizeof(*tb));
		return 0;
	}
	return xfrm_attr_walk((const uint8_t *)nlh + off, nlh->nlmsg_len - off,
	    rules, maxtype, tb);
}

int
xfrm_attr_parse_nested(const struct nlattr *nest,
    const struct xfrm_attr_rule *rules, uint16_t maxtype,
    const struct nlattr **tb)
{
	return xfrm_attr_walk(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), rules, maxtype, tb);
}

/*
 * memcpy, not a cast: a message in a datagram of several is only 4-byte
 * aligned, and the XFRM structs hold 64-bit fields.
 */
int
xfrm_nlmsg_fixed(const struct nlmsghdr *nlh, void *out, size_t len)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + len) {
		errno = EINVAL;
		return -1;
	}
	memcpy(out, mnl_nlmsg_get_payload(nlh), len);
	return 0;
}
