/* layout_internal.h — what layout.c (finding items) and layout_kp.c
 * (choosing breaks) share: the unbreakable items of one stretch of text. */
#ifndef MISSIVE_LAYOUT_INTERNAL_H
#define MISSIVE_LAYOUT_INTERNAL_H

#include "layout.h"

#include <stddef.h>

/* What ends an item, so what breaking after it costs. */
enum layout_break {
    BREAK_SPACE,  /* a space: breaking drops it */
    BREAK_PLAIN,  /* no space, free to break (after a slash, between ideographs) */
    BREAK_HYPHEN, /* after a hyphen or dash of the text: a flagged break */
    BREAK_NONE    /* tied to the next item: never break here */
};

/* An unbreakable unit between two break opportunities: one or more pieces
 * (more when styles change inside a word) and the spaces that follow. */
struct layout_item {
    size_t first, count; /* range in the filler's pieces */
    double width;
    double space; /* width of the spaces after it; 0 when none */
    enum layout_break brk;
};

/* Knuth-Plass over items [0, n) set at width: returns start[j], the first
 * item of the line ending before item j, for j = n and back along the
 * chosen lines (malloc'd, n + 1 entries). *emergency says the tolerance
 * could not be kept. */
size_t *layout_kp_breaks(const struct layout_item *items, size_t n, double width,
                         const struct layout_params *params, bool *emergency);

#endif
