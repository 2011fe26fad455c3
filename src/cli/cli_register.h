/* cli_register.h — owns the commands that number and archive letters:
 * `missive issue`, `missive register list|show|verify|void|import` and
 * `missive reprint`. commands.c parses their options; like the other cli
 * files these print and choose exit codes, nothing below them does. */
#ifndef MISSIVE_CLI_REGISTER_H
#define MISSIVE_CLI_REGISTER_H

#include "app.h"
#include "cli.h"
#include "cli_events.h"
#include "error.h"

#include <stdbool.h>

/* ---- shared by cli_register.c and cli_register_commands.c; commands.c
 * fills struct cli from the parsed options and opens c->app ---- */

struct cli {
    const char *command;    /* "issue", "register", "reprint" */
    const char *subcommand; /* register's: "list", "show"... */
    const char *workspace, *archive, *output, *ref, *reason;
    const char *expect; /* register verify --expect COUNT:HASH */
    bool quiet, json;
    bool original;  /* reprint --original: the archived files when a re-render differs */
    const char *to; /* register migrate --to URL */
    /* A campaign's batch: --only, --lang, --jobs (0: every core), -v. */
    const char *filter_only, *filter_languages;
    unsigned jobs;
    bool verbose;
    bool dry_run;              /* issue --dry-run */
    bool strict;               /* issue --strict */
    bool combined;             /* issue -o DIR --combined */
    bool skip_invalid_signers; /* issue: a petition's wrong rows left out */
    unsigned formats;          /* issue -o DIR --format: APP_PDF | APP_TEXT | APP_EML */
    struct register_filter filter;
    char **args; /* operands after the (sub)command */
    int arg_count;
    struct errors errors;
    struct app *app;
    struct cli_events events;
};

/* Prints and clears c's errors; returns status. */
int cli_fail(struct cli *c, int status);

int cli_issue(struct cli *c);
int cli_reprint(struct cli *c);
int cli_register_list(struct cli *c);
int cli_register_show(struct cli *c);
int cli_register_verify(struct cli *c);
int cli_register_void(struct cli *c);
int cli_register_import(struct cli *c);
int cli_register_migrate(struct cli *c);
/* `missive status`: every letter of letters/ and where it stands. */
int cli_status(struct cli *c);
/* `missive set`: one value of a people file or a letter's date, in place. */
int cli_set(struct cli *c);

#endif
