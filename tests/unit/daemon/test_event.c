/* test_event.c: timers, descriptors and signals of the one event loop. */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "daemon/event.h"
#include "tests/unit/tap.h"

static char order[32];
static int norder;

static void
mark(void *arg)
{
	order[norder++] = *(const char *)arg;
	if (norder == 4)
		ev_break();
}

static void
test_timers(void)
{
	struct ev_timer t[5];
	static const char names[] = "abcde";
	uint64_t t0;

	ev_init();
	for (int i = 0; i < 5; i++)
		ev_timer_set(&t[i], mark, (void *)&names[i]);
	ev_timer_add(&t[0], 30);
	ev_timer_add(&t[1], 10);
	ev_timer_add(&t[2], 20);
	ev_timer_add(&t[3], 20); /* same deadline as c: FIFO */
	ev_timer_add(&t[4], 5);
	ev_timer_del(&t[4]);
	ok(!ev_timer_pending(&t[4]), "deleted timer is not pending");
	ok(ev_timer_pending(&t[0]), "armed timer is pending");
	ev_timer_add(&t[0], 25); /* re-arm moves it */
	t0 = ev_now();
	ev_run();
	order[norder] = '\0';
	is_str(order, "bcda", "timers fire in deadline order, FIFO on ties");
	ok(ev_now() - t0 >= 25, "and not early");
	ev_fini();
}

static struct ev_io *victim;
static int victim_calls, killer_calls;

static void
killer(int fd, int events, void *arg)
{
	char c;

	(void)read(fd, &c, 1);
	killer_calls++;
	ev_io_del(victim); /* same batch: must not run, must not crash */
	victim = NULL;
	ev_break();
}

static void
victim_cb(int fd, int events, void *arg)
{
	char c;

	(void)read(fd, &c, 1);
	victim_calls++;
	if (victim)
		ev_io_del(victim);
	victim = NULL;
	ev_break();
}

static void
test_io_delete_in_batch(void)
{
	int p1[2], p2[2];
	struct ev_io *k;

	ev_init();
	(void)!pipe(p1);
	(void)!pipe(p2);
	k = ev_io_add(p1[0], EV_READ, killer, NULL);
	victim = ev_io_add(p2[0], EV_READ, victim_cb, NULL);
	ok(k && victim, "two descriptors registered");
	(void)!write(p1[1], "x", 1);
	(void)!write(p2[1], "y", 1);
	ev_run();
	is_int(killer_calls + victim_calls, 1,
	    "one callback ran, the other was deleted by it");
	ev_io_del(k);
	if (victim)
		ev_io_del(victim);
	ev_fini();
	close(p1[0]), close(p1[1]), close(p2[0]), close(p2[1]);
}

static int got_signal;

static void
on_usr1(int signo, void *arg)
{
	got_signal = signo;
	ev_break();
}

static void
guard(void *arg)
{
	ev_break();
}

static void
test_signal(void)
{
	struct ev_timer g;

	ev_init();
	is_int(ev_signal_add(SIGUSR1, on_usr1, NULL), 0, "signal handler set");
	ev_timer_set(&g, guard, NULL);
	ev_timer_add(&g, 5000);
	raise(SIGUSR1);
	ev_run();
	is_int(got_signal, SIGUSR1, "signal delivered through the loop");
	ev_timer_del(&g);
	ev_fini();
}

static uint64_t last_when;
static int fired, out_of_order;

static void
record_when(void *arg)
{
	struct ev_timer *t = arg;

	if (t->when < last_when)
		out_of_order++;
	last_when = t->when;
	if (++fired == 666)
		ev_break();
}

static void
test_many_timers(void)
{
	static struct ev_timer t[1000];
	int i, armed = 0;

	ev_init();
	for (i = 0; i < 1000; i++) {
		ev_timer_set(&t[i], record_when, &t[i]);
		ev_timer_add(&t[i], (uint64_t)((i * 7919) % 300));
	}
	for (i = 0; i < 1000; i += 3)
		ev_timer_del(&t[i]);
	for (i = 0; i < 1000; i++)
		armed += ev_timer_pending(&t[i]);
	is_int(armed, 666, "deletes leave the others armed");
	ev_run();
	is_int(fired, 666, "every remaining timer fired once");
	is_int(out_of_order, 0, "in deadline order through adds and deletes");
	ev_fini();
}

int
main(void)
{
	test_timers();
	test_io_delete_in_batch();
	test_signal();
	test_many_timers();
	return tap_done();
}
