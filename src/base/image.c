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

/* Files already decoded without fault in this process, by path: a batch
 * of letters signed by the same people decodes each signature once. */
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static char **known;
static size_t known_count;

static bool known_good(const char *path)
{
    if (!caches_on())
        return false;
    pthread_mutex_lock(&known_lock);
    bool found = false;
    for (size_t i = 0; i < known_count && !found; i++)
        found = strcmp(known[i], path) == 0;
    pthread_mutex_unlock(&known_lock);
    return found;
}

static void remember_good(const char *path)
{
    if (!caches_on())
        return;
    pthread_mutex_lock(&known_lock);
    known = xrealloc(known, (known_count + 1) * sizeof *known);
    known[known_count++] = xstrdup(path);
    pthread_mutex_unlock(&known_lock);
}

const char *image_check_png_signature(const char *path, char *reason, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(reason, size, "cannot read image '%s' (%s)", path, strerror(errno));
        return reason;
    }
    unsigned char head[8] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n != sizeof head || png_sig_cmp(head, 0, sizeof head) != 0) {
        snprintf(reason, size, "image '%s' is not a PNG file", path);
        return reason;
    }
    return NULL;
}

const char *image_check_png(const char *path, char *reason, size_t size)
{
    if (known_good(path))
        return NULL;
    const char *wrong = image_check_png_signature(path, reason, size);
    if (wrong)
        return wrong;
    /* Read through path.h (contained, regular, size-limited), then
     * decoded from memory: what is checked is what was read. */
    struct buffer data = {0};
    char why[400];
    if (path_read(path, PATH_IMAGE, &data, why, sizeof why) != 0) {
        buffer_free(&data);
        snprintf(reason, size, "%s", why);
        return reason;
    }
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data.data, data.len)) {
        buffer_free(&data);
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image.message);
        return reason;
    }
    if ((size_t)image.width * image.height > MAX_PIXELS) {
        png_image_free(&image);
        buffer_free(&data);
        snprintf(reason, size, "image '%s' is too large (%u x %u pixels)", path, image.width,
                 image.height);
        return reason;
    }
    image.format = PNG_FORMAT_RGBA;
    void *pixels = malloc(PNG_IMAGE_SIZE(image));
    const char *result = NULL;
    if (!pixels) {
        png_image_free(&image);
        buffer_free(&data);
        snprintf(reason, size, "image '%s' is too large to read", path);
        return reason;
    }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image.message);
        result = reason;
    }
    png_image_free(&image);
    buffer_free(&data);
    free(pixels);
    if (!result)
        remember_good(path);
    return result;
}
