# tests: unit tests of the daemon core (module suites live in their own
# MODULE/local.mk), the test tools, and the scripts the suites run.
check_PROGRAMS += tests/unit/daemon/test_buf tests/unit/daemon/test_ctl_proto \
	tests/unit/daemon/test_event tests/unit/daemon/test_evlog
TESTS += tests/unit/daemon/test_buf tests/unit/daemon/test_ctl_proto \
	tests/unit/daemon/test_event tests/unit/daemon/test_evlog \
	tests/netns/daemon.sh tests/netns/service.sh \
	tests/netns/show.sh \
	tests/install/layout.sh
tests_unit_daemon_test_buf_LDADD = daemon/libcore.a
tests_unit_daemon_test_ctl_proto_LDADD = daemon/libcore.a
tests_unit_daemon_test_event_LDADD = daemon/libcore.a
tests_unit_daemon_test_evlog_LDADD = daemon/libcore.a

EXTRA_DIST += tests/unit/tap.h

# The script suites, tools and corpora travel whole in the tarball: new
# files join without a list to keep in step.
dist-hook:
	@for d in tests/lib tests/netns tests/install tests/vm tests/fuzz tests/tools \
	    examples bench docs .ci; do \
		test -d $(srcdir)/$$d || continue; \
		mkdir -p $(distdir)/$$d; \
		cp -pR $(srcdir)/$$d/. $(distdir)/$$d/; \
	done
	@cp -p $(srcdir)/tests/install-deps $(srcdir)/tests/run-all \
		$(srcdir)/tests/sandbox \
		$(distdir)/tests/
	@chmod -R u+w $(distdir)
