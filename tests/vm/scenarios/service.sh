#!/bin/bash
# service: tsunagid.service under a real systemd (252, Debian's), as a
# container's init in namespaces of its own inside the VM (the guest's
# init is the test harness, not systemd).  Checks: "systemctl start"
# returns once the daemon answers (Type=notify), the main pid is the
# daemon's, the socket belongs to the group tsunagi (made as make install
# makes it), the unit's capability bounding set and no_new_privs, the log in the
# journal with its priorities, "systemctl reload" refusing a bad file and
# taking a good one, the watchdog armed, and a clean stop.
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
mount -t sysfs sysfs /sys
mount -t cgroup2 none /sys/fs/cgroup
for d in /run /tmp /var/tmp; do mount -t tmpfs tmpfs \$d; done
mkdir -p /run/systemd/system
cp $SD/tsunagid.service /run/systemd/system/
printf '[Unit]\nDescription=tsunagi test\nWants=systemd-journald.socket systemd-journald.service\n' > /run/systemd/system/tsunagi-vm.target
ip link set lo up
export container=tsunagi-vm
exec /lib/systemd/systemd --system --unit=tsunagi-vm.target
EOF
chmod 755 "$SD/init.sh"
(
	echo "$BASHPID" > "$CG/tsunagi-sd/cgroup.procs"
	exec unshare --net --pid --fork --mount --propagation private --cgroup \
		--mount-proc "$SD/init.sh"
) > "$VM_OUT/systemd.log" 2>&1 &
sdp() { pgrep -f -n "systemd --system --unit=tsunagi-vm.target"; }
wait_for 30 sdp
SDPID=$(sdp)
# in_sd CMD...: CMD in systemd's namespaces (its /run, its pids, its net).
in_sd() { nsenter -t "$SDPID" -m -p -n "$@"; }
ctl() { in_sd "$SD/bin/tsunagictl" "$@"; }
prop() { in_sd systemctl show -p "$1" --value tsunagid; }

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
in_sd systemctl exit 2> /dev/null || kill "$SDPID"
wait_for 10 sh -c "! kill -0 $SDPID 2> /dev/null"
tap_end
