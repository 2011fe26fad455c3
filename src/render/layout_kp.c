/* layout_kp.c — Knuth and Plass's paragraph breaking ("Breaking paragraphs
 * into lines", 1981), as TeX does it: items are boxes, the spaces after
 * them glue that stretches and shrinks in proportion to its width, breaks
 * after hyphens flagged penalties; every feasible line gets a badness from
 * its adjustment ratio, every break demerits, and the breaks with the least
 * total demerits win. A first pass keeps every line within the tolerance;
 * when no such set exists an emergency pass takes any ratio from -1 up
 * (and lets a single item wider than the measure stand alone). */
#include "layout_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define INF_BAD 10000.0
/* An emergency line wider than the measure (a word that does not fit):
 * worse than a line whose spaces are a thousand times their width. */
#define OVERFULL_BAD 1e11
/* What breaking a hyphenation rule costs in the emergency pass: more than
 * a dozen very loose lines, less than one line wider than the measure. */
#define RULE_BROKEN 1e7
/* Widths in points carry rounding noise; a line this much too wide fits. */
#define FIT_EPSILON 1e-9
/* How much looser than the least possible widest line (in ratio: 0.025
 * of a space) an emergency paragraph's lines may be when that lowers
 * their demerits: the loosest line barely changes, the others gain. */
#define BEST_SLACK 0.05

enum { TIGHT, DECENT, LOOSE, VERY_LOOSE };

void layout_params_default(struct layout_params *params, enum layout_mode mode,
                           const char *language)
{
    bool long_words =
        language && (strncmp(language, "de", 2) == 0 || strncmp(language, "ru", 2) == 0 ||
                     strncmp(language, "kk", 2) == 0);
    double max_ratio = long_words ? 1.2 : 1.0;
    *params = (struct layout_params){.mode = mode,
                                     .stretch = 0.5,
                                     .shrink = 0.2,
                                     .tolerance = 100 * max_ratio * max_ratio * max_ratio,
                                     .hyphenate = mode == LAYOUT_JUSTIFIED,
                                     .line_penalty = 10,
                                     .hyphen_penalty = 50,
                                     .explicit_penalty = 50,
                                     .adj_demerits = 10000,
                                     .double_hyphen_demerits = 10000,
                                     .final_hyphen_demerits = 5000,
                                     .max_hyphen_lines = 2};
}

/* A line's badness, 100 |ratio|^3, for lines of ratio -1 and more:
 * without TeX's cap at INF_BAD, so that the raised tolerances, the
 * emergency pass and layout_demerits tell a line at 5 times natural space
 * from one at 100 times. */
static double looseness_of(double ratio)
{
    return 100 * fabs(ratio) * fabs(ratio) * fabs(ratio);
}

static int fitness(double ratio)
{
    if (ratio < -0.5)
        return TIGHT;
    if (ratio <= 0.5)
        return DECENT;
    return ratio <= 1 ? LOOSE : VERY_LOOSE;
}

/* The adjustment ratio of a line natural wide with gaps space wide in
 * all; the last line of a paragraph has infinite stretch (TeX's
 * \parfillskip), so it only ever shrinks. Infinite when a line must
 * stretch and has no gap. */
static double ratio_of(const struct layout_params *params, double width, double natural,
                       double space, bool last)
{
    double diff = width - natural;
    if (fabs(diff) <= FIT_EPSILON || (last && diff > 0))
        return 0;
    double give = space * (diff > 0 ? params->stretch : params->shrink);
    if (give <= 0)
        return diff > 0 ? INFINITY : -INFINITY;
    return diff / give;
}

/* The demerits of a line of badness bad ending in a break of penalty
 * (flagged when after a hyphen), after a line of fitness prev_fit ending
 * flagged or not. The paragraph's end is a forced break: no penalty. */
static double demerits_of(const struct layout_params *params, double bad, double penalty,
                          bool flagged, int fit, bool prev_flagged, int prev_fit, bool last)
{
    double d = (params->line_penalty + bad) * (params->line_penalty + bad);
    if (!last)
        d += penalty * penalty;
    if (last && prev_flagged)
        d += params->final_hyphen_demerits;
    else if (flagged && prev_flagged)
        d += params->double_hyphen_demerits;
    if (abs(fit - prev_fit) > 1)
        d += params->adj_demerits;
    return d;
}

double layout_demerits(struct layout_lines *lines, double width, const struct layout_params *params)
{
    double total = 0;
    bool prev_flagged = false;
    int prev_fit = DECENT;
    for (size_t i = 0; i < lines->count; i++) {
        struct layout_line *line = &lines->lines[i];
        line->ratio = ratio_of(params, width, line->width, line->space, line->last);
        /* Uncapped, as the emergency pass ranks lines: one line at 50
         * times natural space is not as good as three at 3 times. An
         * overfull line (an overlong word) or one that must stretch
         * without a gap counts INF_BAD, as TeX's overfull boxes do. */
        line->badness = line->gaps == 0 && line->last                ? 0
                        : line->ratio < -1 || !isfinite(line->ratio) ? INF_BAD
                                                                     : looseness_of(line->ratio);
        line->fitness = fitness(line->ratio);
        double penalty = line->hyphen_width > 0 ? params->hyphen_penalty
                         : line->hyphen         ? params->explicit_penalty
                                                : 0;
        line->demerits = demerits_of(params, line->badness, penalty, line->hyphen, line->fitness,
                                     prev_flagged, prev_fit, line->last);
        total += line->demerits;
        /* A forced break starts afresh, as a new paragraph does. */
        prev_flagged = line->last ? false : line->hyphen;
        prev_fit = line->last ? DECENT : line->fitness;
    }
    lines->demerits = total;
    return total;
}

/* A way to break before item pos: the best known of its kind. */
struct node {
    size_t pos, lines;
    int fit;
    bool flagged;
    bool discretionary; /* the break is inside a word */
    int streak;         /* flagged breaks in a row, this one included */
    double total;
    size_t prev; /* index in nodes, SIZE_MAX for the start */
};

struct kp {
    const struct layout_item *items;
    size_t n;
    double width;
    const struct layout_params *params;
    double *natural, *space; /* prefix sums over items: width + space, space */
    size_t *last_break;      /* the last break allowed before each position */
    struct node *nodes;
    size_t node_count, node_capacity;
    size_t *active;
    size_t active_count;
    struct node *found; /* candidates at the current break */
    size_t found_count;
    double least_bad; /* least_badness's answer, once the first pass failed */
};

bool layout_kp_by_passes;

/* The adjustment ratio of the line of items [from, j), with a hyphen
 * hyphen wide added at its end; the one computation every pass and
 * least_badness share, so that they judge each line alike to the bit. */
static double line_ratio(const struct kp *kp, size_t from, size_t j, double hyphen, bool last)
{
    const struct layout_item *end = &kp->items[j - 1];
    double natural = kp->natural[j] - kp->natural[from] - end->space + hyphen;
    double space = kp->space[j] - kp->space[from] - end->space;
    return ratio_of(kp->params, kp->width, natural, space, last);
}

static size_t add_node(struct kp *kp, struct node node)
{
    if (kp->node_count == kp->node_capacity) {
        kp->node_capacity = kp->node_capacity ? kp->node_capacity * 2 : 64;
        kp->nodes = xrealloc(kp->nodes, kp->node_capacity * sizeof *kp->nodes);
    }
    kp->nodes[kp->node_count] = node;
    return kp->node_count++;
}

/* Keeps node if it is the best break at this position of its fitness class
 * (and, when looseness asks for other line counts, of its line count). */
static void offer(struct kp *kp, struct node node)
{
    for (size_t i = 0; i < kp->found_count; i++) {
        struct node *f = &kp->found[i];
        if (f->fit == node.fit && f->streak == node.streak &&
            (kp->params->looseness == 0 || f->lines == node.lines)) {
            if (node.total < f->total)
                *f = node;
            return;
        }
    }
    kp->found[kp->found_count++] = node;
}

/* Tries every active break as the start of a line ending before item j. */
static void try_break(struct kp *kp, size_t j, double tolerance, bool emergency)
{
    const struct layout_item *end = &kp->items[j - 1];
    bool last = j == kp->n;
    bool discretionary = !last && end->brk == BREAK_DISCRETIONARY;
    bool flagged = discretionary || (!last && end->brk == BREAK_HYPHEN);
    double penalty = discretionary ? kp->params->hyphen_penalty
                     : flagged     ? kp->params->explicit_penalty
                                   : 0;
    double hyphen = discretionary ? end->hyphen : 0;
    size_t keep = 0;
    kp->found_count = 0;
    for (size_t k = 0; k < kp->active_count; k++) {
        size_t index = kp->active[k];
        const struct node a = kp->nodes[index];
        double ratio = line_ratio(kp, a.pos, j, hyphen, last);
        bool overfull = ratio < -1;
        /* Lines from a only get longer: a too long one ends a's use. */
        if (!overfull)
            kp->active[keep++] = index;
        if (overfull && !(emergency && kp->last_break[j] <= a.pos))
            continue;
        /* No third hyphenated line in a row; no word broken before the
         * last line of a paragraph. The emergency pass only shuns them
         * (there may be no other way). */
        bool against =
            (flagged && a.streak >= kp->params->max_hyphen_lines) || (last && a.discretionary);
        if (against && !emergency)
            continue;
        /* The emergency pass ranks loose lines by how loose they are, not
         * all alike at the cap: else a line of two words spaced 100 times
         * their width costs what a line at 5 times does. A line wider than
         * the measure costs more than any loose one. */
        double bad = overfull ? (emergency ? OVERFULL_BAD : INF_BAD) : looseness_of(ratio);
        if (bad > tolerance && !emergency)
            continue;
        int fit = fitness(ratio);
        double d = demerits_of(kp->params, bad, penalty, flagged, fit, a.flagged, a.fit, last) +
                   (against ? RULE_BROKEN : 0);
        offer(kp, (struct node){.pos = j,
                                .lines = a.lines + 1,
                                .fit = fit,
                                .flagged = flagged,
                                .discretionary = discretionary,
                                .streak = !flagged                                  ? 0
                                          : a.streak < kp->params->max_hyphen_lines ? a.streak + 1
                                                                                    : a.streak,
                                .total = a.total + d,
                                .prev = index});
    }
    kp->active_count = keep;
    for (size_t i = 0; i < kp->found_count; i++)
        kp->active[kp->active_count++] = add_node(kp, kp->found[i]);
}

/* The final break to take among the ones at the end: the least demerits,
 * or with looseness the line count nearest the best one's plus looseness. */
static size_t pick_final(const struct kp *kp, size_t first)
{
    size_t best = SIZE_MAX;
    for (size_t i = first; i < kp->node_count; i++)
        if (kp->nodes[i].pos == kp->n &&
            (best == SIZE_MAX || kp->nodes[i].total < kp->nodes[best].total))
            best = i;
    if (best == SIZE_MAX || kp->params->looseness == 0)
        return best;
    long target = (long)kp->nodes[best].lines + kp->params->looseness;
    size_t pick = best;
    for (size_t i = first; i < kp->node_count; i++) {
        const struct node *c = &kp->nodes[i], *p = &kp->nodes[pick];
        if (c->pos != kp->n)
            continue;
        long dc = labs((long)c->lines - target), dp = labs((long)p->lines - target);
        if (dc < dp || (dc == dp && c->total < p->total))
            pick = i;
    }
    return pick;
}

/* One pass; the final node's index or SIZE_MAX when no feasible set. */
static size_t run_pass(struct kp *kp, double tolerance, bool emergency)
{
    kp->node_count = 0;
    kp->active_count = 0;
    kp->active[kp->active_count++] =
        add_node(kp, (struct node){.pos = 0, .fit = DECENT, .prev = SIZE_MAX, .flagged = false});
    size_t first_final = SIZE_MAX;
    for (size_t j = 1; j <= kp->n && kp->active_count > 0; j++) {
        if (j < kp->n && kp->items[j - 1].brk == BREAK_NONE)
            continue;
        if (j == kp->n)
            first_final = kp->node_count;
        try_break(kp, j, tolerance, emergency);
    }
    return first_final == SIZE_MAX ? SIZE_MAX : pick_final(kp, first_final);
}

/* A start of lines for least_badness: a break and its hyphen streak. */
struct state {
    size_t pos;
    int streak;
};

/* The least badness B such that some set of lines keeps every rule with
 * no line worse than B (INFINITY when none): a pass at tolerance T finds
 * lines exactly when B <= T. For a pass's nodes at a break with a given
 * hyphen streak exist exactly when the best path there has no line worse
 * than T, and what may follow a node depends only on its break and streak
 * (the lines it may start, where they overfill and drop it, the rules),
 * never on T. One minimax pass over the breaks instead of the dozen
 * passes of a bisection: a petition's paragraph of 77,850 organisation
 * names took 13 passes of 390,000 items each. */
static double least_badness(const struct kp *kp)
{
    const struct layout_params *params = kp->params;
    size_t streaks = (size_t)params->max_hyphen_lines + 1;
    double *here = xmalloc(streaks * sizeof *here);
    /* The worst line on the best path to each active start. */
    double *worst = xmalloc(streaks * (kp->n + 1) * sizeof *worst);
    struct state *active = xmalloc(streaks * (kp->n + 1) * sizeof *active);
    size_t active_count = 0;
    double least = INFINITY;
    worst[active_count] = 0;
    active[active_count++] = (struct state){0, 0};
    for (size_t j = 1; j <= kp->n && active_count > 0; j++) {
        if (j < kp->n && kp->items[j - 1].brk == BREAK_NONE)
            continue;
        const struct layout_item *end = &kp->items[j - 1];
        bool last = j == kp->n;
        bool discretionary = !last && end->brk == BREAK_DISCRETIONARY;
        bool flagged = discretionary || (!last && end->brk == BREAK_HYPHEN);
        double hyphen = discretionary ? end->hyphen : 0;
        for (size_t s = 0; s < streaks; s++)
            here[s] = INFINITY;
        size_t keep = 0;
        for (size_t k = 0; k < active_count; k++) {
            struct state a = active[k];
            double a_worst = worst[k];
            double ratio = line_ratio(kp, a.pos, j, hyphen, last);
            if (ratio < -1)
                continue; /* overfull: a pass drops the node here */
            worst[keep] = a_worst;
            active[keep++] = a;
            bool a_discretionary =
                a.pos > 0 && a.pos < kp->n && kp->items[a.pos - 1].brk == BREAK_DISCRETIONARY;
            if ((flagged && a.streak >= params->max_hyphen_lines) || (last && a_discretionary))
                continue;
            double bad = looseness_of(ratio);
            int streak = !flagged                              ? 0
                         : a.streak < params->max_hyphen_lines ? a.streak + 1
                                                               : a.streak;
            double w = bad > a_worst ? bad : a_worst;
            if (w < here[streak])
                here[streak] = w;
        }
        active_count = keep;
        for (size_t s = 0; s < streaks; s++) {
            if (!(here[s] < INFINITY))
                continue;
            if (last && here[s] < least)
                least = here[s];
            worst[active_count] = here[s];
            active[active_count++] = (struct state){j, (int)s};
        }
    }
    free(here);
    free(worst);
    free(active);
    return least;
}

/* Whether a pass at tolerance finds lines with every rule kept. */
static bool feasible(struct kp *kp, double tolerance)
{
    if (layout_kp_by_passes)
        return run_pass(kp, tolerance, false) != SIZE_MAX;
    return kp->least_bad <= tolerance;
}

/* The least ratio r in (low, high] at which a pass with tolerance
 * 100 r^3 finds lines (the rules all kept): a bisection, each step one
 * pass (answered by least_badness). When even high fails, high doubles
 * (up to MAX_RATIO, spaces thousands of times their width) and the
 * bisection runs between the last two bounds to the same precision; 0
 * when no finite ratio does (a word wider than the measure, or one that
 * must stretch alone). */
#define MAX_RATIO 5000.0
static double least_ratio(struct kp *kp, double low, double high)
{
    int steps = 12;
    double precision = (high - low) / 4096;
    if (!layout_kp_by_passes)
        kp->least_bad = least_badness(kp);
    while (!feasible(kp, looseness_of(high))) {
        if (high > MAX_RATIO)
            return 0;
        low = high;
        high *= 2;
        for (steps = 0; (high - low) / (1 << steps) > precision; steps++)
            ;
    }
    for (int step = 0; step < steps; step++) {
        double mid = (low + high) / 2;
        if (!feasible(kp, looseness_of(mid)))
            low = mid;
        else
            high = mid;
    }
    return high;
}

size_t *layout_kp_breaks(const struct layout_item *items, size_t n, double width,
                         const struct layout_params *params, bool *emergency, double *demerits,
                         double *best_ratio)
{
    struct kp kp = {.items = items, .n = n, .width = width, .params = params};
    kp.natural = xmalloc((n + 1) * sizeof *kp.natural);
    kp.space = xmalloc((n + 1) * sizeof *kp.space);
    kp.last_break = xmalloc((n + 1) * sizeof *kp.last_break);
    kp.natural[0] = kp.space[0] = 0;
    kp.last_break[0] = 0;
    for (size_t i = 0; i < n; i++) {
        kp.natural[i + 1] = kp.natural[i] + items[i].width + items[i].space;
        kp.space[i + 1] = kp.space[i] + items[i].space;
        /* i + 1 itself is allowed unless item i is tied to the next. */
        kp.last_break[i + 1] = i == 0 || items[i - 1].brk != BREAK_NONE ? i : kp.last_break[i];
    }
    /* At most one active node per item, fitness class and hyphen streak,
     * and per line count with looseness: bounded by the nodes made. */
    size_t kinds = 4 * (size_t)(params->max_hyphen_lines + 1) * (params->looseness ? n + 1 : 1);
    kp.active = xmalloc(kinds * (n + 1) * sizeof *kp.active);
    kp.found = xmalloc(kinds * sizeof *kp.found);
    *emergency = false;
    *best_ratio = 0;
    size_t final = run_pass(&kp, params->tolerance, false);
    if (final == SIZE_MAX) {
        /* As TeX raising \tolerance: the least tolerance any set of lines
         * keeps (every rule kept), and the least demerits within it, so
         * that no paragraph's widest space is (much) wider than it must be. Only
         * when a line must be wider than the measure (a word too long) or
         * a rule broken, the emergency pass of any ratio. */
        *emergency = true;
        double low = cbrt(params->tolerance / 100);
        *best_ratio = least_ratio(&kp, low, cbrt(INF_BAD / 100) - 1e-9);
        if (*best_ratio > 0)
            final = run_pass(&kp, looseness_of(*best_ratio + BEST_SLACK), false);
        if (final == SIZE_MAX)
            final = run_pass(&kp, INF_BAD, true);
    }
    *demerits = final == SIZE_MAX ? INFINITY : kp.nodes[final].total;
    size_t *start = xmalloc((n + 1) * sizeof *start);
    /* Cannot happen (an item may always stand alone); should it, one item
     * a line. */
    for (size_t j = 1; final == SIZE_MAX && j <= n; j++)
        start[j] = j - 1;
    for (size_t i = final; i != SIZE_MAX && kp.nodes[i].prev != SIZE_MAX; i = kp.nodes[i].prev)
        start[kp.nodes[i].pos] = kp.nodes[kp.nodes[i].prev].pos;
    free(kp.natural);
    free(kp.space);
    free(kp.last_break);
    free(kp.nodes);
    free(kp.active);
    free(kp.found);
    return start;
}
