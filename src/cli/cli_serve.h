/* cli_serve.h — owns the `missive serve` command. */
#ifndef MISSIVE_CLI_SERVE_H
#define MISSIVE_CLI_SERVE_H

#include "command.h"

/* Serves args' workspace until SIGINT or SIGTERM; returns the exit status. */
int cli_serve(const struct cli_args *args);

#endif
