/* doc_spool.h — owns the texts of a petition's annex entries kept out of
 * memory: written to an unlinked temporary file in $TMPDIR as merge makes
 * them, read back through a window when a renderer asks for an entry (they
 * read the entries in order, so a read is mostly a copy from the window).
 * A million signers' entries are 63 MB of text that every renderer reads
 * once or twice; held, they were the largest part of a petition's memory. */
#ifndef MISSIVE_DOC_SPOOL_H
#define MISSIVE_DOC_SPOOL_H

#include "error.h"

#include <stddef.h>
#include <stdint.h>

struct doc_spool;

/* A new spool, or NULL when no temporary file can be made (the entries
 * then stay in the document's arena). */
struct doc_spool *doc_spool_new(void);
/* Closes (and so removes) the spool. NULL is allowed. */
void doc_spool_free(struct doc_spool *s);
/* Appends len bytes of text (and a NUL); returns where they start. A
 * failed write is remembered for doc_spool_check. */
uint64_t doc_spool_put(struct doc_spool *s, const char *text, size_t len);
/* The len bytes put at at, NUL-terminated, valid until the next call;
 * "" when the file cannot give them back (remembered). */
const char *doc_spool_get(struct doc_spool *s, uint64_t at, size_t len);
/* 0, or -1 with one error naming the folder and the system's reason when
 * a write or a read failed. */
int doc_spool_check(const struct doc_spool *s, struct errors *errors);

#endif
