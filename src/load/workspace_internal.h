/* workspace_internal.h — owns what the files loading a workspace share and
 * nobody else sees: the loader's state and the value checks both use.
 *   workspace.c           the people files, recipients made again, load/free
 *   workspace_settings.c  missive.ini into the workspace's settings
 * Everything loaded lives in the workspace's arena. */
#ifndef MISSIVE_WORKSPACE_INTERNAL_H
#define MISSIVE_WORKSPACE_INTERNAL_H

#include "ini.h"
#include "path.h"
#include "workspace.h"

#include <stdbool.h>
#include <stddef.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct group_pick;
struct people_text;

struct loader {
    struct workspace *ws;
    struct arena *arena;
    struct errors *errors;
    struct people_csv_source *sources; /* [source.NAME] sections */
    size_t source_count;
    const char **custom; /* recipients' own fields, each once */
    size_t custom_count;
    bool has_protocol;       /* templates/protocol.ini exists */
    struct ini_entry *plain; /* check_keys' scratch */
    size_t plain_capacity;
    struct value *keys; /* people files' keys, one copy each (key -> the copy) */
    struct arena *tmp;  /* people's maps while they are built (packed after) */
    struct arena *grow; /* a file's map of people while it grows (packed after) */
    size_t tmp_maps;
    /* recipients.ini being read: its people are kept as text (lazy). */
    struct people_text *text;
    bool lazy;
    /* The groups each recipient names, in order, for collect_group_members. */
    struct arena *picks_arena;
    struct group_pick *picks;
    size_t pick_count, pick_capacity;
};

/* ISO codes from ICU's own lists; a code in the wrong case gets the fix. */
void workspace_check_language(struct loader *l, const char *code, struct source_loc loc);
/* Whether path may be read as kind (path.h); when not, an error at loc:
 * "WHAT file not found: 'path'NOTE" when it is missing, else the reason
 * the policy gives (outside the workspace, not a regular file). */
bool workspace_usable_file(struct loader *l, const char *path, enum path_kind kind,
                           struct source_loc loc, const char *what, const char *note);
/* Splits a separator-separated value into a list of trimmed lines; an
 * empty item is an error at its place. */
struct value *workspace_split_lines(struct loader *l, const struct ini_entry *e, char separator);

/* missive.ini's sections into l->ws->settings (workspace_settings.c);
 * [paths] and [limits] put in force at once, [source.NAME] into l->sources. */
void workspace_settings_load(struct loader *l, const struct ini_file *ini);

#endif
