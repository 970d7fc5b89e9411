/*
 * summary.c: the screen "tsunagid -n" ends with.  What tsunagi will run
 * (its tunnels, OSPF, static routes, watch-groups, DDNS), then what the
 * file leaves to the OS, grouped by what does it on Linux: after pasting
 * an IX config, the to-do list for the Linux side in one look.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define COL   14 /* where the text starts after a label */
#define WIDTH 78

/*
 * Writes pieces after a label, wrapping at WIDTH under the text's column
 * (indent); a piece is never split.
 */
struct wrap {
	FILE *fp;
	int col;
	int indent;
};

static void
wrap_start(struct wrap *w, FILE *fp, const char *label)
{
	w->fp = fp;
	w->indent = COL;
	w->col = fprintf(fp, "  %-*s", COL - 2, label);
	if (w->col > COL) {
		fprintf(fp, "\n%*s", COL, "");
		w->col = COL;
	}
}

static void
wrap_put(struct wrap *w, const char *piece)
{
	size_t n = strlen(piece);

	if (w->col > w->indent && w->col + 1 + (int)n > WIDTH) {
		fprintf(w->fp, "\n%*s", w->indent, "");
		w->col = w->indent;
	} else if (w->col > w->indent) {
		fputc(' ', w->fp);
		w->col++;
	}
	fputs(piece, w->fp);
	w->col += (int)n;
}

static void
wrap_end(struct wrap *w)
{
	fputc('\n', w->fp);
}

static const char *
sum_af(int af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

static void
sum_tunnels(const struct conf *c, FILE *fp)
{
	const struct conf_tunnel *t;
	struct wrap w;
	char buf[160], peer[64];
	size_t i;

	for (i = 0; i < c->ntunnels; i++) {
		t = &c->tunnels[i];
		if (t->peer_type == CONF_PEER_ADDR)
			conf_addr_ntop(&t->peer_addr, 0, peer, sizeof(peer));
		else
			snprintf(peer, sizeof(peer), "%s",
			    t->peer_fqdn ? t->peer_fqdn : "?");
		wrap_start(&w, fp, t->name);
		snprintf(buf, sizeof(buf), "IKEv2 with %s over %s,", peer,
		    sum_af(conf_tunnel_af(t)));
		wrap_put(&w, buf);
		snprintf(buf, sizeof(buf), "out of %s%s",
		    t->outgoing[0] ? t->outgoing : "the routed interface",
		    t->shutdown ? " (shut down)" : "");
		wrap_put(&w, buf);
		wrap_end(&w);
	}
}

static void
sum_ospf(const struct conf *c, FILE *fp)
{
	const struct conf_ospf *o = &c->ospf;
	struct wrap w;
	char buf[80];
	size_t i;

	if (!o->enabled)
		return;
	wrap_start(&w, fp, "OSPF");
	for (i = 0; i < o->nnetworks; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", o->networks[i].ifname,
		    conf_ospf_passive(c, o->networks[i].ifname) ? " (passive)"
		                                                : "",
		    i + 1 < o->nnetworks ? "," : "");
		wrap_put(&w, buf);
	}
	if (o->nnetworks == 0)
		wrap_put(&w, "no network");
	wrap_put(&w, "in area 0");
	wrap_end(&w);
}

static void
sum_routes(const struct conf *c, FILE *fp)
{
	const struct conf_route *r;
	struct wrap w;
	char buf[160], pfx[64], via[64];
	size_t i, shown = 4;

	if (c->nroutes == 0)
		return;
	wrap_start(&w, fp, "routes");
	for (i = 0; i < c->nroutes && i < shown; i++) {
		r = &c->routes[i];
		conf_addr_ntop(&r->prefix, 1, pfx, sizeof(pfx));
		if (r->ifname[0])
			snprintf(via, sizeof(via), "%s", r->ifname);
		else
			conf_addr_ntop(&r->nexthop, 0, via, sizeof(via));
		snprintf(buf, sizeof(buf), "%s via %s", pfx, via);
		if (r->distance != 1)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    " (distance %d)", r->distance);
		if (i + 1 < c->nroutes)
			strcat(buf, ",");
		wrap_put(&w, buf);
	}
	if (c->nroutes > shown) {
		snprintf(buf, sizeof(buf), "and %zu more", c->nroutes - shown);
		wrap_put(&w, buf);
	}
	wrap_end(&w);
}

static void
sum_watches(const struct conf *c, FILE *fp)
{
	const struct conf_watch *g;
	const struct conf_watch_event *e;
	struct wrap w;
	char buf[160], target[64];
	size_t i;

	for (i = 0; i < c->nwatches; i++) {
		g = &c->watches[i];
		wrap_start(&w, fp, "watch-group");
		snprintf(buf, sizeof(buf), "%s %d:", g->name, g->seq);
		wrap_put(&w, buf);
		if (g->nevents > 0) {
			e = &g->events[0];
			conf_addr_ntop(&e->target, 0, target, sizeof(target));
			snprintf(buf, sizeof(buf),
			    "pings %s through %s every %u ms,", target,
			    e->ifname, g->timer_wait);
			wrap_put(&w, buf);
		}
		snprintf(buf, sizeof(buf), "%zu action%s%s", g->nactions,
		    g->nactions == 1 ? "" : "s",
		    g->enabled ? "" : " (not enabled)");
		wrap_put(&w, buf);
		wrap_end(&w);
	}
}

static void
sum_ddns(const struct conf *c, FILE *fp)
{
	const struct conf_ddns *d;
	struct wrap w;
	char buf[160];
	size_t i, j;

	for (i = 0; i < c->nddns; i++) {
		d = &c->ddns[i];
		wrap_start(&w, fp, "DDNS");
		snprintf(buf, sizeof(buf),
		    "%s:", d->hostname ? d->hostname : d->name);
		wrap_put(&w, buf);
		for (j = 0; j < d->nnotify; j++) {
			snprintf(buf, sizeof(buf), "%s of %s,",
			    d->notify[j].af == AF_INET6 ? "AAAA" : "A",
			    d->notify[j].ifname);
			wrap_put(&w, buf);
		}
		wrap_put(&w, d->type == CONF_DDNS_DYNDNS2 ? "by dyndns2"
		                                          : "by RFC 2136");
		wrap_end(&w);
	}
}

/* The OS's parts, one line (wrapped) per thing that does them on Linux. */
static void
sum_os(const struct conf *c, FILE *fp)
{
	const struct conf_ospart *o;
	struct wrap w;
	char buf[160];
	size_t i, lines = 0, left;
	int owner;

	if (c->nosparts == 0) {
		fprintf(fp, "Left to the OS: nothing.\n");
		return;
	}
	for (i = 0; i < c->nosparts; i++)
		lines += (size_t)c->osparts[i].lines;
	fprintf(fp,
	    "Left to the OS, by what does it on Linux (%zu part%s in %zu "
	    "line%s):\n",
	    c->nosparts, c->nosparts == 1 ? "" : "s", lines,
	    lines == 1 ? "" : "s");
	for (owner = 0; owner < IXO_N; owner++) {
		left = 0;
		for (i = 0; i < c->nosparts; i++)
			left += c->osparts[i].owner == owner;
		if (left == 0)
			continue;
		/* The items follow the header on, wrapped under it. */
		w.fp = fp;
		w.indent = 4;
		w.col = fprintf(fp, "  %s:", conf_ix_owners[owner].on_linux);
		for (i = 0; i < c->nosparts; i++) {
			o = &c->osparts[i];
			if (o->owner != owner)
				continue;
			snprintf(buf, sizeof(buf), "%s (%d)%s", o->name,
			    o->line, --left ? "," : "");
			wrap_put(&w, buf);
		}
		wrap_end(&w);
	}
}

int
conf_print_summary(const struct conf *c, FILE *fp)
{
	fprintf(fp, "What tsunagi runs:\n");
	if (c->ntunnels == 0 && !c->ospf.enabled && c->nroutes == 0 &&
	    c->nwatches == 0 && c->nddns == 0)
		fprintf(fp, "  nothing\n");
	sum_tunnels(c, fp);
	sum_ospf(c, fp);
	sum_routes(c, fp);
	sum_watches(c, fp);
	sum_ddns(c, fp);
	sum_os(c, fp);
	return ferror(fp) ? -1 : 0;
}
