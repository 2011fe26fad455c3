/* layout.h — owns line filling: the one engine both backends use to break a
 * paragraph's runs into lines. Break opportunities come from ICU's line
 * break rules (UAX #14), so no-break spaces, dashes and every script behave
 * as readers expect. Only the measure differs: columns for text, font
 * advances in points for PDF. */
#ifndef MISSIVE_LAYOUT_H
#define MISSIVE_LAYOUT_H

#include "arena.h"
#include "doc.h"

#include <stdbool.h>
#include <stddef.h>

/* Advance width of text in style, in the caller's unit. */
typedef double (*layout_measure_fn)(void *context, const char *text, size_t len, unsigned style);

/* An unbreakable stretch of one style on a line. */
struct layout_piece {
    const char *text; /* points into the runs' text; no trailing spaces */
    size_t len;
    unsigned style;
    struct source_loc loc;
    double width;       /* advance of text */
    double space_after; /* width of the space that follows on this line, 0 if none */
    double x;           /* offset from the line start at natural spacing */
};

struct layout_line {
    struct layout_piece *pieces;
    size_t count;
    double width; /* natural width, trailing space excluded */
    size_t gaps;  /* pieces with space_after > 0: where justification stretches */
    bool last;    /* last line of the paragraph, or ended by a forced break:
                     never justified */
};

struct layout_lines {
    struct layout_line *lines;
    size_t count;
};

/* Breaks runs into lines at most width wide (a single word wider than width
 * gets a line of its own). language selects locale-specific break rules.
 * Lines and pieces are allocated in arena. */
void layout_paragraph(struct arena *arena, const struct doc_run *runs, size_t count, double width,
                      layout_measure_fn measure, void *context, const char *language,
                      struct layout_lines *out);

#endif
