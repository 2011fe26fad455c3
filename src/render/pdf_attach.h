/* pdf_attach.h — private to the PDF backend: PDF/A-3 associated files.
 * Each attachment becomes an embedded file stream (/Type /EmbeddedFile,
 * its MIME type, size and the letter's date) in a file specification with
 * /AFRelationship, listed in the catalog's /AF and, sorted by name, in
 * /Names /EmbeddedFiles, so that readers (pdfdetach) list and extract it. */
#ifndef MISSIVE_PDF_ATTACH_H
#define MISSIVE_PDF_ATTACH_H

#include "pdf.h"

#include <hpdf.h>

/* Embeds the count attachments in pdf, dated like its information. */
void pdf_attach(HPDF_Doc pdf, const struct pdf_attachment *a, size_t count);

#endif
