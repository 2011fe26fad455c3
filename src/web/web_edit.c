/* web_edit.c — the small edits of `missive set` through a form: a value of
 * a people file of letters/ (a recipient's salutation) or a letter's
 * date. GET shows the value where it is written and the form (or why it
 * cannot be changed here); POST, CSRF-checked like every change, calls
 * app_edit with the value the form showed as the one expected, so an edit
 * made on disk meanwhile is never overwritten. */
#include "app.h"
#include "web_html.h"
#include "web_internal.h"
#include "web_path.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static void hidden(struct buffer *b, const char *name, const char *value)
{
    if (!value)
        return;
    buffer_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    web_html_escape(b, value);
    buffer_puts(b, "\">");
}

/* Where to go back to: the letter's page, else the workspace. */
static void back_link(struct buffer *b, const char *relative)
{
    if (ends_with(relative, ".xml")) {
        buffer_puts(b, "<p><a href=\"/letter?path=");
        web_url_escape(b, relative);
        buffer_puts(b, "\">Back to the letter</a></p>\n");
    } else {
        buffer_puts(b, "<p><a href=\"/\">Back to the workspace</a></p>\n");
    }
}

static void form(struct buffer *b, const struct web *web, const struct app_edit_request *q,
                 const char *relative, const struct app_edit *found, const char *value)
{
    buffer_puts(b, "<p class=\"where\">");
    web_html_escape(b, relative);
    buffer_printf(b, ":%d:%d", found->loc.line, found->loc.column);
    if (q->section) {
        buffer_puts(b, " · [");
        web_html_escape(b, q->section);
        buffer_puts(b, "]");
    }
    buffer_puts(b, " · the same as <code>missive set</code>: only this value changes, the rest of "
                   "the file stays byte for byte</p>\n<form method=\"post\" action=\"/edit\" "
                   "class=\"edit\" id=\"edit\">");
    web_html_csrf(b, web);
    hidden(b, "file", relative);
    hidden(b, "section", q->section);
    hidden(b, "key", q->key);
    hidden(b, "expect", found->old_value);
    buffer_puts(b, "<label>");
    web_html_escape(b, q->key);
    buffer_puts(b, " <input name=\"value\" id=\"value\" size=\"48\" value=\"");
    web_html_escape(b, value ? value : found->old_value);
    buffer_puts(b, "\"></label> <button id=\"save\">Save</button></form>\n");
    buffer_puts(b, "<p class=\"muted\">Now: <code>");
    web_html_escape(b, found->old_value);
    buffer_puts(b, "</code></p>\n");
}

void web_page_edit(struct web_request *r, struct web_response *out)
{
    const char *relative = web_arg(r, "file"), *section = web_arg(r, "section");
    const char *key = web_arg(r, "key");
    if (!relative || !key || strncmp(relative, "letters/", 8) != 0 ||
        !(ends_with(relative, ".ini") || ends_with(relative, ".xml"))) {
        web_fail(out, MHD_HTTP_BAD_REQUEST,
                 "which value? (?file=letters/NAME.ini&section=ID&key=KEY, or "
                 "?file=letters/NAME.xml&key=date)");
        return;
    }
    char why[1200];
    char *path = web_path_resolve(r->web, relative, why, sizeof why);
    if (!path) {
        web_fail(out, strstr(why, "no such") ? MHD_HTTP_NOT_FOUND : MHD_HTTP_FORBIDDEN, why);
        return;
    }
    struct buffer *b = &out->body;
    struct app_edit_request q = {.file = path,
                                 .contained = true,
                                 .section = section && *section ? section : NULL,
                                 .key = key,
                                 .value = r->post ? web_arg(r, "value") : NULL,
                                 .expect = r->post ? web_arg(r, "expect") : NULL};
    if (r->post && !q.value)
        q.value = "";
    struct arena *arena = arena_new();
    web_html_begin(b, r->web,
                   q.section ? arena_printf(arena, "The %s of %s", key, q.section)
                             : "The letter's date");
    struct app *app = web_app(r->web);
    struct errors errors = {0};
    struct app_edit result;
    int status = app_edit(app, &q, arena, &result, &errors);
    if (!r->post && status == APP_OK) {
        form(b, r->web, &q, relative, &result, NULL);
    } else if (!r->post) {
        web_html_errors(b, r->web, &errors);
        buffer_puts(b, "<p class=\"bad\">This value cannot be changed here; change it in the "
                       "file with an editor.</p>\n");
    } else if (status == APP_OK) {
        buffer_puts(b, "<p class=\"ok\" id=\"edited\">");
        web_html_escape(b,
                        arena_printf(arena, "%s:%d:%d: %s: '%s' -> '%s'", relative, result.loc.line,
                                     result.loc.column, key, result.old_value, q.value));
        buffer_puts(b, "</p>\n");
    } else {
        buffer_puts(b, "<p class=\"bad\" id=\"not-edited\">Nothing was written:</p>\n");
        web_html_errors(b, r->web, &errors);
        /* The form again, from the file as it is now, with what was typed. */
        struct app_edit now;
        struct errors again = {0};
        struct app_edit_request look = q;
        look.value = look.expect = NULL;
        if (app_edit(app, &look, arena, &now, &again) == APP_OK)
            form(b, r->web, &q, relative, &now, q.value);
        errors_clear(&again);
    }
    back_link(b, relative);
    errors_clear(&errors);
    arena_free(arena);
    app_close(app);
    free(path);
    web_html_end(b);
}
