/*
 * event.h: the one event loop of tsunagid (epoll + a timer heap + signalfd).
 * Every module hands its file descriptors and timers here and gets
 * callbacks; nothing in the daemon blocks.
 */
#ifndef TSUNAGI_EVENT_H
#define TSUNAGI_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_READ	 0x1
#define EV_WRITE 0x2

struct ev_io;
typedef void ev_io_cb(int fd, int events, void *arg);

/* Timers are embedded in their owner; no allocation, no failure. */
typedef void ev_timer_cb(void *arg);
struct ev_timer {
	uint64_t when; /* monotonic ms */
	uint64_t seq;  /* FIFO order among equal deadlines */
	size_t slot;   /* 1-based heap index, 0 = not armed */
	ev_timer_cb *cb;
	void *arg;
};

typedef void ev_signal_cb(int signo, void *arg);

int ev_init(void);
void ev_fini(void);
int ev_run(void);
void ev_break(void);
uint64_t ev_now(void); /* the loop's time, cached per iteration (ms) */
uint64_t ev_clock(void); /* the monotonic clock read now (ms) */

struct ev_io *ev_io_add(int fd, int events, ev_io_cb *cb, void *arg);
int ev_io_set(struct ev_io *io, int events);
void ev_io_del(struct ev_io *io);

void ev_timer_set(struct ev_timer *t, ev_timer_cb *cb, void *arg);
void ev_timer_add(struct ev_timer *t, uint64_t msec);
void ev_timer_del(struct ev_timer *t);
int ev_timer_pending(const struct ev_timer *t);

int ev_signal_add(int signo, ev_signal_cb *cb, void *arg);

#endif
