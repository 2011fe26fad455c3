/* web_workspace.c — the workspace page: every letter and campaign in
 * letters/ with its state, and the recipients, signatories and
 * organisations, filtered as the user types. */
#include "app.h"
#include "campaign.h"
#include "letter.h"
#include "pipeline.h"
#include "web_html.h"
#include "web_internal.h"
#include "workspace.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char *field(const struct value *map, const char *key)
{
    const struct value *v = value_map_get(map, key);
    return v && v->kind == VALUE_STRING ? v->string : "";
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The letter files of letters/, sorted (caller frees each and the array). */
static char **letter_files(const struct web *web, size_t *count)
{
    *count = 0;
    char *dir = web_join(web, "letters");
    DIR *d = opendir(dir);
    free(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0)
            continue;
        names = xrealloc(names, (*count + 1) * sizeof *names);
        size_t size = n + 16;
        names[*count] = xmalloc(size);
        snprintf(names[(*count)++], size, "letters/%s", e->d_name);
    }
    closedir(d);
    if (*count)
        qsort(names, *count, sizeof *names, compare_names);
    return names;
}

/* The register's entries, to tell which letters were issued. */
struct issued {
    struct register_entry **entries;
    long count;
};

/* The register does not record the file an entry came from: a letter
 * counts as issued by the entries with its subject, date and recipient
 * (one of its variants' for a campaign) that are not void. */
static void issued_state(struct buffer *b, const struct issued *reg, const struct letter *letter,
                         const struct campaign *c)
{
    size_t found = 0;
    for (long i = 0; i < reg->count; i++) {
        const struct register_entry *e = reg->entries[i];
        if (e->voided_at || !e->subject || !e->letter_date || !e->recipient_id ||
            strcmp(e->subject, letter->subject) != 0 || strcmp(e->letter_date, letter->date) != 0)
            continue;
        bool theirs =
            !c && letter->recipient.id && strcmp(e->recipient_id, letter->recipient.id) == 0;
        for (size_t k = 0; c && k < c->count && !theirs; k++)
            theirs = strcmp(e->recipient_id, c->variants[k].recipient) == 0;
        if (!theirs)
            continue;
        buffer_puts(b, found++ ? ", " : "<span class=\"state issued\">issued</span> ");
        buffer_puts(b, "<a href=\"/register/entry?ref=");
        web_url_escape(b, e->reference);
        buffer_puts(b, "\">");
        web_html_escape(b, e->reference);
        buffer_puts(b, "</a>");
    }
    if (found)
        return;
    if (letter->reference) {
        buffer_puts(b, "<span class=\"state issued\">numbered</span> ");
        web_html_escape(b, letter->reference);
    } else {
        buffer_puts(b, "<span class=\"state draft\">draft</span>");
    }
}

static void letter_row(struct buffer *b, const struct web *web, const struct workspace *ws,
                       const struct issued *reg, const char *relative)
{
    struct errors errors = {0};
    char *path = web_join(web, relative);
    struct letter *letter = letter_load(path, &errors);
    buffer_puts(b, "<tr><td><a href=\"/letter?path=");
    web_url_escape(b, relative);
    buffer_puts(b, "\">");
    web_html_escape(b, relative);
    buffer_puts(b, "</a></td>");
    if (!letter) {
        buffer_printf(b,
                      "<td colspan=\"4\" class=\"bad\">%zu error%s (open it to see where)</td>"
                      "<td><span class=\"state bad\">error</span></td></tr>\n",
                      errors.count, errors.count == 1 ? "" : "s");
        errors_clear(&errors);
        free(path);
        return;
    }
    bool campaign = campaign_is(letter);
    buffer_puts(b, "<td>");
    web_html_escape(b, letter->subject);
    buffer_puts(b, "</td><td>");
    buffer_puts(b, campaign ? "campaign" : letter->petition ? "petition" : "letter");
    buffer_puts(b, "</td><td>");
    struct campaign *c = campaign ? campaign_plan(ws, letter, NULL, &errors) : NULL;
    if (campaign) {
        for (size_t i = 0; c && i < c->count; i++) {
            buffer_puts(b, i ? ", " : "");
            web_html_escape(b, c->variants[i].recipient);
            buffer_puts(b, " (");
            web_html_escape(b, c->variants[i].language);
            buffer_puts(b, ")");
        }
    } else {
        web_html_escape(b, letter->recipient.id);
    }
    buffer_puts(b, "</td><td>");
    web_html_escape(b, letter->date);
    buffer_puts(b, "</td><td>");
    issued_state(b, reg, letter, c);
    campaign_free(c);
    buffer_puts(b, "</td></tr>\n");
    errors_clear(&errors);
    letter_free(letter);
    free(path);
}

/* One table of a people file: its id and the keys given. */
static void people_table(struct buffer *b, const char *title, const char *file,
                         const struct value *people, const char *const *keys, size_t key_count)
{
    buffer_printf(b, "<section><h2>%s <small>%s, %zu</small></h2>\n", title, file,
                  people ? (size_t)people->count : 0);
    buffer_puts(b, "<table class=\"searchable\"><thead><tr><th>id</th>");
    for (size_t k = 0; k < key_count; k++)
        buffer_printf(b, "<th>%s</th>", keys[k]);
    buffer_puts(b, "</tr></thead><tbody>\n");
    for (size_t i = 0; people && i < people->count; i++) {
        const struct value *p = people->items[i];
        buffer_puts(b, "<tr><td><a href=\"/source?path=");
        web_url_escape(b, file);
        buffer_printf(b, "#L%d\">", p->loc.line);
        web_html_escape(b, people->keys[i]);
        buffer_puts(b, "</a></td>");
        for (size_t k = 0; k < key_count; k++) {
            buffer_puts(b, "<td>");
            web_html_escape(b, field(p, keys[k]));
            buffer_puts(b, "</td>");
        }
        buffer_puts(b, "</tr>\n");
    }
    buffer_puts(b, "</tbody></table></section>\n");
}

void web_page_workspace(struct web_request *r, struct web_response *out)
{
    struct web *web = r->web;
    struct buffer *b = &out->body;
    web_html_begin(b, web, "Workspace");
    const struct errors *failed = NULL;
    struct pipeline *pipeline = web_pipeline(web, &failed);
    if (!pipeline) {
        buffer_puts(b,
                    "<p class=\"bad\">The workspace does not load (as <code>missive check</code> "
                    "says):</p>\n");
        web_html_errors(b, web, failed);
        web_html_end(b);
        return;
    }
    const struct workspace *ws = pipeline_workspace(pipeline);
    buffer_puts(b, "<p class=\"where\">");
    web_html_escape(b, web->real_root);
    buffer_puts(b, "</p>\n<input id=\"search\" type=\"search\" placeholder=\"Search letters, "
                   "recipients, signatories, organisations\" autofocus>\n");
    size_t count = 0;
    char **files = letter_files(web, &count);
    buffer_printf(b, "<section><h2>Letters and campaigns <small>letters/, %zu</small></h2>\n",
                  count);
    buffer_puts(b, "<table class=\"searchable\" id=\"letters\"><thead><tr><th>file</th>"
                   "<th>subject</th><th>kind</th><th>recipients</th><th>date</th><th>state</th>"
                   "</tr></thead><tbody>\n");
    /* No register yet (nothing issued) is no error here. */
    struct app *app = web_app(web);
    struct arena *arena = arena_new();
    struct issued reg = {0};
    struct errors ignored = {0};
    if (app_register_list(app, &(struct register_filter){0}, arena, &reg.entries, &reg.count,
                          &ignored) != APP_OK)
        reg.count = 0;
    errors_clear(&ignored);
    for (size_t i = 0; i < count; i++) {
        letter_row(b, web, ws, &reg, files[i]);
        free(files[i]);
    }
    free(files);
    arena_free(arena);
    app_close(app);
    buffer_puts(b, "</tbody></table></section>\n");
    static const char *const recipient_keys[] = {"name", "title", "country", "language",
                                                 "salutation"};
    static const char *const signatory_keys[] = {"name", "title", "organisation"};
    static const char *const organisation_keys[] = {"short", "name"};
    people_table(b, "Recipients", "letters/recipients.ini", ws->recipients, recipient_keys, 5);
    people_table(b, "Signatories", "letters/signatories.ini", ws->signatories, signatory_keys, 3);
    people_table(b, "Organisations", "letters/organisations.ini", ws->organisations,
                 organisation_keys, 2);
    web_html_end(b);
}
