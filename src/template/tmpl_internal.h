/* tmpl_internal.h — owns what the template modules share and nobody else
 * sees: the compiled operation tree, parsed expressions, and evaluation.
 *   tmpl_compile.c  XML -> operation tree (templates, includes, markup)
 *   tmpl_text.c     text split into literal pieces and {{ expressions }}
 *   tmpl_expr.c     expression syntax, name look-up, evaluation
 *   tmpl_filter.c   filters (ICU for dates, lists and case)
 *   tmpl.c          loading, and applying the tree to data -> doc tree
 * Everything compiled lives in the arena given to the compiler; nothing
 * points into libxml2 memory once compiling is done. */
#ifndef MISSIVE_TMPL_INTERNAL_H
#define MISSIVE_TMPL_INTERNAL_H

#include "tmpl.h"

#include <stdbool.h>
#include <stddef.h>

enum tmpl_filter_id {
    FILTER_DATE,
    FILTER_DATES,
    FILTER_UPPER,
    FILTER_LOWER,
    FILTER_JOIN,
    FILTER_COUNT,
    FILTER_DEFAULT,
    FILTER_MAP,
    FILTER_FIRST,
    FILTER_LAST,
    FILTER_NUMBER,
    FILTER_TAKE,
    FILTER_SKIP,
};

struct tmpl_filter {
    enum tmpl_filter_id id;
    const char *name;
    const char *arg;   /* NULL when none was given */
    const char *input; /* the expression before this filter, for messages */
    struct tmpl_filter *next;
};

enum tmpl_expr_kind {
    EXPR_PATH,      /* recipient.name */
    EXPR_LITERAL,   /* 'text' */
    EXPR_NOT,       /* not left */
    EXPR_EQUAL,     /* left == right */
    EXPR_NOT_EQUAL, /* left != right */
};

struct tmpl_expr {
    enum tmpl_expr_kind kind;
    struct source_loc loc; /* the '{{' or the attribute holding it */
    const char *text;      /* as written, for messages */
    const char **path;     /* EXPR_PATH: the dotted names */
    size_t path_len;
    const struct value *literal; /* EXPR_LITERAL */
    struct tmpl_expr *left, *right;
    struct tmpl_filter *filters; /* applied in order to a path or literal */
};

enum tmpl_op {
    OP_SEQ,       /* children in order; the root of every compiled sequence */
    OP_TEXT,      /* literal template text (inline) */
    OP_EXPR,      /* {{ expr }} substituted as text, or markup run in place */
    OP_BLOCK,     /* a document block; children inline or blocks */
    OP_INLINE,    /* em, strong, q: children inline */
    OP_BREAK,     /* br */
    OP_EACH,      /* repeat children for each item of expr, bound to name */
    OP_IF,        /* children when expr is true, otherwise alternative */
    OP_BODY,      /* the letter's body */
    OP_FACT,      /* the template's <define name="fact"> with fact bound */
    OP_COUNTRIES, /* children only in letters to recipients the countries and groups admit */
};

struct tmpl_node {
    enum tmpl_op op;
    struct source_loc loc;
    struct tmpl_node *next;
    struct tmpl_node *children;
    struct tmpl_node *alternative; /* OP_IF: the part after <else/> */
    const char *text;              /* OP_TEXT text; OP_EACH variable; element name */
    struct tmpl_expr *expr;        /* OP_EXPR, OP_EACH, OP_IF */
    int kind;                      /* OP_BLOCK: doc_block_kind; OP_INLINE: doc_inline_kind */
    bool inline_content;           /* OP_BLOCK: children are inline */
    struct tmpl_node *image;       /* OP_BLOCK: image/logo as a sequence of text and expr */
    struct source_loc image_loc;
    const struct value *fact;      /* OP_FACT */
    const struct value *countries; /* OP_COUNTRIES: country codes ("!KZ" excludes), or NULL */
    const struct value *groups;    /* OP_COUNTRIES: group names ("!g20" excludes), or NULL */
};

struct tmpl {
    struct arena *arena;
    const char *path;
    struct tmpl_node *root;        /* OP_SEQ */
    struct tmpl_node *fact_define; /* OP_SEQ, or NULL when not defined */
    bool has_body;                 /* a <body/> places the letter's text */
};

/* Names bound by <each> (the variable and `loop`) and by fact calls. */
struct tmpl_binding {
    const char *name;
    const struct value *value;
    const struct tmpl_binding *next;
};

/* What evaluation needs; values it makes live in arena. */
struct tmpl_eval {
    struct arena *arena;
    const struct value *scope;
    const struct tmpl_binding *locals;
    const char *language;
    const char *locale;
    struct errors *errors;
};

/* The strings parts joined as a list in ev's locale ("a, b and c"), by
 * ICU's list formatter; NULL when it fails. tmpl_filter.c. */
char *tmpl_list_join(struct tmpl_eval *ev, char **parts, size_t count);

/* Parses the expression text[0..len) (without braces) found at loc.
 * NULL plus an error when it is malformed. */
struct tmpl_expr *tmpl_expr_parse(struct arena *arena, const char *text, size_t len,
                                  struct source_loc loc, struct errors *errors);
/* Evaluates e; NULL after appending an error (unknown name...). */
const struct value *tmpl_expr_eval(struct tmpl_eval *ev, const struct tmpl_expr *e);

/* The text a date filter printed for key (its name, locale, format and
 * dates, len bytes) earlier in the process, copied into arena; NULL when
 * none is kept or caches are off (tmpl_memo.c). */
const char *tmpl_memo_find(struct arena *arena, const char *key, size_t len);
/* Keeps text, what a date filter printed for key. */
void tmpl_memo_keep(const char *key, size_t len, const char *text);

/* Looks a filter name up; false when unknown. */
bool tmpl_filter_find(const char *name, enum tmpl_filter_id *id);
/* Checks a filter's argument at compile time; NULL when fine, or why not
 * (in arena). */
const char *tmpl_filter_check_arg(struct arena *arena, enum tmpl_filter_id id, const char *arg);
/* The names of all filters, for suggestions. */
const char *const *tmpl_filter_names(size_t *count);
/* Applies f to in (never NULL) for the expression at loc. Returns NULL
 * either after appending an error, or with *missing set when the result
 * does not exist (the first item of an empty list): a later `default`
 * may still supply one. */
const struct value *tmpl_filter_apply(struct tmpl_eval *ev, const struct tmpl_filter *f,
                                      const struct value *in, struct source_loc loc,
                                      const char **missing);

/* Compiles the template file at path into tmpl (already holding its arena).
 * Returns false after appending errors. */
bool tmpl_compile_file(struct tmpl *tmpl, const char *path, struct errors *errors);

#endif
