/* web_preview.c — a letter checked and rendered as `missive check` and
 * `render` do, through the application layer (app_preview: same stages,
 * same errors), and its pages as images.
 * poppler is the rasteriser: it is a library, so missive runs no other
 * program to show a page. */
#include "web_preview.h"

#include "app.h"
#include "arena.h"
#include "web_internal.h"
#include "web_watch.h"

#include <cairo.h>
#include <png.h>
#include <pthread.h>
#include <poppler.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Pixels per PDF point of a page image: 1.25 gives an A4 page 744 pixels
 * wide, the width the letter page shows it at; more costs time the
 * preview does not have (docs/serve.md). */
static const double page_scale = 1.25;
/* Renderings kept: the letters a user goes back and forth between. */
enum { KEEP = 6 };

static void render(struct web *web, struct web_preview *p)
{
    const struct errors *failed = NULL;
    struct app *app = web_current(web, NULL, &failed);
    if (!app) {
        for (size_t i = 0; i < failed->count; i++) {
            const struct error *e = &failed->items[i];
            errors_add_at(&p->errors, e->file, e->line, e->column, "%s", e->message);
        }
        return;
    }
    struct app_preview preview;
    if (app_preview(app, p->path, (size_t)p->variant, &preview, &p->errors) != APP_OK) {
        app_preview_free(&preview);
        return;
    }
    p->pdf = preview.pdf;
    p->text = preview.text;
    GBytes *bytes = g_bytes_new(p->pdf.data, p->pdf.len);
    GError *error = NULL;
    PopplerDocument *document = poppler_document_new_from_bytes(bytes, NULL, &error);
    g_bytes_unref(bytes);
    if (!document) {
        errors_add_at(&p->errors, p->path, 0, 0, "the rendered PDF does not open: %s",
                      error ? error->message : "unknown reason");
        g_clear_error(&error);
        return;
    }
    p->document = document;
    p->pages = poppler_document_get_n_pages(document);
    p->pngs = xcalloc((size_t)p->pages, sizeof *p->pngs);
}

static void preview_free(struct web_preview *p)
{
    errors_clear(&p->errors);
    buffer_free(&p->pdf);
    buffer_free(&p->text);
    for (int i = 0; p->pngs && i < p->pages; i++)
        buffer_free(&p->pngs[i]);
    free(p->pngs);
    if (p->document)
        g_object_unref(p->document);
    free(p->path);
    free(p);
}

const struct web_preview *web_preview_get(struct web *web, const char *path, int variant)
{
    unsigned long long stamp = web_watch_stamp(web->root);
    struct web_preview **link = &web->previews;
    for (struct web_preview *p; (p = *link); link = &p->next) {
        if (p->variant == variant && strcmp(p->path, path) == 0) {
            *link = p->next;
            if (p->stamp == stamp) {
                p->next = web->previews;
                web->previews = p;
                return p;
            }
            preview_free(p);
            break;
        }
    }
    struct web_preview *p = xcalloc(1, sizeof *p);
    p->path = xstrdup(path);
    p->variant = variant;
    p->stamp = stamp;
    render(web, p);
    p->next = web->previews;
    web->previews = p;
    /* Keep the newest few. */
    int kept = 0;
    for (link = &web->previews; *link; kept++) {
        if (kept < KEEP) {
            link = &(*link)->next;
            continue;
        }
        struct web_preview *old = *link;
        *link = old->next;
        preview_free(old);
    }
    return p;
}

static void png_write(png_structp png, png_bytep data, size_t length)
{
    buffer_append(png_get_io_ptr(png), (const char *)data, length);
}

static void png_flush(png_structp png)
{
    (void)png;
}

/* cairo's own PNG writer compresses at zlib's default level: 120 ms for an
 * A4 page, and the preview must follow an edit within 200 ms. Stored
 * (uncompressed) PNG takes 3-8 ms for 2.3 MB a page, which the loopback
 * carries in a millisecond or two; zlib's fastest level still took 20-30. */
static void png_encode(cairo_surface_t *surface, struct buffer *out)
{
    int width = cairo_image_surface_get_width(surface);
    int height = cairo_image_surface_get_height(surface);
    int stride = cairo_image_surface_get_stride(surface);
    const unsigned char *pixels = cairo_image_surface_get_data(surface);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = xmalloc((size_t)width * 3);
    if (!info || setjmp(png_jmpbuf(png))) {
        buffer_reset(out);
        png_destroy_write_struct(&png, &info);
        free(row);
        return;
    }
    png_set_write_fn(png, out, png_write, png_flush);
    png_set_compression_level(png, 0);
    png_set_filter(png, 0, PNG_FILTER_NONE);
    /* Most letters are black on white: a grey image is a third the size
     * and decodes faster in the browser. */
    bool grey = true;
    for (int y = 0; y < height && grey; y++) {
        const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * stride);
        for (int x = 0; x < width && grey; x++) {
            uint32_t p = src[x];
            grey = ((p >> 16) & 255) == (p & 255) && ((p >> 8) & 255) == (p & 255);
        }
    }
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 grey ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        /* CAIRO_FORMAT_RGB24: one native-endian 32-bit word per pixel, xRGB. */
        const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * stride);
        for (int x = 0; x < width; x++) {
            if (grey) {
                row[x] = (unsigned char)src[x];
                continue;
            }
            row[3 * x] = (unsigned char)(src[x] >> 16);
            row[3 * x + 1] = (unsigned char)(src[x] >> 8);
            row[3 * x + 2] = (unsigned char)src[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
}

/* One page into png, from its own poppler document: a document is not
 * to be used from two threads, but two documents are independent. */
static void rasterise(PopplerDocument *document, int page, struct buffer *png)
{
    PopplerPage *pp = poppler_document_get_page(document, page - 1);
    if (!pp)
        return;
    double w, h;
    poppler_page_get_size(pp, &w, &h);
    cairo_surface_t *surface = cairo_image_surface_create(
        CAIRO_FORMAT_RGB24, (int)(w * page_scale + 0.5), (int)(h * page_scale + 0.5));
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, page_scale, page_scale);
    poppler_page_render(pp, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    png_encode(surface, png);
    cairo_surface_destroy(surface);
    g_object_unref(pp);
}

struct job {
    const struct web_preview *preview;
    int page;
    pthread_t thread;
};

static void *rasterise_job(void *arg)
{
    struct job *job = arg;
    GBytes *bytes = g_bytes_new_static(job->preview->pdf.data, job->preview->pdf.len);
    PopplerDocument *document = poppler_document_new_from_bytes(bytes, NULL, NULL);
    if (document) {
        rasterise(document, job->page, &job->preview->pngs[job->page - 1]);
        g_object_unref(document);
    }
    g_bytes_unref(bytes);
    return NULL;
}

void web_preview_rasterise(const struct web_preview *p)
{
    /* The pages at once on every core: the preview must follow an edit
     * within 200 ms, and a page takes tens of milliseconds. */
    struct job jobs[8];
    int count = 0;
    for (int i = 1; i <= p->pages && count < 8; i++) {
        if (p->pngs[i - 1].data)
            continue;
        jobs[count] = (struct job){p, i, 0};
        if (pthread_create(&jobs[count].thread, NULL, rasterise_job, &jobs[count]) == 0)
            count++;
    }
    for (int i = 0; i < count; i++)
        pthread_join(jobs[i].thread, NULL);
}

const struct buffer *web_preview_png(const struct web_preview *p, int page)
{
    if (page < 1 || page > p->pages)
        return NULL;
    struct buffer *png = &p->pngs[page - 1];
    if (!png->data)
        rasterise(p->document, page, png);
    return png->data ? png : NULL;
}

void web_preview_free_all(struct web *web)
{
    while (web->previews) {
        struct web_preview *p = web->previews;
        web->previews = p->next;
        preview_free(p);
    }
}
