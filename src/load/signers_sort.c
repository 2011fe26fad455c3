/* signers_sort.c — owns what happens to a petition's signers once every
 * row is read: merging duplicates (same e-mail, or same name, city and
 * country, compared after ICU's NFKC_Casefold normalisation), sorting by
 * ICU collation keys made once per name, grouping, counting, and the
 * report of what was merged or left out. */
#include "signers_fastkey.h"
#include "signers_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

void signers_push(struct signers *s, const struct signer *signer, const struct signers_keys *keys)
{
    if (s->count == s->capacity) {
        s->capacity = s->capacity ? s->capacity * 2 : 256;
        s->items = xrealloc(s->items, s->capacity * sizeof *s->items);
        s->keys = xrealloc(s->keys, s->capacity * sizeof *s->keys);
    }
    s->keys[s->count] = *keys;
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

/* utf8 (valid: every field was checked as it was read) in UTF-16, as
 * u_strFromUTF8 would make it, without its work a character. */
static void utf16_set(struct utf16 *u, const char *utf8)
{
    size_t n = strlen(utf8);
    if ((size_t)u->capacity < n + 1) {
        u->capacity = (int32_t)n + 64;
        u->data = xrealloc(u->data, (size_t)u->capacity * sizeof *u->data);
    }
    int32_t len = 0;
    for (int32_t i = 0; (size_t)i < n;) {
        unsigned char b = (unsigned char)utf8[i];
        if (b < 0x80) {
            u->data[len++] = b;
            i++;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF && (size_t)i + 1 < n &&
            ((unsigned char)utf8[i + 1] & 0xC0) == 0x80) {
            /* Two bytes: one UTF-16 unit, U8_NEXT's answer without its
             * general case. */
            u->data[len++] = (UChar)((b & 0x1F) << 6 | ((unsigned char)utf8[i + 1] & 0x3F));
            i += 2;
            continue;
        }
        UChar32 c;
        U8_NEXT(utf8, i, (int32_t)n, c);
        U16_APPEND_UNSAFE(u->data, len, c < 0 ? 0xFFFD : c);
    }
    u->len = len;
}

/* ---- duplicates ---- */

static bool same_key(const uint64_t a[2], const uint64_t b[2])
{
    return (a[0] || a[1]) && a[0] == b[0] && a[1] == b[1];
}

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Joins rows whose keys (email or name) are equal; the earliest row of a
 * set is its root. Each row looks its key up in a hash table of the rows
 * before it (open addressing on the key's first word, which is already a
 * hash): one look-up a row, no sorting. */
static void join_equal(size_t *parent, const struct signers_keys *keys, size_t n, bool email)
{
    size_t size = 16;
    while (size < 2 * n)
        size *= 2;
    uint32_t *slots = xcalloc(size, sizeof *slots); /* row + 1; 0: empty */
    for (size_t i = 0; i < n; i++) {
        const uint64_t *h = email ? keys[i].email : keys[i].name;
        if (!h[0] && !h[1])
            continue;
        size_t slot = (size_t)h[0] & (size - 1);
        for (;; slot = (slot + 1) & (size - 1)) {
            if (!slots[slot]) {
                slots[slot] = (uint32_t)(i + 1);
                break;
            }
            size_t other = slots[slot] - 1;
            const uint64_t *o = email ? keys[other].email : keys[other].name;
            if (!same_key(h, o))
                continue;
            size_t a = find(parent, other), b = find(parent, i);
            if (a < b)
                parent[b] = a;
            else if (b < a)
                parent[a] = b;
            break;
        }
    }
    free(slots);
}

/* Why row was merged into root, naming an intermediate row when the two
 * share no key themselves. */
static const char *merge_reason(struct signers *s, size_t row, size_t root, const size_t *members,
                                size_t member_count)
{
    const struct signers_keys *k = s->keys;
    int root_line = s->items[root].line;
    if (same_key(k[row].email, k[root].email))
        return arena_printf(s->arena, "duplicate of line %d (same e-mail)", root_line);
    if (same_key(k[row].name, k[root].name))
        return arena_printf(s->arena, "duplicate of line %d (same name, city and country)",
                            root_line);
    for (size_t i = 0; i < member_count && members[i] < row; i++) {
        size_t m = members[i];
        if (same_key(k[row].email, k[m].email))
            return arena_printf(s->arena, "duplicate of line %d (same e-mail as line %d)",
                                root_line, s->items[m].line);
        if (same_key(k[row].name, k[m].name))
            return arena_printf(s->arena,
                                "duplicate of line %d (same name, city and country as line %d)",
                                root_line, s->items[m].line);
    }
    return arena_printf(s->arena, "duplicate of line %d", root_line);
}

/* Whether two non-empty values differ after NFKC_Casefold ("ICEM" and
 * "icem" do not); an empty one differs from nothing (it is filled). */
static bool differ(struct buffer *scratch, const char *a, const char *b)
{
    if (!*a || !*b || strcmp(a, b) == 0)
        return false;
    uint64_t ka[2], kb[2];
    signers_key_hash(SIGNER_INDIVIDUAL, a, strlen(a), scratch, ka);
    signers_key_hash(SIGNER_INDIVIDUAL, b, strlen(b), scratch, kb);
    return !same_key(ka, kb);
}

/* reason, with what of dup differs from the row kept: its organisation
 * (both named) and whether its e-mail does (never the address itself).
 * The kept row's are the ones used. */
static const char *with_differences(struct signers *s, struct buffer *scratch, const char *reason,
                                    size_t kept, size_t dup)
{
    const char *ours = signers_field(&s->items[kept], SIGNERS_ORGANISATION);
    const char *theirs = signers_field(&s->items[dup], SIGNERS_ORGANISATION);
    if (differ(scratch, ours, theirs))
        reason = arena_printf(s->arena, "%s; organisation '%s' differs from the kept '%s'", reason,
                              theirs, ours);
    const uint64_t *a = s->keys[kept].email, *b = s->keys[dup].email;
    if ((a[0] || a[1]) && (b[0] || b[1]) && !same_key(a, b))
        reason = arena_printf(s->arena, "%s; e-mail address differs from the kept one", reason);
    return reason;
}

/* What a duplicate adds: fields the kept row left empty. */
static void fill_from(struct signers *s, struct buffer *scratch, struct signer *kept,
                      const struct signer *dup)
{
    buffer_reset(scratch);
    bool filled = false;
    const char *ours = kept->values, *theirs = dup->values;
    for (size_t f = 0; f < s->field_count; f++) {
        const char *v = *ours ? ours : theirs;
        filled = filled || v != ours;
        buffer_append(scratch, v, strlen(v) + 1);
        ours += strlen(ours) + 1;
        theirs += strlen(theirs) + 1;
    }
    if (filled)
        kept->values = arena_strndup(s->arena, scratch->data, scratch->len - 1);
    if (!*kept->country)
        memcpy(kept->country, dup->country, sizeof kept->country);
}

static int compare_notes(const void *pa, const void *pb)
{
    const struct signers_note *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/* Notes and fills every merged row, then keeps only the roots. */
static void merge_sets(struct signers *s, size_t *parent)
{
    struct buffer scratch = {0};
    size_t n = s->count;
    /* Each set's rows in order, the sets by their roots (counting sort:
     * parent[i] is i's root, never after i). */
    size_t *start = xcalloc(n + 1, sizeof *start),
           *members = xmalloc((n ? n : 1) * sizeof *members);
    for (size_t i = 0; i < n; i++)
        start[parent[i] + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    size_t *next = xmalloc((n ? n : 1) * sizeof *next);
    memcpy(next, start, n * sizeof *next);
    for (size_t i = 0; i < n; i++)
        members[next[parent[i]]++] = i;
    free(next);
    for (size_t root = 0; root < n; root++) {
        size_t count = start[root + 1] - start[root];
        const size_t *set = members + start[root];
        for (size_t k = 1; k < count; k++) {
            size_t row = set[k];
            const char *reason = merge_reason(s, row, root, set, count);
            signers_note_add(s, false, s->items[row].line,
                             with_differences(s, &scratch, reason, root, row));
            fill_from(s, &scratch, &s->items[root], &s->items[row]);
        }
    }
    free(members);
    free(start);
    buffer_free(&scratch);
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
    size_t *parent = xmalloc((n ? n : 1) * sizeof *parent);
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    join_equal(parent, s->keys, n, true);
    join_equal(parent, s->keys, n, false);
    for (size_t i = 0; i < n; i++)
        parent[i] = find(parent, i);
    merge_sets(s, parent);
    free(parent);
    /* The keys are only for this. */
    free(s->keys);
    s->keys = NULL;
}

/* ---- collation and groups ---- */

/* A petition's order of names: ICU's (the locale's collation, numbers by
 * value). Names are sorted by keys of their primary weights alone, which
 * cost less to make than whole keys, and compared whole (ucol_strcollUTF8)
 * only where those are equal: a primary key is the part of the whole
 * key before its first level separator, so where two differ their whole
 * keys differ the same way. */
struct collation {
    UCollator *full, *primary;
    struct signers_fastkey *fast; /* primary keys without ICU, where it can */
    struct utf16 tmp;
};

/* The collation key of utf8, in arena. */
static const char *sort_key(struct arena *arena, const UCollator *coll, struct utf16 *tmp,
                            const char *utf8)
{
    utf16_set(tmp, utf8);
    uint8_t local[512];
    int32_t need = ucol_getSortKey(coll, tmp->data, tmp->len, local, sizeof local);
    /* Keys are strings (their length counts the NUL ending them): packed. */
    if ((size_t)need <= sizeof local)
        return arena_strndup(arena, (const char *)local, need > 0 ? (size_t)need - 1 : 0);
    uint8_t *key = xmalloc((size_t)need);
    ucol_getSortKey(coll, tmp->data, tmp->len, key, need);
    const char *packed = arena_strndup(arena, (const char *)key, (size_t)need - 1);
    free(key);
    return packed;
}

/* The table of weights costs what ICU's keys of about 20,000 names cost
 * when ICU lists the collator's contractions (55 M instructions for the
 * root); it saves three quarters of each key it makes. With the build's
 * list of them (signers_fastkey_built) it costs its characters' learning
 * alone (a few thousand instructions each, a few hundred characters). */
enum { FASTKEY_NAMES = 20000, FASTKEY_BUILT_NAMES = 2000 };

/* The primary key of utf8, in arena: from the table of weights (if any)
 * when every character is in it, else ICU's. */
static const char *primary_key(struct arena *arena, struct collation *c, const char *utf8)
{
    uint8_t local[512];
    int32_t len = c->fast ? signers_fastkey_make(c->fast, utf8, local, sizeof local) : -1;
    if (len < 0)
        return sort_key(arena, c->primary, &c->tmp, utf8);
    return arena_strndup(arena, (const char *)local, (size_t)len);
}

/* a and b (with primary keys ka and kb) in ICU's order, as the sign of
 * strcmp of their whole keys. */
static int collate(const struct collation *c, const char *a, const char *ka, const char *b,
                   const char *kb)
{
    int diff = strcmp(ka, kb);
    if (diff)
        return diff;
    UErrorCode status = U_ZERO_ERROR;
    return ucol_strcollUTF8(c->full, a, -1, b, -1, &status);
}

static int collation_open(struct collation *c, const char *locale, UErrorCode *status)
{
    *c = (struct collation){0};
    c->full = ucol_open(locale, status);
    c->primary = ucol_open(locale, status);
    /* "Local 9" before "Local 10", as readers expect. */
    ucol_setAttribute(c->full, UCOL_NUMERIC_COLLATION, UCOL_ON, status);
    ucol_setAttribute(c->primary, UCOL_NUMERIC_COLLATION, UCOL_ON, status);
    ucol_setAttribute(c->primary, UCOL_STRENGTH, UCOL_PRIMARY, status);
    /* A case level would follow the primary weights in a primary key but
     * come after the secondary ones in a whole key. */
    ucol_setAttribute(c->primary, UCOL_CASE_LEVEL, UCOL_OFF, status);
    return U_FAILURE(*status) ? -1 : 0;
}

static void collation_close(struct collation *c)
{
    ucol_close(c->full);
    ucol_close(c->primary);
    signers_fastkey_free(c->fast);
    free(c->tmp.data);
}

int signers_collate_check(const char *locale, const char *const *a, const char *const *b, size_t n,
                          int *order)
{
    struct collation c;
    UErrorCode status = U_ZERO_ERROR;
    int rc = collation_open(&c, locale, &status);
    if (rc == 0)
        c.fast = signers_fastkey_new(c.primary);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct arena *arena = arena_new();
        const char *ka = primary_key(arena, &c, a[i]);
        const char *kb = primary_key(arena, &c, b[i]);
        int diff = collate(&c, a[i], ka, b[i], kb);
        order[i] = (diff > 0) - (diff < 0);
        arena_free(arena);
    }
    collation_close(&c);
    return rc;
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
        k->key = sort_key(s->arena, coll, tmp, k->name);
    }
    qsort(out, n, sizeof *out, compare_countries);
    for (size_t i = 0; i < n; i++)
        group_of[(out[i].code[0] - 'A') * 26 + (out[i].code[1] - 'A')] = (unsigned)i;
    return n;
}

/* A signer while sorting, in 16 bytes (no more memory than qsort took):
 * its group and the first six bytes of its collation key in one number,
 * compared first; then the whole keys (collation keys hold no NUL but
 * their last byte) and the line. */
struct sorting {
    uint64_t head;
    uint32_t line, index;
};

static bool before(const struct collation *coll, const struct signer *items,
                   const struct sorting *a, const struct sorting *b)
{
    if (a->head != b->head)
        return a->head < b->head;
    const struct signer *x = &items[a->index], *y = &items[b->index];
    int c = strcmp(x->sort_key, y->sort_key);
    if (c == 0) /* the names, looked up only now */
        c = collate(coll, signers_field(x, SIGNERS_NAME), x->sort_key,
                    signers_field(y, SIGNERS_NAME), y->sort_key);
    return c ? c < 0 : a->line < b->line;
}

/* Sorts n records by before(), bottom-up merging through tmp. */
static void merge_sort(const struct collation *coll, const struct signer *items,
                       struct sorting *order, struct sorting *tmp, size_t n)
{
    struct sorting *from = order, *to = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                to[k++] = before(coll, items, &from[j], &from[i]) ? from[j++] : from[i++];
            while (i < mid)
                to[k++] = from[i++];
            while (j < hi)
                to[k++] = from[j++];
        }
        struct sorting *swap = from;
        from = to;
        to = swap;
    }
    if (from != order)
        memcpy(order, from, n * sizeof *order);
}

/* The signers in order of group, then collation key, then line: the
 * records sorted, then the signers moved along the permutation's cycles
 * in place. */
static void sort_signers(struct signers *s, const struct collation *coll)
{
    size_t n = s->count;
    struct sorting *order = xmalloc((n ? n : 1) * sizeof *order);
    struct sorting *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        const struct signer *r = &s->items[i];
        uint64_t head = (uint64_t)r->group << 48;
        for (size_t k = 0; k < 6 && r->sort_key[k]; k++)
            head |= (uint64_t)(unsigned char)r->sort_key[k] << (40 - 8 * k);
        order[i] = (struct sorting){head, (uint32_t)r->line, (uint32_t)i};
    }
    merge_sort(coll, s->items, order, tmp, n);
    free(tmp);
    for (size_t i = 0; i < n; i++) {
        if (order[i].index == UINT32_MAX)
            continue;
        struct signer first = s->items[i];
        for (size_t j = i;;) {
            size_t k = order[j].index;
            order[j].index = UINT32_MAX;
            if (k == i) {
                s->items[j] = first;
                break;
            }
            s->items[j] = s->items[k];
            j = k;
        }
    }
    free(order);
}

struct organisation {
    const char *key, *name;
    const struct collation *coll;
    int line;
    uint32_t index;
};

static int compare_organisations(const void *pa, const void *pb)
{
    const struct organisation *a = pa, *b = pb;
    int c = collate(a->coll, a->name, a->key, b->name, b->key);
    return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* The organisations by their names' collation, whatever the grouping (the
 * template's petition.organisation_names). */
static void order_organisations(struct signers *s, const struct collation *coll)
{
    struct organisation *orgs = xmalloc((s->organisations + 1) * sizeof *orgs);
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        if (s->items[i].type == SIGNER_ORGANISATION)
            orgs[n++] = (struct organisation){s->items[i].sort_key,
                                              signers_field(&s->items[i], SIGNERS_NAME), coll,
                                              s->items[i].line, (uint32_t)i};
    qsort(orgs, n, sizeof *orgs, compare_organisations);
    s->organisation_order = xmalloc((n + 1) * sizeof *s->organisation_order);
    for (size_t i = 0; i < n; i++)
        s->organisation_order[i] = orgs[i].index;
    free(orgs);
}

static void add_group(struct signers *s, const char *key, const char *name, size_t first,
                      size_t count)
{
    struct signers_group *g = &s->groups[s->group_count++];
    *g = (struct signers_group){.key = key, .name = name, .first = first, .count = count};
}

/* Sorts the signers into their groups and records the groups' ranges. */
static void group_signers(struct signers *s, enum letter_group_by by, struct collation *coll,
                          const char *locale)
{
    struct country *countries = xmalloc(26 * 26 * sizeof *countries);
    unsigned *group_of = xcalloc(26 * 26, sizeof *group_of);
    size_t country_count = order_countries(s, coll->full, locale, &coll->tmp, countries, group_of);
    s->countries = country_count;
    struct arena *keys = arena_new(); /* only while sorting */
    if (s->count >= FASTKEY_NAMES ||
        (s->count >= FASTKEY_BUILT_NAMES && signers_fastkey_built(coll->primary)))
        coll->fast = signers_fastkey_new(coll->primary);
    for (size_t i = 0; i < s->count; i++) {
        struct signer *r = &s->items[i];
        r->sort_key = primary_key(keys, coll, signers_field(r, SIGNERS_NAME));
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
    sort_signers(s, coll);
    order_organisations(s, coll);
    for (size_t i = 0; i < s->count; i++)
        s->items[i].sort_key = NULL;
    arena_free(keys);
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
    struct collation coll;
    if (collation_open(&coll, locale, &status) != 0) {
        errors_add_at(errors, s->path, 0, 0, "cannot sort names for locale '%s' (ICU: %s)", locale,
                      u_errorName(status));
        collation_close(&coll);
        return -1;
    }
    group_signers(s, group_by, &coll, locale);
    collation_close(&coll);
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
