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

/* libhyphen's structures for table t, made once: pointers into the
 * read-only tables (libhyphen only reads them). Kept for the process. */
static HyphenDict *build(const struct hyphenate_table *t)
{
    HyphenDict *next = NULL;
    for (int l = t->level_count - 1; l >= 0; l--) {
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
        next = d;
    }
    return next;
}

/* The dictionaries made so far, by table; several threads hyphenate. */
static _Atomic(HyphenDict *) built[16];
static pthread_mutex_t building = PTHREAD_MUTEX_INITIALIZER;

static HyphenDict *dictionary(const char *language)
{
    for (size_t i = 0; language && i < hyphenate_table_count && i < 16; i++) {
        if (strncmp(language, hyphenate_tables[i].language, 2) != 0 ||
            (language[2] != 0 && language[2] != '-' && language[2] != '_'))
            continue;
        HyphenDict *d = atomic_load(&built[i]);
        if (d)
            return d;
        pthread_mutex_lock(&building);
        d = atomic_load(&built[i]);
        if (!d) {
            d = build(&hyphenate_tables[i]);
            atomic_store(&built[i], d);
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
    HyphenDict *dict = dictionary(language);
    if (!dict || len > MAX_WORD)
        return 0;
    char lower[MAX_WORD * 2 + 1];
    size_t starts[MAX_WORD + 1], lower_len;
    int chars = lower_case(word, len, lower, &lower_len, starts);
    if (chars < HYPHENATE_LEFT_MIN + HYPHENATE_RIGHT_MIN)
        return 0;
    char hyphens[MAX_WORD * 2 + 5];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    size_t count = 0;
    if (hnj_hyphen_hyphenate3(dict, lower, (int)lower_len, hyphens, NULL, &rep, &pos, &cut,
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
