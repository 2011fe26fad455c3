/* test_subset.c — a font subset asked for by code points (font_subset.c's
 * quick path) against the same subset asked for by glyphs, the reference:
 * the same glyph mapping and the same font program, byte for byte, for
 * random glyph sets of the bundled fonts and of the system's DejaVu fonts,
 * and for fonts whose cmap was damaged at random. */
#include "check.h"
#include "font_subset.h"

#include <glob.h>
#include <hb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The subsets of glyphs both ways are the same; returns whether the quick
 * path was taken. */
static bool same_both_ways(hb_font_t *font, const hb_set_t *glyphs)
{
    struct font_subset quick = {0}, reference = {0};
    int a = font_subset_make(font, glyphs, false, &quick);
    int b = font_subset_make(font, glyphs, true, &reference);
    CHECK(a == b);
    if (a == 0 && b == 0) {
        CHECK(hb_map_is_equal(quick.old_to_new, reference.old_to_new));
        CHECK(quick.length1 == reference.length1 && quick.program_len == reference.program_len &&
              memcmp(quick.program, reference.program, quick.program_len) == 0);
    }
    font_subset_release(&quick);
    font_subset_release(&reference);
    hb_set_t *unicodes = hb_set_create();
    bool taken = font_subset_unicodes(font, glyphs, unicodes);
    hb_set_destroy(unicodes);
    return taken;
}

/* Every code point of the face whose nominal glyph is one of glyphs (0
 * aside), by HarfBuzz's own look-up; false if a glyph is reached by none. */
static bool reference_unicodes(hb_font_t *font, const hb_set_t *glyphs, hb_set_t *out)
{
    hb_set_t *all = hb_set_create(), *reached = hb_set_create();
    hb_face_collect_unicodes(hb_font_get_face(font), all);
    hb_codepoint_t cp = HB_SET_VALUE_INVALID, g;
    while (hb_set_next(all, &cp))
        if (hb_font_get_nominal_glyph(font, cp, &g) && g && hb_set_has(glyphs, g)) {
            hb_set_add(out, cp);
            hb_set_add(reached, g);
        }
    hb_set_add(reached, 0);
    bool every = hb_set_is_subset(glyphs, reached);
    hb_set_destroy(all);
    hb_set_destroy(reached);
    return every;
}

/* A random set of glyphs as a letter's shaping gives: glyph 0 and those of
 * random code points of the face, now and then one no code point reaches. */
static hb_set_t *random_glyphs(hb_font_t *font, const hb_set_t *all, unsigned seed)
{
    hb_set_t *glyphs = hb_set_create();
    hb_set_add(glyphs, 0);
    unsigned population = hb_set_get_population(all), count = 1 + (unsigned)rand() % 150;
    for (unsigned i = 0; i < count && population; i++) {
        unsigned skip = (unsigned)rand() % population;
        hb_codepoint_t cp = HB_SET_VALUE_INVALID, g;
        while (hb_set_next(all, &cp) && skip--)
            ;
        if (hb_font_get_nominal_glyph(font, cp, &g))
            hb_set_add(glyphs, g);
    }
    if (seed % 4 == 3)
        hb_set_add(glyphs, (unsigned)rand() % hb_face_get_glyph_count(hb_font_get_face(font)));
    return glyphs;
}

/* Random glyph sets of one font file: the code points found are HarfBuzz's,
 * the subsets the same both ways. Returns how many took the quick path. */
static unsigned test_font_file(const char *path, unsigned sets)
{
    hb_blob_t *blob = hb_blob_create_from_file(path);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    hb_set_t *all = hb_set_create();
    hb_face_collect_unicodes(face, all);
    unsigned quick = 0;
    for (unsigned i = 0; i < sets; i++) {
        hb_set_t *glyphs = random_glyphs(font, all, i), *mine = hb_set_create(),
                 *theirs = hb_set_create();
        bool reachable = reference_unicodes(font, glyphs, theirs);
        if (font_subset_unicodes(font, glyphs, mine)) {
            CHECK(reachable && hb_set_is_equal(mine, theirs));
            quick++;
        }
        same_both_ways(font, glyphs);
        hb_set_destroy(glyphs);
        hb_set_destroy(mine);
        hb_set_destroy(theirs);
    }
    hb_set_destroy(all);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return quick;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Where font's cmap table is (the table directory's record), or 0. */
static uint32_t cmap_of(const unsigned char *font, size_t len, uint32_t *cmap_len)
{
    unsigned tables = (unsigned)font[4] << 8 | font[5];
    for (unsigned i = 0; i < tables && 12 + 16 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *r = font + 12 + 16 * i;
        if (memcmp(r, "cmap", 4) == 0) {
            *cmap_len = be32(r + 12);
            return be32(r + 8);
        }
    }
    return 0;
}

/* Liberation Serif with a few bytes of its cmap changed at random (headers
 * more often than entries): whatever the quick path makes of it, the
 * subset is the glyphs' subset. */
static void test_damaged_cmaps(unsigned mutants)
{
    hb_blob_t *blob = hb_blob_create_from_file("fonts/LiberationSerif-Regular.ttf");
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    uint32_t cmap_len = 0, cmap = cmap_of((const unsigned char *)data, len, &cmap_len);
    CHECK(cmap != 0 && cmap_len > 64 && cmap + cmap_len <= len);
    unsigned quick = 0;
    for (unsigned m = 0; m < mutants && cmap; m++) {
        char *copy = malloc(len);
        memcpy(copy, data, len);
        for (unsigned k = 0, n = 1 + (unsigned)rand() % 3; k < n; k++) {
            uint32_t at =
                (unsigned)rand() % 2 ? (unsigned)rand() % 64 : (unsigned)rand() % cmap_len;
            copy[cmap + at] = (char)(rand() % 3 ? rand() : copy[cmap + at] ^ 1);
        }
        hb_blob_t *damaged = hb_blob_create(copy, len, HB_MEMORY_MODE_READONLY, copy, free);
        hb_face_t *face = hb_face_create(damaged, 0);
        hb_font_t *font = hb_font_create(face);
        hb_set_t *all = hb_set_create();
        hb_face_collect_unicodes(face, all);
        hb_set_t *glyphs = random_glyphs(font, all, m);
        quick += same_both_ways(font, glyphs);
        hb_set_destroy(glyphs);
        hb_set_destroy(all);
        hb_font_destroy(font);
        hb_face_destroy(face);
        hb_blob_destroy(damaged);
    }
    CHECK(quick > 0 && quick < mutants); /* both paths were taken */
    printf("damaged cmaps: %u of %u took the quick path\n", quick, mutants);
    hb_blob_destroy(blob);
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A font made from a copy of bytes; the copy is the blob's. */
static hb_font_t *font_of(unsigned char *bytes, unsigned len)
{
    hb_blob_t *blob = hb_blob_create((char *)bytes, len, HB_MEMORY_MODE_READONLY, bytes, free);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return font;
}

/* DejaVu Serif with its format 12 subtables renamed out of HarfBuzz's
 * choice, so that its format 4 one, which reads glyphs from glyphIdArray
 * (idRangeOffset), is the one read; then the same with idDelta set on those
 * segments, which HarfBuzz 6's look-up adds and its mapping does not: the
 * quick path must see the disagreement and keep to the glyphs. */
static void test_range_offsets(void)
{
    hb_blob_t *blob = hb_blob_create_from_file("fonts/DejaVuSerif.ttf");
    unsigned len;
    const unsigned char *data = (const unsigned char *)hb_blob_get_data(blob, &len);
    uint32_t cmap_len = 0, cmap = len ? cmap_of(data, len, &cmap_len) : 0;
    CHECK(cmap != 0);
    for (int damaged = 0; damaged < 2 && cmap; damaged++) {
        unsigned char *copy = malloc(len);
        memcpy(copy, data, len);
        unsigned char *c = copy + cmap, *format4 = NULL;
        for (unsigned i = 0, n = (unsigned)c[2] << 8 | c[3]; i < n; i++) {
            unsigned char *r = c + 4 + 8 * i;
            unsigned platform = (unsigned)r[0] << 8 | r[1], encoding = (unsigned)r[2] << 8 | r[3];
            if ((platform == 0 && encoding == 4) || (platform == 3 && encoding == 10))
                put16(r + 2, encoding + 1);
            if (platform == 3 && encoding == 1)
                format4 = c + be32(r + 4);
        }
        CHECK(format4 && format4[1] == 4);
        unsigned segs = format4 ? ((unsigned)format4[6] << 8 | format4[7]) / 2 : 0, ranged = 0;
        for (unsigned i = 0; i < segs; i++) {
            unsigned char *delta = format4 + 16 + 4 * segs + 2 * i;
            const unsigned char *range = format4 + 16 + 6 * segs + 2 * i;
            if ((range[0] || range[1]) && ++ranged && damaged)
                put16(delta, 1);
        }
        CHECK(ranged > 0);
        hb_font_t *font = font_of(copy, len);
        hb_set_t *all = hb_set_create();
        hb_face_collect_unicodes(hb_font_get_face(font), all);
        unsigned quick = 0;
        for (unsigned i = 0; i < 24; i++) {
            hb_set_t *glyphs = random_glyphs(font, all, 4 * i);
            quick += same_both_ways(font, glyphs);
            hb_set_destroy(glyphs);
        }
        /* Whole, every set goes the quick way; damaged, those reaching a
         * glyph through glyphIdArray do not. */
        CHECK(damaged ? quick < 24 : quick == 24);
        hb_set_destroy(all);
        hb_font_destroy(font);
    }
    hb_blob_destroy(blob);
}

static void test_fonts(void)
{
    glob_t found;
    unsigned files = 0, quick = 0;
    const char *patterns[] = {"fonts/*.ttf", "/usr/share/fonts/truetype/dejavu/*.ttf"};
    for (size_t p = 0; p < 2; p++) {
        if (glob(patterns[p], 0, NULL, &found) != 0)
            continue;
        for (size_t i = 0; i < found.gl_pathc; i++, files++) {
            unsigned taken = test_font_file(found.gl_pathv[i], 12);
            /* The bundled fonts take it for nearly every set. */
            CHECK(p == 1 || taken >= 6);
            quick += taken;
        }
        globfree(&found);
    }
    CHECK(files >= 8);
    printf("fonts: %u files, %u of %u glyph sets took the quick path\n", files, quick, 12 * files);
}

CHECK_MAIN("subset", srand(17); test_fonts(); test_damaged_cmaps(300); test_range_offsets())
