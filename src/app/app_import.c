/* app_import.c — `missive register import FILE.csv`: legacy references
 * from a spreadsheet export, read with the csvfile reader, every row checked against
 * the reference pattern and the register, all recorded in one transaction
 * or none at all. Errors point at the cell: FILE.csv:line:col. */
#include "app_internal.h"
#include "app_checkpoint.h"
#include "archive.h"

#include "buffer.h"
#include "csvfile.h"
#include "path.h"
#include "letter.h"
#include "reference.h"
#include "sign.h"
#include "value.h"

#include <libxml/xmlstring.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum column {
    C_REFERENCE,
    C_DATE,
    C_LANGUAGE,
    C_SERIES,
    C_COUNTRY,
    C_RECIPIENT,
    C_SUBJECT,
    C_SIGNATORIES,
    C_COUNT
};
static const char *const column_names[C_COUNT] = {
    "reference", "date", "language", "series", "country", "recipient", "subject", "signatories"};

struct cell {
    char *text;
    struct source_loc loc;
};

struct importer {
    struct app *app;
    const struct app_events *events;
    struct register_db *db;
    const struct reference_pattern *pattern;
    struct arena *arena;
    struct errors *errors;
    const char *path; /* in arena */
    char now[32];
    struct cell *cells;
    size_t cell_count, cell_capacity;
    int header[C_COUNT];         /* cell index of each column, -1 when absent */
    struct value *seen;          /* references of earlier rows (a hashed map), for duplicates */
    struct sign_key *key;        /* signs the checkpoint of the last entry; NULL: none */
    struct register_entry *last; /* the last entry appended */
    size_t header_count;         /* 0 until the header row is read */
    long imported;
};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static void read_header(struct importer *im)
{
    for (int k = 0; k < C_COUNT; k++)
        im->header[k] = -1;
    for (size_t i = 0; i < im->cell_count; i++) {
        const struct cell *cell = &im->cells[i];
        int k = 0;
        while (k < C_COUNT && strcmp(column_names[k], cell->text) != 0)
            k++;
        if (k == C_COUNT)
            errors_add(im->errors, cell->loc,
                       "unknown column '%s' (columns: reference, date, language, series, "
                       "country, recipient, subject, signatories)",
                       cell->text);
        else if (im->header[k] >= 0)
            errors_add(im->errors, cell->loc, "column '%s' appears twice", cell->text);
        else
            im->header[k] = (int)i;
    }
    for (int k = 0; k < 2; k++)
        if (im->header[k] < 0)
            errors_add_at(im->errors, im->path, 1, 1, "missing column '%s'", column_names[k]);
    im->header_count = im->cell_count;
}

static const struct cell *cell_of(const struct importer *im, enum column k)
{
    if (im->header[k] < 0)
        return NULL;
    const struct cell *cell = &im->cells[im->header[k]];
    return cell->text[0] ? cell : NULL;
}

/* A part given both by the reference and by its own column must agree;
 * a part only the column gives is taken from it (checked as the pattern
 * would check it). */
static const char *agree(struct importer *im, const char *from_reference, enum column k, bool lower)
{
    const struct cell *cell = cell_of(im, k);
    if (!cell)
        return from_reference;
    char *value = arena_strdup(im->arena, cell->text);
    for (char *p = value; lower && *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (from_reference && strcmp(from_reference, value) != 0) {
        errors_add(im->errors, cell->loc, "%s '%s' does not match the reference's '%s'",
                   column_names[k], cell->text, from_reference);
        return NULL;
    }
    return value;
}

static void add_signatories(struct importer *im, struct register_entry *e)
{
    const struct cell *cell = cell_of(im, C_SIGNATORIES);
    if (!cell)
        return;
    char *names = arena_strdup(im->arena, cell->text);
    size_t count = 1;
    for (const char *p = names; *p; p++)
        count += *p == ';';
    e->signatories = arena_alloc(im->arena, count * sizeof *e->signatories);
    for (char *save = NULL, *name = strtok_r(names, ";", &save); name;
         name = strtok_r(NULL, ";", &save))
        if (*trim(name))
            e->signatories[e->signatory_count++] = (struct register_person){NULL, trim(name)};
}

static void import_row(struct importer *im)
{
    const struct cell *ref = cell_of(im, C_REFERENCE), *date = cell_of(im, C_DATE);
    size_t before = im->errors->count;
    struct source_loc row = im->cells[0].loc;
    if (im->cell_count != im->header_count) {
        errors_add(im->errors, row, "this row has %zu cells but the header has %zu", im->cell_count,
                   im->header_count);
        return;
    }
    for (size_t i = 0; i < im->cell_count; i++)
        if (!xmlCheckUTF8((const xmlChar *)im->cells[i].text))
            errors_add(im->errors, im->cells[i].loc, "cell is not valid UTF-8");
    if (!ref)
        errors_add(im->errors, row, "empty reference");
    if (!date)
        errors_add(im->errors, row, "empty date");
    else if (!letter_date_valid(date->text))
        errors_add(im->errors, date->loc, "invalid date '%s' (expected a real day as yyyy-mm-dd)",
                   date->text);
    struct reference_fields f;
    if (im->errors->count != before ||
        !reference_parse(im->arena, im->pattern, ref->text, ref->loc, &f, im->errors))
        return;
    int year = atoi(date->text);
    if ((f.year >= 0 && f.year != year) || (f.yy >= 0 && f.yy != year % 100))
        errors_add(im->errors, date->loc, "date %s is not in the reference's year", date->text);
    struct register_entry *e = arena_alloc(im->arena, sizeof *e);
    *e = (struct register_entry){.event = "import",
                                 .reference = ref->text,
                                 .scope = reference_scope(im->arena, im->pattern, &f),
                                 .seq = f.seq,
                                 .recorded_at = im->now,
                                 .letter_date = date->text,
                                 .language = agree(im, f.language, C_LANGUAGE, true),
                                 .series = agree(im, f.series, C_SERIES, false),
                                 .country = agree(im, f.country, C_COUNTRY, false)};
    const struct cell *recipient = cell_of(im, C_RECIPIENT), *subject = cell_of(im, C_SUBJECT);
    e->recipient_name = recipient ? recipient->text : NULL;
    e->subject = subject ? subject->text : NULL;
    add_signatories(im, e);
    const struct value *first = value_map_get(im->seen, ref->text);
    if (first) {
        errors_add(im->errors, ref->loc, "reference '%s' appears twice (first at line %d)",
                   ref->text, first->loc.line);
        return;
    }
    value_map_set_kept(im->arena, im->seen, ref->text,
                       value_string_kept(im->arena, ref->text, ref->loc));
    if (im->errors->count == before &&
        register_append(im->db, im->arena, e, ref->loc, im->errors) == 0) {
        im->imported++;
        im->last = e;
    }
}

/* Keeps the record's cells (trimmed copies) and reads it as the header
 * or as a row. */
static int on_row(void *data, const struct csvfile_row *row)
{
    struct importer *im = data;
    /* A row of empty cells, before the header or between rows, is no row. */
    if (csvfile_row_blank(row))
        return 0;
    if (row->count > im->cell_capacity) {
        im->cell_capacity = row->count;
        im->cells = xrealloc(im->cells, im->cell_capacity * sizeof *im->cells);
    }
    im->cell_count = row->count;
    for (size_t i = 0; i < row->count; i++)
        im->cells[i] = (struct cell){trim(arena_strndup(im->arena, row->cells[i], row->lengths[i])),
                                     csvfile_cell_loc(row, i)};
    if (im->header_count == 0)
        read_header(im);
    else
        import_row(im);
    return 0;
}

/* Parses the whole file and records its rows under the register's lock;
 * returns the status (errors in im->errors, which starts empty). */
static enum app_status import_all(struct importer *im, const struct buffer *data)
{
    struct errors *errors = im->errors;
    if (register_begin(im->db, errors) != 0)
        return APP_OUTPUT;
    enum app_status status = APP_OK;
    app_report_recovered(im->app, im->events, register_recover(im->db, errors));
    if (errors->count) {
        status = APP_OUTPUT;
    } else {
        app_now(im->now);
        csvfile_parse(im->path, data->data, data->len, on_row, im, im->errors);
        /* No row at all (an empty file, blank lines) is a mistake, not
         * an import of nothing. */
        if (im->header_count == 0 && errors->count == 0)
            errors_add_at(errors, im->path, 1, 1,
                          "no header row (expected columns: reference, date, language, series, "
                          "country, recipient, subject, signatories)");
        /* One checkpoint covers the whole import: it signs the chain's
         * head, which every imported entry's hash leads to. */
        if (errors->count == 0 && im->key && im->last)
            app_checkpoint_write(im->db, im->key, im->last, errors);
        if (errors->count)
            status = APP_INPUT;
        else if (register_commit(im->db, errors) != 0)
            status = APP_OUTPUT;
    }
    register_rollback(im->db);
    return status;
}

/* What app_register(create) may make for an import: the register's files
 * and the archive folder itself, noted before, so that a failed import
 * into no register leaves none behind. */
struct fresh {
    char *dir; /* the archive folder; NULL: a register was there, or shared */
    bool dir_existed;
};

static struct fresh fresh_before(struct app *app, const struct settings *settings)
{
    struct fresh f = {0};
    struct errors ignored = {0}; /* app_register reports them */
    const char *dir = settings && !(settings->register_db.url && settings->register_db.url[0])
                          ? app_archive_dir(app, &ignored)
                          : NULL;
    errors_clear(&ignored);
    if (!dir)
        return f;
    char *db = archive_join(dir, ARCHIVE_REGISTER);
    struct stat st;
    if (stat(db, &st) != 0 && errno == ENOENT) {
        f.dir = xstrdup(dir);
        f.dir_existed = stat(dir, &st) == 0;
    }
    free(db);
    return f;
}

/* Removes what the failed import made (the register closed first). */
static void fresh_remove(struct app *app, struct fresh *f)
{
    register_close(app->db);
    app->db = NULL;
    static const char *const names[] = {ARCHIVE_REGISTER, ARCHIVE_REGISTER "-wal",
                                        ARCHIVE_REGISTER "-shm", ARCHIVE_REGISTER "-journal",
                                        ARCHIVE_HOLDER};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = archive_join(f->dir, names[i]);
        unlink(path);
        free(path);
    }
    if (!f->dir_existed)
        rmdir(f->dir); /* only when empty: nothing else of the archive is lost */
}

enum app_status app_register_import(struct app *app, const char *csv_path,
                                    const struct app_events *events, long *imported,
                                    struct errors *errors)
{
    app->events = events;
    *imported = 0;
    struct errors mine = {0};
    const struct settings *settings = app_settings(app, &mine);
    struct importer im = {.app = app, .events = events, .arena = arena_new(), .errors = &mine};
    im.path = arena_strdup(im.arena, csv_path);
    im.seen = value_map(im.arena, (struct source_loc){0});
    const struct reference_settings *r = settings ? &settings->reference : NULL;
    im.pattern = r ? reference_pattern_compile(im.arena, r->pattern, r->pattern_loc, r->scope,
                                               r->scope_loc, &mine)
                   : NULL;
    struct buffer data = {0};
    enum app_status status = APP_INPUT;
    char reason[512];
    int read = im.pattern ? path_read(im.path, PATH_NAMED_DATA, &data, reason, sizeof reason) : 0;
    if (!im.pattern) {
        status = APP_INPUT;
    } else if (read != 0) {
        if (read == PATH_FAILED)
            errors_add_at(&mine, im.path, 0, 0, "cannot read file: %s", strerror(errno));
        else
            errors_add_at(&mine, im.path, 0, 0, "the file %s", path_reason_tail(im.path, reason));
    } else {
        struct fresh fresh = fresh_before(app, settings);
        if (app_checkpoint_load(app, &im.key, &mine) != 0)
            status = APP_INPUT;
        else if ((im.db = app_register(app, true, &status, &mine)))
            status = import_all(&im, &data);
        if (status != APP_OK && fresh.dir && app->db)
            fresh_remove(app, &fresh);
        free(fresh.dir);
    }
    *imported = status == APP_OK ? im.imported : 0;
    errors_take(errors, &mine);
    buffer_free(&data);
    free(im.cells);
    sign_key_free(im.key);
    arena_free(im.arena);
    return status;
}
