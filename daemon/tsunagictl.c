/*
 * tsunagictl.c: the control client.  Sends one request line to tsunagid
 * and renders the records it gets back, for people (aligned text) or for
 * scripts (--json: an array of flat objects).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "daemon/buf.h"
#include "daemon/ctl_proto.h"

#define DEFAULT_SOCK TSUNAGI_RUNDIR "/tsunagid.sock"

enum {
	EXIT_DAEMON_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_NO_DAEMON = 3,
	EXIT_NOT_RUNNING = 4, /* the module that would answer is not running */
};

static struct {
	const char *sock;
	int json;
	int stream; /* "monitor": records as they come, one a line */
	int nrec; /* records printed so far (JSON commas, text spacing) */
	int metrics;    /* OpenMetrics printed: end with "# EOF" */
	int counter;    /* the family of the samples that follow counts */
} cl = { .sock = DEFAULT_SOCK };

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: tsunagictl [-j|--json] [-s socket] command ...\n"
	    "  e.g. tsunagictl show status; tsunagictl help\n");
	exit(EXIT_USAGE);
}

static int
ctl_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 60 };
	int fd;

	if (strlen(cl.sock) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "tsunagictl: socket path too long\n");
		exit(EXIT_USAGE);
	}
	strcpy(sun.sun_path, cl.sock);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		perror("tsunagictl: socket");
		exit(EXIT_NO_DAEMON);
	}
	if (!cl.stream) /* a monitor may wait hours for its next event */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return fd;
	if (errno == EACCES || errno == EPERM)
		fprintf(stderr, "tsunagictl: permission denied on %s: run as "
		    "root or as a member of the group tsunagi\n", cl.sock);
	else if (errno == ENOENT || errno == ECONNREFUSED)
		fprintf(stderr, "tsunagictl: tsunagid is not running (no "
		    "answer on %s)\n", cl.sock);
	else
		fprintf(stderr, "tsunagictl: cannot connect to %s: %s\n",
		    cl.sock, strerror(errno));
	exit(EXIT_NO_DAEMON);
}

static int
send_request(int fd, int argc, char **argv)
{
	struct buf b;
	int i, r = 0;
	size_t off = 0;

	buf_init(&b, CTL_REQ_MAX);
	for (i = 0; i < argc; i++)
		if ((i && buf_addc(&b, ' ') == -1) || buf_addstr(&b, argv[i]) == -1)
			r = -1;
	if (r == -1 || buf_addc(&b, '\n') == -1) {
		fprintf(stderr, "tsunagictl: request too long\n");
		buf_free(&b);
		exit(EXIT_USAGE);
	}
	while (off < b.len) {
		ssize_t n = send(fd, b.data + off, b.len - off, MSG_NOSIGNAL);

		if (n <= 0) {
			r = -1;
			break;
		}
		off += (size_t)n;
	}
	buf_free(&b);
	/* A stream lasts while our end is open: half-closing would end it. */
	if (!cl.stream)
		shutdown(fd, SHUT_WR);
	return r;
}

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* One record as a flat JSON object. */
static void
json_object(const struct ctl_rec *r)
{
	int i;

	printf("{\"type\": ");
	json_string(r->type);
	for (i = 0; i < r->nfields; i++) {
		printf(", ");
		json_string(r->f[i].key);
		printf(": ");
		if (r->f[i].literal)
			fputs(r->f[i].val, stdout);
		else
			json_string(r->f[i].val);
	}
	putchar('}');
}

static void
print_json(const struct ctl_rec *r)
{
	printf("%s\n  ", cl.nrec ? "," : "[");
	json_object(r);
}

/*
 * A stream's records, one line each, flushed at once (a pipe into grep
 * sees each event when it happens): JSON lines, or for people
 * "TIME EVENT OBJECT: DETAIL".
 */
static void
print_stream(const struct ctl_rec *r)
{
	const char *t = ctl_rec_get(r, "time");

	if (cl.json) {
		json_object(r);
		putchar('\n');
	} else if (strcmp(r->type, "event") == 0 && t != NULL)
		printf("%s %s %s: %s\n", t, ctl_rec_get(r, "event"),
		    ctl_rec_get(r, "object"), ctl_rec_get(r, "detail"));
	else if (strcmp(r->type, "monitor") == 0)
		fprintf(stderr, "tsunagictl: monitoring since %s; Ctrl-C to "
		    "stop\n", ctl_rec_get(r, "since"));
	fflush(stdout);
}

/* OpenMetrics escapes: backslash, newline, and in a label the quote. */
static void
om_escaped(const char *s, int quote)
{
	for (; *s; s++)
		if (*s == '\\' || (quote && *s == '"'))
			printf("\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
}

/*
 * "show metrics" as OpenMetrics text: a family's TYPE and HELP, then its
 * samples, NAME_total for a counter's, the other fields as labels.
 */
static void
print_metric(const struct ctl_rec *r)
{
	const char *name = ctl_rec_get(r, "name"), *v;
	int i, nl = 0;

	if (name == NULL)
		return;
	cl.metrics = 1;
	if (strcmp(r->type, "metric-family") == 0) {
		v = ctl_rec_get(r, "kind");
		cl.counter = v != NULL && strcmp(v, "counter") == 0;
		printf("# TYPE %s %s\n# HELP %s ", name, v ? v : "unknown",
		    name);
		om_escaped(ctl_rec_get(r, "help") ? ctl_rec_get(r, "help") : "",
		    0);
		putchar('\n');
		return;
	}
	printf("%s%s", name, cl.counter ? "_total" : "");
	for (i = 0; i < r->nfields; i++) {
		if (strcmp(r->f[i].key, "name") == 0 ||
		    strcmp(r->f[i].key, "value") == 0)
			continue;
		printf("%s%s=\"", nl++ ? "," : "{", r->f[i].key);
		om_escaped(r->f[i].val, 1);
		putchar('"');
	}
	v = ctl_rec_get(r, "value");
	printf("%s %s\n", nl ? "}" : "", v ? v : "NaN");
}

static void
print_text(const struct ctl_rec *r)
{
	int i, w = 0;

	if (strncmp(r->type, "metric", 6) == 0 &&
	    (r->type[6] == '\0' || strcmp(r->type, "metric-family") == 0)) {
		print_metric(r);
		return;
	}
	if (strcmp(r->type, "text") == 0 && r->nfields == 1) {
		puts(r->f[0].val);
		return;
	}
	/* help: one line per command reads better than a block each. */
	if (strcmp(r->type, "command") == 0 && r->nfields == 2) {
		printf("%-28s %s\n", r->f[0].val, r->f[1].val);
		return;
	}
	if (cl.nrec)
		putchar('\n');
	puts(r->type);
	for (i = 0; i < r->nfields; i++)
		if ((int)strlen(r->f[i].key) > w)
			w = (int)strlen(r->f[i].key);
	for (i = 0; i < r->nfields; i++)
		printf("  %-*s  %s\n", w, r->f[i].key, r->f[i].val);
}

/* The daemon's error code as an exit status (tsunagictl(8)). */
static int
exit_status(const char *code)
{
	if (code == NULL)
		return EXIT_DAEMON_ERROR;
	if (strcmp(code, CTL_E_NOT_RUNNING) == 0)
		return EXIT_NOT_RUNNING;
	if (strcmp(code, CTL_E_USAGE) == 0 || strcmp(code, CTL_E_UNKNOWN) == 0)
		return EXIT_USAGE;
	return EXIT_DAEMON_ERROR;
}

static int
finish(const struct ctl_rec *r)
{
	const char *msg = r ? ctl_rec_get(r, "msg") : NULL;
	const char *code = r ? ctl_rec_get(r, "code") : NULL;
	int failed = r == NULL || r->kind == CTL_ERROR;

	if (cl.json && cl.stream) {
		if (failed) {
			printf("{\"error\": ");
			json_string(msg ? msg : "the stream from tsunagid ended");
			printf(", \"code\": ");
			json_string(code ? code : CTL_E_FAILED);
			printf("}\n");
		}
	} else if (cl.json) {
		if (!failed)
			printf("%s]\n", cl.nrec ? "\n" : "[");
		else {
			if (cl.nrec)
				printf("\n]\n");
			printf("{\"error\": ");
			json_string(msg ? msg : "no answer from tsunagid");
			printf(", \"code\": ");
			json_string(code ? code : CTL_E_FAILED);
			printf("}\n");
		}
	} else if (cl.metrics && !failed)
		printf("# EOF\n");
	if (r == NULL)
		fprintf(stderr, "tsunagictl: the answer from tsunagid was cut "
		    "short or malformed\n");
	else if (r->kind == CTL_ERROR)
		fprintf(stderr, "tsunagictl: %s\n", msg ? msg : "error");
	return !failed ? 0 : r == NULL ? EXIT_DAEMON_ERROR : exit_status(code);
}

static int
read_answer(int fd)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct ctl_rec r;
	int rc = -1;

	if (f == NULL)
		return finish(NULL);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;
		line[n - 1] = '\0';
		if (ctl_rec_parse(line, &r) == -1)
			break;
		if (r.kind != CTL_RECORD) {
			rc = finish(&r);
			break;
		}
		if (cl.stream)
			print_stream(&r);
		else if (cl.json)
			print_json(&r);
		else
			print_text(&r);
		cl.nrec++;
	}
	if (rc == -1)
		rc = finish(NULL);
	free(line);
	fclose(f);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, fd;

	while ((ch = getopt_long(argc, argv, "hjs:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': cl.json = 1; break;
		case 's': cl.sock = optarg; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	cl.stream = argc == 1 && strcmp(argv[0], "monitor") == 0;
	fd = ctl_connect();
	if (send_request(fd, argc, argv) == -1) {
		fprintf(stderr, "tsunagictl: lost the connection to tsunagid\n");
		close(fd);
		return EXIT_NO_DAEMON;
	}
	return read_answer(fd);
}
