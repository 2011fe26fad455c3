/* entry.h — owns the model of the register's entries: what an issued,
 * imported or voided letter is recorded as, and how lists of them are
 * filtered. The archive stores them (register.h); the application layer
 * hands them to the command line and the web page to print. */
#ifndef MISSIVE_ENTRY_H
#define MISSIVE_ENTRY_H

#include <stddef.h>

struct register_file {
    const char *role;   /* "pdf", "text" or "source" */
    const char *path;   /* relative to the archive folder */
    const char *sha256; /* lower-case hex */
    long long size;
};

struct register_person {
    const char *id, *name;
};

/* One event of the chain: "issue" (a number missive allocated), "import"
 * (a legacy number, with or without archived files), "void" (of an
 * earlier issue or import, same reference, scope and sequence) or "sign"
 * (signatures added later to an issued letter: same reference, scope and
 * sequence, the signatories who signed, and the new PDF — the earlier one
 * plus incremental updates). Strings may be NULL where unknown. */
struct register_entry {
    long long id; /* position in the chain: 1, 2, ... */
    const char *event;
    const char *reference, *scope;
    long long seq;
    const char *recorded_at; /* UTC "yyyy-mm-ddThh:mm:ssZ": issue, import or void time */
    const char *letter_date, *language, *series, *country;
    const char *recipient_id, *recipient_name, *subject, *template_name;
    const char *reason; /* void events */
    struct register_person *signatories;
    size_t signatory_count;
    struct register_file *files;
    size_t file_count;
    const char *prev_hash, *hash;
    /* The builds that shaped the files' bytes ("missive 0.1.0; libharu
     * 2.3.0; ..."), NULL for entries recorded before missive kept them. */
    const char *libraries;
    const char *office; /* the office that recorded it ([missive] office), or NULL */
    /* Filled by register_find and register_list for issue/import entries. */
    const char *void_reason, *voided_at; /* NULL unless voided */
    /* The PDF as signed later (the newest "sign" entry's), NULL when it
     * never was: what the letter is now. */
    const struct register_file *signed_pdf;
    const char *signed_at;
};

/* List filters; NULL or 0 means any. recipient and signatory match an id
 * exactly or a name in part; text matches the subject in part; parts
 * ignore case (Unicode case folding). */
struct register_filter {
    int year; /* of the letter's date */
    const char *country, *language, *recipient, *signatory, *text;
    const char *office; /* the office that recorded the entry, exactly */
    const char *series; /* the reference's series (LT, PT), exactly */
};

#endif
