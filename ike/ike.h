/*
 * ike.h: what the rest of tsunagid sees of the IKEv2 module.  Everything
 * else in ike/ is private (msg.h, crypto.h, proposal.h, sk.h, wire.h,
 * sa.h, glue.h); docs/ike.md describes the inside.
 */
#ifndef TSUNAGI_IKE_H
#define TSUNAGI_IKE_H

#include "daemon/module.h"

/*
 * The module's hooks: start() opens UDP 500/4500 for each tunnel's source
 * address, registers "show ikev2 sa [TUNNEL]" and "clear ikev2 sa
 * [TUNNEL]" (both with --json) and initiates "connect-type auto" tunnels;
 * reload() adds, changes and removes tunnels; stop() deletes every SA.
 */
extern const struct tsunagi_module ike_module;

/* A tunnel's CHILD_SA came up (up = 1) or went away (up = 0). */
typedef void ike_tunnel_cb(const char *tunnel, int up, void *arg);

/*
 * Listeners (static routes, OSPF, watch-groups): routes follow the tunnel
 * state.  Up to IKE_LISTENERS; 0 or -1.  A listener that joins late asks
 * ike_tunnel_is_up() for the state so far.
 */
#define IKE_LISTENERS 8
int ike_tunnel_listen(ike_tunnel_cb *cb, void *arg);
void ike_tunnel_unlisten(ike_tunnel_cb *cb, void *arg);
/* 1 if the tunnel has a CHILD SA in the kernel now. */
int ike_tunnel_is_up(const char *tunnel);
/* Tear down and re-initiate a tunnel's SAs (NULL: all); -1 if unknown. */
int ike_clear_sa(const char *tunnel);
/* The same for a tunnel whose path a watch-group found dead: the peer,
 * which may not know yet, is told over another tunnel to it that works
 * (task_pathdown.c), so that it stops sending into this one at once. */
int ike_clear_sa_path_lost(const char *tunnel);

#endif
