/* pdf_combined.c — a campaign's letters in one PDF for printing: every
 * letter laid out as on its own, the font subsets made once for all of
 * them, then each drawn from an odd page on, with a bookmark (outline
 * item) per letter and one structure tree in which each is a Part. */
#include "pdf_internal.h"

#include "pdf.h"

#include "pdf_check.h"
#include "pdf_info.h"
#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdlib.h>

static HPDF_Dict new_object(HPDF_Doc pdf)
{
    HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
    if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

/* The outline: one item per letter, in order, each opening its first
 * page; viewers show it beside the pages (/PageMode /UseOutlines). */
static void outline(HPDF_Doc pdf, const struct pdf_combined *c, const HPDF_Page *first)
{
    HPDF_Dict root = new_object(pdf);
    if (!root || c->count == 0)
        return;
    HPDF_Dict_AddName(root, "Type", "Outlines");
    HPDF_Dict previous = NULL;
    for (size_t i = 0; i < c->count; i++) {
        HPDF_Dict item = new_object(pdf);
        HPDF_Array dest = HPDF_Array_New(pdf->mmgr);
        if (!item || !dest)
            return;
        HPDF_Dict_Add(item, "Title", pdf_info_text(pdf, c->titles[i]));
        HPDF_Dict_Add(item, "Parent", root);
        HPDF_Array_Add(dest, first[i]);
        HPDF_Array_AddName(dest, "Fit");
        HPDF_Dict_Add(item, "Dest", dest);
        if (previous) {
            HPDF_Dict_Add(item, "Prev", previous);
            HPDF_Dict_Add(previous, "Next", item);
        } else {
            HPDF_Dict_Add(root, "First", item);
        }
        previous = item;
    }
    HPDF_Dict_Add(root, "Last", previous);
    HPDF_Dict_AddNumber(root, "Count", (HPDF_INT32)c->count);
    HPDF_Dict_Add(pdf->catalog, "Outlines", root);
    HPDF_Dict_AddName(pdf->catalog, "PageMode", "UseOutlines");
}

/* The back of a letter's last sheet: a page with nothing on it. */
static void blank_page(struct pdf *owner)
{
    HPDF_Page page = HPDF_AddPage(owner->hpdf);
    if (!page)
        return;
    HPDF_Page_SetWidth(page, (HPDF_REAL)owner->settings->page.width);
    HPDF_Page_SetHeight(page, (HPDF_REAL)owner->settings->page.height);
    pdf_tags_page(owner->tags, page);
}

int pdf_render_combined(const struct pdf_combined *c, const struct settings *settings,
                        struct font_set *fonts, struct buffer *out, struct errors *errors)
{
    for (size_t i = 0; i < c->count; i++)
        if (pdf_check_content(c->docs[i], settings, fonts, errors) != 0)
            return -1;
    if (c->count == 0 || c->info >= c->count)
        return -1;
    size_t errors_before = errors->count;
    struct doc_document info = *c->docs[c->info];
    if (c->title)
        info.title = c->title;
    struct pdf owner;
    struct pdf *letters = xcalloc(c->count, sizeof *letters);
    HPDF_Page *first = xcalloc(c->count, sizeof *first);
    size_t begun = 0;
    int status = -1;
    if (pdf_begin(&owner, NULL, &info, settings, fonts, errors) != 0)
        goto done;
    for (; begun < c->count; begun++) {
        pdf_begin(&letters[begun], &owner, c->docs[begun], settings, fonts, errors);
        if (pdf_lay_out(&letters[begun]) != 0) {
            begun++;
            goto done;
        }
    }
    if (font_embed_finish(owner.embed, errors) != 0)
        goto done;
    int pages = 0;
    for (size_t i = 0; i < c->count; i++)
        pages += letters[i].pages + (letters[i].pages % 2 && i + 1 < c->count);
    pdf_page_tree(&owner, pages);
    pages = 0;
    for (size_t i = 0; i < c->count && !pdf_failed(&owner); i++) {
        pdf_tags_letter(owner.tags, c->docs[i]);
        pdf_draw_pages(&letters[i]);
        first[i] = HPDF_GetPageByIndex(owner.hpdf, (HPDF_UINT)pages);
        pages += letters[i].pages;
        if (letters[i].pages % 2 && i + 1 < c->count) {
            blank_page(&owner);
            pages++;
        }
    }
    if (pdf_failed(&owner))
        goto done;
    outline(owner.hpdf, c, first);
    status = pdf_save(&owner, out);
done:
    if (status != 0)
        pdf_fail(&owner, errors_before);
    for (size_t i = 0; i < begun; i++)
        pdf_end(&letters[i]);
    pdf_end(&owner);
    free(letters);
    free(first);
    return status;
}
