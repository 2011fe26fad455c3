/* command.c — the one option parser, help and usage errors, driven by the
 * tables of commands.c. */
#include "command.h"

#include "arena.h"
#include "cli.h"
#include "suggest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MISSIVE_VERSION
#define MISSIVE_VERSION "unknown"
#endif

/* One option as it appeared on the command line, checked against the
 * command once the (sub)command is known. */
struct given {
    const struct cli_option *option;
    const char *value;
    char spelling[64]; /* "--output" or "-o", for messages */
};

struct parse {
    const struct cli_command *command;    /* the top-level command */
    const struct cli_command *subcommand; /* when it has them */
    struct given *given;
    size_t given_count;
    char **operands;
    int operand_count;
    bool help, version;
    char error[512]; /* the first usage error, "" when none */
};

static const char *full_name(const struct parse *p, char *buffer, size_t size)
{
    if (p->subcommand)
        snprintf(buffer, size, "%s %s", p->command->name, p->subcommand->name);
    else
        snprintf(buffer, size, "%s", p->command ? p->command->name : "");
    return buffer;
}

static void usage_line(FILE *out, const char *name, const char *message)
{
    fprintf(out, "missive: error: %s\n", message);
    if (*name)
        fprintf(out, "Try 'missive %s --help'\n", name);
    else
        fputs("Try 'missive --help'\n", out);
}

__attribute__((format(printf, 2, 3))) static void fail(struct parse *p, const char *format, ...)
{
    if (p->error[0])
        return;
    va_list ap;
    va_start(ap, format);
    vsnprintf(p->error, sizeof p->error, format, ap);
    va_end(ap);
}

int command_usage_error(const struct cli_args *args, const char *format, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    usage_line(stderr, args->name, message);
    return APP_USAGE;
}

/* ---- finding options and commands ---- */

static const struct cli_option *long_option(const char *name, size_t len)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (strlen(cli_options[i].name) == len && strncmp(cli_options[i].name, name, len) == 0)
            return &cli_options[i];
    return NULL;
}

static const struct cli_option *short_option(char c)
{
    for (size_t i = 0; i < cli_option_count; i++)
        if (cli_options[i].short_name == c)
            return &cli_options[i];
    return NULL;
}

/* Whether the space-separated list names name. */
static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = list; s && *s;) {
        const char *end = strchr(s, ' ');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == n && strncmp(s, name, n) == 0)
            return true;
        s = end ? end + 1 : s + len;
    }
    return false;
}

static bool always_accepted(const struct cli_option *o)
{
    return strcmp(o->name, "help") == 0 || strcmp(o->name, "version") == 0;
}

static const struct cli_command *find_command(const struct cli_command *table, size_t count,
                                              const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

/* "unknown command 'rendr' (did you mean 'render'?)" or the list. */
static void unknown_command(struct parse *p, const char *what, const char *name,
                            const struct cli_command *table, size_t count)
{
    const char *names[64];
    char list[512] = "";
    size_t n = count < 64 ? count : 64;
    for (size_t i = 0; i < n; i++) {
        names[i] = table[i].name;
        if (strlen(list) + strlen(names[i]) + 3 < sizeof list) {
            strcat(list, i ? ", " : "");
            strcat(list, names[i]);
        }
    }
    const char *close = suggest_closest(name, names, n);
    if (close)
        fail(p, "unknown %s '%s' (did you mean '%s'?)", what, name, close);
    else
        fail(p, "unknown %s '%s' (%ss: %s)", what, name, what, list);
}

/* ---- scanning argv ---- */

static void add_given(struct parse *p, const struct cli_option *o, const char *value,
                      const char *spelling)
{
    p->given = xrealloc(p->given, (p->given_count + 1) * sizeof *p->given);
    struct given *g = &p->given[p->given_count++];
    g->option = o;
    g->value = value;
    snprintf(g->spelling, sizeof g->spelling, "%s", spelling);
    if (strcmp(o->name, "help") == 0)
        p->help = true;
    if (strcmp(o->name, "version") == 0)
        p->version = true;
}

/* --name, --name=value or --name value; returns how many arguments it used. */
static int scan_long(struct parse *p, char **argv, int i, int argc)
{
    const char *arg = argv[i] + 2, *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    const struct cli_option *o = long_option(arg, len);
    char spelling[64];
    snprintf(spelling, sizeof spelling, "--%.*s", (int)(len < 60 ? len : 60), arg);
    if (!o) {
        fail(p, "unknown option '%s'", spelling);
        return 1;
    }
    if (!o->value) {
        if (eq)
            fail(p, "option '%s' takes no value", spelling);
        add_given(p, o, NULL, spelling);
        return 1;
    }
    if (eq) {
        add_given(p, o, eq + 1, spelling);
        return 1;
    }
    if (i + 1 >= argc) {
        fail(p, "option '%s' needs a value (%s %s)", spelling, spelling, o->value);
        return 1;
    }
    add_given(p, o, argv[i + 1], spelling);
    return 2;
}

/* -q, -qv, -oDIR, -o DIR; returns how many arguments it used. */
static int scan_short(struct parse *p, char **argv, int i, int argc)
{
    for (const char *s = argv[i] + 1; *s; s++) {
        const struct cli_option *o = short_option(*s);
        char spelling[3] = {'-', *s, '\0'};
        if (!o) {
            fail(p, "unknown option '%s'", spelling);
            return 1;
        }
        if (!o->value) {
            add_given(p, o, NULL, spelling);
            continue;
        }
        if (s[1]) {
            add_given(p, o, s + 1, spelling);
            return 1;
        }
        if (i + 1 >= argc) {
            fail(p, "option '%s' needs a value (%s %s)", spelling, spelling, o->value);
            return 1;
        }
        add_given(p, o, argv[i + 1], spelling);
        return 2;
    }
    return 1;
}

/* Options and operands after the command, in any order; "--" ends the
 * options and "-" alone is an operand (standard input). */
static void scan(struct parse *p, int argc, char **argv)
{
    p->operands = xmalloc((size_t)(argc + 1) * sizeof *p->operands);
    bool options = true;
    for (int i = 0; i < argc;) {
        const char *a = argv[i];
        if (options && strcmp(a, "--") == 0) {
            options = false;
            i++;
        } else if (options && a[0] == '-' && a[1] == '-') {
            i += scan_long(p, argv, i, argc);
        } else if (options && a[0] == '-' && a[1]) {
            i += scan_short(p, argv, i, argc);
        } else {
            p->operands[p->operand_count++] = argv[i++];
        }
    }
}

/* ---- help ---- */

static void print_option(FILE *out, const struct cli_option *o)
{
    char left[64];
    if (o->short_name)
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->value ? " " : "",
                 o->value ? o->value : "");
    else
        snprintf(left, sizeof left, "    --%s%s%s", o->name, o->value ? " " : "",
                 o->value ? o->value : "");
    if (strlen(left) <= 24)
        fprintf(out, "  %-24s %s\n", left, o->help);
    else
        fprintf(out, "  %s\n  %-24s %s\n", left, "", o->help);
}

static void print_command_help(FILE *out, const struct cli_command *top,
                               const struct cli_command *c)
{
    char name[128];
    if (top != c)
        snprintf(name, sizeof name, "%s %s", top->name, c->name);
    else
        snprintf(name, sizeof name, "%s", c->name);
    if (c->subcommands) {
        fprintf(out, "usage: missive %s COMMAND [options]\n\n%s\n\ncommands:\n", name, c->summary);
        for (size_t i = 0; i < c->subcommand_count; i++)
            fprintf(out, "  %-10s %s\n", c->subcommands[i].name, c->subcommands[i].summary);
        fprintf(out, "\nRun 'missive %s COMMAND --help' for a command's options.\n", name);
        return;
    }
    fprintf(out, "usage: missive %s%s%s", name, *c->operands ? " " : "", c->operands);
    for (size_t i = 0; i < cli_option_count; i++)
        if (in_list(c->required, cli_options[i].name))
            fprintf(out, " --%s %s", cli_options[i].name, cli_options[i].value);
    fputs(" [options]\n\n", out);
    if (c->description)
        fprintf(out, "%s\n", c->description);
    else
        fprintf(out, "%s\n", c->summary);
    fputs("\noptions:\n", out);
    for (size_t i = 0; i < cli_option_count; i++)
        if (in_list(c->options, cli_options[i].name) || always_accepted(&cli_options[i]))
            print_option(out, &cli_options[i]);
}

static void print_overview(FILE *out)
{
    fputs("usage: missive COMMAND [options] [operands]\n"
          "       missive help [COMMAND]\n"
          "       missive --help | --version\n\n"
          "missive merges letters with their templates and a workspace's data, renders\n"
          "them as PDF and text, numbers them and keeps an archive and a register.\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fputs("\nRun 'missive help COMMAND' or 'missive COMMAND --help' for a command's options.\n"
          "\nexit status:\n"
          "  0  success\n"
          "  1  an input is wrong (errors printed as file:line:col: error: ...)\n"
          "  2  the command line is wrong\n"
          "  3  results could not be written (files, the register, standard output)\n"
          "  4  register verify found problems, or a reprint differs from the archive\n"
          "\nSee missive(1), missive-workspace(5) and docs/ of missive's sources.\n",
          out);
}

static void print_version(void)
{
    printf("missive %s\n", MISSIVE_VERSION);
}

int command_help(const struct cli_args *args)
{
    if (args->operand_count == 0) {
        print_overview(stdout);
        return APP_OK;
    }
    const struct cli_command *top =
        find_command(cli_commands, cli_command_count, args->operands[0]);
    const struct cli_command *c = top;
    if (top && args->operand_count > 1)
        c = top->subcommands
                ? find_command(top->subcommands, top->subcommand_count, args->operands[1])
                : NULL;
    if (!c || args->operand_count > 2) {
        struct parse p = {0};
        if (!top)
            unknown_command(&p, "command", args->operands[0], cli_commands, cli_command_count);
        else if (top->subcommands && args->operand_count == 2)
            unknown_command(&p, "command", args->operands[1], top->subcommands,
                            top->subcommand_count);
        else
            fail(&p, "'help' takes a command, or a command and its subcommand");
        return command_usage_error(args, "%s", p.error);
    }
    print_command_help(stdout, top, c);
    return APP_OK;
}

/* ---- applying options ---- */

static bool apply(struct cli_args *args, const struct given *g, struct errors *errors)
{
    const struct cli_option *o = g->option;
    void *field = (char *)args + o->offset;
    switch (o->kind) {
    case CLI_FLAG:
        *(bool *)field = true;
        return true;
    case CLI_FOLDER:
        if (!g->value[0]) {
            errors_add_at(errors, NULL, 0, 0, "option '%s' needs a folder", g->spelling);
            return false;
        }
        *(const char **)field = g->value;
        return true;
    case CLI_STRING:
        *(const char **)field = g->value;
        return true;
    case CLI_PARSE:
        return o->parse(g->value, field, errors);
    }
    return false;
}

/* The subcommand, the options' fit and values, the operand count. */
static void resolve(struct parse *p, struct cli_args *args)
{
    const struct cli_command *c = p->command;
    char name[128];
    if (c->subcommands && !p->error[0]) {
        if (p->operand_count == 0) {
            char list[256] = "";
            for (size_t i = 0; i < c->subcommand_count; i++) {
                strcat(list, i ? ", " : "");
                strcat(list, c->subcommands[i].name);
            }
            if (!p->help && !p->version)
                fail(p, "%s needs a command (%s)", c->name, list);
            return;
        }
        p->subcommand = find_command(c->subcommands, c->subcommand_count, p->operands[0]);
        if (!p->subcommand) {
            char what[64];
            snprintf(what, sizeof what, "%s command", c->name);
            unknown_command(p, what, p->operands[0], c->subcommands, c->subcommand_count);
            return;
        }
        p->operands++;
        p->operand_count--;
        c = p->subcommand;
    }
    full_name(p, name, sizeof name);
    for (size_t i = 0; i < p->given_count && !p->error[0]; i++) {
        const struct given *g = &p->given[i];
        if (!always_accepted(g->option) && !in_list(c->options, g->option->name))
            fail(p, "%s does not apply to '%s'", g->spelling, name);
    }
    struct errors errors = {0};
    for (size_t i = 0; i < p->given_count && !p->error[0]; i++)
        if (!apply(args, &p->given[i], &errors) && errors.count)
            fail(p, "%s", errors.items[0].message);
    errors_clear(&errors);
    for (const char *r = c->required; r && *r && !p->error[0];) {
        const char *end = strchr(r, ' ');
        size_t len = end ? (size_t)(end - r) : strlen(r);
        const struct cli_option *o = long_option(r, len);
        bool seen = false;
        for (size_t i = 0; i < p->given_count; i++)
            seen = seen || p->given[i].option == o;
        if (o && !seen)
            fail(p, "'%s' needs --%s%s%s (%s)", name, o->name, o->value ? " " : "",
                 o->value ? o->value : "", o->help);
        r = end ? end + 1 : r + len;
    }
    const char *wanted = c->operands_wanted ? c->operands_wanted : "no operands";
    if (!p->error[0] && p->operand_count < c->min_operands)
        fail(p, "'%s' needs %s", name, wanted);
    else if (!p->error[0] && p->operand_count > c->max_operands)
        fail(p, "'%s' takes %s", name, wanted);
}

int command_main(int argc, char **argv)
{
    if (argc < 2) {
        usage_line(stderr, "", "no command given");
        return APP_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_overview(stdout);
        return APP_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        print_version();
        return APP_OK;
    }
    struct parse p = {0};
    if (first[0] == '-') {
        const char *command = "COMMAND";
        for (int i = 2; i < argc; i++)
            if (argv[i][0] != '-' && find_command(cli_commands, cli_command_count, argv[i])) {
                command = argv[i];
                break;
            }
        char message[128];
        snprintf(message, sizeof message, "options go after the command: missive %s [options] ...",
                 command);
        usage_line(stderr, strcmp(command, "COMMAND") == 0 ? "" : command, message);
        return APP_USAGE;
    }
    p.command = find_command(cli_commands, cli_command_count, first);
    if (!p.command) {
        unknown_command(&p, "command", first, cli_commands, cli_command_count);
        usage_line(stderr, "", p.error);
        return APP_USAGE;
    }
    scan(&p, argc - 2, argv + 2);
    struct cli_args args = {0};
    resolve(&p, &args);
    char name[128];
    full_name(&p, name, sizeof name);
    int status;
    if (p.help) {
        print_command_help(stdout, p.command, p.subcommand ? p.subcommand : p.command);
        status = APP_OK;
    } else if (p.version) {
        print_version();
        status = APP_OK;
    } else if (p.error[0]) {
        usage_line(stderr, name, p.error);
        status = APP_USAGE;
    } else {
        args.operands = p.operands;
        args.operand_count = p.operand_count;
        args.name = name;
        status = (p.subcommand ? p.subcommand : p.command)->run(&args);
    }
    free(p.given);
    free(p.operands - (p.subcommand ? 1 : 0));
    return status;
}
