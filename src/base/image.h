/* image.h — owns checking image files (signatures, logos) before the PDF
 * backend hands them to libharu. libharu 2.3.0 reads PNG rows through
 * libpng without catching its errors, so a truncated or corrupt file
 * aborts the whole process; every image a letter uses is therefore decoded
 * once here, with libpng's own error reporting, and a broken one becomes
 * an error. */
#ifndef MISSIVE_IMAGE_H
#define MISSIVE_IMAGE_H

#include "buffer.h"
#include "error.h"

#include <stddef.h>

/* NULL when path is a complete, readable PNG; otherwise why it is not,
 * written into reason (size bytes) and returned. A file found good is
 * remembered for the rest of the process (safe from several threads). */
const char *image_check_png(const char *path, char *reason, size_t size);
/* image_check_png that also hands back the bytes it decoded (in out, empty
 * on entry and emptied on failure), so that what the PDF embeds is the file that
 * was checked, read once through path.h, not its name opened again. */
const char *image_read_png(const char *path, struct buffer *out, char *reason, size_t size);
/* Whether path is a PNG whose header chunks libpng reads (signature, IHDR
 * and what precedes the pixels; size within bounds): what loading a
 * workspace checks of every image, leaving the decoding of the pixels to
 * the letters that use it (pdf_check): decoding every signature of a
 * workspace was a fifth of a one-letter process (issue 17). */
const char *image_check_png_header(const char *path, char *reason, size_t size);
/* Remembers that a people file named path at loc (copied), so that a
 * letter that finds the image broken reports it there. */
void image_name_at(const char *path, struct source_loc loc);
/* Where path was last named (image_name_at), else otherwise. The location
 * stays valid until the process ends. */
struct source_loc image_named(const char *path, struct source_loc otherwise);

#endif
