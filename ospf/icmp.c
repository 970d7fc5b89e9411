/*
 * icmp.c: echo request and reply codec for the watch-group probes.  The
 * parser trusts nothing: lengths are checked before every read, and a
 * reply whose checksum fails is malformed, not an answer.
 */
#include <string.h>
#include <sys/socket.h>

#include "ospf/icmp.h"

#define ICMP4_ECHO_REQUEST 8
#define ICMP4_ECHO_REPLY   0
#define ICMP6_ECHO_REQ     128
#define ICMP6_ECHO_REP     129
#define IPPROTO_ICMP4      1

uint16_t
ospf_icmp_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

size_t
ospf_icmp_echo_build(int af, uint16_t id, uint16_t seq, const uint8_t *body,
    size_t blen, uint8_t *buf, size_t size)
{
	uint16_t c;

	if (size < OSPF_ICMP_HDR + blen)
		return 0;
	buf[0] = af == AF_INET ? ICMP4_ECHO_REQUEST : ICMP6_ECHO_REQ;
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	buf[4] = id >> 8, buf[5] = id & 0xff;
	buf[6] = seq >> 8, buf[7] = seq & 0xff;
	if (blen > 0)
		memcpy(buf + OSPF_ICMP_HDR, body, blen);
	if (af == AF_INET) {
		c = ospf_icmp_csum(buf, OSPF_ICMP_HDR + blen);
		buf[2] = c >> 8, buf[3] = c & 0xff;
	}
	return OSPF_ICMP_HDR + blen;
}

/* The ICMP message inside an IPv4 datagram, or NULL if the header lies. */
static const uint8_t *
ip4_payload(const uint8_t *pkt, size_t len, size_t *plen, uint32_t *src)
{
	size_t hl, tot;

	if (len < 20 || pkt[0] >> 4 != 4 || pkt[9] != IPPROTO_ICMP4)
		return NULL;
	hl = (size_t)(pkt[0] & 15) * 4;
	tot = (size_t)pkt[2] << 8 | pkt[3];
	if (hl < 20 || hl > len || tot < hl || tot > len)
		return NULL;
	memcpy(src, pkt + 12, 4);
	*plen = tot - hl;
	return pkt + hl;
}

int
ospf_icmp_echo_parse(int af, const uint8_t *pkt, size_t len,
    struct ospf_icmp_echo *e, uint32_t *src4)
{
	const uint8_t *m = pkt;
	size_t mlen = len;

	if (af == AF_INET && (m = ip4_payload(pkt, len, &mlen, src4)) == NULL)
		return OSPF_ICMP_MALFORMED;
	if (mlen < OSPF_ICMP_HDR)
		return OSPF_ICMP_MALFORMED;
	if (m[0] != (af == AF_INET ? ICMP4_ECHO_REPLY : ICMP6_ECHO_REP) ||
	    m[1] != 0)
		return OSPF_ICMP_OTHER;
	/* ICMPv6's checksum covers the addresses: the kernel checked it. */
	if (af == AF_INET && ospf_icmp_csum(m, mlen) != 0)
		return OSPF_ICMP_MALFORMED;
	e->id = (uint16_t)(m[4] << 8 | m[5]);
	e->seq = (uint16_t)(m[6] << 8 | m[7]);
	e->body = m + OSPF_ICMP_HDR;
	e->len = mlen - OSPF_ICMP_HDR;
	return OSPF_ICMP_REPLY;
}
