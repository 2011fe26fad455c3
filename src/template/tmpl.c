/* tmpl.c — owns loading compiled templates and applying them: walking the
 * operation tree with the data in scope and building the document tree.
 * Substituted strings become text inlines (never parsed again), located at
 * the data they came from; markup values run their own operations in
 * place. Temporary values live in an arena freed when applying ends. */
#include "tmpl_internal.h"

#include "buffer.h"
#include "codes.h"
#include "path.h"
#include "suggest.h"

#include <stdlib.h>
#include <string.h>

/* Markup may substitute markup (a fact's text naming {{ fact.text }});
 * past this depth it can only be a loop. */
enum { MAX_DEPTH = 16 };

/* Finds <body/> operations in a compiled sequence: counts them, keeps the
 * first and notes whether any sits inside <each>. */
static void find_bodies(const struct tmpl_node *n, bool in_each, size_t *count,
                        const struct tmpl_node **first, const struct tmpl_node **repeated)
{
    for (; n; n = n->next) {
        if (n->op == OP_BODY) {
            if (++*count == 1)
                *first = n;
            else if (!*repeated)
                *repeated = n;
            if (in_each && !*repeated)
                *repeated = n;
        }
        find_bodies(n->children, in_each || n->op == OP_EACH, count, first, repeated);
        find_bodies(n->alternative, in_each, count, first, repeated);
    }
}

/* A template prints the letter's text at most once: two <body/> (or one in
 * a loop) would repeat it. A <body/> in each branch of an <if> counts
 * twice, which is rare enough to ask for one <body/> after the <if>. A
 * template without <body/> is fine for fragments; tmpl_apply refuses it
 * for a letter that has a body. */
static bool check_body(struct tmpl *tmpl, struct errors *errors)
{
    size_t count = 0;
    const struct tmpl_node *first = NULL, *repeated = NULL;
    find_bodies(tmpl->root, false, &count, &first, &repeated);
    tmpl->has_body = count > 0;
    if (repeated && repeated == first)
        errors_add(errors, first->loc,
                   "<body/> inside <each> would print the letter's text "
                   "more than once");
    else if (repeated)
        errors_add(errors, repeated->loc,
                   "second <body/> (first at line %d): the letter's text "
                   "would be printed twice",
                   first->loc.line);
    return repeated == NULL;
}

struct tmpl *tmpl_load(const char *path, struct errors *errors)
{
    struct arena *arena = arena_new();
    struct tmpl *tmpl = arena_alloc(arena, sizeof *tmpl);
    tmpl->arena = arena;
    if (!tmpl_compile_file(tmpl, path, errors) || !check_body(tmpl, errors)) {
        arena_free(arena);
        return NULL;
    }
    return tmpl;
}

void tmpl_free(struct tmpl *tmpl)
{
    if (tmpl)
        arena_free(tmpl->arena);
}

const char *tmpl_path(const struct tmpl *tmpl)
{
    return tmpl->path;
}

struct applier {
    const struct tmpl *tmpl;
    const struct tmpl_env *env;
    struct doc_document *doc;
    struct tmpl_eval ev;
    int depth;
    /* Operations run so far, against [limits] template_nodes: loops and
     * markup that names markup multiply, and depth alone does not bound
     * the product. Past the budget, applying stops. */
    size_t steps, budget;
    bool over_budget;
};

/* Where output goes: blocks into block, or inlines into block/container. */
struct out {
    struct doc_block *block;
    struct doc_inline *container;
    bool in_line;
};

static void run(struct applier *ap, const struct tmpl_node *first, struct out out);

/* A group a condition names must exist: a misspelt one would silently
 * leave the text out of every letter. */
static void check_groups(struct applier *ap, const struct tmpl_node *n)
{
    const struct value *known = ap->env->known_groups;
    for (size_t i = 0; known && n->groups && i < n->groups->count; i++) {
        const char *name = n->groups->items[i]->string;
        name += name[0] == '!';
        if (value_map_get(known, name))
            continue;
        const char *hint = suggest_closest(name, known->keys, known->count);
        errors_add(ap->ev.errors, n->groups->loc, "unknown group '%s'%s%s%s", name,
                   hint ? " (did you mean '" : " (groups are declared in recipients.ini)",
                   hint ? hint : "", hint ? "'?)" : "");
    }
}

/* Counts one operation; false once the budget is spent (said once). */
static bool within_budget(struct applier *ap, const struct tmpl_node *n)
{
    if (ap->over_budget)
        return false;
    if (++ap->steps <= ap->budget)
        return true;
    ap->over_budget = true;
    char count[32];
    error_count(count, sizeof count, ap->budget);
    errors_add(ap->ev.errors, n->loc,
               "the template would make more than %s nodes here (loops or markup that repeats "
               "markup multiply them): the limit is [limits] template_nodes in missive.ini",
               count);
    return false;
}

static bool enter(struct applier *ap, struct source_loc loc)
{
    if (ap->depth >= MAX_DEPTH) {
        errors_add(ap->ev.errors, loc, "markup refers to itself (nested %d deep)", MAX_DEPTH);
        return false;
    }
    ap->depth++;
    return true;
}

static void substitute(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    const struct value *v = tmpl_expr_eval(&ap->ev, n->expr);
    if (!v)
        return;
    switch (v->kind) {
    case VALUE_STRING:
        doc_text_add(ap->doc, out.block, out.container, v->string, strlen(v->string),
                     v->loc.file ? v->loc : n->loc);
        break;
    case VALUE_MARKUP:
        if (v->markup && enter(ap, n->loc)) {
            run(ap, v->markup, out);
            ap->depth--;
        }
        break;
    case VALUE_LIST:
        errors_add(ap->ev.errors, n->loc,
                   "'%s' is a list: it cannot be printed as text (use a filter such "
                   "as join or first)",
                   n->expr->text);
        break;
    case VALUE_MAP:
        errors_add(ap->ev.errors, n->loc,
                   "'%s' is a map: it cannot be printed as text (name one of its "
                   "keys)",
                   n->expr->text);
        break;
    }
}

/* The image or logo attribute as a path; NULL when empty. */
static const char *image_path(struct applier *ap, const struct tmpl_node *seq)
{
    struct buffer b = {0};
    bool ok = true;
    for (const struct tmpl_node *n = seq->children; n; n = n->next) {
        if (n->op == OP_TEXT) {
            buffer_puts(&b, n->text);
            continue;
        }
        const struct value *v = tmpl_expr_eval(&ap->ev, n->expr);
        if (v && v->kind != VALUE_STRING) {
            errors_add(ap->ev.errors, n->loc, "'%s' is a %s: an image needs a file name",
                       n->expr->text, value_kind_name(v->kind));
            v = NULL;
        }
        if (v)
            buffer_puts(&b, v->string);
        ok = ok && v;
    }
    const char *path = NULL;
    const char *root = ap->env->root;
    /* A path that starts with text typed in the template is relative to the
     * workspace, not to wherever missive runs; data paths come resolved. */
    bool typed = seq->children && seq->children->op == OP_TEXT;
    if (ok && b.len && typed && b.data[0] != '/' && root && *root && strcmp(root, ".") != 0)
        path = arena_printf(ap->doc->arena, "%s/%s", root, b.data);
    else if (ok && b.len)
        path = arena_strdup(ap->doc->arena, b.data);
    buffer_free(&b);
    return path;
}

static void run_block(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    if (out.in_line) {
        errors_add(ap->ev.errors, n->loc, "<%s> is a block: it cannot stand inside a line of text",
                   n->text);
        return;
    }
    struct doc_block *b = doc_block_add(ap->doc, out.block, n->kind, n->loc);
    if (n->image) {
        b->image = image_path(ap, n->image);
        b->image_loc = n->image_loc;
    }
    run(ap, n->children, (struct out){.block = b, .in_line = n->inline_content});
}

static void run_inline(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    if (!out.in_line) {
        errors_add(ap->ev.errors, n->loc,
                   "<%s> is inline: it must stand inside a block such as <p>", n->text);
        return;
    }
    struct doc_inline *in = doc_inline_add(ap->doc, out.block, out.container, n->kind, n->loc);
    if (n->op == OP_INLINE)
        run(ap, n->children, (struct out){.block = out.block, .container = in, .in_line = true});
}

static void run_each(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    const struct value *list = tmpl_expr_eval(&ap->ev, n->expr);
    if (!list)
        return;
    if (list->kind != VALUE_LIST) {
        errors_add(ap->ev.errors, n->expr->loc, "<each in=\"%s\"> needs a list, but '%s' is a %s",
                   n->expr->text, n->expr->text, value_kind_name(list->kind));
        return;
    }
    const struct tmpl_binding *saved = ap->ev.locals;
    for (size_t i = 0; i < list->count && (i == 0 || within_budget(ap, n)); i++) {
        struct arena *a = ap->ev.arena;
        struct value *loop = value_map(a, n->loc);
        value_map_set(a, loop, "index", value_string(a, arena_printf(a, "%zu", i + 1), n->loc));
        value_map_set(a, loop, "first", value_string(a, i == 0 ? "yes" : "", n->loc));
        value_map_set(a, loop, "last", value_string(a, i + 1 == list->count ? "yes" : "", n->loc));
        struct tmpl_binding item = {n->text, list->items[i], saved};
        struct tmpl_binding counter = {"loop", loop, &item};
        ap->ev.locals = &counter;
        run(ap, n->children, out);
    }
    ap->ev.locals = saved;
}

static void run_if(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    const struct value *v = tmpl_expr_eval(&ap->ev, n->expr);
    if (v)
        run(ap, value_truthy(v) ? n->children : n->alternative, out);
}

static void run_fact(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    if (!ap->tmpl || !ap->tmpl->fact_define) {
        errors_add(ap->ev.errors, n->loc,
                   "fact '%s' cannot be printed: template '%s' has no <define name=\"fact\">",
                   n->text, ap->tmpl ? ap->tmpl->path : "?");
        return;
    }
    if (!enter(ap, n->loc))
        return;
    const struct tmpl_binding *saved = ap->ev.locals;
    struct tmpl_binding fact = {"fact", n->fact, saved};
    ap->ev.locals = &fact;
    run(ap, ap->tmpl->fact_define->children, out);
    ap->ev.locals = saved;
    ap->depth--;
}

static void run_op(struct applier *ap, const struct tmpl_node *n, struct out out)
{
    if (!within_budget(ap, n))
        return;
    switch (n->op) {
    case OP_SEQ:
        run(ap, n->children, out);
        break;
    case OP_TEXT:
        if (out.in_line)
            doc_text_add(ap->doc, out.block, out.container, n->text, strlen(n->text), n->loc);
        break;
    case OP_EXPR:
        substitute(ap, n, out);
        break;
    case OP_BLOCK:
        run_block(ap, n, out);
        break;
    case OP_INLINE:
    case OP_BREAK:
        run_inline(ap, n, out);
        break;
    case OP_EACH:
        run_each(ap, n, out);
        break;
    case OP_IF:
        run_if(ap, n, out);
        break;
    case OP_BODY:
        if (ap->env->body && enter(ap, n->loc)) {
            run(ap, ap->env->body, out);
            ap->depth--;
        }
        break;
    case OP_FACT:
        run_fact(ap, n, out);
        break;
    case OP_COUNTRIES:
        /* Without a recipient's country (a template fragment), nothing is
         * limited. */
        check_groups(ap, n);
        if (!ap->env->country || tmpl_limit_admits(n, ap->env->country, ap->env->groups))
            run(ap, n->children, out);
        break;
    }
}

static void run(struct applier *ap, const struct tmpl_node *first, struct out out)
{
    for (const struct tmpl_node *n = first; n && !ap->over_budget; n = n->next)
        run_op(ap, n, out);
}

static bool same_error(const struct error *a, const struct error *b)
{
    return a->line == b->line && a->column == b->column &&
           strcmp(a->file ? a->file : "", b->file ? b->file : "") == 0 &&
           strcmp(a->message, b->message) == 0;
}

/* A mistake inside <each> repeats once per item; say it once. */
static void drop_repeats(struct errors *errors, size_t from)
{
    size_t kept = from;
    for (size_t i = from; i < errors->count; i++) {
        bool repeat = false;
        for (size_t j = from; j < kept && !repeat; j++)
            repeat = same_error(&errors->items[j], &errors->items[i]);
        if (repeat) {
            error_free(&errors->items[i]);
        } else {
            errors->items[kept++] = errors->items[i];
        }
    }
    errors->count = kept;
}

int tmpl_apply(const struct tmpl *tmpl, const struct tmpl_env *env, struct doc_document *doc,
               struct errors *errors)
{
    if (env->body && !tmpl->has_body) {
        errors_add_at(errors, tmpl->path, 0, 0,
                      "template has no <body/>: the letter's text would not be printed");
        return -1;
    }
    struct applier ap = {
        .tmpl = tmpl, .env = env, .doc = doc, .budget = path_limits()->template_nodes};
    ap.ev = (struct tmpl_eval){
        .arena = arena_new(),
        .scope = env->scope,
        .language = env->language ? env->language : "en",
        .locale = env->locale ? env->locale : (env->language ? env->language : "en"),
        .errors = errors,
    };
    size_t before = errors->count;
    run(&ap, tmpl->root, (struct out){.block = doc->root});
    arena_free(ap.ev.arena);
    drop_repeats(errors, before);
    return errors->count > before ? -1 : 0;
}

bool tmpl_limit_admits(const struct tmpl_node *limit, const char *country,
                       const struct value *groups)
{
    return codes_match(limit->countries, country) &&
           (!limit->groups || codes_match_any(limit->groups, groups));
}

/* What a limit keeps out: the first element under its chain of limits. */
static void describe(const struct tmpl_node *n, struct tmpl_limit *out)
{
    for (; n && n->op == OP_COUNTRIES; n = n->children) {
        if (out->count < TMPL_LIMIT_CHAIN)
            out->nodes[out->count++] = n;
        if (n->countries)
            out->countries = n->countries;
        if (n->groups)
            out->groups = n->groups;
    }
    out->fact = n && n->op == OP_FACT ? n->text : NULL;
}

/* Consecutive limited siblings are alternatives (a paragraph for KZ, then
 * one for everyone else): reported together. */
static void walk_limits(const struct tmpl_node *n, tmpl_limit_fn fn, void *context)
{
    struct tmpl_limit group[TMPL_LIMIT_GROUP];
    size_t count = 0;
    for (; n; n = n->next) {
        if (n->op == OP_COUNTRIES && count < TMPL_LIMIT_GROUP) {
            group[count] = (struct tmpl_limit){.loc = n->loc};
            describe(n, &group[count++]);
            continue;
        }
        if (count)
            fn(context, group, count);
        count = 0;
        if (n->op == OP_COUNTRIES) {
            group[count] = (struct tmpl_limit){.loc = n->loc};
            describe(n, &group[count++]);
            continue;
        }
        walk_limits(n->children, fn, context);
        walk_limits(n->alternative, fn, context);
    }
    if (count)
        fn(context, group, count);
}

void tmpl_limits(const struct tmpl_node *body, tmpl_limit_fn fn, void *context)
{
    walk_limits(body, fn, context);
}

bool tmpl_limit_admits_all(const struct tmpl_limit *limit, const char *country,
                           const struct value *groups)
{
    for (size_t i = 0; i < limit->count; i++)
        if (!tmpl_limit_admits(limit->nodes[i], country, groups))
            return false;
    return true;
}
