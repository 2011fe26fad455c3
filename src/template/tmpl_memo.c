/* tmpl_memo.c — owns the texts the date filters printed, kept per process:
 * each letter of a campaign prints the same dates in the same few locales,
 * and ICU's formatting (a field iterator, a list formatter opened per list)
 * was a twentieth of a letter. Keyed by everything the text depends on:
 * the filter, its locale and format, and the dates as written. */
#include "tmpl_internal.h"

#include "caches.h"
#include "hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Past this many texts the memo starts afresh. */
#define LIMIT 512
#define SLOTS (2 * LIMIT)

struct memo {
    char *key; /* key_len bytes, then the text and its NUL */
    size_t key_len;
    const char *text;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo *slots; /* SLOTS of them, open addressing */
static size_t count;

static void forget_all(void)
{
    for (size_t i = 0; slots && i < SLOTS; i++)
        free(slots[i].key);
    free(slots);
    slots = NULL;
    count = 0;
}

static void register_free(void)
{
    atexit(forget_all);
}

/* The slot of key, or the empty one where it would go (lock held). */
static struct memo *slot_of(const char *key, size_t len)
{
    size_t i = (size_t)(hash_bytes(key, len) % SLOTS);
    while (slots[i].key && !(slots[i].key_len == len && memcmp(slots[i].key, key, len) == 0))
        i = (i + 1) % SLOTS;
    return &slots[i];
}

const char *tmpl_memo_find(struct arena *arena, const char *key, size_t len)
{
    if (!caches_on())
        return NULL;
    char *text = NULL;
    pthread_mutex_lock(&lock);
    const struct memo *m = slots ? slot_of(key, len) : NULL;
    if (m && m->key)
        text = arena_strdup(arena, m->text);
    pthread_mutex_unlock(&lock);
    return text;
}

void tmpl_memo_keep(const char *key, size_t len, const char *text)
{
    if (!caches_on())
        return;
    size_t text_len = strlen(text);
    pthread_mutex_lock(&lock);
    if (!slots || count >= LIMIT) {
        static pthread_once_t once = PTHREAD_ONCE_INIT;
        pthread_once(&once, register_free); /* so that leak checkers see it freed */
        forget_all();
        slots = xcalloc(SLOTS, sizeof *slots);
    }
    struct memo *m = slot_of(key, len);
    if (!m->key) {
        m->key = xmalloc(len + text_len + 1);
        memcpy(m->key, key, len);
        memcpy(m->key + len, text, text_len + 1);
        m->key_len = len;
        m->text = m->key + len;
        count++;
    }
    pthread_mutex_unlock(&lock);
}
