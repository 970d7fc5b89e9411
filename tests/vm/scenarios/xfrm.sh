#!/bin/bash
# xfrm: the xfrm module on a real kernel (ESP, XFRM interfaces, PPPoE),
# driven through its API by tests/tools/xfrmctl.  Between the two houses of
# lib.sh's topology, for every algorithm and both outer families (IPv6 over
# the IPoE link, IPv4 between the PPPoE addresses): SA pairs with fixed
# keys and policies bound to XFRM interfaces by if_id, LAN-to-LAN pings
# through ESP (SA counters rise, the wire shows ESP only), the tunnel MTU
# formula checked against the kernel's own, NAT-T, lifetimes (EXPIRE),
# ACQUIRE, the monitor seeing the PPPoE address change, source routing,
# and cleanup leaving the kernel tables as they were.
#
#   tests/vm/run tests/vm/scenarios/xfrm.sh [XFRMCTL]
#
# XFRMCTL defaults to the in-tree build (tests/tools/xfrmctl).  TAP output.

. "$(dirname "$0")/../lib.sh"

XC=${1:-${XFRMCTL:-}}
for x in "$XC" "$TSUNAGI_SRC/tests/tools/xfrmctl" \
    "$TSUNAGI_SRC/build/tests/tools/xfrmctl"; do
	[ -n "$x" ] && [ -x "$x" ] && { XC=$x; break; }
done
OUT=${VM_OUT:-/tmp}/xfrm
mkdir -p "$OUT"

R1=0x74730001 IF1=0x74730001 # Tunnel1.0: IPv6 outer over wan6
R2=0x74730002 IF2=0x74730002 # Tunnel2.0: IPv4 outer over PPPoE
R3=0x74730003 IF3=0x74730003 # Tunnel3.0: policies without SAs (ACQUIRE)
ALGS="gcm-aes-128 gcm-aes-256 chacha20-poly1305 cbc-aes-128-sha256
cbc-aes-256-sha256 cbc-aes-128-sha384 cbc-aes-256-sha384 cbc-aes-128-sha512
cbc-aes-256-sha512"

xc() { local ns=$1; shift; ip netns exec "$ns" "$XC" "$@"; }
# xb NS: xfrmctl commands from stdin in one process (spawning is slow here)
xb() { ip netns exec "$1" "$XC" batch; }

# fixed keys: N bytes counting up from SEED
key() {
	local n=$1 seed=$2 i h s=0x
	# printf -v: no subshell per byte (forks are slow under TCG)
	for ((i = 0; i < n; i++)); do
		printf -v h '%02x' $(((seed + i * 7) & 255))
		s+=$h
	done
	echo "$s"
}

# alg_keys ALG SEED: the --key/--integ-key options for ALG
alg_keys() {
	local alg=$1 seed=$2 ek ik=0
	case $alg in
	gcm-aes-128) ek=20 ;;
	gcm-aes-256 | chacha20-poly1305) ek=36 ;;
	cbc-aes-128-*) ek=16 ;;
	cbc-aes-256-*) ek=32 ;;
	esac
	case $alg in
	*-sha256) ik=32 ;;
	*-sha384) ik=48 ;;
	*-sha512) ik=64 ;;
	esac
	if [ "$ik" = 0 ]; then
		echo "--alg $alg --key $(key $ek "$seed")"
	else
		echo "--alg $alg --key $(key $ek "$seed") --integ-key $(key $ik $((seed + 100)))"
	fi
}

uplink_mtu() { ip -n "$1" -o link show "$2" | sed 's/.* mtu \([0-9]*\) .*/\1/'; }

# snapshot NS FILE: the kernel tables cleanup must restore
snapshot() {
	{
		ip -n "$1" xfrm state
		ip -n "$1" xfrm policy
		ip -n "$1" -4 route show table all
		ip -n "$1" -6 route show table all
		ip -n "$1" -4 rule
		ip -n "$1" -6 rule
		ip -n "$1" -d -o link | sed 's/^[0-9]*: //; s/ link-netns [^ ]*//; s/ numtxqueues.*//'
	} > "$2" 2> /dev/null
}

mon_has() { grep -q -- "$1" "$TOPO_DIR/xfrm-monitor.log"; }
mon_wait() { wait_for "${2:-15}" mon_has "$1" || { tail -n 20 "$TOPO_DIR/xfrm-monitor.log"; return 1; }; }

cleanup_all() {
	topo_down
}

tap_plan
trap cleanup_all EXIT
T0=$SECONDS
if [ ! -x "$XC" ]; then
	echo "Bail out! no xfrmctl (build it, or pass its path)"
	exit 1
fi
topo_up || diag "topo_up: PPP did not come up in time (see $TOPO_DIR)"
diag "topology up in $((SECONDS - T0)) s; xfrmctl: $XC; kernel $(uname -r)"

###########################################################################
# 1. The monitor sees the PPPoE address change (DDNS needs that).
###########################################################################
ns_spawn home xfrm-monitor "$XC" monitor --timeout 900
ok "monitor: initial dump done" mon_wait "^sync end"
OLD4=$(ppp_addr home)
ok "monitor: the dump lists ppp0's PPPoE address with its peer" \
	mon_wait "^addr new .*ifname=ppp0 family=inet addr=$OLD4/32 peer=$HOME_AC4 "
house_reconnect_ppp home 198.51.100.20
ok "home renumbered by the ISP" wait_for 30 eval '[ -n "$(ppp_addr home)" ] && [ "$(ppp_addr home)" != "$OLD4" ]'
wait_for 10 ppp_default_route home
H4=$(ppp_addr home) J4=$(ppp_addr jikka)
ok "monitor: the old PPPoE address went away" mon_wait "^addr del .*addr=$OLD4/32"
ok "monitor: the new PPPoE address appeared on ppp0" \
	mon_wait "^addr new .*ifname=ppp0 family=inet addr=$H4/32 peer=$HOME_AC4 "
diag "PPPoE: home $OLD4 -> $H4, jikka $J4; the monitor said:"
diag "$(grep -m 1 "^addr del .*addr=$OLD4/32" "$TOPO_DIR/xfrm-monitor.log")"
diag "$(grep -m 1 "^addr new .*addr=$H4/32 peer=$HOME_AC4 " "$TOPO_DIR/xfrm-monitor.log")"

###########################################################################
# 2. Someone else's state, then the snapshot cleanup must get back to.
###########################################################################
ip -n home link add xfrm7 type xfrm dev wan6 if_id 7
ip -n home xfrm state add src "$HOME_WAN6" dst "$JIKKA_WAN6" proto esp spi 0x5555 \
	reqid 5 mode tunnel if_id 7 aead 'rfc4106(gcm(aes))' "$(key 20 1)" 128
ip -n home xfrm policy add dir out src 0.0.0.0/0 dst 0.0.0.0/0 if_id 7 \
	tmpl src "$HOME_WAN6" dst "$JIKKA_WAN6" proto esp reqid 5 mode tunnel
ip -n home route add 10.77.0.0/16 dev wan6 metric 10
ip -n home rule add from 10.77.0.1 table 77 priority 777
for h in home jikka; do snapshot $h "$OUT/$h.before"; done

###########################################################################
# 3. XFRM interfaces, addresses, routes, policies.
###########################################################################
house_tunnels() {
	local h=$1 lan4 lan6 far4 far6
	if [ "$h" = home ]; then
		lan4=$HOME_LAN4 lan6=$HOME_LAN6 far4=$JIKKA_NET4 far6=$JIKKA_NET6
	else
		lan4=$JIKKA_LAN4 lan6=$JIKKA_LAN6 far4=$HOME_NET4 far6=$HOME_NET6
	fi
	xc $h link-add --name Tunnel1.0 --if-id $IF1 --link wan6 &&
		xc $h link-add --name Tunnel2.0 --if-id $IF2 --link ppp0 &&
		xc $h link-add --name Tunnel3.0 --if-id $IF3 --link wan6 || return 1
	for t in Tunnel1.0 Tunnel2.0 Tunnel3.0; do
		xc $h link-up --name $t && xc $h addr-add --dev $t --addr "$lan4" &&
			xc $h addr-add --dev $t --addr "$lan6" || return 1
	done
	# the other LAN through Tunnel1.0 first; cases move it (route-replace)
	xc $h route-add --dst "$far4" --dev Tunnel1.0 --metric 10 &&
		xc $h route-add --dst "$far6" --dev Tunnel1.0 --metric 10
}
tunnels_ok() {
	local h t
	for h in home jikka; do
		ip -n $h -d link show Tunnel1.0 | grep -q "xfrm if_id 0x74730001" || return 1
		ip -n $h -d link show Tunnel2.0 | grep -q "xfrm if_id 0x74730002" || return 1
		ip -n $h link show Tunnel1.0 | grep -q ",UP" || return 1
		ip -n $h addr show Tunnel1.0 | grep -q "inet 192.168.*/32" || return 1
		ip -n $h addr show Tunnel1.0 | grep -q "inet6 2001:db8:.*:1::1/128" || return 1
	done
	ip -n home -d link show Tunnel2.0
	ip -n home addr show Tunnel1.0
	ip -n home -4 route show proto 213
	ip -n home -6 route show proto 213
	[ "$(ip -n home -4 route show proto 213 | wc -l)" = 1 ]
}
ok "home: XFRM interfaces, unnumbered addresses, routes" house_tunnels home
ok "jikka: XFRM interfaces, unnumbered addresses, routes" house_tunnels jikka
ok "interfaces have kind xfrm, our if_ids, are up, carry /32 and /128" tunnels_ok

# policies: any -> any, both inner families, out/in/fwd, per tunnel
house_policies() {
	local h=$1 me6 peer6 me4 peer4 sel d
	if [ "$h" = home ]; then
		me6=$HOME_WAN6 peer6=$JIKKA_WAN6 me4=$H4 peer4=$J4
	else
		me6=$JIKKA_WAN6 peer6=$HOME_WAN6 me4=$J4 peer4=$H4
	fi
	for sel in 0.0.0.0/0 ::/0; do
		xc $h policy-add --dir out --sel-src $sel --sel-dst $sel --src "$me6" --dst "$peer6" --reqid $R1 --if-id $IF1 || return 1
		xc $h policy-add --dir out --sel-src $sel --sel-dst $sel --src "$me4" --dst "$peer4" --reqid $R2 --if-id $IF2 || return 1
		xc $h policy-add --dir out --sel-src $sel --sel-dst $sel --src "$me6" --dst "$peer6" --reqid $R3 --if-id $IF3 || return 1
		for d in in fwd; do
			xc $h policy-add --dir $d --sel-src $sel --sel-dst $sel --src "$peer6" --dst "$me6" --reqid $R1 --if-id $IF1 || return 1
			xc $h policy-add --dir $d --sel-src $sel --sel-dst $sel --src "$peer4" --dst "$me4" --reqid $R2 --if-id $IF2 || return 1
		done
	done
	[ "$(ip -n $h xfrm policy | grep -c 'if_id 0x7473000')" = 14 ]
}
ok "home: 14 policies bound to the tunnels by if_id" house_policies home
ok "jikka: 14 policies bound to the tunnels by if_id" house_policies jikka

###########################################################################
# 4. ESP for every algorithm, IPv6 and IPv4 outer.
###########################################################################
ns_spawn home tcpdump-wan6 tcpdump -n -U -s 128 -i wan6 -w "$OUT/wan6.pcap" ip6
ns_spawn home tcpdump-ppp0 tcpdump -n -U -s 128 -i ppp0 -w "$OUT/ppp0.pcap" ip
sleep 2

ROUTED=Tunnel1.0
# route both LAN prefixes (both houses) through TUNNEL: route-replace
route_lans() {
	local t=$1
	[ "$ROUTED" = "$t" ] && return 0
	xc home route-replace --dst "$JIKKA_NET4" --dev "$t" --metric 10 &&
		xc home route-replace --dst $JIKKA_NET6 --dev "$t" --metric 10 &&
		xc jikka route-replace --dst "$HOME_NET4" --dev "$t" --metric 10 &&
		xc jikka route-replace --dst $HOME_NET6 --dev "$t" --metric 10 ||
		return 1
	ROUTED=$t
}

# sa_pair ALG FAM SPI_HJ SPI_JH [OPTIONS FOR ALL 4] [OPTIONS FOR HOME'S OUT]
sa_pair() {
	local alg=$1 fam=$2 hj=$3 jh=$4 all=${5:-} hout=${6:-} H J R IF k1 k2 o
	if [ "$fam" = 6 ]; then H=$HOME_WAN6 J=$JIKKA_WAN6 R=$R1 IF=$IF1; else H=$H4 J=$J4 R=$R2 IF=$IF2; fi
	k1=$(alg_keys "$alg" 11) k2=$(alg_keys "$alg" 77)
	o="--reqid $R --if-id $IF --replay 64 --esn $all"
	xb home <<- EOF || return 1
		sa-add --src $H --dst $J --spi $hj $k1 $o $hout
		sa-add --src $J --dst $H --spi $jh $k2 $o
	EOF
	xb jikka <<- EOF
		sa-add --src $H --dst $J --spi $hj $k1 $o
		sa-add --src $J --dst $H --spi $jh $k2 $o
	EOF
}
sa_pair_del() {
	local fam=$1 hj=$2 jh=$3 H J h
	if [ "$fam" = 6 ]; then H=$HOME_WAN6 J=$JIKKA_WAN6; else H=$H4 J=$J4; fi
	for h in home jikka; do
		printf 'sa-del --dst %s --spi %s\nsa-del --dst %s --spi %s\n' \
			"$J" "$hj" "$H" "$jh" | xb $h
	done
}

lan_pings() {
	nsx home-lan ping -n -c 2 -i 0.3 -W 3 "$JIKKA_LANHOST4" &&
		nsx home-lan ping -6 -n -c 2 -i 0.3 -W 3 "$JIKKA_LANHOST6"
}

# counters_rose FAM SPI_HJ SPI_JH: both directions counted on both sides
counters_rose() {
	local fam=$1 hj=$2 jh=$3 H J h
	if [ "$fam" = 6 ]; then H=$HOME_WAN6 J=$JIKKA_WAN6; else H=$H4 J=$J4; fi
	for h in home jikka; do
		printf 'counters --dst %s --spi %s\ncounters --dst %s --spi %s\n' \
			"$J" "$hj" "$H" "$jh" | xb $h > "$OUT/ctr.$h" || return 1
	done
	echo "home  out $hj: $(sed -n 1p "$OUT/ctr.home")"
	echo "home  in  $jh: $(sed -n 2p "$OUT/ctr.home")"
	echo "jikka in  $hj: $(sed -n 1p "$OUT/ctr.jikka")"
	echo "jikka out $jh: $(sed -n 2p "$OUT/ctr.jikka")"
	# 2 IPv4 + 2 IPv6 echoes each way at least; ESN sequence numbers moved
	cat "$OUT/ctr.home" "$OUT/ctr.jikka" |
		awk '{ split($1, b, "="); split($2, p, "="); split($5, o, "="); split($6, s, "=");
		       if (!(p[2] >= 4 && b[2] > 0 && (o[2] >= 4 || s[2] >= 4))) bad = 1 }
		     END { exit bad }'
}

# mtu_exact ALG FAM UPLINK_IF [--encap ...]: the kernel's ESP MTU is ours.
# With the tunnel's MTU above it, a DF packet the size of the uplink MTU
# reaches the XFRM interface and comes back as "fragmentation needed" with
# the MTU the kernel computed (xfrm_state_mtu); it must equal xfrm_mtu().
# Then with the tunnel MTU set to it, a DF packet of exactly that size
# passes end to end.
mtu_exact() {
	local alg=$1 fam=$2 up=$3 encap=${4:-} t m u out
	[ "$fam" = 6 ] && t=Tunnel1.0 || t=Tunnel2.0
	u=$(uplink_mtu home "$up")
	# shellcheck disable=SC2086
	m=$("$XC" mtu --uplink "$u" --family "$fam" --alg "$alg" $encap) || return 1
	xc home link-mtu --name $t --mtu 1500 || return 1
	ip -n home-lan route flush cache
	out=$(nsx home-lan ping -n -c 1 -W 3 -M "do" -s $((u - 28)) "$JIKKA_LANHOST4" 2>&1)
	echo "$out" | grep -E "mtu|bytes from"
	echo "uplink $up $u, xfrm_mtu() $m"
	echo "$out" | grep -q "mtu = $m)" || return 1
	echo "$alg IPv$fam ${encap:+NAT-T }uplink $up $u: xfrm_mtu() $m = kernel's" >> "$OUT/mtu.txt"
	xc home link-mtu --name $t --mtu "$m" && xc jikka link-mtu --name $t --mtu "$m" || return 1
	ip -n home-lan route flush cache
	nsx home-lan ping -n -c 1 -W 3 -M "do" -s $((m - 28)) "$JIKKA_LANHOST4"
}

N=0
CASES=""
for fam in 6 4; do
	if [ "$fam" = 6 ]; then route_lans Tunnel1.0; else route_lans Tunnel2.0; fi
	for alg in $ALGS; do
		N=$((N + 1))
		hj=$(printf '0xc%07x' $((0x1000 + N * 2))) jh=$(printf '0xc%07x' $((0x1001 + N * 2)))
		name="$alg IPv$fam outer"
		if ! ok "$name: SA pairs installed in both houses" sa_pair "$alg" "$fam" "$hj" "$jh"; then
			sa_pair_del "$fam" "$hj" "$jh" > /dev/null 2>&1
			continue
		fi
		ok "$name: LAN hosts ping through ESP (IPv4 and IPv6 inside)" lan_pings
		ok "$name: SA counters rose in both directions, both houses" counters_rose "$fam" "$hj" "$jh"
		{ read -r c1; read -r c2; } < "$OUT/ctr.home"
		diag "  home out $hj: $c1"
		diag "  home in  $jh: $c2"
		[ "$fam" = 6 ] && up=wan6 || up=ppp0
		ok "$name: tunnel MTU formula equals the kernel's" mtu_exact "$alg" "$fam" "$up"
		CASES="$CASES $fam:$hj:$jh:${alg}"
		sa_pair_del "$fam" "$hj" "$jh" > /dev/null 2>&1
	done
done

# SPI allocation: the inbound SA replaces the larval state (UPDSA).
spi_alloc_case() {
	local spi
	spi=$(xc jikka spi-alloc --src "$HOME_WAN6" --dst "$JIKKA_WAN6" --reqid $R1 --if-id $IF1) || return 1
	echo "jikka allocated $spi"
	xc jikka sa-get --dst "$JIKKA_WAN6" --spi "$spi" | grep -q "larval=1" || return 1
	local k1 k2
	k1=$(alg_keys gcm-aes-128 21) k2=$(alg_keys gcm-aes-128 22)
	# shellcheck disable=SC2086
	xc jikka sa-update --src "$HOME_WAN6" --dst "$JIKKA_WAN6" --spi "$spi" $k1 --reqid $R1 --if-id $IF1 --replay 64 --esn &&
		xc home sa-add --src "$HOME_WAN6" --dst "$JIKKA_WAN6" --spi "$spi" $k1 --reqid $R1 --if-id $IF1 --replay 64 --esn &&
		xc home sa-add --src "$JIKKA_WAN6" --dst "$HOME_WAN6" --spi 0xc0007777 $k2 --reqid $R1 --if-id $IF1 --replay 64 --esn &&
		xc jikka sa-add --src "$JIKKA_WAN6" --dst "$HOME_WAN6" --spi 0xc0007777 $k2 --reqid $R1 --if-id $IF1 --replay 64 --esn || return 1
	route_lans Tunnel1.0 && lan_pings || return 1
	xc jikka sa-get --dst "$JIKKA_WAN6" --spi "$spi" | tee /dev/stderr | grep -q "larval=0 .*" &&
		xc jikka counters --dst "$JIKKA_WAN6" --spi "$spi" | grep -q "packets=[1-9]"
	SPI_ALLOC=$spi
}
ok "spi-alloc + sa-update: the allocated SPI carries traffic" spi_alloc_case
sa_pair_del 6 "${SPI_ALLOC:-0x0}" 0xc0007777 > /dev/null 2>&1

# NAT-T: ESP in UDP 4500 between the PPPoE addresses; both houses hold a
# port-4500 socket with UDP_ENCAP (IKE's, in the daemon).
natt_case() {
	ns_spawn home encap-home "$XC" encap-listen --port 4500 --hold 600
	ns_spawn jikka encap-jikka "$XC" encap-listen --port 4500 --hold 600
	wait_for 10 grep -q listening "$TOPO_DIR/encap-home.log" &&
		wait_for 10 grep -q listening "$TOPO_DIR/encap-jikka.log" || return 1
	sa_pair gcm-aes-128 4 0xc0008001 0xc0008002 "--encap 4500:4500" || return 1
	xc home sa-get --dst "$J4" --spi 0xc0008001 | grep "encap=4500:4500" || return 1
	route_lans Tunnel2.0 && lan_pings && counters_rose 4 0xc0008001 0xc0008002
}
ok "NAT-T: ESP in UDP 4500 over PPPoE, pings and counters" natt_case
ok "NAT-T: tunnel MTU formula (with 8 bytes of UDP) equals the kernel's" \
	mtu_exact gcm-aes-128 4 ppp0 "--encap 4500:4500"
sa_pair_del 4 0xc0008001 0xc0008002 > /dev/null 2>&1

sleep 1
for c in tcpdump-wan6 tcpdump-ppp0; do
	p=$(awk -v n=$c '$2 == n { print $1 }' "$TOPO_DIR/pids")
	[ -n "$p" ] && kill_wait INT $p
done
tcpdump -n -r "$OUT/wan6.pcap" > "$OUT/wan6.txt" 2> /dev/null
tcpdump -n -r "$OUT/ppp0.pcap" > "$OUT/ppp0.txt" 2> /dev/null
esp_on_wire() {
	local fam=$1 hj=$2 jh=$3 f
	[ "$fam" = 6 ] && f=$OUT/wan6.txt || f=$OUT/ppp0.txt
	grep -m 1 "ESP(spi=$hj," "$f" && grep -m 1 "ESP(spi=$jh," "$f"
}
for c in $CASES; do
	IFS=: read -r fam hj jh alg <<< "$c"
	ok "$alg IPv$fam outer: the uplink carried ESP both ways" esp_on_wire "$fam" "$hj" "$jh"
done
no_clear_echo() {
	echo "ESP packets: wan6 $(grep -c 'ESP(' "$OUT/wan6.txt"), ppp0 $(grep -c 'ESP(' "$OUT/ppp0.txt")"
	echo "UDP-encap: $(grep -c 'UDP-encap' "$OUT/ppp0.txt")"
	! grep -E "ICMP echo|ICMP6, echo" "$OUT/wan6.txt" "$OUT/ppp0.txt"
}
ok "no ICMP echo in clear on either uplink (the LAN pings were inside ESP)" no_clear_echo
ok "NAT-T packets on ppp0 were UDP 4500 carrying ESP" \
	grep -m 2 "4500: UDP-encap: ESP(spi=0xc000800" "$OUT/ppp0.txt"
# AES-GCM, the first case of each family: an inner packet of exactly the
# tunnel MTU left as an outer packet of exactly the uplink MTU (tcpdump
# counts the payload: 1500 - 40 on wan6, ppp0's MTU - 20 on ppp0).
ok "AES-GCM: an inner packet of the tunnel MTU fills the uplink MTU exactly" \
	eval 'grep -m 1 "ESP(spi=0xc0001002,.*length $(($(uplink_mtu home wan6) - 40))\$" "$OUT/wan6.txt" &&
	      grep -m 1 "ESP(spi=0xc0001014,.*length $(($(uplink_mtu home ppp0) - 20))\$" "$OUT/ppp0.txt"'

while read -r l; do diag "$l"; done < "$OUT/mtu.txt"
diag "$(grep -m 1 'ESP(spi=0xc0001002' "$OUT/wan6.txt")"
diag "$(grep -m 1 'ESP(spi=' "$OUT/ppp0.txt")"
diag "$(grep -m 1 'UDP-encap' "$OUT/ppp0.txt")"

###########################################################################
# 5. Lifetimes and EXPIRE; ACQUIRE.
###########################################################################
expire_secs() {
	# shellcheck disable=SC2046
	xc home sa-add --src "$HOME_WAN6" --dst "$JIKKA_WAN6" --spi 0xc0009001 \
		$(alg_keys gcm-aes-128 5) --reqid $R1 --if-id $IF1 --soft-secs 2 --hard-secs 4 || return 1
	mon_wait "^expire soft spi=0xc0009001 .*reqid=0x74730001 if_id=0x74730001" 20 &&
		mon_wait "^expire hard spi=0xc0009001 " 20 &&
		! xc home sa-get --dst "$JIKKA_WAN6" --spi 0xc0009001
}
ok "lifetime in seconds: soft then hard EXPIRE, SA gone" expire_secs
expire_bytes() {
	sa_pair gcm-aes-128 6 0xc0009101 0xc0009102 "" "--soft-bytes 300 --hard-bytes 100000" || return 1
	# the kernel checks the limit before counting a packet: 4 pings
	# (~380 bytes) pass it, the 5th finds it crossed
	route_lans Tunnel1.0 && lan_pings && lan_pings
	mon_wait "^expire soft spi=0xc0009101 .*bytes=[0-9]" 20 || return 1
	grep "expire soft spi=0xc0009101" "$TOPO_DIR/xfrm-monitor.log"
	xc home sa-get --dst "$JIKKA_WAN6" --spi 0xc0009101
}
ok "lifetime in bytes: soft EXPIRE after 300 bytes, SA stays" expire_bytes
sa_pair_del 6 0xc0009101 0xc0009102 > /dev/null 2>&1
acquire() {
	route_lans Tunnel3.0 || return 1
	nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"
	mon_wait "^acquire src=$HOME_WAN6 dst=$JIKKA_WAN6 .*reqid=0x74730003 if_id=0x74730003" 20
}
ok "ACQUIRE: traffic into a tunnel without SA is reported with reqid and if_id" acquire
diag "$(grep -m 1 '^acquire' "$TOPO_DIR/xfrm-monitor.log")"
diag "$(grep -m 1 '^expire soft' "$TOPO_DIR/xfrm-monitor.log")"
diag "$(grep -m 1 '^expire soft spi=0xc0009101' "$TOPO_DIR/xfrm-monitor.log")"
diag "$(grep -m 1 '^expire hard' "$TOPO_DIR/xfrm-monitor.log")"

###########################################################################
# 6. Source routing for the PPPoE address; interfaces not ours.
###########################################################################
srcroute() {
	xc home srcroute-add --from "$H4" --dev ppp0 --table 100 --prio 1000 || return 1
	ip -n home rule | grep "from $H4 lookup 100 proto 213" &&
		ip -n home route get 8.8.8.8 from "$H4" | tee /dev/stderr | grep -q "dev ppp0 table 100"
}
ok "source routing: traffic from the PPPoE address leaves by ppp0" srcroute
ok "link-del of an XFRM interface that is not ours is refused" \
	eval '! xc home link-del --name xfrm7 && ip -n home link show xfrm7 > /dev/null'
ok "link-del of our Tunnel3.0" eval 'xc jikka link-del --name Tunnel3.0 && ! ip -n jikka link show Tunnel3.0 2> /dev/null'

###########################################################################
# 7. Cleanup: back to the snapshot, the foreign state untouched.
###########################################################################
# the encap sockets' per-socket bypass policies go with the sockets
for c in encap-home encap-jikka; do
	p=$(awk -v n=$c '$2 == n { print $1 }' "$TOPO_DIR/pids")
	[ -n "$p" ] && kill_wait TERM $p
done
cleanup_house() {
	xc "$1" cleanup | tee "$OUT/$1.cleanup" &&
		snapshot "$1" "$OUT/$1.after" && diff -u "$OUT/$1.before" "$OUT/$1.after"
}
ok "home: cleanup leaves the kernel tables as they were" cleanup_house home
ok "jikka: cleanup leaves the kernel tables as they were" cleanup_house jikka
diag "home cleanup: $(cat "$OUT/home.cleanup"), jikka: $(cat "$OUT/jikka.cleanup")"
ok "the foreign SA, policy and XFRM interface are still there" \
	eval 'ip -n home xfrm state | grep -q "spi 0x00005555" && ip -n home xfrm policy | grep -q "if_id 0x7" && ip -n home link show xfrm7 > /dev/null'

diag "scenario took $((SECONDS - T0)) s"
tap_end
