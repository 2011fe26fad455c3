/* tmpl_text.c — owns a template's or letter's text as the compiler
 * splits it: literal pieces and {{ expressions }}, plain quotation marks
 * in letters turned into <q>, and each piece's place in the source (exact
 * where the raw text allows it). */
#include "tmpl_compile_internal.h"

#include <libxml/tree.h>
#include <string.h>

/* Maps positions in a text's decoded content back to the source: exactly
 * when the raw text is the same bytes (no entities, no CR), otherwise by
 * searching for each '{{' in turn, otherwise the node's own place. */
struct locator {
    struct compiler *c;
    const xmlNode *node;
    bool exact;
    size_t base;             /* exact: offset of content[0] in the raw text */
    size_t cursor;           /* inexact: search position for xmldoc_find */
    struct source_loc fixed; /* attribute values: every piece points here */
    bool is_fixed;
};

static bool loc_before(struct source_loc a, struct source_loc b)
{
    return a.line < b.line || (a.line == b.line && a.column <= b.column);
}

static struct locator text_locator(struct compiler *c, const xmlNode *node, const char *content)
{
    struct locator l = {.c = c, .node = node};
    size_t cursor = 0;
    struct source_loc found = xmldoc_find(c->xml, node, content, &cursor);
    /* A match after the node's first visible character is a coincidence
     * further on, not this text. */
    if (cursor != 0 && loc_before(found, xmldoc_node_loc(c->xml, node))) {
        l.exact = true;
        l.base = cursor - strlen(content);
    }
    return l;
}

static struct source_loc piece_loc(struct locator *l, size_t pos)
{
    if (l->is_fixed)
        return l->fixed;
    if (!l->exact)
        return xmldoc_node_loc(l->c->xml, l->node);
    return xmldoc_offset_loc(l->c->xml, l->base + pos);
}

static struct source_loc open_loc(struct locator *l, size_t pos)
{
    if (l->is_fixed)
        return l->fixed;
    if (l->exact)
        return xmldoc_offset_loc(l->c->xml, l->base + pos);
    return xmldoc_find(l->c->xml, l->node, "{{", &l->cursor);
}

static void add_text(struct compiler *c, struct locator *l, const char *s, size_t from, size_t to,
                     struct place *at)
{
    if (to == from)
        return;
    size_t visible = from;
    while (visible < to && strchr(" \t\r\n", s[visible]))
        visible++;
    struct tmpl_node *n =
        tmpl_compile_new_node(c, OP_TEXT, piece_loc(l, visible < to ? visible : from));
    n->text = arena_strndup(c->arena, s + from, to - from);
    tmpl_compile_append(at, n);
}

/* A plain '"' in letter text opens a quotation (<q>) or closes the open
 * one, so the language's marks replace it like any <q>'s. */
static void toggle_quote(struct compiler *c, struct locator *l, size_t pos, struct place *at)
{
    if (at->quote) {
        at->tail = at->after_quote;
        at->quote = NULL;
        return;
    }
    struct tmpl_node *q = tmpl_compile_new_node(c, OP_INLINE, piece_loc(l, pos));
    q->kind = DOC_QUOTE;
    q->text = "q";
    q->inline_content = true;
    tmpl_compile_append(at, q);
    at->after_quote = at->tail;
    at->tail = &q->children;
    at->quote = q;
}

/* A quotation must close in the element it opened in. */
void tmpl_text_close_quote(struct compiler *c, struct place *at)
{
    if (!at->quote)
        return;
    tmpl_compile_error(
        c, at->quote->loc,
        "quotation mark '\"' is not closed within <%s> (plain quotes pair up: add the "
        "closing one)",
        at->context);
    at->tail = at->after_quote;
    at->quote = NULL;
}

static void add_literal(struct compiler *c, struct locator *l, const char *s, size_t from,
                        size_t to, struct place *at)
{
    for (size_t i = from; !c->tmpl && i < to; i++) {
        if (s[i] != '"')
            continue;
        add_text(c, l, s, from, i, at);
        toggle_quote(c, l, i, at);
        from = i + 1;
    }
    add_text(c, l, s, from, to, at);
}

/* The "}}" closing an expression opened at open, skipping quoted
 * literals; a stray quote falls back to the first "}}" so the parser can
 * name the real problem. */
static const char *find_close(const char *open)
{
    char quote = 0;
    for (const char *p = open + 2; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (p[0] == '}' && p[1] == '}') {
            return p;
        }
    }
    return strstr(open + 2, "}}");
}

/* Splits s into literal text and {{ expressions }}, appending OP_TEXT and
 * OP_EXPR nodes. */
static void split_text(struct compiler *c, struct locator *l, const char *s, struct place *at)
{
    size_t literal = 0;
    for (;;) {
        const char *open = strstr(s + literal, "{{");
        const char *stray = strstr(s + literal, "}}");
        if (stray && (!open || stray < open)) {
            tmpl_compile_error(c, piece_loc(l, (size_t)(stray - s)),
                               "stray '}}' without an opening '{{'");
            add_literal(c, l, s, literal, (size_t)(stray - s), at);
            literal = (size_t)(stray - s) + 2;
            continue;
        }
        if (!open)
            break;
        size_t open_at = (size_t)(open - s);
        struct source_loc loc = open_loc(l, open_at);
        const char *close = find_close(open);
        if (!close) {
            tmpl_compile_error(c, loc, "unclosed '{{' (no matching '}}')");
            return;
        }
        add_literal(c, l, s, literal, open_at, at);
        struct tmpl_expr *e =
            tmpl_expr_parse(c->arena, open + 2, (size_t)(close - open - 2), loc, c->errors);
        if (e) {
            struct tmpl_node *n = tmpl_compile_new_node(c, OP_EXPR, loc);
            n->expr = e;
            tmpl_compile_append(at, n);
        } else {
            c->failed = true;
        }
        literal = (size_t)(close - s) + 2;
    }
    add_literal(c, l, s, literal, strlen(s), at);
}

bool tmpl_text_blank(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\r\n", *s))
            return false;
    return true;
}

static const char *text_hint(enum mode mode)
{
    switch (mode) {
    case MODE_BODY:
        return "put it in a <p>";
    case MODE_LINES:
        return "put it in a <line>";
    case MODE_SIGNATURES:
        return "put it in a <signature>";
    default:
        return "put it in a block such as <p>";
    }
}

void tmpl_text_compile(struct compiler *c, const xmlNode *node, struct place *at)
{
    const char *content = (const char *)node->content;
    if (!content)
        return;
    if (at->mode != MODE_INLINE) {
        /* Between blocks, whitespace is layout of the XML, not text. */
        if (!tmpl_text_blank(content))
            tmpl_compile_error(c, xmldoc_node_loc(c->xml, node),
                               "text is not allowed directly in <%s>: %s", at->context,
                               text_hint(at->mode));
        return;
    }
    struct locator l = text_locator(c, node, content);
    split_text(c, &l, content, at);
}

void tmpl_text_compile_attr(struct compiler *c, const xmlNode *el, struct source_loc loc,
                            const char *text, struct place *at)
{
    struct locator l = {.c = c, .node = el, .fixed = loc, .is_fixed = true};
    split_text(c, &l, text, at);
}
