#!/bin/sh
# mss.sh: "ip tcp adjust-mss" on the host kernel.  This kernel has no
# XFRM interfaces, so the tunnel is a veth of the same name: the rules
# match interfaces by name, and the SYNs through them are real.
#
#   lan host (C) --- tsunagid's house (R) ---Tunnel1.0--- far host (S)
#
#   - the table "inet tsunagi" holds what the file asks for: auto is
#     the MTU less 40 (IPv4) or 60 (IPv6), a number is for IPv4 and 20
#     less for IPv6;
#   - SYNs C sends through Tunnel1.0 reach S clamped, IPv4 and IPv6, and
#     so do the SYNs S sends back in through it; a SYN already smaller
#     is left alone;
#   - a reload replaces the table whole; another table is never touched;
#   - SIGTERM removes the table; after a SIGKILL the next start replaces
#     what was left, not adds to it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd)
. "$top/tests/lib/tap.sh"

C=tsmss-c-$$
R=tsmss-r-$$
S=tsmss-s-$$
T=$(mktemp -d /tmp/tsmss.XXXXXX)
TAP_LOG=$T/tap.log
SYN="python3 $top/tests/tools/synmss.py"
dpid=

if [ "$(id -u)" != 0 ] || ! ip netns add "$R" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi
if ! ip netns exec "$R" nft list tables > /dev/null 2>&1; then
	echo "1..0 # SKIP needs nft and nf_tables (tests/install-deps)"
	ip netns del "$R"
	rm -rf "$T"
	exit 0
fi

cleanup() {
	[ -z "$dpid" ] || stop_pid "$dpid"
	for ns in $C $R $S; do ip netns del "$ns" 2> /dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

ip netns add "$C"
ip netns add "$S"
for ns in $C $R $S; do
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
done
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 \
	net.ipv6.conf.all.forwarding=1
ip link add lan netns "$R" type veth peer name c0 netns "$C"
ip link add Tunnel1.0 netns "$R" type veth peer name s0 netns "$S"
ip -n "$R" addr add 192.168.1.1/24 dev lan
ip -n "$R" addr add 2001:db8:1::1/64 dev lan nodad
ip -n "$C" addr add 192.168.1.2/24 dev c0
ip -n "$C" addr add 2001:db8:1::2/64 dev c0 nodad
ip -n "$R" addr add 198.51.100.1/24 dev Tunnel1.0
ip -n "$R" addr add 2001:db8:2::1/64 dev Tunnel1.0 nodad
ip -n "$S" addr add 198.51.100.2/24 dev s0
ip -n "$S" addr add 2001:db8:2::2/64 dev s0 nodad
for l in "$R lan" "$C c0" "$R Tunnel1.0" "$S s0"; do
	ip -n "${l% *}" link set "${l#* }" up
done
ip -n "$C" route add default via 192.168.1.1
ip -n "$C" -6 route add default via 2001:db8:1::1
ip -n "$S" route add default via 198.51.100.1
ip -n "$S" -6 route add default via 2001:db8:2::1

# Someone else's table, which tsunagid must leave as it is.
ip netns exec "$R" nft -f - << 'EOF'
table inet theirs {
	chain forward { type filter hook forward priority 0; policy accept; counter; }
}
EOF

# conf MSS1 MSS2: Tunnel1.0 (ip mtu 1400) and Tunnel2.0 (no ip mtu).
conf() {
	cat > "$T/r.conf" <<-EOF
		hostname home
		ikev2 authentication psk id keyid home key char "mss test home"
		ikev2 authentication psk id keyid jikka key char "mss test jikka"
		ikev2 default-profile
		  local-authentication psk id keyid home
		interface lan
		  ip address 192.168.1.1/24
		interface Tunnel1.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ip mtu 1400
		  $1
		  ikev2 connect-type click
		  ikev2 peer 198.51.100.2 authentication psk id keyid jikka
		interface Tunnel2.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  $2
		  ikev2 connect-type click
		  ikev2 peer 198.51.100.3 authentication psk id keyid jikka
	EOF
	chmod 600 "$T/r.conf"
}

start() {
	ip netns exec "$R" "$build/tsunagid" -d -v -f "$T/r.conf" \
		-s "$T/sock" -p "$T/pid" >> "$T/r.log" 2>&1 &
	dpid=$!
	wait_for 10 "$build/tsunagictl" -s "$T/sock" show status
}
table() { ip netns exec "$R" nft list table inet tsunagi 2> /dev/null; }
no_table() { ! ip netns exec "$R" nft list table inet tsunagi > /dev/null 2>&1; }
# rule DIR IF FAMILY MSS: the table clamps that direction to MSS.
rule() {
	table | grep -q "$1 \"$2\" meta nfproto $3 tcp flags syn tcp option maxseg size > $4 tcp option maxseg size set $4$"
}
nrules() { table | grep -c 'maxseg size set'; }
theirs() { ip netns exec "$R" nft list table inet theirs | grep -q counter; }

# syns FROM TO-NS TO4 TO6: one IPv4 and one IPv6 connection FROM -> TO;
# prints what reached TO-NS ("ipv4 MSS" and "ipv6 MSS", sorted).
syns() {
	rm -f "$T/syn.out"
	ip netns exec "$2" $SYN listen 5001 2 > "$T/syn.out" 2> "$T/syn.err" &
	_l=$!
	wait_for 5 grep -q ready "$T/syn.out"
	ip netns exec "$1" $SYN connect "$3" 5001
	ip netns exec "$1" $SYN connect "$4" 5001
	wait "$_l"
	grep -v ready "$T/syn.out" | sort | tr '\n' ' '
}

conf "ip tcp adjust-mss auto" "ip tcp adjust-mss 1300"
start
ok "the table is made at start" wait_for 10 table
ok "auto: IPv4 SYNs into Tunnel1.0 clamped to 1400 - 40" \
	rule oifname Tunnel1.0 ipv4 1360
ok "auto: IPv6 SYNs into Tunnel1.0 clamped to 1400 - 60" \
	rule oifname Tunnel1.0 ipv6 1340
ok "auto: SYNs coming out of Tunnel1.0 too (IPv4)" \
	rule iifname Tunnel1.0 ipv4 1360
ok "auto: SYNs coming out of Tunnel1.0 too (IPv6)" \
	rule iifname Tunnel1.0 ipv6 1340
ok "a number: IPv4 SYNs into Tunnel2.0 clamped to it" \
	rule oifname Tunnel2.0 ipv4 1300
ok "a number: IPv6 SYNs get 20 less, the same packet size" \
	rule oifname Tunnel2.0 ipv6 1280
ok "eight rules, nothing else" [ "$(nrules)" = 8 ]
ok "start logged what it clamps" \
	grep -q "Tunnel1.0: TCP SYNs clamped to MSS 1360 (IPv4) and 1340 (IPv6), MTU 1400" "$T/r.log"

# The LAN host's SYNs advertise 1460 and 1440 (a 1500-byte LAN).
got=$(syns "$C" "$S" 198.51.100.2 2001:db8:2::2)
diag "lan host -> far host, as they arrived: $got"
ok "a LAN host's SYNs into the tunnel arrive clamped (IPv4 1360, IPv6 1340)" \
	[ "$got" = "ipv4 1360 ipv6 1340 " ]
got=$(syns "$S" "$C" 192.168.1.2 2001:db8:1::2)
diag "far host -> lan host, as they arrived: $got"
ok "SYNs out of the tunnel to the LAN arrive clamped too" \
	[ "$got" = "ipv4 1360 ipv6 1340 " ]
ip -n "$C" link set c0 mtu 1300
got=$(syns "$C" "$S" 198.51.100.2 2001:db8:2::2)
diag "from a host whose MTU is 1300: $got"
ok "a SYN whose MSS is smaller already is left alone" \
	[ "$got" = "ipv4 1260 ipv6 1240 " ]
ip -n "$C" link set c0 mtu 1500

# A bulk transfer through a "tunnel" of MTU 1400 between hosts of MTU
# 1500: with the clamping no segment is too big, so the LAN host never
# needs an ICMP "fragmentation needed" (it would keep a PMTU exception).
ip -n "$R" link set Tunnel1.0 mtu 1400
# bulk TO4: 10 MB from the LAN host; prints what the sink and sender said.
bulk() {
	rm -f "$T/sink.out"
	ip netns exec "$S" $SYN sink 5002 > "$T/sink.out" 2> "$T/sink.err" &
	_k=$!
	wait_for 5 grep -q ready "$T/sink.out"
	ip netns exec "$C" $SYN send "$1" 5002 10485760 > "$T/send.out" \
		2> "$T/send.err"
	wait "$_k"
	grep -v ready "$T/sink.out" | tr '\n' ' '
	tr '\n' ' ' < "$T/send.out"
}
pmtu() { ip -n "$C" route get "$1" | grep -o 'mtu [0-9]*'; }
got=$(bulk 198.51.100.2)
diag "10 MB to the far host: $got"
ok "10 MB through the clamped tunnel: all of it arrives" \
	sh -c "echo '$got' | grep -q '^ipv4 1360 received 10485760 sent'"
ok "...and the LAN host never needed a smaller path MTU" [ -z "$(pmtu 198.51.100.2)" ]

# Reload: Tunnel1.0 stops clamping, Tunnel2.0 changes its number.
conf "" "ip tcp adjust-mss 1200"
kill -HUP "$dpid"
ok "reload: Tunnel2.0's new number is in the table" \
	wait_for 10 rule oifname Tunnel2.0 ipv4 1200
ok "reload: the table was replaced whole (Tunnel1.0 gone, four rules)" \
	[ "$(nrules)" = 4 ]
ok "reload: logged" grep -q "Tunnel1.0: TCP MSS no longer clamped" "$T/r.log"
got=$(syns "$C" "$S" 198.51.100.2 2001:db8:2::2)
diag "after the reload: $got"
ok "reload: SYNs into Tunnel1.0 are no longer clamped" \
	[ "$got" = "ipv4 1460 ipv6 1440 " ]
got=$(bulk 198.51.100.2)
diag "10 MB to the far host without clamping: $got, path MTU $(pmtu 198.51.100.2)"
ok "without clamping the LAN host learns the smaller path MTU the hard way" \
	[ "$(pmtu 198.51.100.2)" = "mtu 1400" ]
conf "" ""
kill -HUP "$dpid"
ok "reload: nothing left to clamp: no table" wait_for 10 no_table

conf "ip tcp adjust-mss auto" "ip tcp adjust-mss 1300"
kill -HUP "$dpid"
ok "reload: the table again" wait_for 10 rule oifname Tunnel1.0 ipv4 1360
stop_pid "$dpid"
rc=$?
dpid=
ok "SIGTERM: tsunagid exits 0 ($rc)" [ "$rc" = 0 ]
ok "SIGTERM: the table is removed" no_table
ok "SIGTERM: said so" grep -q "table inet tsunagi removed" "$T/r.log"

start
wait_for 10 table
kill -KILL "$dpid"
wait "$dpid" 2> /dev/null
dpid=
ok "SIGKILL: the table stays behind" table
conf "ip tcp adjust-mss 1280" ""
start
ok "the next start replaces it" wait_for 10 rule oifname Tunnel1.0 ipv4 1280
ok "...not adds to it (four rules)" [ "$(nrules)" = 4 ]
stop_pid "$dpid"
dpid=
ok "the other table was never touched" theirs
ok "no sanitizer report" sh -c "! grep -q -E 'Sanitizer|runtime error' '$T/r.log'"
ok "no key in the log" sh -c "! grep -q 'mss test' '$T/r.log'"
grep -E "mss|nft" "$T/r.log" | sed 's/^/# /'
tap_end
