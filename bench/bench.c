/* bench.c — owns the benchmark driver: loads a workspace and one letter,
 * merges it once, then renders it COUNT times in one process with either
 * missive's PDF backend (pdf_render) or libharu's own font path
 * (libharu_baseline.c), and prints bytes and CPU time per letter.
 * render_letters is the one function callgrind is told to count
 * (--toggle-collect=render_letters), so both sides are measured over
 * exactly the same span: COUNT renders of a merged document to PDF bytes.
 *
 * Rendering one letter again and again would let missive's shaping cache
 * (kept for the whole process) serve every later letter's words from the
 * first; "ours" therefore empties it before every letter, as if no two
 * letters shared a word. "ours-warm" keeps it, as a batch of similar
 * letters would.
 *
 * usage: bench_render ours|ours-warm|libharu WORKSPACE LETTER.xml COUNT OUT.pdf */
#include "bench.h"

#include "font.h"
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct side {
    bool ours, warm;
    const struct settings *settings;
    struct font_set *fonts;
    struct baseline *baseline;
};

/* Not inlined: callgrind counts from its entry to its return. */
__attribute__((noinline)) static int render_letters(struct side *side,
                                                    const struct doc_document *doc, int count,
                                                    struct buffer *out, struct errors *errors)
{
    for (int i = 0; i < count; i++) {
        if (side->ours && !side->warm)
            font_set_clear_cache(side->fonts);
        int status = side->ours ? pdf_render(doc, side->settings, side->fonts, out, errors)
                                : baseline_render(side->baseline, doc, out);
        if (status != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc == 6 ? argv[1] : "";
    struct side side = {.ours = strncmp(mode, "ours", 4) == 0,
                        .warm = strcmp(mode, "ours-warm") == 0};
    if (strcmp(mode, "ours") != 0 && !side.warm && strcmp(mode, "libharu") != 0) {
        fprintf(stderr, "usage: bench_render ours|ours-warm|libharu WORKSPACE LETTER.xml COUNT "
                        "OUT.pdf\n");
        return 2;
    }
    int count = atoi(argv[4]);
    struct errors errors = {0};
    struct workspace *ws = workspace_load(argv[2], &errors);
    struct doc_document *doc = ws ? bench_load_doc(ws, argv[3], &errors) : NULL;
    struct buffer out = {0};
    int status = 1;
    if (doc) {
        side.settings = &ws->settings;
        if (side.ours)
            side.fonts = font_set_open(&ws->settings.fonts, &errors);
        else
            side.baseline = baseline_new(&ws->settings);
        double start = bench_cpu_seconds();
        if ((side.fonts || side.baseline) && count > 0 &&
            render_letters(&side, doc, count, &out, &errors) == 0) {
            double seconds = bench_cpu_seconds() - start;
            FILE *f = fopen(argv[5], "wb");
            if (f && fwrite(out.data, 1, out.len, f) == out.len && fclose(f) == 0) {
                printf("%s: %d letters, %zu bytes per letter, %.3f ms CPU per letter\n", argv[1],
                       count, out.len, seconds * 1000 / count);
                status = 0;
            }
        }
    }
    errors_print(&errors, stderr);
    if (status && !errors.count)
        fprintf(stderr, "bench_render: rendering failed\n");
    buffer_free(&out);
    font_set_free(side.fonts);
    baseline_free(side.baseline);
    doc_free(doc);
    workspace_free(ws);
    errors_clear(&errors);
    return status;
}
