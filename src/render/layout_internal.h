/* layout_internal.h — what layout.c (finding items) and layout_kp.c
 * (choosing breaks) share: the unbreakable items of one stretch of text. */
#ifndef MISSIVE_LAYOUT_INTERNAL_H
#define MISSIVE_LAYOUT_INTERNAL_H

#include "layout.h"

#include <stdbool.h>
#include <stddef.h>

/* What ends an item, so what breaking after it costs. */
enum layout_break {
    BREAK_SPACE,         /* a space: breaking drops it */
    BREAK_PLAIN,         /* no space, free to break (after a slash, between ideographs) */
    BREAK_HYPHEN,        /* after a hyphen or dash of the text: a flagged break */
    BREAK_DISCRETIONARY, /* inside a word, by hyphenation: a hyphen is added */
    BREAK_NONE           /* tied to the next item: never break here */
};

/* An unbreakable unit between two break opportunities: one or more pieces
 * (more when styles change inside a word) and the spaces that follow. */
struct layout_item {
    size_t first, count; /* range in the filler's pieces */
    size_t from, to;     /* range in the stretch's joined text, spaces after excluded */
    double width;
    double space;  /* width of the spaces after it; 0 when none */
    double hyphen; /* BREAK_DISCRETIONARY: width of the hyphen added */
    enum layout_break brk;
};

/* How an item ending at byte end of joined breaks when no space follows
 * it: BREAK_HYPHEN after a hyphen or a dash, else BREAK_PLAIN. */
enum layout_break layout_break_after(const char *joined, size_t end);

/* Where the word [from, to) of joined (the runs' text, run r starting at
 * run_start[r]) may take a hyphen in language: sets points[i - from]
 * for a break before byte i, returns how many. None in text that comes
 * from data files (names, titles, addresses), in words with digits or
 * signs (references, numbers, e-mail addresses, URLs), with capitals
 * after the first letter (acronyms), or capitalised outside German (names
 * of people and places). layout_words.c. */
size_t layout_word_points(const struct doc_run *runs, size_t run_count, const size_t *run_start,
                          const char *joined, size_t from, size_t to, const char *language,
                          bool *points);

/* Ties what must not end a line to what follows (layout_ties.c, both
 * backends): the number sign and its number, a number and its unit,
 * initials and the name they precede, references (ICEM-IMF11/EN LT/107:
 * no break inside or at their space), and in Russian and Kazakh the
 * one-letter prepositions and conjunctions. Sets brk to BREAK_NONE. */
void layout_tie(struct layout_item *items, size_t n, const char *joined, const char *language);

/* Whether run's text comes from a data file (INI or CSV): never
 * hyphenated. layout_words.c. */
bool layout_run_from_data(const struct doc_run *run);

/* Knuth-Plass over items [0, n) set at width: returns start[j], the first
 * item of the line ending before item j, for j = n and back along the
 * chosen lines (malloc'd, n + 1 entries). *emergency says the tolerance
 * could not be kept; then *best_ratio is the least widest ratio any set
 * of lines allows under the rules (0 when none does without a line wider
 * than the measure). *demerits gets the lines' total. */
/* Tests only: every text's break opportunities from ICU's iterator,
 * never layout_plain_breaks', to show that both find the same. */
extern bool layout_icu_always;

/* The line break opportunities ICU's iterator would give text in
 * language, found without it where the text is of the few classes whose
 * rules layout_breaks.c knows: the offsets after which a line may break,
 * ascending, the last len; *count of them, the array the caller's to
 * free. NULL (ask ICU) for any other text, or with layout_icu_always. */
size_t *layout_plain_breaks(const char *text, size_t len, const char *language, size_t *count);

/* Tests only: the emergency bisection asks a pass of the breaker at each
 * step, as before least_badness, to show that both choose alike. */
extern bool layout_kp_by_passes;

size_t *layout_kp_breaks(const struct layout_item *items, size_t n, double width,
                         const struct layout_params *params, bool *emergency, double *demerits,
                         double *best_ratio);

#endif
