/* test_path.c — path.c's reads under a workspace policy while a folder on
 * the way to the file is swapped, again and again, with a symlink out of
 * the workspace (renameat2's atomic exchange, in a second thread). What a
 * read gives is the workspace's file or a refusal, never the outside one:
 * the file opened is the one resolved and checked, not whatever the
 * checked path names a moment later. */
#define _GNU_SOURCE
#include "check.h"

#include "buffer.h"
#include "path.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { READS = 40000 };

struct swapper {
    char a[PATH_MAX + 8], b[PATH_MAX + 8];
    atomic_int stop;
    long swaps;
};

static void *swap_loop(void *p)
{
    struct swapper *s = p;
    while (!atomic_load(&s->stop))
        if (renameat2(AT_FDCWD, s->a, AT_FDCWD, s->b, RENAME_EXCHANGE) == 0)
            s->swaps++;
    return NULL;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_swapped_folder(void)
{
    char top[] = "/tmp/missive-path-XXXXXX";
    CHECK(mkdtemp(top) != NULL);
    char ws[64], out[64], file[PATH_MAX + 16];
    snprintf(ws, sizeof ws, "%s/ws", top);
    snprintf(out, sizeof out, "%s/out", top);
    struct swapper s = {0};
    snprintf(s.a, sizeof s.a, "%s/d", ws);
    snprintf(s.b, sizeof s.b, "%s/e", ws);
    CHECK(mkdir(ws, 0700) == 0 && mkdir(out, 0700) == 0 && mkdir(s.a, 0700) == 0);
    CHECK(symlink(out, s.b) == 0);
    snprintf(file, sizeof file, "%s/f.xml", s.a);
    write_file(file, "inside");
    snprintf(file, sizeof file, "%s/f.xml", out);
    write_file(file, "OUTSIDE");
    path_policy_set(ws, NULL, 0, NULL);

    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, swap_loop, &s) == 0);
    snprintf(file, sizeof file, "%s/f.xml", s.a);
    long inside = 0, refused = 0, outside = 0, other = 0;
    for (int i = 0; i < READS; i++) {
        struct buffer b = {0};
        char reason[512];
        int rc = path_read(file, PATH_TEMPLATE, &b, reason, sizeof reason);
        if (rc == 0 && strcmp(b.data, "inside") == 0)
            inside++;
        else if (rc == 0)
            outside++;
        else if (rc == PATH_REFUSED && strstr(reason, "outside the workspace"))
            refused++;
        else
            other++; /* the name missing for an instant of the exchange */
        buffer_free(&b);
    }
    atomic_store(&s.stop, 1);
    pthread_join(thread, NULL);
    printf("swaps %ld: read inside %ld, refused %ld, failed %ld, read outside %ld\n", s.swaps,
           inside, refused, other, outside);
    CHECK(outside == 0);
    /* Both states of the folder were seen, or the test proved nothing. */
    CHECK(s.swaps > 0 && inside > 0 && refused > 0);
    path_policy_clear();

    /* The folder is at d or e now, the symlink at the other. */
    for (const char *name = s.a;; name = s.b) {
        struct stat st;
        snprintf(file, sizeof file, "%s/f.xml", name);
        CHECK(lstat(name, &st) == 0);
        if (S_ISLNK(st.st_mode))
            CHECK(unlink(name) == 0);
        else
            CHECK(unlink(file) == 0 && rmdir(name) == 0);
        if (name == s.b)
            break;
    }
    snprintf(file, sizeof file, "%s/f.xml", out);
    CHECK(unlink(file) == 0 && rmdir(out) == 0 && rmdir(ws) == 0 && rmdir(top) == 0);
}

CHECK_MAIN("test_path", test_swapped_folder())
