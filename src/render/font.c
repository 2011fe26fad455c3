/* font.c — owns the font set: opening each font file once, the fallback
 * chain per style, coverage checks, and shaping/measuring with HarfBuzz.
 * Embedding in PDF documents lives in font_pdf.c; opening the set's files,
 * and its kept subsets, in font_set.c; the shaping cache in font_cache.c. */
#include "font_internal.h"

#include "buffer.h"
#include "caches.h"
#include "font_fast.h"
#include "font_file.h"
#include "hash.h"
#include "path.h"

#include <hb-ot.h>
#include <unicode/utf8.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const style_names[STYLE_COUNT] = {"regular", "italic", "bold", "bold italic"};

/* Whether face i has c; false when it is broken, and *broken is then i
 * (when not NULL). */
static bool has_glyph(const struct font_set *fs, unsigned i, UChar32 c, int *broken)
{
    if (!font_set_face_open(fs, i)) {
        if (broken)
            *broken = (int)i;
        else
            font_set_note_broken();
        return false;
    }
    hb_codepoint_t gid;
    return hb_font_get_nominal_glyph(fs->faces[i].font, (hb_codepoint_t)c, &gid) && gid != 0;
}

/* Characters that draw nothing and that shaping hides when a font lacks
 * them: they need no font of their own. */
static bool is_ignorable(UChar32 c)
{
    /* Nearly every character asked about is below the first of them. */
    if (c < 0xAD)
        return false;
    if (c < 0x200B) /* nor between them but these three */
        return c == 0xAD || c == 0x34F || c == 0x61C;
    return c == 0xAD || c == 0x34F || c == 0x61C || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

static bool is_mark(UChar32 c)
{
    if (c < 0x300) /* no marks before the combining diacritics */
        return false;
    /* Greek and Cyrillic have none but the Cyrillic U+0483 to U+0489
     * (test_font checks it with HarfBuzz): a petition's names in them
     * need no look-up per letter. */
    if ((c >= 0x370 && c < 0x483) || (c > 0x489 && c < 0x530))
        return false;
    hb_unicode_general_category_t gc =
        hb_unicode_general_category(hb_unicode_funcs_get_default(), (hb_codepoint_t)c);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
           gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

/* The first face of style's chain that has c, or -1; BMP answers are
 * remembered, since every letter asks about the same few hundred (not
 * those that passed a broken face: each letter reaching it must fail).
 * *broken as in has_glyph. */
static int first_in_chain(const struct font_set *fs, unsigned style, UChar32 c, int *broken)
{
    _Atomic unsigned char *known = c < BMP ? &fs->first_face[style][c] : NULL;
    unsigned char k = known ? atomic_load_explicit(known, memory_order_relaxed) : FACE_UNKNOWN;
    if (k != FACE_UNKNOWN)
        return k == FACE_NONE ? -1 : k - 1;
    int face = -1, passed = -1;
    for (size_t i = 0; face < 0 && i < fs->chain_len[style]; i++)
        if (has_glyph(fs, fs->chain[style][i], c, &passed))
            face = (int)fs->chain[style][i];
    if (passed >= 0) {
        if (broken)
            *broken = passed;
        else
            font_set_note_broken();
        return face;
    }
    if (known && fs->count < FACE_NONE && fs->caching)
        atomic_store_explicit(known, (unsigned char)(face < 0 ? FACE_NONE : face + 1),
                              memory_order_relaxed);
    return face;
}

/* The face for c: a mark or an ignorable stays with the character before it
 * when it can, so a cluster is not torn between fonts; otherwise the first
 * face of the chain that has c, or -1. *broken as in has_glyph; without
 * it, a face that cannot be used is never the answer. */
static int face_looked_up(const struct font_set *fs, unsigned style, UChar32 c, int previous,
                          int *broken)
{
    if (previous >= 0 &&
        (is_ignorable(c) || (is_mark(c) && has_glyph(fs, (unsigned)previous, c, broken))))
        return previous;
    int face = first_in_chain(fs, style, c, broken);
    if (face >= 0)
        return face;
    /* The walk above met the style's own font: broken, it was noted. */
    if (is_ignorable(c))
        return font_set_face_open(fs, fs->chain[style][0]) ? (int)fs->chain[style][0] : 0;
    return -1;
}

/* face_looked_up, answered in place for the letters of most names: below
 * the combining marks only the soft hyphen is a mark or an ignorable, nor
 * is any of Greek and Cyrillic but U+0483 to U+0489 (is_mark), so the
 * answer is first_in_chain's remembered one (the call was a tenth of the
 * shaping's own work). */
static inline int face_for(const struct font_set *fs, unsigned style, UChar32 c, int previous,
                           int *broken)
{
    if ((c >= 0 && c < 0x300 && c != 0xAD) || (c >= 0x370 && c < 0x483) ||
        (c > 0x489 && c < 0x530)) {
        unsigned char k = atomic_load_explicit(&fs->first_face[style][c], memory_order_relaxed);
        if (k != FACE_UNKNOWN)
            return k == FACE_NONE ? -1 : k - 1;
    }
    return face_looked_up(fs, style, c, previous, broken);
}

/* Appends the base names of style's chain to buf ("A.ttf, B.ttf"). */
static void chain_names(const struct font_set *fs, unsigned style, struct buffer *buf)
{
    for (size_t i = 0; i < fs->chain_len[style]; i++) {
        const char *file = fs->faces[fs->chain[style][i]].file;
        const char *slash = strrchr(file, '/');
        buffer_puts(buf, i ? ", " : "");
        buffer_puts(buf, slash ? slash + 1 : file);
    }
}

int font_check(struct font_set *fs, unsigned style, const char *utf8, size_t len,
               struct source_loc loc, struct errors *errors)
{
    style &= STYLE_COUNT - 1;
    int added = 0;
    UChar32 reported[16];
    size_t reported_count = 0;
    int previous = -1;
    for (int32_t i = 0; i < (int32_t)len;) {
        /* ASCII whose face is known: face_for would answer from
         * first_face too (no ASCII character is a mark or ignorable), and
         * nearly every character of a letter is one. */
        unsigned char byte = (unsigned char)utf8[i];
        unsigned char known =
            byte < 0x80 ? atomic_load_explicit(&fs->first_face[style][byte], memory_order_relaxed)
                        : FACE_UNKNOWN;
        if (known != FACE_UNKNOWN && known != FACE_NONE) {
            previous = known - 1;
            i++;
            continue;
        }
        int32_t start = i;
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)len, c);
        if (c < 0) {
            errors_add(errors, loc, "text is not valid UTF-8 (byte 0x%02X at offset %d)",
                       (unsigned char)utf8[start], (int)start);
            return added + 1;
        }
        int broken = -1;
        int face = face_for(fs, style, c, previous, &broken);
        if (broken >= 0) {
            font_set_report_broken(fs, (unsigned)broken, errors);
            return added + 1;
        }
        if (face >= 0) {
            previous = face;
            continue;
        }
        bool seen = false;
        for (size_t k = 0; k < reported_count; k++)
            seen = seen || reported[k] == c;
        if (seen)
            continue;
        if (reported_count < sizeof reported / sizeof reported[0])
            reported[reported_count++] = c;
        struct buffer names = {0};
        chain_names(fs, style, &names);
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            errors_add(errors, loc, "control character U+%04X cannot be typeset", (unsigned)c);
        else
            errors_add(errors, loc,
                       "no font has the character '%.*s' (U+%04X) for %s text "
                       "(tried %s)",
                       (int)(i - start), utf8 + start, (unsigned)c, style_names[style], names.data);
        buffer_free(&names);
        added++;
    }
    return added;
}

/* ---- shaping ---- */

/* Where the text of each glyph's cluster ends, in one pass: the nearest
 * greater cluster value in glyph order (HarfBuzz's default cluster level
 * keeps clusters monotone: rising in a left-to-right run, falling in a
 * right-to-left one), or the run's end. Glyphs of one cluster share its
 * end. Linear in the run's length (a scan of the run per glyph made a 1 MB
 * word take hours). */
static void cluster_ends(struct shaper *sp, const hb_glyph_info_t *info, unsigned count,
                         bool backward, size_t end)
{
    if (count > sp->ends_capacity) {
        sp->ends_capacity = count * 2;
        sp->ends = xrealloc(sp->ends, sp->ends_capacity * sizeof *sp->ends);
    }
    uint32_t next = (uint32_t)end; /* the next greater cluster start seen */
    if (!backward) {
        for (unsigned i = count; i-- > 0;) {
            if (i + 1 < count && info[i + 1].cluster != info[i].cluster)
                next = info[i + 1].cluster;
            sp->ends[i] = next;
        }
    } else {
        for (unsigned i = 0; i < count; i++) {
            if (i > 0 && info[i - 1].cluster != info[i].cluster)
                next = info[i - 1].cluster;
            sp->ends[i] = next;
        }
    }
}

static void shape_run(const struct font_set *fs, struct shaper *sp, unsigned face,
                      const char *language, const char *utf8, size_t len, size_t start, size_t end,
                      struct unit_list *out)
{
    enum font_fast_result fast = FONT_FAST_NO;
    if (!sp->fast)
        ;
    else if (sp->fast_runs >= FONT_FAST_START)
        fast =
            font_fast_shape(sp->fast, fs->faces[face].font, face, language, utf8, start, end, out);
    else
        sp->fast_runs++;
    if (fast == FONT_FAST_DONE) {
        sp->forward = true; /* the fast path's runs are left to right */
        return;
    }
    hb_buffer_t *buffer = sp->buffer;
    hb_buffer_clear_contents(buffer);
    /* The whole text is context, so shaping sees across run boundaries. */
    hb_buffer_add_utf8(buffer, utf8, (int)len, (unsigned)start, (int)(end - start));
    if (language)
        hb_buffer_set_language(buffer, hb_language_from_string(language, -1));
    hb_buffer_guess_segment_properties(buffer);
    hb_feature_t features[2];
    unsigned feature_count = 0;
    if (!font_ligatures_allowed(language)) {
        hb_feature_from_string("-liga", -1, &features[feature_count++]);
        hb_feature_from_string("-clig", -1, &features[feature_count++]);
    }
    hb_shape(fs->faces[face].font, buffer, features, feature_count);
    if (fast == FONT_FAST_LEARN)
        font_fast_learn(sp->fast, buffer);
    sp->forward = HB_DIRECTION_IS_FORWARD(hb_buffer_get_direction(buffer));
    unsigned count;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
    if (out->count + count > out->capacity) {
        out->capacity = (out->count + count) * 2;
        out->glyphs = xrealloc(out->glyphs, out->capacity * sizeof *out->glyphs);
    }
    cluster_ends(sp, info, count, HB_DIRECTION_IS_BACKWARD(hb_buffer_get_direction(buffer)), end);
    for (unsigned i = 0; i < count; i++) {
        bool first = i == 0 || info[i].cluster != info[i - 1].cluster;
        size_t stop = first ? sp->ends[i] : info[i].cluster;
        out->glyphs[out->count++] = (struct font_unit){
            .face = face,
            .gid = info[i].codepoint,
            .x_offset = pos[i].x_offset,
            .y_offset = pos[i].y_offset,
            .x_advance = pos[i].x_advance,
            .text_off = info[i].cluster,
            .text_len = (uint32_t)(stop - info[i].cluster),
            .safe = !(hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK),
        };
    }
    /* A huge run (a megabyte word) leaves no megabytes behind. */
    if (count > 65536) {
        hb_buffer_destroy(sp->buffer);
        sp->buffer = hb_buffer_create();
        free(sp->ends);
        sp->ends = NULL;
        sp->ends_capacity = 0;
    }
}

/* Splits utf8 into runs of one face each and shapes them in order. Two
 * runs next to each other never share a face. */
static void shape_all(const struct font_set *fs, struct shaper *sp, const char *language,
                      unsigned style, const char *utf8, size_t len, struct unit_list *out)
{
    sp->shaped++;
    int run_face = -1;
    size_t run_start = 0;
    for (int32_t i = 0; i < (int32_t)len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)len, c);
        int face = c < 0 ? -1 : face_for(fs, style, c, run_face, NULL);
        if (face < 0)
            face = run_face >= 0 ? run_face : (int)font_set_usable_face(fs, fs->chain[style][0]);
        if (face != run_face) {
            if (run_face >= 0)
                shape_run(fs, sp, (unsigned)run_face, language, utf8, len, run_start, (size_t)start,
                          out);
            run_face = face;
            run_start = (size_t)start;
        }
    }
    if (run_face >= 0)
        shape_run(fs, sp, (unsigned)run_face, language, utf8, len, run_start, len, out);
}

static void keep_words(struct font_set *fs, struct shaper *sp, const char *language, unsigned style,
                       const char *utf8, size_t len, const struct unit_list *units);

/* Shapes utf8, or finds it in the cache, and hands the glyphs to use while
 * the cache cannot change under them. With words, a text shaped afresh
 * leaves its words cut from it in the cache too (keep_words). */
static void with_shaping(struct font_set *fs, const char *language, unsigned style,
                         const char *utf8, size_t len, bool words, font_units_use use,
                         void *context)
{
    style &= STYLE_COUNT - 1;
    uint64_t hash = font_cache_hash(language, style, utf8, len);
    struct shaper *sp = font_cache_part(fs);
    pthread_mutex_lock(&sp->lock);
    font_cache_ready(sp);
    struct shaping *sh = fs->caching ? font_cache_find(sp, hash, language, style, utf8, len) : NULL;
    if (sh) {
        if (sh->letter != caches_letter())
            sh->shared = true;
        else if (sh->uses < UINT8_MAX)
            sh->uses++;
        use(context, fs, sh->glyphs, sh->count);
        pthread_mutex_unlock(&sp->lock);
        return;
    }
    bool whole = (len > CACHE_TEXT || words) && fs->caching;
    struct unit_list units = {0};
    shape_all(fs, sp, language, style, utf8, len, &units);
    if (len <= CACHE_TEXT && fs->caching)
        font_cache_remember(sp, hash, language, style, utf8, len, &units);
    use(context, fs, units.glyphs, units.count);
    if (whole)
        keep_words(fs, sp, language, style, utf8, len, &units);
    pthread_mutex_unlock(&sp->lock);
    free(units.glyphs);
}

struct measure_context {
    double size;
    double width;
};

static void measure_use(void *context, const struct font_set *fs, const struct font_unit *g,
                        size_t count)
{
    struct measure_context *m = context;
    for (size_t i = 0; i < count;) {
        unsigned face = g[i].face;
        hb_position_t total = 0;
        for (; i < count && g[i].face == face; i++)
            total += g[i].x_advance;
        m->width += total * m->size / fs->faces[face].upem;
    }
}

double font_measure(struct font_set *fs, const char *language, unsigned style, double size,
                    const char *utf8, size_t len)
{
    struct measure_context m = {.size = size};
    with_shaping(fs, language, style, utf8, len, false, measure_use, &m);
    return m.width;
}

struct shape_context {
    struct arena *arena;
    double size;
    struct font_shaped *out;
};

static void shape_use(void *context, const struct font_set *fs, const struct font_unit *g,
                      size_t count)
{
    struct shape_context *s = context;
    struct font_glyph *glyphs = arena_alloc_raw(s->arena, (count ? count : 1) * sizeof *glyphs);
    double pen = 0;
    for (size_t i = 0; i < count; i++) {
        double scale = s->size / fs->faces[g[i].face].upem;
        glyphs[i] = (struct font_glyph){
            .face = g[i].face,
            .gid = g[i].gid,
            .x = pen + g[i].x_offset * scale,
            .y = g[i].y_offset * scale,
            .advance = g[i].x_advance * scale,
            .text_off = g[i].text_off,
            .text_len = g[i].text_len,
        };
        pen += g[i].x_advance * scale;
    }
    *s->out = (struct font_shaped){.glyphs = glyphs, .count = count, .width = pen};
}

static void shape_with(struct font_set *fs, struct arena *arena, const char *language,
                       unsigned style, double size, const char *utf8, size_t len, bool words,
                       struct font_shaped *out)
{
    struct shape_context s = {.arena = arena, .size = size, .out = out};
    with_shaping(fs, language, style, utf8, len, words, shape_use, &s);
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)utf8[i] < 0x80;
    out->ascii = ascii;
}

void font_shape(struct font_set *fs, struct arena *arena, const char *language, unsigned style,
                double size, const char *utf8, size_t len, struct font_shaped *out)
{
    shape_with(fs, arena, language, style, size, utf8, len, false, out);
}

void font_shape_words(struct font_set *fs, struct arena *arena, const char *language,
                      unsigned style, double size, const char *utf8, size_t len,
                      struct font_shaped *out)
{
    shape_with(fs, arena, language, style, size, utf8, len, true, out);
}

void font_shape_words_units(struct font_set *fs, const char *language, unsigned style,
                            const char *utf8, size_t len, font_units_use use, void *context)
{
    with_shaping(fs, language, style, utf8, len, true, use, context);
}

double font_face_upem(const struct font_set *fs, unsigned face)
{
    return fs->faces[face].upem;
}

/* ---- texts shaped once and cut into lines ---- */

struct font_text {
    struct font_set *fs;
    const char *language;
    unsigned style;
    const char *text;
    size_t len;
    struct font_unit *glyphs; /* in the caller's arena */
    size_t count;
    int face;           /* the one face of the whole text, or -1: several (never cut) */
    hb_script_t script; /* as HarfBuzz guessed it for the whole text */
};

/* The face every character of utf8 gets from shape_all when it is one run,
 * else -1. */
static int one_face(const struct font_set *fs, unsigned style, const char *utf8, size_t len)
{
    int run_face = -1;
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)len, c);
        int face = c < 0 ? -1 : face_for(fs, style, c, run_face, NULL);
        if (face < 0)
            face = run_face >= 0 ? run_face : (int)font_set_usable_face(fs, fs->chain[style][0]);
        if (run_face >= 0 && face != run_face)
            return -1;
        run_face = face;
    }
    return run_face;
}

/* The script hb_buffer_guess_segment_properties gives utf8: its first
 * character of a script of its own. */
static hb_script_t guessed_script(const char *utf8, size_t len)
{
    hb_unicode_funcs_t *funcs = hb_unicode_funcs_get_default();
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)len, c);
        hb_script_t script = c < 0 ? HB_SCRIPT_COMMON : hb_unicode_script(funcs, (hb_codepoint_t)c);
        if (script != HB_SCRIPT_COMMON && script != HB_SCRIPT_INHERITED &&
            script != HB_SCRIPT_UNKNOWN)
            return script;
    }
    return HB_SCRIPT_INVALID;
}

struct font_text *font_text_shape(struct font_set *fs, struct arena *arena, const char *language,
                                  unsigned style, const char *utf8, size_t len)
{
    style &= STYLE_COUNT - 1;
    struct font_text *t = arena_alloc(arena, sizeof *t);
    *t = (struct font_text){.fs = fs,
                            .language = language,
                            .style = style,
                            .text = utf8,
                            .len = len,
                            .face = one_face(fs, style, utf8, len)};
    struct unit_list units = {0};
    struct shaper *sp = font_cache_part(fs);
    pthread_mutex_lock(&sp->lock);
    font_cache_ready(sp);
    shape_all(fs, sp, language, style, utf8, len, &units);
    bool forward = sp->forward;
    pthread_mutex_unlock(&sp->lock);
    t->script = guessed_script(utf8, len);
    if (!forward || t->script == HB_SCRIPT_INVALID)
        t->face = -1;
    t->count = units.count;
    t->glyphs = arena_alloc(arena, (units.count ? units.count : 1) * sizeof *t->glyphs);
    if (units.count)
        memcpy(t->glyphs, units.glyphs, units.count * sizeof *units.glyphs);
    free(units.glyphs);
    return t;
}

/* The first glyph whose cluster starts at or after offset (glyphs are in
 * text order: the text is left to right). */
static size_t glyph_at(const struct font_text *t, size_t offset)
{
    size_t low = 0, high = t->count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (t->glyphs[mid].text_off < offset)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

/* Whether the text may be cut at offset: a cluster starts there and
 * HarfBuzz says cutting there changes nothing. */
static bool cuttable(const struct font_text *t, size_t offset, size_t *glyph)
{
    *glyph = glyph_at(t, offset);
    if (offset == 0 || offset == t->len)
        return true;
    return *glyph < t->count && t->glyphs[*glyph].text_off == offset && t->glyphs[*glyph].safe;
}

bool font_text_can_cut(const struct font_text *t, size_t start, size_t end)
{
    size_t first, last;
    const char *piece = t->text + start;
    return start <= end && end <= t->len && t->face >= 0 && cuttable(t, start, &first) &&
           cuttable(t, end, &last) && one_face(t->fs, t->style, piece, end - start) == t->face &&
           guessed_script(piece, end - start) == t->script;
}

/* The scripts HarfBuzz shapes with its default shaper, which never looks
 * at the text around what it shapes (the context is for joining scripts
 * and syllables): a word cut from a longer text where HarfBuzz says a
 * break is safe is then exactly the word shaped alone. */
static bool context_free(hb_script_t script)
{
    /* HB_SCRIPT_INVALID: text of no script at all (digits, punctuation:
     * an organisation's number, "3229,"), which HarfBuzz shapes with the
     * default shaper as well, the piece alone guessed INVALID too. */
    return script == HB_SCRIPT_LATIN || script == HB_SCRIPT_CYRILLIC || script == HB_SCRIPT_GREEK ||
           script == HB_SCRIPT_INVALID;
}

/* After a text too long for the cache was shaped (the sample of a letter's
 * paragraphs that sets its measure, pdf_page.c): each word of it between
 * ASCII spaces that may be cut from it (font_text_can_cut, in a script
 * context_free) is kept in the cache as the shaping of that word alone, so
 * that laying the paragraphs out finds its words shaped: HarfBuzz shaping
 * each word apart the first time was a fifth of a one-letter process
 * (issue 17). The caller holds sp's lock. */
static void keep_words(struct font_set *fs, struct shaper *sp, const char *language, unsigned style,
                       const char *utf8, size_t len, const struct unit_list *units)
{
    struct font_text t = {.fs = fs,
                          .language = language,
                          .style = style,
                          .text = utf8,
                          .len = len,
                          .glyphs = units->glyphs,
                          .count = units->count,
                          .face = -2}; /* -2: not yet looked at */
    struct font_unit *word = NULL;
    size_t capacity = 0;
    for (size_t at = 0; at < len;) {
        while (at < len && utf8[at] == ' ')
            at++;
        size_t end = at;
        while (end < len && utf8[end] != ' ')
            end++;
        /* Words already kept (a campaign's letters after the first) cost
         * their hash only. */
        uint64_t hash = font_cache_hash(language, style, utf8 + at, end - at);
        if (end == at || end - at > CACHE_TEXT ||
            font_cache_find(sp, hash, language, style, utf8 + at, end - at)) {
            at = end;
            continue;
        }
        if (t.face == -2) {
            t.face = one_face(fs, style, utf8, len);
            t.script = guessed_script(utf8, len);
            if (t.face < 0 || !context_free(t.script) || !sp->forward)
                break;
        }
        if (font_text_can_cut(&t, at, end)) {
            size_t first = glyph_at(&t, at), count = glyph_at(&t, end) - first;
            if (count > capacity) {
                capacity = count * 2;
                word = xrealloc(word, capacity * sizeof *word);
            }
            for (size_t i = 0; i < count; i++) {
                word[i] = t.glyphs[first + i];
                word[i].text_off -= (uint32_t)at;
            }
            struct unit_list cut = {.glyphs = word, .count = count};
            font_cache_remember(sp, hash, language, style, utf8 + at, end - at, &cut);
        }
        at = end;
    }
    free(word);
}

/* The width of word[start, end) cut from the cached shaping of the whole
 * word, where that is exactly the piece shaped alone (as keep_words cuts
 * words from a longer text): both cuts not unsafe to break, one face for
 * the word and the piece, one script that is context_free. false when the
 * word is not cached or cannot be cut there. */
static bool cut_width(struct font_set *fs, const char *language, unsigned style, double size,
                      const char *word, size_t len, size_t start, size_t end, double *width)
{
    if (!fs->caching || len > CACHE_TEXT)
        return false;
    uint64_t hash = font_cache_hash(language, style, word, len);
    struct shaper *sp = font_cache_part(fs);
    pthread_mutex_lock(&sp->lock);
    font_cache_ready(sp);
    struct shaping *sh = font_cache_find(sp, hash, language, style, word, len);
    bool cut = false;
    if (sh) {
        struct font_text t = {.fs = fs,
                              .language = language,
                              .style = style,
                              .text = word,
                              .len = len,
                              .glyphs = sh->glyphs,
                              .count = sh->count,
                              .face = one_face(fs, style, word, len),
                              .script = guessed_script(word, len)};
        cut = context_free(t.script) && font_text_can_cut(&t, start, end);
        if (cut) {
            if (sh->letter != caches_letter())
                sh->shared = true;
            size_t first = glyph_at(&t, start), last = glyph_at(&t, end);
            struct measure_context m = {.size = size};
            measure_use(&m, fs, t.glyphs + first, last - first);
            *width = m.width;
        }
    }
    pthread_mutex_unlock(&sp->lock);
    return cut;
}

double font_layout_measure_part(void *font_layout, const char *word, size_t len, size_t start,
                                size_t end, unsigned style)
{
    const struct font_layout *m = font_layout;
    unsigned s = (style | m->extra_style) & (STYLE_COUNT - 1);
    double width;
    if (cut_width(m->fs, m->language, s, m->size, word, len, start, end, &width))
        return width;
    return font_measure(m->fs, m->language, s, m->size, word + start, end - start);
}

struct font_shaped font_text_glyphs(const struct font_text *t, struct arena *arena, double size,
                                    size_t start, size_t end)
{
    struct font_shaped out = {0};
    struct shape_context s = {.arena = arena, .size = size, .out = &out};
    const char *piece = t->text + start;
    if (start == 0 && end == t->len) {
        shape_use(&s, t->fs, t->glyphs, t->count);
    } else if (font_text_can_cut(t, start, end)) {
        size_t first = glyph_at(t, start), last = glyph_at(t, end);
        shape_use(&s, t->fs, t->glyphs + first, last - first);
        for (size_t i = 0; i < out.count; i++)
            out.glyphs[i].text_off -= (uint32_t)start;
    } else {
        with_shaping(t->fs, t->language, t->style, piece, end - start, false, shape_use, &s);
    }
    return out;
}

void font_extents(struct font_set *fs, unsigned style, double size, double *ascender,
                  double *descender)
{
    const struct face *f =
        &fs->faces[font_set_usable_face(fs, fs->chain[style & (STYLE_COUNT - 1)][0])];
    hb_font_extents_t extents;
    hb_font_get_h_extents(f->font, &extents);
    *ascender = extents.ascender * size / f->upem;
    *descender = extents.descender * size / f->upem;
}

double font_layout_measure(void *font_layout, const char *utf8, size_t len, unsigned style)
{
    const struct font_layout *m = font_layout;
    return font_measure(m->fs, m->language, style | m->extra_style, m->size, utf8, len);
}
