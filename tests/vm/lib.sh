# tests/vm/lib.sh - test topology for tsunagi, sourced by bash scenarios that
# tests/vm/run executes inside the VM (PPP, ESP and XFRM interfaces need the
# VM's kernel).  Not executable on purpose: ". tests/vm/lib.sh".
#
# Topology (all in network namespaces; documentation prefixes only):
#
#   home-lan --lan-- home --wan6----- isp6 -----wan6-- jikka --lan-- jikka-lan
#                      \                                 /
#                       wan4eth ~~ PPPoE ~~ isp4 ~~ PPPoE ~~ wan4eth
#                       (ppp0)                            (ppp0)
#
# isp6: IPv6 IPoE provider ("native" IPv6, static here)
#   home  link 2001:db8:1::/64    isp6 side ::1, home  wan6 ::2
#   jikka link 2001:db8:2::/64    isp6 side ::1, jikka wan6 ::2
#   routes 2001:db8:1::/48 -> home, 2001:db8:2::/48 -> jikka (the houses'
#   delegated prefixes; the LANs use 2001:db8:1:1::/64, 2001:db8:2:1::/64)
# isp4: IPv4 PPPoE access concentrator, one pppoe-server per house link,
#   PAP, addresses by IPCP from a per-house pool:
#   home  198.51.100.0/24  (AC 198.51.100.1, pool from 198.51.100.10)
#   jikka 203.0.113.0/24   (AC 203.0.113.1,  pool from 203.0.113.10)
#   isp4 routes between the pools (pppd's host routes + forwarding).
# houses: wan6, wan4eth (plain Ethernet carrying PPPoE), ppp0 (IPv4 default
#   route), lan (192.168.1.1/24 + 2001:db8:1:1::1/64 at home,
#   192.168.2.1/24 + 2001:db8:2:1::1/64 at jikka).
# dns (optional, topo_dns_up): the providers' DNS server, BIND9, on
#   192.0.2.53 (behind isp4) and 2001:db8:53::53 (behind isp6), serving
#   example.net and taking the houses' RFC 2136 updates.
# LAN hosts home-lan / jikka-lan: eth0 = .2 / ::2 of their house's LAN.
#   The private IPv4 LANs are routed nowhere by the ISPs: they can reach each
#   other only through a tunnel between the houses, as in real life.
#
# Scenarios: don't use "set -e" (a failing check must not end the run);
# always "trap topo_down EXIT" so nothing outlives the scenario.

# --- plan (variables so scenarios and later issues can read them) ---------
TOPO_NS="home-lan jikka-lan home jikka isp6 isp4"
HOME_WAN6=2001:db8:1::2     HOME_ISP6=2001:db8:1::1
JIKKA_WAN6=2001:db8:2::2    JIKKA_ISP6=2001:db8:2::1
HOME_PREFIX6=2001:db8:1::/48  JIKKA_PREFIX6=2001:db8:2::/48
HOME_LAN6=2001:db8:1:1::1    HOME_LANHOST6=2001:db8:1:1::2   HOME_NET6=2001:db8:1:1::/64
JIKKA_LAN6=2001:db8:2:1::1   JIKKA_LANHOST6=2001:db8:2:1::2  JIKKA_NET6=2001:db8:2:1::/64
HOME_LAN4=192.168.1.1        HOME_LANHOST4=192.168.1.2   HOME_NET4=192.168.1.0/24
JIKKA_LAN4=192.168.2.1       JIKKA_LANHOST4=192.168.2.2  JIKKA_NET4=192.168.2.0/24
HOME_AC4=198.51.100.1        HOME_POOL4=198.51.100.10
JIKKA_AC4=203.0.113.1        JIKKA_POOL4=203.0.113.10
DNS4=192.0.2.53  DNS4_GW=192.0.2.1  DNS6=2001:db8:53::53  DNS6_GW=2001:db8:53::1
DNS_ZONE=example.net

# Logs (pppd, pppoe-server, spawned daemons) go where the host can read them
# after the VM is gone; pid list and options files live there too.
TOPO_DIR=${TOPO_DIR:-${VM_OUT:-/tmp}/topo}
# Private /run directories for ns_spawn -r must be on a local file system
# (unix sockets do not work on 9p).
TOPO_RUN=${TOPO_RUN:-/run/tsunagi-topo}

###########################################################################
# TAP
###########################################################################
TAP_N=0
TAP_FAILED=0
TAP_SKIPPED=0

# tap_plan: start counting.  The plan line ("1..N") is printed by tap_end,
# so scenarios need not know in advance how many checks they will run.
tap_plan() { TAP_N=0; TAP_FAILED=0; TAP_SKIPPED=0; }

# ok NAME CMD...: run CMD (a command or shell function; output captured) and
# print "ok N - NAME" or "not ok N - NAME" followed by CMD's output as TAP
# comments (with TAP_VERBOSE=1: always, plus the time it took).  Returns
# CMD's status so that dependent checks can be skipped.
# Do not call it in a subshell: the counters would be lost.
ok() {
	local name=$1 rc=0 log t0=${EPOCHREALTIME/[.,]/}
	shift
	TAP_N=$((TAP_N + 1))
	log=$(mktemp)
	"$@" > "$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		echo "ok $TAP_N - $name"
		[ -z "${TAP_VERBOSE:-}" ] || sed 's/^/#   /' "$log"
	else
		echo "not ok $TAP_N - $name"
		echo "#   exit $rc: $*"
		sed 's/^/#   /' "$log"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	[ -z "${TAP_VERBOSE:-}" ] || echo "#   ($(((${EPOCHREALTIME/[.,]/} - t0) / 1000)) ms)"
	rm -f "$log"
	return "$rc"
}

# skip NAME REASON: a check that could not run (TAP counts it as passed;
# the summary line shows it apart).
skip() {
	TAP_N=$((TAP_N + 1))
	TAP_SKIPPED=$((TAP_SKIPPED + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# diag MSG...: a TAP comment.
diag() { echo "# $*"; }

# tap_end: print the summary and the plan; nonzero if any check failed.
tap_end() {
	echo "# $((TAP_N - TAP_FAILED - TAP_SKIPPED)) passed, $TAP_FAILED failed, $TAP_SKIPPED skipped"
	echo "1..$TAP_N"
	[ "$TAP_FAILED" = 0 ]
}

###########################################################################
# small helpers
###########################################################################

# nsx NS CMD...: run CMD in namespace NS.
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# nsx_run RUNNAME NS CMD...: like nsx, but with /run replaced by the private
# run directory RUNNAME of a daemon started with "ns_spawn -r" (to talk to
# its control socket, e.g. swanctl to one of two charons).
nsx_run() {
	local run=$TOPO_RUN/$1 ns=$2
	shift 2
	mkdir -p "$run"
	# shellcheck disable=SC2016 # $0 and $@ are for the inner sh
	ip netns exec "$ns" unshare -m --propagation private \
		sh -c 'mount --bind "$0" /run && exec "$@"' "$run" "$@"
}

# ns_spawn [-r] NS NAME CMD...: start CMD in the background in NS, output
# appended to $TOPO_DIR/NAME.log (a restarted daemon keeps the earlier
# run's log), pid recorded for topo_down.  CMD must stay in the
# foreground (pppd nodetach, charon, named -g, ...).  With -r it gets a
# private /run ($TOPO_RUN/NAME), so two instances of a daemon that insists on
# a fixed pid file or socket path (charon, ospfd) do not fight.
ns_spawn() {
	local priv=0 ns name
	[ "$1" = -r ] && { priv=1; shift; }
	ns=$1 name=$2
	shift 2
	mkdir -p "$TOPO_DIR"
	# Simple commands only (no shell function) after "&": then ip netns
	# exec, unshare and sh -c all exec, and $! is the daemon itself, which
	# topo_down can signal.
	if [ "$priv" = 1 ]; then
		mkdir -p "$TOPO_RUN/$name"
		# shellcheck disable=SC2016 # $0 and $@ are for the inner sh
		ip netns exec "$ns" unshare -m --propagation private \
			sh -c 'mount --bind "$0" /run && exec "$@"' "$TOPO_RUN/$name" "$@" \
			>> "$TOPO_DIR/$name.log" 2>&1 < /dev/null &
	else
		ip netns exec "$ns" "$@" >> "$TOPO_DIR/$name.log" 2>&1 < /dev/null &
	fi
	echo "$! $name" >> "$TOPO_DIR/pids"
}

# wait_for TIMEOUT CMD...: run CMD every 0.2 s until it succeeds (0) or
# TIMEOUT seconds have passed (1).  Under TCG everything is ~10x slower than
# on hardware: prefer polling to fixed sleeps.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" > /dev/null 2>&1 && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ppp_addr NS: print the IPv4 address IPCP gave to NS's ppp0 (nothing, and
# status 1, while there is none).
ppp_addr() {
	local a
	a=$(ip -n "$1" -4 -o addr show dev ppp0 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "inet") { print $(i + 1); exit } }')
	a=${a%/*}
	[ -n "$a" ] || return 1
	echo "$a"
}

# ppp_peer NS: the access concentrator's address on NS's ppp0.
ppp_peer() {
	local a
	a=$(ip -n "$1" -4 -o addr show dev ppp0 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "peer") { print $(i + 1); exit } }')
	a=${a%/*}
	[ -n "$a" ] || return 1
	echo "$a"
}

# ppp_default_route NS: true once NS's IPv4 default route goes via ppp0.
ppp_default_route() { ip -n "$1" -4 route show default | grep -q 'dev ppp0'; }

# topo_log MSG...: a line with the guest's uptime in $TOPO_DIR/topo.log, to
# see afterwards where the time of a slow run went (no fork: builtins only).
topo_log() {
	local up
	read -r up _ < /proc/uptime
	echo "[$up] $*" >> "$TOPO_DIR/topo.log"
}

# kill_wait SIG PID...: signal PIDs and wait (up to ~3 s) until they are gone.
# They are not our children (daemons, ip netns exec), so poll with kill -0.
kill_wait() {
	local sig=$1 p n
	shift
	[ $# -gt 0 ] || return 0
	kill "-$sig" "$@" 2> /dev/null
	for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		for p in "$@"; do
			kill -0 "$p" 2> /dev/null && break
			p=""
		done
		[ -z "$p" ] && return 0
		[ "$n" = 15 ] && break
		sleep 0.2
	done
	return 1
}

###########################################################################
# topology
###########################################################################

# _ipb NS: run the "ip" commands on stdin (one per line, without "ip")
# inside NS in a single process.  Every exec costs ~0.15 s under TCG;
# batching turns topo_up's ~60 ip processes into ~14 (measured: 10 s -> 4 s
# for the addressing part).
_ipb() { ip -n "$1" -batch -; }

# _pppoe_server HOUSE POOL_START: the access concentrator for HOUSE's link
# (isp4's interface named HOUSE).  Each server has its own options file (-O)
# and pid file (-X): the defaults (/etc/ppp/pppoe-server-options, no pid
# file) would be shared by the two servers in isp4.  pppoe-server
# daemonizes; the pid file tells topo_down and house_reconnect_ppp whom to
# kill.  No -k: this rp-pppoe has no kernel mode, sessions go through the
# user-space "pppoe" helper on a pty (hence devpts).
_pppoe_server() {
	local house=$1 pool=$2 ac opts
	case $house in
	home) ac=$HOME_AC4 ;;
	jikka) ac=$JIKKA_AC4 ;;
	*) echo "_pppoe_server: unknown house $house" >&2; return 1 ;;
	esac
	opts=$TOPO_DIR/pppoe-server-$house.options
	# Options of the server-side pppd of each session.  /etc/ppp/options
	# (Debian: "auth", "lock", ...) is read first; require-pap checks the
	# house against /etc/ppp/pap-secrets.  Fast LCP echoes so a dead house
	# is noticed quickly.
	cat > "$opts" <<-EOF
		require-pap
		noccp
		lcp-echo-interval 1
		lcp-echo-failure 3
		nodefaultroute
		noipv6
		logfile $TOPO_DIR/isp4-pppd-$house.log
	EOF
	nsx isp4 pppoe-server -I "$house" -C "isp4-$house" -S tsunagi \
		-L "$ac" -R "$pool" -N 8 \
		-O "$opts" -X "$TOPO_DIR/pppoe-server-$house.pid"
}

# _pppoe_server_stop HOUSE: stop HOUSE's access concentrator, as an ISP
# restarting it would.  On SIGTERM pppoe-server sends the house a PADT, so
# the house redials at once.  The server-side pppd of its sessions (found by
# the options file on their command line) are killed outright: left to end
# gracefully they go on sending LCP Terminate-Requests for ~6 s, on the very
# session id the restarted server hands out again, and so tear down the
# house's new session (seen in a capture: +3 s per renumbering).
_pppoe_server_stop() {
	local house=$1 srv sess
	srv=$(cat "$TOPO_DIR/pppoe-server-$house.pid" 2> /dev/null)
	# shellcheck disable=SC2046
	sess=$(grep -l -a -- "pppoe-server-$house.options" \
		$(ip netns pids isp4 | sed 's|.*|/proc/&/cmdline|') 2> /dev/null |
		awk -F/ -v srv="$srv" '$3 != srv { print $3 }')
	[ -z "$srv" ] || kill -TERM "$srv" 2> /dev/null
	# shellcheck disable=SC2086
	[ -z "$sess" ] || kill_wait KILL $sess
	[ -z "$srv" ] || kill_wait TERM "$srv" || kill_wait KILL "$srv"
	rm -f "$TOPO_DIR/pppoe-server-$house.pid"
}

# _pppd_client HOUSE: the house's PPPoE client, as a home router runs it:
# ppp0, default route via the ISP, redial forever (persist, maxfail 0) one
# second after a loss (holdoff 1), loss noticed after 3 s of unanswered LCP
# echoes.  noauth: Debian's /etc/ppp/options says "auth" (make the peer
# authenticate), which an ISP never does.  pppoe-padi-timeout 1: the
# default 5 s before the first PADI retry is what a redial costs whenever
# the access concentrator is not listening yet (at start, after a restart).
# lcp-restart 1: the server-side pppd takes ~1.5 s to start under TCG, so the
# house's first Configure-Request is lost; retry after 1 s instead of 3.
# noccp: no compression on PPPoE, and less to negotiate.  With nodetach
# pppd logs to stdout, which ns_spawn puts in $TOPO_DIR/pppd-HOUSE.log.
_pppd_client() {
	local house=$1
	ns_spawn "$house" "pppd-$house" pppd nodetach \
		plugin rp-pppoe.so nic-wan4eth pppoe-padi-timeout 1 ifname ppp0 \
		user "$house" password "$house-secret" noauth \
		noipdefault defaultroute noipv6 \
		persist maxfail 0 holdoff 1 lcp-echo-interval 1 lcp-echo-failure 3 \
		lcp-restart 1 noccp
}

# topo_up: build the whole topology and wait (up to 60 s) until both houses
# have ppp0 with an address and the default route.  Nonzero if PPP did not
# come up (the namespaces exist anyway: let the checks report it).
topo_up() {
	local ns
	# topo_up writes /etc/ppp/pap-secrets: fine on the VM's throw-away
	# overlay, not on a real machine (whose kernel lacks PPP anyway).
	if [ -z "${TSUNAGI_VM:-}" ] && [ -z "${TOPO_FORCE:-}" ]; then
		echo "topo_up: not in the test VM (tests/vm/run); TOPO_FORCE=1 to go on anyway" >&2
		return 1
	fi
	mkdir -p "$TOPO_DIR" "$TOPO_RUN"
	# A fresh start for the logs of a VM_OUT used before (pppd appends).
	rm -f "$TOPO_DIR"/*.log
	: > "$TOPO_DIR/pids"
	topo_log "topo_up: start"
	for ns in $TOPO_NS; do echo "netns add $ns"; done | ip -batch - || return 1
	# Sysctls before any interface exists: "default" only applies to
	# interfaces created later.  DAD off: a tentative address is unusable
	# for a second or more (much more under TCG) and nothing here can
	# collide.  Forwarding in the houses and ISPs, not on the LAN hosts.
	for ns in $TOPO_NS; do
		set -- net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
		case $ns in
		*-lan) ;;
		*) set -- "$@" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ;;
		esac
		nsx "$ns" sysctl -qw "$@" || return 1
	done
	topo_log "namespaces and sysctls done"
	# Links, each end created directly inside its namespace.  isp4's links
	# are plain Ethernet for PPPoE: no addresses, IPCP numbers ppp0.
	ip -batch - <<-EOF || return 1
		link add home netns isp6 type veth peer name wan6 netns home
		link add jikka netns isp6 type veth peer name wan6 netns jikka
		link add home netns isp4 type veth peer name wan4eth netns home
		link add jikka netns isp4 type veth peer name wan4eth netns jikka
		link add lan netns home type veth peer name eth0 netns home-lan
		link add lan netns jikka type veth peer name eth0 netns jikka-lan
	EOF
	_ipb isp6 <<-EOF || return 1
		link set lo up
		link set home up
		link set jikka up
		addr add $HOME_ISP6/64 dev home nodad
		addr add $JIKKA_ISP6/64 dev jikka nodad
		route add $HOME_PREFIX6 via $HOME_WAN6 dev home
		route add $JIKKA_PREFIX6 via $JIKKA_WAN6 dev jikka
	EOF
	_ipb isp4 <<-EOF || return 1
		link set lo up
		link set home up
		link set jikka up
	EOF
	_ipb home <<-EOF || return 1
		link set lo up
		link set wan6 up
		link set wan4eth up
		link set lan up
		addr add $HOME_WAN6/64 dev wan6 nodad
		route add ::/0 via $HOME_ISP6 dev wan6
		addr add $HOME_LAN4/24 dev lan
		addr add $HOME_LAN6/64 dev lan nodad
	EOF
	_ipb jikka <<-EOF || return 1
		link set lo up
		link set wan6 up
		link set wan4eth up
		link set lan up
		addr add $JIKKA_WAN6/64 dev wan6 nodad
		route add ::/0 via $JIKKA_ISP6 dev wan6
		addr add $JIKKA_LAN4/24 dev lan
		addr add $JIKKA_LAN6/64 dev lan nodad
	EOF
	_ipb home-lan <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add $HOME_LANHOST4/24 dev eth0
		addr add $HOME_LANHOST6/64 dev eth0 nodad
		route add default via $HOME_LAN4
		route add ::/0 via $HOME_LAN6
	EOF
	_ipb jikka-lan <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add $JIKKA_LANHOST4/24 dev eth0
		addr add $JIKKA_LANHOST6/64 dev eth0 nodad
		route add default via $JIKKA_LAN4
		route add ::/0 via $JIKKA_LAN6
	EOF

	topo_log "links and addresses done"
	# PAP credentials, checked by the server-side pppd.
	printf '%s\n' '# client server secret addresses' \
		'home * home-secret *' 'jikka * jikka-secret *' > /etc/ppp/pap-secrets
	_pppoe_server home "$HOME_POOL4"
	_pppoe_server jikka "$JIKKA_POOL4"
	topo_log "access concentrators started"
	_pppd_client home
	_pppd_client jikka
	wait_for 60 ppp_default_route home && topo_log "home: ppp0 up" &&
		wait_for 60 ppp_default_route jikka && topo_log "jikka: ppp0 up"
}

# house_reconnect_ppp HOUSE NEW_POOL_START: the ISP renumbers HOUSE: its
# access concentrator restarts with a pool starting at NEW_POOL_START.  The
# house's pppd (persist) notices the lost session and redials by itself; use
# wait_for to see the new address.
house_reconnect_ppp() {
	topo_log "house_reconnect_ppp $1 $2"
	_pppoe_server_stop "$1"
	_pppoe_server "$1" "$2"
	topo_log "house_reconnect_ppp: new access concentrator started"
}

# house_line6 HOUSE down|up: the IPv6 provider's end of HOUSE's line goes
# down (HOUSE's wan6 loses its carrier, as when the line is cut) or comes
# up again.  isp6 keeps its address there; its route to the house's
# prefix, which the kernel drops with the link, comes back with it.
house_line6() {
	local pfx=$HOME_PREFIX6 gw=$HOME_WAN6
	[ "$1" = jikka ] && pfx=$JIKKA_PREFIX6 gw=$JIKKA_WAN6
	topo_log "house_line6 $1 $2"
	if [ "$2" = down ]; then
		nsx isp6 sysctl -qw "net.ipv6.conf.$1.keep_addr_on_down=1" &&
			ip -n isp6 link set "$1" down
	else
		ip -n isp6 link set "$1" up &&
			ip -n isp6 -6 route replace "$pfx" via "$gw" dev "$1"
	fi
}

# house_loss6 HOUSE on|off: HOUSE's IPv6 line loses every packet, both
# ways (netem), with its carrier up: no link event says so.
house_loss6() {
	topo_log "house_loss6 $1 $2"
	if [ "$2" = on ]; then
		tc -n isp6 qdisc add dev "$1" root netem loss 100% &&
			tc -n "$1" qdisc add dev wan6 root netem loss 100%
	else
		tc -n isp6 qdisc del dev "$1" root &&
			tc -n "$1" qdisc del dev wan6 root
	fi
}

# topo_down: stop everything the topology started and delete the namespaces.
# Safe to call twice and after a partial topo_up.  What ns_spawn recorded
# (the houses' pppd, later tsunagid, charon, ...) gets SIGTERM and up to 3 s
# to exit cleanly.  Whatever is still inside one of our namespaces after
# that (pppoe-server, the session pppd it forked, anything started with a
# plain "nsx ... &") gets SIGKILL at once: a graceful pppd would spend ~6 s
# saying goodbye to a peer that is already gone.
topo_down() {
	local ns pids="" live=""
	[ -d "$TOPO_DIR" ] && topo_log "topo_down"
	if [ -f "$TOPO_DIR/pids" ]; then
		pids=$(awk '{ print $1 }' "$TOPO_DIR/pids")
		# shellcheck disable=SC2086
		[ -z "$pids" ] || kill_wait TERM $pids || kill_wait KILL $pids
		: > "$TOPO_DIR/pids"
	fi
	pids=""
	for ns in $TOPO_NS dns; do
		[ -e "/run/netns/$ns" ] || continue
		live="$live $ns"
		pids="$pids $(ip netns pids "$ns" 2> /dev/null)"
	done
	# shellcheck disable=SC2086
	kill_wait KILL $pids
	for ns in $live; do echo "netns del $ns"; done | ip -batch - 2> /dev/null
	rm -f "$TOPO_DIR"/pppoe-server-*.pid
	rm -rf "$TOPO_RUN"
	[ -d "$TOPO_DIR" ] && topo_log "topo_down: done"
	return 0
}

# topo_dns_up KEY...: the providers' DNS server (namespace dns, BIND9) for
# zone $DNS_ZONE, reachable at $DNS4 through isp4 and $DNS6 through isp6.
# Each KEY is "KEYNAME:ALGORITHM:SECRET:HOST": a TSIG key that may replace
# the A and AAAA records of HOST.$DNS_ZONE (RFC 2136), as a house's DDNS
# profile does.  Waits until named answers.
topo_dns_up() {
	local d=$TOPO_DIR/dns k name alg secret host policy=""
	mkdir -p "$d"
	ip netns add dns || return 1
	nsx dns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	ip -batch - <<-EOF || return 1
		link add dns netns isp4 type veth peer name eth4 netns dns
		link add dns netns isp6 type veth peer name eth6 netns dns
	EOF
	_ipb isp4 <<-EOF || return 1
		link set dns up
		addr add $DNS4_GW/24 dev dns
	EOF
	_ipb isp6 <<-EOF || return 1
		link set dns up
		addr add $DNS6_GW/64 dev dns nodad
	EOF
	_ipb dns <<-EOF || return 1
		link set lo up
		link set eth4 up
		link set eth6 up
		addr add $DNS4/24 dev eth4
		addr add $DNS6/64 dev eth6 nodad
		route add default via $DNS4_GW
		route add ::/0 via $DNS6_GW
	EOF
	: > "$d/keys.conf"
	for k in "$@"; do
		IFS=: read -r name alg secret host <<-EOF
			$k
		EOF
		printf 'key "%s" { algorithm %s; secret "%s"; };\n' \
			"$name" "$alg" "$secret" >> "$d/keys.conf"
		policy="$policy grant $name name $host.$DNS_ZONE. A AAAA;"
	done
	cat > "$d/$DNS_ZONE.db" <<-EOF
		\$TTL 60
		@ IN SOA ns.$DNS_ZONE. hostmaster.$DNS_ZONE. 1 60 60 600 5
		@ IN NS ns.$DNS_ZONE.
		ns IN A $DNS4
		ns IN AAAA $DNS6
	EOF
	cat > "$d/named.conf" <<-EOF
		options {
			directory "$d";
			pid-file "$d/named.pid";
			listen-on { $DNS4; 127.0.0.1; };
			listen-on-v6 { $DNS6; };
			recursion no;
			dnssec-validation no;
			notify no;
		};
		include "$d/keys.conf";
		zone "$DNS_ZONE" {
			type primary;
			file "$d/$DNS_ZONE.db";
			update-policy {$policy };
		};
	EOF
	ns_spawn dns named named -g -u root -c "$d/named.conf"
	wait_for 30 nsx dns dig +short +time=1 +tries=1 @"$DNS4" "ns.$DNS_ZONE" A
}

# ddns_key HOUSE: the DDNS key of HOUSE's example configuration
# (examples/HOUSE.conf), in the form topo_dns_up takes:
# KEYNAME:ALGORITHM:SECRET:HOST.
ddns_key() {
	awk -v h="$1" '$1 == "server" && $2 == "rfc2136" {
		for (i = 3; i < NF; i++) {
			if ($i == "key-name") n = $(i + 1)
			if ($i == "key-algorithm") a = $(i + 1)
			if ($i == "key-secret") s = $(i + 1)
		}
		print n ":" a ":" s ":" h; exit }' "${TSUNAGI_SRC:-.}/examples/$1.conf"
}

# dns_lookup NAME TYPE: what the providers' DNS server answers for NAME.
dns_lookup() { nsx dns dig +short +time=1 +tries=1 @"$DNS4" "$1" "$2"; }

###########################################################################
# pings every 10 ms across an event (blackouts, losses)
###########################################################################

# now: seconds since 1970, as ping -D stamps its lines (bash's clock: a
# fork costs a tenth of a second under emulation).
now() { echo "$EPOCHREALTIME"; }
# ping10 NS DST LOG [-6]: a ping every 10 ms from NS to DST in the
# background, into $TOPO_DIR/LOG; $! is ping itself (ping_stop).
# -D -O: each answer and each loss time-stamped (pstat, pingplot).
ping10() {
	ip netns exec "$1" ping ${4:+"$4"} -D -O -n -i 0.01 -W 1 "$2" \
		> "$TOPO_DIR/$3" 2>&1 &
}
# pstat LOG FIELD [T0]: one figure of what a ping -D -O saw: sent,
# answered, lost (between the first and the last answered), run (the
# longest run lost), blackout (ms from the last request answered before
# that run to the first answered after it), first (ms from T0, seconds
# since 1970, to that first one), runstart (when the first of that run
# went, seconds since 1970).  See tests/tools/pingplot.py.
pingplot() { python3 "${TSUNAGI_SRC:-.}/tests/tools/pingplot.py" "$@"; }
pstat() {
	pingplot stats "$1" ${3:+"$3"} |
		awk -v k="$2" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }'
}
# tod_ms [T]: the time of day in ms, as tsunagid's log lines stamp it,
# now or at T (seconds since 1970, as from now).
tod_ms() {
	local e=${1:-$EPOCHREALTIME} h m s
	printf -v h '%(%H)T' "${e%.*}"
	printf -v m '%(%M)T' "${e%.*}"
	printf -v s '%(%S)T' "${e%.*}"
	echo $(((10#$h * 3600 + 10#$m * 60 + 10#$s) * 1000 + 10#${e#*.} / 1000))
}
# ms_after FILE T0 PATTERN: ms from T0 (tod_ms) to FILE's first line at
# or after T0 that matches PATTERN (awk), "?" if none.  A line's time is
# the first HH:MM:SS.fff in it: tsunagid's, FRR's logs, ip -ts monitor.
# The daemons' own time stamps, not the polling of a script, which costs
# hundreds of ms a round under emulation.
ms_after() {
	awk -v t0="$2" -v pat="$3" '
		match($0, /[0-9][0-9]:[0-9][0-9]:[0-9][0-9][.][0-9]+/) {
			split(substr($0, RSTART, RLENGTH), a, ":")
			t = (a[1] * 3600 + a[2] * 60 + a[3]) * 1000
			if (t >= t0 && $0 ~ pat) { printf "%d", t - t0; f = 1; exit }
		}
		END { if (!f) printf "?" }' "$1"
}
# ping_stop PID...: SIGALRM makes ping print its statistics and stop (a
# background command of a script ignores SIGINT); SIGKILL if it lingers.
ping_stop() {
	kill -ALRM "$@" 2> /dev/null
	wait_for 5 sh -c "for p in $*; do kill -0 \$p 2> /dev/null && exit 1; done; exit 0" ||
		kill -KILL "$@" 2> /dev/null
}

###########################################################################
# tsunagid in the houses
###########################################################################
TSUNAGI_BUILD=${TSUNAGI_BUILD:-${TSUNAGI_SRC:-.}/build}

# tsunagid_start HOUSE CONF [ARGS...]: check CONF, then run tsunagid in
# HOUSE (foreground, own /run: two daemons, one socket path each).
tsunagid_start() {
	local h=$1 conf=$2
	shift 2
	"$TSUNAGI_BUILD/tsunagid" -n -f "$conf" || return 1
	ns_spawn -r "$h" "tsunagid-$h" "$TSUNAGI_BUILD/tsunagid" -d -f "$conf" "$@"
	wait_for 10 tctl "$h" show status
}

# tsunagid_pid HOUSE: the pid of HOUSE's tsunagid (the last started).
tsunagid_pid() {
	awk -v n="tsunagid-$1" '$2 == n { print $1 }' "$TOPO_DIR/pids" | tail -n 1
}

# tsunagid_stop HOUSE: SIGTERM, then wait until it is gone (0) or not (1).
tsunagid_stop() {
	local pid
	pid=$(tsunagid_pid "$1")
	[ -n "$pid" ] || return 1
	kill -TERM "$pid" 2> /dev/null
	wait_for 15 sh -c "! kill -0 $pid 2> /dev/null"
}

# xfrm_clean HOUSE: no ESP SA and no IPsec policy left in HOUSE's kernel.
xfrm_clean() {
	[ -z "$(ip -n "$1" xfrm state)" ] && [ -z "$(ip -n "$1" xfrm policy)" ]
}

# tctl HOUSE ARGS...: tsunagictl against HOUSE's daemon.
tctl() { local h=$1; shift; nsx_run "tsunagid-$h" "$h" "$TSUNAGI_BUILD/tsunagictl" "$@"; }

# sa_field HOUSE TUNNEL KEY: one value of "show ikev2 sa TUNNEL detail".
sa_field() {
	tctl "$1" show ikev2 sa "$2" detail | awk -v k="$3" '$1 == k { print $2; exit }'
}
tunnel_state_is() { [ "$(sa_field "$1" "$2" state)" = "$3" ]; }
# tunnel_up_both TUNNEL: up in home and in jikka.
tunnel_up_both() { tunnel_state_is home "$1" up && tunnel_state_is jikka "$1" up; }
# house_spis HOUSE: the SPIs of the ESP SAs in HOUSE's kernel.
house_spis() { ip -n "$1" xfrm state | awk '$3 == "spi" { print $4 }'; }
# spis_gone HOUSE SPI...: none of these SPIs (a killed daemon's, there
# was at least one) is in HOUSE's kernel any more.
spis_gone() {
	local h=$1 now s
	shift
	[ $# -gt 0 ] || return 1
	now=" $(house_spis "$h" | tr '\n' ' ') "
	for s; do
		case $now in *" $s "*) return 1 ;; esac
	done
}

# nbr_state HOUSE TUNNEL: the OSPF neighbour's state on TUNNEL.
nbr_state() {
	tctl "$1" --json show ip ospf neighbor |
		grep -F "\"interface\": \"$2\"" | sed -n 's/.*"state": "\([A-Za-z]*\)".*/\1/p'
}
full() { [ "$(nbr_state "$1" "$2")" = Full ]; }
# full_all: OSPF Full on Tunnel1.0 and Tunnel2.0 in both houses.
full_all() {
	full home Tunnel1.0 && full home Tunnel2.0 &&
		full jikka Tunnel1.0 && full jikka Tunnel2.0
}
# lan_route HOUSE DEV: the other house's LANs (IPv4 and IPv6) through DEV,
# by hand (for scenarios without static routes in their configuration).
lan_route() {
	local net4=$JIKKA_NET4 net6=$JIKKA_NET6
	[ "$1" = jikka ] && net4=$HOME_NET4 net6=$HOME_NET6
	ip -n "$1" route replace "$net4" dev "$2" &&
		ip -n "$1" -6 route replace "$net6" dev "$2"
}

# route_state HOUSE PREFIX IFACE [SOURCE]: "installed", "withdrawn" or
# "standby" (show ip route) of the route from SOURCE (static by default:
# OSPF may have one to the same prefix through the same tunnel).
route_state() {
	tctl "$1" --json show ip route | grep -F "\"prefix\": \"$2\", \"interface\": \"$3\"" |
		grep -F "\"source\": \"${4:-static}\"" |
		sed -n 's/.*"state": "\([a-z]*\)".*/\1/p'
}

###########################################################################
# strongSwan's charon as the far house (jikka), route-based: the caller
# sets OUT (a directory), PSK, CHARON and IFID1 / IFID2 (the if_ids of
# its XFRM interfaces for Tunnel1.0 over IPv6 and Tunnel2.0 over PPPoE).
###########################################################################

# charon_conf IKE ESP [EXTRA-CONN-LINES [EXTRA-CHILD-LINES]]: both
# connections, responding (and initiating when asked by swanctl).
charon_conf() {
	charon_conf_in jikka "$OUT" "$1" "$2" "unique = never
${3:-}" "dpd_action = restart
${4:-}"
}

# charon_conf_in HOUSE DIR IKE ESP [EXTRA-CONN-LINES [EXTRA-CHILD-LINES]]:
# DIR/strongswan.conf and DIR/swanctl.conf for a charon in HOUSE, with a
# connection per path of ${CONNS:-1 2} (t1 over the IPv6 line with the
# XFRM if_id IFID1, t2 over PPPoE with IFID2), the houses' identities
# keyid:home and keyid:jikka, the key PSK.
charon_conf_in() {
	local h=$1 d=$2 o=home c la ra ifid
	[ "$h" = home ] && o=jikka
	mkdir -p "$d"
	cat > "$d/strongswan.conf" <<-EOF
		charon {
			load = random nonce openssl hmac kdf kernel-netlink socket-default vici
			install_routes = no
			install_virtual_ip = no
			retransmit_tries = 3
			filelog {
				stderr {
					default = 1
					ike = 2
					time_format = %T
				}
			}
		}
		swanctl {
			load = pem pkcs1 x509 openssl
		}
	EOF
	{
		echo "connections {"
		for c in ${CONNS:-1 2}; do
			if [ "$c" = 1 ]; then
				la=$HOME_WAN6 ra=$JIKKA_WAN6 ifid=$IFID1
				[ "$h" = jikka ] && la=$JIKKA_WAN6 ra=$HOME_WAN6
			else
				la=$(ppp_addr "$h") ra=$(ppp_addr "$o") ifid=$IFID2
			fi
			cat <<-EOF
				t$c {
					version = 2
					local_addrs = $la
					remote_addrs = $ra
					proposals = $3
					dpd_delay = 3s
					${5:-}
					local { auth = psk
						id = keyid:$h }
					remote { auth = psk
						id = keyid:$o }
					children {
						t$c {
							local_ts = 0.0.0.0/0,::/0
							remote_ts = 0.0.0.0/0,::/0
							esp_proposals = $4
							if_id_in = $ifid
							if_id_out = $ifid
							${6:-}
						}
					}
				}
			EOF
		done
		echo "}"
		cat <<-EOF
			secrets {
				ike-home { id-1 = keyid:home
					id-2 = keyid:jikka
					secret = "$PSK" }
			}
		EOF
	} > "$d/swanctl.conf"
}

sw() { swanctl_in charon jikka "$OUT/strongswan.conf" "$@"; }
sw_load() { sw --load-all --file "$OUT/swanctl.conf"; }
charon_start() { charon_spawn charon jikka "$OUT/strongswan.conf"; }
charon_stop() { charon_kill charon; }

# swanctl_in NAME NS CONF ARGS...: swanctl against the charon NAME that
# charon_spawn started in NS with strongswan.conf CONF.
swanctl_in() {
	local name=$1 ns=$2 conf=$3
	shift 3
	nsx_run "$name" "$ns" env STRONGSWAN_CONF="$conf" swanctl "$@"
}

# charon_spawn NAME NS CONF: $CHARON in NS with strongswan.conf CONF and a
# private /run (its vici socket and pid file), its log $TOPO_DIR/NAME.log;
# returns once it answers swanctl.
charon_spawn() {
	ns_spawn -r "$2" "$1" env STRONGSWAN_CONF="$3" "$CHARON"
	wait_for 20 swanctl_in "$@" --stats
}

# charon_kill NAME: SIGTERM (SIGKILL if it lingers) the charon NAME.
charon_kill() {
	local pid
	pid=$(awk -v n="$1" '$2 == n { print $1 }' "$TOPO_DIR/pids" | tail -n 1)
	kill_wait TERM "$pid" || kill_wait KILL "$pid"
}

###########################################################################
# static ESP (no IKE): the ground the daemon stands on
###########################################################################

# esp_key: 20 random bytes as 0x + 40 hex digits: an rfc4106(gcm(aes)) key
# is the 128-bit AES key followed by the 4-byte salt.
esp_key() { printf '0x%s\n' "$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')"; }

# esp_static_tunnel IF_ID: a route-based IPv4-in-IPv6 ESP tunnel between
# home and jikka over wan6, with hand-made SAs (SPI 0x1001 home->jikka,
# 0x1002 jikka->home), an XFRM interface Tunnel1.0 (if_id IF_ID) in each
# house and routes for the other house's IPv4 LAN through it.  This is what
# tsunagid will set up after IKE; here it proves the kernel can.
# "flag af-unspec" lets the IPv6 SAs carry IPv4 packets; the policies match
# anything, but only for packets routed through the interface (if_id).
esp_static_tunnel() {
	local ifid=$1 k1 k2 h lh lj dir
	k1=$(esp_key) k2=$(esp_key)
	for h in home jikka; do
		if [ "$h" = home ]; then
			lh=$HOME_WAN6 lj=$JIKKA_WAN6
		else
			lh=$JIKKA_WAN6 lj=$HOME_WAN6
		fi
		ip -n "$h" xfrm state add src "$HOME_WAN6" dst "$JIKKA_WAN6" proto esp spi 0x1001 \
			reqid 1 mode tunnel flag af-unspec if_id "$ifid" \
			aead 'rfc4106(gcm(aes))' "$k1" 128 || return 1
		ip -n "$h" xfrm state add src "$JIKKA_WAN6" dst "$HOME_WAN6" proto esp spi 0x1002 \
			reqid 1 mode tunnel flag af-unspec if_id "$ifid" \
			aead 'rfc4106(gcm(aes))' "$k2" 128 || return 1
		ip -n "$h" xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 if_id "$ifid" \
			tmpl src "$lh" dst "$lj" proto esp reqid 1 mode tunnel || return 1
		for dir in in fwd; do
			ip -n "$h" xfrm policy add dir "$dir" src 0.0.0.0/0 dst 0.0.0.0/0 if_id "$ifid" \
				tmpl src "$lj" dst "$lh" proto esp reqid 1 mode tunnel || return 1
		done
		ip -n "$h" link add Tunnel1.0 type xfrm dev wan6 if_id "$ifid" || return 1
		ip -n "$h" link set Tunnel1.0 up || return 1
	done
	ip -n home route add "$JIKKA_NET4" dev Tunnel1.0 &&
		ip -n jikka route add "$HOME_NET4" dev Tunnel1.0
}

# esp_static_tunnel_down: undo esp_static_tunnel.
esp_static_tunnel_down() {
	local h
	for h in home jikka; do
		ip -n "$h" link del Tunnel1.0 2> /dev/null
		ip -n "$h" xfrm policy flush
		ip -n "$h" xfrm state flush
	done
	return 0
}

# esp_packets NS SPI: packets an SA has processed so far ("lifetime current"
# of ip -s xfrm state).
esp_packets() {
	ip -n "$1" -s xfrm state list spi "$2" |
		awk '/lifetime current:/ { getline; sub(/^[ \t]*/, ""); split($0, a, /[(,]/); n = a[3]; sub(/^ */, "", n); print n + 0; exit }'
}
