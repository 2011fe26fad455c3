/* letter.h — owns loading a letter file (XML): which template and language,
 * reference (absent = draft), date, recipient, signatories, subject, the
 * dated facts, the body and, for a petition, where its co-signers come
 * from. Facts and body are compiled markup (tmpl.h);
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

/* How the annex groups a petition's signers. */
enum letter_group_by {
    LETTER_GROUP_TYPE,    /* organisations first, then individuals */
    LETTER_GROUP_COUNTRY, /* one group per country, by the country's name */
    LETTER_GROUP_NONE,    /* one list */
};

/* <column field="name" header="Full name"/> maps a CSV column to a field;
 * <ignore header="IP address"/> (field NULL) leaves a column out on
 * purpose. For field "type", organisation/individual are the column's
 * values meaning each kind (NULL: the words themselves). */
struct letter_column {
    const char *field;
    const char *header;
    const char *organisation, *individual;
    struct source_loc loc;
};

/* <petition signers="petitions/x.csv" group-by="type" show="...">: where
 * a petition's co-signers come from and how the annex lists them (see
 * docs/petitions.md and signers.h). */
struct letter_petition {
    const char *signers; /* the CSV's path, joined to the letter's folder */
    struct source_loc loc, signers_loc;
    enum letter_group_by group_by;
    const char **show; /* fields printed in a signer's entry, in order */
    size_t show_count;
    struct source_loc show_loc;
    struct letter_column *columns;
    size_t column_count;
};

/* How a campaign names its recipients, in <recipients>. */
enum letter_pick_kind {
    LETTER_PICK_RECIPIENT, /* <recipient ref="id"/> */
    LETTER_PICK_GROUP,     /* <group ref="name" countries="..."/>: the group's members */
    LETTER_PICK_COUNTRIES, /* <countries codes="KZ RU"/>: every recipient in them */
};

struct letter_pick {
    enum letter_pick_kind kind;
    const char *id;                /* the recipient or group; NULL for countries */
    const struct value *countries; /* country codes; NULL: any (a group) */
    struct source_loc loc;
};

/* A campaign letter's text in one language: its own, or a <translation>. */
struct letter_text {
    const char *language;
    struct source_loc loc;
    const char *subject;          /* NULL when a translation lacks it */
    struct value *facts;          /* as letter->facts, each text in this language */
    const struct tmpl_node *body; /* NULL when a translation lacks it */
    const char *missing;          /* what it lacks ("<body>, fact 'rally'"); NULL: complete */
};

struct letter {
    struct arena *arena; /* owns everything below */
    const char *path;
    const char *name;                /* file name without folder and ".xml": "kazakhstan-2011" */
    struct source_loc loc;           /* the <letter> element */
    struct letter_ref template_name; /* "solidarity" */
    const char *language;            /* "en" */
    const char *reference;           /* NULL when the letter is a draft */
    struct source_loc reference_loc; /* its text */
    const char *series;              /* <series>, for numbering; NULL: the workspace default */
    struct source_loc series_loc;
    const char *date; /* ISO yyyy-mm-dd, validated */
    struct source_loc date_loc;
    const char *subject;
    struct letter_ref recipient;
    struct letter_ref *signatories;
    size_t signatory_count;
    /* List of fact maps: id, date (first date), dates (list of ISO dates),
     * source (may be absent), text (markup). */
    struct value *facts;
    const struct tmpl_node *body;
    const struct letter_petition *petition; /* NULL: not a petition */
    /* A campaign (<recipients> instead of <recipient>; see campaign.h):
     * whom it names, its texts ([0] its own: language, subject, facts and
     * body above; then each <translation>) and its fallback language. */
    const struct letter_pick *picks; /* NULL: not a campaign */
    size_t pick_count;
    struct source_loc recipients_loc;
    const struct letter_text *texts;
    size_t text_count;
    const char *fallback; /* NULL: none */
    struct source_loc fallback_loc;
};

/* Loads and compiles the letter at path. NULL plus every error found. */
struct letter *letter_load(const char *path, struct errors *errors);
void letter_free(struct letter *letter);

/* true when s is a valid ISO date yyyy-mm-dd (a real calendar day). */
bool letter_date_valid(const char *s);

#endif
