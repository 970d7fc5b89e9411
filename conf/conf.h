/*
 * conf.h: the one header other modules read.  A configuration file in the
 * NEC IX style is parsed into a plain-data struct conf; nothing else in the
 * daemon changes while that happens, so a bad file is simply thrown away.
 * See tsunagi.conf(5) for the language.
 */
#ifndef TSUNAGI_CONF_H
#define TSUNAGI_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Diagnostics ------------------------------------------------------------- */

#define CONF_ERROR   1
#define CONF_WARNING 2

/*
 * line 0 means "the whole file" and col 0 "the whole line".  token is the
 * offending word as written (non-printable bytes escaped), or NULL when it
 * was a secret or there is no single word to blame.
 */
struct conf_diag {
	int severity;
	char *file;
	int line, col;
	char *token;
	char *msg;
	struct conf_diag *next;
};

struct conf_diags {
	struct conf_diag *head, **tail;
	int errors, warnings;
};

void conf_diags_init(struct conf_diags *);
void conf_diags_free(struct conf_diags *);
/* One "file:line:col: error: msg" line per diagnostic. */
void conf_diags_print(const struct conf_diags *, FILE *);
/*
 * "file:line:col: error" of one diagnostic (line or column left out when
 * 0), as conf_diags_print() puts it before the message: for the log.
 */
#define CONF_DIAG_WHERE 4160 /* PATH_MAX and the rest */
const char *conf_diag_where(const struct conf_diag *, char *buf, size_t len);

/* Limits (each has a clear error when crossed) ---------------------------- */

#define CONF_MAX_FILE   (1024 * 1024) /* bytes in one file */
#define CONF_MAX_LINE   4096          /* bytes in one line */
#define CONF_MAX_TOKENS 64            /* words in one line */
#define CONF_MAX_ERRORS 50            /* then parsing stops */
#define CONF_MAX_SECRET 256           /* bytes in a decoded secret */
#define CONF_IFNAMSIZ   16            /* Linux IFNAMSIZ, with the NUL */
#define CONF_MAX_ALGS   8             /* algorithms in one proposal */

/* Plain values ------------------------------------------------------------ */

/*
 * An IPv4 or IPv6 address or prefix.  a[] is in network byte order, an IPv4
 * address in its first four bytes.  plen is the prefix length; a plain host
 * address has 32 or 128.  af == 0 means "not set".
 */
struct conf_addr {
	int af; /* AF_INET, AF_INET6 or 0 */
	uint8_t a[16];
	int plen;
};

/*
 * A secret (PSK, TSIG key, password) in libsodium guarded memory.  The pages
 * are PROT_NONE except between conf_secret_unlock() and conf_secret_lock().
 */
struct conf_secret {
	unsigned char *buf; /* sodium_malloc'd; NULL if unset */
	size_t len;
};

const unsigned char *conf_secret_unlock(const struct conf_secret *);
void conf_secret_lock(const struct conf_secret *);

/* IKEv2 identities (the "id" word of the PSK commands). */
enum conf_id_type {
	CONF_ID_NONE = 0,
	CONF_ID_KEYID,
	CONF_ID_FQDN,
	CONF_ID_IPV4,
	CONF_ID_IPV6,
	CONF_ID_EMAIL,
};

struct conf_ident {
	int type;    /* enum conf_id_type */
	char *value; /* addresses in inet_ntop form */
};

/* "key char" secrets are kept as written, "key hex" ones decoded. */
enum conf_key_form {
	CONF_KEY_CHAR = 0,
	CONF_KEY_HEX,
};

struct conf_psk {
	struct conf_ident id;
	int form; /* enum conf_key_form */
	struct conf_secret key;
	int line;
};

/* IKE and ESP algorithms -------------------------------------------------- */

enum conf_enc {
	CONF_ENC_AES_CBC_128 = 1,
	CONF_ENC_AES_CBC_192,
	CONF_ENC_AES_CBC_256,
	CONF_ENC_AES_GCM16_128,
	CONF_ENC_AES_GCM16_192,
	CONF_ENC_AES_GCM16_256,
	CONF_ENC_CHACHA20_POLY1305,
};

enum conf_integ { /* also the PRF values */
	CONF_INTEG_SHA1 = 1,
	CONF_INTEG_SHA2_256,
	CONF_INTEG_SHA2_384,
	CONF_INTEG_SHA2_512,
};

/* Diffie-Hellman groups are their IANA numbers (RFC 7296 transform type 4). */
#define CONF_DH_MODP1024   2
#define CONF_DH_MODP1536   5
#define CONF_DH_MODP2048   14
#define CONF_DH_MODP3072   15
#define CONF_DH_MODP4096   16
#define CONF_DH_ECP256     19
#define CONF_DH_ECP384     20
#define CONF_DH_ECP521     21
#define CONF_DH_CURVE25519 31
#define CONF_PFS_OFF       0 /* child-pfs off */

enum conf_alg_kind {
	CONF_ALG_ENC = 0,
	CONF_ALG_INTEG,
	CONF_ALG_PRF,
	CONF_ALG_DH,
};

/* The configuration keyword of an algorithm, or NULL. */
const char *conf_alg_name(int kind, int value);
/* 1 if the encryption algorithm is an AEAD (needs no integrity). */
int conf_enc_is_aead(int enc);

struct conf_alglist {
	int n;
	uint16_t v[CONF_MAX_ALGS]; /* in order of preference */
};

/* Bits of conf_ike_params.set: which fields were written in the file. */
#define CONF_IKE_SA_ENC         0x001
#define CONF_IKE_SA_INTEG       0x002
#define CONF_IKE_SA_PRF         0x004
#define CONF_IKE_SA_DH          0x008
#define CONF_IKE_SA_LIFETIME    0x010
#define CONF_IKE_CHILD_ENC      0x020
#define CONF_IKE_CHILD_INTEG    0x040
#define CONF_IKE_CHILD_PFS      0x080
#define CONF_IKE_CHILD_LIFETIME 0x100
#define CONF_IKE_DPD            0x200

/*
 * Proposals, lifetimes and DPD.  The default profile and each tunnel carry
 * the fields written in the file ("set" says which); each tunnel also gets
 * the effective values (tunnel, else default profile, else built-in
 * default) filled in by the parser, with every bit of "set" on.
 */
struct conf_ike_params {
	unsigned set;
	struct conf_alglist sa_enc, sa_integ, sa_prf, sa_dh;
	struct conf_alglist child_enc, child_integ;
	int child_pfs;           /* DH group or CONF_PFS_OFF */
	uint32_t sa_lifetime;    /* seconds */
	uint32_t child_lifetime; /* seconds */
	uint32_t dpd_interval;   /* seconds, 0 = DPD off */
};

/* Defaults (interoperate with strongSwan's default proposals). */
#define CONF_DEF_SA_LIFETIME    28800
#define CONF_DEF_CHILD_LIFETIME 3600
#define CONF_DEF_DPD_INTERVAL   30

/* Interfaces -------------------------------------------------------------- */

/* The algorithm of "ip ospf message-digest-key N ALG KEY". */
enum conf_ospf_digest {
	CONF_OSPF_DIGEST_MD5 = 0,     /* RFC 2328 D.4.3 */
	CONF_OSPF_DIGEST_HMAC_SHA256, /* RFC 5709 */
};

enum conf_ospf_auth {
	CONF_OSPF_AUTH_NULL = 0,
	CONF_OSPF_AUTH_SIMPLE,
	CONF_OSPF_AUTH_MD5,
};

/*
 * "ip ospf network".  tsunagi elects no DR, so an OSPF interface with
 * neighbours must be point-to-point: a tunnel always is, a Linux
 * interface says so (or is passive).
 */
enum conf_ospf_network {
	CONF_OSPF_NET_DEFAULT = 0, /* not written */
	CONF_OSPF_NET_P2P,         /* point-to-point */
	CONF_OSPF_NET_BROADCAST,   /* broadcast, written explicitly */
};

/* OSPF settings of one interface (tunnel or Linux interface). */
struct conf_ospf_if {
	uint32_t cost; /* default 10 */
	int mtu_ignore;
	uint32_t hello;              /* seconds, default 10 */
	uint32_t dead;               /* seconds, default 4 * hello */
	int dead_set;                /* dead written explicitly */
	int hello_multiplier;        /* >0: "dead-interval minimal" */
	int auth;                    /* enum conf_ospf_auth */
	struct conf_secret auth_key; /* simple: <= 8 bytes */
	int md5_key_id;              /* 1..255 when md5_key is set */
	int md5_alg;                 /* enum conf_ospf_digest */
	struct conf_secret md5_key;  /* MD5: <= 16 bytes; HMAC: <= 64 */
	int network;                 /* enum conf_ospf_network */
};

#define CONF_DEF_OSPF_COST  10
#define CONF_DEF_OSPF_DISTANCE 110 /* as on NEC IX and FRR */
#define CONF_DEF_OSPF_HELLO 10

enum conf_connect {
	CONF_CONNECT_AUTO = 0, /* initiate at start and on failure */
	CONF_CONNECT_CLICK,    /* initiate only when told to */
};

enum conf_peer_type {
	CONF_PEER_NONE = 0,
	CONF_PEER_ADDR,
	CONF_PEER_FQDN4, /* resolve A */
	CONF_PEER_FQDN6, /* resolve AAAA */
};

#define CONF_MSS_OFF  0
#define CONF_MSS_AUTO (-1)

/*
 * "interface TunnelN.M": one IKEv2 peer and its route-based XFRM interface,
 * which gets the name as written.
 */
struct conf_tunnel {
	char name[CONF_IFNAMSIZ];
	char *description;
	int mode_ikev2;                 /* "tunnel mode ipsec-ikev2" seen */
	char unnumbered[CONF_IFNAMSIZ]; /* "" if unset */
	struct conf_addr addr;          /* "ip address", af 0 if unset */
	int connect;                    /* enum conf_connect */
	char outgoing[CONF_IFNAMSIZ];
	int outgoing_auto;
	struct conf_addr source_addr;  /* ikev2 source-address ADDR */
	char source_if[CONF_IFNAMSIZ]; /* or IFACE */
	int peer_type;                 /* enum conf_peer_type */
	struct conf_addr peer_addr;
	char *peer_fqdn;
	struct conf_ident peer_id; /* the PSK id of the peer */
	uint32_t natt_keepalive;   /* seconds, default 20 */
	int natt_force;
	struct conf_ike_params ike_set; /* as written on the tunnel */
	struct conf_ike_params ike;     /* effective */
	struct conf_ospf_if ospf;
	int adjust_mss; /* CONF_MSS_*, or bytes */
	uint32_t mtu;   /* 0 = kernel default */
	int shutdown;
	int line;
};

#define CONF_DEF_NATT_KEEPALIVE 20

/*
 * "interface NAME" for a Linux interface (wan6, ppp0, lan...).  tsunagi
 * never configures these.  Addresses written here only document what the
 * OS gives the interface: tsunagid uses the kernel's and warns when they
 * differ (conf_check_addrs).
 */
struct conf_linkif {
	char name[CONF_IFNAMSIZ];
	char *description;
	struct conf_addr *addrs; /* ip address / ipv6 address */
	size_t naddrs;
	struct conf_ospf_if ospf;
	int line;
};

/*
 * A Linux interface the file names, by a command or by an "interface"
 * block, once, where it is first named.  Its addresses and state are the
 * kernel's: tsunagid reads them there, and conf_check_links() warns of a
 * name the kernel does not have.
 */
struct conf_oslink {
	char name[CONF_IFNAMSIZ];
	char what[48]; /* the command that names it first */
	int line, col;
	int declared; /* it has an "interface" block */
};

/* OSPF -------------------------------------------------------------------- */

struct conf_ospf_net {
	char ifname[CONF_IFNAMSIZ];
	uint32_t area; /* host byte order */
	int line;
};

struct conf_ospf {
	int enabled; /* "ip router ospf N" present */
	unsigned process_id;
	uint32_t router_id; /* host byte order, 0 = auto */
	uint32_t distance;  /* of its routes, 1..255, default 110 */
	int redist_connected;
	int redist_static;
	uint32_t *areas; /* host byte order */
	size_t nareas;
	struct conf_ospf_net *networks;
	size_t nnetworks;
	char (*passive)[CONF_IFNAMSIZ];
	size_t npassive;
	int line;
};

/* Static routes ----------------------------------------------------------- */

struct conf_route {
	struct conf_addr prefix;
	char ifname[CONF_IFNAMSIZ]; /* "" if via nexthop */
	struct conf_addr nexthop;   /* af 0 if via ifname */
	int distance;               /* 1..255, default 1 */
	int line;
};

/* Watch groups ------------------------------------------------------------ */

struct conf_watch_event {
	int seq;
	struct conf_addr target;    /* host probed with ICMP echo */
	char ifname[CONF_IFNAMSIZ]; /* probe goes out here */
	struct conf_addr src_addr;  /* "source ADDR", or af 0 */
	char src_if[CONF_IFNAMSIZ]; /* "source IFACE", or "" */
	int line;
};

enum conf_action_type {
	CONF_ACTION_SHUTDOWN_ROUTE = 1, /* withdraw a static route */
	CONF_ACTION_CLEAR_SA,           /* tear down a tunnel's SAs */
	CONF_ACTION_OSPF_DOWN,          /* hold an interface out of OSPF */
};

struct conf_watch_action {
	int seq;
	int type;                   /* enum conf_action_type */
	struct conf_addr prefix;    /* shutdown-route */
	char ifname[CONF_IFNAMSIZ]; /* route iface or tunnel */
	int line;
};

struct conf_watch {
	char *name;
	int seq;
	struct conf_watch_event *events;
	size_t nevents;
	struct conf_watch_action *actions;
	size_t nactions;
	uint32_t timer_wait;     /* probe interval while up, ms */
	uint32_t timer_variance; /* interval while confirming, ms */
	uint32_t timer_restorer; /* interval while down, ms */
	uint32_t count_watch;    /* failures to start confirming */
	uint32_t count_variance; /* failures to declare down */
	uint32_t count_restorer; /* successes to declare up */
	int enabled;             /* some network-monitor names it */
	int line;
};

#define CONF_DEF_TIMER_WAIT     10000
#define CONF_DEF_TIMER_VARIANCE 2000
#define CONF_DEF_TIMER_RESTORER 10000
#define CONF_DEF_COUNT_WATCH    1
#define CONF_DEF_COUNT_VARIANCE 3
#define CONF_DEF_COUNT_RESTORER 3

/* DDNS -------------------------------------------------------------------- */

enum conf_ddns_type {
	CONF_DDNS_NONE = 0,
	CONF_DDNS_RFC2136,
	CONF_DDNS_DYNDNS2,
};

enum conf_tsig_alg {
	CONF_TSIG_HMAC_SHA256 = 1,
	CONF_TSIG_HMAC_SHA512,
};

struct conf_ddns_notify {
	char ifname[CONF_IFNAMSIZ];
	int af; /* AF_INET: A record, AF_INET6: AAAA */
	int line;
};

struct conf_ddns {
	char *name;
	char *hostname;          /* the name this site publishes */
	int type;                /* enum conf_ddns_type */
	struct conf_addr server; /* rfc2136 */
	int port;                /* rfc2136, default 53 */
	char *zone;
	char *key_name;
	int key_alg;                   /* enum conf_tsig_alg */
	struct conf_secret key_secret; /* decoded from base64 */
	char *url;                     /* dyndns2 */
	char *username;
	struct conf_secret password;
	struct conf_ddns_notify *notify;
	size_t nnotify;
	uint32_t ttl; /* default 60 */
	int line;
};

#define CONF_DEF_DDNS_TTL  60
#define CONF_DEF_DDNS_PORT 53

/*
 * A part of the file left to the OS (an IX block, or every line of one
 * kind): what "tsunagid -n" sums up.  Derived from the text, so neither
 * printed nor compared.
 */
struct conf_ospart {
	char name[96]; /* its first line's words */
	int owner;     /* what does it on Linux (conf/ix_cmds.c) */
	int line;      /* its first line */
	int lines;     /* lines in all */
};

/* The whole configuration ------------------------------------------------- */

struct conf {
	char *hostname;
	struct conf_psk *psks;
	size_t npsks;
	int profile_present;            /* "ikev2 default-profile" */
	struct conf_ident local_id;     /* local-authentication */
	struct conf_ike_params profile; /* as written in the profile */
	struct conf_tunnel *tunnels;
	size_t ntunnels;
	struct conf_linkif *ifaces;
	size_t nifaces;
	struct conf_oslink *oslinks; /* derived from the rest: not compared */
	size_t noslinks;
	struct conf_ospf ospf;
	struct conf_route *routes;
	size_t nroutes;
	struct conf_watch *watches;
	size_t nwatches;
	char **monitors; /* network-monitor NAME enable */
	size_t nmonitors;
	struct conf_addr *nameservers; /* none: use /etc/resolv.conf */
	size_t nnameservers;
	char *trust_anchor_file;
	struct conf_ddns *ddns;
	size_t nddns;
	struct conf_ospart *osparts; /* derived from the text: not compared */
	size_t nosparts;
};

/* Lookups for the modules that read a conf (NULL when absent). */
const struct conf_psk *conf_psk_find(
    const struct conf *, const struct conf_ident *);
const struct conf_tunnel *conf_tunnel_find(const struct conf *, const char *);
/* The family of a tunnel's outer addresses (its peer's), 0 if no peer. */
int conf_tunnel_af(const struct conf_tunnel *);
const struct conf_linkif *conf_linkif_find(const struct conf *, const char *);
/* 1 if "passive-interface NAME" is written under ip router ospf. */
int conf_ospf_passive(const struct conf *, const char *name);

/* Parsing, printing, comparing -------------------------------------------- */

/* Both return NULL when any error was found; diags says why. */
struct conf *conf_parse_file(const char *path, struct conf_diags *);
struct conf *conf_parse_text(
    const char *name, const char *text, size_t len, struct conf_diags *);
void conf_free(struct conf *);

#define CONF_PRINT_SECRETS 0x1 /* else every secret prints <hidden> */

/* The normalized config, IX "show running-config" style; 0 or -1. */
int conf_print(const struct conf *, FILE *, int flags);
/*
 * What tsunagi will run and what the file leaves to the OS, by what does
 * it on Linux, in a screen (tsunagid -n); 0 or -1.
 */
int conf_print_summary(const struct conf *, FILE *);
/* 1 if both describe the same configuration (source lines aside). */
int conf_equal(const struct conf *, const struct conf *);
/* The same for one watch-group entry (a reload keeps its probe state). */
int conf_watch_equal(const struct conf_watch *, const struct conf_watch *);
/*
 * One warning in diags for each Linux interface the file names that is not
 * among `present` (the kernel's links now), with the nearest name that is
 * present or declared: a typo is caught, and a ppp0 that comes later is
 * only a warning.  Returns the number of warnings.
 */
int conf_check_links(const struct conf *, const char *file,
    const char *const *present, size_t npresent, struct conf_diags *);
/*
 * The "ip address" / "ipv6 address" lines of a Linux interface's block
 * against `present`, the addresses the kernel gives that interface now:
 * one warning per family of which a written address is not there (same
 * address and prefix length).  The kernel's are the ones in use; the
 * lines only document.  Returns the number of warnings.
 */
int conf_check_addrs(const struct conf_linkif *, const char *file,
    const struct conf_addr *present, size_t npresent, struct conf_diags *);
/*
 * An address the kernel gives one of this house's interfaces (global
 * scope: no loopback, no IPv6 link-local), for conf_mirror().
 */
struct conf_hostaddr {
	char ifname[CONF_IFNAMSIZ];
	struct conf_addr addr; /* with its prefix length */
};
/*
 * Turn c, parsed from this house's file, into the other house's
 * configuration (tsunagid -x): identities and names swapped,
 * the tunnels' peer this house (its published name, or its address from
 * ha), routes and shutdown-routes through a tunnel turned to this house's
 * LAN prefix, probes the other way.  0, or -1 with the reasons in diags
 * (c is then half-changed: free it).
 */
int conf_mirror(struct conf *c, const char *file,
    const struct conf_hostaddr *ha, size_t nha, struct conf_diags *);
/*
 * 1 if only the owner may read or write path; 0 (and a loud warning in
 * diags) if group or others may; -1 (and an error) if it cannot be checked.
 */
int conf_file_is_private(const char *path, struct conf_diags *);

#endif
