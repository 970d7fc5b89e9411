/*
 * types.c: the value types of the argument specs (<addr>, <ifname>,
 * <enc>...): each checks one word and converts it into a conf_arg, or
 * says precisely what is wrong with it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/internal.h"

#define WORD_MAX     255
#define TEXT_MAX     255
#define URL_MAX      1024
#define PATH_MAX_LEN 4095

/* Names and addresses ----------------------------------------------------- */

int
conf_valid_ifname(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= CONF_IFNAMSIZ || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    strchr("_.-", s[i]) == NULL)
			return 0;
	return 1;
}

/* TunnelN.M, the NEC IX tunnel names, used as written for XFRM. */
int
conf_is_tunnel_name(const char *s)
{
	size_t i = 6;

	if (strncmp(s, "Tunnel", 6) != 0 || !isdigit((unsigned char)s[i]))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (s[i++] != '.' || !isdigit((unsigned char)s[i]))
		return 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	return s[i] == '\0';
}

/* NEC IX port names: the OS owns those ports under their Linux names. */
int
conf_is_ixport_name(const char *s)
{
	static const char *const pfx[] = {"GigaEthernet", "FastEthernet",
	    "TenGigaEthernet", "Loopback", "Null", "BVI", "USB-Serial",
	    "Serial", "BRI", "Dialer", "Virtual-Template"};
	size_t i, n;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		n = strlen(pfx[i]);
		if (strncmp(s, pfx[i], n) == 0 && isdigit((unsigned char)s[n]))
			return 1;
	}
	return 0;
}

static int
valid_label(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

/* Host and zone names: LDH labels (and "_"), a trailing dot allowed. */
int
conf_valid_dnsname(const char *s)
{
	size_t n = strlen(s);
	const char *dot;

	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return 0;
	while ((dot = memchr(s, '.', n)) != NULL) {
		if (!valid_label(s, (size_t)(dot - s)))
			return 0;
		n -= (size_t)(dot - s) + 1;
		s = dot + 1;
	}
	return valid_label(s, n);
}

/* A host address of family af (0: either). */
int
conf_parse_addr(const char *s, int af, struct conf_addr *out)
{
	memset(out, 0, sizeof(*out));
	if ((af == 0 || af == AF_INET) && inet_pton(AF_INET, s, out->a) == 1) {
		out->af = AF_INET;
		out->plen = 32;
		return 0;
	}
	if ((af == 0 || af == AF_INET6) &&
	    inet_pton(AF_INET6, s, out->a) == 1) {
		out->af = AF_INET6;
		out->plen = 128;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

/* "A/N" of family af; host bits may be set.  0 or -1. */
static int
parse_addr_plen(const char *s, int af, struct conf_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n;
	int plen = 0, max = af == AF_INET ? 32 : 128;

	if (slash == NULL || (n = (size_t)(slash - s)) >= sizeof(buf) ||
	    slash[1] == '\0' || strlen(slash + 1) > 3)
		return -1;
	for (s = slash + 1; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		plen = plen * 10 + (*s - '0');
	}
	memcpy(buf, slash - n, n);
	buf[n] = '\0';
	if (plen > max || conf_parse_addr(buf, af, out) == -1)
		return -1;
	out->plen = plen;
	return 0;
}

static void
addr_mask(struct conf_addr *a)
{
	int i, bits;

	for (i = 0; i < 16; i++) {
		bits = a->plen - i * 8;
		if (bits >= 8)
			continue;
		a->a[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

int
conf_prefix_is_canonical(const struct conf_addr *a)
{
	struct conf_addr m = *a;

	addr_mask(&m);
	return memcmp(m.a, a->a, sizeof(m.a)) == 0;
}

/* Value conversions ------------------------------------------------------- */

static const char *
af_name(int af)
{
	return af == AF_INET ? "IPv4" : af == AF_INET6 ? "IPv6" : "IP";
}

static int
conv_word(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (t->len == 0 || t->len > WORD_MAX) {
		conf_error(p, t, "%s: %s must be 1 to %d bytes long",
		    conf_cmd_name(p), conf_q(t->s), WORD_MAX);
		return -1;
	}
	return 0;
}

static int
conv_name(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!isalnum((unsigned char)t->s[i]) &&
		    strchr("_.-", t->s[i]) == NULL)
			break;
	if (t->len == 0 || t->len > 63 || i < t->len ||
	    !isalnum((unsigned char)t->s[0])) {
		conf_error(p, t,
		    "%s: %s is not a valid name (up to 63 letters, "
		    "digits, \"_\", \".\" or \"-\", starting with a letter or "
		    "digit)",
		    conf_cmd_name(p), conf_q(t->s));
		return -1;
	}
	return 0;
}

static int
conv_ifname(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (conf_valid_ifname(t->s))
		return 0;
	if (t->len >= CONF_IFNAMSIZ)
		conf_error(p, t,
		    "%s: interface name %s is too long (%d "
		    "characters at most on Linux)",
		    conf_cmd_name(p), conf_q(t->s), CONF_IFNAMSIZ - 1);
	else
		conf_error(p, t,
		    "%s: %s is not a valid interface name "
		    "(letters, digits, \"_\", \".\" and \"-\")",
		    conf_cmd_name(p), conf_q(t->s));
	return -1;
}

static int
conv_tunnel(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (conv_ifname(p, t, a) == -1)
		return -1;
	if (!conf_is_tunnel_name(t->s)) {
		conf_error(p, t, "%s: %s is not a tunnel interface (TunnelN.M)",
		    conf_cmd_name(p), conf_q(t->s));
		return -1;
	}
	return 0;
}

static int
conv_addr_af(
    struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a, int af)
{
	if (conf_parse_addr(t->s, af, &a->addr) == 0)
		return 0;
	conf_error(p, t, "%s: %s is not an %s address", conf_cmd_name(p),
	    conf_q(t->s), af_name(af));
	return -1;
}

static int
conv_addr(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_addr_af(p, t, a, 0);
}

static int
conv_addr4(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_addr_af(p, t, a, AF_INET);
}

static int
conv_addr6(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_addr_af(p, t, a, AF_INET6);
}

/* Prefixes must be canonical: host bits set is almost always a typo. */
static int
conv_prefix_af(
    struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a, int af)
{
	struct conf_addr m;
	char buf[INET6_ADDRSTRLEN + 8];

	if (parse_addr_plen(t->s, af, &a->addr) == -1) {
		conf_error(p, t, "%s: %s is not an %s prefix (%s)",
		    conf_cmd_name(p), conf_q(t->s), af_name(af),
		    af == AF_INET ? "A.B.C.D/N" : "X:X::X/N");
		return -1;
	}
	if (!conf_prefix_is_canonical(&a->addr)) {
		m = a->addr;
		addr_mask(&m);
		conf_addr_ntop(&m, 1, buf, sizeof(buf));
		conf_error(p, t, "%s: %s has host bits set; did you mean %s?",
		    conf_cmd_name(p), conf_q(t->s), conf_q(buf));
		return -1;
	}
	return 0;
}

static int
conv_route_af(
    struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a, int af)
{
	if (strcmp(t->s, "default") == 0) {
		memset(&a->addr, 0, sizeof(a->addr));
		a->addr.af = af;
		return 0;
	}
	return conv_prefix_af(p, t, a, af);
}

static int
conv_route4(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_route_af(p, t, a, AF_INET);
}

static int
conv_route6(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_route_af(p, t, a, AF_INET6);
}

static int
conv_prefix4(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_prefix_af(p, t, a, AF_INET);
}

/* An interface address: host bits are the point here. */
static int
conv_ifaddr_af(
    struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a, int af)
{
	if (parse_addr_plen(t->s, af, &a->addr) == 0 && a->addr.plen > 0)
		return 0;
	conf_error(p, t, "%s: %s is not an %s interface address (%s)",
	    conf_cmd_name(p), conf_q(t->s), af_name(af),
	    af == AF_INET ? "A.B.C.D/N" : "X:X::X/N");
	return -1;
}

static int
conv_ifaddr4(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_ifaddr_af(p, t, a, AF_INET);
}

static int
conv_ifaddr6(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_ifaddr_af(p, t, a, AF_INET6);
}

/* An address, else an interface name; addr.af says which it was. */
static int
conv_addrif(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (conf_parse_addr(t->s, 0, &a->addr) == 0 || conf_valid_ifname(t->s))
		return 0;
	conf_error(p, t, "%s: %s is neither an address nor an interface name",
	    conf_cmd_name(p), conf_q(t->s));
	return -1;
}

static int
conv_fqdn(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (conf_valid_dnsname(t->s))
		return 0;
	conf_error(p, t, "%s: %s is not a valid DNS name", conf_cmd_name(p),
	    conf_q(t->s));
	return -1;
}

/* The rest of the line, joined by single blanks, is the text. */
static int
conv_text(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	size_t len = 0;
	int i;

	for (i = 0; i < a->n; i++)
		len += t[i].len + (i > 0);
	if (len == 0 || len > TEXT_MAX) {
		conf_error(p, t, "%s: the text must be 1 to %d bytes long",
		    conf_cmd_name(p), TEXT_MAX);
		return -1;
	}
	return 0;
}

static int
conv_secret(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conf_secret_token(p, t, conf_cmd_name(p));
}

static int
conv_path(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (t->s[0] == '/' && t->len <= PATH_MAX_LEN)
		return 0;
	conf_error(p, t, "%s: %s is not an absolute path", conf_cmd_name(p),
	    conf_q(t->s));
	return -1;
}

static int
conv_url(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	const char *host;
	size_t i;

	host = strncmp(t->s, "https://", 8) == 0  ? t->s + 8
	       : strncmp(t->s, "http://", 7) == 0 ? t->s + 7
	                                          : NULL;
	for (i = 0; i < t->len; i++)
		if (isspace((unsigned char)t->s[i]))
			host = NULL;
	if (host == NULL || *host == '\0' || *host == '/' || t->len > URL_MAX) {
		conf_error(p, t, "%s: %s is not an http:// or https:// URL",
		    conf_cmd_name(p), conf_q(t->s));
		return -1;
	}
	if (host == t->s + 7)
		conf_warn(p, t,
		    "%s: %s is plain http: the password crosses "
		    "the network in clear",
		    conf_cmd_name(p), conf_q_checked(t->s));
	return 0;
}

static int
conv_rid(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	struct conf_addr ad;

	if (conf_parse_addr(t->s, AF_INET, &ad) == 0 &&
	    (ad.a[0] | ad.a[1] | ad.a[2] | ad.a[3]) != 0) {
		a->num = (long long)ad.a[0] << 24 | ad.a[1] << 16 |
		         ad.a[2] << 8 | ad.a[3];
		return 0;
	}
	conf_error(p, t, "%s: %s is not a router id (A.B.C.D, not 0.0.0.0)",
	    conf_cmd_name(p), conf_q(t->s));
	return -1;
}

/* Decimal digits only, at most 4294967295; 0 or -1. */
int
conf_parse_u32(const char *s, long long *out)
{
	long long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 10)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 4294967295LL)
		return -1;
	*out = v;
	return 0;
}

/*
 * Seconds with at most two decimals ("10", "0.5", "0.05"), 0.01 to 3600,
 * as milliseconds: watch-groups probe faster than a routing protocol's
 * timers, and the IX's whole seconds still read the same.
 */
static int
conv_secs(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	const char *s = t->s;
	long long ms = 0;
	int digits = 0, frac = -1;

	for (; *s != '\0'; s++) {
		if (*s == '.' && frac < 0 && digits > 0) {
			frac = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || digits >= 7 || frac >= 2)
			goto bad;
		ms = ms * 10 + (*s - '0');
		digits++;
		frac += frac >= 0;
	}
	if (digits == 0 || frac == 0)
		goto bad;
	for (frac = frac < 0 ? 0 : frac; frac < 3; frac++)
		ms *= 10;
	if (ms >= 10 && ms <= 3600000) {
		a->num = ms;
		return 0;
	}
bad:
	conf_error(p, t,
	    "%s: %s is not a time from 0.01 to 3600 seconds "
	    "(at most two decimals)",
	    conf_cmd_name(p), conf_q(t->s));
	return -1;
}

static int
conv_area(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	struct conf_addr ad;

	if (conf_parse_u32(t->s, &a->num) == 0)
		return 0;
	if (conf_parse_addr(t->s, AF_INET, &ad) == 0) {
		a->num = (long long)ad.a[0] << 24 | ad.a[1] << 16 |
		         ad.a[2] << 8 | ad.a[3];
		return 0;
	}
	conf_error(p, t, "%s: %s is not an area id (a number or A.B.C.D)",
	    conf_cmd_name(p), conf_q(t->s));
	return -1;
}

static int
conv_ident(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_word(p, t, a);
}

/* Algorithms -------------------------------------------------------------- */

static int
alg_unknown(struct conf_parse *p, const struct conf_tok *t, int kind)
{
	char list[256];
	const char *sug = conf_alg_suggest(kind, t->s);

	conf_alg_list(kind, list, sizeof(list));
	if (sug != NULL)
		conf_error(p, t, "%s: unknown algorithm %s; did you mean %s?",
		    conf_cmd_name(p), conf_q(t->s), conf_q(sug));
	else
		conf_error(p, t, "%s: unknown algorithm %s (expected %s)",
		    conf_cmd_name(p), conf_q(t->s), list);
	return -1;
}

static int
conv_alg(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a,
    int kind)
{
	int v = conf_alg_lookup(kind, t->s), i;

	if (v == -1)
		return alg_unknown(p, t, kind);
	if (v < -1) {
		v = -2 - v;
		conf_warn(p, t,
		    "%s: %s is weak; prefer ecp-256, curve25519 or "
		    "3072-bit",
		    conf_cmd_name(p), conf_q(t->s));
	}
	for (i = 0; i < a->algs.n; i++)
		if (a->algs.v[i] == v) {
			conf_error(p, t, "%s: %s is listed twice",
			    conf_cmd_name(p), conf_q(t->s));
			return -1;
		}
	if (a->algs.n == CONF_MAX_ALGS) {
		conf_error(p, t, "%s: too many algorithms (%d at most)",
		    conf_cmd_name(p), CONF_MAX_ALGS);
		return -1;
	}
	a->algs.v[a->algs.n++] = (uint16_t)v;
	return 0;
}

static int
conv_enc(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_alg(p, t, a, CONF_ALG_ENC);
}

static int
conv_integ(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_alg(p, t, a, CONF_ALG_INTEG);
}

static int
conv_prf(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_alg(p, t, a, CONF_ALG_PRF);
}

static int
conv_dh(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	return conv_alg(p, t, a, CONF_ALG_DH);
}

static int
conv_pfs(struct conf_parse *p, const struct conf_tok *t, struct conf_arg *a)
{
	if (strcmp(t->s, "off") == 0) {
		a->num = CONF_PFS_OFF;
		return 0;
	}
	if (conv_alg(p, t, a, CONF_ALG_DH) == -1)
		return -1;
	a->num = a->algs.v[0];
	return 0;
}

const struct conf_vtype conf_vtypes[] = {
    {"word", "WORD", conv_word, 0},
    {"name", "NAME", conv_name, 0},
    {"ifname", "IFACE", conv_ifname, 0},
    {"tunnel", "TUNNEL", conv_tunnel, 0},
    {"addr", "ADDRESS", conv_addr, 0},
    {"addr4", "A.B.C.D", conv_addr4, 0},
    {"addr6", "X:X::X", conv_addr6, 0},
    {"prefix4", "A.B.C.D/N", conv_prefix4, 0},
    {"route4", "{A.B.C.D/N|default}", conv_route4, 0},
    {"route6", "{X:X::X/N|default}", conv_route6, 0},
    {"ifaddr4", "A.B.C.D/N", conv_ifaddr4, 0},
    {"ifaddr6", "X:X::X/N", conv_ifaddr6, 0},
    {"addr|if", "{ADDRESS|IFACE}", conv_addrif, 0},
    {"fqdn", "FQDN", conv_fqdn, 0},
    {"ident", "ID", conv_ident, 0},
    {"text", "TEXT", conv_text, VT_REST},
    {"secret", "SECRET", conv_secret, VT_SECRET},
    {"path", "PATH", conv_path, 0},
    {"url", "URL", conv_url, 0},
    {"rid", "A.B.C.D", conv_rid, 0},
    {"area", "AREA", conv_area, 0},
    {"secs", "SECONDS", conv_secs, 0},
    {"enc", "ENC", conv_enc, 0},
    {"integ", "HASH", conv_integ, 0},
    {"prf", "PRF", conv_prf, 0},
    {"dh", "GROUP", conv_dh, 0},
    {"pfs", "{off|GROUP}", conv_pfs, 0},
    {NULL, NULL, NULL, 0},
};
