/* tmpl_date.h — dates of the date filter formatted from a table of ICU's
 * own patterns and names (built by scripts/date-tables.c), without
 * opening ICU's formatter, for the locales and styles the table holds. */
#ifndef MISSIVE_TMPL_DATE_H
#define MISSIVE_TMPL_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* One locale's patterns (full, long, medium, short, as udat_toPattern
 * gives them) and names (UTF-8; weekdays from Sunday), as ICU has them. */
struct tmpl_date_locale {
    const char *name;
    const char *patterns[4];
    const char *months[12], *short_months[12], *narrow_months[12];
    const char *alone_months[12], *alone_short_months[12], *alone_narrow_months[12];
    const char *weekdays[7], *short_weekdays[7], *narrow_weekdays[7];
};

extern const struct tmpl_date_locale tmpl_date_locales[];
extern const size_t tmpl_date_locale_count;

/* What tmpl_date_format wrote. */
struct tmpl_date_text {
    char text[256];
    size_t len;
    long day_begin, day_end; /* the last day field (d), or -1 */
    long one_end;            /* the end of the last day field written "1", or -1 */
    bool month_words;        /* a run of three or more M or L outside quotes */
    bool shares_month;       /* month in words and a day, no weekday (E, c, e) */
};

/* Writes the Gregorian date (year 1583 to 9999, month 1-12, weekday 0 for
 * Sunday) in locale's style ("full", "long", "medium", "short") or ICU
 * pattern spec exactly as ICU's formatter for them writes it; false (ask
 * ICU) for a locale the table lacks, or a pattern it does not write. */
bool tmpl_date_format(const char *locale, const char *spec, int year, int month, int day,
                      int weekday, struct tmpl_date_text *out);

/* Whether locale is French, whose first of the month is "1er" where the
 * month is in words. */
bool tmpl_date_is_french(const char *locale);

struct tmpl_eval;
struct value;

/* The date filter's text of the date iso (yyyy-mm-dd, checked; date its
 * UDate) in spec, from the table; NULL when the table cannot (ICU then
 * writes it). In ev's arena. */
char *tmpl_date_text(struct tmpl_eval *ev, const char *spec, const char *iso, double date);

/* The dates filter's phrases of list (dates its UDates) in spec, as its
 * ICU path makes them (dates of one month sharing it), from the table;
 * NULL when the table cannot write every date. */
char **tmpl_date_parts(struct tmpl_eval *ev, const char *spec, const struct value *list,
                       const double *dates, size_t *count);

/* How a dates filter writes its phrases: group writes dates i..i+n-1 of one
 * month as one phrase (NULL: each alone), one writes date i (NULL: failed). */
struct tmpl_date_writer {
    char *(*group)(void *context, size_t i, size_t n);
    char *(*one)(void *context, size_t i);
    void *context;
};

/* The phrases of list's dates, those of one month next to each other
 * (their first seven bytes equal) grouped when share; NULL when one fails.
 * The table and ICU write them the same way through this one walk. */
char **tmpl_date_walk(struct tmpl_eval *ev, const struct value *list, bool share,
                      const struct tmpl_date_writer *w, size_t *count);

#endif
