/* value.c — constructors and look-ups for template data. */
#include "value.h"

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
    size_t cap = v->capacity ? v->capacity * 2 : 4;
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

void value_map_set(struct arena *arena, struct value *map, const char *key, struct value *item)
{
    for (size_t i = 0; i < map->count; i++) {
        if (strcmp(map->keys[i], key) == 0) {
            map->items[i] = item;
            return;
        }
    }
    value_reserve(arena, map);
    map->keys[map->count] = arena_strdup(arena, key);
    map->items[map->count++] = item;
}

struct value *value_map_get(const struct value *map, const char *key)
{
    if (!map || map->kind != VALUE_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    return NULL;
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
