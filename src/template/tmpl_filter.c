/* tmpl_filter.c — owns the template filters. Dates, lists of dates and
 * case mapping go through ICU in the letter's locale, so month names,
 * the word joining a list ("and", "et", "und", "y", "и") and special
 * casing rules come from CLDR rather than from tables of our own. */
#include "tmpl_internal.h"

#include "buffer.h"
#include "caches.h"
#include "suggest.h"
#include "tmpl_date.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ufieldpositer.h>
#include <unicode/ulistformatter.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

enum arity { ARG_NONE, ARG_OPTIONAL, ARG_REQUIRED };

/* Indexed by enum tmpl_filter_id. */
static const char *const filter_names[] = {
    [FILTER_DATE] = "date",       [FILTER_DATES] = "dates",   [FILTER_UPPER] = "upper",
    [FILTER_LOWER] = "lower",     [FILTER_JOIN] = "join",     [FILTER_COUNT] = "count",
    [FILTER_DEFAULT] = "default", [FILTER_MAP] = "map",       [FILTER_FIRST] = "first",
    [FILTER_LAST] = "last",       [FILTER_NUMBER] = "number", [FILTER_TAKE] = "take",
    [FILTER_SKIP] = "skip",
};

static const struct {
    enum arity arity;
    const char *example; /* shown when a required argument is missing */
} filter_info[] = {
    [FILTER_DATE] = {ARG_OPTIONAL, NULL},
    [FILTER_DATES] = {ARG_OPTIONAL, NULL},
    [FILTER_UPPER] = {ARG_NONE, NULL},
    [FILTER_LOWER] = {ARG_NONE, NULL},
    [FILTER_JOIN] = {ARG_OPTIONAL, NULL},
    [FILTER_COUNT] = {ARG_NONE, NULL},
    [FILTER_DEFAULT] = {ARG_REQUIRED, "default:'text'"},
    [FILTER_MAP] = {ARG_REQUIRED, "map:name"},
    [FILTER_FIRST] = {ARG_NONE, NULL},
    [FILTER_LAST] = {ARG_NONE, NULL},
    [FILTER_NUMBER] = {ARG_NONE, NULL},
    [FILTER_TAKE] = {ARG_REQUIRED, "take:40"},
    [FILTER_SKIP] = {ARG_REQUIRED, "skip:40"},
};

enum { FILTER_TOTAL = sizeof filter_names / sizeof filter_names[0] };

bool tmpl_filter_find(const char *name, enum tmpl_filter_id *id)
{
    for (size_t i = 0; i < FILTER_TOTAL; i++) {
        if (strcmp(filter_names[i], name) == 0) {
            *id = (enum tmpl_filter_id)i;
            return true;
        }
    }
    return false;
}

const char *const *tmpl_filter_names(size_t *count)
{
    *count = FILTER_TOTAL;
    return filter_names;
}

const char *tmpl_filter_check_arg(struct arena *arena, enum tmpl_filter_id id, const char *arg)
{
    if (filter_info[id].arity == ARG_NONE && arg)
        return arena_printf(arena, "filter '%s' takes no argument", filter_names[id]);
    if (filter_info[id].arity == ARG_REQUIRED && !arg)
        return arena_printf(arena, "filter '%s' needs an argument, as in %s", filter_names[id],
                            filter_info[id].example);
    if ((id == FILTER_TAKE || id == FILTER_SKIP) &&
        (!arg[0] || strspn(arg, "0123456789") != strlen(arg) || strlen(arg) > 9))
        return arena_printf(arena,
                            "filter '%s' needs a count of items in digits, as in %s, not '%s'",
                            filter_names[id], filter_info[id].example, arg);
    return NULL;
}

/* ---- UTF-8 <-> UTF-16 for ICU ------------------------------------------ */

static UChar *to_utf16(struct arena *arena, const char *s, int32_t *len)
{
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(NULL, 0, len, s, -1, &status);
    UChar *out = arena_alloc(arena, ((size_t)*len + 1) * sizeof *out);
    status = U_ZERO_ERROR;
    u_strFromUTF8(out, *len + 1, NULL, s, -1, &status);
    return U_SUCCESS(status) ? out : NULL;
}

static char *to_utf8(struct arena *arena, const UChar *s, int32_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;
    u_strToUTF8(NULL, 0, &n, s, len, &status);
    char *out = arena_alloc(arena, (size_t)n + 1);
    status = U_ZERO_ERROR;
    u_strToUTF8(out, n + 1, NULL, s, len, &status);
    return U_SUCCESS(status) ? out : NULL;
}

static const UChar utc_zone[] = {'U', 'T', 'C', 0};

/* ---- dates ------------------------------------------------------------- */

/* yyyy-mm-dd naming a real day; the calendar check is ICU's (non-lenient). */
static bool parse_iso_date(const char *s, UDate *date)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (year > 1582) {
        /* Wholly Gregorian (ICU's calendar is Julian before October
         * 1582): the same answer as ICU's without opening a calendar
         * per date, 3% of a campaign letter. */
        static const int days_in[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (month < 1 || month > 12 || day < 1 || day > days_in[month - 1] + (month == 2 && leap))
            return false;
        /* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400, yoe = y - era * 400;
        int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        *date = ((double)era * 146097 + doe - 719468) * 86400000.0;
        return true;
    }
    UErrorCode status = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(utc_zone, -1, "en_US_POSIX", UCAL_GREGORIAN, &status);
    if (U_FAILURE(status))
        return false;
    ucal_setAttribute(cal, UCAL_LENIENT, 0);
    ucal_clear(cal);
    ucal_setDate(cal, year, month - 1, day, &status);
    *date = ucal_getMillis(cal, &status);
    ucal_close(cal);
    return U_SUCCESS(status) && month >= 1;
}

static int date_style(const char *name)
{
    static const struct {
        const char *name;
        UDateFormatStyle style;
    } styles[] = {
        {"full", UDAT_FULL}, {"long", UDAT_LONG}, {"medium", UDAT_MEDIUM}, {"short", UDAT_SHORT}};
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
        if (strcmp(styles[i].name, name) == 0)
            return (int)styles[i].style;
    return -1;
}

/* A formatter for a style name ('long') or an ICU pattern ('MMMM d'). */
static UDateFormat *open_format(struct arena *arena, const char *locale, const char *spec)
{
    UErrorCode status = U_ZERO_ERROR;
    int style = date_style(spec);
    UDateFormat *fmt;
    if (style >= 0) {
        fmt =
            udat_open(UDAT_NONE, (UDateFormatStyle)style, locale, utc_zone, -1, NULL, -1, &status);
    } else {
        int32_t len;
        UChar *pattern = to_utf16(arena, spec, &len);
        if (!pattern)
            return NULL;
        fmt = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, utc_zone, -1, pattern, len, &status);
    }
    if (U_FAILURE(status)) {
        if (fmt)
            udat_close(fmt);
        return NULL;
    }
    return fmt;
}

/* Opening a formatter loads its locale's patterns and names, which costs
 * more than the rest of a letter's merge; so formatters are kept, a few per
 * process, by locale and spec, and lent to one caller at a time. */
#define SPARE_FORMATS 16
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char key[96];     /* "locale\nspec"; "" for a free slot */
    UDateFormat *fmt; /* NULL while lent out */
} spare_formats[SPARE_FORMATS];

/* The formatter for locale and spec: a kept one, or open_format's. */
static UDateFormat *take_format(struct arena *arena, const char *locale, const char *spec)
{
    char key[96];
    UDateFormat *fmt = NULL;
    if (caches_on() && (size_t)snprintf(key, sizeof key, "%s\n%s", locale, spec) < sizeof key) {
        pthread_mutex_lock(&spare_lock);
        for (size_t i = 0; !fmt && i < SPARE_FORMATS; i++)
            if (spare_formats[i].fmt && strcmp(spare_formats[i].key, key) == 0) {
                fmt = spare_formats[i].fmt;
                spare_formats[i].fmt = NULL;
            }
        pthread_mutex_unlock(&spare_lock);
    }
    return fmt ? fmt : open_format(arena, locale, spec);
}

/* Keeps fmt for the next caller with the same locale and spec, or closes it. */
static void give_format(const char *locale, const char *spec, UDateFormat *fmt)
{
    char key[96];
    size_t slot = SPARE_FORMATS;
    if (caches_on() && (size_t)snprintf(key, sizeof key, "%s\n%s", locale, spec) < sizeof key) {
        pthread_mutex_lock(&spare_lock);
        for (size_t i = 0; i < SPARE_FORMATS; i++) {
            bool free_slot = !spare_formats[i].fmt && !spare_formats[i].key[0];
            bool own_slot = !spare_formats[i].fmt && strcmp(spare_formats[i].key, key) == 0;
            if (own_slot || (free_slot && slot == SPARE_FORMATS))
                slot = i;
            if (own_slot)
                break;
        }
        if (slot < SPARE_FORMATS) {
            strcpy(spare_formats[slot].key, key);
            spare_formats[slot].fmt = fmt;
            fmt = NULL;
        }
        pthread_mutex_unlock(&spare_lock);
    }
    if (fmt)
        udat_close(fmt);
}

/* Whether dates of locale write the first of the month as an ordinal:
 * French does ("1er septembre", "jeudi 1er septembre"; Le Ramat,
 * Imprimerie nationale), when the month is in words — never in numeric
 * dates ("01/09/2011"). Spanish, German and the others keep the number
 * ("1 de septiembre", "1. September"). */
static bool first_is_ordinal(const char *locale, UDateFormat *fmt)
{
    if (!tmpl_date_is_french(locale))
        return false;
    UChar pattern[256];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = udat_toPattern(fmt, false, pattern, 256, &status);
    bool quoted = false;
    int run = 0;
    for (int32_t i = 0; U_SUCCESS(status) && i < len; i++) {
        if (pattern[i] == '\'')
            quoted = !quoted;
        run = !quoted && (pattern[i] == 'M' || pattern[i] == 'L') ? run + 1 : 0;
        if (run >= 3)
            return true;
    }
    return false;
}

/* The day of the month as fmt writes it into day (at most 60 UTF-16
 * units), with "er" after a French first; its length. */
static int32_t day_text(const char *locale, UDateFormat *fmt, UDate date, UChar *day)
{
    UChar text[256];
    UErrorCode status = U_ZERO_ERROR;
    UFieldPositionIterator *it = ufieldpositer_open(&status);
    udat_formatForFields(fmt, date, text, 256, it, &status);
    int32_t len = 0, field, b, e;
    while (U_SUCCESS(status) && (field = ufieldpositer_next(it, &b, &e)) >= 0)
        if (field == UDAT_DATE_FIELD && e - b < 60) {
            memcpy(day, text + b, (size_t)(e - b) * sizeof *day);
            len = e - b;
        }
    ufieldpositer_close(it);
    if (len == 1 && day[0] == '1' && first_is_ordinal(locale, fmt)) {
        day[len++] = 'e';
        day[len++] = 'r';
    }
    return len;
}

static char *format_date(struct tmpl_eval *ev, UDateFormat *fmt, UDate date)
{
    UChar buf[256];
    UErrorCode status = U_ZERO_ERROR;
    UFieldPositionIterator *fields = ufieldpositer_open(&status);
    int32_t len = udat_formatForFields(fmt, date, buf, 254, fields, &status);
    int32_t field, b, e, day_end = -1;
    while (U_SUCCESS(status) && (field = ufieldpositer_next(fields, &b, &e)) >= 0)
        if (field == UDAT_DATE_FIELD && e - b == 1 && buf[b] == '1')
            day_end = e;
    ufieldpositer_close(fields);
    if (U_FAILURE(status))
        return NULL;
    if (day_end >= 0 && len + 2 < 256 && first_is_ordinal(ev->locale, fmt)) {
        memmove(buf + day_end + 2, buf + day_end, (size_t)(len - day_end) * sizeof *buf);
        buf[day_end] = 'e';
        buf[day_end + 1] = 'r';
        len += 2;
    }
    return to_utf8(ev->arena, buf, len);
}

static bool check_date(struct tmpl_eval *ev, const struct value *v, struct source_loc loc,
                       UDate *date)
{
    if (parse_iso_date(v->string, date))
        return true;
    errors_add(ev->errors, loc, "invalid date '%s' (expected a real day as yyyy-mm-dd)", v->string);
    return false;
}

/* The memo's key of a date filter: its name, locale, format and dates,
 * each with its NUL (which none of them holds). */
static void memo_key(struct buffer *key, const char *filter, const char *locale, const char *spec,
                     const struct value *const *dates, size_t count)
{
    const char *parts[] = {filter, locale, spec};
    for (size_t i = 0; i < 3; i++)
        buffer_append(key, parts[i], strlen(parts[i]) + 1);
    for (size_t i = 0; i < count; i++)
        buffer_append(key, dates[i]->string, strlen(dates[i]->string) + 1);
}

static const struct value *filter_date(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                       const struct value *in, struct source_loc loc)
{
    UDate date;
    if (!check_date(ev, in, loc, &date))
        return NULL;
    const char *spec = f->arg ? f->arg : "long";
    struct buffer key = {0};
    memo_key(&key, "date", ev->locale, spec, &in, 1);
    const char *kept = tmpl_memo_find(ev->arena, key.data, key.len);
    if (kept) {
        buffer_free(&key);
        return value_string(ev->arena, kept, in->loc.file ? in->loc : loc);
    }
    char *text = tmpl_date_text(ev, spec, in->string, date);
    if (!text) {
        UDateFormat *fmt = take_format(ev->arena, ev->locale, spec);
        if (!fmt) {
            errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec,
                       ev->locale);
            buffer_free(&key);
            return NULL;
        }
        text = format_date(ev, fmt, date);
        give_format(ev->locale, spec, fmt);
    }
    /* ICU accepts some broken patterns (a lone quote) and prints nothing. */
    if (!text || !text[0]) {
        buffer_free(&key);
        errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec, ev->locale);
        return NULL;
    }
    tmpl_memo_keep(key.data, key.len, text);
    buffer_free(&key);
    return value_string(ev->arena, text ? text : "", in->loc.file ? in->loc : loc);
}

/* "a, b and c" in the locale's words, by ICU's list formatter. */
char *tmpl_list_join(struct tmpl_eval *ev, char **parts, size_t count)
{
    UErrorCode status = U_ZERO_ERROR;
    UListFormatter *lf = ulistfmt_open(ev->locale, &status);
    if (U_FAILURE(status))
        return NULL;
    const UChar **strings = arena_alloc(ev->arena, (count + 1) * sizeof *strings);
    int32_t *lengths = arena_alloc(ev->arena, (count + 1) * sizeof *lengths);
    for (size_t i = 0; i < count; i++)
        strings[i] = to_utf16(ev->arena, parts[i], &lengths[i]);
    int32_t len = ulistfmt_format(lf, strings, lengths, (int32_t)count, NULL, 0, &status);
    status = U_ZERO_ERROR;
    UChar *out = arena_alloc(ev->arena, ((size_t)len + 1) * sizeof *out);
    ulistfmt_format(lf, strings, lengths, (int32_t)count, out, len + 1, &status);
    ulistfmt_close(lf);
    return U_SUCCESS(status) ? to_utf8(ev->arena, out, len) : NULL;
}

/* Whether dates in one month may share their month: the pattern must name
 * the month in words (MMM, MMMM, LLL...) and show the day, and must not
 * show a weekday (each date would need its own). Numeric and weekday
 * patterns print every date in full. */
static bool pattern_shares_month(const UChar *pattern, int32_t len)
{
    bool quoted = false, day = false, weekday = false;
    int month_run = 0, longest_month = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar c = pattern[i];
        if (c == '\'') {
            quoted = !quoted;
            month_run = 0;
            continue;
        }
        if (quoted)
            continue;
        month_run = (c == 'M' || c == 'L') ? month_run + 1 : 0;
        if (month_run > longest_month)
            longest_month = month_run;
        day = day || c == 'd';
        weekday = weekday || c == 'E' || c == 'c' || c == 'e';
    }
    return day && longest_month >= 3 && !weekday;
}

/* The dates of one month in one phrase: the last date formatted in full
 * with its day field replaced by all the group's days in a list, so every
 * locale's order and punctuation is kept ("July 8 and 10", "8 and 10 July
 * 2011", "8. und 10. Juli 2011", "2011 ж. 8 және 10 шілде"). */
static char *format_month_group(struct tmpl_eval *ev, UDateFormat *full, const UDate *dates,
                                size_t count)
{
    UChar text[256];
    UErrorCode status = U_ZERO_ERROR;
    UFieldPositionIterator *fields = ufieldpositer_open(&status);
    int32_t len = udat_formatForFields(full, dates[count - 1], text, 256, fields, &status);
    int32_t begin = -1, end = -1, field, b, e;
    while (U_SUCCESS(status) && (field = ufieldpositer_next(fields, &b, &e)) >= 0)
        if (field == UDAT_DATE_FIELD) {
            begin = b;
            end = e;
        }
    ufieldpositer_close(fields);
    if (U_FAILURE(status) || begin < 0)
        return NULL;
    /* A day written with a following dot ("10. Juli") keeps the dot on
     * every day of the list ("8. und 10."). */
    bool dotted = end < len && text[end] == '.';
    char **days = arena_alloc(ev->arena, count * sizeof *days);
    for (size_t i = 0; i < count; i++) {
        UChar day[64];
        int32_t day_len = day_text(ev->locale, full, dates[i], day);
        if (dotted && i + 1 < count)
            day[day_len++] = '.';
        days[i] = to_utf8(ev->arena, day, day_len);
    }
    char *list = tmpl_list_join(ev, days, count);
    char *prefix = to_utf8(ev->arena, text, begin);
    char *suffix = to_utf8(ev->arena, text + end, len - end);
    return list ? arena_printf(ev->arena, "%s%s%s", prefix, list, suffix) : NULL;
}

struct icu_dates {
    struct tmpl_eval *ev;
    UDateFormat *full;
    const UDate *dates;
};

static char *icu_group(void *context, size_t i, size_t n)
{
    struct icu_dates *d = context;
    return format_month_group(d->ev, d->full, d->dates + i, n);
}

static char *icu_one(void *context, size_t i)
{
    struct icu_dates *d = context;
    return format_date(d->ev, d->full, d->dates[i]);
}

/* Each date as a phrase of its own, except that dates of the same month
 * next to each other share one phrase when the pattern allows; NULL when
 * ICU cannot write one. */
static char **format_date_parts(struct tmpl_eval *ev, UDateFormat *full, const struct value *list,
                                const UDate *dates, size_t *count)
{
    UChar pattern[256];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = udat_toPattern(full, false, pattern, 256, &status);
    bool share = U_SUCCESS(status) && pattern_shares_month(pattern, len);
    struct icu_dates d = {ev, full, dates};
    struct tmpl_date_writer w = {icu_group, icu_one, &d};
    return tmpl_date_walk(ev, list, share, &w, count);
}

static const struct value *filter_dates(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                        const struct value *list, struct source_loc loc)
{
    if (list->count == 0)
        return value_string(ev->arena, "", list->loc.file ? list->loc : loc);
    UDate *dates = arena_alloc(ev->arena, list->count * sizeof *dates);
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i]->kind != VALUE_STRING) {
            errors_add(ev->errors, loc,
                       "filter 'dates' needs a list of dates, but item %zu of "
                       "'%s' is a %s",
                       i + 1, f->input, value_kind_name(list->items[i]->kind));
            return NULL;
        }
        if (!check_date(ev, list->items[i], loc, &dates[i]))
            return NULL;
    }
    const char *spec = f->arg ? f->arg : "long";
    struct buffer key = {0};
    memo_key(&key, "dates", ev->locale, spec, (const struct value *const *)list->items,
             list->count);
    const char *kept = tmpl_memo_find(ev->arena, key.data, key.len);
    if (kept) {
        buffer_free(&key);
        return value_string(ev->arena, kept, list->loc.file ? list->loc : loc);
    }
    size_t count;
    char **parts = tmpl_date_parts(ev, spec, list, dates, &count);
    if (!parts) {
        UDateFormat *full = take_format(ev->arena, ev->locale, spec);
        if (!full) {
            buffer_free(&key);
            errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec,
                       ev->locale);
            return NULL;
        }
        parts = format_date_parts(ev, full, list, dates, &count);
        give_format(ev->locale, spec, full);
    }
    bool written = parts != NULL;
    for (size_t i = 0; written && i < count; i++)
        written = parts[i][0] != '\0';
    if (!written) {
        buffer_free(&key);
        errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec, ev->locale);
        return NULL;
    }
    char *text = tmpl_list_join(ev, parts, count);
    if (text)
        tmpl_memo_keep(key.data, key.len, text);
    buffer_free(&key);
    return value_string(ev->arena, text ? text : "", list->loc.file ? list->loc : loc);
}

/* ---- strings and lists ------------------------------------------------- */

static const struct value *filter_case(struct tmpl_eval *ev, const struct value *in, bool upper,
                                       struct source_loc loc)
{
    int32_t len;
    UChar *src = to_utf16(ev->arena, in->string, &len);
    if (!src) {
        errors_add(ev->errors, loc, "'%s' is not valid UTF-8", in->string);
        return NULL;
    }
    UErrorCode status = U_ZERO_ERROR;
    int32_t (*map)(UChar *, int32_t, const UChar *, int32_t, const char *, UErrorCode *) =
        upper ? u_strToUpper : u_strToLower;
    int32_t n = map(NULL, 0, src, len, ev->locale, &status);
    UChar *out = arena_alloc(ev->arena, ((size_t)n + 1) * sizeof *out);
    status = U_ZERO_ERROR;
    map(out, n + 1, src, len, ev->locale, &status);
    char *text = U_SUCCESS(status) ? to_utf8(ev->arena, out, n) : NULL;
    return value_string(ev->arena, text ? text : "", in->loc.file ? in->loc : loc);
}

static const struct value *filter_join(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                       const struct value *list, struct source_loc loc)
{
    const char *sep = f->arg ? f->arg : ", ";
    size_t total = 1;
    for (size_t i = 0; i < list->count; i++) {
        if (list->items[i]->kind != VALUE_STRING) {
            errors_add(ev->errors, loc,
                       "filter 'join' needs a list of strings, but item %zu of '%s' is a %s", i + 1,
                       f->input, value_kind_name(list->items[i]->kind));
            return NULL;
        }
        total += strlen(list->items[i]->string) + strlen(sep);
    }
    /* Appended at the end found so far: strcat would rescan the whole
     * string for each item (a petition's 100,000 organisation names). */
    char *s = arena_alloc(ev->arena, total), *end = s;
    size_t sep_len = strlen(sep);
    for (size_t i = 0; i < list->count; i++) {
        if (i) {
            memcpy(end, sep, sep_len);
            end += sep_len;
        }
        size_t len = strlen(list->items[i]->string);
        memcpy(end, list->items[i]->string, len);
        end += len;
    }
    *end = '\0';
    return value_string(ev->arena, s, list->loc.file ? list->loc : loc);
}

static const struct value *filter_map(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                      const struct value *list, struct source_loc loc)
{
    struct value *out = value_list(ev->arena, list->loc);
    for (size_t i = 0; i < list->count; i++) {
        const struct value *item = list->items[i];
        if (item->kind != VALUE_MAP) {
            errors_add(ev->errors, loc,
                       "filter 'map' needs a list of maps, but item %zu of "
                       "'%s' is a %s",
                       i + 1, f->input, value_kind_name(item->kind));
            return NULL;
        }
        struct value *v = value_map_get(item, f->arg);
        if (!v) {
            const char *guess = suggest_closest(f->arg, item->keys, item->count);
            if (guess)
                errors_add(ev->errors, loc, "item %zu of '%s' has no '%s' (did you mean '%s'?)",
                           i + 1, f->input, f->arg, guess);
            else
                errors_add(ev->errors, loc, "item %zu of '%s' has no '%s'", i + 1, f->input,
                           f->arg);
            return NULL;
        }
        value_list_push(ev->arena, out, v);
    }
    return out;
}

/* take:N, the list's first N items (all when it has fewer); skip:N, the
 * items after the first N (none when it has fewer): "the first 40
 * organisations, and 77,810 more" without printing 77,850 names. The
 * count was checked when the template was compiled. */
static const struct value *filter_slice(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                        const struct value *list)
{
    size_t n = strtoul(f->arg, NULL, 10);
    size_t from = f->id == FILTER_TAKE ? 0 : n < list->count ? n : list->count;
    size_t to = f->id == FILTER_TAKE && n < list->count ? n : list->count;
    struct value *out = value_list(ev->arena, list->loc);
    value_reserve(ev->arena, out, to - from);
    for (size_t i = from; i < to; i++)
        value_list_push(ev->arena, out, list->items[i]);
    return out;
}

/* A number written in digits ("12408", "-3", "2.5") in the locale's
 * style ("12,408" in en_GB, "12 408" in fr_FR), through ICU. */
static const struct value *filter_number(struct tmpl_eval *ev, const struct value *in,
                                         struct source_loc loc)
{
    const char *s = in->string;
    size_t i = s[0] == '-', digits = strspn(s + i, "0123456789");
    bool ok = digits > 0;
    i += digits;
    if (ok && s[i] == '.') {
        size_t more = strspn(s + i + 1, "0123456789");
        ok = more > 0;
        i += 1 + more;
    }
    if (!ok || s[i] != '\0') {
        errors_add(ev->errors, loc, "invalid number '%s' (expected digits such as 12408)", s);
        return NULL;
    }
    UErrorCode status = U_ZERO_ERROR;
    UNumberFormat *format = unum_open(UNUM_DECIMAL, NULL, 0, ev->locale, NULL, &status);
    int32_t len = unum_formatDecimal(format, s, -1, NULL, 0, NULL, &status);
    UChar *out = arena_alloc(ev->arena, ((size_t)len + 1) * sizeof *out);
    status = U_ZERO_ERROR;
    unum_formatDecimal(format, s, -1, out, len + 1, NULL, &status);
    unum_close(format);
    char *text = U_SUCCESS(status) ? to_utf8(ev->arena, out, len) : NULL;
    return value_string(ev->arena, text ? text : s, in->loc.file ? in->loc : loc);
}

/* The kind of input each filter takes; markup is never accepted. */
static bool accepts(enum tmpl_filter_id id, enum value_kind kind)
{
    switch (id) {
    case FILTER_DATE:
    case FILTER_UPPER:
    case FILTER_LOWER:
        return kind == VALUE_STRING;
    case FILTER_DATES:
        return kind == VALUE_LIST || kind == VALUE_STRING;
    case FILTER_JOIN:
    case FILTER_MAP:
    case FILTER_FIRST:
    case FILTER_LAST:
    case FILTER_TAKE:
    case FILTER_SKIP:
        return kind == VALUE_LIST;
    case FILTER_COUNT:
        return kind == VALUE_LIST || kind == VALUE_MAP;
    case FILTER_DEFAULT:
        return true;
    case FILTER_NUMBER:
        return kind == VALUE_STRING;
    }
    return false;
}

static const char *wanted(enum tmpl_filter_id id)
{
    switch (id) {
    case FILTER_DATE:
        return "a date (a string yyyy-mm-dd)";
    case FILTER_UPPER:
    case FILTER_LOWER:
        return "a string";
    case FILTER_DATES:
        return "a list of dates";
    case FILTER_COUNT:
        return "a list or a map";
    case FILTER_NUMBER:
        return "a number";
    default:
        return "a list";
    }
}

static const struct value *one_item_list(struct tmpl_eval *ev, const struct value *in)
{
    struct value *list = value_list(ev->arena, in->loc);
    value_list_push(ev->arena, list, (struct value *)in);
    return list;
}

const struct value *tmpl_filter_apply(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                      const struct value *in, struct source_loc loc,
                                      const char **missing)
{
    if (!accepts(f->id, in->kind)) {
        errors_add(ev->errors, loc, "filter '%s' needs %s, but '%s' is a %s", f->name,
                   wanted(f->id), f->input, value_kind_name(in->kind));
        return NULL;
    }
    struct source_loc at = in->loc.file ? in->loc : loc;
    switch (f->id) {
    case FILTER_DATE:
        return filter_date(ev, f, in, loc);
    case FILTER_DATES:
        return filter_dates(ev, f, in->kind == VALUE_LIST ? in : one_item_list(ev, in), loc);
    case FILTER_UPPER:
    case FILTER_LOWER:
        return filter_case(ev, in, f->id == FILTER_UPPER, loc);
    case FILTER_JOIN:
        return filter_join(ev, f, in, loc);
    case FILTER_COUNT:
        return value_string(ev->arena, arena_printf(ev->arena, "%zu", (size_t)in->count), at);
    case FILTER_DEFAULT:
        return value_truthy(in) ? in : value_string(ev->arena, f->arg, loc);
    case FILTER_MAP:
        return filter_map(ev, f, in, loc);
    case FILTER_FIRST:
    case FILTER_LAST:
        if (in->count == 0) {
            *missing = arena_printf(ev->arena, "'%s' is an empty list: it has no %s item", f->input,
                                    f->id == FILTER_FIRST ? "first" : "last");
            return NULL;
        }
        return in->items[f->id == FILTER_FIRST ? 0 : in->count - 1];
    case FILTER_NUMBER:
        return filter_number(ev, in, loc);
    case FILTER_TAKE:
    case FILTER_SKIP:
        return filter_slice(ev, f, in);
    }
    return NULL;
}
