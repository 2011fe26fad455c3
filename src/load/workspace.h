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

struct people_text;

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
    /* Recipients by id, in file order. Their maps are not kept: each is
     * made again from its section of recipients.ini, read again from the
     * file, by workspace_recipient (where each section is takes 20 bytes a
     * recipient: docs/performance.md); the items here stand for them. */
    struct value *recipient_ids;
    /* Recipient groups ([group.NAME] sections of recipients.ini): a map
     * NAME -> map of id and name; their members are
     * workspace_group_members. Recipients also carry `groups` (a list of names, empty
     * when none) and `languages` (all their languages; `language` is the
     * first). */
    struct value *groups;
    /* templates/protocol.ini (protocol.h), or NULL when there is none. */
    struct value *protocol;
    /* The [source.NAME] sections of missive.ini, in file order. */
    const struct people_csv_source *sources;
    size_t source_count;
    struct people_text *recipient_text; /* workspace.c's own */
};

/* Loads the workspace rooted at root. NULL plus every error found. */
struct workspace *workspace_load(const char *root, struct errors *errors);
void workspace_free(struct workspace *ws);
/* Recipient id's map (as the comment on `organisations` says, with
 * `languages` and `groups` lists), made in arena; NULL when there is no
 * such recipient, or (an error in errors) when recipients.ini no longer
 * holds what loading read. Its strings and locations are those loading
 * had. Safe from several threads at once. */
struct value *workspace_recipient(const struct workspace *ws, const char *id, struct arena *arena,
                                  struct errors *errors);
/* Recipient number i of recipient_ids (in file order), made in arena;
 * NULL only with an error, as above. */
struct value *workspace_recipient_at(const struct workspace *ws, size_t i, struct arena *arena,
                                     struct errors *errors);

/* Recipient number i's country ("" for none) and "languages" value (a
 * list of codes, or NULL) as loading made it, without making it again;
 * false when loading did not note them (the recipient is then to be made
 * again with workspace_recipient_at). */
bool workspace_recipient_brief(const struct workspace *ws, size_t i, const char **country,
                               const struct value **languages);
/* The members of group name: *count indexes into recipient_ids, in file
 * order (4 bytes a member, not a value); NULL when there is no such group. */
const unsigned *workspace_group_members(const struct workspace *ws, const char *name,
                                        size_t *count);

/* Memory for recipients made one after another, each used only until the
 * next is made (a loop over a campaign's 10,000): emptied now and then. */
struct recipient_scratch {
    struct arena *arena;
    size_t made;
};
/* workspace_recipient into s; valid until the next call with s. */
const struct value *workspace_recipient_next(const struct workspace *ws, const char *id,
                                             struct recipient_scratch *s, struct errors *errors);
void workspace_recipient_scratch_free(struct recipient_scratch *s);
/* The ICU locale for a language: the [locales] entry, else the language. */
const char *workspace_locale(const struct workspace *ws, const char *language);
/* root joined with relative (relative returned as is when absolute), in the
 * workspace arena. */
const char *workspace_path(const struct workspace *ws, const char *relative);

#endif
