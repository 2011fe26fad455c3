/* register_migrate.c — archived files into a register that keeps them
 * (PostgreSQL: blobs by SHA-256, in the entry's own transaction), and
 * copying a whole register, entries as they are, into an empty one. */
#include "archive.h"
#include "register_internal.h"
#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whether db already holds the blob (this process put it, or it is in
 * the database); -1 when the database fails. */
static int known(struct register_db *db, const char *sha256, struct errors *errors)
{
    for (size_t i = 0; i < db->known_count; i++)
        if (strcmp(db->known[i], sha256) == 0)
            return 1;
    long long n =
        register_number(db, "SELECT count(*) FROM blobs WHERE sha256 = ?1", 1, &sha256, errors);
    if (n > 0) {
        db->known = xrealloc(db->known, (db->known_count + 1) * sizeof *db->known);
        db->known[db->known_count++] = xstrdup(sha256);
    }
    return n < 0 ? -1 : n > 0;
}

int register_put_file(struct register_db *db, const char *path, const char *sha256,
                      struct buffer *data, struct errors *errors)
{
    int have = known(db, sha256, errors);
    if (have != 0)
        return have < 0 ? -1 : 0;
    buffer_reset(data);
    if (buffer_read_file(data, path) != 0) {
        errors_add_at(errors, path, 0, 0, "cannot read the archived file: %s", strerror(errno));
        return -1;
    }
    char hex[65];
    archive_sha256(data->data, data->len, hex);
    if (strcmp(hex, sha256) != 0) {
        errors_add_at(errors, path, 0, 0,
                      "has changed since it was archived (SHA-256 %s, recorded %s)", hex, sha256);
        return -1;
    }
    if (db->backend->put_blob(db, sha256, data->data, data->len, errors) != 0)
        return -1;
    db->known = xrealloc(db->known, (db->known_count + 1) * sizeof *db->known);
    db->known[db->known_count++] = xstrdup(sha256);
    return 0;
}

int register_store_files(struct register_db *db, const char *from_dir,
                         const struct register_entry *e, struct errors *errors)
{
    struct buffer data = {0};
    char *blobs = archive_join(from_dir, ARCHIVE_BLOBS);
    int status = 0;
    for (size_t i = 0; i < e->file_count && status == 0; i++) {
        const struct register_file *f = &e->files[i];
        char *path = archive_join(from_dir, f->path);
        status = register_put_file(db, path, f->sha256, &data, errors);
        if (status == 0 && strcmp(f->role, "source") == 0) {
            /* The fonts and images its reprint needs go with it. */
            struct buffer source = {0};
            struct snapshot *x = buffer_read_file(&source, path) == 0
                                     ? snapshot_read(path, source.data, source.len, blobs, errors)
                                     : NULL;
            status = x ? 0 : -1;
            for (size_t k = 0; x && k < x->hash_count && status == 0; k++) {
                char *blob = archive_join(blobs, x->hashes[k]);
                status = register_put_file(db, blob, x->hashes[k], &data, errors);
                free(blob);
            }
            snapshot_free(x);
            buffer_free(&source);
        }
        free(path);
    }
    free(blobs);
    buffer_free(&data);
    return status;
}

struct copier {
    struct register_db *src, *dst;
    struct errors *errors;
    long long count;
};

static int copy_entry(void *context, struct register_entry *e)
{
    struct copier *c = context;
    if (register_stores_files(c->dst) &&
        register_store_files(c->dst, register_archive_dir(c->src), e, c->errors) != 0)
        return -1;
    if (register_insert(c->dst, e, c->errors) != 0)
        return -1;
    c->count++;
    return 0;
}

static int copy_counter(void *context, const char *const *values, int count)
{
    struct copier *c = context;
    (void)count;
    return register_exec(c->dst,
                         "INSERT INTO counters(scope, high) VALUES(?1, ?2) ON CONFLICT(scope)"
                         " DO UPDATE SET high = CASE WHEN excluded.high > counters.high"
                         " THEN excluded.high ELSE counters.high END",
                         2, values, c->errors);
}

static int copy_checkpoint(void *context, const char *const *values, int count)
{
    struct copier *c = context;
    (void)count;
    return register_exec(c->dst, "INSERT INTO checkpoints(entry_id, signature) VALUES(?1, ?2)", 2,
                         values, c->errors);
}

long long register_migrate(struct register_db *src, struct register_db *dst, struct errors *errors)
{
    long long there = register_number(dst, "SELECT count(*) FROM entries", 0, NULL, errors);
    if (there != 0) {
        if (there > 0)
            errors_add_at(errors, dst->path, 0, 0,
                          "the target register already holds %lld entries: migrate copies "
                          "only into an empty register",
                          there);
        return there > 0 ? -2 : -1;
    }
    if (register_begin(dst, errors) != 0)
        return -1;
    struct copier c = {src, dst, errors, 0};
    struct arena *arena = arena_new();
    /* Counted again under the lock: another migrate may have won. */
    there = register_number(dst, "SELECT count(*) FROM entries", 0, NULL, errors);
    int status = there == 0 ? 0 : -1;
    if (there > 0)
        errors_add_at(errors, dst->path, 0, 0, "the target register is no longer empty");
    if (status == 0)
        status = register_each(src, arena, copy_entry, &c, errors);
    if (status == 0)
        status = register_query(src, "SELECT scope, high FROM counters", 0, NULL, copy_counter, &c,
                                errors);
    if (status == 0) /* the signed checkpoints, as they are: verify judges them */
        status =
            register_query(src, "SELECT entry_id, signature FROM checkpoints ORDER BY entry_id", 0,
                           NULL, copy_checkpoint, &c, errors);
    arena_free(arena);
    if (status != 0) {
        register_rollback(dst);
        return -1;
    }
    if (register_commit(dst, errors) != 0)
        return -1;
    /* On arrival: the chain, every file and blob, as verify sees them. */
    long long entries = 0;
    char head[65];
    if (register_begin_read(dst, errors) != 0)
        return -1;
    long problems = register_verify(dst, &entries, head, errors);
    register_rollback(dst);
    if (problems || entries != c.count) {
        errors_add_at(errors, dst->path, 0, 0,
                      "the copy does not verify (%ld problems, %lld of %lld entries)", problems,
                      entries, c.count);
        return -1;
    }
    return c.count;
}
