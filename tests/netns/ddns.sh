#!/bin/sh
# ddns.sh: the ddns module against a real BIND9 named with TSIG, in two
# throw-away network namespaces joined by a veth: RFC 2136 updates (A,
# AAAA, replace, hmac-sha512, wrong key, unknown key, refused by policy),
# the address-event path end to end (an address added in the namespace is
# in DNS within 1 s; deleting it publishes nothing), and the libunbound
# resolver (TTL-driven re-resolve, NXDOMAIN, DNSSEC bogus).  TAP output.
#
#   tests/netns/ddns.sh            (as root; DDNSCTL=path overrides)

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"
. "$top/tests/netns/ddns.inc"

NSD=tsddns-dns-$$
NSC=tsddns-cli-$$
S4=192.0.2.53
S6=2001:db8:53::1

ddns_netns_begin "$NSD" "$NSC" tsddns
if ! command -v named > /dev/null || ! command -v dig > /dev/null; then
	echo "1..0 # SKIP bind9 and bind9-dnsutils are not installed"
	exit 0
fi

C() { ip netns exec "$NSC" "$@"; }
D() { ip netns exec "$NSD" "$@"; }

# --- the network: dns <-veth-> cli, and wan0/wan1 in cli for events ------
ddns_link $S4 $S6 192.0.2.10 2001:db8:53::10
ddns_wans "$NSC" 4

# --- named -------------------------------------------------------------------
tsig-keygen -a hmac-sha256 home-key > "$TMP/home.key"
tsig-keygen -a hmac-sha512 big-key > "$TMP/big.key"
tsig-keygen -a hmac-sha256 admin-key > "$TMP/admin.key"
tsig-keygen -a hmac-sha256 home-key > "$TMP/wrong.key" # same name, other secret
tsig-keygen -a hmac-sha256 nobody-key > "$TMP/nobody.key"
cat > "$TMP/example.net.db" << EOF
\$TTL 300
@	SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 1
	NS ns.example.net.
ns	A $S4
peer	2 A 198.51.100.1
EOF
cat > "$TMP/named.conf" << EOF
options {
	directory "$TMP";
	pid-file "$TMP/named.pid";
	listen-on { $S4; };
	listen-on-v6 { $S6; };
	recursion no;
	dnssec-validation no;
	allow-query { any; };
};
include "$TMP/home.key";
include "$TMP/big.key";
include "$TMP/admin.key";
zone "example.net" {
	type primary;
	file "$TMP/example.net.db";
	update-policy {
		grant home-key name home.example.net. A AAAA;
		grant big-key name home.example.net. A AAAA;
		grant admin-key zonesub ANY;
	};
};
EOF
D named -g -c "$TMP/named.conf" > "$TMP/named.log" 2>&1 &
PIDS="$PIDS $!"

dig_short() { # NAME TYPE
	C dig +short +norec +time=1 +tries=1 @$S4 "$1" "$2" 2> /dev/null | sort | tr '\n' ' ' | sed 's/ $//'
}
has() { [ "$(dig_short "$1" "$2")" = "$3" ]; }
up() { [ "$(dig_short example.net SOA | cut -d' ' -f1)" = ns.example.net. ]; }

ok "named answers for example.net" wait_for 10 up
if ! up; then
	diag "named did not start:"
	sed 's/^/#   /' "$TMP/named.log" | tail -n 20
	tap_end
	exit 1
fi

upd() { # KEYFILE KEYNAME ALG SERVER ADDR [NAME]
	C "$DDNSCTL" update --server "$4" --zone example.net \
	    --name "${6:-home.example.net}" --key-name "$2" --alg "$3" \
	    --secret-file "$1" --addr "$5" > "$TMP/upd.out" 2> "$TMP/upd.err"
}
out_has() { grep -q "$1" "$TMP/upd.out"; }

# --- one-shot updates ----------------------------------------------------
upd "$TMP/home.key" home-key hmac-sha256 $S4 192.0.2.7
ok "update A over IPv4, TSIG hmac-sha256: NOERROR" out_has "^ok: NOERROR (tries 1)"
ok "dig sees home A 192.0.2.7" has home.example.net A 192.0.2.7
upd "$TMP/home.key" home-key hmac-sha256 $S6 2001:db8:1::7
ok "update AAAA over IPv6: NOERROR" out_has "^ok: NOERROR"
ok "dig sees home AAAA 2001:db8:1::7" has home.example.net AAAA 2001:db8:1::7
upd "$TMP/home.key" home-key hmac-sha256 $S4 192.0.2.8
ok "replace A: dig sees only 192.0.2.8" has home.example.net A 192.0.2.8
ok "replacing A left AAAA alone" has home.example.net AAAA 2001:db8:1::7
upd "$TMP/big.key" big-key hmac-sha512 $S4 192.0.2.9
ok "update with an hmac-sha512 key: NOERROR" out_has "^ok: NOERROR"
ok "dig sees 192.0.2.9" has home.example.net A 192.0.2.9

upd "$TMP/wrong.key" home-key hmac-sha256 $S4 192.0.2.66
diag "wrong secret: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "wrong secret: clear BADSIG error" out_has "^error: NOTAUTH: BADSIG"
ok "wrong secret: exactly one datagram, permanent" sh -c \
    "grep -q '(tries 1)' $TMP/upd.out && grep -q 'permanent: yes' $TMP/upd.out"
ok "wrong secret: record unchanged" has home.example.net A 192.0.2.9
upd "$TMP/nobody.key" nobody-key hmac-sha256 $S4 192.0.2.66
diag "unknown key: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "unknown key: clear BADKEY error" out_has "^error: NOTAUTH: BADKEY"
upd "$TMP/home.key" home-key hmac-sha256 $S4 192.0.2.66 other.example.net
diag "not allowed by update-policy: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "name outside the key's policy: REFUSED, permanent" sh -c \
    "grep -q '^error: REFUSED' $TMP/upd.out && grep -q 'permanent: yes' $TMP/upd.out"

# --- address events end to end -----------------------------------------------
# Poll dig every 50 ms for up to 2 s; prints the milliseconds it took.
time_until() { # NAME TYPE WANT T0
	while [ $(($(ms) - $4)) -lt 2000 ]; do
		if has "$1" "$2" "$3"; then
			echo $(($(ms) - $4))
			return 0
		fi
		sleep 0.05
	done
	echo never
	return 1
}
within_1s() { [ "$1" != never ] && [ "$1" -le 1000 ]; }
sends() { grep -c "sending UPDATE" "$1"; }

watch() { # LOG IF FAMILY KEYFILE
	C "$DDNSCTL" watch --server $S4 --zone example.net \
	    --name home.example.net --key-name home-key --alg hmac-sha256 \
	    --secret-file "$4" --if "$2" --family "$3" --timeout 120 \
	    > "$1.out" 2> "$1" &
	PIDS="$PIDS $!"
	wait_for 5 grep -q ready "$1.out"
}

watch "$TMP/w4.log" wan0 4 "$TMP/home.key"
sleep 0.5
t0=$(ms)
C ip addr add 203.0.113.5 peer 203.0.113.1 dev wan0
t=$(time_until home.example.net A 203.0.113.5 "$t0")
diag "PPPoE-style /32 added: record visible after $t ms"
ok "address added on wan0: A updated within 1 s" within_1s "$t"
sleep 0.3
t0=$(ms)
C ip addr del 203.0.113.5 peer 203.0.113.1 dev wan0
C ip addr add 203.0.113.6 peer 203.0.113.1 dev wan0
t=$(time_until home.example.net A 203.0.113.6 "$t0")
diag "address replaced: record visible after $t ms"
ok "address replaced: A updated within 1 s" within_1s "$t"
sleep 0.5
n=$(sends "$TMP/w4.log")
C ip addr del 203.0.113.6 peer 203.0.113.1 dev wan0
sleep 2
diag "UPDATEs sent: $n before the delete, $(sends "$TMP/w4.log") after"
ok "address deleted: no UPDATE sent" [ "$(sends "$TMP/w4.log")" -eq "$n" ]
ok "address deleted: record keeps the last good address" \
    has home.example.net A 203.0.113.6
ok "replace was coalesced: 2 UPDATEs for 2 changes" [ "$n" -eq 2 ]

watch "$TMP/w6.log" wan1 6 "$TMP/home.key"
sleep 0.5
C ip addr add fd00:1::5/64 dev wan1 nodad
C ip addr add 2001:db8:2::9/64 dev wan1 nodad valid_lft 600 preferred_lft 0
sleep 1
ok "ULA, link-local and deprecated IPv6: nothing sent" \
    [ "$(sends "$TMP/w6.log")" -eq 0 ]
t0=$(ms)
C ip addr add 2001:db8:2::5/64 dev wan1 nodad
t=$(time_until home.example.net AAAA 2001:db8:2::5 "$t0")
diag "global IPv6 added: AAAA visible after $t ms"
ok "global IPv6 on wan1: AAAA updated within 1 s" within_1s "$t"
C ip addr add 2001:db8:2::4/64 dev wan1 nodad valid_lft 3600 preferred_lft 3600
sleep 1
ok "a finite-lifetime address does not displace a forever one" \
    has home.example.net AAAA 2001:db8:2::5

watch "$TMP/wbad.log" wan2 4 "$TMP/wrong.key"
sleep 0.5
C ip addr add 203.0.113.77/24 dev wan2
sleep 3
diag "wrong key in watch mode: $(grep -h refused "$TMP/wbad.log" | head -n 1)"
ok "watch with a wrong key: exactly one UPDATE in 3 s (no storm)" \
    [ "$(sends "$TMP/wbad.log")" -eq 1 ]
ok "watch with a wrong key: clear error logged" \
    grep -q "refused: NOTAUTH: BADSIG" "$TMP/wbad.log"
C ip addr add 203.0.113.78/24 dev wan2
sleep 1
ok "address events on the refused address do not retry it" \
    [ "$(sends "$TMP/wbad.log")" -eq 1 ]

# pppd adds its address a moment before its default route: the update
# cannot leave yet (ENETUNREACH), and is tried again in 250 ms, not 2 s.
watch "$TMP/w7.log" wan3 4 "$TMP/home.key"
sleep 0.5
C ip route add unreachable $S4/32
t0=$(ms)
C ip addr add 203.0.113.9 peer 203.0.113.1 dev wan3
wait_for 5 grep -q "retry in 250 ms" "$TMP/w7.log"
C ip route del unreachable $S4/32
t=$(time_until home.example.net A 203.0.113.9 "$t0")
diag "no route to the server at first: $(grep -h 'failed' "$TMP/w7.log" | head -n 1)"
diag "record visible $t ms after the address, $(grep -c 'failed' "$TMP/w7.log") failed tries"
ok "no route to the server yet: tried again after 250 ms" \
    grep -q "failed: socket to server: .*; retry in 250 ms" "$TMP/w7.log"
ok "...and published once the route is there" [ "$t" != never ]

# --- resolver (home.example.net A is 203.0.113.9 from above) ----------------
res() { C "$DDNSCTL" resolve --server "$1" "$2" "$3" 2>> "$TMP/res.err"; }
r=$(res $S4 home.example.net A)
diag "resolve: $r"
ok "resolve A via forwarder $S4" [ "${r#*ok 203.0.113.9 }" != "$r" ]
r=$(res $S6 home.example.net AAAA)
diag "resolve: $r"
ok "resolve AAAA via forwarder $S6" [ "${r#*ok 2001:db8:2::5 }" != "$r" ]
r=$(res $S4 nothere.example.net A)
diag "resolve: $r"
ok "NXDOMAIN reported" [ "${r#*NXDOMAIN}" != "$r" ]

C "$DDNSCTL" resolve --server $S4 --follow 12 peer.example.net A \
    > "$TMP/follow.out" 2> "$TMP/follow.err" &
PIDS="$PIDS $!"
wait_for 5 grep -q "198.51.100.1" "$TMP/follow.out"
t0=$(ms)
C nsupdate -k "$TMP/admin.key" << EOF
server $S4
zone example.net
update delete peer.example.net A
update add peer.example.net 2 A 198.51.100.2
send
EOF
wait_for 8 grep -q "changed=1 peer.example.net A ok 198.51.100.2" \
    "$TMP/follow.out"
t=$(($(ms) - t0))
diag "TTL 2 record changed by nsupdate: new address seen after $t ms"
ok "resolver re-resolves at TTL expiry and sees the change" \
    grep -q "changed=1 peer.example.net A ok 198.51.100.2" "$TMP/follow.out"
# The follow runs 12 s: a TTL of 2 s makes 3 lookups in well under that
# (waited for, not read at once: a loaded machine is slow to start one).
three_lookups() { [ "$(wc -l < "$TMP/follow.out")" -ge 3 ]; }
ok "TTL honoured: at least 3 lookups of a TTL-2 name in ~5 s" \
    wait_for 8 three_lookups

# A trust anchor for a zone that is not signed: validation must fail.
echo "example.net. DS 12345 13 2 $(printf '%064d' 0)" > "$TMP/ta"
r=$(C "$DDNSCTL" resolve --server $S4 --ta "$TMP/ta" home.example.net A \
    2>> "$TMP/res.err")
diag "with a trust anchor: $r"
ok "DNSSEC: bogus answer rejected and reported" \
    [ "${r#*DNSSEC bogus}" != "$r" ]

tap_end
