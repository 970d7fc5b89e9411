/*
 * ip.c: the address type of the xfrm API, parsed from and printed to text
 * (for xfrmctl, logs and events).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "xfrm/xfrm.h"

size_t
xfrm_ip_len(int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

int
xfrm_ip_parse(const char *s, struct xfrm_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		ip->family = AF_INET6;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

/* "ADDR/LEN" or a bare address (a host prefix). */
int
xfrm_prefix_parse(const char *s, struct xfrm_prefix *p)
{
	char tmp[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long len;

	if (strlen(s) >= sizeof(tmp)) {
		errno = EINVAL;
		return -1;
	}
	strcpy(tmp, s);
	slash = strchr(tmp, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (xfrm_ip_parse(tmp, &p->ip) == -1)
		return -1;
	len = xfrm_ip_len(p->ip.family) * 8;
	if (slash != NULL) {
		errno = 0;
		len = strtoul(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || errno != 0 ||
		    len > xfrm_ip_len(p->ip.family) * 8) {
			errno = EINVAL;
			return -1;
		}
	}
	p->len = (uint8_t)len;
	return 0;
}

const char *
xfrm_ip_fmt(const struct xfrm_ip *ip, char *buf, size_t size)
{
	if (ip->family != AF_INET && ip->family != AF_INET6) {
		snprintf(buf, size, "none");
		return buf;
	}
	if (inet_ntop(ip->family, ip->raw, buf, (socklen_t)size) == NULL)
		snprintf(buf, size, "?");
	return buf;
}

int
xfrm_ip_eq(const struct xfrm_ip *a, const struct xfrm_ip *b)
{
	return a->family == b->family &&
	       memcmp(a->raw, b->raw, xfrm_ip_len(a->family)) == 0;
}
