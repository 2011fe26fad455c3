/* font.c — owns the font set: opening each font file once, the fallback
 * chain per style, coverage checks, and shaping/measuring with HarfBuzz.
 * Embedding in PDF documents lives in font_pdf.c. */
#include "font.h"

#include "buffer.h"
#include "caches.h"
#include "font_file.h"
#include "path.h"

#include <hb-ot.h>
#include <unicode/utf8.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define STYLE_COUNT 4
/* The shaping cache: texts up to CACHE_TEXT bytes (words, short lines) are
 * kept; past CACHE_LIMIT entries or CACHE_BYTES it keeps only what a later
 * letter than the one that brought it shaped again (compact), which bounds
 * its memory in a long batch: every letter brings lines of its own (the
 * running header names the recipient), about 1.6 KB a letter, which a cache
 * bounded by entries alone grew by 16 MB over 10,000 letters, and which a
 * cache started afresh when full kept up to its bound, the campaign's own
 * words shaped again after each start. It is split in SHAPERS parts,
 * each with its own lock, and a thread uses one part only: the threads of a batch each warm a part
 * of their own instead of passing one lock between the cores a thousand times a letter. */
#define SHAPERS 4
#define CACHE_TEXT 256
#define CACHE_LIMIT 32768
#define CACHE_BYTES (512u << 10) /* per part */
#define CACHE_BUCKETS 8192
#define BMP 0x10000
/* Font subsets kept per process: a campaign's letters use a handful of
 * glyph sets (a thousand letters, five); past these bounds new ones are
 * made for each letter and not kept. */
#define SUBSET_LIMIT 64
#define SUBSET_BYTES (8u << 20)
/* first_face values besides face + 1. */
#define FACE_UNKNOWN 0
#define FACE_NONE 255

/* A face's state: its file is read whole and checked when a chain first
 * reaches it (font_set_open checks the path and the table directory of
 * every file, and opens the regular font), so that a letter reads only
 * the fonts it uses: reading and checking all eight of the example's was
 * a fifth of a one-letter process (issue 17). */
enum { FACE_CLOSED, FACE_OPEN, FACE_BROKEN };

struct face {
    char *file;
    _Atomic int state;
    char *broken; /* why it cannot be used (FACE_BROKEN) */
    hb_face_t *face;
    hb_font_t *font;
    double upem;
    /* Where missive.ini names the file (file NULL when it does not). */
    struct source_loc origin;
    /* Per glyph: loaded by FreeType without error (font_set_check_glyphs);
     * atomic, since threads sharing the set check at once. */
    _Atomic unsigned char *loads;
    unsigned glyph_count;
};

/* One glyph of a cached shaping, in its face's units: any size scales it
 * exactly as a fresh shaping would. */
struct unit_glyph {
    unsigned face, gid;
    int32_t x_offset, y_offset, x_advance;
    uint32_t text_off, text_len;
};

/* The shaping of one text in one style and language. */
struct shaping {
    struct shaping *next; /* in its hash bucket */
    uint64_t hash;
    unsigned style;
    const char *language; /* NULL for none */
    const char *text;
    size_t len;
    struct unit_glyph *glyphs;
    size_t count;
    unsigned long letter; /* caches_letter() that brought it */
    bool shared;          /* shaped again for a later letter */
};

/* One part of the shaping cache, and what shaping needs, under its lock. */
struct shaper {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until first used */
    struct shaping **buckets;
    size_t cached, cached_bytes;
    /* One HarfBuzz buffer for every run: creating and destroying one per
     * run was a tenth of a petition's time in malloc. */
    hb_buffer_t *buffer;
    uint32_t *ends; /* per glyph: where its cluster's text ends (scratch) */
    size_t ends_capacity;
    char apart[64]; /* what two threads write is a cache line apart */
};

struct font_set {
    struct face *faces;
    size_t count;
    /* Per style (DOC_STYLE_* bits as index): face indexes, own font first. */
    unsigned *chain[STYLE_COUNT];
    size_t chain_len[STYLE_COUNT];
    /* Per style, per BMP character: the first face of the chain that has
     * it (FACE_* or face + 1), filled in as characters are met. Atomic
     * bytes, so threads sharing the set may fill it at once. */
    _Atomic unsigned char *first_face[STYLE_COUNT];
    /* The shaping cache, shared by every letter of the process. */
    struct shaper shapers[SHAPERS];
    /* Subsets kept (font_set_subset_keep), under this lock; never moved,
     * since font_set_subset_find hands out pointers to them. */
    pthread_mutex_t lock;
    pthread_mutex_t open_lock;   /* opening a face */
    struct kept_subset *subsets; /* SUBSET_LIMIT of them */
    size_t subset_count, subset_bytes;
    bool caching;    /* caches_on() when opened */
    uint64_t serial; /* font_set_serial */
};

struct kept_subset {
    unsigned face;
    unsigned hash; /* of glyphs */
    hb_set_t *glyphs;
    struct font_subset subset;
};

static const char *const style_names[STYLE_COUNT] = {"regular", "italic", "bold", "bold italic"};

/* The face of a font file we can embed, or NULL with the reason why not. */
static hb_face_t *open_truetype(const char *path, char *reason, size_t size)
{
    struct buffer data = {0};
    char why[200];
    int rc = path_read(path, PATH_FONT, &data, why, sizeof why);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            snprintf(reason, size, "cannot read font file (%s)", strerror(errno));
        else
            snprintf(reason, size, "%s", why);
        buffer_free(&data);
        return NULL;
    }
    if (font_file_check((const unsigned char *)data.data, data.len, reason, size)) {
        buffer_free(&data);
        return NULL;
    }
    hb_blob_t *blob = hb_blob_create_or_fail(data.data, (unsigned)data.len, HB_MEMORY_MODE_READONLY,
                                             data.data, free);
    if (!blob) {
        free(data.data);
        snprintf(reason, size, "cannot read font file (too large)");
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    bool truetype = hb_blob_get_length(glyf) > 0;
    hb_blob_destroy(glyf);
    if (hb_face_get_glyph_count(face) == 0 || !truetype) {
        snprintf(reason, size,
                 "not a TrueType font (only fonts with TrueType outlines can be embedded)");
        hb_face_destroy(face);
        return NULL;
    }
    return face;
}

/* Where missive.ini names path, or NULL. */
static const struct source_loc *origin_of(const struct font_settings *settings, const char *path)
{
    for (size_t i = 0; i < settings->origin_count; i++)
        if (strcmp(settings->origins[i].path, path) == 0)
            return &settings->origins[i].loc;
    return NULL;
}

/* An error about face file path, at the line of missive.ini naming it. */
static void font_error(struct errors *errors, const struct source_loc *origin, const char *path,
                       const char *reason)
{
    if (origin && origin->file)
        errors_add(errors, *origin, "'%s': %s", path, reason);
    else
        errors_add_at(errors, path, 0, 0, "%s", reason);
}

/* Fills in face f from its file: 0, or -1 with the reason. */
static int load_face(struct face *f, char *reason, size_t size)
{
    hb_face_t *face = open_truetype(f->file, reason, size);
    if (!face)
        return -1;
    f->face = face;
    f->font = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    f->glyph_count = hb_face_get_glyph_count(face);
    f->loads = xcalloc(f->glyph_count, sizeof *f->loads);
    hb_font_make_immutable(f->font);
    return 0;
}

/* What font_set_open checks of a face it does not open: the path, and the
 * table directory against the file's size. NULL, or the reason. */
static const char *check_head(const char *path, char *reason, size_t size)
{
    struct buffer head = {0};
    size_t len = 0;
    char why[200];
    int rc = path_read_head(path, PATH_FONT, FONT_FILE_HEAD, &head, &len, why, sizeof why);
    const char *wrong = NULL;
    if (rc != 0) {
        if (rc == PATH_FAILED)
            snprintf(reason, size, "cannot read font file (%s)", strerror(errno));
        else
            snprintf(reason, size, "%s", why);
        wrong = reason;
    } else {
        wrong = font_file_check_head((const unsigned char *)head.data, head.len, len, reason, size);
    }
    buffer_free(&head);
    return wrong;
}

/* Adds path unless the set already has it, opened when open is true (else
 * only checked as far as check_head goes); returns its index or -1. */
static int add_face(struct font_set *fs, const struct font_settings *settings, const char *path,
                    bool open, struct errors *errors)
{
    for (size_t i = 0; i < fs->count; i++)
        if (strcmp(fs->faces[i].file, path) == 0)
            return (int)i;
    char reason[256];
    const struct source_loc *origin = origin_of(settings, path);
    struct face f = {.file = (char *)path};
    bool wrong = open ? load_face(&f, reason, sizeof reason) != 0
                      : check_head(path, reason, sizeof reason) != NULL;
    if (wrong) {
        font_error(errors, origin, path, reason);
        return -1;
    }
    fs->faces = xrealloc(fs->faces, (fs->count + 1) * sizeof *fs->faces);
    f.file = xstrdup(path);
    f.origin = origin ? *origin : (struct source_loc){0};
    f.origin.file = origin && origin->file ? xstrdup(origin->file) : NULL;
    fs->faces[fs->count] = f;
    atomic_init(&fs->faces[fs->count].state, open ? FACE_OPEN : FACE_CLOSED);
    return (int)fs->count++;
}

/* Whether face i can be used, opening it the first time it is asked. */
static bool face_open(const struct font_set *set, unsigned i)
{
    struct face *f = &set->faces[i];
    int state = atomic_load_explicit(&f->state, memory_order_acquire);
    if (state != FACE_CLOSED)
        return state == FACE_OPEN;
    /* The set is shared read-only between threads except for its caches:
     * opening a face is one, under its own lock. */
    struct font_set *fs = (struct font_set *)set;
    pthread_mutex_lock(&fs->open_lock);
    state = atomic_load_explicit(&f->state, memory_order_relaxed);
    if (state == FACE_CLOSED) {
        char reason[256];
        if (load_face(f, reason, sizeof reason) == 0) {
            state = FACE_OPEN;
        } else {
            f->broken = xstrdup(reason);
            state = FACE_BROKEN;
        }
        atomic_store_explicit(&f->state, state, memory_order_release);
    }
    pthread_mutex_unlock(&fs->open_lock);
    return state == FACE_OPEN;
}

/* caches_letter() + 1 of the last letter on this thread whose shaping or
 * measuring met a broken face (0: none). Per thread and letter, so that a
 * letter fails for a face it reached, never for one another letter (or the
 * other thread) reached. */
static _Thread_local unsigned long broken_letter;

static void note_broken(void)
{
    broken_letter = caches_letter() + 1;
}

/* face when it can be used, else the regular font (always open), noting
 * that a broken face was met: the letter then fails (font_set_broken). */
static unsigned usable_face(const struct font_set *fs, unsigned face)
{
    if (face_open(fs, face))
        return face;
    note_broken();
    return 0;
}

/* Adds the error of broken face i unless errors already holds it (each
 * text of a letter that reaches it would add it again). */
static void report_broken(const struct font_set *fs, unsigned i, struct errors *errors)
{
    const struct face *f = &fs->faces[i];
    struct errors one = {0};
    font_error(&one, &f->origin, f->file, f->broken);
    const struct error *e = &one.items[0];
    for (size_t k = 0; k < errors->count; k++) {
        const struct error *o = &errors->items[k];
        if (o->line == e->line && o->column == e->column && strcmp(o->message, e->message) == 0 &&
            (o->file == e->file || (o->file && e->file && strcmp(o->file, e->file) == 0))) {
            errors_clear(&one);
            return;
        }
    }
    errors_take(errors, &one);
    errors_clear(&one);
}

int font_set_broken(const struct font_set *fs, unsigned long since, struct errors *errors)
{
    if (broken_letter <= since)
        return 0;
    for (size_t i = 0; i < fs->count; i++)
        if (atomic_load_explicit(&fs->faces[i].state, memory_order_acquire) == FACE_BROKEN)
            report_broken(fs, (unsigned)i, errors);
    return -1;
}

int font_set_check_glyphs(struct font_set *fs, unsigned face, const hb_set_t *glyphs,
                          struct errors *errors)
{
    if (!face_open(fs, face)) {
        report_broken(fs, face, errors);
        return -1;
    }
    struct face *f = &fs->faces[face];
    unsigned *unchecked = xmalloc((hb_set_get_population(glyphs) + 1) * sizeof *unchecked);
    size_t count = 0;
    hb_codepoint_t gid = HB_SET_VALUE_INVALID;
    while (hb_set_next(glyphs, &gid))
        if (gid < f->glyph_count && !atomic_load_explicit(&f->loads[gid], memory_order_relaxed))
            unchecked[count++] = gid;
    int rc = 0;
    if (count > 0) {
        hb_blob_t *blob = hb_face_reference_blob(f->face);
        unsigned len;
        const unsigned char *data = (const unsigned char *)hb_blob_get_data(blob, &len);
        char reason[256];
        if (font_file_check_glyphs(data, len, unchecked, count, reason, sizeof reason)) {
            font_error(errors, &f->origin, f->file, reason);
            rc = -1;
        } else {
            for (size_t i = 0; i < count; i++)
                atomic_store_explicit(&f->loads[unchecked[i]], 1, memory_order_relaxed);
        }
        hb_blob_destroy(blob);
    }
    free(unchecked);
    return rc;
}

static void add_to_chain(struct font_set *fs, unsigned style, int face)
{
    if (face < 0)
        return;
    for (size_t i = 0; i < fs->chain_len[style]; i++)
        if (fs->chain[style][i] == (unsigned)face)
            return;
    fs->chain[style][fs->chain_len[style]++] = (unsigned)face;
}

struct font_set *font_set_open(const struct font_settings *settings, struct errors *errors)
{
    struct font_set *fs = xcalloc(1, sizeof *fs);
    pthread_mutex_init(&fs->lock, NULL);
    pthread_mutex_init(&fs->open_lock, NULL);
    for (size_t i = 0; i < SHAPERS; i++)
        pthread_mutex_init(&fs->shapers[i].lock, NULL);
    fs->caching = caches_on();
    static _Atomic uint64_t opened;
    fs->serial = atomic_fetch_add(&opened, 1) + 1;
    const char *own[STYLE_COUNT] = {settings->regular, settings->italic, settings->bold,
                                    settings->bold_italic};
    size_t before = errors->count;
    int own_face[STYLE_COUNT];
    for (unsigned s = 0; s < STYLE_COUNT; s++)
        own_face[s] = own[s] ? add_face(fs, settings, own[s], s == 0, errors) : -1;
    int *fallback = xcalloc(settings->fallback_count + 1, sizeof *fallback);
    for (size_t i = 0; i < settings->fallback_count; i++)
        fallback[i] = add_face(fs, settings, settings->fallbacks[i], false, errors);
    int *styled[STYLE_COUNT] = {NULL};
    for (unsigned s = 1; s < STYLE_COUNT; s++) {
        styled[s] = xcalloc(settings->style_fallback_count[s] + 1, sizeof *styled[s]);
        for (size_t i = 0; i < settings->style_fallback_count[s]; i++)
            styled[s][i] = add_face(fs, settings, settings->style_fallbacks[s][i], false, errors);
    }
    /* One allocation for the four styles: 256 KB, which calloc maps as
     * fresh zero pages, so a letter touches only the pages of the
     * characters it has (four 64 KB tables were cleared byte by byte). */
    _Atomic unsigned char *first = xcalloc((size_t)STYLE_COUNT * BMP, sizeof *first);
    for (unsigned s = 0; s < STYLE_COUNT; s++) {
        fs->first_face[s] = first + (size_t)s * BMP;
        fs->chain[s] = xcalloc(fs->count + 1, sizeof **fs->chain);
        /* A style without a file of its own borrows the regular one. */
        add_to_chain(fs, s, own_face[s] >= 0 ? own_face[s] : own_face[0]);
        for (size_t i = 0; s > 0 && i < settings->style_fallback_count[s]; i++)
            add_to_chain(fs, s, styled[s][i]);
        for (size_t i = 0; i < settings->fallback_count; i++)
            add_to_chain(fs, s, fallback[i]);
        free(styled[s]);
    }
    free(fallback);
    if (!settings->regular)
        errors_add_at(errors, NULL, 0, 0, "no regular font file is configured");
    if (errors->count > before || fs->chain_len[0] == 0) {
        font_set_free(fs);
        return NULL;
    }
    return fs;
}

void font_set_free(struct font_set *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->count; i++) {
        hb_font_destroy(fs->faces[i].font);
        hb_face_destroy(fs->faces[i].face);
        free(fs->faces[i].file);
        free(fs->faces[i].broken);
        free((char *)fs->faces[i].origin.file);
        free((void *)fs->faces[i].loads);
    }
    for (unsigned s = 0; s < STYLE_COUNT; s++)
        free(fs->chain[s]);
    free((void *)fs->first_face[0]);
    free(fs->faces);
    for (size_t i = 0; i < fs->subset_count; i++) {
        hb_set_destroy(fs->subsets[i].glyphs);
        font_subset_release(&fs->subsets[i].subset);
    }
    free(fs->subsets);
    for (size_t i = 0; i < SHAPERS; i++) {
        struct shaper *sp = &fs->shapers[i];
        arena_free(sp->arena);
        free(sp->buckets);
        hb_buffer_destroy(sp->buffer);
        free(sp->ends);
        pthread_mutex_destroy(&sp->lock);
    }
    pthread_mutex_destroy(&fs->lock);
    pthread_mutex_destroy(&fs->open_lock);
    free(fs);
}

void font_set_clear_cache(struct font_set *fs)
{
    for (size_t i = 0; i < SHAPERS; i++) {
        struct shaper *sp = &fs->shapers[i];
        pthread_mutex_lock(&sp->lock);
        if (sp->arena) {
            arena_free(sp->arena);
            sp->arena = arena_new();
            memset(sp->buckets, 0, CACHE_BUCKETS * sizeof *sp->buckets);
        }
        sp->cached = sp->cached_bytes = 0;
        pthread_mutex_unlock(&sp->lock);
    }
}

uint64_t font_set_serial(const struct font_set *fs)
{
    return fs->serial;
}

size_t font_set_count(const struct font_set *fs)
{
    return fs->count;
}

const char *font_set_file(const struct font_set *fs, unsigned face)
{
    return fs->faces[face].file;
}

hb_font_t *font_set_hb_font(const struct font_set *fs, unsigned face)
{
    return fs->faces[usable_face(fs, face)].font;
}

/* Whether face i has c; false when it is broken, and *broken is then i
 * (when not NULL). */
static bool has_glyph(const struct font_set *fs, unsigned i, UChar32 c, int *broken)
{
    if (!face_open(fs, i)) {
        if (broken)
            *broken = (int)i;
        else
            note_broken();
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
    return c == 0xAD || c == 0x34F || c == 0x61C || (c >= 0x200B && c <= 0x200F) ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
           (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

static bool is_mark(UChar32 c)
{
    if (c < 0x300) /* no marks before the combining diacritics */
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
            note_broken();
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
static int face_for(const struct font_set *fs, unsigned style, UChar32 c, int previous, int *broken)
{
    if (previous >= 0 &&
        (is_ignorable(c) || (is_mark(c) && has_glyph(fs, (unsigned)previous, c, broken))))
        return previous;
    int face = first_in_chain(fs, style, c, broken);
    if (face >= 0)
        return face;
    /* The walk above met the style's own font: broken, it was noted. */
    if (is_ignorable(c))
        return face_open(fs, fs->chain[style][0]) ? (int)fs->chain[style][0] : 0;
    return -1;
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
            report_broken(fs, (unsigned)broken, errors);
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

/* Turkic languages dot the i: an fi ligature would eat the dot. */
static bool ligatures_allowed(const char *language)
{
    static const char *const no_fi[] = {"tr", "az", "crh", "tt", "ba"};
    if (!language)
        return true;
    for (size_t i = 0; i < sizeof no_fi / sizeof no_fi[0]; i++) {
        size_t n = strlen(no_fi[i]);
        if (strncmp(language, no_fi[i], n) == 0 &&
            (language[n] == '\0' || language[n] == '-' || language[n] == '_'))
            return false;
    }
    return true;
}

/* Glyphs being collected for one text; safe (when not NULL) gets, per
 * glyph, whether HarfBuzz says the text may be cut at its cluster's start
 * and each side shaped alone with the same result (not unsafe to break). */
struct unit_list {
    struct unit_glyph *glyphs;
    size_t count, capacity;
    bool *safe;
};

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
    hb_buffer_t *buffer = sp->buffer;
    hb_buffer_clear_contents(buffer);
    /* The whole text is context, so shaping sees across run boundaries. */
    hb_buffer_add_utf8(buffer, utf8, (int)len, (unsigned)start, (int)(end - start));
    if (language)
        hb_buffer_set_language(buffer, hb_language_from_string(language, -1));
    hb_buffer_guess_segment_properties(buffer);
    hb_feature_t features[2];
    unsigned feature_count = 0;
    if (!ligatures_allowed(language)) {
        hb_feature_from_string("-liga", -1, &features[feature_count++]);
        hb_feature_from_string("-clig", -1, &features[feature_count++]);
    }
    hb_shape(fs->faces[face].font, buffer, features, feature_count);
    unsigned count;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
    if (out->count + count > out->capacity) {
        out->capacity = (out->count + count) * 2;
        out->glyphs = xrealloc(out->glyphs, out->capacity * sizeof *out->glyphs);
        if (out->safe)
            out->safe = xrealloc(out->safe, out->capacity * sizeof *out->safe);
    }
    if (out->safe)
        for (unsigned i = 0; i < count; i++)
            out->safe[out->count + i] =
                !(hb_glyph_info_get_glyph_flags(&info[i]) & HB_GLYPH_FLAG_UNSAFE_TO_BREAK);
    cluster_ends(sp, info, count, HB_DIRECTION_IS_BACKWARD(hb_buffer_get_direction(buffer)), end);
    for (unsigned i = 0; i < count; i++) {
        bool first = i == 0 || info[i].cluster != info[i - 1].cluster;
        size_t stop = first ? sp->ends[i] : info[i].cluster;
        out->glyphs[out->count++] = (struct unit_glyph){
            .face = face,
            .gid = info[i].codepoint,
            .x_offset = pos[i].x_offset,
            .y_offset = pos[i].y_offset,
            .x_advance = pos[i].x_advance,
            .text_off = info[i].cluster,
            .text_len = (uint32_t)(stop - info[i].cluster),
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
    int run_face = -1;
    size_t run_start = 0;
    for (int32_t i = 0; i < (int32_t)len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)len, c);
        int face = c < 0 ? -1 : face_for(fs, style, c, run_face, NULL);
        if (face < 0)
            face = run_face >= 0 ? run_face : (int)usable_face(fs, fs->chain[style][0]);
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

static uint64_t shaping_hash(const char *language, unsigned style, const char *utf8, size_t len)
{
    uint64_t h = 14695981039346656037u ^ style;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)utf8[i]) * 1099511628211u;
    for (const char *p = language ? language : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h ^ (language ? 0 : 0x9E3779B97F4A7C15u);
}

static bool same_language(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static size_t shaping_bytes(const struct shaping *sh)
{
    return sizeof *sh + sh->len + sh->count * sizeof *sh->glyphs;
}

/* A copy of sh in a, in the buckets (the caller holds their lock). */
static struct shaping *keep_shaping(struct arena *a, struct shaping **buckets,
                                    const struct shaping *sh, const struct unit_glyph *glyphs)
{
    struct shaping *copy = arena_alloc(a, sizeof *copy);
    *copy = *sh;
    copy->language = sh->language ? arena_strdup(a, sh->language) : NULL;
    copy->text = arena_strndup(a, sh->text, sh->len);
    copy->glyphs = arena_alloc(a, (sh->count ? sh->count : 1) * sizeof *copy->glyphs);
    if (sh->count)
        memcpy(copy->glyphs, glyphs, sh->count * sizeof *glyphs);
    struct shaping **bucket = &buckets[sh->hash % CACHE_BUCKETS];
    copy->next = *bucket;
    *bucket = copy;
    return copy;
}

/* sp is full: only the shapings a later letter used again are kept (a
 * campaign's own words, not each recipient's); when they alone fill half
 * of it, it starts afresh. */
static void compact(struct shaper *sp)
{
    struct arena *a = arena_new();
    struct shaping **buckets = xcalloc(CACHE_BUCKETS, sizeof *buckets);
    size_t count = 0, bytes = 0;
    for (size_t b = 0; b < CACHE_BUCKETS && 2 * bytes < CACHE_BYTES; b++)
        for (const struct shaping *sh = sp->buckets[b]; sh; sh = sh->next) {
            if (!sh->shared)
                continue;
            struct shaping *copy = keep_shaping(a, buckets, sh, sh->glyphs);
            copy->letter = caches_letter();
            copy->shared = false;
            count++;
            bytes += shaping_bytes(copy);
        }
    if (2 * bytes >= CACHE_BYTES) {
        arena_free(a);
        a = arena_new();
        memset(buckets, 0, CACHE_BUCKETS * sizeof *buckets);
        count = bytes = 0;
    }
    arena_free(sp->arena);
    free(sp->buckets);
    sp->arena = a;
    sp->buckets = buckets;
    sp->cached = count;
    sp->cached_bytes = bytes;
}

/* Keeps a copy of the shaping of utf8 (the caller holds sp's lock). */
static const struct shaping *remember(struct shaper *sp, uint64_t hash, const char *language,
                                      unsigned style, const char *utf8, size_t len,
                                      const struct unit_list *units)
{
    if (sp->cached >= CACHE_LIMIT || sp->cached_bytes >= CACHE_BYTES)
        compact(sp);
    struct shaping sh = {.hash = hash,
                         .style = style,
                         .language = language,
                         .text = utf8,
                         .len = len,
                         .count = units->count,
                         .letter = caches_letter()};
    const struct shaping *kept = keep_shaping(sp->arena, sp->buckets, &sh, units->glyphs);
    sp->cached++;
    sp->cached_bytes += shaping_bytes(kept);
    return kept;
}

/* The part of fs's shaping cache for this thread: threads take parts in
 * turn, each keeps its own. */
static struct shaper *this_shaper(struct font_set *fs)
{
    static _Atomic unsigned turns;
    static _Thread_local unsigned mine; /* index + 1; 0 before the first */
    if (!mine)
        mine = atomic_fetch_add(&turns, 1) % SHAPERS + 1;
    return &fs->shapers[mine - 1];
}

/* Makes sp's buffer and cache on first use (the caller holds its lock). */
static void shaper_ready(struct shaper *sp)
{
    if (sp->buffer)
        return;
    sp->buffer = hb_buffer_create();
    sp->arena = arena_new();
    sp->buckets = xcalloc(CACHE_BUCKETS, sizeof *sp->buckets);
}

/* Receives the glyphs of a shaped text (in face units). */
typedef void (*shaping_use)(void *context, const struct font_set *fs,
                            const struct unit_glyph *glyphs, size_t count);

/* The cached shaping of utf8, or NULL (the caller holds sp's lock).
 * Inline: every word of every letter looks itself up here. */
static inline __attribute__((always_inline)) struct shaping *
cached(struct shaper *sp, uint64_t hash, const char *language, unsigned style, const char *utf8,
       size_t len)
{
    for (struct shaping *sh = sp->buckets[hash % CACHE_BUCKETS]; sh; sh = sh->next)
        if (sh->hash == hash && sh->style == style && sh->len == len &&
            memcmp(sh->text, utf8, len) == 0 && same_language(sh->language, language))
            return sh;
    return NULL;
}

static void keep_words(struct font_set *fs, struct shaper *sp, const char *language, unsigned style,
                       const char *utf8, size_t len, const struct unit_list *units);

/* Shapes utf8, or finds it in the cache, and hands the glyphs to use while
 * the cache cannot change under them. */
static void with_shaping(struct font_set *fs, const char *language, unsigned style,
                         const char *utf8, size_t len, shaping_use use, void *context)
{
    style &= STYLE_COUNT - 1;
    uint64_t hash = shaping_hash(language, style, utf8, len);
    struct shaper *sp = this_shaper(fs);
    pthread_mutex_lock(&sp->lock);
    shaper_ready(sp);
    struct shaping *sh = fs->caching ? cached(sp, hash, language, style, utf8, len) : NULL;
    if (sh) {
        if (sh->letter != caches_letter())
            sh->shared = true;
        use(context, fs, sh->glyphs, sh->count);
        pthread_mutex_unlock(&sp->lock);
        return;
    }
    bool whole = len > CACHE_TEXT && fs->caching;
    struct unit_list units = {.safe = whole ? xmalloc(sizeof(bool)) : NULL};
    shape_all(fs, sp, language, style, utf8, len, &units);
    if (len <= CACHE_TEXT && fs->caching)
        remember(sp, hash, language, style, utf8, len, &units);
    use(context, fs, units.glyphs, units.count);
    if (whole)
        keep_words(fs, sp, language, style, utf8, len, &units);
    pthread_mutex_unlock(&sp->lock);
    free(units.glyphs);
    free(units.safe);
}

struct measure_context {
    double size;
    double width;
};

static void measure_use(void *context, const struct font_set *fs, const struct unit_glyph *g,
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
    with_shaping(fs, language, style, utf8, len, measure_use, &m);
    return m.width;
}

struct shape_context {
    struct arena *arena;
    double size;
    struct font_shaped *out;
};

static void shape_use(void *context, const struct font_set *fs, const struct unit_glyph *g,
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

void font_shape(struct font_set *fs, struct arena *arena, const char *language, unsigned style,
                double size, const char *utf8, size_t len, struct font_shaped *out)
{
    struct shape_context s = {.arena = arena, .size = size, .out = out};
    with_shaping(fs, language, style, utf8, len, shape_use, &s);
    bool ascii = true;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)utf8[i] < 0x80;
    out->ascii = ascii;
}

/* ---- texts shaped once and cut into lines ---- */

struct font_text {
    struct font_set *fs;
    const char *language;
    unsigned style;
    const char *text;
    size_t len;
    struct unit_glyph *glyphs; /* in the caller's arena */
    bool *safe;
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
            face = run_face >= 0 ? run_face : (int)usable_face(fs, fs->chain[style][0]);
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
    struct unit_list units = {.safe = xmalloc(sizeof(bool))};
    struct shaper *sp = this_shaper(fs);
    pthread_mutex_lock(&sp->lock);
    shaper_ready(sp);
    shape_all(fs, sp, language, style, utf8, len, &units);
    bool forward = HB_DIRECTION_IS_FORWARD(hb_buffer_get_direction(sp->buffer));
    pthread_mutex_unlock(&sp->lock);
    t->script = guessed_script(utf8, len);
    if (!forward || t->script == HB_SCRIPT_INVALID)
        t->face = -1;
    t->count = units.count;
    t->glyphs = arena_alloc(arena, (units.count ? units.count : 1) * sizeof *t->glyphs);
    t->safe = arena_alloc(arena, (units.count ? units.count : 1) * sizeof *t->safe);
    if (units.count) {
        memcpy(t->glyphs, units.glyphs, units.count * sizeof *units.glyphs);
        memcpy(t->safe, units.safe, units.count * sizeof *units.safe);
    }
    free(units.glyphs);
    free(units.safe);
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
    return *glyph < t->count && t->glyphs[*glyph].text_off == offset && t->safe[*glyph];
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
    return script == HB_SCRIPT_LATIN || script == HB_SCRIPT_CYRILLIC || script == HB_SCRIPT_GREEK;
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
                          .safe = units->safe,
                          .count = units->count,
                          .face = -2}; /* -2: not yet looked at */
    struct unit_glyph *word = NULL;
    size_t capacity = 0;
    for (size_t at = 0; at < len;) {
        while (at < len && utf8[at] == ' ')
            at++;
        size_t end = at;
        while (end < len && utf8[end] != ' ')
            end++;
        /* Words already kept (a campaign's letters after the first) cost
         * their hash only. */
        uint64_t hash = shaping_hash(language, style, utf8 + at, end - at);
        if (end == at || end - at > CACHE_TEXT ||
            cached(sp, hash, language, style, utf8 + at, end - at)) {
            at = end;
            continue;
        }
        if (t.face == -2) {
            t.face = one_face(fs, style, utf8, len);
            t.script = guessed_script(utf8, len);
            if (t.face < 0 || !context_free(t.script) ||
                !HB_DIRECTION_IS_FORWARD(hb_buffer_get_direction(sp->buffer)))
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
            remember(sp, hash, language, style, utf8 + at, end - at, &cut);
        }
        at = end;
    }
    free(word);
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
        with_shaping(t->fs, t->language, t->style, piece, end - start, shape_use, &s);
    }
    return out;
}

void font_extents(struct font_set *fs, unsigned style, double size, double *ascender,
                  double *descender)
{
    const struct face *f = &fs->faces[usable_face(fs, fs->chain[style & (STYLE_COUNT - 1)][0])];
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

/* ---- kept subsets ---- */

void font_subset_release(struct font_subset *subset)
{
    hb_map_destroy(subset->old_to_new);
    free(subset->program);
    *subset = (struct font_subset){0};
}

/* The kept subset of face for glyphs, or NULL (the caller holds the lock). */
static struct font_subset *find_subset(struct font_set *fs, unsigned face, unsigned hash,
                                       const hb_set_t *glyphs)
{
    for (size_t i = 0; i < fs->subset_count; i++) {
        struct kept_subset *k = &fs->subsets[i];
        if (k->face == face && k->hash == hash && hb_set_is_equal(k->glyphs, glyphs))
            return &k->subset;
    }
    return NULL;
}

const struct font_subset *font_set_subset_find(struct font_set *fs, unsigned face,
                                               const hb_set_t *glyphs)
{
    if (!fs->caching)
        return NULL;
    unsigned hash = hb_set_hash(glyphs);
    pthread_mutex_lock(&fs->lock);
    const struct font_subset *found = find_subset(fs, face, hash, glyphs);
    pthread_mutex_unlock(&fs->lock);
    return found;
}

const struct font_subset *font_set_subset_keep(struct font_set *fs, unsigned face,
                                               const hb_set_t *glyphs, struct font_subset *subset)
{
    if (!fs->caching)
        return NULL;
    unsigned hash = hb_set_hash(glyphs);
    pthread_mutex_lock(&fs->lock);
    const struct font_subset *kept = find_subset(fs, face, hash, glyphs);
    if (kept) {
        font_subset_release(subset); /* another thread made the same one */
    } else if (fs->subset_count < SUBSET_LIMIT &&
               fs->subset_bytes + subset->program_len <= SUBSET_BYTES) {
        if (!fs->subsets)
            fs->subsets = xcalloc(SUBSET_LIMIT, sizeof *fs->subsets);
        struct kept_subset *k = &fs->subsets[fs->subset_count++];
        *k = (struct kept_subset){
            .face = face, .hash = hash, .glyphs = hb_set_copy(glyphs), .subset = *subset};
        fs->subset_bytes += subset->program_len;
        *subset = (struct font_subset){0};
        kept = &k->subset;
    }
    pthread_mutex_unlock(&fs->lock);
    return kept;
}
