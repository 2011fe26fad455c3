/* font_shown.c — the text operators of kept lines, kept per process. A
 * campaign's letters draw most of their lines at the same places with the
 * same subsets: the operators of a line are written once, not glyph by
 * glyph for every letter. */
#include "font_shown.h"

#include "arena.h"
#include "caches.h"
#include "hash.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Past LIMIT lines or LIMIT_BYTES a part starts afresh: a two-page letter's
 * operators are about 25 KB. */
#define LIMIT 4096
#define LIMIT_BYTES (2u << 20)
#define BUCKETS 4096
/* As the layout cache: a part per thread (in turn), each with its lock. */
#define PARTS 4

struct shown {
    struct shown *next; /* in its bucket */
    struct font_shown_key key;
    char *bytes;
    size_t len;
};

static struct part {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until the first line kept */
    struct shown *buckets[BUCKETS];
    size_t count, bytes;
    char apart[64]; /* what two threads write is a cache line apart */
} parts[PARTS] = {{.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER},
                  {.lock = PTHREAD_MUTEX_INITIALIZER}};
_Static_assert(PARTS == 4, "one initializer per part");
_Static_assert(sizeof(struct font_shown_key) == 40, "keys compared as bytes have no padding");

static void free_shown(void)
{
    for (size_t i = 0; i < PARTS; i++) {
        arena_free(parts[i].arena);
        parts[i].arena = NULL;
    }
}

static void register_free(void)
{
    atexit(free_shown);
}

static struct part *this_part(void)
{
    static _Atomic unsigned turns;
    static _Thread_local unsigned mine; /* index + 1; 0 before the first */
    if (!mine)
        mine = atomic_fetch_add(&turns, 1) % PARTS + 1;
    return &parts[mine - 1];
}

static size_t bucket_of(const struct font_shown_key *key)
{
    return (size_t)(hash_bytes(key, sizeof *key) % BUCKETS);
}

bool font_shown_find(const struct font_shown_key *key, struct buffer *content)
{
    if (!key->kept || !key->subsets || !caches_on())
        return false;
    struct part *part = this_part();
    size_t b = bucket_of(key);
    pthread_mutex_lock(&part->lock);
    const struct shown *s = part->arena ? part->buckets[b] : NULL;
    while (s && memcmp(&s->key, key, sizeof *key) != 0)
        s = s->next;
    if (s)
        buffer_append(content, s->bytes, s->len);
    pthread_mutex_unlock(&part->lock);
    return s != NULL;
}

void font_shown_keep(const struct font_shown_key *key, const char *bytes, size_t len)
{
    if (!key->kept || !key->subsets || !caches_on())
        return;
    struct part *part = this_part();
    size_t size = sizeof(struct shown) + len;
    pthread_mutex_lock(&part->lock);
    if (!part->arena || part->count >= LIMIT || part->bytes + size > LIMIT_BYTES) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, register_free); /* so that leak checkers see every block freed */
        arena_free(part->arena);
        part->arena = arena_new();
        memset(part->buckets, 0, sizeof part->buckets);
        part->count = part->bytes = 0;
    }
    struct shown *s = arena_alloc(part->arena, sizeof *s);
    s->key = *key;
    s->bytes = arena_alloc_raw(part->arena, len ? len : 1);
    memcpy(s->bytes, bytes, len);
    s->len = len;
    size_t b = bucket_of(key);
    s->next = part->buckets[b];
    part->buckets[b] = s;
    part->count++;
    part->bytes += size;
    pthread_mutex_unlock(&part->lock);
}
