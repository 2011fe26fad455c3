/* web_preview.h — owns what a letter looks like now: its check result
 * (every error, as `missive check` finds them), its PDF and text rendered
 * by missive, and the PDF's pages rasterised in-process by poppler and
 * cairo into PNG images. Renderings are cached per workspace stamp. */
#ifndef MISSIVE_WEB_PREVIEW_H
#define MISSIVE_WEB_PREVIEW_H

#include "buffer.h"
#include "error.h"

#include <stdbool.h>

struct web;

struct web_preview {
    struct web_preview *next;
    char *path; /* the letter, as the CLI names it */
    int variant;
    unsigned long long stamp;
    struct errors errors; /* every error check finds (all variants of a campaign) */
    struct buffer pdf, text;
    int pages;
    void *document;      /* the PDF as poppler opened it (PopplerDocument) */
    struct buffer *pngs; /* page images, made on first request */
};

/* The letter at path (its variant-th letter for a campaign, 0 for one
 * letter) rendered from the workspace as it is now. Never NULL: a letter
 * with errors has them and no pages. Call under web->lock. */
const struct web_preview *web_preview_get(struct web *web, const char *path, int variant);
/* Page page (1-based) of p as PNG, scale pixels per PDF point; NULL when
 * there is no such page. Borrowed from p. Call under web->lock. */
const struct buffer *web_preview_png(const struct web_preview *p, int page);
/* Makes every page image of p not made yet, the pages in parallel. Call
 * under web->lock. */
void web_preview_rasterise(const struct web_preview *p);
/* Frees every cached preview. */
void web_preview_free_all(struct web *web);

#endif
