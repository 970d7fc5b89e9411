/*
 * modules.c: the module table, in dependency order; stop runs it backwards.
 * Modules join here as they land.
 */
#include <stddef.h>

#include "daemon/linkcheck.h"
#include "daemon/linkwatch.h"
#include "daemon/log.h"
#include "daemon/module.h"
#include "ddns/ddns.h"
#include "ike/ike.h"
#include "ospf/ospf.h"
#include "ospf/watch.h"
#include "xfrm/mss.h"
#include "xfrm/xfrm.h"

/*
 * xfrm first: the others install through it and watch its monitor; then
 * the check of the file's interfaces against the table xfrm has filled.
 */
static const struct tsunagi_module *const modules[] = {
    &xfrm_module,
    &linkcheck_module,
    &linkwatch_module,
    &ddns_module,
    &ike_module,
    &xfrm_mss_module,
    &ospf_rib_module,
    &ospf_watch_module,
    &ospf_static_module,
    &ospf_speaker_module,
};

#define NMODULES (sizeof(modules) / sizeof(modules[0]))

static size_t modules_started;

int
modules_start(const struct conf *conf)
{
	for (modules_started = 0; modules_started < NMODULES;
	     modules_started++) {
		const struct tsunagi_module *m = modules[modules_started];

		if (m->start == NULL)
			continue;
		if (m->start(conf) == -1) {
			log_warnx("%s: start failed", m->name);
			modules_stop();
			return -1;
		}
	}
	return 0;
}

int
modules_reload(const struct conf *old, const struct conf *new)
{
	size_t i;
	int r = 0;

	for (i = 0; i < modules_started; i++) {
		const struct tsunagi_module *m = modules[i];

		if (m->reload == NULL)
			continue;
		if (m->reload(old, new) == -1) {
			log_warnx("%s: reload failed, keeping its old state",
			    m->name);
			r = -1;
		}
	}
	return r;
}

void
modules_stop(void)
{
	while (modules_started > 0) {
		const struct tsunagi_module *m = modules[--modules_started];

		if (m->stop != NULL)
			m->stop();
	}
}

void
modules_status(struct ctl_conn *c)
{
	size_t i;

	for (i = 0; i < modules_started; i++)
		if (modules[i]->status != NULL)
			modules[i]->status(c);
}

void
modules_metrics(struct ctl_conn *c)
{
	size_t i;

	for (i = 0; i < modules_started; i++)
		if (modules[i]->metrics != NULL)
			modules[i]->metrics(c);
}
