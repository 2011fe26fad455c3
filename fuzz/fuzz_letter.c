/* fuzz_letter.c — a letter file through the whole pipeline as `missive
 * render` takes it (load, signers of a petition, merge, PDF and text) in
 * the example workspace, nothing written. */
#include "fuzz.h"
#include "buffer.h"
#include "doc.h"
#include "letter.h"
#include "merge.h"
#include "pipeline.h"
#include "signers.h"

#include <libxml/parser.h>

static struct pipeline *pipeline;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pipeline) {
        xmlInitParser();
        struct errors errors = {0};
        pipeline = pipeline_open(".", &errors);
        if (!pipeline || !pipeline_fonts(pipeline, &errors)) {
            errors_print(&errors, stderr);
            abort();
        }
        errors_clear(&errors);
        /* The letters' signers and the seeds' petitions/ name files next
         * to the letter: the examples' folder, seen from the fuzz folder. */
        const char *folder = fuzz_folder();
        char target[4096], link[128];
        snprintf(link, sizeof link, "%s/petitions", folder);
        if (realpath("letters/petitions", target))
            (void)!symlink(target, link);
        path_policy_set(".", &folder, 1, NULL);
    }
    const char *path = fuzz_write("letter.xml", data, size);
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    const struct tmpl *tmpl = letter ? pipeline_template(pipeline, letter, &errors) : NULL;
    const struct workspace *ws = pipeline_workspace(pipeline);
    struct signers *signers =
        tmpl && letter->petition
            ? signers_load(letter->petition, workspace_locale(ws, letter->language), true, &errors)
            : NULL;
    struct merge_input input = {.reference = letter ? letter->reference : NULL, .signers = signers};
    struct doc_document *doc = tmpl && (signers || !letter->petition)
                                   ? merge_letter(ws, letter, tmpl, &input, &errors)
                                   : NULL;
    struct buffer pdf = {0}, text = {0};
    if (doc)
        pipeline_render_doc(pipeline, doc, APP_PDF | APP_TEXT, &pdf, &text, &errors);
    buffer_free(&pdf);
    buffer_free(&text);
    doc_free(doc);
    signers_free(signers);
    letter_free(letter);
    errors_clear(&errors);
    return 0;
}
