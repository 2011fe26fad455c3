/* font_set.c — opening the font set's files and faces, and its kept subsets. */
#include "font_internal.h"

#include "font_fast.h"

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

/* The face of a font file we can embed, or NULL with the reason why not. */
static hb_face_t *open_truetype(const char *path, char *reason, size_t size,
                                struct font_file_ft **ft)
{
    *ft = NULL;
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
    if (font_file_check((const unsigned char *)data.data, data.len, reason, size, ft)) {
        buffer_free(&data);
        return NULL;
    }
    hb_blob_t *blob = hb_blob_create_or_fail(data.data, (unsigned)data.len, HB_MEMORY_MODE_READONLY,
                                             data.data, free);
    if (!blob) {
        font_file_ft_close(*ft);
        *ft = NULL;
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
        font_file_ft_close(*ft);
        *ft = NULL;
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
    hb_face_t *face = open_truetype(f->file, reason, size, &f->ft);
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
bool font_set_face_open(const struct font_set *set, unsigned i)
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

void font_set_note_broken(void)
{
    broken_letter = caches_letter() + 1;
}

/* face when it can be used, else the regular font (always open), noting
 * that a broken face was met: the letter then fails (font_set_broken). */
unsigned font_set_usable_face(const struct font_set *fs, unsigned face)
{
    if (font_set_face_open(fs, face))
        return face;
    font_set_note_broken();
    return 0;
}

/* Adds the error of broken face i unless errors already holds it (each
 * text of a letter that reaches it would add it again). */
void font_set_report_broken(const struct font_set *fs, unsigned i, struct errors *errors)
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
            font_set_report_broken(fs, (unsigned)i, errors);
    return -1;
}

int font_set_check_glyphs(struct font_set *fs, unsigned face, const hb_set_t *glyphs,
                          struct errors *errors)
{
    if (!font_set_face_open(fs, face)) {
        font_set_report_broken(fs, face, errors);
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
        char reason[256];
        pthread_mutex_lock(&fs->ft_lock);
        const char *wrong = font_file_check_glyphs(f->ft, unchecked, count, reason, sizeof reason);
        pthread_mutex_unlock(&fs->ft_lock);
        if (wrong) {
            font_error(errors, &f->origin, f->file, reason);
            rc = -1;
        } else {
            for (size_t i = 0; i < count; i++)
                atomic_store_explicit(&f->loads[unchecked[i]], 1, memory_order_relaxed);
        }
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
    pthread_mutex_init(&fs->ft_lock, NULL);
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
        font_file_ft_close(fs->faces[i].ft); /* before the face: it reads its bytes */
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
    for (size_t i = 0; i < fs->list_count; i++)
        free(fs->lists[i].subsets);
    free(fs->lists);
    for (size_t i = 0; i < SHAPERS; i++) {
        struct shaper *sp = &fs->shapers[i];
        arena_free(sp->arena);
        free(sp->buckets);
        hb_buffer_destroy(sp->buffer);
        font_fast_free(sp->fast);
        free(sp->ends);
        pthread_mutex_destroy(&sp->lock);
    }
    pthread_mutex_destroy(&fs->lock);
    pthread_mutex_destroy(&fs->open_lock);
    pthread_mutex_destroy(&fs->ft_lock);
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
            memset(sp->buckets, 0, sp->bucket_count * sizeof *sp->buckets);
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
    return fs->faces[font_set_usable_face(fs, face)].font;
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

/* Lists named by font_set_subsets_id: a campaign's letters use a few. */
#define LIST_LIMIT 256

uint64_t font_set_subsets_id(struct font_set *fs, const struct font_subset *const *list,
                             size_t count)
{
    static _Atomic uint64_t ids;
    if (!fs->caching || count == 0)
        return 0;
    uint64_t id = 0;
    pthread_mutex_lock(&fs->lock);
    for (size_t i = 0; !id && i < fs->list_count; i++)
        if (fs->lists[i].count == count &&
            memcmp(fs->lists[i].subsets, list, count * sizeof *list) == 0)
            id = fs->lists[i].id;
    if (!id && fs->list_count < LIST_LIMIT) {
        if (!fs->lists)
            fs->lists = xcalloc(LIST_LIMIT, sizeof *fs->lists);
        struct subset_list *l = &fs->lists[fs->list_count++];
        l->subsets = xmalloc(count * sizeof *l->subsets);
        memcpy(l->subsets, list, count * sizeof *list);
        l->count = count;
        l->id = id = atomic_fetch_add(&ids, 1) + 1;
    }
    pthread_mutex_unlock(&fs->lock);
    return id;
}
