# ospf: rules for this module (included by the top Makefile.am).
# libospf.a: the route table that installs tsunagi's routes through xfrm/
# (rib.c), the static routes of the configuration (static.c), and the
# OSPFv2 speaker: codecs (pkt.c, lsa.c), database (lsdb.c), and the
# protocol (speaker.h; docs/ospf.md lists its files).  The watch-groups
# are here too: probes (watch.c, watch_sock.c, icmp.c), hysteresis
# (watch_fsm.c), "show watch-group" (watch_show.c).
noinst_LIBRARIES += ospf/libospf.a
ospf_libospf_a_SOURCES = ospf/ospf.h ospf/rib.h ospf/rib.c ospf/static.c \
	ospf/wire.h ospf/lsa.h ospf/lsa.c ospf/pkt.h ospf/pkt.c \
	ospf/lsdb.h ospf/lsdb.c \
	ospf/speaker.h ospf/module.c ospf/iface.c ospf/sock.c ospf/hello.c \
	ospf/nbr_fsm.c ospf/nbr.c ospf/dd.c ospf/lsreq.c ospf/flood.c \
	ospf/orig.c ospf/external.c ospf/show.c ospf/spf.h ospf/spf.c \
	ospf/route.c ospf/auth.h ospf/auth.c \
	ospf/watch.h ospf/watch_int.h ospf/watch.c ospf/watch_fsm.h \
	ospf/watch_fsm.c ospf/icmp.h ospf/icmp.c ospf/watch_sock.c \
	ospf/watch_show.c
ospf_libospf_a_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)

OSPF_UNIT_TESTS = tests/unit/ospf/test_lsa tests/unit/ospf/test_pkt \
	tests/unit/ospf/test_lsdb tests/unit/ospf/test_nbr_fsm \
	tests/unit/ospf/test_spf tests/unit/ospf/test_auth \
	tests/unit/ospf/test_watch
check_PROGRAMS += $(OSPF_UNIT_TESTS)
# The netns suites skip themselves unless root (and FRR and BIRD for ospf).
TESTS += $(OSPF_UNIT_TESTS) tests/netns/routes.sh tests/netns/ospf.sh \
	tests/netns/ospf-failover.sh tests/netns/watch.sh
# The suites include the .c they test; only tap.h and the vectors besides.
tests_unit_ospf_test_lsa_SOURCES = tests/unit/ospf/test_lsa.c \
	tests/unit/ospf/vectors.h
tests_unit_ospf_test_pkt_SOURCES = tests/unit/ospf/test_pkt.c \
	tests/unit/ospf/vectors.h tests/unit/ospf/rebuild.h
tests_unit_ospf_test_lsdb_SOURCES = tests/unit/ospf/test_lsdb.c
tests_unit_ospf_test_nbr_fsm_SOURCES = tests/unit/ospf/test_nbr_fsm.c
tests_unit_ospf_test_spf_SOURCES = tests/unit/ospf/test_spf.c
tests_unit_ospf_test_auth_SOURCES = tests/unit/ospf/test_auth.c \
	tests/unit/ospf/vectors.h
tests_unit_ospf_test_auth_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(SODIUM_CFLAGS)
tests_unit_ospf_test_auth_LDADD = $(CRYPTO_LIBS) $(SODIUM_LIBS)
tests_unit_ospf_test_watch_SOURCES = tests/unit/ospf/test_watch.c
