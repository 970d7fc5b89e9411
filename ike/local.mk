# ike: rules for this module (included by the top Makefile.am).
# libike.a holds the codec (msg*), crypto (crypto_*), the SK bridge, the
# proposal choice, and the engine: SAs and tasks (no I/O, tested in
# memory), the glue to sockets/xfrm/ddns and the module hooks.
noinst_LIBRARIES += ike/libike.a
ike_libike_a_SOURCES = ike/msg_parse.c ike/msg_payload.c ike/msg_sa.c \
	ike/msg_build.c ike/crypto_secret.c ike/crypto_alg.c \
	ike/crypto_prf.c ike/crypto_dh.c ike/crypto_sk.c ike/sk.c \
	ike/proposal.c ike/ike.h ike/msg.h ike/wire.h ike/crypto.h \
	ike/proposal.h ike/sk.h \
	ike/sa.h ike/addr.c ike/ctx.c ike/sa.c ike/tasks.c ike/task_init.c \
	ike/task_auth.c ike/task_info.c ike/task_pathdown.c ike/task_rekey.c \
	ike/task_ikerekey.c ike/natt.c ike/frag.c ike/cookie.c ike/child.c \
	ike/tunnel.c ike/glue.h ike/glue.c ike/show.c ike/module.c
ike_libike_a_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) $(SODIUM_CFLAGS)

IKE_TEST_LIBS = ike/libike.a $(CRYPTO_LIBS) $(SODIUM_LIBS)
IKE_TESTS = tests/unit/ike/test_msg tests/unit/ike/test_crypto \
	tests/unit/ike/test_dh tests/unit/ike/test_sk \
	tests/unit/ike/test_proposal tests/unit/ike/test_sa
check_PROGRAMS += $(IKE_TESTS)
# The netns suite skips itself unless it may create namespaces (root).
TESTS += $(IKE_TESTS) tests/netns/ike.sh
tests_unit_ike_test_msg_LDADD = $(IKE_TEST_LIBS)
tests_unit_ike_test_crypto_LDADD = $(IKE_TEST_LIBS)
tests_unit_ike_test_dh_LDADD = $(IKE_TEST_LIBS)
tests_unit_ike_test_sk_LDADD = $(IKE_TEST_LIBS)
tests_unit_ike_test_proposal_LDADD = $(IKE_TEST_LIBS)
tests_unit_ike_test_crypto_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS)
tests_unit_ike_test_dh_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS)
tests_unit_ike_test_sk_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS)
# Two engines back to back through the seam: no socket, no kernel.
tests_unit_ike_test_sa_SOURCES = tests/unit/ike/test_sa.c
tests_unit_ike_test_sa_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS) \
	$(SODIUM_CFLAGS)
tests_unit_ike_test_sa_LDADD = ike/libike.a conf/libconf.a xfrm/libxfrm.a \
	daemon/libcore.a $(MNL_LIBS) $(CRYPTO_LIBS) $(SODIUM_LIBS)
EXTRA_DIST += tests/unit/ike/hex.h tests/unit/ike/msgs.h
