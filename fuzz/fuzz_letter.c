/* fuzz_letter.c — a letter file through the whole pipeline (load, merge,
 * PDF and text) in the example workspace, nothing written. */
#include "fuzz.h"
#include "pipeline.h"

#include <libxml/parser.h>

static struct pipeline *pipeline;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pipeline) {
        xmlInitParser();
        struct errors errors = {0};
        pipeline = pipeline_open(".", &errors);
        if (!pipeline) {
            errors_print(&errors, stderr);
            abort();
        }
        errors_clear(&errors);
    }
    const char *path = fuzz_write("letter.xml", data, size);
    struct errors errors = {0};
    struct pipeline_result result;
    pipeline_render(pipeline, path, PIPELINE_PDF | PIPELINE_TEXT, NULL, &result, &errors);
    pipeline_result_clear(&result);
    errors_clear(&errors);
    return 0;
}
