/* pdf_tags_compact.c — tree objects written by our hooks, not libharu's dictionaries. */
#include "pdf_tags_internal.h"

#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the signers' rows, written compactly ----
 *
 * A petition has a row (TR), a cell (TD) and perhaps spans per signer: as
 * libharu dictionaries, with an entry object per key, 3.7 KB a signer, and
 * still 1.7 KB as dictionaries without entries. They are instead records
 * of ours: each takes its object number as libharu would have given it
 * (an entry of libharu's object table, in the same order), all pointing to
 * one dictionary whose write hook writes the next record — libharu writes
 * the objects in number order — byte for byte as libharu wrote them. The
 * table and its NonStruct continuations are libharu dictionaries whose
 * hook writes their entries from the same records. */

/* A kid of a compact element: an element (its object number), a
 * marked-content reference on another page (page set), or an MCID on the
 * element's page. */
struct compact_kid {
    uint32_t object, page;
    int mcid;
};

struct compact {
    const char *type;     /* TR, TD, Span, Table, NonStruct */
    uint32_t parent;      /* /P */
    uint32_t page;        /* /Pg, or 0 */
    const char *language; /* /Lang of a span (ASCII), or NULL */
    struct compact_kid *kids;
    uint32_t kid_count, kid_capacity;
    HPDF_Dict dict;       /* a table's (or its continuation's) own dictionary */
    struct compact *more; /* a table's continuation, once it is full */
};

uint32_t pdf_tags_compact_object_of(HPDF_Dict d)
{
    return d ? d->header.obj_id & 0x00FFFFFF : 0;
}

/* Text written to a libharu stream a few hundred bytes at a time. */
struct sink {
    HPDF_Stream stream;
    HPDF_STATUS status;
    size_t n;
    char text[512];
};

static void sink_flush(struct sink *s)
{
    if (s->n && !s->status)
        s->status = HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)s->text, (HPDF_UINT)s->n);
    s->n = 0;
}

static void sink_write(struct sink *s, const char *text, size_t len)
{
    if (s->n + len > sizeof s->text) {
        sink_flush(s);
        if (len > sizeof s->text) { /* a long /Lang or type goes through whole */
            if (!s->status)
                s->status = HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)text, (HPDF_UINT)len);
            return;
        }
    }
    memcpy(s->text + s->n, text, len);
    s->n += len;
}

/* Inline so that a literal's length is known when compiled (a strlen and a
 * call per piece were a third of writing the structure records). */
static inline void sink_put(struct sink *s, const char *text)
{
    sink_write(s, text, strlen(text));
}

/* Decimal v (printf costs a tenth of a petition). */
static void sink_number(struct sink *s, unsigned v)
{
    char digits[16], *end = digits + sizeof digits - 1, *at = end;
    *end = '\0';
    do {
        *--at = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sink_write(s, at, (size_t)(end - at));
}

/* "12 0 R": every object of a new file has generation 0. */
static void sink_ref(struct sink *s, uint32_t object)
{
    sink_number(s, object);
    sink_put(s, " 0 R");
}

/* What HPDF_Dict_Write writes for /S /P /K [...] (/Lang) (/Pg), in that
 * order, each entry followed by a line feed. */
static HPDF_STATUS write_compact(const struct compact *c, HPDF_Stream stream)
{
    struct sink s = {.stream = stream};
    sink_put(&s, "/S /");
    sink_put(&s, c->type);
    sink_put(&s, "\012/P ");
    sink_ref(&s, c->parent);
    sink_put(&s, "\012/K [ ");
    for (uint32_t i = 0; i < c->kid_count; i++) {
        const struct compact_kid *k = &c->kids[i];
        if (k->object) {
            sink_ref(&s, k->object);
        } else if (k->page) {
            sink_put(&s, "<<\012/Type /MCR\012/Pg ");
            sink_ref(&s, k->page);
            sink_put(&s, "\012/MCID ");
            sink_number(&s, (unsigned)k->mcid);
            sink_put(&s, "\012>>");
        } else {
            sink_number(&s, (unsigned)k->mcid);
        }
        sink_put(&s, " ");
    }
    sink_put(&s, "]\012");
    if (c->language) {
        sink_put(&s, "/Lang (");
        sink_put(&s, c->language);
        sink_put(&s, ")\012");
    }
    if (c->page) {
        sink_put(&s, "/Pg ");
        sink_ref(&s, c->page);
        sink_put(&s, "\012");
    }
    sink_flush(&s);
    return s.status;
}

/* A marked-content reference: a dictionary without entries whose hook
 * writes the /Type /MCR /Pg /MCID libharu's entries would (a paragraph of
 * a thousand pages, the organisations of a million signers, has 300,000:
 * 700 bytes each as entries). */
static HPDF_STATUS write_mcr(HPDF_Dict dict, HPDF_Stream stream)
{
    const struct compact_kid *k = dict->attr;
    struct sink s = {.stream = stream};
    sink_put(&s, "/Type /MCR\012/Pg ");
    sink_ref(&s, k->page);
    sink_put(&s, "\012/MCID ");
    sink_number(&s, (unsigned)k->mcid);
    sink_put(&s, "\012");
    sink_flush(&s);
    return s.status;
}

HPDF_Dict pdf_tags_compact_mcr_ref(struct pdf_tags *t, const struct mark *m)
{
    HPDF_Dict ref = HPDF_Dict_New(t->pdf->mmgr);
    if (!ref)
        return NULL;
    struct compact_kid *k = arena_alloc(t->arena, sizeof *k);
    *k = (struct compact_kid){.page = pdf_tags_compact_object_of(t->pages[m->page]),
                              .mcid = m->mcid};
    ref->attr = k;
    ref->write_fn = write_mcr;
    return ref;
}

/* The hook of a table's dictionary. */
static HPDF_STATUS write_hooked(HPDF_Dict dict, HPDF_Stream stream)
{
    return write_compact(dict->attr, stream);
}

static struct compact_kid *kid_room(struct pdf_tags *t, size_t count)
{
    if (count > t->kid_capacity) {
        t->kid_capacity = 2 * count;
        t->kids = xrealloc(t->kids, t->kid_capacity * sizeof *t->kids);
    }
    return t->kids;
}

/* Object `object` of row r (0 its TR, 1 its TD, then the TD's spans) as
 * a record on the stack, as compact_signer made them before (its kids in
 * t->kids); *objects gets how many the row has. */
static struct compact row_object(struct pdf_tags *t, const struct signer_row *r, size_t object,
                                 size_t *objects)
{
    uint32_t td = r->tr + 1;
    struct compact cell = {.type = "TD", .parent = r->tr};
    struct compact span = {.type = "Span", .parent = td, .kid_count = 1};
    int span_mcid = 0;
    size_t count = 0, spans = 0;
    int first_page = -1;
    for (int i = r->mark; i >= 0; i = t->marks[i].next) {
        const struct mark *m = &t->marks[i];
        if (m->figure)
            continue;
        uint32_t page = pdf_tags_compact_object_of(t->pages[m->page]);
        if (first_page < 0) {
            first_page = m->page;
            cell.page = page;
        }
        struct compact_kid *kids = kid_room(t, count + 1);
        if (m->language) {
            if (object == 2 + spans) {
                span.page = page;
                span.language = pdf_tags_mark_language(m);
                span_mcid = m->mcid;
            }
            kids[count++] = (struct compact_kid){.object = td + 1 + (uint32_t)spans++};
            continue;
        }
        kids[count++] =
            (struct compact_kid){.page = m->page == first_page ? 0 : page, .mcid = m->mcid};
    }
    *objects = 2 + spans;
    if (object == 1) {
        cell.kids = kid_room(t, 1);
        cell.kid_count = (uint32_t)count;
        return cell;
    }
    struct compact_kid *kid = kid_room(t, 1);
    if (object == 0) {
        kid[0] = (struct compact_kid){.object = td};
        return (struct compact){.type = "TR", .parent = r->parent, .kid_count = 1, .kids = kid};
    }
    kid[0] = (struct compact_kid){.mcid = span_mcid};
    span.kids = kid;
    return span;
}

/* ---- the rows' offsets ----
 *
 * libharu keeps a 24-byte entry per object (its offset in the file, set
 * as the object is written, read again for the cross-reference table):
 * 62 MB for a million signers' rows. Every row object's entry is instead
 * the one row_entry: write_row keeps the offset libharu just put in it
 * (4 bytes an object), and while libharu writes the table, line after
 * line through the saving stream (watched by watch_write), row_entry is
 * given the offset of the object whose line comes next. */

enum xref_state { XREF_OBJECTS, XREF_LINES, XREF_DONE };

static _Thread_local struct pdf_tags *watched;

/* Makes row_entry the next line's, when that line is a row object's. */
static void next_line(struct pdf_tags *t)
{
    HPDF_Xref xref = t->pdf->xref;
    size_t i = t->xref_line;
    if (i < xref->entries->count && xref->entries->obj[i] == &t->row_entry)
        t->row_entry.byte_offset = t->row_offsets[xref->start_offset + i - t->first_row_object];
}

/* Whether ptr is the head of libharu's table, "xref\n0 COUNT\n". */
static bool is_xref_head(const struct pdf_tags *t, const HPDF_BYTE *ptr, HPDF_UINT size)
{
    char head[64];
    int n = snprintf(head, sizeof head, "xref\012%u %u\012", (unsigned)t->pdf->xref->start_offset,
                     (unsigned)t->pdf->xref->entries->count);
    return n > 0 && (size_t)n == size && memcmp(head, ptr, size) == 0;
}

/* The saving stream's writes while rows are in the file: after the last
 * object comes the table's head, then one write a line. */
static HPDF_STATUS watch_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size)
{
    struct pdf_tags *t = watched;
    HPDF_STATUS status = t->save_write(stream, ptr, size);
    if (t->xref_state == XREF_LINES) {
        if (++t->xref_line < t->pdf->xref->entries->count) {
            next_line(t);
        } else {
            t->xref_state = XREF_DONE;
            stream->write_fn = t->save_write;
            watched = NULL;
        }
    } else if (t->row_written == t->row_count && is_xref_head(t, ptr, size)) {
        t->xref_state = XREF_LINES;
        t->xref_line = 0;
        next_line(t);
    }
    return status;
}

/* Before the first row is written: room for the offsets, the saving
 * stream watched. */
static void watch(struct pdf_tags *t, HPDF_Stream stream)
{
    free(t->row_offsets);
    t->row_offsets = xcalloc(t->row_objects ? t->row_objects : 1, sizeof *t->row_offsets);
    t->xref_state = XREF_OBJECTS;
    t->save_write = stream->write_fn;
    stream->write_fn = watch_write;
    watched = t;
}

bool pdf_tags_compact_saved(const struct pdf_tags *t)
{
    return t->row_count == 0 || t->xref_state == XREF_DONE;
}

/* The hook of the one dictionary every row's object entries point to:
 * libharu writes objects in number order, the rows are in it. */
static HPDF_STATUS write_row(HPDF_Dict dict, HPDF_Stream stream)
{
    struct pdf_tags *t = dict->attr;
    if (t->row_written >= t->row_count)
        return HPDF_SetError(&t->pdf->error, HPDF_INVALID_OBJECT, 0);
    if (t->row_written == 0 && t->row_object == 0)
        watch(t, stream);
    const struct signer_row *r = &t->signer_rows[t->row_written];
    t->row_offsets[r->tr + t->row_object - t->first_row_object] = t->row_entry.byte_offset;
    size_t objects;
    struct compact c = row_object(t, r, t->row_object, &objects);
    HPDF_STATUS status = write_compact(&c, stream);
    if (++t->row_object == objects) {
        t->row_written++;
        t->row_object = 0;
    }
    return status;
}

static struct compact *compact_new(struct pdf_tags *t, const char *type, uint32_t parent)
{
    struct compact *c = arena_alloc(t->arena, sizeof *c);
    *c = (struct compact){.type = type, .parent = parent};
    return c;
}

static void compact_add(struct pdf_tags *t, struct compact *c, struct compact_kid kid)
{
    if (c->kid_count == c->kid_capacity) {
        /* A table holds at most array_max rows and its continuation: past
         * a thousand, room for all at once (the copies doubling left in the
         * arena were 10 MB of a million signers). */
        uint32_t capacity = c->kid_capacity ? 2 * c->kid_capacity : 1;
        if (capacity > 1024 && capacity < t->array_max + 1)
            capacity = (uint32_t)t->array_max + 1;
        struct compact_kid *kids = arena_alloc(t->arena, capacity * sizeof *kids);
        if (c->kid_count)
            memcpy(kids, c->kids, c->kid_count * sizeof *kids);
        c->kids = kids;
        c->kid_capacity = capacity;
    }
    c->kids[c->kid_count++] = kid;
}

/* The next object number, as HPDF_Xref_Add would give a dictionary, for
 * an object of the last signer's row; 0 (libharu's error set) when the
 * table is full. */
static uint32_t reserve_row(struct pdf_tags *t)
{
    HPDF_Xref xref = t->pdf->xref;
    if (!t->row_writer) {
        t->row_writer = HPDF_Dict_New(t->pdf->mmgr);
        if (!t->row_writer)
            return 0;
        t->row_writer->attr = t;
        t->row_writer->write_fn = write_row;
    }
    if (xref->entries->count >= HPDF_LIMIT_MAX_XREF_ELEMENT) {
        HPDF_SetError(&t->pdf->error, HPDF_XREF_COUNT_ERR, 0);
        return 0;
    }
    t->row_entry = (HPDF_XrefEntry_Rec){HPDF_IN_USE_ENTRY, 0, 0, t->row_writer};
    pdf_tags_tree_grow_doubling(xref->entries);
    if (HPDF_List_Add(xref->entries, &t->row_entry) != HPDF_OK)
        return 0;
    uint32_t number = xref->start_offset + xref->entries->count - 1;
    if (!t->first_row_object)
        t->first_row_object = number;
    t->row_objects = number - t->first_row_object + 1;
    return number;
}

/* Takes the row records' entries out of libharu's object table, which
 * would free them as its own. */
void pdf_tags_compact_release_rows(struct pdf_tags *t)
{
    if (!t->row_writer)
        return;
    HPDF_List list = t->pdf->xref->entries;
    HPDF_UINT kept = 0;
    for (HPDF_UINT i = 0; i < list->count; i++) {
        HPDF_XrefEntry entry = list->obj[i];
        if (entry->obj != t->row_writer)
            list->obj[kept++] = entry;
    }
    list->count = kept;
    HPDF_Dict_Free(t->row_writer);
    t->row_writer = NULL;
}

/* A table (or continuation) of type under parent: a libharu dictionary
 * written from its record. */
static struct compact *hooked_new(struct pdf_tags *t, const char *type, HPDF_Dict parent)
{
    HPDF_Dict e = pdf_tags_tree_new_object(t);
    if (!e)
        return NULL;
    struct compact *c = compact_new(t, type, pdf_tags_compact_object_of(parent));
    c->dict = e;
    e->attr = c;
    e->write_fn = write_hooked;
    return c;
}

/* The table or continuation that takes table's next row (see pdf_tags_tree_room_in). */
static struct compact *row_room(struct pdf_tags *t, struct compact *table)
{
    struct compact *tail = table;
    while (tail->more)
        tail = tail->more;
    if (tail->kid_count < t->array_max)
        return tail;
    struct compact *more = hooked_new(t, "NonStruct", tail->dict);
    if (!more)
        return NULL;
    compact_add(t, tail, (struct compact_kid){.object = pdf_tags_compact_object_of(more->dict)});
    tail->more = more;
    return more;
}

/* A signer's row and cell, as pdf_tags_tree_new_element and add_marks would make them:
 * numbers reserved, the row kept in 12 bytes (written by write_row). */
static void compact_signer(struct pdf_tags *t, struct compact *table, int first)
{
    struct compact *parent = row_room(t, table);
    if (!parent)
        return;
    if (t->row_count == t->row_capacity) {
        t->row_capacity = t->row_capacity ? 2 * t->row_capacity : 1024;
        t->signer_rows = xrealloc(t->signer_rows, t->row_capacity * sizeof *t->signer_rows);
    }
    uint32_t tr = reserve_row(t), td = tr ? reserve_row(t) : 0;
    if (!td)
        return;
    t->signer_rows[t->row_count++] =
        (struct signer_row){pdf_tags_compact_object_of(parent->dict), tr, first};
    compact_add(t, parent, (struct compact_kid){.object = tr});
    for (int i = first; i >= 0; i = t->marks[i].next) {
        const struct mark *m = &t->marks[i];
        if (m->figure)
            continue;
        uint32_t e = m->language ? reserve_row(t) : td;
        if (e)
            t->parents[m->page][m->mcid] = e;
    }
}

/* A group's heading row: a libharu TR holding its TH. */
static HPDF_Dict heading_row(struct pdf_tags *t, struct compact *table)
{
    struct compact *parent = row_room(t, table);
    HPDF_Dict tr = parent ? pdf_tags_tree_new_object(t) : NULL;
    HPDF_Array kids = tr ? HPDF_Array_New(t->pdf->mmgr) : NULL;
    if (!kids)
        return NULL;
    HPDF_Dict_AddName(tr, "S", "TR");
    HPDF_Dict_Add(tr, "P", parent->dict);
    HPDF_Dict_Add(tr, "K", kids);
    compact_add(t, parent, (struct compact_kid){.object = pdf_tags_compact_object_of(tr)});
    return tr;
}

static void build_annex(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *annex);

/* About how many objects the annex's table takes: per signer a TR, a TD
 * and its spans; per group a heading's TR and TH; the continuations. */
static size_t annex_objects(struct pdf_tags *t, const struct doc_block *annex)
{
    size_t objects = 16, rows = 0;
    for (const struct doc_block *group = annex->first_child; group; group = group->next) {
        objects += 2;
        for (size_t i = 0; i < group->entry_count; i++) {
            int first = pdf_tags_entry_mark(t, group, i);
            rows += first >= 0;
            objects += first >= 0 ? 2 : 0;
            for (int m = first; m >= 0; m = t->marks[m].next)
                objects += t->marks[m].language && !t->marks[m].figure;
        }
    }
    return objects + rows / t->array_max;
}

/* The annex: its title as a heading, then one table whose rows are each
 * group's heading (a header cell) followed by its signers (data cells). */
void pdf_tags_compact_annex(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *annex)
{
    /* libharu's object table grown once for all of them: grown by doubling,
     * its old copies stay in the pool (18 MB for a million signers). */
    HPDF_List list = t->pdf->xref->entries;
    HPDF_UINT step = list->items_per_block;
    size_t objects = annex_objects(t, annex);
    if (list->count + objects > list->block_siz)
        list->items_per_block = (HPDF_UINT)(list->count + objects - list->block_siz);
    build_annex(t, parent, annex);
    list->items_per_block = step;
}

/* pdf_tags_compact_annex's table. */
static void build_annex(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *annex)
{
    HPDF_Dict sect = pdf_tags_tree_new_element(t, "Sect", parent);
    if (!sect)
        return;
    if (pdf_tags_slot_of(t, annex))
        pdf_tags_tree_text_element(t, "H2", sect, annex);
    HPDF_Dict room = pdf_tags_tree_room_in(t, sect);
    struct compact *table = room ? hooked_new(t, "Table", room) : NULL;
    HPDF_Array room_kids = table ? HPDF_Dict_GetItem(room, "K", HPDF_OCLASS_ARRAY) : NULL;
    if (!room_kids)
        return;
    pdf_tags_tree_array_add(room_kids, table->dict);
    for (const struct doc_block *group = annex->first_child; group; group = group->next) {
        if (pdf_tags_slot_of(t, group)) {
            HPDF_Dict th = pdf_tags_tree_text_element(t, "TH", heading_row(t, table), group);
            if (!th)
                return;
            HPDF_Dict scope = HPDF_Dict_New(t->pdf->mmgr);
            HPDF_Dict_AddName(scope, "O", "Table");
            HPDF_Dict_AddName(scope, "Scope", "Column");
            HPDF_Dict_Add(th, "A", scope);
        }
        for (size_t i = 0; i < group->entry_count; i++) {
            int first = pdf_tags_entry_mark(t, group, i);
            if (first >= 0)
                compact_signer(t, table, first);
        }
    }
}
/* A node of the parent tree with the keys it covers. */
struct tree_node {
    HPDF_Dict node;
    int low, high;
};

static HPDF_Array limits(struct pdf_tags *t, int low, int high)
{
    HPDF_Array a = HPDF_Array_New(t->pdf->mmgr);
    HPDF_Array_Add(a, HPDF_Number_New(t->pdf->mmgr, low));
    HPDF_Array_Add(a, HPDF_Number_New(t->pdf->mmgr, high));
    return a;
}

/* Nodes of up to `per` of nodes[0, count) each, with their /Kids and
 * /Limits, in place of them; returns how many. */
static size_t tree_level(struct pdf_tags *t, struct tree_node *nodes, size_t count, size_t per)
{
    size_t made = 0;
    for (size_t i = 0; i < count; i += per, made++) {
        size_t end = i + per < count ? i + per : count;
        HPDF_Dict node = pdf_tags_tree_new_object(t);
        HPDF_Array kids = HPDF_Array_New(t->pdf->mmgr);
        if (!node || !kids)
            return 0;
        for (size_t k = i; k < end; k++)
            pdf_tags_tree_array_add(kids, nodes[k].node);
        HPDF_Dict_Add(node, "Kids", kids);
        HPDF_Dict_Add(node, "Limits", limits(t, nodes[i].low, nodes[end - 1].high));
        nodes[made] = (struct tree_node){node, nodes[i].low, nodes[end - 1].high};
    }
    return made;
}

/* The /Nums of a number tree's leaf (or of the whole tree): the marked
 * pages from..to, keys from low; with its /Limits in a leaf. Written by
 * the leaf's hook from t->parents, as HPDF_Dict_Write wrote the arrays of
 * references libharu held before (one item a mark: a million signers' were
 * most of a petition's memory). */
struct leaf {
    struct pdf_tags *t;
    size_t from, to;
    int low, high;
    bool limits;
};

static HPDF_STATUS write_leaf(HPDF_Dict dict, HPDF_Stream stream)
{
    const struct leaf *l = dict->attr;
    const struct pdf_tags *t = l->t;
    struct sink s = {.stream = stream};
    sink_put(&s, "/Nums [ ");
    int key = l->low;
    for (size_t p = l->from; p < l->to; p++) {
        if (t->page_mcids[p] == 0)
            continue;
        sink_number(&s, (unsigned)key++);
        sink_put(&s, " [ ");
        for (int m = 0; m < t->page_mcids[p]; m++)
            if (t->parents[p][m]) {
                sink_ref(&s, t->parents[p][m]);
                sink_put(&s, " ");
            }
        sink_put(&s, "] ");
    }
    sink_put(&s, "]\012");
    if (l->limits) {
        sink_put(&s, "/Limits [ ");
        sink_number(&s, (unsigned)l->low);
        sink_put(&s, " ");
        sink_number(&s, (unsigned)l->high);
        sink_put(&s, " ]\012");
    }
    sink_flush(&s);
    return s.status;
}

static void hook_leaf(struct pdf_tags *t, HPDF_Dict node, size_t from, int low, bool limits)
{
    struct leaf *l = arena_alloc(t->arena, sizeof *l);
    *l = (struct leaf){t, from, from, low, low, limits};
    node->attr = l;
    node->write_fn = write_leaf;
}

/* The parent tree: per page (its /StructParents key) the element of
 * each MCID. A number tree's /Nums is one array (two items a page) up to
 * pdf_tags_array_max items; more pages (a million signers) make leaves of
 * that many under /Kids, and levels above them as needed (ISO 32000-1
 * 7.9.7). */
void pdf_tags_compact_parent_tree(struct pdf_tags *t, HPDF_Dict root)
{
    HPDF_Dict tree = HPDF_Dict_New(t->pdf->mmgr);
    size_t per_leaf = t->array_max / 2;
    size_t marked = 0;
    for (size_t p = 0; p < t->page_count; p++)
        marked += t->page_mcids[p] != 0;
    bool split = marked > per_leaf;
    struct tree_node *nodes = xmalloc((marked / per_leaf + 1) * sizeof *nodes);
    size_t node_count = 0;
    HPDF_Dict leaf = split ? NULL : tree;
    if (!split && tree)
        hook_leaf(t, tree, 0, 0, false);
    int key = 0;
    for (size_t p = 0; p < t->page_count && tree; p++) {
        if (t->page_mcids[p] == 0)
            continue;
        if (split && (size_t)key % per_leaf == 0) {
            leaf = pdf_tags_tree_new_object(t);
            if (!leaf)
                break;
            hook_leaf(t, leaf, p, key, true);
            nodes[node_count++] = (struct tree_node){leaf, key, key};
        }
        if (!leaf)
            break;
        struct leaf *l = leaf->attr;
        l->to = p + 1;
        l->high = key;
        if (split)
            nodes[node_count - 1].high = key;
        HPDF_Dict_AddNumber(t->pages[p], "StructParents", key++);
    }
    if (split) {
        while (node_count > t->array_max)
            node_count = tree_level(t, nodes, node_count, t->array_max);
        HPDF_Array kids = HPDF_Array_New(t->pdf->mmgr);
        for (size_t i = 0; i < node_count && kids; i++)
            pdf_tags_tree_array_add(kids, nodes[i].node);
        HPDF_Dict_Add(tree, "Kids", kids);
    }
    free(nodes);
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key);
}
