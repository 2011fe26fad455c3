/* pdf.h — owns the PDF backend: page layout of the document tree (A4 or
 * Letter), letterhead, reference and date, address block, justified body,
 * signatures side by side with their images, page numbers on continuation
 * pages, document information. Written through libharu's document and
 * object layer; all glyph work goes through font.h. */
#ifndef MISSIVE_PDF_H
#define MISSIVE_PDF_H

#include "buffer.h"
#include "doc.h"
#include "error.h"
#include "font.h"
#include "settings.h"

/* Checks doc can be rendered (every character in the fonts, every image
 * readable, the address and the letterhead fit the page's window field)
 * and appends located errors; returns 0 when it can. */
int pdf_check(const struct doc_document *doc, const struct settings *settings,
              struct font_set *fonts, struct errors *errors);
/* Renders doc into out (the complete PDF file). Checks first as pdf_check
 * does; nothing is produced when it fails. */
int pdf_render(const struct doc_document *doc, const struct settings *settings,
               struct font_set *fonts, struct buffer *out, struct errors *errors);

/* Where one signature of the signature block stands: its page (0-based)
 * and its rectangle in PDF user space (points from the bottom left). */
struct pdf_signature_place {
    int page;
    double x0, y0, x1, y1;
};
/* The places of a letter's signatures, in the signature block's order
 * (which is the letter's order of signatories). items is malloc'd. */
struct pdf_places {
    struct pdf_signature_place *items;
    size_t count;
};
/* pdf_render that also reports where each signature stands, for the
 * signature fields that signing adds (places may be NULL). The caller
 * frees places->items. */
int pdf_render_places(const struct doc_document *doc, const struct settings *settings,
                      struct font_set *fonts, struct buffer *out, struct pdf_places *places,
                      struct errors *errors);
/* A file the PDF carries as a PDF/A-3 associated file (catalog /AF and
 * /EmbeddedFiles): an issued letter's archived source and register entry. */
struct pdf_attachment {
    const char *name;         /* file name, ASCII */
    const char *description;  /* /Desc */
    const char *mime;         /* /Subtype: "application/xml"... */
    const char *relationship; /* /AFRelationship: "Source", "Data"... */
    const char *data;         /* the bytes, borrowed */
    size_t len;
};
struct layout_report;
/* What pdf_render_with takes beyond pdf_render's arguments. */
struct pdf_options {
    struct layout_report *report;             /* NULL, or gets doc's lines and pages */
    struct pdf_places *places;                /* NULL, or gets where the signatures stand */
    const struct pdf_attachment *attachments; /* embedded in this order */
    size_t attachment_count;
    /* NULL, or: a document with an annex (a petition) is saved into an
     * unlinked temporary file, never held in memory, and *file is its
     * descriptor (the caller closes it; out is left empty); -1 otherwise. */
    int *file;
};
/* pdf_render with options (options NULL: as pdf_render). The caller frees
 * options->places->items. */
int pdf_render_with(const struct doc_document *doc, const struct settings *settings,
                    struct font_set *fonts, const struct pdf_options *options, struct buffer *out,
                    struct errors *errors);

/* A campaign's letters in one file, for printing (pdf_combined.c). */
struct pdf_combined {
    const struct doc_document *const *docs; /* in order */
    const char *const *titles;              /* each one's bookmark */
    size_t count;
    /* The file's document information: those of docs[info], with this
     * title (NULL: its own). */
    size_t info;
    const char *title;
};
/* Renders every document of c into one PDF/A file: each starts on a new
 * odd page (a blank page follows a letter of an odd number of pages, so
 * that it prints duplex on sheets of its own), has a bookmark, and is a
 * Part of the structure tree in its own language. Fonts and images are
 * embedded once for all. Checks each as pdf_check does. */
int pdf_render_combined(const struct pdf_combined *c, const struct settings *settings,
                        struct font_set *fonts, struct buffer *out, struct errors *errors);

#endif
