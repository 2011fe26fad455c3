/* workspace_settings.c — missive.ini read into the workspace's settings: its
 * sections, keys and values checked at their lines. Apart from workspace.c,
 * which loads the people files, because the two share only the loader. */
#include "suggest.h"
#include "workspace_internal.h"

#include "datadir.h"
#include "path.h"

#include "ini.h"
#include "keys.h"
#include "people_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MM (72 / 25.4) /* points per millimetre */

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

/* ---- values: numbers, lengths ---- */

static bool all_chars(const char *s, const char *lo, const char *hi)
{
    for (; *s; s++)
        if (!strchr(lo, *s) && !strchr(hi, *s))
            return false;
    return true;
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
        workspace_usable_file(l, *out, PATH_FONT, e->value_loc, "font", "");
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
    workspace_usable_file(l, *out, PATH_FONT, (struct source_loc){ini->path, 0, 0}, "font", note);
}

/* A comma-separated list of font files under key; when the key is absent,
 * the one file default_path (or nothing when that is NULL). */
static void load_font_list(struct loader *l, const struct ini_file *ini, const char *key,
                           const char *default_path, const char ***files, size_t *count)
{
    const struct ini_entry *e = setting(ini, "fonts", key);
    *count = 0;
    if (e) {
        struct value *list = workspace_split_lines(l, e, ',');
        *files = arena_alloc(l->arena, (list->count + 1) * sizeof **files);
        for (size_t i = 0; i < list->count; i++) {
            const char *path = workspace_path(l->ws, list->items[i]->string);
            add_font_origin(l, path, list->items[i]->loc);
            workspace_usable_file(l, path, PATH_FONT, list->items[i]->loc, "font", "");
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
        workspace_check_language(l, e->key, e->loc);
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
        struct value *list = workspace_split_lines(l, allow, ',');
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

void workspace_settings_load(struct loader *l, const struct ini_file *ini)
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
        workspace_check_language(l, language->value, language->value_loc);
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
