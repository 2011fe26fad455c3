/* layout_report.c — the layout report as jansson values: documents hold
 * blocks, blocks hold lines; lines learn their page after pagination. */
#include "layout_report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A line waiting for its page: its JSON object and its page box. */
struct pending {
    json_t *line; /* borrowed from the document */
    size_t box;
};

struct layout_report {
    json_t *documents;
    json_t *current; /* borrowed: the last document's object */
    struct pending *pending;
    size_t pending_count, pending_capacity;
};

struct layout_report *layout_report_new(void)
{
    struct layout_report *r = xcalloc(1, sizeof *r);
    r->documents = json_array();
    return r;
}

void layout_report_free(struct layout_report *report)
{
    if (!report)
        return;
    json_decref(report->documents);
    free(report->pending);
    free(report);
}

void layout_report_document(struct layout_report *report, const char *name, const char *language,
                            double measure)
{
    report->current = json_pack("{s:s, s:s, s:f, s:[]}", "name", name ? name : "", "language",
                                language ? language : "", "measure", measure, "blocks");
    json_array_append_new(report->documents, report->current);
    report->pending_count = 0;
}

/* A number JSON can hold: infinite ratios (a line with no space that
 * must stretch) become null. */
static json_t *number(double x)
{
    return isfinite(x) ? json_real(round(x * 1e4) / 1e4) : json_null();
}

/* Each space of a justified line as a multiple of its natural width. */
static double space_factor(const struct layout_params *params, const struct layout_line *line,
                           double width)
{
    if (line->space <= 0 || (line->last && line->width <= width) ||
        params->mode != LAYOUT_JUSTIFIED)
        return 1;
    return 1 + (width - line->width) / line->space;
}

static json_t *line_json(const struct layout_params *params, const struct layout_line *line,
                         double width)
{
    struct buffer text = {0};
    for (size_t k = 0; k < line->count; k++) {
        buffer_append(&text, line->pieces[k].text, line->pieces[k].len);
        if (line->pieces[k].space_after > 0 && k + 1 < line->count)
            buffer_putc(&text, ' ');
    }
    if (line->hyphen_width > 0)
        buffer_putc(&text, '-');
    json_t *j = json_pack("{s:s#, s:o, s:o, s:o, s:i, s:b, s:b, s:b, s:o, s:o}", "text",
                          text.data ? text.data : "", text.len, "ratio", number(line->ratio),
                          "badness", number(line->badness), "demerits", number(line->demerits),
                          "fitness", line->fitness, "hyphen", line->hyphen, "hyphenated",
                          line->hyphen_width > 0, "last", line->last, "natural",
                          number(line->width), "space", number(space_factor(params, line, width)));
    buffer_free(&text);
    return j;
}

void layout_report_block(struct layout_report *report, const struct layout_report_block *b,
                         const struct layout_lines *lines)
{
    if (!report->current)
        return;
    const struct layout_params *params = b->params;
    json_t *block = json_pack(
        "{s:s, s:s, s:i, s:i, s:s, s:f, s:o, s:b, s:[]}", "kind",
        doc_block_kind_name(b->block->kind), "file", b->block->loc.file ? b->block->loc.file : "",
        "line", b->block->loc.line, "column", b->block->loc.column, "mode",
        params->mode == LAYOUT_JUSTIFIED ? "justified" : "ragged", "width", b->width, "demerits",
        number(lines->demerits), "emergency", lines->emergency, "lines");
    if (params->mode == LAYOUT_JUSTIFIED) {
        /* The old breaker's lines for the same text, rated by the same rules. */
        struct arena *scratch = arena_new();
        struct layout_params ragged = *params;
        ragged.mode = LAYOUT_RAGGED;
        ragged.hyphenate = false;
        struct layout_lines old;
        layout_paragraph_with(scratch, b->runs, b->run_count, b->width, b->measure, b->context,
                              b->language, &ragged, &old);
        json_object_set_new(block, "old_demerits", number(layout_demerits(&old, b->width, params)));
        json_object_set_new(block, "old_lines", json_integer((json_int_t)old.count));
        if (lines->emergency)
            json_object_set_new(block, "best_ratio", number(lines->best_ratio));
        arena_free(scratch);
    }
    json_t *array = json_object_get(block, "lines");
    for (size_t i = 0; i < lines->count; i++) {
        json_t *line = line_json(params, &lines->lines[i], b->width);
        json_array_append_new(array, line);
        if (report->pending_count == report->pending_capacity) {
            report->pending_capacity = report->pending_capacity ? report->pending_capacity * 2 : 64;
            report->pending =
                xrealloc(report->pending, report->pending_capacity * sizeof *report->pending);
        }
        report->pending[report->pending_count++] = (struct pending){line, b->first_box + i};
    }
    json_array_append_new(json_object_get(report->current, "blocks"), block);
}

void layout_report_pages(struct layout_report *report, const int *page_of_box, size_t boxes,
                         int pages)
{
    if (!report->current)
        return;
    json_object_set_new(report->current, "pages", json_integer(pages));
    json_t *breaks = json_array();
    int page = 0;
    for (size_t i = 0; i < report->pending_count; i++) {
        size_t box = report->pending[i].box;
        int n = box < boxes ? page_of_box[box] + 1 : 0;
        json_object_set_new(report->pending[i].line, "page", json_integer(n));
        if (n > page && page > 0)
            json_array_append_new(breaks,
                                  json_pack("{s:i, s:O}", "page", n, "before",
                                            json_object_get(report->pending[i].line, "text")));
        if (n > page)
            page = n;
    }
    json_object_set_new(report->current, "page_breaks", breaks);
    report->pending_count = 0;
}

void layout_report_take(struct layout_report *into, struct layout_report *from)
{
    json_array_extend(into->documents, from->documents);
    json_array_clear(from->documents);
    from->current = NULL;
    from->pending_count = 0;
}

/* Documents by name, then language: a batch adds them in any order. */
static int by_name(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(json_string_value(json_object_get(x, "name")),
                   json_string_value(json_object_get(y, "name")));
    if (!c)
        c = strcmp(json_string_value(json_object_get(x, "language")),
                   json_string_value(json_object_get(y, "language")));
    if (!c) {
        /* Variants of one campaign to different recipients: by content. */
        char *dx = json_dumps(x, JSON_SORT_KEYS), *dy = json_dumps(y, JSON_SORT_KEYS);
        c = strcmp(dx ? dx : "", dy ? dy : "");
        free(dx);
        free(dy);
    }
    return c;
}

void layout_report_json(const struct layout_report *report, struct buffer *out)
{
    size_t n = json_array_size(report->documents);
    json_t **docs = xmalloc((n + 1) * sizeof *docs);
    for (size_t i = 0; i < n; i++)
        docs[i] = json_array_get(report->documents, i);
    qsort(docs, n, sizeof *docs, by_name);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(sorted, docs[i]);
    free(docs);
    json_t *root = json_pack("{s:o}", "documents", sorted);
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    buffer_puts(out, text ? text : "{}");
    buffer_putc(out, '\n');
    free(text);
    json_decref(root);
}
