#!/bin/sh
# daemon.sh: tsunagid's life cycle and control socket on the host kernel:
# start, status (text and JSON), hostile and slow clients, a second daemon,
# reload of a bad file, daemon mode, and a SIGTERM that leaves nothing behind.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"

T=$(mktemp -d /tmp/tsunagi-daemon.XXXXXX)
TAP_LOG=$T/tap.log
SOCK=$T/run/tsunagid.sock
PID=$T/run/tsunagid.pid
# Its own network namespace: the daemon's xfrm module cleans up leftovers
# at start, and a test must not touch the host's tables.
D="unshare -n $build/tsunagid"
CTL="$build/tsunagictl -s $SOCK"
POKE="python3 $top/tests/tools/ctlpoke.py"
dpid=

cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	[ -f "$T/bg.pid" ] && kill "$(cat "$T/bg.pid")" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

printf '! an empty configuration\nhostname home\n' > "$T/tsunagi.conf"
chmod 600 "$T/tsunagi.conf"

has() { grep -q -- "$2" "$1"; }
alive() { kill -0 "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

ok "config check passes on a minimal file" \
	sh -c "$build/tsunagid -n -f $T/tsunagi.conf | grep -qx 'configuration OK'"

$D -d -f "$T/tsunagi.conf" -s "$SOCK" -p "$PID" 2>"$T/daemon.log" &
dpid=$!
ok "daemon starts in the foreground and opens its socket" wait_for 10 test -S "$SOCK"
ok "pid file holds the daemon's pid" sh -c "test \"\$(cat $PID)\" = $dpid"
ok "only the network capabilities are kept" \
	sh -c "grep -q '^CapEff:.*0000000000003400' /proc/$dpid/status && grep -q '^CapBnd:.*0000000000003400' /proc/$dpid/status && grep -q '^NoNewPrivs:.*1' /proc/$dpid/status"
ok "socket is private (0600 without a tsunagi group)" \
	sh -c "getent group tsunagi >/dev/null || test \"\$(stat -c %a $SOCK)\" = 600"

$CTL show status > "$T/status.txt" 2>&1
ok "tsunagictl show status answers" has "$T/status.txt" "pid *$dpid"
ok "show status --json is valid JSON with the pid" $POKE json "$SOCK" "$dpid" $CTL
ok "show version names the libraries" sh -c "$CTL show version | grep -q libsodium"
ok "help lists the commands" sh -c "$CTL help | grep -q 'show status'"
ok "unknown command: error, exit 2" sh -c "$CTL frobnicate 2>&1 >/dev/null | grep -q 'unknown command'; $CTL frobnicate 2>/dev/null; test \$? -eq 2"
ok "too many arguments refused" sh -c "! $CTL show status extra 2>/dev/null"
ok "garbage request gets an error record" $POKE garbage "$SOCK"
ok "NUL in a request gets an error record" $POKE nul "$SOCK"
ok "oversized request refused, daemon keeps serving" $POKE oversized "$SOCK"
ok "pipelined requests answered in order" $POKE pipeline "$SOCK"
ok "50 clients at once all answered" $POKE many "$SOCK" 50
ok "silent and never-reading clients do not block others" $POKE stalled "$SOCK" $CTL
ok "daemon still alive after the abuse" alive "$dpid"

ok "no daemon: clear message, exit 3" sh -c "$build/tsunagictl -s $T/nope.sock show status 2>&1 | grep -q 'not running'; $build/tsunagictl -s $T/nope.sock show status 2>/dev/null; test \$? -eq 3"
if command -v setpriv >/dev/null; then
	chmod 755 "$T" "$T/run"
	ok "another user is denied with a clear message" sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups $build/tsunagictl -s $SOCK show status 2>&1 | grep -q 'permission denied'"
else
	skip "another user is denied" "setpriv not installed"
fi

$D -d -f "$T/tsunagi.conf" -s "$SOCK" -p "$PID" 2>"$T/second.log"
ok "a second daemon refuses to start" sh -c "test $? -eq 1 && grep -q 'already running' $T/second.log"
ok "and the first still answers" $POKE status "$SOCK"

cp "$T/tsunagi.conf" "$T/good.conf"
echo "this-is-not-a-command" >> "$T/tsunagi.conf"
kill -HUP "$dpid"
ok "reload of a bad file is refused and reported" wait_for 5 sh -c "$CTL show status | grep -q 'reload_failures *1'"
ok "reload via tsunagictl reports the error" sh -c "! $CTL reload 2>$T/reload.err && grep -q 'has errors' $T/reload.err"
cp "$T/good.conf" "$T/tsunagi.conf"
ok "reload of a good file succeeds" sh -c "$CTL reload | grep -q 'result *ok'"

stop_pid "$dpid"
rc=$?
ok "SIGTERM: the daemon exits" test "$rc" != 124
ok "exit status 0" test "$rc" -eq 0
ok "socket removed" test ! -e "$SOCK"
ok "pid file removed" test ! -e "$PID"
dpid=

ok "daemon mode returns once ready" $D -f "$T/tsunagi.conf" -s "$SOCK" -p "$PID"
cp "$PID" "$T/bg.pid" 2>/dev/null
ok "daemon mode answers status" $POKE status "$SOCK"
bg=$(cat "$T/bg.pid" 2>/dev/null)
kill -TERM "$bg" 2>/dev/null
ok "daemon mode: SIGTERM cleans up" wait_for 10 sh -c "! test -e $SOCK && ! test -e $PID"
rm -f "$T/bg.pid"

echo "hostname" > "$T/bad.conf"
$D -d -f "$T/bad.conf" -s "$SOCK" -p "$PID" 2>"$T/bad.log"
ok "bad config: exit 1 with file:line in the message" sh -c "test $? -eq 1 && grep -q 'bad.conf:1:' $T/bad.log"
ok "bad config: nothing left behind" sh -c "! test -e $SOCK && ! test -e $PID"
$D -f "$T/bad.conf" -s "$SOCK" -p "$PID" 2>"$T/bad2.log"
ok "bad config in daemon mode: exit 1, reason on stderr" sh -c "test $? -eq 1 && grep -q 'bad.conf:1:' $T/bad2.log"
$D -d -f "$T/missing.conf" -s "$SOCK" -p "$PID" 2>"$T/missing.log"
ok "missing config: exit 1 naming the file" sh -c "test $? -eq 1 && grep -q 'missing.conf' $T/missing.log"

# The Linux interfaces a file names need no block; -n looks at the kernel's
# links (here a namespace of its own with lan0 and wan6, no ppp0 yet).
cat > "$T/links.conf" <<'EOF'
ikev2 authentication psk id keyid home key char "0123456789abcdef-home"
ikev2 authentication psk id keyid jikka key char "0123456789abcdef-jikka"
ikev2 default-profile
  local-authentication psk id keyid home
interface Tunnel1.0
  tunnel mode ipsec-ikev2
  ip unnumbered lan0
  ikev2 outgoing-interface wan6
  ikev2 peer 2001:db8:2::2 authentication psk id keyid jikka
  no shutdown
ip route 192.168.2.0/24 Tunnel1.0
EOF
sed -e 's/unnumbered lan0/unnumbered lna0/' \
	-e 's/outgoing-interface wan6/outgoing-interface ppp0/' \
	"$T/links.conf" > "$T/links2.conf"
chmod 600 "$T/links.conf" "$T/links2.conf"
# links_check FILE: tsunagid -n FILE beside lan0 and wan6; output in links.out
links_check() {
	unshare -n sh -c "ip link add lan0 type veth peer name wan6 &&
		$build/tsunagid -n -f $1" > "$T/links.out" 2>&1
}
links_check "$T/links.conf"
ok "undeclared lan0 and wan6 that exist: accepted without a warning" \
	sh -c "! grep -q warning $T/links.out && test \"\$(tail -n 1 $T/links.out)\" = 'configuration OK'"
links_check "$T/links2.conf"
ok "a typo: a warning with the nearest name" has "$T/links.out" \
	'links2.conf:7:17: warning: ip unnumbered: interface "lna0" does not exist now; did you mean "lan0"?'
ok "ppp0 not there yet: a warning, not an error" sh -c \
	"grep -q 'interface \"ppp0\" does not exist now (used when it appears)' $T/links.out && grep -qx 'configuration OK' $T/links.out"

# The addresses a Linux block writes, against the kernel's while the daemon
# runs: the LAN renumbered under it (delete, then add, as networkd does)
# draws one warning, and numbered back, a note that they match again.
NS=tsunagi-dmn-$$
if [ "$(id -u)" = 0 ] && ip netns add "$NS" 2> /dev/null; then
	ip -n "$NS" link add lan0 type veth peer name lanp
	ip -n "$NS" link set lan0 up
	ip -n "$NS" addr add 192.168.1.1/24 dev lan0
	printf 'hostname home\ninterface lan0\n  ip address 192.168.1.1/24\n' \
		> "$T/addrs.conf"
	chmod 600 "$T/addrs.conf"
	ip netns exec "$NS" "$build/tsunagid" -d -f "$T/addrs.conf" \
		-s "$SOCK" -p "$PID" 2> "$T/addrs.log" &
	dpid=$!
	ok "daemon with lan0's address written starts" wait_for 10 $CTL show status
	mismatch="addrs.conf:2: warning: interface lan0: \"ip address 192.168.1.1/24\" is not the kernel's (lan0 has 192.168.1.254/24); tsunagid uses the kernel's"
	ok "the addresses match: no warning" sh -c "! grep -q warning $T/addrs.log"
	ip -n "$NS" addr del 192.168.1.1/24 dev lan0
	ip -n "$NS" addr add 192.168.1.254/24 dev lan0
	ok "LAN renumbered: a warning naming both addresses" \
		wait_for 10 has "$T/addrs.log" "$mismatch"
	ip -n "$NS" addr add 192.168.7.1/24 dev lan0
	sleep 2
	ip -n "$NS" addr del 192.168.7.1/24 dev lan0
	sleep 2
	ok "said once, not at every change of the kernel's" \
		test "$(grep -c 'is not the kernel' "$T/addrs.log")" = 1
	ip -n "$NS" addr add 192.168.1.1/24 dev lan0
	ok "numbered back: a note that they match again" \
		wait_for 10 has "$T/addrs.log" "interface lan0: the kernel's addresses match"
	ip -n "$NS" addr del 192.168.1.1/24 dev lan0
	ok "renumbered again: warned again" wait_for 10 sh -c \
		"test \$(grep -c 'is not the kernel' $T/addrs.log) = 2"
	stop_pid "$dpid"
	ok "and it stops cleanly" test $? = 0
	dpid=
	ip netns del "$NS"
else
	skip "addresses checked while running" "needs root and ip netns"
fi

tap_end
