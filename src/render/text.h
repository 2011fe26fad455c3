/* text.h — owns the plain-text backend: walks the document tree and fills
 * lines by code-point columns through layout.h. UTF-8 is kept as is. The
 * letterhead is left out (it is the PDF's page decoration); signatures are
 * set side by side, up to three to a row as in the PDF, long titles
 * wrapped inside their column. A petition's
 * annex lists one signer per line under its group headings. */
#ifndef MISSIVE_TEXT_H
#define MISSIVE_TEXT_H

#include "buffer.h"
#include "doc.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

/* Renders doc as text at most width columns wide into out. */
int text_render(const struct doc_document *doc, int width, struct buffer *out,
                struct errors *errors);

/* text_render for a draft: a petition's text (its annex) goes to a new
 * unlinked temporary file as it is made, never held whole, and *file is
 * its descriptor (the caller closes it); a letter without an annex goes
 * into out, *file -1. */
int text_render_spooled(const struct doc_document *doc, int width, struct buffer *out, int *file,
                        struct errors *errors);

/* text_render whose lines broken inside a paragraph at a space end in one
 * space: the soft line breaks of format=flowed (RFC 3676) for mail. Cut
 * that space and the text is text_render's. */
int text_render_flowed(const struct doc_document *doc, int width, struct buffer *out,
                       struct errors *errors);

/* Display columns of len bytes of UTF-8 as a terminal shows them (marks
 * none, East Asian wide two, a broken byte one): what lines are filled by. */
int text_columns(const char *text, size_t len);
/* Tests only: every code point's columns asked of ICU, as before the
 * table of text.c, to show that both count alike. */
extern bool text_icu_always;

#endif
