/* pdf_set.c — setting text into line boxes and the letter's parts in order. */
#include "pdf_internal.h"

#include "layout.h"
#include "layout_report.h"

#include <math.h>
#include <string.h>

/* The glyphs of a kept line used again: the embedding records each glyph
 * with the text of the piece it came from, as shaping the line would. */
static void use_line(struct pdf *p, const struct layout_line *line, const struct font_shaped *s,
                     const uint16_t *from)
{
    const char **texts = arena_alloc_raw(p->arena, (s->count + 1) * sizeof *texts);
    for (size_t g = 0; g < s->count; g++)
        texts[g] = from[g] == PDF_LINE_SPACE    ? " "
                   : from[g] == PDF_LINE_HYPHEN ? "-"
                                                : line->pieces[from[g]].text;
    font_embed_use_texts(p->embed, s, texts);
}

/* The glyphs of line index of lines: its pieces shaped in place, a space
 * glyph in each gap (so copied text has its spaces), each gap grown (or
 * shrunk) by scale times its own width, as Knuth-Plass glue is. A line of
 * a paragraph the layout cache gave again is set once per process. */
static struct font_shaped shape_line(struct pdf *p, const struct layout_lines *lines, size_t index,
                                     unsigned extra_style, double size, double scale)
{
    const struct layout_line *line = &lines->lines[index];
    struct pdf_line_key key = {line->count < PDF_LINE_HYPHEN ? lines->kept : 0, (uint32_t)index,
                               extra_style, size, scale};
    struct font_shaped out;
    const uint16_t *kept_from;
    if (pdf_lines_find(&key, p->arena, &out, &kept_from)) {
        use_line(p, line, &out, kept_from);
        return out;
    }
    struct font_shaped *parts = arena_alloc_raw(p->arena, 2 * (line->count + 1) * sizeof *parts);
    double *offsets = arena_alloc_raw(p->arena, 2 * (line->count + 1) * sizeof *offsets);
    uint16_t *sources = arena_alloc_raw(p->arena, 2 * (line->count + 1) * sizeof *sources);
    size_t nparts = 0, total = 0;
    double stretch = 0;
    /* A line's spaces in one style are shaped once: half its shapings. */
    struct {
        unsigned style;
        struct font_shaped shaped;
    } spaces[4];
    size_t space_count = 0;
    for (size_t k = 0; k < line->count; k++) {
        const struct layout_piece *piece = &line->pieces[k];
        unsigned style = piece->style | extra_style;
        offsets[nparts] = piece->x + stretch;
        sources[nparts] = (uint16_t)k;
        parts[nparts] = pdf_shape(p, style, size, piece->text, piece->len);
        total += parts[nparts++].count;
        if (piece->space_after > 0 && k + 1 < line->count) {
            offsets[nparts] = piece->x + stretch + piece->width;
            size_t s = 0;
            while (s < space_count && spaces[s].style != style)
                s++;
            if (s == space_count && space_count < sizeof spaces / sizeof spaces[0]) {
                spaces[s].style = style;
                spaces[s].shaped = pdf_shape(p, style, size, " ", 1);
                space_count++;
            }
            sources[nparts] = PDF_LINE_SPACE;
            parts[nparts] = s < space_count ? spaces[s].shaped : pdf_shape(p, style, size, " ", 1);
            total += parts[nparts++].count;
            stretch += scale * piece->space_after;
        }
    }
    if (line->hyphen_width > 0 && line->count > 0) {
        /* A word broken by hyphenation: its hyphen after the last piece. */
        const struct layout_piece *piece = &line->pieces[line->count - 1];
        offsets[nparts] = piece->x + stretch + piece->width;
        sources[nparts] = PDF_LINE_HYPHEN;
        parts[nparts] = pdf_shape(p, piece->style | extra_style, size, "-", 1);
        total += parts[nparts++].count;
    }
    out = (struct font_shaped){
        .glyphs = arena_alloc_raw(p->arena, (total + 1) * sizeof *out.glyphs), .ascii = true};
    uint16_t *from = key.kept ? arena_alloc_raw(p->arena, (total + 1) * sizeof *from) : NULL;
    for (size_t i = 0; i < nparts; i++) {
        out.ascii = out.ascii && parts[i].ascii;
        for (size_t g = 0; g < parts[i].count; g++) {
            struct font_glyph glyph = parts[i].glyphs[g];
            glyph.x += offsets[i];
            if (from)
                from[out.count] = sources[i];
            out.glyphs[out.count++] = glyph;
        }
    }
    out.width = line->width + stretch;
    if (from)
        pdf_lines_keep(&key, &out, from);
    return out;
}

/* Distance from a line box's top to its baseline: the font's ascent plus
 * half the leading left over (so lines of any size sit evenly). */
/* layout_paragraph_with measuring with m, through the process's cache. */
static void lay_out(struct pdf *p, const struct doc_run *runs, size_t count, double width,
                    struct font_layout *m, const struct layout_params *params,
                    struct layout_lines *lines)
{
    struct {
        uint64_t serial;
        double size;
        uint64_t style;
    } key;
    memset(&key, 0, sizeof key);
    key.serial = font_set_serial(m->fs);
    key.size = m->size;
    key.style = m->extra_style;
    layout_paragraph_cached(p->arena, runs, count, width, font_layout_measure, m, &key, sizeof key,
                            m->language, params, lines);
}

/* Sets block's inline content as line boxes; returns the number made.
 * Orphans and widows are avoided by linking first and last line pairs. */
size_t pdf_set_block(struct pdf *p, const struct doc_block *block, const struct text_spec *t)
{
    p->tag_block = block;
    const struct doc_run *runs;
    size_t count = pdf_segment_runs(p, block, t->segment, &runs);
    if (count == 0)
        return 0;
    struct font_layout m = {p->fs, p->doc->language, t->size, t->extra_style};
    struct layout_lines lines;
    struct layout_params params;
    layout_params_default(&params, t->align == ALIGN_JUSTIFY ? LAYOUT_JUSTIFIED : LAYOUT_RAGGED,
                          p->doc->language);
    params.measure_part = font_layout_measure_part;
    lay_out(p, runs, count, t->width, &m, &params, &lines);
    if (p->report && t->report)
        layout_report_block(p->report,
                            &(struct layout_report_block){block, runs, count, t->width,
                                                          font_layout_measure, &m, p->doc->language,
                                                          &params, p->box_count},
                            &lines);
    if (t->balance && lines.count > 1) {
        /* The narrowest measure giving as many lines evens them out, so a
         * name never ends in one stray word. */
        struct layout_params ragged;
        layout_params_default(&ragged, LAYOUT_RAGGED, p->doc->language);
        double low = t->width / 2, high = t->width;
        for (int step = 0; step < 10; step++) {
            double mid = (low + high) / 2;
            struct layout_lines trial;
            lay_out(p, runs, count, mid, &m, &ragged, &trial);
            if (trial.count > lines.count)
                low = mid;
            else
                high = mid;
        }
        lay_out(p, runs, count, high, &m, &ragged, &lines);
    }
    double baseline = pdf_baseline_in(p, t->extra_style, t->size, t->leading);
    for (size_t i = 0; i < lines.count; i++) {
        const struct layout_line *line = &lines.lines[i];
        /* Justified lines fill the measure; a last line only shrinks. */
        double scale = 0;
        if (t->align == ALIGN_JUSTIFY && line->space > 0 && (!line->last || line->width > t->width))
            scale = (t->width - line->width) / line->space;
        struct box *b = pdf_box_new(p, i == 0 ? t->space_before : 0, t->leading);
        /* A word broken by a hyphen never ends a page. */
        b->keep_with_next = t->keep_all ? i + 1 < lines.count
                                        : (i == 0 && lines.count > 1) || i + 2 == lines.count ||
                                              line->hyphen_width > 0;
        struct font_shaped s = shape_line(p, &lines, i, t->extra_style, t->size, scale);
        double x = t->align == ALIGN_RIGHT ? t->x + t->width - s.width : t->x;
        pdf_text_add(p, b, x, baseline, t->size, t->gray, s);
    }
    return lines.count;
}

/* ---- the letter's parts ---- */

/* Sets block's lines as set_block would, but puts their text into the box
 * numbered target, the first line's baseline at top + its usual offset,
 * the next lines one leading apart. Returns the number of lines. Boxes are
 * numbered, not pointed at, because adding boxes moves them. */
size_t pdf_set_into(struct pdf *p, const struct doc_block *block, const struct text_spec *t,
                    size_t target, double top)
{
    size_t before = p->box_count;
    size_t lines = pdf_set_block(p, block, t);
    for (size_t i = before; i < p->box_count; i++)
        for (struct item *it = p->boxes[i].first; it; it = it->next)
            pdf_text_add(p, &p->boxes[target], it->x,
                         top + (double)(i - before) * t->leading + it->y, it->size, it->gray,
                         it->shaped);
    p->box_count = before;
    return lines;
}

/* Reference left and date right on one line when both fit, else each on
 * its own line. */
static void set_reference_date(struct pdf *p, const struct doc_block *ref,
                               const struct doc_block *date, double space_before)
{
    struct font_layout m = {p->fs, p->doc->language, p->size, 0};
    char *r = doc_block_text(p->doc, ref, p->arena);
    char *d = doc_block_text(p->doc, date, p->arena);
    double rw = font_layout_measure(&m, r, strlen(r), 0),
           dw = font_layout_measure(&m, d, strlen(d), 0);
    struct text_spec left = pdf_body_spec(p, space_before);
    left.keep_all = true;
    if (rw + dw + 2 * p->size > p->width) {
        pdf_set_block(p, ref, &left);
        p->boxes[p->box_count - 1].keep_with_next = true;
        left.space_before = 0;
        pdf_set_block(p, date, &left);
        return;
    }
    struct text_spec right = pdf_body_spec(p, 0);
    right.align = ALIGN_RIGHT;
    size_t line = p->box_count;
    pdf_box_new(p, space_before, p->leading);
    pdf_set_into(p, ref, &left, line, 0);
    pdf_set_into(p, date, &right, line, 0);
}

/* Signatures side by side, up to three to a row; each has room for a
 * handwritten signature (or its image) above its lines (name, title...). */
static void set_signatures(struct pdf *p, const struct doc_block *block, double space_before)
{
    size_t count = 0;
    for (const struct doc_block *s = block->first_child; s; s = s->next)
        count++;
    size_t columns = count < 3 ? (count ? count : 1) : 3;
    double column_w = p->width / (double)columns, gutter = p->size;
    double space = p->leading * SIGNATURE_SPACE;
    const struct doc_block *sig = block->first_child;
    for (size_t row_start = 0; row_start < count; row_start += columns) {
        size_t row = p->box_count;
        pdf_box_new(p, row_start ? p->leading : space_before, 0);
        double height = 0;
        for (size_t c = 0; c < columns && sig; c++, sig = sig->next) {
            double x = p->left + (double)c * column_w;
            p->slots = xrealloc(p->slots, (p->slot_count + 1) * sizeof *p->slots);
            p->slots[p->slot_count++] = (struct signature_slot){row, x, column_w - gutter};
            HPDF_Image image =
                sig->image && *sig->image ? pdf_image_load(p, sig->image, sig->image_loc) : NULL;
            p->tag_block = sig;
            if (image) {
                double w, h;
                pdf_image_fit(image, column_w - gutter, space - p->leading / 4, &w, &h);
                struct item *it =
                    pdf_item_add(p, &p->boxes[row], ITEM_IMAGE, x, space - p->leading / 8 - h);
                it->image = image;
                it->width = w;
                it->height = h;
            }
            struct text_spec t = pdf_body_spec(p, 0);
            t.width = column_w - gutter;
            t.x = x;
            double y = space;
            for (const struct doc_block *line = sig->first_child; line; line = line->next)
                y += (double)pdf_set_into(p, line, &t, row, y) * p->leading;
            height = fmax(height, y);
        }
        p->boxes[row].height = height;
        p->boxes[row].keep_with_next = row_start + columns < count;
    }
}

/* Space before a block, in leadings, by kind (after a letterhead, more). */
static double space_before(struct pdf *p, enum doc_block_kind kind, enum doc_block_kind previous,
                           bool first)
{
    if (first)
        return 0;
    double l = p->leading;
    if (previous == DOC_LETTERHEAD)
        return 2 * l;
    switch (kind) {
    case DOC_ADDRESS:
        return 1.5 * l;
    case DOC_SUBJECT:
    case DOC_SALUTATION:
    case DOC_REFERENCE:
    case DOC_DATE:
        return l;
    case DOC_CLOSING:
        return 0.75 * l;
    case DOC_SIGNATURES:
        return 0.25 * l;
    default:
        return 0.5 * l;
    }
}

/* The reference and date: beside a window field that has an information
 * block, else in the flow. Returns the last block used. */
static const struct doc_block *set_reference(struct pdf *p, const struct doc_block *b,
                                             const struct text_spec *t)
{
    const struct doc_block *ref = b->kind == DOC_REFERENCE ? b : NULL;
    const struct doc_block *date = b->kind == DOC_DATE ? b : NULL;
    if (ref && b->next && b->next->kind == DOC_DATE)
        date = b->next;
    if (p->window && p->window->info_x > 0)
        pdf_page_info(p, ref, date);
    else if (ref && date)
        set_reference_date(p, ref, date, t->space_before);
    else
        pdf_set_block(p, b, t);
    return date ? date : ref;
}

/* Keeps the closing with the signatures and with the body's last two
 * lines, so that no page holds the signatures alone. */
static void keep_closing(struct pdf *p, size_t closing)
{
    p->boxes[p->box_count - 1].keep_with_next = true;
    for (size_t k = 0, i = closing; k < 2 && i-- > 0;) {
        if (p->boxes[i].fixed)
            continue;
        p->boxes[i].keep_with_next = true;
        k++;
    }
}

void pdf_set_blocks(struct pdf *p)
{
    enum doc_block_kind previous = DOC_LETTER;
    bool first = true, under_field = false;
    for (const struct doc_block *b = p->doc->root->first_child; b; b = b->next) {
        double space = space_before(p, b->kind, previous, first);
        struct text_spec t = pdf_body_spec(p, space);
        t.report = true;
        size_t before = p->box_count;
        switch (b->kind) {
        case DOC_LETTERHEAD:
            pdf_page_letterhead(p, b);
            break;
        case DOC_SENDER:
            if (p->window)
                pdf_page_sender(p, b);
            break;
        case DOC_REFERENCE:
        case DOC_DATE:
            b = set_reference(p, b, &t);
            break;
        case DOC_ADDRESS:
            if (p->window) {
                pdf_page_address(p, b);
                break;
            }
            for (const struct doc_block *line = b->first_child; line; line = line->next) {
                t.keep_all = true;
                pdf_set_block(p, line, &t);
                t.space_before = 0;
            }
            break;
        case DOC_SUBJECT:
            t.extra_style = DOC_STYLE_BOLD;
            t.keep_all = true;
            pdf_set_block(p, b, &t);
            break;
        case DOC_SIGNATURES:
            set_signatures(p, b, space);
            break;
        case DOC_ANNEX:
            p->annex_block = b;
            break;
        case DOC_PARAGRAPH:
            t.align = p->settings->layout.ragged ? ALIGN_LEFT : ALIGN_JUSTIFY;
            pdf_set_block(p, b, &t);
            break;
        default:
            t.keep_all = true;
            pdf_set_block(p, b, &t);
            break;
        }
        size_t flowed = before;
        while (flowed < p->box_count && p->boxes[flowed].fixed)
            flowed++;
        if (flowed == p->box_count)
            continue;
        /* Under a window field the first page resumes below it. */
        if (p->window && b->kind != DOC_LETTERHEAD && !under_field) {
            p->boxes[flowed].below_field = true;
            under_field = true;
        }
        /* Headings, the salutation and the closing stay with what follows;
         * the closing also takes the body's last lines along. */
        bool keep = b->kind == DOC_SUBJECT || b->kind == DOC_SALUTATION || b->kind == DOC_ADDRESS;
        if (keep)
            p->boxes[p->box_count - 1].keep_with_next = true;
        if (b->kind == DOC_CLOSING)
            keep_closing(p, flowed);
        previous = b->kind;
        first = false;
    }
}
