/* tmpl.h — owns the template language: compiling template XML (and letter
 * markup) into a small tree of operations that remember their source
 * location, and applying it to data to build a document tree.
 *   text with {{ path.to.value | filter:arg }}   <each in="list" as="x">
 *   <if test="expr">...<else/>...</if>   <include src="file.xml"/>
 *   <define name="fact">...</define>   <body/>
 * plus the document elements (letterhead, reference, date, address, line,
 * subject, salutation, p, closing, signatures, signature, em, strong, q, br).
 * Substituted strings are always text: "{{" inside data is printed as is.
 * Compile once, apply many times: a compiled template is read-only. */
#ifndef MISSIVE_TMPL_H
#define MISSIVE_TMPL_H

#include "arena.h"
#include "doc.h"
#include "error.h"
#include "value.h"
#include "xmldoc.h"

#include <libxml/tree.h>

struct tmpl;      /* a compiled template file (with its includes); owns its arena */
struct tmpl_node; /* a compiled sequence of operations */

/* Compiles the template file at path and, recursively, the files it
 * includes (src relative to the including file). Returns NULL and appends
 * located errors on failure; every error found is reported, not just the
 * first. */
struct tmpl *tmpl_load(const char *path, struct errors *errors);
void tmpl_free(struct tmpl *tmpl);
/* The file the template was loaded from. */
const char *tmpl_path(const struct tmpl *tmpl);

/* Compiles the children of parent (an element of a letter) as markup: text
 * with {{ }}, inline elements and, when blocks is true, block elements such
 * as <p>. <fact ref="id"/> is resolved against facts (a map id -> fact map;
 * may be NULL) and applies the template's <define name="fact"> with `fact`
 * bound. <p countries="KZ RU"> and <fact ref countries>, and facts whose
 * map has `countries`, print only for recipients in those countries.
 * Plain double quotes pair up into quotations ("a" is <q>a</q>) within an
 * element. Memory comes from arena. NULL plus errors on failure. */
const struct tmpl_node *tmpl_compile_markup(struct arena *arena, const struct xmldoc *xml,
                                            const xmlNode *parent, bool blocks,
                                            const struct value *facts, struct errors *errors);

/* What a template is applied to. */
struct tmpl_env {
    const struct value *scope;        /* map of top-level names */
    const char *language;             /* "en": quotation marks and messages */
    const char *locale;               /* ICU locale for dates and numbers, "en_GB" */
    const struct tmpl_node *body;     /* the letter's body, placed at <body/> */
    const char *root;                 /* workspace folder: image paths written in a template are
                                         relative to it (paths from data arrive resolved); may be NULL */
    const char *country;              /* the recipient's country: letter text limited to other
                                         countries (countries="KZ RU") is left out; may be NULL */
    const struct value *groups;       /* the recipient's groups (a list), for groups="..." */
    const struct value *known_groups; /* every group (a map by name), to catch misspelt
                                         ones; may be NULL */
};

/* Applies tmpl to env, appending blocks to doc's root. Returns 0, or -1 with
 * located errors (unknown names, filters given the wrong kind of value...). */
int tmpl_apply(const struct tmpl *tmpl, const struct tmpl_env *env, struct doc_document *doc,
               struct errors *errors);

/* Whether a limit node (countries="..." groups="...") admits a recipient
 * of country in groups (a list, may be NULL). */
struct tmpl_node;
bool tmpl_limit_admits(const struct tmpl_node *limit, const char *country,
                       const struct value *groups);

/* Text of a letter's body that only some recipients get: a paragraph or a
 * fact limited by countries="..." or groups="..." (a fact's own limits and
 * its mention's chain up). */
enum { TMPL_LIMIT_CHAIN = 4, TMPL_LIMIT_GROUP = 16 };
struct tmpl_limit {
    struct source_loc loc;
    const char *fact;                                /* the fact's id, or NULL: a paragraph */
    const struct value *countries, *groups;          /* as written (for messages) */
    const struct tmpl_node *nodes[TMPL_LIMIT_CHAIN]; /* the chain */
    size_t count;
};
typedef void (*tmpl_limit_fn)(void *context, const struct tmpl_limit *alternatives, size_t count);
/* Calls fn for every limited paragraph or fact of a compiled body, with
 * the limited ones right after it: consecutive limited paragraphs and facts
 * are alternatives (one for KZ, one for the others). */
void tmpl_limits(const struct tmpl_node *body, tmpl_limit_fn fn, void *context);
/* Whether every limit of the chain admits a recipient of country in groups. */
bool tmpl_limit_admits_all(const struct tmpl_limit *limit, const char *country,
                           const struct value *groups);

#endif
