/* register_pg.c — the register in a PostgreSQL database that several
 * offices share, through libpq. The write lock is the head row of meta,
 * locked FOR UPDATE (and each scope's counter row the same way), so
 * numbers stay gapless: a rolled-back issue leaves nothing behind, which a
 * SEQUENCE would not. Archived files and fonts are blobs keyed by SHA-256
 * in the same transaction as their entry. Entries, their children and
 * blobs are append-only: a trigger refuses UPDATE and DELETE, and the
 * missive_issuer role is granted neither. */
#include "archive.h"
#include "register_internal.h"

#include <libpq-fe.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Signed checkpoints (register_checkpoints.c), append-only like entries. */
#define CHECKPOINTS                                                                                \
    "CREATE TABLE checkpoints(entry_id bigint PRIMARY KEY, signature text NOT NULL);"
#define CHECKPOINTS_TRIGGER                                                                        \
    "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints"                \
    " FOR EACH ROW EXECUTE FUNCTION missive_append_only();"
#define CHECKPOINTS_GRANTS                                                                         \
    "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'missive_issuer') THEN"           \
    " GRANT SELECT, INSERT ON checkpoints TO missive_issuer;"                                      \
    " GRANT SELECT ON checkpoints TO missive_reader; END IF;"                                      \
    " EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;"

static const char schema[] =
    "CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);"
    "CREATE TABLE entries(id bigint PRIMARY KEY,"
    " event text NOT NULL CONSTRAINT entries_event CHECK(event IN ('issue', 'import', 'void', "
    "'sign')),"
    " reference text NOT NULL, scope text NOT NULL, seq bigint NOT NULL,"
    " recorded_at text NOT NULL, letter_date text, language text, series text,"
    " country text, recipient_id text, recipient_name text, subject text,"
    " template text, reason text, prev_hash text NOT NULL, hash text NOT NULL,"
    " libraries text, office text);"
    "CREATE UNIQUE INDEX entries_reference ON entries(reference)"
    " WHERE event IN ('issue', 'import');"
    "CREATE UNIQUE INDEX entries_number ON entries(scope, seq) WHERE event IN ('issue', 'import');"
    "CREATE UNIQUE INDEX entries_void ON entries(reference) WHERE event = 'void';"
    "CREATE TABLE signatories(entry_id bigint NOT NULL, position bigint NOT NULL, id text,"
    " name text NOT NULL, PRIMARY KEY(entry_id, position));"
    "CREATE TABLE files(entry_id bigint NOT NULL, role text NOT NULL, path text NOT NULL UNIQUE,"
    " sha256 text NOT NULL, size bigint NOT NULL, position bigint, PRIMARY KEY(entry_id, role));"
    "CREATE TABLE counters(scope text PRIMARY KEY, high bigint NOT NULL);"
    "CREATE TABLE blobs(sha256 text PRIMARY KEY, size bigint NOT NULL, data bytea NOT "
    "NULL);" CHECKPOINTS "INSERT INTO meta VALUES('format', '3'), ('head_count', '0'),"
    " ('head_hash', '" REGISTER_ZERO_HASH "');"
    "CREATE FUNCTION missive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION 'the register is append-only: % on % refused', TG_OP, TG_TABLE_NAME;"
    " END $$;"
    "CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries"
    " FOR EACH ROW EXECUTE FUNCTION missive_append_only();"
    "CREATE TRIGGER signatories_append_only BEFORE UPDATE OR DELETE ON signatories"
    " FOR EACH ROW EXECUTE FUNCTION missive_append_only();"
    "CREATE TRIGGER files_append_only BEFORE UPDATE OR DELETE ON files"
    " FOR EACH ROW EXECUTE FUNCTION missive_append_only();"
    "CREATE TRIGGER blobs_append_only BEFORE UPDATE OR DELETE ON blobs"
    " FOR EACH ROW EXECUTE FUNCTION missive_append_only();"
    "CREATE TRIGGER truncate_refused BEFORE TRUNCATE ON entries"
    " FOR EACH STATEMENT EXECUTE FUNCTION missive_append_only();" CHECKPOINTS_TRIGGER
    /* Roles need CREATEROLE; without it the tables are made all the same. */
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'missive_issuer') THEN"
    "  CREATE ROLE missive_issuer NOLOGIN; END IF;"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'missive_reader') THEN"
    "  CREATE ROLE missive_reader NOLOGIN; END IF;"
    " GRANT SELECT, INSERT ON entries, signatories, files, blobs TO missive_issuer;"
    " GRANT SELECT, INSERT, UPDATE ON meta, counters TO missive_issuer;"
    " GRANT SELECT ON meta, entries, signatories, files, counters, blobs TO missive_reader;"
    " EXCEPTION WHEN insufficient_privilege THEN NULL; END $$;" CHECKPOINTS_GRANTS;

/* Format 2 (before checkpoints and the "sign" event) becomes format 3;
 * only the tables' owner may (an issuing role gets the owner's error). */
static const char upgrade_3[] =
    "DO $$ DECLARE c text; BEGIN"
    " SELECT conname INTO c FROM pg_constraint WHERE conrelid = 'entries'::regclass"
    "  AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%event%';"
    " IF c IS NOT NULL THEN EXECUTE format('ALTER TABLE entries DROP CONSTRAINT %I', c); END IF;"
    " END $$;"
    "ALTER TABLE entries ADD CONSTRAINT entries_event"
    " CHECK(event IN ('issue', 'import', 'void', 'sign'));"
    "DROP INDEX entries_reference; DROP INDEX entries_number;"
    "CREATE UNIQUE INDEX entries_reference ON entries(reference)"
    " WHERE event IN ('issue', 'import');"
    "CREATE UNIQUE INDEX entries_number ON entries(scope, seq) WHERE event IN ('issue', "
    "'import');" CHECKPOINTS CHECKPOINTS_TRIGGER CHECKPOINTS_GRANTS
    "UPDATE meta SET value = '3' WHERE key = 'format';";

static PGconn *conn(struct register_db *db)
{
    return db->impl;
}

/* The server's message, one line. */
static int pg_error(struct register_db *db, const PGresult *res, struct errors *errors)
{
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!msg || !msg[0])
        msg = PQerrorMessage(conn(db));
    size_t n = strcspn(msg, "\n");
    errors_add_at(errors, db->path, 0, 0, "register database: %.*s", (int)n, msg);
    return -1;
}

/* "?N" placeholders (register.c's) become PostgreSQL's "$N". */
static char *dollars(const char *sql)
{
    char *out = xstrdup(sql);
    for (char *p = out; *p; p++)
        if (*p == '?' && p[1] >= '0' && p[1] <= '9')
            *p = '$';
    return out;
}

static bool ok(const PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static int pg_query(struct register_db *db, const char *sql, int count, const char *const *params,
                    register_row_fn fn, void *context, struct errors *errors)
{
    char *text = dollars(sql);
    PGresult *res = PQexecParams(conn(db), text, count, NULL, params, NULL, NULL, 0);
    free(text);
    int status = 0;
    if (!ok(res)) {
        status = pg_error(db, res, errors);
    } else if (fn) {
        int rows = PQntuples(res), columns = PQnfields(res);
        const char *values[32];
        columns = columns > 32 ? 32 : columns;
        for (int r = 0; r < rows && status == 0; r++) {
            for (int c = 0; c < columns; c++)
                values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
            status = fn(context, values, columns);
        }
    }
    PQclear(res);
    return status;
}

/* A command without parameters; 0 or -1 with an error. */
static int command(struct register_db *db, const char *sql, struct errors *errors)
{
    PGresult *res = PQexec(conn(db), sql);
    int status = ok(res) ? 0 : pg_error(db, res, errors);
    PQclear(res);
    return status;
}

static void pg_rollback(struct register_db *db)
{
    if (PQtransactionStatus(conn(db)) != PQTRANS_IDLE)
        PQclear(PQexec(conn(db), "ROLLBACK"));
}

static long long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - start->tv_sec) * 1000 +
           (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Who holds the head row: the transaction in its xmax, and that
 * transaction's session (its start is visible to the same role). */
static char *holder(struct register_db *db)
{
    PGresult *res =
        PQexec(conn(db), "SELECT a.pid, to_char(a.xact_start AT TIME ZONE 'UTC',"
                         " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), a.application_name, a.client_addr"
                         " FROM meta m JOIN pg_locks l ON l.locktype = 'transactionid'"
                         " AND l.transactionid = m.xmax AND l.granted"
                         " JOIN pg_stat_activity a ON a.pid = l.pid WHERE m.key = 'head_hash'");
    char text[256] = "another session";
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0) {
        const char *app = PQgetvalue(res, 0, 2);
        const char *since = PQgetvalue(res, 0, 1);
        snprintf(text, sizeof text, "%s since %s (server process %s%s%s)",
                 strcmp(app, "missive") == 0 ? "another missive" : "another session",
                 since[0] ? since : "an unknown time", PQgetvalue(res, 0, 0),
                 PQgetisnull(res, 0, 3) ? "" : ", from ", PQgetvalue(res, 0, 3));
    }
    PQclear(res);
    return xstrdup(text);
}

/* BEGIN, then the head row FOR UPDATE: every writer queues there. The
 * wait runs in slices of lock_timeout so that the note comes on time and
 * the deadline holds. */
static int pg_begin(struct register_db *db, struct errors *errors)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool noted = false;
    for (;;) {
        long long waited = ms_since(&start);
        long long slice = db->lock_ms - waited;
        if (!noted && db->note_ms - waited < slice)
            slice = db->note_ms - waited;
        if (slice < 1)
            slice = 1;
        char sql[160];
        snprintf(sql, sizeof sql,
                 "BEGIN; SET LOCAL lock_timeout = %lld;"
                 " SELECT value FROM meta WHERE key = 'head_hash' FOR UPDATE",
                 slice);
        PGresult *res = PQexec(conn(db), sql);
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            PQclear(res);
            return 0;
        }
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        bool busy = state && strcmp(state, "55P03") == 0;
        if (!busy) {
            pg_error(db, res, errors);
            PQclear(res);
            pg_rollback(db);
            return -1;
        }
        PQclear(res);
        pg_rollback(db);
        waited = ms_since(&start);
        if (waited >= db->lock_ms) {
            char *who = holder(db);
            errors_add_at(errors, db->path, 0, 0,
                          "the register is held by %s and was not free within %d s (the "
                          "[register] lock_timeout); nothing was done, try again later",
                          who, (db->lock_ms + 999) / 1000);
            free(who);
            return -1;
        }
        if (!noted && waited >= db->note_ms) {
            noted = true;
            if (db->waiting) {
                char *who = holder(db);
                db->waiting(db->waiting_context, who);
                free(who);
            }
        }
    }
}

static int pg_begin_read(struct register_db *db, struct errors *errors)
{
    return command(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", errors);
}

static int pg_commit(struct register_db *db, struct errors *errors)
{
    PGresult *res = PQexec(conn(db), "COMMIT");
    /* COMMIT of a failed transaction answers ROLLBACK, successfully. */
    int status = ok(res) && strcmp(PQcmdStatus(res), "COMMIT") == 0 ? 0 : -1;
    if (status != 0) {
        if (ok(res))
            errors_add_at(errors, db->path, 0, 0,
                          "register database: the transaction failed and was rolled back");
        else
            pg_error(db, res, errors);
    }
    PQclear(res);
    return status;
}

static int pg_put_blob(struct register_db *db, const char *sha256, const void *data, size_t len,
                       struct errors *errors)
{
    char size[32];
    const char *values[] = {sha256, register_num(size, (long long)len), data};
    int lengths[] = {0, 0, (int)len}, formats[] = {0, 0, 1};
    PGresult *res = PQexecParams(conn(db),
                                 "INSERT INTO blobs(sha256, size, data) VALUES($1, $2, $3)"
                                 " ON CONFLICT (sha256) DO NOTHING",
                                 3, NULL, values, lengths, formats, 0);
    int status = ok(res) ? 0 : pg_error(db, res, errors);
    PQclear(res);
    return status;
}

static int pg_get_blob(struct register_db *db, const char *sha256, struct buffer *out,
                       struct errors *errors)
{
    const char *values[] = {sha256};
    PGresult *res = PQexecParams(conn(db), "SELECT data FROM blobs WHERE sha256 = $1", 1, NULL,
                                 values, NULL, NULL, 1);
    int status = 0;
    if (!ok(res)) {
        status = pg_error(db, res, errors);
    } else if (PQntuples(res) == 0) {
        errors_add_at(errors, db->path, 0, 0,
                      "the archived file with SHA-256 %s is missing from the register", sha256);
        status = -1;
    } else {
        buffer_reset(out);
        buffer_append(out, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    }
    PQclear(res);
    return status;
}

static long pg_check_blobs(struct register_db *db, struct errors *problems)
{
    PGresult *res = PQexec(conn(db), "SELECT sha256 FROM blobs WHERE"
                                     " encode(sha256(data), 'hex') <> sha256"
                                     " OR length(data) <> size ORDER BY sha256");
    long count = 0;
    if (!ok(res)) {
        pg_error(db, res, problems);
        count = 1;
    }
    for (int r = 0; ok(res) && r < PQntuples(res); r++, count++)
        errors_add_at(problems, db->path, 0, 0,
                      "the stored file %s does not match its SHA-256: it has changed",
                      PQgetvalue(res, r, 0));
    PQclear(res);
    return count;
}

/* The URL or connection string without its password, for messages. */
static char *display_name(const char *url)
{
    char *out = xstrdup(url);
    char *scheme = strstr(out, "://");
    if (scheme) {
        char *at = strchr(scheme + 3, '@');
        char *colon = strchr(scheme + 3, ':');
        if (at && colon && colon < at)
            memmove(colon, at, strlen(at) + 1);
    }
    char *pw = strstr(out, "password=");
    if (pw) {
        size_t n = strcspn(pw, " ");
        memmove(pw, pw + n, strlen(pw + n) + 1);
    }
    return out;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* The register's format: 0 for an empty database. */
static int pg_format(struct register_db *db, int *format, struct errors *errors)
{
    *format = 0;
    PGresult *res = PQexec(conn(db), "SELECT to_regclass('meta') IS NOT NULL");
    int status = ok(res) ? 0 : pg_error(db, res, errors);
    bool exists = status == 0 && PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!exists)
        return status;
    res = PQexec(conn(db), "SELECT value FROM meta WHERE key = 'format'");
    status = ok(res) ? 0 : pg_error(db, res, errors);
    *format = status == 0 && PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 2;
    PQclear(res);
    return status;
}

/* Makes the schema once: the first writer of an empty database, under an
 * advisory lock so that two first writers do not both try. */
static int set_up(struct register_db *db, struct errors *errors)
{
    if (command(db, "BEGIN; SELECT pg_advisory_xact_lock(7140661)", errors) != 0)
        return -1;
    int format = 0;
    int status = pg_format(db, &format, errors);
    if (status == 0 && format == 0)
        status = command(db, schema, errors);
    else if (status == 0 && format == 2)
        status = command(db, upgrade_3, errors);
    if (status == 0)
        return pg_commit(db, errors);
    pg_rollback(db);
    return -1;
}

static int pg_open(struct register_db *db, const struct register_options *options,
                   struct errors *errors)
{
    db->path = display_name(options->url);
    const char *keys[] = {"dbname", "application_name", NULL};
    const char *values[] = {options->url, "missive", NULL};
    PGconn *c = PQconnectdbParams(keys, values, 1);
    db->impl = c;
    if (!c || PQstatus(c) != CONNECTION_OK) {
        const char *msg = c ? PQerrorMessage(c) : "out of memory";
        size_t n = strcspn(msg, "\n");
        errors_add_at(errors, db->path, 0, 0, "cannot connect to the register: %.*s", (int)n, msg);
        return -1;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    if (command(db, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", errors) != 0)
        return -1;
    if (db->read_only) {
        /* A reader of a format-2 register sees it as one without checkpoints. */
        int format = 0;
        if (pg_format(db, &format, errors) != 0 ||
            (format == 2 && command(db,
                                    "CREATE TEMP TABLE checkpoints(entry_id bigint PRIMARY KEY,"
                                    " signature text NOT NULL)",
                                    errors) != 0))
            return -1;
        return command(db, "SET default_transaction_read_only = on", errors);
    }
    return set_up(db, errors);
}

static void pg_close(struct register_db *db)
{
    PQfinish(conn(db));
    db->impl = NULL;
}

const struct register_backend register_pg_backend = {
    .name = "postgresql",
    .for_update = " FOR UPDATE",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .query = pg_query,
    .put_blob = pg_put_blob,
    .get_blob = pg_get_blob,
    .check_blobs = pg_check_blobs,
};
