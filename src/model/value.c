/* value.c — constructors and look-ups for template data. */
#include "value.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static struct value *value_new(struct arena *arena, enum value_kind kind, struct source_loc loc)
{
    struct value *v = arena_alloc(arena, sizeof *v);
    v->kind = kind;
    v->loc = loc;
    return v;
}

struct value *value_string(struct arena *arena, const char *s, struct source_loc loc)
{
    struct value *v = value_new(arena, VALUE_STRING, loc);
    v->string = arena_strdup(arena, s ? s : "");
    return v;
}

struct value *value_string_kept(struct arena *arena, const char *s, struct source_loc loc)
{
    struct value *v = value_new(arena, VALUE_STRING, loc);
    v->string = s ? s : "";
    return v;
}

struct value *value_list(struct arena *arena, struct source_loc loc)
{
    return value_new(arena, VALUE_LIST, loc);
}

struct value *value_map(struct arena *arena, struct source_loc loc)
{
    return value_new(arena, VALUE_MAP, loc);
}

struct value *value_markup(struct arena *arena, const struct tmpl_node *markup,
                           struct source_loc loc)
{
    struct value *v = value_new(arena, VALUE_MARKUP, loc);
    v->markup = markup;
    return v;
}

/* Maps this small are searched in order: cheaper than hashing, and a
 * person's dozen fields need no index. */
enum { INDEX_FROM = 16 };

/* What a list or map holds besides its items, just before them: its room
 * and, once a map has more than a few keys, its hash index (slot -> item
 * index + 1, 0: empty), so look-ups stay constant-time with 100,000
 * recipients. Strings, the most common values, need none of it. */
struct room {
    unsigned capacity;
    unsigned index_size : 31;
    unsigned shared_keys : 1; /* keys is another map's too: copied before a key is added */
    unsigned *index;
    struct value *items[];
};

static struct room *room_of(const struct value *v)
{
    return v->items ? (struct room *)((char *)v->items - offsetof(struct room, items)) : NULL;
}

static unsigned capacity_of(const struct value *v)
{
    const struct room *r = room_of(v);
    return r ? r->capacity : 0;
}

/* Moves v's items (and keys) into room for cap. */
static void regrow(struct arena *arena, struct value *v, size_t cap)
{
    if (cap > UINT_MAX / 2)
        abort(); /* four billion items: no workspace or petition is this big */
    struct room *old = room_of(v);
    struct room *r = arena_alloc(arena, sizeof *r + cap * sizeof *r->items);
    r->capacity = (unsigned)cap;
    if (old) {
        r->index_size = old->index_size;
        r->index = old->index;
    }
    if (v->count)
        memcpy(r->items, v->items, v->count * sizeof *r->items);
    v->items = r->items;
    /* The keys are copied below: this map's own from now on. */
    if (v->kind == VALUE_MAP) {
        const char **keys = arena_alloc(arena, cap * sizeof *keys);
        if (v->count)
            memcpy(keys, v->keys, v->count * sizeof *keys);
        v->keys = keys;
    }
}

static void make_room(struct arena *arena, struct value *v)
{
    unsigned cap = capacity_of(v);
    if (v->count < cap)
        return;
    regrow(arena, v, cap ? 2 * (size_t)cap : 4);
}

static void index_build(struct arena *arena, struct value *map, unsigned size);

void value_reserve(struct arena *arena, struct value *v, size_t n)
{
    if (n > capacity_of(v))
        regrow(arena, v, n);
    /* A map reserved this big gets its index at the final size at once. */
    struct room *r = room_of(v);
    unsigned size = 4 * INDEX_FROM;
    while (size < 2 * (n + 1))
        size *= 2;
    if (v->kind == VALUE_MAP && n >= INDEX_FROM && size > r->index_size)
        index_build(arena, v, size);
}

void value_list_push(struct arena *arena, struct value *list, struct value *item)
{
    make_room(arena, list);
    list->items[list->count++] = item;
}

static size_t key_hash(const char *key)
{
    size_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The slot of key in the index: where it is, or the empty slot where it
 * would go. */
static size_t index_slot(const struct value *map, const struct room *r, const char *key)
{
    size_t mask = r->index_size - 1, i = key_hash(key) & mask;
    while (r->index[i] && strcmp(map->keys[r->index[i] - 1], key) != 0)
        i = (i + 1) & mask;
    return i;
}

static void index_build(struct arena *arena, struct value *map, unsigned size)
{
    struct room *r = room_of(map);
    r->index = arena_alloc(arena, size * sizeof *r->index);
    r->index_size = size;
    for (size_t k = 0; k < map->count; k++)
        r->index[index_slot(map, r, map->keys[k])] = (unsigned)k + 1;
}

/* Rebuilds the index at twice the size when it is half full. */
static void index_grow(struct arena *arena, struct value *map)
{
    struct room *r = room_of(map);
    if (map->count < INDEX_FROM || (r->index && 2 * (map->count + 1) <= r->index_size))
        return;
    unsigned size = r->index_size ? r->index_size * 2 : 4 * INDEX_FROM;
    while (2 * (map->count + 1) > size)
        size *= 2;
    index_build(arena, map, size);
}

static long find(const struct value *map, const char *key)
{
    const struct room *r = room_of(map);
    if (r && r->index) {
        unsigned at = r->index[index_slot(map, r, key)];
        return at ? (long)at - 1 : -1;
    }
    for (size_t i = 0; i < map->count; i++)
        if (map->keys[i] == key || strcmp(map->keys[i], key) == 0)
            return (long)i;
    return -1;
}

static void map_set(struct arena *arena, struct value *map, const char *key, bool copy,
                    struct value *item)
{
    long at = find(map, key);
    if (at >= 0) {
        map->items[at] = item;
        return;
    }
    make_room(arena, map);
    struct room *r = room_of(map);
    if (r->shared_keys) {
        const char **keys = arena_alloc(arena, r->capacity * sizeof *keys);
        memcpy(keys, map->keys, map->count * sizeof *keys);
        map->keys = keys;
        r->shared_keys = 0;
    }
    index_grow(arena, map);
    map->keys[map->count] = copy ? arena_strdup(arena, key) : key;
    map->items[map->count++] = item;
    r = room_of(map);
    if (r->index)
        r->index[index_slot(map, r, key)] = (unsigned)map->count;
}

void value_map_set(struct arena *arena, struct value *map, const char *key, struct value *item)
{
    map_set(arena, map, key, true, item);
}

void value_map_set_kept(struct arena *arena, struct value *map, const char *key, struct value *item)
{
    map_set(arena, map, key, false, item);
}

bool value_map_share_keys(struct value *map, struct value *like)
{
    if (!like || like == map || map->kind != VALUE_MAP || like->kind != VALUE_MAP ||
        map->count != like->count || !map->count)
        return false;
    for (size_t i = 0; i < map->count; i++)
        if (map->keys[i] != like->keys[i] && strcmp(map->keys[i], like->keys[i]) != 0)
            return false;
    map->keys = like->keys;
    room_of(map)->shared_keys = room_of(like)->shared_keys = 1;
    return true;
}

struct value *value_map_pack(struct arena *arena, const struct value *map, struct value *like)
{
    struct value *v = value_new(arena, VALUE_MAP, map->loc);
    if (!map->count)
        return v;
    struct room *r = arena_alloc(arena, sizeof *r + map->count * sizeof *r->items);
    r->capacity = map->count;
    memcpy(r->items, map->items, map->count * sizeof *r->items);
    v->items = r->items;
    v->count = map->count;
    v->keys = map->keys; /* compared, then shared or copied */
    if (!value_map_share_keys(v, like)) {
        const char **keys = arena_alloc(arena, map->count * sizeof *keys);
        memcpy(keys, map->keys, map->count * sizeof *keys);
        v->keys = keys;
        r->shared_keys = 0;
    }
    if (v->count >= INDEX_FROM) {
        unsigned size = 4 * INDEX_FROM;
        while (size < 2 * (v->count + 1))
            size *= 2;
        index_build(arena, v, size);
    }
    return v;
}

long value_map_find(const struct value *map, const char *key)
{
    return map && map->kind == VALUE_MAP ? find(map, key) : -1;
}

struct value *value_map_get(const struct value *map, const char *key)
{
    if (!map || map->kind != VALUE_MAP)
        return NULL;
    long at = find(map, key);
    return at >= 0 ? map->items[at] : NULL;
}

bool value_truthy(const struct value *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case VALUE_STRING:
        return v->string[0] != '\0';
    case VALUE_LIST:
    case VALUE_MAP:
        return v->count > 0;
    case VALUE_MARKUP:
        return v->markup != NULL;
    }
    return false;
}

const char *value_kind_name(enum value_kind kind)
{
    switch (kind) {
    case VALUE_STRING:
        return "string";
    case VALUE_LIST:
        return "list";
    case VALUE_MAP:
        return "map";
    case VALUE_MARKUP:
        return "markup";
    }
    return "value";
}
