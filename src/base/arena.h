/* arena.h — owns memory: an arena per letter (everything allocated in it is
 * freed at once by arena_free) and the aborting allocators used elsewhere.
 * Allocation failure aborts the process; it is never a user error. */
#ifndef MISSIVE_ARENA_H
#define MISSIVE_ARENA_H

#include <stddef.h>

struct arena;

/* A new, empty arena. Free it with arena_free. */
struct arena *arena_new(void);
/* Frees the arena and every block allocated from it. NULL is allowed. */
void arena_free(struct arena *arena);

/* size bytes of zeroed memory, aligned for any type, owned by the arena. */
void *arena_alloc(struct arena *arena, size_t size);
/* arena_alloc without the zeroing, for arrays the caller fills before
 * reading (glyphs, copied text): zeroing them was 3% of a letter. */
void *arena_alloc_raw(struct arena *arena, size_t size);
/* size bytes, not zeroed nor aligned, for text the caller fills. */
char *arena_alloc_chars(struct arena *arena, size_t size);
/* Room for one more item in an arena array of count items of size bytes:
 * items itself, or a copy twice as large (*capacity updated). The old
 * block stays in the arena until it is freed. */
void *arena_grow(struct arena *arena, void *items, size_t count, size_t *capacity, size_t size);
/* Copies of strings, owned by the arena. NULL in gives NULL out. */
char *arena_strdup(struct arena *arena, const char *s);
char *arena_strndup(struct arena *arena, const char *s, size_t len);
/* printf into arena memory. */
char *arena_printf(struct arena *arena, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Makes the whole pages of [p, p + len) present and writable in one system
 * call, for memory the caller is about to fill whole (a file read into
 * it): the kernel then allocates them in one pass instead of one page
 * fault each (about half a fault's cost per page on this VM; issue 17,
 * sixth round). Only ranges of 16 pages or more are worth the call; a
 * kernel without MADV_POPULATE_WRITE (before Linux 5.14) ignores it. */
void arena_prefault(void *p, size_t len);

/* malloc/realloc/strdup that abort on failure; the caller frees. */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

#endif
