/* web_issue.c — issuing from the page, in two steps. GET /issue shows
 * what `missive issue --dry-run` says: every letter with the reference it
 * would get now and the files that would be archived, and a form with a
 * fresh idempotency token. POST /issue issues through app_issue, as
 * `missive issue` does, once per token: a second click (or a reload, or a
 * request replayed) shows the first result and issues nothing. A
 * confirmation is refused when the workspace changed since it was shown. */
#include "app.h"
#include "arena.h"
#include "web_html.h"
#include "web_internal.h"
#include "web_path.h"
#include "web_watch.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

/* Confirmations kept: old unused ones go first. */
enum { KEEP = 256 };

/* What app_issue told, as table rows. */
struct told {
    struct buffer rows;
    size_t count;
    bool issued; /* link each reference to its register entry */
};

static void tell_letter(void *context, const struct app_letter *l)
{
    struct told *t = context;
    struct buffer *b = &t->rows;
    t->count++;
    buffer_puts(b, "<tr><td class=\"reference\">");
    if (t->issued) {
        buffer_puts(b, "<a href=\"/register/entry?ref=");
        web_url_escape(b, l->name);
        buffer_puts(b, "\">");
    }
    web_html_escape(b, l->name);
    buffer_puts(b, t->issued ? "</a></td><td>" : "</td><td>");
    web_html_escape(b, l->recipient);
    buffer_puts(b, "</td><td>");
    web_html_escape(b, l->language);
    buffer_puts(b, "</td><td class=\"files\">");
    for (size_t i = 0; i < l->file_count; i++) {
        buffer_puts(b, i ? "<br>" : "");
        web_html_escape(b, l->files[i]);
    }
    buffer_puts(b, "</td></tr>\n");
}

static void tell_note(void *context, const char *message)
{
    struct told *t = context;
    (void)t;
    (void)message; /* a recovered leftover: the register page's verify shows those */
}

static void table(struct buffer *b, const struct told *t, const char *id)
{
    buffer_printf(b,
                  "<table id=\"%s\"><thead><tr><th>reference</th><th>recipient</th>"
                  "<th>language</th><th>archived as</th></tr></thead><tbody>\n",
                  id);
    buffer_append(b, t->rows.data ? t->rows.data : "", t->rows.len);
    buffer_puts(b, "</tbody></table>\n");
}

/* Runs app_issue for path (a dry run or the real one) with a fresh app, as
 * one run of the command. */
static int run_issue(struct web *web, const char *path, bool dry_run, struct told *t,
                     struct errors *errors)
{
    struct app *app = web_app(web);
    struct app_issue_options o = {.dry_run = dry_run};
    struct app_events events = {.context = t, .letter = tell_letter, .note = tell_note};
    int status = app_issue(app, path, &o, &events, errors);
    app_close(app);
    return status;
}

static struct web_issue *find(struct web *web, const char *token)
{
    for (size_t i = 0; token && i < web->issue_count; i++)
        if (strcmp(web->issues[i].token, token) == 0)
            return &web->issues[i];
    return NULL;
}

static struct web_issue *remember(struct web *web, const char *path)
{
    if (web->issue_count == KEEP) {
        /* The oldest confirmation not used; used ones keep their result. */
        size_t k = 0;
        while (k < web->issue_count && web->issues[k].result)
            k++;
        k = k < web->issue_count ? k : 0;
        free(web->issues[k].path);
        free(web->issues[k].result);
        memmove(&web->issues[k], &web->issues[k + 1],
                (web->issue_count - k - 1) * sizeof *web->issues);
        web->issue_count--;
    }
    web->issues = xrealloc(web->issues, (web->issue_count + 1) * sizeof *web->issues);
    struct web_issue *is = &web->issues[web->issue_count++];
    *is = (struct web_issue){.path = xstrdup(path), .stamp = web_watch_stamp(web->root)};
    if (web_random_hex(is->token, 16) != 0) {
        web->issue_count--;
        free(is->path);
        return NULL;
    }
    return is;
}

void web_issues_free(struct web *web)
{
    for (size_t i = 0; i < web->issue_count; i++) {
        free(web->issues[i].path);
        free(web->issues[i].result);
    }
    free(web->issues);
}

/* The letter a request names; NULL with the response filled when it is
 * not a file of the workspace. */
static char *letter_of(struct web_request *r, struct web_response *out)
{
    const char *relative = web_arg(r, "path");
    char why[1200];
    char *path = relative ? web_path_resolve(r->web, relative, why, sizeof why) : NULL;
    if (!path)
        web_fail(out, relative ? MHD_HTTP_FORBIDDEN : MHD_HTTP_BAD_REQUEST,
                 relative ? why : "which letter? (?path=letters/NAME.xml)");
    return path;
}

void web_page_confirm(struct web_request *r, struct web_response *out)
{
    if (r->post) {
        web_page_issue(r, out);
        return;
    }
    char *path = letter_of(r, out);
    if (!path)
        return;
    struct web *web = r->web;
    const char *relative = web_arg(r, "path");
    struct buffer *b = &out->body;
    web_html_begin(b, web, "Issue");
    struct told t = {0};
    struct errors errors = {0};
    int status = run_issue(web, path, true, &t, &errors);
    buffer_puts(b, "<p class=\"where\"><a href=\"/letter?path=");
    web_url_escape(b, relative);
    buffer_puts(b, "\">");
    web_html_escape(b, relative);
    buffer_puts(b, "</a></p>\n");
    struct web_issue *is = status == APP_OK ? remember(web, path) : NULL;
    if (!is) {
        buffer_puts(b, "<p class=\"bad\">It cannot be issued as it is (as <code>missive issue "
                       "--dry-run</code> says):</p>\n");
        web_html_errors(b, web, &errors);
    } else {
        buffer_printf(b,
                      "<div class=\"box\"><p>Issuing gives %s the next number%s of its "
                      "series and archives it for good: the number is never used again, "
                      "even if the letter is voided later.</p>\n",
                      t.count == 1 ? "this letter" : "each of these letters",
                      t.count == 1 ? "" : "s");
        table(b, &t, "plan");
        buffer_puts(b, "<p class=\"where\">Beside each PDF, text and merged source, the fonts and "
                       "images they use are kept in the archive's blobs/, by SHA-256. The "
                       "numbers are the next ones now; should another issue take one first, "
                       "the letter gets the next free one, and the result says which.</p>\n");
        buffer_puts(b, "<form method=\"post\" action=\"/issue\">");
        web_html_csrf(b, web);
        buffer_puts(b, "<input type=\"hidden\" name=\"path\" value=\"");
        web_html_escape(b, relative);
        buffer_printf(b, "\"><input type=\"hidden\" name=\"token\" value=\"%s\">", is->token);
        buffer_puts(b, "<button id=\"confirm\">Issue</button> <a href=\"/letter?path=");
        web_url_escape(b, relative);
        buffer_puts(b, "\">Cancel</a></form></div>\n");
    }
    errors_clear(&errors);
    buffer_free(&t.rows);
    web_html_end(b);
    free(path);
}

void web_page_issue(struct web_request *r, struct web_response *out)
{
    struct web *web = r->web;
    char *path = letter_of(r, out);
    if (!path)
        return;
    struct web_issue *is = find(web, web_arg(r, "token"));
    if (!is || strcmp(is->path, path) != 0) {
        web_fail(out, MHD_HTTP_BAD_REQUEST,
                 "this confirmation is not one this server showed (it was restarted?): open "
                 "the letter and issue it again");
    } else if (is->result) {
        /* Issued already, by this very confirmation: show what it gave. */
    } else if (web_watch_stamp(web->root) != is->stamp) {
        out->status = MHD_HTTP_CONFLICT;
        struct buffer *b = &out->body;
        web_html_begin(b, web, "Not issued");
        buffer_puts(b, "<p class=\"bad\" id=\"changed\">The letter or the workspace changed "
                       "since this confirmation was shown, so it may no longer be what you "
                       "confirmed. Nothing was issued.</p><p><a href=\"/issue?path=");
        web_url_escape(b, web_arg(r, "path"));
        buffer_puts(b, "\">Review it again</a></p>\n");
        web_html_end(b);
    } else {
        struct told t = {.issued = true};
        struct errors errors = {0};
        int status = run_issue(web, path, false, &t, &errors);
        struct buffer b = {0};
        if (status == APP_OK) {
            buffer_printf(&b, "<p class=\"ok\" id=\"issued\">Issued %zu letter%s.</p>\n", t.count,
                          t.count == 1 ? "" : "s");
            table(&b, &t, "result");
        } else {
            buffer_puts(&b, "<p class=\"bad\" id=\"not-issued\">Nothing was issued:</p>\n");
        }
        web_html_errors(&b, web, &errors);
        /* Kept even when it failed: a second click must not retry behind
         * the user's back. */
        is->result = xstrdup(b.data);
        buffer_free(&b);
        buffer_free(&t.rows);
        errors_clear(&errors);
    }
    if (is && is->result && !out->body.len) {
        struct buffer location = {0};
        buffer_printf(&location, "/issued?token=%s", is->token);
        out->location = location.data;
    }
    free(path);
}

void web_page_issued(struct web_request *r, struct web_response *out)
{
    struct web_issue *is = find(r->web, web_arg(r, "token"));
    if (!is || !is->result) {
        web_fail(out, MHD_HTTP_NOT_FOUND, "no such issue");
        return;
    }
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, "Issued");
    buffer_puts(b, is->result);
    buffer_puts(b, "<p><a href=\"/register\">The register</a></p>\n");
    web_html_end(b);
}
