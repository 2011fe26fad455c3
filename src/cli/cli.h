/* cli.h — owns what every command of the missive program shares: the
 * exit codes and parsing option values common to several commands. Only the command-line files
 * (main.c, cli_*.c) use it; they alone print and choose exit codes. */
#ifndef MISSIVE_CLI_H
#define MISSIVE_CLI_H

#include "app.h"

/* Exit codes are the application layer's enum app_status (app.h),
 * documented in --help and docs/cli.md. */

/* --jobs: a number of threads from 1 to 1024. Prints the error and returns
 * -1 when text is not one. */
int cli_parse_jobs(const char *text, unsigned *jobs);

/* Names the installed data folder (fonts, templates, the new-workspace
 * skeleton) for this process: share/missive beside the binary, else the
 * build tree's sources for the uninstalled binary, else the configured
 * prefix's. No data folder is fine: workspaces then bring their own. */
void cli_find_datadir(void);

#endif
