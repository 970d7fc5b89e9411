#!/bin/sh
# watch.sh: watch-groups on the host kernel, in namespaces of their own.
# A house H probes a neighbour P over a veth (wa) every 50 ms; P goes
# silent (nftables drops all it receives: no link event), the group goes
# down and its "ip shutdown-route" hands the route to the backup link
# (wb); P answers again and the route comes back.  The times from the cut
# to the withdrawal and from the repair to the return are printed.  Also:
# 40 ms of loss does not flap the group, nor answers 120 ms late (a slow
# line, not a dead one); replies with a foreign
# identifier, a wrong sequence or a wrong body never count; a probe named
# for wb never goes out of wa; IPv6 probes; reload and SIGTERM.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"

T=$(mktemp -d /tmp/tsunagi-watch.XXXXXX)
TAP_LOG=$T/tap.log
H=tsunagi-wh-$$
P=tsunagi-wp-$$
SOCK=$T/tsunagid.sock
dpid=

if [ "$(id -u)" != 0 ] || ! command -v nft > /dev/null ||
	! ip netns add "$H" 2> /dev/null; then
	echo "1..0 # SKIP needs root, nft and network namespaces"
	rm -rf "$T"
	exit 0
fi
ip netns add "$P"

cleanup() {
	if [ -n "$dpid" ]; then
		stop_pid "$dpid"
	fi
	ip netns del "$H" 2> /dev/null
	ip netns del "$P" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for n in "$H" "$P"; do
	ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip -n "$n" link set lo up
done
# P answers ARP only for the addresses of the link asked on: a probe
# through the wrong link must find nobody, not P's other interface.
ip netns exec "$P" sysctl -qw net.ipv4.conf.all.arp_ignore=1
for l in a b; do
	ip -n "$H" link add "w$l" type veth peer name "p$l" netns "$P"
	ip -n "$H" link set "w$l" up
	ip -n "$P" link set "p$l" up
done
ip -n "$H" addr add 10.1.0.1/30 dev wa
ip -n "$P" addr add 10.1.0.2/30 dev pa
ip -n "$H" addr add 10.2.0.1/30 dev wb
ip -n "$P" addr add 10.2.0.2/30 dev pb
ip -n "$H" addr add 2001:db8:a::1/64 dev wa
ip -n "$P" addr add 2001:db8:a::2/64 dev pa

cat > "$T/tsunagi.conf" << 'EOF2'
hostname home
ip route 10.9.0.0/24 wa
ip route 10.9.0.0/24 wb distance 100
ip route 10.8.0.0/24 wa
ip route 10.8.0.0/24 wb distance 100
ip route 10.7.0.0/24 wb
ip route 10.6.0.0/24 wa
ip route 10.6.0.0/24 wb distance 100
ipv6 route 2001:db8:9::/64 wa
ipv6 route 2001:db8:9::/64 wb distance 100
!
watch-group path 10
  event 10 ip unreach-host 10.1.0.2 wa source 10.1.0.1
  action 10 ip shutdown-route 10.9.0.0/24 wa
  action 11 ipv6 shutdown-route 2001:db8:9::/64 wa
  probe-timer wait 0.05
  probe-timer variance 0.05
  probe-timer restorer 0.05
!
watch-group path6 10
  event 10 ipv6 unreach-host 2001:db8:a::2 wa source wa
  action 10 ip shutdown-route 10.8.0.0/24 wa
  probe-timer wait 0.05
  probe-timer variance 0.05
  probe-timer restorer 0.05
!
watch-group wrong-way 10
  event 10 ip unreach-host 10.1.0.2 wb
  action 10 ip shutdown-route 10.7.0.0/24 wb
  probe-timer wait 0.05
  probe-timer variance 0.05
  probe-timer restorer 0.05
!
! the examples' fast entry: a probe every 10 ms, down after 4 lost
watch-group fast 10
  event 10 ip unreach-host 10.1.0.2 wa source 10.1.0.1
  action 10 ip shutdown-route 10.6.0.0/24 wa
  probe-timer wait 0.01
  probe-timer variance 0.01
  probe-timer restorer 0.05
  probe-counter variance 3
  probe-counter restorer 20
!
network-monitor fast enable
network-monitor path enable
network-monitor path6 enable
network-monitor wrong-way enable
EOF2
chmod 600 "$T/tsunagi.conf"

ctl() { "$build/tsunagictl" -s "$SOCK" "$@"; }
# wg GROUP FIELD: a field of the group's record in show watch-group.
wg() {
	ctl --json show watch-group "$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r.get("name") == sys.argv[1] and sys.argv[2] in r:
        print(r[sys.argv[2]]); break' "$1" "$2"
}
sock_field() {
	ctl --json show watch-group path | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r.get("family") == "ipv4":
        print(r[sys.argv[1]])' "$1"
}
state_is() { [ "$(wg "$1" state)" = "$2" ]; }
# via PREFIX DEV: our kernel route to PREFIX goes out of DEV.
via() {
	case $1 in *:*) _f=-6 ;; *) _f=-4 ;; esac
	ip -n "$H" $_f route show proto 213 "$1" | grep -q "dev $2 "
}
now() { date +%s.%N; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
# until_via PREFIX DEV: wait (10 s at most) for the route, as fast as ip runs.
until_via() {
	_n=0
	while ! via "$1" "$2"; do
		_n=$((_n + 1))
		[ $_n -gt 3000 ] && return 1
	done
	return 0
}
cut() { ip netns exec "$P" nft -f - << 'EOF2'
table inet cut {
	chain in {
		type filter hook input priority 0; policy accept;
		iifname "pa" drop
	}
}
EOF2
}
repair() { ip netns exec "$P" nft delete table inet cut; }

ip netns exec "$H" "$build/tsunagid" -d -v -f "$T/tsunagi.conf" -s "$SOCK" \
	-p "$T/tsunagid.pid" 2> "$T/tsunagid.log" &
dpid=$!
ok "tsunagid starts with four watch-groups" wait_for 10 ctl show watch-group
answered() { [ "$(wg path answered)" -gt 0 ] 2> /dev/null; }
ok "path: its probes are answered" wait_for 5 answered
ok "path: up" state_is path up
ok "path6 (ICMPv6, source wa): up" wait_for 5 state_is path6 up
ok "the routes go via wa" via 10.9.0.0/24 wa
ok "...the IPv6 one too" via 2001:db8:9::/64 wa
ctl show watch-group path | sed 's/^/# /'
ok "wrong-way: a probe named for wb does not take wa: down" \
	wait_for 5 state_is wrong-way down
ok "...and its route is withdrawn (no backup for it)" \
	sh -c "! ip -n $H -4 route show proto 213 10.7.0.0/24 | grep -q ."

# 40 ms of silence: one probe lost at most, never a flap.
c0=$(wg path changes)
l0=$(wg path lost)
cut
sleep 0.04
repair
sleep 0.5
ok "40 ms of loss: still up" state_is path up
ok "...no change of state" [ "$(wg path changes)" = "$c0" ]
diag "40 ms of loss: $(($(wg path lost) - l0)) probe(s) lost"
ok "...and the route stayed via wa" via 10.9.0.0/24 wa

# A slow line: every answer 120 ms late, with probes 50 ms apart, so
# that no round's own answer comes before the next round; each answer
# twice.  The path works: the late answers prove it, the copies count
# for nothing.
c0=$(wg path changes)
a0=$(wg path answered-late)
q0=$(wg path refused-sequence)
ip netns exec "$P" python3 "$top/tests/tools/slowecho.py" 120 3 2 &
slow=$!
sleep 0.5 # python is up: the kernel's replies may stop
ip netns exec "$P" sysctl -qw net.ipv4.icmp_echo_ignore_all=1
sleep 2
rtt=$(wg path rtt-max-us) # of the last 20 rounds, all answered late
ip netns exec "$P" sysctl -qw net.ipv4.icmp_echo_ignore_all=0
wait "$slow"
ok "answers 120 ms late, probes 50 ms apart: still up" state_is path up
ok "...no change of state" [ "$(wg path changes)" = "$c0" ]
late=$(($(wg path answered-late) - a0))
dup=$(($(wg path refused-sequence) - q0))
ok "...the rounds were answered late (2 s: about 40)" [ "$late" -ge 20 ]
ok "...each copy refused as answered already" [ "$dup" -ge 20 ]
ok "...and the round trip shown is the late answer's" [ "$rtt" -ge 120000 ]
diag "2 s of answers 120 ms late: $late rounds answered late, $dup copies refused"
ok "...and the route stayed via wa" via 10.9.0.0/24 wa
ok "fast (every 10 ms, answers late by 12 rounds): still up" state_is fast up
ok "...its route via wa" wait_for 2 via 10.6.0.0/24 wa

# The cut.
t0=$(now)
cut
ok "cut: fast's route moves to wb first" until_via 10.6.0.0/24 wb
diag "cut -> fast's route withdrawn from wa: $(ms_since "$t0") ms (probes every 10 ms, down after 1 + 3 lost)"
ok "cut: the route moves to wb (distance 100)" until_via 10.9.0.0/24 wb
diag "cut -> route withdrawn from wa: $(ms_since "$t0") ms (probes every 50 ms, down after 1 + 3 lost)"
ok "path: down" state_is path down
ok "path6 (ICMPv6): down too" wait_for 5 state_is path6 down
ok "10.8.0.0/24 (path6's action) moves to wb" wait_for 5 via 10.8.0.0/24 wb
ok "ipv6 shutdown-route: 2001:db8:9::/64 moves to wb" via 2001:db8:9::/64 wb
ok "show ip route says a watch-group shut it" \
	sh -c "$build/tsunagictl -s $SOCK show ip route | grep -q 'shut down by a watch-group'"
ok "the state change is logged with the group, its interface and the silence" \
	grep -q "watch-group path 10: wa: down, no answer for [0-9]* ms" "$T/tsunagid.log"
diag "$(grep -o "watch-group [a-z]* 10: wa: down, no answer for [0-9]* ms" "$T/tsunagid.log" | tail -n 2 | tr '\n' ';')"

# Replies nobody here asked for, from the silent target: none counts.
id=$(wg path identifier)
f0=$(sock_field replies-foreign)
ip netns exec "$P" python3 "$top/tests/tools/icmpforge.py" 10.1.0.1 \
	$(((id + 1) % 65536)) 1
more() { [ "$("$1" "$2")" -gt "$3" ] 2> /dev/null; }
ok "a reply with a foreign identifier is counted as foreign" \
	wait_for 3 more sock_field replies-foreign "$f0"
# Our identifier, a short body, and every sequence number from 100
# behind the round's to 400 ahead, three times over: each outstanding
# round is hit, and refused.
q=$(wg path sequence)
for i in 1 2 3; do
	ip netns exec "$P" python3 "$top/tests/tools/icmpforge.py" 10.1.0.1 \
		"$id" "$(((q + 65436) % 65536))-$(((q + 400) % 65536))" 4
done
path_field() { wg path "$1"; }
ok "replies with our identifier, sequence numbers around the round's: refused by sequence" \
	wait_for 3 more path_field refused-sequence 1000
rs=$(wg path refused-sequence)
rb=$(wg path refused-body)
diag "forged replies refused: $rs by sequence, $rb by body"
ok "...those whose sequence matched: refused by their body" [ "$rb" -gt 0 ]
ok "...and the group is still down" state_is path down
ok "...the route still via wb" via 10.9.0.0/24 wb

# A reload that changes the group while it is down keeps it down: a new
# timer must not put the route back on a dead path.
c0=$(wg path changes)
awk '/^watch-group path 10/ { g = 1 } /^!/ { g = 0 }
	g && /probe-timer restorer/ { $0 = "  probe-timer restorer 0.06" } 1' \
	"$T/tsunagi.conf" > "$T/new.conf" && cat "$T/new.conf" > "$T/tsunagi.conf"
ok "reload with path's restorer timer changed, while it is down" \
	sh -c "$build/tsunagictl -s $SOCK reload | grep -q 'result *ok'"
ok "...path is still down, no change counted" \
	sh -c "[ '$(wg path state)' = down ] && [ '$(wg path changes)' = $c0 ]"
ok "...now probing every 60 ms" [ "$(wg path interval-ms)" = 60 ]
sleep 0.3
ok "...and the route never came back to wa" via 10.9.0.0/24 wb

t0=$(now)
repair
ok "repair: the route comes back to wa" until_via 10.9.0.0/24 wa
diag "repair -> route back on wa: $(ms_since "$t0") ms (3 answers in a row at 60 ms)"
ok "path: up" state_is path up
ok "...and the IPv6 route is back on wa" wait_for 2 via 2001:db8:9::/64 wa
ok "path6: up" wait_for 5 state_is path6 up
ok "the state change is logged" \
	grep -q "watch-group path 10: wa: up" "$T/tsunagid.log"
ok "show watch-group: two changes, loss and round trips of the recent probes" \
	sh -c "[ $(wg path changes) -ge 2 ] && [ -n '$(wg path rtt-avg-us)' ]"

# "source wa": the address is looked up at each probe, so a renumbered
# interface is followed without a reload.
c0=$(wg path6 changes)
ip -n "$H" addr add 2001:db8:a::5/64 dev wa
ip -n "$H" addr del 2001:db8:a::1/64 dev wa
a0=$(wg path6 answered)
sleep 0.5
ok "wa renumbered (IPv6): path6's probes go from the new address, answered" \
	sh -c "[ $(wg path6 answered) -gt $((a0 + 3)) ] && [ '$(wg path6 state)' = up ] && [ '$(wg path6 changes)' = $c0 ]"

# Reload: an unchanged group keeps its state; a removed one undoes.
c0=$(wg path changes)
sed -i '/network-monitor wrong-way enable/d' "$T/tsunagi.conf"
ok "reload without wrong-way" sh -c "$build/tsunagictl -s $SOCK reload | grep -q 'result *ok'"
ok "path kept its state and count" [ "$(wg path changes)" = "$c0" ]
ok "wrong-way's route is back (nothing shuts it now)" \
	wait_for 3 via 10.7.0.0/24 wb
ok "a group that is not enabled: show says so" \
	sh -c "! $build/tsunagictl -s $SOCK show watch-group wrong-way"

stop_pid "$dpid"
rc=$?
dpid=
ok "SIGTERM: exit 0" [ "$rc" = 0 ]
ok "no route of ours left (IPv4 and IPv6)" \
	sh -c "! ip -n $H route show proto 213 | grep -q . && ! ip -n $H -6 route show proto 213 | grep -q ."
ok "tsunagid logged no sanitizer report nor bug" \
	sh -c "! grep -E 'Sanitizer|runtime error|bug' $T/tsunagid.log"
tap_end
