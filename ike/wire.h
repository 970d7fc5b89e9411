/*
 * wire.h: IKEv2 numbers from the IANA registries (RFC 7296 section 3 and
 * the RFCs that extend it).  Only names: no code, so every ike/ file and
 * the tests can include it.  Private to ike/.
 */
#ifndef TSUNAGI_IKE_WIRE_H
#define TSUNAGI_IKE_WIRE_H

/* Sizes of the fixed parts (RFC 7296 3.1, 3.2). */
#define IKE_HDR_LEN		28
#define IKE_GENHDR_LEN		4
#define IKE_SPI_LEN		8
#define IKE_VERSION		0x20	/* major 2, minor 0 */
#define IKE_NONCE_MIN		16
#define IKE_NONCE_MAX		256

/* Exchange types (3.1). */
#define IKE_EXCH_IKE_SA_INIT		34
#define IKE_EXCH_IKE_AUTH		35
#define IKE_EXCH_CREATE_CHILD_SA	36
#define IKE_EXCH_INFORMATIONAL		37

/* Header flags (3.1). */
#define IKE_FLAG_INITIATOR	0x08
#define IKE_FLAG_VERSION	0x10
#define IKE_FLAG_RESPONSE	0x20

/* Payload types (3.2; SKF from RFC 7383). */
#define IKE_PL_NONE		0
#define IKE_PL_SA		33
#define IKE_PL_KE		34
#define IKE_PL_IDI		35
#define IKE_PL_IDR		36
#define IKE_PL_CERT		37
#define IKE_PL_CERTREQ		38
#define IKE_PL_AUTH		39
#define IKE_PL_NONCE		40
#define IKE_PL_NOTIFY		41
#define IKE_PL_DELETE		42
#define IKE_PL_VENDOR		43
#define IKE_PL_TSI		44
#define IKE_PL_TSR		45
#define IKE_PL_SK		46
#define IKE_PL_CP		47
#define IKE_PL_EAP		48
#define IKE_PL_GSPM		49
#define IKE_PL_SKF		53

#define IKE_PL_CRITICAL		0x80	/* bit in the generic header */

/* Protocol IDs (3.3.1). */
#define IKE_PROTO_IKE		1
#define IKE_PROTO_AH		2
#define IKE_PROTO_ESP		3

/* Transform types (3.3.2). */
#define IKE_XF_ENCR		1
#define IKE_XF_PRF		2
#define IKE_XF_INTEG		3
#define IKE_XF_DH		4
#define IKE_XF_ESN		5
#define IKE_XF_NTYPES		5

/* Encryption transform IDs (RFC 7296, RFC 5282, RFC 7634). */
#define IKE_ENCR_AES_CBC		12
#define IKE_ENCR_AES_GCM_8		18
#define IKE_ENCR_AES_GCM_12		19
#define IKE_ENCR_AES_GCM_16		20
#define IKE_ENCR_CHACHA20_POLY1305	28

/* PRF transform IDs (RFC 7296, RFC 4868). */
#define IKE_PRF_HMAC_SHA1		2
#define IKE_PRF_HMAC_SHA2_256		5
#define IKE_PRF_HMAC_SHA2_384		6
#define IKE_PRF_HMAC_SHA2_512		7

/* Integrity transform IDs (RFC 7296, RFC 4868). */
#define IKE_INTEG_NONE			0
#define IKE_INTEG_HMAC_SHA1_96		2
#define IKE_INTEG_HMAC_SHA2_256_128	12
#define IKE_INTEG_HMAC_SHA2_384_192	13
#define IKE_INTEG_HMAC_SHA2_512_256	14

/* Diffie-Hellman group numbers (RFC 3526, RFC 5903, RFC 8031). */
#define IKE_DH_NONE		0
#define IKE_DH_MODP1536		5
#define IKE_DH_MODP2048		14
#define IKE_DH_MODP3072		15
#define IKE_DH_MODP4096		16
#define IKE_DH_ECP256		19
#define IKE_DH_ECP384		20
#define IKE_DH_ECP521		21
#define IKE_DH_CURVE25519	31

/* Extended sequence numbers (3.3.2). */
#define IKE_ESN_NO		0
#define IKE_ESN_YES		1

/* Transform attributes (3.3.5). */
#define IKE_ATTR_AF		0x8000	/* TV format: value in the length field */
#define IKE_ATTR_KEY_LENGTH	14

/* Identification types (3.5). */
#define IKE_ID_IPV4_ADDR	1
#define IKE_ID_FQDN		2
#define IKE_ID_RFC822_ADDR	3
#define IKE_ID_IPV6_ADDR	5
#define IKE_ID_DER_ASN1_DN	9
#define IKE_ID_DER_ASN1_GN	10
#define IKE_ID_KEY_ID		11

/* Authentication methods (3.8). */
#define IKE_AUTH_RSA_SIG	1
#define IKE_AUTH_SHARED_KEY_MIC	2
#define IKE_AUTH_DSS_SIG	3

/* Traffic selector types (3.13.1). */
#define IKE_TS_IPV4_ADDR_RANGE	7
#define IKE_TS_IPV6_ADDR_RANGE	8

/* Configuration payload types (3.15). */
#define IKE_CFG_REQUEST		1
#define IKE_CFG_REPLY		2
#define IKE_CFG_SET		3
#define IKE_CFG_ACK		4

/* Notify message types: errors (3.10.1). */
#define IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD	1
#define IKE_N_INVALID_IKE_SPI			4
#define IKE_N_INVALID_MAJOR_VERSION		5
#define IKE_N_INVALID_SYNTAX			7
#define IKE_N_INVALID_MESSAGE_ID		9
#define IKE_N_INVALID_SPI			11
#define IKE_N_NO_PROPOSAL_CHOSEN		14
#define IKE_N_INVALID_KE_PAYLOAD		17
#define IKE_N_AUTHENTICATION_FAILED		24
#define IKE_N_SINGLE_PAIR_REQUIRED		34
#define IKE_N_NO_ADDITIONAL_SAS			35
#define IKE_N_INTERNAL_ADDRESS_FAILURE		36
#define IKE_N_FAILED_CP_REQUIRED		37
#define IKE_N_TS_UNACCEPTABLE			38
#define IKE_N_INVALID_SELECTORS			39
#define IKE_N_TEMPORARY_FAILURE			43
#define IKE_N_CHILD_SA_NOT_FOUND		44

/* Notify message types: status (3.10.1, RFC 7383, RFC 4555). */
#define IKE_N_INITIAL_CONTACT			16384
#define IKE_N_SET_WINDOW_SIZE			16385
#define IKE_N_ADDITIONAL_TS_POSSIBLE		16386
#define IKE_N_IPCOMP_SUPPORTED			16387
#define IKE_N_NAT_DETECTION_SOURCE_IP		16388
#define IKE_N_NAT_DETECTION_DESTINATION_IP	16389
#define IKE_N_COOKIE				16390
#define IKE_N_USE_TRANSPORT_MODE		16391
#define IKE_N_HTTP_CERT_LOOKUP_SUPPORTED	16392
#define IKE_N_REKEY_SA				16393
#define IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED	16394
#define IKE_N_NON_FIRST_FRAGMENTS_ALSO		16395
#define IKE_N_MOBIKE_SUPPORTED			16396
#define IKE_N_IKEV2_FRAGMENTATION_SUPPORTED	16430
#define IKE_N_SIGNATURE_HASH_ALGORITHMS		16431

/*
 * Private use (3.10.1: 40960-65535), ours: "the path of the IKE SA named
 * in the data is dead at my end", sent over another tunnel's IKE SA with
 * the same peer (task_pathdown.c).  Far from strongSwan's 40960-40969.
 */
#define IKE_N_TSUNAGI_PATH_DOWN			48640

/* Notify types below this are errors (3.10.1). */
#define IKE_N_ERROR_MAX				16383

#endif
