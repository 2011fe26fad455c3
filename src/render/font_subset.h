/* font_subset.h — the subset of a face's glyphs that a PDF embeds
 * (font_subset.c), made with hb-subset. Asked for by the code points that
 * reach the glyphs, read from the face's cmap as hb-subset's plan reads it
 * (HarfBuzz 6's collect_mapping on the subtable its cmap accelerator
 * chooses), the plan takes its quick path and gives the bytes that the
 * glyphs asked for give; asked for glyphs, it walks the whole cmap into a
 * hash map first (about 1 M instructions a face). */
#ifndef MISSIVE_FONT_SUBSET_H
#define MISSIVE_FONT_SUBSET_H

#include "font.h"

#include <hb.h>

#include <stdbool.h>

/* Adds to unicodes every code point that font's face maps to one of
 * glyphs (glyph 0 aside) and returns true when asking hb-subset for
 * unicodes alone is certain to give the subset glyphs give: the chosen
 * subtable is of format 4 or 12 and well formed, no subtable is of format
 * 14 (its entries are kept by glyph), every glyph but 0 is reached by a
 * code point, and HarfBuzz's own look-up (font's nominal glyph) agrees on
 * each code point found. False: use the glyphs (unicodes is then left in
 * an unspecified state). font must use HarfBuzz's OpenType functions. */
bool font_subset_unicodes(hb_font_t *font, const hb_set_t *glyphs, hb_set_t *unicodes);

/* Makes the subset of glyphs of font's face into *out: the glyph mapping
 * and the deflated font program; 0 or -1 (*out then to be released).
 * by_glyphs asks hb-subset for the glyphs even when the code points would
 * do: the reference the quick path is tested against. */
int font_subset_make(hb_font_t *font, const hb_set_t *glyphs, bool by_glyphs,
                     struct font_subset *out);

#endif
