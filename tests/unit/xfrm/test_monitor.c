/*
 * test_monitor: the monitor's dispatch without sockets: datagrams of
 * canned events and dump answers go in, listener calls come out.  Checks
 * the event/dump split by portid and sequence, the interface-name cache,
 * the sync framing, and that only tsunagi's EXPIREs/ACQUIREs pass.
 * Includes monitor.c to reach its input functions.
 */
#include "xfrm/monitor.c"

#include "tests/unit/tap.h"
#include "tests/unit/xfrm/bytes.h"

static struct {
	int begin, end, links, addrs, expires, acquires;
	char last_ifname[XFRM_IFNAMSIZ];
	uint32_t last_spi;
} got;

static void
cb_begin(void *arg)
{
	got.begin++;
}

static void
cb_end(void *arg)
{
	got.end++;
}

static void
cb_link(const struct xfrm_link_event *ev, void *arg)
{
	got.links++;
}

static void
cb_addr(const struct xfrm_addr_event *ev, void *arg)
{
	got.addrs++;
	memcpy(got.last_ifname, ev->ifname, sizeof(got.last_ifname));
}

static void
cb_expire(const struct xfrm_expire_event *ev, void *arg)
{
	got.expires++;
	got.last_spi = ev->spi;
}

static void
cb_acquire(const struct xfrm_acquire_event *ev, void *arg)
{
	got.acquires++;
}

static const struct xfrm_monitor_cbs cbs = {
    cb_begin, cb_end, cb_link, cb_addr, cb_expire, cb_acquire, NULL};

/* A message header with explicit seq and portid. */
static size_t
e_hdr(struct exp *e, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	size_t at = e->n;

	e_u32(e, 0);
	e_u16(e, type);
	e_u16(e, flags);
	e_u32(e, seq);
	e_u32(e, pid);
	return at;
}

static void
e_end(struct exp *e, size_t at)
{
	uint32_t len = (uint32_t)(e->n - at);

	memcpy(e->b + at, &len, 4);
}

static void
e_link(
    struct exp *e, uint16_t type, uint8_t family, int index, const char *name)
{
	size_t at = e_hdr(e, type, 0, 0, 0);

	e_u8(e, family);
	e_u8(e, 0);
	e_u16(e, 512);
	e_u32(e, (uint32_t)index);
	e_u32(e, 0x11);
	e_u32(e, 0);
	e_attr(e, (uint16_t)(4 + strlen(name) + 1), 3);
	e_mem(e, name, strlen(name) + 1);
	e_pad(e);
	e_end(e, at);
}

static void
e_addr6(struct exp *e, uint16_t type, int index, uint32_t seq, uint32_t pid)
{
	size_t at = e_hdr(e, type, 0, seq, pid);

	e_u8(e, 10);
	e_u8(e, 128);
	e_u8(e, 0);
	e_u8(e, 0);
	e_u32(e, (uint32_t)index);
	e_attr(e, 20, 1);
	e_mem(e, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	e_end(e, at);
}

static void
test_events(void)
{
	struct exp e = {.n = 0};

	mon.rt.portid = 4242;
	mon.l[0].cbs = &cbs;
	e_link(&e, 16, 0, 9, "ppp0");
	e_link(&e, 16, 7 /* AF_BRIDGE */, 9, "bridged");
	/* someone's "ip addr add": their portid and seq */
	e_addr6(&e, 20, 9, 5, 777);
	xfrm_mon_rt_input(e.b, e.n);
	is_int(got.links, 1, "one link event (the bridge one is skipped)");
	is_int(got.addrs, 1, "an event caused by another process is an event");
	is_str(
	    got.last_ifname, "ppp0", "IPv6 address named from the link cache");

	e.n = 0;
	e_addr6(&e, 20, 9, 98, 4242); /* a stale answer to an old dump */
	xfrm_mon_rt_input(e.b, e.n);
	is_int(got.addrs, 1, "an answer to no running dump is dropped");

	/* a broken message between two good ones */
	e.n = 0;
	e_addr6(&e, 20, 9, 0, 0);
	{
		size_t at = e_hdr(&e, 20, 0, 0, 0);

		e_u8(&e, 2);
		e_u8(&e, 32);
		e_u16(&e, 0);
		e_u32(&e, 9);
		e_attr(&e, 6, 2); /* a 2-byte IPv4 address */
		e_u16(&e, 0);
		e_pad(&e);
		e_end(&e, at);
	}
	e_addr6(&e, 21, 9, 0, 0);
	xfrm_mon_rt_input(e.b, e.n);
	is_int(got.addrs, 3, "a malformed message is skipped, not fatal");

	e.n = 0;
	e_link(&e, 17 /* RTM_DELLINK */, 0, 9, "ppp0");
	e_addr6(&e, 21, 9, 0, 0);
	xfrm_mon_rt_input(e.b, e.n);
	is_str(got.last_ifname, "", "a deleted link leaves the cache");
}

static void
test_dump(void)
{
	struct exp e = {.n = 0};
	size_t at;

	mon.sync = SYNC_ADDRS;
	mon.dump_seq = 99;
	e_addr6(&e, 20, 3, 99, 4242);
	at = e_hdr(&e, 20, 0x2 | 0x10 /* MULTI|DUMP_INTR */, 99, 4242);
	e_u8(&e, 10);
	e_u8(&e, 64);
	e_u16(&e, 0);
	e_u32(&e, 3);
	e_attr(&e, 20, 1);
	e_zero(&e, 16);
	e_end(&e, at);
	at = e_hdr(&e, 3 /* NLMSG_DONE */, 0x2, 99, 4242);
	e_u32(&e, 0);
	e_end(&e, at);
	got.addrs = 0;
	xfrm_mon_rt_input(e.b, e.n);
	is_int(got.addrs, 2, "dump entries reach the listener as events");
	is_int(got.end, 1, "DONE of the address dump ends the sync");
	is_int(mon.sync, SYNC_IDLE, "sync idle again");
	/* DUMP_INTR asked for another round; closed monitor: not started */
	is_int(got.begin, 0, "no new round while the monitor is closed");
	is_int(mon.resync_pending, 1, "DUMP_INTR queues another sync round");
}

static void
e_expire(struct exp *e, uint32_t spi, uint32_t reqid, uint32_t if_id)
{
	size_t at = e_hdr(e, 0x18, 0, 0, 0);

	e_zero(e, 56);
	e_a4_16(e, 192, 0, 2, 2);
	e_be32(e, spi);
	e_u8(e, 50);
	e_zero(e, 3);
	e_a4_16(e, 192, 0, 2, 1);
	e_zero(e, 64 + 32 + 12 + 4);
	e_u32(e, reqid);
	e_u16(e, 2);
	e_u8(e, 1);
	e_zero(e, 9);
	e_u8(e, 0); /* soft */
	e_zero(e, 7);
	if (if_id) {
		e_attr(e, 8, 31);
		e_u32(e, if_id);
	}
	e_end(e, at);
}

static void
test_xfrm(void)
{
	struct exp e = {.n = 0};

	e_expire(&e, 0x1001, 5, 0);          /* another daemon's */
	e_expire(&e, 0x1002, 0x74730001, 0); /* our reqid */
	e_expire(&e, 0x1003, 1, 0x74730009); /* our if_id */
	xfrm_mon_x_input(e.b, e.n);
	is_int(got.expires, 2, "only EXPIREs in tsunagi's ranges pass");
	is_int(got.last_spi, 0x1003, "in order");
	/* a truncated datagram: the last message cut short */
	xfrm_mon_x_input(e.b, e.n - 10);
	is_int(got.expires, 3, "a cut message is not read");
}

int
main(void)
{
	log_init("test_monitor", 1, 0);
	test_events();
	test_dump();
	test_xfrm();
	free(mon.names);
	return tap_done();
}
