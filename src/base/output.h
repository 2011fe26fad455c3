/* output.h — owns writing results to disk: safe file names derived from a
 * reference or letter name (they can never leave the output folder), the
 * durable-write primitives the archive uses (temporary name, fsync,
 * rename, folder flush), and writing a letter's or a batch's drafts so that
 * a failure leaves no temporary behind. Drafts are replaced atomically (a
 * temporary renamed over the old file: a reader sees the old file or the
 * new one) but not flushed: after a power cut a draft may be lost or
 * empty, and is made again; only the archive needs to survive one. The one window: when the last of
 * several renames fails, the files renamed before it stay in place. */
#ifndef MISSIVE_OUTPUT_H
#define MISSIVE_OUTPUT_H

#include "buffer.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A file name stem made from text: letters, digits, '.', '_' and '-' kept,
 * every other run of bytes becomes one '-', no leading '.' or '-', at most
 * 120 bytes; "letter" when nothing is left. Caller frees. */
char *output_safe_name(const char *text);

/* Writes data to a new temporary file beside final_path
 * ("FINAL.missive-XXXXXX.tmp") with mode, flushed to disk. Returns the
 * temporary's path (caller frees), or NULL with an error. */
char *output_write_temp(const char *final_path, const void *data, size_t len, mode_t mode,
                        struct errors *errors);
/* true when name (no folder) has the form output_write_temp gives its
 * temporaries, so that recovery removes no file missive did not make. */
bool output_is_temp(const char *name);
/* Flushes the folder holding path, so a rename or unlink in it is durable.
 * 0, or -1 with errno set. */
int output_sync_parent(const char *path);
/* Renames temp to final and flushes final's folder, so the name survives a
 * power cut. Returns 0, or -1 with an error. */
int output_install(const char *temp, const char *final, struct errors *errors);

/* Whether path is a regular file (not a symbolic link) holding exactly
 * len bytes of data. A draft made again unchanged is left as it is — no
 * new file, no rename, no old inode for the file system to free, and its
 * time of change stays — which is most of a campaign rendered again into
 * its folder. */
bool output_holds(const char *path, const char *data, size_t len);

/* The folder of spool files: $TMPDIR, else /tmp. */
const char *output_spool_dir(void);
/* A new unlinked temporary file in output_spool_dir(), open for reading
 * and writing, that nothing can leave behind (it has no name, or loses it
 * at once): its descriptor, or -1 with an error naming the folder and the
 * system's reason. */
int output_spool_open(struct errors *errors);
/* Writes all len bytes of data to fd: 0, or -1 with errno set. */
int output_spool_write(int fd, const void *data, size_t len);

struct output_file {
    const char *extension; /* "pdf", "txt" */
    const struct buffer *content;
};

/* Writes dir/stem.EXT for every file (drafts: not flushed; a file that
 * holds the content already is left alone), creating dir
 * (one level) if needed. Every file is complete before the first rename; after a failure
 * no temporary is left (see the one window above). Returns 0, or -1 with
 * an error naming the path and the system's reason. */
int output_write_all(const char *dir, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors);
/* output_write_all where a file whose fds[i] is not -1 takes its bytes
 * from that descriptor, from its start, not from its content (a
 * petition's PDF, saved into an unlinked file as it was made). */
int output_write_all_from(const char *dir, const char *stem, const struct output_file *files,
                          const int *fds, size_t count, struct errors *errors);

/* A batch of drafts written into one folder together (a campaign): each
 * letter's files go into a hidden temporary folder beside them as they
 * come, from any thread; output_batch_commit moves them all into place.
 * Nothing is flushed (drafts are made again after a power cut). Until then nothing appears; freeing
 * an uncommitted batch removes everything it wrote. */
struct output_batch;

/* Starts a batch in dir (created, one level, if missing). NULL plus an
 * error when the folder cannot be made. */
struct output_batch *output_batch_open(const char *dir, struct errors *errors);
/* Writes stem.EXT for each file into the batch, but for a file dir holds
 * already with that content (left alone). Safe from several threads.
 * Returns 0, or -1 with an error. */
int output_batch_add(struct output_batch *batch, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors);
/* Renames each file into dir. Returns 0, or -1 with an error. */
int output_batch_commit(struct output_batch *batch, struct errors *errors);
/* Frees the batch, removing whatever was not committed. NULL is allowed. */
void output_batch_free(struct output_batch *batch);

#endif
