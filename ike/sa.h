/*
 * sa.h: the IKEv2 engine's private objects: tunnels (one per configured
 * TunnelN.M), IKE SAs, CHILD SAs, and the seam through which the engine
 * touches the world (UDP send, xfrm, the XFRM interface).  The engine
 * never calls a socket or netlink directly, so the unit tests can run two
 * engines against each other in memory.  Private to ike/.
 */
#ifndef TSUNAGI_IKE_SA_H
#define TSUNAGI_IKE_SA_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf/conf.h"
#include "daemon/event.h"
#include "ike/crypto.h"
#include "ike/ike.h"
#include "ike/msg.h"
#include "ike/proposal.h"
#include "xfrm/xfrm.h"


#define IKE_MSG_MAX	 8192	/* largest datagram we build or accept */
#define IKE_PORT	 500
#define IKE_PORT_NATT	 4500
#define IKE_NONCE_LEN	 32
#define IKE_ID_MAX	 256

/* Retransmission (2.4): 1, 2, 4, 8, 16 s, then the peer is dead. */
#define IKE_RTX_BASE_MS	 1000
#define IKE_RTX_MAX_MS	 16000
#define IKE_RTX_TRIES	 5
/*
 * A request that could not leave us at all (no route to the peer yet:
 * pppd adds its address a moment before its default route) is no try the
 * peer could have answered: sent again after 250 ms, up to 8 times, then
 * counted as usual.
 */
#define IKE_RTX_UNSENT_MS	 250
#define IKE_RTX_UNSENT_TRIES	 8
/* Re-initiation after a failure: 2 s doubling up to a minute. */
#define IKE_RETRY_MIN_MS 2000
#define IKE_RETRY_MAX_MS 60000
/*
 * Except while the peer simply does not answer: a path that is cut
 * (a dead IPv6 line, a watch-group's clear-sa) must be used again within
 * seconds of its repair, not at the end of 31 s of retransmissions and a
 * minute's backoff.  Our IKE_SA_INIT is sent again once after 1 s; with
 * no answer 2 s later the attempt ends, and a new one (new SPI) starts
 * IKE_RETRY_FAST_MS later: one small datagram every 1.5 s on average,
 * for IKE_RETRY_FAST_TRIES attempts (about ten minutes), then the
 * doubling backoff.  Retransmissions still double within an exchange
 * (RFC 7296 2.4); a peer that answers and refuses gets the backoff.  A
 * tunnel that is up and starts another SA (the peer moved) retransmits
 * that one's IKE_SA_INIT in full, as any other request.
 */
#define IKE_RTX_INIT_TRIES	 1
#define IKE_RETRY_FAST_MS	 1000
#define IKE_RETRY_FAST_TRIES	 150
/* A half-open SA (responder, IKE_AUTH not seen) lives this long. */
#define IKE_HALFOPEN_MS	 30000
/* How long our own initiation waits for the peer's half-open exchange. */
#define IKE_HALFOPEN_YIELD_MS 3000
/*
 * A rekey's responder sends on the new pair once a packet came in on it
 * (looked for this often) or the old pair's DELETE came, and at the
 * latest this late: past strongSwan's first two retransmissions (4 s,
 * then 7.2 s more), so that an answer of ours the initiator lost is not
 * a black hole while it asks again (RFC 7296 2.8).
 */
#define IKE_OUTBOUND_POLL_MS 200
#define IKE_OUTBOUND_WAIT_MS 15000
/* The kernel drops an ESP SA this long after we should have rekeyed it. */
#define IKE_CHILD_GRACE_S 60
#define IKE_POLICY_PRIORITY 1000
#define IKE_POLICY_MAX	 6	/* in, out, fwd for IPv4 and IPv6 */
/* IKE fragmentation (RFC 7383): IP datagrams of at most this size (the
 * IPv6 minimum MTU, below PPPoE's 1454), at most this many pieces. */
#define IKE_FRAG_SIZE	 1280
#define IKE_FRAG_MAX	 32

struct ike_ctx;
struct ike_tunnel;
struct ike_sa;

/*
 * The seam.  Everything the engine does to the outside world goes through
 * these hooks: module.c points them at sockets and xfrm/, the unit tests
 * at buffers and counters.  `t` gives the tunnel for context (its if_id,
 * reqid, name).  Every hook returns 0 or -1.
 */
struct ike_ops {
	int (*send)(void *arg, struct ike_tunnel *t,
	    const struct sockaddr_storage *local,
	    const struct sockaddr_storage *peer, const uint8_t *buf,
	    size_t len);
	int (*spi_alloc)(void *arg, struct ike_tunnel *t,
	    const struct xfrm_ip *src, const struct xfrm_ip *dst,
	    uint32_t *spi);
	/* update: the inbound SA whose SPI spi_alloc reserved. */
	int (*sa_add)(void *arg, struct ike_tunnel *t, const struct xfrm_sa *sa,
	    int update);
	int (*sa_del)(void *arg, struct ike_tunnel *t,
	    const struct xfrm_ip *dst, uint32_t spi);
	int (*sa_get)(void *arg, struct ike_tunnel *t,
	    const struct xfrm_ip *dst, uint32_t spi,
	    struct xfrm_sa_status *st);
	int (*pol_add)(void *arg, struct ike_tunnel *t,
	    const struct xfrm_policy *p);
	int (*pol_del)(void *arg, struct ike_tunnel *t,
	    const struct xfrm_policy *p);
	/* A tunnel appears (make its XFRM interface, start resolving its
	 * peer) or goes away (undo all that). */
	int (*tunnel_add)(void *arg, struct ike_tunnel *t);
	void (*tunnel_del)(void *arg, struct ike_tunnel *t);
	/* Where the tunnel's IKE packets come from (source-address,
	 * outgoing-interface); -1 while there is no usable address. */
	int (*local_addr)(void *arg, struct ike_tunnel *t, int family,
	    struct sockaddr_storage *ss);
	/* The peer's name needs resolving again (liveness failed). */
	void (*resolve)(void *arg, struct ike_tunnel *t);
	/* 1 while the tunnel's outgoing interface is there without a
	 * carrier: nothing can leave by it, so nothing is tried.  May be
	 * NULL (no such check). */
	int (*no_carrier)(void *arg, const struct ike_tunnel *t);
};

/* Identities as IKE carries them (3.5). */
struct ike_id {
	uint8_t		type;		/* IKE_ID_* */
	uint8_t		data[IKE_ID_MAX];
	size_t		len;
};

/* What the engine keeps of a conf_tunnel: nothing points into the conf. */
struct ike_tcfg {
	char		 name[16];
	int		 autoconnect;
	int		 family;		/* of the outer addresses */
	int		 peer_type;		/* enum conf_peer_type */
	struct sockaddr_storage peer_static;
	char		*fqdn;
	struct ike_id	 lid, pid;
	struct ike_secret lpsk, ppsk;
	struct ike_prop	 ike_props[IKE_PROP_MAX_OURS];
	size_t		 nike;
	struct ike_prop	 esp_props[IKE_PROP_MAX_OURS];
	size_t		 nesp;
	uint16_t	 ke_group;		/* the group we guess first */
	uint16_t	 child_pfs;		/* DH group of a rekey, 0 */
	uint32_t	 ike_life, child_life, dpd;	/* seconds */
	uint32_t	 natt_keepalive;		/* seconds, 0: off */
	int		 natt_force;
	/* Where the packets leave from (module.c reads these). */
	struct conf_addr src_addr;
	char		 src_if[16], outgoing[16], unnumbered[16];
	struct conf_addr tun_addr;
	uint32_t	 mtu;
};

enum ike_tstate {
	IKE_T_IDLE = 0,		/* nothing, waiting for the peer (click) */
	IKE_T_CONNECTING,	/* an IKE SA is being set up */
	IKE_T_UP,		/* a CHILD SA is installed */
	IKE_T_WAIT,		/* failed; retry timer armed */
};

struct ike_tunnel {
	struct ike_ctx		*ctx;
	struct ike_tunnel	*next;
	struct ike_tcfg		 cfg;
	uint32_t		 if_id, reqid;
	int			 ifindex;	/* its XFRM interface, 0: none */
	enum ike_tstate		 state;
	/* Outer addresses in use (ports included); family 0: unknown. */
	struct sockaddr_storage	 local, peer;
	int			 have_peer;
	struct ike_sa		*sa;		/* the tunnel's current IKE SA */
	struct xfrm_policy	 pols[IKE_POLICY_MAX];	/* installed */
	size_t			 npols;
	int			 stopping;
	struct ev_timer		 retry;
	uint32_t		 retry_ms;
	unsigned		 nfail;
	unsigned		 nsilent;	/* attempts in a row unanswered */
	char			 last_error[96];
	uint64_t		 up_since;
	uint64_t		 refreshed;	/* last re-resolve we asked */
	/* The address the peer left when it authenticated from another
	 * (ike_tunnel_roamed): a name answer that still gives it is stale,
	 * not a move.  Family 0: none. */
	struct sockaddr_storage	 roamed_from;
	/* Owned by module.c (socket binding, resolver). */
	void			*priv;
};

enum ike_sa_state {
	IKE_ST_INIT_I = 0,	/* initiator: IKE_SA_INIT sent */
	IKE_ST_AUTH_I,		/* initiator: IKE_AUTH sent */
	IKE_ST_INIT_R,		/* responder: waiting for IKE_AUTH */
	IKE_ST_ESTABLISHED,
	IKE_ST_DELETING,	/* our DELETE of the IKE SA is out */
	IKE_ST_LARVAL,		/* made by an IKE rekey, not keyed yet */
	IKE_ST_REKEYED,		/* replaced by a rekey; waits for DELETE */
	IKE_ST_DEAD,		/* gone; freed from the loop */
	IKE_ST_N
};

#define IKE_ST(s) (1u << (s))

/* Exchanges we start (one at a time: window size 1). */
enum ike_task_type {
	IKE_TASK_INIT = 0,
	IKE_TASK_AUTH,
	IKE_TASK_DELETE_IKE,
	IKE_TASK_DELETE_CHILD,
	IKE_TASK_PATH_DOWN,
	IKE_TASK_REKEY_CHILD,
	IKE_TASK_REKEY_IKE,
	IKE_TASK_DPD,
	IKE_TASK_N
};

/*
 * Why a path is dead at our end, as the PATH_DOWN notify says it
 * (task_pathdown.c).
 */
enum ike_pd_reason {
	IKE_PD_CARRIER = 1,	/* its uplink lost its carrier */
	IKE_PD_WATCH = 2,	/* a watch-group found it dead */
};

/* An IKE SA of another tunnel whose path is dead, to tell the peer. */
struct ike_pathdown {
	uint64_t		 ispi, rspi;
	uint8_t			 reason;	/* enum ike_pd_reason */
};
#define IKE_PD_MAX	 4

/* One ESP SA pair. */
struct ike_child {
	int			 installed;
	int			 doomed;	/* ours to DELETE */
	/* The lowest nonce of the exchange that made it (2.8.1). */
	uint8_t			 nmin[IKE_NONCE_MAX];
	size_t			 nminlen;
	/* A rekey's responder sends on the new pair only once the peer
	 * has it too: the outbound keys wait here (guarded memory). */
	int			 out_pending;
	uint64_t		 out_since;	/* ms: held back since */
	struct ike_secret	 out_keys;	/* encryption, then integrity */
	size_t			 out_elen, out_alen;
	uint32_t		 spi_in, spi_out;	/* host order */
	struct ike_prop		 prop;
	struct ike_suite	 suite;
	uint64_t		 since;		/* ev_now() at install */
	uint32_t		 life;		/* seconds */
	struct ike_ts		 ts_l[4], ts_r[4];	/* local, remote */
	size_t			 nts_l, nts_r;
	struct xfrm_ip		 src, dst;	/* outer, local and peer */
};

struct ike_sa {
	struct ike_ctx		*ctx;
	struct ike_sa		*next;
	struct ike_tunnel	*t;
	enum ike_sa_state	 state;
	int			 initiator;
	uint64_t		 ispi, rspi;
	struct sockaddr_storage	 local, peer;	/* as the packets came */
	/* IKE_SA_INIT */
	struct ike_prop		 prop;
	struct ike_suite	 suite;
	uint16_t		 ke_group;
	struct ike_dh		*dh;
	uint8_t			 ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t			 nilen, nrlen;
	uint8_t			*init_i, *init_r;	/* for AUTH (2.15) */
	size_t			 init_ilen, init_rlen;
	uint8_t			 cookie[64];
	size_t			 cookielen;
	unsigned		 cookie_tries;
	struct ike_keys		 keys;
	struct ike_sk_dir	 sk_in, sk_out;
	int			 peer_initial_contact;
	/* Answered for an address no tunnel's peer had: IKE_AUTH's identity
	 * picks the tunnel among those known by name (ike_auth_roam). */
	int			 roaming;
	/* Message IDs, window 1 each way (2.3). */
	uint32_t		 mid_out;	/* our next request */
	uint32_t		 mid_in;	/* the peer's next request */
	/* Our request in flight. */
	int			 active;	/* enum ike_task_type, -1 */
	unsigned		 queued;	/* bit per task type */
	uint8_t			*req;
	size_t			 reqlen;
	unsigned		 tries;
	unsigned		 unsent;	/* sends that did not leave us */
	int			 unsent_last;	/* the last one did not */
	int			 quiet;	/* its failure is logged at debug */
	struct ev_timer		 rtx;
	/* The last response we sent, for a retransmitted request. */
	uint8_t			*resp;
	size_t			 resplen;
	/* The CHILD SA (and, while rekeying, the one it replaces). */
	struct ike_child	 child, old_child;
	struct ike_child	 next_child;	/* our rekey in progress */
	/* The peer's rekey of the same CHILD SA, met while ours was in
	 * flight; after the two are settled (2.8.1), the redundant one. */
	struct ike_child	 coll_child;
	/* The CHILD SA is the peer's rekey of the pair our own rekey (in
	 * flight) also replaces: settled against it when our answer comes. */
	int			 child_from_peer;
	uint32_t		 rk_of;		/* spi_in of the pair we rekey */
	uint32_t		 del_extra;	/* a pair the peer made in vain */
	uint16_t		 ke_want;	/* INVALID_KE: the group we want */
	struct ike_dh		*child_dh;
	uint8_t			 cni[IKE_NONCE_MAX], cnr[IKE_NONCE_MAX];
	size_t			 cnilen, cnrlen;
	/* IKE SA rekey (1.3.2, 2.8.2): in the old SA, the new one our
	 * request makes and the one we made answering the peer's; in a
	 * new SA, the one it replaces. */
	struct ike_sa		*rk_ours, *rk_peer, *rk_parent;
	uint64_t		 created, established;	/* ev_now() */
	uint64_t		 last_in;	/* last message from the peer */
	struct ev_timer		 dpd, rekey, expire, outbound;
	/* NAT traversal (2.23): both ends sent NAT_DETECTION_*, who is
	 * behind a NAT; the end behind one sends keepalives. */
	int			 natd, nat_local, nat_peer;
	struct ev_timer		 keepalive;
	/* RFC 7383: both ends take fragments; reassembly of a request and
	 * of a response in progress. */
	int			 frag;
	struct ike_frag_rx	*rx[2];
	/* PATH_DOWN: the other tunnels' dead SAs this one tells of. */
	struct ike_pathdown	 pd[IKE_PD_MAX];
	size_t			 npd;
	char			 why[96];	/* of a failure, for show */
};

/* Half-open SAs beyond which IKE_SA_INIT needs a cookie (2.6). */
#define IKE_COOKIE_THRESHOLD 16

struct ike_cookie_state {
	struct ike_secret	 key[2];	/* current, previous */
	uint32_t		 version;
	uint64_t		 since;
	unsigned		 threshold;	/* tests: 0 forces cookies */
	int			 threshold_set;
};

struct ike_ctx {
	const struct ike_ops	*ops;
	void			*ops_arg;
	struct ike_tunnel	*tunnels;
	struct ike_sa		*sas;
	ike_tunnel_cb		*cb;
	void			*cb_arg;
	uint32_t		 next_id;	/* if_id / reqid allocation */
	size_t			 frag_size;	/* 0: IKE_FRAG_SIZE */
	struct ike_cookie_state	 cookie;
	struct ev_timer		 reap;
};

/* ctx.c */
void ike_ctx_init(struct ike_ctx *ctx, const struct ike_ops *ops, void *arg);
void ike_ctx_fini(struct ike_ctx *ctx);
int ike_ctx_load(struct ike_ctx *ctx, const struct conf *conf);
int ike_ctx_reload(struct ike_ctx *ctx, const struct conf *conf);
void ike_ctx_reap(struct ike_ctx *ctx);
void ike_ctx_reap_later(struct ike_ctx *ctx);
void ike_ctx_recv(struct ike_ctx *ctx, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const uint8_t *buf, size_t len);

/* tunnel.c */
struct ike_tunnel *ike_tunnel_new(struct ike_ctx *ctx,
    const struct conf *conf, const struct conf_tunnel *ct);
void ike_tunnel_free(struct ike_tunnel *t);
struct ike_tunnel *ike_tunnel_find(struct ike_ctx *ctx, const char *name);
int ike_tunnel_cfg_equal(const struct ike_tcfg *a, const struct ike_tcfg *b);
void ike_tcfg_clear(struct ike_tcfg *c);
int ike_tcfg_from_conf(struct ike_tcfg *c, const struct conf *conf,
    const struct conf_tunnel *ct);
void ike_tunnel_start(struct ike_tunnel *t);
int ike_tunnel_initiate(struct ike_tunnel *t);
void ike_tunnel_set_peer(struct ike_tunnel *t, const struct sockaddr_storage *p);
int ike_tunnel_may_roam(const struct ike_tunnel *t,
    const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer);
void ike_tunnel_roamed(struct ike_tunnel *t, const struct sockaddr_storage *p);
void ike_tunnel_refresh(struct ike_tunnel *t);
int ike_tunnel_new_sa(struct ike_tunnel *t);
void ike_tunnel_kick(struct ike_tunnel *t);
void ike_tunnel_local_gone(struct ike_tunnel *t);
void ike_tunnel_address_up(struct ike_tunnel *t);
void ike_tunnel_carrier(struct ike_tunnel *t, int up);
void ike_tunnel_child_up(struct ike_tunnel *t, struct ike_sa *sa);
void ike_tunnel_sa_gone(struct ike_tunnel *t, struct ike_sa *sa,
    int failed);
void ike_tunnel_clear(struct ike_tunnel *t, const char *who);
int ike_tunnel_has_other_sa(struct ike_tunnel *t, const struct ike_sa *self);
int ike_tunnel_policies(struct ike_tunnel *t, const struct ike_child *c);
void ike_tunnel_policies_del(struct ike_tunnel *t);
const char *ike_tstate_str(enum ike_tstate s);

/* sa.c */
struct ike_sa *ike_sa_new(struct ike_tunnel *t, int initiator);
void ike_sa_free(struct ike_sa *sa);
struct ike_sa *ike_sa_find(struct ike_ctx *ctx, uint64_t our_spi);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
void ike_sa_kill(struct ike_sa *sa, const char *why, int failed);
void ike_sa_delete_now(struct ike_sa *sa, const char *why);
void ike_sa_queue(struct ike_sa *sa, enum ike_task_type task);
void ike_sa_run(struct ike_sa *sa);
void ike_sa_established(struct ike_sa *sa);
int ike_sa_send_plain(struct ike_sa *sa, const uint8_t *buf, size_t len);
void ike_sa_hdr(const struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t mid, struct ike_hdr *h);
long ike_sa_seal(struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t mid, const struct ike_wbuf *inner, uint8_t *out, size_t cap);
void ike_sa_recv(struct ike_sa *sa, const struct ike_msg *m,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer);
const char *ike_sa_state_str(enum ike_sa_state s);
void ike_sa_set_keys(struct ike_sa *sa);
int ike_sa_store(uint8_t **dst, size_t *dstlen, const uint8_t *buf,
    size_t len);

/* The exchanges (task_*.c): the initiator's build and process steps. */
struct ike_task {
	uint8_t		 exchange;
	const char	*name;
	/* Build our request: plain (IKE_SA_INIT: whole message into w,
	 * header included) or the inner chain. */
	int (*build)(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
	    size_t cap);
	/* The response: 0 done, -1 the SA failed (why in sa->why), 1 the
	 * task sent its request again (INVALID_KE, COOKIE). */
	int (*process)(struct ike_sa *sa, const struct ike_msg *m);
};
extern const struct ike_task ike_tasks[IKE_TASK_N];

/* The responder's steps: process a request and build the response. */
typedef int ike_respond_fn(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp);
struct ike_respond {
	uint8_t		 exchange;
	unsigned	 states;	/* IKE_ST() bits where it is valid */
	ike_respond_fn	*fn;
};
extern const struct ike_respond ike_responders[];
extern const size_t ike_nresponders;

/* task_init.c */
int ike_init_respond(struct ike_ctx *ctx, struct ike_tunnel *t,
    const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const struct ike_msg *m,
    int roaming);
void ike_init_refuse(struct ike_ctx *ctx, struct ike_tunnel *t,
    const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const struct ike_msg *m,
    uint16_t type, const uint8_t *d, size_t dlen);
int ike_init_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap);
int ike_init_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_sa_derive(struct ike_sa *sa, const uint8_t *peer_ke, size_t kelen,
    const struct ike_rekey_base *old);

/* task_auth.c */
int ike_auth_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap);
int ike_auth_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_auth_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp);
void ike_id_from_conf(struct ike_id *id, int type, const char *value);
int ike_error_notify(const struct ike_msg *m, uint16_t *type);
size_t ike_esp_offer(const struct ike_sa *sa, struct ike_prop *out,
    uint32_t spi, int with_dh);
int ike_child_answer(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_child *c, int with_dh);
int ike_child_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp, struct ike_child *c, int in_auth,
    uint16_t ke_group);

/* child.c */
int ike_child_spi(struct ike_sa *sa, struct ike_child *c);
void ike_child_put_ts(struct ike_wbuf *w);
void ike_child_put_ts_of(struct ike_wbuf *w, const struct ike_child *c);
int ike_child_ts(struct ike_child *c, const struct ike_msg *m, int initiator);
/* mode: IKE_CHILD_BOTH, or IKE_CHILD_IN_FIRST for a rekey's responder */
#define IKE_CHILD_BOTH		0
#define IKE_CHILD_IN_FIRST	1
int ike_child_install(struct ike_sa *sa, struct ike_child *c,
    const uint8_t *ni, size_t nilen, const uint8_t *nr, size_t nrlen,
    const struct ike_secret *gir, int initiator, int mode);
void ike_child_out_now(struct ike_sa *sa, struct ike_child *c);
void ike_child_drop_out(struct ike_sa *sa, struct ike_child *c);
void ike_child_out_later(struct ike_sa *sa);
void ike_child_remove(struct ike_sa *sa, struct ike_child *c);

/* task_info.c */
int ike_dpd_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap);
int ike_dpd_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_delete_ike_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap);
int ike_delete_ike_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_delete_child_build(struct ike_sa *sa, struct ike_wbuf *w,
    uint8_t *buf, size_t cap);
int ike_delete_child_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_info_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp);
void ike_sa_timers_init(struct ike_sa *sa);
void ike_sa_timers_start(struct ike_sa *sa);
void ike_sa_child_timer(struct ike_sa *sa);
uint64_t ike_rekey_delay_ms(uint32_t life_s);

/* task_pathdown.c */
void ike_tunnel_path_lost(struct ike_tunnel *t, enum ike_pd_reason reason);
int ike_pathdown_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap);
int ike_pathdown_process(struct ike_sa *sa, const struct ike_msg *m);
void ike_pathdown_respond(struct ike_sa *sa, const struct ike_msg *req);

/* task_rekey.c */
int ike_rekey_child_build(struct ike_sa *sa, struct ike_wbuf *w,
    uint8_t *buf, size_t cap);
int ike_rekey_child_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_ccs_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp);
int ike_nonce_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen);
void ike_nonce_min(struct ike_child *c, const uint8_t *a, size_t alen,
    const uint8_t *b, size_t blen);
uint16_t ike_req_ke_group(const struct ike_msg *req);

/* task_ikerekey.c */
int ike_rekey_ike_build(struct ike_sa *sa, struct ike_wbuf *w,
    uint8_t *buf, size_t cap);
int ike_rekey_ike_process(struct ike_sa *sa, const struct ike_msg *m);
int ike_rekey_ike_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp);
void ike_sa_move_children(struct ike_sa *to, struct ike_sa *from);

/* frag.c: frames are 2-byte lengths, each followed by one datagram. */
struct ike_frag_rx;
int ike_frames_set(uint8_t **dst, size_t *dstlen, const uint8_t *buf,
    size_t len);
int ike_frames_seal(struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t mid, const struct ike_wbuf *inner, uint8_t **dst,
    size_t *dstlen);
int ike_frames_send(struct ike_sa *sa, const uint8_t *f, size_t len);
int ike_frag_store(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_sk_pl *sk, const uint8_t *pt, size_t ptlen,
    uint8_t *out, size_t cap, size_t *outlen, uint8_t *first);
void ike_frag_rx_free(struct ike_frag_rx **rxp);

/* cookie.c */
int ike_cookie_needed(const struct ike_ctx *ctx);
long ike_cookie_make(struct ike_ctx *ctx, const struct ike_msg *m,
    const struct sockaddr_storage *peer, const uint8_t *ni, size_t nilen,
    uint8_t *out);
int ike_cookie_valid(struct ike_ctx *ctx, const struct ike_msg *m,
    const struct sockaddr_storage *peer, const uint8_t *ni, size_t nilen);
void ike_cookie_fini(struct ike_ctx *ctx);

/* natt.c */
void ike_natd_put(struct ike_sa *sa, struct ike_wbuf *w, uint64_t rspi);
void ike_natd_check(struct ike_sa *sa, const struct ike_msg *m);
int ike_natt_on(const struct ike_sa *sa);
void ike_natt_float(struct ike_sa *sa);
void ike_natt_moved(struct ike_sa *sa, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer);
void ike_natt_init(struct ike_sa *sa);
void ike_natt_start(struct ike_sa *sa);

/* addr.c: sockaddr and xfrm_ip helpers. */
void ike_ss_to_ip(const struct sockaddr_storage *ss, struct xfrm_ip *ip);
int ike_ss_eq_addr(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b);
uint16_t ike_ss_port(const struct sockaddr_storage *ss);
void ike_ss_set_port(struct sockaddr_storage *ss, uint16_t port);
const char *ike_ss_fmt(const struct sockaddr_storage *ss, char *buf,
    size_t size);
int ike_ss_from_conf(struct sockaddr_storage *ss, int af, const uint8_t *a,
    uint16_t port);

#endif
