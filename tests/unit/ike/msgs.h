/*
 * msgs.h: IKEv2 messages written out byte by byte from the layouts of RFC
 * 7296 section 3, shaped like what strongSwan's charon sends (two IKE
 * proposals, AEAD first; NAT detection, fragmentation and signature-hash
 * notifies; an IKE_AUTH with INITIAL_CONTACT and 0/0 and ::/0 selectors).
 * Shared by the unit tests and, as seeds, by the fuzzer.
 */
#ifndef TSUNAGI_TEST_IKE_MSGS_H
#define TSUNAGI_TEST_IKE_MSGS_H

/* IKE_SA_INIT request: 320 bytes. */
static const char ike_sa_init_hex[] =
    /* IKE header: SPIi, SPIr 0, next SA, 2.0, IKE_SA_INIT, I, ID 0, len */
    "5f3a2b1c4d6e7f80 0000000000000000 21 20 22 08 00000000 00000140"
    /* SA: next KE, length 104 */
    "22 00 0068"
    /* proposal 1 (more follow), len 48, #1, IKE, SPI size 0, 4 xforms */
    "02 00 0030 01 01 00 04"
    "03 00 000c 01 00 0014 800e 0100" /* ENCR_AES_GCM_16, 256 bits */
    "03 00 000c 01 00 0014 800e 0080" /* ENCR_AES_GCM_16, 128 bits */
    "03 00 0008 02 00 0005"           /* PRF_HMAC_SHA2_256 */
    "00 00 0008 04 00 0013"           /* DH 19 (last) */
    /* proposal 2 (last), len 52, #2, IKE, SPI size 0, 5 xforms */
    "00 00 0034 02 01 00 05"
    "03 00 000c 01 00 000c 800e 0100" /* ENCR_AES_CBC, 256 bits */
    "03 00 0008 03 00 000c"           /* AUTH_HMAC_SHA2_256_128 */
    "03 00 0008 02 00 0005"           /* PRF_HMAC_SHA2_256 */
    "03 00 0008 04 00 0013"           /* DH 19 */
    "00 00 0008 04 00 000e"           /* DH 14 (last) */
    /* KE: next Ni, len 72, group 19, RFC 5903 8.1's gix | giy */
    "28 00 0048 0013 0000"
    "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
    "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3"
    /* Ni: next N, len 36 */
    "29 00 0024"
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    /* N(NAT_DETECTION_SOURCE_IP): next N, len 28, proto 0, SPI size 0 */
    "29 00 001c 00 00 4004 1111111111111111111111111111111111111111"
    /* N(NAT_DETECTION_DESTINATION_IP) */
    "29 00 001c 00 00 4005 2222222222222222222222222222222222222222"
    /* N(IKEV2_FRAGMENTATION_SUPPORTED), no data */
    "29 00 0008 00 00 402e"
    /* N(SIGNATURE_HASH_ALGORITHMS): SHA2-256, -384, -512, Identity */
    "00 00 0010 00 00 402f 0002 0003 0004 0005";

/*
 * The plaintext inside IKE_AUTH request's SK payload (first: IDi):
 * IDi, N(INITIAL_CONTACT), IDr, AUTH, SA, TSi, TSr, N(ESP_TFC_PADDING_
 * NOT_SUPPORTED), N(NON_FIRST_FRAGMENTS_ALSO).  280 bytes.
 */
static const char ike_auth_inner_hex[] =
    /* IDi: next N, len 20, FQDN "home.example" */
    "29 00 0014 02 000000 686f6d652e6578616d706c65"
    /* N(INITIAL_CONTACT): next IDr */
    "24 00 0008 00 00 4000"
    /* IDr: next AUTH, len 20, KEY_ID "jikka-v6" + 4 bytes */
    "27 00 0014 0b 000000 6a696b6b612d7636 01020304"
    /* AUTH: next SA, len 40, Shared Key MIC, 32 bytes (PRF-256) */
    "21 00 0028 02 000000"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    /* SA: next TSi, len 48: one ESP proposal, SPI c0ffee01, 3 xforms */
    "2c 00 0030"
    "00 00 002c 01 03 04 03 c0ffee01"
    "03 00 000c 01 00 0014 800e 0100" /* ENCR_AES_GCM_16, 256 */
    "03 00 000c 01 00 0014 800e 0080" /* ENCR_AES_GCM_16, 128 */
    "00 00 0008 05 00 0000"           /* ESN: no */
    /* TSi: next TSr, len 64, 2 selectors: 0.0.0.0/0 and ::/0 */
    "2d 00 0040 02 000000"
    "07 00 0010 0000 ffff 00000000 ffffffff"
    "08 00 0028 0000 ffff 00000000000000000000000000000000"
    "ffffffffffffffffffffffffffffffff"
    /* TSr: same */
    "29 00 0040 02 000000"
    "07 00 0010 0000 ffff 00000000 ffffffff"
    "08 00 0028 0000 ffff 00000000000000000000000000000000"
    "ffffffffffffffffffffffffffffffff"
    /* N(ESP_TFC_PADDING_NOT_SUPPORTED), N(NON_FIRST_FRAGMENTS_ALSO) */
    "29 00 0008 00 00 400a"
    "00 00 0008 00 00 400b";

/* An INFORMATIONAL response carrying D for an ESP SA (inner chain). */
static const char ike_delete_inner_hex[] =
    "00 00 0010 03 04 0002 c0ffee01 c0ffee02";

#endif
