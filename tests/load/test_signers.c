/* test_signers.c — a petition's co-signers (signers*.c) and their annex
 * (annex.c): CSV edge cases (quotes, commas, line breaks, BOM, CRLF), every
 * row and file error with its exact message and line, the duplicate rules,
 * collation across scripts, groups and totals, the annex as text, and the
 * number filter. Fixtures are in tests/signers/. */
#include "annex.h"
#include "check.h"
#include "support.h"
#include "signers.h"
#include "signers_internal.h"
#include "text.h"
#include "tmpl.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* A petition reading tests/signers/FILE with columns "field=Header" ...
 * (field "-" for an <ignore>), NULL-terminated. */
struct fixture {
    struct letter_petition petition;
    struct letter_column columns[16];
    const char *show[8];
    char path[128];
};

static void setup(struct fixture *f, const char *file, enum letter_group_by group_by,
                  const char *const *columns)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "tests/signers/%s", file);
    f->petition.signers = f->path;
    f->petition.signers_loc = (struct source_loc){"t.xml", 3, 13};
    f->petition.loc = (struct source_loc){"t.xml", 3, 3};
    f->petition.group_by = group_by;
    f->petition.columns = f->columns;
    for (size_t i = 0; columns[i]; i++) {
        const char *eq = strchr(columns[i], '=');
        char *field = strndup(columns[i], (size_t)(eq - columns[i]));
        f->columns[i] = (struct letter_column){.field = strcmp(field, "-") == 0 ? NULL : field,
                                               .header = eq + 1,
                                               .loc = {"t.xml", 4 + (int)i, 5}};
        if (!f->columns[i].field)
            free(field);
        f->petition.column_count++;
    }
    static const char *const defaults[] = {"name", "role", "organisation", "city", "country"};
    f->petition.show = f->show;
    for (size_t d = 0; d < 5; d++)
        for (size_t i = 0; i < f->petition.column_count; i++)
            if (f->columns[i].field && strcmp(f->columns[i].field, defaults[d]) == 0)
                f->show[f->petition.show_count++] = defaults[d];
}

static void teardown(struct fixture *f)
{
    for (size_t i = 0; i < f->petition.column_count; i++)
        free((char *)f->columns[i].field);
}

/* Loads and returns the signers; *messages gets the errors printed. */
static struct signers *load(struct fixture *f, const char *locale, bool skip, char **messages)
{
    struct errors errors = {0};
    struct signers *s = signers_load(&f->petition, locale, skip, &errors);
    *messages = errors_text(&errors);
    errors_clear(&errors);
    return s;
}

static const char *name_at(const struct signers *s, size_t i)
{
    return i < s->count ? signers_value(s, &s->items[i], "name") : "(none)";
}

/* ---- CSV edge cases ---- */

static void check_edge(const char *file)
{
    struct fixture f;
    setup(&f, file, LETTER_GROUP_NONE,
          (const char *const[]){"name=Name", "organisation=Organisation", "city=City",
                                "country=Country", "-=Comment", NULL});
    char *messages;
    struct signers *s = load(&f, "en_GB", false, &messages);
    CHECK_STR(messages, "");
    CHECK(s && s->count == 4);
    if (s && s->count == 4) {
        /* Sorted by name: Ann Lee, Bob Jones, "Smith, Anna", Spaced Out. */
        CHECK_STR(name_at(s, 0), "Ann Lee"); /* a line break inside quotes: a space */
        CHECK(s->items[0].line == 7);
        CHECK_STR(name_at(s, 1), "Bob Jones");
        CHECK(s->items[1].line == 5);
        CHECK_STR(s->items[1].country, "GB"); /* "gb" */
        CHECK_STR(name_at(s, 2), "Smith, Anna");
        CHECK(s->items[2].line == 2);
        CHECK_STR(signers_value(s, &s->items[2], "organisation"), "Union \"Unity\", Local 5");
        CHECK_STR(name_at(s, 3), "Spaced Out");
        CHECK_STR(signers_value(s, &s->items[3], "city"), "Glasgow");
        CHECK(s->rows == 4 && s->blank_rows == 0 && s->duplicates == 0);
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

static void test_edge_cases(void)
{
    check_edge("edge.csv");
    check_edge("edge-bom-crlf.csv"); /* the same rows with a BOM and CRLF line ends */
}

/* ---- errors ---- */

static const char *const bad_columns[] = {"type=Type", "name=Name",    "country=Country",
                                          "city=City", "email=E-mail", NULL};

static void test_row_errors(void)
{
    struct fixture f;
    setup(&f, "bad.csv", LETTER_GROUP_TYPE, bad_columns);
    char *messages;
    struct signers *s = load(&f, "en_GB", false, &messages);
    CHECK(s == NULL);
    CHECK_STR(messages,
              "tests/signers/bad.csv:3: error: row has no name (column 'Name' is empty)\n"
              "tests/signers/bad.csv:4: error: unknown country code 'UK' in column 'Country' "
              "(expected an ISO 3166 code such as 'KZ')\n"
              "tests/signers/bad.csv:5: error: row has 6 fields, the header has 5\n"
              "tests/signers/bad.csv:6: error: unknown signer type 'company' in column 'Type' "
              "(expected 'organisation' or 'individual')\n"
              "tests/signers/bad.csv:7: error: invalid UTF-8 in column 'Name'\n"
              "tests/signers/bad.csv:8: error: control character U+0001 in column 'Name'\n"
              "tests/signers/bad.csv:11: error: unknown country code 'XX' in column 'Country' "
              "(expected an ISO 3166 code such as 'KZ')\n");
    free(messages);

    /* Left out on request: the same rows, noted for the report. */
    s = load(&f, "en_GB", true, &messages);
    CHECK_STR(messages, "");
    CHECK(s && s->count == 2 && s->skipped == 7 && s->blank_rows == 1 && s->rows == 10);
    if (s && s->count == 2) {
        CHECK_STR(name_at(s, 0), "Union"); /* organisations first */
        CHECK(s->items[0].type == SIGNER_ORGANISATION);
        CHECK_STR(name_at(s, 1), "Good One");
        struct buffer report = {0};
        signers_report(s, &report);
        CHECK_STR(report.data,
                  "Signers read from tests/signers/bad.csv\n"
                  "rows: 10 (1 blank)\n"
                  "signers listed: 2 (1 organisations, 1 individuals; 1 countries)\n"
                  "duplicates merged: 0\n"
                  "wrong rows left out: 7\n"
                  "\n"
                  "Wrong rows left out:\n"
                  "tests/signers/bad.csv:3: row has no name (column 'Name' is empty)\n"
                  "tests/signers/bad.csv:4: unknown country code 'UK' in column 'Country' "
                  "(expected an ISO 3166 code such as 'KZ')\n"
                  "tests/signers/bad.csv:5: row has 6 fields, the header has 5\n"
                  "tests/signers/bad.csv:6: unknown signer type 'company' in column 'Type' "
                  "(expected 'organisation' or 'individual')\n"
                  "tests/signers/bad.csv:7: invalid UTF-8 in column 'Name'\n"
                  "tests/signers/bad.csv:8: control character U+0001 in column 'Name'\n"
                  "tests/signers/bad.csv:11: unknown country code 'XX' in column 'Country' "
                  "(expected an ISO 3166 code such as 'KZ')\n");
        CHECK(strstr(report.data, "@") == NULL); /* no e-mail address, ever */
        buffer_free(&report);
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

/* Long runs of printable ASCII (cleaned eight bytes at a time): a DEL,
 * a control character or a stray byte far into a run is still found, and
 * whitespace inside and after a run is still made one space. Two-byte
 * characters (decoded without U8_NEXT): a C1 control, a lead byte cut off
 * by the cell's end, a letter ending it. */
static void test_long_runs(void)
{
    struct fixture f;
    setup(&f, "runs.csv", LETTER_GROUP_NONE, (const char *const[]){"name=Name", "city=City", NULL});
    char *messages;
    struct signers *s = load(&f, "en_GB", false, &messages);
    CHECK(s == NULL);
    CHECK_STR(messages,
              "tests/signers/runs.csv:2: error: control character U+007F in column 'Name'\n"
              "tests/signers/runs.csv:5: error: control character U+0001 in column 'Name'\n"
              "tests/signers/runs.csv:6: error: invalid UTF-8 in column 'Name'\n"
              "tests/signers/runs.csv:7: error: control character U+0085 in column 'Name'\n"
              "tests/signers/runs.csv:8: error: invalid UTF-8 in column 'Name'\n");
    free(messages);
    s = load(&f, "en_GB", true, &messages);
    CHECK_STR(messages, "");
    CHECK(s && s->count == 3 && s->skipped == 5);
    if (s && s->count == 3) {
        CHECK_STR(name_at(s, 0), "Bcdefghijklmnop qrstuvwxyz abcdefghij");
        CHECK_STR(name_at(s, 1),
                  "Cdefghijklmnopqrstu\u00E9vwxyz!~{}[]@#$%^&*()_+=-/.<>?|\\`:;ABCDEFG");
        CHECK_STR(name_at(s, 2), "Habc \u0416"); /* two bytes at a cell's end */
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

/* Past 100 errors the rest are counted, not listed. */
static void test_many_errors(void)
{
    char path[] = "/tmp/missive-signers-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("Name,City\n", f);
    for (int i = 0; i < 105; i++)
        fputs(",Aktau\n", f);
    fclose(f);
    struct fixture fx;
    setup(&fx, "unused.csv", LETTER_GROUP_NONE,
          (const char *const[]){"name=Name", "city=City", NULL});
    snprintf(fx.path, sizeof fx.path, "%s", path);
    char *messages;
    struct signers *s = load(&fx, "en_GB", false, &messages);
    CHECK(s == NULL);
    size_t lines = 0;
    for (const char *c = messages; *c; c++)
        lines += *c == '\n';
    CHECK(lines == 101);
    char last[256];
    snprintf(last, sizeof last,
             "%s:101: error: row has no name (column 'Name' is empty)\n"
             "%s: error: 5 more errors in rows are not listed (with --skip-invalid-signers the "
             "report lists them all)\n",
             path, path);
    CHECK_STR(strstr(messages, last), last);
    free(messages);
    teardown(&fx);
    remove(path);
}

static void expect_file_error(const char *file, const char *const *columns, const char *expected)
{
    struct fixture f;
    setup(&f, file, LETTER_GROUP_NONE, columns);
    char *messages;
    /* Even when wrong rows may be left out: the file itself cannot be used. */
    struct signers *s = load(&f, "en_GB", true, &messages);
    CHECK(s == NULL);
    CHECK_STR(messages, expected);
    free(messages);
    teardown(&f);
}

static void test_file_errors(void)
{
    const char *const name_only[] = {"name=Name", NULL};
    expect_file_error("header.csv", (const char *const[]){"name=name", NULL},
                      "tests/signers/header.csv:1: error: column 'Name' appears twice in the "
                      "header\n"
                      "t.xml:4:5: error: column 'name' is not in the header of "
                      "tests/signers/header.csv (did you mean 'Name'?)\n"
                      "tests/signers/header.csv:1: error: column 'Name' is not mapped: map it "
                      "with <column field=\"...\" header=\"Name\"/> or leave it out with <ignore "
                      "header=\"Name\"/>\n"
                      "tests/signers/header.csv:1: error: column 'Name' is not mapped: map it "
                      "with <column field=\"...\" header=\"Name\"/> or leave it out with <ignore "
                      "header=\"Name\"/>\n"
                      "tests/signers/header.csv:1: error: column 'Extra' is not mapped: map it "
                      "with <column field=\"...\" header=\"Extra\"/> or leave it out with "
                      "<ignore header=\"Extra\"/>\n"
                      "tests/signers/header.csv:1: error: column '' is not mapped: map it with "
                      "<column field=\"...\" header=\"\"/> or leave it out with <ignore "
                      "header=\"\"/>\n");
    expect_file_error("quote.csv", name_only,
                      "tests/signers/quote.csv:3:6: error: malformed CSV: a quote inside an "
                      "unquoted field, or text after a closing quote (quote the whole field and "
                      "double the quotes in it)\n");
    expect_file_error("unclosed.csv", name_only,
                      "tests/signers/unclosed.csv:3:1: error: malformed CSV: the quoted field "
                      "starting here is never closed\n");
    expect_file_error("utf16.csv", name_only,
                      "tests/signers/utf16.csv:1: error: the file is UTF-16: export it as CSV "
                      "in UTF-8 instead\n");
    expect_file_error("empty.csv", name_only,
                      "tests/signers/empty.csv:1: error: the file is empty: a header row is "
                      "needed\n");
    expect_file_error("nothere.csv", name_only,
                      "t.xml:3:13: error: cannot read signers file 'tests/signers/nothere.csv': "
                      "No such file or directory\n");
}

/* ---- duplicates ---- */

static void test_duplicates(void)
{
    struct fixture f;
    setup(&f, "dups.csv", LETTER_GROUP_NONE,
          (const char *const[]){"type=Type", "name=Name", "role=Role", "city=City",
                                "country=Country", "email=E-mail", NULL});
    char *messages;
    struct signers *s = load(&f, "en_GB", false, &messages);
    CHECK_STR(messages, "");
    CHECK(s && s->count == 4 && s->duplicates == 5);
    if (s && s->count == 4) {
        /* Kept: each set's earliest row, with what later rows add. */
        CHECK_STR(name_at(s, 0), "Ann Role");
        CHECK_STR(signers_value(s, &s->items[0], "role"), "Chair");
        CHECK_STR(name_at(s, 1), "José Núñez");
        CHECK(s->items[1].line == 2);
        CHECK_STR(name_at(s, 2), "José Núñez"); /* another city: another person */
        CHECK(s->items[2].line == 5);
        CHECK_STR(name_at(s, 3), "Sindicato"); /* an organisation may share an address */
        struct buffer report = {0};
        signers_report(s, &report);
        CHECK_STR(strstr(report.data, "Duplicates merged:\n"),
                  "Duplicates merged:\n"
                  "tests/signers/dups.csv:3: duplicate of line 2 (same name, city and "
                  "country); e-mail address differs from the kept one\n"
                  "tests/signers/dups.csv:4: duplicate of line 2 (same e-mail)\n"
                  "tests/signers/dups.csv:7: duplicate of line 2 (same name, city and country)\n"
                  "tests/signers/dups.csv:8: duplicate of line 2 (same name, city and country "
                  "as line 4); e-mail address differs from the kept one\n"
                  "tests/signers/dups.csv:10: duplicate of line 9 (same name, city and "
                  "country)\n");
        buffer_free(&report);
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

/* ---- collation and groups ---- */

static char *order(const struct signers *s)
{
    struct buffer b = {0};
    for (size_t i = 0; i < s->count; i++)
        buffer_printf(&b, "%s%s", i ? "; " : "", name_at(s, i));
    return b.data;
}

static void expect_order(const char *locale, const char *expected)
{
    struct fixture f;
    setup(&f, "collate.csv", LETTER_GROUP_NONE, (const char *const[]){"name=Name", NULL});
    char *messages;
    struct signers *s = load(&f, locale, false, &messages);
    CHECK_STR(messages, "");
    if (s) {
        char *got = order(s);
        CHECK_STR(got, expected);
        free(got);
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

static void test_collation(void)
{
    /* Latin with diacritics among its base letters, numbers by value,
     * then Greek, then Cyrillic (CLDR's root order) ... */
    expect_order(
        "en_GB",
        "adam Smith; Ahn Lee; Ähnlich Anna; Ćwik Anna; Czesław Miłosz; Émile Zola; Eve Black; "
        "Local 9; Local 10; Lucas Mann; Łukasz Nowak; Zoë Adams; Άλφα Βήτα; "
        "Ωμέγα Άλφα; Андрей Петров; Борис Ёлкин; Ёжик Иванов; Елена Белова");
    /* ... Cyrillic first for Russian readers (Ё sorts with Е); in Polish Ć
     * is a letter of its own, after C. */
    expect_order("ru_RU", "Андрей Петров; Борис Ёлкин; Ёжик Иванов; Елена Белова; adam Smith; "
                          "Ahn Lee; Ähnlich Anna; Ćwik Anna; Czesław Miłosz; Émile Zola; Eve "
                          "Black; Local 9; Local 10; "
                          "Lucas Mann; Łukasz Nowak; Zoë Adams; Άλφα Βήτα; Ωμέγα Άλφα");
    expect_order(
        "pl_PL",
        "adam Smith; Ahn Lee; Ähnlich Anna; Czesław Miłosz; Ćwik Anna; Émile Zola; Eve Black; "
        "Local 9; Local 10; Lucas Mann; Łukasz Nowak; Zoë Adams; Άλφα Βήτα; "
        "Ωμέγα Άλφα; Андрей Петров; Борис Ёлкин; Ёжик Иванов; Елена Белова");
}

/* The sort's comparison (primary keys, ICU's whole comparison where
 * those are equal) against the sign of strcmp of ICU's whole keys, over
 * random names and names one piece apart (an accent, a case, a
 * contraction's letter, a digit), in locales with contractions, reordered
 * scripts, backwards accents, a case level, shifted punctuation. */
static void test_collation_by_primary(void)
{
    static const char *const pieces[] = {
        "a",         "A",  "á", "a\xCC\x81", "ä",  "å",        "aa", "Aa", "æ", "b",  "c", "C",
        "ch",        "Ch", "č", "ć",         "d",  "e",        "é",  "è",  "ê", "ë",  "E", "f",
        "g",         "h",  "i", "I",         "ı",  "İ",        "l",  "ł",  "L", "ll", "n", "ñ",
        "o",         "ö",  "ø", "œ",         "r",  "ř",        "s",  "ś",  "ß", "ss", "t", "u",
        "ü",         "v",  "w", "y",         "z",  "ž",        "þ",  "ð",  " ", "-",  "'", "’",
        ".",         "0",  "1", "9",         "10", "007",      "е",  "ё",  "Ё", "ж",  "и", "й",
        "и\xCC\x86", "я",  "α", "ά",         "Ω",  "ς",        "σ",  "ק",  "ب", "ก",  "เ", "中",
        "日",        "가", "ｱ", "ア",        "ー", "\xCC\x88", "ǅ"};
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
                                          "und-u-kc-true",
                                          "und-u-kc-true-kf-upper",
                                          "und-u-ka-shifted",
                                          "und-u-ks-level2",
                                          "ln"};
    enum { PAIRS = 1500 };
    const size_t choices = sizeof pieces / sizeof *pieces;
    char *a[PAIRS], *b[PAIRS];
    unsigned seed = 5;
    for (size_t i = 0; i < PAIRS; i++) {
        char x[128] = "", y[128] = "";
        seed = seed * 1103515245u + 12345u;
        size_t count = 1 + (seed >> 16) % 6, changed = (seed >> 8) % count;
        bool close = i % 3 != 0; /* else two random names */
        for (size_t k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % choices];
            seed = seed * 1103515245u + 12345u;
            const char *q = close && k != changed ? p : pieces[(seed >> 16) % choices];
            strcat(x, p);
            strcat(y, q);
        }
        a[i] = strdup(x);
        b[i] = strdup(y);
    }
    size_t differ = 0, failed = 0;
    uint8_t ka[512], kb[512];
    UChar ua[256], ub[256];
    for (size_t l = 0; l < sizeof locales / sizeof *locales; l++) {
        int order[PAIRS];
        if (signers_collate_check(locales[l], (const char *const *)a, (const char *const *)b, PAIRS,
                                  order) != 0) {
            failed++;
            continue;
        }
        UErrorCode status = U_ZERO_ERROR;
        UCollator *coll = ucol_open(locales[l], &status);
        ucol_setAttribute(coll, UCOL_NUMERIC_COLLATION, UCOL_ON, &status);
        for (size_t i = 0; i < PAIRS && U_SUCCESS(status); i++) {
            int32_t la, lb;
            u_strFromUTF8(ua, 256, &la, a[i], -1, &status);
            u_strFromUTF8(ub, 256, &lb, b[i], -1, &status);
            ucol_getSortKey(coll, ua, la, ka, sizeof ka);
            ucol_getSortKey(coll, ub, lb, kb, sizeof kb);
            int c = strcmp((const char *)ka, (const char *)kb);
            differ += order[i] != (c > 0) - (c < 0);
        }
        failed += U_FAILURE(status);
        ucol_close(coll);
    }
    for (size_t i = 0; i < PAIRS; i++) {
        free(a[i]);
        free(b[i]);
    }
    CHECK(differ == 0 && failed == 0);
}

static const char *const country_columns[] = {"type=Type", "name=Name",    "country=Country",
                                              "city=City", "email=E-mail", NULL};

static void test_totals(void)
{
    struct fixture f;
    setup(&f, "countries.csv", LETTER_GROUP_COUNTRY, country_columns);
    char *messages;
    struct signers *s = load(&f, "fr_FR", false, &messages);
    CHECK_STR(messages, "");
    CHECK(s && s->count == 6 && s->individuals == 4 && s->organisations == 2 && s->countries == 3 &&
          s->group_count == 4);
    if (s && s->group_count == 4) {
        /* By the countries' names in the locale; no country last. */
        CHECK_STR(s->groups[0].name, "France");
        CHECK(s->groups[0].count == 2);
        CHECK_STR(s->groups[1].name, "Grèce");
        CHECK_STR(s->groups[2].name, "Kazakhstan");
        CHECK_STR(s->groups[2].key, "KZ");
        CHECK(s->groups[2].count == 2);
        CHECK_STR(s->groups[3].key, "");
        CHECK_STR(annex_group_name(&s->groups[3], "fr"), "Pays non indiqué");
        CHECK_STR(name_at(s, 0), "CGT Énergie");
        CHECK_STR(name_at(s, 1), "Jean Dupont");
        CHECK_STR(name_at(s, 5), "Nobody Known");
        /* What templates see. */
        struct arena *arena = arena_new();
        struct value *v = annex_value(arena, s, "fr", (struct source_loc){0});
        CHECK_STR(value_map_get(v, "signers")->string, "6");
        CHECK_STR(value_map_get(v, "individuals")->string, "4");
        CHECK_STR(value_map_get(v, "organisations")->string, "2");
        CHECK_STR(value_map_get(v, "countries")->string, "3");
        const struct value *orgs = value_map_get(v, "organisation_names");
        CHECK(orgs->count == 2);
        if (orgs->count == 2) {
            CHECK_STR(orgs->items[0]->string, "CGT Énergie");
            CHECK_STR(orgs->items[1]->string, "Mangystau Union");
        }
        CHECK(value_map_get(v, "groups")->count == 4);
        arena_free(arena);
    }
    signers_free(s);
    free(messages);
    teardown(&f);
}

/* ---- the annex ---- */

static char *annex_text(enum letter_group_by group_by, const char *language, const char *locale)
{
    struct fixture f;
    setup(&f, "countries.csv", group_by, country_columns);
    char *messages;
    struct signers *s = load(&f, locale, false, &messages);
    free(messages);
    struct doc_document *doc = doc_new(language);
    annex_add(doc, s, &f.petition, locale);
    struct buffer out = {0};
    struct errors errors = {0};
    CHECK(text_render(doc, 72, &out, &errors) == 0);
    errors_clear(&errors);
    doc_free(doc);
    signers_free(s);
    teardown(&f);
    return out.data;
}

static void test_annex(void)
{
    char *text = annex_text(LETTER_GROUP_TYPE, "en", "en_GB");
    CHECK_STR(text, "Signatories (6)\n"
                    "\n"
                    "Organisations (2)\n"
                    "CGT Énergie, Paris, France\n"
                    "Mangystau Union, Aktau, Kazakhstan\n"
                    "\n"
                    "Individuals (4)\n"
                    "Jean Dupont, France\n"
                    "Nobody Known\n"
                    "Νίκος Οικονόμου, Αθήνα, Greece\n"
                    "Гүлнар Жақсыбекова, Aktau, Kazakhstan\n");
    free(text);
    text = annex_text(LETTER_GROUP_COUNTRY, "ru", "ru_RU");
    CHECK_STR(text, "Подписавшие (6)\n"
                    "\n"
                    "Греция (1)\n"
                    "Νίκος Οικονόμου, Αθήνα\n"
                    "\n"
                    "Казахстан (2)\n"
                    "Гүлнар Жақсыбекова, Aktau\n"
                    "Mangystau Union, Aktau\n"
                    "\n"
                    "Франция (2)\n"
                    "CGT Énergie, Paris\n"
                    "Jean Dupont\n"
                    "\n"
                    "Страна не указана (1)\n"
                    "Nobody Known\n");
    free(text);

    struct arena *arena = arena_new();
    CHECK_STR(annex_number(arena, "en_GB", 12408), "12,408");
    CHECK_STR(annex_number(arena, "fr_FR", 12408), "12\u202F408");
    CHECK_STR(annex_number(arena, "de_DE", 1234567), "1.234.567");
    arena_free(arena);
}

/* The number filter: counts in the locale's style; anything else is an
 * error. */
static char *apply_number(const char *n, const char *locale, char **messages)
{
    struct errors errors = {0};
    struct tmpl *t = tmpl_load("tests/signers/number.xml", &errors);
    CHECK(t != NULL);
    struct doc_document *doc = doc_new("en");
    struct arena *arena = doc->arena;
    struct value *scope = value_map(arena, (struct source_loc){0});
    value_map_set(arena, scope, "n", value_string(arena, n, (struct source_loc){0}));
    struct tmpl_env env = {.scope = scope, .language = "en", .locale = locale};
    char *text = NULL;
    if (t && tmpl_apply(t, &env, doc, &errors) == 0)
        text = strdup(doc_plain_text(arena, doc->root->first_child, "en"));
    *messages = errors_text(&errors);
    errors_clear(&errors);
    doc_free(doc);
    tmpl_free(t);
    return text;
}

static void test_number_filter(void)
{
    char *messages;
    char *text = apply_number("12408", "en_GB", &messages);
    CHECK_STR(text, "signed by 12,408 people");
    free(text);
    free(messages);
    text = apply_number("1234567", "ru_RU", &messages);
    CHECK_STR(text, "signed by 1\u00A0234\u00A0567 people");
    free(text);
    free(messages);
    text = apply_number("many", "en_GB", &messages);
    CHECK(text == NULL);
    CHECK_STR(messages, "tests/signers/number.xml:3:16: error: invalid number 'many' (expected "
                        "digits such as 12408)\n");
    free(text);
    free(messages);
}

/* A duplicate key is the hash of the NFKC_Casefold form: the same for a
 * text and its folded form (ICU's, made here the plain way), also when
 * folding grows the text past the room first made for it (U+FDFA is
 * eighteen letters). */
static void test_keys(void)
{
    static const char *const texts[] = {
        "JOS\u00C9 N\u00DA\u00D1EZ",
        "Jose\u0301",
        "\uFB01\u00DF \u0130",
        "\u0419\u043E\u0441\u0438\u0444",
        "\uFDFA",
        "\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA\uFDFA",
        "\u2460\u3392 x"};
    struct buffer scratch = {0};
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        UChar wide[512], folded[2048];
        char utf8[4096];
        int32_t n = 0, bytes = 0;
        status = U_ZERO_ERROR;
        u_strFromUTF8(wide, 512, &n, texts[i], -1, &status);
        n = unorm2_normalize(nfkc_cf, wide, n, folded, 2048, &status);
        u_strToUTF8(utf8, sizeof utf8, &bytes, folded, n, &status);
        CHECK(U_SUCCESS(status));
        uint64_t a[2], b[2];
        signers_key_hash(SIGNER_INDIVIDUAL, texts[i], strlen(texts[i]), &scratch, a);
        signers_key_hash(SIGNER_INDIVIDUAL, utf8, (size_t)bytes, &scratch, b);
        CHECK(a[0] == b[0] && a[1] == b[1]);
        signers_key_hash(SIGNER_ORGANISATION, texts[i], strlen(texts[i]), &scratch, b);
        CHECK(a[0] != b[0] || a[1] != b[1]);
    }
    uint64_t a[2], b[2];
    signers_key_hash(SIGNER_INDIVIDUAL, "JOS\u00C9", strlen("JOS\u00C9"), &scratch, a);
    signers_key_hash(SIGNER_INDIVIDUAL, "jos\u00E9", strlen("jos\u00E9"), &scratch, b);
    CHECK(a[0] == b[0] && a[1] == b[1]);
    signers_key_hash(SIGNER_INDIVIDUAL, "jos\u00E8", strlen("jos\u00E8"), &scratch, b);
    CHECK(a[0] != b[0] || a[1] != b[1]);
    buffer_free(&scratch);
}

/* Keys folded from signers_keys.c's table are ICU's: every code point
 * below U+0800 alone, and random texts of letters, capitals, combining
 * marks, ligatures, final sigma, dotted I, fullwidth and other letters
 * past the table, hashed both ways. */
static void test_keys_by_table(void)
{
    struct buffer scratch = {0}, text = {0};
    size_t differ = 0, texts = 0;
    for (UChar32 c = 1; c < 0x800; c++) {
        char one[8];
        int32_t n = 0;
        U8_APPEND_UNSAFE(one, n, c);
        uint64_t a[2], b[2];
        signers_icu_always = false;
        signers_key_hash(SIGNER_INDIVIDUAL, one, (size_t)n, &scratch, a);
        signers_icu_always = true;
        signers_key_hash(SIGNER_INDIVIDUAL, one, (size_t)n, &scratch, b);
        differ += a[0] != b[0] || a[1] != b[1];
        texts++;
    }
    static const UChar32 pool[] = {
        'a',   'Z',   ' ',   '-',    '\'',   '1',    0xC0,   0xC9,   0xDF,   0xE9,
        0xF1,  0x130, 0x131, 0x141,  0x17F,  0x1C4,  0x1C5,  0x1F0,  0x300,  0x301,
        0x308, 0x327, 0x345, 0x386,  0x390,  0x3A3,  0x3C2,  0x3C3,  0x3D0,  0x3F4,
        0x401, 0x419, 0x439, 0x4D8,  0x4E9,  0x587,  0x5D0,  0x627,  0x653,  0x6F0,
        0x7FF, 0xAD,  0xBD,  0x2460, 0xFB01, 0xFF21, 0x1E9E, 0x1F88, 0x3392, 0x10400};
    unsigned seed = 17;
    for (size_t t = 0; t < 20000; t++) {
        buffer_reset(&text);
        seed = seed * 1103515245u + 12345u;
        size_t count = 1 + (seed >> 16) % 12;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            /* Mostly the table's own code points, some past it. */
            size_t choices = t % 4 ? 43 : sizeof pool / sizeof pool[0];
            char bytes[8];
            int32_t n = 0;
            U8_APPEND_UNSAFE(bytes, n, pool[(seed >> 16) % choices]);
            buffer_append(&text, bytes, (size_t)n);
        }
        uint64_t a[2], b[2];
        signers_icu_always = false;
        signers_key_hash(SIGNER_ORGANISATION, text.data, text.len, &scratch, a);
        signers_icu_always = true;
        signers_key_hash(SIGNER_ORGANISATION, text.data, text.len, &scratch, b);
        signers_icu_always = false;
        if (a[0] != b[0] || a[1] != b[1]) {
            differ++;
            printf("folded differently: [%s]\n", text.data);
        }
        texts++;
    }
    /* ASCII, lowered eight bytes at a time, against ICU (every byte but
     * NUL, any length around a word's). */
    for (size_t t = 0; t < 5000; t++) {
        buffer_reset(&text);
        seed = seed * 1103515245u + 12345u;
        size_t count = 1 + (seed >> 16) % 40;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer_putc(&text, (char)(1 + (seed >> 16) % 127));
        }
        uint64_t a[2], b[2];
        signers_key_hash(SIGNER_INDIVIDUAL, text.data, text.len, &scratch, a);
        signers_icu_always = true;
        signers_key_hash(SIGNER_INDIVIDUAL, text.data, text.len, &scratch, b);
        signers_icu_always = false;
        differ += a[0] != b[0] || a[1] != b[1];
        texts++;
    }
    printf("keys by table: %zu texts, %zu folded differently\n", texts, differ);
    CHECK(differ == 0);
    buffer_free(&scratch);
    buffer_free(&text);
}

CHECK_MAIN("signers", test_keys(); test_keys_by_table(); test_edge_cases(); test_row_errors();
           test_long_runs(); test_file_errors(); test_many_errors(); test_duplicates();
           test_collation(); test_collation_by_primary(); test_totals(); test_annex();
           test_number_filter())
