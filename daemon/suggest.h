/*
 * suggest.h: "did you mean ...?" for a mistyped word: the closest of a
 * list of candidates within an edit budget that grows with the word.
 */
#ifndef TSUNAGI_SUGGEST_H
#define TSUNAGI_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance, or max + 1 once it exceeds max. */
int suggest_distance(const char *a, const char *b, int max);
/* The closest candidate (first on ties) within budget, or NULL. */
const char *suggest(const char *word, const char *const *cand, size_t n);
/* The same within at most max edits. */
const char *suggest_max(
    const char *word, const char *const *cand, size_t n, int max);

#endif
