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
#include "value.h"

#include <stddef.h>

/* Lengths are in PDF points (1/72 inch) after loading ("25mm", "1in", "72pt"). */
struct page_settings {
    const char *paper; /* "A4" or "Letter" */
    double width, height;
    double margin_top, margin_bottom, margin_left, margin_right;
};

/* Font files are paths already joined to the workspace root. Each style has
 * a chain: the style's own file first, then the style's own fallbacks, then
 * the common fallbacks, in order. */
struct font_settings {
    const char *regular, *italic, *bold, *bold_italic;
    const char **fallbacks; /* tried after a style's own font, in order */
    size_t fallback_count;
    /* Per style (DOC_STYLE_* bits as index; [0] unused): tried before the
     * common fallbacks, so a bold character that falls back stays bold. */
    const char **style_fallbacks[4];
    size_t style_fallback_count[4];
    double size;    /* body size in points, e.g. 11 */
    double leading; /* baseline distance in points, e.g. 14 */
};

/* [reference]: how reference numbers are made (see reference.h). Values
 * are checked when a command uses them; locations point at them. */
struct reference_settings {
    const char *pattern; /* default REFERENCE_DEFAULT_PATTERN */
    const char *scope;   /* NULL: every part of the pattern but {seq} */
    const char *series;  /* default series of letters, "LT" */
    struct source_loc pattern_loc, scope_loc, series_loc;
};

struct settings {
    const char *organisation; /* reference prefix, e.g. "ICEM-IMF" */
    const char *language;     /* default letter language, e.g. "en" */
    struct page_settings page;
    struct font_settings fonts;
    int text_width;         /* columns of the text output, default 72 */
    const char *output_dir; /* default output folder, joined to the root */
    struct value *locales;  /* map language -> ICU locale ("en" -> "en_GB") */
    struct reference_settings reference;
    const char *archive_dir; /* [archive] folder, joined to the root */
};

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
