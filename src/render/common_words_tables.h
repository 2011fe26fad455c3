/* common_words_tables.h — the word lists scripts/common-words.py builds
 * into the program from Debian's hunspell dictionaries: per language a
 * Bloom filter of lowercase word forms, as read-only data without
 * pointers, so that no dictionary is read or loaded at run time and a
 * page of it is read only when a word of its language is looked up. */
#ifndef MISSIVE_COMMON_WORDS_TABLES_H
#define MISSIVE_COMMON_WORDS_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct common_words_table {
    const char *language; /* "en", "de"... */
    uint64_t bit_count;   /* of the filter; bits[bit / 64] >> bit % 64 */
    int probes;           /* bits set per word */
    int least;            /* letters of the shortest word kept */
    bool any_case;        /* forms of any case kept (German nouns), else lowercase only */
    const uint64_t *bits;
};

extern const struct common_words_table common_words_tables[];
extern const size_t common_words_table_count;

#endif
