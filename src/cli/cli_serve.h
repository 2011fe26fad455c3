/* cli_serve.h — owns the `missive serve` command line. */
#ifndef MISSIVE_CLI_SERVE_H
#define MISSIVE_CLI_SERVE_H

/* Runs `missive serve`; argv[0] is "serve". Returns the exit status. */
int cli_serve(int argc, char **argv);

#endif
