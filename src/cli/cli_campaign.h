/* cli_campaign.h — owns the command line's side of campaign batches:
 * `missive render|check CAMPAIGN.xml` here, `missive issue CAMPAIGN.xml`
 * in cli_issue_campaign.c. Every variant is checked first, on every core;
 * only when all are fine is anything written. A progress bar goes to
 * stderr when it is a terminal; a summary table (reference or name,
 * recipient, language, files) ends the run. Like main.c these files print;
 * nothing below them does. */
#ifndef MISSIVE_CLI_CAMPAIGN_H
#define MISSIVE_CLI_CAMPAIGN_H

#include "campaign.h"
#include "error.h"
#include "pipeline.h"
#include "tmpl.h"

#include <stdbool.h>
#include <stdio.h>

struct cli_campaign_options {
    struct campaign_filter filter; /* --only, --lang */
    unsigned jobs;                 /* --jobs; 0: every core */
    unsigned formats;              /* PIPELINE_PDF | PIPELINE_TEXT */
    const char *output_dir;        /* render: where the files go */
    bool quiet, verbose;
};

/* `check` (output_dir NULL) or `render` of every variant of a campaign
 * letter. Returns the exit status: 0, 1 (an input is wrong), 3 (writing
 * failed). */
int cli_campaign_render(struct pipeline *pipeline, const struct letter *letter,
                        const struct cli_campaign_options *options);

/* ---- shared with cli_issue_campaign.c ---- */

/* A planned batch, ready for threads: the variants, each language's
 * compiled template and the fonts, all fetched on the calling thread. */
struct cli_batch {
    struct pipeline *pipeline;
    const struct workspace *ws;
    struct campaign *campaign;
    const struct tmpl **templates; /* per variant's text, by index in letter->texts */
    struct font_set *fonts;        /* NULL without PDF */
    const struct cli_campaign_options *options;
    struct errors errors; /* collected in order, printed by the caller */
};

/* Plans letter's variants and fetches what they need. Returns 0, or -1
 * with b->errors filled. */
int cli_batch_open(struct cli_batch *b, struct pipeline *pipeline, const struct letter *letter,
                   const struct cli_campaign_options *options);
void cli_batch_close(struct cli_batch *b);
/* Variant i's template (fetched by cli_batch_open). */
const struct tmpl *cli_batch_template(const struct cli_batch *b, size_t i);
/* Merges and checks every variant, on every core; 0 when all are fine,
 * otherwise -1 with every error in b->errors (each told once). */
int cli_batch_check(struct cli_batch *b);

/* A progress bar on stderr, drawn only when stderr is a terminal. */
struct cli_progress {
    const char *what; /* "checking", "rendering" */
    size_t total, done;
    int shown; /* the fraction drawn last, in 1/40 */
    bool on;
};
void cli_progress_start(struct cli_progress *p, const char *what, size_t total, bool quiet);
void cli_progress_step(struct cli_progress *p);
void cli_progress_end(struct cli_progress *p);

/* One line of the summary table. */
struct cli_row {
    const char *reference; /* or the draft's name */
    const char *recipient, *language, *files;
};
/* Prints rows as a table with a heading, columns as wide as their
 * longest cell. */
void cli_print_table(FILE *out, const char *first_heading, const struct cli_row *rows,
                     size_t count);

#endif
