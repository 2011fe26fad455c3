/* font_fast.c — a run of plain text shaped without HarfBuzz (font_fast.h).
 *
 * What HarfBuzz 6.0's default shaper (Latin, Greek, Cyrillic, and texts of
 * no script) does to a left-to-right run whose characters are all plain
 * (plain_char: no marks, no default ignorables, no spaces it gives fallback
 * widths, no fraction slash, nothing it decomposes or composes when the
 * font has the character's own glyph) and have their nominal glyph: one
 * glyph per character, one cluster per character at its byte offset, the
 * hmtx advance, no offsets; then the plan's GSUB and GPOS lookups, of which
 * only pairwise kerning can apply when no glyph is covered by another
 * (font_fast_plan.c). Such kerning changes the first glyph of a pair only
 * and marks the second unsafe to break when it applied a value (PairPos in
 * 6.0), whatever the glyphs around the pair: so glyph i is the first glyph
 * of the pair (i, i + 1) as HarfBuzz left it, and unsafe to break when the
 * pair (i - 1, i) made it so. Nothing of this looks past the run: the
 * context HarfBuzz is given (the whole text) is read by the Arabic
 * shaper's joining and by the dotted circle before a leading mark only.
 *
 * The pairs are read from HarfBuzz's shaping of earlier runs of the same
 * context that met a pair not yet known: every pair of such a run is its
 * first glyph's position there. A result that does not fit this reading
 * turns the context off (every later run goes to HarfBuzz); test_font_fast
 * compares the fast path with HarfBuzz run by run. */
#include "font_fast.h"

#include "buffer.h"
#include "hash.h"
#include "font_fast_kern.h"

#include <hb-ot.h>
#include <unicode/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Characters below this have their glyph (or that they are not plain)
 * kept per context. */
#define KEPT_CHARS 0x2100
/* A context is learnt (its plan's lookups and coverage, font_fast_plan.c,
 * about 0.03 M instructions besides what HarfBuzz's first shaping in it
 * loads anyway) once it has been asked for this many runs: a language or
 * script met a few times is not worth it. */
#define LEARN_AFTER 64
/* A context keeps at most this many pairs; past it, runs with new pairs
 * go to HarfBuzz. */
#define PAIR_LIMIT (1u << 16)

enum { CHAR_UNKNOWN = 0, CHAR_NOT_PLAIN = 1 }; /* else glyph + 2 */

struct pair {
    uint32_t key; /* first << 16 | second; 0 empty (glyph 0 is never plain) */
    int32_t x_advance, x_offset, y_offset;
    bool unsafe; /* the second glyph is unsafe to break */
};

struct context {
    unsigned face;
    hb_script_t script;
    char *language; /* NULL for none */
    hb_face_t *hb_face;
    unsigned asked;    /* runs asked for before it is learnt (LEARN_AFTER) */
    bool learnt;       /* covered, chars, advances and pairs are made */
    hb_set_t *covered; /* NULL: the context is not for the fast path */
    uint32_t *chars;   /* KEPT_CHARS of CHAR_* or glyph + 2 */
    int32_t *advances; /* per glyph, INT32_MIN until asked */
    unsigned glyph_count;
    struct pair *pairs;
    size_t pair_mask, pair_count;
    /* Not NULL when HarfBuzz kerns from the legacy 'kern' table here
     * (font_fast_kern.c): GPOS pairs then touch no glyph of a fast run. */
    struct font_fast_kern *kern;
};

struct font_fast {
    struct context *contexts;
    size_t count, last;
    /* The run last tried: its glyphs and where each character starts. */
    uint32_t *glyphs, *offsets;
    size_t capacity, run_count;
    struct context *pending; /* the run's context after FONT_FAST_LEARN */
    hb_font_t *pending_font;
    struct font_fast_stats stats;
};

struct font_fast *font_fast_new(void)
{
    return xcalloc(1, sizeof(struct font_fast));
}

void font_fast_free(struct font_fast *ff)
{
    if (!ff)
        return;
    for (size_t i = 0; i < ff->count; i++) {
        struct context *c = &ff->contexts[i];
        free(c->language);
        hb_set_destroy(c->covered);
        free(c->chars);
        free(c->advances);
        free(c->pairs);
        font_fast_kern_free(c->kern);
    }
    free(ff->contexts);
    free(ff->glyphs);
    free(ff->offsets);
    free(ff);
}

struct font_fast_stats font_fast_stats(const struct font_fast *ff)
{
    struct font_fast_stats s = ff->stats;
    s.contexts = ff->count;
    s.pairs = 0;
    for (size_t i = 0; i < ff->count; i++)
        s.pairs += ff->contexts[i].pair_count;
    return s;
}

/* Whether HarfBuzz's default shaper leaves c as its nominal glyph with its
 * hmtx advance (see the file's comment): letters, digits, punctuation and
 * symbols of Latin, Greek and Cyrillic, the no-break space, dashes, quotes
 * and the like; not the soft hyphen, the Cyrillic combining marks, the
 * spaces U+2000 to U+200A (fallback widths when missing), the ignorables
 * U+200B to U+200F and U+2028 on, the fraction slash. */
static bool plain_char(UChar32 c)
{
    if (c >= 0x20 && c < 0x7F)
        return true;
    bool range = (c >= 0xA0 && c < 0x250 && c != 0xAD) || (c >= 0x370 && c < 0x483) ||
                 (c > 0x489 && c < 0x530) || (c >= 0x1E00 && c < 0x1F00) ||
                 (c >= 0x2010 && c < 0x2028) || (c >= 0x2030 && c < 0x203B) ||
                 (c >= 0x20A0 && c < 0x20C0);
    if (!range)
        return false;
    switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), (hb_codepoint_t)c)) {
    case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
    case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    case HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED:
    case HB_UNICODE_GENERAL_CATEGORY_PRIVATE_USE:
    case HB_UNICODE_GENERAL_CATEGORY_SURROGATE:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
    case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
        return false;
    default:
        return true;
    }
}

/* The script HarfBuzz guesses for the run (hb_buffer_guess_segment_properties:
 * its first character of a script other than Common, Inherited and
 * Unknown), or HB_SCRIPT_UNKNOWN when it is not one the fast path takes. */
static hb_script_t run_script(const char *utf8, size_t start, size_t end)
{
    hb_unicode_funcs_t *funcs = hb_unicode_funcs_get_default();
    for (int32_t i = (int32_t)start; i < (int32_t)end;) {
        UChar32 c;
        unsigned char byte = (unsigned char)utf8[i];
        if (byte < 0x80) {
            i++;
            if ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z')
                return HB_SCRIPT_LATIN;
            continue;
        }
        U8_NEXT(utf8, i, (int32_t)end, c);
        if (c < 0)
            return HB_SCRIPT_UNKNOWN;
        hb_script_t s = hb_unicode_script(funcs, (hb_codepoint_t)c);
        if (s == HB_SCRIPT_LATIN || s == HB_SCRIPT_GREEK || s == HB_SCRIPT_CYRILLIC)
            return s;
        if (s != HB_SCRIPT_COMMON && s != HB_SCRIPT_INHERITED && s != HB_SCRIPT_UNKNOWN)
            return HB_SCRIPT_UNKNOWN;
    }
    return HB_SCRIPT_INVALID; /* HarfBuzz leaves it unset */
}

static bool same_language(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The context for face, script and language, learnt from HarfBuzz's plan
 * the first time. */
static struct context *context_of(struct font_fast *ff, hb_font_t *font, unsigned face,
                                  hb_script_t script, const char *language)
{
    if (ff->count) {
        struct context *c = &ff->contexts[ff->last];
        if (c->face == face && c->script == script && same_language(c->language, language))
            return c;
    }
    for (size_t i = 0; i < ff->count; i++) {
        struct context *c = &ff->contexts[i];
        if (c->face == face && c->script == script && same_language(c->language, language)) {
            ff->last = i;
            return c;
        }
    }
    ff->contexts = xrealloc(ff->contexts, (ff->count + 1) * sizeof *ff->contexts);
    struct context *c = &ff->contexts[ff->count];
    ff->last = ff->count++;
    *c = (struct context){.face = face,
                          .script = script,
                          .language = language ? xstrdup(language) : NULL,
                          .hb_face = hb_font_get_face(font)};
    return c;
}

/* Learns c's plan, once it has been asked for LEARN_AFTER runs; whether
 * the fast path may shape its runs. */
static bool context_ready(struct context *c, hb_font_t *font)
{
    if (c->learnt)
        return c->covered != NULL;
    if (++c->asked < LEARN_AFTER)
        return false;
    c->learnt = true;
    hb_language_t lang =
        c->language ? hb_language_from_string(c->language, -1) : hb_language_get_default();
    c->covered =
        font_fast_plan_covered(c->hb_face, c->script, lang, font_ligatures_allowed(c->language));
    c->glyph_count = hb_face_get_glyph_count(c->hb_face);
    if (c->covered) {
        c->chars = xcalloc(KEPT_CHARS, sizeof *c->chars);
        c->advances = xmalloc((c->glyph_count ? c->glyph_count : 1) * sizeof *c->advances);
        for (unsigned g = 0; g < c->glyph_count; g++)
            c->advances[g] = INT32_MIN;
        c->pair_mask = 1023;
        c->pairs = xcalloc(c->pair_mask + 1, sizeof *c->pairs);
        if (font_fast_kern_use(c->hb_face, c->script, lang) == FONT_FAST_KERN_TABLE)
            c->kern = font_fast_kern_new(font);
    }
    return c->covered != NULL;
}

/* CHAR_NOT_PLAIN, or c's glyph + 2 when the fast path may take it: plain,
 * nominal in the cmap, covered by no lookup, and of GDEF's base class or
 * none (lookups skip marks, ligatures and components by their class). */
static uint32_t char_glyph(struct context *c, hb_font_t *font, UChar32 ch)
{
    hb_codepoint_t glyph;
    if (!plain_char(ch) || !hb_font_get_nominal_glyph(font, (hb_codepoint_t)ch, &glyph) ||
        glyph == 0 || glyph >= c->glyph_count || hb_set_has(c->covered, glyph))
        return CHAR_NOT_PLAIN;
    hb_ot_layout_glyph_class_t class = hb_ot_layout_get_glyph_class(c->hb_face, glyph);
    if (class != HB_OT_LAYOUT_GLYPH_CLASS_UNCLASSIFIED &&
        class != HB_OT_LAYOUT_GLYPH_CLASS_BASE_GLYPH)
        return CHAR_NOT_PLAIN;
    return glyph + 2;
}

static struct pair *pair_find(const struct context *c, uint32_t key)
{
    for (size_t i = hash_u32(key) & c->pair_mask;; i = (i + 1) & c->pair_mask) {
        struct pair *p = &c->pairs[i];
        if (p->key == key || p->key == 0)
            return p;
    }
}

static int32_t advance_of(struct context *c, hb_font_t *font, uint32_t glyph)
{
    if (c->advances[glyph] == INT32_MIN)
        c->advances[glyph] = hb_font_get_glyph_h_advance(font, glyph);
    return c->advances[glyph];
}

/* Collects the run's glyphs and character offsets into ff; false when a
 * character is not one the fast path takes. */
static bool run_glyphs(struct font_fast *ff, struct context *c, hb_font_t *font, const char *utf8,
                       size_t start, size_t end)
{
    if (end - start > ff->capacity) {
        ff->capacity = (end - start) * 2;
        ff->glyphs = xrealloc(ff->glyphs, ff->capacity * sizeof *ff->glyphs);
        ff->offsets = xrealloc(ff->offsets, ff->capacity * sizeof *ff->offsets);
    }
    size_t n = 0;
    for (int32_t i = (int32_t)start; i < (int32_t)end;) {
        int32_t at = i;
        UChar32 ch;
        U8_NEXT(utf8, i, (int32_t)end, ch);
        if (ch < 0)
            return false;
        uint32_t g = ch < KEPT_CHARS ? c->chars[ch] : CHAR_UNKNOWN;
        if (g == CHAR_UNKNOWN) {
            g = char_glyph(c, font, ch);
            if (ch < KEPT_CHARS)
                c->chars[ch] = g;
        }
        if (g == CHAR_NOT_PLAIN)
            return false;
        ff->glyphs[n] = g - 2;
        ff->offsets[n++] = (uint32_t)at;
    }
    ff->run_count = n;
    return n > 0;
}

enum font_fast_result font_fast_shape(struct font_fast *ff, hb_font_t *font, unsigned face,
                                      const char *language, const char *utf8, size_t start,
                                      size_t end, struct unit_list *out)
{
    hb_script_t script = run_script(utf8, start, end);
    if (script == HB_SCRIPT_UNKNOWN)
        return FONT_FAST_NO;
    struct context *c = context_of(ff, font, face, script, language);
    if (!context_ready(c, font) || !run_glyphs(ff, c, font, utf8, start, end))
        return FONT_FAST_NO;
    size_t n = ff->run_count;
    if (out->count + n > out->capacity) {
        out->capacity = (out->count + n) * 2;
        out->glyphs = xrealloc(out->glyphs, out->capacity * sizeof *out->glyphs);
    }
    struct font_unit *u = out->glyphs + out->count;
    bool unsafe = false; /* glyph i's, from the pair before it */
    for (size_t i = 0; i < n; i++) {
        uint32_t offset = ff->offsets[i], next = i + 1 < n ? ff->offsets[i + 1] : (uint32_t)end;
        u[i] = (struct font_unit){.face = face,
                                  .gid = ff->glyphs[i],
                                  .text_off = offset,
                                  .text_len = next - offset,
                                  .safe = !unsafe};
        if (i + 1 == n || c->kern) {
            u[i].x_advance = advance_of(c, font, ff->glyphs[i]);
            continue;
        }
        const struct pair *p = pair_find(c, ff->glyphs[i] << 16 | ff->glyphs[i + 1]);
        if (!p->key) {
            if (c->pair_count >= PAIR_LIMIT)
                return FONT_FAST_NO;
            ff->pending = c;
            ff->pending_font = font;
            return FONT_FAST_LEARN;
        }
        u[i].x_advance = p->x_advance;
        u[i].x_offset = p->x_offset;
        u[i].y_offset = p->y_offset;
        unsafe = p->unsafe;
    }
    if (c->kern) {
        font_fast_kern_apply(c->kern, ff->glyphs, n, u);
        ff->stats.kern_table++;
    }
    out->count += n;
    ff->stats.done++;
    return FONT_FAST_DONE;
}

/* Doubles c's pair table when it is half full. */
static void pairs_grow(struct context *c)
{
    if ((c->pair_count + 1) * 2 <= c->pair_mask + 1)
        return;
    struct pair *old = c->pairs;
    size_t old_size = c->pair_mask + 1;
    c->pair_mask = old_size * 2 - 1;
    c->pairs = xcalloc(old_size * 2, sizeof *c->pairs);
    for (size_t i = 0; i < old_size; i++)
        if (old[i].key)
            *pair_find(c, old[i].key) = old[i];
    free(old);
}

/* Whether HarfBuzz's glyphs are the run's as the fast path reads them:
 * one per character, in order, unsafe to break nowhere but after a pair,
 * the last glyph with its plain advance. */
static bool fits(struct font_fast *ff, struct context *c, const hb_glyph_info_t *info,
                 const hb_glyph_position_t *pos, unsigned count)
{
    size_t n = ff->run_count;
    if (count != n || (hb_glyph_info_get_glyph_flags(&info[0]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK))
        return false;
    for (size_t i = 0; i < n; i++)
        if (info[i].codepoint != ff->glyphs[i] || info[i].cluster != ff->offsets[i])
            return false;
    const hb_glyph_position_t *last = &pos[n - 1];
    return last->x_offset == 0 && last->y_offset == 0 &&
           last->x_advance == advance_of(c, ff->pending_font, ff->glyphs[n - 1]);
}

void font_fast_learn(struct font_fast *ff, hb_buffer_t *buffer)
{
    struct context *c = ff->pending;
    ff->pending = NULL;
    if (!c)
        return;
    unsigned count;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
    bool ok = fits(ff, c, info, pos, count);
    for (size_t i = 0; ok && i + 1 < count; i++) {
        struct pair p = {.key = ff->glyphs[i] << 16 | ff->glyphs[i + 1],
                         .x_advance = pos[i].x_advance,
                         .x_offset = pos[i].x_offset,
                         .y_offset = pos[i].y_offset,
                         .unsafe = hb_glyph_info_get_glyph_flags(&info[i + 1]) &
                                   HB_GLYPH_FLAG_UNSAFE_TO_BREAK};
        pairs_grow(c);
        struct pair *slot = pair_find(c, p.key);
        if (slot->key) {
            ok = slot->x_advance == p.x_advance && slot->x_offset == p.x_offset &&
                 slot->y_offset == p.y_offset && slot->unsafe == p.unsafe;
        } else {
            *slot = p;
            c->pair_count++;
        }
    }
    if (ok) {
        ff->stats.learnt++;
        return;
    }
    /* HarfBuzz did what this file says it cannot: no more fast runs here. */
    ff->stats.refused++;
    hb_set_destroy(c->covered);
    c->covered = NULL;
}
