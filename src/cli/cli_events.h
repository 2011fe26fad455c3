/* cli_events.h — owns how the command line shows what the application
 * layer reports while it runs: a progress bar on stderr when it is a
 * terminal, notes, verbose lines, and the summary table (reference or
 * name, recipient, language, files) that ends a campaign. */
#ifndef MISSIVE_CLI_EVENTS_H
#define MISSIVE_CLI_EVENTS_H

#include "app.h"

#include <stdbool.h>
#include <stdio.h>

/* One line of the summary table. */
struct cli_row {
    char *reference; /* or the draft's name */
    char *recipient, *language, *files;
    char *paths[4]; /* the files written, whole */
    size_t path_count;
};

/* The state behind struct app_events for one command. */
struct cli_events {
    bool quiet, verbose;
    const char *verb; /* "rendered", "issued": verbose lines */
    /* the progress bar */
    const char *what;
    int shown; /* the fraction drawn last, in 1/40 */
    bool drawing;
    /* the letters told so far: their rows, unless forget (-q without
     * --json prints none, and 10,000 letters' rows took 4 MB) */
    bool forget;
    struct cli_row *rows;
    size_t count;
    size_t told;             /* letters told, rows kept or not */
    size_t campaign_letters; /* how many of them belong to a campaign */
    /* --json: the warnings told, for the letter's report (not printed) */
    bool keep_warnings;
    struct errors warnings;
};

/* The app_events that report into e. */
struct app_events cli_events(struct cli_events *e);
/* Ends the progress bar (if drawn) and forgets the letters and warnings
 * told. */
void cli_events_reset(struct cli_events *e);
/* Prints e's letters as a table with a heading, columns as wide as their
 * longest cell. */
void cli_events_table(const struct cli_events *e, FILE *out, const char *first_heading);

#endif
