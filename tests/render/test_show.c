/* test_show.c — font_embed_show's text operators from its per-face tables
 * (each used glyph's hex number and advance at a size, font_show.c) against
 * its general path, glyph by glyph through the subset's map
 * (font_show_general): random lines of accented Latin, Cyrillic, Greek,
 * digits and a character only the fallback font has, in two styles and
 * three sizes, moved off their shaped places (so the pen is corrected),
 * some glyphs raised, and a glyph the document never used. The bytes must
 * be the same. A line's part shown in place (font_embed_show_range) must
 * give the bytes of a copy of its glyphs moved to their origin, as
 * pdf_tags.c's spans were shown. */
#include "check.h"
#include "fonts.h"
#include "font.h"
#include "font_pdf_internal.h"

#include <hpdf.h>

#include <stdlib.h>
#include <string.h>

#define LINES 400

static const char *const pieces[] = {"Ivan",   "Żółć",   "Müller",    "Ærø",    "Қасым",  "Жомарт",
                                     "Тоқаев", "Їжак",   "Ўладзімір", "Αθήνα",  "Ἀθῆναι", "3229,",
                                     "№ 17",   "(ICEM)", "—",         "\u2103", "fi ffl", "AVATAR"};

static void random_text(char *out, size_t room)
{
    out[0] = '\0';
    int words = 1 + rand() % 6;
    for (int k = 0; k < words; k++) {
        const char *p = pieces[(size_t)rand() % (sizeof pieces / sizeof pieces[0])];
        if (strlen(out) + strlen(p) + 2 >= room)
            break;
        if (k)
            strcat(out, " ");
        strcat(out, p);
    }
}

/* The line as drawn, moved and raised here and there. */
static void disturb(struct font_shaped *s)
{
    for (size_t i = 0; i < s->count; i++) {
        if (rand() % 5 == 0)
            s->glyphs[i].x += (rand() % 200 - 100) / 1000.0;
        if (rand() % 17 == 0)
            s->glyphs[i].y = (rand() % 7 - 3) / 2.0;
    }
}

/* A random part of s shown in place and as a moved copy. */
static bool same_part(struct font_embed *embed, const struct font_shaped *s, double x, double y,
                      double size)
{
    size_t from = (size_t)rand() % s->count;
    size_t to = from + 1 + (size_t)rand() % (s->count - from);
    struct font_glyph copy[256];
    if (to - from > sizeof copy / sizeof copy[0])
        return true;
    double origin = s->glyphs[from].x;
    for (size_t g = 0; g < to - from; g++) {
        copy[g] = s->glyphs[from + g];
        copy[g].x -= origin;
    }
    struct font_shaped part = {.glyphs = copy, .count = to - from};
    struct buffer moved = {0}, in_place = {0};
    font_embed_show(embed, &moved, x + origin, y, size, &part);
    font_embed_show_range(embed, &in_place, x, y, size, s, from, to);
    bool same = moved.len == in_place.len && memcmp(moved.data, in_place.data, moved.len) == 0;
    if (!same)
        fprintf(stderr, "part [%zu, %zu):\n  moved:    %s\n  in place: %s\n", from, to, moved.data,
                in_place.data);
    buffer_free(&moved);
    buffer_free(&in_place);
    return same;
}

static void test_tables_against_general(void)
{
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&test_fonts, &errors);
    CHECK(fs != NULL);
    if (!fs)
        return;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    struct font_embed *embed = font_embed_new(fs, pdf);
    struct arena *arena = arena_new();
    static struct font_shaped lines[LINES];
    static const double sizes[] = {9.35, 11, 8.25};
    srand(1017);
    for (size_t i = 0; i < LINES; i++) {
        char text[256];
        random_text(text, sizeof text);
        unsigned style = rand() % 3 ? 0 : DOC_STYLE_BOLD;
        lines[i] = font_embed_shape(embed, arena, "en", style, sizes[i % 3], text, strlen(text));
    }
    /* A glyph the document never used: not in the subset's tables. */
    struct font_shaped unused;
    font_shape(fs, arena, "en", 0, 11, "Qq", 2, &unused); /* in no line */
    CHECK(font_embed_finish(embed, &errors) == 0);
    size_t differ = 0, glyphs = 0;
    for (size_t i = 0; i <= LINES; i++) {
        struct font_shaped *s = i < LINES ? &lines[i] : &unused;
        disturb(s);
        double size = sizes[i % 3], x = 72 + rand() % 300 / 7.0, y = 700 - rand() % 500 / 3.0;
        struct buffer tables = {0}, general = {0};
        font_show_general = false;
        font_embed_show(embed, &tables, x, y, size, s);
        font_show_general = true;
        font_embed_show(embed, &general, x, y, size, s);
        font_show_general = false;
        bool same = tables.len == general.len && memcmp(tables.data, general.data, tables.len) == 0;
        if (!same && differ++ == 0)
            fprintf(stderr, "line %zu:\n  tables:  %s\n  general: %s\n", i, tables.data,
                    general.data);
        glyphs += s->count;
        differ += s->count && !same_part(embed, s, x, y, size);
        buffer_free(&tables);
        buffer_free(&general);
    }
    printf("show: %zu of %d lines (%zu glyphs) differ\n", differ, LINES + 1, glyphs);
    CHECK(differ == 0);
    CHECK(glyphs > 2000);
    arena_free(arena);
    font_embed_free(embed);
    HPDF_Free(pdf);
    font_set_free(fs);
    errors_clear(&errors);
}

CHECK_MAIN("show", test_tables_against_general())
