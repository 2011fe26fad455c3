/* pdf_memory.c — owns libharu's memory: the pools of one thread's
 * documents (a bump allocator behind HPDF_NewEx's allocation functions)
 * and faster replacements for libharu's own byte loops. */
#include "pdf_memory.h"

#include "arena.h"
#include "caches.h"

#include <hpdf_utils.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A letter's document allocates about 5,000 objects (a quarter of a
 * letter's instructions went to malloc and free for them) and a few
 * hundred kilobytes in all; a block holds many. */
#define POOL_BLOCK (64u << 10)

struct pool_block {
    struct pool_block *next;
    size_t size, used;
    max_align_t data[];
};

/* The pool of this thread: documents of one thread are made and freed in
 * it (a letter's rendering does not move between threads). */
static _Thread_local struct {
    struct pool_block *head;
    unsigned depth;
} pool;

static void *pool_alloc(HPDF_UINT size)
{
    if (pool.depth == 0)
        return malloc(size);
    const size_t align = sizeof(max_align_t);
    size_t n = ((size_t)size + align - 1) / align * align;
    struct pool_block *b = pool.head;
    if (!b || b->size - b->used < n) {
        size_t cap = n > POOL_BLOCK / 4 ? n : POOL_BLOCK;
        struct pool_block *fresh = xmalloc(sizeof *fresh + cap);
        fresh->size = cap;
        fresh->used = 0;
        /* A large one goes behind the current block, which keeps its room. */
        if (b && cap != POOL_BLOCK) {
            fresh->next = b->next;
            b->next = fresh;
        } else {
            fresh->next = b;
            pool.head = fresh;
        }
        b = fresh;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

/* libharu frees what it allocated while the same pool is on. */
static void pool_free(void *p)
{
    if (pool.depth == 0)
        free(p);
}

HPDF_Doc pdf_memory_new(HPDF_Error_Handler handler, void *user)
{
    return HPDF_NewEx(handler, pool_alloc, pool_free, 0, user);
}

void pdf_memory_begin(void)
{
    /* Off with the caches (MISSIVE_NO_CACHE), so that tests/caches.sh
     * also compares the files made with and without pools. */
    if (pool.depth > 0 || caches_on())
        pool.depth++;
}

void pdf_memory_end(void)
{
    if (pool.depth == 0 || --pool.depth > 0)
        return;
    for (struct pool_block *b = pool.head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    pool.head = NULL;
}

/* libharu 2.3.0 copies, fills and measures byte by byte in loops of its
 * own (hpdf_utils.c): every byte of a saved PDF went through HPDF_MemCpy
 * twice, 0.6 M instructions a letter. Its calls to them go through the
 * PLT, so these definitions in the program take their place for libharu
 * too; they do exactly what libharu's do (each returns what libharu's
 * returns), with the C library's string functions. */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n)
        memmove(out, in, n); /* libharu's loop tolerates a downward overlap */
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n)
        memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen)
{
    if (!s)
        return 0;
    return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}
