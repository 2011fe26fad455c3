/* pdf_internal.h — private to the PDF backend: what pdf.c (the flow of
 * boxes, pagination, drawing) and pdf_page.c (the page's furniture: the
 * letterhead, the window field, running headers, page numbers, marks)
 * share. Boxes are vertical slices of a page holding positioned items. */
#ifndef MISSIVE_PDF_INTERNAL_H
#define MISSIVE_PDF_INTERNAL_H

#include "arena.h"
#include "doc.h"
#include "error.h"
#include "font.h"
#include "settings.h"

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Proportions of the page, in units of the body leading or size. */
#define LETTERHEAD_SCALE 1.18 /* organisation names, relative to the body size */
#define LOGO_HEIGHT 2.4       /* leadings */
#define SIGNATURE_SPACE 2.8   /* leadings left for a signature above the name */
#define FOOTER_SIZE 0.75      /* of the body size */
#define RULE_GRAY 0.6
#define QUIET_GRAY 0.4
#define MM (72.0 / 25.4)
#define BODY_GAP (8.46 * MM) /* from a window field to the text (DIN 5008: two lines) */

enum align { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_JUSTIFY };
enum item_kind { ITEM_TEXT, ITEM_IMAGE, ITEM_RULE };

/* Something drawn. x is from the page's left edge; y is measured down from
 * the top of the box: the baseline for text, the top edge for an image,
 * the line for a rule. */
struct item {
    enum item_kind kind;
    double x, y;
    double gray;
    double size;                   /* text */
    struct font_shaped shaped;     /* text */
    HPDF_Image image;              /* image */
    double width, height;          /* image; width also of a rule */
    const struct doc_block *block; /* what it shows, for tagging; NULL: an artifact */
    struct item *next;
};

/* A vertical slice of the page that is never split. */
struct box {
    double space_before; /* dropped at the top of a page */
    double height;
    bool keep_with_next;
    struct item *first, *last;
    int page;
    double top;       /* down from the top margin, after pagination */
    bool fixed;       /* placed where it stands (page and top set when made), never flowed */
    bool below_field; /* the flow's first box under a window field: page 1 resumes there */
};

struct loaded_image {
    const char *path;
    HPDF_Image image;
};

/* One document being laid out and drawn. Several may share one file (a
 * combined PDF, pdf_combined.c): then owner is the first, which holds the
 * file's libharu document, its error, fonts, tags and images; a lone
 * letter is its own owner. */
struct pdf {
    struct pdf *owner;
    const struct doc_document *doc;
    const struct settings *settings;
    struct font_set *fs;
    struct errors *errors;
    struct arena *arena;
    HPDF_Doc hpdf;
    HPDF_STATUS hpdf_error, hpdf_detail;
    struct font_embed *embed;
    struct pdf_tags *tags;
    const struct doc_block *tag_block; /* what the items added now belong to */
    double size, leading, left;
    double width;      /* the body's measure: the text width, or less (layout.measure) */
    double text_width; /* from margin to margin */
    double content_height;
    const struct pdf_window *window; /* the first page's address field; NULL: none */
    double first_top;    /* page 1's flow resumes here under the field (down from the top margin) */
    double lift;         /* page 1's letterhead starts this far above the top margin */
    double first_height; /* page 1's flow ends here (down from the top margin) */
    double next_top;     /* later pages' flow starts under their running header */
    int letter_pages;    /* pages before a petition's annex */
    double field_text_top;             /* where the address starts in the field; 0: not yet */
    size_t sender_first, sender_count; /* the return address's boxes */
    struct box *boxes;
    size_t box_count, box_capacity;
    struct loaded_image *images;
    size_t image_count;
    int pages;
    /* Each signature's row (a box) and column, for pdf_render_places. */
    struct signature_slot {
        size_t box;
        double x, width;
    } * slots;
    size_t slot_count;
    struct layout_report *report; /* NULL unless asked for */
    /* A petition's annex: laid out by pdf_annex.c on pages of its own. */
    const struct doc_block *annex_block;
    struct pdf_annex *annex;
    /* The owner's: a petition's spooled bytes (pdf_spool.h); NULL for a
     * letter, whose pages stay in memory. */
    struct pdf_spool *spool;
};

/* What of a block's runs is set: all, or those before or after its first
 * line break (a letterhead line is a name, then its postal address). */
enum segment { SEGMENT_ALL, SEGMENT_FIRST, SEGMENT_REST };

struct text_spec {
    enum segment segment;
    unsigned extra_style;
    double size, leading, width, x, gray, space_before;
    enum align align;
    bool keep_all; /* the block's lines stay together */
    bool report;   /* its lines go into the layout report (one box each) */
    bool balance;  /* ragged lines of even length (names, titles) */
};

/* A window envelope's field on the first page, in points from the page's
 * top left corner (pdf_page.c has the figures and where they come from). */
struct pdf_window {
    const char *name;           /* as in missive.ini: "din-b" */
    double x, y, width, height; /* the whole field */
    double return_height;       /* its top part: the return address */
    int lines;                  /* address lines the rest holds */
    double info_x, info_y;      /* reference and date beside the field; info_x 0: below */
    double folds[2], punch;     /* marks, down from the page's top */
};

/* A new box at the end of the flow. Boxes move when more are added: keep
 * their numbers, not pointers, across calls that add boxes. */
struct box *pdf_box_new(struct pdf *p, double space_before, double height);
/* An item at (x, y) in box b, tagged as p->tag_block's. */
struct item *pdf_item_add(struct pdf *p, struct box *b, enum item_kind kind, double x, double y);
/* A text item: shaped glyphs at baseline y in gray. */
void pdf_text_add(struct pdf *p, struct box *b, double x, double baseline, double size, double gray,
                  struct font_shaped shaped);
/* Shapes text and records its glyphs for embedding. */
struct font_shaped pdf_shape(struct pdf *p, unsigned style, double size, const char *text,
                             size_t len);
/* Distance from a line box's top to its baseline. */
double pdf_baseline_in(struct pdf *p, unsigned style, double size, double leading);
/* The runs of segment of block (in p's arena); returns how many. */
size_t pdf_segment_runs(struct pdf *p, const struct doc_block *block, enum segment segment,
                        const struct doc_run **runs);
/* Sets block's inline content (t->segment of it) as line boxes; returns how many. */
size_t pdf_set_block(struct pdf *p, const struct doc_block *block, const struct text_spec *t);
/* pdf_set_block into the box numbered target, the first line top below its top. */
size_t pdf_set_into(struct pdf *p, const struct doc_block *block, const struct text_spec *t,
                    size_t target, double top);
/* Sets the letter's blocks into boxes in reading order (pdf_set.c). */
void pdf_set_blocks(struct pdf *p);

/* ---- lines set once per process (pdf_lines.c) ---- */

/* A set line: line number line of the paragraph whose lines have the
 * layout cache's value kept (never 0), set with extra style at size with
 * its gaps scaled by scale. Equal keys give equal glyphs. */
struct pdf_line_key {
    uint64_t kept;
    uint32_t line, style;
    double size, scale;
};
/* What each glyph of a kept line was shaped from: the line's piece of that
 * number, or the space or hyphen added between and after them. */
enum { PDF_LINE_HYPHEN = 0xFFFE, PDF_LINE_SPACE = 0xFFFF };
/* The glyphs of the line key names, as set for an earlier letter: copied
 * into arena, *from the source of each (in arena too); false when none is
 * kept (or caches are off). */
bool pdf_lines_find(const struct pdf_line_key *key, struct arena *arena, struct font_shaped *out,
                    const uint16_t **from);
/* Keeps shaped, the glyphs of the line key names, and their sources;
 * shaped->kept then names them (a number never given to other glyphs). */
void pdf_lines_keep(const struct pdf_line_key *key, struct font_shaped *shaped,
                    const uint16_t *from);
/* The body's text spec at the body's size, leading and measure. */
struct text_spec pdf_body_spec(struct pdf *p, double space_before);
/* A PNG loaded once per document; NULL with a located error. */
HPDF_Image pdf_image_load(struct pdf *p, const char *path, struct source_loc loc);
/* image scaled to fit max_w x max_h, keeping its proportions. */
void pdf_image_fit(HPDF_Image image, double max_w, double max_h, double *w, double *h);

/* ---- pdf_page.c ---- */

/* The body's measure: the text width, or [layout] measure average
 * characters of the letter's own paragraphs when that is less. */
double pdf_page_measure(struct pdf *p);
/* The window field of settings' [layout] window, or NULL. */
const struct pdf_window *pdf_window_for(const struct settings *settings);
/* For pdf_check: whether each address fits its window field, as
 * pdf_page_address will set it; located errors when not. Returns the
 * number of errors. */
int pdf_page_check(const struct doc_document *doc, const struct settings *settings,
                   struct font_set *fonts, struct errors *errors);
/* For pdf_check: whether the letterhead fits above the window field, as
 * pdf_page_letterhead will set it (laid out alone); the number of errors. */
int pdf_page_check_letterhead(const struct doc_document *doc, const struct settings *settings,
                              struct font_set *fonts, struct errors *errors);
/* The letterhead: one row per organisation, its logo and name; above a
 * window field its logos shrink, then it starts higher, to end above the
 * field, and a located error when even that cannot make room. */
void pdf_page_letterhead(struct pdf *p, const struct doc_block *block);
/* The address in the window field, each line wrapped to the field; a
 * located error when it needs more lines than the field holds. */
void pdf_page_address(struct pdf *p, const struct doc_block *block);
/* The return-address line at the foot of the field's top part. */
void pdf_page_sender(struct pdf *p, const struct doc_block *block);
/* Reference and date in the information block beside the field. */
void pdf_page_info(struct pdf *p, const struct doc_block *ref, const struct doc_block *date);
/* After pagination: running headers and page numbers, the first page's
 * footer (the organisations' addresses), fold and punch marks, the draft
 * mark; all artifacts. */
void pdf_page_furniture(struct pdf *p);

/* p for doc, sharing owner's file (owner NULL: p owns a new one, with
 * its fonts, tags and document information from doc). -1 when libharu
 * cannot start a document. */
int pdf_begin(struct pdf *p, struct pdf *owner, const struct doc_document *doc,
              const struct settings *settings, struct font_set *fonts, struct errors *errors);
/* p for laying parts of doc out alone (pdf_check): a file of its own, with
 * fonts but no tags, document information or PDF/A parts; never saved. */
int pdf_begin_bare(struct pdf *p, const struct doc_document *doc, const struct settings *settings,
                   struct font_set *fonts, struct errors *errors);
/* Lays p's document out into pages (boxes, the annex, the page's
 * furniture); -1 with errors. Each document is laid out before any is
 * drawn: the font subsets are made in between (font_embed_finish). */
int pdf_lay_out(struct pdf *p);
/* Before the first page is drawn: the shape of owner's page tree for a
 * file of pages pages. */
void pdf_page_tree(struct pdf *owner, int pages);
/* Draws p's pages, after the file's last page so far. */
void pdf_draw_pages(struct pdf *p);
/* Writes the owner's file into out: the structure tree, PDF/A's last
 * touches, the bytes, the /ID. 0, or -1. */
int pdf_save(struct pdf *owner, struct buffer *out);
/* Whether libharu failed on p's file. */
bool pdf_failed(struct pdf *p);
/* The error of a failed file, unless errors already has one since
 * errors_before. */
void pdf_fail(struct pdf *p, size_t errors_before);
/* Frees p's own state, and the file's when p is its owner. */
void pdf_end(struct pdf *p);

#endif
