/* web_workspace.c — the workspace page: every letter and campaign in
 * letters/ with its state (what `missive status` lists), and the
 * recipients, signatories and organisations, filtered as the user types. */
#include "app.h"
#include "web_html.h"
#include "web_internal.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>

static const char *field(const struct value *map, const char *key)
{
    const struct value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING ? v->string : "";
}

/* One row: what `missive status` prints for the file, with links. */
static void letter_row(struct buffer *b, const struct app_letter_state *s)
{
    buffer_puts(b, "<tr><td><a href=\"/letter?path=");
    web_url_escape(b, s->path);
    buffer_puts(b, "\">");
    web_html_escape(b, s->path);
    buffer_puts(b, "</a></td>");
    if (!s->kind) {
        buffer_printf(b,
                      "<td colspan=\"4\" class=\"bad\">%zu error%s (open it to see where)</td>"
                      "<td><span class=\"state bad\">error</span></td></tr>\n",
                      s->error_count, s->error_count == 1 ? "" : "s");
        return;
    }
    buffer_puts(b, "<td>");
    web_html_escape(b, s->subject);
    buffer_printf(b, "</td><td>%s</td><td>", s->kind);
    bool campaign = strcmp(s->kind, "campaign") == 0;
    for (size_t i = 0; i < s->recipient_count; i++) {
        buffer_puts(b, i ? ", " : "");
        web_html_escape(b, s->recipients[i]);
        if (campaign) {
            buffer_puts(b, " (");
            web_html_escape(b, s->languages[i]);
            buffer_puts(b, ")");
        }
    }
    buffer_puts(b, "</td><td>");
    web_html_escape(b, s->date);
    bool issued = strcmp(s->state, "issued") == 0;
    buffer_printf(b, "</td><td><span class=\"state %s\">%s</span>",
                  strcmp(s->state, "draft") == 0 ? "draft" : "issued", s->state);
    for (size_t i = 0; i < s->reference_count; i++) {
        buffer_puts(b, i ? ", " : " ");
        if (issued) {
            buffer_puts(b, "<a href=\"/register/entry?ref=");
            web_url_escape(b, s->references[i]);
            buffer_puts(b, "\">");
        }
        web_html_escape(b, s->references[i]);
        if (issued)
            buffer_puts(b, "</a>");
    }
    buffer_puts(b, "</td></tr>\n");
}

/* One table of a people file: its id and the keys given. With ws, people
 * are the workspace's recipients, each made from its text. */
static void people_table(struct buffer *b, const struct web *web, const char *title,
                         const char *file, const struct workspace *ws, const struct value *people,
                         const char *const *keys, size_t key_count, const char *edit_key)
{
    struct recipient_scratch scratch = {0};
    struct errors unread = {0}; /* recipients.ini changed since it was loaded */
    buffer_printf(b, "<section><h2>%s <small>%s, %zu</small></h2>\n", title, file,
                  people ? (size_t)people->count : 0);
    buffer_puts(b, "<table class=\"searchable\"><thead><tr><th>id</th>");
    for (size_t k = 0; k < key_count; k++)
        buffer_printf(b, "<th>%s</th>", keys[k]);
    buffer_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; people && i < people->count; i++) {
        const struct value *p =
            ws ? workspace_recipient_next(ws, people->keys[i], &scratch, &unread)
               : people->items[i];
        if (!p)
            continue;
        buffer_puts(b, "<tr><td><a href=\"/source?path=");
        web_url_escape(b, file);
        buffer_printf(b, "#L%d\">", p->loc.line);
        web_html_escape(b, people->keys[i]);
        buffer_puts(b, "</a></td>");
        for (size_t k = 0; k < key_count; k++) {
            buffer_puts(b, "<td>");
            web_html_escape(b, field(p, keys[k]));
            /* Changed in place where it is written (`missive set`), when
             * that is this INI file rather than a CSV source. */
            const struct value *v = value_map_get(p, keys[k]);
            bool written = v && v->kind == VALUE_STRING && *v->string && v->loc.file;
            const char *where = written ? web_relative(web, v->loc.file) : NULL;
            if (edit_key && strcmp(keys[k], edit_key) == 0 && where && strcmp(where, file) == 0) {
                buffer_puts(b, "<a class=\"edit\" href=\"/edit?file=");
                web_url_escape(b, file);
                buffer_printf(b, "&amp;key=%s&amp;section=", edit_key);
                web_url_escape(b, people->keys[i]);
                buffer_puts(b, "\">change</a>");
            }
            buffer_puts(b, "</td>");
        }
        buffer_puts(b, "</tr>\n");
    }
    workspace_recipient_scratch_free(&scratch);
    buffer_puts(b, "</tbody></table>\n");
    web_html_errors(b, web, &unread);
    errors_clear(&unread);
    buffer_puts(b, "</section>\n");
}

void web_page_workspace(struct web_request *r, struct web_response *out)
{
    struct web *web = r->web;
    struct buffer *b = &out->body;
    web_html_begin(b, web, "Workspace");
    const struct errors *failed = NULL;
    const struct workspace *ws = NULL;
    if (!web_current(web, &ws, &failed)) {
        buffer_puts(b,
                    "<p class=\"bad\">The workspace does not load (as <code>missive check</code> "
                    "says):</p>\n");
        web_html_errors(b, web, failed);
        web_html_end(b);
        return;
    }
    buffer_puts(b, "<p class=\"where\">");
    web_html_escape(b, web->real_root);
    buffer_puts(b, "</p>\n<input id=\"search\" type=\"search\" placeholder=\"Search letters, "
                   "recipients, signatories, organisations\" autofocus>\n");
    struct app *app = web_app(web);
    struct arena *arena = arena_new();
    struct app_letters letters;
    struct errors errors = {0};
    app_letters(app, arena, &letters, &errors);
    web_html_errors(b, web, &errors);
    errors_clear(&errors);
    buffer_printf(b,
                  "<section><h2>Letters and campaigns <small>letters/, %zu · as <code>missive "
                  "status</code> lists them</small></h2>\n",
                  letters.count);
    buffer_puts(b, "<table class=\"searchable\" id=\"letters\"><thead><tr><th>file</th>"
                   "<th>subject</th><th>kind</th><th>recipients</th><th>date</th><th>state</th>"
                   "</tr></thead><tbody>\n");
    for (size_t i = 0; i < letters.count; i++)
        letter_row(b, &letters.items[i]);
    arena_free(arena);
    app_close(app);
    buffer_puts(b, "</tbody></table></section>\n");
    static const char *const recipient_keys[] = {"name", "title", "country", "language",
                                                 "salutation"};
    static const char *const signatory_keys[] = {"name", "title", "organisation"};
    static const char *const organisation_keys[] = {"short", "name"};
    people_table(b, web, "Recipients", "letters/recipients.ini", ws, ws->recipient_ids,
                 recipient_keys, 5, "salutation");
    people_table(b, web, "Signatories", "letters/signatories.ini", NULL, ws->signatories,
                 signatory_keys, 3, NULL);
    people_table(b, web, "Organisations", "letters/organisations.ini", NULL, ws->organisations,
                 organisation_keys, 2, NULL);
    web_html_end(b);
}
