/*
 * addrsel.c: the publishing rules.  IPv4: the interface's own (local)
 * address, PPPoE's /32 included.  IPv6: a stable global address only;
 * never temporary (privacy addresses change daily and would flood the
 * zone), deprecated, tentative, ULA or link-local; forever beats finite,
 * then the one that lives longest.
 */
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "ddns/addrsel.h"

#define LFT_FOREVER 0xffffffffu

void
ddns_addr_set_lft(
    struct ddns_addr *a, uint32_t valid, uint32_t pref, uint64_t now)
{
	a->valid_until =
	    valid == LFT_FOREVER ? DDNS_FOREVER : now + (uint64_t)valid * 1000;
	a->preferred_until =
	    pref == LFT_FOREVER ? DDNS_FOREVER : now + (uint64_t)pref * 1000;
}

static int
v4_usable(const struct ddns_addr *a)
{
	const uint8_t *p = a->a;

	if (p[0] == 0 || p[0] == 127 || p[0] >= 224)
		return 0; /* this network, loopback, multicast, reserved */
	if (p[0] == 169 && p[1] == 254)
		return 0; /* link-local */
	return a->scope == RT_SCOPE_UNIVERSE;
}

static int
v6_usable(const struct ddns_addr *a)
{
	static const uint8_t mapped[12] = {
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const uint8_t zero[15];
	const uint8_t *p = a->a;

	if (a->scope != RT_SCOPE_UNIVERSE || p[0] == 0xff ||
	    (p[0] & 0xfe) == 0xfc || (p[0] == 0xfe && (p[1] & 0xc0) == 0x80))
		return 0; /* multicast, ULA fc00::/7, link-local fe80::/10 */
	if (memcmp(p, zero, 15) == 0 || memcmp(p, mapped, 12) == 0)
		return 0; /* ::, ::1, v4-mapped */
	if (a->flags & (IFA_F_TEMPORARY | IFA_F_DEPRECATED))
		return 0;
	return 1;
}

int
ddns_addr_usable(const struct ddns_addr *a, uint64_t now)
{
	if (a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return 0;
	if (a->valid_until <= now)
		return 0;
	if (a->af == AF_INET)
		return v4_usable(a);
	if (a->af == AF_INET6)
		return v6_usable(a) && a->preferred_until > now;
	return 0;
}

/* <0 if a is better, >0 if b is, 0 if the rules cannot tell them apart. */
static int
cmp_lifetime(const struct ddns_addr *a, const struct ddns_addr *b)
{
	if (a->valid_until != b->valid_until)
		return a->valid_until > b->valid_until ? -1 : 1;
	if (a->preferred_until != b->preferred_until)
		return a->preferred_until > b->preferred_until ? -1 : 1;
	return 0;
}

static int
better(const struct ddns_addr *a, const struct ddns_addr *b,
    const uint8_t *current)
{
	size_t alen = a->af == AF_INET ? 4 : 16;
	int c;

	if (a->af == AF_INET) {
		/* IFA_F_SECONDARY shares its bit with IFA_F_TEMPORARY. */
		c = (a->flags & IFA_F_SECONDARY) - (b->flags & IFA_F_SECONDARY);
		if (c != 0)
			return c < 0;
	} else if ((c = cmp_lifetime(a, b)) != 0)
		return c < 0;
	if (current != NULL && memcmp(a->a, current, alen) == 0)
		return 1;
	if (current != NULL && memcmp(b->a, current, alen) == 0)
		return 0;
	/* IPv4 keeps the kernel's order; IPv6 the lowest, for determinism. */
	return a->af == AF_INET6 && memcmp(a->a, b->a, alen) < 0;
}

const struct ddns_addr *
ddns_addr_select(const struct ddns_addr *v, size_t n, int af, uint64_t now,
    const uint8_t *current)
{
	const struct ddns_addr *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].af != af || !ddns_addr_usable(&v[i], now))
			continue;
		if (best == NULL || better(&v[i], best, current))
			best = &v[i];
	}
	return best;
}
