/*
 * cmd_watch.c: "watch-group NAME SEQ" (ICMP probes, what to do when they
 * fail, and the probe timing) and "network-monitor NAME enable", which
 * switches a group on, as on NEC IX.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define MAX_WATCHES 64
#define MAX_ENTRIES 64

static int
h_watch_group(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf *c = p->conf;
	struct conf_watch *w;
	size_t i;

	for (i = 0; i < c->nwatches; i++)
		if (strcmp(c->watches[i].name, a[0].tok->s) == 0 &&
		    c->watches[i].seq == a[1].num) {
			conf_error(p, a[0].tok,
			    "watch-group %s %d is already "
			    "defined on line %d",
			    conf_q(a[0].tok->s), c->watches[i].seq,
			    c->watches[i].line);
			return -1;
		}
	w = conf_grow(p, &c->watches, &c->nwatches, sizeof(*w), MAX_WATCHES,
	    "watch-groups");
	if (w == NULL || (w->name = conf_strdup(p, a[0].tok->s)) == NULL)
		return -1;
	w->seq = (int)a[1].num;
	w->line = p->ln->line;
	w->timer_wait = CONF_DEF_TIMER_WAIT;
	w->timer_variance = CONF_DEF_TIMER_VARIANCE;
	w->timer_restorer = CONF_DEF_TIMER_RESTORER;
	w->count_watch = CONF_DEF_COUNT_WATCH;
	w->count_variance = CONF_DEF_COUNT_VARIANCE;
	w->count_restorer = CONF_DEF_COUNT_RESTORER;
	conf_enter(p, M_WATCH, c->nwatches - 1);
	return 0;
}

static struct conf_watch *
cur_watch(struct conf_parse *p)
{
	return &p->conf->watches[p->cur];
}

static int
h_event(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_watch *w = cur_watch(p);
	struct conf_watch_event *e;
	size_t i;

	for (i = 0; i < w->nevents; i++)
		if (w->events[i].seq == a[0].num) {
			conf_error(p, a[0].tok,
			    "event %d is already defined on "
			    "line %d",
			    w->events[i].seq, w->events[i].line);
			return -1;
		}
	if (conf_add_ref(p, REF_IFACE, a[2].tok->s, a[2].tok) == -1)
		return -1;
	if (a[3].tok != NULL && a[4].addr.af == 0 &&
	    conf_add_ref(p, REF_LINUXIF, a[4].tok->s, a[4].tok) == -1)
		return -1;
	if (a[3].tok != NULL && a[4].addr.af != 0 &&
	    a[4].addr.af != a[1].addr.af) {
		conf_error(p, a[4].tok,
		    "%s: source %s is not of the target's "
		    "address family",
		    conf_cmd_name(p), conf_q(a[4].tok->s));
		return -1;
	}
	e = conf_grow(p, &w->events, &w->nevents, sizeof(*e), MAX_ENTRIES,
	    "events in one watch-group");
	if (e == NULL)
		return -1;
	e->seq = (int)a[0].num;
	e->target = a[1].addr;
	strcpy(e->ifname, a[2].tok->s);
	if (a[3].tok != NULL && a[4].addr.af != 0)
		e->src_addr = a[4].addr;
	else if (a[3].tok != NULL)
		strcpy(e->src_if, a[4].tok->s);
	e->line = p->ln->line;
	return 0;
}

static struct conf_watch_action *
new_action(struct conf_parse *p, const struct conf_arg *a)
{
	struct conf_watch *w = cur_watch(p);
	struct conf_watch_action *x;
	size_t i;

	for (i = 0; i < w->nactions; i++)
		if (w->actions[i].seq == a[0].num) {
			conf_error(p, a[0].tok,
			    "action %d is already defined "
			    "on line %d",
			    w->actions[i].seq, w->actions[i].line);
			return NULL;
		}
	x = conf_grow(p, &w->actions, &w->nactions, sizeof(*x), MAX_ENTRIES,
	    "actions in one watch-group");
	if (x != NULL) {
		x->seq = (int)a[0].num;
		x->line = p->ln->line;
	}
	return x;
}

static int
h_shutdown_route(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_watch_action *x;
	struct conf_ref *r;

	if (conf_add_ref(p, REF_ROUTE, a[2].tok->s, a[2].tok) == -1)
		return -1;
	r = conf_last_ref(p);
	r->addr = a[1].addr;
	if ((x = new_action(p, a)) == NULL)
		return -1;
	x->type = CONF_ACTION_SHUTDOWN_ROUTE;
	x->prefix = a[1].addr;
	strcpy(x->ifname, a[2].tok->s);
	return 0;
}

/* An action on one interface: "ikev2 clear-sa", "ip ospf shutdown-interface".
 */
static int
iface_action(struct conf_parse *p, struct conf_arg *a, int ref, int type)
{
	struct conf_watch_action *x;

	if (conf_add_ref(p, ref, a[1].tok->s, a[1].tok) == -1 ||
	    (x = new_action(p, a)) == NULL)
		return -1;
	x->type = type;
	strcpy(x->ifname, a[1].tok->s);
	return 0;
}

static int
h_clear_sa(struct conf_parse *p, struct conf_arg *a, int neg)
{
	return iface_action(p, a, REF_TUNNEL, CONF_ACTION_CLEAR_SA);
}

static int
h_ospf_down(struct conf_parse *p, struct conf_arg *a, int neg)
{
	return iface_action(p, a, REF_OSPF_IF, CONF_ACTION_OSPF_DOWN);
}

static const struct {
	const char *path;
	size_t off;
	uint32_t def;
} probe_fields[] = {
    {"probe-timer wait", offsetof(struct conf_watch, timer_wait),
        CONF_DEF_TIMER_WAIT},
    {"probe-timer variance", offsetof(struct conf_watch, timer_variance),
        CONF_DEF_TIMER_VARIANCE},
    {"probe-timer restorer", offsetof(struct conf_watch, timer_restorer),
        CONF_DEF_TIMER_RESTORER},
    {"probe-counter watch", offsetof(struct conf_watch, count_watch),
        CONF_DEF_COUNT_WATCH},
    {"probe-counter variance", offsetof(struct conf_watch, count_variance),
        CONF_DEF_COUNT_VARIANCE},
    {"probe-counter restorer", offsetof(struct conf_watch, count_restorer),
        CONF_DEF_COUNT_RESTORER},
};

static int
h_probe(struct conf_parse *p, struct conf_arg *a, int neg)
{
	uint32_t *v;
	size_t i;

	for (i = 0; i < sizeof(probe_fields) / sizeof(probe_fields[0]); i++)
		if (strcmp(probe_fields[i].path, p->cmd->path) == 0)
			break;
	if (i == sizeof(probe_fields) / sizeof(probe_fields[0]))
		abort(); /* a row without a field */
	v = (void *)((char *)cur_watch(p) + probe_fields[i].off);
	*v = neg ? probe_fields[i].def : (uint32_t)a[0].num;
	return 0;
}

static int
h_monitor(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf *c = p->conf;
	char **m;
	size_t i;

	for (i = 0; i < c->nmonitors; i++)
		if (strcmp(c->monitors[i], a[0].tok->s) == 0) {
			conf_error(p, a[0].tok,
			    "network-monitor %s is already "
			    "enabled",
			    conf_q(a[0].tok->s));
			return -1;
		}
	if (conf_add_ref(p, REF_WATCH, a[0].tok->s, a[0].tok) == -1)
		return -1;
	m = conf_grow(p, &c->monitors, &c->nmonitors, sizeof(*m), MAX_WATCHES,
	    "network-monitors");
	if (m == NULL)
		return -1;
	return (*m = conf_strdup(p, a[0].tok->s)) ? 0 : -1;
}

#define W   M_WATCH
#define NEG CMD_NEG
#define SRC " [source <addr|if>]"

const struct conf_cmd conf_cmds_watch[] = {
    {M_GLOBAL, "watch-group", "<name> <n:1-65535>", h_watch_group, NULL,
        CMD_OPENS},
    {M_GLOBAL, "network-monitor", "<name> enable", h_monitor, NULL, 0},
    {W, "event <n:1-65535> ip unreach-host", "<addr4> <ifname>" SRC, h_event,
        NULL, 0},
    {W, "event <n:1-65535> ipv6 unreach-host", "<addr6> <ifname>" SRC, h_event,
        NULL, 0},
    {W, "action <n:1-65535> ip shutdown-route", "<route4> <ifname>",
        h_shutdown_route, NULL, 0},
    {W, "action <n:1-65535> ipv6 shutdown-route", "<route6> <ifname>",
        h_shutdown_route, NULL, 0},
    {W, "action <n:1-65535> ikev2 clear-sa", "<tunnel>", h_clear_sa, NULL, 0},
    {W, "action <n:1-65535> ip ospf shutdown-interface", "<ifname>",
        h_ospf_down, NULL, 0},
    {W, "probe-timer wait", "<secs>", h_probe, "timer wait", NEG},
    {W, "probe-timer variance", "<secs>", h_probe, "timer variance", NEG},
    {W, "probe-timer restorer", "<secs>", h_probe, "timer restorer", NEG},
    {W, "probe-counter watch", "<n:1-255>", h_probe, "counter watch", NEG},
    {W, "probe-counter variance", "<n:1-255>", h_probe, "counter variance",
        NEG},
    {W, "probe-counter restorer", "<n:1-255>", h_probe, "counter restorer",
        NEG},
    {0, NULL, NULL, NULL, NULL, 0},
};
