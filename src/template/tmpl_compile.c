/* tmpl_compile.c — owns turning template XML and letter markup into the
 * operation tree: checking which element may stand where (its text is
 * split by tmpl_text.c), splicing <include>d files in place and resolving
 * <fact ref>. Each operation remembers where in the
 * source it came from; nothing refers to libxml2 memory afterwards. */
#include "tmpl_compile_internal.h"

#include "path.h"

#include "codes.h"
#include "suggest.h"

#include <errno.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN(m) (1u << (m))

struct element_info {
    const char *name;
    enum tmpl_op op;
    int kind;          /* doc_block_kind or doc_inline_kind */
    unsigned allowed;  /* IN(mode) bits of the places it may stand */
    enum mode content; /* what its children are */
    const char *image; /* the attribute naming an image, if any */
    bool in_letters;   /* letters may use it too, not only templates */
};

static const struct element_info elements[] = {
    {"letterhead", OP_BLOCK, DOC_LETTERHEAD, IN(MODE_TOP), MODE_LINES, NULL, false},
    {"reference", OP_BLOCK, DOC_REFERENCE, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"date", OP_BLOCK, DOC_DATE, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"address", OP_BLOCK, DOC_ADDRESS, IN(MODE_TOP), MODE_LINES, NULL, false},
    {"subject", OP_BLOCK, DOC_SUBJECT, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"sender", OP_BLOCK, DOC_SENDER, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"salutation", OP_BLOCK, DOC_SALUTATION, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"p", OP_BLOCK, DOC_PARAGRAPH, IN(MODE_TOP) | IN(MODE_BODY), MODE_INLINE, NULL, true},
    {"closing", OP_BLOCK, DOC_CLOSING, IN(MODE_TOP), MODE_INLINE, NULL, false},
    {"signatures", OP_BLOCK, DOC_SIGNATURES, IN(MODE_TOP), MODE_SIGNATURES, NULL, false},
    {"signature", OP_BLOCK, DOC_SIGNATURE, IN(MODE_SIGNATURES), MODE_LINES, "image", false},
    {"line", OP_BLOCK, DOC_LINE, IN(MODE_LINES), MODE_INLINE, "logo", false},
    {"em", OP_INLINE, DOC_EMPHASIS, IN(MODE_INLINE), MODE_INLINE, NULL, true},
    {"strong", OP_INLINE, DOC_STRONG, IN(MODE_INLINE), MODE_INLINE, NULL, true},
    {"q", OP_INLINE, DOC_QUOTE, IN(MODE_INLINE), MODE_INLINE, NULL, true},
    {"br", OP_BREAK, DOC_LINEBREAK, IN(MODE_INLINE), MODE_INLINE, NULL, true},
};

enum { ELEMENT_COUNT = sizeof elements / sizeof elements[0] };

static const char *const all_names[] = {
    "letterhead", "reference", "date",    "address", "subject", "salutation", "p",        "closing",
    "signatures", "signature", "line",    "em",      "strong",  "q",          "br",       "each",
    "if",         "else",      "include", "define",  "body",    "fact",       "template", "sender",
};

static void compile_node(struct compiler *c, const xmlNode *n, struct place *at);
static void compile_nodes(struct compiler *c, const xmlNode *first, struct place *at);

void tmpl_compile_error(struct compiler *c, struct source_loc loc, const char *format, ...)
{
    va_list args, copy;
    va_start(args, format);
    va_copy(copy, args);
    int len = vsnprintf(NULL, 0, format, copy);
    va_end(copy);
    char *message = arena_alloc(c->arena, len > 0 ? (size_t)len + 1 : 1);
    vsnprintf(message, len > 0 ? (size_t)len + 1 : 1, format, args);
    va_end(args);
    errors_add(c->errors, loc, "%s", message);
    c->failed = true;
}

struct tmpl_node *tmpl_compile_new_node(struct compiler *c, enum tmpl_op op, struct source_loc loc)
{
    struct tmpl_node *n = arena_alloc(c->arena, sizeof *n);
    n->op = op;
    n->loc = loc;
    return n;
}

void tmpl_compile_append(struct place *at, struct tmpl_node *n)
{
    *at->tail = n;
    at->tail = &n->next;
}

static struct source_loc node_loc(struct compiler *c, const xmlNode *node)
{
    return xmldoc_node_loc(c->xml, node);
}

static const char *name_of(const xmlNode *node)
{
    return (const char *)node->name;
}

/* ---- attributes -------------------------------------------------------- */

static bool attr_allowed(const char *name, const char *const *allowed)
{
    for (size_t i = 0; allowed && allowed[i]; i++)
        if (strcmp(allowed[i], name) == 0)
            return true;
    return false;
}

/* Every attribute must be one the element knows: a misspelt one would
 * otherwise be silently ignored. */
static void check_attributes(struct compiler *c, const xmlNode *el, const char *const *allowed)
{
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        if (!a->ns && attr_allowed(name, allowed))
            continue;
        size_t count = 0;
        while (allowed && allowed[count])
            count++;
        const char *guess = suggest_closest(name, allowed, count);
        struct source_loc loc = xmldoc_attr_loc(c->xml, el, name);
        if (guess)
            tmpl_compile_error(c, loc, "unknown attribute '%s' on <%s> (did you mean '%s'?)", name,
                               name_of(el), guess);
        else if (count == 0)
            tmpl_compile_error(c, loc, "unknown attribute '%s': <%s> takes no attributes", name,
                               name_of(el));
        else
            tmpl_compile_error(c, loc, "unknown attribute '%s' on <%s>", name, name_of(el));
    }
}

static const char *required_attr(struct compiler *c, const xmlNode *el, const char *name)
{
    const char *value = xmldoc_attr(c->arena, el, name);
    if (!value)
        tmpl_compile_error(c, node_loc(c, el), "<%s> needs the attribute '%s'", name_of(el), name);
    return value;
}

static void check_empty(struct compiler *c, const xmlNode *el)
{
    for (const xmlNode *n = el->children; n; n = n->next) {
        if (n->type == XML_COMMENT_NODE ||
            (n->type == XML_TEXT_NODE && tmpl_text_blank((const char *)n->content)))
            continue;
        tmpl_compile_error(c, node_loc(c, n), "<%s> must be empty", name_of(el));
        return;
    }
}

static struct tmpl_expr *attr_expr(struct compiler *c, const xmlNode *el, const char *name)
{
    const char *text = required_attr(c, el, name);
    if (!text)
        return NULL;
    struct tmpl_expr *e =
        tmpl_expr_parse(c->arena, text, strlen(text), xmldoc_attr_loc(c->xml, el, name), c->errors);
    if (!e)
        c->failed = true;
    return e;
}

/* An attribute holding text with {{ }}, compiled to a sequence. */
static struct tmpl_node *attr_template(struct compiler *c, const xmlNode *el, const char *name)
{
    const char *text = xmldoc_attr(c->arena, el, name);
    if (!text)
        return NULL;
    struct source_loc loc = xmldoc_attr_loc(c->xml, el, name);
    struct tmpl_node *seq = tmpl_compile_new_node(c, OP_SEQ, loc);
    struct place at = {.mode = MODE_INLINE, .context = name_of(el), .tail = &seq->children};
    tmpl_text_compile_attr(c, el, loc, text, &at);
    return seq;
}

/* ---- control elements -------------------------------------------------- */

static bool is_variable_name(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

static void compile_each(struct compiler *c, const xmlNode *el, struct place *at)
{
    static const char *const allowed[] = {"in", "as", NULL};
    check_attributes(c, el, allowed);
    struct tmpl_node *n = tmpl_compile_new_node(c, OP_EACH, node_loc(c, el));
    n->expr = attr_expr(c, el, "in");
    n->text = required_attr(c, el, "as");
    if (n->text && (!is_variable_name(n->text) || strcmp(n->text, "loop") == 0))
        tmpl_compile_error(
            c, xmldoc_attr_loc(c->xml, el, "as"),
            "'%s' cannot name a variable (use letters, digits, '_' or '-'; 'loop' is "
            "taken)",
            n->text);
    struct place inner = {.mode = at->mode, .context = at->context, .tail = &n->children};
    compile_nodes(c, el->children, &inner);
    tmpl_compile_append(at, n);
}

static bool is_else(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE && !n->ns && strcmp(name_of(n), "else") == 0;
}

static void compile_if(struct compiler *c, const xmlNode *el, struct place *at)
{
    static const char *const allowed[] = {"test", NULL};
    check_attributes(c, el, allowed);
    struct tmpl_node *n = tmpl_compile_new_node(c, OP_IF, node_loc(c, el));
    n->expr = attr_expr(c, el, "test");
    struct place then = {.mode = at->mode, .context = at->context, .tail = &n->children};
    struct place otherwise = {.mode = at->mode, .context = at->context, .tail = &n->alternative};
    struct place *into = &then;
    for (const xmlNode *k = el->children; k; k = k->next) {
        if (!is_else(k)) {
            compile_node(c, k, into);
        } else if (into == &otherwise) {
            tmpl_compile_error(c, node_loc(c, k), "<if> has more than one <else/>");
        } else {
            check_attributes(c, k, NULL);
            check_empty(c, k);
            tmpl_text_close_quote(c, into);
            into = &otherwise;
        }
    }
    tmpl_text_close_quote(c, into);
    tmpl_compile_append(at, n);
}

static bool in_stack(const struct include_frame *f, const char *real_path)
{
    for (; f; f = f->up)
        if (strcmp(f->real_path, real_path) == 0)
            return true;
    return false;
}

/* src relative to the folder of the including file. */
static const char *resolve_src(struct compiler *c, const char *src)
{
    if (src[0] == '/')
        return src;
    const char *slash = strrchr(c->xml->path, '/');
    if (!slash)
        return src;
    return arena_printf(c->arena, "%.*s/%s", (int)(slash - c->xml->path), c->xml->path, src);
}

static bool compile_file_root(struct compiler *c, const struct xmldoc *xml, struct place *at);

static void compile_include(struct compiler *c, const xmlNode *el, struct place *at)
{
    static const char *const allowed[] = {"src", NULL};
    check_attributes(c, el, allowed);
    check_empty(c, el);
    const char *src = required_attr(c, el, "src");
    if (!src)
        return;
    struct source_loc loc = xmldoc_attr_loc(c->xml, el, "src");
    const char *path = resolve_src(c, src);
    char real[PATH_MAX], reason[512];
    int checked = path_check(path, PATH_TEMPLATE, reason, sizeof reason);
    if (checked == PATH_REFUSED) {
        tmpl_compile_error(c, loc, "cannot include: %s", reason);
        return;
    }
    if (checked != 0 || !path_real(path, real)) {
        tmpl_compile_error(c, loc, "cannot include '%s': %s", path, strerror(errno));
        return;
    }
    if (in_stack(c->includes, real)) {
        tmpl_compile_error(c, loc, "include cycle: '%s' is already being included", path);
        return;
    }
    struct xmldoc *xml = xmldoc_load(c->arena, path, PATH_TEMPLATE, c->errors);
    if (!xml) {
        c->failed = true;
        return;
    }
    struct include_frame frame = {.real_path = real, .up = c->includes};
    const struct xmldoc *outer = c->xml;
    c->xml = xml;
    c->includes = &frame;
    compile_file_root(c, xml, at);
    c->xml = outer;
    c->includes = frame.up;
    xmldoc_free(xml);
}

static void compile_define(struct compiler *c, const xmlNode *el, struct place *at)
{
    static const char *const allowed[] = {"name", NULL};
    check_attributes(c, el, allowed);
    const char *name = required_attr(c, el, "name");
    if (!at->top) {
        tmpl_compile_error(c, node_loc(c, el), "<define> must stand directly in <template>");
        return;
    }
    if (!name)
        return;
    if (strcmp(name, "fact") != 0) {
        static const char *const known[] = {"fact"};
        const char *guess = suggest_closest(name, known, 1);
        tmpl_compile_error(
            c, xmldoc_attr_loc(c->xml, el, "name"),
            "unknown definition '%s'%s: only 'fact' is defined (for <fact ref> in letters)", name,
            guess ? " (did you mean 'fact'?)" : "");
        return;
    }
    if (c->tmpl->fact_define) {
        struct source_loc first = c->tmpl->fact_define->loc;
        tmpl_compile_error(c, node_loc(c, el), "'fact' is already defined at %s:%d:%d", first.file,
                           first.line, first.column);
        return;
    }
    struct tmpl_node *seq = tmpl_compile_new_node(c, OP_SEQ, node_loc(c, el));
    struct place inner = {.mode = MODE_TOP, .context = "define", .tail = &seq->children};
    compile_nodes(c, el->children, &inner);
    c->tmpl->fact_define = seq;
}

/* n limited to recipients in countries and groups (lists of names, "!X"
 * excluding): n itself when both are NULL. */
static struct tmpl_node *limit_to(struct compiler *c, struct tmpl_node *n,
                                  const struct value *countries, const struct value *groups)
{
    if (!countries && !groups)
        return n;
    struct tmpl_node *limit = tmpl_compile_new_node(c, OP_COUNTRIES, n->loc);
    limit->countries = countries;
    limit->groups = groups;
    limit->children = n;
    return limit;
}

/* A letter element's countries="KZ !RU" or groups="embassies !g20" as a
 * list, or NULL when it has none (or after an error). */
static const struct value *limit_attr(struct compiler *c, const xmlNode *el, const char *name)
{
    const char *text = xmldoc_attr(c->arena, el, name);
    if (!text)
        return NULL;
    struct source_loc loc = xmldoc_attr_loc(c->xml, el, name);
    const struct value *list = strcmp(name, "countries") == 0
                                   ? codes_countries(c->arena, text, loc, name, c->errors)
                                   : codes_names(c->arena, text, loc, name, c->errors);
    if (!list)
        c->failed = true;
    return list;
}

/* n limited by el's own countries and groups. */
static struct tmpl_node *limit_by(struct compiler *c, struct tmpl_node *n, const xmlNode *el)
{
    return limit_to(c, n, limit_attr(c, el, "countries"), limit_attr(c, el, "groups"));
}

static void compile_fact(struct compiler *c, const xmlNode *el, struct place *at)
{
    static const char *const allowed[] = {"ref", "countries", "groups", NULL};
    check_attributes(c, el, allowed);
    check_empty(c, el);
    const char *ref = required_attr(c, el, "ref");
    if (!ref)
        return;
    struct source_loc loc = xmldoc_attr_loc(c->xml, el, "ref");
    const struct value *fact = value_map_get(c->facts, ref);
    if (!fact) {
        const char *guess = c->facts ? suggest_closest(ref, c->facts->keys, c->facts->count) : NULL;
        if (guess)
            tmpl_compile_error(c, loc, "unknown fact '%s' (did you mean '%s'?)", ref, guess);
        else
            tmpl_compile_error(c, loc, "unknown fact '%s'", ref);
        return;
    }
    struct tmpl_node *n = tmpl_compile_new_node(c, OP_FACT, node_loc(c, el));
    n->fact = fact;
    n->text = ref;
    /* Both the fact's own countries and this mention's limit it. */
    n = limit_to(c, n, value_map_get(fact, "countries"), value_map_get(fact, "groups"));
    tmpl_compile_append(at, limit_by(c, n, el));
}

/* Control elements: true when el was one (handled or reported). */
static bool compile_control(struct compiler *c, const xmlNode *el, struct place *at)
{
    const char *name = name_of(el);
    bool in_template = c->tmpl != NULL;
    if (strcmp(name, "each") == 0) {
        compile_each(c, el, at);
    } else if (strcmp(name, "if") == 0) {
        compile_if(c, el, at);
    } else if (strcmp(name, "else") == 0) {
        tmpl_compile_error(c, node_loc(c, el), "<else/> belongs directly inside an <if>");
    } else if (in_template && strcmp(name, "include") == 0) {
        compile_include(c, el, at);
    } else if (in_template && strcmp(name, "define") == 0) {
        compile_define(c, el, at);
    } else if (in_template && strcmp(name, "body") == 0 && at->mode == MODE_TOP) {
        check_attributes(c, el, NULL);
        check_empty(c, el);
        tmpl_compile_append(at, tmpl_compile_new_node(c, OP_BODY, node_loc(c, el)));
    } else if (!in_template && strcmp(name, "fact") == 0 && at->mode == MODE_BODY) {
        compile_fact(c, el, at);
    } else {
        return false;
    }
    return true;
}

/* ---- document elements ------------------------------------------------- */

static const struct element_info *find_element(const char *name)
{
    for (size_t i = 0; i < ELEMENT_COUNT; i++)
        if (strcmp(elements[i].name, name) == 0)
            return &elements[i];
    return NULL;
}

static bool known_name(const char *name)
{
    for (size_t i = 0; i < sizeof all_names / sizeof all_names[0]; i++)
        if (strcmp(all_names[i], name) == 0)
            return true;
    return false;
}

static void misplaced(struct compiler *c, const xmlNode *el, const struct place *at)
{
    if (!c->tmpl)
        tmpl_compile_error(c, node_loc(c, el), "<%s> is not allowed in a letter's <%s>",
                           name_of(el), at->context);
    else
        tmpl_compile_error(c, node_loc(c, el), "<%s> is not allowed inside <%s>", name_of(el),
                           at->context);
}

static void compile_element(struct compiler *c, const xmlNode *el, struct place *at)
{
    const char *name = name_of(el);
    if (!el->ns && compile_control(c, el, at))
        return;
    const struct element_info *info = el->ns ? NULL : find_element(name);
    if (!info) {
        if (!el->ns && known_name(name)) {
            misplaced(c, el, at);
            return;
        }
        if (el->ns) {
            /* xi:include and the like: another vocabulary, never read. */
            const char *prefix = el->ns->prefix ? (const char *)el->ns->prefix : "";
            tmpl_compile_error(
                c, node_loc(c, el),
                "unknown element <%s%s%s> in namespace '%s': missive reads no other XML "
                "vocabulary (XInclude included)",
                prefix, *prefix ? ":" : "", name, el->ns->href ? (const char *)el->ns->href : "");
            return;
        }
        const char *guess =
            suggest_closest(name, all_names, sizeof all_names / sizeof all_names[0]);
        if (guess)
            tmpl_compile_error(c, node_loc(c, el), "unknown element <%s> (did you mean <%s>?)",
                               name, guess);
        else
            tmpl_compile_error(c, node_loc(c, el), "unknown element <%s>", name);
        return;
    }
    if (!(info->allowed & IN(at->mode)) || (!c->tmpl && !info->in_letters)) {
        misplaced(c, el, at);
        return;
    }
    const char *const image_attrs[] = {info->image, NULL};
    const char *const letter_p_attrs[] = {"countries", "groups", NULL};
    bool letter_p = !c->tmpl && info->kind == DOC_PARAGRAPH && info->op == OP_BLOCK;
    check_attributes(c, el, info->image ? image_attrs : letter_p ? letter_p_attrs : NULL);
    /* Only the letterhead draws logos; elsewhere the attribute would be
     * silently ignored. */
    if (info->image && strcmp(info->image, "logo") == 0 && strcmp(at->context, "letterhead") != 0 &&
        xmlHasProp(el, (const xmlChar *)"logo"))
        tmpl_compile_error(c, xmldoc_attr_loc(c->xml, el, "logo"),
                           "logo is only drawn on lines of <letterhead>, not in <%s>", at->context);
    struct tmpl_node *n = tmpl_compile_new_node(c, info->op, node_loc(c, el));
    n->kind = info->kind;
    n->text = info->name;
    n->inline_content = info->content == MODE_INLINE;
    if (info->image) {
        n->image = attr_template(c, el, info->image);
        n->image_loc = xmldoc_attr_loc(c->xml, el, info->image);
    }
    if (info->op == OP_BREAK) {
        check_empty(c, el);
    } else {
        struct place inner = {.mode = info->content, .context = info->name, .tail = &n->children};
        compile_nodes(c, el->children, &inner);
    }
    tmpl_compile_append(at, letter_p ? limit_by(c, n, el) : n);
}

static void compile_node(struct compiler *c, const xmlNode *n, struct place *at)
{
    switch (n->type) {
    case XML_ELEMENT_NODE:
        compile_element(c, n, at);
        break;
    case XML_TEXT_NODE:
        tmpl_text_compile(c, n, at);
        break;
    case XML_COMMENT_NODE:
        break;
    case XML_PI_NODE:
        tmpl_compile_error(c, node_loc(c, n),
                           "processing instructions (<?%s ...?>) are not allowed", name_of(n));
        break;
    default:
        tmpl_compile_error(c, node_loc(c, n), "unexpected XML content");
        break;
    }
}

static void compile_nodes(struct compiler *c, const xmlNode *first, struct place *at)
{
    for (const xmlNode *n = first; n; n = n->next)
        compile_node(c, n, at);
    tmpl_text_close_quote(c, at);
}

/* A template file's root must be <template>; its children go to at. */
static bool compile_file_root(struct compiler *c, const struct xmldoc *xml, struct place *at)
{
    const xmlNode *root = xmlDocGetRootElement(xml->doc);
    if (!root || root->ns || strcmp(name_of(root), "template") != 0) {
        tmpl_compile_error(c, root ? node_loc(c, root) : xmldoc_offset_loc(xml, 0),
                           "a template's root element must be <template>, not <%s>",
                           root ? name_of(root) : "");
        return false;
    }
    check_attributes(c, root, NULL);
    compile_nodes(c, root->children, at);
    return true;
}

bool tmpl_compile_file(struct tmpl *tmpl, const char *path, struct errors *errors)
{
    struct compiler c = {.arena = tmpl->arena, .errors = errors, .tmpl = tmpl};
    struct xmldoc *xml = xmldoc_load(tmpl->arena, path, PATH_TEMPLATE, errors);
    if (!xml)
        return false;
    tmpl->path = xml->path;
    char real[PATH_MAX];
    struct include_frame frame = {.real_path = path_real(path, real) ? real : path};
    c.xml = xml;
    c.includes = &frame;
    tmpl->root = tmpl_compile_new_node(&c, OP_SEQ, xmldoc_offset_loc(xml, 0));
    struct place at = {
        .mode = MODE_TOP, .context = "template", .top = true, .tail = &tmpl->root->children};
    compile_file_root(&c, xml, &at);
    xmldoc_free(xml);
    return !c.failed;
}

const struct tmpl_node *tmpl_compile_markup(struct arena *arena, const struct xmldoc *xml,
                                            const xmlNode *parent, bool blocks,
                                            const struct value *facts, struct errors *errors)
{
    struct compiler c = {.arena = arena, .errors = errors, .xml = xml, .facts = facts};
    struct tmpl_node *seq = tmpl_compile_new_node(&c, OP_SEQ, xmldoc_node_loc(xml, parent));
    struct place at = {.mode = blocks ? MODE_BODY : MODE_INLINE,
                       .context = name_of(parent),
                       .tail = &seq->children};
    compile_nodes(&c, parent->children, &at);
    return c.failed ? NULL : seq;
}
