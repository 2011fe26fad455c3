/* kept.c — values kept for the whole process under byte keys, a part per
 * thread. */
#include "kept.h"

#include "arena.h"
#include "caches.h"
#include "hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct kept_entry {
    struct kept_entry *next; /* in its bucket */
    const unsigned char *key;
    size_t key_len;
    const unsigned char *value;
    size_t len;
};

/* Every store that kept something, freed at exit so that leak checkers see
 * every block freed. */
static struct kept *stores[16];
static _Atomic size_t store_count;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;

static void free_stores(void)
{
    for (size_t s = 0; s < store_count; s++)
        for (size_t i = 0; i < KEPT_PARTS; i++) {
            arena_free(stores[s]->parts[i].arena);
            stores[s]->parts[i].arena = NULL;
        }
}

static void register_store(struct kept *k)
{
    pthread_mutex_lock(&stores_lock);
    size_t n = store_count;
    bool known = false;
    for (size_t s = 0; s < n && !known; s++)
        known = stores[s] == k;
    if (!known && n < sizeof stores / sizeof stores[0]) {
        if (n == 0)
            atexit(free_stores);
        stores[n] = k;
        store_count = n + 1;
    }
    pthread_mutex_unlock(&stores_lock);
}

static struct kept_part *this_part(struct kept *k)
{
    return &k->parts[caches_turn() % KEPT_PARTS];
}

static size_t bucket_of(const void *key, size_t key_len)
{
    return (size_t)(hash_bytes(key, key_len) % KEPT_BUCKETS);
}

bool kept_find(struct kept *k, const void *key, size_t key_len,
               void (*use)(void *context, const void *value, size_t len), void *context)
{
    struct kept_part *part = this_part(k);
    size_t b = bucket_of(key, key_len);
    pthread_mutex_lock(&part->lock);
    const struct kept_entry *e = part->arena ? part->buckets[b] : NULL;
    while (e && (e->key_len != key_len || memcmp(e->key, key, key_len) != 0))
        e = e->next;
    if (e)
        use(context, e->value, e->len);
    pthread_mutex_unlock(&part->lock);
    return e != NULL;
}

static size_t round16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

void kept_keep(struct kept *k, const void *key, size_t key_len, const struct kept_piece *pieces,
               size_t count)
{
    size_t len = 0;
    for (size_t i = 0; i < count; i++)
        len = round16(len) + pieces[i].len;
    struct kept_part *part = this_part(k);
    size_t bytes = sizeof(struct kept_entry) + key_len + len;
    pthread_mutex_lock(&part->lock);
    if (!part->arena || part->count >= k->limit || part->bytes + bytes > k->limit_bytes) {
        if (!part->arena)
            register_store(k);
        arena_free(part->arena);
        part->arena = arena_new();
        memset(part->buckets, 0, sizeof part->buckets);
        part->count = part->bytes = 0;
    }
    struct kept_entry *e = arena_alloc(part->arena, sizeof *e);
    unsigned char *copy = arena_alloc_raw(part->arena, key_len ? key_len : 1);
    memcpy(copy, key, key_len);
    /* arena_alloc gives memory aligned for any type; pieces keep 16 from it. */
    unsigned char *value = arena_alloc_raw(part->arena, round16(len) ? round16(len) : 16);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        at = round16(at);
        memcpy(value + at, pieces[i].data, pieces[i].len);
        at += pieces[i].len;
    }
    *e = (struct kept_entry){.key = copy, .key_len = key_len, .value = value, .len = len};
    size_t b = bucket_of(key, key_len);
    e->next = part->buckets[b];
    part->buckets[b] = e;
    part->count++;
    part->bytes += bytes;
    pthread_mutex_unlock(&part->lock);
}
