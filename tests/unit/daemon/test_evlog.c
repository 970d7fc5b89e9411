/* test_evlog.c: the events' counts behind tsunagi_events_total. */
#include <stdio.h>
#include <string.h>

#include "daemon/evlog.h"
#include "tests/unit/tap.h"

int
main(void)
{
	const struct evlog_count *c;
	char obj[32];
	size_t n;
	int i;

	evlog("tunnel-down", "Tunnel1.0", "wan6 has no carrier");
	evlog("tunnel-down", "Tunnel1.0", "%s", "again");
	evlog("tunnel-up", "Tunnel1.0", "with %s", "2001:db8:2::2");
	n = evlog_counts(&c);
	is_int((int)n, 2, "one count per event and object");
	is_str(c[0].event, "tunnel-down", "the first pair");
	is_int((int)c[0].n, 2, "counted twice");
	is_int((int)c[1].n, 1, "the second once");
	/* A long object is cut, not overflowed. */
	evlog("watch-down",
	    "a-name-much-longer-than-the-sixty-four-bytes-an-object-"
	    "may-take-in-the-table",
	    "x");
	n = evlog_counts(&c);
	is_int((int)strlen(c[2].object), EVLOG_OBJECT_MAX - 1, "cut to fit");
	/* The table is bounded: the rest counts as "other". */
	for (i = 0; i < 1000; i++) {
		snprintf(obj, sizeof(obj), "o%d", i);
		evlog("route-new", obj, "via x");
	}
	n = evlog_counts(&c);
	is_int((int)n, 512, "at most 512 pairs");
	is_str(c[n - 1].event, "other", "the last slot is other");
	ok(c[n - 1].n >= 1000 - 509, "it counts the rest");
	evlog_reset();
	is_int((int)evlog_counts(&c), 0, "reset forgets");
	return tap_done();
}
