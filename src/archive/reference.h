/* reference.h — owns reference numbers as text: the pattern of
 * missive.ini's [reference] section (`{org}{yy}/{LANG} {series}/{seq}`),
 * the counter's scope, formatting a reference from its parts and parsing a
 * legacy reference back into them. Pure string work: allocation of the
 * numbers themselves is register.h's. */
#ifndef MISSIVE_REFERENCE_H
#define MISSIVE_REFERENCE_H

#include "arena.h"
#include "error.h"

#include <stdbool.h>

/* The default pattern and series when missive.ini names none. */
#define REFERENCE_DEFAULT_PATTERN "{org}{yy}/{LANG} {series}/{seq}"
#define REFERENCE_DEFAULT_SERIES "LT"

/* The parts a reference is made of. Unknown parts are NULL (strings) or -1
 * (numbers). language is lower-case ("en"), country upper-case ("KZ"). */
struct reference_fields {
    const char *org;
    int year; /* four digits; -1 when only yy is known */
    int yy;   /* year % 100 */
    const char *language;
    const char *series;
    const char *country;
    const char *office; /* [missive] office, e.g. "GVA" */
    long seq;
};

/* Empty fields: strings NULL, numbers -1. */
void reference_fields_init(struct reference_fields *fields);

struct reference_pattern;

/* Compiles pattern and scope (NULL or "" = every part of the pattern but
 * {seq}; else a comma-separated list of org, year, language, series,
 * country, office; {office} is always part of the scope when the pattern
 * prints it). Errors point into the values at pattern_loc and scope_loc.
 * The pattern lives in arena. NULL plus errors when either is invalid. */
struct reference_pattern *reference_pattern_compile(struct arena *arena, const char *pattern,
                                                    struct source_loc pattern_loc,
                                                    const char *scope, struct source_loc scope_loc,
                                                    struct errors *errors);

/* Checks that fields give every part the pattern prints (except seq) in a
 * valid form; errors at loc name the part, e.g. "invalid series 'L T'".
 * Returns the number of errors added. */
int reference_check_fields(const struct reference_pattern *pattern,
                           const struct reference_fields *fields, struct source_loc loc,
                           struct errors *errors);

/* The counter scope of fields, e.g. "org=ICEM-IMF;year=11;language=en;series=LT"
 * (parts in that fixed order). In arena. */
char *reference_scope(struct arena *arena, const struct reference_pattern *pattern,
                      const struct reference_fields *fields);

/* The reference of fields with sequence number seq, e.g.
 * "ICEM-IMF11/EN LT/107". In arena. Fields must have passed
 * reference_check_fields. */
char *reference_format(struct arena *arena, const struct reference_pattern *pattern,
                       const struct reference_fields *fields, long seq);

/* Parses text back into its parts (strings in arena). Returns false, with
 * an error at loc saying why, when text does not follow the pattern or is
 * not in the exact form the pattern prints (e.g. a zero-padded "0107"
 * where the pattern says {seq}). */
bool reference_parse(struct arena *arena, const struct reference_pattern *pattern, const char *text,
                     struct source_loc loc, struct reference_fields *out, struct errors *errors);

#endif
