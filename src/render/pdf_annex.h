/* pdf_annex.h — private to the PDF backend: the pages of a petition's
 * annex (DOC_ANNEX), which pdf.c does not flow with the letter's boxes.
 * The annex starts on a page of its own after everything else: its title,
 * then the groups in columns, a running header on every page ("REF —
 * Signatories", then "REF — Signatories (continued)", "Page n of m"). The
 * entries' lines wait in the document's spool until drawn, so memory does
 * not grow with the signers. */
#ifndef MISSIVE_PDF_ANNEX_H
#define MISSIVE_PDF_ANNEX_H

#include "buffer.h"
#include "doc.h"
#include "font.h"
#include "pdf_spool.h"
#include "pdf_tags.h"
#include "settings.h"

struct pdf_annex;

/* Lays annex out on pages numbered from first_page (0-based), shaping
 * every entry once, recording its glyphs in embed and writing its lines to
 * spool. */
struct pdf_annex *pdf_annex_layout(const struct doc_document *doc, const struct settings *settings,
                                   struct font_set *fonts, struct font_embed *embed,
                                   struct pdf_spool *spool, const struct doc_block *annex,
                                   int first_page);
/* Pages the annex takes (at least one). */
int pdf_annex_pages(const struct pdf_annex *annex);
/* Appends the content of page (0-based, in the whole document) to content
 * and registers its fonts on hpage, each entry marked for tags (the running
 * header as an artifact); nothing for pages before the annex.
 * After font_embed_finish. Leaves the fill colour black. */
void pdf_annex_draw(struct pdf_annex *annex, int page, HPDF_Page hpage, struct pdf_tags *tags,
                    struct buffer *content);
void pdf_annex_free(struct pdf_annex *annex);

#endif
