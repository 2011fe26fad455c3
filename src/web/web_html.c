/* web_html.c — HTML and URL escaping, the page frame, errors as links. */
#include "web_html.h"

#include "web_internal.h"

#include <string.h>

void web_html_escape(struct buffer *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            buffer_puts(b, "&amp;");
            break;
        case '<':
            buffer_puts(b, "&lt;");
            break;
        case '>':
            buffer_puts(b, "&gt;");
            break;
        case '"':
            buffer_puts(b, "&quot;");
            break;
        case '\'':
            buffer_puts(b, "&#39;");
            break;
        default:
            buffer_putc(b, *s);
        }
    }
}

void web_url_escape(struct buffer *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-_./~", *p)) {
            buffer_putc(b, (char)*p);
        } else {
            buffer_putc(b, '%');
            buffer_putc(b, hex[*p >> 4]);
            buffer_putc(b, hex[*p & 15]);
        }
    }
}

void web_html_begin(struct buffer *b, const struct web *web, const char *title)
{
    buffer_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width\">\n<title>");
    web_html_escape(b, title);
    buffer_puts(b, " — missive</title>\n<meta name=\"csrf\" content=\"");
    web_html_escape(b, web->csrf);
    buffer_puts(b, "\">\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                   "<script src=\"/static/app.js\" defer></script>\n</head><body>\n"
                   "<nav><a class=\"brand\" href=\"/\">missive</a> <a href=\"/\">Workspace</a> "
                   "<a href=\"/register\">Register</a></nav>\n<main>\n<h1>");
    web_html_escape(b, title);
    buffer_puts(b, "</h1>\n");
}

void web_html_end(struct buffer *b)
{
    buffer_puts(b, "</main>\n</body></html>\n");
}

const char *web_relative(const struct web *web, const char *path)
{
    if (!path)
        return NULL;
    if (strcmp(web->root, ".") == 0)
        return path[0] == '/' ? NULL : path;
    size_t n = strlen(web->root);
    while (n > 1 && web->root[n - 1] == '/')
        n--;
    if (strncmp(path, web->root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return NULL;
}

void web_html_errors(struct buffer *b, const struct web *web, const struct errors *errors)
{
    buffer_puts(b, "<ul class=\"errors\">\n");
    for (size_t i = 0; i < errors->count; i++) {
        const struct error *e = &errors->items[i];
        const char *relative = web_relative(web, e->file);
        buffer_printf(b, "<li class=\"error\" data-line=\"%d\">", e->line);
        if (e->file) {
            if (relative) {
                buffer_puts(b, "<a href=\"/source?path=");
                web_url_escape(b, relative);
                if (e->line > 0)
                    buffer_printf(b, "#L%d", e->line);
                buffer_puts(b, "\">");
            }
            web_html_escape(b, e->file);
            if (e->line > 0)
                buffer_printf(b, ":%d", e->line);
            if (e->line > 0 && e->column > 0)
                buffer_printf(b, ":%d", e->column);
            buffer_puts(b, relative ? "</a>: " : ": ");
        } else
            buffer_puts(b, "missive: ");
        buffer_puts(b, "error: ");
        web_html_escape(b, e->message);
        buffer_puts(b, "</li>\n");
    }
    buffer_puts(b, "</ul>\n");
}

void web_html_csrf(struct buffer *b, const struct web *web)
{
    buffer_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    web_html_escape(b, web->csrf);
    buffer_puts(b, "\">");
}
