/*
 * speaker.h: the OSPFv2 speaker's own state, shared by its files and
 * by no one else: interfaces (iface.c), their sockets (sock.c), Hellos
 * (hello.c), neighbours and their state machine (nbr.c, nbr_fsm.c), the
 * database exchange (dd.c), requests, updates and acknowledgements
 * (lsreq.c, flood.c), and the module that ties it to the configuration
 * (module.c).  Point-to-point and passive interfaces only, area 0 only.
 * Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_SPEAKER_H
#define TSUNAGI_OSPF_SPEAKER_H

#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "daemon/event.h"
#include "ospf/lsdb.h"
#include "ospf/pkt.h"
#include "ospf/wire.h"

struct ctl_conn;
struct ospf_spf;

#define OSPF_RXMT_MS     5000 /* RxmtInterval, as FRR's default */
#define OSPF_TRANS_DELAY 1    /* InfTransDelay, seconds */
/*
 * Our own LSAs: at most one instance a second, not RFC 2328's five: that
 * is what FRR and BIRD accept (their MinLSArrival), and a failure's news
 * must not wait behind the last change (FRR: timers throttle lsa all).
 */
#define OSPF_ORIG_INTERVAL_MS (OSPF_MIN_LS_ARRIVAL * 1000)
/*
 * A neighbour's: one instance arriving this soon after the last is
 * dropped (13 (5a)).  Not the RFC's second: FRR originates faster than
 * that after a change, and an instance dropped here comes back only
 * with its retransmission, RxmtInterval (5 s) later.
 */
#define OSPF_MIN_ARRIVAL_MS 100
/*
 * Hellos out of turn: to a neighbour whose Hello does not list us (new,
 * or restarted and forgot us), at most one per this many ms; and a second
 * one this soon after a link comes up, in case the first was lost.
 */
#define OSPF_HELLO_ANSWER_MS 200
#define OSPF_HELLO_AGAIN_MS  500
#define OSPF_PKT_MAX         65535
/*
 * LSAs asked of one neighbour at a time: far more than a house's area
 * holds, and a bound on what a neighbour that lists headers without end
 * can make us keep (and search: the list is scanned on each add).
 */
#define OSPF_MAX_REQ 8192
#define OSPF_IP_HDR  20

/* Neighbour states (10.1); Attempt is NBMA's and never entered here. */
enum ospf_nbr_state {
	NBR_DOWN = 0,
	NBR_ATTEMPT,
	NBR_INIT,
	NBR_2WAY,
	NBR_EXSTART,
	NBR_EXCHANGE,
	NBR_LOADING,
	NBR_FULL,
	NBR_NSTATES
};

/* Neighbour events (10.2). */
enum ospf_nbr_event {
	NBR_EV_HELLO = 0,
	NBR_EV_2WAY,
	NBR_EV_NEG_DONE,
	NBR_EV_EXCH_DONE,
	NBR_EV_BAD_LSREQ,
	NBR_EV_LOAD_DONE,
	NBR_EV_ADJ_OK,
	NBR_EV_SEQ_MISMATCH,
	NBR_EV_1WAY,
	NBR_EV_KILL,
	NBR_EV_INACTIVITY,
	NBR_EV_LL_DOWN,
	NBR_NEVENTS
};

/* What a transition does (nbr.c runs it). */
enum ospf_nbr_action {
	NBR_ACT_NONE = 0,
	NBR_ACT_START_INACT, /* arm the inactivity timer */
	NBR_ACT_ADJ_START,   /* start the exchange: ExStart */
	NBR_ACT_EXCHANGE,    /* build the summary list, send DDs */
	NBR_ACT_EXCH_DONE,   /* Loading or Full: the request list says */
	NBR_ACT_FULL,        /* adjacency up */
	NBR_ACT_RESTART,     /* back to ExStart, lists cleared */
	NBR_ACT_CLEAR,       /* lists cleared (1-Way) */
	NBR_ACT_KILL,        /* lists cleared, timers stopped: Down */
};

/* The state table (nbr_fsm.c): -1 if the event is not for this state. */
int ospf_nbr_fsm(int state, int event, int *action, int *next);
const char *ospf_nbr_state_name(int state);
const char *ospf_nbr_event_name(int event);
/* The next state an action picks itself (EXCH_DONE). */
#define NBR_NEXT_BY_ACTION (-1)
/* The state does not change. */
#define NBR_SAME (-2)

/* Drop reasons counted per interface beside the codec's. */
enum ospf_drop {
	OSPF_DROP_CODEC = 0, /* the codec's reasons are counted apart */
	OSPF_DROP_IPHDR,     /* not an IPv4 OSPF datagram we can read */
	OSPF_DROP_AREA,      /* not area 0 */
	OSPF_DROP_SELF,      /* our own router-id */
	OSPF_DROP_AUTH,      /* authentication type, key id or key */
	OSPF_DROP_REPLAY,    /* message-digest sequence number went back */
	OSPF_DROP_HELLO,     /* intervals or options differ */
	OSPF_DROP_NBR,       /* from no neighbour we know in that state */
	OSPF_DROP_MTU,       /* DD with an MTU above ours */
	OSPF_DROP_DD,        /* a DD out of sequence */
	OSPF_DROP_LSA,       /* an LSA of an update refused */
	OSPF_NDROP
};
const char *ospf_drop_name(int d);

struct ospf_if;

/* A request list entry: the header a DD showed, and whether we asked. */
struct ospf_req {
	struct ospf_lsa_hdr h;
	int asked;
};

struct ospf_nbr {
	struct ospf_if *oif;
	int state;
	uint32_t rid, addr; /* router-id, source address (host order) */
	uint8_t options, prio;
	uint64_t since; /* ms: last state change */
	int master;     /* 1: we are master of the exchange */
	uint32_t dd_seq;
	struct {
		uint8_t flags, options;
		uint32_t seq;
		int valid;
	} last_rx;        /* the last DD received, to spot duplicates (10.6) */
	uint8_t *last_tx; /* the last DD sent, for a slave's answer */
	size_t last_tx_len;
	int sent_more; /* our last DD had M set */
	/* Lists (10): instances held by reference. */
	struct ospf_lsa **summary;
	size_t nsummary, summary_at;
	struct ospf_req *req;
	size_t nreq, capreq;
	struct ospf_lsa **rxmt;
	size_t nrxmt, caprxmt;
	struct ev_timer inact, dd_rxmt, req_rxmt, lsu_rxmt, hold;
	uint64_t events; /* state changes, for show */
};

enum ospf_if_state { OIF_DOWN = 0, OIF_P2P, OIF_PASSIVE };

struct ospf_if {
	struct ospf_if *next;
	char name[CONF_IFNAMSIZ];
	int ifindex;
	int state; /* enum ospf_if_state */
	int passive;
	int tunnel; /* a tsunagi tunnel: up only while it has a CHILD SA */
	int held;   /* held down by a watch-group (shutdown-interface) */
	uint32_t addr, mask; /* primary IPv4 (host order), 0 if none */
	/*
	 * The address is a /32 without a peer: the interface borrows another
	 * one's ("ip unnumbered lan"), as the tunnels do.  Its link is named
	 * by the ifindex and it adds no stub.
	 */
	int unnumbered;
	int noarp;    /* the link resolves no neighbours (XFRM, PPP, GRE...) */
	uint32_t mtu; /* link MTU (IP) */
	const struct conf_ospf_if *cf; /* the configuration's, or defaults */
	int fd;
	struct ev_io *io;
	struct ev_timer hello_t;
	uint64_t hello_answered; /* our last Hello out of turn (hello.c) */
	/* Should be up but its socket failed: tried again (module.c). */
	struct ev_timer retry_t;
	int retry_set;
	uint32_t retry_ms;
	struct ospf_nbr *nbr; /* point-to-point: at most one */
	/* LSA headers to acknowledge, sent as one LSAck per update. */
	uint8_t *ack;
	size_t nack;
	uint64_t rx[OSPF_NTYPES], tx[OSPF_NTYPES];
	uint64_t drop_codec[OSPF_PKT_NERR];
	uint64_t drop[OSPF_NDROP];
	uint64_t lsa_err[OSPF_LSA_NERR];
	int mark;          /* reload: still configured */
	int mismatch_said; /* Hellos that disagree were logged */
	/* The last message-digest sequence number, and whose (D.4.3). */
	uint32_t crypt_rid, crypt_seq;
};

struct ospf_speaker {
	int running;
	uint32_t rid;
	const struct conf *conf;
	struct ospf_if *ifs;
	struct ospf_lsdb db;
	struct ev_timer lsdb_t;
	uint64_t started;
	uint8_t pkt[OSPF_PKT_MAX]; /* one packet being built at a time */
};

extern struct ospf_speaker ospf_sp;

/* iface.c */
void ospf_if_up(struct ospf_if *oif);
void ospf_if_down(struct ospf_if *oif);
uint16_t ospf_if_hello_field(const struct ospf_if *oif);
uint32_t ospf_if_dead_s(const struct ospf_if *oif);
/* Link Data of the interface's point-to-point link (12.4.1.1). */
uint32_t ospf_if_link_data(const struct ospf_if *oif);
/* Largest OSPF packet the link carries. */
size_t ospf_if_pkt_max(const struct ospf_if *oif);
const char *ospf_if_state_name(int state);
void ospf_if_timers(struct ospf_if *oif);
void ospf_if_reconf(
    struct ospf_if *oif, const struct conf_ospf_if *cf, int passive);

/* sock.c */
int ospf_sock_open(struct ospf_if *oif);
/* The digest algorithm of a message-digest interface (auth.h). */
int ospf_sock_alg(const struct ospf_if *oif);
void ospf_sock_close(struct ospf_if *oif);
/* Finishes the packet in w (auth, checksum) and sends it to 224.0.0.5. */
int ospf_send(struct ospf_if *oif, struct ospf_w *w);
/* Starts a packet of type in the speaker's buffer. */
void ospf_pkt_begin(struct ospf_w *w, const struct ospf_if *oif, uint8_t type);
/* Handles one received OSPF packet (after the IP header). */
void ospf_recv(struct ospf_if *oif, uint32_t src, const uint8_t *p, size_t n);

/* hello.c */
void ospf_hello_send(struct ospf_if *oif);
void ospf_hello_recv(
    struct ospf_if *oif, uint32_t src, const struct ospf_pkt *pk);

/* nbr.c */
struct ospf_nbr *ospf_nbr_new(struct ospf_if *oif, uint32_t rid);
void ospf_nbr_free(struct ospf_nbr *n);
void ospf_nbr_event(struct ospf_nbr *n, int event);
void ospf_nbr_clear_lists(struct ospf_nbr *n);
int ospf_nbr_req_find(const struct ospf_nbr *n, const struct ospf_lsa_key *k);
void ospf_nbr_req_del(struct ospf_nbr *n, size_t i);
int ospf_nbr_req_add(struct ospf_nbr *n, const struct ospf_lsa_hdr *h);
int ospf_nbr_rxmt_find(const struct ospf_nbr *n, const struct ospf_lsa_key *k);
void ospf_nbr_rxmt_del(struct ospf_nbr *n, size_t i);
int ospf_nbr_rxmt_add(struct ospf_nbr *n, struct ospf_lsa *l);
/* 1 if some neighbour is in Exchange or Loading (14). */
int ospf_nbr_any_exchanging(void);

/* dd.c */
void ospf_dd_start(struct ospf_nbr *n);   /* entering ExStart */
void ospf_dd_summary(struct ospf_nbr *n); /* NegotiationDone */
void ospf_dd_recv(struct ospf_nbr *n, const struct ospf_pkt *pk);
void ospf_dd_rxmt(void *arg); /* the master's timer */

/* lsreq.c */
void ospf_lsr_send(struct ospf_nbr *n);
void ospf_lsr_recv(struct ospf_nbr *n, const struct ospf_pkt *pk);
/* Loading is done when the list is empty and the exchange is over. */
void ospf_lsr_check_done(struct ospf_nbr *n);

/* flood.c */
void ospf_lsu_recv(struct ospf_nbr *n, const struct ospf_pkt *pk);
void ospf_lsack_recv(struct ospf_nbr *n, const struct ospf_pkt *pk);
/* Floods l (13.3) on every interface but from's neighbour (NULL: all). */
void ospf_flood(struct ospf_lsa *l, const struct ospf_nbr *from);
/* Sends the neighbour's retransmission list again. */
void ospf_lsu_rxmt(void *arg);
/* Sends the LSAs in v straight to n's interface (no retransmission). */
void ospf_lsu_send(struct ospf_if *oif, struct ospf_lsa *const *v, size_t n);
/* Sends what waits to be acknowledged on oif. */
void ospf_ack_flush(struct ospf_if *oif);

/* orig.c */
void ospf_orig_router(void);
/* The same a little later: more news may follow at once (orig.c). */
void ospf_orig_router_soon(void);
/* Our LSA in its database: new, waiting for MinLSInterval, or the same. */
void ospf_orig_put(const uint8_t *lsa, size_t len, int force);
/* The lsdb's refresh hook: ours made again, or flushed if not ours now. */
void ospf_orig_refresh(struct ospf_lsa *l);
void ospf_orig_stop(void);
/* Our router-LSA as it would be now, outside the database (unref it). */
struct ospf_lsa *ospf_orig_router_now(void);
/* One of our LSAs came back from a neighbour, newer than ours (13.4). */
void ospf_orig_self(struct ospf_lsa *l);

/* external.c: AS-external LSAs for redistribute connected / static. */
int ospf_ext_start(void);
void ospf_ext_stop(void);
/* Looks again (now: the caller is not inside a table's notification). */
void ospf_ext_update(void);
/* Looks again soon: from a notification. */
void ospf_ext_soon(void);
size_t ospf_ext_count(void);
/* 1 if we still announce the external LSA of that link-state ID. */
int ospf_ext_wanted(uint32_t id);
/* A new instance of the one we announce with that ID (refresh, 13.4). */
void ospf_ext_refresh(uint32_t id);

/* show.c: registers the show commands (once). */
int ospf_show_register(void);
/* The speaker's families for "show metrics". */
void ospf_metrics(struct ctl_conn *c);

/* route.c: the calculation's schedule and its routes in the table. */
struct ospf_route_stats {
	uint64_t runs, last_ms;
	size_t routes, reached;
};
extern struct ospf_route_stats ospf_route_stats;
void ospf_route_schedule(void);
void ospf_route_now(void);
void ospf_route_stop(void);
/* The last result, for show, and the names of its interface indexes. */
const struct ospf_spf *ospf_route_result(void);
const char *ospf_route_ifname(int ifi);

/* module.c */
void ospf_lsdb_changed(void);
/* The log line and the count of an adjacency change. */
void ospf_nbr_log(const struct ospf_nbr *n, int from, int to, int event);

#endif
