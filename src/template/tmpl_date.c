/* tmpl_date.c — a date written from ICU's own patterns and names, kept
 * in tmpl_date_locales (scripts/date-tables.c), without opening ICU's
 * formatter: a one-letter process opened one formatter for its single
 * date, 1.1 M of its 25 M instructions (issue 17). The pattern language
 * is ICU's (SimpleDateFormat): runs of a letter are fields, text in
 * single quotes and every other character literal, '' a quote. Only the
 * fields d, M, L, y and E are written here; any other sends the date to
 * ICU. test_tmpl compares every locale and style with ICU's formatter. */
#include "tmpl_date.h"

#include "tmpl_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const style_names[4] = {"full", "long", "medium", "short"};

static const struct tmpl_date_locale *find_locale(const char *name)
{
    for (size_t i = 0; i < tmpl_date_locale_count; i++)
        if (strcmp(tmpl_date_locales[i].name, name) == 0)
            return &tmpl_date_locales[i];
    return NULL;
}

static bool put(struct tmpl_date_text *out, const char *s, size_t n)
{
    if (out->len + n >= sizeof out->text)
        return false;
    memcpy(out->text + out->len, s, n);
    out->len += n;
    out->text[out->len] = '\0';
    return true;
}

/* value in decimal, zero-padded to width digits. */
static bool put_number(struct tmpl_date_text *out, int value, int width)
{
    char digits[16];
    int n = snprintf(digits, sizeof digits, "%0*d", width, value);
    return n > 0 && (size_t)n < sizeof digits && put(out, digits, (size_t)n);
}

static bool put_name(struct tmpl_date_text *out, const char *name)
{
    return put(out, name, strlen(name));
}

/* One field: count times the letter c. */
static bool put_field(struct tmpl_date_text *out, const struct tmpl_date_locale *l, char c,
                      int count, int year, int month, int day, int weekday)
{
    switch (c) {
    case 'd':
        out->day_begin = (long)out->len;
        if (!put_number(out, day, count))
            return false;
        out->day_end = (long)out->len;
        if (out->day_end - out->day_begin == 1 && day == 1)
            out->one_end = out->day_end;
        return true;
    case 'M':
    case 'L': {
        bool alone = c == 'L';
        if (count <= 2)
            return put_number(out, month, count);
        if (count == 3)
            return put_name(out, (alone ? l->alone_short_months : l->short_months)[month - 1]);
        if (count == 4)
            return put_name(out, (alone ? l->alone_months : l->months)[month - 1]);
        return count == 5 &&
               put_name(out, (alone ? l->alone_narrow_months : l->narrow_months)[month - 1]);
    }
    case 'y':
        return count == 2 ? put_number(out, year % 100, 2) : put_number(out, year, count);
    case 'E':
        if (count <= 3)
            return put_name(out, l->short_weekdays[weekday]);
        if (count == 4)
            return put_name(out, l->weekdays[weekday]);
        return count == 5 && put_name(out, l->narrow_weekdays[weekday]);
    default:
        return false;
    }
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* What tmpl_filter.c reads of a pattern through ICU's udat_toPattern:
 * first_is_ordinal's month in words and pattern_shares_month's test. */
static void read_pattern(const char *p, struct tmpl_date_text *out)
{
    bool quoted = false, day = false, weekday = false;
    int run = 0, longest = 0;
    for (; *p; p++) {
        if (*p == '\'') {
            quoted = !quoted;
            run = 0;
            continue;
        }
        if (quoted)
            continue;
        run = *p == 'M' || *p == 'L' ? run + 1 : 0;
        longest = run > longest ? run : longest;
        day = day || *p == 'd';
        weekday = weekday || *p == 'E' || *p == 'c' || *p == 'e';
    }
    out->month_words = longest >= 3;
    out->shares_month = day && longest >= 3 && !weekday;
}

bool tmpl_date_format(const char *locale, const char *spec, int year, int month, int day,
                      int weekday, struct tmpl_date_text *out)
{
    const struct tmpl_date_locale *l = find_locale(locale);
    if (!l || year < 1583 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
        weekday < 0 || weekday > 6)
        return false;
    const char *p = spec;
    for (int s = 0; s < 4; s++)
        if (strcmp(style_names[s], spec) == 0)
            p = l->patterns[s];
    out->len = 0;
    out->text[0] = '\0';
    out->day_begin = out->day_end = out->one_end = -1;
    read_pattern(p, out);
    bool quoted = false;
    while (*p) {
        if (*p == '\'') {
            if (p[1] == '\'') {
                if (!put(out, "'", 1))
                    return false;
                p += 2;
            } else {
                quoted = !quoted;
                p++;
            }
        } else if (!quoted && is_letter(*p)) {
            int count = 1;
            while (p[count] == *p)
                count++;
            if (!put_field(out, l, *p, count, year, month, day, weekday))
                return false;
            p += count;
        } else {
            if (!put(out, p, 1))
                return false;
            p++;
        }
    }
    /* An open quote, or nothing written: ICU says what it makes of it. */
    return !quoted && out->len > 0;
}

bool tmpl_date_is_french(const char *locale)
{
    return strncmp(locale, "fr", 2) == 0 && (!locale[2] || locale[2] == '_' || locale[2] == '-');
}

/* The date iso (checked, so yyyy-mm-dd; date its UDate) written by
 * tmpl_date's table in spec, into t; false when the table cannot (ICU then
 * formats). */
static bool table_format(struct tmpl_eval *ev, const char *spec, const char *iso, double date,
                         struct tmpl_date_text *t)
{
    long days = (long)floor(date / 86400000.0);
    int weekday = (int)(((days + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    return tmpl_date_format(ev->locale, spec, atoi(iso), atoi(iso + 5), atoi(iso + 8), weekday, t);
}

/* format_date's text from the table: a French first of the month written
 * "1er" where the month is in words. */
char *tmpl_date_text(struct tmpl_eval *ev, const char *spec, const char *iso, double date)
{
    struct tmpl_date_text t;
    if (!table_format(ev, spec, iso, date, &t))
        return NULL;
    if (t.one_end >= 0 && t.month_words && tmpl_date_is_french(ev->locale) &&
        t.len + 2 < sizeof t.text) {
        memmove(t.text + t.one_end + 2, t.text + t.one_end, t.len - (size_t)t.one_end + 1);
        memcpy(t.text + t.one_end, "er", 2);
        t.len += 2;
    }
    return arena_strndup(ev->arena, t.text, t.len);
}

/* The table's text of format_month_group's phrase; NULL when the table
 * cannot write one of the dates or the pattern shows no day. */
static char *table_month_group(struct tmpl_eval *ev, const char *spec,
                               const struct value *const *items, const double *dates, size_t count)
{
    struct tmpl_date_text last, t;
    if (!table_format(ev, spec, items[count - 1]->string, dates[count - 1], &last) ||
        last.day_begin < 0)
        return NULL;
    bool dotted = (size_t)last.day_end < last.len && last.text[last.day_end] == '.';
    bool ordinal = last.month_words && tmpl_date_is_french(ev->locale);
    char **days = arena_alloc(ev->arena, count * sizeof *days);
    for (size_t i = 0; i < count; i++) {
        if (!table_format(ev, spec, items[i]->string, dates[i], &t) || t.day_begin < 0)
            return NULL;
        const char *day = t.text + t.day_begin;
        size_t n = (size_t)(t.day_end - t.day_begin);
        bool first = n == 1 && day[0] == '1' && ordinal;
        days[i] = arena_printf(ev->arena, "%.*s%s%s", (int)n, day, first ? "er" : "",
                               dotted && i + 1 < count ? "." : "");
    }
    char *list = tmpl_list_join(ev, days, count);
    return list ? arena_printf(ev->arena, "%.*s%s%s", (int)last.day_begin, last.text, list,
                               last.text + last.day_end)
                : NULL;
}

char **tmpl_date_walk(struct tmpl_eval *ev, const struct value *list, bool share,
                      const struct tmpl_date_writer *w, size_t *count)
{
    char **parts = arena_alloc(ev->arena, list->count * sizeof *parts);
    *count = 0;
    for (size_t i = 0; i < list->count;) {
        size_t n = 1;
        while (share && i + n < list->count &&
               strncmp(list->items[i]->string, list->items[i + n]->string, 7) == 0)
            n++;
        char *part = n > 1 ? w->group(w->context, i, n) : NULL;
        if (part) {
            parts[(*count)++] = part;
        } else {
            for (size_t k = 0; k < n; k++)
                if (!(parts[(*count)++] = w->one(w->context, i + k)))
                    return NULL;
        }
        i += n;
    }
    return parts;
}

struct table_dates {
    struct tmpl_eval *ev;
    const char *spec;
    const struct value *list;
    const double *dates;
};

static char *table_group(void *context, size_t i, size_t n)
{
    struct table_dates *d = context;
    return table_month_group(d->ev, d->spec, (const struct value *const *)d->list->items + i,
                             d->dates + i, n);
}

static char *table_one(void *context, size_t i)
{
    struct table_dates *d = context;
    return tmpl_date_text(d->ev, d->spec, d->list->items[i]->string, d->dates[i]);
}

/* format_date_parts from the table; NULL when the table cannot write
 * every date (ICU then writes them all). */
char **tmpl_date_parts(struct tmpl_eval *ev, const char *spec, const struct value *list,
                       const double *dates, size_t *count)
{
    struct tmpl_date_text t;
    if (!table_format(ev, spec, list->items[0]->string, dates[0], &t))
        return NULL;
    struct table_dates d = {ev, spec, list, dates};
    struct tmpl_date_writer w = {table_group, table_one, &d};
    return tmpl_date_walk(ev, list, t.shares_month, &w, count);
}
