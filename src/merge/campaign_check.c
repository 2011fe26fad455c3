/* campaign_check.c — owns what a campaign leaves out without an error:
 * a paragraph or fact limited by countries="..." or groups="..." that some
 * letters get and others do not, none of the limited ones right after it
 * standing in for it (each such text named with the letters that lack it), and a letter in the
 * fallback language whose recipient's salutation is in the recipient's own language. Warnings, or
 * errors with
 * --strict: a secretariat must never learn of it from an embassy. */
#include "campaign.h"

#include "buffer.h"
#include "tmpl.h"

#include <string.h>

/* Past this many ids a warning says how many more. */
enum { LISTED = 8 };

struct check {
    const struct workspace *ws;
    const struct campaign *campaign;
    const struct letter_text *text; /* the text whose body is walked */
    struct errors *warnings;
};

static void list_limit(struct buffer *b, const struct tmpl_limit *limit)
{
    const struct value *lists[2] = {limit->countries, limit->groups};
    const char *names[2] = {"countries", "groups"};
    bool first = true;
    for (int k = 0; k < 2; k++) {
        if (!lists[k])
            continue;
        buffer_printf(b, "%s%s=\"", first ? "" : " and ", names[k]);
        for (size_t i = 0; i < lists[k]->count; i++)
            buffer_printf(b, "%s%s", i ? " " : "", lists[k]->items[i]->string);
        buffer_puts(b, "\"");
        first = false;
    }
}

static bool admitted(const struct tmpl_limit *alternatives, size_t count, const char *country,
                     const struct value *groups)
{
    for (size_t a = 0; a < count; a++)
        if (tmpl_limit_admits_all(&alternatives[a], country, groups))
            return true;
    return false;
}

/* Variant v's recipient, or NULL when recipients.ini no longer holds what
 * was loaded: such a variant is left out of the warnings, and merging its
 * letter reports the file. */
static const struct value *recipient_of(const struct check *k, const struct campaign_variant *v,
                                        struct recipient_scratch *scratch)
{
    struct errors unread = {0};
    const struct value *r = workspace_recipient_next(k->ws, v->recipient, scratch, &unread);
    errors_clear(&unread);
    return r;
}

static void on_limit(void *context, const struct tmpl_limit *alternatives, size_t count)
{
    struct check *k = context;
    const struct campaign *c = k->campaign;
    size_t letters = 0, lacking = 0;
    struct buffer ids = {0};
    struct recipient_scratch scratch = {0};
    /* A recipient is made again only when a limit names groups: the
     * country is the variant's (planning made every recipient again once
     * per limited paragraph). */
    bool by_group = false;
    for (size_t a = 0; a < count; a++)
        by_group = by_group || alternatives[a].groups;
    for (size_t i = 0; i < c->count; i++) {
        const struct campaign_variant variant = campaign_variant(c, i), *v = &variant;
        if (v->text != k->text)
            continue;
        letters++;
        const struct value *recipient = by_group ? recipient_of(k, v, &scratch) : NULL;
        if ((by_group && !recipient) ||
            admitted(alternatives, count, v->country, value_map_get(recipient, "groups")))
            continue;
        if (lacking++ < LISTED)
            buffer_printf(&ids, "%s%s", lacking > 1 ? ", " : "", v->recipient);
    }
    workspace_recipient_scratch_free(&scratch);
    if (lacking > LISTED)
        buffer_printf(&ids, " and %zu more", lacking - LISTED);
    if (lacking) {
        const struct tmpl_limit *limit = &alternatives[0];
        struct buffer what = {0};
        if (limit->fact)
            buffer_printf(&what, "fact '%s'", limit->fact);
        else
            buffer_puts(&what, "paragraph");
        buffer_puts(&what, " limited to ");
        list_limit(&what, limit);
        if (count > 1)
            buffer_printf(&what, " (with the %zu limited ones after it)", count - 1);
        errors_add(k->warnings, limit->loc, "%s is left out of %zu of the %zu letters in '%s': %s",
                   what.data, lacking, letters, k->text->language, ids.data);
        buffer_free(&what);
    }
    buffer_free(&ids);
}

/* Fallback letters whose salutation would be the recipient's own, in
 * another language (no rank for the protocol table, no salutation-LL): one
 * warning per fallback language, naming them. */
static void check_fallbacks(struct check *k)
{
    const struct campaign *c = k->campaign;
    const char *language = c->letter->fallback;
    size_t mixed = 0;
    struct buffer ids = {0};
    struct source_loc first = {0};
    struct recipient_scratch scratch = {0};
    for (size_t i = 0; language && i < c->count; i++) {
        const struct campaign_variant variant = campaign_variant(c, i), *v = &variant;
        if (!v->fallback)
            continue;
        const struct value *r = recipient_of(k, v, &scratch);
        if (!r)
            continue;
        const struct value *rank = value_map_get(r, "rank");
        char key[64];
        snprintf(key, sizeof key, "salutation-%s", v->language);
        const struct value *own = value_map_get(r, key);
        if (!v->fallback || (rank && rank->string[0]) || (own && own->string[0]))
            continue;
        if (mixed++ == 0)
            first = v->loc;
        if (mixed <= LISTED) {
            const struct value *theirs = value_map_get(r, "language");
            buffer_printf(&ids, "%s%s (%s)", mixed > 1 ? ", " : "", v->recipient,
                          theirs ? theirs->string : "?");
        }
    }
    workspace_recipient_scratch_free(&scratch);
    if (mixed > LISTED)
        buffer_printf(&ids, " and %zu more", mixed - LISTED);
    if (mixed)
        errors_add(k->warnings, first,
                   "%zu letter%s fall%s back to '%s' with a salutation in the recipient's own "
                   "language: %s (give each a rank or salutation-%s, so no letter mixes "
                   "languages)",
                   mixed, mixed == 1 ? "" : "s", mixed == 1 ? "s" : "", language, ids.data,
                   language);
    buffer_free(&ids);
}

void campaign_check(const struct workspace *ws, const struct campaign *campaign,
                    struct errors *warnings)
{
    struct check k = {.ws = ws, .campaign = campaign, .warnings = warnings};
    const struct letter *letter = campaign->letter;
    for (size_t t = 0; t < letter->text_count; t++) {
        k.text = &letter->texts[t];
        tmpl_limits(k.text->body, on_limit, &k);
    }
    check_fallbacks(&k);
}
