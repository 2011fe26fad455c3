/* cli_people.h — owns the command line of `missive import SOURCE`, the
 * people of a [source.NAME] spreadsheet written out as INI. */
#ifndef MISSIVE_CLI_PEOPLE_H
#define MISSIVE_CLI_PEOPLE_H

#include "command.h"

/* Runs `missive import SOURCE [-w WORKSPACE]`: the INI on standard output,
 * nothing there on an error. Returns the exit status. */
int cli_import_people(const struct cli_args *args);

#endif
