#!/bin/sh
# dyndns2.sh: the dyndns2 updater against a real HTTPS server (a small
# python3 http.server + ssl, tests/netns/dyndns2_server.py, with a test CA
# made here by the openssl command) in two throw-away network namespaces
# joined by a veth; named, when installed, serves the server's name.
# One-shot requests (literal v4/v6 and named URLs, family fallback, plain
# http, nochg, badauth, nohost, 503, certificates that do not verify, a
# silent server), then the profile path end to end with ddnsctl watch (an
# address is published, an unchanged selection sends nothing, badauth is
# not retried, 911 backs off) and with tsunagid (show ddns, reload).
# TAP output.
#
#   tests/netns/dyndns2.sh          (as root; DDNSCTL=path overrides)

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/tap.sh"
. "$top/tests/netns/ddns.inc"

NSS=tsdd2-srv-$$
NSC=tsdd2-cli-$$
S4=192.0.2.80
S6=2001:db8:80::1
PW=s3cret

ddns_netns_begin "$NSS" "$NSC" tsdd2
LOG=$TMP/requests.log
build=$(dirname "$(dirname "$(dirname "$DDNSCTL")")")
if ! command -v openssl > /dev/null || ! command -v python3 > /dev/null; then
	echo "1..0 # SKIP needs the openssl command and python3"
	exit 0
fi
VERSION=$(sed -n 's/^AC_INIT(\[tsunagi\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")

C() { ip netns exec "$NSC" "$@"; }
S() { ip netns exec "$NSS" "$@"; }

# --- the network: srv <-veth-> cli, and wan0..3 in cli for events --------
ddns_link $S4 $S6 192.0.2.10 2001:db8:80::10
C ip addr add 192.0.2.81/32 dev lo # nothing listens there: refused
ddns_wans "$NSC" 4

# --- certificates: a CA we trust, one we do not ----------------------------
cert() { # NAME CA SAN
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -keyout "$TMP/$1.key" -out "$TMP/$1.csr" -subj "/CN=$1" 2> /dev/null &&
	    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$3" > "$TMP/$1.ext" &&
	    openssl x509 -req -in "$TMP/$1.csr" -CA "$TMP/$2.pem" \
		-CAkey "$TMP/$2.key" -CAcreateserial -days 2 \
		-extfile "$TMP/$1.ext" -out "$TMP/$1.pem" 2> /dev/null
}
ca() { # NAME
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$TMP/$1.key" -out "$TMP/$1.pem" -days 2 \
	    -subj "/CN=tsunagi test $1" \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign 2> /dev/null
}
ca ca && ca rogue &&
	cert good ca "DNS:dyn.example.net,DNS:dead.example.net,DNS:dyn6.example.net,IP:$S4,IP:$S6" &&
	cert evil rogue "DNS:dyn.example.net,IP:$S4" &&
	cert other ca "DNS:other.example.net"
ok "test CA and server certificates made" test -s "$TMP/other.pem"
# Only our test CA is trusted: nothing in the system store applies here.
export SSL_CERT_FILE="$TMP/ca.pem"
export SSL_CERT_DIR="$TMP/nocerts"

# --- the servers ---------------------------------------------------------------
serve() { # PORT ARGS...
	_p=$1
	shift
	S python3 "$top/tests/netns/dyndns2_server.py" --port "$_p" \
	    --log "$LOG" "$@" > "$TMP/srv-$_p.out" 2> "$TMP/srv-$_p.err" &
	PIDS="$PIDS $!"
}
serve 443 --cert "$TMP/good.pem" --key "$TMP/good.key"
serve 80
serve 8443 --cert "$TMP/evil.pem" --key "$TMP/evil.key"
serve 9443 --cert "$TMP/other.pem" --key "$TMP/other.key"
serve 7443 --silent
ready() { for p in 443 80 8443 9443 7443; do grep -q ready "$TMP/srv-$p.out" || return 1; done; }
ok "dyndns2 test servers listen" wait_for 10 ready
if ! ready; then
	cat "$TMP"/srv-*.err | sed 's/^/#   /' | tail -n 20
	tap_end
	exit 1
fi

# The server's names, when named is there to serve them.
DNS=""
if command -v named > /dev/null; then
	cat > "$TMP/example.net.db" << EOF
\$TTL 60
@	SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 1
	NS ns.example.net.
ns	A $S4
dyn	A $S4
dyn	AAAA $S6
dyn6	AAAA $S6
dead	A 192.0.2.81
dead	AAAA $S6
EOF
	cat > "$TMP/named.conf" << EOF
options {
	directory "$TMP";
	pid-file "$TMP/named.pid";
	listen-on { $S4; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	allow-query { any; };
};
zone "example.net" { type primary; file "$TMP/example.net.db"; };
EOF
	S named -g -c "$TMP/named.conf" > "$TMP/named.log" 2>&1 &
	PIDS="$PIDS $!"
	DNS=$S4
	wait_for 10 sh -c "ip netns exec $NSS ss -lun | grep -q '$S4:53 '"
fi

# --- one-shot requests ------------------------------------------------------
upd() { # URL NAME ADDR [PASSWORD]
	printf '%s\n' "${4:-$PW}" > "$TMP/pw"
	C "$DDNSCTL" update --url "$1" --user alice --password-file "$TMP/pw" \
	    --name "$2" --addr "$3" ${DNS:+--dns $DNS} \
	    > "$TMP/upd.out" 2> "$TMP/upd.err"
}
out_has() { grep -q -- "$1" "$TMP/upd.out"; }
nreq() { # [PORT]: requests the servers saw (on PORT)
	[ -f "$LOG" ] || { echo 0; return; }
	grep '"line"' "$LOG" | grep -c "\"port\": ${1:-[0-9]*}," 
}
last() { grep '"line"' "$LOG" | tail -n 1; }
last_has() { last | grep -q -- "$1"; }

# A silent server: started now, judged at the end (15 s deadline).
printf '%s\n' "$PW" > "$TMP/pw0"
C "$DDNSCTL" update --url https://$S4:7443/nic/update --user alice \
    --password-file "$TMP/pw0" --name home.example.net --addr 203.0.113.9 \
    > "$TMP/silent.out" 2> "$TMP/silent.err" &
silent_pid=$!
PIDS="$PIDS $silent_pid"
silent_t0=$(ms)

upd https://$S4/nic/update home.example.net 203.0.113.5
diag "literal IPv4 URL: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "https to an IPv4 literal: good 203.0.113.5" out_has "^ok: good 203.0.113.5 (tries 1)"
ok "the request line as specified" last_has \
    '"line": "GET /nic/update?hostname=home.example.net&myip=203.0.113.5 HTTP/1.1"'
ok "Basic credentials accepted by the server" last_has '"auth_ok": true'
ok "User-Agent tsunagi/$VERSION" last_has "\"agent\": \"tsunagi/$VERSION\""
ok "Host header and Connection: close" sh -c \
    "grep '\"line\"' $LOG | tail -n 1 | grep -q '\"Host: $S4\", .*\"Connection: close\"'"
upd https://$S4/nic/update home.example.net 203.0.113.5
ok "same address again: nochg is fine" out_has "^ok: nochg 203.0.113.5"
upd "https://[$S6]/nic/update" home.example.net 2001:db8:1::5
ok "https to an IPv6 literal: good (AAAA)" out_has "^ok: good 2001:db8:1::5"
ok "... over IPv6" last_has '"client": "2001:db8:80::10"'
upd http://$S4/nic/update plain.example.net 198.51.100.7
ok "plain http:// works too" out_has "^ok: good 198.51.100.7"
ok "... and went to port 80" last_has '"port": 80,'
upd https://$S4/nic/update chunked.example.net 198.51.100.8
ok "a chunked answer is read" out_has "^ok: good 198.51.100.8"

if [ -n "$DNS" ]; then
	upd https://dyn.example.net/nic/update named.example.net 198.51.100.9
	diag "named URL: $(cat "$TMP/upd.out" | tr '\n' ' ')"
	ok "https to a name (looked up with the resolver): good" out_has "^ok: good 198.51.100.9"
	ok "TLS server name indication sent" grep -q '"sni": "dyn.example.net"' "$LOG"
	ok "an A record is sent over IPv4 first" last_has '"client": "::ffff:192.0.2.10"'
	upd https://dyn.example.net/nic/update named.example.net 2001:db8:1::9
	ok "an AAAA record is sent over IPv6 first" last_has '"client": "2001:db8:80::10"'
	upd https://dyn6.example.net/nic/update named.example.net 198.51.100.10
	diag "name with only AAAA: $(cat "$TMP/upd.out" | tr '\n' ' ')"
	ok "a name with no A: the other family is used" out_has "^ok: good 198.51.100.10"
	upd https://dead.example.net/nic/update named.example.net 198.51.100.11
	diag "A refuses, AAAA answers: $(cat "$TMP/upd.out" | tr '\n' ' ')"
	ok "connection refused on the A: tried the AAAA, good" out_has "^ok: good 198.51.100.11 (tries 2)"
	upd https://nothere.example.net/nic/update named.example.net 198.51.100.12
	diag "unknown server name: $(cat "$TMP/upd.out" | tr '\n' ' ')"
	ok "unknown server name: clear error, retried later" sh -c \
	    "grep -q '^error: looking up nothere.example.net' $TMP/upd.out && grep -q 'permanent: no' $TMP/upd.out"
else
	skip "requests to a server name" "named (bind9) is not installed"
fi

n=$(nreq)
upd https://$S4/nic/update home.example.net 203.0.113.6 wrong
diag "wrong password: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "wrong password: clear badauth error, permanent" sh -c \
    "grep -q '^error: badauth: user name or password not accepted (tries 1)' $TMP/upd.out && grep -q 'permanent: yes' $TMP/upd.out"
ok "wrong password: one request" [ "$(nreq)" -eq $((n + 1)) ]
upd https://$S4/nic/update nohost.example.net 203.0.113.6
ok "nohost: permanent" sh -c "grep -q '^error: nohost' $TMP/upd.out && grep -q 'permanent: yes' $TMP/upd.out"
upd https://$S4/nic/update busy.example.net 203.0.113.6
diag "HTTP 503: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "HTTP 503: retried later" sh -c "grep -q '^error: HTTP 503' $TMP/upd.out && grep -q 'permanent: no' $TMP/upd.out"
upd https://$S4/wrong/path home.example.net 203.0.113.6
ok "HTTP 404 (wrong URL path): permanent" sh -c "grep -q '^error: HTTP 404' $TMP/upd.out && grep -q 'permanent: yes' $TMP/upd.out"

n=$(nreq)
upd https://$S4:8443/nic/update home.example.net 203.0.113.6
diag "untrusted CA: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "certificate from an untrusted CA: refused, clear error" \
    out_has "^error: TLS: the certificate of $S4 does not verify"
upd https://$S4:9443/nic/update home.example.net 203.0.113.6
diag "wrong name: $(cat "$TMP/upd.out" | tr '\n' ' ')"
ok "certificate for another name: refused, clear error" \
    out_has "^error: TLS: the certificate of $S4 does not verify: .*mismatch"
ok "no request (no password) went to either" [ "$(nreq)" -eq "$n" ]
ok "the password is never logged" sh -c \
    "! grep -rq -e '$PW' -e 'czNjcmV0' $TMP/upd.err $TMP/upd.out"

# --- the profile path: ddnsctl watch ----------------------------------------------
watch() { # LOG IF FAMILY NAME [PASSWORD]
	printf '%s\n' "${5:-$PW}" > "$1.pw"
	C "$DDNSCTL" watch --url https://$S4/nic/update --user alice \
	    --password-file "$1.pw" --name "$4" --if "$2" --family "$3" \
	    --timeout 60 > "$1.out" 2> "$1" &
	PIDS="$PIDS $!"
	wait_for 5 grep -q ready "$1.out"
}
reqs_for() { grep '"line"' "$LOG" | grep -c "\"hostname\": \"$1\""; }

watch "$TMP/w0.log" wan0 4 watch.example.net
sleep 0.3
t0=$(ms)
C ip addr add 203.0.113.7 peer 203.0.113.1 dev wan0
wait_for 3 grep -q "203.0.113.7 published" "$TMP/w0.log"
diag "address added: published after $(($(ms) - t0)) ms"
ok "watch: an address added on wan0 is published (good)" \
    grep -q "watch.example.net A 203.0.113.7 published" "$TMP/w0.log"
ok "watch: the server holds it" sh -c \
    "grep '\"hostname\": \"watch.example.net\"' $LOG | tail -n 1 | grep -q '\"answer\": \"good 203.0.113.7\"'"
n=$(reqs_for watch.example.net)
C ip addr replace 203.0.113.7 peer 203.0.113.1 dev wan0
C ip addr add 198.51.100.20/24 dev wan0
sleep 2
ok "watch: events that leave the selection unchanged send nothing" \
    [ "$(reqs_for watch.example.net)" -eq "$n" ]

watch "$TMP/w1.log" wan1 4 bad.example.net wrong
sleep 0.3
C ip addr add 203.0.113.17/24 dev wan1
sleep 3
C ip addr replace 203.0.113.17/24 dev wan1
sleep 1
diag "badauth in watch mode: $(grep -h refused "$TMP/w1.log" | head -n 1)"
ok "watch with a wrong password: exactly one request in 4 s (no storm)" \
    [ "$(reqs_for bad.example.net)" -eq 1 ]
ok "watch with a wrong password: clear error logged once" sh -c \
    "test \$(grep -c 'refused: badauth: user name or password not accepted' $TMP/w1.log) -eq 1"

watch "$TMP/w2.log" wan2 4 fail.example.net
sleep 0.3
C ip addr add 203.0.113.27/24 dev wan2
wait_for 10 sh -c "test \$(grep '\"line\"' $LOG | grep -c '\"hostname\": \"fail.example.net\"') -ge 3"
times=$(grep '"line"' "$LOG" | grep '"hostname": "fail.example.net"' |
	sed 's/.*"t": \([0-9.]*\).*/\1/' | tr '\n' ' ')
diag "911 answers at: $times"
gaps_ok() { # T1 T2 T3: the second gap about twice the first, both >= 1.8 s
	awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN {
		g1 = b - a; g2 = c - b
		exit !(g1 >= 1.8 && g1 < 3.5 && g2 >= 3.8 && g2 < 6)
	}'
}
# shellcheck disable=SC2086
ok "911: retried with backoff (2 s, then 4 s)" gaps_ok $times
ok "911: the log says when it retries" sh -c \
    "grep -q 'failed: 911: server trouble or maintenance; retry in 2 s' $TMP/w2.log && grep -q 'retry in 4 s' $TMP/w2.log"

# --- tsunagid: the module from the configuration --------------------------------
if [ -x "$build/tsunagid" ] && [ -x "$build/tsunagictl" ]; then
	cat > "$TMP/tsunagi.conf" << EOF
hostname home
interface wan3
ddns profile dyn
  hostname daemon.example.net
  server dyndns2 https://$S4/nic/update username alice password $PW
  notify interface wan3 protocol ip
EOF
	chmod 600 "$TMP/tsunagi.conf"
	mkdir -p "$TMP/run"
	CTL="$build/tsunagictl -s $TMP/run/sock"
	C "$build/tsunagid" -d -f "$TMP/tsunagi.conf" -s "$TMP/run/sock" \
	    -p "$TMP/run/pid" > "$TMP/daemon.out" 2> "$TMP/daemon.log" &
	PIDS="$PIDS $!"
	wait_for 10 test -S "$TMP/run/sock"
	C ip addr add 203.0.113.37 peer 203.0.113.1 dev wan3
	wait_for 5 sh -c "$CTL show ddns | grep -q 'good 203.0.113.37'"
	$CTL show ddns > "$TMP/show.txt" 2>&1
	diag "show ddns: $(tr -s ' \n' ' ' < "$TMP/show.txt")"
	ok "tsunagid: the dyndns2 profile publishes (show ddns)" \
	    grep -q "good 203.0.113.37" "$TMP/show.txt"
	ok "tsunagid: show ddns names the protocol" grep -q "dyndns2" "$TMP/show.txt"
	ok "tsunagid: no password in show ddns or the log" sh -c \
	    "! grep -q -e '$PW' -e 'czNjcmV0' $TMP/show.txt $TMP/daemon.log"
	n=$(reqs_for daemon.example.net)
	$CTL reload > /dev/null 2>&1
	sleep 1.5
	ok "tsunagid: a reload with the same profile sends nothing" \
	    [ "$(reqs_for daemon.example.net)" -eq "$n" ]
	ok "tsunagid: ... and keeps what was published" sh -c \
	    "$CTL show ddns | grep -q 'published *203.0.113.37'"
else
	skip "tsunagid with a dyndns2 profile" "tsunagid is not built"
fi

# --- the silent server ---------------------------------------------------------
wait "$silent_pid"
t=$(($(ms) - silent_t0))
diag "silent server: $(cat "$TMP/silent.out" | tr '\n' ' ') after $t ms"
ok "a server that never answers: deadline after 15 s, retried later" sh -c \
    "grep -q '^error: no answer from $S4 within 15 s (TLS handshake)' $TMP/silent.out && grep -q 'permanent: no' $TMP/silent.out && [ $t -ge 14500 ] && [ $t -lt 20000 ]"

tap_end
