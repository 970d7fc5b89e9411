#!/bin/bash
# ike: two tsunagid (home, jikka) negotiate IKEv2/ESP on the real kernel.
# Tunnel1.0 over IPv6 IPoE (wan6), Tunnel2.0 over IPv4 PPPoE (ppp0), both
# "connect-type auto" on both ends (so they also initiate at once), same
# peer identity on both tunnels.  Checks: both tunnels up at once, LAN
# hosts ping each other across each (routes set here until OSPF exists),
# ESP counters rise, a cut IPv6 path is found by liveness checks while
# Tunnel2.0 stays up, the tunnel returns when the path does, "clear ikev2
# sa" re-initiates, and a stopped daemon leaves no kernel state behind.
# Then jikka runs what "tsunagid -x" made of home's file, and the pair
# comes up.
#
#   tests/vm/run tests/vm/scenarios/ike.sh
#
# TAP output; TAP_VERBOSE=1 shows each check's output and time.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
trap topo_down EXIT
tap_plan

OUT=${VM_OUT:-/tmp}/ike
mkdir -p "$OUT"
PSK="vm test key: home and jikka share it"


# write_conf HOUSE: the house's configuration (IX syntax), as small as it
# gets: wan6, ppp0 and lan are the OS's, named but never declared.
write_conf() {
	local h=$1 me peer src6 peer6 peer4 f=$OUT/$1.conf
	if [ "$h" = home ]; then
		me=home peer=jikka src6=$HOME_WAN6 peer6=$JIKKA_WAN6
		peer4=$(ppp_addr jikka)
	else
		me=jikka peer=home src6=$JIKKA_WAN6 peer6=$HOME_WAN6
		peer4=$(ppp_addr home)
	fi
	cat > "$f" <<-EOF
		hostname $me-gw
		ikev2 authentication psk id keyid home key char "$PSK"
		ikev2 authentication psk id keyid jikka key char "$PSK"
		ikev2 default-profile
		  local-authentication psk id keyid $me
		  dpd-interval 3
		interface Tunnel1.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ikev2 connect-type auto
		  ikev2 outgoing-interface wan6
		  ikev2 source-address $src6
		  ikev2 peer $peer6 authentication psk id keyid $peer
		interface Tunnel2.0
		  tunnel mode ipsec-ikev2
		  ip unnumbered lan
		  ikev2 connect-type auto
		  ikev2 outgoing-interface ppp0
		  ikev2 peer $peer4 authentication psk id keyid $peer
	EOF
	chmod 600 "$f"
}


lan_ping4() { nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"; }
lan_ping6() { nsx home-lan ping -6 -n -c 1 -W 2 "$JIKKA_LANHOST6"; }
nothing_left() { xfrm_clean "$1" && ! ip -n "$1" link show Tunnel1.0 2> /dev/null; }
esp_out() { sa_field home "$1" esp-packets-out; }
esp_in() { sa_field jikka "$1" esp-packets-in; }

t0=$SECONDS
ok "topology up" topo_up || exit 1
diag "topology in $((SECONDS - t0)) s"
for h in home jikka; do
	write_conf "$h"
	ok "$h: no interface block, and -n finds every name in the kernel" sh -c \
		"test -z \"\$(ip netns exec $h $TSUNAGI_BUILD/tsunagid -n -f $OUT/$h.conf 2>&1 > /dev/null)\" &&
		ip netns exec $h $TSUNAGI_BUILD/tsunagid -n -f $OUT/$h.conf | grep -qx 'configuration OK'"
	ok "$h: tsunagid checks and runs its configuration" \
		tsunagid_start "$h" "$OUT/$h.conf" -v
done

t0=$SECONDS
ok "Tunnel1.0 (IPv6 outer) up on both sides" wait_for 60 tunnel_up_both Tunnel1.0
diag "Tunnel1.0 up after $((SECONDS - t0)) s"
ok "Tunnel2.0 (IPv4/PPPoE outer) up on both sides" \
	wait_for 60 tunnel_up_both Tunnel2.0
diag "Tunnel2.0 up after $((SECONDS - t0)) s"
tctl home show ikev2 sa | sed 's/^/# /'
# same KEY: HOUSE1's KEY1 equals HOUSE2's KEY2 (and is not empty).
same() {
	local a b
	a=$(sa_field home Tunnel1.0 "$1") b=$(sa_field jikka Tunnel1.0 "$2")
	echo "home $1=$a jikka $2=$b"
	[ -n "$a" ] && [ "$a" = "$b" ]
}
ok "both ends agree on Tunnel1.0's IKE SPIs" same ike-spi-i ike-spi-i
ok "Tunnel1.0's ESP SPIs cross over" same esp-spi-out esp-spi-in
ok "XFRM interface Tunnel1.0 exists with the unnumbered address" \
	sh -c "ip -n home addr show dev Tunnel1.0 | grep -q 'inet $HOME_LAN4/32'"
# The LAN renumbered under the daemon (as systemd-networkd would): the
# unnumbered tunnels follow the kernel's address, and come back with it.
borrows() {
	ip -n home addr show dev "$1" | grep -q "inet $2/32" &&
		! ip -n home addr show dev "$1" | grep -q "inet $3/32"
}
# renumber_lan FROM TO WHAT: move home's LAN from FROM to TO, then check.
renumber_lan() {
	local t
	ip -n home addr del "$1/24" dev lan
	ip -n home addr add "$2/24" dev lan
	for t in Tunnel1.0 Tunnel2.0; do
		ok "LAN $3: $t borrows $2" wait_for 10 borrows "$t" "$2" "$1"
	done
}
renumber_lan "$HOME_LAN4" 192.168.1.254 renumbered
# A moment with no IPv4 address on the LAN: show status says what the
# tunnels wait for, and they take the address that comes back.
st_tunnel() { tctl home show status | grep -A5 "tunnel *$1\$"; }
lends() { st_tunnel "$1" | grep -q 'borrows-from *lan$'; }
ok "show status: Tunnel1.0 borrows from lan" lends Tunnel1.0
ip -n home addr del 192.168.1.254/24 dev lan
waiting() { st_tunnel "$1" | grep -q 'waiting *lan has no IPv4 address to borrow'; }
ok "LAN without IPv4: show status says Tunnel1.0 waits for one" \
	wait_for 10 waiting Tunnel1.0
ok "and Tunnel2.0 too" waiting Tunnel2.0
ip -n home addr add 192.168.1.254/24 dev lan
no_wait() { ! tctl home show status | grep -q waiting; }
ok "the address back: nothing to wait for" wait_for 10 no_wait
renumber_lan 192.168.1.254 "$HOME_LAN4" "numbered back"
grep 'borrows' "$TOPO_DIR/tsunagid-home.log" 2> /dev/null | sed 's/^/# /'
json_ok() { tctl home --json show ikev2 sa | grep -q '"tunnel": "Tunnel2.0"'; }
ok "show ikev2 sa --json" json_ok

# Traffic through Tunnel1.0.
for h in home jikka; do lan_route "$h" Tunnel1.0; done
p0=$(esp_out Tunnel1.0)
ok "LAN to LAN over Tunnel1.0 (IPv4 in IPv6 ESP)" wait_for 15 lan_ping4
ok "LAN to LAN over Tunnel1.0 (IPv6 in IPv6 ESP)" wait_for 15 lan_ping6
rose() { [ "$(esp_out "$1")" -gt "${2:-0}" ] && [ "$(esp_in "$1")" -gt 0 ]; }
ok "Tunnel1.0 ESP counters rose (home out, jikka in)" rose Tunnel1.0 "$p0"

# Traffic through Tunnel2.0, Tunnel1.0 staying up.
for h in home jikka; do lan_route "$h" Tunnel2.0; done
p0=$(esp_out Tunnel2.0)
ok "LAN to LAN over Tunnel2.0 (IPv4 in IPv4 ESP over PPPoE)" \
	wait_for 15 lan_ping4
ok "Tunnel2.0 ESP counters rose" rose Tunnel2.0 "$p0"
ok "Tunnel1.0 still up with Tunnel2.0 (same identity)" tunnel_up_both Tunnel1.0

# Cut the IPv6 path: liveness checks find it, Tunnel2.0 is untouched.
# A blackhole at the ISP, not a link down: that would also flush isp6's
# routes, and the path would never come back.
t0=$SECONDS
ip -n isp6 -6 route add blackhole "$JIKKA_WAN6/128"
not_up() { ! tunnel_state_is "$1" "$2" up; }
ok "cut IPv6 path: liveness failure takes Tunnel1.0 down (home)" \
	wait_for 90 not_up home Tunnel1.0
diag "Tunnel1.0 down $((SECONDS - t0)) s after the cut"
ok "Tunnel1.0's ESP SAs gone from home's kernel" sh -c \
	"! ip -n home xfrm state | grep -q '$JIKKA_WAN6'"
ok "Tunnel2.0 still up during the IPv6 outage" tunnel_up_both Tunnel2.0
ok "LAN to LAN over Tunnel2.0 during the outage" wait_for 10 lan_ping4
ip -n isp6 -6 route del blackhole "$JIKKA_WAN6/128"
t0=$SECONDS
ok "path back: Tunnel1.0 re-established" wait_for 90 tunnel_up_both Tunnel1.0
diag "Tunnel1.0 back $((SECONDS - t0)) s after the repair"
for h in home jikka; do lan_route "$h" Tunnel1.0; done
ok "LAN to LAN over Tunnel1.0 again" wait_for 15 lan_ping4

# clear ikev2 sa: the other tunnel stays, the cleared one comes back.
spi=$(sa_field home Tunnel2.0 ike-spi-i)
ok "clear ikev2 sa Tunnel2.0" tctl home clear ikev2 sa Tunnel2.0
new_sa() { [ "$(sa_field home Tunnel2.0 ike-spi-i)" != "$spi" ] && tunnel_state_is home Tunnel2.0 up; }
ok "Tunnel2.0 back with a new IKE SA" wait_for 30 new_sa
ok "Tunnel2.0 up on both sides after the clear" wait_for 30 tunnel_up_both Tunnel2.0
ok "Tunnel1.0 untouched by the clear" tunnel_up_both Tunnel1.0

# Shutdown leaves nothing behind.
for h in home jikka; do
	ok "$h: tsunagid exits on SIGTERM" tsunagid_stop "$h"
	ok "$h: no SA, policy or tunnel interface left" nothing_left "$h"
done
# One file, both houses: jikka runs what "tsunagid -x" makes of home's
# file on home's box (the addresses home's kernel gives it).
EXP=$OUT/jikka-exported.conf
ok "tsunagid -x on home's box writes jikka's configuration" sh -c \
	"ip netns exec home $TSUNAGI_BUILD/tsunagid -x -f $OUT/home.conf > $EXP && chmod 600 $EXP"
sed 's/^/# /' "$EXP"
exported_ok() {
	grep -qx 'hostname jikka-gw' "$EXP" &&
		grep -qx '  local-authentication psk id keyid jikka' "$EXP" &&
		grep -q "ikev2 peer $HOME_WAN6 authentication psk id keyid home" "$EXP" &&
		grep -q "ikev2 peer $(ppp_addr home) authentication psk id keyid home" "$EXP"
}
ok "...with jikka's identity, home as its peer at home's addresses" exported_ok
ok "jikka: tsunagid -n accepts it, finding its interfaces" sh -c \
	"ip netns exec jikka $TSUNAGI_BUILD/tsunagid -n -f $EXP | tail -n 1 | grep -qx 'configuration OK'"
for h in home jikka; do
	f=$OUT/home.conf
	[ "$h" = jikka ] && f=$EXP
	ok "$h: tsunagid runs ${f##*/}" tsunagid_start "$h" "$f"
done
ok "the exported pair: Tunnel1.0 up on both sides" \
	wait_for 60 tunnel_up_both Tunnel1.0
ok "the exported pair: Tunnel2.0 up on both sides" \
	wait_for 60 tunnel_up_both Tunnel2.0
for h in home jikka; do lan_route "$h" Tunnel1.0; done
ok "the exported pair: LAN to LAN" wait_for 15 lan_ping4
for h in home jikka; do
	ok "$h: tsunagid exits on SIGTERM (the exported pair)" tsunagid_stop "$h"
done

ok "the pre-shared key is in no log line (debug level included)" \
	sh -c "! grep -q -F '$PSK' $TOPO_DIR/tsunagid-home.log $TOPO_DIR/tsunagid-jikka.log"
cp "$TOPO_DIR"/tsunagid-*.log "$OUT/" 2> /dev/null
tap_end
