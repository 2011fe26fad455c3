/* cli_register.c — the command line of issue, register and reprint:
 * options, finding the workspace and archive, and `missive reprint`. */
#include "cli_register.h"

#include "archive.h"
#include "buffer.h"
#include "snapshot.h"
#include "font.h"
#include "output.h"
#include "pdf.h"
#include "text.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Other writers hold the lock for one letter at a time; waiting two
 * minutes covers hundreds of letters queued before us. */
#define BUSY_MS 120000

static const char usage_text[] =
    "usage: missive issue LETTER.xml... [--ref REF] [-w WORKSPACE] [-a ARCHIVE] [-q]\n"
    "                     [--only ID,...] [--lang LL,...] [--jobs N] [-v]  (campaigns)\n"
    "       missive register list [--year Y] [--country CC] [--language LL]\n"
    "                             [--recipient R] [--signatory S] [--search TEXT] [--json]\n"
    "       missive register show REF [--json]\n"
    "       missive register verify [-q]\n"
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
                                      {"help", no_argument, NULL, 'h'},
                                      {NULL, 0, NULL, 0}};

/* Each (sub)command: operands it takes and the options that apply. */
static const struct {
    const char *name;
    int min_args, max_args;
    const char *options;
    int (*run)(struct cli *c);
} commands[] = {
    {"issue", 1, 1 << 20, "waqrOGJv", cli_issue}, {"list", 0, 0, "wajYCLPST", cli_register_list},
    {"show", 1, 1, "waj", cli_register_show},     {"verify", 0, 0, "waq", cli_register_verify},
    {"void", 1, 1, "waR", cli_register_void},     {"import", 1, 1, "waq", cli_register_import},
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
    case 'h':
        fputs(usage_text, stdout);
        exit(CLI_OK);
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
            return CLI_USAGE;
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
            return CLI_USAGE;
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
        return CLI_USAGE;
    }
    const char *full = cli->subcommand ? "register " : "";
    for (const char *s = seen; *s; s++) {
        if (!strchr(commands[k].options, *s)) {
            fprintf(stderr, "missive: error: --%s does not apply to '%s%s'\n", long_name(*s), full,
                    name);
            return CLI_USAGE;
        }
    }
    if (count < commands[k].min_args || count > commands[k].max_args) {
        const char *what = k == 0                 ? "at least one letter file"
                           : k == 5               ? "one CSV file"
                           : commands[k].min_args ? "one reference"
                                                  : "no operands";
        fprintf(stderr, "missive: error: '%s%s' takes %s\n", full, name, what);
        return CLI_USAGE;
    }
    if (k == 4 && (!cli->reason || !cli->reason[0])) {
        fprintf(stderr, "missive: error: 'register void' needs --reason TEXT (why the letter "
                        "is void)\n");
        return CLI_USAGE;
    }
    cli->args = operands;
    cli->arg_count = count;
    *command = k;
    return CLI_OK;
}

int cli_register_run(int argc, char **argv)
{
    struct cli c = {.command = argv[0]};
    size_t k;
    int status = parse(&c, argc, argv, &k);
    if (status != CLI_OK)
        return status;
    status = commands[k].run(&c);
    pipeline_free(c.pipeline);
    errors_clear(&c.errors);
    return status;
}

/* ---- shared helpers ---- */

int cli_fail(struct cli *c, int status)
{
    errors_print(&c->errors, stderr);
    errors_clear(&c->errors);
    return status;
}

void cli_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cli_report_recovered(const struct cli *c, char **removed)
{
    for (size_t i = 0; removed && removed[i]; i++)
        if (!c->quiet)
            fprintf(stderr, "missive: note: removed %s/%s, left by an interrupted issue\n",
                    c->archive_dir, removed[i]);
    register_strings_free(removed);
}

int cli_recover(struct cli *c, struct register_db *db)
{
    size_t before = c->errors.count;
    cli_report_recovered(c, register_recover(db, &c->errors));
    return c->errors.count == before ? 0 : -1;
}

int cli_load_workspace(struct cli *c, const char *start)
{
    char *root = c->workspace ? xstrdup(c->workspace) : cli_find_workspace(start);
    c->pipeline = pipeline_open(root, &c->errors);
    free(root);
    if (!c->pipeline)
        return cli_fail(c, CLI_INPUT);
    if (!c->archive)
        c->archive_dir = pipeline_workspace(c->pipeline)->settings.archive_dir;
    else
        c->archive_dir = c->archive;
    return CLI_OK;
}

struct register_db *cli_open_register(struct cli *c, int *status)
{
    if (!c->archive_dir) {
        c->archive_dir = c->archive;
        if (!c->archive_dir && (*status = cli_load_workspace(c, ".")) != CLI_OK)
            return NULL;
    }
    /* Only the commands that add entries create an archive. */
    bool create =
        strcmp(c->command, "issue") == 0 || (c->subcommand && strcmp(c->subcommand, "import") == 0);
    char *path = archive_join(c->archive_dir, ARCHIVE_REGISTER);
    struct stat st;
    bool exists = stat(path, &st) == 0;
    free(path);
    if (!create && !exists) {
        errors_add_at(&c->errors, c->archive_dir, 0, 0,
                      "no register here (nothing has been issued into this archive)");
        *status = cli_fail(c, CLI_INPUT);
        return NULL;
    }
    struct register_db *db = NULL;
    if (archive_mkdirs(c->archive_dir, &c->errors) == 0)
        db = register_open(c->archive_dir, BUSY_MS, &c->errors);
    *status = db ? CLI_OK : cli_fail(c, CLI_OUTPUT);
    return db;
}

/* ---- reprint ---- */

static const struct register_file *file_of(const struct register_entry *e, const char *role)
{
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, role) == 0)
            return &e->files[i];
    return NULL;
}

/* The archived source, checked against the register and its blobs. */
static struct snapshot *read_source(struct cli *c, const struct register_file *f)
{
    char *path = archive_join(c->archive_dir, f->path);
    char *blobs = archive_join(c->archive_dir, ARCHIVE_BLOBS);
    struct snapshot *x = snapshot_read_archived(path, f->sha256, blobs, true, &c->errors);
    free(blobs);
    free(path);
    return x;
}

/* Renders x as archived and compares with the files recorded. */
static int rerender(struct cli *c, const struct register_entry *e, struct snapshot *x,
                    struct buffer *pdf, struct buffer *text)
{
    struct font_set *fonts = font_set_open(&x->settings.fonts, &c->errors);
    int status = fonts && pdf_render(x->doc, &x->settings, fonts, pdf, &c->errors) == 0 &&
                         text_render(x->doc, x->settings.text_width, text, &c->errors) == 0
                     ? CLI_OK
                     : CLI_INPUT;
    font_set_free(fonts);
    const struct buffer *made[] = {pdf, text};
    const char *roles[] = {"pdf", "text"};
    for (int i = 0; i < 2 && status == CLI_OK; i++) {
        const struct register_file *f = file_of(e, roles[i]);
        char hex[65];
        archive_sha256(made[i]->data, made[i]->len, hex);
        if (!f || strcmp(hex, f->sha256) != 0) {
            errors_add_at(&c->errors, NULL, 0, 0,
                          "the reprinted %s of '%s' differs from the archived one (SHA-256 %s, "
                          "archived %s); nothing was written",
                          roles[i], e->reference, hex, f ? f->sha256 : "none");
            status = CLI_PROBLEMS;
        }
    }
    return status;
}

int cli_reprint(struct cli *c)
{
    const char *reference = c->args[0];
    int status = CLI_OK;
    struct register_db *db = cli_open_register(c, &status);
    if (!db)
        return status;
    struct arena *arena = arena_new();
    struct register_entry *e = register_find(db, arena, reference, &c->errors);
    const struct register_file *source = e ? file_of(e, "source") : NULL;
    struct snapshot *x = NULL;
    struct buffer pdf = {0}, text = {0};
    if (!e && c->errors.count == 0)
        errors_add_at(&c->errors, NULL, 0, 0, "no reference '%s' in the register", reference);
    else if (e && !source)
        errors_add_at(&c->errors, NULL, 0, 0,
                      "'%s' was imported without archived files: there is nothing to reprint",
                      reference);
    else if (e)
        x = read_source(c, source);
    status = x ? rerender(c, e, x, &pdf, &text) : CLI_INPUT;
    if (status == CLI_OK) {
        const char *dir = c->output     ? c->output
                          : c->pipeline ? pipeline_workspace(c->pipeline)->settings.output_dir
                                        : ".";
        struct output_file files[] = {{"pdf", &pdf}, {"txt", &text}};
        char *stem = output_safe_name(reference);
        if (output_write_all(dir, stem, files, 2, &c->errors) != 0)
            status = CLI_OUTPUT;
        for (int i = 0; status == CLI_OK && !c->quiet && i < 2; i++)
            printf("%s/%s.%s\n", dir, stem, files[i].extension);
        free(stem);
    }
    if (c->errors.count)
        status = cli_fail(c, status == CLI_OK ? CLI_INPUT : status);
    buffer_free(&pdf);
    buffer_free(&text);
    snapshot_free(x);
    arena_free(arena);
    register_close(db);
    return status;
}
