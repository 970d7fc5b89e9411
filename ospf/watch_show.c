/*
 * watch_show.c: "show watch-group [NAME]": per entry its state and since
 * when, the loss and round-trip times of its recent probes, and what it
 * refused; per target whether its probes go out and why not; per socket
 * the replies that were nobody's.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "daemon/ctl.h"
#include "ospf/watch_int.h"

static void
show_recent(struct ctl_conn *c, const struct watch_group *g)
{
	uint32_t min = UINT32_MAX, max = 0;
	uint64_t sum = 0;
	unsigned i, lost = 0, ok = 0;

	for (i = 0; i < g->nhist; i++) {
		if (g->hist[i].lost) {
			lost++;
			continue;
		}
		ok++;
		sum += g->hist[i].rtt_us;
		min = g->hist[i].rtt_us < min ? g->hist[i].rtt_us : min;
		max = g->hist[i].rtt_us > max ? g->hist[i].rtt_us : max;
	}
	ctl_rec_uint(c, "recent-probes", g->nhist);
	ctl_rec_uint(c, "recent-lost", lost);
	if (ok == 0)
		return;
	ctl_rec_uint(c, "rtt-min-us", min);
	ctl_rec_uint(c, "rtt-avg-us", sum / ok);
	ctl_rec_uint(c, "rtt-max-us", max);
}

static void
show_group(struct ctl_conn *c, const struct watch_group *g)
{
	uint64_t ago = ev_now() - g->since;
	time_t at = time(NULL) - (time_t)(ago / 1000);
	char ts[32];

	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&at));
	ctl_rec_begin(c, "watch-group");
	ctl_rec_str(c, "name", g->w->name);
	ctl_rec_int(c, "seq", g->w->seq);
	ctl_rec_str(c, "state", ospf_watch_state_name(g->fsm.state));
	ctl_rec_str(c, "since", ts);
	ctl_rec_uint(c, "for-ms", ago);
	ctl_rec_uint(c, "changes", g->changes);
	ctl_rec_uint(c, "interval-ms", ospf_watch_fsm_interval(&g->fsm, g->w));
	ctl_rec_uint(c, "identifier", g->id);
	ctl_rec_uint(c, "sequence", g->seq);
	ctl_rec_uint(c, "rounds", g->rounds);
	ctl_rec_uint(c, "answered", g->answered);
	ctl_rec_uint(c, "answered-late", g->late);
	ctl_rec_uint(c, "lost", g->lost);
	ctl_rec_uint(c, "not-sent", g->unsent);
	show_recent(c, g);
	ctl_rec_uint(c, "refused-source", g->bad_source);
	ctl_rec_uint(c, "refused-sequence", g->bad_seq);
	ctl_rec_uint(c, "refused-body", g->bad_body);
	ctl_rec_end(c);
}

static void
show_events(struct ctl_conn *c, const struct watch_group *g)
{
	const struct conf_watch_event *ev;
	char a[INET6_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < g->w->nevents; i++) {
		ev = &g->w->events[i];
		ctl_rec_begin(c, "watch-event");
		ctl_rec_str(c, "group", g->w->name);
		ctl_rec_int(c, "seq", g->w->seq);
		ctl_rec_int(c, "event", ev->seq);
		ctl_rec_str(c, "target",
		    inet_ntop(ev->target.af, ev->target.a, a, sizeof(a)));
		ctl_rec_str(c, "interface", ev->ifname);
		if (ev->src_addr.af != 0)
			ctl_rec_str(c, "source",
			    inet_ntop(
			        ev->src_addr.af, ev->src_addr.a, a, sizeof(a)));
		else if (ev->src_if[0] != '\0')
			ctl_rec_str(c, "source", ev->src_if);
		ctl_rec_uint(c, "sent", g->evs[i].sent);
		ctl_rec_uint(c, "answered", g->evs[i].answered);
		if (g->evs[i].why[0] != '\0')
			ctl_rec_str(c, "not-sent-because", g->evs[i].why);
		ctl_rec_end(c);
	}
}

static void
show_sock(
    struct ctl_conn *c, const char *family, const struct watch_sock_stats *st)
{
	ctl_rec_begin(c, "watch-socket");
	ctl_rec_str(c, "family", family);
	ctl_rec_uint(c, "replies-foreign", st->foreign);
	ctl_rec_uint(c, "malformed", st->malformed);
	ctl_rec_end(c);
}

static int
show_watch(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	const struct watch_group *g;
	const char *name = argc > 0 ? argv[0] : NULL;
	int n = 0;

	(void)arg;
	if (ospf_watch.groups == NULL)
		return ctl_not_running(c, "watch-group: not running: no watch-group "
		                   "is enabled (network-monitor NAME enable)");
	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		if (name != NULL && strcmp(g->w->name, name) != 0)
			continue;
		show_group(c, g);
		show_events(c, g);
		n++;
	}
	if (n == 0)
		return ctl_fail(c, "no watch-group %s is enabled", name);
	show_sock(c, "ipv4", &ospf_watch.st4);
	show_sock(c, "ipv6", &ospf_watch.st6);
	return 0;
}

int
ospf_watch_show_register(void)
{
	return ctl_register("show watch-group", 1,
	    "watch-groups: state, recent loss and round trips, refused replies",
	    show_watch, NULL);
}
