# ospf: rules for this module (included by the top Makefile.am).
# libospf.a: the route table that installs tsunagi's routes through xfrm/
# (rib.c) and the static routes of the configuration (static.c).  The
# OSPFv2 speaker and the watch-groups join this library.
noinst_LIBRARIES += ospf/libospf.a
ospf_libospf_a_SOURCES = ospf/ospf.h ospf/rib.h ospf/rib.c ospf/static.c
ospf_libospf_a_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)

TESTS += tests/netns/routes.sh
