/* font_fast.h — shaping a run without HarfBuzz where the font leaves its
 * text alone: every character a plain letter, digit, space or punctuation
 * mark with its nominal glyph, no glyph any GSUB lookup or any GPOS lookup
 * but pair kerning may apply at, the kerning of each glyph pair as
 * HarfBuzz gave it for an earlier run. What HarfBuzz 6 does with such a
 * run, and why it is only this, is in font_fast.c. */
#ifndef MISSIVE_FONT_FAST_H
#define MISSIVE_FONT_FAST_H

#include "font_internal.h"

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>

/* What one shaper part learnt, per face and shaping context (script,
 * language): used under the part's lock only. */
struct font_fast;

struct font_fast *font_fast_new(void);
void font_fast_free(struct font_fast *ff);

/* shape_run asks the fast path only after this many runs of a shaper
 * part: a letter's runs then cost a count each, and its first-use costs
 * (font_fast.c) are paid by documents and batches that win them back. */
#define FONT_FAST_START 256

enum font_fast_result {
    FONT_FAST_DONE,  /* the run's units were appended */
    FONT_FAST_LEARN, /* shape it with HarfBuzz, then call font_fast_learn */
    FONT_FAST_NO,    /* shape it with HarfBuzz */
};

/* Appends the units of utf8[start, end) shaped in font (face index face)
 * for language (NULL for none), exactly as shape_run's HarfBuzz shaping
 * with the whole text as context gives them, when the run is one the fast
 * path knows; otherwise appends nothing. */
enum font_fast_result font_fast_shape(struct font_fast *ff, hb_font_t *font, unsigned face,
                                      const char *language, const char *utf8, size_t start,
                                      size_t end, struct unit_list *out);
/* After FONT_FAST_LEARN: reads the pairs of the run just tried from
 * HarfBuzz's shaping of it in buffer. */
void font_fast_learn(struct font_fast *ff, hb_buffer_t *buffer);

/* Counts for tests and measurements. */
struct font_fast_stats {
    size_t contexts, pairs, done, learnt, refused; /* refused: contexts found unusable */
    size_t kern_table; /* runs done whose pairs the legacy 'kern' table gave */
};
struct font_fast_stats font_fast_stats(const struct font_fast *ff);

/* Between font_fast.c and font_fast_plan.c: the glyphs that the shaping
 * plan of face for script and language (ligatures off for Turkic ones) may
 * apply a lookup at other than pair kerning, or NULL when the plan is one
 * the fast path cannot follow. */
hb_set_t *font_fast_plan_covered(hb_face_t *face, hb_script_t script, hb_language_t language,
                                 bool ligatures);

#endif
