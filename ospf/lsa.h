/*
 * lsa.h: the LSA codec (RFC 2328 12 and A.4): the 20-byte header, the
 * Fletcher checksum, which of two instances is newer (13.1), the checks
 * an LSA passes before it may enter the database, and readers and
 * builders for the bodies tsunagi uses.  An LSA is kept as its wire bytes
 * everywhere (database, retransmission lists, packets); these functions
 * read and write those bytes.  Nothing here allocates, logs or does I/O.
 * Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_LSA_H
#define TSUNAGI_OSPF_LSA_H

#include <stddef.h>
#include <stdint.h>

/* The LSA header, host order; seq is signed as the RFC compares it. */
struct ospf_lsa_hdr {
	uint16_t age;
	uint8_t options, type;
	uint32_t id, adv;
	int32_t seq;
	uint16_t cksum, len;
};

/* An LSA's identity in the database (12.1). */
struct ospf_lsa_key {
	uint8_t type;
	uint32_t id, adv;
};

void ospf_lsa_hdr_get(const uint8_t *p, struct ospf_lsa_hdr *h);
void ospf_lsa_hdr_put(uint8_t *p, const struct ospf_lsa_hdr *h);
void ospf_lsa_key_get(const uint8_t *p, struct ospf_lsa_key *k);
int ospf_lsa_key_cmp(
    const struct ospf_lsa_key *a, const struct ospf_lsa_key *b);
/* Rewrites only the age: it is outside the checksum (12.1.7). */
void ospf_lsa_set_age(uint8_t *lsa, uint16_t age);

/*
 * The Fletcher checksum of ISO 8473 over the LSA but its age, with the
 * checksum field taken as zero: the value to store (12.1.7).  len is
 * the LSA's length, at least the header's.
 */
uint16_t ospf_lsa_fletcher(const uint8_t *lsa, size_t len);
int ospf_lsa_cksum_ok(const uint8_t *lsa, size_t len);
/* Computes and stores the checksum. */
void ospf_lsa_cksum_set(uint8_t *lsa, size_t len);

/*
 * Which instance is newer (13.1), given both headers with their current
 * ages: > 0 when a is newer, < 0 when b is, 0 when they are the same
 * instance.
 */
int ospf_lsa_newer(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b);

/*
 * Why an LSA received in an update is refused before any comparison
 * (13, steps 1-3, and the body checks our readers rely on).
 */
enum ospf_lsa_err {
	OSPF_LSA_OK = 0,
	OSPF_LSA_ELEN,   /* shorter than its header or than n */
	OSPF_LSA_ECKSUM, /* Fletcher checksum wrong */
	OSPF_LSA_ETYPE,  /* a type this router does not take */
	OSPF_LSA_EAGE,   /* age above MaxAge */
	OSPF_LSA_ESEQ,   /* the reserved sequence number 0x80000000 */
	OSPF_LSA_EBODY,  /* a body its type's reader refuses */
	OSPF_LSA_NERR
};
/* n is the room the LSA sits in; its own length must fit in it. */
enum ospf_lsa_err ospf_lsa_check(const uint8_t *lsa, size_t n);
const char *ospf_lsa_strerror(enum ospf_lsa_err e);
const char *ospf_lsa_type_name(uint8_t type);

/* Router-LSA (A.4.2).  Links are walked; TOS entries are skipped. */
struct ospf_rtr_link {
	uint32_t id, data;
	uint8_t type;
	uint16_t metric;
};
struct ospf_rtr {
	uint8_t flags;
	uint16_t nlinks;
	/* walk state */
	const uint8_t *next, *end;
	uint16_t left;
};
int ospf_rtr_parse(const uint8_t *lsa, struct ospf_rtr *r);
/* 1 and the next link in *l, or 0 at the end. */
int ospf_rtr_next(struct ospf_rtr *r, struct ospf_rtr_link *l);

/* Network-LSA (A.4.3). */
struct ospf_net {
	uint32_t mask;
	const uint8_t *rtr; /* attached router-ids, 4 bytes each */
	size_t nrtr;
};
int ospf_net_parse(const uint8_t *lsa, struct ospf_net *n);
uint32_t ospf_net_router(const struct ospf_net *n, size_t i);

/* Summary-LSA, types 3 and 4 (A.4.4); only the TOS 0 metric. */
struct ospf_sum {
	uint32_t mask, metric;
};
int ospf_sum_parse(const uint8_t *lsa, struct ospf_sum *s);

/* AS-external-LSA (A.4.5); only the TOS 0 entry. */
struct ospf_ext {
	uint32_t mask;
	int ebit; /* type 2 metric */
	uint32_t metric, fwd, tag;
};
int ospf_ext_parse(const uint8_t *lsa, struct ospf_ext *e);

/*
 * Builders: write the whole LSA (header from *h, whose len and cksum are
 * ignored and filled in) into buf and return its length, or 0 when cap
 * is too small.
 */
size_t ospf_rtr_build(uint8_t *buf, size_t cap, const struct ospf_lsa_hdr *h,
    uint8_t flags, const struct ospf_rtr_link *l, size_t n);
size_t ospf_ext_build(uint8_t *buf, size_t cap, const struct ospf_lsa_hdr *h,
    const struct ospf_ext *e);

/* The IPv4 network mask of a prefix length (0..32), host order. */
static inline uint32_t
ospf_mask(unsigned plen)
{
	return plen ? 0xffffffffu << (32 - plen) : 0;
}

static inline uint16_t
ospf_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ospf_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
ospf_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void
ospf_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16 & 0xff;
	p[2] = v >> 8 & 0xff;
	p[3] = v & 0xff;
}

#endif
