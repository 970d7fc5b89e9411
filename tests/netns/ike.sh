#!/bin/sh
# ike.sh: two tsunagid on the host kernel, in two network namespaces
# joined by a veth, as far as IKE goes without ESP (this kernel has none):
#
#   - a wrong pre-shared key: AUTHENTICATION_FAILED on both ends, said
#     clearly, and neither key in any log line (debug level included);
#   - hostile datagrams on ports 500 and 4500 (random, truncated at every
#     length, oversized, an unknown critical payload): the daemon answers
#     what RFC 7296 says to answer, keeps running, keeps serving;
#   - reload with the right key: the tunnel is made anew and gets through
#     IKE_AUTH, up to installing the ESP SAs, which this kernel refuses;
#   - its outgoing interface loses its carrier (the veth's far end goes
#     down): said at once, no attempt while it lasts, and one at once
#     when the carrier is back;
#   - the responder runs under valgrind when it is installed: no error,
#     no leak through all of that.
#
#   tests/netns/ike.sh        (as root)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd)
. "$top/tests/lib/tap.sh"

A=tsike-home-$$
B=tsike-jikka-$$
T=$(mktemp -d /tmp/tsike.XXXXXX)
TAP_LOG=$T/tap.log
A6=2001:db8:77::1
B6=2001:db8:77::2
RIGHT="right key: home and jikka share it"
WRONG="wrong key: only home believes it"
POKE="python3 $top/tests/tools/ikepoke.py"
pids=

if [ "$(id -u)" != 0 ] || ! ip netns add "$A" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi

cleanup() {
	for p in $pids; do kill "$p" 2> /dev/null; done
	for p in $pids; do
		n=0
		while kill -0 "$p" 2> /dev/null && [ $n -lt 50 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -9 "$p" 2> /dev/null
	done
	ip netns del "$A" 2> /dev/null
	ip netns del "$B" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$B"
for ns in $A $B; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip -n "$ns" link set lo up
done
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" link set va up
ip -n "$B" link set vb up
ip -n "$A" addr add "$A6/64" dev va nodad
ip -n "$B" addr add "$B6/64" dev vb nodad

# conf ME PEER_ADDR CONNECT HOME_KEY LAN PEER_ID [TUNNEL_LINE]: one
# house's configuration.
conf() {
	cat > "$T/$1.conf" <<-EOF
		hostname $1-gw
		ikev2 authentication psk id keyid home key char "$4"
		ikev2 authentication psk id keyid jikka key char "$RIGHT"
		ikev2 default-profile
		  local-authentication psk id keyid $1
		  dpd-interval 2
		interface lan
		  ip address 192.168.$5.1/24
		interface Tunnel1.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ikev2 connect-type $3
		  ikev2 peer $2 authentication psk id keyid $6
		  ${7:-}
	EOF
	chmod 600 "$T/$1.conf"
}
conf home "$B6" auto "$WRONG" 1 jikka
conf jikka "$A6" click "$RIGHT" 2 home

VG=
# Not on a sanitizer build: valgrind and ASan do not mix.
if command -v valgrind > /dev/null && ! grep -q __asan_init "$build/tsunagid"; then
	VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --log-file=$T/valgrind.log"
fi

# start HOUSE NS [WRAPPER]
start() {
	mkdir -p "$T/run-$1"
	ip netns exec "$2" ${3:-} "$build/tsunagid" -d -v -f "$T/$1.conf" \
		-s "$T/run-$1/sock" -p "$T/run-$1/pid" > "$T/$1.log" 2>&1 &
	eval "pid_$1=$!"
	pids="$pids $!"
}
ctl() {
	_h=$1
	shift
	"$build/tsunagictl" -s "$T/run-$_h/sock" "$@"
}
sa() { ctl "$1" show ikev2 sa Tunnel1.0; }
said() { sa "$1" | grep -q -- "$2"; }
logged() { grep -q -- "$2" "$T/$1.log"; }
nolog() { ! grep -q -- "$2" "$T/$1.log"; }
no_up() {
	ctl home show ikev2 sa > "$T/sa.txt" && ! grep -q 'state *up' "$T/sa.txt"
}
no_keys() { ! grep -q -e 'wrong key' -e 'right key' "$@"; }
serving() { kill -0 "$pid_jikka" && ctl jikka show status > /dev/null; }
both_gone() {
	! kill -0 "$pid_home" 2> /dev/null && ! kill -0 "$pid_jikka" 2> /dev/null
}

start jikka "$B" "$VG"
ok "jikka's tsunagid answers" wait_for 30 ctl jikka show status
start home "$A"
ok "home's tsunagid answers" wait_for 10 ctl home show status

ok "wrong PSK: home is told AUTHENTICATION_FAILED" \
	wait_for 20 said home "AUTHENTICATION_FAILED"
ok "jikka says the peer's AUTH does not verify" \
	wait_for 10 logged jikka "does not verify"
ok "no tunnel" no_up
ok "neither key in home's log" no_keys "$T/home.log"
ok "neither key in jikka's log" no_keys "$T/jikka.log"

for port in 500 4500; do
	ok "port $port: 2000 random datagrams" \
		ip netns exec "$A" $POKE garbage "$B6" $port 2000
	ok "port $port: truncated at every length" \
		ip netns exec "$A" $POKE truncated "$B6" $port
	ok "port $port: oversized" ip netns exec "$A" $POKE oversized "$B6" $port
	ok "port $port: unknown critical payload answered UNSUPPORTED_CRITICAL_PAYLOAD" \
		ip netns exec "$A" $POKE critical "$B6" $port
done
ok "jikka is alive and serving after all that" serving

conf home "$B6" auto "$RIGHT" 1 jikka
ok "home reloads with the right key" ctl home reload
ok "jikka authenticates home this time (then this kernel refuses ESP)" \
	wait_for 30 logged jikka "ESP SA install failed"
ok "home authenticated jikka and hears of the failure" \
	wait_for 10 logged home "CHILD SA refused (notify 43)"
ok "still no key in any log" no_keys "$T/home.log" "$T/jikka.log"

# The carrier: home's tunnel leaves by va, whose far end goes down
# (keeping its address, as the provider's router would).
ip netns exec "$B" sysctl -qw net.ipv6.conf.vb.keep_addr_on_down=1
conf home "$B6" auto "$RIGHT" 1 jikka "ikev2 outgoing-interface va"
ok "home reloads with outgoing-interface va" ctl home reload
# heard: home's attempts that reached jikka (each ends where this kernel
# refuses ESP); heard_more N: more than N.
heard() { grep -c 'ESP SA install failed' "$T/jikka.log"; }
heard_more() { [ "$(heard)" -gt "$1" ]; }
ok "...and tries again (jikka hears it)" wait_for 30 heard_more 1
ip -n "$B" link set vb down
ok "va's far end down: home says va lost its carrier" \
	wait_for 10 logged home "Tunnel1.0: va lost its carrier: the tunnel is down"
ok "show ikev2 sa says why" wait_for 10 said home "va has no carrier"
attempts() { grep -c "ike: Tunnel1.0: initiating" "$T/home.log"; }
n=$(attempts)
sleep 3
ok "no attempt while there is no carrier (3 s: the first retry after a loss is due 2 to 3 s after it)" \
	[ "$(attempts)" = "$n" ]
ok "show ikev2 sa still says why" said home "va has no carrier"
f=$(heard)
ip -n "$B" link set vb up
ok "carrier back: said" wait_for 10 logged home "Tunnel1.0: va has its carrier back"
ok "...and home tries at once: jikka hears it" wait_for 10 heard_more "$f"

kill "$pid_home" "$pid_jikka"
ok "both exit on SIGTERM" wait_for 60 both_gone
if [ -n "$VG" ]; then
	wait "$pid_jikka"
	rc=$?
	vg_clean() { [ "$rc" = 0 ] && [ ! -s "$T/valgrind.log" ] || { cat "$T/valgrind.log"; false; }; }
	ok "valgrind: no error and no leak in jikka's tsunagid (exit $rc)" vg_clean
else
	skip "valgrind on the responder" "valgrind not installed"
fi
pids=
tap_end
