/* web_register.c — the register's pages: the list with the filters of
 * `missive register list` (year, series, language, country, office,
 * recipient, signatory, text), an entry as `register show` gives it (and
 * its PDF's signatures as `verify-pdf` checks them), verify, and the
 * download of its archived files (checked against the SHA-256 the register
 * recorded). Each request opens the application layer afresh, as one run
 * of the command does, so what it answers is what the command answers. */
#include "app.h"
#include "arena.h"
#include "buffer.h"
#include "web_html.h"
#include "web_internal.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

struct app *web_app(const struct web *web)
{
    return app_open(&(struct app_options){.workspace = web->root});
}

static void filter_field(struct buffer *b, const struct web_request *r, const char *name,
                         const char *label, const char *hint)
{
    buffer_printf(b, "<label>%s<input name=\"%s\" value=\"", label, name);
    web_html_escape(b, web_arg(r, name));
    buffer_printf(b, "\" placeholder=\"%s\" size=\"%d\"></label>\n", hint,
                  strlen(hint) > 8 ? 14 : 7);
}

/* The filter of the request: empty fields mean any, as options left out. */
static int read_filter(const struct web_request *r, struct register_filter *f, struct buffer *b)
{
    *f = (struct register_filter){0};
    const char *year = web_arg(r, "year");
    if (year && *year) {
        char *end = NULL;
        long v = strtol(year, &end, 10);
        if (*end || v < 1 || v > 9999) {
            buffer_puts(b, "<ul class=\"errors\"><li class=\"error\">missive: error: --year "
                           "takes a year such as 2011, not '");
            web_html_escape(b, year);
            buffer_puts(b, "'</li></ul>\n");
            return -1;
        }
        f->year = (int)v;
    }
#define TAKE(field, name)                                                                          \
    do {                                                                                           \
        const char *v = web_arg(r, name);                                                          \
        f->field = v && *v ? v : NULL;                                                             \
    } while (0)
    TAKE(country, "country");
    TAKE(language, "language");
    TAKE(recipient, "recipient");
    TAKE(signatory, "signatory");
    TAKE(text, "search");
    TAKE(series, "series");
    TAKE(office, "office");
#undef TAKE
    return 0;
}

static void entry_link(struct buffer *b, const char *reference)
{
    buffer_puts(b, "<a href=\"/register/entry?ref=");
    web_url_escape(b, reference);
    buffer_puts(b, "\">");
    web_html_escape(b, reference);
    buffer_puts(b, "</a>");
}

void web_page_register(struct web_request *r, struct web_response *out)
{
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, "Register");
    buffer_puts(b, "<form class=\"filters\" method=\"get\" action=\"/register\">\n");
    filter_field(b, r, "year", "year", "2011");
    filter_field(b, r, "series", "series", "LT");
    filter_field(b, r, "language", "language", "en");
    filter_field(b, r, "country", "country", "KZ");
    filter_field(b, r, "office", "office", "GVA");
    filter_field(b, r, "recipient", "recipient", "id or name");
    filter_field(b, r, "signatory", "signatory", "id or name");
    filter_field(b, r, "search", "subject", "words");
    buffer_puts(b, "<button>Filter</button></form>\n<form class=\"inline\" method=\"post\" "
                   "action=\"/register/verify\">");
    web_html_csrf(b, r->web);
    buffer_puts(b, "<button class=\"secondary\" id=\"verify\">Verify the register and archive"
                   "</button></form>\n");
    struct register_filter filter;
    if (read_filter(r, &filter, b) != 0) {
        web_html_end(b);
        return;
    }
    struct app *app = web_app(r->web);
    struct arena *arena = arena_new();
    struct register_entry **entries = NULL;
    struct errors errors = {0};
    long count = 0;
    int status = app_register_list(app, &filter, arena, &entries, &count, &errors);
    web_html_errors(b, r->web, &errors);
    errors_clear(&errors);
    const char *archive_dir = app_archive_dir(app, &errors);
    errors_clear(&errors);
    if (status == APP_OK) {
        buffer_printf(b, "<p class=\"where\">%ld entr%s in ", count, count == 1 ? "y" : "ies");
        web_html_escape(b, archive_dir);
        buffer_puts(b, " · the same as <code>missive register list</code> with these options</p>\n"
                       "<table id=\"register\"><thead><tr><th>reference</th><th>date</th>"
                       "<th>language</th><th>country</th><th>recipient</th><th>subject</th>"
                       "<th>state</th></tr></thead><tbody>\n");
    }
    for (long i = 0; i < count; i++) {
        const struct register_entry *e = entries[i];
        buffer_puts(b, "<tr><td>");
        entry_link(b, e->reference);
        const char *cells[] = {e->letter_date, e->language, e->country, e->recipient_name,
                               e->subject};
        for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
            buffer_puts(b, "</td><td>");
            web_html_escape(b, or_dash(cells[k]));
        }
        buffer_puts(b, "</td><td>");
        if (e->voided_at) {
            buffer_puts(b, "<span class=\"state bad\">void</span> ");
            web_html_escape(b, e->void_reason);
        } else {
            buffer_printf(b, "<span class=\"state issued\">%s</span>",
                          strcmp(e->event, "import") == 0 ? "imported" : "issued");
        }
        buffer_puts(b, "</td></tr>\n");
    }
    if (status == APP_OK)
        buffer_puts(b, "</tbody></table>\n");
    arena_free(arena);
    app_close(app);
    web_html_end(b);
}
static void row(struct buffer *b, const char *name, const char *value)
{
    buffer_printf(b, "<dt>%s</dt><dd>", name);
    web_html_escape(b, or_dash(value));
    buffer_puts(b, "</dd>");
}

/* The signatures of a signed archived PDF, in the words of `missive
 * verify-pdf` (its lines without the file name); nothing when the PDF
 * carries none. Returns how many it carries, or -1 when it cannot be
 * read or is not the one recorded. */
static long signatures(struct buffer *b, struct app *app, struct arena *arena,
                       const struct register_entry *e)
{
    struct app_pdf_signatures report = {0};
    struct errors errors = {0};
    enum app_status status = app_register_signatures(app, e->reference, arena, &report, &errors);
    if (status == APP_PROBLEMS) {
        /* The archived PDF is not the one the register recorded: its
         * signatures prove nothing about the letter issued. */
        buffer_puts(b, "<h2>Signatures</h2>\n<ul class=\"signatures\" id=\"signatures\">\n");
        for (size_t i = 0; i < errors.count; i++) {
            buffer_puts(b, "<li class=\"error\">error: ");
            web_html_escape(b, errors.items[i].message);
            buffer_puts(b, "</li>\n");
        }
        buffer_puts(b, "</ul>\n");
    }
    if (status != APP_OK || report.count == 0) {
        errors_clear(&errors);
        return status == APP_OK ? 0 : -1;
    }
    buffer_puts(b, "<h2>Signatures <small>as <code>missive verify-pdf</code> checks them</small>"
                   "</h2>\n<ul class=\"signatures\" id=\"signatures\">\n");
    for (size_t i = 0; i < report.count; i++) {
        const struct app_signature *g = &report.items[i];
        bool holds = g->valid && (!report.trust_checked || g->trusted) && !g->problem &&
                     (!g->timestamped || g->timestamp_valid);
        char *line = arena_printf(
            arena, "signature %zu of %zu: %s (%s): %s%s%s%s%s%s%s", i + 1, report.count, g->signer,
            g->field, g->valid ? "valid" : "NOT VALID", g->valid ? ", " : "",
            !g->valid               ? ""
            : !report.trust_checked ? "trust not checked (no trust store)"
            : g->trusted            ? "trusted"
                                    : "NOT TRUSTED",
            g->timestamped ? ", timestamp " : "",
            g->timestamped ? (g->timestamp_time ? g->timestamp_time : "(unreadable)") : "",
            g->timestamped ? (g->timestamp_valid ? " valid" : " NOT VALID") : "",
            g->whole_file ? ", covers the whole file" : "");
        buffer_printf(b, "<li class=\"%s\">", holds ? "ok" : "bad");
        web_html_escape(b, line);
        buffer_puts(b, "</li>\n");
    }
    for (size_t i = 0; i < report.count; i++) {
        if (!report.items[i].problem)
            continue;
        buffer_puts(b, "<li class=\"error\">");
        web_html_escape(b, arena_printf(arena, "error: signature %zu (%s): %s", i + 1,
                                        report.items[i].signer, report.items[i].problem));
        buffer_puts(b, "</li>\n");
    }
    if (!report.items[report.count - 1].whole_file)
        buffer_puts(b,
                    "<li class=\"error\">error: bytes were added after the last signature</li>\n");
    buffer_puts(b, "</ul>\n");
    return (long)report.count;
}

static void entry_files(struct buffer *b, const struct register_entry *e)
{
    buffer_puts(b, "<h2>Archived files</h2><table id=\"files\"><thead><tr><th>role</th>"
                   "<th>file</th><th>bytes</th><th>SHA-256</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < e->file_count; i++) {
        const struct register_file *f = &e->files[i];
        buffer_puts(b, "<tr><td>");
        web_html_escape(b, f->role);
        buffer_puts(b, "</td><td><a href=\"/register/file?ref=");
        web_url_escape(b, e->reference);
        buffer_puts(b, "&amp;role=");
        web_url_escape(b, f->role);
        buffer_puts(b, "\">");
        web_html_escape(b, f->path);
        buffer_printf(b, "</a></td><td>%lld</td><td><code>", f->size);
        web_html_escape(b, f->sha256);
        buffer_puts(b, "</code></td></tr>\n");
    }
    buffer_puts(b, "</tbody></table>\n");
}

/* What `missive register show REF` prints, row for row (the files in
 * their own table). */
static void entry_facts(struct buffer *b, struct arena *arena, const struct register_entry *e)
{
    buffer_puts(b, "<dl class=\"facts\" id=\"entry\">");
    row(b, "reference", e->reference);
    char *status =
        arena_printf(arena, "void since %s: %s", or_dash(e->voided_at), or_dash(e->void_reason));
    row(b, "status", e->voided_at ? status : "issued");
    row(b, "origin", strcmp(e->event, "import") == 0 ? "imported" : "numbered");
    row(b, "scope", e->scope);
    if (e->office)
        row(b, "office", e->office);
    row(b, "sequence", arena_printf(arena, "%lld", e->seq));
    row(b, "recorded at", e->recorded_at);
    row(b, "letter date", e->letter_date);
    row(b, "language", e->language);
    row(b, "series", e->series);
    row(b, "recipient",
        arena_printf(arena, "%s (%s, %s)", or_dash(e->recipient_name), or_dash(e->recipient_id),
                     or_dash(e->country)));
    row(b, "subject", e->subject);
    for (size_t i = 0; i < e->signatory_count; i++)
        row(b, i ? "" : "signatories",
            arena_printf(arena, "%s (%s)", e->signatories[i].name, or_dash(e->signatories[i].id)));
    row(b, "template", e->template_name);
    if (e->libraries)
        row(b, "made with", e->libraries);
    row(b, "entry", arena_printf(arena, "%lld, hash %s", e->id, e->hash));
    buffer_puts(b, "</dl>\n");
}

void web_page_entry(struct web_request *r, struct web_response *out)
{
    const char *reference = web_arg(r, "ref");
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, reference ? reference : "Register entry");
    if (!reference) {
        web_html_end(b);
        return;
    }
    struct app *app = web_app(r->web);
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct register_entry *e = NULL;
    app_register_show(app, reference, arena, &e, &errors);
    web_html_errors(b, r->web, &errors);
    errors_clear(&errors);
    if (e) {
        entry_facts(b, arena, e);
        entry_files(b, e);
        long signed_by = signatures(b, app, arena, e);
        /* Signing later (`missive sign`): while a signatory has not signed,
         * whoever holds their key here may. */
        if (!e->voided_at && signed_by >= 0 && (size_t)signed_by < e->signatory_count) {
            buffer_puts(b, "<form method=\"post\" action=\"/register/sign\">");
            web_html_csrf(b, r->web);
            buffer_puts(b, "<input type=\"hidden\" name=\"ref\" value=\"");
            web_html_escape(b, e->reference);
            buffer_printf(b,
                          "\"><p>%ld of %zu signatories signed this letter. <button id=\"sign\">"
                          "Sign with the keys configured here</button></p></form>\n",
                          signed_by, e->signatory_count);
        }
        buffer_puts(b, "<form method=\"post\" action=\"/register/reprint\">");
        web_html_csrf(b, r->web);
        buffer_puts(b, "<input type=\"hidden\" name=\"ref\" value=\"");
        web_html_escape(b, e->reference);
        buffer_puts(b, "\"><p><button class=\"secondary\" id=\"reprint\">Reprint into the "
                       "output folder</button></p></form>\n");
    }
    arena_free(arena);
    app_close(app);
    web_html_end(b);
}

void web_page_archived(struct web_request *r, struct web_response *out)
{
    const char *reference = web_arg(r, "ref"), *role = web_arg(r, "role");
    if (!reference || !role) {
        web_fail(out, MHD_HTTP_NOT_FOUND, "no such archived file");
        return;
    }
    struct app *app = web_app(r->web);
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct buffer data = {0};
    const char *name = NULL;
    enum app_status status = app_register_file(app, reference, role, arena, &data, &name, &errors);
    if (status == APP_PROBLEMS) {
        web_fail(out, MHD_HTTP_CONFLICT,
                 "the archived file no longer matches the register (run missive register verify)");
    } else if (status != APP_OK) {
        web_fail(out, MHD_HTTP_NOT_FOUND, "no such archived file");
    } else {
        bool pdf = strcmp(role, "pdf") == 0;
        out->type = pdf ? "application/pdf" : "text/plain; charset=utf-8";
        out->disposition = xstrdup(
            arena_printf(arena, "%s; filename=\"%s\"", pdf ? "inline" : "attachment", name));
        buffer_append(&out->body, data.data, data.len);
    }
    buffer_free(&data);
    errors_clear(&errors);
    arena_free(arena);
    app_close(app);
}

/* `missive register verify`: the same steps under the register's lock
 * (what an interrupted issue left is removed first), the same lines. */
static void verify_note(void *context, const char *message)
{
    struct buffer *b = context;
    buffer_puts(b, "<li>missive: note: ");
    web_html_escape(b, message);
    buffer_puts(b, "</li>\n");
}

void web_page_verify(struct web_request *r, struct web_response *out)
{
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, "Verify the register");
    struct app *app = web_app(r->web);
    struct errors errors = {0};
    struct buffer notes = {0};
    struct app_events events = {.context = &notes, .note = verify_note};
    struct app_verify v;
    int status = app_register_verify(app, &events, &v, &errors);
    const char *dir = app_archive_dir(app, &errors);
    if (notes.len) {
        buffer_puts(b, "<ul class=\"notes\">\n");
        buffer_append(b, notes.data, notes.len);
        buffer_puts(b, "</ul>\n");
    }
    web_html_errors(b, r->web, &errors);
    if (status == APP_PROBLEMS) {
        buffer_printf(b,
                      "<p class=\"bad\" id=\"verify-result\">missive: register verify found %ld "
                      "problem%s in ",
                      v.problems, v.problems == 1 ? "" : "s");
        web_html_escape(b, dir);
        buffer_puts(b, "</p>\n");
    } else if (status == APP_OK) {
        buffer_puts(b, "<p class=\"ok\" id=\"verify-result\">");
        web_html_escape(b, dir);
        buffer_printf(b, ": %lld entr%s, head %s: ok</p>\n", v.entries,
                      v.entries == 1 ? "y" : "ies", v.head);
    }
    buffer_puts(b, "<p><a href=\"/register\">Back to the register</a></p>\n");
    buffer_free(&notes);
    errors_clear(&errors);
    app_close(app);
    web_html_end(b);
}

static void reprinted(void *context, const struct app_letter *letter)
{
    struct buffer *b = context;
    for (size_t i = 0; i < letter->file_count; i++) {
        buffer_puts(b, "<li>");
        web_html_escape(b, letter->files[i]);
        buffer_puts(b, "</li>\n");
    }
}

/* `missive reprint REF`: the letter rendered again from the archive into
 * the workspace's output folder, only when it is byte for byte the
 * archived one. */
void web_page_reprint(struct web_request *r, struct web_response *out)
{
    const char *reference = web_arg(r, "ref");
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, "Reprint");
    struct app *app = web_app(r->web);
    struct errors errors = {0};
    struct buffer files = {0};
    struct app_events events = {.context = &files, .letter = reprinted};
    int status = reference ? app_reprint(app, reference, NULL, false, &events, &errors) : APP_USAGE;
    if (status == APP_OK) {
        buffer_puts(b, "<p class=\"ok\" id=\"reprinted\">");
        web_html_escape(b, reference);
        buffer_puts(b, ": reprinted, byte for byte the archived letter:</p>\n<ul id=\"files\">\n");
        buffer_append(b, files.data ? files.data : "", files.len);
        buffer_puts(b, "</ul>\n");
    } else {
        buffer_puts(b, "<p class=\"bad\" id=\"not-reprinted\">Nothing was written:</p>\n");
    }
    web_html_errors(b, r->web, &errors);
    buffer_puts(b, "<p><a href=\"/register/entry?ref=");
    web_url_escape(b, reference);
    buffer_puts(b, "\">Back to the entry</a></p>\n");
    buffer_free(&files);
    errors_clear(&errors);
    app_close(app);
    web_html_end(b);
}

/* `missive sign REF`: the signatures of those who have not signed yet and
 * whose keys are configured here (passphrases from the environment or
 * [passphrases]), recorded in the register with the signed PDF. */
void web_page_sign(struct web_request *r, struct web_response *out)
{
    const char *reference = web_arg(r, "ref");
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, "Sign");
    struct app *app = web_app(r->web);
    struct errors errors = {0};
    struct arena *arena = arena_new();
    struct app_signed done;
    struct app_events events = {0};
    int status =
        reference ? app_sign_issued(app, reference, arena, &done, &events, &errors) : APP_USAGE;
    if (status == APP_OK) {
        buffer_puts(b, "<p class=\"ok\" id=\"signed\">");
        web_html_escape(b, arena_printf(arena,
                                        "%s: signed by %s (%zu signature%s now, %zu "
                                        "signator%s)",
                                        done.reference, done.names, done.signatures,
                                        done.signatures == 1 ? "" : "s", done.signatories,
                                        done.signatories == 1 ? "y" : "ies"));
        buffer_puts(b, "</p>\n");
    } else {
        buffer_puts(b, "<p class=\"bad\" id=\"not-signed\">Nothing was signed:</p>\n");
    }
    web_html_errors(b, r->web, &errors);
    buffer_puts(b, "<p><a href=\"/register/entry?ref=");
    web_url_escape(b, reference ? reference : "");
    buffer_puts(b, "\">Back to the entry</a></p>\n");
    errors_clear(&errors);
    arena_free(arena);
    app_close(app);
    web_html_end(b);
}
