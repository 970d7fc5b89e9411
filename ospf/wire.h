/*
 * wire.h: OSPFv2 numbers (RFC 2328 appendices A and B, RFC 5250 for the
 * O option, RFC 5613 for the L option).  Only names: no code, so every
 * ospf/ file and the tests can include it.  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_WIRE_H
#define TSUNAGI_OSPF_WIRE_H

#define OSPF_IPPROTO       89
#define OSPF_VERSION       2
#define OSPF_ALLSPFROUTERS 0xe0000005u /* 224.0.0.5 */
#define OSPF_BACKBONE      0u          /* area 0.0.0.0 */

/* Fixed sizes (A.3). */
#define OSPF_HDR_LEN       24
#define OSPF_AUTH_LEN      8
#define OSPF_HELLO_LEN     20 /* after the header, before the neighbours */
#define OSPF_DD_LEN        8  /* after the header, before the LSA headers */
#define OSPF_LSR_ENTRY_LEN 12
#define OSPF_LSU_LEN       4 /* the LSA count */
#define OSPF_LSA_HDR_LEN   20

/* Packet types (A.3.1). */
#define OSPF_HELLO  1
#define OSPF_DD     2
#define OSPF_LSR    3
#define OSPF_LSU    4
#define OSPF_LSACK  5
#define OSPF_NTYPES 6 /* 1..5, index 0 unused */

/* Authentication types (appendix D). */
#define OSPF_AUTH_NONE   0
#define OSPF_AUTH_SIMPLE 1
#define OSPF_AUTH_CRYPT  2

/* The Options field (A.2). */
#define OSPF_OPT_MT 0x01 /* was T: TOS routing, unused */
#define OSPF_OPT_E  0x02 /* AS-external LSAs flooded here */
#define OSPF_OPT_MC 0x04
#define OSPF_OPT_NP 0x08
#define OSPF_OPT_L  0x10 /* LLS data block follows (RFC 5613) */
#define OSPF_OPT_DC 0x20
#define OSPF_OPT_O  0x40 /* opaque LSAs (RFC 5250) */

/* Database Description flags (A.3.3). */
#define OSPF_DD_MS 0x01
#define OSPF_DD_M  0x02
#define OSPF_DD_I  0x04

/* LSA types (A.4.1; 9-11 from RFC 5250). */
#define OSPF_LSA_ROUTER      1
#define OSPF_LSA_NETWORK     2
#define OSPF_LSA_SUMMARY     3
#define OSPF_LSA_ASBR        4
#define OSPF_LSA_EXTERNAL    5
#define OSPF_LSA_NSSA        7
#define OSPF_LSA_OPAQUE_LINK 9
#define OSPF_LSA_OPAQUE_AREA 10
#define OSPF_LSA_OPAQUE_AS   11

/* Router-LSA (A.4.2): the flags byte and the link types. */
#define OSPF_RTR_B        0x01
#define OSPF_RTR_E        0x02
#define OSPF_RTR_V        0x04
#define OSPF_LINK_P2P     1
#define OSPF_LINK_TRANSIT 2
#define OSPF_LINK_STUB    3
#define OSPF_LINK_VIRTUAL 4
#define OSPF_RTR_LEN      4  /* flags, 0, #links */
#define OSPF_RTR_LINK_LEN 12 /* one link without TOS entries */

/* AS-external-LSA (A.4.5): the E bit is the top bit of the metric word. */
#define OSPF_EXT_E   0x80000000u
#define OSPF_EXT_LEN 16 /* mask, metric, forwarding, tag */

/* Architectural constants (appendix B), in seconds. */
#define OSPF_LS_REFRESH_TIME 1800
#define OSPF_MIN_LS_INTERVAL 5
#define OSPF_MIN_LS_ARRIVAL  1
#define OSPF_MAX_AGE         3600
#define OSPF_CHECK_AGE       300
#define OSPF_MAX_AGE_DIFF    900
#define OSPF_LS_INFINITY     0xffffffu
#define OSPF_DO_NOT_AGE      0x8000 /* RFC 1793; never set by us */
#define OSPF_SEQ_INITIAL     ((int32_t)0x80000001)
#define OSPF_SEQ_MAX         ((int32_t)0x7fffffff)
#define OSPF_SEQ_RESERVED    ((int32_t)0x80000000) /* never valid */

#endif
