#!/bin/bash
# foundation: the ground every later end-to-end test stands on.  Checks that
# the VM's kernel and the lib.sh topology give us: PPPoE sessions numbered by
# IPCP, IPv4 between the two PPPoE pools, IPv6 between the houses and their
# LAN prefixes, ESP with AES-GCM, XFRM interfaces, a working static
# IPv4-in-IPv6 ESP tunnel between the LANs, and renumbering by the ISP.
#
#   tests/vm/run tests/vm/scenarios/foundation.sh
#
# TAP output; exit 0 only if every check passed.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

# in_pool NS PREFIX MIN: ppp0's address starts with PREFIX (e.g.
# "198.51.100.") and its last octet is at least MIN.
in_pool() {
	local a
	a=$(ppp_addr "$1") || { echo "$1: ppp0 has no address"; return 1; }
	echo "$1 ppp0: $a"
	case $a in "$2"*) ;; *) return 1 ;; esac
	[ "${a##*.}" -ge "$3" ]
}

# ping_from NS SRC DST: two pings from SRC's address; one answer is enough.
# -i 0.2: the default 1 s interval is pure waiting.
ping_from() { nsx "$1" ping -n -c 2 -i 0.2 -W 2 -I "$2" "$3"; }

# ping6_ns NS DST
ping6_ns() { nsx "$1" ping -6 -n -c 2 -i 0.2 -W 2 "$2"; }

# xfrm_state_roundtrip: add an AES-GCM ESP SA, see it listed, delete it.
xfrm_state_roundtrip() {
	ip -n home xfrm state add src "$HOME_WAN6" dst "$JIKKA_WAN6" proto esp spi 0x4242 \
		mode tunnel if_id 1 aead 'rfc4106(gcm(aes))' "$(esp_key)" 128 || return 1
	ip -n home xfrm state list | tee /dev/stderr | grep -q 'rfc4106(gcm(aes))' || return 1
	ip -n home xfrm state delete src "$HOME_WAN6" dst "$JIKKA_WAN6" proto esp spi 0x4242 || return 1
	[ -z "$(ip -n home xfrm state list)" ]
}

# xfrmi_roundtrip: create, raise and delete an XFRM interface.
xfrmi_roundtrip() {
	ip -n home link add Tunnel1.0 type xfrm dev wan6 if_id 1 || return 1
	ip -n home link set Tunnel1.0 up || return 1
	ip -n home -d link show Tunnel1.0 | tee /dev/stderr | grep -q 'xfrm if_id 0x1' || return 1
	ip -n home link del Tunnel1.0 || return 1
	! ip -n home link show Tunnel1.0 2> /dev/null
}

# tunnel_ping: LAN host to LAN host through the static ESP tunnel, with the
# SA counters of both directions rising on both sides.
tunnel_ping() {
	local h0 j0 h1 j1
	h0=$(esp_packets home 0x1001) j0=$(esp_packets jikka 0x1002)
	nsx home-lan ping -n -c 3 -i 0.2 -W 2 "$JIKKA_LANHOST4" || return 1
	h1=$(esp_packets home 0x1001) j1=$(esp_packets jikka 0x1002)
	echo "SA packets: home->jikka (counted at home) $h0 -> $h1, jikka->home (at jikka) $j0 -> $j1"
	[ "$h1" -gt "$h0" ] && [ "$j1" -gt "$j0" ]
}

# lan4_isolated: without a tunnel the private LANs cannot reach each other
# (no ISP routes 192.168.0.0/16), so a working tunnel ping means the tunnel.
lan4_isolated() { ! nsx home-lan ping -n -c 1 -W 1 "$JIKKA_LANHOST4"; }

# both_ppp_default: both houses route IPv4 by default via ppp0.
both_ppp_default() { ppp_default_route home && ppp_default_route jikka; }

no_namespace_left() { ip netns list; [ -z "$(ip netns list)" ]; }

tap_plan
trap topo_down EXIT
t0=$SECONDS
topo_up || diag "topo_up: PPP did not come up in time (see $TOPO_DIR)"
diag "topology up in $((SECONDS - t0)) s"

# 1. IPCP addresses from each house's pool, default route via ppp0.
ok "home ppp0 got an IPCP address from 198.51.100.0/24" in_pool home 198.51.100. 1
ok "jikka ppp0 got an IPCP address from 203.0.113.0/24" in_pool jikka 203.0.113. 1
ok "both houses route IPv4 by default via ppp0" both_ppp_default
H4=$(ppp_addr home) J4=$(ppp_addr jikka)

# 2. IPv4 between the pools, through isp4.
ok "home pings jikka's PPPoE address from its own" ping_from home "${H4:-none}" "${J4:-none}"
ok "jikka pings home's PPPoE address from its own" ping_from jikka "${J4:-none}" "${H4:-none}"

# 3. IPv6 over the IPoE provider, and the LAN prefixes routed to the houses.
ok "home pings jikka's wan6 over IPv6" ping6_ns home "$JIKKA_WAN6"
ok "home pings jikka's LAN address over IPv6 (prefix routing)" ping6_ns home "$JIKKA_LAN6"
ok "home LAN host pings jikka LAN host over IPv6" ping6_ns home-lan "$JIKKA_LANHOST6"

# 4, 5. The kernel features the daemon needs.
ok "ESP SA with rfc4106(gcm(aes)) added, listed, deleted" xfrm_state_roundtrip
ok "XFRM interface Tunnel1.0 created, up, deleted" xfrmi_roundtrip

# 6. A real tunnel with static keys between the private LANs.
if ok "static IPv4-in-IPv6 ESP tunnel set up (SAs, policies, Tunnel1.0)" esp_static_tunnel 7; then
	ok "LAN hosts ping each other through the tunnel, ESP counters rise" tunnel_ping
else
	skip "LAN hosts ping each other through the tunnel, ESP counters rise" "no tunnel"
fi
esp_static_tunnel_down
ok "without the tunnel the private IPv4 LANs are unreachable" lan4_isolated

# 7. The ISP renumbers home; pppd redials by itself.
t0=$SECONDS
house_reconnect_ppp home 198.51.100.50
if ok "home renumbered to >= 198.51.100.50 after the AC restart" wait_for 20 in_pool home 198.51.100. 50; then
	diag "renumbered in $((SECONDS - t0)) s: $(ppp_addr home)"
	wait_for 10 ppp_default_route home
	ok "jikka pings home's new PPPoE address" ping_from jikka "${J4:-none}" "$(ppp_addr home)"
else
	skip "jikka pings home's new PPPoE address" "not renumbered"
fi

t0=$SECONDS
topo_down
diag "teardown in $((SECONDS - t0)) s"
ok "cleanup leaves no namespace" no_namespace_left
tap_end
