#!/bin/bash
# natt: two tsunagid where the IPv4 path has a NAT, plus rekeying and a
# dead peer.  The PPPoE provider masquerades home's addresses towards
# jikka's (a carrier-grade NAT: jikka sees home as the provider's
# 203.0.113.1), so:
#
#   1. Tunnel2.0 (home initiates through the NAT): NAT detected on both
#      ends, IKE on port 4500, ESP inside UDP, home sends keepalives, LAN
#      to LAN traffic passes;
#   2. Tunnel1.0 over IPv6 (no NAT) with "nat-traversal force": ESP in
#      UDP anyway;
#   3. short lifetimes (CHILD 20 s, IKE 30 s) during a ping every 0.2 s
#      for 60 s on both tunnels at once (IPv4 LAN traffic on one, IPv6 on
#      the other): several CHILD and IKE rekeys, no packet lost;
#   4. jikka's tsunagid dies: home's liveness check takes both tunnels
#      down; jikka comes back and so do the tunnels.
#
#   tests/vm/run tests/vm/scenarios/natt.sh

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
trap topo_down EXIT
tap_plan

OUT=$TOPO_DIR/natt
PSK="nat test key: home and jikka share it"
NAT4=$JIKKA_AC4 # what jikka sees home's IPv4 packets come from

write_conf() {
	local h=$1 me peer lan4 lan6 t1peer t2peer t1src conn1 conn2 f=$OUT/$1.conf
	if [ "$h" = home ]; then
		me=home peer=jikka lan4=$HOME_LAN4 lan6=$HOME_LAN6
		t1src=$HOME_WAN6 t1peer=$JIKKA_WAN6 t2peer=$(ppp_addr jikka)
		conn1=auto conn2=auto
	else
		me=jikka peer=home lan4=$JIKKA_LAN4 lan6=$JIKKA_LAN6
		t1src=$JIKKA_WAN6 t1peer=$HOME_WAN6 t2peer=$NAT4
		# Nothing reaches home from outside its NAT: it initiates.
		conn1=click conn2=click
	fi
	cat > "$f" <<-EOF
		hostname $me-gw
		ikev2 authentication psk id keyid home key char "$PSK"
		ikev2 authentication psk id keyid jikka key char "$PSK"
		ikev2 default-profile
		  local-authentication psk id keyid $me
		  dpd-interval 3
		  child-lifetime ${CHILD_LIFE:-3600}
		  sa-lifetime ${IKE_LIFE:-28800}
		interface wan6
		interface ppp0
		interface lan
		  ip address $lan4/24
		  ipv6 address $lan6/64
		interface Tunnel1.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ikev2 connect-type $conn1
		  ikev2 outgoing-interface wan6
		  ikev2 source-address $t1src
		  ikev2 nat-traversal keepalive 20 force
		  ikev2 peer $t1peer authentication psk id keyid $peer
		interface Tunnel2.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ikev2 connect-type $conn2
		  ikev2 outgoing-interface ppp0
		  ikev2 nat-traversal keepalive 2
		  ikev2 peer $t2peer authentication psk id keyid $peer
	EOF
	chmod 600 "$f"
}

ping4() { nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"; }
ping6() { nsx home-lan ping -6 -n -c 1 -W 2 "$JIKKA_LANHOST6"; }
field_is() { [ "$(sa_field "$1" "$2" "$3")" = "$4" ]; }
both_up() { tunnel_up_both Tunnel1.0 && tunnel_up_both Tunnel2.0; }
not_up() { ! tunnel_state_is "$1" "$2" up; }
# espinudp HOUSE DST: the house's ESP SA towards DST is UDP-encapsulated.
espinudp() {
	ip -n "$1" xfrm state list dst "$2" | grep -q 'encap type espinudp'
}
# changed HOUSE TUNNEL KEY OLD: the "show ikev2 sa" value is no longer OLD.
changed() { [ "$(sa_field "$1" "$2" "$3")" != "$4" ]; }
home_down() { not_up home Tunnel1.0 && not_up home Tunnel2.0; }
few_sas() {
	[ "$(ip -n home xfrm state | grep -c '^src')" -le 8 ] &&
		[ "$(ip -n jikka xfrm state | grep -c '^src')" -le 8 ]
}
stop_clean() { tsunagid_stop "$1" && xfrm_clean "$1"; }
# Keepalives seen at the provider: one-byte UDP datagrams on port 4500
# (tcpdump names them).
ka_seen() {
	[ "$(nsx isp4 timeout 8 tcpdump -n -c 2 -i any \
		'udp port 4500 and udp[4:2] = 9' 2>&1 |
		grep -c 'isakmp-nat-keep-alive')" -ge 1 ]
}
start_both() {
	write_conf home && write_conf jikka &&
		tsunagid_start jikka "$OUT/jikka.conf" -v &&
		tsunagid_start home "$OUT/home.conf" -v
}

mkdir -p "$OUT"
ok "topology up" topo_up || exit 1
# The provider's NAT: home's pool, on its way to jikka's, leaves as the
# access concentrator's own address on jikka's link.
ok "the PPPoE provider NATs home towards jikka (nftables masquerade)" \
	nsx isp4 nft -f - <<-EOF
	table ip cgnat {
		chain post {
			type nat hook postrouting priority srcnat;
			ip saddr 198.51.100.0/24 ip daddr 203.0.113.0/24 masquerade
		}
	}
EOF
ok "two tsunagid start" start_both || exit 1

diag "--- 1. Tunnel2.0 through the NAT"
ok "Tunnel2.0 up on both sides" wait_for 60 tunnel_up_both Tunnel2.0
tctl home show ikev2 sa Tunnel2.0 | sed 's/^/# /'
ok "home knows it is behind a NAT" field_is home Tunnel2.0 nat local
ok "jikka knows home is behind one" field_is jikka Tunnel2.0 nat peer
ok "home's IKE moved to port 4500" field_is home Tunnel2.0 local-port 4500
ok "to jikka's port 4500" field_is home Tunnel2.0 remote-port 4500
ok "jikka sees home at the provider's address" \
	field_is jikka Tunnel2.0 remote "$NAT4"
ok "ESP is inside UDP in both houses" \
	espinudp home "$(ppp_addr jikka)"
ok "  and back towards the NAT" espinudp jikka "$NAT4"
for h in home jikka; do lan_route "$h" Tunnel2.0; done
ok "LAN to LAN through the NAT (IPv4 inside)" wait_for 15 ping4
ok "LAN to LAN through the NAT (IPv6 inside)" wait_for 15 ping6
ok "home's keepalives cross the provider (one byte, UDP 4500)" ka_seen

diag "--- 2. Tunnel1.0 over IPv6 with nat-traversal force"
ok "Tunnel1.0 up on both sides" wait_for 60 tunnel_up_both Tunnel1.0
ok "no NAT, but forced: both on port 4500" \
	field_is home Tunnel1.0 remote-port 4500
ok "ESP inside UDP towards jikka's IPv6 address" espinudp home "$JIKKA_WAN6"
ok "and back" espinudp jikka "$HOME_WAN6"

diag "--- 3. rekeys under traffic (CHILD 20 s, IKE 30 s)"
for h in home jikka; do tsunagid_stop "$h"; done
CHILD_LIFE=20 IKE_LIFE=30
ok "both tsunagid restart with short lifetimes" start_both
ok "both tunnels up" wait_for 60 both_up
# Both tunnels at once: IPv4 between the LANs through Tunnel2.0 (NAT),
# IPv6 through Tunnel1.0 (forced NAT-T), a ping every 0.2 s on each.
ip -n home route replace "$JIKKA_NET4" dev Tunnel2.0
ip -n jikka route replace "$HOME_NET4" dev Tunnel2.0
ip -n home -6 route replace "$JIKKA_NET6" dev Tunnel1.0
ip -n jikka -6 route replace "$HOME_NET6" dev Tunnel1.0
declare -A ike0 esp0
for t in Tunnel2.0 Tunnel1.0; do
	ike0[$t]=$(sa_field home "$t" ike-spi-i)
	esp0[$t]=$(sa_field home "$t" esp-spi-in)
done
ip netns exec home-lan ping -n -i 0.2 -c 300 -W 1 "$JIKKA_LANHOST4" \
	> "$OUT/ping-Tunnel2.0.log" 2>&1 &
p4=$!
ip netns exec home-lan ping -6 -n -i 0.2 -c 300 -W 1 "$JIKKA_LANHOST6" \
	> "$OUT/ping-Tunnel1.0.log" 2>&1
wait "$p4"
for t in Tunnel2.0 Tunnel1.0; do
	diag "$t: $(grep transmitted "$OUT/ping-$t.log")"
	ok "$t: no packet lost during 60 s of rekeys" \
		grep -q ' 0% packet loss' "$OUT/ping-$t.log"
	ok "$t: CHILD SA rekeyed (new SPI)" changed home "$t" esp-spi-in "${esp0[$t]}"
	ok "$t: IKE SA rekeyed (new SPI)" changed home "$t" ike-spi-i "${ike0[$t]}"
	diag "$t: home logged $(grep -c "$t: CHILD SA rekeyed" "$TOPO_DIR/tsunagid-home.log") CHILD and $(grep -c "$t: IKE SA rekeyed" "$TOPO_DIR/tsunagid-home.log") IKE rekeys"
done
ok "no ESP SA piles up (at most two pairs per tunnel and house)" few_sas

diag "--- 4. a dead peer, and its return"
pid=$(tsunagid_pid jikka)
spis=$(house_spis jikka)
kill -KILL "$pid"
t0=$SECONDS
ok "home's liveness checks take both tunnels down" wait_for 90 home_down
diag "down $((SECONDS - t0)) s after jikka died"
# What it left in the kernel (SAs, policies, tunnel interfaces) is
# cleaned up by the new tsunagid at start.
ok "jikka starts again" tsunagid_start jikka "$OUT/jikka.conf" -v
# shellcheck disable=SC2086 # one SPI a word
ok "  and removed what the dead one left in the kernel" spis_gone jikka $spis
t0=$SECONDS
ok "both tunnels come back by themselves" wait_for 120 both_up
diag "back $((SECONDS - t0)) s after jikka's return"
# The new tsunagid made new tunnel interfaces: jikka's hand-made LAN
# routes went with the old ones.
lan_route jikka Tunnel1.0
ok "traffic again" wait_for 15 ping4

for h in home jikka; do
	ok "$h: tsunagid stops, nothing left" stop_clean "$h"
done
cp "$TOPO_DIR"/tsunagid-*.log "$VM_OUT/" 2> /dev/null
tap_end
