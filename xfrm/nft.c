/*
 * nft.c: runs nft(8) with a script on its standard input.  The command
 * rather than libnftables: no library to link for a few rules, and the
 * table it makes is the one the user reads with the same command.  nft
 * -f applies a script all or nothing, so the table is never half made.
 * While the daemon runs, nft runs beside the loop (a pidfd tells when
 * it has ended); on the way out it is waited for, briefly.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "xfrm/nft.h"

#define NFT_SCRIPT_MAX 32768
#define NFT_ERR_MAX    512

static struct {
	pid_t pid; /* 0: none running */
	int pidfd, errfd;
	struct ev_io *io;
	xfrm_nft_done_cb *cb;
	void *arg;
} job = {0, -1, -1, NULL, NULL, NULL};

const char *
xfrm_nft_path(void)
{
	return TSUNAGI_NFT;
}

int
xfrm_nft_available(void)
{
	return access(TSUNAGI_NFT, X_OK) == 0;
}

int
xfrm_nft_busy(void)
{
	return job.pid != 0;
}

/* nft gets the script, a pipe for what it says, and nothing else. */
static int
nft_actions(posix_spawn_file_actions_t *fa, int in, int err)
{
	if (posix_spawn_file_actions_init(fa) != 0)
		return -1;
	if (posix_spawn_file_actions_adddup2(fa, in, 0) != 0 ||
	    posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0) !=
	        0 ||
	    posix_spawn_file_actions_adddup2(fa, err, 2) != 0
#ifdef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
	    || posix_spawn_file_actions_addclosefrom_np(fa, 3) != 0
#endif
	) {
		posix_spawn_file_actions_destroy(fa);
		return -1;
	}
	return 0;
}

/* The loop blocks its signals for its signalfd: nft gets them back. */
static int
nft_attr(posix_spawnattr_t *at)
{
	sigset_t none, all;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawnattr_init(at) != 0)
		return -1;
	if (posix_spawnattr_setsigmask(at, &none) != 0 ||
	    posix_spawnattr_setsigdefault(at, &all) != 0 ||
	    posix_spawnattr_setflags(
	        at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) != 0) {
		posix_spawnattr_destroy(at);
		return -1;
	}
	return 0;
}

static int
nft_spawn(const char *script, pid_t *pid, int *errfd)
{
	static char *const envp[] = {
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
	char *const argv[] = {(char *)TSUNAGI_NFT, "-f", "/dev/stdin", NULL};
	size_t len = strlen(script);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int in[2], err[2], r;

	if (len > NFT_SCRIPT_MAX) {
		log_warnx("nft: a script of %zu bytes is too long", len);
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) == -1) {
		log_warn("nft: pipe");
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) == -1) {
		log_warn("nft: pipe");
		close(in[0]);
		close(in[1]);
		return -1;
	}
	/* A pipe holds 64 KiB: the whole script, before nft reads a byte. */
	if ((r = write(in[1], script, len) == (ssize_t)len ? 0 : -1) == -1)
		log_warn("nft: writing the script");
	close(in[1]);
	if (r == 0 && nft_actions(&fa, in[0], err[1]) == 0) {
		if (nft_attr(&at) == 0) {
			r = posix_spawn(pid, TSUNAGI_NFT, &fa, &at, argv, envp);
			posix_spawnattr_destroy(&at);
		} else
			r = ENOMEM;
		posix_spawn_file_actions_destroy(&fa);
		if (r != 0) {
			errno = r;
			log_warn("nft: cannot run %s", TSUNAGI_NFT);
			r = -1;
		}
	} else if (r == 0)
		r = -1;
	close(in[0]);
	close(err[1]);
	if (r == -1)
		close(err[0]);
	else
		*errfd = err[0];
	return r;
}

/* What nft wrote to stderr, on one line, once it has ended. */
static void
nft_read_err(int fd, char *buf, size_t len)
{
	ssize_t n, off = 0;
	char *p;

	while (off < (ssize_t)len - 1 &&
	       (n = read(fd, buf + off, len - 1 - (size_t)off)) > 0)
		off += n;
	buf[off] = '\0';
	while (off > 0 && (buf[off - 1] == '\n' || buf[off - 1] == ' '))
		buf[--off] = '\0';
	for (p = buf; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

/* Reaps the ended nft; 1 if it succeeded. */
static int
nft_reap(pid_t pid, int errfd, char *err, size_t errlen)
{
	int st;

	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	nft_read_err(errfd, err, errlen);
	close(errfd);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	if (err[0] == '\0') {
		if (WIFSIGNALED(st))
			snprintf(err, errlen, "nft killed by signal %d",
			    WTERMSIG(st));
		else
			snprintf(
			    err, errlen, "nft exited with %d", WEXITSTATUS(st));
	}
	return 0;
}

static void
nft_finish(void)
{
	xfrm_nft_done_cb *cb = job.cb;
	void *arg = job.arg;
	char err[NFT_ERR_MAX];
	int ok;

	if (job.io != NULL)
		ev_io_del(job.io);
	if (job.pidfd != -1)
		close(job.pidfd);
	ok = nft_reap(job.pid, job.errfd, err, sizeof(err));
	job.pid = 0;
	job.pidfd = job.errfd = -1;
	job.io = NULL;
	job.cb = NULL;
	if (cb != NULL)
		cb(ok, err, arg);
}

static void
nft_exited(int fd, int events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	nft_finish();
}

int
xfrm_nft_start(const char *script, xfrm_nft_done_cb *cb, void *arg)
{
	pid_t pid;
	int errfd;

	if (job.pid != 0)
		return -1;
	if (nft_spawn(script, &pid, &errfd) == -1)
		return -1;
	job.pid = pid;
	job.errfd = errfd;
	job.cb = cb;
	job.arg = arg;
	job.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (job.pidfd == -1 || (job.io = ev_io_add(job.pidfd, EV_READ,
	                            nft_exited, NULL)) == NULL) {
		/* No pidfd (a kernel before 5.3): nft is quick; wait. */
		nft_finish();
	}
	return 0;
}

/* Waits for pid at most timeout_ms, then kills it; reaping is left. */
static void
nft_wait_pid(pid_t pid, int pidfd, unsigned timeout_ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	/* Without a pidfd, the reap blocks: nft is quick. */
	if (pidfd != -1 && poll(&p, 1, (int)timeout_ms) == 0) {
		log_warnx("nft: still running after %u ms: killed", timeout_ms);
		kill(pid, SIGKILL);
	}
}

int
xfrm_nft_run_wait(
    const char *script, unsigned timeout_ms, char *err, size_t errlen)
{
	pid_t pid;
	int errfd, pidfd;

	if (job.pid != 0) {
		nft_wait_pid(job.pid, job.pidfd, timeout_ms);
		nft_finish();
	}
	err[0] = '\0';
	if (nft_spawn(script, &pid, &errfd) == -1) {
		snprintf(err, errlen, "cannot run %s", TSUNAGI_NFT);
		return -1;
	}
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	nft_wait_pid(pid, pidfd, timeout_ms);
	if (pidfd != -1)
		close(pidfd);
	return nft_reap(pid, errfd, err, errlen) ? 0 : -1;
}
