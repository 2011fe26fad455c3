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
    json_t *facts = app_entry_facts_json(e);
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
