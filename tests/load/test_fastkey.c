/* test_fastkey.c — signers_fastkey.c's primary keys against
 * ucol_getSortKey itself, byte for byte: every code point below the
 * table's end alone, and random names from the scripts of petitions'
 * names (Latin, Greek, Cyrillic, Arabic, Hebrew, Indic, Thai, symbols,
 * digits, marks) in locales with contractions, reordered scripts,
 * shifted punctuation and tailored letters. */
#include "check.h"
#include "signers_contractions.h"
#include "signers_fastkey.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

static const char *const locales[] = {"en_GB",
                                      "ru_RU",
                                      "pl_PL",
                                      "cs_CZ",
                                      "sk",
                                      "da_DK",
                                      "sv_SE",
                                      "de_DE",
                                      "de@collation=phonebook",
                                      "fr_CA",
                                      "es@collation=traditional",
                                      "tr_TR",
                                      "th_TH",
                                      "ja_JP",
                                      "zh",
                                      "ko",
                                      "ar",
                                      "he",
                                      "el",
                                      "hi",
                                      "vi",
                                      "ln",
                                      "und-u-kc-true",
                                      "und-u-ka-shifted",
                                      "und-u-kr-cyrl-grek-latn",
                                      "und"};

/* Ranges names are drawn from, with their weights. */
static const struct {
    int32_t first, last, weight;
} pools[] = {{0x61, 0x7A, 20},    {0x41, 0x5A, 6},     {0x20, 0x7E, 6},     {0xA0, 0x24F, 10},
             {0x370, 0x3FF, 4},   {0x400, 0x52F, 12},  {0x590, 0x5FF, 3},   {0x600, 0x6FF, 4},
             {0x900, 0x97F, 3},   {0xE00, 0xE7F, 3},   {0x1E00, 0x1EFF, 4}, {0x2000, 0x2BFF, 3},
             {0x300, 0x36F, 2},   {0x30, 0x39, 2},     {0x1, 0x2FFF, 4},    {0x10000, 0x10010, 1},
             {0x3000, 0x30FF, 1}, {0x1100, 0x11FF, 1}, {0xAC00, 0xAC10, 1}};

/* Contractions and contexts of some of the locales, put in names. */
static const char *const pieces[] = {"ch",
                                     "Ch",
                                     "CH",
                                     "ll",
                                     "aa",
                                     "Aa",
                                     "d\xC5\xBE",
                                     "lj",
                                     "nj",
                                     "cs",
                                     "dz",
                                     "gy",
                                     "ly",
                                     "ny",
                                     "sz",
                                     "ty",
                                     "zs",
                                     "\xC5\x80l",
                                     "\xE0\xB9\x80\xE0\xB8\x81",
                                     "\xE3\x82\xAB\xE3\x83\xBC",
                                     "\xD0\xB8\xCC\x86",
                                     "ae",
                                     "oe",
                                     "ss",
                                     "th",
                                     "ij",
                                     "007",
                                     "0",
                                     "10",
                                     "73",
                                     "74",
                                     "1050",
                                     "2022",
                                     "10233",
                                     "10234",
                                     "99999",
                                     "000000",
                                     " 12",
                                     "-5",
                                     "N\xC2\xBA 3",
                                     "12a",
                                     "3\xD0\xB1"};

static unsigned seed = 17;

static unsigned random_below(unsigned n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static int32_t random_code_point(void)
{
    unsigned total = 0;
    for (size_t i = 0; i < sizeof pools / sizeof *pools; i++)
        total += (unsigned)pools[i].weight;
    unsigned pick = random_below(total);
    size_t i = 0;
    while (pick >= (unsigned)pools[i].weight)
        pick -= (unsigned)pools[i++].weight;
    for (;;) {
        int32_t c =
            pools[i].first + (int32_t)random_below((unsigned)(pools[i].last - pools[i].first + 1));
        if (!U_IS_SURROGATE(c))
            return c;
    }
}

struct text {
    char utf8[256];
    UChar utf16[128];
    int32_t bytes, units;
};

static void add(struct text *t, int32_t c)
{
    if (t->bytes > 200)
        return;
    bool error = false;
    U8_APPEND(t->utf8, t->bytes, (int32_t)sizeof t->utf8 - 1, c, error);
    U16_APPEND_UNSAFE(t->utf16, t->units, c);
    t->utf8[t->bytes] = '\0';
    (void)error;
}

/* Whether the table's key of t is ICU's (or the table declines); *fast
 * counts the keys the table made. */
static bool same_key(struct signers_fastkey *k, const UCollator *coll, const struct text *t,
                     size_t *fast)
{
    uint8_t mine[512], icu[512];
    int32_t len = signers_fastkey_make(k, t->utf8, mine, sizeof mine);
    if (len < 0)
        return true;
    ++*fast;
    int32_t need = ucol_getSortKey(coll, t->utf16, t->units, icu, sizeof icu);
    return need == len + 1 && memcmp(mine, icu, (size_t)len) == 0;
}

static UCollator *primary_collator(const char *locale)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollator *coll = ucol_open(locale, &status);
    ucol_setAttribute(coll, UCOL_NUMERIC_COLLATION, UCOL_ON, &status);
    ucol_setAttribute(coll, UCOL_STRENGTH, UCOL_PRIMARY, &status);
    ucol_setAttribute(coll, UCOL_CASE_LEVEL, UCOL_OFF, &status);
    CHECK(U_SUCCESS(status));
    return coll;
}

static void test_keys_as_icu(void)
{
    enum { NAMES = 4000 };
    size_t tried = 0, fast = 0, differ = 0;
    for (size_t l = 0; l < sizeof locales / sizeof *locales; l++) {
        UCollator *coll = primary_collator(locales[l]);
        struct signers_fastkey *k = signers_fastkey_new(coll);
        for (int32_t c = 1; c < 0x3000; c++) {
            struct text t = {0};
            add(&t, c);
            differ += !same_key(k, coll, &t, &fast);
            tried++;
        }
        for (size_t i = 0; i < NAMES; i++) {
            struct text t = {0};
            /* Mostly one script a name, as names are: a run from one pool. */
            size_t count = 1 + random_below(14);
            int32_t base = random_code_point();
            for (size_t j = 0; j < count; j++) {
                if (random_below(5) == 0) {
                    const char *p = pieces[random_below(sizeof pieces / sizeof *pieces)];
                    for (int32_t at = 0, n = (int32_t)strlen(p); at < n;) {
                        int32_t c;
                        U8_NEXT(p, at, n, c);
                        add(&t, c);
                    }
                    continue;
                }
                int32_t c = random_below(3) ? random_code_point() : base + (int32_t)random_below(8);
                add(&t, U_IS_SURROGATE(c) || c > 0x10FFFF ? 0x61 : c);
            }
            differ += !same_key(k, coll, &t, &fast);
            tried++;
        }
        signers_fastkey_free(k);
        ucol_close(coll);
    }
    printf("fast keys: %zu texts in %zu locales, %zu made by the table, %zu differ from ICU\n",
           tried, sizeof locales / sizeof *locales, fast, differ);
    CHECK(differ == 0);
    CHECK(fast > tried / 4); /* the table is used, not always declining */
}

/* Names past the table, with digits, contractions or marks are declined. */
/* The contractions made at build time (signers_contractions.h) are those
 * ICU lists at run time, for every locale they were made from and the
 * locales above (those whose tailoring has a table take it). */
static void test_built_tables(void)
{
    size_t tables = 0, differ = 0, taken = 0;
    for (int32_t i = 0; i < signers_contractions_table_count; i++) {
        const struct signers_contractions_table *t = &signers_contractions_tables[i];
        UCollator *coll = primary_collator(t->locale);
        signers_fastkey_tables_off = false;
        struct signers_fastkey *built = signers_fastkey_new(coll);
        signers_fastkey_tables_off = true;
        struct signers_fastkey *listed = signers_fastkey_new(coll);
        signers_fastkey_tables_off = false;
        tables += signers_fastkey_from_table(built);
        CHECK(!signers_fastkey_from_table(listed));
        for (int32_t c = 0; c < 0x3000; c++)
            differ += signers_fastkey_marked(built, c) != signers_fastkey_marked(listed, c);
        signers_fastkey_free(built);
        signers_fastkey_free(listed);
        ucol_close(coll);
    }
    for (size_t i = 0; i < sizeof locales / sizeof *locales; i++) {
        UCollator *coll = primary_collator(locales[i]);
        struct signers_fastkey *built = signers_fastkey_new(coll);
        signers_fastkey_tables_off = true;
        struct signers_fastkey *listed = signers_fastkey_new(coll);
        signers_fastkey_tables_off = false;
        taken += signers_fastkey_from_table(built);
        for (int32_t c = 0; c < 0x3000; c++)
            differ += signers_fastkey_marked(built, c) != signers_fastkey_marked(listed, c);
        signers_fastkey_free(built);
        signers_fastkey_free(listed);
        ucol_close(coll);
    }
    if (differ)
        fprintf(stderr, "test_built_tables: %zu marks differ\n", differ);
    CHECK(signers_contractions_table_count > 0);
    CHECK(tables == (size_t)signers_contractions_table_count);
    printf("built tables: %zu, taken by %zu of %zu locales, %zu marks differ\n", tables, taken,
           sizeof locales / sizeof *locales, differ);
    CHECK(taken >= 10); /* en_GB, ru_RU, pl_PL, cs_CZ, ... from the tables */
    CHECK(differ == 0);
}

static void test_declined(void)
{
    UCollator *coll = primary_collator("cs_CZ");
    struct signers_fastkey *k = signers_fastkey_new(coll);
    uint8_t out[64];
    CHECK(signers_fastkey_make(k, "Novak", out, sizeof out) >= 0);
    CHECK(signers_fastkey_make(k, "Chudoba", out, sizeof out) < 0);     /* ch, a letter in Czech */
    CHECK(signers_fastkey_make(k, "Local 9", out, sizeof out) >= 0);    /* numeric order */
    CHECK(signers_fastkey_make(k, "Local 10234", out, sizeof out) < 0); /* a larger number */
    CHECK(signers_fastkey_make(k, "Local \xD9\xA3", out, sizeof out) < 0); /* U+0663 */
    CHECK(signers_fastkey_make(k, "Ame\xCC\x81lie", out, sizeof out) < 0); /* U+0301 */
    CHECK(signers_fastkey_make(k, "\xE4\xB8\xAD", out, sizeof out) < 0);   /* U+4E2D */
    CHECK(signers_fastkey_make(k, "Novak", out, 4) < 0);                   /* no room */
    CHECK(signers_fastkey_make(k, "Novak", out, 30) >= 0); /* room for six bytes a letter */
    signers_fastkey_free(k);
    ucol_close(coll);
}

CHECK_MAIN("fastkey", test_built_tables(); test_keys_as_icu(); test_declined())
