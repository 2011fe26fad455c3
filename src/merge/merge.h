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

/* merge_letter with a petition's signers already read (signers.h), so the
 * caller chooses how wrong rows are treated and can report on them; NULL
 * signers for a letter that is not a petition. merge_letter reads them
 * itself, refusing any wrong row. Templates see them as `petition`; the
 * annex follows every other block. */
struct signers;
struct doc_document *merge_letter_signers(const struct workspace *ws, const struct letter *letter,
                                          const struct tmpl *tmpl, const struct signers *signers,
                                          struct errors *errors);

#endif
