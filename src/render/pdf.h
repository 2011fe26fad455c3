/* pdf.h — owns the PDF backend: page layout of the document tree (A4 or
 * Letter), letterhead, reference and date, address block, justified body,
 * signatures side by side with their images, page numbers on continuation
 * pages, document information. Written through libharu's document and
 * object layer; all glyph work goes through font.h. */
#ifndef MISSIVE_PDF_H
#define MISSIVE_PDF_H

#include "buffer.h"
#include "doc.h"
#include "error.h"
#include "font.h"
#include "settings.h"

/* Checks doc can be rendered (every character in the fonts, every image
 * readable) and appends located errors; returns 0 when it can. */
int pdf_check(const struct doc_document *doc, const struct settings *settings,
              struct font_set *fonts, struct errors *errors);
/* Renders doc into out (the complete PDF file). Calls pdf_check first;
 * nothing is produced when it fails. */
int pdf_render(const struct doc_document *doc, const struct settings *settings,
               struct font_set *fonts, struct buffer *out, struct errors *errors);

#endif
