#!/bin/sh
# ospf.sh: the OSPF speaker against real neighbours on the host kernel:
# tsunagid in one namespace, FRR (zebra + ospfd) and then BIRD 2 in
# another, a veth between them as a point-to-point link, a LAN on each
# side.  Each neighbour reaches Full with us and learns our LAN; our
# database holds its router-LSA; hostile packets on the link are dropped
# and counted without disturbing the adjacency; a link that goes down
# drops the neighbour at once; an MTU mismatch holds the exchange in
# ExStart until "ip ospf mtu-ignore" (a reload); the neighbour's restart
# re-converges; our SIGTERM is seen by the neighbour at once.  Last,
# another tsunagid as the neighbour: when it starts its adjacency over
# (1-WayReceived) and is Full again moments later, our router-LSA stays
# as it was and the route comes back at once.  Prints the seconds each
# step took.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/ospfpeer.sh"

T=$(mktemp -d /tmp/tsunagi-ospf.XXXXXX)
TAP_LOG=$T/tap.log
NT=tsunagi-ot-$$ # tsunagid's house
NP=tsunagi-op-$$ # the neighbour's
SOCK=$T/tsunagid.sock
dpid=
peer=

if [ "$(id -u)" != 0 ] || ! ip netns add "$NT" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi
if [ ! -x "$OSPFPEER_FRR/ospfd" ] || ! command -v bird > /dev/null; then
	echo "1..0 # SKIP needs frr and bird2 (tests/install-deps)"
	ip netns del "$NT"
	rm -rf "$T"
	exit 0
fi

peer_stop() {
	ospfpeer_stop "$peer" "$T/$peer"
	peer=
}

t_stop() {
	[ -n "$dpid" ] || return 0
	stop_pid "$dpid"
	dpid=
}

cleanup() {
	t_stop
	[ -z "${bpid:-}" ] || stop_pid "$bpid"
	peer_stop
	ip netns del "$NT" 2> /dev/null
	ip netns del "$NP" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
# A closed pipe or terminal ends the suite through its cleanup too.
trap 'exit 1' INT TERM HUP PIPE

ospfpeer_link "$NT" "$NP"
ip -n "$NT" link add lan0 type veth peer name lanp
ip -n "$NT" addr add 192.168.1.1/24 dev lan0
ip -n "$NT" link set lan0 up
ip -n "$NT" link set lanp up
ip -n "$NP" addr add 192.168.2.1/24 dev lo
# An uplink that is not in OSPF: redistribute connected announces it.
ip -n "$NT" link add up0 type veth peer name upp
ip -n "$NT" addr add 172.16.5.1/24 dev up0
ip -n "$NT" link set up0 up
ip -n "$NT" link set upp up

# tconf [EXTRA-LINE-FOR-tv...]: tsunagid's configuration.
tconf() {
	{
		echo "hostname home"
		echo "interface tv"
		echo "  ip ospf network point-to-point"
		echo "  ip ospf hello-interval 1"
		echo "  ip ospf dead-interval 4"
		for l; do echo "  $l"; done
		echo "!"
		echo "ip router ospf 1"
		echo "  router-id 10.255.0.1"
		echo "  area 0"
		echo "  network tv area 0"
		echo "  network lan0 area 0"
		echo "  passive-interface lan0"
		[ -z "${REDIST:-}" ] || echo "  redistribute connected"
	} > "$T/tsunagi.conf"
	chmod 600 "$T/tsunagi.conf"
}

ctl() { "$build/tsunagictl" -s "$SOCK" "$@"; }

t_start() {
	ip netns exec "$NT" "$build/tsunagid" -d -v -f "$T/tsunagi.conf" \
		-s "$SOCK" -p "$T/tsunagid.pid" 2>> "$T/tsunagid.log" &
	dpid=$!
	wait_for 10 ctl show status
}

# jget CMD KEY: KEY of the first record CMD's JSON answer holds.
jget() {
	ctl --json $1 | python3 -c '
import json, sys
recs = json.load(sys.stdin)
recs = recs if isinstance(recs, list) else [recs]
for r in recs:
    if sys.argv[1] in r:
        print(r[sys.argv[1]]); break' "$2"
}
nstate() { jget "show ip ospf neighbor" state; }
is_state() { [ "$(nstate)" = "$1" ]; }
no_nbr() { [ -z "$(nstate)" ]; }
counter() { jget "show ip ospf interface tv" "$1"; }
counter_is() { [ "$(counter "$1")" = "$2" ]; }
we_route() {
	ip -n "$NT" -4 route show proto 213 | grep -q "^192.168.2.* via 10.0.12.2 dev tv .*metric 110"
}
no_refused_lsa() {
	! ctl --json show ip ospf database | grep -q 0x7fff0000
}
if_state() { [ "$(jget "show ip ospf interface tv" state)" = "$1" ]; }
has_lsa() {
	ctl --json show ip ospf database | grep -q "\"adv-router\": \"$1\""
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# The router ID comes before any interface joins the area: ospfd takes
# zebra's (192.168.2.1, lo's) for an area it meets first, and keeps it,
# deferring "ospf router-id" to a "clear ip ospf process", if a
# neighbour got Full in between (tsunagid answers a Hello at once).
frr_conf() {
	cat << EOF
frr defaults traditional
hostname peer
router ospf
 ospf router-id 10.255.0.2
 passive-interface lo
!
interface pv
 ip ospf network point-to-point
 ip ospf hello-interval 1
 ip ospf dead-interval 4
 ip ospf area 0
$1
!
interface lo
 ip ospf area 0
EOF
}

# bird_conf [EXTRA]: EXTRA goes into the link's interface block.
bird_conf() {
	cat << EOF
router id 10.255.0.2;
protocol device { scan time 1; }
protocol direct { ipv4; interface "lo"; }
protocol kernel { ipv4 { export all; }; }
protocol ospf v2 o1 {
	ipv4 { import all; export none; };
	area 0 {
		interface "pv" { type ptp; hello 1; dead 4; ${1:-} };
		interface "lo" { stub yes; };
	};
}
EOF
}

peer_start() {
	peer=$1
	case $1 in
	frr) frr_start "$NP" "$T/frr" "$(frr_conf "${2:-}")" ;;
	bird) bird_start "$NP" "$T/bird" "$(bird_conf "${2:-}")" ;;
	esac
}

# The neighbour's view: it has us Full; it routes our LAN via us.
peer_full() {
	case $peer in
	frr) frr_vtysh "$NP" "$T/frr" "show ip ospf neighbor" |
		grep -q "^10.255.0.1 .*Full" ;;
	bird) bird_cmd "$T/bird" show ospf neighbors |
		grep -q "^10.255.0.1 .*Full" ;;
	esac
}
peer_not_full() { ! peer_full; }
peer_route() {
	case $peer in
	frr) frr_vtysh "$NP" "$T/frr" "show ip route" |
		grep -q "^O>\* 192.168.1.0/24 .*via 10.0.12.1" ;;
	bird) bird_cmd "$T/bird" show route 192.168.1.0/24 |
		grep -q "10.0.12.1" ;;
	esac
}

poke() { ip netns exec "$NP" python3 "$top/tests/tools/ospfpoke.py" pv "$@"; }

# hostile PEER: packets a neighbour could send, each dropped and counted.
hostile() {
	for k in truncated:drop-truncated checksum:drop-bad-checksum \
		version:drop-bad-version area:drop-wrong-area \
		lsa-checksum:drop-lsa-refused; do
		c0=$(counter "${k#*:}")
		poke "${k%%:*}" 10.255.0.2
		ok "$1: a packet $(echo "${k%%:*}" | tr - ' ') wrong is dropped and counted (${k#*:})" \
			wait_for 3 counter_is "${k#*:}" $((c0 + 1))
	done
	c0=$(counter drop-unknown-neighbor)
	poke stray 10.9.9.9
	ok "$1: a Hello of a second router on the link is counted, not taken" \
		wait_for 3 counter_is drop-unknown-neighbor $((c0 + 1))
	poke garbage 10.255.0.2
	sleep 0.5
	ok "$1: still Full, nothing installed from them" is_state Full
	ok "$1: the refused LSA is not in the database" no_refused_lsa
}

# Our router-LSA's sequence number as FRR has it (hex, no 0x).
frr_our_seq() {
	frr_vtysh "$NP" "$T/frr" "show ip ospf database router 10.255.0.1" |
		sed -n 's/.*LS Seq Number: *\([0-9a-f]*\).*/\1/p' | head -1
}
frr_has_ext() {
	frr_vtysh "$NP" "$T/frr" "show ip route" |
		grep -q "^O>\* 172.16.5.0/24 .*via 10.0.12.1"
}
frr_seq_above() { [ $((0x$(frr_our_seq))) -gt $((0x$1)) ]; }
no_frr_ext() { ! frr_has_ext; }

# Killed, not stopped: FRR keeps our LSAs, among them an AS-external one
# the restarted daemon no longer announces.  It takes its router-LSA back
# one past the old number, and flushes the external (RFC 2328 13.4).
crash_restart() {
	ok "frr: redistribute connected: FRR routes our uplink via us" \
		wait_for 15 frr_has_ext
	seq0=$(frr_our_seq)
	kill -9 "$dpid"
	wait "$dpid" 2> /dev/null
	dpid=
	REDIST= tconf
	ok "frr: tsunagid killed and started again without redistribute" \
		t_start
	ok "frr: Full again" wait_for 40 is_state Full
	ok "frr: our router-LSA from before is taken back, one past 0x$seq0" \
		wait_for 15 frr_seq_above "$seq0"
	ok "frr: the external LSA from before is flushed: no route in FRR" \
		wait_for 15 no_frr_ext
}

suite() {
	p=$1
	tconf
	: > "$T/tsunagid.log"
	t0=$(now)
	ok "$p: tsunagid starts with the speaker" t_start
	ok "$p: the neighbour starts" peer_start "$p"
	ok "$p: Full" wait_for 40 is_state Full
	diag "$p: Full $(since "$t0") s after start"
	ok "$p: the neighbour has us Full" wait_for 10 peer_full
	ok "$p: the neighbour routes our LAN via us" wait_for 15 peer_route
	ok "$p: its router-LSA is in our database" has_lsa 10.255.0.2
	ok "$p: we route its LAN via it (OSPF, distance 110)" \
		wait_for 15 we_route
	ok "$p: one log line for Full, naming interface and neighbour" \
		grep -q "ospf: tv: neighbour 10.255.0.2: Loading -> Full" \
		"$T/tsunagid.log"
	hostile "$p"
	[ "$p" = frr ] && crash_restart

	t1=$(now)
	ip -n "$NT" link set tv down
	ok "$p: link down: the neighbour is gone at once" wait_for 2 no_nbr
	diag "$p: neighbour dropped $(since "$t1") s after the link went down"
	ok "$p: ...and the interface is down" if_state down
	t1=$(now)
	ip -n "$NT" link set tv up
	ok "$p: link up: Full again" wait_for 30 is_state Full
	diag "$p: Full again $(since "$t1") s after the link came up"

	t1=$(now)
	peer_stop
	ok "$p: the neighbour stops: gone within the dead interval" \
		wait_for 6 no_nbr
	peer_start "$p"
	ok "$p: the neighbour restarts: Full again" wait_for 40 is_state Full
	diag "$p: Full $(since "$t1") s after the neighbour stopped"

	t_stop
	ok "$p: on SIGTERM the neighbour drops us before its dead interval" \
		wait_for 2 peer_not_full
	peer_stop
}

REDIST=1 suite frr
suite bird

# MTU: the neighbour's larger MTU holds us in ExStart (10.6) until
# "ip ospf mtu-ignore" comes in by a reload.
ip -n "$NT" link set tv mtu 1400
tconf
t_start
peer_start frr
sleep 8
ok "mtu: a neighbour's DD with a larger MTU is refused: ExStart" \
	is_state ExStart
mtu_counted() { [ "$(counter drop-mtu-mismatch)" -gt 0 ]; }
ok "mtu: ...and counted" mtu_counted
tconf "ip ospf mtu-ignore"
ctl reload > /dev/null
ok "mtu: with ip ospf mtu-ignore (reload): Full" wait_for 20 is_state Full
t_stop
peer_stop
ip -n "$NT" link set tv mtu 1500

# Fast Hellos: dead-interval minimal, HelloInterval 0 on the wire.
tconf "ip ospf dead-interval minimal hello-multiplier 4"
sed -i '/ip ospf dead-interval 4/d; /ip ospf hello-interval 1/d' "$T/tsunagi.conf"
t_start
peer_start frr " ip ospf dead-interval minimal hello-multiplier 4"
ok "fast hellos: Full with FRR in minimal mode" wait_for 40 is_state Full
# Silence, not a goodbye: the neighbour's ospfd stops in its tracks.
t1=$(now)
kill -STOP "$(cat "$T/frr/run/ospfd.pid")"
ok "fast hellos: the neighbour's silence is seen within a second" \
	wait_for 2 no_nbr
diag "fast hellos: neighbour dropped $(since "$t1") s after it fell silent"
kill -CONT "$(cat "$T/frr/run/ospfd.pid")"
t_stop
peer_stop

# Under valgrind (not on a sanitizer build: they do not mix): an
# adjacency, hostile packets, a link flap and SIGTERM leave no error and
# no leak.  The LSA instances are shared by reference between the
# database and the neighbours' lists: this is where a slip would show.
if command -v valgrind > /dev/null && ! grep -q __asan_init "$build/tsunagid"; then
	tconf
	ip netns exec "$NT" valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --log-file="$T/valgrind.log" \
		"$build/tsunagid" -d -f "$T/tsunagi.conf" -s "$SOCK" \
		-p "$T/tsunagid.pid" 2>> "$T/tsunagid.log" &
	dpid=$!
	wait_for 30 ctl show status
	peer_start frr
	ok "valgrind: Full" wait_for 60 is_state Full
	for k in truncated checksum lsa-checksum garbage; do
		poke "$k" 10.255.0.2
	done
	ip -n "$NT" link set tv down
	sleep 1
	ip -n "$NT" link set tv up
	ok "valgrind: Full again after a flap" wait_for 60 is_state Full
	stop_pid "$dpid" 30
	rc=$?
	dpid=
	peer_stop
	vg_clean() { [ "$rc" = 0 ] && [ ! -s "$T/valgrind.log" ] || { cat "$T/valgrind.log"; false; }; }
	ok "valgrind: no error and no leak in tsunagid (exit $rc)" vg_clean
else
	skip "valgrind on the speaker" "no valgrind, or a sanitizer build"
fi

# Message-digest authentication (MD5, RFC 2328 D.4.3) with FRR: Full
# with the key, the key masked in the running configuration, a packet FRR
# signed with it a few seconds before dropped as a replay, a
# wrong key (a reload) ends the adjacency and is counted, the right one
# brings it back.
MD5_FRR=$(printf ' ip ospf authentication message-digest\n ip ospf message-digest-key 1 md5 tsunagi')
tconf "ip ospf authentication message-digest" \
	"ip ospf message-digest-key 1 md5 tsunagi"
t_start
peer_start frr "$MD5_FRR"
ok "md5: Full with FRR" wait_for 40 is_state Full
key_masked() { ! ctl show running-config | grep -q tsunagi; }
ok "md5: the key is masked in show running-config" key_masked
# The Hello is caught on our side as it arrives, then replayed once FRR
# has sent later ones (one a second): its sequence number is behind.
ok "md5: a Hello of FRR's caught as it arrives" \
	ip netns exec "$NT" python3 "$top/tests/tools/ospfpoke.py" tv capture \
	10.255.0.2 "$T/frr-hello.bin"
[ -s "$T/frr-hello.bin" ] ||
	diag "md5: our neighbour is $(jget "show ip ospf neighbor" neighbor-id)," \
		"FRR says: $(frr_vtysh "$NP" "$T/frr" "show ip ospf" | grep -i 'router id')"
sleep 2.5
# A later Hello of FRR's, caught too: its sequence number must be higher
# (RFC 2328 D.3 only forbids lower ones), and it is queued at our socket
# before the replay, so tsunagid has seen it by then.
ip netns exec "$NT" python3 "$top/tests/tools/ospfpoke.py" tv capture \
	10.255.0.2 "$T/frr-hello2.bin"
seqof() { od -An -tu4 --endian=big -j 20 -N 4 "$1" 2>/dev/null | tr -d ' '; }
s1=$(seqof "$T/frr-hello.bin")
s2=$(seqof "$T/frr-hello2.bin")
c0=$(counter drop-replay)
poke file 10.255.0.2 "$T/frr-hello.bin"
if [ -n "$s1" ] && [ -n "$s2" ] && [ "$s2" -gt "$s1" ]; then
	ok "md5: a Hello FRR sent 2.5 s ago, replayed: dropped, counted" \
		wait_for 10 counter_is drop-replay $((c0 + 1))
else
	ok "md5: FRR's sequence number rose in 2.5 s (${s1:-none} -> ${s2:-none})" false
fi
counter_is drop-replay $((c0 + 1)) ||
	diag "md5: drop-replay $c0 -> $(counter drop-replay)," \
		"drop-authentication $(counter drop-authentication), replayed seq $s1," \
		"FRR's later seq $s2, now $(date +%s);" \
		"$(ctl show ip ospf interface tv | grep -E '^ *(rx|drop)-' | tr -s ' ' | tr '\n' ' ')"
ok "md5: still Full" is_state Full
tconf "ip ospf authentication message-digest" \
	"ip ospf message-digest-key 1 md5 wrong"
ctl reload > /dev/null
ok "md5: a wrong key: the adjacency ends" wait_for 15 no_nbr
auth_counted() { [ "$(counter drop-authentication)" -gt 0 ]; }
# The reload ends the adjacency at once; FRR's next Hello (1 s) is the
# first packet to fail the new key.
ok "md5: ...and FRR's packets are counted as failing" wait_for 5 auth_counted
tconf "ip ospf authentication message-digest" \
	"ip ospf message-digest-key 1 md5 tsunagi"
ctl reload > /dev/null
ok "md5: the right key again: Full" wait_for 40 is_state Full
t_stop
peer_stop

# HMAC-SHA-256 (RFC 5709) with BIRD, which speaks it; a wrong key not.
tconf "ip ospf authentication message-digest" \
	"ip ospf message-digest-key 1 hmac-sha-256 tsunagi-hmac-key"
t_start
peer_start bird 'authentication cryptographic; password "tsunagi-hmac-key" { id 1; algorithm hmac sha256; };'
ok "hmac-sha-256: Full with BIRD" wait_for 40 is_state Full
ok "hmac-sha-256: BIRD has us Full" wait_for 10 peer_full
tconf "ip ospf authentication message-digest" \
	"ip ospf message-digest-key 1 hmac-sha-256 another-key"
ctl reload > /dev/null
ok "hmac-sha-256: a wrong key: the adjacency ends" wait_for 15 no_nbr
ok "hmac-sha-256: ...counted" wait_for 5 auth_counted
t_stop
peer_stop

# tsunagid as its own neighbour: another one in the neighbour's
# namespace, behind a bridge there, so that its link can go down while
# ours keeps its carrier, as when the far end of a tunnel replaces its SA
# (a renumbered house).  Back 2.2 s later, within our dead interval and
# past its own MinLSInterval, it sends a Hello that does not list us (1-WayReceived), we
# answer at once, and both are Full again moments later.  Our router-LSA
# goes on saying the link is there (orig.c): no instance goes out for
# the bounce, so none makes the next wait a MinLSInterval, and its
# routes come back with its own router-LSA, which says its interface
# is up and its neighbour Full in one instance.
ip -n "$NP" addr flush dev pv
ip -n "$NP" link add br0 type bridge
ip -n "$NP" link add b0 type veth peer name b1
ip -n "$NP" link set pv master br0
ip -n "$NP" link set b1 master br0
ip -n "$NP" link add lanb type veth peer name lanc
ip -n "$NP" link set lanc up
ip -n "$NP" addr add 10.0.12.2/30 dev b0
ip -n "$NP" addr add 192.168.3.1/24 dev lanb
for l in br0 b1 b0 lanb; do ip -n "$NP" link set "$l" up; done
cat > "$T/b.conf" <<-EOF
	hostname jikka
	interface b0
	  ip ospf network point-to-point
	  ip ospf hello-interval 1
	  ip ospf dead-interval 4
	!
	ip router ospf 1
	  router-id 10.255.0.2
	  area 0
	  network b0 area 0
	  network lanb area 0
	  passive-interface lanb
EOF
chmod 600 "$T/b.conf"
tconf
t_start
ip netns exec "$NP" "$build/tsunagid" -d -v -f "$T/b.conf" -s "$T/b.sock" \
	-p "$T/b.pid" 2>> "$T/b.log" &
bpid=$!
# rtr_seq SOCK RID: the sequence number of RID's router-LSA in the
# database of the tsunagid at SOCK; our_seq: ours in ours, b_seq: its
# own in the other's.
rtr_seq() {
	"$build/tsunagictl" -s "$1" --json show ip ospf database | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r.get("type") == "router" and r.get("adv-router") == sys.argv[1]:
        print(r["seq"])' "$2"
}
our_seq() { rtr_seq "$SOCK" 10.255.0.1; }
b_seq() { rtr_seq "$T/b.sock" 10.255.0.2; }
# logged_since LINE PATTERN: our log has PATTERN (grep -E) from line LINE.
logged_since() { tail -n "+$1" "$T/tsunagid.log" | grep -qE -e "$2"; }
we_route_b() {
	ip -n "$NT" -4 route show proto 213 | grep -q "^192.168.3.0/24 via 10.0.12.2 dev tv"
}
ok "tsunagi: Full with another tsunagid" wait_for 40 is_state Full
ok "tsunagi: we route its LAN via it" wait_for 15 we_route_b
sleep 1.5 # our MinLSInterval, from our Full
seq0=$(our_seq)
hl=$(($(wc -l < "$T/tsunagid.log") + 1))
ip -n "$NP" link set b0 down
sleep 2.2
bseq0=$(b_seq)
t1=$(now)
ip -n "$NP" link set b0 up
ok "tsunagi: its Hello without us: 1-WayReceived" wait_for 10 logged_since "$hl" \
	"ospf: tv: neighbour 10.255.0.2: Full -> Init .1-WayReceived."
ok "tsunagi: ...and Full again" wait_for 20 logged_since "$hl" "-> Full"
ok "tsunagi: we route its LAN via it again" wait_for 15 we_route_b
diag "tsunagi: our route back $(since "$t1") s after its link came up"
sleep 1.5
ok "tsunagi: our router-LSA is the one from before ($seq0)" \
	[ "$(our_seq)" = "$seq0" ]
# Its interface up, then Full moments later: one instance says both.
ok "tsunagi: the other's link back and its Full in one instance ($bseq0 + 1)" \
	[ $(($(b_seq))) = $((bseq0 + 1)) ]
stop_pid "$bpid"
bpid=
t_stop

ok "tsunagid logged no warning about itself, nor a sanitizer" \
	sh -c "! grep -E 'left at stop|out of memory|bug|Sanitizer|runtime error' $T/tsunagid.log $T/b.log"
tap_end
