/* font_fast_plan.c — which glyphs HarfBuzz's shaping plan may do anything
 * to besides pair kerning, for the fast path of font_fast.c.
 *
 * HarfBuzz 6.0 (Debian 12's) applies a lookup at a glyph only when the
 * glyph is in the coverage of one of its subtables (the first coverage:
 * the input's first glyph for contextual lookups, the mark for mark
 * attachment), so a run none of whose glyphs is covered by any GSUB lookup
 * of the plan, nor by any GPOS lookup but PairPos, is left as the cmap
 * gives it, positioned by hmtx and the PairPos lookups. GSUB's coverage is
 * HarfBuzz's own collection of each lookup's input glyphs (a superset: a
 * ligature's components too). GPOS's is read here from the table: HarfBuzz
 * collects a mark attachment's base coverage as input too, which would
 * cover every letter of fonts that attach accents (Liberation, DejaVu).
 * A PairPos lookup is pairwise only when no subtable has a second value
 * format (with one, HarfBuzz skips the second glyph even for zero values,
 * PairPosFormat1/2 and PairSet in 6.0) and its flag does not ignore base
 * glyphs; any other is treated as any other lookup. */
#include "font_fast.h"

#include "font_fast_kern.h"

#include <hb-aat.h>
#include <hb-ot.h>

#include <stdbool.h>
#include <stdint.h>

struct table {
    const unsigned char *data;
    size_t len;
    bool ok; /* no read fell outside */
};

static unsigned u16(struct table *t, size_t at)
{
    if (at + 2 > t->len) {
        t->ok = false;
        return 0;
    }
    return (unsigned)t->data[at] << 8 | t->data[at + 1];
}

static size_t u32(struct table *t, size_t at)
{
    return (size_t)u16(t, at) << 16 | u16(t, at + 2);
}

/* Adds the glyphs of the Coverage table at at to set. */
static void add_coverage(struct table *t, size_t at, hb_set_t *set)
{
    unsigned format = u16(t, at), count = u16(t, at + 2);
    if (format == 1) {
        for (unsigned i = 0; i < count && t->ok; i++)
            hb_set_add(set, u16(t, at + 4 + 2 * i));
    } else if (format == 2) {
        for (unsigned i = 0; i < count && t->ok; i++) {
            unsigned first = u16(t, at + 4 + 6 * i), last = u16(t, at + 6 + 6 * i);
            if (first <= last)
                hb_set_add_range(set, first, last);
        }
    } else {
        t->ok = false;
    }
}

/* The subtable at at, its type resolved through extensions (type 9). */
static size_t resolved(struct table *t, size_t at, unsigned *type)
{
    if (*type != 9)
        return at;
    *type = u16(t, at + 2);
    return at + u32(t, at + 4);
}

/* Whether GPOS lookup index (at lookup) is pair kerning that the fast
 * path can follow glyph pair by glyph pair; otherwise the glyphs it may
 * apply at are added to covered. */
static bool gpos_lookup(struct table *t, size_t lookup, hb_face_t *face, unsigned index,
                        hb_set_t *covered, bool kern_table)
{
    unsigned type = u16(t, lookup), flag = u16(t, lookup + 2), count = u16(t, lookup + 4);
    /* 0x2: IgnoreBaseGlyphs; with the 'kern' table, its pairs alone */
    bool pairwise = !(flag & 0x2) && !kern_table;
    for (unsigned i = 0; i < count && t->ok; i++) {
        unsigned subtype = type;
        size_t sub = resolved(t, lookup + u16(t, lookup + 6 + 2 * i), &subtype);
        if (subtype != 2 || u16(t, sub + 6) != 0) /* PairPos with no second value */
            pairwise = false;
    }
    if (pairwise || !t->ok)
        return t->ok;
    /* Mark attachment applies at its mark only (markCoverage, the first
     * offset of MarkBase, MarkLig and MarkMark); any other type is
     * HarfBuzz's collection. */
    bool marks = count > 0;
    for (unsigned i = 0; i < count && marks && t->ok; i++) {
        unsigned subtype = type;
        (void)resolved(t, lookup + u16(t, lookup + 6 + 2 * i), &subtype);
        marks = subtype >= 4 && subtype <= 6;
    }
    for (unsigned i = 0; i < count && marks && t->ok; i++) {
        unsigned subtype = type;
        size_t sub = resolved(t, lookup + u16(t, lookup + 6 + 2 * i), &subtype);
        add_coverage(t, sub + u16(t, sub + 2), covered);
    }
    if (marks || !t->ok)
        return t->ok;
    hb_set_t *input = hb_set_create();
    hb_ot_layout_lookup_collect_glyphs(face, HB_OT_TAG_GPOS, index, NULL, input, NULL, NULL);
    hb_set_union(covered, input);
    hb_set_destroy(input);
    return t->ok;
}

/* Adds what the plan's GPOS lookups other than pairwise kerning may apply
 * at; false when the table cannot be read so. */
static bool gpos_covered(hb_face_t *face, const hb_set_t *lookups, hb_set_t *covered,
                         bool kern_table)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_OT_TAG_GPOS);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    struct table t = {.data = (const unsigned char *)data, .len = len, .ok = data != NULL};
    size_t list = u16(&t, 8);
    unsigned lookup_count = u16(&t, list);
    for (hb_codepoint_t i = HB_SET_VALUE_INVALID; t.ok && hb_set_next(lookups, &i);) {
        if (i >= lookup_count) {
            t.ok = false;
            break;
        }
        t.ok = gpos_lookup(&t, list + u16(&t, list + 2 + 2 * i), face, i, covered, kern_table);
    }
    hb_blob_destroy(blob);
    return t.ok;
}

/* Whether the plan's GPOS lookups hold one of the face's 'kern' feature:
 * HarfBuzz applies the legacy 'kern' table only when the plan has no GPOS
 * kerning. */
static bool plan_kerns(hb_face_t *face, const hb_set_t *lookups)
{
    unsigned features = hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GPOS, 0, NULL, NULL);
    for (unsigned f = 0; f < features; f++) {
        hb_tag_t tag;
        unsigned one = 1;
        hb_ot_layout_table_get_feature_tags(face, HB_OT_TAG_GPOS, f, &one, &tag);
        if (!one || tag != HB_TAG('k', 'e', 'r', 'n'))
            continue;
        unsigned total = hb_ot_layout_feature_get_lookups(face, HB_OT_TAG_GPOS, f, 0, NULL, NULL);
        for (unsigned k = 0; k < total; k++) {
            unsigned index, n = 1;
            hb_ot_layout_feature_get_lookups(face, HB_OT_TAG_GPOS, f, k, &n, &index);
            if (n && hb_set_has(lookups, index))
                return true;
        }
    }
    return false;
}

static bool fraction_tag(hb_tag_t tag)
{
    return tag == HB_TAG('f', 'r', 'a', 'c') || tag == HB_TAG('n', 'u', 'm', 'r') ||
           tag == HB_TAG('d', 'n', 'o', 'm');
}

/* Whether table (GSUB or GPOS) of face has FeatureVariations, which may
 * give a feature other lookups than its own list. */
static bool has_variations(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *blob = hb_face_reference_table(face, tag);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    struct table t = {.data = (const unsigned char *)data, .len = len, .ok = data != NULL};
    /* version 1.1 and on: the FeatureVariations offset at byte 10 */
    bool has = t.ok && u16(&t, 2) >= 1 && u32(&t, 10) != 0;
    hb_blob_destroy(blob);
    return has;
}

/* Takes out of the plan's lookups those only the fractions' features
 * (frac, numr, dnom) have, in any of face's feature records: the default
 * shaper adds them without F_GLOBAL, so they apply only under the mask it
 * sets around a fraction slash (U+2044), which no fast run has. Their
 * glyphs are every digit. */
static void drop_fraction_lookups(hb_face_t *face, hb_tag_t table, hb_set_t *lookups)
{
    if (has_variations(face, table))
        return;
    hb_set_t *fraction = hb_set_create(), *other = hb_set_create();
    unsigned features = hb_ot_layout_table_get_feature_tags(face, table, 0, NULL, NULL);
    for (unsigned f = 0; f < features; f++) {
        hb_tag_t tag;
        unsigned one = 1;
        hb_ot_layout_table_get_feature_tags(face, table, f, &one, &tag);
        hb_set_t *into = one && fraction_tag(tag) ? fraction : other;
        unsigned total = hb_ot_layout_feature_get_lookups(face, table, f, 0, NULL, NULL);
        for (unsigned k = 0; k < total; k++) {
            unsigned index, n = 1;
            hb_ot_layout_feature_get_lookups(face, table, f, k, &n, &index);
            if (n)
                hb_set_add(into, index);
        }
    }
    hb_set_subtract(fraction, other);
    hb_set_subtract(lookups, fraction);
    hb_set_destroy(fraction);
    hb_set_destroy(other);
}

/* Whether face has a legacy 'kern' table (HarfBuzz's has_kerning reads
 * its version too: any bytes are taken as one here). */
static bool has_kern_table(hb_face_t *face)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_TAG('k', 'e', 'r', 'n'));
    bool has = hb_blob_get_length(blob) > 0;
    hb_blob_destroy(blob);
    return has;
}

hb_set_t *font_fast_plan_covered(hb_face_t *face, hb_script_t script, hb_language_t language,
                                 bool ligatures)
{
    /* GSUB and GPOS only: no AAT tables (morx, kerx), GPOS there (else the
     * legacy kern table or fallback kerning positions). */
    if (hb_aat_layout_has_substitution(face) || hb_aat_layout_has_positioning(face) ||
        !hb_ot_layout_has_positioning(face))
        return NULL;
    hb_feature_t features[2];
    unsigned feature_count = 0;
    if (!ligatures) {
        hb_feature_from_string("-liga", -1, &features[feature_count++]);
        hb_feature_from_string("-clig", -1, &features[feature_count++]);
    }
    hb_segment_properties_t props = {
        .direction = HB_DIRECTION_LTR, .script = script, .language = language};
    hb_shape_plan_t *plan =
        hb_shape_plan_create_cached(face, &props, features, feature_count, NULL);
    hb_set_t *gsub = hb_set_create(), *gpos = hb_set_create(), *covered = hb_set_create();
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GSUB, gsub);
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GPOS, gpos);
    drop_fraction_lookups(face, HB_OT_TAG_GSUB, gsub);
    drop_fraction_lookups(face, HB_OT_TAG_GPOS, gpos);
    hb_set_t *input = hb_set_create();
    for (hb_codepoint_t i = HB_SET_VALUE_INVALID; hb_set_next(gsub, &i);) {
        hb_set_clear(input);
        hb_ot_layout_lookup_collect_glyphs(face, HB_OT_TAG_GSUB, i, NULL, input, NULL, NULL);
        hb_set_union(covered, input);
    }
    hb_set_destroy(input);
    enum font_fast_kern_use kern = font_fast_kern_use(face, script, language);
    bool ok = kern != FONT_FAST_KERN_OTHER &&
              gpos_covered(face, gpos, covered, kern == FONT_FAST_KERN_TABLE);
    if (ok && kern == FONT_FAST_KERN_NONE && has_kern_table(face) && !plan_kerns(face, gpos))
        ok = false;
    hb_set_destroy(gsub);
    hb_set_destroy(gpos);
    hb_shape_plan_destroy(plan);
    if (!ok || !hb_set_allocation_successful(covered)) {
        hb_set_destroy(covered);
        return NULL;
    }
    return covered;
}
