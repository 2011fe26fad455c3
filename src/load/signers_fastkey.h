/* signers_fastkey.h — owns primary collation keys made without ICU for
 * names whose every character has a fixed primary weight (learnt from ICU
 * once per character and collator): ucol_getSortKey's bytes, exactly, for
 * a third of its instructions. Used by signers_sort.c. */
#ifndef MISSIVE_SIGNERS_FASTKEY_H
#define MISSIVE_SIGNERS_FASTKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicode/ucol.h>

struct signers_fastkey; /* signers_fastkey.c's */

/* A table for coll (a primary-strength collator, borrowed: it must
 * outlive the table), empty: characters are learnt when first met. */
struct signers_fastkey *signers_fastkey_new(const UCollator *coll);
void signers_fastkey_free(struct signers_fastkey *k);

/* Whether the build made coll's contractions (signers_contractions.h): a
 * table for coll then costs little to make. */
bool signers_fastkey_built(const UCollator *coll);

/* The primary key of utf8 (valid UTF-8, NUL-terminated) as
 * ucol_getSortKey of the table's collator writes it, without its NUL,
 * into out (room bytes): its length, or -1 when a character of utf8 is
 * not one the table takes (a digit, a contraction's, a combining mark, a
 * letter past U+2FFF...) or out is too short: ask ICU then. */
int32_t signers_fastkey_make(struct signers_fastkey *k, const char *utf8, uint8_t *out,
                             size_t room);

/* For tests: whether c is one the collator's contractions make depend on
 * what precedes it; whether those were taken from the build's tables
 * (signers_contractions.h) rather than listed by ICU; and, set, that ICU
 * always lists them. */
bool signers_fastkey_marked(const struct signers_fastkey *k, int32_t c);
bool signers_fastkey_from_table(const struct signers_fastkey *k);
extern bool signers_fastkey_tables_off;

#endif
