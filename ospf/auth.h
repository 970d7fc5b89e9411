/*
 * auth.h: OSPFv2 cryptographic authentication (RFC 2328 D.3, D.4.3):
 * keyed MD5, and HMAC-SHA-256 (RFC 5709).  The digest is appended after
 * the packet; the key id, the digest's length and the cryptographic
 * sequence number sit in the header's authentication field.  No I/O; the
 * key is the caller's (in guarded memory, unlocked for the call).
 * Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_AUTH_H
#define TSUNAGI_OSPF_AUTH_H

#include <stddef.h>
#include <stdint.h>

enum ospf_auth_alg { OSPF_ALG_MD5 = 0, OSPF_ALG_HMAC_SHA256 };

#define OSPF_MD5_LEN    16
#define OSPF_SHA256_LEN 32
#define OSPF_DIGEST_MAX 32

/* The digest's length for alg: 16 or 32. */
size_t ospf_auth_len(int alg);

/*
 * Signs the finished packet p (len bytes): its authentication field gets
 * key id, length and seq, the checksum is zero, the digest goes at
 * p + len.  cap must hold len + ospf_auth_len(alg).  0, or -1.
 */
int ospf_auth_sign(int alg, uint8_t *p, size_t len, size_t cap, uint8_t keyid,
    uint32_t seq, const uint8_t *key, size_t keylen);
/* 1 if digest (ospf_auth_len(alg) bytes) is the packet's with that key. */
int ospf_auth_ok(int alg, const uint8_t *p, size_t len, const uint8_t *digest,
    const uint8_t *key, size_t keylen);

#endif
