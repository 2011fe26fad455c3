/* cli.h — owns what every command of the missive program shares: the
 * exit codes and finding the installed data. Only the command-line files
 * (src/cli) use it; they alone print and choose exit codes. */
#ifndef MISSIVE_CLI_H
#define MISSIVE_CLI_H

#include "app.h"

/* Exit codes are the application layer's enum app_status (app.h), one
 * enum for every command; the table in docs/cli.md ("Exit status") is its
 * description, `missive --help` and missive(1) repeat it. */

/* Names the installed data folder (fonts, templates, the new-workspace
 * skeleton) for this process: share/missive beside the binary, else the
 * build tree's sources for the uninstalled binary, else the configured
 * prefix's. No data folder is fine: workspaces then bring their own.
 * Names the modules' folder (module.h) the same way. */
void cli_find_datadir(void);

#endif
