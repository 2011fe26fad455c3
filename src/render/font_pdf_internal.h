/* font_pdf_internal.h — one document's embedding state, shared by
 * font_pdf.c (the glyphs used, the subsets and font objects) and
 * font_show.c (the text operators that draw them). */
#ifndef MISSIVE_FONT_PDF_INTERNAL_H
#define MISSIVE_FONT_PDF_INTERNAL_H

#include "font.h"

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct font_show_glyph;

struct used_face {
    hb_set_t *glyphs;               /* original glyph ids; NULL until first use */
    const char **text;              /* per original gid: the text it first stood for */
    int32_t *first;                 /* per original gid: that text's first character + 1; 0: none */
    unsigned glyph_count;           /* of the original face */
    hb_map_t *old_to_new;           /* after finish */
    unsigned new_count;             /* glyphs in the subset */
    unsigned *cid_of;               /* per original gid used: its new gid + 1; 0 if not used */
    int *widths;                    /* per new gid, in 1/1000 em */
    struct font_show_glyph *shown;  /* per new gid: font_show.c's table, after finish */
    HPDF_Dict font;                 /* the Type0 font, after finish */
    const struct font_subset *kept; /* the font set's subset used, when it keeps it */
    char resource[16];              /* "F1"... */
    size_t resource_len;
};

struct font_embed {
    struct font_set *fs;
    HPDF_Doc pdf;
    unsigned long letter; /* caches_letter() when made: broken faces met since fail it */
    struct arena *arena;  /* glyph texts */
    struct used_face *faces;
    size_t count;
    unsigned next_resource;
    uint64_t subsets; /* after finish: font_set_subsets_id of the faces' kept subsets, or 0 */
};

/* Four hex digits: the hot path of every page and of
 * ToUnicode maps, so no printf and no copy. */
static inline char *hex4(char *p, unsigned value)
{
    static const char digits[] = "0123456789ABCDEF";
    p[0] = digits[(value >> 12) & 15];
    p[1] = digits[(value >> 8) & 15];
    p[2] = digits[(value >> 4) & 15];
    p[3] = digits[value & 15];
    return p + 4;
}

/* Makes u's per-glyph tables of font_show.c once u's subset is known
 * (font_embed_finish); freed by font_show_free_tables. */
void font_show_make_tables(struct used_face *u);
void font_show_free_tables(struct used_face *u);

/* Test hook: font_embed_show writes every glyph by the general path (its
 * number and width looked up glyph by glyph) instead of the tables. */
extern bool font_show_general;

#endif
