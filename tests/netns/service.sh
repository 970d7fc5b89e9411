#!/bin/sh
# service.sh: tsunagid as systemd runs it (tsunagid.service), with a
# stand-in for the manager's end (tests/tools/notifyd.py): Type=notify
# (READY=1 only once the control socket answers, from the main pid, no
# fork), reload and stop notifications, watchdog pings, the log on the
# journal's stream, the unit's capability bounding set and its group for
# the control socket.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "1..0 # SKIP needs root and setpriv"
	exit 0
fi

T=$(mktemp -d /tmp/tsunagi-service.XXXXXX)
chmod 755 "$T"
TAP_LOG=$T/tap.log
RUN=$T/run
SOCK=$RUN/tsunagid.sock
PID=$RUN/tsunagid.pid
NOTES=$T/notify.log
CTL="$build/tsunagictl -s $SOCK"
GID=4242 # the tsunagi group of this suite's own /etc/group
dpid=
npid=

cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

printf 'hostname home\n' > "$T/tsunagi.conf"
chmod 600 "$T/tsunagi.conf"
{ cat /etc/group; echo "tsunagi:x:$GID:"; } > "$T/group"
mkdir -p "$RUN"

python3 "$top/tests/tools/notifyd.py" "$T/notify" "$NOTES" "$SOCK" &
npid=$!
wait_for 10 test -S "$T/notify" || echo "# notifyd did not start"

# run_service GID: start the daemon the way the unit does: a manager's
# NOTIFY_SOCKET and WATCHDOG_USEC, stderr on the "journal", only the three
# network capabilities in the bounding set, no_new_privs, group GID.  Its
# own network namespace, and a mount namespace where /etc/group has a
# tsunagi group.  unshare, sh and setpriv all exec: $! is the daemon.
run_service() {
	: > "$T/err"
	NOTIFY_SOCKET=$T/notify WATCHDOG_USEC=${WD:-400000} \
	JOURNAL_STREAM=$(stat -c '%d:%i' "$T/err") \
	unshare -n -m --propagation private sh -c '
		mount --bind "$1" /etc/group
		shift
		exec setpriv --bounding-set=-all,+net_admin,+net_raw,+net_bind_service \
			--no-new-privs --regid="$1" --clear-groups "$2" \
			-f "$3" -s "$4" -p "$5"' \
		sh "$T/group" "$1" "$build/tsunagid" "${CONF:-$T/tsunagi.conf}" \
		"$SOCK" "$PID" 2>>"$T/err" &
	dpid=$!
}

has() { grep -q -- "$2" "$1"; }

run_service $GID
ok "READY=1 reaches the manager" wait_for 20 has "$NOTES" "READY=1"
ok "READY=1 comes from the daemon's own pid (no fork: NotifyAccess=main)" \
	has "$NOTES" "pid=$dpid READY=1"
ok "the control socket answers when READY=1 arrives" \
	sh -c "grep -A1 'READY=1' $NOTES | head -2 | grep -qx ctl=ok"
ok "STATUS= says it runs" has "$NOTES" "STATUS=running, 0 reloads"
ok "the pid file names the daemon" sh -c "test \"\$(cat $PID)\" = $dpid"
ok "watchdog: WATCHDOG=1 every half interval" \
	wait_for 10 sh -c "test \$(grep -c 'WATCHDOG=1' $NOTES) -ge 3"
ok "the unit's bounding set is enough: only the network capabilities, no_new_privs" \
	sh -c "grep -q '^CapEff:.*0000000000003400' /proc/$dpid/status && grep -q '^CapBnd:.*0000000000003400' /proc/$dpid/status && grep -q '^NoNewPrivs:.*1' /proc/$dpid/status"
ok "the control socket belongs to the tsunagi group, 0660" \
	sh -c "test \"\$(stat -c '%a %g' $SOCK)\" = '660 $GID'"
ok "the log goes to the journal's stream with priorities, no time stamps" \
	sh -c "grep -q '^<6>tsunagid .* started' $T/err && ! grep -q '^[0-9][0-9]:' $T/err"

ok "reload (ExecReload=tsunagictl reload) succeeds" $CTL reload
ok "reload: RELOADING=1 with MONOTONIC_USEC, then READY=1" \
	sh -c "grep -q 'RELOADING=1|MONOTONIC_USEC=[0-9]' $NOTES && awk '/RELOADING=1/ { r = 1 } r && /READY=1\\|STATUS=running, 1 reloads \\(last: ok\\)/ { f = 1 } END { exit !f }' $NOTES"
printf 'hostname home\nbogus line\n' > "$T/tsunagi.conf"
ok "a bad file: reload fails (exit 1), the daemon stays" \
	sh -c "$CTL reload; test \$? -eq 1 && kill -0 $dpid"
ok "a bad file: READY=1 again, STATUS= says so" \
	has "$NOTES" "STATUS=running, 1 reloads (last: $T/tsunagi.conf has errors"
printf 'hostname home\n' > "$T/tsunagi.conf"
kill -HUP "$dpid"
ok "SIGHUP reloads with the same notifications" \
	wait_for 10 has "$NOTES" "STATUS=running, 2 reloads (last: ok)"
ok "three RELOADING=1, each followed by READY=1" \
	sh -c "test \$(grep -c 'RELOADING=1' $NOTES) -eq 3 && test \$(grep -c 'READY=1' $NOTES) -eq 4"

stop_pid "$dpid"
rc=$?
ok "SIGTERM (systemctl stop): exit 0" test "$rc" -eq 0
dpid=
ok "SIGTERM: STOPPING=1" has "$NOTES" "STOPPING=1"
ok "SIGTERM: socket and pid file removed" sh -c "! test -e $SOCK && ! test -e $PID"

# Root, but not in the group, and without CAP_CHOWN: the socket stays
# root's alone, and the log says why.
: > "$NOTES"
run_service 0
ok "not in the tsunagi group: still starts" wait_for 20 has "$NOTES" "READY=1"
ok "not in the tsunagi group: socket 0600, and the log says why" \
	sh -c "test \"\$(stat -c %a $SOCK)\" = 600 && grep -q 'cannot give it to group tsunagi' $T/err"
stop_pid "$dpid"
dpid=

# A file with errors at start: the manager hears why, never READY=1.
: > "$NOTES"
printf 'bogus\n' > "$T/bad.conf"
CONF=$T/bad.conf run_service $GID
wait "$dpid"
rc=$?
dpid=
ok "a bad file at start: exit 1" test "$rc" -eq 1
ok "a bad file at start: STATUS= says so, no READY=1" \
	sh -c "grep -q 'STATUS=.*bad.conf has errors, not starting' $NOTES && ! grep -q READY=1 $NOTES"
ok "a bad file at start: the error is in the journal at warning priority" \
	grep -q "^<4>.*bad.conf:1:" "$T/err"

tap_end
