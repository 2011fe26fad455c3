/* test_font_fast.c — the fast path of shaping (font_fast.c) against
 * HarfBuzz, unit for unit: random runs in random languages, with the text
 * around them as context as shape_run gives it, in every bundled font;
 * characters from the font's cmap, from kerning pairs and from near
 * misses (marks, ignorables, the spaces HarfBuzz gives fallback widths,
 * ligature parts, digits, punctuation, characters with singleton
 * decompositions). Every run the fast path shapes is compared with
 * HarfBuzz's; runs it hands back are shaped by HarfBuzz and, when it asks,
 * learnt from, as shape_run does. */
#include "check.h"
#include "font_fast.h"
#include "font_fast_kern.h"

#include <glob.h>
#include <hb-ot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fonts[] = {
    "fonts/LiberationSerif-Regular.ttf",
    "fonts/LiberationSerif-Italic.ttf",
    "fonts/LiberationSerif-Bold.ttf",
    "fonts/LiberationSerif-BoldItalic.ttf",
    "fonts/DejaVuSerif.ttf",
    "fonts/DejaVuSerif-Italic.ttf",
    "fonts/DejaVuSerif-Bold.ttf",
    "fonts/DejaVuSerif-BoldItalic.ttf",
};

static const char *const languages[] = {NULL, "en", "de", "fr", "tr", "az", "ru",
                                        "uk", "kk", "el", "ro", "bg", "sr", "nl"};

/* Letters that kern in Latin, Cyrillic and Greek fonts, and their partners. */
static const char kerning[] = "AVTWYLPFRKkvwyoeacr.,;:-'\"’“”«» ГТУЧЪЬАДЛуаеоΑΤΥΓΛΔαοε";
/* What the fast path must leave to HarfBuzz, or take with care. */
static const unsigned near_misses[] = {
    0x0301, 0x0308, 0x0327, 0x0483, 0x0487, 0x00AD, 0x034F, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
    0x2060, 0xFEFF, 0xFE0F, 0x2000, 0x2002, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x2044, 0x2011,
    0x037E, 0x0387, 0x0374, 0x212B, 0x2126, 0x00A0, 'f',    'i',    'l',    'f',    'f',    '0',
    '1',    '2',    '7',    '/',    '.',    ',',    '-',    ' ',    0x2013, 0x2014, 0x2026, 0x00BD,
    0x0130, 0x0131, 0x0218, 0x021A, 0x0162, 0x1EA0, 0x0628, 0x05D0, 0x0915, 0x1F600};

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned next_random(unsigned bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % bound);
}

static size_t put_utf8(char *out, unsigned c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12);
        out[1] = (char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18);
    out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

struct pools {
    hb_codepoint_t *cmap; /* the font's characters below U+2100, and some above */
    size_t cmap_count;
    unsigned *kern; /* kerning's characters */
    size_t kern_count;
};

/* Appends one random character to out. */
static size_t random_char(const struct pools *p, char *out)
{
    unsigned pick = next_random(100), c;
    if (pick < 45)
        c = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[next_random(52)];
    else if (pick < 72)
        c = p->kern[next_random((unsigned)p->kern_count)];
    else if (pick < 93)
        c = p->cmap[next_random((unsigned)p->cmap_count)];
    else
        c = near_misses[next_random(sizeof near_misses / sizeof near_misses[0])];
    return put_utf8(out, c);
}

static void make_pools(hb_face_t *face, struct pools *p)
{
    hb_set_t *set = hb_set_create();
    hb_face_collect_unicodes(face, set);
    p->cmap = calloc(hb_set_get_population(set) + 1, sizeof *p->cmap);
    p->cmap_count = 0;
    for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(set, &c);)
        if (c < 0x2100 || next_random(8) == 0)
            p->cmap[p->cmap_count++] = c;
    hb_set_destroy(set);
    p->kern = calloc(sizeof kerning, sizeof *p->kern);
    p->kern_count = 0;
    for (size_t i = 0; kerning[i];) {
        unsigned char b = (unsigned char)kerning[i];
        unsigned c, n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        c = n == 1 ? b : b & (0xFF >> (n + 1));
        for (unsigned k = 1; k < n; k++)
            c = c << 6 | ((unsigned char)kerning[i + k] & 0x3F);
        p->kern[p->kern_count++] = c;
        i += n;
    }
}

/* HarfBuzz's units of text[start, end) with the whole text as context,
 * converted as shape_run converts them (left to right only: the fast path
 * takes nothing else). */
static void reference(hb_buffer_t *buffer, hb_font_t *font, unsigned face, const char *language,
                      const char *text, size_t len, size_t start, size_t end, struct unit_list *out)
{
    hb_buffer_clear_contents(buffer);
    hb_buffer_add_utf8(buffer, text, (int)len, (unsigned)start, (int)(end - start));
    if (language)
        hb_buffer_set_language(buffer, hb_language_from_string(language, -1));
    hb_buffer_guess_segment_properties(buffer);
    hb_feature_t features[2];
    unsigned feature_count = 0;
    if (!font_ligatures_allowed(language)) {
        hb_feature_from_string("-liga", -1, &features[feature_count++]);
        hb_feature_from_string("-clig", -1, &features[feature_count++]);
    }
    hb_shape(font, buffer, features, feature_count);
    unsigned count;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
    out->count = 0;
    if (count > out->capacity) {
        out->capacity = count * 2;
        out->glyphs = realloc(out->glyphs, out->capacity * sizeof *out->glyphs);
    }
    for (unsigned i = 0; i < count; i++) {
        uint32_t stop = (uint32_t)end;
        for (unsigned k = i + 1; k < count; k++)
            if (info[k].cluster != info[i].cluster) {
                stop = info[k].cluster;
                break;
            }
        bool first = i == 0 || info[i].cluster != info[i - 1].cluster;
        out->glyphs[out->count++] = (struct font_unit){
            .face = face,
            .gid = info[i].codepoint,
            .x_offset = pos[i].x_offset,
            .y_offset = pos[i].y_offset,
            .x_advance = pos[i].x_advance,
            .text_off = info[i].cluster,
            .text_len = (first ? stop : info[i].cluster) - info[i].cluster,
            .safe = !(hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK),
        };
    }
}

static bool same_units(const struct unit_list *a, const struct unit_list *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        const struct font_unit *x = &a->glyphs[i], *y = &b->glyphs[i];
        if (x->face != y->face || x->gid != y->gid || x->x_offset != y->x_offset ||
            x->y_offset != y->y_offset || x->x_advance != y->x_advance ||
            x->text_off != y->text_off || x->text_len != y->text_len || x->safe != y->safe)
            return false;
    }
    return true;
}

/* One run shaped by the fast path and by HarfBuzz: -1 when the fast path
 * did not shape it (learning from HarfBuzz's buffer as shape_run does), 1
 * when the units are the same, 0 when they differ. */
static int compare_run(struct font_fast *ff, hb_font_t *font, unsigned face_index,
                       hb_buffer_t *buffer, const char *language, const char *text, size_t len,
                       size_t start, size_t end, struct unit_list *fast, struct unit_list *ref)
{
    fast->count = 0;
    enum font_fast_result got =
        font_fast_shape(ff, font, face_index, language, text, start, end, fast);
    reference(buffer, font, face_index, language, text, len, start, end, ref);
    if (got == FONT_FAST_LEARN)
        font_fast_learn(ff, buffer);
    if (got != FONT_FAST_DONE)
        return -1;
    return same_units(fast, ref);
}

#define SEEN 512
struct seen {
    char text[48];
    size_t len;
};

/* Random runs in one font; returns how many the fast path shaped (each
 * compared). */
static size_t check_font(struct font_fast *ff, unsigned face_index, const char *file, size_t runs)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    CHECK(blob != NULL);
    if (!blob)
        return 0;
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    hb_buffer_t *buffer = hb_buffer_create();
    struct pools pools;
    make_pools(face, &pools);
    struct unit_list fast = {0}, ref = {0};
    size_t compared = 0, failed = 0;
    char text[128];
    struct seen seen[SEEN] = {0};
    for (size_t r = 0; r < runs; r++) {
        const char *language = languages[next_random(sizeof languages / sizeof languages[0])];
        size_t len = 0, start, end;
        for (unsigned k = next_random(4); k > 0; k--)
            len += random_char(&pools, text + len);
        start = len;
        /* Runs seen before come again (a text's words do), in other
         * contexts and languages: their pairs are known by then. */
        struct seen *again = &seen[next_random(SEEN)];
        if (again->len && next_random(3)) {
            memcpy(text + len, again->text, again->len);
            len += again->len;
        } else {
            for (unsigned k = 1 + next_random(10); k > 0; k--)
                len += random_char(&pools, text + len);
            again = &seen[next_random(SEEN)];
            again->len = len - start;
            memcpy(again->text, text + start, again->len);
        }
        end = len;
        for (unsigned k = next_random(4); k > 0; k--)
            len += random_char(&pools, text + len);
        int same =
            compare_run(ff, font, face_index, buffer, language, text, len, start, end, &fast, &ref);
        if (same < 0)
            continue;
        compared++;
        if (!same && failed++ < 5) {
            CHECK(!"the fast path's units are HarfBuzz's");
            fprintf(stderr, "  %s, %s: \"%.*s\" in \"%.*s\"\n", file, language ? language : "-",
                    (int)(end - start), text + start, (int)len, text);
        }
    }
    CHECK(failed == 0);
    free(fast.glyphs);
    free(ref.glyphs);
    free(pools.cmap);
    free(pools.kern);
    hb_buffer_destroy(buffer);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return compared;
}

/* ---- the legacy 'kern' table (font_fast_kern.c) ---- */

/* Characters of no script but marks and controls: a run of them only
 * (digits, spaces, punctuation: a signer's number) has no script, and
 * DFLT's features. */
static bool common_char(unsigned c)
{
    hb_unicode_funcs_t *funcs = hb_unicode_funcs_get_default();
    hb_unicode_general_category_t gc = hb_unicode_general_category(funcs, c);
    return c < 0x2100 && hb_unicode_script(funcs, c) == HB_SCRIPT_COMMON &&
           gc != HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK &&
           gc != HB_UNICODE_GENERAL_CATEGORY_FORMAT && gc != HB_UNICODE_GENERAL_CATEGORY_CONTROL;
}

/* Character pairs that kern: [2 i] then [2 i + 1]. */
struct kern_pools {
    unsigned *all, *common; /* any pairs; pairs of characters of no script */
    size_t all_count, common_count;
    unsigned *commons; /* characters of no script of the font */
    size_t commons_count;
};

/* Adds a pair of first[a] and first[b] to k (0: no character). */
static void add_pair(struct kern_pools *k, const unsigned *first, unsigned a, unsigned b)
{
    if (!first[a] || !first[b])
        return;
    k->all = realloc(k->all, (k->all_count + 1) * 2 * sizeof *k->all);
    k->all[2 * k->all_count] = first[a];
    k->all[2 * k->all_count++ + 1] = first[b];
    if (!common_char(first[a]) || !common_char(first[b]))
        return;
    k->common = realloc(k->common, (k->common_count + 1) * 2 * sizeof *k->common);
    k->common[2 * k->common_count] = first[a];
    k->common[2 * k->common_count++ + 1] = first[b];
}

/* Fills k from face's cmap and the pairs of its 'kern' table's format 0
 * subtables (read here roughly: only to find characters that kern). */
static void make_kern_pools(hb_face_t *face, hb_font_t *font, struct kern_pools *k)
{
    unsigned glyphs = hb_face_get_glyph_count(face);
    unsigned *first = calloc(glyphs + 1, sizeof *first); /* a character of each glyph */
    hb_set_t *unicodes = hb_set_create();
    hb_face_collect_unicodes(face, unicodes);
    *k = (struct kern_pools){.commons =
                                 calloc(hb_set_get_population(unicodes) + 1, sizeof(unsigned))};
    for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(unicodes, &c);) {
        hb_codepoint_t g;
        if (hb_font_get_nominal_glyph(font, c, &g) && g < glyphs && !first[g])
            first[g] = c;
        if (common_char(c))
            k->commons[k->commons_count++] = c;
    }
    hb_set_destroy(unicodes);
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &len);
    for (size_t at = 4, s = 0; d && len >= 4 && s < (size_t)(d[2] << 8 | d[3]); s++) {
        if (at + 14 > len || d[at + 4] != 0)
            break;
        size_t n = (size_t)(d[at + 6] << 8 | d[at + 7]);
        for (size_t i = 0; i < n && at + 14 + 6 * i + 6 <= len; i++) {
            const unsigned char *p = d + at + 14 + 6 * i;
            unsigned a = (unsigned)(p[0] << 8 | p[1]), b = (unsigned)(p[2] << 8 | p[3]);
            if (a < glyphs && b < glyphs)
                add_pair(k, first, a, b);
        }
        at += (size_t)(d[at + 2] << 8 | d[at + 3]);
    }
    hb_blob_destroy(blob);
    free(first);
}

/* Appends one or two random characters (of no script only when
 * commons_only). */
static size_t kern_char(const struct kern_pools *k, const struct pools *p, bool commons_only,
                        char *out)
{
    unsigned pick = next_random(100);
    const unsigned *pair = NULL;
    if (pick < 3)
        return put_utf8(out, near_misses[next_random(sizeof near_misses / sizeof near_misses[0])]);
    if (pick < 20)
        return put_utf8(out, (unsigned char)" 0123456789,.;:-'\"()/"[next_random(21)]);
    if (pick < 30 && !commons_only)
        return put_utf8(out, p->cmap[next_random((unsigned)p->cmap_count)]);
    if (pick < 50)
        return put_utf8(out, k->commons[next_random((unsigned)k->commons_count)]);
    if (commons_only || !k->all_count)
        pair = k->common_count ? &k->common[2 * next_random((unsigned)k->common_count)] : NULL;
    else
        pair = &k->all[2 * next_random((unsigned)k->all_count)];
    if (!pair)
        return put_utf8(out, k->commons[next_random((unsigned)k->commons_count)]);
    size_t n = put_utf8(out, pair[0]);
    return n + put_utf8(out + n, pair[1]);
}

/* Random runs in one font with a 'kern' table HarfBuzz applies in some
 * contexts, at the font's scale (scale 0: its units per em) as missive
 * shapes, or another; returns how many runs the fast path shaped (each
 * compared); *failed counts those that differed, *split those where
 * HarfBuzz moved a glyph by a pair before it (a kern table's split). */
static size_t check_kern_font(struct font_fast *ff, unsigned face_index, const char *file,
                              int scale, size_t runs, size_t *failed, size_t *split)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    CHECK(blob != NULL);
    if (!blob)
        return 0;
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    if (scale)
        hb_font_set_scale(font, scale, scale);
    hb_buffer_t *buffer = hb_buffer_create();
    struct pools pools;
    make_pools(face, &pools);
    struct kern_pools k;
    make_kern_pools(face, font, &k);
    CHECK(k.commons_count > 0);
    struct unit_list fast = {0}, ref = {0};
    size_t compared = 0;
    char text[256];
    for (size_t r = 0; k.commons_count && r < runs; r++) {
        const char *language = languages[next_random(sizeof languages / sizeof languages[0])];
        bool commons = next_random(2);
        size_t len = 0, start, end;
        for (unsigned n = next_random(4); n > 0; n--)
            len += kern_char(&k, &pools, false, text + len);
        start = len;
        for (unsigned n = 1 + next_random(12); n > 0; n--)
            len += kern_char(&k, &pools, commons, text + len);
        end = len;
        for (unsigned n = next_random(4); n > 0; n--)
            len += kern_char(&k, &pools, false, text + len);
        int same =
            compare_run(ff, font, face_index, buffer, language, text, len, start, end, &fast, &ref);
        if (same < 0)
            continue;
        compared++;
        for (size_t i = 0; i < ref.count; i++)
            if (ref.glyphs[i].x_offset) {
                (*split)++;
                break;
            }
        if (!same && (*failed)++ < 5)
            fprintf(stderr, "  %s at scale %d, %s: \"%.*s\" in \"%.*s\"\n", file, scale,
                    language ? language : "-", (int)(end - start), text + start, (int)len, text);
    }
    free(fast.glyphs);
    free(ref.glyphs);
    free(pools.cmap);
    free(pools.kern);
    free(k.all);
    free(k.common);
    free(k.commons);
    hb_buffer_destroy(buffer);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return compared;
}

/* Whether HarfBuzz kerns from file's 'kern' table for some script (a
 * font of the system the fast path may meet). */
static bool kerns_from_table(const char *file)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    if (!blob)
        return false;
    hb_face_t *face = hb_face_create(blob, 0);
    static const hb_script_t scripts[] = {HB_SCRIPT_INVALID, HB_SCRIPT_LATIN, HB_SCRIPT_GREEK,
                                          HB_SCRIPT_CYRILLIC};
    bool kerns = false;
    for (unsigned i = 0; i < 4 && !kerns; i++)
        kerns =
            font_fast_kern_use(face, scripts[i], hb_language_get_default()) == FONT_FAST_KERN_TABLE;
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return kerns;
}

/* The bundled Liberation fonts (kerned from 'kern' in runs of no script)
 * and the system's fonts that HarfBuzz kerns from 'kern' somewhere
 * (DejaVu Sans ExtraLight: four subtables, Greek and Cyrillic too), at
 * their units per em and at odd scales (HarfBuzz's rounding of each
 * value, and of each half). */
static void run_kern(void)
{
    glob_t found = {0};
    glob("fonts/Liberation*.ttf", 0, NULL, &found);
    glob("/usr/share/fonts/truetype/*/*.ttf", GLOB_APPEND, NULL, &found);
    struct font_fast *ff = font_fast_new();
    size_t compared = 0, failed = 0, split = 0, fonts_used = 0;
    static const int scales[] = {0, 1237, 3 * 1024 + 1};
    unsigned face_index = 0;
    for (size_t i = 0; i < found.gl_pathc; i++) {
        if (!kerns_from_table(found.gl_pathv[i]))
            continue;
        fonts_used++;
        for (unsigned s = 0; s < 3; s++)
            compared += check_kern_font(ff, face_index++, found.gl_pathv[i], scales[s],
                                        s ? 6000 : 30000, &failed, &split);
    }
    struct font_fast_stats stats = font_fast_stats(ff);
    printf("font_fast kern: %zu fonts, %zu runs compared with HarfBuzz (%zu kerned from "
           "'kern', %zu with a glyph moved by its pair), %zu differ\n",
           fonts_used, compared, stats.kern_table, split, failed);
    CHECK(fonts_used >= 4); /* the bundled Liberation fonts at least */
    CHECK(stats.kern_table > 20000 && split > 2000);
    CHECK(failed == 0);
    CHECK(stats.refused == 0);
    font_fast_free(ff);
    globfree(&found);
}

static void run(void)
{
    struct font_fast *ff = font_fast_new();
    size_t compared = 0;
    for (unsigned i = 0; i < sizeof fonts / sizeof fonts[0]; i++)
        compared += check_font(ff, i, fonts[i], 120000);
    struct font_fast_stats stats = font_fast_stats(ff);
    printf("font_fast: %zu runs compared with HarfBuzz, %zu learnt, %zu contexts, %zu pairs\n",
           compared, stats.learnt, stats.contexts, stats.pairs);
    /* Most runs of the pools are plain: a fast path that takes few would
     * test little. */
    CHECK(compared > 100000);
    CHECK(stats.refused == 0);
    font_fast_free(ff);
}

CHECK_MAIN("font_fast", run(); run_kern())
