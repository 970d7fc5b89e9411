/*
 * metrics.h: "show metrics" records, which tsunagictl prints as
 * OpenMetrics text.  A family first (name, counter or gauge, help), then
 * its samples: labels with ctl_rec_str(), then the value.  A counter's
 * samples are named NAME_total on the wire of OpenMetrics; here NAME.
 */
#ifndef TSUNAGI_METRICS_H
#define TSUNAGI_METRICS_H

#include <stdint.h>

struct ctl_conn;

void metric_family(
    struct ctl_conn *c, const char *name, const char *kind, const char *help);
/* A sample of the family `name`; labels follow, then one of the ends. */
void metric_begin(struct ctl_conn *c, const char *name);
void metric_uint(struct ctl_conn *c, uint64_t v);
/* v / 10^6, for seconds counted in microseconds. */
void metric_micro(struct ctl_conn *c, uint64_t v);
/* A family of one sample without labels. */
void metric_single(struct ctl_conn *c, const char *name, const char *kind,
    const char *help, uint64_t v);

#endif
