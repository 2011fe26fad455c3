/* pdf_spool.h — private to the PDF backend: bytes a large document (a
 * petition's annex) would hold until it is saved, written to an unlinked
 * temporary file as they are made and read back when needed: each page's
 * deflated content (libharu reads it back through a stream of ours while
 * saving) and the annex's glyphs. Nothing of it is left behind: the file
 * has no name from the start. */
#ifndef MISSIVE_PDF_SPOOL_H
#define MISSIVE_PDF_SPOOL_H

#include "error.h"

#include <hpdf.h>
#include <hpdf_objects.h>

#include <stddef.h>
#include <stdint.h>

struct pdf_spool;

/* A spool in $TMPDIR (else /tmp); NULL with an error when no file can be
 * made there. */
struct pdf_spool *pdf_spool_new(struct errors *errors);
/* Appends len bytes to the spool; returns where they start. A failed write
 * is remembered for pdf_spool_check. */
uint64_t pdf_spool_write(struct pdf_spool *s, const void *data, size_t len);
/* Reads len bytes from offset (written before) into data: buffered, cheap
 * when reads follow each other. 0, or -1 (remembered) on failure. */
int pdf_spool_read(struct pdf_spool *s, uint64_t offset, void *data, size_t len);
/* Says that the len bytes at offset will not be read again (a later read
 * of them fails): once they follow all the bytes released before, the
 * file's pages under them are given back to the kernel. */
void pdf_spool_release(struct pdf_spool *s, uint64_t offset, uint64_t len);
/* Gives page's content stream the deflated bytes (named /FlateDecode),
 * spooled, in place of its memory stream; libharu reads them back from
 * the spool when it writes the page, once (then released). */
void pdf_spool_page(struct pdf_spool *s, HPDF_Dict contents, const void *deflated, size_t len);
/* 0, or -1 with one error naming the file's folder and the system's reason
 * when a write or read failed. */
int pdf_spool_check(struct pdf_spool *s, struct errors *errors);
/* Saves pdf (its streams deflated) into a new unlinked temporary file as
 * libharu writes it, its /ID filled in (pdf_pdfa_identify's), so the file
 * is never in memory; returns the file's descriptor (the caller closes
 * it), or -1 with an error (libharu's own is left to the caller). */
int pdf_spool_save(HPDF_Doc pdf, struct errors *errors);
/* Closes (and so removes) the spool. NULL is allowed. */
void pdf_spool_free(struct pdf_spool *s);

#endif
