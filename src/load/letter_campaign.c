/* letter_campaign.c — the parts of a letter that make it a campaign: the
 * recipients it names (<recipients> with <recipient>, <group> and
 * <countries>), its translations (<translation language="fr"> with the
 * subject, fact texts and body in that language) and the fallback
 * language. Ids, groups and countries are resolved later, against the
 * workspace (campaign.c); here only the file's own structure is checked. */
#include "letter_internal.h"

#include "buffer.h"
#include "codes.h"
#include "suggest.h"

#include <string.h>

static const char *name_of(const xmlNode *node)
{
    return (const char *)node->name;
}

/* ---- <recipients> ---- */

/* The picks so far, grown in the arena. */
struct picks {
    struct letter_pick *items;
    size_t count, capacity;
};

static void push_pick(struct letter_loader *l, struct picks *p, struct letter_pick pick)
{
    p->items = arena_grow(l->arena, p->items, p->count, &p->capacity, sizeof *p->items);
    p->items[p->count++] = pick;
}

/* The same recipient or group named twice is a slip; overlaps between a
 * group and a recipient are not (each recipient gets one letter). */
static bool named_before(struct letter_loader *l, const struct picks *p,
                         const struct letter_pick *pick)
{
    for (size_t i = 0; i < p->count; i++) {
        const struct letter_pick *earlier = &p->items[i];
        if (earlier->kind == pick->kind && earlier->id && pick->id &&
            strcmp(earlier->id, pick->id) == 0) {
            errors_add(l->errors, pick->loc, "%s '%s' is listed twice (first at line %d)",
                       pick->kind == LETTER_PICK_GROUP ? "group" : "recipient", pick->id,
                       earlier->loc.line);
            return true;
        }
    }
    return false;
}

static const struct value *countries_of(struct letter_loader *l, const xmlNode *element,
                                        const char *attribute, bool *ok)
{
    char *text = xmldoc_attr(l->arena, element, attribute);
    if (!text)
        return NULL;
    const struct value *list = codes_countries(
        l->arena, text, xmldoc_attr_loc(l->xml, element, attribute), attribute, l->errors);
    *ok = *ok && list;
    return list;
}

/* One child of <recipients>; false after an error. */
static bool load_pick(struct letter_loader *l, const xmlNode *c, struct letter_pick *pick)
{
    const char *name = name_of(c);
    bool ok = true;
    if (strcmp(name, "recipient") == 0) {
        struct letter_ref ref;
        ok = letter_load_ref(l, c, &ref);
        *pick = (struct letter_pick){LETTER_PICK_RECIPIENT, ref.id, NULL, ref.loc};
        return ok;
    }
    if (strcmp(name, "group") == 0) {
        letter_check_attributes(l, c, (const char *const[]){"ref", "countries", NULL},
                                "'ref' or 'countries'");
        char *id = letter_required_attribute(l, c, "ref");
        const struct value *countries = countries_of(l, c, "countries", &ok);
        *pick = (struct letter_pick){LETTER_PICK_GROUP, id, countries,
                                     xmldoc_attr_loc(l->xml, c, "ref")};
        return ok && id;
    }
    if (strcmp(name, "countries") == 0) {
        letter_check_attributes(l, c, (const char *const[]){"codes", NULL}, "'codes'");
        if (!letter_required_attribute(l, c, "codes"))
            return false;
        const struct value *countries = countries_of(l, c, "codes", &ok);
        *pick = (struct letter_pick){LETTER_PICK_COUNTRIES, NULL, countries,
                                     xmldoc_attr_loc(l->xml, c, "codes")};
        return ok;
    }
    errors_add(l->errors, xmldoc_node_loc(l->xml, c),
               "unknown element <%s> in <recipients> (expected recipient, group or countries)",
               name);
    return false;
}

void letter_load_recipients(struct letter_loader *l, const xmlNode *element)
{
    letter_check_attributes(l, element, (const char *const[]){NULL}, NULL);
    struct picks picks = {0};
    bool any = false;
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (letter_stray_node(l, element, c))
            continue;
        any = true;
        struct letter_pick pick;
        if (load_pick(l, c, &pick) && !named_before(l, &picks, &pick))
            push_pick(l, &picks, pick);
    }
    if (!any)
        errors_add(l->errors, xmldoc_node_loc(l->xml, element),
                   "empty <recipients>: name them with <recipient ref>, <group ref> or "
                   "<countries codes>");
    l->letter->picks = picks.items;
    l->letter->pick_count = picks.count;
    l->letter->recipients_loc = xmldoc_node_loc(l->xml, element);
}

/* ---- <translation> ---- */

/* A copy of fact (a map) with its text replaced. */
static struct value *translated_fact(struct arena *arena, const struct value *fact,
                                     struct value *text)
{
    struct value *copy = value_map(arena, fact->loc);
    for (size_t i = 0; i < fact->count; i++)
        value_map_set(arena, copy, fact->keys[i],
                      strcmp(fact->keys[i], "text") == 0 ? text : fact->items[i]);
    return copy;
}

/* What one <translation> is being built into. */
struct translation {
    struct letter_text *text;
    struct value *fact_map; /* id -> fact in this language (untranslated: the original) */
    struct value *done;     /* ids translated so far, id -> the <fact ref>'s location */
    const xmlNode *subject, *facts, *body;
};

static void load_fact_text(struct letter_loader *l, struct translation *t, const xmlNode *c)
{
    letter_check_attributes(l, c, (const char *const[]){"ref", NULL}, "'ref'");
    char *id = letter_required_attribute(l, c, "ref");
    if (!id)
        return;
    struct source_loc loc = xmldoc_attr_loc(l->xml, c, "ref");
    const struct value *fact = value_map_get(l->fact_map, id);
    const struct value *earlier = value_map_get(t->done, id);
    if (!fact) {
        const char *hint = suggest_closest(id, l->fact_map->keys, l->fact_map->count);
        if (hint)
            errors_add(l->errors, loc, "unknown fact '%s' (did you mean '%s'?)", id, hint);
        else
            errors_add(l->errors, loc, "unknown fact '%s' (not among the letter's <facts>)", id);
        return;
    }
    if (earlier) {
        errors_add(l->errors, loc, "fact '%s' is translated twice (first at line %d)", id,
                   earlier->loc.line);
        return;
    }
    if (!letter_has_content(c)) {
        errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                   "empty <fact>: its text says what happened");
        return;
    }
    const struct tmpl_node *text = tmpl_compile_markup(l->arena, l->xml, c, false, NULL, l->errors);
    if (!text)
        return;
    value_map_set(l->arena, t->done, id, value_string(l->arena, id, loc));
    value_map_set(
        l->arena, t->fact_map, id,
        translated_fact(l->arena, fact, value_markup(l->arena, text, letter_text_loc(l, c))));
}

static void load_fact_texts(struct letter_loader *l, struct translation *t)
{
    letter_check_attributes(l, t->facts, (const char *const[]){NULL}, NULL);
    for (const xmlNode *c = t->facts->children; c; c = c->next) {
        if (letter_stray_node(l, t->facts, c))
            continue;
        if (strcmp(name_of(c), "fact") == 0)
            load_fact_text(l, t, c);
        else
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "unknown element <%s> in <facts> (expected <fact ref=\"...\">)", name_of(c));
    }
}

/* The parts a translation lacks, for the message of whoever needs them:
 * "<subject>, <body>, fact 'rally'"; NULL when it has everything. */
static const char *missing_parts(struct letter_loader *l, const struct translation *t)
{
    struct buffer b = {0};
    if (!t->text->subject)
        buffer_puts(&b, ", <subject>");
    if (!t->text->body)
        buffer_puts(&b, ", <body>");
    for (size_t i = 0; i < l->fact_map->count; i++) {
        if (value_map_get(t->done, l->fact_map->keys[i]))
            continue;
        buffer_puts(&b, ", fact '");
        buffer_puts(&b, l->fact_map->keys[i]);
        buffer_puts(&b, "'");
    }
    const char *missing = b.len ? arena_strdup(l->arena, b.data + 2) : NULL;
    buffer_free(&b);
    return missing;
}

/* Sorts a translation's children by kind, reporting the unknown. */
static void translation_parts(struct letter_loader *l, const xmlNode *element,
                              struct translation *t)
{
    for (const xmlNode *c = element->children; c; c = c->next) {
        if (letter_stray_node(l, element, c))
            continue;
        const char *name = name_of(c);
        const xmlNode **slot = strcmp(name, "subject") == 0 ? &t->subject
                               : strcmp(name, "facts") == 0 ? &t->facts
                               : strcmp(name, "body") == 0  ? &t->body
                                                            : NULL;
        if (slot)
            letter_first_of(l, slot, c);
        else
            errors_add(l->errors, xmldoc_node_loc(l->xml, c),
                       "unknown element <%s> in <translation> (expected subject, facts or body)",
                       name);
    }
}

static void load_translation(struct letter_loader *l, const xmlNode *element,
                             struct letter_text *text)
{
    struct translation t = {.text = text};
    t.fact_map = value_map(l->arena, text->loc);
    t.done = value_map(l->arena, text->loc);
    for (size_t i = 0; i < l->fact_map->count; i++)
        value_map_set(l->arena, t.fact_map, l->fact_map->keys[i], l->fact_map->items[i]);
    translation_parts(l, element, &t);
    if (t.facts)
        load_fact_texts(l, &t);
    if (t.subject)
        text->subject = letter_text_only(l, t.subject);
    if (t.body && !letter_has_content(t.body))
        errors_add(l->errors, xmldoc_node_loc(l->xml, t.body), "empty <body>");
    else if (t.body)
        text->body = tmpl_compile_markup(l->arena, l->xml, t.body, true, t.fact_map, l->errors);
    text->facts = value_list(l->arena, text->loc);
    const struct value *own = l->letter->facts;
    for (size_t i = 0; i < own->count; i++) {
        const struct value *id = value_map_get(own->items[i], "id");
        value_list_push(l->arena, text->facts, value_map_get(t.fact_map, id->string));
    }
    text->missing = missing_parts(l, &t);
}

/* The <translation language="..."> attribute: a code the letter has not
 * used yet; NULL after an error. */
static const char *translation_language(struct letter_loader *l, const xmlNode *element,
                                        const struct letter_text *texts, size_t count)
{
    letter_check_attributes(l, element, (const char *const[]){"language", NULL}, "'language'");
    char *language = letter_required_attribute(l, element, "language");
    struct source_loc loc = xmldoc_attr_loc(l->xml, element, "language");
    if (!language || !codes_check_language(language, loc, l->errors))
        return NULL;
    for (size_t i = 0; i < count; i++) {
        if (strcmp(texts[i].language, language) != 0)
            continue;
        if (i == 0)
            errors_add(l->errors, loc,
                       "the letter itself is in '%s': a <translation> gives another language",
                       language);
        else
            errors_add(l->errors, loc, "duplicate <translation language=\"%s\"> (first at line %d)",
                       language, texts[i].loc.line);
        return NULL;
    }
    return language;
}

static size_t count_translations(const xmlNode *root)
{
    size_t n = 0;
    for (const xmlNode *c = root->children; c; c = c->next)
        n += c->type == XML_ELEMENT_NODE && !c->ns && strcmp(name_of(c), "translation") == 0;
    return n;
}

/* fallback="en" names a language the letter has in full. */
static void load_fallback(struct letter_loader *l, const xmlNode *root)
{
    struct letter *letter = l->letter;
    char *fallback = xmldoc_attr(l->arena, root, "fallback");
    if (!fallback)
        return;
    struct source_loc loc = xmldoc_attr_loc(l->xml, root, "fallback");
    struct buffer known = {0};
    for (size_t i = 0; i < letter->text_count; i++) {
        const struct letter_text *t = &letter->texts[i];
        if (strcmp(t->language, fallback) == 0 && !t->missing) {
            letter->fallback = fallback;
            letter->fallback_loc = loc;
        } else if (strcmp(t->language, fallback) == 0) {
            errors_add(l->errors, loc,
                       "fallback language '%s' lacks %s: a fallback must be complete", fallback,
                       t->missing);
            fallback = NULL;
            break;
        }
        buffer_puts(&known, i ? ", " : "");
        buffer_puts(&known, t->language);
    }
    if (fallback && !letter->fallback)
        errors_add(l->errors, loc, "fallback language '%s' is not one of the letter's (%s)",
                   fallback, known.data ? known.data : "");
    buffer_free(&known);
}

void letter_load_texts(struct letter_loader *l, const xmlNode *root)
{
    struct letter *letter = l->letter;
    size_t count = count_translations(root);
    if (!letter->picks) {
        const char *what = count ? "<translation>" : "fallback=";
        if (count || xmlHasProp(root, (const xmlChar *)"fallback"))
            errors_add(l->errors, letter->loc,
                       "%s is for campaigns: a letter with <recipients> instead of <recipient>",
                       what);
        return;
    }
    struct letter_text *texts = arena_alloc(l->arena, (count + 1) * sizeof *texts);
    texts[0] = (struct letter_text){letter->language, letter->loc,  letter->subject,
                                    letter->facts,    letter->body, NULL};
    size_t n = 1;
    for (const xmlNode *c = root->children; c && letter->language; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns || strcmp(name_of(c), "translation") != 0)
            continue;
        const char *language = translation_language(l, c, texts, n);
        if (!language)
            continue;
        texts[n] = (struct letter_text){.language = language, .loc = xmldoc_node_loc(l->xml, c)};
        load_translation(l, c, &texts[n++]);
    }
    letter->texts = texts;
    letter->text_count = n;
    load_fallback(l, root);
}
