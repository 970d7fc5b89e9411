/*
 * test_nbr_fsm: the neighbour state table (RFC 2328 10.3) for
 * point-to-point links, walked whole: the way up to Full, every way
 * back, and every pair of state and event, which has either exactly
 * the RFC's transition or none.
 */
#include "ospf/nbr_fsm.c"

#include "tests/unit/tap.h"

struct step {
	int state, event, action, next;
};

/* Every transition the table has, as the RFC words them for p2p. */
static const struct step rfc[] = {
    {NBR_DOWN, NBR_EV_HELLO, NBR_ACT_START_INACT, NBR_INIT},
    {NBR_INIT, NBR_EV_2WAY, NBR_ACT_ADJ_START, NBR_EXSTART},
    {NBR_2WAY, NBR_EV_ADJ_OK, NBR_ACT_ADJ_START, NBR_EXSTART},
    {NBR_EXSTART, NBR_EV_NEG_DONE, NBR_ACT_EXCHANGE, NBR_EXCHANGE},
    {NBR_EXCHANGE, NBR_EV_EXCH_DONE, NBR_ACT_EXCH_DONE, NBR_NEXT_BY_ACTION},
    {NBR_LOADING, NBR_EV_LOAD_DONE, NBR_ACT_FULL, NBR_FULL},
    {NBR_EXCHANGE, NBR_EV_SEQ_MISMATCH, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_LOADING, NBR_EV_SEQ_MISMATCH, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_FULL, NBR_EV_SEQ_MISMATCH, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_EXCHANGE, NBR_EV_BAD_LSREQ, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_LOADING, NBR_EV_BAD_LSREQ, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_FULL, NBR_EV_BAD_LSREQ, NBR_ACT_RESTART, NBR_EXSTART},
    {NBR_2WAY, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
    {NBR_EXSTART, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
    {NBR_EXCHANGE, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
    {NBR_LOADING, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
    {NBR_FULL, NBR_EV_1WAY, NBR_ACT_CLEAR, NBR_INIT},
};

/* Events that keep the state, with or without an action. */
static int
keeps(int state, int event, int *action)
{
	if (event == NBR_EV_HELLO && state >= NBR_INIT &&
	    state != NBR_ATTEMPT) {
		*action = NBR_ACT_START_INACT;
		return 1;
	}
	*action = NBR_ACT_NONE;
	if (event == NBR_EV_2WAY && state >= NBR_2WAY)
		return 1;
	if (event == NBR_EV_ADJ_OK && state >= NBR_EXSTART)
		return 1;
	return event == NBR_EV_1WAY && state == NBR_INIT;
}

static int
expected(int state, int event, int *action, int *next)
{
	size_t i;

	if (event == NBR_EV_KILL || event == NBR_EV_INACTIVITY ||
	    event == NBR_EV_LL_DOWN) {
		*action = NBR_ACT_KILL;
		*next = NBR_DOWN;
		return 0;
	}
	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		if (rfc[i].state == state && rfc[i].event == event) {
			*action = rfc[i].action;
			*next = rfc[i].next;
			return 0;
		}
	if (keeps(state, event, action)) {
		*next = state;
		return 0;
	}
	return -1;
}

static void
test_every_pair(void)
{
	int s, e, bad = 0, pairs = 0, defined = 0;

	for (s = 0; s < NBR_NSTATES; s++)
		for (e = 0; e < NBR_NEVENTS; e++) {
			int a = -9, n = -9, wa = -9, wn = -9;
			int got = ospf_nbr_fsm(s, e, &a, &n);
			int want = expected(s, e, &wa, &wn);

			pairs++;
			defined += got == 0;
			if (got != want || (got == 0 && (a != wa || n != wn))) {
				bad++;
				printf("# %s x %s: got %d (%d, %d), want %d "
				       "(%d, %d)\n",
				    ospf_nbr_state_name(s),
				    ospf_nbr_event_name(e), got, a, n, want, wa,
				    wn);
			}
		}
	is_int(bad, 0,
	    "all %d state x event pairs as RFC 2328 10.3 says "
	    "(%d defined)",
	    pairs, defined);
}

static void
test_up_and_down(void)
{
	static const int up[] = {NBR_EV_HELLO, NBR_EV_2WAY, NBR_EV_NEG_DONE};
	int s = NBR_DOWN, a, n;
	size_t i;

	for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
		ospf_nbr_fsm(s, up[i], &a, &n);
		s = n;
	}
	is_int(s, NBR_EXCHANGE, "Hello, 2-Way, NegotiationDone: Exchange");
	ospf_nbr_fsm(s, NBR_EV_EXCH_DONE, &a, &n);
	ok(a == NBR_ACT_EXCH_DONE && n == NBR_NEXT_BY_ACTION,
	    "ExchangeDone: the request list picks Loading or Full");
	ospf_nbr_fsm(NBR_LOADING, NBR_EV_LOAD_DONE, &a, &n);
	is_int(n, NBR_FULL, "LoadingDone: Full");
	ok(ospf_nbr_fsm(NBR_DOWN, NBR_EV_2WAY, &a, &n) < 0,
	    "a neighbour never heard cannot be 2-Way");
	ok(ospf_nbr_fsm(NBR_EXSTART, NBR_EV_LOAD_DONE, &a, &n) < 0,
	    "no LoadingDone before the exchange");
	ok(ospf_nbr_fsm(NBR_NSTATES, NBR_EV_HELLO, &a, &n) < 0 &&
	        ospf_nbr_fsm(-1, NBR_EV_HELLO, &a, &n) < 0,
	    "states out of range are refused");
	is_str(ospf_nbr_state_name(NBR_FULL), "Full", "names: Full");
	is_str(ospf_nbr_event_name(NBR_EV_SEQ_MISMATCH), "SeqNumberMismatch",
	    "names: SeqNumberMismatch");
	is_str(ospf_nbr_state_name(99), "?", "names: out of range");
}

int
main(void)
{
	test_every_pair();
	test_up_and_down();
	return tap_done();
}
