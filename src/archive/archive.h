/* archive.h — owns the files of the archive folder: SHA-256 of data and
 * files (nettle), durable writes (temporary name, fsync, rename, fsync of
 * the folder), content-addressed copies of fonts and images (blobs/), the
 * pending-issue journal that lets a crashed issue be cleaned up, and
 * listing what lies in a folder. It knows nothing of the register's rows. */
#ifndef MISSIVE_ARCHIVE_H
#define MISSIVE_ARCHIVE_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where things live inside the archive folder. */
#define ARCHIVE_REGISTER "register.sqlite"
#define ARCHIVE_LETTERS "letters"
#define ARCHIVE_BLOBS "blobs"
#define ARCHIVE_PENDING "pending.journal"
/* Where signed register checkpoints were kept as files before the register
 * kept them itself (register_checkpoints.c); verify leaves the folder be. */
#define ARCHIVE_CHECKPOINTS "checkpoints"
/* Who holds the register's write lock, for those waiting (SQLite). */
#define ARCHIVE_HOLDER "register.holder"

/* "dir/name", allocated (caller frees). */
char *archive_join(const char *dir, const char *name);

/* The lower-case hex SHA-256 (64 characters and a NUL) of data. */
void archive_sha256(const void *data, size_t len, char hex[65]);
/* The SHA-256 and size of the file at path; -1 with errno set when it
 * cannot be read. */
int archive_sha256_file(const char *path, char hex[65], long long *size);

/* Creates path and its missing parents (like mkdir -p). Returns 0, or -1
 * with an error naming the folder. */
int archive_mkdirs(const char *path, struct errors *errors);

/* The mode of archived files: records nobody should write afterwards. */
#define ARCHIVE_FILE_MODE 0444

/* output_write_temp (ARCHIVE_FILE_MODE) + output_install in one step. */
int archive_write_file(const char *final_path, const void *data, size_t len, struct errors *errors);

/* Makes sure blobs/HASH holds a copy of the file at src (HASH its SHA-256,
 * written to hex). Returns 0, or -1 with an error naming src. */
int archive_blob(const char *archive_dir, const char *src, char hex[65], struct errors *errors);

/* The names in folder dir (not "." or ".."), sorted, NULL-terminated;
 * NULL when the folder cannot be read (errno set; ENOENT for none). Free
 * with archive_names_free. */
char **archive_names(const char *dir);
void archive_names_free(char **names);

/* The journal lists the archive-relative paths an issue is about to
 * install, one per line; it is durable before the first rename and removed
 * after the commit. archive_journal_read returns NULL when there is none. */
int archive_journal_write(const char *archive_dir, char *const *paths, size_t count,
                          struct errors *errors);
char **archive_journal_read(const char *archive_dir);
int archive_journal_remove(const char *archive_dir, struct errors *errors);

#endif
