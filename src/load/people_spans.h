/* people_spans.h — owns where each person of a people file is in it, kept
 * instead of the file's text: a person is read again from the very file
 * loading read (pread on the descriptor it read through) and checked
 * against a hash of the bytes loading saw, so that a file changed while a
 * run goes on is an error at the person's line, never another person's
 * text. 20 bytes a person, where recipients.ini's text was 180. */
#ifndef MISSIVE_PEOPLE_SPANS_H
#define MISSIVE_PEOPLE_SPANS_H

#include "arena.h"
#include "error.h"

#include <stddef.h>
#include <stdint.h>

/* One person's bytes of the file, its header line first; end 0 when the
 * person is not read from the file (a CSV source's, whose map is kept). */
struct people_span {
    uint32_t start, end;
    int line;
};

struct people_spans {
    const char *path; /* the file, for locations */
    int fd;           /* open from loading until people_spans_free; -1: none */
    struct people_span *items;
    uint64_t *hashes; /* of each span's bytes, made by people_spans_seal */
    size_t count, capacity;
};

/* Appends a span (end 0: none). */
void people_spans_add(struct people_spans *s, struct people_span span);
/* Once the file is loaded: hashes every span of text (the file's bytes
 * as loading read them) and trims the arrays to their count. */
void people_spans_seal(struct people_spans *s, const char *text);
/* Span i's bytes read again into arena (NUL-terminated, length in *len);
 * NULL plus an error at the person's line when the file no longer holds
 * them. Safe from several threads at once. */
char *people_spans_read(const struct people_spans *s, size_t i, struct arena *arena, size_t *len,
                        struct errors *errors);
/* Closes the file and frees the arrays. */
void people_spans_free(struct people_spans *s);

#endif
