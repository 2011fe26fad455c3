/* pdf_tags.h — private to the PDF backend: tagged PDF for PDF/UA-1. While
 * pages are drawn, every item is wrapped in marked content: a numbered
 * sequence (MCID) of the block it belongs to, or an artifact (letterhead
 * names, rules, page footers, the draft mark, the annex's running
 * header). Once every page is drawn, the structure tree is built from the
 * document tree in reading order (Document; P, H1, Div, Figure with /Alt;
 * the annex as Sect, H2, Table of TH and TD), with the parent tree, the
 * pages' /StructParents, /MarkInfo, /Lang and DisplayDocTitle. */
#ifndef MISSIVE_PDF_TAGS_H
#define MISSIVE_PDF_TAGS_H

#include "buffer.h"
#include "doc.h"
#include "font.h"

#include <hpdf.h>

enum pdf_tags_role {
    PDF_TAGS_TEXT,    /* the block's text */
    PDF_TAGS_FIGURE,  /* the block's image (logo, signature) */
    PDF_TAGS_ARTIFACT /* not content: rules, footers, marks */
};

struct pdf_tags;

/* Starts tagging a document; borrows pdf and doc. */
struct pdf_tags *pdf_tags_new(HPDF_Doc pdf, const struct doc_document *doc);
void pdf_tags_free(struct pdf_tags *t);
/* Of a file holding several documents (pdf_render_combined): the items
 * drawn from now on are doc's, and its blocks become a Part of the
 * structure tree with doc's /Lang. */
void pdf_tags_letter(struct pdf_tags *t, const struct doc_document *doc);
/* Every item drawn from now on is on page (pages come in order). */
void pdf_tags_page(struct pdf_tags *t, HPDF_Page page);
/* Opens the marked content of an image or rule drawn next: role of block
 * (NULL: an artifact). Text of a letterhead is an artifact too. */
void pdf_tags_begin(struct pdf_tags *t, const struct doc_block *block, enum pdf_tags_role role,
                    struct buffer *content);
/* Draws shaped (text of block) with font_embed_show in marked content of
 * its own: a run of another script than the letter's (a Kazakh name in an
 * English letter) becomes a Span with its /Lang. */
void pdf_tags_show(struct pdf_tags *t, struct font_embed *e, const struct doc_block *block,
                   struct buffer *content, double x, double y, double size,
                   const struct font_shaped *shaped);
/* pdf_tags_show of one annex entry's text (a TD of the signers' table),
 * an entry of group. */
void pdf_tags_show_entry(struct pdf_tags *t, struct font_embed *e, const struct doc_block *group,
                         const struct doc_entry *entry, struct buffer *content, double x, double y,
                         double size, const struct font_shaped *shaped);
/* Closes what pdf_tags_begin opened. */
void pdf_tags_end(struct pdf_tags *t, struct buffer *content);
/* How many items an array of the file may hold: libharu's limit
 * (HPDF_LIMIT_MAX_ARRAY) with room to spare; past it the structure tree
 * and the page tree branch. Test builds take MISSIVE_TEST_ARRAY_MAX. */
size_t pdf_tags_array_max(void);
/* Writes the structure tree and the catalog's entries; after the last
 * page is drawn. */
void pdf_tags_finish(struct pdf_tags *t);
/* After the file is saved: whether the objects written by the tags' own
 * hooks have their places in its cross-reference table (false: the file
 * is not to be used). */
bool pdf_tags_saved(const struct pdf_tags *t);

#endif
