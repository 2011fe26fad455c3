/* register_verify.c — checking the register against itself and the
 * archive: the hash chain and its recorded head, each number against its
 * reference and its scope's earlier numbers, the per-scope high-water
 * marks, every archived file, the fonts and images archived sources name,
 * every blob, voids, and orphan files. */
#include "archive.h"
#include "reference.h"
#include "register_internal.h"
#include "snapshot.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The highest number seen so far in one scope. */
struct scope_high {
    const char *scope;
    long long high;
};

struct verifier {
    struct register_db *db;
    struct arena *arena;
    struct errors *problems;
    long count;
    bool chain_whole;   /* every entry was read */
    long long expected; /* the next id */
    char head[65];
    struct register_entry **seen; /* every entry so far, for voids */
    size_t seen_count, seen_cap;
    struct scope_high *scopes;
    size_t scope_count, scope_cap;
};

static void entry_problem(struct verifier *v, const struct register_entry *e, const char *format,
                          ...) __attribute__((format(printf, 3, 4)));

static void entry_problem(struct verifier *v, const struct register_entry *e, const char *format,
                          ...)
{
    char what[512];
    va_list ap;
    va_start(ap, format);
    vsnprintf(what, sizeof what, format, ap);
    va_end(ap);
    errors_add_at(v->problems, v->db->path, 0, 0, "entry %lld (%s): %s", e->id, e->reference, what);
    v->count++;
}

/* An intact archived source must find every font and image it names
 * (their content is check_blobs' concern). */
static void check_source(struct verifier *v, const struct register_file *f)
{
    size_t before = v->problems->count;
    snapshot_free(register_read_source(v->db, f, register_stores_files(v->db), v->problems));
    v->count += (long)(v->problems->count - before);
}

static void check_file(struct verifier *v, const struct register_entry *e,
                       const struct register_file *f)
{
    bool inside = strncmp(f->path, ARCHIVE_LETTERS "/", sizeof ARCHIVE_LETTERS) == 0 &&
                  !strstr(f->path, "..");
    if (!inside) {
        entry_problem(v, e, "file path '%s' is outside the archive's letters/", f->path);
        return;
    }
    if (register_stores_files(v->db)) {
        struct buffer data = {0};
        size_t before = v->problems->count;
        if (register_read_file(v->db, f, &data, v->problems) == 0 && strcmp(f->role, "source") == 0)
            check_source(v, f);
        else
            v->count += (long)(v->problems->count - before);
        buffer_free(&data);
        return;
    }
    char *path = archive_join(v->db->dir, f->path);
    char hex[65];
    long long size = 0;
    if (archive_sha256_file(path, hex, &size) != 0) {
        errors_add_at(v->problems, path, 0, 0, "archived %s of %s (entry %lld) %s", f->role,
                      e->reference, e->id, errno == ENOENT ? "is missing" : "cannot be read");
        v->count++;
    } else if (strcmp(hex, f->sha256) != 0 || size != f->size) {
        errors_add_at(v->problems, path, 0, 0,
                      "archived %s of %s (entry %lld) has changed: SHA-256 %s, %lld bytes; the "
                      "register recorded %s, %lld bytes",
                      f->role, e->reference, e->id, hex, size, f->sha256, f->size);
        v->count++;
    } else if (strcmp(f->role, "source") == 0) {
        check_source(v, f);
    }
    free(path);
}

/* A void must follow the issue or import it voids, with the same number. */
static void check_void(struct verifier *v, const struct register_entry *e)
{
    for (size_t i = 0; i < v->seen_count; i++) {
        const struct register_entry *o = v->seen[i];
        if (strcmp(o->event, "void") != 0 && strcmp(o->reference, e->reference) == 0 &&
            strcmp(o->scope, e->scope) == 0 && o->seq == e->seq)
            return;
    }
    entry_problem(v, e, "voids a reference that no earlier entry records");
}

static const struct register_file *pdf_of(const struct register_entry *e)
{
    for (size_t i = 0; i < e->file_count; i++)
        if (strcmp(e->files[i].role, "pdf") == 0)
            return &e->files[i];
    return NULL;
}

/* Later signatures follow the issue or import they sign, never a void,
 * and their PDF is the one before it with updates appended: the bytes
 * issued (and each earlier signature) stay exactly as they were. */
static void check_sign(struct verifier *v, const struct register_entry *e)
{
    const struct register_file *before = NULL;
    bool found = false, voided = false;
    for (size_t i = 0; i < v->seen_count; i++) {
        const struct register_entry *o = v->seen[i];
        if (strcmp(o->reference, e->reference) != 0 || strcmp(o->scope, e->scope) != 0 ||
            o->seq != e->seq)
            continue;
        if (strcmp(o->event, "void") == 0)
            voided = true;
        else if (pdf_of(o))
            before = pdf_of(o);
        found = found || strcmp(o->event, "sign") != 0;
    }
    const struct register_file *now = pdf_of(e);
    if (!found || voided || !before || !now) {
        entry_problem(v, e, "adds signatures to %s",
                      !found   ? "a reference that no earlier entry records"
                      : voided ? "a letter that was voided before"
                               : "a letter without an archived PDF");
        return;
    }
    struct buffer a = {0}, b = {0};
    struct errors unread = {0}; /* a missing or changed file is check_file's to tell */
    if (register_read_file(v->db, before, &a, &unread) == 0 &&
        register_read_file(v->db, now, &b, &unread) == 0 &&
        (b.len <= a.len || memcmp(a.data, b.data, a.len) != 0))
        entry_problem(v, e,
                      "its PDF %s does not begin with the PDF it signs (%s): the letter as "
                      "issued was changed",
                      now->path, before->path);
    errors_clear(&unread);
    buffer_free(&a);
    buffer_free(&b);
}

static struct scope_high *scope_of(struct verifier *v, const char *scope)
{
    for (size_t i = 0; i < v->scope_count; i++)
        if (strcmp(v->scopes[i].scope, scope) == 0)
            return &v->scopes[i];
    v->scopes = arena_grow(v->arena, v->scopes, v->scope_count, &v->scope_cap, sizeof *v->scopes);
    v->scopes[v->scope_count] = (struct scope_high){scope, 0};
    return &v->scopes[v->scope_count++];
}

/* A number missive allocated is one above its scope's highest before it,
 * and the number its reference prints. */
static void check_number(struct verifier *v, const struct register_entry *e)
{
    struct scope_high *s = scope_of(v, e->scope);
    bool issued = strcmp(e->event, "issue") == 0;
    if (issued && e->seq != s->high + 1)
        entry_problem(v, e,
                      "number %lld is not one above the highest its scope held before (%lld): "
                      "numbers were skipped or given twice",
                      e->seq, s->high);
    if (e->seq > s->high)
        s->high = e->seq;
    if (v->db->pattern && strcmp(e->event, "void") != 0) {
        /* A reference the pattern in use cannot read is from an earlier
         * pattern: not this check's concern. */
        struct errors scratch = {0};
        struct reference_fields parsed;
        if (reference_parse(v->arena, v->db->pattern, e->reference, (struct source_loc){0}, &parsed,
                            &scratch) &&
            parsed.seq != e->seq)
            entry_problem(v, e,
                          "its sequence number %lld is not the number its reference prints (%ld)",
                          e->seq, parsed.seq);
        errors_clear(&scratch);
    }
}

static int check_entry(void *context, struct register_entry *e)
{
    struct verifier *v = context;
    if (e->id == v->expected + 1) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "entry %lld is missing (deleted from the register)", v->expected);
        v->count++;
    } else if (e->id != v->expected) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "entries %lld to %lld are missing (deleted from the register)", v->expected,
                      e->id - 1);
        v->count++;
    }
    char hex[65];
    register_entry_hash(e, hex);
    if (!e->prev_hash || strcmp(e->prev_hash, v->head) != 0)
        entry_problem(v, e,
                      "its link to the entry before is broken (an earlier entry was edited, "
                      "deleted or reordered)");
    if (!e->hash || strcmp(hex, e->hash) != 0)
        entry_problem(v, e, "its content does not match its hash (the entry was edited)");
    if (strcmp(e->event, "void") == 0)
        check_void(v, e);
    else if (strcmp(e->event, "sign") == 0)
        check_sign(v, e);
    check_number(v, e);
    for (size_t i = 0; i < e->file_count; i++)
        check_file(v, e, &e->files[i]);
    snprintf(v->head, 65, "%s", e->hash ? e->hash : "");
    v->expected = e->id + 1;
    v->seen = arena_grow(v->arena, v->seen, v->seen_count, &v->seen_cap, sizeof *v->seen);
    v->seen[v->seen_count++] = e;
    return 0;
}

/* Walks the chain; returns the last entry id and fills head. A database
 * failure is a problem too: what it hid was not checked. */
static long long check_chain(struct verifier *v, char head[65])
{
    v->expected = 1;
    strcpy(v->head, REGISTER_ZERO_HASH);
    v->chain_whole = register_each(v->db, v->arena, check_entry, v, v->problems) == 0;
    if (!v->chain_whole)
        v->count++;
    memcpy(head, v->head, 65);
    return v->expected - 1;
}

struct texts {
    char *a, *b;
    bool found;
};

static int take_texts(void *context, const char *const *values, int count)
{
    struct texts *t = context;
    t->found = true;
    t->a = values[0] ? xstrdup(values[0]) : NULL;
    t->b = count > 1 && values[1] ? xstrdup(values[1]) : NULL;
    return 0;
}

/* The head recorded at each append catches entries cut off the end. */
static void check_head(struct verifier *v, long long last, const char *head)
{
    struct texts t = {0};
    if (register_query(v->db,
                       "SELECT (SELECT value FROM meta WHERE key = 'head_count'),"
                       " (SELECT value FROM meta WHERE key = 'head_hash')",
                       0, NULL, take_texts, &t, v->problems) != 0 ||
        !t.found) {
        v->count++;
        return;
    }
    char text[32];
    if (!t.a || !t.b || strcmp(t.a, register_num(text, last)) != 0 || strcmp(t.b, head) != 0) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "the register's head records %s entries ending in %.12s..., but the chain "
                      "has %lld ending in %.12s... (entries deleted at the end, or the head "
                      "edited)",
                      t.a ? t.a : "no", t.b ? t.b : "nothing", last, head);
        v->count++;
    }
    free(t.a);
    free(t.b);
}

static int check_counter(void *context, const char *const *values, int count)
{
    struct verifier *v = context;
    (void)count;
    long long high = values[1] ? atoll(values[1]) : 0;
    const struct scope_high *s = values[0] ? scope_of(v, arena_strdup(v->arena, values[0])) : NULL;
    if (s && s->high != high) {
        errors_add_at(v->problems, v->db->path, 0, 0,
                      "the counter of scope '%s' has reached %lld but the highest number an "
                      "entry holds is %lld (%s)",
                      s->scope, high, s->high,
                      high > s->high ? "the entry holding it was deleted?"
                                     : "the counter was set back?");
        v->count++;
    }
    return 0;
}

/* Each scope's high-water mark must be its highest number: a higher mark
 * is what an entry deleted from the middle leaves behind. */
static void check_counters(struct verifier *v)
{
    if (register_query(v->db, "SELECT scope, high FROM counters ORDER BY scope", 0, NULL,
                       check_counter, v, v->problems) != 0)
        v->count++;
}

static void orphan(struct verifier *v, const char *path, const char *why)
{
    errors_add_at(v->problems, path, 0, 0, "%s", why);
    v->count++;
}

/* The names in dir; NULL when there is none or (a problem) it cannot be
 * read. */
static char **folder(struct verifier *v, const char *dir)
{
    char **names = archive_names(dir);
    if (!names && errno != ENOENT) {
        errors_add_at(v->problems, dir, 0, 0, "cannot read folder: %s", strerror(errno));
        v->count++;
    }
    return names;
}

static bool recorded(struct verifier *v, const char *relative)
{
    for (size_t i = 0; i < v->seen_count; i++)
        for (size_t k = 0; k < v->seen[i]->file_count; k++)
            if (strcmp(v->seen[i]->files[k].path, relative) == 0)
                return true;
    return false;
}

static void check_letters(struct verifier *v)
{
    char *dir = archive_join(v->db->dir, ARCHIVE_LETTERS);
    char **names = folder(v, dir);
    for (size_t i = 0; names && names[i]; i++) {
        char *relative = archive_join(ARCHIVE_LETTERS, names[i]);
        if (!recorded(v, relative)) {
            char *path = archive_join(v->db->dir, relative);
            orphan(v, path,
                   "no entry records this file (an orphan: its entry was deleted, or the file "
                   "was put there by hand)");
            free(path);
        }
        free(relative);
    }
    archive_names_free(names);
    free(dir);
}

static bool is_sha256(const char *name)
{
    size_t n = strspn(name, "0123456789abcdef");
    return n == 64 && !name[n];
}

static void check_blobs(struct verifier *v)
{
    char *dir = archive_join(v->db->dir, ARCHIVE_BLOBS);
    char **names = folder(v, dir);
    for (size_t i = 0; names && names[i]; i++) {
        char *path = archive_join(dir, names[i]);
        char hex[65];
        if (!is_sha256(names[i]))
            orphan(v, path,
                   "missive did not make this file: copies of fonts and images are named by "
                   "their SHA-256 (an orphan: put there by hand?)");
        else if (archive_sha256_file(path, hex, NULL) != 0 || strcmp(hex, names[i]) != 0)
            orphan(v, path,
                   "font or image copy does not match its name (its SHA-256): it has changed");
        free(path);
    }
    archive_names_free(names);
    free(dir);
}

/* The archive folder holds the register (and SQLite's companions), the
 * pending journal, the lock holder's note, letters/ and blobs/: anything
 * else was put there. */
static void check_root(struct verifier *v)
{
    char **names = folder(v, v->db->dir);
    for (size_t i = 0; names && names[i]; i++) {
        const char *name = names[i];
        const char *known[] = {ARCHIVE_REGISTER,        ARCHIVE_REGISTER "-wal",
                               ARCHIVE_REGISTER "-shm", ARCHIVE_REGISTER "-journal",
                               ARCHIVE_PENDING,         ARCHIVE_HOLDER,
                               ARCHIVE_LETTERS,         ARCHIVE_BLOBS,
                               ARCHIVE_CHECKPOINTS};
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(name, known[k]) != 0)
            k++;
        if (k == sizeof known / sizeof *known) {
            char *path = archive_join(v->db->dir, name);
            orphan(v, path,
                   "missive did not make this file (an orphan in the archive folder: put there "
                   "by hand?)");
            free(path);
        }
    }
    archive_names_free(names);
}

long register_verify(struct register_db *db, long long *entries, char head[65],
                     struct errors *problems)
{
    struct verifier v = {.db = db, .arena = arena_new(), .problems = problems};
    *entries = check_chain(&v, head);
    check_head(&v, *entries, head);
    if (v.chain_whole) /* else the highest numbers are unknown */
        check_counters(&v);
    if (!register_stores_files(db)) {
        if (v.chain_whole) /* else which files entries record is unknown */
            check_letters(&v);
        check_blobs(&v);
        check_root(&v);
    } else if (db->backend->check_blobs) {
        v.count += db->backend->check_blobs(db, problems);
    }
    arena_free(v.arena);
    return v.count;
}
