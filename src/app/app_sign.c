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
    size_t before = errors->count;
    if (!trust)
        trust = workspace_trust(app);
    struct sign_report report;
    enum app_status status = APP_INPUT;
    if (errors->count == before &&
        sign_verify(pdf.data, pdf.len, file, trust, &report, errors) == 0) {
        copy_report(&report, arena, out);
        sign_report_clear(&report);
        status = APP_OK;
    }
    buffer_free(&pdf);
    return status;
}
