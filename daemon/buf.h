/*
 * buf.h: a growable byte buffer with a hard cap, for control-socket input
 * and output.  A failed append leaves the buffer as it was.
 */
#ifndef TSUNAGI_BUF_H
#define TSUNAGI_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len, cap, max;
	int overflow; /* an append was refused (cap reached or no memory) */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, char c);
int buf_addstr(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_consume(struct buf *b, size_t n);
void buf_reset(struct buf *b);

#endif
