/* image.c — full decoding of a PNG with libpng's simplified API, which
 * reports errors instead of aborting. */
#include "image.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Larger than any signature or logo could sensibly be; decoding it would
 * only cost memory. */
enum { MAX_PIXELS = 40 * 1000 * 1000 };

const char *image_check_png(const char *path, char *reason, size_t size)
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
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path)) {
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image.message);
        return reason;
    }
    if ((size_t)image.width * image.height > MAX_PIXELS) {
        png_image_free(&image);
        snprintf(reason, size, "image '%s' is too large (%u x %u pixels)", path, image.width,
                 image.height);
        return reason;
    }
    image.format = PNG_FORMAT_RGBA;
    void *pixels = malloc(PNG_IMAGE_SIZE(image));
    const char *result = NULL;
    if (!pixels) {
        png_image_free(&image);
        snprintf(reason, size, "image '%s' is too large to read", path);
        return reason;
    }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        snprintf(reason, size, "image '%s' is not a readable PNG (%s)", path, image.message);
        result = reason;
    }
    png_image_free(&image);
    free(pixels);
    return result;
}
