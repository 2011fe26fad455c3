/* web_html.h — owns writing HTML safely: every string from a file or a
 * request goes through web_html_escape, every URL argument through
 * web_url_escape; the page frame is the same for all pages. */
#ifndef MISSIVE_WEB_HTML_H
#define MISSIVE_WEB_HTML_H

#include "buffer.h"
#include "error.h"

struct web;

/* Appends s with & < > " ' escaped (s may be NULL: nothing). */
void web_html_escape(struct buffer *b, const char *s);
/* Appends s percent-encoded for a query argument. */
void web_url_escape(struct buffer *b, const char *s);
/* The page's head, its navigation and an <h1> with title. */
void web_html_begin(struct buffer *b, const struct web *web, const char *title);
void web_html_end(struct buffer *b);
/* errors as the CLI prints them, one <li> each, its location a link to
 * that line of the file when the file is in the workspace. */
void web_html_errors(struct buffer *b, const struct web *web, const struct errors *errors);
/* A form's hidden CSRF field: every form that changes something has it. */
void web_html_csrf(struct buffer *b, const struct web *web);
/* The workspace-relative form of a path as the CLI prints it (borrowed
 * from path), or NULL when it is not inside the workspace. */
const char *web_relative(const struct web *web, const char *path);

#endif
