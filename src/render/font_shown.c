/* font_shown.c — the text operators of kept lines, kept per process. A
 * campaign's letters draw most of their lines at the same places with the
 * same subsets: the operators of a line are written once, not glyph by
 * glyph for every letter. */
#include "font_shown.h"

#include "caches.h"
#include "kept.h"

#include <string.h>

/* Past 4,096 lines or 2 MB a part starts afresh: a two-page letter's
 * operators are about 25 KB. */
static struct kept shown = KEPT_INIT(4096, 2u << 20);
_Static_assert(sizeof(struct font_shown_key) == 40, "keys compared as bytes have no padding");

static void append(void *context, const void *value, size_t len)
{
    buffer_append(context, value, len);
}

bool font_shown_find(const struct font_shown_key *key, struct buffer *content)
{
    if (!key->kept || !key->subsets || !caches_on())
        return false;
    return kept_find(&shown, key, sizeof *key, append, content);
}

void font_shown_keep(const struct font_shown_key *key, const char *bytes, size_t len)
{
    if (!key->kept || !key->subsets || !caches_on())
        return;
    kept_keep(&shown, key, sizeof *key, &(struct kept_piece){bytes, len}, 1);
}
