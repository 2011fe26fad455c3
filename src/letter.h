/* letter.h — owns loading a letter file (XML): which template and language,
 * reference (absent = draft), date, recipient, signatories, subject, the
 * dated facts and the body. Facts and body are compiled markup (tmpl.h);
 * ids are checked against the workspace later, by merge. */
#ifndef MISSIVE_LETTER_H
#define MISSIVE_LETTER_H

#include "arena.h"
#include "error.h"
#include "tmpl.h"
#include "value.h"

#include <stddef.h>

struct letter_ref {
    const char *id;
    struct source_loc loc;
};

struct letter {
    struct arena *arena; /* owns everything below */
    const char *path;
    const char *name;                /* file name without folder and ".xml": "kazakhstan-2011" */
    struct source_loc loc;           /* the <letter> element */
    struct letter_ref template_name; /* "solidarity" */
    const char *language;            /* "en" */
    const char *reference;           /* NULL when the letter is a draft */
    const char *date;                /* ISO yyyy-mm-dd, validated */
    struct source_loc date_loc;
    const char *subject;
    struct letter_ref recipient;
    struct letter_ref *signatories;
    size_t signatory_count;
    /* List of fact maps: id, date (first date), dates (list of ISO dates),
     * source (may be absent), text (markup). */
    struct value *facts;
    const struct tmpl_node *body;
};

/* Loads and compiles the letter at path. NULL plus every error found. */
struct letter *letter_load(const char *path, struct errors *errors);
void letter_free(struct letter *letter);

/* true when s is a valid ISO date yyyy-mm-dd (a real calendar day). */
bool letter_date_valid(const char *s);

#endif
