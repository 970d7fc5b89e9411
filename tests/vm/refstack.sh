# tests/vm/refstack.sh - the stack a Linux user would build instead of
# tsunagi, tuned its best, on lib.sh's topology: strongSwan's charon in
# each house with route-based XFRM interfaces made by hand (ipsec1 over
# the IPv6 line, ipsec2 over PPPoE), FRR in each house (zebra, ospfd,
# bfdd) with OSPF over both, the IPv6 one cheaper, hellos every 250 ms
# (dead after 1 s), BFD every 100 ms, down after 3 missed, SPF and LSA
# throttles at their shortest.  The demo runs the same cuts on it as on
# tsunagi, in the same VM, and prints the ratios.  Sourced after lib.sh
# (and tests/lib/ospfpeer.sh, which it sources itself):
#
#   ref_up           set it up (0: charon and FRR run in both houses)
#   ref_ready        both SAs in, OSPF Full and BFD up on both tunnels in
#                    both houses, each routes the other's LAN by ipsec1
#   ref_cut NAME CMD... / ref_back NAME CMD...: a ping every 10 ms from
#                    home's LAN host to jikka's across CMD (which cuts
#                    the IPv6 path, or mends it); the figures in REF_*
#   ref_down         stop it all, leave the houses as before
#
# IPv4 only: FRR's ospfd carries the IPv4 LAN routes, as tsunagi's OSPF
# does; the IPv6 LANs would need ospf6d or static routes, which no cut
# here measures.

# shellcheck source=tests/lib/ospfpeer.sh
. "${TSUNAGI_SRC:-.}/tests/lib/ospfpeer.sh"

CHARON=${CHARON:-/usr/lib/ipsec/charon}
REF_OUT=$TOPO_DIR/refstack
# FRR's sockets need a local file system that frr_start's private /run
# does not hide: the guest's /tmp.
REF_FRR=/tmp/tsunagi-ref-frr
REF_PSK="the reference stack's key"
REF_IFID1=0x3001 REF_IFID2=0x3002

# ref_have: strongSwan and FRR with bfdd are installed.
ref_have() {
	[ -x "$CHARON" ] && command -v swanctl > /dev/null &&
		command -v vtysh > /dev/null && [ -x "$OSPFPEER_FRR/bfdd" ]
}

# ref_charon_conf HOUSE: its strongswan.conf and swanctl.conf.  home
# starts both connections and restarts one whose peer stops answering
# DPD, trying for ever; jikka answers.
ref_charon_conf() {
	local start=none dpd=clear
	[ "$1" = home ] && start=start dpd=restart
	PSK=$REF_PSK IFID1=$REF_IFID1 IFID2=$REF_IFID2 CONNS="1 2" \
		charon_conf_in "$1" "$REF_OUT/$1" default default "keyingtries = 0
unique = replace" "start_action = $start
dpd_action = $dpd"
}

# ref_frr_conf HOUSE: its frr.conf.
ref_frr_conf() {
	local rid=$HOME_LAN4 net=$HOME_NET4 i cost
	[ "$1" = jikka ] && rid=$JIKKA_LAN4 net=$JIKKA_NET4
	cat <<-EOF
		frr defaults traditional
		hostname $1
		log file /run/frr/frr.log debugging
		log timestamp precision 3
		debug bfd peer
		bfd
		 profile fast
		  detect-multiplier 3
		  transmit-interval 100
		  receive-interval 100
		 exit
		exit
	EOF
	for i in 1 2; do
		cost=10
		[ $i = 2 ] && cost=100
		cat <<-EOF
			interface ipsec$i
			 ip ospf network point-to-point
			 ip ospf cost $cost
			 ip ospf dead-interval minimal hello-multiplier 4
			 ip ospf bfd
			 ip ospf bfd profile fast
			exit
		EOF
	done
	cat <<-EOF
		router ospf
		 ospf router-id $rid
		 log-adjacency-changes detail
		 timers throttle spf 0 50 1000
		 timers throttle lsa all 0
		 timers lsa min-arrival 0
		 network 10.255.1.0/30 area 0
		 network 10.255.2.0/30 area 0
		 network $net area 0
		 passive-interface lan
		exit
	EOF
}

ref_sw() { swanctl_in "charon-$1" "$1" "$REF_OUT/$1/strongswan.conf" "${@:2}"; }
ref_vtysh() { frr_vtysh "$1" "$REF_FRR-$1" "${@:2}"; }

# ref_up: the XFRM interfaces (numbered: 10.255.1.0/30 over the IPv6
# line, 10.255.2.0/30 over PPPoE, home .1, jikka .2), charon in both
# houses (jikka's first: it answers home's), then FRR in both.
ref_up() {
	local h n
	mkdir -p "$REF_OUT"
	for h in home jikka; do
		n=1
		[ "$h" = jikka ] && n=2
		ref_charon_conf "$h"
		_ipb "$h" <<-EOF || return 1
			link add ipsec1 type xfrm dev wan6 if_id $REF_IFID1
			link add ipsec2 type xfrm dev ppp0 if_id $REF_IFID2
			link set ipsec1 mtu 1400 multicast on up
			link set ipsec2 mtu 1400 multicast on up
			addr add 10.255.1.$n/30 dev ipsec1
			addr add 10.255.2.$n/30 dev ipsec2
		EOF
	done
	for h in jikka home; do
		charon_spawn "charon-$h" "$h" "$REF_OUT/$h/strongswan.conf" &&
			ref_sw "$h" --load-all --file "$REF_OUT/$h/swanctl.conf" \
				> "$REF_OUT/$h/load.log" 2>&1 || return 1
	done
	for h in home jikka; do
		rm -rf "$REF_FRR-$h"
		FRR_DAEMONS="bfdd ospfd" frr_start "$h" "$REF_FRR-$h" \
			"$(ref_frr_conf "$h")" || return 1
	done
}

# ref_sas_up: home has both CHILD SAs installed.
ref_sas_up() { [ "$(ref_sw home --list-sas | grep -c INSTALLED)" -ge 2 ]; }
# ref_full HOUSE: OSPF Full and BFD up on both tunnels.
ref_full() {
	[ "$(ref_vtysh "$1" 'show ip ospf neighbor' | grep -c 'Full/')" = 2 ] &&
		[ "$(ref_vtysh "$1" 'show bfd peers brief' | grep -cw up)" = 2 ]
}
# ref_via HOUSE DEV: HOUSE routes the other's LAN through DEV (FRR's).
ref_via() {
	local net=$JIKKA_NET4
	[ "$1" = jikka ] && net=$HOME_NET4
	ip -n "$1" route show "$net" proto ospf | grep -q "dev $2"
}
ref_both_via() { ref_via home "$1" && ref_via jikka "$1"; }
ref_ready() {
	ref_sas_up && ref_full home && ref_full jikka && ref_both_via ipsec1
}

# ref_cut NAME CMD...: a ping every 10 ms from home's LAN host while CMD
# cuts the path; 0 once both houses route by ipsec2 (BFD found it,
# OSPF moved).  REF_BLACKOUT, REF_LOST: what the ping saw; REF_T0: when
# CMD ran (now).
ref_cut() {
	local name=$1 p r=0 h m0 t0
	shift
	for h in home jikka; do
		ip -n "$h" -ts monitor route > "$REF_OUT/$name-$h-routes.log" 2>&1 &
		m0="$m0 $!"
	done
	ping10 home-lan "$JIKKA_LANHOST4" "ref-$name-ping4.log"
	p=$!
	sleep 1
	REF_T0=$(now)
	"$@"
	wait_for 30 ref_both_via ipsec2 || r=1
	sleep 1
	ping_stop "$p"
	# shellcheck disable=SC2086 # one pid a word
	kill $m0 2> /dev/null
	REF_BLACKOUT=$(pstat "$TOPO_DIR/ref-$name-ping4.log" blackout)
	REF_LOST=$(pstat "$TOPO_DIR/ref-$name-ping4.log" lost)
	# Where the time went, from the first ping lost.
	t0=$(pstat "$TOPO_DIR/ref-$name-ping4.log" runstart)
	REF_WHERE=""
	[ "$t0" = - ] && return $r
	t0=$(tod_ms "$t0")
	for h in home jikka; do
		REF_WHERE="$REF_WHERE${REF_WHERE:+; }$h: BFD down $(ms_after "$REF_FRR-$h/run/frr.log" "$t0" 'ipsec1.*up -> down') ms, route by ipsec2 $(ms_after "$REF_OUT/$name-$h-routes.log" "$t0" 'dev ipsec2') ms"
	done
	return $r
}

# ref_back NAME CMD...: the same while CMD mends the path; 0 if both
# houses route by ipsec1 again within 60 s.  REF_LOST and REF_T0 as
# above, REF_BACK seconds from CMD to that (or "never").
ref_back() {
	local name=$1 p r=0
	shift
	ping10 home-lan "$JIKKA_LANHOST4" "ref-$name-ping4.log"
	p=$!
	sleep 1
	REF_T0=$(now)
	"$@"
	if wait_for 60 ref_both_via ipsec1; then
		REF_BACK=$(awk -v a="$REF_T0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	else
		REF_BACK=never r=1
	fi
	sleep 2
	ping_stop "$p"
	REF_LOST=$(pstat "$TOPO_DIR/ref-$name-ping4.log" lost)
	return $r
}

# ref_panel KEY: append to the array PLOT the pingplot panel (title, T0,
# log) of the reference's KEY (line, line-back, loss, loss-back) after
# ref_run; nothing if it was not measured.
ref_panel() {
	local t0 what
	case $1 in
	line) t0=$REF_LINKCUT_T0 what="home's IPv6 line down" ;;
	line-back) t0=$REF_LINKBACK_T0 what="home's IPv6 line back" ;;
	loss) t0=$REF_LOSS_T0 what="home's IPv6 line loses every packet, its carrier up" ;;
	loss-back) t0=$REF_LOSSBACK_T0 what="home's IPv6 line passes packets again" ;;
	esac
	[ -n "$t0" ] || return 0
	PLOT+=("the reference (strongSwan + FRR, BFD 100 ms x 3): $what (IPv4)" "$t0" "$TOPO_DIR/ref-$1-ping4.log")
}

# ref_down: FRR and charon stopped, the XFRM interfaces removed; their
# logs beside the others.
ref_down() {
	local h
	for h in home jikka; do
		frr_stop "$REF_FRR-$h"
		cp "$REF_FRR-$h"/run/*.log "$REF_OUT/$h/" 2> /dev/null
		charon_kill "charon-$h"
		ip -n "$h" link del ipsec1 2> /dev/null
		ip -n "$h" link del ipsec2 2> /dev/null
	done
	xfrm_clean home && xfrm_clean jikka &&
		[ -z "$(ip -n home route show proto ospf)" ] &&
		[ -z "$(ip -n jikka route show proto ospf)" ]
}

# ref_round WHAT NAME CMD CUT MEND: "CMD home CUT" cuts home's IPv6 line
# (house_line6, house_loss6), "CMD home MEND" mends it, a ping every 10 ms
# across each (ref-NAME-ping4.log, ref-NAME-back-ping4.log).  Leaves
# REF_BLACKOUT and REF_CUT_T0 of the cut, and REF_LOST, REF_BACK and
# REF_T0 of the way back.
ref_round() {
	ok "reference: $1: both houses route by ipsec2" ref_cut "$2" "$3" home "$4"
	REF_CUT_T0=$REF_T0
	diag "reference, $1: a blackout of $REF_BLACKOUT ms ($REF_LOST pings lost, one every 10 ms)"
	diag "reference, ms from the first ping lost: $REF_WHERE"
	ref_back "$2-back" "$3" home "$5"
	diag "reference, mended: both houses on ipsec1 again after $REF_BACK s, $REF_LOST pings lost on the way"
}

# ref_run: the demo's cuts of home's IPv6 line on the reference stack,
# as TAP checks and comments: the carrier lost and back, then every
# packet lost (netem) and passing again.  The figures for the caller:
# REF_LINKCUT and REF_LOSS (blackouts, ms), REF_LINKBACK_LOST and
# REF_LOSSBACK_LOST (pings lost on the way back), REF_LINKBACK_S and
# REF_LOSSBACK_S (seconds until both houses route by ipsec1 again, or
# "never"); "-" when not measured.  For a plot (pingplot), the times of
# the four events (now): REF_LINKCUT_T0, REF_LINKBACK_T0, REF_LOSS_T0,
# REF_LOSSBACK_T0, empty when not measured; the ping logs are
# $TOPO_DIR/ref-{line,line-back,loss,loss-back}-ping4.log.
# shellcheck disable=SC2034 # the REF_* figures are for the caller
ref_run() {
	REF_LINKCUT=- REF_LOSS=- REF_LINKBACK_LOST=- REF_LOSSBACK_LOST=-
	REF_LINKBACK_S=- REF_LOSSBACK_S=-
	REF_LINKCUT_T0='' REF_LINKBACK_T0='' REF_LOSS_T0='' REF_LOSSBACK_T0=''
	if ! ok "reference: charon and FRR (OSPF, BFD) in both houses, on XFRM interfaces made by hand" ref_up ||
		! ok "reference: both SAs in, OSPF Full and BFD up on both tunnels, traffic by ipsec1" \
			wait_for 120 ref_ready; then
		ref_down
		return 1
	fi
	ref_round "home's IPv6 line down (carrier lost)" line house_line6 down up
	REF_LINKCUT=$REF_BLACKOUT REF_LINKBACK_LOST=$REF_LOST REF_LINKBACK_S=$REF_BACK
	REF_LINKCUT_T0=$REF_CUT_T0 REF_LINKBACK_T0=$REF_T0
	if [ "$REF_BACK" = never ]; then
		diag "reference: never back on ipsec1, so the loss below is not measured"
	else
		ref_round "every packet of home's IPv6 line lost (netem)" loss house_loss6 on off
		REF_LOSS=$REF_BLACKOUT REF_LOSSBACK_LOST=$REF_LOST REF_LOSSBACK_S=$REF_BACK
		REF_LOSS_T0=$REF_CUT_T0 REF_LOSSBACK_T0=$REF_T0
	fi
	ok "reference: stopped, no SA, policy or OSPF route left" ref_down
}
