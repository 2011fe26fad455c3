/* signers_contractions.c — owns listing a collator's contractions and
 * contexts as the characters they make depend on what precedes. */
#include "signers_contractions.h"

#include <unicode/uset.h>
#include <unicode/utf16.h>

static void mark(bool *marks, UChar32 c)
{
    if (c >= 0 && c < SIGNERS_FAST_END)
        marks[c] = true;
}

/* Whether one of the len units of text is a character past the table. */
static bool past_table(const UChar *text, int32_t len)
{
    for (int32_t j = 0; j < len;) {
        UChar32 c;
        U16_NEXT(text, j, len, c);
        if (c >= SIGNERS_FAST_END)
            return true;
    }
    return false;
}

/* Every character but the first of the collator's contractions and
 * contexts (a prefix's string ends with the character it changes): their
 * weights depend on what stands before them. A contraction's first
 * character keeps its own weight unless one of the others follows it, and
 * a name holding one of those goes to ICU whole. */
bool signers_contractions_mark(const UCollator *coll, bool *marks)
{
    UErrorCode status = U_ZERO_ERROR;
    USet *set = uset_openEmpty();
    ucol_getContractionsAndExpansions(coll, set, NULL, true, &status);
    bool listed = U_SUCCESS(status);
    int32_t items = listed ? uset_getItemCount(set) : 0;
    for (int32_t i = 0; i < items; i++) {
        UChar32 start, end;
        UChar text[64];
        status = U_ZERO_ERROR;
        int32_t len = uset_getItem(set, i, &start, &end, text, 64, &status);
        if (U_FAILURE(status)) {
            listed = false; /* a string too long to look at */
            continue;
        }
        if (past_table(text, len))
            continue; /* never in a name the table takes (U+FDD1 L, an index's) */
        for (UChar32 c = start; len == 0 && c <= end && c < SIGNERS_FAST_END; c++)
            mark(marks, c);
        for (int32_t j = 0; j < len;) {
            UChar32 c;
            bool first = j == 0;
            U16_NEXT(text, j, len, c);
            if (!first)
                mark(marks, c);
        }
    }
    uset_close(set);
    return listed;
}
