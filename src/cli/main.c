/* main.c — the missive command: parses the command line, finds the
 * workspace, runs the pipeline and prints errors. The only place that
 * prints or exits. */
#include "campaign.h"
#include "cli_campaign.h"
#include "cli_init.h"
#include "cli_register.h"
#include "cli_serve.h"
#include "cli.h"
#include "error.h"
#include "letter.h"
#include "pipeline.h"

#include <getopt.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
            *formats |= PIPELINE_PDF;
        else if (strcmp(tok, "txt") == 0 || strcmp(tok, "text") == 0)
            *formats |= PIPELINE_TEXT;
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
    *opt = (struct options){.formats = PIPELINE_PDF | PIPELINE_TEXT};
    int c;
    while ((c = getopt_long(argc, argv, "o:f:w:qvj:hV", longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            opt->output_dir = optarg;
            break;
        case 'f':
            if (parse_formats(optarg, &opt->formats) != 0)
                return CLI_USAGE;
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
                return CLI_USAGE;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(CLI_OK);
        case 'V':
            printf("missive %s\n", MISSIVE_VERSION);
            exit(CLI_OK);
        default:
            fputs(usage_text, stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return CLI_USAGE;
    }
    opt->command = argv[optind++];
    if (cli_register_handles(opt->command)) {
        /* main only hands the archive's commands over when they come first. */
        fprintf(stderr, "missive: error: options go after the command: missive %s [options] ...\n",
                opt->command);
        return CLI_USAGE;
    }
    if (strcmp(opt->command, "render") != 0 && strcmp(opt->command, "check") != 0) {
        fprintf(stderr,
                "missive: error: unknown command '%s' (commands: render, check, issue, "
                "register, reprint)\n",
                opt->command);
        return CLI_USAGE;
    }
    if (optind >= argc) {
        fprintf(stderr, "missive: error: %s needs at least one letter file\n", opt->command);
        return CLI_USAGE;
    }
    opt->letters = argv + optind;
    opt->letter_count = argc - optind;
    return CLI_OK;
}

/* The output names used so far in this run, each with the letter that
 * used it: two letters with the same reference or file name would
 * otherwise overwrite each other's files without a word. */
struct used_names {
    char **stems;
    const char **letters;
    size_t count;
};

/* Records letter's stem; false (with an error) when another letter of
 * this run already has it. */
static bool claim_name(struct used_names *used, const struct letter *letter, const char *path,
                       struct errors *errors)
{
    char *stem = pipeline_output_stem(letter);
    for (size_t i = 0; i < used->count; i++) {
        if (strcmp(used->stems[i], stem) == 0) {
            errors_add(errors, letter->loc,
                       "output name '%s' is already used by %s in this run (give the letters "
                       "different references or file names)",
                       stem, used->letters[i]);
            free(stem);
            return false;
        }
    }
    used->stems = xrealloc(used->stems, (used->count + 1) * sizeof *used->stems);
    used->letters = xrealloc(used->letters, (used->count + 1) * sizeof *used->letters);
    used->stems[used->count] = stem;
    used->letters[used->count++] = path;
    return true;
}

static void used_names_free(struct used_names *used)
{
    for (size_t i = 0; i < used->count; i++)
        free(used->stems[i]);
    free(used->stems);
    free(used->letters);
}

/* render_one's answer for a campaign, which printed its own results. */
enum { RENDERED_CAMPAIGN = 100 };

/* A campaign (a letter with <recipients>) goes to cli_campaign.c, which
 * prints its errors and results and returns an exit status
 * (RENDERED_CAMPAIGN when fine); a single letter is rendered here. */
static int render_one(struct pipeline *pipeline, const struct options *opt, const char *path,
                      const char *out, struct used_names *used, struct pipeline_result *result,
                      struct errors *errors)
{
    memset(result, 0, sizeof *result);
    struct letter *letter = letter_load(path, errors);
    if (!letter)
        return PIPELINE_INPUT_FAILED;
    int status;
    if (campaign_is(letter)) {
        struct cli_campaign_options o = {.filter = {opt->only, opt->languages},
                                         .jobs = opt->jobs,
                                         .formats = opt->formats,
                                         .output_dir = out,
                                         .quiet = opt->quiet,
                                         .verbose = opt->verbose};
        status = cli_campaign_render(pipeline, letter, &o);
        status = status == CLI_OK ? RENDERED_CAMPAIGN : status;
    } else if (opt->only || opt->languages) {
        errors_add(errors, letter->loc, "--%s applies to campaigns (letters with <recipients>)",
                   opt->only ? "only" : "lang");
        status = PIPELINE_INPUT_FAILED;
    } else if (out && !claim_name(used, letter, path, errors)) {
        status = PIPELINE_INPUT_FAILED;
    } else {
        status = pipeline_render_letter(pipeline, letter, opt->formats, out, result, errors);
    }
    letter_free(letter);
    return status;
}

/* A petition that lost or merged rows says so even with --quiet: its
 * report file has the details. */
static void print_signers(const char *letter, const struct pipeline_result *result)
{
    if (!result->petition || (!result->signers_left_out && !result->signers_merged))
        return;
    fprintf(stderr, "%s: %zu signers; %zu wrong row%s left out, %zu duplicate%s merged", letter,
            result->signers, result->signers_left_out, result->signers_left_out == 1 ? "" : "s",
            result->signers_merged, result->signers_merged == 1 ? "" : "s");
    if (result->count)
        fprintf(stderr, " (listed in %s)", result->paths[result->count - 1]);
    fputc('\n', stderr);
}

static int run(const struct options *opt)
{
    struct errors errors = {0};
    char *root = opt->workspace ? strdup(opt->workspace) : cli_find_workspace(opt->letters[0]);
    struct pipeline *pipeline = pipeline_open(root, &errors);
    int status = CLI_OK;
    if (!pipeline) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        free(root);
        return CLI_INPUT;
    }
    pipeline_skip_invalid_signers(pipeline, opt->skip_invalid_signers);
    if (opt->layout_report)
        pipeline_layout_report(pipeline, opt->layout_report);
    bool check = strcmp(opt->command, "check") == 0;
    struct used_names used = {0};
    const char *out =
        opt->output_dir ? opt->output_dir : pipeline_workspace(pipeline)->settings.output_dir;
    for (int i = 0; i < opt->letter_count; i++) {
        struct pipeline_result result;
        int rendered =
            render_one(pipeline, opt, opt->letters[i], check ? NULL : out, &used, &result, &errors);
        if (rendered == RENDERED_CAMPAIGN || rendered == CLI_INPUT || rendered == CLI_OUTPUT) {
            if (status == CLI_OK && rendered != RENDERED_CAMPAIGN)
                status = rendered;
            continue;
        }
        if (rendered != 0) {
            errors_print(&errors, stderr);
            errors_clear(&errors);
            if (status == CLI_OK)
                status = rendered == PIPELINE_OUTPUT_FAILED ? CLI_OUTPUT : CLI_INPUT;
            continue;
        }
        print_signers(opt->letters[i], &result);
        if (!opt->quiet) {
            if (check)
                printf("%s: ok\n", opt->letters[i]);
            for (size_t k = 0; k < result.count; k++)
                printf("%s\n", result.paths[k]);
        }
        pipeline_result_clear(&result);
    }
    if (opt->layout_report && !check && status == CLI_OK &&
        pipeline_write_layout_report(pipeline, &errors) != 0) {
        errors_print(&errors, stderr);
        errors_clear(&errors);
        status = CLI_OUTPUT;
    }
    used_names_free(&used);
    pipeline_free(pipeline);
    free(root);
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
    /* The archive's commands have options of their own. */
    if (argc > 1 && cli_register_handles(argv[1]))
        return cli_register_run(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "serve") == 0)
        return cli_serve(argc - 1, argv + 1);
    struct options opt;
    int status = parse_options(argc, argv, &opt);
    if (status != CLI_OK)
        return status;
    return run(&opt);
}
