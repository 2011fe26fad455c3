/* hyphenate.h — owns hyphenation points: libhyphen's with Debian's
 * dictionaries (hyphen-en-gb, hyphen-de, hyphen-fr, hyphen-es, hyphen-ru),
 * compiled into the program as libhyphen's own state machines
 * (scripts/hyphen-tables.c) and walked as libhyphen walks them, so no
 * dictionary is loaded or read at run time and every thread shares them.
 * Kazakh has no dictionary. What counts as a word to hyphenate is the
 * caller's choice (layout.c). */
#ifndef MISSIVE_HYPHENATE_H
#define MISSIVE_HYPHENATE_H

#include <stdbool.h>
#include <stddef.h>

/* Fewest letters kept before and after a hyphen. */
enum { HYPHENATE_LEFT_MIN = 2, HYPHENATE_RIGHT_MIN = 3 };

/* Whether words of language (an ISO 639 code, "en") can be hyphenated. */
bool hyphenate_has(const char *language);

/* Sets points[i] for every byte offset i of word (UTF-8, len bytes, made
 * of letters in any case) where it may be broken with a hyphen, keeping
 * HYPHENATE_LEFT_MIN letters before and HYPHENATE_RIGHT_MIN after; clears
 * the others (points has len + 1 entries). Returns the number of points;
 * 0 for a language without a dictionary or a word over 100 bytes. */
size_t hyphenate_word(const char *language, const char *word, size_t len, bool *points);

/* Tests only: libhyphen itself, its structures made whole at first use,
 * the reference the walk over the tables (hyphenate.c) must agree with. */
extern bool hyphenate_whole;

#endif
