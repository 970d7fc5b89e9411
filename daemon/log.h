/*
 * log.h: logging for tsunagid.  Foreground (-d) writes to stderr, under
 * systemd to the journal's stream, otherwise syslog.  log_warn appends strerror(errno); log_warnx does not.  fatal()
 * is for broken invariants only.  Never pass a secret to these.
 */
#ifndef TSUNAGI_LOG_H
#define TSUNAGI_LOG_H

#include <stdarg.h>

void log_init(const char *ident, int foreground, int verbose);
int log_verbose(void);
void log_tee_stderr(int on);
int log_stderr_is_journal(void);
void log_to_journal(void);
void log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
