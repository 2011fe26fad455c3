/* error.c — the error list and its printed form. */
#include "error.h"

#include "arena.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_MESSAGE = 2000, QUOTE_KEEP = 40, QUOTE_WHOLE = 80 };

/* A file of a million bad lines is a million errors: the first ones are
 * what a reader can use, so only ERRORS_PRINTED are printed. */
enum { ERRORS_PRINTED = 100 };

/* The largest length <= max that does not split a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t max)
{
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void error_count(char *out, size_t size, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%zu", n);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

const char *error_quote(char *out, size_t size, const char *value)
{
    size_t len = strlen(value);
    if (len <= QUOTE_WHOLE) {
        snprintf(out, size, "'%s'", value);
        return out;
    }
    char count[32];
    error_count(count, sizeof count, len);
    snprintf(out, size, "'%.*s…' (%s bytes)", (int)utf8_cut(value, QUOTE_KEEP), value, count);
    return out;
}

static void errors_vadd(struct errors *list, const char *file, int line, int column,
                        const char *format, va_list args)
{
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 8;
        list->items = xrealloc(list->items, list->capacity * sizeof *list->items);
    }
    va_list copy;
    va_copy(copy, args);
    char probe[1]; /* not NULL: GCC's sanitizer builds warn on a NULL destination */
    int len = vsnprintf(probe, sizeof probe, format, copy);
    va_end(copy);
    char *message = xmalloc(len > 0 ? (size_t)len + 1 : 1);
    vsnprintf(message, len > 0 ? (size_t)len + 1 : 1, format, args);
    /* A message is one line: a newline from quoted input would break the
     * file:line:col contract for tools reading our output. */
    for (char *p = message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    /* A value no one quoted through error_quote (a megabyte of id) must
     * not become a megabyte on the terminal. */
    if (len > MAX_MESSAGE) {
        size_t cut = utf8_cut(message, MAX_MESSAGE);
        snprintf(message + cut, (size_t)len + 1 - cut, "… (message of %d bytes shortened)", len);
    }
    struct error *e = &list->items[list->count++];
    e->file = file ? xstrdup(file) : NULL;
    e->line = line;
    e->column = column;
    e->message = message;
}

void errors_add(struct errors *list, struct source_loc loc, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    errors_vadd(list, loc.file, loc.line, loc.column, format, args);
    va_end(args);
}

void errors_add_at(struct errors *list, const char *file, int line, int column, const char *format,
                   ...)
{
    va_list args;
    va_start(args, format);
    errors_vadd(list, file, line, column, format, args);
    va_end(args);
}

void errors_take(struct errors *to, struct errors *from)
{
    for (size_t i = 0; i < from->count; i++) {
        if (to->count == to->capacity) {
            to->capacity = to->capacity ? to->capacity * 2 : 8;
            to->items = xrealloc(to->items, to->capacity * sizeof *to->items);
        }
        to->items[to->count++] = from->items[i];
    }
    free(from->items);
    from->items = NULL;
    from->count = from->capacity = 0;
}

void error_free(struct error *e)
{
    free(e->file);
    free(e->message);
    e->file = e->message = NULL;
}

void errors_clear(struct errors *list)
{
    for (size_t i = 0; i < list->count; i++)
        error_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

static void print_as(const struct error *e, FILE *out, const char *level)
{
    if (e->file && e->line > 0 && e->column > 0)
        fprintf(out, "%s:%d:%d: %s: %s\n", e->file, e->line, e->column, level, e->message);
    else if (e->file && e->line > 0)
        fprintf(out, "%s:%d: %s: %s\n", e->file, e->line, level, e->message);
    else if (e->file)
        fprintf(out, "%s: %s: %s\n", e->file, level, e->message);
    else
        fprintf(out, "missive: %s: %s\n", level, e->message);
}

void error_print(const struct error *e, FILE *out)
{
    print_as(e, out, "error");
}

/* The first ERRORS_PRINTED entries, then how many more there are (one
 * more is printed: its line is no longer than the count). */
static void print_all(const struct errors *list, FILE *out, const char *level)
{
    size_t shown = list->count <= ERRORS_PRINTED + 1 ? list->count : ERRORS_PRINTED;
    for (size_t i = 0; i < shown; i++)
        print_as(&list->items[i], out, level);
    if (list->count > shown) {
        char more[32];
        error_count(more, sizeof more, list->count - shown);
        fprintf(out, "missive: %s: ... and %s more %ss\n", level, more, level);
    }
}

void errors_print(const struct errors *list, FILE *out)
{
    print_all(list, out, "error");
}

void warning_print(const struct error *warning, FILE *out)
{
    print_as(warning, out, "warning");
}

void warnings_print(const struct errors *list, FILE *out)
{
    print_all(list, out, "warning");
}
