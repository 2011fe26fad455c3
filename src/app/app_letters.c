/* app_letters.c — `missive status`: every letter file of the workspace's
 * letters/ and where it stands (issued, numbered, draft, or not loading),
 * as the workspace page of `missive serve` shows it. */
#include "app_internal.h"

#include "letter.h"
#include "workspace.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .xml files of root/letters, as "letters/NAME.xml", sorted. */
static char **letter_files(struct arena *arena, const char *root, size_t *count)
{
    *count = 0;
    char *dir = arena_printf(arena, "%s/letters", root);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0)
            continue;
        names = arena_grow(arena, names, *count, &cap, sizeof *names);
        names[(*count)++] = arena_printf(arena, "letters/%s", e->d_name);
    }
    closedir(d);
    if (*count)
        qsort(names, *count, sizeof *names, compare_names);
    return names;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The register does not record the file an entry came from: a letter
 * counts as issued by the entries with its subject, date and recipient
 * (one of its variants' for a campaign) that are not void. */
static void find_issued(struct app_letter_state *s, struct arena *arena,
                        struct register_entry **entries, long count)
{
    size_t cap = 0;
    for (long i = 0; i < count; i++) {
        const struct register_entry *e = entries[i];
        if (e->voided_at || !same(e->subject, s->subject) || !same(e->letter_date, s->date))
            continue;
        bool theirs = false;
        for (size_t k = 0; k < s->recipient_count && !theirs; k++)
            theirs = same(e->recipient_id, s->recipients[k]);
        if (!theirs)
            continue;
        s->references =
            arena_grow(arena, s->references, s->reference_count, &cap, sizeof *s->references);
        s->references[s->reference_count++] = e->reference;
    }
}

/* One file's state; strings copied into arena. */
static void letter_state(struct app_letter_state *s, struct arena *arena,
                         const struct workspace *ws, const char *root, struct register_entry **reg,
                         long reg_count)
{
    struct errors errors = {0};
    char *full = arena_printf(arena, "%s/%s", root, s->path);
    struct letter *letter = letter_load(full, &errors);
    if (!letter) {
        s->state = "error";
        s->error_count = errors.count;
        errors_clear(&errors);
        return;
    }
    bool campaign = campaign_is(letter);
    s->kind = campaign ? "campaign" : letter->petition ? "petition" : "letter";
    s->subject = arena_strdup(arena, letter->subject);
    s->date = arena_strdup(arena, letter->date);
    struct campaign *c = campaign ? campaign_plan(ws, letter, NULL, &errors) : NULL;
    size_t n = c ? c->count : campaign ? 0 : 1;
    s->recipients = arena_alloc(arena, (n ? n : 1) * sizeof *s->recipients);
    s->languages = arena_alloc(arena, (n ? n : 1) * sizeof *s->languages);
    for (size_t i = 0; i < n; i++) {
        s->recipients[i] = arena_strdup(arena, c ? campaign_recipient(c, i) : letter->recipient.id);
        s->languages[i] = arena_strdup(arena, c ? campaign_language(c, i) : letter->language);
    }
    s->recipient_count = n;
    find_issued(s, arena, reg, reg_count);
    if (s->reference_count) {
        s->state = "issued";
    } else if (letter->reference) {
        s->state = "numbered";
        s->references = arena_alloc(arena, sizeof *s->references);
        s->references[s->reference_count++] = arena_strdup(arena, letter->reference);
    } else {
        s->state = "draft";
    }
    campaign_free(c);
    errors_clear(&errors);
    letter_free(letter);
}

enum app_status app_letters(struct app *app, struct arena *arena, struct app_letters *out,
                            struct errors *errors)
{
    *out = (struct app_letters){0};
    struct pipeline *p = app_pipeline(app, errors);
    if (!p)
        return APP_INPUT;
    const struct workspace *ws = pipeline_workspace(p);
    struct register_entry **reg = NULL;
    long reg_count = 0;
    struct errors why = {0};
    /* No register (nothing issued yet) leaves every letter unissued. */
    if (app_register_list(app, &(struct register_filter){0}, arena, &reg, &reg_count, &why) !=
        APP_OK) {
        reg_count = 0;
        if (why.count)
            out->register_note = arena_strdup(arena, why.items[0].message);
    }
    errors_clear(&why);
    char **files = letter_files(arena, app->root, &out->count);
    out->items = arena_alloc(arena, (out->count ? out->count : 1) * sizeof *out->items);
    for (size_t i = 0; i < out->count; i++) {
        out->items[i] = (struct app_letter_state){.path = files[i]};
        letter_state(&out->items[i], arena, ws, app->root, reg, reg_count);
    }
    return APP_OK;
}
