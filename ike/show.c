/*
 * show.c: "show ikev2 sa [detail]": one flat record per tunnel (the control
 * socket's --json comes from the same records).  Counters are read from
 * the kernel through the seam at the time of the request; no key ever
 * appears here.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daemon/ctl.h"
#include "daemon/metrics.h"
#include "ike/glue.h"

struct ike_name {
	uint16_t	 id;
	const char	*name;
};

static const struct ike_name encr_names[] = {
	{ IKE_ENCR_AES_CBC, "aes-cbc" },
	{ IKE_ENCR_AES_GCM_16, "aes-gcm-16" },
	{ IKE_ENCR_CHACHA20_POLY1305, "chacha20-poly1305" },
};

static const struct ike_name hash_names[] = {
	{ IKE_PRF_HMAC_SHA1, "sha1" },
	{ IKE_PRF_HMAC_SHA2_256, "sha2-256" },
	{ IKE_PRF_HMAC_SHA2_384, "sha2-384" },
	{ IKE_PRF_HMAC_SHA2_512, "sha2-512" },
};

static const struct ike_name integ_names[] = {
	{ IKE_INTEG_HMAC_SHA1_96, "sha1" },
	{ IKE_INTEG_HMAC_SHA2_256_128, "sha2-256" },
	{ IKE_INTEG_HMAC_SHA2_384_192, "sha2-384" },
	{ IKE_INTEG_HMAC_SHA2_512_256, "sha2-512" },
};

static const char *
ike_name_of(const struct ike_name *t, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return "?";
}

#define NAME_OF(t, id) ike_name_of(t, sizeof(t) / sizeof(t[0]), id)

/* "aes-gcm-16-256/prf-sha2-256/dh-19" style, what strongSwan prints. */
static const char *
ike_suite_str(const struct ike_suite *s, char *buf, size_t size)
{
	int n;

	if (s->encr == NULL) {
		snprintf(buf, size, "-");
		return buf;
	}
	n = snprintf(buf, size, "%s", NAME_OF(encr_names, s->encr->id));
	if (s->encr->keybits && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "-%u",
		    s->encr->keybits);
	if (s->integ && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "/%s",
		    NAME_OF(integ_names, s->integ->id));
	if (s->prf && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "/prf-%s",
		    NAME_OF(hash_names, s->prf->id));
	if (s->dh && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "/dh-%u", s->dh->id);
	return buf;
}

/* Who is behind a NAT, as NAT detection found (2.23). */
static const char *
ike_nat_str(const struct ike_sa *sa)
{
	if (!sa->natd)
		return sa->state == IKE_ST_ESTABLISHED ? "no-detection" : "-";
	if (sa->nat_local && sa->nat_peer)
		return "both";
	if (sa->nat_local)
		return "local";
	if (sa->nat_peer)
		return sa->t->cfg.natt_force ? "forced" : "peer";
	return sa->t->cfg.natt_force ? "forced" : "none";
}

static void
ike_rec_spi(struct ctl_conn *c, const char *key, uint64_t spi)
{
	char b[24];

	snprintf(b, sizeof(b), "%016" PRIx64, spi);
	ctl_rec_str(c, key, b);
}

static long long
ike_left(uint64_t since, uint32_t life)
{
	long long left = (long long)life - (long long)((ev_now() - since) /
							1000);

	return left > 0 ? left : 0;
}

static void
ike_show_child(
    struct ike_ctx *ctx, struct ctl_conn *c, struct ike_sa *sa, int detail)
{
	const struct ike_child *ch = &sa->child;
	struct xfrm_sa_status in, out;
	char b[96];

	ctl_rec_str(c, "esp-algorithms", ike_suite_str(&ch->suite, b,
					      sizeof(b)));
	if (detail) {
		snprintf(b, sizeof(b), "%08x", ch->spi_in);
		ctl_rec_str(c, "esp-spi-in", b);
		snprintf(b, sizeof(b), "%08x", ch->spi_out);
		ctl_rec_str(c, "esp-spi-out", b);
		ctl_rec_int(c, "esp-life-left", ike_left(ch->since, ch->life));
	}
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	ctx->ops->sa_get(ctx->ops_arg, sa->t, &ch->src, ch->spi_in, &in);
	ctx->ops->sa_get(ctx->ops_arg, sa->t, &ch->dst, ch->spi_out, &out);
	ctl_rec_uint(c, "esp-bytes-in", in.bytes);
	if (detail)
		ctl_rec_uint(c, "esp-packets-in", in.packets);
	ctl_rec_uint(c, "esp-bytes-out", out.bytes);
	if (detail)
		ctl_rec_uint(c, "esp-packets-out", out.packets);
}

/* Brief: where it runs and with what; detail adds the SAs' inner state. */
static void
ike_show_sa(
    struct ike_ctx *ctx, struct ctl_conn *c, struct ike_sa *sa, int detail)
{
	char b[96];

	if (detail) {
		ctl_rec_str(c, "ike-state", ike_sa_state_str(sa->state));
		ctl_rec_str(c, "role",
		    sa->initiator ? "initiator" : "responder");
	}
	ctl_rec_str(c, "local", ike_ss_fmt(&sa->local, b, sizeof(b)));
	if (detail)
		ctl_rec_uint(c, "local-port", ike_ss_port(&sa->local));
	ctl_rec_str(c, "remote", ike_ss_fmt(&sa->peer, b, sizeof(b)));
	if (detail)
		ctl_rec_uint(c, "remote-port", ike_ss_port(&sa->peer));
	ctl_rec_str(c, "nat", ike_nat_str(sa));
	if (detail) {
		ctl_rec_bool(c, "udp-encap", ike_natt_on(sa));
		ike_rec_spi(c, "ike-spi-i", sa->ispi);
		ike_rec_spi(c, "ike-spi-r", sa->rspi);
	}
	ctl_rec_str(c, "ike-algorithms", ike_suite_str(&sa->suite, b,
					      sizeof(b)));
	if (sa->state != IKE_ST_ESTABLISHED)
		return;
	if (detail) {
		ctl_rec_int(c, "ike-established",
		    (long long)((ev_now() - sa->established) / 1000));
		ctl_rec_int(c, "ike-life-left",
		    ike_left(sa->established, sa->t->cfg.ike_life));
	}
	if (sa->child.installed)
		ike_show_child(ctx, c, sa, detail);
}

static void
ike_show_tunnel(struct ike_ctx *ctx, struct ctl_conn *c, struct ike_tunnel *t,
    int detail)
{
	char b[64];

	ctl_rec_begin(c, "ikev2-sa");
	ctl_rec_str(c, "tunnel", t->cfg.name);
	ctl_rec_str(c, "state", ike_tstate_str(t->state));
	ctl_rec_str(c, "peer", t->cfg.fqdn ? t->cfg.fqdn :
					     ike_ss_fmt(&t->cfg.peer_static,
						 b, sizeof(b)));
	ctl_rec_str(c, "peer-address", t->have_peer ?
		ike_ss_fmt(&t->peer, b, sizeof(b)) : "-");
	if (detail) {
		snprintf(b, sizeof(b), "0x%x", t->if_id);
		ctl_rec_str(c, "if-id", b);
	}
	if (t->state == IKE_T_UP)
		ctl_rec_int(c, "up-for", (long long)((ev_now() - t->up_since) /
						1000));
	if (t->sa != NULL)
		ike_show_sa(ctx, c, t->sa, detail);
	if (t->last_error[0] != '\0')
		ctl_rec_str(c, "last-error", t->last_error);
	ctl_rec_end(c);
}

int
ike_show(struct ike_ctx *ctx, struct ctl_conn *c, const char *tunnel,
    int detail)
{
	struct ike_tunnel *t;

	if (tunnel != NULL && ike_tunnel_find(ctx, tunnel) == NULL)
		return ctl_fail(c, "no tunnel %s", tunnel);
	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (tunnel == NULL || strcmp(tunnel, t->cfg.name) == 0)
			ike_show_tunnel(ctx, c, t, detail);
	return 0;
}

/*
 * The first thing a person asks: is each tunnel up, and if not, why.  A
 * tunnel whose lender has no IPv4 address says so here: IKE may be up,
 * but nothing can leave the tunnel from an address of its own.
 */
void
ike_status(struct ike_ctx *ctx, struct ctl_conn *c)
{
	struct ike_tunnel *t;
	struct xfrm_ip ip;
	char b[96];

	for (t = ctx->tunnels; t != NULL; t = t->next) {
		ctl_rec_begin(c, "tunnel");
		ctl_rec_str(c, "tunnel", t->cfg.name);
		ctl_rec_str(c, "state", ike_tstate_str(t->state));
		ctl_rec_str(c, "address", ike_glue_tunnel_addr(t, &ip) == 0 ?
		    xfrm_ip_fmt(&ip, b, sizeof(b)) : "-");
		if (t->cfg.unnumbered[0] != '\0') {
			ctl_rec_str(c, "borrows-from", t->cfg.unnumbered);
			if (ip.family == 0) {
				snprintf(b, sizeof(b), "%s has no IPv4 "
				    "address to borrow", t->cfg.unnumbered);
				ctl_rec_str(c, "waiting", b);
			}
		}
		if (t->state != IKE_T_UP && t->last_error[0] != '\0')
			ctl_rec_str(c, "last-error", t->last_error);
		ctl_rec_end(c);
	}
}

/* A sample labelled with the tunnel (and a direction, if not NULL). */
static void
ike_metric(struct ctl_conn *c, const char *name, const struct ike_tunnel *t,
    const char *dir, uint64_t v)
{
	metric_begin(c, name);
	ctl_rec_str(c, "tunnel", t->cfg.name);
	if (dir != NULL)
		ctl_rec_str(c, "direction", dir);
	metric_uint(c, v);
}

/*
 * Per tunnel: up or not, and what its XFRM interface carried (the
 * kernel's counters of the interface: they outlive each SA's).
 */
void
ike_metrics(struct ike_ctx *ctx, struct ctl_conn *c)
{
	struct ike_tunnel *t;
	struct xfrm_link_stats st;

	if (ctx->tunnels == NULL)
		return;
	metric_family(c, "tsunagi_tunnel_up", "gauge",
	    "1 while the tunnel has a CHILD SA in the kernel.");
	for (t = ctx->tunnels; t != NULL; t = t->next)
		ike_metric(c, "tsunagi_tunnel_up", t, NULL, t->state == IKE_T_UP);
	metric_family(c, "tsunagi_tunnel_bytes", "counter",
	    "Bytes through the tunnel's interface (in: from the peer).");
	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (t->ifindex > 0 && xfrm_link_stats(t->ifindex, &st) == 0) {
			ike_metric(c, "tsunagi_tunnel_bytes", t, "in", st.rx_bytes);
			ike_metric(c, "tsunagi_tunnel_bytes", t, "out", st.tx_bytes);
		}
	metric_family(c, "tsunagi_tunnel_packets", "counter",
	    "Packets through the tunnel's interface (in: from the peer).");
	for (t = ctx->tunnels; t != NULL; t = t->next)
		if (t->ifindex > 0 && xfrm_link_stats(t->ifindex, &st) == 0) {
			ike_metric(
			    c, "tsunagi_tunnel_packets", t, "in", st.rx_packets);
			ike_metric(
			    c, "tsunagi_tunnel_packets", t, "out", st.tx_packets);
		}
}
