/* bench_common.c — what both benchmarks need: the process's CPU clock,
 * and a letter loaded and merged as `missive render` would (no register:
 * the letter's own reference). */
#include "bench.h"

#include "letter.h"
#include "merge.h"
#include "tmpl.h"

#include <stdio.h>
#include <time.h>

double bench_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct doc_document *bench_load_doc(struct workspace *ws, const char *path, struct errors *errors)
{
    struct letter *letter = letter_load(path, errors);
    if (!letter)
        return NULL;
    char relative[512];
    snprintf(relative, sizeof relative, "templates/%s/%s.xml", letter->template_name.id,
             letter->language);
    struct tmpl *t = tmpl_load(workspace_path(ws, relative), errors);
    struct merge_input input = {.reference = letter->reference};
    struct doc_document *doc = t ? merge_letter(ws, letter, t, &input, errors) : NULL;
    tmpl_free(t);
    letter_free(letter);
    return doc;
}
