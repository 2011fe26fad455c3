/* doc.c — building the document tree and flattening inlines into runs. */
#include "doc.h"

#include "words.h"

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

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
    if (doc) {
        doc_spool_free(doc->spool);
        arena_free(doc->arena);
    }
}

struct doc_spool *doc_entry_spool(struct doc_document *doc)
{
    if (!doc->spool)
        doc->spool = doc_spool_new();
    return doc->spool;
}

const char *doc_entry_text(const struct doc_block *group, size_t i)
{
    const struct doc_entry *e = &group->entries[i];
    return group->entries_spool ? doc_spool_get(group->entries_spool, e->at, e->len) : e->text;
}

struct doc_block *doc_block_add(struct doc_document *doc, struct doc_block *parent,
                                enum doc_block_kind kind, struct source_loc loc)
{
    doc->runs_memo = NULL;
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
    doc->runs_memo = NULL;
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
    doc->runs_memo = NULL;
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

const struct doc_block *doc_entry_block(const struct doc_block *group, size_t i,
                                        struct doc_entry_view *view)
{
    const struct doc_entry *e = &group->entries[i];
    struct source_loc loc = doc_entry_loc(group, i);
    view->text = (struct doc_inline){.kind = DOC_TEXT,
                                     .loc = loc,
                                     .text = (char *)doc_entry_text(group, i),
                                     .text_len = e->len,
                                     .text_room = e->len};
    view->block = (struct doc_block){.kind = DOC_SIGNER,
                                     .loc = loc,
                                     .first_inline = &view->text,
                                     .last_inline = &view->text,
                                     .parent = (struct doc_block *)group};
    return &view->block;
}

struct source_loc doc_entry_loc(const struct doc_block *group, size_t i)
{
    return (struct source_loc){group->entries_file, group->entries[i].line, 0};
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
    int quote_depth;  /* <q> nesting where text is being added */
    uint32_t prev;    /* the last character emitted, 0 at the start */
    bool single_open; /* a straight ' opened a quotation not yet closed */
    bool double_open; /* likewise a straight " */
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

/* The code point at text[*i], advancing *i; a broken sequence reads as
 * U+FFFD one byte long. */
static uint32_t next_char(const char *text, size_t n, size_t *i)
{
    int32_t at = (int32_t)*i;
    UChar32 c;
    U8_NEXT(text, at, (int32_t)n, c);
    *i = (size_t)at;
    return c < 0 ? 0xFFFD : (uint32_t)c;
}

static size_t put_char(char *out, size_t len, uint32_t c)
{
    int32_t at = (int32_t)len;
    UBool error = false;
    U8_APPEND((uint8_t *)out, at, at + 4, (UChar32)c, error);
    return error ? len : (size_t)at;
}

static bool french(const struct run_builder *rb)
{
    return rb->language && strncmp(rb->language, "fr", 2) == 0;
}

/* What the French put before ; ! ? (a narrow no-break space, U+202F) and
 * before : and inside guillemets (a word-wide one, U+00A0), as the
 * Imprimerie nationale's rules have it; 0 for any other character. */
static uint32_t french_space_before(uint32_t c)
{
    if (c == ';' || c == '!' || c == '?')
        return 0x202F;
    return c == ':' || c == 0xBB ? 0xA0 : 0;
}

static bool opens(uint32_t c)
{
    return c == 0 || c == '(' || c == '[' || c == 0xAB || c == 0x201C || c == 0x201E ||
           c == 0x2018 || c == 0x201A || c == 0xA0 || c == 0x202F || c == 0x2014 || c == 0x2013;
}

enum straight { APOSTROPHE, OPENING, CLOSING };

/* The straight quote c (typed in letter text or data) as the language's
 * mark, or an apostrophe: ' after a letter or before a digit is an
 * apostrophe (Workers' Unions, l'Organisation, '90s) unless it closes a
 * quotation ' opened; otherwise a quote opens where a word may start and
 * closes elsewhere. Sets *mark; returns which it is. */
static enum straight straight_quote(struct run_builder *rb, uint32_t c, uint32_t next,
                                    const char **mark)
{
    const struct words *w = words_for(rb->language);
    bool after_space = rb->pending_space || opens(rb->prev);
    int depth = rb->quote_depth + (c == '\'');
    bool *open = c == '\'' ? &rb->single_open : &rb->double_open;
    *mark = "\u2019";
    if (c == '\'' && !after_space && !(rb->single_open && !u_isalnum((UChar32)next)))
        return APOSTROPHE;
    if (c == '\'' && after_space && u_isdigit((UChar32)next))
        return APOSTROPHE;
    *open = after_space && !*open;
    *mark = w->quotes[(depth % 2) * 2 + (*open ? 0 : 1)];
    return *open ? OPENING : CLOSING;
}

static bool french_sign(uint32_t c)
{
    return c == ';' || c == ':' || c == '!' || c == '?';
}

/* Whether a character may follow a sign that ends a word. */
static bool ends_word(uint32_t next)
{
    return next == 0 || (next < 128 && is_collapsible((char)next)) || next == 0xBB ||
           next == 0x201D || next == ')' || next == '"' || next == '\'' || next == 0xA0;
}

/* Appends the UTF-8 string mark to out. */
static size_t put_mark(char *out, size_t len, const char *mark, struct run_builder *rb)
{
    size_t n = strlen(mark);
    memcpy(out + len, mark, n);
    size_t i = 0;
    while (i < n)
        rb->prev = next_char(mark, n, &i);
    return len + n;
}

/* Whether c is copied as it stands wherever it is, once the character
 * before it was: ASCII but no whitespace, no straight quote, and in French
 * none of the signs that take a space before them. Inline: it is asked of
 * every byte of a letter's text several times. */
static inline bool is_plain(char c, bool fr)
{
    unsigned char u = (unsigned char)c;
    /* Printable ASCII, space excepted (control characters take the long
     * way, which copies them too). */
    return u - 0x21u < 0x5Eu && u != '\'' && u != '"' &&
           !(fr && (u == ';' || u == ':' || u == '!' || u == '?'));
}

bool doc_runs_ascii_only;

/* Whether the character at text[i] is copied as it stands wherever it is,
 * once the character before it was: a plain one (is_plain), or, unless
 * doc_runs_ascii_only, any other character but ASCII (whitespace, quotes,
 * controls) and, in French, the spaces and guillemets its rules act on
 * (U+00A0, U+00AB, U+00BB): the steps of add_text's long way copy such a
 * character's bytes and only remember it (rb->prev). Most letters of
 * names not in English, taken a character at a time, were most of a
 * petition's quoted entries' runs. */
static inline bool copied_as_is(const char *text, size_t n, size_t i, bool fr)
{
    unsigned char u = (unsigned char)text[i];
    if (u < 0x80 || doc_runs_ascii_only)
        return is_plain(text[i], fr);
    if (!fr)
        return true;
    size_t j = i;
    uint32_t c = next_char(text, n, &j);
    return c != 0xA0 && c != 0xAB && c != 0xBB;
}

static void add_text(struct run_builder *rb, const char *text, unsigned style,
                     struct source_loc loc)
{
    /* Copy with whitespace collapsed; a run never starts or ends in a space
     * except the single pending space carried into the next word. Straight
     * quotes become the language's marks (data such as organisation names
     * included), and French gets its no-break spaces. */
    size_t n = strlen(text);
    char *out = arena_alloc_raw(rb->arena, 6 * n + 2);
    size_t len = 0;
    bool fr = french(rb);
    for (size_t i = 0; i < n;) {
        if (is_collapsible(text[i])) {
            rb->pending_space = true;
            i++;
            continue;
        }
        size_t at = i;
        uint32_t c = next_char(text, n, &i);
        size_t j = i;
        uint32_t next = j < n ? next_char(text, n, &j) : 0;
        const char *mark = NULL;
        enum straight kind = APOSTROPHE;
        if (c == '\'' || c == '"') {
            kind = straight_quote(rb, c, next, &mark);
            /* A closing mark hugs the word before it. */
            if (kind == CLOSING)
                rb->pending_space = false;
        }
        uint32_t nbsp = fr ? french_space_before(c) : 0;
        /* Before ; : ! ? only where it ends a word (not 10:30 or
         * http://), and never between two of them (?!). */
        if (nbsp && c != 0xBB && !ends_word(next))
            nbsp = 0;
        if (nbsp && (rb->at_start || french_sign(rb->prev) || rb->prev == 0xA0 ||
                     rb->prev == 0x202F || (!rb->pending_space && opens(rb->prev))))
            nbsp = 0;
        if (nbsp) {
            len = put_char(out, len, nbsp);
        } else if (rb->pending_space && !rb->at_start) {
            bool after_guillemet = fr && rb->prev == 0xAB;
            len = put_char(out, len, after_guillemet ? 0xA0 : ' ');
        } else if (fr && rb->prev == 0xAB && c != 0xA0 && c != 0x202F) {
            len = put_char(out, len, 0xA0);
        }
        rb->pending_space = false;
        rb->at_start = false;
        if (mark) {
            len = put_mark(out, len, mark, rb);
            /* An opening mark hugs the quoted text: no space after it. */
            while (kind == OPENING && i < n && is_collapsible(text[i]))
                i++;
        } else if (c == 0xA0 && fr && french_space_before(next) == 0x202F) {
            /* A word space typed before ; ! ? is the narrow one. */
            len = put_char(out, len, 0x202F);
            rb->prev = 0x202F;
        } else {
            memcpy(out + len, text + at, i - at);
            len += i - at;
            rb->prev = c;
        }
        /* What follows in plain ASCII (no whitespace, quote or French
         * sign) is copied as it stands, since the steps above would leave
         * it so: most of a letter's text, taken here a character at a
         * time, was a tenth of a campaign letter's instructions. */
        if (fr && rb->prev == 0xAB)
            continue;
        /* So are the words after it, each after one space in place of
         * whitespace between them. */
        for (;;) {
            size_t word = i;
            while (word < n && is_collapsible(text[word]))
                word++;
            if (word == n || !copied_as_is(text, n, word, fr))
                break; /* whitespace before anything else: done above */
            if (word > i)
                out[len++] = ' ';
            for (i = word; i < n;) {
                if (is_plain(text[i], fr)) {
                    out[len++] = text[i];
                    rb->prev = (unsigned char)text[i++];
                    continue;
                }
                if (!copied_as_is(text, n, i, fr))
                    break;
                size_t from = i;
                rb->prev = next_char(text, n, &i);
                memcpy(out + len, text + from, i - from);
                len += i - from;
            }
        }
    }
    out[len] = '\0'; /* not part of the run, but readers have had it */
    if (len)
        push_run(rb, out, len, style, false, loc);
}

static void flatten(struct run_builder *rb, const struct doc_inline *in, unsigned style,
                    int quote_depth)
{
    for (; in; in = in->next) {
        switch (in->kind) {
        case DOC_TEXT:
            rb->quote_depth = quote_depth;
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

bool doc_text_as_typed(const char *text, const char *language)
{
    bool fr = language && strncmp(language, "fr", 2) == 0;
    return strpbrk(text, fr ? "'\";:!?\xC2" : "'\"") == NULL;
}

/* The runs joined, in arena. */
static char *joined(struct arena *arena, const struct doc_run *runs, size_t count)
{
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

char *doc_plain_text(struct arena *arena, const struct doc_block *block, const char *language)
{
    struct doc_run *runs;
    size_t count = doc_runs(arena, block, language, &runs);
    return joined(arena, runs, count);
}

/* ---- runs made once per block ---- */

struct memo_entry {
    const struct doc_block *block;
    struct doc_run *runs;
    size_t count;
};

struct doc_runs_memo {
    size_t size, count; /* size a power of two, at most half full */
    struct memo_entry *slots;
};

static size_t memo_slot(const struct doc_runs_memo *m, const struct doc_block *block)
{
    size_t i = ((uintptr_t)block >> 4) * 0x9E3779B97F4A7C15u >> 7 & (m->size - 1);
    while (m->slots[i].block && m->slots[i].block != block)
        i = (i + 1) & (m->size - 1);
    return i;
}

static void memo_grow(struct doc_document *doc, struct doc_runs_memo *m)
{
    struct doc_runs_memo grown = {.size = m->size ? 2 * m->size : 64};
    grown.slots = arena_alloc(doc->arena, grown.size * sizeof *grown.slots);
    for (size_t k = 0; k < m->size; k++)
        if (m->slots[k].block)
            grown.slots[memo_slot(&grown, m->slots[k].block)] = m->slots[k];
    grown.count = m->count;
    *m = grown;
}

size_t doc_block_runs(const struct doc_document *doc, const struct doc_block *block,
                      struct arena *arena, const struct doc_run **out)
{
    if (block->kind == DOC_SIGNER) {
        struct doc_run *runs;
        size_t count = doc_runs(arena, block, doc->language, &runs);
        *out = runs;
        return count;
    }
    /* The memo is the document's own cache: filling it changes nothing a
     * reader of the document sees. */
    struct doc_document *d = (struct doc_document *)doc;
    struct doc_runs_memo *m = d->runs_memo;
    if (!m)
        m = d->runs_memo = arena_alloc(d->arena, sizeof *m);
    if (2 * (m->count + 1) > m->size)
        memo_grow(d, m);
    struct memo_entry *e = &m->slots[memo_slot(m, block)];
    if (!e->block) {
        e->count = doc_runs(d->arena, block, d->language, &e->runs);
        e->block = block;
        m->count++;
    }
    *out = e->runs;
    return e->count;
}

char *doc_block_text(const struct doc_document *doc, const struct doc_block *block,
                     struct arena *arena)
{
    const struct doc_run *runs;
    size_t count = doc_block_runs(doc, block, arena, &runs);
    return joined(arena, runs, count);
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
        [DOC_SIGNER] = "signer",         [DOC_SENDER] = "sender",
    };
    return names[kind];
}
