/* pdf_tags.c — marked content while drawing, the structure tree after. */
#include "pdf_tags.h"

#include "arena.h"
#include "pdf_info.h"
#include "words.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One marked-content sequence of a block. */
/* 16 bytes: a million signers' annex has a million and more. */
struct mark {
    int page, mcid;
    int next;         /* the block's next mark, or -1 */
    uint8_t language; /* of a span in another language than the letter's (span_languages), else 0 */
    bool figure;
};

/* The languages a span of another script is given (show_keyed). */
static const char *const span_languages[] = {NULL, "kk", "be", "uk", "ru", "el"};

static uint8_t span_language_index(const char *language)
{
    for (uint8_t i = 1; language && i < sizeof span_languages / sizeof span_languages[0]; i++)
        if (strcmp(span_languages[i], language) == 0)
            return i;
    return 0;
}

static const char *mark_language(const struct mark *m)
{
    return span_languages[m->language];
}

/* The marks of one block or annex entry (its key), in drawing order (an
 * open-addressing table). */
struct slot {
    const void *key;
    int first, last;
};

struct pdf_tags {
    HPDF_Doc pdf;
    const struct doc_document *main; /* the file's: its /Lang */
    const struct doc_document *doc;  /* the one being drawn, or built */
    /* The documents of a combined file, in order (none for one letter). */
    const struct doc_document **letters;
    size_t letter_count;
    struct arena *arena;
    HPDF_Page *pages;
    int *page_mcids;    /* marks per page so far */
    uint32_t **parents; /* per page, per MCID: its structure element's number (finish) */
    size_t page_count, page_capacity;
    struct mark *marks;
    size_t mark_count, mark_capacity;
    struct slot *slots;
    size_t slot_count, slot_capacity; /* capacity a power of two */
    bool latin;                       /* the letter's language is written in Latin letters */
    struct font_glyph *scratch;       /* a span's glyphs, moved to its origin */
    size_t scratch_capacity;
    struct overflow *overflows; /* elements with more children than one array holds */
    size_t overflow_count;
    size_t array_max; /* items an array of ours may have (pdf_tags_array_max) */
    /* The signers' rows (each a TR, its TD and the TD's spans, numbered
     * one after the other), the dictionary that writes them (see
     * reserve_row) and where its writing is: a row, an object of it. */
    struct signer_row *signer_rows;
    size_t row_count, row_capacity, row_written, row_object;
    struct compact_kid *kids; /* writing scratch: a cell's kids */
    size_t kid_capacity;
    HPDF_Dict row_writer;
};

/* A signer's row: its TR's number (TD and spans follow), the TR's parent
 * and the entry's first mark: 12 bytes, all else comes from the marks. */
struct signer_row {
    uint32_t parent, tr;
    int mark;
};

/* Where the children of an element with too many go now (see room_in). */
struct overflow {
    HPDF_Dict element, tail;
};

static bool cyrillic_language(const char *language);
static void release_rows(struct pdf_tags *t);
static HPDF_Dict mcr_ref(struct pdf_tags *t, const struct mark *m);
static uint32_t object_of(HPDF_Dict d);

static bool latin_language(const char *language)
{
    return !cyrillic_language(language) && !(language && strncmp(language, "el", 2) == 0);
}

struct pdf_tags *pdf_tags_new(HPDF_Doc pdf, const struct doc_document *doc)
{
    struct pdf_tags *t = xcalloc(1, sizeof *t);
    t->pdf = pdf;
    t->main = t->doc = doc;
    t->arena = arena_new();
    t->slot_capacity = 64;
    t->slots = xcalloc(t->slot_capacity, sizeof *t->slots);
    t->latin = latin_language(doc->language);
    t->array_max = pdf_tags_array_max();
    return t;
}

void pdf_tags_free(struct pdf_tags *t)
{
    if (!t)
        return;
    release_rows(t);
    free(t->signer_rows);
    free(t->kids);
    for (size_t i = 0; t->parents && i < t->page_count; i++)
        free(t->parents[i]);
    free(t->parents);
    free(t->pages);
    free(t->page_mcids);
    free(t->marks);
    free(t->slots);
    free(t->scratch);
    free(t->overflows);
    free(t->letters);
    arena_free(t->arena);
    free(t);
}

void pdf_tags_letter(struct pdf_tags *t, const struct doc_document *doc)
{
    t->letters = xrealloc(t->letters, (t->letter_count + 1) * sizeof *t->letters);
    t->letters[t->letter_count++] = doc;
    t->doc = doc;
    t->latin = latin_language(doc->language);
}

void pdf_tags_page(struct pdf_tags *t, HPDF_Page page)
{
    if (t->page_count == t->page_capacity) {
        t->page_capacity = t->page_capacity ? 2 * t->page_capacity : 8;
        t->pages = xrealloc(t->pages, t->page_capacity * sizeof *t->pages);
        t->page_mcids = xrealloc(t->page_mcids, t->page_capacity * sizeof *t->page_mcids);
    }
    t->pages[t->page_count] = page;
    t->page_mcids[t->page_count++] = 0;
}

static size_t slot_index(const struct pdf_tags *t, const void *key)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    size_t i = (size_t)(h >> 7) & (t->slot_capacity - 1);
    while (t->slots[i].key && t->slots[i].key != key)
        i = (i + 1) & (t->slot_capacity - 1);
    return i;
}

static void grow_slots(struct pdf_tags *t)
{
    struct slot *old = t->slots;
    size_t old_capacity = t->slot_capacity;
    t->slot_capacity *= 2;
    t->slots = xcalloc(t->slot_capacity, sizeof *t->slots);
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i].key)
            t->slots[slot_index(t, old[i].key)] = old[i];
    free(old);
}

static const struct slot *slot_of(const struct pdf_tags *t, const void *key)
{
    const struct slot *s = &t->slots[slot_index(t, key)];
    return s->key ? s : NULL;
}

static bool is_artifact(const struct doc_block *block, enum pdf_tags_role role)
{
    if (!block || role == PDF_TAGS_ARTIFACT || block->kind == DOC_SENDER)
        return true;
    /* The letterhead's names repeat what the signatures say, and the text
     * output leaves them out: decoration, like a printed letterhead. */
    return role == PDF_TAGS_TEXT && block->kind == DOC_LINE && block->parent &&
           block->parent->kind == DOC_LETTERHEAD;
}

static const char *text_type(const struct doc_block *block)
{
    switch (block->kind) {
    case DOC_SUBJECT:
        return "H1";
    case DOC_ANNEX:
        return "H2";
    case DOC_GROUP:
        return "TH";
    case DOC_SIGNER:
        return "TD";
    default:
        return "P";
    }
}

/* Marked content of key (a block, or an annex entry) as structure type
 * (P, TD...), or an artifact. */
static void begin_keyed(struct pdf_tags *t, const void *key, const char *type, bool artifact,
                        bool figure, const char *language, struct buffer *content)
{
    if (artifact || t->page_count == 0) {
        buffer_puts(content, "/Artifact BMC\n");
        return;
    }
    int page = (int)t->page_count - 1;
    int mcid = t->page_mcids[page]++;
    if (t->mark_count == t->mark_capacity) {
        t->mark_capacity = t->mark_capacity ? 2 * t->mark_capacity : 64;
        t->marks = xrealloc(t->marks, t->mark_capacity * sizeof *t->marks);
    }
    int index = (int)t->mark_count++;
    t->marks[index] = (struct mark){page, mcid, -1, span_language_index(language), figure};
    if (2 * (t->slot_count + 1) > t->slot_capacity)
        grow_slots(t);
    struct slot *s = &t->slots[slot_index(t, key)];
    if (!s->key) {
        *s = (struct slot){key, index, index};
        t->slot_count++;
    } else {
        t->marks[s->last].next = index;
        s->last = index;
    }
    /* Not printf: a letter opens a few hundred of these. */
    buffer_putc(content, '/');
    buffer_puts(content, figure ? "Figure" : language ? "Span" : type);
    buffer_puts(content, " <</MCID ");
    font_pdf_number(content, mcid);
    buffer_puts(content, ">> BDC\n");
}

static void begin_mark(struct pdf_tags *t, const struct doc_block *block, enum pdf_tags_role role,
                       const char *language, struct buffer *content)
{
    bool artifact = is_artifact(block, role);
    begin_keyed(t, block, artifact ? NULL : text_type(block), artifact, role == PDF_TAGS_FIGURE,
                language, content);
}

void pdf_tags_begin(struct pdf_tags *t, const struct doc_block *block, enum pdf_tags_role role,
                    struct buffer *content)
{
    begin_mark(t, block, role, NULL, content);
}

/* ---- spans in another language ---- */

enum script { NEUTRAL, LATIN, CYRILLIC, GREEK };

static enum script script_of(UChar32 c)
{
    if (c < 0x80) /* most glyphs: no need to ask ICU */
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? LATIN : NEUTRAL;
    if (c >= 0x0400 && c <= 0x052F)
        return CYRILLIC;
    if ((c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF))
        return GREEK;
    if (c < 0x0250 && u_isalpha(c))
        return LATIN;
    return NEUTRAL;
}

static UChar32 first_char(const char *text)
{
    if (!text || !*text)
        return ' ';
    if ((unsigned char)*text < 0x80)
        return (unsigned char)*text;
    int32_t i = 0, len = (int32_t)strlen(text);
    UChar32 c;
    U8_NEXT(text, i, len, c);
    return c;
}

static bool cyrillic_language(const char *language)
{
    static const char *const cyrillic[] = {"ru", "kk", "uk", "be", "bg", "sr", "mk", "ky", "tg"};
    for (size_t i = 0; language && i < sizeof cyrillic / sizeof cyrillic[0]; i++)
        if (strncmp(language, cyrillic[i], 2) == 0)
            return true;
    return false;
}

/* The language of a run of Cyrillic in a letter in another script, told
 * by the letters only some alphabets have: Kazakh (Ә Ғ Қ Ң Ө Ұ Ү Һ),
 * Ukrainian (Є Ї Ґ, or І without Kazakh letters), Belarusian (Ў); else
 * Russian. A guess a screen reader is better off with than the letter's
 * own language. */
static const char *cyrillic_run_language(const struct font_embed *e, const struct font_shaped *s,
                                         size_t from, size_t to)
{
    static const UChar32 kazakh[] = {0x4D8, 0x4D9, 0x492, 0x493, 0x49A, 0x49B, 0x4A2, 0x4A3,
                                     0x4E8, 0x4E9, 0x4B0, 0x4B1, 0x4AE, 0x4AF, 0x4BA, 0x4BB};
    bool dotted_i = false, ukrainian = false, belarusian = false;
    for (size_t g = from; g < to; g++) {
        UChar32 c = first_char(font_embed_glyph_text(e, &s->glyphs[g]));
        for (size_t k = 0; k < sizeof kazakh / sizeof kazakh[0]; k++)
            if (c == kazakh[k])
                return "kk";
        dotted_i = dotted_i || c == 0x406 || c == 0x456;
        ukrainian = ukrainian || c == 0x404 || c == 0x454 || c == 0x407 || c == 0x457 ||
                    c == 0x490 || c == 0x491;
        belarusian = belarusian || c == 0x40E || c == 0x45E;
    }
    return belarusian ? "be" : ukrainian || dotted_i ? "uk" : "ru";
}

/* Shows glyphs [from, to) of s as their own text object at their place. */
static void show_part(struct pdf_tags *t, struct font_embed *e, struct buffer *content, double x,
                      double y, double size, const struct font_shaped *s, size_t from, size_t to)
{
    size_t n = to - from;
    if (n > t->scratch_capacity) {
        t->scratch_capacity = 2 * n;
        t->scratch = xrealloc(t->scratch, t->scratch_capacity * sizeof *t->scratch);
    }
    double origin = s->glyphs[from].x;
    for (size_t g = 0; g < n; g++) {
        t->scratch[g] = s->glyphs[from + g];
        t->scratch[g].x -= origin;
    }
    struct font_shaped part = {.glyphs = t->scratch, .count = n};
    font_embed_show(e, content, x + origin, y, size, &part);
}

/* pdf_tags_show of key's text, marked as type (or an artifact). */
static void show_keyed(struct pdf_tags *t, struct font_embed *e, const void *key, const char *type,
                       bool artifact, struct buffer *content, double x, double y, double size,
                       const struct font_shaped *shaped)
{
    /* ASCII text is one span of Latin letters and neutral characters,
     * which the loop below would find glyph by glyph. */
    if (artifact || !t->latin || shaped->count == 0 || shaped->ascii) {
        begin_keyed(t, key, type, artifact, false, NULL, content);
        font_embed_show(e, content, x, y, size, shaped);
        buffer_puts(content, "EMC\n");
        return;
    }
    /* Runs of one script. What has none (spaces, digits, punctuation)
     * goes with the run before it up to the first space, so that a span
     * ends with its word's punctuation and the space after it. */
    size_t start = 0, after_letter = 0;
    enum script current = NEUTRAL;
    for (size_t g = 0; g <= shaped->count; g++) {
        enum script s = g < shaped->count
                            ? script_of(first_char(font_embed_glyph_text(e, &shaped->glyphs[g])))
                            : NEUTRAL;
        bool last = g == shaped->count;
        if (last || (s != NEUTRAL && current != NEUTRAL && s != current)) {
            size_t cut = last ? g : after_letter;
            for (size_t k = after_letter; !last && k < g; k++)
                if (first_char(font_embed_glyph_text(e, &shaped->glyphs[k])) == ' ') {
                    cut = k + 1;
                    break;
                }
            const char *span = current == CYRILLIC ? cyrillic_run_language(e, shaped, start, cut)
                               : current == GREEK  ? "el"
                                                   : NULL;
            begin_keyed(t, key, type, false, false, span, content);
            if (start == 0 && cut == shaped->count)
                font_embed_show(e, content, x, y, size, shaped);
            else
                show_part(t, e, content, x, y, size, shaped, start, cut);
            buffer_puts(content, "EMC\n");
            start = cut;
        }
        if (s != NEUTRAL) {
            current = s;
            after_letter = g + 1;
        }
    }
}

void pdf_tags_show(struct pdf_tags *t, struct font_embed *e, const struct doc_block *block,
                   struct buffer *content, double x, double y, double size,
                   const struct font_shaped *shaped)
{
    bool artifact = is_artifact(block, PDF_TAGS_TEXT);
    show_keyed(t, e, block, artifact ? NULL : text_type(block), artifact, content, x, y, size,
               shaped);
}

void pdf_tags_show_entry(struct pdf_tags *t, struct font_embed *e, const struct doc_entry *entry,
                         struct buffer *content, double x, double y, double size,
                         const struct font_shaped *shaped)
{
    show_keyed(t, e, entry, "TD", false, content, x, y, size, shaped);
}

void pdf_tags_end(struct pdf_tags *t, struct buffer *content)
{
    (void)t;
    buffer_puts(content, "EMC\n");
}

/* ---- the structure tree ---- */

/* libharu grows a list by a fixed step (20 items, 1,024 for the objects),
 * copying it whole each time: a petition's 100,000 signers made that
 * quadratic. A step as large as the list makes it doubling; the list's
 * items stay the same. */
static void grow_doubling(HPDF_List list)
{
    if (list->items_per_block < list->count)
        list->items_per_block = list->count;
}

static void array_add(HPDF_Array array, void *item)
{
    grow_doubling(array->list);
    HPDF_Array_Add(array, item);
}

static HPDF_Dict new_object(struct pdf_tags *t)
{
    HPDF_Dict d = HPDF_Dict_New(t->pdf->mmgr);
    grow_doubling(t->pdf->xref->entries);
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
static HPDF_Dict room_in(struct pdf_tags *t, HPDF_Dict parent)
{
    size_t i = 0;
    while (i < t->overflow_count && t->overflows[i].element != parent)
        i++;
    HPDF_Dict tail = i < t->overflow_count ? t->overflows[i].tail : parent;
    HPDF_Array kids = HPDF_Dict_GetItem(tail, "K", HPDF_OCLASS_ARRAY);
    if (!kids || HPDF_Array_Items(kids) < t->array_max)
        return tail;
    HPDF_Dict more = new_object(t);
    HPDF_Array more_kids = HPDF_Array_New(t->pdf->mmgr);
    if (!more || !more_kids)
        return NULL;
    HPDF_Dict_AddName(more, "S", "NonStruct");
    HPDF_Dict_Add(more, "P", tail);
    HPDF_Dict_Add(more, "K", more_kids);
    array_add(kids, more);
    if (i == t->overflow_count) {
        t->overflows = xrealloc(t->overflows, (t->overflow_count + 1) * sizeof *t->overflows);
        t->overflows[t->overflow_count++].element = parent;
    }
    t->overflows[i].tail = more;
    return more;
}

/* A structure element of type, the last child of parent. */
static HPDF_Dict new_element(struct pdf_tags *t, const char *type, HPDF_Dict parent)
{
    if (!parent || !(parent = room_in(t, parent)))
        return NULL;
    HPDF_Dict e = new_object(t);
    HPDF_Array kids = HPDF_Array_New(t->pdf->mmgr);
    if (!e || !kids)
        return NULL;
    /* /Type /StructElem is optional: left out, 21 bytes an element. */
    HPDF_Dict_AddName(e, "S", type);
    HPDF_Dict_Add(e, "P", parent);
    HPDF_Dict_Add(e, "K", kids);
    HPDF_Array parent_kids = HPDF_Dict_GetItem(parent, "K", HPDF_OCLASS_ARRAY);
    if (parent_kids)
        array_add(parent_kids, e);
    return e;
}

static bool has_marks(const struct pdf_tags *t, const struct doc_block *block)
{
    if (slot_of(t, block))
        return true;
    for (size_t i = 0; i < block->entry_count; i++)
        if (slot_of(t, &block->entries[i]))
            return true;
    for (const struct doc_block *c = block->first_child; c; c = c->next)
        if (has_marks(t, c))
            return true;
    return false;
}

static bool has_role(const struct pdf_tags *t, const struct doc_block *block, bool figure)
{
    const struct slot *s = slot_of(t, block);
    for (int i = s ? s->first : -1; i >= 0; i = t->marks[i].next)
        if (t->marks[i].figure == figure)
            return true;
    return false;
}

/* Gives e block's marks of one role, as MCIDs (marked-content references
 * when on another page than their element's first), and records e as their
 * parent. A paragraph of a thousand pages has more marks than an array
 * holds: the later ones go into e's NonStruct continuations (room_in), each
 * with the /Pg of its own first mark. */
static void add_marks(struct pdf_tags *t, HPDF_Dict e, const struct doc_block *block, bool figure)
{
    const struct slot *s = slot_of(t, block);
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
            HPDF_Dict span = new_element(t, "Span", e);
            if (!span)
                continue;
            HPDF_Dict_Add(span, "Lang", pdf_info_text(t->pdf, mark_language(m)));
            HPDF_Dict_Add(span, "Pg", t->pages[m->page]);
            HPDF_Array span_kids = HPDF_Dict_GetItem(span, "K", HPDF_OCLASS_ARRAY);
            array_add(span_kids, HPDF_Number_New(t->pdf->mmgr, m->mcid));
            t->parents[m->page][m->mcid] = object_of(span);
            continue;
        }
        if (HPDF_Array_Items(kids) >= t->array_max) {
            HPDF_Dict more = room_in(t, e);
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
            array_add(kids, HPDF_Number_New(t->pdf->mmgr, m->mcid));
        } else {
            HPDF_Dict ref = mcr_ref(t, m);
            if (ref)
                array_add(kids, ref);
        }
        t->parents[m->page][m->mcid] = object_of(into);
    }
}

static HPDF_Dict text_element(struct pdf_tags *t, const char *type, HPDF_Dict parent,
                              const struct doc_block *block)
{
    HPDF_Dict e = new_element(t, type, parent);
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
    HPDF_Dict e = new_element(t, "Figure", parent);
    if (!e)
        return;
    HPDF_Dict_Add(e, "Alt", pdf_info_text(t->pdf, arena_printf(t->arena, format, name)));
    add_marks(t, e, block, true);
}

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

static uint32_t object_of(HPDF_Dict d)
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

static void sink_put(struct sink *s, const char *text)
{
    size_t len = strlen(text);
    if (s->n + len > sizeof s->text)
        sink_flush(s);
    memcpy(s->text + s->n, text, len);
    s->n += len;
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
    sink_put(s, at);
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

static HPDF_Dict mcr_ref(struct pdf_tags *t, const struct mark *m)
{
    HPDF_Dict ref = HPDF_Dict_New(t->pdf->mmgr);
    if (!ref)
        return NULL;
    struct compact_kid *k = arena_alloc(t->arena, sizeof *k);
    *k = (struct compact_kid){.page = object_of(t->pages[m->page]), .mcid = m->mcid};
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
        uint32_t page = object_of(t->pages[m->page]);
        if (first_page < 0) {
            first_page = m->page;
            cell.page = page;
        }
        struct compact_kid *kids = kid_room(t, count + 1);
        if (m->language) {
            if (object == 2 + spans) {
                span.page = page;
                span.language = mark_language(m);
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

/* The hook of the one dictionary every row's object entries point to:
 * libharu writes objects in number order, the rows are in it. */
static HPDF_STATUS write_row(HPDF_Dict dict, HPDF_Stream stream)
{
    struct pdf_tags *t = dict->attr;
    if (t->row_written >= t->row_count)
        return HPDF_SetError(&t->pdf->error, HPDF_INVALID_OBJECT, 0);
    const struct signer_row *r = &t->signer_rows[t->row_written];
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
        uint32_t capacity = c->kid_capacity ? 2 * c->kid_capacity : 1;
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
    HPDF_XrefEntry entry = arena_alloc(t->arena, sizeof *entry);
    *entry = (HPDF_XrefEntry_Rec){HPDF_IN_USE_ENTRY, 0, 0, t->row_writer};
    grow_doubling(xref->entries);
    if (HPDF_List_Add(xref->entries, entry) != HPDF_OK)
        return 0;
    return xref->start_offset + xref->entries->count - 1;
}

/* Takes the row records' entries out of libharu's object table, which
 * would free them as its own. */
static void release_rows(struct pdf_tags *t)
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
    HPDF_Dict e = new_object(t);
    if (!e)
        return NULL;
    struct compact *c = compact_new(t, type, object_of(parent));
    c->dict = e;
    e->attr = c;
    e->write_fn = write_hooked;
    return c;
}

/* The table or continuation that takes table's next row (see room_in). */
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
    compact_add(t, tail, (struct compact_kid){.object = object_of(more->dict)});
    tail->more = more;
    return more;
}

/* A signer's row and cell, as new_element and add_marks would make them:
 * numbers reserved, the row kept in 12 bytes (written by write_row). */
static void compact_signer(struct pdf_tags *t, struct compact *table,
                           const struct doc_entry *signer)
{
    struct compact *parent = row_room(t, table);
    if (!parent)
        return;
    if (t->row_count == t->row_capacity) {
        t->row_capacity = t->row_capacity ? 2 * t->row_capacity : 1024;
        t->signer_rows = xrealloc(t->signer_rows, t->row_capacity * sizeof *t->signer_rows);
    }
    const struct slot *s = slot_of(t, signer);
    uint32_t tr = reserve_row(t), td = tr ? reserve_row(t) : 0;
    if (!td)
        return;
    t->signer_rows[t->row_count++] =
        (struct signer_row){object_of(parent->dict), tr, s ? s->first : -1};
    compact_add(t, parent, (struct compact_kid){.object = tr});
    for (int i = s ? s->first : -1; i >= 0; i = t->marks[i].next) {
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
    HPDF_Dict tr = parent ? new_object(t) : NULL;
    HPDF_Array kids = tr ? HPDF_Array_New(t->pdf->mmgr) : NULL;
    if (!kids)
        return NULL;
    HPDF_Dict_AddName(tr, "S", "TR");
    HPDF_Dict_Add(tr, "P", parent->dict);
    HPDF_Dict_Add(tr, "K", kids);
    compact_add(t, parent, (struct compact_kid){.object = object_of(tr)});
    return tr;
}

/* The annex: its title as a heading, then one table whose rows are each
 * group's heading (a header cell) followed by its signers (data cells). */
static void build_annex(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *annex)
{
    HPDF_Dict sect = new_element(t, "Sect", parent);
    if (!sect)
        return;
    if (slot_of(t, annex))
        text_element(t, "H2", sect, annex);
    HPDF_Dict room = room_in(t, sect);
    struct compact *table = room ? hooked_new(t, "Table", room) : NULL;
    HPDF_Array room_kids = table ? HPDF_Dict_GetItem(room, "K", HPDF_OCLASS_ARRAY) : NULL;
    if (!room_kids)
        return;
    array_add(room_kids, table->dict);
    for (const struct doc_block *group = annex->first_child; group; group = group->next) {
        if (slot_of(t, group)) {
            HPDF_Dict th = text_element(t, "TH", heading_row(t, table), group);
            if (!th)
                return;
            HPDF_Dict scope = HPDF_Dict_New(t->pdf->mmgr);
            HPDF_Dict_AddName(scope, "O", "Table");
            HPDF_Dict_AddName(scope, "Scope", "Column");
            HPDF_Dict_Add(th, "A", scope);
        }
        for (size_t i = 0; i < group->entry_count; i++)
            if (slot_of(t, &group->entries[i]))
                compact_signer(t, table, &group->entries[i]);
    }
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
        HPDF_Dict div = new_element(t, "Div", parent);
        if (block->kind == DOC_SIGNATURE)
            figure(t, div, block, words_for(language)->signature_of,
                   block->first_child ? doc_plain_text(t->arena, block->first_child, language)
                                      : "");
        for (const struct doc_block *c = block->first_child; c; c = c->next)
            build(t, div, c);
        break;
    }
    case DOC_ANNEX:
        build_annex(t, parent, block);
        break;
    default: {
        HPDF_Dict e = text_element(t, text_type(block), parent, block);
        for (const struct doc_block *c = block->first_child; c; c = c->next)
            build(t, e, c);
        break;
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
        HPDF_Dict node = new_object(t);
        HPDF_Array kids = HPDF_Array_New(t->pdf->mmgr);
        if (!node || !kids)
            return 0;
        for (size_t k = i; k < end; k++)
            array_add(kids, nodes[k].node);
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
static void parent_tree(struct pdf_tags *t, HPDF_Dict root)
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
            leaf = new_object(t);
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
            array_add(kids, nodes[i].node);
        HPDF_Dict_Add(tree, "Kids", kids);
    }
    free(nodes);
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key);
}

void pdf_tags_finish(struct pdf_tags *t)
{
    HPDF_Doc pdf = t->pdf;
    t->parents = xcalloc(t->page_count ? t->page_count : 1, sizeof *t->parents);
    for (size_t p = 0; p < t->page_count; p++)
        t->parents[p] = xcalloc((size_t)t->page_mcids[p] + 1, sizeof **t->parents);
    HPDF_Dict root = new_object(t);
    HPDF_Array kids = HPDF_Array_New(pdf->mmgr);
    if (!root || !kids)
        return;
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Dict_Add(root, "K", kids);
    HPDF_Dict document = new_element(t, "Document", root);
    if (t->letter_count == 0) {
        for (const struct doc_block *b = t->doc->root->first_child; b; b = b->next)
            build(t, document, b);
    }
    /* A combined file: each letter a Part in its own language. */
    for (size_t i = 0; i < t->letter_count && document; i++) {
        t->doc = t->letters[i];
        HPDF_Dict part = new_element(t, "Part", document);
        if (part && t->doc->language)
            HPDF_Dict_Add(part, "Lang", pdf_info_text(pdf, t->doc->language));
        for (const struct doc_block *b = t->doc->root->first_child; b; b = b->next)
            build(t, part, b);
    }
    parent_tree(t, root);
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
