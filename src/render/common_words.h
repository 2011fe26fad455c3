/* common_words.h — owns the question "is this capitalised word a common
 * word of the language, or a name?", which hyphenation asks (layout_words.c):
 * Debian's hunspell dictionaries (hunspell-en-gb, -de-de, -fr, -es, -ru)
 * expanded at build time into one set of word forms per language
 * (common_words_tables.h). */
#ifndef MISSIVE_COMMON_WORDS_H
#define MISSIVE_COMMON_WORDS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether word (UTF-8, len bytes, letters only, any case) lower-cased is
 * a word of language's dictionary: outside German one it spells in lower
 * case (a common word, not a name); in German any word of it, or a
 * compound of such words of 3 letters or more (the first of 2 or more),
 * joined directly or by an "s" (Gewerkschafts|komitees, Öl|arbeiter). False for a language without
 * a list and for words of 100 bytes or more. About 0.3% of words not in a dictionary pass (the sets
 * are Bloom filters). */
bool common_words_has(const char *language, const char *word, size_t len);

#endif
