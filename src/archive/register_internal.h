/* register_internal.h — what register.c shares with register_verify.c and
 * the backends (register_sqlite.c, register_pg.c): the open register, the
 * backend's table of operations and one way to run SQL on either. Every
 * value travels as text (NULL for SQL NULL), so the register's logic is
 * written once. Not for other modules. */
#ifndef MISSIVE_REGISTER_INTERNAL_H
#define MISSIVE_REGISTER_INTERNAL_H

#include "register.h"

#include <pthread.h>

/* The hash before the first entry. */
#define REGISTER_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Called for each row a query gives: values[0..count-1], NULL for SQL
 * NULL, valid only during the call. A non-zero return stops the query,
 * which then returns that value. */
typedef int (*register_row_fn)(void *context, const char *const *values, int count);

struct register_backend {
    const char *name; /* "sqlite", "postgresql" */
    /* Appended to the statements that read the counter and the head in
     * the issuing transaction (" FOR UPDATE" where rows can be locked). */
    const char *for_update;
    /* Opens db->target for reading or also writing (options->read_only);
     * fills db->impl. -1 with an error. */
    int (*open)(struct register_db *db, const struct register_options *options,
                struct errors *errors);
    void (*close)(struct register_db *db);
    /* The write lock, waited for until the deadline, noting the wait. */
    int (*begin)(struct register_db *db, struct errors *errors);
    /* A consistent snapshot for reading, without the write lock. */
    int (*begin_read)(struct register_db *db, struct errors *errors);
    int (*commit)(struct register_db *db, struct errors *errors);
    void (*rollback)(struct register_db *db);
    /* Runs sql (parameters ?1, ?2... as text) and hands each row to fn. */
    int (*query)(struct register_db *db, const char *sql, int count, const char *const *params,
                 register_row_fn fn, void *context, struct errors *errors);
    /* Archived content by SHA-256: stored in the database (PostgreSQL), or
     * NULL where files live in the archive folder (SQLite). */
    int (*put_blob)(struct register_db *db, const char *sha256, const void *data, size_t len,
                    struct errors *errors);
    int (*get_blob)(struct register_db *db, const char *sha256, struct buffer *out,
                    struct errors *errors);
    /* verify's check of the stored blobs (each matches its SHA-256): the
     * number of problems, each one error. */
    long (*check_blobs)(struct register_db *db, struct errors *problems);
};

struct register_staged {
    char *relative, *final, *temp; /* temp NULL once installed */
};

struct register_db {
    const struct register_backend *backend;
    void *impl;
    char *dir;    /* the archive folder */
    char *path;   /* the register as messages name it: a file or a URL */
    char *office; /* NULL: none */
    bool read_only, in_transaction;
    int lock_ms, note_ms;
    void (*waiting)(void *context, const char *holder);
    void *waiting_context;
    const struct reference_pattern *pattern; /* NULL: references not checked */
    /* Fonts and images by hash: the archive's blobs/, or for PostgreSQL a
     * private folder they were written out to (removed at close). */
    char *blob_dir;
    char **known; /* blobs this connection has seen stored */
    size_t known_count;
    /* The files of the batch since register_files_begin: each one's
     * archive-relative path, and its temporary until it is installed.
     * Removed again unless the batch commits (SQLite). */
    struct register_staged *staged;
    size_t staged_count;
    pthread_mutex_t lock; /* register_blob from several threads */
    bool materialized;    /* every blob of the database is in blob_dir */
};

extern const struct register_backend register_sqlite_backend;
extern const struct register_backend register_pg_backend;

/* Runs sql with params (count of them) on db; each row goes to fn (may be
 * NULL). 0, fn's non-zero return, or -1 with an error. */
int register_query(struct register_db *db, const char *sql, int count, const char *const *params,
                   register_row_fn fn, void *context, struct errors *errors);
/* Runs sql, no rows expected. */
int register_exec(struct register_db *db, const char *sql, int count, const char *const *params,
                  struct errors *errors);
/* The one integer the query gives (first column of the first row), or
 * -1 with an error. */
long long register_number(struct register_db *db, const char *sql, int count,
                          const char *const *params, struct errors *errors);
/* n as text in out. */
const char *register_num(char out[32], long long n);

/* The chain hash of e (its prev_hash included); entries recording library
 * versions hash in format 2, the others in format 1 as before. */
void register_entry_hash(const struct register_entry *e, char hex[65]);
/* Inserts e as it is (id, hashes given) with children and the head and
 * counter it implies: appending and migrating share it. */
int register_insert(struct register_db *db, const struct register_entry *e, struct errors *errors);

/* Puts the file at path, which must have SHA-256 sha256, into db as a
 * blob unless db has it (data: scratch space). 0, or -1 with an error. */
int register_put_file(struct register_db *db, const char *path, const char *sha256,
                      struct buffer *data, struct errors *errors);
/* Also keeps blob hex (data) in the private folder register_blob_dir
 * gives, for a register that keeps its files. */
int register_keep_copy(struct register_db *db, const char *hex, const struct buffer *data,
                       struct errors *errors);
/* Puts e's archived files, and the fonts and images its source names,
 * from the archive folder from_dir into db as blobs (those not there yet). */
int register_store_files(struct register_db *db, const char *from_dir,
                         const struct register_entry *e, struct errors *errors);

#endif
