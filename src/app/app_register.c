/* app_register.c — the register's questions and its one correction:
 * list, show, verify (under the lock, so that nothing being issued right
 * now looks like an orphan; a reader in a snapshot), void and migrate. */
#include "app_internal.h"

#include "app_checkpoint.h"
#include "sign.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

enum app_status app_register_list(struct app *app, const struct register_filter *filter,
                                  struct arena *arena, struct register_entry ***out, long *count,
                                  struct errors *errors)
{
    enum app_status status;
    struct register_db *db = app_register_reader(app, &status, errors);
    if (!db)
        return status;
    *count = register_list(db, arena, filter, out, errors);
    return *count < 0 ? APP_OUTPUT : APP_OK;
}

enum app_status app_register_show(struct app *app, const char *reference, struct arena *arena,
                                  struct register_entry **out, struct errors *errors)
{
    enum app_status status;
    struct register_db *db = app_register_reader(app, &status, errors);
    if (!db)
        return status;
    size_t before = errors->count;
    *out = register_find(db, arena, reference, errors);
    if (!*out && errors->count == before)
        errors_add_at(errors, NULL, 0, 0, "no reference '%s' in the register", reference);
    return *out ? APP_OK : APP_INPUT;
}

enum app_status app_register_file(struct app *app, const char *reference, const char *role,
                                  struct arena *arena, struct buffer *out, const char **name,
                                  struct errors *errors)
{
    struct register_entry *e = NULL;
    enum app_status status = app_register_show(app, reference, arena, &e, errors);
    if (status != APP_OK)
        return status;
    const struct register_file *f = NULL;
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, role) == 0)
            f = &e->files[i];
    if (f && e->signed_pdf && strcmp(role, "pdf") == 0)
        f = e->signed_pdf; /* signed later (missive sign): the letter as it is now */
    if (!f) {
        errors_add_at(errors, NULL, 0, 0, "%s has no archived file '%s'", reference, role);
        return APP_INPUT;
    }
    struct register_db *db = app_register_reader(app, &status, errors);
    if (!db)
        return status;
    if (register_read_file(db, f, out, errors) != 0)
        return APP_PROBLEMS;
    const char *slash = strrchr(f->path, '/');
    *name = arena_strdup(arena, slash ? slash + 1 : f->path);
    return APP_OK;
}

enum app_status app_register_verify(struct app *app, const struct app_events *events,
                                    struct app_verify *result, struct errors *errors)
{
    app->events = events;
    memset(result, 0, sizeof *result);
    enum app_status status;
    app->verifying = true;
    struct register_db *db = app_register(app, false, &status, errors);
    app->verifying = false;
    if (!db)
        return status;
    snprintf(result->where, sizeof result->where, "%s",
             register_stores_files(db) ? register_name(db) : register_archive_dir(db));
    /* The lock keeps issues out, so what lies in the archive without an
     * entry cannot be a letter being issued right now. A reader without
     * write permission, or of a shared register, checks a snapshot. */
    bool reading = register_is_read_only(db);
    if ((reading ? register_begin_read(db, errors) : register_begin(db, errors)) != 0)
        return APP_OUTPUT;
    size_t before = errors->count;
    if (!reading)
        app_report_recovered(app, events, register_recover(db, errors));
    /* A leftover that cannot be removed is one problem more. */
    result->problems = (long)(errors->count - before);
    result->problems += register_verify(db, &result->entries, result->head, errors);
    /* Checkpoints with the workspace's trust and register key, when a
     * workspace is at hand; with only an archive, their signatures. */
    struct errors ignored = {0};
    const struct settings *s =
        app->options.archive && !app->options.workspace ? NULL : app_settings(app, &ignored);
    errors_clear(&ignored);
    struct signing_settings none = {0};
    result->problems += app_checkpoint_verify(db, s ? &s->signing : &none, errors);
    register_rollback(db);
    return result->problems || errors->count > before ? APP_PROBLEMS : APP_OK;
}

enum app_status app_register_void(struct app *app, const char *reference, const char *reason,
                                  const struct app_events *events, struct errors *errors)
{
    app->events = events;
    enum app_status status;
    struct register_db *db = app_register(app, false, &status, errors);
    if (!db)
        return status;
    struct sign_key *key = NULL;
    if (app_checkpoint_load(app, &key, errors) != 0)
        return APP_INPUT;
    struct arena *arena = arena_new();
    char now[32];
    app_now(now);
    size_t before = errors->count;
    struct register_entry *voided = NULL;
    if (register_begin(db, errors) != 0) {
        status = APP_OUTPUT;
    } else {
        app_report_recovered(app, events, register_recover(db, errors));
        if (errors->count > before) {
            register_rollback(db);
            status = APP_OUTPUT;
        } else if (register_void(db, arena, reference, reason, now, &voided, errors) != 0) {
            register_rollback(db);
            status = APP_INPUT;
        } else if (key && app_checkpoint_write(db, key, voided, errors) != 0) {
            register_rollback(db);
            status = APP_OUTPUT; /* as issue says it: the register could not take it */
        } else if (register_commit(db, errors) != 0) {
            status = APP_OUTPUT;
        }
    }
    sign_key_free(key);
    arena_free(arena);
    return status;
}

enum app_status app_register_expect(const struct app_verify *v, const char *expect,
                                    struct errors *errors)
{
    long long count = 0;
    char hash[65] = "";
    int used = 0;
    if (sscanf(expect, "%lld:%64[0-9a-f]%n", &count, hash, &used) != 2 || expect[used] != '\0' ||
        strlen(hash) != 64) {
        errors_add_at(errors, NULL, 0, 0,
                      "--expect '%s' is not COUNT:HASH (a number of entries and the head's "
                      "64-digit SHA-256, as register verify prints them)",
                      expect);
        return APP_USAGE;
    }
    if (count != v->entries || strcmp(hash, v->head) != 0) {
        errors_add_at(errors, NULL, 0, 0,
                      "the register is not the one published: it has %lld entries and head %s, "
                      "the published head is %lld entries and %s",
                      v->entries, v->head, count, hash);
        return APP_PROBLEMS;
    }
    return APP_OK;
}

enum app_status app_register_migrate(struct app *app, const char *to, struct app_migrate *result,
                                     struct errors *errors)
{
    enum app_status status;
    struct register_db *src = app_register_reader(app, &status, errors);
    if (!src)
        return status;
    struct register_options o = {.url = to, .lock_ms = 120000, .note_ms = 3000};
    struct register_db *dst = register_open_with(register_archive_dir(src), &o, errors);
    long long copied = dst ? register_migrate(src, dst, errors) : -1;
    status = copied >= 0 ? APP_OK : copied == -2 ? APP_INPUT : dst ? APP_PROBLEMS : APP_OUTPUT;
    result->copied = copied;
    snprintf(result->target, sizeof result->target, "%s", dst ? register_name(dst) : to);
    register_close(dst);
    return status;
}
