/* codes.h — owns checking ISO codes against ICU's own lists: countries
 * (ISO 3166 alpha-2, upper case: "KZ") and languages (ISO 639, lower
 * case: "kk"), singly or as lists written in one attribute or value. A code
 * in the wrong case is an error that gives the fix. */
#ifndef MISSIVE_CODES_H
#define MISSIVE_CODES_H

#include "arena.h"
#include "error.h"
#include "value.h"

#include <stdbool.h>

/* true when code is a known country (or language) code; otherwise an
 * error at loc: "country code 'kz' must be upper-case ('KZ')", "unknown
 * country code 'XX' (expected an ISO 3166 alpha-2 code such as 'KZ')". */
bool codes_check_country(const char *code, struct source_loc loc, struct errors *errors);
bool codes_check_language(const char *code, struct source_loc loc, struct errors *errors);

/* The country codes of text, separated by spaces ("KZ RU"; "!KZ" excludes
 * KZ), as a list of strings in arena; NULL after an error at loc for each
 * bad code, or when text holds none ("empty 'countries'" naming what). */
struct value *codes_countries(struct arena *arena, const char *text, struct source_loc loc,
                              const char *what, struct errors *errors);
/* true when list (of strings) holds code. */
bool codes_has(const struct value *list, const char *code);
/* The names of text separated by spaces ("embassies !g20"), as a list;
 * NULL after an error at loc when there is none. */
struct value *codes_names(struct arena *arena, const char *text, struct source_loc loc,
                          const char *what, struct errors *errors);
/* Whether item passes limit: not excluded ("!X"), and listed when limit
 * lists any item without '!'. NULL limit passes everything. */
bool codes_match(const struct value *limit, const char *item);
/* The same for something with several items (a recipient's groups): one
 * listed item admits, one excluded item refuses. */
bool codes_match_any(const struct value *limit, const struct value *items);

#endif
