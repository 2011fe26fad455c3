/* image.h — owns checking image files (signatures, logos) before the PDF
 * backend hands them to libharu. libharu 2.3.0 reads PNG rows through
 * libpng without catching its errors, so a truncated or corrupt file
 * aborts the whole process; every image a letter uses is therefore decoded
 * once here, with libpng's own error reporting, and a broken one becomes
 * an error. */
#ifndef MISSIVE_IMAGE_H
#define MISSIVE_IMAGE_H

#include <stddef.h>

/* NULL when path is a complete, readable PNG; otherwise why it is not,
 * written into reason (size bytes) and returned. A file found good is
 * remembered for the rest of the process (safe from several threads). */
const char *image_check_png(const char *path, char *reason, size_t size);
/* Only whether path can be read and starts like a PNG: what loading a
 * workspace checks of every image, leaving the full decoding to the
 * letters that use it (pdf_check). */
const char *image_check_png_signature(const char *path, char *reason, size_t size);

#endif
