#!/bin/sh
# routes.sh: the route table (ospf/rib.c) on the host kernel, in a
# namespace of its own, with static routes over veth links: one kernel
# route per prefix and source, the best usable one; a link that goes down
# hands its prefixes to the next one; every change is make-before-break
# (the new route is in the kernel before the old one leaves); reload and
# SIGTERM leave nothing behind.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"

T=$(mktemp -d /tmp/tsunagi-routes.XXXXXX)
TAP_LOG=$T/tap.log
NS=tsunagi-rt-$$
SOCK=$T/tsunagid.sock
dpid=
mpid=

if [ "$(id -u)" != 0 ] || ! ip netns add "$NS" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi

cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2> /dev/null
	if [ -n "$dpid" ]; then
		stop_pid "$dpid"
	fi
	ip netns del "$NS" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	net.ipv6.conf.default.accept_dad=0
ip -n "$NS" link set lo up
for l in a b; do
	ip -n "$NS" link add "v$l" type veth peer name "p$l"
	ip -n "$NS" link set "p$l" up
	ip -n "$NS" link set "v$l" up
done
ip -n "$NS" addr add 10.1.0.1/30 dev va
ip -n "$NS" addr add 10.2.0.1/30 dev vb
ip -n "$NS" addr add 2001:db8:a::1/64 dev va
ip -n "$NS" addr add 2001:db8:b::1/64 dev vb

cat > "$T/tsunagi.conf" << 'EOF'
hostname home
ip route 10.9.0.0/24 va
ip route 10.9.0.0/24 vb distance 100
ipv6 route 2001:db8:9::/64 va
ipv6 route 2001:db8:9::/64 vb distance 100
ip route 10.7.0.0/24 va distance 7
ip route 10.7.0.0/24 vb distance 7
ip route 10.8.0.0/24 10.2.0.2 distance 5
EOF
chmod 600 "$T/tsunagi.conf"

ctl() { "$build/tsunagictl" -s "$SOCK" "$@"; }
# kroutes FAMILY PREFIX: tsunagi's kernel routes to PREFIX, one a line.
kroutes() { ip -n "$NS" "$1" route show proto 213 "$2" | sed 's/ *$//'; }
# only FAMILY PREFIX DEV METRIC: the kernel has exactly that route of ours.
only() {
	[ "$(kroutes "$1" "$2" | wc -l)" = 1 ] &&
		kroutes "$1" "$2" | grep -q "dev $3 .*metric $4"
}
# route FIELD PREFIX IFACE: a field of the route's show ip route record.
route() {
	ctl --json show ip route |
		grep -F "\"prefix\": \"$2\", \"interface\": \"$3\"" |
		sed -n "s/.*\"$1\": \"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"
}
is() { [ "$(route "$1" "$2" "$3")" = "$4" ]; }

ip netns exec "$NS" "$build/tsunagid" -d -f "$T/tsunagi.conf" -s "$SOCK" \
	-p "$T/tsunagid.pid" 2> "$T/tsunagid.log" &
dpid=$!
ok "tsunagid starts with static routes over two links" \
	wait_for 10 ctl show status
ok "10.9.0.0/24: one kernel route, the distance-1 one via va" \
	wait_for 5 only -4 10.9.0.0/24 va 1
ok "2001:db8:9::/64 too" only -6 2001:db8:9::/64 va 1
shows_va() {
	is source 10.9.0.0/24 va static && is state 10.9.0.0/24 va installed &&
		is active 10.9.0.0/24 va true
}
ok "show ip route: source static, installed, active" shows_va
ok "the distance-100 one waits, saying which is preferred" \
	is reason 10.9.0.0/24 vb "standby: line 2 (distance 1) is preferred"
first_of_equals() {
	only -4 10.7.0.0/24 va 7 && is state 10.7.0.0/24 vb standby
}
ok "equal distances: the first written goes in, the other waits" \
	first_of_equals
ok "a route via a gateway" only -4 10.8.0.0/24 vb 5
ctl show ip route | sed 's/^/# /'

# monitor: the kernel's route events from now on, in order, in $T/mon.
monitor() {
	ip -n "$NS" monitor route > "$T/mon" 2>&1 &
	mpid=$!
	sleep 0.3
}
unmonitor() { kill "$mpid" 2> /dev/null; wait "$mpid" 2> /dev/null; mpid=; }
# before A B: in the events, the first line matching A comes before the
# first matching B.
before() {
	awk -v a="$1" -v b="$2" '
		$0 ~ a && !ia { ia = NR } $0 ~ b && !ib { ib = NR }
		END { exit !(ia && ib && ia < ib) }' "$T/mon"
}

ip -n "$NS" link set va down
ok "va down: 10.9.0.0/24 moves to vb (distance 100)" \
	wait_for 5 only -4 10.9.0.0/24 vb 100
ok "IPv6 moves too" wait_for 5 only -6 2001:db8:9::/64 vb 100
ok "show ip route: va withdrawn, saying why" \
	is reason 10.9.0.0/24 va "interface va is down"
ok "equal distances: the other takes over" only -4 10.7.0.0/24 vb 7

monitor
ip -n "$NS" link set va up
ok "va up: back to va, and only va" wait_for 5 only -4 10.9.0.0/24 va 1
ok "IPv6 back too" wait_for 5 only -6 2001:db8:9::/64 va 1
sleep 0.3
unmonitor
sed 's/^/# /' "$T/mon"
ok "make before break: va's route in before vb's leaves (IPv4)" before \
	"^10.9.0.0/24 dev va" "^Deleted 10.9.0.0/24 dev vb"
ok "and IPv6" before "^2001:db8:9::/64 dev va" "^Deleted 2001:db8:9::/64 dev vb"

# Reload without the va routes: vb takes them over, again without a gap.
monitor
sed -i -e '/10.9.0.0\/24 va$/d' -e '/2001:db8:9::\/64 va$/d' "$T/tsunagi.conf"
ok "reload without the va routes" sh -c "$build/tsunagictl -s $SOCK reload | grep -q 'result *ok'"
ok "vb carries 10.9.0.0/24 now" wait_for 5 only -4 10.9.0.0/24 vb 100
sleep 0.3
unmonitor
ok "make before break on reload" before \
	"^10.9.0.0/24 dev vb" "^Deleted 10.9.0.0/24 dev va"
ok "the removed route is gone from show ip route" \
	test -z "$(route state 10.9.0.0/24 va)"

stop_pid "$dpid"
ok "SIGTERM: tsunagid exits" test $? = 0
dpid=
ok "no route of ours left (IPv4)" test -z "$(ip -n "$NS" -4 route show proto 213)"
ok "no route of ours left (IPv6)" test -z "$(ip -n "$NS" -6 route show proto 213)"
ok "no route left standing in for another at stop" \
	sh -c "! grep -q 'left at stop' $T/tsunagid.log"
grep -E 'route|ERROR|Sanitizer' "$T/tsunagid.log" | sed 's/^/# /'
tap_end
