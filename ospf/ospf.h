/*
 * ospf.h: what the rest of tsunagid sees of the routing folder: its
 * modules.  Static routes are installed while their way out is usable
 * (a tunnel with its CHILD SA, an interface that is up), so a backup
 * route with a larger distance takes over when a tunnel goes down.  The
 * OSPFv2 speaker and the watch-groups join here.
 */
#ifndef TSUNAGI_OSPF_H
#define TSUNAGI_OSPF_H

#include "daemon/module.h"

/*
 * The route table every route source puts its routes in, and "show ip
 * route"; before the sources in the module table, so after them at stop.
 */
extern const struct tsunagi_module ospf_rib_module;
/* "ip route" / "ipv6 route". */
extern const struct tsunagi_module ospf_static_module;
/* "ip router ospf": the OSPFv2 speaker. */
extern const struct tsunagi_module ospf_speaker_module;

#endif
