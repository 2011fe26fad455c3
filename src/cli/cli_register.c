/* cli_register.c — the command line of issue, register and reprint:
 * options, finding the workspace and archive, and `missive reprint`. */
#include "cli_register.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: missive issue LETTER.xml... [--ref REF] [--dry-run] [-w WORKSPACE] [-a ARCHIVE] [-q]\n"
    "                     [--only ID,...] [--lang LL,...] [--jobs N] [-v]  (campaigns)\n"
    "       missive register list [--year Y] [--country CC] [--language LL]\n"
    "                             [--recipient R] [--signatory S] [--search TEXT] [--json]\n"
    "       missive register show REF [--json]\n"
    "       missive register verify [-q] [--expect COUNT:HASH]\n"
    "       missive register void REF --reason TEXT\n"
    "       missive register import FILE.csv [-q]\n"
    "       missive reprint REF [-o DIR]\n"
    "every command also takes -w WORKSPACE and -a, --archive DIR; see docs/register.md\n";

static const struct option longs[] = {{"workspace", required_argument, NULL, 'w'},
                                      {"archive", required_argument, NULL, 'a'},
                                      {"output", required_argument, NULL, 'o'},
                                      {"quiet", no_argument, NULL, 'q'},
                                      {"json", no_argument, NULL, 'j'},
                                      {"ref", required_argument, NULL, 'r'},
                                      {"reason", required_argument, NULL, 'R'},
                                      {"year", required_argument, NULL, 'Y'},
                                      {"country", required_argument, NULL, 'C'},
                                      {"language", required_argument, NULL, 'L'},
                                      {"recipient", required_argument, NULL, 'P'},
                                      {"signatory", required_argument, NULL, 'S'},
                                      {"search", required_argument, NULL, 'T'},
                                      {"only", required_argument, NULL, 'O'},
                                      {"lang", required_argument, NULL, 'G'},
                                      {"jobs", required_argument, NULL, 'J'},
                                      {"verbose", no_argument, NULL, 'v'},
                                      {"dry-run", no_argument, NULL, 'n'},
                                      {"expect", required_argument, NULL, 'E'},
                                      {"help", no_argument, NULL, 'h'},
                                      {NULL, 0, NULL, 0}};

/* Each (sub)command: operands it takes and the options that apply. */
static const struct {
    const char *name;
    int min_args, max_args;
    const char *options;
    int (*run)(struct cli *c);
} commands[] = {
    {"issue", 1, 1 << 20, "waqrOGJvn", cli_issue}, {"list", 0, 0, "wajYCLPST", cli_register_list},
    {"show", 1, 1, "waj", cli_register_show},      {"verify", 0, 0, "waqE", cli_register_verify},
    {"void", 1, 1, "waR", cli_register_void},      {"import", 1, 1, "waq", cli_register_import},
    {"reprint", 1, 1, "waoq", cli_reprint},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

bool cli_register_handles(const char *command)
{
    return strcmp(command, "issue") == 0 || strcmp(command, "register") == 0 ||
           strcmp(command, "reprint") == 0;
}

static const char *long_name(int c)
{
    for (size_t i = 0; longs[i].name; i++)
        if (longs[i].val == c)
            return longs[i].name;
    return "?";
}

static int parse_year(const char *text, int *year)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (*end || end == text || v < 1 || v > 9999) {
        fprintf(stderr, "missive: error: --year takes a year such as 2011, not '%s'\n", text);
        return -1;
    }
    *year = (int)v;
    return 0;
}

/* Records option c; returns -1 on a usage error. */
static int take_option(struct cli *cli, int c, const char *arg)
{
    /* An empty folder name would mean the current folder to some calls
     * and an error to others. */
    if ((c == 'a' || c == 'o') && !arg[0]) {
        fprintf(stderr, "missive: error: option -%c needs a folder\n", c);
        return -1;
    }
    switch (c) {
    case 'w':
        cli->workspace = arg;
        break;
    case 'a':
        cli->archive = arg;
        break;
    case 'o':
        cli->output = arg;
        break;
    case 'q':
        cli->quiet = true;
        break;
    case 'j':
        cli->json = true;
        break;
    case 'r':
        cli->ref = arg;
        break;
    case 'R':
        cli->reason = arg;
        break;
    case 'E':
        cli->expect = arg;
        break;
    case 'Y':
        return parse_year(arg, &cli->filter.year);
    case 'C':
        cli->filter.country = arg;
        break;
    case 'L':
        cli->filter.language = arg;
        break;
    case 'P':
        cli->filter.recipient = arg;
        break;
    case 'S':
        cli->filter.signatory = arg;
        break;
    case 'T':
        cli->filter.text = arg;
        break;
    case 'O':
        cli->filter_only = arg;
        break;
    case 'G':
        cli->filter_languages = arg;
        break;
    case 'J':
        return cli_parse_jobs(arg, &cli->jobs);
    case 'v':
        cli->verbose = true;
        break;
    case 'n':
        cli->dry_run = true;
        break;
    case 'h':
        fputs(usage_text, stdout);
        exit(APP_OK);
    default:
        fputs(usage_text, stderr);
        return -1;
    }
    return 0;
}

static int parse(struct cli *cli, int argc, char **argv, size_t *command)
{
    char seen[32] = "";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "w:a:o:qvh", longs, NULL)) != -1) {
        if (take_option(cli, c, optarg) != 0)
            return APP_USAGE;
        size_t n = strlen(seen);
        if (!strchr(seen, c) && n < sizeof seen - 1) {
            seen[n] = (char)c;
            seen[n + 1] = '\0';
        }
    }
    char **operands = argv + optind;
    int count = argc - optind;
    const char *name = cli->command;
    if (strcmp(cli->command, "register") == 0) {
        if (count == 0) {
            fprintf(stderr, "missive: error: register needs a command (list, show, verify, "
                            "void, import)\n");
            return APP_USAGE;
        }
        name = cli->subcommand = operands[0];
        operands++;
        count--;
    }
    size_t k = 0;
    while (k < COMMAND_COUNT && strcmp(commands[k].name, name) != 0)
        k++;
    if (k == COMMAND_COUNT || (cli->subcommand && (k == 0 || k == COMMAND_COUNT - 1))) {
        fprintf(stderr,
                "missive: error: unknown register command '%s' (commands: list, show, verify, "
                "void, import)\n",
                name);
        return APP_USAGE;
    }
    const char *full = cli->subcommand ? "register " : "";
    for (const char *s = seen; *s; s++) {
        if (!strchr(commands[k].options, *s)) {
            fprintf(stderr, "missive: error: --%s does not apply to '%s%s'\n", long_name(*s), full,
                    name);
            return APP_USAGE;
        }
    }
    if (count < commands[k].min_args || count > commands[k].max_args) {
        const char *what = k == 0                 ? "at least one letter file"
                           : k == 5               ? "one CSV file"
                           : commands[k].min_args ? "one reference"
                                                  : "no operands";
        fprintf(stderr, "missive: error: '%s%s' takes %s\n", full, name, what);
        return APP_USAGE;
    }
    if (k == 4 && (!cli->reason || !cli->reason[0])) {
        fprintf(stderr, "missive: error: 'register void' needs --reason TEXT (why the letter "
                        "is void)\n");
        return APP_USAGE;
    }
    cli->args = operands;
    cli->arg_count = count;
    *command = k;
    return APP_OK;
}

int cli_register_run(int argc, char **argv)
{
    struct cli c = {.command = argv[0]};
    size_t k;
    int status = parse(&c, argc, argv, &k);
    if (status != APP_OK)
        return status;
    /* A letter names its workspace; the archive's commands start here. */
    const char *start = strcmp(c.command, "issue") == 0 ? c.args[0] : ".";
    c.app = app_open(&(struct app_options){c.workspace, start, c.archive});
    c.events.quiet = c.quiet;
    c.events.verbose = c.verbose;
    status = commands[k].run(&c);
    cli_fail(&c, status);
    app_close(c.app);
    return status;
}

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
    if (c->ref && c->arg_count != 1) {
        fprintf(stderr, "missive: error: --ref gives the reference of one letter, not %d\n",
                c->arg_count);
        return APP_USAGE;
    }
    struct app_issue_options o = {.ref = c->ref,
                                  .only = c->filter_only,
                                  .languages = c->filter_languages,
                                  .jobs = c->jobs,
                                  .dry_run = c->dry_run};
    struct app_events events = cli_events(&c->events);
    c->events.verb = "issued";
    int status = APP_OK;
    for (int i = 0; i < c->arg_count; i++) {
        int one = app_issue(c->app, c->args[i], &o, &events, &c->errors);
        const struct cli_events *e = &c->events;
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
    int status = app_reprint(c->app, c->args[0], c->output, &events, &c->errors);
    return cli_fail(c, status);
}
