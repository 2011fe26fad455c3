/* font_file.h — owns checking a TrueType file before its glyphs are used:
 * every table within the file, FreeType reads it, no glyph whose data is
 * there but blank; and each glyph loadable by FreeType, checked for the
 * glyphs a letter uses before they are embedded. libharu and HarfBuzz
 * accept a font cut short and draw its glyphs blank; this turns that into
 * an error. */
#ifndef MISSIVE_FONT_FILE_H
#define MISSIVE_FONT_FILE_H

#include <stddef.h>

/* Checks the font file held in data (len bytes) as opening it needs.
 * Returns NULL, or the reason it cannot be used, written to reason. */
const char *font_file_check(const unsigned char *data, size_t len, char *reason, size_t size);

/* Loads the count glyphs gids of that file with FreeType (unscaled,
 * unhinted). Returns NULL, or why the first that fails does not load. */
const char *font_file_check_glyphs(const unsigned char *data, size_t len, const unsigned *gids,
                                   size_t count, char *reason, size_t size);

#endif
