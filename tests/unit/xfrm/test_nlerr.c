/*
 * test_nlerr: netlink ACKs and NACKs as the kernel sends them (capped or
 * not, with extended-ack TLVs or without), turned into words, and the
 * offset of a bad attribute turned into its name in our request.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"
#include "xfrm/codec.h"

static uint8_t req[XFRM_MSG_SIZE];

static struct nlmsghdr *
copy(const struct exp *e)
{
	struct nlmsghdr *nlh = malloc(e->n);

	memcpy(nlh, e->b, e->n);
	return nlh;
}

static const struct nlmsghdr *
sa_request(void)
{
	static const uint8_t key[20];
	struct xfrm_sa sa = {0};

	xfrm_ip_parse("192.0.2.1", &sa.src);
	xfrm_ip_parse("192.0.2.2", &sa.dst);
	sa.spi = 0x1000;
	sa.reqid = XFRM_REQID_MIN;
	sa.if_id = XFRM_IFID_MIN;
	sa.enc = XFRM_ENC_AES_GCM_16;
	sa.enc_bits = 128;
	sa.enc_key = key;
	sa.enc_key_len = 20;
	return xfrm_msg_sa(req, sizeof(req), &sa, 0);
}

/* NLMSG_ERROR header + struct nlmsgerr with the request's header. */
static void
e_err(struct exp *e, int error, uint16_t flags, const struct nlmsghdr *r)
{
	e_nlh(e, 0, 2 /* NLMSG_ERROR */, flags);
	e_u32(e, (uint32_t)error);
	e_mem(e, r, 16);
}

static void
test_ack(void)
{
	struct exp e = {.n = 0};
	struct xfrm_nlerr err;
	struct nlmsghdr *nlh;

	e_err(&e, 0, 0x100 /* CAPPED */, sa_request());
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, sa_request(), &err) == 0 &&
	        err.error == 0,
	    "an ACK is error 0");
	free(nlh);
}

static void
test_nack_capped(void)
{
	const struct nlmsghdr *r = sa_request();
	struct exp e = {.n = 0};
	struct xfrm_nlerr err;
	struct nlmsghdr *nlh;

	e_err(&e, -38 /* ENOSYS */, 0x300 /* CAPPED|ACK_TLVS */, r);
	e_attr(&e, 4 + 35, 1 /* NLMSGERR_ATTR_MSG */);
	e_mem(&e, "Requested AEAD algorithm not found", 35);
	e_pad(&e);
	e_attr(&e, 8, 2 /* NLMSGERR_ATTR_OFFS */);
	e_u32(&e, 16 + 224); /* the XFRMA_ALG_AEAD attribute */
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == 0, "capped NACK");
	is_int(err.error, ENOSYS, "errno");
	is_str(err.msg, "Requested AEAD algorithm not found", "kernel's text");
	is_str(err.attr, "XFRMA_ALG_AEAD", "attribute named from the offset");
	free(nlh);

	/* an offset in the payload of the attribute names it too */
	memcpy(e.b + e.n - 4, &(uint32_t){16 + 224 + 70}, 4);
	nlh = copy(&e);
	xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err);
	is_str(err.attr, "XFRMA_ALG_AEAD", "offset inside the payload");
	free(nlh);

	memcpy(e.b + e.n - 4, &(uint32_t){16 + 3}, 4);
	nlh = copy(&e);
	xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err);
	is_str(err.attr, "byte 3 of the fixed header", "offset in the header");
	free(nlh);

	memcpy(e.b + e.n - 4, &(uint32_t){100000}, 4);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == 0 &&
	        err.attr[0] == '\0' && err.error == ENOSYS,
	    "an offset beyond the request names nothing");
	free(nlh);
}

/* Not capped: the whole request comes back before the TLVs. */
static void
test_nack_full(void)
{
	static uint8_t lreq[256];
	const struct nlmsghdr *r = xfrm_msg_link_add(
	    lreq, sizeof(lreq), "Tunnel1.0", 0x74730002, 3, 0);
	struct exp e = {.n = 0};
	struct xfrm_nlerr err;
	struct nlmsghdr *nlh;

	e_nlh(&e, 0, 2, 0x200 /* ACK_TLVS */);
	e_u32(&e, (uint32_t)-22);
	e_mem(&e, r, r->nlmsg_len);
	e_attr(&e, 4 + 23, 1);
	e_mem(&e, "if_id must be non zero", 23);
	e_pad(&e);
	e_attr(&e, 8, 2);
	/* IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_XFRM_IF_ID: the last 8 bytes */
	e_u32(&e, r->nlmsg_len - 8);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_ROUTE, r, &err) == 0, "full NACK");
	is_int(err.error, EINVAL, "errno");
	is_str(
	    err.msg, "if_id must be non zero", "text after the echoed request");
	is_str(err.attr, "IFLA_LINKINFO/IFLA_INFO_DATA/IFLA_XFRM_IF_ID",
	    "a nested attribute named as a path");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 2, 0x300);
	e_u32(&e, (uint32_t)-22);
	e_mem(&e, r, 16);
	e_attr(&e, 8, 5 /* NLMSGERR_ATTR_MISS_TYPE */);
	e_u32(&e, 3);
	e_fix_len(&e);
	nlh = copy(&e);
	xfrm_parse_nlerr(nlh, NETLINK_ROUTE, r, &err);
	is_str(err.attr, "missing IFLA_IFNAME", "a missing attribute named");
	free(nlh);
}

static void
test_broken(void)
{
	const struct nlmsghdr *r = sa_request();
	struct exp e = {.n = 0};
	struct xfrm_nlerr err;
	struct nlmsghdr *nlh;

	e_err(&e, 5, 0x100, r);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == -1,
	    "a positive error is malformed");
	free(nlh);

	e.n = 0;
	e_nlh(&e, 0, 2, 0);
	e_u32(&e, (uint32_t)-1);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == -1,
	    "a truncated nlmsgerr is malformed");
	free(nlh);

	/* TLVs claimed but broken: the errno survives */
	e.n = 0;
	e_err(&e, -17, 0x300, r);
	e_attr(&e, 40, 1);
	e_mem(&e, "abc", 4);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == 0 &&
	        err.error == EEXIST && err.msg[0] == '\0',
	    "a broken TLV loses the text, keeps EEXIST");
	free(nlh);

	/* not capped, with an echoed length pointing far away */
	e.n = 0;
	e_nlh(&e, 0, 2, 0x200);
	e_u32(&e, (uint32_t)-1);
	e_u32(&e, 60000);
	e_zero(&e, 12);
	e_fix_len(&e);
	nlh = copy(&e);
	ok(xfrm_parse_nlerr(nlh, NETLINK_XFRM, r, &err) == 0 &&
	        err.error == EPERM,
	    "an echoed length beyond the message is ignored");
	free(nlh);
}

static void
test_names(void)
{
	is_str(xfrm_msg_name(NETLINK_XFRM, 0x16), "XFRM_MSG_ALLOCSPI",
	    "XFRM message name");
	is_str(xfrm_msg_name(NETLINK_ROUTE, 32), "RTM_NEWRULE",
	    "rtnetlink message name");
	ok(xfrm_msg_name(NETLINK_ROUTE, 100) == NULL, "unknown message");
	is_str(xfrm_attr_name(NETLINK_XFRM, 0x10, 31), "XFRMA_IF_ID",
	    "XFRM attribute name");
	is_str(xfrm_attr_name(NETLINK_ROUTE, 24, 15), "RTA_TABLE",
	    "route attribute name");
	is_str(xfrm_attr_name(NETLINK_ROUTE, 32, 21), "FRA_PROTOCOL",
	    "rule attribute name");
}

int
main(void)
{
	test_ack();
	test_nack_capped();
	test_nack_full();
	test_broken();
	test_names();
	return tap_done();
}
