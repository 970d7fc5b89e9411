/*
 * watch_fsm.c: the hysteresis of a watch-group entry as a table: per
 * state and outcome, whether the run of such outcomes grows or starts
 * again, which counter it must reach, and where it then goes.
 */
#include <stddef.h>

#include "ospf/watch_fsm.h"

enum { RUN_RESET = 0, RUN_COUNT };

static const struct {
	int state, ev;
	int run;      /* RUN_COUNT: this outcome adds to the run */
	size_t limit; /* offset of the counter to reach; 0: move at once */
	int next;     /* where to go once the limit is reached */
} fsm_tab[] = {
    {WATCH_UP, WATCH_EV_ANSWER, RUN_RESET, 0, WATCH_UP},
    {WATCH_UP, WATCH_EV_LOST, RUN_COUNT,
        offsetof(struct conf_watch, count_watch), WATCH_CONFIRM},
    {WATCH_CONFIRM, WATCH_EV_ANSWER, RUN_RESET, 0, WATCH_UP},
    {WATCH_CONFIRM, WATCH_EV_LOST, RUN_COUNT,
        offsetof(struct conf_watch, count_variance), WATCH_DOWN},
    {WATCH_DOWN, WATCH_EV_ANSWER, RUN_COUNT,
        offsetof(struct conf_watch, count_restorer), WATCH_UP},
    {WATCH_DOWN, WATCH_EV_LOST, RUN_RESET, 0, WATCH_DOWN},
};

int
ospf_watch_fsm_step(
    struct ospf_watch_fsm *f, const struct conf_watch *w, int ev)
{
	int old = f->state;
	size_t i;

	for (i = 0; i < sizeof(fsm_tab) / sizeof(fsm_tab[0]); i++) {
		if (fsm_tab[i].state != f->state || fsm_tab[i].ev != ev)
			continue;
		if (fsm_tab[i].run == RUN_RESET) {
			f->run = 0;
			f->state = fsm_tab[i].next;
			return old;
		}
		if (++f->run >=
		    *(const uint32_t *)(const void *)((const char *)w +
		                                      fsm_tab[i].limit)) {
			f->run = 0;
			f->state = fsm_tab[i].next;
		}
		return old;
	}
	return old;
}

uint32_t
ospf_watch_fsm_interval(
    const struct ospf_watch_fsm *f, const struct conf_watch *w)
{
	if (f->state == WATCH_CONFIRM)
		return w->timer_variance;
	return f->state == WATCH_DOWN ? w->timer_restorer : w->timer_wait;
}

const char *
ospf_watch_state_name(int state)
{
	static const char *const names[] = {"up", "confirming", "down"};

	return state >= 0 && state <= WATCH_DOWN ? names[state] : "?";
}
