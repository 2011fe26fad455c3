/* web_letter.c — a letter's page: what it is (template, recipient,
 * signatories, a campaign's variants), its check result with every error
 * at its file and line, its pages as images and its text side by side;
 * plus the same as JSON for the page's live refresh, the page images,
 * the PDF, and any workspace file shown with line numbers. */
#include "campaign.h"
#include "letter.h"
#include "path.h"
#include "web_html.h"
#include "web_internal.h"
#include "web_path.h"
#include "web_preview.h"
#include "workspace.h"

#include <jansson.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

/* The letter a request names (?path=letters/x.xml), checked to be a file
 * of the workspace; NULL with the response filled when it is not. */
static char *letter_path(struct web_request *r, struct web_response *out)
{
    const char *relative = web_arg(r, "path");
    char why[1200];
    char *path = relative ? web_path_resolve(r->web, relative, why, sizeof why) : NULL;
    if (!relative)
        web_fail(out, MHD_HTTP_BAD_REQUEST, "which file? (?path=letters/NAME.xml)");
    else if (!path)
        web_fail(out, strstr(why, "no such") ? MHD_HTTP_NOT_FOUND : MHD_HTTP_FORBIDDEN, why);
    return path;
}

static int variant_of(const struct web_request *r)
{
    const char *v = web_arg(r, "variant");
    char *end = NULL;
    long n = v ? strtol(v, &end, 10) : 0;
    return v && (*end || n < 0 || n > 100000) ? 0 : (int)n;
}

/* The check result as the CLI prints it: "PATH: ok" or every error. */
static void check_html(struct buffer *b, const struct web *web, const struct web_preview *p)
{
    if (!p->errors.count) {
        buffer_puts(b, "<p class=\"ok\" id=\"check-ok\">");
        web_html_escape(b, p->path);
        buffer_puts(b, ": ok</p>\n");
    } else {
        buffer_printf(b, "<p class=\"bad\">%zu error%s:</p>\n", p->errors.count,
                      p->errors.count == 1 ? "" : "s");
        web_html_errors(b, web, &p->errors);
    }
}

static void pages_html(struct buffer *b, const char *relative, int variant,
                       const struct web_preview *p)
{
    for (int i = 1; i <= p->pages; i++) {
        buffer_puts(b, "<img class=\"page\" alt=\"page\" src=\"/page.png?path=");
        web_url_escape(b, relative);
        buffer_printf(b, "&amp;variant=%d&amp;page=%d&amp;v=%llx\">\n", variant, i, p->stamp);
    }
}

static void people(struct buffer *b, const struct web *web, const struct workspace *ws,
                   const struct letter *letter, const char *relative)
{
    buffer_puts(b, "<dl class=\"facts\"><dt>template</dt><dd>");
    web_html_escape(b, letter->template_name.id);
    buffer_puts(b, " (");
    web_html_escape(b, letter->language);
    buffer_puts(b, ")</dd><dt>date</dt><dd>");
    web_html_escape(b, letter->date);
    buffer_puts(b, " <a class=\"edit\" id=\"edit-date\" href=\"/edit?key=date&amp;file=");
    web_url_escape(b, relative);
    buffer_puts(b, "\">change</a></dd><dt>reference</dt><dd>");
    web_html_escape(b, letter->reference ? letter->reference : "none yet (a draft)");
    if (letter->recipient.id) {
        struct recipient_scratch scratch = {0};
        struct errors unread = {0}; /* the preview below reports it */
        const struct value *who =
            workspace_recipient_next(ws, letter->recipient.id, &scratch, &unread);
        errors_clear(&unread);
        const struct value *name = who ? value_map_get(who, "name") : NULL;
        const struct value *salutation = who ? value_map_get(who, "salutation") : NULL;
        buffer_puts(b, "</dd><dt>recipient</dt><dd>");
        web_html_escape(b, name ? name->string : letter->recipient.id);
        /* Changed where it is written: an INI file of letters/ (not a
         * CSV source). */
        const char *file =
            salutation && salutation->loc.file ? web_relative(web, salutation->loc.file) : NULL;
        if (salutation && salutation->kind == VALUE_STRING) {
            buffer_puts(b, "</dd><dt>salutation</dt><dd>");
            web_html_escape(b, salutation->string);
        }
        if (salutation && salutation->kind == VALUE_STRING && file &&
            strncmp(file, "letters/", 8) == 0 && strlen(file) > 4 &&
            strcmp(file + strlen(file) - 4, ".ini") == 0) {
            buffer_puts(b, " <a class=\"edit\" id=\"edit-salutation\" href=\"/edit?file=");
            web_url_escape(b, file);
            buffer_puts(b, "&amp;key=salutation&amp;section=");
            web_url_escape(b, letter->recipient.id);
            buffer_puts(b, "\">change</a>");
        }
        workspace_recipient_scratch_free(&scratch);
    }
    buffer_puts(b, "</dd><dt>signatories</dt><dd>");
    for (size_t i = 0; i < letter->signatory_count; i++) {
        const struct value *who = value_map_get(ws->signatories, letter->signatories[i].id);
        const struct value *name = who ? value_map_get(who, "name") : NULL;
        buffer_puts(b, i ? ", " : "");
        web_html_escape(b, name ? name->string : letter->signatories[i].id);
    }
    buffer_puts(b, "</dd></dl>\n");
}

static void variants(struct buffer *b, const struct workspace *ws, const struct letter *letter,
                     const char *relative, int current)
{
    struct errors errors = {0};
    struct campaign *c = campaign_plan(ws, letter, NULL, &errors);
    errors_clear(&errors);
    if (!c)
        return;
    buffer_printf(b,
                  "<section><h2>Variants <small>%zu</small></h2><table id=\"variants\">"
                  "<thead><tr><th>recipient</th><th>country</th><th>language</th></tr>"
                  "</thead><tbody>\n",
                  c->count);
    for (size_t i = 0; i < c->count; i++) {
        buffer_printf(
            b, "<tr%s><td><a href=\"/letter?path=", (int)i == current ? " class=\"current\"" : "");
        web_url_escape(b, relative);
        buffer_printf(b, "&amp;variant=%zu\">", i);
        const struct campaign_variant v = campaign_variant(c, i);
        web_html_escape(b, v.recipient);
        buffer_puts(b, "</a></td><td>");
        web_html_escape(b, v.country);
        buffer_puts(b, "</td><td>");
        web_html_escape(b, v.language);
        buffer_puts(b, "</td></tr>\n");
    }
    buffer_puts(b, "</tbody></table></section>\n");
    campaign_free(c);
}

void web_page_letter(struct web_request *r, struct web_response *out)
{
    char *path = letter_path(r, out);
    if (!path)
        return;
    struct web *web = r->web;
    const char *relative = web_arg(r, "path");
    int variant = variant_of(r);
    const struct web_preview *p = web_preview_get(web, path, variant);
    struct buffer *b = &out->body;
    struct errors errors = {0};
    struct letter *letter = letter_load(path, &errors);
    errors_clear(&errors);
    web_html_begin(b, web, letter && letter->subject ? letter->subject : relative);
    buffer_puts(b, "<div id=\"letter\" data-path=\"");
    web_html_escape(b, relative);
    buffer_printf(b, "\" data-variant=\"%d\" data-stamp=\"%llx\">\n", variant, p->stamp);
    buffer_puts(b, "<p class=\"where\"><a href=\"/source?path=");
    web_url_escape(b, relative);
    buffer_puts(b, "\">");
    web_html_escape(b, relative);
    buffer_puts(b, "</a> · <a href=\"/letter.pdf?path=");
    web_url_escape(b, relative);
    buffer_printf(b,
                  "&amp;variant=%d\">PDF</a> · <a class=\"button\" id=\"issue\" "
                  "href=\"/issue?path=",
                  variant);
    web_url_escape(b, relative);
    buffer_puts(b, "\">Issue…</a></p>\n");
    const struct errors *failed = NULL;
    const struct workspace *ws = NULL;
    if (letter && web_current(web, &ws, &failed)) {
        people(b, web, ws, letter, relative);
        if (campaign_is(letter))
            variants(b, ws, letter, relative, variant);
    }
    buffer_puts(b, "<section id=\"check\"><h2>Check</h2><div id=\"check-result\">\n");
    check_html(b, web, p);
    buffer_puts(b, "</div></section>\n<div class=\"side\"><section><h2>PDF</h2>"
                   "<div id=\"pages\">\n");
    pages_html(b, relative, variant, p);
    buffer_puts(b, "</div></section><section><h2>Text</h2><pre id=\"text\">");
    web_html_escape(b, p->text.data);
    buffer_puts(b, "</pre></section></div>\n</div>\n");
    web_html_end(b);
    letter_free(letter);
    free(path);
}

char *web_letter_json(struct web *web, const char *path, const char *relative, int variant)
{
    const struct web_preview *p = web_preview_get(web, path, variant);
    /* The page asks for the images next: they are ready by then. */
    web_preview_rasterise(p);
    struct buffer check = {0}, pages = {0};
    check_html(&check, web, p);
    pages_html(&pages, relative, variant, p);
    char stamp[32];
    snprintf(stamp, sizeof stamp, "%llx", p->stamp);
    json_t *errors = json_array();
    for (size_t i = 0; i < p->errors.count; i++) {
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);
        error_print(&p->errors.items[i], f);
        fclose(f);
        if (len && line[len - 1] == '\n')
            line[len - 1] = '\0';
        json_array_append_new(errors, json_string(line));
        free(line);
    }
    json_t *o = json_pack("{s:s, s:b, s:o, s:s, s:i, s:s, s:s}", "stamp", stamp, "ok",
                          p->errors.count == 0, "errors", errors, "check_html",
                          check.data ? check.data : "", "pages", p->pages, "pages_html",
                          pages.data ? pages.data : "", "text", p->text.data ? p->text.data : "");
    char *json = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    buffer_free(&check);
    buffer_free(&pages);
    return json;
}

void web_api_letter(struct web_request *r, struct web_response *out)
{
    char *path = letter_path(r, out);
    if (!path)
        return;
    char *json = web_letter_json(r->web, path, web_arg(r, "path"), variant_of(r));
    out->type = "application/json";
    buffer_puts(&out->body, json);
    free(json);
    free(path);
}

void web_page_png(struct web_request *r, struct web_response *out)
{
    char *path = letter_path(r, out);
    if (!path)
        return;
    const char *page = web_arg(r, "page");
    const struct web_preview *p = web_preview_get(r->web, path, variant_of(r));
    const struct buffer *png = web_preview_png(p, page ? atoi(page) : 1);
    if (!png) {
        web_fail(out, MHD_HTTP_NOT_FOUND, "no such page (the letter has errors?)");
    } else {
        out->type = "image/png";
        buffer_append(&out->body, png->data, png->len);
    }
    free(path);
}

void web_page_pdf(struct web_request *r, struct web_response *out)
{
    char *path = letter_path(r, out);
    if (!path)
        return;
    const struct web_preview *p = web_preview_get(r->web, path, variant_of(r));
    if (!p->pdf.data) {
        web_fail(out, MHD_HTTP_UNPROCESSABLE_CONTENT, "the letter has errors: no PDF");
    } else {
        out->type = "application/pdf";
        buffer_append(&out->body, p->pdf.data, p->pdf.len);
    }
    free(path);
}

void web_page_source(struct web_request *r, struct web_response *out)
{
    char *path = letter_path(r, out);
    if (!path)
        return;
    /* Through path.h: the file web_path_resolve checked, read by the
     * descriptor that resolved it, not by its name again. */
    struct buffer file = {0};
    char why[512];
    if (path_read(path, PATH_TEMPLATE, &file, why, sizeof why) != 0) {
        web_fail(out, MHD_HTTP_NOT_FOUND, "cannot read the file");
        buffer_free(&file);
        free(path);
        return;
    }
    struct buffer *b = &out->body;
    web_html_begin(b, r->web, web_arg(r, "path"));
    buffer_puts(b, "<table class=\"source\"><tbody>\n");
    int line = 1;
    for (char *s = file.data, *end; s && *s; s = end ? end + 1 : NULL, line++) {
        end = strchr(s, '\n');
        if (end)
            *end = '\0';
        buffer_printf(b, "<tr id=\"L%d\"><td class=\"n\">%d</td><td><code>", line, line);
        web_html_escape(b, s);
        buffer_puts(b, "</code></td></tr>\n");
    }
    buffer_puts(b, "</tbody></table>\n");
    web_html_end(b);
    buffer_free(&file);
    free(path);
}
