/*
 * bytes.h: write expected netlink messages by hand, field by field in the
 * kernel's struct order (offsets and padding spelled out in the tests), so
 * the builders are checked against the kernel's layout, not against
 * themselves.  Numbers go in host order, as netlink wants; "be" ones in
 * network order.
 */
#ifndef TSUNAGI_TEST_BYTES_H
#define TSUNAGI_TEST_BYTES_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct exp {
	uint8_t b[4096];
	size_t n;
};

static inline void
e_mem(struct exp *e, const void *p, size_t n)
{
	memcpy(e->b + e->n, p, n);
	e->n += n;
}

static inline void
e_zero(struct exp *e, size_t n)
{
	memset(e->b + e->n, 0, n);
	e->n += n;
}

static inline void
e_u8(struct exp *e, uint8_t v)
{
	e_mem(e, &v, 1);
}

static inline void
e_u16(struct exp *e, uint16_t v)
{
	e_mem(e, &v, 2);
}

static inline void
e_u32(struct exp *e, uint32_t v)
{
	e_mem(e, &v, 4);
}

static inline void
e_u64(struct exp *e, uint64_t v)
{
	e_mem(e, &v, 8);
}

static inline void
e_be16(struct exp *e, uint16_t v)
{
	e_u8(e, (uint8_t)(v >> 8));
	e_u8(e, (uint8_t)v);
}

static inline void
e_be32(struct exp *e, uint32_t v)
{
	e_be16(e, (uint16_t)(v >> 16));
	e_be16(e, (uint16_t)v);
}

/* A string in a fixed field of `n` bytes, zero-filled. */
static inline void
e_str(struct exp *e, const char *s, size_t n)
{
	memset(e->b + e->n, 0, n);
	memcpy(e->b + e->n, s, strlen(s));
	e->n += n;
}

/* Four address bytes, then zeros up to 16 (an xfrm_address_t). */
static inline void
e_a4_16(struct exp *e, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = {a, b, c, d};

	e_mem(e, v, 4);
	e_zero(e, 12);
}

/* A netlink header (struct nlmsghdr, 16 bytes). */
static inline void
e_nlh(struct exp *e, uint32_t len, uint16_t type, uint16_t flags)
{
	e_u32(e, len);
	e_u16(e, type);
	e_u16(e, flags);
	e_u32(e, 0); /* seq: the I/O layer sets it */
	e_u32(e, 0); /* pid */
}

/* An attribute header (struct nlattr, 4 bytes); payload follows. */
static inline void
e_attr(struct exp *e, uint16_t len, uint16_t type)
{
	e_u16(e, len);
	e_u16(e, type);
}

static inline void
e_pad(struct exp *e)
{
	while (e->n % 4)
		e_u8(e, 0);
}

/* Fix up nlmsg_len of a hand-written message for parser tests. */
static inline void
e_fix_len(struct exp *e)
{
	uint32_t len = (uint32_t)e->n;

	memcpy(e->b, &len, 4);
}

/* On mismatch, show where: the first differing byte. */
static inline int
mem_same(const void *got, size_t glen, const struct exp *e)
{
	const uint8_t *g = got;
	size_t i;

	if (glen != e->n) {
		printf("#   length %zu, want %zu\n", glen, e->n);
		return 0;
	}
	for (i = 0; i < glen; i++)
		if (g[i] != e->b[i]) {
			printf("#   byte %zu: 0x%02x, want 0x%02x\n", i, g[i],
			    e->b[i]);
			return 0;
		}
	return 1;
}

#endif
