/* pdf_deflate.h — private to the PDF backend: every compressed stream of a
 * document deflated by libdeflate (at PDF_DEFLATE_LEVEL) instead of
 * libharu's zlib, with compressors kept per process rather than a deflate
 * state set up for each stream. */
#ifndef MISSIVE_PDF_DEFLATE_H
#define MISSIVE_PDF_DEFLATE_H

#include "buffer.h"

#include <hpdf.h>
#include <hpdf_objects.h>

#include <stddef.h>

/* libdeflate's level 6: zlib-6's size for a letter's streams at about half
 * zlib's instructions (level 1 is a quarter, but 8% larger). Changing it
 * changes every PDF's bytes. */
#define PDF_DEFLATE_LEVEL 6

/* Appends the zlib-format (RFC 1950, as /FlateDecode reads) deflate of
 * data to out. */
void pdf_deflate(const void *data, size_t len, struct buffer *out);
/* Writes the already deflated data as stream's content and names its
 * /FlateDecode filter (libharu would otherwise deflate it again). */
void pdf_deflate_write(HPDF_Dict stream, const void *deflated, size_t len);
/* Deflates, in place, every stream of pdf that libharu would deflate when
 * saving; call just before saving. */
void pdf_deflate_streams(HPDF_Doc pdf);

#endif
