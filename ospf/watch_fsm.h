/*
 * watch_fsm.h: a watch-group entry's hysteresis, apart from any I/O so
 * that a table of probe outcomes can test it.  Private to ospf/.
 *
 *   up      probing every "probe-timer wait"; "probe-counter watch"
 *           lost probes in a row move it to confirming
 *   confirm probing every "probe-timer variance"; one answer takes it
 *           back up, "probe-counter variance" more losses in a row take
 *           it down (its actions apply)
 *   down    probing every "probe-timer restorer"; "probe-counter
 *           restorer" answers in a row bring it up (actions undone)
 */
#ifndef TSUNAGI_OSPF_WATCH_FSM_H
#define TSUNAGI_OSPF_WATCH_FSM_H

#include <stdint.h>

#include "conf/conf.h"

enum ospf_watch_state { WATCH_UP = 0, WATCH_CONFIRM, WATCH_DOWN };
enum ospf_watch_ev { WATCH_EV_ANSWER = 0, WATCH_EV_LOST };

struct ospf_watch_fsm {
	int state;    /* enum ospf_watch_state */
	uint32_t run; /* outcomes in a row that count towards the next move */
};

/* Feed one probe round's outcome; returns the state before it. */
int ospf_watch_fsm_step(
    struct ospf_watch_fsm *f, const struct conf_watch *w, int ev);
/* The probe interval of the state, in ms. */
uint32_t ospf_watch_fsm_interval(
    const struct ospf_watch_fsm *f, const struct conf_watch *w);
const char *ospf_watch_state_name(int state);

#endif
