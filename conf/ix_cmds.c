/*
 * ix_cmds.c: the NEC IX commands that are the OS's job on Linux (NAT,
 * filters, DHCP, PPPoE, NTP, logging, the ports themselves...), and what
 * does each job there.  A pasted IX running-config keeps working: each
 * block of the OS's, or each kind of line, draws one warning that says
 * where it goes (ix.c), and is skipped.  Leniency stops at this table: a
 * word it does not hold is an error like any typo.
 *
 * Gathered from NEC's published IX configuration examples and running
 * configs.  A row names a command by its leading words ("*" any word,
 * "x-*" a prefix); the rest of the line is the IX's business.  A longer
 * row wins over a shorter command of ours, so "ip address dhcp" is
 * ignored while "ip address A/N" is not; a row never shortens one of our
 * commands ("dns cache", not "dns"), so that a typo in ours still fails.
 */
#include <stddef.h>

#include "conf/internal.h"

const struct conf_ix_owner conf_ix_owners[IXO_N] = {
    [IXO_NAT] = {"NAPT, packet filters and access lists", "nftables"},
    [IXO_DHCPD] = {"a DHCP server",
        "systemd-networkd's [DHCPServer], dnsmasq or Kea"},
    [IXO_UPLINK] = {"addresses from the provider (DHCP, DHCPv6, RA)",
        "systemd-networkd or dhcpcd"},
    [IXO_RA] = {"router advertisements and neighbour discovery",
        "systemd-networkd's [IPv6SendRA] or radvd; the kernel"},
    [IXO_PPP] = {"PPPoE", "pppd"},
    [IXO_DNS] = {"DNS (proxy, cache, host names)",
        "unbound, dnsmasq or systemd-resolved; /etc/hosts"},
    [IXO_NTP] = {"time synchronisation (NTP)", "chrony or systemd-timesyncd"},
    [IXO_LOG] = {"logging", "the journal or rsyslog"},
    [IXO_MGMT] = {"management access (users, telnet, HTTP, SSH, SNMP)",
        "the OS's accounts, sshd, snmpd"},
    [IXO_FWD] = {"forwarding and its cache",
        "the kernel, by sysctl net.ipv4.ip_forward and "
        "net.ipv6.conf.all.forwarding"},
    [IXO_KERNEL] = {"what the kernel does by itself on an XFRM interface "
                    "(IPv6, fragmenting before encryption)",
        "the kernel, by itself on an XFRM interface"},
    [IXO_PORT] = {"the ports and their link settings",
        "systemd-networkd, ifupdown or NetworkManager, by the Linux names"},
    [IXO_BRIDGE] = {"bridging",
        "a Linux bridge, by systemd-networkd or ip link"},
    [IXO_QOS] = {"QoS", "tc"},
    [IXO_ROUTING] = {"other routing (BGP, RIP, OSPFv3, route maps, "
                     "policy routing)",
        "FRR or BIRD; ip rule"},
    [IXO_CLOCK] = {"the clock and time zone", "timedatectl"},
    [IXO_NM] = {"NetMeister, NEC's cloud service",
        "none; a ddns profile publishes the addresses"},
    [IXO_PANEL] = {"the IX's own hardware and console (LEDs, svintr)",
        "none: the LEDs and console are the IX's"},
    [IXO_TUNNEL] = {"a tunnel of another kind (MAP-E, DS-Lite, GRE, ...)",
        "ip tunnel or ip link, with a MAP-E or DS-Lite client where "
        "needed"},
    [IXO_IKEV1] = {"IKEv1 IPsec", "strongSwan or Libreswan"},
    [IXO_ROUTE] = {"a route through an interface the OS owns",
        "whatever brings the interface up: systemd-networkd, pppd, "
        "a DHCP client"},
};

#define G   M_GLOBAL
#define PT  M_IXPORT                          /* IX ports, OS tunnels */
#define PL  (M_IXPORT | M_LINUXIF)            /* ...and Linux interfaces */
#define PLT (M_IXPORT | M_LINUXIF | M_TUNNEL) /* ...and our tunnels */

const struct conf_ignore conf_ignores[] = {
    /* top level */
    /* a route whose next hop DHCP gives: the uplink's */
    {G, "ip route * * dhcp", 0, IXO_ROUTE},
    {G, "ipv6 route * * dhcp", 0, IXO_ROUTE},
    {G, "ip napt", 0, IXO_NAT},
    {G, "ip filter", 0, IXO_NAT},
    {G, "ipv6 filter", 0, IXO_NAT},
    {G, "ip access-list", 0, IXO_NAT},
    {G, "ipv6 access-list", 0, IXO_NAT},
    {G, "ip dhcp", 0, IXO_DHCPD},
    {G, "ip dhcp profile *", M_IXDHCP, IXO_DHCPD},
    {G, "ip dhcp-relay", 0, IXO_DHCPD},
    {G, "ipv6 dhcp", 0, IXO_UPLINK},
    {G, "ipv6 dhcp client-profile *", M_IXDHCP6, IXO_UPLINK},
    {G, "ipv6 dhcp server-profile *", M_IXDHCP6, IXO_DHCPD},
    {G, "ipv6 nd", 0, IXO_RA},
    {G, "proxy-dns", 0, IXO_DNS},
    {G, "dns cache", 0, IXO_DNS},
    {G, "ip domain-name", 0, IXO_DNS},
    {G, "ip domain-list", 0, IXO_DNS},
    {G, "ip host", 0, IXO_DNS},
    {G, "ipv6 host", 0, IXO_DNS},
    {G, "nm", 0, IXO_NM},
    {G, "ppp profile *", M_IXPPP, IXO_PPP},
    {G, "ip ufs-cache", 0, IXO_FWD},
    {G, "ipv6 ufs-cache", 0, IXO_FWD},
    {G, "ip routing", 0, IXO_FWD},
    {G, "ipv6 routing", 0, IXO_FWD},
    {G, "ip icmp", 0, IXO_FWD},
    {G, "ip arp", 0, IXO_PORT},
    {G, "ip prefix-list", 0, IXO_ROUTING},
    {G, "ipv6 prefix-list", 0, IXO_ROUTING},
    {G, "route-map *", M_IXRTR, IXO_ROUTING},
    {G, "router *", M_IXRTR, IXO_ROUTING},
    {G, "ipv6 router *", M_IXRTR, IXO_ROUTING},
    {G, "class-map", M_IXQOS, IXO_QOS},
    {G, "policy-map *", M_IXQOS, IXO_QOS},
    {G, "ntp", 0, IXO_NTP},
    {G, "logging", 0, IXO_LOG},
    {G, "syslog", 0, IXO_LOG},
    {G, "snmp-agent", 0, IXO_MGMT},
    {G, "telnet-server", 0, IXO_MGMT},
    {G, "http-server", 0, IXO_MGMT},
    {G, "ssh-server", 0, IXO_MGMT},
    {G, "username", 0, IXO_MGMT},
    {G, "timezone", 0, IXO_CLOCK},
    {G, "clock", 0, IXO_CLOCK},
    {G, "svintr-*", 0, IXO_PANEL},
    {G, "system", 0, IXO_PANEL},
    {G, "lldp", 0, IXO_PORT},
    {G, "device *", M_IXDEV, IXO_PORT},
    {G, "bridge", 0, IXO_BRIDGE},
    {G, "ike", 0, IXO_IKEV1},
    {G, "ipsec", 0, IXO_IKEV1},
    {G, "network-monitor * led", 0, IXO_PANEL},
    {M_WATCH, "action * led", 0, IXO_PANEL},
    {M_WATCH, "action * turn-*", 0, IXO_PANEL},
    {M_WATCH, "action * netmeister-switch-mode", 0, IXO_NM},
    {M_WATCH, "action * ipsec clear-sa", 0, IXO_IKEV1},

    /* inside interface blocks */
    {PT, "description", 0, IXO_PORT},
    {PT, "ip address", 0, IXO_UPLINK},
    {PL, "ip unnumbered", 0, IXO_PORT},
    {PT, "ip ospf", 0, IXO_PORT},
    {PT, "ipv6 address", 0, IXO_UPLINK},
    {PT, "tunnel", 0, IXO_TUNNEL},
    {PT, "ipsec", 0, IXO_IKEV1},
    {PL, "bridge", 0, IXO_BRIDGE},
    {PL, "ip address dhcp", 0, IXO_UPLINK},
    {PL, "ip address ipcp", 0, IXO_PPP},
    {PL, "ip tcp adjust-mss", 0, IXO_NAT},
    {PL, "ip mtu", 0, IXO_PORT},
    {PL, "ip proxy-arp", 0, IXO_PORT},
    {PL, "ip arp", 0, IXO_PORT},
    {PL, "ip redirects", 0, IXO_FWD},
    {PL, "ip dhcp", 0, IXO_DHCPD},
    {PL, "ip icmp", 0, IXO_FWD},
    {PL, "ip keepalive", 0, IXO_PORT},
    {PL, "ip policy", 0, IXO_ROUTING},
    {PL, "ip rip", 0, IXO_ROUTING},
    {PL, "ipv6 enable", 0, IXO_UPLINK},
    {PL, "ipv6 address autoconfig", 0, IXO_UPLINK},
    {PL, "ipv6 address dhcp", 0, IXO_UPLINK},
    {PL, "ipv6 interface-identifier", 0, IXO_UPLINK},
    {PL, "ipv6 dhcp", 0, IXO_UPLINK},
    {PL, "ipv6 nd", 0, IXO_RA},
    {PL, "ipv6 mtu", 0, IXO_PORT},
    {PL, "ipv6 tcp", 0, IXO_NAT},
    {PL, "ipv6 redirects", 0, IXO_FWD},
    {PL, "ipv6 traffic-class", 0, IXO_QOS},
    {PL, "ipv6 policy", 0, IXO_ROUTING},
    {PL, "ipv6 ospf", 0, IXO_ROUTING},
    {PL, "proxy-dns", 0, IXO_DNS},
    {PL, "service-policy", 0, IXO_QOS},
    {PL, "ppp binding", 0, IXO_PPP},
    {PL, "encapsulation", 0, IXO_PPP},
    {PL, "auto-connect", 0, IXO_PPP},
    {PL, "pppoe", 0, IXO_PPP},
    {PL, "bridge-group", 0, IXO_BRIDGE},
    {PL, "speed-duplex", 0, IXO_PORT},
    {PL, "vlan-id", 0, IXO_PORT},
    {PL, "lldp", 0, IXO_PORT},
    {PL, "shutdown", 0, IXO_PORT},
    {PLT, "ip napt", 0, IXO_NAT},
    {PLT, "ip filter", 0, IXO_NAT},
    {PLT, "ipv6 filter", 0, IXO_NAT},
    {PLT, "ip access-group", 0, IXO_NAT},
    {M_TUNNEL, "ipv6 enable", 0, IXO_KERNEL},
    {M_TUNNEL, "ikev2 ipsec pre-fragment", 0, IXO_KERNEL},

    /*
     * "tunnel mode X" for every X but ipsec-ikev2: the whole tunnel is
     * the OS's (ix.c, conf_ix_block).  Written out, not "tunnel mode *":
     * that would swallow a misspelt ipsec-ikev2.
     */
    {M_TUNNEL, "tunnel mode map-e", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode ds-lite", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode 4over6", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode 6rd", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode ipv6ip", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode ipip", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode gre", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode ether-ip", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode l2tpv3", M_IXPORT, IXO_TUNNEL},
    {M_TUNNEL, "tunnel mode ipsec", M_IXPORT, IXO_IKEV1},
    {M_TUNNEL, "tunnel mode ipsec-ipv4", M_IXPORT, IXO_IKEV1},
    {M_TUNNEL, "tunnel mode ipsec-ipv6", M_IXPORT, IXO_IKEV1},

    /* ppp profile NAME */
    {M_IXPPP, "authentication", 0, IXO_PPP},
    {M_IXPPP, "lcp", 0, IXO_PPP},
    {M_IXPPP, "ipcp", 0, IXO_PPP},
    {M_IXPPP, "ipv6cp", 0, IXO_PPP},
    {M_IXPPP, "keepalive", 0, IXO_PPP},
    {M_IXPPP, "disconnect-time", 0, IXO_PPP},
    {M_IXPPP, "mru", 0, IXO_PPP},

    /* ip dhcp profile NAME */
    {M_IXDHCP, "dns-server", 0, IXO_DHCPD},
    {M_IXDHCP, "default-gateway", 0, IXO_DHCPD},
    {M_IXDHCP, "assignable-range", 0, IXO_DHCPD},
    {M_IXDHCP, "fixed-assignment", 0, IXO_DHCPD},
    {M_IXDHCP, "lease-time", 0, IXO_DHCPD},
    {M_IXDHCP, "domain-name", 0, IXO_DHCPD},
    {M_IXDHCP, "ntp-server", 0, IXO_DHCPD},
    {M_IXDHCP, "subnet-mask", 0, IXO_DHCPD},
    {M_IXDHCP, "option", 0, IXO_DHCPD},

    /* ipv6 dhcp client-profile / server-profile NAME */
    {M_IXDHCP6, "information-request", 0, IXO_UPLINK},
    {M_IXDHCP6, "option-request", 0, IXO_UPLINK},
    {M_IXDHCP6, "ia-pd", 0, IXO_UPLINK},
    {M_IXDHCP6, "ia-na", 0, IXO_UPLINK},
    {M_IXDHCP6, "dns-server", 0, IXO_UPLINK},
    {M_IXDHCP6, "domain-name", 0, IXO_UPLINK},
    {M_IXDHCP6, "information-refresh-time", 0, IXO_UPLINK},
    {M_IXDHCP6, "sntp-server", 0, IXO_UPLINK},
    {M_IXDHCP6, "rapid-commit", 0, IXO_UPLINK},

    /* device PORT */
    {M_IXDEV, "shutdown", 0, IXO_PORT},
    {M_IXDEV, "speed-duplex", 0, IXO_PORT},
    {M_IXDEV, "isdn", 0, IXO_PORT},
    {M_IXDEV, "port", 0, IXO_PORT},
    {M_IXDEV, "flowcontrol", 0, IXO_PORT},
    {M_IXDEV, "description", 0, IXO_PORT},

    /* class-map, policy-map (and its "class" lines) */
    {M_IXQOS, "match", 0, IXO_QOS},
    {M_IXQOS, "class", 0, IXO_QOS},
    {M_IXQOS, "set", 0, IXO_QOS},
    {M_IXQOS, "police", 0, IXO_QOS},
    {M_IXQOS, "shape", 0, IXO_QOS},
    {M_IXQOS, "queue", 0, IXO_QOS},
    {M_IXQOS, "bandwidth", 0, IXO_QOS},
    {M_IXQOS, "priority", 0, IXO_QOS},
    {M_IXQOS, "description", 0, IXO_QOS},

    /* router bgp/rip, ipv6 router ospf, route-map */
    {M_IXRTR, "neighbor", 0, IXO_ROUTING},
    {M_IXRTR, "address-family", 0, IXO_ROUTING},
    {M_IXRTR, "network", 0, IXO_ROUTING},
    {M_IXRTR, "redistribute", 0, IXO_ROUTING},
    {M_IXRTR, "bgp", 0, IXO_ROUTING},
    {M_IXRTR, "router-id", 0, IXO_ROUTING},
    {M_IXRTR, "timers", 0, IXO_ROUTING},
    {M_IXRTR, "distance", 0, IXO_ROUTING},
    {M_IXRTR, "area", 0, IXO_ROUTING},
    {M_IXRTR, "passive-interface", 0, IXO_ROUTING},
    {M_IXRTR, "default-information", 0, IXO_ROUTING},
    {M_IXRTR, "maximum-paths", 0, IXO_ROUTING},
    {M_IXRTR, "aggregate-address", 0, IXO_ROUTING},
    {M_IXRTR, "version", 0, IXO_ROUTING},
    {M_IXRTR, "distribute-list", 0, IXO_ROUTING},
    {M_IXRTR, "match", 0, IXO_ROUTING},
    {M_IXRTR, "set", 0, IXO_ROUTING},
    {M_IXRTR, "description", 0, IXO_ROUTING},

    {0, NULL, 0, 0},
};

#undef G
#undef PT
#undef PL
#undef PLT
