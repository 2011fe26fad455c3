/* cli_issue_campaign.c — `missive issue CAMPAIGN.xml`: every letter of the
 * campaign is planned and checked first (nothing is numbered while any
 * is wrong); then, in ONE register transaction, each gets the next number
 * of its scope, all are rendered on every core, each is archived (listed
 * in the pending journal before the first file is renamed into place) and
 * recorded, and the transaction commits once: the whole campaign is issued
 * or none of it. A crash before the commit leaves only files the journal
 * names, which the next writer removes. */
#include "cli_issue.h"

#include "archive.h"
#include "batch.h"
#include "campaign.h"
#include "cli_campaign.h"
#include "snapshot.h"
#include "merge.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One letter of the campaign once numbered. */
struct numbered {
    struct plan plan;
    const char *reference;
    const char *relative[ISSUE_FILES]; /* letters/000012-REF.pdf ... */
    bool installed[ISSUE_FILES];
};

struct issuing {
    struct issue *is;
    struct cli_batch b;
    struct arena *arena; /* numbers, names, entries */
    struct numbered *n;
    char now[32];
    struct cli_progress progress;
    struct cli_row *rows;
    int status;
};

/* ---- numbering ---- */

/* The next number of each scope the campaign uses: from the register the
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
    long long seq = register_next_seq(s->is->db, scope, errors);
    if (seq >= 0)
        counters[(*count)++] = (struct counter){scope, seq + 1};
    return seq;
}

/* Numbers every letter and names its files; 0 or -1 with errors. */
static int number_all(struct issuing *s, struct errors *errors)
{
    const struct campaign *c = s->b.campaign;
    long long id = register_next_id(s->is->db, errors);
    if (id < 0)
        return -1;
    struct counter *counters = xcalloc(c->count, sizeof *counters);
    size_t scopes = 0;
    int status = 0;
    for (size_t i = 0; i < c->count && status == 0; i++) {
        struct numbered *n = &s->n[i];
        n->plan.seq = next_seq(s, counters, &scopes, n->plan.scope, errors);
        if (n->plan.seq < 0) {
            status = -1;
            break;
        }
        n->reference = reference_format(s->arena, s->is->pattern, &n->plan.fields, n->plan.seq);
        char *stem = output_safe_name(n->reference);
        for (int k = 0; k < ISSUE_FILES; k++)
            n->relative[k] = arena_printf(s->arena, "%s/%06lld-%s.%s", ARCHIVE_LETTERS,
                                          id + (long long)i, stem, cli_issue_extensions[k]);
        free(stem);
    }
    free(counters);
    return status;
}

/* Every file of the batch goes into the journal before the first rename,
 * so a crash anywhere leaves nothing the next writer cannot remove. */
static int write_journal(struct issuing *s, struct errors *errors)
{
    size_t count = s->b.campaign->count * ISSUE_FILES;
    char **paths = xcalloc(count, sizeof *paths);
    for (size_t i = 0; i < s->b.campaign->count; i++)
        for (int k = 0; k < ISSUE_FILES; k++)
            paths[i * ISSUE_FILES + k] = (char *)s->n[i].relative[k];
    char *letters = archive_join(s->is->c->archive_dir, ARCHIVE_LETTERS);
    int status = archive_mkdirs(letters, errors);
    free(letters);
    if (status == 0)
        status = archive_journal_write(s->is->c->archive_dir, paths, count, errors);
    free(paths);
    return status;
}

/* ---- rendering on the workers ---- */

struct issue_slot {
    struct files files;
    struct errors errors;
};

static void render_one(void *context, size_t index, void *slot)
{
    struct issuing *s = context;
    struct issue_slot *out = slot;
    struct letter view;
    campaign_letter(s->b.campaign, index, &view);
    view.reference = s->n[index].reference;
    struct doc_document *doc =
        merge_letter(s->b.ws, &view, cli_batch_template(&s->b, index), &out->errors);
    struct buffer *content = out->files.content;
    bool ok = doc != NULL;
    if (ok)
        doc->timestamp = arena_strdup(doc->arena, s->now);
    ok = ok && pipeline_render_doc(s->b.pipeline, doc, PIPELINE_PDF | PIPELINE_TEXT,
                                   &content[ISSUE_PDF], &content[ISSUE_TEXT], &out->errors) == 0;
    ok = ok && snapshot_write(doc, &s->b.ws->settings, cli_issue_blob_hash, s->is,
                              &content[ISSUE_SOURCE], &out->errors) == 0;
    if (ok)
        cli_issue_check_reprint(s->is, &out->files, &out->errors);
    doc_free(doc);
}

/* ---- archiving and recording, in order, on the calling thread ---- */

static int archive_one(struct issuing *s, size_t index, struct files *files, struct errors *errors)
{
    struct numbered *n = &s->n[index];
    const char *dir = s->is->c->archive_dir;
    for (int k = 0; k < ISSUE_FILES; k++) {
        files->relative[k] = xstrdup(n->relative[k]);
        files->final[k] = archive_join(dir, n->relative[k]);
        struct stat st;
        if (lstat(files->final[k], &st) == 0) {
            errors_add_at(errors, files->final[k], 0, 0,
                          "exists already but no entry records it (see missive register "
                          "verify); nothing was issued");
            return -1;
        }
        files->temp[k] = output_write_temp(files->final[k], files->content[k].data,
                                           files->content[k].len, ARCHIVE_FILE_MODE, errors);
        if (!files->temp[k] || output_install(files->temp[k], files->final[k], errors) != 0)
            return -1;
        n->installed[k] = true;
        free(files->temp[k]);
        files->temp[k] = NULL;
    }
    return 0;
}

static int record_one(void *context, size_t index, void *slot)
{
    struct issuing *s = context;
    struct issue_slot *out = slot;
    struct errors *errors = &s->b.errors;
    cli_progress_step(&s->progress);
    int status = out->errors.count ? CLI_INPUT : CLI_OK;
    errors_take(errors, &out->errors);
    if (status == CLI_OK && archive_one(s, index, &out->files, errors) != 0)
        status = CLI_OUTPUT;
    struct letter view;
    campaign_letter(s->b.campaign, index, &view);
    struct numbered *n = &s->n[index];
    if (status == CLI_OK) {
        struct register_entry *e =
            cli_issue_entry(s->is, s->arena, &view, &n->plan, n->reference, s->now, &out->files);
        if (register_append(s->is->db, s->arena, e, view.loc, errors) != 0)
            status = CLI_PROBLEMS; /* numbers were taken from it: it is wrong itself */
    }
    cli_issue_files_free(&out->files);
    if (status != CLI_OK) {
        s->status = status;
        return 1;
    }
    const struct campaign_variant *v = &s->b.campaign->variants[index];
    s->rows[index] = (struct cli_row){
        n->reference, v->recipient, v->language,
        arena_printf(s->arena, "%s/%s, .txt, .xml", s->is->c->archive_dir, n->relative[0])};
    if (s->is->c->verbose)
        fprintf(stderr, "%s: %s (%s) issued\n", n->reference, v->recipient, v->language);
    return 0;
}

static void discard(void *context, size_t index, void *slot)
{
    (void)context;
    (void)index;
    struct issue_slot *out = slot;
    cli_issue_files_free(&out->files);
    errors_clear(&out->errors);
}

/* Takes back whatever was installed: the transaction did not commit. */
static void remove_installed(struct issuing *s)
{
    for (size_t i = 0; i < s->b.campaign->count; i++) {
        for (int k = 0; k < ISSUE_FILES; k++) {
            if (!s->n[i].installed[k])
                continue;
            char *path = archive_join(s->is->c->archive_dir, s->n[i].relative[k]);
            unlink(path);
            free(path);
        }
    }
}

/* Everything under the lock; returns the exit status. */
static int issue_all(struct issuing *s)
{
    struct issue *is = s->is;
    struct errors *errors = &s->b.errors;
    if (register_begin(is->db, errors) != 0)
        return CLI_OUTPUT;
    cli_issue_fault("after-lock");
    if (register_check_head(is->db, errors) != 0) {
        register_rollback(is->db);
        return CLI_PROBLEMS;
    }
    cli_report_recovered(is->c, register_recover(is->db, errors));
    cli_now(s->now);
    s->status = CLI_OK;
    if (number_all(s, errors) != 0 || write_journal(s, errors) != 0)
        s->status = CLI_OUTPUT;
    size_t count = s->b.campaign->count;
    s->rows = arena_alloc(s->arena, count * sizeof *s->rows);
    cli_progress_start(&s->progress, "issuing", count, is->c->quiet);
    if (s->status == CLI_OK)
        batch_run(&(struct batch){.count = count,
                                  .slot_size = sizeof(struct issue_slot),
                                  .threads = is->c->jobs,
                                  .work = render_one,
                                  .done = record_one,
                                  .discard = discard,
                                  .context = s});
    cli_progress_end(&s->progress);
    cli_issue_fault("after-insert");
    if (s->status == CLI_OK && register_commit(is->db, errors) != 0)
        s->status = CLI_OUTPUT;
    cli_issue_fault("after-commit");
    if (s->status != CLI_OK) {
        register_rollback(is->db);
        remove_installed(s);
    }
    archive_journal_remove(is->c->archive_dir, errors);
    return s->status;
}

/* Plans each letter's number (its parts checked) before anything else. */
static int plan_all(struct issuing *s)
{
    const struct campaign *c = s->b.campaign;
    s->n = arena_alloc(s->arena, c->count * sizeof *s->n);
    size_t before = s->b.errors.count;
    for (size_t i = 0; i < c->count; i++) {
        struct letter view;
        campaign_letter(c, i, &view);
        cli_issue_plan(s->is, s->arena, &view, &s->n[i].plan, &s->b.errors);
    }
    return s->b.errors.count == before ? 0 : -1;
}

int cli_issue_campaign(struct issue *is, struct letter *letter)
{
    struct cli *c = is->c;
    if (c->ref) {
        errors_add(&c->errors, letter->recipients_loc,
                   "--ref gives one letter's reference; each letter of a campaign gets its own "
                   "number");
        return cli_fail(c, CLI_USAGE);
    }
    struct cli_campaign_options options = {
        .filter = {c->filter_only, c->filter_languages},
        .jobs = c->jobs,
        .formats = PIPELINE_PDF | PIPELINE_TEXT,
        .quiet = c->quiet,
        .verbose = c->verbose,
    };
    struct issuing s = {.is = is, .arena = arena_new()};
    int status = CLI_INPUT;
    if (cli_batch_open(&s.b, c->pipeline, letter, &options) == 0 && plan_all(&s) == 0 &&
        cli_batch_check(&s.b) == 0)
        status = issue_all(&s);
    errors_print(&s.b.errors, stderr);
    if (status == CLI_OK && !c->quiet)
        cli_print_table(stdout, "reference", s.rows, s.b.campaign->count);
    cli_batch_close(&s.b);
    arena_free(s.arena);
    return status;
}
