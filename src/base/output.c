/* output.c — safe names and atomic multi-file writes, one letter's or a
 * whole batch's. */
#define _GNU_SOURCE /* copy_file_range, linkat */
#include "output.h"

#include "arena.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

char *output_safe_name(const char *text)
{
    size_t n = strlen(text);
    char *name = xmalloc(n + 8);
    size_t len = 0;
    bool dash = false;
    for (size_t i = 0; i < n && len < 120; i++) {
        char c = text[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
        if (keep && !(len == 0 && (c == '.' || c == '-'))) {
            name[len++] = c;
            dash = (c == '-');
        } else if (!keep && len > 0 && !dash) {
            name[len++] = '-';
            dash = true;
        }
    }
    while (len > 0 && name[len - 1] == '-')
        len--;
    if (len == 0) {
        strcpy(name, "letter");
        return name;
    }
    name[len] = '\0';
    return name;
}

static int write_fully(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

const char *output_spool_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

int output_spool_open(struct errors *errors)
{
    const char *dir = output_spool_dir();
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        goto done;
#endif
    char path[4096];
    fd = -1;
    if (snprintf(path, sizeof path, "%s/missive-spool-XXXXXX", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
    } else {
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
done:
    if (fd < 0)
        errors_add_at(errors, NULL, 0, 0, "cannot make a temporary file in %s: %s", dir,
                      strerror(errno));
    return fd;
}

int output_spool_write(int fd, const void *data, size_t len)
{
    return write_fully(fd, data, len);
}

/* What output_write_temp puts between the final name and ".tmp", before
 * mkstemps' six letters and digits: the archive's recovery removes only
 * such names. */
#define TEMP_MARK ".missive-"
#define TEMP_SUFFIX ".tmp"

bool output_is_temp(const char *name)
{
    const char *mark = strstr(name, TEMP_MARK);
    if (!mark || mark == name || strchr(name, '/'))
        return false;
    const char *x = mark + strlen(TEMP_MARK);
    for (int i = 0; i < 6; i++)
        if (!isalnum((unsigned char)x[i]))
            return false;
    return strcmp(x + 6, TEMP_SUFFIX) == 0;
}

/* output_write_temp, flushed to disk only when durable. */
/* Copies file descriptor from's bytes (from its start) to fd, in the
 * kernel where it can. */
static int copy_fully(int fd, int from)
{
    off_t in = 0;
    for (;;) {
        ssize_t n = copy_file_range(from, &in, fd, NULL, 1 << 30, 0);
        if (n == 0)
            return 0;
        if (n > 0)
            continue;
        if (errno == EINTR)
            continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            return -1;
        break; /* not between these files: by hand */
    }
    char chunk[1 << 16];
    for (;;) {
        ssize_t n = pread(from, chunk, sizeof chunk, in);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -1 : 0;
        if (write_fully(fd, chunk, (size_t)n) != 0)
            return -1;
        in += n;
    }
}

/* write_temp's bytes: data, or when from >= 0 that file's. */
static char *write_temp_from(const char *final_path, const void *data, size_t len, int from,
                             mode_t mode, bool durable, struct errors *errors);

static char *write_temp(const char *final_path, const void *data, size_t len, mode_t mode,
                        bool durable, struct errors *errors)
{
    return write_temp_from(final_path, data, len, -1, mode, durable, errors);
}

/* Gives the temporary file from (made with O_TMPFILE, on tmp's file
 * system) the name tmp, which mkstemps made for it and which has just been
 * removed, instead of copying its bytes: a petition's PDF and text are then
 * written once, not twice, and their pages are not allocated again. The
 * file takes the group a file made in the folder has (made.st_gid: a
 * setgid folder's), as the copy would. False when it cannot be done; the
 * bytes are then copied. */
static bool link_temp(int from, const char *tmp, mode_t mode, const struct stat *made)
{
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", from);
    struct stat st;
    return fstat(from, &st) == 0 &&
           (st.st_gid == made->st_gid || fchown(from, (uid_t)-1, made->st_gid) == 0) &&
           fchmod(from, mode) == 0 && linkat(AT_FDCWD, self, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0;
}

static char *write_temp_from(const char *final_path, const void *data, size_t len, int from,
                             mode_t mode, bool durable, struct errors *errors)
{
    size_t n = strlen(final_path) + sizeof TEMP_MARK + sizeof TEMP_SUFFIX + 6;
    char *tmp = xmalloc(n);
    snprintf(tmp, n, "%s" TEMP_MARK "XXXXXX" TEMP_SUFFIX, final_path);
    int fd = mkstemps(tmp, (int)strlen(TEMP_SUFFIX));
    /* Where the name cannot be removed, fd stays open and the bytes are
     * copied through it (removed on failure as any temporary file). */
    struct stat made;
    if (fd >= 0 && from >= 0 && !durable && fstat(fd, &made) == 0 && unlink(tmp) == 0) {
        close(fd);
        if (link_temp(from, tmp, mode, &made))
            return tmp;
        /* Not there (another file system, no O_TMPFILE, no /proc): the
         * name again, for the copy. */
        fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
        errors_add_at(errors, final_path, 0, 0, "cannot create file: %s", strerror(errno));
        free(tmp);
        return NULL;
    }
    int status =
        fchmod(fd, mode) == 0 &&
                (from >= 0 ? copy_fully(fd, from) : write_fully(fd, data ? data : "", len)) == 0 &&
                (!durable || fsync(fd) == 0)
            ? 0
            : -1;
    int saved = errno;
    if (close(fd) != 0 && status == 0) {
        status = -1;
        saved = errno;
    }
    if (status != 0) {
        errors_add_at(errors, final_path, 0, 0, "cannot write file: %s", strerror(saved));
        unlink(tmp);
        free(tmp);
        return NULL;
    }
    return tmp;
}

char *output_write_temp(const char *final_path, const void *data, size_t len, mode_t mode,
                        struct errors *errors)
{
    return write_temp(final_path, data, len, mode, true, errors);
}

int output_sync_parent(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int status = fsync(fd);
    close(fd);
    return status;
}

int output_install(const char *temp, const char *final, struct errors *errors)
{
    if (rename(temp, final) != 0 || output_sync_parent(final) != 0) {
        errors_add_at(errors, final, 0, 0, "cannot write file: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* output_holds for an open file descriptor (or -1). */
static bool holds_fd(int fd, const char *data, size_t len)
{
    if (fd < 0)
        return false;
    struct stat st;
    bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
    char chunk[16384];
    for (size_t at = 0; same && at < len;) {
        size_t want = len - at < sizeof chunk ? len - at : sizeof chunk;
        ssize_t n = read(fd, chunk, want);
        if (n < 0 && errno == EINTR)
            continue;
        same = n > 0 && memcmp(chunk, data + at, (size_t)n) == 0;
        at += n > 0 ? (size_t)n : 0;
    }
    close(fd);
    return same;
}

/* Non-blocking: a FIFO put where a draft goes must not stall us (the
 * S_ISREG check then turns it down). */
#define HOLDS_FLAGS (O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)

bool output_holds(const char *path, const char *data, size_t len)
{
    return holds_fd(open(path, HOLDS_FLAGS), data, len);
}

int output_write_all(const char *dir, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors)
{
    return output_write_all_from(dir, stem, files, NULL, count, errors);
}

int output_write_all_from(const char *dir, const char *stem, const struct output_file *files,
                          const int *fds, size_t count, struct errors *errors)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        errors_add_at(errors, dir, 0, 0, "cannot create output folder: %s", strerror(errno));
        return -1;
    }
    char **finals = xcalloc(count, sizeof *finals);
    char **temps = xcalloc(count, sizeof *temps);
    int status = 0;
    for (size_t i = 0; i < count && status == 0; i++) {
        size_t n = strlen(dir) + strlen(stem) + strlen(files[i].extension) + 3;
        finals[i] = xmalloc(n);
        snprintf(finals[i], n, "%s/%s.%s", dir, stem, files[i].extension);
        const struct buffer *c = files[i].content;
        if (fds && fds[i] >= 0) {
            temps[i] = write_temp_from(finals[i], NULL, 0, fds[i], 0644, false, errors);
        } else {
            if (output_holds(finals[i], c->data ? c->data : "", c->len))
                continue; /* the draft as it is already */
            temps[i] = write_temp(finals[i], c->data, c->len, 0644, false, errors);
        }
        if (!temps[i])
            status = -1;
    }
    /* Renames happen only once every temporary is complete on disk. */
    for (size_t i = 0; i < count && status == 0; i++) {
        if (!temps[i])
            continue;
        if (rename(temps[i], finals[i]) != 0) {
            errors_add_at(errors, finals[i], 0, 0, "cannot write file: %s", strerror(errno));
            status = -1;
        } else {
            free(temps[i]);
            temps[i] = NULL;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (temps[i])
            unlink(temps[i]);
        free(temps[i]);
        free(finals[i]);
    }
    free(finals);
    free(temps);
    return status;
}

/* ---- batches ---- */

struct output_batch {
    char *dir;
    char *temp_dir; /* dir/.missive-XXXXXX, holding the batch until commit */
    /* Both folders open: each file is then one name to look up, not its
     * whole path (a campaign's thousands of lookups in a large dentry
     * cache were a tenth of its time). */
    int dir_fd, temp_fd;
    /* The names dir held when the batch began, sorted: a draft not among
     * them cannot be one made before, so it is written without trying to
     * open the old one first. */
    char **names;
    size_t name_count;
};

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in the folder dir_fd into b->names; false if it cannot
 * be read (every name then counts as possibly there). */
static bool read_names(struct output_batch *b)
{
    int fd = dup(b->dir_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    size_t capacity = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue; /* no draft's name starts with a dot */
        if (b->name_count == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            b->names = xrealloc(b->names, capacity * sizeof *b->names);
        }
        b->names[b->name_count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (b->name_count > 1)
        qsort(b->names, b->name_count, sizeof *b->names, compare_names);
    return true;
}

/* Whether name may be in dir already. */
static bool maybe_there(const struct output_batch *b, const char *name)
{
    return !b->names || (b->name_count > 0 && bsearch(&name, b->names, b->name_count,
                                                      sizeof *b->names, compare_names) != NULL);
}

struct output_batch *output_batch_open(const char *dir, struct errors *errors)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        errors_add_at(errors, dir, 0, 0, "cannot create output folder: %s", strerror(errno));
        return NULL;
    }
    size_t n = strlen(dir) + 32;
    char *temp = xmalloc(n);
    snprintf(temp, n, "%s/.missive-XXXXXX", dir);
    if (!mkdtemp(temp)) {
        errors_add_at(errors, dir, 0, 0, "cannot write in the output folder: %s", strerror(errno));
        free(temp);
        return NULL;
    }
    struct output_batch *b = xcalloc(1, sizeof *b);
    b->dir = xstrdup(dir);
    b->temp_dir = temp;
    b->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    b->temp_fd = open(temp, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (b->dir_fd < 0 || b->temp_fd < 0) {
        errors_add_at(errors, dir, 0, 0, "cannot write in the output folder: %s", strerror(errno));
        output_batch_free(b);
        return NULL;
    }
    if (!read_names(b)) {
        free(b->names);
        b->names = NULL;
        b->name_count = 0;
    } else if (!b->names) {
        b->names = xmalloc(sizeof *b->names); /* an empty folder: nothing there */
    }
    return b;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    return path;
}

int output_batch_add(struct output_batch *b, const char *stem, const struct output_file *files,
                     size_t count, struct errors *errors)
{
    for (size_t i = 0; i < count; i++) {
        char name[512];
        int n = snprintf(name, sizeof name, "%s.%s", stem, files[i].extension);
        if (n < 0 || (size_t)n >= sizeof name) {
            errors_add_at(errors, b->dir, 0, 0, "cannot write file %s.%s: the name is too long",
                          stem, files[i].extension);
            return -1;
        }
        const struct buffer *c = files[i].content;
        const char *data = c->data ? c->data : "";
        if (maybe_there(b, name) && holds_fd(openat(b->dir_fd, name, HOLDS_FLAGS), data, c->len))
            continue; /* the draft as it is already: nothing to move at commit */
        int fd = openat(b->temp_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        bool ok = fd >= 0 && write_fully(fd, data, c->len) == 0;
        ok = (fd >= 0 && close(fd) == 0) && ok;
        if (!ok) {
            /* Report the final name: the temporary folder is ours alone. */
            char *final = join(b->dir, name);
            errors_add_at(errors, final, 0, 0, "cannot write file: %s", strerror(errno));
            free(final);
            return -1;
        }
    }
    return 0;
}

/* Calls each(batch, name) for every file in the batch's folder until one
 * fails; returns how many it was called for, or -1. Entries taken out of
 * a folder while it is read may make readdir skip others, so callers that
 * move files out repeat until nothing is left. */
static long each_file(struct output_batch *b,
                      int (*each)(struct output_batch *, const char *, struct errors *),
                      struct errors *errors)
{
    DIR *d = opendir(b->temp_dir);
    if (!d) {
        errors_add_at(errors, b->dir, 0, 0, "cannot read the output folder: %s", strerror(errno));
        return -1;
    }
    long count = 0;
    for (struct dirent *e = readdir(d); e && count >= 0; e = readdir(d))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            count = each(b, e->d_name, errors) == 0 ? count + 1 : -1;
    closedir(d);
    return count;
}

/* each_file until the folder is empty; 0, or -1 after a failure. */
static int empty_folder(struct output_batch *b,
                        int (*each)(struct output_batch *, const char *, struct errors *),
                        struct errors *errors)
{
    long moved;
    while ((moved = each_file(b, each, errors)) > 0)
        continue;
    return moved < 0 ? -1 : 0;
}

static int move_into_place(struct output_batch *b, const char *name, struct errors *errors)
{
    int status = renameat(b->temp_fd, name, b->dir_fd, name);
    if (status != 0) {
        char *to = join(b->dir, name);
        errors_add_at(errors, to, 0, 0, "cannot write file: %s", strerror(errno));
        free(to);
    }
    return status;
}

static int remove_file(struct output_batch *b, const char *name, struct errors *errors)
{
    (void)errors;
    return unlinkat(b->temp_fd, name, 0);
}

int output_batch_commit(struct output_batch *b, struct errors *errors)
{
    return empty_folder(b, move_into_place, errors);
}

void output_batch_free(struct output_batch *b)
{
    if (!b)
        return;
    struct errors ignored = {0};
    if (b->temp_fd >= 0)
        empty_folder(b, remove_file, &ignored);
    errors_clear(&ignored);
    rmdir(b->temp_dir);
    if (b->temp_fd >= 0)
        close(b->temp_fd);
    if (b->dir_fd >= 0)
        close(b->dir_fd);
    for (size_t i = 0; i < b->name_count; i++)
        free(b->names[i]);
    free(b->names);
    free(b->temp_dir);
    free(b->dir);
    free(b);
}
