/*
 * caps.h: after start-up tsunagid keeps only the capabilities its work
 * needs: CAP_NET_ADMIN (netlink), CAP_NET_RAW (OSPF, ICMP probes) and
 * CAP_NET_BIND_SERVICE (UDP 500/4500).
 */
#ifndef TSUNAGI_CAPS_H
#define TSUNAGI_CAPS_H

#include <stdint.h>

int caps_drop(void);
uint64_t caps_kept(void);

#endif
