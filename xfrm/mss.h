/*
 * mss.h: TCP MSS clamping on the tunnels ("ip tcp adjust-mss"), in an
 * nftables table of tsunagi's own, "inet tsunagi": made at start,
 * replaced whole on reload, removed at exit, and a table a killed run
 * left behind is replaced too.  nft(8) applies it (xfrm/nft.c).
 */
#ifndef TSUNAGI_XFRM_MSS_H
#define TSUNAGI_XFRM_MSS_H

#include <stddef.h>

#include "xfrm/xfrm.h"

struct conf;

#define XFRM_MSS_TABLE "tsunagi"
/* More tunnels than a house has uplinks times a few. */
#define XFRM_MSS_MAX 32

/* The SYNs in or out of one interface get at most these MSS values. */
struct xfrm_mss {
	char ifname[XFRM_IFNAMSIZ];
	unsigned mtu;  /* the interface's, for the log */
	unsigned mss4; /* IPv4 SYNs */
	unsigned mss6; /* IPv6 SYNs */
};

/*
 * The clamping the configuration asks for: one entry per IKEv2 tunnel
 * that is not shut down and has "ip tcp adjust-mss".  auto is the
 * tunnel's MTU minus 40 (IPv4 and TCP headers) or 60 (IPv6); a number N
 * is for IPv4, and IPv6 SYNs get N - 20, the same packet size.  Returns
 * the number of entries (at most max).
 */
size_t xfrm_mss_from_conf(
    const struct conf *conf, struct xfrm_mss *out, size_t max);

/*
 * The nft script that makes the table hold exactly v[0..n-1] (n == 0:
 * no table), in one transaction whatever was there before.  The length
 * written (without the NUL), or -1 if buf is too small or a name cannot
 * be written safely.  No I/O.
 */
int xfrm_mss_script(const struct xfrm_mss *v, size_t n, char *buf, size_t len);

extern const struct tsunagi_module xfrm_mss_module;

#endif
