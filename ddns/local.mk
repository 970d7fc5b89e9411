# ddns: rules for this module (included by the top Makefile.am).
# libddns.a: the DNS and dyndns2 codecs (pure), address selection (pure),
# the RFC 2136 and dyndns2 (HTTP/TLS) updaters, the libunbound resolver
# and the module hooks.  ddnsctl drives the API for the netns suites
# against a real BIND9 and a dyndns2 test server.
noinst_LIBRARIES += ddns/libddns.a
ddns_libddns_a_SOURCES = \
	ddns/ddns.h ddns/internal.h ddns/dns_msg.h ddns/addrsel.h \
	ddns/dyndns2.h \
	ddns/dns_name.c ddns/dns_msg.c ddns/tsig.c ddns/addrsel.c \
	ddns/dyndns2_req.c ddns/dyndns2_resp.c \
	ddns/server.c ddns/update.c ddns/dyndns2.c \
	ddns/profile.c ddns/resolve.c ddns/peer.c ddns/monitor.c ddns/module.c
ddns_libddns_a_CFLAGS = $(AM_CFLAGS) $(SSL_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS) $(UNBOUND_CFLAGS) $(MNL_CFLAGS)

DDNS_TEST_CFLAGS = $(AM_CFLAGS) $(SSL_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS) $(UNBOUND_CFLAGS)
DDNS_TEST_LDADD = ddns/libddns.a xfrm/libxfrm.a daemon/libcore.a \
	$(UNBOUND_LIBS) $(MNL_LIBS) $(SODIUM_LIBS) $(SSL_LIBS) $(CRYPTO_LIBS)

# Built with the rest (not only by "make check"): the netns suite runs it.
noinst_PROGRAMS += tests/tools/ddnsctl
tests_tools_ddnsctl_SOURCES = tests/tools/ddnsctl.c
tests_tools_ddnsctl_CFLAGS = $(DDNS_TEST_CFLAGS)
tests_tools_ddnsctl_LDADD = $(DDNS_TEST_LDADD)

DDNS_UNIT_TESTS = tests/unit/ddns/test_dns_msg tests/unit/ddns/test_addrsel \
	tests/unit/ddns/test_dyndns2
check_PROGRAMS += $(DDNS_UNIT_TESTS)
# The netns suites skip themselves unless they may create namespaces (root).
TESTS += $(DDNS_UNIT_TESTS) tests/netns/ddns.sh tests/netns/dyndns2.sh

tests_unit_ddns_test_dns_msg_SOURCES = tests/unit/ddns/test_dns_msg.c
tests_unit_ddns_test_dns_msg_CFLAGS = $(DDNS_TEST_CFLAGS)
tests_unit_ddns_test_dns_msg_LDADD = $(DDNS_TEST_LDADD)
tests_unit_ddns_test_addrsel_SOURCES = tests/unit/ddns/test_addrsel.c
tests_unit_ddns_test_addrsel_CFLAGS = $(DDNS_TEST_CFLAGS)
tests_unit_ddns_test_addrsel_LDADD = $(DDNS_TEST_LDADD)
# The codec alone: no event loop, no libssl.
tests_unit_ddns_test_dyndns2_SOURCES = tests/unit/ddns/test_dyndns2.c
tests_unit_ddns_test_dyndns2_CFLAGS = $(AM_CFLAGS)
tests_unit_ddns_test_dyndns2_LDADD = ddns/libddns.a

EXTRA_DIST += docs/ddns.md
