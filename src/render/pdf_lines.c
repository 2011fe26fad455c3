/* pdf_lines.c — owns the lines set in this process: the glyphs of each line
 * of a paragraph the layout cache gave again (its lines' kept value), so that
 * the next letter with that paragraph copies them instead of shaping the
 * line's words one by one. A campaign's letters share most of their lines. */
#include "pdf_internal.h"

#include "caches.h"
#include "kept.h"

#include <stdatomic.h>
#include <string.h>

/* Past 4,096 lines or 2 MB a part starts afresh: a campaign's lines in
 * five languages take about 1 MB. */
static struct kept lines = KEPT_INIT(4096, 2u << 20);
_Static_assert(sizeof(struct pdf_line_key) == 32, "keys compared as bytes have no padding");

/* A kept line's value: the shaped line, its glyphs, each glyph's piece,
 * each at 16 bytes (kept_keep). */
struct line_copy {
    struct arena *arena;
    struct font_shaped *out;
    const uint16_t **from;
};

static size_t round16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

static void copy_line(void *context, const void *value, size_t len)
{
    (void)len;
    struct line_copy *c = context;
    const unsigned char *at = value;
    memcpy(c->out, at, sizeof *c->out);
    size_t n = c->out->count;
    const unsigned char *glyphs = at + round16(sizeof *c->out);
    const unsigned char *parts = glyphs + round16(n * sizeof *c->out->glyphs);
    c->out->glyphs = arena_alloc_raw(c->arena, (n + 1) * sizeof *c->out->glyphs);
    uint16_t *copy = arena_alloc_raw(c->arena, (n + 1) * sizeof *copy);
    memcpy(c->out->glyphs, glyphs, n * sizeof *c->out->glyphs);
    memcpy(copy, parts, n * sizeof *copy);
    *c->from = copy;
}

bool pdf_lines_find(const struct pdf_line_key *key, struct arena *arena, struct font_shaped *out,
                    const uint16_t **from)
{
    if (!key->kept || !caches_on())
        return false;
    struct line_copy c = {arena, out, from};
    return kept_find(&lines, key, sizeof *key, copy_line, &c);
}

void pdf_lines_keep(const struct pdf_line_key *key, struct font_shaped *shaped,
                    const uint16_t *from)
{
    static _Atomic uint64_t serials;
    if (!key->kept || !caches_on())
        return;
    shaped->kept = atomic_fetch_add(&serials, 1) + 1;
    size_t n = shaped->count;
    struct kept_piece pieces[] = {{shaped, sizeof *shaped},
                                  {shaped->glyphs, n * sizeof *shaped->glyphs},
                                  {from, n * sizeof *from}};
    kept_keep(&lines, key, sizeof *key, pieces, 3);
}
