/* people_spans.c — people read again from their file, checked against what
 * loading read. */
#include "people_spans.h"

#include "hash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void people_spans_add(struct people_spans *s, struct people_span span)
{
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? 2 * s->capacity : 256;
        s->items = xrealloc(s->items, s->capacity * sizeof *s->items);
    }
    s->items[s->count++] = span;
}

void people_spans_seal(struct people_spans *s, const char *text)
{
    if (!s->count)
        return;
    s->items = xrealloc(s->items, s->count * sizeof *s->items);
    s->capacity = s->count;
    s->hashes = xrealloc(s->hashes, s->count * sizeof *s->hashes);
    for (size_t i = 0; i < s->count; i++) {
        const struct people_span *span = &s->items[i];
        s->hashes[i] = span->end ? hash_bytes(text + span->start, span->end - span->start) : 0;
    }
}

/* len bytes at offset, unless the file is shorter or cannot be read. */
static bool read_at(int fd, char *to, size_t len, size_t offset)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, to + got, len - got, (off_t)(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = 0; /* the file ends sooner */
        if (n <= 0)
            return false;
        got += (size_t)n;
    }
    return true;
}

char *people_spans_read(const struct people_spans *s, size_t i, struct arena *arena, size_t *len,
                        struct errors *errors)
{
    const struct people_span *span = &s->items[i];
    size_t n = span->end - span->start;
    char *text = arena_alloc_raw(arena, n + 1);
    if (s->fd < 0 || !read_at(s->fd, text, n, span->start)) {
        errors_add_at(errors, s->path, span->line, 1,
                      "cannot read the file again: %s (it changed while missive was running?)",
                      s->fd < 0 || errno == 0 ? "it is shorter than when it was loaded"
                                              : strerror(errno));
        return NULL;
    }
    if (hash_bytes(text, n) != s->hashes[i]) {
        errors_add_at(errors, s->path, span->line, 1,
                      "the file changed while missive was running (this section is no longer "
                      "what was loaded): run the command again");
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

void people_spans_free(struct people_spans *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    free(s->items);
    free(s->hashes);
    s->items = NULL;
    s->hashes = NULL;
    s->count = s->capacity = 0;
}
