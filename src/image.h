/* image.h — owns checking image files (signatures, logos) before the PDF
 * backend hands them to libharu. libharu 2.3.0 reads PNG rows through
 * libpng without catching its errors, so a truncated or corrupt file
 * aborts the whole process; every image is therefore decoded once here,
 * with libpng's own error reporting, and a broken one becomes an error. */
#ifndef MISSIVE_IMAGE_H
#define MISSIVE_IMAGE_H

#include <stddef.h>

/* NULL when path is a complete, readable PNG; otherwise why it is not,
 * written into reason (size bytes) and returned. */
const char *image_check_png(const char *path, char *reason, size_t size);

#endif
