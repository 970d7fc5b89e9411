/*
 * module.c: xfrm as a tsunagid module.  Start opens the netlink sockets,
 * removes what a crashed run left behind and fills the interface table;
 * stop removes everything tsunagi installed (the other modules, stopped
 * before us, took their own first).
 */
#include <stddef.h>

#include "daemon/module.h"
#include "xfrm/iftab.h"
#include "xfrm/xfrm.h"

static int
xfrm_mod_start(const struct conf *conf)
{
	(void)conf;
	if (xfrm_init() == -1)
		return -1;
	/* A failure here is logged per object; the daemon can still run. */
	xfrm_cleanup(NULL);
	if (xfrm_iftab_start() == -1) {
		xfrm_fini();
		return -1;
	}
	return 0;
}

static void
xfrm_mod_stop(void)
{
	xfrm_iftab_stop();
	xfrm_cleanup(NULL);
	xfrm_fini();
}

const struct tsunagi_module xfrm_module = {
    .name = "xfrm",
    .start = xfrm_mod_start,
    .reload = NULL, /* nothing configurable: the users carry the config */
    .stop = xfrm_mod_stop,
};
