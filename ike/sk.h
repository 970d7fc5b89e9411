/*
 * sk.h: where the codec meets the crypto: build a whole protected message
 * (header, SK payload, sealed inner chain) and open one (check, decrypt,
 * parse the inner chain).  Still no I/O.  Private to ike/.
 */
#ifndef TSUNAGI_IKE_SK_H
#define TSUNAGI_IKE_SK_H

#include "ike/crypto.h"
#include "ike/msg.h"

/*
 * Protect the inner chain (built with ike_wbuf_chain(); first = its first
 * payload type) as one SK payload after header h.  fragnum/nfrags: 0/0
 * for SK, else one SKF fragment (RFC 7383; inner_first only in the first).
 * Returns the message length, or -1 if it does not fit in cap.
 */
long ike_sk_build(struct ike_sk_dir *d, const struct ike_hdr *h,
    uint8_t first, const uint8_t *inner, size_t innerlen, uint16_t fragnum,
    uint16_t nfrags, uint8_t *out, size_t cap);
/*
 * Check and decrypt the SK or SKF payload of a parsed message into pt
 * (cap at least the payload's length); sk gets its head.  EAUTH on any
 * integrity or padding failure, ESYNTAX for a malformed head.
 */
enum ike_msg_err ike_sk_decrypt(const struct ike_sk_dir *d,
    const struct ike_msg *m, uint8_t *pt, size_t cap, size_t *ptlen,
    struct ike_sk_pl *sk);
/* ike_sk_decrypt() of an SK payload, then its inner chain into inner. */
enum ike_msg_err ike_sk_open_msg(const struct ike_sk_dir *d,
    const struct ike_msg *m, uint8_t *pt, size_t cap, struct ike_msg *inner);

#endif
