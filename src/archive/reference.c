/* reference.c — reference patterns: compiling, formatting, scopes and
 * parsing legacy references back into their parts. */
#include "reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum token_kind {
    T_TEXT,
    T_ORG,
    T_YY,
    T_YYYY,
    T_LANG_UPPER,
    T_LANG_LOWER,
    T_SERIES,
    T_COUNTRY,
    T_OFFICE,
    T_SEQ
};

/* Scope parts, in the order scopes are written. */
enum { P_ORG = 1, P_YEAR = 2, P_LANGUAGE = 4, P_SERIES = 8, P_COUNTRY = 16, P_OFFICE = 32 };
static const char *const part_names[] = {"org", "year", "language", "series", "country", "office"};
#define PART_COUNT 6

struct token {
    enum token_kind kind;
    const char *text; /* T_TEXT */
    size_t len;       /* T_TEXT */
    int width;        /* T_SEQ: zero-padded to this many digits (0 = none) */
};

struct reference_pattern {
    const char *source;
    struct token *tokens;
    size_t count;
    unsigned parts; /* the P_ parts the pattern prints */
    unsigned scope; /* the P_ parts the counter is kept per */
    bool year4;     /* the pattern prints {yyyy} */
};

static const struct {
    const char *name;
    enum token_kind kind;
    unsigned part;
    bool variable; /* variable width: must not touch another variable part */
} token_names[] = {{"org", T_ORG, P_ORG, true},
                   {"yy", T_YY, P_YEAR, false},
                   {"yyyy", T_YYYY, P_YEAR, false},
                   {"LANG", T_LANG_UPPER, P_LANGUAGE, true},
                   {"lang", T_LANG_LOWER, P_LANGUAGE, true},
                   {"series", T_SERIES, P_SERIES, true},
                   {"country", T_COUNTRY, P_COUNTRY, false},
                   {"office", T_OFFICE, P_OFFICE, true},
                   {"seq", T_SEQ, 0, true}};
#define TOKEN_NAME_COUNT (sizeof token_names / sizeof token_names[0])

void reference_fields_init(struct reference_fields *f)
{
    *f = (struct reference_fields){.year = -1, .yy = -1, .seq = -1};
}

/* loc moved on by the code points of s[0..offset) (all on one line). */
static struct source_loc loc_at(struct source_loc loc, const char *s, size_t offset)
{
    if (loc.line == 0)
        return loc;
    for (size_t i = 0; i < offset; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            loc.column++;
    return loc;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool is_alnum(char c)
{
    return is_upper(c) || is_lower(c) || is_digit(c);
}

static bool variable_width(const struct token *t)
{
    for (size_t i = 0; i < TOKEN_NAME_COUNT; i++)
        if (token_names[i].kind == t->kind)
            return token_names[i].variable && !(t->kind == T_SEQ && t->width > 0);
    return false;
}

/* One {name} or {seq:N} at s (after the '{', name_len bytes). */
static bool compile_token(struct reference_pattern *p, const char *name, size_t name_len,
                          struct token *t)
{
    if (name_len > 4 && strncmp(name, "seq:", 4) == 0) {
        if (name_len != 5 || name[4] < '1' || name[4] > '9')
            return false;
        *t = (struct token){.kind = T_SEQ, .width = name[4] - '0'};
        return true;
    }
    for (size_t i = 0; i < TOKEN_NAME_COUNT; i++) {
        if (strlen(token_names[i].name) == name_len &&
            strncmp(token_names[i].name, name, name_len) == 0) {
            *t = (struct token){.kind = token_names[i].kind};
            p->parts |= token_names[i].part;
            p->year4 = p->year4 || t->kind == T_YYYY;
            return true;
        }
    }
    return false;
}

static bool compile_tokens(struct arena *arena, struct reference_pattern *p, const char *s,
                           struct source_loc loc, struct errors *errors)
{
    size_t before = errors->count, len = strlen(s), seqs = 0;
    p->tokens = arena_alloc(arena, (len + 1) * sizeof *p->tokens);
    for (size_t i = 0; i < len;) {
        struct token *t = &p->tokens[p->count];
        if (s[i] != '{') {
            size_t n = strcspn(s + i, "{");
            *t = (struct token){.kind = T_TEXT, .text = arena_strndup(arena, s + i, n), .len = n};
            p->count++;
            i += n;
            continue;
        }
        const char *close = strchr(s + i, '}');
        if (!close) {
            errors_add(errors, loc_at(loc, s, i), "unclosed '{' in the reference pattern");
            return false;
        }
        size_t name_len = (size_t)(close - s - i - 1);
        if (!compile_token(p, s + i + 1, name_len, t)) {
            errors_add(
                errors, loc_at(loc, s, i),
                "unknown part '%.*s' in the reference pattern (parts: {org}, {yy}, "
                "{yyyy}, {LANG}, {lang}, {series}, {country}, {office}, {seq}, {seq:N} with N from "
                "1 to 9)",
                (int)name_len + 2, s + i);
        } else {
            seqs += t->kind == T_SEQ;
            if (p->count > 0 && variable_width(t) && variable_width(&p->tokens[p->count - 1]))
                errors_add(errors, loc_at(loc, s, i),
                           "'%.*s' directly follows another part of varying width in the "
                           "reference pattern (put text between them, or references could be "
                           "read two ways)",
                           (int)name_len + 2, s + i);
            p->count++;
        }
        i += name_len + 2;
    }
    if (errors->count == before && seqs != 1)
        errors_add(errors, loc,
                   "the reference pattern must hold {seq} (or {seq:N}) exactly once, not %zu "
                   "times",
                   seqs);
    return errors->count == before;
}

static bool compile_scope(struct reference_pattern *p, const char *scope, struct source_loc loc,
                          struct errors *errors)
{
    if (!scope || !*scope) {
        p->scope = p->parts;
        return true;
    }
    if (strcmp(scope, "none") == 0) {
        p->scope = 0;
        return true;
    }
    size_t before = errors->count;
    for (const char *s = scope; *s;) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, ",");
        size_t trimmed = n;
        while (trimmed > 0 && s[trimmed - 1] == ' ')
            trimmed--;
        struct source_loc at = loc_at(loc, scope, (size_t)(s - scope));
        unsigned part = 0;
        for (unsigned k = 0; k < PART_COUNT; k++)
            if (strlen(part_names[k]) == trimmed && strncmp(part_names[k], s, trimmed) == 0)
                part = 1u << k;
        if (!part)
            errors_add(errors, at,
                       "unknown scope part '%.*s' (expected a comma-separated list of org, year, "
                       "language, series, country, office, or 'none')",
                       (int)trimmed, s);
        else if (!(p->parts & part))
            errors_add(errors, at,
                       "scope part '%.*s' is not printed by the reference pattern (letters in "
                       "different scopes would get the same reference)",
                       (int)trimmed, s);
        else if (p->scope & part)
            errors_add(errors, at, "scope part '%.*s' is listed twice", (int)trimmed, s);
        p->scope |= part;
        s += n;
        if (*s == ',')
            s++;
    }
    return errors->count == before;
}

struct reference_pattern *reference_pattern_compile(struct arena *arena, const char *pattern,
                                                    struct source_loc pattern_loc,
                                                    const char *scope, struct source_loc scope_loc,
                                                    struct errors *errors)
{
    struct reference_pattern *p = arena_alloc(arena, sizeof *p);
    p->source = arena_strdup(arena, pattern);
    bool ok = compile_tokens(arena, p, pattern, pattern_loc, errors);
    ok = compile_scope(p, scope, scope_loc, errors) && ok;
    /* Offices that issue apart (offline) must never share a number. */
    p->scope |= p->parts & P_OFFICE;
    return ok ? p : NULL;
}

/* ---- checking parts ---- */

static bool all_of(const char *s, size_t min, size_t max, bool (*ok)(char))
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if (!ok(s[i]))
            return false;
    return n >= min && n <= max;
}

static bool org_char(char c)
{
    return (unsigned char)c >= 0x20 && c != ';' && c != '=' && c != 0x7F;
}

int reference_check_fields(const struct reference_pattern *p, const struct reference_fields *f,
                           struct source_loc loc, struct errors *errors)
{
    size_t before = errors->count;
    if ((p->parts & P_ORG) && (!f->org || !all_of(f->org, 1, 64, org_char)))
        errors_add(errors, loc,
                   "invalid organisation prefix '%s' for references (1 to 64 characters, no ';' "
                   "or '=')",
                   f->org ? f->org : "");
    if ((p->parts & P_YEAR) && (f->year < 1 || f->year > 9999))
        errors_add(errors, loc, "the reference needs the letter's year");
    if ((p->parts & P_LANGUAGE) && (!f->language || !all_of(f->language, 2, 3, is_lower)))
        errors_add(errors, loc, "invalid language '%s' for references (2 or 3 letters a-z)",
                   f->language ? f->language : "");
    if ((p->parts & P_SERIES) && (!f->series || !all_of(f->series, 1, 16, is_alnum)))
        errors_add(errors, loc, "invalid series '%s' (1 to 16 ASCII letters and digits, e.g. LT)",
                   f->series ? f->series : "");
    if ((p->parts & P_COUNTRY) && (!f->country || !all_of(f->country, 2, 2, is_upper)))
        errors_add(errors, loc,
                   "invalid country '%s' for references (2 upper-case letters, e.g. KZ)",
                   f->country ? f->country : "");
    if ((p->parts & P_OFFICE) && (!f->office || !all_of(f->office, 1, 16, is_alnum)))
        errors_add(errors, loc,
                   "the reference pattern prints {office} but missive.ini names no office "
                   "([missive] office = 1 to 16 ASCII letters and digits, e.g. GVA)");
    return (int)(errors->count - before);
}

/* ---- formatting ---- */

static void append(char **out, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *out = xrealloc(*out, *cap);
    }
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = '\0';
}

static void append_upper(char **out, size_t *len, size_t *cap, const char *s)
{
    for (; *s; s++) {
        char c = is_lower(*s) ? (char)(*s - 'a' + 'A') : *s;
        append(out, len, cap, &c, 1);
    }
}

char *reference_format(struct arena *arena, const struct reference_pattern *p,
                       const struct reference_fields *f, long seq)
{
    char *out = NULL, number[32];
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    for (size_t i = 0; i < p->count; i++) {
        const struct token *t = &p->tokens[i];
        switch (t->kind) {
        case T_TEXT:
            append(&out, &len, &cap, t->text, t->len);
            break;
        case T_ORG:
            append(&out, &len, &cap, f->org, strlen(f->org));
            break;
        case T_YY:
            snprintf(number, sizeof number, "%02d", f->yy);
            append(&out, &len, &cap, number, strlen(number));
            break;
        case T_YYYY:
            snprintf(number, sizeof number, "%04d", f->year);
            append(&out, &len, &cap, number, strlen(number));
            break;
        case T_LANG_UPPER:
            append_upper(&out, &len, &cap, f->language);
            break;
        case T_LANG_LOWER:
            append(&out, &len, &cap, f->language, strlen(f->language));
            break;
        case T_SERIES:
            append(&out, &len, &cap, f->series, strlen(f->series));
            break;
        case T_COUNTRY:
            append(&out, &len, &cap, f->country, strlen(f->country));
            break;
        case T_OFFICE:
            append(&out, &len, &cap, f->office, strlen(f->office));
            break;
        case T_SEQ:
            snprintf(number, sizeof number, "%0*ld", t->width, seq);
            append(&out, &len, &cap, number, strlen(number));
            break;
        }
    }
    char *copy = arena_strdup(arena, out);
    free(out);
    return copy;
}

char *reference_scope(struct arena *arena, const struct reference_pattern *p,
                      const struct reference_fields *f)
{
    char year[16];
    if (p->year4)
        snprintf(year, sizeof year, "%04d", f->year);
    else
        snprintf(year, sizeof year, "%02d", f->yy);
    const char *values[PART_COUNT] = {f->org, year, f->language, f->series, f->country, f->office};
    char *out = NULL;
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    for (unsigned k = 0; k < PART_COUNT; k++) {
        if (!(p->scope & (1u << k)))
            continue;
        if (len)
            append(&out, &len, &cap, ";", 1);
        append(&out, &len, &cap, part_names[k], strlen(part_names[k]));
        append(&out, &len, &cap, "=", 1);
        append(&out, &len, &cap, values[k], strlen(values[k]));
    }
    char *copy = arena_strdup(arena, out);
    free(out);
    return copy;
}

/* ---- parsing ---- */

struct span {
    size_t start, len;
};

/* Whether text[at..at+n) can stand for token t. */
static bool token_fits(const struct token *t, const char *s, size_t n)
{
    size_t i = 0;
    switch (t->kind) {
    case T_TEXT:
        return n == t->len && strncmp(s, t->text, n) == 0;
    case T_ORG:
        for (; i < n && org_char(s[i]); i++)
            ;
        return n >= 1 && i == n;
    case T_YY:
    case T_YYYY:
        for (; i < n && is_digit(s[i]); i++)
            ;
        return i == n && n == (t->kind == T_YY ? 2 : 4);
    case T_LANG_UPPER:
    case T_LANG_LOWER:
        for (; i < n && (t->kind == T_LANG_UPPER ? is_upper(s[i]) : is_lower(s[i])); i++)
            ;
        return i == n && n >= 2 && n <= 3;
    case T_SERIES:
        for (; i < n && is_alnum(s[i]); i++)
            ;
        return i == n && n >= 1 && n <= 16;
    case T_COUNTRY:
        return n == 2 && is_upper(s[0]) && is_upper(s[1]);
    case T_OFFICE:
        for (; i < n && is_alnum(s[i]); i++)
            ;
        return i == n && n >= 1 && n <= 16;
    case T_SEQ:
        for (; i < n && is_digit(s[i]); i++)
            ;
        return i == n && n >= 1 && n <= 15;
    }
    return false;
}

/* Backtracking match of tokens[k..] against text[at..], shortest spans
 * first; fills spans. */
static bool match(const struct reference_pattern *p, size_t k, const char *text, size_t at,
                  struct span *spans)
{
    size_t rest = strlen(text + at);
    if (k == p->count)
        return rest == 0;
    for (size_t n = 1; n <= rest; n++) {
        if (token_fits(&p->tokens[k], text + at, n)) {
            spans[k] = (struct span){at, n};
            if (match(p, k + 1, text, at + n, spans))
                return true;
        }
        if (p->tokens[k].kind == T_TEXT && n >= p->tokens[k].len)
            break;
    }
    return false;
}

static char *lower_copy(struct arena *arena, const char *s, size_t n)
{
    char *copy = arena_strndup(arena, s, n);
    for (char *c = copy; *c; c++)
        if (is_upper(*c))
            *c = (char)(*c - 'A' + 'a');
    return copy;
}

static void take_span(struct arena *arena, const struct token *t, const char *s, size_t n,
                      struct reference_fields *out)
{
    switch (t->kind) {
    case T_TEXT:
        break;
    case T_ORG:
        out->org = arena_strndup(arena, s, n);
        break;
    case T_YY:
        out->yy = atoi(arena_strndup(arena, s, n));
        break;
    case T_YYYY:
        out->year = atoi(arena_strndup(arena, s, n));
        out->yy = out->year % 100;
        break;
    case T_LANG_UPPER:
    case T_LANG_LOWER:
        out->language = lower_copy(arena, s, n);
        break;
    case T_SERIES:
        out->series = arena_strndup(arena, s, n);
        break;
    case T_COUNTRY:
        out->country = arena_strndup(arena, s, n);
        break;
    case T_OFFICE:
        out->office = arena_strndup(arena, s, n);
        break;
    case T_SEQ:
        out->seq = strtol(arena_strndup(arena, s, n), NULL, 10);
        break;
    }
}

bool reference_parse(struct arena *arena, const struct reference_pattern *p, const char *text,
                     struct source_loc loc, struct reference_fields *out, struct errors *errors)
{
    reference_fields_init(out);
    struct span *spans = xcalloc(p->count + 1, sizeof *spans);
    bool matched = match(p, 0, text, 0, spans);
    for (size_t k = 0; matched && k < p->count; k++)
        take_span(arena, &p->tokens[k], text + spans[k].start, spans[k].len, out);
    free(spans);
    if (!matched) {
        errors_add(errors, loc, "reference '%s' does not follow the pattern '%s'", text, p->source);
        return false;
    }
    const char *again = reference_format(arena, p, out, out->seq);
    if (strcmp(again, text) != 0 || out->seq < 1) {
        errors_add(errors, loc,
                   "reference '%s' is not in the exact form the pattern '%s' gives ('%s')", text,
                   p->source, again);
        return false;
    }
    return true;
}
