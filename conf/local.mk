# conf: the NEC IX-style configuration language (libconf.a), its unit
# tests and corpus, and tsunagi.conf(5).  Included by the top Makefile.am.
noinst_LIBRARIES += conf/libconf.a
TSUNAGI_MODULE_LIBS += conf/libconf.a
conf_libconf_a_SOURCES = \
	conf/conf.h conf/internal.h \
	conf/conf.c conf/parse.c conf/lexer.c conf/args.c conf/types.c \
	conf/algs.c conf/diag.c conf/secret.c \
	conf/cmd_global.c conf/cmd_ike.c conf/cmd_iface.c conf/cmd_ospf.c \
	conf/cmd_watch.c conf/cmd_ddns.c conf/ix_cmds.c conf/ix.c \
	conf/validate.c conf/links.c conf/print.c conf/summary.c conf/equal.c \
	conf/mirror.c
conf_libconf_a_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)

# The tests find their corpus and the examples through the source tree,
# wherever they are run from (make check, valgrind, distcheck).
CONF_TEST_CPPFLAGS = $(AM_CPPFLAGS) -DTEST_SRCDIR='"$(abs_top_srcdir)"'
CONF_TEST_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
CONF_TEST_LDADD = conf/libconf.a daemon/libcore.a $(SODIUM_LIBS)
CONF_TESTS = tests/unit/conf/test_corpus tests/unit/conf/test_parse \
	tests/unit/conf/test_secret tests/unit/conf/test_robust \
	tests/unit/conf/test_links tests/unit/conf/test_mirror
check_PROGRAMS += $(CONF_TESTS)
TESTS += $(CONF_TESTS)

tests_unit_conf_test_corpus_SOURCES = tests/unit/conf/test_corpus.c
tests_unit_conf_test_corpus_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_corpus_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_corpus_LDADD = $(CONF_TEST_LDADD)
tests_unit_conf_test_parse_SOURCES = tests/unit/conf/test_parse.c
tests_unit_conf_test_parse_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_parse_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_parse_LDADD = $(CONF_TEST_LDADD)
tests_unit_conf_test_secret_SOURCES = tests/unit/conf/test_secret.c
tests_unit_conf_test_secret_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_secret_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_secret_LDADD = $(CONF_TEST_LDADD)
tests_unit_conf_test_robust_SOURCES = tests/unit/conf/test_robust.c
tests_unit_conf_test_robust_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_robust_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_robust_LDADD = $(CONF_TEST_LDADD)
tests_unit_conf_test_links_SOURCES = tests/unit/conf/test_links.c
tests_unit_conf_test_links_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_links_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_links_LDADD = $(CONF_TEST_LDADD)
tests_unit_conf_test_mirror_SOURCES = tests/unit/conf/test_mirror.c
tests_unit_conf_test_mirror_CPPFLAGS = $(CONF_TEST_CPPFLAGS)
tests_unit_conf_test_mirror_CFLAGS = $(CONF_TEST_CFLAGS)
tests_unit_conf_test_mirror_LDADD = $(CONF_TEST_LDADD)

# The corpus directories travel whole.  examples/, docs/ and tests/fuzz/
# (the fuzz target and its seeds) ship through the dist-hook in
# tests/local.mk.
EXTRA_DIST += tests/unit/conf/util.h tests/unit/conf/good tests/unit/conf/bad

dist_man_MANS += docs/tsunagi.conf.5
