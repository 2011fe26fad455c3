/* signers_contractions.h — owns which characters a collator's contractions
 * and contexts make depend on what stands before them: asked of ICU
 * (signers_contractions_mark), used by signers_fastkey.c at run time and
 * by scripts/fastkey-tables.c at build time, so that both mark the same. */
#ifndef MISSIVE_SIGNERS_CONTRACTIONS_H
#define MISSIVE_SIGNERS_CONTRACTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <unicode/ucol.h>

/* Latin to CJK symbols: the characters signers_fastkey.c's table holds. */
enum { SIGNERS_FAST_END = 0x3000 };

/* Sets marks[c] (SIGNERS_FAST_END of them, false on entry) for every
 * character below SIGNERS_FAST_END but the first of coll's contractions
 * and contexts; false when ICU could not list them all (then nothing may
 * be taken from the marks). */
bool signers_contractions_mark(const UCollator *coll, bool *marks);

/* A collator's marks made at build time (fastkey_tables.c, generated):
 * for the collators whose tailoring rules are rules (rule_count UTF-16
 * units) under ICU version icu; its marked characters in marked. */
struct signers_contractions_table {
    const char *locale; /* one locale it was made from (for tests) */
    const char *icu;    /* U_ICU_VERSION of the ICU that made it */
    const UChar *rules;
    int32_t rule_count;
    bool listed; /* false: ICU could not list them (use no marks) */
    const uint16_t *marked;
    int32_t marked_count;
};
extern const struct signers_contractions_table signers_contractions_tables[];
extern const int32_t signers_contractions_table_count;

#endif
