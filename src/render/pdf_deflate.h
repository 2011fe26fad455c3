/* pdf_deflate.h — private to the PDF backend: every compressed stream of a
 * document deflated by libdeflate (at PDF_DEFLATE_LEVEL) instead of
 * libharu's zlib, with compressors kept per process rather than a deflate
 * state set up for each stream. */
#ifndef MISSIVE_PDF_DEFLATE_H
#define MISSIVE_PDF_DEFLATE_H

#include "buffer.h"
#include "pdf_spool.h"

#include <hpdf.h>
#include <hpdf_objects.h>

#include <stddef.h>

/* The levels of libdeflate for a letter's own streams (content, ToUnicode,
 * structure): level 1, 0.8 M instructions a letter where level 6 takes 1.7 M,
 * for a file 4% larger; and for font programs, which a campaign deflates
 * once per subset (src/render/font_set.c keeps them): level 6, zlib-6's size.
 * Changing either changes every PDF's bytes. */
#define PDF_DEFLATE_LEVEL 1
#define PDF_DEFLATE_FONT_LEVEL 6

/* Appends the zlib-format (RFC 1950, as /FlateDecode reads) deflate of
 * data at level (PDF_DEFLATE_LEVEL or PDF_DEFLATE_FONT_LEVEL) to out. */
void pdf_deflate(int level, const void *data, size_t len, struct buffer *out);
/* Appends the content of memory stream s to out. */
void pdf_stream_bytes(HPDF_Stream s, struct buffer *out);
/* Writes the already deflated data as stream's content and names its
 * /FlateDecode filter (libharu would otherwise deflate it again). */
void pdf_deflate_write(HPDF_Dict stream, const void *deflated, size_t len);
/* Ends page's content: appends content (and empties it), then deflates
 * the whole stream now as pdf_deflate_streams would when saving (the same
 * bytes), so a long document keeps its pages' content compressed, not
 * plain, until it is saved; with a spool, not even that: the deflated
 * bytes go to the spool, read back when the page is saved. */
void pdf_deflate_page(HPDF_Page page, struct buffer *content, struct pdf_spool *spool);
/* Deflates, in place, every stream of pdf that libharu would deflate when
 * saving; call just before saving. */
void pdf_deflate_streams(HPDF_Doc pdf);

#endif
