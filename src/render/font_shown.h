/* font_shown.h — owns the text operators written once per process for a
 * line set once per process (font_shaped.kept): another letter drawing the
 * same glyphs at the same place and size with the same font subsets takes
 * the bytes written then (font_pdf.c's font_embed_show). */
#ifndef MISSIVE_FONT_SHOWN_H
#define MISSIVE_FONT_SHOWN_H

#include "buffer.h"

#include <stdbool.h>
#include <stdint.h>

/* What font_embed_show's bytes depend on: the glyphs (a kept line's
 * value), the document's subsets (font_set_subsets_id), the origin and
 * the size. Neither number is ever 0. */
struct font_shown_key {
    uint64_t kept, subsets;
    double x, y, size;
};

/* Appends the bytes kept for key to content; false when none are kept
 * (or caches are off). */
bool font_shown_find(const struct font_shown_key *key, struct buffer *content);
/* Keeps the len bytes at bytes, written for key. */
void font_shown_keep(const struct font_shown_key *key, const char *bytes, size_t len);

#endif
