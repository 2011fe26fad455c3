/* pdf_memory.h — private to the PDF backend: libharu's memory. A
 * document made in a pool takes its objects from a few large blocks of
 * its thread, all given back when the pool ends, instead of a malloc and
 * a free for each of its thousands of objects; libharu's byte-wise copies
 * are replaced by the C library's (pdf_memory.c). */
#ifndef MISSIVE_PDF_MEMORY_H
#define MISSIVE_PDF_MEMORY_H

#include <hpdf.h>

/* A new libharu document (HPDF_New with libharu's allocation through
 * pdf_memory.c); free it with HPDF_Free. Inside a pool it allocates from
 * the pool, else with malloc. */
HPDF_Doc pdf_memory_new(HPDF_Error_Handler handler, void *user);
/* Starts a pool for this thread's documents made from now on (pools
 * nest); every document made in it must be freed before pdf_memory_end. */
void pdf_memory_begin(void);
/* Ends the pool begun last; the outermost gives its memory back. */
void pdf_memory_end(void);

#endif
