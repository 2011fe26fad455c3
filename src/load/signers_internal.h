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

/* What duplicates are found by, per signer: 128-bit hashes of the
 * NFKC_Casefold forms of its e-mail ({0, 0}: none) and of its name, city
 * and country, each prefixed with its type. Two rows whose hashes are
 * equal are the same signer (a false match is one chance in about 10^26
 * at a million rows). */
struct signers_keys {
    uint64_t email[2], name[2];
};

/* Appends a copy of signer to s->items and its keys to s->keys (a row that
 * passed its checks). */
void signers_push(struct signers *s, const struct signer *signer, const struct signers_keys *keys);
/* The hash of type's letter followed by the NFKC_Casefold form of text
 * (len bytes of valid UTF-8); {0, 0} for no text. scratch is reused. */
void signers_key_hash(enum signer_type type, const char *text, size_t len, struct buffer *scratch,
                      uint64_t out[2]);
/* Tests only: every key folded by ICU whole (ASCII too), as before the
 * table of signers_keys.c, to show that both fold alike. */
extern bool signers_icu_always;
/* Notes a row as left out (left_out true) or merged; text is kept as is. */
void signers_note_add(struct signers *s, bool left_out, int line, const char *text);
/* Merges duplicates, sorts with locale's collation, groups and counts.
 * Returns 0, or -1 with an error when ICU cannot collate for locale. */
int signers_finish(struct signers *s, enum letter_group_by group_by, const char *locale,
                   struct errors *errors);
/* Tests only: order[i] is -1, 0 or 1 as a[i] and b[i] (valid UTF-8) are
 * in the order signers_finish gives names for locale (primary keys, then
 * ICU's whole comparison). Returns 0, or -1 when ICU cannot collate for
 * locale. */
int signers_collate_check(const char *locale, const char *const *a, const char *const *b, size_t n,
                          int *order);

#endif
