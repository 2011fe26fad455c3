/* pdf_check.h — private to the PDF backend (pdf.c, pdf_check.c): text of
 * the backend's own that both checking and rendering need. */
#ifndef MISSIVE_PDF_CHECK_H
#define MISSIVE_PDF_CHECK_H

/* The footer's "page %d of %d" (two ints) in language; English otherwise. */
const char *pdf_page_words(const char *language);
/* The word marking a draft ("DRAFT", "PROJET"...) in language. */
const char *pdf_draft_word(const char *language);

struct doc_document;
struct settings;
struct font_set;
struct errors;
/* pdf_check without what laying the document out finds anyway (the
 * letterhead's room): what pdf_render checks before laying out. */
int pdf_check_content(const struct doc_document *doc, const struct settings *settings,
                      struct font_set *fonts, struct errors *errors);

#endif
