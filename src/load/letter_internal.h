/* letter_internal.h — owns what the files loading a letter share and
 * nobody else sees: the loader's state and the checks every element of a
 * letter goes through.
 *   letter.c           <letter>, its single elements, facts, body, petition
 *   letter_campaign.c  a campaign's <recipients> and <translation>s
 * Everything loaded lives in the letter's arena. */
#ifndef MISSIVE_LETTER_INTERNAL_H
#define MISSIVE_LETTER_INTERNAL_H

#include "letter.h"
#include "xmldoc.h"

struct letter_loader {
    struct letter *letter;
    struct arena *arena;
    const struct xmldoc *xml;
    struct errors *errors;
    /* First occurrence of each single element of <letter>, for "duplicate". */
    const xmlNode *reference, *series, *date, *recipient, *recipients, *subject, *facts, *body,
        *petition;
    struct value *fact_map; /* id -> fact, for <fact ref> in the body */
    size_t signatory_capacity;
    bool signatory_seen; /* even one whose ref was wrong */
};

/* Reports every attribute of element not in allowed (NULL-terminated);
 * expected names them for the message, NULL when the element takes none. */
void letter_check_attributes(struct letter_loader *l, const xmlNode *element,
                             const char *const *allowed, const char *expected);
/* A required attribute's value (non-empty), or NULL after an error. */
char *letter_required_attribute(struct letter_loader *l, const xmlNode *element, const char *name);
/* true when child of a container is not an element to look at: comments,
 * whitespace, and mistakes (text, processing instructions...) reported. */
bool letter_stray_node(struct letter_loader *l, const xmlNode *parent, const xmlNode *child);
/* true the first time an element kind is seen (*seen remembers it); a
 * later one is reported as a duplicate. */
bool letter_first_of(struct letter_loader *l, const xmlNode **seen, const xmlNode *element);
/* The text of an element that holds text only, whitespace collapsed; NULL
 * after an error. */
char *letter_text_only(struct letter_loader *l, const xmlNode *element);
/* Where an element's text starts, for errors about the text itself. */
struct source_loc letter_text_loc(struct letter_loader *l, const xmlNode *element);
/* true when element holds an element or non-blank text. */
bool letter_has_content(const xmlNode *element);
/* <recipient ref="id"/>, <signatory ref="id"/>: empty, one attribute. */
bool letter_load_ref(struct letter_loader *l, const xmlNode *element, struct letter_ref *ref);

/* <recipients> of a campaign (letter_campaign.c). */
void letter_load_recipients(struct letter_loader *l, const xmlNode *element);
/* After the rest of the letter: its own text as texts[0], each
 * <translation> of root after it, and the fallback language checked. */
void letter_load_texts(struct letter_loader *l, const xmlNode *root);

#endif
