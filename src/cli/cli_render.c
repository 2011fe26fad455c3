/* cli_render.c — `missive render` and `missive check`: each letter
 * through the application layer, what it reports printed. */
#include "cli_render.h"

#include "app.h"
#include "batch.h"
#include "cli_events.h"
#include "cli_json.h"
#include "error.h"

#include "arena.h"
#include "buffer.h"
#include "command.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
    /* A letter read from standard input names no folder: the workspace is
     * -w's or the current folder's. */
    const char *start = strcmp(opt->operands[0], "-") == 0 ? "." : opt->operands[0];
    struct app *app = app_open(&(struct app_options){opt->workspace, start, NULL});
    struct errors errors = {0};
    struct cli_events e = {.quiet = opt->quiet,
                           .verbose = opt->verbose,
                           .verb = "rendered",
                           .forget = opt->quiet && !opt->json,
                           .keep_warnings = opt->json};
    struct app_events events = cli_events(&e);
    struct app_render_options o = {.formats = opt->formats ? opt->formats : APP_PDF | APP_TEXT,
                                   .output_dir = opt->output,
                                   .check = check,
                                   .only = opt->only,
                                   .languages = opt->languages,
                                   .strict = opt->strict,
                                   .combined = opt->combined,
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
            fprintf(stderr, "%s: %zu letters in %.3f s on %u threads\n", opt->operands[i], e.told,
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

/* Empties and removes the private folder of a render to stdout. */
static void remove_folder(const char *dir)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[4096];
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path)
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Counts the files in dir; *only gets the one when there is one. */
static int files_in(const char *dir, char *only, size_t size)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    int count = 0;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && count++ == 0)
            snprintf(only, size, "%s/%s", dir, e->d_name);
    if (d)
        closedir(d);
    return count;
}

/* `render -o -`: the letter's one file on standard output. It is rendered
 * into a private folder first, so that a letter with any error prints
 * nothing, and that folder is removed whatever happens. */
static int render_to_stdout(const struct cli_args *opt)
{
    if (opt->formats != APP_PDF && opt->formats != APP_TEXT && opt->formats != APP_EML)
        return command_usage_error(opt, "-o - writes one file to standard output: choose it with "
                                        "--format pdf, --format txt or --format eml");
    if (opt->combined)
        return command_usage_error(opt, "-o - and --combined: a campaign is several files");
    if (opt->operand_count != 1)
        return command_usage_error(opt, "-o - takes one letter, not %d", opt->operand_count);
    if (opt->json)
        return command_usage_error(opt, "-o - and --json both want standard output");
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/missive-stdout-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "missive: error: cannot make a temporary folder in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return APP_OUTPUT;
    }
    struct cli_args quiet = *opt;
    quiet.output = dir;
    quiet.quiet = true;
    int status = render_or_check(&quiet, false);
    char file[8192];
    int count = status == APP_OK ? files_in(dir, file, sizeof file) : 0;
    struct buffer b = {0};
    if (status == APP_OK && count != 1) {
        fprintf(stderr,
                "missive: error: %s makes %d files; standard output takes one (write them to a "
                "folder with -o DIR)\n",
                opt->operands[0], count);
        status = APP_USAGE;
    } else if (status == APP_OK && buffer_read_file(&b, file) != 0) {
        fprintf(stderr, "missive: error: cannot read back %s: %s\n", file, strerror(errno));
        status = APP_OUTPUT;
    } else if (status == APP_OK) {
        fwrite(b.data, 1, b.len, stdout); /* checked when stdout is closed (main.c) */
    }
    buffer_free(&b);
    remove_folder(dir);
    return status;
}

/* Copies standard input to dir/stdin.xml; 0, or -1 with the error printed. */
static int read_stdin(const char *dir, char *path, size_t size)
{
    snprintf(path, size, "%s/stdin.xml", dir);
    FILE *out = fopen(path, "wb");
    char chunk[65536];
    size_t n;
    bool ok = out != NULL;
    while (ok && (n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        ok = fwrite(chunk, 1, n, out) == n;
    ok = ok && !ferror(stdin);
    if (out && fclose(out) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "missive: error: cannot read the letter from standard input: %s\n",
                strerror(errno ? errno : EIO));
    return ok ? 0 : -1;
}

/* Runs command with "-" among the letters replaced by a copy of standard
 * input in a private folder, removed afterwards. */
static int with_stdin(const struct cli_args *opt, int (*command)(const struct cli_args *))
{
    int dashes = 0;
    for (int i = 0; i < opt->operand_count; i++)
        dashes += strcmp(opt->operands[i], "-") == 0;
    if (dashes == 0)
        return command(opt);
    if (dashes > 1)
        return command_usage_error(opt, "standard input ('-') can be read once, not %d times",
                                   dashes);
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/missive-stdin-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "missive: error: cannot make a temporary folder in %s: %s\n",
                tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return APP_OUTPUT;
    }
    int status = read_stdin(dir, path, sizeof path) == 0 ? APP_OK : APP_INPUT;
    if (status == APP_OK) {
        char **operands = xmalloc((size_t)opt->operand_count * sizeof *operands);
        for (int i = 0; i < opt->operand_count; i++)
            operands[i] = strcmp(opt->operands[i], "-") == 0 ? path : opt->operands[i];
        struct cli_args copy = *opt;
        copy.operands = operands;
        status = command(&copy);
        free(operands);
    }
    remove_folder(dir);
    return status;
}

static int render_command(const struct cli_args *args)
{
    if (args->output && strcmp(args->output, "-") == 0)
        return render_to_stdout(args);
    return render_or_check(args, false);
}

static int check_command(const struct cli_args *args)
{
    return render_or_check(args, true);
}

int cli_render(const struct cli_args *args)
{
    return with_stdin(args, render_command);
}

int cli_check(const struct cli_args *args)
{
    return with_stdin(args, check_command);
}
