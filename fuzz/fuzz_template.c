/* fuzz_template.c — a template compiled and applied to the seed letter in
 * the example workspace, then rendered as text. */
#include "fuzz.h"
#include "buffer.h"
#include "doc.h"
#include "letter.h"
#include "merge.h"
#include "text.h"
#include "tmpl.h"
#include "workspace.h"

#include <libxml/parser.h>

static struct workspace *ws;
static struct letter *letter;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ws) {
        xmlInitParser();
        struct errors errors = {0};
        ws = workspace_load(".", &errors);
        letter = ws ? letter_load("letters/kazakhstan-2011.xml", &errors) : NULL;
        if (!letter) {
            errors_print(&errors, stderr);
            abort();
        }
        const char *folder = fuzz_folder();
        path_policy_set(".", &folder, 1, NULL);
    }
    const char *path = fuzz_write("template.xml", data, size);
    struct errors errors = {0};
    struct tmpl *t = tmpl_load(path, &errors);
    struct doc_document *doc =
        t ? merge_letter(ws, letter, t, &(struct merge_input){0}, &errors) : NULL;
    struct buffer out = {0};
    if (doc)
        text_render(doc, 72, &out, &errors);
    buffer_free(&out);
    doc_free(doc);
    tmpl_free(t);
    errors_clear(&errors);
    return 0;
}
