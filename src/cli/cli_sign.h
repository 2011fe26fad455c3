/* cli_sign.h — owns the command lines of `missive verify-pdf` (and, once
 * the issue protocol is in the application layer, `missive sign`). */
#ifndef MISSIVE_CLI_SIGN_H
#define MISSIVE_CLI_SIGN_H

#include "command.h"

/* Runs `missive verify-pdf FILE... [--trust PEM] [-w WORKSPACE]`. Returns
 * the exit status. */
int cli_verify_pdf(const struct cli_args *args);

#endif
