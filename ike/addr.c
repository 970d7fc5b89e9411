/*
 * addr.c: the few conversions between the socket view of an endpoint
 * (sockaddr_storage, with a port) and xfrm's (xfrm_ip, no port).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ike/sa.h"

void
ike_ss_to_ip(const struct sockaddr_storage *ss, struct xfrm_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (ss->ss_family == AF_INET) {
		ip->family = AF_INET;
		ip->v4 = ((const struct sockaddr_in *)ss)->sin_addr;
	} else if (ss->ss_family == AF_INET6) {
		ip->family = AF_INET6;
		ip->v6 = ((const struct sockaddr_in6 *)ss)->sin6_addr;
	}
}

int
ike_ss_eq_addr(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	struct xfrm_ip x, y;

	ike_ss_to_ip(a, &x);
	ike_ss_to_ip(b, &y);
	return x.family != 0 && xfrm_ip_eq(&x, &y);
}

uint16_t
ike_ss_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

void
ike_ss_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

const char *
ike_ss_fmt(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	struct xfrm_ip ip;

	ike_ss_to_ip(ss, &ip);
	if (ip.family == 0)
		snprintf(buf, size, "-");
	else
		xfrm_ip_fmt(&ip, buf, size);
	return buf;
}

int
ike_ss_from_conf(struct sockaddr_storage *ss, int af, const uint8_t *a,
    uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, a, 4);
		s4->sin_port = htons(port);
		return 0;
	}
	if (af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, a, 16);
		s6->sin6_port = htons(port);
		return 0;
	}
	return -1;
}
