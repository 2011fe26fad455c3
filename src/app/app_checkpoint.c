/* app_checkpoint.c — owns signed register checkpoints: after each entry
 * an issue appends, the register's head (the entry's number and hash) is
 * signed with the key of the organisation [signing] register_key names,
 * and kept as checkpoints/NNNNNN.cms in the archive (journaled with the
 * letter's files, so a failed issue leaves none). register verify checks
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

char *app_checkpoint_path(struct arena *arena, long long id)
{
    return arena_printf(arena, "%s/%06lld.cms", APP_CHECKPOINTS, id);
}

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

int app_checkpoint_write(struct register_db *db, const struct sign_key *key,
                         const struct register_entry *e, const char *relative,
                         struct errors *errors)
{
    char *dir = register_path(db, APP_CHECKPOINTS);
    int status = archive_mkdirs(dir, errors);
    free(dir);
    struct buffer der = {0};
    if (status == 0)
        status = sign_checkpoint(key, e->id, e->hash, &der, "register checkpoint", errors);
    if (status == 0)
        status = register_files_write(db, relative, der.data, der.len, errors);
    if (status == 0)
        status = register_files_install(db, errors);
    buffer_free(&der);
    return status;
}

/* The entry numbered id's hash, from the chain in order. */
static const char *hash_of(struct register_entry **entries, long count, long long id)
{
    return id >= 1 && id <= count && entries[id - 1]->id == id ? entries[id - 1]->hash : NULL;
}

static void check_one(struct register_db *db, const char *name, struct register_entry **entries,
                      long count, const char *trust, long long *last, long *problems,
                      struct errors *errors)
{
    char *relative = NULL;
    long long id = 0;
    char tail[8] = "";
    if (sscanf(name, "%6lld.%4s", &id, tail) != 2 || strcmp(tail, "cms") != 0 || id < 1)
        return; /* not missive's: left to register verify's orphans */
    size_t len = strlen(APP_CHECKPOINTS) + strlen(name) + 2;
    relative = xmalloc(len);
    snprintf(relative, len, "%s/%s", APP_CHECKPOINTS, name);
    char *path = register_path(db, relative);
    struct buffer der = {0};
    const char *hash = hash_of(entries, count, id);
    if (id > *last)
        *last = id;
    if (buffer_read_file(&der, path) != 0) {
        errors_add_at(errors, path, 0, 0, "cannot read the checkpoint: %s", strerror(errno));
        (*problems)++;
    } else if (!hash) {
        errors_add_at(errors, path, 0, 0,
                      "checkpoint %lld was signed when the register had %lld entries, but it has "
                      "%ld now: entries were cut off its end",
                      id, id, count);
        (*problems)++;
    } else if (!sign_checkpoint_verify((const unsigned char *)der.data, der.len, id, hash, trust,
                                       NULL)) {
        errors_add_at(errors, path, 0, 0,
                      "checkpoint %lld does not verify against entry %lld's hash %s: the chain "
                      "was rewritten (or the checkpoint is not signed by a trusted key)",
                      id, id, hash);
        (*problems)++;
    }
    buffer_free(&der);
    free(path);
    free(relative);
}

/* The signatures of every archived PDF that has some, against the trust
 * store: a signed letter in the archive must still be what was signed. */
static long check_signed_letters(struct register_db *db, struct register_entry **entries,
                                 long count, const char *trust, struct errors *errors)
{
    long problems = 0;
    for (long i = 0; i < count; i++) {
        for (size_t k = 0; k < entries[i]->file_count; k++) {
            const struct register_file *f = &entries[i]->files[k];
            if (strcmp(f->role, "pdf") != 0)
                continue;
            char *path = register_path(db, f->path);
            struct buffer pdf = {0};
            struct sign_report report = {0};
            if (buffer_read_file(&pdf, path) == 0 &&
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
            sign_report_clear(&report);
            buffer_free(&pdf);
            free(path);
        }
    }
    return problems;
}

long app_checkpoint_verify(struct register_db *db, const struct signing_settings *signing,
                           struct errors *errors)
{
    char *dir = register_path(db, APP_CHECKPOINTS);
    char **names = archive_names(dir);
    free(dir);
    long problems = 0;
    struct arena *arena = arena_new();
    struct register_entry **entries = NULL;
    struct register_filter all = {0};
    long count = register_list(db, arena, &all, &entries, errors);
    if (count > 0)
        problems += check_signed_letters(db, entries, count, signing->trust, errors);
    long long last = 0;
    for (size_t i = 0; count >= 0 && names && names[i]; i++)
        check_one(db, names[i], entries, count, signing->trust, &last, &problems, errors);
    /* With a register key every issue signs its head: the newest entries
     * since the last checkpoint are not vouched for (imports and voids
     * are not checkpointed, so only issued entries count). */
    if (signing->register_key && count > 0 && last < count &&
        strcmp(entries[count - 1]->event, "issue") == 0) {
        errors_add_at(errors, NULL, 0, 0,
                      "the newest entry (%ld) has no signed checkpoint: the last one signs entry "
                      "%lld",
                      count, last);
        problems++;
    }
    archive_names_free(names);
    arena_free(arena);
    return problems;
}
