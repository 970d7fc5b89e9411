/*
 * util.h: helpers the conf test programs share: files into memory,
 * diagnostics into a string, and the print/parse round trip.
 */
#ifndef TSUNAGI_TEST_CONF_UTIL_H
#define TSUNAGI_TEST_CONF_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

/* The source tree: built in by make, else $srcdir, else here. */
static inline const char *
test_srcdir(void)
{
#ifdef TEST_SRCDIR
	return TEST_SRCDIR;
#else
	const char *s = getenv("srcdir");

	return s != NULL && *s != '\0' ? s : ".";
#endif
}

/* The whole file, NUL-terminated (it may hold NULs of its own). */
static inline char *
test_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, fp);
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

static inline char *
test_diags_str(const struct conf_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	conf_diags_print(d, fp);
	fclose(fp);
	return buf;
}

static inline char *
test_print(const struct conf *c, int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	conf_print(c, fp, flags);
	fclose(fp);
	return buf;
}

/* Parse a string; *diags (if asked for) gets the messages, to free. */
static inline struct conf *
test_parse(const char *text, char **diags)
{
	struct conf_diags d;
	struct conf *c;

	conf_diags_init(&d);
	c = conf_parse_text("t.conf", text, strlen(text), &d);
	if (diags != NULL)
		*diags = test_diags_str(&d);
	conf_diags_free(&d);
	return c;
}

/*
 * 1 if printing (with secrets) and parsing back gives an equal conf and
 * the same text when printed again.
 */
static inline int
test_round_trip(const struct conf *c)
{
	char *p1 = test_print(c, CONF_PRINT_SECRETS), *p2 = NULL;
	struct conf *c2 = test_parse(p1, NULL);
	int ok = c2 != NULL && conf_equal(c, c2);

	if (c2 != NULL) {
		p2 = test_print(c2, CONF_PRINT_SECRETS);
		ok = ok && strcmp(p1, p2) == 0;
	}
	if (!ok)
		printf("# round trip failed; printed:\n%s", p1);
	conf_free(c2);
	free(p1);
	free(p2);
	return ok;
}

#endif
