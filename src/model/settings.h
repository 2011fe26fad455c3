/* settings.h — owns the model of missive.ini that the later stages read:
 * page, fonts, reference numbering, output and archive folders. The
 * loader fills it (load/workspace_settings.c); merge, the renderers and the archive
 * take it from here, so none of them includes the loader's header. */
#ifndef MISSIVE_SETTINGS_H
#define MISSIVE_SETTINGS_H

#include "error.h"
#include "path.h"
#include "value.h"

#include <stdbool.h>
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
struct font_origin {
    const char *path;
    struct source_loc loc;
};

struct font_settings {
    const char *regular, *italic, *bold, *bold_italic;
    const char **fallbacks; /* tried after a style's own font, in order */
    size_t fallback_count;
    /* Per style (DOC_STYLE_* bits as index; [0] unused): tried before the
     * common fallbacks, so a bold character that falls back stays bold. */
    const char **style_fallbacks[4];
    size_t style_fallback_count[4];
    /* Where missive.ini names each file, so that a file found unusable
     * when the fonts are opened is reported at its line. */
    const struct font_origin *origins;
    size_t origin_count;
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

/* [layout] window: where the PDF's first page puts the address, so that it
 * shows through a window envelope (docs/typography.md#the-page). */
enum layout_window {
    LAYOUT_WINDOW_NONE,  /* the address flows below the letterhead */
    LAYOUT_WINDOW_DIN_B, /* DIN 5008 form B on A4, DL and C5/6 envelopes */
    LAYOUT_WINDOW_UK,    /* A4 folded in thirds in a DL window envelope */
    LAYOUT_WINDOW_US     /* US Letter folded in thirds in a #10 window envelope */
};

/* [layout]: how the PDF sets paragraphs and pages. */
struct layout_settings {
    bool ragged; /* paragraphs ragged right (DIN 5008 style), not justified */
    enum layout_window window;
    bool fold_marks, punch_mark; /* [layout] marks = fold, punch */
    int measure;                 /* the body's longest line in average characters */
};

/* [signing] and [passphrases]: digital signatures (docs/signing.md). Keys
 * themselves are named per signatory or organisation (`key = FILE.p12`). */
struct signing_settings {
    const char *trust;        /* CA certificates (PEM) joined to the root; NULL: none */
    const char *tsa;          /* an RFC 3161 time-stamp authority's URL; NULL: no timestamps */
    long tsa_timeout;         /* seconds (default 10) */
    const char *register_key; /* the organisation whose key signs register checkpoints */
    struct source_loc trust_loc, tsa_loc, register_key_loc;
    /* [passphrases]: id (signatory or organisation) -> path of a file whose
     * first line is that key's passphrase. */
    struct value *passphrase_files;
};

/* [register]: which database holds the register and how long to wait
 * for its lock. */
struct register_settings {
    const char *url;     /* NULL: the SQLite file in the archive folder */
    int lock_timeout_ms; /* default 120000 */
};

/* [mail]: who `render --eml`'s messages are from ("Name <address>"). */
struct mail_settings {
    const char *from, *reply_to; /* NULL when not set */
    struct source_loc from_loc, reply_to_loc;
};

struct settings {
    const char *organisation; /* reference prefix, e.g. "ICEM-IMF" */
    const char *office;       /* [missive] office, {office} and the counter's scope; NULL: none */
    const char *language;     /* default letter language, e.g. "en" */
    struct page_settings page;
    struct font_settings fonts;
    int text_width;         /* columns of the text output, default 72 */
    const char *output_dir; /* default output folder, joined to the root */
    struct value *locales;  /* map language -> ICU locale ("en" -> "en_GB") */
    struct reference_settings reference;
    const char *archive_dir; /* [archive] folder, joined to the root */
    struct layout_settings layout;
    /* [paths] allow: folders outside the workspace that files may name,
     * as written; [limits]: the budgets. Both are in force through the
     * process-wide policy of path.h once the workspace is loaded. */
    const char **allowed_folders;
    size_t allowed_count;
    struct path_limits limits;
    struct signing_settings signing;
    struct register_settings register_db;
    struct mail_settings mail;
};

#endif
