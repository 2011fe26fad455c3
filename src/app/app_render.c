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
#include <unistd.h>

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

/* report moved into an unlinked temporary file, not held while the
 * letter is rendered (a million signers' is 13 MB): its descriptor, or
 * -1 with report kept as it is. */
static int spool_report(struct buffer *report)
{
    struct errors ignored = {0};
    int fd = output_spool_open(&ignored);
    errors_clear(&ignored);
    if (fd < 0)
        return -1;
    if (output_spool_write(fd, report->data ? report->data : "", report->len) != 0) {
        close(fd);
        return -1;
    }
    buffer_free(report);
    return fd;
}

int app_draft_letter(struct pipeline *p, const struct letter *letter, unsigned formats,
                     bool skip_invalid_signers, bool to_file, struct app_draft *d,
                     struct errors *errors)
{
    *d = (struct app_draft){.row = {.source = letter->path, .language = letter->language},
                            .pdf_file = -1,
                            .text_file = -1,
                            .report_file = -1};
    const struct tmpl *tmpl = pipeline_template(p, letter, errors);
    struct signers *signers = NULL;
    if (tmpl && letter->petition)
        signers = read_signers(p, letter, skip_invalid_signers, &d->row, &d->report, errors);
    if (signers && to_file)
        d->report_file = spool_report(&d->report);
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
        doc && (to_file ? pipeline_render_draft(p, doc, formats, &d->pdf, &d->pdf_file, &d->text,
                                                &d->text_file, errors)
                        : pipeline_render_doc(p, doc, formats, &d->pdf, &d->text, errors)) == 0
            ? 0
            : -1;
    /* An e-mail is made from the document (its flowed text, subject, date). */
    if (formats & APP_EML)
        d->doc = doc;
    else
        doc_free(doc);
    return result;
}

void app_draft_free(struct app_draft *d)
{
    buffer_free(&d->pdf);
    buffer_free(&d->text);
    buffer_free(&d->report);
    if (d->pdf_file >= 0)
        close(d->pdf_file);
    if (d->text_file >= 0)
        close(d->text_file);
    if (d->report_file >= 0)
        close(d->report_file);
    doc_free(d->doc);
}

/* The e-mail of a single letter into eml (*mailed: it has an address);
 * doc NULL for a check: the addresses only. */
static enum app_status mail_letter(struct pipeline *p, const struct letter *letter,
                                   const struct app_render_options *o,
                                   const struct app_events *events, const struct doc_document *doc,
                                   const char *stem, const struct buffer *pdf, struct buffer *eml,
                                   bool *mailed, struct errors *errors)
{
    const struct workspace *ws = pipeline_workspace(p);
    struct app_send send;
    struct mail_address to;
    enum app_status status = APP_INPUT;
    if (app_send_open(&send, ws, o->strict, events, errors) == 0) {
        int found = app_send_to(&send, ws, letter->recipient.id, letter->language, &to, errors);
        if (found == 0)
            status = APP_OK;
        else if (found > 0 && (!doc || app_send_eml(&send, &to, doc, stem, pdf,
                                                    ws->settings.text_width, eml, errors) == 0))
            status = APP_OK;
        *mailed = found > 0 && status == APP_OK;
    }
    app_send_close(&send);
    return status;
}

/* A single letter: merged, rendered, written (unless a check). */
static enum app_status render_letter(struct pipeline *p, const struct letter *letter,
                                     const struct app_render_options *o, const char *out,
                                     const struct app_events *events, struct errors *errors)
{
    struct app_draft d;
    bool eml = o->formats & APP_EML;
    unsigned formats = o->formats | (eml ? APP_PDF | APP_TEXT : 0);
    enum app_status status =
        app_draft_letter(p, letter, formats, o->skip_invalid_signers, !eml, &d, errors) == 0
            ? APP_OK
            : APP_INPUT;
    char *stem = pipeline_output_stem(letter);
    d.row.name = stem;
    struct buffer message = {0};
    bool mailed = false;
    if (status == APP_OK && eml)
        status = mail_letter(p, letter, o, events, o->check ? NULL : d.doc, stem, &d.pdf, &message,
                             &mailed, errors);
    char *written[4] = {0};
    if (status == APP_OK && !o->check) {
        struct output_file files[4];
        int fds[4] = {-1, -1, -1, -1};
        size_t count = 0;
        if (o->formats & APP_PDF) {
            fds[count] = d.pdf_file;
            files[count++] = (struct output_file){"pdf", &d.pdf};
        }
        if (o->formats & APP_TEXT) {
            fds[count] = d.text_file;
            files[count++] = (struct output_file){"txt", &d.text};
        }
        if (d.row.petition) {
            fds[count] = d.report_file;
            files[count++] = (struct output_file){"signers.txt", &d.report};
        }
        if (mailed)
            files[count++] = (struct output_file){"eml", &message};
        if (output_write_all_from(out, stem, files, fds, count, errors) != 0)
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
    for (size_t i = 0; i < 4; i++)
        free(written[i]);
    free(stem);
    buffer_free(&message);
    app_draft_free(&d);
    return status;
}

/* The e-mails of a campaign: the sender, then each letter's To (in b->mail).
 * 0, or -1 with the errors in b's. */
static int plan_mail(struct app_batch *b, struct app_send *send, const struct app_render_options *o)
{
    if (app_send_open(send, b->ws, o->strict, b->events, &b->errors) != 0)
        return -1;
    b->send = send;
    b->mail = arena_alloc(send->arena, b->campaign->count * sizeof *b->mail);
    int status = 0;
    for (size_t i = 0; i < b->campaign->count; i++) {
        if (app_send_to(send, b->ws, campaign_recipient(b->campaign, i),
                        campaign_language(b->campaign, i), &b->mail[i], &b->errors) < 0)
            status = -1;
    }
    return status;
}

/* A campaign: checked, or rendered as one batch. */
static enum app_status render_campaign(struct pipeline *p, const struct letter *letter,
                                       const struct app_render_options *o, const char *out,
                                       const struct app_events *events, struct errors *errors)
{
    struct app_batch b;
    struct app_send send = {0};
    struct campaign_filter filter = {o->only, o->languages, o->strict};
    enum app_status status = APP_OK;
    /* The e-mails carry both forms, the combined file is a PDF: they are
     * rendered whatever --format writes. */
    bool eml = o->formats & APP_EML;
    unsigned formats = o->formats | (eml ? APP_PDF | APP_TEXT : 0) | (o->combined ? APP_PDF : 0);
    char *stem = pipeline_output_stem(letter);
    if (app_batch_open(&b, p, letter, &filter, o->check ? o->formats : formats, o->jobs, events) !=
        0)
        status = APP_INPUT;
    else if (eml && plan_mail(&b, &send, o) != 0)
        status = APP_INPUT;
    else if (!o->check) {
        b.written = o->formats & (APP_PDF | APP_TEXT);
        b.combined = o->combined;
        b.stem = stem;
        status = app_batch_render(&b, out);
    } else if (app_batch_check(&b) != 0)
        status = APP_INPUT;
    for (size_t i = 0;
         o->check && status == APP_OK && events && events->letter && i < b.campaign->count; i++) {
        const struct campaign_variant variant = campaign_variant(b.campaign, i), *v = &variant;
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
    app_send_close(&send);
    free(stem);
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
    } else if (o->only || o->languages || o->combined) {
        errors_add(errors, letter->loc, "--%s applies to campaigns (letters with <recipients>)",
                   o->only        ? "only"
                   : o->languages ? "lang"
                                  : "combined");
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
