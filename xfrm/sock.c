/*
 * sock.c: the two socket options an IKE daemon needs from the kernel's
 * IPsec: ESP-in-UDP on its port 4500 socket (RFC 3948), and a bypass so
 * that IKE's own packets are never caught by an IPsec policy.
 */
#include <errno.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "xfrm/nl.h"
#include "xfrm/xfrm.h"

/*
 * With UDP_ENCAP_ESPINUDP the kernel takes datagrams that start with a
 * non-zero SPI as ESP and hands the rest (non-ESP marker: IKE) to us.
 */
int
xfrm_udp_encap_enable(int fd)
{
	int type = UDP_ENCAP_ESPINUDP;

	if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) == -1) {
		xfrm_set_error(
		    "xfrm: UDP_ENCAP on socket %d: %s", fd, strerror(errno));
		log_warn("xfrm: UDP_ENCAP on socket %d", fd);
		return -1;
	}
	return 0;
}

/* A per-socket "allow" policy in both directions overrides any SPD entry. */
int
xfrm_socket_bypass(int fd, int family)
{
	struct xfrm_userpolicy_info pol;
	int level, opt;
	uint8_t dir;

	if (family == AF_INET) {
		level = IPPROTO_IP;
		opt = IP_XFRM_POLICY;
	} else if (family == AF_INET6) {
		level = IPPROTO_IPV6;
		opt = IPV6_XFRM_POLICY;
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.sel.family = (uint16_t)family;
		pol.dir = dir;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) == -1) {
			xfrm_set_error("xfrm: bypass policy on socket %d: %s",
			    fd, strerror(errno));
			log_warn("xfrm: bypass policy on socket %d", fd);
			return -1;
		}
	}
	return 0;
}
