/*
 * nft.c: runs nft(8) with a script on its standard input.  The command
 * rather than libnftables: no library to link for a few rules, and the
 * table it makes is the one the user reads with the same command.  nft
 * -f applies a script all or nothing, so the table is never half made.
 * While the daemon runs, nft runs beside the loop (its SIGCHLD comes
 * through the loop's signalfd: a pidfd would be neater, but valgrind
 * does not know pidfd_open); on the way out it is waited for, briefly.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "xfrm/nft.h"

#define NFT_SCRIPT_MAX 32768
#define NFT_ERR_MAX    512

static struct {
	pid_t pid; /* 0: none running */
	int errfd;
	xfrm_nft_done_cb *cb;
	void *arg;
} job = {0, -1, NULL, NULL};

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

/* in: a pipe that already holds the script; err: for what nft says. */
static int
nft_pipes(const char *script, int in[2], int err[2])
{
	size_t len = strlen(script);

	if (len > NFT_SCRIPT_MAX) {
		log_warnx("nft: a script of %zu bytes is too long", len);
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) == -1) {
		log_warn("nft: pipe");
		return -1;
	}
	/* A pipe holds 64 KiB: the whole script, before nft reads a byte. */
	if (write(in[1], script, len) != (ssize_t)len) {
		log_warn("nft: writing the script");
	} else if (pipe2(err, O_CLOEXEC) == -1) {
		log_warn("nft: pipe");
	} else {
		close(in[1]);
		return 0;
	}
	close(in[0]);
	close(in[1]);
	return -1;
}

static int
nft_spawn(const char *script, pid_t *pid, int *errfd)
{
	static char *const envp[] = {
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
	char *const argv[] = {(char *)TSUNAGI_NFT, "-f", "/dev/stdin", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int in[2], err[2], r = ENOMEM;

	if (nft_pipes(script, in, err) == -1)
		return -1;
	if (nft_actions(&fa, in[0], err[1]) == 0) {
		if (nft_attr(&at) == 0) {
			r = posix_spawn(pid, TSUNAGI_NFT, &fa, &at, argv, envp);
			posix_spawnattr_destroy(&at);
		}
		posix_spawn_file_actions_destroy(&fa);
	}
	close(in[0]);
	close(err[1]);
	if (r != 0) {
		errno = r;
		log_warn("nft: cannot run %s", TSUNAGI_NFT);
		close(err[0]);
		return -1;
	}
	*errfd = err[0];
	return 0;
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

/* What the ended nft did (st from waitpid); 1 if it succeeded. */
static int
nft_result(int st, int errfd, char *err, size_t errlen)
{
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

/*
 * Waits for pid at most timeout_ms (-1: for ever), then kills it; its
 * waitpid status.  For the exit path and for when SIGCHLD cannot come
 * through the loop.
 */
static int
nft_wait(pid_t pid, int timeout_ms)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	int st, waited = 0;
	pid_t r;

	while ((r = waitpid(pid, &st, timeout_ms < 0 ? 0 : WNOHANG)) == 0 ||
	       (r == -1 && errno == EINTR)) {
		if (r == 0 && waited >= timeout_ms) {
			log_warnx("nft: still running after %d ms: killed",
			    timeout_ms);
			kill(pid, SIGKILL);
			timeout_ms = -1;
			continue;
		}
		if (r == 0) {
			nanosleep(&tick, NULL);
			waited += 10;
		}
	}
	return r == pid ? st : W_EXITCODE(127, 0);
}

static void
nft_finish(int st)
{
	xfrm_nft_done_cb *cb = job.cb;
	void *arg = job.arg;
	char err[NFT_ERR_MAX];
	int ok;

	ok = nft_result(st, job.errfd, err, sizeof(err));
	job.pid = 0;
	job.errfd = -1;
	job.cb = NULL;
	if (cb != NULL)
		cb(ok, err, arg);
}

/* SIGCHLD through the loop's signalfd: is it ours, and has it ended? */
static void
nft_sigchld(int signo, void *arg)
{
	int st;

	(void)signo;
	(void)arg;
	if (job.pid != 0 && waitpid(job.pid, &st, WNOHANG) == job.pid)
		nft_finish(st);
}

int
xfrm_nft_start(const char *script, xfrm_nft_done_cb *cb, void *arg)
{
	static int sigchld = -1;
	pid_t pid;
	int errfd;

	if (job.pid != 0)
		return -1;
	/* Before the child exists, so that its SIGCHLD is not missed. */
	if (sigchld == -1)
		sigchld = ev_signal_add(SIGCHLD, nft_sigchld, NULL);
	if (nft_spawn(script, &pid, &errfd) == -1)
		return -1;
	job.pid = pid;
	job.errfd = errfd;
	job.cb = cb;
	job.arg = arg;
	/* No loop to tell us: nft is quick, wait for it here. */
	if (sigchld == -1)
		nft_finish(nft_wait(pid, -1));
	return 0;
}

int
xfrm_nft_run_wait(
    const char *script, unsigned timeout_ms, char *err, size_t errlen)
{
	pid_t pid;
	int errfd;

	if (job.pid != 0)
		nft_finish(nft_wait(job.pid, (int)timeout_ms));
	err[0] = '\0';
	if (nft_spawn(script, &pid, &errfd) == -1) {
		snprintf(err, errlen, "cannot run %s", TSUNAGI_NFT);
		return -1;
	}
	return nft_result(nft_wait(pid, (int)timeout_ms), errfd, err, errlen)
	           ? 0
	           : -1;
}
