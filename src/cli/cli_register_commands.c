/* cli_register_commands.c — `missive register list|show|verify|void`:
 * printing entries as text or JSON (jansson), verifying under the lock,
 * voiding. */
#include "cli_register.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON (fields documented in docs/register.md) ---- */

static json_t *string_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *entry_json(const struct register_entry *e)
{
    json_t *signatories = json_array(), *files = json_array();
    for (size_t i = 0; i < e->signatory_count; i++)
        json_array_append_new(signatories,
                              json_pack("{s:o, s:o}", "id", string_or_null(e->signatories[i].id),
                                        "name", string_or_null(e->signatories[i].name)));
    for (size_t i = 0; i < e->file_count; i++)
        json_array_append_new(files, json_pack("{s:o, s:o, s:o, s:I}", "role",
                                               string_or_null(e->files[i].role), "path",
                                               string_or_null(e->files[i].path), "sha256",
                                               string_or_null(e->files[i].sha256), "size",
                                               (json_int_t)e->files[i].size));
    json_t *recipient =
        json_pack("{s:o, s:o, s:o}", "id", string_or_null(e->recipient_id), "name",
                  string_or_null(e->recipient_name), "country", string_or_null(e->country));
    json_t *o = json_object();
    json_object_set_new(o, "reference", string_or_null(e->reference));
    json_object_set_new(o, "status", json_string(e->voided_at ? "void" : "issued"));
    json_object_set_new(o, "void_reason", string_or_null(e->void_reason));
    json_object_set_new(o, "voided_at", string_or_null(e->voided_at));
    json_object_set_new(o, "origin",
                        json_string(strcmp(e->event, "import") == 0 ? "imported" : "numbered"));
    json_object_set_new(o, "scope", string_or_null(e->scope));
    json_object_set_new(o, "sequence", json_integer(e->seq));
    json_object_set_new(o, "recorded_at", string_or_null(e->recorded_at));
    json_object_set_new(o, "letter_date", string_or_null(e->letter_date));
    json_object_set_new(o, "language", string_or_null(e->language));
    json_object_set_new(o, "series", string_or_null(e->series));
    json_object_set_new(o, "recipient", recipient);
    json_object_set_new(o, "subject", string_or_null(e->subject));
    json_object_set_new(o, "signatories", signatories);
    json_object_set_new(o, "template", string_or_null(e->template_name));
    json_object_set_new(o, "files", files);
    json_object_set_new(o, "entry", json_integer(e->id));
    json_object_set_new(o, "hash", string_or_null(e->hash));
    return o;
}

static void print_json(json_t *value)
{
    json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(value);
}

/* ---- text ---- */

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void print_line(const struct register_entry *e)
{
    printf("%s  %s  %s  %s  %s", e->reference, or_dash(e->letter_date), or_dash(e->country),
           or_dash(e->recipient_name), or_dash(e->subject));
    if (e->voided_at)
        printf("  [void: %s]", e->void_reason);
    putchar('\n');
}

static void print_entry(const struct register_entry *e)
{
    printf("reference    %s\n", e->reference);
    if (e->voided_at)
        printf("status       void since %s: %s\n", e->voided_at, e->void_reason);
    else
        printf("status       issued\n");
    printf("origin       %s\n", strcmp(e->event, "import") == 0 ? "imported" : "numbered");
    printf("scope        %s\n", e->scope);
    printf("sequence     %lld\n", e->seq);
    printf("recorded at  %s\n", e->recorded_at);
    printf("letter date  %s\n", or_dash(e->letter_date));
    printf("language     %s\n", or_dash(e->language));
    printf("series       %s\n", or_dash(e->series));
    printf("recipient    %s (%s, %s)\n", or_dash(e->recipient_name), or_dash(e->recipient_id),
           or_dash(e->country));
    printf("subject      %s\n", or_dash(e->subject));
    for (size_t i = 0; i < e->signatory_count; i++)
        printf("%-12s %s (%s)\n", i ? "" : "signatories", e->signatories[i].name,
               or_dash(e->signatories[i].id));
    printf("template     %s\n", or_dash(e->template_name));
    for (size_t i = 0; i < e->file_count; i++)
        printf("file         %s %s, %lld bytes, SHA-256 %s\n", e->files[i].role, e->files[i].path,
               e->files[i].size, e->files[i].sha256);
    printf("entry        %lld, hash %s\n", e->id, e->hash);
}

int cli_register_list(struct cli *c)
{
    int status;
    struct register_db *db = cli_open_register(c, &status);
    if (!db)
        return status;
    struct arena *arena = arena_new();
    struct register_entry **entries;
    long count = register_list(db, arena, &c->filter, &entries, &c->errors);
    if (count < 0) {
        status = cli_fail(c, CLI_OUTPUT);
    } else if (c->json) {
        json_t *list = json_array();
        for (long i = 0; i < count; i++)
            json_array_append_new(list, entry_json(entries[i]));
        print_json(list);
    } else {
        for (long i = 0; i < count; i++)
            print_line(entries[i]);
    }
    arena_free(arena);
    register_close(db);
    return status;
}

int cli_register_show(struct cli *c)
{
    int status;
    struct register_db *db = cli_open_register(c, &status);
    if (!db)
        return status;
    struct arena *arena = arena_new();
    struct register_entry *e = register_find(db, arena, c->args[0], &c->errors);
    if (!e && c->errors.count == 0)
        errors_add_at(&c->errors, NULL, 0, 0, "no reference '%s' in the register", c->args[0]);
    if (!e)
        status = cli_fail(c, CLI_INPUT);
    else if (c->json)
        print_json(entry_json(e));
    else
        print_entry(e);
    arena_free(arena);
    register_close(db);
    return status;
}

/* ---- verify ---- */

int cli_register_verify(struct cli *c)
{
    int status;
    struct register_db *db = cli_open_register(c, &status);
    if (!db)
        return status;
    /* The lock keeps issues out, so what lies in the archive without an
     * entry cannot be a letter being issued right now. */
    if (register_begin(db, &c->errors) != 0) {
        register_close(db);
        return cli_fail(c, CLI_OUTPUT);
    }
    /* A leftover that cannot be removed is one problem more. */
    long problems = cli_recover(c, db) == 0 ? 0 : (long)c->errors.count;
    long long entries = 0;
    char head[65];
    problems += register_verify(db, &entries, head, &c->errors);
    register_rollback(db);
    if (problems || c->errors.count) {
        cli_fail(c, CLI_PROBLEMS);
        fprintf(stderr, "missive: register verify found %ld problem%s in %s\n", problems,
                problems == 1 ? "" : "s", c->archive_dir);
        status = CLI_PROBLEMS;
    } else if (!c->quiet) {
        printf("%s: %lld entries, head %s: ok\n", c->archive_dir, entries, head);
    }
    register_close(db);
    return status;
}

/* ---- void ---- */

int cli_register_void(struct cli *c)
{
    int status;
    struct register_db *db = cli_open_register(c, &status);
    if (!db)
        return status;
    struct arena *arena = arena_new();
    char now[32];
    cli_now(now);
    if (register_begin(db, &c->errors) != 0) {
        status = cli_fail(c, CLI_OUTPUT);
    } else if (cli_recover(c, db) != 0) {
        register_rollback(db);
        status = cli_fail(c, CLI_OUTPUT);
    } else if (register_void(db, arena, c->args[0], c->reason, now, &c->errors) != 0) {
        register_rollback(db);
        status = cli_fail(c, CLI_INPUT);
    } else if (register_commit(db, &c->errors) != 0) {
        status = cli_fail(c, CLI_OUTPUT);
    }
    arena_free(arena);
    register_close(db);
    return status;
}
