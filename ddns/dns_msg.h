/*
 * dns_msg.h: the DNS wire codec of the ddns module: RFC 2136 UPDATE
 * messages, RFC 8945 TSIG, and strict parsing of the answers.  Nothing here
 * does I/O or keeps state, so the fuzzer and the known-answer tests can
 * drive all of it.
 */
#ifndef TSUNAGI_DDNS_DNS_MSG_H
#define TSUNAGI_DDNS_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DDNS_HDR_LEN       12
#define DDNS_NAME_MAX      255  /* octets in wire form (RFC 1035 2.3.4) */
#define DDNS_TEXT_NAME_MAX 1025 /* presentation form with escapes, NUL */
#define DDNS_UDP_MAX       512  /* beyond this an UPDATE goes over TCP */
#define DDNS_MSG_MAX       65535
#define DDNS_MAC_MAX       64  /* hmac-sha512 */
#define DDNS_TSIG_FUDGE    300 /* seconds (RFC 8945 10) */

#define DDNS_OP_QUERY  0
#define DDNS_OP_UPDATE 5

#define DDNS_T_A    1
#define DDNS_T_SOA  6
#define DDNS_T_AAAA 28
#define DDNS_T_TSIG 250

#define DDNS_C_IN   1
#define DDNS_C_NONE 254
#define DDNS_C_ANY  255

/* RCODEs (RFC 1035, RFC 2136) and TSIG errors (RFC 8945). */
enum ddns_rcode {
	DDNS_R_NOERROR = 0,
	DDNS_R_FORMERR = 1,
	DDNS_R_SERVFAIL = 2,
	DDNS_R_NXDOMAIN = 3,
	DDNS_R_NOTIMP = 4,
	DDNS_R_REFUSED = 5,
	DDNS_R_YXDOMAIN = 6,
	DDNS_R_YXRRSET = 7,
	DDNS_R_NXRRSET = 8,
	DDNS_R_NOTAUTH = 9,
	DDNS_R_NOTZONE = 10,
	DDNS_R_BADSIG = 16,
	DDNS_R_BADKEY = 17,
	DDNS_R_BADTIME = 18,
	DDNS_R_BADTRUNC = 22,
};
const char *ddns_rcode_name(int rcode);

enum ddns_tsig_alg {
	DDNS_TSIG_SHA256 = 1,
	DDNS_TSIG_SHA512,
};

/* The wire name of the algorithm ("hmac-sha256."), NULL if unknown. */
const char *ddns_tsig_alg_name(int alg);
size_t ddns_tsig_mac_len(int alg);

/* --- names ------------------------------------------------------------- */

/*
 * Presentation form ("home.example.net", trailing dot optional, "\." and
 * "\DDD" escapes) to uncompressed wire form, lower-cased when `canonical`
 * (RFC 4034 6.2, which the TSIG digest needs).  Returns the length or -1.
 */
int ddns_name_to_wire(
    const char *text, uint8_t *out, size_t cap, int canonical);
/*
 * Reads the possibly compressed name at msg[*off], leaves *off after it.
 * Pointers must point strictly backwards and the expanded name must fit
 * 255 octets, which together rule out loops.  `out` (may be NULL) gets the
 * uncompressed wire form, `outlen` its length.  0 or -1.
 */
int ddns_name_read(
    const uint8_t *msg, size_t len, size_t *off, uint8_t *out, size_t *outlen);
/* Case-insensitive comparison of two wire names: 1 if equal. */
int ddns_name_equal(
    const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* Wire form to presentation form (with a trailing dot); 0 or -1. */
int ddns_name_to_text(const uint8_t *wire, size_t len, char *out, size_t cap);

/* --- messages ---------------------------------------------------------- */

/*
 * One UPDATE that replaces the A or AAAA RRset of `name` with one address:
 * zone section (zone SOA IN), no prerequisites, then "delete RRset" and
 * "add RR" (RFC 2136 2.5.2, 2.5.1).
 */
struct ddns_update_req {
	uint16_t id;
	const char *zone;
	const char *name;
	int af;              /* AF_INET or AF_INET6 */
	const uint8_t *addr; /* 4 or 16 bytes, network order */
	uint32_t ttl;
};

/* Writes the unsigned message; returns its length or -1. */
int ddns_update_build(
    const struct ddns_update_req *req, uint8_t *buf, size_t cap);

/* A TSIG RR as found on the wire (pointers into the message). */
struct ddns_tsig_rr {
	size_t rr_off; /* where the RR starts */
	uint8_t name[DDNS_NAME_MAX];
	size_t name_len;
	uint8_t alg[DDNS_NAME_MAX];
	size_t alg_len;
	uint64_t time_signed; /* 48 bits */
	uint16_t fudge;
	const uint8_t *mac;
	uint16_t mac_len;
	uint16_t orig_id;
	uint16_t error;
	const uint8_t *other;
	uint16_t other_len;
};

/* What a response says, after every section was walked within bounds. */
struct ddns_msg_info {
	uint16_t id;
	int qr, opcode, tc, aa, rcode;
	uint16_t qdcount, ancount, nscount, arcount;
	int has_tsig;
	struct ddns_tsig_rr tsig;
};

/*
 * Parses a whole message.  A TSIG RR is accepted only as the last record of
 * the additional section, and at most once.  0 or -1 (malformed).
 */
int ddns_msg_parse(const uint8_t *msg, size_t len, struct ddns_msg_info *mi);

/* --- TSIG (RFC 8945) --------------------------------------------------- */

/*
 * A TSIG key.  `secret` points into libsodium guarded memory that the
 * caller unlocks around ddns_tsig_sign/verify (see update.c).
 */
struct ddns_tsig_key {
	uint8_t name[DDNS_NAME_MAX]; /* canonical wire form */
	size_t name_len;
	int alg;
	const uint8_t *secret;
	size_t secret_len;
};

/* Fills name/name_len/alg from text; the secret is set by the caller. */
int ddns_tsig_key_init(struct ddns_tsig_key *k, const char *name, int alg);

/*
 * Appends a TSIG RR to the message of length *len (ARCOUNT += 1), signed at
 * `now` (seconds since the epoch).  mac (DDNS_MAC_MAX bytes) receives the
 * request MAC, which the response's MAC covers.  0 or -1 (no room).
 */
int ddns_tsig_sign(uint8_t *msg, size_t *len, size_t cap,
    const struct ddns_tsig_key *k, uint64_t now, uint8_t *mac, size_t *mac_len);

/* Verification results beyond the plain "good". */
enum ddns_tsig_status {
	DDNS_TSIG_OK = 0,
	DDNS_TSIG_MISSING,     /* response not signed at all */
	DDNS_TSIG_FORMERR,     /* TSIG RR malformed */
	DDNS_TSIG_WRONG_KEY,   /* signed with another key or algorithm */
	DDNS_TSIG_ERR_BADKEY,  /* the server did not know our key */
	DDNS_TSIG_ERR_BADSIG,  /* the server found our MAC wrong */
	DDNS_TSIG_ERR_BADTIME, /* the server thinks our clock is off */
	DDNS_TSIG_ERR_OTHER,   /* another TSIG error code */
	DDNS_TSIG_BAD_MAC,     /* the response's MAC is wrong */
	DDNS_TSIG_BAD_TIME,    /* the response is outside the fudge */
};
const char *ddns_tsig_status_str(int st);

/*
 * Checks the TSIG of a response (already parsed into mi) to a request
 * whose MAC was req_mac: server-side errors first (their responses are
 * unsigned, RFC 8945 5.3.2), then the MAC in constant time, then the time.
 */
int ddns_tsig_verify(const uint8_t *msg, size_t len,
    const struct ddns_msg_info *mi, const struct ddns_tsig_key *k,
    const uint8_t *req_mac, size_t req_mac_len, uint64_t now);

/* HMAC over a list of pieces; 0 or -1.  Exposed for the known-answer test. */
struct ddns_iov {
	const void *p;
	size_t len;
};
int ddns_hmac(int alg, const uint8_t *key, size_t keylen,
    const struct ddns_iov *iov, size_t niov, uint8_t *mac, size_t *mac_len);

/* --- resolver answers -------------------------------------------------- */

/*
 * Copies the rdata of A (4 bytes) or AAAA (16 bytes) records into out[]
 * (16 bytes each), skipping any of the wrong size; returns how many.
 */
size_t ddns_rdata_addrs(
    int af, char *const *data, const int *lens, uint8_t (*out)[16], size_t max);

#endif
