/* font_file.h — owns checking a TrueType file before its glyphs are used:
 * every table within the file, FreeType reads it, no glyph whose data is
 * there but blank; and each glyph loadable by FreeType, checked for the
 * glyphs a letter uses before they are embedded. libharu and HarfBuzz
 * accept a font cut short and draw its glyphs blank; this turns that into
 * an error. */
#ifndef MISSIVE_FONT_FILE_H
#define MISSIVE_FONT_FILE_H

#include <stddef.h>

/* FreeType's face of a checked file (and its library), kept for
 * font_file_check_glyphs: opening it again for each letter's glyphs was
 * 0.15 M instructions of a one-letter process. Used by one thread at a
 * time; data must outlive it. */
struct font_file_ft;

/* Checks the font file held in data (len bytes) as opening it needs.
 * Returns NULL and FreeType's face in *kept, or the reason it cannot be
 * used, written to reason (*kept NULL). */
const char *font_file_check(const unsigned char *data, size_t len, char *reason, size_t size,
                            struct font_file_ft **kept);

/* The bytes a file's table directory can take at most: what
 * font_file_check_head needs of a file's start. */
enum { MAX_TABLES = 512, FONT_FILE_HEAD = 12 + 16 * MAX_TABLES };

/* font_file_check's first part on the first have bytes of a file of len
 * bytes (at least FONT_FILE_HEAD of them, or all): the header is TrueType
 * and every table lies inside the file. NULL, or the reason. */
const char *font_file_check_head(const unsigned char *head, size_t have, size_t len, char *reason,
                                 size_t size);

/* Loads the count glyphs gids of ft's file with FreeType (unscaled,
 * unhinted). Returns NULL, or why the first that fails does not load. */
const char *font_file_check_glyphs(struct font_file_ft *ft, const unsigned *gids, size_t count,
                                   char *reason, size_t size);
/* Closes ft (NULL: nothing). */
void font_file_ft_close(struct font_file_ft *ft);

#endif
