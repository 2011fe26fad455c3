/* libharu_baseline.c — owns the benchmark's point of comparison: the same
 * merged letter set with libharu's own UTF-8 font path (TrueType fonts
 * loaded with HPDF_LoadTTFontFromFile, text through the "UTF-8" encoder,
 * widths from HPDF_Font_TextWidth), the way the PDF backend would work
 * without our font layer. Lines are filled by the same layout.c, justified
 * lines are set word by word (libharu's Tw does nothing for two-byte
 * text), blocks flow down the page with the body leading. It is generous
 * to libharu: one HPDF_Doc is reused (HPDF_NewDoc per letter) so the font
 * files are parsed once per process, as ours are. */
#include "bench.h"

#include "layout.h"

#include <hpdf.h>

#include <stdlib.h>
#include <string.h>

#define STYLES 4

struct baseline {
    const struct settings *settings;
    HPDF_Doc pdf;
    const char *font_names[STYLES]; /* per DOC_STYLE_* bits, once loaded */
    HPDF_Font fonts[STYLES];        /* of the current document */
    HPDF_Page page;
    struct arena *arena;
    double y; /* baseline of the next line, from the page's bottom */
    int failed;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    (void)error, (void)detail;
    ((struct baseline *)user)->failed = 1;
}

struct baseline *baseline_new(const struct settings *settings)
{
    struct baseline *b = xcalloc(1, sizeof *b);
    b->settings = settings;
    b->pdf = HPDF_New(on_error, b);
    HPDF_UseUTFEncodings(b->pdf);
    return b;
}

void baseline_free(struct baseline *b)
{
    if (!b)
        return;
    HPDF_Free(b->pdf);
    free(b);
}

/* Starts a new document in the kept HPDF_Doc. */
static void start_document(struct baseline *b)
{
    HPDF_NewDoc(b->pdf);
    HPDF_SetCompressionMode(b->pdf, HPDF_COMP_ALL);
    HPDF_SetCurrentEncoder(b->pdf, "UTF-8");
    memset(b->fonts, 0, sizeof b->fonts);
    b->page = NULL;
}

/* The font of style in the current document. Fetched on first use, since
 * libharu embeds every font a document asks for; each file is parsed only
 * the first time. */
static HPDF_Font font(struct baseline *b, unsigned style)
{
    style &= STYLES - 1;
    if (!b->fonts[style]) {
        const struct font_settings *f = &b->settings->fonts;
        const char *files[STYLES] = {f->regular, f->italic, f->bold, f->bold_italic};
        if (!b->font_names[style])
            b->font_names[style] = HPDF_LoadTTFontFromFile(b->pdf, files[style], HPDF_TRUE);
        b->fonts[style] = HPDF_GetFont(b->pdf, b->font_names[style], "UTF-8");
    }
    return b->fonts[style];
}

static void new_page(struct baseline *b)
{
    const struct page_settings *pg = &b->settings->page;
    b->page = HPDF_AddPage(b->pdf);
    HPDF_Page_SetWidth(b->page, (HPDF_REAL)pg->width);
    HPDF_Page_SetHeight(b->page, (HPDF_REAL)pg->height);
    b->y = pg->height - pg->margin_top;
}

/* Moves down by space plus one line; a new page when the line would not fit. */
static void advance(struct baseline *b, double space, double leading)
{
    const struct page_settings *pg = &b->settings->page;
    if (!b->page || b->y - space - leading < pg->margin_bottom) {
        new_page(b);
        space = 0;
    }
    b->y -= space + leading;
}

struct measure_context {
    struct baseline *b;
    double size;
    unsigned extra_style;
};

static double measure(void *context, const char *text, size_t len, unsigned style)
{
    struct measure_context *m = context;
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font(m->b, style | m->extra_style),
                                            (const HPDF_BYTE *)text, (HPDF_UINT)len);
    return tw.width * m->size / 1000.0;
}

static void show(struct baseline *b, unsigned style, double size, double x, const char *text,
                 size_t len)
{
    char *copy = arena_strndup(b->arena, text, len);
    HPDF_Page_BeginText(b->page);
    HPDF_Page_SetFontAndSize(b->page, font(b, style), (HPDF_REAL)size);
    HPDF_Page_TextOut(b->page, (HPDF_REAL)x, (HPDF_REAL)b->y, copy);
    HPDF_Page_EndText(b->page);
}

/* Fills block's runs into lines width wide at x; returns the line count. */
static size_t set_block(struct baseline *b, const struct doc_block *block, unsigned extra_style,
                        double size, double x, double width, double space, bool justify,
                        const char *language)
{
    struct doc_run *runs;
    size_t count = doc_runs(b->arena, block, language, &runs);
    if (count == 0)
        return 0;
    struct measure_context m = {b, size, extra_style};
    struct layout_lines lines;
    layout_paragraph(b->arena, runs, count, width, measure, &m, language, &lines);
    double leading = size * b->settings->fonts.leading / b->settings->fonts.size;
    for (size_t i = 0; i < lines.count; i++) {
        const struct layout_line *line = &lines.lines[i];
        advance(b, i == 0 ? space : 0, leading);
        double extra =
            justify && !line->last && line->gaps ? (width - line->width) / (double)line->gaps : 0;
        double stretch = 0;
        for (size_t k = 0; k < line->count; k++) {
            const struct layout_piece *piece = &line->pieces[k];
            show(b, piece->style | extra_style, size, x + piece->x + stretch, piece->text,
                 piece->len);
            if (piece->space_after > 0)
                stretch += extra;
        }
    }
    return lines.count;
}

/* Signatures side by side: each column's lines below room for signing. */
static void set_signatures(struct baseline *b, const struct doc_block *block, double x0,
                           double width, const char *language)
{
    const struct font_settings *f = &b->settings->fonts;
    size_t count = 0;
    for (const struct doc_block *s = block->first_child; s; s = s->next)
        count++;
    double column = width / (double)(count ? (count < 3 ? count : 3) : 1);
    advance(b, 2.8 * f->leading, 0);
    double top = b->y, lowest = b->y;
    size_t c = 0;
    for (const struct doc_block *s = block->first_child; s; s = s->next, c++) {
        b->y = top;
        for (const struct doc_block *line = s->first_child; line; line = line->next)
            set_block(b, line, 0, f->size, x0 + (double)(c % 3) * column, column - f->size, 0,
                      false, language);
        lowest = b->y < lowest ? b->y : lowest;
    }
    b->y = lowest;
}

static void set_document(struct baseline *b, const struct doc_document *doc)
{
    const struct page_settings *pg = &b->settings->page;
    const struct font_settings *f = &b->settings->fonts;
    double x = pg->margin_left, width = pg->width - pg->margin_left - pg->margin_right;
    const char *lang = doc->language;
    for (const struct doc_block *block = doc->root->first_child; block; block = block->next) {
        switch (block->kind) {
        case DOC_LETTERHEAD:
            for (const struct doc_block *line = block->first_child; line; line = line->next)
                set_block(b, line, DOC_STYLE_BOLD, f->size * 1.18, x, width, 0, false, lang);
            break;
        case DOC_ADDRESS:
            for (const struct doc_block *line = block->first_child; line; line = line->next)
                set_block(b, line, 0, f->size, x, width,
                          line == block->first_child ? f->leading : 0, false, lang);
            break;
        case DOC_SIGNATURES:
            set_signatures(b, block, x, width, lang);
            break;
        default:
            set_block(b, block, block->kind == DOC_SUBJECT ? DOC_STYLE_BOLD : 0, f->size, x, width,
                      f->leading / 2, block->kind == DOC_PARAGRAPH, lang);
            break;
        }
    }
}

static int save(struct baseline *b, struct buffer *out)
{
    if (HPDF_SaveToStream(b->pdf) != HPDF_OK)
        return -1;
    HPDF_UINT32 size = HPDF_GetStreamSize(b->pdf);
    buffer_reset(out);
    char chunk[8192];
    for (HPDF_UINT32 done = 0; done < size;) {
        HPDF_UINT32 n = sizeof chunk;
        HPDF_STATUS status = HPDF_ReadFromStream(b->pdf, (HPDF_BYTE *)chunk, &n);
        buffer_append(out, chunk, n);
        done += n;
        if (status != HPDF_OK || n == 0)
            break;
    }
    return out->len == size ? 0 : -1;
}

int baseline_render(struct baseline *b, const struct doc_document *doc, struct buffer *out)
{
    b->arena = arena_new();
    b->failed = 0;
    start_document(b);
    HPDF_SetInfoAttr(b->pdf, HPDF_INFO_CREATOR, "libharu baseline");
    set_document(b, doc);
    int status = b->failed || save(b, out) != 0 ? -1 : 0;
    arena_free(b->arena);
    b->arena = NULL;
    return status;
}
