/* app.c — the opened application: finding and loading the workspace and
 * opening the register when a command first needs them, the one clock,
 * notes and progress passed to the caller. */
#include "app_internal.h"

#include "archive.h"
#include "reference.h"
#include "font.h"
#include "path.h"

#include <limits.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Other writers hold the lock for one letter or batch at a time; two
 * minutes covers hundreds of letters queued before us. */
#define BUSY_MS 120000

struct app *app_open(const struct app_options *options)
{
    struct app *app = xcalloc(1, sizeof *app);
    app->options = *options;
    pthread_mutex_init(&app->lock, NULL);
    return app;
}

void app_close(struct app *app)
{
    if (!app)
        return;
    register_close(app->db);
    arena_free(app->arena);
    pipeline_free(app->pipeline);
    font_set_free(app->archived_fonts);
    for (size_t i = 0; i < app->blob_count; i++)
        free(app->blobs[i].path);
    free(app->blobs);
    for (size_t i = 0; i < app->name_count; i++) {
        free(app->names[i]);
        free(app->name_letters[i]);
    }
    free(app->names);
    free(app->name_letters);
    pthread_mutex_destroy(&app->lock);
    free(app->root);
    free(app);
}

/* The nearest folder holding missive.ini, from start (a letter or a
 * folder) upwards; "." when it is the current folder or none is found. */
static char *find_workspace(const char *start)
{
    char path[PATH_MAX], cwd[PATH_MAX];
    struct stat st;
    if (!path_real(start, path))
        return xstrdup(".");
    char *dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : dirname(path);
    for (;; dir = dirname(dir)) {
        char ini[PATH_MAX + 16];
        snprintf(ini, sizeof ini, "%s/missive.ini", dir);
        /* The current folder is named "." so that messages stay short. */
        if (stat(ini, &st) == 0)
            return xstrdup(getcwd(cwd, sizeof cwd) && strcmp(cwd, dir) == 0 ? "." : dir);
        if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0)
            return xstrdup(".");
    }
}

struct pipeline *app_pipeline(struct app *app, struct errors *errors)
{
    if (app->pipeline)
        return app->pipeline;
    if (!app->root)
        app->root = app->options.workspace
                        ? xstrdup(app->options.workspace)
                        : find_workspace(app->options.start ? app->options.start : ".");
    app->pipeline = pipeline_open(app->root, errors);
    return app->pipeline;
}

const struct workspace *app_workspace(struct app *app, struct errors *errors)
{
    struct pipeline *p = app_pipeline(app, errors);
    return p ? pipeline_workspace(p) : NULL;
}

const struct settings *app_settings(struct app *app, struct errors *errors)
{
    struct pipeline *p = app_pipeline(app, errors);
    return p ? &pipeline_workspace(p)->settings : NULL;
}

const char *app_archive_dir(struct app *app, struct errors *errors)
{
    if (app->options.archive)
        return app->options.archive;
    const struct settings *s = app_settings(app, errors);
    return s ? s->archive_dir : NULL;
}

/* How long a wait for the lock goes unexplained. */
#define NOTE_MS 3000

static void waiting(void *context, const char *holder)
{
    struct app *app = context;
    app_note(app->events, "waiting for the register, held by %s", holder);
}

/* The register's options from the workspace when there is one to hand
 * (-a alone means the archive's own SQLite file and the defaults). */
static int register_options(struct app *app, bool read_only, struct register_options *o,
                            struct errors *errors)
{
    *o = (struct register_options){
        .read_only = read_only, .lock_ms = BUSY_MS, .waiting = waiting, .context = app};
    const struct settings *s = NULL;
    if (app->pipeline || app->options.workspace || !app->options.archive) {
        s = app_settings(app, errors);
        if (!s)
            return -1;
    }
    if (s) {
        const struct reference_settings *r = &s->reference;
        o->url = s->register_db.url;
        o->lock_ms = s->register_db.lock_timeout_ms;
        o->office = s->office;
        if (!app->arena)
            app->arena = arena_new();
        struct errors ignored = {0}; /* the commands that number report them */
        o->pattern = reference_pattern_compile(app->arena, r->pattern, r->pattern_loc, r->scope,
                                               r->scope_loc, &ignored);
        errors_clear(&ignored);
    }
    /* A few seconds of silence, then say why nothing happens. */
    o->note_ms = o->lock_ms < 2 * NOTE_MS ? o->lock_ms / 2 : NOTE_MS;
    return 0;
}

static struct register_db *open_register(struct app *app, bool create, bool read_only,
                                         enum app_status *status, struct errors *errors)
{
    *status = APP_OK;
    if (app->db)
        return app->db;
    const char *dir = app_archive_dir(app, errors);
    struct register_options o;
    if (!dir || register_options(app, read_only, &o, errors) != 0) {
        *status = APP_INPUT;
        return NULL;
    }
    bool shared = o.url && o.url[0];
    char *path = archive_join(dir, ARCHIVE_REGISTER);
    struct stat st;
    bool exists = stat(path, &st) == 0;
    /* verify cleans up under the lock when it may write, else reads. */
    if (app->verifying)
        o.read_only = shared || access(path, W_OK) != 0 || access(dir, W_OK) != 0;
    free(path);
    if (!shared && !create && !exists) {
        errors_add_at(errors, dir, 0, 0,
                      "no register here (nothing has been issued into this archive)");
        *status = APP_INPUT;
        return NULL;
    }
    if (o.read_only || shared || archive_mkdirs(dir, errors) == 0)
        app->db = register_open_with(dir, &o, errors);
    *status = app->db ? APP_OK : APP_OUTPUT;
    return app->db;
}

struct register_db *app_register(struct app *app, bool create, enum app_status *status,
                                 struct errors *errors)
{
    return open_register(app, create, false, status, errors);
}

struct register_db *app_register_reader(struct app *app, enum app_status *status,
                                        struct errors *errors)
{
    return open_register(app, false, true, status, errors);
}

void app_now(char out[32])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void app_note(const struct app_events *events, const char *format, ...)
{
    if (!events || !events->note)
        return;
    char message[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(message, sizeof message, format, ap);
    va_end(ap);
    events->note(events->context, message);
}

void app_progress(const struct app_events *events, const char *what, size_t done, size_t total)
{
    if (events && events->progress)
        events->progress(events->context, what, done, total);
}

void app_report_recovered(struct app *app, const struct app_events *events, char **removed)
{
    const char *dir = register_archive_dir(app->db);
    for (size_t i = 0; removed && removed[i]; i++)
        app_note(events, "removed %s/%s, left by an interrupted issue", dir, removed[i]);
    register_strings_free(removed);
}

#ifdef MISSIVE_TEST_FAULTS
void app_fault(const char *point)
{
    const char *wanted = getenv("MISSIVE_FAULT");
    if (wanted && strcmp(wanted, point) == 0)
        raise(SIGKILL);
}

void app_fault_differs(struct buffer *pdf)
{
    const char *wanted = getenv("MISSIVE_FAULT");
    if (wanted && strcmp(wanted, "reprint-differs") == 0 && pdf->len > 100)
        pdf->data[pdf->len - 100] ^= 1;
}
#endif
