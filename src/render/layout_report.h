/* layout_report.h — owns the layout report (`missive render
 * --layout-report FILE`): per document, per block set by the line breaker
 * and per line, the adjustment ratio, badness, demerits, fitness class,
 * hyphen and page, plus what the minimum-raggedness breaker's lines would
 * have cost, so tests and docs can compare the two. JSON through jansson;
 * the report owns everything it holds. */
#ifndef MISSIVE_LAYOUT_REPORT_H
#define MISSIVE_LAYOUT_REPORT_H

#include "buffer.h"
#include "doc.h"
#include "layout.h"

#include <stddef.h>

struct layout_report;

struct layout_report *layout_report_new(void);
void layout_report_free(struct layout_report *report);

/* Starts the next document's entry (its output name and language). */
void layout_report_document(struct layout_report *report, const char *name, const char *language,
                            double measure);

/* What a block was broken from, so the report can break it again the old
 * way (LAYOUT_RAGGED) and rate those lines under the same rules. */
struct layout_report_block {
    const struct doc_block *block;
    const struct doc_run *runs;
    size_t run_count;
    double width;
    layout_measure_fn measure;
    void *context;
    const char *language;
    const struct layout_params *params;
    size_t first_box; /* the page box of the first line; one box per line */
};

/* Records block's lines (as set) in the current document. */
void layout_report_block(struct layout_report *report, const struct layout_report_block *block,
                         const struct layout_lines *lines);

/* Gives every recorded line of the current document its page (1-based),
 * from the page (0-based) of each box; also the document's page count. */
void layout_report_pages(struct layout_report *report, const int *page_of_box, size_t boxes,
                         int pages);

/* Moves every document of from to the end of into (from stays empty). */
void layout_report_take(struct layout_report *into, struct layout_report *from);

/* The whole report as JSON (one object, "documents" an array) into out. */
void layout_report_json(const struct layout_report *report, struct buffer *out);

#endif
