/*
 * sk.c: whole protected messages.  The lengths in the IKE header and the
 * SK head are authenticated, so the message is laid out completely (with
 * room for IV, ciphertext and ICV) before the body is sealed in place.
 */
#include <string.h>

#include "ike/sk.h"

long
ike_sk_build(struct ike_sk_dir *d, const struct ike_hdr *h, uint8_t first,
    const uint8_t *inner, size_t innerlen, uint16_t fragnum, uint16_t nfrags,
    uint8_t *out, size_t cap)
{
	struct ike_wbuf w;
	size_t body;
	long len;

	ike_wbuf_msg(&w, out, cap, h);
	body = ike_put_sk_head(&w, first, fragnum, nfrags,
	    ike_sk_len(d, innerlen));
	if ((len = ike_wbuf_finish(&w)) == -1)
		return -1;
	if (ike_sk_seal(d, out, body, inner, innerlen, NULL) == -1)
		return -1;
	return len;
}

enum ike_msg_err
ike_sk_decrypt(const struct ike_sk_dir *d, const struct ike_msg *m,
    uint8_t *pt, size_t cap, size_t *ptlen, struct ike_sk_pl *sk)
{
	if (m->sk < 0 || ike_pl_sk(m, &m->pl[m->sk], sk) == -1)
		return IKE_MSG_ESYNTAX;
	if (cap < sk->len)
		return IKE_MSG_ELIMIT;
	if (ike_sk_open(d, m->buf, sk->aad_len, sk->len, pt, ptlen) == -1)
		return IKE_MSG_EAUTH;
	return IKE_MSG_OK;
}

enum ike_msg_err
ike_sk_open_msg(const struct ike_sk_dir *d, const struct ike_msg *m,
    uint8_t *pt, size_t cap, struct ike_msg *inner)
{
	struct ike_sk_pl sk;
	enum ike_msg_err e;
	size_t ptlen;

	if (m->sk < 0 || m->pl[m->sk].type != IKE_PL_SK)
		return IKE_MSG_ESYNTAX;
	if ((e = ike_sk_decrypt(d, m, pt, cap, &ptlen, &sk)) != IKE_MSG_OK)
		return e;
	e = ike_msg_parse_chain(m->pl[m->sk].next, pt, ptlen, inner);
	inner->hdr = m->hdr;
	return e;
}
