/* pdf_tags_tree.c — the structure tree, built after drawing, apart from the marks. */
#include "pdf_tags_internal.h"

#include "arena.h"
#include "pdf_info.h"
#include "words.h"

#include <stdlib.h>

/* ---- the structure tree ---- */

/* libharu grows a list by a fixed step (20 items, 1,024 for the objects),
 * copying it whole each time: a petition's 100,000 signers made that
 * quadratic. A step as large as the list makes it doubling; the list's
 * items stay the same. */
void pdf_tags_tree_grow_doubling(HPDF_List list)
{
    if (list->items_per_block < list->count)
        list->items_per_block = list->count;
}

void pdf_tags_tree_array_add(HPDF_Array array, void *item)
{
    pdf_tags_tree_grow_doubling(array->list);
    HPDF_Array_Add(array, item);
}

HPDF_Dict pdf_tags_tree_new_object(struct pdf_tags *t)
{
    HPDF_Dict d = HPDF_Dict_New(t->pdf->mmgr);
    pdf_tags_tree_grow_doubling(t->pdf->xref->entries);
    if (d && HPDF_Xref_Add(t->pdf->xref, d) != HPDF_OK)
        return NULL;
    return d;
}

/* libharu refuses an array of more than HPDF_LIMIT_MAX_ARRAY (32,767)
 * items, so a group of 50,000 signers made no PDF. Past pdf_tags_array_max
 * children an element's later ones go into a NonStruct element (a grouping
 * without meaning, ISO 32000-1 14.8.4.2) that is its last child, and so on
 * down. */
#define KIDS_MAX 32000

size_t pdf_tags_array_max(void)
{
#ifdef MISSIVE_TEST_FAULTS
    /* Test builds: the splits exercised with a few signers. */
    const char *max = getenv("MISSIVE_TEST_ARRAY_MAX");
    if (max && atoi(max) >= 2)
        return (size_t)atoi(max);
#endif
    return KIDS_MAX;
}

/* The element that takes parent's next child: parent, or its last
 * NonStruct continuation, a new one when that is full. */
HPDF_Dict pdf_tags_tree_room_in(struct pdf_tags *t, HPDF_Dict parent)
{
    size_t i = 0;
    while (i < t->overflow_count && t->overflows[i].element != parent)
        i++;
    HPDF_Dict tail = i < t->overflow_count ? t->overflows[i].tail : parent;
    HPDF_Array kids = HPDF_Dict_GetItem(tail, "K", HPDF_OCLASS_ARRAY);
    if (!kids || HPDF_Array_Items(kids) < t->array_max)
        return tail;
    HPDF_Dict more = pdf_tags_tree_new_object(t);
    HPDF_Array more_kids = HPDF_Array_New(t->pdf->mmgr);
    if (!more || !more_kids)
        return NULL;
    HPDF_Dict_AddName(more, "S", "NonStruct");
    HPDF_Dict_Add(more, "P", tail);
    HPDF_Dict_Add(more, "K", more_kids);
    pdf_tags_tree_array_add(kids, more);
    if (i == t->overflow_count) {
        t->overflows = xrealloc(t->overflows, (t->overflow_count + 1) * sizeof *t->overflows);
        t->overflows[t->overflow_count++].element = parent;
    }
    t->overflows[i].tail = more;
    return more;
}

/* A structure element of type, the last child of parent. */
HPDF_Dict pdf_tags_tree_new_element(struct pdf_tags *t, const char *type, HPDF_Dict parent)
{
    if (!parent || !(parent = pdf_tags_tree_room_in(t, parent)))
        return NULL;
    HPDF_Dict e = pdf_tags_tree_new_object(t);
    HPDF_Array kids = HPDF_Array_New(t->pdf->mmgr);
    if (!e || !kids)
        return NULL;
    /* /Type /StructElem is optional: left out, 21 bytes an element. */
    HPDF_Dict_AddName(e, "S", type);
    HPDF_Dict_Add(e, "P", parent);
    HPDF_Dict_Add(e, "K", kids);
    HPDF_Array parent_kids = HPDF_Dict_GetItem(parent, "K", HPDF_OCLASS_ARRAY);
    if (parent_kids)
        pdf_tags_tree_array_add(parent_kids, e);
    return e;
}

static bool has_marks(struct pdf_tags *t, const struct doc_block *block)
{
    if (pdf_tags_slot_of(t, block))
        return true;
    for (size_t i = 0; i < block->entry_count; i++)
        if (pdf_tags_entry_mark(t, block, i) >= 0)
            return true;
    for (const struct doc_block *c = block->first_child; c; c = c->next)
        if (has_marks(t, c))
            return true;
    return false;
}

static bool has_role(const struct pdf_tags *t, const struct doc_block *block, bool figure)
{
    const struct slot *s = pdf_tags_slot_of(t, block);
    for (int i = s ? s->first : -1; i >= 0; i = t->marks[i].next)
        if (t->marks[i].figure == figure)
            return true;
    return false;
}

/* Gives e block's marks of one role, as MCIDs (marked-content references
 * when on another page than their element's first), and records e as their
 * parent. A paragraph of a thousand pages has more marks than an array
 * holds: the later ones go into e's NonStruct continuations (pdf_tags_tree_room_in), each
 * with the /Pg of its own first mark. */
static void add_marks(struct pdf_tags *t, HPDF_Dict e, const struct doc_block *block, bool figure)
{
    const struct slot *s = pdf_tags_slot_of(t, block);
    HPDF_Dict into = e;
    HPDF_Array kids = HPDF_Dict_GetItem(e, "K", HPDF_OCLASS_ARRAY);
    int first_page = -1;
    for (int i = s ? s->first : -1; i >= 0 && kids; i = t->marks[i].next) {
        const struct mark *m = &t->marks[i];
        if (m->figure != figure)
            continue;
        if (first_page < 0) {
            first_page = m->page;
            HPDF_Dict_Add(into, "Pg", t->pages[m->page]);
        }
        if (m->language) {
            /* A span of its own, in its place among e's text. */
            HPDF_Dict span = pdf_tags_tree_new_element(t, "Span", e);
            if (!span)
                continue;
            HPDF_Dict_Add(span, "Lang", pdf_info_text(t->pdf, pdf_tags_mark_language(m)));
            HPDF_Dict_Add(span, "Pg", t->pages[m->page]);
            HPDF_Array span_kids = HPDF_Dict_GetItem(span, "K", HPDF_OCLASS_ARRAY);
            pdf_tags_tree_array_add(span_kids, HPDF_Number_New(t->pdf->mmgr, m->mcid));
            t->parents[m->page][m->mcid] = pdf_tags_compact_object_of(span);
            continue;
        }
        if (HPDF_Array_Items(kids) >= t->array_max) {
            HPDF_Dict more = pdf_tags_tree_room_in(t, e);
            if (!more)
                return;
            if (more != into) {
                into = more;
                kids = HPDF_Dict_GetItem(into, "K", HPDF_OCLASS_ARRAY);
                first_page = m->page;
                HPDF_Dict_Add(into, "Pg", t->pages[m->page]);
            }
        }
        if (m->page == first_page) {
            pdf_tags_tree_array_add(kids, HPDF_Number_New(t->pdf->mmgr, m->mcid));
        } else {
            HPDF_Dict ref = pdf_tags_compact_mcr_ref(t, m);
            if (ref)
                pdf_tags_tree_array_add(kids, ref);
        }
        t->parents[m->page][m->mcid] = pdf_tags_compact_object_of(into);
    }
}

HPDF_Dict pdf_tags_tree_text_element(struct pdf_tags *t, const char *type, HPDF_Dict parent,
                                     const struct doc_block *block)
{
    HPDF_Dict e = pdf_tags_tree_new_element(t, type, parent);
    if (e)
        add_marks(t, e, block, false);
    return e;
}

/* A Figure for block's image with its alternative text: format's %s
 * becomes name. */
static void figure(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *block,
                   const char *format, const char *name)
{
    if (!has_role(t, block, true))
        return;
    HPDF_Dict e = pdf_tags_tree_new_element(t, "Figure", parent);
    if (!e)
        return;
    HPDF_Dict_Add(e, "Alt", pdf_info_text(t->pdf, arena_printf(t->arena, format, name)));
    add_marks(t, e, block, true);
}
static void build(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *block)
{
    if (!parent || !has_marks(t, block))
        return;
    const char *language = t->doc->language;
    switch (block->kind) {
    case DOC_LETTERHEAD:
        for (const struct doc_block *line = block->first_child; line; line = line->next)
            figure(t, parent, line, words_for(language)->logo_of,
                   doc_plain_text(t->arena, line, language));
        break;
    case DOC_ADDRESS:
    case DOC_SIGNATURES:
    case DOC_SIGNATURE: {
        HPDF_Dict div = pdf_tags_tree_new_element(t, "Div", parent);
        if (block->kind == DOC_SIGNATURE)
            figure(t, div, block, words_for(language)->signature_of,
                   block->first_child ? doc_plain_text(t->arena, block->first_child, language)
                                      : "");
        for (const struct doc_block *c = block->first_child; c; c = c->next)
            build(t, div, c);
        break;
    }
    case DOC_ANNEX:
        pdf_tags_compact_annex(t, parent, block);
        break;
    default: {
        HPDF_Dict e = pdf_tags_tree_text_element(t, pdf_tags_text_type(block), parent, block);
        for (const struct doc_block *c = block->first_child; c; c = c->next)
            build(t, e, c);
        break;
    }
    }
}
void pdf_tags_finish(struct pdf_tags *t)
{
    HPDF_Doc pdf = t->pdf;
    t->parents = xcalloc(t->page_count ? t->page_count : 1, sizeof *t->parents);
    for (size_t p = 0; p < t->page_count; p++)
        t->parents[p] = xcalloc((size_t)t->page_mcids[p] + 1, sizeof **t->parents);
    HPDF_Dict root = pdf_tags_tree_new_object(t);
    HPDF_Array kids = HPDF_Array_New(pdf->mmgr);
    if (!root || !kids)
        return;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Dict_Add(root, "K", kids);
    HPDF_Dict document = pdf_tags_tree_new_element(t, "Document", root);
    if (t->letter_count == 0) {
        for (const struct doc_block *b = t->doc->root->first_child; b; b = b->next)
            build(t, document, b);
    }
    /* A combined file: each letter a Part in its own language. */
    for (size_t i = 0; i < t->letter_count && document; i++) {
        t->doc = t->letters[i];
        HPDF_Dict part = pdf_tags_tree_new_element(t, "Part", document);
        if (part && t->doc->language)
            HPDF_Dict_Add(part, "Lang", pdf_info_text(pdf, t->doc->language));
        for (const struct doc_block *b = t->doc->root->first_child; b; b = b->next)
            build(t, part, b);
    }
    pdf_tags_compact_parent_tree(t, root);
    HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
    HPDF_Dict mark_info = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_AddBoolean(mark_info, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark_info);
    HPDF_Dict preferences = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict_AddBoolean(preferences, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", preferences);
    if (t->main->language)
        HPDF_Dict_Add(pdf->catalog, "Lang", pdf_info_text(pdf, t->main->language));
}
