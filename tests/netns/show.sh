#!/bin/sh
# show.sh: every "show" command of a running daemon whose every module
# runs (a tunnel, OSPF, a watch-group, DDNS, a static route), in text and
# in JSON, the JSON read by a parser; "show interface"; "show metrics"
# read by an OpenMetrics parser; "monitor" seeing a link, a watch-group,
# an address and a reload change; what tsunagictl
# says and exits with for a mistyped, incomplete or wrongly asked
# command, a module that does not run, a daemon that does not run, and a
# socket it may not use.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$top}
[ -x "$build/tsunagid" ] || build=$(pwd) # make check, in the build folder
. "$top/tests/lib/tap.sh"

T=$(mktemp -d /tmp/tsunagi-show.XXXXXX)
chmod 755 "$T"
TAP_LOG=$T/tap.log
H=tsunagi-sh-$$
P=tsunagi-sp-$$
SOCK=$T/tsunagid.sock
dpid=
mon=

if [ "$(id -u)" != 0 ] || ! ip netns add "$H" 2> /dev/null; then
	echo "1..0 # SKIP needs root and network namespaces"
	rm -rf "$T"
	exit 0
fi
ip netns add "$P"

cleanup() {
	[ -n "$mon" ] && kill "$mon" 2> /dev/null
	[ -n "$dpid" ] && stop_pid "$dpid"
	ip netns del "$H" 2> /dev/null
	ip netns del "$P" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for n in "$H" "$P"; do
	ip -n "$n" link set lo up
done
ip -n "$H" link add va type veth peer name vb netns "$P"
ip -n "$H" link set va up
ip -n "$P" link set vb up
ip -n "$H" addr add 10.9.0.1/24 dev va
ip -n "$P" addr add 10.9.0.2/24 dev vb

# The DNS server is this namespace's loopback, where nobody answers.
cat > "$T/tsunagi.conf" << 'EOF2'
hostname home
ip name-server 127.0.0.1
ikev2 authentication psk id keyid home key char "show.sh: a key of no importance"
ikev2 authentication psk id keyid jikka key char "show.sh: a key of no importance"
ikev2 default-profile
  local-authentication psk id keyid home
ip route 192.168.2.0/24 Tunnel1.0
ip router ospf 1
  router-id 10.9.0.1
  area 0
  network va area 0
watch-group peer 10
  event 10 ip unreach-host 10.9.0.2 va source 10.9.0.1
  action 10 ip shutdown-route 192.168.2.0/24 Tunnel1.0
  probe-timer wait 0.1
  probe-timer variance 0.1
  probe-timer restorer 0.1
network-monitor peer enable
ddns profile home
  hostname home.example.net
  server rfc2136 127.0.0.1 zone example.net key-name home.example.net key-algorithm hmac-sha256 key-secret oRfrRb83gcQHlJ0QATCKx7WUr/TfX1j56KkzJQiimsg=
  notify interface va protocol ip
interface va
  description "the link to P"
  ip ospf network point-to-point
interface Tunnel1.0
  description "to jikka"
  tunnel mode ipsec-ikev2
  ip unnumbered va
  ikev2 outgoing-interface va
  ikev2 connect-type auto
  ikev2 peer-fqdn-ipv4 jikka.example.net authentication psk id keyid jikka
  no shutdown
EOF2
chmod 600 "$T/tsunagi.conf"

ip netns exec "$H" "$build/tsunagid" -d -f "$T/tsunagi.conf" -s "$SOCK" \
	-p "$T/tsunagid.pid" 2> "$T/daemon.log" &
dpid=$!
ok "the daemon starts with every module configured" wait_for 20 test -S "$SOCK"

ctl() { "$build/tsunagictl" -s "$SOCK" "$@"; }
# json_ok ARGS...: the JSON answer parses: an array of objects, each with
# a string "type", no value an object or array.
json_ok() {
	ctl --json "$@" > "$T/out.json" || return 1
	python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert isinstance(a, list), "not an array"
for r in a:
    assert isinstance(r, dict) and isinstance(r.get("type"), str), r
    for v in r.values():
        assert not isinstance(v, (dict, list)), r
' "$T/out.json"
}
# The same records either way: as many in text as in JSON.
same_count() {
	ctl "$@" > "$T/out.txt" || return 1
	_j=$(ctl --json "$@" | python3 -c 'import json, sys; print(len([r for r in json.load(sys.stdin) if r["type"] not in ("text", "command")]))')
	_t=$(grep -c '^[a-z]' "$T/out.txt")
	[ "$_j" = "$_t" ] || { echo "json $_j records, text $_t"; return 1; }
}

# Every show command the daemon lists, and those that take an argument
# with one.
ctl --json help | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["command"].startswith("show "):
        print(r["command"])' > "$T/shows"
ok "help lists show interface and show ikev2 sa's detail" \
	sh -c "grep -qx 'show interface' $T/shows && $build/tsunagictl -s $SOCK help | grep -q 'TUNNEL. .detail'"
diag "$(wc -l < "$T/shows") show commands: $(tr '\n' ',' < "$T/shows")"
{
	cat "$T/shows"
	echo "show ikev2 sa detail"
	echo "show ikev2 sa Tunnel1.0"
	echo "show ikev2 sa Tunnel1.0 detail"
	echo "show interface va"
	echo "show interface Tunnel1.0"
	echo "show ip ospf interface va"
	echo "show watch-group peer"
} > "$T/asks"
while read -r cmd; do
	# shellcheck disable=SC2086 # the words of the command
	ok "$cmd: text, exit 0" ctl $cmd
	# shellcheck disable=SC2086
	ok "$cmd: JSON that parses" json_ok $cmd
done < "$T/asks"
ok "show status: as many records in text as in JSON" same_count show status
ok "show interface: as many records in text as in JSON" same_count show interface

# show interface: the tunnel, then the Linux interfaces the file names.
ok "show interface: Tunnel1.0 first, a tunnel, its uplink va" \
	sh -c "$build/tsunagictl -s $SOCK --json show interface | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert a[0][\"name\"] == \"Tunnel1.0\" and a[0][\"role\"] == \"tunnel\" and a[0][\"uplink\"] == \"va\", a[0]
assert a[0][\"sa\"] == \"down\" and a[0][\"description\"] == \"to jikka\", a[0]
va = [r for r in a if r[\"name\"] == \"va\"][0]
assert va[\"role\"] == \"uplink\" and va[\"kernel\"] == \"present\" and va[\"kind\"] == \"veth\", va
assert va[\"carrier\"] == \"up\" and va[\"admin\"] == \"up\" and va[\"mtu\"] == 1500, va
assert \"10.9.0.1/24\" in va[\"addresses\"].split(), va
assert va[\"description\"] == \"the link to P\", va
'"
ip netns exec "$P" ping -c 3 -i 0.2 -q 10.9.0.1 > /dev/null 2>&1
ok "show interface va: the kernel's counters, read at the request" \
	sh -c "$build/tsunagictl -s $SOCK --json show interface va | python3 -c '
import json, sys
va = json.load(sys.stdin)[0]
assert va[\"rx-packets\"] >= 3 and va[\"tx-packets\"] >= 3 and va[\"rx-bytes\"] > 0, va
'"
ok "show interface lo: a link the file does not name" \
	sh -c "$build/tsunagictl -s $SOCK show interface lo | grep -q 'role *not in the configuration'"
ok "show interface of nothing: exit 1, says so" \
	sh -c "$build/tsunagictl -s $SOCK show interface nope 2> $T/err; test \$? = 1 && grep -q 'no interface nope' $T/err"
ok "show ikev2 sa: brief without detail, the if_id with it" \
	sh -c "! $build/tsunagictl -s $SOCK show ikev2 sa | grep -q if-id && $build/tsunagictl -s $SOCK show ikev2 sa detail | grep -q 'if-id *0x7473'"
# completes LINE WORDS: bash completion of "tsunagictl -s SOCK LINE" (the
# cursor at its end) offers exactly WORDS.
completes() {
	_got=$(PATH=$build:$PATH bash -c '
		. "$1/daemon/completion/tsunagictl"
		read -ra W <<< "tsunagictl -s $2 $3"
		case "$3" in *" ") W+=("") ;; esac
		COMP_WORDS=("${W[@]}")
		COMP_CWORD=$((${#W[@]} - 1))
		_tsunagictl
		echo "${COMPREPLY[*]}"' sh "$top" "$SOCK" "$1")
	echo "\"$1\" -> \"$_got\""
	[ "$_got" = "$2" ]
}
ok "bash completion: a first word" completes "sh" "show"
ok "bash completion: the daemon's commands" completes "show ik" "ikev2"
ok "bash completion: what follows show ip ospf" \
	completes "show ip ospf " "database interface neighbor route"
ok "bash completion: tunnel names from the daemon, and detail" \
	completes "show ikev2 sa " "Tunnel1.0 detail"
ok "bash completion: detail after a tunnel" \
	completes "show ikev2 sa Tunnel1.0 " "detail"
ok "bash completion: interface names" \
	completes "show interface " "Tunnel1.0 va"
ok "bash completion: watch-group names" completes "show watch-group " "peer"
ok "bash completion: options" completes "--j" "--json"
# show metrics: OpenMetrics, read by the Prometheus client's parser
# (Debian's python3: python3-prometheus-client).
metrics_parse() {
	ctl show metrics > "$T/metrics.txt" || return 1
	/usr/bin/python3 -c '
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
want = ["tsunagi_build_info", "tsunagi_reloads", "tsunagi_events",
        "tsunagi_tunnel_up", "tsunagi_watch_up", "tsunagi_watch_probes",
        "tsunagi_watch_rtt_seconds", "tsunagi_ospf_neighbors_full",
        "tsunagi_ospf_spf_runs", "tsunagi_ddns_published", "tsunagi_ddns_updates"]
missing = [w for w in want if w not in fams]
assert not missing, "missing families: %s" % missing
up = [s for s in fams["tsunagi_tunnel_up"].samples if s.labels["tunnel"] == "Tunnel1.0"]
assert up and up[0].value == 0, up
assert fams["tsunagi_reloads"].type == "counter"
probes = {s.labels["result"]: s.value for s in fams["tsunagi_watch_probes"].samples}
assert probes["answered"] > 0, probes
rtt = {s.labels["stat"]: s.value for s in fams["tsunagi_watch_rtt_seconds"].samples}
assert 0 < rtt["min"] <= rtt["avg"] <= rtt["max"] < 1, rtt
print(len(fams), "families")
' "$T/metrics.txt"
}
ok "show metrics: OpenMetrics a parser reads, every module's families" \
	wait_for 10 metrics_parse

# monitor: a stream of events, one a line, while it runs.
"$build/tsunagictl" -s "$SOCK" --json monitor > "$T/mon.json" 2> "$T/mon.err" &
mon=$!
"$build/tsunagictl" -s "$SOCK" monitor > "$T/mon.txt" 2> /dev/null &
mon2=$!
ok "monitor: two clients stay connected" \
	wait_for 10 sh -c "$build/tsunagictl -s $SOCK show status | grep -q 'control_clients *3'"
ip -n "$P" link set vb down
ok "monitor sees the carrier go and the watch-group go down" \
	wait_for 20 sh -c "grep -q '\"event\": \"link-down\", \"object\": \"va\"' $T/mon.json && grep -q '\"event\": \"watch-down\", \"object\": \"peer 10\"' $T/mon.json"
ip -n "$P" link set vb up
ok "monitor sees them come back" \
	wait_for 30 sh -c "grep -q '\"event\": \"link-up\"' $T/mon.json && grep -q '\"event\": \"watch-up\"' $T/mon.json"
ip -n "$H" addr add 10.9.0.7/24 dev va
ok "monitor sees an address added" \
	wait_for 10 grep -q '"event": "address-added", "object": "va", "detail": "10.9.0.7/24"' "$T/mon.json"
ip -n "$H" addr del 10.9.0.7/24 dev va
ctl reload > /dev/null
ok "monitor sees the address go and a reload" \
	wait_for 10 sh -c "grep -q '\"address-removed\"' $T/mon.json && grep -q '\"event\": \"reload\"' $T/mon.json"
ok "monitor --json: one object a line, each parses" \
	python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
assert objs[0]["type"] == "monitor" and "tunnel-down" in objs[0]["events"], objs[0]
for o in objs[1:]:
    assert o["type"] == "event" and o["time"].endswith("Z") and o["event"] and o["object"], o
print(len(objs), "lines")' "$T/mon.json"
ok "monitor: text lines, time event object: detail" \
	grep -Eq '^20[0-9-]+T[0-9:.]+Z watch-down peer 10: va: no answer for [0-9]+ ms$' "$T/mon.txt"
ok "show metrics counts the events" \
	sh -c "$build/tsunagictl -s $SOCK show metrics | grep -q '^tsunagi_events_total{event=\"watch-down\",object=\"peer 10\"} 1\$'"
kill "$mon2"
wait "$mon2" 2> /dev/null
ok "a monitor that leaves is forgotten" \
	wait_for 10 sh -c "$build/tsunagictl -s $SOCK show status | grep -q 'control_clients *2'"
ok "clear ikev2 sa Tunnel1.0: exit 0" ctl clear ikev2 sa Tunnel1.0
ok "reload: exit 0" ctl reload

# What tsunagictl says, and its exit status.
# asks CODE MESSAGE ARGS...: exit status CODE and MESSAGE on stderr.
asks() {
	_want=$1 _msg=$2
	shift 2
	ctl "$@" > /dev/null 2> "$T/err"
	_rc=$?
	cat "$T/err"
	[ "$_rc" = "$_want" ] && grep -q -- "$_msg" "$T/err"
}
ok "a mistyped word: exit 2, with a suggestion" \
	asks 2 'unknown command: "ikve2"; did you mean "ikev2"?' show ikve2 sa
ok "a mistyped first word: exit 2, with a suggestion" \
	asks 2 'did you mean "show"?' shwo status
incomplete() {
	asks 2 'after "ip" comes one of' show ip &&
		grep -q '"ospf"' "$T/err" && grep -q '"route"' "$T/err"
}
ok "an incomplete command: exit 2, what may follow" incomplete
ok "too many words: exit 2" asks 2 'too many arguments' show status now
ok "show ikev2 sa with two tunnels: exit 2, the usage" \
	asks 2 'usage: show ikev2 sa \[TUNNEL\] \[detail\]' show ikev2 sa Tunnel1.0 Tunnel2.0
ok "an unknown command in JSON: the error and its code" \
	sh -c "$build/tsunagictl -s $SOCK --json frob | python3 -c '
import json, sys
e = json.load(sys.stdin)
assert e[\"code\"] == \"unknown-command\" and \"frob\" in e[\"error\"], e
'"
ok "a socket nobody listens on: exit 3, not running" \
	sh -c "$build/tsunagictl -s $T/none.sock show status 2> $T/err; test \$? = 3 && grep -q 'tsunagid is not running' $T/err"
ok "a socket this user may not use: exit 3, permission denied" \
	sh -c "chmod 600 $SOCK; setpriv --reuid=65534 --regid=65534 --clear-groups $build/tsunagictl -s $SOCK show status 2> $T/err; test \$? = 3 && grep -q 'permission denied' $T/err"

stop_pid "$dpid"
ok "SIGTERM: exit 0" test $? -eq 0
dpid=
wait "$mon"
rc=$?
mon=
ok "the daemon's stop ends a monitor: exit 1, says so" \
	sh -c "test $rc = 1 && grep -q 'tsunagid stopped' $T/mon.err"

# Modules that do not run: exit 4, and say why.
printf 'hostname home\n' > "$T/min.conf"
chmod 600 "$T/min.conf"
ip netns exec "$H" "$build/tsunagid" -d -f "$T/min.conf" -s "$SOCK" \
	-p "$T/tsunagid.pid" 2> "$T/daemon2.log" &
dpid=$!
wait_for 20 test -S "$SOCK"
ok "show ip ospf without OSPF: exit 4, not running" \
	asks 4 'ospf: not running' show ip ospf
ok "show ip ospf neighbor without OSPF: exit 4" \
	asks 4 'ospf: not running' show ip ospf neighbor
ok "show watch-group without one: exit 4, not running" \
	asks 4 'watch-group: not running' show watch-group
ok "show ddns without DDNS: exit 4, not running" \
	asks 4 'ddns: not running' show ddns
ok "not running, in JSON: the code" \
	sh -c "$build/tsunagictl -s $SOCK --json show ddns | python3 -c '
import json, sys
assert json.load(sys.stdin)[\"code\"] == \"not-running\"
'"
ok "what runs without configuration answers: show ip route, show interface" \
	sh -c "$build/tsunagictl -s $SOCK show ip route && $build/tsunagictl -s $SOCK show interface"
stop_pid "$dpid"
dpid=

tap_end
