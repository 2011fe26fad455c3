/* people_briefs.c — each recipient's country and languages, noted once. */
#include "people_briefs.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

/* At most this many distinct values of a kind (the numbers are 16 bits). */
enum { MOST = 65535 };

/* Key's number in t, added (copied into arena) when new; -1 when t is full. */
static long intern(struct people_brief_table *t, struct arena *arena, const char *key, bool *added)
{
    *added = false;
    /* Checked before the look-up, not at growth: the table grows at 2^16
     * keys, past what a 16-bit number holds. */
    if (t->count >= MOST)
        return -1;
    if (2 * (t->count + 1) > t->size) {
        size_t size = t->size ? 2 * t->size : 64;
        uint32_t *slots = xcalloc(size, sizeof *slots);
        for (size_t k = 0; k < t->count; k++) {
            size_t i = hash_bytes(t->keys[k], strlen(t->keys[k])) & (size - 1);
            while (slots[i])
                i = (i + 1) & (size - 1);
            slots[i] = (uint32_t)k + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->size = size;
        t->keys = xrealloc(t->keys, size * sizeof *t->keys);
    }
    size_t i = hash_bytes(key, strlen(key)) & (t->size - 1);
    for (; t->slots[i]; i = (i + 1) & (t->size - 1))
        if (strcmp(t->keys[t->slots[i] - 1], key) == 0)
            return (long)t->slots[i] - 1;
    t->keys[t->count] = arena_strdup(arena, key);
    t->slots[i] = (uint32_t)++t->count;
    *added = true;
    return (long)t->count - 1;
}

/* The list's codes joined by commas (codes hold none), "-" for no list;
 * NULL when it is not a list of strings. Malloc'd. */
static char *languages_key(const struct value *languages)
{
    if (!languages)
        return strcpy(xmalloc(2), "-");
    if (languages->kind != VALUE_LIST)
        return NULL;
    size_t n = 2;
    for (size_t i = 0; i < languages->count; i++) {
        if (languages->items[i]->kind != VALUE_STRING)
            return NULL;
        n += strlen(languages->items[i]->string) + 1;
    }
    char *key = xmalloc(n), *at = key;
    *at++ = '=';
    for (size_t i = 0; i < languages->count; i++) {
        const char *code = languages->items[i]->string;
        if (strchr(code, ',')) {
            free(key);
            return NULL;
        }
        at = stpcpy(at, code);
        *at++ = ',';
    }
    *at = '\0';
    return key;
}

/* A copy of a list of codes in arena (only the codes are read of it). */
static const struct value *copy_list(struct arena *arena, const struct value *languages)
{
    if (!languages)
        return NULL;
    struct value *list = value_list(arena, languages->loc);
    for (size_t i = 0; i < languages->count; i++)
        value_list_push(arena, list,
                        value_string(arena, languages->items[i]->string, languages->items[i]->loc));
    return list;
}

void people_briefs_add(struct people_briefs *b, struct arena *arena, const char *country,
                       const struct value *languages)
{
    if (b->broken)
        return;
    bool added;
    char *key = languages_key(languages);
    long c = key ? intern(&b->countries, arena, country, &added) : -1;
    long l = c >= 0 ? intern(&b->languages, arena, key, &added) : -1;
    free(key);
    if (l < 0) {
        b->broken = true;
        return;
    }
    if (added) {
        b->lists = xrealloc(b->lists, b->languages.size * sizeof *b->lists);
        b->lists[l] = copy_list(arena, languages);
    }
    if (b->count == b->capacity) {
        b->capacity = b->capacity ? 2 * b->capacity : 256;
        b->items = xrealloc(b->items, b->capacity * sizeof *b->items);
    }
    b->items[b->count++] = (struct people_brief){(uint16_t)c, (uint16_t)l};
}

bool people_briefs_get(const struct people_briefs *b, size_t i, const char **country,
                       const struct value **languages)
{
    if (b->broken || i >= b->count)
        return false;
    *country = b->countries.keys[b->items[i].country];
    *languages = b->lists[b->items[i].languages];
    return true;
}

void people_briefs_free(struct people_briefs *b)
{
    free(b->items);
    free(b->countries.keys);
    free(b->countries.slots);
    free(b->languages.keys);
    free(b->languages.slots);
    free(b->lists);
    *b = (struct people_briefs){0};
}
