/* cli_render.c — `missive render` and `missive check`: each letter
 * through the application layer, what it reports printed. */
#include "cli_render.h"

#include "app.h"
#include "batch.h"
#include "cli_events.h"
#include "cli_json.h"
#include "error.h"

#include <stdio.h>
#include <time.h>

/* Prints what a render or check of one letter file came to. */
static void report(const struct cli_args *opt, const char *path, const struct cli_events *e,
                   bool check)
{
    if (opt->quiet)
        return;
    if (e->campaign_letters && check)
        printf("%s: ok (%zu letters)\n", path, e->count);
    else if (e->campaign_letters)
        cli_events_table(e, stdout, "letter");
    else if (check)
        printf("%s: ok\n", path);
    for (size_t i = 0; !e->campaign_letters && i < e->count; i++)
        for (size_t k = 0; k < e->rows[i].path_count; k++)
            printf("%s\n", e->rows[i].paths[k]);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* `missive render` and `missive check` (check: nothing written). */
static int render_or_check(const struct cli_args *opt, bool check)
{
    struct app *app = app_open(&(struct app_options){opt->workspace, opt->operands[0], NULL});
    struct errors errors = {0};
    struct cli_events e = {.quiet = opt->quiet, .verbose = opt->verbose, .verb = "rendered"};
    struct app_events events = cli_events(&e);
    struct app_render_options o = {.formats = opt->formats ? opt->formats : APP_PDF | APP_TEXT,
                                   .output_dir = opt->output,
                                   .check = check,
                                   .only = opt->only,
                                   .languages = opt->languages,
                                   .jobs = opt->jobs,
                                   .skip_invalid_signers = opt->skip_invalid_signers,
                                   .layout_report = opt->layout_report};
    int status = APP_OK;
    json_t *letters = opt->json ? json_array() : NULL;
    for (int i = 0; i < opt->operand_count; i++) {
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        int one = app_render(app, opt->operands[i], &o, &events, &errors);
        if (letters) {
            json_array_append_new(letters,
                                  cli_json_letter(opt->operands[i], "name", one, &e, &errors));
            errors_clear(&errors);
        } else if (one == APP_OK) {
            report(opt, opt->operands[i], &e, check);
        }
        if (one == APP_OK && opt->verbose && e.campaign_letters)
            fprintf(stderr, "%s: %zu letters in %.3f s on %u threads\n", opt->operands[i], e.count,
                    seconds_since(&start), opt->jobs ? opt->jobs : batch_cores());
        cli_events_reset(&e);
        errors_print(&errors, stderr);
        errors_clear(&errors);
        if (status == APP_OK)
            status = one;
        /* A workspace that does not load fails every letter the same way. */
        if (!app_settings(app, &errors))
            break;
    }
    if (!letters)
        errors_clear(&errors);
    if (opt->layout_report && !check && status == APP_OK)
        status = app_write_layout_report(app, &errors);
    if (letters)
        cli_json_print(
            cli_json_run(check ? "check" : "render", status, letters, cli_json_errors(&errors)));
    else
        errors_print(&errors, stderr);
    errors_clear(&errors);
    app_close(app);
    return status;
}

int cli_render(const struct cli_args *args)
{
    return render_or_check(args, false);
}

int cli_check(const struct cli_args *args)
{
    return render_or_check(args, true);
}
