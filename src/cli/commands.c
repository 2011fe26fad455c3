/* commands.c — the tables of missive's command line: every option once,
 * every command with the options it takes and the function that runs it.
 * The run functions only turn parsed options into the calls of the
 * commands' own modules. */
#include "command.h"

#include "cli.h"
#include "cli_init.h"
#include "cli_people.h"
#include "cli_register.h"
#include "cli_render.h"
#include "cli_serve.h"
#include "cli_sign.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- option values ---- */

static bool parse_formats(const char *list, void *field, struct errors *errors)
{
    unsigned *formats = field;
    *formats = 0;
    bool ok = true;
    char *copy = xstrdup(list);
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok && ok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "pdf") == 0)
            *formats |= APP_PDF;
        else if (strcmp(tok, "txt") == 0 || strcmp(tok, "text") == 0)
            *formats |= APP_TEXT;
        else if (strcmp(tok, "eml") == 0)
            *formats |= APP_EML;
        else {
            errors_add_at(errors, NULL, 0, 0, "unknown format '%s' (formats: pdf, txt, eml)", tok);
            ok = false;
        }
    }
    free(copy);
    if (ok && !*formats) {
        errors_add_at(errors, NULL, 0, 0, "--format needs pdf, txt, eml or several (pdf,txt)");
        ok = false;
    }
    return ok;
}

static bool parse_number(const char *text, long min, long max, long *value)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (*end || end == text || v < min || v > max)
        return false;
    *value = v;
    return true;
}

static bool parse_jobs(const char *text, void *field, struct errors *errors)
{
    long v;
    if (!parse_number(text, 1, 1024, &v)) {
        errors_add_at(errors, NULL, 0, 0,
                      "--jobs takes a number of threads from 1 to 1024, not '%s'", text);
        return false;
    }
    *(unsigned *)field = (unsigned)v;
    return true;
}

static bool parse_year(const char *text, void *field, struct errors *errors)
{
    long v;
    if (!parse_number(text, 1, 9999, &v)) {
        errors_add_at(errors, NULL, 0, 0, "--year takes a year such as 2011, not '%s'", text);
        return false;
    }
    *(int *)field = (int)v;
    return true;
}

static bool parse_port(const char *text, void *field, struct errors *errors)
{
    long v;
    if (!parse_number(text, 0, 65535, &v)) {
        errors_add_at(errors, NULL, 0, 0, "--port takes a number from 0 to 65535, not '%s'", text);
        return false;
    }
    *(int *)field = (int)v;
    return true;
}

static bool parse_reason(const char *text, void *field, struct errors *errors)
{
    if (!text[0]) {
        errors_add_at(errors, NULL, 0, 0, "--reason needs a text (why the letter is void)");
        return false;
    }
    *(const char **)field = text;
    return true;
}

#define AT(field) offsetof(struct cli_args, field)

/* Every option of every command, in the order --help lists them. */
const struct cli_option cli_options[] = {
    {"workspace", 'w', "DIR", "the workspace folder (default: found from the letter)", CLI_FOLDER,
     AT(workspace), NULL},
    {"archive", 'a', "DIR", "the archive folder (default: missive.ini's [archive])", CLI_FOLDER,
     AT(archive), NULL},
    {"output", 'o', "DIR", "the output folder (default: [output]; - : stdout)", CLI_FOLDER,
     AT(output), NULL},
    {"format", 'f', "LIST", "pdf, txt, eml (an e-mail of each), or several (default: pdf,txt)",
     CLI_PARSE, AT(formats), parse_formats},
    {"combined", 0, NULL, "of a campaign, also one PDF of every letter for printing", CLI_FLAG,
     AT(combined), NULL},
    {"organisation", 0, "PREFIX", "the prefix of the workspace's reference numbers", CLI_STRING,
     AT(organisation), NULL},
    {"force", 0, NULL, "add to a folder that is not empty (overwrite nothing)", CLI_FLAG, AT(force),
     NULL},
    {"ref", 0, "REF", "import this legacy reference for the one letter given", CLI_STRING, AT(ref),
     NULL},
    {"dry-run", 'n', NULL, "say what would be issued, and change nothing", CLI_FLAG, AT(dry_run),
     NULL},
    {"expect", 0, "COUNT:HASH", "fail unless the register's head is this one", CLI_STRING,
     AT(expect), NULL},
    {"original", 0, NULL, "hand out the archived files when a re-render differs", CLI_FLAG,
     AT(original), NULL},
    {"to", 0, "URL", "the empty PostgreSQL register to copy into", CLI_STRING, AT(to), NULL},
    {"office", 0, "NAME", "only letters that office recorded", CLI_STRING, AT(filter.office), NULL},
    {"series", 0, "NAME", "only letters of that series (LT, PT)", CLI_STRING, AT(filter.series),
     NULL},
    {"reason", 0, "TEXT", "why the letter is void", CLI_PARSE, AT(reason), parse_reason},
    {"year", 0, "YYYY", "only letters of that year", CLI_PARSE, AT(filter.year), parse_year},
    {"country", 0, "CC", "only letters to that country", CLI_STRING, AT(filter.country), NULL},
    {"language", 0, "LL", "only letters in that language", CLI_STRING, AT(filter.language), NULL},
    {"recipient", 0, "ID", "only letters to that recipient", CLI_STRING, AT(filter.recipient),
     NULL},
    {"signatory", 0, "ID", "only letters that signatory signed", CLI_STRING, AT(filter.signatory),
     NULL},
    {"search", 0, "TEXT", "only letters whose subject or recipient holds TEXT", CLI_STRING,
     AT(filter.text), NULL},
    {"only", 0, "ID,...", "of a campaign, only the letters to these recipients", CLI_STRING,
     AT(only), NULL},
    {"lang", 0, "LL,...", "of a campaign, only the letters in these languages", CLI_STRING,
     AT(languages), NULL},
    {"strict", 0, NULL, "a campaign's warnings (text some letters lack...) are errors", CLI_FLAG,
     AT(strict), NULL},
    {"jobs", 'j', "N", "threads for a campaign (default: every core)", CLI_PARSE, AT(jobs),
     parse_jobs},
    {"skip-invalid-signers", 0, NULL, "leave a petition's wrong signer rows out", CLI_FLAG,
     AT(skip_invalid_signers), NULL},
    {"layout-report", 0, "FILE", "write how every PDF line was set to FILE, as JSON", CLI_STRING,
     AT(layout_report), NULL},
    {"port", 'p', "N", "the port (1-65535; 0 or none: any free port)", CLI_PARSE, AT(port),
     parse_port},
    {"trust", 0, "CA.pem", "the certificates signatures must chain to", CLI_STRING, AT(trust),
     NULL},
    {"json", 0, NULL, "print JSON for scripts", CLI_FLAG, AT(json), NULL},
    {"quiet", 'q', NULL, "print nothing but errors", CLI_FLAG, AT(quiet), NULL},
    {"verbose", 'v', NULL, "one line per campaign letter, and the time taken", CLI_FLAG,
     AT(verbose), NULL},
    {"help", 'h', NULL, "this help", CLI_FLAG, 0, NULL},
    {"version", 'V', NULL, "the version", CLI_FLAG, 0, NULL},
};
const size_t cli_option_count = sizeof cli_options / sizeof cli_options[0];

/* ---- the archive's commands, through struct cli (cli_register.h) ---- */

static int run_archive(const struct cli_args *a, const char *command, const char *subcommand,
                       int (*run)(struct cli *))
{
    struct cli c = {.command = command,
                    .subcommand = subcommand,
                    .workspace = a->workspace,
                    .archive = a->archive,
                    .output = a->output,
                    .ref = a->ref,
                    .reason = a->reason,
                    .quiet = a->quiet,
                    .json = a->json,
                    .filter_only = a->only,
                    .filter_languages = a->languages,
                    .jobs = a->jobs,
                    .verbose = a->verbose,
                    .dry_run = a->dry_run,
                    .strict = a->strict,
                    .combined = a->combined,
                    .skip_invalid_signers = a->skip_invalid_signers,
                    .formats = a->formats,
                    .expect = a->expect,
                    .original = a->original,
                    .to = a->to,
                    .filter = a->filter,
                    .args = a->operands,
                    .arg_count = a->operand_count};
    /* A letter names its workspace; the archive's commands start here. */
    const char *start = strcmp(command, "issue") == 0 ? c.args[0] : ".";
    c.app = app_open(&(struct app_options){c.workspace, start, c.archive});
    c.events.quiet = c.quiet;
    c.events.keep_warnings = c.json;
    c.events.verbose = c.verbose;
    int status = run(&c);
    cli_fail(&c, status);
    app_close(c.app);
    return status;
}

static int run_issue(const struct cli_args *a)
{
    if (a->ref && a->operand_count != 1)
        return command_usage_error(a, "--ref gives the reference of one letter, not %d",
                                   a->operand_count);
    if (a->output && strcmp(a->output, "-") == 0)
        return command_usage_error(a, "-o - : issue writes its copies into a folder, not to "
                                      "standard output");
    if ((a->formats || a->combined) && !a->output)
        return command_usage_error(a,
                                   "--%s chooses the copies issue writes with -o DIR: "
                                   "give the folder",
                                   a->formats ? "format" : "combined");
    return run_archive(a, "issue", NULL, cli_issue);
}

static int run_reprint(const struct cli_args *a)
{
    return run_archive(a, "reprint", NULL, cli_reprint);
}

static int run_status(const struct cli_args *a)
{
    return run_archive(a, "status", NULL, cli_status);
}

static int run_set(const struct cli_args *a)
{
    return run_archive(a, "set", NULL, cli_set);
}

static int run_sign(const struct cli_args *a)
{
    return run_archive(a, "sign", NULL, cli_sign);
}

static int run_list(const struct cli_args *a)
{
    return run_archive(a, "register", "list", cli_register_list);
}

static int run_show(const struct cli_args *a)
{
    return run_archive(a, "register", "show", cli_register_show);
}

static int run_verify(const struct cli_args *a)
{
    return run_archive(a, "register", "verify", cli_register_verify);
}

static int run_void(const struct cli_args *a)
{
    return run_archive(a, "register", "void", cli_register_void);
}

static int run_import(const struct cli_args *a)
{
    return run_archive(a, "register", "import", cli_register_import);
}

static int run_migrate(const struct cli_args *a)
{
    return run_archive(a, "register", "migrate", cli_register_migrate);
}

/* ---- the commands ---- */

static const struct cli_command register_commands[] = {
    {.name = "list",
     .summary = "list the issued letters, newest last",
     .options =
         "workspace archive json year country language recipient signatory search series office",
     .operands = "",
     .run = run_list},
    {.name = "show",
     .summary = "show one entry of the register",
     .operands = "REF",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "one reference",
     .options = "workspace archive json",
     .run = run_show},
    {.name = "verify",
     .summary = "check the register's hash chain and every archived file (exit 4 on problems)",
     .operands = "",
     .options = "workspace archive quiet expect json",
     .run = run_verify},
    {.name = "void",
     .summary = "void an issued letter; its number is never given again",
     .operands = "REF",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "one reference",
     .options = "workspace archive reason",
     .required = "reason",
     .run = run_void},
    {.name = "import",
     .summary = "import legacy reference numbers from a CSV file",
     .operands = "FILE.csv",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "one CSV file",
     .options = "workspace archive quiet",
     .run = run_import},
    {.name = "migrate",
     .summary = "copy this register and its archive into an empty PostgreSQL register",
     .operands = "",
     .options = "workspace archive quiet to",
     .required = "to",
     .run = run_migrate},
};

const struct cli_command cli_commands[] = {
    {.name = "init",
     .summary = "make a new workspace",
     .operands = "[DIR]",
     .max_operands = 1,
     .operands_wanted = "at most one folder",
     .options = "organisation force quiet",
     .required = "organisation",
     .description =
         "Make a new workspace in DIR (default: the current folder): missive.ini with the\n"
         "organisation's reference prefix, the three people files with one example each,\n"
         "an example letter (letters/example.xml) and a copy of the default templates.\n"
         "A folder that is not empty is refused unless --force is given.",
     .run = cli_init},
    {.name = "render",
     .summary = "merge each letter with its template and data, write PDF and text",
     .operands = "LETTER.xml...",
     .min_operands = 1,
     .max_operands = CLI_MANY,
     .operands_wanted = "at least one letter file",
     .options = "workspace output format combined quiet verbose only lang strict jobs "
                "skip-invalid-signers layout-report json",
     .description =
         "Merge each letter with its template and the workspace's data and write NAME.pdf\n"
         "and NAME.txt to the output folder, NAME being the letter's reference, or its\n"
         "file name for a draft. A letter with any error writes nothing. A campaign (a\n"
         "letter with <recipients>) makes one letter per recipient, all on every core.\n"
         "\n"
         "--format eml adds NAME.eml, an e-mail to the recipient's `email` from [mail]\n"
         "from, its text as the body and its PDF attached, for any mail client or\n"
         "`sendmail -t` (missive sends nothing). --combined adds LETTER.pdf, a campaign's\n"
         "letters in one PDF for printing, each starting on an odd page.",
     .run = cli_render},
    {.name = "check",
     .summary = "validate everything render would do, write nothing",
     .operands = "LETTER.xml...",
     .min_operands = 1,
     .max_operands = CLI_MANY,
     .operands_wanted = "at least one letter file",
     .options = "workspace format quiet verbose only lang strict jobs "
                "skip-invalid-signers layout-report json",
     .description = "Do everything render does and write nothing; print 'LETTER: ok' for each\n"
                    "good letter and every error found, as file:line:col: error: message.",
     .run = cli_check},
    {.name = "issue",
     .summary = "number, render and archive letters",
     .operands = "LETTER.xml...",
     .min_operands = 1,
     .max_operands = CLI_MANY,
     .operands_wanted = "at least one letter file",
     .options = "workspace archive output format combined quiet ref dry-run only lang strict jobs "
                "verbose json skip-invalid-signers",
     .description = "Give each letter the next reference number of its scope, render it with that\n"
                    "number, archive the PDF, the text and the merged source (and a petition's\n"
                    "signers report) and record it in the register, all in one transaction.\n"
                    "Prints each reference issued.\n"
                    "\n"
                    "-o DIR also writes each issued letter's copies into DIR once the register\n"
                    "has recorded them, named by the reference: its PDF as archived (signed), its\n"
                    "text, and with --format eml an e-mail to the recipient (default pdf,txt).",
     .run = run_issue},
    {.name = "import",
     .summary = "write the people of a [source.NAME] spreadsheet as INI",
     .operands = "SOURCE",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "the NAME of one [source.NAME] section of missive.ini",
     .options = "workspace",
     .description =
         "Read the spreadsheet that [source.SOURCE] of missive.ini names, check every row\n"
         "as the workspace does, and print its people as the sections of an INI people\n"
         "file (quoted where INI needs it), to add to letters/recipients.ini (or\n"
         "signatories.ini, organisations.ini) in place of the [source.SOURCE] section.\n"
         "Nothing is printed when any row is wrong (docs/formats.md).",
     .run = cli_import_people},
    {.name = "register",
     .summary = "list, show, verify, void, import or migrate entries of the register",
     .subcommands = register_commands,
     .subcommand_count = sizeof register_commands / sizeof register_commands[0]},
    {.name = "status",
     .summary = "list the workspace's letters: issued, numbered, draft or not loading",
     .operands = "",
     .options = "workspace archive quiet json",
     .description =
         "Print each letter file of letters/ with its state: issued (with the references\n"
         "the register holds for it: the entries, not void, with its subject, date and\n"
         "recipient), numbered (a reference in the file the register lacks), draft, or\n"
         "error (the file does not load); then its kind, date, recipients and subject.\n"
         "What the workspace page of missive serve shows.",
     .run = run_status},
    {.name = "set",
     .summary = "change one value in place: a person's key, a letter's date",
     .operands = "FILE.ini SECTION KEY VALUE | LETTER.xml date VALUE",
     .min_operands = 3,
     .max_operands = 4,
     .operands_wanted = "a file, a section and key (INI) or date (letter), and a value",
     .options = "workspace quiet",
     .description =
         "Replace the one value in the file, where it is written, and nothing else: the\n"
         "rest of the file stays byte for byte (comments, spacing, order). Refused when\n"
         "the value is quoted or escaped in the file, when the new one would need quotes\n"
         "or is not a real date, or when the key is not there (set adds nothing).\n"
         "Prints FILE:LINE:COL: KEY: 'OLD' -> 'NEW'.",
     .run = run_set},
    {.name = "reprint",
     .summary = "render an issued letter again from the archive, byte for byte",
     .operands = "REF",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "one reference",
     .options = "workspace archive output quiet original",
     .description = "Render an issued letter again from the archive and write it to the output\n"
                    "folder only when it is byte for byte the archived one; with --original,\n"
                    "hand out the archived files (checked against the register) when it is not.",
     .run = run_reprint},
    {.name = "serve",
     .summary = "a local web page to preview, check and issue letters",
     .operands = "",
     .options = "workspace port",
     .description =
         "Serve the workspace (default: the current folder) on http://127.0.0.1:N/ (any\n"
         "free port by default) until Ctrl-C. Open the address printed: it holds a new\n"
         "access token each start.",
     .run = cli_serve},
    {.name = "sign",
     .summary = "add the signatures still missing to an issued letter",
     .operands = "REF",
     .min_operands = 1,
     .max_operands = 1,
     .operands_wanted = "one reference",
     .options = "workspace archive quiet",
     .description =
         "Sign an issued letter later (a second signatory in another office): each\n"
         "signatory who has not signed it yet and whose key is configured here adds a\n"
         "PAdES signature as an incremental update, and the register records the signed\n"
         "PDF as a 'sign' entry, file and entry in one transaction (docs/signing.md).",
     .run = run_sign},
    {.name = "verify-pdf",
     .summary = "check each digital signature of signed PDFs",
     .operands = "FILE.pdf...",
     .min_operands = 1,
     .max_operands = CLI_MANY,
     .operands_wanted = "at least one PDF file",
     .options = "workspace trust",
     .description =
         "Print each digital signature of each file, in order: who signed, whether it\n"
         "holds, whether its certificate chains to --trust, its timestamp. Exit 4 when a\n"
         "signature does not hold, a file has none, or bytes follow the last one\n"
         "(docs/signing.md).",
     .run = cli_verify_pdf},
    {.name = "help",
     .summary = "this list, or a command's usage and options",
     .operands = "[COMMAND [SUBCOMMAND]]",
     .max_operands = 2,
     .operands_wanted = "a command, or a command and its subcommand",
     .run = command_help},
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
