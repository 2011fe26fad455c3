/* pdf_info.h — owns a PDF's document information and identity: Title,
 * Author, Subject (the reference), Creator, the creation and modification
 * dates, the XMP metadata that repeats them (pdf_xmp.h) and the placeholder
 * of the trailer /ID (pdf_pdfa.h). Everything is derived from the document,
 * never from the clock, so the same letter gives the same bytes. Private to
 * the PDF backend. */
#ifndef MISSIVE_PDF_INFO_H
#define MISSIVE_PDF_INFO_H

#include "doc.h"

#include <hpdf.h>

/* Sets the Info dictionary, the XMP metadata and the /ID placeholder of
 * pdf from doc. The dates are the
 * issue time (doc->timestamp, "yyyy-mm-ddThh:mm:ssZ") when there is one,
 * else the letter's date at midnight UTC. */
void pdf_info_set(HPDF_Doc pdf, const struct doc_document *doc);
/* A PDF text string object holding utf8: literal when printable ASCII,
 * else UTF-16BE with a byte order mark, as PDF wants for other text. */
void *pdf_info_text(HPDF_Doc pdf, const char *utf8);

#endif
