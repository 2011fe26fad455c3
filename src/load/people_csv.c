/* people_csv.c — owns turning a spreadsheet of people into the INI
 * sections a people file would hold. The header row decides each
 * column's key: a `map-KEY = Header` of the source, else the header
 * itself when it is a key name (`fax`, `salutation-fr`), else it must be
 * ignored; what each key means is left to the people file's own checks
 * (workspace.c), so a CSV row and an INI section can never be checked
 * differently. */
#include "people_csv.h"

#include "buffer.h"
#include "csvfile.h"
#include "path.h"
#include "suggest.h"
#include "value.h"

#include <errno.h>
#include <string.h>

#include <unicode/utf8.h>

#define PREFIX "source."

static const char *const people_kinds[] = {"organisations", "signatories", "recipients"};

static bool key_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return *s != '\0';
}

static bool id_name(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
              *p == '.'))
            return false;
    return *s != '\0';
}

static void add_column(struct arena *arena, struct people_csv_source *s, const char *key,
                       const char *header, struct source_loc loc)
{
    size_t capacity = s->column_count;
    s->columns = arena_grow(arena, s->columns, s->column_count, &capacity, sizeof *s->columns);
    s->columns[s->column_count++] = (struct people_csv_column){key, header, loc};
}

/* ignore = A, B: each header trimmed, located. */
static void add_ignored(struct arena *arena, struct people_csv_source *s, const struct ini_entry *e)
{
    for (const char *p = e->value; *p;) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        if (a < b)
            add_column(arena, s, NULL, arena_strndup(arena, a, (size_t)(b - a)),
                       ini_loc_at(e->value_loc, e->value, (size_t)(a - e->value)));
        p = *end ? end + 1 : end;
    }
}

bool people_csv_source(struct arena *arena, const struct ini_section *section,
                       struct people_csv_source *s, struct errors *errors)
{
    static const char *const keys[] = {"file", "people", "id", "ignore", "map-KEY"};
    size_t before = errors->count;
    *s = (struct people_csv_source){.name = section->name + strlen(PREFIX),
                                    .loc = section->loc,
                                    .id = "id",
                                    .id_loc = section->loc};
    if (!*s->name)
        errors_add(errors, section->loc, "missing source name after '%s' in [%s]", PREFIX,
                   section->name);
    for (size_t i = 0; i < section->count; i++) {
        const struct ini_entry *e = &section->entries[i];
        if (!e->value[0]) {
            errors_add(errors, e->value_loc, "empty value for '%s' (leave the key out instead)",
                       e->key);
        } else if (strcmp(e->key, "file") == 0) {
            s->file = e->value;
            s->file_loc = e->value_loc;
        } else if (strcmp(e->key, "people") == 0) {
            s->people = e->value;
            size_t k = 0;
            while (k < 3 && strcmp(people_kinds[k], e->value) != 0)
                k++;
            if (k == 3)
                errors_add(errors, e->value_loc,
                           "unknown people '%s' (expected organisations, signatories or "
                           "recipients)",
                           e->value);
        } else if (strcmp(e->key, "id") == 0) {
            s->id = e->value;
            s->id_loc = e->value_loc;
        } else if (strcmp(e->key, "ignore") == 0) {
            add_ignored(arena, s, e);
        } else if (strncmp(e->key, "map-", 4) == 0 && e->key[4]) {
            add_column(arena, s, e->key + 4, e->value, e->value_loc);
        } else {
            const char *hint = suggest_closest(e->key, keys, 4);
            errors_add(errors, e->loc, "unknown key '%s' (%s%s%s)", e->key,
                       hint ? "did you mean '"
                            : "expected one of: file, people, id, ignore, map-KEY",
                       hint ? hint : "", hint ? "'?" : "");
        }
    }
    if (!s->file)
        errors_add(errors, section->loc, "missing key 'file' in [%s] (the CSV file)",
                   section->name);
    if (!s->people)
        errors_add(errors, section->loc,
                   "missing key 'people' in [%s] (organisations, signatories or recipients)",
                   section->name);
    return errors->count == before;
}

/* ---- reading the CSV ---- */

struct reader {
    struct arena *arena;
    const struct people_csv_source *source;
    struct ini_file *ini;
    struct errors *errors;
    size_t header_count;
    const char **key_of;          /* per column: its key, "" for the id, NULL ignored */
    struct source_loc *first_use; /* first line of each id, for duplicates */
    struct value *ids;            /* the ids so far (a hashed map), for duplicates */
};

static const char *trimmed(struct arena *arena, const char *text, size_t len, size_t *skipped)
{
    size_t a = 0;
    while (a < len && strchr(" \t\r\n", text[a]))
        a++;
    while (len > a && strchr(" \t\r\n", text[len - 1]))
        len--;
    *skipped = a;
    return arena_strndup(arena, text + a, len - a);
}

/* The column's key from the header: mapped, the id, ignored, or itself. */
static const char *key_for(struct reader *r, const char *header, struct source_loc loc)
{
    const struct people_csv_source *s = r->source;
    for (size_t i = 0; i < s->column_count; i++)
        if (strcmp(s->columns[i].header, header) == 0)
            return s->columns[i].key;
    if (strcmp(header, s->id) == 0)
        return "";
    if (key_name(header))
        return header;
    errors_add(r->errors, loc,
               "column '%s' is not a key name: map it with 'map-KEY = %s' in [source.%s] of "
               "missive.ini, or leave it out with 'ignore = %s'",
               header, header, s->name, header);
    return NULL;
}

static void read_header(struct reader *r, const struct csvfile_row *row)
{
    const struct people_csv_source *s = r->source;
    r->header_count = row->count;
    r->key_of = arena_alloc(r->arena, row->count * sizeof *r->key_of);
    const char **headers = arena_alloc(r->arena, row->count * sizeof *headers);
    bool have_id = false;
    for (size_t c = 0; c < row->count; c++) {
        size_t skip;
        headers[c] = trimmed(r->arena, row->cells[c], row->lengths[c], &skip);
        r->key_of[c] = key_for(r, headers[c], csvfile_cell_loc(row, c));
        have_id = have_id || (r->key_of[c] && !*r->key_of[c]);
        for (size_t k = 0; k < c && r->key_of[c]; k++)
            if (r->key_of[k] && strcmp(r->key_of[k], r->key_of[c]) == 0)
                errors_add(r->errors, csvfile_cell_loc(row, c),
                           "column '%s' gives key '%s' again (column %zu "
                           "gives it already)",
                           headers[c], *r->key_of[c] ? r->key_of[c] : "id", k + 1);
    }
    for (size_t i = 0; i < s->column_count; i++) {
        size_t c = 0;
        while (c < row->count && strcmp(headers[c], s->columns[i].header) != 0)
            c++;
        if (c == row->count) {
            const char *hint = suggest_closest(s->columns[i].header, headers, row->count);
            errors_add(r->errors, s->columns[i].loc, "no column '%s' in %s%s%s%s",
                       s->columns[i].header, row->loc.file, hint ? " (did you mean '" : "",
                       hint ? hint : "", hint ? "'?)" : "");
        }
    }
    if (!have_id)
        errors_add(r->errors, s->id_loc,
                   "no id column '%s' in %s (name the column of ids with 'id = HEADER')", s->id,
                   row->loc.file);
}

/* A cell's text as an INI value would hold it: trimmed, valid UTF-8, one
 * line (an address cell's lines become address lines). NULL when empty
 * or wrong. */
static const char *cell_value(struct reader *r, const struct csvfile_row *row, size_t c,
                              const char *key, struct source_loc *loc)
{
    size_t skip;
    const char *text = trimmed(r->arena, row->cells[c], row->lengths[c], &skip);
    *loc = ini_loc_at(csvfile_cell_loc(row, c), row->cells[c], skip);
    int32_t len = (int32_t)strlen(text);
    for (int32_t i = 0; i < len;) {
        UChar32 ch;
        U8_NEXT(text, i, len, ch);
        if (ch < 0) {
            errors_add(r->errors, *loc, "invalid UTF-8 in column '%s'", key);
            return NULL;
        }
    }
    if (!strpbrk(text, "\r\n"))
        return *text ? text : NULL;
    if (strcmp(key, "address") != 0 && strncmp(key, "address-", 8) != 0) {
        errors_add(r->errors, *loc,
                   "line break in column '%s' (only an address may have several lines)", key);
        return NULL;
    }
    /* Each line of the cell an address line, as `a | b` in INI. */
    char *lines = arena_alloc(r->arena, 3 * strlen(text) + 1), *o = lines;
    for (const char *p = text; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            while (o > lines && o[-1] == ' ')
                o--;
            if (o > lines && o[-1] != ' ')
                o = stpcpy(o, " | ");
            while (p[1] == '\r' || p[1] == '\n' || p[1] == ' ')
                p++;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return lines;
}

static void add_entry(struct reader *r, struct ini_section *sec, const char *key, const char *value,
                      struct source_loc loc)
{
    sec->entries =
        arena_grow(r->arena, sec->entries, sec->count, &sec->capacity, sizeof *sec->entries);
    sec->entries[sec->count++] = (struct ini_entry){key, value, loc, loc};
}

static void read_row(struct reader *r, const struct csvfile_row *row)
{
    if (row->count != r->header_count) {
        errors_add(r->errors, row->loc, "this row has %zu cells but the header has %zu", row->count,
                   r->header_count);
        return;
    }
    struct ini_section sec = {.loc = row->loc};
    size_t before = r->errors->count;
    for (size_t c = 0; c < row->count; c++) {
        const char *key = r->key_of[c];
        if (!key)
            continue;
        struct source_loc loc;
        const char *value = cell_value(r, row, c, *key ? key : r->source->id, &loc);
        if (!*key) {
            sec.name = value;
            sec.loc = loc;
        } else if (value) {
            add_entry(r, &sec, key, value, loc);
        }
    }
    if (r->errors->count != before)
        return; /* the row is left out: its keys' checks would repeat the mistake */
    if (!sec.name) {
        errors_add(r->errors, row->loc, "row has no id (column '%s' is empty)", r->source->id);
        return;
    }
    if (!id_name(sec.name) || strncmp(sec.name, "group.", 6) == 0) {
        errors_add(r->errors, sec.loc,
                   "invalid id '%s' in column '%s' (use lower-case letters, digits, '-', '_' "
                   "and '.'; groups are declared in recipients.ini)",
                   sec.name, r->source->id);
        return;
    }
    const struct value *first = value_map_get(r->ids, sec.name);
    if (first) {
        errors_add(r->errors, sec.loc, "id '%s' appears twice (first at line %d)", sec.name,
                   first->loc.line);
        return;
    }
    value_map_set_kept(r->arena, r->ids, sec.name, value_string_kept(r->arena, sec.name, sec.loc));
    r->ini->sections = arena_grow(r->arena, r->ini->sections, r->ini->count, &r->ini->capacity,
                                  sizeof *r->ini->sections);
    r->ini->sections[r->ini->count++] = sec;
}

static int on_row(void *context, const struct csvfile_row *row)
{
    struct reader *r = context;
    if (csvfile_row_blank(row))
        return 0;
    if (r->key_of) {
        read_row(r, row);
        return 0;
    }
    size_t before = r->errors->count;
    read_header(r, row);
    /* Rows under a wrong header would only repeat its mistake. */
    return r->errors->count != before;
}

struct ini_file *people_csv_load(struct arena *arena, const struct people_csv_source *source,
                                 const char *path, struct errors *errors)
{
    struct ini_file *ini = arena_alloc(arena, sizeof *ini);
    ini->path = path;
    struct reader r = {.arena = arena,
                       .source = source,
                       .ini = ini,
                       .errors = errors,
                       .ids = value_map(arena, (struct source_loc){0})};
    struct buffer file = {0};
    char reason[512];
    int rc = path_read(path, PATH_PEOPLE, &file, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add(errors, source->file_loc, "cannot read people file '%s': %s", path,
                       strerror(errno));
        else
            errors_add(errors, source->file_loc, "%s", reason);
        buffer_free(&file);
        return NULL;
    }
    int status = csvfile_parse(ini->path, file.data, file.len, on_row, &r, errors);
    buffer_free(&file);
    if (status != 0)
        return NULL;
    if (!r.key_of) {
        errors_add_at(errors, ini->path, 1, 1, "the file is empty: a header row is needed");
        return NULL;
    }
    /* Rows with mistakes are reported and left out; the others are
     * checked as people (the workspace fails either way). */
    return ini;
}
