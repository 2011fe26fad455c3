/* doc.h — owns the document tree: what merge produces and every renderer
 * walks. Blocks (letterhead, reference, date, address, salutation,
 * paragraph, closing, signatures...) hold inline content (text, emphasis,
 * strong, quotation, line break). The tree and every string in it live in
 * the document's arena; freeing the document frees all of it.
 * doc_runs flattens a block's inlines into styled runs, resolving
 * whitespace and the language's quotation marks, so that both backends
 * fill lines from exactly the same text. */
#ifndef MISSIVE_DOC_H
#define MISSIVE_DOC_H

#include "arena.h"
#include "doc_spool.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum doc_block_kind {
    DOC_LETTER,     /* root: children are the blocks below, in reading order */
    DOC_LETTERHEAD, /* children DOC_LINE (organisation names; after a line break
                       in a line, its postal address); PDF only */
    DOC_REFERENCE,  /* inline content: "Ref: ICEM-IMF11/EN LT/107" */
    DOC_DATE,       /* inline content */
    DOC_ADDRESS,    /* children DOC_LINE */
    DOC_SUBJECT,    /* inline content */
    DOC_SALUTATION, /* inline content */
    DOC_PARAGRAPH,  /* inline content, justified in PDF */
    DOC_CLOSING,    /* inline content */
    DOC_SIGNATURES, /* children DOC_SIGNATURE, set side by side */
    DOC_SIGNATURE,  /* children DOC_LINE (name, title...); image = signature */
    DOC_LINE,       /* one line of a multi-line block; image = logo in letterheads */
    DOC_ANNEX,      /* a petition's signatories, after everything else: inline content
                       is its title; children DOC_GROUP (see annex.h) */
    DOC_GROUP,      /* inline content is the group's heading; its signers are its
                       entries (struct doc_entry), not children */
    DOC_SIGNER,     /* inline content: one signer's entry (never an e-mail address);
                       only ever a view of an entry (doc_entry_block) */
    DOC_SENDER,     /* inline content: the return-address line above the address
                       in a window envelope's field; PDF only */
};

enum doc_inline_kind {
    DOC_TEXT,      /* text */
    DOC_EMPHASIS,  /* children, in italics */
    DOC_STRONG,    /* children, in bold */
    DOC_QUOTE,     /* children, between the language's quotation marks */
    DOC_LINEBREAK, /* forced line break */
};

struct doc_inline {
    enum doc_inline_kind kind;
    struct source_loc loc; /* where the text came from (template or data) */
    char *text;            /* DOC_TEXT */
    /* DOC_TEXT pieces from one place join into one text: its length and
     * room, grown by doubling so that joining stays linear. */
    size_t text_len, text_room;
    struct doc_inline *first_child, *last_child, *next;
};

/* One signer of an annex group, compactly: a petition of a million signers
 * would otherwise be a million blocks, inlines and copies (250 bytes each).
 * The text is collapsed already (no runs of whitespace, no ends) and
 * NUL-terminated; its location is the group's entries_file at line. It is
 * in the document's arena, or at `at` in the group's entries_spool (read
 * it with doc_entry_text). */
struct doc_entry {
    union {
        const char *text;
        uint64_t at;
    };
    uint32_t len;
    int32_t line;
};

struct doc_block {
    enum doc_block_kind kind;
    struct source_loc loc;
    struct doc_inline *first_inline, *last_inline;
    struct doc_block *first_child, *last_child, *next, *parent;
    const char *image;           /* path of a PNG, or NULL */
    struct source_loc image_loc; /* where the image was named */
    /* DOC_GROUP: its signers in order, in the document's arena, and the
     * file their lines are in. */
    const struct doc_entry *entries;
    size_t entry_count;
    const char *entries_file;
    struct doc_spool *entries_spool; /* where the entries' texts are; NULL: in memory */
};

/* Room for a DOC_SIGNER block that shows one entry (doc_entry_block). */
struct doc_entry_view {
    struct doc_block block;
    struct doc_inline text;
};

struct doc_document {
    struct arena *arena; /* owns everything below */
    struct doc_block *root;
    const char *language;  /* "en", "fr"... */
    const char *reference; /* NULL for a draft */
    const char *date;      /* the letter's date, ISO yyyy-mm-dd */
    const char *title;     /* document information: the subject */
    const char *author;    /* document information: the signatories */
    const char *recipient; /* the recipient's name, for running headers; NULL: none */
    const char *name;      /* base name for output files */
    /* When the document was issued, "yyyy-mm-ddThh:mm:ssZ" (UTC): what the
     * PDF's dates and /ID derive from. NULL: the letter's date stands in. */
    const char *timestamp;
    /* doc_block_runs' answers so far (NULL: none); emptied by any change. */
    struct doc_runs_memo *runs_memo;
    /* The annex entries' texts out of memory (doc_entry_spool), or NULL. */
    struct doc_spool *spool;
};

/* A new empty document (root DOC_LETTER) with an arena of its own. */
struct doc_document *doc_new(const char *language);
void doc_free(struct doc_document *doc);

/* A new block of kind, appended as the last child of parent. */
struct doc_block *doc_block_add(struct doc_document *doc, struct doc_block *parent,
                                enum doc_block_kind kind, struct source_loc loc);
/* A new inline appended to block (container NULL) or to an inline container. */
struct doc_inline *doc_inline_add(struct doc_document *doc, struct doc_block *block,
                                  struct doc_inline *container, enum doc_inline_kind kind,
                                  struct source_loc loc);
/* Appends text (copied) as a DOC_TEXT inline; joins the previous text inline
 * when it is adjacent and comes from the same place. */
void doc_text_add(struct doc_document *doc, struct doc_block *block, struct doc_inline *container,
                  const char *text, size_t len, struct source_loc loc);

/* The spool the document's annex entries go to (doc_spool.h), made on
 * first need; NULL when no temporary file can be made: keep them in the
 * arena then. */
struct doc_spool *doc_entry_spool(struct doc_document *doc);
/* The text of entry i of group, NUL-terminated (its length is the
 * entry's len); valid until the next entry of the document is read. */
const char *doc_entry_text(const struct doc_block *group, size_t i);
/* Entry i of group as a DOC_SIGNER block with one text inline, built in
 * view (no allocation): valid while view and the document live. For
 * readers that take blocks (line filling, doc_runs). */
const struct doc_block *doc_entry_block(const struct doc_block *group, size_t i,
                                        struct doc_entry_view *view);
/* Where entry i of group comes from (the signers' file and line). */
struct source_loc doc_entry_loc(const struct doc_block *group, size_t i);

/* Style bits of a run. */
enum { DOC_STYLE_ITALIC = 1, DOC_STYLE_BOLD = 2 };

struct doc_run {
    const char *text; /* UTF-8, not NUL-terminated; "\n" for a forced break */
    size_t len;
    unsigned style;
    bool line_break;
    struct source_loc loc;
};

/* For tests: doc_runs copies only ASCII in its word loop, and takes
 * every other character the long way, as it did before (doc.c). */
extern bool doc_runs_ascii_only;

/* Flattens the inline content of block into runs allocated in arena:
 * whitespace collapsed to single spaces and trimmed at both ends (no-break
 * spaces kept), quotations wrapped in the marks of language (nested ones in
 * the secondary marks). Returns the number of runs; *out gets the array. */
size_t doc_runs(struct arena *arena, const struct doc_block *block, const char *language,
                struct doc_run **out);
/* Whether doc_runs gives text (whitespace already collapsed) back as it
 * is in language: no straight quote to become a mark, no French sign to
 * space. A conservative test, for readers that skip doc_runs. */
bool doc_text_as_typed(const char *text, const char *language);
/* The runs of block joined into one NUL-terminated string (for tests, text
 * lines and document information). */
char *doc_plain_text(struct arena *arena, const struct doc_block *block, const char *language);
/* doc_runs in the document's language, made once per block and kept in the
 * document's arena (renderers ask for a block's runs several times: to
 * check, measure, set and write it); the runs must not be changed. A
 * petition's signers are made anew in arena each time, so that their runs
 * are never kept. */
size_t doc_block_runs(const struct doc_document *doc, const struct doc_block *block,
                      struct arena *arena, const struct doc_run **out);
/* doc_plain_text of doc_block_runs, the string in arena. */
char *doc_block_text(const struct doc_document *doc, const struct doc_block *block,
                     struct arena *arena);
/* Name of a block kind ("paragraph"), for messages and debugging. */
const char *doc_block_kind_name(enum doc_block_kind kind);

#endif
