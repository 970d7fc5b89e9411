/*
 * watch_show.c: "show watch-group [NAME]": per entry its state and since
 * when, the loss and round-trip times of its recent probes, and what it
 * refused; per target whether its probes go out and why not; per socket
 * the replies that were nobody's.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "daemon/ctl.h"
#include "daemon/metrics.h"
#include "ospf/watch_int.h"

/* The last rounds: how many were lost, and the answers' RTTs (us). */
struct watch_recent {
	unsigned lost, ok;
	uint64_t min, avg, max;
};

static void
watch_recent(const struct watch_group *g, struct watch_recent *r)
{
	uint64_t sum = 0;
	unsigned i;

	*r = (struct watch_recent){.min = UINT32_MAX};
	for (i = 0; i < g->nhist; i++) {
		if (g->hist[i].lost) {
			r->lost++;
			continue;
		}
		r->ok++;
		sum += g->hist[i].rtt_us;
		r->min = g->hist[i].rtt_us < r->min ? g->hist[i].rtt_us : r->min;
		r->max = g->hist[i].rtt_us > r->max ? g->hist[i].rtt_us : r->max;
	}
	r->avg = r->ok ? sum / r->ok : 0;
}

static void
show_recent(struct ctl_conn *c, const struct watch_group *g)
{
	struct watch_recent r;

	watch_recent(g, &r);
	ctl_rec_uint(c, "recent-probes", g->nhist);
	ctl_rec_uint(c, "recent-lost", r.lost);
	if (r.ok == 0)
		return;
	ctl_rec_uint(c, "rtt-min-us", r.min);
	ctl_rec_uint(c, "rtt-avg-us", r.avg);
	ctl_rec_uint(c, "rtt-max-us", r.max);
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

/* A sample of an entry's family: its group and sequence as labels. */
static void
metric_entry(struct ctl_conn *c, const char *name, const struct watch_group *g)
{
	char seq[16];

	snprintf(seq, sizeof(seq), "%d", g->w->seq);
	metric_begin(c, name);
	ctl_rec_str(c, "group", g->w->name);
	ctl_rec_str(c, "seq", seq);
}

static void
metrics_probes(struct ctl_conn *c)
{
	static const char *const results[] = {"answered", "lost", "not-sent"};
	const struct watch_group *g;
	uint64_t v[3];
	int i;

	metric_family(c, "tsunagi_watch_probes", "counter",
	    "Probe rounds of a watch-group entry, by outcome.");
	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		v[0] = g->answered;
		v[1] = g->lost;
		v[2] = g->unsent;
		for (i = 0; i < 3; i++) {
			metric_entry(c, "tsunagi_watch_probes", g);
			ctl_rec_str(c, "result", results[i]);
			metric_uint(c, v[i]);
		}
	}
}

/* The round-trip times of the recent answered probes (show_recent's). */
static void
metrics_rtt(struct ctl_conn *c)
{
	static const char *const stats[] = {"min", "avg", "max"};
	const struct watch_group *g;
	struct watch_recent r;
	uint64_t v[3];
	int i;

	metric_family(c, "tsunagi_watch_rtt_seconds", "gauge",
	    "Round-trip time of the last 20 answered probes of an entry.");
	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		watch_recent(g, &r);
		if (r.ok == 0)
			continue;
		v[0] = r.min, v[1] = r.avg, v[2] = r.max;
		for (i = 0; i < 3; i++) {
			metric_entry(c, "tsunagi_watch_rtt_seconds", g);
			ctl_rec_str(c, "stat", stats[i]);
			metric_micro(c, v[i]);
		}
	}
}

void
ospf_watch_metrics(struct ctl_conn *c)
{
	const struct watch_group *g;

	if (ospf_watch.groups == NULL)
		return;
	metric_family(c, "tsunagi_watch_up", "gauge",
	    "1 while a watch-group entry's target answers (up or confirming).");
	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		metric_entry(c, "tsunagi_watch_up", g);
		metric_uint(c, g->fsm.state != WATCH_DOWN);
	}
	metric_family(c, "tsunagi_watch_changes", "counter",
	    "Times a watch-group entry went down or came back up.");
	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		metric_entry(c, "tsunagi_watch_changes", g);
		metric_uint(c, g->changes);
	}
	metrics_probes(c);
	metrics_rtt(c);
}
