/* test_layout.c — line filling: where lines break (total fit against greedy),
 * pieces at style changes, spaces, no-break spaces, forced breaks, overlong
 * words, and the quotation marks doc_runs puts around quotes. */
#include "check.h"

#include "arena.h"
#include "buffer.h"
#include "doc.h"
#include "hyphenate.h"
#include "layout.h"
#include "layout_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One column per code point; bold counts double so that tests can see which
 * style a space was measured in. */
static double measure(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    double width = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            width++;
    return style & DOC_STYLE_BOLD ? 2 * width : width;
}

/* The lines as one string: pieces joined by their spaces, or by "|" where
 * two pieces touch; "$" marks a line that is never justified. */
static char *show(struct arena *arena, const struct layout_lines *lines)
{
    struct buffer b = {0};
    for (size_t i = 0; i < lines->count; i++) {
        const struct layout_line *line = &lines->lines[i];
        for (size_t p = 0; p < line->count; p++) {
            buffer_append(&b, line->pieces[p].text, line->pieces[p].len);
            if (p + 1 < line->count) {
                if (line->pieces[p].space_after > 0)
                    buffer_repeat(&b, ' ', (size_t)line->pieces[p].space_after);
                else
                    buffer_putc(&b, '|');
            }
        }
        if (line->hyphen_width > 0)
            buffer_putc(&b, '-');
        buffer_puts(&b, line->last ? "$\n" : "\n");
    }
    char *s = arena_strdup(arena, b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

static struct doc_run run(const char *text, unsigned style)
{
    return (struct doc_run){
        .text = text, .len = strlen(text), .style = style, .line_break = strcmp(text, "\n") == 0};
}

static char *fill(struct arena *arena, const struct doc_run *runs, size_t count, double width,
                  const char *language, struct layout_lines *lines)
{
    layout_paragraph(arena, runs, count, width, measure, NULL, language, lines);
    return show(arena, lines);
}

/* Sum of squared slack over every line but the last. */
static double raggedness(const struct layout_lines *lines, double width)
{
    double sum = 0;
    for (size_t i = 0; i + 1 < lines->count; i++)
        sum += (width - lines->lines[i].width) * (width - lines->lines[i].width);
    return sum;
}

static void test_total_fit(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct doc_run small[] = {run("aaa bb cc ddddd", 0)};
    /* Greedy first fit would give "aaa bb" / "cc" / "ddddd". */
    CHECK_STR(fill(arena, small, 1, 6, "en", &lines), "aaa\nbb cc\nddddd$\n");

    struct doc_run para[] = {
        run("On behalf of 45 million industrial workers represented by the International "
            "Metalworkers\u2019 Federation (IMF) and the International Federation of Chemical, "
            "Energy, Mine and General Workers\u2019 Unions (ICEM) we are writing to you to express "
            "our serious concern.",
            0)};
    /* Greedy first fit keeps "(IMF)" on the fourth line and leaves the fifth
     * short: "Metalworkers’ Federation (IMF)" / "and the International",
     * raggedness 317. Total fit moves "(IMF)" down: raggedness 281. */
    CHECK_STR(fill(arena, para, 1, 30, "en", &lines), "On behalf of 45 million\n"
                                                      "industrial workers represented\n"
                                                      "by the International\n"
                                                      "Metalworkers\u2019 Federation\n"
                                                      "(IMF) and the International\n"
                                                      "Federation of Chemical,\n"
                                                      "Energy, Mine and General\n"
                                                      "Workers\u2019 Unions (ICEM) we are\n"
                                                      "writing to you to express our\n"
                                                      "serious concern.$\n");
    CHECK(raggedness(&lines, 30) == 281);
    CHECK(lines.count == 10);
    arena_free(arena);
}

static void test_geometry(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct doc_run runs[] = {run("ab cd ef gh", 0)};
    CHECK_STR(fill(arena, runs, 1, 8, "en", &lines), "ab cd ef\ngh$\n");
    const struct layout_line *first = &lines.lines[0];
    CHECK(first->count == 3);
    CHECK(first->width == 8);
    CHECK(first->gaps == 2);
    CHECK(!first->last);
    CHECK(first->pieces[0].x == 0 && first->pieces[1].x == 3 && first->pieces[2].x == 6);
    CHECK(first->pieces[0].space_after == 1 && first->pieces[2].space_after == 0);
    CHECK(lines.lines[1].last && lines.lines[1].gaps == 0);
    /* Pieces point into the runs' text. */
    CHECK(first->pieces[1].text == runs[0].text + 3 && first->pieces[1].len == 2);

    struct doc_run none[1];
    layout_paragraph(arena, none, 0, 10, measure, NULL, "en", &lines);
    CHECK(lines.count == 0);
    arena_free(arena);
}

static void test_styles_inside_words(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    /* "unbelievable" with "believ" in italics: no break inside it even when
     * the line is too narrow for it. */
    struct doc_run runs[] = {run("an un", 0), run("believ", DOC_STYLE_ITALIC),
                             run("able truth", 0)};
    CHECK_STR(fill(arena, runs, 3, 40, "en", &lines), "an un|believ|able truth$\n");
    CHECK(lines.lines[0].count == 5);
    CHECK(lines.lines[0].pieces[1].style == 0 && lines.lines[0].pieces[1].space_after == 0);
    CHECK(lines.lines[0].pieces[2].style == DOC_STYLE_ITALIC);
    CHECK(lines.lines[0].pieces[2].x == 5);
    CHECK(lines.lines[0].gaps == 2);
    CHECK_STR(fill(arena, runs, 3, 8, "en", &lines), "an\nun|believ|able\ntruth$\n");

    /* A space is measured in its own style: bold here, roman there. */
    struct doc_run bold_space[] = {run("ab ", DOC_STYLE_BOLD), run("cd", 0)};
    fill(arena, bold_space, 2, 40, "en", &lines);
    CHECK(lines.lines[0].pieces[0].width == 4 && lines.lines[0].pieces[0].space_after == 2);
    CHECK(lines.lines[0].width == 8);
    struct doc_run roman_space[] = {run("ab", DOC_STYLE_BOLD), run(" cd", 0)};
    fill(arena, roman_space, 2, 40, "en", &lines);
    CHECK(lines.lines[0].pieces[0].space_after == 1 && lines.lines[0].width == 7);
    arena_free(arena);
}

static void test_hyphen(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    /* ICU may break after a hyphen; untaken, the word is one piece again. */
    struct doc_run runs[] = {run("a 28-year old operator", 0)};
    CHECK_STR(fill(arena, runs, 1, 30, "en", &lines), "a 28-year old operator$\n");
    CHECK(lines.lines[0].count == 4);
    CHECK_STR(fill(arena, runs, 1, 6, "en", &lines), "a 28-\nyear\nold\noperator$\n");
    arena_free(arena);
}

static void test_no_break_spaces(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct doc_run runs[] = {run("par M.\u00A0Dupont et\u202FMme\u00A0X", 0)};
    CHECK_STR(fill(arena, runs, 1, 13, "fr", &lines), "par M.\u00A0Dupont\net\u202FMme\u00A0X$\n");
    /* Too narrow for "M. Dupont": it overflows rather than breaking. */
    CHECK_STR(fill(arena, runs, 1, 5, "fr", &lines), "par\nM.\u00A0Dupont\net\u202FMme\u00A0X$\n");
    CHECK(lines.lines[1].count == 1 && lines.lines[1].width == 9);
    arena_free(arena);
}

static void test_forced_breaks(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct doc_run runs[] = {run("one two", 0), run("\n", 0), run("three four five", 0)};
    CHECK_STR(fill(arena, runs, 3, 40, "en", &lines), "one two$\nthree four five$\n");
    CHECK_STR(fill(arena, runs, 3, 10, "en", &lines), "one two$\nthree four\nfive$\n");
    /* Two breaks leave an empty line; one at the very end adds nothing. */
    struct doc_run twice[] = {run("a", 0), run("\n", 0), run("\n", 0), run("b", 0), run("\n", 0)};
    CHECK_STR(fill(arena, twice, 5, 40, "en", &lines), "a$\n$\nb$\n");
    CHECK(lines.count == 3 && lines.lines[1].count == 0);
    arena_free(arena);
}

static void test_overlong_word(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct doc_run runs[] = {run("a b supercalifragilistic c d", 0)};
    CHECK_STR(fill(arena, runs, 1, 10, "en", &lines), "a b\nsupercalifragilistic\nc d$\n");
    CHECK(lines.lines[1].width == 20);
    arena_free(arena);
}

/* A paragraph "He said <q>stop <q>now</q></q> twice." through doc_runs. */
static char *quoted(struct arena *arena, const char *language, double width)
{
    struct doc_document *doc = doc_new(language);
    struct source_loc loc = {"t.xml", 1, 1};
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, loc);
    doc_text_add(doc, p, NULL, "He said ", 8, loc);
    struct doc_inline *q = doc_inline_add(doc, p, NULL, DOC_QUOTE, loc);
    doc_text_add(doc, p, q, " stop ", 6, loc);
    struct doc_inline *inner = doc_inline_add(doc, p, q, DOC_QUOTE, loc);
    doc_text_add(doc, p, inner, "now", 3, loc);
    doc_text_add(doc, p, NULL, " twice.", 7, loc);
    struct doc_run *runs;
    size_t count = doc_runs(arena, p, doc->language, &runs);
    struct layout_lines lines;
    char *s = fill(arena, runs, count, width, doc->language, &lines);
    doc_free(doc);
    return s;
}

static void test_quotation_marks(void)
{
    struct arena *arena = arena_new();
    /* The marks are runs of their own, so they are pieces of their own, but
     * no break separates them from the words they hug. */
    CHECK_STR(quoted(arena, "en", 40), "He said \u201C|stop \u2018|now|\u2019|\u201D twice.$\n");
    CHECK_STR(quoted(arena, "de", 40), "He said \u201E|stop \u201A|now|\u2018|\u201C twice.$\n");
    CHECK_STR(quoted(arena, "fr", 40),
              "He said \u00AB\u00A0|stop \u201C|now|\u201D|\u00A0\u00BB twice.$\n");
    /* The French marks stay on their words: no line starts with "»". */
    CHECK_STR(quoted(arena, "fr", 9),
              "He said\n\u00AB\u00A0|stop\n\u201C|now|\u201D|\u00A0\u00BB\ntwice.$\n");
    arena_free(arena);
}

/* Letters one unit wide, spaces four: room for stretch and shrink to show. */
static double wide_spaces(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    (void)style;
    double width = 0;
    for (size_t i = 0; i < len; i++)
        width += text[i] == ' ' ? 4 : ((unsigned char)text[i] & 0xC0) != 0x80;
    return width;
}

static char *justify(struct arena *arena, const char *text, double width, const char *language,
                     struct layout_params *params, struct layout_lines *lines)
{
    struct doc_run runs[] = {run(text, 0)};
    layout_paragraph_with(arena, runs, 1, width, wide_spaces, NULL, language, params, lines);
    return show(arena, lines);
}

static void test_knuth_plass_shrink(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct layout_params kp, ragged;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
    layout_params_default(&ragged, LAYOUT_RAGGED, "en");
    /* 20 units wide at natural spacing; the three spaces may give up 20%
     * (2.4 units) each: one line at 19, the ratio -1/2.4. */
    CHECK_STR(justify(arena, "aa bb cc dd", 19, "en", &kp, &lines), "aa    bb    cc    dd$\n");
    CHECK(lines.count == 1 && fabs(lines.lines[0].ratio + 1 / 2.4) < 1e-9);
    CHECK(lines.lines[0].fitness == 1 && !lines.emergency);
    /* Never shrinks past 80%: at 17 the line must break. */
    CHECK_STR(justify(arena, "aa bb cc dd", 17, "en", &kp, &lines), "aa    bb    cc\ndd$\n");
    /* The ragged breaker never shrinks. */
    CHECK_STR(justify(arena, "aa bb cc dd", 19, "en", &ragged, &lines), "aa    bb    cc\ndd$\n");
    arena_free(arena);
}

static void test_knuth_plass_demerits(void)
{
    struct arena *arena = arena_new();
    struct layout_lines old, kp_lines;
    struct layout_params kp, ragged;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
    layout_params_default(&ragged, LAYOUT_RAGGED, "en");
    const char *text = "On behalf of 45 million industrial workers represented by the "
                       "International Metalworkers\u2019 Federation (IMF) and the International "
                       "Federation of Chemical, Energy, Mine and General Workers\u2019 Unions "
                       "(ICEM) we are writing to you to express our serious concern.";
    justify(arena, text, 120, "en", &ragged, &old);
    justify(arena, text, 120, "en", &kp, &kp_lines);
    /* Measured in one run: the old breaker's lines cost what layout_demerits
     * says under the same rules, and Knuth-Plass finds cheaper ones. */
    double old_total = layout_demerits(&old, 120, &kp);
    printf("demerits: old %.1f, Knuth-Plass %.1f\n", old_total, kp_lines.demerits);
    CHECK(kp_lines.demerits < old_total);
    CHECK(!kp_lines.emergency);
    double worst = 0;
    for (size_t i = 0; i + 1 < kp_lines.count; i++)
        worst = fmax(worst, kp_lines.lines[i].ratio);
    CHECK(worst <= 1);
    arena_free(arena);
}

static void test_knuth_plass_looseness(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct layout_params kp;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
    /* 24 words of 3 at width 50: eight a line, shrunk (ratio -0.36), make 3
     * lines; looseness 1 asks for 4, the cheapest of which loosens the
     * first line (ratio 0.42) and leaves one word on the last. */
    const char *text = "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp qqq "
                       "rrr sss ttt uuu vvv www xxx";
    justify(arena, text, 50, "en", &kp, &lines);
    CHECK(lines.count == 3);
    kp.looseness = 1;
    justify(arena, text, 50, "en", &kp, &lines);
    CHECK_STR(show(arena, &lines), "aaa    bbb    ccc    ddd    eee    fff    ggg\n"
                                   "hhh    iii    jjj    kkk    lll    mmm    nnn    ooo\n"
                                   "ppp    qqq    rrr    sss    ttt    uuu    vvv    www\n"
                                   "xxx$\n");
    /* Fewer lines than the best are not feasible: the best stays. */
    kp.looseness = -1;
    justify(arena, text, 50, "en", &kp, &lines);
    CHECK(lines.count == 3);
    arena_free(arena);
}

static void test_knuth_plass_emergency(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    struct layout_params kp;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
    kp.hyphenate = false;
    /* No set of lines within ratio 1: the emergency pass still sets it,
     * and an overlong word stands alone. */
    CHECK_STR(justify(arena, "a supercalifragilistic b", 10, "en", &kp, &lines),
              "a\nsupercalifragilistic\nb$\n");
    CHECK(lines.emergency);
    CHECK(lines.lines[1].badness == 10000);
    CHECK(lines.best_ratio < 0); /* none: a word wider than the measure */
    /* A paragraph whose only set without an overfull line stretches its
     * first line to ratio 11 (22 units over one gap that gives 2 a ratio),
     * far past badness 10000's ratio 4.64: the bisection still proves it
     * the least possible, and the lines are those. */
    CHECK_STR(justify(arena, "aa bb cccccccccccccccccccccccccccccc", 30, "en", &kp, &lines),
              "aa    bb\ncccccccccccccccccccccccccccccc$\n");
    CHECK(lines.emergency);
    printf("best ratio of a first line stretched 22 units over one gap: %.4f\n", lines.best_ratio);
    CHECK(fabs(lines.best_ratio - 11) < 0.01);
    CHECK(fabs(lines.lines[0].ratio - 11) < 1e-9);
    arena_free(arena);
}

/* Widths in fractions, as a font's are: each letter its own advance, so
 * that lines are rarely exact and the bisection's bounds fall between
 * lines' ratios. */
static double fractional(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    (void)style;
    double width = 0;
    for (size_t i = 0; i < len; i++)
        width += text[i] == ' ' ? 0.25 : 0.3 + 0.0371 * (double)((unsigned char)text[i] % 11);
    return width;
}

/* The emergency bisection answered by least_badness chooses exactly the
 * lines, demerits and least ratio that a pass at each of its steps chose
 * (layout_kp_by_passes), in paragraphs that need it: long words at narrow
 * measures, hyphenated and not, ragged runs of names as a petition's
 * organisations paragraph has. */
static void test_knuth_plass_least_badness(void)
{
    static const char *const words[] = {"representatives",
                                        "of",
                                        "the",
                                        "international",
                                        "federation",
                                        "a",
                                        "organisations",
                                        "Sección",
                                        "Industria",
                                        "Federación",
                                        "de",
                                        "1459;",
                                        "solidarity",
                                        "workers",
                                        "unions",
                                        "I",
                                        "oil",
                                        "Kazakhstan"};
    struct arena *arena = arena_new();
    unsigned seed = 17;
    size_t emergencies = 0, cases = 0, differ = 0;
    for (int paragraph = 0; paragraph < 60; paragraph++) {
        struct buffer text = {0};
        size_t count = 10 + (size_t)paragraph * 3;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer_puts(&text, i ? " " : "");
            buffer_puts(&text, words[(seed >> 16) % (sizeof words / sizeof words[0])]);
        }
        struct doc_run runs[] = {{.text = text.data, .len = text.len}};
        for (double width = 3.5; width < 30; width += 1.37) {
            for (int hyphenate = 0; hyphenate < 2; hyphenate++) {
                struct layout_params kp;
                layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
                kp.hyphenate = hyphenate;
                struct layout_lines fast, slow;
                layout_kp_by_passes = false;
                layout_paragraph_with(arena, runs, 1, width, fractional, NULL, "en", &kp, &fast);
                layout_kp_by_passes = true;
                layout_paragraph_with(arena, runs, 1, width, fractional, NULL, "en", &kp, &slow);
                layout_kp_by_passes = false;
                cases++;
                emergencies += fast.emergency;
                if (strcmp(show(arena, &fast), show(arena, &slow)) != 0 ||
                    fast.emergency != slow.emergency || fast.best_ratio != slow.best_ratio ||
                    fast.demerits != slow.demerits)
                    differ++;
            }
        }
        buffer_free(&text);
    }
    printf("least badness: %zu paragraphs, %zu needing the emergency bisection, %zu differ\n",
           cases, emergencies, differ);
    CHECK(differ == 0);
    CHECK(emergencies > cases / 4);
    arena_free(arena);
}

/* Text whose break opportunities layout_breaks.c tells without ICU
 * (letters, digits, spaces, full stops, commas, colons, semicolons,
 * quotation marks, brackets, hyphens, slashes) is cut exactly where ICU's
 * iterator cuts it: random texts of those characters, and of others near
 * them (no-break spaces, marks, dashes, other scripts' letters, other
 * brackets and signs), every opportunity taken at a measure of one
 * column, in each language with plain line rules. */
static void test_simple_breaks(void)
{
    static const char *const pieces[] = {
        "a",      "Z",      "\u00E9", "\u0141", "\u0434", "\u03A9", "\u00DF", "0",
        "7",      " ",      " ",      " ",      ",",      ".",      "'",      "\"",
        ":",      ";",      "(",      ")",      "-",      "/",      "\u2019", "\u2018",
        "\u201C", "\u201D", "\u0301", "\u00A0", "\u00AB", "\u2116", "\u05D0", "\u4E00",
        "\u2014", "\u2013", "[",      "!",      "?",      "%",      "$",      "&"};
    const size_t plain = 26; /* the first, the fast path's characters */
    static const char *const languages[] = {"en", "fr", "de", "es", "ru", "kk", "en_GB"};
    struct arena *arena = arena_new();
    unsigned seed = 5;
    size_t differ = 0, taken = 0, texts = 20000;
    for (size_t t = 0; t < texts; t++) {
        struct buffer text = {0};
        seed = seed * 1103515245u + 12345u;
        size_t count = 1 + (seed >> 16) % 24;
        /* Most texts only of the characters the fast path takes. */
        size_t choices = t % 4 == 3 ? sizeof pieces / sizeof pieces[0] : plain;
        for (size_t i = 0; i < count; i++) {
            seed = seed * 1103515245u + 12345u;
            buffer_puts(&text, pieces[(seed >> 16) % choices]);
        }
        struct doc_run runs[] = {{.text = text.data, .len = text.len}};
        const char *language = languages[t % (sizeof languages / sizeof languages[0])];
        size_t cut_count;
        size_t *cuts = layout_plain_breaks(text.data, text.len, language, &cut_count);
        taken += cuts != NULL;
        free(cuts);
        struct layout_lines fast, icu;
        layout_icu_always = false;
        layout_paragraph(arena, runs, 1, 1, measure, NULL, language, &fast);
        layout_icu_always = true;
        layout_paragraph(arena, runs, 1, 1, measure, NULL, language, &icu);
        layout_icu_always = false;
        if (strcmp(show(arena, &fast), show(arena, &icu)) != 0) {
            differ++;
            printf("breaks differ from ICU's in '%s' (%s)\n", text.data, language);
        }
        buffer_free(&text);
    }
    printf("simple breaks: %zu texts (%zu cut without ICU), %zu differ\n", texts, taken, differ);
    CHECK(differ == 0 && taken > texts / 5);
    /* The fast path was taken: the same lines as ICU's, by the rules. */
    struct doc_run name[] = {run("Agnieszka Bov\u0113ld\u0105ini, O'Brien \"Local 9\" , 12.5", 0)};
    struct layout_lines lines;
    CHECK_STR(
        show(arena, (layout_paragraph(arena, name, 1, 1, measure, NULL, "en", &lines), &lines)),
        "Agnieszka\nBov\u0113ld\u0105ini,\nO'Brien\n\"Local\n9\" ,\n12.5$\n");
    arena_free(arena);
}

static char *hyphenated(struct arena *arena, const struct doc_run *runs, size_t count, double width,
                        const char *language, struct layout_lines *lines)
{
    struct layout_params kp;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, language);
    layout_paragraph_with(arena, runs, count, width, wide_spaces, NULL, language, &kp, lines);
    return show(arena, lines);
}

/* No line but the last two of a paragraph hyphenated... the rules that
 * hold for every paragraph: never three hyphenated lines in a row, never
 * the line before the last. */
static bool hyphen_rules_hold(const struct layout_lines *lines)
{
    size_t streak = 0;
    for (size_t i = 0; i < lines->count; i++) {
        streak = lines->lines[i].hyphen ? streak + 1 : 0;
        if (streak > 2)
            return false;
    }
    return lines->count < 2 || lines->lines[lines->count - 2].hyphen_width == 0;
}

/* Hyphenation walked over the compiled tables (hyphenate.c) gives
 * libhyphen's own points (its structures made whole at first use), for
 * the first 30,000 words of Debian's hunspell dictionary of each language (all
 * 1,892,600 forms were compared once: 0 differ), each also
 * with a hyphen, an apostrophe, a digit and the ligature U+FB03 inside
 * (libhyphen's compound level, its digits and ligatures in its hyphen
 * minimums), German's compound level among them. */
static void test_hyphenate_lazy(void)
{
    static const char *const languages[][2] = {
        {"en", "en_GB"}, {"de", "de_DE"}, {"fr", "fr_FR"}, {"es", "es_ES"}, {"ru", "ru_RU"}};
    size_t words = 0, points = 0, differ = 0;
    for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
        char path[64];
        snprintf(path, sizeof path, "/usr/share/hunspell/%s.dic", languages[l][1]);
        FILE *f = fopen(path, "r");
        CHECK(f != NULL);
        char line[256];
        for (size_t n = 0; f && n < 30000 && fgets(line, sizeof line, f); n++) {
            line[strcspn(line, "/\t\r\n")] = 0;
            size_t len = strlen(line);
            char variant[4][300];
            snprintf(variant[0], sizeof variant[0], "%.*s-%s", (int)(len / 2), line,
                     line + len / 2);
            snprintf(variant[1], sizeof variant[1], "%.*s'%s", (int)(len / 3), line,
                     line + len / 3);
            snprintf(variant[2], sizeof variant[2], "%.*s7%s", (int)(len / 2), line,
                     line + len / 2);
            snprintf(variant[3], sizeof variant[3], "%.*s\xef\xac\x83%s", (int)(len / 3), line,
                     line + len / 3);
            const char *forms[] = {line, variant[0], variant[1], variant[2], variant[3]};
            for (size_t v = 0; v < 5; v++) {
                size_t flen = strlen(forms[v]);
                bool lazy[310], whole[310];
                hyphenate_whole = false;
                size_t a = hyphenate_word(languages[l][0], forms[v], flen, lazy);
                hyphenate_whole = true;
                size_t b = hyphenate_word(languages[l][0], forms[v], flen, whole);
                hyphenate_whole = false;
                differ += a != b || memcmp(lazy, whole, (flen + 1) * sizeof *lazy) != 0;
                points += a;
                words++;
            }
        }
        if (f)
            fclose(f);
    }
    CHECK(differ == 0);
    CHECK(words > 500000 && points > 500000);
}

static void test_hyphenation(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    /* Too loose without a hyphen: "representatives" breaks, keeping two
     * letters or more before the hyphen and three after. */
    struct doc_run en[] = {run("we the representatives of the organisations", 0)};
    CHECK_STR(hyphenated(arena, en, 1, 24, "en", &lines), "we    the    repres-\n"
                                                          "entatives    of    the\n"
                                                          "organisations$\n");
    CHECK(lines.lines[0].hyphen && lines.lines[0].hyphen_width == 1 && !lines.emergency);
    /* Capitalised and a common word of the dictionary: broken as the
     * lowercase word is. */
    struct doc_run capital[] = {run("we the Representatives of the organisations", 0)};
    CHECK_STR(hyphenated(arena, capital, 1, 24, "en", &lines), "we    the    Repres-\n"
                                                               "entatives    of    the\n"
                                                               "organisations$\n");
    /* A capitalised word the dictionary does not know (a name), an
     * acronym, a number, a reference, an address: never broken. */
    const char *never[][2] = {
        {"we the Karazhanbasmunai of the organisations", "Karazhanbasmunai"},
        {"we the REPRESENTATIVES of the organisations", "REPRESENTATIVES"},
        {"we the representatives2011 of the organisations", "representatives2011"},
        {"we the representatives/EN of the organisations", "representatives/"},
        {"we the representatives@union.org of the organisations", "representatives@union.org"},
        {"we the www.representatives.org of the organisations", "www.representatives.org"}};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        struct doc_run r[] = {run(never[i][0], 0)};
        char *got = hyphenated(arena, r, 1, 24, "en", &lines);
        CHECK(strstr(got, never[i][1]) != NULL);
    }
    /* The same name in lower case is broken there: it tempts. */
    struct doc_run lower_name[] = {run("we the karazhanbasmunai of the organisations", 0)};
    CHECK(strstr(hyphenated(arena, lower_name, 1, 24, "en", &lines), "karazhanbasmunai") == NULL);
    /* At every measure from 12 to 60, capitalised words of the dictionary
     * (French, Spanish, Russian, a German compound) are broken at some,
     * names typed in the letter's text (German too) at none, though their
     * lowercase forms are. */
    const char *capitals[][4] = {
        {"fr", "nous avons \u00E9crit au Pr\u00E9sident de la R\u00E9publique du Kazakhstan",
         "Pr\u00E9sident", "1"},
        {"es", "escribieron al Presidente de la Rep\u00FAblica sobre estos hechos",
         "Rep\u00FAblica", "1"},
        {"ru",
         "\u041F\u0440\u0435\u0437\u0438\u0434\u0435\u043D\u0442\u0443 "
         "\u0420\u0435\u0441\u043F\u0443\u0431\u043B\u0438\u043A\u0438 "
         "\u041A\u0430\u0437\u0430\u0445\u0441\u0442\u0430\u043D",
         "\u0420\u0435\u0441\u043F\u0443\u0431\u043B\u0438\u043A\u0438", "1"},
        {"de", "die Vorsitzenden des Gewerkschaftskomitees bei der Arbeit", "Gewerkschaftskomitees",
         "1"},
        {"de", "die Arbeiter in Schanaosen und Nasarbajew wurden entlassen", "Schanaosen", "0"},
        {"de", "die Arbeiter in Schanaosen und Nasarbajew wurden entlassen", "Nasarbajew", "0"},
        {"en", "the Karabalaevna family of Zhanaosen wrote", "Karabalaevna", "0"}};
    for (size_t i = 0; i < sizeof capitals / sizeof capitals[0]; i++) {
        bool broken = false, lower_broken = false;
        char *lower = arena_strdup(arena, capitals[i][1]);
        char *at = strstr(lower, capitals[i][2]);
        at[0] = (char)(at[0] - 'A' + 'a'); /* the Latin names only */
        for (size_t width = 12; width <= 60; width++) {
            struct doc_run r[] = {run(capitals[i][1], 0)}, l[] = {run(lower, 0)};
            broken |= strstr(hyphenated(arena, r, 1, (double)width, capitals[i][0], &lines),
                             capitals[i][2]) == NULL;
            if (capitals[i][3][0] == '0')
                lower_broken |=
                    strstr(hyphenated(arena, l, 1, (double)width, capitals[i][0], &lines), at) ==
                    NULL;
        }
        CHECK(broken == (capitals[i][3][0] == '1'));
        if (capitals[i][3][0] == '0')
            CHECK(lower_broken);
    }
    /* Text from a data file (a name, a title) is never broken. */
    struct doc_run data[] = {run("we the ", 0), run("representatives", 0),
                             run(" of the organisations", 0)};
    data[1].loc = (struct source_loc){"letters/signatories.ini", 3, 8};
    CHECK(strstr(hyphenated(arena, data, 3, 24, "en", &lines), "representatives") != NULL);
    /* German nouns are capitalised, and hyphenated. */
    struct doc_run de[] = {
        run("Wir bitten Sie, die Vorsitzenden des Gewerkschaftskomitees bei Uzenmunaigaz zu "
            "sch\u00FCtzen",
            0)};
    CHECK_STR(hyphenated(arena, de, 1, 42, "de", &lines),
              "Wir    bitten    Sie,    die    Vorsitzen-\n"
              "den    des    Gewerkschaftskomitees    bei\n"
              "Uzenmunaigaz    zu    sch\u00FCtzen$\n");
    CHECK(!lines.emergency);
    /* Russian from its KOI8-R dictionary. */
    struct doc_run ru[] = {run("работников промышленности представленных федерацией", 0)};
    CHECK_STR(hyphenated(arena, ru, 1, 24, "ru", &lines),
              "\u0440\u0430\u0431\u043E\u0442\u043D\u0438\u043A\u043E\u0432    "
              "\u043F\u0440\u043E\u043C\u044B\u0448\u043B\u0435\u043D-\n"
              "\u043D\u043E\u0441\u0442\u0438    "
              "\u043F\u0440\u0435\u0434\u0441\u0442\u0430\u0432\u043B\u0435\u043D\u043D"
              "\u044B\u0445\n"
              "\u0444\u0435\u0434\u0435\u0440\u0430\u0446\u0438\u0435\u0439$\n");
    /* Kazakh has no dictionary: nothing is hyphenated. */
    CHECK(strchr(hyphenated(arena, ru, 1, 24, "kk", &lines), '-') == NULL);
    /* Long words at a narrow measure tempt a hyphen on every line: at most
     * two in a row, none before the last line. */
    struct doc_run many[] = {run("representatives organisations representatives organisations "
                                 "representatives organisations representatives organisations "
                                 "representatives",
                                 0)};
    CHECK_STR(hyphenated(arena, many, 1, 48, "en", &lines),
              "representatives    organisations    representat-\n"
              "ives    organisations    representatives    or-\n"
              "ganisations    representatives    organisations\n"
              "representatives$\n");
    CHECK(hyphen_rules_hold(&lines) && !lines.emergency);
    for (size_t width = 40; width <= 80; width += 4) {
        hyphenated(arena, many, 1, (double)width, "en", &lines);
        CHECK(lines.emergency || hyphen_rules_hold(&lines));
    }
    /* Words whose German and Russian patterns also allow one letter
     * before a hyphen or one or two after (A-bend, e-ben-so, O-fen,
     * а-ре-стом, иде-я), at every measure from 12 to 60: a hyphen always
     * keeps two letters or more before it and three after. */
    const char *tempting[][2] = {
        {"de", "Abend ebenso Ofen Ahorn Abende Ebene oben Igel Uferweg Abendessen Ameise"},
        {"ru",
         "\u0430\u0440\u0435\u0441\u0442\u043E\u043C \u0438\u0434\u0435\u044F "
         "\u043E\u043A\u043D\u043E \u0430\u0440\u0435\u0441\u0442\u043E\u0432\u0430\u043B\u0438 "
         "\u0438\u0434\u0435\u044F\u043C\u0438 \u043E\u043A\u043D\u0430\u043C\u0438"}};
    size_t hyphens = 0;
    for (size_t t = 0; t < 2; t++)
        for (size_t width = 12; width <= 60; width++) {
            struct doc_run fragments[] = {run(tempting[t][1], 0)};
            hyphenated(arena, fragments, 1, (double)width, tempting[t][0], &lines);
            for (size_t i = 0; i + 1 < lines.count; i++) {
                const struct layout_line *line = &lines.lines[i];
                if (line->hyphen_width == 0)
                    continue;
                hyphens++;
                const struct layout_piece *before = &line->pieces[line->count - 1];
                const struct layout_piece *after = &lines.lines[i + 1].pieces[0];
                CHECK(measure(NULL, before->text, before->len, 0) >= 2 &&
                      measure(NULL, after->text, after->len, 0) >= 3);
            }
        }
    /* The measures did tempt hyphenation (8 hyphens since the emergency
     * pass ranks loose lines by their looseness: a two-letter fragment
     * alone on a narrow line is very loose, so fewer are taken). */
    CHECK(hyphens >= 8);
    arena_free(arena);
}

/* One text inline of language through doc_runs, from a data file when
 * data is set (as an organisation's name is), joined. */
static char *typeset(struct arena *arena, const char *language, const char *text, bool data)
{
    struct doc_document *doc = doc_new(language);
    struct source_loc loc = {data ? "organisations.ini" : "t.xml", 1, 1};
    struct doc_block *p = doc_block_add(doc, doc->root, DOC_PARAGRAPH, loc);
    doc_text_add(doc, p, NULL, text, strlen(text), loc);
    char *s = doc_plain_text(arena, p, doc->language);
    doc_free(doc);
    return s;
}

static void test_straight_quotes(void)
{
    struct arena *arena = arena_new();
    /* An organisation's name from data: its quotes and apostrophe as the
     * language's marks, as "Metalworkers\u2019" typed in the letter is. */
    const char *name = "The \"Solidarity\" Miners' Union";
    CHECK_STR(typeset(arena, "en", name, true), "The \u201CSolidarity\u201D Miners\u2019 Union");
    CHECK_STR(typeset(arena, "de", name, true), "The \u201ESolidarity\u201C Miners\u2019 Union");
    CHECK_STR(typeset(arena, "fr", name, true),
              "The \u00AB\u00A0Solidarity\u00A0\u00BB Miners\u2019 Union");
    CHECK_STR(typeset(arena, "ru", name, false), "The \u00ABSolidarity\u00BB Miners\u2019 Union");
    /* Apostrophes inside and before words, single quotes, nesting. */
    CHECK_STR(typeset(arena, "fr", "l'Organisation", false), "l\u2019Organisation");
    CHECK_STR(typeset(arena, "en", "in the '90s", false), "in the \u201990s");
    CHECK_STR(typeset(arena, "en", "the 'strike' of workers' families", false),
              "the \u2018strike\u2019 of workers\u2019 families");
    CHECK_STR(typeset(arena, "en", "\"a 'b' c\"", false), "\u201Ca \u2018b\u2019 c\u201D");
    arena_free(arena);
}

static void test_french_spaces(void)
{
    struct arena *arena = arena_new();
    /* Narrow no-break spaces before ; ! ?, word-wide ones before : and
     * inside guillemets, whether a space was typed or not. */
    CHECK_STR(typeset(arena, "fr", "Pourquoi? Voici: oui; non !", false),
              "Pourquoi\u202F? Voici\u00A0: oui\u202F; non\u202F!");
    CHECK_STR(typeset(arena, "fr", "le \u00ABsyndicat\u00BB et \u00AB libre \u00BB", false),
              "le \u00AB\u00A0syndicat\u00A0\u00BB et \u00AB\u00A0libre\u00A0\u00BB");
    /* A word space typed before ? becomes the narrow one; ?! stays
     * together; times and addresses are no punctuation. */
    CHECK_STR(typeset(arena, "fr", "vraiment\u00A0?! \u00E0 10:30, https://www.icem.org", false),
              "vraiment\u202F?! \u00E0 10:30, https://www.icem.org");
    /* Only French. */
    CHECK_STR(typeset(arena, "en", "Why? Here: yes; no!", false), "Why? Here: yes; no!");
    arena_free(arena);
}

static void test_ties(void)
{
    struct arena *arena = arena_new();
    struct layout_lines lines;
    /* "в" would end the first line; tied, it goes down with its word. */
    struct doc_run ru[] = {run("\u0440\u0430\u0431\u043E\u0442\u0430 \u0432 "
                               "\u0410\u043A\u0442\u0430\u0443",
                               0)};
    CHECK_STR(fill(arena, ru, 1, 9, "ru", &lines),
              "\u0440\u0430\u0431\u043E\u0442\u0430\n\u0432 \u0410\u043A\u0442\u0430\u0443$\n");
    /* In English a one-letter Cyrillic word is no preposition: no tie. */
    CHECK_STR(fill(arena, ru, 1, 9, "en", &lines),
              "\u0440\u0430\u0431\u043E\u0442\u0430 \u0432\n\u0410\u043A\u0442\u0430\u0443$\n");
    /* The number sign stays with its number, in every language. */
    struct doc_run no[] = {run("letter \u2116 107", 0)};
    CHECK_STR(fill(arena, no, 1, 8, "en", &lines), "letter\n\u2116 107$\n");
    struct doc_run nr[] = {run("the Miners Union No. 1746 and", 0)};
    CHECK_STR(fill(arena, nr, 1, 22, "en", &lines), "the Miners Union\nNo. 1746 and$\n");
    /* A reference breaks neither inside nor at its space. */
    struct doc_run ref[] = {run("see our letter ICEM-IMF11/EN LT/107 of today", 0)};
    CHECK_STR(fill(arena, ref, 1, 24, "en", &lines),
              "see our letter\nICEM-IMF11/EN LT/107 of\ntoday$\n");
    CHECK_STR(fill(arena, ref, 1, 31, "en", &lines),
              "see our letter\nICEM-IMF11/EN LT/107 of today$\n");
    /* A number and its unit; a number's groups of digits. */
    struct doc_run unit[] = {run("on behalf of 45 million workers fined 500 000 tenge each", 0)};
    CHECK_STR(fill(arena, unit, 1, 16, "en", &lines),
              "on behalf of\n45 million\nworkers fined\n500 000 tenge\neach$\n");
    /* A day and its month, in every order and language: each paragraph
     * would end its first line on the day (or the month) untied. */
    const char *dates[][4] = {
        {"en", "we wrote on 8 August to you", "13", "we wrote on\n8 August to\nyou$\n"},
        {"en", "we wrote on August 8 to you", "18", "we wrote on\nAugust 8 to you$\n"},
        {"de", "wir schrieben am 8. August an Sie", "19", "wir schrieben am\n8. August an Sie$\n"},
        {"fr", "Le 6 septembre, l\u2019ICEM", "12", "Le\n6 septembre,\nl\u2019ICEM$\n"},
        {"es", "el 6 de septiembre de 2011", "10", "el\n6 de septiembre\nde 2011$\n"},
        {"ru",
         "\u0438\u043C 6 \u0441\u0435\u043D\u0442\u044F\u0431\u0440\u044F \u0431\u044B\u043B\u043E",
         "10",
         "\u0438\u043C\n6 "
         "\u0441\u0435\u043D\u0442\u044F\u0431\u0440\u044F\n\u0431\u044B\u043B\u043E$\n"},
        {"cs", "viz dopis \u010D. 107 ze dne", "12", "viz dopis\n\u010D. 107 ze\ndne$\n"}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        struct doc_run d[] = {run(dates[i][1], 0)};
        CHECK_STR(fill(arena, d, 1, atof(dates[i][2]), dates[i][0], &lines), dates[i][3]);
    }
    /* Initials stay with each other and with the name. */
    struct doc_run initials[] = {run("a book by J. R. R. Tolkien was read", 0)};
    CHECK_STR(fill(arena, initials, 1, 14, "en", &lines),
              "a book by\nJ. R. R. Tolkien\nwas read$\n");
    /* A lone capital stays with the name it begins: untied, "A" would end
     * the first line, which it fits. */
    struct doc_run coruna[] = {run("we met in A Coru\u00F1a and", 0)};
    CHECK_STR(fill(arena, coruna, 1, 11, "es", &lines), "we met in\nA Coru\u00F1a\nand$\n");
    CHECK_STR(fill(arena, coruna, 1, 11, "en", &lines), "we met in\nA Coru\u00F1a\nand$\n");
    /* Lower case, or before a lower-case word, it is no name's: no tie. */
    struct doc_run plain[] = {run("we met in a house and", 0)};
    CHECK_STR(fill(arena, plain, 1, 11, "en", &lines), "we met in a\nhouse and$\n");
    struct doc_run plan[] = {run("we met in A and B", 0)};
    CHECK_STR(fill(arena, plan, 1, 11, "en", &lines), "we met in A\nand B$\n");
    /* Letters in a row are a list, not a name: they still break. */
    struct doc_run abc[] = {run("rows A B C D E F G H", 0)};
    CHECK_STR(fill(arena, abc, 1, 9, "en", &lines), "rows A B\nC D E F G\nH$\n");
    /* The PDF's breaker keeps the same ties. */
    struct layout_params kp;
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "en");
    kp.hyphenate = false;
    CHECK(strstr(
              justify(arena, "see our letter ICEM-IMF11/EN LT/107 of today", 60, "en", &kp, &lines),
              "ICEM-IMF11/EN    LT/107") != NULL);
    CHECK(strstr(justify(arena, "a book by J. R. R. Tolkien was read", 40, "en", &kp, &lines),
                 "J.    R.    R.    Tolkien") != NULL);
    /* Untied, "6" would end the first line, which it fills exactly. */
    layout_params_default(&kp, LAYOUT_JUSTIFIED, "fr");
    kp.hyphenate = false;
    CHECK_STR(
        justify(arena, "nous avons \u00E9crit le 6 septembre \u00E0 vous", 33, "fr", &kp, &lines),
        "nous    avons    \u00E9crit    le\n6    septembre    \u00E0    vous$\n");
    arena_free(arena);
}

CHECK_MAIN("layout", test_ties(); test_straight_quotes(); test_french_spaces();
           test_hyphenate_lazy(); test_hyphenation(); test_knuth_plass_shrink();
           test_knuth_plass_demerits(); test_knuth_plass_looseness(); test_knuth_plass_emergency();
           test_knuth_plass_least_badness(); test_simple_breaks(); test_total_fit();
           test_geometry(); test_styles_inside_words(); test_hyphen(); test_no_break_spaces();
           test_forced_breaks(); test_overlong_word(); test_quotation_marks())
