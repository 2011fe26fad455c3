/* app_attach.c — what an issued letter's PDF carries inside (PDF/A-3
 * associated files): the archived source, byte for byte, and the register
 * entry as JSON. Issue, its reprint check and reprint build them from the
 * same facts, so the reprinted PDF embeds exactly what the issued one
 * did. */
#include "app_internal.h"

#include "arena.h"
#include "buffer.h"
#include "pdf.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

static json_t *string_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* The facts known when the letter is issued. Left out: the PDF's own
 * SHA-256 and size (a file cannot hold its own hash), the entry's place
 * and hashes in the register's chain (they follow from the PDF's hash),
 * and whatever a later void adds. */
static json_t *entry_facts(const struct register_entry *e)
{
    json_t *signatories = json_array(), *files = json_array();
    for (size_t i = 0; i < e->signatory_count; i++)
        json_array_append_new(signatories,
                              json_pack("{s:o, s:o}", "id", string_or_null(e->signatories[i].id),
                                        "name", string_or_null(e->signatories[i].name)));
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, "pdf") != 0)
            json_array_append_new(files, json_pack("{s:o, s:o, s:o, s:I}", "role",
                                                   string_or_null(e->files[i].role), "path",
                                                   string_or_null(e->files[i].path), "sha256",
                                                   string_or_null(e->files[i].sha256), "size",
                                                   (json_int_t)e->files[i].size));
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
    json_object_set_new(o, "signatories", signatories);
    json_object_set_new(o, "template", string_or_null(e->template_name));
    json_object_set_new(o, "files", files);
    return o;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void app_attachments(const struct register_entry *e, struct arena *arena,
                     const struct buffer *source, struct buffer *json, struct pdf_attachment *out)
{
    const char *source_path = "source.xml";
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, "source") == 0)
            source_path = e->files[i].path;
    const char *name = base_name(source_path);
    const char *dot = strrchr(name, '.');
    char *stem = arena_strndup(arena, name, dot ? (size_t)(dot - name) : strlen(name));
    json_t *facts = entry_facts(e);
    char *text = json_dumps(facts, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    buffer_reset(json);
    buffer_puts(json, text ? text : "{}");
    buffer_putc(json, '\n');
    free(text);
    json_decref(facts);
    out[0] = (struct pdf_attachment){.name = arena_strdup(arena, name),
                                     .description = "The letter's archived source: what "
                                                    "missive reprint renders again",
                                     .mime = "application/xml",
                                     .relationship = "Source",
                                     .data = source->data ? source->data : "",
                                     .len = source->len};
    out[1] = (struct pdf_attachment){.name = arena_printf(arena, "%s.entry.json", stem),
                                     .description = "The letter's entry in the register",
                                     .mime = "application/json",
                                     .relationship = "Data",
                                     .data = json->data,
                                     .len = json->len};
}
