/* app_entry_json.c — a register entry as JSON, in its two forms: the facts
 * an issued PDF carries inside (known when the letter is issued), and the
 * whole entry that `register list|show --json` print. One builder, so the
 * two cannot drift apart in how a signatory or a file is written. */
#include "app.h"
#include "app_internal.h"

#include <jansson.h>

#include <string.h>

static json_t *string_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *signatories(const struct register_entry *e)
{
    json_t *list = json_array();
    for (size_t i = 0; i < e->signatory_count; i++)
        json_array_append_new(list,
                              json_pack("{s:o, s:o}", "id", string_or_null(e->signatories[i].id),
                                        "name", string_or_null(e->signatories[i].name)));
    return list;
}

static json_t *file(const char *role, const char *path, const char *sha256, long long size)
{
    return json_pack("{s:o, s:o, s:o, s:I}", "role", string_or_null(role), "path",
                     string_or_null(path), "sha256", string_or_null(sha256), "size",
                     (json_int_t)size);
}

/* The archived files; the PDF's own row left out when a file describes
 * itself (it cannot hold its own hash). */
static json_t *files(const struct register_entry *e, bool without_pdf)
{
    json_t *list = json_array();
    for (size_t i = 0; i < e->file_count; i++)
        if (!without_pdf || strcmp(e->files[i].role, "pdf") != 0)
            json_array_append_new(list, file(e->files[i].role, e->files[i].path, e->files[i].sha256,
                                             (long long)e->files[i].size));
    return list;
}

/* Left out of the facts: the PDF's own SHA-256 and size, the entry's
 * place and hashes in the register's chain (they follow from the PDF's
 * hash), and whatever a later void or signature adds. */
json_t *app_entry_facts_json(const struct register_entry *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string("missive register entry 1"));
    json_object_set_new(o, "reference", string_or_null(e->reference));
    json_object_set_new(o, "scope", string_or_null(e->scope));
    json_object_set_new(o, "sequence", json_integer(e->seq));
    json_object_set_new(o, "issued_at", string_or_null(e->recorded_at));
    json_object_set_new(o, "letter_date", string_or_null(e->letter_date));
    json_object_set_new(o, "language", string_or_null(e->language));
    json_object_set_new(o, "series", string_or_null(e->series));
    json_object_set_new(o, "country", string_or_null(e->country));
    json_object_set_new(o, "recipient",
                        json_pack("{s:o, s:o}", "id", string_or_null(e->recipient_id), "name",
                                  string_or_null(e->recipient_name)));
    json_object_set_new(o, "subject", string_or_null(e->subject));
    json_object_set_new(o, "signatories", signatories(e));
    json_object_set_new(o, "template", string_or_null(e->template_name));
    json_object_set_new(o, "files", files(e, true));
    return o;
}

json_t *app_entry_json(const struct register_entry *e)
{
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
    json_object_set_new(o, "signatories", signatories(e));
    json_object_set_new(o, "template", string_or_null(e->template_name));
    json_object_set_new(o, "files", files(e, false));
    json_object_set_new(o, "entry", json_integer(e->id));
    json_object_set_new(o, "hash", string_or_null(e->hash));
    json_object_set_new(o, "office", string_or_null(e->office));
    json_object_set_new(o, "libraries", string_or_null(e->libraries));
    json_object_set_new(o, "signed_pdf",
                        e->signed_pdf ? json_pack("{s:o, s:o, s:o, s:I}", "signed_at",
                                                  string_or_null(e->signed_at), "path",
                                                  string_or_null(e->signed_pdf->path), "sha256",
                                                  string_or_null(e->signed_pdf->sha256), "size",
                                                  (json_int_t)e->signed_pdf->size)
                                      : json_null());
    return o;
}
