/* image.c — full decoding of a PNG with libpng's simplified API, which
 * reports errors instead of aborting. */
#include "image.h"

#include "arena.h"
#include "buffer.h"
#include "caches.h"
#include "path.h"

#include <errno.h>
#include <png.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Larger than any signature or logo could sensibly be; decoding it would
 * only cost memory. */
enum { MAX_PIXELS = 40 * 1000 * 1000 };

/* Files already decoded without fault in this process, by path, with the
 * very bytes that were decoded: a batch of letters signed by the same
 * people decodes each signature once, and the PDF is given what was
 * checked, not what the path names by the time it is written. */
struct known {
    char *path;
    struct buffer bytes;
};
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static struct known *known;
static size_t known_count;

/* Copies the checked bytes of path into out when it is known good. */
static bool known_good(const char *path, struct buffer *out)
{
    if (!caches_on())
        return false;
    pthread_mutex_lock(&known_lock);
    bool found = false;
    for (size_t i = 0; i < known_count && !found; i++)
        if (strcmp(known[i].path, path) == 0) {
            found = true;
            if (out)
                buffer_append(out, known[i].bytes.data, known[i].bytes.len);
        }
    pthread_mutex_unlock(&known_lock);
    return found;
}

static void remember_good(const char *path, const struct buffer *data)
{
    if (!caches_on())
        return;
    pthread_mutex_lock(&known_lock);
    known = xrealloc(known, (known_count + 1) * sizeof *known);
    struct known *k = &known[known_count++];
    k->path = xstrdup(path);
    k->bytes = (struct buffer){0};
    buffer_append(&k->bytes, data->data, data->len);
    pthread_mutex_unlock(&known_lock);
}

/* Where each image was named (image_name_at), in the order named; the
 * last entry for a path counts. Entries are never freed before the
 * process ends, so a location handed out stays valid. */
struct origin {
    char *path;
    struct source_loc loc;
};
static struct origin *origins;
static size_t origin_count;

void image_name_at(const char *path, struct source_loc loc)
{
    pthread_mutex_lock(&known_lock);
    bool same = false;
    for (size_t i = origin_count; i-- > 0 && !same;) {
        if (strcmp(origins[i].path, path) != 0)
            continue;
        same = origins[i].loc.line == loc.line && origins[i].loc.column == loc.column &&
               (origins[i].loc.file && loc.file ? strcmp(origins[i].loc.file, loc.file) == 0
                                                : origins[i].loc.file == loc.file);
        break;
    }
    if (!same) {
        origins = xrealloc(origins, (origin_count + 1) * sizeof *origins);
        struct origin *o = &origins[origin_count++];
        o->path = xstrdup(path);
        o->loc = loc;
        o->loc.file = loc.file ? xstrdup(loc.file) : NULL;
    }
    pthread_mutex_unlock(&known_lock);
}

struct source_loc image_named(const char *path, struct source_loc otherwise)
{
    pthread_mutex_lock(&known_lock);
    for (size_t i = origin_count; i-- > 0;) {
        if (strcmp(origins[i].path, path) == 0) {
            otherwise = origins[i].loc;
            break;
        }
    }
    pthread_mutex_unlock(&known_lock);
    return otherwise;
}

/* Opens the PNG in data as libpng's simplified reader does: the header
 * chunks read and checked, the size within bounds. */
static const char *begin_read(const char *path, const struct buffer *data, png_image *image,
                              char *reason, size_t size)
{
    memset(image, 0, sizeof *image);
    image->version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(image, data->data, data->len)) {
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image->message);
        return reason;
    }
    if ((size_t)image->width * image->height > MAX_PIXELS) {
        png_image_free(image);
        snprintf(reason, size, "image '%s' is too large (%u x %u pixels)", path, image->width,
                 image->height);
        return reason;
    }
    return NULL;
}

/* The file at path read through path.h (contained, regular,
 * size-limited) into data, and its signature checked: one read of the
 * checked file, never a second opening of its name. */
static const char *read_png(const char *path, struct buffer *data, char *reason, size_t size)
{
    char why[400];
    int rc = path_read(path, PATH_IMAGE, data, why, sizeof why);
    if (rc == PATH_FAILED) {
        snprintf(reason, size, "cannot read image '%s' (%s)", path, strerror(errno));
        return reason;
    }
    if (rc != 0) {
        snprintf(reason, size, "%s", why);
        return reason;
    }
    if (data->len < 8 || png_sig_cmp((png_const_bytep)data->data, 0, 8) != 0) {
        snprintf(reason, size, "image '%s' is not a PNG file", path);
        return reason;
    }
    return NULL;
}

const char *image_check_png_header(const char *path, char *reason, size_t size)
{
    if (known_good(path, NULL))
        return NULL;
    struct buffer data = {0};
    png_image image;
    const char *wrong = read_png(path, &data, reason, size);
    if (!wrong)
        wrong = begin_read(path, &data, &image, reason, size);
    if (!wrong)
        png_image_free(&image);
    buffer_free(&data);
    return wrong;
}

/* Decodes every pixel of the PNG in data, as libharu will read it. */
static const char *decode(const char *path, const struct buffer *data, char *reason, size_t size)
{
    png_image image;
    const char *wrong = begin_read(path, data, &image, reason, size);
    if (wrong)
        return wrong;
    image.format = PNG_FORMAT_RGBA;
    void *pixels = malloc(PNG_IMAGE_SIZE(image));
    if (!pixels) {
        png_image_free(&image);
        snprintf(reason, size, "image '%s' is too large to read", path);
        return reason;
    }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image.message);
        wrong = reason;
    }
    png_image_free(&image);
    free(pixels);
    return wrong;
}

const char *image_read_png(const char *path, struct buffer *out, char *reason, size_t size)
{
    if (known_good(path, out))
        return NULL;
    /* Decoded from what was read: what is checked is what is used. */
    const char *wrong = read_png(path, out, reason, size);
    if (!wrong)
        wrong = decode(path, out, reason, size);
    if (wrong)
        buffer_reset(out);
    else
        remember_good(path, out);
    return wrong;
}

const char *image_check_png(const char *path, char *reason, size_t size)
{
    if (known_good(path, NULL))
        return NULL;
    struct buffer data = {0};
    const char *wrong = image_read_png(path, &data, reason, size);
    buffer_free(&data);
    return wrong;
}
