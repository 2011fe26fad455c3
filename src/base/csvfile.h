/* csvfile.h — owns reading CSV files (spreadsheet exports): libcsv in
 * strict mode, a UTF-8 byte order mark skipped, UTF-16 refused, and every
 * cell located (file:line:col) for messages. The one CSV reader of
 * petition signers, `register import` and people imports. */
#ifndef MISSIVE_CSVFILE_H
#define MISSIVE_CSVFILE_H

#include "error.h"

#include <stdbool.h>

#include <stddef.h>

struct csvfile_reader; /* csvfile.c's */

/* One record as libcsv gives it. Everything is borrowed and valid only
 * during the callback: copy what you keep. */
struct csvfile_row {
    size_t count;                        /* cells */
    const char *const *cells;            /* each NUL-terminated, not trimmed */
    const size_t *lengths;               /* byte length of each cell */
    struct source_loc loc;               /* where the record starts */
    const struct csvfile_reader *reader; /* for csvfile_cell_loc */
};

/* Where cell (below row->count) of row starts: its first character that
 * is not a space or tab (the one after an opening quote), or where the
 * cell begins when it has none. Worked out from the record's bytes when
 * asked (most rows never need it), so only during the callback. */
struct source_loc csvfile_cell_loc(const struct csvfile_row *row, size_t cell);

/* Called for every record, blank ones included (a line of spaces is one
 * empty cell); a non-zero return stops reading with that value. */
typedef int (*csvfile_row_fn)(void *context, const struct csvfile_row *row);

/* Reads CSV text of file path (used for locations only; it must outlive
 * the call's errors). Returns 0, the callback's non-zero value, or -1
 * after adding a located error for a malformed or UTF-16 file. */
int csvfile_parse(const char *path, const char *data, size_t len, csvfile_row_fn row, void *context,
                  struct errors *errors);

/* csvfile_parse of the file open at fd (path for locations), read in
 * chunks rather than whole: a million signers' 140 MB are never held. More
 * than max bytes is an error. */
int csvfile_parse_fd(const char *path, int fd, size_t max, csvfile_row_fn row, void *context,
                     struct errors *errors);

/* csvfile_parse_fd reading chunk bytes at a time (it reads 256 KB): for
 * tests, which cut the text everywhere. */
int csvfile_parse_chunks(const char *path, int fd, size_t max, size_t chunk, csvfile_row_fn row,
                         void *context, struct errors *errors);

/* csvfile_parse on the file at path; a file that cannot be read is an
 * error at path (-1). */
int csvfile_read(const char *path, csvfile_row_fn row, void *context, struct errors *errors);

/* Tests only: every line through libcsv, as before the quote-free
 * lines' own split (csvfile.c), to show that both read alike. */
extern bool csvfile_libcsv_always;

/* Whether every cell of row is empty or whitespace. */
bool csvfile_row_blank(const struct csvfile_row *row);

#endif
