/* register.h — owns the register: an SQLite database in the archive folder
 * recording every reference ever issued, imported or voided, as an
 * append-only chain of entries. Each entry's hash covers its content, its
 * signatories and archived files (with their SHA-256) and the previous
 * entry's hash, so an edited, deleted or reordered entry is detectable.
 * Writers take the database lock (BEGIN IMMEDIATE) before reading the
 * counter, so allocation, archiving and recording are one transaction. */
#ifndef MISSIVE_REGISTER_H
#define MISSIVE_REGISTER_H

#include "arena.h"
#include "entry.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct register_db;

/* Opens (creating when missing) the register of the archive folder
 * archive_dir, which must exist. Waits up to busy_ms for other processes'
 * locks. NULL plus an error when it cannot. */
struct register_db *register_open(const char *archive_dir, int busy_ms, struct errors *errors);
void register_close(struct register_db *db);

/* Takes the write lock (BEGIN IMMEDIATE), waiting for other writers. */
int register_begin(struct register_db *db, struct errors *errors);
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
 * arena) and stores it with its signatories and files. Refuses, with an
 * error at loc, a reference or scope+sequence already recorded. Call under
 * the lock. */
int register_append(struct register_db *db, struct arena *arena, struct register_entry *e,
                    struct source_loc loc, struct errors *errors);

/* Records the void of reference with reason at time now. Errors: no such
 * reference, already void. Call under the lock. */
int register_void(struct register_db *db, struct arena *arena, const char *reference,
                  const char *reason, const char *now, struct errors *errors);

/* Issue and import entries matching filter, in chain order (array and
 * strings in arena). Returns the count, or -1 with an error. */
long register_list(struct register_db *db, struct arena *arena,
                   const struct register_filter *filter, struct register_entry ***out,
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
 * so that a crash anywhere leaves nothing the next writer cannot remove. */
int register_files_begin(struct register_db *db, char *const *relative, size_t count,
                         struct errors *errors);
/* Writes one archived file under a temporary name, durably (refused when
 * something already lies at relative). Returns 0, or -1 with an error. */
int register_files_write(struct register_db *db, const char *relative, const void *data, size_t len,
                         struct errors *errors);
/* Renames every file written since the last call into place. */
int register_files_install(struct register_db *db, struct errors *errors);
/* Ends the batch after the transaction: committed keeps the files, else
 * every file written is removed; the journal goes either way. */
void register_files_end(struct register_db *db, bool committed, struct errors *errors);
/* Keeps a copy of the font or image at path by its SHA-256 (written to
 * hex) for reprints. Safe from several threads. */
int register_blob(struct register_db *db, const char *path, char hex[65], struct errors *errors);
/* Where an archived file (archive-relative) or the blobs can be read;
 * caller frees. */
char *register_path(const struct register_db *db, const char *relative);

/* The archive folder the register was opened in. */
const char *register_archive_dir(const struct register_db *db);

#endif
