/*
 * log.c: one place that decides where a message goes (stderr when in the
 * foreground, the journal's stream under systemd, syslog otherwise) so
 * modules only say what happened.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"

static int log_fg = 1;
static int log_level_verbose;
static int log_tee; /* also stderr while a daemon still has a terminal */
static int log_journal; /* stderr is the journal: "<pri>msg" lines */
static const char *log_ident = "tsunagid";

void
log_init(const char *ident, int foreground, int verbose)
{
	log_ident = ident;
	log_fg = foreground;
	log_level_verbose = verbose;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/*
 * systemd names the stream it gave a service as $JOURNAL_STREAM,
 * "device:inode"; stderr is the journal only if it is still that stream.
 */
int
log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* The journal keeps the priority from a "<N>" prefix and stamps the time
 * itself. */
void
log_to_journal(void)
{
	if (!log_fg)
		closelog();
	log_fg = 0;
	log_journal = 1;
}

void
log_tee_stderr(int on)
{
	log_tee = on;
}

int
log_verbose(void)
{
	return log_level_verbose;
}

static void
log_emit(int pri, const char *fmt, va_list ap, int with_errno)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (with_errno) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(saved));
	}
	if (log_journal) {
		fprintf(stderr, "<%d>%s\n", pri, msg);
		fflush(stderr);
	} else if (log_fg || log_tee) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s\n", stamp, ts.tv_nsec / 1000000,
		    msg);
		fflush(stderr);
	}
	if (!log_fg && !log_journal)
		syslog(pri, "%s", msg);
	errno = saved;
}

#define LOG_BODY(pri, e)                                                      \
	va_list ap;                                                           \
	va_start(ap, fmt);                                                    \
	log_emit(pri, fmt, ap, e);                                            \
	va_end(ap)

void
log_warn(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, 1);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_WARNING, 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_INFO, 0);
}

void
log_debug(const char *fmt, ...)
{
	if (!log_level_verbose)
		return;
	LOG_BODY(LOG_DEBUG, 0);
}

void
fatal(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, 1);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, 0);
	exit(1);
}
