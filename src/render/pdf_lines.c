/* pdf_lines.c — owns the lines set in this process: the glyphs of each line
 * of a paragraph the layout cache gave again (its lines' kept value), so that
 * the next letter with that paragraph copies them instead of shaping the
 * line's words one by one. A campaign's letters share most of their lines. */
#include "pdf_internal.h"

#include "caches.h"
#include "hash.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Past LIMIT lines or LIMIT_BYTES a part starts afresh: a campaign's lines
 * in five languages take about 1 MB. */
#define LIMIT 4096
#define LIMIT_BYTES (2u << 20)
#define BUCKETS 4096
/* As the layout cache: a part per thread (in turn), each with its lock. */
#define PARTS 4

struct kept_line {
    struct kept_line *next; /* in its bucket */
    struct pdf_line_key key;
    struct font_shaped shaped;
    uint16_t *parts;
};

static struct part {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until the first line kept */
    struct kept_line *buckets[BUCKETS];
    size_t count, bytes;
    char apart[64]; /* what two threads write is a cache line apart */
} parts[PARTS] = {{.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER}};
_Static_assert(PARTS == 4, "one initializer per part");
_Static_assert(sizeof(struct pdf_line_key) == 32, "keys compared as bytes have no padding");

static void free_lines(void)
{
    for (size_t i = 0; i < PARTS; i++) {
        arena_free(parts[i].arena);
        parts[i].arena = NULL;
    }
}

static void register_free(void)
{
    atexit(free_lines);
}

static struct part *this_part(void)
{
    static _Atomic unsigned turns;
    static _Thread_local unsigned mine; /* index + 1; 0 before the first */
    if (!mine)
        mine = atomic_fetch_add(&turns, 1) % PARTS + 1;
    return &parts[mine - 1];
}

static size_t bucket_of(const struct pdf_line_key *key)
{
    return (size_t)(hash_bytes(key, sizeof *key) % BUCKETS);
}

bool pdf_lines_find(const struct pdf_line_key *key, struct arena *arena, struct font_shaped *out,
                    const uint16_t **from)
{
    if (!key->kept || !caches_on())
        return false;
    struct part *part = this_part();
    size_t b = bucket_of(key);
    pthread_mutex_lock(&part->lock);
    const struct kept_line *k = part->arena ? part->buckets[b] : NULL;
    while (k && memcmp(&k->key, key, sizeof *key) != 0)
        k = k->next;
    if (k) {
        size_t n = k->shaped.count;
        *out = k->shaped;
        out->glyphs = arena_alloc_raw(arena, (n + 1) * sizeof *out->glyphs);
        uint16_t *copy = arena_alloc_raw(arena, (n + 1) * sizeof *copy);
        memcpy(out->glyphs, k->shaped.glyphs, n * sizeof *out->glyphs);
        memcpy(copy, k->parts, n * sizeof *copy);
        *from = copy;
    }
    pthread_mutex_unlock(&part->lock);
    return k != NULL;
}

void pdf_lines_keep(const struct pdf_line_key *key, struct font_shaped *shaped,
                    const uint16_t *from)
{
    static _Atomic uint64_t serials;
    if (!key->kept || !caches_on())
        return;
    shaped->kept = atomic_fetch_add(&serials, 1) + 1;
    struct part *part = this_part();
    size_t n = shaped->count, bytes = sizeof(struct kept_line) + n * (sizeof *shaped->glyphs + 2);
    pthread_mutex_lock(&part->lock);
    if (!part->arena || part->count >= LIMIT || part->bytes + bytes > LIMIT_BYTES) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, register_free); /* so that leak checkers see every block freed */
        arena_free(part->arena);
        part->arena = arena_new();
        memset(part->buckets, 0, sizeof part->buckets);
        part->count = part->bytes = 0;
    }
    struct kept_line *k = arena_alloc(part->arena, sizeof *k);
    k->key = *key;
    k->shaped = *shaped;
    k->shaped.glyphs = arena_alloc_raw(part->arena, (n + 1) * sizeof *k->shaped.glyphs);
    k->parts = arena_alloc_raw(part->arena, (n + 1) * sizeof *k->parts);
    memcpy(k->shaped.glyphs, shaped->glyphs, n * sizeof *shaped->glyphs);
    memcpy(k->parts, from, n * sizeof *from);
    size_t b = bucket_of(key);
    k->next = part->buckets[b];
    part->buckets[b] = k;
    part->count++;
    part->bytes += bytes;
    pthread_mutex_unlock(&part->lock);
}
