/* cli_register_commands.c — `missive register list|show|verify|void`:
 * printing entries as text or JSON (jansson), verifying under the lock,
 * voiding. */
#include "cli_register.h"

#include "cli_json.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text (the JSON is app_entry_json's, fields in docs/register.md) ---- */

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
    if (e->office)
        printf("office       %s\n", e->office);
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
    if (e->signed_pdf)
        printf("signed later %s: %s (%lld bytes, SHA-256 %s)\n", e->signed_at, e->signed_pdf->path,
               e->signed_pdf->size, e->signed_pdf->sha256);
    if (e->libraries)
        printf("made with    %s\n", e->libraries);
    printf("entry        %lld, hash %s\n", e->id, e->hash);
}

int cli_register_list(struct cli *c)
{
    struct arena *arena = arena_new();
    struct register_entry **entries;
    long count = 0;
    int status = app_register_list(c->app, &c->filter, arena, &entries, &count, &c->errors);
    if (status == APP_OK && c->json) {
        json_t *list = json_array();
        for (long i = 0; i < count; i++)
            json_array_append_new(list, app_entry_json(entries[i]));
        cli_json_print(list);
    } else if (status == APP_OK) {
        for (long i = 0; i < count; i++)
            print_line(entries[i]);
    }
    arena_free(arena);
    return cli_fail(c, status);
}

int cli_register_show(struct cli *c)
{
    struct arena *arena = arena_new();
    struct register_entry *e = NULL;
    int status = app_register_show(c->app, c->args[0], arena, &e, &c->errors);
    if (status == APP_OK && c->json)
        cli_json_print(app_entry_json(e));
    else if (status == APP_OK)
        print_entry(e);
    arena_free(arena);
    return cli_fail(c, status);
}

int cli_register_verify(struct cli *c)
{
    struct app_events events = cli_events(&c->events);
    struct app_verify v;
    int status = app_register_verify(c->app, &events, &v, &c->errors);
    if (c->expect && status == APP_OK)
        status = app_register_expect(&v, c->expect, &c->errors);
    const char *dir = v.where[0] ? v.where : app_archive_dir(c->app, &c->errors);
    if (c->json) {
        bool known = status == APP_OK || status == APP_PROBLEMS;
        json_t *o = json_pack(
            "{s:o, s:i, s:b, s:o, s:o, s:o, s:o}", "archive", dir ? json_string(dir) : json_null(),
            "status", status, "ok", status == APP_OK, "entries",
            known ? json_integer(v.entries) : json_null(), "head",
            known && v.head[0] ? json_string(v.head) : json_null(), "problems",
            known ? json_integer(v.problems) : json_null(), "errors", cli_json_errors(&c->errors));
        cli_json_print(o);
        errors_clear(&c->errors);
        return status;
    }
    if (status == APP_PROBLEMS && v.problems == 0) {
        cli_fail(c, status); /* --expect said it */
    } else if (status == APP_PROBLEMS) {
        cli_fail(c, status);
        fprintf(stderr, "missive: register verify found %ld problem%s in %s\n", v.problems,
                v.problems == 1 ? "" : "s", dir);
    } else if (status == APP_OK && !c->quiet) {
        printf("%s: %lld entr%s, head %s: ok\n", dir, v.entries, v.entries == 1 ? "y" : "ies",
               v.head);
    }
    return cli_fail(c, status);
}

int cli_register_void(struct cli *c)
{
    struct app_events events = cli_events(&c->events);
    int status = app_register_void(c->app, c->args[0], c->reason, &events, &c->errors);
    return cli_fail(c, status);
}

int cli_register_import(struct cli *c)
{
    struct app_events events = cli_events(&c->events);
    long imported = 0;
    int status = app_register_import(c->app, c->args[0], &events, &imported, &c->errors);
    if (status == APP_OK && !c->quiet)
        printf("%s: %ld reference%s imported\n", c->args[0], imported, imported == 1 ? "" : "s");
    return cli_fail(c, status);
}

int cli_register_migrate(struct cli *c)
{
    struct app_migrate m;
    int status = app_register_migrate(c->app, c->to, &m, &c->errors);
    if (status == APP_OK && !c->quiet)
        printf("%s: %lld entr%s copied and verified\n", m.target, m.copied,
               m.copied == 1 ? "y" : "ies");
    return cli_fail(c, status);
}

/* ---- status: the workspace's letters ---- */

static json_t *letter_state_json(const struct app_letter_state *s)
{
    json_t *recipients = json_array(), *references = json_array();
    for (size_t i = 0; i < s->recipient_count; i++)
        json_array_append_new(recipients,
                              json_pack("{s:o, s:o}", "id", cli_json_string(s->recipients[i]),
                                        "language", cli_json_string(s->languages[i])));
    for (size_t i = 0; i < s->reference_count; i++)
        json_array_append_new(references, json_string(s->references[i]));
    json_t *o = json_object();
    json_object_set_new(o, "path", json_string(s->path));
    json_object_set_new(o, "state", json_string(s->state));
    json_object_set_new(o, "references", references);
    json_object_set_new(o, "kind", cli_json_string(s->kind));
    json_object_set_new(o, "subject", cli_json_string(s->subject));
    json_object_set_new(o, "date", cli_json_string(s->date));
    json_object_set_new(o, "recipients", recipients);
    json_object_set_new(o, "errors", json_integer((json_int_t)s->error_count));
    return o;
}

static void print_state(const struct app_letter_state *s)
{
    printf("%s  %s", s->path, s->state);
    for (size_t i = 0; i < s->reference_count; i++)
        printf("%s%s", i ? ", " : "  ", s->references[i]);
    if (!s->kind) {
        printf("  %zu error%s (missive check %s says where)\n", s->error_count,
               s->error_count == 1 ? "" : "s", s->path);
        return;
    }
    printf("  %s  %s  ", s->kind, or_dash(s->date));
    for (size_t i = 0; i < s->recipient_count; i++)
        printf("%s%s (%s)", i ? ", " : "", or_dash(s->recipients[i]), or_dash(s->languages[i]));
    printf("  %s\n", or_dash(s->subject));
}

int cli_status(struct cli *c)
{
    struct arena *arena = arena_new();
    struct app_letters letters;
    int status = app_letters(c->app, arena, &letters, &c->errors);
    if (status == APP_OK && c->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < letters.count; i++)
            json_array_append_new(list, letter_state_json(&letters.items[i]));
        cli_json_print(list);
    } else if (status == APP_OK) {
        for (size_t i = 0; i < letters.count; i++)
            print_state(&letters.items[i]);
        if (letters.register_note && !c->quiet)
            fprintf(stderr, "missive: note: nothing is issued: %s\n", letters.register_note);
    }
    arena_free(arena);
    return cli_fail(c, status);
}
