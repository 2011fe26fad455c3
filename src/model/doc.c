/* doc.c — building the document tree and flattening inlines into runs. */
#include "doc.h"

#include "words.h"

#include <string.h>

struct doc_document *doc_new(const char *language)
{
    struct arena *arena = arena_new();
    struct doc_document *doc = arena_alloc(arena, sizeof *doc);
    doc->arena = arena;
    doc->language = arena_strdup(arena, language ? language : "en");
    doc->root = arena_alloc(arena, sizeof *doc->root);
    doc->root->kind = DOC_LETTER;
    return doc;
}

void doc_free(struct doc_document *doc)
{
    if (doc)
        arena_free(doc->arena);
}

struct doc_block *doc_block_add(struct doc_document *doc, struct doc_block *parent,
                                enum doc_block_kind kind, struct source_loc loc)
{
    struct doc_block *block = arena_alloc(doc->arena, sizeof *block);
    block->kind = kind;
    block->loc = loc;
    block->parent = parent;
    if (parent->last_child)
        parent->last_child->next = block;
    else
        parent->first_child = block;
    parent->last_child = block;
    return block;
}

struct doc_inline *doc_inline_add(struct doc_document *doc, struct doc_block *block,
                                  struct doc_inline *container, enum doc_inline_kind kind,
                                  struct source_loc loc)
{
    struct doc_inline *in = arena_alloc(doc->arena, sizeof *in);
    in->kind = kind;
    in->loc = loc;
    struct doc_inline **first = container ? &container->first_child : &block->first_inline;
    struct doc_inline **last = container ? &container->last_child : &block->last_inline;
    if (*last)
        (*last)->next = in;
    else
        *first = in;
    *last = in;
    return in;
}

void doc_text_add(struct doc_document *doc, struct doc_block *block, struct doc_inline *container,
                  const char *text, size_t len, struct source_loc loc)
{
    if (len == 0)
        return;
    struct doc_inline *last = container ? container->last_child : block->last_inline;
    if (last && last->kind == DOC_TEXT && last->loc.file == loc.file &&
        last->loc.line == loc.line && last->loc.column == loc.column) {
        if (last->text_room == 0) /* text set directly, not through here */
            last->text_len = last->text_room = strlen(last->text);
        if (last->text_len + len + 1 > last->text_room) {
            size_t room = 2 * (last->text_len + len + 1);
            char *grown = arena_alloc(doc->arena, room);
            memcpy(grown, last->text, last->text_len);
            last->text = grown;
            last->text_room = room;
        }
        memcpy(last->text + last->text_len, text, len);
        last->text_len += len;
        last->text[last->text_len] = '\0';
        return;
    }
    struct doc_inline *in = doc_inline_add(doc, block, container, DOC_TEXT, loc);
    in->text = arena_strndup(doc->arena, text, len);
    in->text_len = in->text_room = len;
}

static const char *quote_mark(const char *language, int depth, bool closing)
{
    return words_for(language)->quotes[(depth % 2) * 2 + (closing ? 1 : 0)];
}

/* Collects runs while collapsing whitespace across run boundaries: a space
 * is only emitted before the next non-space text, so leading, trailing and
 * repeated whitespace disappear. */
struct run_builder {
    struct arena *arena;
    struct doc_run *runs;
    size_t count, capacity;
    bool pending_space;
    bool at_start;
    const char *language;
};

static void push_run(struct run_builder *rb, const char *text, size_t len, unsigned style,
                     bool line_break, struct source_loc loc)
{
    rb->runs = arena_grow(rb->arena, rb->runs, rb->count, &rb->capacity, sizeof *rb->runs);
    rb->runs[rb->count++] = (struct doc_run){
        .text = text, .len = len, .style = style, .line_break = line_break, .loc = loc};
}

static bool is_collapsible(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void add_text(struct run_builder *rb, const char *text, unsigned style,
                     struct source_loc loc)
{
    /* Copy with whitespace collapsed; a run never starts or ends in a space
     * except the single pending space carried into the next word. */
    size_t n = strlen(text);
    char *out = arena_alloc(rb->arena, n + 2);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_collapsible(text[i])) {
            rb->pending_space = true;
            continue;
        }
        if (rb->pending_space && !rb->at_start)
            out[len++] = ' ';
        rb->pending_space = false;
        rb->at_start = false;
        out[len++] = text[i];
    }
    if (len)
        push_run(rb, out, len, style, false, loc);
}

static void flatten(struct run_builder *rb, const struct doc_inline *in, unsigned style,
                    int quote_depth)
{
    for (; in; in = in->next) {
        switch (in->kind) {
        case DOC_TEXT:
            add_text(rb, in->text, style, in->loc);
            break;
        case DOC_EMPHASIS:
            flatten(rb, in->first_child, style | DOC_STYLE_ITALIC, quote_depth);
            break;
        case DOC_STRONG:
            flatten(rb, in->first_child, style | DOC_STYLE_BOLD, quote_depth);
            break;
        case DOC_QUOTE:
            add_text(rb, quote_mark(rb->language, quote_depth, false), style, in->loc);
            /* An opening mark hugs the quoted text too: no space after it. */
            rb->pending_space = false;
            rb->at_start = true;
            flatten(rb, in->first_child, style, quote_depth + 1);
            /* A closing mark hugs the quoted text: drop a space before it. */
            rb->pending_space = false;
            add_text(rb, quote_mark(rb->language, quote_depth, true), style, in->loc);
            break;
        case DOC_LINEBREAK:
            push_run(rb, "\n", 1, style, true, in->loc);
            rb->pending_space = false;
            rb->at_start = true;
            break;
        }
    }
}

size_t doc_runs(struct arena *arena, const struct doc_block *block, const char *language,
                struct doc_run **out)
{
    struct run_builder rb = {.arena = arena, .at_start = true, .language = language};
    flatten(&rb, block->first_inline, 0, 0);
    *out = rb.runs;
    return rb.count;
}

char *doc_plain_text(struct arena *arena, const struct doc_block *block, const char *language)
{
    struct doc_run *runs;
    size_t count = doc_runs(arena, block, language, &runs);
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += runs[i].len;
    char *s = arena_alloc(arena, total + 1);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(s + at, runs[i].text, runs[i].len);
        at += runs[i].len;
    }
    s[at] = '\0';
    return s;
}

const char *doc_block_kind_name(enum doc_block_kind kind)
{
    static const char *const names[] = {
        [DOC_LETTER] = "letter",         [DOC_LETTERHEAD] = "letterhead",
        [DOC_REFERENCE] = "reference",   [DOC_DATE] = "date",
        [DOC_ADDRESS] = "address",       [DOC_SUBJECT] = "subject",
        [DOC_SALUTATION] = "salutation", [DOC_PARAGRAPH] = "paragraph",
        [DOC_CLOSING] = "closing",       [DOC_SIGNATURES] = "signatures",
        [DOC_SIGNATURE] = "signature",   [DOC_LINE] = "line",
        [DOC_ANNEX] = "annex",           [DOC_GROUP] = "group",
        [DOC_SIGNER] = "signer",
    };
    return names[kind];
}
