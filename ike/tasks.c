/*
 * tasks.c: the state machine as two tables.  ike_tasks: the exchanges we
 * start, each a build step (our request) and a process step (the answer),
 * run one at a time in this order of priority.  ike_responders: which
 * request the peer may send in which state, and the step that answers
 * it; anything else is dropped unanswered (IKE_SA_INIT requests, which
 * have no SA yet, are ctx.c's).
 */
#include "ike/sa.h"

const struct ike_task ike_tasks[IKE_TASK_N] = {
	[IKE_TASK_INIT] = { IKE_EXCH_IKE_SA_INIT, "IKE_SA_INIT",
	    ike_init_build, ike_init_process },
	[IKE_TASK_AUTH] = { IKE_EXCH_IKE_AUTH, "IKE_AUTH", ike_auth_build,
	    ike_auth_process },
	[IKE_TASK_DELETE_IKE] = { IKE_EXCH_INFORMATIONAL, "DELETE(IKE)",
	    ike_delete_ike_build, ike_delete_ike_process },
	[IKE_TASK_DELETE_CHILD] = { IKE_EXCH_INFORMATIONAL, "DELETE(ESP)",
	    ike_delete_child_build, ike_delete_child_process },
	[IKE_TASK_PATH_DOWN] = { IKE_EXCH_INFORMATIONAL, "INFORMATIONAL(path down)",
	    ike_pathdown_build, ike_pathdown_process },
	[IKE_TASK_REKEY_CHILD] = { IKE_EXCH_CREATE_CHILD_SA,
	    "CREATE_CHILD_SA(rekey)", ike_rekey_child_build,
	    ike_rekey_child_process },
	[IKE_TASK_REKEY_IKE] = { IKE_EXCH_CREATE_CHILD_SA,
	    "CREATE_CHILD_SA(IKE rekey)", ike_rekey_ike_build,
	    ike_rekey_ike_process },
	[IKE_TASK_DPD] = { IKE_EXCH_INFORMATIONAL, "INFORMATIONAL(liveness)",
	    ike_dpd_build, ike_dpd_process },
};

#define ST_UP \
	(IKE_ST(IKE_ST_ESTABLISHED) | IKE_ST(IKE_ST_DELETING) | \
	    IKE_ST(IKE_ST_REKEYED))

const struct ike_respond ike_responders[] = {
	{ IKE_EXCH_IKE_AUTH, IKE_ST(IKE_ST_INIT_R), ike_auth_respond },
	/* A rekeyed SA answers TEMPORARY_FAILURE (2.25.2). */
	{ IKE_EXCH_CREATE_CHILD_SA,
	    IKE_ST(IKE_ST_ESTABLISHED) | IKE_ST(IKE_ST_REKEYED),
	    ike_ccs_respond },
	/* A DELETE or liveness check may cross our IKE_AUTH's answer. */
	{ IKE_EXCH_INFORMATIONAL, ST_UP | IKE_ST(IKE_ST_AUTH_I),
	    ike_info_respond },
};

const size_t ike_nresponders =
    sizeof(ike_responders) / sizeof(ike_responders[0]);
