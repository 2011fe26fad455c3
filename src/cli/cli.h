/* cli.h — owns what every command of the missive program shares: the
 * exit codes, finding the workspace from a letter's path, and parsing
 * option values common to several commands. Only the command-line files
 * (main.c, cli_*.c) use it; they alone print and choose exit codes. */
#ifndef MISSIVE_CLI_H
#define MISSIVE_CLI_H

/* Exit codes, documented in --help, docs/cli.md and docs/register.md. */
enum {
    CLI_OK = 0,
    CLI_INPUT = 1,   /* a letter, template, CSV, workspace file or reference is wrong */
    CLI_USAGE = 2,   /* the command line is wrong */
    CLI_OUTPUT = 3,  /* files or the register could not be written */
    CLI_PROBLEMS = 4 /* verify found problems, or a reprint differs from the archive */
};

/* The nearest folder holding missive.ini, from start (a letter or a
 * folder) upwards; "." when it is the current folder or none is found.
 * Caller frees. */
char *cli_find_workspace(const char *start);

/* --jobs: a number of threads from 1 to 1024. Prints the error and returns
 * -1 when text is not one. */
int cli_parse_jobs(const char *text, unsigned *jobs);

/* Names the installed data folder (fonts, templates, the new-workspace
 * skeleton) for this process: share/missive beside the binary, else the
 * build tree's sources for the uninstalled binary, else the configured
 * prefix's. No data folder is fine: workspaces then bring their own. */
void cli_find_datadir(void);

#endif
