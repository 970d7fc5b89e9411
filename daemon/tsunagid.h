/*
 * tsunagid.h: the daemon's own state, shared by main and the core control
 * commands (status, running-config, reload).
 */
#ifndef TSUNAGI_TSUNAGID_H
#define TSUNAGI_TSUNAGID_H

#include <stdint.h>
#include <time.h>

struct conf;

struct tsunagid_state {
	const char *conf_path;
	const char *sock_path;
	const char *pid_path;
	struct conf *conf; /* the running configuration */
	time_t started;
	uint64_t started_ms;
	unsigned reloads, reload_failures;
	time_t last_reload;
	char last_reload_result[256];
};

extern struct tsunagid_state tsunagid;

int tsunagid_reload(void);
int ctl_core_register(void);
/* show_if.c: "show interface [NAME]". */
int show_if_register(void);

#endif
