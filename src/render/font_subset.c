/* font_subset.c — the subset of a face's glyphs that a PDF embeds: what
 * hb-subset is asked for, and the deflated font program it makes.
 *
 * Asked for glyphs, HarfBuzz 6's plan walks the face's whole cmap into a
 * hash map to find their code points (about 1 M instructions a face);
 * asked for code points, it looks each one up. So the code points that
 * reach the glyphs are found here, read from the table as the plan reads
 * it (hb-ot-cmap-table.hh: the subtable of find_best_subtable, its
 * collect_mapping), and asked for instead: the same subset, byte for byte.
 * Anything this reader is not sure to read the same way — another format,
 * a table HarfBuzz's sanitizer would trim or neuter, overlapping ranges —
 * answers false, and the subset is asked for by glyphs as before. */
#include "font_subset.h"

#include "font_internal.h"

#include "arena.h"
#include "pdf_deflate.h"

#include <hb-subset.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct table {
    const uint8_t *data;
    size_t len;
};

struct found {
    hb_codepoint_t unicode, glyph;
};

/* What the search looks for and what it has found. */
struct search {
    const uint8_t *wanted; /* bit per glyph below glyph_count: asked for */
    uint8_t *reached;      /* bit per glyph: reached by a code point */
    unsigned glyph_count, wanted_count, reached_count;
    struct found *found;
    size_t found_count, found_room;
};

static unsigned u16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool bit(const uint8_t *bits, unsigned i)
{
    return bits[i >> 3] >> (i & 7) & 1;
}

/* Whether glyph is asked for: tested for every code point of the cmap. */
static inline bool wanted(const struct search *s, unsigned glyph)
{
    return glyph < s->glyph_count && bit(s->wanted, glyph);
}

/* Notes that unicode maps to glyph, which is asked for. */
static void meet(struct search *s, hb_codepoint_t unicode, hb_codepoint_t glyph)
{
    if (!bit(s->reached, glyph)) {
        s->reached[glyph >> 3] |= (uint8_t)(1u << (glyph & 7));
        s->reached_count++;
    }
    if (s->found_count == s->found_room) {
        s->found_room = s->found_room ? 2 * s->found_room : 64;
        s->found = xrealloc(s->found, s->found_room * sizeof *s->found);
    }
    s->found[s->found_count++] = (struct found){unicode, glyph};
}

/* The subtable at record i of cmap, of at least 4 bytes; NULL if none or
 * out of the table (HarfBuzz would neuter the record). */
static const uint8_t *subtable_at(struct table cmap, unsigned i, size_t *room)
{
    uint32_t offset = u32(cmap.data + 4 + 8 * i + 4);
    if (offset == 0 || offset > cmap.len || cmap.len - offset < 4)
        return NULL;
    *room = cmap.len - offset;
    return cmap.data + offset;
}

/* The subtable HarfBuzz's accelerator reads (find_best_subtable's order),
 * or NULL when this reader should not answer: records out of order (its
 * binary search), a subtable of format 14 or out of the table, a symbol
 * subtable (3, 0), whose look-up differs from its mapping. */
static const uint8_t *best_subtable(struct table cmap, size_t *room)
{
    static const unsigned order[][2] = {{3, 10}, {0, 6}, {0, 4}, {3, 1},
                                        {0, 3},  {0, 2}, {0, 1}, {0, 0}};
    if (cmap.len < 4 || u16(cmap.data) != 0)
        return NULL;
    unsigned count = u16(cmap.data + 2);
    if ((cmap.len - 4) / 8 < count)
        return NULL;
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *r = cmap.data + 4 + 8 * i;
        uint32_t key = u16(r) << 16 | u16(r + 2);
        size_t ignored;
        const uint8_t *sub = subtable_at(cmap, i, &ignored);
        if ((i && key <= (u16(r - 8) << 16 | u16(r - 6))) || key == (3u << 16) || !sub ||
            u16(sub) == 14)
            return NULL;
    }
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (unsigned i = 0; i < count; i++) {
            const uint8_t *r = cmap.data + 4 + 8 * i;
            if (u16(r) == order[k][0] && u16(r + 2) == order[k][1])
                return subtable_at(cmap, i, room);
        }
    return NULL;
}

/* Format 4, as collect_mapping walks it: segments in order, the last one
 * left out when it starts at 0xFFFF, glyph 0 skipped, and idDelta not added
 * to the glyphs of glyphIdArray (HarfBuzz 6's look-up adds it: the check
 * against the look-up then refuses such a font). */
static bool walk_format4(struct search *s, const uint8_t *sub, size_t room)
{
    if (room < 14)
        return false;
    unsigned length = u16(sub + 2), seg_x2 = u16(sub + 6), segs = seg_x2 / 2;
    if (length > room || seg_x2 % 2 || 16 + 8 * (size_t)segs > length)
        return false;
    const uint8_t *end = sub + 14, *start = end + 2 * segs + 2, *delta = start + 2 * segs,
                  *range = delta + 2 * segs, *ids = range + 2 * segs;
    long id_count = (long)(length - 16 - 8 * segs) / 2;
    unsigned count = segs;
    if (count && u16(start + 2 * (count - 1)) == 0xFFFF)
        count--;
    for (unsigned i = 0; i < count; i++) {
        unsigned first = u16(start + 2 * i), last = u16(end + 2 * i);
        if (first > last || (i && first <= u16(end + 2 * (i - 1))))
            return false;
        unsigned offset = u16(range + 2 * i), d = u16(delta + 2 * i);
        for (unsigned cp = first; cp <= last; cp++) {
            unsigned gid;
            if (!offset) {
                gid = (cp + d) & 0xFFFFu;
            } else {
                long index = (long)(offset / 2) + (long)(cp - first) + (long)i - (long)segs;
                if (index < 0 || index >= id_count)
                    break;
                gid = u16(ids + 2 * index);
            }
            if (gid && wanted(s, gid))
                meet(s, cp, gid);
        }
    }
    return true;
}

/* Format 12, as collect_mapping walks it: a group whose first glyph is 0
 * starts at its second code point; groups must not overlap (HarfBuzz skips
 * some that do). */
static bool walk_format12(struct search *s, const uint8_t *sub, size_t room)
{
    if (room < 16)
        return false;
    uint32_t groups = u32(sub + 12);
    if ((room - 16) / 12 < groups)
        return false;
    uint64_t last_end = 0;
    for (uint32_t i = 0; i < groups; i++) {
        const uint8_t *g = sub + 16 + 12 * (size_t)i;
        uint64_t first = u32(g), last = u32(g + 4), gid = u32(g + 8);
        if (first > last || last > 0x10FFFF || (i && first <= last_end) ||
            gid + (last - first) >= UINT32_MAX)
            return false;
        last_end = last;
        if (!gid) {
            if (first == last)
                continue;
            first++;
            gid++;
        }
        if (gid >= s->glyph_count)
            continue;
        uint64_t top = gid + (last - first);
        if (top >= s->glyph_count)
            top = s->glyph_count - 1;
        for (uint64_t g2 = gid; g2 <= top; g2++)
            if (wanted(s, (unsigned)g2))
                meet(s, (hb_codepoint_t)(first + (g2 - gid)), (hb_codepoint_t)g2);
    }
    return true;
}

/* Whether HarfBuzz's look-up gives the same glyph for every code point
 * found: the plan's quick path takes its glyphs from it. */
static bool agrees(hb_font_t *font, const struct search *s)
{
    for (size_t i = 0; i < s->found_count; i++) {
        hb_codepoint_t glyph;
        if (!hb_font_get_nominal_glyph(font, s->found[i].unicode, &glyph) ||
            glyph != s->found[i].glyph)
            return false;
    }
    return true;
}

/* The wanted glyphs as bits; false if one is past the face's glyphs. */
static bool wanted_bits(const hb_set_t *glyphs, unsigned glyph_count, uint8_t *bits,
                        unsigned *count)
{
    hb_codepoint_t g = HB_SET_VALUE_INVALID;
    *count = 0;
    while (hb_set_next(glyphs, &g)) {
        if (g >= glyph_count)
            return false;
        if (g) {
            bits[g >> 3] |= (uint8_t)(1u << (g & 7));
            (*count)++;
        }
    }
    return true;
}

/* Walks the subtable HarfBuzz reads for the glyphs of s; false when this
 * reader cannot answer for it. */
static bool walk(struct search *s, struct table cmap)
{
    size_t room = 0;
    const uint8_t *sub = best_subtable(cmap, &room);
    if (!sub)
        return false;
    if (u16(sub) == 4)
        return walk_format4(s, sub, room);
    if (u16(sub) == 12)
        return walk_format12(s, sub, room);
    return false;
}

bool font_subset_unicodes(hb_font_t *font, const hb_set_t *glyphs, hb_set_t *unicodes)
{
    hb_face_t *face = hb_font_get_face(font);
    unsigned glyph_count = hb_face_get_glyph_count(face), bytes = (glyph_count + 7) / 8 + 1;
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('c', 'm', 'a', 'p'));
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    struct table cmap = {(const uint8_t *)data, data ? len : 0};
    uint8_t *bits = xcalloc(2, bytes);
    struct search s = {.wanted = bits, .reached = bits + bytes, .glyph_count = glyph_count};
    /* Every glyph reached, fewer code points than the face has glyphs (the
     * plan's condition for its quick path), and HarfBuzz of the same mind. */
    bool ok = wanted_bits(glyphs, glyph_count, bits, &s.wanted_count) && s.wanted_count > 0 &&
              walk(&s, cmap) && s.reached_count == s.wanted_count && s.found_count < glyph_count &&
              agrees(font, &s);
    for (size_t i = 0; ok && i < s.found_count; i++)
        hb_set_add(unicodes, s.found[i].unicode);
    free(s.found);
    free(bits);
    hb_blob_destroy(blob);
    return ok;
}

/* The subset plan for glyphs: no hints (viewers rasterise unhinted
 * anyway) and none of the tables a PDF viewer never reads. (The cmap
 * stays: dropping it saves under 2% of a letter's instructions, and some
 * viewers look for it even in CID fonts.) Asked for by code points when
 * font_subset_unicodes can, unless by_glyphs. */
static hb_subset_plan_t *subset_plan(hb_font_t *font, const hb_set_t *glyphs, bool by_glyphs)
{
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    if (!input)
        return NULL;
    hb_set_t *unicodes = hb_subset_input_unicode_set(input);
    if (by_glyphs || !font_harfbuzz_followed() || !font_subset_unicodes(font, glyphs, unicodes)) {
        hb_set_clear(unicodes);
        hb_set_union(hb_subset_input_glyph_set(input), glyphs);
    }
    hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF",
                                          "name", "post", "gasp", "hdmx", "VDMX", "LTSH",
                                          "DSIG", "FFTM", "MATH", "PCLT", "meta"};
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(hb_font_get_face(font), input);
    hb_subset_input_destroy(input);
    return plan;
}

int font_subset_make(hb_font_t *font, const hb_set_t *glyphs, bool by_glyphs,
                     struct font_subset *out)
{
    hb_subset_plan_t *plan = subset_plan(font, glyphs, by_glyphs);
    if (!plan)
        return -1;
    out->old_to_new = hb_map_copy(hb_subset_plan_old_to_new_glyph_mapping(plan));
    hb_face_t *subset = hb_subset_plan_execute_or_fail(plan);
    hb_subset_plan_destroy(plan);
    if (!subset)
        return -1;
    hb_blob_t *blob = hb_face_reference_blob(subset);
    unsigned len;
    const char *program = hb_blob_get_data(blob, &len);
    struct buffer packed = {0};
    pdf_deflate(PDF_DEFLATE_FONT_LEVEL, program, len, &packed);
    out->program = packed.data;
    out->program_len = packed.len;
    out->length1 = len;
    hb_blob_destroy(blob);
    hb_face_destroy(subset);
    return 0;
}
