/*
 * evlog.c: one record per event, streamed to the control socket's
 * monitors, and a count per (event, object) for the metrics.  The table
 * is small and bounded: objects are tunnels, interfaces, groups and
 * profiles of the configuration, a few dozen at most.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon/buf.h"
#include "daemon/ctl.h"
#include "daemon/ctl_proto.h"
#include "daemon/evlog.h"

#define EVLOG_MAX 512 /* pairs counted; later ones count under "other" */

static struct {
	struct evlog_count c[EVLOG_MAX];
	size_t n;
} evl;

static void
evlog_count(const char *event, const char *object)
{
	size_t i;

	for (i = 0; i < evl.n; i++)
		if (strcmp(evl.c[i].event, event) == 0 &&
		    strcmp(evl.c[i].object, object) == 0)
			break;
	if (i == evl.n) {
		if (evl.n == EVLOG_MAX) {
			i = EVLOG_MAX - 1; /* the last slot: "other" */
			snprintf(
			    evl.c[i].event, sizeof(evl.c[i].event), "other");
			snprintf(
			    evl.c[i].object, sizeof(evl.c[i].object), "other");
		} else {
			snprintf(evl.c[i].event, sizeof(evl.c[i].event), "%s",
			    event);
			snprintf(evl.c[i].object, sizeof(evl.c[i].object), "%s",
			    object);
			evl.n++;
		}
	}
	evl.c[i].n++;
}

/* "2026-12-06T13:15:02.123Z": when, to the millisecond, in UTC. */
static void
evlog_time(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char s[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03ldZ", s, ts.tv_nsec / 1000000);
}

void
evlog(const char *event, const char *object, const char *fmt, ...)
{
	char msg[512], when[64];
	struct buf b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	evlog_count(event, object);
	if (ctl_stream_count() == 0)
		return;
	evlog_time(when, sizeof(when));
	buf_init(&b, 2048);
	if (ctl_enc_begin(&b, "event") == 0 &&
	    ctl_enc_str(&b, "time", when) == 0 &&
	    ctl_enc_str(&b, "event", event) == 0 &&
	    ctl_enc_str(&b, "object", object) == 0 &&
	    ctl_enc_str(&b, "detail", msg) == 0 && ctl_enc_end(&b) == 0)
		ctl_stream_send(b.data, b.len);
	buf_free(&b);
}

size_t
evlog_counts(const struct evlog_count **out)
{
	*out = evl.c;
	return evl.n;
}

void
evlog_reset(void)
{
	evl.n = 0;
}
