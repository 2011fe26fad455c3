/* layout.h — owns line filling: the one engine both backends use to break a
 * paragraph's runs into lines. Break opportunities come from ICU's line
 * break rules (UAX #14), so no-break spaces, dashes and every script behave
 * as readers expect. Only the measure differs: columns for text, font
 * advances in points for PDF. Ragged lines are chosen by minimum
 * raggedness; justified ones by Knuth and Plass's algorithm (layout_kp.c),
 * whose demerits layout_demerits also computes for any set of lines. */
#ifndef MISSIVE_LAYOUT_H
#define MISSIVE_LAYOUT_H

#include "arena.h"
#include "doc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Advance width of text in style, in the caller's unit. */
typedef double (*layout_measure_fn)(void *context, const char *text, size_t len, unsigned style);
/* Advance width of word[start, end) in style, exactly as the measure gives
 * that piece alone (a measure may know the word's width and cut it). */
typedef double (*layout_part_fn)(void *context, const char *word, size_t len, size_t start,
                                 size_t end, unsigned style);

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
    double width;        /* natural width, trailing space excluded */
    size_t gaps;         /* pieces with space_after > 0: where justification stretches */
    double space;        /* natural width of those gaps together */
    bool hyphen;         /* ends in a flagged break: after a hyphen or dash of the
                            text, or inside a word (hyphen_width > 0) */
    double hyphen_width; /* > 0: a word broken by hyphenation ends the line;
                            a hyphen this wide (counted in width) follows
                            the last piece. The text output never has one. */
    bool last;           /* last line of the paragraph, or ended by a forced break:
                            never stretched (but shrunk when wider than the measure) */
    /* Knuth-Plass figures of the line (layout_demerits fills them for
     * ragged lines too): the adjustment ratio (gaps grow by ratio * stretch,
     * or shrink by -ratio * shrink, times their width), badness, demerits
     * and fitness class (0 tight, 1 decent, 2 loose, 3 very loose). */
    double ratio, badness, demerits;
    int fitness;
};

struct layout_lines {
    struct layout_line *lines;
    size_t count;
    double demerits;   /* of every line together */
    bool emergency;    /* no set of breaks within the tolerance exists: the
                          lines are the least bad ones, maybe looser */
    double best_ratio; /* emergency: the least widest adjustment ratio any set
                          of lines allows under the rules, which the lines
                          keep (-1: none without a line wider than the measure) */
    uint64_t kept;     /* non-zero when layout_paragraph_cached gave lines it had
                          kept: lines with the same value are the same (texts,
                          styles, breaks and measure), whatever letter asks */
};

enum layout_mode {
    LAYOUT_RAGGED,   /* minimum raggedness: least squared slack, spaces natural */
    LAYOUT_JUSTIFIED /* Knuth-Plass: spaces stretch and shrink, least demerits */
};

/* How paragraphs are broken; layout_params_default gives the values
 * docs/typography.md explains (TeX's, with spaces that shrink to 80%). */
struct layout_params {
    enum layout_mode mode;
    double stretch;                /* a space grows by this fraction of its width at ratio 1 */
    double shrink;                 /* and shrinks by this fraction at ratio -1 (never more) */
    double tolerance;              /* highest badness of a line (100: ratio 1) before the
                                      emergency pass, which admits any ratio >= -1 */
    int looseness;                 /* lines more (> 0) or fewer than the best, when feasible */
    bool hyphenate;                /* may break words with a hyphen (justified only) */
    double line_penalty;           /* added to each line's badness */
    double hyphen_penalty;         /* breaking a word with a hyphen */
    double explicit_penalty;       /* breaking after a hyphen or dash in the text */
    double adj_demerits;           /* neighbours whose fitness classes differ by 2+ */
    double double_hyphen_demerits; /* two lines in a row ending in a hyphen */
    double final_hyphen_demerits;  /* the last full line ending in a hyphen */
    int max_hyphen_lines;          /* flagged breaks in a row at most */
    layout_part_fn measure_part;   /* NULL, or the pieces of a word of one run that
                                      hyphenation cuts are measured with it */
};

/* The parameters for mode in language: German and Russian, with their long
 * words, tolerate looser lines (ratio 1.2, spaces 1.6 times natural) than
 * English, French or Spanish (ratio 1, 1.5 times). */
void layout_params_default(struct layout_params *params, enum layout_mode mode,
                           const char *language);

/* Breaks runs into lines at most width wide (a single word wider than width
 * gets a line of its own). language selects locale-specific break rules.
 * Lines and pieces are allocated in arena. */
void layout_paragraph(struct arena *arena, const struct doc_run *runs, size_t count, double width,
                      layout_measure_fn measure, void *context, const char *language,
                      struct layout_lines *out);

/* layout_paragraph broken as params says (ragged or justified). */
void layout_paragraph_with(struct arena *arena, const struct doc_run *runs, size_t count,
                           double width, layout_measure_fn measure, void *context,
                           const char *language, const struct layout_params *params,
                           struct layout_lines *out);

/* layout_paragraph_with, remembered for the process: a campaign's letters
 * share most paragraphs, so each distinct one is laid out once. key
 * (key_len bytes) names the measure: the same key must always measure
 * the same (the font set's serial, size and style, say). The lines are the
 * same as layout_paragraph_with's, their pieces pointing into runs. */
void layout_paragraph_cached(struct arena *arena, const struct doc_run *runs, size_t count,
                             double width, layout_measure_fn measure, void *context,
                             const void *key, size_t key_len, const char *language,
                             const struct layout_params *params, struct layout_lines *out);

/* A line of an entry: text[from, to), no space at either end. */
struct layout_entry_line {
    size_t from, to;
};

/* The lines layout_paragraph gives one run of text (style, single spaces
 * between words, none at its ends, no forced break) at width, found
 * without laying it out when they are one or two (layout_entry.c): returns
 * how many, or 0 when the text must go to layout_paragraph (three lines or
 * more, or text whose breaks only ICU knows). */
size_t layout_entry_lines(const char *text, size_t len, double width, layout_measure_fn measure,
                          void *context, unsigned style, const char *language,
                          struct layout_entry_line lines[2]);

/* Computes, for lines set at width, each line's ratio, badness, fitness and
 * demerits under params' Knuth-Plass rules, and their total (returned and
 * stored in lines). Badness is 100 |ratio|^3 without TeX's cap (as the
 * emergency pass ranks lines); lines wider than shrinking allows, or that
 * must stretch without a space, count as badness 10000, as TeX's overfull
 * boxes do. */
double layout_demerits(struct layout_lines *lines, double width,
                       const struct layout_params *params);

#endif
