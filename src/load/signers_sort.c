/* signers_sort.c — owns what happens to a petition's signers once every
 * row is read: merging duplicates (same e-mail, or same name, city and
 * country, compared after ICU's NFKC_Casefold normalisation), sorting by
 * ICU collation keys made once per name, grouping, counting, and the
 * report of what was merged or left out. */
#include "signers_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

void signers_push(struct signers *s, const struct signer *signer)
{
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 256;
        s->items = xrealloc(s->items, s->capacity * sizeof *s->items);
    }
    s->items[s->count++] = *signer;
}

void signers_note_add(struct signers *s, bool left_out, int line, const char *text)
{
    struct signers_note **list = left_out ? &s->left_out : &s->merged;
    size_t *count = left_out ? &s->left_out_count : &s->merged_count;
    size_t *capacity = left_out ? &s->left_out_capacity : &s->merged_capacity;
    if (*count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 16;
        *list = xrealloc(*list, *capacity * sizeof **list);
    }
    (*list)[(*count)++] = (struct signers_note){line, text};
}

/* ---- UTF-16 scratch for ICU ---- */

struct utf16 {
    UChar *data;
    int32_t len, capacity;
};

static void utf16_set(struct utf16 *u, const char *utf8)
{
    UErrorCode status = U_ZERO_ERROR;
    u_strFromUTF8(u->data, u->capacity, &u->len, utf8, -1, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || u->len >= u->capacity) {
        u->capacity = u->len + 64;
        u->data = xrealloc(u->data, (size_t)u->capacity * sizeof *u->data);
        status = U_ZERO_ERROR;
        u_strFromUTF8(u->data, u->capacity, &u->len, utf8, -1, &status);
    }
}

/* ---- duplicates ---- */

struct keyed {
    const UChar *key; /* NFKC_Casefold of the compared fields; NULL: none */
    int32_t len;
    size_t row;
};

/* The key of text, prefixed with the signer's type: an organisation and a
 * person may share an address and still both sign. */
static struct keyed make_key(struct arena *arena, const UNormalizer2 *nfkc_cf, struct utf16 *tmp,
                             enum signer_type type, const char *text, size_t row)
{
    struct keyed k = {.row = row};
    if (!*text)
        return k;
    utf16_set(tmp, text);
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = unorm2_normalize(nfkc_cf, tmp->data, tmp->len, NULL, 0, &status);
    UChar *key = arena_alloc(arena, ((size_t)len + 2) * sizeof *key);
    key[0] = type == SIGNER_ORGANISATION ? 'o' : 'i';
    status = U_ZERO_ERROR;
    unorm2_normalize(nfkc_cf, tmp->data, tmp->len, key + 1, len + 1, &status);
    k.key = key;
    k.len = len + 1;
    return k;
}

static bool same_key(const struct keyed *a, const struct keyed *b)
{
    return a->key && b->key && a->len == b->len &&
           memcmp(a->key, b->key, (size_t)a->len * sizeof *a->key) == 0;
}

static int compare_keyed(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (!a->key || !b->key)
        return a->key ? -1 : b->key ? 1 : (a->row > b->row) - (a->row < b->row);
    int32_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, (size_t)n * sizeof *a->key);
    if (c == 0)
        c = (a->len > b->len) - (a->len < b->len);
    return c ? c : (a->row > b->row) - (a->row < b->row);
}

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Joins rows whose keys are equal; the earliest row of a set is its root. */
static void join_equal(size_t *parent, const struct keyed *keys, size_t n)
{
    struct keyed *sorted = xmalloc((n ? n : 1) * sizeof *sorted);
    memcpy(sorted, keys, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_keyed);
    for (size_t i = 1; i < n; i++) {
        if (!same_key(&sorted[i - 1], &sorted[i]))
            continue;
        size_t a = find(parent, sorted[i - 1].row), b = find(parent, sorted[i].row);
        if (a < b)
            parent[b] = a;
        else if (b < a)
            parent[a] = b;
    }
    free(sorted);
}

/* Why row was merged into root, naming an intermediate row when the two
 * share no key themselves. */
static const char *merge_reason(struct signers *s, const struct keyed *email,
                                const struct keyed *name, size_t row, size_t root,
                                const size_t *members, size_t member_count)
{
    int root_line = s->items[root].line;
    if (same_key(&email[row], &email[root]))
        return arena_printf(s->arena, "duplicate of line %d (same e-mail)", root_line);
    if (same_key(&name[row], &name[root]))
        return arena_printf(s->arena, "duplicate of line %d (same name, city and country)",
                            root_line);
    for (size_t k = 0; k < member_count && members[k] < row; k++) {
        size_t m = members[k];
        if (same_key(&email[row], &email[m]))
            return arena_printf(s->arena, "duplicate of line %d (same e-mail as line %d)",
                                root_line, s->items[m].line);
        if (same_key(&name[row], &name[m]))
            return arena_printf(s->arena,
                                "duplicate of line %d (same name, city and country as line %d)",
                                root_line, s->items[m].line);
    }
    return arena_printf(s->arena, "duplicate of line %d", root_line);
}

/* Whether two non-empty values differ after NFKC_Casefold ("ICEM" and
 * "icem" do not); an empty one differs from nothing (it is filled). */
static bool differ(const UNormalizer2 *nfkc_cf, struct utf16 *tmp, const char *a, const char *b)
{
    if (!*a || !*b || strcmp(a, b) == 0)
        return false;
    struct arena *scratch = arena_new();
    struct keyed ka = make_key(scratch, nfkc_cf, tmp, SIGNER_INDIVIDUAL, a, 0);
    struct keyed kb = make_key(scratch, nfkc_cf, tmp, SIGNER_INDIVIDUAL, b, 1);
    bool different = !same_key(&ka, &kb);
    arena_free(scratch);
    return different;
}

/* reason, with what of dup differs from the row kept: its organisation
 * (both named) and whether its e-mail does (never the address itself).
 * The kept row's are the ones used. */
static const char *with_differences(struct signers *s, const UNormalizer2 *nfkc_cf,
                                    struct utf16 *tmp, const char *reason,
                                    const struct signer *kept, const struct signer *dup)
{
    const char *ours = kept->values[SIGNERS_ORGANISATION];
    const char *theirs = dup->values[SIGNERS_ORGANISATION];
    if (differ(nfkc_cf, tmp, ours, theirs))
        reason = arena_printf(s->arena, "%s; organisation '%s' differs from the kept '%s'", reason,
                              theirs, ours);
    if (differ(nfkc_cf, tmp, kept->values[SIGNERS_EMAIL], dup->values[SIGNERS_EMAIL]))
        reason = arena_printf(s->arena, "%s; e-mail address differs from the kept one", reason);
    return reason;
}

/* What a duplicate adds: fields the kept row left empty. */
static void fill_from(struct signers *s, struct signer *kept, const struct signer *dup)
{
    for (size_t f = 0; f < s->field_count; f++)
        if (!*kept->values[f] && *dup->values[f])
            kept->values[f] = dup->values[f];
    if (!*kept->country)
        kept->country = dup->country;
}

static int compare_by_root(const void *pa, const void *pb)
{
    const size_t *a = pa, *b = pb;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return (a[1] > b[1]) - (a[1] < b[1]);
}

static int compare_notes(const void *pa, const void *pb)
{
    const struct signers_note *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/* Notes and fills every merged row, then keeps only the roots. */
static void merge_sets(struct signers *s, size_t *parent, const struct keyed *email,
                       const struct keyed *name, const UNormalizer2 *nfkc_cf, struct utf16 *tmp)
{
    size_t n = s->count;
    size_t(*pairs)[2] = xmalloc((n ? n : 1) * sizeof *pairs);
    for (size_t i = 0; i < n; i++) {
        pairs[i][0] = find(parent, i);
        pairs[i][1] = i;
    }
    qsort(pairs, n, sizeof *pairs, compare_by_root);
    size_t *members = xmalloc((n ? n : 1) * sizeof *members);
    for (size_t at = 0; at < n;) {
        size_t end = at, count = 0;
        while (end < n && pairs[end][0] == pairs[at][0])
            members[count++] = pairs[end++][1];
        size_t root = members[0];
        for (size_t k = 1; k < count; k++) {
            size_t row = members[k];
            const char *reason = merge_reason(s, email, name, row, root, members, count);
            signers_note_add(
                s, false, s->items[row].line,
                with_differences(s, nfkc_cf, tmp, reason, &s->items[root], &s->items[row]));
            fill_from(s, &s->items[root], &s->items[row]);
        }
        at = end;
    }
    free(members);
    free(pairs);
    if (s->merged_count)
        qsort(s->merged, s->merged_count, sizeof *s->merged, compare_notes);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (parent[i] == i)
            s->items[kept++] = s->items[i];
    s->duplicates = n - kept;
    s->count = kept;
}

static void merge_duplicates(struct signers *s)
{
    size_t n = s->count;
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    struct keyed *email = xmalloc((n ? n : 1) * sizeof *email);
    struct keyed *name = xmalloc((n ? n : 1) * sizeof *name);
    size_t *parent = xmalloc((n ? n : 1) * sizeof *parent);
    struct arena *keys = arena_new();
    struct utf16 tmp = {0};
    struct buffer joined = {0};
    for (size_t i = 0; i < n; i++) {
        const struct signer *r = &s->items[i];
        parent[i] = i;
        email[i] = make_key(keys, nfkc_cf, &tmp, r->type, r->values[SIGNERS_EMAIL], i);
        /* U+001F between the parts: "Ann Lee", "" never equals "Ann", "Lee". */
        buffer_reset(&joined);
        buffer_printf(&joined, "%s\x1F%s\x1F%s", r->values[SIGNERS_NAME], r->values[SIGNERS_CITY],
                      r->country);
        name[i] = make_key(keys, nfkc_cf, &tmp, r->type, joined.data, i);
    }
    join_equal(parent, email, n);
    join_equal(parent, name, n);
    for (size_t i = 0; i < n; i++)
        parent[i] = find(parent, i);
    merge_sets(s, parent, email, name, nfkc_cf, &tmp);
    buffer_free(&joined);
    free(tmp.data);
    arena_free(keys);
    free(parent);
    free(name);
    free(email);
}

/* ---- collation and groups ---- */

/* The collation key of utf8, in s's arena. */
static const char *sort_key(struct signers *s, const UCollator *coll, struct utf16 *tmp,
                            const char *utf8)
{
    utf16_set(tmp, utf8);
    uint8_t local[512];
    int32_t need = ucol_getSortKey(coll, tmp->data, tmp->len, local, sizeof local);
    uint8_t *key = arena_alloc(s->arena, (size_t)need + 1);
    if ((size_t)need <= sizeof local)
        memcpy(key, local, (size_t)need);
    else
        ucol_getSortKey(coll, tmp->data, tmp->len, key, need);
    return (const char *)key;
}

struct country {
    char code[3];
    const char *name, *key;
};

static int compare_countries(const void *pa, const void *pb)
{
    const struct country *a = pa, *b = pb;
    return strcmp(a->key, b->key);
}

/* Country codes in use, by their names' collation; group numbers follow. */
static size_t order_countries(struct signers *s, const UCollator *coll, const char *locale,
                              struct utf16 *tmp, struct country *out, unsigned *group_of)
{
    bool used[26 * 26] = {false};
    for (size_t i = 0; i < s->count; i++)
        if (*s->items[i].country)
            used[(s->items[i].country[0] - 'A') * 26 + (s->items[i].country[1] - 'A')] = true;
    size_t n = 0;
    for (int c = 0; c < 26 * 26; c++) {
        if (!used[c])
            continue;
        struct country *k = &out[n++];
        snprintf(k->code, sizeof k->code, "%c%c", 'A' + c / 26, 'A' + c % 26);
        char id[8];
        snprintf(id, sizeof id, "und_%s", k->code);
        UChar display[128];
        UErrorCode status = U_ZERO_ERROR;
        int32_t len = uloc_getDisplayCountry(id, locale, display, 128, &status);
        char utf8[512];
        status = U_ZERO_ERROR;
        u_strToUTF8(utf8, sizeof utf8, NULL, display, len < 128 ? len : 127, &status);
        k->name = arena_strdup(s->arena, U_SUCCESS(status) ? utf8 : k->code);
        k->key = sort_key(s, coll, tmp, k->name);
    }
    qsort(out, n, sizeof *out, compare_countries);
    for (size_t i = 0; i < n; i++)
        group_of[(out[i].code[0] - 'A') * 26 + (out[i].code[1] - 'A')] = (unsigned)i;
    return n;
}

static int compare_signers(const void *pa, const void *pb)
{
    const struct signer *a = pa, *b = pb;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    int c = strcmp(a->sort_key, b->sort_key);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

static void add_group(struct signers *s, const char *key, const char *name, size_t first,
                      size_t count)
{
    struct signers_group *g = &s->groups[s->group_count++];
    *g = (struct signers_group){.key = key, .name = name, .first = first, .count = count};
}

/* Sorts the signers into their groups and records the groups' ranges. */
static void group_signers(struct signers *s, enum letter_group_by by, const UCollator *coll,
                          const char *locale, struct utf16 *tmp)
{
    struct country *countries = xmalloc(26 * 26 * sizeof *countries);
    unsigned *group_of = xcalloc(26 * 26, sizeof *group_of);
    size_t country_count = order_countries(s, coll, locale, tmp, countries, group_of);
    s->countries = country_count;
    for (size_t i = 0; i < s->count; i++) {
        struct signer *r = &s->items[i];
        r->sort_key = sort_key(s, coll, tmp, r->values[SIGNERS_NAME]);
        if (by == LETTER_GROUP_TYPE)
            r->group = r->type == SIGNER_ORGANISATION ? 0 : 1;
        else if (by == LETTER_GROUP_COUNTRY)
            r->group = *r->country ? group_of[(r->country[0] - 'A') * 26 + (r->country[1] - 'A')]
                                   : (unsigned)country_count;
        else
            r->group = 0;
        if (r->type == SIGNER_ORGANISATION)
            s->organisations++;
        else
            s->individuals++;
    }
    if (s->count)
        qsort(s->items, s->count, sizeof *s->items, compare_signers);
    s->groups = arena_alloc(s->arena, (country_count + 2) * sizeof *s->groups);
    for (size_t at = 0; at < s->count;) {
        size_t end = at;
        while (end < s->count && s->items[end].group == s->items[at].group)
            end++;
        unsigned g = s->items[at].group;
        if (by == LETTER_GROUP_TYPE)
            add_group(s, g == 0 ? "organisations" : "individuals", NULL, at, end - at);
        else if (by == LETTER_GROUP_COUNTRY && g < country_count)
            add_group(s, arena_strdup(s->arena, countries[g].code), countries[g].name, at,
                      end - at);
        else
            add_group(s, by == LETTER_GROUP_COUNTRY ? "" : "all", NULL, at, end - at);
        at = end;
    }
    free(group_of);
    free(countries);
}

int signers_finish(struct signers *s, enum letter_group_by group_by, const char *locale,
                   struct errors *errors)
{
    merge_duplicates(s);
    UErrorCode status = U_ZERO_ERROR;
    UCollator *coll = ucol_open(locale, &status);
    if (U_FAILURE(status)) {
        errors_add_at(errors, s->path, 0, 0, "cannot sort names for locale '%s' (ICU: %s)", locale,
                      u_errorName(status));
        return -1;
    }
    /* "Local 9" before "Local 10", as readers expect. */
    ucol_setAttribute(coll, UCOL_NUMERIC_COLLATION, UCOL_ON, &status);
    struct utf16 tmp = {0};
    group_signers(s, group_by, coll, locale, &tmp);
    free(tmp.data);
    ucol_close(coll);
    return 0;
}

/* ---- the report ---- */

void signers_report(const struct signers *s, struct buffer *out)
{
    buffer_printf(out, "Signers read from %s\n", s->path);
    buffer_printf(out, "rows: %zu (%zu blank)\n", s->rows, s->blank_rows);
    buffer_printf(out, "signers listed: %zu (%zu organisations, %zu individuals; %zu countries)\n",
                  s->count, s->organisations, s->individuals, s->countries);
    buffer_printf(out, "duplicates merged: %zu\n", s->duplicates);
    buffer_printf(out, "wrong rows left out: %zu\n", s->skipped);
    if (s->left_out_count)
        buffer_puts(out, "\nWrong rows left out:\n");
    for (size_t i = 0; i < s->left_out_count; i++)
        buffer_printf(out, "%s:%d: %s\n", s->path, s->left_out[i].line, s->left_out[i].text);
    if (s->merged_count)
        buffer_puts(out, "\nDuplicates merged:\n");
    for (size_t i = 0; i < s->merged_count; i++)
        buffer_printf(out, "%s:%d: %s\n", s->path, s->merged[i].line, s->merged[i].text);
}
