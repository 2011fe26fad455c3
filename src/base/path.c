/* path.c — containment and bounded reads (see path.h). Paths are resolved
 * with realpath, so a symlink counts where it points; the resolved file is
 * then the very file resolved (through the O_PATH descriptor that
 * resolved it, so a folder renamed meanwhile cannot redirect the read) is
 * checked to be a regular file and opened O_NONBLOCK (a FIFO neither
 * blocks nor is read), and checked again with fstat on the open
 * descriptor, so what is read is the regular file that was checked. */
#define _GNU_SOURCE /* O_PATH */
#include "path.h"

#include "arena.h"
#include "datadir.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_ROOTS = 32, MB = 1024 * 1024 };

static struct {
    bool set;
    char *roots[MAX_ROOTS];
    size_t root_count;
    struct path_limits limits;
} policy;

static struct path_limits *defaults_of(void)
{
    static struct path_limits d;
    return &d;
}

static void set_defaults(void)
{
    path_default_limits(defaults_of());
}

void path_default_limits(struct path_limits *limits)
{
    static const size_t defaults[PATH_KIND_COUNT] = {
        [PATH_NAMED_LETTER] = 16 * (size_t)MB, [PATH_NAMED_DATA] = 512 * (size_t)MB,
        [PATH_SETTINGS] = 16 * (size_t)MB,     [PATH_TEMPLATE] = 16 * (size_t)MB,
        [PATH_SIGNERS] = 512 * (size_t)MB,     [PATH_PEOPLE] = 64 * (size_t)MB,
        [PATH_IMAGE] = 64 * (size_t)MB,        [PATH_FONT] = 64 * (size_t)MB,
        [PATH_KEY] = 16 * (size_t)MB};
    memcpy(limits->max_size, defaults, sizeof defaults);
    limits->value_bytes = 64 * 1024;
    limits->word_bytes = 1000;
    limits->template_nodes = 200 * 1000;
}

const struct path_limits *path_limits(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (policy.set)
        return &policy.limits;
    pthread_once(&once, set_defaults);
    return defaults_of();
}

const char *path_limit_key(enum path_kind kind)
{
    switch (kind) {
    case PATH_SIGNERS:
    case PATH_NAMED_DATA:
        return "signers_mb";
    case PATH_PEOPLE:
        return "people_mb";
    case PATH_IMAGE:
    case PATH_FONT:
        return "binary_mb";
    default:
        return "file_mb";
    }
}

static const char *kind_name(enum path_kind kind)
{
    static const char *const names[PATH_KIND_COUNT] = {
        [PATH_NAMED_LETTER] = "a letter",  [PATH_NAMED_DATA] = "a data file",
        [PATH_SETTINGS] = "an INI file",   [PATH_TEMPLATE] = "a template",
        [PATH_SIGNERS] = "a signers file", [PATH_PEOPLE] = "a people file",
        [PATH_IMAGE] = "an image",         [PATH_FONT] = "a font file",
        [PATH_KEY] = "a key file"};
    return names[kind];
}

static bool contained(enum path_kind kind)
{
    return kind != PATH_NAMED_LETTER && kind != PATH_NAMED_DATA;
}

static void add_root(const char *base, const char *folder)
{
    char joined[PATH_MAX], real[PATH_MAX];
    if (folder[0] == '/' || !base)
        snprintf(joined, sizeof joined, "%s", folder);
    else
        snprintf(joined, sizeof joined, "%s/%s", base, folder);
    struct stat st;
    if (policy.root_count < MAX_ROOTS && path_real(joined, real) && stat(real, &st) == 0 &&
        S_ISDIR(st.st_mode))
        policy.roots[policy.root_count++] = xstrdup(real);
}

void path_policy_clear(void)
{
    for (size_t i = 0; i < policy.root_count; i++)
        free(policy.roots[i]);
    memset(&policy, 0, sizeof policy);
}

void path_policy_set(const char *root, const char *const *allowed, size_t allowed_count,
                     const struct path_limits *limits)
{
    path_policy_clear();
    policy.set = true;
    add_root(NULL, root && *root ? root : ".");
    if (datadir_get())
        add_root(NULL, datadir_get());
    for (size_t i = 0; i < allowed_count; i++)
        add_root(root, allowed[i]);
    if (limits)
        policy.limits = *limits;
    else
        path_default_limits(&policy.limits);
}

void path_policy_allow(const char *folder)
{
    if (policy.set)
        add_root(NULL, folder);
}

static size_t limit_of(enum path_kind kind)
{
    return path_limits()->max_size[kind];
}

static bool inside(const char *real)
{
    for (size_t i = 0; i < policy.root_count; i++) {
        size_t n = strlen(policy.roots[i]);
        if (strncmp(real, policy.roots[i], n) == 0 &&
            (real[n] == '/' || real[n] == '\0' || (n == 1 && real[0] == '/')))
            return true;
    }
    return false;
}

static const char *what_is(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

/* Writes "'path' " and the formatted rest to reason. */
__attribute__((format(printf, 4, 5))) static void refuse(char *reason, size_t size,
                                                         const char *path, const char *format, ...)
{
    char shown[160], text[512];
    error_quote(shown, sizeof shown, path);
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    snprintf(reason, size, "%s %s", shown, text);
}

const char *path_reason_tail(const char *path, const char *reason)
{
    char shown[160];
    error_quote(shown, sizeof shown, path);
    size_t n = strlen(shown);
    return strncmp(reason, shown, n) == 0 && reason[n] == ' ' ? reason + n + 1 : reason;
}

/* path_real that keeps the O_PATH descriptor it resolved through in
 * *held (-1 when realpath had to do it), so that the file opened later is
 * the one resolved and checked, whatever is renamed meanwhile. */
static char *real_held(const char *path, char real[PATH_MAX], int *held)
{
    /* The kernel's name for the file an O_PATH descriptor holds is what
     * realpath computes, in three system calls: realpath reads every
     * component's link and the working folder (162 readlink and 33 getcwd
     * calls in a one-letter render, issue 17). Without /proc, realpath. */
    *held = -1;
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char link[40];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, real, PATH_MAX);
    int saved = errno;
    if (n > 0 && n < PATH_MAX && real[0] == '/') {
        real[n] = '\0';
        *held = fd;
        return real;
    }
    close(fd);
    errno = saved;
    return realpath(path, real);
}

const char *path_fd_name(int fd, char room[PATH_FD_NAME])
{
    if (fd < 0)
        return NULL;
    snprintf(room, PATH_FD_NAME, "/proc/self/fd/%d", fd);
    return access(room, R_OK) == 0 ? room : NULL;
}

char *path_real(const char *path, char real[PATH_MAX])
{
    int held;
    char *got = real_held(path, real, &held);
    if (held >= 0)
        close(held);
    return got;
}

/* Fills real with the resolved path and *held as real_held does: 0, or
 * PATH_FAILED (errno kept) or PATH_REFUSED with the reason (nothing held). */
static int resolve(const char *path, enum path_kind kind, char real[PATH_MAX], int *held,
                   char *reason, size_t size)
{
    *held = -1;
    if (!*path) {
        refuse(reason, size, path, "%s", "is an empty path");
        return PATH_REFUSED;
    }
    if (!real_held(path, real, held)) {
        int saved = errno;
        refuse(reason, size, path, "cannot be read (%s)", strerror(saved));
        errno = saved;
        return PATH_FAILED;
    }
    if (contained(kind) && policy.set && !inside(real)) {
        refuse(reason, size, path,
               "is outside the workspace: %s may only come from the workspace or a folder "
               "allowed by [paths] allow in missive.ini",
               kind_name(kind));
        if (*held >= 0)
            close(*held);
        *held = -1;
        return PATH_REFUSED;
    }
    return 0;
}

static int failed(const char *path, char *reason, size_t size)
{
    int saved = errno;
    refuse(reason, size, path, "cannot be read (%s)", strerror(saved));
    errno = saved;
    return PATH_FAILED;
}

static int check_mode(const char *path, const struct stat *st, char *reason, size_t size)
{
    if (S_ISREG(st->st_mode))
        return 0;
    refuse(reason, size, path, "is %s: only regular files are read", what_is(st->st_mode));
    return PATH_REFUSED;
}

int path_check(const char *path, enum path_kind kind, char *reason, size_t size)
{
    char real[PATH_MAX];
    int held;
    int rc = resolve(path, kind, real, &held, reason, size);
    if (rc)
        return rc;
    struct stat st;
    rc = (held >= 0 ? fstat(held, &st) : stat(real, &st)) != 0
             ? failed(path, reason, size)
             : check_mode(path, &st, reason, size);
    if (held >= 0)
        close(held);
    return rc;
}

static int too_large(const char *path, enum path_kind kind, char *reason, size_t size)
{
    char detail[256];
    snprintf(detail, sizeof detail,
             "is larger than the limit of %zu MB for %s ([limits] %s in missive.ini)",
             limit_of(kind) / MB, kind_name(kind), path_limit_key(kind));
    refuse(reason, size, path, "%s", detail);
    return PATH_REFUSED;
}

/* Reads fd into out, at most max bytes (1 when there are more: too
 * large), straight into room made for the size fstat gave (expected): one
 * copy, not two plus a doubling buffer's (reading a workspace's fonts was
 * a tenth of a one-letter process), its pages made present first (the
 * two fonts' 192 page faults inside read were a sixth of a one-letter
 * process's). A file that grows meanwhile is still read whole. */
static int read_all(int fd, size_t max, size_t expected, struct buffer *out)
{
    size_t total = 0;
    buffer_reserve(out, expected + 1);
    arena_prefault(out->data + out->len, expected);
    for (;;) {
        if (out->capacity - out->len < 2)
            buffer_reserve(out, 65536);
        size_t room = out->capacity - out->len - 1;
        ssize_t n = read(fd, out->data + out->len, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || (total += (size_t)n) > max) {
            out->data[out->len] = '\0';
            return n < 0 ? -1 : n == 0 ? 0 : 1;
        }
        out->len += (size_t)n;
    }
}

/* The checks of an open file's (or held descriptor's) status st. */
static int check_status(const char *path, enum path_kind kind, const struct stat *st, char *reason,
                        size_t size)
{
    int rc = check_mode(path, st, reason, size);
    if (rc == 0 && (size_t)st->st_size > limit_of(kind))
        rc = too_large(path, kind, reason, size);
    return rc;
}

/* Resolves and checks path, then opens for reading the very file that was
 * resolved, through the descriptor resolve held: a folder on the way
 * swapped for a symlink since cannot redirect it (O_NOFOLLOW guards only
 * the last name), and a device or FIFO is refused before it is opened.
 * Without /proc, the resolved path, not followed if a symlink. 0 with *fd
 * and its status in *st, or PATH_FAILED / PATH_REFUSED. */
static int open_resolved(const char *path, enum path_kind kind, int *fd, struct stat *st,
                         char *reason, size_t size)
{
    char real[PATH_MAX];
    int held, rc = resolve(path, kind, real, &held, reason, size);
    if (rc)
        return rc;
    if (held >= 0) {
        char link[40];
        snprintf(link, sizeof link, "/proc/self/fd/%d", held);
        if (fstat(held, st) != 0)
            rc = failed(path, reason, size);
        else if ((rc = check_status(path, kind, st, reason, size)) == 0 &&
                 (*fd = open(link, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
            rc = failed(path, reason, size);
        int saved = errno;
        close(held);
        errno = saved;
        return rc;
    }
    *fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0)
        return failed(path, reason, size);
    if (fstat(*fd, st) != 0)
        rc = failed(path, reason, size);
    else
        rc = check_status(path, kind, st, reason, size);
    if (rc != 0) {
        int saved = errno;
        close(*fd);
        errno = saved;
    }
    return rc;
}

int path_open(const char *path, enum path_kind kind, int *fd, char *reason, size_t size)
{
    struct stat st;
    int opened, rc = open_resolved(path, kind, &opened, &st, reason, size);
    *fd = rc == 0 ? opened : -1;
    return rc;
}

/* Reads at most head bytes of the open fd (all of it when head is 0). */
static int read_some(int fd, size_t head, size_t max, size_t expected, struct buffer *out)
{
    if (head == 0)
        return read_all(fd, max, expected, out);
    buffer_reserve(out, head + 1);
    while (out->len < head) {
        ssize_t n = read(fd, out->data + out->len, head - out->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    out->data[out->len] = '\0';
    return 0;
}

/* path_read, or only its first head bytes (head > 0) with the file's
 * size in *file_size; the file stays open in *keep when keep is given. */
static int read_file(const char *path, enum path_kind kind, size_t head, struct buffer *out,
                     size_t *file_size, int *keep, char *reason, size_t size)
{
    struct stat st;
    int fd, rc = open_resolved(path, kind, &fd, &st, reason, size);
    if (rc)
        return rc;
    int got = read_some(fd, head, limit_of(kind), (size_t)st.st_size, out);
    if (got < 0)
        rc = failed(path, reason, size);
    else if (got > 0)
        rc = too_large(path, kind, reason, size);
    if (file_size)
        *file_size = (size_t)st.st_size;
    int saved = errno;
    if (keep && rc == 0)
        *keep = fd;
    else
        close(fd);
    if (rc != 0)
        buffer_reset(out);
    errno = saved;
    return rc;
}

int path_read(const char *path, enum path_kind kind, struct buffer *out, char *reason, size_t size)
{
    return read_file(path, kind, 0, out, NULL, NULL, reason, size);
}

int path_read_kept(const char *path, enum path_kind kind, struct buffer *out, int *fd, char *reason,
                   size_t size)
{
    *fd = -1;
    return read_file(path, kind, 0, out, NULL, fd, reason, size);
}

int path_read_head(const char *path, enum path_kind kind, size_t head, struct buffer *out,
                   size_t *file_size, char *reason, size_t size)
{
    return read_file(path, kind, head ? head : 1, out, file_size, NULL, reason, size);
}
