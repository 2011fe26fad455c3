/* cli_register.h — owns the commands that number and archive letters:
 * `missive issue`, `missive register list|show|verify|void|import` and
 * `missive reprint`. main.c hands these commands over whole; like main.c,
 * these files print and choose exit codes, nothing below them does. */
#ifndef MISSIVE_CLI_REGISTER_H
#define MISSIVE_CLI_REGISTER_H

#include "cli.h"
#include "error.h"
#include "pipeline.h"
#include "register.h"

#include <stdbool.h>

/* true for the commands cli_register_run handles. */
bool cli_register_handles(const char *command);
/* Runs one such command; argv[0] is the command ("issue"). Returns the
 * exit status. */
int cli_register_run(int argc, char **argv);

/* ---- shared by cli_register.c and cli_register_commands.c ---- */

struct cli {
    const char *command;    /* "issue", "register", "reprint" */
    const char *subcommand; /* register's: "list", "show"... */
    const char *workspace, *archive, *output, *ref, *reason;
    bool quiet, json;
    /* A campaign's batch: --only, --lang, --jobs (0: every core), -v. */
    const char *filter_only, *filter_languages;
    unsigned jobs;
    bool verbose;
    struct register_filter filter;
    char **args; /* operands after the (sub)command */
    int arg_count;
    struct errors errors;
    struct pipeline *pipeline; /* loaded on demand */
    const char *archive_dir;   /* from --archive or the workspace */
};

/* Loads the workspace (-w, else the nearest holding missive.ini from
 * start upwards) into c->pipeline; sets archive_dir unless --archive gave
 * it. Returns 0 or an exit status with errors printed. */
int cli_load_workspace(struct cli *c, const char *start);
/* Opens the register, creating the archive folder. NULL with errors printed. */
struct register_db *cli_open_register(struct cli *c, int *status);
/* Prints and clears c's errors; returns status. */
int cli_fail(struct cli *c, int status);
/* Now, UTC, "yyyy-mm-ddThh:mm:ssZ". */
void cli_now(char out[32]);
/* Prints what register_recover removed (unless quiet) and frees it. */
void cli_report_recovered(const struct cli *c, char **removed);
/* Under the lock: register_recover, reported. -1 when a leftover could not
 * be removed (errors in c->errors), else 0. */
int cli_recover(struct cli *c, struct register_db *db);

int cli_issue(struct cli *c);
int cli_reprint(struct cli *c);
int cli_register_list(struct cli *c);
int cli_register_show(struct cli *c);
int cli_register_verify(struct cli *c);
int cli_register_void(struct cli *c);
int cli_register_import(struct cli *c);

#endif
