/*
 * addrsel.h: which of an interface's addresses this site publishes.  Pure
 * functions over a list the updater keeps from netlink events, so every
 * rule has a unit test.
 */
#ifndef TSUNAGI_DDNS_ADDRSEL_H
#define TSUNAGI_DDNS_ADDRSEL_H

#include <stddef.h>
#include <stdint.h>

#define DDNS_FOREVER UINT64_MAX

/*
 * One address as the kernel reported it.  Lifetimes are turned into
 * absolute monotonic deadlines on arrival, because the kernel reports the
 * time left at the moment of the event and events arrive at different
 * times.
 */
struct ddns_addr {
	int af;        /* AF_INET or AF_INET6 */
	uint8_t a[16]; /* network order; IPv4 in the first four */
	uint8_t plen;
	uint8_t scope;  /* RT_SCOPE_* */
	uint32_t flags; /* IFA_F_* */
	int has_peer;   /* point-to-point (PPPoE /32 with a peer) */
	uint64_t valid_until, preferred_until; /* ms, or DDNS_FOREVER */
};

/* Lifetimes in seconds (0xffffffff = forever) seen at `now` (ms). */
void ddns_addr_set_lft(
    struct ddns_addr *a, uint32_t valid, uint32_t pref, uint64_t now);
/* 1 if the address may be published at `now`. */
int ddns_addr_usable(const struct ddns_addr *a, uint64_t now);
/*
 * The best usable address of family af, or NULL.  `current` (may be NULL)
 * is what is published now: among equals it wins, so the record does not
 * flap between two equally good addresses.
 */
const struct ddns_addr *ddns_addr_select(const struct ddns_addr *v, size_t n,
    int af, uint64_t now, const uint8_t *current);

#endif
