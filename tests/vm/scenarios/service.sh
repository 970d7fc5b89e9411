#!/bin/bash
# service: tsunagid.service under a real systemd (252, Debian's), as a
# container's init in namespaces of its own inside the VM (the guest's
# init is the test harness, not systemd).  Checks: "systemctl start"
# returns once the daemon answers (Type=notify), the main pid is the
# daemon's, the socket belongs to the group tsunagi (made as make install
# makes it), the unit's capability bounding set and no_new_privs, the log in the
# journal with its priorities, "systemctl reload" refusing a bad file and
# taking a good one, the watchdog armed, and a clean stop.  Then home's
# tsunagid under systemd in the two-house topology: the tunnel, OSPF, a
# watch-group, MSS clamping, all inside the unit's sandbox.
#
#   tests/vm/run tests/vm/scenarios/service.sh
#
# systemd's own setup (systemd-tmpfiles --remove among it) runs here, so
# /tmp and /var/tmp are private tmpfs in its mount namespace: it must never
# reach the guest's /tmp, where the harness shares the output folder.

# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/../lib.sh"
tap_plan

SD=/var/lib/tsunagi-sd
CG=/sys/fs/cgroup
SDPID=

cleanup() {
	[ -n "$SDPID" ] && kill -KILL "$SDPID" 2> /dev/null
	sleep 0.5
	find "$CG/tsunagi-sd" -depth -type d -exec rmdir {} + 2> /dev/null
	umount "$CG" 2> /dev/null
}
trap cleanup EXIT

if [ ! -x /lib/systemd/systemd ]; then
	skip "tsunagid.service under systemd" "no /lib/systemd/systemd"
	tap_end
	exit
fi

# What the service runs: copies, outside /tmp (PrivateTmp hides it).
mkdir -p "$SD/bin" "$SD/etc"
cp "$TSUNAGI_BUILD/tsunagid" "$TSUNAGI_BUILD/tsunagictl" "$SD/bin/"
printf 'hostname home\n' > "$SD/etc/tsunagi.conf"
chmod 600 "$SD/etc/tsunagi.conf"
mkdir -p "$SD/sysusers.d"
cp "$TSUNAGI_SRC/daemon/sysusers.d/tsunagi.conf" "$SD/sysusers.d/"
# The unit as make install writes it, with these paths.
sed -e "s|@sbindir@|$SD/bin|g" -e "s|@bindir@|$SD/bin|g" \
	-e "s|@confdir@|$SD/etc|g" \
	-e "s|@sysusersdir@|$SD/sysusers.d|g" \
	"$TSUNAGI_SRC/daemon/tsunagid.service.in" > "$SD/tsunagid.service"
! grep -q @ "$SD/tsunagid.service" || diag "unit: placeholders left"

# What "make install" does into the running system: the unit's group (its
# own recipe, with this sysusers.d folder).
ok "make install's last step makes the tsunagi group" \
	sh -c "make -s -C $TSUNAGI_BUILD install-sysusers-apply sysusersdir=$SD/sysusers.d && getent group tsunagi"

# A cgroup of its own for systemd, which it sees as its root (a cgroup
# namespace); only systemd's tree goes there.
mount -t cgroup2 none "$CG" 2> /dev/null || true
mkdir -p "$CG/tsunagi-sd"

cat > "$SD/init.sh" << EOF
#!/bin/sh
set -e
# (ip netns exec has mounted the netns's own already)
mount -t sysfs sysfs /sys 2> /dev/null || true
mount -t cgroup2 none /sys/fs/cgroup
for d in /run /tmp /var/tmp; do mount -t tmpfs tmpfs \$d; done
mkdir -p /run/systemd/system
cp $SD/tsunagid.service /run/systemd/system/
printf '[Unit]\nDescription=tsunagi test\nWants=systemd-journald.socket systemd-journald.service\n' > /run/systemd/system/tsunagi-vm.target
ip link set lo up 2> /dev/null || true
export container=tsunagi-vm
exec /lib/systemd/systemd --system --unit=tsunagi-vm.target
EOF
chmod 755 "$SD/init.sh"
# sd_boot [NETNS]: systemd as the init of new pid, mount and cgroup
# namespaces, in a network namespace of its own or in NETNS; its pid in
# SDPID.
sd_boot() {
	local pre=(unshare --net)
	[ -n "${1:-}" ] && pre=(ip netns exec "$1" unshare)
	(
		echo "$BASHPID" > "$CG/tsunagi-sd/cgroup.procs"
		exec "${pre[@]}" --pid --fork --mount --propagation private \
			--cgroup --mount-proc "$SD/init.sh"
	) >> "$VM_OUT/systemd.log" 2>&1 &
	# unshare's child is the init: never an earlier instance still
	# shutting down.
	SDPID=
	wait_for 30 pgrep -P "$!"
	SDPID=$(pgrep -P "$!")
}
sd_halt() {
	in_sd systemctl exit 2> /dev/null || kill "$SDPID"
	wait_for 20 sh -c "! kill -0 $SDPID 2> /dev/null" ||
		kill -KILL "$SDPID" 2> /dev/null
	wait_for 10 sh -c "! kill -0 $SDPID 2> /dev/null"
	SDPID=
}
# in_sd CMD...: CMD in systemd's namespaces (its /run, its pids, its net).
in_sd() { nsenter -t "$SDPID" -m -p -n "$@"; }
ctl() { in_sd "$SD/bin/tsunagictl" "$@"; }
prop() { in_sd systemctl show -p "$1" --value tsunagid; }
sd_boot

ok "systemd runs as the namespace's init" \
	wait_for 60 sh -c "nsenter -t $SDPID -m -p systemctl is-system-running | grep -Eq 'running|degraded'"
in_sd systemctl is-system-running 2>&1 | sed 's/^/# /'

t0=$(date +%s%N)
ok "systemctl start tsunagid" in_sd systemctl start tsunagid
t1=$(date +%s%N)
ok "...returns once the daemon answers (Type=notify)" ctl show status
diag "systemctl start took $(((t1 - t0) / 1000000)) ms"
ok "active, and its status line says it runs" \
	sh -c "[ \"\$(nsenter -t $SDPID -m -p -n systemctl is-active tsunagid)\" = active ] &&
		nsenter -t $SDPID -m -p -n systemctl show -p StatusText --value tsunagid | grep -q '^running, 0 reloads'"
mainpid=$(prop MainPID)
ok "the main pid is the daemon's (it does not fork)" \
	sh -c "[ \"$mainpid\" -gt 0 ] && nsenter -t $SDPID -m -p cat /run/tsunagi/tsunagid.pid | grep -qx '$mainpid'"
ok "only the three network capabilities, no_new_privs" \
	sh -c "nsenter -t $SDPID -m -p grep -E '^(CapBnd|CapEff|NoNewPrivs)' /proc/$mainpid/status | tee /dev/stderr |
		tr -s '\t ' ' ' | sort | tr '\n' ' ' | grep -q 'CapBnd: 0000000000003400 CapEff: 0000000000003400 NoNewPrivs: 1'"
gid=$(getent group tsunagi | cut -d: -f3)
ok "the control socket is root:tsunagi 0660 in /run/tsunagi (0750)" \
	sh -c "[ \"\$(nsenter -t $SDPID -m stat -c '%a %u %g' /run/tsunagi/tsunagid.sock)\" = '660 0 $gid' ] &&
		[ \"\$(nsenter -t $SDPID -m stat -c '%a %g' /run/tsunagi)\" = '750 $gid' ]"
ok "a member of the group may use it, others may not" \
	sh -c "nsenter -t $SDPID -m -p setpriv --reuid=65534 --regid=65534 --groups=$gid $SD/bin/tsunagictl show status > /dev/null &&
		! nsenter -t $SDPID -m -p setpriv --reuid=65534 --regid=65534 --clear-groups $SD/bin/tsunagictl show status 2> /dev/null"
ok "the journal has its lines, with their priority" \
	sh -c "nsenter -t $SDPID -m -p journalctl -u tsunagid -p info -o cat | grep -q 'tsunagid .* started' &&
		nsenter -t $SDPID -m -p journalctl -u tsunagid -o verbose | grep -q 'PRIORITY=6'"
ok "the watchdog is armed (WatchdogSec=30s)" \
	sh -c "[ \"\$(nsenter -t $SDPID -m -p -n systemctl show -p WatchdogUSec --value tsunagid)\" = 30s ]"

printf 'hostname home\nbogus line\n' > "$SD/etc/tsunagi.conf"
ok "systemctl reload of a bad file fails, and says why" \
	sh -c "! nsenter -t $SDPID -m -p -n systemctl reload tsunagid 2> /dev/null &&
		nsenter -t $SDPID -m -p journalctl -u tsunagid -o cat | grep -q 'has errors'"
ok "...and the daemon runs on" \
	sh -c "[ \"\$(nsenter -t $SDPID -m -p -n systemctl is-active tsunagid)\" = active ]"
printf 'hostname home\n' > "$SD/etc/tsunagi.conf"
ok "systemctl reload of a good file" in_sd systemctl reload tsunagid
ok "its status line counts the reload" \
	sh -c "nsenter -t $SDPID -m -p -n systemctl show -p StatusText --value tsunagid | grep -q '^running, 1 reloads (last: ok)'"

ok "systemctl stop tsunagid" in_sd systemctl stop tsunagid
ok "...a clean stop: inactive, result success, socket gone" \
	sh -c "[ \"\$(nsenter -t $SDPID -m -p -n systemctl show -p ActiveState --value tsunagid)\" = inactive ] &&
		[ \"\$(nsenter -t $SDPID -m -p -n systemctl show -p Result --value tsunagid)\" = success ] &&
		! nsenter -t $SDPID -m test -e /run/tsunagi/tsunagid.sock"
in_sd journalctl -u tsunagid -o short-monotonic --no-pager 2>&1 | tail -n 12 | sed 's/^/# /'
sd_halt

# Then the real work under the unit's sandbox: home's tsunagi under
# systemd in the two-house topology (IKE and ESP, its XFRM interface, OSPF,
# an ICMP watch-group, MSS clamping by nft), jikka's as usual, on what
# "tsunagid -x" makes of home's file.  One tunnel: the watch-group holds
# only a floating static route, never OSPF, which the probes' answers
# need to find their way back.
trap 'cleanup; topo_down' EXIT
ok "topology up" topo_up || exit 1
PSK="service.sh: home and jikka share it"
cat > "$SD/etc/tsunagi.conf" << CONF_END
hostname home-gw
ikev2 authentication psk id keyid home key char "$PSK"
ikev2 authentication psk id keyid jikka key char "$PSK"
ikev2 default-profile
  local-authentication psk id keyid home
ip router ospf 1
  router-id $HOME_LAN4
  area 0
  network Tunnel1.0 area 0
  network lan area 0
  passive-interface lan
ip route $JIKKA_NET4 Tunnel1.0 distance 200
watch-group jikka-lan 10
  event 10 ip unreach-host $JIKKA_LAN4 Tunnel1.0 source $HOME_LAN4
  action 10 ip shutdown-route $JIKKA_NET4 Tunnel1.0
  probe-timer wait 0.2
  probe-timer variance 0.2
  probe-timer restorer 0.2
network-monitor jikka-lan enable
interface Tunnel1.0
  tunnel mode ipsec-ikev2
  ip unnumbered lan
  ip tcp adjust-mss auto
  ip ospf mtu-ignore
  ikev2 connect-type auto
  ikev2 outgoing-interface wan6
  ikev2 source-address $HOME_WAN6
  ikev2 peer $JIKKA_WAN6 authentication psk id keyid jikka
CONF_END
chmod 600 "$SD/etc/tsunagi.conf"
ok "jikka's configuration: tsunagid -x of home's, on home's box" \
	sh -c "ip netns exec home $SD/bin/tsunagid -x -f $SD/etc/tsunagi.conf > $SD/jikka.conf && chmod 600 $SD/jikka.conf"
ok "jikka: tsunagid runs it" tsunagid_start jikka "$SD/jikka.conf"
sd_boot home
ok "home: systemd runs as the init of namespaces in home's network" \
	wait_for 60 sh -c "nsenter -t $SDPID -m -p systemctl is-system-running | grep -Eq 'running|degraded'"
ok "home: systemctl start tsunagid" in_sd systemctl start tsunagid
ok "home: it answers at once" ctl show status
sa_up() { ctl show ikev2 sa Tunnel1.0 | grep -q 'state *up' && tctl jikka show ikev2 sa Tunnel1.0 | grep -q 'state *up'; }
ok "Tunnel1.0 up, home's end under systemd" wait_for 90 sa_up
home_full() { ctl show ip ospf neighbor | grep -q 'state *Full'; }
ok "OSPF Full over it (raw sockets under the unit)" wait_for 60 home_full
wg_up_home() { ctl show watch-group | grep -q 'state *up'; }
ok "home's watch-group answered (ICMP under the unit)" wait_for 30 wg_up_home
lan4() { nsx home-lan ping -n -c 1 -W 2 "$JIKKA_LANHOST4"; }
ok "LAN to LAN by OSPF's routes" wait_for 30 lan4
ok "MSS clamping: nft made its table (nft under the unit)" \
	ip netns exec home nft list table inet tsunagi
ok "the journal says the tunnel is up" \
	sh -c "nsenter -t $SDPID -m -p journalctl -u tsunagid -o cat | grep -q 'Tunnel1.0: tunnel up'"
ok "home: systemctl stop tsunagid" in_sd systemctl stop tsunagid
home_clean() {
	[ -z "$(ip -n home xfrm state)" ] && [ -z "$(ip -n home xfrm policy)" ] &&
		! ip -n home link show Tunnel1.0 2> /dev/null &&
		! ip netns exec home nft list table inet tsunagi 2> /dev/null
}
ok "home: nothing left in the kernel (SAs, policies, interface, nft table)" home_clean
in_sd journalctl -u tsunagid -o short-monotonic --no-pager 2>&1 |
	grep -E 'tunnel up|Full|watch-group|started|stopped' | head -n 12 | sed 's/^/# /'
sd_halt
tsunagid_stop jikka
tap_end
