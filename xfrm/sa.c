/*
 * sa.c: ESP SAs, SPI allocation and policies (NETLINK_XFRM).  Requests
 * that carry keys are built in a locked buffer that is wiped as soon as
 * the kernel has answered; keys never reach a log line.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

static const char *
xfrm_sa_what(char *buf, size_t size, const char *op, const struct xfrm_ip *dst,
    uint32_t spi)
{
	char a[64];

	snprintf(buf, size, "xfrm: %s SA spi 0x%08x dst %s", op, spi,
	    xfrm_ip_fmt(dst, a, sizeof(a)));
	return buf;
}

static const char *
xfrm_pol_what(
    char *buf, size_t size, const char *op, const struct xfrm_policy *pol)
{
	static const char *const dirs[] = {"in", "out", "fwd"};
	char s[64], d[64];

	snprintf(buf, size, "xfrm: %s policy %s %s/%u -> %s/%u if_id 0x%x", op,
	    (unsigned)pol->dir < 3 ? dirs[pol->dir] : "?",
	    xfrm_ip_fmt(&pol->sel_src.ip, s, sizeof(s)), pol->sel_src.len,
	    xfrm_ip_fmt(&pol->sel_dst.ip, d, sizeof(d)), pol->sel_dst.len,
	    pol->if_id);
	return buf;
}

/* Refuses a request before building it, and says why. */
static int
xfrm_refuse(const char *what, const char *why)
{
	xfrm_set_error("%s: %s", what, why);
	log_warnx("%s", xfrm_last_error());
	errno = EINVAL;
	return -1;
}

static int
xfrm_fail(void)
{
	int saved = errno;

	log_warnx("%s", xfrm_last_error());
	errno = saved;
	return -1;
}

struct xfrm_sa_reply {
	struct xfrm_sa_status *st;
	int got;
};

static int
xfrm_sa_reply_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_sa_reply *r = arg;

	if (xfrm_parse_sa(nlh, r->st) == -1)
		return -1;
	r->got = 1;
	return 0;
}

int
xfrm_spi_alloc(const struct xfrm_ip *src, const struct xfrm_ip *dst,
    uint32_t reqid, uint32_t if_id, uint32_t *spi)
{
	struct xfrm_sa_status st;
	struct xfrm_sa_reply r = {&st, 0};
	struct nlmsghdr *nlh;
	char what[160];

	snprintf(what, sizeof(what), "xfrm: allocate SPI reqid 0x%x", reqid);
	if (xfrm_ready() == -1)
		return xfrm_fail();
	nlh = xfrm_msg_allocspi(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), src, dst,
	    reqid, if_id, XFRM_SPI_MIN, XFRM_SPI_MAX);
	if (nlh == NULL)
		return xfrm_refuse(what, "bad addresses, reqid or if_id");
	if (xfrm_nl_talk(&xfrm_ctx.x, nlh, what, xfrm_sa_reply_cb, &r) == -1)
		return xfrm_fail();
	if (!r.got || st.spi == 0) {
		xfrm_set_error("%s: the kernel sent no SPI", what);
		errno = EPROTO;
		return xfrm_fail();
	}
	*spi = st.spi;
	return 0;
}

static int
xfrm_sa_install(const struct xfrm_sa *sa, int update)
{
	const char *why;
	struct nlmsghdr *nlh;
	char what[160];
	int rc;

	xfrm_sa_what(
	    what, sizeof(what), update ? "update" : "add", &sa->dst, sa->spi);
	if (xfrm_ready() == -1)
		return xfrm_fail();
	if ((why = xfrm_sa_invalid(sa)) != NULL)
		return xfrm_refuse(what, why);
	nlh = xfrm_msg_sa(xfrm_ctx.keybuf, XFRM_MSG_SIZE, sa, update);
	if (nlh == NULL)
		return xfrm_refuse(what, "message does not fit");
	rc = xfrm_nl_talk(&xfrm_ctx.x, nlh, what, NULL, NULL);
	sodium_memzero(xfrm_ctx.keybuf, XFRM_MSG_SIZE);
	return rc == -1 ? xfrm_fail() : 0;
}

int
xfrm_sa_add(const struct xfrm_sa *sa)
{
	return xfrm_sa_install(sa, 0);
}

/* Replaces an SA, or the larval state xfrm_spi_alloc() left. */
int
xfrm_sa_update(const struct xfrm_sa *sa)
{
	return xfrm_sa_install(sa, 1);
}

static int
xfrm_sa_get_as(const struct xfrm_ip *dst, uint32_t spi,
    struct xfrm_sa_status *st, const char *what)
{
	struct xfrm_sa_reply r = {st, 0};
	struct nlmsghdr *nlh;

	if (xfrm_ready() == -1)
		return -1;
	nlh = xfrm_msg_sa_id(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), XFRM_MSG_GETSA, dst, spi);
	if (nlh == NULL) {
		xfrm_set_error("%s: bad address", what);
		errno = EINVAL;
		return -1;
	}
	if (xfrm_nl_talk(&xfrm_ctx.x, nlh, what, xfrm_sa_reply_cb, &r) == -1)
		return -1;
	if (!r.got) {
		xfrm_set_error("%s: no answer", what);
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/* Counters, lifetimes and replay state of one SA (for status). */
int
xfrm_sa_get(const struct xfrm_ip *dst, uint32_t spi, struct xfrm_sa_status *st)
{
	char what[160];

	xfrm_sa_what(what, sizeof(what), "get", dst, spi);
	if (xfrm_sa_get_as(dst, spi, st, what) == -1)
		return xfrm_fail();
	return 0;
}

/* Deletes an SA only if it carries tsunagi's reqid or if_id. */
int
xfrm_sa_delete(const struct xfrm_ip *dst, uint32_t spi)
{
	struct xfrm_sa_status st;
	struct nlmsghdr *nlh;
	char what[160];

	xfrm_sa_what(what, sizeof(what), "delete", dst, spi);
	if (xfrm_sa_get_as(dst, spi, &st, what) == -1)
		return xfrm_fail();
	if (!xfrm_reqid_ours(st.reqid) && !xfrm_ifid_ours(st.if_id)) {
		xfrm_set_error("%s: reqid 0x%x if_id 0x%x: not tsunagi's", what,
		    st.reqid, st.if_id);
		errno = EPERM;
		return xfrm_fail();
	}
	nlh = xfrm_msg_sa_id(
	    xfrm_ctx.buf, sizeof(xfrm_ctx.buf), XFRM_MSG_DELSA, dst, spi);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.x, nlh, what, NULL, NULL) == -1)
		return xfrm_fail();
	return 0;
}

int
xfrm_policy_add(const struct xfrm_policy *pol)
{
	const char *why;
	struct nlmsghdr *nlh;
	char what[200];

	xfrm_pol_what(what, sizeof(what), "add", pol);
	if (xfrm_ready() == -1)
		return xfrm_fail();
	if ((why = xfrm_policy_invalid(pol)) != NULL)
		return xfrm_refuse(what, why);
	nlh = xfrm_msg_policy(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), pol);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.x, nlh, what, NULL, NULL) == -1)
		return xfrm_fail();
	return 0;
}

/* The kernel matches (selector, dir, if_id): an if_id of ours only. */
int
xfrm_policy_delete(const struct xfrm_policy *pol)
{
	const char *why;
	struct nlmsghdr *nlh;
	char what[200];

	xfrm_pol_what(what, sizeof(what), "delete", pol);
	if (xfrm_ready() == -1)
		return xfrm_fail();
	if ((why = xfrm_policy_invalid(pol)) != NULL)
		return xfrm_refuse(what, why);
	nlh = xfrm_msg_policy_del(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), pol);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.x, nlh, what, NULL, NULL) == -1)
		return xfrm_fail();
	return 0;
}
