/* pipeline.c — the workspace, fonts and compiled templates a run shares,
 * and rendering a merged document in the formats asked for. */
#include "pipeline.h"

#include "buffer.h"
#include "caches.h"
#include "datadir.h"
#include "doc.h"
#include "font.h"
#include "layout_report.h"
#include "letter.h"
#include "output.h"
#include "pdf.h"
#include "reference.h"
#include "text.h"
#include "tmpl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct cached_template {
    char *path;
    struct tmpl *tmpl;
};

struct pipeline {
    struct workspace *ws;
    struct font_set *fonts; /* opened on first PDF */
    struct cached_template *templates;
    size_t template_count;
    /* --layout-report: every document rendered so far, written to
     * report_path after each letter (threads of a batch add to it). */
    const char *report_path;
    struct layout_report *report;
    pthread_mutex_t report_lock;
};

struct pipeline *pipeline_open(const char *root, struct errors *errors)
{
    struct workspace *ws = workspace_load(root, errors);
    if (!ws)
        return NULL;
    /* A bad reference pattern is a mistake in missive.ini: reported by
     * every command, not only when the first letter is issued. */
    const struct reference_settings *r = &ws->settings.reference;
    struct arena *scratch = arena_new();
    bool numbered = reference_pattern_compile(scratch, r->pattern, r->pattern_loc, r->scope,
                                              r->scope_loc, errors) != NULL;
    arena_free(scratch);
    if (!numbered) {
        workspace_free(ws);
        return NULL;
    }
    struct pipeline *p = xcalloc(1, sizeof *p);
    p->ws = ws;
    pthread_mutex_init(&p->report_lock, NULL);
    return p;
}

void pipeline_free(struct pipeline *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->template_count; i++) {
        free(p->templates[i].path);
        tmpl_free(p->templates[i].tmpl);
    }
    free(p->templates);
    font_set_free(p->fonts);
    workspace_free(p->ws);
    layout_report_free(p->report);
    pthread_mutex_destroy(&p->report_lock);
    free(p);
}

const struct workspace *pipeline_workspace(const struct pipeline *p)
{
    return p->ws;
}

static bool is_plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

/* The compiled template the letter names, from the cache or compiled now.
 * Template and language names are plain words, so they cannot point
 * outside templates/. */
const struct tmpl *pipeline_template(struct pipeline *p, const struct letter *letter,
                                     struct errors *errors)
{
    const struct letter_ref *name = &letter->template_name;
    if (!is_plain_name(name->id) || !is_plain_name(letter->language)) {
        errors_add(
            errors, name->loc,
            "template '%s' and language '%s' must be plain names (letters, digits, '-', '_')",
            name->id, letter->language);
        return NULL;
    }
    char relative[512];
    snprintf(relative, sizeof relative, "templates/%s/%s.xml", name->id, letter->language);
    const char *path = workspace_path(p->ws, relative);
    /* The default templates installed with missive stand in for those a
     * workspace does not have. */
    struct stat st;
    char *installed = stat(path, &st) != 0 ? datadir_find(relative) : NULL;
    if (installed)
        path = arena_strdup(p->ws->arena, installed);
    free(installed);
    for (size_t i = 0; i < p->template_count; i++)
        if (strcmp(p->templates[i].path, path) == 0)
            return p->templates[i].tmpl;
    if (stat(path, &st) != 0) {
        errors_add(errors, name->loc, "no template '%s' in language '%s' (%s not found)", name->id,
                   letter->language, relative);
        return NULL;
    }
    struct tmpl *t = tmpl_load(path, errors);
    if (!t)
        return NULL;
    p->templates = xrealloc(p->templates, (p->template_count + 1) * sizeof *p->templates);
    p->templates[p->template_count++] = (struct cached_template){xstrdup(path), t};
    return t;
}

/* The name output files take: the reference when there is one, else the
 * letter's own name. */
char *pipeline_output_stem(const struct letter *letter)
{
    return output_safe_name(letter->reference ? letter->reference : letter->name);
}

struct font_set *pipeline_fonts(struct pipeline *p, struct errors *errors)
{
    if (!p->fonts)
        p->fonts = font_set_open(&p->ws->settings.fonts, errors);
    return p->fonts;
}

int pipeline_render_doc(struct pipeline *p, const struct doc_document *doc, unsigned formats,
                        struct buffer *pdf, struct buffer *text, struct errors *errors)
{
    return pipeline_render_doc_places(p, doc, formats, pdf, text, NULL, errors);
}

int pipeline_render_doc_places(struct pipeline *p, const struct doc_document *doc, unsigned formats,
                               struct buffer *pdf, struct buffer *text, struct pdf_places *places,
                               struct errors *errors)
{
    return pipeline_render_attached(p, doc, formats, NULL, 0, pdf, text, places, errors);
}

static int render(struct pipeline *p, const struct doc_document *doc, unsigned formats,
                  const struct pdf_attachment *attachments, size_t count, struct buffer *pdf,
                  int *pdf_file, struct buffer *text, int *text_file, struct pdf_places *places,
                  struct errors *errors)
{
    const struct settings *settings = &p->ws->settings;
    int status = 0;
    caches_next_letter();
    if (formats & APP_TEXT)
        status |= text_file
                      ? text_render_spooled(doc, settings->text_width, text, text_file, errors)
                      : text_render(doc, settings->text_width, text, errors);
    if (formats & APP_PDF) {
        if (!pipeline_fonts(p, errors))
            return -1;
        struct pdf_options options = {.report = p->report_path ? layout_report_new() : NULL,
                                      .places = places,
                                      .attachments = attachments,
                                      .attachment_count = count,
                                      .file = pdf_file};
        status |= pdf_render_with(doc, settings, p->fonts, &options, pdf, errors);
        if (options.report) {
            pthread_mutex_lock(&p->report_lock);
            if (!p->report)
                p->report = layout_report_new();
            layout_report_take(p->report, options.report);
            pthread_mutex_unlock(&p->report_lock);
            layout_report_free(options.report);
        }
    }
    /* The annex entries' spool may have failed to give them back. */
    if (doc_spool_check(doc->spool, errors) != 0)
        status = -1;
    return status ? -1 : 0;
}

int pipeline_render_attached(struct pipeline *p, const struct doc_document *doc, unsigned formats,
                             const struct pdf_attachment *attachments, size_t count,
                             struct buffer *pdf, struct buffer *text, struct pdf_places *places,
                             struct errors *errors)
{
    return render(p, doc, formats, attachments, count, pdf, NULL, text, NULL, places, errors);
}

int pipeline_render_draft(struct pipeline *p, const struct doc_document *doc, unsigned formats,
                          struct buffer *pdf, int *pdf_file, struct buffer *text, int *text_file,
                          struct errors *errors)
{
    *pdf_file = *text_file = -1;
    return render(p, doc, formats, NULL, 0, pdf, pdf_file, text, text_file, NULL, errors);
}

void pipeline_layout_report(struct pipeline *p, const char *path)
{
    p->report_path = path;
}

int pipeline_write_layout_report(struct pipeline *p, struct errors *errors)
{
    struct buffer json = {0};
    pthread_mutex_lock(&p->report_lock);
    if (p->report)
        layout_report_json(p->report, &json);
    pthread_mutex_unlock(&p->report_lock);
    int status = -1;
    char *temp =
        output_write_temp(p->report_path, json.data ? json.data : "", json.len, 0644, errors);
    if (temp && output_install(temp, p->report_path, errors) == 0)
        status = 0;
    else if (temp)
        unlink(temp);
    free(temp);
    buffer_free(&json);
    return status;
}
