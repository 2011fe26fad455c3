/* xmldoc.h — owns secure XML loading (letters and templates) and mapping
 * nodes back to line:column in the source text. Parsing refuses network
 * access, DTDs (internal or external) and therefore all entity tricks.
 * The xmldoc owns the libxml2 tree and a copy of the raw file text; callers
 * copy what they keep into their own arenas before xmldoc_free. */
#ifndef MISSIVE_XMLDOC_H
#define MISSIVE_XMLDOC_H

#include "arena.h"
#include "error.h"
#include "path.h"

#include <libxml/tree.h>

struct xmldoc {
    const char *path; /* borrowed from the arena given to xmldoc_load */
    xmlDocPtr doc;
    char *text; /* raw file contents, NUL-terminated */
    size_t len;
    size_t *line_starts; /* byte offset of each line's start; line n at [n-1] */
    size_t line_count;
};

/* Parses the file at path, read through path_read as kind (contained,
 * size-limited); path is copied into arena so locations stay valid for the
 * arena's life. On failure appends located errors, returns NULL. */
struct xmldoc *xmldoc_load(struct arena *arena, const char *path, enum path_kind kind,
                           struct errors *errors);
void xmldoc_free(struct xmldoc *xml);

/* Location of an element's start tag ('<' of it). */
struct source_loc xmldoc_node_loc(const struct xmldoc *xml, const xmlNode *node);
/* Location of attribute name on element (its first character), or of the
 * element when not found in the source. */
struct source_loc xmldoc_attr_loc(const struct xmldoc *xml, const xmlNode *element,
                                  const char *name);
/* Location of needle in the source at or after byte offset *cursor (0 to
 * start where node starts: an element's '<', a text node's first byte);
 * advances *cursor past the match so repeated calls find successive
 * occurrences. Falls back to the node's location (cursor unchanged). */
struct source_loc xmldoc_find(const struct xmldoc *xml, const xmlNode *node, const char *needle,
                              size_t *cursor);
/* Location of a byte offset into the raw text. */
struct source_loc xmldoc_offset_loc(const struct xmldoc *xml, size_t offset);

/* An attribute's value copied into arena, or NULL when absent. */
char *xmldoc_attr(struct arena *arena, const xmlNode *element, const char *name);
/* The text content of element copied into arena ("" if none). */
char *xmldoc_text(struct arena *arena, const xmlNode *element);

#endif
