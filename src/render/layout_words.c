/* layout_words.c — which words hyphenation may break, and where: the
 * rules of docs/typography.md applied to one item of the line breaker,
 * the points themselves from hyphenate.c. */
#include "common_words.h"
#include "hyphenate.h"
#include "layout_internal.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Text substituted from workspace data (organisations.ini, recipients.ini,
 * signatories.ini, signers' CSV): names, titles, addresses. */
bool layout_run_from_data(const struct doc_run *run)
{
    const char *file = run->loc.file;
    size_t n = file ? strlen(file) : 0;
    return n > 4 && (strcmp(file + n - 4, ".ini") == 0 || strcmp(file + n - 4, ".csv") == 0);
}

static bool is_letter(UChar32 c)
{
    return u_isalpha(c) || u_getCombiningClass(c) > 0;
}

/* Narrows [*from, *to) to the word inside punctuation ("(word),"): false
 * when what is left is not letters only (digits and signs are not
 * punctuation: "2011a", "a+b" stay whole). */
static bool word_core(const char *joined, size_t *from, size_t *to)
{
    int32_t a = (int32_t)*from, b = (int32_t)*to;
    while (a < b) {
        int32_t next = a;
        UChar32 c;
        U8_NEXT(joined, next, b, c);
        if (c < 0 || !u_ispunct(c))
            break;
        a = next;
    }
    while (b > a) {
        int32_t prev = b;
        UChar32 c;
        U8_PREV(joined, a, prev, c);
        if (c < 0 || !u_ispunct(c))
            break;
        b = prev;
    }
    for (int32_t i = a; i < b;) {
        UChar32 c;
        U8_NEXT(joined, i, b, c);
        if (c < 0 || !is_letter(c))
            return false;
    }
    *from = (size_t)a;
    *to = (size_t)b;
    return a < b;
}

/* Capitals after the first letter mark acronyms and names (IMF, McKay).
 * A capital first letter marks a name unless the dictionary knows the
 * word: outside German as a common word in lower case (Commemorative,
 * Président, Республики; not Nazarbaev, Kazakhstan), in German, which
 * capitalises every noun, as any word or compound of words
 * (Gewerkschaftskomitees; not Nasarbajew). */
static bool casing_allows(const char *joined, size_t from, size_t to, const char *language)
{
    bool first = true, capital = false;
    for (int32_t i = (int32_t)from; i < (int32_t)to; first = false) {
        UChar32 c;
        U8_NEXT(joined, i, (int32_t)to, c);
        if (u_isupper(c) && !first)
            return false;
        capital |= first && u_isupper(c);
    }
    return !capital || common_words_has(language, joined + from, to - from);
}

size_t layout_word_points(const struct doc_run *runs, size_t run_count, const size_t *run_start,
                          const char *joined, size_t from, size_t to, const char *language,
                          bool *points)
{
    memset(points, 0, (to - from + 1) * sizeof *points);
    for (size_t r = 0; r < run_count; r++)
        if (run_start[r] < to && run_start[r + 1] > from && layout_run_from_data(&runs[r]))
            return 0;
    size_t a = from, b = to;
    if (!word_core(joined, &a, &b) || !casing_allows(joined, a, b, language))
        return 0;
    bool word_points[101];
    if (b - a > 100)
        return 0;
    size_t count = hyphenate_word(language, joined + a, b - a, word_points);
    for (size_t i = 1; count && i < b - a; i++)
        points[a + i - from] = word_points[i];
    return count;
}
