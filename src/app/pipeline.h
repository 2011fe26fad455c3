/* pipeline.h — owns what every letter of a run shares on its way through
 * load -> merge -> render: the workspace, the fonts and the compiled
 * templates, loaded once and reused for every letter of a batch. Part of
 * the application layer (app.h), which decides what each letter is merged
 * with; not for the command line. */
#ifndef MISSIVE_PIPELINE_H
#define MISSIVE_PIPELINE_H

#include "app.h"
#include "error.h"
#include "workspace.h"

#include <stdbool.h>
#include <stddef.h>

struct pipeline;
struct letter;

/* Loads the workspace at root. NULL plus errors when it does not load. */
struct pipeline *pipeline_open(const char *root, struct errors *errors);
void pipeline_free(struct pipeline *pipeline);
const struct workspace *pipeline_workspace(const struct pipeline *pipeline);
/* The name a single letter's files take: its reference, or its file name
 * for a draft, made safe by output_safe_name. Caller frees. */
char *pipeline_output_stem(const struct letter *letter);
/* From now on, every PDF rendered adds its layout (lines, ratios,
 * demerits, pages) to a JSON report for path (docs/typography.md). */
void pipeline_layout_report(struct pipeline *pipeline, const char *path);
/* Writes that report, every document rendered so far in name order, to
 * its path at once (no partial file). 0, or -1 with an error. */
int pipeline_write_layout_report(struct pipeline *pipeline, struct errors *errors);

struct doc_document;
struct letter;
struct tmpl;
struct buffer;

/* The compiled template letter names (cached), or NULL plus an error.
 * Not safe from several threads (it compiles and allocates): a batch
 * fetches each template it needs first, then merges in threads. */
const struct tmpl *pipeline_template(struct pipeline *pipeline, const struct letter *letter,
                                     struct errors *errors);
struct font_set;
/* The workspace's fonts, opened on first use (NULL plus errors when one
 * cannot be). Open them before rendering from several threads: the set is
 * then shared, read-mostly (see font.h). */
struct font_set *pipeline_fonts(struct pipeline *pipeline, struct errors *errors);
/* Renders doc in every format of formats (APP_PDF | APP_TEXT) into pdf
 * and text. Returns 0, or
 * -1 with every error found. */
struct pdf_places;
/* pipeline_render_doc that also reports where the PDF's signatures stand
 * (for signing it); places may be NULL. The caller frees places->items. */
int pipeline_render_doc_places(struct pipeline *pipeline, const struct doc_document *doc,
                               unsigned formats, struct buffer *pdf, struct buffer *text,
                               struct pdf_places *places, struct errors *errors);
int pipeline_render_doc(struct pipeline *pipeline, const struct doc_document *doc, unsigned formats,
                        struct buffer *pdf, struct buffer *text, struct errors *errors);
struct pdf_attachment;
/* pipeline_render_doc_places whose PDF carries count attachments (an
 * issued letter's archived source and register entry). */
int pipeline_render_attached(struct pipeline *pipeline, const struct doc_document *doc,
                             unsigned formats, const struct pdf_attachment *attachments,
                             size_t count, struct buffer *pdf, struct buffer *text,
                             struct pdf_places *places, struct errors *errors);
/* pipeline_render_doc for a draft written to its folder: a petition's PDF
 * and text go into unlinked temporary files instead of pdf and text,
 * *pdf_file and *text_file their descriptors (the caller closes them; -1
 * when the file is in its buffer). */
int pipeline_render_draft(struct pipeline *pipeline, const struct doc_document *doc,
                          unsigned formats, struct buffer *pdf, int *pdf_file, struct buffer *text,
                          int *text_file, struct errors *errors);

#endif
