/* test_tmpl_date.c — tmpl_date's table writes every date as ICU's own
 * formatter does: each locale of the table, its four styles and random
 * patterns of the fields it writes (and of some it leaves to ICU),
 * random days from 1583 to 9999. */
#include "check.h"
#include "tmpl_date.h"

#include <stdlib.h>
#include <unicode/udat.h>
#include <unicode/ustring.h>

static const UChar utc[] = {'U', 'T', 'C', 0};

/* ICU's text of the day in locale and spec, UTF-8, or "" when ICU fails. */
static void icu_text(const char *locale, const char *spec, double date, char *out, size_t size)
{
    static const struct {
        const char *name;
        UDateFormatStyle style;
    } styles[] = {
        {"full", UDAT_FULL}, {"long", UDAT_LONG}, {"medium", UDAT_MEDIUM}, {"short", UDAT_SHORT}};
    UErrorCode status = U_ZERO_ERROR;
    UDateFormat *fmt = NULL;
    for (size_t i = 0; i < 4 && !fmt; i++)
        if (strcmp(styles[i].name, spec) == 0)
            fmt = udat_open(UDAT_NONE, styles[i].style, locale, utc, -1, NULL, -1, &status);
    if (!fmt && U_SUCCESS(status)) {
        UChar pattern[256];
        int32_t len;
        u_strFromUTF8(pattern, 256, &len, spec, -1, &status);
        fmt = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, utc, -1, pattern, len, &status);
    }
    out[0] = '\0';
    UChar text[256];
    int32_t len = U_SUCCESS(status) ? udat_format(fmt, date, text, 256, NULL, &status) : 0;
    if (U_SUCCESS(status))
        u_strToUTF8(out, (int32_t)size, NULL, text, len, &status);
    if (U_FAILURE(status))
        out[0] = '\0';
    udat_close(fmt);
}

/* Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
static long days_from_civil(int year, int month, int day)
{
    int y = month <= 2 ? year - 1 : year;
    int era = y / 400, yoe = y - era * 400;
    int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    return (long)era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void random_pattern(unsigned *seed, char *out, size_t size)
{
    static const char *const pieces[] = {
        "d",   "dd",         "ddd",     "M",     "MM", "MMM", "MMMM",   "MMMMM", "L",
        "LL",  "LLL",        "LLLL",    "LLLLL", "y",  "yy",  "yyy",    "yyyy",  "E",
        "EEE", "EEEE",       "EEEEE",   " ",     ", ", ". ",  "/",      "-",     "'de'",
        "''",  "'o''clock'", "\u0433.", "G",     "Q",  "w",   "EEEEEE", "c"};
    size_t count = 1 + (*seed >> 16) % 6;
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        *seed = *seed * 1103515245u + 12345u;
        /* Most patterns only of what the table writes. */
        size_t choices = (*seed >> 8) % 8 ? 30 : sizeof pieces / sizeof pieces[0];
        strncat(out, pieces[(*seed >> 16) % choices], size - strlen(out) - 1);
    }
}

static void test_against_icu(void)
{
    unsigned seed = 11;
    size_t compared = 0, differ = 0;
    char spec[128], icu[512];
    for (size_t l = 0; l < tmpl_date_locale_count; l++) {
        const char *locale = tmpl_date_locales[l].name;
        for (int p = 0; p < 64; p++) {
            static const char *const styles[] = {"full", "long", "medium", "short"};
            if (p < 4)
                snprintf(spec, sizeof spec, "%s", styles[p]);
            else
                random_pattern(&seed, spec, sizeof spec);
            for (int d = 0; d < 40; d++) {
                seed = seed * 1103515245u + 12345u;
                int year = 1583 + (int)((seed >> 8) % (9999 - 1583 + 1));
                seed = seed * 1103515245u + 12345u;
                int month = 1 + (int)((seed >> 16) % 12);
                int day = d < 3 ? 1 + d : 1 + (int)((seed >> 8) % 28);
                long days = days_from_civil(year, month, day);
                int weekday = (int)(((days + 4) % 7 + 7) % 7);
                struct tmpl_date_text t;
                if (!tmpl_date_format(locale, spec, year, month, day, weekday, &t))
                    continue;
                compared++;
                icu_text(locale, spec, (double)days * 86400000.0, icu, sizeof icu);
                if (strcmp(t.text, icu) != 0 || t.len != strlen(t.text)) {
                    if (differ++ < 10)
                        printf("%s '%s' %04d-%02d-%02d: table '%s', ICU '%s'\n", locale, spec, year,
                               month, day, t.text, icu);
                }
            }
        }
    }
    printf("dates: %zu locales, %zu dates written from the table, %zu differ from ICU\n",
           (size_t)tmpl_date_locale_count, compared, differ);
    CHECK(differ == 0 && tmpl_date_locale_count >= 20 && compared > 20000);
}

CHECK_MAIN("tmpl_date", test_against_icu())
