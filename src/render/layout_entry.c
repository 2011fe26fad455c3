/* layout_entry.c — the lines of a petition's wrapped annex entry found
 * without the whole line filler, when they are one or two: the entry's
 * items (break opportunities, ties, widths) are what layout.c would find,
 * but only the gap where the first line ends is tied (layout_tie on the
 * words around it), and the lines are taken greedily.
 *
 * Why greedy gives layout.c's lines: layout.c's minimum raggedness costs
 * each line but the last its squared slack. Let g be the last line start
 * with items [0, g) fitting, and suppose [g, n) fits too. Every line start
 * of any set of lines is then either below g or past it, so no
 * unbreakable stretch is wider than the measure and no line may overflow;
 * any first line ends at or before g, so costs at least (width - [0, g))²,
 * which [0, g), [g, n) costs; a set starting [0, g) that breaks [g, n)
 * again adds a line of positive slack, since [g, n) itself fits and every
 * item is wider than nothing. So [0, g), [g, n) is the only cheapest set,
 * and the widths below are summed in layout.c's order (right to left, the
 * space after a line's last item left out), so that every fit is decided
 * on the same doubles. Anything else (three lines, ICU's breaks, spaces
 * alone or doubled, a width of 0) is left to layout_paragraph. */
#include "layout_internal.h"

#include <stdlib.h>
#include <string.h>

/* As layout.c's: widths in points carry rounding noise. */
#define FIT_EPSILON 1e-9

/* Items at most an entry has before it goes the general way. */
enum { ENTRY_ITEMS = 64 };

/* Natural width of items [i, j) as layout.c's choose_breaks sums it. */
static double natural(const struct layout_item *items, size_t i, size_t j)
{
    double width = 0;
    for (size_t k = j; k-- > i;)
        width += items[k].width + (k + 1 < j ? items[k].space : 0);
    return width;
}

/* The item that starts the word holding item k (words end at a space). */
static size_t word_start(const struct layout_item *items, size_t k)
{
    while (k > 0 && items[k - 1].space == 0)
        k--;
    return k;
}

/* The item after the word holding item k, or n. */
static size_t word_end(const struct layout_item *items, size_t n, size_t k)
{
    while (k < n && items[k].space == 0)
        k++;
    return k < n ? k + 1 : n;
}

/* Whether a line may start before item j (0 < j < n): layout_tie on the
 * words that decide the gap — the one ending with item j - 1, the one
 * after it and the one after that (a day, "de", a month) — ties it as
 * it would over the whole entry, each word's looks being its own. */
static bool breakable(const struct layout_item *items, size_t n, size_t j, const char *text,
                      const char *language)
{
    size_t from = word_start(items, j - 1);
    size_t to = word_end(items, n, word_end(items, n, j));
    struct layout_item window[ENTRY_ITEMS];
    memcpy(window, items + from, (to - from) * sizeof *items);
    layout_tie(window, to - from, text, language);
    return window[j - 1 - from].brk != BREAK_NONE;
}

/* The entry's items, as layout.c's add_item makes them for one run
 * without hyphenation; 0 when there are too many or a space is not one
 * between two words. */
static size_t entry_items(const char *text, size_t len, const char *language,
                          layout_measure_fn measure, void *context, unsigned style,
                          struct layout_item *items)
{
    size_t cut_count;
    size_t *cuts = layout_plain_breaks(text, len, language, &cut_count);
    if (!cuts)
        return 0;
    size_t n = 0;
    bool space_known = false;
    double space_width = 0;
    for (size_t i = 0, from = 0; i < cut_count; from = cuts[i++]) {
        size_t to = cuts[i], end = to;
        while (end > from && text[end - 1] == ' ')
            end--;
        /* Spaces alone, or more than one: lines would not be the text's
         * own stretches (layout.c joins pieces with one space). */
        if (end == from || to > end + 1 || n == ENTRY_ITEMS) {
            n = 0;
            break;
        }
        double space = 0;
        if (to > end) { /* measure_span's one space, measured once */
            if (!space_known)
                space_width = measure(context, text + end, 1, style);
            space_known = true;
            space = space_width;
        }
        items[n++] = (struct layout_item){
            .from = from,
            .to = end,
            .width = measure(context, text + from, end - from, style),
            .space = space,
            .brk = space > 0 ? BREAK_SPACE : layout_break_after(text, end),
        };
    }
    free(cuts);
    return n;
}

size_t layout_entry_lines(const char *text, size_t len, double width, layout_measure_fn measure,
                          void *context, unsigned style, const char *language,
                          struct layout_entry_line lines[2])
{
    language = language ? language : "";
    struct layout_item items[ENTRY_ITEMS];
    size_t n = entry_items(text, len, language, measure, context, style, items);
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!(items[k].width > 0))
            return 0;
    if (natural(items, 0, n) <= width + FIT_EPSILON) {
        lines[0] = (struct layout_entry_line){items[0].from, items[n - 1].to};
        return 1;
    }
    size_t g = n - 1;
    while (g > 0 && natural(items, 0, g) > width + FIT_EPSILON)
        g--;
    while (g > 0 && !breakable(items, n, g, text, language))
        g--;
    if (g == 0 || natural(items, g, n) > width + FIT_EPSILON)
        return 0;
    lines[0] = (struct layout_entry_line){items[0].from, items[g - 1].to};
    lines[1] = (struct layout_entry_line){items[g].from, items[n - 1].to};
    return 2;
}
