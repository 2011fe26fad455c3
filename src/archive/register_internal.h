/* register_internal.h — what register.c shares with register_verify.c:
 * the open database and small SQLite helpers. Not for other modules. */
#ifndef MISSIVE_REGISTER_INTERNAL_H
#define MISSIVE_REGISTER_INTERNAL_H

#include "register.h"

#include <sqlite3.h>

/* The hash before the first entry. */
#define REGISTER_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

struct register_staged {
    char *relative, *final, *temp; /* temp NULL once installed */
};

struct register_db {
    sqlite3 *db;
    char *dir;  /* the archive folder */
    char *path; /* dir/register.sqlite, for messages */
    /* The files of the batch since register_files_begin: each one's
     * archive-relative path, and its temporary until it is installed.
     * Removed again unless the batch commits. */
    struct register_staged *staged;
    size_t staged_count;
};

/* Adds SQLite's last message as an error on the register file; returns -1. */
int register_db_error(struct register_db *db, struct errors *errors);
/* A prepared statement, or NULL with an error (errors may be NULL). */
sqlite3_stmt *register_prepare(struct register_db *db, const char *sql, struct errors *errors);
/* Binds text, or NULL when text is NULL. */
void register_bind_text(sqlite3_stmt *stmt, int index, const char *text);
/* A column's text copied into arena, or NULL. */
const char *register_column(struct arena *arena, sqlite3_stmt *stmt, int column);
/* Every entry, in chain order, in the column order register_read_entry reads. */
sqlite3_stmt *register_select_all(struct register_db *db, struct errors *errors);
/* The entry at stmt's current row, with signatories and files. */
struct register_entry *register_read_entry(struct register_db *db, struct arena *arena,
                                           sqlite3_stmt *stmt, struct errors *errors);
/* The chain hash of e (its prev_hash included). */
void register_entry_hash(const struct register_entry *e, char hex[65]);

#endif
