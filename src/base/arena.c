/* arena.c — bump allocator in chained blocks, plus aborting malloc wrappers. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { ARENA_BLOCK = 64 * 1024 };

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
};

struct arena {
    struct arena_block *head;
};

static void out_of_memory(void)
{
    fputs("missive: out of memory\n", stderr);
    abort();
}

void arena_prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
    enum { WORTH = 16 };
    static size_t page;
    if (!page)
        page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t to = ((uintptr_t)p + len) & ~(uintptr_t)(page - 1);
    if (to > from && to - from >= WORTH * page)
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)len;
#endif
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

char *xstrdup(const char *s)
{
    size_t len = strlen(s);
    char *copy = xmalloc(len + 1);
    memcpy(copy, s, len + 1);
    return copy;
}

struct arena *arena_new(void)
{
    return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *arena)
{
    if (!arena)
        return;
    struct arena_block *block = arena->head;
    while (block) {
        struct arena_block *next = block->next;
        free(block);
        block = next;
    }
    free(arena);
}

/* size bytes at the given alignment (a power of two). */
static void *take(struct arena *arena, size_t size, size_t align)
{
    struct arena_block *block = arena->head;
    size_t at = block ? (block->used + align - 1) & ~(align - 1) : 0;
    if (!block || at > block->size || block->size - at < size) {
        /* Large requests get a block of their own, placed behind the current
         * one so the current block's free space is not wasted. */
        size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        struct arena_block *fresh = xmalloc(sizeof *fresh + cap);
        fresh->used = 0;
        fresh->size = cap;
        if (block && cap != ARENA_BLOCK) {
            fresh->next = block->next;
            block->next = fresh;
            fresh->used = cap;
            return fresh->data;
        }
        fresh->next = block;
        arena->head = fresh;
        block = fresh;
        at = 0;
    }
    void *p = (char *)block->data + at;
    block->used = at + size;
    return p;
}

void *arena_alloc(struct arena *arena, size_t size)
{
    /* The alignment of any type (16 bytes here), not sizeof(max_align_t)
     * (32), which rounded every 48-byte value up to 64. */
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) / align * align;
    void *p = take(arena, size, align);
    memset(p, 0, size);
    return p;
}

void *arena_alloc_raw(struct arena *arena, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size = (size + align - 1) / align * align;
    return take(arena, size, align);
}

char *arena_alloc_chars(struct arena *arena, size_t size)
{
    return take(arena, size, 1);
}

void *arena_grow(struct arena *arena, void *items, size_t count, size_t *capacity, size_t size)
{
    if (count < *capacity)
        return items;
    size_t cap = *capacity ? *capacity * 2 : 8;
    void *bigger = arena_alloc(arena, cap * size);
    if (count)
        memcpy(bigger, items, count * size);
    *capacity = cap;
    return bigger;
}

char *arena_strndup(struct arena *arena, const char *s, size_t len)
{
    if (!s)
        return NULL;
    /* Strings need no alignment: packed, 100,000 people's short fields
     * take their own size, not 16 bytes each at least. */
    char *copy = take(arena, len + 1, 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *arena_strdup(struct arena *arena, const char *s)
{
    return s ? arena_strndup(arena, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *arena, const char *format, ...)
{
    /* Formatted once into a local buffer, most messages being short; only
     * a longer one is formatted again at its measured length. */
    char local[256];
    va_list args;
    va_start(args, format);
    int len = vsnprintf(local, sizeof local, format, args);
    va_end(args);
    if (len < 0)
        out_of_memory();
    char *s = arena_alloc(arena, (size_t)len + 1);
    if ((size_t)len < sizeof local) {
        memcpy(s, local, (size_t)len + 1);
        return s;
    }
    va_start(args, format);
    vsnprintf(s, (size_t)len + 1, format, args);
    va_end(args);
    return s;
}
