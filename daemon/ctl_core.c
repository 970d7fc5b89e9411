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
	    NULL) == -1 || show_if_register() == -1)
		return -1;
	return 0;
}
