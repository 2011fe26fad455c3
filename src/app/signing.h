/* signing.h — owns the application's side of digital signatures: checking
 * a signed PDF (`missive verify-pdf`) against the trust store that the
 * command line or the workspace names. */
#ifndef MISSIVE_SIGNING_H
#define MISSIVE_SIGNING_H

#include "error.h"
#include "sign.h"

struct signing_verify_options {
    const char *file;      /* the PDF, named by the user */
    const char *trust;     /* CA certificates (PEM), or NULL */
    const char *workspace; /* whose [signing] trust applies when trust is NULL; may be NULL */
};

/* Reads and checks every signature of options->file into report. 0 when
 * the file could be checked (the report says whether it holds), -1 with a
 * located error when it could not be read. */
int signing_verify_file(const struct signing_verify_options *options, struct sign_report *report,
                        struct errors *errors);

#endif
