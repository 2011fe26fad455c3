/* app_checkpoint.c — owns signed register checkpoints: after each entry
 * an issue appends, the register's head (the entry's number and hash) is
 * signed with the key of the organisation [signing] register_key names
 * (after an import, its last entry's; after a void, the void's),
 * and kept in the register (register_checkpoint_put, in the issue's own
 * transaction, so a failed issue leaves none, on either backend). register verify checks
 * every checkpoint against the chain as it is now: a chain rewritten
 * consistently (every hash recomputed) no longer matches what was signed,
 * and a tail cut off with the head record fixed leaves checkpoints past
 * the end. Forging either needs the organisation's private key. */
#include "app_checkpoint.h"

#include "archive.h"
#include "keys.h"
#include "sign.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sign_key *app_checkpoint_key(const struct workspace *ws, struct errors *errors)
{
    const struct signing_settings *s = &ws->settings.signing;
    if (!s->register_key)
        return NULL;
    const struct value *org = value_map_get(ws->organisations, s->register_key);
    struct keys_entry entry;
    if (!org) {
        errors_add(errors, s->register_key_loc,
                   "register_key names '%s', which is not an organisation of organisations.ini",
                   s->register_key);
        return NULL;
    }
    if (!keys_entry(org, s->register_key, &entry)) {
        errors_add(errors, s->register_key_loc,
                   "register_key names '%s', which has no key in organisations.ini",
                   s->register_key);
        return NULL;
    }
    return sign_letter_load_key(ws, &entry, time(NULL), errors);
}

int app_checkpoint_load(struct app *app, struct sign_key **key, struct errors *errors)
{
    *key = NULL;
    size_t before = errors->count;
    const struct settings *settings = app_settings(app, errors);
    if (!settings || !settings->signing.register_key)
        return errors->count == before ? 0 : -1;
    const struct workspace *ws = app_workspace(app, errors);
    *key = ws ? app_checkpoint_key(ws, errors) : NULL;
    return *key ? 0 : -1;
}

int app_checkpoint_write(struct register_db *db, const struct sign_key *key,
                         const struct register_entry *e, struct errors *errors)
{
    struct buffer der = {0};
    int status = sign_checkpoint(key, e->id, e->hash, &der, "register checkpoint", errors);
    if (status == 0)
        status = register_checkpoint_put(db, e->id, der.data, der.len, errors);
    buffer_free(&der);
    return status;
}

/* The entry numbered id's hash, from the chain in order. */
static const char *hash_of(struct register_entry **entries, long count, long long id)
{
    return id >= 1 && id <= count && entries[id - 1]->id == id ? entries[id - 1]->hash : NULL;
}

static void check_one(struct register_db *db, const struct register_checkpoint *c,
                      struct register_entry **entries, long count, const char *trust,
                      long *problems, struct errors *errors)
{
    const char *hash = hash_of(entries, count, c->id);
    const char *where = register_name(db);
    if (!hash) {
        errors_add_at(errors, where, 0, 0,
                      "checkpoint %lld was signed when the register had %lld entries, but it has "
                      "%ld now: entries were cut off its end",
                      c->id, c->id, count);
        (*problems)++;
    } else if (!sign_checkpoint_verify(c->der, c->len, c->id, hash, trust, NULL)) {
        errors_add_at(errors, where, 0, 0,
                      "checkpoint %lld does not verify against entry %lld's hash %s: the chain "
                      "was rewritten (or the checkpoint is not signed by a trusted key)",
                      c->id, c->id, hash);
        (*problems)++;
    }
}

/* The signatures of every archived PDF that has some, against the trust
 * store: a signed letter in the archive must still be what was signed. */
static long check_signed_letters(struct register_db *db, struct arena *arena,
                                 struct register_entry **entries, long count, const char *trust,
                                 struct errors *errors)
{
    long problems = 0;
    for (long i = 0; i < count; i++) {
        for (size_t k = 0; k < entries[i]->file_count; k++) {
            const struct register_file *f = &entries[i]->files[k];
            if (strcmp(f->role, "pdf") != 0)
                continue;
            const char *path = arena_printf(
                arena, register_stores_files(db) ? "%s#%s" : "%s/%s",
                register_stores_files(db) ? register_name(db) : register_archive_dir(db), f->path);
            struct buffer pdf = {0};
            struct sign_report report = {0};
            struct errors unread = {0}; /* register_verify reports missing files */
            if (register_read_file(db, f, &pdf, &unread) == 0 &&
                sign_unsigned_length(pdf.data, pdf.len) < pdf.len &&
                sign_verify(pdf.data, pdf.len, path, trust, &report, errors) == 0) {
                for (size_t r = 0; r < report.count; r++) {
                    if (report.items[r].problem) {
                        errors_add_at(errors, path, 0, 0, "signature %zu (%s): %s", r + 1,
                                      report.items[r].signer, report.items[r].problem);
                        problems++;
                    }
                }
                if (report.count && !report.items[report.count - 1].whole_file) {
                    errors_add_at(errors, path, 0, 0, "bytes were added after the last signature");
                    problems++;
                }
            }
            errors_clear(&unread);
            sign_report_clear(&report);
            buffer_free(&pdf);
        }
    }
    return problems;
}

/* Every entry, voids too, so that entry id is at id - 1. */
struct chain {
    struct arena *arena;
    struct register_entry **list;
    size_t count, cap;
};

static int take_entry(void *context, struct register_entry *e)
{
    struct chain *c = context;
    c->list = arena_grow(c->arena, c->list, c->count, &c->cap, sizeof *c->list);
    c->list[c->count++] = e;
    return 0;
}

long app_checkpoint_verify(struct register_db *db, const struct signing_settings *signing,
                           struct errors *errors)
{
    long problems = 0;
    struct arena *arena = arena_new();
    struct chain chain = {.arena = arena};
    long count = register_each(db, arena, take_entry, &chain, errors) == 0 ? (long)chain.count : -1;
    struct register_entry **entries = chain.list;
    if (count > 0)
        problems += check_signed_letters(db, arena, entries, count, signing->trust, errors);
    struct register_checkpoint *checkpoints = NULL;
    long n = count >= 0 ? register_checkpoints(db, arena, &checkpoints, errors) : 0;
    if (n < 0)
        problems++;
    long long last = 0;
    for (long i = 0; i < n; i++) {
        check_one(db, &checkpoints[i], entries, count, signing->trust, &problems, errors);
        if (checkpoints[i].id > last)
            last = checkpoints[i].id;
    }
    /* With a register key every issue and sign signs its head: the
     * newest entries since the last checkpoint are not vouched for
     * (imports and voids are not checkpointed, so they do not count). */
    const char *newest = count > 0 ? entries[count - 1]->event : "";
    if (signing->register_key && last < count &&
        (strcmp(newest, "issue") == 0 || strcmp(newest, "sign") == 0)) {
        errors_add_at(errors, register_name(db), 0, 0,
                      "the newest entry (%ld) has no signed checkpoint: the last one signs entry "
                      "%lld",
                      count, last);
        problems++;
    }
    arena_free(arena);
    return problems;
}
