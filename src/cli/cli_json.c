/* cli_json.c — `--json` reports of check, render and issue. */
#include "cli_json.h"

#include "app.h"

#include <stdio.h>

json_t *cli_json_string(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *positive_or_null(int n)
{
    return n > 0 ? json_integer(n) : json_null();
}

json_t *cli_json_errors(const struct errors *errors)
{
    json_t *list = json_array();
    for (size_t i = 0; errors && i < errors->count; i++) {
        const struct error *e = &errors->items[i];
        json_array_append_new(
            list, json_pack("{s:o, s:o, s:o, s:o}", "file", cli_json_string(e->file), "line",
                            positive_or_null(e->line), "column", positive_or_null(e->column),
                            "message", cli_json_string(e->message)));
    }
    return list;
}

json_t *cli_json_letter(const char *path, const char *name_key, int status,
                        const struct cli_events *e, const struct errors *errors)
{
    json_t *documents = json_array();
    for (size_t i = 0; i < e->count; i++) {
        const struct cli_row *r = &e->rows[i];
        json_t *files = json_array();
        for (size_t k = 0; k < r->path_count; k++)
            json_array_append_new(files, cli_json_string(r->paths[k]));
        json_array_append_new(documents, json_pack("{s:o, s:o, s:o, s:o}", name_key,
                                                   cli_json_string(r->reference), "recipient",
                                                   cli_json_string(r->recipient), "language",
                                                   cli_json_string(r->language), "files", files));
    }
    return json_pack("{s:o, s:i, s:b, s:b, s:o, s:o, s:o}", "path", cli_json_string(path), "status",
                     status, "ok", status == APP_OK, "campaign", e->campaign_letters > 0,
                     "documents", documents, "errors", cli_json_errors(errors), "warnings",
                     cli_json_errors(&e->warnings));
}

json_t *cli_json_run(const char *command, int status, json_t *letters, json_t *errors)
{
    return json_pack("{s:s, s:i, s:b, s:o, s:o}", "command", command, "status", status, "ok",
                     status == APP_OK, "letters", letters ? letters : json_array(), "errors",
                     errors ? errors : json_array());
}

void cli_json_print(json_t *value)
{
    json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(value);
}
