/* main.c — the missive command: parses the command line, finds the
 * workspace, runs the pipeline and prints errors. The only place that
 * prints or exits. */
#include "app.h"
#include "batch.h"
#include "cli_init.h"
#include "cli_serve.h"
#include "cli_sign.h"
#include "cli.h"
#include "cli_events.h"
#include "cli_register.h"
#include "error.h"

#include <getopt.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef MISSIVE_VERSION
#define MISSIVE_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: missive render LETTER.xml... [-o DIR] [--format pdf,txt] [-w WORKSPACE]\n"
    "       missive check LETTER.xml... [-w WORKSPACE]\n"
    "       missive issue LETTER.xml... [--ref REF] [-w WORKSPACE]\n"
    "       missive register list|show REF|verify|void REF --reason TEXT|import FILE.csv\n"
    "       missive reprint REF [-o DIR]\n"
    "       missive serve [--port N] [-w WORKSPACE]\n"
    "       missive verify-pdf FILE.pdf... [--trust CA.pem]\n"
    "       missive --help | --version\n"
    "\n"
    "commands:\n"
    "  render   merge each letter with its template and data, write PDF and text\n"
    "           to DIR (default: the workspace's output folder, normally out/);\n"
    "           files are named after the reference, or the letter's file name\n"
    "           for a draft\n"
    "  check    validate everything render would do and print every error found;\n"
    "           writes nothing\n"
    "  issue    give each letter the next reference number, render it with that\n"
    "           number and archive it; prints the references issued\n"
    "  register list, show, verify, void or import entries of the register\n"
    "  reprint  re-render an issued letter from the archive, byte for byte\n"
    "           (issue, register and reprint: see `missive issue --help`)\n"
    "  serve    a local web page to preview, check and issue letters\n"
    "           (see `missive serve --help`)\n"
    "  verify-pdf check each digital signature of signed PDFs (docs/signing.md)\n"
    "\n"
    "options:\n"
    "  -o, --output DIR       output folder for render\n"
    "  -f, --format LIST      formats to produce: pdf, txt or pdf,txt (default)\n"
    "  -w, --workspace DIR    workspace folder (default: the nearest folder holding\n"
    "                         missive.ini, from the letter's folder upwards, else .)\n"
    "  -q, --quiet            print nothing but errors\n"
    "  -v, --verbose          say what each letter of a campaign became, and how long\n"
    "                         it took\n"
    "      --only ID,...      of a campaign, only the letters to these recipients\n"
    "      --lang LL,...      of a campaign, only the letters in these languages\n"
    "  -j, --jobs N           threads for a campaign (default: every core)\n"
    "      --layout-report FILE\n"
    "                         write every PDF line's adjustment ratio, demerits and\n"
    "                         page to FILE as JSON (docs/typography.md)\n"
    "      --skip-invalid-signers\n"
    "                         leave a petition's wrong signer rows out (they are\n"
    "                         listed in DIR/NAME.signers.txt) instead of stopping\n"
    "  -h, --help             this help\n"
    "  -V, --version          the version\n"
    "\n"
    "exit status: 0 success, 1 an input is wrong (errors printed as\n"
    "file:line:col: error: ...), 2 bad command line, 3 output could not be written,\n"
    "4 register verify found problems or a reprint differs from the archive\n";

struct options {
    const char *command;
    const char *output_dir;
    const char *workspace;
    unsigned formats;
    int quiet, verbose;
    int skip_invalid_signers;
    const char *layout_report;
    const char *only, *languages;
    unsigned jobs;
    char **letters;
    int letter_count;
};

static int parse_formats(const char *list, unsigned *formats)
{
    *formats = 0;
    char *copy = strdup(list);
    int status = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "pdf") == 0)
            *formats |= APP_PDF;
        else if (strcmp(tok, "txt") == 0 || strcmp(tok, "text") == 0)
            *formats |= APP_TEXT;
        else {
            fprintf(stderr, "missive: error: unknown format '%s' (formats: pdf, txt)\n", tok);
            status = -1;
        }
    }
    free(copy);
    if (!*formats && status == 0)
        fputs("missive: error: --format needs pdf, txt or both (pdf,txt)\n", stderr);
    return *formats ? status : -1;
}

static int parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option longs[] = {{"output", required_argument, NULL, 'o'},
                                          {"format", required_argument, NULL, 'f'},
                                          {"workspace", required_argument, NULL, 'w'},
                                          {"quiet", no_argument, NULL, 'q'},
                                          {"skip-invalid-signers", no_argument, NULL, 'S'},
                                          {"verbose", no_argument, NULL, 'v'},
                                          {"only", required_argument, NULL, 'O'},
                                          {"lang", required_argument, NULL, 'L'},
                                          {"jobs", required_argument, NULL, 'j'},
                                          {"layout-report", required_argument, NULL, 'R'},
                                          {"help", no_argument, NULL, 'h'},
                                          {"version", no_argument, NULL, 'V'},
                                          {NULL, 0, NULL, 0}};
    *opt = (struct options){.formats = APP_PDF | APP_TEXT};
    int c;
    while ((c = getopt_long(argc, argv, "o:f:w:qvj:hV", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            opt->output_dir = optarg;
            break;
        case 'f':
            if (parse_formats(optarg, &opt->formats) != 0)
                return APP_USAGE;
            break;
        case 'w':
            opt->workspace = optarg;
            break;
        case 'q':
            opt->quiet = 1;
            break;
        case 'S':
            opt->skip_invalid_signers = 1;
            break;
        case 'v':
            opt->verbose = 1;
            break;
        case 'O':
            opt->only = optarg;
            break;
        case 'L':
            opt->languages = optarg;
            break;
        case 'R':
            opt->layout_report = optarg;
            break;
        case 'j':
            if (cli_parse_jobs(optarg, &opt->jobs) != 0)
                return APP_USAGE;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(APP_OK);
        case 'V':
            printf("missive %s\n", MISSIVE_VERSION);
            exit(APP_OK);
        default:
            fputs(usage_text, stderr);
            return APP_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return APP_USAGE;
    }
    opt->command = argv[optind++];
    if (cli_register_handles(opt->command)) {
        /* main only hands the archive's commands over when they come first. */
        fprintf(stderr, "missive: error: options go after the command: missive %s [options] ...\n",
                opt->command);
        return APP_USAGE;
    }
    if (strcmp(opt->command, "render") != 0 && strcmp(opt->command, "check") != 0) {
        fprintf(stderr,
                "missive: error: unknown command '%s' (commands: render, check, issue, "
                "register, reprint)\n",
                opt->command);
        return APP_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "missive: error: %s needs at least one letter file\n", opt->command);
        return APP_USAGE;
    }
    opt->letters = argv + optind;
    opt->letter_count = argc - optind;
    return APP_OK;
}

/* Prints what a render or check of one letter file came to. */
static void report(const struct options *opt, const char *path, const struct cli_events *e,
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

static int run(const struct options *opt)
{
    bool check = strcmp(opt->command, "check") == 0;
    struct app *app = app_open(&(struct app_options){opt->workspace, opt->letters[0], NULL});
    struct errors errors = {0};
    struct cli_events e = {.quiet = opt->quiet, .verbose = opt->verbose, .verb = "rendered"};
    struct app_events events = cli_events(&e);
    struct app_render_options o = {.formats = opt->formats,
                                   .output_dir = opt->output_dir,
                                   .check = check,
                                   .only = opt->only,
                                   .languages = opt->languages,
                                   .jobs = opt->jobs,
                                   .skip_invalid_signers = opt->skip_invalid_signers,
                                   .layout_report = opt->layout_report};
    int status = APP_OK;
    for (int i = 0; i < opt->letter_count; i++) {
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        int one = app_render(app, opt->letters[i], &o, &events, &errors);
        if (one == APP_OK)
            report(opt, opt->letters[i], &e, check);
        if (one == APP_OK && opt->verbose && e.campaign_letters)
            fprintf(stderr, "%s: %zu letters in %.3f s on %u threads\n", opt->letters[i], e.count,
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
    errors_clear(&errors);
    if (opt->layout_report && !check && status == APP_OK)
        status = app_write_layout_report(app, &errors);
    errors_print(&errors, stderr);
    errors_clear(&errors);
    app_close(app);
    return status;
}

int main(int argc, char **argv)
{
    /* libxml2 2.9 wants its globals set up on the main thread before any
     * other thread may parse. */
    xmlInitParser();
    cli_find_datadir();
    if (argc > 1 && strcmp(argv[1], "init") == 0)
        return cli_init(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "verify-pdf") == 0)
        return cli_verify_pdf(argc - 1, argv + 1);
    /* The archive's commands have options of their own. */
    if (argc > 1 && cli_register_handles(argv[1]))
        return cli_register_run(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    struct options opt;
    int status = parse_options(argc, argv, &opt);
    if (status != APP_OK)
        return status;
    return run(&opt);
}
