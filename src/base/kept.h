/* kept.h — owns values kept for the whole process under byte keys (a
 * campaign's letters share most of their lines): a part per thread (in
 * turn), each with its lock and bounds, starting afresh past them. The
 * caller checks caches_on(). */
#ifndef MISSIVE_KEPT_H
#define MISSIVE_KEPT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define KEPT_PARTS 4
#define KEPT_BUCKETS 4096

struct kept_entry;

struct kept_part {
    pthread_mutex_t lock;
    struct arena *arena; /* NULL until the first value kept */
    struct kept_entry *buckets[KEPT_BUCKETS];
    size_t count, bytes;
    char apart[64]; /* what two threads write is a cache line apart */
};

struct kept {
    size_t limit, limit_bytes; /* a part's bounds: values and bytes */
    struct kept_part parts[KEPT_PARTS];
};

/* A kept store of at most limit values and limit_bytes a part. */
#define KEPT_INIT(limit, limit_bytes)                                                              \
    {                                                                                              \
        (limit), (limit_bytes),                                                                    \
        {                                                                                          \
            {.lock = PTHREAD_MUTEX_INITIALIZER}, {.lock = PTHREAD_MUTEX_INITIALIZER},              \
                {.lock = PTHREAD_MUTEX_INITIALIZER},                                               \
            {                                                                                      \
                .lock = PTHREAD_MUTEX_INITIALIZER                                                  \
            }                                                                                      \
        }                                                                                          \
    }

/* One piece of a value: len bytes at data. */
struct kept_piece {
    const void *data;
    size_t len;
};

/* Calls use(context, value, len) with the value kept under key, while this
 * thread's part holds it (value is aligned for any type); false when none. */
bool kept_find(struct kept *k, const void *key, size_t key_len,
               void (*use)(void *context, const void *value, size_t len), void *context);

/* Keeps the pieces, one after the other, as the value under key; each piece
 * starts at a multiple of 16 bytes from the value's start. */
void kept_keep(struct kept *k, const void *key, size_t key_len, const struct kept_piece *pieces,
               size_t count);

#endif
