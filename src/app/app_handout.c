/* app_handout.c — `issue -o DIR`: copies of the letters just issued, for
 * sending and printing (the PDF as archived and signed, the text, an
 * e-mail of each to its recipient), written as one batch of drafts that
 * appears in DIR only once the register has committed. The archive stays
 * the record; these are handed out, and `reprint` makes them again. */
#include "app_issue.h"

#include "output.h"

#include <stdlib.h>

int app_handout_open(struct app_handout *h, const struct workspace *ws, const char *dir,
                     unsigned formats, bool strict, const char *const *recipients,
                     const char *const *languages, size_t count, const struct app_events *events,
                     struct errors *errors)
{
    *h = (struct app_handout){.formats = formats ? formats : APP_PDF | APP_TEXT};
    if (h->formats & APP_EML) {
        if (app_send_open(&h->send, ws, strict, events, errors) != 0)
            return -1;
        h->sending = true;
        h->mail = arena_alloc(h->send.arena, (count ? count : 1) * sizeof *h->mail);
        for (size_t i = 0; i < count; i++)
            if (app_send_to(&h->send, ws, recipients[i], languages[i], &h->mail[i], errors) < 0)
                return -1;
    }
    h->batch = output_batch_open(dir, errors);
    return h->batch ? 0 : -2;
}

int app_handout_eml(const struct app_handout *h, size_t index, const struct workspace *ws,
                    const struct doc_document *doc, const char *reference, const struct buffer *pdf,
                    struct buffer *out, struct errors *errors)
{
    if (!h->sending || !h->mail[index].address)
        return 0;
    char *stem = output_safe_name(reference);
    int status = app_send_eml(&h->send, &h->mail[index], doc, stem, pdf, ws->settings.text_width,
                              out, errors);
    free(stem);
    return status;
}

int app_handout_add(struct app_handout *h, const char *reference, const struct buffer *pdf,
                    const struct buffer *text, const struct buffer *eml, struct errors *errors)
{
    struct output_file files[3];
    size_t count = 0;
    if (h->formats & APP_PDF)
        files[count++] = (struct output_file){"pdf", pdf};
    if (h->formats & APP_TEXT)
        files[count++] = (struct output_file){"txt", text};
    if ((h->formats & APP_EML) && eml->len)
        files[count++] = (struct output_file){"eml", eml};
    char *stem = output_safe_name(reference);
    int status = count ? output_batch_add(h->batch, stem, files, count, errors) : 0;
    free(stem);
    return status;
}

int app_handout_combined(struct app_handout *h, const struct workspace *ws,
                         const struct campaign *campaign, struct doc_document *const *docs,
                         struct font_set *fonts, const struct letter *letter, struct errors *errors)
{
    struct buffer pdf = {0};
    int status = app_send_combined(ws, campaign, docs, fonts, &pdf, errors);
    if (status == 0) {
        char *stem = pipeline_output_stem(letter);
        struct output_file file = {"pdf", &pdf};
        status = output_batch_add(h->batch, stem, &file, 1, errors);
        free(stem);
    }
    buffer_free(&pdf);
    return status;
}

int app_handout_commit(struct app_handout *h, struct errors *errors)
{
    return output_batch_commit(h->batch, errors);
}

void app_handout_close(struct app_handout *h)
{
    output_batch_free(h->batch);
    if (h->sending)
        app_send_close(&h->send);
    *h = (struct app_handout){0};
}
