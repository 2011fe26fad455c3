/* pdf_annex_measure.h — owns the widths of the words a petition's annex
 * measured while filling its wrapped entries' lines: first names, towns
 * and countries come back entry after entry, and each measure through the
 * shaping cache (hash, lock, look-up, sum) cost 500 instructions. */
#ifndef MISSIVE_PDF_ANNEX_MEASURE_H
#define MISSIVE_PDF_ANNEX_MEASURE_H

#include "font.h"

#include <stddef.h>

/* The widths font_layout_measure gave for one font_layout (its font set,
 * language and size never change): a fixed table, a newer word taking an
 * older's slot. */
struct pdf_measures;

struct pdf_measures *pdf_measures_new(const struct font_layout *layout);
void pdf_measures_free(struct pdf_measures *m);
/* A layout_measure_fn (context a struct pdf_measures): font_layout_measure
 * of text in style, remembered when text is short; with caches off
 * (caches_on), always measured again. */
double pdf_measures_measure(void *measures, const char *text, size_t len, unsigned style);

#endif
