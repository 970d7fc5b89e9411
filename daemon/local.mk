# daemon: the event loop, logging and control socket that every module
# uses (libcore.a), and the two programs.
noinst_LIBRARIES += daemon/libcore.a
daemon_libcore_a_SOURCES = \
	daemon/buf.c daemon/buf.h \
	daemon/ctl.c daemon/ctl.h \
	daemon/ctl_proto.c daemon/ctl_proto.h \
	daemon/event.c daemon/event.h \
	daemon/evlog.c daemon/evlog.h \
	daemon/log.c daemon/log.h \
	daemon/metrics.c daemon/metrics.h \
	daemon/suggest.c daemon/suggest.h

sbin_PROGRAMS += tsunagid
tsunagid_SOURCES = \
	daemon/tsunagid.c daemon/tsunagid.h \
	daemon/caps.c daemon/caps.h \
	daemon/ctl_core.c daemon/show_if.c \
	daemon/export.c daemon/export.h \
	daemon/linkcheck.c daemon/linkcheck.h \
	daemon/linkwatch.c daemon/linkwatch.h \
	daemon/module.h daemon/modules.c \
	daemon/pidfile.c daemon/pidfile.h \
	daemon/sdnotify.c daemon/sdnotify.h
tsunagid_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(SODIUM_CFLAGS) \
	$(MNL_CFLAGS) $(UNBOUND_CFLAGS)
# Users before what they use: ospf uses ike, xfrm and conf; ike uses
# ddns, xfrm and conf; ddns uses xfrm and conf; all use libcore.
tsunagid_LDADD = ospf/libospf.a ike/libike.a ddns/libddns.a xfrm/libxfrm.a $(TSUNAGI_MODULE_LIBS) \
	daemon/libcore.a \
	$(UNBOUND_LIBS) $(MNL_LIBS) $(SODIUM_LIBS) $(SSL_LIBS) $(CRYPTO_LIBS)

bin_PROGRAMS += tsunagictl
tsunagictl_SOURCES = daemon/tsunagictl.c
tsunagictl_LDADD = daemon/libcore.a

dist_man_MANS += docs/tsunagid.8 docs/tsunagictl.8

# The systemd unit, written at install time with the paths of that install
# (a "make install prefix=..." too), and the sysusers.d file of the group
# it runs in.  Installed into the running system (no DESTDIR, as root),
# the group is made at once: the unit cannot start without it.  A
# package's postinst does that instead (dh_installsysusers).
EXTRA_DIST += daemon/tsunagid.service.in daemon/sysusers.d/tsunagi.conf
if SYSTEMD_UNIT
sysusers_DATA = daemon/sysusers.d/tsunagi.conf
install-data-local: install-systemd-unit
uninstall-local: uninstall-systemd-unit
install-data-hook: install-sysusers-apply
endif
# distcheck installs as root into a scratch prefix: no group for that.
AM_DISTCHECK_CONFIGURE_FLAGS = --disable-sysusers-apply
install-sysusers-apply:
	@if test -n "$(DESTDIR)" || test "$(SYSUSERS_APPLY)" != yes; then \
	    :; \
	elif test "`id -u`" = 0 && test -x "$(SYSUSERS)"; then \
	    echo "$(SYSUSERS) $(sysusersdir)/tsunagi.conf"; \
	    $(SYSUSERS) '$(sysusersdir)/tsunagi.conf' || exit 1; \
	else \
	    echo "tsunagid.service runs in the group tsunagi: make it with"; \
	    echo "  systemd-sysusers $(sysusersdir)/tsunagi.conf"; \
	fi
.PHONY: install-sysusers-apply
install-systemd-unit:
	$(MKDIR_P) '$(DESTDIR)$(systemdsystemunitdir)'
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@bindir[@]|$(bindir)|g' \
	    -e 's|@confdir[@]|$(confdir)|g' \
	    -e 's|@sysusersdir[@]|$(sysusersdir)|g' \
	    $(srcdir)/daemon/tsunagid.service.in \
	    > '$(DESTDIR)$(systemdsystemunitdir)/tsunagid.service'
uninstall-systemd-unit:
	rm -f '$(DESTDIR)$(systemdsystemunitdir)/tsunagid.service'
.PHONY: install-systemd-unit uninstall-systemd-unit

# For tests/install/layout.sh: where "make install" puts each part.
print-install-dirs:
	@echo "bindir=$(bindir) sbindir=$(sbindir) mandir=$(mandir)" \
	    "datadir=$(datadir)" \
	    "docdir=$(docdir) confdir=$(confdir)" \
	    "unitdir=$(systemdsystemunitdir) sysusersdir=$(sysusersdir)"
.PHONY: print-install-dirs

# bash completion for tsunagictl (asks the running daemon for its commands).
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = daemon/completion/tsunagictl
