/*
 * sa.c: the IKE SA object and its message layer: SPI lookup, message IDs
 * with a window of one each way (RFC 7296 2.3), the request in flight with
 * exponential-backoff retransmission and give-up (2.4), and the cache of
 * the last response so a retransmitted request is answered, not redone.
 * Which exchange runs is decided by the task table (tasks.c); this file
 * only moves messages.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "daemon/evlog.h"
#include "daemon/log.h"
#include "ike/sa.h"
#include "ike/sk.h"

static void ike_sa_rtx(void *arg);
static void ike_sa_answer(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_wbuf *w);

static const char *const state_names[IKE_ST_N] = {
	[IKE_ST_INIT_I] = "init-sent",
	[IKE_ST_AUTH_I] = "auth-sent",
	[IKE_ST_INIT_R] = "half-open",
	[IKE_ST_ESTABLISHED] = "established",
	[IKE_ST_DELETING] = "deleting",
	[IKE_ST_LARVAL] = "rekey-new",
	[IKE_ST_REKEYED] = "rekeyed",
	[IKE_ST_DEAD] = "dead",
};

const char *
ike_sa_state_str(enum ike_sa_state s)
{
	return (unsigned)s < IKE_ST_N ? state_names[s] : "?";
}

struct ike_sa *
ike_sa_find(struct ike_ctx *ctx, uint64_t our_spi)
{
	struct ike_sa *sa;

	for (sa = ctx->sas; sa != NULL; sa = sa->next)
		if ((sa->initiator ? sa->ispi : sa->rspi) == our_spi &&
		    sa->state != IKE_ST_DEAD)
			return sa;
	return NULL;
}

/* Our SPI: random, nonzero (ike_random_spi) and unique among ours. */
static uint64_t
ike_sa_new_spi(struct ike_ctx *ctx)
{
	uint64_t spi;

	do
		spi = ike_random_spi();
	while (ike_sa_find(ctx, spi) != NULL);
	return spi;
}

struct ike_sa *
ike_sa_new(struct ike_tunnel *t, int initiator)
{
	struct ike_sa *sa;

	if ((sa = calloc(1, sizeof(*sa))) == NULL) {
		log_warn("ike: %s: SA", t->cfg.name);
		return NULL;
	}
	sa->ctx = t->ctx;
	sa->t = t;
	sa->initiator = initiator;
	sa->active = -1;
	sa->created = ev_now();
	if (initiator) {
		sa->ispi = ike_sa_new_spi(t->ctx);
		sa->state = IKE_ST_INIT_I;
		sa->nilen = IKE_NONCE_LEN;
		ike_random(sa->ni, sa->nilen);
		sa->ke_group = t->cfg.ke_group;
	} else {
		sa->rspi = ike_sa_new_spi(t->ctx);
		sa->state = IKE_ST_INIT_R;
		sa->nrlen = IKE_NONCE_LEN;
		ike_random(sa->nr, sa->nrlen);
	}
	/* Set once: ev_timer_set() on an armed timer would orphan it. */
	ev_timer_set(&sa->rtx, ike_sa_rtx, sa);
	ike_sa_timers_init(sa);
	sa->next = t->ctx->sas;
	t->ctx->sas = sa;
	return sa;
}

static void
ike_sa_timers_stop(struct ike_sa *sa)
{
	ev_timer_del(&sa->rtx);
	ev_timer_del(&sa->dpd);
	ev_timer_del(&sa->rekey);
	ev_timer_del(&sa->expire);
	ev_timer_del(&sa->keepalive);
	ev_timer_del(&sa->outbound);
}

void
ike_sa_free(struct ike_sa *sa)
{
	struct ike_sa **pp, *o;

	/* Nothing may point at it once it is gone. */
	for (o = sa->ctx->sas; o != NULL; o = o->next) {
		if (o->rk_ours == sa)
			o->rk_ours = NULL;
		if (o->rk_peer == sa)
			o->rk_peer = NULL;
		if (o->rk_parent == sa)
			o->rk_parent = NULL;
	}

	for (pp = &sa->ctx->sas; *pp != NULL; pp = &(*pp)->next)
		if (*pp == sa) {
			*pp = sa->next;
			break;
		}
	ike_sa_timers_stop(sa);
	ike_dh_free(sa->dh);
	ike_dh_free(sa->child_dh);
	ike_keys_free(&sa->keys);
	free(sa->init_i);
	free(sa->init_r);
	free(sa->req);
	free(sa->resp);
	ike_frag_rx_free(&sa->rx[0]);
	ike_frag_rx_free(&sa->rx[1]);
	free(sa);
}

void
ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	if (sa->state == st)
		return;
	log_debug("ike: %s: SA %016llx: %s -> %s", sa->t->cfg.name,
	    (unsigned long long)sa->ispi, ike_sa_state_str(sa->state),
	    ike_sa_state_str(st));
	sa->state = st;
}

/*
 * The end of an SA: its ESP SAs leave the kernel now, the object itself
 * later (from the loop, or ike_ctx_reap()), since callers up the stack
 * may still hold it.  failed: the peer is unreachable or refused us, which
 * makes the tunnel back off before trying again.
 */
void
ike_sa_kill(struct ike_sa *sa, const char *why, int failed)
{
	if (sa->state == IKE_ST_DEAD)
		return;
	if (why != NULL && sa->why != why)
		snprintf(sa->why, sizeof(sa->why), "%s", why);
	if (failed && sa->quiet)
		log_debug("ike: %s: SA %016llx failed: %s", sa->t->cfg.name,
		    (unsigned long long)sa->ispi, sa->why);
	else if (failed)
		log_warnx("ike: %s: SA %016llx failed: %s", sa->t->cfg.name,
		    (unsigned long long)sa->ispi, sa->why);
	else
		log_info("ike: %s: SA %016llx closed: %s", sa->t->cfg.name,
		    (unsigned long long)sa->ispi, why ? why : "-");
	/* The SA it was made to replace forgets it. */
	if (sa->rk_parent != NULL) {
		if (sa->rk_parent->rk_ours == sa)
			sa->rk_parent->rk_ours = NULL;
		if (sa->rk_parent->rk_peer == sa)
			sa->rk_parent->rk_peer = NULL;
	}
	/* An IKE rekey in progress dies with the SA it would replace. */
	if (sa->rk_ours != NULL && sa->rk_ours->state != IKE_ST_DEAD)
		ike_sa_kill(sa->rk_ours, "the SA it rekeyed is gone", 0);
	if (sa->rk_peer != NULL && sa->rk_peer->state != IKE_ST_DEAD)
		ike_sa_kill(sa->rk_peer, "the SA it rekeyed is gone", 0);
	sa->rk_ours = sa->rk_peer = NULL;
	ike_sa_timers_stop(sa);
	ike_sa_set_state(sa, IKE_ST_DEAD);
	/*
	 * The tunnel first, its kernel SAs after: when no other SA carries
	 * it, the routes leave it before the netlink round trips of its ESP
	 * SAs and policies, which count in a failover's milliseconds.
	 */
	ike_tunnel_sa_gone(sa->t, sa, failed);
	ike_child_remove(sa, &sa->next_child);
	ike_child_remove(sa, &sa->coll_child);
	ike_child_remove(sa, &sa->old_child);
	ike_child_remove(sa, &sa->child);
	ike_ctx_reap_later(sa->ctx);
}

void
ike_sa_set_keys(struct ike_sa *sa)
{
	struct ike_sk_dir *i2r = sa->initiator ? &sa->sk_out : &sa->sk_in;
	struct ike_sk_dir *r2i = sa->initiator ? &sa->sk_in : &sa->sk_out;

	memset(&sa->sk_in, 0, sizeof(sa->sk_in));
	memset(&sa->sk_out, 0, sizeof(sa->sk_out));
	i2r->encr = r2i->encr = sa->suite.encr;
	i2r->integ = r2i->integ = sa->suite.integ;
	i2r->ekey = sa->keys.ei;
	i2r->akey = sa->keys.ai;
	r2i->ekey = sa->keys.er;
	r2i->akey = sa->keys.ar;
}

int
ike_sa_store(uint8_t **dst, size_t *dstlen, const uint8_t *buf, size_t len)
{
	uint8_t *p;

	if ((p = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(p, buf, len);
	free(*dst);
	*dst = p;
	*dstlen = len;
	return 0;
}

int
ike_sa_send_plain(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	const struct ike_ops *ops = sa->ctx->ops;

	return ops->send(sa->ctx->ops_arg, sa->t, &sa->local, &sa->peer, buf,
	    len);
}

/* The header of one of our messages on this SA. */
void
ike_sa_hdr(const struct ike_sa *sa, uint8_t exchange, int response,
    uint32_t mid, struct ike_hdr *h)
{
	memset(h, 0, sizeof(*h));
	h->ispi = sa->ispi;
	h->rspi = sa->rspi;
	h->version = IKE_VERSION;
	h->exchange = exchange;
	h->flags = (sa->initiator ? IKE_FLAG_INITIATOR : 0) |
	    (response ? IKE_FLAG_RESPONSE : 0);
	h->msgid = mid;
}

long
ike_sa_seal(struct ike_sa *sa, uint8_t exchange, int response, uint32_t mid,
    const struct ike_wbuf *inner, uint8_t *out, size_t cap)
{
	struct ike_hdr h;

	if (inner->err)
		return -1;
	ike_sa_hdr(sa, exchange, response, mid, &h);
	return ike_sk_build(&sa->sk_out, &h, ike_wbuf_first(inner),
	    inner->buf, inner->len, 0, 0, out, cap);
}

/* Tasks in the order they go first when several wait. */
void
ike_sa_queue(struct ike_sa *sa, enum ike_task_type task)
{
	sa->queued |= 1u << task;
}

static uint32_t
ike_rtx_delay(unsigned tries)
{
	uint32_t ms = IKE_RTX_BASE_MS;

	while (tries-- > 0 && ms < IKE_RTX_MAX_MS)
		ms *= 2;
	return ms < IKE_RTX_MAX_MS ? ms : IKE_RTX_MAX_MS;
}

/* The next retransmission of our request; see IKE_RTX_UNSENT_MS. */
static void
ike_sa_rtx_arm(struct ike_sa *sa, int unsent)
{
	sa->unsent_last = unsent && sa->unsent < IKE_RTX_UNSENT_TRIES;
	if (sa->unsent_last) {
		sa->unsent++;
		ev_timer_add(&sa->rtx, IKE_RTX_UNSENT_MS);
	} else
		ev_timer_add(&sa->rtx, ike_rtx_delay(sa->tries));
}

/* Build the next queued request, send it, start its retransmissions. */
void
ike_sa_run(struct ike_sa *sa)
{
	uint8_t buf[IKE_MSG_MAX];
	const struct ike_task *task;
	struct ike_wbuf w;
	long len;
	int type, r;

	if (sa->active != -1 || sa->queued == 0 || sa->state == IKE_ST_DEAD)
		return;
	for (type = 0; !(sa->queued & (1u << type)); type++)
		;
	sa->queued &= ~(1u << type);
	task = &ike_tasks[type];
	ike_wbuf_chain(&w, buf, sizeof(buf));
	if ((r = task->build(sa, &w, buf, sizeof(buf))) == -1) {
		ike_sa_kill(sa, sa->why[0] ? sa->why : "cannot build request",
		    1);
		return;
	}
	if (r == 2) /* nothing to say after all */
		return ike_sa_run(sa);
	if (r == 1)
		r = (len = ike_wbuf_finish(&w)) < 0 ? -1 :
		    ike_frames_set(&sa->req, &sa->reqlen, buf, (size_t)len);
	else
		r = ike_frames_seal(sa, task->exchange, 0, sa->mid_out, &w,
		    &sa->req, &sa->reqlen);
	if (r == -1) {
		ike_sa_kill(sa, "request too large", 1);
		return;
	}
	sa->active = type;
	sa->tries = sa->unsent = 0;
	log_debug("ike: %s: send %s request mid %u (%zu bytes)",
	    sa->t->cfg.name, task->name, sa->mid_out, sa->reqlen);
	ike_sa_rtx_arm(sa, ike_frames_send(sa, sa->req, sa->reqlen) == -1);
}

/*
 * Our IKE_SA_INIT unanswered (see IKE_RTX_INIT_TRIES): the attempt ends
 * and the tunnel tries again soon.  The first of a series is logged as a
 * failure, then one line every 40 attempts (a minute or so).
 */
static void
ike_sa_init_unanswered(struct ike_sa *sa)
{
	struct ike_tunnel *t = sa->t;

	t->nsilent++;
	if (t->nsilent > 1) {
		sa->quiet = 1;
		if (t->nsilent % 40 == 0)
			log_info("ike: %s: still no answer to IKE_SA_INIT "
			    "(%u attempts)", t->cfg.name, t->nsilent);
	}
	ike_sa_kill(sa, "peer not responding to IKE_SA_INIT", 1);
}

static void
ike_sa_rtx(void *arg)
{
	struct ike_sa *sa = arg;
	/* Only a tunnel that is down tries short and often; an extra SA of
	 * a tunnel that is up (the peer moved) keeps the full series. */
	int init = sa->initiator && sa->active == IKE_TASK_INIT &&
	    sa->t->state != IKE_T_UP;

	if (sa->active == -1)
		return;
	if (sa->unsent_last) {
		/* It never left: sent again, not a try. */
	} else if (init && sa->tries + 1 > IKE_RTX_INIT_TRIES) {
		ike_sa_init_unanswered(sa);
		return;
	} else if (++sa->tries > IKE_RTX_TRIES) {
		if (sa->state == IKE_ST_ESTABLISHED)
			evlog("liveness-failure", sa->t->cfg.name,
			    "no answer to %s", ike_tasks[sa->active].name);
		ike_sa_kill(sa, "peer not responding (retransmissions "
				"exhausted)", 1);
		return;
	}
	log_debug("ike: %s: retransmit %s (%u)", sa->t->cfg.name,
	    ike_tasks[sa->active].name, sa->tries);
	ike_sa_rtx_arm(sa, ike_frames_send(sa, sa->req, sa->reqlen) == -1);
}

/* The answer to our request: hand it to the task, then the next one. */
static void
ike_sa_response(struct ike_sa *sa, const struct ike_msg *m)
{
	int type = sa->active, r;

	ev_timer_del(&sa->rtx);
	sa->active = -1;
	if (type == IKE_TASK_INIT)
		sa->t->nsilent = 0; /* it answers: a refusal backs off */
	r = ike_tasks[type].process(sa, m);
	if (r == -1) {
		ike_sa_kill(sa, sa->why[0] ? sa->why : "exchange failed", 1);
		return;
	}
	if (r == 1) /* the same exchange again (INVALID_KE, COOKIE) */
		ike_sa_queue(sa, (enum ike_task_type)type);
	else if (type != IKE_TASK_INIT)
		sa->mid_out++;
	else
		sa->mid_out = 1;
	if (sa->state != IKE_ST_DEAD)
		ike_sa_run(sa);
}

static const struct ike_respond *
ike_responder_find(uint8_t exchange, enum ike_sa_state st)
{
	size_t i;

	for (i = 0; i < ike_nresponders; i++)
		if (ike_responders[i].exchange == exchange &&
		    (ike_responders[i].states & IKE_ST(st)))
			return &ike_responders[i];
	return NULL;
}

/* A new request from the peer: the table picks the step for the state. */
static void
ike_sa_request(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t buf[IKE_MSG_MAX];
	const struct ike_respond *rs;
	struct ike_wbuf w;

	if ((rs = ike_responder_find(m->hdr.exchange, sa->state)) == NULL) {
		log_debug("ike: %s: exchange %u not expected in state %s",
		    sa->t->cfg.name, m->hdr.exchange,
		    ike_sa_state_str(sa->state));
		return;
	}
	ike_wbuf_chain(&w, buf, sizeof(buf));
	if (rs->fn(sa, m, &w) == -1)
		return; /* dropped without an answer: the peer retransmits */
	ike_sa_answer(sa, m, &w);
}

/* Our response to request m: sealed, kept for a resent request, sent. */
static void
ike_sa_answer(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_wbuf *w)
{
	if (ike_frames_seal(sa, m->hdr.exchange, 1, m->hdr.msgid, w,
		&sa->resp, &sa->resplen) == -1) {
		ike_sa_kill(sa, "response too large", 1);
		return;
	}
	sa->mid_in = m->hdr.msgid + 1;
	ike_frames_send(sa, sa->resp, sa->resplen);
	if (sa->state != IKE_ST_DEAD)
		ike_sa_run(sa);
}

/* An unprotected IKE_SA_INIT message for an existing SA. */
static void
ike_sa_recv_init(struct ike_sa *sa, const struct ike_msg *m)
{
	if (!(m->hdr.flags & IKE_FLAG_RESPONSE)) {
		/* The peer did not get our response: the same again. */
		if (!sa->initiator && sa->resp != NULL && sa->mid_in == 1)
			ike_frames_send(sa, sa->resp, sa->resplen);
		return;
	}
	if (!sa->initiator || sa->active != IKE_TASK_INIT ||
	    m->hdr.msgid != 0)
		return;
	ike_sa_response(sa, m);
}

/*
 * One Encrypted Fragment (RFC 7383): checked on its own, then kept if its
 * message is the one the window expects.  A resent first fragment of a
 * request already answered gets the answer again (2.6.1).  1 when the
 * message is whole (its inner chain in *inner), else 0 or -1.
 */
static int
ike_sa_defrag(struct ike_sa *sa, const struct ike_msg *m, uint8_t *pt,
    size_t cap, struct ike_msg *inner, enum ike_msg_err *pe)
{
	uint8_t part[IKE_MSG_MAX], first;
	int resp = (m->hdr.flags & IKE_FLAG_RESPONSE) != 0, r;
	struct ike_sk_pl sk;
	size_t n, len;

	if (!sa->frag ||
	    ike_sk_decrypt(&sa->sk_in, m, part, sizeof(part), &n, &sk) !=
		IKE_MSG_OK)
		return -1;
	if (!resp && m->hdr.msgid + 1 == sa->mid_in) {
		if (sk.fragnum == 1 && sa->resp != NULL)
			ike_frames_send(sa, sa->resp, sa->resplen);
		return 0;
	}
	if (resp ? sa->active == -1 || m->hdr.msgid != sa->mid_out :
		   m->hdr.msgid != sa->mid_in)
		return 0;
	r = ike_frag_store(sa, m, &sk, part, n, pt, cap, &len, &first);
	sodium_memzero(part, n);
	if (r != 1)
		return r;
	*pe = ike_msg_parse_chain(first, pt, len, inner);
	inner->hdr = m->hdr;
	return 1;
}

/*
 * An authenticated request whose inner chain has an unknown critical
 * payload is answered UNSUPPORTED_CRITICAL_PAYLOAD (RFC 7296 2.5) and
 * counts as the exchange; anything else that does not parse is dropped.
 */
static void
ike_sa_bad_inner(struct ike_sa *sa, const struct ike_msg *m,
    const struct ike_msg *inner, enum ike_msg_err e)
{
	uint8_t buf[64];
	struct ike_wbuf w;

	log_debug("ike: %s: message dropped: %s", sa->t->cfg.name,
	    ike_msg_err_str(e));
	if (e != IKE_MSG_ECRITICAL || (m->hdr.flags & IKE_FLAG_RESPONSE) ||
	    m->hdr.msgid != sa->mid_in)
		return;
	ike_wbuf_chain(&w, buf, sizeof(buf));
	ike_put_notify(&w, 0, NULL, 0, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD,
	    &inner->bad_critical, 1);
	ike_sa_answer(sa, m, &w);
}

/* A fresh message from the peer (not a replay): it is alive, and where
 * it is now (NAT) is where we answer. */
static void
ike_sa_heard(struct ike_sa *sa, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer)
{
	sa->last_in = ev_now();
	ike_natt_moved(sa, local, peer);
}

/*
 * Everything after IKE_SA_INIT is protected: the ICV is checked before
 * anything is believed, including the message ID (so a forged packet
 * cannot make us resend a response or move a window).
 */
void
ike_sa_recv(struct ike_sa *sa, const struct ike_msg *m,
    const struct sockaddr_storage *local, const struct sockaddr_storage *peer)
{
	uint8_t pt[IKE_MSG_MAX];
	struct ike_msg inner;
	enum ike_msg_err e;
	int resp = (m->hdr.flags & IKE_FLAG_RESPONSE) != 0;

	if (m->hdr.exchange == IKE_EXCH_IKE_SA_INIT)
		return ike_sa_recv_init(sa, m);
	if (sa->state == IKE_ST_INIT_I || sa->keys.mem.p == NULL)
		return;
	if (m->sk < 0) {
		log_debug("ike: %s: unprotected message dropped",
		    sa->t->cfg.name);
		return;
	}
	if (m->pl[m->sk].type == IKE_PL_SKF) {
		if (ike_sa_defrag(sa, m, pt, sizeof(pt), &inner, &e) != 1)
			return;
	} else {
		/* ECRITICAL can only come from the inner chain, which is
		 * parsed after the ICV checked out. */
		e = ike_sk_open_msg(&sa->sk_in, m, pt, sizeof(pt), &inner);
	}
	if (e != IKE_MSG_OK) {
		ike_sa_bad_inner(sa, m, &inner, e);
	} else if (resp) {
		if (sa->active != -1 && m->hdr.msgid == sa->mid_out &&
		    ike_tasks[sa->active].exchange == m->hdr.exchange) {
			ike_sa_heard(sa, local, peer);
			ike_sa_response(sa, &inner);
		}
	} else if (m->hdr.msgid == sa->mid_in) {
		ike_sa_heard(sa, local, peer);
		ike_sa_request(sa, &inner);
	} else if (m->hdr.msgid + 1 == sa->mid_in && sa->resp != NULL) {
		ike_frames_send(sa, sa->resp, sa->resplen);
	} else {
		log_debug("ike: %s: request mid %u outside the window (%u)",
		    sa->t->cfg.name, m->hdr.msgid, sa->mid_in);
	}
	/* It held the IKE_AUTH payloads: AUTH is a PSK guess's oracle. */
	sodium_memzero(pt, sizeof(pt));
}

/* The IKE SA and its first CHILD SA are up. */
void
ike_sa_established(struct ike_sa *sa)
{
	ike_sa_set_state(sa, IKE_ST_ESTABLISHED);
	ev_timer_del(&sa->expire);
	sa->established = ev_now();
	sa->last_in = sa->established;
	log_info("ike: %s: IKE SA %016llx_i %016llx_r established (%s)",
	    sa->t->cfg.name, (unsigned long long)sa->ispi,
	    (unsigned long long)sa->rspi,
	    sa->initiator ? "initiator" : "responder");
	ike_sa_timers_start(sa);
	ike_natt_start(sa);
	ike_tunnel_child_up(sa->t, sa);
}
