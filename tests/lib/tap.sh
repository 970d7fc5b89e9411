# tap.sh: TAP helpers for the shell test suites (sourced).
# `ok NAME CMD...` runs CMD and prints one TAP line; `tap_end` prints the
# plan and returns non-zero if anything failed.
TAP_N=0
TAP_FAILED=0

ok() {
	_name=$1
	shift
	TAP_N=$((TAP_N + 1))
	if "$@" >"${TAP_LOG:-/dev/null}" 2>&1; then
		echo "ok $TAP_N - $_name"
	else
		echo "not ok $TAP_N - $_name"
		TAP_FAILED=$((TAP_FAILED + 1))
		[ -n "${TAP_LOG:-}" ] && sed 's/^/#   /' "$TAP_LOG" | tail -n 20
	fi
	return 0
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

diag() {
	echo "# $*"
}

tap_end() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	_t=$(($1 * 10))
	shift
	while [ $_t -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}

# _tap_alive PID: PID exists and is not a zombie waiting to be reaped (kill -0
# alone says yes to a zombie).
_tap_alive() {
	_st=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${_st#Z}" = "$_st" ]
}

# stop_pid PID [SECONDS]: SIGTERM, then wait (10 s by default) for PID to
# exit; returns its exit status (if it is our child).  A process still
# there then is reported (its wait channel, and its stack when gdb is
# there), killed with SIGKILL, and 124 returned: a daemon that does not
# end on SIGTERM fails its suite instead of hanging it in `wait`.
stop_pid() {
	_sp=$1
	_sn=$((${2:-10} * 10))
	kill -TERM "$_sp" 2>/dev/null || { wait "$_sp" 2>/dev/null; return; }
	while _tap_alive "$_sp" && [ "$_sn" -gt 0 ]; do
		sleep 0.1
		_sn=$((_sn - 1))
	done
	if _tap_alive "$_sp"; then
		echo "# pid $_sp still running ${2:-10} s after SIGTERM:" \
			"$(ps -o stat=,wchan:24=,args= -p "$_sp")" >&2
		command -v gdb >/dev/null 2>&1 &&
			gdb -p "$_sp" -batch -ex 'thread apply all bt' 2>/dev/null |
			grep -E '^(#|Thread)' | sed 's/^/#   /' >&2
		kill -KILL "$_sp" 2>/dev/null
		wait "$_sp" 2>/dev/null
		return 124
	fi
	wait "$_sp" 2>/dev/null
}
