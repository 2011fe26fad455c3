/* cli_render.h — owns `missive render` and `missive check`. */
#ifndef MISSIVE_CLI_RENDER_H
#define MISSIVE_CLI_RENDER_H

#include "command.h"

/* Renders each letter of args->operands; returns the exit status. */
int cli_render(const struct cli_args *args);
/* Checks each letter, writing nothing; returns the exit status. */
int cli_check(const struct cli_args *args);

#endif
