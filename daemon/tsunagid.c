/*
 * tsunagid.c: start-up, the config check (-n), daemonizing, signals,
 * reload and a clean shutdown that removes everything the modules installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "conf/conf.h"
#include "daemon/caps.h"
#include "daemon/ctl.h"
#include "daemon/event.h"
#include "daemon/evlog.h"
#include "daemon/log.h"
#include "daemon/module.h"
#include "daemon/pidfile.h"
#include "daemon/sdnotify.h"
#include "daemon/tsunagid.h"
#include "daemon/export.h"

#define DEFAULT_CONF TSUNAGI_CONFDIR "/tsunagi.conf"
#define DEFAULT_SOCK TSUNAGI_RUNDIR "/tsunagid.sock"
#define DEFAULT_PID  TSUNAGI_RUNDIR "/tsunagid.pid"

struct tsunagid_state tsunagid = {
	.conf_path = DEFAULT_CONF,
	.sock_path = DEFAULT_SOCK,
	.pid_path = DEFAULT_PID,
};

static struct {
	int foreground, verbose, check, export_peer;
	int managed;  /* a service manager waits for READY=1: no fork */
	int ready_fd; /* write end of the pipe the parent waits on */
	struct ev_timer watchdog;
} opt = { .ready_fd = -1 };

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: tsunagid [-dnv] [-f config] [-s socket] "
	    "[-p pidfile]\n       tsunagid -x|--export-peer [-f config]   "
	    "(the other house's configuration)\n");
	exit(2);
}

static void
parse_args(int argc, char **argv)
{
	int ch;

	static const struct option longopts[] = {
	    {"export-peer", no_argument, NULL, 'x'},
	    {NULL, 0, NULL, 0},
	};

	while ((ch = getopt_long(argc, argv, "df:hnp:s:vVx", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'x': opt.export_peer = 1; break;
		case 'd': opt.foreground = 1; break;
		case 'f': tsunagid.conf_path = optarg; break;
		case 'n': opt.check = 1; break;
		case 'p': tsunagid.pid_path = optarg; break;
		case 's': tsunagid.sock_path = optarg; break;
		case 'v': opt.verbose++; break;
		case 'V': printf("tsunagid %s\n", PACKAGE_VERSION); exit(0);
		default: usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Diagnostics where a person will see them; frees them. */
static void
put_diags(struct conf_diags *d, int to_stderr)
{
	const struct conf_diag *g;
	char where[CONF_DIAG_WHERE];

	if (to_stderr)
		conf_diags_print(d, stderr);
	else
		for (g = d->head; g; g = g->next)
			log_warnx("%s: %s",
			    conf_diag_where(g, where, sizeof(where)), g->msg);
	conf_diags_free(d);
}

/* Parse a file and say what is wrong with it. */
static struct conf *
load_conf(const char *path, int to_stderr)
{
	struct conf_diags d;
	struct conf *c;

	conf_diags_init(&d);
	c = conf_parse_file(path, &d);
	if (c != NULL)
		conf_file_is_private(path, &d);
	put_diags(&d, to_stderr);
	return c;
}

/*
 * -n runs nothing, so no table: one look at the kernel's names, which
 * needs no privilege (the table's monitor joins XFRM groups, which does).
 */
static void
check_links_now(const struct conf *c)
{
	struct if_nameindex *ni = if_nameindex();
	const char **names;
	size_t n = 0, i;

	if (ni == NULL) {
		perror("tsunagid: the kernel's interfaces");
		return;
	}
	while (ni[n].if_name != NULL)
		n++;
	if ((names = calloc(n + 1, sizeof(*names))) != NULL) {
		struct conf_diags d;

		for (i = 0; i < n; i++)
			names[i] = ni[i].if_name;
		conf_diags_init(&d);
		conf_check_links(c, tsunagid.conf_path, names, n, &d);
		put_diags(&d, 1);
		free(names);
	}
	if_freenameindex(ni);
}

static int
check_conf(void)
{
	struct conf *c = load_conf(tsunagid.conf_path, 1);

	if (c == NULL) {
		fprintf(stderr, "%s: configuration has errors\n",
		    tsunagid.conf_path);
		return 1;
	}
	check_links_now(c);
	if (opt.verbose)
		conf_print(c, stdout, 0);
	conf_print_summary(c, stdout);
	printf("configuration OK\n");
	conf_free(c);
	return 0;
}

/* What `systemctl status` shows under the unit's name. */
static void
notify_ready(void)
{
	sdnotify("READY=1\nSTATUS=running, %u reloads (last: %s)",
	    tsunagid.reloads, tsunagid.last_reload_result);
}

/*
 * Parse, then merge: the new file must be valid as a whole before any
 * module sees it; a bad file leaves everything as it was.  The service
 * manager hears RELOADING=1 first and READY=1 when it is over, either way.
 */
static int
reload(void)
{
	struct conf *next;

	tsunagid.last_reload = time(NULL);
	if ((next = load_conf(tsunagid.conf_path, 0)) == NULL) {
		tsunagid.reload_failures++;
		snprintf(tsunagid.last_reload_result,
		    sizeof(tsunagid.last_reload_result),
		    "%s has errors; the running configuration is unchanged",
		    tsunagid.conf_path);
		log_warnx("reload: %s", tsunagid.last_reload_result);
		return -1;
	}
	if (modules_reload(tsunagid.conf, next) == -1) {
		tsunagid.reload_failures++;
		snprintf(tsunagid.last_reload_result,
		    sizeof(tsunagid.last_reload_result),
		    "a module could not apply the change (see the log)");
	} else
		snprintf(tsunagid.last_reload_result,
		    sizeof(tsunagid.last_reload_result), "ok");
	conf_free(tsunagid.conf);
	tsunagid.conf = next;
	tsunagid.reloads++;
	log_info("reload: %s", tsunagid.last_reload_result);
	return 0;
}

int
tsunagid_reload(void)
{
	struct timespec now;
	int r;

	/* MONOTONIC_USEC: systemd 253 and later ask for it with RELOADING. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	sdnotify("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)now.tv_sec * 1000000 +
		(unsigned long long)now.tv_nsec / 1000);
	r = reload();
	evlog(r == 0 ? "reload" : "reload-failed", tsunagid.conf_path, "%s",
	    tsunagid.last_reload_result);
	notify_ready();
	return r;
}

static void
on_signal(int signo, void *arg)
{
	if (signo == SIGHUP) {
		log_info("SIGHUP: reloading %s", tsunagid.conf_path);
		tsunagid_reload();
		return;
	}
	log_info("%s: shutting down", strsignal(signo));
	ev_break();
}

/*
 * Fork into the background but keep the terminal until start-up is done:
 * the parent waits for a status byte from the child, so `tsunagid` exits
 * non-zero, with the reason on stderr, when the daemon could not start.
 */
static void
daemonize(void)
{
	int p[2];
	pid_t pid;
	char st = 1;

	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe");
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &st, 1) != 1)
			st = 1;
		exit(st);
	}
	close(p[0]);
	opt.ready_fd = p[1];
	if (setsid() == -1)
		fatal("setsid");
	if (chdir("/") == -1)
		fatal("chdir /");
}

static void
ready(int status)
{
	char st = (char)status;
	int fd;

	if (status == 0)
		notify_ready();
	if (opt.ready_fd == -1)
		return;
	(void)write(opt.ready_fd, &st, 1);
	close(opt.ready_fd);
	opt.ready_fd = -1;
	log_tee_stderr(0);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

/* The run folder holds the socket and pid file; create it if missing. */
static int
make_parent_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int r = 0;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("mkdir %s", dir);
			r = -1;
		}
	}
	free(dir);
	return r;
}

/* Half the manager's interval, as sd_watchdog_enabled(3) advises: a
 * wedged loop stops the pings and gets the daemon restarted. */
static void
watchdog_ping(void *arg)
{
	(void)arg;
	sdnotify("WATCHDOG=1");
	ev_timer_add(&opt.watchdog,
	    sdnotify_watchdog_ms() > 1 ? sdnotify_watchdog_ms() / 2 : 1);
}

static int
start(void)
{
	if (ev_init() == -1 || ev_signal_add(SIGHUP, on_signal, NULL) == -1 ||
	    ev_signal_add(SIGTERM, on_signal, NULL) == -1 ||
	    ev_signal_add(SIGINT, on_signal, NULL) == -1)
		return -1;
	if (make_parent_dir(tsunagid.pid_path) == -1 ||
	    make_parent_dir(tsunagid.sock_path) == -1 ||
	    pidfile_open(tsunagid.pid_path) == -1)
		return -1;
	if (ctl_listen(tsunagid.sock_path) == -1 || ctl_core_register() == -1)
		return -1;
	if (modules_start(tsunagid.conf) == -1)
		return -1;
	/* Everything that needed more than network rights is done now. */
	if (caps_drop() == -1)
		return -1;
	if (sdnotify_watchdog_ms() > 0) {
		ev_timer_set(&opt.watchdog, watchdog_ping, NULL);
		watchdog_ping(NULL);
	}
	tsunagid.started = time(NULL);
	tsunagid.started_ms = ev_now();
	snprintf(tsunagid.last_reload_result,
	    sizeof(tsunagid.last_reload_result), "never reloaded");
	return 0;
}

static void
stop(void)
{
	sdnotify("STOPPING=1");
	ev_timer_del(&opt.watchdog);
	modules_stop();
	ctl_close();
	pidfile_remove();
	ev_fini();
	conf_free(tsunagid.conf);
	tsunagid.conf = NULL;
	sdnotify_close();
}

int
main(int argc, char **argv)
{
	int rc = 0;

	parse_args(argc, argv);
	if (sodium_init() == -1) {
		fprintf(stderr, "tsunagid: libsodium failed to initialise\n");
		return 1;
	}
	if (opt.check)
		return check_conf();
	if (opt.export_peer)
		return export_peer(tsunagid.conf_path);
	signal(SIGPIPE, SIG_IGN);
	opt.managed = sdnotify_init() == 1;
	log_init("tsunagid", opt.foreground, opt.verbose);
	/*
	 * Under systemd's Type=notify the manager has started us and waits
	 * for READY=1 from this pid: no fork, and the log goes to the
	 * journal's stream when stderr is one.
	 */
	if (!opt.foreground && opt.managed) {
		if (log_stderr_is_journal())
			log_to_journal();
	} else if (!opt.foreground) {
		log_tee_stderr(1);
		daemonize();
	}
	if ((tsunagid.conf = load_conf(tsunagid.conf_path, 0)) == NULL) {
		log_warnx("%s: configuration has errors, not starting",
		    tsunagid.conf_path);
		sdnotify("STATUS=%s has errors, not starting",
		    tsunagid.conf_path);
		ready(1);
		return 1;
	}
	if (start() == -1) {
		log_warnx("start-up failed");
		sdnotify("STATUS=start-up failed (see the log)");
		stop();
		ready(1);
		return 1;
	}
	log_info("tsunagid %s started (config %s, control %s)",
	    PACKAGE_VERSION, tsunagid.conf_path, tsunagid.sock_path);
	ready(0);
	if (ev_run() == -1)
		rc = 1;
	stop();
	log_info("tsunagid stopped");
	return rc;
}
