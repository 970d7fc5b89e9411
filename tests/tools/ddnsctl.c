/*
 * ddnsctl: the ddns module's API on the command line, for the netns suites
 * (tests/netns/ddns.sh against a real BIND9, tests/netns/dyndns2.sh against
 * a dyndns2 HTTPS server).  Everything runs in the daemon's event loop, as
 * in tsunagid.
 *
 *   ddnsctl update  --server A [--port P] --zone Z --name N --key-name K
 *                   --alg hmac-sha256|hmac-sha512 --secret-file F
 *                   --addr ADDR [--ttl T]
 *   ddnsctl update  --url URL --user U --password-file F --name N
 *                   --addr ADDR [--dns A]              (dyndns2)
 *   ddnsctl watch   (either, without --addr) --if IFNAME [--family 4|6]
 *                   [--timeout S]
 *   ddnsctl resolve [--server A] [--ta FILE] [--follow S] NAME A|AAAA
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <sodium.h>

#include "daemon/event.h"
#include "daemon/log.h"
#include "ddns/internal.h"
#include "xfrm/iftab.h"

static struct {
	const char *server, *zone, *name, *key_name, *alg, *secret_file;
	const char *addr, *ifname, *ta;
	const char *url, *user, *password_file, *dns;
	int port, ttl, family, timeout, follow;
} o = {.port = 53, .ttl = 60};

static int exit_code = 1;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ddnsctl update --server A [--port P] --zone Z --name N "
	    "--key-name K\n"
	    "           --alg hmac-sha256|hmac-sha512 --secret-file F "
	    "--addr ADDR [--ttl T]\n"
	    "       ddnsctl update --url URL --user U --password-file F "
	    "--name N --addr ADDR [--dns A]\n"
	    "       ddnsctl watch (the same without --addr) --if IFNAME "
	    "[--family 4|6] [--timeout S]\n"
	    "       ddnsctl resolve [--server A] [--ta FILE] [--follow S] "
	    "NAME A|AAAA\n");
	exit(2);
}

static void
need(const char *v, const char *what)
{
	if (v == NULL) {
		fprintf(stderr, "ddnsctl: %s is required\n", what);
		usage();
	}
}

/* The secret as tsig-keygen prints it: bare base64 or a key clause. */
static int
read_secret(struct ddns_server *s)
{
	char buf[1024], *b, *e;
	unsigned char *bin;
	size_t n, binlen;
	FILE *fp;
	int r;

	if ((fp = fopen(o.secret_file, "r")) == NULL) {
		perror(o.secret_file);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((b = strstr(buf, "secret")) != NULL && (b = strchr(b, '"')) != NULL)
		e = strchr(++b, '"');
	else {
		b = buf + strspn(buf, " \t\r\n");
		e = b + strcspn(b, " \t\r\n");
	}
	if (e == NULL || (bin = sodium_malloc(e - b + 1)) == NULL)
		return -1;
	r = sodium_base642bin(bin, (size_t)(e - b), b, (size_t)(e - b), NULL,
	        &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
	            binlen > 0
	        ? ddns_server_set_secret(s, bin, binlen)
	        : -1;
	sodium_memzero(buf, sizeof(buf));
	sodium_free(bin);
	if (r == -1)
		fprintf(
		    stderr, "ddnsctl: %s: no base64 secret\n", o.secret_file);
	return r;
}

/* The whole file but a final newline, straight into guarded memory. */
static int
read_password(struct ddns_server *s)
{
	unsigned char *buf;
	size_t n;
	FILE *fp;
	int r;

	if ((fp = fopen(o.password_file, "r")) == NULL) {
		perror(o.password_file);
		return -1;
	}
	if ((buf = sodium_malloc(1024)) == NULL) {
		fclose(fp);
		return -1;
	}
	n = fread(buf, 1, 1024, fp);
	fclose(fp);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	r = ddns_server_set_secret(s, buf, n);
	sodium_free(buf);
	if (r == -1)
		fprintf(stderr, "ddnsctl: %s: no password\n", o.password_file);
	return r;
}

static int
dd2_from_opts(struct ddns_server *s)
{
	const char *fwd[1] = {o.dns};

	need(o.user, "--user");
	need(o.password_file, "--password-file");
	need(o.name, "--name");
	memset(s, 0, sizeof(*s));
	s->proto = &ddns_dyndns2;
	if (ddns_dd2_url_parse(o.url, &s->url) == -1 ||
	    !ddns_dd2_user_ok(o.user)) {
		fprintf(stderr, "ddnsctl: bad URL or user name\n");
		return -1;
	}
	snprintf(s->name, sizeof(s->name), "%s", o.name);
	snprintf(s->user, sizeof(s->user), "%s", o.user);
	if (s->url.host_af == 0 &&
	    ddns_resolver_setup(fwd, o.dns ? 1 : 0, NULL) == -1)
		return -1;
	return read_password(s);
}

static int
server_from_opts(struct ddns_server *s)
{
	int alg;

	if (o.url != NULL)
		return dd2_from_opts(s);
	need(o.server, "--server");
	need(o.zone, "--zone");
	need(o.name, "--name");
	need(o.key_name, "--key-name");
	need(o.secret_file, "--secret-file");
	memset(s, 0, sizeof(*s));
	s->proto = &ddns_rfc2136;
	s->af = strchr(o.server, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(s->af, o.server, s->addr) != 1) {
		fprintf(stderr, "ddnsctl: bad server address %s\n", o.server);
		return -1;
	}
	alg = o.alg == NULL || strcmp(o.alg, "hmac-sha256") == 0
	          ? DDNS_TSIG_SHA256
	      : strcmp(o.alg, "hmac-sha512") == 0 ? DDNS_TSIG_SHA512
	                                          : 0;
	s->port = (uint16_t)o.port;
	s->ttl = (uint32_t)o.ttl;
	snprintf(s->zone, sizeof(s->zone), "%s", o.zone);
	snprintf(s->name, sizeof(s->name), "%s", o.name);
	if (ddns_tsig_key_init(&s->key, o.key_name, alg) == -1) {
		fprintf(stderr, "ddnsctl: bad key name or algorithm\n");
		return -1;
	}
	return read_secret(s);
}

static void
update_done(const struct ddns_txn_result *r, void *arg)
{
	(void)arg;
	printf("%s: %s (tries %d%s)\n", r->ok ? "ok" : "error", r->msg,
	    r->tries, r->tcp ? ", TCP" : "");
	if (!r->ok)
		printf("permanent: %s\n", r->permanent ? "yes" : "no");
	exit_code = r->ok ? 0 : 1;
	ev_break();
}

static int
cmd_update(void)
{
	struct ddns_server s;
	uint8_t a[16] = {0};
	int af;

	need(o.addr, "--addr");
	if (server_from_opts(&s) == -1)
		return 1;
	af = strchr(o.addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(af, o.addr, a) != 1) {
		fprintf(stderr, "ddnsctl: bad address %s\n", o.addr);
		ddns_server_clear(&s);
		return 1;
	}
	if (ddns_txn_start(&s, af, a, update_done, NULL) != NULL)
		ev_run();
	ddns_server_clear(&s);
	ddns_resolver_fini();
	return exit_code;
}

static void
stop_cb(void *arg)
{
	(void)arg;
	ev_break();
}

static void
on_signal(int signo, void *arg)
{
	(void)signo, (void)arg;
	ev_break();
}

static int
cmd_watch(void)
{
	struct ddns_pconf pc;
	struct ddns_profile *p;
	struct ev_timer t;

	need(o.ifname, "--if");
	memset(&pc, 0, sizeof(pc));
	if (server_from_opts(&pc.srv) == -1)
		return 1;
	snprintf(pc.name, sizeof(pc.name), "watch");
	snprintf(pc.notify[0].ifname, DDNS_IFNAMSIZ, "%s", o.ifname);
	pc.notify[0].af = o.family == 6 ? AF_INET6 : AF_INET;
	pc.nnotify = 1;
	/* The table first, as tsunagid's xfrm module starts before ddns. */
	if (xfrm_iftab_start() == -1)
		return 1;
	if ((p = ddns_profile_new(&pc)) == NULL || ddns_monitor_start() == -1) {
		xfrm_iftab_stop();
		return 1;
	}
	ev_signal_add(SIGTERM, on_signal, NULL);
	ev_signal_add(SIGINT, on_signal, NULL);
	ev_timer_set(&t, stop_cb, NULL);
	if (o.timeout > 0)
		ev_timer_add(&t, (uint64_t)o.timeout * 1000);
	printf("ready\n");
	fflush(stdout);
	ev_run();
	ev_timer_del(&t);
	ddns_profile_free(p);
	ddns_monitor_stop();
	xfrm_iftab_stop();
	ddns_resolver_fini();
	return 0;
}

static void
print_answer(const char *name, const struct ddns_answer *a)
{
	char ab[INET6_ADDRSTRLEN];
	size_t i;

	printf("%s %s %s", name, a->af == AF_INET ? "A" : "AAAA",
	    ddns_status_str(a->status));
	for (i = 0; i < a->naddrs; i++)
		printf(" %s", inet_ntop(a->af, a->addrs[i], ab, sizeof(ab)));
	printf(" ttl=%u dnssec=%s%s%s\n", a->ttl,
	    a->status == DDNS_ST_BOGUS ? "bogus"
	    : a->secure                ? "secure"
	                               : "insecure",
	    a->why[0] ? " why=" : "", a->why);
	fflush(stdout);
}

static void
resolve_done(const struct ddns_answer *a, void *arg)
{
	print_answer(arg, a);
	exit_code = a->status == DDNS_ST_OK ? 0 : 1;
	ev_break();
}

static void
follow_cb(const struct ddns_answer *a, int changed, void *arg)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%lld.%03ld changed=%d ", (long long)ts.tv_sec,
	    ts.tv_nsec / 1000000, changed);
	print_answer(arg, a);
	exit_code = a->status == DDNS_ST_OK ? 0 : 1;
}

static int
cmd_resolve(int argc, char **argv)
{
	const char *fwd[1] = {o.server};
	struct ddns_peer *p = NULL;
	struct ev_timer t;
	int af;

	if (argc != 2)
		usage();
	af = strcmp(argv[1], "AAAA") == 0 ? AF_INET6 : AF_INET;
	if (ddns_resolver_setup(fwd, o.server ? 1 : 0, o.ta) == -1)
		return 1;
	ev_timer_set(&t, stop_cb, NULL);
	if (o.follow > 0) {
		p = ddns_peer_add(argv[0], af, follow_cb, argv[0]);
		ev_timer_add(&t, (uint64_t)o.follow * 1000);
	} else if (ddns_resolve(argv[0], af, resolve_done, argv[0]) == NULL)
		return 1;
	ev_run();
	ev_timer_del(&t);
	ddns_peer_del(p);
	ddns_resolver_fini();
	return exit_code;
}

static void
parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {{"server", 1, NULL, 's'},
	    {"port", 1, NULL, 'p'}, {"zone", 1, NULL, 'z'},
	    {"name", 1, NULL, 'n'}, {"key-name", 1, NULL, 'k'},
	    {"alg", 1, NULL, 'a'}, {"secret-file", 1, NULL, 'f'},
	    {"addr", 1, NULL, 'A'}, {"ttl", 1, NULL, 't'}, {"if", 1, NULL, 'i'},
	    {"family", 1, NULL, 'F'}, {"timeout", 1, NULL, 'T'},
	    {"ta", 1, NULL, 'x'}, {"follow", 1, NULL, 'w'},
	    {"url", 1, NULL, 'u'}, {"user", 1, NULL, 'U'},
	    {"password-file", 1, NULL, 'P'}, {"dns", 1, NULL, 'd'},
	    {NULL, 0, NULL, 0}};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			o.server = optarg;
			break;
		case 'p':
			o.port = atoi(optarg);
			break;
		case 'z':
			o.zone = optarg;
			break;
		case 'n':
			o.name = optarg;
			break;
		case 'k':
			o.key_name = optarg;
			break;
		case 'a':
			o.alg = optarg;
			break;
		case 'f':
			o.secret_file = optarg;
			break;
		case 'A':
			o.addr = optarg;
			break;
		case 't':
			o.ttl = atoi(optarg);
			break;
		case 'i':
			o.ifname = optarg;
			break;
		case 'F':
			o.family = atoi(optarg);
			break;
		case 'T':
			o.timeout = atoi(optarg);
			break;
		case 'x':
			o.ta = optarg;
			break;
		case 'w':
			o.follow = atoi(optarg);
			break;
		case 'u':
			o.url = optarg;
			break;
		case 'U':
			o.user = optarg;
			break;
		case 'P':
			o.password_file = optarg;
			break;
		case 'd':
			o.dns = optarg;
			break;
		default:
			usage();
		}
	}
}

int
main(int argc, char **argv)
{
	const char *cmd;
	int r;

	if (argc < 2)
		usage();
	cmd = argv[1];
	parse_opts(argc - 1, argv + 1);
	log_init("ddnsctl", 1, 2);
	signal(SIGPIPE, SIG_IGN); /* as tsunagid: a closed peer is an error */
	if (sodium_init() < 0 || ev_init() == -1)
		return 1;
	if (strcmp(cmd, "update") == 0)
		r = cmd_update();
	else if (strcmp(cmd, "watch") == 0)
		r = cmd_watch();
	else if (strcmp(cmd, "resolve") == 0)
		r = cmd_resolve(argc - 1 - optind, argv + 1 + optind);
	else
		usage();
	ev_fini();
	return r;
}
