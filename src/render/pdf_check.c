/* pdf_check.c — owns checking a document before the PDF backend renders
 * it: every character has a font (text of our own included), every image
 * is a readable PNG, the page leaves room for text, every address fits its
 * window field and the letterhead the room above it (pdf_page.c). All
 * problems are reported, located where the document says they came from. */
#include "pdf.h"
#include "pdf_check.h"
#include "pdf_internal.h"

#include "image.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

const char *pdf_page_words(const char *language)
{
    return words_for(language)->page;
}

const char *pdf_draft_word(const char *language)
{
    return words_for(language)->draft;
}

/* A broken image is reported where the people file names it, when one
 * does (a template's <img> otherwise). */
static int check_image(const char *path, struct source_loc loc, struct errors *errors)
{
    char reason[512];
    if (!image_check_png(path, reason, sizeof reason))
        return 0;
    errors_add(errors, image_named(path, loc), "%s", reason);
    return 1;
}

static int check_block(const struct doc_document *doc, const struct doc_block *block,
                       struct font_set *fonts, struct arena *arena, struct errors *errors)
{
    int failed = 0;
    if (block->image && *block->image)
        failed += check_image(block->image, block->image_loc, errors);
    /* The annex's title and group headings are bold too (pdf_annex.c). */
    unsigned extra =
        block->kind == DOC_SUBJECT || block->kind == DOC_LETTERHEAD || block->kind == DOC_ANNEX ||
                block->kind == DOC_GROUP ||
                (block->kind == DOC_LINE && block->parent && block->parent->kind == DOC_LETTERHEAD)
            ? DOC_STYLE_BOLD
            : 0;
    /* A petition's many signers: checked in place, no copies. */
    for (size_t i = 0; i < block->entry_count; i++)
        failed += font_check(fonts, 0, doc_entry_text(block, i), block->entries[i].len,
                             doc_entry_loc(block, i), errors);
    const struct doc_run *runs;
    size_t count = doc_block_runs(doc, block, arena, &runs);
    for (size_t i = 0; i < count; i++)
        if (!runs[i].line_break)
            failed += font_check(fonts, runs[i].style | extra, runs[i].text, runs[i].len,
                                 runs[i].loc, errors);
    for (const struct doc_block *child = block->first_child; child; child = child->next)
        failed += check_block(doc, child, fonts, arena, errors);
    return failed;
}

int pdf_check(const struct doc_document *doc, const struct settings *settings,
              struct font_set *fonts, struct errors *errors)
{
    if (pdf_check_content(doc, settings, fonts, errors) != 0)
        return -1;
    return pdf_page_check_letterhead(doc, settings, fonts, errors) ? -1 : 0;
}

int pdf_check_content(const struct doc_document *doc, const struct settings *settings,
                      struct font_set *fonts, struct errors *errors)
{
    struct arena *arena = arena_new();
    int failed = check_block(doc, doc->root, fonts, arena, errors);
    if (!failed)
        failed += pdf_page_check(doc, settings, fonts, errors);
    const struct page_settings *pg = &settings->page;
    if (pg->width - pg->margin_left - pg->margin_right < 4 * settings->fonts.size ||
        pg->height - pg->margin_top - pg->margin_bottom < 8 * settings->fonts.leading ||
        settings->fonts.size <= 0 || settings->fonts.leading <= 0) {
        errors_add_at(errors, NULL, 0, 0,
                      "the page (%gx%g pt with margins %g, %g, %g, %g pt) "
                      "leaves too little room for text at %g/%g pt",
                      pg->width, pg->height, pg->margin_top, pg->margin_right, pg->margin_bottom,
                      pg->margin_left, settings->fonts.size, settings->fonts.leading);
        failed++;
    }
    /* Footers and the draft mark are text of our own. */
    struct source_loc none = {0};
    const char *draft = pdf_draft_word(doc->language);
    const char *footer[] = {doc->reference ? doc->reference : draft, " \u00B7 ",
                            pdf_page_words(doc->language), "0123456789"};
    for (size_t i = 0; i < sizeof footer / sizeof footer[0]; i++)
        failed += font_check(fonts, 0, footer[i], strlen(footer[i]), none, errors);
    if (!doc->reference)
        failed += font_check(fonts, DOC_STYLE_BOLD, draft, strlen(draft), none, errors);
    arena_free(arena);
    return failed ? -1 : 0;
}
