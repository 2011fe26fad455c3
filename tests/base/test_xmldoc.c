/* test_xmldoc.c — secure XML loading: documents with a DTD (internal or
 * external) are refused at the DOCTYPE, malformed XML is located, other
 * encodings than UTF-8 are refused, and nodes and attributes map back to
 * exact line:column (code points) in the raw text. */
#include "check.h"
#include "support.h"
#include "xmldoc.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *load_errors(const char *source)
{
    write_file("x.xml", source);
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct xmldoc *xml = xmldoc_load(arena, "x.xml", PATH_TEMPLATE, &errors);
    char *text = xml ? strdup("loaded\n") : errors_text(&errors);
    xmldoc_free(xml);
    errors_clear(&errors);
    arena_free(arena);
    return text;
}

static void test_xml_security(void)
{
    char *out = load_errors("<?xml version=\"1.0\"?>\n<!DOCTYPE t [\n  <!ENTITY a \"aaaa\">\n"
                            "  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n<t>&b;</t>\n");
    CHECK_STR(out, "x.xml:2:1: error: document type declarations (<!DOCTYPE>) are not allowed: "
                   "they can define entities that read files or expand without bound\n");
    free(out);
    out = load_errors("<?xml version=\"1.0\"?>\n<!DOCTYPE t SYSTEM \"file:///etc/passwd\">\n"
                      "<t/>\n");
    CHECK_STR(out, "x.xml:2:1: error: document type declarations (<!DOCTYPE>) are not allowed: "
                   "they can define entities that read files or expand without bound\n");
    free(out);
    out = load_errors("<t>&xxe;</t>");
    CHECK_STR(out, "x.xml:1:9: error: entity 'xxe' not defined\n");
    free(out);
    out = load_errors("<t>\n  <a>\n</t>\n");
    CHECK_STR(out, "x.xml:3:5: error: opening and ending tag mismatch: a line 2 and t\n"
                   "x.xml:4:1: error: premature end of data in tag t line 1\n");
    free(out);
    out = load_errors("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<t/>");
    CHECK_STR(out, "x.xml:1:1: error: encoding 'ISO-8859-1' is not supported: save the file "
                   "as UTF-8\n");
    free(out);
    out = load_errors("<t>\xff</t>");
    CHECK_STR(out,
              "x.xml:1:4: error: input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0x3C "
              "0x2F 0x74\n");
    free(out);
    out = load_errors("<t xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
                      "<xi:include href=\"/etc/passwd\" parse=\"text\"/></t>");
    CHECK_STR(out, "loaded\n"); /* XInclude is never processed: just an element */
    free(out);
    write_file("x.xml", "\xFF\xFE<\0t\0/\0>\0");
    struct arena *a16 = arena_new();
    struct errors e16 = {0};
    CHECK(xmldoc_load(a16, "x.xml", PATH_TEMPLATE, &e16) == NULL);
    out = errors_text(&e16);
    CHECK_STR(out, "x.xml:1:1: error: the file is UTF-16 or UTF-32: save it as UTF-8\n");
    free(out);
    errors_clear(&e16);
    arena_free(a16);
    out = load_errors("");
    CHECK_STR(out, "x.xml:1:1: error: document is empty\n");
    free(out);
    out = load_errors("<t>one</t>\n<t>two</t>\n");
    CHECK_STR(out, "x.xml:2:1: error: extra content at the end of the document\n");
    free(out);
    struct arena *arena = arena_new();
    struct errors errors = {0};
    CHECK(xmldoc_load(arena, "missing.xml", PATH_TEMPLATE, &errors) == NULL);
    out = errors_text(&errors);
    CHECK_STR(out, "missing.xml: error: cannot read file: No such file or directory\n");
    free(out);
    errors_clear(&errors);
    arena_free(arena);
}

static void test_xml_locations(void)
{
    /* A BOM, multi-line start tags, '>' inside attribute values and
     * non-ASCII names: columns count code points from the line start. */
    write_file("x.xml", "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<a x=\"1\"\n   y=\">\">  "
                        "<b>hi</b><b/> t<!-- c --> u\n  <é k='v' é=\"1\"/><c>x</c>\n</a>\n");
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct xmldoc *xml = xmldoc_load(arena, "x.xml", PATH_TEMPLATE, &errors);
    CHECK(xml != NULL);
    if (!xml)
        return;
    char buf[512] = "";
    const xmlNode *root = xmlDocGetRootElement(xml->doc);
    for (const xmlNode *n = root; n;) {
        struct source_loc l = xmldoc_node_loc(xml, n);
        if (n->type != XML_COMMENT_NODE)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s@%d:%d ",
                     n->type == XML_TEXT_NODE ? "text" : (const char *)n->name, l.line, l.column);
        if (n->children) {
            n = n->children;
        } else {
            while (n && !n->next)
                n = n->parent;
            if (n)
                n = n->next;
        }
    }
    CHECK_STR(buf, "a@2:1 text@3:10 b@3:12 text@3:15 b@3:21 text@3:26 text@3:38 é@4:3 c@4:19 "
                   "text@4:22 text@4:27 ");
    const xmlNode *e = xmlFirstElementChild((xmlNode *)root);
    for (int i = 0; i < 2; i++)
        e = xmlNextElementSibling((xmlNode *)e);
    struct source_loc l = xmldoc_attr_loc(xml, root, "y");
    CHECK(l.line == 3 && l.column == 4);
    l = xmldoc_attr_loc(xml, e, "é");
    CHECK(l.line == 4 && l.column == 12);
    l = xmldoc_attr_loc(xml, e, "k");
    CHECK(l.line == 4 && l.column == 6);
    l = xmldoc_attr_loc(xml, e, "none");
    CHECK(l.line == 4 && l.column == 3);
    size_t cursor = 0;
    l = xmldoc_find(xml, root, "b", &cursor);
    CHECK(l.line == 3 && l.column == 13);
    l = xmldoc_find(xml, root, "b", &cursor);
    CHECK(l.line == 3 && l.column == 19);
    CHECK_STR(xmldoc_attr(arena, root, "y"), ">");
    CHECK(xmldoc_attr(arena, root, "z") == NULL);
    CHECK_STR(xmldoc_text(arena, e), "");
    xmldoc_free(xml);
    arena_free(arena);
}

static void run_all(void)
{
    char dir[] = "/tmp/missive-xmldoc-XXXXXX";
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd) || !mkdtemp(dir) || chdir(dir) != 0) {
        perror("temporary folder");
        exit(2);
    }
    test_xml_security();
    test_xml_locations();
    unlink("x.xml");
    if (chdir(cwd) != 0 || rmdir(dir) != 0)
        perror(dir);
    xmlCleanupParser();
}

CHECK_MAIN("xmldoc", run_all())
