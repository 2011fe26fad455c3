/* tmpl_expr.c — owns template expressions: their syntax
 *   test := 'not' test | pipe (('==' | '!=') pipe)?
 *   pipe := (path | 'literal' | "literal") ('|' filter (':' arg)?)*
 * and their evaluation against the scope: name look-up with "did you
 * mean" suggestions, missing values (only `default` may replace one), and
 * comparisons. */
#include "tmpl_internal.h"

#include "suggest.h"

#include <string.h>

struct parser {
    struct arena *arena;
    const char *s;
    size_t len, pos;
    struct source_loc loc;
    const char *source; /* the whole expression, for messages */
    const char *error;  /* the first problem found */
};

static bool is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_spaces(struct parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
}

static bool at_end(const struct parser *p)
{
    return p->pos >= p->len;
}

static bool looking_at(const struct parser *p, const char *token)
{
    size_t n = strlen(token);
    return p->len - p->pos >= n && memcmp(p->s + p->pos, token, n) == 0;
}

static void fail(struct parser *p, const char *message)
{
    if (!p->error)
        p->error = message;
}

/* The token at the current position, for "unexpected ..." messages. */
static const char *current_token(struct parser *p)
{
    size_t end = p->pos;
    while (end < p->len && !is_space(p->s[end]))
        end++;
    return arena_strndup(p->arena, p->s + p->pos, end - p->pos);
}

static void fail_unexpected(struct parser *p)
{
    if (at_end(p))
        fail(p, arena_printf(p->arena, "expression '%s' ends too early", p->source));
    else
        fail(p, arena_printf(p->arena, "unexpected '%s' in expression '%s'", current_token(p),
                             p->source));
}

static const char *parse_name(struct parser *p)
{
    if (at_end(p) || !is_name_start(p->s[p->pos]))
        return NULL;
    size_t start = p->pos;
    while (p->pos < p->len && is_name_char(p->s[p->pos]))
        p->pos++;
    return arena_strndup(p->arena, p->s + start, p->pos - start);
}

/* A quoted literal; quotes have no escapes, so use the other kind of
 * quote to include one. */
static const char *parse_quoted(struct parser *p)
{
    char quote = p->s[p->pos];
    const char *close = memchr(p->s + p->pos + 1, quote, p->len - p->pos - 1);
    if (!close) {
        fail(p, arena_printf(p->arena, "unclosed quote in expression '%s'", p->source));
        return NULL;
    }
    const char *text =
        arena_strndup(p->arena, p->s + p->pos + 1, (size_t)(close - (p->s + p->pos + 1)));
    p->pos = (size_t)(close - p->s) + 1;
    return text;
}

static struct tmpl_expr *new_expr(struct parser *p, enum tmpl_expr_kind kind)
{
    struct tmpl_expr *e = arena_alloc(p->arena, sizeof *e);
    e->kind = kind;
    e->loc = p->loc;
    e->text = p->source;
    return e;
}

static bool parse_path(struct parser *p, struct tmpl_expr *e)
{
    size_t cap = 4;
    e->path = arena_alloc(p->arena, cap * sizeof *e->path);
    for (;;) {
        const char *name = parse_name(p);
        if (!name) {
            fail(p,
                 arena_printf(p->arena, "expected a name after '.' in expression '%s'", p->source));
            return false;
        }
        if (e->path_len == cap) {
            const char **grown = arena_alloc(p->arena, 2 * cap * sizeof *grown);
            memcpy(grown, e->path, cap * sizeof *grown);
            e->path = grown;
            cap *= 2;
        }
        e->path[e->path_len++] = name;
        if (at_end(p) || p->s[p->pos] != '.')
            return true;
        p->pos++;
    }
}

static struct tmpl_expr *parse_primary(struct parser *p)
{
    skip_spaces(p);
    size_t start = p->pos;
    struct tmpl_expr *e = NULL;
    if (!at_end(p) && (p->s[p->pos] == '\'' || p->s[p->pos] == '"')) {
        const char *text = parse_quoted(p);
        if (!text)
            return NULL;
        e = new_expr(p, EXPR_LITERAL);
        e->literal = value_string(p->arena, text, p->loc);
    } else if (!at_end(p) && is_name_start(p->s[p->pos])) {
        e = new_expr(p, EXPR_PATH);
        if (!parse_path(p, e))
            return NULL;
    } else {
        fail_unexpected(p);
        return NULL;
    }
    e->text = arena_strndup(p->arena, p->s + start, p->pos - start);
    return e;
}

static const char *parse_filter_arg(struct parser *p)
{
    skip_spaces(p);
    if (!at_end(p) && (p->s[p->pos] == '\'' || p->s[p->pos] == '"'))
        return parse_quoted(p);
    if (!at_end(p) && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        /* A count (take:40); what follows its digits is the filter's to
         * judge, so that take:4x reads as the argument '4x'. */
        size_t start = p->pos;
        while (p->pos < p->len && is_name_char(p->s[p->pos]))
            p->pos++;
        return arena_strndup(p->arena, p->s + start, p->pos - start);
    }
    const char *word = parse_name(p);
    if (!word)
        fail_unexpected(p);
    return word;
}

static struct tmpl_filter *parse_filter(struct parser *p, const char *input)
{
    skip_spaces(p);
    const char *name = parse_name(p);
    if (!name) {
        fail(p, arena_printf(p->arena, "expected a filter name after '|' in expression '%s'",
                             p->source));
        return NULL;
    }
    struct tmpl_filter *f = arena_alloc(p->arena, sizeof *f);
    f->name = name;
    f->input = input;
    if (!tmpl_filter_find(name, &f->id)) {
        size_t count;
        const char *const *names = tmpl_filter_names(&count);
        const char *guess = suggest_closest(name, names, count);
        fail(p,
             guess ? arena_printf(p->arena, "unknown filter '%s' (did you mean '%s'?)", name, guess)
                   : arena_printf(p->arena, "unknown filter '%s'", name));
        return NULL;
    }
    skip_spaces(p);
    if (!at_end(p) && p->s[p->pos] == ':') {
        p->pos++;
        f->arg = parse_filter_arg(p);
        if (!f->arg)
            return NULL;
    }
    const char *problem = tmpl_filter_check_arg(p->arena, f->id, f->arg);
    if (problem) {
        fail(p, problem);
        return NULL;
    }
    return f;
}

static struct tmpl_expr *parse_pipe(struct parser *p)
{
    skip_spaces(p);
    size_t start = p->pos;
    struct tmpl_expr *e = parse_primary(p);
    struct tmpl_filter **tail = e ? &e->filters : NULL;
    while (e) {
        size_t before = p->pos;
        skip_spaces(p);
        if (at_end(p) || p->s[p->pos] != '|') {
            p->pos = before;
            return e;
        }
        size_t input_end = before; /* a filter may have consumed spaces after it */
        while (input_end > start && is_space(p->s[input_end - 1]))
            input_end--;
        const char *input = arena_strndup(p->arena, p->s + start, input_end - start);
        p->pos++;
        *tail = parse_filter(p, input);
        if (!*tail)
            return NULL;
        tail = &(*tail)->next;
        size_t end = p->pos;
        while (end > start && is_space(p->s[end - 1]))
            end--;
        e->text = arena_strndup(p->arena, p->s + start, end - start);
    }
    return NULL;
}

static bool at_keyword_not(const struct parser *p)
{
    return looking_at(p, "not") && p->len - p->pos > 3 && is_space(p->s[p->pos + 3]);
}

static struct tmpl_expr *parse_test(struct parser *p)
{
    skip_spaces(p);
    if (at_keyword_not(p)) {
        p->pos += 3;
        struct tmpl_expr *e = new_expr(p, EXPR_NOT);
        e->left = parse_test(p);
        return e->left ? e : NULL;
    }
    struct tmpl_expr *left = parse_pipe(p);
    if (!left)
        return NULL;
    skip_spaces(p);
    bool equal = looking_at(p, "==");
    if (!equal && !looking_at(p, "!="))
        return left;
    p->pos += 2;
    struct tmpl_expr *e = new_expr(p, equal ? EXPR_EQUAL : EXPR_NOT_EQUAL);
    e->left = left;
    e->right = parse_pipe(p);
    return e->right ? e : NULL;
}

struct tmpl_expr *tmpl_expr_parse(struct arena *arena, const char *text, size_t len,
                                  struct source_loc loc, struct errors *errors)
{
    struct parser p = {.arena = arena, .s = text, .len = len, .loc = loc};
    /* Trimmed, so messages quote what the author sees. */
    size_t a = 0, b = len;
    while (a < b && is_space(text[a]))
        a++;
    while (b > a && is_space(text[b - 1]))
        b--;
    p.source = arena_strndup(arena, text + a, b - a);
    if (a == b) {
        errors_add(errors, loc, "empty expression");
        return NULL;
    }
    struct tmpl_expr *e = parse_test(&p);
    if (e) {
        skip_spaces(&p);
        if (!at_end(&p)) {
            fail_unexpected(&p);
            e = NULL;
        }
    }
    if (!e) {
        errors_add(errors, loc, "%s", p.error ? p.error : "malformed expression");
        return NULL;
    }
    return e;
}

/* The outcome of evaluating part of an expression: a value, or missing
 * (with the message to give if nothing replaces it), or neither after an
 * error was appended. */
struct result {
    const struct value *value;
    const char *missing;
};

static const char *joined_path(struct arena *arena, const struct tmpl_expr *e, size_t count)
{
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += strlen(e->path[i]) + 1;
    char *s = arena_alloc(arena, total + 1);
    for (size_t i = 0; i < count; i++) {
        if (i)
            strcat(s, ".");
        strcat(s, e->path[i]);
    }
    return s;
}

static const char *unknown_name(struct tmpl_eval *ev, const struct tmpl_expr *e, size_t upto,
                                const char *const *candidates, size_t count)
{
    const char *name = joined_path(ev->arena, e, upto);
    const char *guess = suggest_closest(e->path[upto - 1], candidates, count);
    if (guess)
        return arena_printf(ev->arena, "unknown name '%s' (did you mean '%s'?)", name, guess);
    return arena_printf(ev->arena, "unknown name '%s'", name);
}

/* Every name visible at the top level: bound variables, then the scope. */
static const char **top_names(struct tmpl_eval *ev, size_t *count)
{
    size_t n = ev->scope && ev->scope->kind == VALUE_MAP ? ev->scope->count : 0;
    for (const struct tmpl_binding *b = ev->locals; b; b = b->next)
        n++;
    const char **names = arena_alloc(ev->arena, (n + 1) * sizeof *names);
    size_t at = 0;
    for (const struct tmpl_binding *b = ev->locals; b; b = b->next)
        names[at++] = b->name;
    for (size_t i = 0; ev->scope && ev->scope->kind == VALUE_MAP && i < ev->scope->count; i++)
        names[at++] = ev->scope->keys[i];
    *count = at;
    return names;
}

static const struct value *lookup_top(struct tmpl_eval *ev, const char *name)
{
    for (const struct tmpl_binding *b = ev->locals; b; b = b->next)
        if (strcmp(b->name, name) == 0)
            return b->value;
    return value_map_get(ev->scope, name);
}

/* Only the last name of a path may be missing softly (its map exists, so
 * `default` can stand in); a missing map on the way is a plain mistake. */
static struct result eval_path(struct tmpl_eval *ev, const struct tmpl_expr *e)
{
    const struct value *cur = lookup_top(ev, e->path[0]);
    if (!cur) {
        size_t count;
        const char **names = top_names(ev, &count);
        const char *message = unknown_name(ev, e, 1, names, count);
        if (e->path_len == 1)
            return (struct result){.missing = message};
        errors_add(ev->errors, e->loc, "%s", message);
        return (struct result){0};
    }
    for (size_t i = 1; i < e->path_len; i++) {
        if (cur->kind != VALUE_MAP) {
            errors_add(ev->errors, e->loc, "'%s' is a %s, not a map: it has no '%s'",
                       joined_path(ev->arena, e, i), value_kind_name(cur->kind), e->path[i]);
            return (struct result){0};
        }
        const struct value *next = value_map_get(cur, e->path[i]);
        if (!next) {
            const char *message = unknown_name(ev, e, i + 1, cur->keys, cur->count);
            if (i + 1 == e->path_len)
                return (struct result){.missing = message};
            errors_add(ev->errors, e->loc, "%s", message);
            return (struct result){0};
        }
        cur = next;
    }
    return (struct result){.value = cur};
}

static struct result eval_pipe(struct tmpl_eval *ev, const struct tmpl_expr *e)
{
    struct result r =
        e->kind == EXPR_PATH ? eval_path(ev, e) : (struct result){.value = e->literal};
    for (const struct tmpl_filter *f = e->filters; f && (r.value || r.missing); f = f->next) {
        if (f->id == FILTER_DEFAULT) {
            if (r.missing || !value_truthy(r.value))
                r = (struct result){.value = value_string(ev->arena, f->arg, e->loc)};
            continue;
        }
        if (r.missing)
            continue; /* a later default may still replace it */
        const char *missing = NULL;
        r.value = tmpl_filter_apply(ev, f, r.value, e->loc, &missing);
        r.missing = missing;
    }
    return r;
}

static const struct value *truth(struct tmpl_eval *ev, const struct tmpl_expr *e, bool yes)
{
    return value_string(ev->arena, yes ? "yes" : "", e->loc);
}

static const struct value *eval_string_side(struct tmpl_eval *ev, const struct tmpl_expr *e)
{
    const struct value *v = tmpl_expr_eval(ev, e);
    if (v && v->kind != VALUE_STRING) {
        errors_add(ev->errors, e->loc, "'%s' is a %s: only strings can be compared", e->text,
                   value_kind_name(v->kind));
        return NULL;
    }
    return v;
}

const struct value *tmpl_expr_eval(struct tmpl_eval *ev, const struct tmpl_expr *e)
{
    switch (e->kind) {
    case EXPR_PATH:
    case EXPR_LITERAL: {
        struct result r = eval_pipe(ev, e);
        if (r.missing)
            errors_add(ev->errors, e->loc, "%s", r.missing);
        return r.value;
    }
    case EXPR_NOT: {
        const struct value *v = tmpl_expr_eval(ev, e->left);
        return v ? truth(ev, e, !value_truthy(v)) : NULL;
    }
    case EXPR_EQUAL:
    case EXPR_NOT_EQUAL: {
        const struct value *a = eval_string_side(ev, e->left);
        const struct value *b = eval_string_side(ev, e->right);
        if (!a || !b)
            return NULL;
        bool same = strcmp(a->string, b->string) == 0;
        return truth(ev, e, e->kind == EXPR_EQUAL ? same : !same);
    }
    }
    return NULL;
}
