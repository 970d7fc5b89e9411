/*
 * test_sa.c: two IKE engines ("home" and "jikka") back to back through
 * the seam of sa.h: datagrams go into queues that the test delivers (or
 * drops), xfrm calls land in a fake kernel that records SAs, keys and
 * policies.  Timers are fired by hand, so retransmission, liveness and
 * rekeying run without waiting.  Covers the exchanges end to end, the
 * task and responder tables, and bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/log.h"
#include "ike/sk.h"

#include "conf/conf.h"
#include "ike/sa.h"
#include "tests/unit/tap.h"

#define MAXQ	 32
#define MAXK	 16

struct pkt {
	struct sockaddr_storage	 from, to;
	uint8_t			 buf[IKE_MSG_MAX];
	size_t			 len;
};

struct ksa {
	struct xfrm_ip	 dst;
	uint32_t	 spi;
	int		 full;		/* added, not only reserved */
	uint8_t		 key[64];
	size_t		 keylen;
	uint32_t	 if_id;
	uint16_t	 sport, dport;	/* UDP encapsulation */
};

struct side {
	const char	*name;
	struct conf	*conf;
	struct ike_ctx	 ctx;
	struct pkt	 q[MAXQ];
	size_t		 nq;
	int		 drop;		/* the path is cut */
	int		 unroutable;	/* sends fail: no route yet */
	int		 no_carrier;	/* the outgoing interface has none */
	uint32_t	 next_spi;
	struct ksa	 k[MAXK];
	int		 npol, ups, downs, sends;
	uint64_t	 in_packets;	/* what sa_get says came in */
};

static struct side home, jikka;

/* An address nobody has any more: what is sent there is lost. */
static struct sockaddr_storage gone;

/* A NAT in front of home (nat_home): what home sends leaves from
 * NAT_ADDR with its port mapped, what comes to NAT_ADDR goes to home. */
#define NAT_ADDR "2001:db8:99::1"
#define NAT_PORT_OFF 40000
static int nat_home;
static struct sockaddr_storage home_local;

/* The fake kernel ------------------------------------------------------------ */

static struct ksa *
ksa_find(struct side *s, const struct xfrm_ip *dst, uint32_t spi)
{
	int i;

	for (i = 0; i < MAXK; i++)
		if (s->k[i].spi == spi && xfrm_ip_eq(&s->k[i].dst, dst))
			return &s->k[i];
	return NULL;
}

static struct ksa *
ksa_new(struct side *s)
{
	int i;

	for (i = 0; i < MAXK; i++)
		if (s->k[i].spi == 0)
			return &s->k[i];
	return NULL;
}

static int
nksa(struct side *s)
{
	int i, n = 0;

	for (i = 0; i < MAXK; i++)
		n += s->k[i].spi != 0;
	return n;
}

static int
f_send(void *arg, struct ike_tunnel *t, const struct sockaddr_storage *local,
    const struct sockaddr_storage *peer, const uint8_t *buf, size_t len)
{
	struct side *s = arg;
	struct pkt *p;

	(void)t;
	if (s->unroutable)
		return -1;
	s->sends++;
	if (s->drop || s->nq == MAXQ)
		return 0;
	p = &s->q[s->nq++];
	p->from = *local;
	p->to = *peer;
	memcpy(p->buf, buf, len);
	p->len = len;
	return 0;
}

static int
f_spi(void *arg, struct ike_tunnel *t, const struct xfrm_ip *src,
    const struct xfrm_ip *dst, uint32_t *spi)
{
	struct side *s = arg;
	struct ksa *k = ksa_new(s);

	(void)t, (void)src;
	if (k == NULL)
		return -1;
	k->dst = *dst;
	k->spi = *spi = s->next_spi++;
	return 0;
}

static int
f_sa_add(void *arg, struct ike_tunnel *t, const struct xfrm_sa *sa,
    int update)
{
	struct side *s = arg;
	struct ksa *k = ksa_find(s, &sa->dst, sa->spi);

	if (update != (k != NULL) || (k == NULL && (k = ksa_new(s)) == NULL))
		return -1;
	k->dst = sa->dst;
	k->spi = sa->spi;
	k->full = 1;
	k->if_id = sa->if_id;
	k->sport = sa->encap_sport;
	k->dport = sa->encap_dport;
	k->keylen = sa->enc_key_len;
	memcpy(k->key, sa->enc_key, sa->enc_key_len);
	(void)t;
	return 0;
}

static int
f_sa_del(void *arg, struct ike_tunnel *t, const struct xfrm_ip *dst,
    uint32_t spi)
{
	struct ksa *k = ksa_find(arg, dst, spi);

	(void)t;
	if (k == NULL)
		return -1;
	memset(k, 0, sizeof(*k));
	return 0;
}

static int
f_sa_get(void *arg, struct ike_tunnel *t, const struct xfrm_ip *dst,
    uint32_t spi, struct xfrm_sa_status *st)
{
	(void)t, (void)dst, (void)spi;
	st->packets = ((struct side *)arg)->in_packets;
	return 0;
}

static int
f_pol_add(void *arg, struct ike_tunnel *t, const struct xfrm_policy *p)
{
	(void)t, (void)p;
	((struct side *)arg)->npol++;
	return 0;
}

static int
f_pol_del(void *arg, struct ike_tunnel *t, const struct xfrm_policy *p)
{
	(void)t, (void)p;
	((struct side *)arg)->npol--;
	return 0;
}

static int
f_tunnel_add(void *arg, struct ike_tunnel *t)
{
	(void)arg, (void)t;
	return 0;
}

static void
f_tunnel_del(void *arg, struct ike_tunnel *t)
{
	(void)arg, (void)t;
}

static int
f_local(void *arg, struct ike_tunnel *t, int family,
    struct sockaddr_storage *ss)
{
	(void)arg;
	if (t->cfg.src_addr.af != family)
		return -1;
	return ike_ss_from_conf(ss, family, t->cfg.src_addr.a, IKE_PORT);
}

static int
f_no_carrier(void *arg, const struct ike_tunnel *t)
{
	(void)t;
	return ((struct side *)arg)->no_carrier;
}

static const struct ike_ops fake_ops = {
	.send = f_send,
	.spi_alloc = f_spi,
	.sa_add = f_sa_add,
	.sa_del = f_sa_del,
	.sa_get = f_sa_get,
	.pol_add = f_pol_add,
	.pol_del = f_pol_del,
	.tunnel_add = f_tunnel_add,
	.tunnel_del = f_tunnel_del,
	.local_addr = f_local,
	.no_carrier = f_no_carrier,
};

static void
tunnel_cb(const char *tunnel, int up, void *arg)
{
	struct side *s = arg;

	(void)tunnel;
	if (up)
		s->ups++;
	else
		s->downs++;
}

/* Plumbing ------------------------------------------------------------------ */

static void
nat(struct pkt *p, int outbound)
{
	struct sockaddr_storage *a = outbound ? &p->from : &p->to;
	uint16_t port = ike_ss_port(a);

	if (outbound) {
		home_local = p->from;
		ike_ss_from_conf(a, AF_INET6, (const uint8_t *)"\x20\x01\x0d\xb8"
		    "\x00\x99\0\0\0\0\0\0\0\0\0\x01", port + NAT_PORT_OFF);
	} else {
		*a = home_local;
		ike_ss_set_port(a, port - NAT_PORT_OFF);
	}
}

/* Deliver everything queued, both ways, until quiet; returns datagrams. */
static int
pump(void)
{
	struct side *from, *to;
	struct pkt p;
	int n = 0, i;

	while (home.nq + jikka.nq > 0 && n < 200) {
		from = home.nq ? &home : &jikka;
		to = from == &home ? &jikka : &home;
		p = from->q[0];
		from->nq--;
		for (i = 0; i < (int)from->nq; i++)
			from->q[i] = from->q[i + 1];
		if (nat_home)
			nat(&p, from == &home);
		if (gone.ss_family != 0 && ike_ss_eq_addr(&p.to, &gone)) {
			n++;
			continue;
		}
		ike_ctx_recv(&to->ctx, &p.to, &p.from, p.buf, p.len);
		n++;
	}
	ike_ctx_reap(&home.ctx);
	ike_ctx_reap(&jikka.ctx);
	return n;
}

#define CONF_FMT \
    "ikev2 authentication psk id keyid home key char \"%s\"\n"          \
    "ikev2 authentication psk id keyid jikka key char "                \
    "\"correct horse battery staple\"\n"                                \
    "ikev2 default-profile\n"                                           \
    "  local-authentication psk id keyid %s\n"                          \
    "  dpd-interval 10\n"                                               \
    "%s"                                                                \
    "interface lan\n"                                                   \
    "  ip address %s/24\n"                                              \
    "interface Tunnel1.0\n"                                             \
    "  tunnel mode ipsec-ikev2\n"                                       \
    "  ip unnumbered lan\n"                                             \
    "  ikev2 connect-type %s\n"                                         \
    "  ikev2 source-address %s\n"                                       \
    "  ikev2 peer%s %s authentication psk id keyid %s\n"                \
    "%s%s"

#define TUNNEL2_FMT                                                    \
    "interface Tunnel2.0\n"                                             \
    "  tunnel mode ipsec-ikev2\n"                                       \
    "  ip unnumbered lan\n"                                             \
    "  ikev2 connect-type %s\n"                                         \
    "  ikev2 source-address %s\n"                                       \
    "  ikev2 peer%s %s authentication psk id keyid %s\n"

struct setup {
	const char	*home_connect, *jikka_connect;
	const char	*home_key;	/* home's copy of home's PSK */
	const char	*home_profile, *jikka_profile;
	int		 two_tunnels;
	const char	*jikka_peer;	/* jikka's view of home's address */
	const char	*home_tunnel;	/* extra lines on home's Tunnel1.0 */
	int		 jikka_cookies;	/* jikka asks for cookies always */
	int		 jikka_by_name;	/* jikka knows home by name only */
};

static struct conf *
side_conf(int is_home, const struct setup *su)
{
	char text[4096], t2[512] = "";
	struct conf_diags d;
	struct conf *c;
	const char *me = is_home ? "home" : "jikka";
	const char *peer = is_home ? "jikka" : "home";
	const char *src6 = is_home ? "2001:db8:1::2" : "2001:db8:2::2";
	const char *dst6 = is_home ? "2001:db8:2::2" :
	    (su->jikka_peer ? su->jikka_peer : "2001:db8:1::2");
	const char *conn = is_home ? su->home_connect : su->jikka_connect;
	int by_name = !is_home && su->jikka_by_name;

	if (by_name)
		dst6 = "home.example.net";
	if (su->two_tunnels)
		snprintf(t2, sizeof(t2), TUNNEL2_FMT, conn,
		    is_home ? "198.51.100.10" : "203.0.113.10",
		    by_name ? "-fqdn-ipv4" : "",
		    is_home ? "203.0.113.10" :
			      (by_name ? "home.example.net" : "198.51.100.10"),
		    peer);
	snprintf(text, sizeof(text), CONF_FMT,
	    is_home && su->home_key ? su->home_key :
				      "correct horse battery staple",
	    me,
	    is_home ? (su->home_profile ? su->home_profile : "") :
		      (su->jikka_profile ? su->jikka_profile : ""),
	    is_home ? "192.168.1.1" : "192.168.2.1", conn, src6,
	    by_name ? "-fqdn-ipv6" : "", dst6, peer,
	    is_home && su->home_tunnel ? su->home_tunnel : "", t2);
	conf_diags_init(&d);
	c = conf_parse_text(me, text, strlen(text), &d);
	if (c == NULL)
		conf_diags_print(&d, stdout);
	conf_diags_free(&d);
	return c;
}

static int
setup(const struct setup *su)
{
	struct side *s[2] = { &home, &jikka };
	int i;

	for (i = 0; i < 2; i++) {
		memset(s[i], 0, sizeof(*s[i]));
		s[i]->name = i ? "jikka" : "home";
		s[i]->next_spi = i ? 0xc2000001 : 0xc1000001;
		if ((s[i]->conf = side_conf(i == 0, su)) == NULL)
			return -1;
		ike_ctx_init(&s[i]->ctx, &fake_ops, s[i]);
		s[i]->ctx.cb = tunnel_cb;
		s[i]->ctx.cb_arg = s[i];
	}
	/* Threshold 0: as if a flood of half-open SAs were waiting. */
	jikka.ctx.cookie.threshold_set = su->jikka_cookies;
	/* The responder first, so it listens when the initiator starts. */
	if (ike_ctx_load(&jikka.ctx, jikka.conf) == -1 ||
	    ike_ctx_load(&home.ctx, home.conf) == -1)
		return -1;
	return 0;
}

static void
teardown(void)
{
	ike_ctx_fini(&home.ctx);
	ike_ctx_fini(&jikka.ctx);
	conf_free(home.conf);
	conf_free(jikka.conf);
}

static struct ike_tunnel *
tun(struct side *s, const char *name)
{
	return ike_tunnel_find(&s->ctx, name);
}

static int
up(struct side *s, const char *name)
{
	struct ike_tunnel *t = tun(s, name);

	return t && t->state == IKE_T_UP && t->sa &&
	    t->sa->state == IKE_ST_ESTABLISHED && t->sa->child.installed;
}

/* Each side's outbound ESP key is the other's inbound key, SPI for SPI. */
static int
keys_match(const char *name)
{
	struct ike_sa *a = tun(&home, name)->sa, *b = tun(&jikka, name)->sa;
	struct ksa *ao, *bi, *bo, *ai;

	if (a->child.spi_out != b->child.spi_in ||
	    b->child.spi_out != a->child.spi_in)
		return 0;
	ao = ksa_find(&home, &a->child.dst, a->child.spi_out);
	bi = ksa_find(&jikka, &b->child.src, b->child.spi_in);
	bo = ksa_find(&jikka, &b->child.dst, b->child.spi_out);
	ai = ksa_find(&home, &a->child.src, a->child.spi_in);
	return ao && bi && bo && ai && ao->full && bi->full &&
	    ao->keylen == bi->keylen && bo->keylen == ai->keylen &&
	    memcmp(ao->key, bi->key, ao->keylen) == 0 &&
	    memcmp(bo->key, ai->key, bo->keylen) == 0 &&
	    memcmp(ao->key, bo->key, ao->keylen) != 0;
}

static void
fire(struct ev_timer *t)
{
	ev_timer_del(t);
	t->cb(t->arg);
}

/* Tests ---------------------------------------------------------------------- */

static const struct setup basic = { "auto", "click", NULL, NULL, NULL, 0,
	NULL, NULL, 0, 0 };

static void
test_establish(void)
{
	struct ike_sa *h, *j;

	ok(setup(&basic) == 0, "two engines configured");
	is_int(pump(), 4, "IKE_SA_INIT and IKE_AUTH: four datagrams");
	ok(up(&home, "Tunnel1.0"), "home: Tunnel1.0 up (initiator)");
	ok(up(&jikka, "Tunnel1.0"), "jikka: Tunnel1.0 up (responder)");
	h = tun(&home, "Tunnel1.0")->sa;
	j = tun(&jikka, "Tunnel1.0")->sa;
	ok(h->ispi == j->ispi && h->rspi == j->rspi, "same IKE SPIs");
	ok(h->initiator && !j->initiator, "roles");
	ok(keys_match("Tunnel1.0"), "ESP keys agree, one per direction");
	is_int(nksa(&home), 2, "home: two ESP SAs in the kernel");
	is_int(nksa(&jikka), 2, "jikka: two ESP SAs in the kernel");
	is_int(home.npol, 6, "home: in/out/fwd for IPv4 and IPv6");
	is_int(jikka.npol, 6, "jikka: in/out/fwd for IPv4 and IPv6");
	ok(home.ups == 1 && jikka.ups == 1, "tunnel-up callback once each");
	ok(h->suite.encr->id == IKE_ENCR_AES_GCM_16 &&
		h->suite.encr->keybits == 256 && h->suite.dh->id == 19,
	    "default IKE proposal: AES-GCM-256, group 19");
	ok(home.k[0].if_id == tun(&home, "Tunnel1.0")->if_id &&
		home.k[0].if_id >= XFRM_IFID_MIN,
	    "SAs carry the tunnel's if_id");
}

static void
test_retransmit_cache(void)
{
	struct ike_sa *j = tun(&jikka, "Tunnel1.0")->sa;
	uint8_t req[IKE_MSG_MAX], resp[IKE_MSG_MAX];
	size_t reqlen, resplen;
	uint32_t mid = j->mid_in;
	struct sockaddr_storage hl, jl;

	/* A liveness check from home; jikka answers and caches. */
	tun(&home, "Tunnel1.0")->sa->last_in = 0;
	ike_sa_queue(tun(&home, "Tunnel1.0")->sa, IKE_TASK_DPD);
	ike_sa_run(tun(&home, "Tunnel1.0")->sa);
	is_int(home.nq, 1, "liveness request queued");
	memcpy(req, home.q[0].buf, reqlen = home.q[0].len);
	hl = home.q[0].from;
	jl = home.q[0].to;
	pump();
	ok(j->mid_in == mid + 1, "responder's window moved by one");
	/* The cache holds frames: a 2-byte length, then the datagram. */
	memcpy(resp, j->resp + 2, resplen = j->resplen - 2);
	ike_ctx_recv(&jikka.ctx, &jl, &hl, req, reqlen);
	ok(jikka.nq == 1 && jikka.q[0].len == resplen &&
		memcmp(jikka.q[0].buf, resp, resplen) == 0,
	    "duplicate request: the cached response, byte for byte");
	ok(j->mid_in == mid + 1, "duplicate request: window unchanged");
	jikka.nq = 0;
	/* Out of the window: a request two ahead is dropped. */
	req[IKE_HDR_LEN - 8 + 3] += 2;
	ike_ctx_recv(&jikka.ctx, &jl, &hl, req, reqlen);
	ok(jikka.nq == 0 && j->mid_in == mid + 1,
	    "message ID outside the window: dropped, no state change");
}

static void
test_rekey(void)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa;
	uint32_t old_in = h->child.spi_in, old_out = h->child.spi_out;

	struct ike_sa *j = tun(&jikka, "Tunnel1.0")->sa;
	struct pkt p;

	fire(&h->rekey);
	/* Only the request: jikka answers with the new inbound SA in, the
	 * new outbound one held back until home has the pair. */
	p = home.q[0];
	home.nq = 0;
	ike_ctx_recv(&jikka.ctx, &p.to, &p.from, p.buf, p.len);
	ok(j->child.out_pending && nksa(&jikka) == 3 &&
		ksa_find(&jikka, &j->child.dst, j->child.spi_out) == NULL,
	    "rekey responder: new inbound SA in, outbound held back");
	pump();
	ok(!j->child.out_pending &&
		ksa_find(&jikka, &j->child.dst, j->child.spi_out) != NULL,
	    "  and sending on it once home deleted the old pair");
	ok(h->child.installed && h->child.spi_in != old_in &&
		h->child.spi_out != old_out,
	    "CHILD SA rekeyed: new SPIs both ways");
	ok(keys_match("Tunnel1.0"), "rekeyed ESP keys agree");
	ok(!h->old_child.installed &&
		!tun(&jikka, "Tunnel1.0")->sa->old_child.installed,
	    "old CHILD SA deleted on both sides");
	ok(nksa(&home) == 2 && nksa(&jikka) == 2,
	    "two ESP SAs each after the rekey");
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		home.downs == 0 && jikka.downs == 0,
	    "tunnel never went down during the rekey");
	is_int(home.npol, 6, "policies untouched by the rekey");
	/* The responder rekeys too (its own timer). */
	fire(&tun(&jikka, "Tunnel1.0")->sa->rekey);
	pump();
	ok(keys_match("Tunnel1.0") && nksa(&home) == 2 && nksa(&jikka) == 2,
	    "responder-initiated rekey");
}

/*
 * The initiator never gets our answer (strongSwan drops a response
 * that crosses a request of ours with the same message ID, and asks
 * again 4 s later): the responder keeps sending on the old pair until a
 * packet comes in on the new one, however many polls that takes.
 */
static void
test_rekey_answer_lost(void)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa;
	struct ike_sa *j = tun(&jikka, "Tunnel1.0")->sa;
	struct pkt p;
	int i;

	fire(&h->rekey);
	p = home.q[0];
	home.nq = 0;
	ike_ctx_recv(&jikka.ctx, &p.to, &p.from, p.buf, p.len);
	jikka.nq = 0; /* the answer is lost */
	for (i = 0; i < 10; i++)
		fire(&j->outbound);
	ok(j->child.out_pending &&
		ksa_find(&jikka, &j->child.dst, j->child.spi_out) == NULL,
	    "answer lost: the responder still sends on the old pair");
	ok(ev_timer_pending(&j->outbound), "  and keeps looking");
	jikka.in_packets = 1;
	fire(&j->outbound);
	ok(!j->child.out_pending &&
		ksa_find(&jikka, &j->child.dst, j->child.spi_out) != NULL,
	    "  a packet on the new inbound SA: it sends on the new pair");
	jikka.in_packets = 0;
	fire(&h->rtx); /* home asks again, gets the answer, deletes */
	pump();
	ok(keys_match("Tunnel1.0") && nksa(&home) == 2 && nksa(&jikka) == 2,
	    "  the retransmitted request completes the rekey");
}

/* Live IKE SAs (not dead, not waiting for their DELETE) of a side. */
static int
nsas(struct side *s)
{
	struct ike_sa *sa;
	int n = 0;

	for (sa = s->ctx.sas; sa != NULL; sa = sa->next)
		n += sa->state == IKE_ST_ESTABLISHED;
	return n;
}

/* The peers agree on the tunnel's IKE SA and can still talk over it. */
static int
ike_sa_agree(const char *name)
{
	struct ike_sa *a = tun(&home, name)->sa, *b = tun(&jikka, name)->sa;
	uint32_t mid;

	if (a == NULL || b == NULL || a->ispi != b->ispi ||
	    a->rspi != b->rspi || a->initiator == b->initiator)
		return 0;
	a->last_in = 0;
	mid = b->mid_in;
	ike_sa_queue(a, IKE_TASK_DPD);
	ike_sa_run(a);
	pump();
	return b->mid_in == mid + 1 && a->active == -1;
}

static void
test_ike_rekey(void)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa, *n;
	uint64_t ispi = h->ispi, rspi = h->rspi;
	uint32_t esp_in = h->child.spi_in;

	fire(&h->expire);
	pump();
	n = tun(&home, "Tunnel1.0")->sa;
	ok(n != h && n->ispi != ispi && n->rspi != rspi,
	    "IKE SA rekeyed in place: new SPIs");
	ok(n->initiator && !tun(&jikka, "Tunnel1.0")->sa->initiator,
	    "the new IKE SA's initiator is the rekey's initiator");
	ok(ike_sa_agree("Tunnel1.0"), "both ends use the new IKE SA");
	ok(n->child.installed && n->child.spi_in == esp_in &&
		keys_match("Tunnel1.0"),
	    "the CHILD SA moved to the new IKE SA untouched");
	ok(nsas(&home) == 1 && nsas(&jikka) == 1,
	    "the old IKE SA deleted on both ends");
	ok(home.downs == 0 && jikka.downs == 0 && nksa(&home) == 2,
	    "the tunnel never went down");
	fire(&n->rekey);
	pump();
	ok(keys_match("Tunnel1.0") && nksa(&home) == 2 && nksa(&jikka) == 2,
	    "CHILD rekey over the rekeyed IKE SA");
	/* The responder rekeys the IKE SA too. */
	fire(&tun(&jikka, "Tunnel1.0")->sa->expire);
	pump();
	ok(ike_sa_agree("Tunnel1.0") && nsas(&home) == 1 &&
		nsas(&jikka) == 1 && keys_match("Tunnel1.0"),
	    "IKE rekey started by the other end");
}

/* Both ends start a rekey before either sees the other's request. */
static void
both_fire(struct ev_timer *a, struct ev_timer *b)
{
	home.drop = jikka.drop = 0;
	fire(a);
	fire(b);
	pump();
}

static void
test_rekey_collisions(void)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa;
	struct ike_sa *j = tun(&jikka, "Tunnel1.0")->sa;
	uint32_t in = h->child.spi_in;
	int k;

	both_fire(&h->rekey, &j->rekey);
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		h->child.spi_in != in && keys_match("Tunnel1.0"),
	    "CHILD rekey collision: one new pair both ends agree on");
	ok(nksa(&home) == 2 && nksa(&jikka) == 2,
	    "the redundant pair and the original deleted (2.8.1)");
	for (k = 0; k < 3; k++) {
		h = tun(&home, "Tunnel1.0")->sa;
		j = tun(&jikka, "Tunnel1.0")->sa;
		both_fire(&h->expire, &j->expire);
	}
	ok(nsas(&home) == 1 && nsas(&jikka) == 1 && ike_sa_agree("Tunnel1.0"),
	    "IKE rekey collisions: one new IKE SA both ends agree on (2.8.2)");
	ok(keys_match("Tunnel1.0") && nksa(&home) == 2 && nksa(&jikka) == 2 &&
		home.downs == 0 && jikka.downs == 0,
	    "the CHILD SA survived the collisions, tunnel never down");
}

/* Deliver the i-th datagram from's queue holds, and only that one. */
static void
deliver(struct side *from, size_t i)
{
	struct side *to = from == &home ? &jikka : &home;
	struct pkt p = from->q[i];

	memmove(&from->q[i], &from->q[i + 1],
	    (from->nq - i - 1) * sizeof(from->q[0]));
	from->nq--;
	ike_ctx_recv(&to->ctx, &p.to, &p.from, p.buf, p.len);
}

/*
 * Crossing rekeys in the nasty order: home's answer comes back before
 * home sees jikka's request, so home finishes and deletes the original
 * first; jikka gets that DELETE before its own answer (TEMPORARY_FAILURE
 * or CHILD_SA_NOT_FOUND).  Both must still end on one shared SA.
 */
static void
test_rekey_crossed_late(void)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa;
	struct ike_sa *j = tun(&jikka, "Tunnel1.0")->sa;

	/* CHILD SA: jikka.q = [REQ_J], home.q = [REQ_H]. */
	fire(&h->rekey);
	fire(&j->rekey);
	deliver(&home, 0);	/* REQ_H -> jikka, crossing its own: answered */
	deliver(&jikka, 1);	/* RESP_H -> home: done, DELETE of original */
	deliver(&home, 0);	/* DELETE -> jikka, before its answer */
	pump();			/* REQ_J, its refusal, the rest */
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0") && nksa(&home) == 2 &&
		nksa(&jikka) == 2,
	    "CHILD rekeys crossed, DELETE before the answer: one pair, agreed");
	/* IKE SA: the same order. */
	h = tun(&home, "Tunnel1.0")->sa;
	j = tun(&jikka, "Tunnel1.0")->sa;
	fire(&h->expire);
	fire(&j->expire);
	deliver(&home, 0);
	deliver(&jikka, 1);
	deliver(&home, 0);
	pump();
	ok(nsas(&home) == 1 && nsas(&jikka) == 1 &&
		ike_sa_agree("Tunnel1.0") && keys_match("Tunnel1.0") &&
		nksa(&home) == 2 && nksa(&jikka) == 2,
	    "IKE rekeys crossed, DELETE before the answer: one IKE SA, agreed");
	ok(home.downs == 0 && jikka.downs == 0, "the tunnel never went down");
}

static void
test_dpd_failure(void)
{
	struct ike_tunnel *t = tun(&home, "Tunnel1.0");
	struct ike_sa *h = t->sa;
	int i;

	home.drop = 1;
	h->last_in = 0;
	fire(&h->dpd);
	ok(h->active == IKE_TASK_DPD, "liveness check sent after quiet");
	for (i = 0; i < IKE_RTX_TRIES && h->state != IKE_ST_DEAD; i++)
		fire(&h->rtx);
	ok(h->state != IKE_ST_DEAD, "still alive after the retransmissions");
	fire(&h->rtx);
	ok(h->state == IKE_ST_DEAD, "dead when they are exhausted");
	ok(t->state == IKE_T_WAIT && t->sa == NULL, "home: tunnel down");
	is_int(home.downs, 1, "tunnel-down callback");
	is_int(nksa(&home), 0, "home: ESP SAs removed");
	is_int(home.npol, 0, "home: policies removed");
	ok(ev_timer_pending(&t->retry), "re-initiation scheduled");
	ike_ctx_reap(&home.ctx);
	/* Still cut: each attempt is one IKE_SA_INIT sent twice, then given
	 * up, and the next comes a second or two later, for about ten
	 * minutes; then the backoff doubles. */
	fire(&t->retry);
	h = t->sa;
	ok(h != NULL && h->active == IKE_TASK_INIT, "an IKE_SA_INIT sent");
	fire(&h->rtx);
	ok(h->state != IKE_ST_DEAD && h->tries == 1, "...sent again after 1 s");
	fire(&h->rtx);
	ok(h->state == IKE_ST_DEAD && t->nsilent == 1,
	    "...unanswered 2 s later: the attempt ends");
	ok(ev_timer_pending(&t->retry) && t->retry_ms == IKE_RETRY_FAST_MS,
	    "...and the next is due in a second or two");
	ok(!h->quiet, "the first unanswered attempt is logged as a failure");
	ike_ctx_reap(&home.ctx);
	for (i = 1; i < IKE_RETRY_FAST_TRIES; i++) {
		fire(&t->retry);
		h = t->sa;
		fire(&h->rtx);
		fire(&h->rtx);
		ike_ctx_reap(&home.ctx);
	}
	ok(t->nsilent == IKE_RETRY_FAST_TRIES &&
		t->retry_ms == IKE_RETRY_FAST_MS,
	    "IKE_RETRY_FAST_TRIES attempts at the fast pace");
	fire(&t->retry);
	h = t->sa;
	ok(h->quiet == 0 && h->state != IKE_ST_DEAD, "one more attempt");
	fire(&h->rtx);
	fire(&h->rtx);
	ok(h->quiet, "...whose failure is not logged as a warning again");
	ok(t->retry_ms == 2 * IKE_RETRY_FAST_MS, "...then the backoff doubles");
	ike_ctx_reap(&home.ctx);
	/* The path comes back; the retry brings the tunnel up again.  The
	 * responder still holds the old SA: the new one replaces it. */
	home.drop = 0;
	home.nq = 0;
	fire(&t->retry);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"),
	    "up again after the retry");
	ok(nksa(&jikka) == 2 && jikka.npol == 6,
	    "jikka: the stale SA replaced, kernel state for one");
	ok(keys_match("Tunnel1.0"), "keys agree after the restart");
	/* A tunnel that is up and starts another SA (as when the peer
	 * moved) retransmits that IKE_SA_INIT in full: its old SA serves
	 * meanwhile, and nothing would try again after a short series. */
	home.drop = 1;
	ike_tunnel_new_sa(t);
	for (h = home.ctx.sas; h != NULL; h = h->next)
		if (h != t->sa && h->state != IKE_ST_DEAD && h->initiator)
			break;
	ok(h != NULL && h->active == IKE_TASK_INIT, "up: an extra SA starts");
	for (i = 0; i < IKE_RTX_TRIES && h->state != IKE_ST_DEAD; i++)
		fire(&h->rtx);
	ok(h->state != IKE_ST_DEAD && t->nsilent == 0,
	    "...and is retransmitted the full series");
	fire(&h->rtx);
	ok(h->state == IKE_ST_DEAD && t->state == IKE_T_UP,
	    "...then dies alone; the tunnel stays up on its SA");
	ike_ctx_reap(&home.ctx);
	home.drop = 0;
	home.nq = 0;
}

static void
test_delete(void)
{
	struct ike_tunnel *t = tun(&home, "Tunnel1.0");

	ike_tunnel_clear(t, "the operator");
	pump();
	ok(!up(&jikka, "Tunnel1.0") && nksa(&jikka) == 0 && jikka.npol == 0,
	    "clear: the peer deleted its SAs on our DELETE");
	ok(nksa(&home) == 0 && home.npol == 0, "clear: ours are gone too");
	fire(&t->retry);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"),
	    "clear re-initiates an auto tunnel");
	teardown();
	ok(nksa(&home) == 0 && nksa(&jikka) == 0 && home.npol == 0 &&
		jikka.npol == 0,
	    "shutdown removes everything installed");
}

static void
test_invalid_ke(void)
{
	struct setup su = basic;

	su.jikka_profile = "  sa-proposal dh 2048-bit\n";
	ok(setup(&su) == 0, "responder accepts only MODP-2048");
	is_int(pump(), 6, "INVALID_KE_PAYLOAD, then the exchange again");
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		tun(&home, "Tunnel1.0")->sa->suite.dh->id == 14,
	    "up with group 14");
	ok(keys_match("Tunnel1.0"), "keys agree");
	teardown();
}

/* Every log line (debug included) into a file, to look for secrets. */
static char logbuf[65536];

static void
log_capture(int on)
{
	static int saved = -1;
	static FILE *f;
	size_t n;

	fflush(stderr);
	if (on) {
		f = tmpfile();
		saved = dup(2);
		dup2(fileno(f), 2);
		log_init("test", 1, 2);
		return;
	}
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(logbuf, 1, sizeof(logbuf) - 1, f);
	logbuf[n] = '\0';
	fclose(f);
}

static void
diag_log(void)
{
	if (getenv("TEST_SA_LOG"))
		fprintf(stdout, "%s", logbuf);
}

static int
log_has(const char *s)
{
	return strstr(logbuf, s) != NULL;
}

static void
test_bad_psk(void)
{
	struct setup su = basic;
	struct ike_tunnel *t;

	su.home_key = "not the right key at all";
	ok(setup(&su) == 0, "home's PSK differs");
	log_capture(1);
	pump();
	log_capture(0);
	diag_log();
	ok(!log_has("not the right key") && !log_has("correct horse") &&
		log_has("AUTHENTICATION_FAILED"),
	    "wrong PSK: logged as such, neither key in any log line");
	t = tun(&home, "Tunnel1.0");
	ok(!up(&home, "Tunnel1.0") && !up(&jikka, "Tunnel1.0"),
	    "wrong PSK: no tunnel");
	ok(strstr(t->last_error, "AUTHENTICATION_FAILED") != NULL,
	    "initiator was told AUTHENTICATION_FAILED");
	ok(nksa(&home) == 0 && nksa(&jikka) == 0,
	    "no ESP SA left (reserved SPIs released)");
	ok(home.npol == 0 && jikka.npol == 0 && home.ups == 0,
	    "no policy, no up callback");
	teardown();
}

static void
test_simultaneous(void)
{
	struct setup su = basic;

	su.jikka_connect = "auto";
	ok(setup(&su) == 0, "both ends auto");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"),
	    "simultaneous initiation: up");
	ok(tun(&home, "Tunnel1.0")->sa->ispi ==
		tun(&jikka, "Tunnel1.0")->sa->ispi,
	    "both ends kept the same IKE SA");
	ok(nksa(&home) == 2 && nksa(&jikka) == 2 && home.npol == 6,
	    "one CHILD SA each");
	ok(keys_match("Tunnel1.0"), "keys agree");
	teardown();
}

static void
test_two_tunnels(void)
{
	struct setup su = basic;

	su.two_tunnels = 1;
	ok(setup(&su) == 0, "two tunnels, one peer identity");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		up(&home, "Tunnel2.0") && up(&jikka, "Tunnel2.0"),
	    "both up at once (INITIAL_CONTACT on each)");
	ok(tun(&home, "Tunnel1.0")->if_id != tun(&home, "Tunnel2.0")->if_id,
	    "distinct if_ids");
	ok(nksa(&home) == 4 && home.npol == 12, "four ESP SAs, 12 policies");
	ike_tunnel_clear(tun(&home, "Tunnel2.0"), "the operator");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"),
	    "clearing Tunnel2.0 leaves Tunnel1.0 alone");
	fire(&tun(&home, "Tunnel2.0")->retry);
	pump();
	ok(up(&home, "Tunnel2.0") && up(&jikka, "Tunnel2.0") &&
		up(&jikka, "Tunnel1.0") && keys_match("Tunnel1.0") &&
		keys_match("Tunnel2.0"),
	    "Tunnel2.0 back (with INITIAL_CONTACT), Tunnel1.0 untouched");
	teardown();
}

static struct ksa *
ksa_out(struct side *s, const char *name)
{
	struct ike_sa *sa = tun(s, name)->sa;

	return ksa_find(s, &sa->child.dst, sa->child.spi_out);
}

static void
test_nat(void)
{
	struct setup su = basic;
	struct ike_sa *h, *j;
	struct ksa *ho, *jo;

	su.jikka_peer = NAT_ADDR;
	nat_home = 1;
	ok(setup(&su) == 0, "home behind a NAT");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "NAT: up, keys agree");
	h = tun(&home, "Tunnel1.0")->sa;
	j = tun(&jikka, "Tunnel1.0")->sa;
	ok(h->nat_local && !h->nat_peer && j->nat_peer && !j->nat_local,
	    "NAT detection: home knows it is behind one, jikka that home is");
	ok(ike_ss_port(&h->local) == IKE_PORT_NATT &&
		ike_ss_port(&h->peer) == IKE_PORT_NATT &&
		ike_ss_port(&j->local) == IKE_PORT_NATT &&
		ike_ss_port(&j->peer) == IKE_PORT_NATT + NAT_PORT_OFF,
	    "both moved to port 4500; jikka answers the mapped port");
	ho = ksa_out(&home, "Tunnel1.0");
	jo = ksa_out(&jikka, "Tunnel1.0");
	ok(ho && jo && ho->sport == 4500 && ho->dport == 4500 &&
		jo->sport == 4500 && jo->dport == 4500 + NAT_PORT_OFF,
	    "ESP SAs UDP-encapsulated with the ports IKE uses");
	ok(ev_timer_pending(&h->keepalive) && !ev_timer_pending(&j->keepalive),
	    "only the end behind the NAT sends keepalives");
	fire(&h->keepalive);
	ok(home.nq == 1 && home.q[0].len == 1 && home.q[0].buf[0] == 0xff,
	    "a keepalive is one 0xff byte");
	pump();
	ok(ike_sa_agree("Tunnel1.0"), "liveness check through the NAT");
	fire(&h->rekey);
	pump();
	ok(keys_match("Tunnel1.0") && ksa_out(&jikka, "Tunnel1.0")->dport ==
		4500 + NAT_PORT_OFF,
	    "CHILD rekey through the NAT, still encapsulated");
	fire(&h->expire);
	pump();
	h = tun(&home, "Tunnel1.0")->sa;
	ok(ike_sa_agree("Tunnel1.0") && h->nat_local &&
		ev_timer_pending(&h->keepalive),
	    "IKE rekey keeps the NAT state and the keepalives");
	teardown();
	nat_home = 0;

	su = basic;
	su.home_tunnel = "  ikev2 nat-traversal keepalive 20 force\n";
	ok(setup(&su) == 0, "no NAT, but home forces NAT-T");
	pump();
	h = tun(&home, "Tunnel1.0")->sa;
	j = tun(&jikka, "Tunnel1.0")->sa;
	ok(up(&home, "Tunnel1.0") && ike_natt_on(h) && ike_natt_on(j) &&
		ike_ss_port(&j->local) == IKE_PORT_NATT,
	    "force: both ends on 4500 with ESP in UDP");
	ok(ksa_out(&home, "Tunnel1.0")->sport == 4500 &&
		ksa_out(&jikka, "Tunnel1.0")->dport == 4500,
	    "force: encapsulated SAs");
	teardown();
}

/* Reverse what home has queued: fragments arrive last first. */
static void
reverse_home(void)
{
	struct pkt t;
	size_t i;

	for (i = 0; i < home.nq / 2; i++) {
		t = home.q[i];
		home.q[i] = home.q[home.nq - 1 - i];
		home.q[home.nq - 1 - i] = t;
	}
}

static void
test_fragments(void)
{
	struct ike_sa *h;
	struct pkt first;
	int n, big = 0;
	size_t i;

	ok(setup(&basic) == 0, "setup for fragmentation");
	home.ctx.frag_size = jikka.ctx.frag_size = 300;
	/* IKE_SA_INIT, then home's IKE_AUTH in pieces, delivered backwards
	 * and its first piece twice. */
	n = 0;
	while (home.nq == 1 && n++ < 4) {
		if (tun(&home, "Tunnel1.0")->sa->state == IKE_ST_AUTH_I)
			break;
		ike_ctx_recv(&jikka.ctx, &home.q[0].to, &home.q[0].from,
		    home.q[0].buf, home.q[0].len);
		home.nq = 0;
		ike_ctx_recv(&home.ctx, &jikka.q[0].to, &jikka.q[0].from,
		    jikka.q[0].buf, jikka.q[0].len);
		jikka.nq = 0;
	}
	h = tun(&home, "Tunnel1.0")->sa;
	ok(h->frag && jikka.ctx.sas != NULL && jikka.ctx.sas->frag,
	    "both ends announced IKEV2_FRAGMENTATION_SUPPORTED");
	ok(home.nq > 1, "IKE_AUTH goes out in several fragments");
	for (i = 0; i < home.nq; i++)
		big |= home.q[i].len > 300 - 40 - 8;
	ok(!big, "no fragment exceeds the 300-byte datagram");
	first = home.q[0];
	reverse_home();
	home.q[home.nq++] = first;
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "reassembled out of order, duplicate ignored: tunnel up");
	fire(&h->rekey);
	pump();
	ok(keys_match("Tunnel1.0") && nksa(&home) == 2,
	    "fragmented CREATE_CHILD_SA both ways");
	teardown();
}

static int
ike_halfopen_count(struct side *s)
{
	struct ike_sa *sa;
	int n = 0;

	for (sa = s->ctx.sas; sa != NULL; sa = sa->next)
		n += sa->state == IKE_ST_INIT_R;
	return n;
}

static void
test_cookies(void)
{
	struct setup su = basic;
	struct pkt p;
	int n;

	su.jikka_cookies = 1;
	ok(setup(&su) == 0, "setup for cookies");
	p = home.q[0];
	n = pump();
	is_int(n, 6, "COOKIE asked for, the request again with it, then on");
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "up through the cookie exchange");
	/* Another initiator's request (SPI) without a cookie: refused with
	 * a short answer, and nothing kept. */
	p.buf[0] ^= 0x5a;
	n = nsas(&jikka);
	ike_ctx_recv(&jikka.ctx, &p.to, &p.from, p.buf, p.len);
	ok(jikka.nq == 1 && nsas(&jikka) == n && jikka.q[0].len < 100 &&
		ike_halfopen_count(&jikka) == 0,
	    "no cookie: a short COOKIE answer, no new state");
	jikka.nq = 0;
	teardown();
}

/* A request from home on its live SA with this inner chain. */
static size_t
home_request(uint8_t exchange, const struct ike_wbuf *w, uint8_t *out)
{
	struct ike_sa *h = tun(&home, "Tunnel1.0")->sa;
	long len = ike_sa_seal(h, exchange, 0, h->mid_out, w, out, IKE_MSG_MAX);

	return len > 0 ? (size_t)len : 0;
}

static void
test_bad_input(void)
{
	uint8_t buf[IKE_MSG_MAX + 1024], in[64], req[IKE_MSG_MAX];
	struct ike_sa *h, *j;
	struct ike_wbuf w;
	struct ike_hdr hd;
	struct ike_msg m;
	struct pkt resp;
	size_t n, i;
	uint32_t mid;
	long len;

	ok(setup(&basic) == 0, "setup for bad input");
	pump();
	h = tun(&home, "Tunnel1.0")->sa;
	j = tun(&jikka, "Tunnel1.0")->sa;
	/* An IKE_SA_INIT request with a critical payload we do not know. */
	memset(&hd, 0, sizeof(hd));
	hd.ispi = 0x1122334455667788ull;
	hd.exchange = IKE_EXCH_IKE_SA_INIT;
	hd.flags = IKE_FLAG_INITIATOR;
	ike_wbuf_msg(&w, buf, sizeof(buf), &hd);
	ike_put_begin(&w, 200, 1);
	ike_put_u32(&w, 0);
	ike_put_end(&w);
	len = ike_wbuf_finish(&w);
	ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, buf, (size_t)len);
	ok(jikka.nq == 1 && ike_msg_parse(jikka.q[0].buf, jikka.q[0].len, &m) ==
		    IKE_MSG_OK &&
		ike_msg_find_notify(&m, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD),
	    "IKE_SA_INIT with an unknown critical payload: told so");
	ok(nsas(&jikka) == 1 && ike_halfopen_count(&jikka) == 0,
	    "  and no state kept");
	jikka.nq = 0;
	/* The same inside a protected request: answered, window moved. */
	mid = j->mid_in;
	ike_wbuf_chain(&w, in, sizeof(in));
	ike_put_begin(&w, 201, 1);
	ike_put_end(&w);
	n = home_request(IKE_EXCH_INFORMATIONAL, &w, req);
	ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, req, n);
	ok(jikka.nq == 1 && j->mid_in == mid + 1,
	    "protected request with an unknown critical payload: answered");
	resp = jikka.q[0];
	jikka.nq = 0;
	h->mid_out++;
	/* Replays: the old response again, an old request again. */
	ike_ctx_recv(&home.ctx, &resp.to, &resp.from, resp.buf, resp.len);
	ok(home.nq == 0 && h->active == -1 && up(&home, "Tunnel1.0"),
	    "a replayed response is ignored");
	h->mid_out -= 3;
	n = home_request(IKE_EXCH_INFORMATIONAL, &w, req);
	h->mid_out += 3;
	ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, req, n);
	ok(jikka.nq == 0 && j->mid_in == mid + 1,
	    "a request older than the window: dropped, no state change");
	/* A valid request cut short at every length, and one too long. */
	ike_wbuf_chain(&w, in, sizeof(in));
	n = home_request(IKE_EXCH_INFORMATIONAL, &w, req);
	for (i = 0; i < n; i++)
		ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, req, i);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, req, n);
	ike_set32(buf + 24, (uint32_t)sizeof(buf));
	ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, buf, sizeof(buf));
	ok(jikka.nq == 0 && j->mid_in == mid + 1 && up(&jikka, "Tunnel1.0"),
	    "truncated at every byte, and oversized: dropped, no change");
	ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, req, n);
	ok(jikka.nq == 1 && j->mid_in == mid + 2,
	    "the intact request still answered after all that");
	jikka.nq = 0;
	teardown();
}

/* A forged IKE_SA_INIT from the peer's address, with a nonce that beats
 * ours, must not keep an auto tunnel from connecting. */
static void
test_forged_init(void)
{
	struct ike_tunnel *t;
	struct ike_sa *sa, *half = NULL;
	const struct ike_pl *pl;
	struct ike_msg m;
	struct pkt f;

	ok(setup(&basic) == 0, "setup for a forged IKE_SA_INIT");
	t = tun(&home, "Tunnel1.0");
	f = home.q[0]; /* home's own request, dressed up as jikka's */
	f.buf[0] ^= 0x77;
	if (ike_msg_parse(f.buf, f.len, &m) == IKE_MSG_OK &&
	    (pl = ike_msg_find(&m, IKE_PL_NONCE, NULL)) != NULL)
		memset(f.buf + (pl->body - f.buf), 0xff, pl->len);
	home.nq = 0;
	ike_ctx_recv(&home.ctx, &f.from, &f.to, f.buf, f.len);
	for (sa = home.ctx.sas; sa != NULL; sa = sa->next)
		if (sa->state == IKE_ST_INIT_R)
			half = sa;
	ok(half != NULL && t->sa != half,
	    "the forged request is answered, but its SA is not the tunnel's");
	fire(&t->retry);
	ok(home.nq <= 1 && ev_timer_pending(&t->retry),
	    "initiation waits a moment for the peer's exchange");
	half->created -= 10000;
	home.nq = jikka.nq = 0;
	fire(&t->retry);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "then initiates anyway: up with the real peer");
	teardown();
}

/* home's address goes and comes back without a route to jikka yet: its
 * new attempt, whose IKE_SA_INIT could not leave. */
static struct ike_sa *
home_unroutable(struct ike_tunnel *t)
{
	home.nq = 0;
	ike_tunnel_local_gone(t);
	ike_ctx_reap(&home.ctx);
	home.unroutable = 1;
	ike_tunnel_address_up(t);
	return t->sa;
}

/*
 * No route to the peer yet (pppd adds its address a moment before its
 * default route): a request that cannot leave is sent again every 250 ms
 * and is no try the peer could have answered, for a while.
 */
static void
test_unsent(void)
{
	struct ike_tunnel *t;
	struct ike_sa *h;
	int i, quick = 1;

	ok(setup(&basic) == 0, "setup for a request that cannot leave");
	t = tun(&home, "Tunnel1.0");
	h = home_unroutable(t);
	ok(h != NULL && ev_timer_pending(&h->rtx) &&
		h->rtx.when - ev_now() <= IKE_RTX_UNSENT_MS,
	    "an IKE_SA_INIT that cannot leave: sent again in 250 ms");
	for (i = 0; i < 3; i++) {
		fire(&h->rtx);
		quick &= h->rtx.when - ev_now() <= IKE_RTX_UNSENT_MS;
	}
	ok(quick && h->tries == 0 && h->state == IKE_ST_INIT_I,
	    "...and again, none counted as a try");
	home.unroutable = 0;
	fire(&h->rtx);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"),
	    "the route is there: up at the next one");
	h = home_unroutable(t);
	for (i = 0; i < IKE_RTX_UNSENT_TRIES; i++)
		fire(&h->rtx);
	ok(h->tries == 0 && h->rtx.when - ev_now() > IKE_RTX_UNSENT_MS,
	    "after 8 of them, the usual pace");
	fire(&h->rtx);
	fire(&h->rtx);
	ok(h->state == IKE_ST_DEAD && t->nsilent == 1,
	    "...and the attempt ends as an unanswered one");
	teardown();
}

/* Renumbering: the local address goes, comes back; the peer moves. */
static void
test_addresses(void)
{
	struct ike_tunnel *t;
	struct sockaddr_storage moved;
	int downs;

	ok(setup(&basic) == 0, "setup for address changes");
	pump();
	t = tun(&home, "Tunnel1.0");
	downs = home.downs;
	ike_tunnel_local_gone(t);
	ike_ctx_reap(&home.ctx);
	ok(!up(&home, "Tunnel1.0") && home.downs == downs + 1 &&
		nksa(&home) == 0 && t->local.ss_family == 0,
	    "local address gone: SAs ended at once, tunnel down");
	ike_tunnel_address_up(t);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0") && nsas(&jikka) == 1,
	    "an address back: initiates at once, jikka's stale SA replaced");
	ike_ss_from_conf(&moved, AF_INET6,
	    (const uint8_t *)"\x20\x01\x0d\xb8\x00\x02\0\0\0\0\0\0\0\0\0\x99",
	    IKE_PORT);
	ike_tunnel_set_peer(t, &moved);
	pump();
	ok(up(&home, "Tunnel1.0") && ike_ss_eq_addr(&t->sa->peer, &moved) &&
		nsas(&home) == 1 && nsas(&jikka) == 1 && keys_match("Tunnel1.0"),
	    "the peer's name moved: a new SA there, the old one gone");
	teardown();
}

/*
 * home's uplink loses its carrier: the SAs end at once, nothing is tried
 * while it has none, and its return brings a new attempt at once.
 */
static void
test_carrier(void)
{
	struct setup su = basic;
	struct ike_tunnel *t;
	int downs;

	su.home_tunnel = "  ikev2 outgoing-interface wan6\n";
	ok(setup(&su) == 0, "setup for a carrier lost");
	pump();
	t = tun(&home, "Tunnel1.0");
	downs = home.downs;
	home.no_carrier = 1;
	ike_tunnel_carrier(t, 0);
	ike_ctx_reap(&home.ctx);
	ok(!up(&home, "Tunnel1.0") && home.downs == downs + 1 &&
		nksa(&home) == 0 && t->sa == NULL,
	    "carrier lost: the SAs end at once, the tunnel is down");
	home.nq = 0;
	fire(&t->retry);
	ok(home.nq == 0 && t->sa == NULL && ev_timer_pending(&t->retry) &&
		strcmp(t->last_error, "wan6 has no carrier") == 0,
	    "no attempt while it has none: \"wan6 has no carrier\"");
	home.no_carrier = 0;
	ike_tunnel_carrier(t, 1);
	ok(home.nq == 1 && t->sa != NULL,
	    "carrier back: an IKE_SA_INIT at once, not at the end of a backoff");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0") && nsas(&jikka) == 1,
	    "up again, jikka's stale SA replaced");
	teardown();
}

/* The data of a path-down notice naming sa (task_pathdown.c). */
static void
pd_data(uint8_t *d, uint8_t version, uint8_t reason, const struct ike_sa *sa)
{
	memset(d, 0, 20);
	d[0] = version;
	d[1] = reason;
	ike_set64(d + 4, sa->ispi);
	ike_set64(d + 12, sa->rspi);
}

/* A path-down notice from home over its Tunnel2.0 SA, as it is or as a
 * peer might make it; jikka's answer is left in its queue. */
static void
home_says_path_down(const uint8_t *d, size_t len)
{
	struct ike_sa *h = tun(&home, "Tunnel2.0")->sa;
	struct ike_sa *j = tun(&jikka, "Tunnel2.0")->sa;
	uint8_t in[128], req[IKE_MSG_MAX];
	struct ike_wbuf w;
	long n;

	ike_wbuf_chain(&w, in, sizeof(in));
	ike_put_notify(&w, 0, NULL, 0, IKE_N_TSUNAGI_PATH_DOWN, d, len);
	n = ike_sa_seal(h, IKE_EXCH_INFORMATIONAL, 0, h->mid_out, &w, req,
	    sizeof(req));
	h->mid_out++;
	if (n > 0)
		ike_ctx_recv(&jikka.ctx, &j->local, &j->peer, req, (size_t)n);
}

/*
 * A path dead at home's end reaches jikka at once over the tunnel that
 * still works: a carrier lost, then a watch-group's clear-sa whose DELETE
 * the dead path eats.  And what jikka does not act on.
 */
static void
test_path_down(void)
{
	struct setup su = basic;
	struct ike_tunnel *h1, *j1;
	struct ike_sa *j1sa, *h2sa;
	uint8_t d[24] = { 0 };
	uint32_t mid;
	int downs, n;

	su.two_tunnels = 1;
	su.home_tunnel = "  ikev2 outgoing-interface wan6\n";
	ok(setup(&su) == 0, "setup for a path lost");
	pump();
	h1 = tun(&home, "Tunnel1.0");
	j1 = tun(&jikka, "Tunnel1.0");
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		up(&home, "Tunnel2.0") && up(&jikka, "Tunnel2.0"),
	    "both tunnels up");
	downs = jikka.downs;
	log_capture(1);
	home.no_carrier = 1;
	ike_tunnel_carrier(h1, 0);
	n = pump();
	log_capture(0);
	diag_log();
	ok(!up(&jikka, "Tunnel1.0") && jikka.downs == downs + 1 &&
		nksa(&jikka) == 2 && up(&jikka, "Tunnel2.0") &&
		up(&home, "Tunnel2.0") && keys_match("Tunnel2.0"),
	    "home's wan6 lost its carrier: jikka ends Tunnel1.0's SA at "
	    "once, Tunnel2.0 untouched");
	ok(n == 2, "one request over Tunnel2.0 and its answer");
	ok(log_has("Tunnel1.0: telling the peer over Tunnel2.0 that this "
		   "path is dead") &&
		log_has("Tunnel1.0: the peer says this path is dead at its "
			"end (its uplink lost its carrier), over Tunnel2.0") &&
		strcmp(j1->last_error, "the peer lost this path (carrier)") ==
		    0,
	    "both ends say so; show ikev2 sa says why");
	home.no_carrier = 0;
	ike_tunnel_carrier(h1, 1);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "carrier back: Tunnel1.0 up again");

	/* Silent loss: home's watch-group clears the SA, its DELETE lost. */
	gone = j1->local;
	downs = jikka.downs;
	log_capture(1);
	ike_tunnel_path_lost(h1, IKE_PD_WATCH);
	ike_tunnel_clear(h1, "its watch-group");
	pump();
	log_capture(0);
	diag_log();
	memset(&gone, 0, sizeof(gone));
	ok(!up(&jikka, "Tunnel1.0") && jikka.downs == downs + 1 &&
		up(&jikka, "Tunnel2.0") &&
		log_has("Tunnel1.0: the peer says this path is dead at its "
			"end (its watch-group found it dead), over Tunnel2.0"),
	    "a watch-group's clear-sa: its DELETE lost on the dead path, "
	    "the notice over Tunnel2.0 ends jikka's SA");
	fire(&h1->retry);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0"),
	    "path repaired: Tunnel1.0 up again");

	/* What jikka does not act on; each request is still answered. */
	j1sa = j1->sa;
	h2sa = tun(&home, "Tunnel2.0")->sa;
	mid = tun(&jikka, "Tunnel2.0")->sa->mid_in;
	downs = jikka.downs;
	log_capture(1);
	pd_data(d, 1, IKE_PD_CARRIER, h2sa);
	home_says_path_down(d, 20);
	pd_data(d, 1, IKE_PD_CARRIER, h2sa);
	ike_set64(d + 4, 0x0123456789abcdefull);
	home_says_path_down(d, 20);
	pd_data(d, 1, IKE_PD_CARRIER, j1sa);
	home_says_path_down(d, 19);
	home_says_path_down(d, 24);
	pd_data(d, 2, IKE_PD_CARRIER, j1sa);
	home_says_path_down(d, 20);
	j1->cfg.pid.data[0] ^= 0x20;
	pd_data(d, 1, IKE_PD_CARRIER, j1sa);
	home_says_path_down(d, 20);
	j1->cfg.pid.data[0] ^= 0x20;
	log_capture(0);
	diag_log();
	ok(jikka.downs == downs && j1->sa == j1sa && up(&jikka, "Tunnel1.0") &&
		up(&jikka, "Tunnel2.0") &&
		tun(&jikka, "Tunnel2.0")->sa->mid_in == mid + 6 &&
		jikka.nq == 6,
	    "not acted on, each answered: the SA it came over, unknown "
	    "SPIs, a wrong length, another version, another identity");
	ok(log_has("Tunnel2.0: the peer says the path of the SA it speaks "
		   "over is dead: ignored") &&
		log_has("Tunnel1.0: a path-down notice over Tunnel2.0, whose "
			"peer is another identity: ignored"),
	    "the suspicious ones are logged");
	jikka.nq = 0;
	teardown();
}

/* An IPv6 address of home's, 2001:db8:1::<last>. */
static void
home6(struct sockaddr_storage *ss, uint8_t last)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };

	a[15] = last;
	ike_ss_from_conf(ss, AF_INET6, a, IKE_PORT);
}

/* The ISP gives home's Tunnel1.0 uplink 2001:db8:1::<last>. */
static void
home_renumbered(uint8_t last)
{
	struct ike_tunnel *t = tun(&home, "Tunnel1.0");

	t->cfg.src_addr.a[15] = last;
	ike_tunnel_local_gone(t);
	ike_ctx_reap(&home.ctx);
	ike_tunnel_address_up(t);
}

/*
 * Renumbering without waiting for DNS: jikka knows home by name only,
 * and its resolver lags (or has nothing yet); home's requests from an
 * address the name does not give are answered, and the identity and
 * key home proves bind them to the right tunnel.
 */
static void
test_roaming(void)
{
	struct setup su = basic;
	struct ike_tunnel *j1, *j2;
	struct sockaddr_storage a2, a3, a99;
	uint8_t v4[4] = { 198, 51, 100, 10 };
	int downs, sends;

	su.jikka_by_name = 1;
	su.two_tunnels = 1;
	ok(setup(&su) == 0, "jikka names home's tunnels by name");
	j1 = tun(&jikka, "Tunnel1.0");
	j2 = tun(&jikka, "Tunnel2.0");
	home6(&a2, 2);
	home6(&a3, 3);
	home6(&a99, 0x99);
	ike_tunnel_set_peer(j1, &a99); /* a stale answer */
	log_capture(1);
	pump();
	log_capture(0);
	diag_log();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		up(&home, "Tunnel2.0") && up(&jikka, "Tunnel2.0") &&
		keys_match("Tunnel1.0") && keys_match("Tunnel2.0"),
	    "both tunnels up though jikka's name for home is stale or empty");
	ok(ike_ss_eq_addr(&j1->peer, &a2) &&
		ike_ss_eq_addr(&j1->roamed_from, &a99) &&
		j2->peer.ss_family == AF_INET &&
		memcmp(&((struct sockaddr_in *)&j2->peer)->sin_addr, v4, 4) ==
		    0,
	    "each follows home where it authenticated, by address family");
	ok(log_has("authenticated from 2001:db8:1::2, not from "
		   "2001:db8:1::99 where home.example.net pointed") &&
		log_has("authenticated from 198.51.100.10 before "
			"home.example.net resolved"),
	    "and says so");

	/* The ISP renumbers home; jikka's name still gives the old one. */
	gone = a2;
	home_renumbered(3);
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0") && ike_ss_eq_addr(&j1->peer, &a3) &&
		ike_ss_eq_addr(&j1->sa->peer, &a3) && nsas(&jikka) == 2,
	    "home renumbered: up again at once, jikka's stale SA replaced");
	ike_tunnel_set_peer(j1, &a2);
	ok(ike_ss_eq_addr(&j1->peer, &a3),
	    "a resolver still giving the address home left is not heeded");
	ike_tunnel_set_peer(j1, &a3);
	ok(j1->roamed_from.ss_family == 0,
	    "once the name gives the new one, the name decides again");

	/* From yet another address: another identity, then a wrong key. */
	downs = jikka.downs;
	ike_id_from_conf(&tun(&home, "Tunnel1.0")->cfg.lid, CONF_ID_KEYID,
	    "mallory");
	gone = a3;
	log_capture(1);
	home_renumbered(4);
	pump();
	log_capture(0);
	diag_log();
	ok(!up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		jikka.downs == downs && ike_ss_eq_addr(&j1->peer, &a3),
	    "an identity that is no peer's: refused, jikka's tunnel untouched");
	ok(log_has("its identity is no peer's known by name") &&
		log_has("AUTHENTICATION_FAILED"),
	    "said as such");
	ike_id_from_conf(&tun(&home, "Tunnel1.0")->cfg.lid, CONF_ID_KEYID,
	    "home");
	ike_secret_free(&tun(&home, "Tunnel1.0")->cfg.lpsk);
	ike_secret_set(&tun(&home, "Tunnel1.0")->cfg.lpsk,
	    (const unsigned char *)"guess", 5);
	home_renumbered(5);
	pump();
	ok(!up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		jikka.downs == downs && ike_ss_eq_addr(&j1->peer, &a3) &&
		nsas(&jikka) == 2,
	    "home's identity without its key: refused, nothing moved");
	memset(&gone, 0, sizeof(gone));
	teardown();

	/* jikka's name catches up while home's exchange from its new
	 * address is under way: jikka does not cross it with its own. */
	su = basic;
	su.jikka_by_name = 1;
	su.jikka_connect = "auto";
	ok(setup(&su) == 0, "jikka auto, home known by name only");
	pump();
	j1 = tun(&jikka, "Tunnel1.0");
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0"), "up");
	gone = a2;
	home_renumbered(3);
	jikka.nq = 0;
	sends = jikka.sends;
	{
		struct pkt p = home.q[0];

		memmove(home.q, home.q + 1, --home.nq * sizeof(home.q[0]));
		ike_ctx_recv(&jikka.ctx, &p.to, &p.from, p.buf, p.len);
	}
	ike_tunnel_set_peer(j1, &a3);
	ok(jikka.nq == 1 && jikka.sends == sends + 1,
	    "its name moves while home's IKE_SA_INIT is answered: no SA of "
	    "jikka's own crosses it");
	pump();
	ok(up(&home, "Tunnel1.0") && up(&jikka, "Tunnel1.0") &&
		keys_match("Tunnel1.0") && nsas(&jikka) == 1 &&
		nsas(&home) == 1 && ike_ss_eq_addr(&j1->sa->peer, &a3),
	    "home's exchange completes: one SA each, at the new address");
	memset(&gone, 0, sizeof(gone));
	teardown();

	/* A peer configured by address stays there. */
	su = basic;
	su.jikka_peer = "2001:db8:1::99";
	ok(setup(&su) == 0, "jikka names home by address (not home's)");
	pump();
	ok(!up(&jikka, "Tunnel1.0") && jikka.sends == 0,
	    "a request from elsewhere gets no answer");
	teardown();
}

static void
test_garbage(void)
{
	struct sockaddr_storage a, b;
	uint8_t buf[600];
	size_t i, len;
	struct ike_sa *j;
	uint32_t mid;

	ok(setup(&basic) == 0, "setup for bad input");
	pump();
	j = tun(&jikka, "Tunnel1.0")->sa;
	mid = j->mid_in;
	a = j->peer;
	b = j->local;
	for (i = 0; i < 2000; i++) {
		len = i % sizeof(buf);
		ike_random(buf, len);
		if (i & 1 && len >= IKE_HDR_LEN) {
			/* A plausible header for the live SA. */
			ike_set64(buf, j->ispi);
			ike_set64(buf + 8, j->rspi);
			buf[17] = IKE_VERSION;
			buf[18] = IKE_EXCH_INFORMATIONAL;
			buf[19] = IKE_FLAG_INITIATOR;
			ike_set32(buf + 24, (uint32_t)len);
		}
		ike_ctx_recv(&jikka.ctx, &b, &a, buf, len);
	}
	ok(jikka.nq == 0 && j->mid_in == mid && up(&jikka, "Tunnel1.0"),
	    "2000 garbage datagrams: no answer, no state change");
	teardown();
}

int
main(void)
{
	if (ike_crypto_init() == -1)
		return 1;
	test_establish();
	test_retransmit_cache();
	test_rekey();
	test_rekey_answer_lost();
	test_ike_rekey();
	test_rekey_collisions();
	test_rekey_crossed_late();
	test_dpd_failure();
	test_delete();
	test_invalid_ke();
	test_bad_psk();
	test_simultaneous();
	test_two_tunnels();
	test_nat();
	test_fragments();
	test_cookies();
	test_bad_input();
	test_forged_init();
	test_addresses();
	test_carrier();
	test_path_down();
	test_unsent();
	test_roaming();
	test_garbage();
	return tap_done();
}
