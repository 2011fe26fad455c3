/* csvfile.c — owns the one CSV reader. libcsv does the parsing; it is fed
 * one physical line at a time (cheap, unlike a byte at a time) while a
 * small scan of the same line notes where each cell starts, since libcsv
 * reports no positions. The scan only has to agree with libcsv on valid
 * input: on anything else libcsv's strict mode fails first. */
#include "csvfile.h"

#include "arena.h"
#include "buffer.h"
#include "path.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csvfile_reader {
    const char *path;
    struct errors *errors;
    csvfile_row_fn row;
    void *context;
    int stopped; /* the callback's non-zero value */
    /* the record being read: cells reused from record to record */
    struct buffer *cells;
    const char **texts;
    size_t *lengths;
    size_t count, capacity;
    /* where cells start, as the scan found them */
    struct source_loc *locs;
    size_t loc_count, loc_capacity;
    struct source_loc record;
    struct source_loc quote; /* the last opening quote */
    /* A record whole_record read: where its cells start in its bytes
     * (locs are then worked out only when asked), else NULL. */
    const char *data;
    size_t start, *offsets, offset_capacity;
    /* Whether whole_record may end cells with a NUL in the text it reads
     * (the chunks read here, never a caller's): such cells are then
     * given in place rather than copied. borrowed[i]: cell i is. */
    bool writable;
    bool *borrowed;
    /* scan state carried from line to line (and from chunk to chunk) */
    bool in_record, quoted, cell_has_text;
    int line; /* physical lines read so far */
};

static void grow(struct csvfile_reader *r)
{
    size_t cap = r->capacity ? 2 * r->capacity : 16;
    r->cells = xrealloc(r->cells, cap * sizeof *r->cells);
    memset(r->cells + r->capacity, 0, (cap - r->capacity) * sizeof *r->cells);
    r->texts = xrealloc(r->texts, cap * sizeof *r->texts);
    r->lengths = xrealloc(r->lengths, cap * sizeof *r->lengths);
    r->borrowed = xrealloc(r->borrowed, cap * sizeof *r->borrowed);
    r->capacity = cap;
}

static void push_loc(struct csvfile_reader *r, int line, int column)
{
    if (r->loc_count == r->loc_capacity) {
        r->loc_capacity = r->loc_capacity ? 2 * r->loc_capacity : 16;
        r->locs = xrealloc(r->locs, r->loc_capacity * sizeof *r->locs);
    }
    r->locs[r->loc_count++] = (struct source_loc){r->path, line, column};
}

static void on_field(void *data, size_t len, void *context)
{
    struct csvfile_reader *r = context;
    if (r->count == r->capacity)
        grow(r);
    struct buffer *b = &r->cells[r->count++];
    buffer_reset(b);
    buffer_append(b, data ? data : "", data ? len : 0);
}

/* The longest run of bytes without a space, tab or line break. */
static size_t longest_word(const char *text, size_t len)
{
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        run = c == ' ' || c == '\t' || c == '\n' || c == '\r' ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    return longest;
}

/* A cell with a NUL byte would be stored cut short; a huge cell or word
 * would cost time in every later stage: each is an error at the cell,
 * which names the limit but does not quote the cell. */
static bool cell_within_limits(struct csvfile_reader *r, const char *text, size_t len,
                               const struct csvfile_row *row, size_t cell)
{
    const struct path_limits *limits = path_limits();
    char size[32];
    if (memchr(text, '\0', len)) {
        errors_add(r->errors, csvfile_cell_loc(row, cell),
                   "the value holds a NUL byte (at byte %zu): missive stores text only",
                   (size_t)((const char *)memchr(text, '\0', len) - text) + 1);
        return false;
    }
    if (len > limits->value_bytes) {
        error_count(size, sizeof size, len);
        errors_add(r->errors, csvfile_cell_loc(row, cell),
                   "the value is %s bytes long, over the limit of %zu KB for one value ([limits] "
                   "value_kb in missive.ini)",
                   size, limits->value_bytes / 1024);
        return false;
    }
    /* A cell no longer than the limit holds no word longer than it. */
    size_t word = len > limits->word_bytes ? longest_word(text, len) : 0;
    if (word > limits->word_bytes) {
        error_count(size, sizeof size, word);
        errors_add(r->errors, csvfile_cell_loc(row, cell),
                   "the value holds a word of %s bytes, over the limit of %zu bytes for one word "
                   "([limits] word_bytes in missive.ini)",
                   size, limits->word_bytes);
        return false;
    }
    return true;
}

static void on_record(int terminator, void *context)
{
    (void)terminator;
    struct csvfile_reader *r = context;
    size_t n = r->count;
    r->count = 0;
    if (r->stopped || n == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        if (r->data && r->borrowed[i])
            continue; /* whole_record's, in place */
        r->texts[i] = r->cells[i].data ? r->cells[i].data : "";
        r->lengths[i] = r->cells[i].len;
    }
    if (!r->data)
        while (r->loc_count < n)
            push_loc(r, r->record.line, 0);
    struct csvfile_row row = {n, r->texts, r->lengths, r->record, r};
    for (size_t i = 0; i < n; i++) {
        if (!cell_within_limits(r, r->texts[i], r->lengths[i], &row, i)) {
            r->stopped = -1;
            return;
        }
    }
    r->stopped = r->row(r->context, &row);
}

/* A line holding only spaces, tabs and its terminator starts no record. */
static bool blank_line(const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(" \t\r\n", line[i]))
            return false;
    return true;
}

static int column_at(const char *line, size_t offset)
{
    int column = 1;
    for (size_t i = 0; i < offset; i++)
        column += ((unsigned char)line[i] & 0xC0) != 0x80;
    return column;
}

/* Notes where the cells of this physical line start, following quotes
 * as libcsv does. */
static void scan_line(struct csvfile_reader *r, const char *line, size_t len, int number)
{
    int column = 1;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (r->quoted) {
            if (c == '"' && i + 1 < len && line[i + 1] == '"')
                i++, column++;
            else if (c == '"')
                r->quoted = false;
        } else if (c == '"' && !r->cell_has_text) {
            r->quoted = r->cell_has_text = true;
            r->quote = (struct source_loc){r->path, number, column};
            r->locs[r->loc_count - 1] = (struct source_loc){r->path, number, column + 1};
        } else if (c == ',') {
            push_loc(r, number, column + 1);
            r->cell_has_text = false;
        } else if (c == '\n' || c == '\r') {
            r->in_record = false;
            break;
        } else if (c != ' ' && c != '\t') {
            if (!r->cell_has_text)
                r->locs[r->loc_count - 1] = (struct source_loc){r->path, number, column};
            r->cell_has_text = true;
        }
        column += ((unsigned char)c & 0xC0) != 0x80;
    }
    if (!r->quoted && len > 0 && line[len - 1] != '\n' && line[len - 1] != '\r')
        r->in_record = false; /* the last line, without a terminator */
}

bool csvfile_libcsv_always;

/* The next cell of the record, empty. */
static struct buffer *new_cell(struct csvfile_reader *r)
{
    if (r->count == r->capacity)
        grow(r);
    r->borrowed[r->count] = false;
    struct buffer *b = &r->cells[r->count++];
    buffer_reset(b);
    return b;
}

/* The next cell of the record: len bytes at text (in the text read) when
 * the reader may end them there with a NUL, else a copy. */
static void text_cell(struct csvfile_reader *r, const char *text, size_t len)
{
    if (!r->writable) {
        buffer_append(new_cell(r), text, len);
        return;
    }
    if (r->count == r->capacity)
        grow(r);
    r->borrowed[r->count] = true;
    r->texts[r->count] = text;
    r->lengths[r->count++] = len;
}

/* Ends the record's cells given in place with a NUL: over the byte after
 * each (a comma, a blank, a closing quote or the record's line end), once
 * the record is known whole, so that nothing libcsv may still read is
 * touched, and before any callback looks at the cells. */
static void end_cells(struct csvfile_reader *r)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->borrowed[i])
            ((char *)r->texts[i])[r->lengths[i]] = '\0';
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The code points in n bytes of UTF-8: the bytes that are not
 * continuation bytes (10xxxxxx), counted eight at a time. */
static size_t code_points(const char *text, size_t n)
{
    size_t count = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        /* Bit 7 of each byte set where bit 7 is and bit 6 is not. */
        uint64_t continuation = w & ~(w << 1) & 0x8080808080808080u;
        count += 8 - (size_t)(((continuation >> 7) * 0x0101010101010101u) >> 56);
    }
    for (; i < n; i++)
        count += ((unsigned char)text[i] & 0xC0) != 0x80;
    return count;
}

/* Where whole_record is: the physical line it is on (its number, where it
 * starts and where its line end is). */
struct place {
    int number;
    size_t start, end;
};

/* The offset of the first line end (\r or \n) at or after from in data,
 * or len. *feed caches the next line feed at or after from (as
 * parse_lines' does), so that a file of carriage returns alone is still
 * searched once. */
static size_t line_end(const char *data, size_t from, size_t len, size_t *feed)
{
    if (*feed < from) {
        const char *f = memchr(data + from, '\n', len - from);
        *feed = f ? (size_t)(f - data) : len;
    }
    const char *cr = memchr(data + from, '\r', *feed - from);
    return cr ? (size_t)(cr - data) : *feed;
}

/* The bytes the line end at offset takes: two for \r\n, else one. */
static size_t end_bytes(const char *data, size_t at, size_t len)
{
    return data[at] == '\r' && at + 1 < len && data[at + 1] == '\n' ? 2 : 1;
}

/* Where a cell starts for messages, as scan_line finds it: its first
 * character that is not a space or tab (the one after an opening quote),
 * or, when it has none, where the cell begins. Only its offset is kept:
 * csvfile_cell_loc counts its line and column if ever asked. */
static void whole_loc(struct csvfile_reader *r, size_t offset)
{
    size_t i = r->count; /* the cell about to be made */
    if (i == r->offset_capacity) {
        r->offset_capacity = r->offset_capacity ? 2 * r->offset_capacity : 16;
        r->offsets = xrealloc(r->offsets, r->offset_capacity * sizeof *r->offsets);
    }
    r->offsets[i] = offset;
}

struct source_loc csvfile_cell_loc(const struct csvfile_row *row, size_t cell)
{
    const struct csvfile_reader *r = row->reader;
    if (!r->data)
        return r->locs[cell];
    /* The record's line ends before the cell, as whole_record follows
     * them (\r\n, \r or \n: only quoted cells hold any). */
    const char *data = r->data;
    size_t offset = r->offsets[cell], line = r->start;
    int number = r->record.line;
    for (size_t i = r->start; i < offset; i++) {
        if (data[i] == '\r' && data[i + 1] == '\n')
            i++;
        if (data[i] == '\r' || data[i] == '\n') {
            number++;
            line = i + 1;
        }
    }
    return (struct source_loc){r->path, number, 1 + (int)code_points(data + line, offset - line)};
}

/* A record that starts at a line and ends at a line end within data, its
 * quoted cells closed: its cells as libcsv (csv_parse, strict) gives them
 * and their locations as scan_line gives them, found here without
 * libcsv's work and call a byte (a third of reading a petition's signers)
 * and without scanning every byte. Unquoted cells lose the spaces and tabs
 * at both ends; a quoted one is what its quotes hold (line ends included),
 * a doubled quote one quote, and may be followed by spaces. What libcsv
 * would refuse (a quote inside an unquoted cell, text after a closing
 * quote) or what does not end within data goes to libcsv instead: false,
 * the record and its locations untouched. Else *used is where the record
 * ends (after its line end), *lines the physical lines after its first. */
static bool whole_record(struct csvfile_reader *r, const char *data, size_t len, size_t start,
                         int number, size_t *feed, size_t *used, int *lines)
{
    struct place pl = {.number = number, .start = start};
    size_t first_feed = *feed; /* the caller's, should its lines go to libcsv */
    pl.end = line_end(data, start, len, feed);
    if (csvfile_libcsv_always || pl.end == len)
        goto libcsv; /* the file's last line, without a line end */
    for (size_t at = start;;) {
        size_t cell = at;
        while (at < pl.end && blank(data[at]))
            at++;
        size_t next;
        if (at < pl.end && data[at] == '"') {
            whole_loc(r, at + 1);
            size_t i = at + 1;
            const char *quote = memchr(data + i, '"', len - i);
            if (quote && (size_t)(quote - data) + 1 < len && quote[1] != '"') {
                /* No doubled quote: the cell is the text up to its closing
                 * quote, line ends included. */
                size_t q = (size_t)(quote - data);
                while (q > pl.end) {
                    pl.start = pl.end + end_bytes(data, pl.end, len);
                    pl.number++;
                    pl.end = line_end(data, pl.start, len, feed);
                }
                text_cell(r, data + i, q - i);
                i = q + 1;
                goto closed;
            }
            struct buffer *b = new_cell(r);
            for (;;) {
                const char *quote = memchr(data + i, '"', len - i);
                if (!quote)
                    goto libcsv; /* the cell goes on past data */
                size_t q = (size_t)(quote - data);
                while (q > pl.end) {
                    /* The cell goes on to the next physical line. */
                    pl.start = pl.end + end_bytes(data, pl.end, len);
                    pl.number++;
                    pl.end = line_end(data, pl.start, len, feed);
                }
                buffer_append(b, data + i, q - i);
                if (q + 1 < len && data[q + 1] == '"') {
                    buffer_putc(b, '"');
                    i = q + 2;
                    continue;
                }
                i = q + 1;
                break;
            }
        closed:
            if (pl.end == len)
                goto libcsv;
            while (i < pl.end && blank(data[i]))
                i++;
            if (i < pl.end && data[i] != ',')
                goto libcsv; /* libcsv's error */
            next = i;
        } else {
            const char *comma = memchr(data + at, ',', pl.end - at);
            next = comma ? (size_t)(comma - data) : pl.end;
            if (memchr(data + at, '"', next - at))
                goto libcsv; /* libcsv's error */
            whole_loc(r, at < next ? at : cell);
            size_t last = next;
            while (last > at && blank(data[last - 1]))
                last--;
            text_cell(r, data + at, last - at);
        }
        if (next == pl.end)
            break;
        at = next + 1;
    }
    *used = pl.end + end_bytes(data, pl.end, len);
    *lines = pl.number - number;
    r->in_record = false;
    r->data = data;
    r->start = start;
    int terminator = (unsigned char)data[pl.end];
    end_cells(r);
    on_record(terminator, r);
    r->data = NULL;
    return true;
libcsv:
    *feed = first_feed;
    r->count = 0;
    r->loc_count = 0;
    push_loc(r, number, 1);
    return false;
}

/* Feeds the lines of data (whole lines, but for the file's last) to
 * libcsv. */
static void parse_lines(struct csvfile_reader *r, struct csv_parser *csv, const char *data,
                        size_t len)
{
    size_t at = 0;
    /* The next line feed at or after at (len: none); a carriage return is
     * looked for only before it, so a file of carriage returns alone is
     * still read in one pass. */
    size_t feed = 0;
    bool searched = false;
    while (at < len && !r->stopped) {
        if (!searched || feed < at) {
            const char *f = memchr(data + at, '\n', len - at);
            feed = f ? (size_t)(f - data) : len;
            searched = true;
        }
        const char *cr = memchr(data + at, '\r', feed - at);
        size_t end = cr ? (size_t)(cr - data) : feed;
        if (end < len && data[end] == '\r' && end + 1 < len && data[end + 1] == '\n')
            end++;
        if (end < len)
            end++;
        int number = ++r->line;
        const char *line = data + at;
        at = end;
        size_t n = end - (size_t)(line - data);
        if (!r->in_record) {
            if (blank_line(line, n))
                continue;
            r->in_record = true;
            r->cell_has_text = false;
            r->record = (struct source_loc){r->path, number, 1};
            r->loc_count = 0;
            size_t used;
            int lines;
            if (whole_record(r, data, len, (size_t)(line - data), number, &feed, &used, &lines)) {
                at = used;
                r->line += lines;
                continue;
            }
            /* whole_record left the record's first location. */
        }
        scan_line(r, line, n, number);
        size_t done = csv_parse(csv, line, n, on_field, on_record, r);
        if (done != n) {
            errors_add_at(r->errors, r->path, number, column_at(line, done),
                          "malformed CSV: a quote inside an unquoted field, or text after a "
                          "closing quote (quote the whole field and double the quotes in it)");
            r->stopped = -1;
        }
    }
}

static void finish_lines(struct csvfile_reader *r, struct csv_parser *csv)
{
    if (!r->stopped && csv_fini(csv, on_field, on_record, r) != 0) {
        errors_add(r->errors, r->quote,
                   "malformed CSV: the quoted field starting here is never closed");
        r->stopped = -1;
    }
}

/* The bytes a UTF-8 byte order mark takes at the start of data (0 or 3),
 * or -1 after an error for a UTF-16 file. */
static int start_of_text(const char *path, const char *data, size_t len, struct errors *errors)
{
    if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0)) {
        errors_add_at(errors, path, 1, 0, "the file is UTF-16: export it as CSV in UTF-8 instead");
        return -1;
    }
    /* a UTF-8 byte order mark, as spreadsheets write */
    return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static void reader_init(struct csvfile_reader *r, struct csv_parser *csv, const char *path,
                        csvfile_row_fn row, void *context, struct errors *errors)
{
    *r = (struct csvfile_reader){.path = path, .errors = errors, .row = row, .context = context};
    csv_init(csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    /* libcsv grows a field's buffer by a fixed block (128 bytes unless
     * told): a 1 MB field was 8,000 reallocations, quadratic where realloc
     * copies (the fuzzer's ASan build timed out). 1 MB blocks make it a
     * few; untouched pages cost nothing. */
    csv_set_blk_size(csv, 1 << 20);
}

static int reader_free(struct csvfile_reader *r, struct csv_parser *csv)
{
    csv_free(csv);
    for (size_t i = 0; i < r->capacity; i++)
        buffer_free(&r->cells[i]);
    free(r->cells);
    free(r->texts);
    free(r->lengths);
    free(r->borrowed);
    free(r->locs);
    free(r->offsets);
    return r->stopped;
}

int csvfile_parse(const char *path, const char *data, size_t len, csvfile_row_fn row, void *context,
                  struct errors *errors)
{
    int skip = start_of_text(path, data, len, errors);
    if (skip < 0)
        return -1;
    struct csvfile_reader r;
    struct csv_parser csv;
    reader_init(&r, &csv, path, row, context, errors);
    parse_lines(&r, &csv, data + skip, len - (size_t)skip);
    finish_lines(&r, &csv);
    return reader_free(&r, &csv);
}

/* Where the whole lines of data end: after its last line feed, or after
 * a carriage return that is not its last byte (a CR LF may be cut); 0 if
 * none. The first clean bytes are known to hold no line end but perhaps a
 * carriage return as their last, so only what follows is looked at: a line
 * that never ends is scanned once, not once a chunk. */
static size_t whole_lines(const char *data, size_t len, size_t clean)
{
    size_t from = clean > 0 ? clean - 1 : 0;
    for (size_t i = len; i > from; i--)
        if (data[i - 1] == '\n' || (data[i - 1] == '\r' && i < len))
            return i;
    return 0;
}

enum { CHUNK = 256 * 1024 };

int csvfile_parse_fd(const char *path, int fd, size_t max, csvfile_row_fn row, void *context,
                     struct errors *errors)
{
    return csvfile_parse_chunks(path, fd, max, CHUNK, row, context, errors);
}

int csvfile_parse_chunks(const char *path, int fd, size_t max, size_t chunk, csvfile_row_fn row,
                         void *context, struct errors *errors)
{
    struct csvfile_reader r;
    struct csv_parser csv;
    reader_init(&r, &csv, path, row, context, errors);
    r.writable = true;           /* pending is ours */
    struct buffer pending = {0}; /* read, not yet parsed: a line cut by the chunk */
    size_t total = 0, clean = 0; /* pending's first bytes that hold no line end */
    bool first = true;
    for (;;) {
        buffer_reserve(&pending, chunk + 1);
        ssize_t n = read(fd, pending.data + pending.len, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errors_add_at(errors, path, 0, 0, "cannot read file: %s", strerror(errno));
            r.stopped = -1;
            break;
        }
        if ((total += (size_t)n) > max) {
            errors_add_at(errors, path, 0, 0,
                          "the file grew past the limit of %zu MB while it was read", max >> 20);
            r.stopped = -1;
            break;
        }
        pending.len += (size_t)n;
        size_t at = 0;
        if (first && (pending.len >= 3 || n == 0)) {
            int skip = start_of_text(path, pending.data, pending.len, errors);
            if (skip < 0) {
                r.stopped = -1;
                break;
            }
            at = (size_t)skip;
            first = false;
        }
        if (first)
            continue;
        size_t end = n == 0 ? pending.len
                            : at + whole_lines(pending.data + at, pending.len - at,
                                               clean > at ? clean - at : 0);
        parse_lines(&r, &csv, pending.data + at, end - at);
        memmove(pending.data, pending.data + end, pending.len - end);
        pending.len -= end;
        clean = pending.len;
        if (n == 0 || r.stopped)
            break;
    }
    if (!r.stopped)
        finish_lines(&r, &csv);
    buffer_free(&pending);
    return reader_free(&r, &csv);
}

int csvfile_read(const char *path, csvfile_row_fn row, void *context, struct errors *errors)
{
    struct buffer file = {0};
    char reason[512];
    int rc = path_read(path, PATH_NAMED_DATA, &file, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add_at(errors, path, 0, 0, "cannot read file: %s", strerror(errno));
        else
            errors_add_at(errors, path, 0, 0, "the file %s", path_reason_tail(path, reason));
        buffer_free(&file);
        return -1;
    }
    int status = csvfile_parse(path, file.data, file.len, row, context, errors);
    buffer_free(&file);
    return status;
}

bool csvfile_row_blank(const struct csvfile_row *row)
{
    for (size_t c = 0; c < row->count; c++)
        if (row->cells[c][strspn(row->cells[c], " \t\r\n")] != '\0')
            return false;
    return true;
}
