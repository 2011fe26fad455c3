/* web_watch.c — the workspace's stamp and inotify waits. Only the folders
 * missive reads are walked or watched: out/, build/ and archive/ change
 * while missive itself works and must not look like edits. */
#include "web_watch.h"

#include "arena.h"

#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const watched[] = {"letters", "templates", "fonts"};

/* FNV-1a, enough to tell one state of a few hundred files from the next. */
static void mix(unsigned long long *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        *h = (*h ^ p[i]) * 1099511628211ULL;
}

static void stamp_file(unsigned long long *h, const char *path, const struct stat *st)
{
    mix(h, path, strlen(path) + 1);
    long long values[3] = {(long long)st->st_size, (long long)st->st_mtim.tv_sec,
                           (long long)st->st_mtim.tv_nsec};
    mix(h, values, sizeof values);
}

static bool is_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* skip_xml: leave out the .xml files of dir itself (letters/ for the
 * pipeline, which reads letters afresh each time). */
static void stamp_tree(unsigned long long *h, const char *dir, int depth, bool skip_xml)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 4)
            stamp_tree(h, path, depth + 1, false);
        else if (S_ISREG(st.st_mode) && !(skip_xml && is_xml(e->d_name)))
            stamp_file(h, path, &st);
    }
    closedir(d);
}

static unsigned long long stamp(const char *root, bool letters)
{
    unsigned long long h = 1469598103934665603ULL;
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof path, "%s/missive.ini", root);
    if (stat(path, &st) == 0)
        stamp_file(&h, path, &st);
    for (size_t i = 0; i < sizeof watched / sizeof *watched; i++) {
        snprintf(path, sizeof path, "%s/%s", root, watched[i]);
        stamp_tree(&h, path, 0, i == 0 && !letters);
    }
    return h;
}

unsigned long long web_watch_stamp(const char *root)
{
    return stamp(root, true);
}

unsigned long long web_watch_stamp_data(const char *root)
{
    return stamp(root, false);
}

struct web_watch {
    int fd;
    int root_wd;           /* the root's watch: only missive.ini counts there */
    struct timespec first; /* when the last wait saw its first relevant event */
};

static void watch_tree(struct web_watch *w, const char *dir, int depth)
{
    const uint32_t mask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_TO |
                          IN_MOVED_FROM | IN_ATTRIB | IN_ONLYDIR;
    if (inotify_add_watch(w->fd, dir, mask) < 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; depth < 4 && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            watch_tree(w, path, depth + 1);
    }
    closedir(d);
}

struct web_watch *web_watch_open(const char *root)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct web_watch *w = xcalloc(1, sizeof *w);
    w->fd = fd;
    w->root_wd = inotify_add_watch(fd, root, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
    for (size_t i = 0; i < sizeof watched / sizeof *watched; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", root, watched[i]);
        watch_tree(w, path, 0);
    }
    return w;
}

/* Reads what is queued; true when an event is one that matters. */
static bool drain(struct web_watch *w)
{
    bool relevant = false;
    char events[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n;
    while ((n = read(w->fd, events, sizeof events)) > 0) {
        for (char *p = events; p < events + n;) {
            const struct inotify_event *e = (const struct inotify_event *)p;
            if (e->wd != w->root_wd || (e->len && strcmp(e->name, "missive.ini") == 0))
                relevant = true;
            p += sizeof *e + e->len;
        }
    }
    return relevant;
}

int web_watch_wait(struct web_watch *w, int quit_fd, int timeout_ms)
{
    struct pollfd fds[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = quit_fd, .events = POLLIN}};
    for (;;) {
        int n = poll(fds, 2, timeout_ms);
        if (n < 0 || fds[1].revents)
            return -1;
        if (n == 0)
            return 0;
        if (!drain(w))
            continue;
        clock_gettime(CLOCK_MONOTONIC, &w->first);
        /* An editor writes a file in several steps (truncate, write,
         * rename): wait until they have settled. */
        while (poll(fds, 1, 10) > 0)
            drain(w);
        return 1;
    }
}

struct timespec web_watch_noticed(const struct web_watch *w)
{
    return w->first;
}

void web_watch_close(struct web_watch *w)
{
    if (!w)
        return;
    close(w->fd);
    free(w);
}
