/* hyphenate_tables.h — the dictionaries scripts/hyphen-tables.c builds
 * into the program: libhyphen's state machine per language, as read-only
 * data without pointers (strings and transitions named by offset), so
 * that the loader relocates nothing of it and a page of it is read only
 * when a letter in its language is hyphenated. hyphenate.c makes
 * libhyphen's own structures from a language's tables on first use. */
#ifndef MISSIVE_HYPHENATE_TABLES_H
#define MISSIVE_HYPHENATE_TABLES_H

#include <hyphen.h>
#include <stddef.h>

/* One state: match and repl are offsets into the level's strings (-1:
 * none), trans the first of its num_trans transitions. */
struct hyphenate_state {
    int match, repl;
    signed char replindex, replcut;
    int fallback_state, num_trans, trans;
};

/* One level of a dictionary (compound words have two). */
struct hyphenate_level {
    char lhmin, rhmin, clhmin, crhmin;
    int nohyphen; /* offset into strings of nohyphenl + 1 NUL-separated sequences, or -1 */
    int nohyphenl, num_states, utf8;
    const struct hyphenate_state *states;
    const HyphenTrans *trans;
    const char *strings;
    int has_repl; /* some state has a replacement (non-standard hyphenation) */
};

struct hyphenate_table {
    const char *language; /* "en", "de"... */
    const struct hyphenate_level *levels;
    int level_count;
};

extern const struct hyphenate_table hyphenate_tables[];
extern const size_t hyphenate_table_count;

#endif
