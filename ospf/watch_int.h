/*
 * watch_int.h: what the files of the watch-groups share (watch.c the
 * entries and their rounds, watch_sock.c the two raw sockets,
 * watch_show.c the control commands).  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_WATCH_INT_H
#define TSUNAGI_OSPF_WATCH_INT_H

#include <stdint.h>

#include "conf/conf.h"
#include "daemon/event.h"
#include "ospf/icmp.h"
#include "ospf/watch_fsm.h"

#define WATCH_HIST 20 /* the recent probes that show counts */
/*
 * The rounds whose answer still counts when it comes late: at probes
 * tens of ms apart, a loaded line's round trip is longer than the
 * interval, and a late answer proves the path as well as a prompt one.
 */
#define WATCH_LATE 16

struct watch_ev_state {
	char why[96]; /* why the last probe to this target was not sent */
	uint64_t sent, answered;
};

struct watch_group {
	struct watch_group *next;
	const struct conf_watch *w; /* the running configuration's entry */
	struct watch_ev_state *evs; /* one per w->events[] */
	struct ospf_watch_fsm fsm;
	uint16_t id, seq;
	uint8_t cookie[OSPF_ICMP_COOKIE];
	int outstanding;  /* the round's probes wait for an answer */
	uint64_t sent_us;  /* when the round went out (monotonic) */
	uint64_t heard_us; /* the last answer (or the start) */
	struct {
		uint64_t sent_us; /* 0: nothing went out, or answered */
		uint16_t seq;
	} recent[WATCH_LATE]; /* by seq % WATCH_LATE */
	struct ev_timer round;
	uint64_t since;   /* ev_now() of the last change of state */
	uint64_t changes; /* up <-> down */
	struct {
		uint8_t lost;
		uint32_t rtt_us;
	} hist[WATCH_HIST];
	unsigned nhist, hpos;
	/* Counters: rounds, and replies refused though of our identifier. */
	uint64_t rounds, answered, lost, unsent;
	uint64_t late; /* rounds answered by an earlier round's answer */
	uint64_t bad_source, bad_seq, bad_body;
};

struct watch_sock_stats {
	uint64_t foreign;   /* echo replies of an identifier of nobody here */
	uint64_t malformed; /* truncated, bad header or checksum */
};

extern struct watch_state {
	const struct conf *conf;
	struct watch_group *groups;
	struct watch_sock_stats st4, st6;
	int registered;
} ospf_watch;

/* watch_sock.c */
int ospf_watch_sock_open(int af);
void ospf_watch_sock_close(void);
/* Sends the round's echo to event i; 0, or -1 with evs[i].why set. */
int ospf_watch_sock_send(struct watch_group *g, size_t i);
uint64_t ospf_watch_usec(void);

/* watch.c: a reply that matched g's identifier, from source (af bytes). */
void ospf_watch_reply(struct watch_group *g, int af, const uint8_t *src,
    const struct ospf_icmp_echo *e);
struct watch_group *ospf_watch_by_id(uint16_t id);

/* watch_show.c */
int ospf_watch_show_register(void);
/* The module's families for "show metrics". */
void ospf_watch_metrics(struct ctl_conn *c);

#endif
