/*
 * links.c: the Linux interfaces a file names, against the ones the kernel
 * has now.  The caller brings the kernel's names (tsunagid reads them from
 * xfrm's interface table); no I/O here, so the rule has unit tests.
 */
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
	s = conf_suggest_max(name, cand, n, 1);
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
