/* pdf_page.c — the page's furniture, around the flow pdf.c paginates:
 * the letterhead (names and logos at the top, postal addresses in the
 * first page's footer), the address field of a window envelope with its
 * return-address line, the information block beside it, running headers
 * with page numbers on later pages, fold and punch marks. Furniture is
 * tagged as artifacts; the address and the reference and date are the
 * letter's own structure. */
#include "pdf_internal.h"

#include "buffer.h"
#include "hash.h"
#include "layout.h"
#include "pdf_check.h"
#include "words.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define IN 72.0
#define FIELD_GAP (3 * MM)       /* between the letterhead and the field */
#define TOP_LIMIT (8 * MM)       /* a lifted letterhead starts no higher */
#define SMALL_SCALE 0.7          /* the return address and the footer, of the body size */
#define HEADER_SCALE FOOTER_SIZE /* running headers */
#define LETTERHEAD_MIN 0.9       /* the smallest letterhead, of the body size */

/* Envelope windows, by [layout] window. DIN 5008 form B: the address field
 * 20 mm from the left edge, 45 mm from the top, 85 x 45 mm; its top 17.7 mm
 * for the return address, then six lines of address; the information
 * block 125 mm from the left, 50 mm from the top; fold marks at 105 and
 * 210 mm (DL and C5/6 envelopes), the punch mark at half the height. UK:
 * A4 folded in thirds (99 mm) in a DL envelope whose window is 90 x 45 mm,
 * 20 mm from the left and 15 mm from the bottom, so 39 to 84 mm from the
 * letter's top when it rests at the bottom: a field of 85 x 40 mm at 40 mm.
 * US: Letter in thirds in a #10 envelope, window 4.5 x 1.125 in, 7/8 in
 * from the left and 1/2 in from the bottom: 2 in from the letter's top,
 * no room for a return address (the envelope carries it). */
static const struct pdf_window windows[] = {
    [LAYOUT_WINDOW_DIN_B] = {"din-b",
                             20 * MM,
                             45 * MM,
                             85 * MM,
                             45 * MM,
                             17.7 * MM,
                             6,
                             125 * MM,
                             50 * MM,
                             {105 * MM, 210 * MM},
                             148.5 * MM},
    [LAYOUT_WINDOW_UK] = {"uk",
                          20 * MM,
                          40 * MM,
                          85 * MM,
                          40 * MM,
                          5 * MM,
                          6,
                          0,
                          0,
                          {99 * MM, 198 * MM},
                          148.5 * MM},
    [LAYOUT_WINDOW_US] = {"us",
                          0.875 * IN,
                          2 * IN,
                          4.5 * IN,
                          1.125 * IN,
                          0,
                          5,
                          0,
                          0,
                          {11 * IN / 3, 22 * IN / 3},
                          5.5 * IN},
};

const struct pdf_window *pdf_window_for(const struct settings *settings)
{
    enum layout_window w = settings->layout.window;
    return w == LAYOUT_WINDOW_NONE ? NULL : &windows[w];
}

/* Enough text to know a letter's average character. */
#define MEASURE_SAMPLE 4000

/* Shaping the sample costs a fifth of a campaign letter's rendering, and a
 * campaign's letters share their text: the last few results are kept,
 * process-wide, by the sample's hash, the fonts, the size and language. */
#define KEPT_MEASURES 16
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept_measure {
    uint64_t hash;
    const struct font_set *fonts;
    double size, width;
    char language[16];
} kept[KEPT_MEASURES];
static size_t kept_next;

/* The shaped width of text in p's regular font at the body size. */
static double average_advance(struct pdf *p, const char *text, size_t len)
{
    /* The text eight bytes a step (a byte-wise FNV over 4,000 bytes was a
     * multiplication chain of 16,000 cycles a letter), then the font's file. */
    uint64_t hash = hash_bytes(text, len);
    for (const char *f = p->settings->fonts.regular; f && *f; f++)
        hash = (hash ^ (unsigned char)*f) * 1099511628211u;
    const char *language = p->doc->language ? p->doc->language : "";
    bool keep = strlen(language) < sizeof kept[0].language;
    pthread_mutex_lock(&kept_lock);
    for (size_t i = 0; keep && i < KEPT_MEASURES; i++)
        if (kept[i].fonts == p->fs && kept[i].hash == hash && kept[i].size == p->size &&
            strcmp(kept[i].language, language) == 0) {
            double width = kept[i].width;
            pthread_mutex_unlock(&kept_lock);
            return width;
        }
    pthread_mutex_unlock(&kept_lock);
    double width = font_measure(p->fs, p->doc->language, 0, p->size, text, len);
    if (keep) {
        pthread_mutex_lock(&kept_lock);
        struct kept_measure *k = &kept[kept_next++ % KEPT_MEASURES];
        *k = (struct kept_measure){hash, p->fs, p->size, width, ""};
        strcpy(k->language, language);
        pthread_mutex_unlock(&kept_lock);
    }
    return width;
}

double pdf_page_measure(struct pdf *p)
{
    int chars = p->settings->layout.measure;
    if (chars <= 0)
        return p->text_width;
    struct buffer sample = {0};
    for (const struct doc_block *b = p->doc->root->first_child; b && sample.len < MEASURE_SAMPLE;
         b = b->next)
        if (b->kind == DOC_PARAGRAPH) {
            buffer_puts(&sample, doc_block_text(p->doc, b, p->arena));
            buffer_putc(&sample, ' ');
        }
    size_t count = 0; /* characters, not bytes: those that do not continue one */
    size_t i = 0;
    for (; i + 8 <= sample.len; i += 8) {
        uint64_t w;
        memcpy(&w, sample.data + i, 8);
        /* A continuation byte is 10xxxxxx: bit 7 set, bit 6 clear. */
        uint64_t continuation = w & ~(w << 1) & 0x8080808080808080u;
        count += 8 - (size_t)__builtin_popcountll(continuation);
    }
    for (; i < sample.len; i++)
        count += ((unsigned char)sample.data[i] & 0xC0) != 0x80;
    double width = p->text_width;
    if (count > 0)
        width = fmin(width, average_advance(p, sample.data, sample.len) / (double)count * chars);
    buffer_free(&sample);
    return width;
}

/* The text of segment of block as one string. */
static char *segment_text(struct pdf *p, const struct doc_block *block, enum segment segment)
{
    const struct doc_run *runs;
    size_t count = pdf_segment_runs(p, block, segment, &runs), len = 0;
    for (size_t i = 0; i < count; i++)
        len += runs[i].len;
    char *text = arena_alloc(p->arena, len + 1), *at = text;
    for (size_t i = 0; i < count; i++) {
        memcpy(at, runs[i].text, runs[i].len);
        at += runs[i].len;
    }
    *at = '\0';
    return text;
}

static double small_size(const struct pdf *p)
{
    return p->size * SMALL_SCALE;
}

/* Makes boxes [from, p->box_count) fixed on page 0, the first one's top at
 * top (down from the page's top edge), each next one a leading lower. */
static void fix_boxes(struct pdf *p, size_t from, double top, double leading)
{
    for (size_t i = from; i < p->box_count; i++) {
        struct box *b = &p->boxes[i];
        b->fixed = true;
        b->keep_with_next = false;
        b->space_before = 0;
        b->page = 0;
        b->top = top - p->settings->page.margin_top + (double)(i - from) * leading;
    }
}

/* ---- the footer of the first page: the organisations' addresses ---- */

/* The widest page number the footer may have to hold. */
static double number_width(struct pdf *p)
{
    char *text = arena_printf(p->arena, pdf_page_words(p->doc->language), 88, 88);
    return font_measure(p->fs, p->doc->language, 0, small_size(p), text, strlen(text));
}

/* One column per organisation that has an address (the part of its
 * letterhead line after a line break), in the bottom margin of the first
 * page; its first line in bold. The right end is kept for the page number. */
static void set_footer(struct pdf *p, const struct doc_block *block)
{
    size_t columns = 0;
    for (const struct doc_block *line = block->first_child; line; line = line->next)
        columns += *segment_text(p, line, SEGMENT_REST) != '\0';
    if (columns == 0)
        return;
    double size = small_size(p), leading = size * 1.25, gutter = p->size;
    double room = p->text_width - number_width(p) - gutter;
    double column_w = (room - gutter * (double)(columns - 1)) / (double)columns;
    size_t first = p->box_count, most = 0;
    double x = p->left;
    for (const struct doc_block *line = block->first_child; line; line = line->next) {
        if (*segment_text(p, line, SEGMENT_REST) == '\0')
            continue;
        size_t row = p->box_count;
        pdf_box_new(p, 0, 0);
        struct text_spec t = {.segment = SEGMENT_REST,
                              .size = size,
                              .leading = leading,
                              .width = column_w,
                              .x = x,
                              .gray = QUIET_GRAY};
        size_t n = pdf_set_into(p, line, &t, row, 0);
        most = n > most ? n : most;
        x += column_w + gutter;
    }
    /* The band ends a third of the margin above the paper's edge. */
    const struct page_settings *pg = &p->settings->page;
    double top = pg->height - pg->margin_bottom / 3 - (double)most * leading;
    fix_boxes(p, first, top, 0);
    struct box *rule = pdf_box_new(p, 0, 0);
    pdf_item_add(p, rule, ITEM_RULE, p->left, 0)->width = p->text_width;
    rule->last->gray = RULE_GRAY;
    rule->last->block = NULL;
    fix_boxes(p, p->box_count - 1, top - leading / 3, 0);
    /* Text of the first page keeps clear of the band. */
    double clear = top - leading / 3 - 2 * MM - pg->margin_top;
    if (clear < p->first_height)
        p->first_height = clear;
}

/* The logo of a letterhead line scaled to logo_h high (narrower logos
 * no wider than a quarter of the measure), or NULL. */
static HPDF_Image line_logo(struct pdf *p, const struct doc_block *line, double logo_h, double *w,
                            double *h)
{
    HPDF_Image logo =
        line->image && *line->image ? pdf_image_load(p, line->image, line->image_loc) : NULL;
    *w = *h = 0;
    if (logo)
        pdf_image_fit(logo, p->text_width / 4, logo_h, w, h);
    return logo;
}

/* Where the names start: past the widest logo, so that all names align. */
static double names_indent(struct pdf *p, const struct doc_block *block, double logo_h)
{
    double indent = 0, w, h;
    for (const struct doc_block *line = block->first_child; line; line = line->next)
        if (line_logo(p, line, logo_h, &w, &h))
            indent = fmax(indent, w + p->size);
    return indent;
}

/* The letterhead's size: LETTERHEAD_SCALE times the body, smaller (down to
 * nine tenths of the body size) when that keeps every name on one line. */
static double letterhead_size(struct pdf *p, const struct doc_block *block, double room)
{
    double size = p->size * LETTERHEAD_SCALE;
    for (const struct doc_block *line = block->first_child; line; line = line->next) {
        char *text = segment_text(p, line, SEGMENT_FIRST);
        double natural =
            font_measure(p->fs, p->doc->language, DOC_STYLE_BOLD, 1.0, text, strlen(text));
        /* Pieces measured apart may kern less than the whole: a margin. */
        if (natural > 0 && natural * size > room)
            size = fmax(p->size * LETTERHEAD_MIN, room / natural * 0.99);
    }
    return size;
}

/* How a letterhead is set: its names' size, its logos' height and the
 * space between its rows. */
struct letterhead_form {
    double size, logo_h, gap;
};

/* What one row took: its names' height, and the tallest its logo can be
 * (a wide logo reaches a quarter of the measure first); 0: no logo. */
struct letterhead_row {
    double text_h, logo_most;
};

#define RULE_SPACE 0.4 /* leadings above the letterhead's rule */

/* The letterhead's height in form f, from the top of its first row (a
 * logo taller than the names included) to its rule, for rows set with
 * names as tall as rows[i].text_h. */
static double letterhead_height(const struct pdf *p, const struct letterhead_row *rows, size_t n,
                                const struct letterhead_form *f)
{
    double height = p->leading * RULE_SPACE + 0.5;
    for (size_t i = 0; i < n; i++)
        height += (i > 0 ? f->gap : 0) + fmax(rows[i].text_h, fmin(f->logo_h, rows[i].logo_most));
    return height;
}

/* Inserts an empty box height tall as box number at, moving the later. */
static void insert_box(struct pdf *p, size_t at, double height)
{
    pdf_box_new(p, 0, 0);
    memmove(&p->boxes[at + 1], &p->boxes[at], (p->box_count - 1 - at) * sizeof *p->boxes);
    p->boxes[at] = (struct box){.height = height};
}

/* One row per organisation in form f: its logo (if any) and its name in
 * bold, the rows followed by a fine rule across the measure. Each row is
 * recorded in rows (one per line of block); returns how many. */
static size_t set_letterhead(struct pdf *p, const struct doc_block *block,
                             const struct letterhead_form *f, struct letterhead_row *rows)
{
    double indent = names_indent(p, block, f->logo_h);
    double leading = f->size * 1.25;
    size_t first_box = p->box_count, n = 0;
    for (const struct doc_block *line = block->first_child; line; line = line->next, n++) {
        double logo_w, h;
        HPDF_Image logo = line_logo(p, line, f->logo_h, &logo_w, &h);
        struct text_spec t = {.segment = SEGMENT_FIRST,
                              .extra_style = DOC_STYLE_BOLD,
                              .size = f->size,
                              .leading = leading,
                              .width = p->text_width - indent,
                              .x = p->left + indent,
                              .space_before = line == block->first_child ? 0 : f->gap,
                              .keep_all = true,
                              .balance = true};
        size_t before = p->box_count;
        size_t lines = pdf_set_block(p, line, &t);
        double text_h = (double)lines * leading;
        rows[n] = (struct letterhead_row){text_h, 0};
        if (!logo)
            continue;
        double most_w, most_h;
        pdf_image_fit(logo, p->text_width / 4, 1e6, &most_w, &most_h);
        rows[n].logo_most = most_h;
        if (lines == 0)
            pdf_box_new(p, t.space_before, 0);
        /* The logo is centred on the row, the names' box in it; the first
         * row's top is its logo's, so that nothing reaches above where the
         * letterhead starts (a space before a page's first box is dropped). */
        double row_h = fmax(text_h, h), pad = (row_h - text_h) / 2;
        if (before == first_box && pad > 0)
            insert_box(p, before++, pad);
        else
            p->boxes[before].space_before += pad;
        struct item *it =
            pdf_item_add(p, &p->boxes[before], ITEM_IMAGE, p->left, -pad + (row_h - h) / 2);
        it->image = logo;
        it->width = logo_w;
        it->height = h;
        if (pad > 0)
            pdf_box_new(p, 0, pad);
    }
    struct box *rule = pdf_box_new(p, p->leading * RULE_SPACE, 0.5);
    pdf_item_add(p, rule, ITEM_RULE, p->left, 0.25)->width = p->text_width;
    rule->last->gray = RULE_GRAY;
    for (size_t i = first_box; i + 1 < p->box_count; i++)
        p->boxes[i].keep_with_next = true;
    return n;
}

/* The form between least (t = 0) and natural (t = 1). */
static struct letterhead_form form_between(const struct letterhead_form *least,
                                           const struct letterhead_form *natural, double t)
{
    return (struct letterhead_form){natural->size,
                                    least->logo_h + t * (natural->logo_h - least->logo_h),
                                    least->gap + t * (natural->gap - least->gap)};
}

/* The largest form between least and natural whose letterhead is at most
 * room tall (by bisection), or least when none is. */
static struct letterhead_form squeeze(const struct pdf *p, const struct letterhead_row *rows,
                                      size_t n, const struct letterhead_form *natural, double room)
{
    struct letterhead_form least = {natural->size, natural->size * 1.25, p->leading / 4};
    struct letterhead_form best = least;
    double low = 0, high = 1;
    for (int i = 0; i < 24; i++) {
        double t = (low + high) / 2;
        struct letterhead_form f = form_between(&least, natural, t);
        if (letterhead_height(p, rows, n, &f) > room) {
            high = t;
        } else {
            low = t;
            best = f;
        }
    }
    return best;
}

/* Above a window field the letterhead must end FIELD_GAP above the field.
 * When its natural form (logos LOGO_HEIGHT leadings, half a leading
 * between rows) is too tall, its logos shrink, keeping their proportions,
 * down to the height of a line of the names beside them, and the space
 * between rows with them down to a quarter of a leading; if that is not
 * enough the letterhead starts higher, up to TOP_LIMIT from the paper's
 * edge; only then is it an error. */
void pdf_page_letterhead(struct pdf *p, const struct doc_block *block)
{
    double logo_h = p->leading * LOGO_HEIGHT;
    double indent = names_indent(p, block, logo_h);
    struct letterhead_form f = {letterhead_size(p, block, p->text_width - indent), logo_h,
                                p->leading / 2};
    size_t first_box = p->box_count, n = 0;
    for (const struct doc_block *line = block->first_child; line; line = line->next)
        n++;
    struct letterhead_row *rows = arena_alloc(p->arena, (n ? n : 1) * sizeof *rows);
    set_letterhead(p, block, &f, rows);
    if (p->window) {
        double margin = p->settings->page.margin_top;
        double room = p->window->y - FIELD_GAP - margin;
        double height = letterhead_height(p, rows, n, &f);
        if (height > room) {
            /* Smaller logos leave the names more width, so no more lines:
             * the rows measured in the natural form bound the new ones. */
            struct letterhead_form g = squeeze(p, rows, n, &f, room);
            p->box_count = first_box;
            set_letterhead(p, block, &g, rows);
            height = letterhead_height(p, rows, n, &g);
        }
        if (height > room) {
            p->lift = height - room;
            if (margin - p->lift < TOP_LIMIT)
                errors_add(p->errors, block->loc,
                           "the letterhead is %.0f mm tall, but only %.0f mm are free above the "
                           "address field of window '%s' (fewer organisations or lines, or "
                           "[layout] window = none)",
                           height / MM, (p->window->y - FIELD_GAP - TOP_LIMIT) / MM,
                           p->window->name);
        }
    }
    set_footer(p, block);
}

int pdf_page_check_letterhead(const struct doc_document *doc, const struct settings *settings,
                              struct font_set *fonts, struct errors *errors)
{
    const struct doc_block *head = doc->root->first_child;
    while (head && head->kind != DOC_LETTERHEAD)
        head = head->next;
    if (!head || !pdf_window_for(settings))
        return 0;
    size_t before = errors->count;
    struct pdf p;
    if (pdf_begin_bare(&p, doc, settings, fonts, errors) == 0) {
        p.width = pdf_page_measure(&p);
        pdf_page_letterhead(&p, head);
    }
    pdf_end(&p);
    return (int)(errors->count - before);
}

/* Where the field's text starts and how wide it may be: from the field's
 * left edge or the page's margin, whichever is further in (DIN 5008 sets
 * the address on the body's flush line, 25 mm, inside a field at 20 mm). */
static void field_text_of(const struct pdf_window *w, const struct settings *s, double *x,
                          double *width)
{
    *x = fmax(w->x, s->page.margin_left);
    *width = w->x + w->width - *x - 2 * MM;
}

static void field_text(const struct pdf *p, double *x, double *width)
{
    field_text_of(p->window, p->settings, x, width);
}

/* The return address: one line of small type above the address, if the
 * window has room for it (the US one has not: the envelope carries it). */
static double sender_leading_of(const struct settings *s)
{
    return s->fonts.size * SMALL_SCALE * 1.2;
}

static double sender_leading(const struct pdf *p)
{
    return sender_leading_of(p->settings);
}

static bool has_sender_room(const struct pdf *p)
{
    return p->window->return_height >= sender_leading(p);
}

/* The address's leading in window w, and how many of its lines the field
 * holds: six in its address zone, more reaching up into the zone of notes
 * above, as DIN 5008 allows, leaving the return address its line. */
static double address_leading(const struct pdf_window *w, const struct settings *s)
{
    return fmin(s->fonts.leading, (w->height - w->return_height) / w->lines);
}

static size_t address_room(const struct pdf_window *w, const struct settings *s)
{
    double above = w->return_height >= sender_leading_of(s) ? sender_leading_of(s) + 1 : 0;
    return (size_t)((w->height - above) / address_leading(w, s) + 1e-9);
}

static void address_error(const struct doc_block *line, size_t lines, size_t room,
                          const struct pdf_window *w, struct errors *errors)
{
    const struct source_loc loc = line->first_inline ? line->first_inline->loc : line->loc;
    errors_add(errors, loc,
               "the address needs %zu lines in the window field, which holds %zu (window '%s'): "
               "shorten or join its lines",
               lines, room, w->name);
}

int pdf_page_check(const struct doc_document *doc, const struct settings *settings,
                   struct font_set *fonts, struct errors *errors)
{
    const struct pdf_window *w = pdf_window_for(settings);
    if (!w)
        return 0;
    struct arena *arena = arena_new();
    int failed = 0;
    double x, width;
    field_text_of(w, settings, &x, &width);
    struct font_layout m = {fonts, doc->language, settings->fonts.size, 0};
    size_t room = address_room(w, settings);
    for (const struct doc_block *b = doc->root->first_child; b; b = b->next) {
        if (b->kind != DOC_ADDRESS)
            continue;
        size_t lines = 0;
        for (const struct doc_block *line = b->first_child; line && !failed; line = line->next) {
            const struct doc_run *runs;
            size_t count = doc_block_runs(doc, line, arena, &runs);
            struct layout_lines set = {0};
            if (count)
                layout_paragraph(arena, runs, count, width, font_layout_measure, &m, doc->language,
                                 &set);
            lines += set.count;
            if (lines > room) {
                address_error(line, lines, room, w, errors);
                failed++;
            }
        }
    }
    arena_free(arena);
    return failed;
}

/* Moves the return address's boxes so that its last line sits on the
 * address's first (DIN 5008 fills that zone from the bottom up). */
static void place_sender(struct pdf *p)
{
    double leading = sender_leading(p);
    size_t n = p->sender_count;
    for (size_t i = 0; i < n; i++)
        p->boxes[p->sender_first + i].top =
            p->field_text_top - (double)(n - i) * leading - p->settings->page.margin_top;
}

void pdf_page_address(struct pdf *p, const struct doc_block *block)
{
    const struct pdf_window *w = p->window;
    double zone_top = w->y + w->return_height;
    double leading = address_leading(w, p->settings);
    double above = has_sender_room(p) ? sender_leading(p) + 1 : 0;
    size_t room = address_room(w, p->settings);
    struct text_spec t = pdf_body_spec(p, 0);
    t.leading = leading;
    t.keep_all = true;
    t.report = true;
    field_text(p, &t.x, &t.width);
    size_t first = p->box_count, lines = 0;
    for (const struct doc_block *line = block->first_child; line; line = line->next) {
        lines += pdf_set_block(p, line, &t);
        if (lines > room) { /* pdf_page_check has said so already */
            address_error(line, lines, room, w, p->errors);
            break;
        }
    }
    double top = zone_top;
    if (lines > (size_t)w->lines)
        top = fmax(w->y + above, zone_top - (double)(lines - (size_t)w->lines) * leading);
    p->field_text_top = top;
    fix_boxes(p, first, top, leading);
    place_sender(p);
}

void pdf_page_sender(struct pdf *p, const struct doc_block *block)
{
    const struct pdf_window *w = p->window;
    double size = small_size(p), leading = sender_leading(p);
    if (!has_sender_room(p))
        return;
    struct text_spec t = {.leading = leading, .gray = 0, .keep_all = true};
    field_text(p, &t.x, &t.width);
    /* Smaller, down to the 6 pt DIN 5008 allows, rather than two lines. */
    char *text = segment_text(p, block, SEGMENT_ALL);
    double natural = font_measure(p->fs, p->doc->language, 0, 1.0, text, strlen(text));
    if (natural * size > t.width)
        size = fmax(6, t.width / natural * 0.99);
    t.size = size;
    size_t first = p->box_count;
    size_t lines = pdf_set_block(p, block, &t);
    if (lines > 1) {
        const struct source_loc loc = block->first_inline ? block->first_inline->loc : block->loc;
        errors_add(p->errors, loc,
                   "the return address needs %zu lines at %.1f pt in the window field, which "
                   "has room for one (window '%s'): shorten it",
                   lines, size, w->name);
    }
    fix_boxes(p, first, 0, leading);
    p->sender_first = first;
    p->sender_count = p->box_count - first;
    if (p->field_text_top == 0)
        p->field_text_top = w->y + w->return_height;
    place_sender(p);
}

void pdf_page_info(struct pdf *p, const struct doc_block *ref, const struct doc_block *date)
{
    const struct page_settings *pg = &p->settings->page;
    struct text_spec t = pdf_body_spec(p, 0);
    t.keep_all = true;
    t.x = p->window->info_x;
    t.width = pg->width - pg->margin_right - t.x;
    size_t first = p->box_count;
    if (ref)
        pdf_set_block(p, ref, &t);
    if (date)
        pdf_set_block(p, date, &t);
    fix_boxes(p, first, p->window->info_y, p->leading);
}

/* ---- after pagination ---- */

/* A box of its own on page, top down from the top margin. */
static struct box *furniture_box(struct pdf *p, int page, double top)
{
    struct box *b = pdf_box_new(p, 0, 0);
    b->fixed = true;
    b->page = page;
    b->top = top;
    return b;
}

static void rule_at(struct pdf *p, int page, double x, double top, double width)
{
    struct box *b = furniture_box(p, page, top);
    struct item *it = pdf_item_add(p, b, ITEM_RULE, x, 0);
    it->width = width;
    it->gray = RULE_GRAY;
}

/* The date as the letter prints it (its <date> block), or "". */
static const char *printed_date(struct pdf *p)
{
    for (const struct doc_block *b = p->doc->root->first_child; b; b = b->next)
        if (b->kind == DOC_DATE)
            return doc_block_text(p->doc, b, p->arena);
    return "";
}

/* "Recipient · date · reference" at the left, "Page n of N" at the right,
 * a rule below: the running header of the letter's later pages. A
 * recipient too long to leave a gap of two body sizes before the page
 * number is left out (the date and reference stay). */
static void running_header(struct pdf *p, int page)
{
    double size = p->size * HEADER_SCALE, leading = p->leading * HEADER_SCALE;
    const char *reference =
        p->doc->reference ? p->doc->reference : pdf_draft_word(p->doc->language);
    const char *date = printed_date(p);
    char *right = arena_printf(p->arena, pdf_page_words(p->doc->language), page + 1, p->pages);
    struct font_shaped r = pdf_shape(p, 0, size, right, strlen(right));
    char *left = arena_printf(p->arena, "%s%s%s", date, *date ? " \u00B7 " : "", reference);
    if (p->doc->recipient) {
        char *full = arena_printf(p->arena, "%s \u00B7 %s", p->doc->recipient, left);
        double w = font_measure(p->fs, p->doc->language, 0, size, full, strlen(full));
        if (w + 2 * p->size + r.width <= p->text_width)
            left = full;
    }
    struct font_shaped l = pdf_shape(p, 0, size, left, strlen(left));
    double baseline = pdf_baseline_in(p, 0, size, leading);
    struct box *b = furniture_box(p, page, 0);
    pdf_text_add(p, b, p->left, baseline, size, QUIET_GRAY, l);
    pdf_text_add(p, b, p->left + p->text_width - r.width, baseline, size, QUIET_GRAY, r);
    rule_at(p, page, p->left, leading + p->leading / 4, p->text_width);
}

/* "Page 1 of N" at the right of the first page's footer band. */
static void first_page_number(struct pdf *p)
{
    const struct page_settings *pg = &p->settings->page;
    double size = small_size(p);
    char *text = arena_printf(p->arena, pdf_page_words(p->doc->language), 1, p->pages);
    struct font_shaped s = pdf_shape(p, 0, size, text, strlen(text));
    double leading = size * 1.25;
    double top = pg->height - pg->margin_bottom / 3 - leading - pg->margin_top;
    struct box *b = furniture_box(p, 0, top);
    pdf_text_add(p, b, p->left + p->text_width - s.width, pdf_baseline_in(p, 0, size, leading),
                 size, QUIET_GRAY, s);
}

/* Short strokes in the left margin where the sheet is folded for the
 * envelope and where a punch goes (DIN 5008: at half the height). */
static void marks(struct pdf *p, int page)
{
    const struct layout_settings *l = &p->settings->layout;
    const struct page_settings *pg = &p->settings->page;
    double fold[2] = {pg->height / 3, 2 * pg->height / 3};
    if (p->window)
        memcpy(fold, p->window->folds, sizeof fold);
    for (int i = 0; l->fold_marks && i < 2; i++)
        rule_at(p, page, 4 * MM, fold[i] - pg->margin_top, 5 * MM);
    if (l->punch_mark)
        rule_at(p, page, 4 * MM, pg->height / 2 - pg->margin_top, 8 * MM);
}

/* Small letter-spaced capitals in the top margin's right corner. */
static void draft_mark(struct pdf *p, int page)
{
    const struct page_settings *pg = &p->settings->page;
    double small = p->size * FOOTER_SIZE;
    const char *draft = pdf_draft_word(p->doc->language);
    struct font_shaped s = pdf_shape(p, DOC_STYLE_BOLD, small, draft, strlen(draft));
    double tracking = small * 0.075;
    for (size_t g = 0; g < s.count; g++)
        s.glyphs[g].x += tracking * (double)g;
    s.width += tracking * (double)(s.count - 1);
    struct box *b = furniture_box(p, page, -pg->margin_top / 2);
    pdf_text_add(p, b, p->left + p->text_width - s.width, 0, small, QUIET_GRAY, s);
}

void pdf_page_furniture(struct pdf *p)
{
    p->tag_block = NULL;
    if (p->pages > 1)
        first_page_number(p);
    for (int page = 0; page < p->pages; page++) {
        /* A petition's annex has its own running header. */
        if (page > 0 && page < p->letter_pages)
            running_header(p, page);
        marks(p, page);
        if (!p->doc->reference)
            draft_mark(p, page);
    }
}
