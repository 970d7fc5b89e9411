/*
 * watch.c: the watch-group entries: one round of probes every interval,
 * each round's outcome fed to the hysteresis (watch_fsm.c), and what a
 * change of state sets off: a line in the log, "ikev2 clear-sa" run here,
 * and the listeners told (static routes shut their own entries).  Reload
 * keeps the probe state of every entry that did not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "daemon/ctl.h"
#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/ike.h"
#include "ospf/watch.h"
#include "ospf/watch_int.h"

struct watch_state ospf_watch;

struct watch_listener {
	struct watch_listener *next;
	ospf_watch_cb *cb;
	void *arg;
};
static struct watch_listener *listeners;

int
ospf_watch_listen(ospf_watch_cb *cb, void *arg)
{
	struct watch_listener *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return -1;
	l->cb = cb;
	l->arg = arg;
	l->next = listeners;
	listeners = l;
	return 0;
}

void
ospf_watch_unlisten(ospf_watch_cb *cb, void *arg)
{
	struct watch_listener **p, *l;

	for (p = &listeners; (l = *p) != NULL;)
		if (l->cb == cb && l->arg == arg) {
			*p = l->next;
			free(l);
		} else
			p = &l->next;
}

static void
watch_tell(const struct conf_watch *w, int down)
{
	struct watch_listener *l;

	for (l = listeners; l != NULL; l = l->next)
		l->cb(w, down, l->arg);
}

static int
same_prefix(const struct conf_addr *a, const struct conf_addr *b)
{
	return a->af == b->af && a->plen == b->plen &&
	       memcmp(a->a, b->a, sizeof(a->a)) == 0;
}

int
ospf_watch_holds(int type, const struct conf_addr *prefix, const char *ifname)
{
	const struct watch_group *g;
	const struct conf_watch_action *x;
	size_t i;

	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		if (g->fsm.state != WATCH_DOWN)
			continue;
		for (i = 0; i < g->w->nactions; i++) {
			x = &g->w->actions[i];
			if (x->type == type && strcmp(x->ifname, ifname) == 0 &&
			    (prefix == NULL || same_prefix(&x->prefix, prefix)))
				return 1;
		}
	}
	return 0;
}

struct watch_group *
ospf_watch_by_id(uint16_t id)
{
	struct watch_group *g;

	for (g = ospf_watch.groups; g != NULL; g = g->next)
		if (g->id == id)
			return g;
	return NULL;
}

/* The actions this module runs itself; routes are their owner's. */
static void
watch_act(const struct watch_group *g)
{
	const struct conf_watch_action *x;
	size_t i;

	for (i = 0; i < g->w->nactions; i++) {
		x = &g->w->actions[i];
		if (x->type != CONF_ACTION_CLEAR_SA)
			continue;
		/* A tunnel without a CHILD SA (still coming up at start, or
		 * already down) has nothing stale to clear; clearing would
		 * only start its negotiation over. */
		if (!ike_tunnel_is_up(x->ifname)) {
			log_info("watch-group %s %d: action %d: %s has no "
			         "CHILD SA, nothing to clear",
			    g->w->name, g->w->seq, x->seq, x->ifname);
			continue;
		}
		log_info("watch-group %s %d: action %d: clearing the SAs of %s",
		    g->w->name, g->w->seq, x->seq, x->ifname);
		if (ike_clear_sa_path_lost(x->ifname) == -1)
			log_warnx("watch-group %s %d: action %d: no tunnel %s",
			    g->w->name, g->w->seq, x->seq, x->ifname);
	}
}

/* The interface of the entry's events, for the log ("Tunnel1.0"). */
static const char *
watch_ifs(const struct conf_watch *w)
{
	return w->nevents > 0 ? w->events[0].ifname : "-";
}

static void
watch_changed(struct watch_group *g, int old)
{
	const struct conf_watch *w = g->w;
	int now = g->fsm.state;
	char obj[80];

	g->since = ev_now();
	if (now == WATCH_DOWN || old == WATCH_DOWN)
		g->changes++;
	/*
	 * At probes tens of ms apart a busy line misses a round now and
	 * then: a log line each time would drown the ones that matter.
	 */
	if (now == WATCH_CONFIRM) {
		log_debug("watch-group %s %d: %s: a probe lost, confirming",
		    w->name, w->seq, watch_ifs(w));
		return;
	}
	if (old == WATCH_CONFIRM && now == WATCH_UP) {
		log_debug("watch-group %s %d: %s: answered again, up", w->name,
		    w->seq, watch_ifs(w));
		return;
	}
	snprintf(obj, sizeof(obj), "%s %d", w->name, w->seq);
	if (now == WATCH_DOWN) {
		unsigned long long ms = (ospf_watch_usec() - g->heard_us) / 1000;

		log_warnx("watch-group %s %d: %s: down, no answer for %llu ms: "
		          "its actions apply",
		    w->name, w->seq, watch_ifs(w), ms);
		evlog("watch-down", obj, "%s: no answer for %llu ms",
		    watch_ifs(w), ms);
		watch_act(g);
	} else {
		log_warnx("watch-group %s %d: %s: up, answering again: its "
		          "actions undone",
		    w->name, w->seq, watch_ifs(w));
		evlog("watch-up", obj, "%s: answering again", watch_ifs(w));
	}
	watch_tell(w, now == WATCH_DOWN);
}

static void
watch_outcome(struct watch_group *g, int ev, uint32_t rtt_us)
{
	int old;

	g->hist[g->hpos].lost = ev == WATCH_EV_LOST;
	g->hist[g->hpos].rtt_us = rtt_us;
	g->hpos = (g->hpos + 1) % WATCH_HIST;
	if (g->nhist < WATCH_HIST)
		g->nhist++;
	if (ev == WATCH_EV_LOST)
		g->lost++;
	else {
		g->answered++;
		g->heard_us = ospf_watch_usec();
	}
	old = ospf_watch_fsm_step(&g->fsm, g->w, ev);
	if (old != g->fsm.state)
		watch_changed(g, old);
}

static int
is_target(const struct conf_watch_event *ev, int af, const uint8_t *src)
{
	return ev->target.af == af &&
	       memcmp(ev->target.a, src, af == AF_INET ? 4 : 16) == 0;
}

/*
 * An answer counts once, to the round that waits when it comes: its own
 * or a later one (it is late, the path is slow but works).  The body must
 * be the one that went out with its sequence number, so a forged or
 * replayed reply proves nothing.
 */
void
ospf_watch_reply(struct watch_group *g, int af, const uint8_t *src,
    const struct ospf_icmp_echo *e)
{
	size_t i, slot = e->seq % WATCH_LATE;
	uint64_t sent = g->recent[slot].sent_us;

	for (i = 0; i < g->w->nevents; i++)
		if (is_target(&g->w->events[i], af, src))
			break;
	if (i == g->w->nevents) {
		g->bad_source++;
		return;
	}
	/* The slot holds the newest round of its residue: one of the last
	 * WATCH_LATE, or the reply is older than those. */
	if (sent == 0 || g->recent[slot].seq != e->seq) {
		g->bad_seq++; /* too late, answered already, or made up */
		return;
	}
	if (e->len != OSPF_ICMP_BODY ||
	    memcmp(e->body, g->cookie, OSPF_ICMP_COOKIE) != 0 ||
	    memcmp(e->body + OSPF_ICMP_COOKIE, &sent, 8) != 0) {
		g->bad_body++;
		return;
	}
	g->recent[slot].sent_us = 0;
	for (i = 0; i < g->w->nevents; i++)
		if (is_target(&g->w->events[i], af, src))
			g->evs[i].answered++;
	if (!g->outstanding)
		return; /* this round has its answer already */
	g->outstanding = 0;
	g->late += e->seq != g->seq;
	watch_outcome(
	    g, WATCH_EV_ANSWER, (uint32_t)(ospf_watch_usec() - sent));
}

/*
 * A round: the last one's probes, unanswered, were lost; then this one's
 * go out to every target (one answer is enough: the path works).  A
 * round that could send nothing (a tunnel down) is lost at once.
 */
static void
watch_round(void *arg)
{
	struct watch_group *g = arg;
	size_t i, sent = 0;

	if (g->outstanding) {
		g->outstanding = 0;
		watch_outcome(g, WATCH_EV_LOST, 0);
	}
	g->seq++;
	g->rounds++;
	g->sent_us = ospf_watch_usec();
	for (i = 0; i < g->w->nevents; i++)
		sent += ospf_watch_sock_send(g, i) == 0;
	g->recent[g->seq % WATCH_LATE].seq = g->seq;
	g->recent[g->seq % WATCH_LATE].sent_us = sent > 0 ? g->sent_us : 0;
	if (sent > 0)
		g->outstanding = 1;
	else {
		g->unsent++;
		watch_outcome(g, WATCH_EV_LOST, 0);
	}
	ev_timer_add(&g->round, ospf_watch_fsm_interval(&g->fsm, g->w));
}

static void
group_free(struct watch_group *g)
{
	ev_timer_del(&g->round);
	free(g->evs);
	free(g);
}

/* A fresh entry, up, its first round one "probe-timer wait" away. */
static struct watch_group *
group_new(const struct conf_watch *w, uint16_t id)
{
	struct watch_group *g = calloc(1, sizeof(*g));

	if (g == NULL ||
	    (g->evs = calloc(w->nevents + 1, sizeof(*g->evs))) == NULL) {
		free(g);
		return NULL;
	}
	g->w = w;
	g->id = id;
	g->seq = (uint16_t)randombytes_uniform(65536);
	randombytes_buf(g->cookie, sizeof(g->cookie));
	g->since = ev_now();
	g->heard_us = ospf_watch_usec();
	ev_timer_set(&g->round, watch_round, g);
	ev_timer_add(&g->round, w->timer_wait);
	return g;
}

/* An identifier neither the old entries nor the fresh ones use. */
static uint16_t
watch_free_id(
    const struct watch_group *old, struct watch_group *const *fresh, size_t n)
{
	uint16_t id = (uint16_t)randombytes_uniform(65536);
	const struct watch_group *g;
	size_t i;

	for (;; id++) {
		for (g = old; g != NULL && g->id != id; g = g->next)
			;
		for (i = 0; g == NULL && i < n; i++)
			if (fresh[i] != NULL && fresh[i]->id == id)
				break;
		if (g == NULL && i == n)
			return id;
	}
}

/* The old entry equal to w, taken off the old list, or NULL. */
static struct watch_group *
watch_take(struct watch_group **old, const struct conf_watch *w)
{
	struct watch_group **p, *g;

	for (p = old; (g = *p) != NULL; p = &g->next)
		if (conf_watch_equal(g->w, w)) {
			*p = g->next;
			g->next = NULL;
			return g;
		}
	return NULL;
}

static int
watch_open_socks(const struct conf *conf)
{
	size_t i, j;

	for (i = 0; i < conf->nwatches; i++)
		for (j = 0;
		     conf->watches[i].enabled && j < conf->watches[i].nevents;
		     j++)
			if (ospf_watch_sock_open(
			        conf->watches[i].events[j].target.af) == -1)
				return -1;
	return 0;
}

/* 1 if list goes on with the entry w was (same name and number). */
static int
watch_kept(const struct watch_group *list, const struct conf_watch *w)
{
	for (; list != NULL; list = list->next)
		if (strcmp(list->w->name, w->name) == 0 &&
		    list->w->seq == w->seq)
			return 1;
	return 0;
}

static const struct watch_group *
watch_find(const struct watch_group *list, const struct conf_watch *w)
{
	for (; list != NULL; list = list->next)
		if (conf_watch_equal(list->w, w))
			return list;
	return NULL;
}

/*
 * An entry whose settings changed keeps the state it had (a new timer
 * must not put a route back on a path that is down): only the counts
 * towards the next move start again.
 */
static void
watch_inherit(struct watch_group *g, const struct watch_group *old)
{
	for (; old != NULL; old = old->next)
		if (strcmp(old->w->name, g->w->name) == 0 &&
		    old->w->seq == g->w->seq) {
			g->fsm.state = old->fsm.state;
			g->since = old->since;
			g->changes = old->changes;
			g->heard_us = old->heard_us;
			ev_timer_add(
			    &g->round, ospf_watch_fsm_interval(&g->fsm, g->w));
			return;
		}
}

/*
 * Move to conf's entries: an unchanged entry keeps its state and its
 * identifier, a changed one its state, a new one starts up; an entry
 * that goes while down has its actions undone.  Out of memory changes
 * nothing.
 */
static int
watch_apply(const struct conf *conf)
{
	struct watch_group *old = ospf_watch.groups, *list = NULL,
	                   **tail = &list;
	struct watch_group **fresh, *g;
	size_t i, n = conf->nwatches;

	if (watch_open_socks(conf) == -1 ||
	    (fresh = calloc(n + 1, sizeof(*fresh))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (!conf->watches[i].enabled ||
		    watch_find(old, &conf->watches[i]) != NULL)
			continue;
		if ((g = group_new(&conf->watches[i],
		         watch_free_id(old, fresh, n))) == NULL)
			goto fail;
		watch_inherit(g, old);
		fresh[i] = g;
	}
	for (i = 0; i < n; i++) {
		if (!conf->watches[i].enabled)
			continue;
		g = fresh[i] != NULL ? fresh[i]
		                     : watch_take(&old, &conf->watches[i]);
		g->w = &conf->watches[i];
		*tail = g;
		tail = &g->next;
	}
	free(fresh);
	ospf_watch.groups = list;
	ospf_watch.conf = conf;
	while ((g = old) != NULL) {
		old = g->next;
		if (g->fsm.state == WATCH_DOWN && !watch_kept(list, g->w))
			watch_tell(g->w, 0);
		group_free(g);
	}
	return 0;
fail:
	for (i = 0; i < n; i++)
		if (fresh[i] != NULL)
			group_free(fresh[i]);
	free(fresh);
	log_warn("watch-group");
	return -1;
}

static void
watch_log_start(const struct watch_group *g)
{
	const struct conf_watch *w = g->w;

	log_info("watch-group %s %d: probing %zu target%s through %s, every "
	         "%u ms (%u ms confirming, %u ms down)",
	    w->name, w->seq, w->nevents, w->nevents == 1 ? "" : "s",
	    watch_ifs(w), w->timer_wait, w->timer_variance, w->timer_restorer);
}

static int
watch_start(const struct conf *conf)
{
	const struct watch_group *g;

	if (!ospf_watch.registered && ospf_watch_show_register() == -1)
		return -1;
	ospf_watch.registered = 1;
	if (watch_apply(conf) == -1) {
		ospf_watch_sock_close();
		return -1;
	}
	for (g = ospf_watch.groups; g != NULL; g = g->next)
		watch_log_start(g);
	return 0;
}

static int
watch_reload(const struct conf *old, const struct conf *new)
{
	(void)old;
	return watch_apply(new);
}

static void
watch_stop(void)
{
	struct watch_group *g;

	while ((g = ospf_watch.groups) != NULL) {
		ospf_watch.groups = g->next;
		group_free(g);
	}
	ospf_watch_sock_close();
	ospf_watch.conf = NULL;
}

/* One line per entry that is not up: what a person asks about first. */
static void
watch_status(struct ctl_conn *c)
{
	const struct watch_group *g;

	for (g = ospf_watch.groups; g != NULL; g = g->next) {
		if (g->fsm.state == WATCH_UP)
			continue;
		ctl_rec_begin(c, "watch-group");
		ctl_rec_str(c, "name", g->w->name);
		ctl_rec_int(c, "seq", g->w->seq);
		ctl_rec_str(c, "state", ospf_watch_state_name(g->fsm.state));
		ctl_rec_uint(c, "since-s", (ev_now() - g->since) / 1000);
		ctl_rec_end(c);
	}
}

const struct tsunagi_module ospf_watch_module = {
    .name = "watch-group",
    .start = watch_start,
    .reload = watch_reload,
    .stop = watch_stop,
    .status = watch_status,
    .metrics = ospf_watch_metrics,
};
