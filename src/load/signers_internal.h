/* signers_internal.h — owns what signers.c (reading and checking the CSV)
 * and signers_sort.c (duplicates, collation, groups, report) share. */
#ifndef MISSIVE_SIGNERS_INTERNAL_H
#define MISSIVE_SIGNERS_INTERNAL_H

#include "signers.h"

#include <stdint.h>

/* The known fields' numbers in signers.fields; extra fields follow. */
enum {
    SIGNERS_NAME,
    SIGNERS_ORGANISATION,
    SIGNERS_ROLE,
    SIGNERS_CITY,
    SIGNERS_COUNTRY,
    SIGNERS_EMAIL,
    SIGNERS_DATE,
    SIGNERS_TYPE,
    SIGNERS_KNOWN
};

#define SIGNERS_UNMAPPED SIZE_MAX

/* Appends a copy of signer to s->items (a row that passed its checks). */
void signers_push(struct signers *s, const struct signer *signer);
/* Notes a row as left out (left_out true) or merged; text is kept as is. */
void signers_note_add(struct signers *s, bool left_out, int line, const char *text);
/* Merges duplicates, sorts with locale's collation, groups and counts.
 * Returns 0, or -1 with an error when ICU cannot collate for locale. */
int signers_finish(struct signers *s, enum letter_group_by group_by, const char *locale,
                   struct errors *errors);

#endif
