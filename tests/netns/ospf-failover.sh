#!/bin/sh
# ospf-failover.sh: two houses' routers joined by two parallel links of
# OSPF cost 10 and 100, on the host kernel: a neighbour (FRR, then BIRD 2)
# in one namespace, and in the other tsunagid, and then FRR itself on the
# same topology for comparison.  Each run measures, from the kernel's
# routing table of the first house: how long until the far LAN is routed
# (convergence); the cheap link cut by a link event (the neighbour's end
# goes down) and repaired; the cheap link cut with no link event (the
# neighbour's nftables drops OSPF on it: only the dead interval tells) and
# repaired.  With normal Hellos (1 s / 4 s) and fast ones (dead-interval
# minimal, 4 Hellos a second).  Then tsunagi again with a watch-group
# probing the neighbour every 50 ms whose action takes the cheap link out
# of OSPF ("ip ospf shutdown-interface"), where the silent cut drops
# everything on the link, not OSPF alone.  Prints tsunagi's and FRR's
# figures side by side, and for each silent cut how long the neighbour
# took to move its own route too.  The checks are that each step happens; the times are printed,
# never judged (they depend on the machine).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/ospfpeer.sh"

T=$(mktemp -d /tmp/tsunagi-ospff.XXXXXX)
TAP_LOG=$T/tap.log
NT=tsunagi-fa-$$ # the house under test
NP=tsunagi-fb-$$ # the neighbour
SOCK=$T/tsunagid.sock
dpid=
peer=
me=

if [ "$(id -u)" != 0 ] || ! ip netns add "$NT" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi
if [ ! -x "$OSPFPEER_FRR/ospfd" ] || ! command -v bird > /dev/null ||
	! command -v nft > /dev/null; then
	echo "1..0 # SKIP needs frr, bird2 and nftables (tests/install-deps)"
	ip netns del "$NT"
	rm -rf "$T"
	exit 0
fi

me_stop() {
	case $me in
	tsunagi*)
		stop_pid "$dpid"
		dpid=
		;;
	frr) frr_stop "$T/frr-me" ;;
	esac
	me=
}

peer_stop() {
	ospfpeer_stop "$peer" "$T/$peer-peer"
	peer=
}

cleanup() {
	me_stop
	peer_stop
	ip netns del "$NT" 2> /dev/null
	ip netns del "$NP" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
# A closed pipe or terminal ends the suite through its cleanup too.
trap 'exit 1' INT TERM HUP PIPE

ospfpeer_link "$NT" "$NP"
ip link add tv2 netns "$NT" type veth peer name pv2 netns "$NP"
ip -n "$NT" addr add 10.0.13.1/30 dev tv2
ip -n "$NP" addr add 10.0.13.2/30 dev pv2
ip -n "$NT" link set tv2 up
ip -n "$NP" link set pv2 up
ip -n "$NT" link add lan0 type veth peer name lanp
ip -n "$NP" link add lanq type veth peer name lanr
ip -n "$NT" addr add 192.168.1.1/24 dev lan0
ip -n "$NP" addr add 192.168.2.1/24 dev lanq
ip -n "$NT" link set lan0 up
ip -n "$NT" link set lanp up
ip -n "$NP" link set lanq up
ip -n "$NP" link set lanr up

# Timers of one interface, in each daemon's words.
hello_lines() { # normal|fast
	if [ "$1" = fast ]; then
		echo " ip ospf dead-interval minimal hello-multiplier 4"
	else
		printf ' ip ospf hello-interval 1\n ip ospf dead-interval 4\n'
	fi
}

tsunagi_conf() {
	{
		echo "hostname home"
		for l in tv:10 tv2:100; do
			echo "interface ${l%%:*}"
			echo "  ip ospf network point-to-point"
			echo "  ip ospf cost ${l#*:}"
			hello_lines "$1" | sed 's/^ /  /'
			echo "!"
		done
		echo "ip router ospf 1"
		echo "  router-id 10.255.0.1"
		echo "  area 0"
		echo "  network tv area 0"
		echo "  network tv2 area 0"
		echo "  network lan0 area 0"
		echo "  passive-interface lan0"
		[ "${2:-}" = +watch ] && cat << 'EOF2'
!
watch-group neighbour 10
  event 10 ip unreach-host 10.0.12.2 tv source 10.0.12.1
  action 10 ip ospf shutdown-interface tv
  probe-timer wait 0.05
  probe-timer variance 0.05
  probe-timer restorer 0.05
!
network-monitor neighbour enable
EOF2
	} > "$T/tsunagi.conf"
	chmod 600 "$T/tsunagi.conf"
}

# frr_conf RID IF1 IF2 LAN normal|fast
frr_conf() {
	echo "frr defaults traditional"
	echo "hostname r$1"
	# Before the interfaces: see frr_conf in ospf.sh.
	echo "router ospf"
	echo " ospf router-id 10.255.0.$1"
	echo " passive-interface $4"
	echo "!"
	for l in "$2:10" "$3:100"; do
		echo "interface ${l%%:*}"
		echo " ip ospf network point-to-point"
		echo " ip ospf cost ${l#*:}"
		echo " ip ospf area 0"
		hello_lines "$5"
		echo "!"
	done
	echo "interface $4"
	echo " ip ospf area 0"
}

bird_conf() {
	cat << 'EOF'
router id 10.255.0.2;
protocol device { scan time 1; }
protocol kernel { ipv4 { export all; }; }
protocol ospf v2 o1 {
	ipv4 { import all; export none; };
	area 0 {
		interface "pv" { type ptp; cost 10; hello 1; dead 4; };
		interface "pv2" { type ptp; cost 100; hello 1; dead 4; };
		interface "lanq" { stub yes; };
	};
}
EOF
}

peer_start() { # frr|bird normal|fast
	peer=$1
	case $1 in
	frr) frr_start "$NP" "$T/frr-peer" "$(frr_conf 2 pv pv2 lanq "$2")" ;;
	bird) bird_start "$NP" "$T/bird-peer" "$(bird_conf)" ;;
	esac
}

me_start() { # tsunagi|frr normal|fast
	me=$1
	case $1 in
	tsunagi | tsunagi+watch)
		tsunagi_conf "$2" "${1#tsunagi}"
		ip netns exec "$NT" "$build/tsunagid" -d ${TSUNAGI_V:-} -f "$T/tsunagi.conf" \
			-s "$SOCK" -p "$T/tsunagid.pid" 2>> "$T/tsunagid.log" &
		dpid=$!
		;;
	frr) frr_start "$NT" "$T/frr-me" "$(frr_conf 1 tv tv2 lan0 "$2")" ;;
	esac
}

# The far LAN's route in the first house: the one route, out of $1.
via() {
	r=$(ip -n "$NT" -4 route show 192.168.2.0/24)
	[ "$(echo "$r" | grep -c .)" = 1 ] && echo "$r" | grep -q " dev $1 "
}

ms() { echo $(($(date +%s%N) / 1000000)); }

# took SECONDS CMD...: poll CMD every 20 ms; prints the seconds it took.
took() {
	_lim=$(($1 * 1000))
	shift
	_t0=$(ms)
	while ! "$@" 2> /dev/null; do
		[ $(($(ms) - _t0)) -gt "$_lim" ] && return 1
		sleep 0.02
	done
	awk -v d=$(($(ms) - _t0)) 'BEGIN { printf "%.2f\n", d / 1000 }'
}

nft_cut() {
	ip netns exec "$NP" nft -f - << 'EOF'
table inet ospfcut {
	chain in { type filter hook input priority 0; iifname "pv" ip protocol 89 drop; }
	chain out { type filter hook output priority 0; oifname "pv" ip protocol 89 drop; }
}
EOF
}
# The watch-group's cut: the neighbour hears nothing on pv and says
# nothing, not even to a ping.
nft_cut_all() {
	ip netns exec "$NP" nft -f - << 'EOF'
table inet ospfcut {
	chain in { type filter hook input priority 0; iifname "pv" drop; }
	chain out { type filter hook output priority 0; oifname "pv" drop; }
}
EOF
}
nft_heal() { ip netns exec "$NP" nft delete table inet ospfcut; }

# held_by_group LINE: after that line of our log, the group went down and
# tv's neighbour was dropped for it (LLDown), not by the dead interval.
held_by_group() {
	tail -n +"$(($1 + 1))" "$T/tsunagid.log" > "$T/after-cut.log"
	grep -q "watch-group neighbour 10: tv: down" "$T/after-cut.log" &&
		grep -q "tv: neighbour 10.255.0.2: Full -> Down (LLDown)" "$T/after-cut.log" &&
		! grep -q "InactivityTimer" "$T/after-cut.log"
}

# The first house's LAN in the neighbour's table: the one route, out of $1.
peer_via() {
	r=$(ip -n "$NP" -4 route show 192.168.1.0/24)
	[ "$(echo "$r" | grep -c .)" = 1 ] && echo "$r" | grep -q " dev $1 "
}

# step NAME SECONDS CMD...: runs CMD, records how long it took or "-".
step() {
	_n=$1
	shift
	if _s=$(took "$@"); then
		eval "fig_$_n=$_s"
		return 0
	fi
	eval "fig_$_n=-"
	return 1
}

# A reload makes the cost-10 link cost 200: the route moves to the
# cost-100 one (our router-LSA made again), in the same process.
reload_cost() {
	pid0=$dpid
	sed -i 's/ip ospf cost 10$/ip ospf cost 200/' "$T/tsunagi.conf"
	"$build/tsunagictl" -s "$SOCK" reload > /dev/null
	ok "reload: tv costs 200 now: the cost-100 link carries" \
		step cost 20 via tv2
	ok "reload: in the same process" kill -0 "$pid0"
	ok "reload: the neighbour sees our new cost" wait_for 10 frr_sees_200
}
frr_sees_200() {
	frr_vtysh "$NP" "$T/frr-peer" "show ip ospf database router 10.255.0.1" |
		grep -q "TOS 0 Metric: 200"
}

# run ME PEER HELLOS: one pass over the topology; figures in fig_*.
run() {
	label="$1 vs $2, $3 Hellos"
	peer_start "$2" "$3"
	sleep 2 # the neighbour has started listening
	me_start "$1" "$3"
	ok "$label: the far LAN routed over the cost-10 link" \
		step conv 60 via tv
	ip -n "$NP" link set pv down
	ok "$label: the neighbour's end of it goes down: the cost-100 link" \
		step link 20 via tv2
	ip -n "$NP" link set pv up
	ok "$label: back up: the cost-10 link again" step back 60 via tv
	sleep 1
	t_cut=$(ms)
	if [ "$1" = tsunagi+watch ]; then
		l0=$(wc -l < "$T/tsunagid.log")
		nft_cut_all
		ok "$label: all dropped on it, no link event: the cost-100 link" \
			step drop 30 via tv2
		# The dead interval would move it too, later: the cause is the
		# proof, not the time.
		ok "$label: the watch-group took tv out of OSPF (LLDown, not the dead interval)" \
			held_by_group "$l0"
	else
		nft_cut
		ok "$label: OSPF dropped on it, no link event: the cost-100 link" \
			step drop 30 via tv2
	fi
	ok "$label: the neighbour moves its own route too" \
		wait_for 30 peer_via pv2
	fig_peer=$(awk -v d=$(($(ms) - t_cut)) 'BEGIN { printf "%.2f", d / 1000 }')
	nft_heal
	ok "$label: OSPF back: the cost-10 link again" step heal 60 via tv
	[ "$1/$2/$3" = tsunagi/frr/normal ] && reload_cost
	me_stop
	peer_stop
	ok "$label: nothing of ours left in the kernel" \
		sh -c "! ip -n $NT route show proto 213 | grep -q ."
	diag "$label: converged $fig_conv s; link event $fig_link s," \
		"back $fig_back s; silent cut $fig_drop s (the neighbour" \
		"$fig_peer s), back $fig_heal s"
	eval "res_$(echo "$1_$2_$3" | tr -- -+ __)=\"$fig_conv $fig_link $fig_back $fig_drop $fig_heal $fig_peer\""
}

run tsunagi frr normal
run frr frr normal
run tsunagi frr fast
run frr frr fast
run tsunagi bird normal
run tsunagi+watch frr normal

table() {
	diag ""
	diag "seconds, from the first house's kernel table     tsunagi     FRR   +watch"
	for h in normal fast; do
		eval "a=\$res_tsunagi_frr_$h; b=\$res_frr_frr_$h"
		c=
		[ $h = normal ] && c=$res_tsunagi_watch_frr_normal
		i=1
		for what in "converge" "link cut: switch" "link back: return" \
			"silent cut: switch" "silent back: return" \
			"silent cut: the neighbour switches"; do
			printf '# %-6s %-40s %7s %7s %7s\n' "$h" "$what" \
				"$(echo "$a" | cut -d' ' -f$i)" "$(echo "$b" | cut -d' ' -f$i)" \
				"$(echo "$c" | cut -d' ' -f$i)"
			i=$((i + 1))
		done
	done
	diag "(+watch: tsunagi with a watch-group probing every 50 ms; its"
	diag " silent cut drops everything on the link, not OSPF alone)"
}
table

ok "tsunagid logged no error about itself" \
	sh -c "! grep -E 'left at stop|out of memory|Sanitizer|runtime error' $T/tsunagid.log"
tap_end
