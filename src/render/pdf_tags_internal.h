/* pdf_tags_internal.h — the tagging state and functions pdf_tags*.c share. */
#ifndef MISSIVE_PDF_TAGS_INTERNAL_H
#define MISSIVE_PDF_TAGS_INTERNAL_H

#include "pdf_tags.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>

#include <stdint.h>

/* One marked-content sequence of a block. */
/* 12 bytes: a million signers' annex has 2.6 million. */
struct mark {
    uint32_t page : 27; /* from 0; a file has fewer objects than 2^27 */
    uint32_t
        language : 4; /* of a span in another language than the letter's (span_languages), else 0 */
    uint32_t figure : 1;
    int mcid;
    int next; /* the block's next mark, or -1 */
};

/* The marks of one block or annex entry (its key), in drawing order (an
 * open-addressing table). */
struct slot {
    const void *key;
    int first, last;
};

/* The first marks of one annex group's entries, by index: an entry's
 * marks follow one another, so 4 bytes an entry where a slot keyed by the
 * entry took 32 to 64 (a million signers' hash table was 33 MB). */
struct entry_marks {
    const struct doc_block *group;
    int *first; /* per entry: its first mark, or -1 */
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
    struct entry_marks *groups;       /* of the annex's entries */
    size_t group_count, group_hit;    /* group_hit: the one asked for last */
    int entry_last;                   /* the last mark of an entry so far, or -1 */
    const struct doc_entry *entry_last_of;
    bool latin;     /* the letter's language is written in Latin letters */
    int32_t *chars; /* a line's glyphs' first characters (font_embed_glyph_chars) */
    size_t chars_capacity;
    struct overflow *overflows; /* elements with more children than one array holds */
    size_t overflow_count;
    size_t array_max; /* items an array of ours may have (pdf_tags_array_max) */
    /* The signers' rows (each a TR, its TD and the TD's spans, numbered
     * one after the other), the dictionary that writes them (see
     * reserve_row) and where its writing is: a row, an object of it. */
    struct signer_row *signer_rows;
    size_t row_count, row_capacity, row_written, row_object;
    /* Every row object's entry in libharu's object table is row_entry;
     * its offsets, numbers [first_row_object, + row_objects), are kept
     * apart as the file is written (see watch_write). */
    HPDF_XrefEntry_Rec row_entry;
    uint32_t first_row_object, row_objects;
    uint32_t *row_offsets;
    HPDF_Stream_Write_Func save_write; /* the saving stream's own */
    size_t xref_line;                  /* the table's line libharu writes next */
    int xref_state;                    /* enum xref_state (pdf_tags_compact.c) */
    struct compact_kid *kids;          /* writing scratch: a cell's kids */
    size_t kid_capacity;
    HPDF_Dict row_writer;
};

/* A signer's row: its TR's number (TD and spans follow), the TR's parent
 * and the entry's first mark: 12 bytes, all else comes from the marks. */
struct signer_row {
    uint32_t parent, tr;
    int mark;
};

/* Where the children of an element with too many go now (see pdf_tags_tree_room_in). */
struct overflow {
    HPDF_Dict element, tail;
};

/* The marks of key (a block), or NULL (pdf_tags.c). */
const struct slot *pdf_tags_slot_of(const struct pdf_tags *t, const void *key);
/* The first mark of entry i of group, or -1. */
int pdf_tags_entry_mark(struct pdf_tags *t, const struct doc_block *group, size_t i);
/* The structure type of block's text: H1, H2, TH, TD or P. */
const char *pdf_tags_text_type(const struct doc_block *block);
/* The /Lang of m, a span in another language, or NULL. */
const char *pdf_tags_mark_language(const struct mark *m);

/* Makes list grow by doubling (pdf_tags_tree.c). */
void pdf_tags_tree_grow_doubling(HPDF_List list);
/* HPDF_Array_Add, the array growing by doubling. */
void pdf_tags_tree_array_add(HPDF_Array array, void *item);
/* A new dictionary with an object number, or NULL. */
HPDF_Dict pdf_tags_tree_new_object(struct pdf_tags *t);
/* The element that takes parent's next child (NonStruct past array_max). */
HPDF_Dict pdf_tags_tree_room_in(struct pdf_tags *t, HPDF_Dict parent);
/* A structure element of type, the last child of parent, or NULL. */
HPDF_Dict pdf_tags_tree_new_element(struct pdf_tags *t, const char *type, HPDF_Dict parent);
/* An element of type under parent holding block's text marks. */
HPDF_Dict pdf_tags_tree_text_element(struct pdf_tags *t, const char *type, HPDF_Dict parent,
                                     const struct doc_block *block);

/* The object number of d, or 0 (pdf_tags_compact.c). */
uint32_t pdf_tags_compact_object_of(HPDF_Dict d);
/* A marked-content reference to m (on another page than its element's). */
HPDF_Dict pdf_tags_compact_mcr_ref(struct pdf_tags *t, const struct mark *m);
/* Whether the object table was written with the rows' own offsets (or
 * there are no rows): false means the file must not be used. */
bool pdf_tags_compact_saved(const struct pdf_tags *t);
/* Takes the signers' rows out of libharu's object table (before freeing). */
void pdf_tags_compact_release_rows(struct pdf_tags *t);
/* The annex's Sect under parent: its heading and its table of signers. */
void pdf_tags_compact_annex(struct pdf_tags *t, HPDF_Dict parent, const struct doc_block *annex);
/* The parent tree of root and the pages' /StructParents. */
void pdf_tags_compact_parent_tree(struct pdf_tags *t, HPDF_Dict root);

#endif
