/* font_cache.c — the shaping cache shared by every letter of a process:
 * keeping a text's shaping, and keeping the cache bounded over a long
 * batch (compact). Looking a text up is inline in font_internal.h, since
 * every word of every letter does it; shaping itself is font.c's. */
#include "font_internal.h"

#include "font_fast.h"

#include "arena.h"
#include "caches.h"

#include <hb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static size_t shaping_bytes(const struct shaping *sh)
{
    return sizeof *sh + sh->len + sh->count * sizeof *sh->glyphs;
}

/* A copy of sh in a, in the bucket_count buckets (the caller holds their
 * lock). */
static struct shaping *keep_shaping(struct arena *a, struct shaping **buckets, size_t bucket_count,
                                    const struct shaping *sh, const struct font_unit *glyphs)
{
    struct shaping *copy = arena_alloc(a, sizeof *copy);
    *copy = *sh;
    copy->language = sh->language ? arena_strdup(a, sh->language) : NULL;
    copy->text = arena_strndup(a, sh->text, sh->len);
    copy->glyphs = arena_alloc(a, (sh->count ? sh->count : 1) * sizeof *copy->glyphs);
    if (sh->count)
        memcpy(copy->glyphs, glyphs, sh->count * sizeof *glyphs);
    struct shaping **bucket = &buckets[sh->hash & (bucket_count - 1)];
    copy->next = *bucket;
    *bucket = copy;
    return copy;
}

/* The bytes sp may hold for this thread's letter. */
static size_t part_bound(const struct shaper *sp)
{
    return sp->grown_for == caches_letter() ? sp->bound : CACHE_BYTES;
}

/* Whether the letter on this thread brought most of sp's shapings: one
 * large document (see CACHE_DOCUMENT_BYTES). */
static bool one_document(const struct shaper *sp)
{
    unsigned long letter = caches_letter();
    size_t own = 0;
    for (size_t b = 0; b < sp->bucket_count; b++)
        for (const struct shaping *sh = sp->buckets[b]; sh; sh = sh->next)
            own += sh->letter == letter;
    return 2 * own > sp->cached;
}

/* sp is full: only the shapings a later letter used again are kept (a
 * campaign's own words, not each recipient's); when they alone fill half
 * of it, it starts afresh. For one large document the part grows and
 * keeps that letter's words shaped again too, up to half its new bound. */
static void compact(struct shaper *sp)
{
    bool document = one_document(sp);
    unsigned long letter = caches_letter();
    size_t bound = CACHE_BYTES;
    if (document) {
        bound = part_bound(sp) * 2;
        bound = bound < CACHE_DOCUMENT_BYTES ? bound : CACHE_DOCUMENT_BYTES;
    }
    size_t bucket_count = CACHE_BUCKETS * (bound / CACHE_BYTES);
    struct arena *a = arena_new();
    struct shaping **buckets = xcalloc(bucket_count, sizeof *buckets);
    size_t count = 0, bytes = 0;
    for (size_t b = 0; b < sp->bucket_count && 2 * bytes < bound; b++)
        for (const struct shaping *sh = sp->buckets[b]; sh && 2 * bytes < bound; sh = sh->next) {
            if (!sh->shared && !(document && sh->uses >= 2 && sh->letter == letter))
                continue;
            struct shaping *copy = keep_shaping(a, buckets, bucket_count, sh, sh->glyphs);
            copy->letter = letter;
            copy->shared = false;
            copy->uses = 0;
            count++;
            bytes += shaping_bytes(copy);
        }
    if (!document && 2 * bytes >= bound) {
        arena_free(a);
        a = arena_new();
        memset(buckets, 0, bucket_count * sizeof *buckets);
        count = bytes = 0;
    }
    arena_free(sp->arena);
    free(sp->buckets);
    sp->arena = a;
    sp->buckets = buckets;
    sp->bucket_count = bucket_count;
    sp->cached = count;
    sp->cached_bytes = bytes;
    sp->bound = bound;
    sp->grown_for = letter;
}

const struct shaping *font_cache_remember(struct shaper *sp, uint64_t hash, const char *language,
                                          unsigned style, const char *utf8, size_t len,
                                          const struct unit_list *units)
{
    size_t bound = part_bound(sp);
    if (sp->cached >= CACHE_LIMIT * (bound / CACHE_BYTES) || sp->cached_bytes >= bound)
        compact(sp);
    struct shaping sh = {.hash = hash,
                         .style = style,
                         .language = language,
                         .text = utf8,
                         .len = len,
                         .count = units->count,
                         .letter = caches_letter()};
    const struct shaping *kept =
        keep_shaping(sp->arena, sp->buckets, sp->bucket_count, &sh, units->glyphs);
    sp->cached++;
    sp->cached_bytes += shaping_bytes(kept);
    return kept;
}

void font_cache_start(struct shaper *sp)
{
    sp->buffer = hb_buffer_create();
    /* What the fast path learns is a cache: off with the caches, so that
     * tests/caches.sh compares it with HarfBuzz's own shaping end to end. */
    sp->fast = caches_on() && font_harfbuzz_followed() ? font_fast_new() : NULL;
    sp->arena = arena_new();
    sp->bucket_count = CACHE_BUCKETS;
    sp->buckets = xcalloc(sp->bucket_count, sizeof *sp->buckets);
    sp->bound = CACHE_BYTES;
}

void font_set_cache_stats(struct font_set *fs, size_t *shaped, size_t *bytes)
{
    struct shaper *sp = font_cache_part(fs);
    pthread_mutex_lock(&sp->lock);
    *shaped = sp->shaped;
    *bytes = sp->cached_bytes;
    pthread_mutex_unlock(&sp->lock);
}
