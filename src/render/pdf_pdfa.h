/* pdf_pdfa.h — private to the PDF backend: what makes every PDF missive
 * writes a PDF/A-3 file beyond its metadata (pdf_xmp.h): the PDF 1.7
 * header, the sRGB output intent with its embedded ICC profile, the
 * transparency group of pages that draw soft-masked images, and the
 * trailer /ID taken from the finished file. */
#ifndef MISSIVE_PDF_PDFA_H
#define MISSIVE_PDF_PDFA_H

#include "buffer.h"

#include <hpdf.h>
#include <stdint.h>

/* Sets the version to 1.7 and adds the output intent to the catalog. */
void pdf_pdfa_begin(HPDF_Doc pdf);
/* Gives every page that draws an image with a soft mask the group
 * /S /Transparency /CS /DeviceRGB. Call once every page is drawn. */
void pdf_pdfa_pages(HPDF_Doc pdf);
/* Sets pdf's /ID to the placeholder pdf_pdfa_identify fills in. */
void pdf_pdfa_reserve_id(HPDF_Doc pdf);
/* Fills the placeholder /ID of the saved file in out with the MD5 of the
 * file as saved (placeholder included), so any change of any byte gives
 * another /ID. Returns 0, or -1 when out has no
 * placeholder. */
int pdf_pdfa_identify(struct buffer *out);
/* The same for a file saved elsewhere: tail holds its last bytes (at
 * least 1024, or all), digest is the MD5 of the whole file as saved. */
int pdf_pdfa_identify_tail(struct buffer *tail, const uint8_t digest[16]);

#endif
