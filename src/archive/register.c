/* register.c — the register database: schema, locking, the counter, the
 * hash chain, listing, voiding and recovery after a crashed issue.
 * Verification lives in register_verify.c. */
#include "output.h"
#include "register.h"

#include "path.h"

#include "archive.h"
#include "buffer.h"
#include "register_internal.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS entries("
    " id INTEGER PRIMARY KEY,"
    " event TEXT NOT NULL CHECK(event IN ('issue', 'import', 'void')),"
    " reference TEXT NOT NULL, scope TEXT NOT NULL, seq INTEGER NOT NULL,"
    " recorded_at TEXT NOT NULL, letter_date TEXT, language TEXT, series TEXT,"
    " country TEXT, recipient_id TEXT, recipient_name TEXT, subject TEXT,"
    " template TEXT, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_reference ON entries(reference)"
    " WHERE event != 'void';"
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_number ON entries(scope, seq)"
    " WHERE event != 'void';"
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_void ON entries(reference)"
    " WHERE event = 'void';"
    "CREATE TABLE IF NOT EXISTS signatories(entry_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL, id TEXT, name TEXT NOT NULL,"
    " PRIMARY KEY(entry_id, position));"
    "CREATE TABLE IF NOT EXISTS files(entry_id INTEGER NOT NULL, role TEXT NOT NULL,"
    " path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " PRIMARY KEY(entry_id, role));"
    "INSERT OR IGNORE INTO meta VALUES('format', '1'), ('head_count', '0'),"
    " ('head_hash', '" REGISTER_ZERO_HASH "');";

const char *register_archive_dir(const struct register_db *db)
{
    return db->dir;
}

int register_db_error(struct register_db *db, struct errors *errors)
{
    errors_add_at(errors, db->path, 0, 0, "register database: %s", sqlite3_errmsg(db->db));
    return -1;
}

/* Unicode case folding for list filters: fold(text). */
static void fold_function(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(context);
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    int32_t n16 = 0, folded_len = 0, n8 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, -1, &status);
    status = U_ZERO_ERROR;
    UChar *text = xcalloc((size_t)n16 + 1, sizeof *text);
    u_strFromUTF8WithSub(text, n16 + 1, NULL, s, -1, 0xFFFD, NULL, &status);
    UChar *folded = xcalloc((size_t)n16 * 3 + 1, sizeof *folded);
    folded_len = u_strFoldCase(folded, n16 * 3 + 1, text, n16, U_FOLD_CASE_DEFAULT, &status);
    char *out = xcalloc((size_t)folded_len * 3 + 1, 1);
    u_strToUTF8(out, folded_len * 3 + 1, &n8, folded, folded_len, &status);
    if (U_FAILURE(status))
        sqlite3_result_error(context, "cannot fold text", -1);
    else
        sqlite3_result_text(context, out, n8, SQLITE_TRANSIENT);
    free(out);
    free(folded);
    free(text);
}

/* WAL lets readers go on while one writer holds the lock; FULL makes each
 * commit durable before the pending journal goes away. Switching a new
 * database to WAL does not wait for other processes creating it at the
 * same moment, so a busy set-up is retried until busy_ms have passed. */
static int set_up(struct register_db *db, int busy_ms)
{
    int rc = SQLITE_BUSY;
    for (int waited = 0; waited <= busy_ms; waited += 10) {
        rc = sqlite3_exec(db->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
                          NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, schema, NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
        if (rc == SQLITE_OK || (rc != SQLITE_BUSY && rc != SQLITE_LOCKED))
            break;
        register_rollback(db);
        sqlite3_sleep(10);
    }
    if (rc != SQLITE_OK)
        register_rollback(db);
    return rc;
}

struct register_db *register_open(const char *archive_dir, int busy_ms, struct errors *errors)
{
    struct register_db *db = xcalloc(1, sizeof *db);
    db->dir = xstrdup(archive_dir);
    size_t n = strlen(archive_dir) + sizeof ARCHIVE_REGISTER + 2;
    db->path = xmalloc(n);
    snprintf(db->path, n, "%s/%s", archive_dir, ARCHIVE_REGISTER);
    if (sqlite3_open_v2(db->path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        errors_add_at(errors, db->path, 0, 0, "cannot open the register: %s",
                      db->db ? sqlite3_errmsg(db->db) : "out of memory");
        register_close(db);
        return NULL;
    }
    /* Archived sources, fonts and images are read back from here. */
    path_policy_allow(archive_dir);
    size_t before = errors->count;
    sqlite3_busy_timeout(db->db, busy_ms);
    sqlite3_create_function(db->db, "fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                            fold_function, NULL, NULL);
    if (set_up(db, busy_ms) != SQLITE_OK) {
        if (errors->count == before)
            register_db_error(db, errors);
        register_close(db);
        return NULL;
    }
    return db;
}

void register_close(struct register_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->db);
    free(db->dir);
    free(db->path);
    free(db);
}

int register_begin(struct register_db *db, struct errors *errors)
{
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return register_db_error(db, errors);
    return 0;
}

int register_commit(struct register_db *db, struct errors *errors)
{
    if (sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        register_db_error(db, errors);
        register_rollback(db);
        return -1;
    }
    return 0;
}

void register_rollback(struct register_db *db)
{
    if (!sqlite3_get_autocommit(db->db))
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3_stmt *register_prepare(struct register_db *db, const char *sql, struct errors *errors)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        register_db_error(db, errors);
        return NULL;
    }
    return stmt;
}

void register_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, index);
}

const char *register_column(struct arena *arena, sqlite3_stmt *stmt, int column)
{
    const char *text = (const char *)sqlite3_column_text(stmt, column);
    return text ? arena_strdup(arena, text) : NULL;
}

/* ---- the counter ---- */

/* The single integer a query gives, or -1 with an error. */
static long long query_number(struct register_db *db, const char *sql, const char *arg,
                              struct errors *errors)
{
    sqlite3_stmt *stmt = register_prepare(db, sql, errors);
    if (!stmt)
        return -1;
    if (arg)
        register_bind_text(stmt, 1, arg);
    long long value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    else
        register_db_error(db, errors);
    sqlite3_finalize(stmt);
    return value;
}

long long register_next_seq(struct register_db *db, const char *scope, struct errors *errors)
{
    return query_number(db, "SELECT coalesce(max(seq), 0) + 1 FROM entries WHERE scope = ?", scope,
                        errors);
}

long long register_next_id(struct register_db *db, struct errors *errors)
{
    return query_number(db, "SELECT coalesce(max(id), 0) + 1 FROM entries", NULL, errors);
}

/* ---- the hash chain ---- */

static void field(struct buffer *b, const char *name, const char *value)
{
    if (!value) {
        buffer_printf(b, "%s:\n", name); /* NULL differs from "" */
        return;
    }
    buffer_printf(b, "%s=", name);
    for (const char *p = value; *p; p++) {
        if (*p == '\\')
            buffer_puts(b, "\\\\");
        else if (*p == '\n')
            buffer_puts(b, "\\n");
        else
            buffer_putc(b, *p);
    }
    buffer_putc(b, '\n');
}

static void number_field(struct buffer *b, const char *name, long long value)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", value);
    field(b, name, text);
}

void register_entry_hash(const struct register_entry *e, char hex[65])
{
    struct buffer b = {0};
    buffer_puts(&b, "missive register entry 1\n");
    number_field(&b, "id", e->id);
    field(&b, "event", e->event);
    field(&b, "reference", e->reference);
    field(&b, "scope", e->scope);
    number_field(&b, "seq", e->seq);
    field(&b, "recorded_at", e->recorded_at);
    field(&b, "letter_date", e->letter_date);
    field(&b, "language", e->language);
    field(&b, "series", e->series);
    field(&b, "country", e->country);
    field(&b, "recipient_id", e->recipient_id);
    field(&b, "recipient_name", e->recipient_name);
    field(&b, "subject", e->subject);
    field(&b, "template", e->template_name);
    field(&b, "reason", e->reason);
    for (size_t i = 0; i < e->signatory_count; i++) {
        field(&b, "signatory_id", e->signatories[i].id);
        field(&b, "signatory_name", e->signatories[i].name);
    }
    for (size_t i = 0; i < e->file_count; i++) {
        field(&b, "file_role", e->files[i].role);
        field(&b, "file_path", e->files[i].path);
        field(&b, "file_sha256", e->files[i].sha256);
        number_field(&b, "file_size", e->files[i].size);
    }
    field(&b, "prev_hash", e->prev_hash);
    archive_sha256(b.data, b.len, hex);
    buffer_free(&b);
}

/* ---- reading entries ---- */

#define ENTRY_COLUMNS                                                                              \
    "id, event, reference, scope, seq, recorded_at, letter_date, language, series, country, "      \
    "recipient_id, recipient_name, subject, template, reason, prev_hash, hash"

static int load_children(struct register_db *db, struct arena *arena, struct register_entry *e,
                         struct errors *errors)
{
    sqlite3_stmt *s = register_prepare(
        db, "SELECT id, name FROM signatories WHERE entry_id = ? ORDER BY position", errors);
    sqlite3_stmt *f = register_prepare(
        db, "SELECT role, path, sha256, size FROM files WHERE entry_id = ? ORDER BY rowid", errors);
    int status = s && f ? 0 : -1, rc = SQLITE_DONE;
    size_t cap = 0;
    sqlite3_bind_int64(s, 1, e->id);
    while (status == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        e->signatories =
            arena_grow(arena, e->signatories, e->signatory_count, &cap, sizeof *e->signatories);
        e->signatories[e->signatory_count++] =
            (struct register_person){register_column(arena, s, 0), register_column(arena, s, 1)};
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = register_db_error(db, errors);
    cap = 0;
    sqlite3_bind_int64(f, 1, e->id);
    while (status == 0 && (rc = sqlite3_step(f)) == SQLITE_ROW) {
        e->files = arena_grow(arena, e->files, e->file_count, &cap, sizeof *e->files);
        e->files[e->file_count++] =
            (struct register_file){register_column(arena, f, 0), register_column(arena, f, 1),
                                   register_column(arena, f, 2), sqlite3_column_int64(f, 3)};
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = register_db_error(db, errors);
    sqlite3_finalize(s);
    sqlite3_finalize(f);
    return status;
}

struct register_entry *register_read_entry(struct register_db *db, struct arena *arena,
                                           sqlite3_stmt *stmt, struct errors *errors)
{
    struct register_entry *e = arena_alloc(arena, sizeof *e);
    e->id = sqlite3_column_int64(stmt, 0);
    e->event = register_column(arena, stmt, 1);
    e->reference = register_column(arena, stmt, 2);
    e->scope = register_column(arena, stmt, 3);
    e->seq = sqlite3_column_int64(stmt, 4);
    e->recorded_at = register_column(arena, stmt, 5);
    e->letter_date = register_column(arena, stmt, 6);
    e->language = register_column(arena, stmt, 7);
    e->series = register_column(arena, stmt, 8);
    e->country = register_column(arena, stmt, 9);
    e->recipient_id = register_column(arena, stmt, 10);
    e->recipient_name = register_column(arena, stmt, 11);
    e->subject = register_column(arena, stmt, 12);
    e->template_name = register_column(arena, stmt, 13);
    e->reason = register_column(arena, stmt, 14);
    e->prev_hash = register_column(arena, stmt, 15);
    e->hash = register_column(arena, stmt, 16);
    if (load_children(db, arena, e, errors) != 0)
        return NULL;
    return e;
}

sqlite3_stmt *register_select_all(struct register_db *db, struct errors *errors)
{
    return register_prepare(db, "SELECT " ENTRY_COLUMNS " FROM entries ORDER BY id", errors);
}

/* Fills the void fields of an issue or import entry. */
static int load_void(struct register_db *db, struct arena *arena, struct register_entry *e,
                     struct errors *errors)
{
    sqlite3_stmt *stmt = register_prepare(
        db, "SELECT reason, recorded_at FROM entries WHERE event = 'void' AND reference = ?",
        errors);
    if (!stmt)
        return -1;
    register_bind_text(stmt, 1, e->reference);
    int rc = sqlite3_step(stmt), status = 0;
    if (rc == SQLITE_ROW) {
        e->void_reason = register_column(arena, stmt, 0);
        e->voided_at = register_column(arena, stmt, 1);
    } else if (rc != SQLITE_DONE) {
        status = register_db_error(db, errors);
    }
    sqlite3_finalize(stmt);
    return status;
}

struct register_entry *register_find(struct register_db *db, struct arena *arena,
                                     const char *reference, struct errors *errors)
{
    sqlite3_stmt *stmt = register_prepare(
        db, "SELECT " ENTRY_COLUMNS " FROM entries WHERE event != 'void' AND reference = ?",
        errors);
    if (!stmt)
        return NULL;
    register_bind_text(stmt, 1, reference);
    struct register_entry *e = NULL;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        e = register_read_entry(db, arena, stmt, errors);
    else if (rc != SQLITE_DONE)
        register_db_error(db, errors);
    sqlite3_finalize(stmt);
    if (e && load_void(db, arena, e, errors) != 0)
        return NULL;
    return e;
}

/* ---- appending ---- */

int register_check_free(struct register_db *db, struct arena *arena, const struct register_entry *e,
                        struct source_loc loc, struct errors *errors)
{
    sqlite3_stmt *stmt =
        register_prepare(db,
                         "SELECT id, reference, recorded_at FROM entries WHERE event != 'void' AND"
                         " (reference = ?1 OR (scope = ?2 AND seq = ?3))",
                         errors);
    if (!stmt)
        return -1;
    register_bind_text(stmt, 1, e->reference);
    register_bind_text(stmt, 2, e->scope);
    sqlite3_bind_int64(stmt, 3, e->seq);
    int status = 0, rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const char *other = register_column(arena, stmt, 1);
        if (strcmp(other, e->reference) == 0)
            errors_add(errors, loc, "reference '%s' is already in the register (entry %lld, %s)",
                       e->reference, sqlite3_column_int64(stmt, 0),
                       (const char *)sqlite3_column_text(stmt, 2));
        else
            errors_add(errors, loc,
                       "number %lld of scope '%s' is already taken by '%s' (entry %lld)", e->seq,
                       e->scope, other, sqlite3_column_int64(stmt, 0));
        status = 1;
    } else if (rc != SQLITE_DONE) {
        status = register_db_error(db, errors);
    }
    sqlite3_finalize(stmt);
    return status;
}

static int step_done(struct register_db *db, sqlite3_stmt *stmt, struct errors *errors)
{
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : register_db_error(db, errors);
}

static int insert_children(struct register_db *db, const struct register_entry *e,
                           struct errors *errors)
{
    for (size_t i = 0; i < e->signatory_count; i++) {
        sqlite3_stmt *s =
            register_prepare(db, "INSERT INTO signatories VALUES(?, ?, ?, ?)", errors);
        if (!s)
            return -1;
        sqlite3_bind_int64(s, 1, e->id);
        sqlite3_bind_int64(s, 2, (long long)i + 1);
        register_bind_text(s, 3, e->signatories[i].id);
        register_bind_text(s, 4, e->signatories[i].name);
        if (step_done(db, s, errors) != 0)
            return -1;
    }
    for (size_t i = 0; i < e->file_count; i++) {
        sqlite3_stmt *f = register_prepare(db, "INSERT INTO files VALUES(?, ?, ?, ?, ?)", errors);
        if (!f)
            return -1;
        sqlite3_bind_int64(f, 1, e->id);
        register_bind_text(f, 2, e->files[i].role);
        register_bind_text(f, 3, e->files[i].path);
        register_bind_text(f, 4, e->files[i].sha256);
        sqlite3_bind_int64(f, 5, e->files[i].size);
        if (step_done(db, f, errors) != 0)
            return -1;
    }
    return 0;
}

static int set_head(struct register_db *db, long long count, const char *hash,
                    struct errors *errors)
{
    sqlite3_stmt *stmt =
        register_prepare(db,
                         "UPDATE meta SET value = CASE key WHEN 'head_count' THEN ?1 ELSE ?2 END"
                         " WHERE key IN ('head_count', 'head_hash')",
                         errors);
    if (!stmt)
        return -1;
    char text[32];
    snprintf(text, sizeof text, "%lld", count);
    register_bind_text(stmt, 1, text);
    register_bind_text(stmt, 2, hash);
    return step_done(db, stmt, errors);
}

int register_check_head(struct register_db *db, struct errors *errors)
{
    /* The chain must end where its head says: after entries were cut off
     * the end, their numbers must not be handed out again. */
    sqlite3_stmt *last = register_prepare(
        db,
        "SELECT coalesce((SELECT id FROM entries ORDER BY id DESC LIMIT 1), 0),"
        " coalesce((SELECT hash FROM entries ORDER BY id DESC LIMIT 1), '" REGISTER_ZERO_HASH
        "'), (SELECT value FROM meta WHERE key = 'head_count'),"
        " (SELECT value FROM meta WHERE key = 'head_hash')",
        errors);
    if (!last)
        return -1;
    if (sqlite3_step(last) != SQLITE_ROW) {
        register_db_error(db, errors);
        sqlite3_finalize(last);
        return -1;
    }
    const char *hash = (const char *)sqlite3_column_text(last, 1);
    const char *count = (const char *)sqlite3_column_text(last, 2);
    const char *head = (const char *)sqlite3_column_text(last, 3);
    bool intact = count && head && hash && atoll(count) == sqlite3_column_int64(last, 0) &&
                  strcmp(head, hash) == 0;
    sqlite3_finalize(last);
    if (!intact)
        errors_add_at(errors, db->path, 0, 0,
                      "the register's last entry is not the one its head records (entries were "
                      "deleted?); nothing is recorded until 'missive register verify' is clean");
    return intact ? 0 : -1;
}

int register_append(struct register_db *db, struct arena *arena, struct register_entry *e,
                    struct source_loc loc, struct errors *errors)
{
    if (strcmp(e->event, "void") != 0 && register_check_free(db, arena, e, loc, errors) != 0)
        return -1;
    if (register_check_head(db, errors) != 0)
        return -1;
    sqlite3_stmt *last = register_prepare(
        db,
        "SELECT coalesce((SELECT id FROM entries ORDER BY id DESC LIMIT 1), 0),"
        " coalesce((SELECT hash FROM entries ORDER BY id DESC LIMIT 1), '" REGISTER_ZERO_HASH "')",
        errors);
    if (!last)
        return -1;
    if (sqlite3_step(last) != SQLITE_ROW) {
        sqlite3_finalize(last);
        return register_db_error(db, errors);
    }
    e->id = sqlite3_column_int64(last, 0) + 1;
    e->prev_hash = register_column(arena, last, 1);
    sqlite3_finalize(last);
    char hex[65];
    register_entry_hash(e, hex);
    e->hash = arena_strdup(arena, hex);
    sqlite3_stmt *stmt = register_prepare(
        db, "INSERT INTO entries(" ENTRY_COLUMNS ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        errors);
    if (!stmt)
        return -1;
    sqlite3_bind_int64(stmt, 1, e->id);
    const char *texts[] = {e->event,         e->reference,    e->scope,          NULL,
                           e->recorded_at,   e->letter_date,  e->language,       e->series,
                           e->country,       e->recipient_id, e->recipient_name, e->subject,
                           e->template_name, e->reason,       e->prev_hash,      e->hash};
    for (int i = 0; i < 16; i++)
        register_bind_text(stmt, i + 2, texts[i]);
    sqlite3_bind_int64(stmt, 5, e->seq);
    if (step_done(db, stmt, errors) != 0 || insert_children(db, e, errors) != 0)
        return -1;
    return set_head(db, e->id, e->hash, errors);
}

int register_void(struct register_db *db, struct arena *arena, const char *reference,
                  const char *reason, const char *now, struct errors *errors)
{
    size_t before = errors->count;
    struct register_entry *target = register_find(db, arena, reference, errors);
    if (!target) {
        if (errors->count == before)
            errors_add_at(errors, NULL, 0, 0, "no reference '%s' in the register", reference);
        return -1;
    }
    if (target->voided_at) {
        errors_add_at(errors, NULL, 0, 0, "'%s' is already void (since %s: %s)", reference,
                      target->voided_at, target->void_reason);
        return -1;
    }
    struct register_entry *v = arena_alloc(arena, sizeof *v);
    *v = (struct register_entry){.event = "void",
                                 .reference = target->reference,
                                 .scope = target->scope,
                                 .seq = target->seq,
                                 .recorded_at = now,
                                 .reason = reason};
    return register_append(db, arena, v, (struct source_loc){0}, errors);
}

/* ---- listing ---- */

long register_list(struct register_db *db, struct arena *arena,
                   const struct register_filter *filter, struct register_entry ***out,
                   struct errors *errors)
{
    sqlite3_stmt *stmt = register_prepare(
        db,
        "SELECT " ENTRY_COLUMNS " FROM entries e WHERE event != 'void'"
        " AND (?1 IS NULL OR substr(letter_date, 1, 4) = ?1)"
        " AND (?2 IS NULL OR country = ?2) AND (?3 IS NULL OR language = ?3)"
        " AND (?4 IS NULL OR recipient_id = ?4 OR instr(fold(recipient_name), fold(?4)) > 0)"
        " AND (?5 IS NULL OR EXISTS(SELECT 1 FROM signatories s WHERE s.entry_id = e.id"
        "      AND (s.id = ?5 OR instr(fold(s.name), fold(?5)) > 0)))"
        " AND (?6 IS NULL OR instr(fold(subject), fold(?6)) > 0) ORDER BY id",
        errors);
    if (!stmt)
        return -1;
    char year[16];
    snprintf(year, sizeof year, "%04d", filter->year);
    register_bind_text(stmt, 1, filter->year > 0 ? year : NULL);
    register_bind_text(stmt, 2, filter->country);
    register_bind_text(stmt, 3, filter->language);
    register_bind_text(stmt, 4, filter->recipient);
    register_bind_text(stmt, 5, filter->signatory);
    register_bind_text(stmt, 6, filter->text);
    size_t count = 0, cap = 16;
    struct register_entry **list = xmalloc(cap * sizeof *list);
    long status = 0;
    int rc;
    while (status == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct register_entry *e = register_read_entry(db, arena, stmt, errors);
        if (!e || load_void(db, arena, e, errors) != 0) {
            status = -1;
            break;
        }
        if (count == cap)
            list = xrealloc(list, (cap *= 2) * sizeof *list);
        list[count++] = e;
    }
    if (status == 0 && rc != SQLITE_DONE)
        status = register_db_error(db, errors);
    sqlite3_finalize(stmt);
    *out = arena_alloc(arena, (count + 1) * sizeof **out);
    memcpy(*out, list, count * sizeof *list);
    free(list);
    return status == 0 ? (long)count : -1;
}

/* ---- recovery ---- */

/* When in doubt (the database fails: error added), the file is kept. */
static bool path_recorded(struct register_db *db, const char *path, struct errors *errors)
{
    sqlite3_stmt *stmt = register_prepare(db, "SELECT 1 FROM files WHERE path = ?", errors);
    if (!stmt)
        return true;
    register_bind_text(stmt, 1, path);
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        register_db_error(db, errors);
    sqlite3_finalize(stmt);
    return rc != SQLITE_DONE;
}

static void push(char ***list, size_t *count, const char *s)
{
    *list = xrealloc(*list, (*count + 2) * sizeof **list);
    (*list)[(*count)++] = xstrdup(s);
    (*list)[*count] = NULL;
}

/* Removes archive-relative path; records it in removed. */
static void remove_leftover(struct register_db *db, const char *relative, char ***removed,
                            size_t *count, struct errors *errors)
{
    char *full = archive_join(db->dir, relative);
    if (unlink(full) == 0)
        push(removed, count, relative);
    else if (errno != ENOENT)
        errors_add_at(errors, full, 0, 0, "cannot remove a leftover of an interrupted issue: %s",
                      strerror(errno));
    free(full);
}

/* missive's temporaries in the archive's sub folder (NULL: the archive
 * folder itself). */
static void remove_temporaries(struct register_db *db, const char *sub, char ***removed,
                               size_t *count, struct errors *errors)
{
    char *dir = sub ? archive_join(db->dir, sub) : xstrdup(db->dir);
    char **names = archive_names(dir);
    for (size_t i = 0; names && names[i]; i++) {
        /* Only missive's own: a file someone else named *.tmp is theirs. */
        if (output_is_temp(names[i])) {
            char *relative = sub ? archive_join(sub, names[i]) : xstrdup(names[i]);
            remove_leftover(db, relative, removed, count, errors);
            free(relative);
        }
    }
    archive_names_free(names);
    free(dir);
}

char **register_recover(struct register_db *db, struct errors *errors)
{
    char **removed = xcalloc(1, sizeof *removed);
    size_t count = 0;
    char **journal = archive_journal_read(db->dir);
    for (size_t i = 0; journal && journal[i]; i++) {
        /* Only ever letters/NAME: a damaged journal must not reach further. */
        const char *p = journal[i];
        bool safe = strncmp(p, ARCHIVE_LETTERS "/", sizeof ARCHIVE_LETTERS) == 0 &&
                    !strchr(p + sizeof ARCHIVE_LETTERS, '/') && p[sizeof ARCHIVE_LETTERS] != '.';
        if (safe && !path_recorded(db, p, errors))
            remove_leftover(db, p, &removed, &count, errors);
    }
    register_strings_free(journal);
    remove_temporaries(db, ARCHIVE_LETTERS, &removed, &count, errors);
    remove_temporaries(db, ARCHIVE_BLOBS, &removed, &count, errors);
    remove_temporaries(db, NULL, &removed, &count, errors);
    archive_journal_remove(db->dir, errors);
    return removed;
}

void register_strings_free(char **strings)
{
    archive_names_free(strings);
}
