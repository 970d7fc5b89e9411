/*
 * cmd_ike.c: pre-shared keys, "ikev2 default-profile", and the proposal,
 * lifetime and DPD settings a profile and a tunnel share (IX spells them
 * "sa-proposal enc ..." in the profile, "ikev2 sa-proposal enc ..." on a
 * tunnel).
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define MAX_PSKS  256
#define PSK_SHORT 16 /* bytes; shorter keys draw a warning */

static const char *const idtype_names[] = {
    NULL,
    "keyid",
    "fqdn",
    "ipv4",
    "ipv6",
    "email",
};

const char *
conf_idtype_name(int type)
{
	if (type < CONF_ID_KEYID || type > CONF_ID_EMAIL)
		return "?";
	return idtype_names[type];
}

void
conf_ident_clear(struct conf_ident *id)
{
	free(id->value);
	id->value = NULL;
	id->type = CONF_ID_NONE;
}

/* Addresses are stored in inet_ntop form so "2001:DB8::1" finds its key. */
static int
ident_addr(struct conf_parse *p, int af, const struct conf_tok *t, char *buf,
    size_t len)
{
	struct conf_addr a;

	if (conf_parse_addr(t->s, af, &a) == -1) {
		conf_error(p, t, "%s: %s is not an %s address",
		    conf_cmd_name(p), conf_q(t->s),
		    af == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	inet_ntop(af, a.a, buf, (socklen_t)len);
	return 0;
}

int
conf_ident_parse(struct conf_parse *p, int type, const struct conf_tok *t,
    struct conf_ident *id)
{
	char buf[INET6_ADDRSTRLEN];
	const char *v = t->s;

	if (type == CONF_ID_IPV4 || type == CONF_ID_IPV6) {
		if (ident_addr(p, type == CONF_ID_IPV4 ? AF_INET : AF_INET6, t,
		        buf, sizeof(buf)) == -1)
			return -1;
		v = buf;
	} else if (type == CONF_ID_FQDN && !conf_valid_dnsname(v)) {
		conf_error(p, t, "%s: %s is not a valid DNS name",
		    conf_cmd_name(p), conf_q(v));
		return -1;
	} else if (type == CONF_ID_EMAIL &&
	           (strchr(v, '@') == NULL || v[0] == '@' ||
	               strchr(v, ' ') != NULL)) {
		conf_error(p, t, "%s: %s is not an e-mail address",
		    conf_cmd_name(p), conf_q(v));
		return -1;
	}
	id->type = type;
	return (id->value = conf_strdup(p, v)) ? 0 : -1;
}

/* Pre-shared keys --------------------------------------------------------- */

static int
psk_dup(
    struct conf_parse *p, const struct conf_ident *id, const struct conf_tok *t)
{
	const struct conf_psk *k;
	size_t i;

	for (i = 0; i < p->conf->npsks; i++) {
		k = &p->conf->psks[i];
		if (k->id.type == id->type &&
		    strcmp(k->id.value, id->value) == 0) {
			conf_error(p, t,
			    "pre-shared key for %s %s is already "
			    "defined on line %d",
			    conf_idtype_name(id->type), conf_q(id->value),
			    k->line);
			return 1;
		}
	}
	return 0;
}

/* Decode into guarded memory; messages never show the secret. */
static int
psk_secret(struct conf_parse *p, struct conf_psk *k, const struct conf_tok *t)
{
	size_t max =
	    k->form == CONF_KEY_HEX ? 2 * CONF_MAX_SECRET : CONF_MAX_SECRET;
	int rv;

	if (t->len > max) {
		conf_error_at(p, t->line, t->col,
		    "%s: the key is longer than "
		    "%d bytes",
		    conf_cmd_name(p), CONF_MAX_SECRET);
		return -1;
	}
	if (k->form == CONF_KEY_HEX)
		rv = conf_secret_from_hex(&k->key, t->s, t->len);
	else
		rv = conf_secret_set(&k->key, t->s, t->len);
	if (rv == -1 && k->form == CONF_KEY_HEX) {
		conf_error_at(p, t->line, t->col,
		    "%s: key hex needs an even "
		    "number of hex digits (0-9, a-f)",
		    conf_cmd_name(p));
		return -1;
	}
	if (rv == -1) {
		conf_oom(p);
		return -1;
	}
	if (k->key.len < PSK_SHORT)
		conf_warn_at(p, t->line, t->col,
		    "%s: the key is only %zu "
		    "bytes; use %d or more",
		    conf_cmd_name(p), k->key.len, PSK_SHORT);
	return 0;
}

static int
h_psk(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_psk k, *kp;

	memset(&k, 0, sizeof(k));
	k.line = p->ln->line;
	k.form = a[2].num == 0 ? CONF_KEY_CHAR : CONF_KEY_HEX;
	if (conf_ident_parse(
	        p, CONF_ID_KEYID + (int)a[0].num, a[1].tok, &k.id) == -1)
		return -1;
	if (psk_dup(p, &k.id, a[1].tok) || psk_secret(p, &k, a[3].tok) == -1 ||
	    (kp = conf_grow(p, &p->conf->psks, &p->conf->npsks, sizeof(*kp),
	         MAX_PSKS, "pre-shared keys")) == NULL) {
		conf_ident_clear(&k.id);
		conf_secret_clear(&k.key);
		return -1;
	}
	*kp = k;
	return 0;
}

/* The default profile ----------------------------------------------------- */

static int
h_profile(struct conf_parse *p, struct conf_arg *a, int neg)
{
	if (p->conf->profile_present) {
		conf_error(p, p->ln->tok,
		    "ikev2 default-profile is already "
		    "defined; put all its settings in one block");
		return -1;
	}
	p->conf->profile_present = 1;
	conf_enter(p, M_PROFILE, 0);
	return 0;
}

/* The identity is a PSK reference: its key must exist (checked later). */
static int
h_local_auth(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ref *r;

	if (neg) {
		conf_ident_clear(&p->conf->local_id);
		return 0;
	}
	if (conf_ident_parse(p, CONF_ID_KEYID + (int)a[0].num, a[1].tok,
	        &p->conf->local_id) == -1 ||
	    conf_add_ref(p, REF_PSK, p->conf->local_id.value, a[1].tok) == -1)
		return -1;
	r = conf_last_ref(p);
	r->idtype = p->conf->local_id.type;
	return 0;
}

/* Proposal fields, found by the end of the command's path. */
static const struct {
	const char *name;
	unsigned bit;
	size_t off;
} ike_fields[] = {
    {"sa-proposal enc", CONF_IKE_SA_ENC,
        offsetof(struct conf_ike_params, sa_enc)},
    {"sa-proposal integrity", CONF_IKE_SA_INTEG,
        offsetof(struct conf_ike_params, sa_integ)},
    {"sa-proposal prf", CONF_IKE_SA_PRF,
        offsetof(struct conf_ike_params, sa_prf)},
    {"sa-proposal dh", CONF_IKE_SA_DH, offsetof(struct conf_ike_params, sa_dh)},
    {"child-proposal enc", CONF_IKE_CHILD_ENC,
        offsetof(struct conf_ike_params, child_enc)},
    {"child-proposal integrity", CONF_IKE_CHILD_INTEG,
        offsetof(struct conf_ike_params, child_integ)},
    {"sa-lifetime", CONF_IKE_SA_LIFETIME,
        offsetof(struct conf_ike_params, sa_lifetime)},
    {"child-lifetime", CONF_IKE_CHILD_LIFETIME,
        offsetof(struct conf_ike_params, child_lifetime)},
    {"dpd-interval", CONF_IKE_DPD,
        offsetof(struct conf_ike_params, dpd_interval)},
    {"dpd interval", CONF_IKE_DPD,
        offsetof(struct conf_ike_params, dpd_interval)},
};

static int
ike_field(const char *path)
{
	size_t i;

	if (strncmp(path, "ikev2 ", 6) == 0)
		path += 6;
	for (i = 0; i < sizeof(ike_fields) / sizeof(ike_fields[0]); i++)
		if (strcmp(ike_fields[i].name, path) == 0)
			return (int)i;
	abort(); /* a row without a field */
}

static int
h_ike_algs(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ike_params *ike = conf_cur_ike(p);
	int f = ike_field(p->cmd->path);
	struct conf_alglist *l = (void *)((char *)ike + ike_fields[f].off);

	memset(l, 0, sizeof(*l));
	ike->set &= ~ike_fields[f].bit;
	if (!neg) {
		*l = a[0].algs;
		ike->set |= ike_fields[f].bit;
	}
	return 0;
}

static int
h_ike_seconds(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ike_params *ike = conf_cur_ike(p);
	int f = ike_field(p->cmd->path);
	uint32_t *v = (void *)((char *)ike + ike_fields[f].off);

	*v = 0;
	ike->set &= ~ike_fields[f].bit;
	if (!neg) {
		*v = (uint32_t)a[0].num;
		ike->set |= ike_fields[f].bit;
	}
	return 0;
}

static int
h_child_pfs(struct conf_parse *p, struct conf_arg *a, int neg)
{
	struct conf_ike_params *ike = conf_cur_ike(p);

	ike->child_pfs = neg ? 0 : (int)a[0].num;
	if (neg)
		ike->set &= ~CONF_IKE_CHILD_PFS;
	else
		ike->set |= CONF_IKE_CHILD_PFS;
	return 0;
}

#define IDTYPES "{keyid|fqdn|ipv4|ipv6|email}"
#define NEG     CMD_NEG

/* The settings a profile and a tunnel share, one row for each spelling. */
#define IKE_ROWS(m, pfx)                                                       \
	{m, pfx "sa-proposal enc", "<enc>...", h_ike_algs, "sa enc", NEG},     \
	    {m, pfx "sa-proposal integrity", "<integ>...", h_ike_algs,         \
	        "sa integ", NEG},                                              \
	    {m, pfx "sa-proposal prf", "<prf>...", h_ike_algs, "sa prf", NEG}, \
	    {m, pfx "sa-proposal dh", "<dh>...", h_ike_algs, "sa dh", NEG},    \
	    {m, pfx "sa-lifetime", "<n:20-604800>", h_ike_seconds,             \
	        "sa lifetime", NEG},                                           \
	    {m, pfx "child-proposal enc", "<enc>...", h_ike_algs, "child enc", \
	        NEG},                                                          \
	    {m, pfx "child-proposal integrity", "<integ>...", h_ike_algs,      \
	        "child integ", NEG},                                           \
	    {m, pfx "child-pfs", "<pfs>", h_child_pfs, "child pfs", NEG},      \
	    {m, pfx "child-lifetime", "<n:20-86400>", h_ike_seconds,           \
	        "child lifetime", NEG},                                        \
	    {m, pfx "dpd-interval", "<n:0-3600>", h_ike_seconds, "dpd", NEG},  \
	{                                                                      \
		m, pfx "dpd interval", "<n:0-3600>", h_ike_seconds, "dpd", NEG \
	}

const struct conf_cmd conf_cmds_ike[] = {
    {M_GLOBAL, "ikev2 authentication psk id",
        IDTYPES " <ident> key {char|hex} <secret>", h_psk, NULL, 0},
    {M_GLOBAL, "ikev2 default-profile", "", h_profile, NULL, CMD_OPENS},
    {M_PROFILE, "local-authentication psk id", IDTYPES " <ident>", h_local_auth,
        "local-authentication", NEG},
    IKE_ROWS(M_PROFILE, ""),
    IKE_ROWS(M_TUNNEL, "ikev2 "),
    {0, NULL, NULL, NULL, NULL, 0},
};
