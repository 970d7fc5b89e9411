/*
 * task_info.c: INFORMATIONAL exchanges (RFC 7296 1.4): liveness checks
 * (an empty request, 2.4) when the peer has been quiet for the tunnel's
 * DPD interval, DELETE of the IKE SA and of CHILD SAs, and the timers
 * that start them.  A liveness check that exhausts its retransmissions
 * kills the SA in sa.c, which takes the tunnel down.
 */
#include <string.h>

#include "daemon/log.h"
#include "ike/sa.h"

static void ike_info_coll_takes_over(struct ike_sa *sa);

int
ike_dpd_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	(void)buf, (void)cap;
	/* Heard from the peer since the check was queued: not needed. */
	if (ev_now() - sa->last_in < (uint64_t)sa->t->cfg.dpd * 1000)
		return 2;
	(void)w; /* an empty request */
	return 0;
}

int
ike_dpd_process(struct ike_sa *sa, const struct ike_msg *m)
{
	(void)sa, (void)m;
	return 0;
}

int
ike_delete_ike_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	(void)buf, (void)cap;
	ike_sa_set_state(sa, IKE_ST_DELETING);
	ike_put_delete(w, IKE_PROTO_IKE, 0, NULL, 0);
	return 0;
}

int
ike_delete_ike_process(struct ike_sa *sa, const struct ike_msg *m)
{
	(void)m;
	ike_sa_kill(sa, "deleted", 0);
	return 0;
}

/* The pairs we decided to delete: the one a rekey replaced, and the
 * redundant one of a rekey collision that we made. */
static struct ike_child *
ike_doomed(struct ike_sa *sa, int i)
{
	struct ike_child *c = i == 0 ? &sa->old_child : &sa->coll_child;

	return c->installed && c->doomed ? c : NULL;
}

int
ike_delete_child_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	uint8_t spis[12];
	struct ike_child *c;
	uint16_t n = 0;
	int i;

	(void)buf, (void)cap;
	for (i = 0; i < 2; i++)
		if ((c = ike_doomed(sa, i)) != NULL)
			ike_set32(spis + 4 * n++, c->spi_in);
	/* A pair the peer made for our rekey, which we could not use. */
	if (sa->del_extra != 0)
		ike_set32(spis + 4 * n++, sa->del_extra);
	if (n == 0)
		return 2;
	ike_put_delete(w, IKE_PROTO_ESP, 4, spis, n);
	return 0;
}

int
ike_delete_child_process(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_child *c;
	int i;

	(void)m;
	for (i = 0; i < 2; i++)
		if ((c = ike_doomed(sa, i)) != NULL)
			ike_child_remove(sa, c);
	sa->del_extra = 0;
	return 0;
}

/*
 * Send a DELETE for the IKE SA once and forget the SA at once: for
 * shutdown, "clear ikev2 sa" and an SA a newer one replaced.  The peer
 * that misses it finds out by its own liveness check.
 */
void
ike_sa_delete_now(struct ike_sa *sa, const char *why)
{
	uint8_t buf[64], out[256];
	struct ike_wbuf w;
	long len;

	if (sa->state == IKE_ST_ESTABLISHED || sa->state == IKE_ST_DELETING) {
		ike_wbuf_chain(&w, buf, sizeof(buf));
		ike_put_delete(&w, IKE_PROTO_IKE, 0, NULL, 0);
		len = ike_sa_seal(sa, IKE_EXCH_INFORMATIONAL, 0,
		    sa->mid_out + (sa->active != -1), &w, out, sizeof(out));
		if (len > 0)
			ike_sa_send_plain(sa, out, (size_t)len);
	}
	ike_sa_kill(sa, why, 0);
}

/*
 * The peer deletes CHILD SAs (by their inbound SPI = our outbound).  The
 * answer names our halves of them, except of those we are deleting
 * ourselves at the same time (1.4.1).
 */
static void
ike_info_delete_child(struct ike_sa *sa, const struct ike_delete_pl *d,
    uint8_t *spis, uint16_t *n)
{
	struct ike_child *cs[3] = { &sa->old_child, &sa->child,
		&sa->coll_child };
	uint16_t i;
	size_t j;

	for (i = 0; i < d->nspi; i++) {
		uint32_t spi = ike_get32(d->spis + 4 * i);

		for (j = 0; j < 3; j++) {
			if (!cs[j]->installed || cs[j]->spi_out != spi)
				continue;
			/* The old pair goes: the new one carries from now on. */
			if (cs[j] == &sa->old_child)
				ike_child_out_now(sa, &sa->child);
			if (!cs[j]->doomed && *n < 4)
				ike_set32(spis + 4 * (*n)++, cs[j]->spi_in);
			if (cs[j] == &sa->child && sa->coll_child.installed)
				ike_info_coll_takes_over(sa);
			else
				ike_child_remove(sa, cs[j]);
		}
	}
}

/*
 * The peer deletes an IKE SA whose rekey we answered while ours was in
 * flight: it settled the collision its way (or never saw our request),
 * so the SA we made answering it carries on (2.8.2, 2.25.2).
 */
static void
ike_info_peer_rekey_won(struct ike_sa *sa)
{
	struct ike_sa *w = sa->rk_peer, *ours = sa->rk_ours;

	if (w == NULL || w->state != IKE_ST_ESTABLISHED)
		return;
	sa->rk_peer = sa->rk_ours = NULL;
	log_info("ike: %s: the peer's IKE rekey won", sa->t->cfg.name);
	ike_sa_move_children(w, sa);
	if (ours != NULL && ours->state != IKE_ST_DEAD)
		ike_sa_kill(ours, "the peer's rekey won", 0);
}

/*
 * The peer deletes the pair that both its rekey and ours replace: its
 * rekey finished first, its pair (kept aside) carries from now on, and
 * ours is settled against it when its answer comes (2.8.1).
 */
static void
ike_info_coll_takes_over(struct ike_sa *sa)
{
	struct ike_child orig = sa->child;

	sa->child = sa->coll_child;
	memset(&sa->coll_child, 0, sizeof(sa->coll_child));
	sa->child_from_peer = 1;
	ike_child_out_now(sa, &sa->child);
	ike_child_remove(sa, &orig);
	ike_sa_child_timer(sa);
}

int
ike_info_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	uint8_t spis[4 * 4];
	struct ike_delete_pl d;
	size_t from = 0;
	const struct ike_pl *pl;
	uint16_t n = 0;
	int ike = 0;

	while ((pl = ike_msg_find(req, IKE_PL_DELETE, &from)) != NULL) {
		from++;
		if (ike_pl_delete(pl, &d) == -1)
			continue;
		if (d.proto == IKE_PROTO_IKE)
			ike = 1;
		else if (d.proto == IKE_PROTO_ESP && d.spi_size == 4 &&
		    d.nspi <= 4)
			ike_info_delete_child(sa, &d, spis, &n);
	}
	if (ike) {
		ike_info_peer_rekey_won(sa);
		/* 1.4.1: the answer is empty; the SA ends with it. */
		ike_sa_kill(sa, "deleted by the peer", 0);
		return 0;
	}
	/* Another tunnel's path is dead at the peer's end. */
	ike_pathdown_respond(sa, req);
	if (n > 0)
		ike_put_delete(resp, IKE_PROTO_ESP, 4, spis, n);
	if (!sa->child.installed && sa->state == IKE_ST_ESTABLISHED) {
		/* Our only CHILD SA went away: start over, cleanly. */
		ike_sa_queue(sa, IKE_TASK_DELETE_IKE);
	}
	return 0;
}

/* Timers of an established SA ------------------------------------------- */

static void
ike_dpd_timer(void *arg)
{
	struct ike_sa *sa = arg;
	uint64_t quiet = ev_now() - sa->last_in;

	if (sa->state != IKE_ST_ESTABLISHED)
		return;
	if (quiet >= (uint64_t)sa->t->cfg.dpd * 1000 && sa->active == -1) {
		ike_sa_queue(sa, IKE_TASK_DPD);
		ike_sa_run(sa);
	}
	ev_timer_add(&sa->dpd, (uint64_t)sa->t->cfg.dpd * 1000);
}

/* A little before the lifetime, minus up to 10 % so two ends that
 * started together do not both rekey at the same moment (2.8.1). */
uint64_t
ike_rekey_delay_ms(uint32_t life_s)
{
	uint64_t ms = (uint64_t)life_s * 1000, jitter;
	uint32_t r;

	ike_random(&r, sizeof(r));
	jitter = ms / 10 ? r % (ms / 10) : 0;
	return ms - ms / 10 - jitter;
}

static void
ike_rekey_timer(void *arg)
{
	struct ike_sa *sa = arg;

	if (sa->state != IKE_ST_ESTABLISHED)
		return;
	ike_sa_queue(sa, IKE_TASK_REKEY_CHILD);
	ike_sa_run(sa);
}

/*
 * The expire timer: the half-open limit of a responder SA until it is
 * established, then the IKE SA's lifetime (both ends rekey it in place,
 * task_ikerekey.c), and for an SA a rekey replaced, how long it waits for
 * its DELETE.
 */
static void
ike_expire_timer(void *arg)
{
	struct ike_sa *sa = arg;

	switch (sa->state) {
	case IKE_ST_INIT_R:
		ike_sa_kill(sa, "IKE_AUTH never came", 1);
		break;
	case IKE_ST_ESTABLISHED:
		log_info("ike: %s: IKE SA lifetime: rekeying", sa->t->cfg.name);
		ike_sa_queue(sa, IKE_TASK_REKEY_IKE);
		ike_sa_run(sa);
		/* Still here in a minute: the rekey failed; again. */
		ev_timer_add(&sa->expire, 60000);
		break;
	case IKE_ST_REKEYED:
		ike_sa_kill(sa, "replaced by a rekey", 0);
		break;
	default:
		break;
	}
}

void
ike_sa_timers_init(struct ike_sa *sa)
{
	ev_timer_set(&sa->dpd, ike_dpd_timer, sa);
	ev_timer_set(&sa->rekey, ike_rekey_timer, sa);
	ev_timer_set(&sa->expire, ike_expire_timer, sa);
	ike_child_out_later(sa);
	ike_natt_init(sa);
}

void
ike_sa_timers_start(struct ike_sa *sa)
{
	if (sa->t->cfg.dpd > 0)
		ev_timer_add(&sa->dpd, (uint64_t)sa->t->cfg.dpd * 1000);
	if (sa->child.installed)
		ike_sa_child_timer(sa);
	/* Both ends rekey; the jitter makes collisions rare (2.8.2). */
	ev_timer_add(&sa->expire, ike_rekey_delay_ms(sa->t->cfg.ike_life));
}

/* The CHILD SA's rekey, counted from its installation (an IKE rekey
 * moves it to another IKE SA without resetting its kernel lifetime). */
void
ike_sa_child_timer(struct ike_sa *sa)
{
	uint64_t due = sa->child.since +
	    ike_rekey_delay_ms(sa->child.life ? sa->child.life :
						sa->t->cfg.child_life);
	uint64_t now = ev_now();

	ev_timer_add(&sa->rekey, due > now + 1000 ? due - now : 1000);
}
