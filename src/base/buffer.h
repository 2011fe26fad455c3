/* buffer.h — owns growable byte strings, the common currency of renderers
 * (a rendered PDF or text is a buffer until it is written out). */
#ifndef MISSIVE_BUFFER_H
#define MISSIVE_BUFFER_H

#include <stddef.h>
#include <string.h>

/* Zero-initialise ({0}); data is NUL-terminated once anything is added.
 * The buffer owns data; buffer_free releases it. */
struct buffer {
    char *data;
    size_t len, capacity;
};

/* Makes room for extra more bytes after data + len (and the NUL after
 * them), for a writer that fills them itself and then adds what it wrote
 * to len. */
void buffer_reserve(struct buffer *b, size_t extra);
/* Inline: a PDF is written in thousands of small pieces (libharu's writer,
 * numbers, operators), and the call cost more than the copy. */
static inline void buffer_append(struct buffer *b, const char *data, size_t len)
{
    if (b->len + len + 1 > b->capacity)
        buffer_reserve(b, len);
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}
void buffer_puts(struct buffer *b, const char *s);
/* Inline: content streams are written a character at a time. */
static inline void buffer_putc(struct buffer *b, char c)
{
    if (b->len + 2 > b->capacity)
        buffer_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void buffer_printf(struct buffer *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Appends count copies of c. */
void buffer_repeat(struct buffer *b, char c, size_t count);
/* Appends the whole file at path. Returns 0 (data then non-NULL, even for
 * an empty file), or -1 with errno set when it cannot be opened or read. */
int buffer_read_file(struct buffer *b, const char *path);
/* Empties the buffer, keeping its memory. */
void buffer_reset(struct buffer *b);
void buffer_free(struct buffer *b);

#endif
