/* test_font.c — the font layer: opening, coverage errors, fallback,
 * kerning-aware measuring, shaping's glyph-to-text mapping, numbers. */
#include "caches.h"
#include "check.h"
#include "fonts.h"
#include "font.h"
#include "support.h"
#include "workspace.h"

#include <hb.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *error_text(const struct errors *errors, size_t i)
{
    static char text[512];
    const struct error *e = &errors->items[i];
    snprintf(text, sizeof text, "%s:%d:%d: %s", e->file ? e->file : "", e->line, e->column,
             e->message);
    return text;
}

static void test_open_errors(void)
{
    struct errors errors = {0};
    struct font_settings bad = test_fonts;
    bad.italic = "fonts/missing.ttf";
    bad.bold = "fonts/LICENSE-DejaVu.txt";
    CHECK(font_set_open(&bad, &errors) == NULL);
    CHECK(errors.count == 2);
    CHECK_STR(error_text(&errors, 0),
              "fonts/missing.ttf:0:0: cannot read font file (No such file or directory)");
    CHECK_STR(error_text(&errors, 1),
              "fonts/LICENSE-DejaVu.txt:0:0: not a TrueType font (only fonts with TrueType "
              "outlines can be embedded)");
    errors_clear(&errors);
}

static void test_coverage(struct font_set *fs)
{
    struct errors errors = {0};
    struct source_loc loc = {"letters/x.xml", 12, 7};
    const char *text = "Smile \xF0\x9F\x98\x80 and \xF0\x9F\x98\x80 again, \xE2\x82\xB8 is fine";
    CHECK(font_check(fs, 0, text, strlen(text), loc, &errors) == 1);
    CHECK(errors.count == 1);
    if (errors.count == 1)
        CHECK_STR(error_text(&errors, 0),
                  "letters/x.xml:12:7: no font has the character '\xF0\x9F\x98\x80' (U+1F600) "
                  "for regular text (tried LiberationSerif-Regular.ttf, DejaVuSerif.ttf)");
    errors_clear(&errors);

    const char *bold = "\xE4\xB8\xAD";
    CHECK(font_check(fs, DOC_STYLE_BOLD | DOC_STYLE_ITALIC, bold, strlen(bold), loc, &errors) == 1);
    if (errors.count == 1)
        CHECK_STR(error_text(&errors, 0),
                  "letters/x.xml:12:7: no font has the character '\xE4\xB8\xAD' (U+4E2D) for "
                  "bold italic text (tried LiberationSerif-BoldItalic.ttf, DejaVuSerif.ttf)");
    errors_clear(&errors);

    const char *broken = "ab\xC3(";
    CHECK(font_check(fs, 0, broken, strlen(broken), loc, &errors) == 1);
    if (errors.count == 1)
        CHECK_STR(error_text(&errors, 0),
                  "letters/x.xml:12:7: text is not valid UTF-8 (byte 0xC3 at offset 2)");
    errors_clear(&errors);

    const char *fine = "Жаңаөзен, Қасым-Жомарт Тоқаев — «ёә» “x” ‘y’ – ΑΩ\xC2\xA0\xC2\xAD";
    CHECK(font_check(fs, 0, fine, strlen(fine), loc, &errors) == 0);
    CHECK(errors.count == 0);
    errors_clear(&errors);
}

static void test_measure(struct font_set *fs)
{
    double av = font_measure(fs, "en", 0, 11, "AV", 2);
    double a = font_measure(fs, "en", 0, 11, "A", 1);
    double v = font_measure(fs, "en", 0, 11, "V", 1);
    /* Liberation Serif: A and V are 1479/2048 em each; the pair kerns by
     * -270 units. */
    CHECK(fabs(a - 1479 * 11.0 / 2048) < 1e-9);
    CHECK(fabs(v - 1479 * 11.0 / 2048) < 1e-9);
    CHECK(av < a + v - 1.0);
    CHECK(fabs(font_measure(fs, "en", 0, 22, "AV", 2) - 2 * av) < 1e-9);
    CHECK(font_measure(fs, "en", DOC_STYLE_BOLD, 11, "word", 4) >
          font_measure(fs, "en", 0, 11, "word", 4));
    CHECK(font_measure(fs, "en", 0, 11, "", 0) == 0);
}

static void test_fallback(struct font_set *fs)
{
    struct arena *arena = arena_new();
    struct font_shaped shaped;
    const char *text = "5 \xE2\x82\xB8";
    font_shape(fs, arena, "kk", 0, 10, text, strlen(text), &shaped);
    CHECK(shaped.count == 3);
    CHECK_STR(font_set_file(fs, shaped.glyphs[0].face), "fonts/LiberationSerif-Regular.ttf");
    CHECK_STR(font_set_file(fs, shaped.glyphs[2].face), "fonts/DejaVuSerif.ttf");
    hb_codepoint_t gid = 0;
    hb_font_get_nominal_glyph(font_set_hb_font(fs, shaped.glyphs[2].face), 0x20B8, &gid);
    CHECK(gid != 0 && shaped.glyphs[2].gid == gid);
    CHECK(shaped.glyphs[2].text_off == 2 && shaped.glyphs[2].text_len == 3);
    CHECK(fabs(shaped.glyphs[2].x - font_measure(fs, "kk", 0, 10, "5 ", 2)) < 1e-9);
    CHECK(fabs(shaped.width - font_measure(fs, "kk", 0, 10, text, strlen(text))) < 1e-9);
    /* Italic falls back along its own chain to the same DejaVu face. */
    font_shape(fs, arena, "kk", DOC_STYLE_ITALIC, 10, text, strlen(text), &shaped);
    CHECK_STR(font_set_file(fs, shaped.glyphs[0].face), "fonts/LiberationSerif-Italic.ttf");
    CHECK_STR(font_set_file(fs, shaped.glyphs[2].face), "fonts/DejaVuSerif.ttf");
    arena_free(arena);
}

static void test_clusters(struct font_set *fs)
{
    struct arena *arena = arena_new();
    struct font_shaped shaped;
    /* Liberation Serif has no ligatures; DejaVu Serif ligates fi and ffl:
     * one glyph standing for several characters. Turkish keeps them apart. */
    font_shape(fs, arena, "en", 0, 10, "fit", 3, &shaped);
    CHECK(shaped.count == 3);
    struct font_settings dejavu = {.regular = "fonts/DejaVuSerif.ttf"};
    struct errors errors = {0};
    struct font_set *dv = font_set_open(&dejavu, &errors);
    CHECK(dv != NULL);
    if (dv) {
        font_shape(dv, arena, "en", 0, 10, "fit ffl", 7, &shaped);
        CHECK(shaped.count == 4);
        CHECK(shaped.glyphs[0].text_off == 0 && shaped.glyphs[0].text_len == 2);
        CHECK(shaped.glyphs[1].text_off == 2 && shaped.glyphs[1].text_len == 1);
        CHECK(shaped.glyphs[3].text_off == 4 && shaped.glyphs[3].text_len == 3);
        font_shape(dv, arena, "tr", 0, 10, "fit", 3, &shaped);
        CHECK(shaped.count == 3);
        font_set_free(dv);
    }
    /* Cyrillic: one glyph per letter, each standing for its two bytes. */
    font_shape(fs, arena, "kk", 0, 10, "Әә", 4, &shaped);
    CHECK(shaped.count == 2 && shaped.glyphs[1].text_off == 2 && shaped.glyphs[1].text_len == 2);
    arena_free(arena);
}

static void test_numbers(void)
{
    struct buffer b = {0};
    const double values[] = {0,   11,     1.5,    -0.25, 595.2756, -0.0004,    0.0005,
                             1e6, -12.05, 100.01, 0.05,  10.007,   1234567.891};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        font_pdf_number(&b, values[i]);
        buffer_putc(&b, ' ');
    }
    CHECK_STR(b.data,
              "0 11 1.5 -0.25 595.276 0 0.001 1000000 -12.05 100.01 0.05 10.007 1234567.891 ");
    buffer_free(&b);
}

/* Each style falls back to DejaVu Serif in its own style first, then to
 * the common fallback; the error for a character none has names the
 * whole chain of its style. */
static void test_style_fallback(void)
{
    static const char *italic[] = {"fonts/DejaVuSerif-Italic.ttf"};
    static const char *bold[] = {"fonts/DejaVuSerif-Bold.ttf"};
    static const char *bold_italic[] = {"fonts/DejaVuSerif-BoldItalic.ttf"};
    struct font_settings styled = test_fonts;
    styled.style_fallbacks[DOC_STYLE_ITALIC] = italic;
    styled.style_fallbacks[DOC_STYLE_BOLD] = bold;
    styled.style_fallbacks[DOC_STYLE_BOLD | DOC_STYLE_ITALIC] = bold_italic;
    for (unsigned s = 1; s < 4; s++)
        styled.style_fallback_count[s] = 1;
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&styled, &errors);
    CHECK(fs != NULL && errors.count == 0);
    if (!fs)
        return;
    CHECK(font_set_count(fs) == 8);
    struct arena *arena = arena_new();
    struct font_shaped shaped;
    const char *tenge = "5 \xE2\x82\xB8";
    const char *expected[] = {"fonts/DejaVuSerif.ttf", "fonts/DejaVuSerif-Italic.ttf",
                              "fonts/DejaVuSerif-Bold.ttf", "fonts/DejaVuSerif-BoldItalic.ttf"};
    for (unsigned style = 0; style < 4; style++) {
        font_shape(fs, arena, "kk", style, 10, tenge, strlen(tenge), &shaped);
        CHECK(shaped.count == 3);
        if (shaped.count == 3)
            CHECK_STR(font_set_file(fs, shaped.glyphs[2].face), expected[style]);
    }
    struct source_loc loc = {"letters/x.xml", 3, 5};
    CHECK(font_check(fs, DOC_STYLE_BOLD, "\xE4\xB8\xAD", 3, loc, &errors) == 1);
    if (errors.count == 1)
        CHECK_STR(error_text(&errors, 0),
                  "letters/x.xml:3:5: no font has the character '\xE4\xB8\xAD' (U+4E2D) for "
                  "bold text (tried LiberationSerif-Bold.ttf, DejaVuSerif-Bold.ttf, "
                  "DejaVuSerif.ttf)");
    errors_clear(&errors);
    arena_free(arena);
    font_set_free(fs);
}

/* The shaping cache changes nothing: a text shaped again (at another size,
 * or after the cache is emptied) gives what a first shaping gives. */
static void test_cache(struct font_set *fs)
{
    struct arena *arena = arena_new();
    struct font_shaped a, b;
    const char *text = "To \xD0\xA2\xD1\x83 AV \xE2\x82\xB8";
    font_set_clear_cache(fs);
    font_shape(fs, arena, "en", 0, 11, text, strlen(text), &a);
    double width = font_measure(fs, "en", 0, 11, text, strlen(text));
    font_shape(fs, arena, "en", 0, 22, text, strlen(text), &b);
    CHECK(a.count == b.count && a.count == 10);
    CHECK(width == a.width && fabs(b.width - 2 * a.width) < 1e-9);
    font_set_clear_cache(fs);
    font_shape(fs, arena, "en", 0, 11, text, strlen(text), &b);
    CHECK(a.count == b.count && a.width == b.width);
    for (size_t i = 0; i < a.count && i < b.count; i++)
        CHECK(a.glyphs[i].face == b.glyphs[i].face && a.glyphs[i].gid == b.glyphs[i].gid &&
              a.glyphs[i].x == b.glyphs[i].x && a.glyphs[i].text_off == b.glyphs[i].text_off &&
              a.glyphs[i].text_len == b.glyphs[i].text_len);
    /* Language and style are part of what is cached: Turkish keeps f i. */
    struct font_settings dejavu = {.regular = "fonts/DejaVuSerif.ttf"};
    struct errors errors = {0};
    struct font_set *dv = font_set_open(&dejavu, &errors);
    if (dv) {
        font_shape(dv, arena, "en", 0, 10, "fi", 2, &a);
        font_shape(dv, arena, "tr", 0, 10, "fi", 2, &b);
        CHECK(a.count == 1 && b.count == 2);
        font_shape(dv, arena, NULL, 0, 10, "fi", 2, &b);
        CHECK(b.count == 1);
        font_set_free(dv);
    }
    arena_free(arena);
}

static bool same_glyphs(const struct font_shaped *a, const struct font_shaped *b)
{
    bool same = a->count == b->count && a->width == b->width;
    for (size_t i = 0; same && i < a->count; i++)
        same = a->glyphs[i].face == b->glyphs[i].face && a->glyphs[i].gid == b->glyphs[i].gid &&
               a->glyphs[i].x == b->glyphs[i].x && a->glyphs[i].y == b->glyphs[i].y &&
               a->glyphs[i].advance == b->glyphs[i].advance &&
               a->glyphs[i].text_off == b->glyphs[i].text_off &&
               a->glyphs[i].text_len == b->glyphs[i].text_len;
    return same;
}

/* A text shaped once and cut into lines at its spaces gives, for every
 * line, exactly what shaping the line alone gives: kerning and ligatures
 * inside, across a space, Greek after Latin (another script), a character
 * from the fallback font (several runs: never cut). Returns how many of the
 * lines were cut rather than shaped again. */
static size_t check_cuts(struct font_set *fs, struct arena *arena, const char *text)
{
    size_t len = strlen(text), cut = 0;
    struct font_text *t = font_text_shape(fs, arena, "en", 0, text, len);
    struct font_shaped whole = font_text_glyphs(t, arena, 9.35, 0, len), fresh;
    font_shape(fs, arena, "en", 0, 9.35, text, len, &fresh);
    CHECK(same_glyphs(&whole, &fresh));
    for (size_t start = 0; start < len; start++) {
        if (start > 0 && text[start - 1] != ' ')
            continue;
        for (size_t end = start + 1; end <= len; end++) {
            if (end < len && text[end] != ' ')
                continue;
            struct font_shaped piece = font_text_glyphs(t, arena, 9.35, start, end);
            font_shape(fs, arena, "en", 0, 9.35, text + start, end - start, &fresh);
            CHECK(same_glyphs(&piece, &fresh));
            cut += font_text_can_cut(t, start, end);
        }
    }
    return cut;
}

static void test_text_cuts(struct font_set *fs)
{
    struct arena *arena = arena_new();
    CHECK(check_cuts(fs, arena, "AVATAR Wave office, T. Yates fi Vo, Tokyo") > 10);
    /* Greek after Latin: a line starting in Greek is another script. */
    const char *greek = "Anna Vay, \xCE\xA3\xCF\x89\xCE\xBC\xCE\xB1 2451, Athens";
    CHECK(check_cuts(fs, arena, greek) > 0);
    struct font_text *t = font_text_shape(fs, arena, "en", 0, greek, strlen(greek));
    CHECK(!font_text_can_cut(t, 10, strlen(greek)));
    /* The tenge sign comes from the fallback font: never cut. */
    CHECK(check_cuts(fs, arena, "Almaty \xE2\x82\xB8 100 Aktau") == 0);
    CHECK(check_cuts(fs, arena,
                     "\xD0\x9D\xD2\xB1\xD1\x80 \xD0\x90\xD1\x81\xD1\x82\xD0\xB0\xD0\xBD\xD0\xB0 "
                     "\xD0\x90\xD2\x9B\xD1\x82\xD0\xB0\xD1\x83") > 0);
    arena_free(arena);
}

/* A text too long for the cache leaves its words in it, cut from its
 * shaping (keep_words, font.c): each word then shapes exactly as in a font
 * set that never saw the long text: kerning inside words and across
 * spaces, ligatures, an initial, punctuation, Greek after Latin, Cyrillic,
 * the fallback font's tenge sign. */
static void test_kept_words(struct font_set *fs)
{
    struct arena *arena = arena_new();
    /* The last part has the fallback font's tenge sign: with it the whole
     * text is several runs and none of its words are kept. */
    static const char *const parts[] = {"AVATAR Wave office, T. Yates fi Vo, Tokyo. ",
                                        "To Ty L\xE2\x80\x99"
                                        "Avenir \xE2\x80\x9C"
                                        "We\xE2\x80\x9D ",
                                        "Anna Vay, \xCE\xA3\xCF\x89\xCE\xBC\xCE\xB1 2451, Athens ",
                                        "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 ",
                                        "Almaty \xE2\x82\xB8 100 Aktau "};
    size_t n = sizeof parts / sizeof parts[0];
    for (size_t with_tenge = 0; with_tenge < 2; with_tenge++) {
        struct buffer t = {0};
        for (size_t round = 0; round < 3; round++)
            for (size_t i = 0; i < n - 1 + with_tenge; i++)
                buffer_puts(&t, parts[i]);
        CHECK(t.len > 256);
        font_set_clear_cache(fs);
        font_measure(fs, "en", 0, 11, t.data, t.len);
        struct errors errors = {0};
        struct font_set *fresh = font_set_open(&test_fonts, &errors);
        CHECK(fresh != NULL);
        for (size_t at = 0; fresh && at < t.len;) {
            size_t end = at;
            while (end < t.len && t.data[end] != ' ')
                end++;
            struct font_shaped kept, alone;
            font_shape(fs, arena, "en", 0, 9.35, t.data + at, end - at, &kept);
            font_shape(fresh, arena, "en", 0, 9.35, t.data + at, end - at, &alone);
            CHECK(same_glyphs(&kept, &alone));
            at = end + 1;
        }
        font_set_free(fresh);
        buffer_free(&t);
    }
    arena_free(arena);
}

/* Lists of kept subsets (what a document's glyph numbers and widths come
 * from): the same list, the same number; another subset, order or length,
 * another; never 0. */
static void test_subsets_id(struct font_set *fs)
{
    const struct font_subset *kept[2] = {0};
    for (unsigned f = 0; f < 2; f++) {
        hb_set_t *glyphs = hb_set_create();
        hb_set_add(glyphs, 3 + f);
        struct font_subset s = {
            .old_to_new = hb_map_create(), .program = xmalloc(1), .program_len = 1};
        kept[f] = font_set_subset_keep(fs, f, glyphs, &s);
        font_subset_release(&s);
        hb_set_destroy(glyphs);
    }
    CHECK(kept[0] && kept[1] && kept[0] != kept[1]);
    const struct font_subset *ab[] = {kept[0], kept[1]}, *ba[] = {kept[1], kept[0]};
    uint64_t one = font_set_subsets_id(fs, ab, 2);
    CHECK(one != 0 && font_set_subsets_id(fs, ab, 2) == one);
    uint64_t two = font_set_subsets_id(fs, ba, 2), three = font_set_subsets_id(fs, ab, 1);
    CHECK(two != 0 && two != one && three != 0 && three != one && three != two);
    CHECK(font_set_subsets_id(fs, ba, 2) == two && font_set_subsets_id(fs, ab, 1) == three);
}

/* The pieces of a word that hyphenation cuts measure, cut from the word's
 * cached shaping (font_layout_measure_part), exactly as each piece shaped
 * alone in a font set that never saw the word: kerning (AV, Wa, To, Ty),
 * ligatures (fi, ffi), Cyrillic, Greek after Latin, a combining mark, the
 * fallback font's tenge sign inside a word, bold and a language without
 * ligatures. */
static void test_word_parts(struct font_set *fs)
{
    static const char *const words[] = {
        "AVATAR",
        "Wavering",
        "Tokyo-Typhoon",
        "difficult",
        "officially",
        "affirmative",
        "solidarity",
        "L\xE2\x80\x99"
        "Avenir",
        "\xE2\x80\x9CWe\xE2\x80\x9D",
        "\xD0\xA0\xD0\xB5\xD1\x81\xD0\xBF\xD1\x83\xD0\xB1\xD0\xBB\xD0\xB8\xD0\xBA\xD0\xB8",
        "Vay\xCE\xA3\xCF\x89\xCE\xBC\xCE\xB1",
        "cafe\xCC\x81s",
        "Almaty\xE2\x82\xB8"
        "Aktau"};
    static const char *const languages[] = {"en", "tr"};
    struct errors errors = {0};
    struct font_set *fresh = font_set_open(&test_fonts, &errors);
    CHECK(fresh != NULL);
    /* One check of all the pieces: each piece is not a check of its own. */
    size_t checked = 0, differ = 0;
    for (size_t w = 0; fresh && w < sizeof words / sizeof words[0]; w++)
        for (unsigned style = 0; style < 4; style += 2)
            for (size_t l = 0; l < 2; l++) {
                const char *word = words[w];
                size_t len = strlen(word);
                struct font_layout m = {fs, languages[l], 11, style};
                struct font_layout alone = {fresh, languages[l], 11, style};
                font_layout_measure(&m, word, len, 0);
                for (size_t start = 0; start < len; start++)
                    for (size_t end = start + 1; end <= len; end++) {
                        if ((word[start] & 0xC0) == 0x80 ||
                            (end < len && (word[end] & 0xC0) == 0x80))
                            continue;
                        font_set_clear_cache(fresh);
                        differ += font_layout_measure_part(&m, word, len, start, end, 0) !=
                                  font_layout_measure(&alone, word + start, end - start, 0);
                        checked++;
                    }
            }
    CHECK(differ == 0);
    CHECK(checked > 1000);
    font_set_free(fresh);
}

/* One large document (a petition's annex: names seen once among first
 * names and towns seen again and again) keeps the words it shapes again,
 * however many it shapes once: with the campaign's 512 KB alone the part
 * started empty every 1,700 words. Its memory stays bounded (8 MB), and
 * the next letter's part is bounded as before (512 KB). */
static void test_document_cache(struct font_set *fs)
{
    static const char *const common[] = {"Anna",
                                         "Almaty",
                                         "Kazakhstan",
                                         "Treasurer",
                                         "Union",
                                         "Gda\xC5\x84sk",
                                         "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"};
    size_t n = sizeof common / sizeof common[0];
    char word[32];
    font_set_clear_cache(fs);
    caches_next_letter();
    size_t shaped, bytes, most = 0;
    for (int i = 0; i < 20000; i++) {
        snprintf(word, sizeof word, "Zq%dx", i);
        font_measure(fs, "en", 0, 9, word, strlen(word));
        for (size_t k = 0; i % 50 == 0 && k < n; k++)
            font_measure(fs, "en", 0, 9, common[k], strlen(common[k]));
        font_set_cache_stats(fs, &shaped, &bytes);
        most = bytes > most ? bytes : most;
    }
    /* 2,500 words more: past 512 KB at least once, past the grown bound's
     * free half at most once. */
    for (int i = 0; i < 2500; i++) {
        snprintf(word, sizeof word, "Yq%dx", i);
        font_measure(fs, "en", 0, 9, word, strlen(word));
    }
    size_t before, after;
    font_set_cache_stats(fs, &before, &bytes);
    for (size_t k = 0; k < n; k++)
        font_measure(fs, "en", 0, 9, common[k], strlen(common[k]));
    font_set_cache_stats(fs, &after, &bytes);
    CHECK(after == before);
    CHECK(most > (1u << 20) && most <= (8u << 20));
    /* Then a campaign's letters, a hundred words of their own each: back
     * to the campaign's bound. */
    for (int i = 0; i < 5000; i++) {
        if (i % 100 == 0)
            caches_next_letter();
        snprintf(word, sizeof word, "Xq%dx", i);
        font_measure(fs, "en", 0, 9, word, strlen(word));
    }
    font_set_cache_stats(fs, &shaped, &bytes);
    CHECK(bytes <= (512u << 10) + 1024);
    /* An entry's word shaped with its spaces leaves the word alone in the
     * cache, as a fresh shaping of it gives it. */
    font_set_clear_cache(fs);
    struct arena *arena = arena_new();
    struct font_shaped with, alone;
    static const char *const entries[] = {" Novotn\xC3\xA1, ", " 3229, "};
    for (size_t e = 0; e < 2; e++) {
        const char *entry = entries[e];
        font_shape_words(fs, arena, "en", 0, 9.35, entry, strlen(entry), &with);
        font_set_cache_stats(fs, &before, &bytes);
        double width = font_measure(fs, "en", 0, 9.35, entry + 1, strlen(entry) - 2);
        font_shape(fs, arena, "en", 0, 9.35, entry + 1, strlen(entry) - 2, &with);
        font_set_cache_stats(fs, &after, &bytes);
        CHECK(after == before);
        struct errors errors = {0};
        struct font_set *fresh = font_set_open(&test_fonts, &errors);
        CHECK(fresh != NULL);
        if (fresh) {
            font_shape(fresh, arena, "en", 0, 9.35, entry + 1, strlen(entry) - 2, &alone);
            CHECK(same_glyphs(&with, &alone));
            CHECK(width == font_measure(fresh, "en", 0, 9.35, entry + 1, strlen(entry) - 2));
            font_set_free(fresh);
        }
    }
    arena_free(arena);
    font_set_clear_cache(fs);
}

/* font_shape_words_units' glyphs, scaled as font.h says, are exactly
 * font_shape's (pdf_annex.c places an entry's words from them): random
 * words of accented Latin, Cyrillic, Greek, digits and characters only the
 * fallback font has, with the spaces around them, in the cache and afresh. */
struct scaled {
    double size;
    struct font_glyph glyphs[256];
    size_t count;
    double width;
};

static void scale_units(void *context, const struct font_set *fs, const struct font_unit *g,
                        size_t n)
{
    struct scaled *s = context;
    double pen = 0;
    s->count = n < 256 ? n : 256;
    for (size_t i = 0; i < s->count; i++) {
        double scale = s->size / font_face_upem(fs, g[i].face);
        s->glyphs[i] = (struct font_glyph){.face = g[i].face,
                                           .gid = g[i].gid,
                                           .x = pen + g[i].x_offset * scale,
                                           .y = g[i].y_offset * scale,
                                           .advance = g[i].x_advance * scale,
                                           .text_off = g[i].text_off,
                                           .text_len = g[i].text_len};
        pen += g[i].x_advance * scale;
    }
    s->width = pen;
}

static void test_units(struct font_set *fs)
{
    static const char *const letters[] = {
        "a",        "e",        "n",        "T",        "V",           "W",        "f",
        "i",        "l",        "\xC3\xA1", "\xC3\xA9", "\xC3\xB6",    "\xC5\x82", "\xC5\x9B",
        "\xD0\x96", "\xD0\xB0", "\xD2\x9B", "\xD1\x8F", "\xCE\xB1",    "\xCE\xA9", "\xCF\x82",
        "7",        ",",        ".",        "-",        "\xE2\x86\x92"};
    struct arena *arena = arena_new();
    srand(17);
    int differ = 0;
    for (int round = 0; round < 2000; round++) {
        char text[200];
        size_t len = 0;
        if (rand() % 2)
            text[len++] = ' ';
        for (int k = 1 + rand() % 12; k > 0; k--) {
            const char *l = letters[(size_t)rand() % (sizeof letters / sizeof letters[0])];
            memcpy(text + len, l, strlen(l));
            len += strlen(l);
        }
        for (int k = rand() % 3; k > 0; k--)
            text[len++] = ' ';
        double size = 9.35 + rand() % 3;
        struct scaled units = {.size = size};
        struct font_shaped shaped;
        /* Either first: shaped afresh, or found in the cache. */
        if (round % 2)
            font_shape_words_units(fs, "en", 0, text, len, scale_units, &units);
        font_shape(fs, arena, "en", 0, size, text, len, &shaped);
        if (round % 2 == 0)
            font_shape_words_units(fs, "en", 0, text, len, scale_units, &units);
        struct font_shaped from_units = {
            .glyphs = units.glyphs, .count = units.count, .width = units.width};
        differ += !same_glyphs(&from_units, &shaped);
    }
    CHECK(differ == 0);
    arena_free(arena);
}

/* font.c takes Greek and Cyrillic but U+0483 to U+0489 for letters
 * without asking HarfBuzz whether each is a mark. */
static void test_no_marks(void)
{
    hb_unicode_funcs_t *funcs = hb_unicode_funcs_get_default();
    int marks = 0, differ = 0;
    for (hb_codepoint_t c = 0x370; c < 0x530; c++) {
        hb_unicode_general_category_t gc = hb_unicode_general_category(funcs, c);
        bool mark = gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
                    gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
                    gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
        differ += mark != (c >= 0x483 && c <= 0x489);
        marks += mark;
    }
    CHECK(differ == 0);
    CHECK(marks == 7);
}

static uint32_t get_be(const unsigned char *p, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

/* Where table tag lies in a font file; false when absent. */
static bool table_of(const unsigned char *data, const char *tag, size_t *offset, size_t *length)
{
    for (uint32_t i = 0; i < get_be(data + 4, 2); i++)
        if (memcmp(data + 12 + 16 * i, tag, 4) == 0) {
            *offset = get_be(data + 12 + 16 * i + 8, 4);
            *length = get_be(data + 12 + 16 * i + 12, 4);
            return true;
        }
    return false;
}

/* A font file with random glyphs' data zeroed is refused, naming the
 * first of them, as reading each glyph's loca entries alone finds it:
 * the one-pass scan (first_zeroed, font_file.c) against a reference, in
 * four bundled fonts, 40 rounds each (all four have long loca offsets;
 * the reference reads short ones too). */
static void test_zeroed_glyphs(void)
{
    static const char *const files[] = {"fonts/LiberationSerif-Regular.ttf",
                                        "fonts/LiberationSerif-Bold.ttf", "fonts/DejaVuSerif.ttf",
                                        "fonts/DejaVuSerif-Bold.ttf"};
    char path[] = "/tmp/missive-test-font-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    srand(17);
    size_t differ = 0, rounds = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        FILE *in = fopen(files[f], "rb");
        static unsigned char data[4 << 20], copy[4 << 20];
        size_t len = in ? fread(data, 1, sizeof data, in) : 0;
        if (in)
            fclose(in);
        size_t head, head_len, loca, loca_len, glyf, glyf_len;
        CHECK(len > 0 && table_of(data, "head", &head, &head_len) &&
              table_of(data, "loca", &loca, &loca_len) && table_of(data, "glyf", &glyf, &glyf_len));
        int entry = get_be(data + head + 50, 2) ? 4 : 2;
        size_t glyphs = loca_len / (size_t)entry - 1;
        for (int round = 0; round < 40; round++, rounds++) {
            memcpy(copy, data, len);
            long first = -1;
            for (int k = 0; k < 1 + rand() % 3; k++) {
                size_t gid = round == 0 ? 0 : (size_t)rand() % glyphs;
                size_t a = get_be(data + loca + gid * entry, entry) * (entry == 2 ? 2 : 1);
                size_t b = get_be(data + loca + (gid + 1) * entry, entry) * (entry == 2 ? 2 : 1);
                if (b <= a || b > glyf_len)
                    continue; /* no data: never blank */
                memset(copy + glyf + a, 0, b - a);
                if (first < 0 || (long)gid < first)
                    first = (long)gid;
            }
            FILE *out = fopen(path, "wb");
            CHECK(out && fwrite(copy, 1, len, out) == len);
            if (out)
                fclose(out);
            struct font_settings one = {.regular = path, .size = 11, .leading = 14};
            struct errors errors = {0};
            struct font_set *fs = font_set_open(&one, &errors);
            char expected[128];
            snprintf(expected, sizeof expected, "glyph %ld of the font is blank data", first);
            bool same = first < 0
                            ? fs != NULL && errors.count == 0
                            : !fs && errors.count == 1 && strstr(errors.items[0].message, expected);
            if (!same)
                printf("%s round %d: %s\n", files[f], round,
                       errors.count ? errors.items[0].message : "no error");
            differ += !same;
            font_set_free(fs);
            errors_clear(&errors);
        }
    }
    unlink(path);
    printf("zeroed glyphs: %zu of %zu fonts reported otherwise\n", differ, rounds);
    CHECK(differ == 0);
}

static void run(void)
{
    test_no_marks();
    test_open_errors();
    test_zeroed_glyphs();
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&test_fonts, &errors);
    CHECK(fs != NULL && errors.count == 0);
    if (!fs)
        return;
    CHECK(font_set_count(fs) == 5);
    double ascender, descender;
    font_extents(fs, 0, 10, &ascender, &descender);
    CHECK(fabs(ascender - 8.91) < 0.01 && fabs(descender + 2.16) < 0.01);
    test_coverage(fs);
    test_measure(fs);
    test_fallback(fs);
    test_clusters(fs);
    test_cache(fs);
    test_text_cuts(fs);
    test_kept_words(fs);
    if (caches_on()) {
        test_subsets_id(fs);
        test_document_cache(fs);
    }
    test_word_parts(fs);
    test_units(fs);
    test_numbers();
    font_set_free(fs);
    test_style_fallback();
}

/* A font setting naming a file that is no TrueType font is an error where
 * missive.ini names it when the fonts are opened, not at an unlocated
 * path. The loader only checks that the files exist. */
static void test_bad_font_files(void)
{
    struct errors errors = {0};
    struct workspace *ws = workspace_load("tests/workspace/bad-font", &errors);
    CHECK(ws != NULL);
    struct font_set *fs = ws ? font_set_open(&ws->settings.fonts, &errors) : NULL;
    char *text = errors_text(&errors);
    CHECK_STR(text, "tests/workspace/bad-font/missive.ini:6:11: error: "
                    "'tests/workspace/bad-font/letters/recipients.ini': not a TrueType font (only "
                    "fonts with TrueType outlines can be embedded)\n"
                    "tests/workspace/bad-font/missive.ini:7:35: error: "
                    "'tests/workspace/bad-font/fonts/README.md': not a TrueType font (only fonts "
                    "with TrueType outlines can be embedded)\n");
    free(text);
    CHECK(fs == NULL);
    font_set_free(fs);
    errors_clear(&errors);
    workspace_free(ws);
}

CHECK_MAIN("font", run(); test_bad_font_files())
