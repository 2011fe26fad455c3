/* bench.h — owns what the benchmarks share: the two renderers' common
 * shape (each turns one merged document into a complete PDF file, so
 * bench.c can time and count them side by side), the CPU clock and the
 * loading of a merged letter. */
#ifndef MISSIVE_BENCH_H
#define MISSIVE_BENCH_H

#include "buffer.h"
#include "doc.h"
#include "workspace.h"

struct baseline;

/* The CPU seconds this process has used (bench_common.c). */
double bench_cpu_seconds(void);
/* The letter at path, loaded and merged with its own reference, or NULL
 * with errors. */
struct doc_document *bench_load_doc(struct workspace *ws, const char *path, struct errors *errors);

/* libharu's own UTF-8 font path (HPDF_LoadTTFontFromFile, the UTF-8
 * encoder): one document kept across letters, its fonts loaded once. */
struct baseline *baseline_new(const struct settings *settings);
void baseline_free(struct baseline *b);
/* Renders doc into out with libharu alone; 0 or -1. */
int baseline_render(struct baseline *b, const struct doc_document *doc, struct buffer *out);

#endif
