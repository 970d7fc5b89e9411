#!/bin/sh
# xfrm.sh: the xfrm module against this machine's kernel, in a throw-away
# network namespace: what needs no ESP state (policies, SPI allocation,
# routes, rules, the address/link monitor, leftover cleanup) and the rule
# that nothing tsunagi did not install is ever touched.  TAP output.
#
#   tests/netns/xfrm.sh            (as root; XFRMCTL=path overrides)
#
# ESP SAs, XFRM interfaces and PPPoE need the VM: tests/vm/scenarios/xfrm.sh.

NS=tsxfrm-$$
TMP=$(mktemp -d /tmp/tsxfrm.XXXXXX)
N=0
FAILED=0
PIDS=""

if [ "$(id -u)" != 0 ] || ! ip netns add "$NS" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$TMP"
	exit 0
fi

cleanup() {
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	for p in $PIDS; do wait "$p" 2> /dev/null; done
	ip netns del "$NS" 2> /dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for x in "${XFRMCTL:-}" ./tests/tools/xfrmctl \
    "$(dirname "$0")/../tools/xfrmctl"; do
	if [ -n "$x" ] && [ -x "$x" ]; then
		XFRMCTL=$(readlink -f "$x")
		break
	fi
done
if [ ! -x "${XFRMCTL:-}" ]; then
	echo "Bail out! xfrmctl not built (make, or set XFRMCTL)"
	exit 1
fi

# t NAME CMD...: one TAP check; CMD's output becomes comments on failure.
t() {
	name=$1
	shift
	N=$((N + 1))
	if "$@" > "$TMP/out" 2>&1; then
		echo "ok $N - $name"
	else
		echo "not ok $N - $name"
		sed 's/^/#   /' "$TMP/out"
		FAILED=$((FAILED + 1))
	fi
}

nsx() { ip netns exec "$NS" "$@"; }
xc() { ip netns exec "$NS" "$XFRMCTL" "$@"; }
# fails WANT CMD...: CMD must fail and say WANT (a grep pattern)
fails() {
	want=$1
	shift
	if "$@" > "$TMP/f.out" 2>&1; then
		echo "succeeded but should have failed"
		return 1
	fi
	cat "$TMP/f.out"
	grep -q -- "$want" "$TMP/f.out"
}
# shows PATTERN CMD...: CMD's output matches PATTERN
shows() {
	pat=$1
	shift
	"$@" > "$TMP/s.out" 2>&1
	cat "$TMP/s.out"
	grep -q -- "$pat" "$TMP/s.out"
}
lacks() {
	pat=$1
	shift
	"$@" > "$TMP/s.out" 2>&1
	cat "$TMP/s.out"
	! grep -q -- "$pat" "$TMP/s.out"
}
# wait_line FILE PATTERN: up to 10 s for a monitor line
wait_line() {
	i=0
	while [ $i -lt 100 ]; do
		grep -q -- "$2" "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "no line matching '$2' in $1 (last lines):"
	tail -n 20 "$1"
	return 1
}
snapshot() {
	{
		nsx ip xfrm state
		nsx ip xfrm policy
		nsx ip -4 route show table all
		nsx ip -6 route show table all
		nsx ip -4 rule
		nsx ip -6 rule
		nsx ip -o link | sed 's/^[0-9]*: //'
	} > "$TMP/$1" 2>&1
}
same_as() {
	snapshot "$2"
	diff -u "$TMP/$1" "$TMP/$2"
}

R1=0x74730001
IF1=0x74730001
POL4="--sel-src 0.0.0.0/0 --sel-dst 0.0.0.0/0 --src 192.0.2.1 --dst 192.0.2.2"
POL6="--sel-src ::/0 --sel-dst ::/0 --src 2001:db8::2 --dst 2001:db8::1"

nsx ip link set lo up
nsx sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
nsx ip link add v0 type veth peer name v1
nsx ip link set v0 up
nsx ip link set v1 up
nsx ip addr add 192.0.2.1/24 dev v0
nsx ip -6 addr add 2001:db8::1/64 dev v0 nodad

# --- someone else's state: must survive everything below -----------------
nsx ip xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dir out \
	tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel reqid 5
nsx ip xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id 7 \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel reqid 5
nsx ip route add 10.8.0.0/16 dev v0 metric 50
nsx ip route add 10.7.0.0/16 dev v0 table 100 metric 50 proto static
nsx ip -6 route add 2001:db8:8::/48 dev v0 metric 50
nsx ip rule add from 192.0.2.1 table 201 priority 1000
snapshot before

# --- policies --------------------------------------------------------------
t "policy-add out, IPv4 any, if_id and template" \
	xc policy-add --dir out $POL4 --reqid $R1 --if-id $IF1 --prio 100
t "policy-add in and fwd, IPv6 any" sh -c \
	"ip netns exec $NS $XFRMCTL policy-add --dir in $POL6 --reqid $R1 --if-id $IF1 &&
	 ip netns exec $NS $XFRMCTL policy-add --dir fwd $POL6 --reqid $R1 --if-id $IF1"
t "the kernel lists them with if_id 0x74730001, reqid and template" sh -c \
	"ip -n $NS xfrm policy > $TMP/pol; cat $TMP/pol;
	 [ \$(grep -c 'if_id 0x74730001' $TMP/pol) = 3 ] &&
	 grep -q 'tmpl src 192.0.2.1 dst 192.0.2.2' $TMP/pol &&
	 grep -q 'reqid 1953693697 mode tunnel' $TMP/pol"
t "policy-add again replaces (idempotent)" \
	xc policy-add --dir out $POL4 --reqid $R1 --if-id $IF1 --prio 100
t "policy-del removes one" xc policy-del --dir fwd $POL6 --reqid $R1 --if-id $IF1
t "policy-del of a missing policy: readable NACK" \
	fails "delete policy fwd ::/0 -> ::/0 if_id 0x74730001 (XFRM_MSG_DELPOLICY): No such file" \
	xc policy-del --dir fwd $POL6 --reqid $R1 --if-id $IF1
t "a policy with a foreign if_id is refused before the kernel" \
	fails "if_id outside tsunagi's range" \
	xc policy-add --dir out $POL4 --reqid $R1 --if-id 7
t "policy-del cannot reach the foreign if_id 7 policy" \
	fails "outside tsunagi's range" xc policy-del --dir out $POL4 --reqid 5 --if-id 7

# --- SPI allocation and (larval) SAs --------------------------------------
# Larval SAs die by themselves after 30 s (the kernel's acquire timeout):
# keep them out of the snapshots.
FSPI=$(nsx ip xfrm state allocspi src 192.0.2.2 dst 192.0.2.1 proto esp \
	mode tunnel reqid 5 | awk '/spi/ { print $4; exit }')
t "spi-alloc returns an SPI in 0xc0000000-0xcfffffff" sh -c \
	"ip netns exec $NS $XFRMCTL spi-alloc --src 192.0.2.2 --dst 192.0.2.1 \
	    --reqid $R1 --if-id $IF1 > $TMP/spi; cat $TMP/spi;
	 grep -q '^0xc' $TMP/spi"
SPI=$(cat "$TMP/spi")
t "the larval SA carries reqid and if_id" \
	shows "reqid=0x74730001 if_id=0x74730001 .*larval=1" \
	xc sa-get --dst 192.0.2.1 --spi "$SPI"
t "counters of the larval SA read 0" \
	shows "^bytes=0 packets=0" xc counters --dst 192.0.2.1 --spi "$SPI"
t "sa-del of another daemon's SA (reqid 5) is refused" \
	fails "not tsunagi's" xc sa-del --dst 192.0.2.1 --spi "$FSPI"
t "sa-get of a missing SA: readable NACK" \
	fails "get SA spi 0x00001234 dst 192.0.2.1 (XFRM_MSG_GETSA): No such process" \
	xc sa-get --dst 192.0.2.1 --spi 0x1234
# This kernel has no ESP: the NACK must carry the kernel's words.  (A
# kernel with ESP takes the SA; then the check passes as well.)
t "sa-add: success or a NACK with the kernel's extended ack" sh -c \
	"ip netns exec $NS $XFRMCTL sa-add --src 192.0.2.1 --dst 192.0.2.2 --spi 0x1000 \
	    --alg gcm-aes-128 --key 0x0102030405060708090a0b0c0d0e0f1011121314 \
	    --reqid $R1 --if-id $IF1 --replay 32 --esn > $TMP/sa 2>&1 && exit 0;
	 cat $TMP/sa; grep -q '(XFRM_MSG_NEWSA): .*; kernel: \"' $TMP/sa"
t "no key bytes in that message" lacks "0102030405" cat "$TMP/sa"
t "sa-del of our larval SA" xc sa-del --dst 192.0.2.1 --spi "$SPI"
nsx ip xfrm state delete src 192.0.2.2 dst 192.0.2.1 proto esp spi "$FSPI"

# --- routes --------------------------------------------------------------------
t "route-add IPv4 via device, metric 50" \
	xc route-add --dst 10.9.0.0/16 --dev v0 --metric 50
t "route-add IPv6 in table 100" \
	xc route-add --dst 2001:db8:9::/48 --dev v0 --table 100 --metric 10
t "route-add of a blackhole" \
	xc route-add --dst 10.66.0.0/16 --type blackhole --table 100
t "the kernel shows them with proto 213" sh -c \
	"ip -n $NS -4 route show table all proto 213 > $TMP/r; ip -n $NS -6 route show table all proto 213 >> $TMP/r; cat $TMP/r;
	 [ \$(wc -l < $TMP/r) = 3 ]"
t "route-add twice: EEXIST" fails "File exists" \
	xc route-add --dst 10.9.0.0/16 --dev v0 --metric 50
t "route-replace of our route: new gateway" sh -c \
	"ip netns exec $NS $XFRMCTL route-replace --dst 10.9.0.0/16 --via 192.0.2.2 --metric 50 &&
	 ip -n $NS route show 10.9.0.0/16 | tee /dev/stderr | grep -q 'via 192.0.2.2 dev v0 proto 213 metric 50'"
t "route-replace over a route not ours is refused" \
	fails "a route tsunagi did not install" \
	xc route-replace --dst 10.8.0.0/16 --dev v0 --metric 50
t "route-del of a route not ours: the kernel finds none of proto 213" \
	fails "(RTM_DELROUTE): No such process" \
	xc route-del --dst 10.8.0.0/16 --metric 50
t "route-del of a static route in table 100: refused too" \
	fails "No such process" xc route-del --dst 10.7.0.0/16 --table 100
t "route-del of ours" xc route-del --dst 10.66.0.0/16 --type blackhole --table 100
t "an unreachable gateway: NACK names the kernel's complaint" \
	fails "(RTM_NEWROUTE): .*kernel: \"" \
	xc route-add --dst 10.10.0.0/16 --via 203.0.113.1 --dev v0

# --- rules and source routing ------------------------------------------------
t "rule-add IPv4 and IPv6 (proto 213)" sh -c \
	"ip netns exec $NS $XFRMCTL rule-add --from 192.0.2.1 --table 200 --prio 1000 &&
	 ip netns exec $NS $XFRMCTL rule-add --from 2001:db8::1/128 --table 200 --prio 1000 &&
	 ip -n $NS rule | tee /dev/stderr | grep -q 'from 192.0.2.1 lookup 200 proto 213' &&
	 ip -n $NS -6 rule | grep -q 'from 2001:db8::1 lookup 200 proto 213'"
t "rule-del leaves the foreign rule at the same priority" sh -c \
	"ip netns exec $NS $XFRMCTL rule-del --from 192.0.2.1 --table 200 --prio 1000 &&
	 ip -n $NS rule | tee /dev/stderr | grep -q '1000:.*lookup 201' &&
	 ! ip -n $NS rule | grep -q 'lookup 200'"
t "rule-del of the foreign rule (no proto 213) is refused by the kernel" \
	fails "(RTM_DELRULE)" xc rule-del --from 192.0.2.1 --table 201 --prio 1000
nsx ip addr add 192.0.2.10/24 dev v0
nsx ip addr add 192.0.2.11/24 dev v0
t "srcroute-add: traffic from the PPPoE address leaves by its link" sh -c \
	"ip netns exec $NS $XFRMCTL srcroute-add --from 192.0.2.10 --dev v0 --table 300 --prio 900 &&
	 ip -n $NS route get 203.0.113.5 from 192.0.2.10 | tee /dev/stderr | grep -q 'dev v0 table 300' &&
	 ip -n $NS route show table 300 | tee /dev/stderr | grep -q 'default dev v0 proto 213'"
t "renumbering: new address added, old removed, table stays" sh -c \
	"ip netns exec $NS $XFRMCTL srcroute-add --from 192.0.2.11 --dev v0 --table 300 --prio 900 &&
	 ip netns exec $NS $XFRMCTL srcroute-del --from 192.0.2.10 --dev v0 --table 300 --prio 900 &&
	 ip -n $NS rule | tee /dev/stderr | grep -q 'from 192.0.2.11 lookup 300' &&
	 ! ip -n $NS rule | grep -q 'from 192.0.2.10 ' &&
	 ip -n $NS route show table 300 | grep -q default"
t "the last source route takes its table's default route along" sh -c \
	"ip netns exec $NS $XFRMCTL srcroute-del --from 192.0.2.11 --dev v0 --table 300 --prio 900 &&
	 [ -z \"\$(ip -n $NS route show table 300)\" ]"
nsx ip addr del 192.0.2.10/24 dev v0
nsx ip addr del 192.0.2.11/24 dev v0

# --- monitor -------------------------------------------------------------------
# ip netns exec execs: $! is the monitor itself (not so through nsx, a
# function, which would put a subshell in between).
ip netns exec "$NS" "$XFRMCTL" monitor --timeout 60 > "$TMP/mon" 2>&1 &
MONPID=$!
PIDS="$PIDS $MONPID"
t "monitor: initial dump framed by sync begin/end" wait_line "$TMP/mon" "^sync end"
t "monitor: the dump lists v0's address" \
	shows "addr new ifindex=[0-9]* ifname=v0 family=inet addr=192.0.2.1/24" cat "$TMP/mon"
nsx ip link add v2 type veth peer name v3
nsx ip link set v2 up
nsx ip addr add 198.51.100.10/32 peer 198.51.100.1 dev v2
nsx ip -6 addr add 2001:db8:5::10/64 dev v2 nodad valid_lft 3600 preferred_lft 1800
nsx ip -6 addr change 2001:db8:5::10/64 dev v2 nodad valid_lft 3600 preferred_lft 0
t "monitor: link new for v2" wait_line "$TMP/mon" "^link new ifindex=[0-9]* ifname=v2 .*kind=veth"
t "monitor: a PPP-style address with its peer" \
	wait_line "$TMP/mon" "^addr new .*ifname=v2 family=inet addr=198.51.100.10/32 peer=198.51.100.1"
t "monitor: IPv6 address, name from the link, lifetimes" \
	wait_line "$TMP/mon" "^addr new .*ifname=v2 family=inet6 addr=2001:db8:5::10/64 .*valid=3600 preferred=1800"
t "monitor: the same address deprecated (preferred 0)" \
	wait_line "$TMP/mon" "^addr new .*addr=2001:db8:5::10/64 .* deprecated valid=3600 preferred=0"
nsx ip addr del 198.51.100.10/32 peer 198.51.100.1 dev v2
t "monitor: address removed" \
	wait_line "$TMP/mon" "^addr del .*addr=198.51.100.10/32"
nsx ip link del v2
t "monitor: link deleted" wait_line "$TMP/mon" "^link del ifindex=[0-9]* ifname=v2"

# ENOBUFS: freeze the monitor, bury it in events, thaw it: it must notice
# the loss and learn the state again by a dump.
kill -STOP "$MONPID"
i=0
while [ $i -lt 40 ]; do
	echo "addr add 10.99.$i.1/32 dev v1"
	i=$((i + 1))
done > "$TMP/batch1"
j=0
: > "$TMP/batch"
while [ $j -lt 300 ]; do
	cat "$TMP/batch1" >> "$TMP/batch"
	sed 's/ add / del /' "$TMP/batch1" >> "$TMP/batch"
	j=$((j + 1))
done
echo "addr add 10.98.0.1/32 dev v1" >> "$TMP/batch"
nsx ip -batch "$TMP/batch"
kill -CONT "$MONPID"
t "monitor: after an overrun, a second sync round" sh -c \
	"i=0; while [ \$i -lt 150 ]; do
	   [ \$(grep -c '^sync end' $TMP/mon) -ge 2 ] && exit 0; sleep 0.2; i=\$((i + 1)); done
	 grep -c '^sync' $TMP/mon; exit 1"
t "monitor: the resync shows the final address" \
	wait_line "$TMP/mon" "^addr new .*addr=10.98.0.1/32"
t "monitor: the kernel did overrun (the module said so)" \
	grep -q "dropped link/address events, resynchronising" "$TMP/mon"
nsx ip addr del 10.98.0.1/32 dev v1

# --- sockets -------------------------------------------------------------------
t "encap-listen: UDP_ENCAP and the bypass policies are accepted" \
	shows "^listening" xc encap-listen --port 4500 --hold 0
t "encap-listen on IPv6" shows "^listening" xc encap-listen --port 4500 --family 6 --hold 0

# --- leftovers -----------------------------------------------------------------
# What a crashed run leaves: our policies, larval SAs, routes, rules.
t "more leftovers: an SPI, routes and rules of ours" sh -c \
	"ip netns exec $NS $XFRMCTL spi-alloc --src 192.0.2.2 --dst 192.0.2.1 --reqid 0x74730005 --if-id 0x74730005 &&
	 ip netns exec $NS $XFRMCTL route-add --dst 10.20.0.0/16 --dev v0 --table 1234 &&
	 ip netns exec $NS $XFRMCTL rule-add --from 192.0.2.0/24 --table 1234 --prio 800 &&
	 ip -n $NS xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir in \
	   tmpl src 1.1.1.1 dst 2.2.2.2 proto esp mode tunnel reqid 0x74730099"
t "cleanup removes every one of them" \
	shows "^sa=1 policy=3 route=3 rule=2 link=0" xc cleanup
t "kernel tables are as they were before tsunagi" same_as before after
t "cleanup again finds nothing" shows "^sa=0 policy=0 route=0 rule=0 link=0" xc cleanup

echo "# $((N - FAILED)) passed, $FAILED failed"
echo "1..$N"
[ "$FAILED" = 0 ]
