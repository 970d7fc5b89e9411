/*
 * server.c: what the protocols share.  A profile's server holds its
 * secret in libsodium guarded memory whatever the protocol; a transaction
 * goes through the server's hooks, so the scheduler (profile.c) never
 * asks which protocol it is driving, and its outcome is delivered here,
 * from the loop, so no callback ever runs inside a start.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ddns/internal.h"

int
ddns_server_set_secret(struct ddns_server *s, const uint8_t *secret, size_t len)
{
	if (sodium_init() < 0 || len == 0 ||
	    (s->secret = sodium_malloc(len)) == NULL)
		return -1;
	memcpy(s->secret, secret, len);
	s->secret_len = len;
	sodium_mprotect_noaccess(s->secret);
	return 0;
}

void
ddns_server_clear(struct ddns_server *s)
{
	if (s->secret != NULL)
		sodium_free(s->secret);
	s->secret = NULL;
	s->secret_len = 0;
}

static int
secret_equal(const struct ddns_server *a, const struct ddns_server *b)
{
	int eq;

	if (a->secret_len != b->secret_len)
		return 0;
	if (a->secret_len == 0)
		return 1;
	sodium_mprotect_readonly(a->secret);
	sodium_mprotect_readonly(b->secret);
	eq = sodium_memcmp(a->secret, b->secret, a->secret_len) == 0;
	sodium_mprotect_noaccess(a->secret);
	sodium_mprotect_noaccess(b->secret);
	return eq;
}

int
ddns_server_equal(const struct ddns_server *a, const struct ddns_server *b)
{
	return a->proto == b->proto && a->proto != NULL &&
	       strcmp(a->name, b->name) == 0 && a->proto->equal(a, b) &&
	       secret_equal(a, b);
}

struct ddns_txn *
ddns_txn_start(const struct ddns_server *s, int af, const uint8_t *addr,
    ddns_txn_cb *cb, void *arg)
{
	return s->proto->start(s, af, addr, cb, arg);
}

void
ddns_txn_cancel(struct ddns_txn *t)
{
	if (t == NULL)
		return;
	ev_timer_del(&t->done_t);
	t->proto->cancel(t);
}

static void
txn_deliver(void *arg)
{
	struct ddns_txn *t = arg;
	struct ddns_txn_result r = t->res;
	ddns_txn_cb *cb = t->cb;
	void *cbarg = t->arg;

	ddns_txn_cancel(t);
	cb(&r, cbarg);
}

void *
ddns_txn_new(
    size_t size, const struct ddns_proto *p, ddns_txn_cb *cb, void *arg)
{
	struct ddns_txn *t;

	if (size < sizeof(*t) || (t = calloc(1, size)) == NULL)
		return NULL;
	t->proto = p;
	t->cb = cb;
	t->arg = arg;
	ev_timer_set(&t->done_t, txn_deliver, t);
	return t;
}

void
ddns_txn_vfinish(
    struct ddns_txn *t, int ok, int permanent, const char *fmt, va_list ap)
{
	t->res.ok = ok;
	t->res.permanent = permanent;
	vsnprintf(t->res.msg, sizeof(t->res.msg), fmt, ap);
	ev_timer_add(&t->done_t, 0);
}

socklen_t
ddns_sockaddr(
    int af, const uint8_t *addr, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)af;
	if (af == AF_INET) {
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, 4);
		return sizeof(*sin);
	}
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, addr, 16);
	return sizeof(*sin6);
}
