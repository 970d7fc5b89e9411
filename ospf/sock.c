/*
 * sock.c: one raw IP socket (protocol 89) per OSPF interface, bound to
 * its device, in AllSPFRouters, TTL 1, precedence "internetwork control"
 * as FRR and BIRD send; what it reads is checked in order (IP header,
 * the codec, area, router-id, authentication) and handed to the packet
 * type's handler.  Every drop is counted on the interface.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "ospf/auth.h"
#include "ospf/speaker.h"
#include "ospf/wire.h"

#define SOCK_RCVBUF                 (1 << 20)
#define SOCK_READS                  64 /* datagrams per wakeup, then others get a turn */
#define IPTOS_PREC_INTERNETCONTROL_ 0xc0

static int
sock_opts(int fd, const struct ospf_if *oif)
{
	struct ip_mreqn mr = {.imr_ifindex = oif->ifindex};
	int ttl = 1, loop = 0, tos = IPTOS_PREC_INTERNETCONTROL_;
	int rcv = SOCK_RCVBUF;

	mr.imr_multiaddr.s_addr = htonl(OSPF_ALLSPFROUTERS);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, oif->name,
	        (socklen_t)strlen(oif->name)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) <
	        0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) <
	        0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) <
	        0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0)
		return -1;
	/* A bigger buffer is welcome, not required. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	return 0;
}

/* The IP header of a datagram: the OSPF packet after it, or -1. */
static int
sock_iphdr(const struct ospf_if *oif, const uint8_t *b, size_t n, uint32_t *src,
    size_t *off)
{
	size_t hl;
	uint32_t dst;

	if (n < OSPF_IP_HDR || (b[0] >> 4) != 4)
		return -1;
	hl = (size_t)(b[0] & 0x0f) * 4;
	if (hl < OSPF_IP_HDR || hl > n || b[9] != OSPF_IPPROTO)
		return -1;
	*src = ospf_get32(b + 12);
	dst = ospf_get32(b + 16);
	/* 8.2: to AllSPFRouters or to this interface's own address. */
	if (dst != OSPF_ALLSPFROUTERS && (dst != oif->addr || !dst))
		return -1;
	*off = hl;
	return 0;
}

static void
sock_read(int fd, int events, void *arg)
{
	static uint8_t b[OSPF_PKT_MAX + 1];
	struct ospf_if *oif = arg;
	int i;

	(void)events;
	for (i = 0; i < SOCK_READS; i++) {
		ssize_t n = recv(fd, b, sizeof(b), 0);
		uint32_t src;
		size_t off;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("ospf: %s: recv", oif->name);
			return;
		}
		if (sock_iphdr(oif, b, (size_t)n, &src, &off) < 0) {
			oif->drop[OSPF_DROP_IPHDR]++;
			continue;
		}
		ospf_recv(oif, src, b + off, (size_t)n - off);
		/* The handler may have taken the interface down. */
		if (oif->fd != fd)
			return;
	}
}

int
ospf_sock_open(struct ospf_if *oif)
{
	int fd = socket(
	    AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, OSPF_IPPROTO);

	if (fd < 0) {
		log_warn("ospf: %s: raw socket", oif->name);
		return -1;
	}
	if (sock_opts(fd, oif) < 0) {
		log_warn("ospf: %s: socket options", oif->name);
		close(fd);
		return -1;
	}
	oif->io = ev_io_add(fd, EV_READ, sock_read, oif);
	if (!oif->io) {
		close(fd);
		return -1;
	}
	oif->fd = fd;
	return 0;
}

void
ospf_sock_close(struct ospf_if *oif)
{
	if (oif->io)
		ev_io_del(oif->io);
	oif->io = NULL;
	if (oif->fd >= 0)
		close(oif->fd);
	oif->fd = -1;
}

void
ospf_pkt_begin(struct ospf_w *w, const struct ospf_if *oif, uint8_t type)
{
	(void)oif;
	ospf_w_init(w, ospf_sp.pkt, sizeof(ospf_sp.pkt));
	ospf_pkt_start(w, type, ospf_sp.rid, OSPF_BACKBONE);
}

/* The authentication type and bytes of oif (D.3: the key, zero-padded). */
static uint16_t
sock_auth(const struct ospf_if *oif, uint8_t auth[OSPF_AUTH_LEN])
{
	const struct conf_secret *key = &oif->cf->auth_key;
	const unsigned char *k;

	memset(auth, 0, OSPF_AUTH_LEN);
	if (oif->cf->auth != CONF_OSPF_AUTH_SIMPLE)
		return OSPF_AUTH_NONE;
	if ((k = conf_secret_unlock(key)) != NULL) {
		memcpy(auth, k,
		    key->len < OSPF_AUTH_LEN ? key->len : OSPF_AUTH_LEN);
		conf_secret_lock(key);
	}
	return OSPF_AUTH_SIMPLE;
}

/*
 * The cryptographic sequence number: the wall clock's seconds, so that
 * it keeps rising across our restarts (D.4.3 asks only that it never
 * fall: packets of one second share it).
 */
static uint32_t
sock_crypt_seq(void)
{
	return (uint32_t)time(NULL);
}

int
ospf_sock_alg(const struct ospf_if *oif)
{
	return oif->cf->md5_alg == CONF_OSPF_DIGEST_HMAC_SHA256
	           ? OSPF_ALG_HMAC_SHA256
	           : OSPF_ALG_MD5;
}

/* Finishes and, for message-digest, signs w: the bytes to send, or 0. */
static size_t
sock_finish(struct ospf_if *oif, struct ospf_w *w)
{
	const struct conf_secret *key = &oif->cf->md5_key;
	uint8_t auth[OSPF_AUTH_LEN];
	const unsigned char *k;
	int r;

	if (oif->cf->auth != CONF_OSPF_AUTH_MD5)
		return ospf_pkt_finish(w, sock_auth(oif, auth), auth) < 0
		           ? 0
		           : w->len;
	if (ospf_pkt_finish(w, OSPF_AUTH_CRYPT, NULL) < 0 ||
	    (k = conf_secret_unlock(key)) == NULL)
		return 0;
	r = ospf_auth_sign(ospf_sock_alg(oif), w->p, w->len, w->cap,
	    (uint8_t)oif->cf->md5_key_id, sock_crypt_seq(), k, key->len);
	conf_secret_lock(key);
	return r < 0 ? 0 : w->len + ospf_auth_len(ospf_sock_alg(oif));
}

int
ospf_send(struct ospf_if *oif, struct ospf_w *w)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	size_t n;

	if (oif->fd < 0 || (n = sock_finish(oif, w)) == 0)
		return -1;
	to.sin_addr.s_addr = htonl(OSPF_ALLSPFROUTERS);
	if (sendto(oif->fd, w->p, n, 0, (struct sockaddr *)&to, sizeof(to)) <
	    0) {
		log_debug("ospf: %s: send %s: %s", oif->name,
		    ospf_pkt_type_name(w->p[1]), strerror(errno));
		return -1;
	}
	oif->tx[w->p[1]]++;
	return 0;
}

/*
 * Message-digest: our key id, a digest that is right, and a sequence
 * number not below the last one of that router on this link (a replay).
 */
static int
sock_md5_ok(struct ospf_if *oif, const uint8_t *p, const struct ospf_hdr *h)
{
	const struct conf_secret *key = &oif->cf->md5_key;
	const unsigned char *k;
	uint32_t seq = ospf_get32(h->auth + 4);
	int ok;

	if (h->autype != OSPF_AUTH_CRYPT ||
	    h->auth[2] != (uint8_t)oif->cf->md5_key_id ||
	    h->auth[3] != ospf_auth_len(ospf_sock_alg(oif)) ||
	    h->trail_len < ospf_auth_len(ospf_sock_alg(oif)) ||
	    (k = conf_secret_unlock(key)) == NULL) {
		oif->drop[OSPF_DROP_AUTH]++;
		return 0;
	}
	ok = ospf_auth_ok(ospf_sock_alg(oif), p, h->len, h->trail, k, key->len);
	conf_secret_lock(key);
	if (!ok) {
		oif->drop[OSPF_DROP_AUTH]++;
		return 0;
	}
	if (oif->crypt_rid == h->rid && seq < oif->crypt_seq) {
		oif->drop[OSPF_DROP_REPLAY]++;
		return 0;
	}
	oif->crypt_rid = h->rid;
	oif->crypt_seq = seq;
	return 1;
}

static int
sock_auth_ok(struct ospf_if *oif, const uint8_t *p, const struct ospf_hdr *h)
{
	uint8_t want[OSPF_AUTH_LEN];
	uint16_t autype;

	if (oif->cf->auth == CONF_OSPF_AUTH_MD5)
		return sock_md5_ok(oif, p, h);
	autype = sock_auth(oif, want);
	if (h->autype != autype) {
		oif->drop[OSPF_DROP_AUTH]++;
		return 0;
	}
	/* Simple passwords are compared in full; the key is not secret on
	 * the wire anyway (D.3), so a timing leak tells nothing new. */
	if (autype == OSPF_AUTH_SIMPLE &&
	    memcmp(h->auth, want, OSPF_AUTH_LEN) != 0) {
		oif->drop[OSPF_DROP_AUTH]++;
		return 0;
	}
	return 1;
}

void
ospf_recv(struct ospf_if *oif, uint32_t src, const uint8_t *p, size_t n)
{
	struct ospf_pkt pk;
	enum ospf_pkt_err e = ospf_pkt_parse(p, n, &pk);

	if (e != OSPF_PKT_OK) {
		oif->drop_codec[e]++;
		return;
	}
	if (pk.h.area != OSPF_BACKBONE) {
		oif->drop[OSPF_DROP_AREA]++;
		return;
	}
	if (pk.h.rid == ospf_sp.rid) {
		oif->drop[OSPF_DROP_SELF]++;
		return;
	}
	if (!sock_auth_ok(oif, p, &pk.h)) {
		return;
	}
	oif->rx[pk.h.type]++;
	if (pk.h.type == OSPF_HELLO) {
		ospf_hello_recv(oif, src, &pk);
		return;
	}
	if (!oif->nbr || oif->nbr->rid != pk.h.rid) {
		oif->drop[OSPF_DROP_NBR]++;
		return;
	}
	switch (pk.h.type) {
	case OSPF_DD:
		ospf_dd_recv(oif->nbr, &pk);
		break;
	case OSPF_LSR:
		ospf_lsr_recv(oif->nbr, &pk);
		break;
	case OSPF_LSU:
		ospf_lsu_recv(oif->nbr, &pk);
		break;
	case OSPF_LSACK:
		ospf_lsack_recv(oif->nbr, &pk);
		break;
	}
}
