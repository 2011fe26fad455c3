/* app_render.c — `render` and `check`: one letter through load -> merge ->
 * render -> write, or a campaign's letters as one batch (app_batch.c).
 * The merge input is decided here: a draft has no number, and its PDF
 * dates come from SOURCE_DATE_EPOCH when set, so drafts rebuild byte for
 * byte. */
#include "app_internal.h"

#include "buffer.h"
#include "doc.h"
#include "letter.h"
#include "merge.h"
#include "output.h"
#include "signers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records letter's output name; false (with an error) when another letter
 * of this run already has it: their files would overwrite each other. */
static bool claim_name(struct app *app, const struct letter *letter, const char *path,
                       struct errors *errors)
{
    char *stem = pipeline_output_stem(letter);
    for (size_t i = 0; i < app->name_count; i++) {
        if (strcmp(app->names[i], stem) == 0) {
            errors_add(errors, letter->loc,
                       "output name '%s' is already used by %s in this run (give the letters "
                       "different references or file names)",
                       stem, app->name_letters[i]);
            free(stem);
            return false;
        }
    }
    app->names = xrealloc(app->names, (app->name_count + 1) * sizeof *app->names);
    app->name_letters =
        xrealloc(app->name_letters, (app->name_count + 1) * sizeof *app->name_letters);
    app->names[app->name_count] = stem;
    app->name_letters[app->name_count++] = xstrdup(path);
    return true;
}

/* A petition's signers, read as the caller asked wrong rows to be treated,
 * counted in row and reported in report. NULL with errors. */
static struct signers *read_signers(struct pipeline *p, const struct letter *letter, bool skip,
                                    struct app_letter *row, struct buffer *report,
                                    struct errors *errors)
{
    const struct workspace *ws = pipeline_workspace(p);
    struct signers *signers =
        signers_load(letter->petition, workspace_locale(ws, letter->language), skip, errors);
    if (!signers)
        return NULL;
    signers_report(signers, report);
    row->petition = true;
    row->signers = signers->count;
    row->signers_left_out = signers->skipped;
    row->signers_merged = signers->duplicates;
    return signers;
}

int app_draft_letter(struct pipeline *p, const struct letter *letter, unsigned formats,
                     bool skip_invalid_signers, struct app_draft *d, struct errors *errors)
{
    *d = (struct app_draft){.row = {.source = letter->path, .language = letter->language}};
    const struct tmpl *tmpl = pipeline_template(p, letter, errors);
    struct signers *signers = NULL;
    if (tmpl && letter->petition)
        signers = read_signers(p, letter, skip_invalid_signers, &d->row, &d->report, errors);
    char stamp[32];
    int dated = app_draft_time(stamp, errors);
    struct merge_input input = app_merge_input(letter, NULL, dated == 1 ? stamp : NULL, signers);
    struct doc_document *doc =
        tmpl && dated >= 0 && (signers || !letter->petition)
            ? merge_letter(pipeline_workspace(p), letter, tmpl, &input, errors)
            : NULL;
    /* The document holds copies of all it needs: memory back before rendering. */
    signers_free(signers);
    int result =
        doc && pipeline_render_doc(p, doc, formats, &d->pdf, &d->text, errors) == 0 ? 0 : -1;
    doc_free(doc);
    return result;
}

void app_draft_free(struct app_draft *d)
{
    buffer_free(&d->pdf);
    buffer_free(&d->text);
    buffer_free(&d->report);
}

/* A single letter: merged, rendered, written (unless a check). */
static enum app_status render_letter(struct pipeline *p, const struct letter *letter,
                                     const struct app_render_options *o, const char *out,
                                     const struct app_events *events, struct errors *errors)
{
    struct app_draft d;
    enum app_status status =
        app_draft_letter(p, letter, o->formats, o->skip_invalid_signers, &d, errors) == 0
            ? APP_OK
            : APP_INPUT;
    char *stem = pipeline_output_stem(letter);
    d.row.name = stem;
    char *written[3] = {0};
    if (status == APP_OK && !o->check) {
        struct output_file files[3];
        size_t count = 0;
        if (o->formats & APP_PDF)
            files[count++] = (struct output_file){"pdf", &d.pdf};
        if (o->formats & APP_TEXT)
            files[count++] = (struct output_file){"txt", &d.text};
        if (d.row.petition)
            files[count++] = (struct output_file){"signers.txt", &d.report};
        if (output_write_all(out, stem, files, count, errors) != 0)
            status = APP_OUTPUT;
        for (size_t i = 0; status == APP_OK && i < count; i++) {
            size_t n = strlen(out) + strlen(stem) + strlen(files[i].extension) + 3;
            written[i] = xmalloc(n);
            snprintf(written[i], n, "%s/%s.%s", out, stem, files[i].extension);
            d.row.files[d.row.file_count++] = written[i];
        }
    }
    if (status == APP_OK && events && events->letter)
        events->letter(events->context, &d.row);
    for (size_t i = 0; i < 3; i++)
        free(written[i]);
    free(stem);
    app_draft_free(&d);
    return status;
}

/* A campaign: checked, or rendered as one batch. */
static enum app_status render_campaign(struct pipeline *p, const struct letter *letter,
                                       const struct app_render_options *o, const char *out,
                                       const struct app_events *events, struct errors *errors)
{
    struct app_batch b;
    struct campaign_filter filter = {o->only, o->languages, o->strict};
    enum app_status status = APP_OK;
    if (app_batch_open(&b, p, letter, &filter, o->formats, o->jobs, events) != 0)
        status = APP_INPUT;
    else if (!o->check)
        status = app_batch_render(&b, out);
    else if (app_batch_check(&b) != 0)
        status = APP_INPUT;
    for (size_t i = 0;
         o->check && status == APP_OK && events && events->letter && i < b.campaign->count; i++) {
        const struct campaign_variant *v = &b.campaign->variants[i];
        char name[512];
        campaign_name(b.campaign, i, name, sizeof name);
        events->letter(events->context, &(struct app_letter){.source = letter->path,
                                                             .name = name,
                                                             .recipient = v->recipient,
                                                             .language = v->language,
                                                             .campaign = true});
    }
    errors_take(errors, &b.errors);
    app_batch_close(&b);
    return status;
}

enum app_status app_render(struct app *app, const char *path, const struct app_render_options *o,
                           const struct app_events *events, struct errors *errors)
{
    struct pipeline *p = app_pipeline(app, errors);
    if (!p)
        return APP_INPUT;
    const char *out = o->output_dir ? o->output_dir : pipeline_workspace(p)->settings.output_dir;
    if (o->layout_report && !o->check)
        pipeline_layout_report(p, o->layout_report);
    struct letter *letter = letter_load(path, errors);
    if (!letter)
        return APP_INPUT;
    enum app_status status;
    if (campaign_is(letter)) {
        status = render_campaign(p, letter, o, out, events, errors);
    } else if (o->only || o->languages) {
        errors_add(errors, letter->loc, "--%s applies to campaigns (letters with <recipients>)",
                   o->only ? "only" : "lang");
        status = APP_INPUT;
    } else if (!o->check && !claim_name(app, letter, path, errors)) {
        status = APP_INPUT;
    } else {
        status = render_letter(p, letter, o, out, events, errors);
    }
    letter_free(letter);
    return status;
}

enum app_status app_write_layout_report(struct app *app, struct errors *errors)
{
    if (!app->pipeline)
        return APP_OK;
    return pipeline_write_layout_report(app->pipeline, errors) == 0 ? APP_OK : APP_OUTPUT;
}
