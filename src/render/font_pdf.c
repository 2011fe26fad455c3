/* font_pdf.c — owns embedding fonts in one PDF document: which glyphs each
 * face used and what text they stand for, the hb-subset of each used face,
 * and the objects written through libharu's object layer (Type0 font,
 * Identity-H, CIDFontType2 with compact /W and identity CIDToGIDMap,
 * FontDescriptor with a compressed FontFile2, exact ToUnicode CMap). The
 * text operators that draw shaped glyphs are font_show.c's. CIDs are the
 * subset's glyph ids, so content can only be written after
 * font_embed_finish. */
#include "font_pdf_internal.h"

#include "caches.h"
#include "font_shown.h"
#include "font_subset.h"
#include "pdf_deflate.h"

#include <hb-ot.h>
#include <unicode/utf8.h>

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- arrays per glyph of a face, zeroed, lent letter after letter ----
 * A letter's per-glyph arrays span the whole face (thousands of glyphs)
 * but it sets a hundred entries: zeroing them afresh for every letter was
 * 1.5% of a campaign letter; given back with those entries cleared, they
 * are ready for the next. */

#define SPARE_ARRAYS 16
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    void *array;
    size_t bytes;
} spare[SPARE_ARRAYS];

static void free_spares(void)
{
    for (size_t i = 0; i < SPARE_ARRAYS; i++)
        free(spare[i].array);
}

static void register_free(void)
{
    atexit(free_spares);
}

/* count items of size bytes, zeroed. */
static void *take_array(size_t count, size_t size)
{
    size_t bytes = count * size;
    void *array = NULL;
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; !array && caches_on() && i < SPARE_ARRAYS; i++)
        if (spare[i].array && spare[i].bytes == bytes) {
            array = spare[i].array;
            spare[i].array = NULL;
        }
    pthread_mutex_unlock(&spare_lock);
    return array ? array : xcalloc(count, size);
}

/* Gives back an array whose entries are all zero again. */
static void give_array(void *array, size_t bytes)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_free); /* so that leak checkers see them freed */
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; array && caches_on() && i < SPARE_ARRAYS; i++)
        if (!spare[i].array) {
            spare[i].array = array;
            spare[i].bytes = bytes;
            array = NULL;
        }
    pthread_mutex_unlock(&spare_lock);
    free(array);
}

/* Clears the entries of u's arrays that its glyphs set and lends them on. */
static void give_face_arrays(struct used_face *u)
{
    hb_codepoint_t gid = HB_SET_VALUE_INVALID;
    while (u->glyphs && hb_set_next(u->glyphs, &gid))
        if (gid < u->glyph_count) {
            if (u->text)
                u->text[gid] = NULL;
            if (u->first)
                u->first[gid] = 0;
            if (u->cid_of)
                u->cid_of[gid] = 0;
        }
    if (u->text)
        give_array(u->text, u->glyph_count * sizeof *u->text);
    if (u->first)
        give_array(u->first, u->glyph_count * sizeof *u->first);
    if (u->cid_of)
        give_array(u->cid_of, u->glyph_count * sizeof *u->cid_of);
}

struct font_embed *font_embed_new(struct font_set *fs, HPDF_Doc pdf)
{
    struct font_embed *e = xcalloc(1, sizeof *e);
    e->fs = fs;
    e->pdf = pdf;
    e->letter = caches_letter();
    e->arena = arena_new();
    e->count = font_set_count(fs);
    e->faces = xcalloc(e->count, sizeof *e->faces);
    return e;
}

void font_embed_free(struct font_embed *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->count; i++) {
        give_face_arrays(&e->faces[i]);
        hb_set_destroy(e->faces[i].glyphs);
        hb_map_destroy(e->faces[i].old_to_new);
        free(e->faces[i].widths);
        font_show_free_tables(&e->faces[i]);
    }
    free(e->faces);
    arena_free(e->arena);
    free(e);
}

struct font_shaped font_embed_shape(struct font_embed *e, struct arena *arena, const char *language,
                                    unsigned style, double size, const char *utf8, size_t len)
{
    struct font_shaped s;
    font_shape(e->fs, arena, language, style, size, utf8, len, &s);
    font_embed_use(e, &s, utf8);
    return s;
}

/* Records glyph g, shaped from text, as used. */
/* The first use of g (or of a glyph with no text of its own): its face's
 * set made, the glyph added with its text. */
static __attribute__((noinline)) void add_glyph(struct font_embed *e, const struct font_glyph *g,
                                                const char *text)
{
    struct used_face *u = &e->faces[g->face];
    if (!u->glyphs) {
        u->glyphs = hb_set_create();
        hb_set_add(u->glyphs, 0); /* .notdef is always glyph 0 of a subset */
        u->glyph_count =
            hb_face_get_glyph_count(hb_font_get_face(font_set_hb_font(e->fs, g->face)));
        u->text = take_array(u->glyph_count, sizeof *u->text);
        u->first = take_array(u->glyph_count, sizeof *u->first);
        if (g->gid < u->glyph_count && u->text[g->gid])
            return;
    }
    hb_set_add(u->glyphs, g->gid);
    if (g->gid < u->glyph_count && g->text_len > 0) {
        u->text[g->gid] = arena_strndup(e->arena, text + g->text_off, g->text_len);
        int32_t i = 0;
        UChar32 c;
        U8_NEXT(u->text[g->gid], i, (int32_t)g->text_len, c);
        u->first[g->gid] = (c < 0 ? 0xFFFD : c) + 1; /* never invalid: checked */
    }
}

/* Inline: every glyph of every line passes here, and a glyph with its
 * text is in the set already (most of them: 5 million at 100,000
 * signers). */
static inline __attribute__((always_inline)) void
use_glyph(struct font_embed *e, const struct font_glyph *g, const char *text)
{
    const struct used_face *u = &e->faces[g->face];
    if (u->glyphs && g->gid < u->glyph_count && u->text[g->gid])
        return;
    add_glyph(e, g, text);
}

void font_embed_use(struct font_embed *e, const struct font_shaped *shaped, const char *text)
{
    for (size_t i = 0; i < shaped->count; i++)
        use_glyph(e, &shaped->glyphs[i], text);
}

void font_embed_use_texts(struct font_embed *e, const struct font_shaped *shaped,
                          const char *const *texts)
{
    for (size_t i = 0; i < shaped->count; i++)
        use_glyph(e, &shaped->glyphs[i], texts[i]);
}

const char *font_embed_glyph_text(const struct font_embed *e, const struct font_glyph *g)
{
    const struct used_face *u = &e->faces[g->face];
    return u->text && g->gid < u->glyph_count ? u->text[g->gid] : NULL;
}

static inline int32_t glyph_char(const struct font_embed *e, const struct font_glyph *g)
{
    const struct used_face *u = &e->faces[g->face];
    int32_t c = u->first && g->gid < u->glyph_count ? u->first[g->gid] : 0;
    return c > 0 ? c - 1 : ' ';
}

void font_embed_glyph_chars(const struct font_embed *e, const struct font_shaped *shaped,
                            int32_t *chars)
{
    for (size_t i = 0; i < shaped->count; i++)
        chars[i] = glyph_char(e, &shaped->glyphs[i]);
}

/* ---- reading font tables ---- */

static int read_s16(hb_blob_t *blob, unsigned offset)
{
    unsigned len;
    const unsigned char *d = (const unsigned char *)hb_blob_get_data(blob, &len);
    if (offset + 2 > len)
        return 0;
    return (int16_t)(uint16_t)((d[offset] << 8) | d[offset + 1]);
}

static int table_s16(hb_face_t *face, hb_tag_t tag, unsigned offset)
{
    hb_blob_t *blob = hb_face_reference_table(face, tag);
    int value = read_s16(blob, offset);
    hb_blob_destroy(blob);
    return value;
}

/* ---- PDF objects ---- */

/* A deterministic six-letter subset tag from the face's name and its glyph
 * set, so equal inputs give equal files and different subsets differ. */
static void subset_tag(const char *name, const hb_set_t *glyphs, char tag[7])
{
    uint64_t h = 14695981039346656037u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    hb_codepoint_t g = HB_SET_VALUE_INVALID;
    while (hb_set_next(glyphs, &g))
        for (int k = 0; k < 4; k++)
            h = (h ^ ((g >> (8 * k)) & 0xFF)) * 1099511628211u;
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

/* The PostScript name, reduced to characters a PDF name keeps verbatim. */
static void postscript_name(hb_face_t *face, char *out, size_t size)
{
    char name[64];
    unsigned len = sizeof name;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, name);
    size_t n = 0;
    for (unsigned i = 0; i < len && n + 1 < size; i++)
        if ((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z') ||
            (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_')
            out[n++] = name[i];
    if (n == 0)
        n = (size_t)snprintf(out, size, "Font");
    out[n] = '\0';
}

static HPDF_Dict new_dict(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

static HPDF_Dict new_stream(HPDF_Doc pdf, const void *data, size_t len)
{
    HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!d)
        return NULL;
    d->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Stream_Write(d->stream, data, (HPDF_UINT)len);
    return d;
}

static int em1000(double value, double upem)
{
    return (int)lround(value * 1000.0 / upem);
}

static HPDF_Dict font_descriptor(HPDF_Doc pdf, hb_font_t *font, const char *base_name,
                                 HPDF_Dict font_file)
{
    hb_face_t *face = hb_font_get_face(font);
    double upem = hb_face_get_upem(face);
    HPDF_Dict d = new_dict(pdf);
    if (!d)
        return NULL;
    hb_font_extents_t ext;
    hb_font_get_h_extents(font, &ext);
    hb_position_t cap = 0;
    if (!hb_ot_metrics_get_position(font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap))
        cap = ext.ascender;
    hb_tag_t head = HB_TAG('h', 'e', 'a', 'd'), post = HB_TAG('p', 'o', 's', 't');
    hb_tag_t os2 = HB_TAG('O', 'S', '/', '2');
    double italic_angle = table_s16(face, post, 4) + (uint16_t)table_s16(face, post, 6) / 65536.0;
    bool fixed = table_s16(face, post, 12) != 0 || table_s16(face, post, 14) != 0;
    int weight = table_s16(face, os2, 4);
    int serif_style = table_s16(face, os2, 32) & 0xFF; /* panose bSerifStyle */
    /* Symbolic: the glyphs go beyond Adobe's standard Latin set. */
    unsigned flags = 4 | (fixed ? 1 : 0) | (serif_style >= 11 && serif_style <= 13 ? 0 : 2) |
                     (italic_angle != 0 ? 64 : 0);
    HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
    HPDF_Dict_Add(d, "FontBBox", bbox);
    for (unsigned k = 0; k < 4; k++)
        HPDF_Array_AddNumber(bbox, em1000(table_s16(face, head, 36 + 2 * k), upem));
    HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    HPDF_Dict_AddName(d, "FontName", base_name);
    HPDF_Dict_AddNumber(d, "Flags", (HPDF_INT32)flags);
    HPDF_Dict_AddReal(d, "ItalicAngle", (HPDF_REAL)italic_angle);
    HPDF_Dict_AddNumber(d, "Ascent", em1000(ext.ascender, upem));
    HPDF_Dict_AddNumber(d, "Descent", em1000(ext.descender, upem));
    HPDF_Dict_AddNumber(d, "CapHeight", em1000(cap, upem));
    /* No font table gives the stem width; this is the usual estimate from
     * the weight class. */
    HPDF_Dict_AddNumber(d, "StemV", 10 + 220 * (weight > 50 ? weight - 50 : 0) / 900);
    HPDF_Dict_Add(d, "FontFile2", font_file);
    return d;
}

/* /W as runs of consecutive CIDs: [first [w1 w2 ...] first [...] ...]. */
static HPDF_Array width_array(HPDF_Doc pdf, const int *widths, unsigned count)
{
    HPDF_Array w = HPDF_Array_New(pdf->mmgr);
    for (unsigned cid = 0; cid < count;) {
        unsigned end = cid + 1;
        while (end < count && end - cid < 500)
            end++;
        HPDF_Array_AddNumber(w, (HPDF_INT32)cid);
        HPDF_Array list = HPDF_Array_New(pdf->mmgr);
        HPDF_Array_Add(w, list);
        for (unsigned k = cid; k < end; k++)
            HPDF_Array_AddNumber(list, widths[k]);
        cid = end;
    }
    return w;
}

static inline void put_hex4(struct buffer *b, unsigned value)
{
    if (b->len + 5 > b->capacity)
        buffer_reserve(b, 4);
    b->len = (size_t)(hex4(b->data + b->len, value) - b->data);
    b->data[b->len] = '\0';
}

static void put_utf16_hex(struct buffer *b, const char *text)
{
    size_t len = strlen(text);
    buffer_putc(b, '<');
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if (c < 0)
            c = 0xFFFD;
        if (c > 0xFFFF) {
            put_hex4(b, 0xD7C0 + (unsigned)(c >> 10));
            put_hex4(b, 0xDC00 + (unsigned)(c & 0x3FF));
        } else {
            put_hex4(b, (unsigned)c);
        }
    }
    buffer_putc(b, '>');
}

/* A single BMP code point the text is, or -1. */
static int32_t single_bmp(const char *text)
{
    int32_t i = 0, len = (int32_t)strlen(text);
    UChar32 c;
    U8_NEXT(text, i, len, c);
    return i == len && c >= 0 && c <= 0xFFFF ? c : -1;
}

/* bfrange lines for runs of CIDs mapping to consecutive code points (within
 * one low-byte block, as the CMap format wants), bfchar for the rest. */
static void tounicode_entries(struct buffer *ranges, struct buffer *chars, size_t *range_count,
                              size_t *char_count, const char **texts, unsigned count)
{
    for (unsigned cid = 0; cid < count;) {
        if (!texts[cid]) {
            cid++;
            continue;
        }
        int32_t c = single_bmp(texts[cid]);
        unsigned end = cid + 1;
        while (c >= 0 && end < count && texts[end] && (end & 0xFF) != 0 &&
               single_bmp(texts[end]) == c + (int32_t)(end - cid) && ((c + (end - cid)) & 0xFF))
            end++;
        if (end - cid >= 3) {
            buffer_putc(ranges, '<');
            put_hex4(ranges, cid);
            buffer_puts(ranges, "> <");
            put_hex4(ranges, end - 1);
            buffer_puts(ranges, "> <");
            put_hex4(ranges, (unsigned)c);
            buffer_puts(ranges, ">\n");
            ++*range_count;
        } else {
            end = cid + 1;
            buffer_putc(chars, '<');
            put_hex4(chars, cid);
            buffer_puts(chars, "> ");
            put_utf16_hex(chars, texts[cid]);
            buffer_putc(chars, '\n');
            ++*char_count;
        }
        cid = end;
    }
}

/* Appends "N beginKIND\n...endKIND\n" blocks of at most 100 entries. */
static void cmap_blocks(struct buffer *out, const char *kind, const struct buffer *lines,
                        size_t count)
{
    const char *p = lines->data;
    for (size_t done = 0; done < count;) {
        size_t n = count - done < 100 ? count - done : 100;
        buffer_printf(out, "%zu begin%s\n", n, kind);
        for (size_t k = 0; k < n; k++) {
            const char *nl = strchr(p, '\n');
            buffer_append(out, p, (size_t)(nl - p) + 1);
            p = nl + 1;
        }
        buffer_printf(out, "end%s\n", kind);
        done += n;
    }
}

static HPDF_Dict tounicode(HPDF_Doc pdf, const char **texts, unsigned count)
{
    struct buffer ranges = {0}, chars = {0}, cmap = {0};
    size_t range_count = 0, char_count = 0;
    tounicode_entries(&ranges, &chars, &range_count, &char_count, texts, count);
    buffer_puts(&cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    cmap_blocks(&cmap, "bfrange", &ranges, range_count);
    cmap_blocks(&cmap, "bfchar", &chars, char_count);
    buffer_puts(&cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Dict stream = new_stream(pdf, cmap.data, cmap.len);
    buffer_free(&ranges);
    buffer_free(&chars);
    buffer_free(&cmap);
    return stream;
}

/* Subsets one used face (or finds its subset kept by an earlier letter)
 * and writes its objects; 0 or -1. */
static int embed_face(struct font_embed *e, unsigned index)
{
    struct used_face *u = &e->faces[index];
    hb_font_t *font = font_set_hb_font(e->fs, index);
    hb_face_t *face = hb_font_get_face(font);
    double upem = hb_face_get_upem(face);
    struct font_subset own = {0};
    const struct font_subset *s = font_set_subset_find(e->fs, index, u->glyphs);
    if (!s) {
        if (font_subset_make(font, u->glyphs, false, &own) != 0) {
            font_subset_release(&own);
            return -1;
        }
        s = font_set_subset_keep(e->fs, index, u->glyphs, &own);
        if (!s)
            s = &own;
    }
    u->old_to_new = hb_map_reference(s->old_to_new);
    u->kept = s != &own ? s : NULL;

    unsigned count = hb_map_get_population(u->old_to_new);
    u->new_count = count;
    u->widths = xcalloc(count, sizeof *u->widths);
    u->cid_of = take_array(u->glyph_count, sizeof *u->cid_of);
    const char **texts = xcalloc(count, sizeof *texts);
    hb_codepoint_t old = HB_SET_VALUE_INVALID;
    while (hb_set_next(u->glyphs, &old)) {
        hb_codepoint_t cid = hb_map_get(u->old_to_new, old);
        if (cid >= count)
            continue;
        if (old < u->glyph_count)
            u->cid_of[old] = cid + 1;
        u->widths[cid] = em1000(hb_font_get_glyph_h_advance(font, old), upem);
        texts[cid] = old < u->glyph_count ? u->text[old] : NULL;
    }

    char ps[64], tag[7], base[80];
    postscript_name(face, ps, sizeof ps);
    subset_tag(ps, u->glyphs, tag);
    snprintf(base, sizeof base, "%s+%s", tag, ps);
    HPDF_Doc pdf = e->pdf;
    HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (file) {
        pdf_deflate_write(file, s->program, s->program_len);
        HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)s->length1);
    }
    font_subset_release(&own);
    HPDF_Dict descriptor = file ? font_descriptor(pdf, font, base, file) : NULL;
    HPDF_Dict cid_font = new_dict(pdf), type0 = new_dict(pdf);
    HPDF_Dict to_unicode = tounicode(pdf, texts, count);
    free(texts);
    if (!descriptor || !cid_font || !type0 || !to_unicode)
        return -1;

    HPDF_Dict_AddName(cid_font, "Type", "Font");
    HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cid_font, "BaseFont", base);
    HPDF_Dict info = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_Add(cid_font, "CIDSystemInfo", info);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor);
    HPDF_Dict_Add(cid_font, "W", width_array(pdf, u->widths, count));
    HPDF_Dict_AddName(cid_font, "CIDToGIDMap", "Identity");

    HPDF_Dict_AddName(type0, "Type", "Font");
    HPDF_Dict_AddName(type0, "Subtype", "Type0");
    HPDF_Dict_AddName(type0, "BaseFont", base);
    HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
    HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
    HPDF_Dict_Add(type0, "DescendantFonts", descendants);
    HPDF_Array_Add(descendants, cid_font);
    HPDF_Dict_Add(type0, "ToUnicode", to_unicode);
    u->font = type0;
    int n = snprintf(u->resource, sizeof u->resource, "F%u", ++e->next_resource);
    u->resource_len = n > 0 ? (size_t)n : 0;
    font_show_make_tables(u);
    return pdf->error.error_no == HPDF_OK ? 0 : -1;
}

int font_embed_finish(struct font_embed *e, struct errors *errors)
{
    if (font_set_broken(e->fs, e->letter, errors) != 0)
        return -1;
    for (unsigned i = 0; i < e->count; i++) {
        if (!e->faces[i].glyphs)
            continue;
        if (font_set_check_glyphs(e->fs, i, e->faces[i].glyphs, errors) != 0)
            return -1;
        if (embed_face(e, i) != 0) {
            errors_add_at(errors, font_set_file(e->fs, i), 0, 0,
                          "cannot embed this font in the PDF (subsetting or writing it failed)");
            return -1;
        }
    }
    /* The subsets decide every glyph's number and width: documents with
     * the same ones draw a line the same. */
    const struct font_subset **list = xmalloc((e->count + 1) * sizeof *list);
    size_t n = 0;
    bool all_kept = true;
    for (unsigned i = 0; i < e->count; i++)
        if (e->faces[i].glyphs) {
            all_kept = all_kept && e->faces[i].kept;
            list[n++] = e->faces[i].kept;
        }
    e->subsets = all_kept ? font_set_subsets_id(e->fs, list, n) : 0;
    free(list);
    return 0;
}

void font_embed_register(struct font_embed *e, HPDF_Page page, const struct font_shaped *shaped)
{
    HPDF_PageAttr attr = page->attr;
    if (!attr->fonts) {
        HPDF_Dict resources = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT);
        attr->fonts = HPDF_Dict_New(page->mmgr);
        HPDF_Dict_Add(resources, "Font", attr->fonts);
    }
    unsigned last = (unsigned)-1;
    for (size_t i = 0; i < shaped->count; i++) {
        unsigned face = shaped->glyphs[i].face;
        if (face == last)
            continue;
        last = face;
        struct used_face *u = &e->faces[face];
        if (u->font && !HPDF_Dict_GetItem(attr->fonts, u->resource, HPDF_OCLASS_DICT))
            HPDF_Dict_Add(attr->fonts, u->resource, u->font);
    }
}
