/* pipeline.h — owns running the whole chain for one letter: load ->
 * merge -> render (PDF and text) -> write. What is costly and shared (the
 * workspace, the fonts, compiled templates) is loaded once per pipeline
 * and reused for every letter of a batch. */
#ifndef MISSIVE_PIPELINE_H
#define MISSIVE_PIPELINE_H

#include "error.h"
#include "workspace.h"

#include <stdbool.h>
#include <stddef.h>

enum { PIPELINE_PDF = 1, PIPELINE_TEXT = 2 };

struct pipeline;
struct letter;

/* Loads the workspace at root. NULL plus errors when it does not load. */
struct pipeline *pipeline_open(const char *root, struct errors *errors);
void pipeline_free(struct pipeline *pipeline);
const struct workspace *pipeline_workspace(const struct pipeline *pipeline);

/* What a render produced: paths of the files written (caller frees with
 * pipeline_result_clear). */
struct pipeline_result {
    char *paths[3];
    size_t count;
    /* A petition's signers: rows left out as wrong (only with
     * pipeline_skip_invalid_signers) and duplicates merged. Their report is
     * written beside the PDF and text as STEM.signers.txt. */
    bool petition;
    size_t signers, signers_left_out, signers_merged;
};

/* pipeline_render's failures: an input is wrong, or writing failed. */
enum { PIPELINE_INPUT_FAILED = -1, PIPELINE_OUTPUT_FAILED = -2 };

/* Loads, merges and renders the letter at letter_path in every format of
 * formats. With output_dir NULL nothing is written (a check); otherwise the
 * files land in output_dir all at once or not at all. Returns 0, or one of
 * the failures above with every error found. */
int pipeline_render(struct pipeline *pipeline, const char *letter_path, unsigned formats,
                    const char *output_dir, struct pipeline_result *result, struct errors *errors);
void pipeline_result_clear(struct pipeline_result *result);
/* The name a single letter's files take: its reference, or its file name
 * for a draft, made safe by output_safe_name. Caller frees. */
char *pipeline_output_stem(const struct letter *letter);
struct letter;
/* pipeline_render for a letter already loaded (a single letter, not a
 * campaign: see campaign.h for those). */
int pipeline_render_letter(struct pipeline *pipeline, const struct letter *letter, unsigned formats,
                           const char *output_dir, struct pipeline_result *result,
                           struct errors *errors);
/* From now on, a petition's wrong signer rows are left out (and listed in
 * its report) instead of stopping the render. */
void pipeline_skip_invalid_signers(struct pipeline *pipeline, bool skip);
/* From now on, every PDF rendered adds its layout (lines, ratios,
 * demerits, pages) to a JSON report for path (docs/typography.md). */
void pipeline_layout_report(struct pipeline *pipeline, const char *path);
/* Writes that report, every document rendered so far in name order, to
 * its path at once (no partial file). 0, or -1 with an error. */
int pipeline_write_layout_report(struct pipeline *pipeline, struct errors *errors);

/* ---- the steps of pipeline_render, for commands that number letters ---- */

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
/* Renders doc in every format of formats into pdf and text. Returns 0, or
 * -1 with every error found. */
int pipeline_render_doc(struct pipeline *pipeline, const struct doc_document *doc, unsigned formats,
                        struct buffer *pdf, struct buffer *text, struct errors *errors);
/* SOURCE_DATE_EPOCH as "yyyy-mm-ddThh:mm:ssZ" into out: 1 when it is set,
 * 0 when not, -1 with an error when it is not a number of seconds. */
int pipeline_source_date(char out[32], struct errors *errors);

#endif
