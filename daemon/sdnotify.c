/*
 * sdnotify.c: readiness, reload, stop and watchdog notifications to a
 * service manager (systemd's Type=notify), with a plain datagram socket:
 * the protocol is a documented interface, not worth a library.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/sdnotify.h"

static struct {
	int fd;
	struct sockaddr_un sun;
	socklen_t len;
	uint64_t watchdog_ms;
} sdn = {.fd = -1};

/* "/path" or "@abstract"; the address, its length, or -1. */
static int
sdnotify_addr(const char *name)
{
	size_t n = strlen(name);

	if (n < 2 || n >= sizeof(sdn.sun.sun_path) ||
	    (name[0] != '/' && name[0] != '@'))
		return -1;
	sdn.sun.sun_family = AF_UNIX;
	memcpy(sdn.sun.sun_path, name, n);
	if (name[0] == '@')
		sdn.sun.sun_path[0] = '\0';
	/* An abstract name is exactly its bytes; a path ends at its NUL. */
	sdn.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
	                      (name[0] == '/'));
	return 0;
}

/* $WATCHDOG_USEC counts only for us: $WATCHDOG_PID, if set, names us. */
static void
sdnotify_watchdog(void)
{
	const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	char *end;
	unsigned long long v;

	if (us == NULL)
		return;
	errno = 0;
	v = strtoull(us, &end, 10);
	if (errno == 0 && *end == '\0' && v > 0 &&
	    (pid == NULL || strtol(pid, NULL, 10) == (long)getpid()))
		sdn.watchdog_ms = v / 1000 ? v / 1000 : 1;
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int
sdnotify_init(void)
{
	const char *name = getenv("NOTIFY_SOCKET");
	int r = 0;

	if (name == NULL)
		return 0;
	if (sdnotify_addr(name) == -1) {
		log_warnx("NOTIFY_SOCKET=\"%s\" is not a socket name; the "
		          "service manager will not hear from tsunagid",
		    name);
		r = -1;
	} else if ((sdn.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) ==
	           -1) {
		log_warn("notify socket");
		r = -1;
	} else {
		sdnotify_watchdog();
		r = 1;
	}
	unsetenv("NOTIFY_SOCKET");
	return r;
}

int
sdnotify_active(void)
{
	return sdn.fd != -1;
}

uint64_t
sdnotify_watchdog_ms(void)
{
	return sdn.fd == -1 ? 0 : sdn.watchdog_ms;
}

int
sdnotify(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	if (sdn.fd == -1)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = (int)strlen(msg);
	if (sendto(sdn.fd, msg, (size_t)n, MSG_NOSIGNAL,
	        (const struct sockaddr *)&sdn.sun, sdn.len) == -1) {
		log_warn("notifying the service manager");
		return -1;
	}
	return 0;
}

void
sdnotify_close(void)
{
	if (sdn.fd != -1)
		close(sdn.fd);
	sdn.fd = -1;
}
