/* text.c — the plain-text backend: blocks separated by blank lines,
 * paragraphs filled ragged right by display columns, signatures side by
 * side in columns, a petition's annex one signer per line. Styles are not
 * marked; the letterhead is left out. */
#include "text.h"

#include "layout.h"
#include "output.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Columns between signature columns, and blank lines left to sign in. */
enum { SIGNATURE_GAP = 4, SIGNING_ROOM = 3, MIN_WIDTH = 10 };
/* Signatures to a row at most (the PDF's too), and the narrowest column. */
enum { MAX_ROW = 3, MIN_COLUMN = 12 };
/* Columns by which the continuation lines of a long annex entry stand in. */
enum { ANNEX_INDENT = 2 };

struct text_writer {
    struct arena *arena;
    const struct doc_document *doc; /* its blocks' runs are made once */
    const char *language;
    int width;
    struct buffer *out;
    bool flowed;       /* soft line breaks end in a space (text_render_flowed) */
    int pending_blank; /* blank lines owed before the next line */
    bool started;      /* a line has been written */
    struct errors *errors;
    int file;       /* a spool the text goes to as it is made, or -1 */
    int file_error; /* errno of a failed write to it, 0 */
};

/* Bytes of text held before they go to the spool file. */
enum { SPILL_BYTES = 1 << 20 };

/* Writes what the writer holds to its spool file once it is SPILL_BYTES
 * (all of it when all): a petition's text is tens of megabytes, never
 * held whole. */
static void spill(struct text_writer *w, bool all)
{
    if (w->file < 0 || w->out->len == 0 || (!all && w->out->len < SPILL_BYTES))
        return;
    if (!w->file_error && output_spool_write(w->file, w->out->data, w->out->len) != 0)
        w->file_error = errno ? errno : EIO;
    buffer_reset(w->out);
}

/* Display columns of one code point as a terminal shows it: marks and
 * format characters take none, East Asian wide and fullwidth take two. */
static int code_point_columns(UChar32 c)
{
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR)
        return 0;
    int eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

bool text_icu_always;

/* code_point_columns + 1 of each code point below COLUMNS_END (Latin,
 * Greek, Cyrillic...), 0 until the process first meets it: ICU is asked
 * once per code point met rather than twice a character, and not for all
 * 2,048 of them at the first text (0.15 M instructions of a one-letter
 * process, issue 17). Atomic bytes: threads may fill one at once, with
 * the same value. test_text compares each with ICU's answer. */
enum { COLUMNS_END = 0x800 };
static _Atomic int8_t columns_below[COLUMNS_END];

static inline int columns_of_code_point(UChar32 c)
{
    if (c >= COLUMNS_END || text_icu_always)
        return code_point_columns(c);
    int8_t known = atomic_load_explicit(&columns_below[c], memory_order_relaxed);
    if (known == 0) {
        known = (int8_t)(code_point_columns(c) + 1);
        atomic_store_explicit(&columns_below[c], known, memory_order_relaxed);
    }
    return known - 1;
}

int text_columns(const char *text, size_t len)
{
    int columns = 0;
    for (int32_t i = 0; (size_t)i < len;) {
        /* ASCII takes one column (no ASCII character is a mark, a format
         * character or wide): most of a petition's names. */
        if ((unsigned char)text[i] < 0x80) {
            columns++;
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        columns += c < 0 ? 1 : columns_of_code_point(c);
    }
    return columns;
}

static double measure_columns(void *context, const char *text, size_t len, unsigned style)
{
    (void)context;
    (void)style;
    return text_columns(text, len);
}

static size_t columns_of(const char *text)
{
    return (size_t)measure_columns(NULL, text, strlen(text), 0);
}

/* Writes one output line, preceded by any blank lines owed. Trailing spaces
 * are cut: a ragged line never needs them, and a flowed one gets the one
 * that marks its soft break. */
static void put_soft_line(struct text_writer *w, const char *text, size_t len, bool soft)
{
    if (w->started)
        for (; w->pending_blank > 0; w->pending_blank--)
            buffer_putc(w->out, '\n');
    w->pending_blank = 0;
    w->started = true;
    while (len > 0 && text[len - 1] == ' ')
        len--;
    buffer_append(w->out, text, len);
    if (soft && w->flowed)
        buffer_putc(w->out, ' ');
    buffer_putc(w->out, '\n');
}

static void put_line(struct text_writer *w, const char *text, size_t len)
{
    put_soft_line(w, text, len, false);
}

/* A laid-out line as a NUL-terminated string in the writer's arena. */
static char *line_text(struct text_writer *w, const struct layout_line *line)
{
    size_t len = 0;
    for (size_t p = 0; p < line->count; p++)
        len += line->pieces[p].len + (size_t)line->pieces[p].space_after;
    char *s = arena_alloc_raw(w->arena, len + 1), *at = s;
    for (size_t p = 0; p < line->count; p++) {
        memcpy(at, line->pieces[p].text, line->pieces[p].len);
        at += line->pieces[p].len;
        memset(at, ' ', (size_t)line->pieces[p].space_after);
        at += (size_t)line->pieces[p].space_after;
    }
    *at = '\0';
    return s;
}

/* Whether the eight bytes at s are ASCII. */
static inline bool ascii8(const char *s)
{
    uint64_t v;
    memcpy(&v, s, sizeof v);
    return (v & 0x8080808080808080u) == 0;
}

/* runs filled at the writer's width into *out; soft (may be NULL) tells
 * each line that a paragraph goes on after at a space. */
static size_t runs_soft_lines(struct text_writer *w, const struct doc_run *runs, size_t count,
                              char ***out, bool **soft, bool cached)
{
    struct layout_lines lines;
    struct layout_params params;
    layout_params_default(&params, LAYOUT_RAGGED, w->language);
    static const char key[] = "text columns";
    if (cached)
        layout_paragraph_cached(w->arena, runs, count, w->width, measure_columns, NULL, key,
                                sizeof key, w->language, &params, &lines);
    else
        layout_paragraph_with(w->arena, runs, count, w->width, measure_columns, NULL, w->language,
                              &params, &lines);
    *out = arena_alloc(w->arena, (lines.count ? lines.count : 1) * sizeof **out);
    if (soft)
        *soft = arena_alloc(w->arena, (lines.count ? lines.count : 1) * sizeof **soft);
    for (size_t i = 0; i < lines.count; i++) {
        (*out)[i] = line_text(w, &lines.lines[i]);
        /* After a hyphen or a forced break, the break is the text's own. */
        if (soft)
            (*soft)[i] = i + 1 < lines.count && !lines.lines[i].hyphen && !lines.lines[i].last;
    }
    return lines.count;
}

/* The inline content of block filled at the writer's width (soft as
 * runs_soft_lines). Invalid UTF-8 is reported rather than passed on to the
 * reader's terminal. */
static size_t block_soft_lines(struct text_writer *w, const struct doc_block *block, char ***out,
                               bool **soft, bool cached)
{
    const struct doc_run *runs;
    size_t count = doc_block_runs(w->doc, block, w->arena, &runs);
    for (size_t r = 0; r < count; r++) {
        for (int32_t i = 0; (size_t)i < runs[r].len;) {
            if ((size_t)i + 8 <= runs[r].len && ascii8(runs[r].text + i)) {
                i += 8; /* most text: no character to decode */
                continue;
            }
            UChar32 c;
            U8_NEXT(runs[r].text, i, (int32_t)runs[r].len, c);
            if (c < 0) {
                errors_add(w->errors, runs[r].loc, "invalid UTF-8 in the %s's text",
                           doc_block_kind_name(block->kind));
                break;
            }
        }
    }
    return runs_soft_lines(w, runs, count, out, soft, cached);
}

static size_t block_lines(struct text_writer *w, const struct doc_block *block, char ***out)
{
    return block_soft_lines(w, block, out, NULL, true);
}

/* Past this many bytes a paragraph is not kept in the paragraph cache: a
 * petition's list of organisations (3 MB at a million signers) is laid out
 * once, and a copy would be most of the text's memory. */
enum { CACHED_BYTES = 64 * 1024 };

static size_t inline_bytes(const struct doc_inline *in)
{
    size_t n = 0;
    for (; in; in = in->next)
        n += (in->kind == DOC_TEXT && in->text ? strlen(in->text) : 0) +
             inline_bytes(in->first_child);
    return n;
}

static void put_block_lines(struct text_writer *w, const struct doc_block *block)
{
    char **lines;
    bool *soft;
    /* Written at once, so laid out in memory of their own. */
    struct arena *arena = w->arena;
    w->arena = arena_new();
    size_t count = block_soft_lines(w, block, &lines, &soft,
                                    inline_bytes(block->first_inline) <= CACHED_BYTES);
    for (size_t i = 0; i < count; i++)
        put_soft_line(w, lines[i], strlen(lines[i]), soft[i]);
    arena_free(w->arena);
    w->arena = arena;
}

/* Requests blank lines before the next block; requests do not add up. */
static void want_blank(struct text_writer *w, int lines)
{
    if (w->pending_blank < lines)
        w->pending_blank = lines;
}

/* One block per DOC_LINE child, no blank lines between; empty lines (an
 * optional address part left blank) are skipped. */
static void put_line_children(struct text_writer *w, const struct doc_block *block)
{
    for (const struct doc_block *line = block->first_child; line; line = line->next)
        put_block_lines(w, line);
}

/* A signature's lines, each filled at width columns. */
struct column {
    char **lines;
    size_t count;
    size_t width;
};

static void signature_column(struct text_writer *w, const struct doc_block *signature, int width,
                             struct column *column)
{
    size_t capacity = 0;
    *column = (struct column){0};
    int full = w->width;
    w->width = width;
    for (const struct doc_block *line = signature->first_child; line; line = line->next) {
        char **lines;
        size_t count = block_lines(w, line, &lines);
        if (count == 0) {
            /* Keep an empty line so that line i matches across signatures. */
            lines = arena_alloc(w->arena, sizeof *lines);
            lines[0] = arena_strdup(w->arena, "");
            count = 1;
        }
        if (column->count + count > capacity) {
            capacity = (column->count + count) * 2;
            char **grown = arena_alloc(w->arena, capacity * sizeof *grown);
            if (column->count)
                memcpy(grown, column->lines, column->count * sizeof *grown);
            column->lines = grown;
        }
        for (size_t i = 0; i < count; i++) {
            column->lines[column->count++] = lines[i];
            size_t columns = columns_of(lines[i]);
            if (columns > column->width)
                column->width = columns;
        }
    }
    w->width = full;
}

/* Sets columns [from, to) side by side, line i of each on one output line. */
static void put_signature_row(struct text_writer *w, const struct column *columns, size_t from,
                              size_t to)
{
    size_t height = 0;
    for (size_t c = from; c < to; c++)
        if (columns[c].count > height)
            height = columns[c].count;
    struct buffer b = {0};
    for (size_t i = 0; i < height; i++) {
        buffer_reset(&b);
        for (size_t c = from; c < to; c++) {
            const char *text = i < columns[c].count ? columns[c].lines[i] : "";
            size_t used = columns_of(text);
            buffer_puts(&b, text);
            if (c + 1 < to)
                buffer_repeat(&b, ' ',
                              (columns[c].width > used ? columns[c].width - used : 0) +
                                  SIGNATURE_GAP);
        }
        put_line(w, b.data, b.len);
    }
    buffer_free(&b);
}

/* How many signatures a row holds: up to three, as in the PDF, as long as
 * each column keeps room for a name. */
static size_t row_columns(int width, size_t count)
{
    size_t n = count < MAX_ROW ? count : MAX_ROW;
    while (n > 1 && (width - SIGNATURE_GAP * ((int)n - 1)) / (int)n < MIN_COLUMN)
        n--;
    return n ? n : 1;
}

/* Signatures side by side in rows of up to three, each row after room to
 * sign. A row whose lines fit as they are keeps them; otherwise, as the
 * PDF does, each signature gets an equal column and its long lines (a
 * title) wrap inside it rather than the signatures being stacked. */
static void put_signatures(struct text_writer *w, const struct doc_block *block)
{
    size_t count = 0;
    for (const struct doc_block *s = block->first_child; s; s = s->next)
        count++;
    if (count == 0)
        return;
    size_t per_row = row_columns(w->width, count);
    struct column *columns = arena_alloc(w->arena, per_row * sizeof *columns);
    const struct doc_block *sig = block->first_child;
    while (sig) {
        const struct doc_block *first = sig;
        size_t n = 0, used = 0;
        for (; sig && n < per_row; sig = sig->next, n++) {
            signature_column(w, sig, w->width, &columns[n]);
            used += (n ? SIGNATURE_GAP : 0) + columns[n].width;
        }
        if (used > (size_t)w->width) {
            int width = (w->width - SIGNATURE_GAP * ((int)n - 1)) / (int)n;
            sig = first;
            for (size_t c = 0; c < n; c++, sig = sig->next) {
                signature_column(w, sig, width, &columns[c]);
                if (c + 1 < n && columns[c].width < (size_t)width)
                    columns[c].width = (size_t)width;
            }
        }
        want_blank(w, SIGNING_ROOM);
        put_signature_row(w, columns, 0, n);
    }
}

/* Whether text is valid UTF-8, with its display columns in *columns and,
 * in *spaced, whether its only whitespace is single spaces between words:
 * then doc_runs would give it back as one run of itself. */
static bool scan_entry(const char *text, size_t len, int *columns, bool *spaced)
{
    *columns = 0;
    *spaced = len > 0 && text[0] != ' ' && text[len - 1] != ' ';
    for (int32_t i = 0; (size_t)i < len;) {
        unsigned char b = (unsigned char)text[i];
        if ((unsigned char)(b - 0x21) < 0x5E) { /* printable ASCII, most of an entry */
            ++*columns;
            i++;
            continue;
        }
        if (b < 0x80) {
            if (b == '\t' || b == '\n' || b == '\r' || (b == ' ' && text[i + 1] == ' '))
                *spaced = false;
            ++*columns;
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if (c < 0)
            return false;
        *columns += columns_of_code_point(c);
    }
    return true;
}

/* An entry's lines as layout_entry_lines found them, the later indented
 * (as put_signer writes layout_paragraph's). */
static void put_entry_lines(struct text_writer *w, const char *text,
                            const struct layout_entry_line *lines, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (i == 0) {
            put_line(w, text + lines[i].from, lines[i].to - lines[i].from);
            continue;
        }
        size_t len = ANNEX_INDENT + lines[i].to - lines[i].from;
        char *line = arena_alloc_raw(w->arena, len);
        memset(line, ' ', ANNEX_INDENT);
        memcpy(line + ANNEX_INDENT, text + lines[i].from, lines[i].to - lines[i].from);
        put_line(w, line, len);
    }
}

/* One signer of an annex: on one line when it fits, as it almost always
 * does; otherwise wrapped, the lines after the first indented. */
static void put_signer(struct text_writer *w, const struct doc_block *signer)
{
    /* An entry is one text inline, whitespace already collapsed (annex.c):
     * read it in place, as 100,000 copies would cost memory. */
    const struct doc_inline *in = signer->first_inline;
    bool typed =
        in && !in->next && in->kind == DOC_TEXT && doc_text_as_typed(in->text, w->language);
    const char *text = typed ? in->text : doc_plain_text(w->arena, signer, w->language);
    size_t len = strlen(text);
    int columns;
    bool spaced;
    bool valid = scan_entry(text, len, &columns, &spaced);
    if (valid && columns <= w->width) {
        put_line(w, text, len);
        return;
    }
    struct layout_entry_line two[2];
    size_t fast = valid && typed && spaced
                      ? layout_entry_lines(text, len, w->width - ANNEX_INDENT, measure_columns,
                                           NULL, 0, w->language, two)
                      : 0;
    if (fast) {
        put_entry_lines(w, text, two, fast);
        return;
    }
    char **lines;
    w->width -= ANNEX_INDENT;
    /* Entries are unique: kept in the paragraph cache they would only
     * push out the letter's own paragraphs. Text as typed is its own
     * single run (doc_runs is not asked to copy it). */
    struct doc_run run = {.text = text, .len = len, .loc = in ? in->loc : signer->loc};
    size_t count = valid && typed && spaced ? runs_soft_lines(w, &run, 1, &lines, NULL, false)
                                            : block_soft_lines(w, signer, &lines, NULL, false);
    w->width += ANNEX_INDENT;
    struct buffer b = {0};
    for (size_t i = 0; i < count; i++) {
        buffer_reset(&b);
        buffer_repeat(&b, ' ', i ? ANNEX_INDENT : 0);
        buffer_puts(&b, lines[i]);
        put_line(w, b.data, b.len);
    }
    buffer_free(&b);
}

/* Entries at a time whose scratch memory is freed together. */
enum { SCRATCH_ENTRIES = 256 };

/* The annex: its title, then each group's heading over its signers, one
 * per line. */
static void put_annex(struct text_writer *w, const struct doc_block *annex)
{
    want_blank(w, 2);
    put_block_lines(w, annex);
    for (const struct doc_block *group = annex->first_child; group; group = group->next) {
        want_blank(w, 1);
        put_block_lines(w, group);
        struct doc_entry_view view;
        struct arena *arena = w->arena;
        w->arena = arena_new();
        for (size_t i = 0; i < group->entry_count; i++) {
            if (i % SCRATCH_ENTRIES == SCRATCH_ENTRIES - 1) {
                arena_free(w->arena);
                w->arena = arena_new();
            }
            put_signer(w, doc_entry_block(group, i, &view));
            spill(w, false);
        }
        arena_free(w->arena);
        w->arena = arena;
    }
}

static void put_block(struct text_writer *w, const struct doc_block *block)
{
    switch (block->kind) {
    case DOC_LETTERHEAD:
    case DOC_SENDER: /* page furniture of the PDF: the window's return address */
        return;
    case DOC_ADDRESS:
        put_line_children(w, block);
        break;
    case DOC_SIGNATURES:
        put_signatures(w, block);
        break;
    case DOC_SIGNATURE: {
        /* A lone signature outside a signatures block: a row of one. */
        struct column column;
        signature_column(w, block, w->width, &column);
        want_blank(w, SIGNING_ROOM);
        put_signature_row(w, &column, 0, 1);
        break;
    }
    case DOC_LETTER:
        for (const struct doc_block *child = block->first_child; child; child = child->next)
            put_block(w, child);
        return;
    case DOC_REFERENCE:
    case DOC_DATE:
    case DOC_SUBJECT:
    case DOC_SALUTATION:
    case DOC_PARAGRAPH:
    case DOC_CLOSING:
    case DOC_LINE:
    case DOC_GROUP:
        put_block_lines(w, block);
        break;
    case DOC_SIGNER:
        put_signer(w, block);
        break;
    case DOC_ANNEX:
        put_annex(w, block);
        break;
    }
    want_blank(w, 1);
}

/* About the bytes the annex's entries take as text (one line each). */
static size_t annex_bytes(const struct doc_block *block)
{
    size_t n = 0;
    for (size_t i = 0; i < block->entry_count; i++)
        n += block->entries[i].len + 1;
    for (const struct doc_block *c = block->first_child; c; c = c->next)
        n += annex_bytes(c);
    return n;
}

static int render(const struct doc_document *doc, int width, bool flowed, struct buffer *out,
                  int file, struct errors *errors)
{
    if (width < MIN_WIDTH) {
        errors_add_at(errors, NULL, 0, 0, "text width %d is too narrow (at least %d columns)",
                      width, MIN_WIDTH);
        return -1;
    }
    /* Written straight into out, which is cut back on an error: a
     * petition's text is tens of megabytes, not to be held twice. Room is
     * made for the annex at once rather than by doubling. */
    size_t start = out->len, errors_before = errors->count;
    size_t annex = file >= 0 ? SPILL_BYTES : annex_bytes(doc->root);
    buffer_reserve(out, annex + annex / 8 + 4096);
    out->data[out->len] = '\0';
    struct text_writer w = {.arena = arena_new(),
                            .doc = doc,
                            .language = doc->language,
                            .width = width,
                            .flowed = flowed,
                            .out = out,
                            .errors = errors,
                            .file = file};
    put_block(&w, doc->root);
    spill(&w, true);
    if (w.file_error)
        errors_add_at(errors, NULL, 0, 0, "cannot write the text to a temporary file in %s: %s",
                      output_spool_dir(), strerror(w.file_error));
    int status = errors->count > errors_before ? -1 : 0;
    if (status != 0) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    arena_free(w.arena);
    return status;
}

int text_render(const struct doc_document *doc, int width, struct buffer *out,
                struct errors *errors)
{
    return render(doc, width, false, out, -1, errors);
}

static bool has_annex(const struct doc_block *block)
{
    for (const struct doc_block *b = block; b; b = b->next)
        if (b->kind == DOC_ANNEX || (b->kind == DOC_LETTER && has_annex(b->first_child)))
            return true;
    return false;
}

int text_render_spooled(const struct doc_document *doc, int width, struct buffer *out, int *file,
                        struct errors *errors)
{
    *file = -1;
    if (!has_annex(doc->root))
        return text_render(doc, width, out, errors);
    /* No spool (a $TMPDIR where no file can be made): the text is held,
     * as before; the PDF's spool, made there too, says what is wrong. */
    struct errors ignored = {0};
    int fd = output_spool_open(&ignored);
    errors_clear(&ignored);
    if (fd < 0)
        return text_render(doc, width, out, errors);
    struct buffer held = {0};
    int status = render(doc, width, false, &held, fd, errors);
    buffer_free(&held);
    if (status != 0)
        close(fd);
    else
        *file = fd;
    return status;
}

int text_render_flowed(const struct doc_document *doc, int width, struct buffer *out,
                       struct errors *errors)
{
    return render(doc, width, true, out, -1, errors);
}
