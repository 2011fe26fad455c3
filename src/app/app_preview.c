/* app_preview.c — a draft rendered into memory for the web page's live
 * preview: the same stages, templates, fonts and errors as `render` and
 * `check`, nothing written. */
#include "app_internal.h"

#include "doc.h"
#include "letter.h"
#include "merge.h"

/* The variant-th letter of campaign, rendered after every letter of it
 * has been checked. */
static enum app_status preview_variant(struct pipeline *p, const struct letter *letter,
                                       size_t variant, struct app_preview *out,
                                       struct errors *errors)
{
    struct app_batch b;
    struct campaign_filter filter = {0};
    enum app_status status = APP_INPUT;
    if (app_batch_open(&b, p, letter, &filter, APP_PDF | APP_TEXT, 0, NULL) == 0 &&
        app_batch_check(&b) == 0) {
        if (variant >= b.campaign->count) {
            errors_add(&b.errors, letter->loc,
                       "the campaign has %zu letters: there is no letter %zu", b.campaign->count,
                       variant + 1);
        } else {
            struct letter view;
            campaign_letter(b.campaign, variant, &view);
            char stamp[32];
            int dated = app_draft_time(stamp, &b.errors);
            struct merge_input input =
                app_merge_input(&view, NULL, dated == 1 ? stamp : NULL, NULL);
            struct doc_document *doc =
                dated >= 0
                    ? merge_letter(b.ws, &view, app_batch_template(&b, variant), &input, &b.errors)
                    : NULL;
            if (doc && pipeline_render_doc(p, doc, APP_PDF | APP_TEXT, &out->pdf, &out->text,
                                           &b.errors) == 0)
                status = APP_OK;
            doc_free(doc);
        }
    }
    errors_take(errors, &b.errors);
    app_batch_close(&b);
    return status;
}

enum app_status app_preview(struct app *app, const char *path, size_t variant,
                            struct app_preview *out, struct errors *errors)
{
    *out = (struct app_preview){0};
    struct pipeline *p = app_pipeline(app, errors);
    if (!p)
        return APP_INPUT;
    struct letter *letter = letter_load(path, errors);
    if (!letter)
        return APP_INPUT;
    enum app_status status;
    if (campaign_is(letter)) {
        status = preview_variant(p, letter, variant, out, errors);
    } else {
        struct app_draft d;
        status = app_draft_letter(p, letter, APP_PDF | APP_TEXT, false, false, &d, errors) == 0
                     ? APP_OK
                     : APP_INPUT;
        out->pdf = d.pdf;
        out->text = d.text;
        buffer_free(&d.report);
    }
    letter_free(letter);
    return status;
}

void app_preview_free(struct app_preview *preview)
{
    buffer_free(&preview->pdf);
    buffer_free(&preview->text);
}
