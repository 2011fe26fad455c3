/* app_sign.c — owns the application's side of digital signatures:
 * verify-pdf, against the trust store the caller or the workspace names;
 * and missive sign, signatures added later to an issued letter (by a
 * second signatory in another office) and recorded in the register. */
#include "app_checkpoint.h"
#include "app_internal.h"

#include "archive.h"
#include "buffer.h"
#include "output.h"
#include "path.h"
#include "pdf.h"
#include "sign.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

/* ---- missive sign REF: signatures added to an issued letter ---- */

static const struct register_file *pdf_file(const struct register_entry *e)
{
    if (e->signed_pdf)
        return e->signed_pdf;
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, "pdf") == 0)
            return &e->files[i];
    return NULL;
}

/* Whether a signature's widget stands at place (as sign_pdf writes it). */
static bool at_place(const struct sign_signature_report *r, const struct pdf_signature_place *p)
{
    const double want[4] = {p->x0, p->y0, p->x1, p->y1};
    for (int k = 0; r->placed && k < 4; k++)
        if (fabs(r->rect[k] - want[k]) > 0.006)
            return false;
    return r->placed;
}

struct signing_later {
    struct app *app;
    const struct workspace *ws;
    struct register_db *db;
    struct arena *arena;
    const char *reference;
    struct register_entry *e;      /* the issue or import entry */
    const struct register_file *f; /* its PDF as it is now */
    struct buffer pdf;             /* that PDF, then signed */
    struct pdf_places places;
    bool *signed_by; /* per signatory: a signature stands at their place */
    size_t signatures;
    struct sign_letter_keys keys;
    struct sign_key *register_key;
    char now[32];
};

/* The letter as it is now, checked: its unsigned revision is what its
 * archived source renders (so the places are the ones it was signed at),
 * every signature on it holds; who signed it, by place. */
static enum app_status read_letter(struct signing_later *l, struct errors *errors)
{
    size_t before = errors->count;
    l->e = register_find(l->db, l->arena, l->reference, errors);
    if (!l->e) {
        if (errors->count == before)
            errors_add_at(errors, NULL, 0, 0, "no reference '%s' in the register", l->reference);
        return APP_INPUT;
    }
    if (l->e->voided_at) {
        errors_add_at(errors, NULL, 0, 0,
                      "'%s' is void (since %s: %s): a void letter is not signed", l->reference,
                      l->e->voided_at, l->e->void_reason);
        return APP_INPUT;
    }
    l->f = pdf_file(l->e);
    struct buffer rendered = {0}, text = {0};
    enum app_status status =
        l->f ? app_rerender(l->db, l->e, &rendered, &text, &l->places, errors) : APP_INPUT;
    if (!l->f)
        errors_add_at(errors, NULL, 0, 0,
                      "'%s' was imported without archived files: there is no letter to sign",
                      l->reference);
    if (status == APP_OK && register_read_file(l->db, l->f, &l->pdf, errors) != 0)
        status = APP_PROBLEMS;
    size_t unsigned_len = status == APP_OK ? sign_unsigned_length(l->pdf.data, l->pdf.len) : 0;
    if (status == APP_OK &&
        (unsigned_len != rendered.len || memcmp(rendered.data, l->pdf.data, unsigned_len) != 0)) {
        errors_add_at(errors, NULL, 0, 0,
                      "the archived PDF of '%s' is not what its archived source renders (%s); "
                      "it is not signed (see missive reprint)",
                      l->reference, l->f->path);
        status = APP_PROBLEMS;
    }
    buffer_free(&rendered);
    buffer_free(&text);
    l->signed_by = arena_alloc(l->arena, (l->places.count + 1) * sizeof *l->signed_by);
    memset(l->signed_by, 0, (l->places.count + 1) * sizeof *l->signed_by);
    struct sign_report report = {0};
    if (status == APP_OK && unsigned_len < l->pdf.len) {
        if (sign_verify(l->pdf.data, l->pdf.len, l->f->path, NULL, &report, errors) != 0 ||
            !sign_report_ok(&report)) {
            errors_add_at(errors, NULL, 0, 0,
                          "a signature of '%s' does not hold (see missive register verify); "
                          "nothing was signed",
                          l->reference);
            status = APP_PROBLEMS;
        }
        for (size_t i = 0; i < report.count; i++)
            for (size_t k = 0; k < l->places.count; k++)
                l->signed_by[k] =
                    l->signed_by[k] || at_place(&report.items[i], &l->places.items[k]);
        l->signatures = report.count;
    }
    sign_report_clear(&report);
    return status;
}

/* The keys here of the signatories who have not signed: every one that
 * is configured must load, as at issue. */
static enum app_status load_keys(struct signing_later *l, time_t at, struct errors *errors)
{
    size_t n = l->e->signatory_count, left = 0;
    const char **ids = arena_alloc(l->arena, (n + 1) * sizeof *ids);
    struct buffer names = {0};
    for (size_t i = 0; i < n; i++) {
        bool done = i < l->places.count && l->signed_by[i];
        ids[i] = done ? NULL : l->e->signatories[i].id;
        if (!done) {
            buffer_printf(&names, "%s%s", left++ ? ", " : "",
                          l->e->signatories[i].id ? l->e->signatories[i].id
                                                  : l->e->signatories[i].name);
        }
    }
    enum app_status status = APP_OK;
    if (left == 0) {
        errors_add_at(
            errors, NULL, 0, 0,
            "'%s' is already signed by every signatory (%zu signature%s): nothing to sign",
            l->reference, l->signatures, l->signatures == 1 ? "" : "s");
        status = APP_INPUT;
    } else if (sign_letter_keys_load(l->ws, ids, n, at, &l->keys, errors) != 0) {
        status = APP_INPUT;
    } else if (l->keys.count == 0) {
        errors_add_at(errors, NULL, 0, 0,
                      "none of the signatories who have not signed '%s' yet (%s) has a key "
                      "configured here (signatories.ini or organisations.ini 'key')",
                      l->reference, names.data);
        status = APP_INPUT;
    }
    buffer_free(&names);
    if (status == APP_OK) {
        size_t before = errors->count;
        l->register_key = app_checkpoint_key(l->ws, errors);
        if (errors->count > before)
            status = APP_INPUT;
    }
    return status;
}

/* The "sign" entry: the letter's facts, the signatories who signed now,
 * the new PDF. */
static struct register_entry *sign_entry(struct signing_later *l, const char *relative)
{
    struct register_entry *s = arena_alloc(l->arena, sizeof *s);
    *s = *l->e;
    s->event = "sign";
    s->recorded_at = arena_strdup(l->arena, l->now);
    s->libraries = NULL;
    s->office = NULL;
    s->void_reason = s->voided_at = s->signed_at = NULL;
    s->signed_pdf = NULL;
    s->reason = NULL;
    s->signatories = arena_alloc(l->arena, (l->keys.count + 1) * sizeof *s->signatories);
    s->signatory_count = 0;
    for (size_t i = 0; i < l->keys.count; i++) {
        const struct register_person *p = &l->e->signatories[l->keys.items[i].index];
        s->signatories[s->signatory_count++] = *p;
    }
    struct register_file *f = arena_alloc(l->arena, sizeof *f);
    char hex[65];
    archive_sha256(l->pdf.data, l->pdf.len, hex);
    *f =
        (struct register_file){"pdf", relative, arena_strdup(l->arena, hex), (long long)l->pdf.len};
    s->files = f;
    s->file_count = 1;
    return s;
}

/* Under the lock: the letter must still be as it was read (nobody signed
 * it meanwhile); then its file and entry (and checkpoint) in one go. */
static enum app_status record(struct signing_later *l, struct errors *errors)
{
    if (register_begin(l->db, errors) != 0)
        return APP_OUTPUT;
    enum app_status status = APP_OK;
    if (register_check_head(l->db, errors) != 0)
        status = APP_PROBLEMS;
    size_t before = errors->count;
    if (status == APP_OK)
        app_report_recovered(l->app, l->app->events, register_recover(l->db, errors));
    if (status == APP_OK && errors->count > before)
        status = APP_OUTPUT;
    struct register_entry *again =
        status == APP_OK ? register_find(l->db, l->arena, l->reference, errors) : NULL;
    if (status == APP_OK &&
        (!again || again->voided_at || strcmp(pdf_file(again)->sha256, l->f->sha256) != 0)) {
        errors_add_at(errors, NULL, 0, 0,
                      "'%s' changed in the register while it was being signed; nothing was "
                      "recorded, try again",
                      l->reference);
        status = APP_INPUT;
    }
    long long id = status == APP_OK ? register_next_id(l->db, errors) : -1;
    if (status == APP_OK && id < 1)
        status = APP_OUTPUT;
    char *stem = output_safe_name(l->reference);
    char *relative = arena_printf(l->arena, "%s/%06lld-%s.pdf", ARCHIVE_LETTERS, id, stem);
    free(stem);
    bool begun = false;
    if (status == APP_OK) {
        begun = true;
        if (register_files_begin(l->db, &relative, 1, errors) != 0 ||
            register_files_write(l->db, relative, l->pdf.data, l->pdf.len, errors) != 0 ||
            register_files_install(l->db, errors) != 0)
            status = APP_OUTPUT;
    }
    struct register_entry *s = status == APP_OK ? sign_entry(l, relative) : NULL;
    if (status == APP_OK &&
        register_append(l->db, l->arena, s, (struct source_loc){0}, errors) != 0)
        status = APP_PROBLEMS;
    if (status == APP_OK && l->register_key &&
        app_checkpoint_write(l->db, l->register_key, s, errors) != 0)
        status = APP_OUTPUT;
    app_fault("after-sign-insert");
    if (status == APP_OK && register_commit(l->db, errors) != 0)
        status = APP_OUTPUT;
    if (status != APP_OK)
        register_rollback(l->db);
    if (begun)
        register_files_end(l->db, status == APP_OK, errors);
    return status;
}

enum app_status app_sign_issued(struct app *app, const char *reference, struct arena *arena,
                                struct app_signed *out, const struct app_events *events,
                                struct errors *errors)
{
    app->events = events;
    *out = (struct app_signed){.reference = arena_strdup(arena, reference)};
    struct pipeline *p = app_pipeline(app, errors);
    if (!p)
        return APP_INPUT;
    enum app_status status;
    struct register_db *db = app_register(app, false, &status, errors);
    if (!db)
        return status;
    struct signing_later l = {
        .app = app, .ws = pipeline_workspace(p), .db = db, .arena = arena, .reference = reference};
    app_now(l.now);
    time_t at = app_time_seconds(l.now);
    /* Everything that can be wrong is found before the lock: the letter,
     * the keys, the signatures themselves (with the TSA's answer). */
    status = read_letter(&l, errors);
    if (status == APP_OK)
        status = load_keys(&l, at, errors);
    if (status == APP_OK && sign_letter(&l.pdf, &l.places, &l.keys, &l.ws->settings.signing,
                                        reference, at, errors) != 0)
        status = APP_INPUT;
    if (status == APP_OK)
        status = record(&l, errors);
    if (status == APP_OK) {
        struct buffer names = {0};
        for (size_t i = 0; i < l.keys.count; i++)
            buffer_printf(&names, "%s%s", i ? ", " : "", l.keys.items[i].name);
        out->names = arena_strdup(arena, names.data ? names.data : "");
        buffer_free(&names);
        out->added = l.keys.count;
        out->signatures = l.signatures + l.keys.count;
        out->signatories = l.e->signatory_count;
    }
    sign_letter_keys_free(&l.keys);
    sign_key_free(l.register_key);
    free(l.places.items);
    buffer_free(&l.pdf);
    return status;
}
