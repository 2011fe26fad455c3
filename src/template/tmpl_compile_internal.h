/* tmpl_compile_internal.h — what tmpl_compile.c (elements and their
 * places) shares with tmpl_text.c (text and {{ expressions }}): the
 * compiler's state, the place compiled nodes go, and adding to it. Not for
 * other modules. */
#ifndef MISSIVE_TMPL_COMPILE_INTERNAL_H
#define MISSIVE_TMPL_COMPILE_INTERNAL_H

#include "tmpl_internal.h"

#include "xmldoc.h"

/* What may appear at a place: the content model of the enclosing element. */
enum mode {
    MODE_TOP,        /* a template's document blocks */
    MODE_BODY,       /* a letter body: paragraphs and facts */
    MODE_LINES,      /* letterhead, address, signature: <line>s */
    MODE_SIGNATURES, /* signatures: <signature>s */
    MODE_INLINE,     /* text, expressions, em, strong, q, br */
};

struct include_frame {
    const char *real_path;
    const struct include_frame *up;
};

struct compiler {
    struct arena *arena;
    struct errors *errors;
    const struct xmldoc *xml;  /* the file being compiled */
    struct tmpl *tmpl;         /* NULL when compiling letter markup */
    const struct value *facts; /* letter markup: fact id -> fact */
    const struct include_frame *includes;
    bool failed;
};

/* Where compiled nodes go and what may appear there. */
struct place {
    enum mode mode;
    const char *context; /* the enclosing element, for messages */
    bool top;            /* directly in <template>: <define> allowed */
    struct tmpl_node **tail;
    /* Letter text: a plain '"' opened this quotation; what follows goes
     * into it until the next '"', then on after it. */
    struct tmpl_node *quote, **after_quote;
};

/* Records an error at loc (printf format) and marks the compile failed. */
void tmpl_compile_error(struct compiler *c, struct source_loc loc, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* A node of op from the compiler's arena, remembering loc. */
struct tmpl_node *tmpl_compile_new_node(struct compiler *c, enum tmpl_op op, struct source_loc loc);

/* Appends n at the place's tail. */
void tmpl_compile_append(struct place *at, struct tmpl_node *n);

/* A text node's content compiled at at: an error outside inline content
 * unless it is only whitespace. */
void tmpl_text_compile(struct compiler *c, const xmlNode *node, struct place *at);

/* An attribute's text (of el, found at loc) compiled at at: every piece
 * points to loc. */
void tmpl_text_compile_attr(struct compiler *c, const xmlNode *el, struct source_loc loc,
                            const char *text, struct place *at);

/* Reports a quotation opened by a plain '"' in at's element and not closed
 * there, and closes it. */
void tmpl_text_close_quote(struct compiler *c, struct place *at);

/* Whether s is only spaces, tabs and line ends. */
bool tmpl_text_blank(const char *s);

#endif
