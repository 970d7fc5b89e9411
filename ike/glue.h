/*
 * glue.h: the real-world side of the engine's seam (glue.c) and the one
 * engine the daemon runs (module.c).  Private to ike/.
 */
#ifndef TSUNAGI_IKE_GLUE_H
#define TSUNAGI_IKE_GLUE_H

#include "ike/sa.h"

struct ctl_conn;

extern const struct ike_ops ike_glue_ops;
struct ike_ctx *ike_glue_ctx(void);
int ike_if_addr(const char *ifname, int family, struct sockaddr_storage *ss);
/* Follow address events (renumbering) from xfrm's monitor, or stop. */
int ike_glue_monitor(int on);

/*
 * The IPv4 address on the tunnel's interface now (its own, or the one it
 * borrows): 0, or -1 if it has none (its lender has none).
 */
int ike_glue_tunnel_addr(const struct ike_tunnel *t, struct xfrm_ip *out);

/* show.c: "show ikev2 sa [TUNNEL]" records; -1 if TUNNEL is unknown. */
int ike_show(struct ike_ctx *ctx, struct ctl_conn *c, const char *tunnel,
    int detail);
void ike_metrics(struct ike_ctx *ctx, struct ctl_conn *c);
/* show.c: one "tunnel" record per tunnel for "show status". */
void ike_status(struct ike_ctx *ctx, struct ctl_conn *c);

#endif
