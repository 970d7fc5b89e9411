/*
 * links.c: the Linux interfaces a file names, against the ones the kernel
 * has now, and the addresses a block writes against the kernel's.  The
 * caller brings the kernel's names and addresses (tsunagid reads them from
 * xfrm's interface table); no I/O here, so the rules have unit tests.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/internal.h"

static int
links_has(const char *const *v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] != NULL && strcmp(v[i], name) == 0)
			return 1;
	return 0;
}

/*
 * What a misspelt name may have meant: a link now, or a declared one, one
 * edit away (a letter, or two swapped).  Interface names are short and
 * differ by a digit: two edits would take wan6 for lan0.
 */
static const char *
links_suggest(const struct conf *c, const char *name,
    const char *const *present, size_t npresent)
{
	const char **cand;
	const char *s;
	size_t i, n = 0;

	if ((cand = calloc(npresent + c->noslinks + 1, sizeof(*cand))) == NULL)
		return NULL;
	for (i = 0; i < npresent; i++)
		cand[n++] = present[i];
	for (i = 0; i < c->noslinks; i++)
		if (c->oslinks[i].declared)
			cand[n++] = c->oslinks[i].name;
	s = suggest_max(name, cand, n, 1);
	free(cand);
	return s;
}

int
conf_check_links(const struct conf *c, const char *file,
    const char *const *present, size_t npresent, struct conf_diags *d)
{
	const struct conf_oslink *o;
	const char *s;
	size_t i;
	int n = 0;

	for (i = 0; i < c->noslinks; i++) {
		o = &c->oslinks[i];
		if (links_has(present, npresent, o->name))
			continue;
		n++;
		if ((s = links_suggest(c, o->name, present, npresent)) != NULL)
			conf_diag_add(d, CONF_WARNING, file, o->line, o->col,
			    o->name,
			    "%s: interface %s does not exist now; did you "
			    "mean %s?",
			    o->what, conf_q(o->name), conf_q(s));
		else
			conf_diag_add(d, CONF_WARNING, file, o->line, o->col,
			    o->name,
			    "%s: interface %s does not exist now (used "
			    "when it appears)",
			    o->what, conf_q(o->name));
	}
	return n;
}

static int
addr_in(const struct conf_addr *a, const struct conf_addr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].af == a->af && v[i].plen == a->plen &&
		    memcmp(v[i].a, a->a, a->af == AF_INET ? 4 : 16) == 0)
			return 1;
	return 0;
}

/* "192.168.1.254/24, 192.168.7.1/24" (the first few), or "none". */
static void
addrs_list(const struct conf_addr *v, size_t n, int af, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN + 8];
	size_t i, used = 0, shown = 0, more = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (v[i].af != af)
			continue;
		if (shown == 3) {
			more++;
			continue;
		}
		conf_addr_ntop(&v[i], 1, s, sizeof(s));
		used += (size_t)snprintf(
		    buf + used, len - used, "%s%s", shown ? ", " : "", s);
		if (used >= len)
			return;
		shown++;
	}
	if (more && used < len)
		snprintf(buf + used, len - used, " and %zu more", more);
	else if (!shown)
		snprintf(buf, len, "none");
}

int
conf_check_addrs(const struct conf_linkif *li, const char *file,
    const struct conf_addr *present, size_t npresent, struct conf_diags *d)
{
	static const int fams[] = {AF_INET, AF_INET6};
	char want[INET6_ADDRSTRLEN + 8], has[4 * (INET6_ADDRSTRLEN + 8) + 32];
	size_t i, f;
	int n = 0;

	for (f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		for (i = 0; i < li->naddrs; i++)
			if (li->addrs[i].af == fams[f] &&
			    !addr_in(&li->addrs[i], present, npresent))
				break;
		if (i == li->naddrs)
			continue;
		n++;
		conf_addr_ntop(&li->addrs[i], 1, want, sizeof(want));
		addrs_list(present, npresent, fams[f], has, sizeof(has));
		conf_diag_add(d, CONF_WARNING, file, li->line, 0, want,
		    "interface %s: \"%s %s\" is not the kernel's (%s has %s); "
		    "tsunagid uses the kernel's",
		    li->name,
		    fams[f] == AF_INET ? "ip address" : "ipv6 address", want,
		    li->name, has);
	}
	return n;
}
