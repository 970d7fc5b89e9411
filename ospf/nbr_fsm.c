/*
 * nbr_fsm.c: the neighbour state machine of RFC 2328 10.3 as a table:
 * the states an event applies in, the action, the next state.  Only
 * point-to-point links, where every neighbour is to be adjacent, so
 * 2-WayReceived goes straight to ExStart and AdjOK? never tears an
 * adjacency down.  The actions run in nbr.c; this file is pure so the
 * unit test can walk the whole table.
 */
#include "ospf/speaker.h"

#define S(x) (1u << (x))
#define ANY  (S(NBR_NSTATES) - 1)
#define ADJ  (S(NBR_EXSTART) | S(NBR_EXCHANGE) | S(NBR_LOADING) | S(NBR_FULL))
#define UP2  (S(NBR_2WAY) | ADJ)

static const struct {
	unsigned states;
	int event, action, next;
} table[] = {
    /* A Hello: the first makes the neighbour; every one re-arms. */
    {S(NBR_DOWN), NBR_EV_HELLO, NBR_ACT_START_INACT, NBR_INIT},
    {S(NBR_INIT) | UP2, NBR_EV_HELLO, NBR_ACT_START_INACT, NBR_SAME},
    /* It lists us: on a point-to-point link, always an adjacency. */
    {S(NBR_INIT), NBR_EV_2WAY, NBR_ACT_ADJ_START, NBR_EXSTART},
    {UP2, NBR_EV_2WAY, NBR_ACT_NONE, NBR_SAME},
    {S(NBR_2WAY), NBR_EV_ADJ_OK, NBR_ACT_ADJ_START, NBR_EXSTART},
    {ADJ, NBR_EV_ADJ_OK, NBR_ACT_NONE, NBR_SAME},
    {S(NBR_EXSTART), NBR_EV_NEG_DONE, NBR_ACT_EXCHANGE, NBR_EXCHANGE},
    {S(NBR_EXCHANGE), NBR_EV_EXCH_DONE, NBR_ACT_EXCH_DONE, NBR_NEXT_BY_ACTION},
    {S(NBR_LOADING), NBR_EV_LOAD_DONE, NBR_ACT_FULL, NBR_FULL},
    /* Errors of the exchange start it over. */
    {S(NBR_EXCHANGE) | S(NBR_LOADING) | S(NBR_FULL), NBR_EV_SEQ_MISMATCH,
        NBR_ACT_RESTART, NBR_EXSTART},
    {S(NBR_EXCHANGE) | S(NBR_LOADING) | S(NBR_FULL), NBR_EV_BAD_LSREQ,
        NBR_ACT_RESTART, NBR_EXSTART},
    /* It no longer lists us. */
    {UP2, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
    {S(NBR_INIT), NBR_EV_1WAY, NBR_ACT_NONE, NBR_SAME},
    /* The end of a neighbour, whatever its state. */
    {ANY, NBR_EV_KILL, NBR_ACT_KILL, NBR_DOWN},
    {ANY, NBR_EV_INACTIVITY, NBR_ACT_KILL, NBR_DOWN},
    {ANY, NBR_EV_LL_DOWN, NBR_ACT_KILL, NBR_DOWN},
};

int
ospf_nbr_fsm(int state, int event, int *action, int *next)
{
	size_t i;

	if (state < 0 || state >= NBR_NSTATES)
		return -1;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!(table[i].states & S(state)) || table[i].event != event)
			continue;
		*action = table[i].action;
		*next = table[i].next == NBR_SAME ? state : table[i].next;
		return 0;
	}
	return -1;
}

const char *
ospf_nbr_state_name(int state)
{
	static const char *const s[NBR_NSTATES] = {
	    [NBR_DOWN] = "Down",
	    [NBR_ATTEMPT] = "Attempt",
	    [NBR_INIT] = "Init",
	    [NBR_2WAY] = "2-Way",
	    [NBR_EXSTART] = "ExStart",
	    [NBR_EXCHANGE] = "Exchange",
	    [NBR_LOADING] = "Loading",
	    [NBR_FULL] = "Full",
	};

	return state >= 0 && state < NBR_NSTATES ? s[state] : "?";
}

const char *
ospf_nbr_event_name(int event)
{
	static const char *const s[NBR_NEVENTS] = {
	    [NBR_EV_HELLO] = "HelloReceived",
	    [NBR_EV_2WAY] = "2-WayReceived",
	    [NBR_EV_NEG_DONE] = "NegotiationDone",
	    [NBR_EV_EXCH_DONE] = "ExchangeDone",
	    [NBR_EV_BAD_LSREQ] = "BadLSReq",
	    [NBR_EV_LOAD_DONE] = "LoadingDone",
	    [NBR_EV_ADJ_OK] = "AdjOK?",
	    [NBR_EV_SEQ_MISMATCH] = "SeqNumberMismatch",
	    [NBR_EV_1WAY] = "1-WayReceived",
	    [NBR_EV_KILL] = "KillNbr",
	    [NBR_EV_INACTIVITY] = "InactivityTimer",
	    [NBR_EV_LL_DOWN] = "LLDown",
	};

	return event >= 0 && event < NBR_NEVENTS ? s[event] : "?";
}
