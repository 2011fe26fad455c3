/* register_list.c — listing the register's entries through a filter:
 * year, country, language, office, series, recipient, subject text and
 * signatory, compared case folded. Reading the entries is register.c's. */
#include "register.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <stdlib.h>
#include <string.h>

/* Unicode case folding of s (malloc'd), for filters that ignore case. */
static char *fold(const char *s)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0, folded_len = 0, n8 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, -1, &status);
    status = U_ZERO_ERROR;
    UChar *text = xcalloc((size_t)n16 + 1, sizeof *text);
    u_strFromUTF8WithSub(text, n16 + 1, NULL, s, -1, 0xFFFD, NULL, &status);
    UChar *folded = xcalloc((size_t)n16 * 3 + 1, sizeof *folded);
    folded_len = u_strFoldCase(folded, n16 * 3 + 1, text, n16, U_FOLD_CASE_DEFAULT, &status);
    char *out = xcalloc((size_t)folded_len * 3 + 1, 1);
    u_strToUTF8(out, folded_len * 3 + 1, &n8, folded, folded_len, &status);
    free(folded);
    free(text);
    return out;
}

/* Whether text contains part, ignoring case. */
static bool contains(const char *text, const char *part)
{
    if (!text)
        return false;
    char *t = fold(text), *p = fold(part);
    bool found = strstr(t, p) != NULL;
    free(t);
    free(p);
    return found;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool matches(const struct register_entry *e, const struct register_filter *f)
{
    char year[16];
    snprintf(year, sizeof year, "%04d", f->year);
    if (f->year > 0 && (!e->letter_date || strncmp(e->letter_date, year, 4) != 0))
        return false;
    if ((f->country && !same(e->country, f->country)) ||
        (f->language && !same(e->language, f->language)))
        return false;
    if ((f->office && !same(e->office, f->office)) || (f->series && !same(e->series, f->series)))
        return false;
    if (f->recipient && !same(e->recipient_id, f->recipient) &&
        !contains(e->recipient_name, f->recipient))
        return false;
    if (f->text && !contains(e->subject, f->text))
        return false;
    if (!f->signatory)
        return true;
    for (size_t i = 0; i < e->signatory_count; i++)
        if (same(e->signatories[i].id, f->signatory) ||
            contains(e->signatories[i].name, f->signatory))
            return true;
    return false;
}

struct lister {
    struct arena *arena;
    const struct register_filter *filter;
    struct register_entry **list;
    size_t count, cap;
};

static int list_one(void *context, struct register_entry *e)
{
    struct lister *l = context;
    if (strcmp(e->event, "void") == 0) {
        /* A void follows what it voids: mark the listed entry. */
        for (size_t i = l->count; i-- > 0;)
            if (strcmp(l->list[i]->reference, e->reference) == 0 && !l->list[i]->voided_at) {
                l->list[i]->void_reason = e->reason;
                l->list[i]->voided_at = e->recorded_at;
                break;
            }
        return 0;
    }
    if (strcmp(e->event, "sign") == 0) {
        /* Later signatures: the listed entry's PDF is now this one. */
        for (size_t i = l->count; i-- > 0;)
            if (strcmp(l->list[i]->reference, e->reference) == 0) {
                for (size_t k = 0; k < e->file_count; k++)
                    if (strcmp(e->files[k].role, "pdf") == 0)
                        l->list[i]->signed_pdf = &e->files[k];
                l->list[i]->signed_at = e->recorded_at;
                break;
            }
        return 0;
    }
    if (!matches(e, l->filter))
        return 0;
    l->list = arena_grow(l->arena, l->list, l->count, &l->cap, sizeof *l->list);
    l->list[l->count++] = e;
    return 0;
}

long register_list(struct register_db *db, struct arena *arena,
                   const struct register_filter *filter, struct register_entry ***out,
                   struct errors *errors)
{
    struct lister l = {.arena = arena, .filter = filter};
    if (register_each(db, arena, list_one, &l, errors) != 0)
        return -1;
    *out = arena_alloc(arena, (l.count + 1) * sizeof **out);
    if (l.count)
        memcpy(*out, l.list, l.count * sizeof *l.list);
    return (long)l.count;
}
