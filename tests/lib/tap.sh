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
