/*
 * ctl_core.c: the daemon's own control commands: show version, show
 * status, show running-config and reload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>
#include <unbound.h>

#include "config.h"
#include "conf/conf.h"
#include "daemon/ctl.h"
#include "daemon/event.h"
#include "daemon/evlog.h"
#include "daemon/metrics.h"
#include "daemon/module.h"
#include "daemon/tsunagid.h"

static void
rec_time(struct ctl_conn *c, const char *key, time_t t)
{
	char s[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ctl_rec_str(c, key, s);
}

static int
show_version(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	ctl_rec_begin(c, "version");
	ctl_rec_str(c, "tsunagid", PACKAGE_VERSION);
	ctl_rec_str(c, "openssl", OpenSSL_version(OPENSSL_VERSION_STRING));
	ctl_rec_str(c, "libsodium", sodium_version_string());
	ctl_rec_str(c, "libunbound", ub_version());
	ctl_rec_end(c);
	return 0;
}

static int
show_status(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	ctl_rec_begin(c, "status");
	ctl_rec_str(c, "version", PACKAGE_VERSION);
	ctl_rec_int(c, "pid", (long long)getpid());
	rec_time(c, "started", tsunagid.started);
	ctl_rec_uint(c, "uptime", (ev_now() - tsunagid.started_ms) / 1000);
	ctl_rec_str(c, "config", tsunagid.conf_path);
	ctl_rec_uint(c, "reloads", tsunagid.reloads);
	ctl_rec_uint(c, "reload_failures", tsunagid.reload_failures);
	ctl_rec_str(c, "last_reload", tsunagid.last_reload_result);
	ctl_rec_int(c, "control_clients", ctl_client_count());
	ctl_rec_end(c);
	modules_status(c);
	return 0;
}

/* One "text" record per line: tsunagictl prints these verbatim. */
static int
show_running_config(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return ctl_fail(c, "out of memory");
	if (conf_print(tsunagid.conf, f, 0) == -1 || fclose(f) == EOF) {
		free(text);
		return ctl_fail(c, "cannot print the configuration");
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		ctl_rec_begin(c, "text");
		ctl_rec_str(c, "line", line);
		ctl_rec_end(c);
	}
	free(text);
	return 0;
}

static int
reload(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	if (tsunagid_reload() == -1)
		return ctl_fail(c, "%s", tsunagid.last_reload_result);
	ctl_rec_begin(c, "reload");
	ctl_rec_str(c, "result", tsunagid.last_reload_result);
	ctl_rec_end(c);
	return 0;
}

/*
 * A stream of events (evlog.h), one record each, until the client hangs
 * up; the first record says when it began.
 */
static int
monitor(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	ctl_rec_begin(c, "monitor");
	rec_time(c, "since", time(NULL));
	ctl_rec_str(c, "events", EVLOG_EVENTS);
	ctl_rec_end(c);
	return ctl_stream(c);
}

/* The events seen since start, by kind and object (evlog.h). */
static void
metrics_events(struct ctl_conn *c)
{
	const struct evlog_count *e;
	size_t n = evlog_counts(&e), i;

	metric_family(c, "tsunagi_events", "counter",
	    "Events as tsunagictl monitor shows them, by event and object.");
	for (i = 0; i < n; i++) {
		metric_begin(c, "tsunagi_events");
		ctl_rec_str(c, "event", e[i].event);
		ctl_rec_str(c, "object", e[i].object);
		metric_uint(c, e[i].n);
	}
}

/*
 * OpenMetrics, once tsunagictl prints it: the daemon's own families,
 * the events, then each module's.
 */
static int
show_metrics(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	metric_family(c, "tsunagi_build_info", "gauge",
	    "The running tsunagid's version.");
	metric_begin(c, "tsunagi_build_info");
	ctl_rec_str(c, "version", PACKAGE_VERSION);
	metric_uint(c, 1);
	metric_single(c, "tsunagi_start_time_seconds", "gauge",
	    "When tsunagid started, in seconds since the epoch.",
	    (uint64_t)tsunagid.started);
	metric_single(c, "tsunagi_reloads", "counter",
	    "Configuration reloads applied.",
	    tsunagid.reloads);
	metric_single(c, "tsunagi_reload_failures", "counter",
	    "Reloads refused (a file with errors) or not wholly applied.",
	    tsunagid.reload_failures);
	metric_single(c, "tsunagi_control_clients", "gauge",
	    "Clients of the control socket now, monitors included.",
	    (uint64_t)ctl_client_count());
	metrics_events(c);
	modules_metrics(c);
	return 0;
}

int
ctl_core_register(void)
{
	if (ctl_register("show version", 0, "versions of tsunagid and its "
	    "libraries", show_version, NULL) == -1 ||
	    ctl_register("show status", 0, "daemon status", show_status,
	    NULL) == -1 ||
	    ctl_register("show running-config", 0, "the configuration in "
	    "use, secrets masked", show_running_config, NULL) == -1 ||
	    ctl_register("reload", 0, "re-read the configuration file", reload,
	    NULL) == -1 || show_if_register() == -1 ||
	    ctl_register("show metrics", 0, "counters and gauges, as "
	    "OpenMetrics text", show_metrics, NULL) == -1 ||
	    ctl_register("monitor", 0, "a stream of events, one a line, until "
	    "interrupted", monitor, NULL) == -1)
		return -1;
	return 0;
}
