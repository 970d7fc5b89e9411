/*
 * pidfile.c: create, lock and remove the pid file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "daemon/log.h"
#include "daemon/pidfile.h"

static int pidfile_fd = -1;
static char *pidfile_path;

int
pidfile_open(const char *path)
{
	char line[32];
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1) {
		log_warn("pid file %s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = (int)read(fd, line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		line[strcspn(line, "\n")] = '\0';
		log_warnx("tsunagid is already running (pid %s, pid file %s)",
		    line[0] ? line : "?", path);
		close(fd);
		return -1;
	}
	n = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, line, (size_t)n) != n) {
		log_warn("write %s", path);
		close(fd);
		return -1;
	}
	pidfile_fd = fd;
	pidfile_path = strdup(path);
	return 0;
}

void
pidfile_remove(void)
{
	if (pidfile_fd == -1)
		return;
	if (pidfile_path)
		unlink(pidfile_path);
	close(pidfile_fd);
	pidfile_fd = -1;
	free(pidfile_path);
	pidfile_path = NULL;
}
