/* error.h — owns diagnostics. A user mistake travels as an error value with
 * the file, line and column it points at; lower layers append them to an
 * error list and return failure, and only the CLI prints them, once, as
 *   file:line:col: error: message
 * Line or column 0 means unknown and is left out of the printed form. */
#ifndef MISSIVE_ERROR_H
#define MISSIVE_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A place in a source file. file is borrowed: it must outlive the location
 * (loaders keep file names in a long-lived arena). */
struct source_loc {
    const char *file;
    int line;
    int column;
};

struct error {
    char *file;    /* owned copy; may be NULL for errors with no file */
    int line;      /* 1-based, 0 = unknown */
    int column;    /* 1-based, 0 = unknown */
    char *message; /* owned, one line, no trailing newline or period */
};

/* A growable list of errors; the list owns its entries. Zero-initialise it
 * ({0}) and release it with errors_clear. */
struct errors {
    struct error *items;
    size_t count, capacity;
};

/* Appends an error at loc (its file is copied). */
void errors_add(struct errors *list, struct source_loc loc, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends an error at file:line:column (file is copied; may be NULL). */
void errors_add_at(struct errors *list, const char *file, int line, int column, const char *format,
                   ...) __attribute__((format(printf, 5, 6)));
/* Moves every entry of from to the end of to, leaving from empty. */
void errors_take(struct errors *to, struct errors *from);
/* Frees what one entry owns (for a caller that drops entries of a list). */
void error_free(struct error *error);
/* Frees every entry; the list can be reused. */
void errors_clear(struct errors *list);
/* n with thousands separators ("1,000,000") into out. */
void error_count(char *out, size_t size, size_t n);
/* value in single quotes into out; a value longer than 80 bytes is cut
 * to its first 40 and followed by its size: 'aaaa…' (1,000,000 bytes).
 * Returns out. */
const char *error_quote(char *out, size_t size, const char *value);
/* Writes one entry as "file:line:col: error: message\n". */
void error_print(const struct error *error, FILE *out);
/* Writes the entries in order; past 101, the first 100 and a line
 * "missive: error: ... and N more errors" for the rest. */
void errors_print(const struct errors *list, FILE *out);
/* Writes one entry as "file:line:col: warning: message\n". */
void warning_print(const struct error *warning, FILE *out);
/* Writes the entries as warnings, capped as errors_print does: a list of
 * warnings is an error list that does not stop anything. */
void warnings_print(const struct errors *list, FILE *out);

#endif
