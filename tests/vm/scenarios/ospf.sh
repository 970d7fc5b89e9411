#!/bin/bash
# ospf: OSPF over the IPsec tunnels.  Two houses as in the demo, each
# tsunagid with its example configuration, which has no static IPv4
# route: the LANs learn each other's IPv4 prefix by OSPF only, over
# Tunnel1.0 (IPv6 IPoE, cost 10) and Tunnel2.0 (IPv4 PPPoE, cost 100).
# IPv6 stays on its static routes (OSPFv2 carries IPv4 only).
#
#   1. both tunnels up, an adjacency on each, the IPv4 LAN routes come
#      from OSPF through Tunnel1.0;
#   2. LAN-to-LAN traffic goes by the cheaper tunnel: its ESP byte
#      counter rises, the other's stays flat;
#   3. jikka deletes Tunnel1.0's SAs (clear ikev2 sa): both houses drop
#      the neighbour at once and traffic moves to Tunnel2.0; the tunnel
#      comes back and traffic returns.  A ping every 10 ms gives the
#      blackout;
#   4. the recursive-routing guard: each house announces its uplink's
#      IPv4 prefix (redistribute connected), which holds the other
#      house's Tunnel2.0 endpoint.  With Tunnel1.0 held down, OSPF routes
#      that prefix through Tunnel2.0, yet Tunnel2.0's own IKE and ESP
#      packets still leave by ppp0 and it carries the LANs' traffic;
#   5. both daemons stop and leave nothing in the kernel;
#   6. the far house is strongSwan (route-based, XFRM interfaces made by
#      hand) with FRR's ospfd on them: the same adjacencies, the same
#      choice of tunnel, and the same SA deletion (charon deletes
#      Tunnel1.0's IKE SA).  FRR hears of it from our router-LSA,
#      flooded over Tunnel2.0, not from its dead interval.
#
#   tests/vm/run tests/vm/scenarios/ospf.sh     (TAP)

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/lib/ospfpeer.sh
. "${TSUNAGI_SRC:-.}/tests/lib/ospfpeer.sh"
trap topo_down EXIT
tap_plan

EX=${TSUNAGI_SRC:-.}/examples


# ospf_conf HOUSE: the example with "redistribute connected" (step 4).
ospf_conf() {
	awk '{ print }
		$1 == "ip" && $2 == "router" && $3 == "ospf" { print "  redistribute connected" }' \
		"$EX/$1.conf" > "$TOPO_DIR/$1.conf" && chmod 600 "$TOPO_DIR/$1.conf"
}

other() { if [ "$1" = home ]; then echo jikka; else echo home; fi; }
net4_of() { if [ "$1" = home ]; then echo "$HOME_NET4"; else echo "$JIKKA_NET4"; fi; }

unnumbered() {
	tctl "$1" --json show ip ospf interface "$2" | grep -q '"unnumbered": true'
}
# ospf_via HOUSE TUNNEL: the kernel routes the other house's IPv4 LAN by
# an OSPF route through TUNNEL (tsunagi's protocol, metric = distance).
ospf_via() {
	local net
	net=$(net4_of "$(other "$1")")
	ip -n "$1" route show "$net" proto 213 | grep -q "dev $2 .*metric 110" &&
		[ "$(route_state "$1" "$net" "$2" ospf)" = installed ]
}
ospf_via_both() { ospf_via home "$1" && ospf_via jikka "$1"; }
bytes_out() { sa_field home "$1" esp-bytes-out; }
# cheaper_carries: 50 KB of ping from home's LAN go by Tunnel1.0's ESP SA;
# Tunnel2.0's stays flat (a Hello or two at most).
cheaper_carries() {
	local b1 b2 d1 d2
	b1=$(bytes_out Tunnel1.0) b2=$(bytes_out Tunnel2.0)
	nsx home-lan ping -n -q -c 50 -i 0.02 -s 1000 "$JIKKA_LANHOST4" > /dev/null
	d1=$(($(bytes_out Tunnel1.0) - b1)) d2=$(($(bytes_out Tunnel2.0) - b2))
	diag "ESP bytes out of home during 50 KB of ping: Tunnel1.0 +$d1, Tunnel2.0 +$d2"
	ok "Tunnel1.0's SA carried it" test "$d1" -ge 50000
	ok "Tunnel2.0's SA stayed flat" test "$d2" -lt 5000
}
lan_ping() { nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"; }
lan_ping6() { nsx home-lan ping -6 -n -c 1 -W 2 "$JIKKA_LANHOST6"; }

# ping_gaps LOG: what a "ping -D" log says: answered of sent, the runs
# of lost replies, and the longest time between two answers around a
# run (the blackout, whatever pace ping kept under the emulator).
ping_gaps() {
	awk '/icmp_seq=/ && /bytes from/ {
		t = substr($1, 2, length($1) - 2) + 0
		for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) { split($i, a, "="); s = a[2] + 0 }
		g = s - last - 1
		if (last && g > 0) { runs++; lost += g; if (t - lt > gap) gap = t - lt }
		last = s; lt = t; n++ }
	/transmitted/ { tx = $1 }
	END { printf "%d answered of %d sent; %d lost in %d run(s), the longest blackout %d ms", n, tx, lost, runs, gap * 1000 }' "$1"
}
pinger_stop() {
	kill -ALRM "$1" 2> /dev/null
	wait_for 5 sh -c "! kill -0 $1 2> /dev/null" || kill -KILL "$1" 2> /dev/null
}
now() { date +%s.%N; }
# log_ms HOUSE SKIP ERE: the time of day in ms of the first line of
# HOUSE's log after line SKIP that matches ERE; empty if none.
log_ms() {
	awk -v skip="$2" -v re="$3" 'NR > skip && $0 ~ re {
		split($1, t, ":"); printf "%d\n", ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000; exit }' \
		"$TOPO_DIR/tsunagid-$1.log"
}
log_has() { [ -n "$(log_ms "$@")" ]; }
log_lines() { wc -l < "$TOPO_DIR/tsunagid-$1.log"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

echo "### two houses, both providers, the DNS server"
ok "topology up" topo_up || exit 1
ok "DNS server up" topo_dns_up "$(ddns_key home)" "$(ddns_key jikka)" || exit 1

# Step 4's uplink prefix: each house's IPv4 uplink also as a /24 on its
# Ethernet, as an IPoE line would have it; "redistribute connected"
# announces it to the other house, whose Tunnel2.0 peer lies in it.
HOME_PPP=$(ppp_addr home) JIKKA_PPP=$(ppp_addr jikka)
ip -n home addr add "$HOME_PPP/24" dev wan4eth
ip -n jikka addr add "$JIKKA_PPP/24" dev wan4eth
HOME_UP4=${HOME_PPP%.*}.0/24 JIKKA_UP4=${JIKKA_PPP%.*}.0/24
diag "uplink prefixes: home $HOME_UP4, jikka $JIKKA_UP4"

echo "### tsunagid in each house: the examples, IPv4 by OSPF"
for h in home jikka; do
	ospf_conf "$h"
	ok "$h: configuration has no static IPv4 route" \
		sh -c "! grep -q '^ip route ' '$TOPO_DIR/$h.conf'"
	ok "$h: tsunagid runs it" tsunagid_start "$h" "$TOPO_DIR/$h.conf"
done

echo "### 1. tunnels up, adjacencies, routes from OSPF"
t0=$(now)
ok "Tunnel1.0 up in both houses" wait_for 90 tunnel_up_both Tunnel1.0
ok "Tunnel2.0 up in both houses" wait_for 90 tunnel_up_both Tunnel2.0
diag "both tunnels up $(since "$t0") s after start"
ok "OSPF Full on both tunnels in both houses" wait_for 30 full_all
for t in Tunnel1.0 Tunnel2.0; do
	u=$(log_ms home 0 "ike: $t: tunnel up") f=$(log_ms home 0 "ospf: $t: neighbour .* -> Full")
	[ -n "$u" ] && [ -n "$f" ] && diag "home: $t Full $((f - u)) ms after its CHILD SA (daemon log)"
done
ok "XFRM interfaces carry MULTICAST" \
	sh -c "ip -n home link show Tunnel1.0 | grep -q MULTICAST"
ok "the tunnels are unnumbered OSPF interfaces" unnumbered home Tunnel1.0
ok "home: jikka's LAN by OSPF through Tunnel1.0" wait_for 20 ospf_via home Tunnel1.0
ok "jikka: home's LAN by OSPF through Tunnel1.0" wait_for 20 ospf_via jikka Tunnel1.0
ok "jikka learns home's uplink prefix by OSPF" \
	wait_for 20 sh -c "ip -n jikka route show $HOME_UP4 proto 213 | grep -q ."
tctl home show ip ospf neighbor | sed 's/^/    /'
tctl home show ip route | sed 's/^/    /'

echo "### 2. traffic follows the cheaper tunnel"
ok "IPv4 LAN to LAN" wait_for 20 lan_ping
ok "IPv6 LAN to LAN (static route)" wait_for 20 lan_ping6
cheaper_carries

echo "### 3. jikka deletes Tunnel1.0's SAs: traffic moves, then returns"
ip netns exec home-lan ping -D -n -i 0.01 -W 1 "$JIKKA_LANHOST4" \
	> "$TOPO_DIR/clear-ping.log" 2>&1 &
pinger=$!
sleep 2
t0=$(now) hl=$(log_lines home) jl=$(log_lines jikka)
tctl jikka clear ikev2 sa Tunnel1.0 > /dev/null
ok "jikka drops its Tunnel1.0 neighbour with the SA (LLDown, no dead interval)" \
	wait_for 10 log_has jikka "$jl" 'Tunnel1.0: neighbour .*Full -> Down [(]LLDown[)]'
ok "home drops its Tunnel1.0 neighbour on the DELETE (LLDown, no dead interval)" \
	wait_for 10 log_has home "$hl" 'Tunnel1.0: neighbour .*Full -> Down [(]LLDown[)]'
ok "home routes jikka's LAN through Tunnel2.0 meanwhile" wait_for 10 log_has home "$hl" \
	"route $JIKKA_NET4 metric 110 via Tunnel2.0 [(]ospf[)] installed"
ok "jikka routes home's LAN through Tunnel2.0 meanwhile" wait_for 10 log_has jikka "$jl" \
	"route $HOME_NET4 metric 110 via Tunnel2.0 [(]ospf[)] installed"
c=$(log_ms jikka "$jl" 'Tunnel1.0: cleared by the operator')
hd=$(log_ms home "$hl" 'Tunnel1.0: neighbour .*Full -> Down')
hr=$(log_ms home "$hl" "route $JIKKA_NET4 metric 110 via Tunnel2.0")
jr=$(log_ms jikka "$jl" "route $HOME_NET4 metric 110 via Tunnel2.0")
[ -n "$c" ] && [ -n "$hd" ] && [ -n "$hr" ] && [ -n "$jr" ] &&
	diag "from jikka's delete: home's neighbour down +$((hd - c)) ms, home's route on Tunnel2.0 +$((hr - c)) ms, jikka's +$((jr - c)) ms (daemon logs)"
ok "traffic returns to Tunnel1.0 when it is back" wait_for 90 ospf_via_both Tunnel1.0
diag "Tunnel1.0 carries again $(since "$t0") s after the delete"
ok "adjacency Full again on Tunnel1.0" wait_for 30 full home Tunnel1.0
sleep 2
pinger_stop "$pinger"
diag "ping every 10 ms: $(ping_gaps "$TOPO_DIR/clear-ping.log")"
grep -h 'ospf: Tunnel1.0\|Tunnel1.0.*\(up\|down\)' "$TOPO_DIR"/tsunagid-home.log |
	tail -n 8 | sed 's/^/    home: /'

echo "### 4. recursive-routing guard: uplink prefixes announced, Tunnel1.0 held down"
ip -n isp6 -6 route add blackhole "$HOME_LAN6/128"
ip -n isp6 -6 route add blackhole "$JIKKA_LAN6/128"
tctl home clear ikev2 sa Tunnel1.0 > /dev/null
tctl jikka clear ikev2 sa Tunnel1.0 > /dev/null
ok "both houses route by Tunnel2.0" wait_for 20 ospf_via_both Tunnel2.0
ok "jikka: home's uplink prefix by OSPF through Tunnel2.0" \
	wait_for 20 sh -c "ip -n jikka route show $HOME_UP4 proto 213 | grep -q 'dev Tunnel2.0'"
ok "home: jikka's uplink prefix by OSPF through Tunnel2.0" \
	wait_for 20 sh -c "ip -n home route show $JIKKA_UP4 proto 213 | grep -q 'dev Tunnel2.0'"
ip -n jikka route show "$HOME_UP4" | sed 's/^/    jikka: /'
ok "jikka sends Tunnel2.0's outer packets out of ppp0 all the same" \
	sh -c "ip -n jikka route get $HOME_PPP | grep -q 'dev ppp0'"
ok "home sends Tunnel2.0's outer packets out of ppp0 all the same" \
	sh -c "ip -n home route get $JIKKA_PPP | grep -q 'dev ppp0'"
p2=$(sa_field home Tunnel2.0 esp-packets-out)
ok "IPv4 LAN to LAN over Tunnel2.0" wait_for 20 lan_ping
nsx home-lan ping -n -q -c 20 -i 0.5 "$JIKKA_LANHOST4" > "$TOPO_DIR/guard-ping.log"
ok "10 s of traffic over Tunnel2.0, none lost" grep -q ' 0% packet loss' "$TOPO_DIR/guard-ping.log"
ok "it went through Tunnel2.0's ESP SA" test "$(sa_field home Tunnel2.0 esp-packets-out)" -gt "$p2"
ok "Tunnel2.0 stayed up in both houses" tunnel_up_both Tunnel2.0
ip -n isp6 -6 route del blackhole "$HOME_LAN6/128"
ip -n isp6 -6 route del blackhole "$JIKKA_LAN6/128"
ok "Tunnel1.0 comes back and carries again" wait_for 120 ospf_via_both Tunnel1.0

echo "### 5. stop"
for h in home jikka; do
	ok "$h: tsunagid exits on SIGTERM" tsunagid_stop "$h"
	ok "$h: no SA, policy, interface or route of tsunagi left" sh -c "
		[ -z \"\$(ip -n $h xfrm state)\" ] && [ -z \"\$(ip -n $h xfrm policy)\" ] &&
		! ip -n $h link show Tunnel1.0 2> /dev/null &&
		[ -z \"\$(ip -n $h route show proto 213)\" ]"
done
cp "$TOPO_DIR"/tsunagid-*.log "${VM_OUT:-$TOPO_DIR}/" 2> /dev/null
echo "### 6. the far house: strongSwan + FRR"
CHARON=/usr/lib/ipsec/charon
# FRR's sockets need a local file system that frr_start's private /run
# does not hide: the guest's /tmp.
OUT=$TOPO_DIR/far FRR=/tmp/tsunagi-far-frr
PSK="far house key: home and jikka share it"
IFID1=0x2001 IFID2=0x2002
mkdir -p "$OUT"

# home: tsunagid, peers by address, OSPF over both tunnels and no static
# route; the tunnels' MTU as jikka's, so the DD MTU check holds.
far_home_conf() {
	cat > "$OUT/home.conf" <<-EOF
		hostname home-gw
		ikev2 authentication psk id keyid home key char "$PSK"
		ikev2 authentication psk id keyid jikka key char "$PSK"
		ikev2 default-profile
		  local-authentication psk id keyid home
		  dpd-interval 3
		ip router ospf 1
		  router-id $HOME_LAN4
		  area 0
		  network Tunnel1.0 area 0
		  network Tunnel2.0 area 0
		  network lan area 0
		  passive-interface lan
		interface Tunnel1.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ip mtu 1400
		  ikev2 connect-type auto
		  ikev2 outgoing-interface wan6
		  ikev2 source-address $HOME_WAN6
		  ikev2 peer $JIKKA_WAN6 authentication psk id keyid jikka
		interface Tunnel2.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ip mtu 1400
		  ip ospf cost 100
		  ikev2 connect-type auto
		  ikev2 outgoing-interface ppp0
		  ikev2 peer $JIKKA_PPP authentication psk id keyid jikka
	EOF
	chmod 600 "$OUT/home.conf"
}

frr() { frr_vtysh jikka "$FRR" "$@"; }
frr_full() { frr "show ip ospf neighbor" | grep -q "Full/.* $1:"; }
# frr_via DEV: FRR routes home's LAN through DEV.
frr_via() { ip -n jikka route show "$HOME_NET4" proto ospf | grep -q "dev $1"; }
home_via() { ospf_via home "$1"; }
home_full() { full home Tunnel1.0 && full home Tunnel2.0; }
frr_alone() {
	local out
	out=$(frr "show ip ospf neighbor") && ! printf '%s\n' "$out" | grep -q Full
}

# jikka: charon answers both tunnels (lib.sh's charon_conf); it makes
# no XFRM interface, so they are made by hand, as a strongSwan user does,
# borrowing the LAN's address as tsunagi's do, with MULTICAST for ospfd.
far_up() {
	charon_conf default default
	_ipb jikka <<-EOF || return 1
		link add ipsec1 type xfrm dev wan6 if_id $IFID1
		link add ipsec2 type xfrm dev ppp0 if_id $IFID2
		link set ipsec1 mtu 1400 multicast on up
		link set ipsec2 mtu 1400 multicast on up
		addr add $JIKKA_LAN4/32 dev ipsec1
		addr add $JIKKA_LAN4/32 dev ipsec2
	EOF
	charon_start && sw_load > /dev/null 2>&1 &&
		frr_start jikka "$FRR" "frr defaults traditional
hostname jikka
debug ospf event
debug ospf lsa
interface ipsec1
 ip ospf network point-to-point
 ip ospf cost 10
interface ipsec2
 ip ospf network point-to-point
 ip ospf cost 100
router ospf
 ospf router-id $JIKKA_LAN4
 network $JIKKA_NET4 area 0
 passive-interface lan"
}

if [ ! -x "$CHARON" ] || ! command -v vtysh > /dev/null; then
	skip "strongSwan + FRR as the far house" "strongSwan or FRR not installed"
else
	far_home_conf
	ok "jikka: charon and FRR on hand-made XFRM interfaces" far_up
	ok "home: tsunagid runs" tsunagid_start home "$OUT/home.conf"
	ok "Tunnel1.0 up" wait_for 90 tunnel_state_is home Tunnel1.0 up
	ok "Tunnel2.0 up" wait_for 90 tunnel_state_is home Tunnel2.0 up
	ok "FRR: Full with tsunagi on ipsec1" wait_for 60 frr_full ipsec1
	ok "FRR: Full with tsunagi on ipsec2" wait_for 60 frr_full ipsec2
	ok "tsunagi: Full with FRR on both tunnels" wait_for 30 home_full
	frr "show ip ospf neighbor" | sed 's/^/    jikka (FRR): /'
	ok "home: jikka's LAN by OSPF through Tunnel1.0" wait_for 20 home_via Tunnel1.0
	ok "FRR: home's LAN through ipsec1" wait_for 20 frr_via ipsec1
	ok "IPv4 LAN to LAN" wait_for 20 lan_ping
	cheaper_carries

	ip netns exec home-lan ping -D -n -i 0.01 -W 1 "$JIKKA_LANHOST4" \
		> "$OUT/delete-ping.log" 2>&1 &
	pinger=$!
	# FRR's route changes, as they happen: the move to ipsec2 may last
	# less than a Hello interval.
	ip -n jikka monitor route > "$OUT/jikka-routes.log" 2>&1 &
	monitor=$!
	sleep 2
	t0=$(now) hl=$(log_lines home)
	sw --terminate --ike t1 --timeout 10 > /dev/null 2>&1
	ok "home drops its Tunnel1.0 neighbour on charon's DELETE (LLDown)" \
		wait_for 10 log_has home "$hl" 'Tunnel1.0: neighbour .*Full -> Down [(]LLDown[)]'
	ok "home routes jikka's LAN through Tunnel2.0" wait_for 10 log_has home "$hl" \
		"route $JIKKA_NET4 metric 110 via Tunnel2.0 [(]ospf[)] installed"
	# FRR is told nothing of the SA: our router-LSA without the
	# Tunnel1.0 link does not move it (RFC 2328's back-link check is
	# per router, and Tunnel2.0 links back), ipsec1 stays up.  It
	# leaves ipsec1 when our first Hello over Tunnel1.0's next SA no
	# longer lists it, or at its dead interval if none comes.
	ok "FRR moves to ipsec2 on our Hello over the next SA (1-Way)" \
		wait_for 60 grep -q "$HOME_NET4 .*dev ipsec2 proto ospf" "$OUT/jikka-routes.log"
	ok "Tunnel1.0 comes back and both route through it again" \
		wait_for 90 sh -c "ip -n home route show $JIKKA_NET4 proto 213 | grep -q Tunnel1.0 &&
			ip -n jikka route show $HOME_NET4 proto ospf | grep -q ipsec1"
	diag "back on Tunnel1.0 $(since "$t0") s after the delete"
	sleep 2
	pinger_stop "$pinger"
	kill "$monitor" 2> /dev/null
	diag "ping every 10 ms: $(ping_gaps "$OUT/delete-ping.log")"
	ok "home: tsunagid exits on SIGTERM" tsunagid_stop home
	ok "FRR: tsunagi's last Hello drops both adjacencies" wait_for 10 frr_alone
	ok "home: nothing of tsunagi left" sh -c "
		[ -z \"\$(ip -n home xfrm state)\" ] && [ -z \"\$(ip -n home route show proto 213)\" ]"
	frr_stop "$FRR"
fi
cp "$FRR"/run/*.log "$OUT/" 2> /dev/null
tap_end
