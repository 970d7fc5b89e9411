/*
 * hex.h: test vectors as they are printed in the RFCs: hex with spaces
 * and line breaks allowed.  unhex() aborts the test program on a typo, so
 * a vector can never be silently shorter than written.
 */
#ifndef TSUNAGI_TEST_IKE_HEX_H
#define TSUNAGI_TEST_IKE_HEX_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static inline size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			continue;
		if ((v = hexval((unsigned char)*s)) < 0 || n >= cap) {
			fprintf(stderr, "bad hex vector near \"%.10s\"\n", s);
			exit(2);
		}
		if (hi < 0)
			hi = v;
		else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "odd hex vector\n");
		exit(2);
	}
	return n;
}

#endif
