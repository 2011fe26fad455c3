/* app_batch.c — a campaign's letters as one batch: the variants planned
 * and what they need fetched on the calling thread (templates compiled,
 * fonts opened), then every letter checked or rendered on every core,
 * results taken in order, each mistake told once. */
#include "app_internal.h"

#include "batch.h"
#include "buffer.h"
#include "caches.h"
#include "doc.h"
#include "font.h"
#include "merge.h"
#include "output.h"
#include "pdf.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int app_batch_open(struct app_batch *b, struct pipeline *pipeline, const struct letter *letter,
                   const struct campaign_filter *filter, unsigned formats, unsigned jobs,
                   const struct app_events *events)
{
    *b = (struct app_batch){.pipeline = pipeline,
                            .formats = formats,
                            .written = formats,
                            .jobs = jobs,
                            .events = events};
    b->told = xcalloc(1, sizeof *b->told);
    b->ws = pipeline_workspace(pipeline);
    if (letter->reference) {
        errors_add(&b->errors, letter->reference_loc,
                   "a campaign letter carries no <reference>: `missive issue` numbers each "
                   "letter of it");
        return -1;
    }
    b->campaign = campaign_plan(b->ws, letter, filter, &b->errors);
    if (!b->campaign)
        return -1;
    for (size_t i = 0; events && events->warning && i < b->campaign->warnings.count; i++)
        events->warning(events->context, &b->campaign->warnings.items[i]);
    /* Templates are compiled here, on one thread: threads only read them. */
    b->templates = xcalloc(letter->text_count, sizeof *b->templates);
    struct letter view;
    for (size_t i = 0; i < b->campaign->count; i++) {
        size_t t = b->campaign->rows[i].text;
        if (b->templates[t])
            continue;
        campaign_letter(b->campaign, i, &view);
        b->templates[t] = pipeline_template(pipeline, &view, &b->errors);
        if (!b->templates[t])
            return -1;
    }
    if (formats & APP_PDF) {
        b->fonts = pipeline_fonts(pipeline, &b->errors);
        if (!b->fonts)
            return -1;
    }
    malloc_trim(0);
    return 0;
}

void app_batch_close(struct app_batch *b)
{
    campaign_free(b->campaign);
    free(b->templates);
    if (b->told)
        free(b->told->hashes);
    free(b->told);
    errors_clear(&b->errors);
}

const struct tmpl *app_batch_template(const struct app_batch *b, size_t i)
{
    const struct campaign *c = b->campaign;
    return b->templates[c->rows[i].text];
}

/* ---- each mistake told once ---- */

static uint64_t error_hash(const struct error *e)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)e->line * 31u ^ (uint64_t)e->column;
    for (const char *s = e->message; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    for (const char *s = e->file ? e->file : ""; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h ? h : 1;
}

static void grow(struct app_told *t)
{
    size_t size = t->size ? t->size * 2 : 64;
    uint64_t *grown = xcalloc(size, sizeof *grown);
    for (size_t k = 0; k < t->size; k++) {
        if (!t->hashes[k])
            continue;
        size_t i = t->hashes[k] % size;
        while (grown[i])
            i = (i + 1) % size;
        grown[i] = t->hashes[k];
    }
    free(t->hashes);
    t->hashes = grown;
    t->size = size;
}

/* true the first time e is seen. */
static bool first_telling(struct app_told *t, const struct error *e)
{
    if (2 * (t->count + 1) > t->size)
        grow(t);
    uint64_t h = error_hash(e);
    size_t i = h % t->size;
    for (; t->hashes[i]; i = (i + 1) % t->size)
        if (t->hashes[i] == h)
            return false;
    t->hashes[i] = h;
    t->count++;
    return true;
}

void app_batch_tell(struct app_batch *b, struct errors *from)
{
    struct errors once = {0};
    for (size_t i = 0; i < from->count; i++) {
        const struct error *e = &from->items[i];
        if (first_telling(b->told, e))
            errors_add_at(&once, e->file, e->line, e->column, "%s", e->message);
    }
    errors_take(&b->errors, &once);
    errors_clear(from);
}

/* ---- checking every variant ---- */

struct check_slot {
    struct errors errors;
};

struct checking {
    struct app_batch *b;
    size_t done;
};

static void check_one(void *context, size_t index, void *slot)
{
    struct checking *k = context;
    struct app_batch *b = k->b;
    struct check_slot *s = slot;
    struct letter view;
    caches_next_letter();
    campaign_letter(b->campaign, index, &view);
    struct merge_input input = app_merge_input(&view, NULL, NULL, NULL);
    struct doc_document *doc =
        merge_letter(b->ws, &view, app_batch_template(b, index), &input, &s->errors);
    if (doc && b->fonts)
        pdf_check(doc, &b->ws->settings, b->fonts, &s->errors);
    doc_free(doc);
}

static int check_done(void *context, size_t index, void *slot)
{
    (void)index;
    struct checking *k = context;
    struct check_slot *s = slot;
    app_batch_tell(k->b, &s->errors);
    app_progress(k->b->events, "checking", ++k->done, k->b->campaign->count);
    return 0;
}

int app_batch_check(struct app_batch *b)
{
    struct checking k = {.b = b};
    size_t before = b->errors.count;
    batch_run(&(struct batch){.count = b->campaign->count,
                              .slot_size = sizeof(struct check_slot),
                              .threads = b->jobs,
                              .work = check_one,
                              .done = check_done,
                              .context = &k});
    return b->errors.count == before ? 0 : -1;
}

/* ---- rendering every variant into one output batch ---- */

/* Rendering checks each letter anyway (pdf_render calls pdf_check), so a
 * render needs no separate checking pass: every letter is rendered into
 * the batch, which is committed only when all went well. After the first
 * failure the others are only checked, to report every mistake. */
struct render_slot {
    struct errors errors;
    bool output_failed;
    char *stem;
    struct doc_document *doc; /* kept for the combined PDF */
};

struct rendering {
    struct app_batch *b;
    struct output_batch *out;
    const char *output_dir;
    const char *stamp;          /* SOURCE_DATE_EPOCH for drafts, or NULL */
    struct doc_document **docs; /* --combined: every letter, in order */
    size_t done;
    atomic_bool failed;
    enum app_status status;
};

static void render_one(void *context, size_t index, void *slot)
{
    struct rendering *r = context;
    struct render_slot *s = slot;
    struct app_batch *b = r->b;
    struct letter view;
    campaign_letter(b->campaign, index, &view);
    struct merge_input input = app_merge_input(&view, NULL, r->stamp, NULL);
    struct doc_document *doc =
        merge_letter(b->ws, &view, app_batch_template(b, index), &input, &s->errors);
    struct buffer pdf = {0}, text = {0};
    if (doc && atomic_load(&r->failed)) {
        if (b->fonts)
            pdf_check(doc, &b->ws->settings, b->fonts, &s->errors);
    } else if (doc &&
               pipeline_render_doc(b->pipeline, doc, b->formats, &pdf, &text, &s->errors) == 0) {
        struct output_file files[3];
        size_t count = 0;
        if (b->written & APP_PDF)
            files[count++] = (struct output_file){"pdf", &pdf};
        if (b->written & APP_TEXT)
            files[count++] = (struct output_file){"txt", &text};
        char name[512];
        campaign_name(b->campaign, index, name, sizeof name);
        s->stem = output_safe_name(name);
        struct buffer eml = {0};
        if (b->send && b->mail[index].address &&
            app_send_eml(b->send, &b->mail[index], doc, s->stem, &pdf, b->ws->settings.text_width,
                         &eml, &s->errors) == 0)
            files[count++] = (struct output_file){"eml", &eml};
        if (!s->errors.count)
            s->output_failed = output_batch_add(r->out, s->stem, files, count, &s->errors) != 0;
        buffer_free(&eml);
        if (b->combined) {
            s->doc = doc;
            doc = NULL;
        }
    }
    if (s->errors.count)
        atomic_store(&r->failed, true);
    buffer_free(&pdf);
    buffer_free(&text);
    doc_free(doc);
}

static int render_done(void *context, size_t index, void *slot)
{
    struct rendering *r = context;
    struct render_slot *s = slot;
    const struct campaign *c = r->b->campaign;
    app_progress(r->b->events, "rendering", ++r->done, c->count);
    if (s->errors.count) {
        app_batch_tell(r->b, &s->errors);
        if (r->status != APP_OUTPUT)
            r->status = s->output_failed ? APP_OUTPUT : APP_INPUT;
    } else if (r->status == APP_OK && r->docs) {
        r->docs[index] = s->doc;
        s->doc = NULL;
    }
    doc_free(s->doc);
    s->doc = NULL;
    free(s->stem);
    s->stem = NULL;
    return 0;
}

static void render_discard(void *context, size_t index, void *slot)
{
    (void)context;
    (void)index;
    struct render_slot *s = slot;
    errors_clear(&s->errors);
    free(s->stem);
    doc_free(s->doc);
}

/* dir/stem.extension in path (room for all of it: the caller's). */
static char *file_path(char *path, const char *dir, size_t dir_len, const char *stem,
                       size_t stem_len, const char *extension)
{
    memcpy(path, dir, dir_len);
    path[dir_len] = '/';
    memcpy(path + dir_len + 1, stem, stem_len);
    path[dir_len + 1 + stem_len] = '.';
    strcpy(path + dir_len + stem_len + 2, extension);
    return path;
}

/* Tells letter i of a committed batch, its name and files made again
 * from the campaign: a batch of 10,000 letters keeps nothing per letter
 * until it is committed. Without printf or an arena a letter: the table
 * comes after the commit, on one thread. */
static void tell_letter(const struct app_batch *b, const char *output_dir, size_t i)
{
    const struct campaign_variant variant = campaign_variant(b->campaign, i), *v = &variant;
    char name[512];
    campaign_name(b->campaign, i, name, sizeof name);
    char *stem = output_safe_name(name);
    size_t dir_len = strlen(output_dir), stem_len = strlen(stem);
    char *paths = xmalloc(3 * (dir_len + stem_len + 6) + strlen(v->language) + 12);
    char *at = paths;
    struct app_letter row = {.name = stem, .recipient = v->recipient, .campaign = true};
    const char *extensions[3] = {b->written & APP_PDF ? "pdf" : NULL,
                                 b->written & APP_TEXT ? "txt" : NULL,
                                 b->send && b->mail[i].address ? "eml" : NULL};
    for (size_t k = 0; k < 3; k++)
        if (extensions[k]) {
            row.files[row.file_count++] =
                file_path(at, output_dir, dir_len, stem, stem_len, extensions[k]);
            at += dir_len + stem_len + 6;
        }
    row.language = v->language;
    if (v->fallback) {
        strcpy(at, v->language);
        strcat(at, " (fallback)");
        row.language = at;
    }
    b->events->letter(b->events->context, &row);
    free(paths);
    free(stem);
}

/* --combined: every letter in one PDF, into the batch beside them. */
static enum app_status combine(struct app_batch *b, struct rendering *r)
{
    struct buffer pdf = {0};
    enum app_status status = APP_INPUT;
    if (app_send_combined(b->ws, b->campaign, r->docs, b->fonts, &pdf, &b->errors) == 0) {
        struct output_file file = {"pdf", &pdf};
        status = output_batch_add(r->out, b->stem, &file, 1, &b->errors) == 0 ? APP_OK : APP_OUTPUT;
    }
    buffer_free(&pdf);
    return status;
}

enum app_status app_batch_render(struct app_batch *b, const char *output_dir)
{
    const struct campaign *c = b->campaign;
    struct rendering r = {.b = b, .output_dir = output_dir};
    char stamp[32];
    int dated = app_draft_time(stamp, &b->errors);
    if (dated < 0)
        return APP_INPUT;
    r.stamp = dated ? stamp : NULL;
    r.out = output_batch_open(output_dir, &b->errors);
    if (!r.out)
        return APP_OUTPUT;
    if (b->combined)
        r.docs = xcalloc(c->count, sizeof *r.docs);
    batch_run(&(struct batch){.count = c->count,
                              .slot_size = sizeof(struct render_slot),
                              .threads = b->jobs,
                              .work = render_one,
                              .done = render_done,
                              .discard = render_discard,
                              .context = &r});
    if (r.status == APP_OK && r.docs)
        r.status = combine(b, &r);
    if (r.status == APP_OK && output_batch_commit(r.out, &b->errors) != 0)
        r.status = APP_OUTPUT;
    for (size_t i = 0; r.docs && i < c->count; i++)
        doc_free(r.docs[i]);
    free(r.docs);
    output_batch_free(r.out);
    /* Letters are told about once the batch is written: before, none is. */
    for (size_t i = 0; r.status == APP_OK && b->events && b->events->letter && i < c->count; i++)
        tell_letter(b, output_dir, i);
    if (r.status == APP_OK && b->combined)
        app_note(b->events, "%s/%s.pdf: the %zu letters in one PDF for printing", output_dir,
                 b->stem, c->count);
    return r.status;
}
