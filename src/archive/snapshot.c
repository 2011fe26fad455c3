/* snapshot.c — the archived letter: document tree and rendering settings to
 * XML (libxml2's text writer) and back (libxml2's parser, no network, no
 * DTD). Numbers are written with 17 significant digits so they read back
 * to the same double, and text keeps every byte, so a tree read back
 * renders exactly as the one written. */
#include "snapshot.h"

#include "archive.h"

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ROOT_NAME "missive-archive"
#define FORMAT_VERSION "1"

/* ---- writing ---- */

struct writer {
    xmlTextWriterPtr w;
    snapshot_hash_fn hash;
    void *context;
    struct errors *errors;
    bool failed;
};

static const xmlChar *X(const char *s)
{
    return (const xmlChar *)s;
}

/* XML 1.0 holds neither invalid UTF-8 nor most control characters. */
static bool xml_safe(struct writer *wr, const char *s, struct source_loc loc)
{
    if (!xmlCheckUTF8(X(s))) {
        errors_add(wr->errors, loc, "cannot archive text that is not valid UTF-8");
        return false;
    }
    for (const unsigned char *p = X(s); *p; p++) {
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            errors_add(wr->errors, loc, "cannot archive text holding control character U+%04X", *p);
            return false;
        }
    }
    return true;
}

static void attr(struct writer *wr, const char *name, const char *value)
{
    if (!value || wr->failed)
        return;
    if (!xml_safe(wr, value, (struct source_loc){0}) ||
        xmlTextWriterWriteAttribute(wr->w, X(name), X(value)) < 0)
        wr->failed = true;
}

static void attr_number(struct writer *wr, const char *name, double value)
{
    char text[64];
    snprintf(text, sizeof text, "%.17g", value);
    attr(wr, name, text);
}

static void start(struct writer *wr, const char *name)
{
    if (!wr->failed && xmlTextWriterStartElement(wr->w, X(name)) < 0)
        wr->failed = true;
}

static void end(struct writer *wr)
{
    if (!wr->failed && xmlTextWriterEndElement(wr->w) < 0)
        wr->failed = true;
}

/* A font or image: its file name (for people) and SHA-256 (for reprints). */
static void file_attrs(struct writer *wr, const char *name_attr, const char *hash_attr,
                       const char *path)
{
    char hex[65];
    if (wr->failed || wr->hash(wr->context, path, hex, wr->errors) != 0) {
        wr->failed = true;
        return;
    }
    const char *slash = strrchr(path, '/');
    attr(wr, name_attr, slash ? slash + 1 : path);
    attr(wr, hash_attr, hex);
}

static void write_font(struct writer *wr, const char *role, const char *path)
{
    start(wr, "font");
    attr(wr, "role", role);
    file_attrs(wr, "name", "sha256", path);
    end(wr);
}

/* Roles of the per-style fallbacks, by DOC_STYLE_* bits. */
static const char *const style_fallback_roles[4] = {NULL, "fallback-italic", "fallback-bold",
                                                    "fallback-bold-italic"};

static const char *const window_names[] = {
    [LAYOUT_WINDOW_NONE] = "none",
    [LAYOUT_WINDOW_DIN_B] = "din-b",
    [LAYOUT_WINDOW_UK] = "uk",
    [LAYOUT_WINDOW_US] = "us",
};

/* [layout]'s page design; absent in archives made before it existed, which
 * then render as they did (no window field, no measure). */
static void write_layout(struct writer *wr, const struct layout_settings *l)
{
    attr(wr, "align", l->ragged ? "ragged" : "justify");
    attr(wr, "window", window_names[l->window]);
    attr(wr, "marks",
         l->fold_marks ? (l->punch_mark ? "fold, punch" : "fold")
                       : (l->punch_mark ? "punch" : "none"));
    attr_number(wr, "measure", l->measure);
}

static void write_settings(struct writer *wr, const struct settings *s)
{
    const struct page_settings *pg = &s->page;
    const struct font_settings *f = &s->fonts;
    start(wr, "settings");
    attr(wr, "paper", pg->paper);
    attr_number(wr, "width", pg->width);
    attr_number(wr, "height", pg->height);
    attr_number(wr, "margin-top", pg->margin_top);
    attr_number(wr, "margin-bottom", pg->margin_bottom);
    attr_number(wr, "margin-left", pg->margin_left);
    attr_number(wr, "margin-right", pg->margin_right);
    attr_number(wr, "font-size", f->size);
    attr_number(wr, "leading", f->leading);
    attr_number(wr, "text-width", s->text_width);
    write_layout(wr, &s->layout);
    write_font(wr, "regular", f->regular);
    write_font(wr, "italic", f->italic);
    write_font(wr, "bold", f->bold);
    write_font(wr, "bold-italic", f->bold_italic);
    for (size_t i = 0; i < f->fallback_count; i++)
        write_font(wr, "fallback", f->fallbacks[i]);
    for (unsigned style = 1; style < 4; style++)
        for (size_t i = 0; i < f->style_fallback_count[style]; i++)
            write_font(wr, style_fallback_roles[style], f->style_fallbacks[style][i]);
    end(wr);
}

static const char *const inline_names[] = {[DOC_TEXT] = "t",
                                           [DOC_EMPHASIS] = "em",
                                           [DOC_STRONG] = "strong",
                                           [DOC_QUOTE] = "q",
                                           [DOC_LINEBREAK] = "br"};

static void write_inlines(struct writer *wr, const struct doc_inline *in)
{
    for (; in && !wr->failed; in = in->next) {
        start(wr, inline_names[in->kind]);
        if (in->kind == DOC_TEXT && in->text && xml_safe(wr, in->text, in->loc)) {
            if (xmlTextWriterWriteString(wr->w, X(in->text)) < 0)
                wr->failed = true;
        } else if (in->kind == DOC_TEXT && in->text) {
            wr->failed = true;
        }
        write_inlines(wr, in->first_child);
        end(wr);
    }
}

static void write_blocks(struct writer *wr, const struct doc_block *b)
{
    for (; b && !wr->failed; b = b->next) {
        start(wr, doc_block_kind_name(b->kind));
        if (b->image)
            file_attrs(wr, "image-name", "image-sha256", b->image);
        write_inlines(wr, b->first_inline);
        write_blocks(wr, b->first_child);
        /* A group's signers, as the <signer> blocks they once were. */
        struct doc_entry_view view;
        for (size_t i = 0; i < b->entry_count && !wr->failed; i++)
            write_blocks(wr, doc_entry_block(b, i, &view));
        end(wr);
    }
}

int snapshot_write(const struct doc_document *doc, const struct settings *settings,
                   snapshot_hash_fn hash, void *context, struct buffer *out, struct errors *errors)
{
    xmlBufferPtr xb = xmlBufferCreate();
    struct writer wr = {
        .w = xmlNewTextWriterMemory(xb, 0), .hash = hash, .context = context, .errors = errors};
    size_t before = errors->count;
    xmlTextWriterSetIndent(wr.w, 1);
    xmlTextWriterSetIndentString(wr.w, X(" "));
    if (xmlTextWriterStartDocument(wr.w, NULL, "UTF-8", NULL) < 0)
        wr.failed = true;
    start(&wr, ROOT_NAME);
    attr(&wr, "version", FORMAT_VERSION);
    write_settings(&wr, settings);
    start(&wr, "document");
    attr(&wr, "language", doc->language);
    attr(&wr, "reference", doc->reference);
    attr(&wr, "date", doc->date);
    attr(&wr, "title", doc->title);
    attr(&wr, "author", doc->author);
    attr(&wr, "recipient", doc->recipient);
    attr(&wr, "name", doc->name);
    attr(&wr, "timestamp", doc->timestamp);
    write_blocks(&wr, doc->root->first_child);
    end(&wr);
    end(&wr);
    if (!wr.failed && xmlTextWriterEndDocument(wr.w) < 0)
        wr.failed = true;
    xmlFreeTextWriter(wr.w);
    if (!wr.failed)
        buffer_append(out, (const char *)xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    xmlBufferFree(xb);
    if (wr.failed && errors->count == before)
        errors_add_at(errors, NULL, 0, 0, "cannot write the archived source (libxml2 failed)");
    return wr.failed ? -1 : 0;
}

/* ---- reading ---- */

struct reader {
    struct snapshot *x;
    const char *name;
    const char *blob_dir;
    struct errors *errors;
    size_t hash_capacity;
};

static void fail(struct reader *r, const xmlNode *node, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct reader *r, const xmlNode *node, const char *format, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    errors_add_at(r->errors, r->name, node ? (int)xmlGetLineNo(node) : 0, 0,
                  "damaged archived source: %s", message);
}

static const char *get(struct reader *r, const xmlNode *node, const char *name, bool required)
{
    xmlChar *v = xmlGetNoNsProp(node, X(name));
    if (!v) {
        if (required)
            fail(r, node, "<%s> lacks attribute '%s'", (const char *)node->name, name);
        return NULL;
    }
    char *copy = arena_strdup(r->x->arena, (const char *)v);
    xmlFree(v);
    return copy;
}

/* Rejects any attribute of node not in allowed (NULL-terminated). */
static void only_attrs(struct reader *r, const xmlNode *node, const char *const *allowed)
{
    for (const xmlAttr *a = node->properties; a; a = a->next) {
        size_t i = 0;
        while (allowed[i] && strcmp(allowed[i], (const char *)a->name) != 0)
            i++;
        if (!allowed[i])
            fail(r, node, "unknown attribute '%s' on <%s>", (const char *)a->name,
                 (const char *)node->name);
    }
}

static double number(struct reader *r, const xmlNode *node, const char *name)
{
    const char *text = get(r, node, name, true);
    char *end = NULL;
    double v = text ? strtod(text, &end) : 0;
    if (text && (end == text || *end))
        fail(r, node, "attribute '%s' is not a number", name);
    return v;
}

/* blob_dir/HASH for a hash attribute, recorded in the hash list. */
static const char *blob_path(struct reader *r, const xmlNode *node, const char *attr_name)
{
    const char *hex = get(r, node, attr_name, true);
    if (!hex)
        return NULL;
    bool ok = strlen(hex) == 64;
    for (size_t i = 0; ok && i < 64; i++)
        ok = (hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f');
    if (!ok) {
        fail(r, node, "attribute '%s' is not a SHA-256", attr_name);
        return NULL;
    }
    struct snapshot *x = r->x;
    if (x->hash_count == r->hash_capacity) {
        r->hash_capacity = r->hash_capacity ? 2 * r->hash_capacity : 8;
        const char **bigger = arena_alloc(x->arena, r->hash_capacity * sizeof *bigger);
        if (x->hash_count)
            memcpy(bigger, x->hashes, x->hash_count * sizeof *bigger);
        x->hashes = bigger;
    }
    x->hashes[x->hash_count++] = hex;
    return arena_printf(x->arena, "%s/%s", r->blob_dir, hex);
}

/* Element children of node; any other content but blank text is damage. */
static const xmlNode *next_element(struct reader *r, const xmlNode *c)
{
    for (; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            return c;
        if (c->type == XML_TEXT_NODE &&
            strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content))
            continue;
        fail(r, c, "unexpected content in <%s>", (const char *)c->parent->name);
    }
    return NULL;
}

static bool is(const xmlNode *node, const char *name)
{
    return strcmp((const char *)node->name, name) == 0;
}

static bool style_fallback(struct font_settings *f, const char *role, const char *path)
{
    for (unsigned style = 1; style < 4; style++) {
        if (strcmp(role, style_fallback_roles[style]) == 0) {
            f->style_fallbacks[style][f->style_fallback_count[style]++] = path;
            return true;
        }
    }
    return false;
}

static void read_layout(struct reader *r, const xmlNode *node, struct layout_settings *l)
{
    const char *align = get(r, node, "align", false);
    const char *window = get(r, node, "window", false);
    const char *marks = get(r, node, "marks", false);
    *l = (struct layout_settings){.ragged = align && strcmp(align, "ragged") == 0};
    for (size_t k = 0; window && k < sizeof window_names / sizeof window_names[0]; k++)
        if (strcmp(window, window_names[k]) == 0)
            l->window = (enum layout_window)k;
    l->fold_marks = marks && strstr(marks, "fold");
    l->punch_mark = marks && strstr(marks, "punch");
    if (get(r, node, "measure", false))
        l->measure = (int)number(r, node, "measure");
}

static void read_settings(struct reader *r, const xmlNode *node)
{
    struct settings *s = &r->x->settings;
    struct font_settings *f = &s->fonts;
    only_attrs(r, node,
               (const char *const[]){"paper", "width", "height", "margin-top", "margin-bottom",
                                     "margin-left", "margin-right", "font-size", "leading",
                                     "text-width", "align", "window", "marks", "measure", NULL});
    s->page.paper = get(r, node, "paper", true);
    s->page.width = number(r, node, "width");
    s->page.height = number(r, node, "height");
    s->page.margin_top = number(r, node, "margin-top");
    s->page.margin_bottom = number(r, node, "margin-bottom");
    s->page.margin_left = number(r, node, "margin-left");
    s->page.margin_right = number(r, node, "margin-right");
    f->size = number(r, node, "font-size");
    f->leading = number(r, node, "leading");
    s->text_width = (int)number(r, node, "text-width");
    read_layout(r, node, &s->layout);
    size_t fonts = 0;
    for (const xmlNode *c = node->children; c; c = c->next)
        fonts += c->type == XML_ELEMENT_NODE;
    f->fallbacks = arena_alloc(r->x->arena, (fonts + 1) * sizeof *f->fallbacks);
    for (unsigned style = 1; style < 4; style++)
        f->style_fallbacks[style] =
            arena_alloc(r->x->arena, (fonts + 1) * sizeof *f->style_fallbacks[style]);
    for (const xmlNode *c = next_element(r, node->children); c; c = next_element(r, c->next)) {
        only_attrs(r, c, (const char *const[]){"role", "name", "sha256", NULL});
        const char *role = is(c, "font") ? get(r, c, "role", true) : NULL;
        const char *path = role ? blob_path(r, c, "sha256") : NULL;
        if (!is(c, "font"))
            fail(r, c, "unexpected <%s> in <settings>", (const char *)c->name);
        else if (!role || !path)
            continue;
        else if (strcmp(role, "regular") == 0)
            f->regular = path;
        else if (strcmp(role, "italic") == 0)
            f->italic = path;
        else if (strcmp(role, "bold") == 0)
            f->bold = path;
        else if (strcmp(role, "bold-italic") == 0)
            f->bold_italic = path;
        else if (strcmp(role, "fallback") == 0)
            f->fallbacks[f->fallback_count++] = path;
        else if (!style_fallback(f, role, path))
            fail(r, c, "unknown font role '%s'", role);
    }
    if (!f->regular || !f->italic || !f->bold || !f->bold_italic)
        fail(r, node, "<settings> lacks one of the four font styles");
}

/* The inline content of node; at block level (container NULL) other
 * elements are left to read_blocks. */
static void read_inlines(struct reader *r, struct doc_block *block, struct doc_inline *container,
                         const xmlNode *node)
{
    static const enum doc_inline_kind kinds[] = {DOC_TEXT, DOC_EMPHASIS, DOC_STRONG, DOC_QUOTE,
                                                 DOC_LINEBREAK};
    struct doc_document *doc = r->x->doc;
    for (const xmlNode *c = next_element(r, node->children); c; c = next_element(r, c->next)) {
        size_t k = 0;
        while (k < 5 && !is(c, inline_names[kinds[k]]))
            k++;
        if (k == 5 && !container)
            continue;
        if (k == 5) {
            fail(r, c, "unexpected <%s> in <%s>", (const char *)c->name, (const char *)node->name);
            continue;
        }
        only_attrs(r, c, (const char *const[]){NULL});
        struct doc_inline *in =
            doc_inline_add(doc, block, container, kinds[k], (struct source_loc){r->name, 0, 0});
        if (kinds[k] == DOC_TEXT) {
            xmlChar *text = xmlNodeGetContent(c);
            in->text = arena_strdup(doc->arena, (const char *)text);
            xmlFree(text);
            for (const xmlNode *t = c->children; t; t = t->next)
                if (t->type != XML_TEXT_NODE)
                    fail(r, t, "<t> holds text only");
        } else {
            read_inlines(r, block, in, c);
        }
    }
}

/* The last kind of doc.h's enum: a kind added after it must be added
 * here (the round-trip test builds a tree holding every kind). */
#define LAST_BLOCK_KIND DOC_SENDER

static bool block_kind(const xmlNode *node, enum doc_block_kind *kind)
{
    for (int k = DOC_LETTERHEAD; k <= LAST_BLOCK_KIND; k++) {
        if (is(node, doc_block_kind_name((enum doc_block_kind)k))) {
            *kind = (enum doc_block_kind)k;
            return true;
        }
    }
    return false;
}

static bool is_inline(const xmlNode *node)
{
    for (size_t k = 0; k < 5; k++)
        if (is(node, inline_names[k]))
            return true;
    return false;
}

/* A <signer> of a group: one more of its entries (doc.h), its text the
 * signer's texts joined as they are. */
static void read_entry(struct reader *r, struct doc_block *group, const xmlNode *node)
{
    struct doc_document *doc = r->x->doc;
    struct doc_block scratch = {.kind = DOC_SIGNER};
    read_inlines(r, &scratch, NULL, node);
    struct buffer text = {0};
    for (const struct doc_inline *in = scratch.first_inline; in; in = in->next)
        if (in->kind == DOC_TEXT && in->text)
            buffer_puts(&text, in->text);
        else
            fail(r, node, "a <signer> holds text only");
    for (const xmlNode *c = node->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !is_inline(c))
            fail(r, c, "unexpected <%s> in <signer>", (const char *)c->name);
    /* The list grows as arena_grow grows it: 8 items, then doubling. */
    size_t capacity = 0;
    while (capacity < group->entry_count)
        capacity = capacity ? 2 * capacity : 8;
    struct doc_entry *entries = (struct doc_entry *)group->entries;
    entries = arena_grow(doc->arena, entries, group->entry_count, &capacity, sizeof *entries);
    entries[group->entry_count++] =
        (struct doc_entry){.text = arena_strndup(doc->arena, text.data ? text.data : "", text.len),
                           .len = (uint32_t)text.len};
    group->entries = entries;
    group->entries_file = r->name;
    buffer_free(&text);
}

static void read_blocks(struct reader *r, struct doc_block *parent, const xmlNode *node)
{
    struct doc_document *doc = r->x->doc;
    for (const xmlNode *c = next_element(r, node->children); c; c = next_element(r, c->next)) {
        enum doc_block_kind kind;
        if (is_inline(c) && parent != doc->root)
            continue; /* read by read_inlines */
        if (!block_kind(c, &kind)) {
            fail(r, c, "unexpected <%s> in <%s>", (const char *)c->name, (const char *)node->name);
            continue;
        }
        only_attrs(r, c, (const char *const[]){"image-name", "image-sha256", NULL});
        if (kind == DOC_SIGNER && parent->kind == DOC_GROUP) {
            read_entry(r, parent, c);
            continue;
        }
        struct doc_block *b = doc_block_add(doc, parent, kind, (struct source_loc){r->name, 0, 0});
        if (xmlHasProp(c, X("image-sha256"))) {
            b->image = blob_path(r, c, "image-sha256");
            b->image_loc = b->loc;
        }
        read_inlines(r, b, NULL, c);
        read_blocks(r, b, c);
    }
}

static void read_document(struct reader *r, const xmlNode *node)
{
    only_attrs(r, node,
               (const char *const[]){"language", "reference", "date", "title", "author", "name",
                                     "timestamp", "recipient", NULL});
    const char *language = get(r, node, "language", true);
    struct snapshot *x = r->x;
    x->doc = doc_new(language);
    struct doc_document *doc = x->doc;
    doc->reference = arena_strdup(doc->arena, get(r, node, "reference", false));
    doc->date = arena_strdup(doc->arena, get(r, node, "date", false));
    doc->title = arena_strdup(doc->arena, get(r, node, "title", false));
    doc->author = arena_strdup(doc->arena, get(r, node, "author", false));
    doc->recipient = arena_strdup(doc->arena, get(r, node, "recipient", false));
    doc->name = arena_strdup(doc->arena, get(r, node, "name", false));
    doc->timestamp = arena_strdup(doc->arena, get(r, node, "timestamp", false));
    read_blocks(r, doc->root, node);
}

static void read_root(struct reader *r, const xmlNode *root)
{
    const char *version = is(root, ROOT_NAME) ? get(r, root, "version", true) : NULL;
    if (!is(root, ROOT_NAME)) {
        fail(r, root, "the root element is <%s>, not <" ROOT_NAME ">", (const char *)root->name);
        return;
    }
    only_attrs(r, root, (const char *const[]){"version", NULL});
    if (version && strcmp(version, FORMAT_VERSION) != 0)
        fail(r, root, "format version '%s' is not known (this missive reads " FORMAT_VERSION ")",
             version);
    const xmlNode *settings = next_element(r, root->children);
    const xmlNode *document = settings ? next_element(r, settings->next) : NULL;
    if (!settings || !document || !is(settings, "settings") || !is(document, "document") ||
        next_element(r, document->next)) {
        fail(r, root, "expected <settings> then <document>");
        return;
    }
    read_settings(r, settings);
    read_document(r, document);
}

struct snapshot *snapshot_read(const char *name, const char *data, size_t len, const char *blob_dir,
                               struct errors *errors)
{
    struct arena *arena = arena_new();
    struct snapshot *x = arena_alloc(arena, sizeof *x);
    x->arena = arena;
    struct reader r = {
        .x = x, .name = arena_strdup(arena, name), .blob_dir = blob_dir, .errors = errors};
    size_t before = errors->count;
    xmlDocPtr xml = xmlReadMemory(data, (int)len, name, "UTF-8",
                                  XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
                                      XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!xml || xml->intSubset || !xmlDocGetRootElement(xml))
        fail(&r, NULL, "not a well-formed XML file without a DTD");
    else
        read_root(&r, xmlDocGetRootElement(xml));
    xmlFreeDoc(xml);
    if (errors->count != before || !x->doc) {
        snapshot_free(x);
        return NULL;
    }
    x->settings.language = x->doc->language;
    x->settings.organisation = "";
    return x;
}

/* One font or image the source at source names; false with an error when
 * it is missing or (check_content) changed. */
static bool blob_intact(const char *blob_dir, const char *hash, const char *source,
                        bool check_content, struct errors *errors)
{
    char *blob = archive_join(blob_dir, hash);
    char hex[65];
    struct stat st;
    int status = check_content ? archive_sha256_file(blob, hex, NULL) : stat(blob, &st);
    if (status != 0 && errno == ENOENT)
        errors_add_at(errors, blob, 0, 0, "the font or image that %s names is missing", source);
    else if (status != 0)
        errors_add_at(errors, blob, 0, 0, "cannot read the font or image that %s names: %s", source,
                      strerror(errno));
    else if (check_content && strcmp(hex, hash) != 0)
        errors_add_at(errors, blob, 0, 0,
                      "the font or image that %s names has changed since it was archived "
                      "(SHA-256 %s)",
                      source, hex);
    free(blob);
    return status == 0 && (!check_content || strcmp(hex, hash) == 0);
}

struct snapshot *snapshot_read_checked(const char *name, const char *data, size_t len,
                                       const char *blob_dir, bool check_content,
                                       struct errors *errors)
{
    struct snapshot *x = snapshot_read(name, data, len, blob_dir, errors);
    bool intact = x != NULL;
    for (size_t i = 0; x && i < x->hash_count; i++) {
        size_t first = 0; /* one font may serve several roles: one error each */
        while (strcmp(x->hashes[first], x->hashes[i]) != 0)
            first++;
        if (first == i)
            intact &= blob_intact(blob_dir, x->hashes[i], name, check_content, errors);
    }
    if (!intact) {
        snapshot_free(x);
        x = NULL;
    }
    return x;
}

struct snapshot *snapshot_read_archived(const char *path, const char *sha256, const char *blob_dir,
                                        bool check_content, struct errors *errors)
{
    struct buffer data = {0};
    struct snapshot *x = NULL;
    char hex[65];
    if (buffer_read_file(&data, path) != 0) {
        errors_add_at(errors, path, 0, 0, "cannot read the archived source: %s", strerror(errno));
        goto done;
    }
    archive_sha256(data.data, data.len, hex);
    if (strcmp(hex, sha256) != 0) {
        errors_add_at(errors, path, 0, 0,
                      "the archived source has changed since it was issued (SHA-256 %s, "
                      "recorded %s): it cannot be trusted for a reprint",
                      hex, sha256);
        goto done;
    }
    x = snapshot_read_checked(path, data.data, data.len, blob_dir, check_content, errors);
done:
    buffer_free(&data);
    return x;
}

void snapshot_free(struct snapshot *x)
{
    if (!x)
        return;
    doc_free(x->doc);
    arena_free(x->arena);
}
