/*
 * auth.h: OSPFv2 cryptographic authentication with MD5 (RFC 2328 D.3,
 * D.4.3): the digest over the packet and the key padded to 16 bytes,
 * appended after the packet; the cryptographic sequence number in the
 * header's authentication field.  No I/O; the key is the caller's (in
 * guarded memory, unlocked for the call).  Private to ospf/.
 */
#ifndef TSUNAGI_OSPF_AUTH_H
#define TSUNAGI_OSPF_AUTH_H

#include <stddef.h>
#include <stdint.h>

#define OSPF_MD5_LEN 16

/*
 * Signs the finished packet p (len bytes, checksum left zero): its
 * authentication field gets key id and seq, the digest goes at p + len.
 * cap must hold len + OSPF_MD5_LEN.  0, or -1.
 */
int ospf_auth_md5_sign(uint8_t *p, size_t len, size_t cap, uint8_t keyid,
    uint32_t seq, const uint8_t *key, size_t keylen);
/* 1 if digest (OSPF_MD5_LEN bytes) is the packet's with that key. */
int ospf_auth_md5_ok(const uint8_t *p, size_t len, const uint8_t *digest,
    const uint8_t *key, size_t keylen);

#endif
