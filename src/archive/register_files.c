/* register_files.c — the archived files of the entries an issue records.
 * The order is the crash-safety protocol's (docs/register.md): under the
 * lock, the journal lists every file of the batch; each file is then
 * written to a temporary name, made durable and renamed into letters/;
 * after the commit the journal goes, after a rollback the files go too.
 * A crash at any point leaves only what the journal or the temporary
 * names mark, which register_recover removes. A register that keeps its
 * files (PostgreSQL) stores each as a blob in the open transaction
 * instead: a rollback or a crash takes it away with the entry. */
#include "register_internal.h"

#include "archive.h"
#include "output.h"
#include "path.h"
#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int register_files_begin(struct register_db *db, char *const *relative, size_t count,
                         struct errors *errors)
{
    if (register_stores_files(db))
        return 0;
    char *letters = archive_join(db->dir, ARCHIVE_LETTERS);
    int status = archive_mkdirs(letters, errors);
    free(letters);
    if (status == 0)
        status = archive_journal_write(db->dir, relative, count, errors);
    return status;
}

int register_files_write(struct register_db *db, const char *relative, const void *data, size_t len,
                         struct errors *errors)
{
    if (register_stores_files(db)) {
        char hex[65];
        archive_sha256(data, len, hex);
        pthread_mutex_lock(&db->lock);
        int status = db->backend->put_blob(db, hex, data, len, errors);
        pthread_mutex_unlock(&db->lock);
        return status;
    }
    char *final = archive_join(db->dir, relative);
    struct stat st;
    char *temp = NULL;
    if (lstat(final, &st) == 0)
        errors_add_at(errors, final, 0, 0,
                      "exists already but no entry records it (see missive register verify); "
                      "nothing was issued");
    else
        temp = output_write_temp(final, data, len, ARCHIVE_FILE_MODE, errors);
    if (!temp) {
        free(final);
        return -1;
    }
    db->staged = xrealloc(db->staged, (db->staged_count + 1) * sizeof *db->staged);
    db->staged[db->staged_count++] = (struct register_staged){xstrdup(relative), final, temp};
    return 0;
}

int register_files_install(struct register_db *db, struct errors *errors)
{
    for (size_t i = 0; i < db->staged_count; i++) {
        struct register_staged *f = &db->staged[i];
        if (!f->temp)
            continue;
        if (output_install(f->temp, f->final, errors) != 0)
            return -1;
        free(f->temp);
        f->temp = NULL;
    }
    return 0;
}

void register_files_end(struct register_db *db, bool committed, struct errors *errors)
{
    if (register_stores_files(db))
        return; /* the transaction kept or dropped them */
    for (size_t i = 0; i < db->staged_count; i++) {
        struct register_staged *f = &db->staged[i];
        if (f->temp)
            unlink(f->temp);
        else if (!committed)
            unlink(f->final);
        free(f->relative);
        free(f->final);
        free(f->temp);
    }
    free(db->staged);
    db->staged = NULL;
    db->staged_count = 0;
    archive_journal_remove(db->dir, errors);
}

int register_blob(struct register_db *db, const char *path, char hex[65], struct errors *errors)
{
    if (!register_stores_files(db))
        return archive_blob(db->dir, path, hex, errors);
    long long size = 0;
    if (archive_sha256_file(path, hex, &size) != 0) {
        errors_add_at(errors, path, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    struct buffer data = {0};
    pthread_mutex_lock(&db->lock);
    /* The issue's own reprint check reads the fonts back from the
     * private folder, before anything is committed. */
    int status = buffer_read_file(&data, path) == 0 ? 0 : -1;
    if (status != 0)
        errors_add_at(errors, path, 0, 0, "cannot read: %s", strerror(errno));
    if (status == 0)
        status = register_keep_copy(db, hex, &data, errors);
    if (status == 0)
        status = register_put_file(db, path, hex, &data, errors);
    pthread_mutex_unlock(&db->lock);
    buffer_free(&data);
    return status;
}

char *register_path(const struct register_db *db, const char *relative)
{
    return archive_join(db->dir, relative);
}

/* ---- reading archived files back ---- */

/* Whether relative stays inside the archive folder: a register written
 * by hand could name any file, and reading it would hand that file out. */
static bool inside_archive(const char *relative)
{
    if (!*relative || relative[0] == '/')
        return false;
    for (const char *p = relative; *p;) {
        size_t n = strcspn(p, "/");
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return false;
        p += n;
        if (*p == '/')
            p++;
    }
    return true;
}

int register_read_file(struct register_db *db, const struct register_file *f, struct buffer *out,
                       struct errors *errors)
{
    if (!inside_archive(f->path)) {
        errors_add_at(errors, db->path, 0, 0,
                      "the register records archived %s '%s' outside the archive folder", f->role,
                      f->path);
        return -1;
    }
    char *path = archive_join(db->dir, f->path);
    int status = 0;
    buffer_reset(out);
    if (register_stores_files(db)) {
        status = db->backend->get_blob(db, f->sha256, out, errors);
    } else if (buffer_read_file(out, path) != 0) {
        errors_add_at(errors, path, 0, 0, "archived %s %s", f->role,
                      errno == ENOENT ? "is missing" : "cannot be read");
        status = -1;
    }
    char hex[65];
    if (status == 0) {
        archive_sha256(out->data, out->len, hex);
        if (strcmp(hex, f->sha256) != 0 || (long long)out->len != f->size) {
            errors_add_at(errors, register_stores_files(db) ? db->path : path, 0, 0,
                          "archived %s %s has changed: SHA-256 %s, %zu bytes; the register "
                          "recorded %s, %lld bytes",
                          f->role, f->path, hex, out->len, f->sha256, f->size);
            status = -1;
        }
    }
    free(path);
    return status;
}

struct blob_names {
    char **names;
    size_t count;
};

static int take_name(void *context, const char *const *v, int count)
{
    struct blob_names *b = context;
    (void)count;
    b->names = xrealloc(b->names, (b->count + 1) * sizeof *b->names);
    b->names[b->count++] = xstrdup(v[0]);
    return 0;
}

/* The private folder of a register that keeps its files, made once. */
static int private_dir(struct register_db *db, struct errors *errors)
{
    if (db->blob_dir)
        return 0;
    char tmpl[] = "/tmp/missive-blobs-XXXXXX";
    if (!mkdtemp(tmpl)) {
        errors_add_at(errors, tmpl, 0, 0, "cannot make a folder for the archived fonts: %s",
                      strerror(errno));
        return -1;
    }
    db->blob_dir = xstrdup(tmpl);
    path_policy_allow(tmpl);
    return 0;
}

/* Writes blob hex (data) into the private folder, unless it is there. */
static int write_out(struct register_db *db, const char *hex, const struct buffer *data,
                     struct errors *errors)
{
    char *path = archive_join(db->blob_dir, hex);
    struct stat st;
    int status = 0;
    if (stat(path, &st) != 0) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data->data, 1, data->len, f) != data->len) {
            errors_add_at(errors, path, 0, 0, "cannot write: %s", strerror(errno));
            status = -1;
        }
        if (f && fclose(f) != 0)
            status = -1;
    }
    free(path);
    return status;
}

int register_keep_copy(struct register_db *db, const char *hex, const struct buffer *data,
                       struct errors *errors)
{
    return private_dir(db, errors) == 0 ? write_out(db, hex, data, errors) : -1;
}

/* Writes every font and image the database holds into the private folder. */
static int materialize(struct register_db *db, struct errors *errors)
{
    if (private_dir(db, errors) != 0)
        return -1;
    struct blob_names b = {0};
    int status = register_query(db,
                                "SELECT sha256 FROM blobs WHERE sha256 NOT IN"
                                " (SELECT sha256 FROM files) ORDER BY sha256",
                                0, NULL, take_name, &b, errors);
    struct buffer data = {0};
    for (size_t i = 0; i < b.count; i++) {
        if (status == 0 && db->backend->get_blob(db, b.names[i], &data, errors) == 0)
            status = write_out(db, b.names[i], &data, errors);
        else
            status = -1;
        free(b.names[i]);
    }
    free(b.names);
    buffer_free(&data);
    db->materialized = status == 0;
    return status;
}

const char *register_blob_dir(struct register_db *db, struct errors *errors)
{
    if (!register_stores_files(db)) {
        if (!db->blob_dir)
            db->blob_dir = archive_join(db->dir, ARCHIVE_BLOBS);
        return db->blob_dir;
    }
    pthread_mutex_lock(&db->lock);
    int status = db->materialized ? 0 : materialize(db, errors);
    pthread_mutex_unlock(&db->lock);
    return status == 0 ? db->blob_dir : NULL;
}

struct snapshot *register_read_source(struct register_db *db, const struct register_file *f,
                                      bool check_content, struct errors *errors)
{
    const char *blobs = register_blob_dir(db, errors);
    if (!blobs)
        return NULL;
    if (!register_stores_files(db)) {
        char *path = archive_join(db->dir, f->path);
        struct snapshot *x = snapshot_read_archived(path, f->sha256, blobs, check_content, errors);
        free(path);
        return x;
    }
    struct buffer data = {0};
    struct snapshot *x = NULL;
    if (register_read_file(db, f, &data, errors) == 0) {
        size_t n = strlen(db->path) + strlen(f->path) + 2;
        char *name = xmalloc(n);
        snprintf(name, n, "%s#%s", db->path, f->path);
        x = snapshot_read_checked(name, data.data, data.len, blobs, check_content, errors);
        free(name);
    }
    buffer_free(&data);
    return x;
}

/* ---- recovery ---- */

/* When in doubt (the database fails: error added), the file is kept. */
static bool path_recorded(struct register_db *db, const char *path, struct errors *errors)
{
    return register_number(db, "SELECT count(*) FROM files WHERE path = ?1", 1, &path, errors) != 0;
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
    if (register_stores_files(db))
        return removed; /* nothing of an issue ever lies outside the database */
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
