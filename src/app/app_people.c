/* app_people.c — `missive import SOURCE`: the people a [source.NAME]
 * spreadsheet holds, written as the INI sections of a people file, so a
 * secretariat can keep them as INI from then on. The workspace is loaded
 * first, so every row has passed the checks a people file's sections get;
 * the file written reads back to the same people (tests/people.sh renders
 * the 200-embassy campaign from both and compares the bytes). */
#include "app_internal.h"

#include "buffer.h"
#include "ini.h"
#include "people_csv.h"
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

/* The source called name, or NULL with an error naming the ones there are. */
static const struct people_csv_source *find_source(const struct workspace *ws, const char *name,
                                                   struct errors *errors)
{
    const char **names = xcalloc(ws->source_count + 1, sizeof *names);
    size_t length = 1;
    for (size_t i = 0; i < ws->source_count; i++) {
        if (strcmp(ws->sources[i].name, name) == 0) {
            free(names);
            return &ws->sources[i];
        }
        names[i] = ws->sources[i].name;
        length += strlen(names[i]) + 2;
    }
    const char *settings = workspace_path(ws, "missive.ini");
    const char *hint = suggest_closest(name, names, ws->source_count);
    char *list = xcalloc(1, length);
    for (size_t i = 0; i < ws->source_count; i++) {
        if (i)
            strcat(list, ", ");
        strcat(list, names[i]);
    }
    if (hint)
        errors_add_at(errors, settings, 0, 0, "no [source.%s] in missive.ini (did you mean '%s'?)",
                      name, hint);
    else
        errors_add_at(errors, settings, 0, 0, "no [source.%s] in missive.ini (%s%s)", name,
                      ws->source_count ? "its sources: " : "it has no [source.NAME] section", list);
    free(list);
    free(names);
    return NULL;
}

enum app_status app_import_people(struct app *app, const char *name, struct buffer *out,
                                  struct errors *errors)
{
    struct pipeline *p = app_pipeline(app, errors);
    if (!p)
        return APP_INPUT;
    const struct workspace *ws = pipeline_workspace(p);
    const struct people_csv_source *source = find_source(ws, name, errors);
    if (!source)
        return APP_INPUT;
    struct arena *arena = arena_new();
    const char *csv = workspace_path(ws, source->file);
    struct ini_file *rows = people_csv_load(arena, source, csv, errors);
    enum app_status status = APP_INPUT;
    struct buffer ini = {0};
    buffer_printf(&ini,
                  "; The %s of %s, written by `missive import %s` from [source.%s] of "
                  "missive.ini.\n; Add them to letters/%s.ini and remove that section.\n\n",
                  source->people, source->file, name, name, source->people);
    if (rows && ini_write(rows->sections, rows->count, &ini, errors) == 0) {
        buffer_append(out, ini.data, ini.len);
        status = APP_OK;
    }
    buffer_free(&ini);
    arena_free(arena);
    return status;
}
