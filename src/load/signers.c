/* signers.c — owns reading a petition's CSV: the file through libcsv in
 * strict mode, fed one physical line at a time so that every row knows the
 * line it starts on; the header row against the letter's column mapping;
 * and the checks of every row. Duplicates, collation and groups are
 * signers_sort.c's. */
#include "signers.h"

#include "csvfile.h"
#include "signers_internal.h"
#include "path.h"
#include "suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* Past this many wrong rows the rest are counted, not listed: a wrong
 * mapping would otherwise print one error per row of a huge file. */
enum { MAX_ROW_ERRORS = 100 };

struct reader {
    const struct letter_petition *petition;
    struct signers *s;
    struct errors *errors;
    bool skip_invalid;
    const struct csvfile_row *row; /* the record being read */
    int record_line;               /* where it starts */
    /* The header: CSV column -> field index (-1: ignored on purpose). */
    size_t column_count;
    int *field_of_column;
    bool have_header, failed;
    const char *organisation_word, *individual_word;
    struct row_list *rows;
    size_t row_errors, unlisted_errors;
    bool countries[26 * 26]; /* ISO 3166 codes ICU knows, by AA..ZZ */
};

/* ---- the header ---- */

static const char *header_of(const struct reader *r, size_t field)
{
    return r->petition->columns[r->s->field_index[field]].header;
}

/* Matches the header row against the <column>s: every mapped header must
 * be there, every header must be mapped or ignored, none twice. */
static void read_header(struct reader *r)
{
    const struct letter_petition *p = r->petition;
    const char **headers = arena_alloc(r->s->arena, (r->row->count + 1) * sizeof *headers);
    r->column_count = r->row->count;
    r->field_of_column = arena_alloc(r->s->arena, (r->row->count + 1) * sizeof(int));
    for (size_t c = 0; c < r->row->count; c++) {
        headers[c] = arena_strdup(r->s->arena, r->row->cells[c]);
        r->field_of_column[c] = -2; /* not mapped */
        for (size_t k = 0; k < c; k++)
            if (strcmp(headers[k], headers[c]) == 0) {
                errors_add_at(r->errors, r->s->path, r->record_line, 0,
                              "column '%s' appears twice in the header", headers[c]);
                r->failed = true;
            }
    }
    for (size_t i = 0; i < p->column_count; i++) {
        const struct letter_column *col = &p->columns[i];
        size_t c = 0;
        while (c < r->column_count && strcmp(headers[c], col->header) != 0)
            c++;
        if (c == r->column_count) {
            const char *hint = suggest_closest(col->header, headers, r->column_count);
            errors_add(r->errors, col->loc, "column '%s' is not in the header of %s%s%s%s",
                       col->header, r->s->path, hint ? " (did you mean '" : "", hint ? hint : "",
                       hint ? "'?)" : "");
            r->failed = true;
            continue;
        }
        r->field_of_column[c] = -1;
        for (size_t f = 0; f < r->s->field_count; f++)
            if (r->s->field_index[f] == i)
                r->field_of_column[c] = (int)f;
    }
    for (size_t c = 0; c < r->column_count; c++) {
        if (r->field_of_column[c] != -2)
            continue;
        errors_add_at(r->errors, r->s->path, r->record_line, 0,
                      "column '%s' is not mapped: map it with <column field=\"...\" "
                      "header=\"%s\"/> or leave it out with <ignore header=\"%s\"/>",
                      headers[c], headers[c], headers[c]);
        r->failed = true;
    }
    r->have_header = true;
}

/* ---- one row ---- */

/* A row's error: reported now, or noted when wrong rows are left out. */
static void row_error(struct reader *r, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void row_error(struct reader *r, const char *format, ...)
{
    char text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (r->skip_invalid) {
        signers_note_add(r->s, true, r->record_line, arena_strdup(r->s->arena, text));
        return;
    }
    if (r->row_errors++ < MAX_ROW_ERRORS)
        errors_add_at(r->errors, r->s->path, r->record_line, 0, "%s", text);
    else
        r->unlisted_errors++;
}

/* Why field text cannot be printed, or NULL: invalid UTF-8, or a control
 * character (tabs and line breaks are whitespace and allowed). */
static const char *bad_text(struct reader *r, const char *text, size_t len)
{
    for (int32_t i = 0; (size_t)i < len;) {
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if (c < 0)
            return "invalid UTF-8";
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
            (c >= 0x80 && c < 0xA0))
            return arena_printf(r->s->arena, "control character U+%04X", (unsigned)c);
    }
    return NULL;
}

/* text with runs of whitespace made one space and the ends trimmed. */
static const char *collapse(struct arena *arena, const char *text, size_t len)
{
    char *out = arena_alloc(arena, len + 1), *o = out;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
            space = o != out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = text[i];
    }
    *o = '\0';
    return out;
}

/* text in Unicode NFC: a name typed with a combining accent (e + U+0301)
 * prints, sorts and compares as the same name typed with é. ASCII and
 * text already composed are kept as they are. */
static const char *compose(struct arena *arena, const char *text)
{
    const char *p = text;
    while (*p && (unsigned char)*p < 0x80)
        p++;
    if (!*p)
        return text;
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    int32_t len = 0;
    u_strFromUTF8(NULL, 0, &len, text, -1, &status);
    status = U_ZERO_ERROR;
    UChar *wide = arena_alloc(arena, ((size_t)len + 1) * sizeof *wide);
    u_strFromUTF8(wide, len + 1, NULL, text, -1, &status);
    if (U_FAILURE(status) || unorm2_isNormalized(nfc, wide, len, &status) || U_FAILURE(status))
        return text;
    int32_t need = unorm2_normalize(nfc, wide, len, NULL, 0, &status);
    status = U_ZERO_ERROR;
    UChar *composed = arena_alloc(arena, ((size_t)need + 1) * sizeof *composed);
    unorm2_normalize(nfc, wide, len, composed, need + 1, &status);
    int32_t bytes = 0;
    u_strToUTF8(NULL, 0, &bytes, composed, need, &status);
    status = U_ZERO_ERROR;
    char *out = arena_alloc(arena, (size_t)bytes + 1);
    u_strToUTF8(out, bytes + 1, NULL, composed, need, &status);
    return U_SUCCESS(status) ? out : text;
}

static bool equal_word(const char *a, const char *b)
{
    return b && strcasecmp(a, b) == 0;
}

/* The signer type the type column's value means, or -1. */
static int type_of(struct reader *r, const char *value)
{
    if (r->organisation_word
            ? equal_word(value, r->organisation_word)
            : equal_word(value, "organisation") || equal_word(value, "organization"))
        return SIGNER_ORGANISATION;
    if (equal_word(value, r->individual_word ? r->individual_word : "individual"))
        return SIGNER_INDIVIDUAL;
    return -1;
}

static bool known_country(const struct reader *r, const char *code)
{
    return strlen(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' &&
           code[1] <= 'Z' && r->countries[(code[0] - 'A') * 26 + (code[1] - 'A')];
}

static bool blank_record(const struct reader *r)
{
    for (size_t c = 0; c < r->row->count; c++) {
        const char *d = r->row->cells[c];
        if (d[strspn(d, " \t\r\n")] != '\0')
            return false;
    }
    return true;
}

/* Checks the record just read and keeps it as a signer when it is right. */
static void read_row(struct reader *r)
{
    struct signers *s = r->s;
    s->rows++;
    if (blank_record(r)) {
        s->blank_rows++;
        return;
    }
    if (r->row->count != r->column_count) {
        row_error(r, "row has %zu field%s, the header has %zu", r->row->count,
                  r->row->count == 1 ? "" : "s", r->column_count);
        s->skipped += r->skip_invalid;
        return;
    }
    size_t before = r->row_errors + r->unlisted_errors + s->left_out_count;
    const char **values = arena_alloc(s->arena, s->field_count * sizeof *values);
    for (size_t f = 0; f < s->field_count; f++)
        values[f] = "";
    bool bad_name = false;
    for (size_t c = 0; c < r->column_count; c++) {
        int f = r->field_of_column[c];
        if (f < 0)
            continue;
        const char *data = r->row->cells[c];
        const char *why = bad_text(r, data, r->row->lengths[c]);
        if (why)
            row_error(r, "%s in column '%s'", why, header_of(r, (size_t)f));
        bad_name = bad_name || (why && f == SIGNERS_NAME);
        values[f] = why ? "" : compose(s->arena, collapse(s->arena, data, r->row->lengths[c]));
    }
    struct signer signer = {.values = values, .line = r->record_line, .country = ""};
    if (!*values[SIGNERS_NAME] && !bad_name)
        row_error(r, "row has no name (column '%s' is empty)", header_of(r, SIGNERS_NAME));
    if (s->field_index[SIGNERS_TYPE] != SIGNERS_UNMAPPED) {
        const char *type = values[SIGNERS_TYPE];
        int t = type_of(r, type);
        if (t < 0)
            row_error(r, "unknown signer type '%s' in column '%s' (expected '%s' or '%s')", type,
                      header_of(r, SIGNERS_TYPE),
                      r->organisation_word ? r->organisation_word : "organisation",
                      r->individual_word ? r->individual_word : "individual");
        signer.type = t == SIGNER_ORGANISATION ? SIGNER_ORGANISATION : SIGNER_INDIVIDUAL;
    }
    if (s->field_index[SIGNERS_COUNTRY] != SIGNERS_UNMAPPED && *values[SIGNERS_COUNTRY]) {
        char *code = arena_strdup(s->arena, values[SIGNERS_COUNTRY]);
        for (char *p = code; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        if (!known_country(r, code))
            row_error(r,
                      "unknown country code '%s' in column '%s' (expected an ISO 3166 code "
                      "such as 'KZ')",
                      values[SIGNERS_COUNTRY], header_of(r, SIGNERS_COUNTRY));
        signer.country = code;
    }
    if (r->row_errors + r->unlisted_errors + s->left_out_count == before)
        signers_push(s, &signer);
    else if (r->skip_invalid)
        s->skipped++;
}

/* ---- the rows ---- */

static int on_row(void *context, const struct csvfile_row *row)
{
    struct reader *r = context;
    r->row = row;
    r->record_line = row->loc.line;
    if (r->have_header)
        read_row(r);
    else
        read_header(r);
    return r->failed;
}

/* ---- the file ---- */

static void load_countries(struct reader *r)
{
    for (const char *const *c = uloc_getISOCountries(); *c; c++)
        if (strlen(*c) == 2)
            r->countries[((*c)[0] - 'A') * 26 + ((*c)[1] - 'A')] = true;
}

/* Field numbers: the known fields first (SIGNERS_NAME...), unmapped ones
 * marked, then every extra field in the letter's order. */
static void map_fields(struct signers *s, const struct letter_petition *p)
{
    static const char *const known[SIGNERS_KNOWN] = {
        [SIGNERS_NAME] = "name",       [SIGNERS_ORGANISATION] = "organisation",
        [SIGNERS_ROLE] = "role",       [SIGNERS_CITY] = "city",
        [SIGNERS_COUNTRY] = "country", [SIGNERS_EMAIL] = "email",
        [SIGNERS_DATE] = "date",       [SIGNERS_TYPE] = "type"};
    s->fields = arena_alloc(s->arena, (SIGNERS_KNOWN + p->column_count) * sizeof *s->fields);
    s->field_index = arena_alloc(s->arena, (SIGNERS_KNOWN + p->column_count) * sizeof(size_t));
    for (size_t f = 0; f < SIGNERS_KNOWN; f++) {
        s->fields[f] = known[f];
        s->field_index[f] = SIGNERS_UNMAPPED;
    }
    s->field_count = SIGNERS_KNOWN;
    for (size_t i = 0; i < p->column_count; i++) {
        if (!p->columns[i].field)
            continue;
        size_t f = 0;
        while (f < SIGNERS_KNOWN && strcmp(known[f], p->columns[i].field) != 0)
            f++;
        if (f == SIGNERS_KNOWN) {
            f = s->field_count++;
            s->fields[f] = p->columns[i].field;
        }
        s->field_index[f] = i;
    }
}

static void find_type_words(struct reader *r)
{
    size_t i = r->s->field_index[SIGNERS_TYPE];
    if (i != SIGNERS_UNMAPPED) {
        r->organisation_word = r->petition->columns[i].organisation;
        r->individual_word = r->petition->columns[i].individual;
    }
}

/* Reads and checks every row into s; false when the file cannot be used. */
static bool read_signers(struct reader *r)
{
    struct signers *s = r->s;
    struct buffer file = {0};
    char reason[512];
    int rc = path_read(s->path, PATH_SIGNERS, &file, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add(r->errors, r->petition->signers_loc, "cannot read signers file '%s': %s",
                       s->path, strerror(errno));
        else
            errors_add(r->errors, r->petition->signers_loc, "%s", reason);
        buffer_free(&file);
        return false;
    }
    if (csvfile_parse(s->path, file.data, file.len, on_row, r, r->errors) != 0)
        r->failed = true;
    buffer_free(&file);
    if (!r->failed && !r->have_header) {
        errors_add_at(r->errors, s->path, 1, 0, "the file is empty: a header row is needed");
        r->failed = true;
    }
    if (r->unlisted_errors)
        errors_add_at(r->errors, s->path, 0, 0,
                      "%zu more errors in rows are not listed (with --skip-invalid-signers the "
                      "report lists them all)",
                      r->unlisted_errors);
    return !r->failed;
}

struct signers *signers_load(const struct letter_petition *petition, const char *locale,
                             bool skip_invalid, struct errors *errors)
{
    struct arena *arena = arena_new();
    struct signers *s = arena_alloc(arena, sizeof *s);
    s->arena = arena;
    s->path = arena_strdup(arena, petition->signers);
    map_fields(s, petition);
    struct reader r = {
        .petition = petition, .s = s, .errors = errors, .skip_invalid = skip_invalid};
    load_countries(&r);
    find_type_words(&r);
    bool ok = read_signers(&r) && r.row_errors == 0;
    if (ok)
        ok = signers_finish(s, petition->group_by, locale, errors) == 0;
    if (!ok) {
        signers_free(s);
        return NULL;
    }
    return s;
}

void signers_free(struct signers *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->merged);
    free(s->left_out);
    arena_free(s->arena);
}

const char *signers_value(const struct signers *signers, const struct signer *signer,
                          const char *field)
{
    for (size_t f = 0; f < signers->field_count; f++)
        if (strcmp(signers->fields[f], field) == 0)
            return signers->field_index[f] == SIGNERS_UNMAPPED ? "" : signer->values[f];
    return "";
}
