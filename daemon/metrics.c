/*
 * metrics.c: the records of "show metrics": "metric-family" (name, kind,
 * help) and "metric" (name, labels as strings, value as a number).
 */
#include <inttypes.h>
#include <stdio.h>

#include "daemon/ctl.h"
#include "daemon/metrics.h"

void
metric_family(
    struct ctl_conn *c, const char *name, const char *kind, const char *help)
{
	ctl_rec_begin(c, "metric-family");
	ctl_rec_str(c, "name", name);
	ctl_rec_str(c, "kind", kind);
	ctl_rec_str(c, "help", help);
	ctl_rec_end(c);
}

void
metric_begin(struct ctl_conn *c, const char *name)
{
	ctl_rec_begin(c, "metric");
	ctl_rec_str(c, "name", name);
}

void
metric_uint(struct ctl_conn *c, uint64_t v)
{
	ctl_rec_uint(c, "value", v);
	ctl_rec_end(c);
}

void
metric_micro(struct ctl_conn *c, uint64_t v)
{
	char lit[40];

	snprintf(lit, sizeof(lit), "%" PRIu64 ".%06" PRIu64, v / 1000000,
	    v % 1000000);
	ctl_rec_lit(c, "value", lit);
	ctl_rec_end(c);
}

void
metric_single(struct ctl_conn *c, const char *name, const char *kind,
    const char *help, uint64_t v)
{
	metric_family(c, name, kind, help);
	metric_begin(c, name);
	metric_uint(c, v);
}
