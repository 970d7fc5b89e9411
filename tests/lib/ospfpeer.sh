# ospfpeer.sh: start and stop FRR (zebra + ospfd) and BIRD 2 as OSPF peers
# inside a network namespace, each instance with a private /run, /etc/frr
# and /var/tmp, so that several can run side by side and none touches the
# host's FRR or BIRD (whose systemd services stay off).  Sourced.
#
# Use it only inside tests/sandbox (fresh network namespace, private
# /run/netns), as root:
#
#   . tests/lib/ospfpeer.sh
#   ip netns add A
#   frr_start A /tmp/x/frrA "$(printf 'router ospf\n ospf router-id 10.255.0.1\n')"
#   frr_vtysh A /tmp/x/frrA 'show ip ospf neighbor'
#   frr_wait_full A /tmp/x/frrA 30 # until a neighbour is Full (or time-out)
#   frr_stop /tmp/x/frrA
#   bird_start B /tmp/x/birdB "$(cat my-bird.conf)"
#   bird_cmd /tmp/x/birdB show ospf neighbors
#   bird_wait_full /tmp/x/birdB 30
#   bird_stop /tmp/x/birdB
#
# tests/tools/ospf-capture is a complete user (veth, LANs, configurations
# of both daemons for point-to-point links with 1 s hellos).  POSIX sh has
# no local variables: the functions use globals named _*.
#
# What an FRR instance is (FRR 8.4; DIR is any empty directory):
#   DIR/etc/frr.conf   the CONFTEXT, integrated (zebra and ospfd parts in one)
#   DIR/run/           /run/frr inside: vty sockets, zserv.api, *.pid, *.log
#   DIR/tmp/           /var/tmp inside (FRR keeps its crash logs there)
# The commands, run by frr_start, are in effect:
#   ip netns exec NS unshare -m --propagation private sh -c '
#     mount -t tmpfs -o mode=755 ospfpeer /run       # hides the host /run
#     mkdir -p /run/frr
#     mount --bind DIR/run /run/frr                  # also /var/run/frr
#     mount --bind DIR/etc /etc/frr
#     mount --bind DIR/tmp /var/tmp
#     /usr/lib/frr/zebra -d -u frr -g frr -P 0 -i /run/frr/zebra.pid \
#       -z /run/frr/zserv.api --vty_socket /run/frr \
#       --log file:/run/frr/zebra.log --log-level debugging
#     /usr/lib/frr/ospfd -d (same options, ospfd.pid, ospfd.log; and so
#       each daemon of FRR_DAEMONS, bfdd before ospfd for BFD)
#     vtysh -b                                       # loads /etc/frr/frr.conf'
# -d daemonises, so the mount namespace lives on as long as the daemons do
# (nothing else holds it) and dies with them.  -P 0: no TCP vty.  The
# daemons start with no configuration file of their own (zebra.conf and
# ospfd.conf do not exist, so they wait for vtysh, as under frrinit.sh),
# then `vtysh -b` (with `service integrated-vtysh-config` in
# DIR/etc/vtysh.conf) pushes frr.conf into both.  DIR/run belongs to frr,
# which the daemons drop to.  Later vtysh calls enter the same mount and
# network namespaces with nsenter -t $(cat DIR/run/zebra.pid) -m -n.
#
# What a BIRD instance is (BIRD 2.0):
#   DIR/etc/bird.conf  log "/run/bird/bird.log" all;  then the CONFTEXT
#   DIR/run/           /run/bird inside: bird.ctl, bird.pid, bird.log
#   ip netns exec NS unshare -m --propagation private sh -c '
#     mount -t tmpfs -o mode=755 ospfpeer /run; mkdir /run/bird
#     mount --bind DIR/run /run/bird
#     bird -c DIR/etc/bird.conf -s /run/bird/bird.ctl -P /run/bird/bird.pid'
# BIRD daemonises by itself and runs as root (no -u).  The control socket
# is reachable from outside at DIR/run/bird.ctl: birdc -s DIR/run/bird.ctl.
#
# Every function returns non-zero, with a line on stderr, when something
# does not come up (for FRR also when vtysh -b rejects a line of the
# configuration); the *_stop functions kill by the PIDs in DIR/run/*.pid
# only, and wait until they are gone; call them after a failed start too
# (FRR may be running with half a configuration).

OSPFPEER_FRR=${OSPFPEER_FRR:-/usr/lib/frr}
# The daemons frr_start runs after zebra, in this order: "bfdd ospfd" for
# OSPF with BFD.
FRR_DAEMONS=${FRR_DAEMONS:-ospfd}

# _ospfpeer_wait SECONDS CMD...: retry CMD every 0.2 s until it succeeds.
_ospfpeer_wait() {
	_w_n=$(($1 * 5))
	shift
	while [ "$_w_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		_w_n=$((_w_n - 1))
	done
	return 1
}

_ospfpeer_alive() {
	[ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# frr_start NS DIR CONFTEXT: zebra and FRR_DAEMONS (ospfd) in network
# namespace NS, with DIR as their /run/frr, /etc/frr and /var/tmp (see
# above); CONFTEXT is the integrated frr.conf.  Returns once all run and
# the configuration is in.
frr_start() {
	_ns=$1 _dir=$2 _conf=$3
	mkdir -p "$_dir/etc" "$_dir/run" "$_dir/tmp" || return 1
	_dir=$(cd "$_dir" && pwd)
	printf '%s\n' "$_conf" >"$_dir/etc/frr.conf"
	printf 'service integrated-vtysh-config\n' >"$_dir/etc/vtysh.conf"
	chown -R frr:frr "$_dir/etc" "$_dir/run"
	chmod 750 "$_dir/etc" "$_dir/run"
	chmod 640 "$_dir/etc/frr.conf" "$_dir/etc/vtysh.conf"
	chmod 1777 "$_dir/tmp"
	_opts="-d -u frr -g frr -P 0 -z /run/frr/zserv.api --vty_socket /run/frr --log-level debugging"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$_ns" unshare -m --propagation private sh -c '
		set -e
		mount -t tmpfs -o mode=755 ospfpeer /run
		mkdir -p /run/frr
		mount --bind "$1/run" /run/frr
		mount --bind "$1/etc" /etc/frr
		mount --bind "$1/tmp" /var/tmp
		"$2/zebra" $3 -i /run/frr/zebra.pid --log file:/run/frr/zebra.log
		n=50; while [ ! -S /run/frr/zserv.api ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n-1)); done
		for d in $4; do
			"$2/$d" $3 -i /run/frr/$d.pid --log file:/run/frr/$d.log
			n=50; while [ ! -S /run/frr/$d.vty ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n-1)); done
		done
		vtysh -b
	' frr_start "$_dir" "$OSPFPEER_FRR" "$_opts" "$FRR_DAEMONS" >"$_dir/start.log" 2>&1
	_r=$?
	_alive=1
	for _d in zebra $FRR_DAEMONS; do
		_ospfpeer_alive "$_dir/run/$_d.pid" || _alive=0
	done
	if [ $_r -ne 0 ] || [ $_alive = 0 ]; then
		echo "frr_start $_ns: FRR did not come up (see $_dir/start.log, $_dir/run/*.log)" >&2
		sed 's/^/  /' "$_dir/start.log" >&2
		return 1
	fi
	return 0
}

# frr_vtysh NS DIR CMD...: run vtysh -c CMD (each argument one -c) in the
# mount and network namespaces of the FRR instance in DIR.  NS is checked
# against the instance's network namespace.
frr_vtysh() {
	_ns=$1 _dir=$2
	shift 2
	_pid=$(cat "$_dir/run/zebra.pid" 2>/dev/null) || {
		echo "frr_vtysh: no FRR in $_dir" >&2
		return 1
	}
	if [ "$(ip netns identify "$_pid" 2>/dev/null)" != "$_ns" ]; then
		echo "frr_vtysh: FRR in $_dir is not in namespace $_ns" >&2
		return 1
	fi
	_n=$#
	for _c in "$@"; do set -- "$@" -c "$_c"; done
	shift "$_n"
	nsenter -t "$_pid" -m -n vtysh "$@"
}

# frr_stop DIR: SIGTERM the daemons, zebra last (by their pid files),
# wait for them.
frr_stop() {
	_dir=$1
	for _d in bfdd ospfd zebra; do
		_p=$_dir/run/$_d.pid
		[ -s "$_p" ] || continue
		_pid=$(cat "$_p")
		kill "$_pid" 2>/dev/null || continue
		_ospfpeer_wait 10 sh -c "! kill -0 $_pid" ||
			{ kill -9 "$_pid" 2>/dev/null; sleep 0.2; }
	done
	return 0
}

# frr_wait_full NS DIR SECONDS: wait until `show ip ospf neighbor` lists a
# neighbour in state Full.
frr_wait_full() {
	_f_n=$(($3 * 5))
	while [ "$_f_n" -gt 0 ]; do
		frr_vtysh "$1" "$2" "show ip ospf neighbor" 2>/dev/null | grep -q "Full/" && return 0
		sleep 0.2
		_f_n=$((_f_n - 1))
	done
	return 1
}

# bird_start NS DIR CONFTEXT: BIRD 2 in network namespace NS with DIR/run
# as its /run/bird; CONFTEXT is bird.conf (a log line is put first).
bird_start() {
	_ns=$1 _dir=$2 _conf=$3
	mkdir -p "$_dir/etc" "$_dir/run" || return 1
	_dir=$(cd "$_dir" && pwd)
	printf 'log "/run/bird/bird.log" all;\n%s\n' "$_conf" >"$_dir/etc/bird.conf"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$_ns" unshare -m --propagation private sh -c '
		set -e
		mount -t tmpfs -o mode=755 ospfpeer /run
		mkdir -p /run/bird
		mount --bind "$1/run" /run/bird
		bird -c "$1/etc/bird.conf" -s /run/bird/bird.ctl -P /run/bird/bird.pid
	' bird_start "$_dir" >"$_dir/start.log" 2>&1
	_r=$?
	if [ $_r -ne 0 ] || ! _ospfpeer_wait 5 _ospfpeer_alive "$_dir/run/bird.pid" ||
		! _ospfpeer_wait 5 test -S "$_dir/run/bird.ctl"; then
		echo "bird_start $_ns: BIRD did not come up (see $_dir/start.log)" >&2
		sed 's/^/  /' "$_dir/start.log" >&2
		return 1
	fi
	return 0
}

# bird_cmd DIR CMD...: birdc on the instance's control socket.
bird_cmd() {
	_dir=$1
	shift
	birdc -s "$_dir/run/bird.ctl" "$@"
}

# bird_wait_full DIR SECONDS: until `show ospf neighbors` shows a Full one.
bird_wait_full() {
	_f_n=$(($2 * 5))
	while [ "$_f_n" -gt 0 ]; do
		bird_cmd "$1" show ospf neighbors 2>/dev/null | grep -q "Full/" && return 0
		sleep 0.2
		_f_n=$((_f_n - 1))
	done
	return 1
}

# bird_stop DIR: SIGTERM BIRD by its pid file, wait for it.
bird_stop() {
	_p=$1/run/bird.pid
	[ -s "$_p" ] || return 0
	_pid=$(cat "$_p")
	kill "$_pid" 2>/dev/null || return 0
	_ospfpeer_wait 10 sh -c "! kill -0 $_pid" ||
		{ kill -9 "$_pid" 2>/dev/null; sleep 0.2; }
	return 0
}

# ospfpeer_stop frr|bird DIR: stops whichever ran in DIR ("" does nothing).
ospfpeer_stop() {
	case $1 in
	frr) frr_stop "$2" ;;
	bird) bird_stop "$2" ;;
	esac
}

# ospfpeer_link NT NP: the namespace NP made (NT exists), loopback up in
# both, and the suites' first link: tv in NT (10.0.12.1/30) to pv in NP
# (10.0.12.2/30), both up.
ospfpeer_link() {
	ip netns add "$2" || return 1
	ip -n "$1" link set lo up
	ip -n "$2" link set lo up
	ip link add tv netns "$1" type veth peer name pv netns "$2" &&
		ip -n "$1" addr add 10.0.12.1/30 dev tv &&
		ip -n "$2" addr add 10.0.12.2/30 dev pv &&
		ip -n "$1" link set tv up && ip -n "$2" link set pv up
}
