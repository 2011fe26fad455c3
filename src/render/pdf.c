/* pdf.c — owns the PDF backend: turns the document tree into boxes (one per
 * line, rule, letterhead row or signature row) holding positioned items,
 * breaks the boxes into pages (keeping orphans, widows and the closing with
 * the signatures together), then writes the pages through libharu, with
 * all text drawn by font_embed_show from HarfBuzz-shaped glyphs.
 * Rendering is split in three passes because the font subsets (and so the
 * glyph ids in the content) are only known once every page is laid out.
 * Setting text into boxes, and the letter's parts, is pdf_set.c. */
#include "pdf.h"

#include "image.h"
#include "layout.h"
#include "layout_report.h"
#include "pdf_annex.h"
#include "pdf_attach.h"
#include "pdf_check.h"
#include "pdf_deflate.h"
#include "pdf_internal.h"
#include "pdf_memory.h"
#include "pdf_info.h"
#include "pdf_pdfa.h"
#include "pdf_spool.h"
#include "pdf_tags.h"

#include <hpdf_streams.h>

#include <math.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    struct pdf *p = user;
    if (!p->hpdf_error) {
        p->hpdf_error = error;
        p->hpdf_detail = detail;
    }
}

/* libharu's object layer sets its error without calling the handler. */
bool pdf_failed(struct pdf *p)
{
    p = p->owner;
    if (!p->hpdf_error && p->hpdf->error.error_no != HPDF_OK) {
        p->hpdf_error = p->hpdf->error.error_no;
        p->hpdf_detail = p->hpdf->error.detail_no;
    }
    return p->hpdf_error != HPDF_OK;
}

/* ---- boxes and items ---- */

struct box *pdf_box_new(struct pdf *p, double space_before, double height)
{
    if (p->box_count == p->box_capacity) {
        p->box_capacity = p->box_capacity ? p->box_capacity * 2 : 64;
        p->boxes = xrealloc(p->boxes, p->box_capacity * sizeof *p->boxes);
    }
    struct box *b = &p->boxes[p->box_count++];
    *b = (struct box){.space_before = space_before, .height = height};
    return b;
}

struct item *pdf_item_add(struct pdf *p, struct box *b, enum item_kind kind, double x, double y)
{
    struct item *it = arena_alloc(p->arena, sizeof *it);
    it->kind = kind;
    it->x = x;
    it->y = y;
    it->block = p->tag_block;
    if (b->last)
        b->last->next = it;
    else
        b->first = it;
    b->last = it;
    return it;
}

void pdf_text_add(struct pdf *p, struct box *b, double x, double baseline, double size, double gray,
                  struct font_shaped shaped)
{
    struct item *it = pdf_item_add(p, b, ITEM_TEXT, x, baseline);
    it->size = size;
    it->gray = gray;
    it->shaped = shaped;
}

/* Shapes text and records its glyphs for embedding. */
struct font_shaped pdf_shape(struct pdf *p, unsigned style, double size, const char *text,
                             size_t len)
{
    return font_embed_shape(p->embed, p->arena, p->doc->language, style, size, text, len);
}

double pdf_baseline_in(struct pdf *p, unsigned style, double size, double leading)
{
    double ascender, descender;
    font_extents(p->fs, style, size, &ascender, &descender);
    return (leading - (ascender - descender)) / 2 + ascender;
}

size_t pdf_segment_runs(struct pdf *p, const struct doc_block *block, enum segment segment,
                        const struct doc_run **runs)
{
    size_t count = doc_block_runs(p->doc, block, p->arena, runs);
    if (segment == SEGMENT_ALL)
        return count;
    size_t cut = 0;
    while (cut < count && !(*runs)[cut].line_break)
        cut++;
    if (segment == SEGMENT_FIRST)
        return cut;
    *runs += cut < count ? cut + 1 : count;
    return cut < count ? count - cut - 1 : 0;
}

struct text_spec pdf_body_spec(struct pdf *p, double space_before)
{
    return (struct text_spec){.size = p->size,
                              .leading = p->leading,
                              .width = p->width,
                              .x = p->left,
                              .space_before = space_before};
}

/* Loads a PNG once per document; NULL (with a located error) on failure. */
HPDF_Image pdf_image_load(struct pdf *letter, const char *path, struct source_loc loc)
{
    struct pdf *p = letter->owner; /* one copy of each image in the file */
    for (size_t i = 0; i < p->image_count; i++)
        if (strcmp(p->images[i].path, path) == 0)
            return p->images[i].image;
    /* The checked bytes, not the name opened again: libharu aborts on a
     * broken PNG, and a path may name another file by now. */
    struct buffer png = {0};
    char reason[512];
    if (image_read_png(path, &png, reason, sizeof reason)) {
        errors_add(p->errors, image_named(path, loc), "%s", reason);
        return NULL;
    }
    HPDF_Image image =
        HPDF_LoadPngImageFromMem(p->hpdf, (const HPDF_BYTE *)png.data, (HPDF_UINT)png.len);
    buffer_free(&png);
    if (!image) {
        errors_add(p->errors, loc, "cannot load image '%s' (libharu error 0x%04X)", path,
                   (unsigned)p->hpdf_error);
        HPDF_ResetError(p->hpdf);
        p->hpdf_error = HPDF_OK;
        return NULL;
    }
    /* libharu 2.3.0 leaves the alpha mask of an RGBA PNG uncompressed. */
    HPDF_Dict mask = HPDF_Dict_GetItem(image, "SMask", HPDF_OCLASS_DICT);
    if (mask)
        mask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    p->images = xrealloc(p->images, (p->image_count + 1) * sizeof *p->images);
    p->images[p->image_count++] = (struct loaded_image){path, image};
    return image;
}

/* Scales image to fit max_w x max_h, keeping its proportions. */
void pdf_image_fit(HPDF_Image image, double max_w, double max_h, double *w, double *h)
{
    double iw = HPDF_Image_GetWidth(image), ih = HPDF_Image_GetHeight(image);
    double scale = fmin(max_w / iw, max_h / ih);
    *w = iw * scale;
    *h = ih * scale;
}

/* ---- pages ---- */

/* The first box from i on that flows (p->box_count when none). */
static size_t next_flowing(const struct pdf *p, size_t i)
{
    while (i < p->box_count && p->boxes[i].fixed)
        i++;
    return i;
}

/* The last box of the chain starting at i: boxes linked by keep_with_next. */
static size_t chain_end(const struct pdf *p, size_t i)
{
    for (;;) {
        if (!p->boxes[i].keep_with_next)
            return i;
        size_t next = next_flowing(p, i + 1);
        if (next == p->box_count)
            return i;
        i = next;
    }
}

static double chain_height(const struct pdf *p, size_t from, size_t to)
{
    double h = 0;
    for (size_t i = from; i <= to; i = next_flowing(p, i + 1))
        h += (i > from ? p->boxes[i].space_before : 0) + p->boxes[i].height;
    return h;
}

/* Where the flow may run on page: from its top (under the running header
 * on later pages) to its bottom (above the first page's footer). */
static double page_top(const struct pdf *p, int page)
{
    return page == 0 ? -p->lift : p->next_top;
}

static double page_bottom(const struct pdf *p, int page)
{
    return page == 0 ? p->first_height : p->content_height;
}

/* Greedy page breaking over chains of boxes linked by keep_with_next: a
 * chain moves whole to the next page when it does not fit; a chain taller
 * than a page breaks wherever it must. On the first page the flow resumes
 * under the window field at the box marked below_field. */
static void paginate(struct pdf *p)
{
    int page = 0;
    double y = page_top(p, 0);
    bool at_top = true;
    for (size_t i = next_flowing(p, 0); i < p->box_count;) {
        size_t j = chain_end(p, i);
        if (page == 0 && p->boxes[i].below_field && y < p->first_top) {
            y = p->first_top;
            at_top = true;
        }
        double h = chain_height(p, i, j);
        double before = at_top ? 0 : p->boxes[i].space_before;
        if (!at_top && y + before + h > page_bottom(p, page) &&
            h <= page_bottom(p, page + 1) - page_top(p, page + 1)) {
            page++;
            y = page_top(p, page);
            at_top = true;
        }
        for (size_t k = i; k <= j; k = next_flowing(p, k + 1)) {
            struct box *b = &p->boxes[k];
            if (!at_top && y + b->space_before + b->height > page_bottom(p, page)) {
                page++;
                y = page_top(p, page);
                at_top = true;
            }
            if (!at_top)
                y += b->space_before;
            b->page = page;
            b->top = y;
            y += b->height;
            at_top = false;
        }
        i = next_flowing(p, j + 1);
    }
    p->pages = page + 1;
}

static void write_content(HPDF_Page page, struct buffer *content)
{
    HPDF_PageAttr attr = page->attr;
    if (content->len)
        HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)content->data, (HPDF_UINT)content->len);
    buffer_reset(content);
}

static enum pdf_tags_role item_role(const struct item *it)
{
    return it->kind == ITEM_RULE ? PDF_TAGS_ARTIFACT : PDF_TAGS_FIGURE;
}

static void draw_item(struct pdf *p, HPDF_Page page, const struct item *it, double top,
                      double *gray, struct buffer *content)
{
    double y = top - it->y;
    if (it->kind != ITEM_TEXT) {
        pdf_tags_begin(p->tags, it->block, item_role(it), content);
        write_content(page, content);
    }
    switch (it->kind) {
    case ITEM_TEXT:
        font_embed_register(p->embed, page, &it->shaped);
        if (it->gray != *gray) {
            font_pdf_number(content, it->gray);
            buffer_puts(content, " g\n");
            *gray = it->gray;
        }
        pdf_tags_show(p->tags, p->embed, it->block, content, it->x, y, it->size, &it->shaped);
        write_content(page, content);
        break;
    case ITEM_IMAGE:
        HPDF_Page_DrawImage(page, it->image, (HPDF_REAL)it->x, (HPDF_REAL)(y - it->height),
                            (HPDF_REAL)it->width, (HPDF_REAL)it->height);
        break;
    case ITEM_RULE:
        HPDF_Page_SetGrayStroke(page, (HPDF_REAL)it->gray);
        HPDF_Page_SetLineWidth(page, 0.5f);
        HPDF_Page_MoveTo(page, (HPDF_REAL)it->x, (HPDF_REAL)y);
        HPDF_Page_LineTo(page, (HPDF_REAL)(it->x + it->width), (HPDF_REAL)y);
        HPDF_Page_Stroke(page);
        break;
    }
    if (it->kind != ITEM_TEXT) {
        pdf_tags_end(p->tags, content);
        write_content(page, content);
    }
}

void pdf_page_tree(struct pdf *owner, int pages)
{
    /* libharu puts every page in the root's /Kids, an array: past its
     * limit (a petition of 32,000 pages), nodes of that many pages under
     * the root. Fewer pages keep the one-level tree. */
    size_t max = pdf_tags_array_max();
    if ((size_t)pages > max)
        HPDF_SetPagesConfiguration(owner->hpdf, (HPDF_UINT)max);
}

/* The boxes of each page, in the order they were made: boxes[order[i]]
 * for i in [start[n], start[n + 1]) are page n's. Looking through every
 * box for each page was pages times boxes: half of a million-signer
 * petition's time when its letter named every organisation (75,000 lines
 * of 20,247 pages). */
static size_t *boxes_by_page(const struct pdf *p, size_t **start)
{
    size_t pages = p->pages > 0 ? (size_t)p->pages : 0;
    *start = xcalloc(pages + 2, sizeof **start);
    for (size_t i = 0; i < p->box_count; i++)
        if (p->boxes[i].page >= 0 && (size_t)p->boxes[i].page < pages)
            (*start)[p->boxes[i].page + 2]++;
    for (size_t n = 2; n < pages + 2; n++)
        (*start)[n] += (*start)[n - 1];
    size_t *order = xmalloc((p->box_count ? p->box_count : 1) * sizeof *order);
    for (size_t i = 0; i < p->box_count; i++)
        if (p->boxes[i].page >= 0 && (size_t)p->boxes[i].page < pages)
            order[(*start)[p->boxes[i].page + 1]++] = i;
    return order;
}

/* libharu grows a list 20 items at a time (its object table 1,024),
 * copying it whole, and the pool keeps every old copy: a petition's
 * 20,000 pages in the page tree made that quadratic (75 MB at a million
 * signers). A step as large as the list makes it doubling; the list's items
 * stay the same. */
static void grow_doubling(HPDF_List list)
{
    if (list && list->items_per_block < list->count)
        list->items_per_block = list->count;
}

static void grow_page_lists(HPDF_Doc pdf)
{
    grow_doubling(pdf->xref->entries);
    HPDF_Array kids =
        pdf->cur_pages ? HPDF_Dict_GetItem(pdf->cur_pages, "Kids", HPDF_OCLASS_ARRAY) : NULL;
    if (kids)
        grow_doubling(kids->list);
}

void pdf_draw_pages(struct pdf *p)
{
    const struct page_settings *pg = &p->settings->page;
    double top = pg->height - pg->margin_top;
    struct buffer content = {0};
    size_t *start;
    size_t *order = boxes_by_page(p, &start);
    for (int n = 0; n < p->pages && !pdf_failed(p); n++) {
        if (p->annex)
            grow_page_lists(p->hpdf);
        HPDF_Page page = HPDF_AddPage(p->hpdf);
        if (!page)
            break;
        HPDF_Page_SetWidth(page, (HPDF_REAL)pg->width);
        HPDF_Page_SetHeight(page, (HPDF_REAL)pg->height);
        pdf_tags_page(p->tags, page);
        double gray = 0; /* a page starts black */
        for (size_t k = start[n]; k < start[n + 1]; k++) {
            const struct box *b = &p->boxes[order[k]];
            for (const struct item *it = b->first; it; it = it->next)
                draw_item(p, page, it, top - b->top, &gray, &content);
        }
        if (p->annex)
            pdf_annex_draw(p->annex, n, page, p->tags, &content);
        pdf_deflate_page(page, &content, p->owner->spool);
    }
    free(order);
    free(start);
    buffer_free(&content);
}

/* ---- document ---- */

static HPDF_STATUS write_out(HPDF_Stream stream, const HPDF_BYTE *data, HPDF_UINT len)
{
    buffer_append(stream->attr, (const char *)data, len);
    return HPDF_OK;
}

/* libharu saves into its memory stream, 4 KB blocks listed in a list grown
 * 20 items at a time (copied whole each time: quadratic, 4 GB of copies
 * kept by the pool for a million signers' 381 MB), then copied out: it
 * saves into out through a writer instead (HPDF_SaveToStream writes into
 * the document's stream, whatever its kind). */
static int save(struct pdf *p, struct buffer *out)
{
    pdf_deflate_streams(p->hpdf);
    buffer_reset(out);
    HPDF_Stream writer = HPDF_CallbackWriter_New(p->hpdf->mmgr, write_out, out);
    if (!writer)
        return -1;
    HPDF_Stream_Free(p->hpdf->stream);
    p->hpdf->stream = writer;
    if (HPDF_SaveToStream(p->hpdf) != HPDF_OK)
        return -1;
    return out->len == writer->size ? 0 : -1;
}

static void report_places(const struct pdf *p, struct pdf_places *places)
{
    double top = p->settings->page.height - p->settings->page.margin_top;
    places->count = p->slot_count;
    places->items = xrealloc(NULL, (p->slot_count ? p->slot_count : 1) * sizeof *places->items);
    for (size_t i = 0; i < p->slot_count; i++) {
        const struct box *b = &p->boxes[p->slots[i].box];
        places->items[i] =
            (struct pdf_signature_place){b->page, p->slots[i].x, top - b->top - b->height,
                                         p->slots[i].x + p->slots[i].width, top - b->top};
    }
}

/* The page of every box, for the layout report. */
static void report_pages(struct pdf *p)
{
    int *pages = xmalloc((p->box_count + 1) * sizeof *pages);
    for (size_t i = 0; i < p->box_count; i++)
        pages[i] = p->boxes[i].page;
    layout_report_pages(p->report, pages, p->box_count, p->pages);
    free(pages);
}

/* pdf_save into a new unlinked temporary file (pdf_spool_save), *file its
 * descriptor. */
static int save_to_file(struct pdf *owner, int *file)
{
    pdf_tags_finish(owner->tags);
    pdf_pdfa_pages(owner->hpdf);
    if (pdf_failed(owner))
        return -1;
    pdf_deflate_streams(owner->hpdf);
    *file = pdf_spool_save(owner->hpdf, owner->errors);
    if ((pdf_spool_check(owner->spool, owner->errors) != 0 || !pdf_tags_saved(owner->tags)) &&
        *file >= 0) {
        close(*file);
        *file = -1;
    }
    return *file >= 0 ? 0 : -1;
}

int pdf_save(struct pdf *owner, struct buffer *out)
{
    pdf_tags_finish(owner->tags);
    pdf_pdfa_pages(owner->hpdf);
    int status = !pdf_failed(owner) && save(owner, out) == 0 && pdf_tags_saved(owner->tags) &&
                         pdf_pdfa_identify(out) == 0
                     ? 0
                     : -1;
    /* A spool that failed to give libharu a page's bytes says why. */
    if (owner->spool && pdf_spool_check(owner->spool, owner->errors) != 0)
        status = -1;
    return status;
}

static int begin(struct pdf *p, struct pdf *owner, const struct doc_document *doc,
                 const struct settings *settings, struct font_set *fonts, struct errors *errors,
                 bool bare)
{
    const struct page_settings *pg = &settings->page;
    *p = (struct pdf){.owner = owner ? owner : p,
                      .doc = doc,
                      .settings = settings,
                      .fs = fonts,
                      .errors = errors,
                      .arena = arena_new(),
                      .size = settings->fonts.size,
                      .leading = settings->fonts.leading,
                      .left = pg->margin_left,
                      .text_width = pg->width - pg->margin_left - pg->margin_right,
                      .content_height = pg->height - pg->margin_top - pg->margin_bottom,
                      .window = pdf_window_for(settings)};
    if (owner) {
        p->hpdf = owner->hpdf;
        p->embed = owner->embed;
        p->tags = owner->tags;
        return 0;
    }
    p->hpdf = pdf_memory_new(on_hpdf_error, p);
    if (!p->hpdf)
        return -1;
    HPDF_SetCompressionMode(p->hpdf, HPDF_COMP_ALL);
    p->embed = font_embed_new(fonts, p->hpdf);
    if (bare)
        return 0;
    p->tags = pdf_tags_new(p->hpdf, doc);
    pdf_info_set(p->hpdf, doc);
    pdf_pdfa_begin(p->hpdf);
    return 0;
}

int pdf_begin(struct pdf *p, struct pdf *owner, const struct doc_document *doc,
              const struct settings *settings, struct font_set *fonts, struct errors *errors)
{
    return begin(p, owner, doc, settings, fonts, errors, false);
}

int pdf_begin_bare(struct pdf *p, const struct doc_document *doc, const struct settings *settings,
                   struct font_set *fonts, struct errors *errors)
{
    return begin(p, NULL, doc, settings, fonts, errors, true);
}

int pdf_lay_out(struct pdf *p)
{
    const struct page_settings *pg = &p->settings->page;
    size_t errors_before = p->errors->count;
    p->width = pdf_page_measure(p);
    p->first_height = p->content_height;
    p->next_top = p->leading * FOOTER_SIZE + p->leading;
    if (p->window)
        p->first_top = p->window->y + p->window->height + BODY_GAP - pg->margin_top;
    if (p->report)
        layout_report_document(p->report, p->doc->name, p->doc->language, p->width);
    pdf_set_blocks(p);
    if (p->errors->count > errors_before)
        return -1;
    paginate(p);
    p->letter_pages = p->pages;
    if (p->annex_block) {
        if (!p->owner->spool && !(p->owner->spool = pdf_spool_new(p->errors)))
            return -1;
        p->annex = pdf_annex_layout(p->doc, p->settings, p->fs, p->embed, p->owner->spool,
                                    p->annex_block, p->pages);
        p->pages += pdf_annex_pages(p->annex);
    }
    if (p->report)
        report_pages(p);
    pdf_page_furniture(p);
    return pdf_failed(p) ? -1 : 0;
}

void pdf_fail(struct pdf *p, size_t errors_before)
{
    struct pdf *o = p->owner;
    if (p->errors->count == errors_before)
        errors_add_at(p->errors, NULL, 0, 0,
                      "cannot make the PDF (libharu error 0x%04X, detail %u)",
                      (unsigned)o->hpdf_error, (unsigned)o->hpdf_detail);
}

void pdf_end(struct pdf *p)
{
    pdf_annex_free(p->annex);
    if (p->owner == p) {
        font_embed_free(p->embed);
        pdf_tags_free(p->tags);
        if (p->hpdf)
            HPDF_Free(p->hpdf);
        pdf_spool_free(p->spool);
        free(p->images);
    }
    free(p->boxes);
    free(p->slots);
    arena_free(p->arena);
}

int pdf_render(const struct doc_document *doc, const struct settings *settings,
               struct font_set *fonts, struct buffer *out, struct errors *errors)
{
    return pdf_render_with(doc, settings, fonts, NULL, out, errors);
}

int pdf_render_places(const struct doc_document *doc, const struct settings *settings,
                      struct font_set *fonts, struct buffer *out, struct pdf_places *places,
                      struct errors *errors)
{
    return pdf_render_with(doc, settings, fonts, &(struct pdf_options){.places = places}, out,
                           errors);
}

int pdf_render_with(const struct doc_document *doc, const struct settings *settings,
                    struct font_set *fonts, const struct pdf_options *options, struct buffer *out,
                    struct errors *errors)
{
    /* The layout finds what pdf_check's letterhead check would. */
    if (pdf_check_content(doc, settings, fonts, errors) != 0)
        return -1;
    size_t errors_before = errors->count;
    struct pdf p;
    int status = -1;
    if (options && options->file)
        *options->file = -1;
    pdf_memory_begin();
    if (pdf_begin(&p, NULL, doc, settings, fonts, errors) != 0)
        goto done;
    p.report = options ? options->report : NULL;
    if (options)
        pdf_attach(p.hpdf, options->attachments, options->attachment_count);
    if (pdf_lay_out(&p) != 0 || font_embed_finish(p.embed, errors) != 0)
        goto done;
    pdf_page_tree(&p, p.pages);
    pdf_draw_pages(&p);
    /* A petition's file may be larger than the memory it may take. */
    status =
        options && options->file && p.spool ? save_to_file(&p, options->file) : pdf_save(&p, out);
    if (status == 0 && options && options->places)
        report_places(&p, options->places);
done:
    if (status != 0)
        pdf_fail(&p, errors_before);
    pdf_end(&p);
    pdf_memory_end();
    return status;
}
