/*
 * frag.c: the datagrams an IKE message goes out as, and IKE fragmentation
 * (RFC 7383).  A protected message larger than what a path surely carries
 * (1280-byte IP datagrams: the IPv6 minimum, and below the 1454 of PPPoE)
 * leaves as Encrypted Fragment payloads, each sealed on its own, so no IP
 * fragment is ever needed.  Requests and responses are kept as "frames"
 * (2-byte length, datagram, ...) for retransmission.  Incoming fragments
 * are checked one by one before they are kept, and reassembled into the
 * inner chain once all have come.  No I/O: the seam sends.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"
#include "ike/sk.h"

/* Frames ------------------------------------------------------------------- */

/* dst gets len bytes as the frame list's next frame. */
static int
ike_frames_add(uint8_t **dst, size_t *dstlen, const uint8_t *buf, size_t len)
{
	uint8_t *p;

	if (len > 0xffff || (p = realloc(*dst, *dstlen + 2 + len)) == NULL)
		return -1;
	ike_set16(p + *dstlen, (uint16_t)len);
	memcpy(p + *dstlen + 2, buf, len);
	*dst = p;
	*dstlen += 2 + len;
	return 0;
}

int
ike_frames_set(uint8_t **dst, size_t *dstlen, const uint8_t *buf, size_t len)
{
	free(*dst);
	*dst = NULL;
	*dstlen = 0;
	return ike_frames_add(dst, dstlen, buf, len);
}

int
ike_frames_send(struct ike_sa *sa, const uint8_t *f, size_t len)
{
	size_t off = 0, n;
	int r = 0;

	while (f != NULL && off + 2 <= len) {
		n = ike_get16(f + off);
		if (off + 2 + n > len)
			break;
		if (ike_sa_send_plain(sa, f + off + 2, n) == -1)
			r = -1;
		off += 2 + n;
	}
	return r;
}

/* Sending ------------------------------------------------------------------ */

/* The largest IKE message the path takes without IP fragments. */
static size_t
ike_frag_max(const struct ike_sa *sa)
{
	size_t ip = sa->peer.ss_family == AF_INET6 ? 40 : 20;
	size_t natt = ike_ss_port(&sa->local) == IKE_PORT_NATT ? 4 : 0;
	size_t dgram = sa->ctx->frag_size ? sa->ctx->frag_size : IKE_FRAG_SIZE;

	return dgram > ip + 8 + natt ? dgram - ip - 8 - natt : 0;
}

/* The largest slice of the inner chain one fragment carries. */
static size_t
ike_frag_chunk(const struct ike_sk_dir *d, size_t max)
{
	size_t over = IKE_HDR_LEN + 8, n;

	if (max <= over + 64)
		return 0;
	for (n = max - over; n > 0 && over + ike_sk_len(d, n) > max; n--)
		;
	return n;
}

/*
 * Seal the inner chain as one message, or, when the peer takes fragments
 * and the message would not fit the path, as fragments; into frames.
 */
int
ike_frames_seal(struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t mid, const struct ike_wbuf *inner, uint8_t **dst,
    size_t *dstlen)
{
	uint8_t out[IKE_MSG_MAX];
	size_t max = ike_frag_max(sa), chunk, off, n, nfrags;
	struct ike_hdr h;
	uint16_t k;
	long len;

	free(*dst);
	*dst = NULL;
	*dstlen = 0;
	if (inner->err)
		return -1;
	if (!sa->frag || IKE_HDR_LEN + 4 + ike_sk_len(&sa->sk_out,
					 inner->len) <= max) {
		len = ike_sa_seal(sa, exchange, response, mid, inner, out,
		    sizeof(out));
		return len < 0 ? -1 :
		    ike_frames_add(dst, dstlen, out, (size_t)len);
	}
	ike_sa_hdr(sa, exchange, response, mid, &h);
	if ((chunk = ike_frag_chunk(&sa->sk_out, max)) == 0)
		return -1;
	nfrags = (inner->len + chunk - 1) / chunk;
	if (nfrags > IKE_FRAG_MAX)
		return -1;
	for (k = 1, off = 0; off < inner->len; k++, off += n) {
		n = inner->len - off < chunk ? inner->len - off : chunk;
		len = ike_sk_build(&sa->sk_out, &h,
		    k == 1 ? ike_wbuf_first(inner) : 0, inner->buf + off, n, k,
		    (uint16_t)nfrags, out, sizeof(out));
		if (len < 0 || ike_frames_add(dst, dstlen, out, (size_t)len) == -1)
			return -1;
	}
	log_debug("ike: %s: message %u sent as %zu fragments", sa->t->cfg.name,
	    mid, nfrags);
	return 0;
}

/* Reassembly ----------------------------------------------------------------- */

struct ike_frag_rx {
	uint32_t	 msgid;
	uint16_t	 nfrags;
	uint8_t		 first;		/* Next Payload of fragment 1 */
	uint32_t	 have;		/* bit per fragment */
	size_t		 total;
	uint8_t		*part[IKE_FRAG_MAX];
	size_t		 len[IKE_FRAG_MAX];
};

void
ike_frag_rx_free(struct ike_frag_rx **rxp)
{
	struct ike_frag_rx *rx = *rxp;
	size_t i;

	if (rx == NULL)
		return;
	for (i = 0; i < IKE_FRAG_MAX; i++) {
		if (rx->part[i] != NULL)
			sodium_memzero(rx->part[i], rx->len[i]);
		free(rx->part[i]);
	}
	free(rx);
	*rxp = NULL;
}

static struct ike_frag_rx *
ike_frag_rx_get(struct ike_frag_rx **rxp, uint32_t msgid, uint16_t nfrags)
{
	struct ike_frag_rx *rx = *rxp;

	/* A new message, or the same one resent in more, smaller pieces
	 * (7383 2.6.2): start over. */
	if (rx != NULL && (rx->msgid != msgid || nfrags > rx->nfrags))
		ike_frag_rx_free(rxp);
	if (*rxp == NULL && (*rxp = calloc(1, sizeof(**rxp))) != NULL) {
		(*rxp)->msgid = msgid;
		(*rxp)->nfrags = nfrags;
	}
	return *rxp;
}

/*
 * One authenticated fragment (plaintext pt, ptlen) of message m.  1 when
 * the message is whole: its inner chain is then in out (outlen bytes,
 * first payload *first).  0 while fragments are missing, -1 to drop.
 */
int
ike_frag_store(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_sk_pl *sk, const uint8_t *pt, size_t ptlen,
    uint8_t *out, size_t cap, size_t *outlen, uint8_t *first)
{
	struct ike_frag_rx **rxp =
	    &sa->rx[(m->hdr.flags & IKE_FLAG_RESPONSE) != 0];
	struct ike_frag_rx *rx;
	unsigned i = sk->fragnum - 1u;
	size_t off;

	if (sk->nfrags > IKE_FRAG_MAX ||
	    (rx = ike_frag_rx_get(rxp, m->hdr.msgid, sk->nfrags)) == NULL ||
	    sk->nfrags < rx->nfrags || (rx->have & (1u << i)))
		return sk->nfrags > IKE_FRAG_MAX ? -1 : 0;
	if (rx->total + ptlen > cap || (rx->part[i] = malloc(ptlen + 1)) ==
	    NULL) {
		ike_frag_rx_free(rxp);
		return -1;
	}
	memcpy(rx->part[i], pt, ptlen);
	rx->len[i] = ptlen;
	rx->total += ptlen;
	rx->have |= 1u << i;
	if (i == 0)
		rx->first = m->pl[m->sk].next;
	if (rx->have != (rx->nfrags == 32 ? 0xffffffffu :
					    (1u << rx->nfrags) - 1))
		return 0;
	for (i = 0, off = 0; i < rx->nfrags; off += rx->len[i++])
		memcpy(out + off, rx->part[i], rx->len[i]);
	*outlen = off;
	*first = rx->first;
	ike_frag_rx_free(rxp);
	return 1;
}
