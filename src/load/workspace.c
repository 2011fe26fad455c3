/* workspace.c — loads a workspace: missive.ini through workspace_settings.c,
 * and the people files of letters/ into value maps, checking every value
 * where it is cheap to do so (numbers, lengths, codes, files, ids), so that
 * mistakes are reported at their line instead of surfacing later in a
 * letter; recipients kept as text are made again when asked for. */
#include "suggest.h"
#include "workspace_internal.h"

#include "image.h"
#include "path.h"

#include "codes.h"
#include "ini.h"
#include "keys.h"
#include "people_csv.h"
#include "people_briefs.h"
#include "people_spans.h"
#include "protocol.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* recipients.ini kept as where each section is: 10,000 recipients' maps
 * took 11 MB, the file's text 1.8 MB, their spans take 0.2
 * (docs/performance.md). Each map is made again from the file when asked
 * for (workspace_recipient). */
struct people_text {
    struct people_spans spans;   /* per item of recipient_ids */
    struct people_briefs briefs; /* per item of recipient_ids, for planning */
    const char **custom;         /* recipients' own fields, each once */
    size_t custom_count;
    bool has_protocol;
    struct value *stub;      /* the item of recipient_ids for each kept as text */
    struct members *members; /* per item of ws->groups */
};

struct members {
    unsigned *items; /* indexes into recipient_ids */
    size_t count, capacity;
};

struct group_pick {
    size_t person; /* in recipient_ids */
    const char *group;
    struct source_loc loc;
};

static const struct ini_key organisation_keys[] = {
    {"name", true},  {"short", true}, {"address", false},
    {"logo", false}, {"key", false},  {"key_passphrase_env", false}};
static const struct ini_key signatory_keys[] = {
    {"name", true},       {"title", true}, {"organisation", true},
    {"signature", false}, {"key", false},  {"key_passphrase_env", false}};
/* salutation is required unless a rank lets the protocol table give it. */
static const struct ini_key recipient_keys[] = {
    {"name", true},    {"title", true},    {"salutation", false}, {"address", false},
    {"country", true}, {"language", true}, {"honorific", false},  {"groups", false},
    {"rank", false},   {"gender", false},  {"closing", false}};
/* [group.NAME] sections of recipients.ini declare the groups recipients
 * join with `groups = NAME, ...`, so a misspelt group is caught. */
static const struct ini_key group_keys[] = {{"name", true}};
#define GROUP_PREFIX "group."

const char *workspace_path(const struct workspace *ws, const char *relative)
{
    const char *root = ws->root;
    if (relative[0] == '/' || root[0] == '\0' || strcmp(root, ".") == 0)
        return arena_strdup(ws->arena, relative);
    size_t len = strlen(root);
    return arena_printf(ws->arena, "%s%s%s", root, root[len - 1] == '/' ? "" : "/", relative);
}

const char *workspace_locale(const struct workspace *ws, const char *language)
{
    const struct value *locale = value_map_get(ws->settings.locales, language);
    return locale ? locale->string : language;
}

/* ---- values: codes, files, lists (numbers and lengths: workspace_settings.c) ---- */

/* ISO codes from ICU's own lists; a code in the wrong case gets the fix. */
void workspace_check_language(struct loader *l, const char *code, struct source_loc loc)
{
    codes_check_language(code, loc, l->errors);
}

static void check_country(struct loader *l, const char *code, struct source_loc loc)
{
    codes_check_country(code, loc, l->errors);
}

/* Whether path may be read as kind (path.h); when not, an error at loc:
 * "WHAT file not found: 'path'NOTE" when it is missing, else the reason
 * the policy gives (outside the workspace, not a regular file). */
bool workspace_usable_file(struct loader *l, const char *path, enum path_kind kind,
                           struct source_loc loc, const char *what, const char *note)
{
    char reason[512];
    int rc = path_check(path, kind, reason, sizeof reason);
    if (rc == PATH_FAILED)
        errors_add(l->errors, loc, "%s file not found: '%s'%s", what, path, note);
    else if (rc == PATH_REFUSED)
        errors_add(l->errors, loc, "%s", reason);
    return rc == 0;
}

/* The path of a PNG named in a people file, joined to the root. */
static const char *image_path(struct loader *l, const struct ini_entry *e)
{
    const char *path = workspace_path(l->ws, e->value);
    char reason[512];
    /* Its header checked here, its pixels by the letters that use it
     * (pdf_check); either way a broken image is reported where it is
     * named. */
    if (workspace_usable_file(l, path, PATH_IMAGE, e->value_loc, "image", "")) {
        if (image_check_png_header(path, reason, sizeof reason))
            errors_add(l->errors, e->value_loc, "%s", reason);
        else
            image_name_at(path, e->value_loc);
    }
    return path;
}

/* Splits a " | "-separated value into a list of trimmed lines. */
struct value *workspace_split_lines(struct loader *l, const struct ini_entry *e, char separator)
{
    struct value *list = value_list(l->arena, e->value_loc);
    const char *s = e->value;
    size_t items = 1;
    for (const char *p = strchr(s, separator); p; p = strchr(p + 1, separator))
        items++;
    value_reserve(l->arena, list, items);
    for (;;) {
        const char *end = strchr(s, separator);
        if (!end)
            end = s + strlen(s);
        const char *a = s, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        struct source_loc loc = ini_loc_at(e->value_loc, e->value, (size_t)(a - e->value));
        if (a == b)
            errors_add(l->errors, loc, "empty item in '%s' (items are separated by '%c')", e->key,
                       separator);
        else
            value_list_push(
                l->arena, list,
                value_string_kept(l->arena, arena_strndup(l->arena, a, (size_t)(b - a)), loc));
        if (!*end)
            return list;
        s = end + 1;
    }
}

/* ---- people files ---- */

enum people { ORGANISATIONS, SIGNATORIES, RECIPIENTS };

static const struct {
    const struct ini_key *keys;
    size_t count;
} schema[] = {{organisation_keys, COUNT(organisation_keys)},
              {signatory_keys, COUNT(signatory_keys)},
              {recipient_keys, COUNT(recipient_keys)}};

/* A recipient's `language`: one or more codes separated by commas, in the
 * order they prefer; a campaign writes to them in the first one the
 * letter has. Templates see the first as `language`, all as `languages`. */
static void recipient_languages(struct loader *l, const struct ini_entry *e, struct value *map)
{
    struct value *list = workspace_split_lines(l, e, ',');
    for (size_t i = 0; i < list->count; i++)
        workspace_check_language(l, list->items[i]->string, list->items[i]->loc);
    value_map_set_kept(l->tmp, map, "language",
                       list->count ? list->items[0]
                                   : value_string(l->arena, e->value, e->value_loc));
    value_map_set_kept(l->tmp, map, "languages", list);
}

/* The one kept copy of a people file's key (the file itself is read into
 * a scratch arena): 100,000 recipients share a dozen keys. */
static const char *kept_key(struct loader *l, const char *key)
{
    struct arena *a = l->ws->arena; /* not l->arena, which may be scratch */
    if (!l->keys)
        l->keys = value_map(a, (struct source_loc){0});
    const struct value *known = value_map_get(l->keys, key);
    if (known)
        return known->string;
    const char *copy = arena_strdup(a, key);
    value_map_set_kept(a, l->keys, copy, value_string_kept(a, copy, l->keys->loc));
    return copy;
}

/* Text keys a workspace may translate: `title-fr = Secrétaire général de
 * l’ICEM` is the title in letters in French (merge picks it). */
static const char *const translatable[] = {"name",       "short",     "address", "title",
                                           "salutation", "honorific", "closing"};

/* The length of KEY when key is KEY-LANG for a translatable KEY, else 0. */
static size_t translation_of(const char *key, enum people kind)
{
    const char *dash = strrchr(key, '-');
    if (!dash || !dash[1])
        return 0;
    size_t len = (size_t)(dash - key);
    for (size_t i = 0; i < COUNT(translatable); i++)
        if (strlen(translatable[i]) == len && strncmp(translatable[i], key, len) == 0 &&
            (kind == RECIPIENTS || i < 4))
            return len;
    return 0;
}

/* A recipient's key that is neither known nor a translation is a field of
 * the workspace's own (`fax`, `embassy_city`) that templates may use,
 * unless it is so close to a known key that it is surely a typo. */
static bool custom_key(struct loader *l, const char *key, const struct ini_key *keys, size_t count)
{
    const char *names[16];
    for (size_t k = 0; k < count && k < COUNT(names); k++) {
        names[k] = keys[k].name;
        if (strcmp(key, names[k]) == 0)
            return false;
    }
    if (suggest_closest(key, names, count < COUNT(names) ? count : COUNT(names)))
        return false;
    for (size_t i = 0; i < l->custom_count; i++)
        if (strcmp(l->custom[i], key) == 0)
            return true;
    size_t capacity = l->custom_count;
    l->custom = arena_grow(l->ws->arena, l->custom, l->custom_count, &capacity, sizeof *l->custom);
    l->custom[l->custom_count++] = kept_key(l, key);
    return true;
}

/* ini_check_keys, with translations (their language checked) and a
 * recipient's own fields set aside. */
static void check_keys(struct loader *l, const struct ini_section *sec, enum people kind,
                       const struct ini_key *keys, size_t count)
{
    struct ini_section plain = *sec;
    /* Scratch, reused for every section: only the check reads it. */
    if (l->plain_capacity < sec->count + 1) {
        l->plain_capacity = 2 * (sec->count + 1);
        l->plain = xrealloc(l->plain, l->plain_capacity * sizeof *l->plain);
    }
    plain.entries = l->plain;
    plain.count = 0;
    for (size_t i = 0; i < sec->count; i++) {
        const struct ini_entry *e = &sec->entries[i];
        size_t len = translation_of(e->key, kind);
        if (len)
            workspace_check_language(l, e->key + len + 1, ini_loc_at(e->loc, e->key, len + 1));
        else if (kind != RECIPIENTS || !custom_key(l, e->key, keys, count))
            plain.entries[plain.count++] = *e;
        else if (!e->value[0])
            errors_add(l->errors, e->value_loc, "empty value for '%s' (leave the key out instead)",
                       e->key);
    }
    ini_check_keys(&plain, keys, count, l->errors);
}

/* Every recipient has every field any recipient has, empty when not
 * given, so `<if test="recipient.fax">` works for all of them. */
static void fill_custom(struct loader *l, struct value *all)
{
    for (size_t i = 0; i < all->count; i++)
        for (size_t k = 0; all->items[i] != l->text->stub && k < l->custom_count; k++)
            if (!value_map_get(all->items[i], l->custom[k]))
                value_map_set_kept(l->arena, all->items[i], l->custom[k],
                                   value_string_kept(l->arena, "", all->items[i]->loc));
}

/* A rank must be one of the protocol table's, and the table must exist. */
static void check_rank(struct loader *l, const struct ini_entry *e)
{
    size_t k = 0;
    while (k < protocol_rank_count && strcmp(protocol_ranks[k], e->value) != 0)
        k++;
    if (k == protocol_rank_count) {
        const char *hint = suggest_closest(e->value, protocol_ranks, protocol_rank_count);
        if (hint)
            errors_add(l->errors, e->value_loc, "unknown rank '%s' (did you mean '%s'?)", e->value,
                       hint);
        else
            errors_add(l->errors, e->value_loc,
                       "unknown rank '%s' (expected head-of-state, head-of-government, "
                       "minister, ambassador, employer or union)",
                       e->value);
    } else if (!l->has_protocol) {
        errors_add(l->errors, e->value_loc,
                   "rank '%s' needs the protocol table templates/protocol.ini, which this "
                   "workspace lacks",
                   e->value);
    }
}

/* How many keys a person's map will hold: the section's, `languages`
 * beside `language`, and the optional keys it leaves out. */
static size_t map_size(const struct ini_section *sec, enum people kind)
{
    size_t n = sec->count + (kind == RECIPIENTS && ini_entry(sec, "language") ? 1 : 0);
    for (size_t k = 0; k < schema[kind].count; k++)
        if (!schema[kind].keys[k].required && !ini_entry(sec, schema[kind].keys[k].name))
            n++;
    return n;
}

/* The section as a map, each string copied once out of the scratch arena
 * the file was read into; the map itself is built in l->tmp. */
static struct value *section_map(struct loader *l, const struct ini_section *sec, enum people kind)
{
    struct value *map = value_map(l->tmp, sec->loc);
    value_reserve(l->tmp, map, map_size(sec, kind));
    for (size_t i = 0; i < sec->count; i++) {
        const struct ini_entry *e = &sec->entries[i];
        struct value *v;
        bool lines = strcmp(e->key, "address") == 0 ||
                     (strncmp(e->key, "address-", 8) == 0 && translation_of(e->key, kind));
        /* A recipient's language and groups become lists below. */
        bool listed = kind == RECIPIENTS && e->value[0] &&
                      (strcmp(e->key, "language") == 0 || strcmp(e->key, "groups") == 0);
        if (listed)
            v = NULL;
        else if (e->value[0] && lines)
            v = workspace_split_lines(l, e, '|');
        else if (e->value[0] && (strcmp(e->key, "logo") == 0 || strcmp(e->key, "signature") == 0))
            v = value_string_kept(l->arena, image_path(l, e), e->value_loc);
        else if (e->value[0] && strcmp(e->key, "key") == 0)
            v = value_string_kept(l->arena, keys_path(l->ws, e, l->errors), e->value_loc);
        else
            v = value_string(l->arena, e->value, e->value_loc);
        if (kind == RECIPIENTS && e->value[0] && strcmp(e->key, "country") == 0)
            check_country(l, e->value, e->value_loc);
        if (kind == RECIPIENTS && e->value[0] && strcmp(e->key, "language") == 0) {
            recipient_languages(l, e, map);
            continue;
        }
        if (kind == RECIPIENTS && e->value[0] && strcmp(e->key, "groups") == 0)
            v = workspace_split_lines(l, e, ',');
        if (kind == RECIPIENTS && e->value[0] && strcmp(e->key, "rank") == 0)
            check_rank(l, e);
        if (kind == RECIPIENTS && e->value[0] && strcmp(e->key, "gender") == 0 &&
            strcmp(e->value, "f") != 0 && strcmp(e->value, "m") != 0)
            errors_add(l->errors, e->value_loc, "unknown gender '%s' (expected f or m)", e->value);
        value_map_set_kept(l->tmp, map, kept_key(l, e->key), v);
    }
    return map;
}

/* Optional keys left out are present but empty (address an empty list), so
 * templates can test or loop over them without naming a missing value. */
static void fill_optional(struct loader *l, struct value *map, const struct ini_key *keys,
                          size_t count)
{
    /* One empty string and one empty list per person stand for all its
     * missing keys: nothing changes a loaded person's values. */
    struct value *string = NULL, *list = NULL;
    for (size_t k = 0; k < count; k++) {
        if (keys[k].required || value_map_get(map, keys[k].name))
            continue;
        bool is_list = strcmp(keys[k].name, "address") == 0 || strcmp(keys[k].name, "groups") == 0;
        struct value **empty = is_list ? &list : &string;
        if (!*empty)
            *empty = is_list ? value_list(l->arena, map->loc)
                             : value_string_kept(l->arena, "", map->loc);
        value_map_set_kept(l->tmp, map, keys[k].name, *empty);
    }
}

/* [group.NAME]: the group's map (id, name, members) under NAME. */
static void load_group(struct loader *l, const struct ini_section *sec)
{
    const char *id = sec->name + strlen(GROUP_PREFIX);
    if (!*id) {
        errors_add(l->errors, sec->loc, "missing group name after '%s' in [%s]", GROUP_PREFIX,
                   sec->name);
        return;
    }
    ini_check_keys(sec, group_keys, COUNT(group_keys), l->errors);
    const struct ini_entry *name = ini_entry(sec, "name");
    struct value *group = value_map(l->arena, sec->loc);
    value_map_set(l->arena, group, "id", value_string(l->arena, id, sec->loc));
    value_map_set(
        l->arena, group, "name",
        value_string(l->arena, name ? name->value : "", name ? name->value_loc : sec->loc));
    value_map_set(l->arena, l->ws->groups, id, group);
}

/* Remembers the groups recipient number person names (its map may be in
 * scratch), for collect_group_members. */
static void pick_groups(struct loader *l, const struct value *person, size_t index)
{
    const struct value *named = value_map_get(person, "groups");
    for (size_t k = 0; named && k < named->count; k++) {
        if (l->pick_count == l->pick_capacity) {
            l->pick_capacity = l->pick_capacity ? 2 * l->pick_capacity : 256;
            l->picks = xrealloc(l->picks, l->pick_capacity * sizeof *l->picks);
        }
        if (!l->picks_arena)
            l->picks_arena = arena_new();
        const struct value *g = named->items[k];
        l->picks[l->pick_count++] =
            (struct group_pick){index, arena_strdup(l->picks_arena, g->string), g->loc};
    }
}

/* What planning needs of a recipient just made (people_briefs.h). */
static void note_brief(struct loader *l, const struct value *person)
{
    const struct value *country = value_map_get(person, "country");
    people_briefs_add(&l->text->briefs, l->ws->arena,
                      country && country->kind == VALUE_STRING ? country->string : "",
                      value_map_get(person, "languages"));
}

/* The people of one file (INI, or a CSV read as INI sections) into all;
 * an id another file has already is an error. */
static void add_person(struct loader *l, const struct ini_section *sec, enum people kind,
                       struct value *all)
{
    if (kind == RECIPIENTS && strncmp(sec->name, GROUP_PREFIX, strlen(GROUP_PREFIX)) == 0) {
        load_group(l, sec);
        return;
    }
    long at = value_map_find(all, sec->name);
    if (at >= 0) {
        struct source_loc known = all->items[at]->loc;
        if (kind == RECIPIENTS && all->items[at] == l->text->stub)
            known = (struct source_loc){l->text->spans.path, l->text->spans.items[at].line, 1};
        errors_add(l->errors, sec->loc, "id '%s' is already used at %s:%d", sec->name, known.file,
                   known.line);
        return;
    }
    check_keys(l, sec, kind, schema[kind].keys, schema[kind].count);
    if (kind == RECIPIENTS && !ini_entry(sec, "salutation") && !ini_entry(sec, "rank"))
        errors_add(l->errors, sec->loc, "missing key 'salutation' in [%s]", sec->name);
    if (!l->tmp || ++l->tmp_maps % 1024 == 0) {
        arena_free(l->tmp);
        l->tmp = arena_new();
    }
    /* A recipient kept as text is made in scratch only to be checked. Its
     * span is kept in 32 bits: past 4 GiB (people_mb allows 64 GB) it keeps
     * its map instead. */
    bool lazy = kind == RECIPIENTS && l->lazy && sec->end <= UINT32_MAX;
    struct arena *arena = l->arena;
    if (lazy)
        l->arena = l->tmp;
    struct value *built = section_map(l, sec, kind);
    fill_optional(l, built, schema[kind].keys, schema[kind].count);
    l->arena = arena;
    if (kind == RECIPIENTS) {
        pick_groups(l, built, all->count);
        note_brief(l, built);
    }
    if (lazy) {
        value_map_set_kept(l->grow, all, arena_strdup(l->arena, sec->name), l->text->stub);
        people_spans_add(&l->text->spans, (struct people_span){(uint32_t)sec->start,
                                                               (uint32_t)sec->end, sec->loc.line});
        return;
    }
    /* Packed to its size; people written alike (most are) share one array
     * of keys. */
    struct value *map =
        value_map_pack(l->arena, built, all->count ? all->items[all->count - 1] : NULL);
    value_map_set_kept(l->grow, all, arena_strdup(l->arena, sec->name), map);
    if (kind == RECIPIENTS)
        people_spans_add(&l->text->spans, (struct people_span){0, 0, 0});
}

/* The people of one file read whole (a CSV read as INI sections) into all. */
static void add_people(struct loader *l, const struct ini_file *ini, enum people kind,
                       struct value *all)
{
    for (size_t i = 0; i < ini->count; i++)
        add_person(l, &ini->sections[i], kind, all);
}

/* One people file being scanned, section by section. */
struct people_scan {
    struct loader *l;
    enum people kind;
    struct value *all;
    struct errors later; /* the people's own mistakes, told after the file's */
};

static void scanned_person(void *context, const struct ini_section *sec)
{
    struct people_scan *p = context;
    struct errors *errors = p->l->errors;
    p->l->errors = &p->later;
    add_person(p->l, sec, p->kind, p->all);
    p->l->errors = errors;
}

static struct value *load_people(struct loader *l, const char *relative, enum people kind)
{
    static const char *const kinds[] = {"organisations", "signatories", "recipients"};
    const char *path = workspace_path(l->ws, relative);
    /* The map grows in its own arena and is packed to its size at the end:
     * the copies doubling leaves behind were half a MB at 10,000 people. */
    l->grow = arena_new();
    struct value *all = value_map(l->grow, (struct source_loc){path, 0, 0});
    if (kind == RECIPIENTS)
        l->ws->groups = value_map(l->arena, all->loc);
    /* Each person is made as its section is read, and keeps only its map
     * and strings; the file's text and sections are gone after loading
     * (docs/performance.md). A file with a syntax error gets no people
     * checks: those would only repeat it. */
    struct arena *scratch = arena_new();
    struct people_scan scan = {.l = l, .kind = kind, .all = all};
    bool read;
    char *text = NULL;
    if (kind == RECIPIENTS) {
        /* Recipients are kept as where they are (struct people_text). */
        struct people_text *t = l->text;
        t->spans.path = path;
        t->stub = value_map(l->arena, all->loc);
        size_t len = 0;
        l->lazy = true;
        read = ini_scan_people_text(scratch, path, scanned_person, &scan, &text, &len, &t->spans.fd,
                                    l->errors);
        l->lazy = false;
    } else {
        read = ini_scan_people(scratch, path, scanned_person, &scan, l->errors);
    }
    if (read)
        errors_take(l->errors, &scan.later);
    errors_clear(&scan.later);
    if (!read) {
        free(text);
        arena_free(scratch);
        arena_free(l->grow);
        return NULL;
    }
    for (size_t i = 0; i < l->source_count; i++) {
        const struct people_csv_source *source = &l->sources[i];
        if (strcmp(source->people, kinds[kind]) != 0)
            continue;
        const char *csv = workspace_path(l->ws, source->file);
        const struct ini_file *rows = people_csv_load(scratch, source, csv, l->errors);
        if (rows)
            add_people(l, rows, kind, all);
    }
    arena_free(scratch);
    if (kind == RECIPIENTS) {
        people_spans_seal(&l->text->spans, text);
        fill_custom(l, all);
    }
    free(text);
    struct value *packed = value_map_pack(l->arena, all, NULL);
    arena_free(l->grow);
    l->grow = NULL;
    return packed;
}

/* Each group a recipient names must be declared; members are listed in
 * the order recipients.ini lists them. */
static void collect_group_members(struct loader *l)
{
    const struct value *people = l->ws->recipient_ids, *groups = l->ws->groups;
    if (!people)
        return;
    struct people_text *t = l->text;
    t->members = xcalloc(groups->count + 1, sizeof *t->members);
    for (size_t i = 0; i < l->pick_count; i++) {
        const struct group_pick *g = &l->picks[i];
        long at = value_map_find(groups, g->group);
        if (at >= 0) {
            struct members *m = &t->members[at];
            if (m->count == m->capacity) {
                m->capacity = m->capacity ? 2 * m->capacity : 16;
                m->items = xrealloc(m->items, m->capacity * sizeof *m->items);
            }
            m->items[m->count++] = (unsigned)g->person;
            continue;
        }
        const char *hint = suggest_closest(g->group, groups->keys, groups->count);
        if (hint)
            errors_add(l->errors, g->loc, "unknown group '%s' (did you mean '%s'?)", g->group,
                       hint);
        else
            errors_add(l->errors, g->loc,
                       "unknown group '%s' (declare it with a [group.%s] section)", g->group,
                       g->group);
    }
}

/* A signatory's organisation must exist: reported at the value. */
static void check_signatory_organisations(struct loader *l)
{
    const struct value *orgs = l->ws->organisations, *people = l->ws->signatories;
    for (size_t i = 0; orgs && people && i < people->count; i++) {
        const struct value *org = value_map_get(people->items[i], "organisation");
        if (!org || org->string[0] == '\0' || value_map_get(orgs, org->string))
            continue;
        const char *hint = suggest_closest(org->string, orgs->keys, orgs->count);
        if (hint)
            errors_add(l->errors, org->loc, "unknown organisation '%s' (did you mean '%s'?)",
                       org->string, hint);
        else
            errors_add(l->errors, org->loc, "unknown organisation '%s' (not in %s)", org->string,
                       orgs->loc.file);
    }
}

struct workspace *workspace_load(const char *root, struct errors *errors)
{
    struct arena *arena = arena_new();
    struct workspace *ws = arena_alloc(arena, sizeof *ws);
    ws->arena = arena;
    ws->root = arena_strdup(arena, root);
    struct loader l = {.ws = ws, .arena = arena, .errors = errors};
    size_t before = errors->count;
    const char *settings = workspace_path(ws, "missive.ini");
    if (access(settings, F_OK) != 0) {
        errors_add_at(errors, NULL, 0, 0, "no missive.ini in '%s': not a missive workspace", root);
        arena_free(arena);
        return NULL;
    }
    /* Until missive.ini says otherwise: the workspace and the defaults. */
    path_policy_set(root, NULL, 0, NULL);
    /* Every file is read even after a failure, to report all mistakes. */
    struct ini_file *ini = ini_load(arena, settings, INI_CROSS_CHECK, errors);
    if (ini)
        workspace_settings_load(&l, ini);
    ws->protocol =
        protocol_load(arena, workspace_path(ws, "templates/protocol.ini"), &l.has_protocol, errors);
    ws->organisations = load_people(&l, "letters/organisations.ini", ORGANISATIONS);
    ws->signatories = load_people(&l, "letters/signatories.ini", SIGNATORIES);
    l.text = ws->recipient_text = arena_alloc(arena, sizeof *ws->recipient_text);
    *l.text = (struct people_text){.spans.fd = -1};
    ws->recipient_ids = load_people(&l, "letters/recipients.ini", RECIPIENTS);
    check_signatory_organisations(&l);
    collect_group_members(&l);
    ws->sources = l.sources;
    ws->source_count = l.source_count;
    l.text->custom = l.custom;
    l.text->custom_count = l.custom_count;
    l.text->has_protocol = l.has_protocol;
    free(l.plain);
    free(l.picks);
    arena_free(l.picks_arena);
    arena_free(l.tmp);
    if (errors->count != before) {
        workspace_free(ws);
        return NULL;
    }
    return ws;
}

void workspace_free(struct workspace *ws)
{
    if (!ws)
        return;
    struct people_text *t = ws->recipient_text;
    if (t) {
        people_spans_free(&t->spans);
        people_briefs_free(&t->briefs);
        for (size_t i = 0; t->members && ws->groups && i < ws->groups->count; i++)
            free(t->members[i].items);
        free(t->members);
    }
    arena_free(ws->arena);
}

/* ---- recipients made again from their text ---- */

struct remaking {
    struct loader l;
    struct value *map;
};

static void remade(void *context, const struct ini_section *sec)
{
    struct remaking *r = context;
    struct loader *l = &r->l;
    if (r->map)
        return;
    struct value *map = section_map(l, sec, RECIPIENTS);
    fill_optional(l, map, schema[RECIPIENTS].keys, schema[RECIPIENTS].count);
    for (size_t k = 0; k < l->custom_count; k++)
        if (!value_map_get(map, l->custom[k]))
            value_map_set_kept(l->arena, map, l->custom[k],
                               value_string_kept(l->arena, "", map->loc));
    r->map = map;
}

struct value *workspace_recipient_at(const struct workspace *ws, size_t i, struct arena *arena,
                                     struct errors *errors)
{
    const struct people_text *t = ws->recipient_text;
    struct value *item = ws->recipient_ids->items[i];
    if (item != t->stub)
        return item;
    /* What loading checked is only made again: its messages are dropped,
     * and paths are joined in arena (the workspace's is not touched, so
     * threads may do this at once). */
    struct workspace view = *ws;
    view.arena = arena;
    struct errors ignored = {0};
    struct remaking r = {.l = {.ws = &view,
                               .arena = arena,
                               .tmp = arena,
                               .errors = &ignored,
                               .custom = t->custom,
                               .custom_count = t->custom_count,
                               .has_protocol = t->has_protocol}};
    size_t len = 0;
    const char *text = people_spans_read(&t->spans, i, arena, &len, errors);
    if (!text)
        return NULL;
    ini_scan_range(arena, t->spans.path, text, 0, len, t->spans.items[i].line, remade, &r,
                   &ignored);
    errors_clear(&ignored);
    return r.map;
}

bool workspace_recipient_brief(const struct workspace *ws, size_t i, const char **country,
                               const struct value **languages)
{
    const struct people_text *t = ws->recipient_text;
    return t && ws->recipient_ids && t->briefs.count == ws->recipient_ids->count &&
           people_briefs_get(&t->briefs, i, country, languages);
}

struct value *workspace_recipient(const struct workspace *ws, const char *id, struct arena *arena,
                                  struct errors *errors)
{
    long i = ws->recipient_ids ? value_map_find(ws->recipient_ids, id) : -1;
    return i < 0 ? NULL : workspace_recipient_at(ws, (size_t)i, arena, errors);
}

const struct value *workspace_recipient_next(const struct workspace *ws, const char *id,
                                             struct recipient_scratch *s, struct errors *errors)
{
    if (!s->arena || ++s->made % 256 == 0) {
        arena_free(s->arena);
        s->arena = arena_new();
    }
    return workspace_recipient(ws, id, s->arena, errors);
}

void workspace_recipient_scratch_free(struct recipient_scratch *s)
{
    arena_free(s->arena);
    s->arena = NULL;
}

const unsigned *workspace_group_members(const struct workspace *ws, const char *name, size_t *count)
{
    long at = ws->groups ? value_map_find(ws->groups, name) : -1;
    if (at < 0 || !ws->recipient_text->members) {
        *count = 0;
        return NULL;
    }
    const struct members *m = &ws->recipient_text->members[at];
    *count = m->count;
    return m->items ? m->items : (const unsigned *)"";
}
