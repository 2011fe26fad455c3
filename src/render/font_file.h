/* font_file.h — owns checking a TrueType file before any of it is used:
 * every table within the file, every glyph loadable by FreeType, no glyph
 * whose data is there but blank. libharu and HarfBuzz accept a font cut
 * short and draw its glyphs blank; this turns that into an error. */
#ifndef MISSIVE_FONT_FILE_H
#define MISSIVE_FONT_FILE_H

#include <stddef.h>

/* Checks the font file held in data (len bytes). Returns NULL, or the
 * reason it cannot be used, written to reason. */
const char *font_file_check(const unsigned char *data, size_t len, char *reason, size_t size);

#endif
