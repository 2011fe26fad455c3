/* tmpl_filter.c — owns the template filters. Dates, lists of dates and
 * case mapping go through ICU in the letter's locale, so month names,
 * the word joining a list ("and", "et", "und", "y", "и") and special
 * casing rules come from CLDR rather than from tables of our own. */
#include "tmpl_internal.h"

#include "suggest.h"

#include <string.h>
#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ulistformatter.h>
#include <unicode/ustring.h>

enum arity { ARG_NONE, ARG_OPTIONAL, ARG_REQUIRED };

/* Indexed by enum tmpl_filter_id. */
static const char *const filter_names[] = {
    [FILTER_DATE] = "date",       [FILTER_DATES] = "dates", [FILTER_UPPER] = "upper",
    [FILTER_LOWER] = "lower",     [FILTER_JOIN] = "join",   [FILTER_COUNT] = "count",
    [FILTER_DEFAULT] = "default", [FILTER_MAP] = "map",     [FILTER_FIRST] = "first",
    [FILTER_LAST] = "last",
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

static char *format_date(struct arena *arena, UDateFormat *fmt, UDate date)
{
    UChar buf[256];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = udat_format(fmt, date, buf, 256, NULL, &status);
    return U_SUCCESS(status) ? to_utf8(arena, buf, len) : NULL;
}

static bool check_date(struct tmpl_eval *ev, const struct value *v, struct source_loc loc,
                       UDate *date)
{
    if (parse_iso_date(v->string, date))
        return true;
    errors_add(ev->errors, loc, "invalid date '%s' (expected a real day as yyyy-mm-dd)", v->string);
    return false;
}

static const struct value *filter_date(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                       const struct value *in, struct source_loc loc)
{
    UDate date;
    if (!check_date(ev, in, loc, &date))
        return NULL;
    const char *spec = f->arg ? f->arg : "long";
    UDateFormat *fmt = open_format(ev->arena, ev->locale, spec);
    if (!fmt) {
        errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec, ev->locale);
        return NULL;
    }
    char *text = format_date(ev->arena, fmt, date);
    udat_close(fmt);
    return value_string(ev->arena, text ? text : "", in->loc.file ? in->loc : loc);
}

/* Where the day field sits in a pattern ('d' outside quotes), and whether
 * a month field exists and comes after it. */
struct day_field {
    size_t start, len; /* len 0: the pattern shows no day */
    bool before_month;
    bool has_month;
};

static struct day_field find_day_field(const UChar *pattern, int32_t len)
{
    struct day_field d = {0};
    bool quoted = false;
    for (int32_t i = 0; i < len; i++) {
        UChar c = pattern[i];
        if (c == '\'') {
            quoted = !quoted;
        } else if (!quoted && c == 'd' && d.len == 0) {
            d.start = (size_t)i;
            while (i < len && pattern[i] == 'd')
                i++;
            d.len = (size_t)i - d.start;
            i--;
            d.before_month = !d.has_month;
        } else if (!quoted && (c == 'M' || c == 'L')) {
            d.has_month = true;
        }
    }
    return d;
}

/* Formats each date, showing a month only once per run of dates in the
 * same month: "July 8", "10" (or "8", "10 July" when the day comes first). */
static char **format_date_parts(struct tmpl_eval *ev, UDateFormat *full, UDateFormat *day,
                                bool day_first, const struct value *list, const UDate *dates)
{
    char **parts = arena_alloc(ev->arena, list->count * sizeof *parts);
    for (size_t i = 0; i < list->count; i++) {
        const char *s = list->items[i]->string;
        bool same_as_prev = i > 0 && strncmp(list->items[i - 1]->string, s, 7) == 0;
        bool same_as_next = i + 1 < list->count && strncmp(list->items[i + 1]->string, s, 7) == 0;
        bool short_form = day && (day_first ? same_as_next : same_as_prev);
        parts[i] = format_date(ev->arena, short_form ? day : full, dates[i]);
        if (!parts[i])
            parts[i] = "";
    }
    return parts;
}

/* "a, b and c" in the locale's words, by ICU's list formatter. */
static char *list_join(struct tmpl_eval *ev, char **parts, size_t count)
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

static UDateFormat *open_day_format(struct tmpl_eval *ev, UDateFormat *full, bool *day_first)
{
    UChar pattern[256];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = udat_toPattern(full, false, pattern, 256, &status);
    if (U_FAILURE(status))
        return NULL;
    struct day_field d = find_day_field(pattern, len);
    if (d.len == 0 || !d.has_month)
        return NULL;
    *day_first = d.before_month;
    UDateFormat *day = udat_open(UDAT_PATTERN, UDAT_PATTERN, ev->locale, utc_zone, -1,
                                 pattern + d.start, (int32_t)d.len, &status);
    if (U_FAILURE(status)) {
        if (day)
            udat_close(day);
        return NULL;
    }
    return day;
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
    UDateFormat *full = open_format(ev->arena, ev->locale, spec);
    if (!full) {
        errors_add(ev->errors, loc, "invalid date format '%s' for locale '%s'", spec, ev->locale);
        return NULL;
    }
    bool day_first = false;
    UDateFormat *day = open_day_format(ev, full, &day_first);
    char **parts = format_date_parts(ev, full, day, day_first, list, dates);
    udat_close(full);
    if (day)
        udat_close(day);
    char *text = list_join(ev, parts, list->count);
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
    char *s = arena_alloc(ev->arena, total);
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            strcat(s, sep);
        strcat(s, list->items[i]->string);
    }
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
        return kind == VALUE_LIST;
    case FILTER_COUNT:
        return kind == VALUE_LIST || kind == VALUE_MAP;
    case FILTER_DEFAULT:
        return true;
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
        return value_string(ev->arena, arena_printf(ev->arena, "%zu", in->count), at);
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
    }
    return NULL;
}
