/* buffer.c — growable byte strings. */
#include "buffer.h"

#include "arena.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buffer_grow(struct buffer *b, size_t extra)
{
    if (b->len + extra + 1 <= b->capacity)
        return;
    size_t cap = b->capacity ? b->capacity : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->capacity = cap;
}

void buffer_reserve(struct buffer *b, size_t extra)
{
    buffer_grow(b, extra);
}

void buffer_puts(struct buffer *b, const char *s)
{
    buffer_append(b, s, strlen(s));
}

void buffer_repeat(struct buffer *b, char c, size_t count)
{
    buffer_grow(b, count);
    memset(b->data + b->len, c, count);
    b->len += count;
    b->data[b->len] = '\0';
}

void buffer_printf(struct buffer *b, const char *format, ...)
{
    /* Printed straight into the room there is; a second time only when
     * it was too small. */
    bool had_data = b->data != NULL;
    buffer_grow(b, 64);
    size_t room = b->capacity - b->len;
    va_list args;
    va_start(args, format);
    int len = vsnprintf(b->data + b->len, room, format, args);
    va_end(args);
    if (len <= 0) { /* nothing added: the buffer as it was */
        if (had_data)
            b->data[b->len] = '\0';
        else
            buffer_free(b);
        return;
    }
    if ((size_t)len >= room) {
        buffer_grow(b, (size_t)len);
        va_start(args, format);
        vsnprintf(b->data + b->len, (size_t)len + 1, format, args);
        va_end(args);
    }
    b->len += (size_t)len;
}

int buffer_read_file(struct buffer *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    buffer_append(b, "", 0); /* data non-NULL and NUL-terminated from here on */
    char chunk[65536];
    size_t n;
    errno = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buffer_append(b, chunk, n);
    /* fread reports failure only through ferror; read(2) left errno. */
    int saved = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    errno = saved;
    return saved ? -1 : 0;
}

void buffer_reset(struct buffer *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void buffer_free(struct buffer *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->capacity = 0;
}
