/* font_fast_kern.c — the legacy 'kern' table for the shaping fast path
 * (font_fast_kern.h), as HarfBuzz 6.0 reads and applies it.
 *
 * When HarfBuzz applies the table: its plan kerns from GPOS when the
 * GPOS language system it chose (hb_ot_map_builder_t: the script's tags,
 * then DFLT, dflt, latn; then the language's) has a 'kern' feature; when
 * it has none, and the face has no AAT tables (font_fast_plan.c takes no
 * face that has), HarfBuzz applies the 'kern' table if it has data after
 * sanitizing: the same face kerns a Latin run from GPOS and a run of
 * digits and commas (no script: DFLT) from 'kern', as Liberation does.
 *
 * What it then does (hb-kern.hh, hb-ot-kern-table.hh, KerxTable::apply):
 * each horizontal subtable in turn walks the buffer's glyph pairs (i, j),
 * j the next glyph that is not a mark (IgnoreMarks), which for a run of
 * base glyphs is every adjacent pair; a pair's raw value from format 0's
 * sorted pairs (binary search), when nonzero, is scaled (em_scale_x:
 * (v * x_mult + 32768) >> 16) and split: kern1 = kern >> 1 to glyph i's
 * advance, kern2 = kern - kern1 to glyph j's advance and x offset, and
 * glyph j is unsafe to break (unsafe_to_break (i, j + 1) flags the glyphs
 * of clusters after the first, one cluster a glyph here); a zero raw value
 * does nothing, not even the flag. Subtables add up, so a pair's effect is
 * the sum of its subtables' splits, kept per pair here. Cross-stream
 * subtables (a y offset set, not added, and glyphs chained for attachment)
 * are not followed; nor formats other than 0 (version 0 tables ignore
 * formats 1 and 3; 2 is class-based), AAT 'kern' tables (version 1), or a
 * table whose sanitizing might fail or whose pairs are not strictly sorted
 * (HarfBuzz's binary search then finds what it finds): the context then
 * goes to HarfBuzz whole. */
#include "font_fast_kern.h"

#include "buffer.h"
#include "hash.h"

#include <hb-ot.h>

#include <stdbool.h>
#include <stdlib.h>

struct kern_pair {
    uint32_t key;          /* first << 16 | second; 0 empty (glyph 0 is never plain) */
    int32_t first, second; /* added to the first glyph's advance; to the second's and its offset */
};

struct font_fast_kern {
    struct kern_pair *pairs;
    size_t mask, count;
    int64_t x_mult; /* HarfBuzz's: x_scale << 16 / upem */
};

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* a / b rounded down, b > 0: HarfBuzz's arithmetic right shifts. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static struct kern_pair *pair_slot(const struct font_fast_kern *k, uint32_t key)
{
    for (size_t i = hash_u32(key) & k->mask;; i = (i + 1) & k->mask) {
        struct kern_pair *p = &k->pairs[i];
        if (p->key == key || p->key == 0)
            return p;
    }
}

/* Adds one subtable's raw value for key to k, as the machine splits it. */
static void pair_add(struct font_fast_kern *k, uint32_t key, int16_t raw)
{
    int32_t kern = (int32_t)floor_div((int64_t)raw * k->x_mult + 32768, 65536);
    int32_t kern1 = (int32_t)floor_div(kern, 2);
    struct kern_pair *p = pair_slot(k, key);
    if (!p->key) {
        *p = (struct kern_pair){.key = key};
        k->count++;
    }
    p->first += kern1;
    p->second += kern - kern1;
}

/* Walks the table in data[0, len) as HarfBuzz's sanitizer and its
 * KerxTable::apply do; false when it is not one the model reads. Counts
 * the pairs a horizontal subtable gives a nonzero value into *pairs, and
 * adds them to k unless it is NULL. */
static bool kern_walk(const unsigned char *data, size_t len, struct font_fast_kern *k,
                      size_t *pairs)
{
    /* Version 0 (OpenType's 16-bit header); no subtables is no data. */
    if (len < 4 || be16(data) != 0 || be16(data + 2) == 0)
        return false;
    unsigned count = be16(data + 2);
    size_t at = 4;
    for (unsigned s = 0; s < count; s++) {
        if (at + 6 > len)
            return false;
        size_t length = be16(data + at + 2);
        unsigned format = data[at + 4], coverage = data[at + 5];
        /* The last subtable's length is not its end (HarfBuzz ignores it:
         * long tables overflow it), though it must fit in the table. */
        size_t end = s + 1 < count ? at + length : len;
        if (length < 6 || at + length > len || format != 0 || (coverage & 0x04) || at + 14 > end)
            return false;
        size_t n = be16(data + at + 6), first = at + 14;
        if (first + 6 * n > end)
            return false;
        uint32_t last = 0;
        for (size_t i = 0; i < n && (coverage & 0x01); i++) {
            const unsigned char *p = data + first + 6 * i;
            uint32_t key = (uint32_t)be16(p) << 16 | be16(p + 2);
            if (i > 0 && key <= last)
                return false;
            last = key;
            int16_t raw = (int16_t)be16(p + 4);
            if (raw == 0 || key == 0)
                continue;
            (*pairs)++;
            if (k)
                pair_add(k, key, raw);
        }
        at += length;
    }
    return true;
}

/* Whether the face's table is one kern_walk reads. */
static bool kern_readable(hb_face_t *face)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    size_t pairs = 0;
    bool ok = data && kern_walk((const unsigned char *)data, len, NULL, &pairs);
    hb_blob_destroy(blob);
    return ok;
}

/* Whether HarfBuzz's map for script and language finds a 'kern' feature
 * in GPOS: the same calls, in the same order, as hb_ot_map_builder_t. */
static bool gpos_kern_feature(hb_face_t *face, hb_script_t script, hb_language_t language)
{
    hb_tag_t script_tags[HB_OT_MAX_TAGS_PER_SCRIPT], language_tags[HB_OT_MAX_TAGS_PER_LANGUAGE];
    unsigned script_count = HB_OT_MAX_TAGS_PER_SCRIPT, language_count = HB_OT_MAX_TAGS_PER_LANGUAGE;
    hb_ot_tags_from_script_and_language(script, language, &script_count, script_tags,
                                        &language_count, language_tags);
    unsigned script_index, language_index;
    hb_tag_t chosen;
    hb_ot_layout_table_select_script(face, HB_OT_TAG_GPOS, script_count, script_tags, &script_index,
                                     &chosen);
    hb_ot_layout_script_select_language(face, HB_OT_TAG_GPOS, script_index, language_count,
                                        language_tags, &language_index);
    return hb_ot_layout_language_find_feature(face, HB_OT_TAG_GPOS, script_index, language_index,
                                              HB_TAG('k', 'e', 'r', 'n'), NULL);
}

enum font_fast_kern_use font_fast_kern_use(hb_face_t *face, hb_script_t script,
                                           hb_language_t language)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
    bool has = hb_blob_get_length(blob) > 0;
    hb_blob_destroy(blob);
    if (!has || gpos_kern_feature(face, script, language))
        return FONT_FAST_KERN_NONE;
    return kern_readable(face) ? FONT_FAST_KERN_TABLE : FONT_FAST_KERN_OTHER;
}

struct font_fast_kern *font_fast_kern_new(hb_font_t *font)
{
    hb_face_t *face = hb_font_get_face(font);
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
    unsigned len;
    const unsigned char *data = (const unsigned char *)hb_blob_get_data(blob, &len);
    size_t pairs = 0;
    if (!data || !kern_walk(data, len, NULL, &pairs)) {
        hb_blob_destroy(blob);
        return NULL;
    }
    struct font_fast_kern *k = xcalloc(1, sizeof *k);
    int x_scale, y_scale;
    hb_font_get_scale(font, &x_scale, &y_scale);
    int64_t upem = hb_face_get_upem(face);
    /* mults_changed: the magnitude shifted, then the sign put back */
    k->x_mult = (x_scale < 0 ? -((int64_t)-x_scale << 16) : (int64_t)x_scale << 16) / upem;
    size_t size = 16;
    while (size < pairs * 2)
        size *= 2;
    k->mask = size - 1;
    k->pairs = xcalloc(size, sizeof *k->pairs);
    pairs = 0;
    kern_walk(data, len, k, &pairs);
    hb_blob_destroy(blob);
    return k;
}

void font_fast_kern_free(struct font_fast_kern *k)
{
    if (!k)
        return;
    free(k->pairs);
    free(k);
}

size_t font_fast_kern_pairs(const struct font_fast_kern *k)
{
    return k ? k->count : 0;
}

void font_fast_kern_apply(const struct font_fast_kern *k, const uint32_t *glyphs, size_t n,
                          struct font_unit *u)
{
    for (size_t i = 0; i + 1 < n; i++) {
        const struct kern_pair *p = pair_slot(k, glyphs[i] << 16 | glyphs[i + 1]);
        if (!p->key)
            continue;
        u[i].x_advance += p->first;
        u[i + 1].x_advance += p->second;
        u[i + 1].x_offset += p->second;
        u[i + 1].safe = false;
    }
}
