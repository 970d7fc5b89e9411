#!/bin/bash
# demo: the two-house demo (./examples/two-house-demo), and a test of it.
# Two houses, an IPv6 IPoE provider, an IPv4 PPPoE provider (real
# pppoe-server; the houses' pppd get their addresses by IPCP) and the
# providers' DNS server (BIND9).  Each house runs tsunagid with its
# example configuration as shipped (examples/home.conf, jikka.conf):
#
#   1. each house publishes its addresses by DDNS (A: the PPPoE address,
#      AAAA: the LAN's global address) and finds the other by name;
#   2. both tunnels come up: Tunnel1.0 over IPv6, Tunnel2.0 over PPPoE;
#      OSPF runs over both and gives the IPv4 LAN routes, static routes
#      with distances the IPv6 ones;
#   3. the LANs ping each other, over Tunnel1.0 (the cheaper route), and
#      10 MB go across by TCP, whose SYNs the houses clamp to the
#      tunnel's MTU (ip tcp adjust-mss auto);
#   4. the IPv6 provider loses the path: each house's watch-group (a
#      ping across Tunnel1.0 every second, every 0.2 s once one is lost)
#      finds it and clears Tunnel1.0's SAs, so OSPF drops the neighbour
#      and the IPv6 routes are withdrawn at once, and traffic moves to
#      Tunnel2.0 (10 MB again, clamped to its MTU); IKE keeps trying to
#      renegotiate Tunnel1.0;
#   5. meanwhile home's PPPoE line reconnects with another address, so
#      Tunnel2.0, the only path, must follow it: jikka answers home from
#      the new address before its DNS cache knows it (home proves its
#      identity and key), DDNS publishes it;
#   6. the path comes back: IKE, trying again every second or two, has
#      Tunnel1.0 up within seconds; the watch-groups' probes prove it, and
#      only then OSPF and the IPv6 route bring traffic back to Tunnel1.0,
#      make-before-break: a ping every 10 ms loses nothing on the way;
#   7. both daemons stop and leave nothing in the kernel.
#
#   tests/vm/run tests/vm/scenarios/demo.sh     (TAP; DEMO_QUIET=1: less)

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
trap topo_down EXIT
tap_plan

EX=${TSUNAGI_SRC:-.}/examples
step() { [ -n "${DEMO_QUIET:-}" ] || printf '\n### %s\n' "$*"; }
show() { [ -n "${DEMO_QUIET:-}" ] || sed 's/^/    /'; }


lan_ping() { nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"; }
nothing_left() {
	xfrm_clean "$1" && ! ip -n "$1" link show Tunnel1.0 2> /dev/null &&
		[ -z "$(ip -n "$1" route show proto 213)" ] &&
		[ -z "$(ip -n "$1" -6 route show proto 213)" ] &&
		! nsx "$1" nft list table inet tsunagi > /dev/null 2>&1
}
# ex_mtu TUNNEL: its "ip mtu" in examples/home.conf.
ex_mtu() {
	awk -v t="$1" '$1 == "interface" { i = ($2 == t) }
		i && $1 == "ip" && $2 == "mtu" { print $3; exit }' "$EX/home.conf"
}
# bulk DST: 10 MB from home's LAN host to jikka's at DST (a 1500-byte
# LAN at each end); prints the MSS jikka's host saw in the SYN, the bytes
# it received, and what the sender says ("sent N in MS ms").
SYNMSS="python3 ${TSUNAGI_SRC:-.}/tests/tools/synmss.py"
bulk() {
	rm -f "$TOPO_DIR/sink.out"
	nsx jikka-lan $SYNMSS sink 5002 > "$TOPO_DIR/sink.out" \
		2> "$TOPO_DIR/sink.err" &
	local k=$!
	wait_for 10 grep -q ready "$TOPO_DIR/sink.out"
	nsx home-lan $SYNMSS send "$1" 5002 10485760 > "$TOPO_DIR/send.out" \
		2> "$TOPO_DIR/send.err"
	wait "$k"
	{ grep -v ready "$TOPO_DIR/sink.out"; cat "$TOPO_DIR/send.out" \
		"$TOPO_DIR/send.err" "$TOPO_DIR/sink.err"; } | tr '\n' ' '
}
# bulk_ok TUNNEL FAMILY DST: 10 MB across TUNNEL, its SYN clamped to the
# tunnel's MTU less 40 (IPv4) or 60 (IPv6), all of it received, and
# carried by TUNNEL's ESP SA (10 MB is over 7000 packets of 1400 bytes).
bulk_ok() {
	local mtu mss before got
	mtu=$(ex_mtu "$1")
	mss=$((mtu - 40))
	[ "$2" = ipv6 ] && mss=$((mtu - 60))
	before=$(esp_out "$1")
	got=$(bulk "$3")
	diag "10 MB over $1 ($2): $got"
	ok "10 MB over $1 ($2): the SYN arrives clamped to $mss (MTU $mtu)" \
		sh -c "echo '$got' | grep -q '^$2 $mss '"
	ok "10 MB over $1 ($2): all of it arrives, no stall" \
		sh -c "echo '$got' | grep -q 'received 10485760 sent 10485760 in'"
	ok "10 MB over $1 ($2): carried by its ESP SA" \
		[ "$(esp_out "$1")" -gt $((before + 7000)) ]
	# No segment was too big for the tunnel: the sender never got an
	# ICMP "fragmentation needed" (it would hold a smaller path MTU).
	ok "10 MB over $1 ($2): home's LAN host never needed a smaller path MTU" \
		sh -c "! ip netns exec home-lan ip -${2#ipv} route get $3 | grep -q ' mtu '"
}
lan_ping6() { nsx home-lan ping -6 -n -c 1 -W 2 "$JIKKA_LANHOST6"; }
esp_out() { sa_field home "$1" esp-packets-out; }
# rose TUNNEL BEFORE: home sent more ESP on TUNNEL than BEFORE packets.
rose() { [ "$(esp_out "$1")" -gt "$2" ]; }
published() { [ "$(dns_lookup "$1.$DNS_ZONE" "$2")" = "$3" ]; }
jikka_published() {
	published jikka A "$(ppp_addr jikka)" && published jikka AAAA "$JIKKA_LAN6"
}
# routed_by TUNNEL: home's routes to jikka's LAN through TUNNEL are in
# ("show ip route": IPv4 from OSPF, IPv6 static) and the kernel picks
# them for jikka's LAN host.
routed_by() {
	[ "$(route_state home "$JIKKA_NET4" "$1" ospf)" = installed ] &&
		[ "$(route_state home "$JIKKA_NET6" "$1")" = installed ] &&
		ip -n home route get "$JIKKA_LANHOST4" | grep -q "dev $1" &&
		ip -n home -6 route get "$JIKKA_LANHOST6" | grep -q "dev $1"
}
# jikka_routed_by TUNNEL: the same in jikka, towards home's LAN.
jikka_routed_by() {
	ip -n jikka route get "$HOME_LANHOST4" | grep -q "dev $1" &&
		ip -n jikka -6 route get "$HOME_LANHOST6" | grep -q "dev $1"
}
# ping_lost LOG: echo requests unanswered between the first and the last
# answered one (those still in flight when ping stopped are not losses).
ping_lost() {
	awk '/bytes from/ { for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) {
			split($i, a, "="); s = a[2] + 0 }
		if (!(s in seen)) { seen[s] = 1; n++ }
		if (first == "" || s < first) first = s; if (s > last) last = s }
	END { print (n ? last - first + 1 - n : -1) }' "$1"
}
ping_answered() { awk '/bytes from/ { n++ } END { print n + 0 }' "$1"; }
# ping_gap LOG: the longest run of unanswered echo requests.
ping_gap() {
	awk '/bytes from/ { for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) {
			split($i, a, "="); s = a[2] + 0 }
		if (last != "" && s - last - 1 > gap) gap = s - last - 1; last = s }
	END { print gap + 0 }' "$1"
}
# ping_stop PID...: SIGALRM makes ping print its statistics and stop (a
# background command of a script ignores SIGINT); SIGKILL if it lingers.
ping_stop() {
	kill -ALRM "$@" 2> /dev/null
	wait_for 5 sh -c "for p in $*; do kill -0 \$p 2> /dev/null && exit 1; done; exit 0" ||
		kill -KILL "$@" 2> /dev/null
}
# tod_ms: the time of day in ms, as tsunagid's log lines stamp it.
tod_ms() { date +%H:%M:%S.%N | awk -F: '{ printf "%d", ($1 * 3600 + $2 * 60 + $3) * 1000 }'; }
# log_after HOUSE T0 PATTERN: ms from T0 (tod_ms) to the first line of
# HOUSE's log at or after T0 that matches PATTERN (awk), "?" if none.
# The daemons' own time stamps, not the polling of this script, which
# costs hundreds of ms a round under emulation.
log_after() {
	awk -v t0="$2" -v pat="$3" '{ split($1, a, ":")
		t = (a[1] * 3600 + a[2] * 60 + a[3]) * 1000
		if (t >= t0 && $0 ~ pat) { printf "%d", t - t0; f = 1; exit } }
		END { if (!f) printf "?" }' "$TOPO_DIR/tsunagid-$1.log"
}
ppp_is() { [ "$(ppp_addr "$1")" = "$2" ]; }
# What a ping log says: sent, answered, and the longest run unanswered
# (the outage the liveness checks took to see).
ping_summary() {
	awk '/icmp_seq=/ && /bytes from/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^icmp_seq=/) { split($i, a, "="); s = a[2] + 0 }
		if (s - last - 1 > gap) gap = s - last - 1; last = s; n++ }
	/transmitted/ { tx = $1 }
	END { printf "%d answered of %d sent, at most %d in a row lost (%.1f s)", n, tx ? tx : last, gap, gap * 0.5 }' "$1"
}
# t2_moved ADDR: Tunnel2.0 is up in both houses and jikka's end talks to
# home at ADDR.
t2_moved() {
	tunnel_up_both Tunnel2.0 && [ "$(sa_field jikka Tunnel2.0 remote)" = "$1" ]
}
# withdrawn TUNNEL: the static IPv6 route through TUNNEL is out, and OSPF
# has no IPv4 route through it.
withdrawn() {
	[ "$(route_state home "$JIKKA_NET6" "$1")" = withdrawn ] &&
		[ -z "$(route_state home "$JIKKA_NET4" "$1" ospf)" ]
}
tunnel_not_up() { ! tunnel_state_is "$1" "$2" up; }

step "two houses, an IPv6 IPoE and an IPv4 PPPoE provider, a DNS server"
ok "both houses and both providers are up" topo_up || exit 1
ok "the providers' DNS server answers" \
	topo_dns_up "$(ddns_key home)" "$(ddns_key jikka)" || exit 1
diag "home:  wan6 $HOME_WAN6, lan $HOME_LAN6 / $HOME_LAN4, ppp0 $(ppp_addr home)"
diag "jikka: wan6 $JIKKA_WAN6, lan $JIKKA_LAN6 / $JIKKA_LAN4, ppp0 $(ppp_addr jikka)"

step "tsunagid in each house, with examples/home.conf and examples/jikka.conf"
for h in home jikka; do
	install -m 600 "$EX/$h.conf" "$TOPO_DIR/$h.conf"
	ok "$h: tsunagid accepts and runs examples/$h.conf" \
		tsunagid_start "$h" "$TOPO_DIR/$h.conf"
done

step "DDNS: each house publishes its addresses"
t0=$SECONDS
ok "home.example.net A is home's PPPoE address" \
	wait_for 30 published home A "$(ppp_addr home)"
ok "home.example.net AAAA is home's LAN address" \
	wait_for 30 published home AAAA "$HOME_LAN6"
ok "jikka.example.net A and AAAA are jikka's" wait_for 30 jikka_published
diag "published within $((SECONDS - t0)) s"
tctl home show ddns | show

step "IKEv2: both tunnels up (peers found by name)"
t0=$SECONDS
ok "Tunnel1.0 (IPv6 IPoE) up in both houses" wait_for 90 tunnel_up_both Tunnel1.0
ok "Tunnel2.0 (IPv4 PPPoE) up in both houses" wait_for 90 tunnel_up_both Tunnel2.0
diag "both tunnels up $((SECONDS - t0)) s after start"
tctl home show ikev2 sa | show
ok "home routes jikka's LAN through Tunnel1.0" wait_for 10 routed_by Tunnel1.0
tctl home show ip route | show

step "ping across: home's LAN host to jikka's, over Tunnel1.0"
p1=$(esp_out Tunnel1.0)
ok "IPv4 LAN to LAN" wait_for 20 lan_ping
ok "IPv6 LAN to LAN" wait_for 20 lan_ping6
ok "the packets went through Tunnel1.0's ESP SA" rose Tunnel1.0 "$p1"
nsx home-lan ping -n -c 3 -i 0.3 "$JIKKA_LANHOST4" | show

step "10 MB from LAN host to LAN host over Tunnel1.0 (ip tcp adjust-mss auto)"
nsx home nft list table inet tsunagi | show
bulk_ok Tunnel1.0 ipv4 "$JIKKA_LANHOST4"
bulk_ok Tunnel1.0 ipv6 "$JIKKA_LANHOST6"

step "failover: the IPv6 provider loses the path between the houses"
# A blackhole at the provider, as a broken line would behave: the
# houses' own links stay up, only the liveness checks can tell.
# A simple command after "&", so $! is ping itself.
ip netns exec home-lan ping -n -i 0.5 -W 1 "$JIKKA_LANHOST4" \
	> "$TOPO_DIR/failover-ping.log" 2>&1 &
pinger=$!
t0=$SECONDS
ip -n isp6 -6 route add blackhole "$JIKKA_LAN6/128"
ok "home finds Tunnel1.0 dead and takes it down" \
	wait_for 120 tunnel_not_up home Tunnel1.0
diag "Tunnel1.0 down $((SECONDS - t0)) s after the cut"
wg_down() { tctl "$1" show watch-group | grep -q "state *down"; }
ok "home's watch-group found it: down" wait_for 30 wg_down home
ok "jikka's watch-group too" wait_for 30 wg_down jikka
# The first group down clears the SAs; its DELETE may reach the other
# house (the blackhole is one way), whose group then finds no CHILD SA
# left to clear.
cleared_by() {
	grep -q "watch-group $2 10: action 10: clearing the SAs of Tunnel1.0" \
		"$TOPO_DIR/tsunagid-$1.log"
}
nothing_to_clear() {
	grep -q "watch-group $2 10: action 10: Tunnel1.0 has no CHILD SA" \
		"$TOPO_DIR/tsunagid-$1.log"
}
one_cleared() { cleared_by home jikka-lan || cleared_by jikka home-lan; }
each_acted() {
	{ cleared_by home jikka-lan || nothing_to_clear home jikka-lan; } &&
		{ cleared_by jikka home-lan || nothing_to_clear jikka home-lan; }
}
ok "a watch-group cleared Tunnel1.0's SAs" one_cleared
ok "...and each group either cleared them or found them gone" each_acted
tctl home show watch-group | show
ok "its routes are withdrawn" wait_for 10 withdrawn Tunnel1.0
ok "OSPF's IPv4 route and the distance-100 IPv6 route through Tunnel2.0 serve" \
	wait_for 10 routed_by Tunnel2.0
ok "Tunnel2.0 stayed up" tunnel_up_both Tunnel2.0
p2=$(esp_out Tunnel2.0)
ok "IPv4 LAN to LAN during the outage" wait_for 30 lan_ping
ok "IPv6 LAN to LAN during the outage" wait_for 30 lan_ping6
ok "the packets now go through Tunnel2.0's ESP SA" rose Tunnel2.0 "$p2"
bulk_ok Tunnel2.0 ipv4 "$JIKKA_LANHOST4"
bulk_ok Tunnel2.0 ipv6 "$JIKKA_LANHOST6"
tctl home show ip route | show
ping_stop "$pinger"
diag "a ping every 0.5 s across the cut: $(ping_summary "$TOPO_DIR/failover-ping.log")"

step "home's PPPoE line reconnects with another address; Tunnel2.0 is the only path"
# jikka's resolver still gives home's old address (TTL 60 s): jikka
# answers home's IKE_SA_INIT from the new one at once, and its Tunnel2.0
# follows home as soon as home proved its identity and key.  A ping every
# 10 ms from jikka's LAN host (ping -D: each answer time-stamped) says
# when traffic passes again.
ip netns exec jikka-lan ping -D -n -i 0.01 -W 1 "$HOME_LANHOST4" \
	> "$TOPO_DIR/renumber-ping4.log" 2>&1 &
rn4=$!
sleep 1
old4=$(ppp_addr home)
r0=$(tod_ms)
e0=$(($(date +%s%N) / 1000000))
house_reconnect_ppp home 198.51.100.50
ok "home's ppp0 renumbered by the provider" wait_for 60 ppp_is home 198.51.100.50
diag "home: ppp0 $old4 -> $(ppp_addr home)"
ok "jikka's Tunnel2.0 follows home to its new address" \
	wait_for 60 t2_moved 198.51.100.50
ok "...answered before its name gave the new address" grep -q \
	"Tunnel2.0: the peer authenticated from 198.51.100.50" \
	"$TOPO_DIR/tsunagid-jikka.log"
ok "DDNS publishes the new address" wait_for 30 published home A 198.51.100.50
ok "home routes through Tunnel2.0 again" wait_for 30 routed_by Tunnel2.0
ok "jikka too" wait_for 30 jikka_routed_by Tunnel2.0
ok "IPv4 LAN to LAN across the new address" wait_for 30 lan_ping
sleep 1
ping_stop "$rn4"
# From the moment home's tsunagid saw the new address: its first log line
# that names it (binding its IKE port there, or a DDNS update).
a=$(log_after home "$r0" '198[.]51[.]100[.]50')
if [ "$a" != "?" ]; then
	ta=$((r0 + a))
	# The first answered ping after it, in the same time of day as the logs.
	back=$(awk -v t0="$((e0 + a))" '/bytes from/ {
		t = substr($1, 2, length($1) - 2) * 1000
		if (t >= t0) { printf "%d", t - t0; f = 1; exit } }
		END { if (!f) printf "?" }' "$TOPO_DIR/renumber-ping4.log")
	diag "ms from home's new address (its log): jikka's Tunnel2.0 on it $(log_after jikka "$ta" 'Tunnel2.0: IKE SA .* established'), home's $(log_after home "$ta" 'Tunnel2.0: tunnel up'), OSPF Full $(log_after home "$ta" 'Tunnel2.0: neighbour .*-> Full'), IPv4 route $(log_after home "$ta" 'via Tunnel2.0 .ospf. installed'), DDNS A published $(log_after home "$ta" 'home.example.net A 198.51.100.50 published'), LAN to LAN pings answered again $back"
else
	diag "home's log never names 198.51.100.50"
fi
diag "a ping every 10 ms from jikka's LAN across the reconnect: $(ping_answered "$TOPO_DIR/renumber-ping4.log") answered, at most $(ping_gap "$TOPO_DIR/renumber-ping4.log") in a row lost"
tctl jikka show ddns | show

step "the IPv6 path comes back"
# Make-before-break: a ping every 10 ms each way of IPv4 and IPv6, from
# before the repair until well after traffic is back on Tunnel1.0.  The
# watch-groups hold Tunnel1.0 out of OSPF and its IPv6 route back until
# their probes proved the renegotiated tunnel: not one may be lost.
ip netns exec home-lan ping -n -i 0.01 -W 1 "$JIKKA_LANHOST4" \
	> "$TOPO_DIR/return-ping4.log" 2>&1 &
rp4=$!
ip netns exec home-lan ping -6 -n -i 0.01 -W 1 "$JIKKA_LANHOST6" \
	> "$TOPO_DIR/return-ping6.log" 2>&1 &
rp6=$!
sleep 1
r0=$(tod_ms)
ip -n isp6 -6 route del blackhole "$JIKKA_LAN6/128"
t0=$SECONDS
ok "Tunnel1.0 is renegotiated: up in both houses" \
	wait_for 120 tunnel_up_both Tunnel1.0
diag "Tunnel1.0 back $((SECONDS - t0)) s after the repair"
ok "home routes through Tunnel1.0 again" wait_for 20 routed_by Tunnel1.0
ok "jikka too" wait_for 20 jikka_routed_by Tunnel1.0
sleep 2
ping_stop "$rp4" "$rp6"
l4=$(ping_lost "$TOPO_DIR/return-ping4.log")
l6=$(ping_lost "$TOPO_DIR/return-ping6.log")
ok "on the way back, no IPv4 ping lost (one every 10 ms)" [ "$l4" = 0 ]
ok "...nor IPv6" [ "$l6" = 0 ]
for h in home jikka; do
	diag "$h, ms from the repair (its log): Tunnel1.0 up $(log_after $h "$r0" 'Tunnel1.0: tunnel up'), proved by the watch-group $(log_after $h "$r0" 'watch-group .*Tunnel1.0: up'), IPv6 route on it $(log_after $h "$r0" 'metric 1 via Tunnel1.0 .static. installed'), OSPF Full $(log_after $h "$r0" 'Tunnel1.0: neighbour .*-> Full'), IPv4 route on it $(log_after $h "$r0" 'via Tunnel1.0 .ospf. installed')"
done
diag "lost on the way back: $l4 of $(ping_answered "$TOPO_DIR/return-ping4.log") IPv4 and $l6 of $(ping_answered "$TOPO_DIR/return-ping6.log") IPv6 answered pings, one every 10 ms"
p1=$(esp_out Tunnel1.0)
ok "IPv4 LAN to LAN over Tunnel1.0 again" wait_for 20 lan_ping
ok "the packets went through Tunnel1.0's ESP SA" rose Tunnel1.0 "$p1"
ok "Tunnel2.0 is up on home's new address" t2_moved 198.51.100.50

step "both daemons stop and leave the kernel clean"
for h in home jikka; do
	ok "$h: tsunagid exits on SIGTERM" tsunagid_stop "$h"
	ok "$h: no SA, policy, tunnel interface or route of tsunagi left" \
		nothing_left "$h"
done
cp "$TOPO_DIR"/tsunagid-*.log "$VM_OUT/" 2> /dev/null
tap_end
