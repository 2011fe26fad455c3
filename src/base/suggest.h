/* suggest.h — owns "did you mean" hints: the candidate closest to a
 * mistyped word, used by every loader so hints read the same everywhere. */
#ifndef MISSIVE_SUGGEST_H
#define MISSIVE_SUGGEST_H

#include <stddef.h>

/* The candidate within edit distance 2 of word (the first of the closest),
 * or NULL when none is that close. Words over 63 bytes get no hint. */
const char *suggest_closest(const char *word, const char *const *candidates, size_t count);

#endif
