/* hyphen-tables.c — build tool: OUT.c LANG=DICTIONARY... loads each libhyphen
 * dictionary (converted from the charset its first line names to UTF-8,
 * with iconv) and writes libhyphen's own state machine for it as static C
 * data, so that missive hyphenates with libhyphen at no load cost and reads
 * no file outside the workspace. (hnj_hyphen_load takes 30 ms for English
 * and 10 s for German's 1 MB of patterns: far too slow per letter.) */
#define _POSIX_C_SOURCE 200809L /* fmemopen */
#include <hyphen.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *data = malloc(cap);
    for (size_t got; data && (got = fread(data + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap)
            data = realloc(data, cap *= 2);
    }
    fclose(f);
    *len = n;
    return data;
}

/* The dictionary's text in UTF-8, its first line replaced by "UTF-8". */
static char *to_utf8(const char *path, size_t *out_len)
{
    size_t len;
    char *raw = slurp(path, &len);
    if (!raw)
        return NULL;
    char *eol = memchr(raw, '\n', len);
    if (!eol)
        return NULL;
    char charset[64] = {0};
    size_t clen = (size_t)(eol - raw);
    memcpy(charset, raw, clen < sizeof charset - 1 ? clen : sizeof charset - 1);
    charset[strcspn(charset, "\r \t")] = 0;
    if (strcmp(charset, "ISO8859-1") == 0)
        strcpy(charset, "ISO-8859-1");
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return NULL;
    char *in = eol + 1;
    size_t in_left = len - clen - 1, cap = 3 * in_left + 16, out_left = cap - 6;
    char *text = malloc(cap), *out = text + 6;
    memcpy(text, "UTF-8\n", 6);
    if (iconv(cd, &in, &in_left, &out, &out_left) == (size_t)-1)
        return NULL;
    iconv_close(cd);
    *out_len = (size_t)(out - text);
    free(raw);
    return text;
}

/* The strings of a level, one pool: states name them by offset, so the
 * generated tables hold no pointers for the loader to relocate. */
struct pool {
    char *data;
    size_t len, cap;
};

/* s appended to the pool (NUL included); its offset, -1 for NULL. */
static long pool_add(struct pool *p, const char *s, size_t len)
{
    if (!s)
        return -1;
    if (p->len + len + 1 > p->cap) {
        p->cap = (p->len + len + 1) * 2;
        p->data = realloc(p->data, p->cap);
        if (!p->data)
            exit(1);
    }
    memcpy(p->data + p->len, s, len);
    p->data[p->len + len] = 0;
    long at = (long)p->len;
    p->len += len + 1;
    return at;
}

static void put_pool(FILE *out, const char *name, int level, const struct pool *p)
{
    fprintf(out, "static const char %s_%d_strings[] = {\n", name, level);
    for (size_t i = 0; i < p->len; i++)
        fprintf(out, "%d,%s", (signed char)p->data[i], i % 24 == 23 ? "\n" : "");
    fprintf(out, "0};\n");
}

/* How often hyphenating the words of a corpus (a hunspell .dic: a word
 * and its flags a line) reads each state of d's levels: libhyphen's walk
 * over "." word "." (ASCII lower-cased, digits as '.'), the whole word at
 * each level. visits[level][state]. */
static void count_visits(const HyphenDict *d, const char *path, long **visits)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "hyphen-tables: cannot read %s\n", path);
        exit(1);
    }
    char line[512], word[520];
    while (fgets(line, sizeof line, f)) {
        size_t n = 0;
        word[n++] = '.';
        for (const char *p = line; *p && !strchr("/\t\r\n", *p) && n + 2 < sizeof word; p++)
            word[n++] = *p >= 'A' && *p <= 'Z'   ? (char)(*p - 'A' + 'a')
                        : *p >= '0' && *p <= '9' ? '.'
                                                 : *p;
        word[n++] = '.';
        int level = 0;
        for (const HyphenDict *l = d; l; l = l->nextlevel, level++) {
            int state = 0;
            for (size_t i = 0; i < n; i++)
                for (;;) {
                    if (state < 0 || state >= l->num_states) {
                        state = 0;
                        break;
                    }
                    visits[level][state]++;
                    const HyphenState *s = &l->states[state];
                    int k = 0;
                    while (k < s->num_trans && s->trans[k].ch != word[i])
                        k++;
                    if (k < s->num_trans) {
                        state = s->trans[k].new_state;
                        break;
                    }
                    state = s->fallback_state;
                }
        }
    }
    fclose(f);
}

/* qsort's view of the order being made: visits, then breadth-first rank. */
static const long *sort_visits;
static const int *sort_rank;

static int by_visits(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (x == 0 || y == 0) /* the start state stays 0 */
        return x == 0 ? (y == 0 ? 0 : -1) : 1;
    if (sort_visits[x] != sort_visits[y])
        return sort_visits[x] > sort_visits[y] ? -1 : 1;
    return sort_rank[x] - sort_rank[y];
}

/* Numbers the states of d and the levels below it by how often a corpus
 * reaches them (visits, or NULL), then breadth first from the start state
 * (then those no transition reaches), so that the few hundred states a
 * letter's words reach lie on a few pages of the program (hyphenate.c
 * makes a state when a word first reaches it): numbered as libhyphen
 * loads them, a letter's 732 English states touched 157 of 171 pages. The
 * machine is the same; main checks that it hyphenates alike. */
static void renumber(HyphenDict *d, long **visits)
{
    for (int level = 0; d; d = d->nextlevel, level++) {
        int n = d->num_states;
        int *order = malloc((size_t)n * sizeof *order),
            *number = malloc((size_t)n * sizeof *number);
        HyphenState *states = malloc((size_t)(n ? n : 1) * sizeof *states);
        if (!order || !number || !states)
            exit(1);
        for (int i = 0; i < n; i++)
            number[i] = -1;
        int count = 0;
        for (int root = 0; root < n; root++) {
            if (number[root] >= 0)
                continue;
            number[root] = count;
            order[count++] = root;
            for (int at = count - 1; at < count; at++) {
                const HyphenState *s = &d->states[order[at]];
                for (int k = -1; k < s->num_trans; k++) {
                    int next = k < 0 ? s->fallback_state : s->trans[k].new_state;
                    if (next >= 0 && next < n && number[next] < 0) {
                        number[next] = count;
                        order[count++] = next;
                    }
                }
            }
        }
        if (visits && level < 4) {
            sort_visits = visits[level];
            sort_rank = number;
            qsort(order, (size_t)n, sizeof *order, by_visits);
            for (int i = 0; i < n; i++)
                number[order[i]] = i;
        }
        for (int i = 0; i < n; i++) {
            HyphenState s = d->states[order[i]];
            if (s.fallback_state >= 0)
                s.fallback_state = number[s.fallback_state];
            for (int k = 0; k < s.num_trans; k++)
                s.trans[k].new_state = number[s.trans[k].new_state];
            states[i] = s;
        }
        memcpy(d->states, states, (size_t)n * sizeof *states);
        free(states);
        free(number);
        free(order);
    }
}

/* The hyphens libhyphen gives each pattern's letters (a line of the
 * dictionary without its digits, dots and replacement), appended to out. */
static void hyphenate_patterns(HyphenDict *d, const char *text, size_t len, struct pool *out)
{
    char word[512], hyphens[1024];
    for (size_t at = 0; at < len;) {
        size_t end = at;
        while (end < len && text[end] != '\n')
            end++;
        size_t n = 0;
        for (size_t i = at; i < end && text[i] != '/' && n + 1 < sizeof word / 2; i++)
            if (!(text[i] >= '0' && text[i] <= '9') && text[i] != '.' && text[i] != '\r')
                word[n++] = text[i];
        word[n] = 0;
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        if (n > 0 && hnj_hyphen_hyphenate2(d, word, (int)n, hyphens, NULL, &rep, &pos, &cut) == 0)
            pool_add(out, hyphens, strlen(hyphens));
        if (rep)
            for (size_t i = 0; i < n; i++)
                free(rep[i]);
        free(rep);
        free(pos);
        free(cut);
        at = end + 1;
    }
}

/* Writes level `level` of dict (and the levels below it, first) as
 * NAME_LEVEL_*; returns the number of levels. */
static int put_dict(FILE *out, const char *name, int level, const HyphenDict *d)
{
    int levels = d->nextlevel ? put_dict(out, name, level + 1, d->nextlevel) : level + 1;
    struct pool pool = {0};
    long *match = calloc((size_t)d->num_states + 1, sizeof *match);
    long *repl = calloc((size_t)d->num_states + 1, sizeof *repl);
    if (!match || !repl)
        exit(1);
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        match[i] = pool_add(&pool, s->match, s->match ? strlen(s->match) : 0);
        repl[i] = pool_add(&pool, s->repl, s->repl ? strlen(s->repl) : 0);
    }
    long nohyphen = -1;
    if (d->nohyphen) {
        /* NUL-separated sequences, nohyphenl + 1 of them. */
        size_t len = 0;
        for (int i = 0; i <= d->nohyphenl; i++)
            len += strlen(d->nohyphen + len) + 1;
        nohyphen = pool_add(&pool, d->nohyphen, len);
    }
    put_pool(out, name, level, &pool);
    fprintf(out, "static const HyphenTrans %s_%d_trans[] = {\n", name, level);
    size_t total = 0;
    for (int i = 0; i < d->num_states; i++)
        for (int k = 0; k < d->states[i].num_trans; k++, total++)
            fprintf(out, "{%d,%d},%s", d->states[i].trans[k].ch, d->states[i].trans[k].new_state,
                    total % 8 == 7 ? "\n" : "");
    fprintf(out, "{0,0}};\nstatic const struct hyphenate_state %s_%d_states[] = {\n", name, level);
    total = 0;
    for (int i = 0; i < d->num_states; i++) {
        const HyphenState *s = &d->states[i];
        fprintf(out, "{%ld,%ld,%d,%d,%d,%d,%zu},\n", match[i], repl[i], s->replindex, s->replcut,
                s->fallback_state, s->num_trans, total);
        total += (size_t)s->num_trans;
    }
    fprintf(out, "};\n");
    int has_repl = 0;
    for (int i = 0; i < d->num_states; i++)
        has_repl |= d->states[i].repl != NULL;
    fprintf(out,
            "#define %s_LEVEL_%d {%d,%d,%d,%d,%ld,%d,%d,%d,%s_%d_states,%s_%d_trans,"
            "%s_%d_strings,%d}\n",
            name, level, d->lhmin, d->rhmin, d->clhmin, d->crhmin, nohyphen, d->nohyphenl,
            d->num_states, d->utf8, name, level, name, level, name, level, has_repl);
    free(match);
    free(repl);
    free(pool.data);
    return levels;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hyphen-tables OUT.c LANG=DICTIONARY...\n");
        return 2;
    }
    /* Written under a temporary name and renamed: an interrupted build
     * leaves no half file that looks finished. */
    char temp[4096];
    snprintf(temp, sizeof temp, "%s.tmp", argv[1]);
    FILE *out = fopen(temp, "w");
    if (!out)
        return 1;
    fputs("/* Generated by scripts/hyphen-tables.c: libhyphen's state machines. */\n"
          "#include \"hyphenate_tables.h\"\n\n",
          out);
    int level_counts[64] = {0};
    if (argc > 64)
        return 2;
    for (int i = 2; i < argc; i++) {
        char lang[16] = {0};
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq - argv[i] >= (long)sizeof lang)
            return 2;
        memcpy(lang, argv[i], (size_t)(eq - argv[i]));
        /* LANG=DICTIONARY[,CORPUS] */
        char *dictionary = strdup(eq + 1), *corpus = strchr(dictionary, ',');
        if (corpus)
            *corpus++ = 0;
        size_t len;
        char *text = to_utf8(dictionary, &len);
        FILE *mem = text ? fmemopen(text, len, "r") : NULL;
        HyphenDict *d = mem ? hnj_hyphen_load_file(mem) : NULL;
        if (!d) {
            fprintf(stderr, "hyphen-tables: cannot load %s\n", eq + 1);
            return 1;
        }
        struct pool before = {0}, after = {0};
        hyphenate_patterns(d, text, len, &before);
        long *visits[4] = {0};
        int level_count = 0;
        for (const HyphenDict *l = d; l && level_count < 4; l = l->nextlevel)
            if (!(visits[level_count++] = calloc((size_t)l->num_states + 1, sizeof(long))))
                exit(1);
        if (corpus)
            count_visits(d, corpus, visits);
        renumber(d, corpus ? visits : NULL);
        for (int l = 0; l < level_count; l++)
            free(visits[l]);
        hyphenate_patterns(d, text, len, &after);
        if (before.len != after.len || memcmp(before.data, after.data, before.len) != 0) {
            fprintf(stderr, "hyphen-tables: %s hyphenates otherwise renumbered\n", eq + 1);
            return 1;
        }
        free(before.data);
        free(after.data);
        fprintf(out, "/* %s: %s */\n", lang, eq + 1);
        int levels = put_dict(out, lang, 0, d);
        fprintf(out, "static const struct hyphenate_level %s_levels[] = {", lang);
        for (int l = 0; l < levels; l++)
            fprintf(out, "%s_LEVEL_%d,", lang, l);
        fprintf(out, "};\n");
        level_counts[i] = levels;
        fclose(mem);
        free(text);
        free(dictionary);
        hnj_hyphen_free(d);
    }
    fputs("const struct hyphenate_table hyphenate_tables[] = {\n", out);
    for (int i = 2; i < argc; i++) {
        int n = (int)(strchr(argv[i], '=') - argv[i]);
        fprintf(out, "    {\"%.*s\", %.*s_levels, %d},\n", n, argv[i], n, argv[i], level_counts[i]);
    }
    fprintf(out, "};\nconst size_t hyphenate_table_count = %d;\n", argc - 2);
    if (fclose(out) != 0 || rename(temp, argv[1]) != 0)
        return 1;
    return 0;
}
