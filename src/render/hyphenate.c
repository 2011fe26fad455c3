/* hyphenate.c — hyphenation points from libhyphen: the word lower-cased
 * (ICU simple case mapping, one code point for one), handed to
 * hnj_hyphen_hyphenate3, whose points for a UTF-8 dictionary count
 * characters, mapped back to byte offsets. Non-standard hyphenation
 * (German "Schiff-fahrt" style replacements) is left out: the text must
 * stay the text. */
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

/* libhyphen's structures for a table, made once and kept for the process:
 * its dictionaries, one per level, with pointers into the read-only
 * tables (libhyphen only reads them). A state is made when a word first
 * reaches it (make_word), not all at first use: English has 17,465 states
 * (700 KB of fresh pages to fill), German's compound level 284,634, and a
 * letter reaches a few thousand. A table with replacements (non-standard
 * hyphenation rewrites the word libhyphen walks) is made whole. */
struct lazy {
    const struct hyphenate_table *table;
    HyphenDict *levels[4];
    unsigned char *made[4]; /* per state of each level: made (under building) */
    bool whole;
};

bool hyphenate_whole;

static void make_state(struct lazy *lz, int level, int i)
{
    const struct hyphenate_level *v = &lz->table->levels[level];
    if (lz->made[level][i])
        return;
    const struct hyphenate_state *s = &v->states[i];
    char *strings = (char *)v->strings;
    lz->levels[level]->states[i] = (HyphenState){
        .match = s->match < 0 ? NULL : strings + s->match,
        .repl = s->repl < 0 ? NULL : strings + s->repl,
        .replindex = s->replindex,
        .replcut = s->replcut,
        .fallback_state = s->fallback_state,
        .num_trans = s->num_trans,
        .trans = (HyphenTrans *)v->trans + s->trans,
    };
    lz->made[level][i] = 1;
}

static struct lazy *build(const struct hyphenate_table *t, bool whole)
{
    struct lazy *lz = xcalloc(1, sizeof *lz);
    lz->table = t;
    for (int l = 0; l < t->level_count && l < 4; l++)
        whole |= t->levels[l].has_repl != 0;
    lz->whole = whole;
    HyphenDict *next = NULL;
    for (int l = (t->level_count < 4 ? t->level_count : 4) - 1; l >= 0; l--) {
        const struct hyphenate_level *v = &t->levels[l];
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
        /* Fresh zero pages: only those of the states made are touched. */
        d->states = xcalloc((size_t)v->num_states + 1, sizeof *d->states);
        lz->made[l] = xcalloc((size_t)v->num_states + 1, 1);
        lz->levels[l] = d;
        next = d;
        for (int i = 0; whole && i < v->num_states; i++)
            make_state(lz, l, i);
    }
    return lz;
}

/* Walks level over "." word "." (digits read as '.') as hnj_hyphen_hyph_
 * does, making every state it reads; hyphens (len + 3 bytes, or NULL)
 * gets the pattern digits as hnj_hyphen_hyph_ has them before its
 * compound step. Tables without replacements only. */
static void walk(struct lazy *lz, int level, const char *word, int len, char *hyphens)
{
    const struct hyphenate_level *v = &lz->table->levels[level];
    char prep[MAX_WORD * 2 + 3];
    int j = 0;
    prep[j++] = '.';
    for (int i = 0; i < len; i++)
        prep[j++] = word[i] >= '0' && word[i] <= '9' ? '.' : word[i];
    prep[j++] = '.';
    if (hyphens)
        memset(hyphens, '0', (size_t)j);
    int state = 0;
    for (int i = 0; i < j; i++) {
        bool found = false;
        while (!found) {
            if (state == -1) {
                state = 0; /* libhyphen then skips the letter */
                break;
            }
            make_state(lz, level, state);
            const struct hyphenate_state *s = &v->states[state];
            const HyphenTrans *trans = v->trans + s->trans;
            int k = 0;
            while (k < s->num_trans && trans[k].ch != prep[i])
                k++;
            found = k < s->num_trans;
            state = found ? trans[k].new_state : s->fallback_state;
        }
        if (!found)
            continue;
        make_state(lz, level, state);
        const struct hyphenate_state *s = &v->states[state];
        if (!hyphens || s->match < 0)
            continue;
        const char *match = v->strings + s->match;
        int offset = i + 1 - (int)strlen(match);
        for (int k = offset < 0 ? -offset : 0; match[k]; k++)
            if (hyphens[offset + k] < match[k])
                hyphens[offset + k] = match[k];
    }
    if (!hyphens)
        return;
    int i = 0;
    for (; i < j - 3; i++)
        hyphens[i] = hyphens[i + 1];
    for (; i < len; i++)
        hyphens[i] = '0';
}

/* Makes every state hnj_hyphen_hyph_ reads hyphenating word at level:
 * its walk there, then, with a level below, each part between the
 * level's points again at this level, or the whole word at the next. */
static void make_word(struct lazy *lz, int level, const char *word, int len)
{
    bool below = level + 1 < lz->table->level_count && level + 1 < 4;
    char hyphens[MAX_WORD * 2 + 5];
    walk(lz, level, word, len, below ? hyphens : NULL);
    if (!below)
        return;
    int begin = 0;
    for (int i = 0; i < len; i++)
        if ((hyphens[i] & 1) || (begin > 0 && i + 1 == len)) {
            if (i - begin > 0)
                make_word(lz, level, word + begin, i - begin + 1);
            begin = i + 1;
        }
    if (begin == 0)
        make_word(lz, level + 1, word, len);
}

/* The dictionaries made so far, by table (lazily made, and made whole for
 * hyphenate_whole); several threads hyphenate. */
static _Atomic(struct lazy *) built[2][16];
static pthread_mutex_t building = PTHREAD_MUTEX_INITIALIZER;

static struct lazy *dictionary(const char *language)
{
    for (size_t i = 0; language && i < hyphenate_table_count && i < 16; i++) {
        if (strncmp(language, hyphenate_tables[i].language, 2) != 0 ||
            (language[2] != 0 && language[2] != '-' && language[2] != '_'))
            continue;
        _Atomic(struct lazy *) *slot = &built[hyphenate_whole][i];
        struct lazy *d = atomic_load(slot);
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

size_t hyphenate_word(const char *language, const char *word, size_t len, bool *points)
{
    memset(points, 0, (len + 1) * sizeof *points);
    struct lazy *lz = dictionary(language);
    if (!lz || len > MAX_WORD)
        return 0;
    char lower[MAX_WORD * 2 + 1];
    size_t starts[MAX_WORD + 1], lower_len;
    int chars = lower_case(word, len, lower, &lower_len, starts);
    if (chars < HYPHENATE_LEFT_MIN + HYPHENATE_RIGHT_MIN)
        return 0;
    if (!lz->whole) {
        /* States made by one thread at a time; each only ever written
         * once, before any walk reads it. */
        pthread_mutex_lock(&building);
        make_word(lz, 0, lower, (int)lower_len);
        pthread_mutex_unlock(&building);
    }
    char hyphens[MAX_WORD * 2 + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t count = 0;
    if (hnj_hyphen_hyphenate3(lz->levels[0], lower, (int)lower_len, hyphens, NULL, &rep, &pos, &cut,
                              HYPHENATE_LEFT_MIN, HYPHENATE_RIGHT_MIN, HYPHENATE_LEFT_MIN,
                              HYPHENATE_RIGHT_MIN) == 0) {
        /* hyphens[k] odd: a break after character k. */
        for (int k = HYPHENATE_LEFT_MIN - 1; k < chars - HYPHENATE_RIGHT_MIN; k++)
            if ((hyphens[k] & 1) && !(rep && rep[k])) {
                points[starts[k + 1]] = true;
                count++;
            }
    }
    if (rep) {
        for (size_t i = 0; i < lower_len; i++)
            free(rep[i]);
        free(rep);
    }
    free(pos);
    free(cut);
    return count;
}
