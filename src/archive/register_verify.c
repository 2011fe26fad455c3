/* register_verify.c — checking the register against itself and the
 * archive: the hash chain and its recorded head, every archived file, the
 * fonts and images archived sources name, every blob, voids, and orphan
 * files. */
#include "archive.h"
#include "snapshot.h"
#include "register_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct verifier {
    struct register_db *db;
    struct arena *arena;
    struct errors *problems;
    long count;
};

static void entry_problem(struct verifier *v, const struct register_entry *e, const char *what)
{
    errors_add_at(v->problems, v->db->path, 0, 0, "entry %lld (%s): %s", e->id, e->reference, what);
    v->count++;
}

/* A database failure is a problem too: what it hid was not checked. */
static void db_problem(struct verifier *v)
{
    register_db_error(v->db, v->problems);
    v->count++;
}

/* An intact archived source must find every font and image it names
 * (their content is check_blobs' concern). */
static void check_source(struct verifier *v, const char *path, const struct register_file *f)
{
    char *blobs = archive_join(v->db->dir, ARCHIVE_BLOBS);
    size_t before = v->problems->count;
    snapshot_free(snapshot_read_archived(path, f->sha256, blobs, false, v->problems));
    v->count += (long)(v->problems->count - before);
    free(blobs);
}

static char *full_path(const struct register_db *db, const char *relative)
{
    char *path = archive_join(db->dir, relative);
    return path;
}

static void check_file(struct verifier *v, const struct register_entry *e,
                       const struct register_file *f)
{
    char *path = full_path(v->db, f->path);
    char hex[65];
    long long size = 0;
    bool inside = strncmp(f->path, ARCHIVE_LETTERS "/", sizeof ARCHIVE_LETTERS) == 0 &&
                  !strstr(f->path, "..");
    if (!inside) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "entry %lld (%s): file path '%s' is outside the archive's letters/", e->id,
                      e->reference, f->path);
        v->count++;
    } else if (archive_sha256_file(path, hex, &size) != 0) {
        errors_add_at(v->problems, path, 0, 0, "archived %s of %s (entry %lld) %s", f->role,
                      e->reference, e->id, errno == ENOENT ? "is missing" : "cannot be read");
        v->count++;
    } else if (strcmp(hex, f->sha256) != 0 || size != f->size) {
        errors_add_at(v->problems, path, 0, 0,
                      "archived %s of %s (entry %lld) has changed: SHA-256 %s, %lld bytes; the "
                      "register recorded %s, %lld bytes",
                      f->role, e->reference, e->id, hex, size, f->sha256, f->size);
        v->count++;
    } else if (strcmp(f->role, "source") == 0) {
        check_source(v, path, f);
    }
    free(path);
}

/* A void must follow the issue or import it voids, with the same number. */
static void check_void(struct verifier *v, const struct register_entry *e)
{
    sqlite3_stmt *stmt = register_prepare(
        v->db,
        "SELECT 1 FROM entries WHERE event != 'void' AND reference = ? AND scope = ? AND seq = ?"
        " AND id < ?",
        v->problems);
    if (!stmt) {
        v->count++;
        return;
    }
    register_bind_text(stmt, 1, e->reference);
    register_bind_text(stmt, 2, e->scope);
    sqlite3_bind_int64(stmt, 3, e->seq);
    sqlite3_bind_int64(stmt, 4, e->id);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE)
        entry_problem(v, e, "voids a reference that no earlier entry records");
    else if (rc != SQLITE_ROW)
        db_problem(v);
    sqlite3_finalize(stmt);
}

/* Walks the chain; returns the last entry id and fills head. */
static long long check_chain(struct verifier *v, char head[65])
{
    sqlite3_stmt *stmt = register_select_all(v->db, v->problems);
    long long expected = 1;
    strcpy(head, REGISTER_ZERO_HASH);
    int rc = SQLITE_DONE;
    if (!stmt)
        v->count++;
    while (stmt && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct register_entry *e = register_read_entry(v->db, v->arena, stmt, v->problems);
        if (!e) {
            v->count++; /* the database failed: the rest is unchecked */
            rc = SQLITE_DONE;
            break;
        }
        if (e->id == expected + 1) {
            errors_add_at(v->problems, v->db->path, 0, 0,
                          "entry %lld is missing (deleted from the register)", expected);
            v->count++;
        } else if (e->id != expected) {
            errors_add_at(v->problems, v->db->path, 0, 0,
                          "entries %lld to %lld are missing (deleted from the register)", expected,
                          e->id - 1);
            v->count++;
        }
        char hex[65];
        register_entry_hash(e, hex);
        if (strcmp(e->prev_hash, head) != 0)
            entry_problem(v, e,
                          "its link to the entry before is broken (an earlier entry was edited, "
                          "deleted or reordered)");
        if (strcmp(hex, e->hash) != 0)
            entry_problem(v, e, "its content does not match its hash (the entry was edited)");
        if (strcmp(e->event, "void") == 0)
            check_void(v, e);
        for (size_t i = 0; i < e->file_count; i++)
            check_file(v, e, &e->files[i]);
        snprintf(head, 65, "%s", e->hash);
        expected = e->id + 1;
    }
    if (rc != SQLITE_DONE)
        db_problem(v);
    sqlite3_finalize(stmt);
    return expected - 1;
}

/* The head recorded at each append catches entries cut off the end. */
static void check_head(struct verifier *v, long long last, const char *head)
{
    sqlite3_stmt *stmt =
        register_prepare(v->db,
                         "SELECT (SELECT value FROM meta WHERE key = 'head_count'),"
                         " (SELECT value FROM meta WHERE key = 'head_hash')",
                         v->problems);
    if (!stmt || sqlite3_step(stmt) != SQLITE_ROW) {
        sqlite3_finalize(stmt);
        v->count++;
        return;
    }
    const char *count = (const char *)sqlite3_column_text(stmt, 0);
    const char *hash = (const char *)sqlite3_column_text(stmt, 1);
    char text[32];
    snprintf(text, sizeof text, "%lld", last);
    if (!count || !hash || strcmp(count, text) != 0 || strcmp(hash, head) != 0) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "the register's head records %s entries ending in %.12s..., but the chain "
                      "has %lld ending in %.12s... (entries deleted at the end, or the head "
                      "edited)",
                      count ? count : "no", hash ? hash : "nothing", last, head);
        v->count++;
    }
    sqlite3_finalize(stmt);
}

static void orphan(struct verifier *v, const char *path, const char *why)
{
    errors_add_at(v->problems, path, 0, 0, "%s", why);
    v->count++;
}

/* The names in dir; NULL when there is none or (a problem) it cannot be
 * read. */
static char **folder(struct verifier *v, const char *dir)
{
    char **names = archive_names(dir);
    if (!names && errno != ENOENT) {
        errors_add_at(v->problems, dir, 0, 0, "cannot read folder: %s", strerror(errno));
        v->count++;
    }
    return names;
}

static void check_letters(struct verifier *v)
{
    char *dir = full_path(v->db, ARCHIVE_LETTERS);
    char **names = folder(v, dir);
    sqlite3_stmt *stmt =
        names ? register_prepare(v->db, "SELECT 1 FROM files WHERE path = ?", v->problems) : NULL;
    if (names && !stmt)
        v->count++;
    for (size_t i = 0; stmt && names[i]; i++) {
        char *relative = archive_join(ARCHIVE_LETTERS, names[i]);
        sqlite3_reset(stmt);
        register_bind_text(stmt, 1, relative);
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) {
            char *path = full_path(v->db, relative);
            orphan(v, path,
                   "no entry records this file (an orphan: its entry was deleted, or the file "
                   "was put there by hand)");
            free(path);
        } else if (rc != SQLITE_ROW) {
            db_problem(v);
        }
        free(relative);
    }
    sqlite3_finalize(stmt);
    archive_names_free(names);
    free(dir);
}

static bool is_sha256(const char *name)
{
    size_t n = strspn(name, "0123456789abcdef");
    return n == 64 && !name[n];
}

static void check_blobs(struct verifier *v)
{
    char *dir = full_path(v->db, ARCHIVE_BLOBS);
    char **names = folder(v, dir);
    for (size_t i = 0; names && names[i]; i++) {
        char *path = archive_join(dir, names[i]);
        char hex[65];
        if (!is_sha256(names[i]))
            orphan(v, path,
                   "missive did not make this file: copies of fonts and images are named by "
                   "their SHA-256 (an orphan: put there by hand?)");
        else if (archive_sha256_file(path, hex, NULL) != 0 || strcmp(hex, names[i]) != 0)
            orphan(v, path,
                   "font or image copy does not match its name (its SHA-256): it has changed");
        free(path);
    }
    archive_names_free(names);
    free(dir);
}

/* The archive folder holds the register (and SQLite's companions), the
 * pending journal, letters/ and blobs/: anything else was put there. */
static void check_root(struct verifier *v)
{
    char **names = folder(v, v->db->dir);
    for (size_t i = 0; names && names[i]; i++) {
        const char *name = names[i];
        const char *known[] = {ARCHIVE_REGISTER,        ARCHIVE_REGISTER "-wal",
                               ARCHIVE_REGISTER "-shm", ARCHIVE_REGISTER "-journal",
                               ARCHIVE_PENDING,         ARCHIVE_LETTERS,
                               ARCHIVE_BLOBS,           ARCHIVE_CHECKPOINTS};
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(name, known[k]) != 0)
            k++;
        if (k == sizeof known / sizeof *known) {
            char *path = full_path(v->db, name);
            orphan(v, path,
                   "missive did not make this file (an orphan in the archive folder: put there "
                   "by hand?)");
            free(path);
        }
    }
    archive_names_free(names);
}

long register_verify(struct register_db *db, long long *entries, char head[65],
                     struct errors *problems)
{
    struct verifier v = {.db = db, .arena = arena_new(), .problems = problems};
    *entries = check_chain(&v, head);
    check_head(&v, *entries, head);
    check_letters(&v);
    check_blobs(&v);
    check_root(&v);
    arena_free(v.arena);
    return v.count;
}
