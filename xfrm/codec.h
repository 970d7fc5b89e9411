/*
 * codec.h: netlink message builders and parsers of the xfrm module.  They
 * take a buffer and never touch a socket, so the unit tests compare them
 * byte for byte and the fuzzer feeds them anything.  Private to xfrm/.
 */
#ifndef TSUNAGI_XFRM_CODEC_H
#define TSUNAGI_XFRM_CODEC_H

#include <linux/netlink.h>
#include <stdint.h>

#include "xfrm/xfrm.h"

/* Large enough for any request we build (an SA with every option: ~1 KiB). */
#define XFRM_MSG_SIZE 2048

static inline int
xfrm_reqid_ours(uint32_t reqid)
{
	return reqid >= XFRM_REQID_MIN && reqid <= XFRM_REQID_MAX;
}

static inline int
xfrm_ifid_ours(uint32_t if_id)
{
	return if_id >= XFRM_IFID_MIN && if_id <= XFRM_IFID_MAX;
}

/*
 * Walking the messages of a datagram.  libmnl's mnl_nlmsg_ok() compares
 * nlmsg_len as an int, so a length above 2 GiB would pass it: ours does
 * the comparison unsigned.
 */
static inline int
xfrm_nlmsg_ok(const struct nlmsghdr *nlh, size_t len)
{
	return len >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= len;
}

static inline const struct nlmsghdr *
xfrm_nlmsg_next(const struct nlmsghdr *nlh, size_t *len)
{
	size_t step = NLMSG_ALIGN(nlh->nlmsg_len);

	if (step > *len)
		step = *len;
	*len -= step;
	return (const struct nlmsghdr *)((const uint8_t *)nlh + step);
}

/* --- message helpers (nlmsg.c) ------------------------------------------- */

struct nlmsghdr *xfrm_nlmsg_start(void *buf, size_t size, uint16_t type,
    uint16_t flags, const void *hdr, size_t hdrlen);
int xfrm_attr_put2(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const void *a, size_t alen, const void *b, size_t blen);
int xfrm_attr_put(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const void *data, size_t len);
int xfrm_attr_put_u32(
    struct nlmsghdr *nlh, size_t size, uint16_t type, uint32_t v);

/*
 * Receive side: attributes of a message (after its fixed part of `hdrlen`)
 * or of a nest, indexed by type into tb[0..maxtype].  A malformed attribute
 * (length beyond the data) or one whose payload length breaks its rule
 * rejects the whole message.  Types without a rule are skipped unchecked.
 */
struct xfrm_attr_rule {
	uint16_t min, max; /* payload bytes; max 0 = no upper bound */
};

int xfrm_attr_parse(const struct nlmsghdr *nlh, size_t hdrlen,
    const struct xfrm_attr_rule *rules, uint16_t maxtype,
    const struct nlattr **tb);
int xfrm_attr_parse_nested(const struct nlattr *nest,
    const struct xfrm_attr_rule *rules, uint16_t maxtype,
    const struct nlattr **tb);
/* Copies the fixed part of a message; -1 if the message is shorter. */
int xfrm_nlmsg_fixed(const struct nlmsghdr *nlh, void *out, size_t len);

/* --- algorithms (alg.c) ------------------------------------------------ */

struct xfrm_alg {
	const char *kname;   /* the kernel's crypto API name */
	unsigned key_bytes;  /* enc: key without salt; integ: HMAC key */
	unsigned salt_bytes; /* AEAD salt appended to the key */
	unsigned icv_bits;   /* AEAD ICV or integ truncation */
	unsigned iv_bytes;   /* per-packet IV in the ESP payload */
	unsigned block;      /* ESP payload alignment (RFC 4303 2.4) */
	int aead;
};

int xfrm_alg_enc(enum xfrm_enc enc, unsigned bits, struct xfrm_alg *out);
int xfrm_alg_integ(enum xfrm_integ integ, struct xfrm_alg *out);
/* NULL if `sa` can be installed, else why not. */
const char *xfrm_sa_invalid(const struct xfrm_sa *sa);
const char *xfrm_policy_invalid(const struct xfrm_policy *pol);

/* --- NETLINK_XFRM builders (msg_xfrm.c) ---------------------------------- */

struct nlmsghdr *xfrm_msg_sa(
    void *buf, size_t size, const struct xfrm_sa *sa, int update);
struct nlmsghdr *xfrm_msg_sa_id(void *buf, size_t size, uint16_t type,
    const struct xfrm_ip *dst, uint32_t spi);
struct nlmsghdr *xfrm_msg_allocspi(void *buf, size_t size,
    const struct xfrm_ip *src, const struct xfrm_ip *dst, uint32_t reqid,
    uint32_t if_id, uint32_t min, uint32_t max);
struct nlmsghdr *xfrm_msg_policy(
    void *buf, size_t size, const struct xfrm_policy *pol);
struct nlmsghdr *xfrm_msg_policy_del(
    void *buf, size_t size, const struct xfrm_policy *pol);
struct nlmsghdr *xfrm_msg_policy_del_index(
    void *buf, size_t size, enum xfrm_dir dir, uint32_t index, uint32_t if_id);
struct nlmsghdr *xfrm_msg_dump(void *buf, size_t size, uint16_t type);

/* --- NETLINK_XFRM parsers (parse_xfrm.c) --------------------------------- */

struct xfrm_policy_status {
	struct xfrm_policy pol;
	uint32_t index;
	uint8_t action;
	int reqid_ours; /* some template carries a reqid of ours */
};

int xfrm_parse_sa(const struct nlmsghdr *nlh, struct xfrm_sa_status *st);
int xfrm_parse_expire(const struct nlmsghdr *nlh, struct xfrm_expire_event *ev);
int xfrm_parse_acquire(
    const struct nlmsghdr *nlh, struct xfrm_acquire_event *ev);
int xfrm_parse_policy(
    const struct nlmsghdr *nlh, struct xfrm_policy_status *ps);

/* --- NETLINK_ROUTE builders (msg_rt.c) ----------------------------------- */

struct nlmsghdr *xfrm_msg_link_add(void *buf, size_t size, const char *name,
    uint32_t if_id, int link, unsigned mtu);
struct nlmsghdr *xfrm_msg_link_simple(
    void *buf, size_t size, uint16_t type, int ifindex);
struct nlmsghdr *xfrm_msg_link_set(
    void *buf, size_t size, int ifindex, int up, unsigned mtu);
struct nlmsghdr *xfrm_msg_addr(void *buf, size_t size, uint16_t type,
    int ifindex, const struct xfrm_ip *addr);
struct nlmsghdr *xfrm_msg_route(void *buf, size_t size, uint16_t type,
    uint16_t flags, const struct xfrm_route *rt);
struct nlmsghdr *xfrm_msg_rule(void *buf, size_t size, uint16_t type,
    uint16_t flags, const struct xfrm_rule *rule);
struct nlmsghdr *xfrm_msg_route_get(
    void *buf, size_t size, const struct xfrm_ip *dst, int oif);
struct nlmsghdr *xfrm_msg_rt_dump(
    void *buf, size_t size, uint16_t type, int family, uint8_t protocol);

/* --- NETLINK_ROUTE parsers (parse_rt.c) ---------------------------------- */

struct xfrm_route_status {
	struct xfrm_route rt;
	uint8_t protocol, scope, tos, rtm_type;
	unsigned rtm_flags;
};

struct xfrm_rule_status {
	struct xfrm_rule rule;
	uint8_t protocol, action;
	int has_dst, has_iif; /* selectors we never set */
};

int xfrm_parse_link(const struct nlmsghdr *nlh, struct xfrm_link_event *ev);
/* The IFLA_STATS64 of an RTM_NEWLINK; -1 (EPROTO) if it has none. */
int xfrm_parse_link_stats(
    const struct nlmsghdr *nlh, struct xfrm_link_stats *st);
int xfrm_parse_addr(const struct nlmsghdr *nlh, struct xfrm_addr_event *ev);
int xfrm_parse_route(const struct nlmsghdr *nlh, struct xfrm_route_status *rs);
int xfrm_parse_rule(const struct nlmsghdr *nlh, struct xfrm_rule_status *rs);

/* --- errors and attribute names (nlerr.c) -------------------------------- */

struct xfrm_nlerr {
	int error;     /* positive errno, 0 for an ACK */
	char msg[128]; /* the kernel's extended-ack text, or "" */
	char attr[96]; /* the offending attribute of `req`, or "" */
	int has_offset;
	uint32_t offset; /* NLMSGERR_ATTR_OFFS */
	int has_miss;
	uint32_t miss_type; /* NLMSGERR_ATTR_MISS_TYPE */
};

int xfrm_parse_nlerr(const struct nlmsghdr *nlh, int proto,
    const struct nlmsghdr *req, struct xfrm_nlerr *err);
const char *xfrm_attr_name(int proto, uint16_t msgtype, uint16_t attr);
const char *xfrm_msg_name(int proto, uint16_t msgtype);
int xfrm_attr_at(int proto, const struct nlmsghdr *req, uint32_t offset,
    char *buf, size_t size);

#endif
