/* pdf_annex.c — owns the PDF pages of a petition's annex: the signers
 * flowed down two columns, page after page, each group's heading kept with
 * its first entry, an entry too wide for its column wrapped with the lines
 * after the first indented, and a running header (with the page number,
 * its only one) on every page. Each entry is shaped once; its lines and
 * their glyphs (12 bytes a glyph) wait in the document's spool file until
 * their page is drawn, read back in the order they were written: memory
 * does not grow with the signers. Entries are shaped word by word
 * through the shaping cache (see shape_words). */
#include "pdf_annex.h"

#include "layout.h"
#include "pdf_annex_measure.h"
#include "pdf_check.h"
#include "words.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#define ENTRY_SCALE 0.85  /* entries and headings, of the body size and leading */
#define TITLE_SCALE 1.1   /* the annex's title */
#define HEADER_SCALE 0.75 /* the running header */
#define GUTTER 1.5        /* between columns, in ems of the entries' size */
#define INDENT 1.0        /* of a wrapped entry's later lines, in ems */
#define QUIET_GRAY 0.4
#define RULE_GRAY 0.6
#define COLUMNS 2
/* Shapings waiting to be kept compactly live in a scratch arena renewed
 * after this many entries. */
#define SCRATCH_ENTRIES 512

struct glyph {
    float x, y;
    uint16_t gid;
    uint8_t face;
};

/* A line: its glyphs follow it in the spool; the title and the running
 * headers are kept in memory (range in glyphs). */
struct item {
    uint32_t first, count; /* range in glyphs */
    float x, y, size, gray;
    int page;                      /* of the annex, from 0 */
    const struct doc_block *block; /* what it shows (tagging), an entry's group; NULL: the
                                      running header */
    const struct doc_entry *entry; /* or the signer it shows */
    bool one_span;                 /* shown as ASCII would be (one_span) */
};

/* Where each page's lines start in the spool, and how many. */
struct page_lines {
    uint64_t at;
    size_t count;
};

struct pdf_annex {
    const struct doc_document *doc;
    struct pdf_spool *spool;
    struct font_set *fs;
    struct font_embed *embed;
    struct arena *scratch;
    size_t scratch_entries;
    double left, width, top, content_height;
    double size, leading, column_width;
    int first_page, page, column;
    double y, column_top; /* down from the top of the page's text area */
    struct glyph *glyphs;
    size_t glyph_count, glyph_capacity;
    struct item title;
    bool has_title;
    struct page_lines *pages; /* per page of the annex */
    size_t page_capacity;
    struct glyph *spooled; /* drawing scratch: one line's glyphs */
    size_t spooled_capacity;
    struct item (*headers)[2];   /* per page: reference and words, page n of m */
    struct font_glyph *expanded; /* drawing scratch */
    size_t expanded_capacity;
    struct word *words; /* the entry being shaped */
    size_t word_capacity;
    struct font_glyph *word_glyphs;
    size_t glyph_room;
    struct pdf_measures *measures; /* the wrapped entries' words' widths */
    uint64_t page_faces;           /* faces (below 64) registered on the page being drawn */
    double entry_baseline[4];      /* baseline_in at the entries' size, by style (& 3) */
    unsigned baselines_known;      /* bit per style of entry_baseline */
};

/* A shaped line waiting for its place. */
struct shaped_line {
    struct font_shaped shaped;
    double indent;
};

static struct font_shaped shape(struct pdf_annex *a, unsigned style, double size, const char *text,
                                size_t len)
{
    return font_embed_shape(a->embed, a->scratch, a->doc->language, style, size, text, len);
}

/* Keeps shaped's glyphs compactly as an item at (x, baseline), both in
 * page coordinates. */
static struct item keep(struct pdf_annex *a, const struct font_shaped *shaped, double x,
                        double baseline, double size, double gray, const struct doc_block *block)
{
    if (a->glyph_count + shaped->count > a->glyph_capacity) {
        a->glyph_capacity = (a->glyph_count + shaped->count) * 2;
        a->glyphs = xrealloc(a->glyphs, a->glyph_capacity * sizeof *a->glyphs);
    }
    struct item it = {(uint32_t)a->glyph_count,
                      (uint32_t)shaped->count,
                      (float)x,
                      (float)baseline,
                      (float)size,
                      (float)gray,
                      a->page,
                      block,
                      NULL,
                      shaped->ascii};
    for (size_t i = 0; i < shaped->count; i++) {
        const struct font_glyph *g = &shaped->glyphs[i];
        a->glyphs[a->glyph_count++] =
            (struct glyph){(float)g->x, (float)g->y, (uint16_t)g->gid, (uint8_t)g->face};
    }
    return it;
}

static struct page_lines *page_lines(struct pdf_annex *a, int page)
{
    if ((size_t)page >= a->page_capacity) {
        size_t capacity = 2 * (size_t)page + 16;
        a->pages = xrealloc(a->pages, capacity * sizeof *a->pages);
        memset(a->pages + a->page_capacity, 0, (capacity - a->page_capacity) * sizeof *a->pages);
        a->page_capacity = capacity;
    }
    return &a->pages[page];
}

/* Writes a line of shaped's glyphs at (x, baseline) (page coordinates) to
 * the spool, on the current page. */
static void spool_line(struct pdf_annex *a, const struct font_shaped *shaped, double x,
                       double baseline, const struct doc_block *block,
                       const struct doc_entry *entry)
{
    struct item it;
    memset(&it, 0, sizeof it); /* its padding too: it is written out */
    it.count = (uint32_t)shaped->count;
    it.x = (float)x;
    it.y = (float)baseline;
    it.size = (float)a->size;
    it.page = a->page;
    it.block = block;
    it.entry = entry;
    it.one_span = shaped->ascii;
    struct page_lines *pl = page_lines(a, a->page);
    uint64_t at = pdf_spool_write(a->spool, &it, sizeof it);
    if (pl->count++ == 0)
        pl->at = at;
    struct glyph g[64];
    memset(g, 0, sizeof g); /* padding */
    for (size_t i = 0; i < shaped->count;) {
        size_t n = 0;
        for (; n < sizeof g / sizeof g[0] && i < shaped->count; n++, i++) {
            const struct font_glyph *f = &shaped->glyphs[i];
            g[n] = (struct glyph){(float)f->x, (float)f->y, (uint16_t)f->gid, (uint8_t)f->face};
        }
        pdf_spool_write(a->spool, g, n * sizeof *g);
    }
}

static double baseline_in(struct pdf_annex *a, unsigned style, double size, double leading)
{
    double ascender, descender;
    font_extents(a->fs, style, size, &ascender, &descender);
    return (leading - (ascender - descender)) / 2 + ascender;
}

/* ---- an entry's lines, word by word ----
 *
 * A million signers have a few thousand different words (names, towns,
 * organisations, countries): each word is shaped with the space after it
 * through font_shape's cache, and an entry is its words placed one after
 * the other (HarfBuzz on each whole entry was two thirds of a petition's
 * time). An entry wider than its column is broken into lines by layout.h
 * (ties, hyphenation), each line made of the words it holds. */

/* A word of an entry with the spaces after it. */
struct word {
    size_t start, end;         /* in the entry's text, spaces included */
    size_t first, word_glyphs; /* its glyphs: from first, how many before the spaces */
    size_t glyphs;             /* with the spaces */
    double pen, width, word_width;
};

static struct word *word_room(struct pdf_annex *a, size_t count)
{
    if (count > a->word_capacity) {
        a->word_capacity = 2 * count;
        a->words = xrealloc(a->words, a->word_capacity * sizeof *a->words);
    }
    return a->words;
}

/* The entry being placed word by word (place_word). */
struct placing {
    struct pdf_annex *a;
    size_t count, glyphs; /* words and glyphs placed */
    double pen;
    size_t at, from, word_end, end; /* the word: see shape_words */
};

/* Places the glyphs of one word (text[from, end)) after the words before
 * it. Each is first made the font_glyph font_shape would give (the same
 * doubles: its scale, offsets and pen as shape_use in font.c computes
 * them), then moved as the entry places it. */
static void place_word(void *context, const struct font_set *fs, const struct font_unit *g,
                       size_t n)
{
    struct placing *p = context;
    struct pdf_annex *a = p->a;
    double size = a->size, scale = 0, shaped_pen = 0;
    unsigned scale_face = UINT32_MAX;
    size_t skip = 0;
    double origin = 0;
    if (p->at && n && g[0].text_off == 0 && (n == 1 || g[1].text_off)) {
        /* The space before: its kerned advance is the previous word's
         * last glyph's (that space). */
        double advance = g[0].x_advance * (size / font_face_upem(fs, g[0].face));
        struct word *previous = &a->words[p->count - 1];
        struct font_glyph *space = &a->word_glyphs[p->glyphs - 1];
        double change = advance - space->advance;
        space->advance = advance;
        previous->width += change;
        p->pen += change;
        skip = 1;
        origin = advance;
    }
    if (p->glyphs + n > a->glyph_room) {
        a->glyph_room = 2 * (p->glyphs + n);
        a->word_glyphs = xrealloc(a->word_glyphs, a->glyph_room * sizeof *a->word_glyphs);
    }
    struct word *w = &word_room(a, p->count + 1)[p->count];
    p->count++;
    *w = (struct word){
        .start = p->at, .end = p->end, .first = p->glyphs, .glyphs = n - skip, .pen = p->pen};
    w->word_glyphs = w->glyphs;
    double width = 0, space = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].face != scale_face) {
            scale = size / font_face_upem(fs, g[i].face);
            scale_face = g[i].face;
        }
        double x = shaped_pen + g[i].x_offset * scale, advance = g[i].x_advance * scale;
        shaped_pen += g[i].x_advance * scale;
        if (i < skip)
            continue;
        if (g[i].text_off + p->from >= p->word_end) {
            if (w->word_glyphs == w->glyphs)
                w->word_glyphs = i - skip;
            space += advance;
        }
        width += advance;
        x += p->pen - origin;
        a->word_glyphs[p->glyphs++] = (struct font_glyph){
            .face = g[i].face,
            .gid = g[i].gid,
            .x = x,
            .y = g[i].y_offset * scale,
            .advance = advance,
            .text_off = g[i].text_off + (uint32_t)p->from,
            .text_len = g[i].text_len,
        };
    }
    w->width = width;
    w->word_width = width - space;
    p->pen += width;
}

/* Shapes text word by word into a->word_glyphs; returns the words (in
 * a->words). Each word after the first is shaped with the space before
 * it, whose advance (kerned with the word's first letter: " T" is
 * narrower than " a" in Liberation Serif) replaces the previous word's
 * last space's: the glyphs are placed as shaping the whole entry places
 * them. */
static size_t shape_words(struct pdf_annex *a, unsigned style, const char *text, size_t len)
{
    struct placing p = {.a = a};
    for (size_t at = 0; at < len;) {
        size_t word_end = at;
        while (word_end < len && text[word_end] != ' ')
            word_end++;
        size_t end = word_end;
        while (end < len && text[end] == ' ')
            end++;
        p.at = at;
        p.from = at ? at - 1 : 0; /* with the space before */
        p.word_end = word_end;
        p.end = end;
        /* Its words are kept alone too: a wrapped entry measures them. */
        font_shape_words_units(a->fs, a->doc->language, style, text + p.from, end - p.from,
                               place_word, &p);
        at = end;
    }
    return p.count;
}

/* Words [from, to) as one line, its glyphs in the scratch arena, their
 * text offsets from the line's start (text + words[from].start). With
 * borrow, a line from the first word (at pen 0 and offset 0, so a copy
 * would change nothing) is a->word_glyphs itself, good until the next
 * shape_words: two lines in three of a petition's annex. */
static struct font_shaped line_of(struct pdf_annex *a, const char *text, size_t from, size_t to,
                                  bool ascii, bool borrow)
{
    const struct word *first = &a->words[from], *last = &a->words[to - 1];
    size_t count = last->first + last->word_glyphs - first->first;
    struct font_shaped s = {
        .count = count, .width = last->pen + last->word_width - first->pen, .ascii = ascii};
    if (borrow && from == 0 && count) {
        s.glyphs = a->word_glyphs;
        font_embed_use(a->embed, &s, text);
        return s;
    }
    s.glyphs = arena_alloc(a->scratch, (count ? count : 1) * sizeof *s.glyphs);
    for (size_t i = 0; i < count; i++) {
        s.glyphs[i] = a->word_glyphs[first->first + i];
        s.glyphs[i].x -= first->pen;
        s.glyphs[i].text_off -= (uint32_t)first->start;
    }
    font_embed_use(a->embed, &s, text + first->start);
    return s;
}

/* Whether text has no letter of the scripts pdf_tags_show gives spans of
 * their own (Cyrillic, Greek): then its lines are marked as ASCII, and
 * pdf_tags_show shows each as the one span it would find looking at every
 * glyph (a tenth of a petition's time). */
static bool one_span(const char *text, size_t len)
{
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        if ((c >= 0x370 && c <= 0x52F) || (c >= 0x1F00 && c <= 0x1FFF))
            return false;
    }
    return true;
}

/* The words [*from, to) that make text[at, at + len) from a word's start
 * to a word's end; false when the line starts or ends inside a word (cut
 * at a hyphen). */
static bool words_of(const struct pdf_annex *a, size_t count, size_t *from, size_t *to,
                     const char *text, size_t at, size_t len)
{
    size_t i = *from;
    while (i < count && a->words[i].start < at)
        i++;
    if (i == count || a->words[i].start != at)
        return false;
    size_t j = i;
    while (j < count && a->words[j].start < at + len)
        j++;
    const struct word *last = &a->words[j - 1];
    size_t last_end = last->start;
    while (last_end < last->end && text[last_end] != ' ')
        last_end++;
    if (last_end != at + len)
        return false;
    *from = i;
    *to = j;
    return true;
}

/* The measures of an entry's words, made at the first entry that wraps. */
static struct pdf_measures *entry_measures(struct pdf_annex *a)
{
    if (!a->measures) {
        struct font_layout m = {a->fs, a->doc->language, a->size, 0};
        a->measures = pdf_measures_new(&m);
    }
    return a->measures;
}

/* An entry's lines (text as typed, shaped into count words) when
 * layout_entry_lines finds them, as shape_block would make them from
 * layout_paragraph's: 0 when it does not. Both lines hold whole words
 * (no break inside a word comes from layout_entry_lines but after a
 * hyphen or slash, which shape_block shapes anew as here). */
static size_t entry_lines(struct pdf_annex *a, const char *text, size_t len, size_t count,
                          bool single, bool borrow, double indent, struct shaped_line **out)
{
    struct layout_entry_line lines[2];
    size_t n = layout_entry_lines(text, len, a->column_width - indent, pdf_measures_measure,
                                  entry_measures(a), 0, a->doc->language, lines);
    if (n == 0)
        return 0;
    *out = arena_alloc(a->scratch, n * sizeof **out);
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = lines[i].from, line_len = lines[i].to - at, to;
        struct font_shaped s;
        if (words_of(a, count, &from, &to, text, at, line_len)) {
            s = line_of(a, text, from, to, single, borrow);
            from = to;
        } else {
            char *line = arena_strndup(a->scratch, text + at, line_len);
            s = shape(a, 0, a->size, line, line_len);
        }
        (*out)[i] = (struct shaped_line){s, i ? indent : 0};
    }
    return n;
}

/* The lines of block's text in style at the column's width: one line when
 * it fits, else filled by layout.h with the later lines indented. With
 * borrow, they may hold a->word_glyphs (line_of): the caller puts them
 * before it shapes another block. */
static size_t shape_block(struct pdf_annex *a, const struct doc_block *block, unsigned style,
                          bool borrow, struct shaped_line **out)
{
    const struct doc_inline *in = block->first_inline;
    bool typed =
        in && !in->next && in->kind == DOC_TEXT && doc_text_as_typed(in->text, a->doc->language);
    const char *text = typed ? in->text /* an entry: collapsed already (annex.c) */
                             : doc_plain_text(a->scratch, block, a->doc->language);
    size_t len = strlen(text);
    if (len == 0)
        return 0;
    bool single = one_span(text, len);
    size_t count = shape_words(a, style, text, len);
    const struct word *last = &a->words[count - 1];
    if (last->pen + last->word_width <= a->column_width) {
        *out = arena_alloc(a->scratch, sizeof **out);
        (*out)[0] = (struct shaped_line){line_of(a, text, 0, count, single, borrow), 0};
        return 1;
    }
    double indent = INDENT * a->size;
    if (typed && style == 0) {
        size_t fast = entry_lines(a, text, len, count, single, borrow, indent, out);
        if (fast)
            return fast;
    }
    /* Text as typed is the one run doc_runs would copy it into. */
    struct doc_run one = {.text = text, .len = len, .loc = in ? in->loc : block->loc};
    struct doc_run *runs = &one;
    size_t run_count = typed ? 1 : doc_runs(a->scratch, block, a->doc->language, &runs);
    struct font_layout m = {a->fs, a->doc->language, a->size, style};
    struct layout_lines lines;
    if (style == 0)
        entry_measures(a);
    /* An entry's words, measured once for the annex; a heading as it comes. */
    if (style == 0)
        layout_paragraph(a->scratch, runs, run_count, a->column_width - indent,
                         pdf_measures_measure, a->measures, a->doc->language, &lines);
    else
        layout_paragraph(a->scratch, runs, run_count, a->column_width - indent, font_layout_measure,
                         &m, a->doc->language, &lines);
    *out = arena_alloc(a->scratch, (lines.count + 1) * sizeof **out);
    struct buffer b = {0};
    size_t at = 0;   /* where the next line would start in text */
    size_t from = 0; /* its first word */
    for (size_t i = 0; i < lines.count; i++) {
        buffer_reset(&b);
        for (size_t k = 0; k < lines.lines[i].count; k++) {
            const struct layout_piece *piece = &lines.lines[i].pieces[k];
            buffer_append(&b, piece->text, piece->len);
            if (piece->space_after > 0 && k + 1 < lines.lines[i].count)
                buffer_putc(&b, ' ');
        }
        size_t to;
        struct font_shaped s;
        if (at + b.len <= len && memcmp(text + at, b.data ? b.data : "", b.len) == 0 &&
            words_of(a, count, &from, &to, text, at, b.len)) {
            s = line_of(a, text, from, to, single, borrow);
            from = to;
            at += b.len;
            at += at < len && text[at] == ' ';
        } else { /* not whole words of the text (cut at a hyphen, or one added) */
            char *line = arena_strndup(a->scratch, b.data ? b.data : "", b.len);
            s = shape(a, style, a->size, line, b.len);
            if (at + b.len <= len && memcmp(text + at, line, b.len) == 0) {
                at += b.len;
                at += at < len && text[at] == ' ';
            } else {
                at = len + 1;
            }
        }
        (*out)[i] = (struct shaped_line){s, i ? indent : 0};
    }
    buffer_free(&b);
    return lines.count;
}

/* ---- flowing down the columns ---- */

static void next_page(struct pdf_annex *a)
{
    a->page++;
    a->column = 0;
    /* The running header and its rule take one header line and half a
     * leading. */
    a->column_top = a->leading * HEADER_SCALE / ENTRY_SCALE + a->leading / 2;
    a->y = a->column_top;
}

static void next_column(struct pdf_annex *a)
{
    if (a->column + 1 < COLUMNS) {
        a->column++;
        a->y = a->column_top;
    } else {
        next_page(a);
    }
}

/* Moves on until height fits below the current position; a column top
 * takes anything (an entry taller than a page runs over its foot). */
static void make_room(struct pdf_annex *a, double space_before, double height)
{
    if (a->y > a->column_top && a->y + space_before + height > a->content_height + 1e-6)
        next_column(a);
    if (a->y > a->column_top)
        a->y += space_before;
}

static void put_lines(struct pdf_annex *a, const struct shaped_line *lines, size_t count,
                      unsigned style, const struct doc_block *block, const struct doc_entry *entry)
{
    double x = a->left + (double)a->column * (a->column_width + GUTTER * a->size);
    /* Once per style, not per entry (HarfBuzz's extents, 600 instructions). */
    unsigned k = style & 3;
    if (!(a->baselines_known & 1u << k)) {
        a->entry_baseline[k] = baseline_in(a, style, a->size, a->leading);
        a->baselines_known |= 1u << k;
    }
    double baseline = a->entry_baseline[k];
    for (size_t i = 0; i < count; i++) {
        spool_line(a, &lines[i].shaped, x + lines[i].indent, a->top - a->y - baseline, block,
                   entry);
        a->y += a->leading;
    }
}

static void renew_scratch(struct pdf_annex *a)
{
    if (++a->scratch_entries < SCRATCH_ENTRIES)
        return;
    arena_free(a->scratch);
    a->scratch = arena_new();
    a->scratch_entries = 0;
}

/* A group: its heading (bold) kept with its first entry, then the entries. */
static void put_group(struct pdf_annex *a, const struct doc_block *group)
{
    struct shaped_line *heading;
    size_t heading_lines = shape_block(a, group, DOC_STYLE_BOLD, false, &heading);
    bool first = true;
    struct doc_entry_view view;
    for (size_t e = 0; e < group->entry_count; e++) {
        struct shaped_line *lines;
        size_t count = shape_block(a, doc_entry_block(group, e, &view), 0, true, &lines);
        double height = (double)count * a->leading;
        if (first) {
            make_room(a, a->leading / 2, (double)heading_lines * a->leading + height);
            put_lines(a, heading, heading_lines, DOC_STYLE_BOLD, group, NULL);
            first = false;
        } else {
            make_room(a, 0, height);
        }
        put_lines(a, lines, count, 0, group, &group->entries[e]);
        renew_scratch(a);
    }
    if (first && heading_lines) {
        make_room(a, a->leading / 2, (double)heading_lines * a->leading);
        put_lines(a, heading, heading_lines, DOC_STYLE_BOLD, group, NULL);
    }
}

/* The annex's title at the top of its first page. */
static void put_title(struct pdf_annex *a, const struct doc_block *annex)
{
    char *text = doc_plain_text(a->scratch, annex, a->doc->language);
    double size = a->size / ENTRY_SCALE * TITLE_SCALE;
    double leading = a->leading / ENTRY_SCALE * TITLE_SCALE;
    /* Under the running header, as on every page of the annex. */
    a->y = a->leading * HEADER_SCALE / ENTRY_SCALE + a->leading / 2;
    if (*text) {
        struct font_shaped s = shape(a, DOC_STYLE_BOLD, size, text, strlen(text));
        a->title =
            keep(a, &s, a->left, a->top - a->y - baseline_in(a, DOC_STYLE_BOLD, size, leading),
                 size, 0, annex);
        a->has_title = true;
        a->y += leading + a->leading / 2;
    }
    a->column_top = a->y;
}

/* "REF — Signatories" (on later pages "Signatories (continued)") left,
 * "Page n of m" right, on every page of the annex: its one page number. */
static void make_headers(struct pdf_annex *a, int pages)
{
    a->headers = xcalloc((size_t)pages, sizeof *a->headers);
    double size = a->size / ENTRY_SCALE * HEADER_SCALE;
    double leading = a->leading / ENTRY_SCALE * HEADER_SCALE;
    double baseline = a->top - baseline_in(a, 0, size, leading);
    const char *reference =
        a->doc->reference ? a->doc->reference : pdf_draft_word(a->doc->language);
    int total = a->first_page + pages;
    /* The left part is the same on every page after the first: kept once
     * (a million signers' 12,465 pages kept 7 MB of copies). */
    struct item continued = {0};
    for (int k = 0; k < pages; k++) {
        const struct words *w = words_for(a->doc->language);
        if (k <= 1) {
            char *left = arena_printf(a->scratch, "%s \u2014 %s", reference,
                                      k ? w->continued : w->signatories);
            struct font_shaped l = shape(a, 0, size, left, strlen(left));
            continued = keep(a, &l, a->left, baseline, size, QUIET_GRAY, NULL);
        }
        a->headers[k][0] = continued;
        char *right = arena_printf(a->scratch, pdf_page_words(a->doc->language),
                                   a->first_page + k + 1, total);
        struct font_shaped r = shape(a, 0, size, right, strlen(right));
        a->headers[k][1] =
            keep(a, &r, a->left + a->width - r.width, baseline, size, QUIET_GRAY, NULL);
    }
}

struct pdf_annex *pdf_annex_layout(const struct doc_document *doc, const struct settings *settings,
                                   struct font_set *fonts, struct font_embed *embed,
                                   struct pdf_spool *spool, const struct doc_block *annex,
                                   int first_page)
{
    const struct page_settings *pg = &settings->page;
    struct pdf_annex *a = xcalloc(1, sizeof *a);
    a->doc = doc;
    a->spool = spool;
    a->fs = fonts;
    a->embed = embed;
    a->scratch = arena_new();
    a->first_page = first_page;
    a->left = pg->margin_left;
    a->width = pg->width - pg->margin_left - pg->margin_right;
    a->top = pg->height - pg->margin_top;
    a->content_height = pg->height - pg->margin_top - pg->margin_bottom;
    a->size = settings->fonts.size * ENTRY_SCALE;
    a->leading = settings->fonts.leading * ENTRY_SCALE;
    a->column_width = (a->width - (COLUMNS - 1) * GUTTER * a->size) / COLUMNS;
    put_title(a, annex);
    for (const struct doc_block *group = annex->first_child; group; group = group->next)
        put_group(a, group);
    make_headers(a, a->page + 1);
    arena_free(a->scratch);
    a->scratch = NULL;
    pdf_measures_free(a->measures);
    a->measures = NULL;
    return a;
}

int pdf_annex_pages(const struct pdf_annex *a)
{
    return a->page + 1;
}

/* ---- drawing ---- */

/* Draws it, whose glyphs are from (a->glyphs, or a line's read back). */
static void draw_item(struct pdf_annex *a, HPDF_Page hpage, const struct item *it,
                      const struct glyph *from, bool set_gray, struct pdf_tags *tags,
                      struct buffer *content)
{
    if (it->count > a->expanded_capacity) {
        a->expanded_capacity = it->count * 2;
        a->expanded = xrealloc(a->expanded, a->expanded_capacity * sizeof *a->expanded);
    }
    uint64_t faces = 0;
    bool high = false; /* a face past 63: always registered */
    for (uint32_t i = 0; i < it->count; i++) {
        const struct glyph *g = &from[i];
        a->expanded[i] = (struct font_glyph){.face = g->face, .gid = g->gid, .x = g->x, .y = g->y};
        if (g->face < 64)
            faces |= (uint64_t)1 << g->face;
        else
            high = true;
    }
    struct font_shaped shaped = {.glyphs = a->expanded, .count = it->count, .ascii = it->one_span};
    /* Only a line with a face new to the page adds to its /Font (in the
     * order its glyphs meet them, as registering every line did). */
    if (high || (faces & ~a->page_faces))
        font_embed_register(a->embed, hpage, &shaped);
    a->page_faces |= faces;
    if (set_gray) {
        font_pdf_number(content, it->gray);
        buffer_puts(content, " g\n");
    }
    if (it->entry)
        pdf_tags_show_entry(tags, a->embed, it->block, it->entry, content, it->x, it->y, it->size,
                            &shaped);
    else
        pdf_tags_show(tags, a->embed, it->block, content, it->x, it->y, it->size, &shaped);
}

/* Draws page k's lines as they were spooled; stops when the spool cannot
 * give them back (pdf_spool_check says why when the file is saved). */
static void draw_spooled(struct pdf_annex *a, int k, HPDF_Page hpage, float gray,
                         struct pdf_tags *tags, struct buffer *content)
{
    if ((size_t)k >= a->page_capacity)
        return;
    uint64_t at = a->pages[k].at;
    for (size_t i = 0; i < a->pages[k].count; i++) {
        struct item it;
        if (pdf_spool_read(a->spool, at, &it, sizeof it) != 0)
            return;
        at += sizeof it;
        if (it.count > a->spooled_capacity) {
            a->spooled_capacity = 2 * it.count;
            a->spooled = xrealloc(a->spooled, a->spooled_capacity * sizeof *a->spooled);
        }
        if (pdf_spool_read(a->spool, at, a->spooled, it.count * sizeof *a->spooled) != 0)
            return;
        at += it.count * sizeof *a->spooled;
        draw_item(a, hpage, &it, a->spooled, it.gray != gray, tags, content);
        gray = it.gray;
    }
    /* Each page is drawn once: its lines' place in the file can go. */
    pdf_spool_release(a->spool, a->pages[k].at, at - a->pages[k].at);
}

void pdf_annex_draw(struct pdf_annex *a, int page, HPDF_Page hpage, struct pdf_tags *tags,
                    struct buffer *content)
{
    int k = page - a->first_page;
    if (k < 0 || k > a->page)
        return;
    a->page_faces = 0;
    draw_item(a, hpage, &a->headers[k][0], a->glyphs + a->headers[k][0].first, true, tags, content);
    draw_item(a, hpage, &a->headers[k][1], a->glyphs + a->headers[k][1].first, false, tags,
              content);
    double rule = a->top - a->leading * HEADER_SCALE / ENTRY_SCALE - a->leading / 4;
    pdf_tags_begin(tags, NULL, PDF_TAGS_ARTIFACT, content);
    font_pdf_number(content, RULE_GRAY);
    buffer_puts(content, " G 0.5 w ");
    font_pdf_number(content, a->left);
    buffer_putc(content, ' ');
    font_pdf_number(content, rule);
    buffer_puts(content, " m ");
    font_pdf_number(content, a->left + a->width);
    buffer_putc(content, ' ');
    font_pdf_number(content, rule);
    buffer_puts(content, " l S\n");
    pdf_tags_end(tags, content);
    /* The first line sets its gray, later ones when it changes. */
    float gray = -1;
    if (k == 0 && a->has_title) {
        draw_item(a, hpage, &a->title, a->glyphs + a->title.first, true, tags, content);
        gray = a->title.gray;
    }
    draw_spooled(a, k, hpage, gray, tags, content);
    buffer_puts(content, "0 g\n");
}

void pdf_annex_free(struct pdf_annex *a)
{
    if (!a)
        return;
    arena_free(a->scratch);
    free(a->glyphs);
    free(a->pages);
    free(a->spooled);
    free(a->headers);
    free(a->expanded);
    free(a->words);
    free(a->word_glyphs);
    pdf_measures_free(a->measures);
    free(a);
}
