/*
 * nl.h: the netlink I/O layer of the xfrm module (private).  Configuration
 * requests go over two blocking sockets, one request at a time, and wait
 * for the kernel's answer; the monitors have non-blocking sockets of their
 * own, driven by the event loop.
 */
#ifndef TSUNAGI_XFRM_NL_H
#define TSUNAGI_XFRM_NL_H

#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mnl_socket;

struct xfrm_nl {
	struct mnl_socket *sk;
	int proto;
	uint32_t portid, seq;
	uint8_t *rx;
	size_t rxsize;
	int secret; /* rx may hold SA keys (GETSA answers): locked, wiped */
};

#define XFRM_NL_NONBLOCK 0x1
#define XFRM_NL_SECRET   0x2

/* Called for each data message of an answer; -1 (errno set) = bad. */
typedef int xfrm_nl_cb(const struct nlmsghdr *nlh, void *arg);

int xfrm_nl_open(struct xfrm_nl *nl, int proto, int flags);
void xfrm_nl_close(struct xfrm_nl *nl);
int xfrm_nl_fd(const struct xfrm_nl *nl);
int xfrm_nl_join(struct xfrm_nl *nl, unsigned group);
int xfrm_nl_talk(struct xfrm_nl *nl, struct nlmsghdr *req, const char *what,
    xfrm_nl_cb *cb, void *arg);
uint32_t xfrm_nl_send(struct xfrm_nl *nl, struct nlmsghdr *req);
ssize_t xfrm_nl_recv(struct xfrm_nl *nl);
void xfrm_nl_wipe(struct xfrm_nl *nl, size_t len);

void xfrm_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The module's configuration sockets and request buffers. */
struct xfrm_ctx {
	int ready;
	struct xfrm_nl x;  /* NETLINK_XFRM */
	struct xfrm_nl rt; /* NETLINK_ROUTE */
	uint8_t *keybuf;   /* locked; requests that carry keys */
	uint8_t buf[2048]; /* every other request */
};

extern struct xfrm_ctx xfrm_ctx;

struct xfrm_rule_status;

/* Shared between route.c and cleanup.c. */
int xfrm_route_flush_count(int family, uint32_t table, unsigned *count);
int xfrm_rule_list(
    int family, struct xfrm_rule_status *out, size_t max, size_t *n, int *more);

/* -1 with a message if xfrm_init() has not run. */
int xfrm_ready(void);

#endif
