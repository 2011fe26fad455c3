/* common_words.c — lookups in the Bloom filters of common_words_tables.c:
 * the word lower-cased code point by code point (ICU's simple case
 * mapping, as hyphenate.c does), hashed as scripts/common-words.py hashes
 * it; German compounds split at every point into known parts. */
#include "common_words.h"

#include "common_words_tables.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define MAX_WORD 100
/* Fewest letters of a part of a German compound; the first may have two
 * (Öl|arbeiter, An|stiftung). */
#define LEAST_PART 3
#define LEAST_FIRST_PART 2

static const struct common_words_table *table_of(const char *language)
{
    for (size_t i = 0; language && i < common_words_table_count; i++) {
        const char *l = common_words_tables[i].language;
        if (strncmp(language, l, 2) == 0 &&
            (language[2] == 0 || language[2] == '-' || language[2] == '_'))
            return &common_words_tables[i];
    }
    return NULL;
}

static uint64_t mix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9u;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBu;
    return h ^ (h >> 31);
}

/* Whether the lowercase text[0, len) is in t's filter. */
static bool in_filter(const struct common_words_table *t, const char *text, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)len;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t chunk = 0;
        for (size_t k = 0; k < 8 && i + k < len; k++)
            chunk |= (uint64_t)(unsigned char)text[i + k] << (8 * k);
        h = mix(h ^ chunk);
    }
    uint64_t h2 = mix(h ^ 0x5851F42D4C957F2Du) | 1;
    for (int p = 0; p < t->probes; p++) {
        uint64_t bit = (h + (uint64_t)p * h2) % t->bit_count;
        if (!(t->bits[bit / 64] >> (bit % 64) & 1))
            return false;
    }
    return true;
}

/* Whether lower from letter from on (starts[k]: byte offset of letter k,
 * chars letters; failed: the starts already known not to be) is a compound of known parts, each of
 * LEAST_PART letters or more, a part but the last maybe followed by a linking "s". */
static bool compound(const struct common_words_table *t, const char *lower, const size_t *starts,
                     int from, int chars, bool *failed)
{
    if (failed[from])
        return false;
    size_t end = starts[chars];
    if (chars - from >= t->least && in_filter(t, lower + starts[from], end - starts[from]))
        return true;
    for (int cut = from + (from == 0 ? LEAST_FIRST_PART : LEAST_PART); cut + LEAST_PART <= chars;
         cut++) {
        if (!in_filter(t, lower + starts[from], starts[cut] - starts[from]))
            continue;
        if (compound(t, lower, starts, cut, chars, failed))
            return true;
        if (lower[starts[cut]] == 's' && cut + 1 + LEAST_PART <= chars &&
            compound(t, lower, starts, cut + 1, chars, failed))
            return true;
    }
    failed[from] = true; /* each start is tried once: no exponential search */
    return false;
}

bool common_words_has(const char *language, const char *word, size_t len)
{
    const struct common_words_table *t = table_of(language);
    if (!t || len >= MAX_WORD)
        return false;
    char lower[MAX_WORD * 2 + 1];
    size_t starts[MAX_WORD + 1], out = 0;
    int chars = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        UChar32 c;
        U8_NEXT(word, i, (int32_t)len, c);
        if (c < 0)
            return false;
        UBool error = false;
        starts[chars++] = out;
        U8_APPEND((uint8_t *)lower, out, MAX_WORD * 2, u_tolower(c), error);
        if (error)
            return false;
    }
    starts[chars] = out;
    if (chars < t->least)
        return false;
    if (in_filter(t, lower, out))
        return true;
    bool failed[MAX_WORD + 1] = {false};
    return t->any_case && compound(t, lower, starts, 0, chars, failed);
}
