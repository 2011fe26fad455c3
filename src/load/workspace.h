/* workspace.h — owns loading a workspace: missive.ini (settings) and the
 * people data in letters/ (organisations.ini, signatories.ini,
 * recipients.ini), read with iniparser. Every value remembers file:line so
 * later stages can point at it; syntax problems iniparser would swallow
 * (duplicate keys or sections, values cut at ';' or '#', a BOM, over-long
 * lines) are errors. Everything lives in the workspace's arena. */
#ifndef MISSIVE_WORKSPACE_H
#define MISSIVE_WORKSPACE_H

#include "arena.h"
#include "error.h"
#include "people_csv.h"
#include "settings.h"
#include "value.h"

#include <stddef.h>

struct workspace {
    struct arena *arena;
    const char *root; /* the workspace folder, as given */
    struct settings settings;
    /* Each a map id -> map of the section's keys (see docs/formats.md).
     * Signatories' "organisation" stays an id; merge resolves it. List
     * keys (address) are split on " | ". File keys (logo, signature) are
     * joined to the root and checked to exist. Optional keys left out are
     * present but empty: "" (address: an empty list). */
    struct value *organisations;
    struct value *signatories;
    struct value *recipients;
    /* Recipient groups ([group.NAME] sections of recipients.ini): a map
     * NAME -> map of id, name and members (a list of recipient ids, in
     * file order). Recipients also carry `groups` (a list of names, empty
     * when none) and `languages` (all their languages; `language` is the
     * first). */
    struct value *groups;
    /* templates/protocol.ini (protocol.h), or NULL when there is none. */
    struct value *protocol;
    /* The [source.NAME] sections of missive.ini, in file order. */
    const struct people_csv_source *sources;
    size_t source_count;
};

/* Loads the workspace rooted at root. NULL plus every error found. */
struct workspace *workspace_load(const char *root, struct errors *errors);
void workspace_free(struct workspace *ws);
/* The ICU locale for a language: the [locales] entry, else the language. */
const char *workspace_locale(const struct workspace *ws, const char *language);
/* root joined with relative (relative returned as is when absolute), in the
 * workspace arena. */
const char *workspace_path(const struct workspace *ws, const char *relative);

#endif
