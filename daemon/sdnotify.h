/*
 * sdnotify.h: the service manager's readiness protocol (sd_notify(3)),
 * spoken without libsystemd: one datagram of "KEY=value" lines to the
 * socket named by $NOTIFY_SOCKET.  Without that variable every call is a
 * no-op, so the daemon calls these unconditionally.
 */
#ifndef TSUNAGI_SDNOTIFY_H
#define TSUNAGI_SDNOTIFY_H

#include <stdint.h>

/* Reads and unsets $NOTIFY_SOCKET and $WATCHDOG_USEC (children must not
 * see them); 1 when a service manager listens, 0 when not, -1 when the
 * variable is set but unusable. */
int sdnotify_init(void);
int sdnotify_active(void);
/* Send one state, e.g. "READY=1\nSTATUS=running"; 0, or -1 (logged). */
int sdnotify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The watchdog interval the manager asked for, in ms; 0 when none. */
uint64_t sdnotify_watchdog_ms(void);
void sdnotify_close(void);

#endif
