/* fuzz-libs: */
/*
 * fuzz_icmp: what the watch-groups' raw sockets read, through the echo
 * parser: the first input byte picks the family (even: IPv4 with its IP
 * header, odd: ICMPv6), the rest is the datagram.  A reply's body is read
 * whole, as the matcher does, and a parsed reply must build back to the
 * same bytes (checksum aside).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -I. \
 *       tests/fuzz/fuzz_icmp.c
 */
#include <stdlib.h>

#include "ospf/icmp.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ospf_icmp_echo e;
	uint8_t out[4096];
	uint32_t src = 0;
	volatile unsigned sum =
	    0; /* every body byte read, as the matcher does */
	size_t i, n;
	int af;

	if (size < 1)
		return 0;
	af = data[0] & 1 ? AF_INET6 : AF_INET;
	if (ospf_icmp_echo_parse(af, data + 1, size - 1, &e, &src) !=
	    OSPF_ICMP_REPLY)
		return 0;
	for (i = 0; i < e.len; i++)
		sum += e.body[i];
	if (e.body < data + 1 || e.body + e.len > data + size)
		abort();
	n = ospf_icmp_echo_build(
	    af, e.id, e.seq, e.body, e.len, out, sizeof(out));
	if (n != 0 && (n != e.len + OSPF_ICMP_HDR ||
	                  memcmp(out + 4, e.body - 4, 4 + e.len) != 0))
		abort();
	return 0;
}
