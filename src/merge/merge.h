/* merge.h — owns merge: resolves a letter's recipient and signatories
 * against the workspace, builds the names a template sees (letter,
 * recipient, signatories, organisations, facts), applies the template and
 * fills the document's information (title, author, reference, date). */
#ifndef MISSIVE_MERGE_H
#define MISSIVE_MERGE_H

#include "doc.h"
#include "error.h"
#include "letter.h"
#include "tmpl.h"
#include "workspace.h"

struct signers;

/* What the caller decides for one merge. Nothing of it is read from, or
 * written back into, the loaded letter: the application layer sets the
 * reference and the time here, once, before merging. */
struct merge_input {
    const char *reference;         /* the letter's number; NULL: a draft */
    const char *timestamp;         /* "yyyy-mm-ddThh:mm:ssZ" of the PDF's dates; NULL: none */
    const struct signers *signers; /* a petition's co-signers, read by the caller; NULL: none */
};

/* The merged document (caller frees with doc_free), or NULL plus every
 * error found. Templates see a petition's signers as `petition`; the
 * annex follows every other block. A petition without input->signers is
 * an error: merge reads no files. */
struct doc_document *merge_letter(const struct workspace *ws, const struct letter *letter,
                                  const struct tmpl *tmpl, const struct merge_input *input,
                                  struct errors *errors);

#endif
