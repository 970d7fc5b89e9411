/*
 * show_if.c: "show interface [NAME]", as on IX: every interface the
 * configuration names (its tunnels, then the Linux interfaces in the order
 * the file names them) with the kernel's view of each, read from the one
 * interface table, and its counters read from the kernel at the request.
 */
#include <linux/if.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/ctl.h"
#include "daemon/tsunagid.h"
#include "ike/ike.h"
#include "xfrm/iftab.h"

/* IF_OPER_* (RFC 2863) as "ip link" prints them. */
static const char *
oper_str(uint8_t st)
{
	static const char *const names[] = {"unknown", "notpresent", "down",
	    "lowerlayerdown", "testing", "dormant", "up"};

	return st < sizeof(names) / sizeof(names[0]) ? names[st] : "unknown";
}

/* "addr/len addr/len ...", in the kernel's order; "-" when none. */
static void
rec_addrs(struct ctl_conn *c, int ifindex)
{
	struct xfrm_iftab_addr a[16];
	char out[16 * 52] = "", ip[64];
	size_t n = xfrm_iftab_addrs(ifindex, 0, a, 16), i, len;

	for (i = 0; i < n && i < 16; i++) {
		len = strlen(out);
		snprintf(out + len, sizeof(out) - len, "%s%s/%u", i ? " " : "",
		    xfrm_ip_fmt(&a[i].addr, ip, sizeof(ip)), a[i].prefixlen);
	}
	ctl_rec_str(c, "addresses", out[0] ? out : "-");
}

static void
rec_stats(struct ctl_conn *c, int ifindex)
{
	struct xfrm_link_stats st;

	if (xfrm_link_stats(ifindex, &st) == -1)
		return; /* gone since the table saw it: the record says enough
		         */
	ctl_rec_uint(c, "rx-bytes", st.rx_bytes);
	ctl_rec_uint(c, "rx-packets", st.rx_packets);
	ctl_rec_uint(c, "rx-errors", st.rx_errors);
	ctl_rec_uint(c, "rx-dropped", st.rx_dropped);
	ctl_rec_uint(c, "tx-bytes", st.tx_bytes);
	ctl_rec_uint(c, "tx-packets", st.tx_packets);
	ctl_rec_uint(c, "tx-errors", st.tx_errors);
	ctl_rec_uint(c, "tx-dropped", st.tx_dropped);
}

/* The kernel's part of a record; "kernel" says whether it has the link. */
static void
rec_kernel(struct ctl_conn *c, const char *name)
{
	const struct xfrm_iftab_link *l = xfrm_iftab_link_by_name(name);
	int ifindex;

	if (l == NULL) {
		ctl_rec_str(c, "kernel", "missing");
		return;
	}
	ifindex = l->ifindex;
	ctl_rec_str(c, "kernel", "present");
	ctl_rec_int(c, "ifindex", ifindex);
	ctl_rec_str(c, "kind", l->kind[0] ? l->kind : "-");
	ctl_rec_str(c, "admin", l->flags & IFF_UP ? "up" : "down");
	ctl_rec_str(c, "carrier", l->flags & IFF_LOWER_UP ? "up" : "down");
	ctl_rec_str(c, "oper", oper_str(l->operstate));
	ctl_rec_uint(c, "mtu", l->mtu);
	rec_addrs(c, ifindex);
	rec_stats(c, ifindex); /* last: it asks the kernel, l may move */
}

static void
show_tunnel(struct ctl_conn *c, const struct conf_tunnel *t)
{
	ctl_rec_begin(c, "interface");
	ctl_rec_str(c, "name", t->name);
	ctl_rec_str(c, "role", "tunnel");
	ctl_rec_str(c, "description", t->description ? t->description : "");
	ctl_rec_str(c, "sa", ike_tunnel_is_up(t->name) ? "up" : "down");
	ctl_rec_str(c, "uplink", t->outgoing[0] ? t->outgoing : "-");
	rec_kernel(c, t->name);
	ctl_rec_end(c);
}

static void
show_link(struct ctl_conn *c, const struct conf *conf, const char *name,
    const char *role)
{
	const struct conf_linkif *li =
	    conf ? conf_linkif_find(conf, name) : NULL;

	ctl_rec_begin(c, "interface");
	ctl_rec_str(c, "name", name);
	ctl_rec_str(c, "role", role);
	ctl_rec_str(
	    c, "description", li && li->description ? li->description : "");
	rec_kernel(c, name);
	ctl_rec_end(c);
}

/*
 * "uplink" when a tunnel goes out of it, else the command of the file
 * that names it first ("interface", "ip unnumbered", "network" ...);
 * NULL when the file does not name it.
 */
static const char *
link_role(const struct conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->ntunnels; i++)
		if (strcmp(conf->tunnels[i].outgoing, name) == 0)
			return "uplink";
	for (i = 0; i < conf->noslinks; i++)
		if (strcmp(conf->oslinks[i].name, name) == 0)
			return conf->oslinks[i].what;
	return NULL;
}

static int
show_interface(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct conf *conf = tsunagid.conf;
	const char *name = argc > 0 ? argv[0] : NULL;
	const struct conf_tunnel *t;
	size_t i;

	(void)arg;
	if (name != NULL) {
		const char *role = link_role(conf, name);

		if ((t = conf_tunnel_find(conf, name)) != NULL)
			show_tunnel(c, t);
		else if (role != NULL || xfrm_iftab_link_by_name(name) != NULL)
			show_link(c, conf, name,
			    role ? role : "not in the configuration");
		else
			return ctl_fail(c,
			    "no interface %s: neither the "
			    "configuration nor the kernel has it",
			    name);
		return 0;
	}
	for (i = 0; i < conf->ntunnels; i++)
		show_tunnel(c, &conf->tunnels[i]);
	for (i = 0; i < conf->noslinks; i++)
		show_link(c, conf, conf->oslinks[i].name,
		    link_role(conf, conf->oslinks[i].name));
	return 0;
}

int
show_if_register(void)
{
	return ctl_register("show interface", 1,
	    "the configuration's interfaces as the kernel has them [NAME]",
	    show_interface, NULL);
}
