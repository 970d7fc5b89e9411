/* fuzz-libs: -lmnl -lsodium */
/*
 * fuzz_xfrm: everything the xfrm module reads from the kernel: dump and
 * reply messages through every parser, datagrams through both monitors'
 * dispatch, NACKs against requests we built.  The first input byte picks
 * the path; the rest is netlink.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_xfrm.c -lmnl -lsodium
 */
#include "daemon/event.c"
#include "daemon/log.c"
#include "xfrm/alg.c"
#include "xfrm/ip.c"
#include "xfrm/monitor.c"
#include "xfrm/msg_rt.c"
#include "xfrm/msg_xfrm.c"
#include "xfrm/nl.c"
#include "xfrm/nlerr.c"
#include "xfrm/nlmsg.c"
#include "xfrm/parse_rt.c"
#include "xfrm/parse_xfrm.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nop_link(const struct xfrm_link_event *ev, void *arg)
{
	(void)ev, (void)arg;
}

static void
nop_addr(const struct xfrm_addr_event *ev, void *arg)
{
	(void)ev, (void)arg;
}

static void
nop_expire(const struct xfrm_expire_event *ev, void *arg)
{
	(void)ev, (void)arg;
}

static void
nop_acquire(const struct xfrm_acquire_event *ev, void *arg)
{
	(void)ev, (void)arg;
}

static const struct xfrm_monitor_cbs nop_cbs = {
    NULL, NULL, nop_link, nop_addr, nop_expire, nop_acquire, NULL};

/* Each message, copied to a buffer of its own size, through each parser. */
static void
fuzz_parsers(const uint8_t *buf, size_t size)
{
	static const uint16_t types[] = {XFRM_MSG_NEWSA, XFRM_MSG_EXPIRE,
	    XFRM_MSG_ACQUIRE, XFRM_MSG_NEWPOLICY, RTM_NEWLINK, RTM_NEWADDR,
	    RTM_NEWROUTE, RTM_NEWRULE};
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t len = size;
	size_t i;

	for (; xfrm_nlmsg_ok(nlh, len); nlh = xfrm_nlmsg_next(nlh, &len)) {
		struct nlmsghdr *m = malloc(nlh->nlmsg_len);
		union {
			struct xfrm_sa_status sa;
			struct xfrm_expire_event ex;
			struct xfrm_acquire_event aq;
			struct xfrm_policy_status pol;
			struct xfrm_link_event link;
			struct xfrm_addr_event addr;
			struct xfrm_route_status route;
			struct xfrm_rule_status rule;
		} u;

		if (m == NULL)
			return;
		memcpy(m, nlh, nlh->nlmsg_len);
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			m->nlmsg_type = types[i];
			xfrm_parse_sa(m, &u.sa);
			xfrm_parse_expire(m, &u.ex);
			xfrm_parse_acquire(m, &u.aq);
			xfrm_parse_policy(m, &u.pol);
			xfrm_parse_link(m, &u.link);
			xfrm_parse_addr(m, &u.addr);
			xfrm_parse_route(m, &u.route);
			xfrm_parse_rule(m, &u.rule);
		}
		free(m);
	}
}

/* NACKs of an SA add and of an interface creation we built ourselves. */
static void
fuzz_nlerr(const uint8_t *buf, size_t size)
{
	static const uint8_t key[20];
	static uint8_t sreq[XFRM_MSG_SIZE], lreq[256];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	struct xfrm_sa sa = {0};
	struct nlmsghdr *r1, *r2;
	struct xfrm_nlerr err;
	char name[96];
	size_t len = size;

	xfrm_ip_parse("192.0.2.1", &sa.src);
	xfrm_ip_parse("192.0.2.2", &sa.dst);
	sa.spi = 0x1000;
	sa.reqid = XFRM_REQID_MIN;
	sa.if_id = XFRM_IFID_MIN;
	sa.enc = XFRM_ENC_AES_GCM_16;
	sa.enc_bits = 128;
	sa.enc_key = key;
	sa.enc_key_len = sizeof(key);
	sa.replay_window = 32;
	r1 = xfrm_msg_sa(sreq, sizeof(sreq), &sa, 0);
	r2 = xfrm_msg_link_add(
	    lreq, sizeof(lreq), "Tunnel1.0", XFRM_IFID_MIN, 3, 1400);
	for (; xfrm_nlmsg_ok(nlh, len); nlh = xfrm_nlmsg_next(nlh, &len)) {
		struct nlmsghdr *m = malloc(nlh->nlmsg_len);

		if (m == NULL)
			return;
		memcpy(m, nlh, nlh->nlmsg_len);
		m->nlmsg_type = NLMSG_ERROR;
		xfrm_parse_nlerr(m, NETLINK_XFRM, r1, &err);
		xfrm_parse_nlerr(m, NETLINK_ROUTE, r2, &err);
		xfrm_parse_nlerr(m, NETLINK_ROUTE, NULL, &err);
		if (m->nlmsg_len >= 20) {
			uint32_t off;

			memcpy(&off, (uint8_t *)m + 16, 4);
			xfrm_attr_at(
			    NETLINK_XFRM, r1, off % 600, name, sizeof(name));
			xfrm_attr_at(
			    NETLINK_ROUTE, r2, off % 100, name, sizeof(name));
		}
		free(m);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	if ((buf = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(buf, data + 1, size - 1);
	log_init("fuzz_xfrm", 0, 0); /* syslog: no stderr flood */
	switch (sel & 3) {
	case 0:
		fuzz_parsers(buf, size - 1);
		break;
	case 1:
		/* the monitor closed (no sockets): dumps never start */
		memset(&mon, 0, sizeof(mon));
		mon.l[0].cbs = &nop_cbs;
		mon.rt.portid = 1;
		mon.dump_seq = 1;
		mon.sync = (sel & 4) ? SYNC_ADDRS : SYNC_IDLE;
		xfrm_mon_rt_input(buf, size - 1);
		free(mon.names);
		memset(&mon, 0, sizeof(mon));
		break;
	case 2:
		memset(&mon, 0, sizeof(mon));
		mon.l[0].cbs = &nop_cbs;
		xfrm_mon_x_input(buf, size - 1);
		memset(&mon, 0, sizeof(mon));
		break;
	case 3:
		fuzz_nlerr(buf, size - 1);
		break;
	}
	free(buf);
	return 0;
}
