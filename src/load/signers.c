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
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* Past this many wrong rows the rest are counted, not listed: a wrong
 * mapping would otherwise print one error per row of a huge file. */
enum { MAX_ROW_ERRORS = 100 };

enum { STABLE_END = 0x800 };

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
    /* Per row, reused: the fields' cleaned values and where each is. */
    struct buffer work, scratch;
    size_t *at, *len;
    const UNormalizer2 *nfc;
    /* nfc_stable of U+0300..U+07FF (Greek and Cyrillic), asked of ICU once
     * per file rather than twice a letter. */
    bool stable[STABLE_END - 0x300];
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

/* Whether code point c (not ASCII) may stand in NFC text as it is,
 * whatever surrounds it: NFC_Quick_Check Yes and no combining class. Most
 * letters of Latin, Greek and Cyrillic names are. */
static bool nfc_stable(UChar32 c)
{
    return c < 0x300 || (u_getCombiningClass(c) == 0 &&
                         u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES);
}

static const uint64_t ONES = 0x0101010101010101u, HIGHS = 0x8080808080808080u;

/* How many bytes from text on are printable ASCII (0x21..0x7E), at least
 * one: eight tested at a time. Each test below marks the first byte it
 * matches exactly (a borrow only runs upwards from a match), and bytes are
 * little-endian in the word, so the lowest mark is the run's end. */
static size_t printable_run(const char *text, size_t len)
{
    size_t i = 1;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        uint64_t low = (w - ONES * 0x21) & ~w;                              /* below 0x21 */
        uint64_t del = ((w ^ (ONES * 0x7F)) - ONES) & ~(w ^ (ONES * 0x7F)); /* 0x7F */
        uint64_t mark = (low | del | w) & HIGHS;                            /* or 0x80 and up */
        if (mark)
            return i + (size_t)(__builtin_ctzll(mark) >> 3);
    }
#endif
    while (i < len && (unsigned char)(text[i] - 0x21) < 0x5E)
        i++;
    return i;
}

/* Appends text, cleaned, to r->work, in one pass: runs of whitespace made
 * one space, the ends trimmed. Returns why the text cannot be printed
 * (invalid UTF-8, a control character; tabs and line breaks are
 * whitespace) or NULL; *composed tells whether it is NFC for sure. */
static const char *clean(struct reader *r, const char *text, size_t len, bool *composed)
{
    struct buffer *w = &r->work;
    buffer_reserve(w, len + 1);
    size_t start = w->len;
    char *out = w->data + w->len, *o = out;
    bool space = false, nfc = true;
    for (int32_t i = 0; (size_t)i < len;) {
        unsigned char b = (unsigned char)text[i];
        if ((unsigned char)(b - 0x21) < 0x5E) {
            /* A run of printable ASCII, most of a name: copied whole. */
            int32_t from = i;
            i = from + (int32_t)printable_run(text + from, len - (size_t)from);
            if (space)
                *o++ = ' ';
            space = false;
            memcpy(o, text + from, (size_t)(i - from));
            o += i - from;
            continue;
        }
        if (b < 0x80) {
            i++;
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                space = o != out;
                continue;
            }
            if (b < 0x20 || b == 0x7F) {
                w->len = start;
                return arena_printf(r->s->arena, "control character U+%04X", (unsigned)b);
            }
            if (space)
                *o++ = ' ';
            space = false;
            *o++ = (char)b;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF && (size_t)i + 1 < len &&
            ((unsigned char)text[i + 1] & 0xC0) == 0x80) {
            /* Two bytes (U+0080..U+07FF), most letters of Latin, Greek and
             * Cyrillic names: U8_NEXT's answer without its general case. */
            UChar32 c = (UChar32)((b & 0x1F) << 6 | ((unsigned char)text[i + 1] & 0x3F));
            if (c < 0xA0) {
                w->len = start;
                return arena_printf(r->s->arena, "control character U+%04X", (unsigned)c);
            }
            nfc = nfc && (c < 0x300 || r->stable[c - 0x300]);
            if (space)
                *o++ = ' ';
            space = false;
            o[0] = (char)b;
            o[1] = text[i + 1];
            o += 2;
            i += 2;
            continue;
        }
        int32_t from = i;
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if (c < 0) {
            w->len = start;
            return "invalid UTF-8";
        }
        if (c >= 0x80 && c < 0xA0) {
            w->len = start;
            return arena_printf(r->s->arena, "control character U+%04X", (unsigned)c);
        }
        nfc = nfc && (c < 0x300 || (c < STABLE_END ? r->stable[c - 0x300] : nfc_stable(c)));
        if (space)
            *o++ = ' ';
        space = false;
        for (int32_t k = from; k < i; k++) /* two or three bytes: no call */
            *o++ = text[k];
    }
    w->len += (size_t)(o - out);
    *composed = nfc;
    return NULL;
}

/* The len bytes at r->work + at in Unicode NFC, appended to r->work: a
 * name typed with a combining accent (e + U+0301) prints, sorts and
 * compares as the same name typed with é. Returns where it starts, or at
 * when the text is NFC already. */
static size_t compose(struct reader *r, size_t at, size_t *len)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t wide_len = 0;
    u_strFromUTF8(NULL, 0, &wide_len, r->work.data + at, (int32_t)*len, &status);
    status = U_ZERO_ERROR;
    size_t need = ((size_t)wide_len + 1) * sizeof(UChar) * 4;
    buffer_reset(&r->scratch);
    buffer_reserve(&r->scratch, need);
    UChar *wide = (UChar *)(void *)r->scratch.data;
    UChar *composed = wide + wide_len + 1;
    int32_t room = (int32_t)(need / sizeof(UChar)) - wide_len - 1;
    u_strFromUTF8(wide, wide_len + 1, NULL, r->work.data + at, (int32_t)*len, &status);
    if (U_FAILURE(status) || unorm2_isNormalized(r->nfc, wide, wide_len, &status) ||
        U_FAILURE(status))
        return at;
    int32_t n = unorm2_normalize(r->nfc, wide, wide_len, composed, room, &status);
    if (U_FAILURE(status))
        return at;
    int32_t bytes = 0;
    u_strToUTF8(NULL, 0, &bytes, composed, n, &status);
    status = U_ZERO_ERROR;
    buffer_reserve(&r->work, (size_t)bytes + 1);
    u_strToUTF8(r->work.data + r->work.len, bytes + 1, NULL, composed, n, &status);
    if (U_FAILURE(status))
        return at;
    size_t start = r->work.len;
    r->work.len += (size_t)bytes;
    *len = (size_t)bytes;
    return start;
}

/* Field f's cleaned value in the row being read (not NUL-terminated). */
static const char *value_of(const struct reader *r, size_t f, size_t *len)
{
    *len = r->len[f];
    return r->work.data ? r->work.data + r->at[f] : "";
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

/* The row's fields in signers.fields order, NUL-terminated and back to
 * back, in the arena: one string a signer. The e-mail is left out. */
static const char *pack_values(struct reader *r)
{
    struct signers *s = r->s;
    size_t total = 0;
    for (size_t f = 0; f < s->field_count; f++)
        total += (f != SIGNERS_EMAIL ? r->len[f] : 0) + 1;
    /* Packed: strings need no alignment. */
    char *values = arena_alloc_chars(s->arena, total), *v = values;
    for (size_t f = 0; f < s->field_count; f++) {
        size_t len = f != SIGNERS_EMAIL ? r->len[f] : 0;
        memcpy(v, r->work.data ? r->work.data + r->at[f] : "", len);
        v[len] = '\0';
        v += len + 1;
    }
    return values;
}

/* The duplicate keys of the row being read (signers_internal.h). */
static void row_keys(struct reader *r, const struct signer *signer, struct signers_keys *keys)
{
    size_t len;
    const char *email = value_of(r, SIGNERS_EMAIL, &len);
    signers_key_hash(signer->type, email, len, &r->scratch, keys->email);
    /* U+001F between the parts: "Ann Lee", "" never equals "Ann", "Lee". */
    size_t at = r->work.len;
    /* The parts point into work: room is made first, so that they stay. */
    buffer_reserve(&r->work, r->len[SIGNERS_NAME] + r->len[SIGNERS_CITY] + 2 + 2);
    const char *parts[3];
    size_t lens[3];
    parts[0] = value_of(r, SIGNERS_NAME, &lens[0]);
    parts[1] = value_of(r, SIGNERS_CITY, &lens[1]);
    parts[2] = signer->country;
    lens[2] = strlen(signer->country);
    for (size_t i = 0; i < 3; i++) {
        if (i)
            buffer_putc(&r->work, '\x1F');
        buffer_append(&r->work, parts[i], lens[i]);
    }
    signers_key_hash(signer->type, r->work.data + at, r->work.len - at, &r->scratch, keys->name);
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
    buffer_reset(&r->work);
    for (size_t f = 0; f < s->field_count; f++)
        r->at[f] = r->len[f] = 0;
    bool bad_name = false;
    for (size_t c = 0; c < r->column_count; c++) {
        int f = r->field_of_column[c];
        if (f < 0)
            continue;
        size_t at = r->work.len;
        bool composed = true;
        const char *why = clean(r, r->row->cells[c], r->row->lengths[c], &composed);
        if (why)
            row_error(r, "%s in column '%s'", why, header_of(r, (size_t)f));
        bad_name = bad_name || (why && f == SIGNERS_NAME);
        size_t len = r->work.len - at;
        r->at[f] = composed ? at : compose(r, at, &len);
        r->len[f] = len;
    }
    struct signer signer = {.line = r->record_line};
    size_t len;
    const char *value = value_of(r, SIGNERS_NAME, &len);
    if (len == 0 && !bad_name)
        row_error(r, "row has no name (column '%s' is empty)", header_of(r, SIGNERS_NAME));
    if (s->field_index[SIGNERS_TYPE] != SIGNERS_UNMAPPED) {
        value = value_of(r, SIGNERS_TYPE, &len);
        char type[256];
        size_t kept = len < sizeof type - 1 ? len : sizeof type - 1; /* as snprintf cut it */
        memcpy(type, value, kept);
        type[kept] = '\0';
        int t = type_of(r, type);
        if (t < 0)
            row_error(r, "unknown signer type '%s' in column '%s' (expected '%s' or '%s')", type,
                      header_of(r, SIGNERS_TYPE),
                      r->organisation_word ? r->organisation_word : "organisation",
                      r->individual_word ? r->individual_word : "individual");
        signer.type = t == SIGNER_ORGANISATION ? SIGNER_ORGANISATION : SIGNER_INDIVIDUAL;
    }
    value = value_of(r, SIGNERS_COUNTRY, &len);
    if (s->field_index[SIGNERS_COUNTRY] != SIGNERS_UNMAPPED && len) {
        char code[3] = "";
        if (len == 2)
            for (size_t i = 0; i < 2; i++)
                code[i] =
                    value[i] >= 'a' && value[i] <= 'z' ? (char)(value[i] - 'a' + 'A') : value[i];
        if (!known_country(r, code))
            row_error(r,
                      "unknown country code '%.*s' in column '%s' (expected an ISO 3166 code "
                      "such as 'KZ')",
                      (int)len, value, header_of(r, SIGNERS_COUNTRY));
        memcpy(signer.country, code, 3);
    }
    if (r->row_errors + r->unlisted_errors + s->left_out_count == before) {
        struct signers_keys keys;
        row_keys(r, &signer, &keys);
        signer.values = pack_values(r);
        signers_push(s, &signer, &keys);
    } else if (r->skip_invalid) {
        s->skipped++;
    }
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
    char reason[512];
    int fd;
    int rc = path_open(s->path, PATH_SIGNERS, &fd, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add(r->errors, r->petition->signers_loc, "cannot read signers file '%s': %s",
                       s->path, strerror(errno));
        else
            errors_add(r->errors, r->petition->signers_loc, "%s", reason);
        return false;
    }
    if (csvfile_parse_fd(s->path, fd, path_limits()->max_size[PATH_SIGNERS], on_row, r,
                         r->errors) != 0)
        r->failed = true;
    close(fd);
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
    UErrorCode status = U_ZERO_ERROR;
    r.nfc = unorm2_getNFCInstance(&status);
    for (UChar32 c = 0x300; c < STABLE_END; c++)
        r.stable[c - 0x300] = nfc_stable(c);
    r.at = xcalloc(s->field_count, sizeof *r.at);
    r.len = xcalloc(s->field_count, sizeof *r.len);
    load_countries(&r);
    find_type_words(&r);
    bool ok = read_signers(&r) && r.row_errors == 0;
    free(r.at);
    free(r.len);
    buffer_free(&r.work);
    buffer_free(&r.scratch);
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
    free(s->keys);
    free(s->organisation_order);
    free(s->merged);
    free(s->left_out);
    arena_free(s->arena);
}

size_t signers_field_index(const struct signers *signers, const char *field)
{
    for (size_t f = 0; f < signers->field_count; f++)
        if (strcmp(signers->fields[f], field) == 0)
            return signers->field_index[f] == SIGNERS_UNMAPPED ? SIZE_MAX : f;
    return SIZE_MAX;
}

const char *signers_field(const struct signer *signer, size_t f)
{
    if (f == SIZE_MAX)
        return "";
    const char *v = signer->values;
    for (; f > 0; f--)
        v += strlen(v) + 1;
    return v;
}

const char *signers_value(const struct signers *signers, const struct signer *signer,
                          const char *field)
{
    return signers_field(signer, signers_field_index(signers, field));
}
