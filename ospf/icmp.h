/*
 * icmp.h: the ICMP and ICMPv6 echo messages of the watch-group probes,
 * built and parsed without I/O (fuzzable, tested with vectors).  Private
 * to ospf/.
 */
#ifndef TSUNAGI_OSPF_ICMP_H
#define TSUNAGI_OSPF_ICMP_H

#include <stddef.h>
#include <stdint.h>

/* The body every probe carries: the entry's cookie, then the send time. */
#define OSPF_ICMP_COOKIE 8
#define OSPF_ICMP_BODY   16
#define OSPF_ICMP_HDR    8

struct ospf_icmp_echo {
	uint16_t id, seq;
	const uint8_t *body; /* into the parsed datagram */
	size_t len;
};

enum ospf_icmp_result {
	OSPF_ICMP_REPLY = 0, /* an echo reply, header and checksum sound */
	OSPF_ICMP_OTHER,     /* not an echo reply (the filter let it by) */
	OSPF_ICMP_MALFORMED, /* truncated, bad IP header or checksum */
};

/*
 * An echo request of family af (AF_INET, AF_INET6) into buf: the ICMP
 * message only (the kernel adds the IP header; for ICMPv6 it fills the
 * checksum, which needs the addresses).  Its length, or 0 if size is
 * too small.
 */
size_t ospf_icmp_echo_build(int af, uint16_t id, uint16_t seq,
    const uint8_t *body, size_t blen, uint8_t *buf, size_t size);
/*
 * What a raw socket of family af read: for AF_INET the whole datagram
 * (IP header first), for AF_INET6 the ICMPv6 message.  For AF_INET,
 * *src4 gets the IP source (network order).
 */
int ospf_icmp_echo_parse(int af, const uint8_t *pkt, size_t len,
    struct ospf_icmp_echo *e, uint32_t *src4);
/* The Internet checksum (RFC 1071) of len bytes. */
uint16_t ospf_icmp_csum(const uint8_t *p, size_t len);

#endif
