/* campaign.c — a campaign letter's variants: who gets it, in which
 * language, and narrowing the batch. */
#include "campaign.h"

#include "batch.h"
#include "buffer.h"
#include "codes.h"
#include "suggest.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct planner {
    const struct workspace *ws;
    const struct letter *letter;
    struct campaign *c;
    struct errors *errors;
    size_t capacity;
    const char **seen; /* ids named so far: open addressing, at most half full */
    size_t seen_size, seen_count;
    struct recipient_scratch scratch; /* the recipient being planned */
    unsigned jobs;                    /* threads reading recipients again (0: every core) */
};

bool campaign_is(const struct letter *letter)
{
    return letter->picks != NULL;
}

static const char *string_of(const struct value *map, const char *key)
{
    const struct value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING ? v->string : "";
}

static const struct letter_text *text_in(const struct letter *letter, const char *language)
{
    for (size_t i = 0; i < letter->text_count; i++)
        if (strcmp(letter->texts[i].language, language) == 0)
            return &letter->texts[i];
    return NULL;
}

/* "en, fr, ru": the languages the letter is written in. */
static const char *letter_languages(struct planner *p)
{
    struct buffer b = {0};
    for (size_t i = 0; i < p->letter->text_count; i++) {
        buffer_puts(&b, i ? ", " : "");
        buffer_puts(&b, p->letter->texts[i].language);
    }
    const char *s = arena_strdup(p->c->arena, b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

/* "'kk' or 'ru'": what a recipient reads, for messages. */
static const char *reads(struct planner *p, const struct value *languages)
{
    struct buffer b = {0};
    for (size_t i = 0; i < languages->count; i++) {
        buffer_puts(&b, i == 0 ? "'" : i + 1 == languages->count ? " or '" : ", '");
        buffer_puts(&b, languages->items[i]->string);
        buffer_puts(&b, "'");
    }
    const char *s = arena_strdup(p->c->arena, b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

/* The first of the recipient's languages the letter has in full, else
 * the fallback; NULL after an error at loc. An incomplete translation is
 * a mistake even when a fallback exists: someone started it for a reason. */
static const struct letter_text *choose_text(struct planner *p, const char *id,
                                             const struct value *recipient, struct source_loc loc)
{
    const struct value *languages = value_map_get(recipient, "languages");
    for (size_t i = 0; languages && i < languages->count; i++) {
        const struct letter_text *t = text_in(p->letter, languages->items[i]->string);
        if (t && !t->missing)
            return t;
        if (t) {
            errors_add(p->errors, loc,
                       "the translation into '%s' (line %d) lacks %s, which recipient '%s' needs",
                       t->language, t->loc.line, t->missing, id);
            return NULL;
        }
    }
    if (p->letter->fallback)
        return text_in(p->letter, p->letter->fallback);
    errors_add(p->errors, loc,
               "no text in %s for recipient '%s': the letter is in %s (add a <translation "
               "language=\"%s\"> with <subject>, <body> and each fact, or name a fallback "
               "language with <letter fallback=\"...\">)",
               reads(p, languages), id, letter_languages(p), string_of(recipient, "language"));
    return NULL;
}

/* Recipients already planned, by hash: a campaign may name thousands. */
static uint64_t hash_of(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool planned(const struct planner *p, const char *id)
{
    if (!p->seen_size)
        return false;
    for (size_t i = hash_of(id) % p->seen_size; p->seen[i]; i = (i + 1) % p->seen_size)
        if (strcmp(p->seen[i], id) == 0)
            return true;
    return false;
}

static void remember(struct planner *p, const char *id)
{
    if (2 * (p->seen_count + 1) > p->seen_size) {
        size_t size = p->seen_size ? p->seen_size * 2 : 64;
        const char **seen = xcalloc(size, sizeof *seen);
        for (size_t k = 0; k < p->seen_size; k++) {
            if (!p->seen[k])
                continue;
            size_t i = hash_of(p->seen[k]) % size;
            while (seen[i])
                i = (i + 1) % size;
            seen[i] = p->seen[k];
        }
        free(p->seen);
        p->seen = seen;
        p->seen_size = size;
    }
    size_t i = hash_of(id) % p->seen_size;
    while (p->seen[i])
        i = (i + 1) % p->seen_size;
    p->seen[i] = id;
    p->seen_count++;
}

/* The recipient's country, one copy per campaign (its map is scratch):
 * its index in c->countries. */
static uint16_t country_of(struct planner *p, const struct value *recipient)
{
    struct campaign *c = p->c;
    const char *code = string_of(recipient, "country");
    for (size_t i = 0; i < c->country_count; i++)
        if (strcmp(c->countries[i], code) == 0)
            return (uint16_t)i;
    if ((c->country_count & (c->country_count - 1)) == 0)
        c->countries = xrealloc(c->countries, (c->country_count ? 2 * c->country_count : 1) *
                                                  sizeof *c->countries);
    c->countries[c->country_count] = arena_strdup(c->arena, code);
    return (uint16_t)c->country_count++;
}

/* Recipient number index of recipient_ids (its map, known to exist) gets
 * a variant, once; pick is where the letter names it. */
static void add_recipient(struct planner *p, size_t index, const struct value *recipient,
                          const struct letter_pick *pick)
{
    const char *id = p->ws->recipient_ids->keys[index];
    if (planned(p, id))
        return;
    remember(p, id);
    const struct letter_text *text = choose_text(p, id, recipient, pick->loc);
    if (!text)
        return;
    struct campaign *c = p->c;
    if (c->count == p->capacity) {
        p->capacity = p->capacity ? p->capacity * 2 : 16;
        c->rows = xrealloc(c->rows, p->capacity * sizeof *c->rows);
    }
    bool fallback = !codes_has(value_map_get(recipient, "languages"), text->language);
    c->rows[c->count++] = (struct campaign_row){
        (uint32_t)index, (uint32_t)(pick - p->letter->picks), (uint16_t)(text - p->letter->texts),
        country_of(p, recipient), fallback};
}

/* An unknown id of map (recipients or groups), with the closest known. */
static void unknown(struct planner *p, const struct value *map, const struct letter_pick *pick,
                    const char *what)
{
    const char *hint = suggest_closest(pick->id, map->keys, map->count);
    if (hint)
        errors_add(p->errors, pick->loc, "unknown %s '%s' in recipients.ini (did you mean '%s'?)",
                   what, pick->id, hint);
    else
        errors_add(p->errors, pick->loc, "unknown %s '%s' in recipients.ini", what, pick->id);
}

/* ---- a pick's recipients, read again on every core ----
 * Planning makes each recipient of a group or a country again from its
 * section of recipients.ini (a campaign's 1,000 are 30 M instructions, on
 * the one thread before the letters start): the threads make them and
 * note what planning needs, and planning takes the notes in order as it
 * took the recipients. A recipient whose notes are not enough (it cannot
 * be read, no text is chosen for it: an error to report) is made again in
 * turn and planned as before, so every message is the same. */

/* Below this many recipients one thread does it all. */
enum { ON_CORES = 64 };

struct note {
    bool read;            /* made again; else errors says why */
    bool plain;           /* the notes below stand for the recipient */
    bool admitted;        /* by the pick's countries, or equal to code */
    bool fallback;        /* text is not one of the recipient's languages */
    uint16_t text;        /* the text chosen */
    char country[8];      /* the recipient's country */
    struct errors errors; /* why it was not read */
};

struct noting {
    struct planner *p;
    const struct letter_pick *pick;
    const unsigned *members; /* recipient indexes, or NULL: every recipient */
    const char *code;        /* NULL: the pick's countries admit; else the country equal to it */
    size_t added;
    bool stopped;
};

static size_t member_of(const struct noting *n, size_t i)
{
    return n->members ? n->members[i] : i;
}

/* The text choose_text picks, without its errors: NULL where it reports one. */
static const struct letter_text *chosen_text(const struct letter *letter,
                                             const struct value *languages)
{
    for (size_t i = 0; languages && i < languages->count; i++) {
        const struct letter_text *t = text_in(letter, languages->items[i]->string);
        if (t)
            return t->missing ? NULL : t;
    }
    return letter->fallback ? text_in(letter, letter->fallback) : NULL;
}

/* The notes of a recipient of country and languages. */
static void note_of(const struct noting *n, const char *country, const struct value *languages,
                    struct note *note)
{
    const struct planner *p = n->p;
    const struct letter_text *text = chosen_text(p->letter, languages);
    note->read = true;
    note->plain = text && strlen(country) < sizeof note->country;
    if (note->plain) {
        strcpy(note->country, country);
        note->admitted = n->code ? strcmp(country, n->code) == 0
                                 : !n->pick->countries || codes_match(n->pick->countries, country);
        note->text = (uint16_t)(text - p->letter->texts);
        note->fallback = !codes_has(languages, text->language);
    }
}

/* Notes from what loading noted of the recipient, else from the recipient
 * made again from recipients.ini. */
static void note_one(void *context, size_t i, void *slot)
{
    const struct noting *n = context;
    const struct planner *p = n->p;
    struct note *note = slot;
    const char *country;
    const struct value *languages;
    if (workspace_recipient_brief(p->ws, member_of(n, i), &country, &languages)) {
        note_of(n, country, languages, note);
        return;
    }
    struct arena *arena = arena_new();
    const struct value *r = workspace_recipient(p->ws, p->ws->recipient_ids->keys[member_of(n, i)],
                                                arena, &note->errors);
    if (r)
        note_of(n, string_of(r, "country"), value_map_get(r, "languages"), note);
    arena_free(arena);
}

/* Recipient number index gets a variant from its notes, once (as
 * add_recipient). */
static void add_noted(struct planner *p, size_t index, const struct note *note,
                      const struct letter_pick *pick)
{
    const char *id = p->ws->recipient_ids->keys[index];
    if (planned(p, id))
        return;
    remember(p, id);
    struct campaign *c = p->c;
    if (c->count == p->capacity) {
        p->capacity = p->capacity ? p->capacity * 2 : 16;
        c->rows = xrealloc(c->rows, p->capacity * sizeof *c->rows);
    }
    uint16_t country = (uint16_t)c->country_count;
    for (size_t i = 0; i < c->country_count && country == c->country_count; i++)
        if (strcmp(c->countries[i], note->country) == 0)
            country = (uint16_t)i;
    if (country == c->country_count) {
        if ((c->country_count & (c->country_count - 1)) == 0)
            c->countries = xrealloc(c->countries, (c->country_count ? 2 * c->country_count : 1) *
                                                      sizeof *c->countries);
        c->countries[c->country_count++] = arena_strdup(c->arena, note->country);
    }
    c->rows[c->count++] = (struct campaign_row){
        (uint32_t)index, (uint32_t)(pick - p->letter->picks), note->text, country, note->fallback};
}

static int noted(void *context, size_t i, void *slot)
{
    struct noting *n = context;
    struct planner *p = n->p;
    struct note *note = slot;
    size_t index = member_of(n, i);
    if (note->read && note->plain) {
        if (note->admitted) {
            add_noted(p, index, note, n->pick);
            n->added++;
        }
        return 0;
    }
    errors_clear(&note->errors);
    /* Made again here, so that what is reported is what planning reported. */
    const char *id = p->ws->recipient_ids->keys[index];
    const struct value *recipient = workspace_recipient_next(p->ws, id, &p->scratch, p->errors);
    if (!recipient) {
        n->stopped = true;
        return 1; /* recipients.ini changed: the error says so */
    }
    const char *country = string_of(recipient, "country");
    if (n->code ? strcmp(country, n->code) != 0
                : n->pick->countries && !codes_match(n->pick->countries, country))
        return 0;
    add_recipient(p, index, recipient, n->pick);
    n->added++;
    return 0;
}

static void forget_note(void *context, size_t i, void *slot)
{
    (void)context;
    (void)i;
    errors_clear(&((struct note *)slot)->errors);
}

/* Plans count recipients (members, or every recipient) for pick: those
 * the pick's countries admit, or whose country is code. Returns how many
 * were added, or -1 when one could not be read (the error said why). */
static long add_noting(struct planner *p, const struct letter_pick *pick, const unsigned *members,
                       size_t count, const char *code)
{
    struct noting n = {.p = p, .pick = pick, .members = members, .code = code};
    /* Notes loading made are a few instructions each: no helper thread. */
    const char *country;
    const struct value *languages;
    bool briefed =
        count && workspace_recipient_brief(p->ws, member_of(&n, 0), &country, &languages);
    batch_run(&(struct batch){.count = count,
                              .slot_size = sizeof(struct note),
                              .threads = count < ON_CORES || briefed ? 1 : p->jobs,
                              .work = note_one,
                              .done = noted,
                              .discard = forget_note,
                              .context = &n});
    return n.stopped ? -1 : (long)n.added;
}

static void add_group(struct planner *p, const struct letter_pick *pick)
{
    const struct value *group = value_map_get(p->ws->groups, pick->id);
    if (!group) {
        unknown(p, p->ws->groups, pick, "group");
        return;
    }
    size_t count = 0;
    const unsigned *members = workspace_group_members(p->ws, pick->id, &count);
    long added = add_noting(p, pick, members, count, NULL);
    if (added < 0)
        return;
    if (added == 0 && pick->countries)
        errors_add(p->errors, pick->loc, "group '%s' has no member in the countries given",
                   pick->id);
    else if (added == 0)
        errors_add(p->errors, pick->loc,
                   "group '%s' has no members (recipients join it with "
                   "groups = %s)",
                   pick->id, pick->id);
}

static void add_countries(struct planner *p, const struct letter_pick *pick)
{
    const struct value *all = p->ws->recipient_ids;
    for (size_t k = 0; k < pick->countries->count; k++) {
        const char *code = pick->countries->items[k]->string;
        if (code[0] == '!') {
            errors_add(p->errors, pick->loc,
                       "<countries codes> names the countries to write to: '%s' excludes "
                       "nothing there (write <group ref=\"...\" countries=\"%s\"/>)",
                       code, code);
            continue;
        }
        long added = add_noting(p, pick, NULL, all->count, code);
        if (added < 0)
            return;
        if (added == 0)
            errors_add(p->errors, pick->loc, "no recipient in recipients.ini has country '%s'",
                       code);
    }
}

static void add_pick(struct planner *p, const struct letter_pick *pick)
{
    switch (pick->kind) {
    case LETTER_PICK_RECIPIENT: {
        size_t before = p->errors->count;
        const struct value *recipient =
            workspace_recipient_next(p->ws, pick->id, &p->scratch, p->errors);
        if (recipient)
            add_recipient(p, (size_t)value_map_find(p->ws->recipient_ids, pick->id), recipient,
                          pick);
        else if (p->errors->count == before)
            unknown(p, p->ws->recipient_ids, pick, "recipient");
        break;
    }
    case LETTER_PICK_GROUP:
        add_group(p, pick);
        break;
    case LETTER_PICK_COUNTRIES:
        add_countries(p, pick);
        break;
    }
}

/* ---- narrowing: --only and --lang ---- */

/* The items of a comma-separated list, trimmed, in arena. */
static char **split_list(struct arena *arena, const char *text, size_t *count)
{
    char **items = arena_alloc(arena, (strlen(text) / 2 + 2) * sizeof *items);
    char *copy = arena_strdup(arena, text);
    *count = 0;
    for (char *save = NULL, *s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
        s += strspn(s, " ");
        size_t len = strlen(s);
        while (len && s[len - 1] == ' ')
            s[--len] = '\0';
        if (len)
            items[(*count)++] = s;
    }
    return items;
}

static bool listed(char *const *items, size_t count, const char *s)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(items[i], s) == 0)
            return true;
    return false;
}

/* "en, fr, ru": the languages the variants are in, each once. */
static const char *variant_languages(struct planner *p)
{
    struct buffer b = {0};
    const struct campaign *c = p->c;
    for (size_t i = 0; i < c->count; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = c->rows[k].text == c->rows[i].text;
        if (seen)
            continue;
        buffer_puts(&b, b.len ? ", " : "");
        buffer_puts(&b, campaign_language(c, i));
    }
    const char *s = arena_strdup(c->arena, b.data ? b.data : "");
    buffer_free(&b);
    return s;
}

/* Checks that every item of a --only or --lang list names something the
 * batch has; the items go to *items. false after an error. */
static bool check_filter(struct planner *p, const char *list, bool by_language, char ***items,
                         size_t *count)
{
    struct campaign *c = p->c;
    *items = split_list(c->arena, list, count);
    const char *option = by_language ? "--lang" : "--only";
    if (*count == 0) {
        errors_add_at(p->errors, NULL, 0, 0, "%s needs at least one %s", option,
                      by_language ? "language code" : "recipient id");
        return false;
    }
    const char **have = arena_alloc(c->arena, (c->count + 1) * sizeof *have);
    for (size_t i = 0; i < c->count; i++)
        have[i] = by_language ? campaign_language(c, i) : campaign_recipient(c, i);
    bool ok = true;
    for (size_t k = 0; k < *count; k++) {
        const char *item = (*items)[k];
        if (listed((char *const *)have, c->count, item))
            continue;
        ok = false;
        const char *hint = by_language ? NULL : suggest_closest(item, have, c->count);
        if (by_language && !codes_check_language(item, (struct source_loc){0}, p->errors))
            continue;
        if (by_language)
            errors_add_at(p->errors, NULL, 0, 0,
                          "--lang: no recipient of %s gets the letter in '%s' (it goes out in "
                          "%s)",
                          p->letter->path, item, variant_languages(p));
        else if (hint)
            errors_add_at(p->errors, NULL, 0, 0,
                          "--only: '%s' is not a recipient of %s (did you mean '%s'?)", item,
                          p->letter->path, hint);
        else
            errors_add_at(p->errors, NULL, 0, 0, "--only: '%s' is not a recipient of %s", item,
                          p->letter->path);
    }
    return ok;
}

/* Narrows the batch to the listed recipients and languages (NULL lists
 * keep everything). */
static void narrow(struct planner *p, char **only, size_t only_count, char **languages,
                   size_t language_count)
{
    struct campaign *c = p->c;
    size_t kept = 0;
    for (size_t i = 0; i < c->count; i++) {
        if ((!only || listed(only, only_count, campaign_recipient(c, i))) &&
            (!languages || listed(languages, language_count, campaign_language(c, i))))
            c->rows[kept++] = c->rows[i];
    }
    c->count = kept;
}

struct campaign *campaign_plan(const struct workspace *ws, const struct letter *letter,
                               const struct campaign_filter *filter, struct errors *errors)
{
    struct campaign *c = xcalloc(1, sizeof *c);
    c->arena = arena_new();
    c->ws = ws;
    c->letter = letter;
    struct planner p = {
        .ws = ws, .letter = letter, .c = c, .errors = errors, .jobs = filter ? filter->jobs : 0};
    size_t before = errors->count;
    for (size_t i = 0; i < letter->pick_count; i++)
        add_pick(&p, &letter->picks[i]);
    char **only = NULL, **languages = NULL;
    size_t only_count = 0, language_count = 0;
    bool planned_all = errors->count == before;
    if (planned_all && filter && filter->only)
        check_filter(&p, filter->only, false, &only, &only_count);
    if (planned_all && filter && filter->languages)
        check_filter(&p, filter->languages, true, &languages, &language_count);
    if (errors->count == before)
        narrow(&p, only, only_count, languages, language_count);
    if (errors->count == before && c->count == 0)
        errors_add_at(errors, NULL, 0, 0, "--only and --lang leave no letter of %s to make",
                      letter->path);
    free(p.seen);
    /* Grown by doubling; the batch keeps them for all its letters. */
    if (c->count)
        c->rows = xrealloc(c->rows, c->count * sizeof *c->rows);
    workspace_recipient_scratch_free(&p.scratch);
    if (errors->count == before)
        campaign_check(ws, c, &c->warnings);
    if (filter && filter->strict)
        errors_take(errors, &c->warnings);
    if (errors->count != before) {
        campaign_free(c);
        return NULL;
    }
    return c;
}

struct campaign_variant campaign_variant(const struct campaign *campaign, size_t i)
{
    const struct campaign_row *row = &campaign->rows[i];
    const struct letter_text *text = &campaign->letter->texts[row->text];
    return (struct campaign_variant){campaign_recipient(campaign, i),
                                     campaign->countries[row->country],
                                     text->language,
                                     text,
                                     campaign->letter->picks[row->pick].loc,
                                     row->fallback};
}

const char *campaign_recipient(const struct campaign *campaign, size_t i)
{
    return campaign->ws->recipient_ids->keys[campaign->rows[i].recipient];
}

const char *campaign_language(const struct campaign *campaign, size_t i)
{
    return campaign->letter->texts[campaign->rows[i].text].language;
}

void campaign_letter(const struct campaign *campaign, size_t i, struct letter *out)
{
    const struct campaign_variant v = campaign_variant(campaign, i);
    *out = *campaign->letter;
    out->recipient = (struct letter_ref){v.recipient, v.loc};
    out->language = v.language;
    out->subject = v.text->subject;
    out->facts = v.text->facts;
    out->body = v.text->body;
    out->picks = NULL;
    out->pick_count = 0;
    out->texts = NULL;
    out->text_count = 0;
}

void campaign_name(const struct campaign *campaign, size_t i, char *out, size_t size)
{
    snprintf(out, size, "%s-%s", campaign->letter->name, campaign_recipient(campaign, i));
}

void campaign_free(struct campaign *campaign)
{
    if (!campaign)
        return;
    free(campaign->rows);
    free(campaign->countries);
    errors_clear(&campaign->warnings);
    arena_free(campaign->arena);
    free(campaign);
}
