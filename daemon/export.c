/*
 * export.c: tsunagid -x.  This house's file, mirrored (conf/mirror.c)
 * with this box's interface addresses, printed with its secrets, and
 * parsed back before a byte goes out: what it writes, tsunagid -n
 * accepts.  Runs nothing; reads the kernel's addresses once, as -n reads
 * its interface names.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "conf/conf.h"
#include "daemon/export.h"

/* Bits set in a netmask: the prefix length. */
static int
mask_len(const uint8_t *m, size_t n)
{
	int len = 0;
	size_t i;

	for (i = 0; i < n; i++)
		len += __builtin_popcount(m[i]);
	return len;
}

/* One global address of an interface, or 0 if it is not one. */
static int
host_addr(const struct ifaddrs *ifa, struct conf_hostaddr *h)
{
	const struct sockaddr *sa = ifa->ifa_addr, *nm = ifa->ifa_netmask;

	if (sa == NULL || nm == NULL || strlen(ifa->ifa_name) >= IFNAMSIZ)
		return 0;
	memset(h, 0, sizeof(*h));
	snprintf(h->ifname, sizeof(h->ifname), "%s", ifa->ifa_name);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const void *)sa;

		if ((ntohl(s->sin_addr.s_addr) >> 24) == 127)
			return 0;
		h->addr.af = AF_INET;
		memcpy(h->addr.a, &s->sin_addr, 4);
		h->addr.plen =
		    mask_len((const uint8_t *)&(
		                 (const struct sockaddr_in *)(const void *)nm)
		                 ->sin_addr,
		        4);
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const void *)sa;

		if (IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr) ||
		    IN6_IS_ADDR_LOOPBACK(&s->sin6_addr))
			return 0;
		h->addr.af = AF_INET6;
		memcpy(h->addr.a, &s->sin6_addr, 16);
		h->addr.plen =
		    mask_len(((const struct sockaddr_in6 *)(const void *)nm)
		                 ->sin6_addr.s6_addr,
		        16);
		return 1;
	}
	return 0;
}

/* This box's global addresses; NULL (and *n 0) if it has none. */
static struct conf_hostaddr *
host_addrs(size_t *n)
{
	struct ifaddrs *all, *ifa;
	struct conf_hostaddr *h = NULL, *more;

	*n = 0;
	if (getifaddrs(&all) == -1) {
		perror("tsunagid: this box's addresses");
		return NULL;
	}
	for (ifa = all; ifa != NULL; ifa = ifa->ifa_next) {
		if ((more = realloc(h, (*n + 1) * sizeof(*h))) == NULL)
			break;
		h = more;
		*n += host_addr(ifa, &h[*n]);
	}
	freeifaddrs(all);
	return h;
}

/* The text: a header that says what it is, then the configuration. */
static char *
export_text(const struct conf *c, const char *path, size_t *len)
{
	char *text = NULL, day[16];
	FILE *f = open_memstream(&text, len);
	time_t now = time(NULL);
	struct tm tm;

	if (f == NULL)
		return NULL;
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime_r(&now, &tm));
	fprintf(f,
	    "! The other house's tsunagi configuration, made on %s by\n"
	    "! \"tsunagid -x\" from %s.  It holds the pre-shared keys:\n"
	    "! keep it private (chmod 600).  Interface names and DNS servers\n"
	    "! are this house's: change them if the other box's differ.\n",
	    day, path);
	if (c->nddns > 0)
		fprintf(f,
		    "! The DDNS profile signs with this house's credentials: "
		    "let\n"
		    "! the DNS service accept them for %s too,\n"
		    "! or write the other house's own there.\n",
		    c->ddns[0].hostname);
	fprintf(f, "! Check it on the other box with \"tsunagid -n\".\n!\n");
	if (conf_print(c, f, CONF_PRINT_SECRETS) == -1 || fclose(f) == EOF) {
		free(text);
		return NULL;
	}
	return text;
}

/* Parse what we print: a mirror tsunagid -n would refuse never leaves. */
static int
export_check(const char *text, size_t len)
{
	struct conf_diags d;
	struct conf *c;

	conf_diags_init(&d);
	c = conf_parse_text("the exported configuration", text, len, &d);
	if (c == NULL) {
		conf_diags_print(&d, stderr);
		fprintf(stderr, "tsunagid: the exported configuration does not "
		                "parse: a bug, please report it\n");
	}
	conf_diags_free(&d);
	conf_free(c);
	return c == NULL ? -1 : 0;
}

int
export_peer(const char *path)
{
	struct conf_hostaddr *ha;
	struct conf_diags d;
	struct conf *c;
	size_t nha, len = 0;
	char *text = NULL;
	int r = 1;

	conf_diags_init(&d);
	if ((c = conf_parse_file(path, &d)) == NULL) {
		conf_diags_print(&d, stderr);
		fprintf(stderr, "%s: configuration has errors\n", path);
		conf_diags_free(&d);
		return 1;
	}
	conf_diags_free(&d); /* its warnings are about this house */
	conf_diags_init(&d);
	ha = host_addrs(&nha);
	if (conf_mirror(c, path, ha, nha, &d) == -1)
		conf_diags_print(&d, stderr);
	else if ((text = export_text(c, path, &len)) == NULL)
		fprintf(stderr, "tsunagid: out of memory\n");
	else if (export_check(text, len) == 0 &&
	         fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0)
		r = 0;
	if (text != NULL) {
		sodium_memzero(text, len); /* it held the secrets */
		free(text);
	}
	free(ha);
	conf_diags_free(&d);
	conf_free(c);
	return r;
}
