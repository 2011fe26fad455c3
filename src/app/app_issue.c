/* app_issue.c — the issue protocol, the same for one letter and for every
 * letter of a campaign (docs/register.md tells it to users):
 *   1. every letter is planned (the parts of its number checked) and
 *      checked in full with a stand-in number: nothing is numbered while
 *      any letter is wrong;
 *   2. the register's write lock is taken; a chain cut off at its end is
 *      refused; what an interrupted issue left is removed;
 *   3. each letter gets the next number of its scope and an entry id, and
 *      the issue time is read once, for all;
 *   4. the journal lists every file the batch will install;
 *   5. the letters are merged with their numbers and rendered on every
 *      core; each archived source must reprint to exactly its PDF and text;
 *      then each signatory with a key signs the PDF (keys were loaded and
 *      checked in step 1, so a wrong passphrase numbers nothing);
 *   6. in order, each letter's files are written under temporary names,
 *      renamed into place and its entry appended;
 *   7. the transaction commits once and the journal goes; on any failure
 *      it rolls back and every file installed is removed. With -o DIR the
 *      letters' copies (app_handout.c), written beside the archiving into
 *      a hidden folder, appear in DIR only then.
 * A crash at any point leaves only what the journal or the temporary
 * names mark, which the next writer's register_recover removes. */
#include "app_issue.h"

#include "app_checkpoint.h"
#include "archive.h"
#include "batch.h"
#include "doc.h"
#include "font.h"
#include "merge.h"
#include "output.h"
#include "pdf.h"
#include "sign.h"
#include "signers.h"
#include "snapshot.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* One letter of the batch. */
struct item {
    struct letter view; /* the letter, or a campaign's view of one of its letters */
    const struct tmpl *tmpl;
    struct signers *signers; /* a petition's, read before anything else */
    struct app_plan plan;
    char *relative[APP_ISSUE_FILES]; /* letters/000012-REF.pdf ..., in the arena */
    size_t file_count;               /* of them: a petition's signers report too */
    const char *recipient;
    struct sign_letter_keys *keys; /* its signatories' keys; may be another item's */
    bool owns_keys;
};

struct issuing {
    struct app *app;
    struct pipeline *p;
    const struct workspace *ws;
    const struct app_issue_options *o;
    const struct app_events *events;
    const struct reference_pattern *pattern;
    struct register_db *db;
    struct app_batch b; /* a campaign's variants; errors of every letter, told once */
    struct letter *letter;
    struct item *items;
    size_t count, done;
    struct arena *arena;           /* plans, names, entries */
    struct sign_key *register_key; /* signs the head after each entry; NULL: none */
    struct app_handout handout;    /* -o DIR's copies; batch NULL: none */
    struct doc_document **docs;    /* -o DIR --combined: each letter, numbered */
    char now[32];
    enum app_status status;
};

/* ---- 1. planning and checking ---- */

static bool same_signatories(const struct letter *a, const struct letter *b)
{
    if (a->signatory_count != b->signatory_count)
        return false;
    for (size_t i = 0; i < a->signatory_count; i++)
        if (strcmp(a->signatories[i].id, b->signatories[i].id) != 0)
            return false;
    return true;
}

/* Every signatory's key, loaded and checked now, before any number: each
 * set of signatories once (a campaign's letters share theirs). */
static void load_keys(struct issuing *s, struct errors *errors)
{
    time_t at = time(NULL);
    for (size_t i = 0; i < s->count; i++) {
        struct item *it = &s->items[i];
        for (size_t j = 0; j < i && !it->keys; j++)
            if (s->items[j].owns_keys && same_signatories(&s->items[j].view, &it->view))
                it->keys = s->items[j].keys;
        if (it->keys)
            continue;
        const char **ids = xcalloc(it->view.signatory_count + 1, sizeof *ids);
        for (size_t k = 0; k < it->view.signatory_count; k++)
            ids[k] = it->view.signatories[k].id;
        it->keys = arena_alloc(s->arena, sizeof *it->keys);
        it->owns_keys = true;
        int status =
            sign_letter_keys_load(s->ws, ids, it->view.signatory_count, at, it->keys, errors);
        free(ids);
        if (status != 0)
            return;
    }
}

static int prepare(struct issuing *s)
{
    struct errors *errors = &s->b.errors;
    const struct settings *st = &s->ws->settings;
    const struct reference_settings *r = &st->reference;
    s->pattern = reference_pattern_compile(s->arena, r->pattern, r->pattern_loc, r->scope,
                                           r->scope_loc, errors);
    if (!s->pattern)
        return -1;
    if (campaign_is(s->letter)) {
        if (s->o->ref) {
            errors_add(errors, s->letter->recipients_loc,
                       "--ref gives one letter's reference; each letter of a campaign gets its "
                       "own number");
            s->status = APP_USAGE;
            return -1;
        }
        struct campaign_filter filter = {s->o->only, s->o->languages, s->o->strict, s->o->jobs};
        if (app_batch_open(&s->b, s->p, s->letter, &filter, APP_PDF | APP_TEXT, s->o->jobs,
                           s->events) != 0)
            return -1;
        s->count = s->b.campaign->count;
        s->items = arena_alloc(s->arena, s->count * sizeof *s->items);
        for (size_t i = 0; i < s->count; i++) {
            campaign_letter(s->b.campaign, i, &s->items[i].view);
            s->items[i].tmpl = app_batch_template(&s->b, i);
            s->items[i].recipient = campaign_recipient(s->b.campaign, i);
        }
    } else {
        if (s->o->only || s->o->languages || s->o->combined) {
            errors_add(errors, s->letter->loc,
                       "--%s applies to campaigns (letters with <recipients>)",
                       s->o->only        ? "only"
                       : s->o->languages ? "lang"
                                         : "combined");
            return -1;
        }
        s->count = 1;
        s->items = arena_alloc(s->arena, sizeof *s->items);
        s->items[0].view = *s->letter;
        s->items[0].recipient = s->letter->recipient.id;
        s->items[0].tmpl = pipeline_template(s->p, s->letter, errors);
        s->b.fonts = s->items[0].tmpl ? pipeline_fonts(s->p, errors) : NULL;
        if (!s->b.fonts)
            return -1;
        if (s->letter->petition) {
            const char *locale = workspace_locale(s->ws, s->letter->language);
            s->items[0].signers =
                signers_load(s->letter->petition, locale, s->o->skip_invalid_signers, errors);
            if (!s->items[0].signers)
                return -1;
        }
    }
    size_t before = errors->count;
    for (size_t i = 0; i < s->count; i++)
        app_plan_letter(s->ws, s->pattern, s->arena, &s->items[i].view, s->o->ref,
                        &s->items[i].plan, errors);
    if (errors->count == before)
        load_keys(s, errors);
    if (errors->count == before)
        s->register_key = app_checkpoint_key(s->ws, errors);
    return errors->count == before ? 0 : -1;
}

struct check_slot {
    struct errors errors;
};

/* Everything that can be checked before taking the lock: a full merge
 * and the renderers' checks, with a stand-in number. */
static void check_one(void *context, size_t index, void *slot)
{
    struct issuing *s = context;
    struct check_slot *out = slot;
    struct item *it = &s->items[index];
    struct arena *scratch = arena_new();
    const char *stand_in = it->plan.given
                               ? it->plan.given
                               : reference_format(scratch, s->pattern, &it->plan.fields, 1);
    struct merge_input input = app_merge_input(&it->view, stand_in, NULL, it->signers);
    struct doc_document *doc = merge_letter(s->ws, &it->view, it->tmpl, &input, &out->errors);
    struct buffer text = {0};
    if (doc && pdf_check(doc, &s->ws->settings, s->b.fonts, &out->errors) == 0)
        text_render(doc, s->ws->settings.text_width, &text, &out->errors);
    buffer_free(&text);
    doc_free(doc);
    arena_free(scratch);
}

static int check_done(void *context, size_t index, void *slot)
{
    (void)index;
    struct issuing *s = context;
    app_batch_tell(&s->b, &((struct check_slot *)slot)->errors);
    app_progress(s->events, "checking", ++s->done, s->count);
    return 0;
}

static int check_all(struct issuing *s)
{
    size_t before = s->b.errors.count;
    s->done = 0;
    batch_run(&(struct batch){.count = s->count,
                              .slot_size = sizeof(struct check_slot),
                              .threads = s->o->jobs,
                              .work = check_one,
                              .done = check_done,
                              .context = s});
    return s->b.errors.count == before ? 0 : -1;
}

/* ---- 3, 4. numbering and the journal ---- */

/* The next number of each scope the batch uses: from the register the
 * first time, then counted here, since the entries before it are not
 * recorded yet. */
struct counter {
    const char *scope;
    long long next;
};

static long long next_seq(struct issuing *s, struct counter *counters, size_t *count,
                          const char *scope, struct errors *errors)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(counters[i].scope, scope) == 0)
            return counters[i].next++;
    /* A dry run with no register yet: every scope starts at 1. */
    long long seq = s->db ? register_next_seq(s->db, scope, errors) : 1;
    if (seq >= 0)
        counters[(*count)++] = (struct counter){scope, seq + 1};
    return seq;
}

/* A given reference must still be free, checked under the lock. */
static int check_given(struct issuing *s, const struct item *it, struct errors *errors)
{
    struct register_entry wanted = {
        .reference = it->plan.given, .scope = it->plan.scope, .seq = it->plan.seq};
    return register_check_free(s->db, s->arena, &wanted, it->plan.given_loc, errors) == 0 ? 0 : -1;
}

static int number_all(struct issuing *s, struct errors *errors)
{
    long long id = s->db ? register_next_id(s->db, errors) : 1;
    if (id < 0)
        return -1;
    struct counter *counters = xcalloc(s->count, sizeof *counters);
    size_t scopes = 0;
    int status = 0;
    for (size_t i = 0; i < s->count && status == 0; i++) {
        struct app_plan *plan = &s->items[i].plan;
        if (plan->given) {
            plan->reference = plan->given;
        } else {
            plan->seq = next_seq(s, counters, &scopes, plan->scope, errors);
            if (plan->seq < 0) {
                status = -1;
                break;
            }
            plan->reference = reference_format(s->arena, s->pattern, &plan->fields, plan->seq);
        }
        char *stem = output_safe_name(plan->reference);
        s->items[i].file_count = s->items[i].signers ? APP_ISSUE_FILES : APP_ISSUE_SIGNERS;
        for (size_t k = 0; k < s->items[i].file_count; k++)
            s->items[i].relative[k] =
                arena_printf(s->arena, "%s/%06lld-%s.%s", "letters", id + (long long)i, stem,
                             app_issue_extensions[k]);
        free(stem);
    }
    free(counters);
    return status;
}

static int write_journal(struct issuing *s, struct errors *errors)
{
    size_t count = s->count * APP_ISSUE_FILES;
    char **paths = xcalloc(count, sizeof *paths);
    count = 0;
    for (size_t i = 0; i < s->count; i++) {
        for (size_t k = 0; k < s->items[i].file_count; k++)
            paths[count++] = s->items[i].relative[k];
    }
    int status = register_files_begin(s->db, paths, count, errors);
    free(paths);
    return status;
}

/* ---- 5. rendering with the numbers, on the workers ---- */

/* snapshot_write's hash callback: copies a font or image into the
 * archive once per run (safe from several threads). */
static int blob_hash(void *context, const char *path, char hex[65], struct errors *errors)
{
    struct issuing *s = context;
    struct app *app = s->app;
    pthread_mutex_lock(&app->lock);
    int status = 0;
    size_t i = 0;
    while (i < app->blob_count && strcmp(app->blobs[i].path, path) != 0)
        i++;
    if (i < app->blob_count) {
        memcpy(hex, app->blobs[i].hex, 65);
    } else if (register_blob(s->db, path, hex, errors) != 0) {
        status = -1;
    } else {
        app->blobs = xrealloc(app->blobs, (app->blob_count + 1) * sizeof *app->blobs);
        app->blobs[app->blob_count].path = xstrdup(path);
        memcpy(app->blobs[app->blob_count++].hex, hex, 65);
    }
    pthread_mutex_unlock(&app->lock);
    return status;
}

static bool same_buffer(const struct buffer *a, const struct buffer *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* The archived source must reprint to exactly the files archived: read it
 * back, render it again and compare, before anything is recorded. */
static int check_reprint(struct issuing *s, const struct buffer *content,
                         const struct pdf_attachment *attachments, struct errors *errors)
{
    const struct buffer *source = &content[APP_ISSUE_SOURCE];
    const char *blobs = register_blob_dir(s->db, errors);
    struct snapshot *x =
        blobs ? snapshot_read("archived source", source->data, source->len, blobs, errors) : NULL;
    if (!x)
        return -1;
    /* The archived fonts are the same for every letter of a workspace:
     * opened once per process (a campaign's threads share them). */
    struct app *app = s->app;
    pthread_mutex_lock(&app->lock);
    if (!app->archived_fonts)
        app->archived_fonts = font_set_open(&x->settings.fonts, errors);
    pthread_mutex_unlock(&app->lock);
    struct buffer pdf = {0}, text = {0};
    struct pdf_options options = {.attachments = attachments, .attachment_count = APP_ATTACHMENTS};
    bool same =
        app->archived_fonts &&
        pdf_render_with(x->doc, &x->settings, app->archived_fonts, &options, &pdf, errors) == 0 &&
        text_render(x->doc, x->settings.text_width, &text, errors) == 0 &&
        same_buffer(&pdf, &content[APP_ISSUE_PDF]) && same_buffer(&text, &content[APP_ISSUE_TEXT]);
    buffer_free(&pdf);
    buffer_free(&text);
    snapshot_free(x);
    if (!same)
        errors_add_at(errors, NULL, 0, 0,
                      "the archived source of this letter would not reprint byte for byte; "
                      "nothing was issued (this is a bug in missive)");
    return same ? 0 : -1;
}

struct issue_slot {
    struct buffer content[APP_ISSUE_FILES];
    struct buffer eml; /* -o DIR --format eml */
    struct errors errors;
};

static void render_one(void *context, size_t index, void *slot)
{
    struct issuing *s = context;
    struct issue_slot *out = slot;
    struct item *it = &s->items[index];
    struct merge_input input = app_merge_input(&it->view, it->plan.reference, s->now, it->signers);
    struct doc_document *doc = merge_letter(s->ws, &it->view, it->tmpl, &input, &out->errors);
    struct buffer *content = out->content;
    /* A petition's report is archived with it, under the entry's hash. */
    if (it->signers)
        signers_report(it->signers, &content[APP_ISSUE_SIGNERS]);
    /* The source and the text first: the PDF carries the source and the
     * register entry, which names the text's hash (app_attach.c). */
    bool ok =
        doc &&
        snapshot_write(doc, &s->ws->settings, blob_hash, s, &content[APP_ISSUE_SOURCE],
                       &out->errors) == 0 &&
        pipeline_render_doc(s->p, doc, APP_TEXT, NULL, &content[APP_ISSUE_TEXT], &out->errors) == 0;
    struct arena *arena = arena_new();
    struct buffer json = {0};
    struct pdf_attachment attachments[APP_ATTACHMENTS];
    struct pdf_places places = {0};
    if (ok) {
        struct register_entry *e = app_plan_entry(s->ws, arena, &it->view, &it->plan, s->now,
                                                  content, it->relative, it->file_count);
        app_attachments(e, arena, &content[APP_ISSUE_SOURCE], &json, attachments);
        ok = pipeline_render_attached(s->p, doc, APP_PDF, attachments, APP_ATTACHMENTS,
                                      &content[APP_ISSUE_PDF], NULL, &places, &out->errors) == 0;
    }
    ok = ok && check_reprint(s, content, attachments, &out->errors) == 0;
    /* Signed last: the archived source reprints the unsigned revision,
     * which the signed PDF keeps byte for byte (docs/signing.md). */
    if (ok && it->keys && it->keys->count)
        ok = sign_letter(&content[APP_ISSUE_PDF], &places, it->keys, &s->ws->settings.signing,
                         it->plan.reference, app_time_seconds(s->now), &out->errors) == 0;
    if (ok && s->handout.batch)
        app_handout_eml(&s->handout, index, s->ws, doc, it->plan.reference, &content[APP_ISSUE_PDF],
                        &out->eml, &out->errors);
    free(places.items);
    buffer_free(&json);
    arena_free(arena);
    if (ok && s->docs)
        s->docs[index] = doc; /* the combined PDF's, freed after it */
    else
        doc_free(doc);
}

/* ---- 6. archiving and recording, in order, on the calling thread ---- */

static int archive_one(struct issuing *s, struct item *it, const struct buffer *content,
                       struct errors *errors)
{
    for (size_t k = 0; k < it->file_count; k++)
        if (register_files_write(s->db, it->relative[k], content[k].data, content[k].len, errors) !=
            0)
            return -1;
    app_fault("after-temp");
    if (register_files_install(s->db, errors) != 0)
        return -1;
    app_fault("after-rename");
    return 0;
}

static void tell_issued(struct issuing *s, const struct item *it)
{
    if (!s->events || !s->events->letter)
        return;
    struct app_letter row = {.source = s->letter->path,
                             .name = it->plan.reference,
                             .recipient = it->recipient,
                             .language = it->view.language,
                             .campaign = s->b.campaign != NULL,
                             .file_count = it->file_count};
    const char *dir = s->db ? register_archive_dir(s->db) : app_archive_dir(s->app, &s->b.errors);
    for (size_t k = 0; k < it->file_count; k++)
        row.files[k] = arena_printf(s->arena, "%s/%s", dir, it->relative[k]);
    if (it->signers) {
        row.petition = true;
        row.signers = it->signers->count;
        row.signers_left_out = it->signers->skipped;
        row.signers_merged = it->signers->duplicates;
    }
    s->events->letter(s->events->context, &row);
}

static void free_slot(struct issue_slot *out)
{
    for (int k = 0; k < APP_ISSUE_FILES; k++)
        buffer_free(&out->content[k]);
    buffer_free(&out->eml);
    errors_clear(&out->errors);
}

static int record_one(void *context, size_t index, void *slot)
{
    struct issuing *s = context;
    struct issue_slot *out = slot;
    struct errors *errors = &s->b.errors;
    struct item *it = &s->items[index];
    app_fault("after-render");
    app_progress(s->events, "issuing", ++s->done, s->count);
    enum app_status status = out->errors.count ? APP_INPUT : APP_OK;
    app_batch_tell(&s->b, &out->errors);
    if (status == APP_OK && archive_one(s, it, out->content, errors) != 0)
        status = APP_OUTPUT;
    if (status == APP_OK) {
        struct register_entry *e = app_plan_entry(s->ws, s->arena, &it->view, &it->plan, s->now,
                                                  out->content, it->relative, it->file_count);
        struct source_loc at = it->plan.given ? it->plan.given_loc : it->view.loc;
        if (register_append(s->db, s->arena, e, at, errors) != 0)
            status = APP_PROBLEMS; /* numbers were taken from it: it is wrong itself */
        else if (s->register_key && app_checkpoint_write(s->db, s->register_key, e, errors) != 0)
            status = APP_OUTPUT;
        else if (s->handout.batch &&
                 app_handout_add(&s->handout, it->plan.reference, &out->content[APP_ISSUE_PDF],
                                 &out->content[APP_ISSUE_TEXT], &out->eml, errors) != 0)
            status = APP_OUTPUT;
    }
    free_slot(out);
    if (status != APP_OK) {
        s->status = status;
        return 1;
    }
    return 0;
}

static void discard(void *context, size_t index, void *slot)
{
    (void)context;
    (void)index;
    free_slot(slot);
}

/* Steps 2 to 7, under the lock. */
static enum app_status issue_all(struct issuing *s)
{
    struct errors *errors = &s->b.errors;
    if (register_begin(s->db, errors) != 0)
        return APP_OUTPUT;
    app_fault("after-lock");
    if (register_check_head(s->db, errors) != 0) {
        register_rollback(s->db);
        return APP_PROBLEMS;
    }
    app_report_recovered(s->app, s->events, register_recover(s->db, errors));
    for (size_t i = 0; i < s->count; i++) {
        if (s->items[i].plan.given && check_given(s, &s->items[i], errors) != 0) {
            register_rollback(s->db);
            return APP_INPUT;
        }
    }
    app_now(s->now);
    s->status = APP_OK;
    if (number_all(s, errors) != 0 || write_journal(s, errors) != 0)
        s->status = APP_OUTPUT;
    app_fault("after-journal");
    s->done = 0;
    if (s->o->combined && s->handout.batch)
        s->docs = xcalloc(s->count, sizeof *s->docs);
    if (s->status == APP_OK)
        batch_run(&(struct batch){.count = s->count,
                                  .slot_size = sizeof(struct issue_slot),
                                  .threads = s->o->jobs,
                                  .work = render_one,
                                  .done = record_one,
                                  .discard = discard,
                                  .context = s});
    app_fault("after-insert");
    /* Made before the commit: a combined PDF that cannot be made issues
     * nothing, like any copy that cannot be written. */
    if (s->status == APP_OK && s->docs &&
        app_handout_combined(&s->handout, s->ws, s->b.campaign, s->docs, s->b.fonts, s->letter,
                             errors) != 0)
        s->status = APP_OUTPUT;
    for (size_t i = 0; s->docs && i < s->count; i++)
        doc_free(s->docs[i]);
    free(s->docs);
    s->docs = NULL;
    if (s->status == APP_OK && register_commit(s->db, errors) != 0)
        s->status = APP_OUTPUT;
    app_fault("after-commit");
    if (s->status != APP_OK)
        register_rollback(s->db);
    register_files_end(s->db, s->status == APP_OK, errors);
    if (s->status == APP_OK && s->handout.batch && app_handout_commit(&s->handout, errors) != 0)
        errors_add_at(errors, s->o->output_dir, 0, 0,
                      "the letters are issued, but their copies are not in the folder: "
                      "'missive reprint REF' writes each again");
    /* Letters are told about once they are issued, not before. */
    for (size_t i = 0; s->status == APP_OK && i < s->count; i++)
        tell_issued(s, &s->items[i]);
    return s->status;
}

/* A dry run: the numbers the issue would take now, read under the lock
 * (so they are the ones a concurrent issue leaves), then let go. Nothing
 * is created: without a register every scope starts at 1. */
static enum app_status plan_all(struct issuing *s)
{
    struct errors *errors = &s->b.errors;
    const char *dir = app_archive_dir(s->app, errors);
    char *path = dir ? archive_join(dir, ARCHIVE_REGISTER) : NULL;
    struct stat st;
    bool exists = path && stat(path, &st) == 0;
    free(path);
    enum app_status status = dir ? APP_OK : APP_INPUT;
    if (exists && !(s->db = app_register(s->app, false, &status, errors)))
        return status;
    if (s->db && register_begin(s->db, errors) != 0)
        return APP_OUTPUT;
    for (size_t i = 0; s->db && i < s->count && status == APP_OK; i++)
        if (s->items[i].plan.given && check_given(s, &s->items[i], errors) != 0)
            status = APP_INPUT;
    if (status == APP_OK && number_all(s, errors) != 0)
        status = APP_OUTPUT;
    if (s->db)
        register_rollback(s->db);
    for (size_t i = 0; status == APP_OK && i < s->count; i++)
        tell_issued(s, &s->items[i]);
    return status;
}

/* -o DIR: the copies' batch, and each letter's To when e-mails are made. */
static int open_handout(struct issuing *s)
{
    const char **recipients = arena_alloc(s->arena, (s->count + 1) * sizeof *recipients);
    const char **languages = arena_alloc(s->arena, (s->count + 1) * sizeof *languages);
    for (size_t i = 0; i < s->count; i++) {
        recipients[i] = s->items[i].recipient;
        languages[i] = s->items[i].view.language;
    }
    return app_handout_open(&s->handout, s->ws, s->o->output_dir, s->o->formats, s->o->strict,
                            recipients, languages, s->count, s->events, &s->b.errors);
}

enum app_status app_issue(struct app *app, const char *path, const struct app_issue_options *o,
                          const struct app_events *events, struct errors *errors)
{
    app->events = events;
    struct issuing s = {.app = app, .o = o, .events = events, .status = APP_INPUT};
    s.p = app_pipeline(app, errors);
    if (!s.p)
        return APP_INPUT;
    s.ws = pipeline_workspace(s.p);
    s.letter = letter_load(path, errors);
    if (!s.letter)
        return APP_INPUT;
    s.arena = arena_new();
    /* A campaign's batch brings its own; a single letter needs one too. */
    s.b.told = campaign_is(s.letter) ? NULL : xcalloc(1, sizeof *s.b.told);
    enum app_status status = APP_INPUT;
    bool ready = prepare(&s) == 0 && check_all(&s) == 0;
    int opened = 0;
    if (ready && o->dry_run) {
        status = plan_all(&s);
    } else if (ready && o->output_dir && (opened = open_handout(&s)) != 0) {
        status = opened == -1 ? APP_INPUT : APP_OUTPUT;
    } else if (ready) {
        s.db = app_register(app, true, &status, &s.b.errors);
        if (s.db)
            status = issue_all(&s);
    } else if (s.status == APP_USAGE) {
        status = APP_USAGE;
    }
    /* Issued, but a leftover could not be removed or the journal stays. */
    if (status == APP_OK && s.b.errors.count)
        status = APP_OUTPUT;
    errors_take(errors, &s.b.errors);
    for (size_t i = 0; s.items && i < s.count; i++) {
        signers_free(s.items[i].signers);
        if (s.items[i].owns_keys)
            sign_letter_keys_free(s.items[i].keys);
    }
    sign_key_free(s.register_key);
    app_handout_close(&s.handout);
    app_batch_close(&s.b);
    arena_free(s.arena);
    letter_free(s.letter);
    return status;
}
