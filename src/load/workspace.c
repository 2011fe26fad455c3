/* workspace.c — loads missive.ini into settings and the people files of
 * letters/ into value maps, checking every value where it is cheap to do
 * so (numbers, lengths, codes, files, ids), so that mistakes are reported
 * at their line instead of surfacing later in a letter. */
#include "suggest.h"
#include "workspace.h"

#include "datadir.h"
#include "image.h"
#include "path.h"

#include "codes.h"
#include "ini.h"
#include "keys.h"
#include "people_csv.h"
#include "people_spans.h"
#include "protocol.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MM (72 / 25.4) /* points per millimetre */

struct loader {
    struct workspace *ws;
    struct arena *arena;
    struct errors *errors;
    struct people_csv_source *sources; /* [source.NAME] sections */
    size_t source_count;
    const char **custom; /* recipients' own fields, each once */
    size_t custom_count;
    bool has_protocol;       /* templates/protocol.ini exists */
    struct ini_entry *plain; /* check_keys' scratch */
    size_t plain_capacity;
    struct value *keys; /* people files' keys, one copy each (key -> the copy) */
    struct arena *tmp;  /* people's maps while they are built (packed after) */
    struct arena *grow; /* a file's map of people while it grows (packed after) */
    size_t tmp_maps;
    /* recipients.ini being read: its people are kept as text (lazy). */
    struct people_text *text;
    bool lazy;
    /* The groups each recipient names, in order, for collect_group_members. */
    struct arena *picks_arena;
    struct group_pick *picks;
    size_t pick_count, pick_capacity;
};

/* recipients.ini kept as where each section is: 10,000 recipients' maps
 * took 11 MB, the file's text 1.8 MB, their spans take 0.2
 * (docs/performance.md). Each map is made again from the file when asked
 * for (workspace_recipient). */
struct people_text {
    struct people_spans spans; /* per item of recipient_ids */
    const char **custom;       /* recipients' own fields, each once */
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

static const char *const settings_sections[] = {
    "missive", "paper", "fonts",  "text",    "output",      "locales",  "reference", "archive",
    "layout",  "paths", "limits", "signing", "passphrases", "register", "mail"};
static const struct ini_key missive_keys[] = {
    {"organisation", true}, {"language", false}, {"office", false}};
static const struct ini_key paper_keys[] = {{"size", false},
                                            {"margin_top", false},
                                            {"margin_bottom", false},
                                            {"margin_left", false},
                                            {"margin_right", false}};
static const struct ini_key font_keys[] = {
    {"regular", false},       {"italic", false},
    {"bold", false},          {"bold_italic", false},
    {"fallback", false},      {"size", false},
    {"leading", false},       {"fallback_italic", false},
    {"fallback_bold", false}, {"fallback_bold_italic", false}};
static const struct ini_key text_keys[] = {{"width", false}};
static const struct ini_key output_keys[] = {{"folder", false}};
static const struct ini_key reference_keys[] = {
    {"pattern", false}, {"scope", false}, {"series", false}};
static const struct ini_key archive_keys[] = {{"folder", false}};
static const struct ini_key layout_keys[] = {
    {"align", false}, {"window", false}, {"marks", false}, {"measure", false}};
static const struct ini_key paths_keys[] = {{"allow", false}};
static const struct ini_key limits_keys[] = {
    {"file_mb", false},  {"signers_mb", false}, {"people_mb", false},     {"binary_mb", false},
    {"value_kb", false}, {"word_bytes", false}, {"template_nodes", false}};
static const struct ini_key signing_keys[] = {
    {"trust", false}, {"tsa", false}, {"tsa_timeout", false}, {"register_key", false}};
static const struct ini_key register_keys[] = {{"url", false}, {"lock_timeout", false}};
static const struct ini_key mail_keys[] = {{"from", false}, {"reply_to", false}};

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

/* ---- values: codes, numbers, lengths, files ---- */

static bool all_chars(const char *s, const char *lo, const char *hi)
{
    for (; *s; s++)
        if (!strchr(lo, *s) && !strchr(hi, *s))
            return false;
    return true;
}

/* ISO codes from ICU's own lists; a code in the wrong case gets the fix. */
static void check_language(struct loader *l, const char *code, struct source_loc loc)
{
    codes_check_language(code, loc, l->errors);
}

static void check_country(struct loader *l, const char *code, struct source_loc loc)
{
    codes_check_country(code, loc, l->errors);
}

/* A plain decimal number ("25", "2.5"): no sign, no exponent, and no
 * locale-dependent strtod. Returns the end, or NULL when there is none. */
static const char *parse_decimal(const char *s, double *out)
{
    double v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (*p - '0');
    if (p == s)
        return NULL;
    if (*p == '.') {
        const char *frac = ++p;
        double scale = 1;
        for (; *p >= '0' && *p <= '9'; p++)
            v += (*p - '0') * (scale /= 10);
        if (p == frac)
            return NULL;
    }
    *out = v;
    return p;
}

/* Parses a length into points; unit_required false lets a bare number
 * mean points. */
static bool parse_length(const char *s, bool unit_required, double *points)
{
    static const struct {
        const char *unit;
        double points;
    } units[] = {{"mm", MM}, {"cm", 10 * MM}, {"in", 72}, {"pt", 1}};
    double v;
    const char *p = parse_decimal(s, &v);
    if (!p)
        return false;
    while (*p == ' ')
        p++;
    if (*p == '\0' && !unit_required) {
        *points = v;
        return true;
    }
    for (size_t i = 0; i < COUNT(units); i++) {
        if (strcmp(p, units[i].unit) == 0) {
            *points = v * units[i].points;
            return true;
        }
    }
    return false;
}

/* Whether path may be read as kind (path.h); when not, an error at loc:
 * "WHAT file not found: 'path'NOTE" when it is missing, else the reason
 * the policy gives (outside the workspace, not a regular file). */
static bool usable_file(struct loader *l, const char *path, enum path_kind kind,
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
    if (usable_file(l, path, PATH_IMAGE, e->value_loc, "image", "")) {
        if (image_check_png_header(path, reason, sizeof reason))
            errors_add(l->errors, e->value_loc, "%s", reason);
        else
            image_name_at(path, e->value_loc);
    }
    return path;
}

/* Splits a " | "-separated value into a list of trimmed lines. */
static struct value *split_lines(struct loader *l, const struct ini_entry *e, char separator)
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

/* ---- missive.ini ---- */

/* The entry of section.key; NULL when absent or empty (ini_check_keys has
 * reported an empty one already: the default stands in). */
static const struct ini_entry *setting(const struct ini_file *ini, const char *section,
                                       const char *key)
{
    const struct ini_section *s = ini_section(ini, section);
    const struct ini_entry *e = s ? ini_entry(s, key) : NULL;
    return e && e->value[0] ? e : NULL;
}

/* [mail]: the sender of `render --eml`'s messages, checked where used. */
static void load_mail(const struct ini_file *ini, struct settings *s)
{
    const struct ini_entry *from = setting(ini, "mail", "from");
    const struct ini_entry *reply = setting(ini, "mail", "reply_to");
    struct source_loc file = {ini->path, 0, 0};
    s->mail =
        (struct mail_settings){from ? from->value : NULL, reply ? reply->value : NULL,
                               from ? from->value_loc : file, reply ? reply->value_loc : file};
}

static void load_paper(struct loader *l, const struct ini_file *ini, struct page_settings *page)
{
    const struct ini_entry *size = setting(ini, "paper", "size");
    *page = (struct page_settings){.paper = "A4",
                                   .width = 210 * MM,
                                   .height = 297 * MM,
                                   .margin_top = 20 * MM,
                                   .margin_bottom = 20 * MM,
                                   .margin_left = 25 * MM,
                                   .margin_right = 20 * MM};
    if (size && strcmp(size->value, "Letter") == 0)
        *page = (struct page_settings){.paper = "Letter",
                                       .width = 612,
                                       .height = 792,
                                       .margin_top = 72,
                                       .margin_bottom = 72,
                                       .margin_left = 72,
                                       .margin_right = 72};
    else if (size && strcmp(size->value, "A4") != 0)
        errors_add(l->errors, size->value_loc, "unknown paper size '%s' (expected A4 or Letter)",
                   size->value);
    const struct {
        const char *key;
        double *field;
    } margins[] = {{"margin_top", &page->margin_top},
                   {"margin_bottom", &page->margin_bottom},
                   {"margin_left", &page->margin_left},
                   {"margin_right", &page->margin_right}};
    for (size_t i = 0; i < COUNT(margins); i++) {
        const struct ini_entry *e = setting(ini, "paper", margins[i].key);
        double *field = margins[i].field;
        if (e && !parse_length(e->value, true, field))
            errors_add(l->errors, e->value_loc,
                       "invalid length '%s' for '%s' (expected a number and a unit: mm, cm, in "
                       "or pt, e.g. 25mm)",
                       e->value, e->key);
    }
    /* An inch of text at least, or layout has nothing to work with. */
    const struct ini_section *sec = ini_section(ini, "paper");
    if (sec && (page->margin_left + page->margin_right > page->width - 72 ||
                page->margin_top + page->margin_bottom > page->height - 72))
        errors_add(l->errors, sec->loc, "the margins leave less than 1in for text on %s paper",
                   page->paper);
}

/* Remembers where missive.ini names a font file: the font module reports
 * a file it cannot use there, when it opens the fonts. */
static void add_font_origin(struct loader *l, const char *path, struct source_loc loc)
{
    struct font_settings *f = &l->ws->settings.fonts;
    struct font_origin *o = arena_alloc(l->arena, (f->origin_count + 1) * sizeof *o);
    if (f->origin_count)
        memcpy(o, f->origins, f->origin_count * sizeof *o);
    o[f->origin_count++] = (struct font_origin){path, loc};
    f->origins = o;
}

static void load_font_file(struct loader *l, const struct ini_file *ini, const char *key,
                           const char *fallback, const char **out)
{
    const struct ini_entry *e = setting(ini, "fonts", key);
    *out = workspace_path(l->ws, e ? e->value : fallback);
    if (e) {
        add_font_origin(l, *out, e->value_loc);
        usable_file(l, *out, PATH_FONT, e->value_loc, "font", "");
        return;
    }
    /* A workspace without its own fonts/ uses the bundled fonts installed
     * with missive; a font missive.ini names must be where it says. */
    char *installed =
        path_check(*out, PATH_FONT, (char[8]){0}, 8) == PATH_FAILED ? datadir_find(fallback) : NULL;
    if (installed) {
        *out = arena_strdup(l->arena, installed);
        free(installed);
    }
    char note[64];
    snprintf(note, sizeof note, " (the default for '%s' in [fonts])", key);
    usable_file(l, *out, PATH_FONT, (struct source_loc){ini->path, 0, 0}, "font", note);
}

/* A comma-separated list of font files under key; when the key is absent,
 * the one file default_path (or nothing when that is NULL). */
static void load_font_list(struct loader *l, const struct ini_file *ini, const char *key,
                           const char *default_path, const char ***files, size_t *count)
{
    const struct ini_entry *e = setting(ini, "fonts", key);
    *count = 0;
    if (e) {
        struct value *list = split_lines(l, e, ',');
        *files = arena_alloc(l->arena, (list->count + 1) * sizeof **files);
        for (size_t i = 0; i < list->count; i++) {
            const char *path = workspace_path(l->ws, list->items[i]->string);
            add_font_origin(l, path, list->items[i]->loc);
            usable_file(l, path, PATH_FONT, list->items[i]->loc, "font", "");
            (*files)[(*count)++] = path;
        }
    } else {
        *files = arena_alloc(l->arena, sizeof **files);
        if (default_path)
            load_font_file(l, ini, key, default_path, &(*files)[(*count)++]);
    }
}

static void load_fonts(struct loader *l, const struct ini_file *ini, struct font_settings *f)
{
    load_font_file(l, ini, "regular", "fonts/LiberationSerif-Regular.ttf", &f->regular);
    load_font_file(l, ini, "italic", "fonts/LiberationSerif-Italic.ttf", &f->italic);
    load_font_file(l, ini, "bold", "fonts/LiberationSerif-Bold.ttf", &f->bold);
    load_font_file(l, ini, "bold_italic", "fonts/LiberationSerif-BoldItalic.ttf", &f->bold_italic);
    load_font_list(l, ini, "fallback", "fonts/DejaVuSerif.ttf", &f->fallbacks, &f->fallback_count);
    /* The styled fallbacks default to DejaVu's only along with the common
     * one: a workspace that chose its own fallback gets no DejaVu unasked. */
    bool defaults = !setting(ini, "fonts", "fallback");
    static const char *const styled[][2] = {
        {NULL, NULL},
        {"fallback_italic", "fonts/DejaVuSerif-Italic.ttf"},
        {"fallback_bold", "fonts/DejaVuSerif-Bold.ttf"},
        {"fallback_bold_italic", "fonts/DejaVuSerif-BoldItalic.ttf"}};
    for (unsigned s = 1; s < 4; s++)
        load_font_list(l, ini, styled[s][0], defaults ? styled[s][1] : NULL, &f->style_fallbacks[s],
                       &f->style_fallback_count[s]);
    const struct ini_entry *size = setting(ini, "fonts", "size");
    const struct ini_entry *leading = setting(ini, "fonts", "leading");
    f->size = 11;
    if (size && (!parse_length(size->value, false, &f->size) || f->size < 4 || f->size > 72))
        errors_add(l->errors, size->value_loc,
                   "invalid font size '%s' (expected points between 4 and 72, e.g. 11 or 11pt)",
                   size->value);
    f->leading = f->size * 1.25;
    if (leading && (!parse_length(leading->value, false, &f->leading) || f->leading < f->size ||
                    f->leading > 4 * f->size))
        errors_add(l->errors, leading->value_loc,
                   "invalid leading '%s' (expected a length from the font size to 4 times it, "
                   "e.g. 14pt)",
                   leading->value);
}

static void load_locales(struct loader *l, const struct ini_section *sec, struct settings *s)
{
    if (!sec)
        return;
    for (size_t i = 0; i < sec->count; i++) {
        const struct ini_entry *e = &sec->entries[i];
        check_language(l, e->key, e->loc);
        /* ICU takes almost any string as a locale; insist on lang_REGION. */
        const char *v = e->value;
        bool ok = strlen(v) >= 2 && all_chars(v, "abcdefghijklmnopqrstuvwxyz",
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        if (!ok || v[0] < 'a' || v[0] > 'z')
            errors_add(l->errors, e->value_loc,
                       "invalid locale '%s' for '%s' (expected an ICU locale such as 'en_GB')", v,
                       e->key);
        value_map_set(l->arena, s->locales, e->key, value_string(l->arena, v, e->value_loc));
    }
}

/* [reference] and [archive]: kept as written, with their locations; the
 * pattern's own checks are reference.h's, run when a command numbers. */
static void load_reference(struct loader *l, const struct ini_file *ini, struct settings *s)
{
    struct reference_settings *r = &s->reference;
    const struct ini_entry *pattern = setting(ini, "reference", "pattern");
    const struct ini_entry *scope = setting(ini, "reference", "scope");
    const struct ini_entry *series = setting(ini, "reference", "series");
    struct source_loc file = {ini->path, 0, 0};
    r->pattern = pattern ? pattern->value : "{org}{yy}/{LANG} {series}/{seq}";
    r->pattern_loc = pattern ? pattern->value_loc : file;
    r->scope = scope ? scope->value : NULL;
    r->scope_loc = scope ? scope->value_loc : file;
    r->series = series ? series->value : "LT";
    r->series_loc = series ? series->value_loc : file;
    const struct ini_entry *folder = setting(ini, "archive", "folder");
    s->archive_dir = workspace_path(l->ws, folder ? folder->value : "archive");
}

/* [register] and [missive] office: where the register is, how long to
 * wait for it, and which office issues. */
static void load_register(struct loader *l, const struct ini_file *ini, struct settings *s)
{
    const struct ini_entry *url = setting(ini, "register", "url");
    const struct ini_entry *timeout = setting(ini, "register", "lock_timeout");
    const struct ini_entry *office = setting(ini, "missive", "office");
    s->register_db.url = url && url->value[0] ? url->value : NULL;
    s->register_db.lock_timeout_ms = 120000;
    if (timeout) {
        char *end = NULL;
        long seconds = strtol(timeout->value, &end, 10);
        if (end == timeout->value || *end || seconds < 1 || seconds > 86400)
            errors_add(l->errors, timeout->value_loc,
                       "invalid lock_timeout '%s' (seconds to wait for the register, 1 to 86400)",
                       timeout->value);
        else
            s->register_db.lock_timeout_ms = (int)seconds * 1000;
    }
    s->office = NULL;
    if (office) {
        size_t n = strlen(office->value);
        if (n < 1 || n > 16 ||
            strspn(office->value,
                   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != n)
            errors_add(l->errors, office->value_loc,
                       "invalid office '%s' (1 to 16 ASCII letters and digits, e.g. GVA)",
                       office->value);
        else
            s->office = office->value;
    }
}

static void check_sections(struct loader *l, const struct ini_file *ini)
{
    static const struct {
        const char *name;
        const struct ini_key *keys;
        size_t count;
    } known[] = {{"missive", missive_keys, COUNT(missive_keys)},
                 {"paper", paper_keys, COUNT(paper_keys)},
                 {"fonts", font_keys, COUNT(font_keys)},
                 {"text", text_keys, COUNT(text_keys)},
                 {"output", output_keys, COUNT(output_keys)},
                 {"locales", NULL, 0},
                 {"reference", reference_keys, COUNT(reference_keys)},
                 {"archive", archive_keys, COUNT(archive_keys)},
                 {"layout", layout_keys, COUNT(layout_keys)},
                 {"paths", paths_keys, COUNT(paths_keys)},
                 {"limits", limits_keys, COUNT(limits_keys)},
                 {"signing", signing_keys, COUNT(signing_keys)},
                 {"passphrases", NULL, 0},
                 {"register", register_keys, COUNT(register_keys)},
                 {"mail", mail_keys, COUNT(mail_keys)}};
    for (size_t i = 0; i < ini->count; i++) {
        const struct ini_section *sec = &ini->sections[i];
        size_t k = 0;
        while (k < COUNT(known) && strcmp(known[k].name, sec->name) != 0)
            k++;
        if (k == COUNT(known) && strncmp(sec->name, "source.", 7) == 0) {
            size_t capacity = l->source_count;
            l->sources =
                arena_grow(l->arena, l->sources, l->source_count, &capacity, sizeof *l->sources);
            if (people_csv_source(l->arena, sec, &l->sources[l->source_count], l->errors))
                l->source_count++;
        } else if (k == COUNT(known)) {
            const char *hint =
                suggest_closest(sec->name, settings_sections, COUNT(settings_sections));
            if (hint)
                errors_add(l->errors, sec->loc, "unknown section [%s] (did you mean [%s]?)",
                           sec->name, hint);
            else
                errors_add(l->errors, sec->loc,
                           "unknown section [%s] (expected missive, paper, fonts, text, output, "
                           "locales, reference, archive, layout, paths, limits, signing, "
                           "passphrases, register, mail or source.NAME)",
                           sec->name);
        } else if (known[k].keys) {
            ini_check_keys(sec, known[k].keys, known[k].count, l->errors);
        }
    }
}

/* [layout] window: the address field of the first page; the default
 * suits the paper (DIN 5008 form B on A4, the US #10 layout on Letter). */
static void load_window(struct loader *l, const struct ini_file *ini, const char *paper,
                        struct layout_settings *out)
{
    bool letter = paper && strcmp(paper, "Letter") == 0;
    out->window = letter ? LAYOUT_WINDOW_US : LAYOUT_WINDOW_DIN_B;
    const struct ini_entry *e = setting(ini, "layout", "window");
    if (!e)
        return;
    static const struct {
        const char *name;
        enum layout_window window;
        bool letter; /* the paper it needs */
    } windows[] = {{"din-b", LAYOUT_WINDOW_DIN_B, false},
                   {"uk", LAYOUT_WINDOW_UK, false},
                   {"us", LAYOUT_WINDOW_US, true}};
    if (strcmp(e->value, "none") == 0) {
        out->window = LAYOUT_WINDOW_NONE;
        return;
    }
    for (size_t i = 0; i < COUNT(windows); i++) {
        if (strcmp(e->value, windows[i].name) != 0)
            continue;
        out->window = windows[i].window;
        if (windows[i].letter != letter)
            errors_add(l->errors, e->value_loc,
                       "window '%s' is for %s paper, but [paper] size is %s (choose %s or none)",
                       e->value, windows[i].letter ? "Letter" : "A4", letter ? "Letter" : "A4",
                       letter ? "us" : "din-b, uk");
        return;
    }
    errors_add(l->errors, e->value_loc, "unknown window '%s' (expected din-b, uk, us or none)",
               e->value);
}

/* [layout] marks: a comma-separated list of fold and punch, or none. */
static void load_marks(struct loader *l, const struct ini_file *ini, struct layout_settings *out)
{
    const struct ini_entry *e = setting(ini, "layout", "marks");
    if (!e || strcmp(e->value, "none") == 0)
        return;
    for (const char *at = e->value; *at;) {
        while (*at == ' ' || *at == ',')
            at++;
        size_t n = strcspn(at, ", ");
        if (n == 4 && strncmp(at, "fold", 4) == 0)
            out->fold_marks = true;
        else if (n == 5 && strncmp(at, "punch", 5) == 0)
            out->punch_mark = true;
        else if (n > 0)
            errors_add(l->errors, e->value_loc,
                       "unknown mark '%.*s' (expected fold, punch, both as 'fold, punch', or none)",
                       (int)n, at);
        at += n;
    }
}

/* [layout]: how the PDF sets its paragraphs and pages (docs/typography.md). */
static void load_layout(struct loader *l, const struct ini_file *ini, const char *paper,
                        struct layout_settings *out)
{
    *out = (struct layout_settings){.ragged = false, .measure = 80};
    load_window(l, ini, paper, out);
    load_marks(l, ini, out);
    const struct ini_entry *measure = setting(ini, "layout", "measure");
    if (measure) {
        char *end;
        long n = strtol(measure->value, &end, 10);
        if (*end || n < 30 || n > 200)
            errors_add(l->errors, measure->value_loc,
                       "invalid measure '%s' (expected a number of characters, 30 to 200)",
                       measure->value);
        else
            out->measure = (int)n;
    }
    const struct ini_entry *align = setting(ini, "layout", "align");
    if (!align || strcmp(align->value, "justify") == 0)
        return;
    if (strcmp(align->value, "ragged") == 0)
        out->ragged = true;
    else
        errors_add(l->errors, align->value_loc,
                   "invalid alignment '%s' (expected justify or ragged)", align->value);
}

/* One [limits] key: a whole number from 1 to max, times unit. */
static void load_limit(struct loader *l, const struct ini_file *ini, const char *key, double max,
                       size_t unit, size_t *out)
{
    const struct ini_entry *e = setting(ini, "limits", key);
    double v;
    const char *end = e ? parse_decimal(e->value, &v) : NULL;
    if (e && (!end || *end || v != (long long)v || v < 1 || v > max))
        errors_add(l->errors, e->value_loc,
                   "invalid limit '%s' for %s (expected a whole number from 1 to %.0f)", e->value,
                   key, max);
    else if (e)
        *out = (size_t)v * unit;
}

/* [paths] and [limits], put in force at once (path.h), so that every file
 * checked or read after this follows them. */
static void load_policy(struct loader *l, const struct ini_file *ini, struct settings *s)
{
    struct path_limits *lim = &s->limits;
    path_default_limits(lim);
    size_t file = 0, signers = 0, binary = 0;
    load_limit(l, ini, "file_mb", 4096, 1024 * 1024, &file);
    load_limit(l, ini, "signers_mb", 65536, 1024 * 1024, &signers);
    load_limit(l, ini, "people_mb", 65536, 1024 * 1024, &lim->max_size[PATH_PEOPLE]);
    load_limit(l, ini, "binary_mb", 4096, 1024 * 1024, &binary);
    load_limit(l, ini, "value_kb", 1024 * 1024, 1024, &lim->value_bytes);
    load_limit(l, ini, "word_bytes", 1e9, 1, &lim->word_bytes);
    load_limit(l, ini, "template_nodes", 1e12, 1, &lim->template_nodes);
    if (file)
        lim->max_size[PATH_NAMED_LETTER] = lim->max_size[PATH_SETTINGS] =
            lim->max_size[PATH_TEMPLATE] = file;
    if (signers)
        lim->max_size[PATH_SIGNERS] = lim->max_size[PATH_NAMED_DATA] = signers;
    if (binary)
        lim->max_size[PATH_IMAGE] = lim->max_size[PATH_FONT] = binary;
    const struct ini_entry *allow = setting(ini, "paths", "allow");
    if (allow) {
        struct value *list = split_lines(l, allow, ',');
        s->allowed_folders = arena_alloc(l->arena, (list->count + 1) * sizeof *s->allowed_folders);
        for (size_t i = 0; i < list->count; i++) {
            const char *folder = list->items[i]->string;
            struct stat st;
            const char *path = workspace_path(l->ws, folder);
            if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
                errors_add(l->errors, list->items[i]->loc, "allowed folder '%s' is not a folder",
                           folder);
            s->allowed_folders[s->allowed_count++] = folder;
        }
    }
    path_policy_set(l->ws->root, s->allowed_folders, s->allowed_count, lim);
}

static void load_settings(struct loader *l, const struct ini_file *ini)
{
    struct settings *s = &l->ws->settings;
    check_sections(l, ini);
    load_policy(l, ini, s);
    if (!ini_section(ini, "missive"))
        errors_add_at(l->errors, ini->path, 0, 0,
                      "missing section [missive] (it gives the organisation for references)");
    const struct ini_entry *org = setting(ini, "missive", "organisation");
    const struct ini_entry *language = setting(ini, "missive", "language");
    s->organisation = org ? org->value : "";
    s->language = language ? language->value : "en";
    if (language)
        check_language(l, language->value, language->value_loc);
    load_paper(l, ini, &s->page);
    load_fonts(l, ini, &s->fonts);
    const struct ini_entry *width = setting(ini, "text", "width");
    s->text_width = 72;
    double w;
    const char *end = width ? parse_decimal(width->value, &w) : NULL;
    if (width && (!end || *end || w != (int)w || w < 20 || w > 200))
        errors_add(l->errors, width->value_loc,
                   "invalid text width '%s' (expected a whole number of columns from 20 to 200)",
                   width->value);
    else if (width)
        s->text_width = (int)w;
    const struct ini_entry *folder = setting(ini, "output", "folder");
    s->output_dir = workspace_path(l->ws, folder ? folder->value : "out");
    s->locales = value_map(l->arena, (struct source_loc){ini->path, 0, 0});
    load_locales(l, ini_section(ini, "locales"), s);
    load_reference(l, ini, s);
    load_layout(l, ini, s->page.paper, &s->layout);
    keys_load_settings(l->ws, ini, l->errors);
    load_register(l, ini, s);
    load_mail(ini, s);
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
    struct value *list = split_lines(l, e, ',');
    for (size_t i = 0; i < list->count; i++)
        check_language(l, list->items[i]->string, list->items[i]->loc);
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
            check_language(l, e->key + len + 1, ini_loc_at(e->loc, e->key, len + 1));
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
            v = split_lines(l, e, '|');
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
            v = split_lines(l, e, ',');
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
    if (kind == RECIPIENTS)
        pick_groups(l, built, all->count);
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
        load_settings(&l, ini);
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
