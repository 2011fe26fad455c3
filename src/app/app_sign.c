/* app_sign.c — owns the application's side of digital signatures:
 * verify-pdf, against the trust store the caller or the workspace names. */
#include "app_internal.h"

#include "buffer.h"
#include "path.h"
#include "sign.h"

#include <errno.h>
#include <string.h>

/* The workspace's [signing] trust, when a workspace loads: verify-pdf
 * works on any PDF, with or without one (then nothing is trusted). */
static const char *workspace_trust(struct app *app)
{
    struct errors ignored = {0};
    const struct settings *s = app_settings(app, &ignored);
    errors_clear(&ignored);
    return s ? s->signing.trust : NULL;
}

static void copy_report(const struct sign_report *r, struct arena *arena,
                        struct app_pdf_signatures *out)
{
    out->count = r->count;
    out->trust_checked = r->trust_checked;
    out->items = arena_alloc(arena, (r->count ? r->count : 1) * sizeof *out->items);
    for (size_t i = 0; i < r->count; i++) {
        const struct sign_signature_report *x = &r->items[i];
        out->items[i] = (struct app_signature){
            arena_strdup(arena, x->signer),
            arena_strdup(arena, x->field),
            x->valid,
            x->trusted,
            x->whole_file,
            x->timestamped,
            x->timestamp_valid,
            arena_strdup(arena, x->timestamp_time),
            arena_strdup(arena, x->problem),
        };
    }
}

/* The signatures of pdf (named name in messages) against trust, else the
 * workspace's trust store. */
static enum app_status verify_bytes(struct app *app, const struct buffer *pdf, const char *name,
                                    const char *trust, struct arena *arena,
                                    struct app_pdf_signatures *out, struct errors *errors)
{
    size_t before = errors->count;
    if (!trust)
        trust = workspace_trust(app);
    struct sign_report report;
    if (errors->count != before ||
        sign_verify(pdf->data, pdf->len, name, trust, &report, errors) != 0)
        return APP_INPUT;
    copy_report(&report, arena, out);
    sign_report_clear(&report);
    return APP_OK;
}

enum app_status app_verify_pdf(struct app *app, const char *file, const char *trust,
                               struct arena *arena, struct app_pdf_signatures *out,
                               struct errors *errors)
{
    *out = (struct app_pdf_signatures){0};
    struct buffer pdf = {0};
    char reason[512];
    int read = path_read(file, PATH_NAMED_DATA, &pdf, reason, sizeof reason);
    if (read != 0) {
        if (read == PATH_FAILED)
            errors_add_at(errors, file, 0, 0, "cannot read: %s", strerror(errno));
        else
            errors_add_at(errors, file, 0, 0, "%s", path_reason_tail(file, reason));
        buffer_free(&pdf);
        return APP_INPUT;
    }
    enum app_status status = verify_bytes(app, &pdf, file, trust, arena, out, errors);
    buffer_free(&pdf);
    return status;
}

enum app_status app_register_signatures(struct app *app, const char *reference, struct arena *arena,
                                        struct app_pdf_signatures *out, struct errors *errors)
{
    *out = (struct app_pdf_signatures){0};
    struct buffer pdf = {0};
    const char *name = NULL;
    enum app_status status = app_register_file(app, reference, "pdf", arena, &pdf, &name, errors);
    if (status == APP_OK)
        status = verify_bytes(app, &pdf, name, NULL, arena, out, errors);
    buffer_free(&pdf);
    return status;
}
