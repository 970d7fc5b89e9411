#!/bin/sh
# layout.sh: "make install DESTDIR=..." with prefix=/usr, as a package
# would: binaries, man pages, the systemd unit (its paths those of the
# install; systemd-analyze verify finds nothing to say), the group file,
# the examples and notes; "tsunagid -n" accepts the installed examples;
# "make uninstall" leaves nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSUNAGI_BUILD:-$(pwd)} # make check runs in the build folder
. "$top/tests/lib/tap.sh"

T=$(mktemp -d /tmp/tsunagi-install.XXXXXX)
TAP_LOG=$T/tap.log
D=$T/dest
trap 'rm -rf "$T"' EXIT
# A make of its own, not a part of the one that runs the tests.
M="env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -C $build prefix=/usr"

eval "$($M print-install-dirs)"
diag "bindir=$bindir sbindir=$sbindir unitdir=$unitdir sysusersdir=$sysusersdir"

ok "make install DESTDIR= succeeds, and makes no group (a package's postinst does)" \
	sh -c "$M install DESTDIR=$D > $T/install.log 2>&1 && ! grep -q 'systemd-sysusers' $T/install.log"
ok "tsunagid in sbin, tsunagictl in bin, both executable" \
	sh -c "test -x $D$sbindir/tsunagid && test -x $D$bindir/tsunagictl"
ok "the installed tsunagid runs" sh -c "$D$sbindir/tsunagid -V | grep -q '^tsunagid '"
ok "man pages: tsunagid(8), tsunagictl(8), tsunagi.conf(5)" \
	sh -c "test -f $D$mandir/man8/tsunagid.8 && test -f $D$mandir/man8/tsunagictl.8 && test -f $D$mandir/man5/tsunagi.conf.5"
ok "the man pages format without warnings" \
	sh -c "for p in $D$mandir/man8/*.8 $D$mandir/man5/*.5; do LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l \"\$p\" 2>&1 >/dev/null | grep . && exit 1; done; true"
ok "example configurations and notes in the doc folder" \
	sh -c "test -f $D$docdir/examples/home.conf && test -f $D$docdir/examples/jikka.conf && test -f $D$docdir/README.md && test -f $D$docdir/quickstart.md"
ok "tsunagid -n accepts the installed examples" \
	sh -c "for f in $D$docdir/examples/*.conf; do $D$sbindir/tsunagid -n -f \$f 2>/dev/null | tail -n 1 | grep -qx 'configuration OK' || exit 1; done"
ok "nothing is installed into the configuration folder" test ! -e "$D$confdir"
ok "bash completion for tsunagictl" \
	test -f "$D$datadir/bash-completion/completions/tsunagictl"

if [ "$unitdir" = no ]; then
	skip "the systemd unit" "configured --with-systemdsystemunitdir=no"
else
	U=$D$unitdir/tsunagid.service
	ok "the unit and the group file are installed" \
		sh -c "test -f $U && grep -qx 'g tsunagi -' $D$sysusersdir/tsunagi.conf"
	ok "the unit runs the installed programs with the installed paths" \
		sh -c "grep -qx 'ExecStart=$sbindir/tsunagid -f $confdir/tsunagi.conf' $U && grep -qx 'ExecReload=$bindir/tsunagictl reload' $U && grep -qx 'Group=tsunagi' $U && grep -q '$sysusersdir/tsunagi.conf' $U && ! grep -q @ $U"
	ok "the unit keeps exactly the three network capabilities (those tests/netns/service.sh runs with)" \
		grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE' "$U"
	if command -v systemd-analyze >/dev/null; then
		# Its paths moved under DESTDIR, so that verify finds the programs.
		sed "s|=$sbindir/|=$D$sbindir/|; s|=$bindir/|=$D$bindir/|" \
			"$U" > "$T/tsunagid.service"
		ok "systemd-analyze verify: no complaint" \
			sh -c "systemd-analyze verify --man=no $T/tsunagid.service > $T/verify.log 2>&1; rc=\$?; cat $T/verify.log; test \$rc = 0 && ! test -s $T/verify.log"
		diag "$(systemd-analyze security --offline=yes "$T/tsunagid.service" 2>/dev/null | tail -n 1)"
	else
		skip "systemd-analyze verify" "no systemd-analyze"
	fi
fi

ok "make uninstall DESTDIR= leaves no file" \
	sh -c "$M uninstall DESTDIR=$D && test -z \"\$(find $D -type f)\""

tap_end
