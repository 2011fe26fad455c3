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

/* The merged document (caller frees with doc_free), or NULL plus every
 * error found. */
struct doc_document *merge_letter(const struct workspace *ws, const struct letter *letter,
                                  const struct tmpl *tmpl, struct errors *errors);

#endif
