/*
 * monitor.c: xfrm's netlink address/link monitor feeding the address table.
 * xfrm is the only module that speaks netlink; this is the whole of ddns's
 * dependency on it.
 */
#include "daemon/log.h"
#include "ddns/internal.h"
#include "xfrm/xfrm.h"

static int mon_id = -1;

static void
mon_sync_begin(void *arg)
{
	(void)arg;
	ddns_addrtab_sync_begin();
}

static void
mon_sync_end(void *arg)
{
	(void)arg;
	ddns_addrtab_sync_end();
}

static void
mon_link(const struct xfrm_link_event *ev, void *arg)
{
	(void)arg;
	ddns_addrtab_link(ev->ifindex, ev->ifname, ev->type == XFRM_EVENT_DEL);
}

static void
mon_addr(const struct xfrm_addr_event *ev, void *arg)
{
	(void)arg;
	ddns_addr_event(ev->ifindex, ev->ifname, ev->addr.family, ev->addr.raw,
	    ev->prefixlen, ev->scope, ev->flags, ev->valid_lft,
	    ev->preferred_lft, ev->peer.family != 0,
	    ev->type == XFRM_EVENT_NEW);
}

int
ddns_monitor_start(void)
{
	static const struct xfrm_monitor_cbs cbs = {
	    .sync_begin = mon_sync_begin,
	    .sync_end = mon_sync_end,
	    .link = mon_link,
	    .addr = mon_addr};

	if (mon_id == -1 && (mon_id = xfrm_monitor_add(&cbs, NULL)) == -1) {
		log_warnx("ddns: no address monitor; addresses will not be "
		          "published");
		return -1;
	}
	return 0;
}

void
ddns_monitor_stop(void)
{
	if (mon_id != -1)
		xfrm_monitor_del(mon_id);
	mon_id = -1;
	ddns_addrtab_clear();
}
