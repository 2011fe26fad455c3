/* cli_issue.c — `missive issue`: checks a letter completely, then in one
 * register transaction allocates its number, renders it with that number,
 * archives PDF, text and source (temporary name, fsync, rename, listed in
 * the pending journal first) and records the entry; on any failure the
 * transaction is rolled back and every file written is removed. A crash
 * leaves files the next writer's register_recover removes. */
#include "cli_issue.h"

#include "archive.h"
#include "campaign.h"
#include "snapshot.h"
#include "font.h"
#include "letter.h"
#include "merge.h"
#include "output.h"
#include "pdf.h"
#include "reference.h"
#include "text.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A test-only fault point: MISSIVE_FAULT=after-rename kills the process
 * there, as a power cut or kill -9 would. */
void cli_issue_fault(const char *point)
{
    const char *wanted = getenv("MISSIVE_FAULT");
    if (wanted && strcmp(wanted, point) == 0)
        raise(SIGKILL);
}

/* Where a reference given on the command line is: no file. */
static const struct source_loc nowhere;

const char *const cli_issue_roles[ISSUE_FILES] = {"pdf", "text", "source"};
const char *const cli_issue_extensions[ISSUE_FILES] = {"pdf", "txt", "xml"};

int cli_issue_blob_hash(void *context, const char *path, char hex[65], struct errors *errors)
{
    struct issue *is = context;
    pthread_mutex_lock(&is->blob_lock);
    int status = 0;
    size_t i = 0;
    while (i < is->blob_count && strcmp(is->blobs[i].path, path) != 0)
        i++;
    if (i < is->blob_count) {
        memcpy(hex, is->blobs[i].hex, 65);
    } else if (archive_blob(is->c->archive_dir, path, hex, errors) != 0) {
        status = -1;
    } else {
        is->blobs = xrealloc(is->blobs, (is->blob_count + 1) * sizeof *is->blobs);
        is->blobs[is->blob_count].path = xstrdup(path);
        memcpy(is->blobs[is->blob_count++].hex, hex, 65);
    }
    pthread_mutex_unlock(&is->blob_lock);
    return status;
}

/* ---- planning: the parts of the number ---- */

static const char *person_field(const struct value *map, const char *id, const char *key)
{
    const struct value *person = id ? value_map_get(map, id) : NULL;
    const struct value *v = person ? value_map_get(person, key) : NULL;
    return v && v->kind == VALUE_STRING ? v->string : NULL;
}

/* A reference given for the letter (an import) must agree with it. */
static int plan_import(struct issue *is, struct arena *arena, const struct letter *letter,
                       const char *given, struct source_loc loc, struct plan *plan,
                       struct errors *errors)
{
    struct reference_fields parsed;
    if (!reference_parse(arena, is->pattern, given, loc, &parsed, errors))
        return -1;
    const struct reference_fields *f = &plan->fields;
    size_t before = errors->count;
    if (parsed.language && strcmp(parsed.language, f->language) != 0)
        errors_add(errors, loc, "reference '%s' is in language '%s' but the letter is in '%s'",
                   given, parsed.language, f->language);
    if ((parsed.year >= 0 && parsed.year != f->year) || (parsed.yy >= 0 && parsed.yy != f->yy))
        errors_add(errors, loc, "reference '%s' is of another year than the letter's date %s",
                   given, letter->date);
    if (parsed.series && letter->series && strcmp(parsed.series, letter->series) != 0)
        errors_add(errors, loc, "reference '%s' is in series '%s' but the letter says <series>%s",
                   given, parsed.series, letter->series);
    if (parsed.country && f->country && strcmp(parsed.country, f->country) != 0)
        errors_add(errors, loc,
                   "reference '%s' is for country '%s' but the recipient's country is '%s'", given,
                   parsed.country, f->country);
    if (errors->count != before)
        return -1;
    plan->reference = arena_strdup(arena, given);
    plan->scope = reference_scope(arena, is->pattern, &parsed);
    plan->seq = parsed.seq;
    if (parsed.series)
        plan->fields.series = parsed.series;
    return 0;
}

int cli_issue_plan(struct issue *is, struct arena *arena, const struct letter *letter,
                   struct plan *plan, struct errors *errors)
{
    const struct settings *s = &is->ws->settings;
    struct reference_fields *f = &plan->fields;
    reference_fields_init(f);
    f->org = s->organisation;
    f->year = atoi(letter->date);
    f->yy = f->year % 100;
    f->language = letter->language;
    f->series = letter->series ? letter->series : s->reference.series;
    plan->recipient_name = person_field(is->ws->recipients, letter->recipient.id, "name");
    plan->country = person_field(is->ws->recipients, letter->recipient.id, "country");
    f->country = plan->country;
    if (!plan->recipient_name)
        return 0; /* merge names the unknown recipient */
    struct source_loc loc = letter->series ? letter->series_loc : letter->loc;
    if (reference_check_fields(is->pattern, f, loc, errors) != 0)
        return -1;
    const char *given = is->c->ref ? is->c->ref : letter->reference;
    if (is->c->ref && letter->reference && strcmp(is->c->ref, letter->reference) != 0) {
        errors_add(errors, letter->loc, "the letter names reference '%s' but --ref gives '%s'",
                   letter->reference, is->c->ref);
        return -1;
    }
    if (given) {
        struct source_loc at = is->c->ref ? nowhere : letter->reference_loc;
        return plan_import(is, arena, letter, given, at, plan, errors);
    }
    plan->scope = reference_scope(arena, is->pattern, f);
    return 0;
}

/* ---- rendering ---- */

/* Merges letter with reference (and the issue time) and renders both
 * formats. The document is returned in *doc (caller frees). */
static int render(struct issue *is, struct letter *letter, const char *reference,
                  const char *timestamp, struct doc_document **doc, struct buffer *pdf,
                  struct buffer *text, struct errors *errors)
{
    struct pipeline *p = is->c->pipeline;
    letter->reference = reference;
    const struct tmpl *tmpl = pipeline_template(p, letter, errors);
    *doc = tmpl ? merge_letter(is->ws, letter, tmpl, errors) : NULL;
    if (!*doc)
        return -1;
    (*doc)->timestamp = timestamp ? arena_strdup((*doc)->arena, timestamp) : NULL;
    return pipeline_render_doc(p, *doc, PIPELINE_PDF | PIPELINE_TEXT, pdf, text, errors);
}

static bool same_buffer(const struct buffer *a, const struct buffer *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* The archived source must reprint to exactly the files archived: read it
 * back, render it again and compare, before anything is recorded. */
int cli_issue_check_reprint(struct issue *is, struct files *files, struct errors *errors)
{
    const struct buffer *source = &files->content[ISSUE_SOURCE];
    char *blobs = archive_join(is->c->archive_dir, ARCHIVE_BLOBS);
    struct snapshot *x = snapshot_read("archived source", source->data, source->len, blobs, errors);
    free(blobs);
    if (!x)
        return -1;
    /* The archived fonts are the same for every letter of a workspace:
     * opened once per process (a campaign's threads share them). */
    pthread_mutex_lock(&is->blob_lock);
    if (!is->archived_fonts)
        is->archived_fonts = font_set_open(&x->settings.fonts, errors);
    pthread_mutex_unlock(&is->blob_lock);
    struct buffer pdf = {0}, text = {0};
    bool same = is->archived_fonts &&
                pdf_render(x->doc, &x->settings, is->archived_fonts, &pdf, errors) == 0 &&
                text_render(x->doc, x->settings.text_width, &text, errors) == 0 &&
                same_buffer(&pdf, &files->content[ISSUE_PDF]) &&
                same_buffer(&text, &files->content[ISSUE_TEXT]);
    buffer_free(&pdf);
    buffer_free(&text);
    snapshot_free(x);
    if (!same)
        errors_add_at(errors, NULL, 0, 0,
                      "the archived source of this letter would not reprint byte for byte; "
                      "nothing was issued (this is a bug in missive)");
    return same ? 0 : -1;
}

/* ---- writing and recording ---- */

void cli_issue_files_free(struct files *files)
{
    for (int i = 0; i < ISSUE_FILES; i++) {
        free(files->relative[i]);
        free(files->final[i]);
        free(files->temp[i]);
        buffer_free(&files->content[i]);
    }
}

/* Removes whatever of files is on disk (an issue that failed). */
void cli_issue_files_remove(struct files *files)
{
    for (int i = 0; i < ISSUE_FILES; i++) {
        if (files->temp[i])
            unlink(files->temp[i]);
        if (files->installed[i])
            unlink(files->final[i]);
    }
}

static int files_write(struct issue *is, long long id, const char *reference, struct files *files,
                       struct errors *errors)
{
    const char *dir = is->c->archive_dir;
    char *stem = output_safe_name(reference);
    char *letters = archive_join(dir, ARCHIVE_LETTERS);
    int status = archive_mkdirs(letters, errors);
    for (int i = 0; i < ISSUE_FILES && status == 0; i++) {
        size_t n = strlen(stem) + 64;
        files->relative[i] = xmalloc(n);
        snprintf(files->relative[i], n, "%s/%06lld-%s.%s", ARCHIVE_LETTERS, id, stem,
                 cli_issue_extensions[i]);
        files->final[i] = archive_join(dir, files->relative[i]);
        struct stat st;
        if (lstat(files->final[i], &st) == 0) {
            errors_add_at(errors, files->final[i], 0, 0,
                          "exists already but no entry records it (see missive register "
                          "verify); nothing was issued");
            status = -1;
            break;
        }
        files->temp[i] = output_write_temp(files->final[i], files->content[i].data,
                                           files->content[i].len, ARCHIVE_FILE_MODE, errors);
        if (!files->temp[i])
            status = -1;
    }
    free(letters);
    free(stem);
    cli_issue_fault("after-temp");
    if (status == 0)
        status = archive_journal_write(dir, files->relative, ISSUE_FILES, errors);
    cli_issue_fault("after-journal");
    for (int i = 0; i < ISSUE_FILES && status == 0; i++) {
        status = output_install(files->temp[i], files->final[i], errors);
        if (status == 0) {
            files->installed[i] = true;
            free(files->temp[i]);
            files->temp[i] = NULL;
        }
    }
    cli_issue_fault("after-rename");
    return status;
}

struct register_entry *cli_issue_entry(struct issue *is, struct arena *arena,
                                       const struct letter *letter, const struct plan *plan,
                                       const char *reference, const char *now,
                                       const struct files *files)
{
    struct register_entry *e = arena_alloc(arena, sizeof *e);
    *e = (struct register_entry){.event = plan->reference ? "import" : "issue",
                                 .reference = reference,
                                 .scope = plan->scope,
                                 .seq = plan->seq,
                                 .recorded_at = now,
                                 .letter_date = letter->date,
                                 .language = letter->language,
                                 .series = plan->fields.series,
                                 .country = plan->country,
                                 .recipient_id = letter->recipient.id,
                                 .recipient_name = plan->recipient_name,
                                 .subject = letter->subject,
                                 .template_name = letter->template_name.id};
    e->signatory_count = letter->signatory_count;
    e->signatories = arena_alloc(arena, (letter->signatory_count + 1) * sizeof *e->signatories);
    for (size_t i = 0; i < letter->signatory_count; i++) {
        const char *id = letter->signatories[i].id;
        const char *name = person_field(is->ws->signatories, id, "name");
        e->signatories[i] = (struct register_person){id, name ? name : id};
    }
    e->file_count = ISSUE_FILES;
    e->files = arena_alloc(arena, ISSUE_FILES * sizeof *e->files);
    for (int i = 0; i < ISSUE_FILES; i++) {
        char hex[65];
        archive_sha256(files->content[i].data, files->content[i].len, hex);
        e->files[i] =
            (struct register_file){cli_issue_roles[i], files->relative[i], arena_strdup(arena, hex),
                                   (long long)files->content[i].len};
    }
    return e;
}

/* Everything under the lock. Returns the reference issued, or NULL. */
static const char *record(struct issue *is, struct arena *arena, struct letter *letter,
                          struct plan *plan, int *status)
{
    struct errors *errors = &is->c->errors;
    *status = CLI_OUTPUT;
    if (register_begin(is->db, errors) != 0)
        return NULL;
    cli_issue_fault("after-lock");
    if (register_check_head(is->db, errors) != 0) {
        *status = CLI_PROBLEMS;
        register_rollback(is->db);
        return NULL;
    }
    cli_report_recovered(is->c, register_recover(is->db, errors));
    /* A reference given by the letter or --ref is refused before any work. */
    struct source_loc at = is->c->ref ? nowhere : letter->reference_loc;
    struct register_entry wanted = {
        .reference = plan->reference, .scope = plan->scope, .seq = plan->seq};
    if (plan->reference && register_check_free(is->db, arena, &wanted, at, errors) != 0) {
        *status = CLI_INPUT;
        register_rollback(is->db);
        return NULL;
    }
    if (!plan->reference)
        plan->seq = register_next_seq(is->db, plan->scope, errors);
    long long id = register_next_id(is->db, errors);
    if (plan->seq < 0 || id < 0) {
        register_rollback(is->db);
        return NULL;
    }
    const char *reference = plan->reference
                                ? plan->reference
                                : reference_format(arena, is->pattern, &plan->fields, plan->seq);
    char now[32];
    cli_now(now);
    struct files files = {0};
    struct doc_document *doc = NULL;
    bool ok = render(is, letter, reference, now, &doc, &files.content[ISSUE_PDF],
                     &files.content[ISSUE_TEXT], errors) == 0;
    cli_issue_fault("after-render");
    ok = ok && snapshot_write(doc, &is->ws->settings, cli_issue_blob_hash, is,
                              &files.content[ISSUE_SOURCE], errors) == 0;
    ok = ok && cli_issue_check_reprint(is, &files, errors) == 0;
    if (!ok)
        *status = CLI_INPUT;
    ok = ok && files_write(is, id, reference, &files, errors) == 0;
    struct register_entry *e =
        ok ? cli_issue_entry(is, arena, letter, plan, reference, now, &files) : NULL;
    if (ok && register_append(is->db, arena, e, at, errors) != 0) {
        ok = false;
        *status = CLI_PROBLEMS; /* checked free above: the register itself is wrong */
    }
    cli_issue_fault("after-insert");
    ok = ok && register_commit(is->db, errors) == 0;
    cli_issue_fault("after-commit");
    if (ok) {
        archive_journal_remove(is->c->archive_dir, errors);
        *status = CLI_OK;
    } else {
        register_rollback(is->db);
        cli_issue_files_remove(&files);
        archive_journal_remove(is->c->archive_dir, errors);
    }
    doc_free(doc);
    cli_issue_files_free(&files);
    return ok ? reference : NULL;
}

/* Everything that can be checked before taking the lock: the letter, the
 * parts of its number, and a full render with a stand-in number. */
static int check_first(struct issue *is, struct arena *arena, struct letter *letter,
                       struct plan *plan)
{
    struct errors *errors = &is->c->errors;
    if (cli_issue_plan(is, arena, letter, plan, errors) != 0)
        return -1;
    const char *stand_in =
        plan->reference ? plan->reference : reference_format(arena, is->pattern, &plan->fields, 1);
    struct doc_document *doc = NULL;
    struct buffer pdf = {0}, text = {0};
    int status = render(is, letter, stand_in, NULL, &doc, &pdf, &text, errors);
    doc_free(doc);
    buffer_free(&pdf);
    buffer_free(&text);
    return status;
}

static int issue_letter(struct issue *is, const char *path)
{
    struct letter *letter = letter_load(path, &is->c->errors);
    if (!letter)
        return cli_fail(is->c, CLI_INPUT);
    if (campaign_is(letter)) {
        int issued = cli_issue_campaign(is, letter);
        letter_free(letter);
        return issued;
    }
    if (is->c->filter_only || is->c->filter_languages) {
        errors_add(&is->c->errors, letter->loc,
                   "--%s applies to campaigns (letters with <recipients>)",
                   is->c->filter_only ? "only" : "lang");
        letter_free(letter);
        return cli_fail(is->c, CLI_INPUT);
    }
    struct arena *arena = arena_new();
    struct plan plan = {0};
    int status = CLI_INPUT;
    const char *reference = NULL;
    if (check_first(is, arena, letter, &plan) == 0)
        reference = record(is, arena, letter, &plan, &status);
    if (reference && !is->c->quiet)
        printf("%s\n", reference);
    if (is->c->errors.count) /* issued, but recovery or the journal's removal failed */
        status = cli_fail(is->c, status == CLI_OK ? CLI_OUTPUT : status);
    arena_free(arena);
    letter_free(letter);
    return status;
}

int cli_issue(struct cli *c)
{
    if (c->arg_count < 1) {
        fprintf(stderr, "missive: error: issue needs at least one letter file\n");
        return CLI_USAGE;
    }
    if (c->ref && c->arg_count != 1) {
        fprintf(stderr, "missive: error: --ref gives the reference of one letter, not %d\n",
                c->arg_count);
        return CLI_USAGE;
    }
    int status = cli_load_workspace(c, c->args[0]);
    if (status != CLI_OK)
        return status;
    struct issue is = {.c = c, .ws = pipeline_workspace(c->pipeline)};
    pthread_mutex_init(&is.blob_lock, NULL);
    struct arena *arena = arena_new();
    const struct reference_settings *r = &is.ws->settings.reference;
    is.pattern = reference_pattern_compile(arena, r->pattern, r->pattern_loc, r->scope,
                                           r->scope_loc, &c->errors);
    if (!is.pattern) {
        arena_free(arena);
        return cli_fail(c, CLI_INPUT);
    }
    is.db = cli_open_register(c, &status);
    for (int i = 0; is.db && i < c->arg_count; i++) {
        int one = issue_letter(&is, c->args[i]);
        if (status == CLI_OK)
            status = one;
    }
    register_close(is.db);
    font_set_free(is.archived_fonts);
    for (size_t i = 0; i < is.blob_count; i++)
        free(is.blobs[i].path);
    free(is.blobs);
    pthread_mutex_destroy(&is.blob_lock);
    arena_free(arena);
    return status;
}
