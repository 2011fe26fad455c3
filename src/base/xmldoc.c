/* xmldoc.c — owns secure XML loading with libxml2 and the mapping from
 * nodes back to line:column in the raw file text. libxml2 gives elements
 * only a line (that of their '>' at that), and its record_info offsets are
 * garbage for elements with content in 2.9.14, so SAX hooks record each
 * element's byte offsets and columns are computed from the raw text. */
#include "xmldoc.h"

#include "buffer.h"
#include "path.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Never NOENT (substitutes entities, reads local files), DTDLOAD, XINCLUDE,
 * HUGE or RECOVER: see DEPENDENCIES.md. */
enum {
    PARSE_OPTIONS = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES,
};

struct node_span {
    const xmlNode *node;
    size_t begin; /* '<' of the start tag */
    size_t end;   /* just past the end tag (or "/>") */
};

/* The public struct comes first, so a struct xmldoc * handed out is also
 * a pointer to the whole. */
struct xmldoc_full {
    struct xmldoc pub;
    struct node_span *nodes; /* every element, sorted by node address */
    size_t node_count, node_capacity;
};

/* State shared with libxml2's callbacks during one parse. */
struct parse_state {
    struct xmldoc_full *full;
    struct xmldoc *xml;
    struct errors *errors;
    bool failed;
    bool stopped; /* after a DOCTYPE: later errors are consequences */
};

static void index_lines(struct xmldoc *xml)
{
    size_t count = 1;
    for (size_t i = 0; i < xml->len; i++)
        count += xml->text[i] == '\n';
    xml->line_starts = xmalloc(count * sizeof *xml->line_starts);
    xml->line_starts[0] = 0;
    size_t line = 1;
    for (size_t i = 0; i < xml->len; i++)
        if (xml->text[i] == '\n')
            xml->line_starts[line++] = i + 1;
    xml->line_count = count;
}

struct source_loc xmldoc_offset_loc(const struct xmldoc *xml, size_t offset)
{
    if (offset > xml->len)
        offset = xml->len;
    size_t lo = 0, hi = xml->line_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (xml->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    /* Columns count code points, as libxml2's own error columns do. */
    int column = 1;
    for (size_t i = xml->line_starts[lo]; i < offset; i++)
        if (((unsigned char)xml->text[i] & 0xC0) != 0x80)
            column++;
    return (struct source_loc){.file = xml->path, .line = (int)lo + 1, .column = column};
}

static void on_error(void *data, xmlErrorPtr e)
{
    struct parse_state *st = data;
    if (st->stopped || !e)
        return;
    st->failed = true;
    char *message = xstrdup(e->message ? e->message : "malformed XML");
    size_t n = strlen(message);
    while (n > 0 && (message[n - 1] == '\n' || message[n - 1] == ' '))
        message[--n] = '\0';
    /* libxml2 capitalises its messages; ours are lower-case. */
    if (message[0] >= 'A' && message[0] <= 'Z' && message[1] >= 'a' && message[1] <= 'z')
        message[0] = (char)(message[0] - 'A' + 'a');
    errors_add_at(st->errors, st->xml->path, e->line, e->int2, "%s", message);
    free(message);
}

/* The first needle at or after from. memchr and memcmp, not strstr: the
 * rest of the text has a known length, and a sanitizer's strstr measures
 * it anew on every call (a 1 MB template took the fuzzer's ASan build
 * minutes). Callers start where the text should be, so it is found at
 * once; memmem would need _GNU_SOURCE. */
static size_t find_from(const struct xmldoc *xml, size_t from, const char *needle)
{
    if (from > xml->len)
        return SIZE_MAX;
    size_t n = strlen(needle);
    if (n == 0)
        return from;
    const char *p = xml->text + from, *end = xml->text + xml->len;
    while ((size_t)(end - p) >= n) {
        const char *hit = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!hit)
            return SIZE_MAX;
        if (memcmp(hit, needle, n) == 0)
            return (size_t)(hit - xml->text);
        p = hit + 1;
    }
    return SIZE_MAX;
}

static size_t input_offset(xmlParserCtxtPtr ctxt)
{
    return (size_t)ctxt->input->consumed + (size_t)(ctxt->input->cur - ctxt->input->base);
}

/* The last "<!DOCTYPE" starting before offset: the one the parser is in,
 * not one a comment before it mentions. */
static size_t doctype_before(const struct xmldoc *xml, size_t offset)
{
    static const char needle[] = "<!DOCTYPE";
    size_t n = sizeof needle - 1;
    for (size_t at = offset < xml->len ? offset : xml->len; at-- > 0;)
        if (at + n <= xml->len && memcmp(xml->text + at, needle, n) == 0)
            return at;
    return SIZE_MAX;
}

/* SAX hook called at every <!DOCTYPE ...>, before any declaration in it is
 * read: refusing here means entity declarations are never even parsed. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *st = ctxt->_private;
    size_t at = doctype_before(st->xml, input_offset(ctxt));
    struct source_loc loc = at != SIZE_MAX
                                ? xmldoc_offset_loc(st->xml, at)
                                : (struct source_loc){st->xml->path, ctxt->input->line, 0};
    errors_add(st->errors, loc,
               "document type declarations (<!DOCTYPE>) are not allowed: they can define "
               "entities that read files or expand without bound");
    st->failed = true;
    st->stopped = true;
    xmlStopParser(ctxt);
}

static int compare_spans(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct node_span *)a)->node;
    uintptr_t y = (uintptr_t)((const struct node_span *)b)->node;
    return x < y ? -1 : x > y;
}

/* Called with the parser just past the start tag's attributes. A raw '<'
 * cannot occur inside an attribute value, so the last one before the
 * current position opens this tag. */
static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    struct parse_state *st = ctxt->_private;
    struct xmldoc_full *full = st->full;
    size_t at = input_offset(ctxt);
    if (at > full->pub.len)
        at = full->pub.len;
    while (at > 0 && full->pub.text[at] != '<')
        at--;
    if (full->node_count == full->node_capacity) {
        full->node_capacity = full->node_capacity ? full->node_capacity * 2 : 64;
        full->nodes = xrealloc(full->nodes, full->node_capacity * sizeof *full->nodes);
    }
    full->nodes[full->node_count++] =
        (struct node_span){.node = ctxt->node, .begin = at, .end = full->pub.len};
}

/* Called with the parser just past the end tag (or "/>"). Elements close
 * in reverse order of opening, so the open one is found from the back. */
static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    struct parse_state *st = ctxt->_private;
    struct xmldoc_full *full = st->full;
    for (size_t i = full->node_count; i-- > 0;) {
        if (full->nodes[i].node == ctxt->node) {
            full->nodes[i].end = input_offset(ctxt);
            break;
        }
    }
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static void check_encoding(struct parse_state *st, xmlDocPtr doc)
{
    if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8") != 0) {
        errors_add_at(st->errors, st->xml->path, 1, 1,
                      "encoding '%s' is not supported: save the file as UTF-8",
                      (const char *)doc->encoding);
        st->failed = true;
    }
}

static xmlDocPtr parse(struct xmldoc_full *full, struct parse_state *st)
{
    struct xmldoc *xml = &full->pub;
    if (xml->len > INT32_MAX) {
        errors_add_at(st->errors, xml->path, 0, 0, "file is too large");
        return NULL;
    }
    if (xml->len == 0) { /* libxml2 makes no context for empty input */
        errors_add_at(st->errors, xml->path, 1, 1, "document is empty");
        return NULL;
    }
    /* libxml2 would convert UTF-16/32 silently, and offsets into the
     * converted text would no longer match the raw file. */
    if (memchr(xml->text, '\0', xml->len < 4 ? xml->len : 4) ||
        (xml->len >= 2 &&
         ((unsigned char)xml->text[0] == 0xFE || (unsigned char)xml->text[0] == 0xFF))) {
        errors_add_at(st->errors, xml->path, 1, 1,
                      "the file is UTF-16 or UTF-32: save it as UTF-8");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(xml->text, (int)xml->len);
    if (!ctxt) {
        fputs("missive: out of memory\n", stderr);
        abort();
    }
    xmlCtxtUseOptions(ctxt, PARSE_OPTIONS);
    ctxt->_private = st;
    ctxt->sax->internalSubset = on_doctype;
    ctxt->sax->startElementNs = on_start_element;
    ctxt->sax->endElementNs = on_end_element;
    /* Errors raised without the context at hand go to the thread's
     * structured handler: swap it in for this parse only. */
    xmlStructuredErrorFunc saved_handler = xmlStructuredError;
    void *saved_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(st, on_error);
    int rc = xmlParseDocument(ctxt);
    xmlSetStructuredErrorFunc(saved_context, saved_handler);
    xmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (rc != 0 || !ctxt->wellFormed)
        st->failed = true;
    if (!st->failed && doc)
        check_encoding(st, doc);
    if (full->node_count)
        qsort(full->nodes, full->node_count, sizeof *full->nodes, compare_spans);
    xmlFreeParserCtxt(ctxt);
    if (st->failed || !doc) {
        if (!st->failed)
            errors_add_at(st->errors, xml->path, 0, 0, "malformed XML");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* The longest run of bytes without XML white space. */
static size_t longest_word(const char *text)
{
    size_t longest = 0, run = 0;
    for (const char *p = text; *p; p++) {
        bool space = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
        run = space ? 0 : run + 1;
        if (run > longest)
            longest = run;
    }
    return longest;
}

/* Whether a text or attribute is within [limits] value_kb and word_bytes:
 * asked of every one, so its place in the file is only found for an error. */
static bool within_limits(const char *text)
{
    const struct path_limits *limits = path_limits();
    return strlen(text) <= limits->value_bytes && longest_word(text) <= limits->word_bytes;
}

/* A text or attribute longer than [limits] value_kb, or with a word past
 * [limits] word_bytes: an error at it (the text is not quoted). Laying
 * it out would cost time and memory with every letter. */
static void report_limits(const char *text, struct source_loc loc, struct errors *errors)
{
    const struct path_limits *limits = path_limits();
    size_t len = strlen(text), word = longest_word(text), limit = limits->word_bytes;
    char size[32];
    if (len > limits->value_bytes) {
        error_count(size, sizeof size, len);
        errors_add(errors, loc,
                   "a text of %s bytes, over the limit of %zu KB for one value ([limits] "
                   "value_kb in missive.ini)",
                   size, limits->value_bytes / 1024);
        return;
    }
    error_count(size, sizeof size, word);
    errors_add(errors, loc,
               "a word of %s bytes, over the limit of %zu bytes for one word ([limits] word_bytes "
               "in missive.ini)",
               size, limit);
}

/* Every text and attribute value within the limits; stops at the first
 * one past them. */
static bool words_within_limit(struct xmldoc *xml, const xmlNode *node, struct errors *errors)
{
    for (; node; node = node->next) {
        const char *text = (const char *)node->content;
        if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) && text &&
            !within_limits(text)) {
            report_limits(text, xmldoc_node_loc(xml, node), errors);
            return false;
        }
        if (node->type != XML_ELEMENT_NODE)
            continue;
        for (const xmlAttr *a = node->properties; a; a = a->next) {
            const xmlNode *v = a->children;
            if (v && v->content && !within_limits((const char *)v->content)) {
                report_limits((const char *)v->content,
                              xmldoc_attr_loc(xml, node, (const char *)a->name), errors);
                return false;
            }
        }
        if (!words_within_limit(xml, node->children, errors))
            return false;
    }
    return true;
}

struct xmldoc *xmldoc_load(struct arena *arena, const char *path, enum path_kind kind,
                           struct errors *errors)
{
    struct xmldoc_full *full = xcalloc(1, sizeof *full);
    struct xmldoc *xml = &full->pub;
    xml->path = arena_strdup(arena, path);
    struct buffer text = {0};
    char reason[512];
    int rc = path_read(path, kind, &text, reason, sizeof reason);
    if (rc != 0) {
        if (rc == PATH_FAILED)
            errors_add_at(errors, xml->path, 0, 0, "cannot read file: %s", strerror(errno));
        else
            errors_add_at(errors, xml->path, 0, 0, "the file %s",
                          path_reason_tail(xml->path, reason));
        buffer_free(&text);
        xmldoc_free(xml);
        return NULL;
    }
    xml->text = text.data; /* NUL-terminated: strstr may run over it */
    xml->len = text.len;
    index_lines(xml);
    struct parse_state st = {.full = full, .xml = xml, .errors = errors};
    xml->doc = parse(full, &st);
    if (xml->doc && !words_within_limit(xml, xml->doc->children, errors)) {
        xmlFreeDoc(xml->doc);
        xml->doc = NULL;
    }
    if (!xml->doc) {
        xmldoc_free(xml);
        return NULL;
    }
    return xml;
}

void xmldoc_free(struct xmldoc *xml)
{
    if (!xml)
        return;
    struct xmldoc_full *full = (struct xmldoc_full *)xml;
    if (xml->doc)
        xmlFreeDoc(xml->doc);
    free(xml->text);
    free(xml->line_starts);
    free(full->nodes);
    free(full);
}

static const struct node_span *node_info(const struct xmldoc *xml, const xmlNode *node)
{
    const struct xmldoc_full *full = (const struct xmldoc_full *)xml;
    struct node_span key = {.node = node};
    if (full->node_count == 0)
        return NULL;
    return bsearch(&key, full->nodes, full->node_count, sizeof key, compare_spans);
}

/* End of an element's start tag (just past its '>'), skipping quoted
 * attribute values that may hold '>'. */
static size_t start_tag_end(const struct xmldoc *xml, size_t at)
{
    char quote = 0;
    for (size_t i = at; i < xml->len; i++) {
        char c = xml->text[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return xml->len;
}

/* Where a text, comment or PI node begins: after the previous element
 * sibling (or the parent's start tag), stepping over the non-element
 * siblings between. Raw text holds no '<', so a comment starts at the next
 * one. SIZE_MAX when it cannot be told. */
static size_t other_node_offset(const struct xmldoc *xml, const xmlNode *node)
{
    const xmlNode *prev = node->prev;
    while (prev && prev->type != XML_ELEMENT_NODE)
        prev = prev->prev;
    size_t at;
    if (prev) {
        const struct node_span *info = node_info(xml, prev);
        if (!info)
            return SIZE_MAX;
        at = info->end;
    } else {
        const struct node_span *info = node->parent ? node_info(xml, node->parent) : NULL;
        if (!info)
            return SIZE_MAX;
        at = start_tag_end(xml, info->begin);
    }
    for (const xmlNode *n = prev ? prev->next : node->parent->children; n && n != node;
         n = n->next) {
        size_t next = SIZE_MAX;
        if (n->type == XML_COMMENT_NODE)
            next = find_from(xml, at, "-->");
        else if (n->type == XML_PI_NODE)
            next = find_from(xml, at, "?>");
        else if (n->type == XML_TEXT_NODE)
            next = find_from(xml, at, "<");
        if (next == SIZE_MAX)
            return SIZE_MAX;
        at = n->type == XML_COMMENT_NODE ? next + 3 : n->type == XML_PI_NODE ? next + 2 : next;
    }
    return at;
}

/* Byte offset where node starts, or SIZE_MAX. */
static size_t node_offset(const struct xmldoc *xml, const xmlNode *node)
{
    if (node->type == XML_ELEMENT_NODE) {
        const struct node_span *info = node_info(xml, node);
        return info ? info->begin : SIZE_MAX;
    }
    if (node->type == XML_DOCUMENT_NODE)
        return 0;
    return other_node_offset(xml, node);
}

static struct source_loc line_only(const struct xmldoc *xml, const xmlNode *node)
{
    long line = xmlGetLineNo(node);
    return (struct source_loc){.file = xml->path, .line = line > 0 ? (int)line : 0, .column = 0};
}

struct source_loc xmldoc_node_loc(const struct xmldoc *xml, const xmlNode *node)
{
    size_t at = node_offset(xml, node);
    if (at == SIZE_MAX)
        return line_only(xml, node);
    if (node->type == XML_TEXT_NODE) {
        /* Point at the first visible character of the text. */
        size_t end = at;
        while (end < xml->len && strchr(" \t\r\n", xml->text[end]) && xml->text[end])
            end++;
        if (end < xml->len && xml->text[end] != '<')
            at = end;
    }
    return xmldoc_offset_loc(xml, at);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':' || (unsigned char)c >= 0x80;
}

/* Offset of attribute name in the start tag beginning at tag, or SIZE_MAX. */
static size_t attr_offset(const struct xmldoc *xml, size_t tag, const char *name)
{
    size_t end = start_tag_end(xml, tag);
    size_t i = tag + 1;
    size_t name_len = strlen(name);
    while (i < end && is_name_char(xml->text[i]))
        i++; /* the element's own name */
    while (i < end) {
        char c = xml->text[i];
        if (c == '"' || c == '\'') {
            const char *close = memchr(xml->text + i + 1, c, end - i - 1);
            if (!close)
                return SIZE_MAX;
            i = (size_t)(close - xml->text) + 1;
        } else if (is_name_char(c)) {
            size_t start = i;
            while (i < end && is_name_char(xml->text[i]))
                i++;
            if (i - start == name_len && memcmp(xml->text + start, name, name_len) == 0)
                return start;
        } else {
            i++;
        }
    }
    return SIZE_MAX;
}

struct source_loc xmldoc_attr_loc(const struct xmldoc *xml, const xmlNode *element,
                                  const char *name)
{
    size_t tag = node_offset(xml, element);
    if (tag == SIZE_MAX || element->type != XML_ELEMENT_NODE)
        return xmldoc_node_loc(xml, element);
    size_t at = attr_offset(xml, tag, name);
    return at == SIZE_MAX ? xmldoc_node_loc(xml, element) : xmldoc_offset_loc(xml, at);
}

struct source_loc xmldoc_find(const struct xmldoc *xml, const xmlNode *node, const char *needle,
                              size_t *cursor)
{
    size_t from = *cursor;
    if (from == 0) {
        from = node_offset(xml, node);
        if (from == SIZE_MAX) {
            long line = xmlGetLineNo(node);
            from = line > 0 && (size_t)line <= xml->line_count ? xml->line_starts[line - 1] : 0;
        }
    }
    size_t at = find_from(xml, from, needle);
    if (at == SIZE_MAX || needle[0] == '\0')
        return xmldoc_node_loc(xml, node);
    *cursor = at + strlen(needle);
    return xmldoc_offset_loc(xml, at);
}

char *xmldoc_attr(struct arena *arena, const xmlNode *element, const char *name)
{
    xmlChar *value = xmlGetNoNsProp(element, (const xmlChar *)name);
    if (!value)
        return NULL;
    char *copy = arena_strdup(arena, (const char *)value);
    xmlFree(value);
    return copy;
}

char *xmldoc_text(struct arena *arena, const xmlNode *element)
{
    xmlChar *content = xmlNodeGetContent(element);
    char *copy = arena_strdup(arena, content ? (const char *)content : "");
    xmlFree(content);
    return copy;
}
