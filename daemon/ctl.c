/*
 * ctl.c: the control socket server.  Each client is a small state machine
 * driven by the event loop: read one line, run the command into an output
 * buffer, write it out, repeat.  A client that stalls only costs its own
 * slot: reads stop while output is pending, every client has an idle
 * timeout, and input and output are capped.
 */
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon/buf.h"
#include "daemon/ctl.h"
#include "daemon/ctl_proto.h"
#include "daemon/event.h"
#include "daemon/log.h"
#include "daemon/suggest.h"

struct ctl_conn {
	int fd;
	struct ev_io *io;
	struct ev_timer idle;
	struct buf in, out;
	int eof;     /* the client half-closed: answer, then close */
	int closing; /* close once the output is flushed */
	int draining;   /* refused: half-closed, discarding input */
	int streaming;  /* "monitor": records until it hangs up */
	size_t drained;
	char why[256];
	const char *code; /* CTL_E_*: why the command failed */
	struct ctl_conn *prev, *next;
};

struct ctl_cmd {
	char *words[CTL_MAXWORDS];
	int nwords, maxargs;
	char *split, *text, *help;
	ctl_handler *h;
	void *arg;
};

static struct {
	int fd;
	struct ev_io *io;
	char *path;
	struct ctl_conn *clients;
	int nclients;
	struct ctl_cmd *cmds;
	int ncmds;
} ctl = { .fd = -1 };

static void ctl_conn_io(int fd, int events, void *arg);
static void ctl_conn_free(struct ctl_conn *c);
static int ctl_write(struct ctl_conn *c);

/* --- command table ------------------------------------------------------- */

int
ctl_register(const char *words, int maxargs, const char *help, ctl_handler *h,
    void *arg)
{
	struct ctl_cmd c = { .maxargs = maxargs, .h = h, .arg = arg }, *n = NULL;
	const char *why;

	c.split = strdup(words);
	c.text = strdup(words);
	c.help = strdup(help);
	if (c.split == NULL || c.text == NULL || c.help == NULL ||
	    ctl_req_split(c.split, &c.nwords, c.words, &why) == -1 ||
	    (n = realloc(ctl.cmds, (size_t)(ctl.ncmds + 1) * sizeof(*n))) ==
	    NULL) {
		log_warnx("control: cannot register \"%s\"", words);
		free(c.split);
		free(c.text);
		free(c.help);
		return -1;
	}
	ctl.cmds = n;
	ctl.cmds[ctl.ncmds++] = c;
	return 0;
}

void
ctl_unregister_all(void)
{
	int i;

	for (i = 0; i < ctl.ncmds; i++) {
		free(ctl.cmds[i].split);
		free(ctl.cmds[i].text);
		free(ctl.cmds[i].help);
	}
	free(ctl.cmds);
	ctl.cmds = NULL;
	ctl.ncmds = 0;
}

static int
ctl_cmd_match(const struct ctl_cmd *c, int argc, char **argv)
{
	int i;

	if (argc < c->nwords)
		return 0;
	for (i = 0; i < c->nwords; i++)
		if (strcmp(c->words[i], argv[i]) != 0)
			return 0;
	return 1;
}

/* The longest registered prefix wins: "show ikev2 sa" over "show". */
static struct ctl_cmd *
ctl_cmd_find(int argc, char **argv)
{
	struct ctl_cmd *best = NULL;
	int i;

	for (i = 0; i < ctl.ncmds; i++)
		if (ctl_cmd_match(&ctl.cmds[i], argc, argv) &&
		    (best == NULL || ctl.cmds[i].nwords > best->nwords))
			best = &ctl.cmds[i];
	return best;
}

static int
ctl_help(struct ctl_conn *c, int argc, char **argv, void *arg)
{
	int i;

	for (i = 0; i < ctl.ncmds; i++) {
		ctl_rec_begin(c, "command");
		ctl_rec_str(c, "command", ctl.cmds[i].text);
		ctl_rec_str(c, "help", ctl.cmds[i].help);
		ctl_rec_end(c);
	}
	return 0;
}

/* --- records ------------------------------------------------------------- */

/* A record that does not fit is noted by buf's overflow flag; checked once. */
void
ctl_rec_begin(struct ctl_conn *c, const char *type)
{
	if (ctl_enc_begin(&c->out, type) == -1)
		c->out.overflow = 1;
}

void
ctl_rec_str(struct ctl_conn *c, const char *key, const char *val)
{
	if (ctl_enc_str(&c->out, key, val) == -1)
		c->out.overflow = 1;
}

void
ctl_rec_int(struct ctl_conn *c, const char *key, long long v)
{
	char lit[32];

	snprintf(lit, sizeof(lit), "%lld", v);
	if (ctl_enc_lit(&c->out, key, lit) == -1)
		c->out.overflow = 1;
}

void
ctl_rec_uint(struct ctl_conn *c, const char *key, uint64_t v)
{
	char lit[32];

	snprintf(lit, sizeof(lit), "%llu", (unsigned long long)v);
	if (ctl_enc_lit(&c->out, key, lit) == -1)
		c->out.overflow = 1;
}

void
ctl_rec_lit(struct ctl_conn *c, const char *key, const char *lit)
{
	if (ctl_enc_lit(&c->out, key, lit) == -1)
		c->out.overflow = 1;
}

void
ctl_rec_bool(struct ctl_conn *c, const char *key, int v)
{
	if (ctl_enc_lit(&c->out, key, v ? "true" : "false") == -1)
		c->out.overflow = 1;
}

void
ctl_rec_end(struct ctl_conn *c)
{
	if (ctl_enc_end(&c->out) == -1)
		c->out.overflow = 1;
}

static int
ctl_failv(struct ctl_conn *c, const char *code, const char *fmt, va_list ap)
{
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	c->code = code;
	return -1;
}

#define CTL_FAIL_BODY(code)                                                   \
	va_list ap;                                                           \
	int r;                                                                \
	va_start(ap, fmt);                                                    \
	r = ctl_failv(c, code, fmt, ap);                                      \
	va_end(ap);                                                           \
	return r

static int ctl_fail_code(struct ctl_conn *c, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
ctl_fail_code(struct ctl_conn *c, const char *code, const char *fmt, ...)
{
	CTL_FAIL_BODY(code);
}

int
ctl_fail(struct ctl_conn *c, const char *fmt, ...)
{
	CTL_FAIL_BODY(CTL_E_FAILED);
}

int
ctl_usage(struct ctl_conn *c, const char *fmt, ...)
{
	CTL_FAIL_BODY(CTL_E_USAGE);
}

int
ctl_not_running(struct ctl_conn *c, const char *fmt, ...)
{
	CTL_FAIL_BODY(CTL_E_NOT_RUNNING);
}

int
ctl_stream(struct ctl_conn *c)
{
	c->streaming = 1;
	return 0;
}

/*
 * One record (whole lines, as ctl_enc_* made them) to every streaming
 * client.  One that has fallen CTL_STREAM_MAX behind is dropped: a client
 * never holds the daemon back, nor its memory.
 */
void
ctl_stream_send(const void *rec, size_t len)
{
	struct ctl_conn *c, *next;

	for (c = ctl.clients; c != NULL; c = next) {
		next = c->next;
		if (!c->streaming)
			continue;
		if (c->out.len + len > CTL_STREAM_MAX ||
		    buf_add(&c->out, rec, len) == -1) {
			log_warnx("control: a monitor client fell %zu bytes "
			          "behind; dropped",
			    c->out.len);
			ctl_conn_free(c);
			continue;
		}
		ev_io_set(c->io, EV_READ | EV_WRITE);
	}
}

int
ctl_stream_count(void)
{
	struct ctl_conn *c;
	int n = 0;

	for (c = ctl.clients; c != NULL; c = c->next)
		n += c->streaming;
	return n;
}

int
ctl_client_count(void)
{
	return ctl.nclients;
}

/* --- one request --------------------------------------------------------- */

/*
 * The words of registered commands at position k whose first k words are
 * the request's; how many (at most max) went into cand.
 */
static size_t
ctl_words_at(int k, char **argv, const char **cand, size_t max)
{
	size_t n = 0, j;
	int i, w;

	for (i = 0; i < ctl.ncmds && n < max; i++) {
		const struct ctl_cmd *cmd = &ctl.cmds[i];

		if (cmd->nwords <= k)
			continue;
		for (w = 0; w < k && strcmp(cmd->words[w], argv[w]) == 0; w++)
			;
		if (w < k)
			continue;
		for (j = 0; j < n && strcmp(cand[j], cmd->words[k]) != 0; j++)
			;
		if (j == n)
			cand[n++] = cmd->words[k];
	}
	return n;
}

/*
 * No command matches: say where the request leaves every command, with
 * the closest word there ("show ikve2 sa": did you mean "ikev2"?), or
 * what may follow a request that stops short ("show ip").
 */
static int
ctl_unknown(struct ctl_conn *c, int argc, char **argv)
{
	const char *cand[64], *best;
	char list[160] = "";
	size_t n = 0, i;
	int k;

	for (k = 0; k < argc; k++) {
		n = ctl_words_at(k, argv, cand, 64);
		for (i = 0; i < n && strcmp(cand[i], argv[k]) != 0; i++)
			;
		if (i == n)
			break;
	}
	if (k == argc) {
		n = ctl_words_at(k, argv, cand, 64);
		for (i = 0; i < n && strlen(list) + 40 < sizeof(list); i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    "%s\"%s\"", i ? ", " : "", cand[i]);
		return ctl_usage(c, "incomplete command: after \"%s\" comes "
		    "one of %s%s (try \"help\")", argv[argc - 1], list,
		    i < n ? " ..." : "");
	}
	if ((best = suggest(argv[k], cand, n)) != NULL)
		return ctl_fail_code(c, CTL_E_UNKNOWN, "unknown command: "
		    "\"%s\"; did you mean \"%s\"? (try \"help\")", argv[k],
		    best);
	return ctl_fail_code(c, CTL_E_UNKNOWN, "unknown command: \"%s\" "
	    "(try \"help\")", argv[k]);
}

static int
ctl_dispatch(struct ctl_conn *c, char *line)
{
	char *argv[CTL_MAXWORDS];
	struct ctl_cmd *cmd;
	const char *why;
	int argc;

	if (ctl_req_split(line, &argc, argv, &why) == -1)
		return ctl_usage(c, "%s", why);
	if ((cmd = ctl_cmd_find(argc, argv)) == NULL)
		return ctl_unknown(c, argc, argv);
	if (argc - cmd->nwords > cmd->maxargs)
		return ctl_usage(c, "too many arguments for \"%s\"", cmd->text);
	return cmd->h(c, argc - cmd->nwords, argv + cmd->nwords, cmd->arg);
}

/*
 * Run one request line.  On failure or overflow, whatever the handler
 * already wrote is dropped so a client never sees half an answer followed
 * by an error.
 */
static void
ctl_request(struct ctl_conn *c, char *line)
{
	size_t mark = c->out.len;
	int r;

	c->why[0] = '\0';
	c->code = CTL_E_FAILED;
	r = ctl_dispatch(c, line);
	if (c->out.overflow) {
		r = -1;
		snprintf(c->why, sizeof(c->why), "response too large");
		c->code = CTL_E_FAILED;
	}
	if (r == -1) {
		c->out.len = mark;
		c->out.overflow = 0;
		if (ctl_enc_error(&c->out, c->code,
		    c->why[0] ? c->why : "command failed") == -1)
			c->closing = 1;
	} else if (c->streaming)
		ev_timer_del(&c->idle); /* quiet for hours is fine now */
	else if (ctl_enc_ok(&c->out) == -1)
		c->closing = 1;
}

/* --- connections --------------------------------------------------------- */

static void
ctl_conn_free(struct ctl_conn *c)
{
	ev_io_del(c->io);
	ev_timer_del(&c->idle);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	if (c->prev)
		c->prev->next = c->next;
	else
		ctl.clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	ctl.nclients--;
	free(c);
}

static void
ctl_idle(void *arg)
{
	struct ctl_conn *c = arg;

	log_debug("control: client idle too long, closing");
	ctl_conn_free(c);
}

/* Serve buffered complete lines; only one answer is ever pending. */
static void
ctl_process(struct ctl_conn *c)
{
	char *nl;

	while (c->out.len == 0 && !c->closing && !c->streaming) {
		nl = memchr(c->in.data ? c->in.data : "", '\n', c->in.len);
		if (nl == NULL) {
			if (c->in.len >= CTL_REQ_MAX) {
				ctl_enc_error(&c->out, CTL_E_USAGE, "request too long");
				c->closing = 1;
			} else if (c->eof) {
				if (c->in.len > 0)
					ctl_request(c, c->in.data);
				c->closing = 1;
			}
			break;
		}
		*nl = '\0';
		if (nl > c->in.data && nl[-1] == '\r')
			nl[-1] = '\0';
		ctl_request(c, c->in.data);
		buf_consume(&c->in, (size_t)(nl - c->in.data) + 1);
	}
}

static int
ctl_read(struct ctl_conn *c)
{
	char tmp[CTL_REQ_MAX];
	size_t room = CTL_REQ_MAX - c->in.len;
	ssize_t n;

	if (room == 0)
		return 0;
	n = read(c->fd, tmp, room);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if (n == 0)
		c->eof = 1;
	else if (memchr(tmp, '\0', (size_t)n) != NULL) {
		ctl_enc_error(
		    &c->out, CTL_E_USAGE, "request contains a NUL byte");
		c->closing = 1;
	} else if (buf_add(&c->in, tmp, (size_t)n) == -1)
		return -1;
	return 0;
}

static int
ctl_write(struct ctl_conn *c)
{
	ssize_t n;

	if (c->out.len == 0)
		return 0;
	n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
	if (n == -1)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	buf_consume(&c->out, (size_t)n);
	return 0;
}

/*
 * After refusing a client that is still sending, closing at once would
 * reset the connection and lose our error record on the way.  Half-close
 * instead and throw away its input until it hangs up (bounded).
 */
static void
ctl_drain(struct ctl_conn *c)
{
	char tmp[4096];
	ssize_t n;

	if (!c->draining)
		shutdown(c->fd, SHUT_WR);
	c->draining = 1;
	while ((n = read(c->fd, tmp, sizeof(tmp))) > 0)
		if ((c->drained += (size_t)n) > CTL_DRAIN_MAX)
			break;
	if (n == 0 || c->drained > CTL_DRAIN_MAX ||
	    (n == -1 && errno != EAGAIN && errno != EINTR)) {
		ctl_conn_free(c);
		return;
	}
	ev_io_set(c->io, EV_READ);
}

/*
 * A streaming client only reads: what it sends is thrown away, and its
 * end of the stream (EOF, an error) ends ours.
 */
static void
ctl_stream_io(struct ctl_conn *c, int events)
{
	char tmp[512];
	ssize_t n = 0;

	if (events & EV_READ) {
		while ((n = read(c->fd, tmp, sizeof(tmp))) > 0)
			;
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			ctl_conn_free(c);
			return;
		}
	}
	if (ctl_write(c) == -1) {
		ctl_conn_free(c);
		return;
	}
	ev_io_set(c->io, EV_READ | (c->out.len ? EV_WRITE : 0));
}

static void
ctl_conn_io(int fd, int events, void *arg)
{
	struct ctl_conn *c = arg;

	if (c->streaming) {
		ctl_stream_io(c, events);
		return;
	}
	ev_timer_add(&c->idle, CTL_IDLE_MS);
	if (c->draining) {
		ctl_drain(c);
		return;
	}
	if ((events & EV_READ) && c->out.len == 0 && !c->closing &&
	    ctl_read(c) == -1) {
		ctl_conn_free(c);
		return;
	}
	ctl_process(c);
	if (ctl_write(c) == -1) {
		ctl_conn_free(c);
		return;
	}
	ctl_process(c); /* a pipelined next line, once the last answer left */
	if (c->out.len == 0 && c->closing && !c->eof) {
		ctl_drain(c);
		return;
	}
	if (c->out.len == 0 && (c->closing || c->eof)) {
		ctl_conn_free(c);
		return;
	}
	ev_io_set(c->io, c->out.len ? EV_WRITE : EV_READ);
}

static void
ctl_refuse(int fd, const char *why)
{
	struct buf b;

	buf_init(&b, 512);
	ctl_enc_error(&b, CTL_E_FAILED, why);
	(void)send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	buf_free(&b);
	close(fd);
}

static void
ctl_accept(int lfd, int events, void *arg)
{
	struct ctl_conn *c;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("control: accept");
		return;
	}
	if (ctl.nclients >= CTL_MAX_CLIENTS) {
		ctl_refuse(fd, "too many control clients");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		ctl_refuse(fd, "out of memory");
		return;
	}
	c->fd = fd;
	buf_init(&c->in, CTL_REQ_MAX);
	buf_init(&c->out, CTL_OUT_MAX);
	if ((c->io = ev_io_add(fd, EV_READ, ctl_conn_io, c)) == NULL) {
		close(fd);
		free(c);
		return;
	}
	ev_timer_set(&c->idle, ctl_idle, c);
	ev_timer_add(&c->idle, CTL_IDLE_MS);
	c->next = ctl.clients;
	if (ctl.clients)
		ctl.clients->prev = c;
	ctl.clients = c;
	ctl.nclients++;
}

/* --- the listening socket ------------------------------------------------ */

/* Another daemon answering on the path means we must not steal it. */
static int
ctl_in_use(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd == -1)
		return 0;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return r;
}

/*
 * The socket is bound under umask 0177 so it is never, even briefly,
 * reachable by others; then it is opened to the tsunagi group if there is
 * one.  Only the group changes: to a group the daemon runs in (systemd's
 * Group=tsunagi) that needs no CAP_CHOWN; without it the socket stays
 * root's alone, and the log says why.
 */
static int
ctl_set_access(const char *path)
{
	struct group *gr = getgrnam("tsunagi");

	if (gr == NULL)
		return chmod(path, 0600);
	if (chown(path, (uid_t)-1, gr->gr_gid) == -1) {
		if (errno != EPERM)
			return -1;
		log_warnx("control socket %s: cannot give it to group tsunagi "
		    "(run tsunagid in that group, or with CAP_CHOWN); only "
		    "its owner can use it", path);
		return chmod(path, 0600);
	}
	return chmod(path, 0660);
}

int
ctl_listen(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (ctl_in_use(&sun)) {
		log_warnx("control socket %s is in use: is tsunagid already "
		    "running?", path);
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		log_warn("unlink %s", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("control socket");
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("bind %s", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (ctl_set_access(path) == -1 || listen(fd, SOMAXCONN) == -1 ||
	    (ctl.io = ev_io_add(fd, EV_READ, ctl_accept, NULL)) == NULL) {
		log_warn("control socket %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	ctl.fd = fd;
	ctl.path = strdup(path);
	return ctl_register("help", 0, "list the control commands", ctl_help,
	    NULL);
}

void
ctl_close(void)
{
	struct ctl_conn *c;

	/* A monitor learns why its stream ends (best effort: we stop). */
	for (c = ctl.clients; c != NULL; c = c->next)
		if (c->streaming &&
		    ctl_enc_error(&c->out, CTL_E_FAILED, "tsunagid stopped") ==
		        0)
			(void)ctl_write(c);
	while (ctl.clients)
		ctl_conn_free(ctl.clients);
	if (ctl.fd != -1) {
		ev_io_del(ctl.io);
		close(ctl.fd);
		if (ctl.path)
			unlink(ctl.path);
	}
	free(ctl.path);
	ctl.path = NULL;
	ctl.fd = -1;
	ctl.io = NULL;
	ctl_unregister_all();
}
