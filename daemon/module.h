/*
 * module.h: a protocol module is a struct of hooks (BIRD style).  tsunagid
 * calls them in table order to start, in the same order on reload, and in
 * reverse order to stop.  Each module registers its own control commands in
 * start().
 */
#ifndef TSUNAGI_MODULE_H
#define TSUNAGI_MODULE_H

struct conf;
struct ctl_conn;

struct tsunagi_module {
	const char *name;
	/* Bring the module up with the first configuration.  -1 aborts start. */
	int (*start)(const struct conf *conf);
	/*
	 * Move from `old` to `new`, both valid.  A module that cannot apply a
	 * change must leave its old state in place and return -1.
	 */
	int (*reload)(const struct conf *old, const struct conf *new);
	/* Remove everything the module installed (kernel state, sockets). */
	void (*stop)(void);
	/*
	 * Optional: the records this module adds to "show status", a line
	 * or two per object a person would ask about first (a tunnel that is
	 * down and why); the details stay in the module's own show command.
	 */
	void (*status)(struct ctl_conn *c);
	/* Optional: this module's families for "show metrics" (metrics.h). */
	void (*metrics)(struct ctl_conn *c);
};

int modules_start(const struct conf *conf);
int modules_reload(const struct conf *old, const struct conf *new);
void modules_stop(void);
/* Every started module's status records, in table order. */
void modules_status(struct ctl_conn *c);
/* Every started module's metrics, in table order. */
void modules_metrics(struct ctl_conn *c);

#endif
