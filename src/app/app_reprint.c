/* app_reprint.c — an issued letter rendered again from its archived
 * source (checked against the register's SHA-256 and the blobs), written
 * only when the PDF and text equal the archived ones byte for byte. */
#include "app_internal.h"

#include "buffer.h"
#include "font.h"
#include "output.h"
#include "pdf.h"
#include "sign.h"
#include "snapshot.h"
#include "text.h"
#include "archive.h"
#include "versions.h"

#include <stdlib.h>
#include <string.h>

static const struct register_file *file_of(const struct register_entry *e, const char *role)
{
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, role) == 0)
            return &e->files[i];
    return NULL;
}

/* The archived source, checked against the register and its blobs (read
 * through the register, whatever its backend); its bytes in bytes. */
static struct snapshot *read_source(struct register_db *db, const struct register_file *f,
                                    struct buffer *bytes, struct errors *errors)
{
    struct snapshot *x = register_read_source(db, f, true, errors);
    if (x && register_read_file(db, f, bytes, errors) != 0) {
        snapshot_free(x);
        x = NULL;
    }
    return x;
}

/* A signed letter's archived PDF, when the PDF rendered again is exactly
 * its first revision (what was signed) and every signature holds: then the
 * archived original is what the reprint hands out, since re-signing would
 * need the keys and a timestamp cannot be made again. Swaps it into pdf. */
static bool signed_original(struct register_db *db, const struct register_file *f,
                            struct buffer *pdf, size_t *signatures)
{
    char *path = register_path(db, f->path); /* for messages */
    struct buffer archived = {0};
    struct errors ignored = {0};
    bool ok = register_read_file(db, f, &archived, &ignored) == 0;
    size_t n = ok ? sign_unsigned_length(archived.data, archived.len) : 0;
    ok = ok && n < archived.len && n == pdf->len && memcmp(archived.data, pdf->data, n) == 0;
    struct sign_report report = {0};
    ok = ok && sign_verify(archived.data, archived.len, path, NULL, &report, &ignored) == 0 &&
         sign_report_ok(&report);
    *signatures = report.count;
    if (ok) {
        buffer_free(pdf);
        *pdf = archived;
        archived = (struct buffer){0};
    }
    sign_report_clear(&report);
    errors_clear(&ignored);
    buffer_free(&archived);
    free(path);
    return ok;
}

/* Renders x as archived, carrying what the issued PDF carried (the
 * archived source's bytes, source, and e's facts); places (may be NULL)
 * gets where the signatures stand. */
static enum app_status render_archived(const struct register_entry *e, struct snapshot *x,
                                       const struct buffer *source, struct buffer *pdf,
                                       struct buffer *text, struct pdf_places *places,
                                       struct errors *errors)
{
    struct arena *arena = arena_new();
    struct buffer json = {0};
    struct pdf_attachment attachments[APP_ATTACHMENTS];
    app_attachments(e, arena, source, &json, attachments);
    struct pdf_options options = {
        .places = places, .attachments = attachments, .attachment_count = APP_ATTACHMENTS};
    struct font_set *fonts = font_set_open(&x->settings.fonts, errors);
    enum app_status status =
        fonts && pdf_render_with(x->doc, &x->settings, fonts, &options, pdf, errors) == 0 &&
                text_render(x->doc, x->settings.text_width, text, errors) == 0
            ? APP_OK
            : APP_INPUT;
    font_set_free(fonts);
    buffer_free(&json);
    arena_free(arena);
    return status;
}

enum app_status app_rerender(struct register_db *db, const struct register_entry *e,
                             struct buffer *pdf, struct buffer *text, struct pdf_places *places,
                             struct errors *errors)
{
    const struct register_file *source = file_of(e, "source");
    if (!source) {
        errors_add_at(errors, NULL, 0, 0,
                      "'%s' was imported without archived files: there is no letter to sign",
                      e->reference);
        return APP_INPUT;
    }
    struct buffer bytes = {0};
    struct snapshot *x = read_source(db, source, &bytes, errors);
    enum app_status status =
        x ? render_archived(e, x, &bytes, pdf, text, places, errors) : APP_PROBLEMS;
    snapshot_free(x);
    buffer_free(&bytes);
    return status;
}

/* Renders x as archived and compares with the files recorded (the PDF as
 * signed later, when it was). */
static enum app_status rerender(struct register_db *db, const struct register_entry *e,
                                struct snapshot *x, const struct buffer *source, struct buffer *pdf,
                                struct buffer *text, const struct app_events *events,
                                struct errors *errors)
{
    enum app_status status = render_archived(e, x, source, pdf, text, NULL, errors);
    app_fault_differs(pdf);
    const struct buffer *made[] = {pdf, text};
    const char *roles[] = {"pdf", "text"};
    for (int i = 0; i < 2 && status == APP_OK; i++) {
        const struct register_file *f =
            i == 0 && e->signed_pdf ? e->signed_pdf : file_of(e, roles[i]);
        char hex[65];
        archive_sha256(made[i]->data, made[i]->len, hex);
        size_t signatures = 0;
        if (i == 0 && f && strcmp(hex, f->sha256) != 0 &&
            signed_original(db, f, pdf, &signatures)) {
            app_note(events,
                     "%s is signed (%zu signature%s): the archived original is handed out, its "
                     "signatures checked and its unsigned revision reprinted byte for byte",
                     e->reference, signatures, signatures == 1 ? "" : "s");
            continue;
        }
        if (!f || strcmp(hex, f->sha256) != 0) {
            errors_add_at(errors, NULL, 0, 0,
                          "the reprinted %s of '%s' differs from the archived one (SHA-256 %s, "
                          "archived %s); nothing was written. It was issued with %s; this is "
                          "%s. 'missive reprint --original' hands out the archived files, "
                          "checked against the register",
                          roles[i], e->reference, hex, f ? f->sha256 : "none",
                          e->libraries ? e->libraries : "library versions not recorded",
                          versions_text());
            status = APP_PROBLEMS;
        }
    }
    return status;
}

/* Where a reprint goes unless told: the workspace's output folder when a
 * workspace is at hand, else the current folder. */
static const char *default_output(struct app *app)
{
    struct errors ignored = {0};
    const char *dir = app->options.archive && !app->pipeline ? "." : NULL;
    if (!dir) {
        const struct settings *s = app_settings(app, &ignored);
        dir = s ? s->output_dir : ".";
    }
    errors_clear(&ignored);
    return dir;
}

/* --original: the PDF and text as archived, each checked against the
 * SHA-256 and size the register recorded. */
static enum app_status originals(struct register_db *db, const struct register_entry *e,
                                 struct buffer *pdf, struct buffer *text, struct errors *errors)
{
    const struct register_file *p = e->signed_pdf ? e->signed_pdf : file_of(e, "pdf"),
                               *t = file_of(e, "text");
    if (!p || !t || register_read_file(db, p, pdf, errors) != 0 ||
        register_read_file(db, t, text, errors) != 0)
        return APP_PROBLEMS;
    return APP_OK;
}

enum app_status app_reprint(struct app *app, const char *reference, const char *output_dir,
                            bool original, const struct app_events *events, struct errors *errors)
{
    enum app_status status;
    struct register_db *db = app_register_reader(app, &status, errors);
    if (!db)
        return status;
    struct arena *arena = arena_new();
    size_t before = errors->count;
    struct register_entry *e = register_find(db, arena, reference, errors);
    const struct register_file *source = e ? file_of(e, "source") : NULL;
    struct snapshot *x = NULL;
    struct buffer pdf = {0}, text = {0}, source_bytes = {0};
    struct errors tried = {0}; /* the re-render's: notes under --original */
    if (!e && errors->count == before)
        errors_add_at(errors, NULL, 0, 0, "no reference '%s' in the register", reference);
    else if (e && !source)
        errors_add_at(errors, NULL, 0, 0,
                      "'%s' was imported without archived files: there is nothing to reprint",
                      reference);
    else if (e)
        x = read_source(db, source, &source_bytes, &tried);
    status = x && e ? rerender(db, e, x, &source_bytes, &pdf, &text, events, &tried) : APP_INPUT;
    if (status != APP_OK && original && e && source && tried.count) {
        /* Why the re-render was not used is still worth telling. */
        for (size_t i = 0; i < tried.count; i++)
            app_note(events, "%s", tried.items[i].message);
        errors_clear(&tried);
        status = originals(db, e, &pdf, &text, errors);
        if (status == APP_OK)
            app_note(events,
                     "handing out the archived files of '%s' (SHA-256 checked against the "
                     "register)",
                     reference);
    }
    errors_take(errors, &tried);
    if (status == APP_OK) {
        const char *dir = output_dir ? output_dir : default_output(app);
        struct output_file files[] = {{"pdf", &pdf}, {"txt", &text}};
        char *stem = output_safe_name(reference);
        if (output_write_all(dir, stem, files, 2, errors) != 0)
            status = APP_OUTPUT;
        struct app_letter row = {.name = reference, .file_count = 2};
        for (int i = 0; i < 2; i++)
            row.files[i] = arena_printf(arena, "%s/%s.%s", dir, stem, files[i].extension);
        if (status == APP_OK && events && events->letter)
            events->letter(events->context, &row);
        free(stem);
    }
    if (status == APP_OK && errors->count > before)
        status = APP_INPUT;
    buffer_free(&pdf);
    buffer_free(&text);
    buffer_free(&source_bytes);
    snapshot_free(x);
    arena_free(arena);
    return status;
}
