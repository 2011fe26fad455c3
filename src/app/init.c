/* init.c — `missive init`: copies the installed skeleton and templates into
 * a new workspace, all or nothing. */
#include "init.h"

#include "arena.h"
#include "buffer.h"
#include "datadir.h"
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The files to copy: source in the data folder, destination relative to
 * the workspace, and whether the skeleton's placeholders are filled in. */
struct plan {
    char **from, **to;
    bool *fill;
    size_t count;
};

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = xmalloc(n);
    snprintf(s, n, "%s%s%s", a, *a ? "/" : "", b);
    return s;
}

static void plan_add(struct plan *p, char *from, char *to, bool fill)
{
    p->from = xrealloc(p->from, (p->count + 1) * sizeof *p->from);
    p->to = xrealloc(p->to, (p->count + 1) * sizeof *p->to);
    p->fill = xrealloc(p->fill, (p->count + 1) * sizeof *p->fill);
    p->from[p->count] = from;
    p->to[p->count] = to;
    p->fill[p->count++] = fill;
}

static void plan_free(struct plan *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->from[i]);
        free(p->to[i]);
    }
    free(p->from);
    free(p->to);
    free(p->fill);
}

static int skip_dots(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Every file under from (sorted, hidden ones left out) as to/... */
static int plan_tree(struct plan *p, const char *from, const char *to, bool fill,
                     struct errors *errors)
{
    struct dirent **names;
    int n = scandir(from, &names, skip_dots, alphasort);
    if (n < 0) {
        errors_add_at(errors, from, 0, 0, "cannot read the installed data: %s", strerror(errno));
        return -1;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char *src = join(from, names[i]->d_name), *dst = join(to, names[i]->d_name);
        struct stat st;
        if (status == 0 && stat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
            status = plan_tree(p, src, dst, fill, errors);
            free(src);
            free(dst);
        } else {
            plan_add(p, src, dst, fill);
        }
        free(names[i]);
    }
    free(names);
    return status;
}

/* ';', '#' and quotes would need quoting in missive.ini; control
 * characters and outer spaces have no place in a reference. */
static bool valid_organisation(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == ' ' || s[n - 1] == ' ')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || strchr(";#\"'\\{}", *s))
            return false;
    return true;
}

static void replace_all(struct buffer *out, const char *text, const char *const pairs[][2],
                        size_t count)
{
    while (*text) {
        size_t k = 0;
        while (k < count && strncmp(text, pairs[k][0], strlen(pairs[k][0])) != 0)
            k++;
        if (k < count) {
            buffer_puts(out, pairs[k][1]);
            text += strlen(pairs[k][0]);
        } else {
            buffer_putc(out, *text++);
        }
    }
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Folders made so far, removed again when a later step fails. */
struct made {
    char **dirs, **files;
    size_t dir_count, file_count;
};

static void made_push(char ***list, size_t *count, const char *path)
{
    *list = xrealloc(*list, (*count + 1) * sizeof **list);
    (*list)[(*count)++] = xstrdup(path);
}

static void made_undo(struct made *m, bool remove)
{
    for (size_t i = m->file_count; i-- > 0;) {
        if (remove)
            unlink(m->files[i]);
        free(m->files[i]);
    }
    for (size_t i = m->dir_count; i-- > 0;) {
        if (remove)
            rmdir(m->dirs[i]);
        free(m->dirs[i]);
    }
    free(m->files);
    free(m->dirs);
}

/* Makes every missing folder of path's parents, recording them. */
static int make_parents(struct made *m, const char *path, struct errors *errors)
{
    char *copy = xstrdup(path);
    int status = 0;
    for (char *slash = strchr(copy + 1, '/'); slash && status == 0;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (!exists(copy)) {
            if (mkdir(copy, 0777) == 0)
                made_push(&m->dirs, &m->dir_count, copy);
            else {
                errors_add_at(errors, copy, 0, 0, "cannot create folder: %s", strerror(errno));
                status = -1;
            }
        }
        *slash = '/';
    }
    free(copy);
    return status;
}

static int write_one(struct made *m, const char *from, const char *to, bool fill,
                     const struct init_options *o, struct errors *errors)
{
    struct buffer in = {0}, out = {0};
    if (buffer_read_file(&in, from) != 0) {
        errors_add_at(errors, from, 0, 0, "cannot read the installed data: %s", strerror(errno));
        return -1;
    }
    const char *const pairs[][2] = {{"@ORGANISATION@", o->organisation}, {"@DATE@", o->date}};
    if (fill)
        replace_all(&out, in.data, pairs, 2);
    else
        buffer_append(&out, in.data, in.len);
    int status = make_parents(m, to, errors);
    char *temp = status == 0 ? output_write_temp(to, out.data, out.len, 0666, errors) : NULL;
    if (!temp)
        status = -1;
    else if (output_install(temp, to, errors) != 0) {
        unlink(temp);
        status = -1;
    } else
        made_push(&m->files, &m->file_count, to);
    free(temp);
    buffer_free(&in);
    buffer_free(&out);
    return status;
}

static bool folder_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    const struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

static int check_target(const struct init_options *o, struct errors *errors)
{
    struct stat st;
    if (stat(o->dir, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode)) {
        errors_add_at(errors, o->dir, 0, 0, "not a folder");
        return -1;
    }
    if (!o->force && !folder_is_empty(o->dir)) {
        errors_add_at(errors, o->dir, 0, 0,
                      "the folder is not empty (--force adds the workspace's files to it, "
                      "keeping every file already there)");
        return -1;
    }
    return 0;
}

int init_workspace(const struct init_options *o, struct init_result *r, struct errors *errors)
{
    *r = (struct init_result){0};
    if (!valid_organisation(o->organisation)) {
        errors_add_at(errors, NULL, 0, 0,
                      "--organisation '%s' cannot be a reference prefix (1 to 64 characters, "
                      "no spaces at the ends, none of ; # \" ' \\ { } or control characters)",
                      o->organisation);
        return INIT_REFUSED;
    }
    char *skeleton = datadir_find("skeleton"), *templates = datadir_find("templates");
    struct plan plan = {0};
    int status = 0;
    if (!skeleton || !templates) {
        errors_add_at(errors, NULL, 0, 0,
                      "missive's installed data (the skeleton of a workspace and the templates) "
                      "was not found; install missive with `meson install`");
        status = -1;
    }
    if (status == 0)
        status = plan_tree(&plan, skeleton, "", true, errors);
    if (status == 0)
        status = plan_tree(&plan, templates, "templates", false, errors);
    if (status == 0)
        status = check_target(o, errors);
    if (status != 0) {
        plan_free(&plan);
        free(skeleton);
        free(templates);
        return INIT_REFUSED;
    }
    struct made made = {0};
    if (!exists(o->dir)) {
        if (mkdir(o->dir, 0777) == 0)
            made_push(&made.dirs, &made.dir_count, o->dir);
        else {
            errors_add_at(errors, o->dir, 0, 0, "cannot create folder: %s", strerror(errno));
            status = -1;
        }
    }
    for (size_t i = 0; status == 0 && i < plan.count; i++) {
        char *to = join(o->dir, plan.to[i]);
        if (exists(to))
            made_push(&r->kept, &r->kept_count, plan.to[i]);
        else if ((status = write_one(&made, plan.from[i], to, plan.fill[i], o, errors)) == 0)
            made_push(&r->written, &r->written_count, plan.to[i]);
        free(to);
    }
    made_undo(&made, status != 0);
    if (status != 0)
        init_result_clear(r);
    plan_free(&plan);
    free(skeleton);
    free(templates);
    return status == 0 ? 0 : INIT_WRITE_FAILED;
}

void init_result_clear(struct init_result *r)
{
    for (size_t i = 0; i < r->written_count; i++)
        free(r->written[i]);
    for (size_t i = 0; i < r->kept_count; i++)
        free(r->kept[i]);
    free(r->written);
    free(r->kept);
    *r = (struct init_result){0};
}
