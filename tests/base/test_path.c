/* test_path.c — reads under a workspace policy while a folder on the way
 * to the file is swapped, again and again, with a symlink out of the
 * workspace (renameat2's atomic exchange, in a second thread). What a read
 * gives is the workspace's file or a refusal, never the outside one: the
 * file opened is the one resolved and checked, not whatever the checked
 * path names a moment later. Three readers: path_read itself, ini_load's
 * cross-check (iniparser opens a name of its own) and image_read_png (the
 * bytes the PDF embeds, where libharu used to open the name again). */
#define _GNU_SOURCE
#include "check.h"

#include "arena.h"
#include "buffer.h"
#include "image.h"
#include "ini.h"
#include "path.h"
#include "support.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What one read gave. */
enum outcome { INSIDE, OUTSIDE, REFUSED, OTHER };

/* A reader of file: its outcome, told from the content it gave. */
typedef enum outcome reader(const char *file);

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

/* Writes len bytes of data to path. */
static void put(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(data, 1, len, f) == len);
        fclose(f);
    }
}

/* The bytes of the workspace's image and of the outside one, for
 * image_reader to tell them apart. */
static struct buffer inside_png, outside_png;

static enum outcome text_reader(const char *file)
{
    struct buffer b = {0};
    char reason[512];
    int rc = path_read(file, PATH_TEMPLATE, &b, reason, sizeof reason);
    enum outcome o = rc == 0 && strcmp(b.data, "inside") == 0                        ? INSIDE
                     : rc == 0                                                       ? OUTSIDE
                     : rc == PATH_REFUSED && strstr(reason, "outside the workspace") ? REFUSED
                                                                                     : OTHER;
    buffer_free(&b);
    return o;
}

/* ini_load with iniparser's cross-check: the scan reads the checked file;
 * were iniparser to open the name again and find the outside file, its
 * value would differ and be quoted in an error. */
static enum outcome ini_reader(const char *file)
{
    struct arena *arena = arena_new();
    struct errors errors = {0};
    struct ini_file *ini = ini_load(arena, file, INI_CROSS_CHECK, &errors);
    char *text = errors_text(&errors);
    enum outcome o = ini && ini->count == 1 && ini->sections[0].count == 1 &&
                             strcmp(ini->sections[0].entries[0].value, "inside") == 0
                         ? INSIDE
                     : strstr(text, "OUTSIDE") || ini           ? OUTSIDE
                     : strstr(text, "is outside the workspace") ? REFUSED
                                                                : OTHER;
    free(text);
    errors_clear(&errors);
    arena_free(arena);
    return o;
}

static enum outcome image_reader(const char *file)
{
    struct buffer b = {0};
    char reason[512];
    const char *wrong = image_read_png(file, &b, reason, sizeof reason);
    enum outcome o = OTHER;
    if (!wrong && b.len == inside_png.len && memcmp(b.data, inside_png.data, b.len) == 0)
        o = INSIDE;
    else if (!wrong)
        o = OUTSIDE;
    else if (strstr(reason, "outside the workspace"))
        o = REFUSED;
    CHECK(wrong || b.len > 0);
    CHECK(!wrong || b.len == 0); /* nothing handed back with an error */
    buffer_free(&b);
    return o;
}

/* Reads ws/d/name reads times with read while d is swapped with a symlink
 * to a folder outside the workspace holding a file of the same name. */
static void race(const char *label, const char *name, const struct buffer *inside,
                 const struct buffer *outside, reader *read, int reads)
{
    char top[] = "/tmp/missive-path-XXXXXX";
    CHECK(mkdtemp(top) != NULL);
    char ws[64], out[64], file[PATH_MAX + 64];
    snprintf(ws, sizeof ws, "%s/ws", top);
    snprintf(out, sizeof out, "%s/out", top);
    struct swapper s = {0};
    snprintf(s.a, sizeof s.a, "%s/d", ws);
    snprintf(s.b, sizeof s.b, "%s/e", ws);
    CHECK(mkdir(ws, 0700) == 0 && mkdir(out, 0700) == 0 && mkdir(s.a, 0700) == 0);
    CHECK(symlink(out, s.b) == 0);
    snprintf(file, sizeof file, "%s/%s", s.a, name);
    put(file, inside->data, inside->len);
    snprintf(file, sizeof file, "%s/%s", out, name);
    put(file, outside->data, outside->len);
    path_policy_set(ws, NULL, 0, NULL);

    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, swap_loop, &s) == 0);
    snprintf(file, sizeof file, "%s/%s", s.a, name);
    long seen[4] = {0};
    for (int i = 0; i < reads; i++)
        seen[read(file)]++; /* OTHER: the name missing for an instant of the exchange */
    atomic_store(&s.stop, 1);
    pthread_join(thread, NULL);
    printf("%s: swaps %ld: read inside %ld, refused %ld, failed %ld, read outside %ld\n", label,
           s.swaps, seen[INSIDE], seen[REFUSED], seen[OTHER], seen[OUTSIDE]);
    CHECK(seen[OUTSIDE] == 0);
    /* Both states of the folder were seen, or the test proved nothing. */
    CHECK(s.swaps > 0 && seen[INSIDE] > 0 && seen[REFUSED] > 0);
    path_policy_clear();

    /* The folder is at d or e now, the symlink at the other. */
    for (const char *folder = s.a;; folder = s.b) {
        struct stat st;
        snprintf(file, sizeof file, "%s/%s", folder, name);
        CHECK(lstat(folder, &st) == 0);
        if (S_ISLNK(st.st_mode))
            CHECK(unlink(folder) == 0);
        else
            CHECK(unlink(file) == 0 && rmdir(folder) == 0);
        if (folder == s.b)
            break;
    }
    snprintf(file, sizeof file, "%s/%s", out, name);
    CHECK(unlink(file) == 0 && rmdir(out) == 0 && rmdir(ws) == 0 && rmdir(top) == 0);
}

static struct buffer text_of(const char *text)
{
    struct buffer b = {0};
    buffer_append(&b, text, strlen(text));
    return b;
}

static void test_swapped_folder(void)
{
    /* Every image read decodes the file, not the process's memory of it. */
    setenv("MISSIVE_NO_CACHE", "1", 1);
    struct buffer in = text_of("inside"), outside = text_of("OUTSIDE");
    race("path_read", "f.xml", &in, &outside, text_reader, 40000);
    buffer_free(&in);
    buffer_free(&outside);

    in = text_of("[a]\nb = inside\n");
    outside = text_of("[a]\nb = OUTSIDE\n");
    race("ini_load", "f.ini", &in, &outside, ini_reader, 4000);
    buffer_free(&in);
    buffer_free(&outside);

    /* Two real signatures of the example workspace. */
    char reason[400];
    CHECK(path_read("letters/signatures/mensah.png", PATH_NAMED_DATA, &inside_png, reason,
                    sizeof reason) == 0);
    CHECK(path_read("letters/signatures/marchetti.png", PATH_NAMED_DATA, &outside_png, reason,
                    sizeof reason) == 0);
    race("image_read_png", "f.png", &inside_png, &outside_png, image_reader, 600);
    buffer_free(&inside_png);
    buffer_free(&outside_png);
}

CHECK_MAIN("test_path", test_swapped_folder())
