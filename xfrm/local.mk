# xfrm: rules for this module (included by the top Makefile.am).
# libxfrm.a is the only code that speaks netlink; xfrmctl exposes its API
# on the command line for the netns and VM scenarios.
noinst_LIBRARIES += xfrm/libxfrm.a
xfrm_libxfrm_a_SOURCES = \
	xfrm/xfrm.h xfrm/iftab.h xfrm/codec.h xfrm/nl.h xfrm/mss.h xfrm/nft.h \
	xfrm/alg.c xfrm/ip.c \
	xfrm/nlmsg.c xfrm/msg_xfrm.c xfrm/msg_rt.c \
	xfrm/parse_xfrm.c xfrm/parse_rt.c xfrm/nlerr.c \
	xfrm/nl.c xfrm/sa.c xfrm/sock.c xfrm/link.c xfrm/route.c \
	xfrm/cleanup.c xfrm/monitor.c xfrm/iftab.c xfrm/module.c \
	xfrm/mss.c xfrm/nft.c xfrm/mss_module.c
xfrm_libxfrm_a_CFLAGS = $(AM_CFLAGS) $(MNL_CFLAGS) $(SODIUM_CFLAGS)

XFRM_TEST_LDADD = xfrm/libxfrm.a daemon/libcore.a $(MNL_LIBS) $(SODIUM_LIBS)
XFRM_TEST_CFLAGS = $(AM_CFLAGS) $(MNL_CFLAGS) $(SODIUM_CFLAGS)

# Built with the rest (not only by "make check"): the VM scenario runs it.
noinst_PROGRAMS += tests/tools/xfrmctl
tests_tools_xfrmctl_SOURCES = tests/tools/xfrmctl.c
tests_tools_xfrmctl_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_tools_xfrmctl_LDADD = $(XFRM_TEST_LDADD)

XFRM_UNIT_TESTS = \
	tests/unit/xfrm/test_msg_xfrm tests/unit/xfrm/test_msg_rt \
	tests/unit/xfrm/test_parse_xfrm tests/unit/xfrm/test_parse_rt \
	tests/unit/xfrm/test_nlerr tests/unit/xfrm/test_alg \
	tests/unit/xfrm/test_monitor tests/unit/xfrm/test_iftab \
	tests/unit/xfrm/test_mss
check_PROGRAMS += $(XFRM_UNIT_TESTS)
# The netns suite skips itself unless it may create namespaces (root).
TESTS += $(XFRM_UNIT_TESTS) tests/netns/xfrm.sh tests/netns/mss.sh

tests_unit_xfrm_test_msg_xfrm_SOURCES = tests/unit/xfrm/test_msg_xfrm.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_msg_xfrm_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_msg_xfrm_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_msg_rt_SOURCES = tests/unit/xfrm/test_msg_rt.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_msg_rt_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_msg_rt_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_parse_xfrm_SOURCES = tests/unit/xfrm/test_parse_xfrm.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_parse_xfrm_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_parse_xfrm_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_parse_rt_SOURCES = tests/unit/xfrm/test_parse_rt.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_parse_rt_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_parse_rt_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_nlerr_SOURCES = tests/unit/xfrm/test_nlerr.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_nlerr_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_nlerr_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_alg_SOURCES = tests/unit/xfrm/test_alg.c
tests_unit_xfrm_test_alg_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_alg_LDADD = $(XFRM_TEST_LDADD)
tests_unit_xfrm_test_mss_SOURCES = tests/unit/xfrm/test_mss.c
tests_unit_xfrm_test_mss_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_mss_LDADD = $(XFRM_TEST_LDADD) conf/libconf.a daemon/libcore.a \
	$(SODIUM_LIBS)
# Includes xfrm/monitor.c itself to reach its static input functions; the
# library's copy is then never pulled in.
tests_unit_xfrm_test_monitor_SOURCES = tests/unit/xfrm/test_monitor.c \
	tests/unit/xfrm/bytes.h
tests_unit_xfrm_test_monitor_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_monitor_LDADD = $(XFRM_TEST_LDADD)
# Includes xfrm/iftab.c to drive its feed without a kernel.
tests_unit_xfrm_test_iftab_SOURCES = tests/unit/xfrm/test_iftab.c
tests_unit_xfrm_test_iftab_CFLAGS = $(XFRM_TEST_CFLAGS)
tests_unit_xfrm_test_iftab_LDADD = $(XFRM_TEST_LDADD)
