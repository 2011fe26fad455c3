/* register.h — owns the register: a database recording every reference
 * ever issued, imported or voided, as an append-only chain of entries. The
 * database is an SQLite file in the archive folder (the default) or a
 * PostgreSQL database several offices share ([register] url); the
 * functions below are the same for both (register_sqlite.c, register_pg.c). Each entry's hash
 * covers its content, its signatories and archived files (with their SHA-256) and the previous
 * entry's hash, so an edited, deleted or reordered entry is detectable.
 * Writers take the register's write lock before reading the counter, so
 * allocation, archiving and recording are one transaction. */
#ifndef MISSIVE_REGISTER_H
#define MISSIVE_REGISTER_H

#include "arena.h"
#include "buffer.h"
#include "entry.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct register_db;
struct reference_pattern;

/* How to open a register. */
struct register_options {
    const char *url; /* NULL or "": the SQLite file in the archive folder;
                        "postgresql://..." or a libpq connection string */
    bool read_only;  /* for commands that only read: nothing is created
                        or written, a read-only file or role suffices */
    int lock_ms;     /* how long register_begin waits for the lock */
    int note_ms;     /* after this long waiting, waiting() is called once */
    void (*waiting)(void *context, const char *holder); /* holder: who, since when */
    void *context;
    /* The numbering in use, so that verify can check each entry's
     * reference against its scope and sequence (NULL: not checked). */
    const struct reference_pattern *pattern;
    const char *office; /* recorded with each entry appended ([missive] office) */
};

/* Opens the register of the archive folder archive_dir as options say
 * (creating an SQLite register or a PostgreSQL schema when missing and
 * not read-only). NULL plus an error when it cannot. */
struct register_db *register_open_with(const char *archive_dir,
                                       const struct register_options *options,
                                       struct errors *errors);
/* register_open_with for writing the SQLite register, lock wait busy_ms. */
struct register_db *register_open(const char *archive_dir, int busy_ms, struct errors *errors);
void register_close(struct register_db *db);

/* Takes the write lock (BEGIN IMMEDIATE), waiting for other writers. */
int register_begin(struct register_db *db, struct errors *errors);
/* A consistent view for reading (no lock taken, works read-only); end it
 * with register_rollback. */
int register_begin_read(struct register_db *db, struct errors *errors);
int register_commit(struct register_db *db, struct errors *errors);
/* Undoes everything since register_begin (harmless when nothing is open). */
void register_rollback(struct register_db *db);

/* Under the lock: what an interrupted issue left behind — files in
 * letters/ named in the pending journal that no entry records, and
 * missive's own temporaries (output_is_temp) in letters/, blobs/ and the
 * archive folder — is removed and the journal deleted. Nothing else is
 * touched. The archive-relative paths removed are returned
 * (NULL-terminated, free with register_strings_free); errors for what
 * could not be removed. */
char **register_recover(struct register_db *db, struct errors *errors);
void register_strings_free(char **strings);

/* The next sequence number of scope: one more than the highest ever
 * recorded in it (issued, imported or voided), 1 for a new scope; -1 with
 * an error when the database fails. */
long long register_next_seq(struct register_db *db, const char *scope, struct errors *errors);
/* The id the next appended entry will get. */
long long register_next_id(struct register_db *db, struct errors *errors);

/* The issue or import entry of reference (strings in arena), or NULL: none
 * (no error) or a database failure (error added). */
struct register_entry *register_find(struct register_db *db, struct arena *arena,
                                     const char *reference, struct errors *errors);

/* Refuses to go on (error) when the chain does not end where its recorded
 * head says, i.e. entries were cut off its end. */
int register_check_head(struct register_db *db, struct errors *errors);

/* Refuses, with an error at loc, e's reference or e's scope and seq when
 * an issue or import already has it. Returns 0 when both are free, 1 when
 * one is taken, -1 (error on the register) when the database fails. */
int register_check_free(struct register_db *db, struct arena *arena, const struct register_entry *e,
                        struct source_loc loc, struct errors *errors);

/* Appends e at the end of the chain: sets id, prev_hash and hash (in
 * arena) and stores it with its signatories and files. An entry with files
 * records this build's library versions (versions.h) and every entry the
 * office the register was opened for, unless e names them. Refuses, with an
 * error at loc, a reference or scope+sequence already recorded. Call under
 * the lock. */
int register_append(struct register_db *db, struct arena *arena, struct register_entry *e,
                    struct source_loc loc, struct errors *errors);

/* Records the void of reference with reason at time now; the entry
 * appended (in arena) into *appended when that is not NULL. Errors: no
 * such reference, already void. Call under the lock. */
int register_void(struct register_db *db, struct arena *arena, const char *reference,
                  const char *reason, const char *now, struct register_entry **appended,
                  struct errors *errors);

/* Issue and import entries matching filter, in chain order (array and
 * strings in arena). Returns the count, or -1 with an error. */
long register_list(struct register_db *db, struct arena *arena,
                   const struct register_filter *filter, struct register_entry ***out,
                   struct errors *errors);

/* Every entry (voids too), in chain order, with signatories and files (in
 * arena), handed to fn one by one; stops when fn returns non-zero. */
typedef int (*register_entry_fn)(void *context, struct register_entry *e);
int register_each(struct register_db *db, struct arena *arena, register_entry_fn fn, void *context,
                  struct errors *errors);

/* Checks the chain (ids consecutive, each hash recomputed, each link to
 * the previous hash, the recorded head), every archived file (present,
 * same size and SHA-256), every font and image an intact archived source
 * names (present), every blob (its content matching its name), voids
 * pointing at real entries, and files no entry records or missive did not
 * make (orphans) in letters/, blobs/ and the archive folder. Each problem
 * is one error naming the file or entry; a database failure is one too.
 * Call under the lock. Returns the number of problems; *entries gets the
 * number of entries and head the hash of the last one. */
long register_verify(struct register_db *db, long long *entries, char head[65],
                     struct errors *problems);

/* ---- the archived files of the entries being recorded (register_files.c) ---- */

/* Under the lock, before any file of a batch is stored: lists every file
 * the batch will install (archive-relative paths) in the pending journal,
 * so that a crash anywhere leaves nothing the next writer cannot remove.
 * A register that keeps files in itself (PostgreSQL) needs no journal. */
int register_files_begin(struct register_db *db, char *const *relative, size_t count,
                         struct errors *errors);
/* Writes one archived file under a temporary name, durably (refused when
 * something already lies at relative); PostgreSQL stores it as a blob in
 * the open transaction. Returns 0, or -1 with an error. */
int register_files_write(struct register_db *db, const char *relative, const void *data, size_t len,
                         struct errors *errors);
/* Renames every file written since the last call into place. */
int register_files_install(struct register_db *db, struct errors *errors);
/* Ends the batch after the transaction: committed keeps the files, else
 * every file written is removed; the journal goes either way. */
void register_files_end(struct register_db *db, bool committed, struct errors *errors);
/* Keeps a copy of the font or image at path by its SHA-256 (written to
 * hex) for reprints: in blobs/, or as a blob of the database. Safe from
 * several threads. */
int register_blob(struct register_db *db, const char *path, char hex[65], struct errors *errors);
/* Where an archived file (archive-relative) of an SQLite register lies;
 * caller frees. Readers go through register_read_file and
 * register_read_source, which work for every backend. */
char *register_path(const struct register_db *db, const char *relative);

/* Whether db was opened read-only; whether it keeps archived files in
 * itself (PostgreSQL) rather than in the archive folder. */
bool register_is_read_only(const struct register_db *db);
bool register_stores_files(const struct register_db *db);

/* The archive folder the register was opened in. */
const char *register_archive_dir(const struct register_db *db);
/* The register as messages name it: its file, or its URL without password. */
const char *register_name(const struct register_db *db);

/* The content of archived file f (from the archive folder or the
 * database), checked against its recorded SHA-256 and size. -1 with an
 * error naming the file when it is missing, unreadable or changed. */
int register_read_file(struct register_db *db, const struct register_file *f, struct buffer *out,
                       struct errors *errors);
/* A folder holding every archived font and image under its SHA-256 (the
 * archive's blobs/, or for PostgreSQL a private copy made on first use and
 * removed by register_close). NULL with an error. */
const char *register_blob_dir(struct register_db *db, struct errors *errors);

struct snapshot;
/* The archived source f of an entry, read back with the fonts and images
 * it names (their content checked too with check_content). NULL with one
 * error per problem. Free with snapshot_free. */
struct snapshot *register_read_source(struct register_db *db, const struct register_file *f,
                                      bool check_content, struct errors *errors);

/* ---- signed register checkpoints (register_checkpoints.c) ---- */

/* One checkpoint: the signature (DER) of the register's head after entry id. */
struct register_checkpoint {
    long long id;
    const unsigned char *der;
    size_t len;
};
/* Keeps the checkpoint of entry id in the register, in the open
 * transaction (both backends). 0, or -1 with an error. */
int register_checkpoint_put(struct register_db *db, long long id, const void *der, size_t len,
                            struct errors *errors);
/* Every checkpoint, in entry order (in arena): their count, or -1 with an error. */
long register_checkpoints(struct register_db *db, struct arena *arena,
                          struct register_checkpoint **out, struct errors *errors);

/* Copies the register src (every entry as it is, its archived files and
 * fonts) into dst, which must be empty, in one transaction of dst; then
 * verifies dst. Returns the number of entries copied, -2 when dst is not
 * empty, or -1 (errors added). */
long long register_migrate(struct register_db *src, struct register_db *dst, struct errors *errors);

#endif
