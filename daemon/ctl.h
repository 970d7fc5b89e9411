/*
 * ctl.h: the control socket.  Modules register commands ("show ikev2 sa")
 * and answer with flat records; the server handles clients, limits and the
 * end marker.  A handler returns 0, or -1 after ctl_fail().
 */
#ifndef TSUNAGI_CTL_H
#define TSUNAGI_CTL_H

#include <stddef.h>
#include <stdint.h>

struct ctl_conn;
typedef int ctl_handler(struct ctl_conn *c, int argc, char **argv, void *arg);

/* Limits a client can never push past. */
#define CTL_MAX_CLIENTS	 64
#define CTL_IDLE_MS	 30000
#define CTL_OUT_MAX	 (8u << 20)
#define CTL_DRAIN_MAX	 (1u << 20)
#define CTL_STREAM_MAX	 (256u << 10) /* a monitor's backlog */

int ctl_listen(const char *path);
void ctl_close(void);

/*
 * Register "show status" style commands.  `words` is the fixed prefix;
 * `maxargs` how many further words the handler accepts.
 */
int ctl_register(const char *words, int maxargs, const char *help,
    ctl_handler *h, void *arg);
void ctl_unregister_all(void);

void ctl_rec_begin(struct ctl_conn *c, const char *type);
void ctl_rec_str(struct ctl_conn *c, const char *key, const char *val);
void ctl_rec_int(struct ctl_conn *c, const char *key, long long v);
void ctl_rec_uint(struct ctl_conn *c, const char *key, uint64_t v);
void ctl_rec_bool(struct ctl_conn *c, const char *key, int v);
/* A literal as the protocol has them: a decimal number, true, false. */
void ctl_rec_lit(struct ctl_conn *c, const char *key, const char *lit);
void ctl_rec_end(struct ctl_conn *c);
/*
 * A failed command's answer: a message and a code the client turns into
 * its exit status (tsunagictl(8)).  ctl_fail: the command failed;
 * ctl_usage: it was asked wrongly; ctl_not_running: the module that would
 * answer is not running (no such block in the configuration, or not yet).
 */
int ctl_fail(struct ctl_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ctl_usage(struct ctl_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int ctl_not_running(struct ctl_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int ctl_client_count(void);

/*
 * Streams ("monitor"): a handler calls ctl_stream() to keep its client
 * after the answer, with no end marker; ctl_stream_send() then hands
 * every such client one record (encoded with ctl_enc_*), until the client
 * hangs up or falls CTL_STREAM_MAX behind.
 */
int ctl_stream(struct ctl_conn *c);
void ctl_stream_send(const void *rec, size_t len);
int ctl_stream_count(void);

#endif
