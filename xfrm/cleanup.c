/*
 * cleanup.c: remove what an earlier (crashed) run left in the kernel, and
 * everything at shutdown: SAs and policies in tsunagi's reqid/if_id ranges,
 * rules and routes with its protocol, XFRM interfaces with its if_ids.
 * Each table is dumped, filtered, and then deleted entry by entry: never
 * flushed, so nobody else's state goes with ours.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "xfrm/codec.h"
#include "xfrm/nl.h"

/* A growable array of fixed-size entries collected during a dump. */
struct xfrm_vec {
	void *v;
	size_t n, cap, size;
};

static void *
xfrm_vec_add(struct xfrm_vec *vec)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 16;
		void *v = realloc(vec->v, cap * vec->size);

		if (v == NULL)
			return NULL;
		vec->v = v;
		vec->cap = cap;
	}
	return (uint8_t *)vec->v + vec->size * vec->n++;
}

static void
xfrm_vec_free(struct xfrm_vec *vec)
{
	free(vec->v);
	memset(vec, 0, sizeof(*vec));
}

/* A dump, retried when a concurrent change interrupted it. */
static int
xfrm_dump(struct xfrm_nl *nl, struct nlmsghdr *(*build)(void *, size_t),
    const char *what, xfrm_nl_cb *cb, struct xfrm_vec *vec)
{
	int tries;

	for (tries = 0; tries < 3; tries++) {
		vec->n = 0;
		if (xfrm_nl_talk(nl, build(xfrm_ctx.buf, sizeof(xfrm_ctx.buf)),
		        what, cb, vec) == 0)
			return 0;
		if (errno != EINTR)
			break;
	}
	log_warnx("%s", xfrm_last_error());
	return -1;
}

/* --- policies --------------------------------------------------------------
 */

struct xfrm_pol_ref {
	enum xfrm_dir dir;
	uint32_t index, if_id;
};

static int
xfrm_pol_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_policy_status ps;
	struct xfrm_pol_ref *ref;

	if (xfrm_parse_policy(nlh, &ps) == -1)
		return errno == EOPNOTSUPP ? 0 : -1;
	if (!xfrm_ifid_ours(ps.pol.if_id) && !ps.reqid_ours)
		return 0;
	if ((ref = xfrm_vec_add(arg)) == NULL)
		return -1;
	*ref = (struct xfrm_pol_ref){ps.pol.dir, ps.index, ps.pol.if_id};
	return 0;
}

static struct nlmsghdr *
xfrm_pol_dump(void *buf, size_t size)
{
	return xfrm_msg_dump(buf, size, XFRM_MSG_GETPOLICY);
}

static int
xfrm_cleanup_policies(unsigned *count)
{
	struct xfrm_vec vec = {.size = sizeof(struct xfrm_pol_ref)};
	struct xfrm_pol_ref *r;
	size_t i;
	int rc = 0;

	if (xfrm_dump(&xfrm_ctx.x, xfrm_pol_dump, "xfrm: list policies",
	        xfrm_pol_cb, &vec) == -1) {
		xfrm_vec_free(&vec);
		return -1;
	}
	for (i = 0, r = vec.v; i < vec.n; i++, r++) {
		struct nlmsghdr *nlh = xfrm_msg_policy_del_index(xfrm_ctx.buf,
		    sizeof(xfrm_ctx.buf), r->dir, r->index, r->if_id);

		if (nlh != NULL &&
		    xfrm_nl_talk(&xfrm_ctx.x, nlh,
		        "xfrm: delete leftover policy", NULL, NULL) == 0)
			(*count)++;
		else if (errno != ENOENT) {
			log_warnx("%s", xfrm_last_error());
			rc = -1;
		}
	}
	xfrm_vec_free(&vec);
	return rc;
}

/* --- SAs -------------------------------------------------------------------
 */

struct xfrm_sa_ref {
	struct xfrm_ip src, dst;
	uint32_t spi, reqid, if_id;
};

static int
xfrm_sa_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_sa_status st;
	struct xfrm_sa_ref *ref;

	if (xfrm_parse_sa(nlh, &st) == -1)
		return -1;
	if (st.proto != IPPROTO_ESP ||
	    (!xfrm_reqid_ours(st.reqid) && !xfrm_ifid_ours(st.if_id)))
		return 0;
	if ((ref = xfrm_vec_add(arg)) == NULL)
		return -1;
	*ref = (struct xfrm_sa_ref){st.src, st.dst, st.spi, st.reqid, st.if_id};
	return 0;
}

static struct nlmsghdr *
xfrm_sa_dump(void *buf, size_t size)
{
	return xfrm_msg_dump(buf, size, XFRM_MSG_GETSA);
}

static int
xfrm_spi_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_sa_status st;

	if (xfrm_parse_sa(nlh, &st) == -1)
		return -1;
	*(uint32_t *)arg = st.spi;
	return 0;
}

/*
 * The larval state an ACQUIRE leaves has no SPI, so no DELSA can name it.
 * ALLOCSPI with its addresses, reqid and if_id finds that very state and
 * gives it one; then it can go like any other.
 */
static int
xfrm_sa_name_larval(struct xfrm_sa_ref *r)
{
	struct nlmsghdr *nlh;

	if (!xfrm_ifid_ours(r->if_id) || !xfrm_reqid_ours(r->reqid))
		return -1; /* expires by itself (xfrm_acq_expires) */
	nlh = xfrm_msg_allocspi(xfrm_ctx.buf, sizeof(xfrm_ctx.buf), &r->src,
	    &r->dst, r->reqid, r->if_id, XFRM_SPI_MIN, XFRM_SPI_MAX);
	if (nlh == NULL ||
	    xfrm_nl_talk(&xfrm_ctx.x, nlh, "xfrm: name a larval SA",
	        xfrm_spi_cb, &r->spi) == -1 ||
	    r->spi == 0)
		return -1;
	return 0;
}

static int
xfrm_cleanup_sas(unsigned *count)
{
	struct xfrm_vec vec = {.size = sizeof(struct xfrm_sa_ref)};
	struct xfrm_sa_ref *r;
	size_t i;
	int rc = 0;

	if (xfrm_dump(&xfrm_ctx.x, xfrm_sa_dump, "xfrm: list SAs", xfrm_sa_cb,
	        &vec) == -1) {
		xfrm_vec_free(&vec);
		return -1;
	}
	for (i = 0, r = vec.v; i < vec.n; i++, r++) {
		struct nlmsghdr *nlh;

		if (r->spi == 0 && xfrm_sa_name_larval(r) == -1)
			continue;
		nlh = xfrm_msg_sa_id(xfrm_ctx.buf, sizeof(xfrm_ctx.buf),
		    XFRM_MSG_DELSA, &r->dst, r->spi);

		if (nlh != NULL &&
		    xfrm_nl_talk(&xfrm_ctx.x, nlh, "xfrm: delete leftover SA",
		        NULL, NULL) == 0)
			(*count)++;
		else if (errno != ESRCH) {
			log_warnx("%s", xfrm_last_error());
			rc = -1;
		}
	}
	xfrm_vec_free(&vec);
	return rc;
}

/* --- rules -----------------------------------------------------------------
 */

static int
xfrm_cleanup_rules(int family, unsigned *count)
{
	static struct xfrm_rule_status r[128];
	size_t i, n;
	int more, rc = 0, rounds = 0;

	do {
		if (xfrm_rule_list(family, r, 128, &n, &more) == -1) {
			log_warnx("%s", xfrm_last_error());
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (xfrm_rule_delete(&r[i].rule) == 0)
				(*count)++;
			else
				rc = -1;
		}
	} while (more && n > 0 && rc == 0 && ++rounds < 64);
	return rc;
}

/* --- links -----------------------------------------------------------------
 */

static int
xfrm_link_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_link_event ev;
	int *ref;

	if (xfrm_parse_link(nlh, &ev) == -1)
		return -1;
	if (strcmp(ev.kind, "xfrm") != 0 || !xfrm_ifid_ours(ev.xfrm_if_id))
		return 0;
	if ((ref = xfrm_vec_add(arg)) == NULL)
		return -1;
	*ref = ev.ifindex;
	return 0;
}

static struct nlmsghdr *
xfrm_link_dump(void *buf, size_t size)
{
	return xfrm_msg_rt_dump(buf, size, RTM_GETLINK, AF_UNSPEC, 0);
}

static int
xfrm_cleanup_links(unsigned *count)
{
	struct xfrm_vec vec = {.size = sizeof(int)};
	size_t i;
	int rc = 0;

	if (xfrm_dump(&xfrm_ctx.rt, xfrm_link_dump, "xfrm: list interfaces",
	        xfrm_link_cb, &vec) == -1) {
		xfrm_vec_free(&vec);
		return -1;
	}
	for (i = 0; i < vec.n; i++) {
		struct nlmsghdr *nlh = xfrm_msg_link_simple(xfrm_ctx.buf,
		    sizeof(xfrm_ctx.buf), RTM_DELLINK, ((int *)vec.v)[i]);

		if (nlh != NULL &&
		    xfrm_nl_talk(&xfrm_ctx.rt, nlh,
		        "xfrm: delete leftover interface", NULL, NULL) == 0)
			(*count)++;
		else if (errno != ENODEV) {
			log_warnx("%s", xfrm_last_error());
			rc = -1;
		}
	}
	xfrm_vec_free(&vec);
	return rc;
}

int
xfrm_cleanup(struct xfrm_cleanup_counts *counts)
{
	struct xfrm_cleanup_counts c = {0};
	int rc = 0;

	if (xfrm_ready() == -1) {
		log_warnx("%s", xfrm_last_error());
		return -1;
	}
	/* Policies first: no new ACQUIREs for SAs about to go. */
	if (xfrm_cleanup_policies(&c.policy) == -1)
		rc = -1;
	if (xfrm_cleanup_sas(&c.sa) == -1)
		rc = -1;
	if (xfrm_cleanup_rules(AF_INET, &c.rule) == -1 ||
	    xfrm_cleanup_rules(AF_INET6, &c.rule) == -1)
		rc = -1;
	if (xfrm_route_flush_count(AF_UNSPEC, 0, &c.route) == -1)
		rc = -1;
	if (xfrm_cleanup_links(&c.link) == -1)
		rc = -1;
	if (c.sa + c.policy + c.route + c.rule + c.link > 0)
		log_info("xfrm: removed %u SAs, %u policies, %u routes, "
		         "%u rules, %u interfaces of tsunagi's",
		    c.sa, c.policy, c.route, c.rule, c.link);
	if (counts != NULL)
		*counts = c;
	return rc;
}
