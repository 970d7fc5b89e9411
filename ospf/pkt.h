/*
 * pkt.h: the OSPFv2 packet codec (RFC 2328 A.3).  Parsing checks the
 * common header (version, type, lengths, the IP checksum unless the
 * packet uses cryptographic authentication) and frames the body of its
 * type into views that point into the caller's buffer.  What the header
 * says about who sent it (area, router-id, authentication) is for the
 * receiver to judge.  Builders write exact wire bytes through a bounded
 * writer.  Nothing here allocates, logs or does I/O, so the fuzzer drives
 * all of it.  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_PKT_H
#define TSUNAGI_OSPF_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "ospf/lsa.h"

/* Why a packet is dropped by the codec; counted per interface. */
enum ospf_pkt_err {
	OSPF_PKT_OK = 0,
	OSPF_PKT_ETRUNC,   /* shorter than the header or its length field */
	OSPF_PKT_EVERSION, /* not version 2 */
	OSPF_PKT_ETYPE,    /* packet type not 1..5 */
	OSPF_PKT_ECKSUM,   /* IP checksum wrong */
	OSPF_PKT_ESYNTAX,  /* a body its type cannot have */
	OSPF_PKT_NERR
};
const char *ospf_pkt_strerror(enum ospf_pkt_err e);
const char *ospf_pkt_type_name(uint8_t type);

/* The common header (A.3.1), host order. */
struct ospf_hdr {
	uint8_t version, type;
	uint16_t len;
	uint32_t rid, area;
	uint16_t cksum, autype;
	const uint8_t *auth;  /* the 8 authentication bytes */
	const uint8_t *trail; /* after len: a digest or an LLS block */
	size_t trail_len;
};

struct ospf_hello {
	uint32_t mask;
	uint16_t hello_ival;
	uint8_t options, prio;
	uint32_t dead_ival, dr, bdr;
	const uint8_t *nbr; /* router-ids, 4 bytes each */
	size_t nnbr;
};

struct ospf_dd {
	uint16_t mtu;
	uint8_t options, flags;
	uint32_t seq;
	const uint8_t *hdrs; /* LSA headers, OSPF_LSA_HDR_LEN each */
	size_t nhdrs;
};

struct ospf_lsr {
	const uint8_t *ent; /* OSPF_LSR_ENTRY_LEN each */
	size_t n;
};

/* Every LSA's length field was checked to fit and to hold its header. */
struct ospf_lsu {
	uint32_t n;
	const uint8_t *lsas;
	size_t len;
};

struct ospf_lsack {
	const uint8_t *hdrs;
	size_t nhdrs;
};

struct ospf_pkt {
	struct ospf_hdr h;
	union {
		struct ospf_hello hello;
		struct ospf_dd dd;
		struct ospf_lsr lsr;
		struct ospf_lsu lsu;
		struct ospf_lsack ack;
	} u;
};

/* p and n: the IP payload as received (n may exceed the length field). */
enum ospf_pkt_err ospf_pkt_parse(
    const uint8_t *p, size_t n, struct ospf_pkt *pk);

uint32_t ospf_hello_nbr(const struct ospf_hello *h, size_t i);
void ospf_lsr_get(const struct ospf_lsr *r, size_t i, struct ospf_lsa_key *k);

/* Walks an update's LSAs in order; each one at least a header long. */
struct ospf_lsu_iter {
	const uint8_t *p, *end;
	uint32_t left;
};
void ospf_lsu_iter(const struct ospf_lsu *u, struct ospf_lsu_iter *it);
/* 1 with the next LSA in *lsa / *len, or 0 at the end. */
int ospf_lsu_next(struct ospf_lsu_iter *it, const uint8_t **lsa, size_t *len);

/*
 * A bounded writer: an append that does not fit sets full and writes
 * nothing; the caller checks once at the end.
 */
struct ospf_w {
	uint8_t *p;
	size_t cap, len;
	int full;
};
void ospf_w_init(struct ospf_w *w, uint8_t *p, size_t cap);
uint8_t *ospf_w_reserve(struct ospf_w *w, size_t n);
void ospf_w_u8(struct ospf_w *w, uint8_t v);
void ospf_w_u16(struct ospf_w *w, uint16_t v);
void ospf_w_u32(struct ospf_w *w, uint32_t v);
void ospf_w_mem(struct ospf_w *w, const void *p, size_t n);

/* Starts a packet: the header with length and checksum still zero. */
void ospf_pkt_start(
    struct ospf_w *w, uint8_t type, uint32_t rid, uint32_t area);
/*
 * Ends it: length, authentication type and bytes, and the IP checksum
 * (left zero for OSPF_AUTH_CRYPT, D.4.3).  -1 if anything did not fit.
 */
int ospf_pkt_finish(struct ospf_w *w, uint16_t autype, const uint8_t auth[8]);

/* Bodies; neighbours and LSA headers follow with the calls below. */
void ospf_hello_put(struct ospf_w *w, const struct ospf_hello *h);
void ospf_dd_put(struct ospf_w *w, const struct ospf_dd *d);
/* An LSA header as a DD or LSAck carries it, with the age given. */
void ospf_lsa_hdr_add(struct ospf_w *w, const uint8_t *lsa, uint16_t age);
void ospf_lsr_add(struct ospf_w *w, const struct ospf_lsa_key *k);
/* An update: start writes the count; each add raises it. */
void ospf_lsu_start(struct ospf_w *w);
void ospf_lsu_add(
    struct ospf_w *w, const uint8_t *lsa, size_t len, uint16_t age);

/* The IP checksum of an OSPF packet (A.3.1), the field taken as zero. */
uint16_t ospf_pkt_cksum(const uint8_t *p, size_t len);

#endif
