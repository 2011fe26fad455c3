/* test_layout_entry.c — a wrapped annex entry's lines from the fast path
 * (layout_entry_lines) against layout_paragraph's on the same one run:
 * random entries made of a petition's words (accented Latin, Cyrillic,
 * Greek, Hebrew and Arabic, combining accents, wide characters, number
 * signs, initials, codes, days and months, hyphens, slashes, quotes) and
 * the example petition's own signers, at random widths and at widths
 * exactly those of a line's start or of the whole entry, measured as the text output measures
 * (columns), as the PDF's annex does (the bundled fonts, remembered
 * widths) and by a measure whose widths are not whole numbers. When the
 * fast path answers, the lines must be layout_paragraph's, text for text. */
#include "check.h"
#include "fonts.h"

#include "arena.h"
#include "buffer.h"
#include "font.h"
#include "layout.h"
#include "pdf_annex_measure.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = {"Agnieszka",   "Götovsker,",
                                    "shop",        "steward,",
                                    "Профсоюз",    "нефтяников",
                                    "№",           "1808,",
                                    "Wrocław,",    "Poland",
                                    "No.",         "573,",
                                    "The",         "“Solidarity”",
                                    "Miners’",     "Union",
                                    "J.",          "J.-P.",
                                    "Smith,",      "ICEM-IMF11/EN",
                                    "LT/107",      "Saint-Étienne,",
                                    "A",           "Coruña,",
                                    "Spain",       "8",
                                    "August",      "6",
                                    "de",          "septiembre",
                                    "45",          "km",
                                    "в",           "и",
                                    "Αθήνα,",      "Γιώργος",
                                    "שלום",        "مرحبا",
                                    "Zoe\u0301",   "Jose\u0301,",
                                    "東京",        "Oddział",
                                    "4874,",       "Sección",
                                    "235,",        "a/b",
                                    "(Local",      "12),",
                                    "Jean-Pierre", "—",
                                    "Kraków",      "Łódź,",
                                    "Маңғыстау",   "кәсіподағы",
                                    "ü",           "President,",
                                    "Union",       "of",
                                    "Oil",         "and",
                                    "Gas",         "Workers,",
                                    "Treasurer,",  "Κατερίνα",
                                    "Ηράκλειο,",   "Greece",
                                    "Öz-",         "Ab",
                                    "x",           "IA-ITUC22-EN-PT-12"};
#define WORD_COUNT (sizeof words / sizeof words[0])

static const char *const languages[] = {"en", "ru", "fr", "de", "es", "kk", "pl"};

/* One column per character, as the text output counts. */
static double columns(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    (void)style;
    return text_columns(text, len);
}

/* Widths that are not whole numbers, nor the sum of their parts'. */
static double uneven(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    (void)style;
    double width = 0;
    for (size_t i = 0; i < len; i++)
        width += 0.37 + ((unsigned char)text[i] % 7) * 0.113;
    return width + (len > 1 ? 0.05 * ((unsigned char)text[0] % 3) : 0);
}

struct measure {
    layout_measure_fn fn;
    void *context;
};

struct tally {
    size_t cases, one, two, general, differ;
};

/* The lines layout_paragraph gives text at width, as text[from, to)
 * ranges; false when a line is not a stretch of text. */
static bool general_lines(const char *text, size_t len, double width, const struct measure *m,
                          const char *language, size_t *count, struct layout_entry_line *lines,
                          size_t room)
{
    struct arena *arena = arena_new();
    struct doc_run run = {.text = text, .len = len};
    struct layout_lines out;
    layout_paragraph(arena, &run, 1, width, m->fn, m->context, language, &out);
    *count = out.count;
    bool stretches = true;
    size_t at = 0;
    struct buffer b = {0};
    for (size_t i = 0; i < out.count && i < room; i++) {
        buffer_reset(&b);
        const struct layout_line *line = &out.lines[i];
        for (size_t p = 0; p < line->count; p++) {
            buffer_append(&b, line->pieces[p].text, line->pieces[p].len);
            if (line->pieces[p].space_after > 0 && p + 1 < line->count)
                buffer_putc(&b, ' ');
        }
        const char *found = b.len ? strstr(text + at, b.data ? b.data : "") : NULL;
        /* The line starts where the one before ended, or after its space. */
        stretches = stretches && found && (found == text + at || found == text + at + 1) &&
                    !line->hyphen_width;
        if (!found)
            break;
        lines[i] =
            (struct layout_entry_line){(size_t)(found - text), (size_t)(found - text) + b.len};
        at = lines[i].to;
    }
    buffer_free(&b);
    arena_free(arena);
    return stretches;
}

/* Compares the fast path's lines with layout_paragraph's for one text at
 * one width. */
static void compare(const char *text, double width, const struct measure *m, const char *language,
                    struct tally *t)
{
    size_t len = strlen(text);
    struct layout_entry_line fast[2], general[8];
    size_t n = layout_entry_lines(text, len, width, m->fn, m->context, 0, language, fast);
    size_t count;
    bool stretches = general_lines(text, len, width, m, language, &count, general, 8);
    t->cases++;
    if (n == 0) {
        t->general++;
        return;
    }
    t->one += n == 1;
    t->two += n == 2;
    bool same = stretches && count == n;
    for (size_t i = 0; same && i < n; i++)
        same = fast[i].from == general[i].from && fast[i].to == general[i].to;
    if (!same && t->differ++ < 5)
        fprintf(stderr, "differ at width %.17g (%s): \"%s\": fast %zu lines, general %zu\n", width,
                language, text, n, count);
}

/* A random entry of 3 to 13 words, single spaces between them. */
static void random_entry(char *out, size_t room)
{
    out[0] = '\0';
    int n = 3 + rand() % 11;
    for (int k = 0; k < n; k++) {
        const char *w = words[(size_t)rand() % WORD_COUNT];
        if (strlen(out) + strlen(w) + 2 >= room)
            break;
        if (k)
            strcat(out, " ");
        strcat(out, w);
    }
}

/* Widths to try for text: random ones, and exactly the natural width of
 * each of its starts up to a space, and a hair either side. */
static size_t widths_for(const char *text, const struct measure *m, double *widths, size_t room)
{
    size_t n = 0;
    double whole = m->fn(m->context, text, strlen(text), 0);
    for (int k = 0; k < 3 && n < room; k++)
        widths[n++] = whole * (0.3 + 0.7 * rand() / (double)RAND_MAX);
    widths[n++] = whole; /* one line, just */
    widths[n++] = whole + 1;
    for (const char *s = strchr(text, ' '); s && n + 3 <= room; s = strchr(s + 1, ' ')) {
        if (rand() % 3)
            continue;
        /* layout.c sums items right to left, a space after each: the same
         * width when the widths are whole, near it otherwise. */
        double w = m->fn(m->context, text, (size_t)(s - text), 0);
        widths[n++] = w;
        widths[n++] = w - 1e-9;
        widths[n++] = w + 2e-9;
    }
    return n;
}

static void run(const char *name, const struct measure *m, const char *const *texts, size_t count,
                int rounds)
{
    struct tally t = {0};
    char text[512];
    for (int r = 0; r < rounds; r++) {
        const char *entry = texts ? texts[(size_t)r % count] : text;
        if (!texts)
            random_entry(text, sizeof text);
        double widths[64];
        size_t n = widths_for(entry, m, widths, 64);
        const char *language = languages[(size_t)rand() % (sizeof languages / sizeof *languages)];
        for (size_t k = 0; k < n; k++)
            compare(entry, widths[k], m, language, &t);
    }
    printf("%s: %zu cases, fast path %zu (one line %zu, two %zu), general %zu; %zu differ\n", name,
           t.cases, t.one + t.two, t.one, t.two, t.general, t.differ);
    CHECK(t.differ == 0);
    /* The fast path must have answered, on one line and on two. */
    CHECK(t.one > 0 && t.two > t.cases / 10);
}

/* The example petition's signers as the annex writes them (name,
 * position, organisation, city: its fields but the first and the last
 * four, joined by ", "). */
static size_t real_entries(char ***out)
{
    FILE *f = fopen("letters/petitions/oil-workers-2022.csv", "r");
    size_t count = 0;
    *out = NULL;
    if (!f)
        return 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *fields[9] = {0};
        size_t n = 0;
        for (char *s = line; n < 9 && s; n++) {
            fields[n] = s;
            s = strchr(s, ',');
            if (s)
                *s++ = '\0';
        }
        if (n < 6 || !fields[1][0] || strchr(line, '"'))
            continue;
        char entry[512];
        snprintf(entry, sizeof entry, "%s%s%s%s%s, %s, %s 628", fields[1], fields[3][0] ? ", " : "",
                 fields[3], fields[2][0] ? ", " : "", fields[2], fields[4], fields[5]);
        *out = realloc(*out, (count + 1) * sizeof **out);
        (*out)[count++] = strdup(entry);
    }
    fclose(f);
    return count;
}

static void test_entries(void)
{
    srand(1717);
    struct measure cols = {columns, NULL}, odd = {uneven, NULL};
    run("columns, random", &cols, NULL, 0, 6000);
    run("uneven, random", &odd, NULL, 0, 3000);
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&test_fonts, &errors);
    CHECK(fs != NULL);
    struct font_layout layout = {fs, "en", 9.35, 0};
    struct pdf_measures *measures = fs ? pdf_measures_new(&layout) : NULL;
    struct measure pdf = {pdf_measures_measure, measures};
    if (fs)
        run("fonts, random", &pdf, NULL, 0, 3000);
    char **real;
    size_t count = real_entries(&real);
    CHECK(count > 100);
    run("columns, the example's signers", &cols, (const char *const *)real, count, (int)count * 4);
    if (fs)
        run("fonts, the example's signers", &pdf, (const char *const *)real, count, (int)count * 4);
    for (size_t i = 0; i < count; i++)
        free(real[i]);
    free(real);
    if (measures)
        pdf_measures_free(measures);
    font_set_free(fs);
    errors_clear(&errors);
}

CHECK_MAIN("layout_entry", test_entries())
