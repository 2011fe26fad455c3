/* cli_register.c — `missive issue` and `missive reprint`, and what the
 * archive's commands share. Their options are parsed by command.c. */
#include "cli_register.h"

#include "cli_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- shared helpers ---- */

int cli_fail(struct cli *c, int status)
{
    cli_events_reset(&c->events);
    errors_print(&c->errors, stderr);
    errors_clear(&c->errors);
    return status;
}

/* ---- issue and reprint ---- */

int cli_issue(struct cli *c)
{
    struct app_issue_options o = {.ref = c->ref,
                                  .only = c->filter_only,
                                  .languages = c->filter_languages,
                                  .jobs = c->jobs,
                                  .dry_run = c->dry_run,
                                  .skip_invalid_signers = c->skip_invalid_signers,
                                  .strict = c->strict,
                                  .combined = c->combined,
                                  .output_dir = c->output,
                                  .formats = c->formats};
    struct app_events events = cli_events(&c->events);
    c->events.verb = "issued";
    int status = APP_OK;
    json_t *letters = c->json ? json_array() : NULL;
    for (int i = 0; i < c->arg_count; i++) {
        int one = app_issue(c->app, c->args[i], &o, &events, &c->errors);
        const struct cli_events *e = &c->events;
        if (letters) {
            json_array_append_new(letters,
                                  cli_json_letter(c->args[i], "reference", one, e, &c->errors));
            cli_events_reset(&c->events);
            errors_clear(&c->errors);
            if (status == APP_OK)
                status = one;
            continue;
        }
        /* What was issued is told even when cleaning up afterwards failed. */
        if (!c->quiet && e->campaign_letters)
            cli_events_table(e, stdout, "reference");
        else if (!c->quiet && e->count)
            printf("%s\n", e->rows[0].reference);
        /* A dry run of one letter also says what would be archived, one file
         * a line (a campaign's table has them). */
        for (size_t r = 0; c->dry_run && !c->quiet && !e->campaign_letters && r < e->count; r++)
            for (size_t k = 0; k < e->rows[r].path_count; k++)
                printf("  %s\n", e->rows[r].paths[k]);
        cli_fail(c, one);
        if (status == APP_OK)
            status = one;
    }
    if (letters)
        cli_json_print(
            cli_json_run(c->dry_run ? "issue --dry-run" : "issue", status, letters, NULL));
    return status;
}

/* Prints the files a reprint wrote, one per line. */
static void print_files(void *context, const struct app_letter *letter)
{
    const struct cli *c = context;
    for (size_t i = 0; !c->quiet && i < letter->file_count; i++)
        printf("%s\n", letter->files[i]);
}

/* What a reprint says besides its files (a signed letter's original). */
static void print_note(void *context, const char *message)
{
    const struct cli *c = context;
    if (!c->quiet)
        fprintf(stderr, "missive: note: %s\n", message);
}

int cli_reprint(struct cli *c)
{
    struct app_events events = {.context = c, .letter = print_files, .note = print_note};
    int status = app_reprint(c->app, c->args[0], c->output, c->original, &events, &c->errors);
    return cli_fail(c, status);
}
