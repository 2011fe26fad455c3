/* value.h — owns the data model templates read: strings, lists and maps,
 * each remembering where it was loaded from, plus markup (letter text with
 * inline elements, compiled to template code at load time).
 * Ownership: every value and string lives in the arena it was made in;
 * nothing points into libxml2 or iniparser memory. */
#ifndef MISSIVE_VALUE_H
#define MISSIVE_VALUE_H

#include "arena.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct tmpl_node; /* compiled markup, see tmpl.h */

enum value_kind {
    VALUE_STRING, /* text; substituted as text, never parsed as template code */
    VALUE_LIST,   /* items[0..count) */
    VALUE_MAP,    /* keys[i] -> items[i], in insertion order */
    VALUE_MARKUP, /* letter text with inline markup: evaluated where substituted */
};

struct value {
    enum value_kind kind;
    unsigned count;        /* a list's or map's items */
    struct source_loc loc; /* where the value was defined */
    union {
        const char *string;             /* VALUE_STRING */
        const struct tmpl_node *markup; /* VALUE_MARKUP */
    };
    const char **keys;    /* VALUE_MAP */
    struct value **items; /* VALUE_LIST and VALUE_MAP, items[0..count) */
    /* A value is made for every field of every person, so it holds no
     * more than this (48 bytes): a list's or map's room and a map's hash
     * index live in a header before its items (value.c). */
};

struct value *value_string(struct arena *arena, const char *s, struct source_loc loc);
struct value *value_list(struct arena *arena, struct source_loc loc);
struct value *value_map(struct arena *arena, struct source_loc loc);
struct value *value_markup(struct arena *arena, const struct tmpl_node *markup,
                           struct source_loc loc);

/* value_string and value_map_set for strings that live as long as the value
 * already (in the same arena): kept, not copied. Loading 100,000 people
 * copies each string once, not three times. */
struct value *value_string_kept(struct arena *arena, const char *s, struct source_loc loc);
void value_map_set_kept(struct arena *arena, struct value *map, const char *key,
                        struct value *item);

/* Room for n items in all in a list or map, so that one filled to a known
 * size takes exactly that (100,000 people each have a map). */
void value_reserve(struct arena *arena, struct value *v, size_t n);
/* Appends item to a list. */
void value_list_push(struct arena *arena, struct value *list, struct value *item);
/* Sets key in a map, replacing an earlier value of the same key. key is copied. */
void value_map_set(struct arena *arena, struct value *map, const char *key, struct value *item);
/* Makes map use like's array of keys when both have the same keys in the
 * same order (100,000 recipients share one); a key added to either later
 * copies the array first. True when they share it. */
bool value_map_share_keys(struct value *map, struct value *like);
/* A copy of map in arena taking exactly its room, its items the same
 * values; its keys are like's when the same (value_map_share_keys). A
 * map built in scratch memory is packed so. */
struct value *value_map_pack(struct arena *arena, const struct value *map, struct value *like);
/* The value of key in map, or NULL (also when map is not a map). */
struct value *value_map_get(const struct value *map, const char *key);
/* Where key is in map (keys[i]), or -1. */
long value_map_find(const struct value *map, const char *key);
/* Empty strings, lists and maps are false; everything else is true. */
bool value_truthy(const struct value *value);
/* "string", "list", "map" or "markup", for messages. */
const char *value_kind_name(enum value_kind kind);

#endif
