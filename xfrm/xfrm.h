/*
 * xfrm.h: the kernel's IPsec (XFRM SAs, policies, SPIs) and routing (XFRM
 * interfaces, addresses, routes, rules, address/link events) as tsunagi uses
 * them.  The only interface to netlink; plain structs in, plain structs out.
 */
#ifndef TSUNAGI_XFRM_H
#define TSUNAGI_XFRM_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/*
 * What tsunagi owns.  Every SA and policy it installs carries a reqid and an
 * if_id from these ranges ("ts" = 0x7473 in the high half), every route and
 * rule carries XFRM_RTPROT, and every XFRM interface an if_id from the
 * range.  Cleanup and delete look at nothing else: objects outside the
 * ranges (another IKE daemon's, the administrator's) are never touched, and
 * the kernel tables are never flushed.
 *
 * 213 (0xd5) is free in the kernel's RTPROT_* list and in iproute2's
 * rt_protos (which stop at 192 eigrp; FRR uses 186-198).  Name it for
 * `ip route show proto tsunagi` with "213 tsunagi" in
 * /etc/iproute2/rt_protos.d/tsunagi.conf.
 */
#define XFRM_REQID_MIN 0x74730001u
#define XFRM_REQID_MAX 0x7473ffffu
#define XFRM_IFID_MIN  0x74730001u
#define XFRM_IFID_MAX  0x7473ffffu
#define XFRM_RTPROT    213

/* SPIs tsunagi allocates for its inbound SAs (as strongSwan does). */
#define XFRM_SPI_MIN 0xc0000000u
#define XFRM_SPI_MAX 0xcfffffffu

#define XFRM_IFNAMSIZ    16
#define XFRM_LFT_FOREVER 0xffffffffu /* address lifetime "forever" */

/* An IPv4 or IPv6 address; family 0 means "none". */
struct xfrm_ip {
	uint8_t family; /* AF_INET, AF_INET6 or 0 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t raw[16];
	};
};

struct xfrm_prefix {
	struct xfrm_ip ip;
	uint8_t len;
};

int xfrm_ip_parse(const char *s, struct xfrm_ip *ip);
int xfrm_prefix_parse(const char *s, struct xfrm_prefix *p);
const char *xfrm_ip_fmt(const struct xfrm_ip *ip, char *buf, size_t size);
int xfrm_ip_eq(const struct xfrm_ip *a, const struct xfrm_ip *b);
size_t xfrm_ip_len(int family);

/* --- ESP SAs and policies ------------------------------------------------ */

enum xfrm_enc {
	XFRM_ENC_NONE = 0,
	XFRM_ENC_AES_GCM_16,        /* rfc4106(gcm(aes)), 128-bit ICV */
	XFRM_ENC_CHACHA20_POLY1305, /* rfc7539esp(chacha20,poly1305) */
	XFRM_ENC_AES_CBC,           /* cbc(aes); needs an integrity alg */
};

enum xfrm_integ {
	XFRM_INTEG_NONE = 0, /* only with an AEAD */
	XFRM_INTEG_HMAC_SHA2_256_128,
	XFRM_INTEG_HMAC_SHA2_384_192,
	XFRM_INTEG_HMAC_SHA2_512_256,
};

/* 0 means "no limit" for every field. */
struct xfrm_limits {
	uint64_t soft_bytes, hard_bytes;
	uint64_t soft_packets, hard_packets;
	uint64_t soft_secs, hard_secs; /* since the SA was added */
};

/*
 * A tunnel-mode ESP SA.  Keys belong to the caller (guarded memory); the
 * module copies them only into its own locked message buffer and wipes it.
 * enc_key is the whole KEYMAT slice: for AES-GCM and ChaCha20-Poly1305 the
 * key followed by the 4-byte salt (RFC 4106 8.1, RFC 7634 2).  The SA's
 * selector matches IPv4 and IPv6 inner traffic (route-based: the if_id
 * decides what goes in).
 */
struct xfrm_sa {
	struct xfrm_ip src, dst; /* outer addresses */
	uint32_t spi;            /* host byte order */
	uint32_t reqid;          /* XFRM_REQID_MIN..MAX */
	uint32_t if_id;          /* XFRM_IFID_MIN..MAX */
	enum xfrm_enc enc;
	uint16_t enc_bits; /* AES key size 128 or 256; ChaCha20 256 */
	const uint8_t *enc_key;
	size_t enc_key_len;
	enum xfrm_integ integ;
	const uint8_t *integ_key;
	size_t integ_key_len;
	uint32_t replay_window; /* packets, at most 4096 */
	int esn;                /* 64-bit sequence numbers (needs a window) */
	struct xfrm_limits life;
	uint16_t encap_sport, encap_dport; /* UDP encapsulation if nonzero */
};

/* What the kernel says about an SA (keys are never read back). */
struct xfrm_sa_status {
	struct xfrm_ip src, dst;
	uint32_t spi, reqid, if_id;
	uint8_t proto, mode, flags;
	uint64_t bytes, packets;     /* current lifetime counters */
	uint64_t add_time, use_time; /* wall-clock seconds, 0 = unused */
	uint32_t replay_drops, integrity_failed;
	uint32_t replay_window;
	uint64_t oseq, seq; /* highest sent / received (ESN: 64 bits) */
	struct xfrm_limits life;
	uint16_t encap_sport, encap_dport;
	int larval; /* SPI allocated, SA not yet installed */
};

enum xfrm_dir {
	XFRM_DIR_IN = 0, /* the kernel's XFRM_POLICY_IN/OUT/FWD */
	XFRM_DIR_OUT = 1,
	XFRM_DIR_FWD = 2,
};

/*
 * A policy of a route-based tunnel: inner selector (usually 0.0.0.0/0 or
 * ::/0), outer endpoints as the ESP tunnel template, and the if_id that
 * binds it to one XFRM interface.
 */
struct xfrm_policy {
	enum xfrm_dir dir;
	struct xfrm_prefix sel_src, sel_dst; /* same family */
	struct xfrm_ip src, dst;             /* outer: the template */
	uint32_t reqid, if_id;
	uint32_t priority;
};

int xfrm_init(void);
void xfrm_fini(void);
/* The last failure, readable: operation, errno text, kernel's words. */
const char *xfrm_last_error(void);

int xfrm_spi_alloc(const struct xfrm_ip *src, const struct xfrm_ip *dst,
    uint32_t reqid, uint32_t if_id, uint32_t *spi);
int xfrm_sa_add(const struct xfrm_sa *sa);
int xfrm_sa_update(const struct xfrm_sa *sa);
int xfrm_sa_delete(const struct xfrm_ip *dst, uint32_t spi);
int xfrm_sa_get(
    const struct xfrm_ip *dst, uint32_t spi, struct xfrm_sa_status *st);
int xfrm_policy_add(const struct xfrm_policy *pol);
int xfrm_policy_delete(const struct xfrm_policy *pol);

/* IKE sockets: ESP-in-UDP on port 4500, and no IPsec for IKE itself. */
int xfrm_udp_encap_enable(int fd);
int xfrm_socket_bypass(int fd, int family);

/* --- XFRM interfaces, addresses, routes, rules ------------------------- */

unsigned xfrm_mtu(unsigned uplink_mtu, int outer_family, enum xfrm_enc enc,
    enum xfrm_integ integ, int udp_encap);

int xfrm_link_add(const char *name, uint32_t if_id, int link_ifindex,
    unsigned mtu, int *ifindex);
int xfrm_link_delete(int ifindex);
int xfrm_link_set_up(int ifindex, int up);
int xfrm_link_set_mtu(int ifindex, unsigned mtu);
int xfrm_link_addr_add(int ifindex, const struct xfrm_ip *addr);
int xfrm_link_addr_delete(int ifindex, const struct xfrm_ip *addr);

/* A link's counters as the kernel keeps them (rtnl_link_stats64). */
struct xfrm_link_stats {
	uint64_t rx_bytes, rx_packets, rx_errors, rx_dropped;
	uint64_t tx_bytes, tx_packets, tx_errors, tx_dropped;
};
/* Read them now (a show command's question): 0, or -1 (xfrm_last_error). */
int xfrm_link_stats(int ifindex, struct xfrm_link_stats *st);

enum xfrm_route_type {
	XFRM_ROUTE_UNICAST = 0,
	XFRM_ROUTE_BLACKHOLE,
	XFRM_ROUTE_UNREACHABLE,
};

/* Routes carry XFRM_RTPROT; table 0 means main. */
struct xfrm_route {
	struct xfrm_prefix dst;
	struct xfrm_ip gateway; /* family 0: on-link (dev route) */
	struct xfrm_ip prefsrc; /* family 0: none */
	int oif;                /* ifindex, 0: none */
	uint32_t table;
	uint32_t metric;
	enum xfrm_route_type type;
};

int xfrm_route_add(const struct xfrm_route *rt);
int xfrm_route_replace(const struct xfrm_route *rt);
int xfrm_route_delete(const struct xfrm_route *rt);
int xfrm_route_flush(int family, uint32_t table);
/* 1 if both describe the same route: destination, gateway, interface,
 * metric and table. */
int xfrm_route_eq(const struct xfrm_route *a, const struct xfrm_route *b);
/*
 * The route the kernel would take to dst (leaving by oif if > 0): its
 * gateway and interface in *rt (dst, metric and table are not filled).
 * Looks only; -1 with errno (ENETUNREACH...) if there is none.
 */
int xfrm_route_get(const struct xfrm_ip *dst, int oif, struct xfrm_route *rt);

/* "from SRC lookup TABLE" at PRIORITY; carries XFRM_RTPROT. */
struct xfrm_rule {
	struct xfrm_prefix src;
	uint32_t table;
	uint32_t priority;
};

int xfrm_rule_add(const struct xfrm_rule *rule);
int xfrm_rule_delete(const struct xfrm_rule *rule);
/* Traffic from `src` leaves by `ifindex` (rule + default route in table). */
int xfrm_source_route_add(
    const struct xfrm_ip *src, int ifindex, uint32_t table, uint32_t priority);
int xfrm_source_route_delete(
    const struct xfrm_ip *src, int ifindex, uint32_t table, uint32_t priority);

struct xfrm_cleanup_counts {
	unsigned sa, policy, route, rule, link;
};
/* Remove everything in tsunagi's ranges (leftovers of a crashed run). */
int xfrm_cleanup(struct xfrm_cleanup_counts *counts);

/* --- events ----------------------------------------------------------------
 */

enum xfrm_event_type {
	XFRM_EVENT_NEW = 0,
	XFRM_EVENT_DEL,
};

struct xfrm_link_event {
	enum xfrm_event_type type;
	int ifindex;
	char ifname[XFRM_IFNAMSIZ];
	unsigned flags; /* IFF_UP, IFF_RUNNING, IFF_LOWER_UP ... */
	uint32_t mtu;
	uint8_t operstate;        /* IF_OPER_* */
	char kind[XFRM_IFNAMSIZ]; /* "xfrm", "veth", "" ... */
	uint32_t xfrm_if_id;      /* kind "xfrm" only */
	int link;                 /* underlying ifindex, 0 if none */
};

struct xfrm_addr_event {
	enum xfrm_event_type type;
	int ifindex;
	char ifname[XFRM_IFNAMSIZ]; /* "" if not known */
	struct xfrm_ip addr;
	struct xfrm_ip peer; /* point-to-point (PPP) peer, family 0 if none */
	uint8_t prefixlen;
	uint8_t scope;
	uint32_t flags; /* IFA_F_DEPRECATED, IFA_F_TEMPORARY, ... */
	uint32_t valid_lft, preferred_lft; /* seconds or XFRM_LFT_FOREVER */
};

struct xfrm_expire_event {
	struct xfrm_ip src, dst;
	uint32_t spi, reqid, if_id;
	uint8_t proto;
	int hard;
	uint64_t bytes, packets;
};

struct xfrm_acquire_event {
	struct xfrm_ip src, dst; /* outer, from the template */
	struct xfrm_prefix sel_src, sel_dst;
	uint8_t sel_proto;
	uint32_t reqid, if_id;
	enum xfrm_dir dir;
	uint32_t policy_index;
	uint32_t seq;
};

/*
 * Listeners.  Link and address state first arrives as a dump framed by
 * sync_begin/sync_end, and again the same way whenever the kernel dropped
 * events (ENOBUFS): mark at begin, sweep what was not seen at end.  `lost`
 * says XFRM events were dropped: check your SAs with xfrm_sa_get().  Only
 * EXPIRE and ACQUIRE in tsunagi's ranges are passed on.  Any hook may be
 * NULL.
 */
struct xfrm_monitor_cbs {
	void (*sync_begin)(void *arg);
	void (*sync_end)(void *arg);
	void (*link)(const struct xfrm_link_event *ev, void *arg);
	void (*addr)(const struct xfrm_addr_event *ev, void *arg);
	void (*expire)(const struct xfrm_expire_event *ev, void *arg);
	void (*acquire)(const struct xfrm_acquire_event *ev, void *arg);
	void (*lost)(void *arg);
};

int xfrm_monitor_add(const struct xfrm_monitor_cbs *cbs, void *arg);
void xfrm_monitor_del(int id);
/* Start-up only: wait (blocking) for the running dump to end.  0 or -1. */
int xfrm_monitor_settle(int timeout_ms);

/* tsunagid's module hooks: start = init + cleanup of leftovers. */
struct tsunagi_module;
extern const struct tsunagi_module xfrm_module;

#endif
