/*
 * natt.c: NAT traversal (RFC 7296 2.23, RFC 3948).  Both IKE_SA_INIT
 * messages carry NAT_DETECTION_{SOURCE,DESTINATION}_IP hashes of the
 * addresses and ports each end believes in; a mismatch says who is behind
 * a NAT.  Then the SA moves to port 4500 (the glue adds the non-ESP
 * marker there), ESP goes inside UDP, and the end behind the NAT keeps its
 * mapping open with keepalives.  "nat-traversal force" sends a source
 * hash that cannot match, so both ends encapsulate as if there were a NAT
 * (for paths that drop plain ESP).  No I/O here: the seam sends.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

#define IKE_NATD_LEN 20 /* SHA-1 */

/* SHA-1(SPIi | SPIr | IP | port) of one endpoint. */
static int
ike_natd_hash(uint64_t ispi, uint64_t rspi,
    const struct sockaddr_storage *ss, uint8_t *out)
{
	uint8_t spis[16], port[2];
	struct xfrm_ip ip;
	struct ike_iov iov[3];

	ike_set64(spis, ispi);
	ike_set64(spis + 8, rspi);
	ike_ss_to_ip(ss, &ip);
	ike_set16(port, ike_ss_port(ss));
	iov[0] = (struct ike_iov){ spis, sizeof(spis) };
	iov[1] = (struct ike_iov){ ip.raw, xfrm_ip_len(ip.family) };
	iov[2] = (struct ike_iov){ port, sizeof(port) };
	return ike_digest_v("SHA1", iov, 3, out, IKE_NATD_LEN);
}

/* Our two notifies, with the SPIs as the message carries them. */
void
ike_natd_put(struct ike_sa *sa, struct ike_wbuf *w, uint64_t rspi)
{
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];

	if (sa->t->cfg.natt_force)
		ike_random(src, sizeof(src)); /* matches nothing: "NAT" */
	else if (ike_natd_hash(sa->ispi, rspi, &sa->local, src) == -1)
		return;
	if (ike_natd_hash(sa->ispi, rspi, &sa->peer, dst) == -1)
		return;
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, src,
	    sizeof(src));
	ike_put_notify(w, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, dst,
	    sizeof(dst));
}

/* 1 if one of the message's notifies of a type carries hash h. */
static int
ike_natd_seen(const struct ike_msg *m, uint16_t type, const uint8_t *h,
    int *present)
{
	struct ike_notify_pl n;
	size_t i;
	int hit = 0;

	for (i = 0; i < m->npl; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY ||
		    ike_pl_notify(&m->pl[i], &n) == -1 || n.type != type)
			continue;
		*present = 1;
		if (n.len == IKE_NATD_LEN && memcmp(n.data, h, n.len) == 0)
			hit = 1;
	}
	return hit;
}

/*
 * The peer's IKE_SA_INIT message (request or response), as it arrived:
 * from sa->peer to sa->local.  Sets who is behind a NAT.
 */
void
ike_natd_check(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t hsrc[IKE_NATD_LEN], hdst[IKE_NATD_LEN];
	int has_src = 0, has_dst = 0, src_ok, dst_ok;

	if (ike_natd_hash(m->hdr.ispi, m->hdr.rspi, &sa->peer, hsrc) == -1 ||
	    ike_natd_hash(m->hdr.ispi, m->hdr.rspi, &sa->local, hdst) == -1)
		return;
	src_ok = ike_natd_seen(m, IKE_N_NAT_DETECTION_SOURCE_IP, hsrc,
	    &has_src);
	dst_ok = ike_natd_seen(m, IKE_N_NAT_DETECTION_DESTINATION_IP, hdst,
	    &has_dst);
	sa->natd = has_src && has_dst;
	if (!sa->natd)
		return;
	sa->nat_peer = !src_ok;
	sa->nat_local = !dst_ok;
	if (sa->nat_peer || sa->nat_local)
		log_info("ike: %s: NAT detected (%s%s%s)", sa->t->cfg.name,
		    sa->nat_local ? "we are behind one" : "",
		    sa->nat_local && sa->nat_peer ? ", " : "",
		    sa->nat_peer ? "the peer is behind one" : "");
}

/* ESP in UDP, and IKE on port 4500. */
int
ike_natt_on(const struct ike_sa *sa)
{
	return sa->natd &&
	    (sa->nat_local || sa->nat_peer || sa->t->cfg.natt_force);
}

/* The initiator moves to port 4500 before IKE_AUTH (2.23). */
void
ike_natt_float(struct ike_sa *sa)
{
	if (!ike_natt_on(sa))
		return;
	ike_ss_set_port(&sa->local, IKE_PORT_NATT);
	ike_ss_set_port(&sa->peer, IKE_PORT_NATT);
}

/*
 * An authenticated message came from `peer` to `local`.  The responder
 * follows the initiator to port 4500, and both follow a peer behind a NAT
 * whose mapping changed (the ESP SAs keep the ports they were made with
 * until the next rekey).
 */
void
ike_natt_moved(struct ike_sa *sa, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer)
{
	char a[64];

	if (!sa->natd || local == NULL || peer == NULL ||
	    (ike_ss_port(peer) == ike_ss_port(&sa->peer) &&
		ike_ss_eq_addr(peer, &sa->peer) &&
		ike_ss_port(local) == ike_ss_port(&sa->local)))
		return;
	if (!ike_ss_eq_addr(peer, &sa->peer) && !sa->nat_peer)
		return; /* an address change without a NAT: not ours to follow */
	sa->local = *local;
	sa->peer = *peer;
	log_debug("ike: %s: peer now at %s port %u", sa->t->cfg.name,
	    ike_ss_fmt(peer, a, sizeof(a)), ike_ss_port(peer));
	/* The ESP SAs carry the old ports: a new pair with the new ones. */
	if (sa->state == IKE_ST_ESTABLISHED && sa->child.installed &&
	    ike_natt_on(sa))
		ike_sa_queue(sa, IKE_TASK_REKEY_CHILD);
}

static void
ike_natt_keepalive(void *arg)
{
	struct ike_sa *sa = arg;
	static const uint8_t ka = 0xff; /* RFC 3948 2.3 */

	if (sa->state != IKE_ST_ESTABLISHED)
		return;
	/* Only when nothing else went out would be better; a byte every
	 * keepalive interval costs nothing and is simpler. */
	sa->ctx->ops->send(sa->ctx->ops_arg, sa->t, &sa->local, &sa->peer,
	    &ka, 1);
	ev_timer_add(&sa->keepalive, (uint64_t)sa->t->cfg.natt_keepalive * 1000);
}

void
ike_natt_init(struct ike_sa *sa)
{
	ev_timer_set(&sa->keepalive, ike_natt_keepalive, sa);
}

/* The end behind a NAT keeps the mapping open. */
void
ike_natt_start(struct ike_sa *sa)
{
	if (sa->nat_local && sa->t->cfg.natt_keepalive > 0 &&
	    ike_ss_port(&sa->local) == IKE_PORT_NATT)
		ev_timer_add(&sa->keepalive,
		    (uint64_t)sa->t->cfg.natt_keepalive * 1000);
}
