/*
 * internal.h: what the conf files share among themselves and nobody else
 * reads: tokens, the command table shape, the parser state and the helpers
 * handlers use to report problems.
 */
#ifndef TSUNAGI_CONF_INTERNAL_H
#define TSUNAGI_CONF_INTERNAL_H

#include <stdarg.h>

#include "conf/conf.h"
#include "daemon/suggest.h"

/*
 * Handlers and value converters share one signature each, and most use
 * only some of its arguments; naming every unused one would hide the
 * ones that matter.
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* Tokens ------------------------------------------------------------------ */

struct conf_tok {
	char *s; /* NUL-terminated, quotes removed */
	size_t len;
	int line, col; /* 1-based, col in bytes */
	int quoted;
	const char *ixname; /* the IX port name port-map replaced, or NULL */
};

/*
 * One lexed line.  buf holds the tokens' text; it is wiped after every
 * line because it may hold a secret.
 */
struct conf_line {
	int line;
	int indent;  /* column of the first non-blank byte */
	int comment; /* a "!" line */
	int ntok;
	size_t used; /* bytes of buf to wipe */
	struct conf_tok tok[CONF_MAX_TOKENS];
	char buf[CONF_MAX_LINE + CONF_MAX_TOKENS + 1];
};

/* Modes ------------------------------------------------------------------- */

#define M_GLOBAL  0x0001
#define M_TUNNEL  0x0002 /* interface TunnelN.M */
#define M_LINUXIF 0x0004 /* interface wan6, lan... */
#define M_PROFILE 0x0008 /* ikev2 default-profile */
#define M_OSPF    0x0010 /* ip router ospf N */
#define M_WATCH   0x0020 /* watch-group NAME SEQ */
#define M_DDNS    0x0040 /* ddns profile NAME */
/* The OS's blocks (ix_cmds.c): known lines, each counted, then skipped. */
#define M_IXPORT  0x0080 /* interface GigaEthernetX.Y, an OS tunnel */
#define M_IXPPP   0x0100 /* ppp profile NAME */
#define M_IXDHCP  0x0200 /* ip dhcp profile NAME */
#define M_IXDHCP6 0x0400 /* ipv6 dhcp *-profile NAME */
#define M_SKIP    0x0800 /* a block whose header was wrong */
#define M_IXDEV   0x1000 /* device PORT */
#define M_IXQOS   0x2000 /* class-map, policy-map */
#define M_IXRTR   0x4000 /* router bgp/rip, ipv6 router ospf, route-map */
#define M_IXANY                                                                \
	(M_IXPORT | M_IXPPP | M_IXDHCP | M_IXDHCP6 | M_IXDEV | M_IXQOS |       \
	    M_IXRTR)
#define M_ANY (0x07ff | M_IXDEV | M_IXQOS | M_IXRTR)

/* Command tables ---------------------------------------------------------- */

/* A converted argument: which fields are meaningful depends on its type. */
struct conf_arg {
	const struct conf_tok *tok; /* NULL: optional and absent */
	int n;                      /* tokens taken by a repeated value */
	long long num;              /* numbers, choice index, area, ids */
	struct conf_addr addr;
	struct conf_alglist algs;
};

#define CONF_MAX_ARGS 16

struct conf_parse;
struct conf_cmd;

typedef int (*conf_cmd_fn)(struct conf_parse *, struct conf_arg *, int neg);

/*
 * One row per command.  path holds the words that name the command
 * (literals, or <n:LO-HI> for a number inside the name, as in
 * "action <n:1-65535> ikev2 clear-sa"); args is the argument spec:
 *
 *	word		that literal word
 *	<type>		a value; <type>... takes one or more
 *	<n:LO-HI>	a number in that range
 *	{a|b}		one of the words (num = its index)
 *	[word ...]	optional, present when the next word is that literal
 *
 * Each value, choice and optional group fills the next conf_arg, path
 * values first.  Rows with the same key set the same thing, so a second
 * one in a block (or the file, for global rows) is a duplicate.
 */
struct conf_cmd {
	unsigned modes;
	const char *path;
	const char *args;
	conf_cmd_fn fn;
	const char *key; /* NULL: may repeat */
	int flags;
};

#define CMD_NEG        0x1 /* "no CMD" allowed */
#define CMD_NOARGS_NEG 0x2 /* "no CMD" takes no arguments */
#define CMD_OPENS      0x4 /* opens a block */

/*
 * What does an IX command's job on Linux: the warning names it, so that
 * a pasted IX file says where each of its parts goes (ix_cmds.c).
 */
enum conf_ix_owner_id {
	IXO_NAT,    /* NAPT, filters, access lists */
	IXO_DHCPD,  /* DHCP servers for the LAN */
	IXO_UPLINK, /* addresses from the provider: DHCP, DHCPv6-PD, RA */
	IXO_RA,     /* router advertisements on the LAN */
	IXO_PPP,    /* PPPoE */
	IXO_DNS,    /* DNS proxy and cache, host names */
	IXO_NTP,
	IXO_LOG,
	IXO_MGMT,   /* users, telnet, http, ssh, SNMP */
	IXO_FWD,    /* forwarding, its cache */
	IXO_KERNEL, /* what an XFRM interface does anyway */
	IXO_PORT,   /* ports and their link settings */
	IXO_BRIDGE,
	IXO_QOS,
	IXO_ROUTING, /* other routing protocols, route maps, policy routing */
	IXO_CLOCK,
	IXO_NM,     /* NetMeister, NEC's cloud service */
	IXO_PANEL,  /* the IX's LEDs, console, its own software */
	IXO_TUNNEL, /* tunnels of other kinds: MAP-E, DS-Lite, GRE... */
	IXO_IKEV1,
	IXO_ROUTE, /* a route through an interface the OS owns */
	IXO_N
};

struct conf_ix_owner {
	const char *what;     /* "NAPT, filters and access lists" */
	const char *on_linux; /* "nftables" */
};

/* A known IX command that is the OS's job: warned about, then skipped. */
struct conf_ignore {
	unsigned modes;
	const char *path; /* words; "*" any word, "x-*" prefix */
	unsigned opens;   /* mode its block opens, or 0 */
	int owner;        /* enum conf_ix_owner_id */
};

extern const struct conf_cmd conf_cmds_global[], conf_cmds_iface[],
    conf_cmds_ike[], conf_cmds_ospf[], conf_cmds_watch[], conf_cmds_ddns[];
extern const struct conf_ignore conf_ignores[];
extern const struct conf_ix_owner conf_ix_owners[];

/* Parser state ------------------------------------------------------------ */

enum conf_ref_kind {
	REF_IFACE = 1,  /* any declared interface */
	REF_LINUXIF,    /* a declared Linux interface */
	REF_UNNUMBERED, /* a Linux interface with an IPv4 address */
	REF_TUNNEL,     /* a declared tunnel */
	REF_PSK,        /* a pre-shared key for (idtype, name) */
	REF_WATCH,      /* a watch-group name */
	REF_ROUTE,      /* a static route (addr, name) */
	REF_AREA,       /* an OSPF area declared with "area" */
	REF_PASSIVE,    /* an interface in some OSPF network */
	REF_OSPF_IF,    /* the same, for a watch-group's OSPF action */
	REF_OSPF_NET,   /* as REF_IFACE, and OSPF can run on it */
	REF_AREA_LINE,  /* an "area" line: the backbone or nothing */
};

/* A name used somewhere, checked once the whole file is read. */
struct conf_ref {
	int kind;
	char *name;
	int idtype;            /* REF_PSK */
	struct conf_addr addr; /* REF_ROUTE */
	uint32_t area;         /* REF_AREA, REF_AREA_LINE */
	char *what;            /* the command, for messages */
	int line, col;
};

/*
 * One warning for lines left to the OS (ix.c): for a block of the OS's,
 * the block and all its lines; otherwise every line of one kind (one row
 * of conf_ignores, or every route through the OS's interfaces).
 */
struct conf_ixnote {
	const struct conf_ignore *kind; /* NULL: a block */
	int owner;
	char name[96]; /* the first line's words */
	char what[48]; /* instead of the owner's, or "" */
	int line, col; /* the first line */
	int n;         /* a block's lines */
	int *more;     /* a kind's other lines */
	size_t nmore;
};

/* One IX line of a tunnel's block, held until the block ends (ix.c). */
struct conf_ixline {
	const struct conf_ignore *kind;
	char name[96];
	int line, col;
};

/* "port-map GigaEthernet0.0 wan6": that IX port is that Linux one. */
struct conf_portmap {
	char ix[CONF_IFNAMSIZ * 2];
	char linux_if[CONF_IFNAMSIZ];
	int line;
};

/* An interface of the OS's that the file names: an OS tunnel. */
struct conf_osif {
	char name[CONF_IFNAMSIZ];
	char mode[24]; /* its tunnel mode */
	int line;
};

struct conf_seen {
	const char *key;
	const struct conf_cmd *cmd;
	int line;
};

#define CONF_MAX_SEEN 64

struct conf_parse {
	struct conf *conf;
	struct conf_diags *diags;
	const char *file;
	struct conf_line *ln;       /* the line being parsed */
	const struct conf_cmd *cmd; /* its row */
	int pathlen;                /* tokens naming the command */
	int neg;                    /* the line starts with "no" */
	unsigned mode;
	size_t cur; /* index of the block's object */
	int block_line;
	int bang_line; /* "!" that ended the last block */
	unsigned bang_mode;
	struct conf_seen gseen[CONF_MAX_SEEN];
	int ngseen;
	struct conf_seen bseen[CONF_MAX_SEEN];
	int nbseen;
	struct conf_ref *refs;
	size_t nrefs;
	struct conf_ixnote *ixnotes; /* the OS's blocks */
	size_t nixnotes;
	size_t ixblock;              /* 1 + the open OS block's note, or 0 */
	struct conf_ixnote *ixkinds; /* kinds of line: a few hundred at most */
	size_t nixkinds;
	struct conf_osif *osifs;
	size_t nosifs;
	struct conf_portmap *portmaps; /* read before the rest (ix.c) */
	size_t nportmaps;
	struct conf_ixline *ixpend; /* a tunnel block's IX lines, until */
	size_t nixpend;             /* it is known to be tsunagi's */
	size_t osif_open;           /* 1 + the OS tunnel being read, or 0 */
	int block_lines;            /* command lines in the current block */
	int stop;                   /* too many errors */
};

/* diag.c */
void conf_diag_vadd(struct conf_diags *, int, const char *, int, int,
    const char *, const char *, va_list) __attribute__((format(printf, 7, 0)));
void conf_diag_add(struct conf_diags *, int, const char *, int, int,
    const char *, const char *, ...) __attribute__((format(printf, 7, 8)));
const char *conf_q(const char *);
void conf_q_hide(int);
const char *conf_q_checked(const char *);
void conf_error(struct conf_parse *, const struct conf_tok *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void conf_error_at(struct conf_parse *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
void conf_warn(struct conf_parse *, const struct conf_tok *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
void conf_warn_at(struct conf_parse *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
void conf_oom(struct conf_parse *);
void conf_diags_summarize(struct conf_diags *, const char *);
void conf_diags_sort(struct conf_diags *, struct conf_diag **);

/* lexer.c */
int conf_lex(
    struct conf_parse *, const char *, size_t, int, struct conf_line *);
void conf_line_wipe(struct conf_line *);
int conf_needs_quotes(const char *);
void conf_print_word(FILE *, const char *, int always_quote);

/* types.c: the <type> words of the argument specs. */
struct conf_vtype {
	const char *name;
	const char *label; /* in usage lines */
	int (*conv)(
	    struct conf_parse *, const struct conf_tok *, struct conf_arg *);
	int flags;
};

#define VT_SECRET 0x1 /* never echo the word */
#define VT_REST   0x2 /* takes the rest of the line */

extern const struct conf_vtype conf_vtypes[];
int conf_parse_u32(const char *, long long *);
void conf_alg_list(int, char *, size_t);

/* args.c */
int conf_parse_args(struct conf_parse *, const struct conf_cmd *,
    struct conf_tok *, int, struct conf_arg *);
int conf_path_match(const char *, const struct conf_tok *, int, int *);
void conf_usage(const struct conf_cmd *, char *, size_t);
const char *conf_cmd_name(struct conf_parse *);
int conf_parse_addr(const char *, int, struct conf_addr *);
int conf_prefix_is_canonical(const struct conf_addr *);
int conf_valid_ifname(const char *);
int conf_valid_dnsname(const char *);
int conf_is_tunnel_name(const char *);
int conf_is_ixport_name(const char *);
int conf_alg_lookup(int, const char *);
const char *conf_alg_suggest(int, const char *);

/* daemon/suggest.c (libcore): suggest(), suggest_max(), suggest_distance() */

/* parse.c */
void conf_join_words(
    const struct conf_tok *, int, const char *last, char *, size_t);
void conf_each_line(struct conf_parse *, const char *, size_t,
    void (*)(struct conf_parse *, const char *, size_t, int));
void *conf_grow(
    struct conf_parse *, void *, size_t *, size_t, size_t, const char *);
char *conf_strdup(struct conf_parse *, const char *);
int conf_add_ref(
    struct conf_parse *, int, const char *, const struct conf_tok *);
struct conf_ref *conf_last_ref(struct conf_parse *);
void conf_enter(struct conf_parse *, unsigned, size_t);
void conf_leave(struct conf_parse *);
struct conf_ospf_if *conf_cur_ospf_if(struct conf_parse *);
struct conf_ike_params *conf_cur_ike(struct conf_parse *);

/* secret.c */
int conf_secret_set(struct conf_secret *, const void *, size_t);
void conf_secret_clear(struct conf_secret *);
int conf_secret_equal(const struct conf_secret *, const struct conf_secret *);
int conf_secret_from_hex(struct conf_secret *, const char *, size_t);
int conf_secret_from_base64(struct conf_secret *, const char *, size_t);
int conf_secret_print(FILE *, const struct conf_secret *, int form, int flags);
int conf_secret_token(
    struct conf_parse *, const struct conf_tok *, const char *);

/* cmd_*.c helpers shared across blocks */
int conf_ident_parse(
    struct conf_parse *, int, const struct conf_tok *, struct conf_ident *);
const char *conf_idtype_name(int);
void conf_ospf_if_init(struct conf_ospf_if *);
void conf_ospf_if_clear(struct conf_ospf_if *);
void conf_ident_clear(struct conf_ident *);

/* ix.c */
void conf_ix_line(struct conf_parse *, const struct conf_ignore *,
    const struct conf_tok *, int len);
void conf_ix_block(struct conf_parse *, int owner, const char *name,
    const char *what, unsigned mode);
void conf_ix_route(struct conf_parse *, const struct conf_tok *, int len);
const struct conf_osif *conf_osif_find(const struct conf_parse *, const char *);
void conf_ix_portmaps(struct conf_parse *, const char *, size_t);
const struct conf_portmap *conf_portmap_find(
    const struct conf_parse *, const char *ix);
void conf_ix_map_line(struct conf_parse *, struct conf_line *);
void conf_ix_block_end(struct conf_parse *);
void conf_ix_settle(struct conf_parse *);
void conf_ix_free(struct conf_parse *);

/* validate.c */
void conf_validate(struct conf_parse *);

/* conf.c */
struct conf *conf_new(void);
void conf_tunnel_free(struct conf_tunnel *);

/* print.c */
void conf_addr_ntop(const struct conf_addr *, int with_plen, char *, size_t);

#endif
