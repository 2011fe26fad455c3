/* signers_fastkey.c — owns primary collation keys made without ICU.
 *
 * A primary key (ucol_getSortKey at primary strength) is the primary
 * weights of the text's collation elements one after the other, their
 * lead bytes compressed as ICU's CollationKeys writes them: a weight whose
 * lead byte is compressible and the same as the one before it is written
 * without it; a change from a compressible lead writes 03 (a lower lead)
 * or FF (a higher one) first. A character that alone is one collation
 * element with a primary weight (secondary-only ones aside), is not part
 * of a contraction or context of the collator but as its first character,
 * is not a digit and has no leading combining class (ICU's FCD pass
 * leaves text of such characters as it is) has that weight wherever it
 * stands: its bytes and compressibility are asked of ICU once, from its
 * own key and the key of it twice. Numbers of ASCII digits below 10,234
 * are written as ICU's numeric order writes them. Any other character
 * sends the whole name to ICU. */
#include "signers_fastkey.h"

#include "signers_contractions.h"

#include "arena.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucoleitr.h>
#include <unicode/uvernum.h>
#include <unicode/utf16.h>

enum { FAST_END = SIGNERS_FAST_END }; /* past it, ICU */

enum { UNKNOWN, SLOW, FAST };

/* ICU's primary compression terminators (Collation::PRIMARY_COMPRESSION_*). */
enum { LOW_TERMINATOR = 0x03, HIGH_TERMINATOR = 0xFF };

struct weight {
    uint8_t state, compressible, lead, len; /* len: the bytes of rest */
    uint8_t rest[4];
};

struct signers_fastkey {
    const UCollator *coll;
    bool broken;          /* ICU could not list the contractions: always ICU */
    bool from_table;      /* the contractions were the build's (fastkey_tables.c) */
    uint8_t numeric_lead; /* the lead of numbers' weights, 0: digits go to ICU */
    bool contracting[FAST_END];
    struct weight table[FAST_END];
};

bool signers_fastkey_tables_off;

/* The table made at build time for coll's tailoring, or NULL: its rules
 * are what coll was made from, under the same ICU. */
static const struct signers_contractions_table *built_table(const UCollator *coll)
{
    int32_t count = 0;
    const UChar *rules = ucol_getRules(coll, &count);
    for (int32_t i = 0; !signers_fastkey_tables_off && i < signers_contractions_table_count; i++) {
        const struct signers_contractions_table *t = &signers_contractions_tables[i];
        if (t->rule_count == count && strcmp(t->icu, U_ICU_VERSION) == 0 &&
            memcmp(t->rules, rules, (size_t)count * sizeof *rules) == 0)
            return t;
    }
    return NULL;
}

/* The characters the collator's contractions and contexts make depend on
 * what precedes (signers_contractions.c): from the build's table when
 * there is one for the collator, else listed by ICU (52 M instructions
 * for the root's 1,114 strings). */
static void mark_contractions(struct signers_fastkey *k)
{
    const struct signers_contractions_table *t = built_table(k->coll);
    k->from_table = t != NULL;
    if (!t) {
        k->broken = !signers_contractions_mark(k->coll, k->contracting);
        return;
    }
    k->broken = !t->listed;
    for (int32_t i = 0; i < t->marked_count; i++)
        k->contracting[t->marked[i]] = true;
}

/* Whether ICU's primary key of text (ASCII, at most eight characters)
 * is the n bytes of want. */
static bool key_is(const UCollator *coll, const char *text, const uint8_t *want, int32_t n)
{
    UChar wide[8];
    int32_t len = (int32_t)strlen(text);
    for (int32_t i = 0; i < len; i++)
        wide[i] = (UChar)text[i];
    uint8_t key[16];
    return ucol_getSortKey(coll, wide, len, key, sizeof key) == n + 1 &&
           memcmp(key, want, (size_t)n) == 0;
}

/* The lead byte of the collator's numbers (its numeric primary, as ICU's
 * CollationIterator writes a number below 10,234 in two or three bytes),
 * when the digits 0-9 take no part in contractions and the collator
 * writes 0, 73, 74 and 10,233 that way; else 0. */
static uint8_t numeric_lead(const struct signers_fastkey *k)
{
    for (int c = '0'; c <= '9'; c++)
        if (k->contracting[c])
            return 0;
    UChar zero = '0';
    uint8_t key[16];
    if (ucol_getSortKey(k->coll, &zero, 1, key, sizeof key) != 3 || key[1] != 2 ||
        key[0] <= LOW_TERMINATOR || key[0] == HIGH_TERMINATOR)
        return 0;
    uint8_t n = key[0];
    const uint8_t small[] = {n, 2 + 73}, medium[] = {n, 76, 2}, large[] = {n, 115, 255};
    return key_is(k->coll, "73", small, 2) && key_is(k->coll, "00074", medium, 3) &&
                   key_is(k->coll, "10233", large, 3)
               ? n
               : 0;
}

struct signers_fastkey *signers_fastkey_new(const UCollator *coll)
{
    struct signers_fastkey *k = xcalloc(1, sizeof *k);
    k->coll = coll;
    mark_contractions(k);
    k->numeric_lead = numeric_lead(k);
    return k;
}

/* Writes the number whose first digit is at *p as ICU's numeric order
 * does (leading zeros dropped, one kept; a lead that is not compressible)
 * and moves *p past it; false when it is 10,234 or more. */
static bool write_number(const struct signers_fastkey *k, const unsigned char **p, uint8_t *out,
                         size_t *o, uint8_t *previous)
{
    const unsigned char *q = *p;
    while (q[0] == '0' && q[1] >= '0' && q[1] <= '9')
        q++;
    uint32_t value = 0;
    for (int digits = 0; *q >= '0' && *q <= '9'; q++)
        if (++digits > 5)
            return false;
        else
            value = value * 10 + (uint32_t)(*q - '0');
    if (value >= 74 + 40 * 254)
        return false;
    *p = q;
    if (*previous)
        out[(*o)++] = k->numeric_lead < *previous ? LOW_TERMINATOR : HIGH_TERMINATOR;
    out[(*o)++] = k->numeric_lead;
    *previous = 0;
    if (value < 74) {
        out[(*o)++] = (uint8_t)(2 + value); /* two bytes: 0..73 */
    } else {
        value -= 74; /* three bytes: 74..10,233 */
        out[(*o)++] = (uint8_t)(76 + value / 254);
        out[(*o)++] = (uint8_t)(2 + value % 254);
    }
    return true;
}

void signers_fastkey_free(struct signers_fastkey *k)
{
    free(k);
}

bool signers_fastkey_built(const UCollator *coll)
{
    return built_table(coll) != NULL;
}

bool signers_fastkey_marked(const struct signers_fastkey *k, int32_t c)
{
    return c >= 0 && c < FAST_END && k->contracting[c];
}

bool signers_fastkey_from_table(const struct signers_fastkey *k)
{
    return k->from_table;
}

/* How many of c's collation elements have a primary weight (-1: ICU
 * failed). A continuation (low bits 0xC0) holds the rest of the element
 * before it. */
static int primaries(const UCollator *coll, UChar c)
{
    UErrorCode status = U_ZERO_ERROR;
    UCollationElements *it = ucol_openElements(coll, &c, 1, &status);
    int count = 0;
    for (int32_t ce; U_SUCCESS(status) && (ce = ucol_next(it, &status)) != UCOL_NULLORDER;)
        if ((ce & 0xC0) != 0xC0 && ((uint32_t)ce >> 16) != 0)
            count++;
    ucol_closeElements(it);
    return U_FAILURE(status) ? -1 : count;
}

/* Whether c's weight is the same wherever it stands (see the top). */
static bool context_free(const struct signers_fastkey *k, UChar32 c)
{
    /* A text of characters with no leading combining class is FCD
     * whatever their trailing ones (é's is 230). */
    return !k->contracting[c] && !U_IS_SURROGATE(c) && u_charType(c) != U_DECIMAL_DIGIT_NUMBER &&
           u_getIntPropertyValue(c, UCHAR_LEAD_CANONICAL_COMBINING_CLASS) == 0 &&
           !(c >= 0x1100 && c <= 0x11FF) /* conjoining jamo */ && primaries(k->coll, (UChar)c) == 1;
}

/* Fills c's entry from ICU: its key alone (lead and rest) and twice (the
 * rest repeated: the lead is compressible; lead and rest repeated: not). */
static void learn(struct signers_fastkey *k, UChar32 c)
{
    struct weight *w = &k->table[c];
    w->state = SLOW;
    if (!context_free(k, c))
        return;
    UChar twice[2] = {(UChar)c, (UChar)c};
    uint8_t one[16], two[32];
    int32_t n = ucol_getSortKey(k->coll, twice, 1, one, sizeof one) - 1; /* without its NUL */
    int32_t m = ucol_getSortKey(k->coll, twice, 2, two, sizeof two) - 1;
    if (n < 1 || n > 5 || m < 1 || m >= (int32_t)sizeof two || one[0] <= LOW_TERMINATOR)
        return;
    size_t rest = (size_t)n - 1;
    bool compressed = (size_t)m == 1 + 2 * rest && memcmp(two, one, (size_t)n) == 0 &&
                      memcmp(two + n, one + 1, rest) == 0;
    bool whole = (size_t)m == 2 * (size_t)n && memcmp(two, one, (size_t)n) == 0 &&
                 memcmp(two + n, one, (size_t)n) == 0;
    if (!compressed && !whole)
        return;
    *w = (struct weight){FAST, compressed, one[0], (uint8_t)rest, {0}};
    memcpy(w->rest, one + 1, rest);
}

/* The code point at *p (valid UTF-8), moving *p past it; -1 when it is
 * past the table (or not UTF-8 the table reads). */
static int32_t next_code_point(const unsigned char **p)
{
    const unsigned char *t = *p;
    if (t[0] < 0x80) {
        *p = t + 1;
        return t[0];
    }
    if (t[0] >= 0xC2 && t[0] <= 0xDF && (t[1] & 0xC0) == 0x80) {
        *p = t + 2;
        return (t[0] & 0x1F) << 6 | (t[1] & 0x3F);
    }
    if (t[0] >= 0xE0 && t[0] <= 0xE2 && (t[1] & 0xC0) == 0x80 && (t[2] & 0xC0) == 0x80) {
        int32_t c = (t[0] & 0x0F) << 12 | (t[1] & 0x3F) << 6 | (t[2] & 0x3F);
        *p = t + 3;
        return c >= 0x800 && c < FAST_END ? c : -1;
    }
    return -1;
}

int32_t signers_fastkey_make(struct signers_fastkey *k, const char *utf8, uint8_t *out, size_t room)
{
    if (k->broken)
        return -1;
    /* A character takes a byte at least and writes six at most. */
    if (strlen(utf8) > room / (2 + sizeof k->table[0].rest))
        return -1;
    const unsigned char *p = (const unsigned char *)utf8;
    size_t o = 0;
    uint8_t previous = 0; /* the compressible lead written last, else 0 */
    while (*p) {
        if (*p >= '0' && *p <= '9' && k->numeric_lead) {
            if (!write_number(k, &p, out, &o, &previous))
                return -1;
            continue;
        }
        int32_t c = next_code_point(&p);
        if (c < 0)
            return -1;
        const struct weight *w = &k->table[c];
        if (w->state != FAST) {
            if (w->state == UNKNOWN)
                learn(k, c);
            if (w->state != FAST)
                return -1;
        }
        if (!w->compressible || w->lead != previous) {
            if (previous)
                out[o++] = w->lead < previous ? LOW_TERMINATOR : HIGH_TERMINATOR;
            out[o++] = w->lead;
            previous = w->compressible ? w->lead : 0;
        }
        memcpy(out + o, w->rest, sizeof w->rest);
        o += w->len;
    }
    return (int32_t)o;
}
