/* hyphenate.c — hyphenation points as libhyphen finds them: the word
 * lower-cased (ICU simple case mapping, one code point for one), walked
 * over the compiled tables as hnj_hyphen_hyphenate3 walks its own (or
 * handed to it, for a table with replacements), the points of a UTF-8
 * dictionary counting characters, mapped back to byte offsets.
 * Non-standard hyphenation (German "Schiff-fahrt" style replacements) is
 * left out: the text must stay the text. */
#include "hyphenate.h"

#include "arena.h"
#include "hyphenate_tables.h"

#include <pthread.h>
#include <stdatomic.h>

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define MAX_WORD 100

/* A table's dictionary. Words are walked here over the read-only tables,
 * as libhyphen's hnj_hyphen_hyphenate3 walks its own structures (it stays
 * the reference: tests compare both on every word of five dictionaries),
 * so that a letter allocates nothing for hyphenation: libhyphen's states
 * took 700 KB of fresh pages for English, of which a letter touched 93,
 * and each word was walked twice, once to make its states. libhyphen's
 * structures are made, whole, only for a table with replacements
 * (non-standard hyphenation rewrites the word it walks) and for the tests
 * (hyphenate_whole). */
struct dict {
    const struct hyphenate_table *table;
    HyphenDict *levels[4]; /* libhyphen's, made whole; NULL: walked here */
};

bool hyphenate_whole;

static HyphenDict *whole_level(const struct hyphenate_level *v, HyphenDict *next)
{
    HyphenDict *d = xcalloc(1, sizeof *d);
    char *strings = (char *)v->strings;
    *d = (HyphenDict){.lhmin = v->lhmin,
                      .rhmin = v->rhmin,
                      .clhmin = v->clhmin,
                      .crhmin = v->crhmin,
                      .nohyphen = v->nohyphen < 0 ? NULL : strings + v->nohyphen,
                      .nohyphenl = v->nohyphenl,
                      .num_states = v->num_states,
                      .cset = "UTF-8",
                      .utf8 = v->utf8,
                      .nextlevel = next};
    d->states = xcalloc((size_t)v->num_states + 1, sizeof *d->states);
    for (int i = 0; i < v->num_states; i++) {
        const struct hyphenate_state *s = &v->states[i];
        d->states[i] = (HyphenState){
            .match = s->match < 0 ? NULL : strings + s->match,
            .repl = s->repl < 0 ? NULL : strings + s->repl,
            .replindex = s->replindex,
            .replcut = s->replcut,
            .fallback_state = s->fallback_state,
            .num_trans = s->num_trans,
            .trans = (HyphenTrans *)v->trans + s->trans,
        };
    }
    return d;
}

static int level_count(const struct hyphenate_table *t)
{
    return t->level_count < 4 ? t->level_count : 4;
}

static struct dict *build(const struct hyphenate_table *t, bool whole)
{
    struct dict *d = xcalloc(1, sizeof *d);
    d->table = t;
    for (int l = 0; l < level_count(t); l++)
        whole |= t->levels[l].has_repl != 0;
    HyphenDict *next = NULL;
    for (int l = level_count(t) - 1; whole && l >= 0; l--)
        next = d->levels[l] = whole_level(&t->levels[l], next);
    return d;
}

/* Walks level over "." word "." (digits read as '.') as hnj_hyphen_hyph_
 * does: hyphens (len + 3 bytes) gets the pattern digits of each byte as
 * hnj_hyphen_hyph_ has them before its compound step. Tables without
 * replacements only. */
static void walk(const struct hyphenate_level *v, const char *word, int len, char *hyphens)
{
    char prep[MAX_WORD * 2 + 3];
    int j = 0;
    prep[j++] = '.';
    for (int i = 0; i < len; i++)
        prep[j++] = word[i] >= '0' && word[i] <= '9' ? '.' : word[i];
    prep[j++] = '.';
    memset(hyphens, '0', (size_t)j);
    int state = 0;
    for (int i = 0; i < j; i++) {
        bool found = false;
        while (!found) {
            if (state == -1) {
                state = 0; /* libhyphen then skips the letter */
                break;
            }
            const struct hyphenate_state *s = &v->states[state];
            const HyphenTrans *trans = v->trans + s->trans;
            int k = 0;
            while (k < s->num_trans && trans[k].ch != prep[i])
                k++;
            found = k < s->num_trans;
            state = found ? trans[k].new_state : s->fallback_state;
        }
        if (!found || v->states[state].match < 0)
            continue;
        const char *match = v->strings + v->states[state].match;
        int offset = i + 1 - (int)strlen(match);
        for (int k = offset < 0 ? -offset : 0; match[k]; k++)
            if (hyphens[offset + k] < match[k])
                hyphens[offset + k] = match[k];
    }
    int i = 0;
    for (; i < j - 3; i++)
        hyphens[i] = hyphens[i + 1];
    for (; i < len; i++)
        hyphens[i] = '0';
}

/* Extra characters a ligature (EF AC xx) counts for in libhyphen's hyphen
 * minimums, built without LONG_LIGATURE: one for U+FB03 "ffi" and U+FB04
 * "ffl", none for the others. */
static int ligature(const char *at)
{
    if ((unsigned char)at[0] != 0xEF || (unsigned char)at[1] != 0xAC)
        return 0;
    return (unsigned char)at[2] == 0x83 || (unsigned char)at[2] == 0x84;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* No point within the first min characters of word (NUL-terminated),
 * leading digits not counted: hnj_hyphen_lhmin without replacements. */
static void left_min(int utf8, const char *word, char *hyphens, int min)
{
    int i = 1 + (utf8 ? ligature(word) : 0);
    for (int j = 0; digit(word[j]); j++)
        i--;
    for (int j = 0; i < min && word[j] != '\0'; i++)
        do {
            hyphens[j++] = '0';
            i += utf8 ? ligature(word + j) : 0;
        } while (utf8 && (word[j] & 0xc0) == 0x80);
}

/* The same for the last min characters: hnj_hyphen_rhmin. */
static void right_min(int utf8, const char *word, int len, char *hyphens, int min)
{
    int i = 0;
    for (int j = len - 1; j > 0 && digit(word[j]); j--)
        i--;
    for (int j = len - 1; i < min && j > 0; j--) {
        hyphens[j] = '0';
        if (!utf8 || (word[j] & 0xc0) == 0xc0 || (word[j] & 0x80) != 0x80)
            i++;
    }
}

/* hnj_hyphen_hyph_ without replacements: the walk at level, then each
 * part between its odd points walked again at this level (digits read as
 * '.'), or, when there is none, the whole word at the next level with the
 * compound minimums at the ends that are a part's (!lend, !rend). */
static void hyph(const struct hyphenate_table *t, int level, const char *word, int len,
                 char *hyphens, int clhmin, int crhmin, bool lend, bool rend)
{
    walk(&t->levels[level], word, len, hyphens);
    if (level + 1 >= level_count(t))
        return;
    char part[MAX_WORD * 2 + 1], part_hyphens[MAX_WORD * 2 + 5];
    int begin = 0;
    /* libhyphen ends a part with a NUL in its copy of the word (digits as
     * '.') and puts back the word's own byte after it: a part after a part
     * begins with that byte, a digit kept (its left minimum counts it). */
    bool own_first = false;
    for (int i = 0; i < len; i++) {
        if (!((hyphens[i] & 1) || (begin > 0 && i + 1 == len)))
            continue;
        bool walked = i - begin > 0;
        if (walked) {
            int n = i - begin + 1;
            for (int k = 0; k < n; k++)
                part[k] = digit(word[begin + k]) && !(k == 0 && own_first) ? '.' : word[begin + k];
            part[n] = '\0';
            hyph(t, level, part, n, part_hyphens, clhmin, crhmin, begin > 0 ? false : lend,
                 (hyphens[i] & 1) ? false : rend);
            /* Debian's libhyphen 2.8.8 copies the part's digits but its
             * last two: those stay this walk's. */
            memcpy(hyphens + begin, part_hyphens, (size_t)(i - begin - 1));
        }
        own_first = walked;
        begin = i + 1;
    }
    if (begin != 0)
        return;
    int utf8 = t->levels[level].utf8;
    hyph(t, level + 1, word, len, hyphens, clhmin, crhmin, lend, rend);
    if (!lend)
        left_min(utf8, word, hyphens, clhmin);
    if (!rend)
        right_min(utf8, word, len, hyphens, crhmin);
}

static int larger(int a, int b)
{
    return a > b ? a : b;
}

/* hnj_hyphen_hyphenate3 without replacements, on word (NUL-terminated,
 * len bytes): hyphens[k] odd for a point after character k. */
static void hyphenate_here(const struct hyphenate_table *t, const char *word, int len,
                           char *hyphens)
{
    const struct hyphenate_level *v = &t->levels[0];
    int lhmin = larger(HYPHENATE_LEFT_MIN, v->lhmin), rhmin = larger(HYPHENATE_RIGHT_MIN, v->rhmin);
    int clhmin = larger(HYPHENATE_LEFT_MIN, v->clhmin);
    int crhmin = larger(HYPHENATE_RIGHT_MIN, v->crhmin);
    hyph(t, 0, word, len, hyphens, clhmin, crhmin, true, true);
    left_min(v->utf8, word, hyphens, lhmin > 0 ? lhmin : 2);
    right_min(v->utf8, word, len, hyphens, rhmin > 0 ? rhmin : 2);
    const char *no = v->nohyphen < 0 ? NULL : v->strings + v->nohyphen;
    for (int n = 0; no && n <= v->nohyphenl; n++, no += strlen(no) + 1)
        for (const char *at = *no ? strstr(word, no) : NULL; at; at = strstr(at + 1, no)) {
            hyphens[at - word + (ptrdiff_t)strlen(no) - 1] = 0;
            if (at > word)
                hyphens[at - word - 1] = 0;
        }
    if (!v->utf8)
        return;
    int j = -1; /* one digit a character: its last byte's */
    for (int i = 0; i < len; i++) {
        if (((unsigned char)word[i] >> 6) != 2)
            j++;
        hyphens[j] = hyphens[i];
    }
}

/* The dictionaries made so far, by table (made whole for hyphenate_whole);
 * several threads hyphenate. */
static _Atomic(struct dict *) built[2][16];
static pthread_mutex_t building = PTHREAD_MUTEX_INITIALIZER;

static struct dict *dictionary(const char *language)
{
    for (size_t i = 0; language && i < hyphenate_table_count && i < 16; i++) {
        if (strncmp(language, hyphenate_tables[i].language, 2) != 0 ||
            (language[2] != 0 && language[2] != '-' && language[2] != '_'))
            continue;
        _Atomic(struct dict *) *slot = &built[hyphenate_whole][i];
        struct dict *d = atomic_load(slot);
        if (d)
            return d;
        pthread_mutex_lock(&building);
        d = atomic_load(slot);
        if (!d) {
            d = build(&hyphenate_tables[i], hyphenate_whole);
            atomic_store(slot, d);
        }
        pthread_mutex_unlock(&building);
        return d;
    }
    return NULL;
}

bool hyphenate_has(const char *language)
{
    return dictionary(language) != NULL;
}

/* word lower-cased into lower (NUL-terminated); starts[k] is the byte
 * offset in word of character k. Returns the characters, -1 when the
 * word does not fit. */
static int lower_case(const char *word, size_t len, char *lower, size_t *lower_len, size_t *starts)
{
    int chars = 0;
    size_t out = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(word, i, (int32_t)len, c);
        if (c < 0 || out + 4 >= MAX_WORD * 2)
            return -1;
        c = u_tolower(c);
        UBool error = false;
        U8_APPEND((uint8_t *)lower, out, MAX_WORD * 2, c, error);
        if (error)
            return -1;
        starts[chars++] = (size_t)start;
    }
    lower[out] = 0;
    *lower_len = out;
    starts[chars] = len;
    return chars;
}

/* libhyphen's points for lower (lower_len bytes) from its whole
 * structures, with replacements: none is kept (rep[k] set). */
static bool hyphenate_libhyphen(const struct dict *d, const char *lower, int lower_len,
                                char *hyphens, bool *replaced)
{
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    bool done = hnj_hyphen_hyphenate3(d->levels[0], lower, lower_len, hyphens, NULL, &rep, &pos,
                                      &cut, HYPHENATE_LEFT_MIN, HYPHENATE_RIGHT_MIN,
                                      HYPHENATE_LEFT_MIN, HYPHENATE_RIGHT_MIN) == 0;
    for (int i = 0; i < lower_len; i++)
        replaced[i] = rep && rep[i];
    if (rep) {
        for (int i = 0; i < lower_len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return done;
}

size_t hyphenate_word(const char *language, const char *word, size_t len, bool *points)
{
    memset(points, 0, (len + 1) * sizeof *points);
    struct dict *d = dictionary(language);
    if (!d || len > MAX_WORD)
        return 0;
    char lower[MAX_WORD * 2 + 1];
    size_t starts[MAX_WORD + 1], lower_len;
    int chars = lower_case(word, len, lower, &lower_len, starts);
    if (chars < HYPHENATE_LEFT_MIN + HYPHENATE_RIGHT_MIN)
        return 0;
    char hyphens[MAX_WORD * 2 + 5];
    bool replaced[MAX_WORD * 2 + 1] = {false};
    if (!d->levels[0])
        hyphenate_here(d->table, lower, (int)lower_len, hyphens);
    else if (!hyphenate_libhyphen(d, lower, (int)lower_len, hyphens, replaced))
        return 0;
    size_t count = 0;
    /* hyphens[k] odd: a break after character k. */
    for (int k = HYPHENATE_LEFT_MIN - 1; k < chars - HYPHENATE_RIGHT_MIN; k++)
        if ((hyphens[k] & 1) && !replaced[k]) {
            points[starts[k + 1]] = true;
            count++;
        }
    return count;
}
