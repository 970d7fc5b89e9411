/*
 * monitor.c: the addresses ddns publishes come from xfrm's interface
 * table; a change there makes the records of that interface look again.
 * This is the whole of ddns's dependency on the kernel's interfaces.
 */
#include <string.h>

#include "daemon/log.h"
#include "ddns/internal.h"
#include "xfrm/iftab.h"

static int listening;

static void
mon_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change change, void *arg)
{
	(void)a, (void)change, (void)arg;
	if (l != NULL)
		ddns_profiles_kick(l->name);
}

static const struct xfrm_iftab_cbs mon_cbs = {.addr = mon_addr};

int
ddns_monitor_start(void)
{
	if (!listening && xfrm_iftab_listen(&mon_cbs, NULL) == -1) {
		log_warnx("ddns: no address changes; addresses will be "
		          "published only at each refresh");
		return -1;
	}
	listening = 1;
	return 0;
}

void
ddns_monitor_stop(void)
{
	if (listening)
		xfrm_iftab_unlisten(&mon_cbs, NULL);
	listening = 0;
}

/* The interface's addresses of family af, as ddns_addr_select takes them. */
size_t
ddns_if_addrs(const char *ifname, int af, struct ddns_addr *out, size_t max)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_name(ifname);
	struct xfrm_iftab_addr v[32];
	size_t n, i;

	if (l == NULL)
		return 0;
	n = xfrm_iftab_addrs(l->ifindex, af, v, 32);
	if (n > 32)
		n = 32;
	for (i = 0; i < n && i < max; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].af = v[i].addr.family;
		memcpy(out[i].a, v[i].addr.raw, 16);
		out[i].plen = v[i].prefixlen;
		out[i].scope = v[i].scope;
		out[i].flags = v[i].flags;
		out[i].has_peer = v[i].peer.family != 0;
		out[i].valid_until = v[i].valid_until;
		out[i].preferred_until = v[i].preferred_until;
	}
	return i;
}
