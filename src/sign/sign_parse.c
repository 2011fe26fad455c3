/* sign_parse.c — owns reading a PDF's objects for signing and
 * verification: the chain of classic cross-reference tables and trailers
 * (following /Prev), object dictionaries, values and the page tree. Only
 * what a signature needs is understood; a file with cross-reference
 * streams is refused rather than guessed at. */
#include "sign_internal.h"

#include "arena.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *sign_find(const char *data, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++) {
        const char *p = memchr(data + i, needle[0], len - n + 1 - i);
        if (!p)
            return NULL;
        i = (size_t)(p - data);
        if (memcmp(p, needle, n) == 0)
            return p;
    }
    return NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_delimiter(char c)
{
    return is_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

size_t sign_file_space(const struct sign_file *f, size_t pos)
{
    while (pos < f->len) {
        if (f->data[pos] == '%') {
            while (pos < f->len && f->data[pos] != '\n' && f->data[pos] != '\r')
                pos++;
        } else if (is_space(f->data[pos])) {
            pos++;
        } else {
            break;
        }
    }
    return pos;
}

static size_t skip_string(const struct sign_file *f, size_t pos)
{
    int depth = 0;
    for (; pos < f->len; pos++) {
        char c = f->data[pos];
        if (c == '\\')
            pos++;
        else if (c == '(')
            depth++;
        else if (c == ')' && --depth == 0)
            return pos + 1;
    }
    return f->len;
}

/* A container's end: "[ ... ]" or "<< ... >>", skipping the values inside. */
static size_t skip_container(const struct sign_file *f, size_t pos, const char *close)
{
    size_t n = strlen(close);
    for (;;) {
        pos = sign_file_space(f, pos);
        if (pos >= f->len)
            return f->len;
        if (pos + n <= f->len && memcmp(f->data + pos, close, n) == 0)
            return pos + n;
        size_t next = sign_file_skip(f, pos);
        if (next <= pos)
            return f->len;
        pos = next;
    }
}

size_t sign_file_skip(const struct sign_file *f, size_t pos)
{
    pos = sign_file_space(f, pos);
    if (pos >= f->len)
        return f->len;
    const char *d = f->data;
    if (d[pos] == '(')
        return skip_string(f, pos);
    if (d[pos] == '<' && pos + 1 < f->len && d[pos + 1] == '<')
        return skip_container(f, pos + 2, ">>");
    if (d[pos] == '<') {
        const char *end = memchr(d + pos, '>', f->len - pos);
        return end ? (size_t)(end - d) + 1 : f->len;
    }
    if (d[pos] == '[')
        return skip_container(f, pos + 1, "]");
    if (d[pos] == ']' || d[pos] == '>' || d[pos] == ')')
        return pos; /* not a value */
    size_t start = pos++;
    while (pos < f->len && !is_delimiter(d[pos]))
        pos++;
    /* "N G R" is one value. */
    if (isdigit((unsigned char)d[start])) {
        size_t p = sign_file_space(f, pos), q = p;
        while (q < f->len && isdigit((unsigned char)d[q]))
            q++;
        if (q > p) {
            size_t r = sign_file_space(f, q);
            if (r < f->len && d[r] == 'R' && (r + 1 == f->len || is_delimiter(d[r + 1])))
                return r + 1;
        }
    }
    return pos;
}

bool sign_file_get(const struct sign_file *f, struct sign_span dict, const char *key,
                   struct sign_span *value)
{
    size_t klen = strlen(key), pos = dict.start + 2;
    while (pos < dict.end) {
        pos = sign_file_space(f, pos);
        if (pos >= dict.end - 2 || f->data[pos] != '/')
            return false;
        size_t name_end = sign_file_skip(f, pos);
        size_t value_start = sign_file_space(f, name_end);
        size_t value_end = sign_file_skip(f, value_start);
        if (name_end - pos - 1 == klen && memcmp(f->data + pos + 1, key, klen) == 0) {
            *value = (struct sign_span){value_start, value_end};
            return true;
        }
        if (value_end <= pos)
            return false;
        pos = value_end;
    }
    return false;
}

long sign_file_ref(const struct sign_file *f, struct sign_span value)
{
    if (value.end <= value.start || f->data[value.end - 1] != 'R')
        return 0;
    long n = strtol(f->data + value.start, NULL, 10);
    return n > 0 && n < f->size ? n : 0;
}

int sign_file_object(const struct sign_file *f, long num, struct sign_span *dict)
{
    if (num <= 0 || num >= f->size || !f->offsets[num])
        return -1;
    const char *start = f->data + f->offsets[num];
    const char *obj =
        sign_find(start, f->len - f->offsets[num] < 32 ? f->len - f->offsets[num] : 32, "obj", 3);
    if (!obj)
        return -1;
    size_t pos = sign_file_space(f, (size_t)(obj - f->data) + 3);
    if (pos + 1 >= f->len || f->data[pos] != '<' || f->data[pos + 1] != '<')
        return -1;
    *dict = (struct sign_span){pos, sign_file_skip(f, pos)};
    return dict->end <= f->len ? 0 : -1;
}

long sign_file_array(const struct sign_file *f, struct sign_span value, struct sign_span **items)
{
    long ref = sign_file_ref(f, value);
    if (ref) {
        /* An indirect array: "N 0 obj [ ... ] endobj". */
        if (!f->offsets[ref])
            return -1;
        const char *obj = sign_find(f->data + f->offsets[ref], f->len - f->offsets[ref], "obj", 3);
        if (!obj)
            return -1;
        size_t pos = sign_file_space(f, (size_t)(obj - f->data) + 3);
        value = (struct sign_span){pos, sign_file_skip(f, pos)};
    }
    if (value.start >= f->len || f->data[value.start] != '[')
        return -1;
    long count = 0;
    *items = NULL;
    for (size_t pos = value.start + 1;;) {
        pos = sign_file_space(f, pos);
        if (pos >= value.end || f->data[pos] == ']')
            break;
        size_t end = sign_file_skip(f, pos);
        if (end <= pos)
            break;
        *items = xrealloc(*items, (size_t)(count + 1) * sizeof **items);
        (*items)[count++] = (struct sign_span){pos, end};
        pos = end;
    }
    return count;
}

/* Depth-first through /Kids, counting leaves until index. */
static long find_page(const struct sign_file *f, long node, int *index, int depth)
{
    struct sign_span dict, kids, type;
    if (depth > 32 || sign_file_object(f, node, &dict) != 0)
        return 0;
    if (!sign_file_get(f, dict, "Kids", &kids)) {
        bool page =
            sign_file_get(f, dict, "Type", &type) && memcmp(f->data + type.start, "/Page", 5) == 0;
        return page && (*index)-- == 0 ? node : 0;
    }
    struct sign_span *items;
    long count = sign_file_array(f, kids, &items), found = 0;
    for (long i = 0; i < count && !found; i++)
        found = find_page(f, sign_file_ref(f, items[i]), index, depth + 1);
    free(items);
    return found;
}

long sign_file_page(const struct sign_file *f, int index)
{
    struct sign_span catalog, pages;
    if (sign_file_object(f, f->root, &catalog) != 0 || !sign_file_get(f, catalog, "Pages", &pages))
        return 0;
    return find_page(f, sign_file_ref(f, pages), &index, 0);
}

/* ---- the cross-reference chain ---- */

static size_t find_startxref(const struct sign_file *f)
{
    size_t from = f->len > 1024 ? f->len - 1024 : 0;
    const char *last = NULL;
    for (const char *p = f->data + from;
         (p = sign_find(p, f->len - (size_t)(p - f->data), "startxref", 9)); p += 9)
        last = p;
    if (!last)
        return 0;
    return (size_t)strtoull(last + 9, NULL, 10);
}

static long number_at(const struct sign_file *f, size_t *pos)
{
    *pos = sign_file_space(f, *pos);
    char *end;
    long n = strtol(f->data + *pos, &end, 10);
    *pos = (size_t)(end - f->data);
    return n;
}

/* One table and its trailer at pos; entries already known (from a later
 * update) win. Returns the trailer's /Prev, 0 at the first table, -1 on
 * a malformed table. */
static long read_section(struct sign_file *f, size_t pos, bool newest)
{
    if (pos + 4 > f->len || memcmp(f->data + pos, "xref", 4) != 0)
        return -1;
    pos += 4;
    for (;;) {
        pos = sign_file_space(f, pos);
        if (pos + 7 <= f->len && memcmp(f->data + pos, "trailer", 7) == 0)
            break;
        long first = number_at(f, &pos), count = number_at(f, &pos);
        pos = sign_file_space(f, pos);
        if (first < 0 || count < 0 || first + count > f->size || pos + (size_t)count * 20 > f->len)
            return -1;
        for (long i = 0; i < count; i++, pos += 20) {
            const char *e = f->data + pos;
            if (e[17] == 'n' && !f->offsets[first + i])
                f->offsets[first + i] = (size_t)strtoull(e, NULL, 10);
        }
    }
    size_t dict_start = sign_file_space(f, pos + 7);
    struct sign_span trailer = {dict_start, sign_file_skip(f, dict_start)}, v;
    if (newest) {
        if (sign_file_get(f, trailer, "Root", &v))
            f->root = sign_file_ref(f, v);
        if (sign_file_get(f, trailer, "Info", &v))
            f->info = sign_file_ref(f, v);
        if (sign_file_get(f, trailer, "ID", &v))
            f->id = v;
    }
    if (!sign_file_get(f, trailer, "Prev", &v))
        return 0;
    long prev = strtol(f->data + v.start, NULL, 10);
    return prev > 0 && (size_t)prev < pos ? prev : -1;
}

/* The newest trailer's /Size, read before the tables so offsets can be sized. */
static long trailer_size(const struct sign_file *f, size_t xref)
{
    const char *t = sign_find(f->data + xref, f->len - xref, "trailer", 7);
    if (!t)
        return -1;
    size_t start = sign_file_space(f, (size_t)(t - f->data) + 7);
    struct sign_span trailer = {start, sign_file_skip(f, start)}, v;
    if (!sign_file_get(f, trailer, "Size", &v))
        return -1;
    return strtol(f->data + v.start, NULL, 10);
}

int sign_file_open(struct sign_file *f, const char *data, size_t len)
{
    *f = (struct sign_file){.data = data, .len = len};
    if (len < 32 || memcmp(data, "%PDF-", 5) != 0)
        return -1;
    f->startxref = find_startxref(f);
    if (!f->startxref || f->startxref >= len)
        return -1;
    f->size = trailer_size(f, f->startxref);
    if (f->size <= 0 || f->size > 10000000)
        return -1;
    f->offsets = xcalloc((size_t)f->size, sizeof *f->offsets);
    long at = (long)f->startxref;
    for (int sections = 0; at > 0 && sections < 1000; sections++) {
        at = read_section(f, (size_t)at, sections == 0);
        if (at < 0) {
            sign_file_close(f);
            return -1;
        }
    }
    if (!f->root) {
        sign_file_close(f);
        return -1;
    }
    return 0;
}

void sign_file_close(struct sign_file *f)
{
    free(f->offsets);
    f->offsets = NULL;
}
