/*
 * ix_ignore.c: NEC IX commands that are the OS's job on Linux (NAT,
 * filters, DHCP, PPPoE, NTP, logging, the ports themselves...).  A pasted
 * IX config keeps working: each such line draws one warning and is
 * skipped.  A longer row wins over a shorter command of ours, so
 * "ip address dhcp" is ignored while "ip address A/N" is not.
 */
#include <stddef.h>

#include "conf/internal.h"

#define G   M_GLOBAL
#define PT  M_IXPORT                          /* IX port blocks only */
#define PL  (M_IXPORT | M_LINUXIF)            /* ...and Linux interfaces */
#define PLT (M_IXPORT | M_LINUXIF | M_TUNNEL) /* ...and tunnels */

const struct conf_ignore conf_ignores[] = {
    /* top level */
    {G, "ip napt", 0},
    {G, "ip filter", 0},
    {G, "ipv6 filter", 0},
    {G, "ip access-list", 0},
    {G, "ipv6 access-list", 0},
    {G, "ip dhcp", 0},
    {G, "ip dhcp profile *", M_IXDHCP},
    {G, "ipv6 dhcp", 0},
    {G, "ipv6 dhcp client-profile *", M_IXDHCP6},
    {G, "ipv6 dhcp server-profile *", M_IXDHCP6},
    {G, "ipv6 nd", 0},
    {G, "proxy-dns", 0},
    {G, "nm", 0},
    {G, "ppp profile *", M_IXPPP},
    {G, "ip ufs-cache", 0},
    {G, "ipv6 ufs-cache", 0},
    {G, "ip routing", 0},
    {G, "ipv6 routing", 0},
    {G, "ip domain-name", 0},
    {G, "ip host", 0},
    {G, "ip icmp", 0},
    {G, "ip arp", 0},
    {G, "ntp", 0},
    {G, "logging", 0},
    {G, "syslog", 0},
    {G, "snmp-agent", 0},
    {G, "telnet-server", 0},
    {G, "http-server", 0},
    {G, "ssh-server", 0},
    {G, "timezone", 0},
    {G, "username", 0},
    {G, "clock", 0},
    {G, "svintr-*", 0},
    {G, "lldp", 0},
    {G, "bridge", 0},
    {G, "network-monitor * led", 0},
    {M_WATCH, "action * led", 0},
    {M_WATCH, "action * turn-*", 0},
    {M_WATCH, "action * netmeister-switch-mode", 0},

    /* inside interface blocks */
    {PT, "description", 0},
    {PT, "ip address", 0},
    {PT, "ip unnumbered", 0},
    {PT, "ip ospf", 0},
    {PT, "ipv6 address", 0},
    {PL, "ip address dhcp", 0},
    {PL, "ip address ipcp", 0},
    {PL, "ip tcp adjust-mss", 0},
    {PL, "ip mtu", 0},
    {PL, "ip proxy-arp", 0},
    {PL, "ip dhcp", 0},
    {PL, "ip icmp", 0},
    {PL, "ip keepalive", 0},
    {PL, "ipv6 enable", 0},
    {PL, "ipv6 address autoconfig", 0},
    {PL, "ipv6 address dhcp", 0},
    {PL, "ipv6 dhcp", 0},
    {PL, "ipv6 nd", 0},
    {PL, "ipv6 mtu", 0},
    {PL, "ipv6 tcp", 0},
    {PL, "ppp binding", 0},
    {PL, "encapsulation", 0},
    {PL, "auto-connect", 0},
    {PL, "pppoe", 0},
    {PL, "bridge-group", 0},
    {PL, "speed-duplex", 0},
    {PL, "vlan-id", 0},
    {PL, "lldp", 0},
    {PL, "shutdown", 0},
    {PLT, "ip napt", 0},
    {PLT, "ip filter", 0},
    {PLT, "ipv6 filter", 0},
    {PLT, "ip access-group", 0},
    {M_TUNNEL, "ipv6 enable", 0},
    {M_TUNNEL, "ikev2 ipsec pre-fragment", 0},

    /* ppp profile NAME */
    {M_IXPPP, "authentication", 0},
    {M_IXPPP, "lcp", 0},
    {M_IXPPP, "ipcp", 0},
    {M_IXPPP, "ipv6cp", 0},
    {M_IXPPP, "keepalive", 0},
    {M_IXPPP, "disconnect-time", 0},
    {M_IXPPP, "mru", 0},

    /* ip dhcp profile NAME */
    {M_IXDHCP, "dns-server", 0},
    {M_IXDHCP, "default-gateway", 0},
    {M_IXDHCP, "assignable-range", 0},
    {M_IXDHCP, "fixed-assignment", 0},
    {M_IXDHCP, "lease-time", 0},
    {M_IXDHCP, "domain-name", 0},
    {M_IXDHCP, "ntp-server", 0},
    {M_IXDHCP, "subnet-mask", 0},
    {M_IXDHCP, "option", 0},

    /* ipv6 dhcp client-profile / server-profile NAME */
    {M_IXDHCP6, "option-request", 0},
    {M_IXDHCP6, "ia-pd", 0},
    {M_IXDHCP6, "ia-na", 0},
    {M_IXDHCP6, "dns-server", 0},
    {M_IXDHCP6, "domain-name", 0},
    {M_IXDHCP6, "information-refresh-time", 0},
    {M_IXDHCP6, "sntp-server", 0},
    {M_IXDHCP6, "rapid-commit", 0},

    {0, NULL, 0},
};

#undef G
#undef PT
#undef PL
#undef PLT
