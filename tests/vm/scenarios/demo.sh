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
#   4. home's IPv6 line goes down: home sees wan6's carrier go, ends
#      Tunnel1.0's SAs at once and tells jikka so over Tunnel2.0, which
#      ends its own at once too; traffic moves to Tunnel2.0 both ways,
#      and back when the line returns;
#   5. home's IPv6 line loses every packet, its carrier up (netem): each
#      house's fast watch-group entry (a ping across Tunnel1.0 every
#      10 ms) finds it after 40 to 50 ms of silence and holds Tunnel1.0
#      out of OSPF and its IPv6 route back, so traffic moves to Tunnel2.0
#      (10 MB again, clamped to its MTU); a second later the slow entry
#      clears Tunnel1.0's SAs (the first to do so tells the other over
#      Tunnel2.0), and IKE keeps trying to renegotiate Tunnel1.0;
#   6. meanwhile home's PPPoE line reconnects with another address, so
#      Tunnel2.0, the only path, must follow it: jikka answers home from
#      the new address before its DNS cache knows it (home proves its
#      identity and key), DDNS publishes it;
#   7. the path comes back: IKE, trying again every second or two, has
#      Tunnel1.0 up within seconds; the watch-groups' probes prove it, and
#      only then OSPF and the IPv6 route bring traffic back to Tunnel1.0,
#      make-before-break: a ping every 10 ms loses nothing on the way;
#   8. jikka's tsunagid is SIGKILLed and started again: it removes what
#      the dead one left in the kernel, and both tunnels and the routes
#      come back by themselves;
#   9. both daemons stop and leave nothing in the kernel;
#  10. the stack one would build instead, tuned its best (strongSwan with
#      XFRM interfaces, FRR's OSPF with BFD every 100 ms x 3;
#      tests/vm/refstack.sh), goes through the same cuts of home's IPv6
#      line in the same VM: the summary gives tsunagi's blackouts as a
#      fraction of its.
#
# A ping every 10 ms (ping10: each answer and each loss time-stamped)
# runs across each event; the figures go into a summary printed at the
# end ($VM_OUT/summary.txt) and the traces into a plot beside the logs
# ($VM_OUT/ping-trace.png, gnuplot).
#
#   tests/vm/run tests/vm/scenarios/demo.sh     (TAP; DEMO_QUIET=1: less)

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/refstack.sh
. "$(dirname "$0")/../refstack.sh"
trap topo_down EXIT
tap_plan

EX=${TSUNAGI_SRC:-.}/examples
step() { [ -n "${DEMO_QUIET:-}" ] || printf '\n### %s\n' "$*"; }
show() { [ -n "${DEMO_QUIET:-}" ] || sed 's/^/    /'; }
OUTDIR=${VM_OUT:-$TOPO_DIR}
SUMMARY=$OUTDIR/summary.txt
: > "$SUMMARY"
# summ WHAT TEXT...: a line of the summary printed at the end.
summ() { printf '%-10s %s\n' "$1" "${*:2}" >> "$SUMMARY"; }
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
	summ "10 MB" "over $1 ($2): $(echo "$got" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p') ms, SYN MSS clamped to $(echo "$got" | awk '{ print $2 }') (want $mss)"
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
# log_after HOUSE T0 PATTERN: ms_after on HOUSE's tsunagid log.
log_after() { ms_after "$TOPO_DIR/tsunagid-$1.log" "$2" "$3"; }
ppp_is() { [ "$(ppp_addr "$1")" = "$2" ]; }
# ev_stamp: the time of an event, just before the command that makes
# it: ev_s (seconds since 1970) and ev_ms (the time of day in ms).
# seen_by HOUSE PATTERN: move the event's time to HOUSE's first log line since then that matches
# PATTERN: when the daemon saw it, not when the command, slow to start
# under emulation, got to it.
ev_stamp() {
	ev_s=$(now)
	ev_ms=$(tod_ms "$ev_s")
}
seen_by() {
	local a
	a=$(log_after "$1" "$ev_ms" "$2")
	[ "$a" != "?" ] || return 0
	ev_ms=$((ev_ms + a))
	ev_s=$(awk -v t="$ev_s" -v a="$a" 'BEGIN { printf "%.6f", t + a / 1000 }')
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
summ "DDNS" "both houses published their A (PPPoE) and AAAA (LAN) records within $((SECONDS - t0)) s"
tctl home show ddns | show

step "IKEv2: both tunnels up (peers found by name)"
t0=$SECONDS
ok "Tunnel1.0 (IPv6 IPoE) up in both houses" wait_for 90 tunnel_up_both Tunnel1.0
ok "Tunnel2.0 (IPv4 PPPoE) up in both houses" wait_for 90 tunnel_up_both Tunnel2.0
diag "both tunnels up $((SECONDS - t0)) s after start"
summ "IKEv2" "Tunnel1.0 (IPv6 IPoE) and Tunnel2.0 (IPv4 PPPoE) up in both houses $((SECONDS - t0)) s after start, each peer found by its name"
tctl home show ikev2 sa | show
ok "OSPF Full on both tunnels in both houses" wait_for 30 full_all &&
	summ "OSPF" "Full on both tunnels in both houses"
tctl home show ip ospf neighbor | show
ok "home routes jikka's LAN through Tunnel1.0" wait_for 10 routed_by Tunnel1.0
tctl home show ip route | show

step "ping across: home's LAN host to jikka's, over Tunnel1.0"
ok "IPv4 LAN to LAN" wait_for 20 lan_ping
ok "IPv6 LAN to LAN" wait_for 20 lan_ping6
p1=$(esp_out Tunnel1.0) p2=$(esp_out Tunnel2.0)
nsx home-lan ping -q -n -c 20 -i 0.05 "$JIKKA_LANHOST4" | show
ok "the 20 pings went through Tunnel1.0's ESP SA" rose Tunnel1.0 $((p1 + 19))
# Tunnel2.0 carries OSPF's Hellos (one every 10 s) and nothing else.
ok "...not through Tunnel2.0's: it stands by" \
	[ "$(esp_out Tunnel2.0)" -lt $((p2 + 5)) ]
summ "path" "LAN to LAN over Tunnel1.0 (20 pings: its ESP SA out +$(($(esp_out Tunnel1.0) - p1)), Tunnel2.0's +$(($(esp_out Tunnel2.0) - p2)))"

step "10 MB from LAN host to LAN host over Tunnel1.0 (ip tcp adjust-mss auto)"
nsx home nft list table inet tsunagi | show
bulk_ok Tunnel1.0 ipv4 "$JIKKA_LANHOST4"
bulk_ok Tunnel1.0 ipv6 "$JIKKA_LANHOST6"

# wg_states HOUSE [SEQ]: the states of the house's watch-group entries
# (of that seq), one word each.  Entry 10 is the fast one, which holds
# the routes; entry 20 clears the SAs.
wg_states() {
	tctl "$1" --json show watch-group | python3 -c '
import json, sys
print(" ".join(r["state"] for r in json.load(sys.stdin)
               if "state" in r and sys.argv[1] in ("", str(r["seq"]))))' "${2:-}"
}
wg_down() { [ "$(wg_states "$1" 10)" = down ]; }
wg_up() { [ "$(wg_states "$1")" = "up up" ]; }

# A person watching home: "tsunagictl --json monitor" runs through the
# cut and the return (its lines are shown once the line is back).
ns_spawn home monitor-home "$TSUNAGI_BUILD/tsunagictl" \
	-s "$TOPO_RUN/tsunagid-home/tsunagi/tsunagid.sock" --json monitor
MON=$TOPO_DIR/monitor-home.log
# mon_saw EVENT OBJECT [DETAIL]: the monitor printed that event.
mon_saw() {
	python3 - "$MON" "$@" << 'EOF2'
import json, sys
want = sys.argv[2:]
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("event") == want[0] and o.get("object") == want[1] and \
            (len(want) < 3 or want[2] in o.get("detail", "")):
        sys.exit(0)
sys.exit(1)
EOF2
}
ok "tsunagictl monitor runs on home" wait_for 10 grep -q '"type": "monitor"' "$MON"

step "failover: home's IPv6 line goes down (wan6 loses its carrier)"
# The provider's end of the line goes down.  home's tsunagid sees its
# uplink's carrier go and ends Tunnel1.0's SAs at once, so its routes
# and OSPF neighbour go with them.  No packet can tell jikka by that
# path: home says it over Tunnel2.0's IKE SA, and jikka ends its
# Tunnel1.0 SAs at once too.  A ping every 10 ms from home's LAN host.
ping10 home-lan "$JIKKA_LANHOST4" linkcut-ping4.log
pinger=$!
sleep 1
ev_stamp
house_line6 home down
ok "home: Tunnel1.0 down at once, wan6 lost its carrier" \
	wait_for 10 grep -q "ike: Tunnel1.0: wan6 lost its carrier: the tunnel is down" \
	"$TOPO_DIR/tsunagid-home.log"
seen_by home 'wan6 lost its carrier'
lc0=$ev_s l0=$ev_ms
no_carrier() { tctl home show ikev2 sa Tunnel1.0 | grep -q "wan6 has no carrier"; }
ok "show ikev2 sa says why" wait_for 10 no_carrier
ok "home routes jikka's LAN through Tunnel2.0" wait_for 10 routed_by Tunnel2.0
# (as a grep and awk pattern: dots for the parentheses)
told='Tunnel1.0: the peer says this path is dead at its end .its uplink lost its carrier., over Tunnel2.0'
ok "jikka is told over Tunnel2.0 and ends Tunnel1.0's SAs" \
	wait_for 10 grep -q "$told" "$TOPO_DIR/tsunagid-jikka.log"
ok "jikka routes home's LAN through Tunnel2.0" wait_for 20 jikka_routed_by Tunnel2.0
ok "jikka's watch-group holds Tunnel1.0 down until it is proved again" \
	wait_for 30 wg_down jikka
ok "IPv4 LAN to LAN over Tunnel2.0" wait_for 20 lan_ping
ok "IPv6 LAN to LAN over Tunnel2.0" wait_for 20 lan_ping6
sleep 1
ping_stop "$pinger"
f=$TOPO_DIR/linkcut-ping4.log
diag "a ping every 10 ms from home's LAN host across the cut: $(pstat "$f" answered) answered, $(pstat "$f" lost) lost, at most $(pstat "$f" run) in a row: a blackout of $(pstat "$f" blackout) ms"
diag "home, ms from the carrier loss (its log): IPv4 route via Tunnel2.0 $(log_after home "$l0" 'via Tunnel2.0 .ospf. installed'), IPv6 route via Tunnel1.0 withdrawn $(log_after home "$l0" ':/64 metric 1 .static. withdrawn')"
diag "jikka, ms from home's carrier loss (its log): told over Tunnel2.0 $(log_after jikka "$l0" "$told"), IPv6 route via Tunnel1.0 withdrawn $(log_after jikka "$l0" ':/64 metric 1 .static. withdrawn'), IPv4 route via Tunnel2.0 $(log_after jikka "$l0" 'via Tunnel2.0 .ospf. installed')"
summ "line down" "home's IPv6 line down (carrier lost): home moved at once (its IPv4 route via Tunnel2.0 $(log_after home "$l0" 'via Tunnel2.0 .ospf. installed') ms after), jikka once told over Tunnel2.0 ($(log_after jikka "$l0" "$told") ms; its IPv4 route $(log_after jikka "$l0" 'via Tunnel2.0 .ospf. installed') ms); a blackout of $(pstat "$f" blackout) ms ($(pstat "$f" lost) pings lost, one every 10 ms)"

step "home's IPv6 line comes back"
# IKE tries at once when the carrier is back; the watch-groups prove the
# tunnel before traffic returns to it: nothing lost on the way.
ping10 home-lan "$JIKKA_LANHOST4" linkback-ping4.log
pinger=$!
sleep 1
ev_stamp
house_line6 home up
ok "home: wan6 has its carrier back" wait_for 10 grep -q \
	"ike: Tunnel1.0: wan6 has its carrier back" "$TOPO_DIR/tsunagid-home.log"
seen_by home 'wan6 has its carrier back'
lb0=$ev_s l0=$ev_ms
ok "Tunnel1.0 up again in both houses" wait_for 60 tunnel_up_both Tunnel1.0
wgs_up() { wg_up home && wg_up jikka; }
ok "both watch-groups up" wait_for 30 wgs_up
ok "home routes through Tunnel1.0 again" wait_for 20 routed_by Tunnel1.0
ok "jikka too" wait_for 20 jikka_routed_by Tunnel1.0
sleep 2
ping_stop "$pinger"
f=$TOPO_DIR/linkback-ping4.log
ok "no IPv4 ping lost on the way back (one every 10 ms)" [ "$(pstat "$f" lost)" = 0 ]
diag "home, ms from its carrier's return (its log): Tunnel1.0 up $(log_after home "$l0" 'Tunnel1.0: tunnel up'), proved by the watch-group $(log_after home "$l0" 'watch-group .* 10: Tunnel1.0: up'), IPv4 route on it $(log_after home "$l0" 'via Tunnel1.0 .ospf. installed')"
mon_cut() { mon_saw link-down wan6 && mon_saw tunnel-down Tunnel1.0 'wan6 has no carrier'; }
# IPv6 rides static routes (distance 1 and 100): one move each way.  OSPF
# may withdraw the IPv4 route before its SPF gives the other way.
mon_moves() {
	mon_saw route-moved "$JIKKA_NET6" 'from Tunnel1.0 to Tunnel2.0' &&
		mon_saw route-moved "$JIKKA_NET6" 'from Tunnel2.0 to Tunnel1.0' &&
		{ mon_saw route-moved "$JIKKA_NET4" 'to Tunnel2.0' ||
			mon_saw route-new "$JIKKA_NET4" 'via Tunnel2.0'; }
}
mon_back() { mon_saw link-up wan6 && mon_saw tunnel-up Tunnel1.0; }
ok "monitor saw wan6 lose its carrier and Tunnel1.0 go down" mon_cut
ok "monitor saw the LANs' routes move to Tunnel2.0 and back" mon_moves
ok "monitor saw wan6 and Tunnel1.0 come back" mon_back
diag "what tsunagictl monitor printed on home, the cut and the return:"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("type") == "event":
        print("%s %s %s: %s" % (o["time"][11:], o["event"], o["object"], o["detail"]))
' "$MON" | show
summ "line back" "traffic back on Tunnel1.0 $(log_after home "$l0" 'via Tunnel1.0 .ospf. installed') ms after home saw the carrier back (its IPv4 route), $(pstat "$f" lost) pings lost on the way (target 0)"

step "failover: home's IPv6 line loses every packet (its carrier stays up)"
# 100 % loss both ways (netem), as a broken line or provider would
# behave: no link event says so, only the liveness checks can tell.
ping10 home-lan "$JIKKA_LANHOST4" cut-ping4.log
pinger=$!
sleep 1
t0=$SECONDS
cut0=$(now)
c0=$(tod_ms "$cut0")
house_loss6 home on
ok "home finds Tunnel1.0 dead and takes it down" \
	wait_for 120 tunnel_not_up home Tunnel1.0
diag "Tunnel1.0 down $((SECONDS - t0)) s after the cut"
ok "home's watch-group found it: down" wait_for 30 wg_down home
ok "jikka's watch-group too" wait_for 30 wg_down jikka
# Each group clears the SAs, unless the other's DELETE came first and
# left it no CHILD SA to clear (a DELETE may cross before the loss is
# total).
cleared_by() {
	[ "$(log_after "$1" "$c0" "watch-group $2 20: action 10: clearing the SAs of Tunnel1.0")" != "?" ]
}
nothing_to_clear() {
	[ "$(log_after "$1" "$c0" "watch-group $2 20: action 10: Tunnel1.0 has no CHILD SA")" != "?" ]
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
sleep 1
ping_stop "$pinger"
f=$TOPO_DIR/cut-ping4.log
# No log line says when the loss began: the first ping lost does.
rs=$(pstat "$f" runstart)
[ "$rs" = - ] || { cut0=$rs c0=$(tod_ms "$rs"); }
diag "a ping every 10 ms from home's LAN host across the cut: $(pstat "$f" answered) answered, $(pstat "$f" lost) lost, at most $(pstat "$f" run) in a row: a blackout of $(pstat "$f" blackout) ms"
for h in home jikka; do
	diag "$h, ms from the first ping lost (its log): watch-group down $(log_after $h "$c0" 'watch-group .* 10: Tunnel1.0: down') ($(grep -o 'watch-group [a-z-]* 10: Tunnel1.0: down, no answer for [0-9]* ms' "$TOPO_DIR/tsunagid-$h.log" | tail -n 1 | grep -o '[0-9]* ms')), SAs cleared $(log_after $h "$c0" 'watch-group .* 20: action 10: '), IPv4 route via Tunnel2.0 $(log_after $h "$c0" 'via Tunnel2.0 .ospf. installed'), IPv6 route via Tunnel1.0 withdrawn (the one via Tunnel2.0 serves) $(log_after $h "$c0" ':/64 metric 1 .static. withdrawn')"
done
summ "loss" "every packet of home's IPv6 line lost (netem, the carrier up): the watch-groups found it, traffic on Tunnel2.0 after a blackout of $(pstat "$f" blackout) ms ($(pstat "$f" lost) pings lost, one every 10 ms)"
bulk_ok Tunnel2.0 ipv4 "$JIKKA_LANHOST4"
bulk_ok Tunnel2.0 ipv6 "$JIKKA_LANHOST6"
tctl home show ip route | show

step "home's PPPoE line reconnects with another address; Tunnel2.0 is the only path"
# jikka's resolver still gives home's old address (TTL 60 s): jikka
# answers home's IKE_SA_INIT from the new one at once, and its Tunnel2.0
# follows home as soon as home proved its identity and key.  A ping every
# 10 ms from jikka's LAN host (ping -D: each answer time-stamped) says
# when traffic passes again.
ping10 jikka-lan "$HOME_LANHOST4" renumber-ping4.log
rn4=$!
sleep 1
old4=$(ppp_addr home)
ren0=$(now)
r0=$(tod_ms "$ren0")
e0=$((${ren0%.*} * 1000 + 10#${ren0#*.} / 1000))
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
	dd=$(log_after home "$ta" 'home.example.net A 198.51.100.50 published')
	diag "ms from home's new address (its log): jikka's Tunnel2.0 on it $(log_after jikka "$ta" 'Tunnel2.0: IKE SA .* established'), home's $(log_after home "$ta" 'Tunnel2.0: tunnel up'), OSPF Full $(log_after home "$ta" 'Tunnel2.0: neighbour .*-> Full'), IPv4 route $(log_after home "$ta" 'via Tunnel2.0 .ospf. installed'), DDNS A published $dd, LAN to LAN pings answered again $back"
	summ "renumber" "home's PPPoE address changed ($old4 -> 198.51.100.50) while Tunnel2.0 was the only path: LAN to LAN traffic again $back ms after home saw its new address (target 3000), its DNS A record $dd ms after"
else
	diag "home's log never names 198.51.100.50"
	summ "renumber" "home's log never names its new address 198.51.100.50"
fi
f=$TOPO_DIR/renumber-ping4.log
diag "a ping every 10 ms from jikka's LAN across the reconnect: $(pstat "$f" answered) answered, at most $(pstat "$f" run) in a row lost"
tctl jikka show ddns | show

step "home's IPv6 line passes packets again"
# Make-before-break: a ping every 10 ms each way of IPv4 and IPv6, from
# before the repair until well after traffic is back on Tunnel1.0.  The
# watch-groups hold Tunnel1.0 out of OSPF and its IPv6 route back until
# their probes proved the renegotiated tunnel: not one may be lost.
ping10 home-lan "$JIKKA_LANHOST4" return-ping4.log
rp4=$!
ping10 home-lan "$JIKKA_LANHOST6" return-ping6.log -6
rp6=$!
sleep 1
house_loss6 home off
ret0=$(now)
r0=$(tod_ms "$ret0")
t0=$SECONDS
ok "Tunnel1.0 is renegotiated: up in both houses" \
	wait_for 120 tunnel_up_both Tunnel1.0
diag "Tunnel1.0 back $((SECONDS - t0)) s after the repair"
ok "home routes through Tunnel1.0 again" wait_for 20 routed_by Tunnel1.0
ok "jikka too" wait_for 20 jikka_routed_by Tunnel1.0
sleep 2
ping_stop "$rp4" "$rp6"
l4=$(pstat "$TOPO_DIR/return-ping4.log" lost)
l6=$(pstat "$TOPO_DIR/return-ping6.log" lost)
ok "on the way back, no IPv4 ping lost (one every 10 ms)" [ "$l4" = 0 ]
ok "...nor IPv6" [ "$l6" = 0 ]
for h in home jikka; do
	diag "$h, ms from the repair (its log): Tunnel1.0 up $(log_after $h "$r0" 'Tunnel1.0: tunnel up'), proved by the watch-group $(log_after $h "$r0" 'watch-group .* 10: Tunnel1.0: up'), IPv6 route on it $(log_after $h "$r0" 'metric 1 via Tunnel1.0 .static. installed'), OSPF Full $(log_after $h "$r0" 'Tunnel1.0: neighbour .*-> Full'), IPv4 route on it $(log_after $h "$r0" 'via Tunnel1.0 .ospf. installed')"
done
diag "lost on the way back: $l4 of $(pstat "$TOPO_DIR/return-ping4.log" answered) IPv4 and $l6 of $(pstat "$TOPO_DIR/return-ping6.log" answered) IPv6 answered pings, one every 10 ms"
summ "return" "home's IPv6 line passes packets again: traffic back on Tunnel1.0 $(log_after home "$r0" 'via Tunnel1.0 .ospf. installed') ms after (home's IPv4 route), $l4 IPv4 and $l6 IPv6 pings lost on the way (one every 10 ms; target 0)"
p1=$(esp_out Tunnel1.0)
ok "IPv4 LAN to LAN over Tunnel1.0 again" wait_for 20 lan_ping
ok "the packets went through Tunnel1.0's ESP SA" rose Tunnel1.0 "$p1"
ok "Tunnel2.0 is up on home's new address" t2_moved 198.51.100.50

step "jikka's tsunagid is killed (SIGKILL) and started again"
# As a crash and a service manager's restart would have it.  The dead
# daemon's SAs, policies, tunnel interfaces, routes and nft table stay in
# the kernel (traffic even goes on through its SAs for a while); the new
# one removes them all at start, and both tunnels and the routes come
# back by themselves: home hears from jikka's INITIAL_CONTACT that its
# SAs are stale.  A ping every 10 ms from home's LAN host says when
# traffic passes again.
mss_rules() { nsx jikka nft list table inet tsunagi | grep -c 'maxseg size set'; }
rules_kept() { [ "$(mss_rules)" = "$rules" ]; }
left_behind() {
	[ -n "$(house_spis jikka)" ] && ip -n jikka link show Tunnel1.0 > /dev/null && rules_kept
}
both_up() { tunnel_up_both Tunnel1.0 && tunnel_up_both Tunnel2.0; }
ping10 home-lan "$JIKKA_LANHOST4" restart-ping4.log
kp=$!
sleep 1
spis=$(house_spis jikka)
rules=$(mss_rules)
pid=$(tsunagid_pid jikka)
kill -KILL "$pid"
ok "jikka's tsunagid is gone" wait_for 5 sh -c "! kill -0 $pid 2> /dev/null"
ok "...and left its SAs, tunnel interfaces and nft table ($rules rules) in the kernel" left_behind
kill0=$(now)
k0=$(tod_ms "$kill0")
ok "jikka: tsunagid starts again" tsunagid_start jikka "$TOPO_DIR/jikka.conf"
# shellcheck disable=SC2086 # one SPI a word
ok "...and removes what the dead one left in the kernel" wait_for 10 spis_gone jikka $spis
ok "...its own nft table replaces the old one (still $rules rules)" \
	wait_for 10 rules_kept
ok "both tunnels up again in both houses" wait_for 60 both_up
ok "OSPF Full on both tunnels in both houses" wait_for 30 full_all
ok "home routes jikka's LAN through Tunnel1.0" wait_for 30 routed_by Tunnel1.0
ok "jikka too" wait_for 30 jikka_routed_by Tunnel1.0
ok "IPv4 LAN to LAN" wait_for 20 lan_ping
ok "IPv6 LAN to LAN" wait_for 20 lan_ping6
sleep 1
ping_stop "$kp"
f=$TOPO_DIR/restart-ping4.log
kb=$(pstat "$f" first "$kill0")
diag "jikka, ms from its restart (its log): first line $(log_after jikka "$k0" '.'), leftovers removed $(log_after jikka "$k0" 'xfrm: removed [0-9]+ SAs'), Tunnel1.0 up $(log_after jikka "$k0" 'Tunnel1.0: tunnel up'), Tunnel2.0 up $(log_after jikka "$k0" 'Tunnel2.0: tunnel up'), OSPF Full on Tunnel1.0 $(log_after jikka "$k0" 'Tunnel1.0: neighbour .*-> Full'), IPv4 route via Tunnel1.0 $(log_after jikka "$k0" 'via Tunnel1.0 .ospf. installed'); home's LAN host answered again $kb"
diag "a ping every 10 ms from home's LAN host: $(pstat "$f" lost) lost, at most $(pstat "$f" run) in a row: a blackout of $(pstat "$f" blackout) ms"
summ "SIGKILL" "jikka's tsunagid killed and started again: what it left removed, traffic across again $kb ms after the restart (target 5000), a blackout of $(pstat "$f" blackout) ms"

step "both daemons stop and leave the kernel clean"
for h in home jikka; do
	ok "$h: tsunagid exits on SIGTERM" tsunagid_stop "$h"
	ok "$h: no SA, policy, tunnel interface or route of tsunagi left" \
		nothing_left "$h"
done
cp "$TOPO_DIR"/tsunagid-*.log "$TOPO_DIR"/*-ping*.log "$OUTDIR/" 2> /dev/null

step "the same cuts with the stack one would build instead: strongSwan + FRR with BFD"
# strongSwan with XFRM interfaces made by hand, FRR's OSPF over them with
# hellos every 250 ms and BFD every 100 ms x 3 (tests/vm/refstack.sh), in
# this VM, through the same cuts of home's IPv6 line: what tsunagi's
# figures above compare with.
# ratio A B: A / B to two places, "?" unless both are figures.
ratio() {
	case "$1$2" in *[!0-9]* | "") echo "?" ;; *)
		awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }' ;;
	esac
}
# vs KIND TSUNAGI REF: the summary's words for one cut.
vs() {
	if [ "$3" = - ]; then
		echo "$1: not measured"
	else
		echo "$1: $3 ms against tsunagi's $2 ms (tsunagi's is $(ratio "$2" "$3") of it, target 0.33)"
	fi
}
if ref_have; then
	ref_run
	ts_lc=$(pstat "$TOPO_DIR/linkcut-ping4.log" blackout)
	ts_loss=$(pstat "$TOPO_DIR/cut-ping4.log" blackout)
	summ "vs BFD" "the same cuts on strongSwan + FRR (OSPF, BFD 100 ms x 3), blackouts: $(vs "line down" "$ts_lc" "$REF_LINKCUT"); $(vs "loss" "$ts_loss" "$REF_LOSS")"
	summ "" "and back: after the line down $REF_LINKBACK_S s, $REF_LINKBACK_LOST lost; after the loss $REF_LOSSBACK_S s, $REF_LOSSBACK_LOST lost"
	cp "$TOPO_DIR"/ref-*-ping4.log "$OUTDIR/" 2> /dev/null
	cp -r "$REF_OUT" "$OUTDIR/" 2> /dev/null
else
	skip "the same cuts on strongSwan + FRR with BFD" "strongSwan, FRR or its bfdd not installed"
	summ "vs BFD" "not measured: strongSwan, FRR or its bfdd not installed"
fi

step "the 10 ms ping traces, plotted"
# tsunagi's, each cut of the reference's under tsunagi's own (when it ran).
T=$TOPO_DIR
PLOT=("home's IPv6 line down (IPv4, home's LAN host to jikka's)" "$lc0" "$T/linkcut-ping4.log")
ref_have && ref_panel line
PLOT+=("home's IPv6 line back (IPv4)" "$lb0" "$T/linkback-ping4.log")
ref_have && ref_panel line-back
PLOT+=("home's IPv6 line loses every packet, its carrier up (IPv4)" "$cut0" "$T/cut-ping4.log")
ref_have && ref_panel loss
PLOT+=("home's PPPoE address changes, Tunnel2.0 the only path (IPv4, jikka's LAN host to home's)" "$ren0" "$T/renumber-ping4.log"
	"home's IPv6 line passes packets again (IPv4)" "$ret0" "$T/return-ping4.log")
ref_have && ref_panel loss-back
PLOT+=("home's IPv6 line passes packets again (IPv6)" "$ret0" "$T/return-ping6.log"
	"jikka's tsunagid SIGKILLed and started again (IPv4)" "$kill0" "$f")
ok "$OUTDIR/ping-trace.png" pingplot plot "$OUTDIR/ping-trace.png" "${PLOT[@]}"

step "summary"
summ "checks" "$((TAP_N - TAP_FAILED)) passed, $TAP_FAILED failed"
summ "files" "$OUTDIR: ping-trace.png, summary.txt, the daemons' logs, the ping logs"
show < "$SUMMARY"
tap_end
