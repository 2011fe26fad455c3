/* pdf_annex_measure.c — the annex's remembered word widths
 * (pdf_annex_measure.h). A width is font_layout_measure's own value, kept
 * with a copy of its text: the same text in the same style measures the
 * same (the shaping cache changes no byte, tests/caches.sh), so what
 * layout.c receives is unchanged. */
#include "pdf_annex_measure.h"

#include "arena.h"
#include "caches.h"
#include "hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 32,768 slots of 48 bytes (1.5 MB): a million signers' annex has a few
 * hundred thousand different words, most of them surnames seen once. */
#define SLOTS 32768
#define TEXT_MAX 24

struct slot {
    uint64_t hash; /* 0: empty */
    double width;
    uint32_t len, style;
    char text[TEXT_MAX];
};

struct pdf_measures {
    struct font_layout layout;
    struct slot *slots;
};

struct pdf_measures *pdf_measures_new(const struct font_layout *layout)
{
    struct pdf_measures *m = xcalloc(1, sizeof *m);
    m->layout = *layout;
    return m;
}

void pdf_measures_free(struct pdf_measures *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

double pdf_measures_measure(void *measures, const char *text, size_t len, unsigned style)
{
    struct pdf_measures *m = measures;
    if (len > TEXT_MAX || !caches_on())
        return font_layout_measure(&m->layout, text, len, style);
    uint64_t hash = (hash_bytes(text, len) ^ (uint64_t)style * 0x9E3779B97F4A7C15u) | 1;
    if (!m->slots)
        m->slots = xcalloc(SLOTS, sizeof *m->slots);
    struct slot *s = &m->slots[(hash >> 17) & (SLOTS - 1)];
    if (s->hash == hash && s->len == len && s->style == style && memcmp(s->text, text, len) == 0)
        return s->width;
    double width = font_layout_measure(&m->layout, text, len, style);
    s->hash = hash;
    s->width = width;
    s->len = (uint32_t)len;
    s->style = style;
    memcpy(s->text, text, len);
    return width;
}
