/* cli_campaign.c — `missive render|check` of a campaign letter: plan the
 * variants, check every one on every core, then render every one on every
 * core into the output folder as one batch (nothing appears unless all
 * of it does); progress on a terminal, a summary table at the end. */
#include "cli.h"
#include "cli_campaign.h"

#include "batch.h"
#include "buffer.h"
#include "doc.h"
#include "font.h"
#include "merge.h"
#include "output.h"
#include "pdf.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- progress and the table ---- */

static void draw(struct cli_progress *p)
{
    int width = 40, filled = (int)(p->done * (size_t)width / p->total);
    if (filled == p->shown && p->done != p->total)
        return;
    p->shown = filled;
    fprintf(stderr, "\r%-10s [%.*s%*s] %zu/%zu", p->what, filled,
            "########################################", width - filled, "", p->done, p->total);
    fflush(stderr);
}

void cli_progress_start(struct cli_progress *p, const char *what, size_t total, bool quiet)
{
    *p = (struct cli_progress){.what = what, .total = total, .shown = -1};
    p->on = !quiet && total > 1 && isatty(STDERR_FILENO);
    if (p->on)
        draw(p);
}

void cli_progress_step(struct cli_progress *p)
{
    if (p->done < p->total)
        p->done++;
    if (p->on)
        draw(p);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->on)
        fprintf(stderr, "\r%*s\r", 70, "");
}

static size_t widest(const struct cli_row *rows, size_t count, size_t field, size_t least)
{
    size_t w = least;
    for (size_t i = 0; i < count; i++) {
        const char *cells[] = {rows[i].reference, rows[i].recipient, rows[i].language};
        size_t len = strlen(cells[field]);
        w = len > w ? len : w;
    }
    return w;
}

void cli_print_table(FILE *out, const char *first_heading, const struct cli_row *rows, size_t count)
{
    int a = (int)widest(rows, count, 0, strlen(first_heading));
    int b = (int)widest(rows, count, 1, strlen("recipient"));
    int c = (int)widest(rows, count, 2, strlen("language"));
    fprintf(out, "%-*s  %-*s  %-*s  files\n", a, first_heading, b, "recipient", c, "language");
    for (size_t i = 0; i < count; i++)
        fprintf(out, "%-*s  %-*s  %-*s  %s\n", a, rows[i].reference, b, rows[i].recipient, c,
                rows[i].language, rows[i].files);
}

/* ---- planning ---- */

int cli_batch_open(struct cli_batch *b, struct pipeline *pipeline, const struct letter *letter,
                   const struct cli_campaign_options *options)
{
    *b = (struct cli_batch){.pipeline = pipeline, .options = options};
    b->ws = pipeline_workspace(pipeline);
    if (letter->reference) {
        errors_add(&b->errors, letter->reference_loc,
                   "a campaign letter carries no <reference>: `missive issue` numbers each "
                   "letter of it");
        return -1;
    }
    b->campaign = campaign_plan(b->ws, letter, &options->filter, &b->errors);
    if (!b->campaign)
        return -1;
    /* Templates are compiled here, on one thread: threads only read them. */
    b->templates = xcalloc(letter->text_count, sizeof *b->templates);
    struct letter view;
    for (size_t i = 0; i < b->campaign->count; i++) {
        size_t t = (size_t)(b->campaign->variants[i].text - letter->texts);
        if (b->templates[t])
            continue;
        campaign_letter(b->campaign, i, &view);
        b->templates[t] = pipeline_template(pipeline, &view, &b->errors);
        if (!b->templates[t])
            return -1;
    }
    if (options->formats & PIPELINE_PDF) {
        b->fonts = pipeline_fonts(pipeline, &b->errors);
        if (!b->fonts)
            return -1;
    }
    return 0;
}

void cli_batch_close(struct cli_batch *b)
{
    campaign_free(b->campaign);
    free(b->templates);
    errors_clear(&b->errors);
}

const struct tmpl *cli_batch_template(const struct cli_batch *b, size_t i)
{
    const struct campaign *c = b->campaign;
    return b->templates[c->variants[i].text - c->letter->texts];
}

/* ---- checking every variant ---- */

struct check_slot {
    struct errors errors;
};

static void check_one(void *context, size_t index, void *slot)
{
    struct cli_batch *b = context;
    struct check_slot *s = slot;
    struct letter view;
    campaign_letter(b->campaign, index, &view);
    struct doc_document *doc = merge_letter(b->ws, &view, cli_batch_template(b, index), &s->errors);
    if (doc && b->fonts)
        pdf_check(doc, &b->ws->settings, b->fonts, &s->errors);
    doc_free(doc);
}

/* The same mistake in a group's template or text shows in every letter:
 * it is told once. */
struct told {
    uint64_t *hashes;
    size_t size, count;
};

static uint64_t error_hash(const struct error *e)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)e->line * 31u ^ (uint64_t)e->column;
    for (const char *s = e->message; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    for (const char *s = e->file ? e->file : ""; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h ? h : 1;
}

/* true the first time e is seen. */
static bool first_telling(struct told *t, const struct error *e)
{
    if (2 * (t->count + 1) > t->size) {
        size_t size = t->size ? t->size * 2 : 64;
        uint64_t *grown = xcalloc(size, sizeof *grown);
        for (size_t k = 0; k < t->size; k++) {
            size_t i = t->hashes[k] % size;
            while (t->hashes[k] && grown[i])
                i = (i + 1) % size;
            if (t->hashes[k])
                grown[i] = t->hashes[k];
        }
        free(t->hashes);
        t->hashes = grown;
        t->size = size;
    }
    uint64_t h = error_hash(e);
    size_t i = h % t->size;
    for (; t->hashes[i]; i = (i + 1) % t->size)
        if (t->hashes[i] == h)
            return false;
    t->hashes[i] = h;
    t->count++;
    return true;
}

static void tell(struct told *told, struct errors *to, struct errors *from);

struct checking {
    struct cli_batch *b;
    struct cli_progress progress;
    struct told told;
};

static int check_done(void *context, size_t index, void *slot)
{
    (void)index;
    struct checking *k = context;
    struct check_slot *s = slot;
    tell(&k->told, &k->b->errors, &s->errors);
    cli_progress_step(&k->progress);
    return 0;
}

static void check_context(void *context, size_t index, void *slot)
{
    struct checking *k = context;
    check_one(k->b, index, slot);
}

int cli_batch_check(struct cli_batch *b)
{
    struct checking k = {.b = b};
    cli_progress_start(&k.progress, "checking", b->campaign->count, b->options->quiet);
    size_t before = b->errors.count;
    batch_run(&(struct batch){.count = b->campaign->count,
                              .slot_size = sizeof(struct check_slot),
                              .threads = b->options->jobs,
                              .work = check_context,
                              .done = check_done,
                              .context = &k});
    cli_progress_end(&k.progress);
    free(k.told.hashes);
    return b->errors.count == before ? 0 : -1;
}

/* ---- rendering every variant ---- */

/* Rendering checks each letter anyway (pdf_render calls pdf_check), so a
 * render needs no separate checking pass: every letter is rendered into
 * the batch, which is committed only when all went well. After the first
 * failure the others are only checked, to report every mistake. */
struct render_slot {
    struct errors errors;
    bool output_failed;
};

struct rendering {
    struct cli_batch *b;
    struct output_batch *out;
    const char *stamp; /* SOURCE_DATE_EPOCH for drafts, or NULL */
    struct cli_progress progress;
    struct cli_row *rows;
    struct arena *arena; /* the rows' strings */
    struct told told;
    atomic_bool failed;
    int status;
};

static void write_one(struct rendering *r, size_t index, const struct buffer *pdf,
                      const struct buffer *text, struct render_slot *s)
{
    unsigned formats = r->b->options->formats;
    struct output_file files[2];
    size_t count = 0;
    if (formats & PIPELINE_PDF)
        files[count++] = (struct output_file){"pdf", pdf};
    if (formats & PIPELINE_TEXT)
        files[count++] = (struct output_file){"txt", text};
    char name[512];
    campaign_name(r->b->campaign, index, name, sizeof name);
    char *stem = output_safe_name(name);
    s->output_failed = output_batch_add(r->out, stem, files, count, &s->errors) != 0;
    free(stem);
}

static void render_one(void *context, size_t index, void *slot)
{
    struct rendering *r = context;
    struct render_slot *s = slot;
    struct cli_batch *b = r->b;
    struct letter view;
    campaign_letter(b->campaign, index, &view);
    struct doc_document *doc = merge_letter(b->ws, &view, cli_batch_template(b, index), &s->errors);
    struct buffer pdf = {0}, text = {0};
    if (doc && r->stamp)
        doc->timestamp = arena_strdup(doc->arena, r->stamp);
    if (doc && atomic_load(&r->failed)) {
        if (b->fonts)
            pdf_check(doc, &b->ws->settings, b->fonts, &s->errors);
    } else if (doc && pipeline_render_doc(b->pipeline, doc, b->options->formats, &pdf, &text,
                                          &s->errors) == 0) {
        write_one(r, index, &pdf, &text, s);
    }
    if (s->errors.count)
        atomic_store(&r->failed, true);
    buffer_free(&pdf);
    buffer_free(&text);
    doc_free(doc);
}

/* Moves a slot's errors to the batch's, each mistake told once. */
static void tell(struct told *told, struct errors *to, struct errors *from)
{
    struct errors once = {0};
    for (size_t i = 0; i < from->count; i++) {
        const struct error *e = &from->items[i];
        if (first_telling(told, e))
            errors_add_at(&once, e->file, e->line, e->column, "%s", e->message);
    }
    errors_take(to, &once);
    errors_clear(from);
}

static int render_done(void *context, size_t index, void *slot)
{
    struct rendering *r = context;
    struct render_slot *s = slot;
    const struct campaign *c = r->b->campaign;
    cli_progress_step(&r->progress);
    if (s->errors.count) {
        tell(&r->told, &r->b->errors, &s->errors);
        if (r->status != CLI_OUTPUT)
            r->status = s->output_failed ? CLI_OUTPUT : CLI_INPUT;
        return 0;
    }
    if (r->status != CLI_OK)
        return 0;
    char name[512];
    campaign_name(c, index, name, sizeof name);
    char *stem = output_safe_name(name);
    const struct cli_campaign_options *o = r->b->options;
    bool both = (o->formats & PIPELINE_PDF) && (o->formats & PIPELINE_TEXT);
    r->rows[index] = (struct cli_row){
        .reference = arena_strdup(r->arena, stem),
        .recipient = c->variants[index].recipient,
        .language = c->variants[index].language,
        .files = arena_printf(r->arena, "%s/%s.%s%s", o->output_dir, stem,
                              (o->formats & PIPELINE_PDF) ? "pdf" : "txt", both ? ", .txt" : "")};
    free(stem);
    if (o->verbose)
        fprintf(stderr, "%s: %s (%s) rendered\n", r->rows[index].reference,
                r->rows[index].recipient, r->rows[index].language);
    return 0;
}

static void render_discard(void *context, size_t index, void *slot)
{
    (void)context;
    (void)index;
    errors_clear(&((struct render_slot *)slot)->errors);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int render_all(struct cli_batch *b)
{
    const struct campaign *c = b->campaign;
    struct rendering r = {.b = b, .arena = arena_new()};
    char stamp[32];
    int dated = pipeline_source_date(stamp, &b->errors);
    if (dated < 0) {
        arena_free(r.arena);
        return CLI_INPUT;
    }
    r.stamp = dated ? stamp : NULL;
    r.out = output_batch_open(b->options->output_dir, &b->errors);
    if (!r.out) {
        arena_free(r.arena);
        return CLI_OUTPUT;
    }
    r.rows = xcalloc(c->count, sizeof *r.rows);
    cli_progress_start(&r.progress, "rendering", c->count, b->options->quiet);
    batch_run(&(struct batch){.count = c->count,
                              .slot_size = sizeof(struct render_slot),
                              .threads = b->options->jobs,
                              .work = render_one,
                              .done = render_done,
                              .discard = render_discard,
                              .context = &r});
    cli_progress_end(&r.progress);
    if (r.status == CLI_OK && output_batch_commit(r.out, &b->errors) != 0)
        r.status = CLI_OUTPUT;
    output_batch_free(r.out);
    if (r.status == CLI_OK && !b->options->quiet)
        cli_print_table(stdout, "letter", r.rows, c->count);
    free(r.rows);
    free(r.told.hashes);
    arena_free(r.arena);
    return r.status;
}

int cli_campaign_render(struct pipeline *pipeline, const struct letter *letter,
                        const struct cli_campaign_options *options)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct cli_batch b;
    int status = CLI_OK;
    if (cli_batch_open(&b, pipeline, letter, options) != 0)
        status = CLI_INPUT;
    else if (options->output_dir)
        status = render_all(&b);
    else if (cli_batch_check(&b) != 0)
        status = CLI_INPUT;
    else if (!options->quiet)
        printf("%s: ok (%zu letters)\n", letter->path, b.campaign->count);
    errors_print(&b.errors, stderr);
    if (options->verbose && status == CLI_OK)
        fprintf(stderr, "%s: %zu letters in %.3f s on %u threads\n", letter->path,
                b.campaign->count, seconds_since(&start),
                options->jobs ? options->jobs : batch_cores());
    cli_batch_close(&b);
    return status;
}
