/*
 * mss.c: what "ip tcp adjust-mss" asks for, and the nft script that makes
 * tsunagi's table say exactly that.  No I/O: mss_module.c runs it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/log.h"
#include "xfrm/iftab.h"
#include "xfrm/mss.h"

/* 0 when the tunnel asks for no clamping (or the MTU leaves no TCP). */
static int
mss_entry(const struct conf_tunnel *ct, struct xfrm_mss *e)
{
	unsigned mtu;

	if (!ct->mode_ikev2 || ct->shutdown || ct->adjust_mss == CONF_MSS_OFF)
		return 0;
	mtu = xfrm_iftab_tunnel_mtu(ct->mtu, ct->outgoing, conf_tunnel_af(ct));
	memset(e, 0, sizeof(*e));
	snprintf(e->ifname, sizeof(e->ifname), "%s", ct->name);
	e->mtu = mtu;
	if (ct->adjust_mss == CONF_MSS_AUTO) {
		if (mtu <= 60)
			return 0;
		e->mss4 = mtu - 40;
		e->mss6 = mtu - 60;
	} else {
		e->mss4 = (unsigned)ct->adjust_mss;
		e->mss6 = (unsigned)ct->adjust_mss - 20;
		if (mtu > 0 && e->mss4 > mtu - 40)
			log_warnx("%s: ip tcp adjust-mss %u is above what its "
			          "MTU (%u) leaves for TCP (%u): SYNs are "
			          "clamped to %u as written",
			    ct->name, e->mss4, mtu, mtu - 40, e->mss4);
	}
	return 1;
}

size_t
xfrm_mss_from_conf(const struct conf *conf, struct xfrm_mss *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < conf->ntunnels; i++) {
		if (n == max) {
			log_warnx("mss: more than %zu tunnels clamp their MSS: "
			          "%s and those after it are not clamped",
			    max, conf->tunnels[i].name);
			break;
		}
		n += (size_t)mss_entry(&conf->tunnels[i], &out[n]);
	}
	return n;
}

/* Interface names go inside quotes: only what a tunnel name can be. */
static int
mss_name_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		        (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		        *s == '-'))
			return 0;
	return 1;
}

struct mss_out {
	char *buf;
	size_t len, off;
	int full;
};

static void
mss_put(struct mss_out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->full)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= o->len - o->off)
		o->full = 1;
	else
		o->off += (size_t)w;
}

/*
 * Both directions: SYNs into the tunnel, and SYN-ACKs out of it, so that
 * a LAN host never sends segments the tunnel cannot carry whole, even
 * when the far end clamps nothing.  Only ever lowered ("> N" first).
 */
static void
mss_rules(struct mss_out *o, const struct xfrm_mss *e)
{
	static const char *const dir[] = {"oifname", "iifname"};
	size_t d;

	for (d = 0; d < 2; d++) {
		mss_put(o,
		    "\t\t%s \"%s\" meta nfproto ipv4 tcp flags syn "
		    "tcp option maxseg size > %u "
		    "tcp option maxseg size set %u\n",
		    dir[d], e->ifname, e->mss4, e->mss4);
		mss_put(o,
		    "\t\t%s \"%s\" meta nfproto ipv6 tcp flags syn "
		    "tcp option maxseg size > %u "
		    "tcp option maxseg size set %u\n",
		    dir[d], e->ifname, e->mss6, e->mss6);
	}
}

int
xfrm_mss_script(const struct xfrm_mss *v, size_t n, char *buf, size_t len)
{
	struct mss_out o = {buf, len, 0, 0};
	size_t i;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	/* "table" first: "delete" of a table that is not there would fail. */
	mss_put(&o, "table inet %s\ndelete table inet %s\n", XFRM_MSS_TABLE,
	    XFRM_MSS_TABLE);
	if (n > 0) {
		mss_put(&o,
		    "table inet %s {\n"
		    "\tchain mss {\n"
		    "\t\ttype filter hook forward priority mangle; "
		    "policy accept;\n",
		    XFRM_MSS_TABLE);
		for (i = 0; i < n; i++) {
			if (!mss_name_ok(v[i].ifname) || v[i].mss4 == 0 ||
			    v[i].mss6 == 0)
				return -1;
			mss_rules(&o, &v[i]);
		}
		mss_put(&o, "\t}\n}\n");
	}
	return o.full ? -1 : (int)o.off;
}
