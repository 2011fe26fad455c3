/* font_fast_kern.h — the legacy 'kern' table's pair kerning as HarfBuzz
 * 6.0 applies it (hb_kern_machine_t), for the shaping fast path of
 * font_fast.c: which contexts HarfBuzz kerns from the table, and the
 * positions its pairs give a run of plain glyphs. Why it is only this is
 * in font_fast_kern.c. */
#ifndef MISSIVE_FONT_FAST_KERN_H
#define MISSIVE_FONT_FAST_KERN_H

#include "font.h"

#include <hb.h>
#include <stddef.h>
#include <stdint.h>

enum font_fast_kern_use {
    FONT_FAST_KERN_NONE,  /* HarfBuzz applies no 'kern' table here */
    FONT_FAST_KERN_TABLE, /* it does, and the table is one the model reads */
    FONT_FAST_KERN_OTHER, /* it does (or may), with a table the model does not read */
};

/* What HarfBuzz's plan for face, script and language (left to right, the
 * default shaper, a face with GPOS and no AAT tables) does with the face's
 * 'kern' table. */
enum font_fast_kern_use font_fast_kern_use(hb_face_t *face, hb_script_t script,
                                           hb_language_t language);

/* The table's pairs at font's scale; NULL when font_fast_kern_use would
 * not say FONT_FAST_KERN_TABLE of the table. */
struct font_fast_kern;
struct font_fast_kern *font_fast_kern_new(hb_font_t *font);
void font_fast_kern_free(struct font_fast_kern *k);

/* Adds the table's kerning to the units u of the run's n glyphs, each of
 * them a base glyph that no other lookup touches, positioned by hmtx. */
void font_fast_kern_apply(const struct font_fast_kern *k, const uint32_t *glyphs, size_t n,
                          struct font_unit *u);

/* How many pairs k holds, for tests. */
size_t font_fast_kern_pairs(const struct font_fast_kern *k);

#endif
