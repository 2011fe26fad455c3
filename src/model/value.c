/* value.c — constructors and look-ups for template data. */
#include "value.h"

#include <stdbool.h>
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

static void value_reserve(struct arena *arena, struct value *v)
{
    if (v->count < v->capacity)
        return;
    unsigned cap = v->capacity ? v->capacity * 2 : 4;
    struct value **items = arena_alloc(arena, cap * sizeof *items);
    if (v->count)
        memcpy(items, v->items, v->count * sizeof *items);
    v->items = items;
    if (v->kind == VALUE_MAP) {
        const char **keys = arena_alloc(arena, cap * sizeof *keys);
        if (v->count)
            memcpy(keys, v->keys, v->count * sizeof *keys);
        v->keys = keys;
    }
    v->capacity = cap;
}

void value_list_push(struct arena *arena, struct value *list, struct value *item)
{
    value_reserve(arena, list);
    list->items[list->count++] = item;
}

/* Maps this small are searched in order: cheaper than hashing. */
enum { INDEX_FROM = 8 };

static size_t key_hash(const char *key)
{
    size_t h = 1469598103934665603u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

/* The slot of key in map's index: where it is, or the empty slot where it
 * would go. */
static size_t index_slot(const struct value *map, const char *key)
{
    size_t mask = map->index_size - 1, i = key_hash(key) & mask;
    while (map->index[i] && strcmp(map->keys[map->index[i] - 1], key) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Rebuilds the index at twice the size when it is half full. */
static void index_grow(struct arena *arena, struct value *map)
{
    if (map->count < INDEX_FROM || (map->index && 2 * (map->count + 1) <= map->index_size))
        return;
    unsigned size = map->index_size ? map->index_size * 2 : 4 * INDEX_FROM;
    while (2 * (map->count + 1) > size)
        size *= 2;
    map->index = arena_alloc(arena, size * sizeof *map->index);
    memset(map->index, 0, size * sizeof *map->index);
    map->index_size = size;
    for (size_t k = 0; k < map->count; k++)
        map->index[index_slot(map, map->keys[k])] = (unsigned)k + 1;
}

static long find(const struct value *map, const char *key)
{
    if (map->index) {
        unsigned at = map->index[index_slot(map, key)];
        return at ? (long)at - 1 : -1;
    }
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i], key) == 0)
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
    value_reserve(arena, map);
    index_grow(arena, map);
    map->keys[map->count] = copy ? arena_strdup(arena, key) : key;
    map->items[map->count++] = item;
    if (map->index)
        map->index[index_slot(map, key)] = (unsigned)map->count;
}

void value_map_set(struct arena *arena, struct value *map, const char *key, struct value *item)
{
    map_set(arena, map, key, true, item);
}

void value_map_set_kept(struct arena *arena, struct value *map, const char *key, struct value *item)
{
    map_set(arena, map, key, false, item);
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
