/* cli_sign.h — owns the command lines of `missive verify-pdf` (and, once
 * the issue protocol is in the application layer, `missive sign`). */
#ifndef MISSIVE_CLI_SIGN_H
#define MISSIVE_CLI_SIGN_H

/* Runs `missive verify-pdf FILE... [--trust PEM] [-w WORKSPACE]`; argv[0]
 * is "verify-pdf". Returns the exit status. */
int cli_verify_pdf(int argc, char **argv);

#endif
