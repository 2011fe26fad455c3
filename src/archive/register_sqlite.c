/* register_sqlite.c — the register as an SQLite file in the archive
 * folder (the default): WAL mode so readers go on while one writer holds
 * the lock, a lock wait with a real deadline, read-only opening for
 * readers without write permission, and the schema with its upgrades. */
#include "archive.h"
#include "register_internal.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Format 2 added the per-scope high-water mark (counters), the order of
 * files as a column (PostgreSQL has no rowid) and library versions;
 * format 3 signed checkpoints and the "sign" event (a later signature of
 * an issued letter, which shares its reference and number). */
#define ENTRIES_TABLE(name)                                                                        \
    "CREATE TABLE IF NOT EXISTS " name "("                                                         \
    " id INTEGER PRIMARY KEY,"                                                                     \
    " event TEXT NOT NULL CHECK(event IN ('issue', 'import', 'void', 'sign')),"                    \
    " reference TEXT NOT NULL, scope TEXT NOT NULL, seq INTEGER NOT NULL,"                         \
    " recorded_at TEXT NOT NULL, letter_date TEXT, language TEXT, series TEXT,"                    \
    " country TEXT, recipient_id TEXT, recipient_name TEXT, subject TEXT,"                         \
    " template TEXT, reason TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,"                    \
    " libraries TEXT, office TEXT);"
#define ENTRIES_INDEXES                                                                            \
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_reference ON entries(reference)"                    \
    " WHERE event IN ('issue', 'import');"                                                         \
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_number ON entries(scope, seq)"                      \
    " WHERE event IN ('issue', 'import');"                                                         \
    "CREATE UNIQUE INDEX IF NOT EXISTS entries_void ON entries(reference)"                         \
    " WHERE event = 'void';"
#define CHECKPOINTS_TABLE                                                                          \
    "CREATE TABLE IF NOT EXISTS checkpoints(entry_id INTEGER PRIMARY KEY,"                         \
    " signature TEXT NOT NULL);"

static const char *const schema[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    ENTRIES_TABLE("entries"),
    ENTRIES_INDEXES,
    "CREATE TABLE IF NOT EXISTS signatories(entry_id INTEGER NOT NULL,"
    " position INTEGER NOT NULL, id TEXT, name TEXT NOT NULL,"
    " PRIMARY KEY(entry_id, position));",
    "CREATE TABLE IF NOT EXISTS files(entry_id INTEGER NOT NULL, role TEXT NOT NULL,"
    " path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " position INTEGER, PRIMARY KEY(entry_id, role));",
    "CREATE TABLE IF NOT EXISTS counters(scope TEXT PRIMARY KEY, high INTEGER NOT NULL);",
    CHECKPOINTS_TABLE,
    "INSERT OR IGNORE INTO meta VALUES('format', '3'), ('head_count', '0'),"
    " ('head_hash', '" REGISTER_ZERO_HASH "');",
    NULL,
};

/* A format-2 register becomes format 3: SQLite changes a CHECK only by
 * copying the table (its rows as they are, hashes and all). */
static const char *const upgrade_3[] = {
    ENTRIES_TABLE("entries_3"),
    "INSERT INTO entries_3 SELECT id, event, reference, scope, seq, recorded_at, letter_date,"
    " language, series, country, recipient_id, recipient_name, subject, template, reason,"
    " prev_hash, hash, libraries, office FROM entries;",
    "DROP TABLE entries;",
    "ALTER TABLE entries_3 RENAME TO entries;",
    ENTRIES_INDEXES,
    CHECKPOINTS_TABLE,
    "UPDATE meta SET value = '3' WHERE key = 'format';",
    NULL,
};

/* What a reader of a format-1 or -2 register lacks: no checkpoint yet. */
static const char no_checkpoints[] =
    "CREATE TEMP TABLE checkpoints(entry_id INTEGER PRIMARY KEY, signature TEXT NOT NULL);";

/* A format-1 register gains what format 2 added; its counters start at
 * the highest number each scope holds. */
static const char upgrade[] = "ALTER TABLE entries ADD COLUMN libraries TEXT;"
                              "ALTER TABLE entries ADD COLUMN office TEXT;"
                              "ALTER TABLE files ADD COLUMN position INTEGER;"
                              "UPDATE files SET position = rowid;"
                              "INSERT OR IGNORE INTO counters SELECT scope, max(seq) FROM entries"
                              " GROUP BY scope;"
                              "UPDATE meta SET value = '2' WHERE key = 'format';";

/* A format-1 register opened read-only: the same columns, through
 * temporary views (a read-only database may still have temporary ones). */
static const char old_views[] =
    "CREATE TEMP VIEW entries AS SELECT *, NULL AS libraries, NULL AS office"
    " FROM main.entries;"
    "CREATE TEMP VIEW files AS SELECT *, rowid AS position FROM main.files;"
    "CREATE TEMP VIEW counters AS SELECT scope, max(seq) AS high FROM main.entries"
    " GROUP BY scope;";

/* The length of the holder's record. */
#define HOLDER_SIZE 128

struct sqlite_register {
    sqlite3 *db;
    struct timespec wait_start;
    bool noted;
};

static sqlite3 *handle(struct register_db *db)
{
    return ((struct sqlite_register *)db->impl)->db;
}

static int db_error(struct register_db *db, struct errors *errors)
{
    errors_add_at(errors, db->path, 0, 0, "register database: %s", sqlite3_errmsg(handle(db)));
    return -1;
}

static long long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - start->tv_sec) * 1000 +
           (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Who holds the lock, as the holder wrote it when it took it. */
static char *holder(struct register_db *db)
{
    char *path = archive_join(db->dir, ARCHIVE_HOLDER);
    struct buffer b = {0};
    char *text = NULL;
    if (buffer_read_file(&b, path) == 0 && b.len >= HOLDER_SIZE) {
        size_t n = strcspn(b.data, "\n");
        while (n > 0 && b.data[n - 1] == ' ')
            n--;
        b.data[n] = '\0';
        text = xstrdup(b.data);
    }
    buffer_free(&b);
    free(path);
    return text ? text : xstrdup("another process");
}

/* The holder's note for waiters: pid and time, not durable (a stale one
 * only ever shows while someone else holds the lock). One fixed-length
 * record written over the last, never truncated, so a waiter reading it
 * meanwhile sees a whole one. */
static void write_holder(struct register_db *db)
{
    char *path = archive_join(db->dir, ARCHIVE_HOLDER);
    char now[32], record[HOLDER_SIZE];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(record, sizeof record, "another missive since %s (process %ld)", now,
                     (long)getpid());
    memset(record + n, ' ', sizeof record - (size_t)n - 1);
    record[sizeof record - 1] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
        if (pwrite(fd, record, sizeof record, 0) != (ssize_t)sizeof record)
            (void)0; /* only a courtesy to waiters */
        close(fd);
    }
    free(path);
}

/* Waits for the lock until db->lock_ms have passed since the first try,
 * telling the caller once after note_ms. */
static int busy(void *context, int tries)
{
    struct register_db *db = context;
    struct sqlite_register *r = db->impl;
    if (tries == 0) {
        clock_gettime(CLOCK_MONOTONIC, &r->wait_start);
        r->noted = false;
    }
    long long waited = ms_since(&r->wait_start);
    if (waited >= db->lock_ms)
        return 0;
    if (!r->noted && waited >= db->note_ms && db->waiting) {
        char *who = holder(db);
        db->waiting(db->waiting_context, who);
        free(who);
        r->noted = true;
    }
    long long left = db->lock_ms - waited;
    sqlite3_sleep(left < 10 ? (int)left : 10);
    return 1;
}

static int timed_out(struct register_db *db, struct errors *errors)
{
    char *who = holder(db);
    errors_add_at(errors, db->path, 0, 0,
                  "the register is held by %s and was not free within %d s (the [register] "
                  "lock_timeout); nothing was done, try again later",
                  who, (db->lock_ms + 999) / 1000);
    free(who);
    return -1;
}

static int run(struct register_db *db, const char *sql)
{
    return sqlite3_exec(handle(db), sql, NULL, NULL, NULL);
}

/* Each statement of a NULL-terminated list, in order, until one fails. */
static int run_all(struct register_db *db, const char *const *statements)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && statements[i]; i++)
        rc = run(db, statements[i]);
    return rc;
}

static void sqlite_rollback(struct register_db *db)
{
    if (!sqlite3_get_autocommit(handle(db)))
        run(db, "ROLLBACK");
}

static int sqlite_begin(struct register_db *db, struct errors *errors)
{
    int rc = run(db, "BEGIN IMMEDIATE");
    if (rc == SQLITE_BUSY)
        return timed_out(db, errors);
    if (rc != SQLITE_OK)
        return db_error(db, errors);
    write_holder(db);
    return 0;
}

static int sqlite_begin_read(struct register_db *db, struct errors *errors)
{
    /* A deferred transaction's snapshot starts at its first read. */
    if (run(db, "BEGIN") != SQLITE_OK || run(db, "SELECT count(*) FROM meta") != SQLITE_OK)
        return db_error(db, errors);
    return 0;
}

static int sqlite_commit(struct register_db *db, struct errors *errors)
{
    if (run(db, "COMMIT") != SQLITE_OK) {
        db_error(db, errors);
        sqlite_rollback(db);
        return -1;
    }
    return 0;
}

static int sqlite_query(struct register_db *db, const char *sql, int count,
                        const char *const *params, register_row_fn fn, void *context,
                        struct errors *errors)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(handle(db), sql, -1, &stmt, NULL) != SQLITE_OK)
        return db_error(db, errors);
    for (int i = 0; i < count; i++) {
        if (params[i])
            sqlite3_bind_text(stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(stmt, i + 1);
    }
    int rc, status = 0;
    const char *values[32];
    while (status == 0 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int n = sqlite3_column_count(stmt);
        n = n > 32 ? 32 : n;
        for (int i = 0; i < n; i++)
            values[i] = (const char *)sqlite3_column_text(stmt, i);
        if (fn)
            status = fn(context, values, n);
    }
    if (status == 0 && rc == SQLITE_BUSY)
        status = timed_out(db, errors);
    else if (status == 0 && rc != SQLITE_DONE)
        status = db_error(db, errors);
    sqlite3_finalize(stmt);
    return status;
}

/* The register's format (0: a new register). */
static int current_format(struct register_db *db)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(handle(db), "SELECT value FROM meta WHERE key = 'format'", -1, &stmt,
                           NULL) != SQLITE_OK)
        return 0; /* no meta table: a new register */
    int format = 0;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        format = atoi((const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return format;
}

/* Creates or upgrades the schema under the write lock. Switching a new
 * database to WAL does not wait for other processes creating it at the
 * same moment, so that is retried until the deadline. */
static int set_up(struct register_db *db, struct errors *errors)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int rc;
    while ((rc = run(db, "PRAGMA journal_mode=WAL")) == SQLITE_BUSY &&
           ms_since(&start) < db->lock_ms)
        sqlite3_sleep(10);
    if (rc == SQLITE_BUSY)
        return timed_out(db, errors);
    if (rc != SQLITE_OK || run(db, "PRAGMA synchronous=FULL") != SQLITE_OK)
        return db_error(db, errors);
    if (current_format(db) == 3)
        return 0;
    if (sqlite_begin(db, errors) != 0)
        return -1;
    int format = current_format(db);
    rc = format == 3 ? SQLITE_OK : run_all(db, schema);
    if (rc == SQLITE_OK && format == 1)
        rc = run(db, upgrade);
    if (rc == SQLITE_OK && (format == 1 || format == 2))
        rc = run_all(db, upgrade_3);
    if (rc != SQLITE_OK) {
        db_error(db, errors);
        sqlite_rollback(db);
        return -1;
    }
    return sqlite_commit(db, errors);
}

/* path as a file: URI (RFC 3986: unreserved characters and '/' as they are). */
static char *file_uri(const char *path, const char *query)
{
    struct buffer b = {0};
    buffer_puts(&b, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            buffer_putc(&b, (char)*p);
        else
            buffer_printf(&b, "%%%02X", *p);
    }
    buffer_printf(&b, "?%s", query);
    return b.data;
}

static int open_file(struct register_db *db, const char *query, int flags)
{
    struct sqlite_register *r = db->impl;
    if (r->db) {
        sqlite3_close(r->db);
        r->db = NULL;
    }
    char *uri = file_uri(db->path, query);
    int rc = sqlite3_open_v2(uri, &r->db, flags | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc == SQLITE_OK) {
        sqlite3_busy_handler(r->db, busy, db);
        sqlite3_extended_result_codes(r->db, 0);
    }
    return rc;
}

/* A reader needs no write permission: the -shm file of a WAL database it
 * cannot create is done without when no writer has left a -wal file
 * (then the database file alone is the register). */
static int open_read_only(struct register_db *db, struct errors *errors)
{
    int rc = open_file(db, "mode=ro", SQLITE_OPEN_READONLY);
    int format = rc == SQLITE_OK ? current_format(db) : 0;
    size_t n = strlen(db->path) + 8;
    char *wal = xmalloc(n);
    snprintf(wal, n, "%s-wal", db->path);
    struct stat st;
    if (format == 0 && stat(wal, &st) != 0 && errno == ENOENT) {
        rc = open_file(db, "mode=ro&immutable=1", SQLITE_OPEN_READONLY);
        format = rc == SQLITE_OK ? current_format(db) : 0;
    }
    free(wal);
    if (format <= 0) {
        const char *why = !handle(db)                                ? "out of memory"
                          : sqlite3_errcode(handle(db)) != SQLITE_OK ? sqlite3_errmsg(handle(db))
                                                                     : "not a missive register";
        errors_add_at(errors, db->path, 0, 0, "cannot read the register: %s", why);
        return -1;
    }
    if ((format == 1 && run(db, old_views) != SQLITE_OK) ||
        (format < 3 && run(db, no_checkpoints) != SQLITE_OK))
        return db_error(db, errors);
    return 0;
}

static int sqlite_open(struct register_db *db, const struct register_options *options,
                       struct errors *errors)
{
    (void)options;
    db->path = archive_join(db->dir, ARCHIVE_REGISTER);
    db->impl = xcalloc(1, sizeof(struct sqlite_register));
    if (db->read_only)
        return open_read_only(db, errors);
    if (open_file(db, "mode=rwc", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) != SQLITE_OK) {
        errors_add_at(errors, db->path, 0, 0, "cannot open the register: %s",
                      handle(db) ? sqlite3_errmsg(handle(db)) : "out of memory");
        return -1;
    }
    /* Keeping the -wal and -shm files after the last writer closes lets a
     * reader without write permission in the folder open the register. */
    int keep = 1;
    sqlite3_file_control(handle(db), "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
    return set_up(db, errors);
}

static void sqlite_close(struct register_db *db)
{
    struct sqlite_register *r = db->impl;
    sqlite3_close(r->db);
    free(r);
    db->impl = NULL;
}

const struct register_backend register_sqlite_backend = {
    .name = "sqlite",
    .for_update = "",
    .open = sqlite_open,
    .close = sqlite_close,
    .begin = sqlite_begin,
    .begin_read = sqlite_begin_read,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .query = sqlite_query,
};
