/*
 * glue.c: the engine's seam (struct ike_ops) pointed at the real world:
 * UDP sockets on port 500 bound to each tunnel's source address, xfrm/
 * for SPIs, SAs, policies and the tunnel's XFRM interface, ddns/ for the
 * peer's name.  The only ike/ file that does I/O.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "daemon/log.h"
#include "ddns/ddns.h"
#include "ike/glue.h"
#include "xfrm/iftab.h"

/*
 * One pair of sockets per local address, shared by the tunnels using it:
 * port 500, and port 4500 for NAT traversal, where IKE messages follow a
 * four-byte non-ESP marker and the kernel takes the ESP-in-UDP packets
 * itself (UDP_ENCAP_ESPINUDP, RFC 3948).
 */
struct ike_port {
	int			 fd;
	struct ev_io		*io;
	uint16_t		 port;
	struct ike_sock		*sock;
};

struct ike_sock {
	struct ike_sock		*next;
	struct sockaddr_storage	 addr;
	struct ike_port		 p[2];	/* 500, 4500 */
	unsigned		 refs;
};

#define IKE_NON_ESP_MARKER 4

/* What the glue keeps per tunnel (struct ike_tunnel.priv). */
struct ike_tpriv {
	struct ike_sock		*sock;
	struct ddns_peer	*dp;
	/* The host route that pins the peer to the outgoing interface. */
	struct xfrm_route	 pin;
	int			 pinned, pin_stale;
	/* The address on the XFRM interface (own, or borrowed by "ip
	 * unnumbered" and followed when the lender's changes). */
	struct xfrm_ip		 link_addr;
	/* What ike_tunnel_carrier last heard: the outgoing interface is
	 * there without a carrier, or gone. */
	int			 no_carrier;
};

static struct ike_sock *ike_socks;

static socklen_t
ike_ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

/* One datagram: on 4500, a keepalive (one 0xff) or ESP the kernel did
 * not take is dropped, the marker of an IKE message stripped. */
static void
ike_port_input(struct ike_port *p, const struct sockaddr_storage *from,
    const uint8_t *buf, size_t n)
{
	static const uint8_t marker[IKE_NON_ESP_MARKER];
	struct sockaddr_storage local = p->sock->addr;

	ike_ss_set_port(&local, p->port);
	if (p->port == IKE_PORT_NATT) {
		if (n <= IKE_NON_ESP_MARKER ||
		    memcmp(buf, marker, IKE_NON_ESP_MARKER) != 0)
			return;
		buf += IKE_NON_ESP_MARKER;
		n -= IKE_NON_ESP_MARKER;
	}
	ike_ctx_recv(ike_glue_ctx(), &local, from, buf, n);
}

static void
ike_sock_read(int fd, int events, void *arg)
{
	struct ike_port *p = arg;
	struct sockaddr_storage from;
	uint8_t buf[IKE_MSG_MAX + IKE_NON_ESP_MARKER];
	socklen_t flen;
	ssize_t n;
	int i;

	(void)events;
	/* A few per wakeup: fair to the rest of the loop. */
	for (i = 0; i < 16; i++) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &flen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("ike: recvfrom");
			return;
		}
		ike_port_input(p, &from, buf, (size_t)n);
	}
}

static int
ike_sock_open(const struct sockaddr_storage *addr)
{
	int fd, on = 1, fam = addr->ss_family;

	if ((fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		 0)) == -1)
		return -1;
	if ((fam == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
				    sizeof(on)) == -1) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (const struct sockaddr *)addr, ike_ss_len(addr)) == -1 ||
	    xfrm_socket_bypass(fd, fam) == -1 ||
	    (ike_ss_port(addr) == IKE_PORT_NATT &&
		xfrm_udp_encap_enable(fd) == -1)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
ike_port_close(struct ike_port *p)
{
	if (p->io != NULL)
		ev_io_del(p->io);
	if (p->fd != -1)
		close(p->fd);
	p->io = NULL;
	p->fd = -1;
}

/*
 * An address that is there but cannot be bound yet.  pppd changes the
 * address it just set (peer, netmask) by deleting and inserting it again,
 * so a bind can fail between two of its ioctls with no event after the
 * last one.  The tunnels look again after 250 ms, a few times in a row,
 * instead of at the end of a 2 s backoff.
 */
#define IKE_GLUE_REBIND_MS    250
#define IKE_GLUE_REBIND_TRIES 8
static struct ev_timer ike_glue_rebind_t;
static int ike_glue_rebind_set;
static unsigned ike_glue_rebinds;

static void
ike_glue_rebind(void *arg)
{
	struct ike_tunnel *t, *next;

	(void)arg;
	for (t = ike_glue_ctx()->tunnels; t != NULL; t = next) {
		next = t->next;
		ike_tunnel_address_up(t);
	}
}

static void
ike_glue_rebind_later(void)
{
	if (ike_glue_rebinds >= IKE_GLUE_REBIND_TRIES)
		return;
	if (!ike_glue_rebind_set) {
		ev_timer_set(&ike_glue_rebind_t, ike_glue_rebind, NULL);
		ike_glue_rebind_set = 1;
	}
	if (!ev_timer_pending(&ike_glue_rebind_t)) {
		ike_glue_rebinds++;
		ev_timer_add(&ike_glue_rebind_t, IKE_GLUE_REBIND_MS);
	}
}

static int
ike_port_open(struct ike_sock *s, struct ike_port *p, uint16_t port)
{
	struct sockaddr_storage a = s->addr;
	char b[64];

	ike_ss_set_port(&a, port);
	p->port = port;
	p->sock = s;
	if ((p->fd = ike_sock_open(&a)) == -1 ||
	    (p->io = ev_io_add(p->fd, EV_READ, ike_sock_read, p)) == NULL) {
		int e = errno;

		/* Said once while the address is in flux (ike_glue_rebind). */
		if (e == EADDRNOTAVAIL && ike_glue_rebinds > 0)
			log_debug("ike: UDP %s port %u: %s",
			    ike_ss_fmt(&a, b, sizeof(b)), port, strerror(e));
		else
			log_warn("ike: UDP %s port %u",
			    ike_ss_fmt(&a, b, sizeof(b)), port);
		ike_port_close(p);
		errno = e;
		return -1;
	}
	log_info("ike: listening on %s port %u", ike_ss_fmt(&a, b, sizeof(b)),
	    port);
	return 0;
}

static struct ike_sock *
ike_sock_get(const struct sockaddr_storage *addr)
{
	struct ike_sock *s;

	for (s = ike_socks; s != NULL; s = s->next)
		if (ike_ss_eq_addr(&s->addr, addr)) {
			s->refs++;
			return s;
		}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->addr = *addr;
	s->p[0].fd = s->p[1].fd = -1;
	if (ike_port_open(s, &s->p[0], IKE_PORT) == -1 ||
	    ike_port_open(s, &s->p[1], IKE_PORT_NATT) == -1) {
		int e = errno;

		ike_port_close(&s->p[0]);
		free(s);
		errno = e;
		return NULL;
	}
	s->refs = 1;
	s->next = ike_socks;
	ike_socks = s;
	return s;
}

static void
ike_sock_put(struct ike_sock *s)
{
	struct ike_sock **pp;

	if (s == NULL || --s->refs > 0)
		return;
	for (pp = &ike_socks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	ike_port_close(&s->p[0]);
	ike_port_close(&s->p[1]);
	free(s);
}

/* Interface addresses ------------------------------------------------------- */

/* The first address of a family a packet can leave ifname from. */
int
ike_if_addr(const char *ifname, int family, struct sockaddr_storage *ss)
{
	struct xfrm_ip ip;

	if (xfrm_iftab_source(ifname, family, &ip) == -1)
		return -1;
	return ike_ss_from_conf(ss, family, ip.raw, 0);
}

/* No source configured: the address the kernel would pick. */
static int
ike_route_src(const struct sockaddr_storage *peer, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);
	int fd, r;

	if ((fd = socket(peer->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) ==
	    -1)
		return -1;
	r = connect(fd, (const struct sockaddr *)peer, ike_ss_len(peer)) ==
		0 &&
	    getsockname(fd, (struct sockaddr *)ss, &len) == 0 ?
	    0 : -1;
	close(fd);
	return r;
}

static int
ike_glue_local_find(struct ike_tunnel *t, int family,
    struct sockaddr_storage *ss)
{
	const struct ike_tcfg *c = &t->cfg;

	if (c->src_addr.af == family)
		return ike_ss_from_conf(ss, family, c->src_addr.a, IKE_PORT);
	if (c->src_if[0] != '\0')
		return ike_if_addr(c->src_if, family, ss);
	if (c->outgoing[0] != '\0')
		return ike_if_addr(c->outgoing, family, ss);
	return t->have_peer ? ike_route_src(&t->peer, ss) : -1;
}

static struct ike_tpriv *
ike_tpriv(struct ike_tunnel *t)
{
	if (t->priv == NULL)
		t->priv = calloc(1, sizeof(struct ike_tpriv));
	return t->priv;
}

static int
ike_glue_local_addr(void *arg, struct ike_tunnel *t, int family,
    struct sockaddr_storage *ss)
{
	struct ike_tpriv *p = ike_tpriv(t);
	struct ike_sock *s;

	(void)arg;
	if (p == NULL || ike_glue_local_find(t, family, ss) == -1)
		return -1;
	/* A new initiation: the uplink's path may have changed since. */
	p->pin_stale = 1;
	ike_ss_set_port(ss, IKE_PORT);
	if (p->sock != NULL && ike_ss_eq_addr(&p->sock->addr, ss))
		return 0;
	/* A new address (PPPoE renumbered us): a socket on it. */
	if ((s = ike_sock_get(ss)) == NULL) {
		if (errno == EADDRNOTAVAIL)
			ike_glue_rebind_later();
		return -1;
	}
	ike_glue_rebinds = 0;
	ike_sock_put(p->sock);
	p->sock = s;
	return 0;
}

/* Up, and with a carrier: for a veth its peer is up, for ppp the session. */
static int
ike_glue_carrier(const struct xfrm_iftab_link *l)
{
	return (l->flags & IFF_UP) && (l->flags & IFF_LOWER_UP);
}

/*
 * 1 while the tunnel's outgoing interface is there but down or without a
 * carrier.  An interface not there at all is for local_addr to judge.
 */
static int
ike_glue_no_carrier(void *arg, const struct ike_tunnel *t)
{
	const struct xfrm_iftab_link *l;

	(void)arg;
	if (t->cfg.outgoing[0] == '\0' ||
	    (l = xfrm_iftab_link_by_name(t->cfg.outgoing)) == NULL)
		return 0;
	return !ike_glue_carrier(l);
}

/* The peer's pinned route ------------------------------------------------ */

static void
ike_glue_unpin(struct ike_tpriv *p)
{
	if (p->pinned)
		xfrm_route_delete(&p->pin);
	p->pinned = 0;
}

/*
 * The tunnel's outer packets leave by its outgoing interface, whatever
 * else the routing table says: a host route to the peer through the path
 * the kernel itself takes out of that interface.  Without it, a peer
 * whose address lies in a prefix routed into the tunnel (the LAN address
 * as the IKE endpoint, as RA-proxy setups have it) would be sent into its
 * own tunnel as soon as the tunnel's routes are in.
 */
static void
ike_glue_pin(struct ike_tunnel *t, struct ike_tpriv *p,
    const struct sockaddr_storage *peer)
{
	const struct xfrm_iftab_link *l;
	struct xfrm_route rt;
	struct xfrm_ip dst;
	int oif;

	/* The tunnel's peer, not each packet's: an old SA still talking to
	 * a peer's previous address must not flip the route back. */
	ike_ss_to_ip(t->have_peer ? &t->peer : peer, &dst);
	if (t->cfg.outgoing[0] == '\0' || (p->pinned && !p->pin_stale &&
		xfrm_ip_eq(&p->pin.dst.ip, &dst)))
		return;
	p->pin_stale = 0;
	l = xfrm_iftab_link_by_name(t->cfg.outgoing);
	oif = l != NULL ? l->ifindex : 0;
	if (oif == 0 || xfrm_route_get(&dst, oif, &rt) == -1) {
		log_debug("ike: %s: no route to the peer by %s", t->cfg.name,
		    t->cfg.outgoing);
		ike_glue_unpin(p);
		return;
	}
	memset(&rt.prefsrc, 0, sizeof(rt.prefsrc));
	/*
	 * Metric 0: for IPv4 below any route OSPF may install for the same
	 * /32 (its distance), so a house announcing its uplink never draws
	 * the tunnel's own packets into a tunnel (docs/ospf.md).  For IPv6
	 * the kernel makes it 1024; OSPFv2 installs no IPv6 route.
	 */
	rt.metric = 0;
	rt.dst.ip = dst;
	rt.dst.len = (uint8_t)(xfrm_ip_len(dst.family) * 8);
	rt.oif = oif;
	if (p->pinned && xfrm_route_eq(&rt, &p->pin))
		return;
	ike_glue_unpin(p);
	if (xfrm_route_replace(&rt) == 0) {
		p->pin = rt;
		p->pinned = 1;
	}
}

/*
 * A send that failed: said once, then at debug while the same error to
 * the same peer repeats (no route yet: the request is sent again every
 * 250 ms for a while, IKE_RTX_UNSENT_MS).
 */
static void
ike_glue_send_failed(const struct sockaddr_storage *peer, int e)
{
	static struct sockaddr_storage last;
	static int last_errno;
	static uint64_t last_at;
	uint64_t now = ev_now();
	char a[64];

	ike_ss_fmt(peer, a, sizeof(a));
	if (e == last_errno && ike_ss_eq_addr(&last, peer) &&
	    now - last_at < 10000) {
		log_debug("ike: sendto %s: %s", a, strerror(e));
		return;
	}
	last = *peer;
	last_errno = e;
	last_at = now;
	log_warnx("ike: sendto %s: %s", a, strerror(e));
}

static int
ike_glue_send(void *arg, struct ike_tunnel *t,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer,
    const uint8_t *buf, size_t len)
{
	static const uint8_t marker[IKE_NON_ESP_MARKER];
	struct iovec iov[2];
	struct msghdr mh;
	struct ike_sock *s;
	int natt = ike_ss_port(local) == IKE_PORT_NATT;
	char a[64];

	(void)arg;
	if (t->priv != NULL)
		ike_glue_pin(t, t->priv, peer);
	for (s = ike_socks; s != NULL; s = s->next)
		if (ike_ss_eq_addr(&s->addr, local))
			break;
	if (s == NULL) {
		log_warnx("ike: no socket on %s", ike_ss_fmt(local, a,
							   sizeof(a)));
		return -1;
	}
	/* On 4500 an IKE message follows the marker; a keepalive does not. */
	memset(&mh, 0, sizeof(mh));
	iov[0] = (struct iovec){ (void *)marker, sizeof(marker) };
	iov[1] = (struct iovec){ (void *)buf, len };
	mh.msg_name = (void *)peer;
	mh.msg_namelen = ike_ss_len(peer);
	mh.msg_iov = natt && len > 1 ? iov : iov + 1;
	mh.msg_iovlen = natt && len > 1 ? 2 : 1;
	if (sendmsg(s->p[natt].fd, &mh, 0) == -1) {
		ike_glue_send_failed(peer, errno);
		return -1;
	}
	return 0;
}

/* xfrm -------------------------------------------------------------------- */

static int
ike_glue_spi(void *arg, struct ike_tunnel *t, const struct xfrm_ip *src,
    const struct xfrm_ip *dst, uint32_t *spi)
{
	(void)arg;
	return xfrm_spi_alloc(src, dst, t->reqid, t->if_id, spi);
}

static int
ike_glue_sa_add(void *arg, struct ike_tunnel *t, const struct xfrm_sa *sa,
    int update)
{
	(void)arg, (void)t;
	return update ? xfrm_sa_update(sa) : xfrm_sa_add(sa);
}

static int
ike_glue_sa_del(void *arg, struct ike_tunnel *t, const struct xfrm_ip *dst,
    uint32_t spi)
{
	(void)arg, (void)t;
	return xfrm_sa_delete(dst, spi);
}

static int
ike_glue_sa_get(void *arg, struct ike_tunnel *t, const struct xfrm_ip *dst,
    uint32_t spi, struct xfrm_sa_status *st)
{
	(void)arg, (void)t;
	return xfrm_sa_get(dst, spi, st);
}

static int
ike_glue_pol_add(void *arg, struct ike_tunnel *t, const struct xfrm_policy *p)
{
	(void)arg, (void)t;
	return xfrm_policy_add(p);
}

static int
ike_glue_pol_del(void *arg, struct ike_tunnel *t, const struct xfrm_policy *p)
{
	(void)arg, (void)t;
	return xfrm_policy_delete(p);
}

/* The tunnel's interface, its address (own or borrowed), and the peer --- */

/*
 * Puts the tunnel's own address on its interface, or the one it borrows
 * now: an unnumbered tunnel follows its lender's IPv4 address, whatever
 * the OS renumbers it to, and holds none while the lender has none.
 */
static void
ike_glue_link_addr(struct ike_tunnel *t)
{
	struct ike_tpriv *p = t->priv;
	struct xfrm_ip ip;

	memset(&ip, 0, sizeof(ip));
	if (t->cfg.tun_addr.af == AF_INET) {
		ip.family = AF_INET;
		memcpy(ip.raw, t->cfg.tun_addr.a, 4);
	} else if (t->cfg.unnumbered[0] != '\0' &&
	    xfrm_iftab_source(t->cfg.unnumbered, AF_INET, &ip) == -1) {
		memset(&ip, 0, sizeof(ip));
	}
	if (p == NULL || t->ifindex <= 0 || xfrm_ip_eq(&ip, &p->link_addr))
		return;
	if (p->link_addr.family != 0)
		xfrm_link_addr_delete(t->ifindex, &p->link_addr);
	memset(&p->link_addr, 0, sizeof(p->link_addr));
	if (ip.family != 0 && xfrm_link_addr_add(t->ifindex, &ip) == 0)
		p->link_addr = ip;
	if (t->cfg.unnumbered[0] != '\0') {
		char b[64];

		if (ip.family != 0)
			log_info("ike: %s: borrows %s from %s", t->cfg.name,
			    xfrm_ip_fmt(&ip, b, sizeof(b)), t->cfg.unnumbered);
		else
			log_warnx("ike: %s: %s has no IPv4 address to borrow",
			    t->cfg.name, t->cfg.unnumbered);
	}
}

int
ike_glue_tunnel_addr(const struct ike_tunnel *t, struct xfrm_ip *out)
{
	const struct ike_tpriv *p = t->priv;

	memset(out, 0, sizeof(*out));
	if (p == NULL || p->link_addr.family == 0)
		return -1;
	*out = p->link_addr;
	return 0;
}

static void
ike_glue_peer_cb(const struct ddns_answer *ans, int changed, void *arg)
{
	struct ike_tunnel *t = arg;
	struct sockaddr_storage ss;

	if (ans->status != DDNS_ST_OK || ans->naddrs == 0) {
		log_warnx("ike: %s: %s: %s", t->cfg.name, t->cfg.fqdn,
		    ddns_status_str(ans->status));
		return;
	}
	if (ike_ss_from_conf(&ss, ans->af, ans->addrs[0], IKE_PORT) == -1)
		return;
	if (changed)
		log_info("ike: %s: %s resolved", t->cfg.name, t->cfg.fqdn);
	ike_tunnel_set_peer(t, &ss);
}

/*
 * The XFRM interface is made without an underlying link: the kernel
 * would route its ESP packets out of that link's ifindex, which a PPPoE
 * reconnect replaces.  The peer's pinned host route (above) sends them
 * out of the outgoing interface instead, whatever its ifindex.
 */
static int
ike_glue_tunnel_add(void *arg, struct ike_tunnel *t)
{
	struct ike_tpriv *p = ike_tpriv(t);
	unsigned mtu;

	(void)arg;
	if (p == NULL)
		return -1;
	p->no_carrier = ike_glue_no_carrier(NULL, t);
	if (t->cfg.fqdn != NULL &&
	    (p->dp = ddns_peer_add(t->cfg.fqdn, t->cfg.family,
		 ike_glue_peer_cb, t)) == NULL)
		log_warnx("ike: %s: cannot resolve %s", t->cfg.name,
		    t->cfg.fqdn);
	mtu = xfrm_iftab_tunnel_mtu(t->cfg.mtu, t->cfg.outgoing,
	    t->cfg.family);
	if (xfrm_link_add(t->cfg.name, t->if_id, 0, mtu, &t->ifindex) == -1) {
		t->ifindex = 0;
		return -1;
	}
	xfrm_link_set_up(t->ifindex, 1);
	ike_glue_link_addr(t);
	if (t->cfg.unnumbered[0] != '\0' && p->link_addr.family == 0)
		log_warnx("ike: %s: %s has no IPv4 address to borrow yet",
		    t->cfg.name, t->cfg.unnumbered);
	return 0;
}

static void
ike_glue_tunnel_del(void *arg, struct ike_tunnel *t)
{
	struct ike_tpriv *p = t->priv;

	(void)arg;
	if (t->ifindex > 0)
		xfrm_link_delete(t->ifindex);
	t->ifindex = 0;
	if (p != NULL) {
		ike_glue_unpin(p);
		if (p->dp != NULL)
			ddns_peer_del(p->dp);
		ike_sock_put(p->sock);
		free(p);
	}
	t->priv = NULL;
}

static void
ike_glue_resolve(void *arg, struct ike_tunnel *t)
{
	struct ike_tpriv *p = t->priv;

	(void)arg;
	if (p != NULL && p->dp != NULL)
		ddns_peer_refresh(p->dp);
}

/* Address events ------------------------------------------------------------ */

/* 1 if the tunnel's IKE packets leave from an address of ifname. */
static int
ike_glue_uses_if(const struct ike_tunnel *t, const char *ifname)
{
	const struct ike_tcfg *c = &t->cfg;

	if (c->src_if[0] != '\0')
		return strcmp(c->src_if, ifname) == 0;
	return c->outgoing[0] != '\0' && strcmp(c->outgoing, ifname) == 0;
}

/*
 * The interface table: the address a tunnel uses went away (its SAs end,
 * it starts over), or one it could send from appeared or became usable
 * (it tries at once, not at the end of its backoff); an unnumbered
 * tunnel's lender was renumbered.  No polling.
 */
static void
ike_glue_addr(const struct xfrm_iftab_link *l, const struct xfrm_iftab_addr *a,
    enum xfrm_iftab_change change, void *arg)
{
	struct ike_tunnel *t, *next;
	struct xfrm_ip local, fixed;
	const char *ifname = l != NULL ? l->name : "";

	(void)arg;
	for (t = ike_glue_ctx()->tunnels; t != NULL; t = next) {
		next = t->next;
		if (a->addr.family == AF_INET &&
		    strcmp(t->cfg.unnumbered, ifname) == 0)
			ike_glue_link_addr(t);
		if (a->addr.family != t->cfg.family)
			continue;
		ike_ss_to_ip(&t->local, &local);
		memset(&fixed, 0, sizeof(fixed));
		if (t->cfg.src_addr.af == a->addr.family) {
			fixed.family = a->addr.family;
			memcpy(fixed.raw, t->cfg.src_addr.a, 16);
		}
		if (change == XFRM_IFTAB_GONE) {
			if (local.family != 0 && xfrm_ip_eq(&local, &a->addr))
				ike_tunnel_local_gone(t);
		} else if (xfrm_ip_eq(&fixed, &a->addr) ||
		    (fixed.family == 0 && ike_glue_uses_if(t, ifname))) {
			ike_tunnel_address_up(t);
		}
	}
}

/*
 * A tunnel's outgoing interface lost its carrier, or went away (a PPPoE
 * session ended), or got it back: the engine ends the SAs at once or
 * tries again at once (ike_tunnel_carrier).  Only the changes are told.
 */
static void
ike_glue_link(const struct xfrm_iftab_link *l, enum xfrm_iftab_change change,
    void *arg)
{
	struct ike_tunnel *t, *next;
	struct ike_tpriv *p;
	int down = change == XFRM_IFTAB_GONE || !ike_glue_carrier(l);

	(void)arg;
	for (t = ike_glue_ctx()->tunnels; t != NULL; t = next) {
		next = t->next;
		if (strcmp(t->cfg.outgoing, l->name) != 0 ||
		    (p = ike_tpriv(t)) == NULL || p->no_carrier == down)
			continue;
		p->no_carrier = down;
		ike_tunnel_carrier(t, !down);
	}
}

static const struct xfrm_iftab_cbs ike_glue_cbs = {
	.link = ike_glue_link,
	.addr = ike_glue_addr,
};
static int ike_glue_listening;

int
ike_glue_monitor(int on)
{
	if (on && !ike_glue_listening) {
		if (xfrm_iftab_listen(&ike_glue_cbs, NULL) == -1) {
			log_warnx("ike: no address changes: a renumbered "
				  "uplink is noticed only by the liveness "
				  "checks");
			return -1;
		}
		ike_glue_listening = 1;
	}
	if (!on && ike_glue_listening) {
		xfrm_iftab_unlisten(&ike_glue_cbs, NULL);
		ike_glue_listening = 0;
	}
	if (!on && ike_glue_rebind_set)
		ev_timer_del(&ike_glue_rebind_t);
	return 0;
}

const struct ike_ops ike_glue_ops = {
	.send = ike_glue_send,
	.spi_alloc = ike_glue_spi,
	.sa_add = ike_glue_sa_add,
	.sa_del = ike_glue_sa_del,
	.sa_get = ike_glue_sa_get,
	.pol_add = ike_glue_pol_add,
	.pol_del = ike_glue_pol_del,
	.tunnel_add = ike_glue_tunnel_add,
	.tunnel_del = ike_glue_tunnel_del,
	.local_addr = ike_glue_local_addr,
	.resolve = ike_glue_resolve,
	.no_carrier = ike_glue_no_carrier,
};
