/*
 * task_auth.c: IKE_AUTH with pre-shared keys (RFC 7296 1.2, 2.15) and the
 * first CHILD SA it carries.  The identities come from the configuration;
 * the peer must prove exactly the one its tunnel names.
 *
 * INITIAL_CONTACT (we send it when the tunnel holds no other SA with the
 * peer) is scoped to the tunnel it arrives on: the two tunnels between
 * the same houses share one identity, and bringing one up must never tear
 * down the other.
 */
#include <arpa/inet.h>
#include <string.h>

#include "conf/conf.h"
#include "daemon/log.h"
#include "ike/sa.h"

void
ike_id_from_conf(struct ike_id *id, int type, const char *value)
{
	size_t n = value ? strlen(value) : 0;

	memset(id, 0, sizeof(*id));
	switch (type) {
	case CONF_ID_IPV4:
		id->type = IKE_ID_IPV4_ADDR;
		if (inet_pton(AF_INET, value, id->data) == 1)
			id->len = 4;
		return;
	case CONF_ID_IPV6:
		id->type = IKE_ID_IPV6_ADDR;
		if (inet_pton(AF_INET6, value, id->data) == 1)
			id->len = 16;
		return;
	case CONF_ID_FQDN:
		id->type = IKE_ID_FQDN;
		break;
	case CONF_ID_EMAIL:
		id->type = IKE_ID_RFC822_ADDR;
		break;
	default:
		id->type = IKE_ID_KEY_ID;
		break;
	}
	if (n > sizeof(id->data))
		n = sizeof(id->data);
	memcpy(id->data, value, n);
	id->len = n;
}

/* The ID payload body AUTH covers (2.15): type, three zero bytes, data. */
static size_t
ike_id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return 4 + id->len;
}

static int
ike_id_matches(const struct ike_id *want, const struct ike_id_pl *got)
{
	return got->type == want->type && got->len == want->len &&
	    memcmp(got->data, want->data, want->len) == 0;
}

/* Our AUTH: initiator signs its IKE_SA_INIT and Nr, responder the mirror. */
static int
ike_auth_make(struct ike_sa *sa, const uint8_t *idbody, size_t idlen,
    uint8_t *out)
{
	struct ike_auth_input in = {
		.msg = sa->initiator ? sa->init_i : sa->init_r,
		.msglen = sa->initiator ? sa->init_ilen : sa->init_rlen,
		.nonce = sa->initiator ? sa->nr : sa->ni,
		.noncelen = sa->initiator ? sa->nrlen : sa->nilen,
		.skp = sa->initiator ? sa->keys.pi : sa->keys.pr,
		.skplen = sa->keys.plen,
		.idbody = idbody,
		.idlen = idlen,
	};

	return ike_psk_auth(sa->suite.prf, &sa->t->cfg.lpsk, &in, out);
}

/*
 * A request from an address no tunnel's peer had (ctx.c): the tunnel is
 * the one, among those it may be for, whose peer has this identity.  It
 * must take the IKE SA that IKE_SA_INIT settled with the first of them.
 * Nothing is bound before the AUTH that follows verifies.
 */
static int
ike_auth_roam(struct ike_sa *sa, const struct ike_id_pl *id)
{
	struct ike_sa_pl settled = { .nprop = 1 };
	struct ike_tunnel *t, *found = NULL;
	struct ike_prop chosen;
	struct ike_suite suite;
	unsigned n = 0;
	char a[64];

	for (t = sa->ctx->tunnels; t != NULL; t = t->next)
		if (ike_tunnel_may_roam(t, &sa->local, &sa->peer) &&
		    ike_id_matches(&t->cfg.pid, id)) {
			found = t;
			n++;
		}
	ike_ss_fmt(&sa->peer, a, sizeof(a));
	if (n != 1) {
		log_warnx("ike: IKE_AUTH from %s, no peer's address: its "
			  "identity is %s",
		    a, n ? "the peer of several tunnels there" :
			   "no peer's known by name");
		return -1;
	}
	settled.prop[0] = sa->prop;
	if (found != sa->t &&
	    (ike_prop_select(found->cfg.ike_props, found->cfg.nike, &settled,
		 IKE_PROTO_IKE, sa->ke_group, &chosen, &suite) == -1 ||
		suite.dh->id != sa->ke_group)) {
		log_warnx("ike: %s: IKE_AUTH from %s: the IKE SA settled for "
			  "%s is not one %s accepts",
		    found->cfg.name, a, sa->t->cfg.name, found->cfg.name);
		return -1;
	}
	sa->t = found;
	return 0;
}

/* 1 if the peer's ID and AUTH payloads check out. */
static int
ike_auth_check(struct ike_sa *sa, const struct ike_msg *m, uint8_t idtype)
{
	const struct ike_pl *pl;
	struct ike_auth_pl a;
	struct ike_id_pl id;
	struct ike_auth_input in;

	if ((pl = ike_msg_find(m, idtype, NULL)) == NULL ||
	    ike_pl_id(pl, &id) == -1 ||
	    (pl = ike_msg_find(m, IKE_PL_AUTH, NULL)) == NULL ||
	    ike_pl_auth(pl, &a) == -1)
		return 0;
	if (sa->roaming && ike_auth_roam(sa, &id) == -1)
		return 0;
	if (!ike_id_matches(&sa->t->cfg.pid, &id)) {
		log_warnx("ike: %s: peer identity does not match the "
			  "tunnel's",
		    sa->t->cfg.name);
		return 0;
	}
	if (a.method != IKE_AUTH_SHARED_KEY_MIC)
		return 0;
	in = (struct ike_auth_input){
		.msg = sa->initiator ? sa->init_r : sa->init_i,
		.msglen = sa->initiator ? sa->init_rlen : sa->init_ilen,
		.nonce = sa->initiator ? sa->ni : sa->nr,
		.noncelen = sa->initiator ? sa->nilen : sa->nrlen,
		.skp = sa->initiator ? sa->keys.pr : sa->keys.pi,
		.skplen = sa->keys.plen,
		.idbody = id.body,
		.idlen = id.bodylen,
	};
	return ike_psk_verify(sa->suite.prf, &sa->t->cfg.ppsk, &in, a.data,
	    a.len) == 1;
}

/* Our ID and AUTH payloads. */
static int
ike_auth_put_self(struct ike_sa *sa, struct ike_wbuf *w, uint8_t idtype)
{
	uint8_t body[4 + IKE_ID_MAX], auth[IKE_PRF_MAX];
	const struct ike_id *lid = &sa->t->cfg.lid;
	size_t blen = ike_id_body(lid, body);

	if (ike_auth_make(sa, body, blen, auth) == -1)
		return -1;
	ike_put_id(w, idtype, lid->type, lid->data, lid->len);
	if (idtype == IKE_PL_IDI && !ike_tunnel_has_other_sa(sa->t, sa))
		ike_put_notify(w, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	ike_put_auth(w, IKE_AUTH_SHARED_KEY_MIC, auth, sa->suite.prf->outlen);
	return 0;
}

/* Drop the DH transforms: IKE_AUTH has no KE, so its SA payload
 * negotiates no group (2.7); the peer may still list one. */
static void
ike_props_strip_dh(struct ike_prop *props, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		for (j = k = 0; j < props[i].nxf; j++)
			if (props[i].xf[j].type != IKE_XF_DH)
				props[i].xf[k++] = props[i].xf[j];
		props[i].nxf = k;
	}
}

/* Our ESP proposals as we put them on the wire, SPI included. */
size_t
ike_esp_offer(const struct ike_sa *sa, struct ike_prop *out, uint32_t spi,
    int with_dh)
{
	size_t i, n = sa->t->cfg.nesp;

	for (i = 0; i < n; i++) {
		out[i] = sa->t->cfg.esp_props[i];
		out[i].spi_size = 4;
		ike_set32(out[i].spi, spi);
	}
	if (!with_dh)
		ike_props_strip_dh(out, n);
	return n;
}

int
ike_auth_build(struct ike_sa *sa, struct ike_wbuf *w, uint8_t *buf,
    size_t cap)
{
	struct ike_prop props[IKE_PROP_MAX_OURS];
	size_t n;

	(void)buf, (void)cap;
	if (ike_child_spi(sa, &sa->child) == -1) {
		snprintf(sa->why, sizeof(sa->why), "no inbound SPI");
		return -1;
	}
	if (ike_auth_put_self(sa, w, IKE_PL_IDI) == -1)
		return -1;
	n = ike_esp_offer(sa, props, sa->child.spi_in, 0);
	ike_put_sa(w, props, n);
	ike_child_put_ts(w);
	return 0;
}

/* Error notifies in an IKE_AUTH or CREATE_CHILD_SA answer. */
int
ike_error_notify(const struct ike_msg *m, uint16_t *type)
{
	struct ike_notify_pl n;
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    ike_pl_notify(&m->pl[i], &n) == 0 &&
		    n.type <= IKE_N_ERROR_MAX) {
			*type = n.type;
			return 1;
		}
	return 0;
}

/* The CHILD SA of an answer: the proposal we offered, SPI, TS. */
int
ike_child_answer(struct ike_sa *sa, const struct ike_msg *m,
    struct ike_child *c, int with_dh)
{
	struct ike_prop offered[IKE_PROP_MAX_OURS];
	const struct ike_pl *pl;
	struct ike_sa_pl sapl;
	size_t n = ike_esp_offer(sa, offered, c->spi_in, with_dh);

	if ((pl = ike_msg_find(m, IKE_PL_SA, NULL)) == NULL ||
	    ike_pl_sa(pl, &sapl) == -1 ||
	    ike_prop_check_reply(offered, n, &sapl, IKE_PROTO_ESP,
		&c->suite) == -1 ||
	    ike_child_ts(c, m, 1) == -1)
		return -1;
	c->prop = sapl.prop[0];
	c->spi_out = ike_get32(c->prop.spi);
	return 0;
}

int
ike_auth_process(struct ike_sa *sa, const struct ike_msg *m)
{
	uint16_t err;

	if (ike_error_notify(m, &err) && err == IKE_N_AUTHENTICATION_FAILED) {
		snprintf(sa->why, sizeof(sa->why), "peer says "
						   "AUTHENTICATION_FAILED");
		return -1;
	}
	if (!ike_auth_check(sa, m, IKE_PL_IDR)) {
		snprintf(sa->why, sizeof(sa->why), "peer failed to "
						   "authenticate");
		return -1;
	}
	if (ike_error_notify(m, &err) ||
	    ike_child_answer(sa, m, &sa->child, 0)) {
		snprintf(sa->why, sizeof(sa->why), "CHILD SA refused (notify "
						   "%u)",
		    ike_error_notify(m, &err) ? err : 0);
		return -1;
	}
	if (ike_child_install(sa, &sa->child, sa->ni, sa->nilen, sa->nr,
		sa->nrlen, NULL, 1, IKE_CHILD_BOTH) == -1) {
		snprintf(sa->why, sizeof(sa->why), "ESP SA install failed");
		return -1;
	}
	ike_sa_established(sa);
	return 0;
}

/* Responder ---------------------------------------------------------------- */

/* Select the ESP proposal, reserve our SPI, answer with SA and TS. */
/*
 * Select the ESP proposal, reserve our SPI, put the SA payload (the
 * caller adds the rest).  in_auth: IKE_AUTH, where nobody negotiates a
 * group; else ke_group is the group of the request's KE (0: none).
 * Returns 0 or the error notify to answer with.
 */
int
ike_child_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp, struct ike_child *c, int in_auth,
    uint16_t ke_group)
{
	struct ike_prop ours[IKE_PROP_MAX_OURS];
	const struct ike_pl *pl;
	struct ike_sa_pl sapl;
	size_t n;

	n = ike_esp_offer(sa, ours, 0, !in_auth);
	if ((pl = ike_msg_find(req, IKE_PL_SA, NULL)) == NULL ||
	    ike_pl_sa(pl, &sapl) == -1)
		return IKE_N_INVALID_SYNTAX;
	if (in_auth)
		ike_props_strip_dh(sapl.prop, sapl.nprop);
	if (ike_prop_select(ours, n, &sapl, IKE_PROTO_ESP, ke_group, &c->prop,
		&c->suite) == -1)
		return IKE_N_NO_PROPOSAL_CHOSEN;
	if (ike_child_ts(c, req, 0) == -1)
		return IKE_N_TS_UNACCEPTABLE;
	c->spi_out = ike_get32(c->prop.spi);
	if (ike_child_spi(sa, c) == -1)
		return IKE_N_TEMPORARY_FAILURE;
	ike_set32(c->prop.spi, c->spi_in);
	ike_put_sa(resp, &c->prop, 1);
	return 0;
}

int
ike_auth_respond(struct ike_sa *sa, const struct ike_msg *req,
    struct ike_wbuf *resp)
{
	uint16_t err;

	if (!ike_auth_check(sa, req, IKE_PL_IDI)) {
		ike_put_notify(resp, 0, NULL, 0, IKE_N_AUTHENTICATION_FAILED,
		    NULL, 0);
		ike_sa_kill(sa, "peer failed to authenticate (its AUTH does "
				"not verify: another pre-shared key?)", 1);
		return 0;
	}
	if (sa->roaming)
		ike_tunnel_roamed(sa->t, &sa->peer);
	sa->peer_initial_contact =
	    ike_msg_find_notify(req, IKE_N_INITIAL_CONTACT) != NULL;
	if (ike_auth_put_self(sa, resp, IKE_PL_IDR) == -1)
		return -1;
	if ((err = (uint16_t)ike_child_respond(sa, req, resp, &sa->child,
		 1, 0)) != 0) {
		ike_put_notify(resp, 0, NULL, 0, err, NULL, 0);
		ike_sa_kill(sa, "no acceptable CHILD SA", 1);
		return 0;
	}
	ike_child_put_ts_of(resp, &sa->child);
	if (ike_child_install(sa, &sa->child, sa->ni, sa->nilen, sa->nr,
		sa->nrlen, NULL, 0, IKE_CHILD_BOTH) == -1) {
		/* Our kernel refused: the peer hears it (1.2: we did
		 * authenticate, the CHILD SA failed) instead of timing out. */
		ike_wbuf_chain(resp, resp->buf, resp->cap);
		if (ike_auth_put_self(sa, resp, IKE_PL_IDR) == -1)
			return -1;
		ike_put_notify(resp, 0, NULL, 0, IKE_N_TEMPORARY_FAILURE, NULL,
		    0);
		ike_sa_kill(sa, "ESP SA install failed", 1);
		return 0;
	}
	ike_sa_established(sa);
	return 0;
}
