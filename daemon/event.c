/*
 * event.c: epoll for descriptors, a binary min-heap for timers, signalfd for
 * signals.  An ev_io removed inside a callback is parked on a graveyard list
 * and freed after the current batch, so a later event of the same batch
 * never touches freed memory.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon/event.h"
#include "daemon/log.h"

struct ev_io {
	int fd;
	int events;
	ev_io_cb *cb;
	void *arg;
	struct ev_io *dead_next;
};

#define EV_MAXSIG 65

static struct {
	int epfd;
	int running;
	uint64_t now;
	uint64_t seq;
	struct ev_timer **heap;
	size_t nheap, cap;
	struct ev_io *graveyard;
	int sigfd;
	struct ev_io *sigio;
	sigset_t sigmask;
	ev_signal_cb *sigcb[EV_MAXSIG];
	void *sigarg[EV_MAXSIG];
} ev = { .epfd = -1, .sigfd = -1 };

uint64_t
ev_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
ev_now(void)
{
	return ev.now ? ev.now : ev_clock();
}

int
ev_init(void)
{
	ev.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (ev.epfd == -1) {
		log_warn("epoll_create1");
		return -1;
	}
	sigemptyset(&ev.sigmask);
	ev.now = ev_clock();
	return 0;
}

static void
ev_bury(void)
{
	while (ev.graveyard) {
		struct ev_io *io = ev.graveyard;

		ev.graveyard = io->dead_next;
		free(io);
	}
}

void
ev_fini(void)
{
	if (ev.sigio)
		ev_io_del(ev.sigio);
	ev.sigio = NULL;
	if (ev.sigfd != -1)
		close(ev.sigfd);
	ev.sigfd = -1;
	ev_bury();
	free(ev.heap);
	ev.heap = NULL;
	ev.nheap = ev.cap = 0;
	if (ev.epfd != -1)
		close(ev.epfd);
	ev.epfd = -1;
	ev.now = 0;
}

/* --- descriptors --------------------------------------------------------- */

static uint32_t
ev_mask(int events)
{
	return ((events & EV_READ) ? EPOLLIN : 0) |
	    ((events & EV_WRITE) ? EPOLLOUT : 0);
}

struct ev_io *
ev_io_add(int fd, int events, ev_io_cb *cb, void *arg)
{
	struct epoll_event ee = { .events = ev_mask(events) };
	struct ev_io *io = calloc(1, sizeof(*io));

	if (io == NULL) {
		log_warn("ev_io_add");
		return NULL;
	}
	*io = (struct ev_io){ .fd = fd, .events = events, .cb = cb, .arg = arg };
	ee.data.ptr = io;
	if (epoll_ctl(ev.epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		log_warn("epoll_ctl add fd %d", fd);
		free(io);
		return NULL;
	}
	return io;
}

int
ev_io_set(struct ev_io *io, int events)
{
	struct epoll_event ee = { .events = ev_mask(events), .data.ptr = io };

	if (io->events == events)
		return 0;
	if (epoll_ctl(ev.epfd, EPOLL_CTL_MOD, io->fd, &ee) == -1) {
		log_warn("epoll_ctl mod fd %d", io->fd);
		return -1;
	}
	io->events = events;
	return 0;
}

void
ev_io_del(struct ev_io *io)
{
	if (io == NULL)
		return;
	/* The fd may already be closed by the owner; EBADF is harmless. */
	epoll_ctl(ev.epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->fd = -1;
	io->cb = NULL;
	io->dead_next = ev.graveyard;
	ev.graveyard = io;
}

/* --- timers -------------------------------------------------------------- */

static int
ev_before(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
ev_heap_put(size_t i, struct ev_timer *t)
{
	ev.heap[i - 1] = t;
	t->slot = i;
}

static void
ev_sift_up(size_t i)
{
	struct ev_timer *t = ev.heap[i - 1];

	while (i > 1 && ev_before(t, ev.heap[i / 2 - 1])) {
		ev_heap_put(i, ev.heap[i / 2 - 1]);
		i /= 2;
	}
	ev_heap_put(i, t);
}

static void
ev_sift_down(size_t i)
{
	struct ev_timer *t = ev.heap[i - 1];

	for (;;) {
		size_t c = 2 * i;

		if (c > ev.nheap)
			break;
		if (c < ev.nheap && ev_before(ev.heap[c], ev.heap[c - 1]))
			c++;
		if (!ev_before(ev.heap[c - 1], t))
			break;
		ev_heap_put(i, ev.heap[c - 1]);
		i = c;
	}
	ev_heap_put(i, t);
}

void
ev_timer_set(struct ev_timer *t, ev_timer_cb *cb, void *arg)
{
	*t = (struct ev_timer){ .cb = cb, .arg = arg };
}

int
ev_timer_pending(const struct ev_timer *t)
{
	return t->slot != 0;
}

void
ev_timer_del(struct ev_timer *t)
{
	size_t i = t->slot;

	if (i == 0)
		return;
	t->slot = 0;
	if (i == ev.nheap--)
		return;
	ev_heap_put(i, ev.heap[ev.nheap]);
	ev_sift_up(i);
	ev_sift_down(i);
}

void
ev_timer_add(struct ev_timer *t, uint64_t msec)
{
	ev_timer_del(t);
	if (ev.nheap == ev.cap) {
		size_t ncap = ev.cap ? ev.cap * 2 : 64;
		struct ev_timer **nh = realloc(ev.heap, ncap * sizeof(*nh));

		/* A lost timer would silently break a protocol: stop. */
		if (nh == NULL)
			fatal("timer heap");
		ev.heap = nh;
		ev.cap = ncap;
	}
	t->when = ev_now() + msec;
	t->seq = ev.seq++;
	ev.heap[ev.nheap++] = t;
	ev_sift_up(ev.nheap);
}

static void
ev_run_timers(void)
{
	while (ev.nheap > 0 && ev.heap[0]->when <= ev.now && ev.running) {
		struct ev_timer *t = ev.heap[0];

		ev_timer_del(t);
		t->cb(t->arg);
	}
}

static int
ev_timeout(void)
{
	uint64_t d;

	if (ev.nheap == 0)
		return -1;
	if (ev.heap[0]->when <= ev.now)
		return 0;
	d = ev.heap[0]->when - ev.now;
	return d > 60000 ? 60000 : (int)d;
}

/* --- signals ------------------------------------------------------------- */

static void
ev_signal_read(int fd, int events, void *arg)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		int s = (int)si.ssi_signo;

		if (s > 0 && s < EV_MAXSIG && ev.sigcb[s])
			ev.sigcb[s](s, ev.sigarg[s]);
	}
}

int
ev_signal_add(int signo, ev_signal_cb *cb, void *arg)
{
	int fd;

	if (signo <= 0 || signo >= EV_MAXSIG)
		return -1;
	sigaddset(&ev.sigmask, signo);
	if (sigprocmask(SIG_BLOCK, &ev.sigmask, NULL) == -1) {
		log_warn("sigprocmask");
		return -1;
	}
	fd = signalfd(ev.sigfd, &ev.sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd == -1) {
		log_warn("signalfd");
		return -1;
	}
	if (ev.sigfd == -1) {
		ev.sigfd = fd;
		if ((ev.sigio = ev_io_add(fd, EV_READ, ev_signal_read, NULL)) ==
		    NULL)
			return -1;
	}
	ev.sigcb[signo] = cb;
	ev.sigarg[signo] = arg;
	return 0;
}

/* --- the loop ------------------------------------------------------------ */

void
ev_break(void)
{
	ev.running = 0;
}

int
ev_run(void)
{
	struct epoll_event evs[64];

	ev.running = 1;
	while (ev.running) {
		int n, i;

		ev.now = ev_clock();
		ev_run_timers();
		if (!ev.running)
			break;
		n = epoll_wait(ev.epfd, evs, 64, ev_timeout());
		if (n == -1 && errno != EINTR) {
			log_warn("epoll_wait");
			return -1;
		}
		ev.now = ev_clock();
		for (i = 0; i < n; i++) {
			struct ev_io *io = evs[i].data.ptr;
			int e = ((evs[i].events & (EPOLLIN | EPOLLHUP |
			    EPOLLERR)) ? EV_READ : 0) |
			    ((evs[i].events & (EPOLLOUT | EPOLLERR)) ?
			    EV_WRITE : 0);

			/* HUP/ERR reach a watcher whatever it asked for. */
			if (e & io->events)
				e &= io->events;
			if (io->cb)
				io->cb(io->fd, e, io->arg);
		}
		ev_bury();
	}
	return 0;
}
