/* register.c — the register whatever its database: opening the backend
 * the options name, the counter and its per-scope high-water mark, the
 * hash chain, finding and voiding entries, archived files and
 * recovery after a crashed issue. The SQL here runs unchanged on SQLite
 * and PostgreSQL; what differs is in register_sqlite.c and register_pg.c.
 * Verification lives in register_verify.c, listing in register_list.c. */
#include "register.h"

#include "archive.h"
#include "module.h"
#include "output.h"
#include "path.h"
#include "register_internal.h"
#include "snapshot.h"
#include "versions.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- opening ---- */

/* The PostgreSQL backend is missive-pg.so's (module.h), unless the program
 * links register_pg.c itself. */
#pragma weak register_pg_backend

static const struct register_backend *pg_backend(struct errors *errors)
{
    /* NULL when the program does not link it (a weak reference). */
    const struct register_backend *linked = &register_pg_backend;
    if (linked)
        return linked;
    char reason[600];
    const struct register_backend *backend =
        module_symbol("pg", "register_pg_backend", reason, sizeof reason);
    if (!backend)
        errors_add_at(errors, NULL, 0, 0, "the PostgreSQL register cannot be used: %s", reason);
    return backend;
}

static bool is_postgresql(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0 ||
           strchr(url, '=') != NULL;
}

struct register_db *register_open_with(const char *archive_dir,
                                       const struct register_options *options,
                                       struct errors *errors)
{
    struct register_db *db = xcalloc(1, sizeof *db);
    bool pg = options->url && options->url[0];
    if (pg && !is_postgresql(options->url)) {
        errors_add_at(errors, NULL, 0, 0,
                      "[register] url '%s' is neither a postgresql:// URL nor a libpq connection "
                      "string (key=value ...); leave it out for the SQLite file",
                      options->url);
        free(db);
        return NULL;
    }
    db->backend = pg ? pg_backend(errors) : &register_sqlite_backend;
    if (!db->backend) {
        free(db);
        return NULL;
    }
    db->dir = xstrdup(archive_dir);
    db->read_only = options->read_only;
    db->lock_ms = options->lock_ms;
    db->note_ms = options->note_ms;
    db->waiting = options->waiting;
    db->waiting_context = options->context;
    db->pattern = options->pattern;
    db->office = options->office ? xstrdup(options->office) : NULL;
    pthread_mutex_init(&db->lock, NULL);
    if (db->backend->open(db, options, errors) != 0) {
        register_close(db);
        return NULL;
    }
    /* Archived sources, fonts and images are read back from here. */
    if (!register_stores_files(db))
        path_policy_allow(archive_dir);
    return db;
}

struct register_db *register_open(const char *archive_dir, int busy_ms, struct errors *errors)
{
    struct register_options options = {.lock_ms = busy_ms, .note_ms = busy_ms};
    return register_open_with(archive_dir, &options, errors);
}

void register_close(struct register_db *db)
{
    if (!db)
        return;
    if (db->impl)
        db->backend->close(db);
    if (db->blob_dir && register_stores_files(db)) {
        char **names = archive_names(db->blob_dir);
        for (size_t i = 0; names && names[i]; i++) {
            char *path = archive_join(db->blob_dir, names[i]);
            unlink(path);
            free(path);
        }
        archive_names_free(names);
        rmdir(db->blob_dir);
    }
    free(db->blob_dir);
    free(db->dir);
    free(db->path);
    free(db->office);
    pthread_mutex_destroy(&db->lock);
    for (size_t i = 0; i < db->known_count; i++)
        free(db->known[i]);
    free(db->known);
    free(db);
}

const char *register_archive_dir(const struct register_db *db)
{
    return db->dir;
}

const char *register_name(const struct register_db *db)
{
    return db->path;
}

bool register_is_read_only(const struct register_db *db)
{
    return db->read_only;
}

bool register_stores_files(const struct register_db *db)
{
    return db->backend->put_blob != NULL;
}

int register_begin(struct register_db *db, struct errors *errors)
{
    if (db->read_only) {
        errors_add_at(errors, db->path, 0, 0, "the register was opened read-only");
        return -1;
    }
    if (db->backend->begin(db, errors) != 0)
        return -1;
    db->in_transaction = true;
#ifdef MISSIVE_TEST_FAULTS
    /* Test builds only: a writer that keeps the lock (register_backends.sh). */
    const char *hold = getenv("MISSIVE_HOLD_LOCK");
    if (hold)
        sleep((unsigned)atoi(hold));
#endif
    return 0;
}

int register_begin_read(struct register_db *db, struct errors *errors)
{
    if (db->backend->begin_read(db, errors) != 0)
        return -1;
    db->in_transaction = true;
    return 0;
}

int register_commit(struct register_db *db, struct errors *errors)
{
    db->in_transaction = false;
    return db->backend->commit(db, errors);
}

void register_rollback(struct register_db *db)
{
    db->in_transaction = false;
    db->backend->rollback(db);
}

/* ---- running SQL ---- */

int register_query(struct register_db *db, const char *sql, int count, const char *const *params,
                   register_row_fn fn, void *context, struct errors *errors)
{
    return db->backend->query(db, sql, count, params, fn, context, errors);
}

int register_exec(struct register_db *db, const char *sql, int count, const char *const *params,
                  struct errors *errors)
{
    return register_query(db, sql, count, params, NULL, NULL, errors);
}

const char *register_num(char out[32], long long n)
{
    snprintf(out, 32, "%lld", n);
    return out;
}

struct number {
    long long value;
    bool found;
};

static int take_number(void *context, const char *const *values, int count)
{
    struct number *n = context;
    if (!n->found && count > 0 && values[0])
        n->value = atoll(values[0]);
    n->found = true;
    return 0;
}

long long register_number(struct register_db *db, const char *sql, int count,
                          const char *const *params, struct errors *errors)
{
    struct number n = {-1, false};
    if (register_query(db, sql, count, params, take_number, &n, errors) != 0)
        return -1;
    if (!n.found) {
        errors_add_at(errors, db->path, 0, 0, "register database: no row where one was expected");
        return -1;
    }
    return n.value;
}

/* ---- the counter ---- */

long long register_next_seq(struct register_db *db, const char *scope, struct errors *errors)
{
    /* The high-water mark survives the deletion of the entry that held
     * the scope's highest number; the entries' own maximum covers a
     * register older than the mark. The mark's row is locked, where the
     * database can, until the issue commits. */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT high FROM counters WHERE scope = ?1%s",
             db->backend->for_update);
    struct number high = {0, false};
    if (register_query(db, sql, 1, &scope, take_number, &high, errors) != 0)
        return -1;
    long long most = register_number(
        db, "SELECT coalesce(max(seq), 0) FROM entries WHERE scope = ?1", 1, &scope, errors);
    if (most < 0 || high.value < 0)
        return -1;
    return (high.value > most ? high.value : most) + 1;
}

long long register_next_id(struct register_db *db, struct errors *errors)
{
    return register_number(db, "SELECT coalesce(max(id), 0) + 1 FROM entries", 0, NULL, errors);
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
    field(b, name, register_num(text, value));
}

void register_entry_hash(const struct register_entry *e, char hex[65])
{
    /* Format 1 is what every entry recorded before library versions and
     * offices hashes to; format 2 adds both just before the link. */
    bool two = e->libraries || e->office;
    struct buffer b = {0};
    buffer_puts(&b, two ? "missive register entry 2\n" : "missive register entry 1\n");
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
    if (two) {
        field(&b, "libraries", e->libraries);
        field(&b, "office", e->office);
    }
    field(&b, "prev_hash", e->prev_hash);
    archive_sha256(b.data, b.len, hex);
    buffer_free(&b);
}

/* ---- reading entries ---- */

#define ENTRY_COLUMNS                                                                              \
    "id, event, reference, scope, seq, recorded_at, letter_date, language, series, country, "      \
    "recipient_id, recipient_name, subject, template, reason, prev_hash, hash, libraries, office"
#define ENTRY_COLUMN_COUNT 19

static const char *copy(struct arena *arena, const char *s)
{
    return s ? arena_strdup(arena, s) : NULL;
}

struct children {
    struct arena *arena;
    struct register_entry *e;
    size_t cap;
};

static int take_signatory(void *context, const char *const *v, int count)
{
    struct children *c = context;
    struct register_entry *e = c->e;
    (void)count;
    e->signatories =
        arena_grow(c->arena, e->signatories, e->signatory_count, &c->cap, sizeof *e->signatories);
    e->signatories[e->signatory_count++] =
        (struct register_person){copy(c->arena, v[0]), copy(c->arena, v[1])};
    return 0;
}

static int take_file(void *context, const char *const *v, int count)
{
    struct children *c = context;
    struct register_entry *e = c->e;
    (void)count;
    e->files = arena_grow(c->arena, e->files, e->file_count, &c->cap, sizeof *e->files);
    e->files[e->file_count++] = (struct register_file){
        copy(c->arena, v[0]), copy(c->arena, v[1]), copy(c->arena, v[2]), v[3] ? atoll(v[3]) : 0};
    return 0;
}

static int load_children(struct register_db *db, struct arena *arena, struct register_entry *e,
                         struct errors *errors)
{
    char id[32];
    const char *p[] = {register_num(id, e->id)};
    struct children c = {arena, e, 0};
    if (register_query(db, "SELECT id, name FROM signatories WHERE entry_id = ?1 ORDER BY position",
                       1, p, take_signatory, &c, errors) != 0)
        return -1;
    c.cap = 0;
    return register_query(db,
                          "SELECT role, path, sha256, size FROM files WHERE entry_id = ?1"
                          " ORDER BY position",
                          1, p, take_file, &c, errors);
}

static struct register_entry *entry_of(struct arena *arena, const char *const *v)
{
    struct register_entry *e = arena_alloc(arena, sizeof *e);
    e->id = atoll(v[0]);
    e->event = copy(arena, v[1]);
    e->reference = copy(arena, v[2]);
    e->scope = copy(arena, v[3]);
    e->seq = v[4] ? atoll(v[4]) : 0;
    e->recorded_at = copy(arena, v[5]);
    e->letter_date = copy(arena, v[6]);
    e->language = copy(arena, v[7]);
    e->series = copy(arena, v[8]);
    e->country = copy(arena, v[9]);
    e->recipient_id = copy(arena, v[10]);
    e->recipient_name = copy(arena, v[11]);
    e->subject = copy(arena, v[12]);
    e->template_name = copy(arena, v[13]);
    e->reason = copy(arena, v[14]);
    e->prev_hash = copy(arena, v[15]);
    e->hash = copy(arena, v[16]);
    e->libraries = copy(arena, v[17]);
    e->office = copy(arena, v[18]);
    return e;
}

/* Rows are collected first and their children loaded after, so that no
 * backend has two statements open on one connection. */
struct rows {
    struct arena *arena;
    struct register_entry **list;
    size_t count, cap;
};

static int take_entry(void *context, const char *const *v, int count)
{
    struct rows *r = context;
    if (count < ENTRY_COLUMN_COUNT)
        return -1;
    r->list = arena_grow(r->arena, r->list, r->count, &r->cap, sizeof *r->list);
    r->list[r->count++] = entry_of(r->arena, v);
    return 0;
}

/* Entries the query (selecting ENTRY_COLUMNS) gives, children loaded. */
static long select_entries(struct register_db *db, struct arena *arena, const char *sql, int count,
                           const char *const *params, struct register_entry ***out,
                           struct errors *errors)
{
    struct rows r = {.arena = arena};
    if (register_query(db, sql, count, params, take_entry, &r, errors) != 0)
        return -1;
    for (size_t i = 0; i < r.count; i++)
        if (load_children(db, arena, r.list[i], errors) != 0)
            return -1;
    *out = r.list;
    return (long)r.count;
}

int register_each(struct register_db *db, struct arena *arena, register_entry_fn fn, void *context,
                  struct errors *errors)
{
    /* In slices, so that a long register is not held in memory twice; a
     * database failure in one slice still leaves the earlier ones seen. */
    long long after = 0;
    for (;;) {
        char from[32];
        const char *p[] = {register_num(from, after)};
        struct register_entry **list = NULL;
        long n = select_entries(
            db, arena, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id > ?1 ORDER BY id LIMIT 500",
            1, p, &list, errors);
        if (n < 0)
            return -1;
        for (long i = 0; i < n; i++) {
            int stop = fn(context, list[i]);
            if (stop)
                return stop;
        }
        if (n < 500)
            return 0;
        after = list[n - 1]->id;
    }
}

struct void_info {
    struct arena *arena;
    struct register_entry *e;
};

static int take_void(void *context, const char *const *v, int count)
{
    struct void_info *vi = context;
    (void)count;
    vi->e->void_reason = copy(vi->arena, v[0]);
    vi->e->voided_at = copy(vi->arena, v[1]);
    return 0;
}

static int take_signed(void *context, const char *const *v, int count)
{
    struct void_info *vi = context;
    (void)count;
    struct register_file *f = arena_alloc(vi->arena, sizeof *f);
    *f = (struct register_file){copy(vi->arena, v[0]), copy(vi->arena, v[1]), copy(vi->arena, v[2]),
                                v[3] ? atoll(v[3]) : 0};
    vi->e->signed_pdf = f;
    vi->e->signed_at = copy(vi->arena, v[4]);
    return 0;
}

/* Fills the void fields of an issue or import entry, and its PDF as
 * signed later. */
static int load_void(struct register_db *db, struct arena *arena, struct register_entry *e,
                     struct errors *errors)
{
    struct void_info vi = {arena, e};
    if (register_query(
            db, "SELECT reason, recorded_at FROM entries WHERE event = 'void' AND reference = ?1",
            1, &e->reference, take_void, &vi, errors) != 0)
        return -1;
    return register_query(db,
                          "SELECT f.role, f.path, f.sha256, f.size, e.recorded_at FROM entries e"
                          " JOIN files f ON f.entry_id = e.id WHERE e.event = 'sign' AND"
                          " e.reference = ?1 AND f.role = 'pdf' ORDER BY e.id",
                          1, &e->reference, take_signed, &vi, errors);
}

struct register_entry *register_find(struct register_db *db, struct arena *arena,
                                     const char *reference, struct errors *errors)
{
    struct register_entry **list = NULL;
    long n = select_entries(db, arena,
                            "SELECT " ENTRY_COLUMNS
                            " FROM entries WHERE event IN ('issue', 'import') AND"
                            " reference = ?1",
                            1, &reference, &list, errors);
    if (n <= 0)
        return NULL;
    if (load_void(db, arena, list[0], errors) != 0)
        return NULL;
    return list[0];
}

/* ---- appending ---- */

struct taken {
    long long id;
    char *reference, *recorded_at;
};

static int take_taken(void *context, const char *const *v, int count)
{
    struct taken *t = context;
    (void)count;
    if (!t->reference) {
        t->id = atoll(v[0]);
        t->reference = xstrdup(v[1] ? v[1] : "");
        t->recorded_at = xstrdup(v[2] ? v[2] : "");
    }
    return 0;
}

int register_check_free(struct register_db *db, struct arena *arena, const struct register_entry *e,
                        struct source_loc loc, struct errors *errors)
{
    (void)arena;
    char seq[32];
    const char *p[] = {e->reference, e->scope, register_num(seq, e->seq)};
    struct taken t = {0};
    if (register_query(db,
                       /* Two lookups, each on its index: the OR of both
                        * scanned every entry, for every letter issued. */
                       "SELECT id, reference, recorded_at FROM entries WHERE"
                       " event IN ('issue', 'import') AND reference = ?1 UNION ALL"
                       " SELECT id, reference, recorded_at FROM entries WHERE"
                       " event IN ('issue', 'import') AND scope = ?2 AND seq = ?3 ORDER BY id",
                       3, p, take_taken, &t, errors) != 0)
        return -1;
    int status = 0;
    if (t.reference && strcmp(t.reference, e->reference) == 0) {
        errors_add(errors, loc, "reference '%s' is already in the register (entry %lld, %s)",
                   e->reference, t.id, t.recorded_at);
        status = 1;
    } else if (t.reference) {
        errors_add(errors, loc, "number %lld of scope '%s' is already taken by '%s' (entry %lld)",
                   e->seq, e->scope, t.reference, t.id);
        status = 1;
    }
    free(t.reference);
    free(t.recorded_at);
    return status;
}

int register_insert(struct register_db *db, const struct register_entry *e, struct errors *errors)
{
    char id[32], seq[32], pos[32], size[32], count[32];
    const char *row[] = {register_num(id, e->id),
                         e->event,
                         e->reference,
                         e->scope,
                         register_num(seq, e->seq),
                         e->recorded_at,
                         e->letter_date,
                         e->language,
                         e->series,
                         e->country,
                         e->recipient_id,
                         e->recipient_name,
                         e->subject,
                         e->template_name,
                         e->reason,
                         e->prev_hash,
                         e->hash,
                         e->libraries,
                         e->office};
    if (register_exec(db,
                      "INSERT INTO entries(" ENTRY_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                      " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
                      ENTRY_COLUMN_COUNT, row, errors) != 0)
        return -1;
    for (size_t i = 0; i < e->signatory_count; i++) {
        const char *p[] = {id, register_num(pos, (long long)i + 1), e->signatories[i].id,
                           e->signatories[i].name};
        if (register_exec(db, "INSERT INTO signatories VALUES(?1, ?2, ?3, ?4)", 4, p, errors) != 0)
            return -1;
    }
    for (size_t i = 0; i < e->file_count; i++) {
        const struct register_file *f = &e->files[i];
        const char *p[] = {id,        register_num(pos, (long long)i + 1), f->role, f->path,
                           f->sha256, register_num(size, f->size)};
        if (register_exec(db,
                          "INSERT INTO files(entry_id, position, role, path, sha256, size)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                          6, p, errors) != 0)
            return -1;
    }
    const char *head[] = {register_num(count, e->id), e->hash};
    const char *mark[] = {e->scope, seq};
    if (register_exec(db,
                      "UPDATE meta SET value = CASE key WHEN 'head_count' THEN ?1 ELSE ?2 END"
                      " WHERE key IN ('head_count', 'head_hash')",
                      2, head, errors) != 0)
        return -1;
    return register_exec(db,
                         "INSERT INTO counters(scope, high) VALUES(?1, ?2) ON CONFLICT(scope)"
                         " DO UPDATE SET high = CASE WHEN excluded.high > counters.high"
                         " THEN excluded.high ELSE counters.high END",
                         2, mark, errors);
}

struct head {
    long long last_id, count;
    char *last_hash, *hash;
    bool found;
};

static int take_head(void *context, const char *const *v, int count)
{
    struct head *h = context;
    (void)count;
    h->found = true;
    h->last_id = v[0] ? atoll(v[0]) : -1;
    h->last_hash = xstrdup(v[1] ? v[1] : "");
    h->count = v[2] ? atoll(v[2]) : -1;
    h->hash = xstrdup(v[3] ? v[3] : "");
    return 0;
}

/* The chain's last entry and the head recorded with it. */
static int read_head(struct register_db *db, struct head *h, struct errors *errors)
{
    *h = (struct head){0};
    int status = register_query(
        db,
        "SELECT coalesce((SELECT id FROM entries ORDER BY id DESC LIMIT 1), 0),"
        " coalesce((SELECT hash FROM entries ORDER BY id DESC LIMIT 1), '" REGISTER_ZERO_HASH "'),"
        " (SELECT value FROM meta WHERE key = 'head_count'),"
        " (SELECT value FROM meta WHERE key = 'head_hash')",
        0, NULL, take_head, h, errors);
    if (status == 0 && !h->found)
        status = -1;
    return status;
}

static void head_free(struct head *h)
{
    free(h->last_hash);
    free(h->hash);
}

int register_check_head(struct register_db *db, struct errors *errors)
{
    /* The chain must end where its head says: after entries were cut off
     * the end, their numbers must not be handed out again. */
    struct head h;
    if (read_head(db, &h, errors) != 0) {
        head_free(&h);
        return -1;
    }
    bool intact = h.count == h.last_id && strcmp(h.hash, h.last_hash) == 0;
    head_free(&h);
    if (!intact)
        errors_add_at(errors, db->path, 0, 0,
                      "the register's last entry is not the one its head records (entries were "
                      "deleted?); nothing is recorded until 'missive register verify' is clean");
    return intact ? 0 : -1;
}

int register_append(struct register_db *db, struct arena *arena, struct register_entry *e,
                    struct source_loc loc, struct errors *errors)
{
    bool numbered = strcmp(e->event, "issue") == 0 || strcmp(e->event, "import") == 0;
    if (numbered && register_check_free(db, arena, e, loc, errors) != 0)
        return -1;
    struct head h;
    int status = read_head(db, &h, errors);
    bool intact = status == 0 && h.count == h.last_id && strcmp(h.hash, h.last_hash) == 0;
    if (status == 0 && !intact) {
        errors_add_at(errors, db->path, 0, 0,
                      "the register's last entry is not the one its head records (entries were "
                      "deleted?); nothing is recorded until 'missive register verify' is clean");
        status = -1;
    }
    /* Files were made by this process: its builds made their bytes. */
    if (!e->libraries && e->file_count > 0)
        e->libraries = versions_text();
    if (!e->office && db->office)
        e->office = arena_strdup(arena, db->office);
    if (status == 0) {
        e->id = h.last_id + 1;
        e->prev_hash = arena_strdup(arena, h.last_hash);
        char hex[65];
        register_entry_hash(e, hex);
        e->hash = arena_strdup(arena, hex);
        status = register_insert(db, e, errors);
    }
    head_free(&h);
    return status;
}

int register_void(struct register_db *db, struct arena *arena, const char *reference,
                  const char *reason, const char *now, struct register_entry **appended,
                  struct errors *errors)
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
    if (appended)
        *appended = v;
    return register_append(db, arena, v, (struct source_loc){0}, errors);
}
