/*
 * test_corpus.c: every file in good/ parses, prints and parses back to an
 * equal conf; every file in bad/ is refused.  Each file lists, in its
 * "! expect:" lines, exactly the diagnostics it must produce, in order.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/tap.h"
#include "tests/unit/conf/util.h"

#define EXPECT "! expect: "

/* The "! expect:" lines of a file, joined as conf_diags_print would. */
static char *
expected(const char *text, size_t len)
{
	char *out = calloc(1, len + 1), *o = out;
	const char *s = text, *end = text + len, *nl;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - s) > strlen(EXPECT) &&
		    memcmp(s, EXPECT, strlen(EXPECT)) == 0) {
			s += strlen(EXPECT);
			memcpy(o, s, (size_t)(nl - s));
			o += nl - s;
			*o++ = '\n';
		}
		s = nl + 1;
	}
	return out;
}

static int
conf_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0;
}

/* Parse one corpus file under its base name; returns the conf or NULL. */
static struct conf *
run_file(const char *dir, const char *name, char **got, char **want)
{
	struct conf_diags d;
	struct conf *c;
	char path[1024], *text;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((text = test_read(path, &len)) == NULL) {
		printf("Bail out! cannot read %s\n", path);
		exit(1);
	}
	conf_diags_init(&d);
	c = conf_parse_text(name, text, len, &d);
	*got = test_diags_str(&d);
	*want = expected(text, len);
	conf_diags_free(&d);
	free(text);
	return c;
}

static int
check_good(const char *dir, const char *name)
{
	char *got, *want;
	struct conf *c = run_file(dir, name, &got, &want);

	ok(c != NULL, "good/%s parses", name);
	is_str(got, want, "good/%s: the expected warnings, no more", name);
	if (c != NULL)
		ok(test_round_trip(c), "good/%s: print, parse back, equal",
		    name);
	conf_free(c);
	free(got);
	free(want);
	return 1;
}

static int
check_bad(const char *dir, const char *name)
{
	char *got, *want;
	struct conf *c = run_file(dir, name, &got, &want);

	ok(c == NULL, "bad/%s is refused", name);
	ok(strstr(want, ": error: ") != NULL, "bad/%s expects an error", name);
	is_str(got, want, "bad/%s: exactly the expected messages", name);
	conf_free(c);
	free(got);
	free(want);
	return 1;
}

static int
run_dir(const char *sub, int (*check)(const char *, const char *))
{
	struct dirent **list;
	char dir[1024];
	int i, n, count = 0;

	snprintf(dir, sizeof(dir), "%s/tests/unit/conf/%s", test_srcdir(), sub);
	if ((n = scandir(dir, &list, conf_file, alphasort)) < 0) {
		printf("Bail out! cannot list %s\n", dir);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		count += check(dir, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return count;
}

static void
check_example(const char *name)
{
	struct conf_diags d;
	struct conf *c;
	char path[1024], *got;

	snprintf(path, sizeof(path), "%s/examples/%s", test_srcdir(), name);
	conf_diags_init(&d);
	c = conf_parse_file(path, &d);
	got = test_diags_str(&d);
	ok(c != NULL, "examples/%s parses", name);
	is_str(got, "", "examples/%s: no warnings", name);
	if (c != NULL)
		ok(test_round_trip(c), "examples/%s: print, parse back, equal",
		    name);
	conf_free(c);
	conf_diags_free(&d);
	free(got);
}

int
main(void)
{
	int ngood, nbad;

	ngood = run_dir("good", check_good);
	nbad = run_dir("bad", check_bad);
	ok(ngood >= 8, "%d good files", ngood);
	ok(nbad >= 40, "%d bad files (40 or more)", nbad);
	check_example("home.conf");
	check_example("jikka.conf");
	return tap_done();
}
