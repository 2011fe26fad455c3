/* cli_sign.h — owns the command lines of `missive verify-pdf` and
 * `missive sign`. */
#ifndef MISSIVE_CLI_SIGN_H
#define MISSIVE_CLI_SIGN_H

#include "cli_register.h"
#include "command.h"

/* Runs `missive verify-pdf FILE... [--trust PEM] [-w WORKSPACE]`. Returns
 * the exit status. */
int cli_verify_pdf(const struct cli_args *args);
/* Runs `missive sign REF [-w WORKSPACE] [-a ARCHIVE] [-q]`: prints who
 * signed; returns the exit status. */
int cli_sign(struct cli *c);

#endif
