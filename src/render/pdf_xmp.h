/* pdf_xmp.h — private to the PDF backend: the XMP metadata stream of a
 * PDF/A file. It states the same title, author, subject, creator tool,
 * producer and dates as the document information dictionary, byte for
 * byte in value (pdf_info.c passes both the same strings), XML-escaped,
 * and the PDF/A (and, once tagged, PDF/UA) claims. Written through
 * libharu's object layer: libharu's own XMP is unescaped and its stream
 * dictionary says /SubType (DEPENDENCIES.md). */
#ifndef MISSIVE_PDF_XMP_H
#define MISSIVE_PDF_XMP_H

#include <hpdf.h>

#include <stdbool.h>

struct pdf_xmp {
    const char *title, *author, *subject, *creator, *producer; /* UTF-8 or NULL */
    HPDF_Date date;       /* creation = modification = metadata date */
    bool has_date;        /* date is set */
    char conformance;     /* pdfaid:conformance, 'A' or 'B' (part is 3) */
    bool universal;       /* claims pdfuaid:part 1 */
    const char *language; /* dc:language, or NULL */
};

/* Writes the XMP packet for x into out (for tests and docs). */
struct buffer;
void pdf_xmp_write(const struct pdf_xmp *x, struct buffer *out);
/* Adds the metadata stream for x to pdf's catalog (/Metadata). */
void pdf_xmp_set(HPDF_Doc pdf, const struct pdf_xmp *x);

#endif
