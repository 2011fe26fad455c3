/* output.h — owns writing results to disk: safe file names derived from a
 * reference or letter name (they can never leave the output folder), and
 * all-or-nothing writes of a letter's files (temporary name, fsync,
 * rename; on any failure every temporary is removed and nothing appears). */
#ifndef MISSIVE_OUTPUT_H
#define MISSIVE_OUTPUT_H

#include "buffer.h"
#include "error.h"

#include <stddef.h>

/* A file name stem made from text: letters, digits, '.', '_' and '-' kept,
 * every other run of bytes becomes one '-', no leading '.' or '-', at most
 * 120 bytes; "letter" when nothing is left. Caller frees. */
char *output_safe_name(const char *text);

struct output_file {
    const char *extension; /* "pdf", "txt" */
    const struct buffer *content;
};

/* Writes dir/stem.EXT for every file, creating dir (one level) if needed.
 * Either all files are in place afterwards or none was touched. Returns 0,
 * or -1 with an error naming the path and the system's reason. */
int output_write_all(const char *dir, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors);

/* A batch of letters written into one folder together (a campaign): each
 * letter's files go into a hidden temporary folder beside them as they
 * come, from any thread; output_batch_commit makes them all durable at
 * once (one flush of the file system instead of one per file) and only then
 * moves them into place. Until then nothing appears; freeing an uncommitted
 * batch removes everything it wrote. */
struct output_batch;

/* Starts a batch in dir (created, one level, if missing). NULL plus an
 * error when the folder cannot be made. */
struct output_batch *output_batch_open(const char *dir, struct errors *errors);
/* Writes stem.EXT for each file into the batch. Safe from several threads.
 * Returns 0, or -1 with an error. */
int output_batch_add(struct output_batch *batch, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors);
/* Flushes every file to disk, then renames each into dir. Returns 0, or -1
 * with an error. */
int output_batch_commit(struct output_batch *batch, struct errors *errors);
/* Frees the batch, removing whatever was not committed. NULL is allowed. */
void output_batch_free(struct output_batch *batch);

#endif
