/*
 * suggest.c: "did you mean ...?" for mistyped words, in the configuration
 * and in control commands.  Optimal string
 * alignment distance (insert, delete, substitute, swap two neighbours),
 * because a swapped pair is the commonest typo of all.
 */
#include <string.h>

#include "daemon/suggest.h"

#define SUGGEST_MAXLEN 64

/* The distance, or max + 1 as soon as it is known to exceed max. */
int
suggest_distance(const char *a, const char *b, int max)
{
	int d[3][SUGGEST_MAXLEN + 1];
	int la = (int)strlen(a), lb = (int)strlen(b);
	int i, j, v, rowmin, *pp, *prev, *cur;

	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN || la - lb > max ||
	    lb - la > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		pp = d[(i + 1) % 3]; /* row i - 2 */
		prev = d[(i - 1) % 3];
		cur = d[i % 3];
		cur[0] = rowmin = i;
		for (j = 1; j <= lb; j++) {
			v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
	}
	return d[la % 3][lb];
}

/* How far off a word may be and still get a suggestion. */
static int
suggest_budget(const char *w)
{
	size_t n = strlen(w);

	if (n <= 3)
		return 1;
	if (n <= 6)
		return 2;
	return 3;
}

/* The closest candidate within budget (first one on ties), or NULL. */
const char *
suggest(const char *word, const char *const *cand, size_t n)
{
	return suggest_max(word, cand, n, suggest_budget(word));
}

/* The same within at most max edits. */
const char *
suggest_max(const char *word, const char *const *cand, size_t n, int max)
{
	const char *best = NULL;
	int bestd, dist;
	size_t i;

	bestd = max + 1;
	for (i = 0; i < n; i++) {
		if (cand[i] == NULL || strcmp(cand[i], word) == 0)
			continue;
		dist = suggest_distance(word, cand[i], bestd - 1);
		if (dist < bestd) {
			bestd = dist;
			best = cand[i];
		}
	}
	return best;
}
