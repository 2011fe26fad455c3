/* test_glyphs.c — glyph completeness: every character of the supported
 * repertoire (Latin-1, Latin Extended-A, Cyrillic, Greek, quotes and
 * dashes), as far as each bundled font has it, is typeset large through
 * the font layer's embedding (hb-subset, our CIDFontType2 objects, our
 * text operators), rasterised by poppler (pdftoppm), and compared pixel by
 * pixel with the same glyph rasterised by FreeType straight from the font
 * file. Only pixels catch a subset that lost a composite glyph's nested
 * components (text extraction still looks right).
 *
 * A negative control proves the comparison can fail: DejaVu Serif's ё Ё ә
 * embedded through libharu's own TrueType path (which drops nested
 * components) must be reported, and its Ә а б (drawn right) must not. */
#include "../check.h"
#include "font.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <unicode/utf8.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SIZE 36.0 /* points */
#define DPI 144   /* two pixels per point: integral origins, same grid */
#define CELL 64   /* points between origins: room for tall and wide glyphs */
#define COLUMNS 20
#define MARGIN 24
/* A glyph fails when its pixels differ from FreeType's by more than this
 * share of its ink. Poppler and FreeType agree to the pixel; a lost
 * diaeresis alone is about 15%. */
#define TOLERANCE 0.05

static const char *const font_files[] = {
    "fonts/LiberationSerif-Regular.ttf",
    "fonts/LiberationSerif-Bold.ttf",
    "fonts/LiberationSerif-Italic.ttf",
    "fonts/LiberationSerif-BoldItalic.ttf",
    "fonts/DejaVuSerif.ttf",
    "fonts/DejaVuSerif-Bold.ttf",
    "fonts/DejaVuSerif-Italic.ttf",
    "fonts/DejaVuSerif-BoldItalic.ttf",
};

/* The supported repertoire, as inclusive code point ranges. */
static const uint32_t repertoire[][2] = {
    {0x21, 0x7E},     {0xA1, 0xFF},     {0x100, 0x17F},   {0x370, 0x3FF},
    {0x400, 0x4FF},   {0x2013, 0x2014}, {0x2018, 0x201E}, {0x2026, 0x2026},
    {0x2039, 0x203A}, {0x20AC, 0x20AC}, {0x20B8, 0x20B8},
};

struct cell {
    uint32_t cp;
    char utf8[5];
    double x, y; /* origin in points, PDF coordinates */
    struct font_shaped shaped;
};

struct raster {
    int width, height;
    unsigned char *gray; /* 0 = black */
};

static void encode_utf8(uint32_t c, char *out)
{
    int32_t n = 0;
    U8_APPEND_UNSAFE(out, n, (UChar32)c);
    out[n] = '\0';
}

/* Characters of the repertoire font has, marks and soft hyphen left out
 * (they draw nothing on their own). */
static size_t collect(hb_font_t *font, struct cell *cells, size_t max)
{
    size_t n = 0;
    for (size_t r = 0; r < sizeof repertoire / sizeof repertoire[0]; r++)
        for (uint32_t c = repertoire[r][0]; c <= repertoire[r][1] && n < max; c++) {
            hb_codepoint_t gid;
            hb_unicode_general_category_t gc =
                hb_unicode_general_category(hb_unicode_funcs_get_default(), c);
            if (c == 0xAD || gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
                gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
                gc == HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED ||
                !hb_font_get_nominal_glyph(font, c, &gid) || gid == 0)
                continue;
            struct cell *cell = &cells[n++];
            memset(cell, 0, sizeof *cell);
            cell->cp = c;
            encode_utf8(c, cell->utf8);
        }
    return n;
}

static void page_size(size_t count, double *width, double *height)
{
    size_t rows = (count + COLUMNS - 1) / COLUMNS;
    *width = COLUMNS * CELL + 2 * MARGIN;
    *height = (double)rows * CELL + 2 * MARGIN;
}

/* Origins on whole points, so on whole pixels at DPI. */
static void place(struct cell *cells, size_t count, double height)
{
    for (size_t i = 0; i < count; i++) {
        cells[i].x = MARGIN + (double)(i % COLUMNS) * CELL + CELL * 0.2;
        cells[i].y = height - MARGIN - (double)(i / COLUMNS) * CELL - CELL * 0.75;
    }
}

static void save(HPDF_Doc pdf, struct buffer *out)
{
    HPDF_SaveToStream(pdf);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    char *data = xmalloc(size ? size : 1);
    HPDF_UINT32 n = size;
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)data, &n);
    buffer_append(out, data, n);
    free(data);
}

/* The cells typeset through font.h, as the PDF backend does. */
static int typeset(const char *file, struct cell *cells, size_t count, struct arena *arena,
                   struct buffer *out)
{
    struct font_settings settings = {.regular = file};
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&settings, &errors);
    if (!fs)
        return -1;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    struct font_embed *embed = font_embed_new(fs, pdf);
    for (size_t i = 0; i < count; i++) {
        font_shape(fs, arena, NULL, 0, SIZE, cells[i].utf8, strlen(cells[i].utf8),
                   &cells[i].shaped);
        font_embed_use(embed, &cells[i].shaped, cells[i].utf8);
    }
    int status = font_embed_finish(embed, &errors);
    double width, height;
    page_size(count, &width, &height);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetWidth(page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)height);
    struct buffer content = {0};
    for (size_t i = 0; i < count && status == 0; i++) {
        font_embed_register(embed, page, &cells[i].shaped);
        font_embed_show(embed, &content, cells[i].x, cells[i].y, SIZE, &cells[i].shaped);
    }
    HPDF_PageAttr attr = page->attr;
    HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)content.data, (HPDF_UINT)content.len);
    buffer_free(&content);
    save(pdf, out);
    font_embed_free(embed);
    HPDF_Free(pdf);
    font_set_free(fs);
    errors_clear(&errors);
    return status;
}

/* The cells typeset through libharu's own TrueType embedding. */
static void typeset_libharu(const char *file, const struct cell *cells, size_t count,
                            struct buffer *out)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_Font font = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, file, HPDF_TRUE), "UTF-8");
    double width, height;
    page_size(count, &width, &height);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetWidth(page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)height);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, SIZE);
    for (size_t i = 0; i < count; i++)
        HPDF_Page_TextOut(page, (HPDF_REAL)cells[i].x, (HPDF_REAL)cells[i].y, cells[i].utf8);
    HPDF_Page_EndText(page);
    save(pdf, out);
    HPDF_Free(pdf);
}

/* Rasterises the PDF's first page with pdftoppm into a grey map. */
static int rasterise(const struct buffer *pdf, struct raster *out)
{
    char dir[] = "/tmp/missive-glyphs-XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    char path[128], command[512];
    snprintf(path, sizeof path, "%s/in.pdf", dir);
    FILE *f = fopen(path, "wb");
    fwrite(pdf->data, 1, pdf->len, f);
    fclose(f);
    snprintf(command, sizeof command, "pdftoppm -r %d -gray -singlefile '%s' '%s/out' 2>/dev/null",
             DPI, path, dir);
    int status = system(command);
    unlink(path);
    snprintf(path, sizeof path, "%s/out.pgm", dir);
    f = status == 0 ? fopen(path, "rb") : NULL;
    int max = 0;
    if (!f || fscanf(f, "P5 %d %d %d", &out->width, &out->height, &max) != 3 || max != 255) {
        if (f)
            fclose(f);
        unlink(path);
        rmdir(dir);
        return -1;
    }
    fgetc(f);
    size_t size = (size_t)out->width * (size_t)out->height;
    out->gray = xmalloc(size);
    size_t got = fread(out->gray, 1, size, f);
    fclose(f);
    unlink(path);
    rmdir(dir);
    return got == size ? 0 : -1;
}

/* Darkness (0-255) of the PDF raster at pixel (x, y); white outside. */
static int pdf_ink(const struct raster *r, int x, int y)
{
    if (x < 0 || y < 0 || x >= r->width || y >= r->height)
        return 0;
    return 255 - r->gray[(size_t)y * (size_t)r->width + (size_t)x];
}

/* How far the PDF's cell differs from FreeType's glyph, as a share of the
 * glyph's ink; the best of the one-pixel shifts absorbs rounding. */
static double difference(const struct raster *r, FT_Face face, unsigned gid, const struct cell *c,
                         double page_height, double *ink_out)
{
    FT_Load_Glyph(face, gid, FT_LOAD_NO_HINTING | FT_LOAD_RENDER);
    FT_Bitmap *bm = &face->glyph->bitmap;
    int scale = DPI / 72;
    int ox = (int)lround(c->x * scale), oy = (int)lround((page_height - c->y) * scale);
    int cell_px = CELL * scale;
    int x0 = ox - (int)(CELL * 0.2 * scale), y0 = oy - (int)(CELL * 0.75 * scale);
    double ink = 0;
    for (unsigned row = 0; row < bm->rows; row++)
        for (unsigned col = 0; col < bm->width; col++)
            ink += bm->buffer[row * (unsigned)bm->pitch + col];
    double best = INFINITY;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            double diff = 0;
            for (int y = y0; y < y0 + cell_px; y++)
                for (int x = x0; x < x0 + cell_px; x++) {
                    int bx = x - (ox + face->glyph->bitmap_left) + dx;
                    int by = y - (oy - face->glyph->bitmap_top) + dy;
                    int ref = bx >= 0 && by >= 0 && bx < (int)bm->width && by < (int)bm->rows
                                  ? bm->buffer[by * bm->pitch + bx]
                                  : 0;
                    diff += abs(pdf_ink(r, x, y) - ref);
                }
            best = fmin(best, diff);
        }
    *ink_out = ink;
    return ink > 0 ? best / ink : (best > 255 * 4 ? INFINITY : 0);
}

/* Compares every cell; reports (and returns) how many differ. When
 * report is false nothing is printed (negative control). */
static size_t compare(const char *file, const struct raster *r, const struct cell *cells,
                      size_t count, const unsigned *gids, bool report, bool *failed)
{
    FT_Library lib;
    FT_Face face;
    FT_Init_FreeType(&lib);
    FT_New_Face(lib, file, 0, &face);
    FT_Set_Char_Size(face, 0, (FT_F26Dot6)(SIZE * 64), DPI, DPI);
    double width, height;
    page_size(count, &width, &height);
    size_t bad = 0;
    for (size_t i = 0; i < count; i++) {
        double ink;
        double d = difference(r, face, gids[i], &cells[i], height, &ink);
        failed[i] = d > TOLERANCE;
        if (getenv("GLYPHS_DEBUG"))
            fprintf(stderr, "%s U+%04X %.3f\n", file, (unsigned)cells[i].cp, d);
        if (failed[i]) {
            bad++;
            if (report)
                fprintf(stderr,
                        "%s: '%s' (U+%04X) differs from FreeType's rendering of the "
                        "font file by %.0f%% of its ink\n",
                        file, cells[i].utf8, (unsigned)cells[i].cp, d * 100);
        }
    }
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    return bad;
}

static void test_font_file(const char *file)
{
    struct font_settings settings = {.regular = file};
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&settings, &errors);
    CHECK(fs != NULL);
    if (!fs)
        return;
    struct cell *cells = xcalloc(2048, sizeof *cells);
    size_t count = collect(font_set_hb_font(fs, 0), cells, 2048);
    font_set_free(fs);
    double width, height;
    page_size(count, &width, &height);
    place(cells, count, height);
    struct arena *arena = arena_new();
    struct buffer pdf = {0};
    CHECK(typeset(file, cells, count, arena, &pdf) == 0);
    struct raster r = {0};
    CHECK(rasterise(&pdf, &r) == 0);
    unsigned *gids = xcalloc(count, sizeof *gids);
    bool *failed = xcalloc(count, sizeof *failed);
    size_t single = 0;
    for (size_t i = 0; i < count; i++) {
        gids[i] = cells[i].shaped.count == 1 ? cells[i].shaped.glyphs[0].gid : 0;
        single += cells[i].shaped.count == 1;
    }
    CHECK(single == count);
    if (r.gray)
        CHECK(compare(file, &r, cells, count, gids, true, failed) == 0);
    printf("%s: %zu characters\n", file, count);
    free(gids);
    free(failed);
    free(r.gray);
    buffer_free(&pdf);
    arena_free(arena);
    free(cells);
}

/* The comparison must catch what libharu's own embedding gets wrong, and
 * a blank cell. */
static void test_negative_control(void)
{
    const char *file = "fonts/DejaVuSerif.ttf";
    const uint32_t cps[] = {0x451, 0x401, 0x4D9, 0x4D8, 0x430, 0x431}; /* ё Ё ә Ә а б */
    const size_t count = sizeof cps / sizeof cps[0];
    struct cell cells[sizeof cps / sizeof cps[0]] = {0};
    unsigned gids[sizeof cps / sizeof cps[0]];
    bool failed[sizeof cps / sizeof cps[0]];
    struct font_settings settings = {.regular = file};
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&settings, &errors);
    CHECK(fs != NULL);
    if (!fs)
        return;
    for (size_t i = 0; i < count; i++) {
        cells[i].cp = cps[i];
        encode_utf8(cps[i], cells[i].utf8);
        hb_codepoint_t gid = 0;
        hb_font_get_nominal_glyph(font_set_hb_font(fs, 0), cps[i], &gid);
        gids[i] = gid;
    }
    font_set_free(fs);
    double width, height;
    page_size(count, &width, &height);
    place(cells, count, height);
    struct buffer pdf = {0};
    typeset_libharu(file, cells, count, &pdf);
    struct raster r = {0};
    CHECK(rasterise(&pdf, &r) == 0);
    if (r.gray) {
        CHECK(compare(file, &r, cells, count, gids, false, failed) == 3);
        CHECK(failed[0] && failed[1] && failed[2] && !failed[3] && !failed[4] && !failed[5]);
        /* A blank page: every glyph is missing. */
        memset(r.gray, 255, (size_t)r.width * (size_t)r.height);
        CHECK(compare(file, &r, cells, count, gids, false, failed) == count);
    }
    free(r.gray);
    buffer_free(&pdf);
}

/* A glyph that lost only its diaeresis must fail too: е typeset, ё's
 * glyph expected. */
static void test_lost_accent(void)
{
    const char *file = "fonts/DejaVuSerif.ttf";
    struct cell cell = {.cp = 0x451};
    encode_utf8(0x435, cell.utf8);
    double width, height;
    page_size(1, &width, &height);
    place(&cell, 1, height);
    struct arena *arena = arena_new();
    struct buffer pdf = {0};
    CHECK(typeset(file, &cell, 1, arena, &pdf) == 0);
    struct font_settings settings = {.regular = file};
    struct errors errors = {0};
    struct font_set *fs = font_set_open(&settings, &errors);
    hb_codepoint_t gid = 0;
    if (fs)
        hb_font_get_nominal_glyph(font_set_hb_font(fs, 0), 0x451, &gid);
    font_set_free(fs);
    unsigned gids[1] = {gid};
    bool failed[1];
    struct raster r = {0};
    CHECK(rasterise(&pdf, &r) == 0);
    if (r.gray)
        CHECK(compare(file, &r, &cell, 1, gids, false, failed) == 1);
    free(r.gray);
    buffer_free(&pdf);
    arena_free(arena);
}

static void run(void)
{
    test_negative_control();
    test_lost_accent();
    for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++)
        test_font_file(font_files[i]);
}

CHECK_MAIN("glyphs", run())
