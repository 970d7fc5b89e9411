/*
 * msg.h: the IKEv2 message codec (RFC 7296 section 3, RFC 7383).  Parsing
 * splits a datagram into a bounded array of payload views that point into
 * the caller's buffer; typed decoders then read one payload each.  Builders
 * write exact wire bytes into a caller's buffer.  Nothing here allocates,
 * logs or does I/O, so the fuzzer can drive all of it.  Private to ike/.
 */
#ifndef TSUNAGI_IKE_MSG_H
#define TSUNAGI_IKE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ike/wire.h"

/* Bounds: a message beyond them is refused, never truncated silently. */
#define IKE_MSG_MAX_PL		48	/* payloads in one chain */
#define IKE_MSG_MAX_PROPS	16	/* proposals kept from one SA payload */
#define IKE_MSG_MAX_XF		64	/* transforms kept from one proposal */
#define IKE_MSG_MAX_TS		16	/* selectors in one TS payload */
#define IKE_MSG_MAX_SPI		8	/* largest SPI (the IKE one) */

/*
 * Parse results.  Each maps to what RFC 7296 says to tell the peer (see
 * ike_msg_err_notify()); the phase 2 exchange code decides whether a
 * response is owed at all (never for a response, nor before the IKE SA is
 * authenticated unless the RFC says so).
 */
enum ike_msg_err {
	IKE_MSG_OK = 0,
	IKE_MSG_ETRUNC,		/* shorter than its own length fields */
	IKE_MSG_ESYNTAX,	/* lengths or values that cannot be */
	IKE_MSG_EVERSION,	/* major version above 2 */
	IKE_MSG_ECRITICAL,	/* unknown payload with the critical bit */
	IKE_MSG_ELIMIT,		/* more payloads than IKE_MSG_MAX_PL */
	IKE_MSG_EAUTH,		/* SK integrity check failed: drop */
};

/* The fixed header (3.1).  SPIs are the 8 wire bytes read big-endian. */
struct ike_hdr {
	uint64_t	ispi, rspi;
	uint8_t		next;		/* first payload */
	uint8_t		version;
	uint8_t		exchange;
	uint8_t		flags;
	uint32_t	msgid;
	uint32_t	length;
};

/* One payload of a chain: a view into the message, never a copy. */
struct ike_pl {
	uint8_t		 type;
	uint8_t		 critical;
	uint8_t		 next;		/* SK/SKF: first inner payload */
	size_t		 off;		/* of the generic header in the chain */
	const uint8_t	*body;		/* after the generic header */
	size_t		 len;		/* body length */
};

/*
 * A parsed chain.  For a whole message, hdr is filled and off values count
 * from the start of the IKE header; for an inner chain (the plaintext of
 * an SK payload) they count from the start of the plaintext.
 */
struct ike_msg {
	struct ike_hdr	 hdr;
	const uint8_t	*buf;
	size_t		 len;
	struct ike_pl	 pl[IKE_MSG_MAX_PL];
	size_t		 npl;
	uint8_t		 bad_critical;	/* ECRITICAL: the payload type */
	int		 sk;		/* index of SK or SKF in pl[], or -1 */
};

enum ike_msg_err ike_msg_parse(const uint8_t *buf, size_t len,
    struct ike_msg *m);
enum ike_msg_err ike_msg_parse_chain(uint8_t first, const uint8_t *buf,
    size_t len, struct ike_msg *m);
/* Only the header: enough to find the SA before any further work. */
enum ike_msg_err ike_msg_parse_hdr(const uint8_t *buf, size_t len,
    struct ike_hdr *h);
/* The notify owed for an error; 0: none (drop, as for ETRUNC, EAUTH). */
uint16_t ike_msg_err_notify(enum ike_msg_err e);
const char *ike_msg_err_str(enum ike_msg_err e);
/* The first payload of a type at or after index *from (NULL if none). */
const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type,
    size_t *from);
/* The first notify of a type in the chain (NULL if none). */
const struct ike_pl *ike_msg_find_notify(const struct ike_msg *m,
    uint16_t ntype);

/* Typed payloads (msg_payload.c, msg_sa.c) -------------------------------- */

struct ike_xf {
	uint8_t		type;
	uint16_t	id;
	uint16_t	keylen;		/* bits; 0 = no Key Length attribute */
	uint8_t		unknown_attr;	/* an attribute we cannot honour */
};

struct ike_prop {
	uint8_t		num;
	uint8_t		proto;
	uint8_t		spi_size;
	uint8_t		spi[IKE_MSG_MAX_SPI];
	uint8_t		overflow;	/* had more than IKE_MSG_MAX_XF */
	size_t		nxf;
	struct ike_xf	xf[IKE_MSG_MAX_XF];
};

struct ike_sa_pl {
	size_t		nprop;		/* at most IKE_MSG_MAX_PROPS kept */
	struct ike_prop	prop[IKE_MSG_MAX_PROPS];
};

struct ike_ke_pl {
	uint16_t	 group;
	const uint8_t	*data;
	size_t		 len;
};

/* IDi/IDr and AUTH share the shape: a one-byte type, then data. */
struct ike_id_pl {
	uint8_t		 type;
	const uint8_t	*data;
	size_t		 len;
	const uint8_t	*body;		/* what AUTH's MACedIDFor covers */
	size_t		 bodylen;
};

struct ike_auth_pl {
	uint8_t		 method;
	const uint8_t	*data;
	size_t		 len;
};

struct ike_notify_pl {
	uint8_t		 proto;
	uint8_t		 spi_size;
	uint16_t	 type;
	const uint8_t	*spi;
	const uint8_t	*data;
	size_t		 len;
};

struct ike_delete_pl {
	uint8_t		 proto;
	uint8_t		 spi_size;
	uint16_t	 nspi;
	const uint8_t	*spis;		/* nspi * spi_size bytes */
};

struct ike_ts {
	uint8_t		type;		/* IKE_TS_IPV4/IPV6_ADDR_RANGE */
	uint8_t		ipproto;	/* 0 = any */
	uint16_t	sport, eport;
	uint8_t		start[16], end[16];	/* IPv4 in the first 4 bytes */
};

struct ike_ts_pl {
	size_t		nts;
	size_t		nunknown;	/* selectors of other types, skipped */
	struct ike_ts	ts[IKE_MSG_MAX_TS];
};

/* The unencrypted head of an SK or SKF payload (3.14, RFC 7383 2.5). */
struct ike_sk_pl {
	uint16_t	 fragnum, nfrags;	/* 1/1 for SK */
	size_t		 aad_len;	/* message bytes before the IV */
	const uint8_t	*data;		/* IV || ciphertext || ICV */
	size_t		 len;
};

struct ike_cp_pl {
	uint8_t		type;
	size_t		nattr;
};

int ike_pl_sa(const struct ike_pl *p, struct ike_sa_pl *sa);
int ike_pl_ke(const struct ike_pl *p, struct ike_ke_pl *ke);
int ike_pl_id(const struct ike_pl *p, struct ike_id_pl *id);
int ike_pl_auth(const struct ike_pl *p, struct ike_auth_pl *a);
int ike_pl_nonce(const struct ike_pl *p, const uint8_t **n, size_t *len);
int ike_pl_notify(const struct ike_pl *p, struct ike_notify_pl *n);
int ike_pl_delete(const struct ike_pl *p, struct ike_delete_pl *d);
int ike_pl_ts(const struct ike_pl *p, struct ike_ts_pl *ts);
int ike_pl_sk(const struct ike_msg *m, const struct ike_pl *p,
    struct ike_sk_pl *sk);
int ike_pl_cp(const struct ike_pl *p, struct ike_cp_pl *cp);

/* Builders (msg_build.c, msg_sa.c) ------------------------------------------ */

/*
 * A writer over a caller's buffer.  Every builder appends one payload and
 * patches the previous payload's Next Payload byte (or the header's), so
 * chains come out right whatever the order of calls.  An overflow sets
 * err and makes every later call a no-op; check once at the end.
 */
struct ike_wbuf {
	uint8_t		*buf;
	size_t		 cap, len;
	size_t		 next_at;	/* where the next type goes */
	size_t		 pl_at;		/* generic header of the open payload */
	uint8_t		 first;		/* first payload type written */
	uint8_t		 has_hdr;	/* ike_wbuf_msg(): patch Length */
	uint8_t		 sealed;	/* an SK head ends the chain */
	int		 err;
};

void ike_wbuf_msg(struct ike_wbuf *w, uint8_t *buf, size_t cap,
    const struct ike_hdr *h);
void ike_wbuf_chain(struct ike_wbuf *w, uint8_t *buf, size_t cap);
/* Patch the header's Length; returns the message length or -1. */
long ike_wbuf_finish(struct ike_wbuf *w);
/* The first payload type written (for an SK's Next Payload). */
uint8_t ike_wbuf_first(const struct ike_wbuf *w);

/* Low-level: open a payload, append raw bytes, close it. */
void ike_put_begin(struct ike_wbuf *w, uint8_t type, int critical);
void ike_put_bytes(struct ike_wbuf *w, const void *p, size_t n);
void ike_put_u8(struct ike_wbuf *w, uint8_t v);
void ike_put_u16(struct ike_wbuf *w, uint16_t v);
void ike_put_u32(struct ike_wbuf *w, uint32_t v);
void ike_put_end(struct ike_wbuf *w);

void ike_put_sa(struct ike_wbuf *w, const struct ike_prop *props,
    size_t nprop);
void ike_put_ke(struct ike_wbuf *w, uint16_t group, const uint8_t *d,
    size_t len);
void ike_put_id(struct ike_wbuf *w, uint8_t pltype, uint8_t idtype,
    const uint8_t *d, size_t len);
void ike_put_auth(struct ike_wbuf *w, uint8_t method, const uint8_t *d,
    size_t len);
void ike_put_nonce(struct ike_wbuf *w, const uint8_t *d, size_t len);
void ike_put_notify(struct ike_wbuf *w, uint8_t proto, const uint8_t *spi,
    uint8_t spi_size, uint16_t type, const uint8_t *d, size_t len);
void ike_put_delete(struct ike_wbuf *w, uint8_t proto, uint8_t spi_size,
    const uint8_t *spis, uint16_t nspi);
void ike_put_vendor(struct ike_wbuf *w, const uint8_t *d, size_t len);
void ike_put_ts(struct ike_wbuf *w, uint8_t pltype, const struct ike_ts *ts,
    size_t nts);
/*
 * The head of an SK (fragnum 0) or SKF payload whose body will be
 * `bodylen` bytes (IV, ciphertext and ICV, see ike_sk_len()).  The body
 * is reserved (zeroed) and its offset returned: after ike_wbuf_finish()
 * the caller seals in place there, the lengths it authenticates final.
 */
size_t ike_put_sk_head(struct ike_wbuf *w, uint8_t inner_first,
    uint16_t fragnum, uint16_t nfrags, size_t bodylen);

/* Byte helpers shared by the codec files. */
static inline uint16_t
ike_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ike_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
ike_get64(const uint8_t *p)
{
	return (uint64_t)ike_get32(p) << 32 | ike_get32(p + 4);
}

static inline void
ike_set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
ike_set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
ike_set64(uint8_t *p, uint64_t v)
{
	ike_set32(p, (uint32_t)(v >> 32));
	ike_set32(p + 4, (uint32_t)v);
}

#endif
