/* cli_init.h — owns the command line of `missive init`. */
#ifndef MISSIVE_CLI_INIT_H
#define MISSIVE_CLI_INIT_H

#include "command.h"

/* Makes the workspace args name; returns the exit status. */
int cli_init(const struct cli_args *args);

#endif
