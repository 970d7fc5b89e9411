/*
 * watch.h: the watch-groups (ICMP echo probes with hysteresis) as seen
 * by the rest of tsunagid: the module, and the one event they publish,
 * an entry going down or coming back.  The owners of what an action
 * touches listen and apply it themselves (static routes shut their own
 * entries); the group only says what it saw.
 */
#ifndef TSUNAGI_OSPF_WATCH_H
#define TSUNAGI_OSPF_WATCH_H

#include "conf/conf.h"
#include "daemon/module.h"

/* "watch-group NAME SEQ" entries named by a "network-monitor NAME enable". */
extern const struct tsunagi_module ospf_watch_module;

/*
 * An entry went down (down = 1: its actions apply) or came back (0).  w
 * is the running configuration's entry.  A listener may read
 * ospf_watch_holds() from the call and must not listen or unlisten.
 */
typedef void ospf_watch_cb(const struct conf_watch *w, int down, void *arg);
int ospf_watch_listen(ospf_watch_cb *cb, void *arg);
void ospf_watch_unlisten(ospf_watch_cb *cb, void *arg);

/*
 * 1 if an entry that is down now holds an action of this type on ifname
 * (and, for a route, prefix; NULL otherwise).  A source that makes its
 * entries anew (a reload) asks here instead of waiting for an event.
 */
int ospf_watch_holds(
    int type, const struct conf_addr *prefix, const char *ifname);

#endif
