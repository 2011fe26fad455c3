/* font_show.c — the text operators that draw shaped glyphs in a content
 * stream ("BT x y Td /F1 s Tf [<0041> -12 <0042>] TJ ET"), written in
 * place without printf: a petition's annex writes five million glyphs.
 * Each glyph's number and advance come from per-face tables made once the
 * subset is known (font_show_make_tables); the general path, glyph by
 * glyph through the subset's map, remains for glyphs the tables lack and
 * as the tests' reference (font_show_general). */
#include "font_pdf_internal.h"

#include "font_shown.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool font_show_general;

/* A used glyph as drawn: its number in hex and its advance at size. */
struct font_show_glyph {
    double size, advance; /* size 0: advance not yet known */
    char hex[4];
};

/* Appends a string literal without strlen: every line drawn writes a
 * dozen. */
#define PUT(b, literal) put_bytes((b), literal, sizeof literal - 1)
static inline void put_bytes(struct buffer *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->capacity)
        buffer_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* The longest number font_pdf_number writes: a sign, 19 digits, a point
 * and three decimals. */
enum { NUMBER_MAX = 24 };

/* font_pdf_number's digits at out, which has room for NUMBER_MAX; returns
 * the end. */
static inline char *put_number(char *out, double value)
{
    /* Two digits a step, without printf: a page writes thousands. */
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536"
        "37383940414243444546474849505152535455565758596061626364656667686970717273"
        "7475767778798081828384858687888990919293949596979899";
    long long milli = llround(value * 1000.0);
    char digits[32];
    size_t n = sizeof digits;
    unsigned long long v = (unsigned long long)(milli < 0 ? -milli : milli);
    /* The decimals without their trailing zeros (0.5, 0.05, 0.005). */
    unsigned frac = (unsigned)(v % 1000);
    if (frac % 100 == 0 && frac) {
        digits[--n] = (char)('0' + frac / 100);
    } else if (frac % 10 == 0 && frac) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * (frac / 10), 2);
    } else if (frac) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * (frac % 100), 2);
        digits[--n] = (char)('0' + frac / 100);
    }
    if (frac)
        digits[--n] = '.';
    v /= 1000;
    while (v >= 100) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        n -= 2;
        memcpy(digits + n, pairs + 2 * v, 2);
    } else {
        digits[--n] = (char)('0' + v);
    }
    if (milli < 0)
        digits[--n] = '-';
    memcpy(out, digits + n, sizeof digits - n);
    return out + (sizeof digits - n);
}

void font_pdf_number(struct buffer *b, double value)
{
    if (b->len + NUMBER_MAX + 1 > b->capacity)
        buffer_reserve(b, NUMBER_MAX);
    b->len = (size_t)(put_number(b->data + b->len, value) - b->data);
    b->data[b->len] = '\0';
}

/* Text state while writing one shaped string. */
struct pen {
    struct buffer *out;
    double size;
    double x; /* where the viewer's pen is, in points from the origin */
    double rise;
    bool in_array;  /* inside "[...] TJ" */
    bool in_string; /* inside "<...>" */
};

static void close_string(struct pen *p)
{
    if (p->in_string)
        buffer_putc(p->out, '>');
    p->in_string = false;
}

static void close_array(struct pen *p)
{
    close_string(p);
    if (p->in_array)
        PUT(p->out, "] TJ\n");
    p->in_array = false;
}

void font_show_make_tables(struct used_face *u)
{
    struct font_show_glyph *t = xcalloc(u->new_count ? u->new_count : 1, sizeof *t);
    for (unsigned cid = 0; cid < u->new_count; cid++)
        hex4(t[cid].hex, cid);
    u->shown = t;
}

void font_show_free_tables(struct used_face *u)
{
    free(u->shown);
    u->shown = NULL;
}

/* The operators that set face u (when new_face) and the rise before a glyph. */
static void change_state(struct pen *p, const struct used_face *u, bool new_face, double rise)
{
    close_array(p);
    if (new_face) {
        buffer_putc(p->out, '/');
        put_bytes(p->out, u->resource, u->resource_len);
        buffer_putc(p->out, ' ');
        font_pdf_number(p->out, p->size);
        PUT(p->out, " Tf\n");
    }
    if (rise != p->rise) {
        font_pdf_number(p->out, rise);
        PUT(p->out, " Ts\n");
        p->rise = rise;
    }
}

/* The state of the glyph loop, in locals (not in memory the written
 * characters could alias: each store would reload it). */
struct cursor {
    char *w;   /* where the next character goes */
    char *end; /* of the buffer's room */
    double x;  /* the pen (struct pen's) */
    bool in_array, in_string;
};

/* Kerning and justification: moves the pen to x, where the next glyph
 * goes. Widths in /W are rounded to 1/1000 em, so the pen drifts by a
 * hair; it is corrected once the drift could matter (1/50 pt), and the
 * rounded adjustment is tracked so errors never add up. Writes at c->w
 * (room for NUMBER_MAX + 16). */
static inline __attribute__((always_inline)) void move_pen(struct cursor *c, double x, double size)
{
    if (!c->in_array) {
        *c->w++ = '[';
        c->in_array = true;
    }
    double shift = x - c->x;
    if (fabs(shift) > 0.02) {
        double adjust = round(-shift * 1000.0 / size * 10.0) / 10.0;
        if (c->in_string)
            *c->w++ = '>';
        c->in_string = false;
        *c->w++ = ' ';
        c->w = put_number(c->w, adjust);
        *c->w++ = ' ';
        c->x -= adjust * size / 1000.0;
    }
    if (!c->in_string) {
        *c->w++ = '<';
        c->in_string = true;
    }
}

/* g's number at c->w through the subset's map, its advance added to the
 * pen: the general path. */
static inline char *general_glyph(struct cursor *c, const struct used_face *u,
                                  const struct font_glyph *g, double size)
{
    unsigned cid = g->gid < u->glyph_count && u->cid_of[g->gid] ? u->cid_of[g->gid] - 1
                                                                : hb_map_get(u->old_to_new, g->gid);
    c->x += (cid < u->new_count ? u->widths[cid] : 0) * size / 1000.0;
    return hex4(c->w, cid == HB_MAP_VALUE_INVALID ? 0 : cid);
}

/* The buffer's state from c (before a call that writes to it), and back. */
static void to_buffer(const struct cursor *c, struct pen *p)
{
    p->out->len = (size_t)(c->w - p->out->data);
    p->x = c->x;
    p->in_array = c->in_array;
    p->in_string = c->in_string;
}

static void from_buffer(struct cursor *c, const struct pen *p)
{
    c->w = p->out->data + p->out->len;
    c->end = p->out->data + p->out->capacity;
    c->x = p->x;
    c->in_array = p->in_array;
    c->in_string = p->in_string;
}

/* Shows count glyphs, each origin to the left of where it was shaped
 * (g->x - origin, as a copy moved by origin would hold), keyed by kept
 * for font_shown. */
static void show_glyphs(struct font_embed *e, struct buffer *content, double x, double y,
                        double size, const struct font_glyph *glyphs, size_t count, double origin,
                        uint64_t kept)
{
    struct font_shown_key key = {kept, e->subsets, x, y, size};
    if (font_shown_find(&key, content))
        return;
    size_t start = content->len;
    struct pen p = {.out = content, .size = size};
    PUT(content, "BT\n");
    font_pdf_number(content, x);
    buffer_putc(content, ' ');
    font_pdf_number(content, y);
    PUT(content, " Td\n");
    struct cursor c;
    from_buffer(&c, &p);
    unsigned face = (unsigned)-1, glyph_count = 0;
    const struct used_face *u = NULL;
    const unsigned *cid_of = NULL;
    struct font_show_glyph *table = NULL;
    double rise = 0;
    for (size_t i = 0; i < count; i++) {
        const struct font_glyph *g = &glyphs[i];
        /* The rest of a glyph is written in place: at most '[', '>', an
         * adjustment between spaces, '<' and four hex digits. */
        bool room = (size_t)(c.end - c.w) >= NUMBER_MAX + 16;
        if (g->face != face || g->y != rise || !room) {
            to_buffer(&c, &p);
            if (g->face != face || g->y != rise) {
                bool new_face = g->face != face;
                u = &e->faces[g->face];
                face = g->face;
                table = font_show_general ? NULL : u->shown;
                glyph_count = u->glyph_count;
                cid_of = u->cid_of;
                change_state(&p, u, new_face, g->y);
                rise = p.rise;
            }
            if (content->len + NUMBER_MAX + 16 > content->capacity)
                buffer_reserve(content, NUMBER_MAX + 16);
            from_buffer(&c, &p);
        }
        move_pen(&c, g->x - origin, size);
        unsigned cid;
        if (table && g->gid < glyph_count && (cid = cid_of[g->gid]) != 0) {
            /* Kept per glyph: the same expression as general_glyph's. */
            struct font_show_glyph *t = &table[cid - 1];
            if (t->size != size) {
                t->advance = u->widths[cid - 1] * size / 1000.0;
                t->size = size;
            }
            memcpy(c.w, t->hex, 4);
            c.w += 4;
            c.x += t->advance;
        } else {
            c.w = general_glyph(&c, u, g, size);
        }
    }
    to_buffer(&c, &p);
    close_array(&p);
    if (p.rise != 0)
        PUT(content, "0 Ts\n");
    PUT(content, "ET\n");
    font_shown_keep(&key, content->data + start, content->len - start);
}

void font_embed_show(struct font_embed *e, struct buffer *content, double x, double y, double size,
                     const struct font_shaped *shaped)
{
    /* g->x - 0.0 is g->x, -0.0 included. */
    show_glyphs(e, content, x, y, size, shaped->glyphs, shaped->count, 0.0, shaped->kept);
}

void font_embed_show_range(struct font_embed *e, struct buffer *content, double x, double y,
                           double size, const struct font_shaped *shaped, size_t from, size_t to)
{
    double origin = shaped->glyphs[from].x;
    show_glyphs(e, content, x + origin, y, size, shaped->glyphs + from, to - from, origin, 0);
}
