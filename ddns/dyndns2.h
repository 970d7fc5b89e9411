/*
 * dyndns2.h: the dyndns2 HTTP codec of the ddns module: the update URL,
 * the request text with its Basic credentials, and the server's answer
 * sorted into published / retry / permanent.  No I/O and no state, so the
 * unit tests and the fuzzer drive all of it.
 */
#ifndef TSUNAGI_DDNS_DYNDNS2_H
#define TSUNAGI_DDNS_DYNDNS2_H

#include <stddef.h>
#include <stdint.h>

#define DDNS_DD2_HOST_MAX 256
#define DDNS_DD2_PATH_MAX 1024
#define DDNS_DD2_USER_MAX 128
#define DDNS_DD2_REQ_MAX  4096
#define DDNS_DD2_RESP_MAX 16384 /* a longer answer is refused */
#define DDNS_DD2_PATH_DEF "/nic/update"

struct ddns_dd2_url {
	int tls;                      /* https */
	char host[DDNS_DD2_HOST_MAX]; /* a name, or an address without [] */
	int host_af;                  /* AF_INET/AF_INET6 for a literal, 0 */
	uint8_t host_addr[16];
	uint16_t port;
	char path[DDNS_DD2_PATH_MAX]; /* with the URL's own query, if any */
};

/* http[s]://host[:port][/path[?query]]; no user info, no fragment. */
int ddns_dd2_url_parse(const char *url, struct ddns_dd2_url *u);
/* n (1..maxdigits) decimal digits, nothing else; 0 or -1.  Both halves
 * of the codec read numbers so. */
int ddns_dd2_decimal(const char *s, size_t n, size_t maxdigits, long *v);
/* 1 if a user name can go into Basic credentials (RFC 7617: no ':'). */
int ddns_dd2_user_ok(const char *user);

struct ddns_dd2_req {
	const struct ddns_dd2_url *url;
	const char *hostname; /* the name we publish */
	int af;
	const uint8_t *addr;
	const char *agent; /* User-Agent */
	const char *user;
	const uint8_t *pass;
	size_t pass_len;
};

/*
 * The whole GET request, NUL-terminated, into out (which therefore holds
 * the credentials: the caller keeps it in guarded memory).  Returns its
 * length, or -1 if it does not fit or a field cannot be sent.
 */
int ddns_dd2_request(const struct ddns_dd2_req *r, char *out, size_t max);

enum ddns_dd2_answer {
	DDNS_DD2_GOOD = 1,
	DDNS_DD2_NOCHG,
	DDNS_DD2_BADAUTH,
	DDNS_DD2_NOTDONATOR,
	DDNS_DD2_NOTFQDN,
	DDNS_DD2_NOHOST,
	DDNS_DD2_NUMHOST,
	DDNS_DD2_ABUSE,
	DDNS_DD2_BADAGENT,
	DDNS_DD2_DNSERR,
	DDNS_DD2_911,
	DDNS_DD2_HTTP,    /* an HTTP error status without a dyndns2 answer */
	DDNS_DD2_UNKNOWN, /* a success status, an answer we do not know */
};

struct ddns_dd2_result {
	int answer;    /* enum ddns_dd2_answer */
	int status;    /* HTTP status code */
	int ok;        /* the server holds our address */
	int permanent; /* retrying cannot help */
	int af;        /* of addr, the one after good/nochg; 0 none */
	uint8_t addr[16];
	char msg[160]; /* printable ASCII only: log and "show ddns" */
};

/*
 * Parses what the server sent so far; eof says the connection is closed.
 * 1: complete, res filled; 0: more is needed; -1: malformed, truncated or
 * too long (res->msg says which).
 */
int ddns_dd2_response(
    const uint8_t *buf, size_t len, int eof, struct ddns_dd2_result *res);

#endif
