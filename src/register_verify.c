/* register_verify.c — checking the register against itself and the
 * archive: the hash chain and its recorded head, every archived file,
 * every blob, voids, and orphan files. */
#include "archive.h"
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
    if (sqlite3_step(stmt) != SQLITE_ROW)
        entry_problem(v, e, "voids a reference that no earlier entry records");
    sqlite3_finalize(stmt);
}

/* Walks the chain; returns the last entry id and fills head. */
static long long check_chain(struct verifier *v, char head[65])
{
    sqlite3_stmt *stmt = register_select_all(v->db, v->problems);
    long long expected = 1;
    strcpy(head, REGISTER_ZERO_HASH);
    while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
        struct register_entry *e = register_read_entry(v->db, v->arena, stmt, v->problems);
        if (!e)
            break;
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

static void check_orphans(struct verifier *v)
{
    char *dir = full_path(v->db, ARCHIVE_LETTERS);
    char **names = archive_names(dir);
    sqlite3_stmt *stmt = register_prepare(v->db, "SELECT 1 FROM files WHERE path = ?", NULL);
    for (size_t i = 0; stmt && names && names[i]; i++) {
        char *relative = archive_join(ARCHIVE_LETTERS, names[i]);
        sqlite3_reset(stmt);
        register_bind_text(stmt, 1, relative);
        if (sqlite3_step(stmt) != SQLITE_ROW) {
            char *path = full_path(v->db, relative);
            errors_add_at(v->problems, path, 0, 0,
                          "no entry records this file (an orphan: its entry was deleted, or "
                          "the file was put there by hand)");
            free(path);
            v->count++;
        }
        free(relative);
    }
    sqlite3_finalize(stmt);
    archive_names_free(names);
    free(dir);
}

static void check_blobs(struct verifier *v)
{
    char *dir = full_path(v->db, ARCHIVE_BLOBS);
    char **names = archive_names(dir);
    for (size_t i = 0; names && names[i]; i++) {
        char *path = archive_join(dir, names[i]);
        char hex[65];
        if (archive_sha256_file(path, hex, NULL) != 0 || strcmp(hex, names[i]) != 0) {
            errors_add_at(v->problems, path, 0, 0,
                          "font or image copy does not match its name (its SHA-256): it has "
                          "changed");
            v->count++;
        }
        free(path);
    }
    archive_names_free(names);
    free(dir);
}

long register_verify(struct register_db *db, long long *entries, char head[65],
                     struct errors *problems)
{
    struct verifier v = {.db = db, .arena = arena_new(), .problems = problems};
    *entries = check_chain(&v, head);
    check_head(&v, *entries, head);
    check_orphans(&v);
    check_blobs(&v);
    arena_free(v.arena);
    return v.count;
}
