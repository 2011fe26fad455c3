/* font.h — owns glyphs: the fonts of a workspace opened once per process
 * (HarfBuzz faces), per-character fallback along each style's chain,
 * shaping with kerning and ligatures, measuring for line filling, coverage
 * checks, and — per PDF document — recording the glyphs used, subsetting
 * each font with hb-subset and writing it as a Type0/CIDFontType2 font with
 * an exact ToUnicode map through libharu's object layer.
 *
 * A font_set may be shared between threads: after font_set_open only its
 * caches change (the shapings of texts already seen and which face has
 * which character), under a lock. A font_embed belongs to one document
 * being rendered. */
#ifndef MISSIVE_FONT_H
#define MISSIVE_FONT_H

#include "arena.h"
#include "buffer.h"
#include "doc.h" /* style bits */
#include "error.h"
#include "settings.h"

#include <hb.h>
#include <hpdf.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct font_set;

/* Opens the font files of settings (a file named twice is shared): the
 * regular font whole; of every other file the path and table directory,
 * the rest when a style's chain first reaches it (a face that turns out
 * broken then is reported by font_check, or font_set_broken). NULL plus
 * an error per unreadable or invalid file, at the line of missive.ini
 * that names it (settings->origins). */
struct font_set *font_set_open(const struct font_settings *settings, struct errors *errors);
void font_set_free(struct font_set *fs);
/* 0, or -1 plus the error of every broken face when shaping or measuring
 * on this thread met one, since the letter caches_letter() gave as since,
 * that no font_check reported (what they drew is then wrong). */
int font_set_broken(const struct font_set *fs, unsigned long since, struct errors *errors);

/* Forgets every cached shaping (memory back; cold-cache measurements).
 * Results never depend on the cache. */
void font_set_clear_cache(struct font_set *fs);
/* Tests: how many texts this thread's part of the shaping cache has
 * shaped with HarfBuzz so far, and the bytes of shapings it holds. */
void font_set_cache_stats(struct font_set *fs, size_t *shaped, size_t *bytes);

/* A number no other font set of the process has (for cache keys). */
uint64_t font_set_serial(const struct font_set *fs);
/* Number of distinct faces in the set; faces are numbered 0..count-1. */
size_t font_set_count(const struct font_set *fs);
/* File name of face (as given in the settings). */
const char *font_set_file(const struct font_set *fs, unsigned face);
/* HarfBuzz font of face, scaled to its units per em (for font_pdf.c and
 * tests; owned by the set). */
hb_font_t *font_set_hb_font(const struct font_set *fs, unsigned face);
/* Checks that FreeType loads every glyph of face in glyphs (each glyph once
 * per process: font_set_open checks the file, not each glyph). 0, or -1
 * plus an error at the line of missive.ini naming the file. */
int font_set_check_glyphs(struct font_set *fs, unsigned face, const hb_set_t *glyphs,
                          struct errors *errors);

/* Checks that text is valid UTF-8 and that every character has a font in
 * style's chain; appends one error at loc per offending character (each
 * character reported once per call). Returns the number of errors added. */
int font_check(struct font_set *fs, unsigned style, const char *utf8, size_t len,
               struct source_loc loc, struct errors *errors);

/* One shaped glyph. Positions are in points from the start of the text. */
struct font_glyph {
    unsigned face;     /* index in the font set */
    unsigned gid;      /* glyph id in the original font */
    double x, y;       /* where the glyph's origin goes */
    double advance;    /* shaped advance (kerning included) */
    uint32_t text_off; /* the text this glyph stands for: bytes of the  */
    uint32_t text_len; /* shaped string; 0 for later glyphs of a cluster */
};

struct font_shaped {
    struct font_glyph *glyphs; /* in the arena given to font_shape */
    size_t count;
    double width;  /* total advance */
    bool ascii;    /* the text was ASCII only (so is every glyph's text) */
    uint64_t kept; /* non-zero: the glyphs of a line set once per process
                      (pdf_lines.c); equal values, equal glyphs */
};

/* Shapes utf8 in style at size (points): splits it into runs per fallback
 * font, shapes each with HarfBuzz (kerning, the ligatures language allows;
 * language may be NULL) and places the glyphs one after the other. Texts
 * already shaped in the process (any size) come from a cache.
 * Characters no font has become .notdef of the style's own font (font_check
 * reports them first). */
void font_shape(struct font_set *fs, struct arena *arena, const char *language, unsigned style,
                double size, const char *utf8, size_t len, struct font_shaped *out);
/* font_shape, and when utf8 is shaped afresh, each of its words between
 * ASCII spaces that HarfBuzz says may be cut from it unchanged is kept in
 * the cache as that word shaped alone (a petition's entry: its words
 * shaped with the spaces around them, then measured alone when the entry
 * wraps, found in the cache instead of shaped again). */
void font_shape_words(struct font_set *fs, struct arena *arena, const char *language,
                      unsigned style, double size, const char *utf8, size_t len,
                      struct font_shaped *out);
/* One glyph of a cached shaping, in its face's units: any size scales it
 * exactly as a fresh shaping would. safe: HarfBuzz says the text may be
 * cut at this glyph's cluster and each side shaped alone with the same
 * result (not unsafe to break). */
struct font_unit {
    unsigned face, gid;
    int32_t x_offset, y_offset, x_advance;
    uint32_t text_off;
    uint32_t text_len : 31;
    uint32_t safe : 1;
};

/* Receives the glyphs of a shaped text in face units (valid during the
 * call only). */
typedef void (*font_units_use)(void *context, const struct font_set *fs,
                               const struct font_unit *glyphs, size_t count);
/* font_shape_words for a caller that places the glyphs itself: use gets
 * them in face units, as font_shape scales them (size / font_face_upem of
 * each glyph's face, the pen the sum of the scaled advances), so the
 * caller's doubles can be font_shape's exactly. A petition's annex
 * converted every word's glyphs twice (font_shape's, then its own). */
void font_shape_words_units(struct font_set *fs, const char *language, unsigned style,
                            const char *utf8, size_t len, font_units_use use, void *context);
/* Units per em of face (an index of the set, as in font_glyph). */
double font_face_upem(const struct font_set *fs, unsigned face);
/* Advance width in points of utf8 shaped as font_shape would. */
double font_measure(struct font_set *fs, const char *language, unsigned style, double size,
                    const char *utf8, size_t len);
/* What layout_paragraph needs to measure with a font set: pass
 * font_layout_measure as its measure function and one of these as its
 * context. extra_style is added to every run's style (bold headings). */
struct font_layout {
    struct font_set *fs;
    const char *language;
    double size;
    unsigned extra_style;
};
double font_layout_measure(void *font_layout, const char *utf8, size_t len, unsigned style);
/* font_layout_measure of word[start, end) (a piece of a hyphenated word),
 * cut from the word's cached shaping where that gives the same width, so
 * that each piece is not shaped again (layout_params' measure_part). */
double font_layout_measure_part(void *font_layout, const char *word, size_t len, size_t start,
                                size_t end, unsigned style);

/* A text shaped once, as font_shape would, but not kept in the cache (a
 * petition's entries are each seen once), and ready to be cut into lines. */
struct font_text;
/* Shapes utf8 (borrowed: it must outlive the result) in style; the result
 * lives in arena. */
struct font_text *font_text_shape(struct font_set *fs, struct arena *arena, const char *language,
                                  unsigned style, const char *utf8, size_t len);
/* The glyphs of text's bytes [start, end) at size, in arena: exactly what
 * font_shape gives for those bytes alone. Cut from the whole shaping when
 * it is one run and HarfBuzz says both cuts are safe to break, else
 * shaped afresh. */
struct font_shaped font_text_glyphs(const struct font_text *text, struct arena *arena, double size,
                                    size_t start, size_t end);
/* Whether font_text_glyphs cuts [start, end) from the whole shaping. */
bool font_text_can_cut(const struct font_text *text, size_t start, size_t end);

/* Ascender and descender (negative) of style's own font, in points at size. */
void font_extents(struct font_set *fs, unsigned style, double size, double *ascender,
                  double *descender);

/* ---- font subsets kept for a process (font_set.c) ---- */

/* A face's subset for one set of glyphs, as font_pdf.c embeds it. */
struct font_subset {
    hb_map_t *old_to_new; /* original glyph id -> the subset's */
    char *program;        /* the subset font program, deflated */
    size_t program_len;   /* its deflated length */
    unsigned length1;     /* its length before deflating (/Length1) */
};
/* Frees what subset holds and zeroes it. */
void font_subset_release(struct font_subset *subset);
/* The subset of face for exactly glyphs that font_set_subset_keep kept,
 * or NULL (always NULL with caches off). Valid until font_set_free; shared
 * between threads, so read only. */
const struct font_subset *font_set_subset_find(struct font_set *fs, unsigned face,
                                               const hb_set_t *glyphs);
/* Keeps *subset, made for face and glyphs, for later letters: returns the
 * kept one (an equal one kept meanwhile by another thread, *subset then
 * released), *subset emptied; or NULL when the set keeps no more, *subset
 * still the caller's. */
const struct font_subset *font_set_subset_keep(struct font_set *fs, unsigned face,
                                               const hb_set_t *glyphs, struct font_subset *subset);
/* A number naming exactly the list of count kept subsets (a document's,
 * one per used face in face order), the same for an equal list until
 * font_set_free and never given to another; 0 with caches off, or past a
 * few hundred lists. */
uint64_t font_set_subsets_id(struct font_set *fs, const struct font_subset *const *list,
                             size_t count);

/* ---- embedding in one PDF document (font_pdf.c) ---- */

struct font_embed;

/* Starts recording glyph use for one document made with libharu. Borrows
 * fs and pdf (both must outlive it); font_embed_free frees only its own. */
struct font_embed *font_embed_new(struct font_set *fs, HPDF_Doc pdf);
void font_embed_free(struct font_embed *e);
/* Records the glyphs of shaped (made from text) as used. Call for every
 * shaped text before font_embed_finish. */
void font_embed_use(struct font_embed *e, const struct font_shaped *shaped, const char *text);
/* font_embed_use of glyphs shaped from several texts: glyph i's from
 * texts[i] (a line of words kept whole, pdf_lines.c). */
void font_embed_use_texts(struct font_embed *e, const struct font_shaped *shaped,
                          const char *const *texts);
/* The text a used glyph stands for (what it first stood for when one
 * glyph stands for several texts), or NULL. */
const char *font_embed_glyph_text(const struct font_embed *e, const struct font_glyph *g);
/* The first character of the text of each of shaped's glyphs, ' ' when
 * there is none, into chars (room for shaped->count): the script of a
 * glyph, for tagging spans, looked up for every glyph drawn; one call a
 * line, not one a glyph (3.6 million calls at 100,000 signers). */
void font_embed_glyph_chars(const struct font_embed *e, const struct font_shaped *shaped,
                            int32_t *chars);
/* font_shape (glyphs in arena) and font_embed_use in one: what every
 * drawing of text in a document does. */
struct font_shaped font_embed_shape(struct font_embed *e, struct arena *arena, const char *language,
                                    unsigned style, double size, const char *utf8, size_t len);
/* Subsets every used face and writes its font objects into the document.
 * Returns 0, or -1 with an error naming the font file when that fails. */
int font_embed_finish(struct font_embed *e, struct errors *errors);
/* Adds to page's /Resources /Font every face that shaped uses (after
 * finish). */
void font_embed_register(struct font_embed *e, HPDF_Page page, const struct font_shaped *shaped);
/* Appends the text operators (BT ... ET) that draw shaped at size with its
 * origin at (x, y) to content, after font_embed_finish. */
void font_embed_show(struct font_embed *e, struct buffer *content, double x, double y, double size,
                     const struct font_shaped *shaped);
/* font_embed_show of glyphs [from, to) of shaped alone, their origin at
 * (x + the first's x, y): the bytes of showing a copy of them moved by
 * the first's x, without the copy. */
void font_embed_show_range(struct font_embed *e, struct buffer *content, double x, double y,
                           double size, const struct font_shaped *shaped, size_t from, size_t to);

/* Appends a PDF number (at most 3 decimals, no exponent, locale-free). */
void font_pdf_number(struct buffer *b, double value);

#endif
