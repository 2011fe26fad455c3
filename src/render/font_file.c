/* font_file.c — structural checks of a TrueType file (see font_file.h).
 * The table directory, loca and glyf are read by hand (12 + 16 bytes per
 * table, a few bytes per glyph); glyphs are loaded unscaled and unhinted,
 * which is what finds broken outlines without rasterising anything. */
#include "font_file.h"

#include "arena.h"
#include "error.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Finds a table's bytes; false when absent. */
static bool find_table(const unsigned char *data, size_t len, const char *tag, size_t *offset,
                       size_t *length)
{
    unsigned count = be16(data + 4);
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = data + 12 + 16 * (size_t)i;
        if (memcmp(r, tag, 4) == 0) {
            *offset = be32(r + 8);
            *length = be32(r + 12);
            return *offset + *length <= len;
        }
    }
    return false;
}

/* Every table inside the file (len bytes, of which data holds the first
 * have, the table directory at least): a font cut short fails here. */
static const char *check_tables(const unsigned char *data, size_t have, size_t len, char *reason,
                                size_t size)
{
    if (len < 12) {
        snprintf(reason, size, "the font file is cut short (%zu bytes)", len);
        return reason;
    }
    uint32_t version = be32(data);
    if (version != 0x00010000 && version != 0x74727565 /* 'true' */) {
        snprintf(reason, size,
                 "not a TrueType font (only fonts with TrueType outlines can be embedded)");
        return reason;
    }
    unsigned count = be16(data + 4);
    if (count == 0 || count > MAX_TABLES || 12 + 16 * (size_t)count > len ||
        12 + 16 * (size_t)count > have) {
        snprintf(reason, size, "the font file's table directory is corrupt (%u tables)", count);
        return reason;
    }
    for (unsigned i = 0; i < count; i++) {
        const unsigned char *r = data + 12 + 16 * (size_t)i;
        uint64_t end = (uint64_t)be32(r + 8) + be32(r + 12);
        if (end > len) {
            char have[32], need[32];
            error_count(have, sizeof have, len);
            error_count(need, sizeof need, (size_t)end);
            snprintf(reason, size,
                     "the font file is cut short or corrupt: table '%.4s' ends at byte %s, past "
                     "the end of the file (%s bytes)",
                     (const char *)r, need, have);
            return reason;
        }
    }
    return NULL;
}

/* The glyph data tables, as loca and glyf give them. */
struct glyph_tables {
    const unsigned char *loca, *glyf;
    size_t loca_len, glyf_len;
    bool long_loca;
};

static bool glyph_tables(const unsigned char *data, size_t len, struct glyph_tables *t)
{
    size_t head, head_len, loca, glyf;
    if (!find_table(data, len, "head", &head, &head_len) || head_len < 54 ||
        !find_table(data, len, "loca", &loca, &t->loca_len) ||
        !find_table(data, len, "glyf", &glyf, &t->glyf_len))
        return false;
    t->loca = data + loca;
    t->glyf = data + glyf;
    t->long_loca = be16(data + head + 50) != 0; /* indexToLocFormat */
    return true;
}

/* The offset in 'glyf' where glyph gid's data starts, per 'loca'. */
static size_t glyph_offset(const struct glyph_tables *t, size_t gid)
{
    return t->long_loca ? be32(t->loca + 4 * gid) : 2 * (size_t)be16(t->loca + 2 * gid);
}

/* The first of count glyphs whose data in 'glyf' (per 'loca') is all zero
 * bytes, or -1: a glyph with a header and no outline is never all zero.
 * One pass, each offset read once (a glyph's two offsets read apart were
 * most of a font's check, 5,000 glyphs a letter). */
static long first_zeroed(const struct glyph_tables *t, long count)
{
    size_t entries = t->loca_len / (t->long_loca ? 4 : 2);
    if (entries < 2)
        return -1;
    size_t a = glyph_offset(t, 0);
    for (long gid = 0; gid < count && (size_t)gid + 2 <= entries; gid++) {
        size_t b = glyph_offset(t, (size_t)gid + 1);
        if (b > a && b <= t->glyf_len) {
            size_t i = a;
            while (i < b && !t->glyf[i])
                i++;
            if (i == b)
                return gid;
        }
        a = b;
    }
    return -1;
}

/* FreeType reads the font, and no glyph is zero bytes. Loading every
 * glyph (what finds a broken outline) is left to font_file_check_glyphs,
 * for the glyphs a letter uses: it was two thirds of a one-letter
 * process's time. */
/* A FreeType library of its own and the font's face in it (a library is
 * never used by two threads at once: the face set locks its use); NULL,
 * or the reason. Close with close_face. */
static const char *open_face(const unsigned char *data, size_t len, FT_Library *lib, FT_Face *face,
                             char *reason, size_t size)
{
    if (FT_Init_FreeType(lib) != 0) {
        snprintf(reason, size, "FreeType cannot start");
        return reason;
    }
    FT_Error e = FT_New_Memory_Face(*lib, data, (FT_Long)len, 0, face);
    if (e != 0) {
        snprintf(reason, size, "FreeType cannot read the font (error 0x%02X)", (unsigned)e);
        FT_Done_FreeType(*lib);
        return reason;
    }
    return NULL;
}

static void close_face(FT_Library lib, FT_Face face)
{
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
}

struct font_file_ft {
    FT_Library lib;
    FT_Face face;
};

/* The blank-glyph check on a face FreeType has read; on success the face
 * is handed to *kept, for font_file_check_glyphs. */
static const char *check_glyphs(const unsigned char *data, size_t len, char *reason, size_t size,
                                struct font_file_ft **kept)
{
    FT_Library lib;
    FT_Face face;
    const char *wrong = open_face(data, len, &lib, &face, reason, size);
    if (wrong)
        return wrong;
    struct glyph_tables t;
    long zeroed = glyph_tables(data, len, &t) ? first_zeroed(&t, face->num_glyphs) : -1;
    if (zeroed >= 0) {
        snprintf(reason, size,
                 "glyph %ld of the font is blank data (zero bytes): the file is corrupt", zeroed);
        close_face(lib, face);
        return reason;
    }
    *kept = xmalloc(sizeof **kept);
    **kept = (struct font_file_ft){lib, face};
    return NULL;
}

const char *font_file_check(const unsigned char *data, size_t len, char *reason, size_t size,
                            struct font_file_ft **kept)
{
    *kept = NULL;
    const char *wrong = check_tables(data, len, len, reason, size);
    return wrong ? wrong : check_glyphs(data, len, reason, size, kept);
}

const char *font_file_check_head(const unsigned char *head, size_t have, size_t len, char *reason,
                                 size_t size)
{
    /* A file cut while it was read is as short as what was read. */
    return check_tables(head, have, have < 12 ? have : len, reason, size);
}

const char *font_file_check_glyphs(struct font_file_ft *ft, const unsigned *gids, size_t count,
                                   char *reason, size_t size)
{
    for (size_t i = 0; i < count; i++) {
        FT_Error e = FT_Load_Glyph(ft->face, gids[i], FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING);
        if (e != 0) {
            snprintf(reason, size, "glyph %u of the font does not load (FreeType error 0x%02X)",
                     gids[i], (unsigned)e);
            return reason;
        }
    }
    return NULL;
}

void font_file_ft_close(struct font_file_ft *ft)
{
    if (!ft)
        return;
    close_face(ft->lib, ft->face);
    free(ft);
}
