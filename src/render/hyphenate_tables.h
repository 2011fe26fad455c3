/* hyphenate_tables.h — the dictionaries scripts/hyphen-tables.c builds
 * into the program: libhyphen's state machine per language, static and
 * read-only (so shared by every thread). */
#ifndef MISSIVE_HYPHENATE_TABLES_H
#define MISSIVE_HYPHENATE_TABLES_H

#include <hyphen.h>
#include <stddef.h>

struct hyphenate_table {
    const char *language; /* "en", "de"... */
    HyphenDict *dict;
};

extern const struct hyphenate_table hyphenate_tables[];
extern const size_t hyphenate_table_count;

#endif
