/* layout.c — line filling shared by both backends: ICU finds the break
 * opportunities, the caller's measure gives widths, and a minimum-raggedness
 * dynamic programme (total fit) or Knuth-Plass (layout_kp.c) chooses where
 * lines end. Knows nothing of fonts or columns. */
#include "layout.h"

#include "caches.h"
#include "hyphenate.h"
#include "layout_internal.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* Widths in points carry rounding noise; a line this much too wide fits. */
#define FIT_EPSILON 1e-9

#define item layout_item

/* Working state for one stretch of runs between forced breaks. */
struct filler {
    const struct doc_run *runs;
    size_t run_count;
    size_t *run_start; /* byte offset of each run in the joined text, plus the end */
    layout_measure_fn measure;
    void *context;
    struct layout_piece *pieces;
    size_t piece_count, piece_capacity;
    struct item *items;
    size_t item_count, item_capacity;
    const struct layout_params *params;
    const char *language;
    bool hyphenate;    /* this pass offers hyphenation points */
    size_t joined_len; /* of the stretch's text */
    bool emergency;    /* some stretch admitted no lines within the tolerance */
    double best_ratio; /* then the least widest ratio it allows (-1: none) */
    /* The width of one space in space_style, once measured: nearly every
     * item ends in one, and the measure gives the same width each time. */
    bool space_known;
    unsigned space_style;
    double space_width;
};

/* Lines collected for the whole paragraph before they move to the arena. */
struct line_list {
    struct layout_line *lines;
    size_t count, capacity;
};

static size_t run_at(const struct filler *f, size_t offset)
{
    size_t low = 0, high = f->run_count;
    while (high - low > 1) {
        size_t mid = (low + high) / 2;
        if (f->run_start[mid] <= offset)
            low = mid;
        else
            high = mid;
    }
    return low;
}

/* Adds the piece [from, to) of run, width wide. */
static void add_piece_width(struct filler *f, size_t run, size_t from, size_t to, double width)
{
    if (f->piece_count == f->piece_capacity) {
        f->piece_capacity = f->piece_capacity ? f->piece_capacity * 2 : 32;
        f->pieces = xrealloc(f->pieces, f->piece_capacity * sizeof *f->pieces);
    }
    const struct doc_run *r = &f->runs[run];
    const char *text = r->text + (from - f->run_start[run]);
    f->pieces[f->piece_count++] = (struct layout_piece){
        .text = text,
        .len = to - from,
        .style = r->style,
        .loc = r->loc,
        .width = width,
    };
}

static void add_piece(struct filler *f, size_t run, size_t from, size_t to)
{
    const struct doc_run *r = &f->runs[run];
    const char *text = r->text + (from - f->run_start[run]);
    add_piece_width(f, run, from, to, f->measure(f->context, text, to - from, r->style));
}

/* Width of the joined text [from, to), each part measured in its run's style. */
static double measure_span(struct filler *f, size_t from, size_t to)
{
    if (to == from + 1) {
        size_t run = run_at(f, from);
        const struct doc_run *r = &f->runs[run];
        const char *text = r->text + (from - f->run_start[run]);
        if (*text == ' ') {
            if (!f->space_known || f->space_style != r->style) {
                f->space_width = f->measure(f->context, text, 1, r->style);
                f->space_style = r->style;
                f->space_known = true;
            }
            return f->space_width;
        }
    }
    double width = 0;
    while (from < to) {
        size_t run = run_at(f, from);
        size_t end = f->run_start[run + 1] < to ? f->run_start[run + 1] : to;
        const struct doc_run *r = &f->runs[run];
        width += f->measure(f->context, r->text + (from - f->run_start[run]), end - from, r->style);
        from = end;
    }
    return width;
}

/* How an item ending at byte end of joined breaks, when it has no space
 * after it: after a hyphen or a dash the break is flagged, as TeX's are. */
enum layout_break layout_break_after(const char *joined, size_t end)
{
    if (end > 0 && joined[end - 1] == '-')
        return BREAK_HYPHEN;
    /* U+2010 hyphen, U+2013 en dash, U+2014 em dash: E2 80 90/93/94. */
    if (end >= 3 && (unsigned char)joined[end - 3] == 0xE2 &&
        (unsigned char)joined[end - 2] == 0x80) {
        unsigned char c = (unsigned char)joined[end - 1];
        if (c == 0x90 || c == 0x93 || c == 0x94)
            return BREAK_HYPHEN;
    }
    return BREAK_PLAIN;
}

/* Room for one more item. */
static struct item *new_item(struct filler *f)
{
    if (f->item_count == f->item_capacity) {
        f->item_capacity = f->item_capacity ? f->item_capacity * 2 : 32;
        f->items = xrealloc(f->items, f->item_capacity * sizeof *f->items);
    }
    struct item *item = &f->items[f->item_count++];
    *item = (struct item){.first = f->piece_count};
    return item;
}

/* Cuts the joined text [from, to) into pieces where runs meet, all of
 * them item's. */
static void add_pieces(struct filler *f, struct item *item, size_t from, size_t to)
{
    for (size_t at = from; at < to;) {
        size_t run = run_at(f, at);
        size_t stop = f->run_start[run + 1] < to ? f->run_start[run + 1] : to;
        add_piece(f, run, at, stop);
        item->width += f->pieces[f->piece_count - 1].width;
        at = stop;
    }
    item->count = f->piece_count - item->first;
}

/* add_pieces for the part [from, to) of the word [word, word_end) that
 * hyphenation cut: with params' measure_part when the word is one run
 * (the measure then cuts the word's own shaping, shaped already). */
static void add_part(struct filler *f, struct item *item, size_t word, size_t word_end, size_t from,
                     size_t to)
{
    size_t run = run_at(f, word);
    if (!f->params->measure_part || f->run_start[run + 1] < word_end) {
        add_pieces(f, item, from, to);
        return;
    }
    const struct doc_run *r = &f->runs[run];
    double width = f->params->measure_part(f->context, r->text + (word - f->run_start[run]),
                                           word_end - word, from - word, to - word, r->style);
    add_piece_width(f, run, from, to, width);
    item->width += width;
    item->count = f->piece_count - item->first;
}

/* Adds the item for the joined text [from, to): trailing ASCII spaces become
 * its space; the rest is cut into pieces where runs meet and, in a pass
 * that hyphenates, into items where the word may take a hyphen. */
static void add_item(struct filler *f, const char *joined, size_t from, size_t to)
{
    size_t end = to;
    while (end > from && joined[end - 1] == ' ')
        end--;
    double space = measure_span(f, end, to);
    if (end == from) {
        /* Spaces alone (cannot come from doc_runs): widen the gap before. */
        if (f->item_count) {
            f->items[f->item_count - 1].space += space;
            f->items[f->item_count - 1].brk = BREAK_SPACE;
        }
        return;
    }
    /* Only a word standing alone between spaces (or hyphens) may be
     * hyphenated, not part of "ICEM-IMF11/EN" or "a/b". */
    enum layout_break brk = space > 0 ? BREAK_SPACE : layout_break_after(joined, end);
    bool alone = (f->item_count == 0 || f->items[f->item_count - 1].brk == BREAK_SPACE ||
                  f->items[f->item_count - 1].brk == BREAK_HYPHEN) &&
                 (brk != BREAK_PLAIN || to == f->joined_len);
    bool *points = NULL;
    if (f->hyphenate && alone) {
        points = xmalloc((end - from + 1) * sizeof *points);
        if (layout_word_points(f->runs, f->run_count, f->run_start, joined, from, end, f->language,
                               points) == 0) {
            free(points);
            points = NULL;
        }
    }
    size_t start = from, first_part = f->item_count;
    for (size_t at = from + 1; points && at < end; at++) {
        if (!points[at - from])
            continue;
        struct item *part = new_item(f);
        part->brk = BREAK_DISCRETIONARY;
        part->from = start;
        part->to = at;
        add_part(f, part, from, end, start, at);
        const struct layout_piece *last = &f->pieces[f->piece_count - 1];
        part->hyphen = f->measure(f->context, "-", 1, last->style);
        start = at;
    }
    free(points);
    struct item *item = new_item(f);
    item->space = space;
    item->brk = brk;
    item->from = start;
    item->to = end;
    if (first_part + 1 < f->item_count)
        add_part(f, item, from, end, start, end);
    else
        add_pieces(f, item, start, end);
    if (first_part + 1 < f->item_count) {
        /* Parts measured apart lose the kerning between them: the last
         * part takes the difference, so the word unbroken is exactly as
         * wide as in a pass without hyphenation. */
        double parts = 0;
        for (size_t k = first_part; k < f->item_count; k++)
            parts += f->items[k].width;
        double whole = measure_span(f, from, end);
        item->width += whole - parts;
        f->pieces[f->piece_count - 1].width += whole - parts;
    }
}

/* Converts joined UTF-8 to UTF-16 for ICU, recording for every UTF-16 unit
 * the UTF-8 offset it starts at (one extra entry for the end). */
static UChar *to_utf16(const char *joined, size_t len, int32_t *len16, size_t **offsets)
{
    UChar *u16 = xmalloc((len + 1) * sizeof *u16);
    size_t *map = xmalloc((len + 1) * sizeof *map);
    int32_t i = 0, n = 0;
    while ((size_t)i < len) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(joined, i, (int32_t)len, c);
        if (c < 0)
            c = 0xFFFD;
        map[n] = (size_t)start;
        if (U16_LENGTH(c) == 2)
            map[n + 1] = (size_t)start;
        U16_APPEND_UNSAFE(u16, n, c);
    }
    map[n] = len;
    *len16 = n;
    *offsets = map;
    return u16;
}

/* Opening a line break iterator loads its rules, which costs more than
 * breaking a whole letter; so iterators are kept, a few per process, and
 * handed out again by language (one caller at a time each). */
#define SPARE_ITERATORS 8
static pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char language[32];
    UBreakIterator *breaks; /* NULL while lent out */
} spares[SPARE_ITERATORS];

/* Closes the kept iterators when the process ends, so that leak checkers
 * see every block freed. */
static void close_spares(void)
{
    for (size_t i = 0; i < SPARE_ITERATORS; i++)
        ubrk_close(spares[i].breaks);
}

static void register_close(void)
{
    atexit(close_spares);
}

static UBreakIterator *take_breaks(const char *language, const UChar *text, int32_t len,
                                   UErrorCode *status)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_close);
    UBreakIterator *breaks = NULL;
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; !breaks && caches_on() && i < SPARE_ITERATORS; i++)
        if (spares[i].breaks && strcmp(spares[i].language, language) == 0) {
            breaks = spares[i].breaks;
            spares[i].breaks = NULL;
        }
    pthread_mutex_unlock(&spare_lock);
    if (!breaks)
        return ubrk_open(UBRK_LINE, language, text, len, status);
    ubrk_setText(breaks, text, len, status);
    return breaks;
}

/* Keeps breaks for the next paragraph in language, or closes it. */
static void give_back(const char *language, UBreakIterator *breaks)
{
    size_t free_slot = SPARE_ITERATORS;
    pthread_mutex_lock(&spare_lock);
    for (size_t i = 0; breaks && caches_on() && strlen(language) < sizeof spares[i].language &&
                       i < SPARE_ITERATORS;
         i++) {
        if (!spares[i].breaks && strcmp(spares[i].language, language) == 0) {
            spares[i].breaks = breaks;
            breaks = NULL;
        } else if (!spares[i].breaks && !spares[i].language[0] && free_slot == SPARE_ITERATORS) {
            free_slot = i;
        }
    }
    if (breaks && caches_on() && free_slot < SPARE_ITERATORS &&
        strlen(language) < sizeof spares[0].language) {
        strcpy(spares[free_slot].language, language);
        spares[free_slot].breaks = breaks;
        breaks = NULL;
    }
    pthread_mutex_unlock(&spare_lock);
    ubrk_close(breaks);
}

bool layout_icu_always;

/* Cuts joined text into items at the break opportunities of ICU's line
 * break rules for language. Should ICU fail, the stretch stays unbroken:
 * too wide a line beats losing text. */
static void find_items(struct filler *f, const char *joined, size_t len, const char *language)
{
    language = language ? language : "";
    size_t cut_count;
    size_t *cuts = layout_plain_breaks(joined, len, language, &cut_count);
    if (cuts) {
        for (size_t i = 0, from = 0; i < cut_count; from = cuts[i++])
            add_item(f, joined, from, cuts[i]);
        free(cuts);
        layout_tie(f->items, f->item_count, joined, language);
        return;
    }
    int32_t len16;
    size_t *offsets;
    UChar *u16 = to_utf16(joined, len, &len16, &offsets);
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *breaks = take_breaks(language, u16, len16, &status);
    if (U_FAILURE(status)) {
        add_item(f, joined, 0, len);
        ubrk_close(breaks);
        breaks = NULL;
    } else {
        int32_t prev = ubrk_first(breaks);
        for (int32_t next = ubrk_next(breaks); next != UBRK_DONE; next = ubrk_next(breaks)) {
            add_item(f, joined, offsets[prev], offsets[next]);
            prev = next;
        }
    }
    give_back(language, breaks);
    free(u16);
    free(offsets);
    layout_tie(f->items, f->item_count, joined, language);
}

/* Whether a line may start before item i (and so the one before end). */
static bool breakable(const struct item *items, size_t i)
{
    return i == 0 || items[i - 1].brk != BREAK_NONE;
}

/* Total fit: best[j] is the least cost of setting items [0, j) as lines,
 * a line's cost its squared slack, the last line free. Only a line
 * without a break allowed inside may overflow. Returns start[j], the first
 * item of the line ending at j. */
static size_t *choose_breaks(const struct item *items, size_t n, double width)
{
    double *best = xmalloc((n + 1) * sizeof *best);
    size_t *start = xmalloc((n + 1) * sizeof *start);
    best[0] = 0;
    for (size_t j = 1; j <= n; j++) {
        best[j] = DBL_MAX;
        start[j] = j - 1;
        if (j < n && !breakable(items, j))
            continue;
        double natural = 0;
        bool inside = false; /* a break allowed inside the line */
        for (size_t i = j; i-- > 0;) {
            natural += items[i].width + (i + 1 < j ? items[i].space : 0);
            if (!breakable(items, i))
                continue;
            bool overflows = natural > width + FIT_EPSILON;
            if (overflows && inside)
                break;
            inside = true;
            double slack = width - natural;
            double cost = best[i] + (j == n || overflows ? 0 : slack * slack);
            if (cost < best[j]) {
                best[j] = cost;
                start[j] = i;
            }
        }
    }
    free(best);
    return start;
}

static struct layout_line *new_line(struct line_list *list)
{
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? list->capacity * 2 : 16;
        list->lines = xrealloc(list->lines, list->capacity * sizeof *list->lines);
    }
    struct layout_line *line = &list->lines[list->count++];
    *line = (struct layout_line){0};
    return line;
}

/* Sets items [from, to) as one line in arena. Pieces of one run that touch
 * (a break opportunity not taken, as after a hyphen) are joined again. */
static void emit_line(struct arena *arena, const struct filler *f, size_t from, size_t to,
                      bool last, struct line_list *list)
{
    size_t total = 0;
    for (size_t k = from; k < to; k++)
        total += f->items[k].count;
    struct layout_line *line = new_line(list);
    line->pieces = arena_alloc(arena, (total ? total : 1) * sizeof *line->pieces);
    line->last = last;
    for (size_t k = from; k < to; k++) {
        const struct item *item = &f->items[k];
        for (size_t p = item->first; p < item->first + item->count; p++) {
            struct layout_piece piece = f->pieces[p];
            if (p + 1 == item->first + item->count && k + 1 < to)
                piece.space_after = item->space;
            struct layout_piece *prev = line->count ? &line->pieces[line->count - 1] : NULL;
            if (prev && prev->space_after == 0 && prev->style == piece.style &&
                prev->text + prev->len == piece.text) {
                prev->len += piece.len;
                prev->width += piece.width;
                prev->space_after = piece.space_after;
            } else {
                line->pieces[line->count++] = piece;
            }
        }
    }
    double x = 0;
    for (size_t p = 0; p < line->count; p++) {
        line->pieces[p].x = x;
        x += line->pieces[p].width + line->pieces[p].space_after;
        if (line->pieces[p].space_after > 0) {
            line->gaps++;
            line->space += line->pieces[p].space_after;
        }
    }
    line->width = x;
    enum layout_break brk = f->items[to - 1].brk;
    line->hyphen = !last && (brk == BREAK_HYPHEN || brk == BREAK_DISCRETIONARY);
    if (!last && brk == BREAK_DISCRETIONARY) {
        line->hyphen_width = f->items[to - 1].hyphen;
        line->width += line->hyphen_width;
    }
}

/* Sets the items as lines where start (from a breaker, freed here) says;
 * the last one is never justified. */
static void emit_chosen(struct arena *arena, struct filler *f, size_t *start,
                        struct line_list *list)
{
    size_t n = f->item_count;
    /* start[] links lines from the end; turn the links around. */
    size_t *next = xmalloc((n + 1) * sizeof *next);
    for (size_t j = n; j > 0; j = start[j])
        next[start[j]] = j;
    for (size_t i = 0; i < n; i = next[i])
        emit_line(arena, f, i, next[i], next[i] == n, list);
    free(next);
    free(start);
}

/* Joins the runs' text into one string, recording where each run starts. */
static char *join_runs(struct filler *f, size_t *len)
{
    f->run_start = xmalloc((f->run_count + 1) * sizeof *f->run_start);
    *len = 0;
    for (size_t r = 0; r < f->run_count; r++) {
        f->run_start[r] = *len;
        *len += f->runs[r].len;
    }
    f->run_start[f->run_count] = *len;
    char *joined = xmalloc(*len + 1);
    for (size_t r = 0; r < f->run_count; r++)
        memcpy(joined + f->run_start[r], f->runs[r].text, f->runs[r].len);
    return joined;
}

/* Whether lines whose widest ratio can be no less than best_a (0: only
 * with a line wider than the measure) and with demerits a are worse than
 * those of best_b and b: the widest space first, then demerits. */
static bool looser(double best_a, double a, double best_b, double b)
{
    double wide_a = best_a > 0 ? best_a : INFINITY, wide_b = best_b > 0 ? best_b : INFINITY;
    if (wide_a != wide_b && fabs(wide_a - wide_b) > 1e-9)
        return wide_a > wide_b;
    return a > b;
}

/* Fills the runs between two forced breaks. An empty stretch still makes
 * an (empty) line. */
static void fill_stretch(struct arena *arena, struct filler *f, double width, const char *language,
                         struct line_list *list)
{
    size_t len;
    char *joined = join_runs(f, &len);
    f->piece_count = f->item_count = 0;
    f->language = language;
    f->joined_len = len;
    f->hyphenate = false;
    find_items(f, joined, len, language);
    if (f->item_count == 0) {
        new_line(list)->last = true;
    } else if (f->params->mode == LAYOUT_JUSTIFIED) {
        /* As TeX: hyphenate only when the words as they are cannot be set
         * within the tolerance (and then only where the rules allow). */
        bool emergency;
        double plain, hyphenated, plain_best, best;
        size_t *start = layout_kp_breaks(f->items, f->item_count, width, f->params, &emergency,
                                         &plain, &plain_best);
        best = plain_best;
        if (emergency && f->params->hyphenate && hyphenate_has(language)) {
            free(start);
            f->piece_count = f->item_count = 0;
            f->hyphenate = true;
            find_items(f, joined, len, language);
            start = layout_kp_breaks(f->items, f->item_count, width, f->params, &emergency,
                                     &hyphenated, &best);
            if (emergency && !looser(plain_best, plain, best, hyphenated)) {
                /* Hyphens did not help (the rules forbade the useful
                 * ones): the words as they are. */
                free(start);
                f->piece_count = f->item_count = 0;
                f->hyphenate = false;
                find_items(f, joined, len, language);
                start = layout_kp_breaks(f->items, f->item_count, width, f->params, &emergency,
                                         &plain, &best);
            }
        }
        if (emergency)
            f->best_ratio = best > 0 && f->best_ratio >= 0 ? fmax(f->best_ratio, best) : -1;
        f->emergency |= emergency;
        emit_chosen(arena, f, start, list);
    } else {
        emit_chosen(arena, f, choose_breaks(f->items, f->item_count, width), list);
    }
    free(joined);
    free(f->run_start);
}

void layout_paragraph(struct arena *arena, const struct doc_run *runs, size_t count, double width,
                      layout_measure_fn measure, void *context, const char *language,
                      struct layout_lines *out)
{
    struct layout_params params;
    layout_params_default(&params, LAYOUT_RAGGED, language);
    layout_paragraph_with(arena, runs, count, width, measure, context, language, &params, out);
}

void layout_paragraph_with(struct arena *arena, const struct doc_run *runs, size_t count,
                           double width, layout_measure_fn measure, void *context,
                           const char *language, const struct layout_params *params,
                           struct layout_lines *out)
{
    struct filler f = {.measure = measure, .context = context, .params = params};
    struct line_list list = {0};
    size_t from = 0;
    for (size_t i = 0; i <= count; i++) {
        bool forced = i < count && runs[i].line_break;
        /* A break at the very end of the paragraph adds no empty line. */
        if (!forced && !(i == count && i > from))
            continue;
        f.runs = runs + from;
        f.run_count = i - from;
        fill_stretch(arena, &f, width, language, &list);
        from = i + 1;
    }
    out->count = list.count;
    out->lines = arena_alloc(arena, (list.count ? list.count : 1) * sizeof *out->lines);
    if (list.count)
        memcpy(out->lines, list.lines, list.count * sizeof *list.lines);
    free(list.lines);
    free(f.pieces);
    free(f.items);
    layout_demerits(out, width, params);
    out->emergency = f.emergency;
    out->best_ratio = f.emergency ? f.best_ratio : 0;
    out->kept = 0;
}
