/* command.h — owns the command line of every missive command: one table
 * of options, one table of commands (with their subcommands), one parser
 * that turns argv into a struct cli_args, each command's --help, `missive
 * help [COMMAND]`, --version, and the one form of a usage error:
 *   missive: error: what is wrong
 *   Try 'missive COMMAND --help'
 * Adding an option is one row of cli_options (commands.c) and one field
 * of struct cli_args; adding a command is one row of the command table
 * naming its options and its run function. */
#ifndef MISSIVE_COMMAND_H
#define MISSIVE_COMMAND_H

#include "error.h"
#include "entry.h"

#include <stdbool.h>
#include <stddef.h>

/* Every option's value once parsed; a command reads the fields of the
 * options it accepts (its table row says which). */
struct cli_args {
    const char *workspace, *archive, *output;
    unsigned formats; /* APP_PDF | APP_TEXT */
    bool quiet, verbose, json;
    /* init */
    const char *organisation;
    bool force;
    /* campaigns: --only, --lang, --jobs (0: every core) */
    const char *only, *languages;
    unsigned jobs;
    bool skip_invalid_signers;
    bool strict;               /* a campaign's warnings are errors */
    bool combined;             /* render --combined */
    const char *layout_report; /* render --layout-report FILE */
    int port;                  /* serve --port N (0: any free port) */
    const char *trust;         /* verify-pdf --trust CA.pem */
    /* issue --ref, register void --reason, register list's filters */
    const char *ref, *reason;
    bool dry_run;       /* issue --dry-run */
    const char *expect; /* register verify --expect COUNT:HASH */
    bool original;      /* reprint --original */
    const char *to;     /* register migrate --to URL */
    struct register_filter filter;
    char **operands; /* after the (sub)command, options taken out */
    int operand_count;
    const char *name; /* the (sub)command, as in messages: "register list" */
};

/* How an option's value is stored at its offset in struct cli_args. */
enum cli_option_kind {
    CLI_FLAG,   /* bool, no value */
    CLI_STRING, /* const char *, any value */
    CLI_FOLDER, /* const char *, not empty */
    CLI_PARSE   /* parse() decides */
};

struct cli_option {
    const char *name;  /* the long name without "--": "output" */
    char short_name;   /* 'o', or 0 */
    const char *value; /* the value's name in help ("DIR"), NULL for a flag */
    const char *help;  /* one line for --help */
    enum cli_option_kind kind;
    size_t offset; /* offsetof(struct cli_args, field) */
    /* CLI_PARSE: stores text's value at field; false with an error. */
    bool (*parse)(const char *text, void *field, struct errors *errors);
};

enum { CLI_MANY = 1 << 20 };

struct cli_command {
    const char *name;
    const char *summary; /* one line for `missive help` */
    /* Operands in the usage line ("LETTER.xml..."), how many, and what a
     * wrong count is told ("at least one letter file"). */
    const char *operands;
    int min_operands, max_operands;
    const char *operands_wanted;
    /* The long names of the options it takes, separated by spaces;
     * `required` those it cannot do without. --help and --version are
     * always accepted. */
    const char *options, *required;
    const char *description; /* paragraphs for --help, lines of at most 80 */
    /* Runs the command; returns an exit status (enum app_status). */
    int (*run)(const struct cli_args *args);
    /* A command with subcommands (register) has no run of its own. */
    const struct cli_command *subcommands;
    size_t subcommand_count;
};

/* The tables (commands.c). */
extern const struct cli_option cli_options[];
extern const size_t cli_option_count;
extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/* Parses argv and runs the command it names; returns the exit status.
 * Prints usage errors, help and the version itself. */
int command_main(int argc, char **argv);
/* `missive help [COMMAND [SUBCOMMAND]]`: the list of commands, or one
 * command's usage and options. */
int command_help(const struct cli_args *args);
/* Prints a usage error about args' command (message plus "Try ...") and
 * returns APP_USAGE, for the checks a run function makes itself. */
int command_usage_error(const struct cli_args *args, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

#endif
