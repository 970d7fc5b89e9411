/*
 * evlog.h: the events a person watching the link wants to see as they
 * happen: tunnels up and down, rekeys, liveness failures, failover and
 * return, address changes, DDNS updates, watch-group and OSPF neighbour
 * changes.  Each goes to every "tsunagictl monitor" as one record and
 * counts in "show metrics" (tsunagi_events_total{event, object}).  The
 * module that saw it logs it as before; never pass a secret here.
 */
#ifndef TSUNAGI_EVLOG_H
#define TSUNAGI_EVLOG_H

#include <stddef.h>
#include <stdint.h>

/* Every event word, as "monitor" lists them (tsunagictl(8)). */
#define EVLOG_EVENTS                                                           \
	"tunnel-up tunnel-down ike-rekey child-rekey liveness-failure "        \
	"route-moved route-lost route-new link-up link-down address-added "    \
	"address-removed ddns-update ddns-error peer-address "                 \
	"peer-lookup-failed watch-down watch-up ospf-neighbor reload "         \
	"reload-failed"

#define EVLOG_EVENT_MAX  24 /* "tunnel-down" ... */
#define EVLOG_OBJECT_MAX 64 /* "Tunnel1.0", "jikka-lan 10" ... */

/* event: a fixed word; object: what it happened to; then the detail. */
void evlog(const char *event, const char *object, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct evlog_count {
	char event[EVLOG_EVENT_MAX];
	char object[EVLOG_OBJECT_MAX];
	uint64_t n;
};
/* How many (event, object) pairs were seen; *out: their counts. */
size_t evlog_counts(const struct evlog_count **out);
/* Forget them (tests). */
void evlog_reset(void);

#endif
