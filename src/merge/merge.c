/* merge.c — from letter + workspace + template to one document tree. */
#include "merge.h"

#include "annex.h"
#include "codes.h"
#include "protocol.h"
#include "suggest.h"

#include <string.h>

/* ref's person in map (found when not NULL), else an error naming the
 * closest id. */
static struct value *resolve_found(const struct value *map, struct value *found,
                                   const struct letter_ref *ref, const char *what, const char *file,
                                   struct errors *errors)
{
    if (found)
        return found;
    const char *hint = suggest_closest(ref->id, map->keys, map->count);
    char id[160];
    error_quote(id, sizeof id, ref->id);
    if (hint)
        errors_add(errors, ref->loc, "unknown %s %s in %s (did you mean '%s'?)", what, id, file,
                   hint);
    else
        errors_add(errors, ref->loc, "unknown %s %s in %s", what, id, file);
    return NULL;
}

static struct value *resolve(const struct value *map, const struct letter_ref *ref,
                             const char *what, const char *file, struct errors *errors)
{
    return resolve_found(map, value_map_get(map, ref->id), ref, what, file, errors);
}

/* A shallow copy of map with "id" added, so templates can print ids; each
 * KEY with a translation KEY-LANG into language (NULL: none) takes it. */
static struct value *with_id(struct arena *arena, const struct value *map, const char *id,
                             const char *language)
{
    struct value *copy = value_map(arena, map->loc);
    value_map_set(arena, copy, "id", value_string(arena, id, map->loc));
    for (size_t i = 0; i < map->count; i++)
        value_map_set(arena, copy, map->keys[i], map->items[i]);
    size_t n = language ? strlen(language) : 0;
    for (size_t i = 0; n && i < map->count; i++) {
        const char *key = map->keys[i];
        size_t len = strlen(key);
        if (len <= n + 1 || key[len - n - 1] != '-' || strcmp(key + len - n, language) != 0)
            continue;
        char *base = arena_strndup(arena, key, len - n - 1);
        if (value_map_get(map, base))
            value_map_set(arena, copy, base, map->items[i]);
    }
    return copy;
}

/* key of a protocol row, in its feminine form (key-f) when asked and given. */
static const struct value *row_get(const struct value *row, const char *key, bool feminine,
                                   struct arena *arena)
{
    const struct value *f = feminine ? value_map_get(row, arena_printf(arena, "%s-f", key)) : NULL;
    return f ? f : value_map_get(row, key);
}

static bool nonempty(const struct value *v)
{
    return v && v->kind == VALUE_STRING && v->string[0];
}

/* Whether the recipient gives key in language: as KEY-LANG, or as KEY in
 * its first language. */
static bool own_in(struct arena *arena, const struct value *recipient, const char *key,
                   const char *language)
{
    const struct value *lang = value_map_get(recipient, "language");
    return nonempty(value_map_get(recipient, arena_printf(arena, "%s-%s", key, language))) ||
           (nonempty(value_map_get(recipient, key)) && nonempty(lang) &&
            strcmp(lang->string, language) == 0);
}

/* closing with {salutation} replaced. */
static struct value *closing_for(struct arena *arena, const struct value *closing,
                                 const char *salutation)
{
    const char *at = strstr(closing->string, "{salutation}");
    if (!at)
        return (struct value *)closing;
    const char *text = arena_printf(arena, "%.*s%s%s", (int)(at - closing->string), closing->string,
                                    salutation, at + strlen("{salutation}"));
    return value_string(arena, text, closing->loc);
}

/* What the recipient's rank asks for in the letter's language (the
 * protocol table): honorific, address form, salutation and closing, each
 * unless the recipient gives its own in that language. Also sets
 * address_form (empty without a row) so templates can test it. */
static void apply_protocol(struct arena *arena, const struct workspace *ws,
                           const struct value *recipient, struct value *r, const char *id,
                           const char *language, struct source_loc loc, struct errors *errors)
{
    const struct value *rank = value_map_get(recipient, "rank");
    const struct value *gender = value_map_get(recipient, "gender");
    bool feminine = nonempty(gender) && strcmp(gender->string, "f") == 0;
    const struct value *row =
        protocol_row(ws->protocol, language, nonempty(rank) ? rank->string : NULL);
    const struct value *form = row ? row_get(row, "address", feminine, arena) : NULL;
    value_map_set(arena, r, "address_form",
                  form ? (struct value *)form : value_string(arena, "", recipient->loc));
    if (!row) {
        if (nonempty(rank) && !own_in(arena, recipient, "salutation", language))
            errors_add(errors, loc,
                       "no salutation for recipient '%s' in '%s': the protocol table has no "
                       "[%s.%s] and the recipient no salutation-%s",
                       id, language, language, rank->string, language);
        return;
    }
    const struct value *honorific = row_get(row, "honorific", feminine, arena);
    if (honorific && !own_in(arena, recipient, "honorific", language))
        value_map_set(arena, r, "honorific", (struct value *)honorific);
    bool own_salutation = own_in(arena, recipient, "salutation", language);
    if (!own_salutation)
        value_map_set(arena, r, "salutation",
                      (struct value *)row_get(row, "salutation", feminine, arena));
    if (own_in(arena, recipient, "closing", language))
        return;
    const struct value *named = row_get(row, "closing-named", feminine, arena);
    const struct value *closing =
        own_salutation && named ? named : row_get(row, "closing", feminine, arena);
    value_map_set(arena, r, "closing",
                  closing_for(arena, closing, value_map_get(r, "salutation")->string));
}

static struct value *letter_value(struct arena *arena, const struct letter *letter,
                                  const char *reference)
{
    struct value *v = value_map(arena, letter->loc);
    if (reference)
        value_map_set(arena, v, "reference", value_string(arena, reference, letter->loc));
    value_map_set(arena, v, "date", value_string(arena, letter->date, letter->date_loc));
    value_map_set(arena, v, "language", value_string(arena, letter->language, letter->loc));
    value_map_set(arena, v, "subject", value_string(arena, letter->subject, letter->loc));
    value_map_set(arena, v, "name", value_string(arena, letter->name, letter->loc));
    value_map_set(arena, v, "template",
                  value_string(arena, letter->template_name.id, letter->template_name.loc));
    value_map_set(arena, v, "draft", value_string(arena, reference ? "" : "yes", letter->loc));
    return v;
}

/* Signatories in letter order, each with its organisation map in place of
 * the id; organisations collects each signing organisation once. */
static struct value *signatories_value(struct arena *arena, const struct workspace *ws,
                                       const struct letter *letter, struct value *organisations,
                                       struct errors *errors)
{
    struct value *list = value_list(arena, letter->loc);
    for (size_t i = 0; i < letter->signatory_count; i++) {
        const struct letter_ref *ref = &letter->signatories[i];
        struct value *person =
            resolve(ws->signatories, ref, "signatory", "signatories.ini", errors);
        if (!person)
            continue;
        struct value *copy = with_id(arena, person, ref->id, letter->language);
        struct value *org_id = value_map_get(person, "organisation");
        struct value *org = org_id ? value_map_get(ws->organisations, org_id->string) : NULL;
        if (org) {
            struct value *org_copy = with_id(arena, org, org_id->string, letter->language);
            value_map_set(arena, copy, "organisation", org_copy);
            bool seen = false;
            for (size_t k = 0; k < organisations->count; k++) {
                struct value *known = value_map_get(organisations->items[k], "id");
                seen = seen || strcmp(known->string, org_id->string) == 0;
            }
            if (!seen)
                value_list_push(arena, organisations, org_copy);
        }
        value_list_push(arena, list, copy);
    }
    return list;
}

/* Each group a fact's own groups="..." names must be declared, whether or
 * not a <fact ref> mentions it (a fact only listed through `facts` would
 * otherwise leave every letter silently), said as a mention's is. */
static void check_fact_groups(const struct workspace *ws, const struct value *facts,
                              struct errors *errors)
{
    for (size_t i = 0; i < facts->count; i++) {
        const struct value *groups = value_map_get(facts->items[i], "groups");
        for (size_t k = 0; groups && k < groups->count; k++) {
            const char *name = groups->items[k]->string;
            name += name[0] == '!';
            if (ws->groups && value_map_get(ws->groups, name))
                continue;
            const char *hint =
                ws->groups ? suggest_closest(name, ws->groups->keys, ws->groups->count) : NULL;
            errors_add(errors, groups->loc, "unknown group '%s'%s%s%s", name,
                       hint ? " (did you mean '" : " (groups are declared in recipients.ini)",
                       hint ? hint : "", hint ? "'?)" : "");
        }
    }
}

/* The facts a recipient in country and groups reads: a fact limited to
 * other countries or groups (<fact countries="..." groups="...">) is left
 * out of `facts`, as tmpl_limit_admits leaves out its mentions. */
static struct value *facts_for(struct arena *arena, const struct value *facts, const char *country,
                               const struct value *groups)
{
    struct value *list = value_list(arena, facts->loc);
    for (size_t i = 0; i < facts->count; i++) {
        const struct value *limit = value_map_get(facts->items[i], "countries");
        const struct value *members = value_map_get(facts->items[i], "groups");
        if ((!limit || codes_match(limit, country)) &&
            (!members || codes_match_any(members, groups)))
            value_list_push(arena, list, facts->items[i]);
    }
    return list;
}

static char *join_names(struct arena *arena, const struct value *signatories)
{
    size_t total = 1;
    for (size_t i = 0; i < signatories->count; i++) {
        struct value *name = value_map_get(signatories->items[i], "name");
        total += (name ? strlen(name->string) : 0) + 2;
    }
    char *s = arena_alloc(arena, total);
    for (size_t i = 0; i < signatories->count; i++) {
        struct value *name = value_map_get(signatories->items[i], "name");
        if (i)
            strcat(s, ", ");
        if (name)
            strcat(s, name->string);
    }
    return s;
}

struct doc_document *merge_letter(const struct workspace *ws, const struct letter *letter,
                                  const struct tmpl *tmpl, const struct merge_input *input,
                                  struct errors *errors)
{
    const struct signers *signers = input->signers;
    if (letter->petition && !signers) {
        errors_add(errors, letter->petition->loc, "a petition is merged with its signers");
        return NULL;
    }
    size_t errors_before = errors->count;
    if (!letter->recipient.id) {
        /* A campaign's letters are views with a recipient each
         * (campaign.h); the campaign letter itself has none. */
        errors_add(errors, letter->loc,
                   "the letter names no <recipient> (a campaign is merged once per recipient of "
                   "its <recipients>)");
        return NULL;
    }
    struct doc_document *doc = doc_new(letter->language);
    struct arena *arena = doc->arena;
    struct value *scope = value_map(arena, letter->loc);
    size_t before_recipient = errors->count;
    struct value *found = workspace_recipient(ws, letter->recipient.id, arena, errors);
    struct value *recipient = errors->count > before_recipient
                                  ? NULL
                                  : resolve_found(ws->recipient_ids, found, &letter->recipient,
                                                  "recipient", "recipients.ini", errors);
    struct value *organisations = value_list(arena, letter->loc);
    struct value *signatories = signatories_value(arena, ws, letter, organisations, errors);
    if (errors->count > errors_before) {
        doc_free(doc);
        return NULL;
    }
    value_map_set(arena, scope, "letter", letter_value(arena, letter, input->reference));
    struct value *addressee = with_id(arena, recipient, letter->recipient.id, letter->language);
    apply_protocol(arena, ws, recipient, addressee, letter->recipient.id, letter->language,
                   letter->recipient.loc, errors);
    if (errors->count > errors_before) {
        doc_free(doc);
        return NULL;
    }
    value_map_set(arena, scope, "recipient", addressee);
    value_map_set(arena, scope, "signatories", signatories);
    value_map_set(arena, scope, "organisations", organisations);
    const struct value *country = value_map_get(recipient, "country");
    const char *country_code = country && country->kind == VALUE_STRING ? country->string : "";
    size_t before_facts = errors->count;
    check_fact_groups(ws, letter->facts, errors);
    if (errors->count > before_facts) {
        doc_free(doc);
        return NULL;
    }
    value_map_set(
        arena, scope, "facts",
        facts_for(arena, letter->facts, country_code, value_map_get(recipient, "groups")));
    const char *locale = workspace_locale(ws, letter->language);
    if (signers)
        value_map_set(arena, scope, "petition",
                      annex_value(arena, signers, letter->language, letter->petition->loc));

    doc->reference = arena_strdup(arena, input->reference);
    doc->timestamp = arena_strdup(arena, input->timestamp);
    doc->date = arena_strdup(arena, letter->date);
    doc->title = arena_strdup(arena, letter->subject);
    doc->author = join_names(arena, signatories);
    const struct value *name = value_map_get(addressee, "name");
    if (name && name->kind == VALUE_STRING)
        doc->recipient = arena_strdup(arena, name->string);
    doc->name = arena_strdup(arena, letter->name);

    struct tmpl_env env = {
        .scope = scope,
        .language = letter->language,
        .locale = locale,
        .body = letter->body,
        .root = ws->root,
        .country = country_code,
        .groups = value_map_get(recipient, "groups"),
        .known_groups = ws->groups,
    };
    if (tmpl_apply(tmpl, &env, doc, errors) != 0) {
        doc_free(doc);
        return NULL;
    }
    if (signers)
        annex_add(doc, signers, letter->petition, locale);
    if (doc_spool_check(doc->spool, errors) != 0) {
        doc_free(doc);
        return NULL;
    }
    return doc;
}
