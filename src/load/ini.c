/* ini.c — INI files: a strict scan of the raw text for locations and for
 * what iniparser 4.1 gets silently wrong, then iniparser for the values
 * (cross-checked against the scan, so the two can never disagree). */
#include "suggest.h"
#include "ini.h"

#include "buffer.h"
#include "path.h"
#include "value.h"

#include <iniparser/iniparser.h>
#include <unicode/utf8.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* iniparser reads lines with fgets into 1024 bytes: 1022 bytes of text,
 * the line end and the NUL. Longer lines make it give up. */
enum { MAX_LINE = 1022 };

struct scan {
    struct arena *arena;
    struct ini_file *ini;
    struct errors *errors;
    size_t error_count; /* errors->count when the scan started */
    int line;
    const char *base;    /* the whole text */
    const char *text;    /* the current line, not NUL-terminated */
    struct value *names; /* section name -> where it first appears */
    /* Streaming (ini_scan_people): each section goes to each when the next
     * begins; its entries and strings live in section_arena until then. */
    ini_section_fn each;
    void *context;
    struct arena *section_arena;
    struct ini_section current;
};

/* Where the entries of the section being read are allocated. */
static struct arena *entry_arena(const struct scan *s)
{
    return s->each ? s->section_arena : s->arena;
}

/* The section being read, or NULL before the first. */
static struct ini_section *current(struct scan *s)
{
    if (s->each)
        return s->current.name ? &s->current : NULL;
    return s->ini->count ? &s->ini->sections[s->ini->count - 1] : NULL;
}

/* Hands the section read so far (up to byte end) to each, then forgets
 * its entries. */
static void flush(struct scan *s, size_t end)
{
    if (!s->each || !s->current.name)
        return;
    s->current.end = end;
    s->each(s->context, &s->current);
    s->current = (struct ini_section){0};
    arena_free(s->section_arena);
    s->section_arena = arena_new();
}

static bool is_space(char c)
{
    /* The bytes isspace() knows in the C locale, as iniparser strips them. */
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* 1-based column (in code points) of byte offset within the current line. */
static int column(const struct scan *s, size_t offset)
{
    int col = 1;
    for (size_t i = 0; i < offset; i++)
        if (((unsigned char)s->text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

static struct source_loc loc_at(const struct scan *s, size_t offset)
{
    return (struct source_loc){s->ini->path, s->line, column(s, offset)};
}

/* The whole file, through path.h: inside the workspace, regular, at most
 * the size limit of its kind; left open in *fd when fd is given. */
static char *read_file(const char *path, enum path_kind kind, size_t *len, int *fd,
                       struct errors *errors)
{
    struct buffer b = {0};
    char reason[512];
    int rc = fd ? path_read_kept(path, kind, &b, fd, reason, sizeof reason)
                : path_read(path, kind, &b, reason, sizeof reason);
    if (rc == PATH_FAILED)
        errors_add_at(errors, path, 0, 0, "cannot read file: %s", strerror(errno));
    else if (rc == PATH_REFUSED)
        errors_add_at(errors, path, 0, 0, "the file %s", path_reason_tail(path, reason));
    if (rc != 0) {
        buffer_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* Where the line is not valid UTF-8 or holds a NUL, in bytes; -1 if fine. */
static long bad_byte(const char *text, size_t len)
{
    int32_t i = 0, n = (int32_t)len;
    while (i < n) {
        int32_t at = i;
        UChar32 c;
        U8_NEXT(text, i, n, c);
        if (c <= 0)
            return at;
    }
    return -1;
}

static bool valid_name(const char *s, size_t len, bool dots)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                  (dots && c == '.');
        if (!ok)
            return false;
    }
    return len > 0;
}

static bool has_upper(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

static void scan_section(struct scan *s, size_t start, size_t end)
{
    /* start is just after '[', end at ']'. */
    while (start < end && is_space(s->text[start]))
        start++;
    while (end > start && is_space(s->text[end - 1]))
        end--;
    const char *name = s->text + start;
    size_t len = end - start;
    struct source_loc loc = loc_at(s, start);
    if (len == 0) {
        errors_add(s->errors, loc, "empty section name");
        return;
    }
    char *copy = arena_strndup(s->arena, name, len);
    if (has_upper(name, len)) {
        errors_add(s->errors, loc,
                   "section name '%s' must be lower-case (iniparser folds case, so ids could "
                   "clash)",
                   copy);
    } else if (!valid_name(name, len, true)) {
        errors_add(s->errors, loc,
                   "invalid section name '%s' (use lower-case letters, digits, '-', '_' and '.')",
                   copy);
    }
    /* A map of the names seen: a people file has tens of thousands. */
    if (!s->names)
        s->names = value_map(s->arena, loc);
    const struct value *first = value_map_get(s->names, copy);
    if (first)
        errors_add(s->errors, loc, "duplicate section [%s] (first at line %d)", copy,
                   first->loc.line);
    else
        value_map_set_kept(s->arena, s->names, copy, value_string_kept(s->arena, "", loc));
    /* A duplicate still gets its own section, so its keys are not also
     * reported as duplicate keys. */
    struct ini_file *ini = s->ini;
    if (s->each) {
        size_t line_start = (size_t)(s->text - s->base);
        flush(s, line_start);
        s->current = (struct ini_section){.name = copy, .loc = loc, .start = line_start};
        return;
    }
    ini->sections =
        arena_grow(s->arena, ini->sections, ini->count, &ini->capacity, sizeof *ini->sections);
    ini->sections[ini->count++] = (struct ini_section){.name = copy, .loc = loc};
}

/* The value after '=' (at start; the line is right-trimmed to end). Sets
 * *value_start and *value_end; false after reporting an error. */
static bool scan_value(struct scan *s, size_t start, size_t end, size_t *value_start,
                       size_t *value_end)
{
    const char *t = s->text;
    while (start < end && is_space(t[start]))
        start++;
    if (start < end && (t[start] == '"' || t[start] == '\'')) {
        char quote = t[start];
        const char *close = memchr(t + start + 1, quote, end - start - 1);
        if (!close) {
            errors_add(s->errors, loc_at(s, start), "missing closing quote (%c)", quote);
            return false;
        }
        size_t after = (size_t)(close - t) + 1;
        while (after < end && is_space(t[after]))
            after++;
        if (after < end && t[after] != ';' && t[after] != '#') {
            errors_add(s->errors, loc_at(s, after),
                       "unexpected text after the closing quote (iniparser would drop it; a "
                       "quoted value cannot contain its own quote character)");
            return false;
        }
        *value_start = start + 1;
        *value_end = (size_t)(close - t);
        return true;
    }
    for (size_t i = start; i < end; i++) {
        if (t[i] == ';' || t[i] == '#') {
            errors_add(s->errors, loc_at(s, i),
                       "unquoted value contains '%c' (iniparser would cut the value there): put "
                       "the value in double quotes",
                       t[i]);
            return false;
        }
    }
    *value_start = start;
    *value_end = end;
    return true;
}

static void scan_entry(struct scan *s, size_t start, size_t end)
{
    const char *t = s->text;
    const char *eq = memchr(t + start, '=', end - start);
    if (!eq) {
        errors_add(s->errors, loc_at(s, start), "expected 'key = value', a [section] or a comment");
        return;
    }
    size_t key_end = (size_t)(eq - t);
    while (key_end > start && is_space(t[key_end - 1]))
        key_end--;
    struct source_loc loc = loc_at(s, start);
    if (key_end == start) {
        errors_add(s->errors, loc, "missing key before '='");
        return;
    }
    char *key = arena_strndup(entry_arena(s), t + start, key_end - start);
    if (has_upper(key, key_end - start)) {
        errors_add(s->errors, loc, "key '%s' must be lower-case", key);
        return;
    }
    if (!valid_name(key, key_end - start, false)) {
        errors_add(s->errors, loc, "invalid key '%s' (use lower-case letters, digits, '-' and '_')",
                   key);
        return;
    }
    struct ini_section *sec = current(s);
    if (!sec) {
        errors_add(s->errors, loc, "key '%s' comes before any [section]", key);
        return;
    }
    size_t vstart, vend;
    if (!scan_value(s, (size_t)(eq - t) + 1, end, &vstart, &vend))
        return;
    for (size_t i = 0; i < sec->count; i++) {
        if (strcmp(sec->entries[i].key, key) == 0) {
            errors_add(s->errors, loc, "duplicate key '%s' in [%s] (first at line %d)", key,
                       sec->name, sec->entries[i].loc.line);
            return;
        }
    }
    struct arena *a = entry_arena(s);
    sec->entries = arena_grow(a, sec->entries, sec->count, &sec->capacity, sizeof *sec->entries);
    sec->entries[sec->count++] = (struct ini_entry){
        .key = key,
        .value = arena_strndup(a, t + vstart, vend - vstart),
        .loc = loc,
        .value_loc = loc_at(s, vstart),
    };
}

static void scan_line(struct scan *s, size_t len)
{
    const char *t = s->text;
    if (len > MAX_LINE)
        errors_add(s->errors, loc_at(s, MAX_LINE),
                   "line is %zu bytes long; iniparser reads at most %d bytes per line", len,
                   MAX_LINE);
    long bad = bad_byte(t, len);
    if (bad >= 0) {
        errors_add(s->errors, loc_at(s, (size_t)bad), "%s",
                   t[bad] ? "invalid UTF-8" : "NUL byte in the line");
        return;
    }
    size_t end = len, start = 0;
    while (end > 0 && is_space(t[end - 1]))
        end--;
    while (start < end && is_space(t[start]))
        start++;
    if (start == end)
        return;
    if (t[end - 1] == '\\') {
        /* iniparser would glue the next line on, even to a comment. */
        errors_add(s->errors, loc_at(s, end - 1),
                   "line ends in '\\', which makes iniparser join the next line to it");
        return;
    }
    if (t[start] == '#' || t[start] == ';')
        return;
    if (t[start] == '[') {
        if (t[end - 1] != ']')
            errors_add(s->errors, loc_at(s, end - 1),
                       "missing ']' at the end of the section header");
        else
            scan_section(s, start + 1, end - 1);
        return;
    }
    scan_entry(s, start, end);
}

/* Scans text[pos..len), its first line numbered line. */
static void scan_from(struct scan *s, const char *text, size_t pos, size_t len, int line)
{
    s->base = text;
    s->line = line;
    if (pos == 0 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        errors_add_at(s->errors, s->ini->path, 1, 1,
                      "file starts with a UTF-8 byte order mark (BOM), which iniparser cannot "
                      "read: save the file as UTF-8 without BOM");
        pos = 3;
    }
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - text) - pos : len - pos;
        s->text = text + pos;
        scan_line(s, line_len);
        pos += line_len + 1;
        s->line++;
    }
}

static void scan(struct scan *s, const char *text, size_t len)
{
    scan_from(s, text, 0, len, 1);
}

/* iniparser reports through one process-wide callback; it is pointed here
 * only while ini_load runs and reset to iniparser's default afterwards. */
static struct errors *iniparser_errors;
static const char *iniparser_path;
static const char *iniparser_name; /* what iniparser opened: its messages say it */

static int collect_iniparser_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

static int collect_iniparser_error(const char *format, ...)
{
    char message[1200];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    size_t len = strlen(message);
    while (len > 0 && (message[len - 1] == '\n' || message[len - 1] == ' '))
        message[--len] = '\0';
    char *name = strstr(message, iniparser_name);
    if (name && iniparser_name != iniparser_path) {
        *name = '\0';
        errors_add_at(iniparser_errors, iniparser_path, 0, 0, "%s%s%s", message, iniparser_path,
                      name + strlen(iniparser_name));
        return 0;
    }
    errors_add_at(iniparser_errors, iniparser_path, 0, 0, "%s", message);
    return 0;
}

/* iniparser_getstring(dict, name, NULL), looking first at the entries
 * from *cursor on: iniparser keeps its entries in the order of the file,
 * as the scan does, so the entry sought is most often the next one, where
 * iniparser_getstring (a lower-case copy of the name, then a scan of
 * every entry) was 0.2 M instructions of a one-letter process. Only a
 * key equal to name byte for byte is taken here: keys are unique in a
 * dictionary, so it is the entry iniparser would find. */
static const char *dictionary_value(const dictionary *dict, const char *name, int *cursor)
{
    for (int i = *cursor; i < dict->size && i < *cursor + 2; i++)
        if (dict->key[i] && strcmp(dict->key[i], name) == 0) {
            *cursor = i + 1;
            return dict->val[i];
        }
    return iniparser_getstring(dict, name, NULL);
}

/* Takes the values from iniparser, reporting any that it reads otherwise
 * than the scan did. iniparser opens a name, so it is given the kernel's
 * name of the descriptor the scan read (fd): the file checked and scanned,
 * not whatever ini->path names by now. */
static void take_values(struct ini_file *ini, int fd, struct arena *arena, struct errors *errors)
{
    char room[PATH_FD_NAME];
    const char *name = path_fd_name(fd, room);
    iniparser_errors = errors;
    iniparser_path = ini->path;
    iniparser_name = name ? name : ini->path;
    iniparser_set_error_callback(collect_iniparser_error);
    dictionary *dict = iniparser_load(iniparser_name);
    iniparser_set_error_callback(NULL);
    iniparser_errors = NULL;
    iniparser_path = NULL;
    iniparser_name = NULL;
    if (!dict)
        return;
    int cursor = 0; /* where the dictionary's next entry in file order should be */
    for (size_t i = 0; i < ini->count; i++) {
        struct ini_section *sec = &ini->sections[i];
        for (size_t k = 0; k < sec->count; k++) {
            struct ini_entry *e = &sec->entries[k];
            /* iniparser's name of it, "section:key": joined by hand, since
             * printf-ing 150 names was a quarter of the check's own time. */
            size_t sn = strlen(sec->name), kn = strlen(e->key);
            char room[256];
            char *name = sn + kn + 2 <= sizeof room ? room : arena_alloc_raw(arena, sn + kn + 2);
            memcpy(name, sec->name, sn);
            name[sn] = ':';
            memcpy(name + sn + 1, e->key, kn + 1);
            const char *value = dictionary_value(dict, name, &cursor);
            if (!value || strcmp(value, e->value) != 0)
                errors_add(errors, e->value_loc,
                           "iniparser reads this value as '%s': put it in double quotes",
                           value ? value : "(nothing)");
            else
                e->value = arena_strdup(arena, value);
        }
    }
    iniparser_freedict(dict);
}

/* Reads path (kept as given in the result) into arena. */
static struct ini_file *load(struct arena *arena, const char *path, enum path_kind kind,
                             enum ini_reading reading, struct errors *errors)
{
    struct ini_file *ini = arena_alloc(arena, sizeof *ini);
    ini->path = path;
    size_t len = 0;
    int fd = -1;
    char *text = read_file(ini->path, kind, &len, reading == INI_CROSS_CHECK ? &fd : NULL, errors);
    if (!text)
        return NULL;
    struct scan s = {.arena = arena, .ini = ini, .errors = errors, .error_count = errors->count};
    scan(&s, text, len);
    free(text);
    if (errors->count == s.error_count && reading == INI_CROSS_CHECK)
        take_values(ini, fd, arena, errors);
    if (fd >= 0)
        close(fd);
    return errors->count == s.error_count ? ini : NULL;
}

struct ini_file *ini_load(struct arena *arena, const char *path, enum ini_reading reading,
                          struct errors *errors)
{
    return load(arena, arena_strdup(arena, path), PATH_SETTINGS, reading, errors);
}

struct ini_file *ini_load_people(struct arena *scratch, const char *path, struct errors *errors)
{
    return load(scratch, path, PATH_PEOPLE, INI_SCAN, errors);
}

/* Scans text[start..end) section by section into each. */
static bool scan_sections(struct arena *scratch, const char *path, const char *text, size_t start,
                          size_t end, int line, ini_section_fn each, void *context,
                          struct errors *errors)
{
    struct ini_file ini = {.path = path};
    struct scan s = {.arena = scratch,
                     .ini = &ini,
                     .errors = errors,
                     .error_count = errors->count,
                     .each = each,
                     .context = context,
                     .section_arena = arena_new()};
    scan_from(&s, text, start, end, line);
    flush(&s, end);
    arena_free(s.section_arena);
    return errors->count == s.error_count;
}

bool ini_scan_people_text(struct arena *scratch, const char *path, ini_section_fn each,
                          void *context, char **text, size_t *len, int *fd, struct errors *errors)
{
    size_t n = 0;
    char *read = read_file(path, PATH_PEOPLE, &n, fd, errors);
    if (!read)
        return false;
    bool ok = scan_sections(scratch, path, read, 0, n, 1, each, context, errors);
    if (text) {
        *text = read;
        *len = n;
    } else {
        free(read);
    }
    return ok;
}

bool ini_scan_people(struct arena *scratch, const char *path, ini_section_fn each, void *context,
                     struct errors *errors)
{
    return ini_scan_people_text(scratch, path, each, context, NULL, NULL, NULL, errors);
}

bool ini_scan_range(struct arena *scratch, const char *path, const char *text, size_t start,
                    size_t end, int line, ini_section_fn each, void *context, struct errors *errors)
{
    return scan_sections(scratch, path, text, start, end, line, each, context, errors);
}

const struct ini_section *ini_section(const struct ini_file *ini, const char *name)
{
    for (size_t i = 0; i < ini->count; i++)
        if (strcmp(ini->sections[i].name, name) == 0)
            return &ini->sections[i];
    return NULL;
}

const struct ini_entry *ini_entry(const struct ini_section *section, const char *key)
{
    for (size_t i = 0; i < section->count; i++)
        if (strcmp(section->entries[i].key, key) == 0)
            return &section->entries[i];
    return NULL;
}

static void unknown_key(const struct ini_entry *e, const struct ini_key *keys, size_t count,
                        struct errors *errors)
{
    const char *names[32];
    size_t n = count < 32 ? count : 32;
    char list[512] = "";
    for (size_t i = 0; i < n; i++) {
        names[i] = keys[i].name;
        if (strlen(list) + strlen(names[i]) + 3 < sizeof list) {
            if (i)
                strcat(list, ", ");
            strcat(list, names[i]);
        }
    }
    const char *hint = suggest_closest(e->key, names, n);
    if (hint)
        errors_add(errors, e->loc, "unknown key '%s' (did you mean '%s'?)", e->key, hint);
    else
        errors_add(errors, e->loc, "unknown key '%s' (expected one of: %s)", e->key, list);
}

bool ini_check_keys(const struct ini_section *section, const struct ini_key *keys, size_t count,
                    struct errors *errors)
{
    size_t before = errors->count;
    for (size_t i = 0; i < section->count; i++) {
        const struct ini_entry *e = &section->entries[i];
        size_t k = 0;
        while (k < count && strcmp(keys[k].name, e->key) != 0)
            k++;
        if (k == count)
            unknown_key(e, keys, count, errors);
        else if (e->value[0] == '\0' && keys[k].required)
            errors_add(errors, e->value_loc, "empty value for '%s' (it is required)", e->key);
        else if (e->value[0] == '\0')
            errors_add(errors, e->value_loc, "empty value for '%s' (leave the key out instead)",
                       e->key);
    }
    for (size_t k = 0; k < count; k++)
        if (keys[k].required && !ini_entry(section, keys[k].name))
            errors_add(errors, section->loc, "missing key '%s' in [%s]", keys[k].name,
                       section->name);
    return errors->count == before;
}

struct source_loc ini_loc_at(struct source_loc loc, const char *s, size_t offset)
{
    for (size_t i = 0; i < offset && s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            loc.column++;
    return loc;
}

/* Why value cannot be written on an INI line after "key = ", or NULL;
 * *quote is the quote it needs ('\0': none). */
static const char *unwritable(const char *key, const char *value, char *quote)
{
    bool cut = strpbrk(value, ";#") || value[0] == '"' || value[0] == '\'';
    bool dq = strchr(value, '"') != NULL, sq = strchr(value, '\'') != NULL;
    *quote = !cut ? '\0' : dq ? '\'' : '"';
    size_t len = strlen(key) + 3 + strlen(value) + (*quote ? 2 : 0);
    if (cut && dq && sq)
        return "holds ';' or '#' (or starts with a quote) and both kinds of quotes, so no "
               "quoting keeps it whole";
    if (len > 1022)
        return "would make a line longer than 1022 bytes";
    if (value[0] && value[strlen(value) - 1] == '\\')
        return "ends in '\\', which INI reads as a line continuation";
    if (strpbrk(value, "\r\n"))
        return "holds a line break";
    return NULL;
}

int ini_write(const struct ini_section *sections, size_t count, struct buffer *out,
              struct errors *errors)
{
    size_t before = errors->count;
    for (size_t i = 0; i < count; i++) {
        const struct ini_section *sec = &sections[i];
        buffer_printf(out, "%s[%s]\n", i ? "\n" : "", sec->name);
        for (size_t k = 0; k < sec->count; k++) {
            const struct ini_entry *e = &sec->entries[k];
            char quote;
            const char *why = unwritable(e->key, e->value, &quote);
            if (why)
                errors_add(errors, e->value_loc,
                           "the value of '%s' cannot be written as INI: it %s", e->key, why);
            else if (quote)
                buffer_printf(out, "%s = %c%s%c\n", e->key, quote, e->value, quote);
            else
                buffer_printf(out, "%s = %s\n", e->key, e->value);
        }
    }
    return errors->count == before ? 0 : -1;
}
